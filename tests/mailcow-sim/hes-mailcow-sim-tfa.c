/* hes-mailcow-sim-tfa.c: second factors of a logged-in account: the set_tfa form (TOTP
 * enrollment, tfa_method=none), unset_tfa_key, and the key list of the role pages. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <gnutls/crypto.h>
#include <string.h>

static guint
count_keys (HesMailcowSim *sim, const char *username)
{
  guint n = 0;

  for (guint i = 0; i < sim->tfas->len; i++)
    n += g_strcmp0 (((SimTfa *) g_ptr_array_index (sim->tfas, i))->username, username) == 0;
  return n;
}

static void
remove_keys (HesMailcowSim *sim, const char *username, guint only_id)
{
  for (guint i = sim->tfas->len; i > 0; i--)
    {
      SimTfa *tfa = g_ptr_array_index (sim->tfas, i - 1);

      if (g_strcmp0 (tfa->username, username) == 0 && (only_id == 0 || tfa->id == only_id))
        g_ptr_array_remove_index (sim->tfas, i - 1);
    }
}

static void
push (SimRequest *req, const char *type, const char *key, const char *arg)
{
  sim_pile_push_key (req->session, type,
                     sim_log_node ("set_tfa", req->session->username, NULL), key, arg);
}

/* set_tfa: the code is checked against the posted secret, which is stored as it is. */
static void
set_tfa (SimRequest *req)
{
  SimSession *session = req->session;
  const char *method = sim_form_get (req, "tfa_method");
  const char *password = sim_form_get (req, "confirm_password");

  if (!hes_mailcow_sim_check_password (req->sim, session->username, password))
    {
      push (req, "danger", "access_denied", NULL);
      return;
    }
  if (g_strcmp0 (method, "none") == 0)
    {
      remove_keys (req->sim, session->username, 0);
      push (req, "success", "object_modified", session->username);
      return;
    }
  if (g_strcmp0 (method, "totp") == 0)
    {
      const char *secret = sim_form_get (req, "totp_secret");
      const char *key_id = sim_form_get (req, "key_id");

      if (secret == NULL || *secret == '\0' ||
          !sim_totp_verify (req->sim, secret, sim_form_get (req, "totp_confirm_token")))
        {
          push (req, "danger", "totp_verification_failed", NULL);
          return;
        }
      hes_mailcow_sim_add_totp (req->sim, session->username, key_id ? key_id : "", secret);
      push (req, "success", "object_modified", session->username);
      return;
    }
  if (g_strcmp0 (method, "yubi_otp") == 0)
    {
      const char *otp = sim_form_get (req, "otp_token");
      const char *key_id = sim_form_get (req, "key_id");
      g_autofree char *reason = NULL;
      g_autofree char *public_id = NULL;

      /* The customer's own YubiCloud API credentials check the OTP. */
      if (!sim_form_get (req, "yubico_id") || !*sim_form_get (req, "yubico_id") ||
          !sim_form_get (req, "yubico_key") || !*sim_form_get (req, "yubico_key"))
        reason = g_strdup ("BAD_SIGNATURE");
      else if (req->sim->yubicloud_unreachable)
        reason = g_strdup ("YubiCloud could not be reached");
      else
        reason = sim_yubi_otp_check (req->sim, NULL, otp);
      if (reason)
        {
          push (req, "danger", "yotp_verification_failed", reason);
          return;
        }
      public_id = g_strndup (otp, 12);
      hes_mailcow_sim_add_yubi_otp (req->sim, session->username, key_id ? key_id : "", public_id);
      push (req, "success", "object_modified", session->username);
      return;
    }
  /* WebAuthn goes through the API. */
  push (req, "danger", "access_denied", NULL);
}

static void
unset_tfa_key (SimRequest *req)
{
  SimSession *session = req->session;
  guint64 id = 0;
  gboolean found = FALSE;

  g_ascii_string_to_unsigned (sim_form_get (req, "unset_tfa_key"), 10, 1, G_MAXUINT, &id, NULL);
  for (guint i = 0; i < req->sim->tfas->len; i++)
    {
      SimTfa *tfa = g_ptr_array_index (req->sim->tfas, i);

      found |= tfa->id == id && g_strcmp0 (tfa->username, session->username) == 0;
    }
  if (!found)
    push (req, "danger", "access_denied", NULL);
  else if (count_keys (req->sim, session->username) < 2)
    push (req, "danger", "last_key", NULL);
  else
    {
      remove_keys (req->sim, session->username, id);
      push (req, "success", "object_modified", session->username);
    }
}

/* The hex SHA-256 of a credential id: how pages and the API name a FIDO2 key. */
char *
sim_fido2_cid (SimFido2 *key)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, key->credential_id);
}

SimFido2 *
sim_find_fido2 (HesMailcowSim *sim, const char *username, const char *cid)
{
  for (guint i = 0; cid && i < sim->fido2->len; i++)
    {
      SimFido2 *key = g_ptr_array_index (sim->fido2, i);
      g_autofree char *key_cid = sim_fido2_cid (key);

      if (g_strcmp0 (key->username, username) == 0 && g_ascii_strcasecmp (key_cid, cid) == 0)
        return key;
    }
  return NULL;
}

/* Like the SQL behind it, every row with that cid goes (duplicates included). */
static void
unset_fido2_key (SimRequest *req)
{
  SimSession *session = req->session;
  const char *cid = sim_form_get (req, "unset_fido2_key");
  SimFido2 *key;
  gboolean found = FALSE;

  while ((key = sim_find_fido2 (req->sim, session->username, cid)))
    {
      g_ptr_array_remove (req->sim->fido2, key);
      found = TRUE;
    }
  if (found)
    push (req, "success", "object_modified", session->username);
  else
    push (req, "danger", "access_denied", NULL);
}

