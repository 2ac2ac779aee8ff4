/* migration-fixture.h: the mailcow simulator with a signed-in domain administrator, shared
 * by the migration tests. */
#pragma once

#include <gio/gio.h>

#include "hes-mailcow-client.h"
#include "hes-mailcow-sim.h"
#include "hes-provider-profile.h"
#include "hes-sync-job-manager.h"

#define DOMAIN      "kunde.example"
#define ADMIN       "kundeadmin"
#define ADMIN_PASS  "Admin-456"
#define MAILBOX     "anna@kunde.example"
#define OLD_HOST    "imap.old-provider.example"
#define OLD_USER    "anna@old-provider.example"
#define OLD_PASS    "Old-Secret-321"
#define MAIL_HOST   "mail.hosterra.test"

typedef struct {
  HesMailcowSim      *sim;
  HesMailcowClient   *client;
  HesProviderProfile *profile;
  HesSyncJobManager  *manager;
  char               *url;
  gint64              now;      /* the app's clock, moved by the tests */
  char               *state_dir;
} MigrationFixture;

void          migration_fixture_set_up    (MigrationFixture *f, gconstpointer data);
void          migration_fixture_tear_down (MigrationFixture *f, gconstpointer data);
/* Runs the main loop until *@slot holds the result of an async call. */
void          migration_on_done           (GObject *source, GAsyncResult *result, gpointer slot);
GAsyncResult *migration_wait_for          (GAsyncResult **slot);
/* The jobs of @mailbox as the server returns them (every field). */
JsonArray    *migration_list_raw_jobs     (MigrationFixture *f, const char *mailbox);
HesSyncJob   *migration_create_job        (MigrationFixture *f, const HesSyncJobSpec *spec,
                                           GError **error);
HesSyncJob   *migration_get_job           (MigrationFixture *f, const char *mailbox, gint64 id,
                                           GError **error);
