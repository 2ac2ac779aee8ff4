/* softfido2-crypto.c: the authenticator's cryptography.
 *
 * GnuTLS does the ES256 keys and signatures, hashes, HMAC, AES-CBC/GCM and randomness.
 * GnuTLS 3.7 has no public ECDH call (gnutls_privkey_derive_secret came in 3.8.2), so the one
 * ECDH of PIN protocol 1 uses OpenSSL's libcrypto, which libfido2 already links.
 */
#define G_LOG_DOMAIN "softfido2"

#include <string.h>
#include <time.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "softfido2-private.h"

#define CRED_ID_VERSION 0x01
#define CRED_NONCE_LEN 12
#define CRED_TAG_LEN 16
#define CRED_PLAIN_LEN (32 * 3 + 1)
#define CRED_ID_LEN (1 + CRED_NONCE_LEN + CRED_PLAIN_LEN + CRED_TAG_LEN)

gnutls_privkey_t
softfido2_p256_generate (void)
{
  gnutls_privkey_t key = NULL;

  if (gnutls_privkey_init (&key) < 0)
    return NULL;
  if (gnutls_privkey_generate (key, GNUTLS_PK_ECDSA,
                               GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0) < 0)
    {
      gnutls_privkey_deinit (key);
      return NULL;
    }
  return key;
}

/* GnuTLS gives big-endian integers without leading zeros: left-pad to 32 bytes. */
static gboolean
copy_padded (const gnutls_datum_t *d,
             guint8                out[32])
{
  if (d->size > 32)
    return FALSE;
  memset (out, 0, 32);
  memcpy (out + 32 - d->size, d->data, d->size);
  return TRUE;
}

gboolean
softfido2_p256_export (gnutls_privkey_t key,
                       guint8           k[32],
                       guint8           x[32],
                       guint8           y[32])
{
  gnutls_datum_t dx = { 0 }, dy = { 0 }, dk = { 0 };
  gnutls_ecc_curve_t curve;
  gboolean ok;

  if (gnutls_privkey_export_ecc_raw2 (key, &curve, &dx, &dy, &dk, GNUTLS_EXPORT_FLAG_NO_LZ) < 0)
    return FALSE;
  ok = curve == GNUTLS_ECC_CURVE_SECP256R1 &&
       copy_padded (&dx, x) && copy_padded (&dy, y) && (k == NULL || copy_padded (&dk, k));
  gnutls_memset (dk.data, 0, dk.size);
  gnutls_free (dx.data);
  gnutls_free (dy.data);
  gnutls_free (dk.data);
  return ok;
}

gnutls_privkey_t
softfido2_p256_import (const guint8 k[32],
                       const guint8 x[32],
                       const guint8 y[32])
{
  gnutls_privkey_t key = NULL;
  const gnutls_datum_t dx = { (guint8 *) x, 32 }, dy = { (guint8 *) y, 32 };
  const gnutls_datum_t dk = { (guint8 *) k, 32 };

  if (gnutls_privkey_init (&key) < 0)
    return NULL;
  if (gnutls_privkey_import_ecc_raw (key, GNUTLS_ECC_CURVE_SECP256R1, &dx, &dy, &dk) < 0)
    {
      gnutls_privkey_deinit (key);
      return NULL;
    }
  return key;
}

GByteArray *
softfido2_sign (gnutls_privkey_t key,
                const guint8    *data,
                gsize            len)
{
  const gnutls_datum_t in = { (guint8 *) data, (unsigned) len };
  gnutls_datum_t sig = { 0 };
  GByteArray *out;

  /* A DER ECDSA signature over SHA-256, as ES256 in WebAuthn wants. */
  if (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &in, &sig) < 0)
    return NULL;
  out = g_byte_array_sized_new (sig.size);
  g_byte_array_append (out, sig.data, sig.size);
  gnutls_free (sig.data);
  return out;
}

void
softfido2_sha256 (const void *data,
                  gsize       len,
                  guint8      out[32])
{
  gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, out);
}

void
softfido2_hmac_sha256 (const guint8 *key,
                       gsize         key_len,
                       const guint8 *data,
                       gsize         len,
                       guint8        out[32])
{
  gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, key_len, data, len, out);
}

gboolean
softfido2_aes_cbc (const guint8  key[32],
                   gboolean      encrypt,
                   const guint8 *in,
                   guint8       *out,
                   gsize         len)
{
  guint8 iv_bytes[16] = { 0 };
  const gnutls_datum_t k = { (guint8 *) key, 32 }, iv = { iv_bytes, 16 };
  gnutls_cipher_hd_t h;
  int r;

  if (len == 0 || len % 16 != 0 || gnutls_cipher_init (&h, GNUTLS_CIPHER_AES_256_CBC, &k, &iv) < 0)
    return FALSE;
  r = encrypt ? gnutls_cipher_encrypt2 (h, in, len, out, len)
              : gnutls_cipher_decrypt2 (h, in, len, out, len);
  gnutls_cipher_deinit (h);
  return r >= 0;
}

