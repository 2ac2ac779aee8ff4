/* hes-sync-job-manager.h: creating, watching, switching live and removing sync jobs.
 *
 * Every call is asynchronous and cancellable (the mailcow client limits each request in
 * time). mailcow's traps are handled here: every flag is sent (a missing one becomes 0),
 * "exclude" is always sent, the interval minimum is enforced before anything is sent, the new
 * job's id is found by listing again (add returns none), and a second create for the same old
 * account and target updates the job already there instead of adding another.
 * Server answers are never logged: they echo the old provider's password.
 */
#pragma once

#include <gio/gio.h>

#include "hes-mailcow-client.h"
#include "hes-provider-profile.h"
#include "hes-sync-job.h"

G_BEGIN_DECLS

/* Unix time in seconds; injectable so that tests can move time. */
typedef gint64 (*HesClockFunc) (gpointer user_data);

#define HES_SYNC_JOB_DEFAULT_STUCK_AFTER (6 * 3600)
/* A job never run is "not started" once its interval and this margin have passed. */
#define HES_SYNC_JOB_OVERDUE_MARGIN (15 * 60)

#define HES_TYPE_SYNC_JOB_MANAGER (hes_sync_job_manager_get_type ())
G_DECLARE_FINAL_TYPE (HesSyncJobManager, hes_sync_job_manager, HES, SYNC_JOB_MANAGER, GObject)

HesSyncJobManager *hes_sync_job_manager_new          (HesMailcowClient    *client,
                                                      HesProviderProfile  *profile);
HesMailcowClient  *hes_sync_job_manager_get_client   (HesSyncJobManager   *self);
void               hes_sync_job_manager_set_clock    (HesSyncJobManager   *self,
                                                      HesClockFunc         clock,
                                                      gpointer             user_data);
gint64             hes_sync_job_manager_now          (HesSyncJobManager   *self);
/* A job seen running longer than this is reported as HES_SYNC_JOB_STUCK. */
void               hes_sync_job_manager_set_stuck_after (HesSyncJobManager *self,
                                                         guint              seconds);

/* The checks made before anything is sent (HES_MIGRATION_ERROR_INVALID / _INTERVAL). */
gboolean           hes_sync_job_manager_check_spec   (HesSyncJobManager   *self,
                                                      const HesSyncJobSpec *spec,
                                                      GError             **error);

/* Creates the job as a simulation (dry), or updates the job of the same old account and
 * target back to a simulation with these settings; either way it runs as soon as possible. */
void               hes_sync_job_manager_create_async (HesSyncJobManager   *self,
                                                      const HesSyncJobSpec *spec,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
HesSyncJob        *hes_sync_job_manager_create_finish (HesSyncJobManager  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);
/* The same without looking first (one request less): for a mailbox just read with no job of
 * this account. A job of the account made meanwhile (object_exists) is updated as create
 * does. finish: hes_sync_job_manager_create_finish. */
void               hes_sync_job_manager_add_async    (HesSyncJobManager   *self,
                                                      const HesSyncJobSpec *spec,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The jobs of @mailbox (element type HesSyncJob), with their state. */
void               hes_sync_job_manager_list_async   (HesSyncJobManager   *self,
                                                      const char          *mailbox,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray         *hes_sync_job_manager_list_finish  (HesSyncJobManager   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* One job, polled; HES_MIGRATION_ERROR_NOT_FOUND when it is gone. */
void               hes_sync_job_manager_get_async    (HesSyncJobManager   *self,
                                                      const char          *mailbox,
                                                      gint64               id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
HesSyncJob        *hes_sync_job_manager_get_finish   (HesSyncJobManager   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* The full imapsync report of the last run (may be long); never logged. */
void               hes_sync_job_manager_fetch_log_async  (HesSyncJobManager *self,
                                                          const char        *mailbox,
                                                          gint64             id,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
char              *hes_sync_job_manager_fetch_log_finish (HesSyncJobManager *self,
                                                          GAsyncResult      *result,
                                                          GError           **error);
/* The real move: the job stops simulating, stays active and runs as soon as possible. */
void               hes_sync_job_manager_go_live_async (HesSyncJobManager  *self,
                                                       gint64              id,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           hes_sync_job_manager_go_live_finish (HesSyncJobManager *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);
/* Pause: the job stays on the server, switched off (active 0), and no longer runs. */
void               hes_sync_job_manager_pause_async  (HesSyncJobManager   *self,
                                                      gint64               id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           hes_sync_job_manager_pause_finish (HesSyncJobManager   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Back to a simulation with the settings stored on the server (no password needed), switched
 * on and run as soon as possible. */
void               hes_sync_job_manager_simulate_again_async  (HesSyncJobManager  *self,
                                                               gint64              id,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
gboolean           hes_sync_job_manager_simulate_again_finish (HesSyncJobManager  *self,
                                                               GAsyncResult       *result,
                                                               GError            **error);
/* Whether the signed-in account may create sync jobs: a domain administrator may; a mailbox
 * user only with the syncjobs right, which mailcow shows as the "Sync jobs" tab of /user. */
void               hes_sync_job_manager_check_may_create_async  (HesSyncJobManager  *self,
                                                                 GCancellable       *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer            user_data);
gboolean           hes_sync_job_manager_check_may_create_finish (HesSyncJobManager  *self,
                                                                 GAsyncResult       *result,
                                                                 GError            **error);
void               hes_sync_job_manager_delete_async (HesSyncJobManager   *self,
                                                      gint64               id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           hes_sync_job_manager_delete_finish (HesSyncJobManager  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
