/* hes-webauthn.c: what mailcow expects back: clientDataJSON, attestationObject, bodies,
 * and the check that a key's answer matches the request. */
#define G_LOG_DOMAIN "hes-webauthn"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <cbor.h>

#include "hes-fido2-error.h"
#include "hes-webauthn.h"

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

/* Adds @key → @value to @map and drops the caller's references to both (the map keeps its own).
 * FALSE when libcbor could not allocate, whether for the items (NULL) or for the map's room. */
static gboolean
map_put (cbor_item_t *map,
         cbor_item_t *key,
         cbor_item_t *value)
{
  gboolean added = key != NULL && value != NULL &&
                   cbor_map_add (map, (struct cbor_pair) { .key = key, .value = value });

  if (key != NULL)
    cbor_decref (&key);
  if (value != NULL)
    cbor_decref (&value);
  return added;
}

static void
out_of_memory (GError **error)
{
  g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_FAILED,
                       _("The answer for the server could not be put together: the computer is "
                         "short of memory. Close other programs and try again."));
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
  gboolean built;
  GBytes *out;

  att_stmt = cbor_load (stmt, stmt_len, &result);
  if (att_stmt == NULL || result.error.code != CBOR_ERR_NONE || result.read != stmt_len ||
      !cbor_isa_map (att_stmt))
    {
      if (att_stmt != NULL)
        cbor_decref (&att_stmt);
      if (result.error.code == CBOR_ERR_MEMERROR)
        out_of_memory (error);
      else
        bad_answer (error, "attStmt is not a CBOR map");
      return NULL;
    }

  /* Canonical CBOR order: shorter keys first ("fmt", "attStmt", "authData"). */
  map = cbor_new_definite_map (3);
  if (map == NULL)
    {
      cbor_decref (&att_stmt);
      out_of_memory (error);
      return NULL;
    }
  built = map_put (map, cbor_build_string ("fmt"), cbor_build_string (fmt)) &&
          map_put (map, cbor_build_string ("attStmt"), cbor_incref (att_stmt)) &&
          map_put (map, cbor_build_string ("authData"),
                   cbor_build_bytestring (g_bytes_get_data (auth_data, NULL),
                                          g_bytes_get_size (auth_data)));
  cbor_decref (&att_stmt);
  len = built ? cbor_serialize_alloc (map, &buf, &buf_size) : 0;
  cbor_decref (&map);
  if (len == 0)
    {
      free (buf);
      out_of_memory (error);
      return NULL;
    }
  out = g_bytes_new (buf, len);
  free (buf);
  return out;
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
