/* hes-mailcow-pages.c: mailcow's HTML pages and their forms, for what has no JSON API
 * (second factor setup and removal, security key removal). */
#define G_LOG_DOMAIN "hes-mailcow-pages"

#include "config.h"

#include "hes-mailcow-client-private.h"

static void
on_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  /* The pages of a session render in place; being sent elsewhere means no session. */
  body = _hes_mailcow_client_send_finish_ok (HES_MAILCOW_CLIENT (source), result, message, TRUE,
                                             &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hes_mailcow_body_to_string (body), g_free);
}

static void
send_page_request (HesMailcowClient    *self,
                   gpointer             source_tag,
                   SoupMessage         *message,
                   HesSendFlags         flags,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, message, g_object_unref);
  if (g_task_return_error_if_cancelled (task))
    return;
  _hes_mailcow_client_send_async (self, message, flags, cancellable, on_page,
                                  g_steal_pointer (&task));
}

void
hes_mailcow_client_fetch_page_async (HesMailcowClient    *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  send_page_request (self, hes_mailcow_client_fetch_page_async,
                     _hes_mailcow_client_new_message (self, SOUP_METHOD_GET, path),
                     HES_SEND_NONE, cancellable, callback, user_data);
}

char *
hes_mailcow_client_fetch_page_finish (HesMailcowClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hes_mailcow_client_post_form_async (HesMailcowClient    *self,
                                    const char          *path,
                                    const char * const  *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  SoupMessage *message;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (fields != NULL);

  message = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST, path);
  _hes_mailcow_set_form_body (message, fields);
  send_page_request (self, hes_mailcow_client_post_form_async, message, HES_SEND_CARRIES_SECRET,
                     cancellable, callback, user_data);
}

char *
hes_mailcow_client_post_form_finish (HesMailcowClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
