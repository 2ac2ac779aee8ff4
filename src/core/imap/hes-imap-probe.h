/* hes-imap-probe.h: the connection test against an old provider's IMAP server.
 *
 * Connects (SSL/TLS or STARTTLS; the certificate must be trusted), signs in with AUTHENTICATE
 * PLAIN when offered, else LOGIN with literals (so any password works: accents, spaces, quotes;
 * AUTHENTICATE LOGIN where the server disables the LOGIN command),
 * lists the folders, asks each one's message count (and size with STATUS=SIZE), and logs out.
 * Every step has its own time limit (see hes_imap_probe_set_step_timeout()). Errors are
 * HES_IMAP_ERROR with one plain sentence, or G_IO_ERROR_CANCELLED. The password is never
 * logged and is wiped from memory once sent.
 *
 * Certificates are checked against the system's trust store only; the test suite adds its own
 * authority through HES_IMAP_EXTRA_CA (see hes-imap-connection.h), which is for tests only.
 */
#pragma once

#include <gio/gio.h>

#include "hes-imap-error.h"
#include "hes-imap-result.h"

G_BEGIN_DECLS

/* What the test is doing, for a progress line ("Signing in…"). */
typedef enum {
  HES_IMAP_PROBE_STEP_IDLE,        /* not started, or over */
  HES_IMAP_PROBE_STEP_CONNECTING,
  HES_IMAP_PROBE_STEP_SECURING,    /* TLS handshake */
  HES_IMAP_PROBE_STEP_SIGNING_IN,
  HES_IMAP_PROBE_STEP_COUNTING,    /* listing folders and counting messages */
} HesImapProbeStep;

#define HES_TYPE_IMAP_PROBE_STEP (hes_imap_probe_step_get_type ())
GType hes_imap_probe_step_get_type (void) G_GNUC_CONST;

#define HES_TYPE_IMAP_PROBE (hes_imap_probe_get_type ())
G_DECLARE_FINAL_TYPE (HesImapProbe, hes_imap_probe, HES, IMAP_PROBE, GObject)

/* 993 for SSL/TLS, 143 for STARTTLS. */
guint16        hes_imap_security_default_port  (HesImapSecurity      security);

/* @port 0 means the default port of @security. */
HesImapProbe  *hes_imap_probe_new              (const char          *host,
                                                guint16              port,
                                                HesImapSecurity      security,
                                                const char          *user);
/* The time limit of each step in milliseconds (default 10000). */
void           hes_imap_probe_set_step_timeout (HesImapProbe        *self,
                                                guint                milliseconds);

/* The "step" property; notified as the test moves on. */
HesImapProbeStep hes_imap_probe_get_step       (HesImapProbe        *self);

void           hes_imap_probe_run_async        (HesImapProbe        *self,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
HesImapResult *hes_imap_probe_run_finish       (HesImapProbe        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
