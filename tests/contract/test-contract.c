/* test-contract.c: one contract, two servers. The same tests run against the real mailcow web
 * app (inside mailcow-peer: --server=real) and against the simulator (--server=sim), which is
 * seeded with the peer's data set (mailcow-peer's README, "Seeded data").
 *
 * What the app cannot do through mailcow itself (force a password change, end the sessions,
 * look at the stored rows) goes to the server's own means: $MAILCOW_PEER_MYSQL and
 * $MAILCOW_PEER_REDIS for the peer, the simulator's API for the simulator.
 * The tests run in the order they are added and share the accounts' state, as one customer's
 * afternoon would: each says which account it changes.
 */
#define G_LOG_DOMAIN "test-contract"

#include "config.h"

#include <string.h>

#include "hes-fido2-session.h"
#include "hes-mailcow-client.h"
#include "hes-mailcow-factors.h"
#include "hes-mailcow-sim.h"
#include "hes-migration-error.h"
#include "hes-provider-profile.h"
#include "hes-sync-job-manager.h"
#include "hes-totp.h"
#include "hes-webauthn.h"
#include "softfido2.h"

#define DOMAIN      "kunde.example"
#define ADMIN       "kundeadmin"
#define ADMIN_PASS  "Kunde-Admin-2026"
#define MAXU        "max@kunde.example"
#define MAXU_PASS    "Max-Pass-2026"
#define ANNA        "anna@kunde.example"
#define ANNA_PASS   "Anna-Pass-2026"
#define ANNA_NEW    "Anna-Neu-2026-x"
#define PAUL        "paul@kunde.example"
#define PAUL_PASS   "Paul-Pass-2026"
#define PIN         "2468"
#define SECRET_1    "JBSWY3DPEHPK3PXP"
#define SECRET_2    "KRSXG5CTMVRXEZLU"

static struct {
  gboolean real;
  HesMailcowSim *sim;
  char *url;
} server;

/* ---- The server's own means ---- */

/* Runs @command with sh; NULL (and a test failure) when it fails. */
static char *
run_shell (const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", command, err);
  return g_steal_pointer (&out);
}

static char *
peer_sql (const char *sql)
{
  g_autofree char *quoted = g_shell_quote (sql);
  g_autofree char *command = g_strdup_printf ("$MAILCOW_PEER_MYSQL -N -B -e %s", quoted);

  return g_strstrip (run_shell (command));
}

static void
server_force_password_change (const char *user)
{
  if (server.real) {
    g_autofree char *sql = g_strdup_printf (
      "UPDATE mailbox SET attributes = JSON_SET(attributes, '$.force_pw_update', '1') "
      "WHERE username = '%s'", user);
    g_free (peer_sql (sql));
  } else {
    hes_mailcow_sim_set_force_password_update (server.sim, user, TRUE);
  }
}

/* Ends every session on the server, as its idle timeout or a restart would. */
static void
server_end_sessions (void)
{
  if (server.real)
    g_free (run_shell ("$MAILCOW_PEER_REDIS --no-auth-warning --scan --pattern "
                       "'PHPREDIS_SESSION:*' | xargs -r $MAILCOW_PEER_REDIS --no-auth-warning DEL"));
  else
    hes_mailcow_sim_set_fault (server.sim, HES_SIM_FAULT_EXPIRE_SESSIONS);
}

static void
server_keep_sessions (void)
{
  if (!server.real)
    hes_mailcow_sim_set_fault (server.sim, HES_SIM_FAULT_NONE);
}

/* Stored rows: tfa rows (@passkey FALSE) or fido2 rows of @user; -1 where the server cannot
 * be asked (the simulator counts its WebAuthn rows only). */
static int
server_count_rows (const char *user,
                   gboolean    passkey,
                   const char *authmech)
{
  if (server.real) {
    g_autofree char *sql = passkey
      ? g_strdup_printf ("SELECT COUNT(*) FROM fido2 WHERE username = '%s'", user)
      : g_strdup_printf ("SELECT COUNT(*) FROM tfa WHERE username = '%s' AND authmech = '%s'",
                         user, authmech);
    g_autofree char *count = peer_sql (sql);

    return atoi (count);
  }
  if (passkey || g_strcmp0 (authmech, "webauthn") == 0)
    return hes_mailcow_sim_count_webauthn_keys (server.sim, user, passkey);
  return -1;
}

/* ---- The app's side ---- */

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

static HesMailcowClient *
new_client (void)
{
  g_autoptr(GError) error = NULL;
  HesMailcowClient *client = hes_mailcow_client_new (server.url, &error);

  g_assert_no_error (error);
  hes_mailcow_client_set_timeout (client, 20 * HES_TEST_TIME_FACTOR);
  return client;
}

