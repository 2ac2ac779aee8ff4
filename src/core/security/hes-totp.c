/* hes-totp.c: TOTP secrets, base32, otpauth URIs and codes. */
#define G_LOG_DOMAIN "hes-totp"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hes-secure-mem.h"
#include "hes-totp.h"

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

GBytes *
hes_totp_generate_secret (guint    bits,
                          GError **error)
{
  gsize len = bits / 8;
  guint8 *buf;

  g_return_val_if_fail (bits >= HES_TOTP_MIN_SECRET_BITS && bits % 8 == 0, NULL);

  buf = g_malloc (len);
  if (gnutls_rnd (GNUTLS_RND_KEY, buf, len) != 0)
    {
      g_free (buf);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The computer could not make a secret key; please try again."));
      return NULL;
    }
  return g_bytes_new_take (buf, len);
}

char *
hes_base32_encode (const guint8 *data,
                   gsize         len,
                   gboolean      pad)
{
  GString *out = g_string_sized_new ((len + 4) / 5 * 8 + 1);
  guint64 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_string_append_c (out, base32_alphabet[(buffer >> bits) & 0x1f]);
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 0x1f]);
  while (pad && out->len % 8 != 0)
    g_string_append_c (out, '=');
  return g_string_free (out, FALSE);
}

static int
base32_value (char c)
{
  const char *p;

  if (c == '\0')
    return -1;
  p = strchr (base32_alphabet, g_ascii_toupper (c));
  return p != NULL ? (int) (p - base32_alphabet) : -1;
}

static GBytes *
base32_invalid (GByteArray *out,
                GError    **error)
{
  hes_secure_wipe (out->data, out->len);
  g_byte_array_unref (out);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("This secret key is not valid: check that it was copied completely."));
  return NULL;
}

GBytes *
hes_base32_decode (const char *text,
                   GError    **error)
{
  GByteArray *out;
  guint64 buffer = 0;
  guint bits = 0, count = 0, padding = 0;

  g_return_val_if_fail (text != NULL, NULL);

  /* Sized once, so no reallocation leaves a copy of the secret behind. */
  out = g_byte_array_sized_new ((guint) (strlen (text) * 5 / 8 + 1));

  for (const char *p = text; *p != '\0'; p++)
    {
      int v;

      if (*p == ' ' || *p == '-')
        continue;
      if (*p == '=')
        {
          padding++;
          continue;
        }
      v = base32_value (*p);
      if (v < 0 || padding > 0)
        return base32_invalid (out, error);
      count++;
      buffer = (buffer << 5) | (guint) v;
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          g_byte_array_append (out, (guint8[]) { (buffer >> bits) & 0xff }, 1);
        }
    }
  /* A final group of 1, 3 or 6 characters cannot come from whole bytes (RFC 4648 §6);
   * leftover bits must be zero, and padding must complete the last group of 8. */
  if (count % 8 == 1 || count % 8 == 3 || count % 8 == 6 ||
      (buffer & ((1u << bits) - 1)) != 0 ||
      (padding > 0 && (count + padding) % 8 != 0))
    return base32_invalid (out, error);
  return g_byte_array_free_to_bytes (out);
}

char *
hes_totp_format_grouped (const char *base32)
{
  GString *out = g_string_new (NULL);
  gsize n = 0;

  g_return_val_if_fail (base32 != NULL, NULL);

  for (const char *p = base32; *p != '\0' && *p != '='; p++)
    {
      if (n > 0 && n % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, *p);
      n++;
    }
  return g_string_free (out, FALSE);
}

char *
hes_totp_build_uri (const char *issuer,
                    const char *account,
                    const char *base32_secret)
{
  g_autofree char *label = NULL;
  g_autofree char *e_issuer = NULL;
  g_autofree char *e_account = NULL;

  g_return_val_if_fail (issuer != NULL && account != NULL && base32_secret != NULL, NULL);

  /* The ':' between issuer and account is the separator, so both halves are escaped
   * completely (an '@' in the account becomes %40, as Key URI readers expect). */
  e_issuer = g_uri_escape_string (issuer, NULL, FALSE);
  e_account = g_uri_escape_string (account, NULL, FALSE);
  label = g_strconcat (e_issuer, ":", e_account, NULL);
  return g_strdup_printf ("otpauth://totp/%s?secret=%s&issuer=%s", label, base32_secret, e_issuer);
}

char *
hes_totp_compute_code (const guint8 *key,
                       gsize         key_len,
                       gint64        unix_time,
                       guint         period,
                       guint         digits)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 counter[8], digest[20];
  gsize digest_len = sizeof digest;
  guint64 steps, modulo = 1;
  guint32 value;
  guint offset;

  g_return_val_if_fail (period > 0 && digits >= 6 && digits <= 9 && unix_time >= 0, NULL);

  steps = (guint64) unix_time / period;
  for (int i = 7; i >= 0; i--, steps >>= 8)
    counter[i] = steps & 0xff;

  hmac = g_hmac_new (G_CHECKSUM_SHA1, key, key_len);
  g_hmac_update (hmac, counter, sizeof counter);
  g_hmac_get_digest (hmac, digest, &digest_len);

  /* Dynamic truncation, RFC 4226 §5.3. */
  offset = digest[19] & 0x0f;
  value = ((guint32) (digest[offset] & 0x7f) << 24) | ((guint32) digest[offset + 1] << 16) |
          ((guint32) digest[offset + 2] << 8) | digest[offset + 3];
  for (guint i = 0; i < digits; i++)
    modulo *= 10;
  hes_secure_wipe (digest, sizeof digest);
  return g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) digits, value % modulo);
}

gboolean
hes_totp_check_code (GBytes     *secret,
                     const char *code,
                     gint64      unix_time)
{
  gsize len;
  const guint8 *key;
  gboolean ok = FALSE;

  g_return_val_if_fail (secret != NULL && code != NULL, FALSE);

  key = g_bytes_get_data (secret, &len);
  for (int step = -1; step <= 1 && !ok; step++)
    {
      gint64 t = unix_time + step * HES_TOTP_PERIOD;
      g_autofree char *expected = NULL;

      if (t < 0)
        continue;
      expected = hes_totp_compute_code (key, len, t, HES_TOTP_PERIOD, HES_TOTP_DIGITS);
      ok = strlen (code) == HES_TOTP_DIGITS && memcmp (expected, code, HES_TOTP_DIGITS) == 0;
    }
  return ok;
}
