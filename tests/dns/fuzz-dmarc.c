/* fuzz-dmarc.c: libFuzzer target for DMARC records. `fuzz-dmarc -max_total_time=30` */
#include <glib.h>
#include <stdint.h>

#include "hes-dns-dmarc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *prefixed = g_strconcat ("v=DMARC1; ", text, NULL);
  g_autoptr(HesDnsDmarcRecord) a = hes_dns_dmarc_parse (text, NULL);
  g_autoptr(HesDnsDmarcRecord) b = hes_dns_dmarc_parse (prefixed, NULL);
  const char *texts[] = { text, prefixed, NULL };
  const char *one[] = { prefixed, NULL };
  g_autoptr(HesDnsFinding) f1 = hes_dns_dmarc_check (texts, "v=DMARC1; p=quarantine");
  g_autoptr(HesDnsFinding) f2 = hes_dns_dmarc_check (one, "v=DMARC1; p=quarantine");

  (void) a;
  (void) b;
  (void) f1;
  (void) f2;
  return 0;
}
