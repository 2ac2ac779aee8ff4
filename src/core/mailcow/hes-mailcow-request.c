/* hes-mailcow-request.c: sending one request within the client's time limit.
 *
 * libsoup's own timeout only covers a silent socket; a server that trickles bytes or
 * answers slowly through several steps would keep a request alive for ever. Each request
 * therefore has its own timer that cancels it, and the customer's cancellable is chained in.
 * The answer is read through hes-http-read.c, within the size limit of its kind.
 *
 * Each request also watches its own connection: a TLS version older than 1.2 ends it right
 * after the handshake, before anything is written, and whether the request's headers were
 * written tells the error whether the password can be said not to have left.
 */
#define G_LOG_DOMAIN "hes-mailcow-request"

#include "config.h"

#include <string.h>

#include "hes-mailcow-client-private.h"
#include "hes-http-read.h"

typedef struct {
  SoupMessage  *message;
  GCancellable *cancellable;       /* ours: cancelled by the timer or by the caller's */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timer;
  gboolean      timed_out;
  gboolean      tls_too_old;
  gboolean      headers_written;
  gboolean      in_handshake;
  gulong        network_handler;
  gulong        wrote_headers_handler;
  HesSendFlags  flags;
} SendData;

static void
send_data_stop (SendData *data)
{
  if (data->timer != NULL) {
    g_source_destroy (data->timer);
    g_clear_pointer (&data->timer, g_source_unref);
  }
  if (data->caller_handler != 0) {
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
    data->caller_handler = 0;
  }
  g_clear_signal_handler (&data->network_handler, data->message);
  g_clear_signal_handler (&data->wrote_headers_handler, data->message);
}

static void
send_data_free (SendData *data)
{
  send_data_stop (data);
  g_clear_object (&data->message);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->caller_cancellable);
  g_free (data);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_timer (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  g_clear_pointer (&data->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static GError *
transport_error (HesMailcowClient *self, SendData *data, const GError *error)
{
  HesMailcowTransportFlags flags = HES_MAILCOW_TRANSPORT_NONE;

  if (!data->headers_written)
    flags |= HES_MAILCOW_TRANSPORT_NOT_WRITTEN;
  if (data->in_handshake)
    flags |= HES_MAILCOW_TRANSPORT_IN_HANDSHAKE;
  if (data->tls_too_old)
    return hes_mailcow_error_old_tls (flags);
  if (data->timed_out)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_TIMEOUT);
  if (data->flags & HES_SEND_CARRIES_SECRET)
    flags |= HES_MAILCOW_TRANSPORT_SENDS_PASSWORD;
  if (self->failed_sign_ins > 0)
    flags |= HES_MAILCOW_TRANSPORT_AFTER_FAILURE;
  if (self->server_answered)
    flags |= HES_MAILCOW_TRANSPORT_SERVER_ANSWERED;
  return hes_mailcow_error_from_transport (error, flags);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *path = g_uri_get_path (soup_message_get_uri (data->message));

  body = hes_http_read_finish (result, &error);
  send_data_stop (data);

  if (g_cancellable_is_cancelled (data->caller_cancellable)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    return;
  }
  if (error != NULL && g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_TOO_LARGE)) {
    g_debug ("%s %s: answer over the size limit", soup_message_get_method (data->message), path);
    self->server_answered = TRUE;
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (error != NULL) {
    g_debug ("%s %s: no answer", soup_message_get_method (data->message), path);
    g_task_return_error (task, transport_error (self, data, error));
    return;
  }

  /* Paths and status codes only: bodies can echo passwords. */
  g_debug ("%s %s: %u", soup_message_get_method (data->message), path,
           soup_message_get_status (data->message));
  self->server_answered = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

static void
on_network_event (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  SendData *data = user_data;
  GTlsProtocolVersion version;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    data->in_handshake = TRUE;
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION (connection))
    return;
  data->in_handshake = FALSE;

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (connection));
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_1) {
    /* Cancelled here, the request is never written on this connection. */
    g_debug ("TLS older than 1.2 refused");
    data->tls_too_old = TRUE;
    g_cancellable_cancel (data->cancellable);
  }
}

static void
on_wrote_headers (SoupMessage *message,
                  gpointer     user_data)
{
  SendData *data = user_data;

  data->headers_written = TRUE;
}

