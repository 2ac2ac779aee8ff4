/* hes-dns-screenshot.c: renders the DNS pages to PNG for data/screenshots, against the
 * simulator's demo and Knot DNS serving the demo zones (not a test, not installed).
 * Usage: hes-dns-screenshot [--french] records|results OUTPUT.png
 *   records  step 1 for boulangerie-martin.example, the MX record opened
 *   results  the check of atelier-durand.example (the zone with the usual mistakes) */
#define G_LOG_DOMAIN "hes-dns-screenshot"

#include "config.h"

#include "gui-dns-fixture.h"
#include "hes-dns-task.h"
#include "hes-mailcow-sim.h"
#include "hes-window.h"

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  /* What AdwApplication does for the real program. */
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

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
  load_style ();
  hes_tasks_register ("dns", hes_dns_task_new_pages);

  gui_fixture_setup (&f, NULL);
  hes_mailcow_sim_load_demo (f.sim, NULL);
  gui_fixture_open_window (&f);
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

  settle (800);
  save_png (GTK_WIDGET (f.window), argv[2]);
  if (knot != NULL)
    hes_dns_watch_stop (hes_dns_results_page_get_watch (gui_dns_results_page (&f)));
  gui_fixture_teardown (&f, NULL);
  return 0;
}
