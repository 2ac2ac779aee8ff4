/* hes-qr-view.c: draws the module matrix of HesQrCode with GtkSnapshot.
 *
 * A phone camera reads a QR code best when every module is the same whole number of device
 * pixels and there is a white margin around it, whatever the theme: so the size is rounded
 * down to integer pixels per module and the background is always white. */
#define G_LOG_DOMAIN "hes-qr-view"

#include "config.h"

#include "hes-qr-code.h"
#include "hes-qr-view.h"

/* A module of at least this many logical pixels keeps the code readable from a screen. */
#define MIN_MODULE_PX 4
#define NATURAL_MODULE_PX 5

struct _HesQrView
{
  GtkWidget parent_instance;

  HesQrCode *code;
};

G_DEFINE_FINAL_TYPE (HesQrView, hes_qr_view, GTK_TYPE_WIDGET)

guint
hes_qr_view_get_modules (HesQrView *self)
{
  g_return_val_if_fail (HES_IS_QR_VIEW (self), 0);

  if (self->code == NULL)
    return 0;
  return hes_qr_code_get_size (self->code) + 2 * HES_QR_CODE_QUIET_ZONE;
}

static void
hes_qr_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  guint modules = hes_qr_view_get_modules (HES_QR_VIEW (widget));

  *minimum = modules * MIN_MODULE_PX;
  *natural = modules * NATURAL_MODULE_PX;
}

static void
hes_qr_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  HesQrView *self = HES_QR_VIEW (widget);
  guint modules = hes_qr_view_get_modules (self);
  guint size;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  float unit, x0, y0;
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA black = { 0, 0, 0, 1 };

  if (modules == 0)
    return;

  /* Whole device pixels per module, the code centred on a whole pixel. */
  unit = (float) (MIN (width, height) * scale / modules) / scale;
  if (unit <= 0)
    return;
  x0 = (float) ((int) ((width - unit * modules) * scale / 2)) / scale;
  y0 = (float) ((int) ((height - unit * modules) * scale / 2)) / scale;

  gtk_snapshot_append_color (snapshot, &white,
                             &GRAPHENE_RECT_INIT (x0, y0, unit * modules, unit * modules));
  size = hes_qr_code_get_size (self->code);
  for (guint y = 0; y < size; y++) {
    for (guint x = 0; x < size; x++) {
      if (!hes_qr_code_is_dark (self->code, x, y))
        continue;
      gtk_snapshot_append_color (snapshot, &black,
                                 &GRAPHENE_RECT_INIT (x0 + (x + HES_QR_CODE_QUIET_ZONE) * unit,
                                                      y0 + (y + HES_QR_CODE_QUIET_ZONE) * unit,
                                                      unit, unit));
    }
  }
}

gboolean
hes_qr_view_set_text (HesQrView   *self,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(HesQrCode) code = NULL;

  g_return_val_if_fail (HES_IS_QR_VIEW (self), FALSE);

  if (text != NULL && (code = hes_qr_code_new (text, error)) == NULL)
    return FALSE;

  g_clear_pointer (&self->code, hes_qr_code_free);
  self->code = g_steal_pointer (&code);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return TRUE;
}

static void
hes_qr_view_finalize (GObject *object)
{
  HesQrView *self = HES_QR_VIEW (object);

  g_clear_pointer (&self->code, hes_qr_code_free);

  G_OBJECT_CLASS (hes_qr_view_parent_class)->finalize (object);
}

static void
hes_qr_view_class_init (HesQrViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hes_qr_view_finalize;
  widget_class->measure = hes_qr_view_measure;
  widget_class->snapshot = hes_qr_view_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "qrcode");
}

static void
hes_qr_view_init (HesQrView *self)
{
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
hes_qr_view_new (void)
{
  return g_object_new (HES_TYPE_QR_VIEW, NULL);
}
