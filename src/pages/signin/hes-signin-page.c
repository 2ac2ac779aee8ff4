/* hes-signin-page.c: sign-in, second factor and forced password change. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-signin-page-private.h"

G_DEFINE_FINAL_TYPE (HesSigninPage, hes_signin_page, HES_TYPE_PAGE)

static void update_key_button (HesSigninPage *self);
static void handle_outcome (HesSigninPage    *self,
                            HesSignInOutcome  outcome,
                            const GError     *error);

/* The welcome belongs to the first step, and gives its room to an error, so that the form
 * and its button stay in view. */
static void
update_welcome (HesSigninPage *self)
{
  gtk_widget_set_visible (self->welcome_box,
                          self->step == STEP_CREDENTIALS
                          && hes_message_area_get_kind (HES_MESSAGE_AREA (self->message_area))
                             == HES_MESSAGE_NONE);
}

static void
show_error (HesSigninPage *self,
            const char    *message)
{
  hes_page_show_error (HES_PAGE (self), message);
  update_welcome (self);
}

static void
clear_error (HesSigninPage *self)
{
  hes_page_clear_message (HES_PAGE (self));
  update_welcome (self);
}

/* Marks a field as wrong for the eye (the error class) and for screen readers; the sentence
 * is in the page's message area. */
void
_hes_signin_page_set_field_invalid (GtkWidget *field,
                                    gboolean   invalid)
{
  GtkWidget *page = gtk_widget_get_ancestor (field, HES_TYPE_PAGE);

  hes_page_set_field_invalid (HES_PAGE (page), field, invalid, NULL);
}

/* A shown password is hidden again as soon as its field is emptied (signed in, signed out,
 * or erased): the next person never sees theirs in clear text by surprise. */
static void
hide_password (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget), FALSE);
  else if (GTK_IS_TEXT (widget))
    gtk_text_set_visibility (GTK_TEXT (widget), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hide_password (child);
}

static void
on_password_changed (GtkEditable *editable)
{
  if (gtk_editable_get_text (editable)[0] == '\0')
    hide_password (GTK_WIDGET (editable));
}

/* The field to correct after @error: the server's address for anything about reaching it,
 * the password for wrong credentials. */
static GtkWidget *
field_to_correct (HesSigninPage *self,
                  const GError  *error)
{
  if (error == NULL || error->domain != HES_MAILCOW_ERROR)
    return NULL;

  switch (error->code) {
  case HES_MAILCOW_ERROR_INVALID_URL:
  case HES_MAILCOW_ERROR_INSECURE_URL:
  case HES_MAILCOW_ERROR_UNREACHABLE:
  case HES_MAILCOW_ERROR_TLS:
  case HES_MAILCOW_ERROR_TIMEOUT:
  case HES_MAILCOW_ERROR_NOT_MAILCOW:
    return self->server_row;
  case HES_MAILCOW_ERROR_WRONG_CREDENTIALS:
    return self->password_row;
  default:
    return NULL;
  }
}

/* Something other than spaces (a password may be all spaces, it is taken as typed). */
static gboolean
has_text (GtkWidget *field)
{
  for (const char *p = _hes_signin_field_text (field); *p != '\0'; p++) {
    if (!g_ascii_isspace (*p))
      return TRUE;
  }
  return FALSE;
}

void
_hes_signin_page_update_complete (HesSigninPage *self)
{
  gboolean complete = FALSE;

  switch (self->step) {
  case STEP_CREDENTIALS:
    /* The key button needs only the server: the key knows the account. */
    complete = has_text (self->server_row)
               && (self->key_sign_in
                   || (has_text (self->username_row)
                       && _hes_signin_field_text (self->password_row)[0] != '\0'));
    break;
  case STEP_KEY_PIN:
    complete = _hes_signin_field_text (self->key_pin_row)[0] != '\0';
    break;
  case STEP_SECOND_FACTOR: {
    g_autofree char *code = _hes_signin_page_dup_code (self);

    complete = code != NULL
               || (self->factor != NULL && self->factor->method == HES_SECOND_FACTOR_WEBAUTHN);
    break;
  }
  case STEP_NEW_PASSWORD:
    complete = _hes_signin_page_check_new_password (self);
    break;
  default:
    g_assert_not_reached ();
  }

  hes_page_set_complete (HES_PAGE (self), complete);
}

