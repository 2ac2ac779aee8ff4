/* test-imap-cli.c: `--test-imap` run as a separate program, against a real Dovecot. */
#define G_LOG_DOMAIN "test-imap-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "hes-test-dovecot.h"

static HesTestDovecot *dovecot;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

/* Runs the command line with @input on standard input (NULL: empty). The input comes from a
 * file, not a pipe: a program that stops at a usage error never reads it. */
static void
run_cli (Run         *run,
         const char  *input,
         const char  *locale,
         const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *input_path = NULL;
  int fd;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HES_IMAP_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  fd = g_file_open_tmp ("hes-imap-cli-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (input_path, input != NULL ? input : "", -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", locale != NULL ? locale : "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "HES_IMAP_EXTRA_CA", dovecot->ca->ca_file, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_unlink (input_path);
}

static JsonObject *
parse_output (Run        *run,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  g_autoptr(GList) members = NULL;
  const char *expected[] = { "ok", "error_code", "message", "folders", "total_messages" };

  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (json_object_has_member (object, expected[i]));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "folders")));
  return object;
}

static char *
port_text (guint16 port)
{
  return g_strdup_printf ("%u", port);
}

static void
test_json_ok (void)
{
  g_autofree char *port = port_text (dovecot->imaps_port);
  const char *args[] = { "--test-imap", "127.0.0.1", "--port", port, "--user", HES_TEST_USER,
                         "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *folders;
  gint64 sum = 0;
  Run run;

  run_cli (&run, HES_TEST_PASSWORD "\n", NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_output (&run, parser);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_true (json_object_get_null_member (object, "error_code"));
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==,
                   "Signed in: 4 folders, 10 messages.");
  g_assert_cmpint (json_object_get_int_member (object, "total_messages"), ==, HES_TEST_TOTAL_MESSAGES);
  folders = json_object_get_array_member (object, "folders");
  g_assert_cmpuint (json_array_get_length (folders), ==, 4);
  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonObject *folder = json_array_get_object_element (folders, i);

      g_assert_nonnull (json_object_get_string_member (folder, "name"));
      sum += json_object_get_int_member (folder, "messages");
      if (g_str_equal (json_object_get_string_member (folder, "name"), "Éléments envoyés"))
        g_assert_cmpint (json_object_get_int_member (folder, "messages"), ==, 1);
    }
  g_assert_cmpint (sum, ==, HES_TEST_TOTAL_MESSAGES);
  run_clear (&run);
}

static void
test_json_refused (gconstpointer data)
{
  const char *which = data;
  gboolean wrong_password = g_str_equal (which, "auth_failed");
  g_autofree char *port = port_text (wrong_password ? dovecot->imaps_port : hes_test_free_port ());
  const char *args[] = { "--test-imap", "127.0.0.1", "--port", port, "--user", HES_TEST_USER,
                         "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  Run run;

  run_cli (&run, "not the password\n", NULL, args);
  g_assert_cmpint (run.status, ==, 1);
  object = parse_output (&run, parser);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "error_code"), ==, which);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), !=, "");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "folders")), ==, 0);
  g_assert_true (json_object_get_null_member (object, "total_messages"));
  run_clear (&run);
}

static void
test_text_starttls (void)
{
  g_autofree char *port = port_text (dovecot->imap_port);
  const char *args[] = { "--test-imap", "127.0.0.1", "--port", port, "--security", "starttls",
                         "--user", HES_TEST_ODD_USER, NULL };
  Run run;

  /* The password with accents, quotes and symbols, as typed on standard input. */
  run_cli (&run, HES_TEST_ODD_PASSWORD "\n", NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "INBOX: 1 message"));
  g_assert_nonnull (strstr (run.out, "Signed in: 1 folder, 1 message."));
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
}

static void
test_french (void)
{
  g_autofree char *port = port_text (dovecot->imaps_port);
  const char *args[] = { "--test-imap", "127.0.0.1", "--port", port, "--user", HES_TEST_USER, NULL };
  Run run;

  run_cli (&run, "faux\n", "fr_FR.UTF-8", args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "mot de passe"));
  run_clear (&run);

  run_cli (&run, HES_TEST_PASSWORD "\n", "fr_FR.UTF-8", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "INBOX\u00a0: 3 messages"));
  run_clear (&run);
}

static void
test_usage (void)
{
  const char *no_user[] = { "--test-imap", "127.0.0.1", NULL };
  const char *bad_security[] = { "--test-imap", "h", "--user", "u", "--security", "tls", NULL };
  const char *bad_port[] = { "--test-imap", "h", "--user", "u", "--port", "70000", NULL };
  const char *unknown[] = { "--test-imap", "h", "--user", "u", "--frobnicate", NULL };
  const char *good[] = { "--test-imap", "127.0.0.1", "--user", "u", NULL };
  const char **cases[] = { no_user, bad_security, bad_port, unknown };
  Run run;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_cli (&run, "secret\n", NULL, cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
      run_clear (&run);
    }
  /* No password on standard input at all. */
  run_cli (&run, NULL, NULL, good);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "standard input"));
  run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("HES_IMAP_CLI"));
  dovecot = hes_test_dovecot_start ();

  g_test_add_func ("/imap/cli/json-ok", test_json_ok);
  g_test_add_data_func ("/imap/cli/json-wrong-password", "auth_failed", test_json_refused);
  g_test_add_data_func ("/imap/cli/json-refused", "refused", test_json_refused);
  g_test_add_func ("/imap/cli/text-starttls", test_text_starttls);
  g_test_add_func ("/imap/cli/french", test_french);
  g_test_add_func ("/imap/cli/usage", test_usage);

  status = g_test_run ();
  hes_test_dovecot_stop (dovecot);
  return status;
}
