/* hes-moves-bench.c: what moving a domain of 500 mailboxes costs (not a test).
 *
 * Against the mailcow simulator, in the real window, signed in as the domain's administrator:
 * HTTP requests per mailbox and time to create the mailboxes (step 1) and their sync jobs
 * (step 2); requests of one polling cycle and of reading the checklist again; the longest
 * main-loop stall while "Your Moves" and step 2 fill with 500 entries; peak memory; and the
 * CPU time per minute of the page waiting on jobs the server does not finish.
 * Prints one "name value unit target" line per figure; exits 1 when a target is missed.
 *   hes-moves-bench [--mailboxes N] [--wait-seconds S]
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "hes-domain-migration.h"
#include "hes-mailbox-batch.h"
#include "hes-mailcow-sim-private.h"
#include "hes-sync-job-manager.h"
#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/home/hes-home-page.h"
#include "pages/migration/hes-move-domain-page.h"
#include "pages/migration/hes-your-moves.h"

static guint requests;
static gint64 last_tick;
static gint64 longest_stall;
static gboolean missed;

static void
on_request_cb (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  requests++;
}

/* A tick every millisecond at high priority: the longest gap is the longest stall. */
static gboolean
on_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_stall = MAX (longest_stall, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_reset (void)
{
  last_tick = 0;
  longest_stall = 0;
}

static void
report (const char *name, double value, const char *unit, double target)
{
  gboolean ok = target <= 0 || value <= target;

  if (target > 0)
    g_print ("%-40s %10.2f %-10s (target <= %g)%s\n", name, value, unit, target,
             ok ? "" : "  MISSED");
  else
    g_print ("%-40s %10.2f %s\n", name, value, unit);
  missed |= !ok;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
peak_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (line + 6, NULL) / 1024;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
page_idle (gpointer data)
{
  HesPage *page = data;

  return gtk_widget_is_sensitive (mig_child (page, HES_TYPE_MOVE_DOMAIN_PAGE, "domain_row"))
         && hes_move_domain_page_get_current_step (HES_MOVE_DOMAIN_PAGE (page)) >= 0;
}

static gboolean
moves_idle (gpointer data)
{
  return !hes_your_moves_is_busy (data);
}

static gboolean
rows_filled (gpointer data)
{
  return gtk_widget_get_first_child (data) != NULL;
}

int
main (int argc, char *argv[])
{
  int n = 500;
  int wait_seconds = 60;
  GOptionEntry entries[] = {
    { "mailboxes", 0, 0, G_OPTION_ARG_INT, &n, "Mailboxes in the domain", "N" },
    { "wait-seconds", 0, 0, G_OPTION_ARG_INT, &wait_seconds, "Time waited on jobs", "S" },
    { NULL },
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *state_dir = g_dir_make_tmp ("hes-moves-bench-XXXXXX", NULL);
  g_autoptr(HesMailboxBatch) batch = NULL;
  g_autoptr(HesDomainMigration) migration = NULL;
  g_autoptr(HesSyncJobManager) manager = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  HesMailcowClient *client;
  HesSession *session;
  GuiFixture f = { 0 };
  HesPage *page;
  GtkWidget *moves;
  gint64 start;
  guint before;
  guint tick_id;
  double cpu;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();

  mig_fixture_setup (&f, NULL);
  hes_mailcow_sim_set_domain_limits (f.sim, MIG_DOMAIN, n + 10, (guint64) n * 100 + 16384, 4096,
                                     100);
  g_signal_connect (f.sim->server, "request-started", G_CALLBACK (on_request_cb), NULL);
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, on_tick_cb, NULL, NULL);
  session = hes_window_get_session (f.window);
  client = hes_session_get_client (session);
  manager = hes_sync_job_manager_new (client, hes_session_get_profile (session));

  /* Step 1: create the mailboxes. */
  for (int i = 0; i < n; i++) {
    g_string_append_printf (csv, "box%03d@" MIG_DOMAIN ",Box %d,100\n", i, i);
    g_autofree char *address = g_strdup_printf ("box%03d@" MIG_DOMAIN, i);

    g_strv_builder_add (addresses, address);
  }
  list = g_strv_builder_end (addresses);
  batch = hes_mailbox_batch_new (client, MIG_DOMAIN);
  if (!hes_mailbox_batch_set_text (batch, csv->str, -1, &error))
    g_error ("%s", error->message);
  before = requests;
  start = g_get_monotonic_time ();
  hes_mailbox_batch_run_async (batch, NULL, mig_on_done, &r);
  gui_wait_for (mig_has_result, &r, "the mailboxes");
  if (!hes_mailbox_batch_run_finish (batch, r, &error)) {
    GPtrArray *lines = hes_mailbox_batch_get_lines (batch);

    for (guint i = 0; i < lines->len; i++) {
      HesBatchLine *line = g_ptr_array_index (lines, i);

      if (line->message != NULL)
        g_printerr ("line %u: %s\n", i + 1, line->message);
    }
    g_error ("%s", error->message);
  }
  g_clear_object (&r);
  report ("step 1: requests per mailbox", (double) (requests - before) / n, "requests", 3);
  report ("step 1: time", (g_get_monotonic_time () - start) / 1e6, "s", 0);

  migration = hes_domain_migration_new (MIG_DOMAIN, "mail.hosterra.test",
                                        hes_session_get_profile (session));
  hes_domain_migration_set_state_dir (migration, state_dir);
  hes_domain_migration_set_account (migration, hes_mailcow_client_get_host (client),
                                    MIG_ADMIN);
  g_assert_true (hes_domain_migration_load (migration, NULL));
  g_assert_true (hes_domain_migration_set_mailboxes (migration, (const char * const *) list,
                                                     NULL));
  hes_domain_migration_verify_mailboxes_async (migration, client, NULL, mig_on_done, &r);
  gui_wait_for (mig_has_result, &r, "the check of the mailboxes");
  if (!hes_domain_migration_verify_mailboxes_finish (migration, r, &error))
    g_error ("%s", error->message);
  g_clear_object (&r);

  /* Step 2: one simulation per mailbox. */
  before = requests;
  start = g_get_monotonic_time ();
  for (int i = 0; i < n; i++) {
    g_autofree char *user = g_strdup_printf ("box%03d", i);
    g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (list[i], "imap.stuck.example", user,
                                                            "Old-Pass-1");
    g_autoptr(HesSyncJob) job = NULL;

    hes_domain_migration_start_sync_job_async (migration, manager, spec, NULL, mig_on_done, &r);
    gui_wait_for (mig_has_result, &r, "a sync job");
    job = hes_domain_migration_start_sync_job_finish (migration, r, &error);
    if (job == NULL)
      g_error ("%s", error->message);
    g_clear_object (&r);
  }
  report ("step 2: requests per mailbox", (double) (requests - before) / n, "requests", 3);
  report ("step 2: time", (g_get_monotonic_time () - start) / 1e6, "s", 0);

  /* One polling cycle, and the checklist read again. */
  before = requests;
  hes_domain_migration_refresh_jobs_async (migration, manager, NULL, mig_on_done, &r);
  gui_wait_for (mig_has_result, &r, "a polling cycle");
  g_ptr_array_unref (hes_domain_migration_refresh_jobs_finish (migration, r, &error));
  g_clear_object (&r);
  report ("polling cycle: requests", requests - before, "requests", 2);
  before = requests;
  hes_domain_migration_reconcile_async (migration, manager, NULL, mig_on_done, &r);
  gui_wait_for (mig_has_result, &r, "the checklist read again");
  g_strfreev (hes_domain_migration_reconcile_finish (migration, r, &error));
  g_clear_object (&r);
  report ("checklist read again: requests", requests - before, "requests", 2);

  /* "Your Moves" with every job. */
  moves = mig_child (gui_current_page (&f), HES_TYPE_HOME_PAGE, "moves_group");
  stall_reset ();
  before = requests;
  hes_your_moves_reload (HES_YOUR_MOVES (moves), session);
  gui_wait_for (moves_idle, moves, "the moves");
  gui_flush ();
  report ("Your Moves: requests", requests - before, "requests", 2);
  report ("Your Moves: longest main-loop stall", longest_stall / 1000.0, "ms", 16);

  /* Step 2 of the domain page with every mailbox. */
  hes_move_domain_page_set_overrides (state_dir, f.url, 5000);
  mig_open_task (&f, "move-domain");
  page = gui_current_page (&f);
  gui_wait_for (page_idle, page, "the domain page");
  stall_reset ();
  gtk_widget_activate_action (GTK_WIDGET (page), "domain.open-step", NULL);
  gui_wait_for (rows_filled, mig_child (page, HES_TYPE_MOVE_DOMAIN_PAGE, "jobs_list"),
                "the rows of step 2");
  gui_flush ();
  report ("step 2 page: longest main-loop stall", longest_stall / 1000.0, "ms", 16);
  report ("peak memory", peak_mib (), "MiB", 0);

  /* Waiting: the page follows jobs that never finish (the simulator's runner is not started,
   * so they wait for their turn for ever). The simulator's own work counts in too. */
  g_source_remove (tick_id);
  if (wait_seconds > 0) {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    before = requests;
    cpu = cpu_seconds ();
    g_timeout_add_seconds (wait_seconds, quit_loop, loop);
    g_main_loop_run (loop);
    report ("waiting on jobs: CPU per minute", (cpu_seconds () - cpu) * 60 / wait_seconds,
            "s/min", 0.6);
    report ("waiting on jobs: requests per minute", (requests - before) * 60.0 / wait_seconds,
            "requests", 0);
  }

  hes_move_domain_page_set_overrides (NULL, NULL, 0);
  gui_fixture_teardown (&f, NULL);
  hes_test_remove_tree (state_dir);
  return missed ? 1 : 0;
}