/* An OpenSSL P-256 key from raw coordinates (and the private scalar when @k is set). */
static EVP_PKEY *
ossl_p256 (const guint8 *k,
           const guint8  x[32],
           const guint8  y[32])
{
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new ();
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name (NULL, "EC", NULL);
  EVP_PKEY *pkey = NULL;
  BIGNUM *priv = k != NULL ? BN_bin2bn (k, 32, NULL) : NULL;
  guint8 pub[65];

  pub[0] = 0x04;
  memcpy (pub + 1, x, 32);
  memcpy (pub + 33, y, 32);
  if (bld != NULL && ctx != NULL &&
      OSSL_PARAM_BLD_push_utf8_string (bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
      OSSL_PARAM_BLD_push_octet_string (bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub) &&
      (priv == NULL || OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) &&
      (params = OSSL_PARAM_BLD_to_param (bld)) != NULL &&
      EVP_PKEY_fromdata_init (ctx) > 0)
    EVP_PKEY_fromdata (ctx, &pkey, priv != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                       params);
  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  EVP_PKEY_CTX_free (ctx);
  BN_clear_free (priv);
  return pkey;
}

gboolean
softfido2_shared_secret (gnutls_privkey_t ours,
                         const guint8     peer_x[32],
                         const guint8     peer_y[32],
                         guint8           out[32])
{
  guint8 k[32], x[32], y[32], z[32];
  size_t z_len = sizeof z;
  EVP_PKEY *own = NULL, *peer = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  gboolean ok = FALSE;

  if (softfido2_p256_export (ours, k, x, y) &&
      (own = ossl_p256 (k, x, y)) != NULL &&
      (peer = ossl_p256 (NULL, peer_x, peer_y)) != NULL &&
      (ctx = EVP_PKEY_CTX_new (own, NULL)) != NULL &&
      EVP_PKEY_derive_init (ctx) > 0 &&
      EVP_PKEY_derive_set_peer (ctx, peer) > 0 &&   /* checks the point is on the curve */
      EVP_PKEY_derive (ctx, z, &z_len) > 0 && z_len == 32)
    {
      softfido2_sha256 (z, 32, out);
      ok = TRUE;
    }
  gnutls_memset (k, 0, sizeof k);
  gnutls_memset (z, 0, sizeof z);
  EVP_PKEY_CTX_free (ctx);
  EVP_PKEY_free (own);
  EVP_PKEY_free (peer);
  return ok;
}

static void
wrap_key (SoftFido2 *self,
          guint8     out[32])
{
  guint8 material[32 + 16];

  memcpy (material, self->seed, 32);
  memcpy (material + 32, "credential-wrap!", 16);
  softfido2_sha256 (material, sizeof material, out);
  gnutls_memset (material, 0, sizeof material);
}

static gnutls_aead_cipher_hd_t
wrap_cipher (SoftFido2 *self)
{
  guint8 key[32];
  gnutls_datum_t k = { key, 32 };
  gnutls_aead_cipher_hd_t h = NULL;

  wrap_key (self, key);
  if (gnutls_aead_cipher_init (&h, GNUTLS_CIPHER_AES_256_GCM, &k) < 0)
    h = NULL;
  gnutls_memset (key, 0, sizeof key);
  return h;
}

GBytes *
softfido2_wrap_credential (SoftFido2       *self,
                           const guint8     rp_id_hash[32],
                           gnutls_privkey_t key,
                           guint8           cred_protect)
{
  guint8 plain[CRED_PLAIN_LEN], id[CRED_ID_LEN];
  size_t ct_len = CRED_PLAIN_LEN + CRED_TAG_LEN;
  gnutls_aead_cipher_hd_t h = wrap_cipher (self);
  gboolean ok;

  id[0] = CRED_ID_VERSION;
  ok = h != NULL && softfido2_p256_export (key, plain, plain + 32, plain + 64) &&
       gnutls_rnd (GNUTLS_RND_NONCE, id + 1, CRED_NONCE_LEN) == 0;
  plain[96] = cred_protect;
  ok = ok && gnutls_aead_cipher_encrypt (h, id + 1, CRED_NONCE_LEN, rp_id_hash, 32,
                                         CRED_TAG_LEN, plain, sizeof plain,
                                         id + 1 + CRED_NONCE_LEN, &ct_len) >= 0;
  gnutls_memset (plain, 0, sizeof plain);
  if (h != NULL)
    gnutls_aead_cipher_deinit (h);
  return ok ? g_bytes_new (id, sizeof id) : NULL;
}

gnutls_privkey_t
softfido2_unwrap_credential (SoftFido2    *self,
                             const guint8  rp_id_hash[32],
                             const guint8 *id,
                             gsize         id_len,
                             guint8       *cred_protect)
{
  guint8 plain[CRED_PLAIN_LEN];
  size_t plain_len = sizeof plain;
  gnutls_aead_cipher_hd_t h;
  gnutls_privkey_t key = NULL;

  if (id_len != CRED_ID_LEN || id[0] != CRED_ID_VERSION || (h = wrap_cipher (self)) == NULL)
    return NULL;
  /* Authentication fails for ids of another key, another seed or another rpId. */
  if (gnutls_aead_cipher_decrypt (h, id + 1, CRED_NONCE_LEN, rp_id_hash, 32, CRED_TAG_LEN,
                                  id + 1 + CRED_NONCE_LEN, id_len - 1 - CRED_NONCE_LEN,
                                  plain, &plain_len) >= 0 && plain_len == CRED_PLAIN_LEN)
    {
      key = softfido2_p256_import (plain, plain + 32, plain + 64);
      *cred_protect = plain[96];
    }
  gnutls_memset (plain, 0, sizeof plain);
  gnutls_aead_cipher_deinit (h);
  return key;
}

/* ---- batch attestation: a throw-away root and one attestation certificate ---------------- */

static gnutls_x509_crt_t
new_certificate (gnutls_privkey_t key,
                 const char      *dn,
                 guint8           serial,
                 gboolean         ca)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t pub = NULL;
  time_t now = time (NULL);
  const char *err = NULL;
  guint8 serial_bytes[1] = { serial };

  if (gnutls_x509_crt_init (&crt) < 0 || gnutls_pubkey_init (&pub) < 0 ||
      gnutls_pubkey_import_privkey (pub, key, 0, 0) < 0 ||
      gnutls_x509_crt_set_version (crt, 3) < 0 ||
      gnutls_x509_crt_set_serial (crt, serial_bytes, 1) < 0 ||
      gnutls_x509_crt_set_activation_time (crt, now - 3600) < 0 ||
      gnutls_x509_crt_set_expiration_time (crt, now + 10 * 365 * 86400) < 0 ||
      gnutls_x509_crt_set_dn (crt, dn, &err) < 0 ||
      gnutls_x509_crt_set_pubkey (crt, pub) < 0 ||
      gnutls_x509_crt_set_basic_constraints (crt, ca ? 1 : 0, -1) < 0 ||
      (ca && gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN) < 0))
    {
      gnutls_pubkey_deinit (pub);
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  gnutls_pubkey_deinit (pub);
  return crt;
}

