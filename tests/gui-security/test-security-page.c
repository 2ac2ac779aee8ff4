/* test-security-page.c: "Secure my account" against the mailcow simulator and the software
 * security key: the methods each role sees, TOTP set up end to end, a security key as second
 * factor then used to sign in, a passwordless key with a wrong then right PIN, cancelling while
 * the key waits for a touch, and a key that is already registered. */
#define G_LOG_DOMAIN "test-security-page"

#include "config.h"

#include <string.h>

#include "gui-helpers.h"
#include "hes-mailcow-client.h"
#include "hes-webauthn.h"
#include "pages/security/hes-key-ceremony.h"
#include "pages/security/hes-qr-view.h"
#include "pages/security/hes-security-page.h"
#include "softfido2.h"

#define USER "anna@example.test"
#define USER_PASSWORD "Anna-pass-1"
#define ADMIN "boss"
#define ADMIN_PASSWORD "Boss-pass-1"
#define PHONE_SECRET "JBSWY3DPEHPK3PXP"

static const char *current_password = USER_PASSWORD;

static GtkWidget *find_button (GtkWidget *widget);
typedef struct _Fixture Fixture;
static void click_remove (Fixture *f, const char *row_name);
static GtkWidget *row_with_prefix (Fixture *f, const char *prefix);

struct _Fixture {
  GuiFixture gui;
  SoftFido2 *key;
};

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  const char *domains[] = { "example.test", NULL };

  hes_tasks_register ("secure", hes_security_task_new_pages);
  gui_fixture_setup (&f->gui, data);
  hes_mailcow_sim_set_failure_delay_unit_ms (f->gui.sim, 0);
  hes_mailcow_sim_add_domain (f->gui.sim, "example.test", "Example", FALSE);
  hes_mailcow_sim_add_mailbox (f->gui.sim, USER, "Anna", USER_PASSWORD);
  hes_mailcow_sim_add_mailbox (f->gui.sim, "otp@example.test", "Otp", "Otp-pass-1");
  hes_mailcow_sim_add_totp (f->gui.sim, "otp@example.test", "My phone", PHONE_SECRET);
  hes_mailcow_sim_add_domain_admin (f->gui.sim, ADMIN, ADMIN_PASSWORD, domains);
  f->key = softfido2_new ("demo");
  softfido2_set_touch_delay (f->key, 50);
  gui_fixture_open_window (&f->gui);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gui_fixture_teardown (&f->gui, data);
  softfido2_free (f->key);
  hes_tasks_register ("secure", NULL);
  current_password = USER_PASSWORD;
}

static HesPage *
security_page (Fixture *f)
{
  HesPage *page = gui_current_page (&f->gui);

  g_assert_true (HES_IS_SECURITY_PAGE (page));
  return page;
}

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (security_page (f)), HES_TYPE_SECURITY_PAGE, name);

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
  Fixture *f = data;
  GtkWidget *first = gtk_widget_get_first_child (child (f, "keys_list"));

  return first != NULL;
}

static void
open_security (Fixture    *f,
               gboolean    admin,
               const char *username,
               const char *password)
{
  gui_sign_in (&f->gui, admin, username, password);
  if (g_strcmp0 (gui_signin_step (&f->gui), "second-factor") == 0) {
    g_autofree char *code = gui_totp_code (PHONE_SECRET, 0);

    gui_type (&f->gui, "code_row", code);
    gui_click_forward (&f->gui);
  }
  gui_wait_for_home (&f->gui);
  gtk_widget_activate_action (GTK_WIDGET (f->gui.window), "win.open-task", "s", "secure");
  gui_flush ();
  security_page (f);
  gui_wait_for (keys_listed, f, "the key list");
}

static void
type (Fixture    *f,
      const char *name,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, name)), text);
}

static void
next (Fixture *f)
{
  g_assert_true (hes_page_get_complete (security_page (f)));
  gtk_widget_activate_action (GTK_WIDGET (security_page (f)), "assistant.next", NULL);
  gui_wait_for (page_idle, f, "the page to finish its work");
}

