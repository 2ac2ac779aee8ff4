/* hes-dns-wire.h: parse a DNS response message (RFC 1035 wire format) into a HesDnsAnswer.
 *
 * Uses glibc's ns_initparse/ns_parserr; every rdata is bounds-checked here because the
 * message comes from the network.
 */
#pragma once

#include <glib.h>

#include "hes-dns-answer.h"

G_BEGIN_DECLS

/* NULL and G_IO_ERROR_INVALID_DATA for a malformed message. */
HesDnsAnswer *hes_dns_wire_parse (const guint8 *message,
                                  gsize         length,
                                  GError      **error);

G_END_DECLS
