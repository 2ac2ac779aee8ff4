/* test-mailcow-client.c: the mailcow client against the mailcow simulator on loopback.
 *
 * Every sign-in outcome for both roles, every typed call, the answer pile-up, refusals,
 * each fault switch of the simulator, time limits, cancellation, and that no password ever
 * reaches a log line.
 */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hes-mailcow-client.h"
#include "hes-mailcow-sim.h"

#define USER        "max@kunde.example"
#define USER_PASS   "Secret-123"
#define ADMIN       "kundeadmin"
#define ADMIN_PASS  "Admin-456"
#define NEW_PASS    "Correct-Horse-9"
#define SYNC_PASS   "Sync-Secret-789"
#define TOTP_SECRET "JBSWY3DPEHPK3PXP"

/* Every log line of the client and of the libraries it drives (not the simulator's). */
static GString *captured_logs;

typedef struct {
  HesMailcowSim    *sim;
  HesMailcowClient *client;
  char             *url;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *domains[] = { "kunde.example", "nodkim.example", NULL };
  g_autoptr(GError) error = NULL;

  f->sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 0);
  hes_mailcow_sim_add_domain (f->sim, "kunde.example", "Kunde", TRUE);
  hes_mailcow_sim_add_domain (f->sim, "nodkim.example", "No key yet", FALSE);
  hes_mailcow_sim_add_domain (f->sim, "other.example", "Someone else", TRUE);
  hes_mailcow_sim_add_mailbox (f->sim, USER, "Max", USER_PASS);
  hes_mailcow_sim_add_domain_admin (f->sim, ADMIN, ADMIN_PASS, domains);
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);

  f->url = hes_mailcow_sim_dup_url (f->sim);
  f->client = hes_mailcow_client_new (f->url, &error);
  g_assert_no_error (error);
  hes_mailcow_client_set_timeout (f->client, 3);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->client);
  g_clear_object (&f->sim);
  g_free (f->url);
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

static HesSignInOutcome
sign_in_on (HesMailcowClient *client, HesMailcowRole role, const char *user,
            const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_sign_in_async (client, role, user, password, NULL, on_done, &result);
  return hes_mailcow_client_sign_in_finish (client, wait_for (&result), error);
}

static HesSignInOutcome
sign_in (Fixture *f, HesMailcowRole role, const char *user, const char *password, GError **error)
{
  return sign_in_on (f->client, role, user, password, error);
}

static void
sign_in_ok (Fixture *f, HesMailcowRole role)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome = role == HES_MAILCOW_ROLE_DOMAIN_ADMIN
                             ? sign_in (f, role, ADMIN, ADMIN_PASS, &error)
                             : sign_in (f, role, USER, USER_PASS, &error);

  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, HES_SIGN_IN_DONE);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
}

static gboolean
verify_totp (Fixture *f, const char *factor_id, const char *code, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_verify_totp_async (f->client, factor_id, code, NULL, on_done, &result);
  return hes_mailcow_client_verify_totp_finish (f->client, wait_for (&result), error);
}

static gboolean
change_password (Fixture *f, const char *password, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_change_password_async (f->client, password, NULL, on_done, &result);
  return hes_mailcow_client_change_password_finish (f->client, wait_for (&result), error);
}

static JsonNode *
api_get (Fixture *f, const char *path, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_api_get_async (f->client, path, NULL, on_done, &result);
  return hes_mailcow_client_api_get_finish (f->client, wait_for (&result), error);
}

static GPtrArray *
api_post (Fixture *f, const char *path, const char *json, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = json_from_string (json, NULL);

  g_assert_nonnull (body);
  hes_mailcow_client_api_post_async (f->client, path, body, NULL, on_done, &result);
  return hes_mailcow_client_api_post_finish (f->client, wait_for (&result), error);
}

static GPtrArray *
list_domains (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_list_domains_async (f->client, NULL, on_done, &result);
  return hes_mailcow_client_list_domains_finish (f->client, wait_for (&result), error);
}

static GPtrArray *
list_mailboxes (Fixture *f, const char *domain, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_list_mailboxes_async (f->client, domain, NULL, on_done, &result);
  return hes_mailcow_client_list_mailboxes_finish (f->client, wait_for (&result), error);
}

