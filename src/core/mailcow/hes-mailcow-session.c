/* hes-mailcow-session.c: the forced password change, the CSRF token, and signing out. */
#define G_LOG_DOMAIN "hes-mailcow-session"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-client-private.h"
#include "hes-http-read.h"

typedef struct {
  char        *password;   /* wiped */
  SoupMessage *message;
} PasswordData;

static void
password_data_free (PasswordData *data)
{
  _hes_mailcow_wipe_and_free (data->password);
  g_clear_object (&data->message);
  g_free (data);
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf (out, "\\%c", *p);
    else if (*p < 0x20)
      g_string_append_printf (out, "\\u%04x", *p);
    else
      g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

/* What mailcow's own password modal posts. Built by hand into a buffer sized up front, so
 * that no copy of the password outlives the request. */
static GBytes *
new_password_body (const char *password)
{
  GString *out = g_string_sized_new (6 * strlen (password) * 2 + 96);
  gsize length;
  char *data;

  g_string_append (out, "{\"items\":null,\"attr\":{\"user_new_pass\":");
  append_json_string (out, password);
  g_string_append (out, ",\"user_new_pass2\":");
  append_json_string (out, password);
  g_string_append (out, "}}");

  length = out->len;
  data = g_string_free (out, FALSE);
  return g_bytes_new_with_free_func (data, length, _hes_mailcow_wipe_and_free, data);
}

static void
on_confirmed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  PasswordData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *html = NULL;
  guint status;

  html = _hes_mailcow_client_send_finish_html (self, result, data->message, &status, &error);
  if (html == NULL) {
    g_task_return_error (task, error);
  } else if (SOUP_STATUS_IS_REDIRECTION (status)) {
    _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_IN);
    g_task_return_boolean (task, TRUE);
  } else if (hes_mailcow_html_pending_action (html) == HES_PENDING_TFA_SETUP) {
    _hes_mailcow_client_set_state (self, HES_CLIENT_PENDING_TFA_SETUP);
    g_task_return_boolean (task, TRUE);
  } else if (hes_mailcow_html_pending_action (html) == HES_PENDING_PASSWORD_CHANGE) {
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_REFUSED, "%s",
                             _("The server still asks for a new password: try another one."));
  } else {
    _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
    g_task_return_error (task, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED));
  }
}

static void
on_password_posted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  PasswordData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  entries = _hes_mailcow_client_post_json_finish (self, result, &error);
  if (entries == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The login page of the role tells whether the session is free to go now. */
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET,
                                                   _hes_mailcow_role_login_path (self->role));
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_NONE,
                                  cancellable, on_confirmed,
                                  g_steal_pointer (&task));
}

static char *
join_sentences (GPtrArray *sentences)
{
  g_ptr_array_add (sentences, NULL);
  return g_strjoinv (" ", (char **) sentences->pdata);
}

static void
on_policy (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  PasswordData *data = g_task_get_task_data (task);
  g_autoptr(HesPasswordPolicy) policy = NULL;
  g_autoptr(GPtrArray) broken = NULL;
  g_autoptr(GBytes) body = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  policy = hes_mailcow_client_get_password_policy_finish (self, result, &error);
  if (policy == NULL) {
    g_task_return_error (task, error);
    return;
  }

  broken = hes_password_policy_check (policy, data->password);
  if (broken->len > 0) {
    g_autofree char *message = join_sentences (broken);

    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_PASSWORD_POLICY,
                             "%s", message);
    return;
  }

  body = new_password_body (data->password);
  explicit_bzero (data->password, strlen (data->password));
  _hes_mailcow_client_post_json_async (self, "edit/self", body, cancellable,
                                       on_password_posted, g_steal_pointer (&task));
}

