/* hes-mailcow-sign-in.c: the login form, the second factor and the forced password change.
 *
 * mailcow answers a login post with a redirect (signed in) or with the login page again
 * (refused, or a second factor is due). Redirects are judged here, never followed.
 */
#define G_LOG_DOMAIN "hes-mailcow-sign-in"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-client-private.h"

typedef enum {
  STEP_PASSWORD,
  STEP_SECOND_FACTOR,
} LoginStep;

typedef struct {
  LoginStep         step;
  char             *path;      /* the login page of the role */
  char             *username;
  char             *secret;    /* password; wiped once in the form body */
  SoupMessage      *message;
  HesSignInOutcome  outcome;
} LoginData;

static void
wipe_string (char **secret)
{
  g_clear_pointer (secret, _hes_mailcow_wipe_and_free);
}

static void
login_data_free (LoginData *data)
{
  wipe_string (&data->secret);
  g_free (data->path);
  g_free (data->username);
  g_clear_object (&data->message);
  g_free (data);
}

static void
set_string (char **field, const char *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* TRUE when a second step (code, new password) went through; the next pending step, if any,
 * is in hes_mailcow_client_get_sign_in_state(). */
static gboolean
propagate_step (GAsyncResult *result, GError **error)
{
  GError *local = NULL;

  g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL) {
    g_propagate_error (error, local);
    return FALSE;
  }
  return TRUE;
}

static void
return_code (GTask *task, HesMailcowError code)
{
  g_task_return_new_error (task, HES_MAILCOW_ERROR, code, "%s", hes_mailcow_error_describe (code));
}

static void
return_status_error (GTask *task, guint status)
{
  g_task_return_error (task, hes_mailcow_error_from_status (status));
}

static void
finish_signed_in (GTask *task, HesClientState state, HesSignInOutcome outcome)
{
  HesMailcowClient *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);

  self->failed_sign_ins = 0;
  if (data->username != NULL)
    set_string (&self->username, data->username);
  _hes_mailcow_client_set_state (self, state);
  g_task_return_int (task, outcome);
}

static void
on_pending_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  LoginData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *html = NULL;
  guint status;

  html = _hes_mailcow_client_send_finish_html (self, result, data->message, &status, &error);
  if (html == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (SOUP_STATUS_IS_REDIRECTION (status)) {
    /* Nothing pending any more: the page sends the session on to its start page. */
    finish_signed_in (task, HES_CLIENT_SIGNED_IN, HES_SIGN_IN_DONE);
    return;
  }

  switch (hes_mailcow_html_pending_action (html)) {
  case HES_PENDING_PASSWORD_CHANGE:
    finish_signed_in (task, HES_CLIENT_PENDING_PASSWORD_CHANGE, HES_SIGN_IN_NEEDS_PASSWORD_CHANGE);
    return;
  case HES_PENDING_TFA_SETUP:
    finish_signed_in (task, HES_CLIENT_PENDING_TFA_SETUP, HES_SIGN_IN_NEEDS_TFA_SETUP);
    return;
  case HES_PENDING_NONE:
  default:
    break;
  }

  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
  return_code (task, hes_mailcow_html_has_login_form (html) ? HES_MAILCOW_ERROR_SESSION_EXPIRED
                                                           : HES_MAILCOW_ERROR_MALFORMED);
}

/* With a password change or a second factor setup pending, mailcow sends the session back to
 * the login page of its role, unslashed ("/domainadmin"), instead of its start page. */
static gboolean
is_pending_location (const char *path)
{
  static const char * const pending[] = { "/", "/domainadmin", "/domainadmin/", "/admin",
                                          "/admin/", NULL };

  return path == NULL || g_strv_contains (pending, path);
}

static void
check_pending_page (GTask *task)
{
  HesMailcowClient *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);

  g_set_object (&data->message, NULL);
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET, data->path);
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_NONE,
                                  g_task_get_cancellable (task), on_pending_page,
                                  g_object_ref (task));
}

