/* hes-dns-srv.h: service records (RFC 2782, RFC 6186, RFC 8314): target and port. */
#pragma once

#include <glib.h>

#include "hes-dns-finding.h"

G_BEGIN_DECLS

/* @records: the SRV HesDnsRr found at the name (may be empty). */
HesDnsFinding *hes_dns_srv_check (GPtrArray  *records,
                                  const char *mail_host,
                                  guint16     port,
                                  const char *domain,
                                  const char *expected_value);

G_END_DECLS
