/* test-signin-key.c: "Sign in with a security key" on the real window, against the mailcow
 * simulator and the software security key: a domain administrator registers a passwordless
 * key on the security page, signs out, and signs in again with the key and its PIN (a wrong
 * PIN first); a key without a credential for the server gets the plain sentence with the
 * form kept; cancelling while the key waits for a touch; the button's keyboard access. */
#define G_LOG_DOMAIN "test-signin-key"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-mailcow-client.h"
#include "hes-assistant.h"
#include "pages/security/hes-security-page.h"
#include "softfido2.h"

#define ADMIN "boss"
#define ADMIN_PASSWORD "Boss-pass-1"
#define PIN "2468"

typedef struct {
  GuiFixture gui;
  SoftFido2 *key;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  const char *domains[] = { "example.test", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "server");
  g_settings_reset (settings, "username");
  g_settings_reset (settings, "role");
  hes_tasks_register ("secure", hes_security_task_new_pages);
  gui_fixture_setup (&f->gui, data);
  hes_mailcow_sim_set_failure_delay_unit_ms (f->gui.sim, 0);
  hes_mailcow_sim_add_domain (f->gui.sim, "example.test", "Example", FALSE);
  hes_mailcow_sim_add_domain_admin (f->gui.sim, ADMIN, ADMIN_PASSWORD, domains);
  f->key = softfido2_new ("signin");
  softfido2_set_touch_delay (f->key, 50);
  softfido2_set_pin (f->key, PIN);
  gui_fixture_open_window (&f->gui);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gui_fixture_teardown (&f->gui, data);
  softfido2_free (f->key);
  hes_tasks_register ("secure", NULL);
}

static GtkWidget *
security_child (Fixture    *f,
                const char *name)
{
  HesPage *page = gui_current_page (&f->gui);
  GtkWidget *widget;

  g_assert_true (HES_IS_SECURITY_PAGE (page));
  widget = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (page),
                                                        HES_TYPE_SECURITY_PAGE, name);
  g_assert_nonnull (widget);
  return widget;
}

static gboolean
page_idle (gpointer data)
{
  Fixture *f = data;

  return !hes_page_get_applying (gui_current_page (&f->gui));
}

static gboolean
keys_listed (gpointer data)
{
  return gtk_widget_get_first_child (security_child (data, "keys_list")) != NULL;
}

static void
security_next (Fixture *f)
{
  g_assert_true (hes_page_get_complete (gui_current_page (&f->gui)));
  gtk_widget_activate_action (GTK_WIDGET (gui_current_page (&f->gui)), "assistant.next", NULL);
  gui_wait_for (page_idle, f, "the security page to finish its work");
}

/* As the customer does it: password sign-in, "Secure my account", a passwordless key with its
 * PIN, home, sign out. */
static void
register_key_and_sign_out (Fixture *f)
{
  gui_sign_in (&f->gui, TRUE, ADMIN, ADMIN_PASSWORD);
  gui_wait_for_home (&f->gui);
  gtk_widget_activate_action (GTK_WIDGET (f->gui.window), "win.open-task", "s", "secure");
  gui_flush ();
  gui_wait_for (keys_listed, f, "the key list");

  g_signal_emit_by_name (security_child (f, "passwordless_row"), "activated");
  gui_flush ();
  gtk_editable_set_text (GTK_EDITABLE (security_child (f, "key_name_row")), "Office key");
  security_next (f);
  g_assert_true (gtk_widget_get_visible (security_child (f, "pin_group")));
  gtk_editable_set_text (GTK_EDITABLE (security_child (f, "pin_row")), PIN);
  security_next (f);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, ADMIN, TRUE), ==, 1);

  hes_assistant_set_current_page (hes_window_get_assistant (f->gui.window),
                                  hes_window_get_home_page (f->gui.window));
  g_signal_emit_by_name (gui_home_child (&f->gui, "sign_out_button"), "clicked");
  gui_flush ();
  g_assert_true (gui_current_page (&f->gui) == hes_window_get_signin_page (f->gui.window));
  g_assert_null (hes_session_get_client (hes_window_get_session (f->gui.window)));
}

