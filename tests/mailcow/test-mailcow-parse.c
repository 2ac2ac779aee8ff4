/* test-mailcow-parse.c: reading mailcow's pages and answers, the password policy check, the
 * error sentences and the server address rules, on fixed strings shaped like mailcow's. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "hes-mailcow-client.h"
#include "hes-mailcow-parse.h"
#include "hes-http-read.h"
#include "hes-autoconfig.h"

/* The pending second-factor page: modals/footer.twig as rendered, script included (which
 * names the same classes and must not be read as factors). */
static const char tfa_page[] =
  "<html><body><form method=\"post\"><input name=\"login_user\"><input name=\"pass_user\""
  " type=\"password\"></form>\n"
  "<div class=\"modal fade\" id=\"ConfirmTFAModal\" tabindex=\"-1\">\n"
  "<ul class=\"nav nav-tabs\"><li><a id=\"pending_tfa_tab_totp\">TOTP</a></li>"
  "<li><a id=\"pending_tfa_tab_webauthn\">WebAuthn</a></li>"
  "<li><a id=\"pending_tfa_tab_yubi_otp\">Yubico OTP</a></li></ul>\n"
  "<div class=\"list-group\">\n"
  "  <a href=\"#\" class=\"list-group-item totp-authenticator-selection\">\n"
  "    <i class=\"bi bi-key-fill\"></i>\n    <span>Phone &amp; tablet</span>\n"
  "    <input type=\"hidden\" value=\"12\" />\n  </a>\n"
  "  <a href=\"#\" class=\"list-group-item totp-authenticator-selection\">"
  "<span>Old phone</span><input type=\"hidden\" value=\"7\" /></a>\n"
  "  <a href=\"#\" class=\"list-group-item webauthn-authenticator-selection\">"
  "<span>Key &#039;blue&#039;</span><input type=\"hidden\" value=\"31\" /></a>\n"
  "</div></div>\n<script>\n"
  "new bootstrap.Modal(document.getElementById(\"ConfirmTFAModal\"), {}).show();\n"
  "if ($('.totp-authenticator-selection').length == 1){ var id = 3; }\n"
  "$('<input type=\"hidden\" value=\"abc\">').attr('name', 'csrf_token').appendTo('form');\n"
  "</script></body></html>";

static void
test_factors (void)
{
  g_autoptr(GPtrArray) factors = hes_mailcow_html_parse_factors (tfa_page);
  HesSecondFactor *factor;

  g_assert_true (hes_mailcow_html_has_tfa_prompt (tfa_page));
  g_assert_cmpuint (factors->len, ==, 4);

  factor = g_ptr_array_index (factors, 0);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_TOTP);
  g_assert_cmpstr (factor->id, ==, "12");
  g_assert_cmpstr (factor->name, ==, "Phone & tablet");

  factor = g_ptr_array_index (factors, 1);
  g_assert_cmpstr (factor->id, ==, "7");
  g_assert_cmpstr (factor->name, ==, "Old phone");

  factor = g_ptr_array_index (factors, 2);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_WEBAUTHN);
  g_assert_cmpstr (factor->id, ==, "31");
  g_assert_cmpstr (factor->name, ==, "Key 'blue'");

  factor = g_ptr_array_index (factors, 3);
  g_assert_cmpint (factor->method, ==, HES_SECOND_FACTOR_YUBI_OTP);
  g_assert_null (factor->id);
}

static void
test_login_page (void)
{
  static const char login[] =
    "<form method=\"post\" autofill=\"off\"><input type=\"text\" name=\"login_user\" "
    "autocomplete=\"username\"><input type=\"password\" name=\"pass_user\"></form>"
    "<script>mailcow_alert_box('Login\\u0020failed', 'danger');</script>";
  static const char other[] = "<html><form><input name=\"username\"><input name=\"password\">"
                              "</form></html>";
  g_autoptr(GPtrArray) factors = hes_mailcow_html_parse_factors (login);

  g_assert_true (hes_mailcow_html_has_login_form (login));
  g_assert_false (hes_mailcow_html_has_tfa_prompt (login));
  g_assert_cmpuint (factors->len, ==, 0);
  g_assert_false (hes_mailcow_html_has_login_form (other));
  g_assert_false (hes_mailcow_html_has_login_form (""));
}

