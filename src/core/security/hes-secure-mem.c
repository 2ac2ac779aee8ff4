/* hes-secure-mem.c: wiping secrets before their memory is given back. */
#define G_LOG_DOMAIN "hes-secure-mem"

#include "config.h"

#include <string.h>

#include "hes-secure-mem.h"

void
hes_secure_wipe (gpointer mem,
                 gsize    len)
{
  if (mem == NULL || len == 0)
    return;
  /* explicit_bzero is glibc's guaranteed-not-elided memset. */
  explicit_bzero (mem, len);
}

void
hes_secure_free_string (char *str)
{
  if (str == NULL)
    return;
  hes_secure_wipe (str, strlen (str));
  g_free (str);
}
