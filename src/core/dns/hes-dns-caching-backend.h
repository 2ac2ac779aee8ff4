/* hes-dns-caching-backend.h: one lookup per question, shared by everyone who asks it.
 *
 * Wraps another backend for the life of one job (a check). A question (name, type, server,
 * recursion) asked again while the first lookup runs, or after it ended, gets that lookup's
 * answer or error instead of a new one. So the record lookups, the zone's NS discovery and
 * the SPF evaluations share what they have in common (the domain's MX, the mail host's
 * addresses, the NS set) and none of them waits a round trip for an answer already coming.
 * The lookup runs on the first asker's cancellable: meant for callers that share one.
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_CACHING_BACKEND (hes_dns_caching_backend_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsCachingBackend, hes_dns_caching_backend, HES, DNS_CACHING_BACKEND, GObject)

HesDnsCachingBackend *hes_dns_caching_backend_new           (HesDnsBackend        *inner);
/* How many lookups went to the inner backend (each question once). */
guint                 hes_dns_caching_backend_get_n_lookups (HesDnsCachingBackend *self);

G_END_DECLS
