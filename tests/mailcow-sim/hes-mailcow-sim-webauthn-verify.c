/* hes-mailcow-sim-webauthn-verify.c: the checks of lbuchs/WebAuthn as mailcow runs them:
 * client data, authenticator data, COSE keys, attestation and assertion signatures. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <cbor.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#define FLAG_UP 0x01
#define FLAG_UV 0x04
#define FLAG_AT 0x40
#define COSE_ES256 -7
#define COSE_RS256 -257

static gboolean
is_standard_base64 (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  return TRUE;
}

/* PHP's base64_decode(): characters outside the alphabet are skipped, so base64url input
 * silently loses its "-" and "_". */
GBytes *
sim_php_base64_decode (const char *text)
{
  GString *clean = g_string_new (NULL);
  g_autofree guchar *data = NULL;
  gsize len = 0;

  for (const char *p = text ? text : ""; *p; p++)
    if (g_ascii_isalnum (*p) || *p == '+' || *p == '/')
      g_string_append_c (clean, *p);
  while (clean->len % 4)
    g_string_append_c (clean, '=');
  data = g_base64_decode (clean->str, &len);
  g_string_free (clean, TRUE);
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static GBytes *
base64url_decode (const char *text)
{
  g_autofree char *std = g_strdup (text ? text : "");

  for (char *p = std; *p; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  return sim_php_base64_decode (std);
}

/* Checks */

static char *
check_client_data (SimRequest *req, GBytes *raw, const char *type)
{
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  g_autoptr(JsonNode) node = sim_json_parse (data, len);
  JsonObject *obj = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autofree char *got_type = sim_json_member_string (obj, "type");
  g_autofree char *challenge_text = sim_json_member_string (obj, "challenge");
  g_autofree char *origin = sim_json_member_string (obj, "origin");
  g_autofree char *rp_id = sim_rp_id (req);
  g_autoptr(GBytes) challenge = NULL;
  g_autofree char *host = NULL;

  if (obj == NULL)
    return g_strdup ("invalid client data");
  if (g_strcmp0 (got_type, type) != 0)
    return g_strdup ("invalid type");
  challenge = base64url_decode (challenge_text);
  if (req->session->challenge == NULL || !g_bytes_equal (challenge, req->session->challenge))
    return g_strdup ("invalid challenge");
  if (origin == NULL || !g_str_has_prefix (origin, "https://"))
    return g_strdup ("invalid origin");
  host = g_strdup (origin + strlen ("https://"));
  host[strcspn (host, ":/")] = '\0';
  /* A suffix match without a dot boundary, like the library's. */
  if (!g_str_has_suffix (host, rp_id))
    return g_strdup ("invalid origin");
  return NULL;
}

static gboolean
cbor_int (cbor_item_t *item, gint64 *out)
{
  if (cbor_isa_uint (item))
    *out = (gint64) cbor_get_int (item);
  else if (cbor_isa_negint (item))
    *out = -1 - (gint64) cbor_get_int (item);
  else
    return FALSE;
  return TRUE;
}

static cbor_item_t *
cbor_map_find (cbor_item_t *map, gint64 int_key, const char *text_key)
{
  struct cbor_pair *pairs;

  if (map == NULL || !cbor_isa_map (map))
    return NULL;
  pairs = cbor_map_handle (map);
  for (size_t i = 0; i < cbor_map_size (map); i++)
    {
      gint64 key;

      if (text_key && cbor_isa_string (pairs[i].key) && cbor_string_is_definite (pairs[i].key) &&
          cbor_string_length (pairs[i].key) == strlen (text_key) &&
          memcmp (cbor_string_handle (pairs[i].key), text_key, strlen (text_key)) == 0)
        return pairs[i].value;
      if (!text_key && cbor_int (pairs[i].key, &key) && key == int_key)
        return pairs[i].value;
    }
  return NULL;
}

static gboolean
cbor_bytes (cbor_item_t *item, gnutls_datum_t *out)
{
  if (item == NULL || !cbor_isa_bytestring (item) || !cbor_bytestring_is_definite (item))
    return FALSE;
  out->data = cbor_bytestring_handle (item);
  out->size = cbor_bytestring_length (item);
  return TRUE;
}

/* A COSE key (EC2 P-256 or RSA) as DER SubjectPublicKeyInfo. */
static GBytes *
cose_to_der (cbor_item_t *cose, int *alg)
{
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t a = { NULL, 0 }, c = { NULL, 0 }, der = { NULL, 0 };
  gint64 kty = 0, alg64 = 0, crv = 0;
  GBytes *result = NULL;
  int ret = -1;

  cbor_item_t *kty_item = cbor_map_find (cose, 1, NULL);
  cbor_item_t *alg_item = cbor_map_find (cose, 3, NULL);

  if (kty_item == NULL || !cbor_int (kty_item, &kty) || alg_item == NULL || !cbor_int (alg_item, &alg64))
    return NULL;
  if (gnutls_pubkey_init (&pub) < 0)
    return NULL;
  if (kty == 2 && alg64 == COSE_ES256 && cbor_map_find (cose, -1, NULL) &&
      cbor_int (cbor_map_find (cose, -1, NULL), &crv) && crv == 1 &&
      cbor_bytes (cbor_map_find (cose, -2, NULL), &a) && cbor_bytes (cbor_map_find (cose, -3, NULL), &c))
    ret = gnutls_pubkey_import_ecc_raw (pub, GNUTLS_ECC_CURVE_SECP256R1, &a, &c);
  else if (kty == 3 && alg64 == COSE_RS256 &&
           cbor_bytes (cbor_map_find (cose, -1, NULL), &a) &&
           cbor_bytes (cbor_map_find (cose, -2, NULL), &c))
    ret = gnutls_pubkey_import_rsa_raw (pub, &a, &c);
  if (ret >= 0 && gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_DER, &der) >= 0)
    {
      result = g_bytes_new (der.data, der.size);
      gnutls_free (der.data);
      *alg = (int) alg64;
    }
  gnutls_pubkey_deinit (pub);
  return result;
}

static gboolean
verify_signature (gnutls_pubkey_t pub, int alg, GBytes *signed_data, const gnutls_datum_t *sig)
{
  gnutls_datum_t data = { (unsigned char *) g_bytes_get_data (signed_data, NULL),
                          g_bytes_get_size (signed_data) };
  gnutls_sign_algorithm_t algo = alg == COSE_ES256 ? GNUTLS_SIGN_ECDSA_SHA256
                                 : alg == COSE_RS256 ? GNUTLS_SIGN_RSA_SHA256
                                 : GNUTLS_SIGN_UNKNOWN;

  return algo != GNUTLS_SIGN_UNKNOWN && gnutls_pubkey_verify_data2 (pub, algo, 0, &data, sig) >= 0;
}

static gboolean
verify_with_der (GBytes *der_key, int alg, GBytes *signed_data, const gnutls_datum_t *sig)
{
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (der_key, NULL),
                         g_bytes_get_size (der_key) };
  gboolean ok = FALSE;

  if (gnutls_pubkey_init (&pub) >= 0 && gnutls_pubkey_import (pub, &der, GNUTLS_X509_FMT_DER) >= 0)
    ok = verify_signature (pub, alg, signed_data, sig);
  gnutls_pubkey_deinit (pub);
  return ok;
}