static HesMailcowDkim *
get_dkim (Fixture *f, const char *domain, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_get_dkim_async (f->client, domain, NULL, on_done, &result);
  return hes_mailcow_client_get_dkim_finish (f->client, wait_for (&result), error);
}

static gboolean
add_dkim (Fixture *f, const char *domain, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_add_dkim_async (f->client, domain, NULL, on_done, &result);
  return hes_mailcow_client_add_dkim_finish (f->client, wait_for (&result), error);
}

static HesPasswordPolicy *
get_policy (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_get_password_policy_async (f->client, NULL, on_done, &result);
  return hes_mailcow_client_get_password_policy_finish (f->client, wait_for (&result), error);
}

static char *
fetch_csrf_token (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_fetch_csrf_token_async (f->client, NULL, on_done, &result);
  return hes_mailcow_client_fetch_csrf_token_finish (f->client, wait_for (&result), error);
}

static char *
post_form (Fixture *f, const char *path, const char * const *fields, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_post_form_async (f->client, path, fields, NULL, on_done, &result);
  return hes_mailcow_client_post_form_finish (f->client, wait_for (&result), error);
}

static char *
fetch_page (Fixture *f, const char *path, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_fetch_page_async (f->client, path, NULL, on_done, &result);
  return hes_mailcow_client_fetch_page_finish (f->client, wait_for (&result), error);
}

static gboolean
sign_out (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailcow_client_sign_out_async (f->client, NULL, on_done, &result);
  return hes_mailcow_client_sign_out_finish (f->client, wait_for (&result), error);
}

#define assert_mailcow_error(error, code) \
  g_assert_error ((error), HES_MAILCOW_ERROR, (int) (code))

/* ---- sign-in ---------------------------------------------------------------------------- */

static void
test_sign_in_user (Fixture *f, gconstpointer data)
{
  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, USER);
  g_assert_cmpint (hes_mailcow_client_get_role (f->client), ==, HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (f->client), ==, HES_SIGN_IN_DONE);
}

static void
test_sign_in_admin (Fixture *f, gconstpointer data)
{
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, ADMIN);
  g_assert_cmpint (hes_mailcow_client_get_role (f->client), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
}

static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, "wrong", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_assert_null (hes_mailcow_client_get_username (f->client));
  g_clear_error (&error);

  sign_in (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, "wrong", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_assert_cmpuint (hes_mailcow_sim_get_failed_logins (f->sim), ==, 2);
  g_clear_error (&error);

  /* A refused attempt leaves nothing behind: the right password works next. */
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
}

/* Each page accepts its own role only; the right password on the wrong page is refused. */
static void
test_wrong_role_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, ADMIN, ADMIN_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
}

static void
test_empty_credentials (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, "", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  /* Not even sent. */
  g_assert_cmpuint (hes_mailcow_sim_get_failed_logins (f->sim), ==, 0);
}

static void
check_forced_password_change (Fixture *f, HesMailcowRole role, const char *user,
                              const char *old_password)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  hes_mailcow_sim_set_force_password_update (f->sim, user, TRUE);
  hes_mailcow_sim_set_password_policy (f->sim, 10, TRUE, TRUE, TRUE, TRUE);

  outcome = sign_in (f, role, user, old_password, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, HES_SIGN_IN_NEEDS_PASSWORD_CHANGE);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (f->client), ==,
                   HES_SIGN_IN_NEEDS_PASSWORD_CHANGE);

  /* The server's policy is checked here first, with a sentence per broken rule. */
  g_assert_false (change_password (f, "short", &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_PASSWORD_POLICY);
  g_assert_nonnull (strstr (error->message, "Use at least 10 characters."));
  g_assert_nonnull (strstr (error->message, "special character"));
  g_assert_true (hes_mailcow_sim_check_password (f->sim, user, old_password));
  g_clear_error (&error);

  g_assert_true (change_password (f, NEW_PASS, &error));
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (f->client), ==, HES_SIGN_IN_DONE);
  g_assert_true (hes_mailcow_sim_check_password (f->sim, user, NEW_PASS));
  g_assert_false (hes_mailcow_sim_check_password (f->sim, user, old_password));

  /* And the session works. */
  g_autoptr(GPtrArray) domains = list_domains (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, >=, 1);
}

