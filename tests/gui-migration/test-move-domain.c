/* test-move-domain.c: "Move a whole domain" in the real window against the mailcow simulator:
 * the checklist enforces the order, step 1 creates mailboxes from typed lines with a result
 * per line, step 2 simulates then moves each mailbox for real, the progress survives closing
 * the window (a new window reads it back mid-way), steps 3 to 5 complete, and step 6 refuses
 * to remove the jobs before it is safe until the customer confirms in a dialog that names
 * what could be lost. Run in English and, with --french, in French. */
#define G_LOG_DOMAIN "test-move-domain"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/migration/hes-move-domain-page.h"

typedef struct {
  GuiFixture gui;
  char *state_dir;
  HesPage *page;
} Fixture;

static HesMoveDomainPage *
page (Fixture *f)
{
  return HES_MOVE_DOMAIN_PAGE (f->page);
}

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  return mig_child (f->page, HES_TYPE_MOVE_DOMAIN_PAGE, name);
}

static gboolean
loaded (gpointer data)
{
  return hes_move_domain_page_get_current_step (page (data)) >= 0;
}

static void
open_task (Fixture *f)
{
  mig_open_task (&f->gui, "move-domain");
  f->page = gui_current_page (&f->gui);
  g_assert_true (HES_IS_MOVE_DOMAIN_PAGE (f->page));
  gui_wait_for (loaded, f, "the domain's saved progress");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  mig_fixture_setup (&f->gui, data);
  /* The server's name is the one the app signs in to, so that autoconfig names it. */
  hes_mailcow_sim_set_hostname (f->gui.sim, "127.0.0.1");
  f->state_dir = g_dir_make_tmp ("hes-gui-migration-XXXXXX", &error);
  g_assert_no_error (error);
  hes_move_domain_page_set_overrides (f->state_dir, f->gui.url, 50);
  open_task (f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gui_fixture_teardown (&f->gui, data);
  hes_move_domain_page_set_overrides (NULL, NULL, 0);
  hes_test_remove_tree (f->state_dir);
  g_free (f->state_dir);
}

/* What quitting and starting again does: a new window, signed in again, the task reopened. */
static void
new_window (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->gui.window));
  gui_flush ();
  g_clear_object (&f->gui.window);
  f->page = NULL;
  gui_fixture_open_window (&f->gui);
  gui_sign_in (&f->gui, TRUE, MIG_ADMIN, MIG_ADMIN_PASS);
  gui_wait_for_home (&f->gui);
  open_task (f);
}

static int
current_step (Fixture *f)
{
  return hes_move_domain_page_get_current_step (page (f));
}

/* The checklist shows @current as the step to do, those before done, those after locked. */
static void
assert_checklist (Fixture *f,
                  int      current)
{
  GtkWidget *list = child (f, "steps_list");
  int step = 0;

  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "checklist");
  g_assert_cmpint (current_step (f), ==, current);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row), step++) {
    g_assert_cmpint (gtk_widget_get_sensitive (row), ==, step <= current);
    g_assert_cmpint (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)), ==,
                     step == current);
  }
  g_assert_cmpint (step, ==, 6);
}

static void
act (Fixture    *f,
     const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), action, NULL));
}

static gboolean
idle_on_checklist (gpointer data)
{
  Fixture *f = data;

  return g_str_equal (hes_move_domain_page_get_view (page (f)), "checklist")
         && gtk_widget_is_sensitive (child (f, "domain_row"));
}

static gboolean
page_idle (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_is_sensitive (child (f, "domain_row"));
}