static HesMailcowRole
role_of (const char *user)
{
  return strchr (user, '@') ? HES_MAILCOW_ROLE_MAILBOX_USER : HES_MAILCOW_ROLE_DOMAIN_ADMIN;
}

static HesSignInOutcome
sign_in (HesMailcowClient *client, const char *user, const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_sign_in_async (client, role_of (user), user, password, NULL, on_done,
                                    &result);
  return hes_mailcow_client_sign_in_finish (client, wait_for (&result), error);
}

static HesMailcowClient *
signed_in_client (const char *user, const char *password)
{
  g_autoptr(GError) error = NULL;
  HesMailcowClient *client = new_client ();

  g_assert_cmpint (sign_in (client, user, password, &error), ==, HES_SIGN_IN_DONE);
  g_assert_no_error (error);
  return client;
}

static void
sign_out (HesMailcowClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hes_mailcow_client_sign_out_async (client, NULL, on_done, &result);
  g_assert_true (hes_mailcow_client_sign_out_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
totp_now (const char *secret)
{
  g_autoptr(GBytes) key = hes_base32_decode (secret, NULL);
  gsize length;
  const guint8 *data = g_bytes_get_data (key, &length);

  return hes_totp_compute_code (data, length, g_get_real_time () / G_USEC_PER_SEC, 30, 6);
}

static GPtrArray *
factors_finish (HesMailcowFactors *factors, GAsyncResult *result, HesMailcowFactor **added,
                GError **error)
{
  return hes_mailcow_factors_finish (factors, result, added, error);
}

static GPtrArray *
list_factors (HesMailcowFactors *factors)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  hes_mailcow_factors_list_async (factors, NULL, on_done, &result);
  list = factors_finish (factors, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
  return list;
}

static guint
count_kind (GPtrArray *list, HesMailcowFactorKind kind)
{
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    n += ((HesMailcowFactor *) g_ptr_array_index (list, i))->kind == kind;
  return n;
}

static const HesMailcowFactor *
find_named (GPtrArray *list, const char *name)
{
  for (guint i = 0; i < list->len; i++) {
    const HesMailcowFactor *factor = g_ptr_array_index (list, i);

    if (g_strcmp0 (factor->name, name) == 0)
      return factor;
  }
  return NULL;
}

static GPtrArray *
add_totp (HesMailcowFactors *factors, const char *name, const char *secret, const char *password,
          HesMailcowFactor **added, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *code = totp_now (secret);

  hes_mailcow_factors_add_totp_async (factors, name, secret, code, password, NULL, on_done,
                                      &result);
  return factors_finish (factors, wait_for (&result), added, error);
}

static GPtrArray *
remove_factor (HesMailcowFactors *factors, const HesMailcowFactor *factor, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_factors_remove_async (factors, factor, NULL, on_done, &result);
  return factors_finish (factors, wait_for (&result), NULL, error);
}

/* ---- Sign-in, lists, DKIM, policy, session ---- */

static void
test_wrong_password (void)
{
  g_autoptr(HesMailcowClient) client = new_client ();
  g_autoptr(GError) error = NULL;

  sign_in (client, MAXU, "Not-the-password-1", &error);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_assert_false (hes_mailcow_client_get_signed_in (client));
}

static void
test_sign_in_mailbox_user (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);

  g_assert_true (hes_mailcow_client_get_signed_in (client));
  g_assert_cmpint (hes_mailcow_client_get_role (client), ==, HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_cmpstr (hes_mailcow_client_get_username (client), ==, MAXU);
}

static void
test_sign_in_domain_admin (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);

  g_assert_cmpint (hes_mailcow_client_get_role (client), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpstr (hes_mailcow_client_get_username (client), ==, ADMIN);
}

static void
test_domains (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  HesMailcowDomain *domain;

  hes_mailcow_client_list_domains_async (client, NULL, on_done, &result);
  domains = hes_mailcow_client_list_domains_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 1);
  domain = g_ptr_array_index (domains, 0);
  g_assert_cmpstr (domain->name, ==, DOMAIN);
  g_assert_true (domain->active);
  g_assert_cmpint (domain->max_mailboxes, ==, 10);
  g_assert_cmpint (domain->mailboxes, ==, 3);
  g_assert_cmpuint (domain->max_quota_for_domain, ==, 10240ull * 1024 * 1024);
  g_assert_cmpuint (domain->max_quota_for_mailbox, ==, 2048ull * 1024 * 1024);
  g_assert_cmpuint (domain->def_quota_for_mailbox, ==, 1024ull * 1024 * 1024);
}

static void
test_mailboxes (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  hes_mailcow_client_list_mailboxes_async (client, DOMAIN, NULL, on_done, &result);
  mailboxes = hes_mailcow_client_list_mailboxes_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 3);
  for (guint i = 0; i < mailboxes->len; i++) {
    HesMailcowMailbox *mailbox = g_ptr_array_index (mailboxes, i);

    g_assert_cmpstr (mailbox->domain, ==, DOMAIN);
    g_assert_cmpuint (mailbox->quota, ==, 1024ull * 1024 * 1024);
    g_assert_true (mailbox->active);
    g_ptr_array_add (names, mailbox->username);
  }
  g_assert_true (g_ptr_array_find_with_equal_func (names, MAXU, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, ANNA, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, PAUL, g_str_equal, NULL));
}

