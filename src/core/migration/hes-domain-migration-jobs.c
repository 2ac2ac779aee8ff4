/* hes-domain-migration-jobs.c: the steps that touch sync jobs: 2 (simulate, then live),
 * 4 (noting each job's last run at the switch) and 6 (removing them when it is safe). */
#define G_LOG_DOMAIN "hes-domain-migration-jobs"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-domain-migration-private.h"
#include "hes-migration-error.h"

/* Polling every recorded job: mailbox → HesSyncJob as the server has it now. */

typedef struct {
  HesSyncJobManager *manager;
  GHashTable        *found;   /* mailbox → HesSyncJob */
  guint              next;    /* index in self->mailboxes */
  /* What to do with the result, and its parameters. */
  void             (*then) (GTask *task, GHashTable *found);
  gboolean           flag_a;
  gboolean           flag_b;
  char              *mailbox;
  GPtrArray         *to_delete;  /* HesMigrationJob being removed, step 6 */
} JobsData;

static void
jobs_data_free (JobsData *data)
{
  g_clear_object (&data->manager);
  g_clear_pointer (&data->found, g_hash_table_unref);
  g_free (data->mailbox);
  g_clear_pointer (&data->to_delete, g_ptr_array_unref);
  g_free (data);
}

static GTask *
jobs_task (HesDomainMigration *self, HesSyncJobManager *manager, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  JobsData *data = g_new0 (JobsData, 1);

  g_task_set_source_tag (task, tag);
  data->manager = g_object_ref (manager);
  data->found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) hes_sync_job_free);
  g_task_set_task_data (task, data, (GDestroyNotify) jobs_data_free);
  return task;
}

static void poll_next (GTask *task);

static void
polled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  const char *mailbox = self->mailboxes[data->next];
  HesMigrationJob *record = _hes_domain_migration_job (self, mailbox, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = hes_sync_job_manager_list_finish (data->manager, result, &error);

  if (jobs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      HesSyncJob *job = g_ptr_array_index (jobs, i);

      if (job->id == record->id)
        g_hash_table_insert (data->found, g_strdup (mailbox), hes_sync_job_copy (job));
    }
  data->next++;
  poll_next (task);
}

/* One request for every job of the domain, whatever the number of mailboxes. */
static void
all_polled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = hes_sync_job_manager_list_finish (data->manager, result, &error);

  if (jobs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      HesSyncJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *mailbox = job->mailbox ? g_ascii_strdown (job->mailbox, -1) : NULL;
      HesMigrationJob *record = mailbox ? _hes_domain_migration_job (self, mailbox, FALSE) : NULL;

      if (record && record->id > 0 && job->id == record->id &&
          record->phase != HES_MIGRATION_JOB_REMOVED)
        g_hash_table_insert (data->found, g_steal_pointer (&mailbox), hes_sync_job_copy (job));
    }
  data->then (task, data->found);
}

static gboolean
any_recorded_job (HesDomainMigration *self)
{
  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);

      if (record && record->id > 0 && record->phase != HES_MIGRATION_JOB_REMOVED)
        return TRUE;
    }
  return FALSE;
}

static void
poll_next (GTask *task)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);

  for (; self->mailboxes[data->next]; data->next++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[data->next], FALSE);

      if (record && record->id > 0 && record->phase != HES_MIGRATION_JOB_REMOVED)
        {
          hes_sync_job_manager_list_async (data->manager, self->mailboxes[data->next],
                                           g_task_get_cancellable (task), polled, task);
          return;
        }
    }
  data->then (task, data->found);
}

static void
poll_all (GTask *task, void (*then) (GTask *task, GHashTable *found))
{
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);

  data->next = 0;
  data->then = then;
  if (_hes_domain_migration_lists_all_jobs (data->manager) && any_recorded_job (self))
    hes_sync_job_manager_list_async (data->manager, "all", g_task_get_cancellable (task),
                                     all_polled, task);
  else
    poll_next (task);
}

