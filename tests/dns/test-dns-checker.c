/* test-dns-checker.c: HesDnsChecker on a fake backend: every verdict, pending, failures,
 * cancellation and progress; glue or not, a zone apex above the domain, lookups shared, and
 * each record announced as soon as its verdict is final. */
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
  HesDnsRecordResult *checked[32];   /* as announced by "record-checked" */
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
  /* Once per record, in any order, before the check ends. */
  g_assert_cmpuint (index, <, G_N_ELEMENTS (run->checked));
  g_assert_null (run->checked[index]);
  g_assert_false (run->done);
  g_assert_nonnull (result->finding);
  run->checked[index] = hes_dns_record_result_ref (result);
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
      /* The report holds the very results that were announced. */
      for (guint i = 0; i < run.report->results->len; i++)
        g_assert_true (g_ptr_array_index (run.report->results, i) == run.checked[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (run.checked); i++)
    g_clear_pointer (&run.checked[i], hes_dns_record_result_unref);
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

/* MX and SPF changed together: the resolver still holds the old MX and the old SPF policy.
 * The server's policy is judged with the server's MX (and the resolver's with the
 * resolver's), so SPF is "not visible yet" like the MX, not "does not allow". */
static void
test_pending_spf_changed (void)
{
  g_autoptr(GString) old = g_string_new (good_zone);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  HesDnsFinding *f;

  g_string_replace (old, "kunde.example MX 10 mail.hosterra.test\n",
                    "kunde.example 1800 MX 10 mx.old-provider.example\n", 0);
  g_string_replace (old, "kunde.example TXT \"v=spf1 mx ~all\"\n",
                    "kunde.example 1200 TXT \"v=spf1 ip4:198.51.100.7 -all\"\n", 0);
  fake = fake_with (old->str, good_zone);
  hes_fake_dns_backend_add (fake, NULL, "dkim._domainkey.kunde.example TXT \"v=DKIM1; p=" TEST_KEY_A2048 "\"");
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);

  f = finding (report, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (f->visible_in_s, ==, 1200);
  g_assert_cmpuint (f->found->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->found, 0), ==, "v=spf1 mx ~all");
  g_assert_cmpint (finding (report, "mx")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_true (hes_dns_check_report_is_ok (report));
}

/* The other way round: the server's SPF policy relies on an MX the server does not have yet. */
static void
test_spf_server_mx_elsewhere (void)
{
  g_autoptr(GString) old = g_string_new (good_zone);
  g_autoptr(GString) auth = g_string_new (good_zone);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;

  g_string_replace (old, "kunde.example MX 10 mail.hosterra.test\n",
                    "kunde.example MX 10 mx.old-provider.example\n", 0);
  g_string_replace (old, "kunde.example TXT \"v=spf1 mx ~all\"\n",
                    "kunde.example TXT \"v=spf1 ip4:198.51.100.7 -all\"\n", 0);
  g_string_replace (auth, "kunde.example MX 10 mail.hosterra.test\n",
                    "kunde.example MX 10 mx.old-provider.example\n", 0);
  fake = fake_with (old->str, auth->str);
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (finding (report, "spf")->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_cmpint (finding (report, "mx")->verdict, ==, HES_DNS_VERDICT_WRONG);
  g_assert_false (hes_dns_check_report_is_ok (report));
}

/* An SPF policy that ends with ?all works but is weak: orange with its fix, and the summary
 * says something can be improved, though nothing must be fixed. */
static void
test_weak_spf_summary (void)
{
  g_autoptr(GString) zone = g_string_new (good_zone);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;
  g_autofree char *summary = NULL;
  HesDnsFinding *f;

  g_string_replace (zone, "v=spf1 mx ~all", "v=spf1 mx ?all", 0);
  fake = fake_with (zone->str, zone->str);
  hes_fake_dns_backend_add (fake, NULL, "dkim._domainkey.kunde.example TXT \"v=DKIM1; p=" TEST_KEY_A2048 "\"");
  report = run_check (fake, NULL, &error);
  g_assert_no_error (error);
  f = finding (report, "spf");
  g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_OK);
  g_assert_true (f->weak);
  g_assert_cmpstr (f->fix, ==, "v=spf1 mx ~all");
  g_assert_true (hes_dns_check_report_is_ok (report));
  summary = hes_dns_check_report_get_summary (report);
  g_assert_nonnull (strstr (summary, "can be improved"));
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

static void
test_glue (void)
{
  /* Without glue the server's address is asked; with it, it is not; the result is the same. */
  for (guint glue = 0; glue < 2; glue++)
    {
      g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
      g_autoptr(GError) error = NULL;
      g_autoptr(HesDnsCheckReport) report = NULL;

      hes_fake_dns_backend_set_glue (fake, glue);
      report = run_check (fake, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
      g_assert_cmpuint (report->nameservers->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (report->nameservers, 0), ==, NS);
      g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns1.kunde.example", HES_DNS_TYPE_A),
                        ==, glue ? 0 : 1);
      /* Every record was asked once at the server, whatever found it. */
      g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NS, "_imaps._tcp.kunde.example", HES_DNS_TYPE_SRV), ==, 1);
    }
}

