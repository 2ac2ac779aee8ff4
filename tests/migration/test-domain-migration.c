/* test-domain-migration.c: the six-step domain migration against the mailcow simulator.
 *
 * The order is enforced; a full walk from the mailboxes to the removal of the sync jobs,
 * with the state written, dropped and read back at every step; removal refused before the
 * profile's 24 hours or after a failed run (naming the mailboxes and why) unless confirmed;
 * resuming after crashes and network failures without duplicates; the autoconfig check;
 * no password in the state file; steps 3 and 4 with the DNS checker on a fake DNS backend:
 * step 3 refused while the MX is wrong and done once it is right, step 4 pending while only
 * the domain's servers show the new MX, then visible, which records the switch.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hes-domain-migration.h"
#include "hes-fake-dns-backend.h"
#include "hes-mailbox-batch.h"
#include "hes-migration-error.h"
#include "hes-test-keys.h"
#include "migration-fixture.h"

#define BOB       "bob@kunde.example"
#define BOB_HOST  "mail.bob-old.example"
#define HOUR      3600

typedef struct {
  MigrationFixture     base;
  HesDomainMigration  *migration;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  return ((MigrationFixture *) user_data)->now;
}

static HesDomainMigration *
new_migration (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = hes_mailcow_sim_dup_url (f->base.sim);
  HesDomainMigration *migration = hes_domain_migration_new (DOMAIN, MAIL_HOST, f->base.profile);

  hes_domain_migration_set_state_dir (migration, f->base.state_dir);
  hes_domain_migration_set_account (migration, NULL, ADMIN);
  hes_domain_migration_set_clock (migration, fixture_clock, &f->base);
  /* The simulator serves config-v1.1.xml for its own host name, for both addresses. */
  hes_domain_migration_set_autoconfig_urls (migration, url, url);
  g_assert_true (hes_domain_migration_load (migration, &error));
  g_assert_no_error (error);
  return migration;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  migration_fixture_set_up (&f->base, data);
  f->migration = new_migration (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->migration);
  migration_fixture_tear_down (&f->base, data);
}

/* Writes, drops, reads back, compares: what a quit, crash or reboot does. */
static void
reload (Fixture *f)
{
  g_autofree char *before = hes_domain_migration_to_data (f->migration);
  g_autofree char *path = hes_domain_migration_get_state_path (f->migration);
  g_autofree char *on_disk = NULL;
  g_autofree char *after = NULL;
  HesMigrationStep step = hes_domain_migration_get_current_step (f->migration);

  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, before);
  g_assert_null (strstr (on_disk, OLD_PASS));
  g_assert_finalize_object (f->migration);
  f->migration = new_migration (f);
  after = hes_domain_migration_to_data (f->migration);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==, step);
}

/* Synchronous wrappers. */

static gboolean
verify_mailboxes (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_verify_mailboxes_async (f->migration, f->base.client, NULL,
                                               migration_on_done, &r);
  return hes_domain_migration_verify_mailboxes_finish (f->migration, migration_wait_for (&r),
                                                       error);
}

static HesSyncJob *
start_job (Fixture *f, const char *mailbox, const char *host, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (mailbox, host, OLD_USER, OLD_PASS);

  hes_domain_migration_start_sync_job_async (f->migration, f->base.manager, spec, NULL,
                                             migration_on_done, &r);
  return hes_domain_migration_start_sync_job_finish (f->migration, migration_wait_for (&r),
                                                     error);
}

static GPtrArray *
refresh (Fixture *f)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;

  hes_domain_migration_refresh_jobs_async (f->migration, f->base.manager, NULL,
                                           migration_on_done, &r);
  jobs = hes_domain_migration_refresh_jobs_finish (f->migration, migration_wait_for (&r), &error);
  g_assert_no_error (error);
  return jobs;
}

static gboolean
go_live (Fixture *f, const char *mailbox, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_go_live_async (f->migration, f->base.manager, mailbox, NULL,
                                      migration_on_done, &r);
  return hes_domain_migration_go_live_finish (f->migration, migration_wait_for (&r), error);
}

static gboolean
complete_jobs (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_complete_sync_jobs_async (f->migration, f->base.manager, NULL,
                                                 migration_on_done, &r);
  return hes_domain_migration_complete_sync_jobs_finish (f->migration, migration_wait_for (&r),
                                                         error);
}

static gboolean
report_propagation (Fixture *f, gboolean authoritative, gboolean resolver, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_report_propagation_async (f->migration, f->base.manager, authoritative,
                                                 resolver, NULL, migration_on_done, &r);
  return hes_domain_migration_report_propagation_finish (f->migration, migration_wait_for (&r),
                                                         error);
}

static HesAutoconfigResult *
check_programs (Fixture *f, gboolean confirmed, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_check_mail_programs_async (f->migration, confirmed, NULL,
                                                  migration_on_done, &r);
  return hes_domain_migration_check_mail_programs_finish (f->migration, migration_wait_for (&r),
                                                          error);
}

static gboolean
check_removal (Fixture *f, char **why, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_check_removal_async (f->migration, f->base.manager, NULL,
                                            migration_on_done, &r);
  return hes_domain_migration_check_removal_finish (f->migration, migration_wait_for (&r), why,
                                                    error);
}

static gboolean
remove_jobs (Fixture *f, gboolean confirmed, GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_remove_sync_jobs_async (f->migration, f->base.manager, confirmed, NULL,
                                               migration_on_done, &r);
  return hes_domain_migration_remove_sync_jobs_finish (f->migration, migration_wait_for (&r),
                                                       error);
}

