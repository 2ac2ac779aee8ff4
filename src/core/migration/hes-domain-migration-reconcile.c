/* hes-domain-migration-reconcile.c: the checklist read again from the server.
 *
 * The server holds the truth: the domain's mailboxes and their sync jobs (state, last run,
 * last result). The state file only keeps what the server cannot know. Each time the page is
 * shown the saved progress is compared with what the server holds now: a step the server
 * shows done becomes done (a second computer, or a lost state folder, sees the same progress),
 * and a saved "done" the server contradicts is opened again with a sentence saying why,
 * together with every step after it. Two requests whatever the number of mailboxes when the
 * role may list every job at once; one per mailbox otherwise.
 */
#define G_LOG_DOMAIN "hes-domain-migration-reconcile"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-domain-migration-private.h"
#include "hes-migration-error.h"

typedef struct {
  HesSyncJobManager *manager;
  GHashTable        *present;   /* lower-cased address of every mailbox of the domain */
  GPtrArray         *jobs;      /* HesSyncJob of the domain's mailboxes */
  GPtrArray         *to_list;   /* per-mailbox listing: the addresses left to list */
} ReconcileData;

static void
reconcile_data_free (ReconcileData *data)
{
  g_clear_object (&data->manager);
  g_clear_pointer (&data->present, g_hash_table_unref);
  g_clear_pointer (&data->jobs, g_ptr_array_unref);
  g_clear_pointer (&data->to_list, g_ptr_array_unref);
  g_free (data);
}

gboolean
_hes_domain_migration_lists_all_jobs (HesSyncJobManager *manager)
{
  HesMailcowClient *client = hes_sync_job_manager_get_client (manager);

  /* mailcow answers get/syncjobs/all to superadmins and domain administrators only. */
  return hes_mailcow_client_get_role (client) == HES_MAILCOW_ROLE_DOMAIN_ADMIN;
}

static gboolean
in_domain (HesDomainMigration *self, const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;

  return at != NULL && g_ascii_strcasecmp (at + 1, self->domain) == 0;
}

/* The job the checklist follows for @mailbox: the one recorded, else the one of the recorded
 * old account, else the first one the server has. */
static HesSyncJob *
pick_job (GPtrArray *jobs, const char *mailbox, HesMigrationJob *record)
{
  HesSyncJob *first = NULL;
  HesSyncJob *same_account = NULL;

  for (guint i = 0; i < jobs->len; i++)
    {
      HesSyncJob *job = g_ptr_array_index (jobs, i);

      if (job->mailbox == NULL || g_ascii_strcasecmp (job->mailbox, mailbox) != 0)
        continue;
      if (record && record->id > 0 && job->id == record->id)
        return job;
      if (record && record->host && record->user && same_account == NULL &&
          hes_sync_job_matches (job, record->host, record->user))
        same_account = job;
      if (first == NULL)
        first = job;
    }
  return same_account ? same_account : first;
}

static HesMigrationJobPhase
phase_on_server (const HesSyncJob *job)
{
  if (!job->dry)
    return HES_MIGRATION_JOB_LIVE;
  if (job->state == HES_SYNC_JOB_FINISHED_OK)
    return HES_MIGRATION_JOB_SIMULATED;
  return HES_MIGRATION_JOB_SIMULATING;
}