static void
test_pending_action (void)
{
  static const char change[] =
    "<div class=\"modal\" id=\"ChangePWModal\"></div><script>\n"
    "    var changePWModal = new bootstrap.Modal(document.getElementById(\"ChangePWModal\"), {\n"
    "</script>";
  static const char setup[] =
    "<div id=\"SetupTFAModal\"></div><div id=\"ChangePWModal\"></div><script>"
    "var setupTFAModal = new bootstrap.Modal(document.getElementById(\"SetupTFAModal\"), {});"
    "</script>";
  static const char script_only[] =
    "<script>new bootstrap.Modal(document.getElementById('ChangePWModal'))</script>";

  g_assert_cmpint (hes_mailcow_html_pending_action (change), ==, HES_PENDING_PASSWORD_CHANGE);
  g_assert_cmpint (hes_mailcow_html_pending_action (setup), ==, HES_PENDING_TFA_SETUP);
  g_assert_cmpint (hes_mailcow_html_pending_action (script_only), ==, HES_PENDING_PASSWORD_CHANGE);
  g_assert_cmpint (hes_mailcow_html_pending_action (tfa_page), ==, HES_PENDING_NONE);
}

static void
test_csrf_token (void)
{
  static const char page[] =
    "<script>\n  var lang = {};\n  var csrf_token = 'a3f09c1e5b7d2468a3f09c1e5b7d2468"
    "a3f09c1e5b7d2468a3f09c1e5b7d2468';\n  var pagination_size = 25;\n</script>";
  g_autofree char *token = hes_mailcow_html_csrf_token (page);
  g_autofree char *none = hes_mailcow_html_csrf_token ("<p>var csrf = 'x';</p>");

  g_assert_cmpstr (token, ==,
                   "a3f09c1e5b7d2468a3f09c1e5b7d2468a3f09c1e5b7d2468a3f09c1e5b7d2468");
  g_assert_null (none);
}

static void
test_unescape (void)
{
  g_autofree char *a = hes_mailcow_html_unescape ("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27;", -1);
  g_autofree char *b = hes_mailcow_html_unescape ("&unknown; & &#xZZ; &", -1);
  g_autofree char *c = hes_mailcow_html_unescape ("caf&#233;", -1);

  g_assert_cmpstr (a, ==, "a & b <c> \"d\" 'e'");
  g_assert_cmpstr (b, ==, "&unknown; & &#xZZ; &");
  g_assert_cmpstr (c, ==, "café");
}

static JsonNode *
parse (const char *text, GError **error)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return hes_mailcow_parse_json_body (body, error);
}

static void
test_json_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse ("{\n    \"length\": \"6\"\n}", &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  g_assert_null (parse ("", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  g_assert_null (parse ("  \n", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  g_assert_null (parse ("[{\"type\":\"success\",\"msg\":[\"mailbox_added\",\"a@b", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (parse ("<html><body><h1>502 Bad Gateway</h1></body></html>", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (parse ("<!DOCTYPE html><form><input name=\"login_user\">"
                        "<input name=\"pass_user\"></form>", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
}

static GPtrArray *
parse_entries (const char *text, GError **error)
{
  g_autoptr(JsonNode) node = parse (text, NULL);

  g_assert_nonnull (node);
  return hes_mailcow_entries_parse (node, error);
}

static void
test_entries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = parse_entries (
    "[{\"type\":\"success\",\"log\":[\"mailbox\",\"add\",\"mailbox\",{\"password\":\"*\"}],"
    "\"msg\":[\"rl_saved\",\"max@kunde.example\"]},"
    "{\"type\":\"warning\",\"msg\":\"session_ua\"},"
    "{\"type\":\"danger\",\"log\":[],\"msg\":[\"max_mailbox_exceeded\",10,10]}]", &error);
  HesMailcowEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->type, ==, "success");
  g_assert_cmpstr (entry->msg_key, ==, "rl_saved");
  g_assert_cmpstr (entry->msg_args[0], ==, "max@kunde.example");
  g_assert_false (hes_mailcow_entry_is_error (entry));
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->msg_key, ==, "session_ua");
  g_assert_cmpuint (g_strv_length (entry->msg_args), ==, 0);
  entry = g_ptr_array_index (entries, 2);
  g_assert_true (hes_mailcow_entry_is_error (entry));
  g_assert_cmpstr (entry->msg_args[0], ==, "10");
  g_assert_cmpstr (entry->msg_args[1], ==, "10");

  error = hes_mailcow_entries_to_error (entries);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "(10)"));
  g_clear_error (&error);

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = parse_entries ("{\"type\":\"success\",\"msg\":\"Task completed\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_null (hes_mailcow_entries_to_error (entries));

  g_clear_pointer (&entries, g_ptr_array_unref);
  g_assert_null (parse_entries ("[1,2]", &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
}

static GError *
refusal (const char *json)
{
  g_autoptr(GPtrArray) entries = parse_entries (json, NULL);

  g_assert_nonnull (entries);
  return hes_mailcow_entries_to_error (entries);
}

static void
assert_refusal (const char *json, HesMailcowError code, const char *contains)
{
  g_autoptr(GError) error = refusal (json);

  g_assert_error (error, HES_MAILCOW_ERROR, (int) code);
  if (contains != NULL && strstr (error->message, contains) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, contains);
  /* One sentence that says what to do: no language key, no raw text. */
  g_assert_null (strstr (error->message, "_"));
}

static void
test_refusals (void)
{
  assert_refusal ("{\"type\":\"danger\",\"msg\":\"access_denied\"}",
                  HES_MAILCOW_ERROR_ACCESS_DENIED, NULL);
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"object_exists\",\"imap.old.example / max\"]}]",
                  HES_MAILCOW_ERROR_REFUSED, "imap.old.example / max");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"password_complexity\"}]",
                  HES_MAILCOW_ERROR_PASSWORD_POLICY, NULL);
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"password_mismatch\"}]",
                  HES_MAILCOW_ERROR_REFUSED, "same password");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"mailbox_quota_exceeded\",2048]}]",
                  HES_MAILCOW_ERROR_REFUSED, "2048 MiB");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"mailbox_quota_left_exceeded\",\"512\"]}]",
                  HES_MAILCOW_ERROR_REFUSED, "512 MiB");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"unlimited_quota_acl\"}]",
                  HES_MAILCOW_ERROR_REFUSED, "size");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"mailbox_invalid\"}]",
                  HES_MAILCOW_ERROR_REFUSED, "address");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"dkim_domain_or_sel_invalid\",\"a.example\"]}]",
                  HES_MAILCOW_ERROR_REFUSED, "DKIM");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"no_user_defined\"}]",
                  HES_MAILCOW_ERROR_REFUSED, "mailbox");
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"mysql_error\",\"SQLSTATE[23000]\"]}]",
                  HES_MAILCOW_ERROR_SERVER, NULL);
  assert_refusal ("{\"type\":\"error\",\"msg\":\"Cannot add item\"}",
                  HES_MAILCOW_ERROR_REFUSED, NULL);
  assert_refusal ("[{\"type\":\"danger\",\"msg\":\"some_future_key\"}]",
                  HES_MAILCOW_ERROR_REFUSED, NULL);
  /* Arguments are unescaped, as mailcow passes some through htmlspecialchars(). */
  assert_refusal ("[{\"type\":\"danger\",\"msg\":[\"object_exists\",\"a&amp;b@x.example\"]}]",
                  HES_MAILCOW_ERROR_REFUSED, "a&b@x.example");
}

