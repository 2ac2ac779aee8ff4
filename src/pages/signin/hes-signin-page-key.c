/* hes-signin-page-key.c: "Sign in with a security key" (FIDO2 passwordless, mailcow-api.md §8).
 *
 * The server and the role come from the form; the key knows the account. One client holds
 * the server session from the options (its cookie keeps the challenge) to the form post, and
 * the ceremony keeps the chosen key, so that the PIN step signs that challenge on that key.
 * mailcow requires user verification here, so the key's PIN is always asked first.
 */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-signin-page-private.h"
#include "pages/security/hes-key-ceremony.h"

static void
show_status (HesSigninPage *self,
             const char    *text)
{
  gtk_widget_set_visible (self->key_status_label, text != NULL);
  gtk_label_set_text (GTK_LABEL (self->key_status_label), text ? text : "");
}

void
_hes_signin_page_forget_key (HesSigninPage *self)
{
  if (self->key_ceremony != NULL)
    g_signal_handlers_disconnect_by_data (self->key_ceremony, self);
  g_clear_object (&self->key_ceremony);
  gtk_editable_set_text (GTK_EDITABLE (self->key_pin_row), "");
  _hes_signin_page_set_field_invalid (self->key_pin_row, FALSE);
  show_status (self, NULL);
}

/* Back to the first step with everything the customer typed kept, and why. */
static void
stop (HesSigninPage *self,
      const char    *message)
{
  _hes_signin_page_forget_key (self);
  g_clear_object (&self->client);
  if (self->step != STEP_CREDENTIALS)
    _hes_signin_page_set_step (self, STEP_CREDENTIALS);
  if (message != NULL)
    _hes_signin_page_show_error (self, message);
  _hes_signin_page_end_apply (self, FALSE);
}

static const char *
explain_key_error (const GError *error)
{
  if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_NOT_REGISTERED))
    return _("This security key is not registered for passwordless sign-in on this server, or "
             "the PIN was not verified.");
  if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_NOT_SET))
    return _("This security key has no PIN yet, and signing in without a password needs one. "
             "Sign in with your password, then register the key again under “Secure my "
             "account”.");
  return hes_key_ceremony_explain (error);
}

static void
on_signed_in_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  outcome = hes_mailcow_client_sign_in_with_key_finish (HES_MAILCOW_CLIENT (source), result,
                                                        &error);
  if (error == NULL) {
    _hes_signin_page_forget_key (self);
    _hes_signin_page_handle_outcome (self, outcome, NULL);
    return;
  }
  stop (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL : error->message);
}

/* A key with several accounts of this server answers once per account: the one whose name
 * the customer typed, else the first. */
static HesFido2Assertion *
choose_assertion (HesSigninPage *self,
                  GPtrArray     *assertions)
{
  g_autofree char *typed = g_strstrip (g_strdup (_hes_signin_field_text (self->username_row)));

  for (guint i = 0; typed[0] != '\0' && i < assertions->len; i++) {
    HesFido2Assertion *assertion = g_ptr_array_index (assertions, i);
    gsize len = 0;
    const char *handle = assertion->user_handle
                         ? g_bytes_get_data (assertion->user_handle, &len) : NULL;

    if (handle != NULL && len == strlen (typed) && g_ascii_strncasecmp (handle, typed, len) == 0)
      return assertion;
  }
  return g_ptr_array_index (assertions, 0);
}

