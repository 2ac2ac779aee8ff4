/* test-imap-parse.c: reading IMAP answers, mailbox names, and what refusals mean. */
#define G_LOG_DOMAIN "test-imap-parse"

#include "config.h"

#include <string.h>

#include "hes-imap-error.h"
#include "hes-imap-parse.h"

static GPtrArray *
tokenize (const char *text)
{
  return hes_imap_tokenize (text, strlen (text));
}

static void
assert_token (GPtrArray        *tokens,
              guint             index,
              HesImapTokenKind  kind,
              const char       *value)
{
  HesImapToken *token;

  g_assert_cmpuint (index, <, tokens->len);
  token = g_ptr_array_index (tokens, index);
  g_assert_cmpint (token->kind, ==, kind);
  g_assert_cmpstr (token->value, ==, value);
}

static void
test_tokenize (void)
{
  g_autoptr(GPtrArray) tokens = tokenize ("* LIST (\\Noselect) \"/\" \"a \\\"b\\\" \\\\c\" NIL {3}\r\nx y");

  g_assert_nonnull (tokens);
  g_assert_cmpuint (tokens->len, ==, 9);
  assert_token (tokens, 0, HES_IMAP_TOKEN_ATOM, "*");
  assert_token (tokens, 1, HES_IMAP_TOKEN_ATOM, "LIST");
  assert_token (tokens, 2, HES_IMAP_TOKEN_OPEN, NULL);
  assert_token (tokens, 3, HES_IMAP_TOKEN_ATOM, "\\Noselect");
  assert_token (tokens, 4, HES_IMAP_TOKEN_CLOSE, NULL);
  assert_token (tokens, 5, HES_IMAP_TOKEN_STRING, "/");
  assert_token (tokens, 6, HES_IMAP_TOKEN_STRING, "a \"b\" \\c");
  assert_token (tokens, 7, HES_IMAP_TOKEN_NIL, NULL);
  assert_token (tokens, 8, HES_IMAP_TOKEN_STRING, "x y");
  g_clear_pointer (&tokens, g_ptr_array_unref);

  /* The literal "{3}" takes exactly three bytes, spaces included. */
  tokens = tokenize ("{3}\r\nx y rest");
  assert_token (tokens, 0, HES_IMAP_TOKEN_STRING, "x y");
  assert_token (tokens, 1, HES_IMAP_TOKEN_ATOM, "rest");
}

static void
test_tokenize_malformed (void)
{
  const char *bad[] = {
    "\"unterminated", "{5}\r\nabc", "{x}\r\nabc", "{3}abc", "{99999999999}\r\n", "a\nb",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) tokens = tokenize (bad[i]);

      g_assert_null (tokens);
    }
}

