/* hes-test-zones.c: zones for the Knot tests */
#include <gio/gio.h>

#include "hes-dns-export.h"
#include "hes-test-keys.h"
#include "hes-test-zones.h"

static const char *provider_zone =
  "$ORIGIN hosterra.test.\n"
  "$TTL 3600\n"
  "@     SOA ns1 hostmaster 2024060101 3600 900 1209600 300\n"
  "@     NS  ns1\n"
  "ns1   A   127.0.0.1\n"
  "mail  A    192.0.2.25\n"
  "mail  AAAA 2001:db8::25\n"
  "alias CNAME mail\n"
  "_spf  TXT \"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all\"\n";

static const char *broken_zone =
  "$ORIGIN broken.example.\n"
  "@ SOA this is not a zone file\n";

char *
hes_test_zones_good (const char *domain)
{
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new (domain, TEST_MAIL_HOST, NULL, NULL,
                                                              TEST_KEY_A2048, NULL);
  g_autofree char *fragment = hes_dns_export_zone (plan);

  g_assert_nonnull (plan);
  return g_strconcat (fragment,
                      "@   3600 IN SOA ns1 hostmaster 2024060101 3600 900 1209600 300\n"
                      "@   3600 IN NS  ns1\n"
                      "ns1 3600 IN A   127.0.0.1\n", NULL);
}

static char *
kunde_zone (void)
{
  /* Knot keeps the strings as written: 150 + the rest, with extra tags and a space in p=. */
  return g_strdup_printf (
    "$ORIGIN kunde.example.\n"
    "$TTL 3600\n"
    "@   SOA ns1 hostmaster 2024060101 3600 900 1209600 300\n"
    "@   NS  ns1\n"
    "ns1 A   127.0.0.1\n"
    "@   MX  10 MAIL.Hosterra.TEST.\n"
    "@   MX  20 mx.old-provider.example.\n"
    "@   TXT \"v=spf1 mx ~all\"\n"
    "@   TXT \"v=spf1 include:_spf.old-provider.example -all\"\n"
    "@   TXT \"google-site-verification=abc\"\n"
    "dkim._domainkey TXT ( \"v=DKIM1; h=sha256; k=rsa; p=%.150s \" \"%s\" )\n"
    "_dmarc TXT \"v=DMARC1; p=none\"\n"
    "autoconfig CNAME mail.hosterra.test.kunde.example.\n"
    "autodiscover CNAME MAIL.HOSTERRA.TEST.\n"
    "_autodiscover._tcp SRV 0 1 443 Mail.Hosterra.Test.\n"
    "_imaps._tcp        SRV 0 1 143 mail.hosterra.test.\n"
    "_caldavs._tcp      SRV 0 1 443 mail.hosterra.test\n"
    "_carddavs._tcp     SRV 0 1 443 mail.hosterra.test.\n",
    TEST_KEY_A2048, &TEST_KEY_A2048[150]);
}

static const char *cnamemx_zone =
  "$ORIGIN cnamemx.example.\n"
  "$TTL 3600\n"
  "@   SOA ns1 hostmaster 2024060101 3600 900 1209600 300\n"
  "@   NS  ns1\n"
  "ns1 A   127.0.0.1\n"
  "@   MX  10 alias.hosterra.test.\n";

char **
hes_test_zones_standard (void)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *good = hes_test_zones_good ("good.example");
  g_autofree char *kunde = kunde_zone ();

  g_strv_builder_add_many (b, "hosterra.test", provider_zone, "good.example", good,
                           "kunde.example", kunde, "cnamemx.example", cnamemx_zone,
                           "broken.example", broken_zone, NULL);
  return g_strv_builder_end (b);
}
