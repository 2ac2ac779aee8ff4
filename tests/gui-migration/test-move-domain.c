/* test-move-domain.c: "Move a whole domain" in the real window against the mailcow simulator:
 * the checklist enforces the order, step 1 creates mailboxes from typed lines with a result
 * per line, step 2 simulates then moves each mailbox for real, the progress survives closing
 * the window (a new window reads it back mid-way), step 3 checks the records at a real DNS
 * server (Knot): refused while the MX names the old provider, with the records to fix and the
 * way to the DNS task, done once the zone is right; step 4 sees the switch and records it;
 * with a resolver that still has the old MX, step 4 says the switch is pending and how long
 * it takes, checks again by itself and records the switch once it is visible; step 5
 * completes, and step 6 refuses to remove the jobs before it is safe until the customer
 * confirms in a dialog that names what could be lost. Run in English and, with --french, in
 * French. */
#define G_LOG_DOMAIN "test-move-domain"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-dns-export.h"
#include "hes-domain-migration.h"
#include "hes-dns-plan-source.h"
#include "hes-knot-fixture.h"
#include "hes-test-dovecot.h"
#include "migration-gui.h"
#include "pages/dns/hes-dns-records-page.h"
#include "pages/dns/hes-dns-result-row.h"
#include "pages/dns/hes-dns-task.h"
#include "pages/migration/hes-move-domain-page.h"

#define MAIL_HOST "mail.hosterra.test"

/* The provider's zone: the mail host's address. */
static const char *provider_zone =
  "$ORIGIN hosterra.test.\n$TTL 3600\n"
  "@    SOA ns1 hostmaster 2026112901 3600 900 1209600 300\n"
  "@    NS  ns1\nns1  A   127.0.0.1\nmail A   192.0.2.25\n";
/* The customer's zone before the move: mail goes to the old provider. */
static const char *old_zone =
  "$ORIGIN kunde.example.\n$TTL 3600\n"
  "@    SOA ns1 hostmaster 2026112901 3600 900 1209600 300\n"
  "@    NS  ns1\nns1  A   127.0.0.1\n"
  "@    MX  10 mx.old-provider.example.\n"
  "@    TXT \"v=spf1 include:_spf.old-provider.example -all\"\n";