static const char domains_json[] =
  "[\n {\n  \"active\": 1, \"active_int\": 1, \"domain_name\": \"kunde.example\",\n"
  "  \"domain_h_name\": \"kunde.example\", \"description\": \"Kunde\",\n"
  "  \"mboxes_in_domain\": 3, \"mboxes_left\": 7, \"max_num_mboxes_for_domain\": 10,\n"
  "  \"max_quota_for_domain\": 10737418240, \"max_quota_for_mbox\": 3221225472,\n"
  "  \"def_quota_for_mbox\": 1073741824, \"max_new_mailbox_quota\": 3221225472,\n"
  "  \"quota_used_in_domain\": \"3221225472\", \"relayhost\": \"0\", \"rl\": false\n },\n"
  " {\n  \"active\": \"0\", \"domain_name\": \"xn--caf-dma.example\",\n"
  "  \"domain_h_name\": \"caf\\u00e9.example\", \"mboxes_in_domain\": \"2\",\n"
  "  \"max_quota_for_mbox\": \"1024\"\n }\n]";

static void
test_domains (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (domains_json, NULL);
  g_autoptr(GPtrArray) domains = hes_mailcow_domains_from_json (node, &error);
  g_autoptr(JsonNode) empty = parse ("{}", NULL);
  g_autoptr(JsonNode) bad = parse ("[{\"name\":\"x\"}]", NULL);
  g_autoptr(GPtrArray) none = NULL;
  HesMailcowDomain *domain;

  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 2);
  domain = g_ptr_array_index (domains, 0);
  g_assert_cmpstr (domain->name, ==, "kunde.example");
  g_assert_cmpstr (domain->description, ==, "Kunde");
  g_assert_true (domain->active);
  g_assert_cmpint (domain->mailboxes, ==, 3);
  g_assert_cmpint (domain->mailboxes_left, ==, 7);
  g_assert_cmpint (domain->max_mailboxes, ==, 10);
  g_assert_cmpuint (domain->max_quota_for_domain, ==, G_GUINT64_CONSTANT (10737418240));
  g_assert_cmpuint (domain->def_quota_for_mailbox, ==, 1073741824);
  domain = g_ptr_array_index (domains, 1);
  g_assert_false (domain->active);
  g_assert_cmpstr (domain->display_name, ==, "café.example");
  g_assert_cmpint (domain->mailboxes, ==, 2);
  g_assert_cmpuint (domain->max_quota_for_mailbox, ==, 1024);

  none = hes_mailcow_domains_from_json (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_null (hes_mailcow_domains_from_json (bad, &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
}

static void
test_mailboxes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (
    "{\"username\":\"max@kunde.example\",\"name\":\"Max\",\"active\":1,\"active_int\":1,"
    "\"quota\":1073741824,\"quota_used\":\"2048\",\"messages\":12}", NULL);
  g_autoptr(GPtrArray) mailboxes = hes_mailcow_mailboxes_from_json (node, &error);
  HesMailcowMailbox *mailbox;

  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 1);
  mailbox = g_ptr_array_index (mailboxes, 0);
  g_assert_cmpstr (mailbox->username, ==, "max@kunde.example");
  g_assert_cmpstr (mailbox->domain, ==, "kunde.example");
  g_assert_cmpstr (mailbox->name, ==, "Max");
  g_assert_true (mailbox->active);
  g_assert_cmpuint (mailbox->quota, ==, 1073741824);
  g_assert_cmpuint (mailbox->quota_used, ==, 2048);
  g_assert_cmpuint (mailbox->messages, ==, 12);
}

