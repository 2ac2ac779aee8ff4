/* test-dns-checker.c: HesDnsChecker on a fake backend: every verdict, pending, failures,
 * cancellation and progress. */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-checker.h"
#include "hes-fake-dns-backend.h"
#include "hes-test-keys.h"

#define NS "192.0.2.53:53"

static const char *infrastructure =
  "kunde.example SOA ns1.kunde.example hostmaster.kunde.example 1 3600 900 1209600 300\n"
  "kunde.example NS ns1.kunde.example\n"
  "ns1.kunde.example A 192.0.2.53\n"
  "mail.hosterra.test A 192.0.2.25\n"
  "mail.hosterra.test AAAA 2001:db8::25\n";

static const char *good_zone =
  "kunde.example SOA ns1.kunde.example hostmaster.kunde.example 1 3600 900 1209600 300\n"
  "kunde.example NS ns1.kunde.example\n"
  "kunde.example MX 10 mail.hosterra.test\n"
  "kunde.example TXT \"v=spf1 mx ~all\"\n"
  "_dmarc.kunde.example TXT \"v=DMARC1; p=quarantine\"\n"
  "autoconfig.kunde.example CNAME mail.hosterra.test\n"
  "autodiscover.kunde.example CNAME mail.hosterra.test\n"
  "_autodiscover._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n"
  "_imaps._tcp.kunde.example SRV 0 1 993 mail.hosterra.test\n"
  "_submissions._tcp.kunde.example SRV 0 1 465 mail.hosterra.test\n"
  "_caldavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n"
  "_carddavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n";

static char *
dkim_line (const char *key)
{
  /* Published as two strings, as a DNS host does with a long value. */
  return g_strdup_printf ("dkim._domainkey.kunde.example TXT \"v=DKIM1; k=rsa; p=%.150s\" \"%s\"",
                          key, key + 150);
}

static HesFakeDnsBackend *
fake_with (const char *resolver_zone,
           const char *auth_zone)
{
  HesFakeDnsBackend *fake = hes_fake_dns_backend_new ();
  g_autofree char *dkim = dkim_line (TEST_KEY_A2048);

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  if (resolver_zone)
    hes_fake_dns_backend_add_lines (fake, NULL, resolver_zone);
  if (auth_zone)
    {
      hes_fake_dns_backend_add_lines (fake, NS, auth_zone);
      if (auth_zone == good_zone)
        hes_fake_dns_backend_add (fake, NS, dkim);
    }
  if (resolver_zone == good_zone)
    hes_fake_dns_backend_add (fake, NULL, dkim);
  return fake;
}

static HesDnsRecordPlan *
plan_new (void)
{
  g_autoptr(GError) error = NULL;
  HesDnsRecordPlan *plan = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test", NULL,
                                                    NULL, TEST_KEY_A2048, &error);

  g_assert_no_error (error);
  return plan;
}

typedef struct {
  HesDnsCheckReport *report;
  GError *error;
  gboolean done;
  guint n_progress;
  guint n_checked;
} Run;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &run->error);
  run->done = TRUE;
}

static void
on_progress (HesDnsChecker *checker, guint done, guint total, Run *run)
{
  g_assert_cmpuint (done, <=, total);
  run->n_progress++;
}

static void
on_record (HesDnsChecker *checker, guint index, HesDnsRecordResult *result, Run *run)
{
  g_assert_cmpuint (index, ==, run->n_checked);
  g_assert_nonnull (result->finding);
  run->n_checked++;
}

