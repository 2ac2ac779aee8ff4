/* hes-dns-records-page.c: the records a domain needs, to copy or to save. */
#define G_LOG_DOMAIN "hes-dns-records-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-dns-export.h"
#include "hes-dns-plan-source.h"
#include "hes-dns-name-check.h"
#include "hes-dns-records-page.h"
#include "hes-dns-rows.h"

struct _HesDnsRecordsPage
{
  HesPage parent_instance;

  GtkWidget *domain_row;
  GtkWidget *status_group;
  GtkWidget *spinner;
  GtkWidget *status_label;
  GtkWidget *retry_button;
  GtkWidget *dkim_group;
  GtkWidget *create_dkim_button;
  GtkWidget *records_group;
  GtkWidget *records_list;
  GtkWidget *export_group;
  GtkWidget *export_label;
  GtkWidget *forward_button;

  HesDnsContext *context;
  GCancellable *cancellable;
  char *mail_host;
  GPtrArray *domains;     /* HesMailcowDomain */
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (HesDnsRecordsPage, hes_dns_records_page, HES_TYPE_PAGE)

static void load_dkim (HesDnsRecordsPage *self);

static HesMailcowClient *
get_client (HesDnsRecordsPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));

  return session != NULL ? hes_session_get_client (session) : NULL;
}

static const char *
current_domain (HesDnsRecordsPage *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->domain_row));

  if (self->domains == NULL || selected >= self->domains->len)
    return NULL;
  return ((HesMailcowDomain *) g_ptr_array_index (self->domains, selected))->name;
}

/* Busy (@busy, a sentence), failed (an error sentence and Try Again) or quiet (NULL). */
static void
show_status (HesDnsRecordsPage *self,
             const char        *text,
             gboolean           busy)
{
  gtk_widget_set_visible (self->status_group, text != NULL);
  gtk_label_set_text (GTK_LABEL (self->status_label), text ? text : "");
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_widget_set_visible (self->retry_button, text != NULL && !busy);
  if (text != NULL && !busy) {
    gtk_widget_add_css_class (self->status_group, "hes-error-banner");
  } else {
    gtk_widget_remove_css_class (self->status_group, "hes-error-banner");
  }
}

static void
restart_cancellable (HesDnsRecordsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
clear_records (HesDnsRecordsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->records_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->records_list), child);
  gtk_widget_set_visible (self->records_group, FALSE);
  gtk_widget_set_visible (self->export_group, FALSE);
  gtk_widget_set_visible (self->dkim_group, FALSE);
  gtk_widget_set_visible (self->export_label, FALSE);
  hes_dns_context_set_plan (self->context, NULL);
  hes_page_set_complete (HES_PAGE (self), FALSE);
}

static void
show_plan (HesDnsRecordsPage *self,
           HesDnsRecordPlan  *plan,
           gboolean           has_dkim)
{
  clear_records (self);
  for (guint i = 0; i < hes_dns_record_plan_get_n_records (plan); i++)
    gtk_list_box_append (GTK_LIST_BOX (self->records_list),
                         hes_dns_record_row_new (hes_dns_record_plan_get_record (plan, i)));
  gtk_widget_set_visible (self->records_group, TRUE);
  gtk_widget_set_visible (self->export_group, TRUE);
  gtk_widget_set_visible (self->dkim_group, !has_dkim);
  hes_dns_context_set_plan (self->context, plan);
  hes_page_set_complete (HES_PAGE (self), TRUE);
  show_status (self, NULL, FALSE);
}

static void
on_plan_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HesDnsRecordsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  gboolean has_dkim = FALSE;

  plan = hes_dns_plan_source_load_finish (result, &has_dkim, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (plan == NULL) {
    show_status (self, error->message, FALSE);
    return;
  }
  show_plan (self, plan, has_dkim);
}

static gboolean
names_usable (HesDnsRecordsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *domain = hes_dns_name_check (current_domain (self), HES_DNS_NAME_USE_DOMAIN,
                                                &error);
  g_autofree char *host = NULL;

  if (domain != NULL)
    host = hes_dns_name_check (self->mail_host, HES_DNS_NAME_USE_MAIL_HOST, &error);
  if (host != NULL)
    return TRUE;
  show_status (self, error->message, FALSE);
  return FALSE;
}

