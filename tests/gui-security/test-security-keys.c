/* test-security-keys.c: reading the key lists and the alerts of mailcow's role pages, from
 * pages rendered by the simulator (as mailcow's templates do) and from hand-made edge cases. */
#define G_LOG_DOMAIN "test-security-keys"

#include "config.h"

#include "pages/security/hes-security-keys.h"

static const char page[] =
  "<html><body>\n"
  "  <table class=\"table table-condensed\" id=\"fido2_keys\">\n"
  "    <tr>\n      <td>Clé &quot;bureau&quot; &amp; co</td>\n"
  "      <td style=\"min-width:240px;text-align: right\">\n"
  "        <form style=\"display:inline;\" method=\"post\">\n"
  "          <input type=\"hidden\" name=\"unset_fido2_key\" value=\"0a1B2c\">\n"
  "        </form>\n      </td>\n    </tr>\n"
  "    <tr>\n      <td></td>\n      <td><form method=\"post\">\n"
  "          <input type=\"hidden\" name=\"unset_fido2_key\" value=\"ffee\">\n"
  "      </form></td>\n    </tr>\n"
  "  </table>\n"
  "  <div id=\"tfa_keys\">\n"
  "    <form style=\"display:inline;\" method=\"post\">\n"
  "      <input type=\"hidden\" name=\"unset_tfa_key\" value=\"7\">\n"
  "      <div style=\"padding:4px;margin:4px\" class=\"label label-keys label-default\">\n"
  "        My phone &lt;3\n"
  "        <a href=\"#\" onClick=\"$(this).closest('form').submit()\">[Remove]</a>\n"
  "      </div>\n    </form>\n"
  "    <form style=\"display:inline;\" method=\"post\">\n"
  "      <input type=\"hidden\" name=\"unset_tfa_key\" value=\"12\">\n"
  "      <div class=\"label\">\n        Blue key\n        <a href=\"#\">[Remove]</a>\n"
  "      </div>\n    </form>\n"
  "  </div>\n"
  "  <script>\n"
  "    mailcow_alert_box('Last\\u0020key\\u0020cannot\\u0020be\\u0020deleted', 'danger');\n"
  "    mailcow_alert_box('Changes\\u0020to\\u0020object\\u0020anna\\u0040example.test\\u0020have"
  "\\u0020been\\u0020saved<br>Array', 'success');\n"
  "  </script>\n</body></html>\n";

static void
test_keys (void)
{
  g_autoptr(GPtrArray) keys = hes_security_keys_parse (page);
  HesSecurityKey *key;

  g_assert_cmpuint (keys->len, ==, 4);
  key = g_ptr_array_index (keys, 0);
  g_assert_cmpint (key->kind, ==, HES_SECURITY_KEY_PASSWORDLESS);
  g_assert_cmpstr (key->id, ==, "0a1B2c");
  g_assert_cmpstr (key->name, ==, "Clé \"bureau\" & co");
  key = g_ptr_array_index (keys, 1);
  g_assert_cmpstr (key->id, ==, "ffee");
  g_assert_cmpstr (key->name, ==, "");
  key = g_ptr_array_index (keys, 2);
  g_assert_cmpint (key->kind, ==, HES_SECURITY_KEY_SECOND_FACTOR);
  g_assert_cmpstr (key->id, ==, "7");
  g_assert_cmpstr (key->name, ==, "My phone <3");
  key = g_ptr_array_index (keys, 3);
  g_assert_cmpstr (key->id, ==, "12");
  g_assert_cmpstr (key->name, ==, "Blue key");
}

static void
test_no_keys (void)
{
  g_autoptr(GPtrArray) none = hes_security_keys_parse ("<html>Login</html>");
  g_autoptr(GPtrArray) empty = hes_security_keys_parse (
    "<table id=\"fido2_keys\"></table><div id=\"tfa_keys\"></div>"
    "<form><input type=\"hidden\" name=\"unset_tfa_key\" value=\"x\"></form>");

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_alerts (void)
{
  g_autoptr(GPtrArray) alerts = hes_mailcow_alerts_parse (page);
  const HesMailcowAlert *alert;

  g_assert_cmpuint (alerts->len, ==, 2);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (alert->type, ==, "danger");
  g_assert_cmpstr (alert->text, ==, "Last key cannot be deleted");
  alert = hes_mailcow_alerts_find (alerts, "success", "have been saved");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->text, ==,
                   "Changes to object anna@example.test have been saved<br>Array");
  g_assert_null (hes_mailcow_alerts_find (alerts, "success", "Last key"));
  g_assert_null (hes_mailcow_alerts_find (alerts, "warning", ""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/security-keys/keys", test_keys);
  g_test_add_func ("/security-keys/no-keys", test_no_keys);
  g_test_add_func ("/security-keys/alerts", test_alerts);

  return g_test_run ();
}
