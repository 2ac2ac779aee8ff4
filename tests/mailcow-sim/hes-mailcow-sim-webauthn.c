/* hes-mailcow-sim-webauthn.c: WebAuthn as a second factor and FIDO2 passwordless login, with
 * the checks of mailcow's vendored lbuchs/WebAuthn (§8 of the API notes): one challenge slot
 * per session, origin host ending with the rpId (port ignored), UV required for FIDO2 only,
 * standard base64 everywhere, "=?BINARY?B?…?=" strings in the options. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#define COSE_ES256 -7
#define COSE_RS256 -257

void
sim_fido2_free (gpointer data)
{
  SimFido2 *key = data;

  g_free (key->username);
  g_free (key->rp_id);
  g_free (key->friendly_name);
  g_bytes_unref (key->credential_id);
  g_free (key->public_key_pem);
  g_free (key);
}

/* The Host header without its port, case kept. */
char *
sim_rp_id (SimRequest *req)
{
  const char *host = sim_header (req, "Host");
  const char *colon;

  if (host == NULL)
    return g_strdup (req->sim->hostname);
  if (host[0] == '[')
    {
      const char *end = strchr (host, ']');

      return end ? g_strndup (host, end - host + 1) : g_strdup (host);
    }
  colon = strrchr (host, ':');
  return colon ? g_strndup (host, colon - host) : g_strdup (host);
}

static char *
bin (GBytes *bytes)
{
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strdup_printf ("=?BINARY?B?%s?=", b64);
}

static void
new_challenge (SimSession *session)
{
  guint8 random[32];

  if (gnutls_rnd (GNUTLS_RND_NONCE, random, sizeof random) != 0)
    g_error ("GnuTLS could not make random bytes");
  g_clear_pointer (&session->challenge, g_bytes_unref);
  session->challenge = g_bytes_new (random, sizeof random);
}

static void
respond_json (SimRequest *req, JsonNode *node)
{
  g_autofree char *text = sim_json_encode (node, FALSE);

  sim_respond (req, 200, "application/json", text, strlen (text));
}

static void
respond_result (SimRequest *req, const char *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, error == NULL);
  if (error)
    {
      json_builder_set_member_name (b, "msg");
      json_builder_add_string_value (b, error);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  respond_json (req, node);
}

/* Options */

static void
add_credential_list (JsonBuilder *b, GPtrArray *ids, gboolean with_transports)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *id = bin (g_ptr_array_index (ids, i));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      if (with_transports)
        {
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "public-key");
          json_builder_set_member_name (b, "transports");
          json_builder_begin_array (b);
          for (const char * const *t = (const char * const[]) { "usb", "ble", "nfc", "internal", NULL };
               *t; t++)
            json_builder_add_string_value (b, *t);
          json_builder_end_array (b);
        }
      else
        {
          json_builder_set_member_name (b, "transports");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "public-key");
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static GPtrArray *
credential_ids (HesMailcowSim *sim, const char *username, gboolean fido2)
{
  GPtrArray *ids = g_ptr_array_new ();

  if (fido2)
    for (guint i = 0; i < sim->fido2->len; i++)
      {
        SimFido2 *key = g_ptr_array_index (sim->fido2, i);

        if (g_strcmp0 (key->username, username) == 0)
          g_ptr_array_add (ids, key->credential_id);
      }
  else
    for (guint i = 0; i < sim->tfas->len; i++)
      {
        SimTfa *tfa = g_ptr_array_index (sim->tfas, i);

        if (g_strcmp0 (tfa->username, username) == 0 && g_strcmp0 (tfa->authmech, "webauthn") == 0)
          g_ptr_array_add (ids, tfa->credential_id);
      }
  return ids;
}

/* getCreateArgs(): FIDO2 adds requireResidentKey; both pass "preferred" verification. */
static void
respond_create_args (SimRequest *req, gboolean fido2)
{
  SimSession *session = req->session;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) user_bytes = NULL;
  g_autoptr(GPtrArray) exclude = NULL;
  g_autofree char *rp_id = sim_rp_id (req);
  g_autofree char *user_id = NULL;
  g_autofree char *challenge = NULL;

  if (session->role == NULL)
    {
      sim_respond (req, 200, "application/json", "", 0);
      return;
    }
  new_challenge (session);
  user_bytes = g_bytes_new (session->username, strlen (session->username));
  user_id = bin (user_bytes);
  challenge = bin (session->challenge);
  exclude = credential_ids (req->sim, session->username, fido2);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "publicKey");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rp");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "WebAuthn Library");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, rp_id);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "authenticatorSelection");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "userVerification");
  json_builder_add_string_value (b, "preferred");
  if (fido2)
    {
      json_builder_set_member_name (b, "requireResidentKey");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, user_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, session->username);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, session->username);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "pubKeyCredParams");
  json_builder_begin_array (b);
  for (int i = 0; i < 2; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "public-key");
      json_builder_set_member_name (b, "alg");
      json_builder_add_int_value (b, i == 0 ? COSE_ES256 : COSE_RS256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "attestation");
  json_builder_add_string_value (b, "indirect");
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "exts");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "timeout");
  json_builder_add_int_value (b, 30000);
  json_builder_set_member_name (b, "challenge");
  json_builder_add_string_value (b, challenge);
  json_builder_set_member_name (b, "excludeCredentials");
  add_credential_list (b, exclude, TRUE);
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  respond_json (req, node);
}

