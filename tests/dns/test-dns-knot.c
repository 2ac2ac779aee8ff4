/* test-dns-knot.c: the checker against a real Knot DNS server on 127.0.0.1.
 *
 * Every lookup goes to knotd through HesDnsDirectBackend (the resolver's view and, with RD=0,
 * the authoritative one). The exported zone fragment is served as is and must check ok;
 * the traps of dns.md give their verdicts; SERVFAIL and REFUSED give "unknown". Pending is
 * shown with two servers: an "old" one that the resolver view asks, and a "new" one that the
 * zone's NS record leads to (the authoritative port is the new server's).
 */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-checker.h"
#include "hes-dns-direct-backend.h"
#include "hes-knot-fixture.h"
#include "hes-test-keys.h"
#include "hes-test-zones.h"

static HesKnotFixture *knot;

typedef struct {
  HesDnsCheckReport *report;
  GError *error;
} Run;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &run->error);
}

static HesDnsCheckReport *
check_with (HesDnsChecker *checker,
            const char    *domain,
            const char    *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new (domain, host, NULL, NULL,
                                                              TEST_KEY_A2048, &error);
  Run run = { 0, };

  g_assert_no_error (error);
  hes_dns_checker_check_async (checker, plan, NULL, on_done, &run);
  while (run.report == NULL && run.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  for (guint i = 0; i < run.report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (run.report->results, i);

      g_test_message ("%-16s %-8s %s", r->record->id, hes_dns_verdict_to_string (r->finding->verdict),
                      r->finding->explanation ? r->finding->explanation : "");
    }
  return run.report;
}

static HesDnsCheckReport *
check_plan (HesDnsChecker *checker,
            const char    *domain,
            const char    *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new (domain, TEST_MAIL_HOST, NULL, NULL,
                                                              key, &error);
  Run run = { 0, };

  g_assert_no_error (error);
  hes_dns_checker_check_async (checker, plan, NULL, on_done, &run);
  while (run.report == NULL && run.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  return run.report;
}

static HesDnsChecker *
knot_checker (void)
{
  const char *server = hes_knot_fixture_get_server (knot);
  const char *servers[] = { server, NULL };
  g_autoptr(HesDnsDirectBackend) backend = hes_dns_direct_backend_new (server);
  HesDnsChecker *checker;

  hes_dns_direct_backend_set_timeout (backend, 2000);
  checker = hes_dns_checker_new (HES_DNS_BACKEND (backend), HES_DNS_BACKEND (backend));
  hes_dns_checker_set_authoritative_servers (checker, servers);
  return checker;
}

static HesDnsCheckReport *
check (const char *domain,
       const char *host)
{
  const char *server = hes_knot_fixture_get_server (knot);
  const char *servers[] = { server, NULL };
  g_autoptr(HesDnsDirectBackend) backend = hes_dns_direct_backend_new (server);
  g_autoptr(HesDnsChecker) checker = NULL;

  hes_dns_direct_backend_set_timeout (backend, 2000);
  checker = hes_dns_checker_new (HES_DNS_BACKEND (backend), HES_DNS_BACKEND (backend));
  hes_dns_checker_set_authoritative_servers (checker, servers);
  return check_with (checker, domain, host);
}

static HesDnsFinding *
finding (HesDnsCheckReport *report,
         const char        *id)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);

      if (g_str_equal (r->record->id, id))
        return r->finding;
    }
  g_assert_not_reached ();
}

static void
test_exported_zone_all_ok (void)
{
  g_autoptr(HesDnsCheckReport) report = check ("good.example", TEST_MAIL_HOST);

  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
  g_assert_true (hes_dns_check_report_is_ok (report));
}

