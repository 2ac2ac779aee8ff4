/* test-imap-probe.c: the connection test against a real Dovecot and scripted servers. */
#define G_LOG_DOMAIN "test-imap-probe"

#include "config.h"

#include <string.h>

#include "hes-imap-probe.h"
#include "hes-test-dovecot.h"
#include "hes-test-fake-imap.h"

#define SHORT_TIMEOUT_MS 1500
/* Dovecot delays a refused sign-in by a second or more. */
#define TIMEOUT_MS 5000
/* An upper bound on a duration, in seconds; tests/meson.build sets the factor (more than 1
 * only in sanitizer builds, which run this code many times slower). */
#define BOUND_S(seconds) ((seconds) * HES_TEST_TIME_FACTOR)

static HesTestDovecot *dovecot;
static GTlsCertificate *server_certificate;
static GArray *recorded_steps;  /* when set, every "step" the probe goes through */
static GMutex log_lock;
static GString *log_text;

typedef struct {
  HesImapResult *result;
  GError        *error;
  gboolean       done;
  double         seconds;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_object (&outcome->result);
  g_clear_error (&outcome->error);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = hes_imap_probe_run_finish (HES_IMAP_PROBE (source), result, &outcome->error);
  outcome->done = TRUE;
}

static void
on_step_notify (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  HesImapProbeStep step = hes_imap_probe_get_step (HES_IMAP_PROBE (object));

  g_array_append_val (recorded_steps, step);
}

static gboolean
on_cancel_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs one probe to its end; @cancel_after_ms > 0 cancels it that much later. */
static void
run_probe_full (Outcome         *outcome,
                const char      *host,
                guint16          port,
                HesImapSecurity  security,
                const char      *user,
                const char      *password,
                guint            timeout_ms,
                guint            cancel_after_ms)
{
  g_autoptr(HesImapProbe) probe = hes_imap_probe_new (host, port, security, user);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();

  memset (outcome, 0, sizeof *outcome);
  hes_imap_probe_set_step_timeout (probe, timeout_ms);
  if (recorded_steps != NULL)
    g_signal_connect (probe, "notify::step", G_CALLBACK (on_step_notify), NULL);
  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, on_cancel_timeout, cancellable);
  hes_imap_probe_run_async (probe, password, cancellable, on_probe_done, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  outcome->seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  /* The probe is the last owner of everything it made. */
  g_assert_finalize_object (g_steal_pointer (&probe));
}

static void
run_probe (Outcome         *outcome,
           guint16          port,
           HesImapSecurity  security,
           const char      *user,
           const char      *password)
{
  run_probe_full (outcome, "127.0.0.1", port, security, user, password, TIMEOUT_MS, 0);
}

static HesImapFolder *
find_folder (HesImapResult *result,
             const char    *name)
{
  GPtrArray *folders = hes_imap_result_get_folders (result);

  for (guint i = 0; i < folders->len; i++)
    {
      HesImapFolder *folder = g_ptr_array_index (folders, i);

      if (g_str_equal (folder->name, name))
        return folder;
    }
  return NULL;
}

static void
assert_alice_folders (HesImapResult *result)
{
  static const struct { const char *name; gint64 messages; } expected[] = {
    { "INBOX", 3 }, { "Sent", 2 }, { "Éléments envoyés", 1 }, { "Archives.2023", 4 },
  };

  g_assert_nonnull (result);
  /* "Archives" exists only as a parent (\Noselect or \NonExistent): not a folder to count. */
  g_assert_cmpuint (hes_imap_result_get_folders (result)->len, ==, G_N_ELEMENTS (expected));
  g_assert_null (find_folder (result, "Archives"));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      HesImapFolder *folder = find_folder (result, expected[i].name);

      g_assert_nonnull (folder);
      g_assert_cmpint (folder->messages, ==, expected[i].messages);
      g_assert_cmpint (folder->size, >, 0);
    }
  g_assert_cmpstr (find_folder (result, "Éléments envoyés")->raw_name, ==, "&AMk-l&AOk-ments envoy&AOk-s");
  g_assert_cmpuint (hes_imap_result_get_total_messages (result), ==, HES_TEST_TOTAL_MESSAGES);
  /* Dovecot has STATUS=SIZE: the sizes are those of the message files written. */
  g_assert_cmpint (hes_imap_result_get_total_size (result), ==, dovecot->alice_size);
}