void
hes_mailcow_client_change_password_async (HesMailcowClient    *self,
                                          const char          *new_password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PasswordData *data;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (new_password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_change_password_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->state != HES_CLIENT_PENDING_PASSWORD_CHANGE) {
    g_task_return_error (task, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED));
    return;
  }

  data = g_new0 (PasswordData, 1);
  data->password = g_strdup (new_password);
  g_task_set_task_data (task, data, (GDestroyNotify) password_data_free);

  /* The policy first: the server's own refusal does not say which rule was broken. */
  hes_mailcow_client_get_password_policy_async (self, cancellable, on_policy,
                                                g_steal_pointer (&task));
}

gboolean
hes_mailcow_client_change_password_finish (HesMailcowClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The token is in the session's own page, which fetch_page judges as any page of a session. */
static void
on_csrf_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *html = NULL;
  GError *error = NULL;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hes_mailcow_html_csrf_token (html), g_free);
}

void
hes_mailcow_client_fetch_csrf_token_async (HesMailcowClient    *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_fetch_csrf_token_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  hes_mailcow_client_fetch_page_async (self, _hes_mailcow_client_page_path (self), cancellable,
                                       on_csrf_page, g_steal_pointer (&task));
}

char *
hes_mailcow_client_fetch_csrf_token_finish (HesMailcowClient  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_signed_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = _hes_mailcow_client_send_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hes_mailcow_client_sign_out_async (HesMailcowClient    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_sign_out_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  /* logout=1 needs no token; the old cookie dies on the server. The local session is
   * forgotten at once, whether or not the server hears about it. */
  message = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST,
                                             _hes_mailcow_client_page_path (self));
  _hes_mailcow_set_form_body (message, (const char *[]) { "logout", "1", NULL });
  g_task_set_task_data (task, message, g_object_unref);
  _hes_mailcow_client_send_async (self, message, HES_SEND_NONE, cancellable, on_signed_out,
                                  g_steal_pointer (&task));
  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
}

gboolean
hes_mailcow_client_sign_out_finish (HesMailcowClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Signing everything out on quit. */

typedef struct {
  guint pending;
} SignOutAll;

static void
on_one_signed_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SignOutAll *all = user_data;
  g_autoptr(GBytes) answer = NULL;

  if (HES_IS_MAILCOW_CLIENT (source))
    hes_mailcow_client_sign_out_finish (HES_MAILCOW_CLIENT (source), result, NULL);
  else
    answer = hes_http_read_finish (result, NULL);
  all->pending--;
}

static gboolean
on_sign_out_all_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

void
hes_mailcow_sign_out_all (guint timeout_ms)
{
  g_autoptr(GPtrArray) dropped = _hes_mailcow_client_steal_dropped ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GList *live = g_list_copy (_hes_mailcow_client_get_live ());
  GMainContext *context = g_main_context_ref_thread_default ();
  SignOutAll all = { 0, };
  GSource *timer;

  for (GList *l = live; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = live; l != NULL; l = l->next) {
    HesMailcowClient *client = l->data;

    if (client->state == HES_CLIENT_SIGNED_OUT)
      continue;
    /* What the windows still waited for is moot now; a server that stopped answering would
     * otherwise keep every connection busy and the sign-out queued behind them. */
    soup_session_abort (client->session);
    all.pending++;
    hes_mailcow_client_sign_out_async (client, cancellable, on_one_signed_out, &all);
  }
  for (guint i = 0; dropped != NULL && i < dropped->len; i++) {
    HesDroppedSession *session = g_ptr_array_index (dropped, i);

    all.pending++;
    hes_http_read_async (session->session, session->logout, HES_HTTP_ANSWER_PAGE, cancellable,
                         on_one_signed_out, &all);
  }

  /* Cancelled at the limit, each request still ends through its callback. */
  timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timer, on_sign_out_all_timeout, cancellable, NULL);
  g_source_set_static_name (timer, "[hes] sign out on quit");
  g_source_attach (timer, context);
  while (all.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  g_main_context_unref (context);
  g_list_free_full (live, g_object_unref);
}
