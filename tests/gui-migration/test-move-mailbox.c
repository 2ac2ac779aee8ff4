/* test-move-mailbox.c: "Move one mailbox" in the real window, against the mailcow simulator
 * and a real Dovecot standing for the old provider: fields checked as typed, the connection
 * test with its steps and what it found, the simulation (a dry job with every flag), its state
 * polled while the simulator's runner runs it, the real move (dry 0), and no second job when
 * the customer comes back. Run in English and, with --french, in French. */
#define G_LOG_DOMAIN "test-move-mailbox"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-imap-presets.h"
#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/migration/hes-migration-task.h"
#include "pages/migration/hes-move-job-page.h"
#include "pages/migration/hes-move-mailbox-page.h"

static HesTestDovecot *dovecot;

typedef struct {
  GuiFixture gui;
  HesPage *form;
  HesPage *job_page;
  GPtrArray *steps;  /* the status sentences seen during the connection test */
} Fixture;

static GtkWidget *
form_child (Fixture    *f,
            const char *name)
{
  return mig_child (f->form, HES_TYPE_MOVE_MAILBOX_PAGE, name);
}

static GtkWidget *
job_child (Fixture    *f,
           const char *name)
{
  return mig_child (f->job_page, HES_TYPE_MOVE_JOB_PAGE, name);
}

static void
type (Fixture    *f,
      const char *name,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (form_child (f, name)), text);
}

static gboolean
mailboxes_loaded (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (
           adw_combo_row_get_model (ADW_COMBO_ROW (form_child (f, "target_row"))))) > 0;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  GPtrArray *pages;

  mig_fixture_setup (&f->gui, data);
  mig_open_task (&f->gui, "move-mailbox");
  pages = hes_assistant_get_pages (hes_window_get_assistant (f->gui.window));
  f->form = gui_current_page (&f->gui);
  g_assert_true (HES_IS_MOVE_MAILBOX_PAGE (f->form));
  f->job_page = g_ptr_array_index (pages, pages->len - 1);
  g_assert_true (HES_IS_MOVE_JOB_PAGE (f->job_page));
  g_ptr_array_unref (pages);
  hes_move_job_page_set_poll_interval (HES_MOVE_JOB_PAGE (f->job_page), 50);
  f->steps = g_ptr_array_new_with_free_func (g_free);
  gui_wait_for (mailboxes_loaded, f, "the mailboxes");
  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_ptr_array_unref (f->steps);
  gui_fixture_teardown (&f->gui, data);
}

static void
select_target (Fixture    *f,
               const char *address)
{
  GtkWidget *row = form_child (f, "target_row");
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

    if (g_str_equal (gtk_string_object_get_string (item), address)) {
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
      return;
    }
  }
  g_assert_not_reached ();
}

static void
select_custom_provider (Fixture *f)
{
  GtkWidget *row = form_child (f, "provider_row");
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), g_list_model_get_n_items (model) - 1);
}

