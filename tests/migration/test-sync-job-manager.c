/* test-sync-job-manager.c: sync jobs against the mailcow simulator.
 *
 * Creation sends every flag and "exclude" (checked on the job the server stored), starts as
 * a simulation, finds the id by listing, never makes a second job for the same old account,
 * refuses a short interval before sending anything; polling through the simulator's runner
 * (waiting, running, finished, failed with a plain sentence, stuck), going live, the log, and
 * removal. The old provider's password never reaches a log line.
 */
#include "config.h"

#include <string.h>

#include "hes-migration-error.h"
#include "migration-fixture.h"

static GString *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_logs, "%s\n", (const char *) fields[i].value);
  /* Debug lines are only captured: TAP output must stay clean. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static JsonObject *
raw_job (MigrationFixture *f, gint64 id)
{
  g_autoptr(JsonArray) jobs = migration_list_raw_jobs (f, MAILBOX);

  for (guint i = 0; i < json_array_get_length (jobs); i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);

      if (json_object_get_int_member (job, "id") == id)
        return json_object_ref (job);
    }
  return NULL;
}

static HesSyncJob *
create_ok (MigrationFixture *f, HesSyncJobSpec *spec)
{
  g_autoptr(GError) error = NULL;
  HesSyncJob *job = migration_create_job (f, spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return job;
}

static HesSyncJob *
poll (MigrationFixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  HesSyncJob *job = migration_get_job (f, MAILBOX, id, &error);

  g_assert_no_error (error);
  return job;
}

static void
test_create_sends_every_flag (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, "IMAP.Old-Provider.example",
                                                          OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) job = NULL;
  g_autoptr(JsonObject) raw = NULL;
  const char *flags_on[] = { "active", "dry", "automap", "subscribeall", "delete2duplicates" };
  const char *flags_off[] = { "delete1", "delete2", "skipcrossduplicates" };

  job = create_ok (f, spec);
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 1);
  g_assert_cmpint (job->id, >, 0);
  raw = raw_job (f, job->id);
  g_assert_nonnull (raw);
  for (guint i = 0; i < G_N_ELEMENTS (flags_on); i++)
    g_assert_cmpint (json_object_get_int_member (raw, flags_on[i]), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (flags_off); i++)
    g_assert_cmpint (json_object_get_int_member (raw, flags_off[i]), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (raw, "exclude"), ==,
                   hes_provider_profile_get_default_exclude (f->profile));
  g_assert_cmpstr (json_object_get_string_member (raw, "enc1"), ==, "SSL");
  g_assert_cmpint (json_object_get_int_member (raw, "mins_interval"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (raw, "port1"), ==, 993);
  g_assert_cmpstr (json_object_get_string_member (raw, "host1"), ==, OLD_HOST);
  g_assert_cmpstr (hes_mailcow_sim_peek_syncjob_password (f->sim, job->id), ==, OLD_PASS);
  g_assert_true (job->dry);
  g_assert_true (job->active);
  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_WAITING);
  g_assert_cmpstr (job->host, ==, OLD_HOST);
}

static void
test_create_security_names (MigrationFixture *f, gconstpointer data)
{
  const struct { HesSyncSecurity security; guint port; const char *host; const char *enc; } cases[] = {
    { HES_SYNC_SECURITY_STARTTLS, 143, "starttls.example", "TLS" },
    { HES_SYNC_SECURITY_PLAIN, 143, "plain.example", "PLAIN" },
    { HES_SYNC_SECURITY_SSL, 993, "ssl.example", "SSL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, cases[i].host, OLD_USER,
                                                              OLD_PASS);
      g_autoptr(HesSyncJob) job = NULL;
      g_autoptr(JsonObject) raw = NULL;

      spec->security = cases[i].security;
      spec->port = cases[i].port;
      spec->interval = 45;
      spec->exclude = g_strdup ("");
      job = create_ok (f, spec);
      raw = raw_job (f, job->id);
      g_assert_cmpstr (json_object_get_string_member (raw, "enc1"), ==, cases[i].enc);
      g_assert_cmpint (json_object_get_int_member (raw, "port1"), ==, cases[i].port);
      g_assert_cmpint (json_object_get_int_member (raw, "mins_interval"), ==, 45);
      /* An empty exclusion is sent as "", not left out. */
      g_assert_cmpstr (json_object_get_string_member (raw, "exclude"), ==, "");
    }
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 3);
}

