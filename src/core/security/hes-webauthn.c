/* hes-webauthn.c: parsing mailcow's WebAuthn options and building what it expects back. */
#define G_LOG_DOMAIN "hes-webauthn"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <cbor.h>

#include "hes-fido2-error.h"
#include "hes-webauthn.h"

#define BINARY_PREFIX "=?BINARY?B?"
#define BINARY_SUFFIX "?="
#define COSE_ES256 (-7)
#define MIN_CHALLENGE_LEN 16
#define MAX_USER_ID_LEN 64
#define MAX_CREDENTIAL_ID_LEN 1023

/* One sentence for the customer; @why goes to the debug log only (it never holds values). */
static gboolean
malformed (GError    **error,
           const char *why)
{
  g_debug ("Unusable WebAuthn options: %s", why);
  g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_MALFORMED_OPTIONS,
                       _("The server sent a security key request that cannot be used; please try again later."));
  return FALSE;
}

static gboolean
is_base64_text (const char *s,
                gsize       len,
                gboolean    url)
{
  gsize data_len = len;

  while (data_len > 0 && s[data_len - 1] == '=' && !url && len - data_len < 2)
    data_len--;
  if (!url && len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < data_len; i++)
    {
      char c = s[i];
      if (!g_ascii_isalnum (c) && c != (url ? '-' : '+') && c != (url ? '_' : '/'))
        return FALSE;
    }
  return data_len > 0 && (!url || len % 4 != 1);
}

