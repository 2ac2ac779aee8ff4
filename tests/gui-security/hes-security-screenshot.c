/* hes-security-screenshot.c: renders the security page or its TOTP step to a PNG, against the
 * simulator's demo data, for data/screenshots. Not installed, not a test.
 * Usage: hes-security-screenshot [--french] security|totp|real OUTPUT.png
 * "real": the security page against the real mailcow web app, inside mailcow-peer
 * ($MAILCOW_PEER_URL): the domain administrator, with one factor of every kind stored by the
 * server's database, as a customer who set them all up would have them. */
#define G_LOG_DOMAIN "hes-security-screenshot"

#include "config.h"

#include "gui-screenshot.h"

#include "gui-helpers.h"
#include "pages/security/hes-security-page.h"

static void
run_sql (const char *sql)
{
  g_autofree char *quoted = g_shell_quote (sql);
  g_autofree char *command = g_strdup_printf ("$MAILCOW_PEER_MYSQL -e %s", quoted);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
show_real_server (GuiFixture *f,
                  const char *output)
{
  gboolean french = gui_is_french ();
  g_autofree char *rows = NULL;

  if (g_getenv ("MAILCOW_PEER_URL") == NULL || g_getenv ("MAILCOW_PEER_MYSQL") == NULL)
    g_error ("real: run inside mailcow-peer");
  f->url = g_strdup (g_getenv ("MAILCOW_PEER_URL"));
  /* A password sign-in first (an earlier run's factors would ask for one of them). */
  run_sql ("DELETE FROM tfa WHERE username = 'kundeadmin'; "
           "DELETE FROM fido2 WHERE username = 'kundeadmin'");
  gui_fixture_open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 900);
  gui_sign_in (f, TRUE, "kundeadmin", "Kunde-Admin-2026");
  gui_wait_for_home (f);

  /* One row of each kind, as mailcow stores them (mailcow-api.md §8). */
  rows = g_strdup_printf (
    "INSERT INTO tfa (key_id, username, authmech, secret, keyHandle, publicKey, counter, active) "
    "VALUES ('%s', 'kundeadmin', 'totp', 'JBSWY3DPEHPK3PXP', NULL, NULL, 0, 1), "
    "('YubiKey 5', 'kundeadmin', 'yubi_otp', '12345:c2VjcmV0', 'cccjgjgkhcbb', NULL, 0, 1), "
    "('%s', 'kundeadmin', 'webauthn', NULL, 'AAAA', '-----BEGIN PUBLIC KEY-----', 0, 1); "
    "INSERT INTO fido2 (username, rpId, credentialPublicKey, credentialId, AAGUID, "
    "signatureCounter, friendlyName, active) VALUES ('kundeadmin', 'mail.mailcow.test', 'PEM', "
    "UNHEX('0102'), UNHEX('00'), 0, '%s', 1)",
    french ? "Téléphone & <appli>" : "Phone & <app>",
    french ? "Clé bleue" : "Blue key",
    french ? "Clé du bureau" : "Office key");
  run_sql (rows);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s", "secure");
  gui_screenshot_settle (1500);
  gui_screenshot_save_png (GTK_WIDGET (f->window), output);
  gui_fixture_teardown (f, NULL);
}

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
  if (g_strcmp0 (argv[1], "real") == 0) {
    show_real_server (&f, argv[2]);
    return 0;
  }
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