static void
return_saved (GTask *task, gboolean ok, GError *error)
{
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, ok);
  g_object_unref (task);
}

static void
return_error (GTask *task, GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
is_planned (HesDomainMigration *self, const char *mailbox)
{
  g_autofree char *lower = g_ascii_strdown (mailbox, -1);

  return g_strv_contains ((const char * const *) self->mailboxes, lower);
}

/* Step 2: start one simulation. */

static void
job_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = hes_sync_job_manager_create_finish (data->manager, result, &error);
  HesMigrationJob *record;

  if (job == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  record = _hes_domain_migration_job (self, data->mailbox, TRUE);
  record->id = job->id;
  g_free (record->host);
  record->host = g_strdup (job->host);
  g_free (record->user);
  record->user = g_strdup (job->user);
  record->phase = HES_MIGRATION_JOB_SIMULATING;
  record->removed_outside = FALSE;
  if (!_hes_domain_migration_save (self, &error))
    return_error (task, g_steal_pointer (&error));
  else
    {
      g_task_return_pointer (task, g_steal_pointer (&job), (GDestroyNotify) hes_sync_job_free);
      g_object_unref (task);
    }
}

void
hes_domain_migration_start_sync_job_async (HesDomainMigration *self, HesSyncJobManager *manager,
                                           const HesSyncJobSpec *spec, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  JobsData *data;
  GError *error = NULL;
  HesMigrationJob *record;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (spec != NULL && spec->mailbox != NULL);

  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_start_sync_job_async);
  data = g_task_get_task_data (task);
  data->mailbox = g_ascii_strdown (spec->mailbox, -1);
  record = _hes_domain_migration_job (self, data->mailbox, FALSE);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_SYNC_JOBS, &error))
    return_error (task, error);
  else if (!is_planned (self, data->mailbox))
    return_error (task, g_error_new (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                                     /* Translators: %s is an e-mail address. */
                                     _("%s is not one of the mailboxes of this migration."),
                                     spec->mailbox));
  else if (record && record->phase >= HES_MIGRATION_JOB_LIVE)
    return_error (task, g_error_new (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                                     /* Translators: %s is an e-mail address. */
                                     _("The messages of %s are already being copied for real: "
                                       "its synchronisation is left as it is."), spec->mailbox));
  else if (record == NULL || record->id == 0)
    /* The last reading showed no job for this mailbox: add at once; one made meanwhile
     * elsewhere is found and updated, never duplicated. */
    hes_sync_job_manager_add_async (manager, spec, cancellable, job_created, task);
  else
    hes_sync_job_manager_create_async (manager, spec, cancellable, job_created, task);
}

HesSyncJob *
hes_domain_migration_start_sync_job_finish (HesDomainMigration *self, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

HesMigrationJobPhase
hes_domain_migration_get_job_phase (HesDomainMigration *self, const char *mailbox)
{
  HesMigrationJob *record;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), HES_MIGRATION_JOB_NONE);
  record = _hes_domain_migration_job (self, mailbox, FALSE);
  return record ? record->phase : HES_MIGRATION_JOB_NONE;
}

gint64
hes_domain_migration_get_job_id (HesDomainMigration *self, const char *mailbox)
{
  HesMigrationJob *record;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), 0);
  record = _hes_domain_migration_job (self, mailbox, FALSE);
  return record ? record->id : 0;
}

/* Step 2: what the jobs are doing; a finished simulation moves its mailbox on. */

static gboolean
update_phases (HesDomainMigration *self, GHashTable *found)
{
  gboolean changed = FALSE;

  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);
      HesSyncJob *job = g_hash_table_lookup (found, self->mailboxes[i]);

      if (record == NULL || record->phase == HES_MIGRATION_JOB_REMOVED ||
          record->phase == HES_MIGRATION_JOB_NONE)
        continue;
      if (job == NULL)
        {
          /* Removed outside the app: this mailbox needs a new job. */
          record->phase = HES_MIGRATION_JOB_NONE;
          record->id = 0;
          record->removed_outside = TRUE;
          changed = TRUE;
        }
      else if (record->phase == HES_MIGRATION_JOB_SIMULATING && job->dry &&
               job->state == HES_SYNC_JOB_FINISHED_OK)
        {
          record->phase = HES_MIGRATION_JOB_SIMULATED;
          changed = TRUE;
        }
    }
  return changed;
}

