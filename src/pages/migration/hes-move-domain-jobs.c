/* hes-move-domain-jobs.c: step 2 of a domain move: one sync job per mailbox from the same old
 * server, each simulated first, then live; the jobs stay on until step 6. */
#define G_LOG_DOMAIN "hes-move-domain-jobs"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-imap-presets.h"
#include "hes-migration-fields.h"
#include "hes-move-domain-page-private.h"
#include "hes-sync-job-words.h"

typedef struct {
  GtkWidget *expander;
  GtkWidget *user_row;
  GtkWidget *password_row;
  GtkWidget *simulate_button;
  GtkWidget *live_button;
} JobRow;

static void schedule_refresh (HesMoveDomainPage *self);

static const HesImapPreset *
source_preset (HesMoveDomainPage *self)
{
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->source_provider_row));

  return selected < n_presets ? &presets[selected] : NULL;
}

static void
on_source_provider_changed_cb (HesMoveDomainPage *self)
{
  gboolean custom = source_preset (self) == NULL;

  gtk_widget_set_visible (self->source_host_row, custom);
  gtk_widget_set_visible (self->source_port_row, custom);
  gtk_widget_set_visible (self->source_security_row, custom);
}

static const HesSyncJob *
find_job (HesMoveDomainPage *self,
          const char        *mailbox)
{
  for (guint i = 0; self->jobs != NULL && i < self->jobs->len; i++) {
    HesSyncJob *job = g_ptr_array_index (self->jobs, i);

    if (g_strcmp0 (job->mailbox, mailbox) == 0
        && job->id == hes_domain_migration_get_job_id (self->migration, mailbox))
      return job;
  }
  return NULL;
}

static char *
phase_sentence (HesMoveDomainPage *self,
                const char        *mailbox)
{
  const HesSyncJob *job = find_job (self, mailbox);
  g_autofree char *state = job ? _hes_sync_job_describe_state (job) : NULL;
  const char *phase;

  switch (hes_domain_migration_get_job_phase (self->migration, mailbox)) {
  case HES_MIGRATION_JOB_NONE:
    if (hes_domain_migration_job_removed_outside (self->migration, mailbox))
      return g_strdup (_("Removed on the server, outside this app: type the password at the "
                         "old provider, then simulate again."));
    return g_strdup (_("Not started: type the password at the old provider, then simulate."));
  case HES_MIGRATION_JOB_SIMULATING:
    phase = _("Simulation.");
    break;
  case HES_MIGRATION_JOB_SIMULATED:
    return g_strdup (_("The simulation worked: start the real move."));
  case HES_MIGRATION_JOB_LIVE:
    phase = _("Real move, left on until the last step.");
    break;
  case HES_MIGRATION_JOB_REMOVED:
  default:
    return g_strdup (_("Removed."));
  }
  return state ? g_strdup_printf ("%s %s", phase, state) : g_strdup (phase);
}

static void
update_rows (HesMoveDomainPage *self)
{
  GHashTableIter iter;
  const char *mailbox;
  JobRow *row;

  g_hash_table_iter_init (&iter, self->job_rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &mailbox, (gpointer *) &row)) {
    HesMigrationJobPhase phase = hes_domain_migration_get_job_phase (self->migration, mailbox);
    const HesSyncJob *job = find_job (self, mailbox);
    gboolean running = job != NULL && (job->state == HES_SYNC_JOB_WAITING
                                       || job->state == HES_SYNC_JOB_RUNNING);
    g_autofree char *sentence = phase_sentence (self, mailbox);

    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), sentence);
    gtk_widget_set_visible (row->simulate_button,
                            phase == HES_MIGRATION_JOB_NONE
                            || (phase == HES_MIGRATION_JOB_SIMULATING && !running));
    gtk_widget_set_visible (row->live_button, phase == HES_MIGRATION_JOB_SIMULATED);
  }
}