static void
test_dkim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (
    "{\n    \"pubkey\": \"MIIBIjAN\\/BgkqhkiG9w0BAQEFAAOCAQ8A\",\n    \"length\": \"2048\",\n"
    "    \"dkim_txt\": \"v=DKIM1;k=rsa;t=s;s=email;p=MIIBIjAN\\/BgkqhkiG9w0BAQEFAAOCAQ8A\",\n"
    "    \"dkim_selector\": \"dkim\",\n    \"privkey\": \"\"\n}", NULL);
  g_autoptr(JsonNode) empty = parse ("{}", NULL);
  g_autoptr(JsonNode) empty_array = parse ("[]", NULL);
  g_autoptr(JsonNode) bad = parse ("{\"length\":\"2048\"}", NULL);
  g_autoptr(HesMailcowDkim) dkim = hes_mailcow_dkim_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dkim->selector, ==, "dkim");
  g_assert_cmpstr (dkim->pubkey, ==, "MIIBIjAN/BgkqhkiG9w0BAQEFAAOCAQ8A");
  g_assert_cmpstr (dkim->length, ==, "2048");
  g_assert_true (g_str_has_prefix (dkim->txt, "v=DKIM1;k=rsa;"));

  g_assert_null (hes_mailcow_dkim_from_json (empty, &error));
  g_assert_no_error (error);
  g_assert_null (hes_mailcow_dkim_from_json (empty_array, &error));
  g_assert_no_error (error);
  g_assert_null (hes_mailcow_dkim_from_json (bad, &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
}

static void
test_policy_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse ("{\"length\":\"6\",\"chars\":\"0\",\"special_chars\":\"1\","
                                    "\"lowerupper\":1,\"numbers\":\"0\"}", NULL);
  g_autoptr(JsonNode) bad = parse ("{\"chars\":\"0\"}", NULL);
  g_autoptr(HesPasswordPolicy) policy = hes_mailcow_policy_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (policy->length, ==, 6);
  g_assert_false (policy->chars);
  g_assert_true (policy->special_chars);
  g_assert_true (policy->lowerupper);
  g_assert_false (policy->numbers);
  g_assert_null (hes_mailcow_policy_from_json (bad, &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
}

static guint
broken_rules (const HesPasswordPolicy *policy, const char *password)
{
  g_autoptr(GPtrArray) broken = hes_password_policy_check (policy, password);

  return broken->len;
}

static void
test_policy_check (void)
{
  HesPasswordPolicy loose = { 6, FALSE, FALSE, FALSE, FALSE };
  HesPasswordPolicy strict = { 10, TRUE, TRUE, TRUE, TRUE };
  g_autoptr(GPtrArray) broken = hes_password_policy_check (&strict, "abc");

  g_assert_cmpuint (broken_rules (&loose, "secret"), ==, 0);
  g_assert_cmpuint (broken_rules (&loose, "short"), ==, 1);
  g_assert_cmpuint (broken_rules (&loose, ""), ==, 1);
  g_assert_cmpuint (broken_rules (&strict, "Correct-Horse-9"), ==, 0);
  /* Too short, no upper case, no digit, no special character: four sentences. */
  g_assert_cmpuint (broken->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (broken, 0), ==, "Use at least 10 characters.");
  /* é is not a letter for mailcow (byte regexes), but it is a special character. */
  g_assert_cmpuint (broken_rules (&(HesPasswordPolicy) { 1, TRUE, FALSE, FALSE, FALSE }, "é"), ==, 1);
  g_assert_cmpuint (broken_rules (&(HesPasswordPolicy) { 1, FALSE, TRUE, FALSE, FALSE }, "é"), ==, 0);
  /* Characters, not bytes: "ééééé" is 10 bytes but 5 characters. */
  g_assert_cmpuint (broken_rules (&(HesPasswordPolicy) { 6, FALSE, FALSE, FALSE, FALSE }, "ééééé"), ==, 1);
}

static void
test_policy_describe (void)
{
  HesPasswordPolicy loose = { 6, FALSE, FALSE, FALSE, FALSE };
  HesPasswordPolicy strict = { 8, TRUE, FALSE, FALSE, TRUE };
  g_autofree char *a = hes_password_policy_describe (&loose);
  g_autofree char *b = hes_password_policy_describe (&strict);

  g_assert_cmpstr (a, ==, "The password needs at least 6 characters.");
  g_assert_cmpstr (b, ==, "The password needs at least 8 characters, with a letter from A to Z "
                          "and a digit.");
}

static void
test_transport_errors (void)
{
  struct {
    GQuark domain; int code; HesMailcowTransportFlags flags; HesMailcowError expected;
  } cases[] = {
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, 0, HES_MAILCOW_ERROR_TIMEOUT },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, 0, HES_MAILCOW_ERROR_UNREACHABLE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, HES_MAILCOW_TRANSPORT_SERVER_ANSWERED,
      HES_MAILCOW_ERROR_BANNED },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, HES_MAILCOW_TRANSPORT_AFTER_FAILURE,
      HES_MAILCOW_ERROR_BANNED },
    { G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, HES_MAILCOW_TRANSPORT_AFTER_FAILURE,
      HES_MAILCOW_ERROR_BANNED },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, 0, HES_MAILCOW_ERROR_SERVER },
    { G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, 0, HES_MAILCOW_ERROR_UNREACHABLE },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, 0, HES_MAILCOW_ERROR_UNREACHABLE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, 0, HES_MAILCOW_ERROR_UNREACHABLE },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, 0, HES_MAILCOW_ERROR_TLS },
    { SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING, 0, HES_MAILCOW_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) raw = g_error_new_literal (cases[i].domain, cases[i].code, "raw detail");
    g_autoptr(GError) error = hes_mailcow_error_from_transport (raw, cases[i].flags);

    g_assert_error (error, HES_MAILCOW_ERROR, (int) cases[i].expected);
    g_assert_null (strstr (error->message, "raw detail"));
  }
}

