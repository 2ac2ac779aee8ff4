/* hes-migration-screenshot.c: renders the migration pages to PNG against the simulator's
 * demo data and a local Dovecot, for data/screenshots; not a test, not installed.
 * Usage: hes-migration-screenshot [--french] move-mailbox|move-domain|move-domain-dns OUTPUT.png
 * move-domain-dns: step 3 refused by a real check against Knot DNS (the MX still names the
 * old provider). */
#define G_LOG_DOMAIN "hes-migration-screenshot"

#include "config.h"

#include "gui-screenshot.h"

#include "hes-domain-migration.h"
#include "hes-knot-fixture.h"
#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/dns/hes-dns-task.h"
#include "pages/migration/hes-migration-task.h"
#include "pages/migration/hes-move-domain-page.h"
#include "pages/migration/hes-move-job-page.h"
#include "pages/migration/hes-move-mailbox-page.h"
#include "pages/migration/hes-your-moves.h"
#include "pages/home/hes-home-page.h"

static gboolean
page_idle (gpointer data)
{
  return !hes_page_get_applying (data);
}

static gboolean
job_finished (gpointer data)
{
  const HesSyncJob *job = hes_move_job_page_get_job (data);

  return job != NULL && job->state == HES_SYNC_JOB_FINISHED_OK;
}

static gboolean
job_created (gpointer data)
{
  return hes_move_job_page_get_job (data) != NULL;
}

static gboolean
list_filled (gpointer data)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (
    mig_child (data, HES_TYPE_MOVE_MAILBOX_PAGE, "target_row")));

  return g_list_model_get_n_items (model) > 0;
}

static void
move_mailbox (GuiFixture *f)
{
  HesTestDovecot *dovecot = hes_test_dovecot_start ();
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *port = g_strdup_printf ("%u", dovecot->imaps_port);
  HesPage *form, *job_page;

  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
  mig_open_task (f, "move-mailbox");
  pages = hes_assistant_get_pages (hes_window_get_assistant (f->window));
  form = gui_current_page (f);
  job_page = g_ptr_array_index (pages, pages->len - 1);
  hes_move_job_page_set_poll_interval (HES_MOVE_JOB_PAGE (job_page), 100);
  gui_wait_for (list_filled, form, "the mailboxes");
#define TYPE(name, text) \
  gtk_editable_set_text (GTK_EDITABLE (mig_child (form, HES_TYPE_MOVE_MAILBOX_PAGE, name)), text)
  TYPE ("host_row", "127.0.0.1");
  TYPE ("port_row", port);
  TYPE ("user_row", HES_TEST_USER);
  TYPE ("password_row", HES_TEST_PASSWORD);
#undef TYPE
  gtk_widget_activate_action (GTK_WIDGET (form), "assistant.next", NULL);
  gui_wait_for (page_idle, form, "the connection test");
  gui_screenshot_settle (300);
  gtk_widget_activate_action (GTK_WIDGET (job_page), "move.simulate", NULL);
  gui_wait_for (job_created, job_page, "the simulation job");
  hes_mailcow_sim_run_syncjobs_now (f->sim);
  gui_wait_for (job_finished, job_page, "the simulation");
  gui_screenshot_settle (800);
  hes_test_dovecot_stop (dovecot);
}

static gboolean
domain_idle (gpointer data)
{
  return gtk_widget_is_sensitive (mig_child (data, HES_TYPE_MOVE_DOMAIN_PAGE, "domain_row"))
         && hes_move_domain_page_get_current_step (data) >= 0;
}

static void
move_domain (GuiFixture *f,
             const char *state_dir)
{
  HesPage *page;
  GtkTextBuffer *buffer;

  hes_move_domain_page_set_overrides (state_dir, f->url, 100);
  mig_open_task (f, "move-domain");
  page = gui_current_page (f);
  gui_wait_for (domain_idle, page, "the domain");
  gtk_widget_activate_action (GTK_WIDGET (page), "domain.open-step", NULL);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
    mig_child (page, HES_TYPE_MOVE_DOMAIN_PAGE, "lines_view")));
  gtk_text_buffer_set_text (buffer, "accueil@boulangerie-martin.example, Accueil, 1024\n"
                                    "commandes@boulangerie-martin.example, Commandes, 1024\n", -1);
  gtk_widget_activate_action (GTK_WIDGET (page), "domain.create-mailboxes", NULL);
  gui_wait_for (domain_idle, page, "the mailboxes");
  gtk_widget_activate_action (GTK_WIDGET (page), "assistant.back", NULL);
  gui_screenshot_settle (800);
}

