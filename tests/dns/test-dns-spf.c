/* test-dns-spf.c: SPF parsing, lookup counting, evaluation and the merged policy (RFC 7208) */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-spf.h"
#include "hes-fake-dns-backend.h"

static void
test_is_spf (void)
{
  g_assert_true (hes_dns_spf_is_spf ("v=spf1 mx -all"));
  g_assert_true (hes_dns_spf_is_spf ("V=SPF1"));
  g_assert_false (hes_dns_spf_is_spf ("v=spf10 mx"));
  g_assert_false (hes_dns_spf_is_spf ("v=spf1\tmx"));
  g_assert_false (hes_dns_spf_is_spf ("spf2.0/pra mx"));
  g_assert_false (hes_dns_spf_is_spf (NULL));
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsSpfPolicy) p =
    hes_dns_spf_parse ("v=spf1 +mx a:Mail.Example/24//64 ip4:192.0.2.0/24 ip6:2001:DB8::/32 "
                       "include:_spf.example.org ~all exp=explain.%{d} x-custom=1", &error);
  HesDnsSpfTerm *t;
  const char *bad[] = {
    "v=spf1 foo:bar",               /* unknown mechanism */
    "v=spf1 ip4:192.0.2.300",
    "v=spf1 ip4:192.0.2.0/33",
    "v=spf1 ip6:192.0.2.1",         /* an IPv4 under ip6 */
    "v=spf1 ip6:2001:db8::/129",
    "v=spf1 include",               /* include needs a domain */
    "v=spf1 all:x",
    "v=spf1 redirect=a.example redirect=b.example",
    "v=spf1 a:%{z}.example",        /* unknown macro letter */
    "v=spf1 a:%{d",                 /* unterminated macro */
    "v=spf1 mx/40",
    "v=spf1 exp=a.example exp=b.example",
    "v=spf1 -",
    "v=spf2 mx",
  };

  g_assert_no_error (error);
  g_assert_cmpuint (p->terms->len, ==, 6);
  t = g_ptr_array_index (p->terms, 1);
  g_assert_cmpint (t->mechanism, ==, HES_DNS_SPF_A);
  g_assert_cmpstr (t->domain, ==, "Mail.Example");
  g_assert_cmpint (t->cidr4, ==, 24);
  g_assert_cmpint (t->cidr6, ==, 64);
  t = g_ptr_array_index (p->terms, 3);
  g_assert_cmpint (t->mechanism, ==, HES_DNS_SPF_IP6);
  g_assert_cmpint (hes_dns_spf_policy_get_all (p), ==, '~');
  g_assert_cmpuint (p->modifiers->len, ==, 2);
  g_assert_null (p->redirect);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(HesDnsSpfPolicy) b = hes_dns_spf_parse (bad[i], &error);

      g_test_message ("bad %u: %s", i, bad[i]);
      g_assert_null (b);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  {
    /* Host bits under the prefix are allowed and ignored. */
    g_autoptr(HesDnsSpfPolicy) host_bits = hes_dns_spf_parse ("v=spf1 ip4:192.0.2.77/24 -all", NULL);
    g_autoptr(GInetAddress) inside = g_inet_address_new_from_string ("192.0.2.1");

    g_assert_nonnull (host_bits);
    t = g_ptr_array_index (host_bits->terms, 0);
    g_assert_true (g_inet_address_mask_matches (t->network, inside));
  }
}

static void
test_merge (void)
{
  const char *one[] = { "v=spf1 include:_spf.google.com ?all", NULL };
  const char *dup[] = { "v=spf1 mx a:mail.provider.example ~all",
                        "v=spf1 include:_spf.other.example -all", "google-site=abc", NULL };
  const char *redirect[] = { "v=spf1 redirect=_spf.old.example", NULL };
  const char *broken[] = { "v=spf1 ip4:192.0.2.1 bogus:x +all", NULL };
  g_autofree char *a = hes_dns_spf_merge (one);
  g_autofree char *b = hes_dns_spf_merge (dup);
  g_autofree char *c = hes_dns_spf_merge (redirect);
  g_autofree char *d = hes_dns_spf_merge (broken);
  g_autoptr(HesDnsSpfPolicy) pb = hes_dns_spf_parse (b, NULL);

  g_assert_cmpstr (a, ==, "v=spf1 mx include:_spf.google.com ~all");
  g_assert_cmpstr (b, ==, "v=spf1 mx a:mail.provider.example include:_spf.other.example -all");
  g_assert_nonnull (pb);
  g_assert_cmpstr (c, ==, "v=spf1 mx include:_spf.old.example ~all");
  g_assert_cmpstr (d, ==, "v=spf1 mx ip4:192.0.2.1 ~all");
}

