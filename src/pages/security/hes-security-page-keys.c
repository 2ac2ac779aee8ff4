/* hes-security-page-keys.c: registering a security key, as second factor (with the account
 * password) or, for domain administrators, for passwordless sign-in (a resident key and the
 * PIN). HesMailcowFactors talks to the server and says done only once the server lists it. */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-security-page-private.h"
#include "hes-webauthn.h"

static gboolean
passwordless (HesSecurityPage *self)
{
  return self->view == VIEW_PASSWORDLESS;
}

static void
show_prompt (HesSecurityPage *self,
             const char      *text)
{
  gtk_widget_set_visible (self->prompt_box, text != NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->prompt_spinner), text != NULL);
  gtk_label_set_text (GTK_LABEL (self->prompt_label), text ? text : "");
}

static void
forget_ceremony (HesSecurityPage *self)
{
  if (self->ceremony != NULL)
    g_signal_handlers_disconnect_by_data (self->ceremony, self);
  g_clear_object (&self->ceremony);
  gtk_widget_set_visible (self->pin_group, FALSE);
  gtk_widget_set_visible (self->new_pin_group, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_pin_row), "");
}

void
_hes_security_page_start_key (HesSecurityPage *self)
{
  gboolean fido2 = passwordless (self);
  g_autofree char *forward = hes_page_dup_forward_words (HES_PAGE (self));
  g_autofree char *description = NULL;

  forget_ceremony (self);
  show_prompt (self, NULL);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->key_group),
                                   fido2 ? _("Register a Key for Passwordless Sign-In")
                                         : _("Register a Security Key"));
  /* The sentence names the button the customer sees ("Next" or "Done"). */
  description = g_strdup_printf (fido2
    ? _("Plug in your security key, give it a name and press “%s”. The key then asks for its "
        "PIN: you will type it, then touch the key.")
    : _("Plug in your security key, give it a name, type your account password and press "
        "“%s”. Then touch the key when it blinks."), forward);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->key_group), description);
  gtk_widget_set_visible (self->key_password_row, !fido2);
  gtk_editable_set_text (GTK_EDITABLE (self->key_password_row), "");
  if (_hes_security_text (self->key_name_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->key_name_row), _("Security key"));
}

gboolean
_hes_security_page_key_complete (HesSecurityPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->key_name_row)));

  if (name[0] == '\0')
    return FALSE;
  if (!passwordless (self) && _hes_security_text (self->key_password_row)[0] == '\0')
    return FALSE;
  if (gtk_widget_get_visible (self->pin_group) && _hes_security_text (self->pin_row)[0] == '\0')
    return FALSE;
  return TRUE;
}

static void
on_key_added_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  gboolean passkey = passwordless (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) factors = NULL;

  factors = hes_mailcow_factors_finish (HES_MAILCOW_FACTORS (source), result, NULL, &error);
  show_prompt (self, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    _hes_security_page_end_apply (self, FALSE);
    return;
  }
  forget_ceremony (self);
  if (factors != NULL) {
    gtk_editable_set_text (GTK_EDITABLE (self->key_password_row), "");
    _hes_security_page_done (self, passkey
      ? _("Your key is registered. You can now sign in with it and its PIN, without your "
          "password.")
      : _("Your security key is registered. When you sign in, touch it after typing your "
          "password."), factors);
  } else {
    _hes_security_page_show_error (self, error->message);
    if (g_error_matches (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD))
      _hes_security_page_set_invalid (self->key_password_row, TRUE);
  }
  _hes_security_page_end_apply (self, FALSE);
}

static void
post_registration (HesSecurityPage      *self,
                   HesFido2Registration *registration)
{
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->key_name_row)));
  gboolean passkey = passwordless (self);

  show_prompt (self, _("Saving your key on the server…"));
  hes_mailcow_factors_add_key_async (_hes_security_page_get_factors (self),
                                     passkey ? HES_MAILCOW_FACTOR_PASSKEY
                                             : HES_MAILCOW_FACTOR_SECOND_FACTOR,
                                     name,
                                     passkey ? NULL : _hes_security_text (self->key_password_row),
                                     registration, self->apply_cancellable, on_key_added_cb,
                                     g_object_ref (self));
}

/* The key's PIN is a step of the ceremony, not a failure: a field with a sentence. Only a
 * wrong PIN is an error, said beside the field. */
static void
ask_pin (HesSecurityPage *self,
         const GError    *error)
{
  g_autofree char *forward = hes_page_dup_forward_words (HES_PAGE (self));
  g_autofree char *description =
    g_strdup_printf (_("Your key is protected by a PIN. Type it here and press “%s”, then "
                       "touch the key when it blinks."), forward);

  gtk_widget_set_visible (self->pin_group, TRUE);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->pin_group), description);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  _hes_security_page_clear_messages (self);
  if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID))
    hes_page_set_field_invalid (HES_PAGE (self), self->pin_row, TRUE,
                                hes_key_ceremony_explain (error));
  _hes_security_page_update_complete (self);
}

