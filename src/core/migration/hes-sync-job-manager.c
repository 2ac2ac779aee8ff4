/* hes-sync-job-manager.c: sync jobs through mailcow's JSON API, with its traps handled. */
#define G_LOG_DOMAIN "hes-sync-job-manager"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-migration-error.h"
#include "hes-sync-job-manager.h"

struct _HesSyncJobManager
{
  GObject             parent_instance;

  HesMailcowClient   *client;
  HesProviderProfile *profile;
  HesClockFunc        clock;
  gpointer            clock_data;
  guint               stuck_after;
  GHashTable         *running_since;  /* job id → when it was first seen running */
};

G_DEFINE_FINAL_TYPE (HesSyncJobManager, hes_sync_job_manager, G_TYPE_OBJECT)

static void
hes_sync_job_manager_finalize (GObject *object)
{
  HesSyncJobManager *self = HES_SYNC_JOB_MANAGER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_hash_table_unref (self->running_since);
  G_OBJECT_CLASS (hes_sync_job_manager_parent_class)->finalize (object);
}

static void
hes_sync_job_manager_class_init (HesSyncJobManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_sync_job_manager_finalize;
}

static void
hes_sync_job_manager_init (HesSyncJobManager *self)
{
  self->stuck_after = HES_SYNC_JOB_DEFAULT_STUCK_AFTER;
  self->running_since = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

HesSyncJobManager *
hes_sync_job_manager_new (HesMailcowClient *client, HesProviderProfile *profile)
{
  HesSyncJobManager *self;

  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (client), NULL);
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (profile), NULL);

  self = g_object_new (HES_TYPE_SYNC_JOB_MANAGER, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  return self;
}

HesMailcowClient *
hes_sync_job_manager_get_client (HesSyncJobManager *self)
{
  g_return_val_if_fail (HES_IS_SYNC_JOB_MANAGER (self), NULL);
  return self->client;
}

void
hes_sync_job_manager_set_clock (HesSyncJobManager *self, HesClockFunc clock, gpointer user_data)
{
  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  self->clock = clock;
  self->clock_data = user_data;
}

gint64
hes_sync_job_manager_now (HesSyncJobManager *self)
{
  g_return_val_if_fail (HES_IS_SYNC_JOB_MANAGER (self), 0);
  return self->clock ? self->clock (self->clock_data) : g_get_real_time () / G_USEC_PER_SEC;
}

void
hes_sync_job_manager_set_stuck_after (HesSyncJobManager *self, guint seconds)
{
  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  self->stuck_after = seconds;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID, message);
  return FALSE;
}

gboolean
hes_sync_job_manager_check_spec (HesSyncJobManager *self, const HesSyncJobSpec *spec,
                                 GError **error)
{
  guint minimum;

  g_return_val_if_fail (HES_IS_SYNC_JOB_MANAGER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  minimum = hes_provider_profile_get_minimum_sync_interval (self->profile);
  if (spec->mailbox == NULL || strchr (spec->mailbox, '@') == NULL)
    return invalid (error, _("Choose the new mailbox the messages should go to."));
  /* mailcow checks host1 only on edit; refuse here what it would refuse later. */
  if (spec->host == NULL ||
      !g_regex_match_simple ("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", spec->host, 0, 0))
    return invalid (error, _("The old provider's server address is not valid: check what you "
                             "typed, for example imap.example.com."));
  if (spec->port < 1 || spec->port > 65535)
    return invalid (error, _("The port must be a number between 1 and 65535, usually 993."));
  if (spec->user == NULL || *spec->user == '\0')
    return invalid (error, _("Type the account name you use at the old provider, usually your "
                             "e-mail address."));
  if (spec->password == NULL || *spec->password == '\0')
    return invalid (error, _("Type the password of the account at the old provider."));
  if (spec->exclude)
    {
      g_autoptr(GRegex) regex = g_regex_new (spec->exclude, 0, 0, NULL);

      if (regex == NULL)
        return invalid (error, _("The list of folders to leave out is not valid."));
    }
  if (spec->interval != 0 && spec->interval < minimum)
    {
      g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INTERVAL,
                   g_dngettext (GETTEXT_PACKAGE,
                                /* Translators: %u is a number of minutes, such as 20. */
                                "The synchronisation can run at most every %u minute: choose "
                                "this interval or a longer one.",
                                "The synchronisation can run at most every %u minutes: choose "
                                "this interval or a longer one.", minimum), minimum);
      return FALSE;
    }
  if (spec->interval > 43800)
    return invalid (error, _("The interval is too long: choose at most one month "
                             "(43800 minutes)."));
  return TRUE;
}

