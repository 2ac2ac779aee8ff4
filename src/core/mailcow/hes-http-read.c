/* hes-http-read.c: reading an HTTP answer with a size limit for its kind.
 *
 * libsoup's send_and_read keeps whatever the server sends: a 2 GB Content-Length or an
 * endless chunked body would be read whole. Here the body is streamed in pieces and the
 * read stops at the limit of its kind; what was read so far is wiped (pages carry tokens).
 */
#define G_LOG_DOMAIN "hes-http-read"

#include "config.h"

#include <string.h>

#include "hes-http-read.h"
#include "hes-mailcow-error.h"

#define READ_PIECE (64 * 1024)

/* The largest mailcow page the app reads (the domain administrator's page) is about 60 KB:
 * 1 MiB leaves room for any theme or version without letting a server fill the memory. */
#define PAGE_LIMIT (1 * 1024 * 1024)
/* The largest JSON answer grows with the domain: get/mailbox/all lists every mailbox, and
 * one mailbox is about 0.9 KB of JSON (44 fields, with its attributes). A 10 000-mailbox
 * domain is then about 9 MB: 16 MiB (1.6 KB a mailbox) leaves room for the fields newer
 * mailcow versions add, and bounds what json-glib builds from a hostile answer. */
#define JSON_LIMIT (16 * 1024 * 1024)
/* An autoconfig document is a few kilobytes. */
#define XML_LIMIT (256 * 1024)

gsize
hes_http_answer_limit (HesHttpAnswerKind kind)
{
  switch (kind) {
  case HES_HTTP_ANSWER_JSON:
    return JSON_LIMIT;
  case HES_HTTP_ANSWER_XML:
    return XML_LIMIT;
  case HES_HTTP_ANSWER_PAGE:
  default:
    return PAGE_LIMIT;
  }
}

struct _HesBoundedBody {
  GByteArray *data;   /* NULL once over the limit */
  gsize       limit;
};

HesBoundedBody *
hes_bounded_body_new (gsize limit)
{
  HesBoundedBody *body = g_new0 (HesBoundedBody, 1);

  body->limit = limit;
  body->data = g_byte_array_new ();
  return body;
}

static void
drop_data (HesBoundedBody *body)
{
  if (body->data == NULL)
    return;
  if (body->data->len > 0)
    explicit_bzero (body->data->data, body->data->len);
  g_clear_pointer (&body->data, g_byte_array_unref);
}

gboolean
hes_bounded_body_append (HesBoundedBody *body,
                         const guint8   *data,
                         gsize           length)
{
  g_return_val_if_fail (body != NULL, FALSE);

  if (body->data == NULL)
    return FALSE;
  if (length > body->limit - body->data->len) {
    drop_data (body);
    return FALSE;
  }
  g_byte_array_append (body->data, data, length);
  return TRUE;
}

GBytes *
hes_bounded_body_finish (HesBoundedBody *body)
{
  GBytes *bytes = NULL;

  g_return_val_if_fail (body != NULL, NULL);

  if (body->data != NULL)
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&body->data));
  g_free (body);
  return bytes;
}

void
hes_bounded_body_free (HesBoundedBody *body)
{
  if (body == NULL)
    return;
  drop_data (body);
  g_free (body);
}

typedef struct {
  GInputStream   *stream;
  HesBoundedBody *body;
  /* Ours, so that an answer over the limit can end the message (and drop its connection)
   * without reading the rest; the caller's cancellable is chained in. */
  GCancellable   *cancellable;
  GCancellable   *caller_cancellable;
  gulong          caller_handler;
} ReadData;

static void
read_data_free (ReadData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  /* Cancelled first: closing an unfinished body would otherwise read the rest of it. */
  g_cancellable_cancel (data->cancellable);
  g_clear_object (&data->stream);
  g_clear_object (&data->cancellable);
  hes_bounded_body_free (data->body);
  g_free (data);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
return_too_large (GTask *task)
{
  g_task_return_error (task, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_TOO_LARGE));
}

static void read_next (GTask *task);

static void
on_stream_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);

  /* The body was read whole; a failing close changes nothing about it. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  g_task_return_pointer (task, hes_bounded_body_finish (g_steal_pointer (&data->body)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
on_piece (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) piece = NULL;
  GError *error = NULL;

  piece = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (piece == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (g_bytes_get_size (piece) == 0) {
    g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed,
                                g_steal_pointer (&task));
    return;
  }
  if (!hes_bounded_body_append (data->body, g_bytes_get_data (piece, NULL),
                                g_bytes_get_size (piece))) {
    return_too_large (task);
    return;
  }
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_PIECE, G_PRIORITY_DEFAULT,
                                   data->cancellable, on_piece, task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL) {
    g_task_return_error (task, error);
    return;
  }

  headers = soup_message_get_response_headers (message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) data->body->limit) {
    return_too_large (task);
    return;
  }

  read_next (g_steal_pointer (&task));
}

void
hes_http_read_async (SoupSession         *session,
                     SoupMessage         *message,
                     HesHttpAnswerKind    kind,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_http_read_async);
  data = g_new0 (ReadData, 1);
  data->body = hes_bounded_body_new (hes_http_answer_limit (kind));
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  if (cancellable != NULL) {
    data->caller_cancellable = g_object_ref (cancellable);
    data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  g_object_ref (data->cancellable),
                                                  g_object_unref);
  }

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, data->cancellable, on_sent,
                           task);
}

GBytes *
hes_http_read_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, hes_http_read_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