static void
assert_error (Outcome      *outcome,
              HesImapError  code)
{
  g_assert_null (outcome->result);
  g_assert_error (outcome->error, HES_IMAP_ERROR, (gint) code);
  g_assert_cmpstr (outcome->error->message, !=, "");
}

static void
test_ssl_counts (void)
{
  Outcome outcome;

  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, HES_TEST_PASSWORD);
  g_assert_no_error (outcome.error);
  assert_alice_folders (outcome.result);
  outcome_clear (&outcome);
}

static void
test_starttls (void)
{
  const HesImapProbeStep expected[] = {
    HES_IMAP_PROBE_STEP_CONNECTING, HES_IMAP_PROBE_STEP_SECURING, HES_IMAP_PROBE_STEP_SIGNING_IN,
    HES_IMAP_PROBE_STEP_COUNTING, HES_IMAP_PROBE_STEP_IDLE,
  };
  Outcome outcome;

  recorded_steps = g_array_new (FALSE, FALSE, sizeof (HesImapProbeStep));
  run_probe (&outcome, dovecot->imap_port, HES_IMAP_SECURITY_STARTTLS, HES_TEST_USER,
             HES_TEST_PASSWORD);
  g_assert_no_error (outcome.error);
  assert_alice_folders (outcome.result);
  g_assert_cmpmem (recorded_steps->data, recorded_steps->len * sizeof (HesImapProbeStep),
                   expected, sizeof expected);
  g_clear_pointer (&recorded_steps, g_array_unref);
  outcome_clear (&outcome);
}

static void
test_odd_password (void)
{
  Outcome outcome;

  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_ODD_USER,
             HES_TEST_ODD_PASSWORD);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (hes_imap_result_get_total_messages (outcome.result), ==, 1);
  outcome_clear (&outcome);
}

static void
test_wrong_password (void)
{
  Outcome outcome;

  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, "not it");
  assert_error (&outcome, HES_IMAP_ERROR_AUTH_FAILED);
  outcome_clear (&outcome);

  /* Almost the odd password: one accent less. */
  run_probe (&outcome, dovecot->imap_port, HES_IMAP_SECURITY_STARTTLS, HES_TEST_ODD_USER,
             "Ete à l’île \"Ça\" 'va' \\ {12} : 100 % ! ü€日本");
  assert_error (&outcome, HES_IMAP_ERROR_AUTH_FAILED);
  outcome_clear (&outcome);
}

static void
test_untrusted_certificate (void)
{
  Outcome outcome;

  /* Signed by an authority neither the system nor HES_IMAP_EXTRA_CA knows. */
  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->other_ca_file, TRUE);
  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, HES_TEST_PASSWORD);
  assert_error (&outcome, HES_IMAP_ERROR_TLS_UNTRUSTED);
  outcome_clear (&outcome);

  run_probe (&outcome, dovecot->imap_port, HES_IMAP_SECURITY_STARTTLS, HES_TEST_USER,
             HES_TEST_PASSWORD);
  assert_error (&outcome, HES_IMAP_ERROR_TLS_UNTRUSTED);
  outcome_clear (&outcome);

  g_unsetenv ("HES_IMAP_EXTRA_CA");
  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, HES_TEST_PASSWORD);
  assert_error (&outcome, HES_IMAP_ERROR_TLS_UNTRUSTED);
  outcome_clear (&outcome);
  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
}

