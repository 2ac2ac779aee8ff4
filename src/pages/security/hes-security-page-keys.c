/* hes-security-page-keys.c: registering a security key, as second factor
 * (webauthn-tfa-registration, with the account password) or, for domain administrators, for
 * passwordless sign-in (fido2-registration with a resident key and the PIN, then named with
 * edit/fido2-fn). mailcow can answer success without storing anything (a wrong password), so
 * the key counts as registered only once the role page lists it (mailcow-api.md §8). */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-parse.h"
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

/* After the key: what the server says, then what its page lists. */
typedef struct {
  HesSecurityPage *page;
  char *name;
  char *cid;          /* passwordless: hex SHA-256 of the credential id */
  guint tfa_before;   /* second factors listed before */
} Registered;

static void
registered_free (Registered *data)
{
  g_object_unref (data->page);
  g_free (data->name);
  g_free (data->cid);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Registered, registered_free)

static gboolean
registration_listed (Registered *data)
{
  HesSecurityPage *self = data->page;

  if (data->cid == NULL)
    return _hes_security_page_count_keys (self, HES_SECURITY_KEY_SECOND_FACTOR) > data->tfa_before;
  for (guint i = 0; i < self->keys->len; i++) {
    HesSecurityKey *key = g_ptr_array_index (self->keys, i);

    if (key->kind == HES_SECURITY_KEY_PASSWORDLESS && g_ascii_strcasecmp (key->id, data->cid) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
on_check_page_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Registered) data = user_data;
  HesSecurityPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  show_prompt (self, NULL);
  if (html == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  _hes_security_page_take_page (self, html);
  forget_ceremony (self);
  if (registration_listed (data)) {
    gtk_editable_set_text (GTK_EDITABLE (self->key_password_row), "");
    _hes_security_page_done (self, data->cid != NULL
      ? _("Your key is registered. You can now sign in with it and its PIN, without your "
          "password.")
      : _("Your security key is registered. When you sign in, touch it after typing your "
          "password."), NULL);
  } else if (data->cid == NULL) {
    _hes_security_page_show_error (self, _("The server did not register the key. Check your "
                                           "account password and try again."));
    _hes_security_page_set_invalid (self->key_password_row, TRUE);
  } else {
    _hes_security_page_show_error (self, _("The server did not register the key. Try again; "
                                           "if it fails again, contact your provider."));
  }
  _hes_security_page_end_apply (self, FALSE);
}

static void
check_listed (Registered *data)
{
  HesSecurityPage *self = data->page;

  hes_mailcow_client_fetch_page_async (_hes_security_page_get_client (self),
                                       _hes_security_page_role_path (self),
                                       self->apply_cancellable, on_check_page_cb, data);
}

/* mailcow answers these posts with {"success":…}, which is no list of entries: the client
 * may call that malformed. Either way the page's list decides. */
static gboolean
post_failed (HesSecurityPage *self,
             Registered      *data,
             const GError    *error)
{
  if (error == NULL || g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED))
    return FALSE;
  show_prompt (self, NULL);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _hes_security_page_show_error (self, error->message);
  forget_ceremony (self);
  _hes_security_page_end_apply (self, FALSE);
  return TRUE;
}

static void
on_named_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Registered) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  /* The key works without a name: only a cancellation stops here. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    post_failed (data->page, data, error);
    return;
  }
  check_listed (g_steal_pointer (&data));
}

static void
on_posted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Registered) data = user_data;
  HesSecurityPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (post_failed (self, data, error))
    return;
  if (data->cid == NULL) {
    check_listed (g_steal_pointer (&data));
    return;
  }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attr");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fido2_cid");
  json_builder_add_string_value (builder, data->cid);
  json_builder_set_member_name (builder, "fido2_fn");
  json_builder_add_string_value (builder, data->name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  hes_mailcow_client_api_post_async (HES_MAILCOW_CLIENT (source), "edit/fido2-fn", body,
                                     self->apply_cancellable, on_named_cb,
                                     g_steal_pointer (&data));
}

static void
post_registration (HesSecurityPage      *self,
                   HesFido2Registration *registration)
{
  Registered *data = g_new0 (Registered, 1);
  g_autoptr(JsonNode) body = NULL;
  const char *path;

  data->page = g_object_ref (self);
  data->name = g_strstrip (g_strdup (_hes_security_text (self->key_name_row)));
  data->tfa_before = _hes_security_page_count_keys (self, HES_SECURITY_KEY_SECOND_FACTOR);
  if (passwordless (self)) {
    gsize len;
    const guint8 *id = g_bytes_get_data (registration->credential_id, &len);

    data->cid = g_compute_checksum_for_data (G_CHECKSUM_SHA256, id, len);
    body = hes_webauthn_build_registration_body (registration->client_data_json,
                                                 registration->attestation_object);
    path = "add/fido2-registration";
  } else {
    body = hes_webauthn_build_tfa_registration_body (registration->client_data_json,
                                                     registration->attestation_object,
                                                     data->name,
                                                     _hes_security_text (self->key_password_row));
    path = "add/webauthn-tfa-registration";
  }
  show_prompt (self, _("Saving your key on the server…"));
  hes_mailcow_client_api_post_async (_hes_security_page_get_client (self), path, body,
                                     self->apply_cancellable, on_posted_cb, data);
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
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hes_mailcow_client_api_get_finish (client, result, &error);
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autofree char *origin = NULL;

  if (answer != NULL)
    options = hes_webauthn_options_parse (answer, HES_WEBAUTHN_CREATE,
                                          hes_mailcow_client_get_host (client), &error);
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
  hes_mailcow_client_api_get_async (_hes_security_page_get_client (self),
                                    passwordless (self) ? "get/fido2-registration"
                                                        : "get/webauthn-tfa-registration",
                                    self->apply_cancellable, on_options_cb, g_object_ref (self));
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