static void
open_method (Fixture    *f,
             const char *row)
{
  g_signal_emit_by_name (child (f, row), "activated");
  gui_flush ();
}

static const char *
view (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (f, "view_stack")));
}

static gboolean
error_shown (Fixture *f)
{
  return gtk_widget_get_visible (child (f, "error_label"));
}

/* Whether the keyboard focus is in the security page's widget @name. */
static gboolean
focus_in (Fixture    *f,
          const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->gui.window));
  GtkWidget *widget = child (f, name);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The sentence right under @field (hes_page_set_field_invalid), or NULL. */
static const char *
field_message (GtkWidget *field)
{
  GtkWidget *row = gtk_widget_get_next_sibling (field);

  if (row == NULL || !gtk_widget_has_css_class (row, "hes-field-message-row"))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))));
}

static const char *
error_text (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (child (f, "error_label")));
}

/* Signs in with a fresh client, as a second device would: what the server really stores. */
static void
on_signed_in_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  int *outcome = user_data;
  g_autoptr(GError) error = NULL;

  *outcome = hes_mailcow_client_sign_in_finish (HES_MAILCOW_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
outcome_known (gpointer data)
{
  return *(int *) data >= 0;
}

static HesSignInOutcome
sign_in_elsewhere (Fixture    *f,
                   gboolean    admin,
                   const char *username,
                   const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (f->gui.url, &error);
  int outcome = -1;

  g_assert_no_error (error);
  hes_mailcow_client_sign_in_async (client, admin ? HES_MAILCOW_ROLE_DOMAIN_ADMIN
                                                  : HES_MAILCOW_ROLE_MAILBOX_USER,
                                    username, password, NULL, on_signed_in_cb, &outcome);
  gui_wait_for (outcome_known, &outcome, "the sign-in");
  return outcome;
}


/* FIDO2 passwordless sign-in as mailcow-api.md §8 describes it, with a fresh client: the
 * options without login, a discoverable assertion with the PIN, the login form of the role's
 * page, then the role's own page must load (a redirect would mean no session). */
typedef struct {
  gboolean done;
  JsonNode *node;
  GPtrArray *assertions;
  char *html;
  GError *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
on_get_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->node = hes_mailcow_client_api_get_finish (HES_MAILCOW_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
on_asserted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->assertions = hes_key_ceremony_run_finish (HES_KEY_CEREMONY (source), result, &w->error);
  w->done = TRUE;
}

static void
on_posted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->html = hes_mailcow_client_post_form_finish (HES_MAILCOW_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
on_page_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
sign_in_with_key_elsewhere (Fixture    *f,
                            const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (f->gui.url, &error);
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(HesKeyCeremony) ceremony = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *token = NULL;
  HesFido2Assertion *assertion;
  Wait w = { 0 };
  const char *fields[] = { "verify_fido2_login", "true", "token", NULL, NULL };
  gboolean signed_in;

  hes_mailcow_client_api_get_async (client, "get/fido2-get-args", NULL, on_get_cb, &w);
  gui_wait_for (wait_done, &w, "the sign-in options");
  g_assert_no_error (w.error);
  options = hes_webauthn_options_parse (w.node, HES_WEBAUTHN_GET,
                                        hes_mailcow_client_get_host (client), &error);
  g_assert_no_error (error);
  json_node_unref (w.node);
  g_assert_cmpuint (options->credential_ids->len, ==, 0);

  origin = hes_webauthn_origin_from_url (f->gui.url);
  ceremony = hes_key_ceremony_new (options, origin, HES_FIDO2_PURPOSE_PASSWORDLESS);
  w = (Wait) { 0 };
  hes_key_ceremony_run_async (ceremony, pin, NULL, on_asserted_cb, &w);
  gui_wait_for (wait_done, &w, "the key's assertion");
  g_assert_no_error (w.error);
  assertion = g_ptr_array_index (w.assertions, 0);
  token = hes_webauthn_build_assertion_token (assertion->credential_id,
                                              assertion->client_data_json,
                                              assertion->authenticator_data,
                                              assertion->signature);
  g_ptr_array_unref (w.assertions);

  fields[3] = token;
  w = (Wait) { 0 };
  hes_mailcow_client_post_form_async (client, "/domainadmin/", fields, NULL, on_posted_cb, &w);
  gui_wait_for (wait_done, &w, "the login form");
  g_assert_no_error (w.error);
  g_free (w.html);

  w = (Wait) { 0 };
  hes_mailcow_client_fetch_page_async (client, "/domainadmin/user", NULL, on_page_cb, &w);
  gui_wait_for (wait_done, &w, "the role page");
  signed_in = w.html != NULL;
  g_free (w.html);
  g_clear_error (&w.error);
  return signed_in;
}

static void
test_methods_per_role (Fixture       *f,
                       gconstpointer  data)
{
  open_security (f, FALSE, "otp@example.test", "Otp-pass-1");
  g_assert_cmpstr (view (f), ==, "overview");
  g_assert_nonnull (gui_find_row (child (f, "keys_list"), "tfa-1"));
  g_assert_true (gtk_widget_get_visible (child (f, "totp_row")));
  g_assert_true (gtk_widget_get_visible (child (f, "yubico_row")));
  g_assert_true (gtk_widget_get_visible (child (f, "key_row")));
  g_assert_false (gtk_widget_get_visible (child (f, "passwordless_row")));
}

static void
test_methods_domain_admin (Fixture       *f,
                           gconstpointer  data)
{
  open_security (f, TRUE, ADMIN, ADMIN_PASSWORD);
  g_assert_nonnull (gui_find_row (child (f, "keys_list"), "empty"));
  g_assert_true (gtk_widget_get_visible (child (f, "passwordless_row")));
}

static GtkWidget *
row_with_prefix (Fixture    *f,
                 const char *prefix)
{
  for (GtkWidget *row = gtk_widget_get_first_child (child (f, "keys_list")); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (g_str_has_prefix (gtk_widget_get_name (row), prefix))
      return row;
  }
  return NULL;
}

static char *
shown_secret (Fixture *f)
{
  const char *grouped = gtk_label_get_text (GTK_LABEL (child (f, "secret_label")));
  GString *secret = g_string_new (NULL);

  for (const char *p = grouped; *p != '\0'; p++) {
    if (*p != ' ')
      g_string_append_c (secret, *p);
  }
  return g_string_free (secret, FALSE);
}

static void
test_totp_setup (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;

  open_security (f, FALSE, USER, USER_PASSWORD);
  g_assert_cmpint (sign_in_elsewhere (f, FALSE, USER, USER_PASSWORD), ==, HES_SIGN_IN_DONE);
  open_method (f, "totp_row");
  g_assert_cmpstr (view (f), ==, "totp");
  secret = shown_secret (f);
  g_assert_cmpuint (strlen (secret), ==, 32);
  /* The QR code is drawn: a version 5+ code for a 160-bit secret, plus the quiet zone. */
  g_assert_cmpuint (hes_qr_view_get_modules (HES_QR_VIEW (child (f, "qr_view"))), >=, 37 + 8);
  /* Screen readers: the code is an image with a name, errors are alerts, progress a status. */
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (child (f, "qr_view")), GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child (f, "qr_view")),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (child (f, "error_label")),
                                   GTK_ACCESSIBLE_ROLE_ALERT);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (child (f, "prompt_label")),
                                   GTK_ACCESSIBLE_ROLE_STATUS);
  /* The keyboard lands on the code field. */
  g_assert_true (gtk_widget_has_focus (child (f, "totp_code_row"))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->gui.window)),
                                            child (f, "totp_code_row")));

  /* A wrong code is caught before anything is posted. */
  code = gui_totp_code (secret, 0);
  wrong = g_strdup_printf ("%06u", (guint) ((g_ascii_strtoull (code, NULL, 10) + 500000) % 1000000));
  type (f, "totp_code_row", wrong);
  type (f, "totp_password_row", USER_PASSWORD);
  next (f);
  g_assert_true (error_shown (f));
  g_assert_cmpstr (view (f), ==, "totp");

  type (f, "totp_code_row", code);
  type (f, "totp_name_row", "Phone");
  next (f);
  g_assert_cmpstr (view (f), ==, "overview");
  g_assert_false (error_shown (f));
  g_assert_nonnull (row_with_prefix (f, "tfa-"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row_with_prefix (f, "tfa-"))),
                   ==, "Phone");
  /* The server now asks for the code after the password. */
  g_assert_cmpint (sign_in_elsewhere (f, FALSE, USER, USER_PASSWORD), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);
}

