/* minimal-window.c: the smallest libadwaita application with a window, the reference that
 * build-aux/benchmark compares the app's startup time and memory with.
 *
 * With HES_BENCH_MAP=1 it prints "HES_BENCH_MAP <microseconds>" (CLOCK_MONOTONIC, the clock of
 * g_get_monotonic_time) on standard output when its window is first mapped.
 */
#define G_LOG_DOMAIN "minimal-window"

#include <adwaita.h>

static void
on_window_mapped_cb (GtkWidget *window,
                     gpointer   user_data)
{
  g_print ("HES_BENCH_MAP %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
on_activate_cb (GApplication *app,
                gpointer      user_data)
{
  GtkWidget *window;
  GtkWidget *label;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Minimal Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  label = gtk_label_new ("Minimal libadwaita window");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), label);

  if (g_strcmp0 (g_getenv ("HES_BENCH_MAP"), "1") == 0)
    g_signal_connect (window, "map", G_CALLBACK (on_window_mapped_cb), NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("help.hosterra.EmailSetup.BenchReference",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