static gboolean
verify_with_certificate (const gnutls_datum_t *cert_der, int alg, GBytes *signed_data,
                         const gnutls_datum_t *sig)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t pub = NULL;
  gboolean ok = FALSE;

  if (gnutls_x509_crt_init (&crt) >= 0 &&
      gnutls_x509_crt_import (crt, cert_der, GNUTLS_X509_FMT_DER) >= 0 &&
      gnutls_pubkey_init (&pub) >= 0 && gnutls_pubkey_import_x509 (pub, crt, 0) >= 0)
    ok = verify_signature (pub, alg, signed_data, sig);
  gnutls_pubkey_deinit (pub);
  gnutls_x509_crt_deinit (crt);
  return ok;
}

/* authenticatorData || SHA-256(clientDataJSON): what every signature covers. */
static GBytes *
signed_data (GBytes *auth_data, GBytes *client_data)
{
  GByteArray *out = g_byte_array_new ();
  guint8 hash[32];
  gsize hash_len = sizeof hash;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, g_bytes_get_data (client_data, NULL), g_bytes_get_size (client_data));
  g_checksum_get_digest (checksum, hash, &hash_len);
  g_byte_array_append (out, g_bytes_get_data (auth_data, NULL), g_bytes_get_size (auth_data));
  g_byte_array_append (out, hash, hash_len);
  return g_byte_array_free_to_bytes (out);
}