/* "=?BINARY?B?<std base64>?=" (mailcow) or plain base64url (the WebAuthn JSON form). */
static GBytes *
decode_binary (const char *text)
{
  gsize len = strlen (text), out_len = 0;
  g_autofree char *b64 = NULL;
  guchar *data;

  if (g_str_has_prefix (text, BINARY_PREFIX) && g_str_has_suffix (text, BINARY_SUFFIX) &&
      len >= strlen (BINARY_PREFIX) + strlen (BINARY_SUFFIX))
    {
      const char *start = text + strlen (BINARY_PREFIX);
      gsize n = len - strlen (BINARY_PREFIX) - strlen (BINARY_SUFFIX);

      if (!is_base64_text (start, n, FALSE))
        return NULL;
      b64 = g_strndup (start, n);
    }
  else
    {
      if (!is_base64_text (text, len, TRUE))
        return NULL;
      b64 = g_strdup (text);
      g_strdelimit (b64, "-", '+');
      g_strdelimit (b64, "_", '/');
      while (strlen (b64) % 4 != 0)
        {
          char *padded = g_strconcat (b64, "=", NULL);
          g_free (b64);
          b64 = padded;
        }
    }
  data = g_base64_decode (b64, &out_len);
  return g_bytes_new_take (data, out_len);
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static GBytes *
get_binary (JsonObject *obj,
            const char *name,
            gsize       min_len,
            gsize       max_len)
{
  const char *text = get_string (obj, name);
  GBytes *bytes = text != NULL ? decode_binary (text) : NULL;

  if (bytes != NULL &&
      (g_bytes_get_size (bytes) < min_len || g_bytes_get_size (bytes) > max_len))
    g_clear_pointer (&bytes, g_bytes_unref);
  return bytes;
}

static gboolean
rp_id_fits_host (const char *rp_id,
                 const char *host)
{
  g_autofree char *rp = g_ascii_strdown (rp_id, -1);
  g_autofree char *h = g_ascii_strdown (host, -1);
  gsize rp_len = strlen (rp), h_len = strlen (h);

  for (const char *p = rp; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  if (rp_len == 0 || rp[0] == '.')
    return FALSE;
  if (g_str_equal (rp, h))
    return TRUE;
  /* A parent domain: "example.org" for "mail.example.org", with a dot boundary. */
  return h_len > rp_len + 1 && g_str_has_suffix (h, rp) && h[h_len - rp_len - 1] == '.';
}

static gboolean
parse_credential_list (JsonObject         *pk,
                       const char         *name,
                       HesWebauthnOptions *self)
{
  JsonNode *node = json_object_get_member (pk, name);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *cred = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *type = get_string (cred, "type");
      GBytes *id = get_binary (cred, "id", 1, MAX_CREDENTIAL_ID_LEN);

      if (id == NULL || (type != NULL && !g_str_equal (type, "public-key")))
        {
          g_clear_pointer (&id, g_bytes_unref);
          return FALSE;
        }
      g_ptr_array_add (self->credential_ids, id);
    }
  return TRUE;
}

static gboolean
parse_user_verification (const char    *text,
                         HesWebauthnUv *uv)
{
  if (text == NULL || g_str_equal (text, "preferred"))
    *uv = HES_WEBAUTHN_UV_PREFERRED;
  else if (g_str_equal (text, "required"))
    *uv = HES_WEBAUTHN_UV_REQUIRED;
  else if (g_str_equal (text, "discouraged"))
    *uv = HES_WEBAUTHN_UV_DISCOURAGED;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_timeout (JsonObject *pk,
               guint      *timeout_ms)
{
  JsonNode *node = json_object_get_member (pk, "timeout");
  gdouble value;

  *timeout_ms = 30000;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  value = json_node_get_double (node);
  /* Keep the budget sensible whatever the server says: 10 s to 10 min. */
  *timeout_ms = (guint) CLAMP (value, 10000.0, 600000.0);
  return TRUE;
}

static gboolean
offers_es256 (JsonObject *pk)
{
  JsonNode *node = json_object_get_member (pk, "pubKeyCredParams");
  JsonArray *params;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  params = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (params); i++)
    {
      JsonNode *item = json_array_get_element (params, i);
      JsonObject *param = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *alg = param != NULL ? json_object_get_member (param, "alg") : NULL;

      if (alg != NULL && JSON_NODE_HOLDS_VALUE (alg) &&
          json_node_get_value_type (alg) == G_TYPE_INT64 && json_node_get_int (alg) == COSE_ES256)
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_creation (JsonObject         *pk,
                HesWebauthnOptions *self,
                GError            **error)
{
  JsonObject *rp = get_object (pk, "rp");
  JsonObject *user = get_object (pk, "user");
  JsonObject *selection = get_object (pk, "authenticatorSelection");
  const char *resident;

  if (rp == NULL || get_string (rp, "id") == NULL)
    return malformed (error, "rp.id");
  self->rp_id = g_strdup (get_string (rp, "id"));
  self->rp_name = g_strdup (get_string (rp, "name") ? get_string (rp, "name") : self->rp_id);
  if (user == NULL || get_string (user, "name") == NULL)
    return malformed (error, "user");
  self->user_id = get_binary (user, "id", 1, MAX_USER_ID_LEN);
  if (self->user_id == NULL)
    return malformed (error, "user.id");
  self->user_name = g_strdup (get_string (user, "name"));
  self->user_display_name = g_strdup (get_string (user, "displayName") ?
                                      get_string (user, "displayName") : self->user_name);
  if (!parse_credential_list (pk, "excludeCredentials", self))
    return malformed (error, "excludeCredentials");
  if (selection != NULL)
    {
      JsonNode *rrk = json_object_get_member (selection, "requireResidentKey");

      if (rrk != NULL && JSON_NODE_HOLDS_VALUE (rrk) &&
          json_node_get_value_type (rrk) == G_TYPE_BOOLEAN)
        self->resident_key = json_node_get_boolean (rrk);
      resident = get_string (selection, "residentKey");
      if (resident != NULL && g_str_equal (resident, "required"))
        self->resident_key = TRUE;
      if (!parse_user_verification (get_string (selection, "userVerification"),
                                    &self->user_verification))
        return malformed (error, "userVerification");
    }
  if (!offers_es256 (pk))
    {
      g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_UNSUPPORTED,
                           _("The server asks for a kind of security key this app cannot register."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_request (JsonObject         *pk,
               HesWebauthnOptions *self,
               const char         *host,
               GError            **error)
{
  JsonNode *rp_node = json_object_get_member (pk, "rpId");

  if (rp_node != NULL && get_string (pk, "rpId") == NULL)
    return malformed (error, "rpId");
  /* Without rpId, WebAuthn uses the origin's host. */
  self->rp_id = g_strdup (rp_node != NULL ? get_string (pk, "rpId") : host);
  if (!parse_credential_list (pk, "allowCredentials", self))
    return malformed (error, "allowCredentials");
  if (!parse_user_verification (get_string (pk, "userVerification"), &self->user_verification))
    return malformed (error, "userVerification");
  return TRUE;
}

static gboolean
parse_options (HesWebauthnOptions *self,
               JsonNode           *root,
               const char         *host,
               GError            **error)
{
  JsonObject *pk;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, "not an object");
  pk = json_node_get_object (root);
  if (get_object (pk, "publicKey") != NULL)
    pk = get_object (pk, "publicKey");

  self->challenge = get_binary (pk, "challenge", MIN_CHALLENGE_LEN, 1024);
  if (self->challenge == NULL)
    return malformed (error, "challenge");
  if (!parse_timeout (pk, &self->timeout_ms))
    return malformed (error, "timeout");
  if (self->ceremony == HES_WEBAUTHN_CREATE ? !parse_creation (pk, self, error)
                                            : !parse_request (pk, self, host, error))
    return FALSE;
  /* Never let a server make the key sign for a site other than itself. */
  if (!rp_id_fits_host (self->rp_id, host))
    return malformed (error, "rpId does not belong to the server's host");
  return TRUE;
}

HesWebauthnOptions *
hes_webauthn_options_parse (JsonNode            *root,
                            HesWebauthnCeremony  ceremony,
                            const char          *host,
                            GError             **error)
{
  g_autoptr(HesWebauthnOptions) self = g_new0 (HesWebauthnOptions, 1);

  g_return_val_if_fail (host != NULL, NULL);

  self->ceremony = ceremony;
  self->credential_ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  if (!parse_options (self, root, host, error))
    return NULL;
  return g_steal_pointer (&self);
}

HesWebauthnOptions *
hes_webauthn_options_copy (const HesWebauthnOptions *self)
{
  HesWebauthnOptions *copy = g_new0 (HesWebauthnOptions, 1);

  *copy = *self;
  copy->rp_id = g_strdup (self->rp_id);
  copy->rp_name = g_strdup (self->rp_name);
  copy->user_id = self->user_id ? g_bytes_ref (self->user_id) : NULL;
  copy->user_name = g_strdup (self->user_name);
  copy->user_display_name = g_strdup (self->user_display_name);
  copy->challenge = g_bytes_ref (self->challenge);
  copy->credential_ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < self->credential_ids->len; i++)
    g_ptr_array_add (copy->credential_ids, g_bytes_ref (self->credential_ids->pdata[i]));
  return copy;
}

void
hes_webauthn_options_free (HesWebauthnOptions *self)
{
  if (self == NULL)
    return;
  g_free (self->rp_id);
  g_free (self->rp_name);
  g_clear_pointer (&self->user_id, g_bytes_unref);
  g_free (self->user_name);
  g_free (self->user_display_name);
  g_clear_pointer (&self->challenge, g_bytes_unref);
  g_clear_pointer (&self->credential_ids, g_ptr_array_unref);
  g_free (self);
}

char *
hes_webauthn_origin_from_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  port = g_uri_get_port (uri);
  if (port <= 0 || port == 443)
    return g_strdup_printf ("https://%s", g_uri_get_host (uri));
  return g_strdup_printf ("https://%s:%d", g_uri_get_host (uri), port);
}

static char *
base64url (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  char *text = g_base64_encode (data, len);
  char *pad = strchr (text, '=');

  if (pad != NULL)
    *pad = '\0';
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return text;
}

GBytes *
hes_webauthn_build_client_data (HesWebauthnCeremony ceremony,
                                GBytes             *challenge,
                                const char         *origin)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *challenge_text = base64url (challenge);
  gsize len;
  char *text;

  /* Members in the WebAuthn L2 serialisation order; the generator keeps insertion order
   * and writes compact JSON. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, ceremony == HES_WEBAUTHN_CREATE ?
                                 "webauthn.create" : "webauthn.get");
  json_builder_set_member_name (builder, "challenge");
  json_builder_add_string_value (builder, challenge_text);
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, origin);
  json_builder_set_member_name (builder, "crossOrigin");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

GBytes *
hes_webauthn_hash (GBytes *client_data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 *digest = g_malloc (32);
  gsize len = 32;

  g_checksum_update (checksum, g_bytes_get_data (client_data, NULL),
                     (gssize) g_bytes_get_size (client_data));
  g_checksum_get_digest (checksum, digest, &len);
  return g_bytes_new_take (digest, len);
}

static gboolean
bad_answer (GError    **error,
            const char *why)
{
  g_debug ("Security key answer refused: %s", why);
  g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_BAD_ANSWER,
                       _("The security key gave an answer that does not match the request; try another key."));
  return FALSE;
}

GBytes *
hes_webauthn_build_attestation_object (const char *fmt,
                                       GBytes     *att_stmt_cbor,
                                       GBytes     *auth_data,
                                       GError    **error)
{
  struct cbor_load_result result;
  cbor_item_t *att_stmt, *map;
  gsize stmt_len;
  const guint8 *stmt = g_bytes_get_data (att_stmt_cbor, &stmt_len);
  unsigned char *buf = NULL;
  size_t buf_size = 0, len;

  att_stmt = cbor_load (stmt, stmt_len, &result);
  if (att_stmt == NULL || result.error.code != CBOR_ERR_NONE || result.read != stmt_len ||
      !cbor_isa_map (att_stmt))
    {
      if (att_stmt != NULL)
        cbor_decref (&att_stmt);
      bad_answer (error, "attStmt is not a CBOR map");
      return NULL;
    }

  /* Canonical CBOR order: shorter keys first ("fmt", "attStmt", "authData"). */
  map = cbor_new_definite_map (3);
  cbor_map_add (map, (struct cbor_pair) { .key = cbor_move (cbor_build_string ("fmt")),
                                          .value = cbor_move (cbor_build_string (fmt)) });
  cbor_map_add (map, (struct cbor_pair) { .key = cbor_move (cbor_build_string ("attStmt")),
                                          .value = cbor_move (att_stmt) });
  cbor_map_add (map, (struct cbor_pair) {
    .key = cbor_move (cbor_build_string ("authData")),
    .value = cbor_move (cbor_build_bytestring (g_bytes_get_data (auth_data, NULL),
                                               g_bytes_get_size (auth_data))) });
  len = cbor_serialize_alloc (map, &buf, &buf_size);
  cbor_decref (&map);
  if (len == 0)
    {
      free (buf);
      bad_answer (error, "serialisation failed");
      return NULL;
    }
  {
    GBytes *out = g_bytes_new (buf, len);
    free (buf);
    return out;
  }
}

static gboolean
cose_es256_ok (cbor_item_t *key)
{
  struct cbor_pair *pairs;
  guint found = 0;

  if (!cbor_isa_map (key))
    return FALSE;
  pairs = cbor_map_handle (key);
  for (size_t i = 0; i < cbor_map_size (key); i++)
    {
      cbor_item_t *k = pairs[i].key, *v = pairs[i].value;
      gint64 label;

      if (cbor_isa_uint (k))
        label = (gint64) cbor_get_int (k);
      else if (cbor_isa_negint (k))
        label = -1 - (gint64) cbor_get_int (k);
      else
        return FALSE;
      if (label == 1 && cbor_isa_uint (v) && cbor_get_int (v) == 2)       /* kty EC2 */
        found |= 1;
      else if (label == 3 && cbor_isa_negint (v) && cbor_get_int (v) == 6) /* alg -7 */
        found |= 2;
      else if (label == -1 && cbor_isa_uint (v) && cbor_get_int (v) == 1)  /* crv P-256 */
        found |= 4;
      else if ((label == -2 || label == -3) && cbor_isa_bytestring (v) &&
               cbor_bytestring_length (v) == 32)
        found |= label == -2 ? 8 : 16;
    }
  return found == 31;
}

/* Parses one CBOR item at @data; returns the bytes it used, 0 if it is not well-formed. */
static gsize
cbor_item_length (const guint8 *data,
                  gsize         len,
                  gboolean    (*check) (cbor_item_t *))
{
  struct cbor_load_result result;
  cbor_item_t *item = cbor_load (data, len, &result);
  gsize used = 0;

  if (item != NULL && result.error.code == CBOR_ERR_NONE && (check == NULL || check (item)))
    used = result.read;
  if (item != NULL)
    cbor_decref (&item);
  return used;
}

static gboolean
is_map (cbor_item_t *item)
{
  return cbor_isa_map (item);
}

gboolean
hes_webauthn_check_auth_data (const HesWebauthnOptions *options,
                              GBytes                   *auth_data,
                              gboolean                  uv_required,
                              GBytes                   *credential_id,
                              GError                  **error)
{
  gsize len, pos = 37;
  const guint8 *data = g_bytes_get_data (auth_data, &len);
  g_autoptr(GBytes) rp_id = g_bytes_new_static (options->rp_id, strlen (options->rp_id));
  g_autoptr(GBytes) rp_hash = hes_webauthn_hash (rp_id);
  guint8 flags;

  if (len < 37)
    return bad_answer (error, "authData too short");
  if (memcmp (data, g_bytes_get_data (rp_hash, NULL), 32) != 0)
    return bad_answer (error, "rpIdHash");
  flags = data[32];
  if (!(flags & HES_WEBAUTHN_FLAG_UP))
    return bad_answer (error, "user not present");
  if (uv_required && !(flags & HES_WEBAUTHN_FLAG_UV))
    return bad_answer (error, "user not verified");
  if ((credential_id != NULL) != ((flags & HES_WEBAUTHN_FLAG_AT) != 0))
    return bad_answer (error, "attested credential data");
  if (credential_id != NULL)
    {
      gsize id_len, used;

      if (len < pos + 18)
        return bad_answer (error, "attested credential data too short");
      id_len = ((gsize) data[pos + 16] << 8) | data[pos + 17];
      pos += 18;
      if (len < pos + id_len || id_len != g_bytes_get_size (credential_id) ||
          memcmp (data + pos, g_bytes_get_data (credential_id, NULL), id_len) != 0)
        return bad_answer (error, "credential id");
      pos += id_len;
      used = cbor_item_length (data + pos, len - pos, cose_es256_ok);
      if (used == 0)
        return bad_answer (error, "credential public key");
      pos += used;
    }
  if (flags & HES_WEBAUTHN_FLAG_ED)
    {
      gsize used = cbor_item_length (data + pos, len - pos, is_map);

      if (used == 0)
        return bad_answer (error, "extensions");
      pos += used;
    }
  if (pos != len)
    return bad_answer (error, "trailing bytes");
  return TRUE;
}

char *
hes_webauthn_base64 (GBytes *bytes)
{
  return g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
add_base64_member (JsonObject *obj,
                   const char *name,
                   GBytes     *bytes)
{
  g_autofree char *text = hes_webauthn_base64 (bytes);

  json_object_set_string_member (obj, name, text);
}

JsonNode *
hes_webauthn_build_registration_body (GBytes *client_data,
                                      GBytes *attestation_object)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  add_base64_member (obj, "clientDataJSON", client_data);
  add_base64_member (obj, "attestationObject", attestation_object);
  json_node_take_object (node, obj);
  return node;
}

JsonNode *
hes_webauthn_build_tfa_registration_body (GBytes     *client_data,
                                          GBytes     *attestation_object,
                                          const char *key_name,
                                          const char *password)
{
  JsonNode *node = hes_webauthn_build_registration_body (client_data, attestation_object);
  JsonObject *obj = json_node_get_object (node);

  g_return_val_if_fail (key_name != NULL && password != NULL, node);

  json_object_set_string_member (obj, "key_id", key_name);
  json_object_set_string_member (obj, "tfa_method", "webauthn");
  json_object_set_string_member (obj, "confirm_password", password);
  return node;
}

char *
hes_webauthn_build_assertion_token (GBytes *credential_id,
                                    GBytes *client_data,
                                    GBytes *authenticator_data,
                                    GBytes *signature)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *obj = json_object_new ();

  add_base64_member (obj, "id", credential_id);
  add_base64_member (obj, "clientDataJSON", client_data);
  add_base64_member (obj, "authenticatorData", authenticator_data);
  add_base64_member (obj, "signature", signature);
  json_node_take_object (node, obj);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
