/* hes-security-page.h: "Secure my account": what protects the account now, and adding or
 * removing a second factor, a security key or a passwordless sign-in key. */
#pragma once

#include "hes-page.h"
#include "hes-tasks.h"

G_BEGIN_DECLS

#define HES_TYPE_SECURITY_PAGE (hes_security_page_get_type ())
G_DECLARE_FINAL_TYPE (HesSecurityPage, hes_security_page, HES, SECURITY_PAGE, HesPage)

HesPage   *hes_security_page_new        (HesSession *session);
/* The task's pages for hes_tasks_register ("secure", …). */
GPtrArray *hes_security_task_new_pages  (HesSession *session);

G_END_DECLS
