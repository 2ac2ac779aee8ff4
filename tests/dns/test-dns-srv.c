/* test-dns-srv.c: SRV checks (RFC 2782, RFC 6186) */
#include <glib.h>
#include <string.h>

#include "hes-dns-answer.h"
#include "hes-dns-srv.h"

#define H "mail.hosterra.test"
#define D "kunde.example"

static HesDnsRr *
srv (guint16 prio, guint16 weight, guint16 port, const char *target)
{
  HesDnsRr *rr = hes_dns_rr_new ("_imaps._tcp." D, HES_DNS_TYPE_SRV, 3600);

  rr->priority = prio;
  rr->weight = weight;
  rr->port = port;
  rr->target = g_strdup (target);
  return rr;
}

static HesDnsFinding *
check (HesDnsRr *a, HesDnsRr *b)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_rr_unref);

  if (a)
    g_ptr_array_add (records, a);
  if (b)
    g_ptr_array_add (records, b);
  return hes_dns_srv_check (records, H, 993, D, "0 1 993 " H);
}

static void
test_cases (void)
{
  g_autoptr(HesDnsFinding) ok = check (srv (0, 1, 993, H), NULL);
  g_autoptr(HesDnsFinding) prio = check (srv (5, 0, 993, H), NULL);
  g_autoptr(HesDnsFinding) port = check (srv (0, 1, 143, H), NULL);
  g_autoptr(HesDnsFinding) appended = check (srv (0, 1, 993, H "." D), NULL);
  g_autoptr(HesDnsFinding) none = check (srv (0, 0, 0, ""), NULL);
  g_autoptr(HesDnsFinding) other = check (srv (0, 1, 993, "imap.other.example"), NULL);
  g_autoptr(HesDnsFinding) mixed = check (srv (0, 1, 993, H), srv (0, 1, 993, "imap.other.example"));
  g_autoptr(HesDnsFinding) missing = check (NULL, NULL);

  g_assert_cmpint (ok->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_cmpstr (g_ptr_array_index (ok->found, 0), ==, "0 1 993 " H ".");
  g_assert_cmpint (prio->verdict, ==, HES_DNS_VERDICT_OK);   /* priority/weight not compared */
  g_assert_cmpint (port->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (port->explanation, "143"));
  g_assert_nonnull (strstr (port->explanation, "993"));
  g_assert_cmpint (appended->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (appended->explanation, H "." D));
  g_assert_cmpint (none->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpint (other->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpint (mixed->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpint (missing->verdict, ==, HES_DNS_VERDICT_MISSING);
  g_assert_cmpstr (missing->fix, ==, "0 1 993 " H);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/srv/cases", test_cases);
  return g_test_run ();
}
