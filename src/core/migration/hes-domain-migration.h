/* hes-domain-migration.h: moving a whole domain, as the six ordered steps of the help page.
 *
 * 1. create the mailboxes; 2. sync jobs, simulated then live, left active; 3. the DNS records
 * right; 4. the switch visible (MX at the authoritative servers and the local resolver);
 * 5. mail programs set up (settings and an autoconfig check); 6. the sync jobs removed, only
 * once it is safe: the profile's hours (24) after the visible switch, and every job's last
 * run after the switch successful; otherwise only with an explicit confirmation, after a
 * refusal that names what could be lost.
 *
 * A step cannot complete before the ones above it. The server holds the truth: reconcile
 * (each time the checklist is shown) reads the domain's mailboxes and sync jobs again, marks
 * done what the server shows and opens again, with a sentence, what it contradicts. The key
 * file in $XDG_STATE_HOME/hosterra-email-setup/migrations/<server>/<account>/<domain>.ini keeps
 * only what the server cannot know (the mailboxes chosen, when the DNS switch was seen, the
 * last runs at that moment, the customer's confirmations); it is written atomically after
 * every change and holds no password. Network steps look on the server before creating
 * anything, so running a step again after a failure never makes duplicates.
 * Steps 3 and 4 run the DNS checker (hes-dns-checker.h) on the domain's record plan
 * (hes_domain_migration_check_dns_async, _check_switch_async); their verdicts may also be fed
 * in directly (report_dns, report_propagation).
 */
#pragma once

#include <gio/gio.h>

#include "hes-autoconfig.h"
#include "hes-dns-checker.h"
#include "hes-provider-profile.h"
#include "hes-sync-job-manager.h"

G_BEGIN_DECLS

typedef enum {
  HES_MIGRATION_STEP_CREATE_MAILBOXES,
  HES_MIGRATION_STEP_SYNC_JOBS,
  HES_MIGRATION_STEP_DNS_RECORDS,
  HES_MIGRATION_STEP_PROPAGATION,
  HES_MIGRATION_STEP_MAIL_PROGRAMS,
  HES_MIGRATION_STEP_REMOVE_SYNC_JOBS,
  HES_MIGRATION_N_STEPS,   /* as the current step: everything is done */
} HesMigrationStep;

typedef enum {
  HES_MIGRATION_JOB_NONE,        /* no job yet */
  HES_MIGRATION_JOB_SIMULATING,  /* created as a simulation, result not seen yet */
  HES_MIGRATION_JOB_SIMULATED,   /* the simulation finished without errors */
  HES_MIGRATION_JOB_LIVE,        /* copying for real, left active */
  HES_MIGRATION_JOB_REMOVED,
} HesMigrationJobPhase;

/* What the DNS checker found for the domain (hes_dns_summary_from_report). */
typedef struct {
  gboolean  required_ok;  /* every required record ok or pending */
  guint     wrong;
  guint     missing;
  guint     unknown;
  gboolean  mx_ok;        /* the MX record ok or pending: mail goes to the new server */
} HesDnsSummary;

/* Where the domain's mail goes, as step 4 watches it (the MX record's verdict). */
typedef enum {
  HES_MIGRATION_SWITCH_UNKNOWN,    /* could not be checked (try again later) */
  HES_MIGRATION_SWITCH_NOT_MADE,   /* the domain's own DNS servers do not show the new MX */
  HES_MIGRATION_SWITCH_PENDING,    /* right at the domain's servers, not visible here yet */
  HES_MIGRATION_SWITCH_VISIBLE,    /* visible here too: the switch is recorded */
} HesMigrationSwitch;

#define HES_TYPE_DOMAIN_MIGRATION (hes_domain_migration_get_type ())
G_DECLARE_FINAL_TYPE (HesDomainMigration, hes_domain_migration, HES, DOMAIN_MIGRATION, GObject)

/* The migration of @domain to the mailcow host @mail_host. Call load before anything else. */
HesDomainMigration *hes_domain_migration_new        (const char          *domain,
                                                     const char          *mail_host,
                                                     HesProviderProfile  *profile);
/* Who is signed in where: each account of each server keeps its own progress. @server is the
 * mailcow server's host name as the app reaches it (default: the mail host). */
void                hes_domain_migration_set_account (HesDomainMigration *self,
                                                      const char         *server,
                                                      const char         *account);
/* Where the state file goes (tests); default: the user's state directory. */
void                hes_domain_migration_set_state_dir (HesDomainMigration *self,
                                                        const char         *dir);
void                hes_domain_migration_set_clock  (HesDomainMigration  *self,
                                                     HesClockFunc         clock,
                                                     gpointer             user_data);
/* Where autoconfig is fetched (tests); NULL for the real addresses. */
void                hes_domain_migration_set_autoconfig_urls (HesDomainMigration *self,
                                                              const char         *domain_base_url,
                                                              const char         *host_base_url);