static void
register_second_factor_key (Fixture *f)
{
  open_method (f, "key_row");
  g_assert_cmpstr (view (f), ==, "key");
  type (f, "key_name_row", "Blue key");
  type (f, "key_password_row", current_password);
  next (f);
}

static gboolean
signin_is_current (gpointer data)
{
  Fixture *f = data;

  return gui_current_page (&f->gui) == hes_window_get_signin_page (f->gui.window);
}

static void
test_key_second_factor (Fixture       *f,
                        gconstpointer  data)
{
  open_security (f, FALSE, USER, USER_PASSWORD);
  register_second_factor_key (f);
  g_assert_false (error_shown (f));
  g_assert_cmpstr (view (f), ==, "overview");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 1);
  g_assert_cmpuint (softfido2_get_touch_count (f->key), ==, 1);

  /* Sign out, then in again: the key is the second factor. */
  gtk_widget_activate_action (GTK_WIDGET (security_page (f)), "assistant.back", NULL);
  gui_wait_for_home (&f->gui);
  gtk_widget_activate_action (GTK_WIDGET (hes_window_get_home_page (f->gui.window)),
                              "home.sign-out", NULL);
  gui_wait_for (signin_is_current, f, "the sign-in page");
  gui_sign_in (&f->gui, FALSE, USER, USER_PASSWORD);
  g_assert_cmpstr (gui_signin_step (&f->gui), ==, "second-factor");
  g_assert_true (gtk_widget_get_visible (gui_signin_child (&f->gui, "key_prompt_label")));
  gui_click_forward (&f->gui);
  gui_wait_for_home (&f->gui);
  g_assert_cmpuint (softfido2_get_touch_count (f->key), ==, 2);
}

