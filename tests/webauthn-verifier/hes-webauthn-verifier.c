/* hes-webauthn-verifier.c: WebAuthn registration and assertion checks, mailcow's way:
 * client data, authenticator data, COSE keys, attestation and assertion signatures. */
#define G_LOG_DOMAIN "hes-webauthn-verifier"

#include <string.h>
#include <gio/gio.h>
#include <cbor.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "hes-webauthn-verifier.h"

#define FLAG_UP 0x01
#define FLAG_UV 0x04
#define FLAG_AT 0x40
#define COSE_ES256 -7
#define COSE_RS256 -257

static gboolean
fail (GError    **error,
      const char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return FALSE;
}

GBytes *
hes_php_base64_decode (const char *text)
{
  GString *kept = g_string_new (NULL);
  gsize len = 0;
  guchar *data;

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || *p == '+' || *p == '/')
      g_string_append_c (kept, *p);
  while (kept->len % 4 != 0)
    g_string_append_c (kept, '=');
  data = g_base64_decode (kept->str, &len);
  g_string_free (kept, TRUE);
  return g_bytes_new_take (data, len);
}

static GBytes *
base64url_decode (const char *text)
{
  g_autofree char *std = g_strdup (text);

  g_strdelimit (std, "-", '+');
  g_strdelimit (std, "_", '/');
  return hes_php_base64_decode (std);
}

static gboolean
is_standard_base64 (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  return TRUE;
}

static void
sha256 (const void *data,
        gsize       len,
        guint8      out[32])
{
  gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, out);
}

/* A string member, or "" (any other type too: the client data is the client's to forge). */
static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gboolean
check_client_data (GBytes     *client_data,
                   const char *type,
                   GBytes     *challenge,
                   const char *rp_id,
                   GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) got_challenge = NULL;
  g_autoptr(GUri) uri = NULL;
  JsonNode *root;
  JsonObject *obj;
  const char *origin;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (client_data, NULL),
                                   (gssize) g_bytes_get_size (client_data), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, "invalid client data");
  obj = json_node_get_object (root);
  if (g_strcmp0 (member_string (obj, "type"), type) != 0)
    return fail (error, "invalid type");
  got_challenge = base64url_decode (member_string (obj, "challenge"));
  if (challenge == NULL || !g_bytes_equal (got_challenge, challenge))
    return fail (error, "invalid challenge");
  origin = member_string (obj, "origin");
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  /* lbuchs: https, and the host ends with the rpId (sic: no dot boundary; port ignored). */
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_host (uri) == NULL || !g_str_has_suffix (g_uri_get_host (uri), rp_id))
    return fail (error, "invalid origin");
  return TRUE;
}

static gboolean
check_auth_data_header (const guint8 *ad,
                        gsize         len,
                        const char   *rp_id,
                        gboolean      uv_required,
                        GError      **error)
{
  guint8 hash[32];

  if (len < 37)
    return fail (error, "Invalid authenticatorData input");
  sha256 (rp_id, strlen (rp_id), hash);
  if (memcmp (ad, hash, 32) != 0)
    return fail (error, "invalid rpId hash");
  if (!(ad[32] & FLAG_UP))
    return fail (error, "user not present during authentication");
  if (uv_required && !(ad[32] & FLAG_UV))
    return fail (error, "user not verified during authentication");
  return TRUE;
}

static cbor_item_t *
map_lookup (cbor_item_t *map,
            const char  *text_key,
            gint64       int_key)
{
  struct cbor_pair *pairs;

  if (map == NULL || !cbor_isa_map (map))
    return NULL;
  pairs = cbor_map_handle (map);
  for (size_t i = 0; i < cbor_map_size (map); i++)
    {
      cbor_item_t *k = pairs[i].key;

      if (text_key != NULL && cbor_isa_string (k) && cbor_string_length (k) == strlen (text_key) &&
          memcmp (cbor_string_handle (k), text_key, strlen (text_key)) == 0)
        return pairs[i].value;
      if (text_key == NULL && cbor_isa_uint (k) && int_key >= 0 && (gint64) cbor_get_int (k) == int_key)
        return pairs[i].value;
      if (text_key == NULL && cbor_isa_negint (k) && int_key < 0 &&
          -1 - (gint64) cbor_get_int (k) == int_key)
        return pairs[i].value;
    }
  return NULL;
}

