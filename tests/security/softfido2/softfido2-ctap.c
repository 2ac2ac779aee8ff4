/* softfido2-ctap.c: the CTAP2 commands (CTAP 2.0 §5–6) of the software authenticator. */
#define G_LOG_DOMAIN "softfido2"

#include <string.h>
#include <gnutls/crypto.h>

#include "softfido2-private.h"

#define CMD_MAKE_CREDENTIAL 0x01
#define CMD_GET_ASSERTION 0x02
#define CMD_GET_INFO 0x04
#define CMD_CLIENT_PIN 0x06
#define CMD_GET_NEXT_ASSERTION 0x08
#define FLAG_UP 0x01
#define FLAG_UV 0x04
#define FLAG_AT 0x40
#define FLAG_ED 0x80

typedef struct {
  gnutls_privkey_t key;
  GBytes *id;
  guint8 cred_protect;
  SoftFido2Resident *resident;  /* not owned; NULL for a credential from the allow list */
} Candidate;

void
softfido2_resident_free (SoftFido2Resident *resident)
{
  g_bytes_unref (resident->credential_id);
  g_bytes_unref (resident->user_id);
  g_free (resident->user_name);
  g_free (resident->display_name);
  g_free (resident);
}

/* ---- CBOR helpers (map keys as 8-bit integers: libfido2 ignores wider ones) ----------- */

static cbor_item_t *
map_get (cbor_item_t *map,
         guint8       key)
{
  struct cbor_pair *pairs;

  if (map == NULL || !cbor_isa_map (map))
    return NULL;
  pairs = cbor_map_handle (map);
  for (size_t i = 0; i < cbor_map_size (map); i++)
    if (cbor_isa_uint (pairs[i].key) && cbor_get_int (pairs[i].key) == key)
      return pairs[i].value;
  return NULL;
}

static cbor_item_t *
map_get_str (cbor_item_t *map,
             const char  *key)
{
  struct cbor_pair *pairs;
  gsize len = strlen (key);

  if (map == NULL || !cbor_isa_map (map))
    return NULL;
  pairs = cbor_map_handle (map);
  for (size_t i = 0; i < cbor_map_size (map); i++)
    if (cbor_isa_string (pairs[i].key) && cbor_string_length (pairs[i].key) == len &&
        memcmp (cbor_string_handle (pairs[i].key), key, len) == 0)
      return pairs[i].value;
  return NULL;
}

static gboolean
get_bool (cbor_item_t *map,
          const char  *key,
          gboolean     fallback)
{
  cbor_item_t *v = map_get_str (map, key);

  return v != NULL && cbor_isa_float_ctrl (v) && cbor_is_bool (v) ? cbor_get_bool (v) : fallback;
}

static char *
get_text (cbor_item_t *map,
          const char  *key)
{
  cbor_item_t *v = map_get_str (map, key);

  if (v == NULL || !cbor_isa_string (v) || !cbor_string_is_definite (v))
    return NULL;
  return g_strndup ((const char *) cbor_string_handle (v), cbor_string_length (v));
}

static gboolean
is_bytes (cbor_item_t *v,
          gsize        len)
{
  return v != NULL && cbor_isa_bytestring (v) && cbor_bytestring_is_definite (v) &&
         (len == 0 || cbor_bytestring_length (v) == len);
}

/* The authenticator builds its answers with put() and push(), which hand the items to the map or
 * array. A failed add (libcbor out of memory, or more items than the definite size) would send a
 * truncated answer that a test could mistake for the app's fault: it stops the test instead. */
static void
put (cbor_item_t *map,
     cbor_item_t *key,
     cbor_item_t *value)
{
  if (map == NULL || key == NULL || value == NULL ||
      !cbor_map_add (map, (struct cbor_pair) { .key = key, .value = value }))
    g_error ("softfido2: could not add to a CBOR map");
  cbor_decref (&key);
  cbor_decref (&value);
}

static void
push (cbor_item_t *array,
      cbor_item_t *item)
{
  if (array == NULL || item == NULL || !cbor_array_push (array, item))
    g_error ("softfido2: could not add to a CBOR array");
  cbor_decref (&item);
}