static void
refreshed (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  GError *error = NULL;
  GPtrArray *jobs;
  GHashTableIter iter;
  gpointer job;

  if (update_phases (self, found) && !_hes_domain_migration_save (self, &error))
    {
      return_error (task, error);
      return;
    }
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_sync_job_free);
  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, NULL, &job))
    g_ptr_array_add (jobs, hes_sync_job_copy (job));
  g_task_return_pointer (task, jobs, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

void
hes_domain_migration_refresh_jobs_async (HesDomainMigration *self, HesSyncJobManager *manager,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  poll_all (jobs_task (self, manager, cancellable, callback, user_data,
                       hes_domain_migration_refresh_jobs_async), refreshed);
}

GPtrArray *
hes_domain_migration_refresh_jobs_finish (HesDomainMigration *self, GAsyncResult *result,
                                          GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Step 2: the real move of one mailbox. */

static void
went_live (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!hes_sync_job_manager_go_live_finish (data->manager, result, &error))
    {
      return_error (task, error);
      return;
    }
  _hes_domain_migration_job (self, data->mailbox, FALSE)->phase = HES_MIGRATION_JOB_LIVE;
  return_saved (task, _hes_domain_migration_save (self, &error), error);
}

static void
live_polled (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  HesMigrationJob *record;
  GError *error = NULL;

  update_phases (self, found);
  record = _hes_domain_migration_job (self, data->mailbox, FALSE);
  if (record && record->phase == HES_MIGRATION_JOB_LIVE)
    return_saved (task, _hes_domain_migration_save (self, &error), error);
  else if (record == NULL || record->phase != HES_MIGRATION_JOB_SIMULATED)
    {
      _hes_domain_migration_save (self, NULL);
      return_error (task, g_error_new (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                                       /* Translators: %s is an e-mail address. */
                                       _("The simulation for %s has not finished without errors "
                                         "yet: wait for it, or correct the old provider's "
                                         "settings."), data->mailbox));
    }
  else
    hes_sync_job_manager_go_live_async (data->manager, record->id, g_task_get_cancellable (task),
                                        went_live, task);
}

void
hes_domain_migration_go_live_async (HesDomainMigration *self, HesSyncJobManager *manager,
                                    const char *mailbox, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (mailbox != NULL);

  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_go_live_async);
  ((JobsData *) g_task_get_task_data (task))->mailbox = g_ascii_strdown (mailbox, -1);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_SYNC_JOBS, &error))
    return_error (task, error);
  else
    poll_all (task, live_polled);
}

gboolean
hes_domain_migration_go_live_finish (HesDomainMigration *self, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Step 2 done: every mailbox copied for real, its job active. */

static void
completion_polled (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
  GError *error = NULL;

  update_phases (self, found);
  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);
      HesSyncJob *job = g_hash_table_lookup (found, self->mailboxes[i]);

      if (record == NULL || record->phase != HES_MIGRATION_JOB_LIVE || job == NULL ||
          job->dry || !job->active)
        g_ptr_array_add (waiting, self->mailboxes[i]);
    }
  if (waiting->len > 0)
    {
      g_autofree char *list = _hes_migration_join_addresses (waiting);

      _hes_domain_migration_save (self, NULL);
      return_error (task, g_error_new (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                                       /* Translators: %s is a list of addresses. */
                                       _("These mailboxes are not being copied for real yet: "
                                         "%s."), list));
      return;
    }
  return_saved (task,
                _hes_domain_migration_complete (self, HES_MIGRATION_STEP_SYNC_JOBS, &error),
                error);
}

