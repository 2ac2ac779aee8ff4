/* hes-screenshot.c: renders the real window to a PNG, on the sign-in or the home page, against
 * the simulator's demo data. For the screenshots in data/screenshots; not installed.
 * Usage: hes-screenshot [--french] signin|home|error|totp|password OUTPUT.png */
#define G_LOG_DOMAIN "hes-screenshot"

#include "config.h"

#include "gui-screenshot.h"

#include <string.h>

#include "gui-helpers.h"
#include "pages/hes-pages.h"

static gboolean
domains_loaded (gpointer data)
{
  GtkWidget *first = gtk_widget_get_first_child (gui_home_child (data, "domains_list"));

  return first != NULL && gtk_widget_get_name (first) != NULL
         && strchr (gtk_widget_get_name (first), '.') != NULL;
}

int
main (int   argc,
      char *argv[])
{
  GuiFixture f = { 0 };
  g_autofree char *description = NULL;

  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (argc != 3)
    g_error ("Usage: hes-screenshot [--french] signin|home OUTPUT.png");

  gui_screenshot_load_style ();

  /* What the application's startup does: the home page offers every task. */
  hes_pages_register_all ();

  gui_fixture_setup (&f, NULL);
  hes_mailcow_sim_load_demo (f.sim, &description);
  gui_fixture_open_window (&f);
  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (&f, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  gui_type (&f, "username_row", "demo-admin");
  gui_type (&f, "password_row", "Demo-2026!");

  if (g_strcmp0 (argv[1], "home") == 0) {
    gui_click_forward (&f);
    gui_wait_for_home (&f);
    gui_wait_for (domains_loaded, &f, "the domains");
  } else if (g_strcmp0 (argv[1], "error") == 0) {
    gui_type (&f, "password_row", "not-the-password");
    gui_click_forward (&f);
  } else if (g_strcmp0 (argv[1], "totp") == 0) {
    gui_sign_in (&f, FALSE, "secure@boulangerie-martin.example", "Demo-2026!");
    gui_type (&f, "code_row", "123");
  } else if (g_strcmp0 (argv[1], "password") == 0) {
    gui_sign_in (&f, FALSE, "nouveau@atelier-durand.example", "Bienvenue-1");
    gui_type (&f, "new_password_row", "bonjour");
    gui_type (&f, "confirm_row", "bonjou");
  }

  gui_screenshot_settle (800);
  gui_screenshot_save_png (GTK_WIDGET (f.window), argv[2]);
  gui_fixture_teardown (&f, NULL);

  return 0;
}