static void
do_step_1 (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f, "lines_view")));
  GtkWidget *carla, *anna, *bad;

  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "mailboxes");
  g_assert_true (hes_page_get_can_step_back (f->page));

  /* A wrong line is shown on its own, and nothing is created. */
  gtk_text_buffer_set_text (buffer, "carla@" MIG_DOMAIN ", Carla, 512\n"
                                    MIG_MAILBOX ", Anna, 512\n"
                                    "not an address!, X, 10\n", -1);
  act (f, "domain.check-lines");
  gui_wait_for (page_idle, f, "the check of the lines");
  bad = gtk_widget_get_last_child (child (f, "lines_list"));
  g_assert_nonnull (bad);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (bad)), !=, _("Ready to create."));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     gtk_widget_get_first_child (child (f, "lines_list")))), ==,
                   _("Ready to create."));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (f, "error_revealer"))));
  g_assert_false (hes_mailcow_sim_check_password (f->gui.sim, "carla@" MIG_DOMAIN, "x"));

  gtk_text_buffer_set_text (buffer, "carla@" MIG_DOMAIN ", Carla, 512\n"
                                    MIG_MAILBOX ", Anna, 512\n", -1);
  act (f, "domain.create-mailboxes");
  gui_wait_for (page_idle, f, "the creation of the mailboxes");
  /* Carla is created with a password made up and shown once; Anna was there already. */
  g_assert_cmpint (current_step (f), ==, 1);
  carla = mig_find_named (child (f, "lines_list"), "carla@" MIG_DOMAIN);
  anna = mig_find_named (child (f, "lines_list"), MIG_MAILBOX);
  g_assert_nonnull (carla);
  g_assert_nonnull (anna);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (anna)), ==,
                   _("Already exists: kept as it is."));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (carla)),
                                   gui_is_french () ? "Créée" : "Created. Its password: "));
  {
    const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (carla));
    const char *password = strrchr (subtitle, ' ') + 1;

    g_assert_true (hes_mailcow_sim_check_password (f->gui.sim, "carla@" MIG_DOMAIN, password));
  }
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "mailboxes");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "assistant.back", NULL);
  assert_checklist (f, 1);
}

static gboolean
live_buttons_shown (gpointer data)
{
  Fixture *f = data;
  GtkWidget *list = child (f, "jobs_list");
  GtkWidget *a = mig_find_named (list, "live:" MIG_MAILBOX);
  GtkWidget *c = mig_find_named (list, "live:carla@" MIG_DOMAIN);

  return a != NULL && c != NULL && gtk_widget_get_visible (a) && gtk_widget_get_visible (c);
}

static guint
server_jobs_with (Fixture    *f,
                  const char *mailbox,
                  const char *member,
                  gint64      value)
{
  g_autoptr(JsonArray) jobs = mig_server_jobs (&f->gui, mailbox);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (jobs); i++)
    n += json_object_get_int_member (json_array_get_object_element (jobs, i), member) == value;
  return n;
}

static void
simulate (Fixture    *f,
          const char *mailbox)
{
  g_autofree char *password_name = g_strconcat ("password:", mailbox, NULL);
  GtkWidget *password = mig_find_named (child (f, "jobs_list"), password_name);

  g_assert_nonnull (password);
  gtk_editable_set_text (GTK_EDITABLE (password), "Old-Secret-1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "domain.simulate-job", "s",
                                             mailbox));
  gui_wait_for (page_idle, f, "the simulation job");
}

static void
do_step_2 (Fixture *f)
{
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "jobs");
  gtk_editable_set_text (GTK_EDITABLE (child (f, "source_host_row")), "imap.old.example");

  /* Not before every job is live. */
  act (f, "domain.complete-jobs");
  gui_wait_for (page_idle, f, "the refusal");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (f, "error_revealer"))));
  g_assert_cmpint (current_step (f), ==, 1);

  simulate (f, MIG_MAILBOX);
  simulate (f, "carla@" MIG_DOMAIN);
  g_assert_cmpuint (server_jobs_with (f, MIG_MAILBOX, "dry", 1), ==, 1);
  g_assert_cmpuint (server_jobs_with (f, "carla@" MIG_DOMAIN, "dry", 1), ==, 1);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 2);
  gui_wait_for (live_buttons_shown, f, "both simulations to finish");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "domain.live-job", "s",
                                             MIG_MAILBOX));
  gui_wait_for (page_idle, f, "the first real move");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "domain.live-job", "s",
                                             "carla@" MIG_DOMAIN));
  gui_wait_for (page_idle, f, "the second real move");
  g_assert_cmpuint (server_jobs_with (f, MIG_MAILBOX, "dry", 0), ==, 1);
  g_assert_cmpuint (server_jobs_with (f, "carla@" MIG_DOMAIN, "active", 1), ==, 1);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 2);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 2);

  act (f, "domain.complete-jobs");
  gui_wait_for (idle_on_checklist, f, "step 2 to complete");
  assert_checklist (f, 2);
}