static void
load_dkim (HesDnsRecordsPage *self)
{
  HesMailcowClient *client = get_client (self);

  restart_cancellable (self);
  clear_records (self);
  if (client == NULL || current_domain (self) == NULL)
    return;
  /* Names the DNS cannot hold stop here, before the server or the DNS is asked anything. */
  if (!names_usable (self))
    return;
  show_status (self, _("Loading your domain’s DKIM key…"), TRUE);
  hes_dns_plan_source_load_async (client, current_domain (self), self->mail_host,
                                  self->cancellable, on_plan_cb, g_object_ref (self));
}

static void
on_domains_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesDnsRecordsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  domains = hes_mailcow_client_list_domains_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (domains == NULL) {
    show_status (self, error->message, FALSE);
    return;
  }
  if (domains->len == 0) {
    show_status (self, _("This account has no domain to set up. Ask Hosterra to add your domain "
                         "to your account."), FALSE);
    return;
  }
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  self->domains = g_steal_pointer (&domains);
  for (guint i = 0; i < self->domains->len; i++) {
    HesMailcowDomain *d = g_ptr_array_index (self->domains, i);

    gtk_string_list_append (names, d->display_name ? d->display_name : d->name);
  }
  self->loaded = TRUE;
  /* The selection handler must not run for the list being put in place. */
  g_signal_handlers_block_matched (self->domain_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->domain_row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->domain_row), 0);
  g_signal_handlers_unblock_matched (self->domain_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_widget_set_visible (self->domain_row, self->domains->len > 1);
  load_dkim (self);
}

static void
on_mail_host_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesDnsRecordsPage) self = user_data;
  g_autofree char *host = hes_dns_plan_source_get_mail_host_finish (result, NULL);

  if (host == NULL)   /* cancelled */
    return;
  g_free (self->mail_host);
  self->mail_host = g_steal_pointer (&host);
  hes_mailcow_client_list_domains_async (HES_MAILCOW_CLIENT (source), self->cancellable,
                                         on_domains_cb, g_object_ref (self));
}

static void
load (HesDnsRecordsPage *self)
{
  HesMailcowClient *client = get_client (self);

  if (client == NULL)
    return;
  restart_cancellable (self);
  clear_records (self);
  show_status (self, _("Loading your domains…"), TRUE);
  hes_dns_plan_source_get_mail_host_async (client, self->cancellable, on_mail_host_cb,
                                           g_object_ref (self));
}

static void
on_domain_selected_cb (HesDnsRecordsPage *self)
{
  if (self->loaded)
    load_dkim (self);
}

static void
on_dkim_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HesDnsRecordsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->create_dkim_button, TRUE);
  if (!hes_mailcow_client_add_dkim_finish (HES_MAILCOW_CLIENT (source), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_status (self, error->message, FALSE);
    return;
  }
  load_dkim (self);
}

static void
records_create_dkim (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HesDnsRecordsPage *self = HES_DNS_RECORDS_PAGE (widget);
  HesMailcowClient *client = get_client (self);

  if (client == NULL || current_domain (self) == NULL)
    return;
  restart_cancellable (self);
  gtk_widget_set_sensitive (self->create_dkim_button, FALSE);
  show_status (self, _("Creating the DKIM key…"), TRUE);
  hes_mailcow_client_add_dkim_async (client, current_domain (self), self->cancellable,
                                     on_dkim_created_cb, g_object_ref (self));
}

static void
records_reload (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HesDnsRecordsPage *self = HES_DNS_RECORDS_PAGE (widget);

  if (self->loaded)
    load_dkim (self);
  else
    load (self);
}

/* Saving *************************************************************************************/

static char *
export_plan (HesDnsRecordPlan   *plan,
             HesDnsExportFormat  format)
{
  switch (format) {
  case HES_DNS_EXPORT_ZONE:
    return hes_dns_export_zone (plan);
  case HES_DNS_EXPORT_CSV:
    return hes_dns_export_csv (plan);
  case HES_DNS_EXPORT_TEXT:
  default:
    return hes_dns_export_text (plan);
  }
}

char *
hes_dns_records_page_suggest_name (HesDnsRecordsPage  *self,
                                   HesDnsExportFormat  format)
{
  static const char * const extensions[] = { "zone", "csv", "txt" };
  HesDnsRecordPlan *plan;

  g_return_val_if_fail (HES_IS_DNS_RECORDS_PAGE (self), NULL);

  plan = hes_dns_context_get_plan (self->context);
  return g_strdup_printf ("%s.%s", plan ? hes_dns_record_plan_get_domain (plan) : "dns",
                          extensions[MIN (format, G_N_ELEMENTS (extensions) - 1)]);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDnsRecordsPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error)) {
    g_debug ("Saving the records failed: %s", error->message);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      gtk_label_set_text (GTK_LABEL (self->export_label),
                          _("The file could not be saved there. Choose another folder."));
      gtk_widget_set_visible (self->export_label, TRUE);
    }
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  where = g_file_get_parse_name (G_FILE (source));
  /* Translators: %s is where the file was saved. */
  text = g_strdup_printf (_("Saved to %s."), where);
  gtk_label_set_text (GTK_LABEL (self->export_label), text);
  gtk_widget_set_visible (self->export_label, TRUE);
  g_task_return_boolean (task, TRUE);
}