/* Reading the server's answers. */

static gint64
member_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (text == NULL || *text == '\0' ||
          !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return fallback;
      return value;
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return json_node_get_int (node);
}

static char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  if (*json_node_get_string (node) == '\0')
    return NULL;
  return json_node_dup_string (node);
}

static HesSyncJobState
job_state (HesSyncJobManager *self, HesSyncJob *job)
{
  gint64 now = hes_sync_job_manager_now (self);
  gint64 *since;

  if (!job->running)
    g_hash_table_remove (self->running_since, &job->id);
  if (job->running)
    {
      since = g_hash_table_lookup (self->running_since, &job->id);
      if (since == NULL)
        g_hash_table_insert (self->running_since, g_memdup2 (&job->id, sizeof job->id),
                             g_memdup2 (&now, sizeof now));
      else if (now - *since > (gint64) self->stuck_after)
        return HES_SYNC_JOB_STUCK;
      return HES_SYNC_JOB_RUNNING;
    }
  if (!job->active)
    return HES_SYNC_JOB_INACTIVE;
  if (job->last_run == NULL && job->success < 0 && job->created != NULL)
    {
      /* mailcow's times are the server's; they are read as UTC, as Hosterra runs them. */
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autofree char *iso = g_strdup (job->created);
      g_autoptr(GDateTime) created = NULL;

      if (strlen (iso) > 10)
        iso[10] = 'T';
      created = g_date_time_new_from_iso8601 (iso, utc);
      if (created != NULL &&
          now - g_date_time_to_unix (created) >
            (gint64) job->interval * 60 + HES_SYNC_JOB_OVERDUE_MARGIN)
        return HES_SYNC_JOB_OVERDUE;
    }
  if (job->success == 1)
    return HES_SYNC_JOB_FINISHED_OK;
  if (job->success == 0)
    return HES_SYNC_JOB_FINISHED_FAILED;
  return HES_SYNC_JOB_WAITING;
}

static HesSyncJob *
job_from_json (HesSyncJobManager *self, JsonObject *object)
{
  HesSyncJob *job = g_new0 (HesSyncJob, 1);

  job->id = member_int (object, "id", -1);
  job->mailbox = member_string (object, "user2");
  job->host = member_string (object, "host1");
  job->user = member_string (object, "user1");
  job->port = member_int (object, "port1", 0);
  job->security = member_string (object, "enc1");
  job->interval = member_int (object, "mins_interval", 0);
  job->exclude = member_string (object, "exclude");
  job->active = member_int (object, "active", 0) != 0;
  job->dry = member_int (object, "dry", 0) != 0;
  job->running = member_int (object, "is_running", 0) != 0;
  job->last_run = member_string (object, "last_run");
  job->success = member_int (object, "success", -1);
  job->exit_status = member_string (object, "exit_status");
  job->created = member_string (object, "created");
  job->state = job_state (self, job);
  return job;
}

/* get/syncjobs answers an array, or {} when there is none. */
static GPtrArray *
jobs_from_json (HesSyncJobManager *self, JsonNode *root, GError **error)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_sync_job_free);
  JsonArray *array;

  if (root && JSON_NODE_HOLDS_OBJECT (root) && json_object_get_size (json_node_get_object (root)) == 0)
    return jobs;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_ptr_array_unref (jobs);
      g_set_error_literal (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED,
                           hes_mailcow_error_describe (HES_MAILCOW_ERROR_MALFORMED));
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (jobs, job_from_json (self, json_node_get_object (node)));
    }
  return jobs;
}

static char *
syncjobs_path (const char *mailbox, gboolean with_log)
{
  g_autofree char *escaped = g_uri_escape_string (mailbox, "@+", FALSE);

  return g_strdup_printf ("get/syncjobs/%s%s", escaped, with_log ? "" : "/no_log");
}

/* list */