static gboolean
is_int (cbor_item_t *item,
        gint64       value)
{
  if (item == NULL)
    return FALSE;
  if (value >= 0)
    return cbor_isa_uint (item) && (gint64) cbor_get_int (item) == value;
  return cbor_isa_negint (item) && -1 - (gint64) cbor_get_int (item) == value;
}

/* COSE EC2 P-256 ES256 key → GnuTLS; @used gets the CBOR length. */
static gboolean
get_bytes (cbor_item_t    *item,
           gnutls_datum_t *out)
{
  if (item == NULL || !cbor_isa_bytestring (item) || !cbor_bytestring_is_definite (item))
    return FALSE;
  *out = (gnutls_datum_t) { cbor_bytestring_handle (item), (unsigned) cbor_bytestring_length (item) };
  return TRUE;
}

/* A COSE key: EC2 P-256 with ES256, or RSA with RS256. */
static gnutls_pubkey_t
import_cose_key (cbor_item_t *key)
{
  gnutls_datum_t a, b;
  gnutls_pubkey_t pub = NULL;
  int ret = -1;

  if (gnutls_pubkey_init (&pub) < 0)
    return NULL;
  if (is_int (map_lookup (key, NULL, 1), 2) && is_int (map_lookup (key, NULL, 3), COSE_ES256) &&
      is_int (map_lookup (key, NULL, -1), 1) &&
      get_bytes (map_lookup (key, NULL, -2), &a) && a.size == 32 &&
      get_bytes (map_lookup (key, NULL, -3), &b) && b.size == 32)
    ret = gnutls_pubkey_import_ecc_raw (pub, GNUTLS_ECC_CURVE_SECP256R1, &a, &b);
  else if (is_int (map_lookup (key, NULL, 1), 3) && is_int (map_lookup (key, NULL, 3), COSE_RS256) &&
           get_bytes (map_lookup (key, NULL, -1), &a) && get_bytes (map_lookup (key, NULL, -2), &b))
    ret = gnutls_pubkey_import_rsa_raw (pub, &a, &b);
  if (ret < 0)
    {
      gnutls_pubkey_deinit (pub);
      return NULL;
    }
  return pub;
}

/* The COSE algorithm a key signs with: what the packed statement must name. */
static gint64
cose_alg_of (gnutls_pubkey_t pub)
{
  return gnutls_pubkey_get_pk_algorithm (pub, NULL) == GNUTLS_PK_RSA ? COSE_RS256 : COSE_ES256;
}

/* A signature over authenticatorData || SHA-256(clientDataJSON), with SHA-256 and the key's
 * own algorithm (openssl_verify() with a PEM key, as lbuchs does). */
static gboolean
verify_signature (gnutls_pubkey_t       pub,
                  const guint8         *auth_data,
                  gsize                 ad_len,
                  GBytes               *client_data,
                  const gnutls_datum_t *sig,
                  GError              **error)
{
  g_autoptr(GByteArray) signed_data = g_byte_array_sized_new (ad_len + 32);
  gnutls_sign_algorithm_t algo = gnutls_pk_to_sign (gnutls_pubkey_get_pk_algorithm (pub, NULL),
                                                    GNUTLS_DIG_SHA256);
  guint8 hash[32];
  gnutls_datum_t d;

  sha256 (g_bytes_get_data (client_data, NULL), g_bytes_get_size (client_data), hash);
  g_byte_array_append (signed_data, auth_data, ad_len);
  g_byte_array_append (signed_data, hash, 32);
  d = (gnutls_datum_t) { signed_data->data, signed_data->len };
  if (algo == GNUTLS_SIGN_UNKNOWN || gnutls_pubkey_verify_data2 (pub, algo, 0, &d, sig) < 0)
    return fail (error, "invalid signature");
  return TRUE;
}

/* packed: alg and sig, with x5c (the batch certificate signs) or without (self: the
 * credential's key signs, with the algorithm it names). */
