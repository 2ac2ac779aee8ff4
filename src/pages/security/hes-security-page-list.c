/* hes-security-page-list.c: what protects the account now, as the server stores it, and
 * removing one method after the customer confirmed it. */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-security-page-private.h"

guint
_hes_security_page_count_keys (HesSecurityPage    *self,
                               HesMailcowFactorKind kind)
{
  guint n = 0;

  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    n += ((HesMailcowFactor *) g_ptr_array_index (self->keys, i))->kind == kind;
  return n;
}

static void on_remove_clicked_cb (HesSecurityPage *self, GtkButton *button);

static GtkWidget *
key_row_new (HesSecurityPage        *self,
             const HesMailcowFactor *key)
{
  gboolean fido2 = key->kind == HES_MAILCOW_FACTOR_PASSKEY;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Remove"));
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  name = g_strdup (key->name && *key->name ? key->name
                   : fido2 ? _("Unnamed security key") : _("Unnamed second factor"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               fido2 ? _("Passwordless sign-in with a security key")
                                     : _("Second factor, asked after your password"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (fido2 ? "dialog-password-symbolic"
                                                                 : "security-high-symbolic"));
  {
    g_autofree char *row_name = g_strdup_printf ("%s-%s", fido2 ? "fido2" : "tfa", key->id);
    gtk_widget_set_name (row, row_name);
  }

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a button; %s is the name of a key. */
  label = g_strdup_printf (_("Remove “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "factor", hes_mailcow_factor_copy (key),
                          (GDestroyNotify) hes_mailcow_factor_free);
  g_object_set_data_full (G_OBJECT (button), "factor-name", g_strdup (name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

void
_hes_security_page_populate_keys (HesSecurityPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->keys_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->keys_list), child);

  for (guint i = 0; i < self->keys->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->keys_list),
                         key_row_new (self, g_ptr_array_index (self->keys, i)));

  if (self->keys->len == 0) {
    GtkWidget *row = adw_action_row_new ();

    gtk_widget_set_name (row, "empty");
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   _("Only your password protects your account now."));
    gtk_list_box_append (GTK_LIST_BOX (self->keys_list), row);
  }
}

void
_hes_security_page_take_factors (HesSecurityPage *self,
                                 GPtrArray       *factors)
{
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  self->keys = g_ptr_array_ref (factors);
  _hes_security_page_populate_keys (self);
}

static void
on_listed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) factors = NULL;

  factors = hes_mailcow_factors_finish (HES_MAILCOW_FACTORS (source), result, NULL, &error);
  if (factors == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    return;
  }
  _hes_security_page_take_factors (self, factors);
}

static void
restart_list_cancellable (HesSecurityPage *self)
{
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
}

void
_hes_security_page_refresh (HesSecurityPage *self)
{
  HesMailcowFactors *factors = _hes_security_page_get_factors (self);

  if (factors == NULL)
    return;
  restart_list_cancellable (self);
  hes_mailcow_factors_list_async (factors, self->list_cancellable, on_listed_cb,
                                  g_object_ref (self));
}

static void
on_removed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) factors = NULL;

  gtk_widget_set_sensitive (self->keys_list, TRUE);
  factors = hes_mailcow_factors_finish (HES_MAILCOW_FACTORS (source), result, NULL, &error);
  if (factors == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    return;
  }
  _hes_security_page_take_factors (self, factors);
  _hes_security_page_show_status (self, _("Removed. It can no longer be used to sign in to your account."));
}

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       HesSecurityPage  *self)
{
  HesMailcowFactor *factor = g_object_get_data (G_OBJECT (dialog), "factor");
  HesMailcowFactors *factors = _hes_security_page_get_factors (self);

  if (g_strcmp0 (response, "remove") != 0 || factors == NULL)
    return;
  gtk_widget_set_sensitive (self->keys_list, FALSE);
  restart_list_cancellable (self);
  hes_mailcow_factors_remove_async (factors, factor, self->list_cancellable, on_removed_cb,
                                    g_object_ref (self));
}

/* Removing cannot be undone (a passkey must be registered again with the key at hand), so the
 * customer confirms it first. */
static void
on_remove_clicked_cb (HesSecurityPage *self,
                      GtkButton       *button)
{
  HesMailcowFactor *factor = g_object_get_data (G_OBJECT (button), "factor");
  const char *name = g_object_get_data (G_OBJECT (button), "factor-name");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  _hes_security_page_clear_messages (self);
  /* Translators: the title of a confirmation; %s is the name of a key or authenticator app. */
  heading = g_strdup_printf (_("Remove “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog, factor->kind == HES_MAILCOW_FACTOR_PASSKEY
    ? _("You will no longer be able to sign in with this key. To use it again, you will have "
        "to register it again.")
    : _("It will no longer be asked for when you sign in. To use it again, you will have to "
        "set it up again."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "factor", hes_mailcow_factor_copy (factor),
                          (GDestroyNotify) hes_mailcow_factor_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
