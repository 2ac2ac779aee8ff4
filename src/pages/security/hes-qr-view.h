/* hes-qr-view.h: a QR code drawn crisply: whole pixels per module, white quiet zone. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HES_TYPE_QR_VIEW (hes_qr_view_get_type ())
G_DECLARE_FINAL_TYPE (HesQrView, hes_qr_view, HES, QR_VIEW, GtkWidget)

GtkWidget *hes_qr_view_new      (void);
/* Encodes @text (NULL clears); FALSE with @error set if it does not fit in a QR code. */
gboolean   hes_qr_view_set_text (HesQrView   *self,
                                 const char  *text,
                                 GError     **error);
/* Modules per side including the quiet zone, 0 when empty (tests). */
guint      hes_qr_view_get_modules (HesQrView *self);

G_END_DECLS