static GByteArray *
serialize (cbor_item_t *item)
{
  unsigned char *buf = NULL;
  size_t size = 0, len = cbor_serialize_alloc (item, &buf, &size);
  GByteArray *out = g_byte_array_sized_new (len);

  g_byte_array_append (out, buf, len);
  free (buf);
  cbor_decref (&item);
  return out;
}

static SoftFido2Reply
reply (guint8       status,
       cbor_item_t *body,
       gboolean     needs_touch)
{
  return (SoftFido2Reply) { status, body != NULL ? serialize (body) : NULL, needs_touch };
}

static cbor_item_t *
cose_p256 (const guint8 x[32],
           const guint8 y[32],
           int          alg)
{
  cbor_item_t *key = cbor_new_definite_map (5);

  put (key, cbor_build_uint8 (1), cbor_build_uint8 (2));                 /* kty: EC2 */
  put (key, cbor_build_uint8 (3), cbor_build_negint8 ((guint8) (-1 - alg)));
  put (key, cbor_build_negint8 (0), cbor_build_uint8 (1));               /* crv: P-256 */
  put (key, cbor_build_negint8 (1), cbor_build_bytestring (x, 32));
  put (key, cbor_build_negint8 (2), cbor_build_bytestring (y, 32));
  return key;
}

/* ---- PIN protocol 1 --------------------------------------------------------------------- */

static void
regenerate_key_agreement (SoftFido2 *self)
{
  gnutls_privkey_deinit (self->key_agreement);
  self->key_agreement = softfido2_p256_generate ();
}

static gboolean
shared_secret_from (SoftFido2   *self,
                    cbor_item_t *cose,
                    guint8       shared[32])
{
  cbor_item_t *x = NULL, *y = NULL;
  struct cbor_pair *pairs;

  if (cose == NULL || !cbor_isa_map (cose))
    return FALSE;
  pairs = cbor_map_handle (cose);
  for (size_t i = 0; i < cbor_map_size (cose); i++)
    if (cbor_isa_negint (pairs[i].key))
      {
        if (cbor_get_int (pairs[i].key) == 1)
          x = pairs[i].value;
        else if (cbor_get_int (pairs[i].key) == 2)
          y = pairs[i].value;
      }
  if (!is_bytes (x, 32) || !is_bytes (y, 32))
    return FALSE;
  return softfido2_shared_secret (self->key_agreement, cbor_bytestring_handle (x),
                                  cbor_bytestring_handle (y), shared);
}

static gboolean
check_auth (const guint8 *key,
            gsize         key_len,
            const guint8 *data,
            gsize         len,
            cbor_item_t  *pin_auth)
{
  guint8 mac[32];

  if (!is_bytes (pin_auth, 16))
    return FALSE;
  softfido2_hmac_sha256 (key, key_len, data, len, mac);
  return gnutls_memcmp (mac, cbor_bytestring_handle (pin_auth), 16) == 0;
}