static int
compare_addresses (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* With no saved list (a fresh state folder), the mailboxes of the move are the domain's
 * mailboxes that have a sync job. */
static void
adopt_mailboxes (HesDomainMigration *self, ReconcileData *data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (self->mailboxes[0] != NULL)
    return;
  for (guint i = 0; i < data->jobs->len; i++)
    {
      HesSyncJob *job = g_ptr_array_index (data->jobs, i);
      g_autofree char *address = g_ascii_strdown (job->mailbox, -1);

      if (g_hash_table_contains (data->present, address) &&
          !g_ptr_array_find_with_equal_func (found, address, g_str_equal, NULL))
        g_ptr_array_add (found, g_steal_pointer (&address));
    }
  if (found->len == 0)
    return;
  g_ptr_array_sort (found, compare_addresses);
  g_ptr_array_add (found, NULL);
  g_strfreev (self->mailboxes);
  self->mailboxes = (GStrv) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

/* One sentence naming @addresses and the title of @step; nothing when @addresses is empty.
 * A macro so that the compiler checks each translated format. */
#define add_reason(reasons, addresses, format, step)                                         \
  G_STMT_START {                                                                             \
    if ((addresses)->len > 0)                                                                \
      {                                                                                      \
        g_autofree char *list_ = _hes_migration_join_addresses (addresses);                  \
                                                                                             \
        g_ptr_array_add (reasons, g_strdup_printf (format, list_,                            \
                                                   hes_migration_step_title (step)));        \
      }                                                                                      \
  } G_STMT_END

/* Opens @step again, and every step after it; TRUE when something was done before. */
static gboolean
reopen_from (HesDomainMigration *self, HesMigrationStep step)
{
  gboolean was_done = FALSE;

  for (guint later = step; later < HES_MIGRATION_N_STEPS; later++)
    {
      was_done |= self->step_time[later] != 0;
      self->step_time[later] = 0;
    }
  if (step <= HES_MIGRATION_STEP_PROPAGATION)
    {
      /* The switch must be seen again: the 24-hour clock starts over then. */
      GHashTableIter iter;
      HesMigrationJob *record;

      self->switch_time = 0;
      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &record))
        {
          record->baseline_taken = FALSE;
          g_clear_pointer (&record->baseline_last_run, g_free);
        }
    }
  return was_done;
}

static void
note_later_steps (GPtrArray *reasons, gboolean later_done)
{
  if (later_done)
    g_ptr_array_add (reasons,
                     g_strdup (_("The steps after it are open again too, since each one "
                                 "relies on the ones before.")));
}