static GBytes *
export_der (gnutls_x509_crt_t crt)
{
  gnutls_datum_t der = { 0 };
  GBytes *out;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) < 0)
    return NULL;
  out = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return out;
}

gboolean
softfido2_make_batch_attestation (SoftFido2 *self)
{
  gnutls_privkey_t root_key = softfido2_p256_generate ();
  gnutls_x509_crt_t root = NULL, batch = NULL;
  guint8 aaguid_ext[18] = { 0x04, 0x10 };  /* DER OCTET STRING of the AAGUID */
  gboolean ok = FALSE;

  self->batch_key = softfido2_p256_generate ();
  memcpy (aaguid_ext + 2, self->aaguid, 16);
  root = new_certificate (root_key, "CN=softfido2 test root,O=Hosterra Test,C=FR", 1, TRUE);
  batch = new_certificate (self->batch_key,
                           "CN=softfido2 batch,OU=Authenticator Attestation,O=Hosterra Test,C=FR",
                           2, FALSE);
  /* WebAuthn §8.2.1: the packed attestation certificate may name the AAGUID (not critical). */
  if (root != NULL && batch != NULL &&
      gnutls_x509_crt_set_extension_by_oid (batch, "1.3.6.1.4.1.45724.1.1.4", aaguid_ext,
                                            sizeof aaguid_ext, 0) >= 0 &&
      gnutls_x509_crt_privkey_sign (root, root, root_key, GNUTLS_DIG_SHA256, 0) >= 0 &&
      gnutls_x509_crt_privkey_sign (batch, root, root_key, GNUTLS_DIG_SHA256, 0) >= 0)
    {
      self->root_cert = export_der (root);
      self->batch_cert = export_der (batch);
      ok = self->root_cert != NULL && self->batch_cert != NULL;
    }
  gnutls_x509_crt_deinit (root);
  gnutls_x509_crt_deinit (batch);
  gnutls_privkey_deinit (root_key);
  return ok;
}
