/* hes-domain-migration.c: the checklist's state, its file, and steps 1, 3, 4 and 5.
 * Steps 2 and 6 (the sync jobs) are in hes-domain-migration-jobs.c. */
#define G_LOG_DOMAIN "hes-domain-migration"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hes-domain-migration-private.h"
#include "hes-migration-error.h"

#define STATE_VERSION 1
#define MAIN_GROUP "Migration"
#define JOB_GROUP_PREFIX "Job "

G_DEFINE_FINAL_TYPE (HesDomainMigration, hes_domain_migration, G_TYPE_OBJECT)

static const char * const phase_names[] = {
  "none", "simulating", "simulated", "live", "removed",
};

void
_hes_migration_job_free (HesMigrationJob *job)
{
  g_free (job->mailbox);
  g_free (job->host);
  g_free (job->user);
  g_free (job->baseline_last_run);
  g_free (job);
}

static void
hes_domain_migration_finalize (GObject *object)
{
  HesDomainMigration *self = HES_DOMAIN_MIGRATION (object);

  g_free (self->domain);
  g_free (self->mail_host);
  g_free (self->account);
  g_free (self->server);
  g_clear_object (&self->profile);
  g_free (self->state_dir);
  g_free (self->autoconfig_domain_url);
  g_free (self->autoconfig_host_url);
  g_strfreev (self->mailboxes);
  g_hash_table_unref (self->jobs);
  G_OBJECT_CLASS (hes_domain_migration_parent_class)->finalize (object);
}

static void
hes_domain_migration_class_init (HesDomainMigrationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_domain_migration_finalize;
}

static void
hes_domain_migration_init (HesDomainMigration *self)
{
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) _hes_migration_job_free);
  self->mailboxes = g_new0 (char *, 1);
  self->state_dir = g_build_filename (g_get_user_state_dir (), "hosterra-email-setup",
                                      "migrations", NULL);
}

HesDomainMigration *
hes_domain_migration_new (const char *domain, const char *mail_host, HesProviderProfile *profile)
{
  HesDomainMigration *self;

  g_return_val_if_fail (domain != NULL && *domain && strchr (domain, '/') == NULL, NULL);
  g_return_val_if_fail (mail_host != NULL, NULL);
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (profile), NULL);

  self = g_object_new (HES_TYPE_DOMAIN_MIGRATION, NULL);
  self->domain = g_ascii_strdown (domain, -1);
  self->mail_host = g_ascii_strdown (mail_host, -1);
  self->profile = g_object_ref (profile);
  return self;
}

void
hes_domain_migration_set_state_dir (HesDomainMigration *self, const char *dir)
{
  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_return_if_fail (dir != NULL);
  g_free (self->state_dir);
  self->state_dir = g_strdup (dir);
}

void
hes_domain_migration_set_account (HesDomainMigration *self, const char *server,
                                  const char *account)
{
  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_free (self->server);
  self->server = server && *server ? g_ascii_strdown (server, -1) : NULL;
  g_free (self->account);
  self->account = account && *account ? g_ascii_strdown (account, -1) : NULL;
}

void
hes_domain_migration_set_clock (HesDomainMigration *self, HesClockFunc clock, gpointer user_data)
{
  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  self->clock = clock;
  self->clock_data = user_data;
}

void
hes_domain_migration_set_autoconfig_urls (HesDomainMigration *self, const char *domain_base_url,
                                          const char *host_base_url)
{
  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  g_free (self->autoconfig_domain_url);
  g_free (self->autoconfig_host_url);
  self->autoconfig_domain_url = g_strdup (domain_base_url);
  self->autoconfig_host_url = g_strdup (host_base_url);
}

gint64
_hes_domain_migration_now (HesDomainMigration *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_real_time () / G_USEC_PER_SEC;
}

const char *
hes_domain_migration_get_domain (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), NULL);
  return self->domain;
}

