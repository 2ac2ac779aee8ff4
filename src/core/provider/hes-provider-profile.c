/* hes-provider-profile.c: the provider profile keyfile, read once and checked on load.
 *
 * A missing key is an error, not a silent default: a profile that lacks the sync minimum or
 * a record's type would make the app give wrong advice.
 */
#define G_LOG_DOMAIN "hes-provider-profile"

#include "config.h"


#include "hes-provider-profile.h"

struct _HesProviderProfile
{
  GObject    parent_instance;

  char      *name;
  char      *default_server;
  char      *help_url;
  char      *support_url;
  GStrv      offers_needing_setup;
  GStrv      offers_without_setup;
  guint      minimum_sync_interval;
  guint      default_sync_interval;
  char      *default_exclude;
  guint      keep_sync_jobs_hours;
  guint      default_ttl;
  guint      propagation_hours;
  GPtrArray *dns_plan;
};

G_DEFINE_FINAL_TYPE (HesProviderProfile, hes_provider_profile, G_TYPE_OBJECT)

HesProviderRecord *
hes_provider_record_copy (const HesProviderRecord *record)
{
  HesProviderRecord *copy = g_memdup2 (record, sizeof *record);

  copy->id = g_strdup (record->id);
  copy->type = g_strdup (record->type);
  copy->name = g_strdup (record->name);
  copy->value = g_strdup (record->value);
  copy->target = g_strdup (record->target);
  copy->kind = g_strdup (record->kind);
  return copy;
}

void
hes_provider_record_free (HesProviderRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->type);
  g_free (record->name);
  g_free (record->value);
  g_free (record->target);
  g_free (record->kind);
  g_free (record);
}

G_DEFINE_BOXED_TYPE (HesProviderRecord, hes_provider_record,
                     hes_provider_record_copy, hes_provider_record_free)

static void
hes_provider_profile_finalize (GObject *object)
{
  HesProviderProfile *self = HES_PROVIDER_PROFILE (object);

  g_free (self->name);
  g_free (self->default_server);
  g_free (self->help_url);
  g_free (self->support_url);
  g_strfreev (self->offers_needing_setup);
  g_strfreev (self->offers_without_setup);
  g_free (self->default_exclude);
  g_clear_pointer (&self->dns_plan, g_ptr_array_unref);

  G_OBJECT_CLASS (hes_provider_profile_parent_class)->finalize (object);
}

static void
hes_provider_profile_class_init (HesProviderProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_provider_profile_finalize;
}

static void
hes_provider_profile_init (HesProviderProfile *self)
{
  self->dns_plan = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_provider_record_free);
}

/* An unsigned key; absent keys are errors unless @fallback is not G_MAXUINT. */
static gboolean
read_uint (GKeyFile *file, const char *group, const char *key, guint fallback,
           guint *out, GError **error)
{
  g_autoptr(GError) local = NULL;
  int value = g_key_file_get_integer (file, group, key, &local);

  if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) &&
      fallback != G_MAXUINT) {
    *out = fallback;
    return TRUE;
  }
  if (local != NULL) {
    g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  if (value < 0) {
    g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                 "%s/%s must not be negative", group, key);
    return FALSE;
  }
  *out = (guint) value;
  return TRUE;
}

static char *
read_optional_string (GKeyFile *file, const char *group, const char *key)
{
  return g_key_file_get_string (file, group, key, NULL);
}

static HesProviderRecord *
read_record (GKeyFile *file, const char *id, GError **error)
{
  g_autofree char *group = g_strdup_printf ("DnsRecord %s", id);
  g_autoptr(HesProviderRecord) record = g_new0 (HesProviderRecord, 1);
  g_autoptr(GError) local = NULL;

  record->id = g_strdup (id);
  if ((record->type = g_key_file_get_string (file, group, "Type", error)) == NULL ||
      (record->name = g_key_file_get_string (file, group, "Name", error)) == NULL)
    return NULL;
  record->value = read_optional_string (file, group, "Value");
  record->target = read_optional_string (file, group, "Target");
  record->kind = read_optional_string (file, group, "Kind");
  if (!read_uint (file, group, "Priority", 0, &record->priority, error) ||
      !read_uint (file, group, "Weight", 0, &record->weight, error) ||
      !read_uint (file, group, "Port", 0, &record->port, error))
    return NULL;

  record->required = g_key_file_get_boolean (file, group, "Required", &local);
  if (local != NULL) {
    g_propagate_error (error, g_steal_pointer (&local));
    return NULL;
  }
  if (record->value == NULL && record->target == NULL) {
    g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                 "%s has neither Value nor Target", group);
    return NULL;
  }

  return g_steal_pointer (&record);
}

