/* test-window.c: the real main window against the simulator's demo data: sign in, the home
 * page and its domains, the task rows, signing out, what is remembered. Run in English and,
 * with --french, in French. */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-tasks.h"
#include "pages/dns/hes-dns-watch.h"
#include "pages/signin/hes-signin-page.h"

static void
setup_demo (GuiFixture    *f,
            gconstpointer  data)
{
  g_autofree char *description = NULL;

  gui_fixture_setup (f, data);
  hes_mailcow_sim_load_demo (f->sim, &description);
  gui_fixture_open_window (f);
}

static gboolean
domains_loaded (gpointer data)
{
  GuiFixture *f = data;
  GtkWidget *first = gtk_widget_get_first_child (gui_home_child (f, "domains_list"));

  return first != NULL && gtk_widget_get_name (first) != NULL
         && strchr (gtk_widget_get_name (first), '.') != NULL;
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
row_subtitle (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

#define DEMO_PASSWORD "Demo-2026!"

static void
assert_french (const char *english,
               const char *french)
{
  /* In the French run the catalog must be in use: the string is the French one. */
  if (gui_is_french ())
    g_assert_cmpstr (_(english), ==, french);
  else
    g_assert_cmpstr (_(english), ==, english);
}

static void
test_demo_sign_in (GuiFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *list;
  GtkWidget *row;
  g_autofree char *count = NULL;

  assert_french ("Hosterra Email Setup", "Assistant Hosterra Email");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, _("Hosterra Email Setup"));
  g_assert_cmpstr (gui_text (f, "server_row"), ==, f->url);
  /* Start-up builds only what the first frame shows: the home page comes with signing in. */
  {
    g_autoptr(GPtrArray) pages = hes_assistant_get_pages (hes_window_get_assistant (f->window));

    g_assert_cmpuint (pages->len, ==, 1);
    g_assert_true (g_ptr_array_index (pages, 0) == hes_window_get_signin_page (f->window));
  }

  gui_sign_in (f, TRUE, "demo-admin", DEMO_PASSWORD);
  gui_wait_for_home (f);
  gui_wait_for (domains_loaded, f, "the domains");

  list = gui_home_child (f, "domains_list");
  row = gui_find_row (list, "boulangerie-martin.example");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_title (row), ==, "boulangerie-martin.example");
  g_assert_nonnull (strstr (row_subtitle (row), "Boulangerie Martin"));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d mailbox", "%d mailboxes", 4), 4);
  g_assert_nonnull (strstr (row_subtitle (row), count));
  if (gui_is_french ())
    g_assert_nonnull (strstr (row_subtitle (row), "4 boîtes aux lettres"));
  row = gui_find_row (list, "atelier-durand.example");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (row_subtitle (row), "Atelier Durand"));

  row = gui_home_child (f, "user_row");
  g_assert_cmpstr (row_title (row), ==, "demo-admin");
  g_assert_cmpstr (row_subtitle (row), ==, _("Domain administrator"));
  assert_french ("Domain administrator", "Administrateur de domaine");
  g_assert_cmpstr (row_subtitle (gui_home_child (f, "server_row")), ==, "127.0.0.1");

  /* No task has pages yet: no dead-end rows. Back never leads to the sign-in page. */
  g_assert_false (gtk_widget_get_visible (gui_home_child (f, "tasks_group")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hes_window_get_signin_page (f->window))));

  /* Where and as whom, never the password. */
  g_free (count);
  count = g_settings_get_string (settings, "server");
  g_assert_cmpstr (count, ==, f->url);
  g_free (count);
  count = g_settings_get_string (settings, "username");
  g_assert_cmpstr (count, ==, "demo-admin");
  g_assert_cmpint (g_settings_get_enum (settings, "role"), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
}

static void
test_sign_out (GuiFixture    *f,
               gconstpointer  data)
{
  GtkWidget *list;

  gui_sign_in (f, FALSE, "claire@boulangerie-martin.example", DEMO_PASSWORD);
  gui_wait_for_home (f);
  gui_wait_for (domains_loaded, f, "the domains");

  /* A mailbox user sees the domain of their own address. */
  list = gui_home_child (f, "domains_list");
  g_assert_nonnull (gui_find_row (list, "boulangerie-martin.example"));
  g_assert_null (gui_find_row (list, "atelier-durand.example"));
  g_assert_cmpstr (row_subtitle (gui_home_child (f, "user_row")), ==, _("Mailbox user"));

  g_signal_emit_by_name (gui_home_child (f, "sign_out_button"), "clicked");
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));
  g_assert_null (hes_session_get_client (hes_window_get_session (f->window)));
  g_assert_cmpstr (gui_signin_step (f), ==, "credentials");
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "");
  g_assert_cmpstr (gui_text (f, "username_row"), ==, "claire@boulangerie-martin.example");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (gui_signin_child (f, "role_row"))),
                    ==, HES_MAILCOW_ROLE_MAILBOX_USER);

  /* And back in with the password only. */
  gui_type (f, "password_row", DEMO_PASSWORD);
  gui_click_forward (f);
  gui_wait_for_home (f);
}

