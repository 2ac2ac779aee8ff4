/* security-test-util.c: mailcow-shaped options, async waiting, and the external verifiers. */
#define G_LOG_DOMAIN "security-test-util"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <cbor.h>

#include "security-test-util.h"

/* "=?BINARY?B?<std base64>?=" written as mailcow's json_encode does: "/" becomes "\/". */
static char *
mailcow_binary (GBytes *bytes)
{
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) parts = g_strsplit (b64, "/", -1);
  g_autofree char *escaped = g_strjoinv ("\\/", parts);

  return g_strdup_printf ("\"=?BINARY?B?%s?=\"", escaped);
}

static GBytes *
random_challenge (void)
{
  guint8 buf[32];

  /* Enough '/' and '+' turn up over the runs; force one in to always test the escape. */
  for (gsize i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) g_random_int_range (0, 256);
  buf[0] = 0xff;
  buf[1] = 0xff;
  return g_bytes_new (buf, sizeof buf);
}

static char *
credential_list (GPtrArray  *ids,
                 const char *transports)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autofree char *bin = mailcow_binary (ids->pdata[i]);
      g_string_append_printf (out, "%s{\"id\":%s,\"type\":\"public-key\",\"transports\":%s}",
                              i > 0 ? "," : "", bin, transports);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

char *
sec_test_creation_json (const char  *rp_id,
                        gboolean     passwordless,
                        GPtrArray   *exclude_ids,
                        GBytes     **challenge_out)
{
  g_autoptr(GBytes) challenge = random_challenge ();
  g_autoptr(GBytes) user = g_bytes_new_static (SEC_TEST_USER, strlen (SEC_TEST_USER));
  g_autofree char *c = mailcow_binary (challenge);
  g_autofree char *u = mailcow_binary (user);
  g_autofree char *ex = credential_list (exclude_ids, "[\"usb\",\"ble\",\"nfc\",\"internal\"]");

  if (challenge_out != NULL)
    *challenge_out = g_bytes_ref (challenge);
  return g_strdup_printf (
    "{\"publicKey\":{\"rp\":{\"name\":\"WebAuthn Library\",\"id\":\"%s\"},"
    "\"authenticatorSelection\":{\"userVerification\":\"preferred\"%s},"
    "\"user\":{\"id\":%s,\"name\":\"%s\",\"displayName\":\"%s\"},"
    "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-257}],"
    "\"attestation\":\"indirect\",\"extensions\":{\"exts\":true},\"timeout\":30000,"
    "\"challenge\":%s,\"excludeCredentials\":%s}}",
    rp_id, passwordless ? ",\"requireResidentKey\":true" : "", u, SEC_TEST_USER, SEC_TEST_USER,
    c, ex);
}

char *
sec_test_request_json (const char  *rp_id,
                       GPtrArray   *allow_ids,
                       GBytes     **challenge_out)
{
  g_autoptr(GBytes) challenge = random_challenge ();
  g_autofree char *c = mailcow_binary (challenge);
  g_autofree char *allow = credential_list (allow_ids, "[]");

  if (challenge_out != NULL)
    *challenge_out = g_bytes_ref (challenge);
  if (allow_ids == NULL)  /* fido2-get-args: no allow list at all */
    return g_strdup_printf ("{\"publicKey\":{\"timeout\":30000,\"challenge\":%s,"
                            "\"userVerification\":\"preferred\",\"rpId\":\"%s\"}}", c, rp_id);
  return g_strdup_printf ("{\"publicKey\":{\"timeout\":30000,\"challenge\":%s,"
                          "\"userVerification\":\"preferred\",\"rpId\":\"%s\","
                          "\"allowCredentials\":%s,\"extensions\":{\"appid\":\"https:\\/\\/%s\"}}}",
                          c, rp_id, allow, rp_id);
}

