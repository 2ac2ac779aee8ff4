/* hes-signin-page.c: sign-in, second factor and forced password change. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-signin-page.h"

typedef enum {
  STEP_CREDENTIALS,
  STEP_SECOND_FACTOR,
  STEP_NEW_PASSWORD,
} Step;

struct _HesSigninPage
{
  HesPage parent_instance;

  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkStack *step_stack;
  GtkWidget *server_row;
  GtkWidget *username_row;
  GtkWidget *password_row;
  GtkWidget *role_row;
  GtkWidget *role_hint;
  GtkWidget *factors_list;
  GtkWidget *code_group;
  GtkWidget *code_row;
  GtkWidget *new_password_row;
  GtkWidget *confirm_row;
  GtkWidget *policy_label;
  GtkWidget *rules_label;
  GtkWidget *forward_button;
  GtkWidget *spinner;

  Step step;
  /* The client of the sign-in in progress; it goes to the session once signed in. */
  HesMailcowClient *client;
  char *factor_id;
  HesPasswordPolicy *policy;
  GCancellable *apply_cancellable;
  GCancellable *policy_cancellable;
  /* Why the code step is shown again after a wrong code made the server forget the sign-in. */
  char *retry_message;
};

G_DEFINE_FINAL_TYPE (HesSigninPage, hes_signin_page, HES_TYPE_PAGE)

static void handle_outcome (HesSigninPage    *self,
                            HesSignInOutcome  outcome,
                            const GError     *error);

static const char *
field_text (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* The rows of role_row follow HesMailcowRole. */
static HesMailcowRole
selected_role (HesSigninPage *self)
{
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->role_row)) == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    return HES_MAILCOW_ROLE_DOMAIN_ADMIN;
  return HES_MAILCOW_ROLE_MAILBOX_USER;
}

static const char *
role_explanation (HesMailcowRole role)
{
  if (role == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    return _("You manage your domain’s addresses, its DNS and moving its mail.");
  return _("You read and send mail with one address.");
}

static void
on_role_changed_cb (HesSigninPage *self)
{
  gtk_label_set_text (GTK_LABEL (self->role_hint), role_explanation (selected_role (self)));
}

/* The role list shows each role with its one-line explanation. */
static void
on_role_item_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *explanation = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (explanation), 0);
  gtk_label_set_wrap (GTK_LABEL (explanation), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (explanation), 40);
  gtk_widget_add_css_class (explanation, "dim-label");
  gtk_widget_add_css_class (explanation, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), explanation);
  gtk_list_item_set_child (item, box);
}

static void
on_role_item_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (title), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)),
                      role_explanation (gtk_list_item_get_position (item)));
}

/* The chosen role on the row itself: the whole name, never cut ("Administrateur de do…"). */
static void
on_role_value_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
on_role_value_bind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
setup_role_row (HesSigninPage *self)
{
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (list_factory, "setup", G_CALLBACK (on_role_item_setup_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (on_role_item_bind_cb), NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (on_role_value_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_role_value_bind_cb), NULL);
  adw_combo_row_set_factory (ADW_COMBO_ROW (self->role_row), factory);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (self->role_row), list_factory);
  on_role_changed_cb (self);
}


static void
show_error (HesSigninPage *self,
            const char    *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), TRUE);
}

static void
clear_error (HesSigninPage *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
  gtk_label_set_text (GTK_LABEL (self->error_label), "");
}

/* Marks a field as wrong for the eye (the error class) and for screen readers. */
static void
set_field_invalid (GtkWidget *field,
                   gboolean   invalid)
{
  if (invalid)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* The code without the spaces people type when they copy "123 456". */
static char *
dup_code (HesSigninPage *self)
{
  g_autoptr(GString) code = g_string_new (NULL);

  for (const char *p = field_text (self->code_row); *p != '\0'; p++) {
    if (!g_ascii_isspace (*p))
      g_string_append_c (code, *p);
  }

  return g_string_free (g_steal_pointer (&code), FALSE);
}

static gboolean
code_is_valid (const char *code)
{
  if (strlen (code) != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++) {
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  }
  return TRUE;
}

/* Lists each rule the new password breaks, as the customer types. */
static gboolean
update_password_feedback (HesSigninPage *self)
{
  const char *password = field_text (self->new_password_row);
  const char *confirm = field_text (self->confirm_row);
  g_autoptr(GPtrArray) broken = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean mismatch = confirm[0] != '\0' && g_strcmp0 (password, confirm) != 0;

  if (self->policy != NULL)
    broken = hes_password_policy_check (self->policy, password);
  else
    broken = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; password[0] != '\0' && i < broken->len; i++)
    g_string_append_printf (text, "%s• %s", text->len ? "\n" : "",
                            (const char *) g_ptr_array_index (broken, i));
  if (mismatch)
    g_string_append_printf (text, "%s• %s", text->len ? "\n" : "",
                            _("The two passwords are not the same."));

  gtk_label_set_text (GTK_LABEL (self->rules_label), text->str);
  gtk_widget_set_visible (self->rules_label, text->len > 0);
  set_field_invalid (self->new_password_row, password[0] != '\0' && broken->len > 0);
  set_field_invalid (self->confirm_row, mismatch);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_password_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);

  return password[0] != '\0' && broken->len == 0 && g_strcmp0 (password, confirm) == 0;
}