static gboolean
read_dns_plan (HesProviderProfile *self, GKeyFile *file, GError **error)
{
  g_auto(GStrv) ids = g_key_file_get_string_list (file, "DnsPlan", "Records", NULL, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++) {
    HesProviderRecord *record = read_record (file, ids[i], error);

    if (record == NULL)
      return FALSE;
    g_ptr_array_add (self->dns_plan, record);
  }

  return read_uint (file, "DnsPlan", "DefaultTtl", G_MAXUINT, &self->default_ttl, error) &&
         read_uint (file, "DnsPlan", "PropagationHours", G_MAXUINT, &self->propagation_hours,
                    error);
}

static gboolean
read_provider (HesProviderProfile *self, GKeyFile *file, GError **error)
{
  if ((self->name = g_key_file_get_string (file, "Provider", "Name", error)) == NULL ||
      (self->default_server = g_key_file_get_string (file, "Provider", "DefaultServer", error)) == NULL ||
      (self->help_url = g_key_file_get_string (file, "Provider", "HelpUrl", error)) == NULL ||
      (self->support_url = g_key_file_get_string (file, "Provider", "SupportUrl", error)) == NULL)
    return FALSE;

  self->offers_needing_setup = g_key_file_get_string_list (file, "Provider", "OffersNeedingSetup",
                                                           NULL, NULL);
  self->offers_without_setup = g_key_file_get_string_list (file, "Provider", "OffersWithoutSetup",
                                                           NULL, NULL);
  if (self->offers_needing_setup == NULL)
    self->offers_needing_setup = g_new0 (char *, 1);
  if (self->offers_without_setup == NULL)
    self->offers_without_setup = g_new0 (char *, 1);
  return TRUE;
}

static gboolean
read_migration (HesProviderProfile *self, GKeyFile *file, GError **error)
{
  if (!read_uint (file, "Migration", "MinimumSyncIntervalMinutes", G_MAXUINT,
                  &self->minimum_sync_interval, error) ||
      !read_uint (file, "Migration", "DefaultSyncIntervalMinutes", G_MAXUINT,
                  &self->default_sync_interval, error) ||
      !read_uint (file, "Migration", "KeepSyncJobsAfterSwitchHours", G_MAXUINT,
                  &self->keep_sync_jobs_hours, error))
    return FALSE;

  /* mailcow refuses intervals below 1 minute; a default below the minimum is a typo. */
  if (self->minimum_sync_interval < 1 || self->default_sync_interval < self->minimum_sync_interval) {
    g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                         "Migration: the sync intervals are inconsistent");
    return FALSE;
  }

  self->default_exclude = g_key_file_get_string (file, "Migration", "DefaultExclude", error);
  return self->default_exclude != NULL;
}

HesProviderProfile *
hes_provider_profile_new_from_data (const char  *data,
                                    gsize        length,
                                    GError     **error)
{
  g_autoptr(HesProviderProfile) self = g_object_new (HES_TYPE_PROVIDER_PROFILE, NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (data != NULL, NULL);

  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, error) ||
      !read_provider (self, file, error) ||
      !read_migration (self, file, error) ||
      !read_dns_plan (self, file, error))
    return NULL;

  return g_steal_pointer (&self);
}

HesProviderProfile *
hes_provider_profile_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  bytes = g_resources_lookup_data (HES_PROVIDER_PROFILE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                   error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return hes_provider_profile_new_from_data (data, length, error);
}

const char *
hes_provider_profile_get_name (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->name;
}

const char *
hes_provider_profile_get_default_server (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->default_server;
}

const char *
hes_provider_profile_get_help_url (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->help_url;
}

const char *
hes_provider_profile_get_support_url (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->support_url;
}

const char * const *
hes_provider_profile_get_offers_needing_setup (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return (const char * const *) self->offers_needing_setup;
}

const char * const *
hes_provider_profile_get_offers_without_setup (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return (const char * const *) self->offers_without_setup;
}

gboolean
hes_provider_profile_offer_needs_setup (HesProviderProfile *self,
                                        const char         *offer)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), FALSE);
  g_return_val_if_fail (offer != NULL, FALSE);

  for (guint i = 0; self->offers_needing_setup[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->offers_needing_setup[i], offer) == 0)
      return TRUE;
  return FALSE;
}

guint
hes_provider_profile_get_minimum_sync_interval (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), 0);
  return self->minimum_sync_interval;
}

guint
hes_provider_profile_get_default_sync_interval (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), 0);
  return self->default_sync_interval;
}

const char *
hes_provider_profile_get_default_exclude (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->default_exclude;
}

guint
hes_provider_profile_get_keep_sync_jobs_hours (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), 0);
  return self->keep_sync_jobs_hours;
}

guint
hes_provider_profile_get_default_ttl (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), 0);
  return self->default_ttl;
}

guint
hes_provider_profile_get_propagation_hours (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), 0);
  return self->propagation_hours;
}

GPtrArray *
hes_provider_profile_get_dns_plan (HesProviderProfile *self)
{
  g_return_val_if_fail (HES_IS_PROVIDER_PROFILE (self), NULL);
  return self->dns_plan;
}
