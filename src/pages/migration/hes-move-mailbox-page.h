/* hes-move-mailbox-page.h: "Move one mailbox", first page: the new mailbox, the old provider's
 * server and account, checked as typed; Next tests the connection before anything is made. */
#pragma once

#include "hes-page.h"
#include "hes-move-job-page.h"

G_BEGIN_DECLS

#define HES_TYPE_MOVE_MAILBOX_PAGE (hes_move_mailbox_page_get_type ())
G_DECLARE_FINAL_TYPE (HesMoveMailboxPage, hes_move_mailbox_page, HES, MOVE_MAILBOX_PAGE, HesPage)

/* @job_page receives the tested account and what the test found. */
HesPage *hes_move_mailbox_page_new (HesSession    *session,
                                    HesMoveJobPage *job_page);

G_END_DECLS