static void
on_refreshed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;

  jobs = hes_domain_migration_refresh_jobs_finish (HES_DOMAIN_MIGRATION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (jobs == NULL) {
    _hes_move_domain_page_show_error (self, error);
  } else {
    g_autoptr(GString) seen = g_string_new (NULL);

    for (guint i = 0; i < jobs->len; i++) {
      HesSyncJob *job = g_ptr_array_index (jobs, i);

      g_string_append_printf (seen, "%" G_GINT64_FORMAT ":%d:%s;", job->id, job->state,
                              job->last_run ? job->last_run : "");
    }
    /* Nothing moved since the last look: look less often (up to 24 times the interval). */
    if (g_strcmp0 (seen->str, self->jobs_seen) == 0)
      self->jobs_poll_factor = MIN (MAX (self->jobs_poll_factor, 1) * 2, 24);
    else
      self->jobs_poll_factor = 1;
    g_free (self->jobs_seen);
    self->jobs_seen = g_string_free (g_steal_pointer (&seen), FALSE);
    g_clear_pointer (&self->jobs, g_ptr_array_unref);
    self->jobs = jobs;
  }
  if (self->job_rows != NULL)
    update_rows (self);
  schedule_refresh (self);
}

static void
refresh (HesMoveDomainPage *self)
{
  if (self->migration == NULL)
    return;
  hes_domain_migration_refresh_jobs_async (self->migration,
                                           _hes_move_domain_page_get_manager (self),
                                           self->cancellable, on_refreshed_cb,
                                           g_object_ref (self));
}

static gboolean
on_poll_cb (gpointer data)
{
  HesMoveDomainPage *self = data;

  self->poll_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Jobs are read again while the step is in view. */
static void
schedule_refresh (HesMoveDomainPage *self)
{
  if (self->poll_id == 0 && g_strcmp0 (hes_move_domain_page_get_view (self), "jobs") == 0)
    self->poll_id = g_timeout_add (_hes_move_domain_page_poll_ms ()
                                   * MAX (self->jobs_poll_factor, 1), on_poll_cb, self);
}

void
_hes_move_domain_jobs_stop (HesMoveDomainPage *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
}

static GtkWidget *
row_button (const char *label,
            const char *action,
            const char *mailbox,
            gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", mailbox);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static JobRow *
job_row_new (const char *mailbox)
{
  JobRow *row = g_new0 (JobRow, 1);
  GtkWidget *buttons = adw_action_row_new ();
  /* Translators: %s is an e-mail address. */
  g_autofree char *password_title = g_strdup_printf (_("Password of %s at the old provider"),
                                                     mailbox);
  g_autofree char *password_name = g_strconcat ("password:", mailbox, NULL);
  g_autofree char *simulate_name = g_strconcat ("simulate:", mailbox, NULL);
  g_autofree char *live_name = g_strconcat ("live:", mailbox, NULL);

  row->expander = adw_expander_row_new ();
  gtk_widget_set_name (row->expander, mailbox);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->expander), mailbox);
  row->user_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->user_row),
                                 _("Account at the old provider"));
  gtk_editable_set_text (GTK_EDITABLE (row->user_row), mailbox);
  row->password_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->password_row), password_title);
  row->simulate_button = row_button (_("_Simulate"), "domain.simulate-job", mailbox, TRUE);
  row->live_button = row_button (_("_Start the Real Move"), "domain.live-job", mailbox, TRUE);
  gtk_widget_set_name (row->password_row, password_name);
  gtk_widget_set_name (row->simulate_button, simulate_name);
  gtk_widget_set_name (row->live_button, live_name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (buttons), row->simulate_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (buttons), row->live_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), row->user_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), row->password_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), buttons);
  return row;
}

void
_hes_move_domain_jobs_show (HesMoveDomainPage *self)
{
  const char * const *mailboxes = hes_domain_migration_get_mailboxes (self->migration);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->jobs_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->jobs_list), child);
  self->jobs_poll_factor = 1;
  g_clear_pointer (&self->job_rows, g_hash_table_unref);
  self->job_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; mailboxes != NULL && mailboxes[i] != NULL; i++) {
    JobRow *row = job_row_new (mailboxes[i]);

    gtk_list_box_append (GTK_LIST_BOX (self->jobs_list), row->expander);
    g_hash_table_insert (self->job_rows, g_strdup (mailboxes[i]), row);
  }
  update_rows (self);
  refresh (self);
}

