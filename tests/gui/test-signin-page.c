/* test-signin-page.c: the sign-in page against the mailcow simulator: wrong password, forced
 * password change, TOTP second factor, a bad server address. */
#define G_LOG_DOMAIN "test-signin-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "pages/hes-pages.h"

#define TOTP_SECRET "JBSWY3DPEHPK3PXP"
#define YUBIKEY_ID "cccjgjgkhcbb"
#define OTHER_YUBIKEY_ID "cccjgjgkhcvv"

static void
fill_sim (GuiFixture *f)
{
  const char *domains[] = { "example.test", NULL };

  hes_mailcow_sim_add_domain (f->sim, "example.test", "Example", FALSE);
  hes_mailcow_sim_add_mailbox (f->sim, "anna@example.test", "Anna", "Anna-pass-1");
  hes_mailcow_sim_add_mailbox (f->sim, "new@example.test", "New", "First-pass-1");
  hes_mailcow_sim_set_force_password_update (f->sim, "new@example.test", TRUE);
  hes_mailcow_sim_add_mailbox (f->sim, "otp@example.test", "Otp", "Otp-pass-1");
  hes_mailcow_sim_add_totp (f->sim, "otp@example.test", "My phone", TOTP_SECRET);
  hes_mailcow_sim_add_mailbox (f->sim, "yubi@example.test", "Yubi", "Yubi-pass-1");
  hes_mailcow_sim_add_yubi_otp (f->sim, "yubi@example.test", "Blue key", YUBIKEY_ID);
  hes_mailcow_sim_add_mailbox (f->sim, "both@example.test", "Both", "Both-pass-1");
  hes_mailcow_sim_add_totp (f->sim, "both@example.test", "My phone", TOTP_SECRET);
  hes_mailcow_sim_add_yubi_otp (f->sim, "both@example.test", "Blue key", YUBIKEY_ID);
  hes_mailcow_sim_add_domain_admin (f->sim, "boss", "Boss-pass-1", domains);
  hes_mailcow_sim_set_password_policy (f->sim, 8, TRUE, FALSE, TRUE, TRUE);
}

static void
setup (GuiFixture    *f,
       gconstpointer  data)
{
  gui_fixture_setup (f, data);
  fill_sim (f);
  gui_fixture_open_window (f);
}

static gboolean
error_shown (gpointer data)
{
  GuiFixture *f = data;

  HesMessageArea *area = HES_MESSAGE_AREA (gui_signin_child (f, "message_area"));

  return hes_message_area_get_kind (area) == HES_MESSAGE_ERROR;
}


/* Whether the keyboard focus is in the sign-in page's widget @name. */
static gboolean
focus_in (GuiFixture *f,
          const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *widget = gui_signin_child (f, name);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The first descendant of @widget of @type. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_descendant (child, type);

    if (found != NULL)
      return found;
  }
  return NULL;
}

/* Whether the password row shows its text in clear. */
static gboolean
revealed (GtkWidget *row)
{
  return gtk_text_get_visibility (GTK_TEXT (find_descendant (row, GTK_TYPE_TEXT)));
}

/* Presses the row's show-text button (the last button of the row). */
static void
press_reveal (GtkWidget *row)
{
  GtkWidget *button;

  /* libadwaita 1.2: the row's box ends with the box of its own buttons. */
  button = gtk_widget_get_first_child (gtk_widget_get_last_child (gtk_widget_get_first_child (row)));
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The sentence shown right under @field, or NULL. */
static const char *
field_message (GtkWidget *field)
{
  GtkWidget *row = gtk_widget_get_next_sibling (field);
  GtkWidget *label;

  if (row == NULL || !gtk_widget_has_css_class (row, "hes-field-message-row"))
    return NULL;
  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_ROLE_ALERT);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* The visible sentence of the page's message area. */
static GtkWidget *
error_label (GuiFixture *f)
{
  GtkWidget *area = gui_signin_child (f, "message_area");

  for (GtkWidget *child = gtk_widget_get_first_child (area); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (g_strcmp0 (gtk_widget_get_name (child), "message_error") == 0)
      return child;
  }
  g_assert_not_reached ();
}

static void
test_server_prefilled (GuiFixture    *f,
                       gconstpointer  data)
{
  g_assert_cmpstr (gui_text (f, "server_row"), ==, f->url);
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));
  g_assert_false (gtk_widget_get_sensitive (gui_signin_child (f, "forward_button")));
}

