/* hes-domain-migration-private.h: what the domain migration's source files share. */
#pragma once

#include "hes-domain-migration.h"

G_BEGIN_DECLS

/* What the state file remembers of one mailbox's sync job (never its password). */
typedef struct {
  char                 *mailbox;
  gint64                id;
  char                 *host;
  char                 *user;
  HesMigrationJobPhase  phase;
  gboolean              baseline_taken;    /* last_run noted when the switch became visible */
  char                 *baseline_last_run; /* NULL: it had never run then */
  gboolean              removed_outside;   /* its job vanished from the server, not by step 6 */
} HesMigrationJob;

struct _HesDomainMigration
{
  GObject              parent_instance;

  char                *domain;
  char                *mail_host;
  char                *server;    /* where and who signed in: the state file is kept per */
  char                *account;   /* server and account */
  HesProviderProfile  *profile;
  char                *state_dir;
  HesClockFunc         clock;
  gpointer             clock_data;
  char                *autoconfig_domain_url;
  char                *autoconfig_host_url;

  GStrv                mailboxes;
  gint64               step_time[HES_MIGRATION_N_STEPS];
  gint64               switch_time;
  GHashTable          *jobs;   /* mailbox → HesMigrationJob */
  gboolean             autoconfig_checked;
  gboolean             autoconfig_domain_ok;
  gboolean             autoconfig_host_ok;
  gboolean             programs_confirmed;
  gboolean             removal_confirmed;
};

gint64           _hes_domain_migration_now          (HesDomainMigration *self);
gboolean         _hes_domain_migration_save         (HesDomainMigration *self,
                                                     GError            **error);
/* FALSE with HES_MIGRATION_ERROR_OUT_OF_ORDER when a step before @step is not done. */
gboolean         _hes_domain_migration_require      (HesDomainMigration *self,
                                                     HesMigrationStep    step,
                                                     GError            **error);
/* Marks @step done now (if it was not) and saves. */
gboolean         _hes_domain_migration_complete     (HesDomainMigration *self,
                                                     HesMigrationStep    step,
                                                     GError            **error);
HesMigrationJob *_hes_domain_migration_job          (HesDomainMigration *self,
                                                     const char         *mailbox,
                                                     gboolean            create);
void             _hes_migration_job_free            (HesMigrationJob    *job);
/* Whether the session may list every sync job at once (get/syncjobs/all). */
gboolean         _hes_domain_migration_lists_all_jobs (HesSyncJobManager *manager);
/* "a, b and c" for a list of addresses. */
char            *_hes_migration_join_addresses      (GPtrArray          *addresses);

G_END_DECLS
