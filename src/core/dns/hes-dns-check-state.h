/* hes-dns-check-state.h: what one check has looked up so far (private to the checker).
 *
 * The job (hes-dns-check-job.c) fills it as answers arrive; the per-record evaluation
 * (hes-dns-record-verdict.c) reads it. Every lookup has a slot that says whether it ended and
 * with which answer or error.
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-answer.h"
#include "hes-dns-record-plan.h"
#include "hes-dns-spf.h"

G_BEGIN_DECLS

typedef struct {
  HesDnsAnswer *answer;
  GError       *error;
  gboolean      done;
} HesDnsLookup;

/* One authoritative server and its answers: 2 lookups per record, as for the resolver. */
typedef struct {
  char         *address;   /* "IPv4:port" */
  HesDnsLookup *records;
} HesDnsServerLookups;

typedef struct {
  HesDnsLookup a;
  HesDnsLookup aaaa;
} HesDnsTargetLookups;

typedef struct {
  gboolean             done;
  HesDnsSpfEvaluation *evaluation;   /* NULL when the evaluation failed */
} HesDnsSpfSlot;

typedef struct {
  HesDnsRecordPlan *plan;
  guint             n_records;
  HesDnsLookup      host[2];      /* the mail host's A and AAAA */
  HesDnsLookup     *local;        /* 2 per record: [0] the record's type (A for aliases),
                                   * [1] AAAA for aliases */
  GPtrArray        *servers;      /* HesDnsServerLookups, in the order they became known */
  GHashTable       *targets;      /* MX target → HesDnsTargetLookups */
  GHashTable       *spf;          /* policy text → HesDnsSpfSlot */
  GHashTable       *spf_assumed;  /* the same, with the domain's MX taken as planned */
} HesDnsCheckState;

HesDnsCheckState *hes_dns_check_state_new        (HesDnsRecordPlan       *plan);
void              hes_dns_check_state_free       (HesDnsCheckState       *state);
HesDnsServerLookups *hes_dns_check_state_add_server (HesDnsCheckState    *state,
                                                  const char             *address);
/* The lookups of record @index at the resolver ([0], [1]) or at @server. */
HesDnsLookup     *hes_dns_check_state_local      (const HesDnsCheckState *state,
                                                  guint                   index);
HesDnsLookup     *hes_dns_check_state_at_server  (const HesDnsCheckState *state,
                                                  guint                   server,
                                                  guint                   index);
/* The mail host's addresses, from both host lookups. */
GStrv             hes_dns_check_state_host_addresses (const HesDnsCheckState *state);

void              hes_dns_lookup_clear           (HesDnsLookup           *lookup);
/* An answer a verdict can rest on: NOERROR, NXDOMAIN, or a backend that cannot tell. */
gboolean          hes_dns_lookup_usable          (const HesDnsLookup     *lookup);
/* What record @r is asked as: aliases are asked for their address. */
HesDnsType        hes_dns_planned_record_query_type (const HesDnsPlannedRecord *r);
/* The joined texts of the TXT records owned by @name. */
GStrv             hes_dns_answer_txt_texts       (const HesDnsAnswer     *answer,
                                                  const char             *name);
/* The one SPF policy among the TXT records of @name; NULL when there is none or several. */
char             *hes_dns_answer_single_spf      (const HesDnsAnswer     *answer,
                                                  const char             *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsCheckState, hes_dns_check_state_free)

G_END_DECLS