static void
test_wrong_password (GuiFixture    *f,
                     gconstpointer  data)
{
  const char *message;

  gui_sign_in (f, FALSE, "anna@example.test", "not-her-password");

  g_assert_true (error_shown (f));
  /* Screen readers announce the sentence: it is an alert. */
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (error_label (f)), GTK_ACCESSIBLE_ROLE_ALERT);
  g_assert_true (gtk_widget_get_visible (error_label (f)));
  message = hes_message_area_get_text (HES_MESSAGE_AREA (gui_signin_child (f, "message_area")));
  g_assert_cmpuint (strlen (message), >, 10);
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));
  /* Everything typed stays, the password too, so the customer can correct and retry. */
  g_assert_cmpstr (gui_text (f, "server_row"), ==, f->url);
  g_assert_cmpstr (gui_text (f, "username_row"), ==, "anna@example.test");
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "not-her-password");
  g_assert_true (gtk_widget_has_css_class (gui_signin_child (f, "password_row"), "error"));
  g_assert_true (gtk_widget_get_sensitive (gui_signin_child (f, "step_stack")));
  /* The keyboard is where the mistake is. */
  g_assert_true (focus_in (f, "password_row"));

  /* A second try with the right password works. */
  gui_type (f, "password_row", "Anna-pass-1");
  gui_click_forward (f);
  gui_wait_for_home (f);
  g_assert_false (error_shown (f));
}

static void
test_enter_signs_in (GuiFixture    *f,
                     gconstpointer  data)
{
  /* Keyboard only: Enter in the last field signs in once everything is filled in. */
  gui_type (f, "username_row", "anna@example.test");
  g_signal_emit_by_name (gui_signin_child (f, "username_row"), "entry-activated");
  g_assert_false (hes_page_get_applying (gui_current_page (f)));

  gui_type (f, "password_row", "Anna-pass-1");
  g_signal_emit_by_name (gui_signin_child (f, "password_row"), "entry-activated");
  gui_wait_for_home (f);
}

static void
test_wrong_role (GuiFixture    *f,
                 gconstpointer  data)
{
  /* A mailbox password on the administrators' page looks like a wrong password. */
  gui_sign_in (f, TRUE, "anna@example.test", "Anna-pass-1");
  g_assert_true (error_shown (f));
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));
}

static void
test_bad_server (GuiFixture    *f,
                 gconstpointer  data)
{
  /* Plain http to anything but loopback is refused before any request. */
  gui_type (f, "server_row", "http://mail.example.com");
  gui_sign_in (f, FALSE, "anna@example.test", "Anna-pass-1");
  g_assert_true (error_shown (f));
  g_assert_true (gtk_widget_has_css_class (gui_signin_child (f, "server_row"), "error"));
  g_assert_true (focus_in (f, "server_row"));

  /* Typing in the field clears the mark. */
  gui_type (f, "server_row", f->url);
  g_assert_false (gtk_widget_has_css_class (gui_signin_child (f, "server_row"), "error"));
}

static gboolean
policy_shown (gpointer data)
{
  GuiFixture *f = data;

  return gtk_label_get_text (GTK_LABEL (gui_signin_child (f, "policy_label")))[0] != '\0';
}

