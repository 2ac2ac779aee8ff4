/* hes-signin-page-webauthn.c: the second factor with a security key (mailcow-api.md §1.4):
 * in the pending session, get/webauthn-tfa-get-args stores a challenge; the key signs it; the
 * login page checks the assertion against the chosen factor's row. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-mailcow-factors.h"
#include "hes-signin-page-private.h"
#include "pages/security/hes-key-ceremony.h"

static void
show_prompt (HesSigninPage *self,
             const char    *text)
{
  gtk_label_set_text (GTK_LABEL (self->key_prompt_label),
                      text ? text : _("Plug in your security key, press Verify, then touch the "
                                      "key."));
}

static void
on_status_changed_cb (HesSigninPage  *self,
                      GParamSpec     *pspec,
                      HesKeyCeremony *ceremony)
{
  show_prompt (self, hes_key_ceremony_get_status (ceremony));
}

static void
on_verified_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;

  show_prompt (self, NULL);
  if (hes_mailcow_client_verify_webauthn_finish (HES_MAILCOW_CLIENT (source), result, &error)) {
    _hes_signin_page_handle_outcome (self, hes_mailcow_client_get_sign_in_state (self->client),
                                     NULL);
  } else if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED)) {
    _hes_signin_page_retry_sign_in (self, _("The server did not accept this security key. "
                                            "Check that it is the key you registered, and try "
                                            "again."));
  } else {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_signin_page_show_error (self, error->message);
    _hes_signin_page_end_apply (self, FALSE);
  }
}

static void
on_signed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assertions = NULL;
  HesFido2Assertion *assertion;
  g_autofree char *token = NULL;

  assertions = hes_key_ceremony_run_finish (HES_KEY_CEREMONY (source), result, &error);
  g_clear_object (&self->key_ceremony);
  if (assertions == NULL || assertions->len == 0) {
    show_prompt (self, NULL);
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_signin_page_show_error (self, _("Cancelled. Press Verify to try again."));
    else if (error != NULL)
      _hes_signin_page_show_error (self, hes_key_ceremony_explain (error));
    /* The server forgets the pending sign-in only after a failed check, not here. */
    _hes_signin_page_end_apply (self, FALSE);
    return;
  }

  assertion = g_ptr_array_index (assertions, 0);
  token = hes_webauthn_build_assertion_token (assertion->credential_id,
                                              assertion->client_data_json,
                                              assertion->authenticator_data,
                                              assertion->signature);
  show_prompt (self, _("Checking the key with the server…"));
  hes_mailcow_client_verify_webauthn_async (self->client, self->factor->id, token,
                                            g_task_get_cancellable (G_TASK (result)),
                                            on_verified_cb, g_object_ref (self));
}

static void
on_options_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autofree char *origin = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  options = hes_mailcow_client_get_sign_in_key_options_finish (client, result, &error);
  if (options == NULL) {
    show_prompt (self, NULL);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_signin_page_show_error (self, error->message);
    _hes_signin_page_end_apply (self, FALSE);
    return;
  }

  origin = hes_webauthn_origin_from_url (hes_mailcow_client_get_base_url (client));
  g_clear_object (&self->key_ceremony);
  self->key_ceremony = G_OBJECT (hes_key_ceremony_new (options, origin,
                                                       HES_FIDO2_PURPOSE_SECOND_FACTOR));
  g_signal_connect_object (self->key_ceremony, "notify::status",
                           G_CALLBACK (on_status_changed_cb), self, G_CONNECT_SWAPPED);
  hes_key_ceremony_run_async (HES_KEY_CEREMONY (self->key_ceremony), NULL, cancellable,
                              on_signed_cb, g_object_ref (self));
}

void
_hes_signin_page_verify_key (HesSigninPage *self,
                             GCancellable  *cancellable)
{
  show_prompt (self, _("Asking the server for a challenge…"));
  hes_mailcow_client_get_sign_in_key_options_async (self->client, cancellable, on_options_cb,
                                                    g_object_ref (self));
}
