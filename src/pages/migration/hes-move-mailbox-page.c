/* hes-move-mailbox-page.c: the new mailbox and the old provider's account, then the
 * connection test. */
#define G_LOG_DOMAIN "hes-move-mailbox-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-imap-presets.h"
#include "hes-imap-probe.h"
#include "hes-migration-fields.h"
#include "hes-move-mailbox-page.h"

struct _HesMoveMailboxPage
{
  HesPage parent_instance;

  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkWidget *target_row;
  GtkStringList *target_model;
  GtkWidget *provider_row;
  GtkStringList *provider_model;
  GtkWidget *note_row;
  GtkWidget *note_label;
  GtkWidget *host_row;
  GtkWidget *host_error_row;
  GtkWidget *host_error;
  GtkWidget *port_row;
  GtkWidget *port_error_row;
  GtkWidget *port_error;
  GtkWidget *security_row;
  GtkWidget *user_row;
  GtkWidget *user_error_row;
  GtkWidget *user_error;
  GtkWidget *password_row;
  GtkWidget *password_error_row;
  GtkWidget *password_error;
  GtkWidget *interval_row;
  GtkWidget *interval_error_row;
  GtkWidget *interval_error;
  GtkWidget *status_box;
  GtkWidget *status_spinner;
  GtkWidget *status_label;

  HesMoveJobPage *job_page;  /* weak: the assistant owns both pages */
  HesImapProbe *probe;
  GCancellable *mailboxes_cancellable;
  gboolean mailboxes_loaded;
  gboolean provider_chosen;  /* by the customer: the address no longer picks it */
  guint filling;             /* > 0 while the page itself changes fields */
  guint touched;             /* bit per field the customer has typed in */
};

G_DEFINE_FINAL_TYPE (HesMoveMailboxPage, hes_move_mailbox_page, HES_TYPE_PAGE)

enum { FIELD_HOST = 1, FIELD_PORT = 2, FIELD_USER = 4, FIELD_PASSWORD = 8, FIELD_INTERVAL = 16 };

static const char *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static char *
stripped (GtkWidget *editable)
{
  return g_strstrip (g_strdup (text_of (editable)));
}

/* The preset chosen, or NULL for "another provider" (the last item). */
static const HesImapPreset *
chosen_preset (HesMoveMailboxPage *self)
{
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->provider_row));

  return selected < n_presets ? &presets[selected] : NULL;
}

static guint
minimum_interval (HesMoveMailboxPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));

  return session ? hes_provider_profile_get_minimum_sync_interval (
                     hes_session_get_profile (session)) : 20;
}

static void
show_error (HesMoveMailboxPage *self,
            const char         *message)
{
  if (message != NULL)
    gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

/* Checks every field; shows the reason next to those the customer has typed in. */
static gboolean
validate (HesMoveMailboxPage *self)
{
  g_autofree char *host = stripped (self->host_row);
  g_autofree char *port = stripped (self->port_row);
  g_autofree char *user = stripped (self->user_row);
  g_autofree char *interval = stripped (self->interval_row);
  g_autofree char *interval_reason = NULL;
  const char *host_reason = NULL, *port_reason = NULL, *user_reason, *password_reason = NULL;
  gboolean custom = chosen_preset (self) == NULL;

  if (custom) {
    host_reason = _hes_migration_check_host (host);
    port_reason = _hes_migration_check_port (port, NULL);
  }
  user_reason = _hes_migration_check_account (user);
  if (text_of (self->password_row)[0] == '\0')
    password_reason = _("Type the password of this account at your old provider.");
  interval_reason = _hes_migration_check_interval (interval, minimum_interval (self), NULL);

#define SHOW(field, bit, reason) \
  _hes_migration_set_field_error (self->field##_row, self->field##_error_row, \
                                  self->field##_error, \
                                  (self->touched & (bit)) ? (reason) : NULL)
  SHOW (host, FIELD_HOST, host_reason);
  SHOW (port, FIELD_PORT, port_reason);
  SHOW (user, FIELD_USER, user_reason);
  SHOW (password, FIELD_PASSWORD, password_reason);
  SHOW (interval, FIELD_INTERVAL, interval_reason);
#undef SHOW

  return self->mailboxes_loaded
         && adw_combo_row_get_selected (ADW_COMBO_ROW (self->target_row))
              != GTK_INVALID_LIST_POSITION
         && host_reason == NULL && port_reason == NULL && user_reason == NULL
         && password_reason == NULL && interval_reason == NULL;
}

static void
update_complete (HesMoveMailboxPage *self)
{
  hes_page_set_complete (HES_PAGE (self), validate (self));
}

static guint
field_bit (HesMoveMailboxPage *self,
           GtkWidget          *field)
{
  if (field == self->host_row)
    return FIELD_HOST;
  if (field == self->port_row)
    return FIELD_PORT;
  if (field == self->user_row)
    return FIELD_USER;
  if (field == self->password_row)
    return FIELD_PASSWORD;
  if (field == self->interval_row)
    return FIELD_INTERVAL;
  return 0;
}

static void
guess_provider (HesMoveMailboxPage *self)
{
  g_autofree char *user = stripped (self->user_row);
  const HesImapPreset *guess = hes_imap_preset_guess (user);
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  if (self->provider_chosen || guess == NULL || guess == chosen_preset (self))
    return;
  self->filling++;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->provider_row), (guint) (guess - presets));
  self->filling--;
}

