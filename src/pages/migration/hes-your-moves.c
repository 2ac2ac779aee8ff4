/* hes-your-moves.c: "Your Moves" on the home page, read from the server each time it is shown.
 *
 * The sync jobs are the moves: a domain administrator sees every job of their domains (one
 * request, get/syncjobs/all), a mailbox user their own. Nothing is kept on this computer, so
 * another computer shows the same moves. The actions need no password: mailcow keeps the old
 * provider's password with the job, and an edit leaves the fields it is not given as they are.
 */
#define G_LOG_DOMAIN "hes-your-moves"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-domain-migration.h"
#include "hes-migration-fields.h"
#include "hes-sync-job-manager.h"
#include "hes-sync-job-words.h"
#include "hes-your-moves.h"

/* Rows built at most: the list stays quick with a domain of hundreds of mailboxes; the moves
 * that need attention come first. */
#define MAX_ROWS 50

struct _HesYourMoves
{
  AdwPreferencesGroup parent_instance;

  GtkWidget *status_label;
  GtkWidget *moves_list;

  HesSession *session;
  HesSyncJobManager *manager;
  GPtrArray *jobs;              /* HesSyncJob, as last read */
  GCancellable *cancellable;
  GCancellable *rights_cancellable;
  GtkWidget *task_row;          /* weak: "Move One Mailbox" on the home page */
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (HesYourMoves, hes_your_moves, ADW_TYPE_PREFERENCES_GROUP)

static char *state_dir_override;

static const char *actions[] = {
  "moves.report", "moves.simulate", "moves.live", "moves.pause", "moves.remove",
};

void
hes_your_moves_set_state_dir (const char *state_dir)
{
  g_free (state_dir_override);
  state_dir_override = g_strdup (state_dir);
}

static HesMailcowClient *
get_client (HesYourMoves *self)
{
  return self->session != NULL ? hes_session_get_client (self->session) : NULL;
}

static void
set_busy (HesYourMoves *self,
          gboolean      busy)
{
  self->busy = busy;
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], !busy);
}

static void
show_status (HesYourMoves *self,
             const char   *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text != NULL ? text : "");
  gtk_widget_set_visible (self->status_label, text != NULL);
}

static void
clear_rows (HesYourMoves *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->moves_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->moves_list), child);
}

static const HesSyncJob *
find_job (HesYourMoves *self,
          gint64        id)
{
  for (guint i = 0; self->jobs != NULL && i < self->jobs->len; i++) {
    HesSyncJob *job = g_ptr_array_index (self->jobs, i);

    if (job->id == id)
      return job;
  }
  return NULL;
}

static gboolean
needs_attention (const HesSyncJob *job)
{
  return job->state == HES_SYNC_JOB_FINISHED_FAILED || job->state == HES_SYNC_JOB_OVERDUE
         || job->state == HES_SYNC_JOB_STUCK;
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b)
{
  const HesSyncJob *x = *(HesSyncJob * const *) a;
  const HesSyncJob *y = *(HesSyncJob * const *) b;

  if (needs_attention (x) != needs_attention (y))
    return needs_attention (x) ? -1 : 1;
  return g_strcmp0 (x->mailbox, y->mailbox);
}

/* "From anna@old.example at imap.old.example. Real move. The last synchronisation …" */
static char *
move_subtitle (const HesSyncJob *job)
{
  g_autofree char *state = _hes_sync_job_describe_state (job);

  /* Translators: %1$s is the account at the old provider, %2$s its server, %3$s says whether
   * it is a simulation or the real move, %4$s how it stands. */
  return g_strdup_printf (_("From %1$s at %2$s. %3$s %4$s"), job->user ? job->user : "",
                          job->host ? job->host : "",
                          job->dry ? _("Simulation: nothing is copied yet.")
                                   : _("Real move."),
                          state);
}

static void
add_item (GMenu      *menu,
          const char *label,
          const char *action,
          gint64      id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
}

static GtkWidget *
move_row_new (const HesSyncJob *job)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *subtitle = move_subtitle (job);
  g_autofree char *name = g_strdup_printf ("move:%" G_GINT64_FORMAT, job->id);
  /* Translators: the accessible name of a move's menu; %s is a mailbox. */
  g_autofree char *menu_name = g_strdup_printf (_("What to do with the move of %s"),
                                                job->mailbox);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->mailbox ? job->mailbox : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  _hes_sync_job_show_state_icon (icon, job->state);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (job->last_run != NULL)
    add_item (menu, _("Show the _Report"), "moves.report", job->id);
  if (job->state != HES_SYNC_JOB_RUNNING)
    add_item (menu, _("_Simulate Again"), "moves.simulate", job->id);
  if (job->dry && job->state == HES_SYNC_JOB_FINISHED_OK)
    add_item (menu, _("Start the Real _Move"), "moves.live", job->id);
  if (job->active && job->state != HES_SYNC_JOB_RUNNING)
    add_item (menu, _("_Pause"), "moves.pause", job->id);
  add_item (menu, _("_Remove…"), "moves.remove", job->id);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, menu_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  menu_name, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
