/* test-dns-cli.c: --check-dns and --print-records, run as a program against Knot */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "hes-dns-export.h"
#include "hes-knot-fixture.h"
#include "hes-test-keys.h"
#include "hes-test-zones.h"

static HesKnotFixture *knot;

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run_tool (Result *r, ...)
{
  g_autofree char *tool = g_test_build_filename (G_TEST_BUILT, "hes-dns-tool", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  const char *arg;
  va_list ap;
  int wait_status = 0;

  g_ptr_array_add (argv, tool);
  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "HES_DNS_SERVER", hes_knot_fixture_get_server (knot), TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, 0, NULL, NULL,
                               &r->out, &r->err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static void
test_print_zone (void)
{
  g_auto(Result) r = { 0, };
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("good.example", TEST_MAIL_HOST,
                                                              NULL, NULL, TEST_KEY_A2048, NULL);
  g_autofree char *zone = hes_dns_export_zone (plan);

  run_tool (&r, "--print-records", "good.example", "--mail-host", TEST_MAIL_HOST,
            "--dkim-key", TEST_KEY_A2048, "--format=zone", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, zone);
}

static void
test_print_csv_text (void)
{
  g_auto(Result) csv = { 0, };
  g_auto(Result) text = { 0, };

  run_tool (&csv, "--print-records", "good.example", "--mail-host", TEST_MAIL_HOST,
            "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "type,name,fqdn,value,"));
  g_assert_nonnull (strstr (csv.out, "SRV,_imaps._tcp,_imaps._tcp.good.example,mail.hosterra.test,0,1,993,"));

  run_tool (&text, "--print-records", "good.example", "--mail-host", TEST_MAIL_HOST, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "1. MX good.example"));
}

static void
test_usage (void)
{
  const char *cases[][8] = {
    { "--check-dns", "good.example", NULL },
    { "--check-dns", "good.example", "--print-records", "good.example", "--mail-host", "h.example", NULL },
    { "--print-records", "good.example", "--mail-host", "h.example", "--format=xml", NULL },
    { "--print-records", "good.example", "--mail-host", "h.example", "--json", NULL },
    { "--check-dns", "good.example", "--mail-host", "h.example", "--format=zone", NULL },
    { "--check-dns", "not a domain", "--mail-host", "h.example", NULL },
    { "--check-dns", "good.example", "--mail-host", "h.example", "extra", NULL },
    { "--check-dns", "good.example", "--bogus", NULL },
    { NULL },
  };

  for (guint i = 0; cases[i][0]; i++)
    {
      g_auto(Result) r = { 0, };

      run_tool (&r, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4],
                cases[i][5], cases[i][6], NULL);
      g_test_message ("case %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpstr (r.err, !=, "");
    }
}

static JsonObject *
parse (const char *text, JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
record (JsonObject *root, const char *type, const char *name)
{
  JsonArray *records = json_object_get_array_member (root, "records");

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *o = json_array_get_object_element (records, i);

      if (g_str_equal (json_object_get_string_member (o, "type"), type) &&
          g_str_equal (json_object_get_string_member (o, "name"), name))
        return o;
    }
  g_assert_not_reached ();
}

static void
test_check_json_ok (void)
{
  g_auto(Result) r = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *summary, *mx;

  run_tool (&r, "--check-dns", "good.example", "--mail-host", TEST_MAIL_HOST,
            "--dkim-selector", "dkim", "--dkim-key", TEST_KEY_A2048, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse (r.out, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "domain"), ==, "good.example");
  g_assert_cmpstr (json_object_get_string_member (root, "mail_host"), ==, TEST_MAIL_HOST);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "records")), ==, 11);
  summary = json_object_get_object_member (root, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "ok"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (summary, "wrong"), ==, 0);
  g_assert_true (json_object_has_member (summary, "pending"));
  g_assert_true (json_object_has_member (summary, "missing"));
  g_assert_true (json_object_has_member (summary, "unknown"));
  mx = record (root, "MX", "good.example");
  g_assert_cmpstr (json_object_get_string_member (mx, "verdict"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (mx, "expected"), ==, "10 mail.hosterra.test");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mx, "found"), 0), ==,
                   "10 mail.hosterra.test.");
  g_assert_false (json_object_get_boolean_member (mx, "optional"));
  g_assert_true (json_object_get_null_member (mx, "visible_in_s"));
  g_assert_true (json_object_get_boolean_member (record (root, "TXT", "_dmarc.good.example"), "optional"));
}

static void
test_check_json_wrong (void)
{
  g_auto(Result) r = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *spf, *sub;

  run_tool (&r, "--check-dns", "kunde.example", "--mail-host", TEST_MAIL_HOST, "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  root = parse (r.out, parser);
  spf = record (root, "TXT", "kunde.example");
  g_assert_cmpstr (json_object_get_string_member (spf, "verdict"), ==, "wrong");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (spf, "found")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (spf, "fix"), ==,
                   "v=spf1 mx include:_spf.old-provider.example -all");
  sub = record (root, "SRV", "_submissions._tcp.kunde.example");
  g_assert_cmpstr (json_object_get_string_member (sub, "verdict"), ==, "missing");
  g_assert_nonnull (json_object_get_string_member (sub, "explanation"));
  /* Without --dkim-key only a valid key at the default selector is required. */
  g_assert_cmpstr (json_object_get_string_member (record (root, "TXT", "dkim._domainkey.kunde.example"),
                                                  "verdict"), ==, "ok");
}

static void
test_check_text (void)
{
  g_auto(Result) r = { 0, };

  run_tool (&r, "--check-dns", "kunde.example", "--mail-host", TEST_MAIL_HOST, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "[Wrong] MX kunde.example"));
  g_assert_nonnull (strstr (r.out, "[Missing] SRV _submissions._tcp.kunde.example"));
  g_assert_nonnull (strstr (r.out, "Fix: 0 1 465 mail.hosterra.test"));
}

static void
test_server_form (void)
{
  g_auto(Result) r = { 0, };

  run_tool (&r, "--check-dns", "kunde.example", "--server", "https://mail.hosterra.test",
            "--user", "admin@kunde.example", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--server"));
}

int
main (int argc, char **argv)
{
  g_auto(GStrv) zones = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  zones = hes_test_zones_standard ();
  knot = hes_knot_fixture_start ((const char * const *) zones, &error);
  g_assert_no_error (error);
  g_test_add_func ("/dns/cli/print-zone", test_print_zone);
  g_test_add_func ("/dns/cli/print-csv-text", test_print_csv_text);
  g_test_add_func ("/dns/cli/usage", test_usage);
  g_test_add_func ("/dns/cli/check-json-ok", test_check_json_ok);
  g_test_add_func ("/dns/cli/check-json-wrong", test_check_json_wrong);
  g_test_add_func ("/dns/cli/check-text", test_check_text);
  g_test_add_func ("/dns/cli/server-form", test_server_form);
  status = g_test_run ();
  hes_knot_fixture_stop (knot);
  return status;
}