static void
test_six_steps (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *dialog = NULL;
  GList *toplevels;
  const char *why;

  mig_assert_translated ("Comes after the step above.");
  assert_checklist (f, 0);
  do_step_1 (f);

  /* Quitting halfway: a new window shows the same progress. */
  new_window (f);
  assert_checklist (f, 1);
  do_step_2 (f);
  new_window (f);
  assert_checklist (f, 2);

  /* Step 3: the DNS records (this version takes the customer's word). */
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "dns");
  /* No DNS pages are registered here: the page does not offer a dead end. */
  g_assert_false (gtk_widget_get_visible (child (f, "open_dns_button")));
  act (f, "domain.dns-done");
  assert_checklist (f, 3);

  /* Step 4: the switch is recorded. */
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "propagation");
  act (f, "domain.propagation-done");
  gui_wait_for (idle_on_checklist, f, "step 4 to complete");
  assert_checklist (f, 4);

  /* Step 5: the settings to copy, then the autoconfig check against the server. */
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "programs");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                              mig_find_named (child (f, "settings_list"), "imap"))),
                            "127.0.0.1"));
  act (f, "domain.check-programs");
  gui_wait_for (idle_on_checklist, f, "step 5 to complete");
  assert_checklist (f, 5);

  /* Step 6, right after the switch: not safe, a dialog says what could be lost. */
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "removal");
  act (f, "domain.remove-jobs");
  gui_wait_for (page_idle, f, "the removal check");
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_widget_get_name (l->data), "unsafe_removal_dialog") == 0)
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);
  why = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (why, MIG_MAILBOX));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "keep");
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 2);

  /* Keeping them changes nothing; removing anyway needs the explicit answer. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gui_flush ();
  g_assert_cmpint (current_step (f), ==, 5);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 2);
  act (f, "domain.remove-jobs");
  gui_wait_for (page_idle, f, "the removal check");
  dialog = NULL;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_widget_get_name (l->data), "unsafe_removal_dialog") == 0
        && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gui_wait_for (idle_on_checklist, f, "the jobs to be removed");
  assert_checklist (f, 6);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 0);

  new_window (f);
  assert_checklist (f, 6);
  g_assert_false (gtk_widget_get_visible (child (f, "open_step_button")));
}

static gboolean
imported (gpointer data)
{
  Fixture *f = data;

  return page_idle (f) && mig_find_named (child (f, "lines_list"), "carla@" MIG_DOMAIN) != NULL;
}

/* A spreadsheet saved as CSV in Windows-1252, with semicolons and quotes, as Excel does. */
static void
test_import_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->state_dir, "boites.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f, "lines_view")));
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  GtkWidget *row;

  g_assert_true (g_file_set_contents (path, "Adresse;Nom;Taille\r\n"
                                            "carla@" MIG_DOMAIN ";\"Dupr\xe9, Carla\";512\r\n",
                                      -1, NULL));
  act (f, "domain.open-step");
  hes_move_domain_page_import_file (page (f), file);
  gui_wait_for (imported, f, "the imported file to be checked");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "Dupré, Carla"));
  row = mig_find_named (child (f, "lines_list"), "carla@" MIG_DOMAIN);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, _("Ready to create."));
  g_assert_cmpint (current_step (f), ==, 0);
}

static void
test_order_enforced (Fixture       *f,
                     gconstpointer  data)
{
  /* Only the current step opens; the others are locked and say why. */
  assert_checklist (f, 0);
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "mailboxes");
  act (f, "domain.create-mailboxes");
  gui_wait_for (page_idle, f, "the refusal of an empty list");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (f, "error_revealer"))));
  g_assert_cmpint (current_step (f), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     mig_find_named (child (f, "steps_list"), "removal"))), ==,
                   _("Comes after the step above."));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui-migration/move-domain/six-steps", Fixture, NULL, setup, test_six_steps,
              teardown);
  g_test_add ("/gui-migration/move-domain/order-enforced", Fixture, NULL, setup,
              test_order_enforced, teardown);

  g_test_add ("/gui-migration/move-domain/import-csv", Fixture, NULL, setup, test_import_csv,
              teardown);

  return g_test_run ();
}
