/* hes-move-domain-dns.c: steps 3 and 4 of a domain move, checked by the DNS checker.
 *
 * Step 3: "Check now" checks the domain's record plan (built as the DNS task builds it, with
 * the domain's DKIM record from the server); the step is done only when the MX record and
 * every required record are right, otherwise the records still to fix are listed, with the
 * way to the DNS task. There is no "take my word for it": a wrong MX sends new mail where the
 * sync jobs may not copy it from, and the switch time of step 4 starts the 24 hours after
 * which step 6 removes the jobs.
 * Step 4: while the view is shown, the MX record is checked at the domain's own servers and
 * at this computer's resolver, again and again with back-off (sooner when the resolver's TTL
 * says when the change arrives); once it is visible here, the switch is recorded. */
#define G_LOG_DOMAIN "hes-move-domain-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-plan-source.h"
#include "hes-migration-fields.h"
#include "hes-move-domain-page-private.h"
#include "hes-tasks.h"
#include "pages/dns/hes-dns-result-row.h"
#include "pages/dns/hes-dns-rows.h"

/* Step 4's back-off, in units of the first delay (30 s): 30 s, 1, 2, 5 min, then every 5. */
static const guint switch_delays[] = { 1, 2, 4, 10 };
#define SWITCH_MAX_UNITS 10

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

void
_hes_move_domain_dns_reset (HesMoveDomainPage *self)
{
  _hes_move_domain_dns_stop (self);
  g_clear_object (&self->plan);
}

void
_hes_move_domain_dns_stop (HesMoveDomainPage *self)
{
  g_cancellable_cancel (self->dns_cancellable);
  g_clear_object (&self->dns_cancellable);
  g_clear_handle_id (&self->switch_timeout_id, g_source_remove);
  self->switch_checking = FALSE;
  self->after_plan = NULL;
  if (self->dns_checking) {
    self->dns_checking = FALSE;
    _hes_move_domain_page_set_busy (self, FALSE);
  }
}

static GCancellable *
dns_cancellable (HesMoveDomainPage *self)
{
  if (self->dns_cancellable == NULL)
    self->dns_cancellable = g_cancellable_new ();
  return self->dns_cancellable;
}

/* The record plan, then @next; the plan is read once per domain. */

static void
plan_failed (HesMoveDomainPage *self,
             const GError      *error)
{
  self->after_plan = NULL;
  self->switch_checking = FALSE;
  if (self->dns_checking) {
    self->dns_checking = FALSE;
    _hes_move_domain_page_set_busy (self, FALSE);
  }
  _hes_move_domain_page_show_error (self, error);
}

static void
on_plan_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesDnsRecordPlan *plan = hes_dns_plan_source_load_finish (result, NULL, &error);
  void (*next) (HesMoveDomainPage *self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (plan == NULL) {
    plan_failed (self, error);
    return;
  }
  g_clear_object (&self->plan);
  self->plan = plan;
  next = self->after_plan;
  self->after_plan = NULL;
  if (next != NULL)
    next (self);
}

static void
with_plan (HesMoveDomainPage *self,
           void             (*next) (HesMoveDomainPage *self))
{
  HesMailcowClient *client = _hes_migration_get_client (HES_PAGE (self));

  if (self->plan != NULL) {
    next (self);
    return;
  }
  if (client == NULL || self->mail_host == NULL) {
    plan_failed (self, NULL);   /* signed out: nothing to check with */
    return;
  }
  self->after_plan = next;
  hes_dns_plan_source_load_async (client, hes_domain_migration_get_domain (self->migration),
                                  self->mail_host, dns_cancellable (self), on_plan_cb,
                                  g_object_ref (self));
}

/* Step 3. */

void
_hes_move_domain_dns_show (HesMoveDomainPage *self)
{
  /* The DNS task is offered only where it exists (each task registers its pages). */
  gtk_widget_set_visible (self->open_dns_button, hes_tasks_get_factory ("dns") != NULL);
  gtk_widget_set_visible (self->dns_status, FALSE);
  gtk_widget_set_visible (self->dns_results_group, FALSE);
  clear_list (self->dns_results_list);
}