static void
test_list (void)
{
  const char *line;
  g_autofree char *name = NULL;
  gboolean selectable = FALSE;

  line = "* LIST (\\HasNoChildren) \".\" INBOX";
  g_assert_true (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  g_assert_cmpstr (name, ==, "INBOX");
  g_assert_true (selectable);
  g_clear_pointer (&name, g_free);

  line = "* list (\\NoSelect \\HasChildren) NIL \"Archives\"";
  g_assert_true (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  g_assert_cmpstr (name, ==, "Archives");
  g_assert_false (selectable);
  g_clear_pointer (&name, g_free);

  line = "* LIST (\\NonExistent) \"/\" Gone";
  g_assert_true (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  g_assert_false (selectable);
  g_clear_pointer (&name, g_free);

  line = "* LIST () \"/\" {9}\r\nWith\"Odd\\";
  g_assert_true (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  g_assert_cmpstr (name, ==, "With\"Odd\\");
  g_clear_pointer (&name, g_free);

  line = "* LSUB () \"/\" INBOX";
  g_assert_false (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  line = "* LIST \\HasNoChildren \"/\" INBOX";
  g_assert_false (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  line = "* LIST () \"/\"";
  g_assert_false (hes_imap_parse_list (line, strlen (line), &name, &selectable));
  g_assert_null (name);
}

static void
test_status (void)
{
  const char *line;
  g_autofree char *name = NULL;
  gint64 messages = 0, size = 0;

  line = "* STATUS \"Sent Items\" (MESSAGES 231 SIZE 44370014)";
  g_assert_true (hes_imap_parse_status (line, strlen (line), &name, &messages, &size));
  g_assert_cmpstr (name, ==, "Sent Items");
  g_assert_cmpint (messages, ==, 231);
  g_assert_cmpint (size, ==, 44370014);
  g_clear_pointer (&name, g_free);

  line = "* STATUS INBOX (UIDNEXT 44 MESSAGES 0)";
  g_assert_true (hes_imap_parse_status (line, strlen (line), &name, &messages, &size));
  g_assert_cmpint (messages, ==, 0);
  g_assert_cmpint (size, ==, -1);
  g_clear_pointer (&name, g_free);

  line = "* STATUS INBOX (MESSAGES many)";
  g_assert_false (hes_imap_parse_status (line, strlen (line), &name, &messages, &size));
  line = "* STATUS INBOX (MESSAGES -3)";
  g_assert_false (hes_imap_parse_status (line, strlen (line), &name, &messages, &size));
  line = "* STATUS INBOX (MESSAGES 3";
  g_assert_false (hes_imap_parse_status (line, strlen (line), &name, &messages, &size));
  g_assert_null (name);
}

static void
test_capabilities (void)
{
  g_auto(GStrv) listed = hes_imap_parse_capabilities ("* CAPABILITY IMAP4rev1 auth=plain  SASL-IR");
  g_auto(GStrv) coded = hes_imap_parse_capabilities ("[CAPABILITY IMAP4rev1 STATUS=SIZE] Logged in");
  g_auto(GStrv) none = hes_imap_parse_capabilities ("Logged in");

  g_assert_nonnull (listed);
  g_assert_cmpuint (g_strv_length (listed), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) listed, "AUTH=PLAIN"));
  g_assert_true (g_strv_contains ((const char * const *) coded, "STATUS=SIZE"));
  g_assert_null (none);
}

static void
test_response_code (void)
{
  g_autofree char *failed = hes_imap_response_code ("[AUTHENTICATIONFAILED] Invalid credentials");
  g_autofree char *referral = hes_imap_response_code (" [referral imap://x/] go");
  g_autofree char *none = hes_imap_response_code ("Logged in");
  g_autofree char *broken = hes_imap_response_code ("[ALERT");

  g_assert_cmpstr (failed, ==, "AUTHENTICATIONFAILED");
  g_assert_cmpstr (referral, ==, "REFERRAL");
  g_assert_null (none);
  g_assert_null (broken);
}

static void
test_mutf7 (void)
{
  static const struct { const char *raw; const char *utf8; } cases[] = {
    { "INBOX", "INBOX" },
    { "&AMk-l&AOk-ments envoy&AOk-s", "Éléments envoyés" },
    { "Tom &- Jerry", "Tom & Jerry" },
    { "&ZeVnLIqe-", "日本語" },
    { "&2D3eAA-", "😀" },                 /* a surrogate pair */
    { "Corbeille/&AMA- trier", "Corbeille/À trier" },
    { "Déjà UTF-8", "Déjà UTF-8" },       /* some servers send UTF-8 as it is */
  };
  const char *invalid[] = { "&AMk", "&A-", "&AM!-", "&2D0-" /* lone surrogate */ };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *decoded = hes_imap_mutf7_decode (cases[i].raw);

      g_assert_cmpstr (decoded, ==, cases[i].utf8);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *decoded = hes_imap_mutf7_decode (invalid[i]);

      g_assert_null (decoded);
    }
}

static void
test_quote (void)
{
  g_autofree char *plain = hes_imap_quote ("Sent Items");
  g_autofree char *odd = hes_imap_quote ("a\"b\\c");

  g_assert_cmpstr (plain, ==, "\"Sent Items\"");
  g_assert_cmpstr (odd, ==, "\"a\\\"b\\\\c\"");
}

static void
test_classify (void)
{
  static const struct { const char *text; HesImapError code; } cases[] = {
    { "[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
      HES_IMAP_ERROR_APP_PASSWORD_REQUIRED },
    { "[ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
      HES_IMAP_ERROR_APP_PASSWORD_REQUIRED },
    { "[AUTHENTICATIONFAILED] Use an app password to sign in", HES_IMAP_ERROR_APP_PASSWORD_REQUIRED },
    { "LOGIN failed: WebLoginRequired", HES_IMAP_ERROR_APP_PASSWORD_REQUIRED },
    { "[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
      HES_IMAP_ERROR_IMAP_DISABLED },
    { "IMAP access is disabled for this account.", HES_IMAP_ERROR_IMAP_DISABLED },
    { "[UNAVAILABLE] Service temporarily unavailable", HES_IMAP_ERROR_IMAP_DISABLED },
    { "[CONTACTADMIN] Account locked", HES_IMAP_ERROR_IMAP_DISABLED },
    { "[AUTHENTICATIONFAILED] Authentication failed.", HES_IMAP_ERROR_AUTH_FAILED },
    { "[AUTHENTICATIONFAILED] Invalid credentials (Failure)", HES_IMAP_ERROR_AUTH_FAILED },
    { "AUTHENTICATE failed.", HES_IMAP_ERROR_AUTH_FAILED },
    { "LOGIN failed.", HES_IMAP_ERROR_AUTH_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hes_imap_classify_refusal (cases[i].text), ==, cases[i].code);
}

static void
test_error_messages (void)
{
  for (int code = HES_IMAP_ERROR_HOST_NOT_FOUND; code <= HES_IMAP_ERROR_PROTOCOL; code++)
    {
      g_autoptr(GError) error = hes_imap_error_new (code, "imap.example.net", 993);
      const char *name = hes_imap_error_code_to_string (code);

      g_assert_error (error, HES_IMAP_ERROR, code);
      /* One sentence that says what to do: it ends with a full stop, and names no code. */
      g_assert_true (g_str_has_suffix (error->message, "."));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpstr (name, !=, "unknown");
      g_assert_null (strstr (error->message, name));
    }
  g_assert_cmpstr (hes_imap_error_code_to_string (HES_IMAP_ERROR_AUTH_FAILED), ==, "auth_failed");
  g_assert_cmpstr (hes_imap_error_code_to_string (99), ==, "unknown");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imap/parse/tokenize", test_tokenize);
  g_test_add_func ("/imap/parse/tokenize-malformed", test_tokenize_malformed);
  g_test_add_func ("/imap/parse/list", test_list);
  g_test_add_func ("/imap/parse/status", test_status);
  g_test_add_func ("/imap/parse/capabilities", test_capabilities);
  g_test_add_func ("/imap/parse/response-code", test_response_code);
  g_test_add_func ("/imap/parse/mutf7", test_mutf7);
  g_test_add_func ("/imap/parse/quote", test_quote);
  g_test_add_func ("/imap/parse/classify", test_classify);
  g_test_add_func ("/imap/parse/error-messages", test_error_messages);
  return g_test_run ();
}
