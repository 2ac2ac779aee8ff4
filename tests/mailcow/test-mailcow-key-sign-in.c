/* test-mailcow-key-sign-in.c: passwordless sign-in with a security key, against the mailcow
 * simulator and the software authenticator (linked with --wrap).
 *
 * Each account first registers a passwordless key through the real API (fido2-registration
 * with the PIN, in a password session), signs out, then signs in with the key alone: the
 * options without a session, a discoverable assertion with the PIN, the form post and the
 * role's page. Refusals: the wrong role's page, a tampered signature, an assertion without
 * user verification, a key with no credential for the server. No token reaches a log line.
 */
#define G_LOG_DOMAIN "test-mailcow-key-sign-in"

#include "config.h"

#include <string.h>

#include "hes-fido2-session.h"
#include "hes-mailcow-client.h"
#include "hes-mailcow-sim.h"
#include "hes-webauthn.h"
#include "softfido2.h"

#define USER        "max@kunde.example"
#define USER_PASS   "Secret-123"
#define ADMIN       "kundeadmin"
#define ADMIN_PASS  "Admin-456"
#define PIN         "2468"

static GString *captured_logs;

typedef struct {
  HesMailcowSim    *sim;
  HesMailcowClient *client;
  SoftFido2        *key;
  HesFido2Session  *session;
  char             *url;
  GPtrArray        *tokens;   /* every token posted, to look for in the logs */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *domains[] = { "kunde.example", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HesFido2Device) device = NULL;
  g_autofree char *origin = NULL;

  f->sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 0);
  hes_mailcow_sim_add_domain (f->sim, "kunde.example", "Kunde", FALSE);
  hes_mailcow_sim_add_mailbox (f->sim, USER, "Max", USER_PASS);
  hes_mailcow_sim_add_domain_admin (f->sim, ADMIN, ADMIN_PASS, domains);
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);

  f->url = hes_mailcow_sim_dup_url (f->sim);
  f->client = hes_mailcow_client_new (f->url, &error);
  g_assert_no_error (error);
  hes_mailcow_client_set_timeout (f->client, 5);

  f->key = softfido2_new ("key-sign-in");
  softfido2_set_touch_delay (f->key, 10);
  softfido2_set_pin (f->key, PIN);
  device = hes_fido2_device_new (softfido2_get_path (f->key), "Soft", "FIDO2");
  origin = hes_webauthn_origin_from_url (f->url);
  f->session = hes_fido2_session_new (device, origin);
  f->tokens = g_ptr_array_new_with_free_func (g_free);
}

/* A worker thread of the key drops its reference to the session just after its result is
 * delivered: give it a moment, but the session must go. */
static void
wait_finalized (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &object);
  g_object_unref (object);
  while (object != NULL && g_get_monotonic_time () < deadline) {
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  g_assert_null (object);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < f->tokens->len; i++) {
    const char *token = g_ptr_array_index (f->tokens, i);
    g_autofree char *signature = NULL;

    g_assert_null (strstr (captured_logs->str, token));
    /* Not even a part of it: the signature alone. */
    signature = g_strdup (strstr (token, "\"signature\""));
    g_assert_nonnull (signature);
    g_assert_null (strstr (captured_logs->str, signature + strlen ("\"signature\":\"")));
  }
  /* The search above proves something only if the client's lines were captured. */
  g_assert_nonnull (strstr (captured_logs->str, "POST /"));
  g_ptr_array_unref (f->tokens);
  wait_finalized (f->session);
  g_assert_finalize_object (f->client);
  softfido2_free (f->key);
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

static HesMailcowRole
role_of (const char *user)
{
  return g_str_equal (user, ADMIN) ? HES_MAILCOW_ROLE_DOMAIN_ADMIN : HES_MAILCOW_ROLE_MAILBOX_USER;
}

/* Registers a passwordless key for @user through the API, as the security page does. */
static void
register_key (Fixture *f, const char *user, const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) signed_in = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) made = NULL;
  g_autoptr(GAsyncResult) posted = NULL;
  g_autoptr(GAsyncResult) out = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(HesFido2Registration) reg = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  hes_mailcow_client_sign_in_async (f->client, role_of (user), user, password, NULL, on_done,
                                    &signed_in);
  g_assert_cmpint (hes_mailcow_client_sign_in_finish (f->client, wait_for (&signed_in), &error),
                   ==, HES_SIGN_IN_DONE);
  g_assert_no_error (error);

  hes_mailcow_client_api_get_async (f->client, "get/fido2-registration", NULL, on_done, &got);
  answer = hes_mailcow_client_api_get_finish (f->client, wait_for (&got), &error);
  g_assert_no_error (error);
  options = hes_webauthn_options_parse (answer, HES_WEBAUTHN_CREATE,
                                        hes_mailcow_client_get_host (f->client), &error);
  g_assert_no_error (error);

  hes_fido2_session_make_credential_async (f->session, options, HES_FIDO2_PURPOSE_PASSWORDLESS,
                                           PIN, NULL, on_done, &made);
  reg = hes_fido2_session_make_credential_finish (f->session, wait_for (&made), &error);
  g_assert_no_error (error);

  body = hes_webauthn_build_registration_body (reg->client_data_json, reg->attestation_object);
  hes_mailcow_client_api_post_async (f->client, "add/fido2-registration", body, NULL, on_done,
                                     &posted);
  /* mailcow answers {"success":true}, which is not a list of entries: the server's store
   * decides. */
  entries = hes_mailcow_client_api_post_finish (f->client, wait_for (&posted), NULL);
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->sim, user, TRUE), ==, 1);

  hes_mailcow_client_sign_out_async (f->client, NULL, on_done, &out);
  g_assert_true (hes_mailcow_client_sign_out_finish (f->client, wait_for (&out), &error));
  g_assert_no_error (error);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
}

