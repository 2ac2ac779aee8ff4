/* test-dns-wire.c: parsing DNS messages, well-formed and malformed */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-wire.h"

/* A hand-made response: "kunde.example MX 10 mail.kunde.example" with name compression,
 * a TXT record of two strings and an authority SOA. */
static const guint8 response[] = {
  0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00,
  /* question: kunde.example MX IN  (offset 12) */
  5, 'k', 'u', 'n', 'd', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0x00, 0x0f, 0x00, 0x01,
  /* answer 1: ptr to 12, MX, IN, TTL 3600, rdlen 9: 10 "mail" + ptr 12 */
  0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x09,
  0x00, 0x0a, 4, 'M', 'A', 'I', 'L', 0xc0, 0x0c,
  /* answer 2: TXT "ab" "cd" TTL 60 */
  0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06,
  2, 'a', 'b', 2, 'c', 'd',
  /* authority: SOA TTL 900, mname ns1+ptr, rname ptr, 5 numbers (minimum 300) */
  0xc0, 0x0c, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x03, 0x84, 0x00, 0x1c,
  3, 'n', 's', '1', 0xc0, 0x0c, 0xc0, 0x0c,
  0x78, 0x9a, 0xbc, 0xde, 0, 0, 0x0e, 0x10, 0, 0, 0x03, 0x84, 0, 0x12, 0x75, 0x00, 0, 0, 0x01, 0x2c,
};

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) a = hes_dns_wire_parse (response, sizeof response, &error);
  HesDnsRr *rr;

  g_assert_no_error (error);
  g_assert_cmpint (a->rcode, ==, HES_DNS_RCODE_NOERROR);
  g_assert_true (a->aa);
  g_assert_cmpuint (a->records->len, ==, 2);
  rr = g_ptr_array_index (a->records, 0);
  g_assert_cmpstr (rr->target, ==, "mail.kunde.example");
  g_assert_cmpuint (rr->priority, ==, 10);
  rr = g_ptr_array_index (a->records, 1);
  g_assert_cmpstr (rr->text, ==, "abcd");
  g_assert_cmpuint (g_strv_length (rr->strings), ==, 2);
  g_assert_cmpuint (rr->ttl, ==, 60);
  rr = g_ptr_array_index (a->authority, 0);
  g_assert_cmpuint (rr->serial, ==, 0x789abcde);
  g_assert_cmpint (a->negative_ttl, ==, 300);
}

static void
test_malformed (void)
{
  guint8 copy[sizeof response];

  /* Every truncation must fail cleanly (or parse fewer records), never crash. */
  for (gsize len = 0; len < sizeof response; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HesDnsAnswer) a = hes_dns_wire_parse (response, len, &error);

      g_assert_true ((a == NULL) == (error != NULL));
      if (len < 12)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
  /* A TXT string length that runs past its rdata. */
  memcpy (copy, response, sizeof copy);
  copy[64] = 9;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HesDnsAnswer) a = hes_dns_wire_parse (copy, sizeof copy, &error);

    g_assert_null (a);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
  /* A compression pointer to itself. */
  memcpy (copy, response, sizeof copy);
  copy[45] = 0xc0;
  copy[46] = 45;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HesDnsAnswer) a = hes_dns_wire_parse (copy, sizeof copy, &error);

    g_assert_null (a);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/wire/parse", test_parse);
  g_test_add_func ("/dns/wire/malformed", test_malformed);
  return g_test_run ();
}