static void
test_password_change (GuiFixture    *f,
                      gconstpointer  data)
{
  g_autofree char *mismatch = g_strconcat ("• ", _("The two passwords are not the same."), NULL);
  HesPage *page;
  GtkWidget *rules;

  gui_sign_in (f, FALSE, "new@example.test", "First-pass-1");
  g_assert_cmpstr (gui_signin_step (f), ==, "new-password");
  page = hes_window_get_signin_page (f->window);
  g_assert_true (gui_current_page (f) == page);
  gui_wait_for (policy_shown, f, "the password policy");
  rules = gui_signin_child (f, "rules_label");

  /* Too short, no capital, no digit: each broken rule is listed and the field is marked. */
  gui_type (f, "new_password_row", "abc");
  g_assert_true (gtk_widget_get_visible (rules));
  g_assert_nonnull (strchr (gtk_label_get_text (GTK_LABEL (rules)), '\n'));
  g_assert_true (gtk_widget_has_css_class (gui_signin_child (f, "new_password_row"), "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gui_signin_child (f, "new_password_row")),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_false (hes_page_get_complete (page));

  /* Good, but the confirmation differs. */
  gui_type (f, "new_password_row", "Better-pass-22");
  g_assert_false (gtk_widget_has_css_class (gui_signin_child (f, "new_password_row"), "error"));
  gui_type (f, "confirm_row", "Better-pass-2");
  g_assert_true (gtk_widget_get_visible (rules));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (rules)), ==, mismatch);
  g_assert_true (gtk_widget_has_css_class (gui_signin_child (f, "confirm_row"), "error"));
  g_assert_false (hes_page_get_complete (page));

  gui_type (f, "confirm_row", "Better-pass-22");
  g_assert_false (gtk_widget_get_visible (rules));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gui_signin_child (f, "new_password_row")),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_true (hes_page_get_complete (page));

  gui_click_forward (f);
  gui_wait_for_home (f);
  g_assert_true (hes_mailcow_sim_check_password (f->sim, "new@example.test", "Better-pass-22"));
  g_assert_false (hes_mailcow_sim_check_password (f->sim, "new@example.test", "First-pass-1"));
}

/* A 6-digit code that none of the accepted time steps (-1, 0, +1) produces. */
static char *
wrong_code (void)
{
  for (guint candidate = 123456;; candidate = (candidate + 7919) % 1000000) {
    g_autofree char *code = g_strdup_printf ("%06u", candidate);
    gboolean taken = FALSE;

    for (int step = -2; step <= 2; step++) {
      g_autofree char *real = gui_totp_code (TOTP_SECRET, step);
      taken |= g_strcmp0 (real, code) == 0;
    }
    if (!taken)
      return g_steal_pointer (&code);
  }
}

static void
test_totp (GuiFixture    *f,
           gconstpointer  data)
{
  g_autofree char *bad = wrong_code ();
  g_autofree char *good = NULL;
  g_autofree char *spaced = NULL;
  GtkWidget *factors;

  gui_sign_in (f, FALSE, "otp@example.test", "Otp-pass-1");
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  factors = gui_signin_child (f, "factors_list");
  g_assert_nonnull (gtk_widget_get_first_child (factors));
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (gtk_widget_get_first_child (factors))), ==, "My phone");
  g_assert_false (gtk_widget_get_sensitive (gui_signin_child (f, "forward_button")));

  /* Five digits are not a code yet. */
  gui_type (f, "code_row", "12345");
  g_assert_false (gtk_widget_get_sensitive (gui_signin_child (f, "forward_button")));

  /* A wrong code: the page signs in again by itself and asks for a new code, beside the
   * field, without telling the customer to sign in again (the next code works here). */
  gui_type (f, "code_row", bad);
  gui_click_forward (f);
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  g_assert_false (error_shown (f));
  g_assert_cmpstr (field_message (gui_signin_child (f, "code_row")), ==,
                   _("The code was not accepted. Type the new code your authenticator app "
                     "shows now."));
  g_assert_true (gtk_widget_has_css_class (gui_signin_child (f, "code_row"), "error"));
  g_assert_true (focus_in (f, "code_row"));
  g_assert_cmpstr (gui_text (f, "code_row"), ==, "");
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));

  /* Spaces as people copy codes ("123 456") are fine. */
  good = gui_totp_code (TOTP_SECRET, 0);
  spaced = g_strdup_printf ("%.3s %s", good, good + 3);
  gui_type (f, "code_row", spaced);
  gui_click_forward (f);
  gui_wait_for_home (f);
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "");
  g_assert_cmpstr (gui_text (f, "code_row"), ==, "");
}

