/* hes-fido2-device.h: a plugged-in security key, found with libfido2.
 *
 * Listing and picking run in GTask threads (libfido2 blocks). When several keys are plugged
 * in, the customer picks one by touching it (fido2.md §4): never silently take the first.
 */
#pragma once

#include <gio/gio.h>

#include "hes-fido2-error.h"

G_BEGIN_DECLS

#define HES_TYPE_FIDO2_DEVICE (hes_fido2_device_get_type ())
G_DECLARE_FINAL_TYPE (HesFido2Device, hes_fido2_device, HES, FIDO2_DEVICE, GObject)

HesFido2Device *hes_fido2_device_new              (const char          *path,
                                                   const char          *manufacturer,
                                                   const char          *product);
/* The libfido2 path ("/dev/hidraw3"). */
const char     *hes_fido2_device_get_path         (HesFido2Device      *self);
const char     *hes_fido2_device_get_manufacturer (HesFido2Device      *self);
const char     *hes_fido2_device_get_product      (HesFido2Device      *self);

/* Every key plugged in now (element type HesFido2Device; possibly empty). */
void            hes_fido2_device_list_async       (GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray      *hes_fido2_device_list_finish      (GAsyncResult        *result,
                                                   GError             **error);

/* Picks one of @devices: the only one, or the first one touched within @timeout_ms (the
 * others are told to stop blinking). HES_FIDO2_ERROR_NO_DEVICE for an empty list,
 * HES_FIDO2_ERROR_TIMEOUT if none is touched, G_IO_ERROR_CANCELLED when cancelled. */
void            hes_fido2_device_select_async     (GPtrArray           *devices,
                                                   guint                timeout_ms,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
HesFido2Device *hes_fido2_device_select_finish    (GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