void
hes_dns_records_page_save_async (HesDnsRecordsPage  *self,
                                 HesDnsExportFormat  format,
                                 GFile              *file,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  HesDnsRecordPlan *plan;
  char *text;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (HES_IS_DNS_RECORDS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_dns_records_page_save_async);
  plan = hes_dns_context_get_plan (self->context);
  if (plan == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             _("The records are not ready yet; wait a moment and try again."));
    return;
  }
  text = export_plan (plan, format);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_saved_cb, g_steal_pointer (&task));
}

gboolean
hes_dns_records_page_save_finish (HesDnsRecordsPage  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_save_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* The page already showed the outcome. */
  hes_dns_records_page_save_finish (HES_DNS_RECORDS_PAGE (source), result, NULL);
}

/* GtkFileChooserNative is the floor's way to the file chooser portal (GtkFileDialog is 4.10). */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  HesDnsRecordsPage *self = user_data;
  HesDnsExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser),
                                                                  "hes-format"));

  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

    hes_dns_records_page_save_async (self, format, file, self->cancellable, on_save_done_cb,
                                     NULL);
  }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
records_export (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HesDnsRecordsPage *self = HES_DNS_RECORDS_PAGE (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  HesDnsExportFormat format = g_str_equal (which, "zone") ? HES_DNS_EXPORT_ZONE
                              : g_str_equal (which, "csv") ? HES_DNS_EXPORT_CSV
                              : HES_DNS_EXPORT_TEXT;
  g_autofree char *name = hes_dns_records_page_suggest_name (self, format);
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save the DNS Records"),
                                         GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "hes-format", GINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

G_GNUC_END_IGNORE_DEPRECATIONS

/* The page *************************************************************************************/

static void
hes_dns_records_page_shown (HesPage *page)
{
  HesDnsRecordsPage *self = HES_DNS_RECORDS_PAGE (page);

  if (!self->loaded && hes_dns_context_get_plan (self->context) == NULL)
    load (self);
}

static void
hes_dns_records_page_dispose (GObject *object)
{
  HesDnsRecordsPage *self = HES_DNS_RECORDS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_DNS_RECORDS_PAGE);
  g_clear_object (&self->context);
  g_clear_pointer (&self->domains, g_ptr_array_unref);

  G_OBJECT_CLASS (hes_dns_records_page_parent_class)->dispose (object);
}

static void
hes_dns_records_page_finalize (GObject *object)
{
  g_free (HES_DNS_RECORDS_PAGE (object)->mail_host);

  G_OBJECT_CLASS (hes_dns_records_page_parent_class)->finalize (object);
}

static void
hes_dns_records_page_class_init (HesDnsRecordsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_dns_records_page_dispose;
  object_class->finalize = hes_dns_records_page_finalize;
  page_class->shown = hes_dns_records_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
    "/help/hosterra/EmailSetup/pages/dns/hes-dns-records-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, domain_row);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, dkim_group);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, create_dkim_button);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, records_group);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, records_list);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, export_group);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, HesDnsRecordsPage, forward_button);

  gtk_widget_class_install_action (widget_class, "dns-records.reload", NULL, records_reload);
  gtk_widget_class_install_action (widget_class, "dns-records.create-dkim", NULL,
                                   records_create_dkim);
  gtk_widget_class_install_action (widget_class, "dns-records.export", "s", records_export);
}

static void
hes_dns_records_page_init (HesDnsRecordsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hes_dns_rows_ensure_style (GTK_WIDGET (self));
  g_signal_connect_swapped (self->domain_row, "notify::selected",
                            G_CALLBACK (on_domain_selected_cb), self);
}

HesPage *
hes_dns_records_page_new (HesSession    *session,
                          HesDnsContext *context)
{
  HesDnsRecordsPage *self = g_object_new (HES_TYPE_DNS_RECORDS_PAGE, "session", session, NULL);

  self->context = g_object_ref (context);
  return HES_PAGE (self);
}
