/* hes-move-domain-mailboxes.c: step 1 of a domain move: the mailboxes, typed or imported from
 * a CSV file, checked line by line, then created (passwords typed or made up). */
#define G_LOG_DOMAIN "hes-move-domain-mailboxes"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-migration-fields.h"
#include "hes-move-domain-page-private.h"

static const char *
status_sentence (const HesBatchLine *line)
{
  switch (line->status) {
  case HES_BATCH_LINE_NEW:
    return _("Not checked yet.");
  case HES_BATCH_LINE_VALID:
    return _("Ready to create.");
  case HES_BATCH_LINE_EXISTS:
    return _("Already exists: kept as it is.");
  case HES_BATCH_LINE_CREATED:
    return _("Created.");
  case HES_BATCH_LINE_INVALID:
  case HES_BATCH_LINE_FAILED:
  default:
    return line->message != NULL ? line->message : _("This line cannot be used.");
  }
}

static const char *
status_icon (const HesBatchLine *line)
{
  switch (line->status) {
  case HES_BATCH_LINE_VALID:
  case HES_BATCH_LINE_NEW:
    return "object-select-symbolic";
  case HES_BATCH_LINE_EXISTS:
  case HES_BATCH_LINE_CREATED:
    return "emblem-ok-symbolic";
  case HES_BATCH_LINE_INVALID:
  case HES_BATCH_LINE_FAILED:
  default:
    return "dialog-error-symbolic";
  }
}

static void
on_copy_clicked_cb (GtkButton  *button,
                    const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static void
free_password (gpointer  data,
               GClosure *closure)
{
  /* A password is wiped, not only freed. */
  memset (data, 0, strlen (data));
  g_free (data);
}

/* A made-up password is shown once, after creation, with a copy button: the customer must
 * pass it on. It is not kept anywhere else. */
static void
add_password (GtkWidget          *row,
              const HesBatchLine *line)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: %s is an e-mail address. */
  g_autofree char *label = g_strdup_printf (_("Copy the password of %s"), line->address);
  /* Translators: %s is a password the app made up. */
  g_autofree char *subtitle = g_strdup_printf (_("Created. Its password: %s"), line->password);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_copy_clicked_cb),
                         g_strdup (line->password), free_password, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static void
show_lines (HesMoveDomainPage *self)
{
  GPtrArray *lines = self->batch ? hes_mailbox_batch_get_lines (self->batch) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->lines_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->lines_list), child);
  gtk_widget_set_visible (self->lines_group, lines != NULL && lines->len > 0);
  for (guint i = 0; lines != NULL && i < lines->len; i++) {
    HesBatchLine *line = g_ptr_array_index (lines, i);
    /* Translators: %1$u is a line number, %2$s what was read on it. */
    g_autofree char *title = g_strdup_printf (_("Line %1$u: %2$s"), line->line_number,
                                              line->address ? line->address : "");
    GtkWidget *row = _hes_move_domain_row_new (title, status_sentence (line), status_icon (line));

    gtk_widget_set_name (row, line->address ? line->address : "");
    if (line->status == HES_BATCH_LINE_CREATED && line->generated && line->password != NULL)
      add_password (row, line);
    gtk_list_box_append (GTK_LIST_BOX (self->lines_list), row);
  }
}

static void
set_status (HesMoveDomainPage *self,
            const char        *text)
{
  gtk_label_set_text (GTK_LABEL (self->lines_status), text ? text : "");
  gtk_widget_set_visible (self->lines_status, text != NULL);
}

