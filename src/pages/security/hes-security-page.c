/* hes-security-page.c: the overview of what protects the account, removing a method, and the
 * navigation between the overview and the flows that add one. */
#define G_LOG_DOMAIN "hes-security-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-qr-view.h"
#include "hes-security-page-private.h"

G_DEFINE_FINAL_TYPE (HesSecurityPage, hes_security_page, HES_TYPE_PAGE)

static void set_view (HesSecurityPage *self, View view);

HesMailcowClient *
_hes_security_page_get_client (HesSecurityPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));

  return session ? hes_session_get_client (session) : NULL;
}

static gboolean
is_domain_admin (HesSecurityPage *self)
{
  HesMailcowClient *client = _hes_security_page_get_client (self);

  return client != NULL
         && hes_mailcow_client_get_role (client) == HES_MAILCOW_ROLE_DOMAIN_ADMIN;
}

/* The factors of the session's account; a new session gets a new one. */
HesMailcowFactors *
_hes_security_page_get_factors (HesSecurityPage *self)
{
  HesMailcowClient *client = _hes_security_page_get_client (self);

  if (client == NULL)
    return NULL;
  if (self->factors == NULL || hes_mailcow_factors_get_client (self->factors) != client) {
    g_clear_object (&self->factors);
    self->factors = hes_mailcow_factors_new (client);
  }
  return self->factors;
}

void
_hes_security_page_set_invalid (GtkWidget *field,
                                gboolean   invalid)
{
  hes_page_set_field_invalid (HES_PAGE (gtk_widget_get_ancestor (field, HES_TYPE_PAGE)), field,
                              invalid, NULL);
}

void
_hes_security_page_show_error (HesSecurityPage *self,
                               const char      *message)
{
  gtk_widget_set_visible (self->status_label, FALSE);
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, TRUE);
}

void
_hes_security_page_show_status (HesSecurityPage *self,
                                const char      *message)
{
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_label_set_text (GTK_LABEL (self->status_label), message);
  gtk_widget_set_visible (self->status_label, message != NULL);
}

void
_hes_security_page_clear_messages (HesSecurityPage *self)
{
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_set_visible (self->status_label, FALSE);
}

void
_hes_security_page_done (HesSecurityPage *self,
                         const char      *message,
                         GPtrArray       *factors)
{
  set_view (self, VIEW_OVERVIEW);
  if (factors != NULL)
    _hes_security_page_take_factors (self, factors);
  _hes_security_page_show_status (self, message);
}

void
_hes_security_page_update_complete (HesSecurityPage *self)
{
  gboolean complete = TRUE;

  switch (self->view) {
  case VIEW_TOTP:
    complete = _hes_security_page_totp_complete (self);
    break;
  case VIEW_YUBICO:
    complete = _hes_security_page_yubico_complete (self);
    break;
  case VIEW_KEY:
  case VIEW_PASSWORDLESS:
    complete = _hes_security_page_key_complete (self);
    break;
  case VIEW_OVERVIEW:
  default:
    break;
  }
  hes_page_set_complete (HES_PAGE (self), complete);
}

static GtkWidget *
view_focus_widget (HesSecurityPage *self)
{
  switch (self->view) {
  case VIEW_TOTP:
    return self->totp_code_row;
  case VIEW_YUBICO:
    return self->yubico_id_row;
  case VIEW_KEY:
  case VIEW_PASSWORDLESS:
    /* Past the name: the PIN the key asks for, never back into the name. */
    if (gtk_widget_get_visible (self->new_pin_group))
      return self->new_pin_row;
    if (gtk_widget_get_visible (self->pin_group))
      return self->pin_row;
    return self->key_name_row;
  case VIEW_OVERVIEW:
  default:
    return self->totp_row;
  }
}

