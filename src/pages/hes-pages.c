/* hes-pages.c: every task's pages, in one place.
 *
 * The task table (hes-tasks.c) knows nothing of the pages; this file ties each task to the folder
 * that carries it out, so the application, the tests and the screenshot tool register the same
 * set. */
#define G_LOG_DOMAIN "hes-pages"

#include "config.h"

#include "hes-pages.h"
#include "hes-tasks.h"
#include "dns/hes-dns-task.h"
#include "migration/hes-migration-task.h"
#include "security/hes-security-page.h"

void
hes_pages_register_all (void)
{
  hes_tasks_register ("dns", hes_dns_task_new_pages);
  hes_tasks_register ("move-mailbox", hes_move_mailbox_task_new_pages);
  hes_tasks_register ("move-domain", hes_move_domain_task_new_pages);
  hes_tasks_register ("secure", hes_security_task_new_pages);
}