const char *
hes_migration_step_title (HesMigrationStep step)
{
  switch (step)
    {
    case HES_MIGRATION_STEP_CREATE_MAILBOXES:
      return _("Create the mailboxes");
    case HES_MIGRATION_STEP_SYNC_JOBS:
      return _("Copy the old mailboxes");
    case HES_MIGRATION_STEP_DNS_RECORDS:
      return _("Point your DNS to Hosterra Email");
    case HES_MIGRATION_STEP_PROPAGATION:
      return _("Wait for the DNS propagation");
    case HES_MIGRATION_STEP_MAIL_PROGRAMS:
      return _("Set up the mail programs");
    case HES_MIGRATION_STEP_REMOVE_SYNC_JOBS:
      return _("Remove the synchronisations");
    case HES_MIGRATION_N_STEPS:
    default:
      return _("Migration finished");
    }
}

/* Steps and order. */

HesMigrationStep
hes_domain_migration_get_current_step (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), 0);
  for (guint step = 0; step < HES_MIGRATION_N_STEPS; step++)
    if (self->step_time[step] == 0)
      return step;
  return HES_MIGRATION_N_STEPS;
}

gboolean
hes_domain_migration_is_step_done (HesDomainMigration *self, HesMigrationStep step)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  g_return_val_if_fail (step < HES_MIGRATION_N_STEPS, FALSE);
  return self->step_time[step] != 0;
}

gint64
hes_domain_migration_get_step_time (HesDomainMigration *self, HesMigrationStep step)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), 0);
  g_return_val_if_fail (step < HES_MIGRATION_N_STEPS, 0);
  return self->step_time[step];
}

gboolean
_hes_domain_migration_require (HesDomainMigration *self, HesMigrationStep step, GError **error)
{
  for (guint before = 0; before < step; before++)
    if (self->step_time[before] == 0)
      {
        g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER,
                     /* Translators: %s is the title of a step, such as "Create the mailboxes". */
                     _("First finish the step “%s”: the steps must be done in order so that no "
                       "mail is lost."), hes_migration_step_title (before));
        return FALSE;
      }
  return TRUE;
}

gboolean
_hes_domain_migration_complete (HesDomainMigration *self, HesMigrationStep step, GError **error)
{
  if (!_hes_domain_migration_require (self, step, error))
    return FALSE;
  if (self->step_time[step] == 0)
    self->step_time[step] = MAX (_hes_domain_migration_now (self), 1);
  return _hes_domain_migration_save (self, error);
}

HesMigrationJob *
_hes_domain_migration_job (HesDomainMigration *self, const char *mailbox, gboolean create)
{
  g_autofree char *key = g_ascii_strdown (mailbox, -1);
  HesMigrationJob *job = g_hash_table_lookup (self->jobs, key);

  if (job == NULL && create)
    {
      job = g_new0 (HesMigrationJob, 1);
      job->mailbox = g_steal_pointer (&key);
      g_hash_table_insert (self->jobs, job->mailbox, job);
    }
  return job;
}

char *
_hes_migration_join_addresses (GPtrArray *addresses)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (addresses, i));
    }
  return g_string_free (text, FALSE);
}

/* The state file. */

char *
hes_domain_migration_build_state_path (const char *state_dir, const char *server_name,
                                       const char *account, const char *domain)
{
  g_autofree char *name = g_strdup_printf ("%s.ini", domain);
  g_autofree char *server = g_uri_escape_string (server_name, NULL, FALSE);
  g_autofree char *who = g_uri_escape_string (account && *account ? account : "-", "@", FALSE);
  g_autofree char *who_lower = g_ascii_strdown (who, -1);

  /* One file per server, account and domain: two accounts never mix their progress. */
  return g_build_filename (state_dir, server, who_lower, name, NULL);
}

char *
hes_domain_migration_get_state_path (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), NULL);
  return hes_domain_migration_build_state_path (self->state_dir,
                                                self->server ? self->server : self->mail_host,
                                                self->account, self->domain);
}

static void
save_job (GKeyFile *file, HesMigrationJob *job)
{
  g_autofree char *group = g_strconcat (JOB_GROUP_PREFIX, job->mailbox, NULL);

  g_key_file_set_int64 (file, group, "Id", job->id);
  g_key_file_set_string (file, group, "Host", job->host ? job->host : "");
  g_key_file_set_string (file, group, "User", job->user ? job->user : "");
  g_key_file_set_string (file, group, "Phase", phase_names[job->phase]);
  g_key_file_set_boolean (file, group, "BaselineTaken", job->baseline_taken);
  if (job->removed_outside)
    g_key_file_set_boolean (file, group, "RemovedOutside", TRUE);
  if (job->baseline_last_run)
    g_key_file_set_string (file, group, "BaselineLastRun", job->baseline_last_run);
}