static void
set_view (HesSecurityPage *self,
          View             view)
{
  static const char *names[] = { "overview", "totp", "yubico", "key", "key" };
  static const char *titles[] = {
    N_("Secure My Account"), N_("Authenticator App"), N_("YubiKey"), N_("Security Key"),
    N_("Passwordless Sign-In"),
  };

  if (self->view == VIEW_TOTP && view != VIEW_TOTP)
    _hes_security_page_stop_totp (self);
  self->view = view;
  gtk_stack_set_visible_child_name (self->view_stack, names[view]);
  hes_page_set_title (HES_PAGE (self), _(titles[view]));
  hes_page_set_can_step_back (HES_PAGE (self), view != VIEW_OVERVIEW);
  gtk_widget_set_visible (self->passwordless_row, is_domain_admin (self));
  _hes_security_page_update_complete (self);
}

static void
open_view (HesSecurityPage *self,
           View             view)
{
  _hes_security_page_clear_messages (self);
  set_view (self, view);
  if (view == VIEW_TOTP)
    _hes_security_page_start_totp (self);
  else if (view == VIEW_KEY || view == VIEW_PASSWORDLESS)
    _hes_security_page_start_key (self);
  else if (view == VIEW_YUBICO && _hes_security_text (self->yubico_name_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->yubico_name_row), _("YubiKey"));
  _hes_security_page_update_complete (self);
  gtk_widget_grab_focus (view_focus_widget (self));
}

static void
on_method_activated_cb (HesSecurityPage *self,
                        AdwActionRow    *row)
{
  GtkWidget *widget = GTK_WIDGET (row);

  if (widget == self->totp_row)
    open_view (self, VIEW_TOTP);
  else if (widget == self->yubico_row)
    open_view (self, VIEW_YUBICO);
  else if (widget == self->key_row)
    open_view (self, VIEW_KEY);
  else if (widget == self->passwordless_row)
    open_view (self, VIEW_PASSWORDLESS);
}

void
_hes_security_page_end_apply (HesSecurityPage *self,
                              gboolean         valid)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->apply_cancellable);
  hes_page_apply_complete (HES_PAGE (self), valid);
  _hes_security_page_update_complete (self);
  if (root != NULL && gtk_root_get_focus (root) == NULL)
    gtk_widget_grab_focus (view_focus_widget (self));
}

static gboolean
hes_security_page_apply (HesPage      *page,
                         GCancellable *cancellable)
{
  HesSecurityPage *self = HES_SECURITY_PAGE (page);

  if (self->view == VIEW_OVERVIEW)
    return FALSE;

  g_set_object (&self->apply_cancellable, cancellable);
  _hes_security_page_clear_messages (self);
  switch (self->view) {
  case VIEW_TOTP:
    _hes_security_page_apply_totp (self);
    break;
  case VIEW_YUBICO:
    _hes_security_page_apply_yubico (self);
    break;
  case VIEW_KEY:
  case VIEW_PASSWORDLESS:
  default:
    _hes_security_page_apply_key (self);
    break;
  }
  return TRUE;
}

static void
hes_security_page_step_back (HesPage *page)
{
  HesSecurityPage *self = HES_SECURITY_PAGE (page);

  _hes_security_page_clear_messages (self);
  set_view (self, VIEW_OVERVIEW);
  gtk_widget_grab_focus (view_focus_widget (self));
}

static void
hes_security_page_shown (HesPage *page)
{
  HesSecurityPage *self = HES_SECURITY_PAGE (page);

  set_view (self, self->view);
  if (self->view == VIEW_OVERVIEW)
    _hes_security_page_refresh (self);
}

static void
on_field_changed_cb (HesSecurityPage *self,
                     GtkEditable     *editable)
{
  _hes_security_page_set_invalid (GTK_WIDGET (editable), FALSE);
  _hes_security_page_update_complete (self);
}