static void
test_wrong_name (void)
{
  Outcome outcome;

  /* The certificate is for localhost and 127.0.0.1; 127.0.0.2 reaches the same server. */
  run_probe_full (&outcome, "127.0.0.2", dovecot->imaps_port, HES_IMAP_SECURITY_SSL,
                  HES_TEST_USER, HES_TEST_PASSWORD, TIMEOUT_MS, 0);
  if (g_error_matches (outcome.error, HES_IMAP_ERROR, HES_IMAP_ERROR_REFUSED))
    g_test_skip ("127.0.0.2 is not routed to the loopback interface here");
  else
    assert_error (&outcome, HES_IMAP_ERROR_TLS_UNTRUSTED);
  outcome_clear (&outcome);
}

static void
test_tls_to_plain_port (void)
{
  Outcome outcome;

  run_probe (&outcome, dovecot->imap_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, HES_TEST_PASSWORD);
  assert_error (&outcome, HES_IMAP_ERROR_WRONG_SECURITY);
  g_test_message ("SSL/TLS to the STARTTLS port failed in %.2f s", outcome.seconds);
  g_assert_cmpfloat (outcome.seconds, <, BOUND_S (3.0));
  outcome_clear (&outcome);
}

static void
test_plain_to_tls_port (void)
{
  Outcome outcome;

  /* A TLS port waits for the client's hello; the greeting never comes. */
  run_probe_full (&outcome, "127.0.0.1", dovecot->imaps_port, HES_IMAP_SECURITY_STARTTLS,
                  HES_TEST_USER, HES_TEST_PASSWORD, SHORT_TIMEOUT_MS, 0);
  g_assert_nonnull (outcome.error);
  g_assert_true (g_error_matches (outcome.error, HES_IMAP_ERROR, HES_IMAP_ERROR_TIMEOUT) ||
                 g_error_matches (outcome.error, HES_IMAP_ERROR, HES_IMAP_ERROR_WRONG_SECURITY));
  g_test_message ("STARTTLS to the SSL/TLS port failed in %.2f s: %s", outcome.seconds,
                  outcome.error->message);
  g_assert_cmpfloat (outcome.seconds, <, SHORT_TIMEOUT_MS / 1000.0 + BOUND_S (2.0));
  outcome_clear (&outcome);
}

static void
test_refused (void)
{
  Outcome outcome;

  run_probe (&outcome, hes_test_free_port (), HES_IMAP_SECURITY_SSL, HES_TEST_USER, "x");
  assert_error (&outcome, HES_IMAP_ERROR_REFUSED);
  outcome_clear (&outcome);
}

static void
test_host_not_found (void)
{
  Outcome outcome;

  /* .invalid never exists (RFC 6761). */
  run_probe_full (&outcome, "imap.no-such-provider.invalid", 993, HES_IMAP_SECURITY_SSL,
                  HES_TEST_USER, "x", TIMEOUT_MS, 0);
  assert_error (&outcome, HES_IMAP_ERROR_HOST_NOT_FOUND);
  g_assert_nonnull (strstr (outcome.error->message, "imap.no-such-provider.invalid"));
  outcome_clear (&outcome);
}

static void
test_silent_server (gconstpointer data)
{
  HesImapSecurity security = GPOINTER_TO_INT (data);
  g_autoptr(HesFakeImap) fake = hes_fake_imap_new (NULL, NULL, NULL);
  Outcome outcome;

  /* SSL/TLS waits in the handshake, STARTTLS for the greeting: each step has its limit. */
  run_probe_full (&outcome, "127.0.0.1", hes_fake_imap_get_port (fake), security, HES_TEST_USER,
                  "x", SHORT_TIMEOUT_MS, 0);
  assert_error (&outcome, HES_IMAP_ERROR_TIMEOUT);
  g_test_message ("A silent server was given up after %.2f s", outcome.seconds);
  g_assert_cmpfloat (outcome.seconds, >=, SHORT_TIMEOUT_MS / 1000.0 - 0.05);
  /* Well within the next second; the margin is for a busy machine. */
  g_assert_cmpfloat (outcome.seconds, <, SHORT_TIMEOUT_MS / 1000.0 + BOUND_S (2.0));
  outcome_clear (&outcome);
}

