/* hes-dns-spf.h: SPF policies (RFC 7208).
 *
 * Parsing (§4.6, §5, §6), the checks of dns.md §4: exactly one policy at the domain; at most 10
 * DNS-querying terms and 2 void lookups, counted through include and redirect (§4.6.4); the
 * mail host's IPv4 and IPv6 addresses are authorised (evaluated like check_host(): ip4/ip6
 * with CIDR, a, mx, include, redirect, exists with simple macros); a permissive `all` is
 * flagged. When something is wrong, ONE merged policy is proposed that keeps the customer's
 * existing senders and adds `mx`.
 *
 * hes-dns-spf.c parses, merges and gives the verdict; hes-dns-spf-eval.c evaluates.
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-backend.h"
#include "hes-dns-finding.h"

G_BEGIN_DECLS

typedef enum {
  HES_DNS_SPF_ALL,
  HES_DNS_SPF_INCLUDE,
  HES_DNS_SPF_A,
  HES_DNS_SPF_MX,
  HES_DNS_SPF_PTR,
  HES_DNS_SPF_IP4,
  HES_DNS_SPF_IP6,
  HES_DNS_SPF_EXISTS,
} HesDnsSpfMechanism;

typedef struct {
  HesDnsSpfMechanism mechanism;
  char               qualifier;   /* '+', '-', '~' or '?' */
  char              *domain;      /* domain-spec, NULL for the current domain */
  int                cidr4;       /* -1: none given */
  int                cidr6;
  GInetAddressMask  *network;     /* ip4 / ip6 */
  char              *text;        /* the term as written, lower case */
} HesDnsSpfTerm;

typedef struct {
  GPtrArray *terms;      /* HesDnsSpfTerm, in order */
  char      *redirect;   /* redirect= or NULL */
  GPtrArray *modifiers;  /* other modifiers as written (exp=…, unknown) */
} HesDnsSpfPolicy;

typedef enum {
  HES_DNS_SPF_RESULT_NONE,
  HES_DNS_SPF_RESULT_NEUTRAL,
  HES_DNS_SPF_RESULT_PASS,
  HES_DNS_SPF_RESULT_FAIL,
  HES_DNS_SPF_RESULT_SOFTFAIL,
  HES_DNS_SPF_RESULT_TEMPERROR,
  HES_DNS_SPF_RESULT_PERMERROR,
} HesDnsSpfResult;

typedef struct {
  guint            n_lookups;     /* DNS-querying terms, through include/redirect */
  guint            n_void;        /* lookups that found nothing */
  gboolean         failed;        /* a lookup could not be done (timeout, SERVFAIL) */
  gboolean         loop;          /* include/redirect loop or depth over 10 */
  GPtrArray       *addresses;     /* char *: the mail host's addresses that were evaluated */
  GArray          *results;       /* HesDnsSpfResult, one per address */
} HesDnsSpfEvaluation;

/* TRUE when @text is an SPF policy: "v=spf1" (any case) then a space or the end. */
gboolean             hes_dns_spf_is_spf          (const char          *text);
HesDnsSpfPolicy     *hes_dns_spf_parse           (const char          *text,
                                                  GError             **error);
void                 hes_dns_spf_policy_free     (HesDnsSpfPolicy     *policy);
/* The `all` qualifier of the policy, or 0 when it has no all. */
char                 hes_dns_spf_policy_get_all  (const HesDnsSpfPolicy *policy);
/* One policy keeping every sender of @texts (one or more SPF policies, even malformed ones:
 * the terms that parse are kept), with `mx` added and `all` made ~all (or -all when one of
 * them had -all). A redirect= of a duplicate becomes include:. */
char                *hes_dns_spf_merge           (const char * const  *texts);

/* Fetches everything @policy_text refers to through @backend (recursion on, system resolver)
 * and evaluates it for each of @addresses (the mail host's, as text). */
void                 hes_dns_spf_evaluate_async  (HesDnsBackend       *backend,
                                                  const char          *domain,
                                                  const char          *policy_text,
                                                  const char * const  *addresses,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* The same, but the domain's own MX set is taken to be "10 @mx_host" (the planned one), to
 * tell "the SPF record is wrong" from "it relies on an MX record that is not right yet". */
void                 hes_dns_spf_evaluate_assuming_mx_async (HesDnsBackend       *backend,
                                                             const char          *domain,
                                                             const char          *policy_text,
                                                             const char * const  *addresses,
                                                             const char          *mx_host,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
HesDnsSpfEvaluation *hes_dns_spf_evaluate_finish (GAsyncResult        *result,
                                                  GError             **error);
void                 hes_dns_spf_evaluation_free (HesDnsSpfEvaluation *evaluation);

/* @texts: joined text of every TXT record at the domain (SPF or not). @evaluation: the
 * evaluation of the one SPF policy among them, or NULL when there is not exactly one or the
 * mail host's addresses are unknown. */
HesDnsFinding       *hes_dns_spf_check           (const char * const  *texts,
                                                  const HesDnsSpfEvaluation *evaluation,
                                                  const char          *suggested);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsSpfPolicy, hes_dns_spf_policy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsSpfEvaluation, hes_dns_spf_evaluation_free)

G_END_DECLS