static void
create_bob (Fixture *f)
{
  g_autoptr(HesMailboxBatch) batch = hes_mailbox_batch_new (f->base.client, DOMAIN);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hes_mailbox_batch_set_text (batch, "bob,Bob,1024\n", -1, &error));
  hes_mailbox_batch_run_async (batch, NULL, migration_on_done, &r);
  g_assert_true (hes_mailbox_batch_run_finish (batch, migration_wait_for (&r), &error));
  g_assert_no_error (error);
}

/* Walks the checklist until @target is the current step, reloading after each step. */
static void
walk_to (Fixture *f, HesMigrationStep target)
{
  const char *mailboxes[] = { MAILBOX, BOB, NULL };
  g_autoptr(GError) error = NULL;

  if (target > HES_MIGRATION_STEP_CREATE_MAILBOXES)
    {
      g_assert_true (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
      create_bob (f);
      g_assert_true (verify_mailboxes (f, &error));
      g_assert_no_error (error);
      reload (f);
    }
  if (target > HES_MIGRATION_STEP_SYNC_JOBS)
    {
      g_autoptr(HesSyncJob) a = start_job (f, MAILBOX, OLD_HOST, &error);
      g_autoptr(HesSyncJob) b = start_job (f, BOB, BOB_HOST, &error);
      g_autoptr(GPtrArray) jobs = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
      jobs = refresh (f);
      g_assert_true (go_live (f, MAILBOX, &error));
      g_assert_true (go_live (f, BOB, &error));
      g_assert_no_error (error);
      /* The first real runs, before the switch. */
      g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
      g_assert_true (complete_jobs (f, &error));
      g_assert_no_error (error);
      reload (f);
    }
  if (target > HES_MIGRATION_STEP_DNS_RECORDS)
    {
      HesDnsSummary dns = { .required_ok = TRUE, .mx_ok = TRUE };

      g_assert_true (hes_domain_migration_report_dns (f->migration, &dns, &error));
      reload (f);
    }
  if (target > HES_MIGRATION_STEP_PROPAGATION)
    {
      g_assert_true (report_propagation (f, TRUE, TRUE, &error));
      g_assert_no_error (error);
      reload (f);
    }
  if (target > HES_MIGRATION_STEP_MAIL_PROGRAMS)
    {
      g_autoptr(HesAutoconfigResult) result = check_programs (f, FALSE, &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
      reload (f);
    }
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==, target);
}

/* A run of every due job, one interval later on the server. */
static void
next_runs (Fixture *f, guint expected)
{
  hes_mailcow_sim_advance_clock (f->base.sim, 21 * 60);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, expected);
}