/* The field a keyboard user wants to be in on the current step. */
static GtkWidget *
step_focus_widget (HesSigninPage *self)
{
  switch (self->step) {
  case STEP_SECOND_FACTOR:
    if (self->factor != NULL && self->factor->method == HES_SECOND_FACTOR_WEBAUTHN)
      return self->forward_button;
    return self->code_row;
  case STEP_NEW_PASSWORD:
    return self->new_password_row;
  case STEP_KEY_PIN:
    return self->key_pin_row;
  case STEP_CREDENTIALS:
  default:
    if (_hes_signin_field_text (self->username_row)[0] == '\0')
      return self->username_row;
    return self->password_row;
  }
}

static void
set_step (HesSigninPage *self,
          Step           step,
          gboolean       grab_focus)
{
  static const char *names[] = { "credentials", "second-factor", "new-password", "key-pin" };

  self->step = step;
  gtk_stack_set_visible_child_name (self->step_stack, names[step]);
  update_welcome (self);
  hes_page_set_can_step_back (HES_PAGE (self), step != STEP_CREDENTIALS);

  switch (step) {
  case STEP_CREDENTIALS:
    hes_page_set_title (HES_PAGE (self), _("Sign In"));
    gtk_button_set_label (GTK_BUTTON (self->forward_button), _("_Sign In"));
    break;
  case STEP_SECOND_FACTOR:
    hes_page_set_title (HES_PAGE (self), _("Second Factor"));
    gtk_button_set_label (GTK_BUTTON (self->forward_button), _("_Verify"));
    break;
  case STEP_NEW_PASSWORD:
    hes_page_set_title (HES_PAGE (self), _("New Password"));
    gtk_button_set_label (GTK_BUTTON (self->forward_button), _("_Change Password"));
    break;
  case STEP_KEY_PIN:
    hes_page_set_title (HES_PAGE (self), _("Security Key"));
    gtk_button_set_label (GTK_BUTTON (self->forward_button), _("_Sign In"));
    break;
  default:
    g_assert_not_reached ();
  }
  update_key_button (self);

  _hes_signin_page_update_complete (self);
  if (grab_focus)
    gtk_widget_grab_focus (step_focus_widget (self));
}

static void
ask_new_password (HesSigninPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  _hes_signin_page_fetch_policy (self);
  set_step (self, STEP_NEW_PASSWORD, TRUE);
}

/* Signed in: the client goes to the session, and nothing secret stays in the fields. */
static void
finish_sign_in (HesSigninPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  g_autoptr(HesMailcowClient) client = g_steal_pointer (&self->client);

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  _hes_signin_page_forget_key (self);
  set_step (self, STEP_CREDENTIALS, FALSE);

  if (session != NULL)
    hes_session_set_client (session, client);
}

/* Ends the work; staying here, the focus goes to @focus (the field to correct), or back to
 * the step's field when it was parked while the fields were off. */
static void
end_apply_focus (HesSigninPage *self,
                 gboolean       valid,
                 GtkWidget     *focus)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->apply_cancellable);
  self->key_sign_in = FALSE;
  hes_page_apply_complete (HES_PAGE (self), valid);
  _hes_signin_page_update_complete (self);

  if (valid || root == NULL)
    return;
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
  else if (gtk_root_get_focus (root) == NULL
           || !gtk_widget_is_ancestor (gtk_root_get_focus (root), GTK_WIDGET (self)))
    gtk_widget_grab_focus (step_focus_widget (self));
}

static void
end_apply (HesSigninPage *self,
           gboolean       valid)
{
  end_apply_focus (self, valid, NULL);
}

static void
on_signed_in_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  outcome = hes_mailcow_client_sign_in_finish (HES_MAILCOW_CLIENT (object), result, &error);
  handle_outcome (self, outcome, error);
}

static void
start_sign_in (HesSigninPage *self)
{
  g_autofree char *username = g_strstrip (g_strdup (_hes_signin_field_text (self->username_row)));

  hes_mailcow_client_sign_in_async (self->client, _hes_signin_page_get_role (self), username,
                                    _hes_signin_field_text (self->password_row),
                                    self->apply_cancellable, on_signed_in_cb, g_object_ref (self));
}

