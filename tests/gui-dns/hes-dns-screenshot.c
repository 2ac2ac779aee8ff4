/* hes-dns-screenshot.c: renders the DNS pages to PNG for data/screenshots, against the
 * simulator's demo and Knot DNS serving the demo zones (not a test, not installed).
 * Usage: hes-dns-screenshot [--french] records|results OUTPUT.png
 *   records  step 1 for boulangerie-martin.example, the MX record opened
 *   results  the check of atelier-durand.example (the zone with the usual mistakes) */
#define G_LOG_DOMAIN "hes-dns-screenshot"

#include "config.h"

#include "gui-screenshot.h"

#include "gui-dns-fixture.h"
#include "hes-dns-task.h"
#include "hes-mailcow-sim.h"
#include "hes-window.h"

int
main (int   argc,
      char *argv[])
{
  GuiFixture f = { 0 };
  g_autoptr(HesKnotFixture) knot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *good = NULL;

  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (argc != 3)
    g_error ("Usage: hes-dns-screenshot [--french] records|results OUTPUT.png");
  gui_screenshot_load_style ();
  hes_tasks_register ("dns", hes_dns_task_new_pages);

  gui_fixture_setup (&f, NULL);
  hes_mailcow_sim_load_demo (f.sim, NULL);
  gui_fixture_open_window (&f);
  /* HES_SCREENSHOT_SIZE (e.g. 360x700) sizes the window before anything is shown. */
  if (g_getenv ("HES_SCREENSHOT_SIZE") == NULL)
    gtk_window_set_default_size (GTK_WINDOW (f.window), 760, 980);
  gui_dns_open_task (&f);

  if (g_strcmp0 (argv[1], "records") == 0) {
    GtkWidget *list = gui_dns_child (gui_dns_records_page (&f), HES_TYPE_DNS_RECORDS_PAGE,
                                     "records_list");

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gui_find_row (list, "mx")), TRUE);
  } else {
    fragment = gui_dns_export (&f, HES_DNS_EXPORT_ZONE);
    good = gui_dns_complete_zone (fragment);
    knot = gui_dns_start_knot (good, &error);
    g_assert_no_error (error);
    gui_dns_choose_domain (&f, GUI_DNS_MIXED_DOMAIN);
    gui_dns_check (&f);
  }

  gui_screenshot_settle (800);
  gui_screenshot_save_png (GTK_WIDGET (f.window), argv[2]);
  if (knot != NULL)
    hes_dns_watch_stop (hes_dns_results_page_get_watch (gui_dns_results_page (&f)));
  gui_fixture_teardown (&f, NULL);
  return 0;
}