static void
test_forced_password_change_user (Fixture *f, gconstpointer data)
{
  check_forced_password_change (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS);
}

static void
test_forced_password_change_admin (Fixture *f, gconstpointer data)
{
  check_forced_password_change (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS);
}

static void
test_change_password_not_pending (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_false (change_password (f, NEW_PASS, &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_assert_true (hes_mailcow_sim_check_password (f->sim, USER, USER_PASS));
}

static char *
code_now (Fixture *f, gint64 offset)
{
  return hes_mailcow_sim_totp_code (TOTP_SECRET, hes_mailcow_sim_get_time (f->sim) + offset);
}

static void
check_totp (Fixture *f, HesMailcowRole role, const char *user, const char *password)
{
  g_autoptr(GError) error = NULL;
  guint id = hes_mailcow_sim_add_totp (f->sim, user, "Phone & tablet", TOTP_SECRET);
  g_autofree char *id_text = g_strdup_printf ("%u", id);
  g_autofree char *code = NULL;
  HesSecondFactor *factor;
  GPtrArray *factors;

  hes_mailcow_sim_add_totp (f->sim, user, "Old phone", "GEZDGNBVGY3TQOJQ");
  g_assert_cmpint (sign_in (f, role, user, password, &error), ==, HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  g_assert_no_error (error);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));

  factors = hes_mailcow_client_get_pending_factors (f->client);
  g_assert_cmpuint (factors->len, ==, 2);
  factor = g_ptr_array_index (factors, 0);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_TOTP);
  g_assert_cmpstr (factor->id, ==, id_text);
  g_assert_cmpstr (factor->name, ==, "Phone & tablet");

  /* Spaces as apps show them are fine. */
  code = code_now (f, 0);
  {
    g_autofree char *spaced = g_strdup_printf ("%.3s %s", code, code + 3);
    g_assert_true (verify_totp (f, factor->id, spaced, &error));
  }
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, user);
  g_assert_null (hes_mailcow_client_get_pending_factors (f->client));
}

static void
test_totp_user (Fixture *f, gconstpointer data)
{
  check_totp (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS);
}

static void
test_totp_admin (Fixture *f, gconstpointer data)
{
  check_totp (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS);
}