static void
test_cancel (void)
{
  g_autoptr(HesFakeImap) fake = hes_fake_imap_new (NULL, NULL, NULL);
  Outcome outcome;

  run_probe_full (&outcome, "127.0.0.1", hes_fake_imap_get_port (fake), HES_IMAP_SECURITY_STARTTLS,
                  HES_TEST_USER, "x", SHORT_TIMEOUT_MS, 200);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (outcome.seconds, <, BOUND_S (1.0));
  outcome_clear (&outcome);

  /* Cancelled while Dovecot is being asked, long before the step's limit. */
  run_probe_full (&outcome, "127.0.0.1", dovecot->imaps_port, HES_IMAP_SECURITY_SSL,
                  HES_TEST_USER, HES_TEST_PASSWORD, TIMEOUT_MS, 1);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  outcome_clear (&outcome);
}

/* Scripted providers */

#define TLS_GREETING "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] Provider ready."

static void
run_fake (Outcome           *outcome,
          const char        *greeting,
          const HesFakeRule *rules,
          GStrv             *commands)
{
  g_autoptr(HesFakeImap) fake = hes_fake_imap_new (server_certificate, greeting, rules);

  run_probe (outcome, hes_fake_imap_get_port (fake), HES_IMAP_SECURITY_SSL, "jean@example.test",
             HES_TEST_PASSWORD);
  if (commands != NULL)
    *commands = hes_fake_imap_get_commands (fake);
}

static void
test_refusal (gconstpointer data)
{
  const char * const *script = data;
  HesFakeRule rules[] = {
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n{tag} OK done" },
    { "AUTHENTICATE", script[0], .close = TRUE },
    { "LOGOUT", "* BYE\r\n{tag} OK", .close = TRUE },
    { NULL },
  };
  Outcome outcome;

  run_fake (&outcome, TLS_GREETING, rules, NULL);
  assert_error (&outcome, (HesImapError) GPOINTER_TO_INT (script[1]));
  outcome_clear (&outcome);
}

static const char * const gmail_app_password[] = {
  "{tag} NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
  GINT_TO_POINTER (HES_IMAP_ERROR_APP_PASSWORD_REQUIRED),
};
static const char * const yahoo_web_login[] = {
  "* BYE [ALERT] Please log in via your web browser: https://login.yahoo.com (Failure)",
  GINT_TO_POINTER (HES_IMAP_ERROR_APP_PASSWORD_REQUIRED),
};
static const char * const gmail_imap_disabled[] = {
  "{tag} NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
  GINT_TO_POINTER (HES_IMAP_ERROR_IMAP_DISABLED),
};
static const char * const imap_access_disabled[] = {
  "{tag} NO IMAP access is disabled for this account",
  GINT_TO_POINTER (HES_IMAP_ERROR_IMAP_DISABLED),
};
static const char * const contact_admin[] = {
  "{tag} NO [CONTACTADMIN] Access denied",
  GINT_TO_POINTER (HES_IMAP_ERROR_IMAP_DISABLED),
};
static const char * const plain_failure[] = {
  "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",
  GINT_TO_POINTER (HES_IMAP_ERROR_AUTH_FAILED),
};

