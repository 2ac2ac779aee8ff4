/* test-totp.c: TOTP against RFC 6238, base32 against RFC 4648, and the QR code read back by
 * zbarimg (a decoder nobody here wrote). */
#define G_LOG_DOMAIN "test-totp"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hes-qr-code.h"
#include "hes-totp.h"

static void
test_rfc6238_sha1 (void)
{
  /* RFC 6238 Appendix B, SHA1 column; the key is the ASCII string below. */
  static const struct { gint64 t; const char *code; } vectors[] = {
    { 59, "94287082" }, { 1111111109, "07081804" }, { 1111111111, "14050471" },
    { 1234567890, "89005924" }, { 2000000000, "69279037" }, { 20000000000, "65353130" },
  };
  const guint8 *key = (const guint8 *) "12345678901234567890";

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *code = hes_totp_compute_code (key, 20, vectors[i].t, 30, 8);
      g_autofree char *six = hes_totp_compute_code (key, 20, vectors[i].t, 30, 6);

      g_assert_cmpstr (code, ==, vectors[i].code);
      /* Six digits are the last six of the eight (same truncated value, smaller modulus). */
      g_assert_cmpstr (six, ==, vectors[i].code + 2);
    }
}

static void
test_check_window (void)
{
  g_autoptr(GBytes) secret = g_bytes_new_static ("12345678901234567890", 20);

  /* 287082 is the code of step 1 (t = 30…59). */
  g_assert_true (hes_totp_check_code (secret, "287082", 59));
  g_assert_true (hes_totp_check_code (secret, "287082", 89));   /* one step later */
  g_assert_true (hes_totp_check_code (secret, "287082", 0));    /* one step earlier */
  g_assert_false (hes_totp_check_code (secret, "287082", 90));  /* two steps later */
  g_assert_false (hes_totp_check_code (secret, "287083", 59));
  g_assert_false (hes_totp_check_code (secret, "28708", 59));
}

static void
test_base32_vectors (void)
{
  /* RFC 4648 §10. */
  static const struct { const char *plain, *encoded; } vectors[] = {
    { "", "" }, { "f", "MY======" }, { "fo", "MZXQ====" }, { "foo", "MZXW6===" },
    { "foob", "MZXW6YQ=" }, { "fooba", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI======" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      gsize len = strlen (vectors[i].plain);
      g_autofree char *enc = hes_base32_encode ((const guint8 *) vectors[i].plain, len, TRUE);
      g_autofree char *bare = hes_base32_encode ((const guint8 *) vectors[i].plain, len, FALSE);
      g_autoptr(GBytes) dec = NULL;
      g_autoptr(GBytes) dec_bare = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *lower = g_ascii_strdown (vectors[i].encoded, -1);

      g_assert_cmpstr (enc, ==, vectors[i].encoded);
      g_assert_true (g_str_has_prefix (vectors[i].encoded, bare));
      g_assert_null (strchr (bare, '='));
      dec = hes_base32_decode (vectors[i].encoded, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec),
                       vectors[i].plain, len);
      dec_bare = hes_base32_decode (lower, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (dec, dec_bare));
    }
}

static void
test_base32_invalid (void)
{
  const char *bad[] = { "M", "MZX", "MZXW6Y", "MY1=====", "MZXW6YQ=X", "MZ======",
                        "MZXW6YQ==", "MY=====", "é" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) dec = hes_base32_decode (bad[i], &error);

      g_assert_null (dec);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_secret_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = hes_totp_generate_secret (HES_TOTP_DEFAULT_SECRET_BITS, &error);
  g_autoptr(GBytes) b = hes_totp_generate_secret (HES_TOTP_DEFAULT_SECRET_BITS, &error);
  g_autoptr(GBytes) small = hes_totp_generate_secret (HES_TOTP_MIN_SECRET_BITS, &error);
  g_autoptr(GBytes) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *grouped = NULL;
  g_auto(GStrv) groups = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (a), ==, 20);
  g_assert_cmpuint (g_bytes_get_size (small), ==, 10);
  g_assert_false (g_bytes_equal (a, b));

  text = hes_base32_encode (g_bytes_get_data (a, NULL), 20, FALSE);
  g_assert_cmpuint (strlen (text), ==, 32);
  back = hes_base32_decode (text, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (a, back));

  grouped = hes_totp_format_grouped (text);
  groups = g_strsplit (grouped, " ", -1);
  g_assert_cmpuint (g_strv_length (groups), ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 4);
  /* The grouped form is accepted back as typed. */
  g_clear_pointer (&back, g_bytes_unref);
  back = hes_base32_decode (grouped, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (a, back));
}

