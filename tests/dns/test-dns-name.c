/* test-dns-name.c: name normalisation and the appended-domain mistake */
#include <glib.h>

#include "hes-dns-name.h"

static void
test_normalise (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "Mail.Hosterra.TEST.", "mail.hosterra.test" },
    { "kunde.example", "kunde.example" },
    { "müller.example", "xn--mller-kva.example" },
    { "MÜLLER.Example.", "xn--mller-kva.example" },
    { ".", "" },
    { "", "" },
    { "a..b", NULL },
    { ".leading", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hes_dns_name_normalise (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
  g_assert_true (hes_dns_name_equal ("KUNDE.example.", "kunde.EXAMPLE"));
  g_assert_false (hes_dns_name_equal ("kunde.example", "kunde.example.org"));
}

static void
test_below (void)
{
  g_assert_true (hes_dns_name_is_below ("a.kunde.example", "kunde.example"));
  g_assert_true (hes_dns_name_is_below ("kunde.example", "kunde.example"));
  g_assert_false (hes_dns_name_is_below ("akunde.example", "kunde.example"));
  g_assert_true (hes_dns_name_is_below ("anything", ""));
  g_assert_cmpstr (hes_dns_name_parent ("a.b.c"), ==, "b.c");
  g_assert_cmpstr (hes_dns_name_parent ("c"), ==, "");
  g_assert_null (hes_dns_name_parent (""));
}

static void
test_appended (void)
{
  g_assert_true (hes_dns_name_is_appended ("mail.hosterra.test.kunde.example",
                                           "mail.hosterra.test", "kunde.example"));
  g_assert_true (hes_dns_name_is_appended ("MAIL.hosterra.test.Kunde.Example.",
                                           "mail.hosterra.test.", "kunde.example"));
  g_assert_false (hes_dns_name_is_appended ("mail.hosterra.test", "mail.hosterra.test",
                                            "kunde.example"));
  g_assert_false (hes_dns_name_is_appended ("mx.other.example.kunde.example",
                                            "mail.hosterra.test", "kunde.example"));
  g_assert_false (hes_dns_name_is_appended ("x", "", "kunde.example"));
}

static void
test_ip_literal (void)
{
  g_assert_true (hes_dns_name_is_ip_literal ("192.0.2.25"));
  g_assert_true (hes_dns_name_is_ip_literal ("2001:db8::25"));
  g_assert_false (hes_dns_name_is_ip_literal ("mail.hosterra.test"));
  g_assert_false (hes_dns_name_is_ip_literal (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/name/normalise", test_normalise);
  g_test_add_func ("/dns/name/below", test_below);
  g_test_add_func ("/dns/name/appended", test_appended);
  g_test_add_func ("/dns/name/ip-literal", test_ip_literal);
  return g_test_run ();
}