static void
test_create_twice_updates (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJobSpec) again = hes_sync_job_spec_new (MAILBOX, "Imap.OLD-provider.example",
                                                           OLD_USER, "New-Secret-654");
  g_autoptr(HesSyncJob) first = create_ok (f, spec);
  g_autoptr(HesSyncJob) second = NULL;
  g_autoptr(JsonObject) raw = NULL;

  again->interval = 30;
  second = create_ok (f, again);
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 1);
  g_assert_cmpint (second->id, ==, first->id);
  g_assert_cmpstr (hes_mailcow_sim_peek_syncjob_password (f->sim, first->id), ==,
                   "New-Secret-654");
  raw = raw_job (f, first->id);
  g_assert_cmpint (json_object_get_int_member (raw, "mins_interval"), ==, 30);
}

/* A job made elsewhere (mailcow's own dialog), already live: re-used, back to a simulation. */
static void
test_create_reuses_foreign_job (MigrationFixture *f, gconstpointer data)
{
  guint id = hes_mailcow_sim_add_syncjob (f->sim, MAILBOX, OLD_HOST, OLD_USER, "Whatever-1", FALSE);
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) job = create_ok (f, spec);

  g_assert_cmpint (job->id, ==, id);
  g_assert_true (job->dry);
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 1);
  g_assert_cmpstr (hes_mailcow_sim_peek_syncjob_password (f->sim, id), ==, OLD_PASS);
}

static void
test_interval_minimum (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = NULL;

  spec->interval = 19;
  job = migration_create_job (f, spec, &error);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INTERVAL);
  g_assert_null (job);
  g_assert_nonnull (strstr (error->message, "20"));
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 0);
  g_clear_error (&error);

  spec->interval = 20;
  job = migration_create_job (f, spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->interval, ==, 20);
}

static void
test_spec_checks (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, "bad host!", OLD_USER, OLD_PASS);
  g_autoptr(GError) error = NULL;

  g_assert_false (hes_sync_job_manager_check_spec (f->manager, spec, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_free (spec->host);
  spec->host = g_strdup (OLD_HOST);
  spec->port = 0;
  g_assert_false (hes_sync_job_manager_check_spec (f->manager, spec, &error));
  g_clear_error (&error);
  spec->port = 993;
  spec->exclude = g_strdup ("(unclosed");
  g_assert_false (hes_sync_job_manager_check_spec (f->manager, spec, &error));
  g_clear_error (&error);
  g_clear_pointer (&spec->exclude, g_free);
  g_assert_true (hes_sync_job_manager_check_spec (f->manager, spec, &error));
  g_assert_no_error (error);
}

static char *
fetch_log (MigrationFixture *f, gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *log;

  hes_sync_job_manager_fetch_log_async (f->manager, MAILBOX, id, NULL, migration_on_done, &result);
  log = hes_sync_job_manager_fetch_log_finish (f->manager, migration_wait_for (&result), &error);
  g_assert_no_error (error);
  return log;
}

static void
test_poll_waiting_running_finished (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) job = create_ok (f, spec);
  g_autoptr(HesSyncJob) running = NULL;
  g_autoptr(HesSyncJob) done = NULL;
  g_autofree char *log = NULL;
  g_autofree char *summary = NULL;

  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_WAITING);
  hes_mailcow_sim_set_syncjob_host_outcome (f->sim, OLD_HOST, "RUNNING");
  g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  running = poll (f, job->id);
  g_assert_cmpint (running->state, ==, HES_SYNC_JOB_RUNNING);
  g_assert_true (running->running);

  hes_mailcow_sim_set_syncjob_host_outcome (f->sim, OLD_HOST, NULL);
  g_assert_true (hes_mailcow_sim_set_syncjob_running (f->sim, job->id, FALSE));
  g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  done = poll (f, job->id);
  g_assert_cmpint (done->state, ==, HES_SYNC_JOB_FINISHED_OK);
  g_assert_cmpstr (done->exit_status, ==, "EX_OK");
  g_assert_nonnull (done->last_run);
  g_assert_cmpint (done->success, ==, 1);

  log = fetch_log (f, job->id);
  g_assert_nonnull (strstr (log, "Exiting with return value 0"));
  summary = hes_sync_job_summarize_log (log, TRUE);
  g_assert_cmpstr (summary, ==, "The simulation found 42 messages to copy.");
}

