/* test-dns-cli.c: --check-dns and --print-records, run as a program against Knot */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "hes-dns-export.h"
#include "hes-knot-fixture.h"
#include "hes-mailcow-sim.h"
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
  char *tool = (char *) g_getenv ("HES_APP");
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

/* ---- --server: the mailcow simulator answers on this main loop, so the tool runs async --- */

typedef struct {
  gboolean done;
  char *out;
  char *err;
  int status;
} Async;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *a = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                                       &a->out, &a->err, &error));
  g_assert_no_error (error);
  a->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  a->done = TRUE;
}

static void
run_tool_with_stdin (Result             *r,
                     const char         *dns_server,
                     const char         *input,
                     const char * const *args)
{
  char *tool = (char *) g_getenv ("HES_APP");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Async a = { 0, };

  g_ptr_array_add (argv, tool);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "HES_DNS_SERVER", dns_server, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, input, NULL, on_communicated, &a);
  while (!a.done)
    g_main_context_iteration (NULL, TRUE);
  r->out = a.out;
  r->err = a.err;
  r->status = a.status;
}

static void
test_server_form (void)
{
  g_autoptr(HesMailcowSim) sim = hes_mailcow_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *domains[] = { "sim.example", NULL };
  g_auto(Result) zone = { 0, };
  g_auto(Result) checked = { 0, };
  g_auto(Result) wrong = { 0, };
  g_auto(Result) own_host = { 0, };
  g_autoptr(HesKnotFixture) served = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *zone_text = NULL;
  JsonObject *root;

  g_assert_true (hes_mailcow_sim_listen (sim, 0, &error));
  g_assert_no_error (error);
  url = hes_mailcow_sim_dup_url (sim);
  hes_mailcow_sim_add_domain (sim, "sim.example", "Test", TRUE);
  hes_mailcow_sim_add_domain_admin (sim, "simadmin", "Secret-123", domains);

  /* 1. The records, with the DKIM record the server holds. */
  {
    const char *args[] = { "--print-records", "sim.example", "--server", url, "--user", "simadmin",
                           "--mail-host", TEST_MAIL_HOST, "--format=zone", NULL };

    run_tool_with_stdin (&zone, hes_knot_fixture_get_server (knot), "Secret-123\n", args);
  }
  g_test_message ("%s%s", zone.out, zone.err);
  g_assert_cmpint (zone.status, ==, 0);
  g_assert_nonnull (strstr (zone.out, "dkim._domainkey\t3600\tIN\tTXT\t\"v=DKIM1;"));

  /* 2. Serve exactly that, and check it against the server's key: every record ok. */
  zone_text = g_strconcat (zone.out, "@ 3600 IN SOA ns1 h 1 3600 900 1209600 300\n@ 3600 IN NS ns1\n"
                           "ns1 3600 IN A 127.0.0.1\n", NULL);
  {
    g_auto(GStrv) standard = hes_test_zones_standard ();
    const char *zones[] = { "hosterra.test", standard[1], "sim.example", zone_text, NULL };
    const char *args[] = { "--check-dns", "sim.example", "--server", url, "--user", "simadmin",
                           "--mail-host", TEST_MAIL_HOST, "--json", NULL };

    served = hes_knot_fixture_start (zones, &error);
    g_assert_no_error (error);
    run_tool_with_stdin (&checked, hes_knot_fixture_get_server (served), "Secret-123\n", args);
  }
  g_test_message ("%s%s", checked.out, checked.err);
  g_assert_cmpint (checked.status, ==, 0);
  root = parse (checked.out, parser);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"), "ok"), ==, 11);

  /* 3. A wrong password: the server's sentence, exit 1, nothing printed. */
  {
    const char *args[] = { "--check-dns", "sim.example", "--server", url, "--user", "simadmin", NULL };

    run_tool_with_stdin (&wrong, hes_knot_fixture_get_server (knot), "not-the-password\n", args);
  }
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_cmpstr (wrong.out, ==, "");
  g_assert_cmpstr (wrong.err, !=, "");

  /* 4. Without --mail-host the mail host is the one the server's autoconfig names, as in the
   *    DNS page, not the host name of the address signed in to. */
  hes_mailcow_sim_set_hostname (sim, "mx.sim-host.example");
  {
    const char *args[] = { "--print-records", "sim.example", "--server", url, "--user", "simadmin", NULL };

    run_tool_with_stdin (&own_host, hes_knot_fixture_get_server (knot), "Secret-123\n", args);
  }
  g_test_message ("%s%s", own_host.out, own_host.err);
  g_assert_cmpint (own_host.status, ==, 0);
  g_assert_nonnull (strstr (own_host.out, "10 mx.sim-host.example"));
  g_assert_null (strstr (own_host.out, "127.0.0.1"));

  /* 5. A domain that is not on the account: an error, not a plan with a placeholder; with
   *    --json an object on standard output. */
  {
    const char *args[] = { "--print-records", "elsewhere.example", "--server", url, "--user", "simadmin", NULL };
    const char *json_args[] = { "--check-dns", "elsewhere.example", "--server", url, "--user", "simadmin",
                                "--json", NULL };
    const char *wrong_json[] = { "--check-dns", "sim.example", "--server", url, "--user", "simadmin",
                                 "--json", NULL };
    g_auto(Result) absent = { 0, };
    g_auto(Result) absent_json = { 0, };
    g_auto(Result) refused_json = { 0, };
    g_autoptr(JsonParser) p2 = json_parser_new ();
    g_autoptr(JsonParser) p3 = json_parser_new ();
    JsonObject *o;

    run_tool_with_stdin (&absent, hes_knot_fixture_get_server (knot), "Secret-123\n", args);
    g_test_message ("%s%s", absent.out, absent.err);
    g_assert_cmpint (absent.status, ==, 1);
    g_assert_cmpstr (absent.out, ==, "");
    g_assert_nonnull (strstr (absent.err, "elsewhere.example is not on this account"));

    run_tool_with_stdin (&absent_json, hes_knot_fixture_get_server (knot), "Secret-123\n", json_args);
    g_assert_cmpint (absent_json.status, ==, 1);
    o = parse (absent_json.out, p2);
    g_assert_cmpstr (json_object_get_string_member (o, "error_code"), ==, "domain_not_found");
    g_assert_nonnull (strstr (json_object_get_string_member (o, "message"), "not on this account"));

    run_tool_with_stdin (&refused_json, hes_knot_fixture_get_server (knot), "not-the-password\n", wrong_json);
    g_assert_cmpint (refused_json.status, ==, 1);
    o = parse (refused_json.out, p3);
    g_assert_cmpstr (json_object_get_string_member (o, "error_code"), ==, "sign_in_failed");
    g_assert_cmpstr (json_object_get_string_member (o, "message"), !=, "");
  }
}

