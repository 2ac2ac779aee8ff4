/* hes-totp.h: time-based one-time passwords (RFC 6238) and their secrets.
 *
 * mailcow does not keep the secret it shows: it checks the first code against the secret the
 * form posts back (mailcow-api.md §8), so the app makes its own secret, shows it as a QR code
 * and as grouped text, and checks the customer's first code locally before posting it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_TOTP_DEFAULT_SECRET_BITS 160
#define HES_TOTP_MIN_SECRET_BITS     80
#define HES_TOTP_PERIOD              30
#define HES_TOTP_DIGITS              6

/* @bits: a multiple of 8, at least HES_TOTP_MIN_SECRET_BITS. Randomness from GnuTLS (key
 * level). NULL with @error set if the system cannot provide randomness. */
GBytes   *hes_totp_generate_secret (guint          bits,
                                    GError       **error);

/* RFC 4648 base32 with the standard alphabet; @pad adds '=' up to a multiple of 8. */
char     *hes_base32_encode        (const guint8  *data,
                                    gsize          len,
                                    gboolean       pad);
/* Accepts upper or lower case, spaces and hyphens between groups, and optional padding.
 * NULL with @error set for any other character or an impossible length. */
GBytes   *hes_base32_decode        (const char    *text,
                                    GError       **error);

/* "ABCD EFGH IJKL …": groups of 4 characters, for reading aloud or typing in by hand. */
char     *hes_totp_format_grouped  (const char    *base32);

/* otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>, with the label and the
 * issuer percent-encoded. The secret is base32 without padding. */
char     *hes_totp_build_uri       (const char    *issuer,
                                    const char    *account,
                                    const char    *base32_secret);

/* The code (HMAC-SHA1, @period seconds, @digits digits) for @unix_time, zero-padded. */
char     *hes_totp_compute_code    (const guint8  *key,
                                    gsize          key_len,
                                    gint64         unix_time,
                                    guint          period,
                                    guint          digits);
/* TRUE if @code matches the 6-digit, 30 s code of @unix_time or one step around it (the
 * window mailcow accepts). */
gboolean  hes_totp_check_code      (GBytes        *secret,
                                    const char    *code,
                                    gint64         unix_time);

G_END_DECLS