static void
test_poll_failures (MigrationFixture *f, gconstpointer data)
{
  const struct { const char *status; const char *words; } cases[] = {
    { "EXIT_AUTHENTICATION_FAILURE_USER1", "password" },
    { "EXIT_CONNECTION_FAILURE_HOST1", "could not be reached" },
    { "EXIT_TLS_FAILURE", "secure connection" },
    { "EXIT_OVERQUOTA", "full" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = g_strdup_printf ("imap%u.old.example", i);
      g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, host, OLD_USER, OLD_PASS);
      g_autoptr(HesSyncJob) job = create_ok (f, spec);
      g_autoptr(HesSyncJob) failed = NULL;
      g_autofree char *text = NULL;

      hes_mailcow_sim_set_syncjob_host_outcome (f->sim, host, cases[i].status);
      g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
      failed = poll (f, job->id);
      g_assert_cmpint (failed->state, ==, HES_SYNC_JOB_FINISHED_FAILED);
      g_assert_cmpint (failed->success, ==, 0);
      g_assert_cmpstr (failed->exit_status, ==, cases[i].status);
      text = hes_sync_job_describe (failed);
      g_assert_true (g_str_has_prefix (text, "The last synchronisation failed. "));
      g_assert_nonnull (strstr (text, cases[i].words));
      g_assert_null (strstr (text, "EXIT_"));
    }
}

static void
test_log_summaries (void)
{
  g_autofree char *auth = hes_sync_job_summarize_log (
    "Host1 failure: Error login on [x] with user [y] auth [LOGIN]: 2 NO\n"
    "Exiting with return value 161 (EXIT_AUTHENTICATION_FAILURE_USER1)\n", FALSE);
  g_autofree char *live = hes_sync_job_summarize_log (
    "Messages transferred           : 1\nDetected 3 errors\n", FALSE);
  g_autofree char *unknown = hes_sync_job_describe_exit_status ("EXIT_SOMETHING_NEW");
  g_autofree char *none = hes_sync_job_describe_exit_status (NULL);

  g_assert_cmpstr (auth, ==, "The old provider refused the account name or password.");
  g_assert_cmpstr (live, ==, "1 message was copied. 3 errors happened.");
  g_assert_null (hes_sync_job_summarize_log ("-", FALSE));
  g_assert_nonnull (strstr (unknown, "contact your provider"));
  g_assert_cmpstr (none, !=, unknown);
}

static void
test_poll_stuck (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) job = create_ok (f, spec);
  g_autoptr(HesSyncJob) first = NULL;
  g_autoptr(HesSyncJob) later = NULL;
  g_autoptr(HesSyncJob) much_later = NULL;

  g_assert_true (hes_mailcow_sim_set_syncjob_running (f->sim, job->id, TRUE));
  first = poll (f, job->id);
  g_assert_cmpint (first->state, ==, HES_SYNC_JOB_RUNNING);
  f->now += HES_SYNC_JOB_DEFAULT_STUCK_AFTER - 60;
  later = poll (f, job->id);
  g_assert_cmpint (later->state, ==, HES_SYNC_JOB_RUNNING);
  f->now += 120;
  much_later = poll (f, job->id);
  g_assert_cmpint (much_later->state, ==, HES_SYNC_JOB_STUCK);
  g_assert_nonnull (strstr (hes_sync_job_state_describe (much_later->state), "stuck"));
  /* Other jobs wait behind it: the runner skips everything while one runs. */
  g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 0);
}

