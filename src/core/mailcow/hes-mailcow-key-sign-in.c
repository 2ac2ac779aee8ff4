/* hes-mailcow-key-sign-in.c: passwordless sign-in with a security key (FIDO2, mailcow-api.md §8).
 *
 * mailcow answers the login form's verify_fido2_login post with an empty 200 whether it
 * worked or not, so the answer says nothing: only the role's own page, fetched in the same
 * session right after, tells whether the session is now signed in.
 */
#define G_LOG_DOMAIN "hes-mailcow-key-sign-in"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-client-private.h"

/* What the customer reads when the server did not sign the session in: the key holds no
 * credential the server knows for that kind of account, or the key did not verify the PIN. */
static const char *
refused_sentence (void)
{
  return _("This security key is not registered for passwordless sign-in on this server, or "
           "the PIN was not verified.");
}

/* ---- The options (the challenge), no sign-in needed ---- */

static void
on_options (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *node;

  node = hes_mailcow_client_api_get_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (node != NULL) {
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
    return;
  }
  /* An empty or unreadable answer: the server does not offer this sign-in. */
  if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED)
      || g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED)) {
    g_clear_error (&error);
    error = g_error_new_literal (HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_NOT_MAILCOW,
                                 _("This server does not offer sign-in with a security key. "
                                   "Sign in with your password instead."));
  }
  g_task_return_error (task, error);
}

void
hes_mailcow_client_get_key_sign_in_options_async (HesMailcowClient    *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_get_key_sign_in_options_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  /* A new server session: the challenge lives in it, and the form post must use the same
   * cookie jar, which is kept from here on. */
  _hes_mailcow_client_reset_session (self);
  hes_mailcow_client_api_get_async (self, "get/fido2-get-args", cancellable, on_options,
                                    g_steal_pointer (&task));
}

JsonNode *
hes_mailcow_client_get_key_sign_in_options_finish (HesMailcowClient  *self,
                                                   GAsyncResult      *result,
                                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The form post, then the role's page ---- */

typedef struct {
  char        *username;  /* from the credential's user handle, or NULL */
  SoupMessage *message;
} KeyData;

static void
key_data_free (KeyData *data)
{
  g_free (data->username);
  g_clear_object (&data->message);
  g_free (data);
}

/* mailcow makes the user handle (user.id) of its credentials from the username's bytes. */
static char *
username_from_handle (GBytes *user_handle)
{
  gsize len = 0;
  const char *bytes = user_handle ? g_bytes_get_data (user_handle, &len) : NULL;
  g_autofree char *text = NULL;

  if (bytes == NULL || len == 0 || len > 255 || memchr (bytes, '\0', len) != NULL
      || !g_utf8_validate_len (bytes, len, NULL))
    return NULL;
  text = g_strndup (bytes, len);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    if (!g_unichar_isgraph (g_utf8_get_char (p)))
      return NULL;
  }
  return g_steal_pointer (&text);
}

/* Without a user handle (a key asked with an allow list), the page's "Logged in as …"
 * notice, which mailcow shows once after this sign-in. */
static char *
username_from_page (const char *html)
{
  static const char marker[] = "Logged in as ";
  const char *start = strstr (html, marker);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (marker);
  end = start + strcspn (start, "<'\"\r\n");
  if (end == start)
    return NULL;
  return hes_mailcow_html_unescape (start, end - start);
}

static void
return_refused (GTask *task)
{
  HesMailcowClient *self = g_task_get_source_object (task);

  self->failed_sign_ins++;
  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
  g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_WRONG_CREDENTIALS, "%s",
                           refused_sentence ());
}

static void
finish_signed_in (GTask *task, const char *html)
{
  HesMailcowClient *self = g_task_get_source_object (task);
  KeyData *data = g_task_get_task_data (task);
  g_autofree char *username = g_strdup (data->username);
  HesClientState state = HES_CLIENT_SIGNED_IN;
  HesSignInOutcome outcome = HES_SIGN_IN_DONE;

  if (username == NULL)
    username = username_from_page (html);
  switch (hes_mailcow_html_pending_action (html)) {
  case HES_PENDING_PASSWORD_CHANGE:
    state = HES_CLIENT_PENDING_PASSWORD_CHANGE;
    outcome = HES_SIGN_IN_NEEDS_PASSWORD_CHANGE;
    break;
  case HES_PENDING_TFA_SETUP:
    state = HES_CLIENT_PENDING_TFA_SETUP;
    outcome = HES_SIGN_IN_NEEDS_TFA_SETUP;
    break;
  case HES_PENDING_NONE:
  default:
    break;
  }

  self->failed_sign_ins = 0;
  g_free (self->username);
  self->username = g_steal_pointer (&username);
  _hes_mailcow_client_set_state (self, state);
  g_task_return_int (task, outcome);
}

static void
on_role_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = _hes_mailcow_client_send_finish (self, result, &error);
  g_autofree char *html = NULL;
  guint status;

  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_SERVER_ERROR (status)) {
    g_task_return_error (task, hes_mailcow_error_from_status (status));
    return;
  }
  /* Not signed in, the page sends the session back to a login page (a redirect). */
  html = hes_mailcow_body_to_string (body);
  if (status != SOUP_STATUS_OK || hes_mailcow_html_has_login_form (html)) {
    return_refused (task);
    return;
  }
  finish_signed_in (task, html);
}

static const char *
role_page_path (HesMailcowRole role)
{
  /* A domain admin's /user is only a redirect: their own page is /domainadmin/user. */
  return role == HES_MAILCOW_ROLE_DOMAIN_ADMIN ? "/domainadmin/user" : "/user";
}

static void
on_form_posted (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = _hes_mailcow_client_send_finish (self, result, &error);
  guint status;

  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_SERVER_ERROR (status)) {
    g_task_return_error (task, hes_mailcow_error_from_status (status));
    return;
  }

  g_set_object (&data->message, NULL);
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET,
                                                   role_page_path (self->role));
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_NONE,
                                  g_task_get_cancellable (task), on_role_page,
                                  g_object_ref (task));
}

void
hes_mailcow_client_sign_in_with_key_async (HesMailcowClient    *self,
                                           HesMailcowRole       role,
                                           const char          *assertion_token_json,
                                           GBytes              *user_handle,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyData *data;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (assertion_token_json != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_sign_in_with_key_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->role != role) {
    self->role = role;
    g_object_notify (G_OBJECT (self), "role");
  }
  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);

  data = g_new0 (KeyData, 1);
  data->username = username_from_handle (user_handle);
  g_task_set_task_data (task, data, (GDestroyNotify) key_data_free);

  /* The session of the options (its cookie holds the challenge): no reset here. */
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST,
                                                   _hes_mailcow_role_login_path (role));
  {
    /* The body is wiped from memory once sent; the token is never logged. */
    const char *fields[] = { "verify_fido2_login", "true", "token", assertion_token_json, NULL };

    _hes_mailcow_set_form_body (data->message, fields);
  }
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_CARRIES_SECRET, cancellable,
                                  on_form_posted, g_steal_pointer (&task));
}

HesSignInOutcome
hes_mailcow_client_sign_in_with_key_finish (HesMailcowClient  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), HES_SIGN_IN_DONE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == hes_mailcow_client_sign_in_with_key_async, HES_SIGN_IN_DONE);

  return (HesSignInOutcome) g_task_propagate_int (G_TASK (result), error);
}