static void
click_key_button (Fixture *f)
{
  GtkWidget *button = gui_signin_child (&f->gui, "key_button");

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  gui_wait_for (page_idle, f, "the key sign-in to start");
}

static const char *
error_text (Fixture *f)
{
  HesMessageArea *area = HES_MESSAGE_AREA (gui_signin_child (&f->gui, "message_area"));

  if (hes_message_area_get_kind (area) != HES_MESSAGE_ERROR)
    return NULL;
  return hes_message_area_get_text (area);
}

/* mailcow offers passwordless sign-in to administrators only: no dead end for a mailbox
 * user. */
static void
test_key_button_for_admins (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *button = gui_signin_child (&f->gui, "key_button");
  GtkWidget *role = gui_signin_child (&f->gui, "role_row");

  adw_combo_row_set_selected (ADW_COMBO_ROW (role), HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_false (gtk_widget_get_visible (button));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_true (gtk_widget_get_visible (button));
}

static void
test_sign_in_with_key (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *saved = NULL;
  HesMailcowClient *client;
  GtkWidget *pin_row;
  guint touches;

  register_key_and_sign_out (f);
  touches = softfido2_get_touch_count (f->key);
  g_settings_reset (settings, "username");
  /* The key alone: no user name, no password typed. */
  gui_type (&f->gui, "username_row", "");
  g_assert_cmpstr (gui_text (&f->gui, "password_row"), ==, "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (&f->gui, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);

  click_key_button (f);
  /* mailcow wants the PIN for a passwordless sign-in: asked before the key is touched. */
  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "key-pin");
  g_assert_cmpuint (softfido2_get_touch_count (f->key), ==, touches);
  g_assert_false (gtk_widget_get_visible (gui_signin_child (&f->gui, "key_button")));
  g_assert_false (hes_page_get_complete (gui_current_page (&f->gui)));
  pin_row = gui_signin_child (&f->gui, "key_pin_row");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->gui.window)), pin_row));

  /* Asking for the PIN is a step, not an error. */
  g_assert_null (error_text (f));

  /* A wrong PIN: said plainly beside the field, asked again there. */
  gui_type (&f->gui, "key_pin_row", "1111");
  gui_click_forward (&f->gui);
  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "key-pin");
  g_assert_null (error_text (f));
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_next_sibling (pin_row),
                                           "hes-field-message-row"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->gui.window)), pin_row));
  g_assert_true (gtk_widget_has_css_class (pin_row, "error"));
  g_assert_cmpstr (gui_text (&f->gui, "key_pin_row"), ==, "");
  g_assert_cmpuint (softfido2_get_pin_retries (f->key), ==, SOFTFIDO2_PIN_RETRIES - 1);

  gui_type (&f->gui, "key_pin_row", PIN);
  g_assert_false (gtk_widget_has_css_class (pin_row, "error"));
  gui_click_forward (&f->gui);
  gui_wait_for_home (&f->gui);

  client = hes_session_get_client (hes_window_get_session (f->gui.window));
  g_assert_nonnull (client);
  g_assert_true (hes_mailcow_client_get_signed_in (client));
  g_assert_cmpstr (hes_mailcow_client_get_username (client), ==, ADMIN);
  g_assert_cmpint (hes_mailcow_client_get_role (client), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpuint (softfido2_get_touch_count (f->key), ==, touches + 1);
  /* Remembered as after a password sign-in; the PIN is gone from the page. */
  saved = g_settings_get_string (settings, "server");
  g_assert_cmpstr (saved, ==, f->gui.url);
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "username");
  g_assert_cmpstr (saved, ==, ADMIN);
  g_assert_cmpint (g_settings_get_enum (settings, "role"), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpstr (gui_text (&f->gui, "key_pin_row"), ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     gui_home_child (&f->gui, "user_row"))), ==, ADMIN);
}