static char *
typed_text (HesMoveDomainPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->lines_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The batch of the current domain with what is typed now; NULL (and the reason shown) when
 * nothing can be read. */
static HesMailboxBatch *
prepare_batch (HesMoveDomainPage *self)
{
  g_autofree char *text = typed_text (self);
  g_autoptr(GError) error = NULL;

  if (self->batch == NULL)
    self->batch = hes_mailbox_batch_new (_hes_migration_get_client (HES_PAGE (self)),
                                         hes_domain_migration_get_domain (self->migration));
  if (!hes_mailbox_batch_set_text (self->batch, text, -1, &error)) {
    _hes_move_domain_page_show_error (self, error);
    show_lines (self);
    return NULL;
  }
  return self->batch;
}

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean valid;

  valid = hes_mailbox_batch_validate_finish (HES_MAILBOX_BATCH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  show_lines (self);
  _hes_move_domain_page_show_error (self, error);
  if (valid)
    set_status (self, _("Every line is right: you can create the mailboxes."));
}

static void
domain_check_lines (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  set_status (self, NULL);
  _hes_move_domain_page_show_error (self, NULL);
  if (prepare_batch (self) == NULL)
    return;
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_mailbox_batch_validate_async (self->batch, self->cancellable, on_checked_cb,
                                    g_object_ref (self));
}

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_domain_migration_verify_mailboxes_finish (HES_DOMAIN_MIGRATION (object), result,
                                                     &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    _hes_move_domain_page_set_busy (self, FALSE);
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_set_busy (self, FALSE);
  /* Made-up passwords stay in view until the customer has copied them: Back leads on. */
  if (self->batch != NULL && hes_mailbox_batch_count (self->batch, HES_BATCH_LINE_CREATED) > 0)
    return;
  _hes_move_domain_page_step_done (self);
}

/* Every mailbox of the list exists now: the step can be checked on the server. */
static void
record_mailboxes (HesMoveDomainPage *self)
{
  GPtrArray *lines = hes_mailbox_batch_get_lines (self->batch);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < lines->len; i++) {
    HesBatchLine *line = g_ptr_array_index (lines, i);

    if (line->address != NULL)
      g_ptr_array_add (addresses, line->address);
  }
  g_ptr_array_add (addresses, NULL);
  if (!hes_domain_migration_set_mailboxes (self->migration,
                                           (const char * const *) addresses->pdata, &error)) {
    _hes_move_domain_page_set_busy (self, FALSE);
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  hes_domain_migration_verify_mailboxes_async (self->migration,
                                               _hes_migration_get_client (HES_PAGE (self)),
                                               self->cancellable, on_verified_cb,
                                               g_object_ref (self));
}

static void
on_created_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_mailbox_batch_run_finish (HES_MAILBOX_BATCH (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    _hes_move_domain_page_set_busy (self, FALSE);
    show_lines (self);
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  show_lines (self);
  if (hes_mailbox_batch_count (self->batch, HES_BATCH_LINE_CREATED) > 0)
    set_status (self, _("The mailboxes are created. Copy the passwords that were made up now: "
                        "they are not shown again. Then go back to the steps."));
  record_mailboxes (self);
}

static void
domain_create_mailboxes (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  set_status (self, NULL);
  _hes_move_domain_page_show_error (self, NULL);
  if (prepare_batch (self) == NULL)
    return;
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_mailbox_batch_run_async (self->batch, self->cancellable, on_created_cb, g_object_ref (self));
}

/* A spreadsheet may be saved in Windows-1252: the text view needs UTF-8. */
static void
on_file_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *converted = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error)) {
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  if (!g_utf8_validate (contents, length, NULL))
    converted = g_convert (contents, length, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
  /* Not Windows-1252 either: what cannot be read shows as such, and the check says where. */
  if (!g_utf8_validate (contents, length, NULL) && converted == NULL)
    converted = g_utf8_make_valid (contents, length);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->lines_view)),
                            converted ? converted : contents, converted ? -1 : (int) length);
  domain_check_lines (GTK_WIDGET (self), NULL, NULL);
}

void
hes_move_domain_page_import_file (HesMoveDomainPage *self,
                                  GFile             *file)
{
  g_return_if_fail (HES_IS_MOVE_DOMAIN_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, self->cancellable, on_file_loaded_cb, g_object_ref (self));
}

static void
on_file_chosen_cb (GtkNativeDialog   *dialog,
                   int                response,
                   HesMoveDomainPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    hes_move_domain_page_import_file (self, file);
}

static void
domain_import_csv (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->file_chooser == NULL) {
    self->file_chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (
      _("Import the Mailboxes"), GTK_WINDOW (gtk_widget_get_root (widget)),
      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel")));
    gtk_file_filter_set_name (filter, _("Spreadsheets saved as CSV"));
    gtk_file_filter_add_suffix (filter, "csv");
    gtk_file_filter_add_mime_type (filter, "text/csv");
    gtk_file_filter_add_mime_type (filter, "text/plain");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), filter);
    gtk_native_dialog_set_modal (self->file_chooser, TRUE);
    g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (on_file_chosen_cb),
                             self, 0);
  }
  gtk_native_dialog_show (self->file_chooser);
}

void
_hes_move_domain_mailboxes_reset (HesMoveDomainPage *self)
{
  set_status (self, NULL);
  show_lines (self);
}

void
_hes_move_domain_mailboxes_dispose (HesMoveDomainPage *self)
{
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
}

void
_hes_move_domain_mailboxes_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "domain.import-csv", NULL, domain_import_csv);
  gtk_widget_class_install_action (widget_class, "domain.check-lines", NULL, domain_check_lines);
  gtk_widget_class_install_action (widget_class, "domain.create-mailboxes", NULL,
                                   domain_create_mailboxes);
}

void
_hes_move_domain_mailboxes_init (HesMoveDomainPage *self)
{
  gtk_widget_set_visible (self->lines_group, FALSE);
}