/* The options of a key sign-in, parsed as the page does. */
static HesWebauthnOptions *
get_options (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  HesWebauthnOptions *options;

  hes_mailcow_client_get_key_sign_in_options_async (f->client, NULL, on_done, &result);
  answer = hes_mailcow_client_get_key_sign_in_options_finish (f->client, wait_for (&result),
                                                              &error);
  g_assert_no_error (error);
  options = hes_webauthn_options_parse (answer, HES_WEBAUTHN_GET,
                                        hes_mailcow_client_get_host (f->client), &error);
  g_assert_no_error (error);
  /* No allow list: the key finds its own credential (discoverable). */
  g_assert_cmpuint (options->credential_ids->len, ==, 0);
  return options;
}

static GPtrArray *
get_assertions (Fixture            *f,
                HesWebauthnOptions *options,
                HesFido2Purpose     purpose,
                const char         *pin,
                GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_fido2_session_get_assertion_async (f->session, options, purpose, pin, NULL, on_done,
                                         &result);
  return hes_fido2_session_get_assertion_finish (f->session, wait_for (&result), error);
}

static HesSignInOutcome
post_assertion (Fixture           *f,
                HesMailcowRole     role,
                HesFido2Assertion *assertion,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *token = hes_webauthn_build_assertion_token (assertion->credential_id,
                                                    assertion->client_data_json,
                                                    assertion->authenticator_data,
                                                    assertion->signature);

  g_ptr_array_add (f->tokens, token);
  hes_mailcow_client_sign_in_with_key_async (f->client, role, token, assertion->user_handle,
                                             NULL, on_done, &result);
  return hes_mailcow_client_sign_in_with_key_finish (f->client, wait_for (&result), error);
}

/* Options, the key with its PIN, the post: the whole sign-in. */
static HesSignInOutcome
sign_in_with_key (Fixture *f, HesMailcowRole role, GError **error)
{
  g_autoptr(HesWebauthnOptions) options = get_options (f);
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(GError) key_error = NULL;

  assertions = get_assertions (f, options, HES_FIDO2_PURPOSE_PASSWORDLESS, PIN, &key_error);
  g_assert_no_error (key_error);
  g_assert_cmpuint (assertions->len, ==, 1);
  return post_assertion (f, role, g_ptr_array_index (assertions, 0), error);
}

/* The session works as a password session does: a signed-in call answers. */
static void
assert_session_works (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  hes_mailcow_client_list_domains_async (f->client, NULL, on_done, &result);
  domains = hes_mailcow_client_list_domains_finish (f->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, >=, 1);
}

static void
assert_refused (Fixture *f, const GError *error, HesSignInOutcome outcome)
{
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_WRONG_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "not registered for passwordless sign-in"));
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  g_assert_null (hes_mailcow_client_get_username (f->client));
}

static void
test_admin (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  register_key (f, ADMIN, ADMIN_PASS);
  outcome = sign_in_with_key (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, HES_SIGN_IN_DONE);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpint (hes_mailcow_client_get_role (f->client), ==, HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  /* The username came from the credential's user handle. */
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, ADMIN);
  assert_session_works (f);
}

static void
test_user (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  register_key (f, USER, USER_PASS);
  outcome = sign_in_with_key (f, HES_MAILCOW_ROLE_MAILBOX_USER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, HES_SIGN_IN_DONE);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
  g_assert_cmpint (hes_mailcow_client_get_role (f->client), ==, HES_MAILCOW_ROLE_MAILBOX_USER);
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, USER);
  assert_session_works (f);
}

/* Without a user handle (an allow-list assertion) the username comes from the page. */
static void
test_username_from_page (Fixture *f, gconstpointer data)
{
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(GError) error = NULL;
  HesFido2Assertion *assertion;

  register_key (f, USER, USER_PASS);
  options = get_options (f);
  assertions = get_assertions (f, options, HES_FIDO2_PURPOSE_PASSWORDLESS, PIN, &error);
  g_assert_no_error (error);
  assertion = g_ptr_array_index (assertions, 0);
  g_clear_pointer (&assertion->user_handle, g_bytes_unref);
  post_assertion (f, HES_MAILCOW_ROLE_MAILBOX_USER, assertion, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hes_mailcow_client_get_username (f->client), ==, USER);
}

