/* hes-dns-name.h: DNS name normalisation and the "appended domain" mistake.
 *
 * Every name the DNS code compares goes through hes_dns_name_normalise(): IDNA to ASCII
 * (g_hostname_to_ascii), lower case (RFC 4343), no trailing dot. The root is "".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NULL when @name is not a valid host name. */
char     *hes_dns_name_normalise      (const char *name);
gboolean  hes_dns_name_equal         (const char *a,
                                      const char *b);
/* TRUE when @name is @zone or below it (both normalised). */
gboolean  hes_dns_name_is_below      (const char *name,
                                      const char *zone);
/* TRUE when @found is @expected with @domain stuck to its end, as web forms of DNS hosts do
 * when the target was typed without a trailing dot ("mail.h.example.kunde.example"). */
gboolean  hes_dns_name_is_appended   (const char *found,
                                      const char *expected,
                                      const char *domain);
/* The name with its first label removed; NULL for the root. */
const char *hes_dns_name_parent      (const char *name);
/* TRUE when @text is an IPv4 or IPv6 literal. */
gboolean  hes_dns_name_is_ip_literal (const char *text);

G_END_DECLS