static void
test_already_registered (Fixture       *f,
                         gconstpointer  data)
{
  open_security (f, FALSE, USER, USER_PASSWORD);
  register_second_factor_key (f);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 1);

  register_second_factor_key (f);
  g_assert_true (error_shown (f));
  g_assert_cmpstr (view (f), ==, "key");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 1);
}

static gboolean
waiting_for_touch (gpointer data)
{
  Fixture *f = data;

  return hes_page_get_applying (gui_current_page (&f->gui))
         && gtk_widget_get_visible (child (f, "prompt_box"));
}

static GtkWidget *
prompt_cancel_button (Fixture *f)
{
  GtkWidget *button = gtk_widget_get_last_child (child (f, "prompt_box"));

  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

static void
test_cancel_touch (Fixture       *f,
                   gconstpointer  data)
{
  gint64 started;

  softfido2_set_touch_delay (f->key, -1);
  open_security (f, FALSE, USER, USER_PASSWORD);
  open_method (f, "key_row");
  type (f, "key_password_row", USER_PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (security_page (f)), "assistant.next", NULL);
  gui_wait_for (waiting_for_touch, f, "the touch prompt");
  /* Let the key really wait for its touch. */
  started = g_get_monotonic_time ();
  while (g_get_monotonic_time () - started < 800 * G_TIME_SPAN_MILLISECOND)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (hes_page_get_applying (security_page (f)));
  g_assert_true (gtk_widget_get_sensitive (prompt_cancel_button (f)));

  started = g_get_monotonic_time ();
  g_signal_emit_by_name (prompt_cancel_button (f), "clicked");
  gui_wait_for (page_idle, f, "the cancellation");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_true (error_shown (f));
  g_assert_false (gtk_widget_get_visible (child (f, "prompt_box")));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 0);
}