/* A domain admin's valid assertion on the mailbox users' page signs nobody in; the same key
 * then works on the right page (a new challenge each time). */
static void
test_wrong_role_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  register_key (f, ADMIN, ADMIN_PASS);
  outcome = sign_in_with_key (f, HES_MAILCOW_ROLE_MAILBOX_USER, &error);
  assert_refused (f, error, outcome);
  g_clear_error (&error);

  outcome = sign_in_with_key (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, &error);
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));
}

static void
test_tampered (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  register_key (f, ADMIN, ADMIN_PASS);
  softfido2_set_tamper (f->key, SOFTFIDO2_TAMPER_SIGNATURE);
  outcome = sign_in_with_key (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, &error);
  assert_refused (f, error, outcome);
}

/* The same assertion again, in a new session with a new challenge: refused. */
static void
test_replayed (Fixture *f, gconstpointer data)
{
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(HesWebauthnOptions) again = NULL;
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(GError) error = NULL;
  HesSignInOutcome outcome;

  register_key (f, ADMIN, ADMIN_PASS);
  options = get_options (f);
  assertions = get_assertions (f, options, HES_FIDO2_PURPOSE_PASSWORDLESS, PIN, &error);
  g_assert_no_error (error);
  post_assertion (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, g_ptr_array_index (assertions, 0), &error);
  g_assert_no_error (error);
  g_assert_true (hes_mailcow_client_get_signed_in (f->client));

  again = get_options (f);
  g_assert_false (hes_mailcow_client_get_signed_in (f->client));
  outcome = post_assertion (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, g_ptr_array_index (assertions, 0),
                            &error);
  assert_refused (f, error, outcome);
}

/* Signed by the key without the PIN (user present only, as for a second factor): mailcow
 * requires user verification for passwordless sign-in. */
static void
test_no_uv (Fixture *f, gconstpointer data)
{
  g_autoptr(HesWebauthnOptions) options = NULL;
  g_autoptr(GPtrArray) with_pin = NULL;
  g_autoptr(GPtrArray) without_pin = NULL;
  g_autoptr(GError) error = NULL;
  HesFido2Assertion *assertion;
  HesSignInOutcome outcome;

  register_key (f, ADMIN, ADMIN_PASS);
  /* The credential id, as a client that kept it would know it. */
  options = get_options (f);
  with_pin = get_assertions (f, options, HES_FIDO2_PURPOSE_PASSWORDLESS, PIN, &error);
  g_assert_no_error (error);
  g_clear_pointer (&options, hes_webauthn_options_free);

  options = get_options (f);
  g_ptr_array_add (options->credential_ids,
                   g_bytes_ref (((HesFido2Assertion *) g_ptr_array_index (with_pin, 0))->credential_id));
  without_pin = get_assertions (f, options, HES_FIDO2_PURPOSE_SECOND_FACTOR, NULL, &error);
  g_assert_no_error (error);
  assertion = g_ptr_array_index (without_pin, 0);
  g_assert_cmpuint (assertion->flags & HES_WEBAUTHN_FLAG_UV, ==, 0);
  g_assert_cmpuint (assertion->flags & HES_WEBAUTHN_FLAG_UP, !=, 0);

  outcome = post_assertion (f, HES_MAILCOW_ROLE_DOMAIN_ADMIN, assertion, &error);
  assert_refused (f, error, outcome);
}

/* A key that never registered with this server has nothing to sign with. */
static void
test_unregistered_key (Fixture *f, gconstpointer data)
{
  g_autoptr(HesWebauthnOptions) options = get_options (f);
  g_autoptr(GPtrArray) assertions = NULL;
  g_autoptr(GError) error = NULL;

  assertions = get_assertions (f, options, HES_FIDO2_PURPOSE_PASSWORDLESS, PIN, &error);
  g_assert_null (assertions);
  g_assert_error (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_NOT_REGISTERED);
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
    g_string_append_printf (captured_logs, "%s: %s\n", domain ? domain : "-",
                            message ? message : "");
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

#define ADD(path, func) \
  g_test_add ("/mailcow-key-sign-in/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_log_set_default_handler (g_log_default_handler, NULL);

  ADD ("domain-admin", test_admin);
  ADD ("mailbox-user", test_user);
  ADD ("username-from-page", test_username_from_page);
  ADD ("wrong-role-page", test_wrong_role_page);
  ADD ("tampered", test_tampered);
  ADD ("replayed", test_replayed);
  ADD ("no-user-verification", test_no_uv);
  ADD ("unregistered-key", test_unregistered_key);

  status = g_test_run ();
  g_string_free (captured_logs, TRUE);
  return status;
}