char *
hes_domain_migration_to_data (HesDomainMigration *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), NULL);

  g_key_file_set_integer (file, MAIN_GROUP, "Version", STATE_VERSION);
  g_key_file_set_string (file, MAIN_GROUP, "Domain", self->domain);
  g_key_file_set_string (file, MAIN_GROUP, "MailHost", self->mail_host);
  g_key_file_set_string_list (file, MAIN_GROUP, "Mailboxes",
                              (const char * const *) self->mailboxes,
                              g_strv_length (self->mailboxes));
  for (guint step = 0; step < HES_MIGRATION_N_STEPS; step++)
    {
      g_autofree char *key = g_strdup_printf ("Step%uDone", step + 1);

      g_key_file_set_int64 (file, MAIN_GROUP, key, self->step_time[step]);
    }
  g_key_file_set_int64 (file, MAIN_GROUP, "SwitchVisible", self->switch_time);
  g_key_file_set_boolean (file, MAIN_GROUP, "AutoconfigChecked", self->autoconfig_checked);
  g_key_file_set_boolean (file, MAIN_GROUP, "AutoconfigDomainOk", self->autoconfig_domain_ok);
  g_key_file_set_boolean (file, MAIN_GROUP, "AutoconfigHostOk", self->autoconfig_host_ok);
  g_key_file_set_boolean (file, MAIN_GROUP, "ProgramsConfirmed", self->programs_confirmed);
  g_key_file_set_boolean (file, MAIN_GROUP, "RemovalConfirmed", self->removal_confirmed);
  /* Sorted, so that the same state always gives the same file. */
  keys = g_list_sort (g_hash_table_get_keys (self->jobs), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    save_job (file, g_hash_table_lookup (self->jobs, l->data));
  return g_key_file_to_data (file, NULL, NULL);
}

static gboolean
state_file_error (GError **error, const char *path)
{
  g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_STATE_FILE,
               /* Translators: %s is a file name. */
               _("The progress of this migration could not be saved in %s: check that the disk "
                 "is not full, then try again."), path);
  return FALSE;
}

gboolean
_hes_domain_migration_save (HesDomainMigration *self, GError **error)
{
  g_autofree char *data = hes_domain_migration_to_data (self);
  g_autofree char *path = hes_domain_migration_get_state_path (self);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return state_file_error (error, path);
  /* Written to a temporary file and renamed: a crash leaves the old or the new state. */
  if (!g_file_set_contents_full (path, data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, NULL))
    return state_file_error (error, path);
  return TRUE;
}

static HesMigrationJobPhase
phase_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (phase_names); i++)
    if (g_strcmp0 (name, phase_names[i]) == 0)
      return i;
  return HES_MIGRATION_JOB_NONE;
}

static void
load_job (HesDomainMigration *self, GKeyFile *file, const char *group)
{
  HesMigrationJob *job = _hes_domain_migration_job (self, group + strlen (JOB_GROUP_PREFIX), TRUE);
  g_autofree char *phase = g_key_file_get_string (file, group, "Phase", NULL);

  job->id = g_key_file_get_int64 (file, group, "Id", NULL);
  job->host = g_key_file_get_string (file, group, "Host", NULL);
  job->user = g_key_file_get_string (file, group, "User", NULL);
  job->phase = phase_from_name (phase);
  job->baseline_taken = g_key_file_get_boolean (file, group, "BaselineTaken", NULL);
  job->removed_outside = g_key_file_get_boolean (file, group, "RemovedOutside", NULL);
  job->baseline_last_run = g_key_file_get_string (file, group, "BaselineLastRun", NULL);
}