static void
test_tls_sentence (void)
{
  g_autoptr(GError) raw = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "x");
  g_autoptr(GError) with_password = hes_mailcow_error_from_transport (raw, HES_MAILCOW_TRANSPORT_SENDS_PASSWORD | HES_MAILCOW_TRANSPORT_NOT_WRITTEN);
  g_autoptr(GError) maybe_written = hes_mailcow_error_from_transport (raw, HES_MAILCOW_TRANSPORT_SENDS_PASSWORD);
  g_autoptr(GError) misc = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_MISC, "m");
  g_autoptr(GError) handshake = hes_mailcow_error_from_transport (misc, HES_MAILCOW_TRANSPORT_SENDS_PASSWORD | HES_MAILCOW_TRANSPORT_NOT_WRITTEN | HES_MAILCOW_TRANSPORT_IN_HANDSHAKE);
  g_autoptr(GError) protocol = hes_mailcow_error_from_transport (misc, HES_MAILCOW_TRANSPORT_SENDS_PASSWORD);
  g_autoptr(GError) old_tls = hes_mailcow_error_old_tls (HES_MAILCOW_TRANSPORT_NOT_WRITTEN);
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
  g_autoptr(GError) still_cancelled = hes_mailcow_error_from_transport (cancelled, 0);

  /* Each TLS failure has its own sentence; the password is said to be safe only when the
   * request is known not to have been written. */
  g_assert_nonnull (strstr (with_password->message, "certificate is not trusted, so your password was not sent"));
  g_assert_nonnull (strstr (maybe_written->message, "certificate is not trusted"));
  g_assert_null (strstr (maybe_written->message, "password"));
  g_assert_null (strstr (maybe_written->message, "nothing was sent"));
  g_assert_nonnull (strstr (handshake->message, "could not agree on a secure connection, so your password was not sent"));
  g_assert_nonnull (strstr (protocol->message, "broke the rules of the secure connection"));
  g_assert_null (strstr (protocol->message, "password"));
  g_assert_nonnull (strstr (old_tls->message, "older than TLS 1.2"));
  g_assert_error (old_tls, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_TLS);
  g_assert_error (still_cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* json-glib has no depth limit: what it would overflow on is refused before it parses. */
static void
test_json_limits (void)
{
  gsize deep = 200000;
  g_autofree char *nested = g_malloc (deep + 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) wide = g_string_new ("[");
  g_autoptr(GString) depth64 = g_string_new (NULL);

  memset (nested, '[', deep);
  nested[deep] = '\0';
  body = g_bytes_new_static (nested, deep);
  node = hes_mailcow_parse_json_body (body, &error);
  g_assert_null (node);
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);

  /* 64 levels pass, 65 do not; brackets inside strings do not count. */
  for (guint i = 0; i < 64; i++)
    g_string_append_c (depth64, '[');
  g_string_append (depth64, "\"[[[{\\\"\"");
  for (guint i = 0; i < 64; i++)
    g_string_append_c (depth64, ']');
  g_assert_true (hes_mailcow_json_within_limits (depth64->str, depth64->len));
  g_string_prepend_c (depth64, '[');
  g_string_append_c (depth64, ']');
  g_assert_false (hes_mailcow_json_within_limits (depth64->str, depth64->len));

  /* 600 000 values, the array included, pass (a 10 000-mailbox list holds 440 000); one more
   * does not. */
  for (guint i = 0; i < 599998; i++)
    g_string_append (wide, "0,");
  g_string_append (wide, "0]");
  g_assert_true (hes_mailcow_json_within_limits (wide->str, wide->len));
  g_string_insert (wide, 1, "0,");
  g_assert_false (hes_mailcow_json_within_limits (wide->str, wide->len));
}