/* The key holds no credential for this server: one plain sentence, the form as typed. */
static void
test_key_not_registered (Fixture       *f,
                         gconstpointer  data)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (&f->gui, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  gui_type (&f->gui, "username_row", ADMIN);
  gui_type (&f->gui, "password_row", ADMIN_PASSWORD);

  click_key_button (f);
  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "key-pin");
  gui_type (&f->gui, "key_pin_row", PIN);
  gui_click_forward (&f->gui);

  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "credentials");
  g_assert_cmpstr (error_text (f), ==,
                   _("This security key is not registered for passwordless sign-in on this "
                     "server, or the PIN was not verified."));
  if (gui_is_french ())
    g_assert_nonnull (strstr (error_text (f), "connexion sans mot de passe"));
  g_assert_cmpstr (gui_text (&f->gui, "username_row"), ==, ADMIN);
  g_assert_cmpstr (gui_text (&f->gui, "password_row"), ==, ADMIN_PASSWORD);
  g_assert_cmpstr (gui_text (&f->gui, "server_row"), ==, f->gui.url);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (gui_signin_child (&f->gui,
                                                                                "role_row"))),
                    ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_null (hes_session_get_client (hes_window_get_session (f->gui.window)));
  g_assert_true (gui_current_page (&f->gui) == hes_window_get_signin_page (f->gui.window));

  /* The password still works from there. */
  gui_click_forward (&f->gui);
  gui_wait_for_home (&f->gui);
}

static gboolean
touch_awaited (gpointer data)
{
  Fixture *f = data;
  GtkWidget *status = gui_signin_child (&f->gui, "key_status_label");

  return gtk_widget_get_visible (status)
         && strcmp (gtk_label_get_text (GTK_LABEL (status)),
                    _("Touch your security key now. If it has a light, it is blinking.")) == 0;
}

/* Cancel (the header's button, as Escape does) while the key waits for a touch. */
static void
test_cancel_touch (Fixture       *f,
                   gconstpointer  data)
{
  gint64 started;

  register_key_and_sign_out (f);
  softfido2_set_touch_delay (f->key, -1);
  click_key_button (f);
  gui_type (&f->gui, "key_pin_row", PIN);
  g_signal_emit_by_name (gui_signin_child (&f->gui, "forward_button"), "clicked");
  gui_wait_for (touch_awaited, f, "the touch prompt");
  /* Let the key really wait for its touch: a cancel that reaches the key before its request
   * would be lost (the same pause as the security page's test). */
  started = g_get_monotonic_time ();
  while (g_get_monotonic_time () - started < 800 * G_TIME_SPAN_MILLISECOND)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (hes_page_get_applying (gui_current_page (&f->gui)));

  started = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (hes_window_get_assistant (f->gui.window)),
                              "assistant.cancel", NULL);
  gui_wait_for (page_idle, f, "the cancellation");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "credentials");
  g_assert_null (error_text (f));
  g_assert_false (gtk_widget_get_visible (gui_signin_child (&f->gui, "key_status_label")));
  g_assert_null (hes_session_get_client (hes_window_get_session (f->gui.window)));
}

/* Tab reaches the button; it is named for screen readers and needs only the server. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *button = gui_signin_child (&f->gui, "key_button");
  GtkWidget *forward = gui_signin_child (&f->gui, "forward_button");
  gboolean reached = FALSE;

  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (&f->gui, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==,
                   _("Sign in with a security _key"));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  g_assert_true (gtk_widget_get_focusable (button));
  /* Below the Sign In button, in the tab order after it. */
  gtk_widget_grab_focus (forward);
  for (int i = 0; i < 4 && !reached; i++) {
    gtk_widget_child_focus (GTK_WIDGET (f->gui.window), GTK_DIR_TAB_FORWARD);
    reached = gtk_root_get_focus (GTK_ROOT (f->gui.window)) == button;
  }
  g_assert_true (reached);

  gui_type (&f->gui, "server_row", "");
  g_assert_false (gtk_widget_get_sensitive (button));
  gui_type (&f->gui, "server_row", f->gui.url);
  g_assert_true (gtk_widget_get_sensitive (button));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/signin-key/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("sign-in", test_sign_in_with_key);
  ADD ("not-registered", test_key_not_registered);
  ADD ("cancel-touch", test_cancel_touch);
  ADD ("keyboard", test_keyboard);
  ADD ("key-button-for-admins", test_key_button_for_admins);
#undef ADD

  return g_test_run ();
}
