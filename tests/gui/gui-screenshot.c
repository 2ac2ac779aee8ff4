/* gui-screenshot.c: what the screenshot tools share (see gui-screenshot.h). */
#define G_LOG_DOMAIN "gui-screenshot"

#include "config.h"

#include <stdio.h>

#include "gui-screenshot.h"

void
gui_screenshot_load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static gboolean
on_settled_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* HES_SCREENSHOT_SIZE=WIDTHxHEIGHT (e.g. 360x700 for a phone) sizes every window first. */
static void
apply_requested_size (void)
{
  const char *size = g_getenv ("HES_SCREENSHOT_SIZE");
  GListModel *toplevels = gtk_window_get_toplevels ();
  int width = 0, height = 0;

  if (size == NULL || sscanf (size, "%dx%d", &width, &height) != 2 || width <= 0 || height <= 0)
    return;
  /* A phone's shell shows a close button only. */
  if (width < 600)
    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

    gtk_window_set_default_size (window, width, height);
  }
}

void
gui_screenshot_settle (guint ms)
{
  gboolean done = FALSE;

  apply_requested_size ();

  g_timeout_add (ms, on_settled_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
gui_screenshot_save_png (GtkWidget  *window,
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