void
hes_domain_migration_complete_sync_jobs_async (HesDomainMigration *self,
                                               HesSyncJobManager *manager,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_complete_sync_jobs_async);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_SYNC_JOBS, &error))
    return_error (task, error);
  else
    poll_all (task, completion_polled);
}

gboolean
hes_domain_migration_complete_sync_jobs_finish (HesDomainMigration *self, GAsyncResult *result,
                                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Step 4: the switch is visible; note each job's last run at that moment. */

static void
baselines_polled (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  GError *error = NULL;

  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);
      HesSyncJob *job = g_hash_table_lookup (found, self->mailboxes[i]);

      if (record == NULL || record->baseline_taken)
        continue;
      record->baseline_taken = TRUE;
      record->baseline_last_run = job ? g_strdup (job->last_run) : NULL;
    }
  if (self->switch_time == 0)
    self->switch_time = MAX (_hes_domain_migration_now (self), 1);
  return_saved (task,
                _hes_domain_migration_complete (self, HES_MIGRATION_STEP_PROPAGATION, &error),
                error);
}

void
hes_domain_migration_report_propagation_async (HesDomainMigration *self,
                                               HesSyncJobManager *manager,
                                               gboolean authoritative_ok, gboolean resolver_ok,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_report_propagation_async);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_PROPAGATION, &error))
    return_error (task, error);
  else if (!authoritative_ok)
    return_error (task, g_error_new_literal (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                                             _("Your domain's own DNS servers do not show the "
                                               "new mail server yet: check the MX record at "
                                               "your DNS host.")));
  else if (!resolver_ok)
    return_error (task, g_error_new_literal (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                                             _("The change is not visible from here yet: "
                                               "meanwhile some mail still goes to the old "
                                               "provider and is copied. Check again later.")));
  else
    poll_all (task, baselines_polled);
}

gboolean
hes_domain_migration_report_propagation_finish (HesDomainMigration *self, GAsyncResult *result,
                                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
hes_domain_migration_get_switch_time (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), 0);
  return self->switch_time;
}

/* Step 6: is it safe to remove the jobs? */

static char *
job_risk (HesMigrationJob *record, HesSyncJob *job)
{
  g_autofree char *outcome = NULL;

  if (job->dry)
    return g_strdup (_("its synchronisation is still a simulation, so nothing was copied."));
  if (job->running)
    return g_strdup (_("its synchronisation is running right now."));
  if (!record->baseline_taken || g_strcmp0 (job->last_run, record->baseline_last_run) == 0)
    return g_strdup (_("its synchronisation has not run since the DNS switch."));
  if (job->success != 1)
    {
      outcome = hes_sync_job_describe_exit_status (job->exit_status);
      /* Translators: %s is a sentence saying why the run failed. */
      return g_strdup_printf (_("its last synchronisation after the DNS switch failed: %s"),
                              outcome);
    }
  return NULL;
}

/* NULL when safe; otherwise what could be lost, and why. */
static char *
removal_risks (HesDomainMigration *self, GHashTable *found)
{
  gint64 keep = (gint64) hes_provider_profile_get_keep_sync_jobs_hours (self->profile) * 3600;
  gint64 elapsed = _hes_domain_migration_now (self) - self->switch_time;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);
      HesSyncJob *job = g_hash_table_lookup (found, self->mailboxes[i]);
      g_autofree char *risk = NULL;

      if (record == NULL || record->phase == HES_MIGRATION_JOB_REMOVED || job == NULL)
        continue;
      g_ptr_array_add (all, self->mailboxes[i]);
      if ((risk = job_risk (record, job)) == NULL)
        continue;
      g_string_append_c (text, ' ');
      /* Translators: %1$s is an e-mail address, %2$s why its mail could be lost. */
      g_string_append_printf (text, _("%1$s: %2$s"), self->mailboxes[i], risk);
    }
  if (elapsed < keep && all->len > 0)
    {
      guint hours_left = (guint) ((keep - elapsed + 3599) / 3600);
      g_autofree char *list = _hes_migration_join_addresses (all);
      g_autofree char *wait = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %1$u is a number of hours, %2$s a list of addresses. */
        "Some senders may still deliver to the old provider for %1$u more hour; their mail "
        "would not be copied to %2$s.",
        "Some senders may still deliver to the old provider for %1$u more hours; their mail "
        "would not be copied to %2$s.", hours_left), hours_left, list);

      g_string_prepend (text, wait);
      g_string_prepend_c (text, ' ');
    }
  if (text->len == 0)
    return NULL;
  g_string_prepend (text, _("Removing the synchronisations now could lose mail."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
removal_checked (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  char *why = removal_risks (self, found);

  g_task_return_pointer (task, why ? why : g_strdup (""), g_free);
  g_object_unref (task);
}

void
hes_domain_migration_check_removal_async (HesDomainMigration *self, HesSyncJobManager *manager,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_check_removal_async);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS, &error))
    return_error (task, error);
  else
    poll_all (task, removal_checked);
}

