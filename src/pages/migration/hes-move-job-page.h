/* hes-move-job-page.h: "Move one mailbox", second page: what will be copied, the simulation
 * (a dry sync job) with its state polled and its result in plain words, then the real move.
 * Never a second job for the same old account and target: a job already there is shown. */
#pragma once

#include "hes-page.h"
#include "hes-imap-result.h"
#include "hes-sync-job.h"

G_BEGIN_DECLS

#define HES_TYPE_MOVE_JOB_PAGE (hes_move_job_page_get_type ())
G_DECLARE_FINAL_TYPE (HesMoveJobPage, hes_move_job_page, HES, MOVE_JOB_PAGE, HesPage)

HesPage    *hes_move_job_page_new               (HesSession           *session);
/* The account that passed the connection test (copied; its password is wiped on free) and
 * what the test found (may be NULL). */
void        hes_move_job_page_set_source        (HesMoveJobPage       *self,
                                                 const HesSyncJobSpec *spec,
                                                 HesImapResult        *result);
/* How often the job's state is read again (default 5000 ms). */
void        hes_move_job_page_set_poll_interval (HesMoveJobPage       *self,
                                                 guint                 milliseconds);
/* The job shown, or NULL. */
const HesSyncJob *hes_move_job_page_get_job     (HesMoveJobPage       *self);

G_END_DECLS
