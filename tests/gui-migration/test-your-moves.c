/* test-your-moves.c: "Your Moves" on the home page against the mailcow simulator.
 *
 * Every job of the administrator's domain is listed from the server, the ones that need the
 * customer first, with their state in words (real move, simulation, failed, not started long
 * after it was due); each action changes the job on the server (pause, simulate again, start
 * the real move), the report opens in a dialog, and removing asks first, says what removal
 * means and warns while the domain's DNS switch is less than a day old. A job removed outside
 * the app disappears from the list at the next reading.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hes-domain-migration.h"
#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/home/hes-home-page.h"
#include "pages/migration/hes-your-moves.h"

#define BRUNO       "bruno@" MIG_DOMAIN
#define OLD_HOST    "imap.old-provider.example"
#define BAD_HOST    "imap.wrong-password.example"

typedef struct {
  GuiFixture gui;
  char      *state_dir;
  guint      anna;      /* live, ran without errors */
  guint      bruno;     /* simulation, failed */
  guint      late;      /* never run, long after its interval */
} Fixture;

static HesYourMoves *
moves (Fixture *f)
{
  HesPage *home = gui_current_page (&f->gui);

  g_assert_true (HES_IS_HOME_PAGE (home));
  return HES_YOUR_MOVES (mig_child (home, HES_TYPE_HOME_PAGE, "moves_group"));
}

static gboolean
moves_idle (gpointer data)
{
  return !hes_your_moves_is_busy (moves (data));
}

static void
reload (Fixture *f)
{
  hes_your_moves_reload (moves (f), hes_window_get_session (f->gui.window));
  gui_wait_for (moves_idle, f, "the moves read from the server");
}

static GtkWidget *
row_of (Fixture *f,
        guint    id)
{
  g_autofree char *name = g_strdup_printf ("move:%u", id);

  return mig_find_named (mig_child (moves (f), HES_TYPE_YOUR_MOVES, "moves_list"), name);
}

static const char *
subtitle_of (Fixture *f,
             guint    id)
{
  GtkWidget *row = row_of (f, id);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  mig_fixture_setup (&f->gui, data);
  f->state_dir = g_dir_make_tmp ("hes-your-moves-XXXXXX", &error);
  g_assert_no_error (error);
  hes_your_moves_set_state_dir (f->state_dir);
  hes_mailcow_sim_set_syncjob_host_outcome (f->gui.sim, BAD_HOST,
                                            "EXIT_AUTHENTICATION_FAILURE_USER1");
  f->anna = hes_mailcow_sim_add_syncjob (f->gui.sim, MIG_MAILBOX, OLD_HOST, "anna",
                                         "Old-Pass-1", FALSE);
  f->bruno = hes_mailcow_sim_add_syncjob (f->gui.sim, BRUNO, BAD_HOST, "bruno",
                                          "Old-Pass-2", TRUE);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 2);
  /* Made three hours ago and never run since. */
  hes_mailcow_sim_advance_clock (f->gui.sim, -3 * 3600);
  f->late = hes_mailcow_sim_add_syncjob (f->gui.sim, BRUNO, "imap.other-old.example", "bruno2",
                                         "Old-Pass-3", FALSE);
  hes_mailcow_sim_advance_clock (f->gui.sim, 3 * 3600);
  reload (f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gui_fixture_teardown (&f->gui, data);
  hes_your_moves_set_state_dir (NULL);
  hes_test_remove_tree (f->state_dir);
  g_free (f->state_dir);
}

static guint
server_job_value (Fixture    *f,
                  const char *mailbox,
                  guint       id,
                  const char *member)
{
  g_autoptr(JsonArray) jobs = mig_server_jobs (&f->gui, mailbox);

  for (guint i = 0; i < json_array_get_length (jobs); i++) {
    JsonObject *job = json_array_get_object_element (jobs, i);

    if (json_object_get_int_member (job, "id") == id)
      return json_object_get_int_member (job, member);
  }
  g_assert_not_reached ();
}

