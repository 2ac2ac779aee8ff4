/* hes-mailcow-sim-pages.c: the HTML side: login pages, the second factor, the forced password
 * change, logout and the role pages whose rendering empties the answer pile. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <string.h>

/* The few lang.en-gb.json texts the pages show. */
static const struct { const char *key; const char *text; } lang_texts[] = {
  { "login_failed", "Login failed" },
  { "logged_in_as", "Logged in as %s" },
  { "session_ua", "Form token invalid: User-Agent validation error" },
  { "session_token", "Form token invalid: Token mismatch" },
  { "totp_verification_failed", "TOTP verification failed" },
  { "verified_totp_login", "Verified TOTP login" },
  { "verified_webauthn_login", "Verified WebAuthn login" },
  { "verified_yotp_login", "Verified Yubico OTP login" },
  { "yotp_verification_failed", "Yubico OTP verification failed: %s" },
  { "webauthn_verification_failed", "WebAuthn verification failed: %s" },
  { "webauthn_authenticator_failed", "The selected authenticator was not found" },
  { "mailbox_modified", "Changes to mailbox %s have been saved" },
  { "object_modified", "Changes to object %s have been saved" },
  { "access_denied", "Access denied or invalid form data" },
  { "last_key", "Last key cannot be deleted, please deactivate TFA instead." },
  { "password_complexity", "Password does not meet the policy" },
  { "password_mismatch", "Confirmation password does not match" },
};

static char *
entry_text (JsonObject *entry)
{
  JsonNode *msg = json_object_get_member (entry, "msg");
  const char *key = NULL, *arg = "";

  if (msg && JSON_NODE_HOLDS_ARRAY (msg) && json_array_get_length (json_node_get_array (msg)) > 0)
    {
      JsonArray *array = json_node_get_array (msg);

      key = json_array_get_string_element (array, 0);
      if (json_array_get_length (array) > 1 &&
          JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 1)))
        arg = json_array_get_string_element (array, 1);
    }
  else if (msg && JSON_NODE_HOLDS_VALUE (msg))
    key = json_node_get_string (msg);
  if (key == NULL)
    return g_strdup ("Array");
  for (guint i = 0; i < G_N_ELEMENTS (lang_texts); i++)
    if (strcmp (lang_texts[i].key, key) == 0)
      {
        const char *pos = strstr (lang_texts[i].text, "%s");

        if (pos == NULL)
          return g_strdup (lang_texts[i].text);
        return g_strdup_printf ("%.*s%s%s", (int) (pos - lang_texts[i].text),
                                lang_texts[i].text, arg ? arg : "", pos + 2);
      }
  return g_strdup (key);
}

/* The footer: one mailcow_alert_box per type, then $_SESSION['return'] is emptied. */
char *
sim_render_alerts (SimSession *session)
{
  static const char * const types[] = { "danger", "warning", "info", "success" };
  GString *out = g_string_new (NULL);
  guint n = json_array_get_length (session->pile);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GString) joined = g_string_new (NULL);
      g_autofree char *escaped = NULL;

      for (guint i = 0; i < n; i++)
        {
          JsonObject *entry = json_array_get_object_element (session->pile, i);
          g_autofree char *text = NULL;

          if (g_strcmp0 (json_object_get_string_member (entry, "type"), types[t]) != 0)
            continue;
          text = entry_text (entry);
          if (joined->len)
            g_string_append (joined, "<br>");
          g_string_append (joined, text);
        }
      if (joined->len == 0)
        continue;
      escaped = sim_js_escape (joined->str);
      g_string_append_printf (out, "    mailcow_alert_box('%s', '%s');\n", escaped, types[t]);
    }
  json_array_unref (session->pile);
  session->pile = json_array_new ();
  return g_string_free (out, FALSE);
}

static const char *
home_of (const char *role)
{
  if (g_strcmp0 (role, "user") == 0)
    return "/SOGo/so/";
  if (g_strcmp0 (role, "domainadmin") == 0)
    return "/domainadmin/mailbox";
  return "/admin/dashboard";
}