static gboolean
verify_packed (cbor_item_t     *stmt,
               gnutls_pubkey_t  credential_key,
               const guint8    *ad,
               gsize            ad_len,
               GBytes          *client_data,
               gboolean        *self,
               GError         **error)
{
  cbor_item_t *x5c = map_lookup (stmt, "x5c", 0), *alg = map_lookup (stmt, "alg", 0);
  gnutls_pubkey_t signer = credential_key;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t sig;
  gboolean ok;

  if (!(is_int (alg, COSE_ES256) || is_int (alg, COSE_RS256)) || !get_bytes (map_lookup (stmt, "sig", 0), &sig))
    return fail (error, "invalid attestation statement");
  *self = x5c == NULL;
  if (x5c == NULL && !is_int (alg, cose_alg_of (credential_key)))
    return fail (error, "invalid signature");
  if (x5c != NULL)
    {
      cbor_item_t *first = cbor_isa_array (x5c) && cbor_array_size (x5c) > 0 ? cbor_array_handle (x5c)[0] : NULL;
      gnutls_datum_t der;

      if (!get_bytes (first, &der) ||
          gnutls_x509_crt_init (&crt) < 0 || gnutls_x509_crt_import (crt, &der, GNUTLS_X509_FMT_DER) < 0 ||
          gnutls_pubkey_init (&signer) < 0 || gnutls_pubkey_import_x509 (signer, crt, 0) < 0)
        {
          if (signer != credential_key)
            gnutls_pubkey_deinit (signer);
          gnutls_x509_crt_deinit (crt);
          return fail (error, "invalid x5c");
        }
    }
  ok = verify_signature (signer, ad, ad_len, client_data, &sig, error);
  if (crt != NULL)
    {
      gnutls_x509_crt_deinit (crt);
      gnutls_pubkey_deinit (signer);
    }
  return ok;
}

/* The statement of the format: only "packed" is checked (see the header). */
static gboolean
verify_statement (const char      *fmt,
                  cbor_item_t     *stmt,
                  gnutls_pubkey_t  credential_key,
                  const guint8    *ad,
                  gsize            ad_len,
                  GBytes          *client_data,
                  gboolean        *self,
                  GError         **error)
{
  static const char * const formats[] = {
    "apple", "android-key", "android-safetynet", "fido-u2f", "none", "packed", "tpm", NULL,
  };

  if (!g_strv_contains (formats, fmt))
    return fail (error, "invalid attestation format");
  if (strcmp (fmt, "packed") == 0)
    return verify_packed (stmt, credential_key, ad, ad_len, client_data, self, error);
  return TRUE;
}

static HesVerifiedCredential *
verify_attested (cbor_item_t *att,
                 GBytes      *client_data,
                 const char  *rp_id,
                 gboolean     uv_required,
                 GError     **error)
{
  cbor_item_t *fmt = map_lookup (att, "fmt", 0), *stmt = map_lookup (att, "attStmt", 0);
  g_autoptr(HesVerifiedCredential) cred = g_new0 (HesVerifiedCredential, 1);
  g_autofree char *fmt_text = NULL;
  struct cbor_load_result loaded;
  cbor_item_t *cose;
  gnutls_datum_t auth;
  const guint8 *ad;
  gsize ad_len, id_len;
  gnutls_pubkey_t pub;
  gnutls_datum_t pem = { 0 };
  gboolean ok;

  if (fmt == NULL || !cbor_isa_string (fmt) || !cbor_string_is_definite (fmt) ||
      stmt == NULL || !cbor_isa_map (stmt) || !get_bytes (map_lookup (att, "authData", 0), &auth))
    return fail (error, "invalid attestation format"), NULL;
  fmt_text = g_strndup ((const char *) cbor_string_handle (fmt), cbor_string_length (fmt));
  ad = auth.data;
  ad_len = auth.size;
  if (!check_auth_data_header (ad, ad_len, rp_id, uv_required, error))
    return NULL;
  if (!(ad[32] & FLAG_AT) || ad_len < 55)
    return fail (error, "Invalid authenticatorData input"), NULL;
  id_len = ((gsize) ad[53] << 8) | ad[54];
  if (ad_len < 55 + id_len)
    return fail (error, "Invalid authenticatorData input"), NULL;
  cose = cbor_load (ad + 55 + id_len, ad_len - 55 - id_len, &loaded);
  pub = cose != NULL ? import_cose_key (cose) : NULL;
  if (cose != NULL)
    cbor_decref (&cose);
  if (pub == NULL)
    return fail (error, "invalid public key"), NULL;

  cred->flags = ad[32];
  cred->sign_count = ((guint32) ad[33] << 24) | ((guint32) ad[34] << 16) | ((guint32) ad[35] << 8) | ad[36];
  cred->aaguid = g_bytes_new (ad + 37, 16);
  cred->credential_id = g_bytes_new (ad + 55, id_len);
  ok = verify_statement (fmt_text, stmt, pub, ad, ad_len, client_data, &cred->self_attestation, error);
  if (ok && gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_PEM, &pem) >= 0)
    {
      cred->public_key_pem = g_strndup ((const char *) pem.data, pem.size);
      gnutls_free (pem.data);
    }
  gnutls_pubkey_deinit (pub);
  return ok && cred->public_key_pem != NULL ? g_steal_pointer (&cred) : NULL;
}

