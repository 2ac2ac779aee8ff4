/* hes-dns-combined-backend.h: one backend in front of another.
 *
 * Queries go to the primary; when it cannot ask that question (G_IO_ERROR_NOT_SUPPORTED, as
 * GResolver for A, AAAA and CNAME or for a chosen server) the secondary asks it instead. This
 * is dns.md §0's "small DNS client beside GIO".
 */
#pragma once

#include "hes-dns-backend.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_COMBINED_BACKEND (hes_dns_combined_backend_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsCombinedBackend, hes_dns_combined_backend, HES, DNS_COMBINED_BACKEND, GObject)

HesDnsCombinedBackend *hes_dns_combined_backend_new (HesDnsBackend *primary,
                                                     HesDnsBackend *secondary);

G_END_DECLS