static void
show_records_to_fix (HesMoveDomainPage *self,
                     HesDnsCheckReport *report)
{
  g_autofree char *summary = hes_dns_check_report_get_summary (report);
  guint shown = 0;

  clear_list (self->dns_results_list);
  gtk_label_set_text (GTK_LABEL (self->dns_status), summary);
  gtk_widget_set_visible (self->dns_status, TRUE);
  for (guint i = 0; i < report->results->len; i++) {
    HesDnsRecordResult *result = g_ptr_array_index (report->results, i);
    HesDnsVerdict verdict = result->finding->verdict;
    GtkWidget *row;

    if (!result->record->required || verdict == HES_DNS_VERDICT_OK
        || verdict == HES_DNS_VERDICT_PENDING)
      continue;
    row = hes_dns_result_row_new (result->record);
    gtk_widget_set_name (row, result->record->id);
    hes_dns_result_row_set_result (HES_DNS_RESULT_ROW (row), result);
    gtk_list_box_append (GTK_LIST_BOX (self->dns_results_list), row);
    shown++;
  }
  gtk_widget_set_visible (self->dns_results_group, shown > 0);
}

static void
on_dns_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  gboolean done;

  done = hes_domain_migration_check_dns_finish (HES_DOMAIN_MIGRATION (object), result, &report,
                                                &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->dns_checking = FALSE;
  _hes_move_domain_page_set_busy (self, FALSE);
  if (done) {
    _hes_move_domain_page_step_done (self);
    return;
  }
  if (report != NULL)
    show_records_to_fix (self, report);
  else
    gtk_widget_set_visible (self->dns_status, FALSE);
  _hes_move_domain_page_show_error (self, error);
}

static void
run_dns_check (HesMoveDomainPage *self)
{
  g_autoptr(HesDnsChecker) checker = _hes_move_domain_page_new_checker ();

  hes_domain_migration_check_dns_async (self->migration, checker, self->plan,
                                        dns_cancellable (self), on_dns_checked_cb,
                                        g_object_ref (self));
}

static void
domain_check_dns (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_show_error (self, NULL);
  gtk_label_set_text (GTK_LABEL (self->dns_status), _("Checking your DNS records…"));
  gtk_widget_set_visible (self->dns_status, TRUE);
  self->dns_checking = TRUE;
  _hes_move_domain_page_set_busy (self, TRUE);
  with_plan (self, run_dns_check);
}

static void
domain_open_dns (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.open-task", "s", "dns");
}

/* Step 4. */

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
  gtk_label_set_text (GTK_LABEL (self->switch_status), "");
  gtk_widget_set_visible (self->next_check_label, FALSE);
  clear_list (self->switch_list);
  gtk_widget_set_visible (self->switch_list, FALSE);
}

static void switch_check (HesMoveDomainPage *self);

static gboolean
on_switch_timeout_cb (gpointer user_data)
{
  HesMoveDomainPage *self = user_data;

  self->switch_timeout_id = 0;
  switch_check (self);
  return G_SOURCE_REMOVE;
}

/* Back-off, but just after the resolver's cached answer expires when that is sooner. */
static guint
next_delay_ms (HesMoveDomainPage  *self,
               HesMigrationSwitch  state,
               HesDnsRecordResult *mx)
{
  guint unit = _hes_move_domain_page_dns_delay_ms ();
  guint delay = unit * switch_delays[MIN (self->switch_attempt, G_N_ELEMENTS (switch_delays) - 1)];

  self->switch_attempt++;
  if (state == HES_MIGRATION_SWITCH_PENDING && mx != NULL && mx->finding->visible_in_s >= 0) {
    guint64 expires_ms = (guint64) mx->finding->visible_in_s * 1000 + 2000;

    delay = (guint) CLAMP (expires_ms, unit, (guint64) unit * SWITCH_MAX_UNITS);
  }
  return delay;
}

static void
plan_next_check (HesMoveDomainPage  *self,
                 HesMigrationSwitch  state,
                 HesDnsRecordResult *mx)
{
  guint delay = next_delay_ms (self, state, mx);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) at = g_date_time_add (now, (GTimeSpan) delay * 1000);
  /* Translators: a time of day, see g_date_time_format(). */
  g_autofree char *time = g_date_time_format (at, _("%H:%M:%S"));
  /* Translators: %s is a time of day. */
  g_autofree char *text = g_strdup_printf (_("Next check at %s."), time);

  gtk_label_set_text (GTK_LABEL (self->next_check_label), text);
  gtk_widget_set_visible (self->next_check_label, TRUE);
  self->switch_timeout_id = g_timeout_add (delay, on_switch_timeout_cb, self);
}