static void
handle_outcome (HesSigninPage    *self,
                HesSignInOutcome  outcome,
                const GError     *error)
{
  g_autofree char *retry_message = g_steal_pointer (&self->retry_message);

  /* Cancelled (Escape, or the window closing): nothing to say, the fields stay as typed. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    if (self->step == STEP_CREDENTIALS)
      g_clear_object (&self->client);
    end_apply (self, FALSE);
    return;
  }

  if (error != NULL) {
    GtkWidget *field = field_to_correct (self, error);

    g_clear_object (&self->client);
    if (self->step != STEP_CREDENTIALS)
      set_step (self, STEP_CREDENTIALS, FALSE);
    show_error (self, error->message);
    if (field != NULL)
      _hes_signin_page_set_field_invalid (field, TRUE);
    end_apply_focus (self, FALSE, field);
    return;
  }

  switch (outcome) {
  case HES_SIGN_IN_DONE:
  case HES_SIGN_IN_NEEDS_TFA_SETUP:
    finish_sign_in (self);
    end_apply (self, TRUE);
    break;
  case HES_SIGN_IN_NEEDS_SECOND_FACTOR:
    _hes_signin_page_populate_factors (self);
    set_step (self, STEP_SECOND_FACTOR, FALSE);
    /* The sentence sits by the code field: the same step takes the next code. */
    if (retry_message != NULL)
      hes_page_set_field_invalid (HES_PAGE (self), self->code_row, TRUE, retry_message);
    end_apply_focus (self, FALSE, step_focus_widget (self));
    break;
  case HES_SIGN_IN_NEEDS_PASSWORD_CHANGE:
    ask_new_password (self);
    end_apply (self, FALSE);
    break;
  default:
    g_assert_not_reached ();
  }
}

void
_hes_signin_page_handle_outcome (HesSigninPage    *self,
                                 HesSignInOutcome  outcome,
                                 const GError     *error)
{
  handle_outcome (self, outcome, error);
}

void
_hes_signin_page_show_error (HesSigninPage *self,
                             const char    *message)
{
  show_error (self, message);
}

void
_hes_signin_page_set_step (HesSigninPage *self,
                           Step           step)
{
  set_step (self, step, TRUE);
}

void
_hes_signin_page_end_apply (HesSigninPage *self,
                            gboolean       valid)
{
  end_apply (self, valid);
}

void
_hes_signin_page_end_apply_focus (HesSigninPage *self,
                                  GtkWidget     *focus)
{
  end_apply_focus (self, FALSE, focus);
}

GtkWidget *
_hes_signin_page_field_to_correct (HesSigninPage *self,
                                   const GError  *error)
{
  return field_to_correct (self, error);
}

/* The server forgets the pending sign-in after a failed second factor: sign in again with
 * the password still typed, and say why the step shows again. */
void
_hes_signin_page_retry_sign_in (HesSigninPage *self,
                                const char    *message)
{
  g_free (self->retry_message);
  self->retry_message = g_strdup (message);
  start_sign_in (self);
}

static void
on_factor_verified_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (object);
  gboolean verified;

  if (g_async_result_is_tagged (result, hes_mailcow_client_verify_yubi_otp_async))
    verified = hes_mailcow_client_verify_yubi_otp_finish (client, result, &error);
  else
    verified = hes_mailcow_client_verify_totp_finish (client, result, &error);

  if (verified) {
    /* The server may ask for the next step now, a new password for example. */
    handle_outcome (self, hes_mailcow_client_get_sign_in_state (self->client), NULL);
  } else if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED)) {
    /* The server forgets the sign-in after a wrong code: sign in again with the password
     * still typed, so that the customer only has to type a new code, and say just that. */
    self->retry_message = g_strdup (self->factor != NULL
                                    && self->factor->method == HES_SECOND_FACTOR_YUBI_OTP
                                    ? _("The key’s one-time code was not accepted. Touch the key "
                                        "again to type a new one.")
                                    : _("The code was not accepted. Type the new code your "
                                        "authenticator app shows now."));
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
    start_sign_in (self);
  } else {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_error (self, error->message);
    end_apply (self, FALSE);
  }
}