static void
on_key_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assertions = NULL;
  g_autofree char *token = NULL;
  HesFido2Assertion *assertion;

  assertions = hes_key_ceremony_run_finish (HES_KEY_CEREMONY (source), result, &error);
  gtk_editable_set_text (GTK_EDITABLE (self->key_pin_row), "");
  if (assertions != NULL && assertions->len > 0) {
    assertion = choose_assertion (self, assertions);
    token = hes_webauthn_build_assertion_token (assertion->credential_id,
                                                assertion->client_data_json,
                                                assertion->authenticator_data,
                                                assertion->signature);
    show_status (self, _("Checking the key with the server…"));
    hes_mailcow_client_sign_in_with_key_async (self->client, _hes_signin_page_get_role (self),
                                               token, assertion->user_handle,
                                               self->apply_cancellable, on_signed_in_cb,
                                               g_object_ref (self));
    explicit_bzero (token, strlen (token));
    return;
  }

  show_status (self, NULL);
  if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_REQUIRED)
      || g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID)) {
    /* The same key and the same server session: only the PIN is missing. */
    if (self->step != STEP_KEY_PIN)
      _hes_signin_page_set_step (self, STEP_KEY_PIN);
    /* Asking for the PIN is a step, not an error; a wrong PIN is said beside its field. */
    if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID))
      hes_page_set_field_invalid (HES_PAGE (self), self->key_pin_row, TRUE,
                                  hes_key_ceremony_explain (error));
    _hes_signin_page_end_apply_focus (self, self->key_pin_row);
    return;
  }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    stop (self, NULL);
  else
    stop (self, explain_key_error (error));
}

static void
on_status_changed_cb (HesSigninPage  *self,
                      GParamSpec     *pspec,
                      HesKeyCeremony *ceremony)
{
  show_status (self, hes_key_ceremony_get_status (ceremony));
}

static void
run_ceremony (HesSigninPage *self,
              const char    *pin)
{
  HesKeyCeremony *ceremony = HES_KEY_CEREMONY (self->key_ceremony);

  hes_key_ceremony_run_async (ceremony, pin, self->apply_cancellable, on_key_done_cb,
                              g_object_ref (self));
  show_status (self, hes_key_ceremony_get_status (ceremony));
}

static void
on_options_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autofree char *origin = NULL;

  answer = hes_mailcow_client_get_key_sign_in_options_finish (client, result, &error);
  if (answer != NULL)
    options = hes_webauthn_options_parse (answer, HES_WEBAUTHN_GET,
                                          hes_mailcow_client_get_host (client), &error);
  if (options == NULL) {
    stop (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL
                                                                          : error->message);
    return;
  }

  origin = hes_webauthn_origin_from_url (hes_mailcow_client_get_base_url (client));
  self->key_ceremony = G_OBJECT (hes_key_ceremony_new (options, origin,
                                                       HES_FIDO2_PURPOSE_PASSWORDLESS));
  g_signal_connect_object (self->key_ceremony, "notify::status",
                           G_CALLBACK (on_status_changed_cb), self, G_CONNECT_SWAPPED);
  run_ceremony (self, NULL);
}

static void
start (HesSigninPage *self,
       GCancellable  *cancellable)
{
  g_autofree char *server = g_strstrip (g_strdup (_hes_signin_field_text (self->server_row)));
  g_autoptr(GError) error = NULL;

  _hes_signin_page_forget_key (self);
  g_clear_object (&self->client);
  self->client = hes_mailcow_client_new (server, &error);
  if (self->client == NULL) {
    _hes_signin_page_show_error (self, error->message);
    _hes_signin_page_set_field_invalid (self->server_row, TRUE);
    _hes_signin_page_end_apply_focus (self, self->server_row);
    return;
  }

  show_status (self, _("Asking the server for a challenge…"));
  hes_mailcow_client_get_key_sign_in_options_async (self->client, cancellable, on_options_cb,
                                                    g_object_ref (self));
}

void
_hes_signin_page_apply_key (HesSigninPage *self,
                            GCancellable  *cancellable)
{
  g_autofree char *pin = NULL;

  if (self->step != STEP_KEY_PIN || self->key_ceremony == NULL || self->client == NULL) {
    start (self, cancellable);
    return;
  }

  _hes_signin_page_set_field_invalid (self->key_pin_row, FALSE);
  pin = g_strdup (_hes_signin_field_text (self->key_pin_row));
  run_ceremony (self, pin);
  explicit_bzero (pin, strlen (pin));
}