gboolean
hes_domain_migration_check_removal_finish (HesDomainMigration *self, GAsyncResult *result,
                                           char **why, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if ((text = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return FALSE;
  if (*text == '\0')
    return TRUE;
  if (why)
    *why = g_steal_pointer (&text);
  return FALSE;
}

/* Step 6: removing, one job at a time, each saved as soon as it is gone. */

static void delete_next (GTask *task);

static void
deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  HesMigrationJob *record = g_ptr_array_index (data->to_delete, 0);
  GError *error = NULL;

  if (!hes_sync_job_manager_delete_finish (data->manager, result, &error))
    {
      return_error (task, error);
      return;
    }
  record->phase = HES_MIGRATION_JOB_REMOVED;
  g_ptr_array_remove_index (data->to_delete, 0);
  if (!_hes_domain_migration_save (self, &error))
    return_error (task, error);
  else
    delete_next (task);
}

static void
delete_next (GTask *task)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (data->to_delete->len > 0)
    {
      HesMigrationJob *record = g_ptr_array_index (data->to_delete, 0);

      hes_sync_job_manager_delete_async (data->manager, record->id, g_task_get_cancellable (task),
                                         deleted, task);
      return;
    }
  return_saved (task,
                _hes_domain_migration_complete (self, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS, &error),
                error);
}

static void
removal_polled (GTask *task, GHashTable *found)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  JobsData *data = g_task_get_task_data (task);
  g_autofree char *why = removal_risks (self, found);

  if (why && !data->flag_a)
    {
      return_error (task, g_error_new_literal (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_UNSAFE,
                                               why));
      return;
    }
  if (why)
    self->removal_confirmed = TRUE;
  data->to_delete = g_ptr_array_new ();
  for (guint i = 0; self->mailboxes[i]; i++)
    {
      HesMigrationJob *record = _hes_domain_migration_job (self, self->mailboxes[i], FALSE);

      if (record == NULL || record->phase == HES_MIGRATION_JOB_REMOVED)
        continue;
      /* Already gone from the server (removed by hand, or before a crash): nothing to do. */
      if (g_hash_table_contains (found, self->mailboxes[i]))
        g_ptr_array_add (data->to_delete, record);
      else
        record->phase = HES_MIGRATION_JOB_REMOVED;
    }
  delete_next (task);
}

void
hes_domain_migration_remove_sync_jobs_async (HesDomainMigration *self,
                                             HesSyncJobManager *manager, gboolean confirmed,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = jobs_task (self, manager, cancellable, callback, user_data,
                    hes_domain_migration_remove_sync_jobs_async);
  ((JobsData *) g_task_get_task_data (task))->flag_a = confirmed;
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS, &error))
    return_error (task, error);
  else
    poll_all (task, removal_polled);
}

gboolean
hes_domain_migration_remove_sync_jobs_finish (HesDomainMigration *self, GAsyncResult *result,
                                              GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