static void
test_go_live_and_delete (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) job = create_ok (f, spec);
  g_autoptr(HesSyncJob) simulated = NULL;
  g_autoptr(HesSyncJob) live = NULL;
  g_autoptr(HesSyncJob) moved = NULL;
  g_autoptr(JsonObject) raw = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *summary = NULL;

  g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  simulated = poll (f, job->id);
  g_assert_cmpint (simulated->state, ==, HES_SYNC_JOB_FINISHED_OK);

  hes_sync_job_manager_go_live_async (f->manager, job->id, NULL, migration_on_done, &result);
  g_assert_true (hes_sync_job_manager_go_live_finish (f->manager, migration_wait_for (&result),
                                                      &error));
  g_assert_no_error (error);
  raw = raw_job (f, job->id);
  g_assert_cmpint (json_object_get_int_member (raw, "dry"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (raw, "active"), ==, 1);
  g_assert_true (json_object_get_null_member (raw, "last_run"));
  g_assert_true (json_object_get_null_member (raw, "success"));
  /* Other fields were kept. */
  g_assert_cmpint (json_object_get_int_member (raw, "automap"), ==, 1);
  live = poll (f, job->id);
  g_assert_cmpint (live->state, ==, HES_SYNC_JOB_WAITING);
  g_assert_false (live->dry);

  /* Due at once although the interval has not passed. */
  g_assert_cmpint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  moved = poll (f, job->id);
  g_assert_cmpint (moved->state, ==, HES_SYNC_JOB_FINISHED_OK);
  log = fetch_log (f, job->id);
  summary = hes_sync_job_summarize_log (log, FALSE);
  g_assert_cmpstr (summary, ==, "42 messages were copied.");

  hes_sync_job_manager_delete_async (f->manager, job->id, NULL, migration_on_done, &deleted);
  g_assert_true (hes_sync_job_manager_delete_finish (f->manager, migration_wait_for (&deleted),
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 0);
  g_assert_null (migration_get_job (f, MAILBOX, job->id, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_FOUND);
}

static void
test_cancel (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);
  hes_sync_job_manager_create_async (f->manager, spec, cancellable, migration_on_done, &result);
  g_cancellable_cancel (cancellable);
  job = hes_sync_job_manager_create_finish (f->manager, migration_wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (job);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
}

static void
test_no_password_logged (void)
{
  g_assert_null (strstr (captured_logs->str, OLD_PASS));
  g_assert_null (strstr (captured_logs->str, "New-Secret-654"));
}

int
main (int argc, char **argv)
{
  captured_logs = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, MigrationFixture, NULL, migration_fixture_set_up, fn, \
                                  migration_fixture_tear_down)
  ADD ("/migration/sync-job/create-sends-every-flag", test_create_sends_every_flag);
  ADD ("/migration/sync-job/security-names", test_create_security_names);
  ADD ("/migration/sync-job/create-twice-updates", test_create_twice_updates);
  ADD ("/migration/sync-job/reuses-foreign-job", test_create_reuses_foreign_job);
  ADD ("/migration/sync-job/interval-minimum", test_interval_minimum);
  ADD ("/migration/sync-job/spec-checks", test_spec_checks);
  ADD ("/migration/sync-job/poll-finished", test_poll_waiting_running_finished);
  ADD ("/migration/sync-job/poll-failures", test_poll_failures);
  ADD ("/migration/sync-job/poll-stuck", test_poll_stuck);
  ADD ("/migration/sync-job/go-live-and-delete", test_go_live_and_delete);
  ADD ("/migration/sync-job/cancel", test_cancel);
#undef ADD
  g_test_add_func ("/migration/sync-job/log-summaries", test_log_summaries);
  /* Last: every test above has logged by now. */
  g_test_add_func ("/migration/sync-job/no-password-logged", test_no_password_logged);
  return g_test_run ();
}
