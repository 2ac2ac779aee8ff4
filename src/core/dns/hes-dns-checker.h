/* hes-dns-checker.h: checks every record of a plan, as the customer's resolver and the
 * domain's own DNS servers see it.
 *
 * Every lookup starts as soon as what it needs is known, in parallel (bounded by the backend):
 * the records at the resolver, the mail host's addresses and the domain's SOA and NS at once;
 * the zone apex is usually the domain, otherwise it is found from the SOA answer or by walking
 * up (hes-dns-zone-finder.h). Each authoritative server (IPv4, from the NS glue or an A
 * lookup) is asked with RD=0 as soon as its address is known and must answer with AA=1.
 * Verdict per record: ok; pending (right at the authoritative servers, not yet at the
 * resolver, visible_in_s from the resolver's TTL); missing (NXDOMAIN or no data); wrong;
 * unknown (timeout, SERVFAIL, REFUSED: never wrong). The run itself: hes-dns-check-job.h.
 *
 * Demos and tests: when the environment variable HES_DNS_SERVER=IPv4:PORT is set, a checker
 * created with no backends sends every lookup (the resolver's and the authoritative ones) to
 * a HesDnsDirectBackend aimed at that server, e.g. a knotd on 127.0.0.1:5353. With
 * HES_DNS_AUTHORITATIVE_SERVER=IPv4:PORT as well, the domain's own servers are that one
 * instead, so that a change not yet visible through the resolver can be shown.
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-backend.h"
#include "hes-dns-check-report.h"
#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_CHECKER (hes_dns_checker_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsChecker, hes_dns_checker, HES, DNS_CHECKER, GObject)

/* @resolver: answers "what does this computer's resolver say" (NULL: a HesDnsDirectBackend on
 * /etc/resolv.conf, which also gives TTLs and CNAMEs that GResolver lacks). @authoritative:
 * used with RD=0 toward the zone's servers (NULL: a HesDnsDirectBackend). */
HesDnsChecker     *hes_dns_checker_new                      (HesDnsBackend      *resolver,
                                                             HesDnsBackend      *authoritative);
/* The port the authoritative servers are asked on (53; tests use another). */
void               hes_dns_checker_set_authoritative_port   (HesDnsChecker      *self,
                                                             guint16             port);
/* Ask these servers ("IPv4[:port]") instead of looking up the zone's NS set. */
void               hes_dns_checker_set_authoritative_servers (HesDnsChecker     *self,
                                                             const char * const *servers);
/* Signals, on the caller's main context:
 * "progress" (guint done, guint total) each time a lookup ends (total grows as the check
 *   finds more to ask).
 * "record-checked" (guint index, HesDnsRecordResult *result) exactly once per record, as soon
 *   as its verdict is final: a record that is right at the resolver at once (the servers'
 *   answers cannot change that), others once the authoritative servers have answered, an SPF
 *   record that relies on the MX record after the MX record. So the order is not the plan's:
 *   use @index. Every record is announced before the check's callback runs, with the same
 *   result the report holds. Once the check is cancelled, no more records are announced. */
void               hes_dns_checker_check_async              (HesDnsChecker      *self,
                                                             HesDnsRecordPlan   *plan,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
HesDnsCheckReport *hes_dns_checker_check_finish             (HesDnsChecker      *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);

G_END_DECLS