static void
test_uri (void)
{
  g_autofree char *uri = hes_totp_build_uri ("Hosterra Email", "max@kunde.example",
                                             "JBSWY3DPEHPK3PXP");

  g_assert_cmpstr (uri, ==, "otpauth://totp/Hosterra%20Email:max%40kunde.example"
                            "?secret=JBSWY3DPEHPK3PXP&issuer=Hosterra%20Email");
}

/* Renders the matrix like the UI will: N px per module, white quiet zone. */
static GdkPixbuf *
render_qr (const HesQrCode *qr,
           guint            px)
{
  guint size = hes_qr_code_get_size (qr);
  guint side = (size + 2 * HES_QR_CODE_QUIET_ZONE) * px;
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) side, (int) side);

  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      if (hes_qr_code_is_dark (qr, x, y))
        {
          g_autoptr(GdkPixbuf) sub = gdk_pixbuf_new_subpixbuf (
            pixbuf, (int) ((x + HES_QR_CODE_QUIET_ZONE) * px),
            (int) ((y + HES_QR_CODE_QUIET_ZONE) * px), (int) px, (int) px);
          gdk_pixbuf_fill (sub, 0x000000ff);
        }
  return pixbuf;
}

static void
test_qr_decodes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = hes_totp_generate_secret (160, &error);
  g_autofree char *b32 = hes_base32_encode (g_bytes_get_data (secret, NULL), 20, FALSE);
  g_autofree char *uri = hes_totp_build_uri ("Hosterra Email", "max@kunde.example", b32);
  g_autoptr(HesQrCode) qr = hes_qr_code_new (uri, &error);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *dir = g_dir_make_tmp ("hes-qr-XXXXXX", &error);
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_no_error (error);
  g_assert_nonnull (qr);
  /* Version 4 (33 modules) or more for a URI of this length; a QR side is 17 + 4·version. */
  g_assert_cmpuint (hes_qr_code_get_size (qr) % 4, ==, 1);
  g_assert_cmpuint (hes_qr_code_get_size (qr), >=, 33);
  /* The three finder patterns have a dark corner. */
  g_assert_true (hes_qr_code_is_dark (qr, 0, 0));
  g_assert_true (hes_qr_code_is_dark (qr, hes_qr_code_get_size (qr) - 1, 0));
  g_assert_true (hes_qr_code_is_dark (qr, 0, hes_qr_code_get_size (qr) - 1));

  g_assert_nonnull (zbarimg);  /* Debian package zbar-tools */
  pixbuf = render_qr (qr, 6);
  png = g_build_filename (dir, "totp.png", NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", &error, NULL));
  g_assert_no_error (error);

  {
    const char *argv[] = { zbarimg, "--raw", "-q", png, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_strchomp (out);
  g_assert_cmpstr (out, ==, uri);

  g_remove (png);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/security/totp/rfc6238-sha1", test_rfc6238_sha1);
  g_test_add_func ("/security/totp/check-window", test_check_window);
  g_test_add_func ("/security/totp/base32-rfc4648", test_base32_vectors);
  g_test_add_func ("/security/totp/base32-invalid", test_base32_invalid);
  g_test_add_func ("/security/totp/secret-round-trip", test_secret_round_trip);
  g_test_add_func ("/security/totp/uri", test_uri);
  g_test_add_func ("/security/totp/qr-decodes", test_qr_decodes);
  return g_test_run ();
}