/* The size limit follows the path: the API answers JSON, every other path is a page. */
static HesHttpAnswerKind
answer_kind (SoupMessage *message)
{
  const char *path = g_uri_get_path (soup_message_get_uri (message));

  return g_str_has_prefix (path, "/api/") ? HES_HTTP_ANSWER_JSON : HES_HTTP_ANSWER_PAGE;
}

void
_hes_mailcow_client_send_async (HesMailcowClient    *self,
                                SoupMessage         *message,
                                HesSendFlags         flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _hes_mailcow_client_send_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->cancellable = g_cancellable_new ();
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (cancellable != NULL) {
    data->caller_cancellable = g_object_ref (cancellable);
    data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  g_object_ref (data->cancellable),
                                                  g_object_unref);
  }

  data->timer = g_timeout_source_new (self->timeout * 1000);
  g_source_set_callback (data->timer, on_timer, data, NULL);
  g_source_set_static_name (data->timer, "[hes] mailcow request timeout");
  g_source_attach (data->timer, g_main_context_get_thread_default ());

  data->network_handler = g_signal_connect (message, "network-event",
                                            G_CALLBACK (on_network_event), data);
  data->wrote_headers_handler = g_signal_connect (message, "wrote-headers",
                                                  G_CALLBACK (on_wrote_headers), data);

  hes_http_read_async (self->session, message, answer_kind (message), data->cancellable,
                       on_sent, g_steal_pointer (&task));
}

GBytes *
_hes_mailcow_client_send_finish (HesMailcowClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
_hes_mailcow_client_send_finish_ok (HesMailcowClient  *self,
                                    GAsyncResult      *result,
                                    SoupMessage       *message,
                                    gboolean           redirect_ends_session,
                                    GError           **error)
{
  g_autoptr(GBytes) body = _hes_mailcow_client_send_finish (self, result, error);
  guint status;

  if (body == NULL)
    return NULL;
  status = soup_message_get_status (message);
  if (redirect_ends_session && SOUP_STATUS_IS_REDIRECTION (status)) {
    g_propagate_error (error, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED));
    return NULL;
  }
  if (status != SOUP_STATUS_OK) {
    g_propagate_error (error, hes_mailcow_error_from_status (status));
    return NULL;
  }
  return g_steal_pointer (&body);
}

char *
_hes_mailcow_client_send_finish_html (HesMailcowClient  *self,
                                      GAsyncResult      *result,
                                      SoupMessage       *message,
                                      guint             *status,
                                      GError           **error)
{
  g_autoptr(GBytes) body = _hes_mailcow_client_send_finish (self, result, error);

  if (body == NULL)
    return NULL;
  *status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_REDIRECTION (*status) && *status != SOUP_STATUS_OK) {
    g_propagate_error (error, hes_mailcow_error_from_status (*status));
    return NULL;
  }
  return hes_mailcow_body_to_string (body);
}

void
_hes_mailcow_wipe_and_free (gpointer data)
{
  if (data != NULL)
    explicit_bzero (data, strlen (data));
  g_free (data);
}

static gsize
form_capacity (const char * const *fields)
{
  gsize capacity = 1;

  for (guint i = 0; fields[i] != NULL; i++)
    capacity += 3 * strlen (fields[i]) + 2;
  return capacity;
}

static void
append_escaped (GString *out, const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++) {
    if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL)
      g_string_append_c (out, *p);
    else if (*p == ' ')
      g_string_append_c (out, '+');
    else
      g_string_append_printf (out, "%%%02X", *p);
  }
}

/* @fields: name, value, name, value, …, NULL. The buffer is sized up front so that no copy
 * of a password is left behind by a reallocation, and wiped when libsoup lets it go. */
void
_hes_mailcow_set_form_body (SoupMessage        *message,
                            const char * const *fields)
{
  GString *out = g_string_sized_new (form_capacity (fields));
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  char *data;

  for (guint i = 0; fields[i] != NULL && fields[i + 1] != NULL; i += 2) {
    if (i > 0)
      g_string_append_c (out, '&');
    append_escaped (out, fields[i]);
    g_string_append_c (out, '=');
    append_escaped (out, fields[i + 1]);
  }

  length = out->len;
  data = g_string_free (out, FALSE);
  bytes = g_bytes_new_with_free_func (data, length, _hes_mailcow_wipe_and_free, data);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
}
