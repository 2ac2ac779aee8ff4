/* hes-signin-page-factors.c: the sign-in page's second-factor step: the account's factors and
 * the code from an authenticator app. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-signin-page-private.h"

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
code_is_valid (const char *code)
{
  if (strlen (code) != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++) {
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  }
  return TRUE;
}

char *
_hes_signin_page_dup_code (HesSigninPage *self)
{
  g_autofree char *code = dup_typed_code (self);

  return code_is_valid (code) ? g_steal_pointer (&code) : NULL;
}

static void
on_factor_toggled_cb (HesSigninPage  *self,
                      GtkCheckButton *check)
{
  if (!gtk_check_button_get_active (check))
    return;

  g_free (self->factor_id);
  self->factor_id = g_strdup (g_object_get_data (G_OBJECT (check), "factor-id"));
  _hes_signin_page_update_complete (self);
}

static GtkWidget *
factor_row_new (HesSigninPage         *self,
                const HesSecondFactor *factor,
                GtkCheckButton       **group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (factor->id != NULL)
    gtk_widget_set_name (row, factor->id);

  if (factor->method != HES_SECOND_FACTOR_TOTP) {
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   factor->name && *factor->name ? factor->name : _("Security key"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 factor->method == HES_SECOND_FACTOR_WEBAUTHN
                                 ? _("Security key: not available yet in this version.")
                                 : _("YubiKey code: not available yet in this version."));
    gtk_widget_set_sensitive (row, FALSE);
    return row;
  }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 factor->name && *factor->name ? factor->name
                                                               : _("Authenticator app"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Authenticator app: a 6-digit code"));
  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  g_object_set_data_full (G_OBJECT (check), "factor-id", g_strdup (factor->id), g_free);
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
  GtkCheckButton *group = NULL;
  GtkWidget *child;
  guint n_codes = 0;

  while ((child = gtk_widget_get_first_child (self->factors_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->factors_list), child);
  g_clear_pointer (&self->factor_id, g_free);

  for (guint i = 0; factors != NULL && i < factors->len; i++) {
    const HesSecondFactor *factor = g_ptr_array_index (factors, i);

    gtk_list_box_append (GTK_LIST_BOX (self->factors_list),
                         factor_row_new (self, factor, &group));
    n_codes += factor->method == HES_SECOND_FACTOR_TOTP;
  }

  /* The first code-based factor is the likely one: select it. With only one, there is
   * nothing to choose, so no lone check box either. */
  if (group != NULL) {
    gtk_check_button_set_active (group, TRUE);
    if (n_codes == 1) {
      GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (group), ADW_TYPE_ACTION_ROW);

      gtk_widget_set_visible (GTK_WIDGET (group), FALSE);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), NULL);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  }
  gtk_widget_set_visible (self->code_group, group != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
}