/* getGetArgs(): FIDO2 login has no allow list; the second factor lists the pending user's
 * WebAuthn keys and adds the appid extension. */
static void
respond_get_args (SimRequest *req, gboolean tfa)
{
  SimSession *session = req->session;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) allow = NULL;
  g_autofree char *rp_id = sim_rp_id (req);
  g_autofree char *challenge = NULL;

  if (tfa)
    {
      allow = session->pending_username
              ? credential_ids (req->sim, session->pending_username, FALSE) : g_ptr_array_new ();
      if (allow->len == 0)
        {
          static const char text[] = "{\"type\":\"error\",\"msg\":\"Cannot find matching credentialIds\"}";

          sim_respond (req, 200, "application/json", text, strlen (text));
          return;
        }
    }
  new_challenge (session);
  challenge = bin (session->challenge);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "publicKey");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "timeout");
  json_builder_add_int_value (b, 30000);
  json_builder_set_member_name (b, "challenge");
  json_builder_add_string_value (b, challenge);
  json_builder_set_member_name (b, "userVerification");
  json_builder_add_string_value (b, "preferred");
  json_builder_set_member_name (b, "rpId");
  json_builder_add_string_value (b, rp_id);
  if (tfa)
    {
      g_autofree char *appid = g_strconcat ("https://", rp_id, NULL);

      json_builder_set_member_name (b, "allowCredentials");
      add_credential_list (b, allow, FALSE);
      json_builder_set_member_name (b, "extensions");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "appid");
      json_builder_add_string_value (b, appid);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  respond_json (req, node);
}

void
sim_api_webauthn_get (SimRequest *req, const char *category)
{
  if (strcmp (category, "fido2-registration") == 0)
    respond_create_args (req, TRUE);
  else if (strcmp (category, "webauthn-tfa-registration") == 0)
    respond_create_args (req, FALSE);
  else if (strcmp (category, "fido2-get-args") == 0)
    respond_get_args (req, FALSE);
  else
    respond_get_args (req, TRUE);
}