static const char *
code_title (GuiFixture *f)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gui_signin_child (f, "code_row")));
}

static void
test_yubikey (GuiFixture    *f,
              gconstpointer  data)
{
  g_autofree char *other = hes_mailcow_sim_make_yubi_otp (OTHER_YUBIKEY_ID);
  g_autofree char *good = NULL;

  gui_sign_in (f, FALSE, "yubi@example.test", "Yubi-pass-1");
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  g_assert_cmpstr (code_title (f), ==, _("The key’s _one-time code"));

  /* An authenticator-app code is not what a YubiKey types. */
  gui_type (f, "code_row", "123456");
  g_assert_false (gtk_widget_get_sensitive (gui_signin_child (f, "forward_button")));

  /* Another key's code: refused, the page signs in again and waits for a touch. */
  gui_type (f, "code_row", other);
  gui_click_forward (f);
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  g_assert_cmpstr (field_message (gui_signin_child (f, "code_row")), ==,
                   _("The key’s one-time code was not accepted. Touch the key again to type a "
                     "new one."));
  g_assert_cmpstr (gui_text (f, "code_row"), ==, "");

  /* The key types its code followed by Enter. */
  good = hes_mailcow_sim_make_yubi_otp (YUBIKEY_ID);
  gui_type (f, "code_row", good);
  g_signal_emit_by_name (gui_signin_child (f, "code_row"), "entry-activated");
  gui_wait_for_home (f);
}

static GtkCheckButton *
find_factor_check (GuiFixture            *f,
                   HesSecondFactorMethod  method)
{
  for (GtkWidget *row = gtk_widget_get_first_child (gui_signin_child (f, "factors_list"));
       row != NULL; row = gtk_widget_get_next_sibling (row)) {
    GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
    HesSecondFactor *factor = check ? g_object_get_data (G_OBJECT (check), "factor") : NULL;

    if (factor != NULL && factor->method == method)
      return GTK_CHECK_BUTTON (check);
  }
  return NULL;
}

static void
test_choose_factor (GuiFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *wrong = hes_mailcow_sim_make_yubi_otp (OTHER_YUBIKEY_ID);
  g_autofree char *good = NULL;
  GtkCheckButton *totp, *yubikey;

  gui_sign_in (f, FALSE, "both@example.test", "Both-pass-1");
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  totp = find_factor_check (f, HES_SECOND_FACTOR_TOTP);
  yubikey = find_factor_check (f, HES_SECOND_FACTOR_YUBI_OTP);
  g_assert_nonnull (totp);
  g_assert_nonnull (yubikey);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (totp)));
  g_assert_true (gtk_check_button_get_active (totp));
  g_assert_cmpstr (code_title (f), ==, _("_Code from your authenticator app"));

  gtk_check_button_set_active (yubikey, TRUE);
  g_assert_cmpstr (code_title (f), ==, _("The key’s _one-time code"));

  /* A wrong code starts the sign-in again; the customer's choice stays. */
  gui_type (f, "code_row", wrong);
  gui_click_forward (f);
  g_assert_nonnull (field_message (gui_signin_child (f, "code_row")));
  g_assert_cmpstr (code_title (f), ==, _("The key’s _one-time code"));
  g_assert_true (gtk_check_button_get_active (find_factor_check (f, HES_SECOND_FACTOR_YUBI_OTP)));

  good = hes_mailcow_sim_make_yubi_otp (YUBIKEY_ID);
  gui_type (f, "code_row", good);
  gui_click_forward (f);
  gui_wait_for_home (f);
}

static void
test_totp_back (GuiFixture    *f,
                gconstpointer  data)
{
  HesPage *page = hes_window_get_signin_page (f->window);

  gui_sign_in (f, FALSE, "otp@example.test", "Otp-pass-1");
  g_assert_cmpstr (gui_signin_step (f), ==, "second-factor");
  g_assert_true (hes_page_get_can_step_back (page));

  gtk_widget_activate_action (GTK_WIDGET (hes_window_get_assistant (f->window)),
                              "assistant.back", NULL);
  g_assert_cmpstr (gui_signin_step (f), ==, "credentials");
  g_assert_false (hes_page_get_can_step_back (page));
  g_assert_cmpstr (gui_text (f, "username_row"), ==, "otp@example.test");
}

