/* hes-security-page-otp.c: adding an authenticator app (TOTP) or a YubiKey one-time password
 * as second factor, through mailcow's set_tfa form (mailcow-api.md §8).
 *
 * mailcow checks the first TOTP code against the secret the form posts and stores that
 * secret: so the app makes the secret, shows it, and checks the code locally first. */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-parse.h"
#include "hes-qr-view.h"
#include "hes-secure-mem.h"
#include "hes-security-page-private.h"
#include "hes-totp.h"

#define YUBI_OTP_LENGTH 44
#define MODHEX "cbdefghijklnrtuv"

void
_hes_security_page_stop_totp (HesSecurityPage *self)
{
  if (self->totp_base32 != NULL)
    hes_secure_free_string (g_steal_pointer (&self->totp_base32));
  g_clear_pointer (&self->totp_secret, g_bytes_unref);
  if (self->qr_view != NULL)
    hes_qr_view_set_text (HES_QR_VIEW (self->qr_view), NULL, NULL);
  if (self->secret_label != NULL)
    gtk_label_set_text (GTK_LABEL (self->secret_label), "");
}

static const char *
issuer (HesSecurityPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  HesProviderProfile *profile = session ? hes_session_get_profile (session) : NULL;

  return profile ? hes_provider_profile_get_name (profile) : "mailcow";
}

void
_hes_security_page_start_totp (HesSecurityPage *self)
{
  HesMailcowClient *client = _hes_security_page_get_client (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSecureString) uri = NULL;
  g_autoptr(HesSecureString) grouped = NULL;
  gsize len;
  const guint8 *data;

  _hes_security_page_stop_totp (self);
  self->totp_secret = hes_totp_generate_secret (HES_TOTP_DEFAULT_SECRET_BITS, &error);
  if (self->totp_secret == NULL) {
    _hes_security_page_show_error (self, error->message);
    return;
  }
  data = g_bytes_get_data (self->totp_secret, &len);
  self->totp_base32 = hes_base32_encode (data, len, FALSE);
  grouped = hes_totp_format_grouped (self->totp_base32);
  uri = hes_totp_build_uri (issuer (self),
                            client ? hes_mailcow_client_get_username (client) : "",
                            self->totp_base32);
  if (!hes_qr_view_set_text (HES_QR_VIEW (self->qr_view), uri, &error))
    _hes_security_page_show_error (self, error->message);
  gtk_label_set_text (GTK_LABEL (self->secret_label), grouped);

  if (_hes_security_text (self->totp_name_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->totp_name_row), _("Authenticator app"));
  gtk_editable_set_text (GTK_EDITABLE (self->totp_code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->totp_password_row), "");
}

/* The code without the spaces people type when they copy "123 456". */
static char *
dup_digits (GtkWidget *row)
{
  g_autoptr(GString) code = g_string_new (NULL);

  for (const char *p = _hes_security_text (row); *p != '\0'; p++) {
    if (!g_ascii_isspace (*p))
      g_string_append_c (code, *p);
  }
  return g_string_free (g_steal_pointer (&code), FALSE);
}

static gboolean
has_text (GtkWidget *row)
{
  g_autofree char *text = g_strstrip (g_strdup (_hes_security_text (row)));

  return text[0] != '\0';
}

gboolean
_hes_security_page_totp_complete (HesSecurityPage *self)
{
  g_autofree char *code = dup_digits (self->totp_code_row);

  return self->totp_secret != NULL && strlen (code) == 6 && strspn (code, "0123456789") == 6
         && has_text (self->totp_name_row) && _hes_security_text (self->totp_password_row)[0];
}

gboolean
_hes_security_page_yubico_complete (HesSecurityPage *self)
{
  g_autofree char *otp = dup_digits (self->yubico_otp_row);

  return has_text (self->yubico_id_row) && has_text (self->yubico_key_row)
         && has_text (self->yubico_name_row) && _hes_security_text (self->yubico_password_row)[0]
         && strlen (otp) == YUBI_OTP_LENGTH && strspn (otp, MODHEX) == YUBI_OTP_LENGTH;
}

/* One set_tfa post: fetch the role page for a fresh token, post, read the alerts. */
typedef struct {
  HesSecurityPage *page;
  GStrv fields;        /* name, value, …; holds the password: wiped when freed */
  char *key_name;
  gboolean yubico;
} SetTfaData;

static void
set_tfa_data_free (SetTfaData *data)
{
  for (guint i = 0; data->fields != NULL && data->fields[i] != NULL; i++)
    explicit_bzero (data->fields[i], strlen (data->fields[i]));
  g_strfreev (data->fields);
  g_free (data->key_name);
  g_object_unref (data->page);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetTfaData, set_tfa_data_free)