static HesSyncJobSpec *
build_spec (HesMoveDomainPage *self,
            const char        *mailbox,
            JobRow            *row,
            const char       **reason)
{
  const HesImapPreset *preset = source_preset (self);
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->source_host_row))));
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (row->user_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (row->password_row));
  guint port = preset ? preset->port : 0;
  AdwComboRow *security_row = ADW_COMBO_ROW (self->source_security_row);
  HesImapSecurity security = preset ? preset->security
                                    : adw_combo_row_get_selected (security_row);
  HesSyncJobSpec *spec;

  if ((*reason = preset ? NULL : _hes_migration_check_host (host)) != NULL
      || (*reason = preset ? NULL : _hes_migration_check_port (
            gtk_editable_get_text (GTK_EDITABLE (self->source_port_row)), &port)) != NULL
      || (*reason = _hes_migration_check_account (user)) != NULL)
    return NULL;
  if (*password == '\0') {
    *reason = _("Type the password of this account at your old provider.");
    return NULL;
  }
  spec = hes_sync_job_spec_new (mailbox, preset ? preset->host : host, user, password);
  spec->port = port;
  spec->security = security == HES_IMAP_SECURITY_SSL ? HES_SYNC_SECURITY_SSL
                                                     : HES_SYNC_SECURITY_STARTTLS;
  return spec;
}

static void
on_started_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = NULL;

  job = hes_domain_migration_start_sync_job_finish (HES_DOMAIN_MIGRATION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  _hes_move_domain_page_show_error (self, error);
  _hes_move_domain_jobs_stop (self);
  refresh (self);
}

static void
domain_simulate_job (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);
  const char *mailbox = g_variant_get_string (parameter, NULL);
  JobRow *row = self->job_rows ? g_hash_table_lookup (self->job_rows, mailbox) : NULL;
  g_autoptr(HesSyncJobSpec) spec = NULL;
  const char *reason = NULL;

  if (row == NULL)
    return;
  spec = build_spec (self, mailbox, row, &reason);
  if (spec == NULL) {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, reason);

    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_show_error (self, NULL);
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_start_sync_job_async (self->migration,
                                             _hes_move_domain_page_get_manager (self), spec,
                                             self->cancellable, on_started_cb,
                                             g_object_ref (self));
}

static void
on_live_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  hes_domain_migration_go_live_finish (HES_DOMAIN_MIGRATION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  _hes_move_domain_page_show_error (self, error);
  _hes_move_domain_jobs_stop (self);
  refresh (self);
}

static void
domain_live_job (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_show_error (self, NULL);
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_go_live_async (self->migration, _hes_move_domain_page_get_manager (self),
                                      g_variant_get_string (parameter, NULL), self->cancellable,
                                      on_live_cb, g_object_ref (self));
}

static void
on_completed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_domain_migration_complete_sync_jobs_finish (HES_DOMAIN_MIGRATION (object), result,
                                                       &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    _hes_move_domain_page_set_busy (self, FALSE);
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  _hes_move_domain_page_set_busy (self, FALSE);
  _hes_move_domain_page_step_done (self);
}

static void
domain_complete_jobs (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);

  _hes_move_domain_page_show_error (self, NULL);
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_complete_sync_jobs_async (self->migration,
                                                 _hes_move_domain_page_get_manager (self),
                                                 self->cancellable, on_completed_cb,
                                                 g_object_ref (self));
}

void
_hes_move_domain_jobs_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_source_provider_changed_cb);
  gtk_widget_class_install_action (widget_class, "domain.simulate-job", "s", domain_simulate_job);
  gtk_widget_class_install_action (widget_class, "domain.live-job", "s", domain_live_job);
  gtk_widget_class_install_action (widget_class, "domain.complete-jobs", NULL,
                                   domain_complete_jobs);
}

void
_hes_move_domain_jobs_init (HesMoveDomainPage *self)
{
  gsize n_presets;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  for (gsize i = 0; i < n_presets; i++)
    gtk_string_list_append (self->source_provider_model, presets[i].name);
  gtk_string_list_append (self->source_provider_model, _("Another provider (type its server)"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->source_provider_row), n_presets);
  gtk_editable_set_text (GTK_EDITABLE (self->source_port_row), "993");
  on_source_provider_changed_cb (self);
}
