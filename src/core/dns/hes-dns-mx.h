/* hes-dns-mx.h: the domain's MX set (RFC 5321 §5, RFC 2181 §10.3, RFC 7505).
 *
 * The mail host must be in the set (the set is compared, not one string); another host next
 * to it means part of the mail goes elsewhere; a target that is an alias (CNAME), an IP
 * literal or the null MX "." is wrong; "mail.host.example.kunde.example" is recognised as the
 * DNS host having appended the domain.
 */
#pragma once

#include <glib.h>

#include "hes-dns-finding.h"

G_BEGIN_DECLS

typedef struct {
  const char *target;       /* normalised; "" for the null MX */
  guint16     preference;
  gboolean    is_alias;     /* the target name is a CNAME */
  gboolean    no_address;   /* the target has neither A nor AAAA (known, not a failed lookup) */
} HesDnsMxTarget;

HesDnsFinding *hes_dns_mx_check (const HesDnsMxTarget *targets,
                                 guint                 n_targets,
                                 const char           *mail_host,
                                 const char           *domain,
                                 guint16               preference);

/* The sentence and fix shared by every check that meets the appended-domain mistake. */
char          *hes_dns_appended_explanation (const char *found,
                                             const char *mail_host);

G_END_DECLS