show_jobs (HesYourMoves *self)
{
  guint shown;

  clear_rows (self);
  g_ptr_array_sort (self->jobs, compare_jobs);
  shown = MIN (self->jobs->len, MAX_ROWS);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->moves_list),
                         move_row_new (g_ptr_array_index (self->jobs, i)));
  if (self->jobs->len > shown) {
    guint rest = self->jobs->len - shown;
    g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           /* Translators: %u is a number. */
                                                           "%u more move is not listed here",
                                                           "%u more moves are not listed here",
                                                           rest), rest);
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("The moves that need you are listed first."));
    gtk_widget_set_name (row, "more_moves");
    gtk_list_box_append (GTK_LIST_BOX (self->moves_list), row);
  }
  gtk_widget_set_visible (GTK_WIDGET (self),
                          self->jobs->len > 0 || gtk_widget_get_visible (self->status_label));
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HesYourMoves) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;

  jobs = hes_sync_job_manager_list_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (jobs == NULL) {
    /* Translators: %s says why the moves could not be read. */
    g_autofree char *text = g_strdup_printf (_("Your moves could not be read: %s"),
                                             error->message);

    show_status (self, text);
    gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
    return;
  }
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  self->jobs = jobs;
  show_jobs (self);
}

static void
list_jobs (HesYourMoves *self)
{
  HesMailcowClient *client = get_client (self);
  gboolean admin;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (client == NULL || self->manager == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  admin = hes_mailcow_client_get_role (client) == HES_MAILCOW_ROLE_DOMAIN_ADMIN;
  set_busy (self, TRUE);
  hes_sync_job_manager_list_async (self->manager,
                                   admin ? "all" : hes_mailcow_client_get_username (client),
                                   self->cancellable, on_listed_cb, g_object_ref (self));
}

void
hes_your_moves_reload (HesYourMoves *self,
                       HesSession   *session)
{
  HesMailcowClient *client;

  g_return_if_fail (HES_IS_YOUR_MOVES (self));

  if (session != self->session) {
    g_set_object (&self->session, session);
    g_clear_object (&self->manager);
  }
  client = get_client (self);
  if (client == NULL || !hes_mailcow_client_get_signed_in (client)) {
    hes_your_moves_clear (self);
    return;
  }
  if (self->manager == NULL
      || hes_sync_job_manager_get_client (self->manager) != client) {
    g_clear_object (&self->manager);
    self->manager = hes_sync_job_manager_new (client, hes_session_get_profile (session));
  }
  show_status (self, NULL);
  list_jobs (self);
}

static void
on_rights_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HesYourMoves) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean allowed;

  allowed = hes_sync_job_manager_check_may_create_finish (HES_SYNC_JOB_MANAGER (object), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->rights_cancellable);
  /* When the server cannot say, the form stays offered: mailcow refuses in plain words. */
  if (allowed || error != NULL || self->task_row == NULL)
    return;
  gtk_widget_set_sensitive (self->task_row, FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->task_row),
                               _("Your account may not copy mail from another provider: ask "
                                 "your domain administrator to allow sync jobs for it."));
}

void
hes_your_moves_check_rights (HesYourMoves *self,
                             GtkWidget    *task_row)
{
  g_return_if_fail (HES_IS_YOUR_MOVES (self));

  g_cancellable_cancel (self->rights_cancellable);
  g_clear_object (&self->rights_cancellable);
  if (self->task_row != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->task_row), (gpointer *) &self->task_row);
  self->task_row = task_row;
  if (task_row == NULL || self->manager == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (task_row), (gpointer *) &self->task_row);
  self->rights_cancellable = g_cancellable_new ();
  hes_sync_job_manager_check_may_create_async (self->manager, self->rights_cancellable,
                                               on_rights_cb, g_object_ref (self));
}

