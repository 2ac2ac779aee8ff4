/* softfido2-preload.c: LD_PRELOAD shim that plugs software keys into any libfido2 program
 * (the demo, fido2-token, fido2-cred), without relinking it.
 *
 *   SOFTFIDO2_KEYS="demo:1234,spare"   keys to plug in, each "name[:pin]"
 *   SOFTFIDO2_TOUCH_MS=300             simulated touch delay (-1: never touched)
 *   SOFTFIDO2_SEED=<64 hex digits>     fixed seed, so credentials survive a restart
 *
 * fido_dev_info_manifest and fido_dev_open are interposed and call the real ones through
 * dlsym (RTLD_NEXT), exactly like the link-time wrappers used by the tests.
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "softfido2"

#include <dlfcn.h>

#include "softfido2-private.h"

static GPtrArray *keys;

static void
parse_seed (const char *hex,
            guint8      seed[32])
{
  for (int i = 0; i < 32 && g_ascii_isxdigit (hex[2 * i]) && g_ascii_isxdigit (hex[2 * i + 1]); i++)
    seed[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
}

__attribute__((constructor)) static void
plug_keys (void)
{
  const char *spec = g_getenv ("SOFTFIDO2_KEYS");
  const char *touch = g_getenv ("SOFTFIDO2_TOUCH_MS");
  const char *seed_hex = g_getenv ("SOFTFIDO2_SEED");
  g_auto(GStrv) entries = g_strsplit (spec != NULL ? spec : "demo", ",", -1);

  keys = g_ptr_array_new ();
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], ":", 2);
      SoftFido2 *key;

      if (parts[0] == NULL || *parts[0] == '\0')
        continue;
      key = softfido2_new (parts[0]);
      if (parts[1] != NULL && *parts[1] != '\0')
        softfido2_set_pin (key, parts[1]);
      if (touch != NULL)
        softfido2_set_touch_delay (key, atoi (touch));
      if (seed_hex != NULL && strlen (seed_hex) == 64)
        {
          guint8 seed[32] = { 0 };
          parse_seed (seed_hex, seed);
          softfido2_set_seed (key, seed);
        }
      g_ptr_array_add (keys, key);
    }
}

int
fido_dev_info_manifest (fido_dev_info_t *devlist,
                        size_t           ilen,
                        size_t          *olen)
{
  int (*real) (fido_dev_info_t *, size_t, size_t *) = dlsym (RTLD_NEXT, "fido_dev_info_manifest");

  if (real == NULL || real (devlist, ilen, olen) != FIDO_OK)
    *olen = 0;
  softfido2_append_plugged (devlist, ilen, olen);
  return FIDO_OK;
}

int
fido_dev_open (fido_dev_t *dev,
               const char *path)
{
  int (*real) (fido_dev_t *, const char *) = dlsym (RTLD_NEXT, "fido_dev_open");
  int r = softfido2_prepare_open (dev, path);

  if (r != FIDO_OK)
    return r;
  return real != NULL ? real (dev, path) : FIDO_ERR_INTERNAL;
}