/* A server typed by hand that is a known provider's: that provider is chosen, so that the form
 * never shows "Another provider" with a known provider's server. */
static void
select_preset_of_host (HesMoveMailboxPage *self)
{
  g_autofree char *host = stripped (self->host_row);
  const HesImapPreset *preset = hes_imap_preset_find_by_host (host);
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  if (preset == NULL)
    return;
  self->provider_chosen = TRUE;
  self->filling++;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->provider_row), (guint) (preset - presets));
  self->filling--;
}

static void
on_field_changed_cb (HesMoveMailboxPage *self,
                     GObject            *field)
{
  if (!self->filling && GTK_IS_WIDGET (field))
    self->touched |= field_bit (self, GTK_WIDGET (field));
  if ((GtkWidget *) field == self->user_row)
    guess_provider (self);
  if ((GtkWidget *) field == self->host_row && !self->filling && chosen_preset (self) == NULL)
    select_preset_of_host (self);
  show_error (self, NULL);
  update_complete (self);
}

static void
on_target_changed_cb (HesMoveMailboxPage *self)
{
  update_complete (self);
}

static void
set_text (HesMoveMailboxPage *self,
          GtkWidget          *field,
          const char         *text)
{
  self->filling++;
  gtk_editable_set_text (GTK_EDITABLE (field), text);
  self->filling--;
}

static void
on_provider_changed_cb (HesMoveMailboxPage *self)
{
  const HesImapPreset *preset = chosen_preset (self);
  const char *note = preset != NULL ? hes_imap_preset_get_note (preset) : NULL;
  gboolean custom = preset == NULL;

  if (!self->filling)
    self->provider_chosen = TRUE;
  if (custom && !self->filling) {
    g_autofree char *host = stripped (self->host_row);

    /* "Another provider" is another server than the one of the provider left. */
    if (hes_imap_preset_find_by_host (host) != NULL)
      set_text (self, self->host_row, "");
  }

  gtk_widget_set_visible (self->note_row, note != NULL);
  gtk_label_set_text (GTK_LABEL (self->note_label), note ? note : "");
  gtk_widget_set_visible (self->host_row, custom);
  gtk_widget_set_visible (self->port_row, custom);
  gtk_widget_set_visible (self->security_row, custom);
  if (preset != NULL) {
    g_autofree char *port = g_strdup_printf ("%u", preset->port);

    set_text (self, self->host_row, preset->host);
    set_text (self, self->port_row, port);
    self->filling++;
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->security_row), preset->security);
    self->filling--;
  }
  update_complete (self);
}

static void
on_security_changed_cb (HesMoveMailboxPage *self)
{
  HesImapSecurity security = adw_combo_row_get_selected (ADW_COMBO_ROW (self->security_row));
  HesImapSecurity other = security == HES_IMAP_SECURITY_SSL ? HES_IMAP_SECURITY_STARTTLS
                                                            : HES_IMAP_SECURITY_SSL;
  g_autofree char *other_port = g_strdup_printf ("%u", hes_imap_security_default_port (other));
  g_autofree char *port = g_strdup_printf ("%u", hes_imap_security_default_port (security));

  /* The usual port follows the usual encryption, unless the customer typed another one. */
  if (!self->filling && g_str_equal (text_of (self->port_row), other_port))
    set_text (self, self->port_row, port);
  update_complete (self);
}

static void
fill_providers (HesMoveMailboxPage *self)
{
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  /* Filling the list selects its first item: that is not the customer's choice. */
  self->filling++;
  for (gsize i = 0; i < n_presets; i++)
    gtk_string_list_append (self->provider_model, presets[i].name);
  gtk_string_list_append (self->provider_model, _("Another provider (type its server)"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->provider_row), n_presets);
  on_provider_changed_cb (self);
  self->filling--;
}