static void
on_entry_activated_cb (HesSecurityPage *self,
                       GtkWidget       *entry)
{
  if (hes_page_get_complete (HES_PAGE (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
  else
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
on_copy_clicked_cb (HesSecurityPage *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (self->totp_base32 == NULL)
    return;
  gdk_clipboard_set_text (clipboard, self->totp_base32);
  _hes_security_page_show_status (self, _("The key was copied. Paste it in your authenticator app."));
}

static void
on_prompt_cancel_clicked_cb (HesSecurityPage *self)
{
  g_cancellable_cancel (self->apply_cancellable);
}

static void
on_set_pin_clicked_cb (HesSecurityPage *self)
{
  _hes_security_page_set_pin (self);
}

static void
on_applying_changed_cb (HesSecurityPage *self)
{
  gboolean applying = hes_page_get_applying (HES_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* The Cancel button next to "touch your key" stays usable; the fields do not. */
  if (applying && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->view_stack))
      && !gtk_widget_is_ancestor (focus, self->prompt_box))
    gtk_root_set_focus (root, NULL);
  gtk_widget_set_sensitive (self->key_group, !applying);
  gtk_widget_set_sensitive (self->pin_group, !applying);
  gtk_widget_set_sensitive (self->new_pin_group, !applying);
  if (self->view != VIEW_KEY && self->view != VIEW_PASSWORDLESS)
    gtk_widget_set_sensitive (GTK_WIDGET (self->view_stack), !applying);
}

static void
hes_security_page_dispose (GObject *object)
{
  HesSecurityPage *self = HES_SECURITY_PAGE (object);

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->pin_cancellable);
  g_clear_object (&self->pin_cancellable);
  g_clear_object (&self->apply_cancellable);
  g_clear_object (&self->ceremony);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_SECURITY_PAGE);

  G_OBJECT_CLASS (hes_security_page_parent_class)->dispose (object);
}

static void
hes_security_page_finalize (GObject *object)
{
  HesSecurityPage *self = HES_SECURITY_PAGE (object);

  _hes_security_page_stop_totp (self);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_object (&self->factors);

  G_OBJECT_CLASS (hes_security_page_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HesSecurityPage, name)

static void
hes_security_page_class_init (HesSecurityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_security_page_dispose;
  object_class->finalize = hes_security_page_finalize;
  page_class->apply = hes_security_page_apply;
  page_class->step_back = hes_security_page_step_back;
  page_class->shown = hes_security_page_shown;

  g_type_ensure (HES_TYPE_QR_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/pages/security/hes-security-page.ui");
  BIND (error_label);
  BIND (status_label);
  BIND (view_stack);
  BIND (keys_list);
  BIND (totp_row);
  BIND (yubico_row);
  BIND (key_row);
  BIND (passwordless_row);
  BIND (qr_view);
  BIND (secret_label);
  BIND (totp_name_row);
  BIND (totp_code_row);
  BIND (totp_password_row);
  BIND (yubico_id_row);
  BIND (yubico_key_row);
  BIND (yubico_name_row);
  BIND (yubico_otp_row);
  BIND (yubico_password_row);
  BIND (key_group);
  BIND (key_name_row);
  BIND (key_password_row);
  BIND (prompt_box);
  BIND (prompt_spinner);
  BIND (prompt_label);
  BIND (pin_group);
  BIND (pin_row);
  BIND (new_pin_group);
  BIND (new_pin_row);
  BIND (confirm_pin_row);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_method_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_prompt_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_set_pin_clicked_cb);
}

static void
hes_security_page_init (HesSecurityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::applying", G_CALLBACK (on_applying_changed_cb), NULL);
  self->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_factor_free);
  self->view = VIEW_OVERVIEW;
  _hes_security_page_populate_keys (self);
  set_view (self, VIEW_OVERVIEW);
}

HesPage *
hes_security_page_new (HesSession *session)
{
  return g_object_new (HES_TYPE_SECURITY_PAGE, "session", session, NULL);
}

GPtrArray *
hes_security_task_new_pages (HesSession *session)
{
  GPtrArray *pages = g_ptr_array_new ();

  g_ptr_array_add (pages, hes_security_page_new (session));
  return pages;
}