static const char *
forced_target_of (const char *role)
{
  if (g_strcmp0 (role, "user") == 0)
    return "/";
  if (g_strcmp0 (role, "domainadmin") == 0)
    return "/domainadmin";
  return "/admin";
}

static void
append_tfa_list (GString *html, HesMailcowSim *sim, SimSession *session, const char *authmech)
{
  g_string_append (html, "                <div class=\"list-group\">\n");
  for (guint i = 0; i < sim->tfas->len; i++)
    {
      SimTfa *tfa = g_ptr_array_index (sim->tfas, i);
      g_autofree char *name = NULL;

      if (g_strcmp0 (tfa->username, session->pending_username) != 0 ||
          g_strcmp0 (tfa->authmech, authmech) != 0)
        continue;
      name = sim_html_escape (tfa->key_id);
      g_string_append_printf (html,
        "                  <a href=\"#\" class=\"list-group-item %s-authenticator-selection\">\n"
        "                    <i class=\"bi bi-key-fill\" style=\"margin-right: 5px\"></i>\n"
        "                    <span>%s</span>\n"
        "                    <input type=\"hidden\" value=\"%u\" />\n"
        "                  </a>\n", authmech, name, tfa->id);
    }
  g_string_append (html, "                </div>\n");
}

static gboolean
pending_has (HesMailcowSim *sim, SimSession *session, const char *authmech)
{
  for (guint i = 0; i < sim->tfas->len; i++)
    {
      SimTfa *tfa = g_ptr_array_index (sim->tfas, i);

      if (g_strcmp0 (tfa->username, session->pending_username) == 0 &&
          g_strcmp0 (tfa->authmech, authmech) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The pending second factor (templates/modals/footer.twig): a tab per method, each key a
 * list entry holding its name and its tfa row id. */
static void
append_tfa_modal (GString *html, HesMailcowSim *sim, SimSession *session)
{
  gboolean webauthn = pending_has (sim, session, "webauthn");
  gboolean totp = pending_has (sim, session, "totp");
  gboolean yubi = pending_has (sim, session, "yubi_otp");

  g_string_append (html,
    "<div class=\"modal fade\" id=\"ConfirmTFAModal\" tabindex=\"-1\" role=\"dialog\" "
    "aria-labelledby=\"ConfirmTFAModalLabel\">\n"
    "  <div class=\"modal-dialog\" role=\"document\">\n    <div class=\"modal-content\">\n"
    "      <div class=\"modal-header\"><h3 class=\"modal-title\">Two-factor authentication</h3></div>\n"
    "      <div class=\"modal-body p-0 pt-4\">\n"
    "        <ul class=\"nav nav-tabs px-1\" id=\"tabContent\">\n");
  if (webauthn)
    g_string_append (html,
      "          <li class=\"nav-item\"><a class=\"nav-link active\" href=\"#tfa_tab_webauthn\" "
      "data-bs-toggle=\"tab\" id=\"pending_tfa_tab_webauthn\"><i class=\"bi bi-fingerprint\"></i> "
      "WebAuthn</a></li>\n");
  if (yubi)
    g_string_append (html,
      "          <li class=\"nav-item\">\n"
      "            <a class=\"nav-link active\" href=\"#tfa_tab_yubi_otp\" data-bs-toggle=\"tab\" "
      "id=\"pending_tfa_tab_yubi_otp\"><i class=\"bi bi-usb-drive\"></i> Yubi OTP</a>\n"
      "          </li>\n");
  if (totp)
    g_string_append (html,
      "          <li class=\"nav-item\">\n"
      "            <a class=\"nav-link active\" href=\"#tfa_tab_totp\" data-bs-toggle=\"tab\" "
      "id=\"pending_tfa_tab_totp\"><i class=\"bi bi-clock-history\"></i> Time-based OTP</a>\n"
      "          </li>\n");
  g_string_append (html, "        </ul>\n        <div class=\"tab-content\">\n");
  if (webauthn)
    {
      g_string_append (html,
        "          <div role=\"tabpanel\" class=\"tab-pane active\" id=\"tfa_tab_webauthn\">\n"
        "            <div class=\"card border-0\"><div class=\"card-body\">\n"
        "              <form role=\"form\" method=\"post\" id=\"webauthn_auth_form\">\n"
        "                <legend class=\"mt-2 mb-2\"><i class=\"bi bi-shield-fill-check\"></i> "
        "Authenticators<hr /></legend>\n");
      append_tfa_list (html, sim, session, "webauthn");
      g_string_append (html,
        "                <input type=\"hidden\" name=\"token\" id=\"webauthn_auth_data\"/>\n"
        "                <input type=\"hidden\" name=\"tfa_method\" value=\"webauthn\">\n"
        "                <input type=\"hidden\" name=\"verify_tfa_login\"/>\n"
        "                <input type=\"hidden\" name=\"id\" id=\"webauthn_selected_id\" /><br/>\n"
        "              </form>\n            </div></div>\n          </div>\n");
    }
  if (yubi)
    g_string_append (html,
      "          <div role=\"tabpanel\" class=\"tab-pane active\" id=\"tfa_tab_yubi_otp\">\n"
      "            <div class=\"card border-0\"><div class=\"card-body\">\n"
      "              <form role=\"form\" method=\"post\">\n"
      "                <input type=\"text\" name=\"token\" class=\"form-control\" autocomplete=\"off\" "
      "placeholder=\"Touch Yubikey\">\n"
      "                <input type=\"hidden\" name=\"tfa_method\" value=\"yubi_otp\">\n"
      "                <input type=\"hidden\" name=\"id\" id=\"yubi_selected_id\" />\n"
      "                <button class=\"btn btn-sm btn-secondary\" type=\"submit\" "
      "name=\"verify_tfa_login\">Login</button>\n"
      "              </form>\n            </div></div>\n          </div>\n");
  if (totp)
    {
      g_string_append (html,
        "          <div role=\"tabpanel\" class=\"tab-pane active\" id=\"tfa_tab_totp\">\n"
        "            <div class=\"card border-0\"><div class=\"card-body\">\n"
        "              <form role=\"form\" method=\"post\">\n"
        "                <legend class=\"mt-2 mb-2\"><i class=\"bi bi-shield-fill-check\"></i> "
        "Authenticators<hr /></legend>\n");
      append_tfa_list (html, sim, session, "totp");
      g_string_append (html,
        "                <div class=\"collapse pending-tfa-collapse\" id=\"collapseTotpTFA\">\n"
        "                  <input type=\"number\" min=\"000000\" max=\"999999\" name=\"token\" "
        "class=\"form-control\" placeholder=\"123456\" autocomplete=\"one-time-code\">\n"
        "                  <input type=\"hidden\" name=\"tfa_method\" value=\"totp\">\n"
        "                  <input type=\"hidden\" name=\"id\" id=\"totp_selected_id\" /><br/>\n"
        "                  <button class=\"mt-4 btn btn-sm btn-secondary\" type=\"submit\" "
        "name=\"verify_tfa_login\">Login</button>\n"
        "                </div>\n"
        "              </form>\n            </div></div>\n          </div>\n");
    }
  g_string_append (html, "        </div>\n      </div>\n    </div>\n  </div>\n</div>\n");
}

static void
append_change_pw_modal (GString *html)
{
  g_string_append (html,
    "<div class=\"modal fade\" id=\"ChangePWModal\" tabindex=\"-1\" role=\"dialog\">\n"
    "  <div class=\"modal-dialog\" role=\"document\"><div class=\"modal-content\">\n"
    "    <div class=\"modal-header\"><h3 class=\"modal-title\">Change password</h3></div>\n"
    "    <div class=\"modal-body\">\n"
    "      <p>You must change your password before you continue.</p>\n"
    "      <div class=\"alert alert-danger\" style=\"display:none\" id=\"changePWAlert\"></div>\n"
    "      <form role=\"form\" method=\"post\" id=\"changePWModalForm\">\n"
    "        <input type=\"password\" class=\"form-control\" id=\"changePWNew\" "
    "autocomplete=\"new-password\" required>\n"
    "        <input type=\"password\" class=\"form-control\" id=\"changePWNew2\" "
    "autocomplete=\"new-password\" required>\n"
    "        <button class=\"btn btn-success\" type=\"submit\">Change password</button>\n"
    "      </form>\n"
    "    </div>\n  </div></div>\n</div>\n");
}

static void
append_change_pw_script (GString *html, SimSession *session)
{
  g_autofree char *role = sim_html_escape (session->role);
  g_autofree char *username = sim_html_escape (session->username);

  g_string_append_printf (html,
    "    var changePWModal = new bootstrap.Modal(document.getElementById(\"ChangePWModal\"), {\n"
    "      backdrop: 'static',\n      keyboard: false\n    });\n"
    "    changePWModal.show();\n\n"
    "    $('#changePWModalForm').on('submit', function(e) {\n"
    "      e.preventDefault();\n"
    "      var newPw = $('#changePWNew').val();\n"
    "      var newPw2 = $('#changePWNew2').val();\n"
    "      var role = '%s';\n      var username = '%s';\n"
    "      var url = '/api/v1/edit/self';\n"
    "      var attrPayload = {user_new_pass: newPw, user_new_pass2: newPw2};\n"
    "      $.ajax({\n        type: 'POST',\n        url: url,\n        data: {\n"
    "          attr: JSON.stringify(attrPayload),\n          items: JSON.stringify(null),\n"
    "          csrf_token: '%s'\n        },\n        dataType: 'json',\n"
    "        success: function(data) {\n"
    "          if (data && data[0] && data[0].type === 'success') {\n"
    "            window.location.reload();\n          }\n        }\n      });\n    });\n",
    role, username, session->csrf);
}

typedef enum {
  PAGE_LOGIN,
  PAGE_ROLE,
} PageKind;

/* Renders a page through the "footer": alerts (emptying the pile) and the CSRF lines. */
static void
render_page (SimRequest *req, const char *login_role, PageKind kind)
{
  SimSession *session = req->session;
  gboolean tfa = kind == PAGE_LOGIN && session->pending_username != NULL;
  gboolean change_pw = session->role && session->pending_pw_update && !tfa &&
                       (kind == PAGE_ROLE || g_strcmp0 (login_role, session->role) == 0);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *host = sim_html_escape (req->sim->hostname);
  g_autofree char *alerts = NULL;

  g_string_append_printf (html,
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
    "  <title>%s - mailcow UI</title>\n</head>\n<body>\n<div class=\"container\">\n", host);
  if (kind == PAGE_LOGIN)
    {
      const char *heading = g_strcmp0 (login_role, "domainadmin") == 0 ? "Domain administrator login" :
                            g_strcmp0 (login_role, "admin") == 0 ? "Administrator login" :
                            "Mailbox user login";

      g_string_append_printf (html,
        "  <div class=\"card\"><div class=\"card-body\">\n"
        "  <legend>%s</legend>\n"
        "  <form method=\"post\" autofill=\"off\">\n"
        "    <div class=\"input-group\"><input name=\"login_user\" autocorrect=\"off\" "
        "autocapitalize=\"none\" type=\"text\" id=\"login_user\" class=\"form-control\" "
        "placeholder=\"Username\" required=\"\" autofocus=\"\" autocomplete=\"username\"></div>\n"
        "    <div class=\"input-group\"><input name=\"pass_user\" type=\"password\" id=\"pass_user\" "
        "class=\"form-control\" placeholder=\"Password\" required=\"\" "
        "autocomplete=\"current-password\"></div>\n"
        "    <button type=\"submit\" class=\"btn btn-xs-lg btn-success w-100\" value=\"Login\">"
        "Login</button>\n"
        "  </form>\n  </div></div>\n", heading);
    }
  else
    {
      g_autofree char *who = sim_html_escape (session->username);

      g_string_append_printf (html, "  <h2>Mailbox settings</h2>\n  <p>Logged in as %s</p>\n"
                              "  <form method=\"post\"><input type=\"hidden\" name=\"logout\" "
                              "value=\"1\"><button type=\"submit\">Logout</button></form>\n",
                              who);
      sim_render_tfa_keys (html, req->sim, session->username);
      sim_render_syncjobs_tab (html, req->sim, session->username);
    }
  g_string_append (html, "</div>\n");
  if (tfa)
    append_tfa_modal (html, req->sim, session);
  if (change_pw)
    append_change_pw_modal (html);

  alerts = sim_render_alerts (session);
  g_string_append (html, "<script>\n");
  if (session->role)
    g_string_append_printf (html, "  var csrf_token = '%s';\n", session->csrf);
  g_string_append (html, "  $(document).ready(function() {\n");
  g_string_append (html, alerts);
  if (tfa)
    g_string_append (html, "    $('#ConfirmTFAModal').modal({backdrop: 'static', keyboard: false});\n"
                           "    $('#ConfirmTFAModal').modal('show');\n");
  if (change_pw)
    append_change_pw_script (html, session);
  g_string_append_printf (html,
    "  // CSRF\n"
    "  $('<input type=\"hidden\" value=\"%s\">').attr('name', 'csrf_token').appendTo('form');\n"
    "  });\n</script>\n</body>\n</html>\n", session->csrf);
  sim_respond_html (req, 200, html->str);
}

/* check_login() for one page's role: the other roles' accounts do not exist here. */
static gboolean
password_matches (HesMailcowSim *sim, const char *role, const char *user, const char *password)
{
  if (g_strcmp0 (role, "user") == 0)
    {
      SimMailbox *mailbox = sim_find_mailbox (sim, user);

      return mailbox && mailbox->active && g_strcmp0 (mailbox->password, password) == 0;
    }
  if (g_strcmp0 (role, "domainadmin") == 0)
    {
      SimAdmin *admin = sim_find_admin (sim, user);

      return admin && g_strcmp0 (admin->password, password) == 0;
    }
  return FALSE;
}

static gboolean
has_tfa (HesMailcowSim *sim, const char *user)
{
  for (guint i = 0; i < sim->tfas->len; i++)
    if (g_strcmp0 (((SimTfa *) g_ptr_array_index (sim->tfas, i))->username, user) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
must_change_password (HesMailcowSim *sim, const char *role, const char *user)
{
  SimMailbox *mailbox;
  SimAdmin *admin;

  if (g_strcmp0 (role, "user") == 0 && (mailbox = sim_find_mailbox (sim, user)))
    return mailbox->force_pw_update;
  if (g_strcmp0 (role, "domainadmin") == 0 && (admin = sim_find_admin (sim, user)))
    return admin->force_pw_update;
  return FALSE;
}

static const char *
login_function (const char *role)
{
  if (g_strcmp0 (role, "user") == 0)
    return "user_login";
  if (g_strcmp0 (role, "domainadmin") == 0)
    return "domainadmin_login";
  return "admin_login";
}

static void
finish_login (SimRequest *req, const char *role, const char *user)
{
  SimSession *session = req->session;

  g_free (session->role);
  session->role = g_strdup (role);
  g_free (session->username);
  session->username = g_strdup (user);
  g_clear_pointer (&session->pending_username, g_free);
  g_clear_pointer (&session->pending_role, g_free);
  session->failures = 0;
  session->pending_pw_update = must_change_password (req->sim, role, user);
  sim_session_regenerate (req);
  sim_redirect (req, 302, session->pending_pw_update ? forced_target_of (role) : home_of (role));
}

static void
handle_login (SimRequest *req, const char *role)
{
  SimSession *session = req->session;
  HesMailcowSim *sim = req->sim;
  g_autofree char *stripped = g_strstrip (g_strdup (sim_form_get (req, "login_user")));
  g_autofree char *user = g_ascii_strdown (stripped, -1);
  const char *password = sim_form_get (req, "pass_user");

  if (password_matches (sim, role, user, password))
    {
      sim_pile_push_key (session, "success", sim_log_node (login_function (role), user, "*", NULL),
                         "logged_in_as", user);
      if (has_tfa (sim, user))
        {
          g_free (session->pending_username);
          session->pending_username = g_strdup (user);
          g_free (session->pending_role);
          session->pending_role = g_strdup (role);
          session->failures = 0;
          render_page (req, role, PAGE_LOGIN);
          return;
        }
      finish_login (req, role, user);
      return;
    }

  /* ldelay: 0 s, +0.5 s per failure, slept in whole seconds. */
  session->failures++;
  sim->failed_logins++;
  req->hold_ms = ((session->failures - 1) / 2) * sim->failure_delay_unit_ms;
  sim_pile_push_key (session, "danger", sim_log_node (login_function (role), user, "*", NULL),
                     "login_failed", NULL);
  render_page (req, role, PAGE_LOGIN);
}

/* verify_tfa_login(): the role of the page does not matter, the pending role does. */
static void
handle_verify_tfa (SimRequest *req, const char *page_role)
{
  SimSession *session = req->session;
  const char *method = sim_form_get (req, "tfa_method");
  SimTfa *tfa = session->pending_username
                ? sim_find_tfa (req->sim, session->pending_username, sim_form_get (req, "id"))
                : NULL;
  g_autofree char *reason = NULL;
  gboolean ok = FALSE;

  if (g_strcmp0 (method, "yubi_otp") == 0 && session->pending_username)
    {
      /* No id: the OTP's first 12 characters name the key. */
      const char *token = sim_form_get (req, "token");

      tfa = NULL;
      for (guint i = 0; token && i < req->sim->tfas->len && !tfa; i++)
        {
          SimTfa *row = g_ptr_array_index (req->sim->tfas, i);

          if (g_strcmp0 (row->username, session->pending_username) == 0 &&
              strcmp (row->authmech, "yubi_otp") == 0 && strncmp (token, row->secret, 12) == 0)
            tfa = row;
        }
      reason = tfa ? sim_yubi_otp_check (req->sim, tfa->secret, token) : g_strdup ("BAD_OTP");
      ok = reason == NULL;
    }
  else if (g_strcmp0 (method, "webauthn") == 0 && tfa && strcmp (tfa->authmech, "webauthn") == 0)
    ok = (reason = sim_webauthn_verify_tfa (req, tfa)) == NULL;
  else if (g_strcmp0 (method, "totp") == 0 && tfa && strcmp (tfa->authmech, "totp") == 0)
    ok = sim_totp_verify (req->sim, tfa->secret, sim_form_get (req, "token"));

  if (ok)
    {
      g_autofree char *user = g_strdup (session->pending_username);
      g_autofree char *role = g_strdup (session->pending_role);

      sim_pile_push_key (session, "success", sim_log_node ("verify_tfa_login", user, NULL),
                         g_strcmp0 (method, "webauthn") == 0 ? "verified_webauthn_login" :
                         g_strcmp0 (method, "yubi_otp") == 0 ? "verified_yotp_login"
                                                            : "verified_totp_login", NULL);
      finish_login (req, role, user);
      return;
    }
  g_clear_pointer (&session->pending_username, g_free);
  g_clear_pointer (&session->pending_role, g_free);
  g_clear_pointer (&session->challenge, g_bytes_unref);
  if (g_strcmp0 (method, "yubi_otp") == 0)
    sim_pile_push_key (session, "danger", NULL, "yotp_verification_failed", reason);
  else if (g_strcmp0 (method, "webauthn") != 0)
    sim_pile_push_key (session, "danger", NULL, "totp_verification_failed", NULL);
  else if (reason)
    sim_pile_push_key (session, "danger", NULL, "webauthn_verification_failed", reason);
  else
    sim_pile_push_key (session, "danger", NULL, "webauthn_authenticator_failed", NULL);
  render_page (req, page_role, PAGE_LOGIN);
}

/* isset($_GET[name]): also true for a bare "?name", which soup_form_decode() skips. */
static gboolean
query_has (SimRequest *req, const char *name)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));
  g_auto(GStrv) pairs = g_strsplit (query ? query : "", "&", -1);

  for (guint i = 0; pairs[i]; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq)
        *eq = '\0';
      if (strcmp (pairs[i], name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
handle_login_page (SimRequest *req, const char *role)
{
  SimSession *session = req->session;

  if (query_has (req, "cancel_tfa_login"))
    {
      g_clear_pointer (&session->pending_username, g_free);
      g_clear_pointer (&session->pending_role, g_free);
      sim_redirect (req, 302, "/");
      return;
    }
  if (sim_form_get (req, "verify_tfa_login"))
    {
      handle_verify_tfa (req, role);
      return;
    }
  if (sim_form_get (req, "login_user"))
    {
      handle_login (req, role);
      return;
    }
  if (sim_form_get (req, "verify_fido2_login"))
    {
      /* Success or not, the answer is an empty page (a new cookie on success). */
      sim_fido2_login (req, role);
      sim_respond_html (req, 200, "");
      return;
    }
  /* A logged-in session goes to its own role's home from any login page. */
  if (session->role && !session->pending_pw_update)
    {
      sim_redirect (req, 302, home_of (session->role));
      return;
    }
  if (session->role && g_strcmp0 (session->role, role) != 0)
    {
      sim_redirect (req, 302, forced_target_of (session->role));
      return;
    }
  render_page (req, role, PAGE_LOGIN);
}

static const char *
login_page_role (const char *path)
{
  if (strcmp (path, "/") == 0)
    return "user";
  if (strcmp (path, "/domainadmin/") == 0)
    return "domainadmin";
  if (strcmp (path, "/admin/") == 0)
    return "admin";
  return NULL;
}

static void
handle_syncjob_log (SimRequest *req)
{
  guint64 id = 0;
  const char *id_text = req->query ? g_hash_table_lookup (req->query, "id") : NULL;
  const char *text = "-";

  if (req->session->role && id_text &&
      g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXUINT, &id, NULL))
    for (guint i = 0; i < req->sim->syncjobs->len; i++)
      {
        SimSyncjob *job = g_ptr_array_index (req->sim->syncjobs, i);

        if (job->id == id && sim_may_see_mailbox (req, job->user2) && job->returned_text &&
            *job->returned_text)
          text = job->returned_text;
      }
  sim_respond (req, 200, "text/plain; charset=UTF-8", text, strlen (text));
}

void
sim_handle_page (SimRequest *req)
{
  SimSession *session = req->session;
  const char *role = login_page_role (req->path);

  if (sim_form_get (req, "logout"))
    {
      sim_session_destroy (req);
      sim_redirect (req, 302, "/");
      return;
    }
  sim_handle_tfa_forms (req);
  if (role)
    handle_login_page (req, role);
  else if (strcmp (req->path, "/SOGo/so/") == 0)
    sim_respond_html (req, 200, "<!DOCTYPE html>\n<html><head><title>SOGo</title></head>"
                                "<body><p>SOGo webmail</p></body></html>\n");
  else if (strcmp (req->path, "/inc/ajax/syncjob_logs.php") == 0)
    handle_syncjob_log (req);
  else if (strcmp (req->path, "/user") == 0)
    {
      if (g_strcmp0 (session->role, "user") == 0)
        render_page (req, NULL, PAGE_ROLE);
      else
        sim_redirect (req, 302, "/");
    }
  else if (g_strcmp0 (session->role, "domainadmin") == 0)
    render_page (req, NULL, PAGE_ROLE);
  else
    sim_redirect (req, 302, "/domainadmin/");
}
