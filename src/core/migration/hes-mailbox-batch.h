/* hes-mailbox-batch.h: creating many mailboxes of one domain at once.
 *
 * The list (typed lines or CSV, see hes-batch-line.h) is checked completely before anything
 * is sent: address, domain, duplicates, sizes against the domain's limits and the room left,
 * the number of mailboxes the domain may still have, passwords against the server's policy
 * (missing ones are generated). Then mailboxes are created one at a time, each line with its
 * own result. Mailboxes that already exist are skipped, so running the batch again after a
 * failure in the middle finishes the job without duplicates.
 */
#pragma once

#include <gio/gio.h>

#include "hes-batch-line.h"
#include "hes-mailcow-client.h"

G_BEGIN_DECLS

#define HES_TYPE_MAILBOX_BATCH (hes_mailbox_batch_get_type ())
G_DECLARE_FINAL_TYPE (HesMailboxBatch, hes_mailbox_batch, HES, MAILBOX_BATCH, GObject)

HesMailboxBatch *hes_mailbox_batch_new          (HesMailcowClient  *client,
                                                 const char        *domain);
const char      *hes_mailbox_batch_get_domain   (HesMailboxBatch   *self);
/* Replaces the list with what @text holds. */
gboolean         hes_mailbox_batch_set_text     (HesMailboxBatch   *self,
                                                 const char        *text,
                                                 gssize             length,
                                                 GError           **error);
/* Element type HesBatchLine, owned by @self; changes as the batch is checked and run
 * ("line-changed" is emitted with the index). */
GPtrArray       *hes_mailbox_batch_get_lines    (HesMailboxBatch   *self);
guint            hes_mailbox_batch_count        (HesMailboxBatch   *self,
                                                 HesBatchLineStatus status);

/* Reads the domain's limits, the password policy and the existing mailboxes, then checks
 * every line. FALSE with HES_MIGRATION_ERROR_INVALID when some line must be fixed. */
void             hes_mailbox_batch_validate_async  (HesMailboxBatch    *self,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean         hes_mailbox_batch_validate_finish (HesMailboxBatch    *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
/* Checks again, then creates the valid lines one by one. A refusal marks its line FAILED and
 * the batch goes on; a network failure stops the batch with that error (run it again to
 * resume). FALSE when some line failed or the batch stopped. */
void             hes_mailbox_batch_run_async    (HesMailboxBatch    *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean         hes_mailbox_batch_run_finish   (HesMailboxBatch    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

G_END_DECLS
