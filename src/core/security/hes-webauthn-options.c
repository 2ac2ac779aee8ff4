/* hes-webauthn-options.c: mailcow's WebAuthn options, checked before anything reaches a key. */
#define G_LOG_DOMAIN "hes-webauthn"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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
