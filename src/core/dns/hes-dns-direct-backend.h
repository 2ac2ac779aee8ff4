/* hes-dns-direct-backend.h: DNS queries on glibc's resolver with a private res_state.
 *
 * res_nmkquery + res_nsend in GTask threads, parsed by hes_dns_wire_parse(): every record type,
 * the rcode, AA, TTLs and the negative TTL, with RD on or off and one chosen IPv4 server and
 * port (IPv6 servers are not reachable through glibc's public res_state). Queries with no
 * server go to the servers of /etc/resolv.conf, like GResolver's, so the answers are what this
 * computer's resolver says, TTLs included. At most max-in-flight queries run at once (the
 * others wait in order); each one ends after timeout-ms with G_IO_ERROR_TIMED_OUT.
 * Cancelling returns at once; the thread ends with glibc's own (equal) timeout.
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_DIRECT_BACKEND (hes_dns_direct_backend_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsDirectBackend, hes_dns_direct_backend, HES, DNS_DIRECT_BACKEND, GObject)

/* @default_server: "IPv4[:port]" used when a query names no server; NULL for resolv.conf. */
HesDnsDirectBackend *hes_dns_direct_backend_new               (const char          *default_server);
void                 hes_dns_direct_backend_set_timeout       (HesDnsDirectBackend *self,
                                                               guint                timeout_ms);
guint                hes_dns_direct_backend_get_timeout       (HesDnsDirectBackend *self);
/* How many times glibc sends the question within the timeout (default 1, at most 5). */
void                 hes_dns_direct_backend_set_attempts      (HesDnsDirectBackend *self,
                                                               guint                attempts);
void                 hes_dns_direct_backend_set_max_in_flight (HesDnsDirectBackend *self,
                                                               guint                max_in_flight);
/* The most queries that have been running at the same time (for tests). */
guint                hes_dns_direct_backend_get_peak_in_flight (HesDnsDirectBackend *self);

/* Parses "IPv4", "IPv4:port" or "IPv4#port"; FALSE for anything else. */
gboolean             hes_dns_parse_server                     (const char          *server,
                                                               char               **address,
                                                               guint16             *port);

G_END_DECLS
