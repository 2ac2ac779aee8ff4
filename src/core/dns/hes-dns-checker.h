/* hes-dns-checker.h: checks every record of a plan, as the customer's resolver and the
 * domain's own DNS servers see it.
 *
 * All lookups of the plan run in parallel (bounded by the backend). The zone apex is found by
 * asking for the SOA and walking up; its NS set is resolved, and each server (IPv4) is asked
 * with RD=0 and must answer with AA=1. Verdict per record: ok; pending (right at the
 * authoritative servers, not yet at the resolver, visible_in_s from the resolver's TTL);
 * missing (NXDOMAIN or no data); wrong; unknown (timeout, SERVFAIL, REFUSED: never wrong).
 *
 * Demos and tests: when the environment variable HES_DNS_SERVER=IPv4:PORT is set, a checker
 * created with no backends sends every lookup (the resolver's and the authoritative ones) to
 * a HesDnsDirectBackend aimed at that server, e.g. a knotd on 127.0.0.1:5353.
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
/* Signals: "progress" (guint done, guint total) as lookups end, and "record-checked"
 * (guint index, HesDnsRecordResult *result) for each record once its verdict is known. */
void               hes_dns_checker_check_async              (HesDnsChecker      *self,
                                                             HesDnsRecordPlan   *plan,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
HesDnsCheckReport *hes_dns_checker_check_finish             (HesDnsChecker      *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);

G_END_DECLS
