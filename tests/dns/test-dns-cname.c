/* test-dns-cname.c: alias checks (autoconfig, autodiscover) */
#include <glib.h>
#include <string.h>

#include "hes-dns-cname.h"

#define H "mail.hosterra.test"
#define D "kunde.example"
#define N "autoconfig." D

static const char *host_addresses[] = { "192.0.2.25", "2001:db8::25", NULL };

static HesDnsAnswer *
answer (HesDnsRcode rcode)
{
  return hes_dns_answer_new (rcode, FALSE);
}

static void
add (HesDnsAnswer *a, const char *name, HesDnsType type, const char *value)
{
  HesDnsRr *rr = hes_dns_rr_new (name, type, 3600);

  if (type == HES_DNS_TYPE_CNAME)
    rr->target = g_strdup (value);
  else
    rr->address = g_strdup (value);
  g_ptr_array_add (a->records, rr);
}

static HesDnsFinding *
check (HesDnsAnswer *a, HesDnsAnswer *aaaa)
{
  HesDnsFinding *f = hes_dns_cname_check (N, a, aaaa, host_addresses, H, D);

  hes_dns_answer_unref (a);
  hes_dns_answer_unref (aaaa);
  return f;
}

static void
test_cname (void)
{
  HesDnsAnswer *a = answer (HES_DNS_RCODE_NOERROR), *aaaa = answer (HES_DNS_RCODE_NOERROR);
  g_autoptr(HesDnsFinding) ok = NULL, wrong = NULL, appended = NULL;

  /* A resolver follows the chain: CNAME then the target's address. */
  add (a, N, HES_DNS_TYPE_CNAME, H);
  add (a, H, HES_DNS_TYPE_A, "192.0.2.25");
  add (aaaa, N, HES_DNS_TYPE_CNAME, H);
  ok = check (a, aaaa);
  g_assert_cmpint (ok->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_cmpstr (g_ptr_array_index (ok->found, 0), ==, H ".");

  a = answer (HES_DNS_RCODE_NOERROR);
  add (a, N, HES_DNS_TYPE_CNAME, "mail.wrong-provider.example");
  add (a, "mail.wrong-provider.example", HES_DNS_TYPE_A, "198.51.100.7");
  wrong = check (a, answer (HES_DNS_RCODE_NOERROR));
  g_assert_cmpint (wrong->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (wrong->fix, ==, H ".");

  a = answer (HES_DNS_RCODE_NOERROR);
  add (a, N, HES_DNS_TYPE_CNAME, H "." D);
  appended = check (a, answer (HES_DNS_RCODE_NOERROR));
  g_assert_cmpint (appended->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (appended->explanation, H "." D));
}

static void
test_addresses (void)
{
  HesDnsAnswer *a = answer (HES_DNS_RCODE_NOERROR), *aaaa = answer (HES_DNS_RCODE_NOERROR);
  g_autoptr(HesDnsFinding) same = NULL, v4only = NULL, other = NULL, missing = NULL, nodata = NULL;

  add (a, N, HES_DNS_TYPE_A, "192.0.2.25");
  add (aaaa, N, HES_DNS_TYPE_AAAA, "2001:0db8:0::25");
  same = check (a, aaaa);
  g_assert_cmpint (same->verdict, ==, HES_DNS_VERDICT_OK);

  a = answer (HES_DNS_RCODE_NOERROR);
  add (a, N, HES_DNS_TYPE_A, "192.0.2.25");
  v4only = check (a, answer (HES_DNS_RCODE_NOERROR));
  g_assert_cmpint (v4only->verdict, ==, HES_DNS_VERDICT_OK);

  a = answer (HES_DNS_RCODE_NOERROR);
  add (a, N, HES_DNS_TYPE_A, "203.0.113.9");
  other = check (a, answer (HES_DNS_RCODE_NOERROR));
  g_assert_cmpint (other->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (g_ptr_array_index (other->found, 0), ==, "203.0.113.9");

  missing = check (answer (HES_DNS_RCODE_NXDOMAIN), answer (HES_DNS_RCODE_NXDOMAIN));
  g_assert_cmpint (missing->verdict, ==, HES_DNS_VERDICT_MISSING);
  nodata = check (answer (HES_DNS_RCODE_NOERROR), NULL);
  g_assert_cmpint (nodata->verdict, ==, HES_DNS_VERDICT_MISSING);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/cname/alias", test_cname);
  g_test_add_func ("/dns/cname/addresses", test_addresses);
  return g_test_run ();
}