static SoftFido2Reply
pin_set_or_change (SoftFido2   *self,
                   cbor_item_t *req,
                   gboolean     change)
{
  cbor_item_t *new_pin_enc = map_get (req, 5), *pin_hash_enc = map_get (req, 6);
  guint8 shared[32], plain[64];
  g_autoptr(GByteArray) authed = g_byte_array_new ();
  gsize pin_len;

  if ((self->pin != NULL) != change)
    return reply (change ? CTAP2_ERR_PIN_NOT_SET : CTAP2_ERR_NOT_ALLOWED, NULL, FALSE);
  if (!is_bytes (new_pin_enc, 64) || (change && !is_bytes (pin_hash_enc, 16)))
    return reply (CTAP2_ERR_MISSING_PARAMETER, NULL, FALSE);
  if (!shared_secret_from (self, map_get (req, 3), shared))
    return reply (CTAP2_ERR_INVALID_CBOR, NULL, FALSE);
  g_byte_array_append (authed, cbor_bytestring_handle (new_pin_enc), 64);
  if (change)
    g_byte_array_append (authed, cbor_bytestring_handle (pin_hash_enc), 16);
  if (!check_auth (shared, 32, authed->data, authed->len, map_get (req, 4)))
    return reply (CTAP2_ERR_PIN_AUTH_INVALID, NULL, FALSE);
  if (change)
    {
      guint8 hash[32], given[16];

      softfido2_sha256 (self->pin, strlen (self->pin), hash);
      softfido2_aes_cbc (shared, FALSE, cbor_bytestring_handle (pin_hash_enc), given, 16);
      if (gnutls_memcmp (hash, given, 16) != 0)
        {
          self->pin_retries--;
          regenerate_key_agreement (self);
          return reply (CTAP2_ERR_PIN_INVALID, NULL, FALSE);
        }
    }
  softfido2_aes_cbc (shared, FALSE, cbor_bytestring_handle (new_pin_enc), plain, 64);
  pin_len = strnlen ((const char *) plain, 64);
  if (pin_len < 4 || pin_len > 63)
    return reply (CTAP2_ERR_PIN_POLICY_VIOLATION, NULL, FALSE);
  if (self->pin != NULL)
    gnutls_memset (self->pin, 0, strlen (self->pin));
  g_free (self->pin);
  self->pin = g_strndup ((const char *) plain, pin_len);
  self->pin_retries = SOFTFIDO2_PIN_RETRIES;
  self->pin_failures_in_a_row = 0;
  gnutls_memset (plain, 0, sizeof plain);
  gnutls_memset (shared, 0, sizeof shared);
  return reply (CTAP2_OK, NULL, FALSE);
}

static SoftFido2Reply
pin_get_token (SoftFido2   *self,
               cbor_item_t *req)
{
  cbor_item_t *pin_hash_enc = map_get (req, 6), *answer;
  guint8 shared[32], given[16], hash[32], token_enc[32];

  if (self->pin == NULL)
    return reply (CTAP2_ERR_PIN_NOT_SET, NULL, FALSE);
  if (self->pin_retries == 0)
    return reply (CTAP2_ERR_PIN_BLOCKED, NULL, FALSE);
  if (self->pin_failures_in_a_row >= 3)
    return reply (CTAP2_ERR_PIN_AUTH_BLOCKED, NULL, FALSE);
  if (!is_bytes (pin_hash_enc, 16))
    return reply (CTAP2_ERR_MISSING_PARAMETER, NULL, FALSE);
  if (!shared_secret_from (self, map_get (req, 3), shared))
    return reply (CTAP2_ERR_INVALID_CBOR, NULL, FALSE);

  self->pin_retries--;
  softfido2_aes_cbc (shared, FALSE, cbor_bytestring_handle (pin_hash_enc), given, 16);
  softfido2_sha256 (self->pin, strlen (self->pin), hash);
  if (gnutls_memcmp (hash, given, 16) != 0)
    {
      self->pin_failures_in_a_row++;
      regenerate_key_agreement (self);
      if (self->pin_retries == 0)
        return reply (CTAP2_ERR_PIN_BLOCKED, NULL, FALSE);
      if (self->pin_failures_in_a_row >= 3)
        return reply (CTAP2_ERR_PIN_AUTH_BLOCKED, NULL, FALSE);
      return reply (CTAP2_ERR_PIN_INVALID, NULL, FALSE);
    }
  self->pin_retries = SOFTFIDO2_PIN_RETRIES;
  self->pin_failures_in_a_row = 0;
  softfido2_aes_cbc (shared, TRUE, self->pin_token, token_enc, 32);
  answer = cbor_new_definite_map (1);
  put (answer, cbor_build_uint8 (2), cbor_build_bytestring (token_enc, 32));
  gnutls_memset (shared, 0, sizeof shared);
  return reply (CTAP2_OK, answer, FALSE);
}

