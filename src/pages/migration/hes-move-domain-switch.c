/* hes-move-domain-switch.c: steps 3, 4 and 6 of a domain move: the DNS records, the switch
 * becoming visible, and removing the sync jobs only when it is safe (or after an explicit
 * confirmation that names what could be lost). */
#define G_LOG_DOMAIN "hes-move-domain-switch"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-move-domain-page-private.h"
#include "hes-tasks.h"

/* The DNS task is offered only where it exists (each task registers its pages). */
void
_hes_move_domain_dns_show (HesMoveDomainPage *self)
{
  gtk_widget_set_visible (self->open_dns_button, hes_tasks_get_factory ("dns") != NULL);
}

void
_hes_move_domain_propagation_show (HesMoveDomainPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  guint hours = hes_provider_profile_get_propagation_hours (hes_session_get_profile (session));
  g_autofree char *text = NULL;

  /* Translators: %u is a number of hours (24). */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The change of your DNS takes time to reach everyone, up "
                                       "to %u hour. Meanwhile your old provider still receives "
                                       "some mail: the synchronisations keep copying it, so "
                                       "leave them on.",
                                       "The change of your DNS takes time to reach everyone, up "
                                       "to %u hours. Meanwhile your old provider still receives "
                                       "some mail: the synchronisations keep copying it, so "
                                       "leave them on.", hours), hours);
  gtk_label_set_text (GTK_LABEL (self->propagation_label), text);
}

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

/* Step 3: the DNS task checks the records; this version takes the customer's word for it. */
static void
domain_open_dns (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.open-task", "s", "dns");
}

static void
domain_dns_done (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);
  HesDnsSummary summary = { TRUE, 0, 0, 0 };
  g_autoptr(GError) error = NULL;

  if (!hes_domain_migration_report_dns (self->migration, &summary, &error)) {
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_step_done (self);
}

static void
on_propagation_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_domain_migration_report_propagation_finish (HES_DOMAIN_MIGRATION (object), result,
                                                       &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    _hes_move_domain_page_set_busy (self, FALSE);
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_set_busy (self, FALSE);
  _hes_move_domain_page_step_done (self);
}

/* Step 4: the switch is recorded now, with each job's last run (for the 24 h rule). */
static void
domain_propagation_done (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_report_propagation_async (self->migration,
                                                 _hes_move_domain_page_get_manager (self),
                                                 TRUE, TRUE, self->cancellable,
                                                 on_propagation_cb, g_object_ref (self));
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
_hes_move_domain_switch_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "domain.open-dns", NULL, domain_open_dns);
  gtk_widget_class_install_action (widget_class, "domain.dns-done", NULL, domain_dns_done);
  gtk_widget_class_install_action (widget_class, "domain.propagation-done", NULL,
                                   domain_propagation_done);
  gtk_widget_class_install_action (widget_class, "domain.remove-jobs", NULL, domain_remove_jobs);
}