static void
verify_factor (HesSigninPage *self,
               GCancellable  *cancellable)
{
  g_autofree char *code = _hes_signin_page_dup_code (self);

  if (self->factor->method == HES_SECOND_FACTOR_WEBAUTHN)
    _hes_signin_page_verify_key (self, cancellable);
  else if (self->factor->method == HES_SECOND_FACTOR_YUBI_OTP)
    hes_mailcow_client_verify_yubi_otp_async (self->client, code, cancellable,
                                              on_factor_verified_cb, g_object_ref (self));
  else
    hes_mailcow_client_verify_totp_async (self->client, self->factor->id, code, cancellable,
                                          on_factor_verified_cb, g_object_ref (self));
}

static void
on_password_changed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hes_mailcow_client_change_password_finish (HES_MAILCOW_CLIENT (object), result, &error)) {
    handle_outcome (self, hes_mailcow_client_get_sign_in_state (self->client), NULL);
    return;
  }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_PASSWORD_POLICY)) {
    _hes_signin_page_set_field_invalid (self->new_password_row, TRUE);
    end_apply_focus (self, FALSE, self->new_password_row);
    return;
  }
  end_apply (self, FALSE);
}

static void
apply_credentials (HesSigninPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (_hes_signin_field_text (self->server_row)));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->client);
  self->client = hes_mailcow_client_new (server, &error);
  if (self->client == NULL) {
    show_error (self, error->message);
    _hes_signin_page_set_field_invalid (self->server_row, TRUE);
    end_apply_focus (self, FALSE, self->server_row);
    return;
  }

  start_sign_in (self);
}

static gboolean
hes_signin_page_apply (HesPage      *page,
                       GCancellable *cancellable)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (page);

  g_set_object (&self->apply_cancellable, cancellable);
  clear_error (self);
  _hes_signin_page_set_field_invalid (self->server_row, FALSE);
  _hes_signin_page_set_field_invalid (self->password_row, FALSE);
  _hes_signin_page_set_field_invalid (self->code_row, FALSE);

  switch (self->step) {
  case STEP_CREDENTIALS:
    if (self->key_sign_in)
      _hes_signin_page_apply_key (self, cancellable);
    else
      apply_credentials (self);
    break;
  case STEP_KEY_PIN:
    _hes_signin_page_apply_key (self, cancellable);
    break;
  case STEP_SECOND_FACTOR:
    verify_factor (self, cancellable);
    break;
  case STEP_NEW_PASSWORD:
    hes_mailcow_client_change_password_async (self->client,
                                              _hes_signin_field_text (self->new_password_row),
                                              cancellable, on_password_changed_cb,
                                              g_object_ref (self));
    break;
  default:
    g_assert_not_reached ();
  }

  return TRUE;
}

static void
hes_signin_page_step_back (HesPage *page)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (page);

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->client);
  _hes_signin_page_forget_key (self);
  clear_error (self);
  set_step (self, STEP_CREDENTIALS, TRUE);
}

static void
hes_signin_page_shown (HesPage *page)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (page);

  set_step (self, self->step, TRUE);
}

static void
on_field_changed_cb (HesSigninPage *self,
                     GtkEditable   *editable)
{
  if (GTK_WIDGET (editable) == self->server_row || GTK_WIDGET (editable) == self->code_row
      || GTK_WIDGET (editable) == self->key_pin_row)
    _hes_signin_page_set_field_invalid (GTK_WIDGET (editable), FALSE);
  if (GTK_WIDGET (editable) == self->server_row)
    update_key_button (self);
  _hes_signin_page_update_complete (self);
}

/* The key button goes on like Sign In does (the assistant's apply, with its Cancel and
 * Escape), but with only the server filled in. */