static SoftFido2Reply
client_pin (SoftFido2   *self,
            cbor_item_t *req)
{
  cbor_item_t *protocol = map_get (req, 1), *sub = map_get (req, 2), *answer;
  guint8 x[32], y[32];

  if (protocol == NULL || !cbor_isa_uint (protocol) || cbor_get_int (protocol) != 1 ||
      sub == NULL || !cbor_isa_uint (sub))
    return reply (CTAP2_ERR_MISSING_PARAMETER, NULL, FALSE);
  switch (cbor_get_int (sub))
    {
    case 1: /* getRetries */
      answer = cbor_new_definite_map (1);
      put (answer, cbor_build_uint8 (3), cbor_build_uint8 ((guint8) self->pin_retries));
      return reply (CTAP2_OK, answer, FALSE);
    case 2: /* getKeyAgreement: COSE alg -25, ECDH-ES + HKDF-256 */
      softfido2_p256_export (self->key_agreement, NULL, x, y);
      answer = cbor_new_definite_map (1);
      put (answer, cbor_build_uint8 (1), cose_p256 (x, y, -25));
      return reply (CTAP2_OK, answer, FALSE);
    case 3:
      return pin_set_or_change (self, req, FALSE);
    case 4:
      return pin_set_or_change (self, req, TRUE);
    case 5:
      return pin_get_token (self, req);
    default:
      return reply (CTAP1_ERR_INVALID_COMMAND, NULL, FALSE);
    }
}

/* pinAuth of makeCredential/getAssertion: absent, the empty touch probe, or a MAC of cdh. */
static int
check_pin_auth (SoftFido2   *self,
                cbor_item_t *pin_auth,
                cbor_item_t *protocol,
                cbor_item_t *cdh,
                gboolean    *uv)
{
  *uv = FALSE;
  if (pin_auth == NULL)
    return CTAP2_OK;
  if (self->pin == NULL)
    return CTAP2_ERR_PIN_NOT_SET;
  if (protocol == NULL || !cbor_isa_uint (protocol) || cbor_get_int (protocol) != 1)
    return CTAP2_ERR_PIN_AUTH_INVALID;
  if (!check_auth (self->pin_token, sizeof self->pin_token, cbor_bytestring_handle (cdh), 32,
                   pin_auth))
    return CTAP2_ERR_PIN_AUTH_INVALID;
  *uv = TRUE;
  return CTAP2_OK;
}

/* ---- makeCredential --------------------------------------------------------------------- */

static gboolean
offers_es256 (cbor_item_t *params)
{
  if (params == NULL || !cbor_isa_array (params))
    return FALSE;
  for (size_t i = 0; i < cbor_array_size (params); i++)
    {
      cbor_item_t *alg = map_get_str (cbor_array_handle (params)[i], "alg");

      if (alg != NULL && cbor_isa_negint (alg) && cbor_get_int (alg) == 6)
        return TRUE;
    }
  return FALSE;
}

static gboolean
excluded (SoftFido2    *self,
          cbor_item_t  *list,
          const guint8  rp_hash[32])
{
  if (list == NULL || !cbor_isa_array (list))
    return FALSE;
  for (size_t i = 0; i < cbor_array_size (list); i++)
    {
      cbor_item_t *desc = cbor_array_handle (list)[i];
      cbor_item_t *id = map_get_str (desc, "id");
      guint8 prot;
      gnutls_privkey_t key;

      if (!is_bytes (id, 0))
        continue;
      key = softfido2_unwrap_credential (self, rp_hash, cbor_bytestring_handle (id),
                                         cbor_bytestring_length (id), &prot);
      if (key != NULL)
        {
          gnutls_privkey_deinit (key);
          return TRUE;
        }
    }
  return FALSE;
}

static void
append_be32 (GByteArray *out,
             guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static GByteArray *
sign_with_cdh (SoftFido2        *self,
               gnutls_privkey_t  key,
               GByteArray       *auth_data,
               cbor_item_t      *cdh)
{
  g_autoptr(GByteArray) signed_data = g_byte_array_new ();
  GByteArray *sig;

  g_byte_array_append (signed_data, auth_data->data, auth_data->len);
  g_byte_array_append (signed_data, cbor_bytestring_handle (cdh), 32);
  sig = softfido2_sign (key, signed_data->data, signed_data->len);
  if (sig != NULL && (self->tamper & SOFTFIDO2_TAMPER_SIGNATURE))
    sig->data[sig->len / 2] ^= 0x01;
  return sig;
}

static GByteArray *
auth_data_header (SoftFido2    *self,
                  const guint8  rp_hash[32],
                  guint8        flags)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, rp_hash, 32);
  if (self->tamper & SOFTFIDO2_TAMPER_RP_ID_HASH)
    out->data[0] ^= 0x80;
  if (self->tamper & SOFTFIDO2_TAMPER_NO_UP)
    flags &= ~FLAG_UP;
  g_byte_array_append (out, &flags, 1);
  append_be32 (out, ++self->counter);
  return out;
}