/* An autoconfig document over its size limit, or nested without end, is not read. */
static void
test_autoconfig_limits (void)
{
  const char *good = "<clientConfig><emailProvider>"
                     "<incomingServer type=\"imap\"><hostname>mail.example.test</hostname></incomingServer>"
                     "<outgoingServer type=\"smtp\"><hostname>mail.example.test</hostname></outgoingServer>"
                     "</emailProvider></clientConfig>";
  g_autoptr(GString) big = g_string_new (good);
  g_autoptr(GString) deep = g_string_new ("<clientConfig>");
  g_autofree char *why = NULL;

  g_assert_true (hes_autoconfig_names_host (good, -1, "mail.example.test", &why));

  while (big->len <= hes_http_answer_limit (HES_HTTP_ANSWER_XML))
    g_string_append (big, "<!-- padding -->");
  g_assert_false (hes_autoconfig_names_host (big->str, big->len, "mail.example.test", &why));
  g_assert_nonnull (why);
  g_clear_pointer (&why, g_free);

  /* The right hosts, but 40 levels down: refused for the depth alone. */
  for (guint i = 0; i < 40; i++)
    g_string_append (deep, "<x>");
  g_string_append (deep, "<incomingServer type=\"imap\"><hostname>mail.example.test</hostname>"
                         "</incomingServer><outgoingServer type=\"smtp\"><hostname>"
                         "mail.example.test</hostname></outgoingServer>");
  for (guint i = 0; i < 40; i++)
    g_string_append (deep, "</x>");
  g_string_append (deep, "</clientConfig>");
  g_assert_false (hes_autoconfig_names_host (deep->str, deep->len, "mail.example.test", &why));
  g_assert_nonnull (why);
}

/* Over its limit a body keeps nothing and refuses every later piece. */
static void
test_bounded_body (void)
{
  g_autoptr(HesBoundedBody) body = hes_bounded_body_new (10);
  g_autoptr(HesBoundedBody) exact = hes_bounded_body_new (10);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (hes_bounded_body_append (body, (const guint8 *) "12345", 5));
  g_assert_false (hes_bounded_body_append (body, (const guint8 *) "123456", 6));
  g_assert_false (hes_bounded_body_append (body, (const guint8 *) "1", 1));
  g_assert_null (hes_bounded_body_finish (g_steal_pointer (&body)));

  g_assert_true (hes_bounded_body_append (exact, (const guint8 *) "12345", 5));
  g_assert_true (hes_bounded_body_append (exact, (const guint8 *) "67890", 5));
  bytes = hes_bounded_body_finish (g_steal_pointer (&exact));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "1234567890", 10);

  g_assert_cmpuint (hes_http_answer_limit (HES_HTTP_ANSWER_JSON), ==, 16 * 1024 * 1024);
  g_assert_cmpuint (hes_http_answer_limit (HES_HTTP_ANSWER_PAGE), ==, 1024 * 1024);
  g_assert_cmpuint (hes_http_answer_limit (HES_HTTP_ANSWER_XML), ==, 256 * 1024);
}

