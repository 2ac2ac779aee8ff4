/* hes-dns-cname.h: alias records such as autoconfig/autodiscover (RFC 1034 §3.6.2).
 *
 * Right: a CNAME to the mail host, or A/AAAA records equal to the mail host's (as mailcow
 * accepts). Wrong: a CNAME elsewhere (including the appended-domain mistake) or other
 * addresses. Missing: neither.
 */
#pragma once

#include <glib.h>

#include "hes-dns-answer.h"
#include "hes-dns-finding.h"

G_BEGIN_DECLS

/* @a, @aaaa: answers to A and AAAA at @name (a CNAME shows as the first link of the chain).
 * @host_addresses: the mail host's A and AAAA addresses as text. */
HesDnsFinding *hes_dns_cname_check (const char          *name,
                                    const HesDnsAnswer  *a,
                                    const HesDnsAnswer  *aaaa,
                                    const char * const  *host_addresses,
                                    const char          *mail_host,
                                    const char          *domain);

G_END_DECLS