static HesDnsCheckReport *
run_check (HesFakeDnsBackend *fake,
           GCancellable      *cancellable,
           GError           **error)
{
  g_autoptr(HesDnsChecker) checker = hes_dns_checker_new (HES_DNS_BACKEND (fake), HES_DNS_BACKEND (fake));
  g_autoptr(HesDnsRecordPlan) plan = plan_new ();
  Run run = { 0, };

  g_signal_connect (checker, "progress", G_CALLBACK (on_progress), &run);
  g_signal_connect (checker, "record-checked", G_CALLBACK (on_record), &run);
  hes_dns_checker_check_async (checker, plan, cancellable, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  if (run.report)
    {
      g_assert_cmpuint (run.n_checked, ==, 11);
      g_assert_cmpuint (run.n_progress, >, 11);
    }
  if (run.error)
    g_propagate_error (error, run.error);
  return run.report;
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
test_all_ok (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = run_check (fake, NULL, &error);
  g_autofree char *summary = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);

      g_test_message ("%s: %s %s", r->record->id, hes_dns_verdict_to_string (r->finding->verdict),
                      r->finding->explanation ? r->finding->explanation : "");
      g_assert_cmpint (r->finding->verdict, ==, HES_DNS_VERDICT_OK);
    }
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
  g_assert_true (hes_dns_check_report_is_ok (report));
  g_assert_cmpstr (report->zone_apex, ==, "kunde.example");
  g_assert_cmpuint (report->nameservers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->nameservers, 0), ==, NS);
  summary = hes_dns_check_report_get_summary (report);
  g_assert_cmpstr (summary, ==, "All DNS records are right.");
}

static const char *messy_zone =
  "kunde.example MX 10 mail.hosterra.test\n"
  "kunde.example MX 20 mx.old-provider.example\n"
  "kunde.example TXT \"v=spf1 mx ~all\"\n"
  "kunde.example TXT \"v=spf1 include:_spf.old-provider.example -all\"\n"
  "_dmarc.kunde.example TXT \"v=DMARC1; p=none\"\n"
  "autoconfig.kunde.example CNAME mail.hosterra.test.kunde.example\n"
  "autodiscover.kunde.example A 192.0.2.25\n"
  "autodiscover.kunde.example AAAA 2001:db8::25\n"
  "_autodiscover._tcp.kunde.example SRV 0 1 443 MAIL.HOSTERRA.TEST\n"
  "_imaps._tcp.kunde.example SRV 0 1 143 mail.hosterra.test\n"
  "_caldavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test.kunde.example\n"
  "_carddavs._tcp.kunde.example SRV 0 1 443 mail.hosterra.test\n";

static void
test_verdicts (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_with (messy_zone, NULL);
  g_autofree char *other_key = dkim_line (TEST_KEY_B2048);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  hes_fake_dns_backend_add (fake, NULL, other_key);
  hes_fake_dns_backend_add_lines (fake, NS, messy_zone);
  hes_fake_dns_backend_add (fake, NS, other_key);
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);

  f = finding (report, "mx");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "mx.old-provider.example"));
  f = finding (report, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx include:_spf.old-provider.example -all");
  f = finding (report, "dkim");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  f = finding (report, "dmarc");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (f->weak);
  f = finding (report, "autoconfig");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_nonnull (strstr (f->explanation, "mail.hosterra.test.kunde.example"));
  g_assert_cmpstr (f->fix, ==, "mail.hosterra.test.");
  f = finding (report, "autodiscover");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (report, "srv-autodiscover");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  f = finding (report, "srv-imaps");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  f = finding (report, "srv-submissions");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_MISSING);
  g_assert_cmpstr (f->fix, ==, "0 1 465 mail.hosterra.test");
  f = finding (report, "srv-caldavs");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
  f = finding (report, "srv-carddavs");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_false (hes_dns_check_report_is_ok (report));
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_WRONG], ==, 6);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_MISSING], ==, 1);
}

