/* hes-sync-job-words.c: a sync job's state and outcome in plain words and icons. */
#define G_LOG_DOMAIN "hes-sync-job-words"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-sync-job-words.h"

const char *
_hes_sync_job_state_title (HesSyncJobState state)
{
  switch (state) {
  case HES_SYNC_JOB_INACTIVE:
    return _("Switched off");
  case HES_SYNC_JOB_WAITING:
    return _("Waiting for the server’s turn");
  case HES_SYNC_JOB_RUNNING:
    return _("Running");
  case HES_SYNC_JOB_FINISHED_OK:
    return _("Finished");
  case HES_SYNC_JOB_FINISHED_FAILED:
    return _("Failed");
  case HES_SYNC_JOB_OVERDUE:
    return _("Not started");
  case HES_SYNC_JOB_STUCK:
  default:
    return _("Stuck");
  }
}

void
_hes_sync_job_show_state_icon (GtkWidget       *image,
                               HesSyncJobState  state)
{
  static const char *classes[] = { "success", "error", "warning" };
  const char *icon = "content-loading-symbolic";
  const char *css = NULL;

  if (state == HES_SYNC_JOB_RUNNING)
    icon = "emblem-synchronizing-symbolic";
  else if (state == HES_SYNC_JOB_FINISHED_OK)
    icon = "emblem-ok-symbolic", css = "success";
  else if (state == HES_SYNC_JOB_FINISHED_FAILED)
    icon = "dialog-error-symbolic", css = "error";
  else if (state == HES_SYNC_JOB_STUCK || state == HES_SYNC_JOB_INACTIVE
           || state == HES_SYNC_JOB_OVERDUE)
    icon = "dialog-warning-symbolic", css = "warning";
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (image, classes[i]);
  if (css != NULL)
    gtk_widget_add_css_class (image, css);
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
}

static void
append_sentence (GString    *text,
                 const char *sentence)
{
  if (sentence == NULL)
    return;
  if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append (text, sentence);
}

/* The outcome of a finished run in plain words, with what its log says. */
char *
_hes_sync_job_describe_result (const HesSyncJob *job,
                               const char       *notice,
                               const char       *log)
{
  g_autofree char *summary = NULL;
  g_autofree char *outcome = NULL;
  g_autoptr(GString) text = g_string_new (notice);

  if (log != NULL)
    summary = hes_sync_job_summarize_log (log, job->dry);

  if (job->state == HES_SYNC_JOB_FINISHED_OK && job->dry)
    outcome = g_strdup (_("The simulation worked: nothing was copied yet. You can now start "
                          "the real move."));
  else if (job->state == HES_SYNC_JOB_FINISHED_OK)
    /* Translators: %u is a number of minutes. */
    outcome = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The move worked. The synchronisation stays on and "
                                            "copies new mail every %u minute until you remove it.",
                                            "The move worked. The synchronisation stays on and "
                                            "copies new mail every %u minutes until you remove it.",
                                            job->interval), job->interval);
  else if (job->state == HES_SYNC_JOB_FINISHED_FAILED) {
    g_autofree char *why = hes_sync_job_describe_exit_status (job->exit_status);

    outcome = g_strdup_printf ("%s %s", why,
                               job->dry ? _("Go back to correct the account, then simulate again.")
                                        : _("It will try again at the next run."));
  } else if (job->state == HES_SYNC_JOB_STUCK || job->state == HES_SYNC_JOB_OVERDUE) {
    outcome = g_strdup (hes_sync_job_state_describe (job->state));
  }

  append_sentence (text, outcome);
  append_sentence (text, summary);
  return text->len > 0 ? g_strdup (text->str) : NULL;
}


char *
_hes_sync_job_describe_state (const HesSyncJob *job)
{
  g_autofree char *sentence = hes_sync_job_describe (job);

  if (job->last_run == NULL)
    return g_steal_pointer (&sentence);
  /* Translators: %1$s says how the job stands, %2$s is the server's date and time of its
   * last run ("2026-11-29 16:15:00"). */
  return g_strdup_printf (_("%1$s Last run: %2$s."), sentence, job->last_run);
}
