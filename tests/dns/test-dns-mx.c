/* test-dns-mx.c: MX set checks (RFC 5321 §5, RFC 2181 §10.3, RFC 7505) */
#include <glib.h>
#include <string.h>

#include "hes-dns-mx.h"

#define H "mail.hosterra.test"
#define D "kunde.example"

static HesDnsFinding *
run (const HesDnsMxTarget *targets, guint n)
{
  return hes_dns_mx_check (targets, n, H, D, 10);
}

static void
test_cases (void)
{
  HesDnsMxTarget ours = { H, 10, FALSE, FALSE };
  HesDnsMxTarget ours_upper = { "mail.hosterra.test", 20, FALSE, FALSE };
  HesDnsMxTarget other = { "mx.other-provider.example", 20, FALSE, FALSE };
  HesDnsMxTarget appended = { H "." D, 10, FALSE, FALSE };
  HesDnsMxTarget alias = { H, 10, TRUE, FALSE };
  HesDnsMxTarget literal = { "192.0.2.25", 10, FALSE, FALSE };
  HesDnsMxTarget null_mx = { "", 0, FALSE, FALSE };
  HesDnsMxTarget no_addr = { H, 10, FALSE, TRUE };
  struct { HesDnsMxTarget t[2]; guint n; HesDnsVerdict v; const char *needle; } cases[] = {
    { { ours }, 1, HES_DNS_VERDICT_OK, NULL },
    { { ours_upper }, 1, HES_DNS_VERDICT_OK, NULL },         /* preference is not compared */
    { { ours, other }, 2, HES_DNS_VERDICT_WRONG, "mx.other-provider.example" },
    { { other }, 1, HES_DNS_VERDICT_WRONG, NULL },
    { { appended }, 1, HES_DNS_VERDICT_WRONG, H "." D },
    { { alias }, 1, HES_DNS_VERDICT_WRONG, "CNAME" },
    { { literal }, 1, HES_DNS_VERDICT_WRONG, NULL },
    { { null_mx }, 1, HES_DNS_VERDICT_WRONG, NULL },
    { { no_addr }, 1, HES_DNS_VERDICT_WRONG, NULL },
    { { { 0, } }, 0, HES_DNS_VERDICT_MISSING, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HesDnsFinding) f = run (cases[i].t, cases[i].n);

      g_test_message ("case %u: %s", i, f->explanation ? f->explanation : "");
      g_assert_cmpint (f->verdict, ==, cases[i].v);
      g_assert_cmpuint (f->found->len, ==, cases[i].n);
      if (cases[i].needle)
        g_assert_nonnull (strstr (f->explanation, cases[i].needle));
      if (f->verdict == HES_DNS_VERDICT_MISSING || i == 2 || i == 3 || i == 4)
        g_assert_cmpstr (f->fix, ==, "10 " H ".");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/mx/cases", test_cases);
  return g_test_run ();
}