static void
list_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesSyncJobManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *jobs;

  root = hes_mailcow_client_api_get_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (root == NULL || (jobs = jobs_from_json (self, root, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jobs, (GDestroyNotify) g_ptr_array_unref);
}

void
hes_sync_job_manager_list_async (HesSyncJobManager *self, const char *mailbox,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  g_return_if_fail (mailbox != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_list_async);
  path = syncjobs_path (mailbox, FALSE);
  hes_mailcow_client_api_get_async (self->client, path, cancellable, list_done, task);
}

GPtrArray *
hes_sync_job_manager_list_finish (HesSyncJobManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static HesSyncJob *
find_by_id (GPtrArray *jobs, gint64 id)
{
  for (guint i = 0; i < jobs->len; i++)
    if (((HesSyncJob *) g_ptr_array_index (jobs, i))->id == id)
      return g_ptr_array_index (jobs, i);
  return NULL;
}

static HesSyncJob *
find_by_account (GPtrArray *jobs, const char *host, const char *user)
{
  for (guint i = 0; i < jobs->len; i++)
    if (hes_sync_job_matches (g_ptr_array_index (jobs, i), host, user))
      return g_ptr_array_index (jobs, i);
  return NULL;
}

static GError *
not_found (void)
{
  return g_error_new_literal (HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_FOUND,
                              _("This synchronisation no longer exists on the server: it may "
                                "have been removed."));
}

/* get */

typedef struct {
  gint64 id;
} GetData;

static void
get_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GetData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = hes_sync_job_manager_list_finish (HES_SYNC_JOB_MANAGER (source),
                                                                result, &error);
  HesSyncJob *job;

  if (jobs == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if ((job = find_by_id (jobs, data->id)) == NULL)
    g_task_return_error (task, not_found ());
  else
    g_task_return_pointer (task, hes_sync_job_copy (job), (GDestroyNotify) hes_sync_job_free);
}

void
hes_sync_job_manager_get_async (HesSyncJobManager *self, const char *mailbox, gint64 id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  GTask *task;
  GetData *data = g_new0 (GetData, 1);

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_get_async);
  data->id = id;
  g_task_set_task_data (task, data, g_free);
  hes_sync_job_manager_list_async (self, mailbox, cancellable, get_listed, task);
}

HesSyncJob *
hes_sync_job_manager_get_finish (HesSyncJobManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* fetch_log */

static void
log_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GetData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  root = hes_mailcow_client_api_get_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  array = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object && member_int (object, "id", -1) == data->id)
        {
          char *log = member_string (object, "log");

          g_task_return_pointer (task, log ? log : g_strdup (""), g_free);
          return;
        }
    }
  g_task_return_error (task, not_found ());
}

void
hes_sync_job_manager_fetch_log_async (HesSyncJobManager *self, const char *mailbox, gint64 id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GTask *task;
  GetData *data = g_new0 (GetData, 1);
  g_autofree char *path = NULL;

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  g_return_if_fail (mailbox != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_fetch_log_async);
  data->id = id;
  g_task_set_task_data (task, data, g_free);
  path = syncjobs_path (mailbox, TRUE);
  hes_mailcow_client_api_get_async (self->client, path, cancellable, log_fetched, task);
}