static void
on_key_button_clicked_cb (HesSigninPage *self)
{
  if (self->step != STEP_CREDENTIALS || hes_page_get_applying (HES_PAGE (self)))
    return;
  self->key_sign_in = TRUE;
  _hes_signin_page_update_complete (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
  if (!hes_page_get_applying (HES_PAGE (self))) {
    self->key_sign_in = FALSE;
    _hes_signin_page_update_complete (self);
  }
}

/* mailcow lets administrators sign in with a key alone, never mailbox users: the button is
 * offered only where it can work. */
static void
update_key_button (HesSigninPage *self)
{
  gtk_widget_set_visible (self->key_button,
                          self->step == STEP_CREDENTIALS
                          && _hes_signin_page_get_role (self) == HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  gtk_widget_set_sensitive (self->key_button,
                            has_text (self->server_row)
                            && !hes_page_get_applying (HES_PAGE (self)));
}

void
_hes_signin_page_update_key_button (HesSigninPage *self)
{
  update_key_button (self);
}

static void
on_entry_activated_cb (HesSigninPage *self,
                       GtkWidget     *entry)
{
  /* Enter goes on when the step is filled in; otherwise it just moves to the next field. */
  if (hes_page_get_complete (HES_PAGE (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
  else
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
on_applying_changed_cb (HesSigninPage *self)
{
  gboolean applying = hes_page_get_applying (HES_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* Park the focus before the fields go insensitive: GTK 4.8 does not tell a text field that
   * lost the focus that way, and its cursor would keep blinking. */
  if (applying && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->step_stack)))
    gtk_root_set_focus (root, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->step_stack), !applying);
  update_key_button (self);
  gtk_widget_set_visible (self->spinner, applying);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), applying);
}

static void
hes_signin_page_dispose (GObject *object)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (object);

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->policy_cancellable);
  g_clear_object (&self->apply_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->key_ceremony);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_SIGNIN_PAGE);

  G_OBJECT_CLASS (hes_signin_page_parent_class)->dispose (object);
}

static void
hes_signin_page_finalize (GObject *object)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (object);

  g_clear_pointer (&self->factor, hes_second_factor_free);
  g_free (self->retry_message);
  g_clear_pointer (&self->policy, hes_password_policy_free);

  G_OBJECT_CLASS (hes_signin_page_parent_class)->finalize (object);
}

static void
hes_signin_page_class_init (HesSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_signin_page_dispose;
  object_class->finalize = hes_signin_page_finalize;
  page_class->apply = hes_signin_page_apply;
  page_class->step_back = hes_signin_page_step_back;
  page_class->shown = hes_signin_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/signin/hes-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, welcome_box);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, message_area);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, role_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, role_hint);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, factors_list);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, code_group);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, policy_label);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, rules_label);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, key_prompt_label);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, key_button);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, key_status_label);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, key_pin_row);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_button_clicked_cb);
}

static void
hes_signin_page_init (HesSigninPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::applying", G_CALLBACK (on_applying_changed_cb), NULL);
  g_signal_connect (self->password_row, "changed", G_CALLBACK (on_password_changed), NULL);
  g_signal_connect (self->new_password_row, "changed", G_CALLBACK (on_password_changed), NULL);
  g_signal_connect (self->confirm_row, "changed", G_CALLBACK (on_password_changed), NULL);
  g_signal_connect (self->key_pin_row, "changed", G_CALLBACK (on_password_changed), NULL);
  self->step = STEP_CREDENTIALS;
  _hes_signin_page_setup_role_row (self);
  _hes_signin_page_update_complete (self);
  update_key_button (self);
}

HesPage *
hes_signin_page_new (HesSession *session)
{
  return g_object_new (HES_TYPE_SIGNIN_PAGE, "session", session, NULL);
}

void
hes_signin_page_prefill (HesSigninPage  *self,
                         const char     *server,
                         HesMailcowRole  role,
                         const char     *username)
{
  g_return_if_fail (HES_IS_SIGNIN_PAGE (self));

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->role_row), role);
}

void
hes_signin_page_reset (HesSigninPage *self)
{
  g_return_if_fail (HES_IS_SIGNIN_PAGE (self));

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->client);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  _hes_signin_page_forget_key (self);
  clear_error (self);
  set_step (self, STEP_CREDENTIALS, TRUE);
}

void
hes_signin_page_show_session_ended (HesSigninPage *self)
{
  g_return_if_fail (HES_IS_SIGNIN_PAGE (self));

  hes_page_show_status (HES_PAGE (self),
                        _("Your session on the server has ended. Sign in again to go on where "
                          "you left off: what you typed there is kept."));
  update_welcome (self);
}
