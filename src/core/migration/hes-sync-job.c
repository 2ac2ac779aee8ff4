/* hes-sync-job.c: sync job data, and imapsync's results in plain words. */
#define G_LOG_DOMAIN "hes-sync-job"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-sync-job.h"

G_DEFINE_BOXED_TYPE (HesSyncJobSpec, hes_sync_job_spec, hes_sync_job_spec_copy,
                     hes_sync_job_spec_free)
G_DEFINE_BOXED_TYPE (HesSyncJob, hes_sync_job, hes_sync_job_copy, hes_sync_job_free)

HesSyncJobSpec *
hes_sync_job_spec_new (const char *mailbox, const char *host, const char *user,
                       const char *password)
{
  HesSyncJobSpec *spec = g_new0 (HesSyncJobSpec, 1);

  spec->mailbox = g_strdup (mailbox);
  spec->host = g_strdup (host);
  spec->user = g_strdup (user);
  spec->password = g_strdup (password);
  spec->port = 993;
  spec->security = HES_SYNC_SECURITY_SSL;
  spec->delete_duplicates = TRUE;
  spec->automap = TRUE;
  spec->subscribe_all = TRUE;
  return spec;
}

HesSyncJobSpec *
hes_sync_job_spec_copy (const HesSyncJobSpec *spec)
{
  HesSyncJobSpec *copy = g_memdup2 (spec, sizeof *spec);

  copy->mailbox = g_strdup (spec->mailbox);
  copy->host = g_strdup (spec->host);
  copy->user = g_strdup (spec->user);
  copy->password = g_strdup (spec->password);
  copy->exclude = g_strdup (spec->exclude);
  return copy;
}

void
hes_sync_job_spec_free (HesSyncJobSpec *spec)
{
  if (spec == NULL)
    return;
  if (spec->password)
    {
      /* The old provider's password must not linger in freed memory. */
      explicit_bzero (spec->password, strlen (spec->password));
      g_free (spec->password);
    }
  g_free (spec->mailbox);
  g_free (spec->host);
  g_free (spec->user);
  g_free (spec->exclude);
  g_free (spec);
}

const char *
hes_sync_security_to_enc (HesSyncSecurity security)
{
  switch (security)
    {
    case HES_SYNC_SECURITY_STARTTLS:
      return "TLS";
    case HES_SYNC_SECURITY_PLAIN:
      return "PLAIN";
    case HES_SYNC_SECURITY_SSL:
    default:
      return "SSL";
    }
}

HesSyncJob *
hes_sync_job_copy (const HesSyncJob *job)
{
  HesSyncJob *copy = g_memdup2 (job, sizeof *job);

  copy->mailbox = g_strdup (job->mailbox);
  copy->host = g_strdup (job->host);
  copy->user = g_strdup (job->user);
  copy->security = g_strdup (job->security);
  copy->exclude = g_strdup (job->exclude);
  copy->last_run = g_strdup (job->last_run);
  copy->exit_status = g_strdup (job->exit_status);
  copy->created = g_strdup (job->created);
  return copy;
}

void
hes_sync_job_free (HesSyncJob *job)
{
  if (job == NULL)
    return;
  g_free (job->mailbox);
  g_free (job->host);
  g_free (job->user);
  g_free (job->security);
  g_free (job->exclude);
  g_free (job->last_run);
  g_free (job->exit_status);
  g_free (job->created);
  g_free (job);
}

gboolean
hes_sync_job_matches (const HesSyncJob *job, const char *host, const char *user)
{
  /* mailcow stores host1 lower-cased and compares user1 exactly (object_exists). */
  return job->host && host && g_ascii_strcasecmp (job->host, host) == 0 &&
         g_strcmp0 (job->user, user) == 0;
}

const char *
hes_sync_job_state_describe (HesSyncJobState state)
{
  switch (state)
    {
    case HES_SYNC_JOB_INACTIVE:
      return _("This synchronisation is switched off: it will not run until you switch it on.");
    case HES_SYNC_JOB_WAITING:
      return _("This synchronisation is waiting for its turn: the server runs one at a time, "
               "so it can take a few minutes to start.");
    case HES_SYNC_JOB_RUNNING:
      return _("This synchronisation is running now.");
    case HES_SYNC_JOB_FINISHED_OK:
      return _("The last synchronisation finished without errors.");
    case HES_SYNC_JOB_FINISHED_FAILED:
      return _("The last synchronisation failed.");
    case HES_SYNC_JOB_OVERDUE:
      return _("This synchronisation has not started, long after it was due: the server "
               "did not run it. Contact your provider; keep it meanwhile, or remove it if you "
               "no longer need it.");
    case HES_SYNC_JOB_STUCK:
    default:
      return _("This synchronisation has been running for far too long and seems stuck: "
               "contact your provider so they can restart it.");
    }
}

typedef struct {
  const char *name;
  const char *sentence;
} ExitSentence;