/* The reason shown next to a field, or NULL when none is. */
static const char *
field_error (Fixture    *f,
             const char *field)
{
  g_autofree char *label_name = g_strdup_printf ("%s_error", field);
  g_autofree char *row_name = g_strdup_printf ("%s_error_row", field);
  GtkWidget *label = form_child (f, label_name);

  if (!gtk_widget_get_visible (form_child (f, row_name)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
assert_invalid (Fixture    *f,
                const char *field,
                gboolean    invalid)
{
  GtkWidget *widget = form_child (f, field);

  gtk_test_accessible_assert_state (widget, GTK_ACCESSIBLE_STATE_INVALID,
                                    invalid ? GTK_ACCESSIBLE_INVALID_TRUE
                                            : GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_cmpint (gtk_widget_has_css_class (widget, "error"), ==, invalid);
}

static void
fill_good_form (Fixture *f)
{
  g_autofree char *port = g_strdup_printf ("%u", dovecot->imaps_port);

  select_target (f, MIG_MAILBOX);
  select_custom_provider (f);
  type (f, "host_row", "127.0.0.1");
  type (f, "port_row", port);
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (f, "security_row")),
                              HES_IMAP_SECURITY_SSL);
  type (f, "user_row", HES_TEST_USER);
  type (f, "password_row", HES_TEST_PASSWORD);
  type (f, "interval_row", "30");
}

static void
test_fields_checked_as_typed (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *too_short = NULL;
  gsize n_presets;

  mig_assert_translated ("Type a number of minutes: %u or more.");
  fill_good_form (f);
  g_assert_true (hes_page_get_complete (f->form));
  for (const char **field = (const char *[]) { "host", "port", "user", "password", "interval",
                                               NULL }; *field; field++)
    g_assert_null (field_error (f, *field));

  type (f, "user_row", "alice@");
  g_assert_cmpstr (field_error (f, "user"), ==,
                   _("This is not a complete e-mail address: it should look like "
                     "name@example.com."));
  assert_invalid (f, "user_row", TRUE);
  g_assert_false (hes_page_get_complete (f->form));
  type (f, "user_row", "alice@old.example");
  g_assert_null (field_error (f, "user"));
  assert_invalid (f, "user_row", FALSE);

  type (f, "port_row", "70000");
  g_assert_cmpstr (field_error (f, "port"), ==,
                   _("The port is a number between 1 and 65535, usually 993."));
  assert_invalid (f, "port_row", TRUE);
  type (f, "port_row", "0");
  g_assert_nonnull (field_error (f, "port"));
  type (f, "port_row", "993");
  g_assert_null (field_error (f, "port"));

  type (f, "host_row", "bad host!");
  g_assert_cmpstr (field_error (f, "host"), ==,
                   _("A server address has only letters, digits, dots and dashes, for example "
                     "imap.example.com."));
  type (f, "host_row", "imap.old.example");
  g_assert_null (field_error (f, "host"));

  /* Hosterra's minimum is 20 minutes, although mailcow would take 1. */
  too_short = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Type a number of minutes: %u or more.",
                                            "Type a number of minutes: %u or more.", 20), 20);
  type (f, "interval_row", "19");
  g_assert_cmpstr (field_error (f, "interval"), ==, too_short);
  assert_invalid (f, "interval_row", TRUE);
  g_assert_false (hes_page_get_complete (f->form));
  type (f, "interval_row", "20");
  g_assert_null (field_error (f, "interval"));

  type (f, "password_row", "");
  g_assert_nonnull (field_error (f, "password"));
  g_assert_false (hes_page_get_complete (f->form));
  type (f, "password_row", "x");
  g_assert_true (hes_page_get_complete (f->form));

  /* A preset fills the server and hides the fields, and shows its advice. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (f, "provider_row")),
                              hes_imap_preset_find ("gmail") - hes_imap_presets_get (&n_presets));
  g_assert_false (gtk_widget_get_visible (form_child (f, "host_row")));
  g_assert_true (gtk_widget_get_visible (form_child (f, "note_row")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (form_child (f, "note_label"))), ==,
                   hes_imap_preset_get_note (hes_imap_preset_find ("gmail")));
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 0);
}

/* Until the customer picks a provider, the address typed picks it. */
static void
test_provider_guessed (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *provider = form_child (f, "provider_row");
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (provider)), ==, n_presets);
  g_assert_true (gtk_widget_get_visible (form_child (f, "host_row")));
  type (f, "user_row", "jean@wanadoo.fr");
  g_assert_true (&presets[adw_combo_row_get_selected (ADW_COMBO_ROW (provider))]
                 == hes_imap_preset_find ("orange"));
  g_assert_false (gtk_widget_get_visible (form_child (f, "host_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (f, "host_row"))), ==,
                   "imap.orange.fr");
  type (f, "user_row", "jean@gmail.com");
  g_assert_true (&presets[adw_combo_row_get_selected (ADW_COMBO_ROW (provider))]
                 == hes_imap_preset_find ("gmail"));
  g_assert_true (gtk_widget_get_visible (form_child (f, "note_row")));
  select_custom_provider (f);
  /* "Another provider" never shows the server of the provider left. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (f, "host_row"))), ==, "");
  type (f, "user_row", "jean@free.fr");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (provider)), ==, n_presets);
  /* A known provider's server typed by hand chooses that provider. */
  type (f, "host_row", "imap.orange.fr");
  g_assert_true (&presets[adw_combo_row_get_selected (ADW_COMBO_ROW (provider))]
                 == hes_imap_preset_find ("orange"));
  g_assert_false (gtk_widget_get_visible (form_child (f, "host_row")));
}

static void
on_status_cb (GtkLabel   *label,
              GParamSpec *pspec,
              Fixture    *f)
{
  const char *text = gtk_label_get_text (label);

  if (*text != '\0' && (f->steps->len == 0
                        || !g_str_equal (g_ptr_array_index (f->steps, f->steps->len - 1), text)))
    g_ptr_array_add (f->steps, g_strdup (text));
}

static gboolean
on_job_page (gpointer data)
{
  Fixture *f = data;

  return gui_current_page (&f->gui) == f->job_page && !hes_page_get_applying (f->form);
}

static void
test_connection (Fixture *f)
{
  g_signal_connect (form_child (f, "status_label"), "notify::label", G_CALLBACK (on_status_cb), f);
  gtk_widget_activate_action (GTK_WIDGET (f->form), "assistant.next", NULL);
  g_assert_true (hes_page_get_applying (f->form));
  gui_wait_for (on_job_page, f, "the connection test");
  g_signal_handlers_disconnect_by_func (form_child (f, "status_label"), on_status_cb, f);
}

static gboolean
can_simulate (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_is_sensitive (job_child (f, "simulate_button"));
}

static gboolean
job_state_is (Fixture        *f,
              HesSyncJobState state,
              gboolean        dry)
{
  const HesSyncJob *job = hes_move_job_page_get_job (HES_MOVE_JOB_PAGE (f->job_page));

  return job != NULL && job->state == state && job->dry == dry;
}

static gboolean
simulation_waiting (gpointer data)
{
  return job_state_is (data, HES_SYNC_JOB_WAITING, TRUE);
}

static gboolean
simulation_done (gpointer data)
{
  Fixture *f = data;

  return job_state_is (f, HES_SYNC_JOB_FINISHED_OK, TRUE)
         && gtk_widget_get_visible (job_child (f, "log_button"));
}

static gboolean
live_waiting (gpointer data)
{
  return job_state_is (data, HES_SYNC_JOB_WAITING, FALSE);
}

static gboolean
live_done (gpointer data)
{
  Fixture *f = data;

  return job_state_is (f, HES_SYNC_JOB_FINISHED_OK, FALSE)
         && gtk_widget_get_visible (job_child (f, "result_label"));
}

static void
assert_stored_job (Fixture *f,
                   gint64   dry)
{
  g_autoptr(JsonArray) jobs = mig_server_jobs (&f->gui, MIG_MAILBOX);
  JsonObject *job;
  const char *on[] = { "active", "automap", "subscribeall", "delete2duplicates" };
  const char *off[] = { "delete1", "delete2", "skipcrossduplicates" };

  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  job = json_array_get_object_element (jobs, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "host1"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (job, "user1"), ==, HES_TEST_USER);
  g_assert_cmpint (json_object_get_int_member (job, "port1"), ==, dovecot->imaps_port);
  g_assert_cmpstr (json_object_get_string_member (job, "enc1"), ==, "SSL");
  g_assert_cmpint (json_object_get_int_member (job, "mins_interval"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (job, "exclude"), ==, "(?i)spam|(?i)junk");
  for (guint i = 0; i < G_N_ELEMENTS (on); i++)
    g_assert_cmpint (json_object_get_int_member (job, on[i]), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (off); i++)
    g_assert_cmpint (json_object_get_int_member (job, off[i]), ==, 0);
  g_assert_cmpint (json_object_get_int_member (job, "dry"), ==, dry);
  g_assert_cmpstr (hes_mailcow_sim_peek_syncjob_password (
                     f->gui.sim, json_object_get_int_member (job, "id")), ==, HES_TEST_PASSWORD);
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
test_simulate_then_move (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *amount = NULL;
  const char *result;
  GtkTextBuffer *buffer;
  g_autofree char *log = NULL;
  GtkTextIter start, end;

  fill_good_form (f);
  test_connection (f);

  /* Every step was shown, in order, and nothing was made on the server. */
  g_assert_cmpuint (f->steps->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (f->steps, 0), ==,
                   _("Connecting to your old provider’s server…"));
  g_assert_cmpstr (g_ptr_array_index (f->steps, 1), ==, _("Securing the connection…"));
  g_assert_cmpstr (g_ptr_array_index (f->steps, 2), ==, _("Signing in to your old account…"));
  g_assert_cmpstr (g_ptr_array_index (f->steps, 3), ==,
                   _("Counting your folders and messages…"));
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 0);

  /* What will be copied: Dovecot's 10 messages in 4 folders, with their size. */
  amount = g_strdup_printf ("%s", adw_action_row_get_subtitle (ADW_ACTION_ROW (
                                    job_child (f, "amount_row"))));
  g_assert_true (g_str_has_prefix (amount, "10 "));
  g_assert_nonnull (strchr (amount, ','));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (job_child (f, "folders_row"))),
                   ==, gui_is_french () ? "4 dossiers" : "4 folders");
  g_assert_false (gtk_widget_get_visible (job_child (f, "live_button")));

  /* The simulation: a dry job with every flag, waiting for the server's turn. It can start
   * once the page has looked for a job of this account already on the server. */
  gui_wait_for (can_simulate, f, "the look for an existing job");
  gtk_widget_activate_action (GTK_WIDGET (f->job_page), "move.simulate", NULL);
  gui_wait_for (simulation_waiting, f, "the simulation job");
  assert_stored_job (f, 1);
  g_assert_cmpstr (row_title (job_child (f, "state_row")), ==,
                   _("Waiting for the server’s turn"));
  /* A still sentence with the time waited, no animation. */
  g_assert_true (gtk_widget_get_visible (job_child (f, "waited_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (job_child (f, "waited_label"))), ==,
                   _("Less than a minute"));

  /* The runner runs it; the page sees it finish, reads the report and offers the real move. */
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 1);
  gui_wait_for (simulation_done, f, "the simulation to finish");
  g_assert_cmpstr (row_title (job_child (f, "state_row")), ==, _("Finished"));
  result = gtk_label_get_text (GTK_LABEL (job_child (f, "result_label")));
  g_assert_true (g_str_has_prefix (result, _("The simulation worked: nothing was copied yet. "
                                             "You can now start the real move.")));
  g_assert_true (gtk_widget_get_visible (job_child (f, "live_button")));
  g_assert_false (gtk_widget_get_visible (job_child (f, "simulate_button")));

  /* The full report on demand. */
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (job_child (f, "log_revealer"))));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (job_child (f, "log_button")), TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (job_child (f, "log_revealer"))));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (job_child (f, "log_view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  log = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (log, "imapsync"));
  g_assert_null (strstr (log, HES_TEST_PASSWORD));

  /* The real move: the same job, dry 0, still active. */
  gtk_widget_activate_action (GTK_WIDGET (f->job_page), "move.go-live", NULL);
  gui_wait_for (live_waiting, f, "the job to go live");
  assert_stored_job (f, 0);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     job_child (f, "state_group"))), ==, _("Real Move"));
  g_assert_false (gtk_widget_get_visible (job_child (f, "live_button")));
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 1);
  gui_wait_for (live_done, f, "the move to finish");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (job_child (f, "result_label"))),
                            gui_is_french () ? "Le transfert a fonctionné"
                                             : "The move worked"));
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 1);
}