static void
store_resident (SoftFido2    *self,
                const guint8  rp_hash[32],
                GBytes       *id,
                cbor_item_t  *user)
{
  SoftFido2Resident *r = g_new0 (SoftFido2Resident, 1);
  cbor_item_t *uid = map_get_str (user, "id");

  memcpy (r->rp_id_hash, rp_hash, 32);
  r->credential_id = g_bytes_ref (id);
  r->user_id = g_bytes_new (cbor_bytestring_handle (uid), cbor_bytestring_length (uid));
  r->user_name = get_text (user, "name");
  r->display_name = get_text (user, "displayName");
  /* One credential per account and site, as real keys do: a new one replaces the old. */
  for (guint i = 0; i < self->residents->len; i++)
    {
      SoftFido2Resident *old = self->residents->pdata[i];
      if (memcmp (old->rp_id_hash, rp_hash, 32) == 0 && g_bytes_equal (old->user_id, r->user_id))
        {
          g_ptr_array_remove_index (self->residents, i);
          break;
        }
    }
  g_ptr_array_add (self->residents, r);
}

static SoftFido2Reply
make_credential (SoftFido2   *self,
                 cbor_item_t *req)
{
  cbor_item_t *cdh = map_get (req, 1), *rp = map_get (req, 2), *user = map_get (req, 3);
  cbor_item_t *ext = map_get (req, 6), *opts = map_get (req, 7), *pin_auth = map_get (req, 8);
  cbor_item_t *prot_item = map_get_str (ext, "credProtect"), *answer, *stmt;
  g_autofree char *rp_id = get_text (rp, "id");
  guint8 rp_hash[32], x[32], y[32], prot = 0, flags = FLAG_UP | FLAG_AT, status;
  gboolean uv, rk = get_bool (opts, "rk", FALSE);
  gnutls_privkey_t key;
  g_autoptr(GBytes) id = NULL;
  g_autoptr(GByteArray) auth_data = NULL;
  GByteArray *sig;

  if (!is_bytes (cdh, 32) || rp_id == NULL || user == NULL ||
      !is_bytes (map_get_str (user, "id"), 0) || map_get (req, 4) == NULL)
    return reply (CTAP2_ERR_MISSING_PARAMETER, NULL, FALSE);
  /* The touch probe of fido_dev_get_touch_begin: an empty pinAuth. */
  if (is_bytes (pin_auth, 0) && cbor_bytestring_length (pin_auth) == 0)
    return reply (self->pin != NULL ? CTAP2_ERR_PIN_INVALID : CTAP2_ERR_PIN_NOT_SET, NULL, TRUE);
  if (!offers_es256 (map_get (req, 4)))
    return reply (CTAP2_ERR_UNSUPPORTED_ALGORITHM, NULL, FALSE);
  softfido2_sha256 (rp_id, strlen (rp_id), rp_hash);
  if (excluded (self, map_get (req, 5), rp_hash))
    return reply (CTAP2_ERR_CREDENTIAL_EXCLUDED, NULL, TRUE);
  if (get_bool (opts, "uv", FALSE))
    return reply (CTAP2_ERR_UNSUPPORTED_OPTION, NULL, FALSE);   /* no built-in UV, PIN only */
  status = check_pin_auth (self, pin_auth, map_get (req, 9), cdh, &uv);
  if (status != CTAP2_OK)
    return reply (status, NULL, FALSE);
  if (pin_auth == NULL && self->pin != NULL)
    return reply (CTAP2_ERR_PIN_REQUIRED, NULL, FALSE);
  if (prot_item != NULL && cbor_isa_uint (prot_item) && cbor_get_int (prot_item) >= 1 &&
      cbor_get_int (prot_item) <= 3)
    prot = (guint8) cbor_get_int (prot_item);

  key = softfido2_p256_generate ();
  id = softfido2_wrap_credential (self, rp_hash, key, prot);
  softfido2_p256_export (key, NULL, x, y);
  flags |= (uv ? FLAG_UV : 0) | (prot ? FLAG_ED : 0);
  auth_data = auth_data_header (self, rp_hash, flags);
  g_byte_array_append (auth_data, self->aaguid, 16);
  g_byte_array_append (auth_data, (guint8[]) { 0, (guint8) g_bytes_get_size (id) }, 2);
  g_byte_array_append (auth_data, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
  {
    g_autoptr(GByteArray) cose = serialize (cose_p256 (x, y, -7));
    g_byte_array_append (auth_data, cose->data, cose->len);
  }
  if (prot)
    {
      cbor_item_t *e = cbor_new_definite_map (1);
      g_autoptr(GByteArray) ext_bytes = NULL;

      put (e, cbor_build_string ("credProtect"), cbor_build_uint8 (prot));
      ext_bytes = serialize (e);
      g_byte_array_append (auth_data, ext_bytes->data, ext_bytes->len);
    }
  /* Packed attestation: the batch key signs authData ‖ clientDataHash, or, for self
   * attestation, the credential's own key. */
  sig = sign_with_cdh (self, self->batch ? self->batch_key : key, auth_data, cdh);
  gnutls_privkey_deinit (key);
  if (rk)
    store_resident (self, rp_hash, id, user);

  stmt = cbor_new_definite_map (3);
  put (stmt, cbor_build_string ("alg"), cbor_build_negint8 (6));
  put (stmt, cbor_build_string ("sig"), cbor_build_bytestring (sig->data, sig->len));
  if (self->batch)
    {
      cbor_item_t *x5c = cbor_new_definite_array (1);

      push (x5c, cbor_build_bytestring (g_bytes_get_data (self->batch_cert, NULL),
                                        g_bytes_get_size (self->batch_cert)));
      put (stmt, cbor_build_string ("x5c"), x5c);
    }
  g_byte_array_unref (sig);
  answer = cbor_new_definite_map (3);
  put (answer, cbor_build_uint8 (1), cbor_build_string ("packed"));
  put (answer, cbor_build_uint8 (2), cbor_build_bytestring (auth_data->data, auth_data->len));
  put (answer, cbor_build_uint8 (3), stmt);
  return reply (CTAP2_OK, answer, TRUE);
}

/* ---- getAssertion ----------------------------------------------------------------------- */

static void
candidates_free (GArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);
      gnutls_privkey_deinit (c->key);
      g_bytes_unref (c->id);
    }
  g_array_unref (candidates);
}