/* Reads the saved progress; a migration never started is a fresh one (TRUE). */
gboolean            hes_domain_migration_load       (HesDomainMigration  *self,
                                                     GError             **error);
char               *hes_domain_migration_get_state_path (HesDomainMigration *self);
/* <state_dir>/<server>/<account>/<domain>.ini ("-" for no account). */
char               *hes_domain_migration_build_state_path (const char *state_dir,
                                                          const char *server,
                                                          const char *account,
                                                          const char *domain);
/* The saved form, for comparing. */
char               *hes_domain_migration_to_data    (HesDomainMigration  *self);
/* Forgets the migration (removes the state file). */
gboolean            hes_domain_migration_forget     (HesDomainMigration  *self,
                                                     GError             **error);

const char         *hes_domain_migration_get_domain (HesDomainMigration  *self);
/* The first step not done, or HES_MIGRATION_N_STEPS. */
HesMigrationStep    hes_domain_migration_get_current_step (HesDomainMigration *self);
gboolean            hes_domain_migration_is_step_done (HesDomainMigration *self,
                                                       HesMigrationStep    step);
/* When the step was done (Unix time), 0 if not. */
gint64              hes_domain_migration_get_step_time (HesDomainMigration *self,
                                                        HesMigrationStep    step);
const char         *hes_migration_step_title        (HesMigrationStep     step);

/* Reads the domain's mailboxes and every sync job of its mailboxes on the server and brings
 * the checklist in line with them (see above). finish: the sentences saying which saved steps
 * the server contradicted and why (an empty list when none), NULL on error. */