static gboolean
simulation_failed (gpointer data)
{
  return job_state_is (data, HES_SYNC_JOB_FINISHED_FAILED, TRUE);
}

/* A refused simulation says why in plain words and offers to simulate again, not to go live. */
static void
test_simulation_fails (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *why = hes_sync_job_describe_exit_status ("EXIT_AUTHENTICATION_FAILURE_USER1");
  const char *result;

  hes_mailcow_sim_set_syncjob_host_outcome (f->gui.sim, "127.0.0.1",
                                            "EXIT_AUTHENTICATION_FAILURE_USER1");
  fill_good_form (f);
  test_connection (f);
  gui_wait_for (can_simulate, f, "the look for an existing job");
  gtk_widget_activate_action (GTK_WIDGET (f->job_page), "move.simulate", NULL);
  gui_wait_for (simulation_waiting, f, "the simulation job");
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 1);
  gui_wait_for (simulation_failed, f, "the simulation to fail");
  g_assert_cmpstr (row_title (job_child (f, "state_row")), ==, _("Failed"));
  result = gtk_label_get_text (GTK_LABEL (job_child (f, "result_label")));
  g_assert_true (g_str_has_prefix (result, why));
  g_assert_false (gtk_widget_get_visible (job_child (f, "live_button")));
  g_assert_true (gtk_widget_get_visible (job_child (f, "simulate_button")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (job_child (f, "simulate_button"))), ==,
                   _("_Simulate Again"));

  /* Simulating again updates the same job: still one on the server. */
  hes_mailcow_sim_set_syncjob_host_outcome (f->gui.sim, "127.0.0.1", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->job_page), "move.simulate", NULL);
  gui_wait_for (simulation_waiting, f, "the simulation to wait again");
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 1);
  assert_stored_job (f, 1);
}