HesVerifiedCredential *
hes_webauthn_verify_registration (const char *client_data_b64,
                                  const char *attestation_object_b64,
                                  const char *rp_id,
                                  GBytes     *challenge,
                                  gboolean    uv_required,
                                  GError    **error)
{
  g_autoptr(GBytes) client_data = hes_php_base64_decode (client_data_b64);
  g_autoptr(GBytes) att_bytes = hes_php_base64_decode (attestation_object_b64);
  struct cbor_load_result res;
  cbor_item_t *att;
  HesVerifiedCredential *cred;

  if (!check_client_data (client_data, "webauthn.create", challenge, rp_id, error))
    return NULL;
  att = cbor_load (g_bytes_get_data (att_bytes, NULL), g_bytes_get_size (att_bytes), &res);
  if (att == NULL)
    return fail (error, "Invalid CBOR"), NULL;
  if (res.read != g_bytes_get_size (att_bytes))
    {
      cbor_decref (&att);
      return fail (error, "Unused bytes after data item."), NULL;
    }
  cred = verify_attested (att, client_data, rp_id, uv_required, error);
  cbor_decref (&att);
  return cred;
}

int
hes_webauthn_verify_assertion (const char *public_key_pem,
                               const char *client_data_b64,
                               const char *authenticator_data_b64,
                               const char *signature_b64,
                               const char *rp_id,
                               GBytes     *challenge,
                               gboolean    uv_required,
                               GError    **error)
{
  g_autoptr(GBytes) client_data = NULL, auth_data = NULL, sig_bytes = NULL;
  gnutls_datum_t pem = { (guint8 *) public_key_pem, (unsigned) strlen (public_key_pem) };
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t sig;
  gsize ad_len;
  const guint8 *ad;
  gboolean ok;

  /* mailcow decodes authenticatorData strictly: base64url is refused before anything else. */
  if (authenticator_data_b64 == NULL || !is_standard_base64 (authenticator_data_b64))
    return fail (error, "Invalid authenticatorData input"), -1;
  client_data = hes_php_base64_decode (client_data_b64);
  auth_data = hes_php_base64_decode (authenticator_data_b64);
  sig_bytes = hes_php_base64_decode (signature_b64);
  ad = g_bytes_get_data (auth_data, &ad_len);
  if (!check_client_data (client_data, "webauthn.get", challenge, rp_id, error) ||
      !check_auth_data_header (ad, ad_len, rp_id, uv_required, error))
    return -1;
  if (gnutls_pubkey_init (&pub) < 0 || gnutls_pubkey_import (pub, &pem, GNUTLS_X509_FMT_PEM) < 0)
    {
      gnutls_pubkey_deinit (pub);
      return fail (error, "invalid public key"), -1;
    }
  sig = (gnutls_datum_t) { (guint8 *) g_bytes_get_data (sig_bytes, NULL), (unsigned) g_bytes_get_size (sig_bytes) };
  ok = verify_signature (pub, ad, ad_len, client_data, &sig, error);
  gnutls_pubkey_deinit (pub);
  return ok ? ad[32] : -1;
}

void
hes_verified_credential_free (HesVerifiedCredential *credential)
{
  if (credential == NULL)
    return;
  g_clear_pointer (&credential->credential_id, g_bytes_unref);
  g_clear_pointer (&credential->aaguid, g_bytes_unref);
  g_free (credential->public_key_pem);
  g_free (credential);
}