static void
add_candidate (SoftFido2         *self,
               GArray            *out,
               const guint8       rp_hash[32],
               GBytes            *id,
               SoftFido2Resident *resident,
               gboolean           uv,
               gboolean           listed)
{
  guint8 prot = 0;
  gsize len;
  const guint8 *data = g_bytes_get_data (id, &len);
  gnutls_privkey_t key = softfido2_unwrap_credential (self, rp_hash, data, len, &prot);
  Candidate c = { key, NULL, prot, resident };

  if (key == NULL)
    return;
  /* credProtect: 2 hides the credential from discovery without UV, 3 always needs UV. */
  if ((prot == 3 && !uv) || (prot == 2 && !uv && !listed))
    {
      gnutls_privkey_deinit (key);
      return;
    }
  c.id = g_bytes_ref (id);
  g_array_append_val (out, c);
}

static GArray *
find_candidates (SoftFido2    *self,
                 cbor_item_t  *allow,
                 const guint8  rp_hash[32],
                 gboolean      uv)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Candidate));

  if (allow != NULL && cbor_isa_array (allow) && cbor_array_size (allow) > 0)
    {
      for (size_t i = 0; i < cbor_array_size (allow); i++)
        {
          cbor_item_t *id = map_get_str (cbor_array_handle (allow)[i], "id");
          g_autoptr(GBytes) bytes = NULL;
          SoftFido2Resident *resident = NULL;

          if (!is_bytes (id, 0))
            continue;
          bytes = g_bytes_new (cbor_bytestring_handle (id), cbor_bytestring_length (id));
          for (guint j = 0; j < self->residents->len && resident == NULL; j++)
            if (g_bytes_equal (((SoftFido2Resident *) self->residents->pdata[j])->credential_id, bytes))
              resident = self->residents->pdata[j];
          add_candidate (self, out, rp_hash, bytes, resident, uv, TRUE);
        }
      return out;
    }
  /* Newest first, as keys list discoverable credentials. */
  for (guint j = self->residents->len; j > 0; j--)
    {
      SoftFido2Resident *r = self->residents->pdata[j - 1];
      if (memcmp (r->rp_id_hash, rp_hash, 32) == 0)
        add_candidate (self, out, rp_hash, r->credential_id, r, uv, FALSE);
    }
  return out;
}