static void
test_order_enforced (Fixture *f, gconstpointer data)
{
  HesDnsSummary dns = { .required_ok = TRUE, .mx_ok = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = NULL;
  g_autoptr(HesAutoconfigResult) programs = NULL;

  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_CREATE_MAILBOXES);
  g_assert_false (hes_domain_migration_report_dns (f->migration, &dns, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_assert_nonnull (strstr (error->message, "Create the mailboxes"));
  g_clear_error (&error);
  job = start_job (f, MAILBOX, OLD_HOST, &error);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_false (report_propagation (f, TRUE, TRUE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  programs = check_programs (f, TRUE, &error);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_false (remove_jobs (f, TRUE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  /* An empty list cannot complete step 1. */
  g_assert_false (verify_mailboxes (f, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 0);
  for (guint step = 0; step < HES_MIGRATION_N_STEPS; step++)
    g_assert_false (hes_domain_migration_is_step_done (f->migration, step));

  /* Halfway, a later step is still refused. */
  walk_to (f, HES_MIGRATION_STEP_DNS_RECORDS);
  g_assert_false (report_propagation (f, TRUE, TRUE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_assert_nonnull (strstr (error->message, "Point your DNS"));
}

static void
test_full_walk (Fixture *f, gconstpointer data)
{
  const char *mailboxes[] = { MAILBOX, "BOB@kunde.example", NULL };
  HesDnsSummary bad_dns = { FALSE, 1, 2, 0, TRUE };
  HesDnsSummary dns = { .required_ok = TRUE, .mx_ok = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) a = NULL;
  g_autoptr(HesSyncJob) b = NULL;
  g_autoptr(HesSyncJob) again = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(HesAutoconfigResult) programs = NULL;
  g_autoptr(HesMailSettings) settings = NULL;
  g_autofree char *why = NULL;
  g_autofree char *why_later = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 switch_time;

  /* 1. Mailboxes. */
  g_assert_true (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
  reload (f);
  g_assert_false (verify_mailboxes (f, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, BOB));
  g_assert_null (strstr (error->message, MAILBOX));
  g_clear_error (&error);
  create_bob (f);
  g_assert_true (verify_mailboxes (f, &error));
  g_assert_cmpint (hes_domain_migration_get_step_time (f->migration, 0), ==, f->base.now);
  reload (f);

  /* 2. Simulations, then the real copy; the jobs stay active. */
  a = start_job (f, MAILBOX, OLD_HOST, &error);
  g_assert_no_error (error);
  b = start_job (f, BOB, BOB_HOST, &error);
  g_assert_no_error (error);
  g_assert_true (a->dry && b->dry);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, MAILBOX), ==,
                   HES_MIGRATION_JOB_SIMULATING);
  reload (f);
  g_assert_false (go_live (f, MAILBOX, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_false (complete_jobs (f, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, MAILBOX));
  g_assert_nonnull (strstr (error->message, BOB));
  g_clear_error (&error);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
  jobs = refresh (f);
  g_assert_cmpuint (jobs->len, ==, 2);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, BOB), ==,
                   HES_MIGRATION_JOB_SIMULATED);
  reload (f);
  g_assert_true (go_live (f, MAILBOX, &error));
  g_assert_no_error (error);
  reload (f);
  /* Starting again a mailbox already copied for real does not turn it back to a simulation. */
  again = start_job (f, MAILBOX, OLD_HOST, &error);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (go_live (f, BOB, &error));
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 2);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
  g_assert_true (complete_jobs (f, &error));
  g_assert_no_error (error);
  reload (f);

  /* 3. DNS records. */
  g_assert_false (hes_domain_migration_report_dns (f->migration, &bad_dns, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, "3 DNS records"));
  g_clear_error (&error);
  reload (f);
  g_assert_true (hes_domain_migration_report_dns (f->migration, &dns, &error));
  reload (f);

  /* 4. Propagation, an hour later. */
  f->base.now += HOUR;
  g_assert_false (report_propagation (f, TRUE, FALSE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, 0);
  f->base.now += HOUR;
  switch_time = f->base.now;
  g_assert_true (report_propagation (f, TRUE, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, switch_time);
  reload (f);

  /* 5. Mail programs. */
  settings = hes_domain_migration_get_mail_settings (f->migration);
  g_assert_cmpstr (settings->host, ==, MAIL_HOST);
  g_assert_cmpuint (settings->imap_port, ==, 993);
  g_assert_cmpuint (settings->smtp_port, ==, 465);
  g_assert_cmpuint (settings->smtp_starttls_port, ==, 587);
  g_assert_cmpstr (settings->dav_url, ==, "https://" MAIL_HOST "/SOGo/dav/");
  programs = check_programs (f, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (programs->domain_ok && programs->host_ok);
  reload (f);

  /* 6. Removal: refused at first (too early, no run since the switch), then safe. */
  f->base.now += HOUR;
  g_assert_false (check_removal (f, &why, &error));
  g_assert_no_error (error);
  g_test_message ("%s", why);
  g_assert_nonnull (strstr (why, "23 more hours"));
  g_assert_nonnull (strstr (why, MAILBOX ": its synchronisation has not run since the DNS switch."));
  g_assert_nonnull (strstr (why, BOB ": its synchronisation has not run"));
  g_assert_false (remove_jobs (f, FALSE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_UNSAFE);
  g_assert_cmpstr (error->message, ==, why);
  g_clear_error (&error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 2);
  reload (f);

  next_runs (f, 2);
  f->base.now = switch_time + 24 * HOUR - 60;
  g_assert_false (check_removal (f, &why_later, &error));
  g_assert_nonnull (strstr (why_later, "1 more hour;"));
  g_assert_null (strstr (why_later, "has not run"));
  f->base.now = switch_time + 24 * HOUR;
  g_assert_true (check_removal (f, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (remove_jobs (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 0);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==, HES_MIGRATION_N_STEPS);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, BOB), ==,
                   HES_MIGRATION_JOB_REMOVED);
  reload (f);
  g_test_message ("full simulated migration walk: %.1f ms",
                  (g_get_monotonic_time () - started) / 1000.0);
}

static void
test_failed_run_after_switch (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  walk_to (f, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS);
  hes_mailcow_sim_set_syncjob_host_outcome (f->base.sim, OLD_HOST,
                                            "EXIT_AUTHENTICATION_FAILURE_USER1");
  next_runs (f, 2);
  f->base.now += 30 * HOUR;
  g_assert_false (remove_jobs (f, FALSE, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_UNSAFE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, MAILBOX ": its last synchronisation after the DNS "
                                            "switch failed: The old provider refused"));
  g_assert_null (strstr (error->message, BOB));
  g_assert_null (strstr (error->message, "more hour"));
  g_clear_error (&error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 2);
  reload (f);

  /* A run stuck since then is not safe either. */
  g_assert_true (hes_mailcow_sim_set_syncjob_running (f->base.sim,
                   hes_domain_migration_get_job_id (f->migration, BOB), TRUE));
  g_assert_false (check_removal (f, &why, &error));
  g_assert_nonnull (strstr (why, BOB ": its synchronisation is running right now."));

  /* The customer confirms: removed anyway. */
  g_assert_true (remove_jobs (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 0);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==, HES_MIGRATION_N_STEPS);
  reload (f);
}

static void
test_resume_without_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) made_before_crash = NULL;
  g_autoptr(HesSyncJob) resumed = NULL;
  g_autoptr(HesSyncJob) bob = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  HesDnsSummary dns = { .required_ok = TRUE, .mx_ok = TRUE };

  walk_to (f, HES_MIGRATION_STEP_SYNC_JOBS);
  /* The app made anna's job, then crashed before saving: the state does not know it. */
  {
    g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);

    made_before_crash = migration_create_job (&f->base, spec, &error);
    g_assert_no_error (error);
  }
  reload (f);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, MAILBOX), ==,
                   HES_MIGRATION_JOB_NONE);
  resumed = start_job (f, MAILBOX, OLD_HOST, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resumed->id, ==, made_before_crash->id);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 1);

  /* A network failure in the middle of the step: nothing recorded, then done once. */
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_HTTP_500);
  bob = start_job (f, BOB, BOB_HOST, &error);
  g_assert_null (bob);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER);
  g_clear_error (&error);
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_NONE);
  reload (f);
  bob = start_job (f, BOB, BOB_HOST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 2);

  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
  g_assert_true (go_live (f, MAILBOX, &error));
  g_assert_true (go_live (f, BOB, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 2);
  g_assert_true (complete_jobs (f, &error));
  g_assert_true (hes_domain_migration_report_dns (f->migration, &dns, &error));
  g_assert_true (report_propagation (f, TRUE, TRUE, &error));
  {
    g_autoptr(HesAutoconfigResult) programs = check_programs (f, FALSE, &error);
    g_assert_no_error (error);
  }
  next_runs (f, 2);
  f->base.now += 25 * HOUR;

  /* Removal: the server fails; nothing is lost, then it goes through. */
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_HTTP_500);
  g_assert_false (remove_jobs (f, FALSE, &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER);
  g_clear_error (&error);
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_NONE);
  reload (f);
  /* One job went before a crash (removed, state not saved). */
  hes_sync_job_manager_delete_async (f->base.manager, resumed->id, NULL, migration_on_done, &r);
  g_assert_true (hes_sync_job_manager_delete_finish (f->base.manager, migration_wait_for (&r),
                                                     &error));
  g_assert_true (remove_jobs (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 0);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==, HES_MIGRATION_N_STEPS);
  reload (f);
}

static void
test_autoconfig_wrong_host (Fixture *f, gconstpointer data)
{
  g_autoptr(HesMailcowSim) other = hes_mailcow_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *other_url = NULL;
  g_autofree char *url = hes_mailcow_sim_dup_url (f->base.sim);
  g_autoptr(HesAutoconfigResult) refused = NULL;
  g_autoptr(HesAutoconfigResult) confirmed = NULL;
  g_autofree char *data_text = NULL;

  hes_mailcow_sim_set_hostname (other, "mail.someone-else.test");
  g_assert_true (hes_mailcow_sim_listen (other, 0, &error));
  other_url = hes_mailcow_sim_dup_url (other);
  walk_to (f, HES_MIGRATION_STEP_MAIL_PROGRAMS);
  hes_domain_migration_set_autoconfig_urls (f->migration, other_url, url);
  refused = check_programs (f, FALSE, &error);
  g_assert_null (refused);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_AUTOCONFIG);
  g_assert_nonnull (strstr (error->message, "do not name the mail server " MAIL_HOST));
  g_clear_error (&error);
  g_assert_false (hes_domain_migration_is_step_done (f->migration,
                                                     HES_MIGRATION_STEP_MAIL_PROGRAMS));
  data_text = hes_domain_migration_to_data (f->migration);
  g_assert_nonnull (strstr (data_text, "AutoconfigChecked=true"));
  g_assert_nonnull (strstr (data_text, "AutoconfigDomainOk=false"));
  g_assert_nonnull (strstr (data_text, "AutoconfigHostOk=true"));
  reload (f);

  /* Nothing listens there: the address cannot be reached. */
  hes_domain_migration_set_autoconfig_urls (f->migration, "http://127.0.0.1:1", url);
  refused = check_programs (f, FALSE, &error);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_AUTOCONFIG);
  g_assert_nonnull (strstr (error->message, "could not be reached"));
  g_clear_error (&error);

  /* Set up by hand: the customer confirms. */
  hes_domain_migration_set_autoconfig_urls (f->migration, other_url, url);
  confirmed = check_programs (f, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (confirmed->domain_ok);
  g_assert_true (confirmed->host_ok);
  g_assert_true (hes_domain_migration_is_step_done (f->migration,
                                                    HES_MIGRATION_STEP_MAIL_PROGRAMS));
  reload (f);
}

static void
test_autoconfig_parse (void)
{
  const char *good = "<?xml version=\"1.0\"?><clientConfig version=\"1.1\"><emailProvider id=\"x\">"
                     "<incomingServer type=\"pop3\"><hostname>pop.other</hostname></incomingServer>"
                     "<incomingServer type=\"imap\"><hostname> MAIL.Hosterra.test. </hostname>"
                     "</incomingServer><outgoingServer type=\"smtp\"><hostname>mail.hosterra.test"
                     "</hostname></outgoingServer></emailProvider></clientConfig>";
  const char *imap_only = "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>"
                          "mail.hosterra.test</hostname></incomingServer></emailProvider>"
                          "</clientConfig>";
  g_autofree char *why = NULL;
  g_autofree char *why2 = NULL;
  g_autofree char *why3 = NULL;

  g_assert_true (hes_autoconfig_names_host (good, -1, MAIL_HOST, &why));
  g_assert_null (why);
  g_assert_false (hes_autoconfig_names_host (imap_only, -1, MAIL_HOST, &why));
  g_assert_nonnull (strstr (why, "do not name"));
  g_assert_false (hes_autoconfig_names_host ("<html><body>404", -1, MAIL_HOST, &why2));
  g_assert_nonnull (strstr (why2, "does not give mail program settings"));
  g_assert_false (hes_autoconfig_names_host (good, -1, "mail.other.test", &why3));
}

static void
test_state_file_place_and_damage (Fixture *f, gconstpointer data)
{
  g_autoptr(HesDomainMigration) fresh = hes_domain_migration_new (DOMAIN, MAIL_HOST,
                                                                  f->base.profile);
  g_autofree char *default_path = hes_domain_migration_get_state_path (fresh);
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "hosterra-email-setup",
                                                "migrations", MAIL_HOST, "-", DOMAIN ".ini",
                                                NULL);
  g_autofree char *path = hes_domain_migration_get_state_path (f->migration);
  g_autofree char *dir = NULL;
  g_autoptr(HesDomainMigration) broken = NULL;
  g_autoptr(GError) error = NULL;
  const char *mailboxes[] = { "x@elsewhere.example", NULL };

  g_assert_cmpstr (default_path, ==, expected);
  g_assert_false (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_clear_error (&error);

  dir = g_path_get_dirname (path);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "[Migration\ngarbage", -1, &error));
  broken = hes_domain_migration_new (DOMAIN, MAIL_HOST, f->base.profile);
  hes_domain_migration_set_state_dir (broken, f->base.state_dir);
  hes_domain_migration_set_account (broken, NULL, ADMIN);
  g_assert_false (hes_domain_migration_load (broken, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_STATE_FILE);
  g_clear_error (&error);
  g_assert_true (hes_domain_migration_forget (broken, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  const char *mailboxes[] = { MAILBOX, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_SILENT);
  hes_domain_migration_verify_mailboxes_async (f->migration, f->base.client, cancellable,
                                               migration_on_done, &r);
  g_cancellable_cancel (cancellable);
  g_assert_false (hes_domain_migration_verify_mailboxes_finish (f->migration,
                                                                migration_wait_for (&r), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (hes_domain_migration_is_step_done (f->migration,
                                                     HES_MIGRATION_STEP_CREATE_MAILBOXES));
  hes_mailcow_sim_set_fault (f->base.sim, HES_SIM_FAULT_NONE);
  g_clear_error (&error);
  g_assert_true (verify_mailboxes (f, &error));
  g_assert_no_error (error);
}


/* Steps 3 and 4 with the DNS checker, on a fake backend: the resolver's view and the one of
 * the domain's own server (NS) may differ, as during a propagation. */

#define NS "192.0.2.53:53"

static const char *dns_infrastructure =
  "kunde.example SOA ns1.kunde.example hostmaster.kunde.example 1 3600 900 1209600 300\n"
  "kunde.example NS ns1.kunde.example\n"
  "ns1.kunde.example A 192.0.2.53\n"
  "mail.hosterra.test A 192.0.2.25\n";

/* Every record right but the MX, which still names the old provider. */
static const char *dns_records =
  "kunde.example TXT \"v=spf1 mx a:mail.hosterra.test ~all\"\n"
  "_dmarc.kunde.example TXT \"v=DMARC1; p=quarantine\"\n"
  "autoconfig.kunde.example CNAME mail.hosterra.test\n"
  "autodiscover.kunde.example CNAME mail.hosterra.test\n"
  "_autodiscover._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n"
  "_imaps._tcp.kunde.example SRV 0 1 993 mail.hosterra.test\n"
  "_submissions._tcp.kunde.example SRV 0 1 465 mail.hosterra.test\n"
  "_caldavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n"
  "_carddavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n";
static const char *old_mx = "kunde.example 600 MX 10 mx.old-provider.example\n";
static const char *new_mx = "kunde.example 600 MX 10 mail.hosterra.test\n";

static void
add_view (HesFakeDnsBackend *fake, const char *server, const char *mx)
{
  g_autofree char *dkim = g_strdup_printf ("dkim._domainkey.kunde.example TXT "
                                           "\"v=DKIM1; k=rsa; p=%s\"", TEST_KEY_A2048);

  hes_fake_dns_backend_add_lines (fake, server, dns_infrastructure);
  hes_fake_dns_backend_add_lines (fake, server, dns_records);
  hes_fake_dns_backend_add (fake, server, dkim);
  hes_fake_dns_backend_add_lines (fake, server, mx);
}

/* A checker whose resolver sees @resolver_mx and the domain's server @server_mx. */
static HesDnsChecker *
checker_new (const char *resolver_mx, const char *server_mx)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();

  hes_fake_dns_backend_set_glue (fake, TRUE);
  add_view (fake, NULL, resolver_mx);
  add_view (fake, NS, server_mx);
  return hes_dns_checker_new (HES_DNS_BACKEND (fake), HES_DNS_BACKEND (fake));
}

static HesDnsRecordPlan *
dns_plan_new (const char *domain)
{
  g_autoptr(GError) error = NULL;
  HesDnsRecordPlan *plan = hes_dns_record_plan_new (domain, MAIL_HOST, NULL, NULL,
                                                    TEST_KEY_A2048, &error);

  g_assert_no_error (error);
  return plan;
}

static gboolean
check_dns (Fixture *f, HesDnsChecker *checker, HesDnsCheckReport **report, GError **error)
{
  g_autoptr(HesDnsRecordPlan) plan = dns_plan_new (DOMAIN);
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_check_dns_async (f->migration, checker, plan, NULL, migration_on_done,
                                        &r);
  return hes_domain_migration_check_dns_finish (f->migration, migration_wait_for (&r), report,
                                                error);
}

static HesMigrationSwitch
check_switch (Fixture *f, HesDnsChecker *checker, HesDnsRecordResult **mx, GError **error)
{
  g_autoptr(HesDnsRecordPlan) plan = dns_plan_new (DOMAIN);
  g_autoptr(GAsyncResult) r = NULL;

  hes_domain_migration_check_switch_async (f->migration, checker, plan, f->base.manager, NULL,
                                           migration_on_done, &r);
  return hes_domain_migration_check_switch_finish (f->migration, migration_wait_for (&r), mx,
                                                   error);
}

static void
test_dns_check (Fixture *f, gconstpointer data)
{
  g_autoptr(HesDnsChecker) wrong = checker_new (old_mx, old_mx);
  g_autoptr(HesDnsChecker) right = checker_new (new_mx, new_mx);
  g_autoptr(HesDnsChecker) pending = checker_new (old_mx, new_mx);
  g_autoptr(HesDnsCheckReport) report = NULL;
  g_autoptr(HesDnsRecordPlan) other = dns_plan_new ("elsewhere.example");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  HesDnsRecordResult *mx;
  HesDnsSummary summary;

  /* Not before the sync jobs run. */
  g_assert_false (check_dns (f, right, &report, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_assert_null (report);
  g_clear_error (&error);
  walk_to (f, HES_MIGRATION_STEP_DNS_RECORDS);

  /* The MX still at the old provider: refused, and the report says it is the MX. */
  g_assert_false (check_dns (f, wrong, &report, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, "MX"));
  g_assert_nonnull (report);
  mx = hes_dns_report_find_mx (report);
  g_assert_cmpint (mx->finding->verdict, ==, HES_DNS_VERDICT_WRONG);
  hes_dns_summary_from_report (report, &summary);
  g_assert_false (summary.mx_ok);
  g_assert_cmpuint (summary.wrong, >=, 1);
  g_assert_false (hes_domain_migration_is_step_done (f->migration,
                                                     HES_MIGRATION_STEP_DNS_RECORDS));
  g_clear_pointer (&report, hes_dns_check_report_unref);
  g_clear_error (&error);
  reload (f);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_DNS_RECORDS);

  /* Another domain's records prove nothing about this one. */
  hes_domain_migration_check_dns_async (f->migration, right, other, NULL, migration_on_done, &r);
  g_assert_false (hes_domain_migration_check_dns_finish (f->migration, migration_wait_for (&r),
                                                         NULL, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&r);

  /* Right at the domain's server, not yet here: pending counts as right for this step. */
  f->base.now += 60;
  g_assert_true (check_dns (f, pending, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hes_dns_report_find_mx (report)->finding->verdict, ==,
                   HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (hes_domain_migration_get_step_time (f->migration,
                                                       HES_MIGRATION_STEP_DNS_RECORDS), ==,
                   f->base.now);
  g_clear_pointer (&report, hes_dns_check_report_unref);
  reload (f);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_PROPAGATION);
  /* Done stays done: a second check changes nothing. */
  g_assert_true (check_dns (f, right, NULL, &error));
  g_assert_no_error (error);
}

static void
test_switch_check (Fixture *f, gconstpointer data)
{
  g_autoptr(HesDnsChecker) not_made = checker_new (old_mx, old_mx);
  g_autoptr(HesDnsChecker) pending = checker_new (old_mx, new_mx);
  g_autoptr(HesDnsChecker) visible = checker_new (new_mx, new_mx);
  g_autoptr(HesDnsRecordResult) mx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_text = NULL;
  HesDnsSummary dns = { .required_ok = TRUE, .mx_ok = TRUE };

  walk_to (f, HES_MIGRATION_STEP_DNS_RECORDS);
  /* Not before step 3. */
  g_assert_cmpint (check_switch (f, visible, NULL, &error), ==, HES_MIGRATION_SWITCH_UNKNOWN);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_true (hes_domain_migration_report_dns (f->migration, &dns, &error));

  /* The domain's server went back to the old MX. */
  g_assert_cmpint (check_switch (f, not_made, &mx, &error), ==, HES_MIGRATION_SWITCH_NOT_MADE);
  g_assert_no_error (error);
  g_assert_cmpint (mx->finding->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_clear_pointer (&mx, hes_dns_record_result_unref);

  /* Right there, old here: pending, with the resolver's TTL as the wait; nothing recorded. */
  f->base.now += 300;
  g_assert_cmpint (check_switch (f, pending, &mx, &error), ==, HES_MIGRATION_SWITCH_PENDING);
  g_assert_no_error (error);
  g_assert_cmpint (mx->finding->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (mx->finding->visible_in_s, >, 0);
  g_assert_cmpint (mx->finding->visible_in_s, <=, 600);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, 0);
  g_assert_false (hes_domain_migration_is_step_done (f->migration,
                                                     HES_MIGRATION_STEP_PROPAGATION));
  g_clear_pointer (&mx, hes_dns_record_result_unref);
  reload (f);

  /* Ten minutes later the resolver sees it: the switch is recorded at that moment, with the
   * jobs' last runs then (the 24 hours of step 6 count from it). */
  f->base.now += 600;
  g_assert_cmpint (check_switch (f, visible, &mx, &error), ==, HES_MIGRATION_SWITCH_VISIBLE);
  g_assert_no_error (error);
  g_assert_cmpint (mx->finding->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, f->base.now);
  g_assert_true (hes_domain_migration_is_step_done (f->migration,
                                                    HES_MIGRATION_STEP_PROPAGATION));
  data_text = hes_domain_migration_to_data (f->migration);
  g_assert_nonnull (strstr (data_text, "BaselineTaken=true"));
  reload (f);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, f->base.now);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_MAIL_PROGRAMS);
}

/* Reconciling with the server. */

static GStrv
reconcile (Fixture *f, HesDomainMigration *migration)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GStrv reasons;

  hes_domain_migration_reconcile_async (migration, f->base.manager, NULL, migration_on_done, &r);
  reasons = hes_domain_migration_reconcile_finish (migration, migration_wait_for (&r), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reasons);
  return reasons;
}

static gboolean
reasons_contain (GStrv reasons, const char *text)
{
  for (guint i = 0; reasons[i]; i++)
    if (strstr (reasons[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* The server the app talks to is replaced by an empty one (the same domain and administrator,
 * no mailbox, no job), as after a demo restart. */
static void
restart_empty_server (Fixture *f)
{
  const char *domains[] = { DOMAIN, NULL };
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_clear_object (&f->base.manager);
  g_clear_object (&f->base.client);
  g_clear_object (&f->base.sim);
  f->base.sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_failure_delay_unit_ms (f->base.sim, 0);
  hes_mailcow_sim_set_hostname (f->base.sim, MAIL_HOST);
  hes_mailcow_sim_add_domain (f->base.sim, DOMAIN, "Kunde", TRUE);
  hes_mailcow_sim_add_domain_admin (f->base.sim, ADMIN, ADMIN_PASS, domains);
  g_assert_true (hes_mailcow_sim_listen (f->base.sim, 0, &error));
  url = hes_mailcow_sim_dup_url (f->base.sim);
  f->base.client = hes_mailcow_client_new (url, &error);
  g_assert_no_error (error);
  hes_mailcow_client_sign_in_async (f->base.client, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN,
                                    ADMIN_PASS, NULL, migration_on_done, &r);
  g_assert_cmpint (hes_mailcow_client_sign_in_finish (f->base.client, migration_wait_for (&r),
                                                      &error), ==, HES_SIGN_IN_DONE);
  f->base.manager = hes_sync_job_manager_new (f->base.client, f->base.profile);
}

static void
test_reconcile_empty_server (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) agreed = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *saved = NULL;

  walk_to (f, HES_MIGRATION_STEP_REMOVE_SYNC_JOBS);
  /* The same server still agrees: nothing is reopened. */
  agreed = reconcile (f, f->migration);
  g_assert_cmpuint (g_strv_length (agreed), ==, 0);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_REMOVE_SYNC_JOBS);

  restart_empty_server (f);
  reasons = reconcile (f, f->migration);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_CREATE_MAILBOXES);
  for (guint step = 0; step < HES_MIGRATION_N_STEPS; step++)
    g_assert_false (hes_domain_migration_is_step_done (f->migration, step));
  g_assert_true (reasons_contain (reasons, "The server has no mailbox " MAILBOX ", " BOB
                                  ", so the step “Create the mailboxes” is open again"));
  g_assert_true (reasons_contain (reasons, "The steps after it are open again too"));
  /* The 24-hour clock starts over with the next switch. */
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, 0);
  /* Saved: the reopened steps stay open after a restart of the app. */
  reload (f);
  saved = hes_domain_migration_to_data (f->migration);
  g_assert_nonnull (strstr (saved, "Step1Done=0"));
  g_assert_nonnull (strstr (saved, "Step5Done=0"));
}

static void
test_reconcile_job_removed_outside (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;
  g_auto(GStrv) again = NULL;
  g_autoptr(HesSyncJob) restarted = NULL;
  gint64 bob_id;

  walk_to (f, HES_MIGRATION_STEP_DNS_RECORDS);
  bob_id = hes_domain_migration_get_job_id (f->migration, BOB);
  g_assert_cmpint (bob_id, >, 0);
  /* Removed in mailcow's own web pages. */
  hes_sync_job_manager_delete_async (f->base.manager, bob_id, NULL, migration_on_done, &r);
  g_assert_true (hes_sync_job_manager_delete_finish (f->base.manager, migration_wait_for (&r),
                                                     &error));
  g_assert_no_error (error);

  reasons = reconcile (f, f->migration);
  g_assert_true (reasons_contain (reasons, "The synchronisation of " BOB " was removed on the "
                                  "server, outside this app, so the step “Copy the old "
                                  "mailboxes” is open again"));
  g_assert_false (reasons_contain (reasons, MAILBOX));
  g_assert_true (hes_domain_migration_job_removed_outside (f->migration, BOB));
  g_assert_false (hes_domain_migration_job_removed_outside (f->migration, MAILBOX));
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, BOB), ==,
                   HES_MIGRATION_JOB_NONE);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, MAILBOX), ==,
                   HES_MIGRATION_JOB_LIVE);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_SYNC_JOBS);
  reload (f);
  g_assert_true (hes_domain_migration_job_removed_outside (f->migration, BOB));
  /* Still said on the next visit, without repeating that the step reopened. */
  again = reconcile (f, f->migration);
  g_assert_true (reasons_contain (again, "was removed on the server, outside this app: start "
                                  "it again"));

  /* Started again: no longer "removed". */
  restarted = start_job (f, BOB, BOB_HOST, &error);
  g_assert_no_error (error);
  g_assert_false (hes_domain_migration_job_removed_outside (f->migration, BOB));
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, BOB), ==,
                   HES_MIGRATION_JOB_SIMULATING);
}