static void
test_shared_lookups (void)
{
  /* The SPF evaluation ("mx"), the MX target check and the aliases all need the domain's MX
   * and the mail host's addresses: each is asked once. */
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = run_check (fake, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[HES_DNS_VERDICT_OK], ==, 11);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "kunde.example", HES_DNS_TYPE_MX), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "mail.hosterra.test", HES_DNS_TYPE_A), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "mail.hosterra.test", HES_DNS_TYPE_AAAA), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "kunde.example", HES_DNS_TYPE_NS), ==, 1);
}

static void
test_apex_above_domain (void)
{
  /* The plan is for shop.kunde.example, a name inside the kunde.example zone. The zone's
   * server already has the records, the resolver not yet: the comparison still happens. */
  g_autoptr(GString) shop_zone = g_string_new (good_zone);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dkim = NULL;
  Run run = { 0, };

  g_string_replace (shop_zone, "kunde.example", "shop.kunde.example", 0);
  fake = fake_with (NULL, shop_zone->str);
  dkim = g_strdup_printf ("dkim._domainkey.shop.kunde.example TXT \"v=DKIM1; k=rsa; p=%s\"", TEST_KEY_A2048);
  hes_fake_dns_backend_add (fake, NS, dkim);
  checker = hes_dns_checker_new (HES_DNS_BACKEND (fake), HES_DNS_BACKEND (fake));
  plan = hes_dns_record_plan_new ("shop.kunde.example", "mail.hosterra.test", NULL, NULL, TEST_KEY_A2048, &error);
  g_assert_no_error (error);
  g_signal_connect (checker, "record-checked", G_CALLBACK (on_record), &run);
  hes_dns_checker_check_async (checker, plan, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.report->zone_apex, ==, "kunde.example");
  g_assert_cmpuint (run.report->nameservers->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (run.report->nameservers, 0), ==, NS);
  g_assert_cmpint (finding (run.report, "mx")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (finding (run.report, "dkim")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (finding (run.report, "srv-imaps")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpint (finding (run.report, "autoconfig")->verdict, ==, HES_DNS_VERDICT_PENDING);
  g_assert_cmpuint (run.n_checked, ==, 11);
  hes_dns_check_report_unref (run.report);
  for (guint i = 0; i < G_N_ELEMENTS (run.checked); i++)
    g_clear_pointer (&run.checked[i], hes_dns_record_result_unref);
}

typedef struct {
  guint              n_checked;
  gint64             start;
  gint64             at[32];         /* µs after the start */
  HesDnsVerdict      verdict[32];
} Early;

static void
on_early_record (HesDnsChecker *checker, guint index, HesDnsRecordResult *result, Early *e)
{
  e->at[index] = g_get_monotonic_time () - e->start;
  e->verdict[index] = result->finding->verdict;
  e->n_checked++;
}

static void
test_announced_when_final (void)
{
  /* The zone's server never answers. Every record is right at the resolver, so all 11 are
   * announced anyway, while the check itself still waits for the server. */
  g_autoptr(HesFakeDnsBackend) fake = fake_with (good_zone, good_zone);
  g_autoptr(HesDnsChecker) checker = hes_dns_checker_new (HES_DNS_BACKEND (fake), HES_DNS_BACKEND (fake));
  g_autoptr(HesDnsRecordPlan) plan = plan_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Early e = { .start = g_get_monotonic_time () };
  Run run = { 0, };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  hes_fake_dns_backend_set_behaviour (fake, NS, NULL, HES_FAKE_HANG);
  g_signal_connect (checker, "record-checked", G_CALLBACK (on_early_record), &e);
  hes_dns_checker_check_async (checker, plan, cancellable, on_done, &run);
  while ((e.n_checked < 11 || hes_fake_dns_backend_get_n_open (fake) < 13) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (e.n_checked, ==, 11);
  for (guint i = 0; i < 11; i++)
    g_assert_cmpint (e.verdict[i], ==, HES_DNS_VERDICT_OK);
  /* The server was asked (11 records, 2 of them aliases asked twice) and has not answered. */
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 13);
  g_assert_false (run.done);
  g_cancellable_cancel (cancellable);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.report);
  g_assert_cmpuint (e.n_checked, ==, 11);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 0);
  g_clear_error (&run.error);
}

static void
test_pending_waits_for_servers (void)
{
  /* The resolver has the old MX; the zone's server, slow to answer, has the new one. The
   * records right at the resolver come at once; the MX (pending) only after the server. */
  g_autoptr(GString) old = g_string_new (good_zone);
  g_autoptr(HesFakeDnsBackend) fake = NULL;
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(HesDnsRecordPlan) plan = plan_new ();
  HesDnsPlannedRecord *mx = hes_dns_record_plan_find (plan, "mx");
  Early e = { .start = g_get_monotonic_time () };
  Run run = { 0, };
  guint mx_index = 0;

  g_string_replace (old, "kunde.example MX 10 mail.hosterra.test", "kunde.example 1800 MX 10 mx.old-provider.example", 0);
  g_string_replace (old, "kunde.example TXT \"v=spf1 mx ~all\"", "kunde.example TXT \"v=spf1 a:mail.hosterra.test ~all\"", 0);
  fake = fake_with (old->str, good_zone);
  hes_fake_dns_backend_add (fake, NULL, "dkim._domainkey.kunde.example TXT \"v=DKIM1; p=" TEST_KEY_A2048 "\"");
  hes_fake_dns_backend_set_behaviour (fake, NS, NULL, HES_FAKE_SLOW);
  checker = hes_dns_checker_new (HES_DNS_BACKEND (fake), HES_DNS_BACKEND (fake));
  g_signal_connect (checker, "record-checked", G_CALLBACK (on_early_record), &e);
  hes_dns_checker_check_async (checker, plan, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_cmpuint (e.n_checked, ==, 11);
  while (hes_dns_record_plan_get_record (plan, mx_index) != mx)
    mx_index++;
  g_assert_cmpint (e.verdict[mx_index], ==, HES_DNS_VERDICT_PENDING);
  /* The server's answer came HES_FAKE_SLOW_MS after it was asked, and the MX waited for it. */
  g_assert_cmpint (e.at[mx_index], >=, HES_FAKE_SLOW_MS * 1000);
  for (guint i = 0; i < 11; i++)
    if (i != mx_index)
      {
        g_assert_cmpint (e.verdict[i], ==, HES_DNS_VERDICT_OK);
        g_assert_cmpint (e.at[i], <, e.at[mx_index]);
      }
  g_assert_cmpint (finding (run.report, "mx")->verdict, ==, HES_DNS_VERDICT_PENDING);
  hes_dns_check_report_unref (run.report);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/checker/all-ok", test_all_ok);
  g_test_add_func ("/dns/checker/verdicts", test_verdicts);
  g_test_add_func ("/dns/checker/pending", test_pending);
  g_test_add_func ("/dns/checker/pending-spf-changed", test_pending_spf_changed);
  g_test_add_func ("/dns/checker/weak-spf-summary", test_weak_spf_summary);
  g_test_add_func ("/dns/checker/spf-server-mx-elsewhere", test_spf_server_mx_elsewhere);
  g_test_add_func ("/dns/checker/missing", test_missing_everything);
  g_test_add_func ("/dns/checker/failures-unknown", test_failures_unknown);
  g_test_add_func ("/dns/checker/no-authoritative", test_no_authoritative);
  g_test_add_func ("/dns/checker/cancel", test_cancel);
  g_test_add_func ("/dns/checker/glue", test_glue);
  g_test_add_func ("/dns/checker/shared-lookups", test_shared_lookups);
  g_test_add_func ("/dns/checker/apex-above-domain", test_apex_above_domain);
  g_test_add_func ("/dns/checker/announced-when-final", test_announced_when_final);
  g_test_add_func ("/dns/checker/pending-waits-for-servers", test_pending_waits_for_servers);
  return g_test_run ();
}
