/* hes-dns-task.h: the "Set up DNS" task: its pages, registered with hes_tasks_register(). */
#pragma once

#include "hes-session.h"
#include "hes-tasks.h"

G_BEGIN_DECLS

/* The records page and the results page, sharing one HesDnsContext. */
GPtrArray *hes_dns_task_new_pages (HesSession *session);

G_END_DECLS
