/* hes-imap-connection-private.h: shared by hes-imap-connection.c (transport, TLS, timers) and
 * hes-imap-commands.c (greeting, commands, responses). */
#pragma once

#include "hes-imap-connection.h"

G_BEGIN_DECLS

void              _hes_imap_connection_arm_timer       (HesImapConnection *self);
void              _hes_imap_connection_disarm_timer    (HesImapConnection *self);
GCancellable     *_hes_imap_connection_get_cancellable (HesImapConnection *self);
GDataInputStream *_hes_imap_connection_get_input       (HesImapConnection *self);
GOutputStream    *_hes_imap_connection_get_output      (HesImapConnection *self);
char             *_hes_imap_connection_next_tag        (HesImapConnection *self);
GError           *_hes_imap_connection_map_error       (HesImapConnection *self,
                                                        const GError      *error,
                                                        HesImapError       fallback);

G_END_DECLS