static void
apply (HesDomainMigration *self, ReconcileData *data, GPtrArray *reasons)
{
  gint64 now = MAX (_hes_domain_migration_now (self), 1);
  gboolean removal_done = self->step_time[HES_MIGRATION_STEP_REMOVE_SYNC_JOBS] != 0;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) no_job = g_ptr_array_new ();
  g_autoptr(GPtrArray) removed_outside = g_ptr_array_new ();
  g_autoptr(GPtrArray) not_live = g_ptr_array_new ();
  g_autoptr(GPtrArray) failing = g_ptr_array_new ();
  g_autoptr(GPtrArray) still_there = g_ptr_array_new ();
  gboolean mailboxes_ok, jobs_ok;

  adopt_mailboxes (self, data);
  for (guint i = 0; self->mailboxes[i]; i++)
    {
      const char *mailbox = self->mailboxes[i];
      HesMigrationJob *record = _hes_domain_migration_job (self, mailbox, FALSE);
      HesSyncJob *job = pick_job (data->jobs, mailbox, record);

      if (!g_hash_table_contains (data->present, mailbox))
        g_ptr_array_add (missing, (char *) mailbox);
      if (job != NULL)
        {
          record = _hes_domain_migration_job (self, mailbox, TRUE);
          record->id = job->id;
          g_free (record->host);
          record->host = g_strdup (job->host);
          g_free (record->user);
          record->user = g_strdup (job->user);
          record->phase = phase_on_server (job);
          record->removed_outside = FALSE;
          g_ptr_array_add (still_there, (char *) mailbox);
          if (job->dry || !job->active)
            g_ptr_array_add (not_live, (char *) mailbox);
          else if (job->success == 0)
            g_ptr_array_add (failing, (char *) mailbox);
          continue;
        }
      g_ptr_array_add (no_job, (char *) mailbox);
      if (record == NULL)
        continue;
      if (record->phase >= HES_MIGRATION_JOB_SIMULATING && record->phase <= HES_MIGRATION_JOB_LIVE)
        {
          /* Gone from the server, but not by the last step: someone removed it elsewhere. */
          record->phase = HES_MIGRATION_JOB_NONE;
          record->id = 0;
          record->removed_outside = TRUE;
        }
      if (record->removed_outside)
        g_ptr_array_add (removed_outside, (char *) mailbox);
    }

  mailboxes_ok = self->mailboxes[0] != NULL && missing->len == 0;
  jobs_ok = self->mailboxes[0] != NULL &&
            ((no_job->len == 0 && not_live->len == 0 && failing->len == 0) ||
             (removal_done && still_there->len == 0 && removed_outside->len == 0));

  /* Step 1: the mailboxes exist. */
  if (!mailboxes_ok && self->step_time[HES_MIGRATION_STEP_CREATE_MAILBOXES] != 0)
    {
      add_reason (reasons, missing,
                  /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                  _("The server has no mailbox %1$s, so the step “%2$s” is open again: "
                    "create the missing mailboxes, then continue."),
                  HES_MIGRATION_STEP_CREATE_MAILBOXES);
      note_later_steps (reasons, reopen_from (self, HES_MIGRATION_STEP_CREATE_MAILBOXES));
    }
  else if (mailboxes_ok && self->step_time[HES_MIGRATION_STEP_CREATE_MAILBOXES] == 0)
    self->step_time[HES_MIGRATION_STEP_CREATE_MAILBOXES] = now;

  /* Step 2: every mailbox has a job copying for real, whose last run did not fail (or the
   * jobs were removed by the last step). */
  if (self->step_time[HES_MIGRATION_STEP_CREATE_MAILBOXES] == 0)
    ;
  else if (!jobs_ok && self->step_time[HES_MIGRATION_STEP_SYNC_JOBS] != 0)
    {
      add_reason (reasons, removed_outside,
                  /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                  _("The synchronisation of %1$s was removed on the server, outside this app, "
                    "so the step “%2$s” is open again: start the copy again."),
                  HES_MIGRATION_STEP_SYNC_JOBS);
      if (removed_outside->len == 0)
        add_reason (reasons, no_job,
                    /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                    _("The server has no synchronisation for %1$s, so the step “%2$s” is open "
                      "again: start the copy again."), HES_MIGRATION_STEP_SYNC_JOBS);
      add_reason (reasons, not_live,
                  /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                  _("The server does not copy %1$s for real, so the step “%2$s” is open "
                    "again: start the real move."), HES_MIGRATION_STEP_SYNC_JOBS);
      add_reason (reasons, failing,
                  /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                  _("The last copy of %1$s failed on the server, so the step “%2$s” is open "
                    "again: read its report, correct the old provider’s settings, then "
                    "simulate again."), HES_MIGRATION_STEP_SYNC_JOBS);
      note_later_steps (reasons, reopen_from (self, HES_MIGRATION_STEP_SYNC_JOBS));
    }
  else if (jobs_ok && self->step_time[HES_MIGRATION_STEP_SYNC_JOBS] == 0)
    self->step_time[HES_MIGRATION_STEP_SYNC_JOBS] = now;
  else if (removed_outside->len > 0)
    add_reason (reasons, removed_outside,
                /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                _("The synchronisation of %1$s was removed on the server, outside this app: "
                  "start it again in the step “%2$s”."), HES_MIGRATION_STEP_SYNC_JOBS);

  /* Step 6: the jobs are gone from the server. */
  if (removal_done && self->step_time[HES_MIGRATION_STEP_REMOVE_SYNC_JOBS] != 0 &&
      still_there->len > 0)
    {
      add_reason (reasons, still_there,
                  /* Translators: %1$s is a list of addresses, %2$s the title of a step. */
                  _("The server still synchronises %1$s, so the step “%2$s” is open again."),
                  HES_MIGRATION_STEP_REMOVE_SYNC_JOBS);
      reopen_from (self, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS);
    }
}

