/* hes-security-screenshot.c: renders the security page or its TOTP step to a PNG, against the
 * simulator's demo data, for data/screenshots. Not installed, not a test.
 * Usage: hes-security-screenshot [--french] security|totp OUTPUT.png */
#define G_LOG_DOMAIN "hes-security-screenshot"

#include "config.h"

#include "gui-helpers.h"
#include "pages/security/hes-security-page.h"

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

int
main (int   argc,
      char *argv[])
{
  GuiFixture f = { 0 };
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *description = NULL;
  HesPage *page;

  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (argc != 3)
    g_error ("Usage: hes-security-screenshot [--french] security|totp OUTPUT.png");

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  hes_tasks_register ("secure", hes_security_task_new_pages);
  gui_fixture_setup (&f, NULL);
  hes_mailcow_sim_load_demo (f.sim, &description);
  gui_fixture_open_window (&f);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 720, 900);
  gui_sign_in (&f, TRUE, "demo-admin", "Demo-2026!");
  gui_wait_for_home (&f);
  /* An account with something set up already shows both halves of the page. */
  hes_mailcow_sim_add_totp (f.sim, "demo-admin", gui_is_french () ? "Téléphone" : "Phone",
                            "JBSWY3DPEHPK3PXP");
  hes_mailcow_sim_add_yubi_otp (f.sim, "demo-admin", "YubiKey 5", "cccjgjgkhcbb");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-task", "s", "secure");
  settle (800);

  page = gui_current_page (&f);
  if (g_strcmp0 (argv[1], "totp") == 0) {
    GtkWidget *row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                  HES_TYPE_SECURITY_PAGE,
                                                                  "totp_row");
    g_signal_emit_by_name (row, "activated");
  }

  settle (800);
  save_png (GTK_WIDGET (f.window), argv[2]);
  gui_fixture_teardown (&f, NULL);
  return 0;
}