static char *
switch_sentence (HesMigrationSwitch  state,
                 HesDnsRecordResult *mx)
{
  guint minutes;

  switch (state) {
  case HES_MIGRATION_SWITCH_NOT_MADE:
    return g_strdup (_("Your domain’s own DNS servers still send its mail elsewhere: correct "
                       "the MX record at your DNS host. Meanwhile the synchronisations keep "
                       "copying what the old provider receives."));
  case HES_MIGRATION_SWITCH_PENDING:
    if (mx == NULL || mx->finding->visible_in_s < 0)
      return g_strdup (_("Your domain’s DNS servers already send its mail to Hosterra Email, "
                         "but this computer still sees the old server. Until the switch is "
                         "visible, the synchronisations keep copying what the old provider "
                         "receives."));
    minutes = MAX (1, (guint) ((mx->finding->visible_in_s + 59) / 60));
    /* Translators: %u is a number of minutes. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your domain’s DNS servers already send its mail to "
                                         "Hosterra Email; this computer should see the switch "
                                         "within %u minute. Until then, the synchronisations "
                                         "keep copying what the old provider receives.",
                                         "Your domain’s DNS servers already send its mail to "
                                         "Hosterra Email; this computer should see the switch "
                                         "within %u minutes. Until then, the synchronisations "
                                         "keep copying what the old provider receives.",
                                         minutes), minutes);
  case HES_MIGRATION_SWITCH_VISIBLE:
    return g_strdup (_("The switch is visible: new mail now arrives at Hosterra Email."));
  case HES_MIGRATION_SWITCH_UNKNOWN:
  default:
    return g_strdup (_("Where your domain’s mail goes could not be checked just now: the app "
                       "tries again by itself."));
  }
}

static void
show_switch (HesMoveDomainPage  *self,
             HesMigrationSwitch  state,
             HesDnsRecordResult *mx)
{
  g_autofree char *sentence = switch_sentence (state, mx);

  gtk_label_set_text (GTK_LABEL (self->switch_status), sentence);
  clear_list (self->switch_list);
  if (mx != NULL) {
    GtkWidget *row = hes_dns_result_row_new (mx->record);

    gtk_widget_set_name (row, "mx");
    hes_dns_result_row_set_result (HES_DNS_RESULT_ROW (row), mx);
    gtk_list_box_append (GTK_LIST_BOX (self->switch_list), row);
  }
  gtk_widget_set_visible (self->switch_list, mx != NULL);
}

static void
on_switch_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordResult) mx = NULL;
  HesMigrationSwitch state;

  state = hes_domain_migration_check_switch_finish (HES_DOMAIN_MIGRATION (object), result, &mx,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->switch_checking = FALSE;
  _hes_move_domain_page_show_error (self, error);
  show_switch (self, state, mx);
  if (state == HES_MIGRATION_SWITCH_VISIBLE) {
    _hes_move_domain_page_step_done (self);
    return;
  }
  plan_next_check (self, state, mx);
}

static void
run_switch_check (HesMoveDomainPage *self)
{
  g_autoptr(HesDnsChecker) checker = _hes_move_domain_page_new_checker ();

  hes_domain_migration_check_switch_async (self->migration, checker, self->plan,
                                           _hes_move_domain_page_get_manager (self),
                                           dns_cancellable (self), on_switch_checked_cb,
                                           g_object_ref (self));
}

static void
switch_check (HesMoveDomainPage *self)
{
  if (self->switch_checking || self->migration == NULL)
    return;
  g_clear_handle_id (&self->switch_timeout_id, g_source_remove);
  self->switch_checking = TRUE;
  gtk_label_set_text (GTK_LABEL (self->next_check_label), _("Checking where your domain’s mail "
                                                            "goes…"));
  gtk_widget_set_visible (self->next_check_label, TRUE);
  with_plan (self, run_switch_check);
}

void
_hes_move_domain_switch_watch (HesMoveDomainPage *self)
{
  self->switch_attempt = 0;
  switch_check (self);
}

static void
domain_check_switch (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_show_error (self, NULL);
  switch_check (self);
}

void
_hes_move_domain_dns_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "domain.open-dns", NULL, domain_open_dns);
  gtk_widget_class_install_action (widget_class, "domain.check-dns", NULL, domain_check_dns);
  gtk_widget_class_install_action (widget_class, "domain.check-switch", NULL,
                                   domain_check_switch);
}