static void
test_totp_wrong (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint id = hes_mailcow_sim_add_totp (f->sim, USER, "Phone", TOTP_SECRET);
  g_autofree char *id_text = g_strdup_printf ("%u", id);
  g_autofree char *right = NULL;
  char wrong[7];

  g_assert_cmpint (sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);

  /* Not six digits: not sent, the pending sign-in stays. */
  g_assert_false (verify_totp (f, id_text, "12345", &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (f->client), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  g_clear_error (&error);

  /* A code three steps away is refused, and the server forgets the pending sign-in. */
  right = code_now (f, 90);
  g_strlcpy (wrong, right, sizeof wrong);
  g_assert_false (verify_totp (f, id_text, wrong, &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_clear_error (&error);

  g_clear_pointer (&right, g_free);
  right = code_now (f, 0);
  g_assert_false (verify_totp (f, id_text, right, &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED);
  g_assert_nonnull (strstr (error->message, "sign in again"));
}

static void
test_webauthn_wrong (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint id = hes_mailcow_sim_add_totp (f->sim, USER, "Phone", TOTP_SECRET);
  g_autofree char *id_text = g_strdup_printf ("%u", id);

  g_assert_cmpint (sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  hes_mailcow_client_verify_webauthn_async (f->client, id_text,
                                            "{\"id\":\"AAAA\",\"clientDataJSON\":\"e30=\","
                                            "\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}",
                                            NULL, on_done, &result);
  g_assert_false (hes_mailcow_client_verify_webauthn_finish (f->client, wait_for (&result), &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
}

/* fail2ban: after the threshold the server drops every connection. */
static void
test_banned (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  hes_mailcow_sim_set_ban_threshold (f->sim, 3);
  for (guint i = 0; i < 3; i++) {
    sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, "wrong", &error);
    assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
    g_clear_error (&error);
  }

  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_BANNED);
  g_assert_nonnull (strstr (error->message, "wait"));
  g_clear_error (&error);

  hes_mailcow_sim_unban (f->sim);
  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  /* Bound but never listening: connections are refused. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_unreachable (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (url, &error);

  g_assert_no_error (error);
  sign_in_on (client, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_UNREACHABLE);
}

static void
test_not_mailcow (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NOT_MAILCOW);
  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_NOT_MAILCOW);
  g_clear_error (&error);
  sign_in (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_NOT_MAILCOW);
  g_clear_error (&error);

  node = api_get (f, "get/domain/all", &error);
  g_assert_null (node);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_NOT_MAILCOW);
}

static GTlsCertificate *
new_self_signed_certificate (void)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t key_pem = { NULL, 0 }, crt_pem = { NULL, 0 };
  unsigned char serial[] = { 0x01, 0x02, 0x03 };
  time_t now = time (NULL);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  gnutls_x509_crt_set_activation_time (crt, now - 3600);
  gnutls_x509_crt_set_expiration_time (crt, now + 86400);
  gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "127.0.0.1", 9);
  gnutls_x509_crt_set_key (crt, key);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem), ==, 0);

  pem = g_strdup_printf ("%.*s%.*s", (int) crt_pem.size, crt_pem.data,
                         (int) key_pem.size, key_pem.data);
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  gnutls_free (crt_pem.data);
  gnutls_free (key_pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return certificate;
}

/* An untrusted certificate ends the sign-in before the password leaves. */
static void
test_tls_untrusted (Fixture *f, gconstpointer data)
{
  g_autoptr(GTlsCertificate) certificate = new_self_signed_certificate ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(HesMailcowClient) client = NULL;

  g_assert_true (hes_mailcow_sim_listen_https (f->sim, certificate, &error));
  g_assert_no_error (error);
  url = hes_mailcow_sim_dup_https_url (f->sim);
  g_assert_true (g_str_has_prefix (url, "https://"));
  client = hes_mailcow_client_new (url, &error);
  g_assert_no_error (error);

  sign_in_on (client, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_TLS);
  g_assert_cmpuint (hes_mailcow_sim_get_failed_logins (f->sim), ==, 0);
  g_assert_cmpuint (hes_mailcow_sim_count_sessions (f->sim), ==, 0);
}

static void
test_insecure_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new ("http://mail.kunde.example", &error);

  g_assert_null (client);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_INSECURE_URL);
}

/* ---- typed calls ------------------------------------------------------------------------ */

static HesMailcowDomain *
find_domain (GPtrArray *domains, const char *name)
{
  for (guint i = 0; i < domains->len; i++)
    if (g_str_equal (((HesMailcowDomain *) g_ptr_array_index (domains, i))->name, name))
      return g_ptr_array_index (domains, i);
  return NULL;
}

static void
test_domains (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  HesMailcowDomain *domain;

  hes_mailcow_sim_set_domain_limits (f->sim, "kunde.example", 10, 10240, 3072, 1024);
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  domains = list_domains (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 2);
  g_assert_null (find_domain (domains, "other.example"));

  domain = find_domain (domains, "kunde.example");
  g_assert_nonnull (domain);
  g_assert_cmpstr (domain->description, ==, "Kunde");
  g_assert_true (domain->active);
  g_assert_cmpint (domain->mailboxes, ==, 1);
  g_assert_cmpint (domain->max_mailboxes, ==, 10);
  g_assert_cmpint (domain->mailboxes_left, ==, 9);
  g_assert_cmpuint (domain->max_quota_for_domain, ==, G_GUINT64_CONSTANT (10240) * 1024 * 1024);
  g_assert_cmpuint (domain->max_quota_for_mailbox, ==, G_GUINT64_CONSTANT (3072) * 1024 * 1024);
  g_assert_cmpuint (domain->def_quota_for_mailbox, ==, G_GUINT64_CONSTANT (1024) * 1024 * 1024);
  g_assert_cmpuint (domain->max_new_mailbox_quota, >, 0);
}

static void
test_domains_user (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  domains = list_domains (f, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  domains = list_domains (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 1);
  g_assert_cmpstr (((HesMailcowDomain *) g_ptr_array_index (domains, 0))->name, ==, "kunde.example");
}

static void
test_mailboxes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) one_domain = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  HesMailcowMailbox *mailbox;

  hes_mailcow_sim_set_mailbox_quota (f->sim, USER, 2048, 5000, 12);
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  all = list_mailboxes (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  mailbox = g_ptr_array_index (all, 0);
  g_assert_cmpstr (mailbox->username, ==, USER);
  g_assert_cmpstr (mailbox->name, ==, "Max");
  g_assert_cmpstr (mailbox->domain, ==, "kunde.example");
  g_assert_true (mailbox->active);
  g_assert_cmpuint (mailbox->quota, ==, G_GUINT64_CONSTANT (2048) * 1024 * 1024);
  g_assert_cmpuint (mailbox->quota_used, ==, 5000);
  g_assert_cmpuint (mailbox->messages, ==, 12);

  one_domain = list_mailboxes (f, "kunde.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one_domain->len, ==, 1);
  empty = list_mailboxes (f, "nodkim.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_mailboxes_user (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mine = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  mine = list_mailboxes (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (((HesMailcowMailbox *) g_ptr_array_index (mine, 0))->username, ==, USER);
}

static void
test_dkim (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;
  g_autoptr(HesMailcowDkim) none = NULL;
  g_autoptr(HesMailcowDkim) added = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  dkim = get_dkim (f, "kunde.example", &error);
  g_assert_no_error (error);
  g_assert_nonnull (dkim);
  g_assert_cmpstr (dkim->selector, ==, "dkim");
  g_assert_cmpstr (dkim->length, ==, "2048");
  g_assert_true (g_str_has_prefix (dkim->txt, "v=DKIM1;k=rsa;"));
  g_assert_nonnull (strstr (dkim->txt, dkim->pubkey));
  g_assert_null (strchr (dkim->pubkey, '\\'));

  none = get_dkim (f, "nodkim.example", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (add_dkim (f, "nodkim.example", &error));
  g_assert_no_error (error);
  added = get_dkim (f, "nodkim.example", &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  g_assert_cmpstr (added->selector, ==, "dkim");

  /* One key per domain. */
  g_assert_false (add_dkim (f, "nodkim.example", &error));
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "DKIM"));
}

static void
test_dkim_user (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  /* A mailbox user may not see DKIM: {} like a domain without a key. */
  dkim = get_dkim (f, "kunde.example", &error);
  g_assert_no_error (error);
  g_assert_null (dkim);
}

static void
test_password_policy (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesPasswordPolicy) policy = NULL;
  g_autoptr(HesPasswordPolicy) strict = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  policy = get_policy (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (policy->length, ==, 6);
  g_assert_false (policy->chars || policy->special_chars || policy->lowerupper || policy->numbers);

  hes_mailcow_sim_set_password_policy (f->sim, 12, TRUE, FALSE, TRUE, TRUE);
  strict = get_policy (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strict->length, ==, 12);
  g_assert_true (strict->chars && strict->lowerupper && strict->numbers);
  g_assert_false (strict->special_chars);
}

static void
test_csrf_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  first = fetch_csrf_token (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpuint (strlen (first), ==, 64);
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", first, 0, 0));
}

/* mailcow rotates the token after every checked form post: a fresh one passes, the used one
 * is refused ("Form token invalid"). */
static void
test_form_posts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  g_autofree char *token = NULL;
  g_autofree char *next_token = NULL;
  g_autofree char *accepted = NULL;
  g_autofree char *refused = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  page = fetch_page (f, "/user", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (page, "Logged in as " USER));

  token = fetch_csrf_token (f, &error);
  g_assert_no_error (error);
  accepted = post_form (f, "/user", (const char *[]) { "csrf_token", token, "noop", "1", NULL },
                        &error);
  g_assert_no_error (error);
  g_assert_null (strstr (accepted, "mismatch"));

  next_token = fetch_csrf_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (next_token, !=, token);

  refused = post_form (f, "/user", (const char *[]) { "csrf_token", token, "noop", "1", NULL },
                       &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (refused, "mismatch"));

  g_assert_true (sign_out (f, &error));
  g_clear_pointer (&page, g_free);
  page = fetch_page (f, "/user", &error);
  g_assert_null (page);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

static void
test_sign_out (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_true (sign_out (f, &error));
  g_assert_no_error (error);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_assert_null (hes_mailcow_client_get_username (f->client));

  /* The server forgot the session: a get is an empty 200. */
  node = api_get (f, "get/domain/all", &error);
  g_assert_null (node);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

/* ---- writes ----------------------------------------------------------------------------- */

static gboolean
entries_have_key (GPtrArray *entries, const char *key)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (((HesMailcowEntry *) g_ptr_array_index (entries, i))->msg_key, key) == 0)
      return TRUE;
  return FALSE;
}

#define NEW_MAILBOX(local, quota) \
  "{\"local_part\":\"" local "\",\"domain\":\"kunde.example\",\"name\":\"New\"," \
  "\"password\":\"Mailbox-Pass-1\",\"password2\":\"Mailbox-Pass-1\",\"quota\":" quota "}"

/* The answers of a session pile up until a page renders: a refusal must not leak into the
 * next call, and the login's entry must not show up in the first one. */
static void
test_pile_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) again = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);

  refused = api_post (f, "add/mailbox", NEW_MAILBOX ("max", "1024"), &error);
  g_assert_null (refused);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "max@kunde.example"));
  g_clear_error (&error);

  added = api_post (f, "add/mailbox", NEW_MAILBOX ("anna", "1024"), &error);
  g_assert_no_error (error);
  g_assert_true (entries_have_key (added, "mailbox_added"));
  g_assert_false (entries_have_key (added, "object_exists"));
  g_assert_false (entries_have_key (added, "logged_in_as"));

  again = api_post (f, "add/mailbox", NEW_MAILBOX ("bob", "1024"), &error);
  g_assert_no_error (error);
  g_assert_true (entries_have_key (again, "mailbox_added"));
  for (guint i = 0; i < again->len; i++) {
    HesMailcowEntry *entry = g_ptr_array_index (again, i);
    if (entry->msg_args != NULL && entry->msg_args[0] != NULL)
      g_assert_cmpstr (entry->msg_args[0], !=, "anna@kunde.example");
  }
}

static void
test_write_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  hes_mailcow_sim_set_domain_limits (f->sim, "kunde.example", 10, 10240, 3072, 1024);
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);

  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("big", "4096"), &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "3072 MiB"));
  g_clear_error (&error);

  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("zero", "0"), &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "size limit"));
  g_clear_error (&error);

  entries = api_post (f, "add/mailbox",
                      "{\"local_part\":\"x\",\"domain\":\"other.example\",\"password\":\"Aa-12345\","
                      "\"password2\":\"Aa-12345\",\"quota\":100}", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  entries = api_post (f, "add/mailbox",
                      "{\"local_part\":\"y\",\"domain\":\"kunde.example\",\"password\":\"Aa-12345\","
                      "\"password2\":\"Aa-54321\",\"quota\":100}", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "same password"));
  g_clear_error (&error);

  entries = api_post (f, "add/syncjob", "{\"host1\":\"imap.old.example\",\"port1\":993,"
                      "\"user1\":\"max\",\"password1\":\"" SYNC_PASS "\",\"enc1\":\"SSL\","
                      "\"mins_interval\":20,\"exclude\":\"\"}", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_REFUSED);
  g_assert_null (strstr (error->message, SYNC_PASS));
}

