/* hes-migration-task.h: the page factories of the "move-mailbox" and "move-domain" tasks
 * (see hes-tasks.h). */
#pragma once

#include "hes-tasks.h"

G_BEGIN_DECLS

GPtrArray *hes_move_mailbox_task_new_pages (HesSession *session);
GPtrArray *hes_move_domain_task_new_pages  (HesSession *session);

G_END_DECLS