static void
on_mailboxes_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesMoveMailboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;

  mailboxes = hes_mailcow_client_list_mailboxes_finish (HES_MAILCOW_CLIENT (object), result,
                                                        &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Coming back to the page tries again after a failure. */
  g_clear_object (&self->mailboxes_cancellable);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->target_row), "");
  if (mailboxes == NULL) {
    show_error (self, error->message);
    return;
  }
  if (mailboxes->len == 0) {
    show_error (self, _("This account has no mailbox yet: create the new mailbox first."));
    return;
  }
  for (guint i = 0; i < mailboxes->len; i++) {
    HesMailcowMailbox *mailbox = g_ptr_array_index (mailboxes, i);

    gtk_string_list_append (self->target_model, mailbox->username);
  }
  self->mailboxes_loaded = TRUE;
  gtk_widget_set_sensitive (self->target_row, mailboxes->len > 1);
  update_complete (self);
}

static void
hes_move_mailbox_page_shown (HesPage *page)
{
  HesMoveMailboxPage *self = HES_MOVE_MAILBOX_PAGE (page);
  HesMailcowClient *client = _hes_migration_get_client (page);

  if (self->mailboxes_loaded || self->mailboxes_cancellable != NULL || client == NULL)
    return;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->target_row), _("Loading your mailboxes…"));
  self->mailboxes_cancellable = g_cancellable_new ();
  hes_mailcow_client_list_mailboxes_async (client, NULL, self->mailboxes_cancellable,
                                           on_mailboxes_cb, g_object_ref (self));
}

static const char *
step_sentence (HesImapProbeStep step)
{
  switch (step) {
  case HES_IMAP_PROBE_STEP_CONNECTING:
    return _("Connecting to your old provider’s server…");
  case HES_IMAP_PROBE_STEP_SECURING:
    return _("Securing the connection…");
  case HES_IMAP_PROBE_STEP_SIGNING_IN:
    return _("Signing in to your old account…");
  case HES_IMAP_PROBE_STEP_COUNTING:
    return _("Counting your folders and messages…");
  case HES_IMAP_PROBE_STEP_IDLE:
  default:
    return NULL;
  }
}

static void
show_status (HesMoveMailboxPage *self,
             const char         *sentence)
{
  gtk_widget_set_visible (self->status_box, sentence != NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->status_spinner), sentence != NULL);
  gtk_label_set_text (GTK_LABEL (self->status_label), sentence ? sentence : "");
}

static void
on_probe_step_cb (HesMoveMailboxPage *self,
                  GParamSpec         *pspec,
                  HesImapProbe       *probe)
{
  show_status (self, step_sentence (hes_imap_probe_get_step (probe)));
}

static HesSyncJobSpec *
build_spec (HesMoveMailboxPage *self)
{
  const HesImapPreset *preset = chosen_preset (self);
  GtkStringObject *target = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->target_row));
  g_autofree char *host = stripped (self->host_row);
  g_autofree char *port = stripped (self->port_row);
  g_autofree char *user = stripped (self->user_row);
  g_autofree char *interval = stripped (self->interval_row);
  HesSyncJobSpec *spec;
  HesImapSecurity security;

  spec = hes_sync_job_spec_new (gtk_string_object_get_string (target),
                                preset ? preset->host : host, user, text_of (self->password_row));
  security = preset ? preset->security
                    : (HesImapSecurity) adw_combo_row_get_selected (
                        ADW_COMBO_ROW (self->security_row));
  spec->security = security == HES_IMAP_SECURITY_SSL ? HES_SYNC_SECURITY_SSL
                                                     : HES_SYNC_SECURITY_STARTTLS;
  if (preset != NULL)
    spec->port = preset->port;
  else
    _hes_migration_check_port (port, &spec->port);
  g_free (_hes_migration_check_interval (interval, minimum_interval (self), &spec->interval));
  return spec;
}

static GtkWidget *
field_for_error (HesMoveMailboxPage *self,
                 const GError       *error)
{
  if (error->domain != HES_IMAP_ERROR)
    return NULL;
  switch (error->code) {
  case HES_IMAP_ERROR_AUTH_FAILED:
  case HES_IMAP_ERROR_APP_PASSWORD_REQUIRED:
    return self->password_row;
  case HES_IMAP_ERROR_HOST_NOT_FOUND:
    return chosen_preset (self) == NULL ? self->host_row : NULL;
  case HES_IMAP_ERROR_REFUSED:
  case HES_IMAP_ERROR_WRONG_SECURITY:
    return chosen_preset (self) == NULL ? self->port_row : NULL;
  default:
    return NULL;
  }
}