/* Without AUTH=PLAIN the password goes in a LOGIN literal, byte for byte. */
static void
test_login_literals (void)
{
  static const HesFakeRule rules[] = {
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 LOGIN-REFERRALS\r\n{tag} OK done" },
    { "LOGIN", "{tag} OK [CAPABILITY IMAP4rev1 STATUS=SIZE] Logged in" },
    { "LIST", "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
              "* LIST (\\HasNoChildren) \"/\" {12}\r\nOdd \"name\"\\x\r\n"
              "* LIST (\\Noselect \\HasChildren) \"/\" Parent\r\n"
              "{tag} OK LIST done" },
    { "STATUS \"INBOX\"", "* STATUS INBOX (MESSAGES 7 SIZE 7000)\r\n{tag} OK" },
    { "STATUS \"Odd", "* STATUS {12}\r\nOdd \"name\"\\x (MESSAGES 5 SIZE 500)\r\n{tag} OK" },
    { "LOGOUT", "* BYE\r\n{tag} OK", .close = TRUE },
    { NULL },
  };
  g_auto(GStrv) commands = NULL;
  g_autofree char *expected = NULL;
  Outcome outcome;

  run_fake (&outcome, "* OK Provider ready.", rules, &commands);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (hes_imap_result_get_folders (outcome.result)->len, ==, 2);
  g_assert_cmpint (find_folder (outcome.result, "Odd \"name\"\\x")->messages, ==, 5);
  g_assert_cmpuint (hes_imap_result_get_total_messages (outcome.result), ==, 12);
  g_assert_cmpint (hes_imap_result_get_total_size (outcome.result), ==, 7500);

  expected = g_strdup_printf ("LOGIN {17}\r\njean@example.test {%zu}\r\n%s",
                              strlen (HES_TEST_PASSWORD), HES_TEST_PASSWORD);
  g_assert_cmpstr (commands[1], ==, expected);
  g_assert_cmpstr (commands[3], ==, "STATUS \"INBOX\" (MESSAGES SIZE)");
  g_assert_cmpstr (commands[4], ==, "STATUS \"Odd \\\"name\\\"\\\\x\" (MESSAGES SIZE)");
  g_assert_cmpstr (commands[5], ==, "LOGOUT");
  outcome_clear (&outcome);
}

/* Without SASL-IR, the credentials follow the server's "+". */
static void
test_authenticate_continuation (void)
{
  static const HesFakeRule rules[] = {
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done" },
    { "AUTHENTICATE PLAIN", "{tag} OK Logged in", .continuations = 1 },
    { "LIST", "* LIST () \"/\" Inbox\r\n{tag} OK" },
    /* The name spelled otherwise than in LIST: the one answer is still the folder's. */
    { "STATUS", "* STATUS INBOX (MESSAGES 2)\r\n{tag} OK" },
    { "LOGOUT", "* BYE\r\n{tag} OK", .close = TRUE },
    { NULL },
  };
  const char plain[] = "\0jean@example.test\0" HES_TEST_PASSWORD;
  g_autofree char *encoded = g_base64_encode ((const guchar *) plain, sizeof plain - 1);
  g_autofree char *expected = g_strconcat ("AUTHENTICATE PLAIN\r\n", encoded, NULL);
  g_auto(GStrv) commands = NULL;
  Outcome outcome;

  run_fake (&outcome, "* OK Provider ready.", rules, &commands);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (hes_imap_result_get_total_messages (outcome.result), ==, 2);
  /* No STATUS=SIZE: the size is not asked, and stays unknown. */
  g_assert_cmpint (hes_imap_result_get_total_size (outcome.result), ==, -1);
  g_assert_cmpstr (commands[1], ==, expected);
  /* No capabilities in the OK: asked again, as they change once signed in. */
  g_assert_cmpstr (commands[2], ==, "CAPABILITY");
  g_assert_cmpstr (commands[4], ==, "STATUS \"Inbox\" (MESSAGES)");
  outcome_clear (&outcome);
}

/* LOGIN refused (LOGINDISABLED) and no PLAIN: the SASL LOGIN mechanism, one "+" per field. */
static void
test_authenticate_login (void)
{
  static const HesFakeRule rules[] = {
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=LOGIN\r\n{tag} OK done" },
    { "AUTHENTICATE LOGIN", "{tag} OK [CAPABILITY IMAP4rev1] Logged in", .continuations = 2 },
    { "LIST", "* LIST () \"/\" INBOX\r\n{tag} OK" },
    { "STATUS", "* STATUS INBOX (MESSAGES 4)\r\n{tag} OK" },
    { "LOGOUT", "* BYE\r\n{tag} OK", .close = TRUE },
    { NULL },
  };
  g_autofree char *user = g_base64_encode ((const guchar *) "jean@example.test", 17);
  g_autofree char *password = g_base64_encode ((const guchar *) HES_TEST_PASSWORD,
                                               strlen (HES_TEST_PASSWORD));
  g_autofree char *expected = g_strdup_printf ("AUTHENTICATE LOGIN\r\n%s\r\n%s", user, password);
  g_auto(GStrv) commands = NULL;
  Outcome outcome;

  run_fake (&outcome, "* OK Provider ready.", rules, &commands);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (hes_imap_result_get_total_messages (outcome.result), ==, 4);
  g_assert_cmpstr (commands[1], ==, expected);
  outcome_clear (&outcome);
}