static void
test_dkim (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;

  hes_mailcow_client_get_dkim_async (client, DOMAIN, NULL, on_done, &result);
  dkim = hes_mailcow_client_get_dkim_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (dkim);
  g_assert_cmpstr (dkim->selector, ==, "dkim");
  g_assert_cmpstr (dkim->length, ==, "2048");
  g_assert_true (g_str_has_prefix (dkim->txt, "v=DKIM1;k=rsa;"));
  g_assert_nonnull (strstr (dkim->txt, dkim->pubkey));
}

static void
test_password_policy (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesPasswordPolicy) policy = NULL;

  hes_mailcow_client_get_password_policy_async (client, NULL, on_done, &result);
  policy = hes_mailcow_client_get_password_policy_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  /* The container's default: at least 6 characters, nothing else. */
  g_assert_cmpuint (policy->length, ==, 6);
  g_assert_false (policy->chars);
  g_assert_false (policy->special_chars);
  g_assert_false (policy->lowerupper);
  g_assert_false (policy->numbers);
}

static void
test_session_ended (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) page_error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GPtrArray) list = NULL;

  server_end_sessions ();
  /* The JSON API and the account's page both say so. */
  hes_mailcow_client_list_mailboxes_async (client, NULL, NULL, on_done, &result);
  mailboxes = hes_mailcow_client_list_mailboxes_finish (client, wait_for (&result), &error);
  hes_mailcow_factors_list_async (factors, NULL, on_done, &listed);
  list = factors_finish (factors, wait_for (&listed), NULL, &page_error);
  server_keep_sessions ();
  g_assert_null (mailboxes);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_assert_null (list);
  g_assert_error (page_error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

static void
test_sign_out (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  sign_out (client);
  g_assert_false (hes_mailcow_client_get_signed_in (client));
  /* The server forgot the session too: its account page is no longer shown. */
  hes_mailcow_factors_list_async (factors, NULL, on_done, &result);
  list = factors_finish (factors, wait_for (&result), NULL, &error);
  g_assert_null (list);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

/* Changes anna's password to ANNA_NEW. */
static void
test_forced_password_change (void)
{
  g_autoptr(HesMailcowClient) client = new_client ();
  g_autoptr(HesMailcowClient) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  server_force_password_change (ANNA);
  g_assert_cmpint (sign_in (client, ANNA, ANNA_PASS, &error), ==,
                   HES_SIGN_IN_NEEDS_PASSWORD_CHANGE);
  g_assert_no_error (error);

  hes_mailcow_client_change_password_async (client, ANNA_NEW, NULL, on_done, &result);
  g_assert_true (hes_mailcow_client_change_password_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (client), ==, HES_SIGN_IN_DONE);
  g_assert_true (hes_mailcow_client_get_signed_in (client));

  /* The new password is the one that works now, without another change asked. */
  again = signed_in_client (ANNA, ANNA_NEW);
  g_assert_true (hes_mailcow_client_get_signed_in (again));
}

/* ---- Factors ---- */

/* The YubiCloud call cannot be reached (no internet in either server): the form the app sends
 * is checked in the peer's request log, and the refusal is a plain error. Nothing is stored. */
static void
test_yubi_otp (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *otp = "cccjgjgkhcbbirdrfdnlnghhfgrtnnlgedjlftrbdeut";

  hes_mailcow_factors_add_yubi_otp_async (factors, "My YubiKey", "12345",
                                          "c2VjcmV0LWtleS0xMjM0NTY3ODkw", otp, MAXU_PASS, NULL,
                                          on_done, &result);
  list = factors_finish (factors, wait_for (&result), NULL, &error);
  g_assert_null (list);
  g_assert_error (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_OTP_NOT_VERIFIED);
  g_assert_cmpstr (error->message, !=, "");

  list = list_factors (factors);
  g_assert_cmpuint (list->len, ==, 0);
  if (server.real) {
    g_autofree char *path = g_build_filename (g_getenv ("MAILCOW_PEER_LOG"), "nginx-bodies.log",
                                              NULL);
    g_autofree char *log = NULL;

    g_assert_cmpint (server_count_rows (MAXU, FALSE, "yubi_otp"), ==, 0);
    g_assert_true (g_file_get_contents (path, &log, NULL, NULL));
    g_assert_nonnull (strstr (log, "tfa_method=yubi_otp"));
    g_assert_nonnull (strstr (log, "yubico_id=12345"));
    g_assert_nonnull (strstr (log, otp));
    g_assert_nonnull (strstr (log, "key_id=My+YubiKey"));
  }
}

/* Leaves max with one TOTP factor. */
static void
test_totp_factors (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (MAXU, MAXU_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(HesMailcowFactor) added = NULL;
  g_autoptr(HesMailcowFactor) first = NULL;
  const HesMailcowFactor *found;

  list = list_factors (factors);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A wrong account password: refused, nothing stored. */
  list = add_totp (factors, "Phone", SECRET_1, "Not-the-password-1", NULL, &error);
  g_assert_null (list);
  g_assert_error (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  if (server.real)
    g_assert_cmpint (server_count_rows (MAXU, FALSE, "totp"), ==, 0);

  /* A name with the characters HTML escapes comes back as typed. */
  list = add_totp (factors, "Phone & <app> “Max”", SECRET_1, MAXU_PASS, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_nonnull (first);
  g_assert_cmpint (first->kind, ==, HES_MAILCOW_FACTOR_SECOND_FACTOR);
  g_assert_cmpstr (first->name, ==, "Phone & <app> “Max”");
  g_clear_pointer (&list, g_ptr_array_unref);
  if (server.real)
    g_assert_cmpint (server_count_rows (MAXU, FALSE, "totp"), ==, 1);

  list = add_totp (factors, "Tablet", SECRET_2, MAXU_PASS, &added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (list, HES_MAILCOW_FACTOR_SECOND_FACTOR), ==, 2);
  g_assert_nonnull (find_named (list, "Tablet"));
  g_assert_cmpstr (added->name, ==, "Tablet");
  g_assert_cmpstr (added->id, !=, first->id);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A fresh reader sees the same. */
  list = list_factors (factors);
  g_assert_cmpuint (list->len, ==, 2);
  found = find_named (list, "Phone & <app> “Max”");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, first->id);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = remove_factor (factors, first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_null (find_named (list, "Phone & <app> “Max”"));
  g_clear_pointer (&list, g_ptr_array_unref);
  if (server.real)
    g_assert_cmpint (server_count_rows (MAXU, FALSE, "totp"), ==, 1);

  /* mailcow keeps the last second factor. */
  list = remove_factor (factors, added, &error);
  g_assert_null (list);
  g_assert_error (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_LAST_FACTOR);
  g_clear_error (&error);
  list = list_factors (factors);
  g_assert_cmpuint (list->len, ==, 1);
}

/* Gives paul a TOTP factor, then signs in with it. */
static void
test_sign_in_totp (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (PAUL, PAUL_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(HesMailcowClient) second = new_client ();
  g_autoptr(HesMailcowClient) third = new_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GPtrArray *pending;  /* owned by the client */
  g_autofree char *code = NULL;
  HesSecondFactor *factor;

  list = add_totp (factors, "Paul's phone", SECRET_1, PAUL_PASS, NULL, &error);
  g_assert_no_error (error);
  sign_out (client);

  /* A wrong code ends the pending sign-in. */
  g_assert_cmpint (sign_in (second, PAUL, PAUL_PASS, &error), ==, HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  g_assert_no_error (error);
  pending = hes_mailcow_client_get_pending_factors (second);
  g_assert_cmpuint (pending->len, ==, 1);
  factor = g_ptr_array_index (pending, 0);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_TOTP);
  g_assert_cmpstr (factor->name, ==, "Paul's phone");
  hes_mailcow_client_verify_totp_async (second, factor->id, "000000", NULL, on_done, &result);
  g_assert_false (hes_mailcow_client_verify_totp_finish (second, wait_for (&result), &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED);
  g_clear_error (&error);
  g_assert_false (hes_mailcow_client_get_signed_in (second));

  g_assert_cmpint (sign_in (third, PAUL, PAUL_PASS, &error), ==, HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  pending = hes_mailcow_client_get_pending_factors (third);
  factor = g_ptr_array_index (pending, 0);
  code = totp_now (SECRET_1);
  hes_mailcow_client_verify_totp_async (third, factor->id, code, NULL, on_done, &result2);
  g_assert_true (hes_mailcow_client_verify_totp_finish (third, wait_for (&result2), &error));
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (third));
}

/* ---- Security keys (the software authenticator) ---- */

typedef struct {
  SoftFido2 *key;
  HesFido2Session *session;
} Key;

static void
key_init (Key *key, const char *name)
{
  g_autoptr(HesFido2Device) device = NULL;
  g_autofree char *origin = hes_webauthn_origin_from_url (server.url);

  key->key = softfido2_new (name);
  softfido2_set_touch_delay (key->key, 10);
  softfido2_set_pin (key->key, PIN);
  device = hes_fido2_device_new (softfido2_get_path (key->key), "Soft", "FIDO2");
  key->session = hes_fido2_session_new (device, origin);
}

/* A worker thread of the key may hold the session a moment after its last result. */
static void
key_clear (Key *key)
{
  g_clear_object (&key->session);
  softfido2_free (key->key);
}

static HesFido2Registration *
make_credential (Key *key, HesMailcowFactors *factors, HesMailcowFactorKind kind)
{
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  HesFido2Registration *registration;

  hes_mailcow_factors_get_key_options_async (factors, kind, NULL, on_done, &got);
  options = hes_mailcow_factors_get_key_options_finish (factors, wait_for (&got), &error);
  g_assert_no_error (error);
  hes_fido2_session_make_credential_async (key->session, options,
                                           kind == HES_MAILCOW_FACTOR_PASSKEY
                                           ? HES_FIDO2_PURPOSE_PASSWORDLESS
                                           : HES_FIDO2_PURPOSE_SECOND_FACTOR,
                                           PIN, NULL, on_done, &made);
  registration = hes_fido2_session_make_credential_finish (key->session, wait_for (&made), &error);
  g_assert_no_error (error);
  return registration;
}

static GPtrArray *
add_key (HesMailcowFactors *factors, HesMailcowFactorKind kind, const char *name,
         const char *password, HesFido2Registration *registration, HesMailcowFactor **added,
         GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_factors_add_key_async (factors, kind, name, password, registration, NULL, on_done,
                                     &result);
  return factors_finish (factors, wait_for (&result), added, error);
}

/* Gives anna (password ANNA_NEW) a security key as second factor, then signs in with it. */
static void
test_webauthn_second_factor (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ANNA, ANNA_NEW);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(HesMailcowClient) again = new_client ();
  g_autoptr(HesFido2Registration) registration = NULL;
  g_autoptr(HesFido2Registration) refused = NULL;
  g_autoptr(HesMailcowFactor) added = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GPtrArray *pending;  /* owned by the client */
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) signed_ = NULL;
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  HesSecondFactor *factor;
  HesFido2Assertion *assertion;
  Key key;

  key_init (&key, "contract-tfa");

  /* mailcow answers success to a wrong password and stores nothing: the list decides. */
  refused = make_credential (&key, factors, HES_MAILCOW_FACTOR_SECOND_FACTOR);
  list = add_key (factors, HES_MAILCOW_FACTOR_SECOND_FACTOR, "Blue key", "Not-the-password-1",
                  refused, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_cmpint (server_count_rows (ANNA, FALSE, "webauthn"), ==, 0);

  registration = make_credential (&key, factors, HES_MAILCOW_FACTOR_SECOND_FACTOR);
  list = add_key (factors, HES_MAILCOW_FACTOR_SECOND_FACTOR, "Blue key", ANNA_NEW, registration,
                  &added, &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  g_assert_cmpstr (added->name, ==, "Blue key");
  g_assert_cmpint (added->kind, ==, HES_MAILCOW_FACTOR_SECOND_FACTOR);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (server_count_rows (ANNA, FALSE, "webauthn"), ==, 1);
  sign_out (client);

  /* Signing in: the pending sign-in offers the key; the key's assertion completes it. */
  g_assert_cmpint (sign_in (again, ANNA, ANNA_NEW, &error), ==, HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  g_assert_no_error (error);
  pending = hes_mailcow_client_get_pending_factors (again);
  g_assert_cmpuint (pending->len, ==, 1);
  factor = g_ptr_array_index (pending, 0);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_WEBAUTHN);
  g_assert_cmpstr (factor->name, ==, "Blue key");
  g_assert_cmpstr (factor->id, ==, added->id);

  hes_mailcow_client_get_sign_in_key_options_async (again, NULL, on_done, &got);
  options = hes_mailcow_client_get_sign_in_key_options_finish (again, wait_for (&got), &error);
  g_assert_no_error (error);
  hes_fido2_session_get_assertion_async (key.session, options, HES_FIDO2_PURPOSE_SECOND_FACTOR,
                                         NULL, NULL, on_done, &signed_);
  assertions = hes_fido2_session_get_assertion_finish (key.session, wait_for (&signed_), &error);
  g_assert_no_error (error);
  assertion = g_ptr_array_index (assertions, 0);
  token = hes_webauthn_build_assertion_token (assertion->credential_id, assertion->client_data_json,
                                              assertion->authenticator_data, assertion->signature);
  hes_mailcow_client_verify_webauthn_async (again, factor->id, token, NULL, on_done, &verified);
  g_assert_true (hes_mailcow_client_verify_webauthn_finish (again, wait_for (&verified), &error));
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (again));

  g_clear_pointer (&assertions, g_ptr_array_unref);
  key_clear (&key);
}

/* Gives the domain administrator a passkey, renames it, signs in with it, removes it. */
static void
test_passkey (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);
  g_autoptr(HesMailcowFactors) factors = hes_mailcow_factors_new (client);
  g_autoptr(HesMailcowClient) keyed = new_client ();
  g_autoptr(HesFido2Registration) registration = NULL;
  g_autoptr(HesMailcowFactor) added = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) signed_ = NULL;
  g_autoptr(GAsyncResult) renamed = NULL;
  g_autoptr(GAsyncResult) keyed_in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  HesFido2Assertion *assertion;
  const HesMailcowFactor *found;
  Key key;

  key_init (&key, "contract-passkey");
  registration = make_credential (&key, factors, HES_MAILCOW_FACTOR_PASSKEY);
  list = add_key (factors, HES_MAILCOW_FACTOR_PASSKEY, "Office key", NULL, registration, &added,
                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (added->kind, ==, HES_MAILCOW_FACTOR_PASSKEY);
  g_assert_cmpstr (added->name, ==, "Office key");
  g_assert_cmpuint (count_kind (list, HES_MAILCOW_FACTOR_PASSKEY), ==, 1);
  g_assert_cmpint (server_count_rows (ADMIN, TRUE, NULL), ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  hes_mailcow_factors_rename_async (factors, added, "Desk key", NULL, on_done, &renamed);
  list = factors_finish (factors, wait_for (&renamed), NULL, &error);
  g_assert_no_error (error);
  found = find_named (list, "Desk key");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, added->id);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Passwordless sign-in with the key and its PIN. */
  hes_mailcow_client_get_key_sign_in_options_async (keyed, NULL, on_done, &got);
  answer = hes_mailcow_client_get_key_sign_in_options_finish (keyed, wait_for (&got), &error);
  g_assert_no_error (error);
  options = hes_webauthn_options_parse (answer, HES_WEBAUTHN_GET,
                                        hes_mailcow_client_get_host (keyed), &error);
  g_assert_no_error (error);
  hes_fido2_session_get_assertion_async (key.session, options, HES_FIDO2_PURPOSE_PASSWORDLESS,
                                         PIN, NULL, on_done, &signed_);
  assertions = hes_fido2_session_get_assertion_finish (key.session, wait_for (&signed_), &error);
  g_assert_no_error (error);
  assertion = g_ptr_array_index (assertions, 0);
  token = hes_webauthn_build_assertion_token (assertion->credential_id, assertion->client_data_json,
                                              assertion->authenticator_data, assertion->signature);
  hes_mailcow_client_sign_in_with_key_async (keyed, HES_MAILCOW_ROLE_DOMAIN_ADMIN, token,
                                             assertion->user_handle, NULL, on_done, &keyed_in);
  hes_mailcow_client_sign_in_with_key_finish (keyed, wait_for (&keyed_in), &error);
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (keyed));
  g_assert_cmpstr (hes_mailcow_client_get_username (keyed), ==, ADMIN);

  list = remove_factor (factors, added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (list, HES_MAILCOW_FACTOR_PASSKEY), ==, 0);
  g_assert_cmpint (server_count_rows (ADMIN, TRUE, NULL), ==, 0);

  g_clear_pointer (&assertions, g_ptr_array_unref);
  key_clear (&key);
}

/* ---- Sync jobs: the app's side, then the runner played by the server's own means ---- */

#define OLD_HOST "imap.old-provider.example"

/* How far the simulator's clock was moved, to move it back after the sync jobs. */
static gint64 sim_clock_offset;

/* One step of mailcow's imapsync runner (the statements of imapsync_runner.pl). */
static void
server_runner (gint64      id,
               guint       interval,
               const char *step)
{
  if (server.real) {
    g_autofree char *sql = NULL;

    if (g_str_equal (step, "start"))
      sql = g_strdup_printf ("UPDATE imapsync SET is_running = 1, success = NULL, "
                             "exit_status = NULL WHERE id = %" G_GINT64_FORMAT, id);
    else if (g_str_equal (step, "ok"))
      sql = g_strdup_printf ("UPDATE imapsync SET returned_text = 'Host1: found 6 messages\n"
                             "Exiting with return value 0 (EX_OK: successful termination) 0/50 nb "
                             "errors/max errors', success = 1, exit_status = 'EX_OK' WHERE id = "
                             "%" G_GINT64_FORMAT "; UPDATE imapsync SET last_run = NOW(), "
                             "is_running = 0 WHERE id = %" G_GINT64_FORMAT, id, id);
    else
      sql = g_strdup_printf ("UPDATE imapsync SET returned_text = 'Host1 failure: Error login "
                             "on [imap.old-provider.example] with user [old@example.net]\n"
                             "Exiting with return value 16 (EXIT_AUTHENTICATION_FAILURE_USER1)', "
                             "success = 0, exit_status = 'EXIT_AUTHENTICATION_FAILURE_USER1' "
                             "WHERE id = %" G_GINT64_FORMAT "; UPDATE imapsync SET last_run = "
                             "DATE_SUB(NOW(), INTERVAL 1 SECOND), is_running = 0 WHERE id = %"
                             G_GINT64_FORMAT, id, id);
    g_free (peer_sql (sql));
    return;
  }

  if (g_str_equal (step, "start")) {
    g_assert_true (hes_mailcow_sim_set_syncjob_running (server.sim, (guint) id, TRUE));
  } else {
    g_assert_true (hes_mailcow_sim_set_syncjob_running (server.sim, (guint) id, FALSE));
    hes_mailcow_sim_set_syncjob_host_outcome (server.sim, OLD_HOST,
                                              g_str_equal (step, "ok")
                                              ? "EX_OK" : "EXIT_AUTHENTICATION_FAILURE_USER1");
    /* Due again: the runner only picks jobs whose interval has passed. */
    hes_mailcow_sim_advance_clock (server.sim, (interval + 1) * 60);
    sim_clock_offset += (interval + 1) * 60;
    g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (server.sim), >=, 1);
  }
}

static HesSyncJob *
get_job (HesSyncJobManager *manager, gint64 id, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_sync_job_manager_get_async (manager, MAXU, id, NULL, on_done, &result);
  return hes_sync_job_manager_get_finish (manager, wait_for (&result), error);
}

static void
test_sync_jobs (void)
{
  g_autoptr(HesMailcowClient) client = signed_in_client (ADMIN, ADMIN_PASS);
  g_autoptr(HesProviderProfile) profile = hes_provider_profile_new_default (NULL);
  g_autoptr(HesSyncJobManager) manager = hes_sync_job_manager_new (client, profile);
  g_autoptr(HesSyncJobSpec) spec = hes_sync_job_spec_new (MAXU, "IMAP.Old-Provider.example",
                                                          "old@example.net", "Sync-Secret-789");
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) live = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesSyncJob) job = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 id;
  guint interval;

  /* Create (a simulation first) and read back, column for column. */
  hes_sync_job_manager_create_async (manager, spec, NULL, on_done, &created);
  job = hes_sync_job_manager_create_finish (manager, wait_for (&created), &error);
  g_assert_no_error (error);
  id = job->id;
  g_assert_cmpint (id, >, 0);
  g_clear_pointer (&job, hes_sync_job_free);

  hes_sync_job_manager_list_async (manager, MAXU, NULL, on_done, &listed);
  jobs = hes_sync_job_manager_list_finish (manager, wait_for (&listed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  job = hes_sync_job_copy (g_ptr_array_index (jobs, 0));
  g_assert_cmpint (job->id, ==, id);
  g_assert_cmpstr (job->mailbox, ==, MAXU);
  g_assert_cmpstr (job->host, ==, "imap.old-provider.example");
  g_assert_cmpstr (job->user, ==, "old@example.net");
  g_assert_cmpuint (job->port, ==, 993);
  g_assert_cmpstr (job->security, ==, "SSL");
  g_assert_true (job->active);
  g_assert_true (job->dry);
  g_assert_false (job->running);
  g_assert_null (job->last_run);
  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_WAITING);
  interval = job->interval;
  g_assert_cmpuint (interval, >, 0);
  g_clear_pointer (&job, hes_sync_job_free);

  /* Every state of the runner. */
  server_runner (id, interval, "start");
  job = get_job (manager, id, &error);
  g_assert_no_error (error);
  g_assert_true (job->running);
  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_RUNNING);
  g_clear_pointer (&job, hes_sync_job_free);

  server_runner (id, interval, "ok");
  job = get_job (manager, id, &error);
  g_assert_no_error (error);
  g_assert_false (job->running);
  g_assert_nonnull (job->last_run);
  g_assert_cmpint (job->success, ==, 1);
  g_assert_cmpstr (job->exit_status, ==, "EX_OK");
  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_FINISHED_OK);
  g_clear_pointer (&job, hes_sync_job_free);

  server_runner (id, interval, "failed");
  job = get_job (manager, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->success, ==, 0);
  g_assert_cmpstr (job->exit_status, ==, "EXIT_AUTHENTICATION_FAILURE_USER1");
  g_assert_cmpint (job->state, ==, HES_SYNC_JOB_FINISHED_FAILED);
  g_clear_pointer (&job, hes_sync_job_free);

  /* Edit: the real move. */
  hes_sync_job_manager_go_live_async (manager, id, NULL, on_done, &live);
  g_assert_true (hes_sync_job_manager_go_live_finish (manager, wait_for (&live), &error));
  g_assert_no_error (error);
  job = get_job (manager, id, &error);
  g_assert_no_error (error);
  g_assert_false (job->dry);
  g_assert_true (job->active);
  g_clear_pointer (&job, hes_sync_job_free);

  /* Delete: gone from the server. */
  hes_sync_job_manager_delete_async (manager, id, NULL, on_done, &deleted);
  g_assert_true (hes_sync_job_manager_delete_finish (manager, wait_for (&deleted), &error));
  g_assert_no_error (error);
  job = get_job (manager, id, &error);
  g_assert_null (job);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_NOT_FOUND);
  if (server.real) {
    g_autofree char *rows = peer_sql ("SELECT COUNT(*) FROM imapsync");

    g_assert_cmpstr (rows, ==, "0");
  } else {
    /* Back to the real time, which the other tests' TOTP codes follow. */
    hes_mailcow_sim_advance_clock (server.sim, -sim_clock_offset);
    sim_clock_offset = 0;
  }
}

