/* hes-move-domain-removal.c: step 6 of a domain move: removing the sync jobs only when it is
 * safe (or after an explicit confirmation that names what could be lost). */
#define G_LOG_DOMAIN "hes-move-domain-removal"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-move-domain-page-private.h"

void
_hes_move_domain_removal_show (HesMoveDomainPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  guint hours = hes_provider_profile_get_keep_sync_jobs_hours (hes_session_get_profile (session));
  gint64 safe_from = hes_domain_migration_get_switch_time (self->migration) + hours * 3600;
  g_autofree char *when = _hes_move_domain_format_time (safe_from);
  g_autofree char *text = NULL;

  /* Translators: %1$u is a number of hours (24), %2$s a date and time. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Once every mail has gone through Hosterra Email for %1$u "
                                       "hour, the synchronisations are no longer needed. It is "
                                       "safe from %2$s, if their last runs worked.",
                                       "Once every mail has gone through Hosterra Email for %1$u "
                                       "hours, the synchronisations are no longer needed. It is "
                                       "safe from %2$s, if their last runs worked.", hours),
                          hours, when);
  gtk_label_set_text (GTK_LABEL (self->removal_label), text);
  gtk_widget_set_visible (self->removal_status, FALSE);
}

static void
on_removed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  removed = hes_domain_migration_remove_sync_jobs_finish (HES_DOMAIN_MIGRATION (object), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  if (!removed) {
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_step_done (self);
}

static void
remove_jobs (HesMoveDomainPage *self,
             gboolean           confirmed)
{
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_remove_sync_jobs_async (self->migration,
                                               _hes_move_domain_page_get_manager (self),
                                               confirmed, self->cancellable, on_removed_cb,
                                               g_object_ref (self));
}

static void
on_unsafe_response_cb (AdwMessageDialog  *dialog,
                       const char        *response,
                       HesMoveDomainPage *self)
{
  if (g_strcmp0 (response, "remove") == 0)
    remove_jobs (self, TRUE);
}

static void
ask_before_removing (HesMoveDomainPage *self,
                     const char        *why)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Mail Could Be Lost"), why);
  gtk_widget_set_name (dialog, "unsafe_removal_dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep the Synchronisations"),
                                    "remove", _("_Remove Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsafe_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_removal_checked_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  gboolean safe;

  safe = hes_domain_migration_check_removal_finish (HES_DOMAIN_MIGRATION (object), result, &why,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  if (error != NULL) {
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  if (safe) {
    remove_jobs (self, FALSE);
    return;
  }
  gtk_label_set_text (GTK_LABEL (self->removal_status), why);
  gtk_widget_set_visible (self->removal_status, TRUE);
  ask_before_removing (self, why);
}

/* Step 6: removed at once when safe; otherwise the customer must read why and confirm. */
static void
domain_remove_jobs (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_show_error (self, NULL);
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_check_removal_async (self->migration,
                                            _hes_move_domain_page_get_manager (self),
                                            self->cancellable, on_removal_checked_cb,
                                            g_object_ref (self));
}

void
_hes_move_domain_removal_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "domain.remove-jobs", NULL, domain_remove_jobs);
}
