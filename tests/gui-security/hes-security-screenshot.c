/* hes-security-screenshot.c: renders the security page or its TOTP step to a PNG, against the
 * simulator's demo data, for data/screenshots. Not installed, not a test.
 * Usage: hes-security-screenshot [--french] security|totp OUTPUT.png */
#define G_LOG_DOMAIN "hes-security-screenshot"

#include "config.h"

#include "gui-screenshot.h"

#include "gui-helpers.h"
#include "pages/security/hes-security-page.h"

int
main (int   argc,
      char *argv[])
{
  GuiFixture f = { 0 };
  g_autofree char *description = NULL;
  HesPage *page;

  gui_init_locale (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (argc != 3)
    g_error ("Usage: hes-security-screenshot [--french] security|totp OUTPUT.png");

  gui_screenshot_load_style ();

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
  gui_screenshot_settle (800);

  page = gui_current_page (&f);
  if (g_strcmp0 (argv[1], "totp") == 0) {
    GtkWidget *row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                  HES_TYPE_SECURITY_PAGE,
                                                                  "totp_row");
    g_signal_emit_by_name (row, "activated");
  }

  gui_screenshot_settle (800);
  gui_screenshot_save_png (GTK_WIDGET (f.window), argv[2]);
  gui_fixture_teardown (&f, NULL);
  return 0;
}
