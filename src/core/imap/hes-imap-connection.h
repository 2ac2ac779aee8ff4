/* hes-imap-connection.h: one IMAP connection: TCP, TLS, tagged commands, time limits.
 *
 * Every step (connecting, the TLS handshake, the greeting, each command) has its own time
 * limit; when one runs out, the step and every later one fail with HES_IMAP_ERROR_TIMEOUT.
 * Cancelling the caller's GCancellable ends the step with G_IO_ERROR_CANCELLED.
 *
 * Certificates are checked against the system's trust store. For tests only, the environment
 * variable HES_IMAP_EXTRA_CA may name a PEM file of one more certificate authority to trust in
 * addition; it is never a way to ignore an error and is not meant to be set by users.
 */
#pragma once

#include <gio/gio.h>

#include "hes-imap-error.h"

G_BEGIN_DECLS

typedef enum {
  HES_IMAP_STATUS_OK,
  HES_IMAP_STATUS_NO,
  HES_IMAP_STATUS_BAD,
  HES_IMAP_STATUS_PREAUTH,  /* greeting only: already signed in */
  HES_IMAP_STATUS_BYE,      /* the server said BYE and closed the connection */
} HesImapStatus;

typedef struct {
  HesImapStatus  status;
  char          *text;      /* after the status word, e.g. "[ALERT] Try later" */
  GPtrArray     *untagged;  /* char *: each untagged response, literals inline */
} HesImapResponse;

void hes_imap_response_free (HesImapResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesImapResponse, hes_imap_response_free)

#define HES_TYPE_IMAP_CONNECTION (hes_imap_connection_get_type ())
G_DECLARE_FINAL_TYPE (HesImapConnection, hes_imap_connection, HES, IMAP_CONNECTION, GObject)

/* @cancellable (the caller's) cancels every step of this connection. */
HesImapConnection *hes_imap_connection_new             (const char          *host,
                                                        guint16              port,
                                                        GCancellable        *cancellable);
/* Time limit of each step, in milliseconds (default 10000). */
void               hes_imap_connection_set_step_timeout (HesImapConnection  *self,
                                                        guint                milliseconds);
const char        *hes_imap_connection_get_host        (HesImapConnection   *self);
guint16            hes_imap_connection_get_port        (HesImapConnection   *self);
gboolean           hes_imap_connection_is_tls          (HesImapConnection   *self);

void               hes_imap_connection_connect_async   (HesImapConnection   *self,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           hes_imap_connection_connect_finish  (HesImapConnection   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The TLS handshake, right after connecting (SSL/TLS) or after STARTTLS was accepted. */
void               hes_imap_connection_start_tls_async (HesImapConnection   *self,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           hes_imap_connection_start_tls_finish (HesImapConnection  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The server's first line: status OK, PREAUTH or BYE. */
void               hes_imap_connection_read_greeting_async  (HesImapConnection   *self,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
HesImapResponse   *hes_imap_connection_read_greeting_finish (HesImapConnection   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Sends a command made of @parts (each ending with CRLF): the tag is put before the first part,
 * and each later part is sent when the server asks for it with a "+" continuation (literals,
 * SASL). A command with @secret set is never logged, nor is the server's answer to it, and its
 * copy of @parts is wiped after use. A tagged NO or BAD is a response, not an error. */
void               hes_imap_connection_command_async   (HesImapConnection   *self,
                                                        const char * const  *parts,
                                                        gboolean             secret,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HesImapResponse   *hes_imap_connection_command_finish  (HesImapConnection   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Closes the socket at once (after LOGOUT, or to give up). */
void               hes_imap_connection_close           (HesImapConnection   *self);

G_END_DECLS
