/* fuzz-dkim.c: libFuzzer target for DKIM records: tag parsing, unquoting and key import
 * (GnuTLS). `fuzz-dkim -max_total_time=30` */
#include <glib.h>
#include <stdint.h>

#include "hes-dns-dkim.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *unquoted = hes_dns_dkim_unquote (text);
  g_autoptr(HesDnsDkimRecord) record = hes_dns_dkim_parse (text, NULL);
  const char *texts[] = { unquoted, NULL };
  g_autoptr(HesDnsFinding) finding = hes_dns_dkim_check (texts, NULL, NULL);
  g_autoptr(HesDnsFinding) against = hes_dns_dkim_check (texts, text, "v=DKIM1; p=X");

  (void) finding;
  (void) against;
  if (record && record->public_key)
    (void) hes_dns_dkim_key_bits (record->public_key);
  /* The raw input as a key too: base64 → DER → GnuTLS import. */
  (void) hes_dns_dkim_key_bits (text);
  return 0;
}