static void
handle_login_page_again (GTask *task, const char *html)
{
  HesMailcowClient *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);

  if (data->step == STEP_PASSWORD && hes_mailcow_html_has_tfa_prompt (html)) {
    set_string (&self->username, data->username);
    _hes_mailcow_client_set_state (self, HES_CLIENT_PENDING_SECOND_FACTOR);
    self->pending_factors = hes_mailcow_html_parse_factors (html);
    g_task_return_int (task, HES_SIGN_IN_NEEDS_SECOND_FACTOR);
    return;
  }

  /* A refused password, or a refused code: either way the server forgot the attempt. */
  self->failed_sign_ins++;
  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
  return_code (task, data->step == STEP_PASSWORD ? HES_MAILCOW_ERROR_WRONG_CREDENTIALS
                                                 : HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED);
}

static void
on_login_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *self = HES_MAILCOW_CLIENT (source);
  LoginData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *html = NULL;
  guint status;

  html = _hes_mailcow_client_send_finish_html (self, result, data->message, &status, &error);
  if (html == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (SOUP_STATUS_IS_REDIRECTION (status)) {
    location = _hes_mailcow_location_path (data->message);
    g_debug ("signed in, sent on to %s", location ? location : "(nowhere)");
    if (is_pending_location (location))
      check_pending_page (task);
    else
      finish_signed_in (task, HES_CLIENT_SIGNED_IN, HES_SIGN_IN_DONE);
    return;
  }
  handle_login_page_again (task, html);
}

static void
post_login_form (GTask *task, const char * const *fields)
{
  HesMailcowClient *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);

  g_set_object (&data->message, NULL);
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST, data->path);
  _hes_mailcow_set_form_body (data->message, fields);
  wipe_string (&data->secret);
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_CARRIES_SECRET,
                                  g_task_get_cancellable (task), on_login_answer,
                                  g_object_ref (task));
}

static void
on_login_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *html = NULL;
  guint status;

  body = _hes_mailcow_client_send_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (body == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  status = soup_message_get_status (data->message);
  if (SOUP_STATUS_IS_SERVER_ERROR (status)) {
    return_status_error (task, status);
    return;
  }
  html = hes_mailcow_body_to_string (body);
  if (status != SOUP_STATUS_OK || !hes_mailcow_html_has_login_form (html)) {
    return_code (task, HES_MAILCOW_ERROR_NOT_MAILCOW);
    return;
  }

  {
    const char *fields[] = { "login_user", data->username, "pass_user", data->secret, NULL };
    post_login_form (task, fields);
  }
}

void
hes_mailcow_client_sign_in_async (HesMailcowClient    *self,
                                  HesMailcowRole       role,
                                  const char          *username,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *data;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (username != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_sign_in_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (*username == '\0' || *password == '\0') {
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_WRONG_CREDENTIALS,
                             "%s", _("Type your user name and your password."));
    return;
  }

  /* Every sign-in starts a new server session: a half-done one cannot leak into it. */
  _hes_mailcow_client_reset_session (self);
  if (self->role != role) {
    self->role = role;
    g_object_notify (G_OBJECT (self), "role");
  }

  data = g_new0 (LoginData, 1);
  data->step = STEP_PASSWORD;
  data->path = g_strdup (_hes_mailcow_role_login_path (role));
  data->username = g_strstrip (g_strdup (username));
  data->secret = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  /* The GET first: the session cookie exists before the password is sent, as in a browser. */
  data->message = _hes_mailcow_client_new_message (self, SOUP_METHOD_GET, data->path);
  _hes_mailcow_client_send_async (self, data->message, HES_SEND_NONE, cancellable,
                                  on_login_page, g_steal_pointer (&task));
}

HesSignInOutcome
hes_mailcow_client_sign_in_finish (HesMailcowClient  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), HES_SIGN_IN_DONE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hes_mailcow_client_sign_in_async,
                        HES_SIGN_IN_DONE);

  return (HesSignInOutcome) g_task_propagate_int (G_TASK (result), error);
}

GPtrArray *
hes_mailcow_client_get_pending_factors (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), NULL);

  return self->pending_factors;
}