static void
update_complete (HesSigninPage *self)
{
  gboolean complete = FALSE;

  switch (self->step) {
  case STEP_CREDENTIALS:
    complete = field_text (self->server_row)[strspn (field_text (self->server_row), " ")] != '\0'
               && field_text (self->username_row)[0] != '\0'
               && field_text (self->password_row)[0] != '\0';
    break;
  case STEP_SECOND_FACTOR: {
    g_autofree char *code = dup_code (self);

    complete = self->factor_id != NULL && code_is_valid (code);
    break;
  }
  case STEP_NEW_PASSWORD:
    complete = update_password_feedback (self);
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
    return self->code_row;
  case STEP_NEW_PASSWORD:
    return self->new_password_row;
  case STEP_CREDENTIALS:
  default:
    if (field_text (self->username_row)[0] == '\0')
      return self->username_row;
    return self->password_row;
  }
}

static void
set_step (HesSigninPage *self,
          Step           step,
          gboolean       grab_focus)
{
  static const char *names[] = { "credentials", "second-factor", "new-password" };

  self->step = step;
  gtk_stack_set_visible_child_name (self->step_stack, names[step]);
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
  default:
    g_assert_not_reached ();
  }

  update_complete (self);
  if (grab_focus)
    gtk_widget_grab_focus (step_focus_widget (self));
}

static void
on_factor_toggled_cb (HesSigninPage  *self,
                      GtkCheckButton *check)
{
  if (!gtk_check_button_get_active (check))
    return;

  g_free (self->factor_id);
  self->factor_id = g_strdup (g_object_get_data (G_OBJECT (check), "factor-id"));
  update_complete (self);
}

static GtkWidget *
factor_row_new (HesSigninPage         *self,
                const HesSecondFactor *factor,
                GtkCheckButton       **group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (factor->id != NULL)
    gtk_widget_set_name (row, factor->id);

  if (factor->method != HES_SECOND_FACTOR_TOTP) {
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   factor->name && *factor->name ? factor->name : _("Security key"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 factor->method == HES_SECOND_FACTOR_WEBAUTHN
                                 ? _("Security key: not available yet in this version.")
                                 : _("YubiKey code: not available yet in this version."));
    gtk_widget_set_sensitive (row, FALSE);
    return row;
  }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 factor->name && *factor->name ? factor->name
                                                               : _("Authenticator app"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Authenticator app: a 6-digit code"));
  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  g_object_set_data_full (G_OBJECT (check), "factor-id", g_strdup (factor->id), g_free);
  if (*group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), *group);
  else
    *group = GTK_CHECK_BUTTON (check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_factor_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  return row;
}

static void
populate_factors (HesSigninPage *self)
{
  GPtrArray *factors = hes_mailcow_client_get_pending_factors (self->client);
  GtkCheckButton *group = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->factors_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->factors_list), child);
  g_clear_pointer (&self->factor_id, g_free);

  for (guint i = 0; factors != NULL && i < factors->len; i++) {
    const HesSecondFactor *factor = g_ptr_array_index (factors, i);

    gtk_list_box_append (GTK_LIST_BOX (self->factors_list),
                         factor_row_new (self, factor, &group));
  }

  /* The first code-based factor is the likely one: select it. */
  if (group != NULL)
    gtk_check_button_set_active (group, TRUE);
  gtk_widget_set_visible (self->code_group, group != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
}

static void
on_policy_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(HesPasswordPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  policy = hes_mailcow_client_get_password_policy_finish (HES_MAILCOW_CLIENT (object), result,
                                                          &error);
  if (policy == NULL) {
    /* The server still checks the password when it is sent; say nothing more here. */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_debug ("No password policy: %s", error->message);
    return;
  }

  g_clear_pointer (&self->policy, hes_password_policy_free);
  self->policy = g_steal_pointer (&policy);
  description = hes_password_policy_describe (self->policy);
  gtk_label_set_text (GTK_LABEL (self->policy_label), description);
  update_complete (self);
}

static void
ask_new_password (HesSigninPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_label_set_text (GTK_LABEL (self->policy_label), "");
  g_clear_pointer (&self->policy, hes_password_policy_free);

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->policy_cancellable);
  self->policy_cancellable = g_cancellable_new ();
  hes_mailcow_client_get_password_policy_async (self->client, self->policy_cancellable,
                                                on_policy_ready_cb, g_object_ref (self));
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
  set_step (self, STEP_CREDENTIALS, FALSE);

  if (session != NULL)
    hes_session_set_client (session, client);
}

