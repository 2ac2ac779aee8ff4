/* test-dns-dkim.c: DKIM record parsing and key comparison (RFC 6376 §3.6.1, RFC 8301) */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-dkim.h"
#include "hes-test-keys.h"

static HesDnsFinding *
check1 (const char *text, const char *expected)
{
  const char *texts[] = { text, NULL };

  return hes_dns_dkim_check (texts, expected, "v=DKIM1; k=rsa; p=X");
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsDkimRecord) r = hes_dns_dkim_parse ("v=DKIM1; k=rsa; t=s; s=email; p=AB CD\t=;", &error);
  const char *bad[] = {
    "k=rsa; v=DKIM1; p=AA",      /* v= not first */
    "v=DKIM2; p=AA",             /* wrong version */
    "v=DKIM1; k=rsa",            /* no p= */
    "v=DKIM1; p=AA; p=BB",       /* duplicate tag */
    "v=DKIM1;; p=AA",            /* empty tag-spec inside */
    "v=DKIM1; 1x=a; p=AA",       /* bad tag name */
    "v=DKIM1; p",                /* no '=' */
    "",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (r->public_key, ==, "ABCD=");
  g_assert_cmpstr (r->key_type, ==, "rsa");
  g_assert_cmpstr (g_hash_table_lookup (r->tags, "s"), ==, "email");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(HesDnsDkimRecord) b = hes_dns_dkim_parse (bad[i], &error);

      g_assert_null (b);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  /* Without v= and k= the record is still valid; k defaults to rsa. */
  {
    g_autoptr(HesDnsDkimRecord) minimal = hes_dns_dkim_parse ("p=QUJD", NULL);

    g_assert_nonnull (minimal);
    g_assert_cmpstr (minimal->key_type, ==, "rsa");
  }
}

static void
test_unquote (void)
{
  g_autofree char *a = hes_dns_dkim_unquote ("\"v=DKIM1;k=rsa;\" \"p=AB\\\"C\"");
  g_autofree char *b = hes_dns_dkim_unquote ("  v=DKIM1; p=AB ");

  g_assert_cmpstr (a, ==, "v=DKIM1;k=rsa;p=AB\"C");
  g_assert_cmpstr (b, ==, "v=DKIM1; p=AB");
}

static void
test_key_material (void)
{

  g_assert_cmpuint (hes_dns_dkim_key_bits (TEST_KEY_A2048), ==, 2048);
  g_assert_cmpuint (hes_dns_dkim_key_bits (TEST_KEY_C1024), ==, 1024);
  g_assert_cmpuint (hes_dns_dkim_key_bits ("not base64 !"), ==, 0);
  g_assert_cmpuint (hes_dns_dkim_key_bits ("QUJDRA=="), ==, 0);
  g_assert_true (hes_dns_dkim_same_key (TEST_KEY_A2048, TEST_KEY_A2048));
  g_assert_false (hes_dns_dkim_same_key (TEST_KEY_A2048, TEST_KEY_B2048));
  g_assert_false (hes_dns_dkim_same_key (TEST_KEY_A2048, "garbage"));
}