static void
test_passwordless (Fixture       *f,
                   gconstpointer  data)
{
  softfido2_set_pin (f->key, "2468");
  open_security (f, TRUE, ADMIN, ADMIN_PASSWORD);
  open_method (f, "passwordless_row");
  g_assert_cmpstr (view (f), ==, "key");
  g_assert_false (gtk_widget_get_visible (child (f, "key_password_row")));
  type (f, "key_name_row", "Office key");
  next (f);
  /* The PIN is asked as a step: a field and a sentence that names the button on screen,
   * no error, and the keyboard in the PIN field (never back in the key's name). */
  g_assert_true (gtk_widget_get_visible (child (f, "pin_group")));
  g_assert_false (hes_page_get_complete (security_page (f)));
  g_assert_false (error_shown (f));
  g_assert_true (focus_in (f, "pin_row"));
  {
    g_autofree char *words = hes_page_dup_forward_words (security_page (f));
    const char *description = adw_preferences_group_get_description (
      ADW_PREFERENCES_GROUP (child (f, "pin_group")));

    g_assert_cmpstr (words, ==, gui_is_french () ? "Terminé" : "Done");
    g_assert_nonnull (strstr (description, words));
  }

  /* A wrong PIN: said beside the field, which has the focus again. */
  type (f, "pin_row", "1111");
  next (f);
  g_assert_false (error_shown (f));
  g_assert_nonnull (field_message (child (f, "pin_row")));
  g_assert_true (gtk_widget_has_css_class (child (f, "pin_row"), "error"));
  g_assert_true (focus_in (f, "pin_row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "key_name_row"))), ==,
                   "Office key");
  g_assert_cmpuint (softfido2_get_pin_retries (f->key), ==, SOFTFIDO2_PIN_RETRIES - 1);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, ADMIN, TRUE), ==, 0);

  type (f, "pin_row", "2468");
  g_assert_null (field_message (child (f, "pin_row")));
  next (f);
  g_assert_false (error_shown (f));
  g_assert_cmpstr (view (f), ==, "overview");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, ADMIN, TRUE), ==, 1);
  g_assert_cmpuint (softfido2_count_resident (f->key), ==, 1);
  /* Named through edit/fido2-fn: the role page lists it by that name. */
  {
    GtkWidget *row = gtk_widget_get_first_child (child (f, "keys_list"));

    g_assert_true (g_str_has_prefix (gtk_widget_get_name (row), "fido2-"));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Office key");
  }
  /* The key signs in without the password (with its PIN). */
  g_assert_true (sign_in_with_key_elsewhere (f, "2468"));

  /* Removed again (unset_fido2_key): gone from the server. */
  click_remove (f, gtk_widget_get_name (row_with_prefix (f, "fido2-")));
  g_assert_false (error_shown (f));
  g_assert_null (row_with_prefix (f, "fido2-"));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, ADMIN, TRUE), ==, 0);
}

static gboolean
pin_group_shown (gpointer data)
{
  return gtk_widget_get_visible (child (data, "pin_group"));
}

static void
test_passwordless_needs_pin (Fixture       *f,
                             gconstpointer  data)
{
  open_security (f, TRUE, ADMIN, ADMIN_PASSWORD);
  open_method (f, "passwordless_row");
  next (f);
  /* No PIN on the key: the page offers to set one. */
  g_assert_true (gtk_widget_get_visible (child (f, "new_pin_group")));
  g_assert_true (focus_in (f, "new_pin_row"));
  type (f, "new_pin_row", "2468");
  type (f, "confirm_pin_row", "2468");
  g_signal_emit_by_name (find_button (child (f, "new_pin_group")), "clicked");
  gui_wait_for (pin_group_shown, f, "the PIN to be set");
  g_assert_true (softfido2_has_pin (f->key));
  g_assert_true (gtk_widget_get_visible (child (f, "pin_group")));
  g_assert_true (focus_in (f, "pin_row"));
  next (f);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, ADMIN, TRUE), ==, 1);
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  /* Password rows hold a toggle button that shows the text: not the one wanted. */
  if (GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget)
      && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *button = find_button (c);

    if (button != NULL)
      return button;
  }
  return NULL;
}

