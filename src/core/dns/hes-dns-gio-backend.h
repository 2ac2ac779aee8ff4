/* hes-dns-gio-backend.h: DNS lookups through GIO's GResolver.
 *
 * What this computer's resolver says for MX, TXT, SRV, NS and SOA, and nothing more
 * (dns.md §1): no CNAME/A/AAAA (G_IO_ERROR_NOT_SUPPORTED), no TTLs (G_MAXUINT32), no AA, no
 * chosen server (a query that names one fails with G_IO_ERROR_NOT_SUPPORTED). NOT_FOUND
 * covers both NXDOMAIN and "no data", so it becomes an answer with rcode
 * HES_DNS_RCODE_UNKNOWN and no records; a temporary failure stays an error. GLib 2.74 has no
 * resolver timeout, so each query is given one here (G_IO_ERROR_TIMED_OUT); at most 10
 * queries run at once, the others wait in order.
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_GIO_BACKEND (hes_dns_gio_backend_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsGioBackend, hes_dns_gio_backend, HES, DNS_GIO_BACKEND, GObject)

/* @resolver: NULL for g_resolver_get_default(). */
HesDnsGioBackend *hes_dns_gio_backend_new         (GResolver        *resolver);
void              hes_dns_gio_backend_set_timeout (HesDnsGioBackend *self,
                                                   guint             timeout_ms);

G_END_DECLS
