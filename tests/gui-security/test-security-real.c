/* test-security-real.c: the security page against the real mailcow web app (suite
 * mailcow-real, inside mailcow-peer, under its own Xvfb): an authenticator app set up through
 * the page shows success only once the server stored it, and the list shows every factor the
 * server has, named as stored. The domain administrator's factors are removed again at the
 * end (the contract tests of the same run sign in with the password alone). */
#define G_LOG_DOMAIN "test-security-real"

#include "config.h"

#include <string.h>

#include "gui-helpers.h"
#include "pages/security/hes-security-page.h"

#define ADMIN      "kundeadmin"
#define ADMIN_PASS "Kunde-Admin-2026"

static GuiFixture fixture;

static char *
run_sql (const char *sql)
{
  g_autofree char *quoted = g_shell_quote (sql);
  g_autofree char *command = g_strdup_printf ("$MAILCOW_PEER_MYSQL -N -B -e %s", quoted);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (out);
}

static void
clear_factors (void)
{
  g_free (run_sql ("DELETE FROM tfa WHERE username = '" ADMIN "'; "
                   "DELETE FROM fido2 WHERE username = '" ADMIN "'"));
}

static HesPage *
security_page (void)
{
  HesPage *page = gui_current_page (&fixture);

  g_assert_true (HES_IS_SECURITY_PAGE (page));
  return page;
}

static GtkWidget *
child (const char *name)
{
  GtkWidget *widget = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (security_page ()), HES_TYPE_SECURITY_PAGE, name);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
page_idle (gpointer data)
{
  return !hes_page_get_applying (gui_current_page (&fixture));
}

static gboolean
keys_listed (gpointer data)
{
  return gtk_widget_get_first_child (child ("keys_list")) != NULL;
}

static guint
count_rows (const char *prefix)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (child ("keys_list")); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += g_str_has_prefix (gtk_widget_get_name (row), prefix);
  return n;
}

static gboolean
row_titled (const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (child ("keys_list")); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return TRUE;
  }
  return FALSE;
}

static char *
shown_secret (void)
{
  const char *grouped = gtk_label_get_text (GTK_LABEL (child ("secret_label")));
  GString *secret = g_string_new (NULL);

  for (const char *p = grouped; *p != '\0'; p++) {
    if (*p != ' ')
      g_string_append_c (secret, *p);
  }
  return g_string_free (secret, FALSE);
}

static void
test_totp_and_list (void)
{
  const char *name = gui_is_french () ? "Téléphone & <appli>" : "Phone & <app>";
  g_autofree char *secret = NULL;
  g_autofree char *code = NULL;
  g_autofree char *count = NULL;
  g_autofree char *rows = NULL;

  clear_factors ();
  fixture.url = g_strdup (g_getenv ("MAILCOW_PEER_URL"));
  gui_fixture_open_window (&fixture);
  gui_sign_in (&fixture, TRUE, ADMIN, ADMIN_PASS);
  gui_wait_for_home (&fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.open-task", "s", "secure");
  gui_flush ();
  gui_wait_for (keys_listed, NULL, "the factor list");
  g_assert_cmpuint (count_rows ("tfa-") + count_rows ("fido2-"), ==, 0);

  /* An authenticator app, through the page. */
  g_signal_emit_by_name (child ("totp_row"), "activated");
  gui_flush ();
  secret = shown_secret ();
  code = gui_totp_code (secret, 0);
  gtk_editable_set_text (GTK_EDITABLE (child ("totp_code_row")), code);
  gtk_editable_set_text (GTK_EDITABLE (child ("totp_name_row")), name);
  gtk_editable_set_text (GTK_EDITABLE (child ("totp_password_row")), ADMIN_PASS);
  g_assert_true (hes_page_get_complete (security_page ()));
  gtk_widget_activate_action (GTK_WIDGET (security_page ()), "assistant.next", NULL);
  gui_wait_for (page_idle, NULL, "the page to finish its work");

  g_assert_false (gtk_widget_get_visible (child ("error_label")));
  g_assert_true (gtk_widget_get_visible (child ("status_label")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child ("view_stack"))), ==,
                   "overview");
  g_assert_true (row_titled (name));
  count = run_sql ("SELECT COUNT(*) FROM tfa WHERE username = '" ADMIN "' AND authmech = 'totp'");
  g_assert_cmpstr (count, ==, "1");

  /* Every kind the server stores, listed with the names it stores (read again on open). */
  rows = g_strdup_printf (
    "INSERT INTO tfa (key_id, username, authmech, secret, keyHandle, publicKey, counter, active) "
    "VALUES ('YubiKey 5', '" ADMIN "', 'yubi_otp', '12345:c2VjcmV0', 'cccjgjgkhcbb', NULL, 0, 1), "
    "('Blue key', '" ADMIN "', 'webauthn', NULL, 'AAAA', '-----BEGIN PUBLIC KEY-----', 0, 1); "
    "INSERT INTO fido2 (username, rpId, credentialPublicKey, credentialId, AAGUID, "
    "signatureCounter, friendlyName, active) VALUES ('" ADMIN "', 'mail.mailcow.test', 'PEM', "
    "UNHEX('0102'), UNHEX('00'), 0, 'Office key', 1)");
  g_free (run_sql (rows));
  gtk_widget_activate_action (GTK_WIDGET (security_page ()), "assistant.back", NULL);
  gui_flush ();
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.open-task", "s", "secure");
  gui_flush ();
  gui_wait_for (keys_listed, NULL, "the factor list");
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * HES_TEST_TIME_FACTOR;

    while (count_rows ("tfa-") + count_rows ("fido2-") < 4 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (count_rows ("tfa-"), ==, 3);
  g_assert_cmpuint (count_rows ("fido2-"), ==, 1);
  g_assert_true (row_titled (name));
  g_assert_true (row_titled ("YubiKey 5"));
  g_assert_true (row_titled ("Blue key"));
  g_assert_true (row_titled ("Office key"));

  clear_factors ();
  gui_fixture_teardown (&fixture, NULL);
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("MAILCOW_PEER_URL") == NULL || g_getenv ("MAILCOW_PEER_MYSQL") == NULL) {
    g_print ("1..0 # SKIP not inside mailcow-peer: run mailcow-peer run -- xvfb-run -a meson "
             "test --suite mailcow-real (build-aux/run-tests does when the peer is there)\n");
    return 0;
  }
  gui_test_init (&argc, &argv);
  hes_tasks_register ("secure", hes_security_task_new_pages);
  g_test_add_func ("/security-real/totp-and-list", test_totp_and_list);
  return g_test_run ();
}