/* mailcow's empty 200 to a write: the server threw. */
static void
test_write_empty_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);
  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("z", "100"), &error);
  g_assert_null (entries);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SERVER);
}

/* ---- faults ----------------------------------------------------------------------------- */

static void
test_fault_http_500 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTTP_500);
  domains = list_domains (f, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SERVER);
  g_clear_error (&error);
  sign_in (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SERVER);
}

static void
test_fault_html_for_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTML_FOR_JSON);
  node = api_get (f, "get/domain/all", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_MALFORMED);
  g_clear_error (&error);
  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("h", "100"), &error);
  g_assert_nonnull (error);
  g_assert_true (error->code == HES_MAILCOW_ERROR_MALFORMED ||
                 error->code == HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

static void
test_fault_truncated_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_TRUNCATED_JSON);
  domains = list_domains (f, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_MALFORMED);
  g_clear_error (&error);
  dkim = get_dkim (f, "kunde.example", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_MALFORMED);
}

static void
test_fault_drop_connection (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_DROP_CONNECTION);
  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SERVER);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
}

static void
test_fault_expire_sessions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *token = NULL;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_EXPIRE_SESSIONS);
  domains = list_domains (f, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("e", "100"), &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  token = fetch_csrf_token (f, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

static void
test_fault_slow (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Slow but within the limit: fine. */
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SLOW);
  hes_mailcow_sim_set_delay_ms (f->sim, 200);
  sign_in_ok (f, HES_MAILCOW_ROLE_MAILBOX_USER);

  hes_mailcow_client_set_timeout (f->client, 1);
  hes_mailcow_sim_set_delay_ms (f->sim, 4000);
  start = g_get_monotonic_time ();
  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1800 * 1000);
}

