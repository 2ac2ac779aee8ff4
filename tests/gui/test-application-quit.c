/* test-application-quit.c: quitting the application signs the customer out on the server,
 * and a server that no longer answers cannot make quitting hang. */
#define G_LOG_DOMAIN "test-application-quit"

#include "config.h"

#include "gui-helpers.h"
#include "hes-application.h"

#define ADMIN      "admin@kunde.example"
#define ADMIN_PASS "Admin-Pass-2026"

typedef struct {
  GtkApplication *app;
  GuiFixture      f;
  gboolean        silent;      /* the server stops answering before Quit */
  guint           sessions;    /* the server's sessions once signed in */
  gint64          quit_time;
} Run;

static gboolean
on_idle_cb (gpointer data)
{
  Run *run = data;

  run->f.window = HES_WINDOW (gtk_application_get_active_window (run->app));
  g_assert_nonnull (run->f.window);
  gui_sign_in (&run->f, TRUE, ADMIN, ADMIN_PASS);
  gui_wait_for_home (&run->f);
  run->sessions = hes_mailcow_sim_count_sessions (run->f.sim);
  run->f.window = NULL;

  if (run->silent)
    hes_mailcow_sim_set_fault (run->f.sim, HES_SIM_FAULT_SILENT);
  run->quit_time = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *app,
                Run          *run)
{
  g_idle_add (on_idle_cb, run);
}

static void
run_app (Run *run)
{
  const char *domains[] = { "kunde.example", NULL };
  char *argv[] = { (char *) "hosterra-email-setup", (char *) "--server", NULL, NULL };

  gui_fixture_setup (&run->f, NULL);
  hes_mailcow_sim_add_domain (run->f.sim, "kunde.example", "Kunde", TRUE);
  hes_mailcow_sim_add_domain_admin (run->f.sim, ADMIN, ADMIN_PASS, domains);
  argv[2] = run->f.url;

  run->app = GTK_APPLICATION (hes_application_new ());
  g_application_set_flags (G_APPLICATION (run->app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run->app, "activate", G_CALLBACK (on_activate_cb), run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run->app), 3, argv), ==, 0);
}

static void
test_quit_signs_out (void)
{
  Run run = { 0 };

  run_app (&run);

  g_assert_cmpuint (run.sessions, >=, 1);
  /* The window's session was signed out on the server while the application shut down. */
  g_assert_cmpuint (hes_mailcow_sim_count_sessions (run.f.sim), <, run.sessions);

  g_assert_finalize_object (run.app);
  gui_fixture_teardown (&run.f, NULL);
}

static void
test_quit_silent_server (void)
{
  Run run = { .silent = TRUE };
  gint64 took;

  run_app (&run);
  took = g_get_monotonic_time () - run.quit_time;

  /* 2 s for the sign-out, and room for closing the window. */
  g_assert_cmpint (took, <, 5 * G_USEC_PER_SEC * HES_TEST_TIME_FACTOR);

  g_assert_finalize_object (run.app);
  gui_fixture_teardown (&run.f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/application/quit/signs-out", test_quit_signs_out);
  g_test_add_func ("/application/quit/silent-server", test_quit_silent_server);

  return g_test_run ();
}