void                hes_domain_migration_reconcile_async  (HesDomainMigration *self,
                                                           HesSyncJobManager  *manager,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
GStrv               hes_domain_migration_reconcile_finish (HesDomainMigration *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
/* Opens step 3 and after again when a DNS check shows the MX no longer pointing here;
 * *@why is then the sentence saying so (NULL when nothing changed). */
gboolean            hes_domain_migration_reconcile_dns    (HesDomainMigration  *self,
                                                           const HesDnsSummary *summary,
                                                           char               **why,
                                                           GError             **error);
/* TRUE when the job of @mailbox disappeared from the server without the app removing it. */
gboolean            hes_domain_migration_job_removed_outside (HesDomainMigration *self,
                                                              const char         *mailbox);

/* Step 1. The mailboxes to move (their addresses, in this domain); then verify checks on the
 * server that they all exist (create them with HesMailboxBatch). */
gboolean            hes_domain_migration_set_mailboxes (HesDomainMigration  *self,
                                                        const char * const  *addresses,
                                                        GError             **error);
/* NULL-terminated, owned by @self. */
const char * const *hes_domain_migration_get_mailboxes (HesDomainMigration  *self);
void                hes_domain_migration_verify_mailboxes_async  (HesDomainMigration *self,
                                                                  HesMailcowClient   *client,
                                                                  GCancellable       *cancellable,
                                                                  GAsyncReadyCallback callback,
                                                                  gpointer            user_data);
gboolean            hes_domain_migration_verify_mailboxes_finish (HesDomainMigration *self,
                                                                  GAsyncResult       *result,
                                                                  GError            **error);

/* Step 2. Creates (or finds again) the simulation job of @spec->mailbox. */
void                hes_domain_migration_start_sync_job_async  (HesDomainMigration   *self,
                                                                HesSyncJobManager    *manager,
                                                                const HesSyncJobSpec *spec,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
HesSyncJob         *hes_domain_migration_start_sync_job_finish (HesDomainMigration   *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
HesMigrationJobPhase hes_domain_migration_get_job_phase (HesDomainMigration *self,
                                                         const char         *mailbox);
gint64              hes_domain_migration_get_job_id (HesDomainMigration  *self,
                                                     const char          *mailbox);
/* Polls every job, records finished simulations; element type HesSyncJob. */
void                hes_domain_migration_refresh_jobs_async  (HesDomainMigration *self,
                                                              HesSyncJobManager  *manager,
                                                              GCancellable       *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer            user_data);
GPtrArray          *hes_domain_migration_refresh_jobs_finish (HesDomainMigration *self,
                                                              GAsyncResult       *result,
                                                              GError            **error);
/* The real move for @mailbox, once its simulation succeeded. */
void                hes_domain_migration_go_live_async  (HesDomainMigration *self,
                                                         HesSyncJobManager  *manager,
                                                         const char         *mailbox,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean            hes_domain_migration_go_live_finish (HesDomainMigration *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);
/* Completes step 2 when every mailbox's job is live and active on the server. */
void                hes_domain_migration_complete_sync_jobs_async  (HesDomainMigration *self,
                                                                    HesSyncJobManager  *manager,
                                                                    GCancellable       *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer            user_data);
gboolean            hes_domain_migration_complete_sync_jobs_finish (HesDomainMigration *self,
                                                                    GAsyncResult       *result,
                                                                    GError            **error);

/* Step 3: the DNS checker's verdict. */
void                hes_dns_summary_from_report     (const HesDnsCheckReport *report,
                                                     HesDnsSummary           *summary);
gboolean            hes_domain_migration_report_dns (HesDomainMigration  *self,
                                                     const HesDnsSummary *summary,
                                                     GError             **error);
/* Step 3 with the checker: checks @plan (the domain's, see hes-dns-plan-source.h) and reports
 * it. finish: TRUE when the step is done (MX and every required record ok or pending);
 * otherwise FALSE with the reason in @error. *@report is set whenever the check ran, so that
 * the caller can show which records are still wrong. */
void                hes_domain_migration_check_dns_async  (HesDomainMigration *self,
                                                           HesDnsChecker      *checker,
                                                           HesDnsRecordPlan   *plan,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean            hes_domain_migration_check_dns_finish (HesDomainMigration *self,
                                                           GAsyncResult       *result,
                                                           HesDnsCheckReport **report,
                                                           GError            **error);

/* Step 4: whether the new MX is visible at the domain's authoritative servers and at the
 * local resolver. When both are, the time is recorded as the switch, and each job's last run
 * at that moment is noted (to tell runs after the switch). */
void                hes_domain_migration_report_propagation_async  (HesDomainMigration *self,
                                                                    HesSyncJobManager  *manager,
                                                                    gboolean            authoritative_ok,
                                                                    gboolean            resolver_ok,
                                                                    GCancellable       *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer            user_data);
gboolean            hes_domain_migration_report_propagation_finish (HesDomainMigration *self,
                                                                    GAsyncResult       *result,
                                                                    GError            **error);
/* Step 4 with the checker: checks @plan's MX at the domain's authoritative servers and at the
 * local resolver; when visible here, reports the propagation (the switch is recorded).
 * finish: the MX's state (VISIBLE: the step is done); UNKNOWN with @error when the check
 * or the recording failed. *@mx (optional) is the MX's result whenever the check ran: its
 * visible_in_s says how long a pending switch still takes. */
void                hes_domain_migration_check_switch_async  (HesDomainMigration *self,
                                                              HesDnsChecker      *checker,
                                                              HesDnsRecordPlan   *plan,
                                                              HesSyncJobManager  *manager,
                                                              GCancellable       *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer            user_data);
HesMigrationSwitch  hes_domain_migration_check_switch_finish (HesDomainMigration *self,
                                                              GAsyncResult       *result,
                                                              HesDnsRecordResult **mx,
                                                              GError            **error);
/* The MX's result in @report, or NULL. */
HesDnsRecordResult *hes_dns_report_find_mx           (const HesDnsCheckReport *report);
/* When the switch became visible (Unix time), 0 before. */
gint64              hes_domain_migration_get_switch_time (HesDomainMigration *self);

/* Step 5: the settings to give mail programs, and the autoconfig check. Without
 * @confirmed, the step completes only when automatic configuration works; with it (the
 * customer set the programs up by hand), it completes anyway. */
HesMailSettings    *hes_domain_migration_get_mail_settings (HesDomainMigration *self);
void                hes_domain_migration_check_mail_programs_async  (HesDomainMigration *self,
                                                                     gboolean            confirmed,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
/* The check's result when the step completed; otherwise NULL with
 * HES_MIGRATION_ERROR_AUTOCONFIG and the sentence of the address that failed. */
HesAutoconfigResult *hes_domain_migration_check_mail_programs_finish (HesDomainMigration *self,
                                                                      GAsyncResult       *result,
                                                                      GError            **error);

/* Step 6. check: whether removing is safe now; FALSE with the plain explanation in @why
 * (which mailboxes could lose mail, and why). remove: refuses (HES_MIGRATION_ERROR_UNSAFE,
 * the same explanation) unless safe or @confirmed. */
void                hes_domain_migration_check_removal_async  (HesDomainMigration *self,
                                                               HesSyncJobManager  *manager,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
gboolean            hes_domain_migration_check_removal_finish (HesDomainMigration *self,
                                                               GAsyncResult       *result,
                                                               char              **why,
                                                               GError            **error);
void                hes_domain_migration_remove_sync_jobs_async  (HesDomainMigration *self,
                                                                  HesSyncJobManager  *manager,
                                                                  gboolean            confirmed,
                                                                  GCancellable       *cancellable,
                                                                  GAsyncReadyCallback callback,
                                                                  gpointer            user_data);
gboolean            hes_domain_migration_remove_sync_jobs_finish (HesDomainMigration *self,
                                                                  GAsyncResult       *result,
                                                                  GError            **error);

G_END_DECLS
