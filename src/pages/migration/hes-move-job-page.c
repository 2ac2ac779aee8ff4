/* hes-move-job-page.c: the simulation, then the real move, of one mailbox. */
#define G_LOG_DOMAIN "hes-move-job-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-migration-error.h"
#include "hes-migration-fields.h"
#include "hes-move-job-page.h"
#include "hes-sync-job-words.h"
#include "hes-sync-job-manager.h"

struct _HesMoveJobPage
{
  HesPage parent_instance;

  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkWidget *route_row;
  GtkWidget *amount_row;
  GtkWidget *folders_row;
  GtkWidget *state_group;
  GtkWidget *state_row;
  GtkWidget *state_icon;
  GtkWidget *waited_label;
  GtkWidget *result_label;
  GtkWidget *simulate_button;
  GtkWidget *live_button;
  GtkWidget *log_button;
  GtkWidget *log_revealer;
  GtkWidget *log_view;

  HesSyncJobSpec *spec;
  HesSyncJobManager *manager;
  HesSyncJob *job;
  char *log;
  char *log_run;        /* the last_run the log belongs to */
  char *notice;         /* said before the result, e.g. "this job already existed" */
  GPtrArray *folder_rows;
  GCancellable *cancellable;
  guint poll_id;
  guint poll_interval;
  guint poll_delay;     /* grows while nothing changes: a job may wait for hours */
  gint64 waiting_since; /* monotonic time the job was first seen waiting or running, or 0 */
  guint waited_id;      /* refreshes the time waited, once a minute */
  gboolean busy;
};

/* Polling slows down to this many times its interval (2 minutes by default). */
#define MAX_POLL_FACTOR 24

G_DEFINE_FINAL_TYPE (HesMoveJobPage, hes_move_job_page, HES_TYPE_PAGE)

static void refresh (HesMoveJobPage *self);

static HesSyncJobManager *
get_manager (HesMoveJobPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  HesMailcowClient *client = _hes_migration_get_client (HES_PAGE (self));

  if (self->manager != NULL && hes_sync_job_manager_get_client (self->manager) != client)
    g_clear_object (&self->manager);
  if (self->manager == NULL && client != NULL)
    self->manager = hes_sync_job_manager_new (client, hes_session_get_profile (session));
  return self->manager;
}

