/* hes-move-domain-programs.c: step 5 of a domain move: the settings mail programs need, each
 * with a copy button, and the check that automatic setup gives them. */
#define G_LOG_DOMAIN "hes-move-domain-programs"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-migration-error.h"
#include "hes-move-domain-page-private.h"

static void
on_copy_clicked_cb (GtkButton  *button,
                    const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static void
free_text (gpointer  data,
           GClosure *closure)
{
  g_free (data);
}

static void
add_setting (HesMoveDomainPage *self,
             const char        *name,
             const char        *title,
             const char        *value,
             const char        *copy)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: %s names a setting, such as "Incoming mail (IMAP)". */
  g_autofree char *label = g_strdup_printf (_("Copy: %s"), title);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_copy_clicked_cb), g_strdup (copy),
                         free_text, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_list_box_append (GTK_LIST_BOX (self->settings_list), row);
}

void
_hes_move_domain_programs_show (HesMoveDomainPage *self)
{
  g_autoptr(HesMailSettings) settings = hes_domain_migration_get_mail_settings (self->migration);
  g_autofree char *imap = NULL, *smtp = NULL, *smtp_starttls = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->settings_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->settings_list), child);
  /* Translators: %1$s is a server name, %2$u a port. */
  imap = g_strdup_printf (_("%1$s, port %2$u, SSL/TLS"), settings->host, settings->imap_port);
  smtp = g_strdup_printf (_("%1$s, port %2$u, SSL/TLS"), settings->host, settings->smtp_port);
  /* Translators: %1$s is a server name, %2$u a port. */
  smtp_starttls = g_strdup_printf (_("%1$s, port %2$u, STARTTLS"), settings->host,
                                   settings->smtp_starttls_port);
  add_setting (self, "imap", _("Incoming mail (IMAP)"), imap, settings->host);
  add_setting (self, "smtp", _("Outgoing mail (SMTP)"), smtp, settings->host);
  add_setting (self, "smtp-starttls", _("Outgoing mail, if port 465 is blocked"), smtp_starttls,
               settings->host);
  add_setting (self, "dav", _("Calendars and contacts (CalDAV, CardDAV)"), settings->dav_url,
               settings->dav_url);
  add_setting (self, "user", _("User name"), _("The full e-mail address"), "");
  gtk_widget_set_visible (self->programs_label, FALSE);
  gtk_widget_set_visible (self->programs_by_hand_button, FALSE);
}

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesAutoconfigResult) found = NULL;

  found = hes_domain_migration_check_mail_programs_finish (HES_DOMAIN_MIGRATION (object), result,
                                                           &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  if (found != NULL) {
    _hes_move_domain_page_step_done (self);
    return;
  }
  if (g_error_matches (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_AUTOCONFIG)) {
    /* Not an error of the app: the customer may set the programs up by hand instead. */
    /* Translators: %s is a sentence saying what automatic setup got wrong. */
    g_autofree char *text = g_strdup_printf (_("%s If your programs work with the settings "
                                               "above, say so."), error->message);

    gtk_label_set_text (GTK_LABEL (self->programs_label), text);
    gtk_widget_set_visible (self->programs_label, TRUE);
    gtk_widget_set_visible (self->programs_by_hand_button, TRUE);
    return;
  }
  _hes_move_domain_page_show_error (self, error);
}

static void
check_programs (HesMoveDomainPage *self,
                gboolean           confirmed)
{
  _hes_move_domain_page_show_error (self, NULL);
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_check_mail_programs_async (self->migration, confirmed, self->cancellable,
                                                  on_checked_cb, g_object_ref (self));
}

static void
domain_check_programs (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  check_programs (HES_MOVE_DOMAIN_PAGE (widget), FALSE);
}

static void
domain_programs_by_hand (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  check_programs (HES_MOVE_DOMAIN_PAGE (widget), TRUE);
}

void
_hes_move_domain_programs_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "domain.check-programs", NULL,
                                   domain_check_programs);
  gtk_widget_class_install_action (widget_class, "domain.programs-by-hand", NULL,
                                   domain_programs_by_hand);
}