/* A task page for the task rows: complete at once. */
#define TEST_TYPE_TASK_PAGE (test_task_page_get_type ())
G_DECLARE_FINAL_TYPE (TestTaskPage, test_task_page, TEST, TASK_PAGE, HesPage)

struct _TestTaskPage
{
  HesPage parent_instance;
};

G_DEFINE_FINAL_TYPE (TestTaskPage, test_task_page, HES_TYPE_PAGE)

static void
test_task_page_class_init (TestTaskPageClass *klass)
{
}

static void
test_task_page_init (TestTaskPage *self)
{
  hes_page_set_title (HES_PAGE (self), "Task");
  hes_page_set_complete (HES_PAGE (self), TRUE);
}

static GPtrArray *
new_task_pages (HesSession *session)
{
  GPtrArray *pages = g_ptr_array_new ();

  g_assert_nonnull (hes_session_get_client (session));
  g_ptr_array_add (pages, g_object_new (TEST_TYPE_TASK_PAGE, "session", session, NULL));
  return pages;
}

static void
test_tasks (GuiFixture    *f,
            gconstpointer  data)
{
  HesAssistant *assistant = hes_window_get_assistant (f->window);
  GtkWidget *tasks;
  GtkWidget *dns, *secure, *move;
  const char *reason = NULL;
  g_autoptr(GPtrArray) pages = NULL;

  hes_tasks_register ("dns", new_task_pages);
  hes_tasks_register ("secure", new_task_pages);

  gui_sign_in (f, FALSE, "paul@atelier-durand.example", DEMO_PASSWORD);
  gui_wait_for_home (f);

  g_assert_true (gtk_widget_get_visible (gui_home_child (f, "tasks_group")));
  tasks = gui_home_child (f, "tasks_list");
  dns = gui_find_row (tasks, "task-dns");
  secure = gui_find_row (tasks, "task-secure");
  move = gui_find_row (tasks, "task-move-mailbox");

  /* DNS needs a domain administrator: shown, greyed, with the reason. */
  g_assert_true (gtk_widget_get_visible (dns));
  g_assert_false (gtk_widget_get_sensitive (dns));
  g_assert_false (hes_task_allowed_for_role (hes_tasks_lookup ("dns"),
                                             HES_MAILCOW_ROLE_MAILBOX_USER, &reason));
  g_assert_cmpstr (row_subtitle (dns), ==, reason);
  g_assert_true (gtk_widget_get_visible (secure));
  g_assert_true (gtk_widget_get_sensitive (secure));
  g_assert_cmpstr (row_title (secure), ==, _("Secure My Account"));
  /* No page registered: no row. */
  g_assert_false (gtk_widget_get_visible (move));

  /* Opening the task pushes its page; Done returns home and drops it. */
  g_signal_emit_by_name (secure, "activated");
  g_assert_true (TEST_IS_TASK_PAGE (gui_current_page (f)));
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL);
  g_assert_true (gui_current_page (f) == hes_window_get_home_page (f->window));
  pages = hes_assistant_get_pages (assistant);
  g_assert_cmpuint (pages->len, ==, 2);

  /* Back from the task's first page also returns home. */
  g_signal_emit_by_name (secure, "activated");
  g_assert_true (TEST_IS_TASK_PAGE (gui_current_page (f)));
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.back", NULL);
  g_assert_true (gui_current_page (f) == hes_window_get_home_page (f->window));

  hes_tasks_register ("dns", NULL);
  hes_tasks_register ("secure", NULL);
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found = find_action_button (c, action);

    if (found != NULL)
      return found;
  }
  return NULL;
}

static gboolean
domains_failed (gpointer data)
{
  GuiFixture *f = data;
  GtkWidget *first = gtk_widget_get_first_child (gui_home_child (f, "domains_list"));

  return first != NULL && g_strcmp0 (row_title (first), _("Your domains could not be loaded")) == 0;
}

static void
test_domains_error (GuiFixture    *f,
                    gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *retry;
  HesMessageArea *area;

  gui_sign_in (f, TRUE, "demo-admin", DEMO_PASSWORD);
  gui_wait_for_home (f);
  gui_wait_for (domains_loaded, f, "the domains");

  /* The server fails: one sentence and a way to try again, no crash, no empty list. */
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTTP_500);
  gtk_widget_activate_action (gui_home_child (f, "domains_list"), "home.reload", NULL);
  gui_wait_for (domains_failed, f, "the error row");
  row = gtk_widget_get_first_child (gui_home_child (f, "domains_list"));
  /* The sentence is in the page's message area, announced as an alert. */
  area = HES_MESSAGE_AREA (gui_home_child (f, "message_area"));
  g_assert_cmpint (hes_message_area_get_kind (area), ==, HES_MESSAGE_ERROR);
  g_assert_cmpuint (strlen (hes_message_area_get_text (area)), >, 10);
  retry = find_action_button (row, "home.reload");
  g_assert_nonnull (retry);

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
  g_signal_emit_by_name (retry, "clicked");
  gui_wait_for (domains_loaded, f, "the domains again");
  g_assert_nonnull (gui_find_row (gui_home_child (f, "domains_list"), "atelier-durand.example"));
  g_assert_cmpint (hes_message_area_get_kind (area), ==, HES_MESSAGE_NONE);
}