static void
end_apply (HesSigninPage *self,
           gboolean       valid)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->apply_cancellable);
  hes_page_apply_complete (HES_PAGE (self), valid);

  /* Staying here: the focus goes back to the form (it was parked while the fields were off). */
  if (!valid && root != NULL && gtk_root_get_focus (root) == NULL)
    gtk_widget_grab_focus (step_focus_widget (self));
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
  g_autofree char *username = g_strstrip (g_strdup (field_text (self->username_row)));

  hes_mailcow_client_sign_in_async (self->client, selected_role (self), username,
                                    field_text (self->password_row),
                                    self->apply_cancellable, on_signed_in_cb, g_object_ref (self));
}

static void
handle_outcome (HesSigninPage    *self,
                HesSignInOutcome  outcome,
                const GError     *error)
{
  g_autofree char *retry_message = g_steal_pointer (&self->retry_message);

  if (error != NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_error (self, error->message);
    set_field_invalid (self->password_row,
                       g_error_matches (error, HES_MAILCOW_ERROR,
                                        HES_MAILCOW_ERROR_WRONG_CREDENTIALS));
    g_clear_object (&self->client);
    if (self->step != STEP_CREDENTIALS)
      set_step (self, STEP_CREDENTIALS, TRUE);
    end_apply (self, FALSE);
    return;
  }

  switch (outcome) {
  case HES_SIGN_IN_DONE:
  case HES_SIGN_IN_NEEDS_TFA_SETUP:
    finish_sign_in (self);
    end_apply (self, TRUE);
    break;
  case HES_SIGN_IN_NEEDS_SECOND_FACTOR:
    populate_factors (self);
    set_step (self, STEP_SECOND_FACTOR, TRUE);
    if (retry_message != NULL) {
      show_error (self, retry_message);
      set_field_invalid (self->code_row, TRUE);
    }
    end_apply (self, FALSE);
    break;
  case HES_SIGN_IN_NEEDS_PASSWORD_CHANGE:
    ask_new_password (self);
    end_apply (self, FALSE);
    break;
  default:
    g_assert_not_reached ();
  }
}

static void
on_totp_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hes_mailcow_client_verify_totp_finish (HES_MAILCOW_CLIENT (object), result, &error)) {
    /* The server may ask for the next step now, a new password for example. */
    handle_outcome (self, hes_mailcow_client_get_sign_in_state (self->client), NULL);
  } else if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED)) {
    /* The server forgets the sign-in after a wrong code: sign in again with the password
     * still typed, so that the customer only has to type a new code. */
    self->retry_message = g_strdup (error->message);
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
    start_sign_in (self);
  } else {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_error (self, error->message);
    end_apply (self, FALSE);
  }
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
  if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_PASSWORD_POLICY))
    set_field_invalid (self->new_password_row, TRUE);
  end_apply (self, FALSE);
}

static gboolean
apply_credentials (HesSigninPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (field_text (self->server_row)));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->client);
  self->client = hes_mailcow_client_new (server, &error);
  if (self->client == NULL) {
    show_error (self, error->message);
    set_field_invalid (self->server_row, TRUE);
    return FALSE;
  }

  start_sign_in (self);
  return TRUE;
}

static gboolean
hes_signin_page_apply (HesPage      *page,
                       GCancellable *cancellable)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (page);
  g_autofree char *code = NULL;

  g_set_object (&self->apply_cancellable, cancellable);
  clear_error (self);
  set_field_invalid (self->password_row, FALSE);
  set_field_invalid (self->code_row, FALSE);

  switch (self->step) {
  case STEP_CREDENTIALS:
    if (!apply_credentials (self))
      end_apply (self, FALSE);
    break;
  case STEP_SECOND_FACTOR:
    code = dup_code (self);
    hes_mailcow_client_verify_totp_async (self->client, self->factor_id, code, cancellable,
                                          on_totp_verified_cb, g_object_ref (self));
    break;
  case STEP_NEW_PASSWORD:
    hes_mailcow_client_change_password_async (self->client, field_text (self->new_password_row),
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
  if (GTK_WIDGET (editable) == self->server_row || GTK_WIDGET (editable) == self->code_row)
    set_field_invalid (GTK_WIDGET (editable), FALSE);
  update_complete (self);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_SIGNIN_PAGE);

  G_OBJECT_CLASS (hes_signin_page_parent_class)->dispose (object);
}

static void
hes_signin_page_finalize (GObject *object)
{
  HesSigninPage *self = HES_SIGNIN_PAGE (object);

  g_free (self->factor_id);
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
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, HesSigninPage, error_label);
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
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_role_changed_cb);
}

static void
hes_signin_page_init (HesSigninPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::applying", G_CALLBACK (on_applying_changed_cb), NULL);
  self->step = STEP_CREDENTIALS;
  setup_role_row (self);
  update_complete (self);
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
  clear_error (self);
  set_step (self, STEP_CREDENTIALS, TRUE);
}
