/* hes-sync-job.h: one mailcow sync job (imapsync) as the app asks for it and as it stands.
 *
 * HesSyncJobSpec is what the customer typed: the target mailbox and the old provider's
 * account. Its password is wiped when the spec is freed and never logged nor saved.
 * HesSyncJob is what the server reports, with the state reduced to what the customer needs.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_SYNC_SECURITY_SSL,       /* "SSL": TLS from the start (port 993) */
  HES_SYNC_SECURITY_STARTTLS,  /* "TLS": STARTTLS on port 143 */
  HES_SYNC_SECURITY_PLAIN,     /* "PLAIN": no encryption */
} HesSyncSecurity;

typedef struct {
  char            *mailbox;        /* the target mailbox on mailcow */
  char            *host;           /* the old provider's IMAP server */
  guint            port;
  HesSyncSecurity  security;
  char            *user;           /* the account at the old provider */
  char            *password;       /* wiped on free */
  guint            interval;       /* minutes; 0 = the provider's default */
  char            *exclude;        /* folder regex; NULL = the provider's default */
  gboolean         delete_duplicates;  /* delete2duplicates, default TRUE */
  gboolean         automap;            /* default TRUE */
  gboolean         subscribe_all;      /* default TRUE */
} HesSyncJobSpec;

typedef enum {
  HES_SYNC_JOB_INACTIVE,         /* switched off: it will not run */
  HES_SYNC_JOB_WAITING,          /* waiting for its turn (the server runs one job at a time) */
  HES_SYNC_JOB_RUNNING,
  HES_SYNC_JOB_FINISHED_OK,
  HES_SYNC_JOB_FINISHED_FAILED,
  HES_SYNC_JOB_STUCK,            /* "running" for far too long: a crashed run */
  HES_SYNC_JOB_OVERDUE,          /* active, never run, long past its interval: not started */
} HesSyncJobState;

typedef struct {
  gint64           id;
  char            *mailbox;      /* user2 */
  char            *host;         /* host1, lower-cased by the server */
  char            *user;         /* user1 */
  guint            port;
  char            *security;     /* enc1 as stored */
  guint            interval;
  char            *exclude;
  gboolean         active;
  gboolean         dry;
  gboolean         running;
  char            *last_run;     /* "YYYY-MM-DD HH:MM:SS" or NULL before the first run */
  int              success;      /* 1, 0, or -1 while unknown */
  char            *exit_status;  /* "EX_OK", "EXIT_OVERQUOTA", … or NULL */
  char            *created;      /* "YYYY-MM-DD HH:MM:SS", the server's time of creation */
  HesSyncJobState  state;
} HesSyncJob;

#define HES_TYPE_SYNC_JOB_SPEC (hes_sync_job_spec_get_type ())
#define HES_TYPE_SYNC_JOB      (hes_sync_job_get_type ())

GType           hes_sync_job_spec_get_type  (void) G_GNUC_CONST;
GType           hes_sync_job_get_type       (void) G_GNUC_CONST;

/* A spec with the defaults: port 993 over SSL, provider's interval and exclusions. */
HesSyncJobSpec *hes_sync_job_spec_new       (const char            *mailbox,
                                             const char            *host,
                                             const char            *user,
                                             const char            *password);
HesSyncJobSpec *hes_sync_job_spec_copy      (const HesSyncJobSpec  *spec);
void            hes_sync_job_spec_free      (HesSyncJobSpec        *spec);
/* "SSL", "TLS" or "PLAIN", exactly as mailcow wants it (case matters). */
const char     *hes_sync_security_to_enc    (HesSyncSecurity        security);

HesSyncJob     *hes_sync_job_copy           (const HesSyncJob      *job);
void            hes_sync_job_free           (HesSyncJob            *job);
/* TRUE when @job is the job of this old account: same user1 and host1 (case-insensitive). */
gboolean        hes_sync_job_matches        (const HesSyncJob      *job,
                                             const char            *host,
                                             const char            *user);

/* One plain, translated sentence for @state. */
const char     *hes_sync_job_state_describe (HesSyncJobState        state);
/* One plain, translated sentence for an imapsync exit status name ("EX_OK", …). */
char           *hes_sync_job_describe_exit_status (const char      *exit_status);
/* What a run's log says, in one or two plain sentences (messages copied, errors), or NULL
 * when the log holds nothing useful. The log itself is never logged. */
char           *hes_sync_job_summarize_log  (const char            *log,
                                             gboolean               dry);
/* The state, and for a finished run its outcome, in plain sentences. */
char           *hes_sync_job_describe       (const HesSyncJob      *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesSyncJobSpec, hes_sync_job_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesSyncJob, hes_sync_job_free)

G_END_DECLS
