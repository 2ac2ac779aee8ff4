/* test-webauthn.c: mailcow's option formats in, WebAuthn encodings out, and refusals of
 * options that must never reach a key. */
#define G_LOG_DOMAIN "test-webauthn"

#include "config.h"

#include <string.h>
#include <cbor.h>

#include "hes-fido2-error.h"
#include "hes-webauthn.h"
#include "security-test-util.h"

/* Observed from mailcow for max@kunde.example (mailcow-api.md §8), with a fixed challenge
 * whose base64 holds '/' (sent as "\/") and an exclude entry. */
static const char mailcow_fido2_registration[] =
  "{\"publicKey\":{\"rp\":{\"name\":\"WebAuthn Library\",\"id\":\"mail.kunde.example\"},"
  "\"authenticatorSelection\":{\"userVerification\":\"preferred\",\"requireResidentKey\":true},"
  "\"user\":{\"id\":\"=?BINARY?B?bWF4QGt1bmRlLmV4YW1wbGU=?=\",\"name\":\"max@kunde.example\","
  "\"displayName\":\"max@kunde.example\"},"
  "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-257}],"
  "\"attestation\":\"indirect\",\"extensions\":{\"exts\":true},\"timeout\":30000,"
  "\"challenge\":\"=?BINARY?B?\\/\\/8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==?=\","
  "\"excludeCredentials\":[{\"id\":\"=?BINARY?B?q83v?=\",\"type\":\"public-key\","
  "\"transports\":[\"usb\",\"ble\",\"nfc\",\"internal\"]}]}}";

static void
test_parse_mailcow_creation (void)
{
  g_autoptr(HesWebauthnOptions) o = sec_test_parse (mailcow_fido2_registration, HES_WEBAUTHN_CREATE);
  gsize len;
  const guint8 *challenge = g_bytes_get_data (o->challenge, &len);

  g_assert_cmpstr (o->rp_id, ==, "mail.kunde.example");
  g_assert_cmpstr (o->rp_name, ==, "WebAuthn Library");
  g_assert_cmpmem (g_bytes_get_data (o->user_id, NULL), g_bytes_get_size (o->user_id),
                   "max@kunde.example", 17);
  g_assert_cmpstr (o->user_name, ==, "max@kunde.example");
  g_assert_cmpuint (len, ==, 34);
  g_assert_cmphex (challenge[0], ==, 0xff);
  g_assert_cmphex (challenge[2], ==, 0x00);
  g_assert_cmphex (challenge[33], ==, 0x1f);
  g_assert_true (o->resident_key);
  g_assert_cmpint (o->user_verification, ==, HES_WEBAUTHN_UV_PREFERRED);
  g_assert_cmpuint (o->timeout_ms, ==, 30000);
  g_assert_cmpuint (o->credential_ids->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (o->credential_ids->pdata[0], NULL), 3, "\xab\xcd\xef", 3);

  /* A deep copy outlives the original. */
  {
    HesWebauthnOptions *copy = hes_webauthn_options_copy (o);
    g_clear_pointer (&o, hes_webauthn_options_free);
    g_assert_cmpstr (copy->rp_id, ==, "mail.kunde.example");
    g_assert_cmpuint (copy->credential_ids->len, ==, 1);
    hes_webauthn_options_free (copy);
  }
}

static void
test_parse_mailcow_request (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) challenge = NULL;
  g_autofree char *json = NULL, *plain = NULL;
  g_autoptr(HesWebauthnOptions) o = NULL, p = NULL;

  g_ptr_array_add (ids, g_bytes_new_static ("\xfb\xff\xfe", 3));   /* base64 "+//+" */
  json = sec_test_request_json ("mail.kunde.example", ids, &challenge);
  o = sec_test_parse (json, HES_WEBAUTHN_GET);
  g_assert_cmpstr (o->rp_id, ==, "mail.kunde.example");
  g_assert_true (g_bytes_equal (o->challenge, challenge));
  g_assert_cmpuint (o->credential_ids->len, ==, 1);
  g_assert_true (g_bytes_equal (o->credential_ids->pdata[0], ids->pdata[0]));

  /* fido2-get-args: no allow list. */
  plain = sec_test_request_json ("mail.kunde.example", NULL, NULL);
  p = sec_test_parse (plain, HES_WEBAUTHN_GET);
  g_assert_cmpuint (p->credential_ids->len, ==, 0);
  g_assert_false (p->resident_key);
}