/* MX and SPF changed together, the resolver still on the old ones: every record "not visible
 * yet", nothing to fix, exit 0. */
static void
test_pending_exit (void)
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
  const char *args[] = { "--check-dns", "moving.example", "--mail-host", TEST_MAIL_HOST,
                         "--dkim-key", TEST_KEY_A2048, "--json", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesKnotFixture) old_server = hes_knot_fixture_start (old_zones, &error);
  g_autoptr(HesKnotFixture) new_server = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Result) r = { 0, };
  JsonObject *root;
  JsonArray *records;

  g_assert_no_error (error);
  new_server = hes_knot_fixture_start (new_zones, &error);
  g_assert_no_error (error);
  g_setenv ("HES_DNS_AUTHORITATIVE_SERVER", hes_knot_fixture_get_server (new_server), TRUE);
  run_tool_with_stdin (&r, hes_knot_fixture_get_server (old_server), "", args);
  g_unsetenv ("HES_DNS_AUTHORITATIVE_SERVER");
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  root = parse (r.out, parser);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"), "pending"), ==, 11);
  records = json_object_get_array_member (root, "records");
  for (guint i = 0; i < json_array_get_length (records); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (records, i), "verdict"),
                     ==, "pending");
}

/* Impossible names end with exit 2 and one sentence, before anything is looked up or printed;
 * nothing given can add lines to the zone or the text output. */
