/* hes-tasks.h: the tasks the home page offers, and the pages that carry them out.
 *
 * The table is static (hes-tasks.c); a task shows on the home page only once a page factory is
 * registered for it, so the app never offers a dead end. Register from the application's startup
 * (or a test) with hes_tasks_register():
 *
 *   static GPtrArray *
 *   hes_dns_task_new_pages (HesSession *session)
 *   {
 *     GPtrArray *pages = g_ptr_array_new ();
 *     g_ptr_array_add (pages, hes_dns_records_page_new (session));
 *     ...
 *     return pages;
 *   }
 *   hes_tasks_register ("dns", hes_dns_task_new_pages);
 *
 * Activating a task row activates "win.open-task" with the task id: the window appends the
 * factory's pages after the home page and shows the first; Next on the last one (or Back from the
 * first) returns home.
 */
#pragma once

#include "hes-page.h"

G_BEGIN_DECLS

/* Returns the task's new pages in order (floating references, no free function). */
typedef GPtrArray *(*HesTaskFactory) (HesSession *session);

typedef struct {
  const char *id;             /* "dns", "move-mailbox", "move-domain", "secure" */
  const char *icon_name;
  const char *title;          /* English; translate when shown */
  const char *description;    /* English; translate when shown */
  gboolean needs_domain_admin;
} HesTaskInfo;

/* The tasks in the order the home page lists them; @n_tasks receives their number. */
const HesTaskInfo *hes_tasks_get_all          (guint          *n_tasks);
const HesTaskInfo *hes_tasks_lookup           (const char     *id);
/* NULL @factory unregisters. */
void               hes_tasks_register         (const char     *id,
                                               HesTaskFactory  factory);
HesTaskFactory     hes_tasks_get_factory      (const char     *id);
/* Whether @role may run the task; if not, @reason receives a translated sentence saying why. */
gboolean           hes_task_allowed_for_role  (const HesTaskInfo  *task,
                                               HesMailcowRole      role,
                                               const char        **reason);

G_END_DECLS