static void
on_key_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesFido2Registration) registration = NULL;

  registration = hes_key_ceremony_run_finish (HES_KEY_CEREMONY (source), result, &error);
  if (registration != NULL) {
    gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
    post_registration (self, registration);
    return;
  }

  show_prompt (self, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    _hes_security_page_show_error (self, _("Cancelled. Nothing was registered."));
    forget_ceremony (self);
  } else if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_REQUIRED)
             || g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID)) {
    ask_pin (self, error);
  } else if (g_error_matches (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_NOT_SET)) {
    gtk_widget_set_visible (self->new_pin_group, TRUE);
    _hes_security_page_show_error (self, hes_key_ceremony_explain (error));
  } else {
    _hes_security_page_show_error (self, hes_key_ceremony_explain (error));
    forget_ceremony (self);
  }
  _hes_security_page_end_apply (self, FALSE);
}

static void
on_status_changed_cb (HesSecurityPage *self,
                      GParamSpec      *pspec,
                      HesKeyCeremony  *ceremony)
{
  show_prompt (self, hes_key_ceremony_get_status (ceremony));
}

static void
run_ceremony (HesSecurityPage *self)
{
  g_autofree char *pin = NULL;

  if (gtk_widget_get_visible (self->pin_group))
    pin = g_strdup (_hes_security_text (self->pin_row));
  g_signal_connect_object (self->ceremony, "notify::status", G_CALLBACK (on_status_changed_cb),
                           self, G_CONNECT_SWAPPED);
  hes_key_ceremony_run_async (self->ceremony, pin, self->apply_cancellable, on_key_done_cb,
                              g_object_ref (self));
  show_prompt (self, hes_key_ceremony_get_status (self->ceremony));
  if (pin != NULL)
    explicit_bzero (pin, strlen (pin));
}

static void
on_options_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  HesMailcowFactors *factors = HES_MAILCOW_FACTORS (source);
  HesMailcowClient *client = hes_mailcow_factors_get_client (factors);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autofree char *origin = NULL;

  options = hes_mailcow_factors_get_key_options_finish (factors, result, &error);
  if (options == NULL) {
    show_prompt (self, NULL);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  origin = hes_webauthn_origin_from_url (hes_mailcow_client_get_base_url (client));
  self->ceremony = hes_key_ceremony_new (options, origin,
                                         passwordless (self) ? HES_FIDO2_PURPOSE_PASSWORDLESS
                                                             : HES_FIDO2_PURPOSE_SECOND_FACTOR);
  run_ceremony (self);
}

void
_hes_security_page_apply_key (HesSecurityPage *self)
{
  if (self->ceremony != NULL) {
    run_ceremony (self);
    return;
  }
  show_prompt (self, _("Asking the server to prepare the registration…"));
  hes_mailcow_factors_get_key_options_async (_hes_security_page_get_factors (self),
                                             passwordless (self) ? HES_MAILCOW_FACTOR_PASSKEY
                                                                 : HES_MAILCOW_FACTOR_SECOND_FACTOR,
                                             self->apply_cancellable, on_options_cb,
                                             g_object_ref (self));
}

static void
on_pin_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->new_pin_group, TRUE);
  if (!hes_fido2_session_set_pin_finish (HES_FIDO2_SESSION (source), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, hes_key_ceremony_explain (error));
    return;
  }

  /* The new PIN is the one to use now. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), _hes_security_text (self->new_pin_row));
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_pin_row), "");
  gtk_widget_set_visible (self->pin_group, TRUE);
  gtk_widget_set_visible (self->new_pin_group, FALSE);
  {
    g_autofree char *forward = hes_page_dup_forward_words (HES_PAGE (self));
    g_autofree char *status = g_strdup_printf (_("The PIN is set. Press “%s”, then touch your "
                                                 "key."), forward);

    _hes_security_page_show_status (self, status);
  }
  gtk_widget_grab_focus (self->pin_row);
  _hes_security_page_update_complete (self);
}

void
_hes_security_page_set_pin (HesSecurityPage *self)
{
  const char *pin = _hes_security_text (self->new_pin_row);
  HesFido2Session *session = self->ceremony ? hes_key_ceremony_get_session (self->ceremony) : NULL;

  if (g_utf8_strlen (pin, -1) < 4 || strlen (pin) > 63) {
    _hes_security_page_show_error (self, _("A PIN needs 4 to 63 characters."));
    _hes_security_page_set_invalid (self->new_pin_row, TRUE);
    return;
  }
  if (strcmp (pin, _hes_security_text (self->confirm_pin_row)) != 0) {
    _hes_security_page_show_error (self, _("The two PINs are not the same: type the same PIN "
                                           "twice."));
    _hes_security_page_set_invalid (self->confirm_pin_row, TRUE);
    return;
  }
  if (session == NULL)
    return;

  /* Park the focus before the fields go insensitive: GTK 4.8 does not tell a text field
   * that lost the focus that way. It comes back in the PIN field. */
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    if (focus != NULL && gtk_widget_is_ancestor (focus, self->new_pin_group))
      gtk_root_set_focus (root, NULL);
  }
  gtk_widget_set_sensitive (self->new_pin_group, FALSE);
  g_cancellable_cancel (self->pin_cancellable);
  g_clear_object (&self->pin_cancellable);
  self->pin_cancellable = g_cancellable_new ();
  hes_fido2_session_set_pin_async (session, pin, NULL, self->pin_cancellable, on_pin_set_cb,
                                   g_object_ref (self));
}