/* ---- evaluation against a fake DNS ------------------------------------------------------ */

static const char *world =
  "kunde.example MX 10 mail.hosterra.test\n"
  "mail.hosterra.test A 192.0.2.25\n"
  "mail.hosterra.test AAAA 2001:db8::25\n"
  "_spf.hosterra.test TXT \"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/48 -all\"\n"
  "_spf.v4only.example TXT \"v=spf1 ip4:192.0.2.25 -all\"\n"
  "_spf.other.example TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n"
  "loop-a.example TXT \"v=spf1 include:loop-b.example -all\"\n"
  "loop-b.example TXT \"v=spf1 include:loop-a.example -all\"\n"
  "192.0.2.25.allow.example A 127.0.0.2\n"
  "mailhost.example A 192.0.2.25\n"
  "mailhost.example AAAA 2001:db8::25\n";

typedef struct {
  HesDnsSpfEvaluation *ev;
  GError *error;
  gboolean done;
} Run;

static void
on_eval (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->ev = hes_dns_spf_evaluate_finish (result, &run->error);
  run->done = TRUE;
}

static HesDnsSpfEvaluation *
evaluate (HesFakeDnsBackend *fake,
          const char        *policy)
{
  const char *addresses[] = { "192.0.2.25", "2001:db8::25", NULL };
  Run run = { 0, };

  hes_dns_spf_evaluate_async (HES_DNS_BACKEND (fake), "kunde.example", policy, addresses, NULL,
                              on_eval, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  return run.ev;
}

static HesDnsFinding *
check_policy (HesFakeDnsBackend *fake,
              const char        *policy)
{
  g_autoptr(HesDnsSpfEvaluation) ev = evaluate (fake, policy);
  const char *texts[] = { policy, "other-verification=1", NULL };

  return hes_dns_spf_check (texts, ev, "v=spf1 mx ~all");
}

static void
test_evaluate (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  struct { const char *policy; HesDnsVerdict verdict; gboolean weak; guint lookups; } cases[] = {
    { "v=spf1 mx ~all", HES_DNS_VERDICT_OK, FALSE, 1 },
    { "v=spf1 mx -all", HES_DNS_VERDICT_OK, FALSE, 1 },
    { "v=spf1 a:mail.hosterra.test -all", HES_DNS_VERDICT_OK, FALSE, 1 },
    { "v=spf1 include:_spf.hosterra.test -all", HES_DNS_VERDICT_OK, FALSE, 1 },
    { "v=spf1 ip4:192.0.2.0/27 ip6:2001:db8::/32 -all", HES_DNS_VERDICT_OK, FALSE, 0 },
    { "v=spf1 redirect=_spf.hosterra.test", HES_DNS_VERDICT_OK, FALSE, 1 },
    { "v=spf1 ip4:192.0.2.0/28 ip6:2001:db8::/32 -all", HES_DNS_VERDICT_WRONG, FALSE, 0 },
    { "v=spf1 exists:%{i}.allow.example -all", HES_DNS_VERDICT_WRONG, FALSE, 1 },
    { "v=spf1 mx ?all", HES_DNS_VERDICT_OK, TRUE, 1 },
    { "v=spf1 mx", HES_DNS_VERDICT_OK, TRUE, 1 },
    /* IPv6 not authorised: the v4-only include is not enough. */
    { "v=spf1 include:_spf.v4only.example ~all", HES_DNS_VERDICT_WRONG, FALSE, 1 },
    { "v=spf1 include:_spf.other.example ~all", HES_DNS_VERDICT_WRONG, FALSE, 1 },
    /* A fail before the pass wins: order matters. */
    { "v=spf1 -ip4:192.0.2.25 mx ~all", HES_DNS_VERDICT_WRONG, FALSE, 1 },
    { "v=spf1 +all", HES_DNS_VERDICT_WRONG, FALSE, 0 },
    { "v=spf1 include:loop-a.example mx -all", HES_DNS_VERDICT_WRONG, FALSE, 4 },
    { "v=spf1 a:n1.example a:n2.example a:n3.example mx -all", HES_DNS_VERDICT_WRONG, FALSE, 4 },
    { "v=spf1 a a a a a a a a a a a mx -all", HES_DNS_VERDICT_WRONG, FALSE, 12 },
    { "v=spf1 include:nospf.example mx -all", HES_DNS_VERDICT_WRONG, FALSE, 2 },
  };

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HesDnsSpfEvaluation) ev = evaluate (fake, cases[i].policy);
      g_autoptr(HesDnsFinding) f = check_policy (fake, cases[i].policy);

      g_test_message ("%s → %s", cases[i].policy, hes_dns_verdict_to_string (f->verdict));
      g_assert_cmpint (f->verdict, ==, cases[i].verdict);
      g_assert_cmpint (f->weak, ==, cases[i].weak);
      g_assert_cmpuint (MIN (ev->n_lookups, 12), ==, cases[i].lookups);
      g_assert_cmpuint (f->found->len, ==, 1);
    }
}