static void
test_status_errors (void)
{
  g_autoptr(GError) a = hes_mailcow_error_from_status (502);
  g_autoptr(GError) b = hes_mailcow_error_from_status (404);
  g_autoptr(GError) c = hes_mailcow_error_from_status (403);
  g_autoptr(GError) d = hes_mailcow_error_from_status (400);

  g_assert_error (a, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER);
  g_assert_error (b, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_NOT_MAILCOW);
  g_assert_error (c, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  g_assert_error (d, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED);
}

static void
assert_server (const char *server, const char *base_url, const char *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (server, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hes_mailcow_client_get_base_url (client), ==, base_url);
  g_assert_cmpstr (hes_mailcow_client_get_host (client), ==, host);
  g_assert_false (hes_mailcow_client_get_signed_in (client));
  g_assert_null (hes_mailcow_client_get_username (client));
}

static void
assert_server_refused (const char *server, HesMailcowError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (server, &error);

  g_assert_null (client);
  g_assert_error (error, HES_MAILCOW_ERROR, (int) code);
}

static void
test_server_addresses (void)
{
  assert_server ("mail.example.com", "https://mail.example.com", "mail.example.com");
  assert_server (" https://Mail.Example.com/ ", "https://mail.example.com", "mail.example.com");
  assert_server ("https://mail.example.com:8443", "https://mail.example.com:8443", "mail.example.com");
  assert_server ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1");
  assert_server ("http://localhost:8080/", "http://localhost:8080", "localhost");
  assert_server ("http://[::1]:8080", "http://[::1]:8080", "::1");
  assert_server ("mail.café.example", "https://mail.xn--caf-dma.example", "mail.xn--caf-dma.example");

  assert_server_refused ("http://mail.example.com", HES_MAILCOW_ERROR_INSECURE_URL);
  assert_server_refused ("http://192.168.1.10", HES_MAILCOW_ERROR_INSECURE_URL);
  assert_server_refused ("", HES_MAILCOW_ERROR_INVALID_URL);
  assert_server_refused ("ftp://mail.example.com", HES_MAILCOW_ERROR_INVALID_URL);
  assert_server_refused ("https://mail.example.com/SOGo/so/", HES_MAILCOW_ERROR_INVALID_URL);
  assert_server_refused ("https://max@mail.example.com", HES_MAILCOW_ERROR_INVALID_URL);
  assert_server_refused ("mail example.com", HES_MAILCOW_ERROR_INVALID_URL);
}

/* Pages recorded from the real mailcow web app (mailcow-peer, commit 06424670f): max with a
 * TOTP, a WebAuthn and a Yubico OTP factor and one passkey without a name of our making. */
static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (MAILCOW_FIXTURES_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *html = NULL;

  g_assert_true (g_file_get_contents (path, &html, NULL, &error));
  g_assert_no_error (error);
  return html;
}

static void
test_account_factors_real (void)
{
  g_autofree char *html = read_fixture ("user-page-factors.html");
  g_autoptr(GPtrArray) factors = hes_mailcow_html_account_factors (html);
  g_autoptr(GPtrArray) alerts = hes_mailcow_html_alerts (html);
  HesMailcowFactor *factor;

  g_assert_cmpuint (factors->len, ==, 4);
  factor = g_ptr_array_index (factors, 0);
  g_assert_cmpint (factor->kind, ==, HES_MAILCOW_FACTOR_PASSKEY);
  g_assert_cmpstr (factor->id, ==, "a12871fee210fb8619291eaea194581cbd2531e4b23759d225f6806923f63222");
  g_assert_cmpstr (factor->name, ==, "Pass key");
  factor = g_ptr_array_index (factors, 1);
  g_assert_cmpint (factor->kind, ==, HES_MAILCOW_FACTOR_SECOND_FACTOR);
  g_assert_cmpstr (factor->id, ==, "1");
  g_assert_cmpstr (factor->name, ==, "Phone & <app>");
  factor = g_ptr_array_index (factors, 2);
  g_assert_cmpstr (factor->id, ==, "2");
  g_assert_cmpstr (factor->name, ==, "My key");
  factor = g_ptr_array_index (factors, 3);
  g_assert_cmpstr (factor->id, ==, "3");
  g_assert_cmpstr (factor->name, ==, "Yubi");
  /* Only literal alerts count, not the page's own mailcow_alert_box(lang_…) calls. */
  for (guint i = 0; i < alerts->len; i++)
    g_assert_null (strstr (((HesMailcowAlert *) g_ptr_array_index (alerts, i))->text, "lang_"));
}

static void
test_alerts_real (void)
{
  g_autofree char *html = read_fixture ("user-page-totp-saved.html");
  g_autoptr(GPtrArray) alerts = hes_mailcow_html_alerts (html);
  g_autoptr(GPtrArray) factors = hes_mailcow_html_account_factors (html);
  g_autofree char *token = hes_mailcow_html_csrf_token (html);
  const HesMailcowAlert *alert;

  alert = hes_mailcow_alerts_find (alerts, "success", "");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->text, ==, "Changes to object max@kunde.example have been saved");
  g_assert_nonnull (hes_mailcow_alerts_find (alerts, "warning", "Array"));
  g_assert_null (hes_mailcow_alerts_find (alerts, "danger", ""));
  /* The answer page lists the factor just stored. */
  g_assert_cmpuint (factors->len, ==, 1);
  g_assert_cmpstr (((HesMailcowFactor *) g_ptr_array_index (factors, 0))->name, ==,
                   "Phone & <app>");
  g_assert_cmpstr (token, ==, "fdbdb33ae8d72ee5543224aa04c66840bbd52e71c249511429d2936c6bcee520");
}

