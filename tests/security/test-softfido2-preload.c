/* test-softfido2-preload.c: libfido2's own tools (fido2-token, fido2-cred, fido2-assert), run
 * unchanged with the LD_PRELOAD shim, see the software key and accept what it makes. */
#define G_LOG_DOMAIN "test-softfido2-preload"

#include <string.h>
#include <glib/gstdio.h>

#define SEED "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define OTHER_SEED "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static char *tmpdir;

/* Runs a tool with the shim; returns its standard output (NULL if it failed). */
static char *
run_seeded (const char * const *argv,
            const char         *keys,
            const char         *seed)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = -1;

  env = g_environ_setenv (env, "LD_PRELOAD", SOFTFIDO2_PRELOAD, TRUE);
  env = g_environ_setenv (env, "SOFTFIDO2_KEYS", keys, TRUE);
  env = g_environ_setenv (env, "SOFTFIDO2_TOUCH_MS", "30", TRUE);
  env = g_environ_setenv (env, "SOFTFIDO2_SEED", seed, TRUE);
  g_spawn_sync (tmpdir, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      g_clear_pointer (&out, g_free);
    }
  return out;
}

static char *
run (const char * const *argv,
     const char         *keys)
{
  return run_seeded (argv, keys, SEED);
}

static void
write_lines (const char  *name,
             const char **lines)
{
  g_autofree char *joined = g_strjoinv ("\n", (char **) lines);
  g_autofree char *text = g_strconcat (joined, "\n", NULL);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_token_lists_and_describes (void)
{
  const char *list[] = { "fido2-token", "-L", NULL };
  const char *info[] = { "fido2-token", "-I", "softfido2:demo", NULL };
  g_autofree char *listed = run (list, "demo:1234,spare");
  g_autofree char *described = run (info, "demo:1234,spare");

  g_assert_nonnull (listed);
  g_assert_nonnull (strstr (listed, "softfido2:demo: "));
  g_assert_nonnull (strstr (listed, "softfido2:spare: "));
  g_assert_nonnull (described);
  g_assert_nonnull (strstr (described, "version strings: FIDO_2_0"));
  g_assert_nonnull (strstr (described, "extension strings: credProtect"));
  g_assert_nonnull (strstr (described, "clientPin"));
  g_assert_nonnull (strstr (described, "pin retries: 8"));
}

/* makeCredential in one process, getAssertion in another: the seed makes ids portable. */
static void
test_cred_and_assert_across_processes (void)
{
  const char *make[] = { "fido2-cred", "-M", "-i", "make.in", "-o", "cred.out",
                         "softfido2:demo", "es256", NULL };
  const char *verify[] = { "fido2-cred", "-V", "-i", "cred.out", "-o", "cred.pub", "es256", NULL };
  const char *get[] = { "fido2-assert", "-G", "-i", "assert.in", "-o", "assert.out",
                        "softfido2:demo", NULL };
  const char *check[] = { "fido2-assert", "-V", "-i", "assert.out", "cred.pub", "es256", NULL };
  g_autofree char *made = NULL, *verified = NULL, *got = NULL, *checked = NULL;
  g_autofree char *cred_text = NULL, *cred_path = g_build_filename (tmpdir, "cred.out", NULL);
  g_auto(GStrv) cred_lines = NULL;

  write_lines ("make.in", (const char *[]) {
    "WW6vm9TEVQKUpHBHE/Bn4jcA31NUQG7YwDtUa0zK2XY=", "mail.kunde.example",
    "max@kunde.example", "bWF4QGt1bmRlLmV4YW1wbGU=", NULL });
  made = run (make, "demo");
  g_assert_nonnull (made);
  verified = run (verify, "demo");
  g_assert_nonnull (verified);

  g_assert_true (g_file_get_contents (cred_path, &cred_text, NULL, NULL));
  cred_lines = g_strsplit (cred_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (cred_lines), >=, 6);
  g_assert_cmpstr (cred_lines[2], ==, "packed");
  /* Input of fido2-assert -G: cdh, rp id, credential id (from the registration). */
  write_lines ("assert.in", (const char *[]) {
    "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=", "mail.kunde.example", cred_lines[4], NULL });
  got = run (get, "demo");
  g_assert_nonnull (got);
  checked = run (check, "demo");
  g_assert_nonnull (checked);

  /* Negative control: a key with another seed does not know that credential id. */
  {
    g_autofree char *other = run_seeded (get, "demo", OTHER_SEED);

    g_assert_null (other);
  }
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("softfido2-preload-XXXXXX", NULL);
  g_test_add_func ("/security/softfido2-preload/token", test_token_lists_and_describes);
  g_test_add_func ("/security/softfido2-preload/cred-and-assert", test_cred_and_assert_across_processes);
  result = g_test_run ();
  {
    const char *names[] = { "make.in", "cred.out", "cred.pub", "assert.in", "assert.out", "other.out" };
    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (tmpdir, names[i], NULL);
        g_remove (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return result;
}