static void
test_exists_macro (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsSpfEvaluation) ev = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  /* §7.3: %{i} of an IPv6 address is its 32 nibbles, dot-separated, in order. */
  hes_fake_dns_backend_add (fake, NULL,
                            "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.5.allow.example A 127.0.0.2");
  ev = evaluate (fake, "v=spf1 exists:%{i}.allow.example -all");
  g_assert_cmpuint (ev->results->len, ==, 2);
  g_assert_cmpint (g_array_index (ev->results, HesDnsSpfResult, 0), ==, HES_DNS_SPF_RESULT_PASS);
  g_assert_cmpint (g_array_index (ev->results, HesDnsSpfResult, 1), ==, HES_DNS_SPF_RESULT_PASS);
}

/* %{d2} keeps the two rightmost labels, %{dr} reverses them (RFC 7208 §7.3). A digit
 * transformer once made the parser read past the end (found by fuzz-spf). */
static void
test_macro_transformers (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsSpfEvaluation) two = NULL, reversed = NULL, odd = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  hes_fake_dns_backend_add (fake, NULL, "kunde.example.spf.test A 127.0.0.2");
  hes_fake_dns_backend_add (fake, NULL, "example.kunde.rev.test A 127.0.0.2");
  two = evaluate (fake, "v=spf1 exists:%{d2}.spf.test -all");
  g_assert_cmpint (g_array_index (two->results, HesDnsSpfResult, 0), ==, HES_DNS_SPF_RESULT_PASS);
  reversed = evaluate (fake, "v=spf1 exists:%{dr}.rev.test -all");
  g_assert_cmpint (g_array_index (reversed->results, HesDnsSpfResult, 0), ==, HES_DNS_SPF_RESULT_PASS);
  odd = evaluate (fake, "v=spf1 a:%{r6}6 exists:%{d12r-}.x -all");
  g_assert_cmpint (g_array_index (odd->results, HesDnsSpfResult, 0), ==, HES_DNS_SPF_RESULT_FAIL);
}

static void
test_void_lookups (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsSpfEvaluation) ev = NULL;
  g_autoptr(HesDnsFinding) f = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  ev = evaluate (fake, "v=spf1 a:n1.example a:n2.example a:n3.example mx -all");
  g_assert_cmpuint (ev->n_void, ==, 3);
  f = check_policy (fake, "v=spf1 a:n1.example a:n2.example a:n3.example mx -all");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_null (f->fix);
}

static void
test_failures (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsFinding) f = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  hes_fake_dns_backend_set_behaviour (fake, NULL, "_spf.hosterra.test", HES_FAKE_SERVFAIL);
  f = check_policy (fake, "v=spf1 include:_spf.hosterra.test -all");
  /* A lookup that fails must never make the record "wrong". */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_UNKNOWN);
}