static void
assert_refused (const char          *json,
                HesWebauthnCeremony  ceremony,
                int                  code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HesWebauthnOptions) o = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  o = hes_webauthn_options_parse (json_parser_get_root (parser), ceremony, SEC_TEST_HOST, &error);
  if (o != NULL)
    g_error ("accepted: %s", json);
  g_assert_error (error, HES_FIDO2_ERROR, code);
  /* One plain sentence, no technical detail. */
  g_assert_null (strstr (error->message, "rpId"));
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  if (g_strv_length (parts) != 2)
    g_error ("edit not found once: %s", from);
  return g_strjoinv (to, parts);
}

static void
test_malformed_refused (void)
{
  const char *src = mailcow_fido2_registration;
  static const struct { const char *from, *to; int code; } edits[] = {
    { "\"id\":\"mail.kunde.example\"", "\"id\":\"evil.example\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"id\":\"mail.kunde.example\"", "\"id\":\"ail.kunde.example\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"id\":\"mail.kunde.example\"", "\"id\":\"mail.kunde.example.evil\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"id\":\"mail.kunde.example\"", "\"id\":42", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"challenge\":\"=?BINARY?B?\\/\\/8A", "\"challenge\":\"=?BINARY?B?**8A", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "BAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==?=", "?=", HES_FIDO2_ERROR_MALFORMED_OPTIONS },  /* 6 bytes */
    { "\"challenge\":", "\"challenge_\":", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "bWF4QGt1bmRlLmV4YW1wbGU=", "", HES_FIDO2_ERROR_MALFORMED_OPTIONS },  /* empty user id */
    { "\"name\":\"max@kunde.example\",", "", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"userVerification\":\"preferred\"", "\"userVerification\":\"always\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"timeout\":30000", "\"timeout\":\"soon\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"excludeCredentials\":[", "\"excludeCredentials\":{\"x\":[", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"id\":\"=?BINARY?B?q83v?=\"", "\"id\":\"=?BINARY?B?q83?=\"", HES_FIDO2_ERROR_MALFORMED_OPTIONS },
    { "\"alg\":-7", "\"alg\":-8", HES_FIDO2_ERROR_UNSUPPORTED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *json = replace (src, edits[i].from, edits[i].to);

      /* The excludeCredentials edit needs its closing brace to stay valid JSON. */
      if (strstr (json, "{\"x\":[") != NULL)
        {
          char *fixed = replace (json, "]}}", "]}}}");
          g_free (json);
          json = fixed;
        }
      assert_refused (json, HES_WEBAUTHN_CREATE, edits[i].code);
    }
  assert_refused ("[1,2,3]", HES_WEBAUTHN_CREATE, HES_FIDO2_ERROR_MALFORMED_OPTIONS);
  assert_refused ("{\"publicKey\":{}}", HES_WEBAUTHN_GET, HES_FIDO2_ERROR_MALFORMED_OPTIONS);
  /* base64url is fine in the standard WebAuthn JSON form, but not with characters mixed. */
  assert_refused ("{\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA+_\"}", HES_WEBAUTHN_GET,
                  HES_FIDO2_ERROR_MALFORMED_OPTIONS);
}

static void
test_parent_domain_rp_id (void)
{
  g_autofree char *json = replace (mailcow_fido2_registration, "\"id\":\"mail.kunde.example\"",
                                   "\"id\":\"Kunde.Example\"");
  g_autoptr(HesWebauthnOptions) o = sec_test_parse (json, HES_WEBAUTHN_CREATE);

  /* The case is kept, as mailcow keeps it. */
  g_assert_cmpstr (o->rp_id, ==, "Kunde.Example");
}

static void
test_client_data (void)
{
  g_autoptr(GBytes) challenge = g_bytes_new_static ("\xfb\xff\xbf\x00\x01", 5);
  g_autoptr(GBytes) create = hes_webauthn_build_client_data (HES_WEBAUTHN_CREATE, challenge,
                                                             "https://mail.kunde.example:8443");
  g_autoptr(GBytes) get = hes_webauthn_build_client_data (HES_WEBAUTHN_GET, challenge,
                                                          "https://mail.kunde.example");
  g_autoptr(GBytes) hash = hes_webauthn_hash (create);
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, create);
  const char *expected_create =
    "{\"type\":\"webauthn.create\",\"challenge\":\"-_-_AAE\","
    "\"origin\":\"https://mail.kunde.example:8443\",\"crossOrigin\":false}";
  const char *expected_get =
    "{\"type\":\"webauthn.get\",\"challenge\":\"-_-_AAE\","
    "\"origin\":\"https://mail.kunde.example\",\"crossOrigin\":false}";

  g_assert_cmpmem (g_bytes_get_data (create, NULL), g_bytes_get_size (create),
                   expected_create, strlen (expected_create));
  g_assert_cmpmem (g_bytes_get_data (get, NULL), g_bytes_get_size (get),
                   expected_get, strlen (expected_get));
  g_assert_cmpuint (g_bytes_get_size (hash), ==, 32);
  {
    g_autofree char *hash_hex = g_strdup ("");
    for (gsize i = 0; i < 32; i++)
      {
        char *n = g_strdup_printf ("%s%02x", hash_hex, ((const guint8 *) g_bytes_get_data (hash, NULL))[i]);
        g_free (hash_hex);
        hash_hex = n;
      }
    g_assert_cmpstr (hash_hex, ==, hex);
  }
}