static void
test_fault_silent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_client_set_timeout (f->client, 1);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);

  start = g_get_monotonic_time ();
  node = api_get (f, "get/domain/all", &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1800 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
}

/* Quitting signs out every session still open: the client's own, and the one of a client
 * already dropped (a closed window's). */
static void
test_sign_out_on_quit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HesMailcowClient *dropped = hes_mailcow_client_new (f->url, &error);
  guint sessions;

  /* Sessions dropped by earlier tests are signed out first, against servers long gone. */
  hes_mailcow_sign_out_all (2000);

  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  g_assert_cmpint (sign_in_on (dropped, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS, &error),
                   ==, HES_SIGN_IN_DONE);
  g_assert_no_error (error);
  g_assert_finalize_object (dropped);
  sessions = hes_mailcow_sim_count_sessions (f->sim);
  g_assert_cmpuint (sessions, >=, 2);

  hes_mailcow_sign_out_all (2000);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpuint (hes_mailcow_sim_count_sessions (f->sim), <=, sessions - 2);
}

/* A server that never answers cannot hold quitting longer than the limit. */
static void
test_sign_out_on_quit_silent (Fixture *f, gconstpointer data)
{
  gint64 start;

  hes_mailcow_sign_out_all (2000);
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  hes_mailcow_client_set_timeout (f->client, 60);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);

  start = g_get_monotonic_time ();
  hes_mailcow_sign_out_all (500);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SLOW);
  hes_mailcow_sim_set_delay_ms (f->sim, 2000);
  g_timeout_add (100, cancel_soon, cancellable);
  hes_mailcow_client_sign_in_async (f->client, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS,
                                    cancellable, on_done, &result);
  hes_mailcow_client_sign_in_finish (f->client, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_clear_error (&error);
  g_clear_object (&result);

  /* Already cancelled: nothing is sent. */
  hes_mailcow_client_api_get_async (f->client, "get/domain/all", cancellable, on_done, &result);
  g_assert_null (hes_mailcow_client_api_get_finish (f->client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- logs ------------------------------------------------------------------------------- */

static void
test_no_password_in_logs (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *secrets[] = { USER_PASS, NEW_PASS, ADMIN_PASS, SYNC_PASS, "Mailbox-Pass-1", NULL };
  g_autofree char *code = NULL;
  guint id;

  g_string_truncate (captured_logs, 0);

  /* A wrong password, a second factor, a forced change and writes that echo passwords. */
  sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, ADMIN_PASS, &error);
  assert_mailcow_error (error, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  id = hes_mailcow_sim_add_totp (f->sim, USER, "Phone", TOTP_SECRET);
  hes_mailcow_sim_set_force_password_update (f->sim, USER, TRUE);
  g_assert_cmpint (sign_in (f, HES_MAILCOW_ROLE_MAILBOX_USER, USER, USER_PASS, &error), ==,
                   HES_SIGN_IN_NEEDS_SECOND_FACTOR);
  code = code_now (f, 0);
  {
    g_autofree char *id_text = g_strdup_printf ("%u", id);
    g_assert_true (verify_totp (f, id_text, code, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (hes_mailcow_client_get_sign_in_state (f->client), ==,
                   HES_SIGN_IN_NEEDS_PASSWORD_CHANGE);
  g_assert_true (change_password (f, NEW_PASS, &error));
  g_assert_no_error (error);

  hes_mailcow_sim_set_syncjobs_acl (f->sim, USER, TRUE);
  entries = api_post (f, "add/syncjob", "{\"host1\":\"imap.old.example\",\"port1\":993,"
                      "\"user1\":\"max\",\"password1\":\"" SYNC_PASS "\",\"enc1\":\"SSL\","
                      "\"mins_interval\":20,\"exclude\":\"\",\"active\":1}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_clear_object (&f->client);
  f->client = hes_mailcow_client_new (f->url, &error);
  sign_in_ok (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  entries = api_post (f, "add/mailbox", NEW_MAILBOX ("log", "100"), &error);
  g_assert_no_error (error);

  /* The debug lines were there (paths and status codes)... */
  g_assert_nonnull (strstr (captured_logs->str, "POST /: 302"));
  g_assert_nonnull (strstr (captured_logs->str, "/api/v1/add/mailbox"));
  /* ...and not one secret in any of them. */
  for (guint i = 0; secrets[i] != NULL; i++)
    if (strstr (captured_logs->str, secrets[i]) != NULL)
      g_error ("a password reached the logs: %s", secrets[i]);
  g_assert_null (strstr (captured_logs->str, code));
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  }

  /* The simulator is a test double; its own logs are not the app's. */
  if (g_strcmp0 (domain, "hes-mailcow-sim") != 0)
    g_string_append_printf (captured_logs, "%s: %s\n", domain ? domain : "-", message ? message : "");

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

#define ADD(path, func) \
  g_test_add ("/mailcow-client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* g_test_init() routes g_log() to its own handler; send it through the writer again. */
  g_log_set_default_handler (g_log_default_handler, NULL);

  ADD ("sign-in/user", test_sign_in_user);
  ADD ("sign-in/admin", test_sign_in_admin);
  ADD ("sign-in/wrong-password", test_wrong_password);
  ADD ("sign-in/wrong-role-page", test_wrong_role_page);
  ADD ("sign-in/empty-credentials", test_empty_credentials);
  ADD ("sign-in/forced-password-change-user", test_forced_password_change_user);
  ADD ("sign-in/forced-password-change-admin", test_forced_password_change_admin);
  ADD ("sign-in/change-password-not-pending", test_change_password_not_pending);
  ADD ("sign-in/totp-user", test_totp_user);
  ADD ("sign-in/totp-admin", test_totp_admin);
  ADD ("sign-in/totp-wrong", test_totp_wrong);
  ADD ("sign-in/webauthn-wrong", test_webauthn_wrong);
  ADD ("sign-in/banned", test_banned);
  ADD ("sign-in/unreachable", test_unreachable);
  ADD ("sign-in/not-mailcow", test_not_mailcow);
  ADD ("sign-in/tls-untrusted", test_tls_untrusted);
  ADD ("sign-in/insecure-url", test_insecure_url);
  ADD ("calls/domains", test_domains);
  ADD ("calls/domains-user", test_domains_user);
  ADD ("calls/mailboxes", test_mailboxes);
  ADD ("calls/mailboxes-user", test_mailboxes_user);
  ADD ("calls/dkim", test_dkim);
  ADD ("calls/dkim-user", test_dkim_user);
  ADD ("calls/password-policy", test_password_policy);
  ADD ("calls/csrf-token", test_csrf_token);
  ADD ("calls/form-posts", test_form_posts);
  ADD ("calls/sign-out", test_sign_out);
  ADD ("writes/pile-up", test_pile_up);
  ADD ("writes/refusals", test_write_refusals);
  ADD ("writes/empty-answer", test_write_empty_answer);
  ADD ("faults/http-500", test_fault_http_500);
  ADD ("faults/html-for-json", test_fault_html_for_json);
  ADD ("faults/truncated-json", test_fault_truncated_json);
  ADD ("faults/drop-connection", test_fault_drop_connection);
  ADD ("faults/expire-sessions", test_fault_expire_sessions);
  ADD ("faults/slow", test_fault_slow);
  ADD ("faults/silent", test_fault_silent);
  ADD ("cancel", test_cancel);
  ADD ("sign-out-on-quit", test_sign_out_on_quit);
  ADD ("sign-out-on-quit/silent", test_sign_out_on_quit_silent);
  ADD ("logs/no-password", test_no_password_in_logs);

  return g_test_run ();
}