static gboolean
rp_id_hash_matches (SimRequest *req, const guint8 *hash)
{
  g_autofree char *rp_id = sim_rp_id (req);
  guint8 expected[32];
  gsize len = sizeof expected;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) rp_id, strlen (rp_id));
  g_checksum_get_digest (checksum, expected, &len);
  return memcmp (hash, expected, 32) == 0;
}

/* The common authenticatorData checks: rpIdHash, user present, user verified (FIDO2). */
static char *
check_auth_data (SimRequest *req, const guint8 *data, gsize len, gboolean require_uv)
{
  if (len < 37)
    return g_strdup ("Invalid authenticatorData input");
  if (!rp_id_hash_matches (req, data))
    return g_strdup ("invalid rpId hash");
  if (!(data[32] & FLAG_UP))
    return g_strdup ("user not present during authentication");
  if (require_uv && !(data[32] & FLAG_UV))
    return g_strdup ("user not verified during authentication");
  return NULL;
}

void
sim_new_credential_clear (SimNewCredential *cred)
{
  g_clear_pointer (&cred->credential_id, g_bytes_unref);
  g_clear_pointer (&cred->public_key, g_bytes_unref);
}

static char *
check_attestation (const char *fmt, cbor_item_t *stmt, GBytes *to_sign, SimNewCredential *cred)
{
  cbor_item_t *x5c = cbor_map_find (stmt, 0, "x5c");
  gnutls_datum_t sig, cert;
  gint64 alg = 0;

  if (strcmp (fmt, "none") == 0)
    return NULL;
  if (strcmp (fmt, "packed") != 0)
    return NULL;   /* other formats are only checked in trusted-vendor mode */
  if (!cbor_bytes (cbor_map_find (stmt, 0, "sig"), &sig) ||
      !cbor_map_find (stmt, 0, "alg") || !cbor_int (cbor_map_find (stmt, 0, "alg"), &alg))
    return g_strdup ("invalid packed attestation statement");
  if (x5c && cbor_isa_array (x5c) && cbor_array_size (x5c) > 0 &&
      cbor_bytes (cbor_array_handle (x5c)[0], &cert))
    return verify_with_certificate (&cert, alg, to_sign, &sig)
           ? NULL : g_strdup ("invalid certificate signature");
  if (alg != cred->alg || !verify_with_der (cred->public_key, alg, to_sign, &sig))
    return g_strdup ("invalid signature");
  return NULL;
}