static void
load_main (HesDomainMigration *self, GKeyFile *file)
{
  g_strfreev (self->mailboxes);
  self->mailboxes = g_key_file_get_string_list (file, MAIN_GROUP, "Mailboxes", NULL, NULL);
  if (self->mailboxes == NULL)
    self->mailboxes = g_new0 (char *, 1);
  for (guint step = 0; step < HES_MIGRATION_N_STEPS; step++)
    {
      g_autofree char *key = g_strdup_printf ("Step%uDone", step + 1);

      self->step_time[step] = g_key_file_get_int64 (file, MAIN_GROUP, key, NULL);
    }
  self->switch_time = g_key_file_get_int64 (file, MAIN_GROUP, "SwitchVisible", NULL);
  self->autoconfig_checked = g_key_file_get_boolean (file, MAIN_GROUP, "AutoconfigChecked", NULL);
  self->autoconfig_domain_ok = g_key_file_get_boolean (file, MAIN_GROUP, "AutoconfigDomainOk", NULL);
  self->autoconfig_host_ok = g_key_file_get_boolean (file, MAIN_GROUP, "AutoconfigHostOk", NULL);
  self->programs_confirmed = g_key_file_get_boolean (file, MAIN_GROUP, "ProgramsConfirmed", NULL);
  self->removal_confirmed = g_key_file_get_boolean (file, MAIN_GROUP, "RemovalConfirmed", NULL);
}

gboolean
hes_domain_migration_load (HesDomainMigration *self, GError **error)
{
  g_autofree char *path = hes_domain_migration_get_state_path (self);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *domain = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_STATE_FILE,
                   /* Translators: %s is a file name. */
                   _("The saved progress of this migration in %s cannot be read: restore the "
                     "file from a backup, or start the checklist again."), path);
      return FALSE;
    }
  domain = g_key_file_get_string (file, MAIN_GROUP, "Domain", NULL);
  if (g_key_file_get_integer (file, MAIN_GROUP, "Version", NULL) != STATE_VERSION ||
      g_strcmp0 (domain, self->domain) != 0)
    {
      g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_STATE_FILE,
                   /* Translators: %s is a file name. */
                   _("The saved progress in %s is not the one of this migration: restore the "
                     "file from a backup, or start the checklist again."), path);
      return FALSE;
    }
  load_main (self, file);
  g_hash_table_remove_all (self->jobs);
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i]; i++)
    if (g_str_has_prefix (groups[i], JOB_GROUP_PREFIX))
      load_job (self, file, groups[i]);
  return TRUE;
}

gboolean
hes_domain_migration_forget (HesDomainMigration *self, GError **error)
{
  g_autofree char *path = hes_domain_migration_get_state_path (self);

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  if (g_unlink (path) != 0 && errno != ENOENT)
    return state_file_error (error, path);
  return TRUE;
}

/* Step 1. */

gboolean
hes_domain_migration_set_mailboxes (HesDomainMigration *self, const char * const *addresses,
                                    GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *suffix = NULL;

  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  g_return_val_if_fail (addresses != NULL, FALSE);

  if (self->step_time[HES_MIGRATION_STEP_CREATE_MAILBOXES] != 0)
    {
      g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_OUT_OF_ORDER,
                           _("The mailboxes are already created: the list can no longer "
                             "change in this migration."));
      return FALSE;
    }
  suffix = g_strconcat ("@", self->domain, NULL);
  for (guint i = 0; addresses[i]; i++)
    {
      g_autofree char *address = g_ascii_strdown (addresses[i], -1);

      if (!g_str_has_suffix (address, suffix) || strlen (address) == strlen (suffix))
        {
          g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                       /* Translators: %1$s is an address, %2$s a domain name. */
                       _("%1$s is not an address of %2$s: only this domain's mailboxes can be "
                         "moved here."), addresses[i], self->domain);
          return FALSE;
        }
      g_strv_builder_add (builder, address);
    }
  g_strfreev (self->mailboxes);
  self->mailboxes = g_strv_builder_end (builder);
  return _hes_domain_migration_save (self, error);
}

const char * const *
hes_domain_migration_get_mailboxes (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), NULL);
  return (const char * const *) self->mailboxes;
}

