/* test-dns-name.c: name normalisation and the appended-domain mistake */
#include <glib.h>

#include <gio/gio.h>
#include <string.h>

#include "hes-dns-name.h"
#include "hes-dns-name-check.h"

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

/* Names are checked before anything is looked up or printed: RFC 1035 lengths, LDH labels,
 * IDNA through GLib, "_" only in a record's own name, no IP address or URL as a host. */
static void
test_check (void)
{
  g_autofree char *label63 = g_strnfill (63, 'a');
  g_autofree char *label64 = g_strnfill (64, 'a');
  g_autofree char *ok63 = g_strconcat (label63, ".example", NULL);
  g_autofree char *bad64 = g_strconcat (label64, ".example", NULL);
  g_autofree char *long_name = NULL;
  struct { const char *in; HesDnsNameUse use; const char *out; } cases[] = {
    { "Kunde.Example.", HES_DNS_NAME_USE_DOMAIN, "kunde.example" },
    { "müller.example", HES_DNS_NAME_USE_DOMAIN, "xn--mller-kva.example" },
    { "mail.hosterra.test", HES_DNS_NAME_USE_MAIL_HOST, "mail.hosterra.test" },
    { ok63, HES_DNS_NAME_USE_DOMAIN, ok63 },
    { "dkim", HES_DNS_NAME_USE_SELECTOR, "dkim" },
    { "s2026.mail", HES_DNS_NAME_USE_SELECTOR, "s2026.mail" },
    { "_dmarc.kunde.example", HES_DNS_NAME_USE_OWNER, "_dmarc.kunde.example" },
    { bad64, HES_DNS_NAME_USE_DOMAIN, NULL },
    { "kunde.example\nevil 1 IN A 1.2.3.4", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "mail.example\n", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "kunde .example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "kunde\".example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "kunde;example.org", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "-kunde.example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "kunde-.example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "kunde", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "a..example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "192.0.2.25", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "2001:db8::25", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "https://mail.example/", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "mail.example/", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "mail.123", HES_DNS_NAME_USE_MAIL_HOST, NULL },
    { "_dmarc.kunde.example", HES_DNS_NAME_USE_DOMAIN, NULL },
    { "a b;c", HES_DNS_NAME_USE_SELECTOR, NULL },
    { "dk_im", HES_DNS_NAME_USE_SELECTOR, NULL },
    { "", HES_DNS_NAME_USE_SELECTOR, NULL },
    { "\xff\xfe.example", HES_DNS_NAME_USE_DOMAIN, NULL },
  };
  GString *many = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = hes_dns_name_check (cases[i].in, cases[i].use, &error);

      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].out);
      if (cases[i].out == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          /* One sentence, and it never carries a line break or a quote it was given. */
          g_assert_null (strchr (error->message, '\n'));
          g_assert_null (strstr (error->message, "evil"));
        }
      else
        g_assert_no_error (error);
    }
  /* 253 characters at most. */
  while (many->len < 250)
    g_string_append (many, "abcdefghi.");
  g_string_append (many, "example");
  long_name = g_string_free (many, FALSE);
  g_assert_null (hes_dns_name_check (long_name, HES_DNS_NAME_USE_DOMAIN, NULL));
  g_assert_true (hes_dns_name_is_zone_safe ("_imaps._tcp", TRUE));
  g_assert_false (hes_dns_name_is_zone_safe ("_imaps._tcp", FALSE));
  g_assert_false (hes_dns_name_is_zone_safe ("a\nb", TRUE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/name/normalise", test_normalise);
  g_test_add_func ("/dns/name/below", test_below);
  g_test_add_func ("/dns/name/appended", test_appended);
  g_test_add_func ("/dns/name/ip-literal", test_ip_literal);
  g_test_add_func ("/dns/name/check", test_check);
  return g_test_run ();
}