static void
test_cancel (GuiFixture    *f,
             gconstpointer  data)
{
  HesPage *page = hes_window_get_signin_page (f->window);

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (f, "role_row")),
                              HES_MAILCOW_ROLE_MAILBOX_USER);
  gui_type (f, "username_row", "anna@example.test");
  gui_type (f, "password_row", "Anna-pass-1");
  g_signal_emit_by_name (gui_signin_child (f, "forward_button"), "clicked");

  g_assert_true (hes_page_get_applying (page));
  g_assert_false (gtk_widget_get_sensitive (gui_signin_child (f, "step_stack")));
  g_assert_true (gtk_widget_get_visible (gui_signin_child (f, "spinner")));
  /* Keyboard users are on Cancel, where Escape and Enter stop the sign-in. */
  g_assert_true ((GObject *) gtk_root_get_focus (GTK_ROOT (f->window)) ==
                 gtk_widget_get_template_child (GTK_WIDGET (hes_window_get_assistant (f->window)),
                                                HES_TYPE_ASSISTANT, "cancel_button"));

  gtk_widget_activate_action (GTK_WIDGET (hes_window_get_assistant (f->window)),
                              "assistant.cancel", NULL);
  gui_wait_for ((GuiPredicate) gtk_widget_get_sensitive, gui_signin_child (f, "step_stack"),
                "the fields to come back");
  g_assert_false (hes_page_get_applying (page));
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "Anna-pass-1");
  /* And back in the form, ready to try again. */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (gtk_root_get_focus (GTK_ROOT (f->window))),
                                         gui_signin_child (f, "step_stack")));
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
}

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_close_while_signing_in (GuiFixture    *f,
                             gconstpointer  data)
{
  g_autoptr(HesPage) page = g_object_ref (hes_window_get_signin_page (f->window));
  gboolean waited = FALSE;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);
  gui_type (f, "username_row", "anna@example.test");
  gui_type (f, "password_row", "Anna-pass-1");
  g_signal_emit_by_name (gui_signin_child (f, "forward_button"), "clicked");
  g_assert_true (hes_page_get_applying (page));

  /* The window goes while the server is silent: the sign-in is cancelled, nothing calls back
   * into the dead window. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_timeout_add (300, on_timeout_cb, &waited);
  gui_wait_for (is_true, &waited, "the cancellation to settle");
  g_assert_false (hes_page_get_applying (page));
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
}

/* Signed in, the keyboard is on the first task; signed out, the password is gone, hidden
 * again, and the keyboard is in the password field (not on its show button). */
static void
test_focus_and_reveal (GuiFixture    *f,
                       gconstpointer  data)
{
  GtkWidget *password = gui_signin_child (f, "password_row");
  GtkWidget *focus;

  g_assert_false (revealed (password));
  gui_type (f, "password_row", "Boss-pass-1");
  press_reveal (password);
  g_assert_true (revealed (password));
  gui_sign_in (f, TRUE, "boss", "Boss-pass-1");
  gui_wait_for_home (f);
  gui_flush ();

  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_cmpstr (gtk_widget_get_name (focus), ==, "task-dns");
  g_assert_false (revealed (password));

  g_signal_emit_by_name (gui_home_child (f, "sign_out_button"), "clicked");
  gui_flush ();
  g_assert_true (gui_current_page (f) == hes_window_get_signin_page (f->window));
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "");
  g_assert_false (revealed (password));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (GTK_IS_TEXT (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, password));

  /* Shown, then erased: hidden again for whatever is typed next. */
  gui_type (f, "password_row", "secret");
  press_reveal (password);
  g_assert_true (revealed (password));
  gui_type (f, "password_row", "");
  g_assert_false (revealed (password));
}