HesWebauthnOptions *
sec_test_parse (const char          *json,
                HesWebauthnCeremony  ceremony)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  HesWebauthnOptions *options;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  options = hes_webauthn_options_parse (json_parser_get_root (parser), ceremony, SEC_TEST_HOST,
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (options);
  return options;
}

void
sec_test_on_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
sec_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
run_tool (const char * const *argv,
          char              **output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = -1;
  gboolean ok;

  ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error);
  g_assert_no_error (error);
  ok = ok && g_spawn_check_wait_status (status, NULL);
  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return ok;
}

static void
add_b64 (JsonBuilder *b,
         const char  *name,
         GBytes      *bytes)
{
  g_autofree char *text = hes_webauthn_base64 (bytes);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

static char *
b64url (GBytes *bytes)
{
  char *t = hes_webauthn_base64 (bytes);
  char *pad = strchr (t, '=');

  if (pad != NULL)
    *pad = '\0';
  g_strdelimit (t, "+", '-');
  g_strdelimit (t, "/", '_');
  return t;
}

static char *
write_temp (const char *contents,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("hes-sec-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

gboolean
sec_test_python_verify (HesFido2Registration *reg,
                        const char           *rp_id,
                        const char           *origin,
                        GBytes               *challenge,
                        gboolean              uv_required,
                        HesFido2Assertion    *assertion,
                        GBytes               *assertion_challenge,
                        GBytes               *trusted_root,
                        char                **output)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL, *path = NULL, *c = b64url (challenge);
  g_autofree char *script = g_build_filename (SECURITY_TEST_SRCDIR, "verify-webauthn.py", NULL);
  /* Debian's interpreter: a pyenv shim earlier on PATH cannot import python3-fido2. */
  const char *argv[] = { "/usr/bin/python3", script, NULL, NULL };
  gboolean ok;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rp_id");
  json_builder_add_string_value (b, rp_id);
  json_builder_set_member_name (b, "origin");
  json_builder_add_string_value (b, origin);
  json_builder_set_member_name (b, "user_verification");
  json_builder_add_string_value (b, uv_required ? "required" : "discouraged");
  json_builder_set_member_name (b, "challenge");
  json_builder_add_string_value (b, c);
  add_b64 (b, "clientDataJSON", reg->client_data_json);
  add_b64 (b, "attestationObject", reg->attestation_object);
  if (trusted_root != NULL)
    add_b64 (b, "root", trusted_root);
  if (assertion != NULL)
    {
      g_autofree char *ac = b64url (assertion_challenge);

      json_builder_set_member_name (b, "assertion");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "challenge");
      json_builder_add_string_value (b, ac);
      add_b64 (b, "id", assertion->credential_id);
      add_b64 (b, "clientDataJSON", assertion->client_data_json);
      add_b64 (b, "authenticatorData", assertion->authenticator_data);
      add_b64 (b, "signature", assertion->signature);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  path = write_temp (text, strlen (text));
  argv[2] = path;
  ok = run_tool (argv, output);
  g_remove (path);
  return ok;
}

/* The attestation object as the app built it, read back with libcbor. */
static void
read_attestation (GBytes  *att_obj,
                  char   **fmt,
                  GBytes **auth_data,
                  GBytes **sig,
                  GBytes **x5c)
{
  struct cbor_load_result res;
  cbor_item_t *map = cbor_load (g_bytes_get_data (att_obj, NULL), g_bytes_get_size (att_obj), &res);
  struct cbor_pair *pairs;

  g_assert_nonnull (map);
  g_assert_cmpint (res.error.code, ==, CBOR_ERR_NONE);
  g_assert_cmpuint (res.read, ==, g_bytes_get_size (att_obj));
  g_assert_true (cbor_isa_map (map));
  g_assert_cmpuint (cbor_map_size (map), ==, 3);
  pairs = cbor_map_handle (map);
  /* Canonical order: fmt, attStmt, authData. */
  g_assert_cmpmem (cbor_string_handle (pairs[0].key), cbor_string_length (pairs[0].key), "fmt", 3);
  g_assert_cmpmem (cbor_string_handle (pairs[1].key), cbor_string_length (pairs[1].key), "attStmt", 7);
  g_assert_cmpmem (cbor_string_handle (pairs[2].key), cbor_string_length (pairs[2].key), "authData", 8);
  *fmt = g_strndup ((const char *) cbor_string_handle (pairs[0].value), cbor_string_length (pairs[0].value));
  *auth_data = g_bytes_new (cbor_bytestring_handle (pairs[2].value), cbor_bytestring_length (pairs[2].value));
  *sig = NULL;
  *x5c = NULL;
  for (size_t i = 0; i < cbor_map_size (pairs[1].value); i++)
    {
      struct cbor_pair *p = &cbor_map_handle (pairs[1].value)[i];
      if (cbor_string_length (p->key) == 3 && memcmp (cbor_string_handle (p->key), "sig", 3) == 0)
        *sig = g_bytes_new (cbor_bytestring_handle (p->value), cbor_bytestring_length (p->value));
      if (cbor_string_length (p->key) == 3 && memcmp (cbor_string_handle (p->key), "x5c", 3) == 0)
        {
          cbor_item_t *first = cbor_array_handle (p->value)[0];
          *x5c = g_bytes_new (cbor_bytestring_handle (first), cbor_bytestring_length (first));
        }
    }
  g_assert_nonnull (*sig);
  cbor_decref (&map);
}

static char *
cbor_wrapped_b64 (GBytes *bytes)
{
  cbor_item_t *item = cbor_build_bytestring (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  unsigned char *buf = NULL;
  size_t size = 0, len = cbor_serialize_alloc (item, &buf, &size);
  char *out = g_base64_encode (buf, len);

  free (buf);
  cbor_decref (&item);
  return out;
}

gboolean
sec_test_fido2_cred_verify (HesFido2Registration *reg,
                            const char           *rp_id,
                            gboolean              uv_required,
                            int                   cred_protect,
                            char                **output)
{
  g_autofree char *fmt = NULL, *path = NULL, *text = NULL;
  g_autofree char *prot = g_strdup_printf ("%d", cred_protect);
  guint n = 4;
  g_autoptr(GBytes) auth_data = NULL, sig = NULL, x5c = NULL;
  g_autoptr(GBytes) cdh = hes_webauthn_hash (reg->client_data_json);
  g_autofree char *x5c_b64 = NULL;
  g_autofree char *cdh_b64 = hes_webauthn_base64 (cdh);
  g_autofree char *ad_b64 = NULL, *id_b64 = hes_webauthn_base64 (reg->credential_id);
  g_autofree char *sig_b64 = NULL;
  const char *argv[] = { "fido2-cred", "-V", "-i", NULL, NULL, NULL, NULL, NULL, NULL };
  gboolean ok;

  read_attestation (reg->attestation_object, &fmt, &auth_data, &sig, &x5c);
  ad_b64 = cbor_wrapped_b64 (auth_data);
  sig_b64 = hes_webauthn_base64 (sig);
  x5c_b64 = x5c != NULL ? hes_webauthn_base64 (x5c) : g_strdup ("");
  /* fido2-cred -V input (man fido2-cred): cdh, rp id, fmt, CBOR-wrapped authData, id, sig,
   * and the attestation certificate if any. */
  text = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s\n%s%s", cdh_b64, rp_id, fmt, ad_b64, id_b64,
                          sig_b64, x5c_b64, x5c != NULL ? "\n" : "");
  path = write_temp (text, strlen (text));
  argv[3] = path;
  if (uv_required)
    argv[n++] = "-v";
  if (cred_protect > 0)
    {
      argv[n++] = "-c";
      argv[n++] = prot;
    }
  argv[n] = "es256";
  ok = run_tool (argv, output);
  /* On success it prints the credential id first. */
  ok = ok && output != NULL && g_str_has_prefix (*output, id_b64);
  g_remove (path);
  return ok;
}
