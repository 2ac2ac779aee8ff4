/* test-dns-gio-backend.c: HesDnsGioBackend (GResolver) against Knot, in a sandbox.
 *
 * GResolver always asks the servers of /etc/resolv.conf on port 53, so the test re-runs
 * itself inside a new user + network + mount namespace (dns.md §3): loopback up, a
 * resolv.conf and nsswitch.conf bind-mounted over the system's, knotd on 127.0.0.1:53. No
 * root is needed where unprivileged user namespaces are allowed; where `unshare` is refused
 * (some containers and CI runners) the test is skipped with the reason.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "hes-dns-checker.h"
#include "hes-dns-direct-backend.h"
#include "hes-dns-gio-backend.h"
#include "hes-knot-fixture.h"
#include "hes-test-keys.h"
#include "hes-test-zones.h"

#define CHILD_ENV "HES_DNS_SANDBOX_CHILD"

static const char *sandbox_script =
  "set -eu\n"
  "D=$1; shift\n"
  "ip link set lo up\n"
  "ip addr add 198.51.100.1/32 dev lo\n"
  "ip -6 addr add 2001:db8:ffff::1/128 dev lo nodad\n"
  "printf 'nameserver 127.0.0.1\\noptions timeout:1 attempts:1\\n' > \"$D/resolv.conf\"\n"
  "printf 'hosts: files dns\\n' > \"$D/nsswitch.conf\"\n"
  "mount --bind \"$D/resolv.conf\" /etc/resolv.conf\n"
  "mount --bind \"$D/nsswitch.conf\" /etc/nsswitch.conf\n"
  "echo SANDBOX-READY >&2\n"
  "exec \"$@\"\n";

/* ---- inside the sandbox ----------------------------------------------------------------- */

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static HesDnsAnswer *
ask (HesDnsBackend *backend,
     const char    *name,
     HesDnsType     type,
     const char    *server,
     GError       **error)
{
  Wait w = { NULL };
  HesDnsAnswer *answer;

  hes_dns_backend_query_async (backend, name, type, server, TRUE, NULL, on_answer, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = hes_dns_backend_query_finish (backend, w.result, error);
  g_object_unref (w.result);
  return answer;
}

static void
test_in_sandbox (void)
{
  g_autoptr(HesDnsGioBackend) gio = hes_dns_gio_backend_new (NULL);
  HesDnsBackend *b = HES_DNS_BACKEND (gio);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) mx = NULL, txt = NULL, srv = NULL, ns = NULL, soa = NULL;
  g_autoptr(HesDnsAnswer) missing = NULL, nodata = NULL, servfail = NULL, cname = NULL, idn = NULL;
  HesDnsRr *rr;

  mx = ask (b, "KUNDE.Example.", HES_DNS_TYPE_MX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mx->records->len, ==, 2);
  for (guint i = 0; i < mx->records->len; i++)
    {
      rr = g_ptr_array_index (mx->records, i);
      g_assert_cmpuint (rr->ttl, ==, G_MAXUINT32);     /* GResolver gives no TTL */
      if (rr->priority == 10)
        g_assert_cmpstr (rr->target, ==, "mail.hosterra.test");  /* case normalised */
    }

  txt = ask (b, "dkim._domainkey.kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (txt->records, 0);
  g_assert_cmpuint (g_strv_length (rr->strings), ==, 2);
  g_assert_true (g_str_has_prefix (rr->text, "v=DKIM1; h=sha256; k=rsa; p="));

  srv = ask (b, "_imaps._tcp.kunde.example", HES_DNS_TYPE_SRV, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (srv->records, 0);
  g_assert_cmpuint (rr->port, ==, 143);

  ns = ask (b, "kunde.example", HES_DNS_TYPE_NS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((HesDnsRr *) g_ptr_array_index (ns->records, 0))->target, ==, "ns1.kunde.example");
  soa = ask (b, "kunde.example", HES_DNS_TYPE_SOA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((HesDnsRr *) g_ptr_array_index (soa->records, 0))->minimum, ==, 300);

  /* NXDOMAIN and NODATA are the same through GResolver: no records, rcode unknown. */
  missing = ask (b, "nothing.kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missing->rcode, ==, HES_DNS_RCODE_UNKNOWN);
  g_assert_true (hes_dns_answer_is_negative (missing, HES_DNS_TYPE_TXT));
  nodata = ask (b, "ns1.kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hes_dns_answer_is_negative (nodata, HES_DNS_TYPE_TXT));

  /* SERVFAIL is a temporary failure: an error, never "missing". */
  servfail = ask (b, "broken.example", HES_DNS_TYPE_MX, NULL, &error);
  g_assert_null (servfail);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  cname = ask (b, "autoconfig.kunde.example", HES_DNS_TYPE_CNAME, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (ask (b, "kunde.example", HES_DNS_TYPE_MX, "127.0.0.1", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* IDN names are converted before GResolver sees them. */
  idn = ask (b, "MÜLLER.example", HES_DNS_TYPE_MX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (idn->records->len, ==, 1);
}

typedef struct {
  HesDnsCheckReport *report;
  GError *error;
} Run;

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &run->error);
}

static void
test_checker_in_sandbox (void)
{
  /* The checker with GResolver as "this computer's resolver" and the direct backend for the
   * domain's own server (found through the NS record, on port 53). */
  g_autoptr(HesDnsGioBackend) gio = hes_dns_gio_backend_new (NULL);
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (NULL);
  g_autoptr(HesDnsChecker) checker = hes_dns_checker_new (HES_DNS_BACKEND (gio), HES_DNS_BACKEND (direct));
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("good.example", TEST_MAIL_HOST, NULL,
                                                              NULL, TEST_KEY_A2048, NULL);
  Run run = { 0, };

  hes_dns_checker_check_async (checker, plan, NULL, on_checked, &run);
  while (run.report == NULL && run.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  for (guint i = 0; i < run.report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (run.report->results, i);

      g_test_message ("%s: %s %s", r->record->id, hes_dns_verdict_to_string (r->finding->verdict),
                      r->finding->explanation ? r->finding->explanation : "");
    }
  g_assert_cmpstr (run.report->zone_apex, ==, "good.example");
  g_assert_cmpuint (run.report->counts[HES_DNS_VERDICT_OK], ==, 11);
  hes_dns_check_report_unref (run.report);
}

/* ---- a GResolver that answers from the test (dns.md §2), for the error mapping ---------- */

#define MOCK_TYPE_RESOLVER (mock_resolver_get_type ())
G_DECLARE_FINAL_TYPE (MockResolver, mock_resolver, MOCK, RESOLVER, GResolver)

typedef enum { MOCK_RECORDS, MOCK_NOT_FOUND, MOCK_TEMPORARY, MOCK_SILENT } MockMode;

struct _MockResolver
{
  GResolver parent_instance;
  MockMode  mode;
  char     *last_name;
};

G_DEFINE_FINAL_TYPE (MockResolver, mock_resolver, G_TYPE_RESOLVER)

static void
mock_cancelled (GCancellable *cancellable, gpointer task)
{
  g_task_return_error_if_cancelled (task);
}

static void
mock_records_async (GResolver *resolver, const char *rrname, GResolverRecordType type,
                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  MockResolver *self = MOCK_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  const char *strings[] = { "v=spf1 ", "mx ~all", NULL };
  GList *records = NULL;

  g_free (self->last_name);
  self->last_name = g_strdup (rrname);
  switch (self->mode)
    {
    case MOCK_RECORDS:
      records = g_list_append (records, g_variant_ref_sink (g_variant_new ("(^as)", strings)));
      g_task_return_pointer (task, records, NULL);
      break;
    case MOCK_NOT_FOUND:
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "not found");
      break;
    case MOCK_TEMPORARY:
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "servfail");
      break;
    case MOCK_SILENT:
      /* Like glibc blocked on a dead server: only cancellation ends it. */
      g_cancellable_connect (cancellable, G_CALLBACK (mock_cancelled), g_object_ref (task), g_object_unref);
      break;
    }
}

static GList *
mock_records_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mock_resolver_finalize (GObject *object)
{
  g_free (MOCK_RESOLVER (object)->last_name);
  G_OBJECT_CLASS (mock_resolver_parent_class)->finalize (object);
}

static void
mock_resolver_class_init (MockResolverClass *klass)
{
  GResolverClass *rc = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mock_resolver_finalize;
  rc->lookup_records_async = mock_records_async;
  rc->lookup_records_finish = mock_records_finish;
}

static void
mock_resolver_init (MockResolver *self)
{
}

static void
test_mock_mapping (void)
{
  g_autoptr(MockResolver) mock = g_object_new (MOCK_TYPE_RESOLVER, NULL);
  g_autoptr(HesDnsGioBackend) gio = hes_dns_gio_backend_new (G_RESOLVER (mock));
  HesDnsBackend *b = HES_DNS_BACKEND (gio);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) txt = NULL, nx = NULL, fail = NULL, slow = NULL;
  gint64 start;

  mock->mode = MOCK_RECORDS;
  txt = ask (b, "Müller.Example.", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mock->last_name, ==, "xn--mller-kva.example");
  g_assert_cmpstr (((HesDnsRr *) g_ptr_array_index (txt->records, 0))->text, ==, "v=spf1 mx ~all");

  mock->mode = MOCK_NOT_FOUND;
  nx = ask (b, "kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nx->rcode, ==, HES_DNS_RCODE_UNKNOWN);
  g_assert_cmpuint (nx->records->len, ==, 0);

  mock->mode = MOCK_TEMPORARY;
  fail = ask (b, "kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_null (fail);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  /* GLib 2.74 has no resolver timeout: the backend gives one. */
  mock->mode = MOCK_SILENT;
  hes_dns_gio_backend_set_timeout (gio, 200);
  start = g_get_monotonic_time ();
  slow = ask (b, "kunde.example", HES_DNS_TYPE_TXT, NULL, &error);
  g_assert_null (slow);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_mock_cancel (void)
{
  g_autoptr(MockResolver) mock = g_object_new (MOCK_TYPE_RESOLVER, NULL);
  g_autoptr(HesDnsGioBackend) gio = hes_dns_gio_backend_new (G_RESOLVER (mock));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };
  HesDnsAnswer *answer;

  mock->mode = MOCK_SILENT;
  hes_dns_backend_query_async (HES_DNS_BACKEND (gio), "kunde.example", HES_DNS_TYPE_MX, NULL, TRUE,
                               cancellable, on_answer, &w);
  g_cancellable_cancel (cancellable);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (gio), w.result, &error);
  g_object_unref (w.result);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- outside: start the sandbox --------------------------------------------------------- */

static void
test_sandbox (void)
{
  g_autofree char *self = g_test_build_filename (G_TEST_BUILT, "test-dns-gio-backend", NULL);
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *dir = g_dir_make_tmp ("hes-sandbox-XXXXXX", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), CHILD_ENV, "1", TRUE);
  const char *argv[] = { unshare, "--user", "--map-root-user", "--net", "--mount",
                         "sh", "-c", sandbox_script, "sh", dir, self, NULL };
  int status = 0;

  if (unshare == NULL)
    {
      g_test_skip ("unshare (util-linux) is not installed, so no sandbox for GResolver");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, 0, NULL, NULL, &out, &err, &status, NULL));
  {
    g_autofree char *r = g_build_filename (dir, "resolv.conf", NULL);
    g_autofree char *n = g_build_filename (dir, "nsswitch.conf", NULL);

    g_unlink (r);
    g_unlink (n);
    g_rmdir (dir);
  }
  if (strstr (err, "SANDBOX-READY") == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no user/network namespace here (%s): GResolver cannot be pointed at a test server",
                                                 g_strstrip (err));

      g_test_skip (reason);
      return;
    }
  g_test_message ("sandbox output:\n%s\n%s", out, err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (out, "ok 1 /dns/gio/in-sandbox/lookups"));
  g_assert_nonnull (strstr (out, "ok 2 /dns/gio/in-sandbox/checker"));
}

static void
test_not_supported (void)
{
  g_autoptr(HesDnsGioBackend) gio = hes_dns_gio_backend_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) a = ask (HES_DNS_BACKEND (gio), "kunde.example", HES_DNS_TYPE_A, NULL, &error);

  g_assert_null (a);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv (CHILD_ENV))
    {
      g_auto(GStrv) zones = hes_test_zones_standard ();
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) all = NULL;
      HesKnotFixture *knot;
      int status;

      g_strv_builder_addv (b, (const char **) zones);
      g_strv_builder_add_many (b, "xn--mller-kva.example",
                               "$ORIGIN xn--mller-kva.example.\n$TTL 3600\n@ SOA ns1 h 1 3600 900 1209600 300\n"
                               "@ NS ns1\nns1 A 127.0.0.1\n@ MX 10 mail.hosterra.test.\n", NULL);
      all = g_strv_builder_end (b);
      knot = hes_knot_fixture_start_on_port ((const char * const *) all, 53, &error);
      g_assert_no_error (error);
      g_test_add_func ("/dns/gio/in-sandbox/lookups", test_in_sandbox);
      g_test_add_func ("/dns/gio/in-sandbox/checker", test_checker_in_sandbox);
      status = g_test_run ();
      hes_knot_fixture_stop (knot);
      return status;
    }
  g_test_add_func ("/dns/gio/not-supported", test_not_supported);
  g_test_add_func ("/dns/gio/mock-mapping", test_mock_mapping);
  g_test_add_func ("/dns/gio/mock-cancel", test_mock_cancel);
  g_test_add_func ("/dns/gio/sandbox", test_sandbox);
  return g_test_run ();
}