char *
hes_sync_job_manager_fetch_log_finish (HesSyncJobManager *self, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writes: edit, go live, delete. */

static JsonNode *
edit_body (gint64 id, JsonObject *attr)
{
  JsonObject *body = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonNode *node = json_node_alloc ();

  json_array_add_int_element (items, id);
  json_object_set_array_member (body, "items", items);
  json_object_set_object_member (body, "attr", attr);
  json_node_init_object (node, body);
  json_object_unref (body);
  return node;
}

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (entries == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* "Run now" as mailcow's UI does it: last_run and success emptied. */
static void
add_run_now (JsonObject *attr)
{
  json_object_set_string_member (attr, "last_run", "");
  json_object_set_string_member (attr, "success", "");
}

void
hes_sync_job_manager_go_live_async (HesSyncJobManager *self, gint64 id,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GTask *task;
  JsonObject *attr = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_go_live_async);
  json_object_set_int_member (attr, "dry", 0);
  json_object_set_int_member (attr, "active", 1);
  add_run_now (attr);
  body = edit_body (id, attr);
  hes_mailcow_client_api_post_async (self->client, "edit/syncjob", body, cancellable,
                                     write_done, task);
}

gboolean
hes_sync_job_manager_go_live_finish (HesSyncJobManager *self, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
edit_job (HesSyncJobManager *self, gint64 id, JsonObject *attr, GTask *task)
{
  g_autoptr(JsonNode) body = edit_body (id, attr);

  hes_mailcow_client_api_post_async (self->client, "edit/syncjob", body,
                                     g_task_get_cancellable (task), write_done, task);
}

void
hes_sync_job_manager_pause_async (HesSyncJobManager *self, gint64 id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  JsonObject *attr = json_object_new ();

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_pause_async);
  json_object_set_int_member (attr, "active", 0);
  edit_job (self, id, attr, task);
}

gboolean
hes_sync_job_manager_pause_finish (HesSyncJobManager *self, GAsyncResult *result,
                                   GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hes_sync_job_manager_simulate_again_async (HesSyncJobManager *self, gint64 id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  JsonObject *attr = json_object_new ();

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_simulate_again_async);
  json_object_set_int_member (attr, "dry", 1);
  json_object_set_int_member (attr, "active", 1);
  add_run_now (attr);
  edit_job (self, id, attr, task);
}

gboolean
hes_sync_job_manager_simulate_again_finish (HesSyncJobManager *self, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
user_page_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    /* templates/user.twig draws the tab (and its pane) only when acl.syncjobs is 1. */
    g_task_return_boolean (task, strstr (html, "aria-controls=\"Syncjobs\"") != NULL);
}

void
hes_sync_job_manager_check_may_create_async (HesSyncJobManager *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_check_may_create_async);
  if (hes_mailcow_client_get_role (self->client) == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  hes_mailcow_client_fetch_page_async (self->client, "/user", cancellable, user_page_read, task);
}

gboolean
hes_sync_job_manager_check_may_create_finish (HesSyncJobManager *self, GAsyncResult *result,
                                              GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hes_sync_job_manager_delete_async (HesSyncJobManager *self, gint64 id,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task;
  g_autoptr(JsonNode) body = json_node_alloc ();
  JsonArray *items = json_array_new ();

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_delete_async);
  json_array_add_int_element (items, id);
  json_node_init_array (body, items);
  json_array_unref (items);
  hes_mailcow_client_api_post_async (self->client, "delete/syncjob", body, cancellable,
                                     write_done, task);
}

gboolean
hes_sync_job_manager_delete_finish (HesSyncJobManager *self, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* create: list, then add or edit, then list again to learn the id. */

typedef struct {
  HesSyncJobSpec *spec;
  GError         *add_error;   /* the add's refusal, kept while checking for a twin */
  gboolean        added;
} CreateData;

static void
create_data_free (CreateData *data)
{
  hes_sync_job_spec_free (data->spec);
  g_clear_error (&data->add_error);
  g_free (data);
}

/* Every field and every flag: mailcow turns a missing flag into 0 and a missing "exclude"
 * into a failed insert with an empty answer. */
static JsonObject *
create_attr (HesSyncJobManager *self, const HesSyncJobSpec *spec, gboolean with_target)
{
  JsonObject *attr = json_object_new ();
  guint interval = spec->interval ? spec->interval
                                  : hes_provider_profile_get_default_sync_interval (self->profile);
  const char *exclude = spec->exclude ? spec->exclude
                                      : hes_provider_profile_get_default_exclude (self->profile);

  if (with_target)
    json_object_set_string_member (attr, "username", spec->mailbox);
  json_object_set_string_member (attr, "host1", spec->host);
  json_object_set_int_member (attr, "port1", spec->port);
  json_object_set_string_member (attr, "user1", spec->user);
  json_object_set_string_member (attr, "password1", spec->password);
  json_object_set_string_member (attr, "enc1", hes_sync_security_to_enc (spec->security));
  json_object_set_int_member (attr, "mins_interval", interval);
  json_object_set_string_member (attr, "exclude", exclude ? exclude : "");
  json_object_set_string_member (attr, "subfolder2", "");
  json_object_set_int_member (attr, "maxage", 0);
  json_object_set_int_member (attr, "maxbytespersecond", 0);
  json_object_set_int_member (attr, "timeout1", 600);
  json_object_set_int_member (attr, "timeout2", 600);
  json_object_set_string_member (attr, "custom_params", "");
  json_object_set_int_member (attr, "active", 1);
  json_object_set_int_member (attr, "dry", 1);
  json_object_set_int_member (attr, "automap", spec->automap);
  json_object_set_int_member (attr, "subscribeall", spec->subscribe_all);
  json_object_set_int_member (attr, "delete2duplicates", spec->delete_duplicates);
  /* Never delete anything on either side during a move. */
  json_object_set_int_member (attr, "delete1", 0);
  json_object_set_int_member (attr, "delete2", 0);
  json_object_set_int_member (attr, "skipcrossduplicates", 0);
  return attr;
}

static void create_relisted (GObject *source, GAsyncResult *result, gpointer user_data);

static void
create_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesSyncJobManager *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GCancellable *cancellable;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || data->added)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A refused add may be object_exists (someone else made it meanwhile) or an empty
       * answer after the job was stored: look before giving up. */
      data->add_error = g_steal_pointer (&error);
    }
  data->added = TRUE;
  cancellable = g_task_get_cancellable (task);
  hes_sync_job_manager_list_async (self, data->spec->mailbox, cancellable, create_relisted,
                                   g_steal_pointer (&task));
}