static void
test_reconcile_fresh_state_folder (Fixture *f, gconstpointer data)
{
  g_autofree char *other_dir = g_dir_make_tmp ("hes-migration-other-XXXXXX", NULL);
  g_autoptr(HesDomainMigration) second = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;
  const char * const *boxes;

  walk_to (f, HES_MIGRATION_STEP_DNS_RECORDS);
  /* Another computer: the same server and account, nothing saved. */
  second = hes_domain_migration_new (DOMAIN, MAIL_HOST, f->base.profile);
  hes_domain_migration_set_state_dir (second, other_dir);
  hes_domain_migration_set_account (second, NULL, ADMIN);
  g_assert_true (hes_domain_migration_load (second, &error));
  g_assert_cmpint (hes_domain_migration_get_current_step (second), ==,
                   HES_MIGRATION_STEP_CREATE_MAILBOXES);
  reasons = reconcile (f, second);
  g_assert_cmpuint (g_strv_length (reasons), ==, 0);
  g_assert_cmpint (hes_domain_migration_get_current_step (second), ==,
                   HES_MIGRATION_STEP_DNS_RECORDS);
  boxes = hes_domain_migration_get_mailboxes (second);
  g_assert_cmpuint (g_strv_length ((GStrv) boxes), ==, 2);
  g_assert_cmpstr (boxes[0], ==, MAILBOX);
  g_assert_cmpstr (boxes[1], ==, BOB);
  for (guint i = 0; boxes[i]; i++)
    {
      g_assert_cmpint (hes_domain_migration_get_job_id (second, boxes[i]), ==,
                       hes_domain_migration_get_job_id (f->migration, boxes[i]));
      g_assert_cmpint (hes_domain_migration_get_job_phase (second, boxes[i]), ==,
                       HES_MIGRATION_JOB_LIVE);
    }
  g_assert_true (hes_domain_migration_forget (second, &error));
  g_rmdir (other_dir);
}

