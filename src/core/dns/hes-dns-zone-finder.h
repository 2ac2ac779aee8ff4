/* hes-dns-zone-finder.h: the zone a domain belongs to and its authoritative servers.
 *
 * Asked through the resolver. The zone apex is usually the domain itself, so the domain's SOA
 * and NS are asked together at once. Only when the SOA answer shows that the domain is not
 * the apex (its authority SOA names the zone; failing that, one label up at a time, never to
 * a top-level domain) is the apex's NS set asked after it. The NS answer's additional section
 * (glue) gives the servers' addresses without another round trip; a server name without glue
 * is asked for its A record. Each server ("IPv4:port", IPv4 only: the direct backend cannot
 * reach IPv6 servers) is announced by "server-found" as soon as its address is known, so the
 * caller can ask it while the others are still being found. At most 4 servers.
 *
 * One search per object.
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_ZONE_FINDER (hes_dns_zone_finder_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsZoneFinder, hes_dns_zone_finder, HES, DNS_ZONE_FINDER, GObject)

/* @port: the port the servers are to be asked on (53; tests use another). */
HesDnsZoneFinder   *hes_dns_zone_finder_new         (HesDnsBackend       *resolver,
                                                     guint16              port);
/* Signal "server-found" (const char *server) as each server becomes known. */
void                hes_dns_zone_finder_find_async  (HesDnsZoneFinder    *self,
                                                     const char          *domain,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* FALSE only when cancelled: no zone or no server found is a result, not an error. */
gboolean            hes_dns_zone_finder_find_finish (HesDnsZoneFinder    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* The zone apex, or NULL when it was not found. */
const char         *hes_dns_zone_finder_get_apex    (HesDnsZoneFinder    *self);
/* The servers found, in the order they were announced; never NULL. */
const char * const *hes_dns_zone_finder_get_servers (HesDnsZoneFinder    *self);

G_END_DECLS