static void
create_edit (GTask *task, gint64 id)
{
  HesSyncJobManager *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  JsonObject *attr = create_attr (self, data->spec, FALSE);
  g_autoptr(JsonNode) body = NULL;

  g_debug ("updating the existing sync job %" G_GINT64_FORMAT " instead of adding one", id);
  add_run_now (attr);
  body = edit_body (id, attr);
  hes_mailcow_client_api_post_async (self->client, "edit/syncjob", body,
                                     g_task_get_cancellable (task), create_written, task);
}

static void
create_relisted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = hes_sync_job_manager_list_finish (HES_SYNC_JOB_MANAGER (source),
                                                                result, &error);
  HesSyncJob *job;

  if (jobs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = find_by_account (jobs, data->spec->host, data->spec->user);
  if (job && data->add_error)
    {
      /* object_exists on a job we did not see: make it a simulation with our settings. */
      g_clear_error (&data->add_error);
      data->added = TRUE;
      create_edit (g_steal_pointer (&task), job->id);
    }
  else if (job)
    g_task_return_pointer (task, hes_sync_job_copy (job), (GDestroyNotify) hes_sync_job_free);
  else if (data->add_error)
    g_task_return_error (task, g_steal_pointer (&data->add_error));
  else
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER, "%s",
                             _("The server did not save the synchronisation: try again later, "
                               "and contact your provider if it keeps happening."));
}

static void
create_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesSyncJobManager *self = HES_SYNC_JOB_MANAGER (source);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = hes_sync_job_manager_list_finish (self, result, &error);
  g_autoptr(JsonNode) body = NULL;
  GCancellable *cancellable;
  HesSyncJob *job;

  if (jobs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((job = find_by_account (jobs, data->spec->host, data->spec->user)) != NULL)
    {
      create_edit (g_steal_pointer (&task), job->id);
      return;
    }
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, create_attr (self, data->spec, TRUE));
  cancellable = g_task_get_cancellable (task);
  hes_mailcow_client_api_post_async (self->client, "add/syncjob", body, cancellable,
                                     create_written, g_steal_pointer (&task));
}

static void create_or_add (HesSyncJobManager *self, const HesSyncJobSpec *spec,
                           gboolean data_add_first, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);

void
hes_sync_job_manager_create_async (HesSyncJobManager *self, const HesSyncJobSpec *spec,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  create_or_add (self, spec, FALSE, cancellable, callback, user_data);
}

void
hes_sync_job_manager_add_async (HesSyncJobManager *self, const HesSyncJobSpec *spec,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  create_or_add (self, spec, TRUE, cancellable, callback, user_data);
}

static void
create_or_add (HesSyncJobManager *self, const HesSyncJobSpec *spec, gboolean data_add_first,
               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CreateData *data;

  g_return_if_fail (HES_IS_SYNC_JOB_MANAGER (self));
  g_return_if_fail (spec != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_sync_job_manager_create_async);
  if (!hes_sync_job_manager_check_spec (self, spec, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (CreateData, 1);
  data->spec = hes_sync_job_spec_copy (spec);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);
  if (data_add_first)
    {
      g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (body, create_attr (self, spec, TRUE));
      hes_mailcow_client_api_post_async (self->client, "add/syncjob", body, cancellable,
                                         create_written, g_steal_pointer (&task));
      return;
    }
  hes_sync_job_manager_list_async (self, spec->mailbox, cancellable, create_listed,
                                   g_steal_pointer (&task));
}

HesSyncJob *
hes_sync_job_manager_create_finish (HesSyncJobManager *self, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