/* The exported fragment passes Knot's own zone check (offline, from the config). */
static void
test_exported_zone_checks (void)
{
  g_autofree char *knotc = hes_knot_find_program ("knotc");
  g_autofree char *conf = g_build_filename (hes_knot_fixture_get_dir (knot), "knot.conf", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { knotc, "-c", conf, "zone-check", "good.example", NULL };
  const char *broken[] = { knotc, "-c", conf, "zone-check", "broken.example", NULL };
  int status = -1;

  g_assert_nonnull (knotc);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  g_test_message ("knotc zone-check: %s %s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* The check is real: the broken zone fails it. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_spawn_sync (NULL, (char **) broken, NULL, 0, NULL, NULL, &out, &err, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

static void
test_traps (void)
{
  g_autoptr(HesDnsCheckReport) report = check ("kunde.example", TEST_MAIL_HOST);
  HesDnsFinding *f;

  f = finding (report, "mx");          /* a second MX elsewhere; upper case is fine */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "mx.old-provider.example"));
  f = finding (report, "spf");         /* two SPF policies */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx include:_spf.old-provider.example -all");
  g_assert_cmpuint (f->found->len, ==, 2);
  f = finding (report, "dkim");        /* split TXT, extra tags, space in p=: same key */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (report, "dmarc");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (f->weak);
  f = finding (report, "autoconfig");  /* the DNS host appended the domain */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "mail.hosterra.test.kunde.example"));
  f = finding (report, "autodiscover"); /* upper-case CNAME target */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (report, "srv-autodiscover");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (report, "srv-imaps");   /* wrong port */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "143"));
  f = finding (report, "srv-submissions");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_MISSING);
  f = finding (report, "srv-caldavs"); /* no trailing dot in the zone: appended */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "mail.hosterra.test.kunde.example"));
  f = finding (report, "srv-carddavs");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_false (hes_dns_check_report_is_ok (report));
}

static void
test_cname_at_mx_target (void)
{
  g_autoptr(HesDnsCheckReport) report = check ("cnamemx.example", "alias.hosterra.test");
  HesDnsFinding *f = finding (report, "mx");

  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "CNAME"));
}

static void
test_servfail_refused_unknown (void)
{
  g_autoptr(HesDnsCheckReport) servfail = check ("broken.example", TEST_MAIL_HOST);
  g_autoptr(HesDnsCheckReport) refused = check ("not-served.example", TEST_MAIL_HOST);

  g_assert_cmpuint (servfail->counts[HES_DNS_VERDICT_UNKNOWN], ==, 11);
  g_assert_nonnull (strstr (finding (servfail, "mx")->explanation, "failure"));
  g_assert_cmpuint (refused->counts[HES_DNS_VERDICT_UNKNOWN], ==, 11);
  g_assert_nonnull (strstr (finding (refused, "mx")->explanation, "refused"));
}

static void
test_pending (void)
{
  /* The "old" server is what this computer's resolver still says; its NS record leads to
   * 127.0.0.1, asked on the "new" server's port, which already has the records. */
  g_autofree char *old_zone = g_strdup (
    "$ORIGIN pending.example.\n$TTL 3600\n"
    "@   SOA ns1 hostmaster 1 3600 900 1209600 300\n"
    "@   NS  ns1\nns1 A 127.0.0.1\n"
    "@   1800 MX 10 mx.pending.example.\n"
    "mx  A   198.51.100.7\n"
    "@   TXT \"v=spf1 mx ~all\"\n");
  g_autofree char *new_zone = hes_test_zones_good ("pending.example");
  g_auto(GStrv) standard = hes_test_zones_standard ();
  const char *old_zones[] = { "hosterra.test", standard[1], "pending.example", old_zone, NULL };
  const char *new_zones[] = { "pending.example", new_zone, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesKnotFixture) old_server = hes_knot_fixture_start (old_zones, &error);
  g_autoptr(HesKnotFixture) new_server = NULL;
  g_autoptr(HesDnsDirectBackend) resolver = NULL;
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (NULL);
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  g_assert_no_error (error);
  new_server = hes_knot_fixture_start (new_zones, &error);
  g_assert_no_error (error);
  resolver = hes_dns_direct_backend_new (hes_knot_fixture_get_server (old_server));
  checker = hes_dns_checker_new (HES_DNS_BACKEND (resolver), HES_DNS_BACKEND (direct));
  hes_dns_checker_set_authoritative_port (checker, hes_knot_fixture_get_port (new_server));
  report = check_with (checker, "pending.example", TEST_MAIL_HOST);

  g_assert_cmpstr (report->zone_apex, ==, "pending.example");
  g_assert_cmpuint (report->nameservers->len, ==, 1);
  f = finding (report, "mx");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 1800);
  f = finding (report, "dkim");        /* never asked before: negative TTL of the old zone */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 300);
  f = finding (report, "spf");         /* right, waits for the MX */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_PENDING], ==, 11);
  g_assert_true (hes_dns_check_report_is_ok (report));
}