static void
mailboxes_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  boxes = hes_mailcow_client_list_mailboxes_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (boxes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < boxes->len; i++)
    g_hash_table_add (present,
                      g_ascii_strdown (((HesMailcowMailbox *) g_ptr_array_index (boxes, i))->username,
                                       -1));
  for (guint i = 0; self->mailboxes[i]; i++)
    if (!g_hash_table_contains (present, self->mailboxes[i]))
      g_ptr_array_add (missing, self->mailboxes[i]);
  if (missing->len > 0)
    {
      g_autofree char *list = _hes_migration_join_addresses (missing);

      g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                               /* Translators: %s is a list of addresses. */
                               _("These mailboxes do not exist yet: %s. Create them first."),
                               list);
    }
  else if (!_hes_domain_migration_complete (self, HES_MIGRATION_STEP_CREATE_MAILBOXES, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
hes_domain_migration_verify_mailboxes_async (HesDomainMigration *self, HesMailcowClient *client,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_domain_migration_verify_mailboxes_async);
  if (self->mailboxes[0] == NULL)
    {
      g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY, "%s",
                               _("List the mailboxes to move first."));
      g_object_unref (task);
      return;
    }
  hes_mailcow_client_list_mailboxes_async (client, self->domain, cancellable, mailboxes_listed,
                                           task);
}

gboolean
hes_domain_migration_verify_mailboxes_finish (HesDomainMigration *self, GAsyncResult *result,
                                              GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Step 3. */

gboolean
hes_domain_migration_report_dns (HesDomainMigration *self, const HesDnsSummary *summary,
                                 GError **error)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_DNS_RECORDS, error))
    return FALSE;
  if (summary->required_ok && summary->mx_ok)
    return _hes_domain_migration_complete (self, HES_MIGRATION_STEP_DNS_RECORDS, error);
  if (summary->wrong + summary->missing == 0 && summary->unknown > 0)
    g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                         _("Some DNS records could not be checked: try the check again in "
                           "a few minutes."));
  else if (!summary->mx_ok)
    g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                         _("Your domain’s MX record does not send its mail to Hosterra Email "
                           "yet: correct it at your DNS host, then check again."));
  else
    g_set_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_READY,
                 g_dngettext (GETTEXT_PACKAGE,
                              /* Translators: %u is a number of DNS records. */
                              "%u DNS record is still missing or wrong: fix it at your DNS "
                              "host, then check again.",
                              "%u DNS records are still missing or wrong: fix them at your "
                              "DNS host, then check again.", summary->wrong + summary->missing),
                 summary->wrong + summary->missing);
  return FALSE;
}

/* Step 5. */

HesMailSettings *
hes_domain_migration_get_mail_settings (HesDomainMigration *self)
{
  g_return_val_if_fail (HES_IS_DOMAIN_MIGRATION (self), NULL);
  return hes_mail_settings_new (self->mail_host);
}

typedef struct {
  gboolean confirmed;
} ProgramsData;

static void
autoconfig_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDomainMigration *self = g_task_get_source_object (task);
  ProgramsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesAutoconfigResult) check = hes_autoconfig_check_finish (result, &error);

  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->autoconfig_checked = TRUE;
  self->autoconfig_domain_ok = check->domain_ok;
  self->autoconfig_host_ok = check->host_ok;
  self->programs_confirmed = self->programs_confirmed || data->confirmed;
  if (!(check->domain_ok && check->host_ok) && !data->confirmed)
    {
      if (!_hes_domain_migration_save (self, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_AUTOCONFIG, "%s",
                                 check->domain_ok ? check->host_message : check->domain_message);
      return;
    }
  if (!_hes_domain_migration_complete (self, HES_MIGRATION_STEP_MAIL_PROGRAMS, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&check),
                           (GDestroyNotify) hes_autoconfig_result_free);
}

void
hes_domain_migration_check_mail_programs_async (HesDomainMigration *self, gboolean confirmed,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ProgramsData *data = g_new0 (ProgramsData, 1);

  g_return_if_fail (HES_IS_DOMAIN_MIGRATION (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_domain_migration_check_mail_programs_async);
  data->confirmed = confirmed;
  g_task_set_task_data (task, data, g_free);
  if (!_hes_domain_migration_require (self, HES_MIGRATION_STEP_MAIL_PROGRAMS, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hes_autoconfig_check_async (self->mail_host, self->domain, self->autoconfig_domain_url,
                              self->autoconfig_host_url, cancellable, autoconfig_checked,
                              g_steal_pointer (&task));
}

HesAutoconfigResult *
hes_domain_migration_check_mail_programs_finish (HesDomainMigration *self, GAsyncResult *result,
                                                 GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
