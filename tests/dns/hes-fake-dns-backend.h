/* hes-fake-dns-backend.h: a HesDnsBackend that answers from a table, for checker and SPF
 * tests. Records are added as zone-like lines: "name [ttl] TYPE rdata". A name with no
 * record gets NXDOMAIN (negative TTL 300); a name with records but not of the asked type gets
 * NOERROR and no data; CNAMEs are followed like a resolver does. Lines may be given per
 * server ("IPv4:port"): a query to that server sees only those lines and answers with AA=1.
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_FAKE_DNS_BACKEND (hes_fake_dns_backend_get_type ())
G_DECLARE_FINAL_TYPE (HesFakeDnsBackend, hes_fake_dns_backend, HES, FAKE_DNS_BACKEND, GObject)

typedef enum {
  HES_FAKE_ANSWER,      /* from the table */
  HES_FAKE_SERVFAIL,
  HES_FAKE_REFUSED,
  HES_FAKE_TIMEOUT,     /* G_IO_ERROR_TIMED_OUT after a short delay */
  HES_FAKE_HANG,        /* never answers; only cancellation ends it */
} HesFakeBehaviour;

HesFakeDnsBackend *hes_fake_dns_backend_new        (void);
/* @server NULL: the resolver's view. */
void               hes_fake_dns_backend_add        (HesFakeDnsBackend *self,
                                                    const char        *server,
                                                    const char        *line);
void               hes_fake_dns_backend_add_lines  (HesFakeDnsBackend *self,
                                                    const char        *server,
                                                    const char        *lines);
/* How queries for @name (any type; NULL: every name) to @server behave. */
void               hes_fake_dns_backend_set_behaviour (HesFakeDnsBackend *self,
                                                       const char        *server,
                                                       const char        *name,
                                                       HesFakeBehaviour   behaviour);
guint              hes_fake_dns_backend_get_n_queries (HesFakeDnsBackend *self);
/* Queries currently waiting for an answer. */
guint              hes_fake_dns_backend_get_n_open    (HesFakeDnsBackend *self);

G_END_DECLS