static void
test_pending (void)
{
  /* The resolver still has the old MX (TTL 1800) and never saw _dmarc; the domain's own
   * server already has everything. */
  g_autofree char *old = g_strdup_printf ("%s%s", "kunde.example 1800 MX 10 mx.old-provider.example\n",
                                          good_zone + strlen ("kunde.example SOA ns1.kunde.example hostmaster.kunde.example 1 3600 900 1209600 300\nkunde.example NS ns1.kunde.example\nkunde.example MX 10 mail.hosterra.test\n"));
  g_autoptr(GString) without_dmarc = g_string_new (old);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  g_string_replace (without_dmarc, "_dmarc.kunde.example TXT \"v=DMARC1; p=quarantine\"\n", "", 0);
  fake = fake_with (without_dmarc->str, good_zone);
  hes_fake_dns_backend_add (fake, NULL, "dkim._domainkey.kunde.example TXT \"v=DKIM1; p=" TEST_KEY_A2048 "\"");
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);

  f = finding (report, "mx");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 1800);
  g_assert_nonnull (strstr (f->explanation, "30 minutes"));
  f = finding (report, "dmarc");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 300);
  /* "v=spf1 mx ~all" authorises the host through the MX that is not visible yet. */
  f = finding (report, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 1800);
  f = finding (report, "srv-imaps");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (hes_dns_check_report_is_ok (report));
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_PENDING], ==, 3);
}

static void
test_missing_everything (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_with ("", "kunde.example SOA ns1.kunde.example h.kunde.example 1 3600 900 1209600 300");
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = run_check (fake, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);

      g_test_message ("%s: %s", r->record->id, hes_dns_verdict_to_string (r->finding->verdict));
    }
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_MISSING], ==, 11);
  g_assert_false (hes_dns_check_report_is_ok (report));
}

static void
test_failures_unknown (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  /* Both views fail for these names: never "wrong", never "missing". */
  hes_fake_dns_backend_set_behaviour (fake, NULL, "_imaps._tcp.kunde.example", HES_FAKE_TIMEOUT);
  hes_fake_dns_backend_set_behaviour (fake, NS, "_imaps._tcp.kunde.example", HES_FAKE_TIMEOUT);
  hes_fake_dns_backend_set_behaviour (fake, NULL, "_dmarc.kunde.example", HES_FAKE_SERVFAIL);
  hes_fake_dns_backend_set_behaviour (fake, NS, "_dmarc.kunde.example", HES_FAKE_SERVFAIL);
  hes_fake_dns_backend_set_behaviour (fake, NULL, "autoconfig.kunde.example", HES_FAKE_REFUSED);
  hes_fake_dns_backend_set_behaviour (fake, NS, "autoconfig.kunde.example", HES_FAKE_REFUSED);
  /* Only the resolver fails here: the domain's server still answers with authority. */
  hes_fake_dns_backend_set_behaviour (fake, NULL, "_carddavs._tcp.kunde.example", HES_FAKE_TIMEOUT);
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);

  f = finding (report, "srv-imaps");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_UNKNOWN);
  g_assert_nonnull (strstr (f->explanation, "in time"));
  f = finding (report, "dmarc");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_UNKNOWN);
  g_assert_nonnull (strstr (f->explanation, "failure"));
  f = finding (report, "autoconfig");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_UNKNOWN);
  g_assert_nonnull (strstr (f->explanation, "refused"));
  f = finding (report, "srv-carddavs");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_UNKNOWN], ==, 3);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_WRONG], ==, 0);
}

static void
test_no_authoritative (void)
{
  /* The zone's server refuses every question: the resolver's view alone decides. */
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;

  hes_fake_dns_backend_set_behaviour (fake, NS, NULL, HES_FAKE_REFUSED);
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  gint64 start = g_get_monotonic_time ();

  hes_fake_dns_backend_set_behaviour (fake, NULL, NULL, HES_FAKE_HANG);
  g_timeout_add (50, cancel_cb, cancellable);
  report = run_check (fake, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/checker/all-ok", test_all_ok);
  g_test_add_func ("/dns/checker/verdicts", test_verdicts);
  g_test_add_func ("/dns/checker/pending", test_pending);
  g_test_add_func ("/dns/checker/missing", test_missing_everything);
  g_test_add_func ("/dns/checker/failures-unknown", test_failures_unknown);
  g_test_add_func ("/dns/checker/no-authoritative", test_no_authoritative);
  g_test_add_func ("/dns/checker/cancel", test_cancel);
  return g_test_run ();
}