static gboolean
list_sensitive (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_sensitive (child (f, "keys_list"));
}

/* The confirmation a remove button opens. */
static AdwMessageDialog *
find_confirmation (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next) {
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  }
  return NULL;
}

/* Clicks the row's remove button and answers the confirmation with @response. */
static void
answer_remove (Fixture    *f,
               const char *row_name,
               const char *response)
{
  GtkWidget *row = gui_find_row (child (f, "keys_list"), row_name);
  AdwMessageDialog *dialog;

  g_assert_nonnull (row);
  g_assert_null (find_confirmation ());
  g_signal_emit_by_name (find_button (row), "clicked");
  dialog = find_confirmation ();
  g_assert_nonnull (dialog);
  /* Nothing is removed before the answer, and the safe answer is the default. */
  g_assert_true (gtk_widget_get_sensitive (child (f, "keys_list")));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog),
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
click_remove (Fixture    *f,
              const char *row_name)
{
  answer_remove (f, row_name, "remove");
  g_assert_false (gtk_widget_get_sensitive (child (f, "keys_list")));
  gui_wait_for (list_sensitive, f, "the removal");
}

/* Each remove button says what it removes. */
static void
assert_remove_labelled (Fixture    *f,
                        const char *row_name)
{
  GtkWidget *button = find_button (gui_find_row (child (f, "keys_list"), row_name));

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
}

/* The last second factor stays (the server refuses), a second one can go. */
static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  current_password = "Otp-pass-1";
  open_security (f, FALSE, "otp@example.test", "Otp-pass-1");
  assert_remove_labelled (f, "tfa-1");
  /* Cancelled: nothing happens. */
  answer_remove (f, "tfa-1", "cancel");
  g_assert_true (gtk_widget_get_sensitive (child (f, "keys_list")));
  g_assert_false (error_shown (f));
  g_assert_nonnull (gui_find_row (child (f, "keys_list"), "tfa-1"));
  click_remove (f, "tfa-1");
  g_assert_true (error_shown (f));
  g_assert_nonnull (strstr (error_text (f), gui_is_french () ? "dernier" : "last"));
  g_assert_nonnull (gui_find_row (child (f, "keys_list"), "tfa-1"));
  g_assert_cmpint (sign_in_elsewhere (f, FALSE, "otp@example.test", "Otp-pass-1"), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);

  register_second_factor_key (f);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, "otp@example.test", FALSE),
                    ==, 1);
  click_remove (f, "tfa-1");
  g_assert_false (error_shown (f));
  g_assert_null (gui_find_row (child (f, "keys_list"), "tfa-1"));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, "otp@example.test", FALSE),
                    ==, 1);
}

static void
test_yubico (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *otp = hes_mailcow_sim_make_yubi_otp ("cccjgjgkhcbb");

  open_security (f, FALSE, USER, USER_PASSWORD);
  open_method (f, "yubico_row");
  g_assert_cmpstr (view (f), ==, "yubico");
  type (f, "yubico_id_row", "12345");
  type (f, "yubico_key_row", "c2VjcmV0LWtleQ==");
  type (f, "yubico_name_row", "Blue key");
  type (f, "yubico_password_row", USER_PASSWORD);
  type (f, "yubico_otp_row", "cccjgjgkhcbb");
  /* Not 44 characters yet: nothing to send. */
  g_assert_false (hes_page_get_complete (security_page (f)));
  type (f, "yubico_otp_row", otp);
  next (f);
  g_assert_false (error_shown (f));
  g_assert_cmpstr (view (f), ==, "overview");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row_with_prefix (f, "tfa-"))),
                   ==, "Blue key");
  g_assert_cmpint (sign_in_elsewhere (f, FALSE, USER, USER_PASSWORD), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);

  /* The same one-time password again: YubiCloud refuses a replay. */
  open_method (f, "yubico_row");
  type (f, "yubico_name_row", "Blue key again");
  type (f, "yubico_id_row", "12345");
  type (f, "yubico_key_row", "c2VjcmV0LWtleQ==");
  type (f, "yubico_password_row", USER_PASSWORD);
  type (f, "yubico_otp_row", otp);
  next (f);
  g_assert_true (error_shown (f));
  g_assert_cmpstr (view (f), ==, "yubico");
}