static void
test_check (void)
{
  g_autofree char *good = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", TEST_KEY_A2048);
  /* Extra tags and a space inside p=: a string compare fails, the key compare does not. */
  g_autofree char *extra = g_strdup_printf ("v=DKIM1; h=sha256; k=rsa; s=email; p=%.100s %s",
                                            TEST_KEY_A2048, &TEST_KEY_A2048[100]);
  g_autofree char *other = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", TEST_KEY_B2048);
  g_autofree char *short_key = g_strdup_printf ("v=DKIM1; p=%s", TEST_KEY_C1024);
  g_autofree char *tiny = g_strdup_printf ("v=DKIM1; p=%s", TEST_KEY_D512);
  g_autofree char *ed = g_strdup_printf ("v=DKIM1; k=ed25519; p=%s", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  const char *two[] = { good, good, NULL };
  const char *none[] = { NULL };
  struct { const char *text; const char *expected; HesDnsVerdict verdict; gboolean weak; } cases[] = {
    { good, TEST_KEY_A2048, HES_DNS_VERDICT_OK, FALSE },
    { extra, TEST_KEY_A2048, HES_DNS_VERDICT_OK, FALSE },
    { good, NULL, HES_DNS_VERDICT_OK, FALSE },
    { other, TEST_KEY_A2048, HES_DNS_VERDICT_WRONG, FALSE },
    { "v=DKIM1; k=rsa; p=", TEST_KEY_A2048, HES_DNS_VERDICT_WRONG, FALSE },
    { "v=DKIM1; k=rsa; p=", NULL, HES_DNS_VERDICT_WRONG, FALSE },
    { "v=DKIM1; k=rsa p=abc", NULL, HES_DNS_VERDICT_WRONG, FALSE },
    { "v=DKIM1; p=QUJDRA==", NULL, HES_DNS_VERDICT_WRONG, FALSE },
    { short_key, NULL, HES_DNS_VERDICT_OK, TRUE },
    { tiny, NULL, HES_DNS_VERDICT_WRONG, FALSE },
    /* RFC 8463: without a key to compare with, a valid ed25519 record is right... */
    { ed, NULL, HES_DNS_VERDICT_OK, FALSE },
    /* ...a damaged one is not, and mailcow's RSA key is not an ed25519 one. */
    { "v=DKIM1; k=ed25519; p=QUJDRA==", NULL, HES_DNS_VERDICT_WRONG, FALSE },
    { ed, TEST_KEY_A2048, HES_DNS_VERDICT_WRONG, FALSE },
    /* An unreadable key to compare with is never compared with. */
    { good, "p=not-a-key", HES_DNS_VERDICT_OK, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HesDnsFinding) f = check1 (cases[i].text, cases[i].expected);

      g_test_message ("case %u", i);
      g_assert_cmpint (f->verdict, ==, cases[i].verdict);
      g_assert_cmpint (f->weak, ==, cases[i].weak);
      g_assert_cmpuint (f->found->len, ==, 1);
      if (f->verdict != HES_DNS_VERDICT_OK)
        g_assert_nonnull (f->explanation);
    }
  {
    g_autoptr(HesDnsFinding) f = hes_dns_dkim_check (two, TEST_KEY_A2048, NULL);
    g_autoptr(HesDnsFinding) m = hes_dns_dkim_check (none, TEST_KEY_A2048, "v=DKIM1; p=X");

    g_assert_cmpint (f->verdict, ==, HES_DNS_VERDICT_WRONG);
    g_assert_cmpuint (f->found->len, ==, 2);
    g_assert_cmpint (m->verdict, ==, HES_DNS_VERDICT_MISSING);
    g_assert_cmpstr (m->fix, ==, "v=DKIM1; p=X");
  }
}

/* --dkim-key: the forms people paste, and nothing else. */
static void
test_key_from_text (void)
{
  g_autofree char *p_form = g_strdup_printf ("p=%s", TEST_KEY_A2048);
  g_autofree char *record = g_strdup_printf ("v=DKIM1; k=rsa; t=s; p=%s;", TEST_KEY_A2048);
  g_autofree char *wrapped = g_strdup_printf ("%.60s\n  %.60s\r\n%s\n", TEST_KEY_A2048,
                                              &TEST_KEY_A2048[60], &TEST_KEY_A2048[120]);
  g_autofree char *quoted = g_strdup_printf ("\"v=DKIM1; k=rsa; p=%.100s\" \"%s\"", TEST_KEY_A2048,
                                             &TEST_KEY_A2048[100]);
  const char *good[] = { TEST_KEY_A2048, p_form, record, wrapped, quoted };
  const char *bad[] = { "", "   \n", "not base64 at all!", "QUJDRA==", "p=", "v=DKIM1; k=rsa",
                        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = hes_dns_dkim_key_from_text (good[i], &error);

      g_test_message ("good %u", i);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, TEST_KEY_A2048);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = hes_dns_dkim_key_from_text (bad[i], &error);

      g_test_message ("bad %u", i);
      g_assert_null (key);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_null (strchr (error->message, '\n'));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/dkim/parse", test_parse);
  g_test_add_func ("/dns/dkim/unquote", test_unquote);
  g_test_add_func ("/dns/dkim/key-material", test_key_material);
  g_test_add_func ("/dns/dkim/check", test_check);
  g_test_add_func ("/dns/dkim/key-from-text", test_key_from_text);
  return g_test_run ();
}