/* The older Bootstrap 3 markup (the simulator's before) and broken markup read the same way. */
static void
test_account_factors_markup (void)
{
  static const char old[] =
    "<div id=\"tfa_keys\"><form method=\"post\"><input type=\"hidden\" name=\"unset_tfa_key\" "
    "value=\"7\"><div class=\"label label-keys\"> My phone &lt;3 <a href=\"#\">[Remove]</a>"
    "</div></form>"
    "<form><input type=hidden name=unset_tfa_key value=12><span>Blue\n key<a>[x]</a>";
  static const char hostile[] =
    "<form><input type=\"hidden\" name=\"unset_tfa_key\" value=\"1 OR 1\">Evil</form>"
    "<input type=\"hidden\" name=\"unset_fido2_key\" value=\"zz\">"
    "<input type=\"text\" name=\"unset_tfa_key\" value=\"5\">";
  g_autoptr(GPtrArray) factors = hes_mailcow_html_account_factors (old);
  g_autoptr(GPtrArray) none = hes_mailcow_html_account_factors (hostile);
  g_autoptr(GPtrArray) empty = hes_mailcow_html_account_factors ("");

  g_assert_cmpuint (factors->len, ==, 2);
  g_assert_cmpstr (((HesMailcowFactor *) g_ptr_array_index (factors, 0))->name, ==, "My phone <3");
  g_assert_cmpstr (((HesMailcowFactor *) g_ptr_array_index (factors, 1))->id, ==, "12");
  g_assert_cmpstr (((HesMailcowFactor *) g_ptr_array_index (factors, 1))->name, ==, "Blue key");
  /* Ids that are not row ids or cids, and inputs that are not hidden, are no factors. */
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcow-parse/html/factors", test_factors);
  g_test_add_func ("/mailcow-parse/html/account-factors-real", test_account_factors_real);
  g_test_add_func ("/mailcow-parse/html/alerts-real", test_alerts_real);
  g_test_add_func ("/mailcow-parse/html/account-factors-markup", test_account_factors_markup);
  g_test_add_func ("/mailcow-parse/html/login-page", test_login_page);
  g_test_add_func ("/mailcow-parse/html/pending-action", test_pending_action);
  g_test_add_func ("/mailcow-parse/html/csrf-token", test_csrf_token);
  g_test_add_func ("/mailcow-parse/html/unescape", test_unescape);
  g_test_add_func ("/mailcow-parse/json/body", test_json_body);
  g_test_add_func ("/mailcow-parse/json/entries", test_entries);
  g_test_add_func ("/mailcow-parse/json/refusals", test_refusals);
  g_test_add_func ("/mailcow-parse/json/domains", test_domains);
  g_test_add_func ("/mailcow-parse/json/mailboxes", test_mailboxes);
  g_test_add_func ("/mailcow-parse/json/dkim", test_dkim);
  g_test_add_func ("/mailcow-parse/json/policy", test_policy_json);
  g_test_add_func ("/mailcow-parse/policy/check", test_policy_check);
  g_test_add_func ("/mailcow-parse/policy/describe", test_policy_describe);
  g_test_add_func ("/mailcow-parse/errors/transport", test_transport_errors);
  g_test_add_func ("/mailcow-parse/errors/tls", test_tls_sentence);
  g_test_add_func ("/mailcow-parse/json/limits", test_json_limits);
  g_test_add_func ("/mailcow-parse/bounded-body", test_bounded_body);
  g_test_add_func ("/mailcow-parse/autoconfig-limits", test_autoconfig_limits);
  g_test_add_func ("/mailcow-parse/errors/status", test_status_errors);
  g_test_add_func ("/mailcow-parse/server-addresses", test_server_addresses);

  return g_test_run ();
}