#define DEMO_DOMAIN "boulangerie-martin.example"

static void
move_domain_dns (GuiFixture *f,
                 const char *state_dir)
{
  const char *zones[] = {
    "hosterra.test",
    "$ORIGIN hosterra.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n"
    "@ NS ns1\nns1 A 127.0.0.1\nmail A 192.0.2.25\n",
    DEMO_DOMAIN,
    "$ORIGIN " DEMO_DOMAIN ".\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n"
    "@ NS ns1\nns1 A 127.0.0.1\n@ MX 10 mx.old-provider.example.\n"
    "@ TXT \"v=spf1 include:_spf.old-provider.example -all\"\n"
    "autoconfig CNAME mail.hosterra.test.\nautodiscover CNAME mail.hosterra.test.\n",
    NULL,
  };
  g_autoptr(HesKnotFixture) knot = hes_knot_fixture_start (zones, NULL);
  g_autofree char *path = mig_state_path (f, state_dir, DEMO_DOMAIN);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *state = NULL;
  HesPage *page;

  g_assert_nonnull (knot);
  g_setenv ("HES_DNS_SERVER", hes_knot_fixture_get_server (knot), TRUE);
  /* The mailboxes and their synchronisations are done. */
  state = g_strdup_printf ("[Migration]\nVersion=1\nDomain=" DEMO_DOMAIN "\nMailboxes="
                           "accueil@" DEMO_DOMAIN ";\nStep1Done=%1$" G_GINT64_FORMAT
                           "\nStep2Done=%1$" G_GINT64_FORMAT "\n",
                           g_get_real_time () / G_USEC_PER_SEC - 3600);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, state, -1, NULL));
  /* What the server shows for those two steps: the mailbox, copied for real. */
  hes_mailcow_sim_add_mailbox (f->sim, "accueil@" DEMO_DOMAIN, "Accueil", "Accueil-Pass-1");
  g_assert_cmpuint (hes_mailcow_sim_add_syncjob (f->sim, "accueil@" DEMO_DOMAIN,
                                                 "imap.old-provider.example", "accueil",
                                                 "Old-Pass-1", FALSE), >, 0);
  hes_move_domain_page_set_overrides (state_dir, f->url, 100);
  mig_open_task (f, "move-domain");
  page = gui_current_page (f);
  gui_wait_for (domain_idle, page, "the domain");
  /* The checklist is read again from the server once shown: wait for that too. */
  gui_screenshot_settle (300);
  gui_wait_for (domain_idle, page, "the checklist");
  gtk_widget_activate_action (GTK_WIDGET (page), "domain.open-step", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "domain.check-dns", NULL);
  gui_wait_for (domain_idle, page, "the DNS check");
  /* Long enough for the error banner to slide in. */
  gui_screenshot_settle (1500);
  g_unsetenv ("HES_DNS_SERVER");
}

static gboolean
moves_idle (gpointer data)
{
  return !hes_your_moves_is_busy (data);
}

/* "Your Moves" on the home page: a real move, a failed simulation, a finished one and a job
 * the server never started. */