static void
test_remembered (GuiFixture    *f,
                 gconstpointer  data)
{
  HesWindow *second;
  GtkWidget *page;

  gui_sign_in (f, TRUE, "demo-admin", DEMO_PASSWORD);
  gui_wait_for_home (f);

  /* A new window (the next start) fills in the server, role and user, but no password. */
  second = hes_window_new (NULL, NULL);
  page = GTK_WIDGET (hes_window_get_signin_page (second));
#define CHILD(name) (GtkWidget *) gtk_widget_get_template_child (page, HES_TYPE_SIGNIN_PAGE, name)
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (CHILD ("server_row"))), ==, f->url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (CHILD ("username_row"))), ==, "demo-admin");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (CHILD ("password_row"))), ==, "");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (CHILD ("role_row"))), ==,
                    HES_MAILCOW_ROLE_DOMAIN_ADMIN);
#undef CHILD
  gtk_window_destroy (GTK_WINDOW (second));
}

static void
test_default_server (GuiFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  HesWindow *window;
  GtkWidget *server;
  HesProviderProfile *profile;

  g_settings_reset (settings, "server");
  window = hes_window_new (NULL, NULL);
  profile = hes_session_get_profile (hes_window_get_session (window));
  server = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (hes_window_get_signin_page (window)), HES_TYPE_SIGNIN_PAGE, "server_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (server)), ==,
                   hes_provider_profile_get_default_server (profile));
  g_assert_cmpstr (hes_provider_profile_get_default_server (profile), ==,
                   "https://mail.hosterra.email");
  gtk_window_destroy (GTK_WINDOW (window));
}


static gboolean
watch_holding (gpointer data)
{
  return hes_dns_watch_get_holding (data);
}

static GtkWidget *
find_quit_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

    if (g_strcmp0 (gtk_widget_get_name (window), "quit_dialog") == 0
        && gtk_widget_get_visible (window))
      return window;
  }
  return NULL;
}

/* Closing while the DNS is checked in the background asks; "keep" hides the window with the
 * account still signed in, "stop" ends the checks and the window. */
static void
test_quit_while_checking (GuiFixture    *f,
                          gconstpointer  data)
{
  static const guint delays[] = { 60000 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autoptr(HesDnsWatch) watch = NULL;
  g_autoptr(HesWindow) window = NULL;
  HesSession *session = hes_window_get_session (f->window);
  GtkWidget *dialog;

  gui_sign_in (f, TRUE, "demo-admin", DEMO_PASSWORD);
  gui_wait_for_home (f);

  plan = hes_dns_record_plan_new ("quit.invalid", "mail.quit.invalid", NULL, NULL, "AAAA",
                                  &error);
  g_assert_no_error (error);
  watch = hes_dns_watch_get_for_plan (plan);
  hes_dns_watch_set_schedule (watch, delays, G_N_ELEMENTS (delays), 600000);
  hes_dns_watch_check_now (watch);
  gui_wait_for (watch_holding, watch, "the watch to run");
  g_assert_true (hes_dns_watch_any_holding ());

  /* Cancel: nothing changes. */
  window = g_object_ref (f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = find_quit_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gui_flush ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* Keep checking: hidden, still signed in, shown again as it was. */
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = find_quit_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gui_flush ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_nonnull (hes_session_get_client (session));
  g_assert_true (hes_dns_watch_get_holding (watch));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gui_current_page (f) == hes_window_get_home_page (f->window));

  /* Stop and quit: the checks end, the window goes. */
  gtk_window_close (GTK_WINDOW (f->window));
  dialog = find_quit_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  gui_flush ();
  g_assert_false (hes_dns_watch_get_holding (watch));
  g_assert_false (hes_dns_watch_any_holding ());
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  /* Destroyed: the fixture must not close it again. */
  g_clear_object (&f->window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/window/" path, GuiFixture, NULL, setup_demo, func, gui_fixture_teardown)
  ADD ("demo-sign-in", test_demo_sign_in);
  ADD ("sign-out", test_sign_out);
  ADD ("tasks", test_tasks);
  ADD ("domains-error", test_domains_error);
  ADD ("remembered", test_remembered);
  ADD ("default-server", test_default_server);
  ADD ("quit-while-checking", test_quit_while_checking);
#undef ADD

  return g_test_run ();
}