typedef struct {
  GuiFixture gui;
  char *state_dir;
  HesPage *page;
  HesKnotFixture *knot;       /* the customer's DNS host */
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

  const char *zones[] = { "hosterra.test", provider_zone, MIG_DOMAIN, old_zone, NULL };

  hes_tasks_register ("dns", hes_dns_task_new_pages);
  mig_fixture_setup (&f->gui, data);
  /* Every DNS lookup of the app goes to this Knot. */
  f->knot = hes_knot_fixture_start (zones, &error);
  g_assert_no_error (error);
  g_setenv ("HES_DNS_SERVER", hes_knot_fixture_get_server (f->knot), TRUE);
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
  hes_move_domain_page_set_dns_servers (NULL, NULL);
  g_unsetenv ("HES_DNS_SERVER");
  g_clear_pointer (&f->knot, hes_knot_fixture_stop);
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

static gboolean page_idle (gpointer data);

/* The checklist shows @current as the step to do, those before done, those after locked,
 * once it has been read again from the server. */
static void
assert_checklist (Fixture *f,
                  int      current)
{
  GtkWidget *list = child (f, "steps_list");
  int step = 0;

  gui_wait_for (page_idle, f, "the checklist read from the server");

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
on_got_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The zone once the customer published the records the DNS task lists (its own plan, with
 * the domain's DKIM record from the server), with a newer serial. */
static char *
right_zone (Fixture *f)
{
  HesMailcowClient *client = hes_session_get_client (hes_window_get_session (f->gui.window));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autofree char *fragment = NULL;

  hes_dns_plan_source_load_async (client, MIG_DOMAIN, MAIL_HOST, NULL, on_got_cb, &result);
  gui_wait_for (has_result, &result, "the domain's record plan");
  plan = hes_dns_plan_source_load_finish (result, NULL, &error);
  g_assert_no_error (error);
  fragment = hes_dns_export_zone (plan);
  return g_strconcat (fragment,
                      "@   3600 IN SOA ns1 hostmaster 2026112902 3600 900 1209600 300\n"
                      "@   3600 IN NS  ns1\nns1 3600 IN A   127.0.0.1\n", NULL);
}

/* What the DNS host does when the customer saves: the new zone, served at once. */
static void
publish (HesKnotFixture *knot,
         const char     *zone)
{
  g_autofree char *path = g_build_filename (hes_knot_fixture_get_dir (knot), "zones",
                                            MIG_DOMAIN ".zone", NULL);
  g_autofree char *conf = g_build_filename (hes_knot_fixture_get_dir (knot), "knot.conf", NULL);
  g_autofree char *knotc = hes_knot_find_program ("knotc");
  const char *argv[] = { knotc, "-c", conf, "-b", "zone-reload", MIG_DOMAIN, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_file_set_contents (path, zone, -1, &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
}

/* Where the page keeps what the server cannot know, for this server and account. */
static char *
state_path (Fixture *f)
{
  return mig_state_path (&f->gui, f->state_dir, MIG_DOMAIN);
}

static gint64
saved_switch_time (Fixture *f)
{
  g_autofree char *path = state_path (f);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  return g_key_file_get_int64 (file, "Migration", "SwitchVisible", NULL);
}

/* The checklist row of step 4 says when the switch became visible. */
static void
assert_switch_recorded (Fixture *f,
                        gint64   not_before)
{
  gint64 when = saved_switch_time (f);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);
  g_autofree char *minutes = g_date_time_format (time, "%H:%M");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (
                           mig_find_named (child (f, "steps_list"), "propagation")));

  g_assert_cmpint (when, >=, not_before);
  g_assert_cmpint (when, <=, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_nonnull (strstr (subtitle, minutes));
  g_assert_true (g_str_has_prefix (subtitle, gui_is_french () ? "La bascule" : "The switch"));
}

/* Step 3 against Knot: refused with the MX to fix, then done once the zone is right. */
static void
do_step_3 (Fixture *f)
{
  GtkWidget *mx;

  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "dns");
  g_assert_true (gtk_widget_get_visible (child (f, "open_dns_button")));
  act (f, "domain.check-dns");
  gui_wait_for (page_idle, f, "the DNS check");
  g_assert_cmpint (current_step (f), ==, 2);
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "dns");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (f, "error_revealer"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "error_label"))), ==,
                   _("Your domain’s MX record does not send its mail to Hosterra Email yet: "
                     "correct it at your DNS host, then check again."));
  /* The records still to fix are listed, the MX with its verdict in words. */
  g_assert_true (gtk_widget_get_visible (child (f, "dns_results_group")));
  mx = mig_find_named (child (f, "dns_results_list"), "mx");
  g_assert_nonnull (mx);
  g_assert_cmpint (hes_dns_result_row_get_result (HES_DNS_RESULT_ROW (mx))->finding->verdict, ==,
                   HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (mig_find_named (child (f, "dns_results_list"), "dkim"));

  /* The way to the DNS task, then back: the progress is read again. */
  act (f, "domain.open-dns");
  g_assert_true (HES_IS_DNS_RECORDS_PAGE (gui_current_page (&f->gui)));
  {
    g_autofree char *zone = right_zone (f);

    publish (f->knot, zone);
  }
  open_task (f);
  assert_checklist (f, 2);
  act (f, "domain.open-step");
  act (f, "domain.check-dns");
  gui_wait_for (idle_on_checklist, f, "step 3 to complete");
  assert_checklist (f, 3);
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

  /* Step 3: the DNS records, checked at the DNS server. */
  do_step_3 (f);

  /* Step 4: one server answers for both views, so the switch is visible at once. */
  {
    gint64 before = g_get_real_time () / G_USEC_PER_SEC;

    act (f, "domain.open-step");
    g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "propagation");
    gui_wait_for (idle_on_checklist, f, "step 4 to complete");
    assert_checklist (f, 4);
    assert_switch_recorded (f, before);
  }

  /* Step 5: the settings to copy, then the autoconfig check against the server. */
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "programs");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                              mig_find_named (child (f, "settings_list"), "imap"))),
                            MAIL_HOST));
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
switch_pending (gpointer data)
{
  Fixture *f = data;
  GtkWidget *mx = mig_find_named (child (f, "switch_list"), "mx");
  HesDnsRecordResult *result = mx ? hes_dns_result_row_get_result (HES_DNS_RESULT_ROW (mx)) : NULL;

  return result != NULL && result->finding->verdict == HES_DNS_VERDICT_PENDING;
}

static gboolean
switch_checked (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (child (f, "next_check_label"))),
                    _("Checking where your domain’s mail goes…")) != 0;
}