static void
your_moves (GuiFixture *f)
{
  HesPage *home = gui_current_page (f);
  GtkWidget *moves = mig_child (home, HES_TYPE_HOME_PAGE, "moves_group");
  GtkWidget *list = mig_child (moves, HES_TYPE_YOUR_MOVES, "moves_list");
  GtkWidget *first;

  hes_mailcow_sim_add_syncjob (f->sim, "claire@" DEMO_DOMAIN, "imap.old-provider.example",
                               "claire", "Old-Pass-1", FALSE);
  hes_mailcow_sim_add_syncjob (f->sim, "commandes@" DEMO_DOMAIN, "imap.wrong-password.example",
                               "commandes", "Old-Pass-2", TRUE);
  hes_mailcow_sim_add_syncjob (f->sim, "contact@" DEMO_DOMAIN, "imap.old-provider.example",
                               "contact", "Old-Pass-3", TRUE);
  hes_mailcow_sim_run_syncjobs_now (f->sim);
  hes_mailcow_sim_advance_clock (f->sim, -3 * 3600);
  hes_mailcow_sim_add_syncjob (f->sim, "paul@atelier-durand.example", "imap.old-provider.example",
                               "paul", "Old-Pass-4", FALSE);
  hes_mailcow_sim_advance_clock (f->sim, 3 * 3600);
  hes_your_moves_reload (HES_YOUR_MOVES (moves), hes_window_get_session (f->window));
  gui_wait_for (moves_idle, moves, "the moves");
  first = gtk_widget_get_first_child (list);
  g_assert_nonnull (first);
  gui_screenshot_settle (800);
  /* Brought into view, as the customer scrolls to it. */
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (moves, GTK_TYPE_SCROLLED_WINDOW);
    double x, y;

    g_assert_nonnull (scrolled);
    g_assert_true (gtk_widget_translate_coordinates (moves, gtk_scrolled_window_get_child (
                                                       GTK_SCROLLED_WINDOW (scrolled)),
                                                     0, 0, &x, &y));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                              y - 12);
  }
  gui_screenshot_settle (800);
}

/* Saved progress the server contradicts: the checklist opens the steps again and says why. */
static void
move_domain_reopened (GuiFixture *f,
                      const char *state_dir)
{
  g_autofree char *path = mig_state_path (f, state_dir, DEMO_DOMAIN);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *state = NULL;
  HesPage *page;

  state = g_strdup_printf ("[Migration]\nVersion=1\nDomain=" DEMO_DOMAIN "\nMailboxes="
                           "accueil@" DEMO_DOMAIN ";\nStep1Done=%1$" G_GINT64_FORMAT
                           "\nStep2Done=%1$" G_GINT64_FORMAT "\nStep3Done=%1$" G_GINT64_FORMAT
                           "\n", g_get_real_time () / G_USEC_PER_SEC - 86400);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, state, -1, NULL));
  hes_move_domain_page_set_overrides (state_dir, f->url, 100);
  mig_open_task (f, "move-domain");
  page = gui_current_page (f);
  gui_wait_for (domain_idle, page, "the domain read from the server");
  gui_screenshot_settle (800);
}

int
main (int   argc,
      char *argv[])
{
  GuiFixture f = { 0 };
  g_autofree char *description = NULL;
  g_autofree char *state_dir = NULL;

  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (argc != 3)
    g_error ("Usage: hes-migration-screenshot [--french] move-mailbox|move-domain|move-domain-dns|"
             "your-moves|move-domain-reopened OUTPUT.png");

  gui_screenshot_load_style ();
  hes_tasks_register ("move-mailbox", hes_move_mailbox_task_new_pages);
  hes_tasks_register ("move-domain", hes_move_domain_task_new_pages);
  hes_tasks_register ("dns", hes_dns_task_new_pages);
  state_dir = g_dir_make_tmp ("hes-screenshot-XXXXXX", NULL);

  gui_fixture_setup (&f, NULL);
  hes_mailcow_sim_load_demo (f.sim, &description);
  gui_fixture_open_window (&f);
  gui_sign_in (&f, TRUE, "demo-admin", "Demo-2026!");
  gui_wait_for_home (&f);

  if (g_strcmp0 (argv[1], "move-mailbox") == 0)
    move_mailbox (&f);
  else if (g_strcmp0 (argv[1], "move-domain-dns") == 0)
    move_domain_dns (&f, state_dir);
  else if (g_strcmp0 (argv[1], "your-moves") == 0)
    your_moves (&f);
  else if (g_strcmp0 (argv[1], "move-domain-reopened") == 0)
    move_domain_reopened (&f, state_dir);
  else
    move_domain (&f, state_dir);

  gui_screenshot_save_png (GTK_WIDGET (f.window), argv[2]);
  gui_fixture_teardown (&f, NULL);
  hes_test_remove_tree (state_dir);
  return 0;
}