static void
show_error (HesMoveJobPage *self,
            const char     *message)
{
  if (message != NULL)
    gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

static gboolean
job_is_busy (const HesSyncJob *job)
{
  return job != NULL && (job->state == HES_SYNC_JOB_WAITING || job->state == HES_SYNC_JOB_RUNNING);
}

static void update_waited (HesMoveJobPage *self);

static gboolean
on_waited_tick_cb (gpointer data)
{
  update_waited (data);
  return G_SOURCE_CONTINUE;
}

/* A long wait shows a still sentence with the time waited, refreshed once a minute: an
 * animation running for hours would keep a core busy under software rendering. */
static void
update_waited (HesMoveJobPage *self)
{
  guint minutes;
  g_autofree char *text = NULL;

  if (!job_is_busy (self->job)) {
    self->waiting_since = 0;
    g_clear_handle_id (&self->waited_id, g_source_remove);
    gtk_widget_set_visible (self->waited_label, FALSE);
    return;
  }
  if (self->waiting_since == 0)
    self->waiting_since = g_get_monotonic_time ();
  if (self->waited_id == 0)
    self->waited_id = g_timeout_add_seconds (60, on_waited_tick_cb, self);
  minutes = (guint) ((g_get_monotonic_time () - self->waiting_since) / (60 * G_USEC_PER_SEC));
  if (minutes == 0)
    text = g_strdup (_("Less than a minute"));
  else
    /* Translators: how long the page has been waiting for the job; %u is a number. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes),
                            minutes);
  gtk_label_set_text (GTK_LABEL (self->waited_label), text);
  gtk_widget_set_visible (self->waited_label, TRUE);
}

static void
update_view (HesMoveJobPage *self)
{
  const HesSyncJob *job = self->job;
  const char *log = self->log != NULL && job != NULL
                    && g_strcmp0 (self->log_run, job->last_run) == 0 ? self->log : NULL;
  g_autofree char *result = job ? _hes_sync_job_describe_result (job, self->notice, log) : NULL;
  gboolean can_simulate = job == NULL || (job->dry && !job_is_busy (job)
                                          && job->state != HES_SYNC_JOB_FINISHED_OK);

  gtk_widget_set_visible (self->state_group, job != NULL);
  if (job != NULL) {
    g_autofree char *sentence = _hes_sync_job_describe_state (job);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->state_group),
                                     job->dry ? _("Simulation") : _("Real Move"));
    adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (self->state_group),
      job->dry ? _("A simulation checks everything and copies nothing. Once it has worked, "
                   "you can start the real move.")
               : _("Your mail is being copied to the new mailbox. Messages stay on your old "
                   "provider too."));
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                   _hes_sync_job_state_title (job->state));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->state_row), sentence);
    _hes_sync_job_show_state_icon (self->state_icon, job->state);
  }
  update_waited (self);
  gtk_label_set_text (GTK_LABEL (self->result_label), result ? result : "");
  gtk_widget_set_visible (self->result_label, result != NULL);

  gtk_widget_set_visible (self->simulate_button, can_simulate);
  gtk_button_set_label (GTK_BUTTON (self->simulate_button),
                        job == NULL ? _("_Simulate First") : _("_Simulate Again"));
  gtk_widget_set_visible (self->live_button, job != NULL && job->dry
                                             && job->state == HES_SYNC_JOB_FINISHED_OK);
  gtk_widget_set_visible (self->log_button, self->log != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "move.simulate",
                                 !self->busy && self->spec != NULL && can_simulate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "move.go-live", !self->busy);
}

static void
set_busy (HesMoveJobPage *self,
          gboolean        busy)
{
  self->busy = busy;
  update_view (self);
}

static void
set_job (HesMoveJobPage *self,
         HesSyncJob     *job)
{
  g_clear_pointer (&self->job, hes_sync_job_free);
  self->job = job;
  update_view (self);
}

static gboolean
on_poll_cb (gpointer data)
{
  HesMoveJobPage *self = data;

  self->poll_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (HesMoveJobPage *self)
{
  if (self->poll_delay == 0)
    self->poll_delay = self->poll_interval;
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add (self->poll_delay, on_poll_cb, self);
}

static void
on_log_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HesMoveJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  log = hes_sync_job_manager_fetch_log_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (log == NULL) {
    /* The report is a bonus: the state already says what happened. */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_debug ("The report could not be read: %s", error->message);
    return;
  }
  g_free (self->log);
  self->log = g_steal_pointer (&log);
  g_free (self->log_run);
  self->log_run = g_strdup (self->job ? self->job->last_run : NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->log_view)),
                            self->log, -1);
  update_view (self);
}

static void
follow_job (HesMoveJobPage *self)
{
  HesSyncJob *job = self->job;

  if (job == NULL)
    return;
  if (job_is_busy (job)) {
    schedule_poll (self);
    return;
  }
  if (job->last_run != NULL && g_strcmp0 (job->last_run, self->log_run) != 0)
    hes_sync_job_manager_fetch_log_async (get_manager (self), job->mailbox, job->id,
                                          self->cancellable, on_log_cb, g_object_ref (self));
}

static void
on_job_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HesMoveJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesSyncJob *job;

  job = hes_sync_job_manager_get_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job == NULL) {
    show_error (self, error->message);
    /* A network hiccup: look again later; a job removed elsewhere is gone for good. */
    if (g_error_matches (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_FOUND))
      set_job (self, NULL);
    else
      schedule_poll (self);
    return;
  }
  show_error (self, NULL);
  /* Nothing moved since the last look: look less often; a change: follow it closely again. */
  if (self->job != NULL && self->job->state == job->state
      && g_strcmp0 (self->job->last_run, job->last_run) == 0)
    self->poll_delay = MIN (MAX (self->poll_delay, self->poll_interval) * 2,
                            self->poll_interval * MAX_POLL_FACTOR);
  else
    self->poll_delay = self->poll_interval;
  set_job (self, job);
  follow_job (self);
}