/* Step 2 lists a mailbox whose job was made elsewhere ("Move One Mailbox") as having one. */
static void
test_reconcile_existing_job (Fixture *f, gconstpointer data)
{
  const char *mailboxes[] = { MAILBOX, BOB, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) made = NULL;
  g_auto(GStrv) reasons = NULL;

  g_assert_true (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
  create_bob (f);
  made = migration_create_job (&f->base, spec, &error);
  g_assert_no_error (error);
  reasons = reconcile (f, f->migration);
  g_assert_cmpuint (g_strv_length (reasons), ==, 0);
  /* The mailboxes exist: step 1 is done from the server alone. */
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_SYNC_JOBS);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, MAILBOX), ==,
                   HES_MIGRATION_JOB_SIMULATING);
  g_assert_cmpint (hes_domain_migration_get_job_id (f->migration, MAILBOX), ==, made->id);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, BOB), ==,
                   HES_MIGRATION_JOB_NONE);
  /* Its simulation finished on the server: the checklist says so too. */
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->base.sim), ==, 1);
  g_strfreev (reasons);
  reasons = reconcile (f, f->migration);
  g_assert_cmpint (hes_domain_migration_get_job_phase (f->migration, MAILBOX), ==,
                   HES_MIGRATION_JOB_SIMULATED);
}