static const char *
first_factor_id (HesMailcowClient *self, HesSecondFactorMethod method)
{
  for (guint i = 0; self->pending_factors != NULL && i < self->pending_factors->len; i++) {
    HesSecondFactor *factor = g_ptr_array_index (self->pending_factors, i);

    if (factor->method == method)
      return factor->id;
  }
  return NULL;
}

static const char *
method_name (HesSecondFactorMethod method)
{
  switch (method) {
  case HES_SECOND_FACTOR_WEBAUTHN:
    return "webauthn";
  case HES_SECOND_FACTOR_YUBI_OTP:
    return "yubi_otp";
  case HES_SECOND_FACTOR_TOTP:
  default:
    return "totp";
  }
}

/* The second step posts to the page where the password was entered. No CSRF token: the
 * session has no role yet. @refusal: why @token is not worth sending (NULL: it is); the
 * pending sign-in then stays usable. */
static void
verify_second_factor (HesMailcowClient      *self,
                      gpointer               source_tag,
                      HesSecondFactorMethod  method,
                      const char            *factor_id,
                      const char            *token,
                      const char            *refusal,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  LoginData *data;

  g_task_set_source_tag (task, source_tag);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (refusal != NULL) {
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_REFUSED, "%s", refusal);
    return;
  }
  if (self->state != HES_CLIENT_PENDING_SECOND_FACTOR) {
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED,
                             "%s", _("This sign-in is over: sign in again."));
    return;
  }

  data = g_new0 (LoginData, 1);
  data->step = STEP_SECOND_FACTOR;
  data->path = g_strdup (_hes_mailcow_role_login_path (self->role));
  data->secret = g_strdup (token);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  if (factor_id == NULL)
    factor_id = first_factor_id (self, method);

  {
    const char *fields[] = { "verify_tfa_login", "1", "tfa_method", method_name (method),
                             "token", data->secret, factor_id ? "id" : NULL, factor_id, NULL };
    post_login_form (task, fields);
  }
}

static char *
strip_spaces (const char *code)
{
  GString *clean = g_string_new (NULL);

  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (clean, *p);
  return g_string_free (clean, FALSE);
}

static gboolean
is_totp_code (const char *code)
{
  if (strlen (code) != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  return TRUE;
}

void
hes_mailcow_client_verify_totp_async (HesMailcowClient    *self,
                                      const char          *factor_id,
                                      const char          *code,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *digits = NULL;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (code != NULL);

  /* Apps show "123 456"; the server wants the six digits alone. */
  digits = strip_spaces (code);
  verify_second_factor (self, hes_mailcow_client_verify_totp_async, HES_SECOND_FACTOR_TOTP,
                        factor_id, digits,
                        is_totp_code (digits) ? NULL
                                              : _("Type the 6 digits that your authenticator app shows."),
                        cancellable, callback, user_data);
}

gboolean
hes_mailcow_client_verify_totp_finish (HesMailcowClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return propagate_step (result, error);
}

void
hes_mailcow_client_verify_webauthn_async (HesMailcowClient    *self,
                                          const char          *factor_id,
                                          const char          *assertion_json,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (assertion_json != NULL);

  verify_second_factor (self, hes_mailcow_client_verify_webauthn_async, HES_SECOND_FACTOR_WEBAUTHN,
                        factor_id, assertion_json, NULL, cancellable, callback, user_data);
}

gboolean
hes_mailcow_client_verify_webauthn_finish (HesMailcowClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return propagate_step (result, error);
}

void
hes_mailcow_client_verify_yubi_otp_async (HesMailcowClient    *self,
                                          const char          *otp,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (otp != NULL);

  /* The OTP names its key: no row id is sent. */
  clean = strip_spaces (otp);
  verify_second_factor (self, hes_mailcow_client_verify_yubi_otp_async, HES_SECOND_FACTOR_YUBI_OTP,
                        NULL, clean,
                        strlen (clean) == 44 ? NULL
                                             : _("Touch your YubiKey again: the code it types has 44 letters."),
                        cancellable, callback, user_data);
}

gboolean
hes_mailcow_client_verify_yubi_otp_finish (HesMailcowClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return propagate_step (result, error);
}