/* The usual move: MX and SPF changed together at the DNS host while this computer's resolver
 * still holds the old MX and the old SPF policy. The server's policy is judged with the
 * server's MX, so SPF too is only "not visible yet", and nothing must be fixed. */
static void
test_pending_spf_changed (void)
{
  g_autofree char *old_zone = g_strdup (
    "$ORIGIN moving.example.\n$TTL 3600\n"
    "@   SOA ns1 hostmaster 1 3600 900 1209600 300\n"
    "@   NS  ns1\nns1 A 127.0.0.1\n"
    "@   1800 MX 10 mx.moving.example.\n"
    "mx  A   198.51.100.7\n"
    "@   1200 TXT \"v=spf1 ip4:198.51.100.7 -all\"\n");
  g_autofree char *new_zone = hes_test_zones_good ("moving.example");
  g_auto(GStrv) standard = hes_test_zones_standard ();
  const char *old_zones[] = { "hosterra.test", standard[1], "moving.example", old_zone, NULL };
  const char *new_zones[] = { "moving.example", new_zone, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesKnotFixture) old_server = hes_knot_fixture_start (old_zones, &error);
  g_autoptr(HesKnotFixture) new_server = NULL;
  g_autoptr(HesDnsDirectBackend) resolver = NULL;
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (NULL);
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  g_assert_no_error (error);
  new_server = hes_knot_fixture_start (new_zones, &error);
  g_assert_no_error (error);
  resolver = hes_dns_direct_backend_new (hes_knot_fixture_get_server (old_server));
  checker = hes_dns_checker_new (HES_DNS_BACKEND (resolver), HES_DNS_BACKEND (direct));
  hes_dns_checker_set_authoritative_port (checker, hes_knot_fixture_get_port (new_server));
  report = check_with (checker, "moving.example", TEST_MAIL_HOST);

  f = finding (report, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 1200);
  g_assert_cmpint (finding (report, "mx")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_PENDING], ==, 11);
  g_assert_true (hes_dns_check_report_is_ok (report));
}

/* Zones served by Knot for the RFC points: SPF ?all / no all / ptr / an mx before the lookup
 * limit, an ed25519 DKIM record (RFC 8463), DMARC tags in the wrong order. */
static const char *rfc_zones[] = {
  "neutral.example",
  "$ORIGIN neutral.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n@ NS ns1\n"
  "ns1 A 127.0.0.1\n@ MX 10 mail.hosterra.test.\n@ TXT \"v=spf1 mx ?all\"\n"
  "dkim._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
  "_dmarc TXT \"p=reject; v=DMARC1\"\n",
  "noall.example",
  "$ORIGIN noall.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n@ NS ns1\n"
  "ns1 A 127.0.0.1\n@ MX 10 mail.hosterra.test.\n@ TXT \"v=spf1 mx\"\n",
  "ptr.example",
  "$ORIGIN ptr.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n@ NS ns1\n"
  "ns1 A 127.0.0.1\n@ MX 10 mail.hosterra.test.\n@ TXT \"v=spf1 ptr -all\"\n",
  "limit.example",
  "$ORIGIN limit.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 1209600 300\n@ NS ns1\n"
  "ns1 A 127.0.0.1\n@ A 192.0.2.99\n@ MX 10 mail.hosterra.test.\n"
  "@ TXT \"v=spf1 mx a a a a a a a a a a a -all\"\n",
  NULL,
};

