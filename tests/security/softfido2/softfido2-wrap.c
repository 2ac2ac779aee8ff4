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

int
__wrap_fido_dev_info_manifest (fido_dev_info_t *devlist,
                               size_t           ilen,
                               size_t          *olen)
{
  /* A machine without hidraw access may fail here; the soft keys are still listed. */
  if (__real_fido_dev_info_manifest (devlist, ilen, olen) != FIDO_OK)
    *olen = 0;
  softfido2_append_plugged (devlist, ilen, olen);
  return FIDO_OK;
}

int
__wrap_fido_dev_open (fido_dev_t *dev,
                      const char *path)
{
  int r = softfido2_prepare_open (dev, path);

  return r != FIDO_OK ? r : __real_fido_dev_open (dev, path);
}
