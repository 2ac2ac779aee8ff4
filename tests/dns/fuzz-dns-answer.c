/* fuzz-dns-answer.c: libFuzzer target for DNS response parsing (ns_initparse, rdata
 * bounds). `fuzz-dns-answer -max_total_time=30` */
#include <glib.h>
#include <stdint.h>

#include "hes-dns-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(HesDnsAnswer) answer = hes_dns_wire_parse (data, size, NULL);

  if (answer == NULL)
    return 0;
  for (guint i = 0; i < answer->records->len; i++)
    {
      g_autofree char *text = hes_dns_rr_format_rdata (g_ptr_array_index (answer->records, i));

      (void) text;
    }
  (void) hes_dns_answer_get_cache_ttl (answer, HES_DNS_TYPE_TXT);
  (void) hes_dns_answer_is_negative (answer, HES_DNS_TYPE_MX);
  return 0;
}