static void
refresh (HesMoveJobPage *self)
{
  if (self->job == NULL || get_manager (self) == NULL)
    return;
  hes_sync_job_manager_get_async (self->manager, self->job->mailbox, self->job->id,
                                  self->cancellable, on_job_cb, g_object_ref (self));
}

static void
on_created_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HesSyncJob *job;

  job = hes_sync_job_manager_create_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->notice, g_free);
  if (job == NULL)
    show_error (self, error->message);
  else
    set_job (self, job);
  set_busy (self, FALSE);
  follow_job (self);
}

static void
move_simulate (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HesMoveJobPage *self = HES_MOVE_JOB_PAGE (widget);

  if (self->spec == NULL || get_manager (self) == NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  hes_sync_job_manager_create_async (self->manager, self->spec, self->cancellable,
                                     on_created_cb, g_object_ref (self));
}

static void
on_live_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HesMoveJobPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hes_sync_job_manager_go_live_finish (HES_SYNC_JOB_MANAGER (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    show_error (self, error->message);
  }
  set_busy (self, FALSE);
  refresh (self);
}

static void
move_go_live (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HesMoveJobPage *self = HES_MOVE_JOB_PAGE (widget);

  if (self->job == NULL || get_manager (self) == NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  hes_sync_job_manager_go_live_async (self->manager, self->job->id, self->cancellable,
                                      on_live_cb, g_object_ref (self));
}

static void
on_log_toggled_cb (HesMoveJobPage *self)
{
  gboolean shown = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->log_button));

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->log_revealer), shown);
  gtk_button_set_label (GTK_BUTTON (self->log_button),
                        shown ? _("Hide the _Full Report") : _("Show the _Full Report"));
}

/* A job for this account may already be there (an earlier visit): show it, never add one. */
static void
on_existing_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HesMoveJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  jobs = hes_sync_job_manager_list_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (jobs == NULL) {
    show_error (self, error->message);
    return;
  }
  for (guint i = 0; i < jobs->len && self->spec != NULL; i++) {
    HesSyncJob *job = g_ptr_array_index (jobs, i);

    if (hes_sync_job_matches (job, self->spec->host, self->spec->user)) {
      g_free (self->notice);
      self->notice = g_strdup (_("A synchronisation of this account into this mailbox already "
                                 "exists: here is where it stands."));
      set_job (self, hes_sync_job_copy (job));
      follow_job (self);
      return;
    }
  }
}

static void
fill_folders (HesMoveJobPage *self,
              HesImapResult  *result)
{
  GPtrArray *folders = result ? hes_imap_result_get_folders (result) : NULL;
  g_autofree char *amount = NULL;
  g_autofree char *count = NULL;

  for (guint i = 0; self->folder_rows != NULL && i < self->folder_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self->folders_row),
                             g_ptr_array_index (self->folder_rows, i));
  g_clear_pointer (&self->folder_rows, g_ptr_array_unref);
  self->folder_rows = g_ptr_array_new ();
  gtk_widget_set_visible (self->amount_row, result != NULL);
  gtk_widget_set_visible (self->folders_row, folders != NULL);
  if (result == NULL)
    return;

  amount = _hes_migration_describe_amount (hes_imap_result_get_total_messages (result),
                                           hes_imap_result_get_total_size (result));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->amount_row), amount);
  /* Translators: %u is a number of folders. */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u folder", "%u folders",
                                        folders->len), folders->len);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->folders_row), count);
  for (guint i = 0; i < folders->len; i++) {
    HesImapFolder *folder = g_ptr_array_index (folders, i);
    GtkWidget *row = adw_action_row_new ();
    g_autofree char *what = folder->messages < 0
                            ? g_strdup (_("Number of messages unknown"))
                            : _hes_migration_describe_amount ((guint64) folder->messages,
                                                              folder->size);

    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), folder->name);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), what);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (self->folders_row), row);
    g_ptr_array_add (self->folder_rows, row);
  }
}