void
hes_your_moves_clear (HesYourMoves *self)
{
  g_return_if_fail (HES_IS_YOUR_MOVES (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  clear_rows (self);
  show_status (self, NULL);
  set_busy (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

gboolean
hes_your_moves_is_busy (HesYourMoves *self)
{
  g_return_val_if_fail (HES_IS_YOUR_MOVES (self), FALSE);
  return self->busy || self->rights_cancellable != NULL;
}

/* The actions. Each says what it did, then the list is read again from the server. */

typedef struct {
  HesYourMoves *self;
  char         *done;     /* the sentence to show once it worked */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_object_unref (data->self);
  g_free (data->done);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static ActionData *
action_data_new (HesYourMoves *self,
                 char         *done)
{
  ActionData *data = g_new0 (ActionData, 1);

  data->self = g_object_ref (self);
  data->done = done;
  set_busy (self, TRUE);
  return data;
}

static void
action_finished (ActionData   *data,
                 gboolean      ok,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (data->self, FALSE);
  show_status (data->self, ok ? data->done : error->message);
  list_jobs (data->self);
}

#define DEFINE_ACTION_DONE(name, finish)                                                \
  static void                                                                           \
  name (GObject *object, GAsyncResult *result, gpointer user_data)                      \
  {                                                                                     \
    g_autoptr(ActionData) data = user_data;                                             \
    g_autoptr(GError) error = NULL;                                                     \
    gboolean ok = finish (HES_SYNC_JOB_MANAGER (object), result, &error);               \
                                                                                        \
    action_finished (data, ok, error);                                                  \
  }

DEFINE_ACTION_DONE (on_simulated_cb, hes_sync_job_manager_simulate_again_finish)
DEFINE_ACTION_DONE (on_live_cb, hes_sync_job_manager_go_live_finish)
DEFINE_ACTION_DONE (on_paused_cb, hes_sync_job_manager_pause_finish)
DEFINE_ACTION_DONE (on_removed_cb, hes_sync_job_manager_delete_finish)

static const HesSyncJob *
job_of_action (HesYourMoves *self,
               GVariant     *parameter)
{
  if (self->busy || self->manager == NULL)
    return NULL;
  return find_job (self, g_variant_get_int64 (parameter));
}

static void
moves_simulate (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HesYourMoves *self = HES_YOUR_MOVES (widget);
  const HesSyncJob *job = job_of_action (self, parameter);

  if (job == NULL)
    return;
  hes_sync_job_manager_simulate_again_async (self->manager, job->id, self->cancellable,
                                             on_simulated_cb,
                                             action_data_new (self, g_strdup_printf (
                                               /* Translators: %s is a mailbox. */
                                               _("The move of %s simulates again: it starts "
                                                 "at the server’s next turn."), job->mailbox)));
}

static void
moves_live (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HesYourMoves *self = HES_YOUR_MOVES (widget);
  const HesSyncJob *job = job_of_action (self, parameter);

  if (job == NULL)
    return;
  hes_sync_job_manager_go_live_async (self->manager, job->id, self->cancellable, on_live_cb,
                                      action_data_new (self, g_strdup_printf (
                                        /* Translators: %s is a mailbox. */
                                        _("The real move of %s starts at the server’s next "
                                          "turn."), job->mailbox)));
}

static void
moves_pause (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HesYourMoves *self = HES_YOUR_MOVES (widget);
  const HesSyncJob *job = job_of_action (self, parameter);

  if (job == NULL)
    return;
  hes_sync_job_manager_pause_async (self->manager, job->id, self->cancellable, on_paused_cb,
                                    action_data_new (self, g_strdup_printf (
                                      /* Translators: %s is a mailbox. */
                                      _("The move of %s is paused: nothing is copied until "
                                        "you simulate again or start the real move."),
                                      job->mailbox)));
}

/* Removal: what it means, and a warning while the domain's DNS switch is recent. */

static gint64
switch_time_of (HesYourMoves     *self,
                const HesSyncJob *job)
{
  HesMailcowClient *client = get_client (self);
  const char *at = job->mailbox ? strrchr (job->mailbox, '@') : NULL;
  g_autoptr(HesDomainMigration) migration = NULL;

  if (at == NULL || at[1] == '\0' || strchr (at + 1, '/') != NULL || client == NULL)
    return 0;
  migration = hes_domain_migration_new (at + 1, hes_mailcow_client_get_host (client),
                                        hes_session_get_profile (self->session));
  hes_domain_migration_set_account (migration, hes_mailcow_client_get_host (client),
                                    hes_mailcow_client_get_username (client));
  if (state_dir_override != NULL)
    hes_domain_migration_set_state_dir (migration, state_dir_override);
  /* A few hundred bytes, read on the customer's click. */
  if (!hes_domain_migration_load (migration, NULL))
    return 0;
  return hes_domain_migration_get_switch_time (migration);
}

static char *
removal_text (HesYourMoves     *self,
              const HesSyncJob *job)
{
  guint keep_hours = hes_provider_profile_get_keep_sync_jobs_hours (
                       hes_session_get_profile (self->session));
  gint64 switched = switch_time_of (self, job);
  gint64 elapsed = hes_sync_job_manager_now (self->manager) - switched;
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
                          /* Translators: %1$s is the old provider's server, %2$s a mailbox. */
                          _("Removing stops the copy from %1$s: mail that still arrives at the "
                            "old provider will no longer reach %2$s. The messages already "
                            "copied stay in the new mailbox, and the old provider keeps its "
                            "own."), job->host, job->mailbox);
  if (switched > 0 && elapsed < (gint64) keep_hours * 3600) {
    guint left = (guint) (((gint64) keep_hours * 3600 - elapsed + 3599) / 3600);

    g_string_append_c (text, ' ');
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               /* Translators: %u is a number of hours. */
                                               "Your domain’s mail moved to Hosterra Email less "
                                               "than a day ago: some senders may still deliver "
                                               "to the old provider for %u more hour. Wait "
                                               "before removing.",
                                               "Your domain’s mail moved to Hosterra Email less "
                                               "than a day ago: some senders may still deliver "
                                               "to the old provider for %u more hours. Wait "
                                               "before removing.", left), left);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       HesYourMoves     *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "job-id"));
  const HesSyncJob *job = find_job (self, id);

  if (g_strcmp0 (response, "remove") != 0 || job == NULL || self->busy)
    return;
  hes_sync_job_manager_delete_async (self->manager, job->id, self->cancellable, on_removed_cb,
                                     action_data_new (self, g_strdup_printf (
                                       /* Translators: %s is a mailbox. */
                                       _("The move of %s is removed."), job->mailbox)));
}

static void
moves_remove (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HesYourMoves *self = HES_YOUR_MOVES (widget);
  const HesSyncJob *job = job_of_action (self, parameter);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (job == NULL)
    return;
  /* Translators: %s is a mailbox. */
  heading = g_strdup_printf (_("Remove the Move of %s?"), job->mailbox);
  body = removal_text (self, job);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  gtk_widget_set_name (dialog, "remove_move_dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep It"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data (G_OBJECT (dialog), "job-id", GSIZE_TO_POINTER ((gsize) job->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The report: the last run's outcome and what its log says, in plain words. */

typedef struct {
  HesYourMoves *self;
  HesSyncJob   *job;
} ReportData;

static void
report_data_free (ReportData *data)
{
  g_object_unref (data->self);
  hes_sync_job_free (data->job);
  g_free (data);
}

static void
on_log_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ReportData *data = user_data;
  HesYourMoves *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  log = hes_sync_job_manager_fetch_log_finish (HES_SYNC_JOB_MANAGER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    report_data_free (data);
    return;
  }
  set_busy (self, FALSE);
  if (log == NULL) {
    show_status (self, error->message);
    report_data_free (data);
    return;
  }
  body = _hes_sync_job_describe_result (data->job, NULL, log);
  if (body == NULL)
    body = _hes_sync_job_describe_state (data->job);
  /* Translators: %s is a mailbox. */
  heading = g_strdup_printf (_("Report of the Move of %s"), data->job->mailbox);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  gtk_widget_set_name (dialog, "move_report_dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  report_data_free (data);
}

static void
moves_report (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HesYourMoves *self = HES_YOUR_MOVES (widget);
  const HesSyncJob *job = job_of_action (self, parameter);
  ReportData *data;

  if (job == NULL)
    return;
  data = g_new0 (ReportData, 1);
  data->self = g_object_ref (self);
  data->job = hes_sync_job_copy (job);
  set_busy (self, TRUE);
  hes_sync_job_manager_fetch_log_async (self->manager, job->mailbox, job->id, self->cancellable,
                                        on_log_cb, data);
}

static void
hes_your_moves_dispose (GObject *object)
{
  HesYourMoves *self = HES_YOUR_MOVES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->rights_cancellable);
  g_clear_object (&self->rights_cancellable);
  if (self->task_row != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->task_row), (gpointer *) &self->task_row);
  self->task_row = NULL;
  g_clear_object (&self->manager);
  g_clear_object (&self->session);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_YOUR_MOVES);
  G_OBJECT_CLASS (hes_your_moves_parent_class)->dispose (object);
}

static void
hes_your_moves_class_init (HesYourMovesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hes_your_moves_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, HES_MIGRATION_RESOURCE_PREFIX
                                               "/hes-your-moves.ui");
  gtk_widget_class_bind_template_child (widget_class, HesYourMoves, status_label);
  gtk_widget_class_bind_template_child (widget_class, HesYourMoves, moves_list);
  gtk_widget_class_install_action (widget_class, "moves.report", "x", moves_report);
  gtk_widget_class_install_action (widget_class, "moves.simulate", "x", moves_simulate);
  gtk_widget_class_install_action (widget_class, "moves.live", "x", moves_live);
  gtk_widget_class_install_action (widget_class, "moves.pause", "x", moves_pause);
  gtk_widget_class_install_action (widget_class, "moves.remove", "x", moves_remove);
}

static void
hes_your_moves_init (HesYourMoves *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