static gboolean
key_listed (HesSecurityPage *self,
            const char      *name)
{
  for (guint i = 0; i < self->keys->len; i++) {
    HesSecurityKey *key = g_ptr_array_index (self->keys, i);

    if (key->kind == HES_SECURITY_KEY_SECOND_FACTOR && g_strcmp0 (key->name, name) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
report_refusal (SetTfaData *data,
                GPtrArray  *alerts)
{
  HesSecurityPage *self = data->page;
  GtkWidget *password_row = data->yubico ? self->yubico_password_row : self->totp_password_row;
  GtkWidget *code_row = data->yubico ? self->yubico_otp_row : self->totp_code_row;

  if (hes_mailcow_alerts_find (alerts, "danger", "Access denied") != NULL) {
    _hes_security_page_show_error (self, _("The password is not right. Type the password of "
                                           "your account and try again."));
    _hes_security_page_set_invalid (password_row, TRUE);
  } else if (hes_mailcow_alerts_find (alerts, "danger", "TOTP verification failed") != NULL) {
    _hes_security_page_show_error (self, _("The server did not accept the code. Wait for the "
                                           "next code in your app and type it."));
    _hes_security_page_set_invalid (code_row, TRUE);
  } else if (hes_mailcow_alerts_find (alerts, "danger", "Yubico OTP verification failed")) {
    _hes_security_page_show_error (self, _("YubiCloud did not accept this one-time password. "
                                           "Check the API client ID and secret key, then touch "
                                           "the key again."));
    _hes_security_page_set_invalid (code_row, TRUE);
  } else if (hes_mailcow_alerts_find (alerts, "danger", "Form token invalid") != NULL) {
    _hes_security_page_show_error (self, _("The server asked to confirm the change again. "
                                           "Press Next once more."));
  } else {
    _hes_security_page_show_error (self, _("The server did not save the change. Try again in "
                                           "a moment."));
  }
}

static void
on_tfa_posted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SetTfaData) data = user_data;
  HesSecurityPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  html = hes_mailcow_client_post_form_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  alerts = hes_mailcow_alerts_parse (html);
  _hes_security_page_take_page (self, html);
  /* The answer page lists the keys: trust the list, not only the alert. */
  if (hes_mailcow_alerts_find (alerts, "success", "") != NULL && key_listed (self, data->key_name)) {
    gtk_editable_set_text (GTK_EDITABLE (data->yubico ? self->yubico_password_row
                                                      : self->totp_password_row), "");
    _hes_security_page_done (self, data->yubico
      ? _("Your YubiKey is set up. When you sign in, touch it after typing your password.")
      : _("Your authenticator app is set up. When you sign in, type the code it shows after "
          "your password."), NULL);
  } else {
    report_refusal (data, alerts);
  }
  _hes_security_page_end_apply (self, FALSE);
}

static void
on_tfa_page_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SetTfaData) data = user_data;
  HesSecurityPage *self = data->page;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = hes_mailcow_client_fetch_page_finish (client, result, &error);
  g_autofree char *token = html ? hes_mailcow_html_csrf_token (html) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv fields;

  if (token == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error ? error->message
                                     : _("The server’s page could not be read. Try again later."));
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  g_strv_builder_addv (builder, (const char **) data->fields);
  g_strv_builder_add (builder, "csrf_token");
  g_strv_builder_add (builder, token);
  fields = g_strv_builder_end (builder);
  g_strfreev (data->fields);
  data->fields = fields;
  hes_mailcow_client_post_form_async (client, _hes_security_page_role_path (self),
                                      (const char * const *) fields,
                                      self->apply_cancellable, on_tfa_posted_cb,
                                      g_steal_pointer (&data));
}

static void
post_set_tfa (HesSecurityPage *self,
              GStrv            fields,
              const char      *key_name,
              gboolean         yubico)
{
  SetTfaData *data = g_new0 (SetTfaData, 1);

  data->page = g_object_ref (self);
  data->fields = fields;
  data->key_name = g_strdup (key_name);
  data->yubico = yubico;
  hes_mailcow_client_fetch_page_async (_hes_security_page_get_client (self),
                                       _hes_security_page_role_path (self),
                                       self->apply_cancellable, on_tfa_page_cb, data);
}

void
_hes_security_page_apply_totp (HesSecurityPage *self)
{
  g_autofree char *code = dup_digits (self->totp_code_row);
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->totp_name_row)));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* A wrong code never reaches the server (and never counts as a failed attempt there). */
  if (!hes_totp_check_code (self->totp_secret, code, g_get_real_time () / G_USEC_PER_SEC)) {
    _hes_security_page_show_error (self, _("This code does not match. Check that you scanned "
                                           "the code above and that your phone’s clock is "
                                           "right, then type the code your app shows now."));
    _hes_security_page_set_invalid (self->totp_code_row, TRUE);
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  g_strv_builder_add_many (builder, "set_tfa", "", "tfa_method", "totp", "key_id", name,
                           "confirm_password", _hes_security_text (self->totp_password_row),
                           "totp_secret", self->totp_base32, "totp_confirm_token", code, NULL);
  post_set_tfa (self, g_strv_builder_end (builder), name, FALSE);
}

void
_hes_security_page_apply_yubico (HesSecurityPage *self)
{
  g_autofree char *otp = dup_digits (self->yubico_otp_row);
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->yubico_name_row)));
  g_autofree char *id = g_strstrip (g_strdup (_hes_security_text (self->yubico_id_row)));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add_many (builder, "set_tfa", "", "tfa_method", "yubi_otp", "key_id", name,
                           "yubico_id", id,
                           "yubico_key", _hes_security_text (self->yubico_key_row),
                           "otp_token", otp,
                           "confirm_password", _hes_security_text (self->yubico_password_row),
                           NULL);
  post_set_tfa (self, g_strv_builder_end (builder), name, TRUE);
}