/* A resolver that still holds the old MX while the domain's server has the new one. */
static void
test_switch_pending (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *zone = right_zone (f);
  const char *resolver_zones[] = { "hosterra.test", provider_zone, MIG_DOMAIN, old_zone, NULL };
  g_autoptr(HesKnotFixture) resolver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = state_path (f);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *state = NULL;
  g_autofree char *sentence = NULL;
  gint64 before;

  resolver = hes_knot_fixture_start (resolver_zones, &error);
  g_assert_no_error (error);
  publish (f->knot, zone);
  hes_move_domain_page_set_dns_servers (hes_knot_fixture_get_server (resolver),
                                        hes_knot_fixture_get_server (f->knot));
  /* Steps 1 to 3 done earlier (the six-steps test walks them). */
  state = g_strdup_printf ("[Migration]\nVersion=1\nDomain=" MIG_DOMAIN "\nMailHost=" MAIL_HOST
                           "\nMailboxes=" MIG_MAILBOX ";\nStep1Done=%1$" G_GINT64_FORMAT
                           "\nStep2Done=%1$" G_GINT64_FORMAT "\nStep3Done=%1$" G_GINT64_FORMAT
                           "\n", g_get_real_time () / G_USEC_PER_SEC - 3600);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, state, -1, &error));
  /* The server shows steps 1 and 2: the mailbox exists and is copied for real. */
  g_assert_cmpuint (hes_mailcow_sim_add_syncjob (f->gui.sim, MIG_MAILBOX, "imap.old.example",
                                                 "anna", "Old-Pass-1", FALSE), >, 0);
  new_window (f);
  assert_checklist (f, 3);

  before = g_get_real_time () / G_USEC_PER_SEC;
  act (f, "domain.open-step");
  g_assert_cmpstr (hes_move_domain_page_get_view (page (f)), ==, "propagation");
  gui_wait_for (switch_pending, f, "the switch to be seen as pending");
  /* Knot gives the full TTL: an hour at most before this computer sees it. */
  sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Your domain’s DNS servers already send its mail to "
                                           "Hosterra Email; this computer should see the switch "
                                           "within %u minute. Until then, the synchronisations "
                                           "keep copying what the old provider receives.",
                                           "Your domain’s DNS servers already send its mail to "
                                           "Hosterra Email; this computer should see the switch "
                                           "within %u minutes. Until then, the synchronisations "
                                           "keep copying what the old provider receives.", 60),
                              60);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "switch_status"))), ==, sentence);
  g_assert_true (gtk_widget_get_visible (child (f, "next_check_label")));
  g_assert_cmpint (current_step (f), ==, 3);
  g_assert_cmpint (saved_switch_time (f), ==, 0);
  /* "Check now" does not wait for the planned check. */
  act (f, "domain.check-switch");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "next_check_label"))), ==,
                   _("Checking where your domain’s mail goes…"));
  gui_wait_for (switch_checked, f, "the check asked for");
  g_assert_true (switch_pending (f));
  g_assert_cmpint (current_step (f), ==, 3);

  /* The resolver's cache expires: the next automatic check sees it and records the switch. */
  publish (resolver, zone);
  gui_wait_for (idle_on_checklist, f, "the switch to become visible");
  assert_checklist (f, 4);
  assert_switch_recorded (f, before);
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

/* Saved progress the server contradicts (a server restarted empty): the steps open again and
 * the checklist says why, in plain words. */
static void
test_server_contradicts (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = state_path (f);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *state = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  state = g_strdup_printf ("[Migration]\nVersion=1\nDomain=" MIG_DOMAIN "\nMailHost=" MAIL_HOST
                           "\nMailboxes=gone@" MIG_DOMAIN ";\nStep1Done=%1$" G_GINT64_FORMAT
                           "\nStep2Done=%1$" G_GINT64_FORMAT "\nStep3Done=%1$" G_GINT64_FORMAT
                           "\n", g_get_real_time () / G_USEC_PER_SEC - 3600);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, state, -1, &error));
  new_window (f);
  assert_checklist (f, 0);
  text = gtk_label_get_text (GTK_LABEL (child (f, "progress_label")));
  expected = g_strdup_printf (_("The server has no mailbox %1$s, so the step “%2$s” is open "
                                "again: create the missing mailboxes, then continue."),
                              "gone@" MIG_DOMAIN, _("Create the mailboxes"));
  g_assert_nonnull (strstr (text, expected));
  g_assert_nonnull (strstr (text, _("The steps after it are open again too, since each one "
                                    "relies on the ones before.")));
  /* Saved: the file no longer says the steps are done. */
  g_clear_pointer (&state, g_free);
  g_assert_true (g_file_get_contents (path, &state, NULL, &error));
  g_assert_nonnull (strstr (state, "Step1Done=0"));
  g_assert_nonnull (strstr (state, "Step3Done=0"));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add ("/gui-migration/move-domain/six-steps", Fixture, NULL, setup, test_six_steps,
              teardown);
  g_test_add ("/gui-migration/move-domain/switch-pending", Fixture, NULL, setup,
              test_switch_pending, teardown);
  g_test_add ("/gui-migration/move-domain/order-enforced", Fixture, NULL, setup,
              test_order_enforced, teardown);

  g_test_add ("/gui-migration/move-domain/server-contradicts", Fixture, NULL, setup,
              test_server_contradicts, teardown);
  g_test_add ("/gui-migration/move-domain/import-csv", Fixture, NULL, setup, test_import_csv,
              teardown);

  return g_test_run ();
}