static gboolean
existing_job_shown (gpointer data)
{
  return job_state_is (data, HES_SYNC_JOB_FINISHED_OK, FALSE);
}

static void
test_no_second_job (Fixture       *f,
                    gconstpointer  data)
{
  guint id = hes_mailcow_sim_add_syncjob (f->gui.sim, MIG_MAILBOX, "127.0.0.1", HES_TEST_USER,
                                          "old", FALSE);

  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->gui.sim), ==, 1);
  fill_good_form (f);
  test_connection (f);
  gui_wait_for (existing_job_shown, f, "the job already there");
  g_assert_cmpint (hes_move_job_page_get_job (HES_MOVE_JOB_PAGE (f->job_page))->id, ==, id);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (job_child (f, "result_label"))),
                                   _("A synchronisation of this account into this mailbox "
                                     "already exists: here is where it stands.")));
  /* A live job is never turned back into a simulation, nor doubled. */
  g_assert_false (gtk_widget_get_visible (job_child (f, "simulate_button")));
  g_assert_false (gtk_widget_get_visible (job_child (f, "live_button")));
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 1);
}

static gboolean
form_idle (gpointer data)
{
  Fixture *f = data;

  return !hes_page_get_applying (f->form);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *error_label = form_child (f, "error_label");

  fill_good_form (f);
  type (f, "password_row", "not the password");
  gtk_widget_activate_action (GTK_WIDGET (f->form), "assistant.next", NULL);
  gui_wait_for (form_idle, f, "the connection test to fail");
  g_assert_true (gui_current_page (&f->gui) == f->form);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (f, "error_revealer"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  gtk_test_accessible_assert_role (error_label, GTK_ACCESSIBLE_ROLE_ALERT);
  assert_invalid (f, "password_row", TRUE);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 0);
}