/* Form actions any page of a logged-in session takes (triggers.global.inc.php). */
void
sim_handle_tfa_forms (SimRequest *req)
{
  if (req->session == NULL || req->session->role == NULL)
    return;
  if (sim_form_get (req, "set_tfa"))
    set_tfa (req);
  else if (sim_form_get (req, "unset_tfa_key"))
    unset_tfa_key (req);
  else if (sim_form_get (req, "unset_fido2_key"))
    unset_fido2_key (req);
}

/* A fresh 16-character base32 secret (80 bits), made on every render and never stored. */
static char *
new_totp_secret (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  guint8 bytes[16];
  char *secret = g_malloc (17);

  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) != 0)
    g_error ("GnuTLS could not make random bytes");
  for (guint i = 0; i < 16; i++)
    secret[i] = alphabet[bytes[i] & 31];
  secret[16] = '\0';
  return secret;
}

static void
render_fido2_keys (GString *html, HesMailcowSim *sim, const char *username)
{
  /* fido2.twig at mailcow 06424670f (recorded from the real page): a header row, then one row
   * per key. */
  g_string_append (html,
    "  <table class=\"table table-striped table-hover table-condensed\" id=\"fido2_keys\">\n"
    "    <tr>\n      <th>ID</th>\n"
    "      <th style=\"min-width:240px;text-align: right\">Action</th>\n    </tr>\n");
  for (guint i = 0; i < sim->fido2->len; i++)
    {
      SimFido2 *key = g_ptr_array_index (sim->fido2, i);
      g_autofree char *cid = NULL;
      g_autofree char *name = NULL;

      if (g_strcmp0 (key->username, username) != 0)
        continue;
      cid = sim_fido2_cid (key);
      name = sim_html_escape (key->friendly_name ? key->friendly_name : "");
      g_string_append_printf (html,
        "    <tr>\n      <td>\n                          %s\n              </td>\n"
        "      <td style=\"min-width:240px;text-align: right\">\n"
        "        <form style=\"display:inline;\" method=\"post\">\n"
        "          <input type=\"hidden\" name=\"unset_fido2_key\" value=\"%s\">\n"
        "          <div class=\"btn-group\">\n"
        "            <a href=\"#\" class=\"btn btn-sm btn-xs-lg btn-secondary\" data-cid=\"%s\" "
        "data-subject=\"\" data-bs-toggle=\"modal\" data-bs-target=\"#fido2ChangeFn\">\n"
        "              <i class=\"bi bi-pencil-fill\"></i> Rename\n            </a>\n"
        "            <a href=\"#\" onClick='return confirm(\"Are you sure you want to proceed?\")?"
        "$(this).closest(\"form\").submit():\"\";' class=\"btn btn-sm btn-xs-lg btn-danger\">\n"
        "              <i class=\"bi bi-trash\"></i> Remove\n            </a>\n"
        "          </div>\n"
        "        </form>\n      </td>\n    </tr>\n", name, cid, cid);
    }
  g_string_append (html, "  </table>\n");
}

void
sim_render_tfa_keys (GString *html, HesMailcowSim *sim, const char *username)
{
  g_autofree char *secret = new_totp_secret ();

  render_fido2_keys (html, sim, username);

  g_string_append (html, "  <div id=\"tfa_keys\">\n");
  for (guint i = 0; i < sim->tfas->len; i++)
    {
      SimTfa *tfa = g_ptr_array_index (sim->tfas, i);
      g_autofree char *name = NULL;

      if (g_strcmp0 (tfa->username, username) != 0)
        continue;
      name = sim_html_escape (tfa->key_id);
      /* tfa_keys.twig at mailcow 06424670f (Bootstrap 5), as the real page renders it. */
      g_string_append_printf (html,
        "          <form style=\"display:inline;\" method=\"post\">\n"
        "        <input type=\"hidden\" name=\"unset_tfa_key\" value=\"%u\">\n"
        "        <div class=\"d-flex flex-column\">\n"
        "          <span style=\"padding:4px;margin:4px\" class=\"me-auto badge fs-6 bg-dark\">\n"
        "            %s\n"
        "            <a href=\"#\" class=\"btn p-0 text-white\" style=\"font-size: 12px; "
        "line-height: 1rem;\" onClick='return confirm(\"Are you sure you want to proceed?\")?"
        "$(this).closest(\"form\").submit():\"\";'>[Remove]</a>\n"
        "          </span>\n"
        "        </div>\n"
        "      </form>\n", tfa->id, name);
    }
  g_string_append_printf (html,
    "  </div>\n"
    "  <form role=\"form\" method=\"post\">\n"
    "    <input type=\"text\" name=\"key_id\" required>\n"
    "    <input type=\"password\" name=\"confirm_password\" required>\n"
    "    <input type=\"hidden\" value=\"%s\" name=\"totp_secret\">\n"
    "    <input type=\"hidden\" name=\"tfa_method\" value=\"totp\">\n"
    "    <input type=\"number\" name=\"totp_confirm_token\" required>\n"
    "    <button type=\"submit\" name=\"set_tfa\">Confirm</button>\n"
    "  </form>\n", secret);
}

void
hes_mailcow_sim_set_yubicloud_reachable (HesMailcowSim *self,
                                         gboolean       reachable)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->yubicloud_unreachable = !reachable;
}