static JsonObject *
parse_object (const char *text, gsize len)
{
  g_autoptr(JsonNode) node = text ? sim_json_parse (text, len) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* processCreate(): the credential, or NULL with @error_text set to the library's message. */
static HesVerifiedCredential *
verify_registration (SimRequest *req, JsonObject *post, gboolean require_uv, char **error_text)
{
  g_autofree char *client_data = sim_json_member_string (post, "clientDataJSON");
  g_autofree char *attestation = sim_json_member_string (post, "attestationObject");
  g_autofree char *rp_id = sim_rp_id (req);
  g_autoptr(GError) error = NULL;
  HesVerifiedCredential *cred = hes_webauthn_verify_registration (client_data, attestation, rp_id,
                                                                  req->session->challenge,
                                                                  require_uv, &error);

  if (cred == NULL)
    *error_text = g_strdup (error->message);
  return cred;
}

/* processGet(): the assertion in @token (JSON, standard base64) against one stored key; NULL
 * when it passes, else the library's message. */
static char *
verify_assertion (SimRequest *req, JsonObject *token, const char *public_key_pem, gboolean require_uv)
{
  g_autofree char *client_data = sim_json_member_string (token, "clientDataJSON");
  g_autofree char *auth_data = sim_json_member_string (token, "authenticatorData");
  g_autofree char *signature = sim_json_member_string (token, "signature");
  g_autofree char *rp_id = sim_rp_id (req);
  g_autoptr(GError) error = NULL;

  if (hes_webauthn_verify_assertion (public_key_pem, client_data, auth_data, signature, rp_id,
                                     req->session->challenge, require_uv, &error) < 0)
    return g_strdup (error->message);
  return NULL;
}

/* add/fido2-registration and add/webauthn-tfa-registration: the body is read raw. */
void
sim_api_webauthn_add (SimRequest *req, const char *category)
{
  SimSession *session = req->session;
  gboolean fido2 = strcmp (category, "fido2-registration") == 0;
  gsize len;
  const char *body = g_bytes_get_data (req->body, &len);
  g_autoptr(JsonObject) post = NULL;
  g_autoptr(HesVerifiedCredential) cred = NULL;
  g_autofree char *error = NULL;

  if (session->role == NULL)
    {
      static const char text[] = "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}";

      sim_respond (req, 200, "application/json", text, strlen (text));
      return;
    }
  post = parse_object (body, len);
  if (post == NULL)
    error = g_strdup ("invalid client data");
  else
    cred = verify_registration (req, post, fido2, &error);
  if (error)
    {
      respond_result (req, error);
      return;
    }
  if (fido2)
    {
      SimFido2 *key = g_new0 (SimFido2, 1);

      key->username = g_strdup (session->username);
      key->rp_id = sim_rp_id (req);
      key->credential_id = g_steal_pointer (&cred->credential_id);
      key->public_key_pem = g_steal_pointer (&cred->public_key_pem);
      g_ptr_array_add (req->sim->fido2, key);
    }
  else
    {
      g_autofree char *password = sim_json_member_string (post, "confirm_password");

      /* A wrong password also answers success, but writes nothing. */
      if (hes_mailcow_sim_check_password (req->sim, session->username, password))
        {
          g_autofree char *key_id = sim_json_member_string (post, "key_id");
          SimTfa *tfa = g_new0 (SimTfa, 1);

          tfa->id = req->sim->next_tfa_id++;
          tfa->username = g_strdup (session->username);
          tfa->authmech = g_strdup ("webauthn");
          tfa->key_id = g_strdup (key_id ? key_id : "");
          tfa->credential_id = g_steal_pointer (&cred->credential_id);
          tfa->public_key_pem = g_steal_pointer (&cred->public_key_pem);
          g_ptr_array_add (req->sim->tfas, tfa);
        }
    }
  respond_result (req, NULL);
}

/* The WebAuthn step of a pending login: NULL when the assertion passes. */
char *
sim_webauthn_verify_tfa (SimRequest *req, SimTfa *tfa)
{
  const char *token_text = sim_form_get (req, "token");
  g_autoptr(JsonObject) token = parse_object (token_text, token_text ? strlen (token_text) : 0);

  if (token == NULL)
    return g_strdup ("invalid client data");
  return verify_assertion (req, token, tfa->public_key_pem, FALSE);
}

static const char *
role_of (HesMailcowSim *sim, const char *username)
{
  if (sim_find_mailbox (sim, username))
    return "user";
  if (sim_find_admin (sim, username))
    return "domainadmin";
  return NULL;
}

/* verify_fido2_login: logs in without password or second factor when the key's owner has the
 * page's role. */
gboolean
sim_fido2_login (SimRequest *req, const char *page_role)
{
  SimSession *session = req->session;
  const char *token_text = sim_form_get (req, "token");
  g_autoptr(JsonObject) token = parse_object (token_text, token_text ? strlen (token_text) : 0);
  g_autofree char *id_text = sim_json_member_string (token, "id");
  g_autoptr(GBytes) id = NULL;
  g_autofree char *error = NULL;
  SimFido2 *key = NULL;

  if (token == NULL || id_text == NULL)
    return FALSE;
  id = hes_php_base64_decode (id_text);
  for (guint i = 0; i < req->sim->fido2->len && key == NULL; i++)
    if (g_bytes_equal (((SimFido2 *) g_ptr_array_index (req->sim->fido2, i))->credential_id, id))
      key = g_ptr_array_index (req->sim->fido2, i);
  if (key == NULL || (error = verify_assertion (req, token, key->public_key_pem, TRUE)))
    return FALSE;
  if (g_strcmp0 (role_of (req->sim, key->username), page_role) != 0)
    return FALSE;

  g_free (session->role);
  session->role = g_strdup (page_role);
  g_free (session->username);
  session->username = g_strdup (key->username);
  g_clear_pointer (&session->pending_username, g_free);
  g_clear_pointer (&session->pending_role, g_free);
  g_clear_pointer (&session->challenge, g_bytes_unref);
  sim_pile_push_key (session, "success", sim_log_node ("fido2_login", key->username, key->username, NULL),
                     "logged_in_as", key->username);
  sim_session_regenerate (req);
  return TRUE;
}

/* How many FIDO2 keys and WebAuthn second factors an account has (tests). */
guint
hes_mailcow_sim_count_webauthn_keys (HesMailcowSim *self, const char *username, gboolean fido2)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  ids = credential_ids (self, username, fido2);
  return ids->len;
}
