/* hes-domain-migration-dns.c: steps 3 and 4 of a domain move, checked with the DNS checker.
 *
 * Step 3 is done only when the checker finds the MX record and every required record ok or
 * pending: nothing the customer says replaces that, since a wrong MX sends new mail somewhere
 * the sync jobs may not copy from. Step 4 reads the MX record's verdict: pending means right
 * at the domain's own servers but not yet at this computer's resolver; ok means visible here,
 * and only then is the switch recorded (the 24 hours of step 6 count from it). */
#define G_LOG_DOMAIN "hes-domain-migration"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-domain-migration-private.h"
#include "hes-migration-error.h"

static gboolean
verdict_right (HesDnsVerdict verdict)
{
  return verdict == HES_DNS_VERDICT_OK || verdict == HES_DNS_VERDICT_PENDING;
}

HesDnsRecordResult *
hes_dns_report_find_mx (const HesDnsCheckReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  for (guint i = 0; i < report->results->len; i++) {
    HesDnsRecordResult *result = g_ptr_array_index (report->results, i);

    if (result->record->type == HES_DNS_TYPE_MX)
      return result;
  }
  return NULL;
}

void
hes_dns_summary_from_report (const HesDnsCheckReport *report,
                             HesDnsSummary           *summary)
{
  HesDnsRecordResult *mx;

  g_return_if_fail (report != NULL && summary != NULL);
  mx = hes_dns_report_find_mx (report);
  *summary = (HesDnsSummary) {
    .required_ok = hes_dns_check_report_is_ok (report),
    .mx_ok = mx != NULL && verdict_right (mx->finding->verdict),
  };
  for (guint i = 0; i < report->results->len; i++) {
    HesDnsRecordResult *result = g_ptr_array_index (report->results, i);

    if (!result->record->required)
      continue;
    switch (result->finding->verdict) {
    case HES_DNS_VERDICT_WRONG:
      summary->wrong++;
      break;
    case HES_DNS_VERDICT_MISSING:
      summary->missing++;
      break;
    case HES_DNS_VERDICT_UNKNOWN:
      summary->unknown++;
      break;
    case HES_DNS_VERDICT_OK:
    case HES_DNS_VERDICT_PENDING:
    default:
      break;
    }
  }
}

/* Step 3. */

static void
on_dns_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  HesDnsCheckReport *report;
  HesDnsSummary summary;

  report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &error);
  if (report == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  g_task_set_task_data (task, report, (GDestroyNotify) hes_dns_check_report_unref);
  hes_dns_summary_from_report (report, &summary);
  if (!hes_domain_migration_report_dns (self, &summary, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
plan_matches (HesDomainMigration *self,
              HesDnsRecordPlan   *plan,
              GTask              *task)
{
  if (g_strcmp0 (hes_dns_record_plan_get_domain (plan), self->domain) == 0)
    return TRUE;
  g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                           /* Translators: %s is a domain name. */
                           _("These DNS records are not the ones of %s: choose the domain "
                             "again."), self->domain);
  return FALSE;
}

void
hes_domain_migration_check_dns_async (HesDomainMigration *self,
                                      HesDnsChecker      *checker,
                                      HesDnsRecordPlan   *plan,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (HES_IS_DNS_CHECKER (checker));
  g_return_if_fail (HES_IS_DNS_RECORD_PLAN (plan));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_domain_migration_check_dns_async);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_DNS_RECORDS, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (!plan_matches (self, plan, task))
    return;
  hes_dns_checker_check_async (checker, plan, cancellable, on_dns_checked_cb,
                               g_steal_pointer (&task));
}

gboolean
hes_domain_migration_check_dns_finish (HesDomainMigration *self,
                                       GAsyncResult       *result,
                                       HesDnsCheckReport **report,
                                       GError            **error)
{
  HesDnsCheckReport *found;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  found = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = found ? hes_dns_check_report_ref (found) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Step 4. */

typedef struct {
  HesSyncJobManager  *manager;
  HesDnsRecordResult *mx;
} SwitchData;

static void
switch_data_free (SwitchData *data)
{
  g_clear_object (&data->manager);
  g_clear_pointer (&data->mx, hes_dns_record_result_unref);
  g_free (data);
}

static void
on_switch_recorded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_domain_migration_report_propagation_finish (HES_DOMAIN_MIGRATION (source), result,
                                                       &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, HES_MIGRATION_SWITCH_VISIBLE);
}

static void
on_switch_checked_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  SwitchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;

  report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &error);
  if (report == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  data->mx = hes_dns_report_find_mx (report);
  if (data->mx == NULL) {
    g_task_return_int (task, HES_MIGRATION_SWITCH_UNKNOWN);
    return;
  }
  hes_dns_record_result_ref (data->mx);
  switch (data->mx->finding->verdict) {
  case HES_DNS_VERDICT_OK:
    hes_domain_migration_report_propagation_async (self, data->manager, TRUE, TRUE,
                                                   g_task_get_cancellable (task),
                                                   on_switch_recorded_cb, g_object_ref (task));
    return;
  case HES_DNS_VERDICT_PENDING:
    g_task_return_int (task, HES_MIGRATION_SWITCH_PENDING);
    return;
  case HES_DNS_VERDICT_MISSING:
  case HES_DNS_VERDICT_WRONG:
    g_task_return_int (task, HES_MIGRATION_SWITCH_NOT_MADE);
    return;
  case HES_DNS_VERDICT_UNKNOWN:
  default:
    g_task_return_int (task, HES_MIGRATION_SWITCH_UNKNOWN);
    return;
  }
}

void
hes_domain_migration_check_switch_async (HesDomainMigration *self,
                                         HesDnsChecker      *checker,
                                         HesDnsRecordPlan   *plan,
                                         HesSyncJobManager  *manager,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SwitchData *data;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (HES_IS_DNS_CHECKER (checker));
  g_return_if_fail (HES_IS_DNS_RECORD_PLAN (plan));
  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (manager));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_domain_migration_check_switch_async);
  data = g_new0 (SwitchData, 1);
  data->manager = g_object_ref (manager);
  g_task_set_task_data (task, data, (GDestroyNotify) switch_data_free);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_PROPAGATION, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (!plan_matches (self, plan, task))
    return;
  hes_dns_checker_check_async (checker, plan, cancellable, on_switch_checked_cb,
                               g_steal_pointer (&task));
}

HesMigrationSwitch
hes_domain_migration_check_switch_finish (HesDomainMigration  *self,
                                          GAsyncResult        *result,
                                          HesDnsRecordResult **mx,
                                          GError             **error)
{
  SwitchData *data;
  gssize state;

  g_return_val_if_fail (g_task_is_valid (result, self), HES_MIGRATION_SWITCH_UNKNOWN);
  data = g_task_get_task_data (G_TASK (result));
  if (mx != NULL)
    *mx = data->mx ? hes_dns_record_result_ref (data->mx) : NULL;
  state = g_task_propagate_int (G_TASK (result), error);
  return state < 0 ? HES_MIGRATION_SWITCH_UNKNOWN : (HesMigrationSwitch) state;
}