static void
setup_mailbox_user (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) pages = NULL;

  hes_tasks_register ("move-mailbox", hes_move_mailbox_task_new_pages);
  gui_fixture_setup (&f->gui, data);
  hes_mailcow_sim_set_failure_delay_unit_ms (f->gui.sim, 0);
  hes_mailcow_sim_add_domain (f->gui.sim, MIG_DOMAIN, "Kunde", TRUE);
  hes_mailcow_sim_add_mailbox (f->gui.sim, MIG_MAILBOX, "Anna", "Anna-Pass-1");
  hes_mailcow_sim_add_mailbox (f->gui.sim, "bruno@" MIG_DOMAIN, "Bruno", "Bruno-Pass-1");
  hes_mailcow_sim_set_syncjobs_acl (f->gui.sim, MIG_MAILBOX, TRUE);
  gui_fixture_open_window (&f->gui);
  gui_sign_in (&f->gui, FALSE, MIG_MAILBOX, "Anna-Pass-1");
  gui_wait_for_home (&f->gui);
  mig_open_task (&f->gui, "move-mailbox");
  pages = hes_assistant_get_pages (hes_window_get_assistant (f->gui.window));
  f->form = gui_current_page (&f->gui);
  f->job_page = g_ptr_array_index (pages, pages->len - 1);
  hes_move_job_page_set_poll_interval (HES_MOVE_JOB_PAGE (f->job_page), 50);
  f->steps = g_ptr_array_new_with_free_func (g_free);
  gui_wait_for (mailboxes_loaded, f, "the mailboxes");
  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
}

/* A mailbox user moves mail into their own mailbox only, and may create the job. */
static void
test_mailbox_user (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *target = form_child (f, "target_row");
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (target));
  g_autoptr(GtkStringObject) only = g_list_model_get_item (model, 0);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (gtk_string_object_get_string (only), ==, MIG_MAILBOX);
  g_assert_false (gtk_widget_get_sensitive (target));
  fill_good_form (f);
  test_connection (f);
  gui_wait_for (can_simulate, f, "the look for an existing job");
  gtk_widget_activate_action (GTK_WIDGET (f->job_page), "move.simulate", NULL);
  gui_wait_for (simulation_waiting, f, "the simulation job");
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->gui.sim), ==, 1);
  assert_stored_job (f, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gui_test_init (&argc, &argv);
  dovecot = hes_test_dovecot_start ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/gui-migration/move-mailbox/fields-checked-as-typed", test_fields_checked_as_typed);
  ADD ("/gui-migration/move-mailbox/provider-guessed", test_provider_guessed);
  ADD ("/gui-migration/move-mailbox/simulate-then-move", test_simulate_then_move);
  ADD ("/gui-migration/move-mailbox/simulation-fails", test_simulation_fails);
  ADD ("/gui-migration/move-mailbox/no-second-job", test_no_second_job);
  ADD ("/gui-migration/move-mailbox/wrong-password", test_wrong_password);
#undef ADD
  g_test_add ("/gui-migration/move-mailbox/mailbox-user", Fixture, NULL, setup_mailbox_user,
              test_mailbox_user, teardown);

  status = g_test_run ();
  hes_test_dovecot_stop (dovecot);
  return status;
}
