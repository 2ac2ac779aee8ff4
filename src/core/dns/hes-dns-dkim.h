/* hes-dns-dkim.h: DKIM key records (RFC 6376 §3.6.1, RFC 8301).
 *
 * The strings of a TXT record are joined, split into tag=value at ';' (tag names are
 * case-sensitive, v=DKIM1 first when present, k defaults to rsa), and the key in p= is compared
 * as key material with GnuTLS (modulus and exponent of the SubjectPublicKeyInfo), never as text:
 * a record with extra tags or a space inside p= is still the same key.
 */
#pragma once

#include <glib.h>

#include "hes-dns-finding.h"

G_BEGIN_DECLS

typedef struct {
  GHashTable *tags;        /* tag → value (whitespace trimmed) */
  char       *key_type;    /* k=, "rsa" by default */
  char       *public_key;  /* p= with every whitespace removed; "" when revoked */
} HesDnsDkimRecord;

/* NULL and G_IO_ERROR_INVALID_DATA when @text breaks the tag-list syntax. */
HesDnsDkimRecord *hes_dns_dkim_parse       (const char        *text,
                                            GError           **error);
void              hes_dns_dkim_record_free (HesDnsDkimRecord  *record);
/* mailcow may hand out its record as quoted 255-byte chunks ("…" "…"): joined here.
 * Text that is not quoted comes back unchanged. */
char             *hes_dns_dkim_unquote     (const char        *text);
/* Size in bits of an RSA key given as base64 SubjectPublicKeyInfo; 0 when unreadable. */
guint             hes_dns_dkim_key_bits    (const char        *base64_key);
/* The base64 RSA key in what a person pasted: the bare key, "p=…" or the whole record, quoted
 * or not, with spaces and line breaks anywhere. NULL and G_IO_ERROR_INVALID_ARGUMENT with one
 * sentence when it is empty or holds no readable RSA key. */
char             *hes_dns_dkim_key_from_text (const char  *text,
                                              GError     **error);
/* TRUE when both base64 keys hold the same public key. */
gboolean          hes_dns_dkim_same_key    (const char        *base64_a,
                                            const char        *base64_b);
/* @texts: the joined text of each TXT record at <selector>._domainkey.<domain> (at least one).
 * @expected_key: base64 p= from the server, or NULL to check only that a valid key exists.
 * @expected_record: the record to propose as the fix, or NULL. */
HesDnsFinding    *hes_dns_dkim_check       (const char * const *texts,
                                            const char        *expected_key,
                                            const char        *expected_record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsDkimRecord, hes_dns_dkim_record_free)

G_END_DECLS