static void
test_origin (void)
{
  const char *cases[][2] = {
    { "https://mail.kunde.example/", "https://mail.kunde.example" },
    { "https://mail.kunde.example:443", "https://mail.kunde.example" },
    { "https://mail.kunde.example:8443/SOGo", "https://mail.kunde.example:8443" },
    { "http://127.0.0.1:8080", "https://127.0.0.1:8080" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *origin = hes_webauthn_origin_from_url (cases[i][0]);
      g_assert_cmpstr (origin, ==, cases[i][1]);
    }
  g_assert_null (hes_webauthn_origin_from_url ("not a url"));
}

static void
test_attestation_object (void)
{
  /* attStmt {"alg": -7, "sig": h'3006…'} as CBOR. */
  static const guint8 stmt[] = { 0xa2, 0x63, 'a', 'l', 'g', 0x26, 0x63, 's', 'i', 'g',
                                 0x43, 0x30, 0x01, 0x02 };
  g_autoptr(GBytes) att_stmt = g_bytes_new_static (stmt, sizeof stmt);
  g_autoptr(GBytes) auth_data = g_bytes_new_static ("0123456789012345678901234567890123456", 37);
  g_autoptr(GBytes) not_a_map = g_bytes_new_static ("\x01", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ao = hes_webauthn_build_attestation_object ("packed", att_stmt, auth_data, &error);
  g_autoptr(GBytes) bad = NULL;
  /* Hand-encoded: {"fmt":"packed","attStmt":<stmt>,"authData":h'…'(37 bytes)}. */
  GByteArray *expected = g_byte_array_new ();

  g_assert_no_error (error);
  g_byte_array_append (expected, (const guint8 *) "\xa3\x63" "fmt" "\x66" "packed" "\x67" "attStmt", 20);
  g_byte_array_append (expected, stmt, sizeof stmt);
  g_byte_array_append (expected, (const guint8 *) "\x68" "authData" "\x58\x25", 11);
  g_byte_array_append (expected, g_bytes_get_data (auth_data, NULL), 37);
  g_assert_cmpmem (g_bytes_get_data (ao, NULL), g_bytes_get_size (ao), expected->data, expected->len);
  g_byte_array_unref (expected);

  bad = hes_webauthn_build_attestation_object ("packed", not_a_map, auth_data, &error);
  g_assert_null (bad);
  g_assert_error (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_BAD_ANSWER);
}

/* libcbor 0.10 and later let a program choose its allocator: the Flatpak's 0.14 can fail any
 * allocation here, and each failure must come back as an error, never as a truncated object. */
#if CBOR_MAJOR_VERSION > 0 || CBOR_MINOR_VERSION >= 10
static guint allocations_left;

static void *
failing_malloc (size_t size)
{
  if (allocations_left == 0)
    return NULL;
  allocations_left--;
  return malloc (size);
}

static void *
failing_realloc (void   *ptr,
                 size_t  size)
{
  if (allocations_left == 0)
    return NULL;
  allocations_left--;
  return realloc (ptr, size);
}
#endif

static void
test_attestation_object_out_of_memory (void)
{
#if CBOR_MAJOR_VERSION > 0 || CBOR_MINOR_VERSION >= 10
  static const guint8 stmt[] = { 0xa2, 0x63, 'a', 'l', 'g', 0x26, 0x63, 's', 'i', 'g',
                                 0x43, 0x30, 0x01, 0x02 };
  g_autoptr(GBytes) att_stmt = g_bytes_new_static (stmt, sizeof stmt);
  g_autoptr(GBytes) auth_data = g_bytes_new_static ("0123456789012345678901234567890123456", 37);
  g_autoptr(GBytes) complete = hes_webauthn_build_attestation_object ("packed", att_stmt,
                                                                      auth_data, NULL);
  guint failures = 0;

  g_assert_nonnull (complete);
  /* Allow 0, 1, 2… allocations: every build fails cleanly until there are enough. */
  for (guint allowed = 0; ; allowed++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) ao = NULL;

    allocations_left = allowed;
    cbor_set_allocs (failing_malloc, failing_realloc, free);
    ao = hes_webauthn_build_attestation_object ("packed", att_stmt, auth_data, &error);
    cbor_set_allocs (malloc, realloc, free);
    if (ao != NULL) {
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (ao, complete));
      break;
    }
    g_assert_error (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_FAILED);
    failures++;
    g_assert_cmpuint (allowed, <, 1000);
  }
  /* The map, its three keys, values and the parsed statement: many ways to fail. */
  g_assert_cmpuint (failures, >=, 8);
#else
  g_test_skip ("libcbor before 0.10 has no allocator hook (cbor_set_allocs)");
#endif
}

