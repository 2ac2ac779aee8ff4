/* hes-test-zones.h: the zones the Knot tests serve.
 *
 * hosterra.test   the provider: mail.hosterra.test A/AAAA, alias.hosterra.test CNAME to it
 * good.example    exactly the exported zone fragment of the plan (+ SOA/NS): every record ok
 * kunde.example   the traps of dns.md: two SPF policies, a DKIM key split in two strings with
 *                 extra tags, upper-case targets, a target with the domain appended, a wrong
 *                 SRV port, a second MX elsewhere, a missing SRV, DMARC p=none
 * cnamemx.example MX to alias.hosterra.test, which is a CNAME
 * broken.example  a zone that does not load: Knot answers SERVFAIL
 * (anything else) REFUSED
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEST_MAIL_HOST "mail.hosterra.test"

/* Pairs (zone name, zone text), NULL-terminated; free with g_strfreev. */
char **hes_test_zones_standard (void);
/* The zone text of good.example built from the plan's export. */
char  *hes_test_zones_good     (const char *domain);

G_END_DECLS