static void
reconciled (GTask *task)
{
  HesDomainMigration *self = g_task_get_source_object (task);
  ReconcileData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  apply (self, data, reasons);
  if (!_hes_domain_migration_save (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (reasons, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&reasons), FALSE),
                         (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

static void list_next (GTask *task);

static void
jobs_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  ReconcileData *data = g_task_get_task_data (task);
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

      if (in_domain (self, job->mailbox))
        g_ptr_array_add (data->jobs, hes_sync_job_copy (job));
    }
  list_next (task);
}

static void
list_next (GTask *task)
{
  ReconcileData *data = g_task_get_task_data (task);
  g_autofree char *mailbox = NULL;

  if (data->to_list->len == 0)
    {
      reconciled (task);
      return;
    }
  mailbox = g_ptr_array_steal_index (data->to_list, 0);
  hes_sync_job_manager_list_async (data->manager, mailbox, g_task_get_cancellable (task),
                                   jobs_listed, task);
}

static void
mailboxes_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  ReconcileData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = NULL;

  boxes = hes_mailcow_client_list_mailboxes_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (boxes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < boxes->len; i++)
    {
      HesMailcowMailbox *box = g_ptr_array_index (boxes, i);

      if (in_domain (self, box->username))
        g_hash_table_add (data->present, g_ascii_strdown (box->username, -1));
    }
  data->to_list = g_ptr_array_new_with_free_func (g_free);
  if (_hes_domain_migration_lists_all_jobs (data->manager))
    g_ptr_array_add (data->to_list, g_strdup ("all"));
  else
    {
      /* The saved list, or every mailbox of the domain when there is none. */
      if (self->mailboxes[0] != NULL)
        for (guint i = 0; self->mailboxes[i]; i++)
          g_ptr_array_add (data->to_list, g_strdup (self->mailboxes[i]));
      else
        {
          g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (data->present),
                                               (GCompareFunc) strcmp);

          for (GList *l = keys; l; l = l->next)
            g_ptr_array_add (data->to_list, g_strdup (l->data));
        }
    }
  list_next (task);
}

void
hes_domain_migration_reconcile_async (HesDomainMigration *self, HesSyncJobManager *manager,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GTask *task;
  ReconcileData *data;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (manager));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_domain_migration_reconcile_async);
  data = g_new0 (ReconcileData, 1);
  data->manager = g_object_ref (manager);
  data->present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_sync_job_free);
  g_task_set_task_data (task, data, (GDestroyNotify) reconcile_data_free);
  hes_mailcow_client_list_mailboxes_async (hes_sync_job_manager_get_client (manager),
                                           self->domain, cancellable, mailboxes_read, task);
}

GStrv
hes_domain_migration_reconcile_finish (HesDomainMigration *self, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
hes_domain_migration_reconcile_dns (HesDomainMigration *self, const HesDnsSummary *summary,
                                    char **why, GError **error)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  if (summary->mx_ok || self->step_time[HES_MIGRATION_STEP_DNS_RECORDS] == 0)
    return TRUE;
  if (summary->wrong + summary->missing == 0 && summary->unknown > 0)
    return TRUE;  /* could not be checked: nothing contradicts the saved progress */
  reopen_from (self, HES_MIGRATION_STEP_DNS_RECORDS);
  if (why)
    *why = g_strdup_printf (/* Translators: %s is the title of a step. */
                            _("Your domain’s MX record no longer sends its mail to Hosterra "
                              "Email, so the step “%s” and the ones after it are open again: "
                              "correct the record at your DNS host."),
                            hes_migration_step_title (HES_MIGRATION_STEP_DNS_RECORDS));
  return _hes_domain_migration_save (self, error);
}

gboolean
hes_domain_migration_job_removed_outside (HesDomainMigration *self, const char *mailbox)
{
  HesMigrationJob *record;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  record = _hes_domain_migration_job (self, mailbox, FALSE);
  return record != NULL && record->removed_outside;
}