static void
test_check_records (void)
{
  const char *none[] = { "google-site-verification=x", NULL };
  const char *two[] = { "v=spf1 mx ~all", "v=spf1 include:_spf.other.example -all", NULL };
  const char *broken[] = { "v=spf1 mx include ~all", NULL };
  g_autoptr(HesDnsFinding) missing = hes_dns_spf_check (none, NULL, "v=spf1 mx ~all");
  g_autoptr(HesDnsFinding) dup = hes_dns_spf_check (two, NULL, "v=spf1 mx ~all");
  g_autoptr(HesDnsFinding) bad = hes_dns_spf_check (broken, NULL, "v=spf1 mx ~all");
  g_autoptr(HesDnsFinding) noaddr = NULL;
  const char *one[] = { "v=spf1 mx ~all", NULL };

  g_assert_cmpint (missing->verdict, ==, HES_DNS_VERDICT_MISSING);
  g_assert_cmpstr (missing->fix, ==, "v=spf1 mx ~all");
  g_assert_cmpint (dup->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (dup->fix, ==, "v=spf1 mx include:_spf.other.example -all");
  g_assert_cmpuint (dup->found->len, ==, 2);
  g_assert_cmpint (bad->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (bad->fix, ==, "v=spf1 mx ~all");
  noaddr = hes_dns_spf_check (one, NULL, "v=spf1 mx ~all");
  g_assert_cmpint (noaddr->verdict, ==, HES_DNS_VERDICT_UNKNOWN);
}

/* Issue points: ?all and no all are orange with the fix; ptr is explained as discouraged;
 * an mx that matches before the lookup limit still works for this server only. */
static void
test_rfc_explanations (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsFinding) neutral = NULL, no_all = NULL, ptr = NULL, limit = NULL, early = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  neutral = check_policy (fake, "v=spf1 mx ?all");
  g_assert_true (neutral->weak);
  g_assert_cmpstr (neutral->fix, ==, "v=spf1 mx ~all");
  g_assert_nonnull (strstr (neutral->explanation, "?all"));
  no_all = check_policy (fake, "v=spf1 mx");
  g_assert_true (no_all->weak);
  g_assert_cmpstr (no_all->fix, ==, "v=spf1 mx ~all");

  ptr = check_policy (fake, "v=spf1 ptr -all");
  g_assert_cmpint (ptr->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (ptr->explanation, "ptr"));
  g_assert_nonnull (strstr (ptr->explanation, "RFC 7208"));
  g_assert_null (strstr (ptr->explanation, "does not allow"));
  g_assert_cmpstr (ptr->fix, ==, "v=spf1 mx -all");

  /* mx first, then 11 more lookups: this server passes, the others would not. */
  early = check_policy (fake, "v=spf1 mx a a a a a a a a a a a -all");
  g_assert_cmpint (early->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (early->explanation, "still works for this mail server"));
  limit = check_policy (fake, "v=spf1 a a a a a a a a a a a mx -all");
  g_assert_cmpint (limit->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_null (strstr (limit->explanation, "still works"));
}

static void
test_merged_fix_authorises (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsFinding) wrong = NULL;
  g_autoptr(HesDnsFinding) fixed = NULL;

  hes_fake_dns_backend_add_lines (fake, NULL, world);
  wrong = check_policy (fake, "v=spf1 include:_spf.other.example ~all");
  g_assert_cmpint (wrong->verdict, ==, HES_DNS_VERDICT_WRONG);
  /* The proposal keeps the other sender and, once published, passes the check. */
  g_assert_cmpstr (wrong->fix, ==, "v=spf1 mx include:_spf.other.example ~all");
  fixed = check_policy (fake, wrong->fix);
  g_assert_cmpint (fixed->verdict, ==, HES_DNS_VERDICT_OK);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/spf/is-spf", test_is_spf);
  g_test_add_func ("/dns/spf/parse", test_parse);
  g_test_add_func ("/dns/spf/merge", test_merge);
  g_test_add_func ("/dns/spf/evaluate", test_evaluate);
  g_test_add_func ("/dns/spf/exists-macro", test_exists_macro);
  g_test_add_func ("/dns/spf/macro-transformers", test_macro_transformers);
  g_test_add_func ("/dns/spf/void-lookups", test_void_lookups);
  g_test_add_func ("/dns/spf/failures", test_failures);
  g_test_add_func ("/dns/spf/check-records", test_check_records);
  g_test_add_func ("/dns/spf/merged-fix-authorises", test_merged_fix_authorises);
  g_test_add_func ("/dns/spf/rfc-explanations", test_rfc_explanations);
  return g_test_run ();
}