static void
test_bodies (void)
{
  g_autoptr(GBytes) cdj = g_bytes_new_static ("{\"x\":1}\xfb\xff", 9);
  g_autoptr(GBytes) ao = g_bytes_new_static ("\xfb\xef\xff", 3);
  g_autoptr(JsonNode) body = hes_webauthn_build_registration_body (cdj, ao);
  g_autoptr(JsonNode) tfa = hes_webauthn_build_tfa_registration_body (cdj, ao, "Clé USB", "pw");
  g_autofree char *token = hes_webauthn_build_assertion_token (ao, cdj, ao, cdj);
  JsonObject *o = json_node_get_object (body);

  /* Standard base64 with '+' and '/', never base64url (PHP would drop '-' and '_'). */
  g_assert_cmpstr (json_object_get_string_member (o, "attestationObject"), ==, "++//");
  g_assert_cmpstr (json_object_get_string_member (o, "clientDataJSON"), ==, "eyJ4Ijoxffv/");
  g_assert_cmpuint (json_object_get_size (o), ==, 2);
  o = json_node_get_object (tfa);
  g_assert_cmpuint (json_object_get_size (o), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (o, "tfa_method"), ==, "webauthn");
  g_assert_cmpstr (json_object_get_string_member (o, "confirm_password"), ==, "pw");
  g_assert_cmpstr (token, ==, "{\"id\":\"++//\",\"clientDataJSON\":\"eyJ4Ijoxffv/\","
                              "\"authenticatorData\":\"++//\",\"signature\":\"eyJ4Ijoxffv/\"}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/security/webauthn/parse-mailcow-creation", test_parse_mailcow_creation);
  g_test_add_func ("/security/webauthn/parse-mailcow-request", test_parse_mailcow_request);
  g_test_add_func ("/security/webauthn/malformed-refused", test_malformed_refused);
  g_test_add_func ("/security/webauthn/parent-domain-rp-id", test_parent_domain_rp_id);
  g_test_add_func ("/security/webauthn/client-data", test_client_data);
  g_test_add_func ("/security/webauthn/origin", test_origin);
  g_test_add_func ("/security/webauthn/attestation-object", test_attestation_object);
  g_test_add_func ("/security/webauthn/attestation-object-out-of-memory",
                   test_attestation_object_out_of_memory);
  g_test_add_func ("/security/webauthn/bodies", test_bodies);
  return g_test_run ();
}
