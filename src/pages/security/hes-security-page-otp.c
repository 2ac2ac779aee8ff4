/* hes-security-page-otp.c: adding an authenticator app (TOTP) or a YubiKey one-time password
 * as second factor (HesMailcowFactors does the talking).
 *
 * The server checks the first TOTP code against the secret sent with it and stores that
 * secret: so the app makes the secret, shows it, and checks the code locally first. */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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
  g_clear_pointer (&self->totp_key, g_bytes_unref);
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
  self->totp_key = hes_totp_generate_secret (HES_TOTP_DEFAULT_SECRET_BITS, &error);
  if (self->totp_key == NULL) {
    _hes_security_page_show_error (self, error->message);
    return;
  }
  data = g_bytes_get_data (self->totp_key, &len);
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

  return self->totp_key != NULL && strlen (code) == 6 && strspn (code, "0123456789") == 6
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

/* One addition: the factor counts as set up only once the server lists it. */
typedef struct {
  HesSecurityPage *page;
  gboolean yubico;
} AddData;

static void
on_tfa_added_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AddData *data = user_data;
  g_autoptr(HesSecurityPage) self = data->page;
  gboolean yubico = data->yubico;
  GtkWidget *password_row = yubico ? self->yubico_password_row : self->totp_password_row;
  GtkWidget *code_row = yubico ? self->yubico_otp_row : self->totp_code_row;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) factors = NULL;

  g_free (data);
  factors = hes_mailcow_factors_finish (HES_MAILCOW_FACTORS (source), result, NULL, &error);
  if (factors != NULL) {
    gtk_editable_set_text (GTK_EDITABLE (password_row), "");
    _hes_security_page_done (self, yubico
      ? _("Your YubiKey is set up. When you sign in, touch it after typing your password.")
      : _("Your authenticator app is set up. When you sign in, type the code it shows after "
          "your password."), factors);
  } else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    _hes_security_page_show_error (self, error->message);
    if (g_error_matches (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD))
      _hes_security_page_set_invalid (password_row, TRUE);
    else if (g_error_matches (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_CODE)
             || g_error_matches (error, HES_MAILCOW_FACTORS_ERROR,
                                 HES_MAILCOW_FACTORS_ERROR_OTP_NOT_VERIFIED))
      _hes_security_page_set_invalid (code_row, TRUE);
  }
  _hes_security_page_end_apply (self, FALSE);
}

static AddData *
add_data_new (HesSecurityPage *self,
              gboolean         yubico)
{
  AddData *data = g_new0 (AddData, 1);

  data->page = g_object_ref (self);
  data->yubico = yubico;
  return data;
}

void
_hes_security_page_apply_totp (HesSecurityPage *self)
{
  g_autofree char *code = dup_digits (self->totp_code_row);
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->totp_name_row)));

  /* A wrong code never reaches the server (and never counts as a failed attempt there). */
  if (!hes_totp_check_code (self->totp_key, code, g_get_real_time () / G_USEC_PER_SEC)) {
    _hes_security_page_show_error (self, _("This code does not match. Check that you scanned "
                                           "the code above and that your phone’s clock is "
                                           "right, then type the code your app shows now."));
    _hes_security_page_set_invalid (self->totp_code_row, TRUE);
    _hes_security_page_end_apply (self, FALSE);
    return;
  }

  hes_mailcow_factors_add_totp_async (_hes_security_page_get_factors (self), name,
                                      self->totp_base32, code,
                                      _hes_security_text (self->totp_password_row),
                                      self->apply_cancellable, on_tfa_added_cb,
                                      add_data_new (self, FALSE));
}

void
_hes_security_page_apply_yubico (HesSecurityPage *self)
{
  g_autofree char *otp = dup_digits (self->yubico_otp_row);
  g_autofree char *name = g_strstrip (g_strdup (_hes_security_text (self->yubico_name_row)));
  g_autofree char *id = g_strstrip (g_strdup (_hes_security_text (self->yubico_id_row)));

  hes_mailcow_factors_add_yubi_otp_async (_hes_security_page_get_factors (self), name, id,
                                          _hes_security_text (self->yubico_key_row), otp,
                                          _hes_security_text (self->yubico_password_row),
                                          self->apply_cancellable, on_tfa_added_cb,
                                          add_data_new (self, TRUE));
}