static GByteArray *
assertion_body (SoftFido2    *self,
                Candidate    *c,
                const guint8  rp_hash[32],
                guint8        flags,
                cbor_item_t  *cdh,
                guint         count)
{
  cbor_item_t *answer = cbor_new_definite_map (5), *cred = cbor_new_definite_map (2);
  g_autoptr(GByteArray) auth_data = auth_data_header (self, rp_hash, flags);
  g_autoptr(GByteArray) sig = sign_with_cdh (self, c->key, auth_data, cdh);
  gsize id_len;
  const guint8 *id = g_bytes_get_data (c->id, &id_len);
  g_autofree guint8 *id_copy = g_memdup2 (id, id_len);

  if (self->tamper & SOFTFIDO2_TAMPER_CREDENTIAL_ID)
    id_copy[id_len - 1] ^= 0x01;
  put (cred, cbor_build_string ("id"), cbor_build_bytestring (id_copy, id_len));
  put (cred, cbor_build_string ("type"), cbor_build_string ("public-key"));
  put (answer, cbor_build_uint8 (1), cred);
  put (answer, cbor_build_uint8 (2), cbor_build_bytestring (auth_data->data, auth_data->len));
  put (answer, cbor_build_uint8 (3), cbor_build_bytestring (sig->data, sig->len));
  if (c->resident != NULL)
    {
      /* CTAP 2.0: the user's name only with UV; the id (userHandle) always. */
      gboolean names = (flags & FLAG_UV) && c->resident->user_name != NULL;
      cbor_item_t *user = cbor_new_definite_map (3);

      put (user, cbor_build_string ("id"),
           cbor_build_bytestring (g_bytes_get_data (c->resident->user_id, NULL),
                                  g_bytes_get_size (c->resident->user_id)));
      if (names)
        put (user, cbor_build_string ("name"), cbor_build_string (c->resident->user_name));
      if (names && c->resident->display_name != NULL)
        put (user, cbor_build_string ("displayName"),
             cbor_build_string (c->resident->display_name));
      put (answer, cbor_build_uint8 (4), user);
    }
  if (count > 1)
    put (answer, cbor_build_uint8 (5), cbor_build_uint8 ((guint8) count));
  return serialize (answer);
}