/* imapsync's exit status names (its EXIT_* constants), most specific first. */
static const ExitSentence exit_sentences[] = {
  { "EX_OK", N_("The synchronisation worked.") },
  { "EXIT_CONNECTION_FAILURE_HOST1",
    N_("The old provider's server could not be reached: check its address and port.") },
  { "EXIT_CONNECTION_FAILURE_HOST2",
    N_("The new server could not be reached during the synchronisation: it will try again "
       "at the next run.") },
  { "EXIT_CONNECTION_FAILURE",
    N_("A server could not be reached: check the old provider's address and port.") },
  { "EXIT_TLS_FAILURE",
    N_("The secure connection to the old provider's server failed: check the port and the "
       "security setting (SSL or STARTTLS).") },
  { "EXIT_AUTHENTICATION_FAILURE_USER1",
    N_("The old provider refused the account name or password: check them, and use an app "
       "password if the old provider requires one.") },
  { "EXIT_AUTHENTICATION_FAILURE_USER2",
    N_("The new mailbox refused the connection: contact your provider.") },
  { "EXIT_AUTHENTICATION_FAILURE",
    N_("An account name or password was refused: check the old provider's account details.") },
  { "EXIT_OVERQUOTA",
    N_("The new mailbox is full: give it a bigger size, then the synchronisation will "
       "continue.") },
  { "EXIT_TRANSFER_EXCEEDED",
    N_("The transfer limit was reached: the rest will be copied at the next run.") },
  { "EXIT_SUBFOLDER1_NO_EXISTS",
    N_("A folder to copy does not exist on the old provider's server.") },
  { "EXIT_ERR_APPEND_VIRUS",
    N_("Some messages were refused because they contain a virus.") },
  { "EXIT_ERR_APPEND", N_("Some messages could not be copied into the new mailbox.") },
  { "EXIT_ERR_FETCH", N_("Some messages could not be read on the old provider's server.") },
  { "EXIT_ERR_CREATE", N_("Some folders could not be created in the new mailbox.") },
  { "EXIT_ERR_SELECT", N_("Some folders could not be opened on the old provider's server.") },
  { "EXIT_ERR_FLAGS", N_("Some message marks (read, flagged) could not be copied.") },
  { "EXIT_WITH_ERRORS_MAX",
    N_("The synchronisation stopped after too many errors: try again later, and contact "
       "your provider if it keeps happening.") },
  { "EXIT_WITH_ERRORS",
    N_("The synchronisation finished with errors: some messages may not have been copied.") },
  { "EXIT_BY_SIGNAL", N_("The synchronisation was stopped before the end.") },
  { "EXIT_BY_FILE", N_("The synchronisation was stopped before the end.") },
  { "EXIT_CRASHED", N_("The synchronisation stopped unexpectedly: it will try again at the "
                       "next run.") },
};

char *
hes_sync_job_describe_exit_status (const char *exit_status)
{
  if (exit_status == NULL || *exit_status == '\0')
    return g_strdup (_("The synchronisation has not finished a run yet."));
  for (guint i = 0; i < G_N_ELEMENTS (exit_sentences); i++)
    if (g_str_equal (exit_sentences[i].name, exit_status))
      return g_strdup (_(exit_sentences[i].sentence));
  return g_strdup (_("The synchronisation failed for a reason the app does not know: open the "
                     "full report, or contact your provider."));
}

static gboolean
log_number (const char *log, const char *pattern, guint64 *out)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (regex == NULL || !g_regex_match (regex, log, 0, &match))
    return FALSE;
  digits = g_match_info_fetch (match, 1);
  return g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, out, NULL);
}

static void
append_sentence (GString *text, const char *sentence)
{
  if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append (text, sentence);
}

char *
hes_sync_job_summarize_log (const char *log, gboolean dry)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 copied = 0, could = 0, errors = 0;

  if (log == NULL || *log == '\0' || g_str_equal (log, "-"))
    return NULL;
  if (strstr (log, "Host1 failure: Error login") != NULL)
    append_sentence (text, _("The old provider refused the account name or password."));
  else if (g_regex_match_simple ("^Host1: connect to host .* failed", log, G_REGEX_MULTILINE, 0))
    append_sentence (text, _("The old provider's server did not answer."));
  else if (g_regex_match_simple ("^Host1: TLS negotiation .* failed", log, G_REGEX_MULTILINE, 0))
    append_sentence (text, _("The secure connection to the old provider's server failed."));
  if (dry && log_number (log, "could be ([0-9]+) without dry mode", &could))
    {
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, could);
      g_autoptr(GString) line = g_string_new (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %s is a number of messages. */
        "The simulation found %s message to copy.",
        "The simulation found %s messages to copy.", could));

      g_string_replace (line, "%s", n, 1);
      append_sentence (text, line->str);
    }
  else if (!dry && log_number (log, "^Messages transferred\\s*:\\s*([0-9]+)", &copied))
    {
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, copied);
      g_autoptr(GString) line = g_string_new (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %s is a number of messages. */
        "%s message was copied.", "%s messages were copied.", copied));

      g_string_replace (line, "%s", n, 1);
      append_sentence (text, line->str);
    }
  if (log_number (log, "^Detected ([0-9]+) errors", &errors) && errors > 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, errors);
      g_autoptr(GString) line = g_string_new (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %s is a number of errors. */
        "%s error happened.", "%s errors happened.", errors));

      g_string_replace (line, "%s", n, 1);
      append_sentence (text, line->str);
    }
  return text->len > 0 ? g_strdup (text->str) : NULL;
}

char *
hes_sync_job_describe (const HesSyncJob *job)
{
  g_autofree char *outcome = NULL;

  if (job->state != HES_SYNC_JOB_FINISHED_FAILED)
    return g_strdup (hes_sync_job_state_describe (job->state));
  outcome = hes_sync_job_describe_exit_status (job->exit_status);
  /* Translators: %1$s says the run failed, %2$s why, both full sentences. */
  return g_strdup_printf (_("%1$s %2$s"), hes_sync_job_state_describe (job->state), outcome);
}