/* processCreate(): fills @cred, or returns the library's message. */
char *
sim_webauthn_process_create (SimRequest *req, JsonObject *post, gboolean require_uv, SimNewCredential *cred)
{
  static const char * const formats[] = {
    "apple", "android-key", "android-safetynet", "fido-u2f", "none", "packed", "tpm", NULL,
  };
  g_autofree char *cd_text = sim_json_member_string (post, "clientDataJSON");
  g_autofree char *att_text = sim_json_member_string (post, "attestationObject");
  g_autoptr(GBytes) client_data = sim_php_base64_decode (cd_text);
  g_autoptr(GBytes) attestation = sim_php_base64_decode (att_text);
  g_autoptr(GBytes) auth_data = NULL;
  g_autoptr(GBytes) to_sign = NULL;
  struct cbor_load_result loaded;
  cbor_item_t *root = NULL;
  cbor_item_t *fmt_item, *cose;
  gnutls_datum_t ad;
  char *error;
  g_autofree char *fmt = NULL;

  if ((error = check_client_data (req, client_data, "webauthn.create")))
    return error;
  root = cbor_load (g_bytes_get_data (attestation, NULL), g_bytes_get_size (attestation), &loaded);
  if (root == NULL || loaded.error.code != CBOR_ERR_NONE || loaded.read != g_bytes_get_size (attestation))
    error = g_strdup ("Unused bytes after data item.");
  else if ((fmt_item = cbor_map_find (root, 0, "fmt")) == NULL || !cbor_isa_string (fmt_item) ||
           !cbor_string_is_definite (fmt_item) || !cbor_bytes (cbor_map_find (root, 0, "authData"), &ad))
    error = g_strdup ("invalid attestation format");
  if (error)
    {
      if (root)
        cbor_decref (&root);
      return error;
    }
  fmt = g_strndup ((const char *) cbor_string_handle (fmt_item), cbor_string_length (fmt_item));
  auth_data = g_bytes_new (ad.data, ad.size);
  if (!g_strv_contains (formats, fmt))
    error = g_strdup ("invalid attestation format");
  else if (!(error = check_auth_data (req, ad.data, ad.size, require_uv)) &&
           (!(ad.data[32] & FLAG_AT) || ad.size < 55 ||
            ad.size < 55 + (gsize) ((ad.data[53] << 8) | ad.data[54])))
    error = g_strdup ("Invalid authenticatorData input");
  if (error == NULL)
    {
      gsize id_len = (ad.data[53] << 8) | ad.data[54];
      struct cbor_load_result key_loaded;

      cred->credential_id = g_bytes_new (ad.data + 55, id_len);
      cose = cbor_load (ad.data + 55 + id_len, ad.size - 55 - id_len, &key_loaded);
      cred->public_key = cose ? cose_to_der (cose, &cred->alg) : NULL;
      if (cose)
        cbor_decref (&cose);
      if (cred->public_key == NULL)
        error = g_strdup ("invalid public key");
    }
  if (error == NULL)
    {
      to_sign = signed_data (auth_data, client_data);
      error = check_attestation (fmt, cbor_map_find (root, 0, "attStmt"), to_sign, cred);
    }
  cbor_decref (&root);
  if (error)
    sim_new_credential_clear (cred);
  return error;
}

/* processGet(): the assertion in @token (JSON, standard base64) against one stored key. */
char *
sim_webauthn_process_get (SimRequest *req, JsonObject *token, GBytes *public_key, int alg, gboolean require_uv)
{
  g_autofree char *cd_text = sim_json_member_string (token, "clientDataJSON");
  g_autofree char *ad_text = sim_json_member_string (token, "authenticatorData");
  g_autofree char *sig_text = sim_json_member_string (token, "signature");
  g_autoptr(GBytes) client_data = NULL;
  g_autoptr(GBytes) auth_data = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) to_sign = NULL;
  gnutls_datum_t sig_datum;
  char *error;

  if (ad_text == NULL || !is_standard_base64 (ad_text))
    return g_strdup ("Invalid authenticatorData input");
  client_data = sim_php_base64_decode (cd_text);
  auth_data = sim_php_base64_decode (ad_text);
  sig = sim_php_base64_decode (sig_text);
  if ((error = check_client_data (req, client_data, "webauthn.get")))
    return error;
  if ((error = check_auth_data (req, g_bytes_get_data (auth_data, NULL), g_bytes_get_size (auth_data),
                                require_uv)))
    return error;
  to_sign = signed_data (auth_data, client_data);
  sig_datum.data = (unsigned char *) g_bytes_get_data (sig, NULL);
  sig_datum.size = g_bytes_get_size (sig);
  if (!verify_with_der (public_key, alg, to_sign, &sig_datum))
    return g_strdup ("invalid signature");
  return NULL;
}