static SoftFido2Reply
get_assertion (SoftFido2   *self,
               cbor_item_t *req)
{
  cbor_item_t *rp = map_get (req, 1), *cdh = map_get (req, 2), *opts = map_get (req, 5);
  cbor_item_t *pin_auth = map_get (req, 6);
  g_autofree char *rp_id = NULL;
  guint8 rp_hash[32], flags = 0, status;
  gboolean uv, up = get_bool (opts, "up", TRUE);
  GArray *candidates;
  SoftFido2Reply result;

  if (rp == NULL || !cbor_isa_string (rp) || !is_bytes (cdh, 32))
    return reply (CTAP2_ERR_MISSING_PARAMETER, NULL, FALSE);
  rp_id = g_strndup ((const char *) cbor_string_handle (rp), cbor_string_length (rp));
  if (is_bytes (pin_auth, 0) && cbor_bytestring_length (pin_auth) == 0)
    return reply (self->pin != NULL ? CTAP2_ERR_PIN_INVALID : CTAP2_ERR_PIN_NOT_SET, NULL, TRUE);
  if (get_bool (opts, "uv", FALSE))
    return reply (CTAP2_ERR_UNSUPPORTED_OPTION, NULL, FALSE);
  status = check_pin_auth (self, pin_auth, map_get (req, 7), cdh, &uv);
  if (status != CTAP2_OK)
    return reply (status, NULL, FALSE);

  softfido2_sha256 (rp_id, strlen (rp_id), rp_hash);
  candidates = find_candidates (self, map_get (req, 3), rp_hash, uv);
  if (candidates->len == 0)
    {
      candidates_free (candidates);
      return reply (CTAP2_ERR_NO_CREDENTIALS, NULL, FALSE);
    }
  flags = (up ? FLAG_UP : 0) | (uv ? FLAG_UV : 0);
  g_queue_clear_full (&self->next_assertions, (GDestroyNotify) g_byte_array_unref);
  result = (SoftFido2Reply) { CTAP2_OK, NULL, up };
  /* With an allow list the key answers with one credential; discovery lists them all. */
  {
    gboolean listed = map_get (req, 3) != NULL && cbor_array_size (map_get (req, 3)) > 0;
    guint count = listed ? 1 : candidates->len;

    for (guint i = 0; i < count; i++)
      {
        GByteArray *body = assertion_body (self, &g_array_index (candidates, Candidate, i),
                                           rp_hash, flags, cdh, i == 0 ? count : 0);
        if (i == 0)
          result.body = body;
        else
          g_queue_push_tail (&self->next_assertions, body);
      }
  }
  candidates_free (candidates);
  return result;
}

/* ---- getInfo and dispatch --------------------------------------------------------------- */

static SoftFido2Reply
get_info (SoftFido2 *self)
{
  cbor_item_t *info = cbor_new_definite_map (6), *versions = cbor_new_definite_array (1);
  cbor_item_t *exts = cbor_new_definite_array (1), *opts = cbor_new_definite_map (4);
  cbor_item_t *protocols = cbor_new_definite_array (1);

  push (versions, cbor_build_string ("FIDO_2_0"));
  push (exts, cbor_build_string ("credProtect"));
  put (opts, cbor_build_string ("rk"), cbor_build_bool (true));
  put (opts, cbor_build_string ("up"), cbor_build_bool (true));
  put (opts, cbor_build_string ("plat"), cbor_build_bool (false));
  put (opts, cbor_build_string ("clientPin"), cbor_build_bool (self->pin != NULL));
  push (protocols, cbor_build_uint8 (1));
  put (info, cbor_build_uint8 (1), versions);
  put (info, cbor_build_uint8 (2), exts);
  put (info, cbor_build_uint8 (3), cbor_build_bytestring (self->aaguid, 16));
  put (info, cbor_build_uint8 (4), opts);
  put (info, cbor_build_uint8 (5), cbor_build_uint16 (1200));
  put (info, cbor_build_uint8 (6), protocols);
  return reply (CTAP2_OK, info, FALSE);
}

SoftFido2Reply
softfido2_ctap_dispatch (SoftFido2    *self,
                         guint8        command,
                         const guint8 *req,
                         gsize         req_len)
{
  struct cbor_load_result result;
  cbor_item_t *map = NULL;
  SoftFido2Reply out;

  if (command == CMD_GET_INFO)
    return get_info (self);
  if (command == CMD_GET_NEXT_ASSERTION)
    {
      GByteArray *body = g_queue_pop_head (&self->next_assertions);
      return (SoftFido2Reply) { body ? CTAP2_OK : CTAP2_ERR_NOT_ALLOWED, body, FALSE };
    }
  if (req_len > 0)
    map = cbor_load (req, req_len, &result);
  if (map == NULL || !cbor_isa_map (map))
    {
      if (map != NULL)
        cbor_decref (&map);
      return reply (CTAP2_ERR_INVALID_CBOR, NULL, FALSE);
    }
  switch (command)
    {
    case CMD_MAKE_CREDENTIAL:
      out = make_credential (self, map);
      break;
    case CMD_GET_ASSERTION:
      out = get_assertion (self, map);
      break;
    case CMD_CLIENT_PIN:
      out = client_pin (self, map);
      break;
    default:
      out = reply (CTAP1_ERR_INVALID_COMMAND, NULL, FALSE);
      break;
    }
  cbor_decref (&map);
  return out;
}