static gboolean
server_has_job (Fixture    *f,
                const char *mailbox,
                guint       id)
{
  g_autoptr(JsonArray) jobs = mig_server_jobs (&f->gui, mailbox);

  for (guint i = 0; i < json_array_get_length (jobs); i++)
    if (json_object_get_int_member (json_array_get_object_element (jobs, i), "id") == id)
      return TRUE;
  return FALSE;
}

static void
act (Fixture    *f,
     const char *action,
     guint       id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (moves (f)), action, "x", (gint64) id));
  gui_wait_for (moves_idle, f, action);
}

static GtkWidget *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

    if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
      return window;
  }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static const char *
status_text (Fixture *f)
{
  GtkWidget *label = mig_child (moves (f), HES_TYPE_YOUR_MOVES, "status_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *list = mig_child (moves (f), HES_TYPE_YOUR_MOVES, "moves_list");
  GtkWidget *first = gtk_widget_get_first_child (list);
  const char *anna = subtitle_of (f, f->anna);
  const char *bruno = subtitle_of (f, f->bruno);
  const char *late = subtitle_of (f, f->late);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (moves (f))));
  /* The moves that need the customer come first. */
  g_assert_true (first == row_of (f, f->bruno) || first == row_of (f, f->late));
  g_assert_true (gtk_widget_get_last_child (list) == row_of (f, f->anna));
  g_assert_nonnull (strstr (anna, OLD_HOST));
  g_assert_nonnull (strstr (anna, _("Real move.")));
  g_assert_nonnull (strstr (anna, _("The last synchronisation finished without errors.")));
  g_assert_nonnull (strstr (bruno, _("Simulation: nothing is copied yet.")));
  g_assert_nonnull (strstr (bruno, _("The last synchronisation failed.")));
  g_assert_nonnull (strstr (late, _("This synchronisation has not started, long after it was "
                                    "due: the server did not run it. Contact your provider; "
                                    "keep it meanwhile, or remove it if you no longer need "
                                    "it.")));

  /* Removed in mailcow's own pages: gone from the list at the next reading. */
  hes_mailcow_sim_run_syncjobs_now (f->gui.sim);
  {
    HesMailcowClient *client = hes_session_get_client (hes_window_get_session (f->gui.window));
    g_autoptr(HesSyncJobManager) manager = hes_sync_job_manager_new (
      client, hes_session_get_profile (hes_window_get_session (f->gui.window)));
    g_autoptr(GAsyncResult) result = NULL;

    hes_sync_job_manager_delete_async (manager, f->late, NULL, mig_on_done, &result);
    gui_wait_for (mig_has_result, &result, "the removal");
    g_assert_true (hes_sync_job_manager_delete_finish (manager, result, NULL));
  }
  reload (f);
  g_assert_null (row_of (f, f->late));
  g_assert_nonnull (row_of (f, f->anna));
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *paused = g_strdup_printf (_("The move of %s is paused: nothing is copied "
                                               "until you simulate again or start the real "
                                               "move."), MIG_MAILBOX);

  /* Pause: the job stays, switched off. */
  act (f, "moves.pause", f->anna);
  g_assert_cmpstr (status_text (f), ==, paused);
  g_assert_cmpuint (server_job_value (f, MIG_MAILBOX, f->anna, "active"), ==, 0);
  g_assert_nonnull (strstr (subtitle_of (f, f->anna), _("This synchronisation is switched off: "
                                                        "it will not run until you switch it "
                                                        "on.")));

  /* Simulate again: no password asked, a simulation switched on and due now. */
  act (f, "moves.simulate", f->anna);
  g_assert_cmpuint (server_job_value (f, MIG_MAILBOX, f->anna, "active"), ==, 1);
  g_assert_cmpuint (server_job_value (f, MIG_MAILBOX, f->anna, "dry"), ==, 1);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), >=, 1);
  reload (f);

  /* The simulation worked: the real move starts from the list. */
  act (f, "moves.live", f->anna);
  g_assert_cmpuint (server_job_value (f, MIG_MAILBOX, f->anna, "dry"), ==, 0);
  g_assert_nonnull (strstr (subtitle_of (f, f->anna), _("Real move.")));

  /* The report of the failed simulation, in words. */
  act (f, "moves.report", f->bruno);
  gui_wait_for (dialog_shown, "move_report_dialog", "the report");
  {
    GtkWidget *dialog = find_dialog ("move_report_dialog");
    const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));

    g_assert_nonnull (strstr (body, _("Go back to correct the account, then simulate again.")));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = mig_state_path (&f->gui, f->state_dir, MIG_DOMAIN);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *state = NULL;
  GtkWidget *dialog;
  const char *body;

  /* Kept: nothing changes. */
  act (f, "moves.remove", f->anna);
  dialog = find_dialog ("remove_move_dialog");
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, OLD_HOST));
  g_assert_null (strstr (body, gui_is_french () ? "moins d’un jour" : "less than a day"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_wait_for (moves_idle, f, "nothing");
  g_assert_true (server_has_job (f, MIG_MAILBOX, f->anna));

  /* The domain's DNS switch was seen an hour ago: the dialog warns. */
  state = g_strdup_printf ("[Migration]\nVersion=1\nDomain=" MIG_DOMAIN "\nMailboxes="
                           MIG_MAILBOX ";\nSwitchVisible=%" G_GINT64_FORMAT "\n",
                           g_get_real_time () / G_USEC_PER_SEC - 3600);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, state, -1, NULL));
  act (f, "moves.remove", f->anna);
  dialog = find_dialog ("remove_move_dialog");
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, gui_is_french () ? "moins d’un jour" : "less than a day"));
  g_assert_nonnull (strstr (body, gui_is_french () ? "23 heures" : "23 more hours"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_wait_for (moves_idle, f, "the removal");
  g_assert_false (server_has_job (f, MIG_MAILBOX, f->anna));
  g_assert_null (row_of (f, f->anna));
  g_assert_nonnull (row_of (f, f->bruno));
}

/* A mailbox user sees their own moves; without the right to create sync jobs, "Move One
 * Mailbox" is greyed with the reason, before any form. */
static void
sign_in_again (Fixture    *f,
               gboolean    domain_admin,
               const char *username,
               const char *password)
{
  gtk_window_destroy (GTK_WINDOW (f->gui.window));
  gui_flush ();
  g_clear_object (&f->gui.window);
  gui_fixture_open_window (&f->gui);
  gui_sign_in (&f->gui, domain_admin, username, password);
  gui_wait_for_home (&f->gui);
  gui_wait_for (moves_idle, f, "the moves and the rights");
}

static void
test_mailbox_user_rights (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *task;

  sign_in_again (f, FALSE, MIG_MAILBOX, "Anna-Pass-1");
  task = gui_find_row (gui_home_child (&f->gui, "tasks_list"), "task-move-mailbox");
  g_assert_nonnull (task);
  g_assert_false (gtk_widget_get_sensitive (task));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (task)), ==,
                   _("Your account may not copy mail from another provider: ask your domain "
                     "administrator to allow sync jobs for it."));
  /* Their own move only. */
  g_assert_nonnull (row_of (f, f->anna));
  g_assert_null (row_of (f, f->bruno));

  hes_mailcow_sim_set_syncjobs_acl (f->gui.sim, MIG_MAILBOX, TRUE);
  sign_in_again (f, FALSE, MIG_MAILBOX, "Anna-Pass-1");
  task = gui_find_row (gui_home_child (&f->gui, "tasks_list"), "task-move-mailbox");
  g_assert_true (gtk_widget_get_sensitive (task));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui-migration/your-moves/list", Fixture, NULL, setup, test_list, teardown);
  g_test_add ("/gui-migration/your-moves/actions", Fixture, NULL, setup, test_actions,
              teardown);
  g_test_add ("/gui-migration/your-moves/remove", Fixture, NULL, setup, test_remove, teardown);
  g_test_add ("/gui-migration/your-moves/mailbox-user-rights", Fixture, NULL, setup,
              test_mailbox_user_rights, teardown);
  return g_test_run ();
}
