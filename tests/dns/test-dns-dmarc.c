/* test-dns-dmarc.c: DMARC records (RFC 7489) */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-dmarc.h"

static void
test_parse (void)
{
  const char *good[] = {
    "v=DMARC1; p=quarantine",
    "v=DMARC1;p=reject;rua=mailto:dmarc@kunde.example,mailto:x@report.example;pct=50;adkim=s;",
    "v = DMARC1 ; p = none ; fo=1",
    "v=DMARC1; p=none; unknowntag=whatever",
  };
  const char *bad[] = {
    "v=DMARC1",                              /* no p= */
    "v=DMARC1; rua=mailto:a@b.example; p=none", /* p= not right after v= */
    "v=DMARC1; p=maybe",
    "v=DMARC1; p=none; p=reject",
    "v=DMARC1; p=none; pct=101",
    "v=DMARC1; p=none; rua=https://example.org/report",
    "v=DMARC1; p=none; adkim=x",
    "v=DMARC2; p=none",
    "v=dmarc1; p=none",                      /* the version is case-sensitive */
    "v=DMARC1;; p=none",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HesDnsDmarcRecord) r = hes_dns_dmarc_parse (good[i], &error);

      g_test_message ("good %u", i);
      g_assert_no_error (error);
      g_assert_nonnull (r->policy);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HesDnsDmarcRecord) r = hes_dns_dmarc_parse (bad[i], &error);

      g_test_message ("bad %u", i);
      g_assert_null (r);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_check (void)
{
  const char *one[] = { "v=DMARC1; p=quarantine", NULL };
  const char *none_policy[] = { "v=DMARC1; p=none", NULL };
  const char *two[] = { "v=DMARC1; p=quarantine", "v=DMARC1; p=reject", NULL };
  const char *broken[] = { "v=DMARC1; p=whatever", NULL };
  const char *other_txt[] = { "some-verification=abc", NULL };
  g_autoptr(HesDnsFinding) ok = hes_dns_dmarc_check (one, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) weak = hes_dns_dmarc_check (none_policy, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) dup = hes_dns_dmarc_check (two, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) bad = hes_dns_dmarc_check (broken, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) missing = hes_dns_dmarc_check (other_txt, "v=DMARC1; p=quarantine");

  g_assert_cmpint (ok->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_false (ok->weak);
  g_assert_cmpint (weak->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (weak->weak);
  g_assert_nonnull (weak->explanation);
  g_assert_cmpint (dup->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpuint (dup->found->len, ==, 2);
  g_assert_cmpint (bad->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (bad->fix, ==, "v=DMARC1; p=quarantine");
  g_assert_cmpint (missing->verdict, ==, HES_DNS_VERDICT_MISSING);
}

/* RFC 7489 §6.6.3 discards a record that does not start with v=DMARC1, but the customer meant
 * one: it is wrong, with the fix, not missing. */
static void
test_misordered (void)
{
  const char *misordered[] = { "p=reject; v=DMARC1", "other=1", NULL };
  const char *unrelated[] = { "p=reject", NULL };
  const char *empty[] = { "", NULL };
  g_autoptr(HesDnsFinding) e = hes_dns_dmarc_check (empty, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) f = hes_dns_dmarc_check (misordered, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) g = hes_dns_dmarc_check (unrelated, "v=DMARC1; p=quarantine");

  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (f->fix, ==, "v=DMARC1; p=quarantine");
  g_assert_nonnull (strstr (f->explanation, "v=DMARC1"));
  g_assert_cmpuint (f->found->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->found, 0), ==, "p=reject; v=DMARC1");
  g_assert_cmpint (g->verdict, ==, HES_DNS_VERDICT_MISSING);
  /* An empty TXT string (found by fuzz-dmarc) is no policy at all. */
  g_assert_cmpint (e->verdict, ==, HES_DNS_VERDICT_MISSING);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/dmarc/parse", test_parse);
  g_test_add_func ("/dns/dmarc/check", test_check);
  g_test_add_func ("/dns/dmarc/misordered", test_misordered);
  return g_test_run ();
}