/* ---- The two servers ---- */

static void
seed_simulator (void)
{
  const char *domains[] = { DOMAIN, NULL };
  g_autoptr(GError) error = NULL;

  server.sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_failure_delay_unit_ms (server.sim, 0);
  hes_mailcow_sim_add_domain (server.sim, DOMAIN, "Kunde", TRUE);
  hes_mailcow_sim_set_domain_limits (server.sim, DOMAIN, 10, 10240, 2048, 1024);
  hes_mailcow_sim_add_mailbox (server.sim, MAXU, "Max Kunde", MAXU_PASS);
  hes_mailcow_sim_add_mailbox (server.sim, ANNA, "Anna Kunde", ANNA_PASS);
  hes_mailcow_sim_add_mailbox (server.sim, PAUL, "Paul Kunde", PAUL_PASS);
  for (guint i = 0; i < 3; i++) {
    const char *box[] = { MAXU, ANNA, PAUL };

    hes_mailcow_sim_set_mailbox_quota (server.sim, box[i], 1024, 0, 0);
    hes_mailcow_sim_set_syncjobs_acl (server.sim, box[i], TRUE);
  }
  hes_mailcow_sim_add_domain_admin (server.sim, ADMIN, ADMIN_PASS, domains);
  /* The peer has no internet: neither server reaches YubiCloud. */
  hes_mailcow_sim_set_yubicloud_reachable (server.sim, FALSE);
  g_assert_true (hes_mailcow_sim_listen (server.sim, 0, &error));
  g_assert_no_error (error);
  server.url = hes_mailcow_sim_dup_url (server.sim);
}