static void
test_garbled (gconstpointer data)
{
  const char * const *script = data;
  const HesFakeRule rules[] = {
    { "CAPABILITY", script[1], .close = TRUE },
    { "*", "{tag} OK whatever" },
    { NULL },
  };
  Outcome outcome;

  run_fake (&outcome, script[0], rules, NULL);
  assert_error (&outcome, HES_IMAP_ERROR_PROTOCOL);
  outcome_clear (&outcome);
}

static const char * const http_server[] = { "HTTP/1.1 400 Bad Request", "" };
static const char * const wrong_tag[] = { TLS_GREETING, "* CAPABILITY IMAP4rev1\r\nB999 OK done" };
static const char * const junk[] = { TLS_GREETING, "\x01\x02 garbage" };
static const char * const closed[] = { TLS_GREETING, "* CAPABILITY IMAP4rev1" };

static void
test_no_starttls (void)
{
  static const HesFakeRule rules[] = {
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done" },
    { NULL },
  };
  g_autoptr(HesFakeImap) fake = hes_fake_imap_new (NULL, "* OK ready", rules);
  g_auto(GStrv) commands = NULL;
  Outcome outcome;

  run_probe (&outcome, hes_fake_imap_get_port (fake), HES_IMAP_SECURITY_STARTTLS, HES_TEST_USER,
             HES_TEST_PASSWORD);
  assert_error (&outcome, HES_IMAP_ERROR_WRONG_SECURITY);
  /* The password never went out in clear text. */
  commands = hes_fake_imap_get_commands (fake);
  g_assert_cmpuint (g_strv_length (commands), ==, 1);
  outcome_clear (&outcome);
}

static void
test_password_not_logged (void)
{
  const char plain[] = "\0" HES_TEST_USER "\0" HES_TEST_PASSWORD;
  g_autofree char *encoded = g_base64_encode ((const guchar *) plain, sizeof plain - 1);
  Outcome outcome;

  g_mutex_lock (&log_lock);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_lock);
  run_probe (&outcome, dovecot->imaps_port, HES_IMAP_SECURITY_SSL, HES_TEST_USER, HES_TEST_PASSWORD);
  g_assert_no_error (outcome.error);
  g_mutex_lock (&log_lock);
  /* The log did record the session, but not the secret in any form. */
  g_assert_nonnull (strstr (log_text->str, "LIST"));
  g_assert_null (strstr (log_text->str, HES_TEST_PASSWORD));
  g_assert_null (strstr (log_text->str, encoded));
  g_assert_null (strstr (log_text->str, "AUTHENTICATE"));
  g_mutex_unlock (&log_lock);
  outcome_clear (&outcome);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
