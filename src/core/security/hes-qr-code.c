/* hes-qr-code.c: libqrencode → a module matrix. */
#define G_LOG_DOMAIN "hes-qr-code"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <qrencode.h>

#include "hes-qr-code.h"
#include "hes-secure-mem.h"

struct _HesQrCode
{
  guint size;
  guint8 *modules;  /* size × size, row-major, 1 = dark */
};

HesQrCode *
hes_qr_code_new (const char *text,
                 GError    **error)
{
  QRcode *qr;
  HesQrCode *self;
  gsize n;

  g_return_val_if_fail (text != NULL, NULL);

  /* 8-bit mode keeps the URI byte for byte (no case folding by the encoder). */
  qr = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The QR code could not be made; type the secret key by hand instead."));
      return NULL;
    }

  self = g_new0 (HesQrCode, 1);
  self->size = (guint) qr->width;
  n = (gsize) self->size * self->size;
  self->modules = g_malloc (n);
  /* Bit 0 of each libqrencode byte is the colour; the other bits describe the module's role. */
  for (gsize i = 0; i < n; i++)
    self->modules[i] = qr->data[i] & 1;
  /* The matrix encodes a TOTP secret: wipe libqrencode's copy too. */
  hes_secure_wipe (qr->data, n);
  QRcode_free (qr);
  return self;
}

guint
hes_qr_code_get_size (const HesQrCode *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

gboolean
hes_qr_code_is_dark (const HesQrCode *self,
                     guint            x,
                     guint            y)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (x < self->size && y < self->size, FALSE);
  return self->modules[(gsize) y * self->size + x] != 0;
}

void
hes_qr_code_free (HesQrCode *self)
{
  if (self == NULL)
    return;
  hes_secure_wipe (self->modules, (gsize) self->size * self->size);
  g_free (self->modules);
  g_free (self);
}