int
main (int argc, char **argv)
{
  const char *which = "sim";

  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++) {
    if (g_str_has_prefix (argv[i], "--server="))
      which = argv[i] + strlen ("--server=");
  }

  if (g_str_equal (which, "real")) {
    if (g_getenv ("MAILCOW_PEER_URL") == NULL || g_getenv ("MAILCOW_PEER_MYSQL") == NULL) {
      /* TAP's whole-plan skip, with its one-line reason. */
      g_print ("1..0 # SKIP not inside mailcow-peer: run mailcow-peer run -- meson test "
               "--suite mailcow-real (build-aux/run-tests does when the peer is there)\n");
      return 0;
    }
    server.real = TRUE;
    server.url = g_strdup (g_getenv ("MAILCOW_PEER_URL"));
  } else {
    seed_simulator ();
  }

  g_test_add_func ("/contract/sign-in/wrong-password", test_wrong_password);
  g_test_add_func ("/contract/sign-in/mailbox-user", test_sign_in_mailbox_user);
  g_test_add_func ("/contract/sign-in/domain-admin", test_sign_in_domain_admin);
  g_test_add_func ("/contract/domains", test_domains);
  g_test_add_func ("/contract/mailboxes", test_mailboxes);
  g_test_add_func ("/contract/dkim", test_dkim);
  g_test_add_func ("/contract/password-policy", test_password_policy);
  g_test_add_func ("/contract/sync-jobs", test_sync_jobs);
  g_test_add_func ("/contract/sign-in/session-ended", test_session_ended);
  g_test_add_func ("/contract/sign-out", test_sign_out);
  g_test_add_func ("/contract/sign-in/forced-password-change", test_forced_password_change);
  g_test_add_func ("/contract/factors/yubi-otp", test_yubi_otp);
  g_test_add_func ("/contract/factors/totp", test_totp_factors);
  g_test_add_func ("/contract/sign-in/totp", test_sign_in_totp);
  g_test_add_func ("/contract/factors/webauthn-second-factor", test_webauthn_second_factor);
  g_test_add_func ("/contract/factors/passkey", test_passkey);

  {
    int status = g_test_run ();

    g_clear_object (&server.sim);
    g_free (server.url);
    return status;
  }
}
