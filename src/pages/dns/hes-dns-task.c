/* hes-dns-task.c: the DNS task's pages. */
#define G_LOG_DOMAIN "hes-dns-task"

#include "hes-dns-context.h"
#include "hes-dns-records-page.h"
#include "hes-dns-results-page.h"
#include "hes-dns-task.h"

GPtrArray *
hes_dns_task_new_pages (HesSession *session)
{
  g_autoptr(HesDnsContext) context = hes_dns_context_new ();
  GPtrArray *pages = g_ptr_array_new ();

  g_ptr_array_add (pages, hes_dns_records_page_new (session, context));
  g_ptr_array_add (pages, hes_dns_results_page_new (session, context));
  return pages;
}
