/* hes-migration-task.c: the pages of the two migration tasks, in order. */
#define G_LOG_DOMAIN "hes-migration-task"

#include "config.h"

#include "hes-migration-task.h"
#include "hes-move-domain-page.h"
#include "hes-move-job-page.h"
#include "hes-move-mailbox-page.h"

GPtrArray *
hes_move_mailbox_task_new_pages (HesSession *session)
{
  GPtrArray *pages = g_ptr_array_new ();
  HesPage *job_page = hes_move_job_page_new (session);

  g_ptr_array_add (pages, hes_move_mailbox_page_new (session, HES_MOVE_JOB_PAGE (job_page)));
  g_ptr_array_add (pages, job_page);
  return pages;
}

GPtrArray *
hes_move_domain_task_new_pages (HesSession *session)
{
  GPtrArray *pages = g_ptr_array_new ();

  g_ptr_array_add (pages, hes_move_domain_page_new (session));
  return pages;
}
