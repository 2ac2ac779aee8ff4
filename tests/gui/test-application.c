/* test-application.c: the application object: --server fills the sign-in page, the keyboard
 * shortcuts and About windows open, Quit closes the window and its size is remembered. */
#define G_LOG_DOMAIN "test-application"

#include "config.h"

#include "gui-helpers.h"
#include "hes-application.h"
#include "pages/signin/hes-signin-page.h"

typedef struct {
  GtkApplication *app;
  gboolean about_seen;
  gboolean shortcuts_seen;
  char *server_text;
} Run;

static GtkWindow *
find_window (GtkApplication *app,
             GType           type)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next) {
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  }
  return NULL;
}

static gboolean
on_idle_cb (gpointer data)
{
  Run *run = data;
  GtkWindow *window = find_window (run->app, HES_TYPE_WINDOW);
  GtkWidget *server;

  g_assert_nonnull (window);
  server = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (hes_window_get_signin_page (HES_WINDOW (window))), HES_TYPE_SIGNIN_PAGE,
    "server_row");
  run->server_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (server)));

  /* The shortcuts window is built when first asked for, not with the window; its shortcut
   * is set all the same. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (run->app,
                                                                  "win.show-help-overlay");

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
  }
  /* The window's own actions ("win.open-task") live beside the application window's group. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  run->shortcuts_seen = gtk_widget_get_visible (
    GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "about", NULL);
  run->about_seen = find_window (run->app, ADW_TYPE_ABOUT_WINDOW) != NULL;

  gtk_window_set_default_size (window, 777, 555);
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *app,
                Run          *run)
{
  /* After the application's own activate handler has made the window. */
  g_idle_add (on_idle_cb, run);
}

static void
test_run (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  char *argv[] = { (char *) "hosterra-email-setup", (char *) "--server",
                   (char *) "https://mail.example.org", NULL };
  Run run = { 0 };
  int status;

  run.app = GTK_APPLICATION (hes_application_new ());
  /* No session bus here: run as a separate instance instead of a D-Bus-unique one. */
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (on_activate_cb), &run);

  status = g_application_run (G_APPLICATION (run.app), 3, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (run.server_text, ==, "https://mail.example.org");
  g_assert_true (run.about_seen);
  g_assert_true (run.shortcuts_seen);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_free (run.server_text);
  g_assert_finalize_object (run.app);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/application/run", test_run);

  return g_test_run ();
}
