/* hes-signin-page-factors.c: the sign-in page's second-factor step: the account's factors, and
 * the code from an authenticator app or the one-time password a YubiKey types. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-signin-page-private.h"

/* A YubiKey types 44 modhex characters: its 12-character public id, then 32 of OTP. */
#define YUBI_OTP_LENGTH 44
#define MODHEX "cbdefghijklnrtuv"

/* The code without the spaces people type when they copy "123 456". */
static char *
dup_typed_code (HesSigninPage *self)
{
  g_autoptr(GString) code = g_string_new (NULL);

  for (const char *p = _hes_signin_field_text (self->code_row); *p != '\0'; p++) {
    if (!g_ascii_isspace (*p))
      g_string_append_c (code, *p);
  }

  return g_string_free (g_steal_pointer (&code), FALSE);
}

static gboolean
code_is_valid (HesSecondFactorMethod  method,
               const char            *code)
{
  if (method == HES_SECOND_FACTOR_YUBI_OTP)
    return strlen (code) == YUBI_OTP_LENGTH && strspn (code, MODHEX) == YUBI_OTP_LENGTH;

  return strlen (code) == 6 && strspn (code, "0123456789") == 6;
}

char *
_hes_signin_page_dup_code (HesSigninPage *self)
{
  g_autofree char *code = NULL;

  if (self->factor == NULL)
    return NULL;

  code = dup_typed_code (self);
  return code_is_valid (self->factor->method, code) ? g_steal_pointer (&code) : NULL;
}

/* The code field asks for what the chosen factor gives. */
static void
update_code_row (HesSigninPage *self)
{
  gboolean yubikey = self->factor != NULL && self->factor->method == HES_SECOND_FACTOR_YUBI_OTP;
  gboolean key = self->factor != NULL && self->factor->method == HES_SECOND_FACTOR_WEBAUTHN;

  /* A security key needs no typing: the page says to touch it. */
  gtk_widget_set_visible (self->code_group, self->factor != NULL && !key);
  gtk_widget_set_visible (self->key_prompt_label, key);
  gtk_label_set_text (GTK_LABEL (self->key_prompt_label),
                      _("Plug in your security key, press Verify, then touch the key."));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->code_row),
                                 yubikey ? _("The key’s _one-time code")
                                         : _("_Code from your authenticator app"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (self->code_group),
    yubikey ? _("Plug in your YubiKey, click in the field below and touch the key: it types its "
                "one-time code.")
            : _("Open your authenticator app and type the 6-digit code it shows "
                "for this account."));
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
}

static void
on_factor_toggled_cb (HesSigninPage  *self,
                      GtkCheckButton *check)
{
  if (!gtk_check_button_get_active (check))
    return;

  g_clear_pointer (&self->factor, hes_second_factor_free);
  self->factor = hes_second_factor_copy (g_object_get_data (G_OBJECT (check), "factor"));
  update_code_row (self);
  _hes_signin_page_update_complete (self);
}

static const char *
factor_kind (HesSecondFactorMethod method)
{
  switch (method) {
  case HES_SECOND_FACTOR_TOTP:
    return _("Authenticator app: a 6-digit code");
  case HES_SECOND_FACTOR_YUBI_OTP:
    return _("YubiKey: touch the key to type its one-time code");
  case HES_SECOND_FACTOR_WEBAUTHN:
  default:
    return _("Security key: touch the key");
  }
}

static const char *
factor_default_name (HesSecondFactorMethod method)
{
  switch (method) {
  case HES_SECOND_FACTOR_TOTP:
    return _("Authenticator app");
  case HES_SECOND_FACTOR_YUBI_OTP:
    return _("YubiKey");
  case HES_SECOND_FACTOR_WEBAUTHN:
  default:
    return _("Security key");
  }
}

static GtkWidget *
factor_row_new (HesSigninPage         *self,
                const HesSecondFactor *factor,
                GtkCheckButton       **group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 factor->name && *factor->name
                                 ? factor->name : factor_default_name (factor->method));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), factor_kind (factor->method));
  if (factor->id != NULL)
    gtk_widget_set_name (row, factor->id);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  g_object_set_data_full (G_OBJECT (check), "factor", hes_second_factor_copy (factor),
                          (GDestroyNotify) hes_second_factor_free);
  if (*group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), *group);
  else
    *group = GTK_CHECK_BUTTON (check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_factor_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  return row;
}

void
_hes_signin_page_populate_factors (HesSigninPage *self)
{
  GPtrArray *factors = hes_mailcow_client_get_pending_factors (self->client);
  g_autoptr(HesSecondFactor) previous = g_steal_pointer (&self->factor);
  GtkCheckButton *group = NULL;
  GtkCheckButton *chosen = NULL;
  GtkWidget *child;
  guint n_usable = 0;

  while ((child = gtk_widget_get_first_child (self->factors_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->factors_list), child);

  for (guint i = 0; factors != NULL && i < factors->len; i++) {
    const HesSecondFactor *factor = g_ptr_array_index (factors, i);

    GtkWidget *row = factor_row_new (self, factor, &group);

    gtk_list_box_append (GTK_LIST_BOX (self->factors_list), row);
    n_usable++;
    /* After a wrong code the sign-in starts again: the customer keeps the factor they chose. */
    if (previous != NULL && factor->method == previous->method
        && g_strcmp0 (factor->id, previous->id) == 0)
      chosen = GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
  }

  /* Else the first usable factor is the likely one. With only one, there is nothing to
   * choose, so no lone check box either. */
  if (group != NULL) {
    gtk_check_button_set_active (chosen != NULL ? chosen : group, TRUE);
    if (n_usable == 1) {
      GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (group), ADW_TYPE_ACTION_ROW);

      gtk_widget_set_visible (GTK_WIDGET (group), FALSE);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), NULL);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  }
  update_code_row (self);
}
