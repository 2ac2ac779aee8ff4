/* hes-security-page-list.c: what protects the account now, read from the role's page
 * (mailcow lists second factors and FIDO2 keys only there), and removing one with the form
 * the page offers (unset_tfa_key / unset_fido2_key with a fresh CSRF token). */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-mailcow-parse.h"
#include "hes-security-page-private.h"

guint
_hes_security_page_count_keys (HesSecurityPage    *self,
                               HesSecurityKeyKind  kind)
{
  guint n = 0;

  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    n += ((HesSecurityKey *) g_ptr_array_index (self->keys, i))->kind == kind;
  return n;
}

static void on_remove_clicked_cb (HesSecurityPage *self, GtkButton *button);

static GtkWidget *
key_row_new (HesSecurityPage      *self,
             const HesSecurityKey *key)
{
  gboolean fido2 = key->kind == HES_SECURITY_KEY_PASSWORDLESS;
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
  g_object_set_data_full (G_OBJECT (button), "key-id", g_strdup (key->id), g_free);
  g_object_set_data (G_OBJECT (button), "fido2", GINT_TO_POINTER (fido2));
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
_hes_security_page_take_page (HesSecurityPage *self,
                              const char      *html)
{
  g_autofree char *token = hes_mailcow_html_csrf_token (html);

  g_clear_pointer (&self->keys, g_ptr_array_unref);
  self->keys = hes_security_keys_parse (html);
  if (token != NULL) {
    g_free (self->csrf_token);
    self->csrf_token = g_steal_pointer (&token);
  }
  _hes_security_page_populate_keys (self);
}

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HesSecurityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    return;
  }
  _hes_security_page_take_page (self, html);
}

void
_hes_security_page_refresh (HesSecurityPage *self)
{
  HesMailcowClient *client = _hes_security_page_get_client (self);

  if (client == NULL)
    return;
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  hes_mailcow_client_fetch_page_async (client, _hes_security_page_role_path (self),
                                       self->list_cancellable, on_page_loaded_cb,
                                       g_object_ref (self));
}

/* Removing: a fresh page first (mailcow's CSRF token changes after every checked post). */
typedef struct {
  HesSecurityPage *page;
  char *id;
  gboolean fido2;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_object_unref (data->page);
  g_free (data->id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoveData, remove_data_free)

static void
on_removed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RemoveData) data = user_data;
  HesSecurityPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  gtk_widget_set_sensitive (self->keys_list, TRUE);
  html = hes_mailcow_client_post_form_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error->message);
    return;
  }

  _hes_security_page_take_page (self, html);
  alerts = hes_mailcow_alerts_parse (html);
  if (hes_mailcow_alerts_find (alerts, "danger", "Last key") != NULL)
    _hes_security_page_show_error (self,
      _("This is the last second factor of your account, and the server does not remove the "
        "last one. Add another way to confirm it’s you first, then remove this one."));
  else if (hes_mailcow_alerts_find (alerts, "success", "") != NULL)
    _hes_security_page_show_status (self, _("Removed. It can no longer be used to sign in to your account."));
  else
    _hes_security_page_show_error (self,
      _("The server did not remove it. Reload the page and try again."));
}

static void
on_remove_page_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RemoveData) data = user_data;
  HesSecurityPage *self = data->page;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = hes_mailcow_client_fetch_page_finish (client, result, &error);
  g_autofree char *token = NULL;
  const char *fields[5];

  if (html == NULL || (token = hes_mailcow_html_csrf_token (html)) == NULL) {
    gtk_widget_set_sensitive (self->keys_list, TRUE);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _hes_security_page_show_error (self, error ? error->message
                                     : _("The server’s page could not be read. Try again later."));
    return;
  }

  fields[0] = data->fido2 ? "unset_fido2_key" : "unset_tfa_key";
  fields[1] = data->id;
  fields[2] = "csrf_token";
  fields[3] = token;
  fields[4] = NULL;
  hes_mailcow_client_post_form_async (client, _hes_security_page_role_path (self), fields,
                                      self->list_cancellable, on_removed_cb,
                                      g_steal_pointer (&data));
}

static void
on_remove_clicked_cb (HesSecurityPage *self,
                      GtkButton       *button)
{
  HesMailcowClient *client = _hes_security_page_get_client (self);
  RemoveData *data;

  if (client == NULL)
    return;
  _hes_security_page_clear_messages (self);
  data = g_new0 (RemoveData, 1);
  data->page = g_object_ref (self);
  data->id = g_strdup (g_object_get_data (G_OBJECT (button), "key-id"));
  data->fido2 = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "fido2"));

  gtk_widget_set_sensitive (self->keys_list, FALSE);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  hes_mailcow_client_fetch_page_async (client, _hes_security_page_role_path (self),
                                       self->list_cancellable, on_remove_page_cb, data);
}