/* A job of the same old account made elsewhere, unknown to the checklist: starting the
 * mailbox's simulation adds at once, meets mailcow's object_exists and updates that job. */
static void
test_start_job_never_duplicates (Fixture *f, gconstpointer data)
{
  const char *mailboxes[] = { MAILBOX, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAILBOX, OLD_HOST, OLD_USER, OLD_PASS);
  g_autoptr(HesSyncJob) made = NULL;
  g_autoptr(HesSyncJob) started = NULL;

  made = migration_create_job (&f->base, spec, &error);
  g_assert_no_error (error);
  g_assert_true (hes_domain_migration_set_mailboxes (f->migration, mailboxes, &error));
  g_assert_true (verify_mailboxes (f, &error));
  started = start_job (f, MAILBOX, OLD_HOST, &error);
  g_assert_no_error (error);
  g_assert_cmpint (started->id, ==, made->id);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->base.sim), ==, 1);
}

/* A DNS check showing the MX moved away opens step 3 and after again. */
static void
test_reconcile_dns (Fixture *f, gconstpointer data)
{
  HesDnsSummary unknown = { .unknown = 1 };
  HesDnsSummary right = { .required_ok = TRUE, .mx_ok = TRUE };
  HesDnsSummary moved = { .wrong = 1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  walk_to (f, HES_MIGRATION_STEP_MAIL_PROGRAMS);
  g_assert_true (hes_domain_migration_reconcile_dns (f->migration, &right, &why, &error));
  g_assert_true (hes_domain_migration_reconcile_dns (f->migration, &unknown, &why, &error));
  g_assert_null (why);
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_MAIL_PROGRAMS);
  g_assert_true (hes_domain_migration_reconcile_dns (f->migration, &moved, &why, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (why, "no longer sends its mail to Hosterra Email"));
  g_assert_cmpint (hes_domain_migration_get_current_step (f->migration), ==,
                   HES_MIGRATION_STEP_DNS_RECORDS);
  g_assert_cmpint (hes_domain_migration_get_switch_time (f->migration), ==, 0);
  reload (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/migration/domain/order-enforced", test_order_enforced);
  ADD ("/migration/domain/full-walk", test_full_walk);
  ADD ("/migration/domain/failed-run-after-switch", test_failed_run_after_switch);
  ADD ("/migration/domain/resume-without-duplicates", test_resume_without_duplicates);
  ADD ("/migration/domain/autoconfig-wrong-host", test_autoconfig_wrong_host);
  ADD ("/migration/domain/state-file", test_state_file_place_and_damage);
  ADD ("/migration/domain/cancel", test_cancel);
  ADD ("/migration/domain/dns-check", test_dns_check);
  ADD ("/migration/domain/switch-check", test_switch_check);
  ADD ("/migration/domain/reconcile-empty-server", test_reconcile_empty_server);
  ADD ("/migration/domain/reconcile-job-removed-outside", test_reconcile_job_removed_outside);
  ADD ("/migration/domain/reconcile-fresh-state-folder", test_reconcile_fresh_state_folder);
  ADD ("/migration/domain/reconcile-existing-job", test_reconcile_existing_job);
  ADD ("/migration/domain/reconcile-dns", test_reconcile_dns);
  ADD ("/migration/domain/start-job-never-duplicates", test_start_job_never_duplicates);
#undef ADD
  g_test_add_func ("/migration/domain/autoconfig-parse", test_autoconfig_parse);
  return g_test_run ();
}
