/* hes-qr-code.h: a QR code as a square matrix of modules, for the UI to draw crisply.
 *
 * The core has no GTK: it gives the matrix, and the page draws one square per dark module
 * with GtkSnapshot (plus a quiet zone of HES_QR_CODE_QUIET_ZONE modules on each side).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_QR_CODE_QUIET_ZONE 4

typedef struct _HesQrCode HesQrCode;

/* Encodes @text (8-bit mode, error correction level M, smallest version that fits).
 * NULL with @error set if it does not fit in a QR code. */
HesQrCode *hes_qr_code_new        (const char      *text,
                                   GError         **error);
/* Modules per side, without the quiet zone. */
guint      hes_qr_code_get_size   (const HesQrCode *self);
/* TRUE for a dark module; @x and @y count from the top-left, 0 ≤ x, y < size. */
gboolean   hes_qr_code_is_dark    (const HesQrCode *self,
                                   guint            x,
                                   guint            y);
void       hes_qr_code_free       (HesQrCode       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesQrCode, hes_qr_code_free)

G_END_DECLS
