/* fuzz-dns-name.c: libFuzzer target for the name check. `fuzz-dns-name -max_total_time=30`
 * Whatever is accepted must be a name a zone file can carry, and checking it again gives it back. */
#include <glib.h>
#include <stdint.h>

#include "hes-dns-name-check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  for (int use = HES_DNS_NAME_USE_DOMAIN; use <= HES_DNS_NAME_USE_OWNER; use++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = hes_dns_name_check (text, (HesDnsNameUse) use, &error);

      if (name == NULL)
        {
          if (error == NULL)
            __builtin_trap ();
          continue;
        }
      if (!hes_dns_name_is_zone_safe (name, use == HES_DNS_NAME_USE_OWNER))
        __builtin_trap ();
      {
        g_autofree char *again = hes_dns_name_check (name, (HesDnsNameUse) use, NULL);

        if (again == NULL || g_strcmp0 (again, name) != 0)
          __builtin_trap ();
      }
    }
  return 0;
}