test_duration (gconstpointer data)
{
  HesImapSecurity security = GPOINTER_TO_INT (data);
  guint16 port = security == HES_IMAP_SECURITY_SSL ? dovecot->imaps_port : dovecot->imap_port;
  double seconds[10];
  double median;

  for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
    {
      Outcome outcome;

      run_probe (&outcome, port, security, HES_TEST_USER, HES_TEST_PASSWORD);
      g_assert_no_error (outcome.error);
      seconds[i] = outcome.seconds;
      outcome_clear (&outcome);
    }
  qsort (seconds, G_N_ELEMENTS (seconds), sizeof seconds[0], compare_doubles);
  median = (seconds[4] + seconds[5]) / 2;
  g_test_message ("Connection test against the local Dovecot (%s): median %.1f ms (min %.1f, max %.1f)",
                  security == HES_IMAP_SECURITY_SSL ? "SSL/TLS" : "STARTTLS",
                  median * 1000, seconds[0] * 1000, seconds[9] * 1000);
  /* "A connection test against the old server in seconds": locally, far less. */
  g_assert_cmpfloat (median, <, BOUND_S (1.0));
}

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        {
          g_mutex_lock (&log_lock);
          g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
          g_mutex_unlock (&log_lock);
        }
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log, NULL, NULL);

  dovecot = hes_test_dovecot_start ();
  g_setenv ("HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
  server_certificate = g_tls_certificate_new_from_files (dovecot->ca->cert_file,
                                                         dovecot->ca->key_file, &error);
  g_assert_no_error (error);

  g_test_add_func ("/imap/probe/ssl-counts", test_ssl_counts);
  g_test_add_func ("/imap/probe/starttls", test_starttls);
  g_test_add_func ("/imap/probe/odd-password", test_odd_password);
  g_test_add_func ("/imap/probe/wrong-password", test_wrong_password);
  g_test_add_func ("/imap/probe/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/imap/probe/wrong-name", test_wrong_name);
  g_test_add_func ("/imap/probe/tls-to-plain-port", test_tls_to_plain_port);
  g_test_add_func ("/imap/probe/plain-to-tls-port", test_plain_to_tls_port);
  g_test_add_func ("/imap/probe/refused", test_refused);
  g_test_add_func ("/imap/probe/host-not-found", test_host_not_found);
  g_test_add_data_func ("/imap/probe/silent/starttls", GINT_TO_POINTER (HES_IMAP_SECURITY_STARTTLS),
                        test_silent_server);
  g_test_add_data_func ("/imap/probe/silent/ssl", GINT_TO_POINTER (HES_IMAP_SECURITY_SSL),
                        test_silent_server);
  g_test_add_func ("/imap/probe/cancel", test_cancel);
  g_test_add_data_func ("/imap/probe/refusal/gmail-app-password", gmail_app_password, test_refusal);
  g_test_add_data_func ("/imap/probe/refusal/web-login", yahoo_web_login, test_refusal);
  g_test_add_data_func ("/imap/probe/refusal/gmail-imap-disabled", gmail_imap_disabled, test_refusal);
  g_test_add_data_func ("/imap/probe/refusal/imap-access-disabled", imap_access_disabled, test_refusal);
  g_test_add_data_func ("/imap/probe/refusal/contact-admin", contact_admin, test_refusal);
  g_test_add_data_func ("/imap/probe/refusal/authentication-failed", plain_failure, test_refusal);
  g_test_add_func ("/imap/probe/login-literals", test_login_literals);
  g_test_add_func ("/imap/probe/authenticate-continuation", test_authenticate_continuation);
  g_test_add_func ("/imap/probe/authenticate-login", test_authenticate_login);
  g_test_add_data_func ("/imap/probe/garbled/http", http_server, test_garbled);
  g_test_add_data_func ("/imap/probe/garbled/wrong-tag", wrong_tag, test_garbled);
  g_test_add_data_func ("/imap/probe/garbled/junk", junk, test_garbled);
  g_test_add_data_func ("/imap/probe/garbled/closed", closed, test_garbled);
  g_test_add_func ("/imap/probe/no-starttls", test_no_starttls);
  g_test_add_func ("/imap/probe/password-not-logged", test_password_not_logged);
  g_test_add_data_func ("/imap/probe/duration/ssl", GINT_TO_POINTER (HES_IMAP_SECURITY_SSL),
                        test_duration);
  g_test_add_data_func ("/imap/probe/duration/starttls",
                        GINT_TO_POINTER (HES_IMAP_SECURITY_STARTTLS), test_duration);

  status = g_test_run ();
  g_clear_object (&server_certificate);
  hes_test_dovecot_stop (dovecot);
  g_string_free (log_text, TRUE);
  return status;
}