void
hes_move_job_page_set_source (HesMoveJobPage       *self,
                              const HesSyncJobSpec *spec,
                              HesImapResult        *result)
{
  g_autofree char *route = NULL;

  g_return_if_fail (HES_IS_MOVE_JOB_PAGE (self));
  g_return_if_fail (spec != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->waited_id, g_source_remove);
  self->waiting_since = 0;
  self->poll_delay = 0;
  g_clear_pointer (&self->spec, hes_sync_job_spec_free);
  g_clear_pointer (&self->log, g_free);
  g_clear_pointer (&self->log_run, g_free);
  g_clear_pointer (&self->notice, g_free);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->log_button), FALSE);
  self->spec = hes_sync_job_spec_copy (spec);
  show_error (self, NULL);

  /* Translators: %1$s is the old account, %2$s its server, %3$s the new mailbox. */
  route = g_strdup_printf (_("From %1$s on %2$s to %3$s"), spec->user, spec->host, spec->mailbox);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->route_row), route);
  fill_folders (self, result);
  set_job (self, NULL);

  if (get_manager (self) != NULL) {
    set_busy (self, TRUE);
    hes_sync_job_manager_list_async (self->manager, spec->mailbox, self->cancellable,
                                     on_existing_cb, g_object_ref (self));
  }
}

void
hes_move_job_page_set_poll_interval (HesMoveJobPage *self,
                                     guint           milliseconds)
{
  g_return_if_fail (HES_IS_MOVE_JOB_PAGE (self));

  self->poll_interval = MAX (milliseconds, 10);
  self->poll_delay = 0;
}

const HesSyncJob *
hes_move_job_page_get_job (HesMoveJobPage *self)
{
  g_return_val_if_fail (HES_IS_MOVE_JOB_PAGE (self), NULL);

  return self->job;
}

static void
hes_move_job_page_dispose (GObject *object)
{
  HesMoveJobPage *self = HES_MOVE_JOB_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->waited_id, g_source_remove);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->folder_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_MOVE_JOB_PAGE);

  G_OBJECT_CLASS (hes_move_job_page_parent_class)->dispose (object);
}

static void
hes_move_job_page_finalize (GObject *object)
{
  HesMoveJobPage *self = HES_MOVE_JOB_PAGE (object);

  g_clear_pointer (&self->spec, hes_sync_job_spec_free);
  g_clear_pointer (&self->job, hes_sync_job_free);
  g_free (self->log);
  g_free (self->log_run);
  g_free (self->notice);

  G_OBJECT_CLASS (hes_move_job_page_parent_class)->finalize (object);
}

static void
hes_move_job_page_class_init (HesMoveJobPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hes_move_job_page_dispose;
  object_class->finalize = hes_move_job_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, HES_MIGRATION_RESOURCE_PREFIX
                                               "/hes-move-job-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HesMoveJobPage, name)
  BIND (error_revealer);
  BIND (error_label);
  BIND (route_row);
  BIND (amount_row);
  BIND (folders_row);
  BIND (state_group);
  BIND (state_row);
  BIND (state_icon);
  BIND (waited_label);
  BIND (result_label);
  BIND (simulate_button);
  BIND (live_button);
  BIND (log_button);
  BIND (log_revealer);
  BIND (log_view);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_log_toggled_cb);
  gtk_widget_class_install_action (widget_class, "move.simulate", NULL, move_simulate);
  gtk_widget_class_install_action (widget_class, "move.go-live", NULL, move_go_live);
}

static void
hes_move_job_page_init (HesMoveJobPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->poll_interval = 5000;
  self->cancellable = g_cancellable_new ();
  update_view (self);
}

HesPage *
hes_move_job_page_new (HesSession *session)
{
  return g_object_new (HES_TYPE_MOVE_JOB_PAGE, "session", session, NULL);
}
