/* hes-sync-job-words.h: a sync job's state and outcome in plain words and icons, for the
 * migration pages. */
#pragma once

#include <gtk/gtk.h>

#include "hes-sync-job.h"

G_BEGIN_DECLS

/* A few words for the state ("Waiting for the server’s turn"). */
const char *_hes_sync_job_state_title     (HesSyncJobState   state);
/* Shows the state's icon (and colour) in @image; words always go with it. */
void        _hes_sync_job_show_state_icon (GtkWidget        *image,
                                           HesSyncJobState   state);
/* The state in plain words, with the time of the last run when there was one (mailcow's
 * runs can wait or hang: the customer sees when it last ran). */
char       *_hes_sync_job_describe_state  (const HesSyncJob *job);
/* @notice (may be NULL), then the outcome of a finished run in plain words, then what @log
 * (the report of that run, or NULL) says; NULL when there is nothing to say. */
char       *_hes_sync_job_describe_result (const HesSyncJob *job,
                                           const char       *notice,
                                           const char       *log);

G_END_DECLS
