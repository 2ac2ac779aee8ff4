/* migration-fixture.c: the shared set-up of the migration tests. */
#include "config.h"

#include <glib/gstdio.h>

#include "migration-fixture.h"

static gint64
fixture_clock (gpointer user_data)
{
  return ((MigrationFixture *) user_data)->now;
}

void
migration_on_done (GObject *source, GAsyncResult *result, gpointer slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
migration_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
migration_fixture_set_up (MigrationFixture *f, gconstpointer data)
{
  const char *domains[] = { DOMAIN, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 0);
  hes_mailcow_sim_set_hostname (f->sim, MAIL_HOST);
  hes_mailcow_sim_add_domain (f->sim, DOMAIN, "Kunde", TRUE);
  hes_mailcow_sim_add_domain (f->sim, "other.example", "Someone else", TRUE);
  hes_mailcow_sim_add_mailbox (f->sim, MAILBOX, "Anna", "Anna-Pass-1");
  hes_mailcow_sim_add_domain_admin (f->sim, ADMIN, ADMIN_PASS, domains);
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  f->url = hes_mailcow_sim_dup_url (f->sim);
  f->client = hes_mailcow_client_new (f->url, &error);
  g_assert_no_error (error);
  hes_mailcow_client_set_timeout (f->client, 5);

  hes_mailcow_client_sign_in_async (f->client, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS,
                                    NULL, migration_on_done, &result);
  g_assert_cmpint (hes_mailcow_client_sign_in_finish (f->client, migration_wait_for (&result),
                                                      &error), ==, HES_SIGN_IN_DONE);
  g_assert_no_error (error);

  f->profile = hes_provider_profile_new_default (&error);
  g_assert_no_error (error);
  f->now = 1790000000;
  f->manager = hes_sync_job_manager_new (f->client, f->profile);
  hes_sync_job_manager_set_clock (f->manager, fixture_clock, f);
  f->state_dir = g_dir_make_tmp ("hes-migration-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
migration_fixture_tear_down (MigrationFixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->manager);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->profile);
  g_clear_object (&f->sim);
  remove_dir (f->state_dir);
  g_free (f->state_dir);
  g_free (f->url);
}

JsonArray *
migration_list_raw_jobs (MigrationFixture *f, const char *mailbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_strdup_printf ("get/syncjobs/%s/no_log", mailbox);

  hes_mailcow_client_api_get_async (f->client, path, NULL, migration_on_done, &result);
  root = hes_mailcow_client_api_get_finish (f->client, migration_wait_for (&result), &error);
  g_assert_no_error (error);
  if (JSON_NODE_HOLDS_OBJECT (root))
    return json_array_new ();
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

HesSyncJob *
migration_create_job (MigrationFixture *f, const HesSyncJobSpec *spec, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_sync_job_manager_create_async (f->manager, spec, NULL, migration_on_done, &result);
  return hes_sync_job_manager_create_finish (f->manager, migration_wait_for (&result), error);
}

HesSyncJob *
migration_get_job (MigrationFixture *f, const char *mailbox, gint64 id, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_sync_job_manager_get_async (f->manager, mailbox, id, NULL, migration_on_done, &result);
  return hes_sync_job_manager_get_finish (f->manager, migration_wait_for (&result), error);
}