static void
on_probe_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HesMoveMailboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesImapResult) found = NULL;
  g_autoptr(HesSyncJobSpec) spec = NULL;
  GtkWidget *field;

  found = hes_imap_probe_run_finish (HES_IMAP_PROBE (object), result, &error);
  g_signal_handlers_disconnect_by_func (object, on_probe_step_cb, self);
  g_clear_object (&self->probe);
  show_status (self, NULL);

  if (found == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      show_error (self, error->message);
      if ((field = field_for_error (self, error)) != NULL)
        gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                                     GTK_ACCESSIBLE_INVALID_TRUE, -1);
      if (field != NULL)
        gtk_widget_add_css_class (field, "error");
    }
    hes_page_apply_complete (HES_PAGE (self), FALSE);
    return;
  }

  spec = build_spec (self);
  if (self->job_page != NULL)
    hes_move_job_page_set_source (self->job_page, spec, found);
  hes_page_apply_complete (HES_PAGE (self), TRUE);
}

static gboolean
hes_move_mailbox_page_apply (HesPage      *page,
                             GCancellable *cancellable)
{
  HesMoveMailboxPage *self = HES_MOVE_MAILBOX_PAGE (page);
  g_autoptr(HesSyncJobSpec) spec = build_spec (self);

  show_error (self, NULL);
  gtk_widget_remove_css_class (self->password_row, "error");
  g_clear_object (&self->probe);
  self->probe = hes_imap_probe_new (spec->host, spec->port,
                                    spec->security == HES_SYNC_SECURITY_SSL
                                      ? HES_IMAP_SECURITY_SSL : HES_IMAP_SECURITY_STARTTLS,
                                    spec->user);
  g_signal_connect_object (self->probe, "notify::step", G_CALLBACK (on_probe_step_cb), self,
                           G_CONNECT_SWAPPED);
  hes_imap_probe_run_async (self->probe, spec->password, cancellable, on_probe_done_cb,
                            g_object_ref (self));
  return TRUE;
}

static void
hes_move_mailbox_page_dispose (GObject *object)
{
  HesMoveMailboxPage *self = HES_MOVE_MAILBOX_PAGE (object);

  g_cancellable_cancel (self->mailboxes_cancellable);
  g_clear_object (&self->mailboxes_cancellable);
  g_clear_object (&self->probe);
  g_clear_weak_pointer (&self->job_page);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_MOVE_MAILBOX_PAGE);

  G_OBJECT_CLASS (hes_move_mailbox_page_parent_class)->dispose (object);
}

static void
hes_move_mailbox_page_class_init (HesMoveMailboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_move_mailbox_page_dispose;
  page_class->apply = hes_move_mailbox_page_apply;
  page_class->shown = hes_move_mailbox_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, HES_MIGRATION_RESOURCE_PREFIX
                                               "/hes-move-mailbox-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HesMoveMailboxPage, name)
  BIND (error_revealer);
  BIND (error_label);
  BIND (target_row);
  BIND (target_model);
  BIND (provider_row);
  BIND (provider_model);
  BIND (note_row);
  BIND (note_label);
  BIND (host_row);
  BIND (host_error_row);
  BIND (host_error);
  BIND (port_row);
  BIND (port_error_row);
  BIND (port_error);
  BIND (security_row);
  BIND (user_row);
  BIND (user_error_row);
  BIND (user_error);
  BIND (password_row);
  BIND (password_error_row);
  BIND (password_error);
  BIND (interval_row);
  BIND (interval_error_row);
  BIND (interval_error);
  BIND (status_box);
  BIND (status_spinner);
  BIND (status_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_target_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_provider_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, _hes_migration_activate_next);
}

static void
hes_move_mailbox_page_init (HesMoveMailboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HesPage *
hes_move_mailbox_page_new (HesSession     *session,
                           HesMoveJobPage *job_page)
{
  HesMoveMailboxPage *self = g_object_new (HES_TYPE_MOVE_MAILBOX_PAGE, "session", session, NULL);
  g_autofree char *interval = NULL;

  g_set_weak_pointer (&self->job_page, job_page);
  fill_providers (self);
  interval = g_strdup_printf ("%u", session ? hes_provider_profile_get_default_sync_interval (
                                                hes_session_get_profile (session)) : 20);
  set_text (self, self->interval_row, interval);
  update_complete (self);
  return HES_PAGE (self);
}
