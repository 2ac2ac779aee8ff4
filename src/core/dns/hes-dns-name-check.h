/* hes-dns-name-check.h: is a name given by the customer (or by a server) one the DNS can hold?
 *
 * Every name that goes into a record plan passes here before anything is looked up, shown or
 * exported: the command line, the DNS pages (through the plan) and the exports rest on it.
 * Rules: IDNA to ASCII through GLib (g_hostname_to_ascii), then RFC 1035 lengths (a label 1–63
 * characters, the name at most 253 without its final dot) and LDH labels (letters, digits,
 * hyphens, no hyphen first or last). An underscore is allowed only as the first character of a
 * label of a record's own name (_dmarc, _domainkey, _tcp), never in what is typed. A mail host
 * is a host name: neither an IP address nor a web address.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HES_DNS_NAME_USE_DOMAIN,     /* the customer's domain: two labels at least */
  HES_DNS_NAME_USE_MAIL_HOST,  /* the mail server's host name */
  HES_DNS_NAME_USE_SELECTOR,   /* a DKIM selector (RFC 6376 §3.1: a sub-domain) */
  HES_DNS_NAME_USE_OWNER,      /* a record's own name: "_" may start a label */
} HesDnsNameUse;

/* The name in ASCII, lower case, without its final dot; NULL and G_IO_ERROR_INVALID_ARGUMENT
 * with one translated sentence when @text cannot be such a name. The sentence never repeats
 * @text when it holds characters a terminal or a zone file would act on. */
char     *hes_dns_name_check        (const char     *text,
                                     HesDnsNameUse   use,
                                     GError        **error);
/* TRUE when @name (ASCII) can be written into a zone file as it is. */
gboolean  hes_dns_name_is_zone_safe (const char     *name,
                                     gboolean        allow_underscore);

G_END_DECLS
