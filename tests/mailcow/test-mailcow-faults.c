/* test-mailcow-faults.c: the client API against a misbehaving server (fault-server.py) at
 * each step of the sign-in: the login page, the login POST and the first API call. Each
 * fault ends in its own HES_MAILCOW_ERROR, and the TLS ones before the password leaves.
 *
 *   test-mailcow-faults PYTHON FAULT_SERVER   (GTest; certtool makes the test CA)
 */
#define G_LOG_DOMAIN "test-mailcow-faults"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "hes-mailcow-client.h"
#include "hes-mailcow-error.h"

#define ADMIN      "admin@example.test"
#define ADMIN_PASS "Fault-Pa55word"

static const char *python;
static const char *fault_server;
static char *tmp;

typedef enum { STEP_PAGE, STEP_POST, STEP_API } Step;

typedef struct {
  const char      *fault;
  gboolean         tls;
  HesMailcowError  code;
  const char      *sentence;  /* part of the message */
} FaultCase;

static const char * const step_names[] = { "page", "post", "api" };

static void
run_certtool (const char *args)
{
  g_autofree char *command = g_strdup_printf ("certtool %s", args);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
make_certificates (void)
{
  g_autofree char *ca_tmpl = g_build_filename (tmp, "ca.tmpl", NULL);
  g_autofree char *server_tmpl = g_build_filename (tmp, "server.tmpl", NULL);
  g_autofree char *args = NULL;

  g_assert_true (g_file_set_contents (ca_tmpl, "cn = \"Fault test CA\"\nexpiration_days = 2\n"
                                      "ca\ncert_signing_key\n", -1, NULL));
  g_assert_true (g_file_set_contents (server_tmpl, "cn = \"127.0.0.1\"\nexpiration_days = 2\n"
                                      "ip_address = \"127.0.0.1\"\ntls_www_server\n"
                                      "signing_key\nencryption_key\n", -1, NULL));
  for (guint i = 0; i < 2; i++) {
    g_free (args);
    args = g_strdup_printf ("--generate-privkey --key-type=ecdsa --curve=secp256r1 "
                            "--outfile %s/%s-key.pem", tmp, i == 0 ? "ca" : "server");
    run_certtool (args);
  }
  g_free (args);
  args = g_strdup_printf ("--generate-self-signed --load-privkey %s/ca-key.pem --template %s "
                          "--outfile %s/ca.pem", tmp, ca_tmpl, tmp);
  run_certtool (args);
  g_free (args);
  args = g_strdup_printf ("--generate-certificate --load-privkey %s/server-key.pem "
                          "--load-ca-certificate %s/ca.pem --load-ca-privkey %s/ca-key.pem "
                          "--template %s --outfile %s/server.pem", tmp, tmp, tmp, server_tmpl,
                          tmp);
  run_certtool (args);
}

static GSubprocess *
start_server (const FaultCase *c, Step step, char **url, char **log)
{
  g_autofree char *port_file = g_build_filename (tmp, "port", NULL);
  g_autofree char *cert = g_build_filename (tmp, "server.pem", NULL);
  g_autofree char *key = g_build_filename (tmp, "server-key.pem", NULL);
  g_autofree char *port = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *server;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  *log = g_build_filename (tmp, "log", NULL);
  g_unlink (port_file);
  g_assert_true (g_file_set_contents (*log, "", 0, NULL));
  g_ptr_array_add (argv, (gpointer) python);
  g_ptr_array_add (argv, (gpointer) fault_server);
  g_ptr_array_add (argv, (gpointer) "--fault");
  g_ptr_array_add (argv, (gpointer) c->fault);
  g_ptr_array_add (argv, (gpointer) "--step");
  g_ptr_array_add (argv, (gpointer) step_names[step]);
  g_ptr_array_add (argv, (gpointer) "--port-file");
  g_ptr_array_add (argv, port_file);
  g_ptr_array_add (argv, (gpointer) "--log");
  g_ptr_array_add (argv, *log);
  if (c->tls) {
    g_ptr_array_add (argv, (gpointer) "--cert");
    g_ptr_array_add (argv, cert);
    g_ptr_array_add (argv, (gpointer) "--key");
    g_ptr_array_add (argv, key);
  }
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                              &error);
  g_assert_no_error (error);

  while (!g_file_get_contents (port_file, &port, NULL, NULL)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  *url = g_strdup_printf ("%s://127.0.0.1:%s", c->tls ? "https" : "http", port);
  return server;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
run_case (const FaultCase *c, Step step)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(HesMailcowClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) api_result = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  g_autofree char *requests = NULL;
  HesSignInOutcome outcome;
  gint64 start = g_get_monotonic_time ();

  server = start_server (c, step, &url, &log);
  client = hes_mailcow_client_new (url, &error);
  g_assert_no_error (error);

  hes_mailcow_client_sign_in_async (client, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS,
                                    NULL, on_done, &result);
  outcome = hes_mailcow_client_sign_in_finish (client, wait_for (&result), &error);
  if (step == STEP_API) {
    g_assert_no_error (error);
    g_assert_cmpint (outcome, ==, HES_SIGN_IN_DONE);
    hes_mailcow_client_get_dkim_async (client, "example.test", NULL, on_done, &api_result);
    dkim = hes_mailcow_client_get_dkim_finish (client, wait_for (&api_result), &error);
    g_assert_null (dkim);
  }
  g_assert_error (error, HES_MAILCOW_ERROR, (int) c->code);
  g_assert_nonnull (strstr (error->message, c->sentence));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 35 * G_USEC_PER_SEC);

  /* A TLS fault at the login POST stops it before the password is written. */
  g_assert_true (g_file_get_contents (log, &requests, NULL, NULL));
  if (c->tls && step == STEP_POST && c->code == HES_MAILCOW_ERROR_TLS)
    g_assert_null (strstr (requests, "post password"));

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static const FaultCase cases[] = {
  { "huge-length", TRUE, HES_MAILCOW_ERROR_TOO_LARGE, "far larger answer" },
  { "endless-chunked", TRUE, HES_MAILCOW_ERROR_TOO_LARGE, "far larger answer" },
  { "huge-length", FALSE, HES_MAILCOW_ERROR_TOO_LARGE, "far larger answer" },
  { "endless-chunked", FALSE, HES_MAILCOW_ERROR_TOO_LARGE, "far larger answer" },
  { "garbage-after-tls", TRUE, HES_MAILCOW_ERROR_MALFORMED, "cannot read" },
  { "tls1.0", TRUE, HES_MAILCOW_ERROR_TLS, "older than TLS 1.2), so the app sent nothing" },
  { "tls1.1", TRUE, HES_MAILCOW_ERROR_TLS, "older than TLS 1.2), so the app sent nothing" },
  { "handshake-failure", TRUE, HES_MAILCOW_ERROR_TLS, "could not agree on a secure connection" },
  { "not-tls", TRUE, HES_MAILCOW_ERROR_TLS, "could not agree on a secure connection" },
};

static void
test_case (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  const FaultCase *c = &cases[index / 3];

  run_case (c, index % 3);
}

static void
test_nested_json (void)
{
  static const FaultCase nested = { "nested-json", FALSE, HES_MAILCOW_ERROR_MALFORMED,
                                    "cannot read" };

  run_case (&nested, STEP_API);
}

/* The password sentence only where it is true: on the login POST, never elsewhere. */
static void
test_password_sentence (void)
{
  static const FaultCase handshake = { "handshake-failure", TRUE, HES_MAILCOW_ERROR_TLS,
                                       "so your password was not sent" };

  run_case (&handshake, STEP_POST);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);
  if (argc < 3)
    g_error ("usage: test-mailcow-faults PYTHON FAULT_SERVER");
  python = argv[1];
  fault_server = argv[2];

  tmp = g_dir_make_tmp ("hes-faults-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificates ();
  {
    g_autofree char *ca = g_build_filename (tmp, "ca.pem", NULL);
    g_setenv ("HES_MAILCOW_TEST_CA", ca, TRUE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases) * 3; i++) {
    const FaultCase *c = &cases[i / 3];
    g_autofree char *path = g_strdup_printf ("/mailcow-faults/%s/%s/%s", c->tls ? "https" : "http",
                                             c->fault, step_names[i % 3]);

    g_test_add_data_func (path, GUINT_TO_POINTER (i), test_case);
  }
  g_test_add_func ("/mailcow-faults/http/nested-json/api", test_nested_json);
  g_test_add_func ("/mailcow-faults/https/password-sentence", test_password_sentence);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (tmp);
  return status;
}