static void
test_rfc_points (void)
{
  g_autoptr(HesDnsChecker) checker = knot_checker ();
  g_autoptr(HesDnsCheckReport) neutral = check_plan (checker, "neutral.example", NULL);
  g_autoptr(HesDnsCheckReport) noall = check_plan (checker, "noall.example", NULL);
  g_autoptr(HesDnsCheckReport) ptr = check_plan (checker, "ptr.example", NULL);
  g_autoptr(HesDnsCheckReport) limit = check_plan (checker, "limit.example", NULL);
  HesDnsFinding *f;

  f = finding (neutral, "spf");        /* ?all: works, orange, with the fix */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (f->weak);
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx ~all");
  f = finding (neutral, "dkim");       /* ed25519 without a key to compare with */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (neutral, "dmarc");      /* there, but invalid: wrong with the fix */
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (f->fix);
  g_assert_cmpstr (g_ptr_array_index (f->found, 0), ==, "p=reject; v=DMARC1");
  f = finding (noall, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (f->weak);
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx ~all");
  f = finding (ptr, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "RFC 7208"));
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx -all");
  f = finding (limit, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "still works for this mail server"));
}

/* A domain typed in Unicode is checked as its IDNA name: the exported zone of the ASCII name,
 * served by Knot, is right record for record. */
static void
test_idn_domain (void)
{
  g_autoptr(HesDnsChecker) checker = knot_checker ();
  g_autoptr(HesDnsCheckReport) report = check_plan (checker, "Müller.Example", TEST_KEY_A2048);

  g_assert_cmpstr (report->domain, ==, "xn--mller-kva.example");
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
}

static void
test_apex_above_domain (void)
{
  /* shop.good.example is a name inside the good.example zone, with none of the records: the
   * zone and its server are found all the same (Knot's negative answer names the zone and
   * its NS answer carries the glue), and the server is asked with RD=0. */
  const char *server = hes_knot_fixture_get_server (knot);
  g_autoptr(HesDnsDirectBackend) resolver = hes_dns_direct_backend_new (server);
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (NULL);
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;

  checker = hes_dns_checker_new (HES_DNS_BACKEND (resolver), HES_DNS_BACKEND (direct));
  hes_dns_checker_set_authoritative_port (checker, hes_knot_fixture_get_port (knot));
  report = check_with (checker, "shop.good.example", TEST_MAIL_HOST);
  g_assert_cmpstr (report->zone_apex, ==, "good.example");
  g_assert_cmpuint (report->nameservers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->nameservers, 0), ==, server);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_MISSING], ==, 11);
}

int
main (int argc, char **argv)
{
  g_auto(GStrv) zones = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  {
    g_auto(GStrv) standard = hes_test_zones_standard ();
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
    g_autofree char *idn = hes_test_zones_good ("xn--mller-kva.example");

    g_strv_builder_addv (b, (const char **) standard);
    g_strv_builder_addv (b, rfc_zones);
    g_strv_builder_add_many (b, "xn--mller-kva.example", idn, NULL);
    zones = g_strv_builder_end (b);
  }
  knot = hes_knot_fixture_start ((const char * const *) zones, &error);
  if (knot == NULL)
    {
      g_printerr ("knotd could not be started: %s\n", error->message);
      return 1;
    }
  g_test_add_func ("/dns/knot/exported-zone-all-ok", test_exported_zone_all_ok);
  g_test_add_func ("/dns/knot/exported-zone-checks", test_exported_zone_checks);
  g_test_add_func ("/dns/knot/traps", test_traps);
  g_test_add_func ("/dns/knot/cname-at-mx-target", test_cname_at_mx_target);
  g_test_add_func ("/dns/knot/servfail-refused-unknown", test_servfail_refused_unknown);
  g_test_add_func ("/dns/knot/pending", test_pending);
  g_test_add_func ("/dns/knot/pending-spf-changed", test_pending_spf_changed);
  g_test_add_func ("/dns/knot/rfc-points", test_rfc_points);
  g_test_add_func ("/dns/knot/idn-domain", test_idn_domain);
  g_test_add_func ("/dns/knot/apex-above-domain", test_apex_above_domain);
  status = g_test_run ();
  hes_knot_fixture_stop (knot);
  return status;
}
