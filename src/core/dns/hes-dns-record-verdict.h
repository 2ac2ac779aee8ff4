/* hes-dns-record-verdict.h: the verdict on one planned record from what a check looked up
 * (private to the checker).
 *
 * local: the resolver's view alone. authoritative: the servers that answered with AA=1
 * together (ok only when all of them say ok). decide: ok or failed locally wins; right at the
 * servers but not yet here is pending (visible_in_s from the resolver's TTL). relate: an SPF
 * policy that only fails because the MX record is not right (yet) says so.
 * Each function reads only lookups that have ended; the job decides when that is.
 */
#pragma once

#include "hes-dns-check-state.h"
#include "hes-dns-finding.h"

G_BEGIN_DECLS

HesDnsFinding *hes_dns_record_verdict_local         (const HesDnsCheckState *state,
                                                     guint                   index);
/* NULL when no server answered with authority. */
/* The index of the plan's MX record; -1 when it has none. */
gint           hes_dns_record_verdict_mx_index      (const HesDnsCheckState *state);
HesDnsFinding *hes_dns_record_verdict_authoritative (const HesDnsCheckState *state,
                                                     guint                   index);
HesDnsFinding *hes_dns_record_verdict_decide        (const HesDnsCheckState *state,
                                                     guint                   index,
                                                     HesDnsFinding          *local,
                                                     HesDnsFinding          *authoritative);
/* TRUE when the SPF finding @spf of record @index may change with the MX record's verdict:
 * then hes_dns_record_verdict_relate_spf_to_mx() needs that verdict and the evaluation of
 * the policy with the planned MX. */
gboolean       hes_dns_record_verdict_spf_needs_mx  (const HesDnsCheckState *state,
                                                     guint                   index,
                                                     const HesDnsFinding    *spf);
/* @spf with the MX record's finding @mx taken into account; a new reference. */
HesDnsFinding *hes_dns_record_verdict_relate_spf_to_mx (const HesDnsCheckState *state,
                                                        guint                   index,
                                                        HesDnsFinding          *spf,
                                                        const HesDnsFinding    *mx);

G_END_DECLS