/* The real server without internet (mailcow-peer) cannot reach YubiCloud: the customer reads
 * why, the one-time password is marked, and nothing is listed. */
static void
test_yubico_unreachable (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *otp = hes_mailcow_sim_make_yubi_otp ("cccjgjgkhcbb");
  GtkWidget *otp_row;

  hes_mailcow_sim_set_yubicloud_reachable (f->gui.sim, FALSE);
  open_security (f, FALSE, USER, USER_PASSWORD);
  open_method (f, "yubico_row");
  type (f, "yubico_id_row", "12345");
  type (f, "yubico_key_row", "c2VjcmV0LWtleQ==");
  type (f, "yubico_name_row", "Blue key");
  type (f, "yubico_password_row", USER_PASSWORD);
  type (f, "yubico_otp_row", otp);
  next (f);
  g_assert_true (error_shown (f));
  g_assert_nonnull (strstr (error_text (f), "YubiCloud"));
  g_assert_cmpstr (view (f), ==, "yubico");
  otp_row = child (f, "yubico_otp_row");
  g_assert_true (gtk_widget_has_css_class (otp_row, "error"));
  g_assert_null (row_with_prefix (f, "tfa-"));
}

static void
test_key_timeout (Fixture       *f,
                  gconstpointer  data)
{
  softfido2_set_touch_delay (f->key, -1);
  softfido2_set_up_timeout (f->key, 300);
  open_security (f, FALSE, USER, USER_PASSWORD);
  register_second_factor_key (f);
  g_assert_true (error_shown (f));
  g_assert_nonnull (strstr (error_text (f), gui_is_french () ? "à temps" : "in time"));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 0);
}

static void
test_key_unplugged (Fixture       *f,
                    gconstpointer  data)
{
  softfido2_set_plugged (f->key, FALSE);
  open_security (f, FALSE, USER, USER_PASSWORD);
  register_second_factor_key (f);
  g_assert_true (error_shown (f));
  g_assert_nonnull (strstr (error_text (f), gui_is_french () ? "branch" : "plug"));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 0);
}

/* Two keys plugged in: the one touched is the one registered. */
static void
test_pick_by_touch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SoftFido2) spare = softfido2_new ("spare");

  softfido2_set_touch_delay (spare, -1);
  open_security (f, FALSE, USER, USER_PASSWORD);
  register_second_factor_key (f);
  g_assert_false (error_shown (f));
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->gui.sim, USER, FALSE), ==, 1);
  g_assert_cmpuint (softfido2_get_touch_count (f->key), ==, 2);
  g_assert_cmpuint (softfido2_get_touch_count (spare), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/security-page/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("methods-per-role", test_methods_per_role);
  ADD ("methods-domain-admin", test_methods_domain_admin);
  ADD ("totp-setup", test_totp_setup);
  ADD ("key-second-factor", test_key_second_factor);
  ADD ("already-registered", test_already_registered);
  ADD ("cancel-touch", test_cancel_touch);
  ADD ("passwordless", test_passwordless);
  ADD ("passwordless-needs-pin", test_passwordless_needs_pin);
  ADD ("remove", test_remove);
  ADD ("yubico-unreachable", test_yubico_unreachable);
  ADD ("yubico", test_yubico);
  ADD ("key-timeout", test_key_timeout);
  ADD ("key-unplugged", test_key_unplugged);
  ADD ("pick-by-touch", test_pick_by_touch);
#undef ADD

  return g_test_run ();
}