static gboolean
on_signin_page (gpointer data)
{
  GuiFixture *f = data;

  return gui_current_page (f) == hes_window_get_signin_page (f->window);
}

static void
on_domains_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GPtrArray) domains = NULL;

  domains = hes_mailcow_client_list_domains_finish (HES_MAILCOW_CLIENT (source), result, error);
  g_assert_null (domains);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* The server ends the session while a task page is open: the sign-in page comes back with
 * what was typed and says why; signing in again returns to the same page as it was. */
static void
test_session_ended (GuiFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  HesSession *session = hes_window_get_session (f->window);
  HesPage *task_page;
  HesMessageArea *area;

  gui_sign_in (f, TRUE, "boss", "Boss-pass-1");
  gui_wait_for_home (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s", "secure");
  task_page = gui_current_page (f);
  g_assert_true (task_page != hes_window_get_home_page (f->window));

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_EXPIRE_SESSIONS);
  hes_mailcow_client_list_domains_async (hes_session_get_client (session), NULL,
                                         on_domains_cb, &error);
  gui_wait_for (error_set, &error, "the server to refuse the call");
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  hes_page_show_error_from_gerror (task_page, error);
  gui_wait_for (on_signin_page, f, "the sign-in page");

  area = HES_MESSAGE_AREA (gui_signin_child (f, "message_area"));
  g_assert_cmpint (hes_message_area_get_kind (area), ==, HES_MESSAGE_STATUS);
  g_assert_cmpstr (hes_message_area_get_text (area), ==,
                   _("Your session on the server has ended. Sign in again to go on where you "
                     "left off: what you typed there is kept."));
  g_assert_cmpstr (gui_text (f, "server_row"), ==, f->url);
  g_assert_cmpstr (gui_text (f, "username_row"), ==, "boss");
  g_assert_cmpstr (gui_text (f, "password_row"), ==, "");
  g_assert_true (focus_in (f, "password_row"));
  g_assert_null (hes_session_get_client (session));

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
  gui_type (f, "password_row", "Boss-pass-1");
  gui_click_forward (f);
  g_assert_true (gui_current_page (f) == task_page);
  g_assert_nonnull (hes_session_get_client (session));
}

static gboolean
domain_listed (gpointer data)
{
  GuiFixture *f = data;

  return gui_find_row (gui_home_child (f, "domains_list"), "example.test") != NULL;
}

/* mailcow tells a mailbox user nothing of the other mailboxes: no made-up "0 mailboxes". */
static void
test_mailbox_user_domain (GuiFixture    *f,
                          gconstpointer  data)
{
  GtkWidget *row;
  g_autofree char *none = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d mailbox",
                                                        "%d mailboxes", 0), 0);

  gui_sign_in (f, FALSE, "anna@example.test", "Anna-pass-1");
  gui_wait_for_home (f);
  gui_wait_for (domain_listed, f, "the domain row");
  row = gui_find_row (gui_home_child (f, "domains_list"), "example.test");
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), none));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            _("The domain of your address")));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  hes_pages_register_all ();

#define ADD(path, func) \
  g_test_add ("/signin/" path, GuiFixture, NULL, setup, func, gui_fixture_teardown)
  ADD ("server-prefilled", test_server_prefilled);
  ADD ("wrong-password", test_wrong_password);
  ADD ("enter-signs-in", test_enter_signs_in);
  ADD ("wrong-role", test_wrong_role);
  ADD ("bad-server", test_bad_server);
  ADD ("password-change", test_password_change);
  ADD ("totp", test_totp);
  ADD ("totp-back", test_totp_back);
  ADD ("yubikey", test_yubikey);
  ADD ("choose-factor", test_choose_factor);
  ADD ("cancel", test_cancel);
  ADD ("close-while-signing-in", test_close_while_signing_in);
  ADD ("focus-and-reveal", test_focus_and_reveal);
  ADD ("session-ended", test_session_ended);
  ADD ("mailbox-user-domain", test_mailbox_user_domain);
#undef ADD

  return g_test_run ();
}