static void
test_bad_names (void)
{
  const char *cases[][8] = {
    { "--print-records", "good.example", "--mail-host", "mail.example\nevil\t3600\tIN\tA\t192.0.2.1", "--format=zone", NULL },
    { "--check-dns", "good.example\n[OK] MX forged", "--mail-host", TEST_MAIL_HOST, NULL },
    { "--check-dns", "kunde example", "--mail-host", TEST_MAIL_HOST, NULL },
    { "--check-dns", "kunde\".example", "--mail-host", TEST_MAIL_HOST, NULL },
    { "--check-dns", "-kunde.example", "--mail-host", TEST_MAIL_HOST, NULL },
    { "--check-dns", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", "--mail-host", TEST_MAIL_HOST, NULL },
    { "--check-dns", "good.example", "--mail-host", "192.0.2.25", NULL },
    { "--check-dns", "good.example", "--mail-host", "https://mail.hosterra.test/", NULL },
    { "--check-dns", "good.example", "--mail-host", TEST_MAIL_HOST, "--dkim-selector", "a b;c", NULL },
    { "--print-records", "good.example", "--mail-host", "mail;example", NULL },
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
      /* One sentence on one line, no help text, none of what was given. */
      g_assert_true (g_str_has_suffix (r.err, "\n"));
      g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);
      g_assert_null (strstr (r.err, "evil"));
      g_assert_null (strstr (r.err, "forged"));
    }
  {
    g_auto(Result) r = { 0, };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    run_tool (&r, "--check-dns", "good.example", "--mail-host", "192.0.2.25", "--json", NULL);
    g_assert_cmpint (r.status, ==, 2);
    o = parse (r.out, parser);
    g_assert_cmpstr (json_object_get_string_member (o, "error_code"), ==, "invalid_argument");
    g_assert_nonnull (strstr (json_object_get_string_member (o, "message"), "IP address"));
  }
}

/* --dkim-key: the forms people paste are taken, the rest refused with exit 2. */
static void
test_dkim_key_forms (void)
{
  g_autofree char *p_form = g_strdup_printf ("p=%s", TEST_KEY_A2048);
  g_autofree char *record = g_strdup_printf ("v=DKIM1; k=rsa;\n p=%.80s %s", TEST_KEY_A2048,
                                             &TEST_KEY_A2048[80]);
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("good.example", TEST_MAIL_HOST,
                                                              NULL, NULL, TEST_KEY_A2048, NULL);
  g_autofree char *expected = hes_dns_export_zone (plan);
  const char *good[] = { TEST_KEY_A2048, p_form, record };
  const char *bad[] = { "", "p=", "not a key", "QUJD" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_auto(Result) r = { 0, };

      run_tool (&r, "--print-records", "good.example", "--mail-host", TEST_MAIL_HOST,
                "--dkim-key", good[i], "--format=zone", NULL);
      g_test_message ("good %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.out, ==, expected);
    }
  /* Checked against Knot with the key pasted as "p=…": the same key, every record right. */
  {
    g_auto(Result) r = { 0, };

    run_tool (&r, "--check-dns", "good.example", "--mail-host", TEST_MAIL_HOST,
              "--dkim-key", p_form, NULL);
    g_test_message ("%s", r.out);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "[OK] TXT dkim._domainkey.good.example"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Result) r = { 0, };

      run_tool (&r, "--check-dns", "good.example", "--mail-host", TEST_MAIL_HOST,
                "--dkim-key", bad[i], NULL);
      g_test_message ("bad %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, "DKIM key"));
    }
}

static void
test_server_usage (void)
{
  const char *cases[][9] = {
    { "--check-dns", "a.example", "--server", "http://127.0.0.1:1", NULL },
    { "--check-dns", "a.example", "--server", "http://127.0.0.1:1", "--user", "u", "--dkim-key", "QUJD", NULL },
    { "--check-dns", "a.example", "--server", "http://example.org", "--user", "u", NULL },
    { NULL },
  };

  for (guint i = 0; cases[i][0]; i++)
    {
      g_auto(Result) r = { 0, };

      run_tool_with_stdin (&r, hes_knot_fixture_get_server (knot), "pw\n", cases[i]);
      g_test_message ("case %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
    }
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
  g_test_add_func ("/dns/cli/server-usage", test_server_usage);
  g_test_add_func ("/dns/cli/bad-names", test_bad_names);
  g_test_add_func ("/dns/cli/pending-exit", test_pending_exit);
  g_test_add_func ("/dns/cli/dkim-key-forms", test_dkim_key_forms);
  status = g_test_run ();
  hes_knot_fixture_stop (knot);
  return status;
}
