/* hes-mailcow-api.c: mailcow's JSON API (/api/v1) with the web session's cookie.
 *
 * Two traps shape this file. A get without a session is a 200 with an empty body. A write's
 * answer holds every entry queued since an HTML page last rendered ("pile-up"), the login's
 * included; so each write first loads the session's own page, which empties the queue.
 */
#define G_LOG_DOMAIN "hes-mailcow-api"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-client-private.h"

static char *
api_path (const char *path)
{
  while (*path == '/')
    path++;
  return g_strconcat ("/api/v1/", path, NULL);
}

static void
on_api_get (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonNode *node;

  body = _hes_mailcow_client_send_finish_ok (HES_MAILCOW_CLIENT (source), result, message, FALSE,
                                             &error);
  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  node = hes_mailcow_parse_json_body (body, &error);
  if (node == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

void
hes_mailcow_client_api_get_async (HesMailcowClient    *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *full_path = NULL;
  SoupMessage *message;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_api_get_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  full_path = api_path (path);
  message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET, full_path);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json");
  g_task_set_task_data (task, message, g_object_unref);
  _hes_mailcow_client_send_async (self, message, HES_SEND_NONE, cancellable, on_api_get,
                                  g_steal_pointer (&task));
}

JsonNode *
hes_mailcow_client_api_get_finish (HesMailcowClient  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char        *path;
  GBytes      *body;
  SoupMessage *message;
} PostData;

static void
post_data_free (PostData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->message);
  g_free (data);
}

static GPtrArray *
entries_from_answer (GBytes *body, GError **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *refusal;

  /* The server threw: the real error waits in the session for the next answer. */
  if (body == NULL || g_bytes_get_size (body) == 0) {
    g_set_error_literal (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER,
                         _("The server could not complete the change: try again later, and "
                           "contact your provider if it keeps happening."));
    return NULL;
  }

  node = hes_mailcow_parse_json_body (body, error);
  if (node == NULL)
    return NULL;
  entries = hes_mailcow_entries_parse (node, error);
  if (entries == NULL)
    return NULL;

  refusal = hes_mailcow_entries_to_error (entries);
  if (refusal != NULL) {
    g_propagate_error (error, refusal);
    return NULL;
  }
  return g_steal_pointer (&entries);
}

static void
on_posted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  GPtrArray *entries;

  body = _hes_mailcow_client_send_finish_ok (HES_MAILCOW_CLIENT (source), result, data->message,
                                             FALSE, &error);
  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  entries = entries_from_answer (body, &error);
  if (entries == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  PostData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) page = NULL;
  guint status;

  page = _hes_mailcow_client_send_finish (self, result, &error);
  if (page == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  /* The session's own page redirects only when the session is gone. */
  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_REDIRECTION (status) && self->state == HES_CLIENT_SIGNED_IN) {
    g_task_return_error (task, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED));
    return;
  }
  if (SOUP_STATUS_IS_SERVER_ERROR (status)) {
    g_task_return_error (task, hes_mailcow_error_from_status (status));
    return;
  }

  g_clear_object (&data->message);
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST, data->path);
  soup_message_headers_replace (soup_message_get_request_headers (data->message), "Accept",
                                "application/json");
  soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_CARRIES_SECRET,
                                  cancellable, on_posted,
                                  g_steal_pointer (&task));
}

void
_hes_mailcow_client_post_json_async (HesMailcowClient    *self,
                                     const char          *path,
                                     GBytes              *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PostData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _hes_mailcow_client_post_json_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (PostData, 1);
  data->path = api_path (path);
  data->body = g_bytes_ref (body);
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET,
                                                   _hes_mailcow_client_page_path (self));
  g_task_set_task_data (task, data, (GDestroyNotify) post_data_free);

  _hes_mailcow_client_send_async (self, data->message, HES_SEND_NONE, cancellable, on_flushed,
                                  g_steal_pointer (&task));
}

GPtrArray *
_hes_mailcow_client_post_json_finish (HesMailcowClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_api_posted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *entries;

  entries = _hes_mailcow_client_post_json_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
hes_mailcow_client_api_post_async (HesMailcowClient    *self,
                                   const char          *path,
                                   JsonNode            *body,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *json;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (path != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_api_post_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  json = json_to_string (body, FALSE);
  bytes = g_bytes_new_take (json, strlen (json));
  _hes_mailcow_client_post_json_async (self, path, bytes, cancellable, on_api_posted,
                                       g_steal_pointer (&task));
}

GPtrArray *
hes_mailcow_client_api_post_finish (HesMailcowClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
