/* softfido2-wrap.c: shows the plugged software keys to unmodified libfido2 callers.
 *
 * Programs link with -Wl,--wrap=fido_dev_info_manifest,--wrap=fido_dev_open (see
 * meson.build: softfido2_link_args). The manifest gets the soft keys appended after the real
 * ones, and opening a "softfido2:" path installs the custom I/O functions first, then calls
 * the real fido_dev_open, so CTAPHID and CTAP2 go through libfido2's own code.
 */
#define G_LOG_DOMAIN "softfido2"

#include "softfido2-private.h"

int __real_fido_dev_info_manifest (fido_dev_info_t *devlist, size_t ilen, size_t *olen);
int __wrap_fido_dev_info_manifest (fido_dev_info_t *devlist, size_t ilen, size_t *olen);
int __real_fido_dev_open (fido_dev_t *dev, const char *path);
int __wrap_fido_dev_open (fido_dev_t *dev, const char *path);

typedef struct {
  fido_dev_info_t *devlist;
  size_t ilen;
  size_t *olen;
} Manifest;

static void
add_key (SoftFido2 *key,
         gpointer   data)
{
  Manifest *m = data;

  if (*m->olen < m->ilen &&
      fido_dev_info_set (m->devlist, *m->olen, softfido2_get_path (key), "Hosterra Test",
                         "Software Security Key", &softfido2_io, NULL) == FIDO_OK)
    (*m->olen)++;
}

int
__wrap_fido_dev_info_manifest (fido_dev_info_t *devlist,
                               size_t           ilen,
                               size_t          *olen)
{
  Manifest m = { devlist, ilen, olen };

  /* A machine without hidraw access may fail here; the soft keys are still listed. */
  if (__real_fido_dev_info_manifest (devlist, ilen, olen) != FIDO_OK)
    *olen = 0;
  softfido2_foreach_plugged (add_key, &m);
  return FIDO_OK;
}

int
__wrap_fido_dev_open (fido_dev_t *dev,
                      const char *path)
{
  if (path != NULL && g_str_has_prefix (path, SOFTFIDO2_PATH_PREFIX))
    {
      int r = fido_dev_set_io_functions (dev, &softfido2_io);
      if (r != FIDO_OK)
        return r;
    }
  return __real_fido_dev_open (dev, path);
}
