/* hes-message-area.c: where a page says what went wrong or what is happening. */
#define G_LOG_DOMAIN "hes-message-area"

#include "config.h"

#include "hes-message-area.h"

struct _HesMessageArea
{
  GtkWidget parent_instance;

  /* The role of an accessible is fixed when it is made: one label per kind, so that an error
   * is read as an alert and a status as a status. */
  GtkWidget *error_label;
  GtkWidget *status_label;
  HesMessageKind kind;
};

G_DEFINE_FINAL_TYPE (HesMessageArea, hes_message_area, GTK_TYPE_WIDGET)

/* Frames to wait for the widget's new size before scrolling: one to lay it out, a spare one
 * for a label that wraps differently once it knows its width. */
#define SCROLL_FRAMES 3

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  guint frames = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "hes-scroll-frames"));
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled))
                                : NULL;
  graphene_rect_t bounds;

  /* The viewport's child has the coordinates of the whole scrolled content. */
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));

  if (content != NULL && gtk_widget_get_mapped (widget)
      && gtk_widget_compute_bounds (widget, content, &bounds)
      && bounds.size.height > 0) {
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_clamp_page (adjustment, bounds.origin.y,
                               bounds.origin.y + bounds.size.height);
  }

  frames++;
  g_object_set_data (G_OBJECT (widget), "hes-scroll-frames", GUINT_TO_POINTER (frames));
  if (frames < SCROLL_FRAMES)
    return G_SOURCE_CONTINUE;
  g_object_set_data (G_OBJECT (widget), "hes-scroll-tick", NULL);
  return G_SOURCE_REMOVE;
}

void
hes_scroll_into_view (GtkWidget *widget)
{
  guint tick;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) == NULL)
    return;

  g_object_set_data (G_OBJECT (widget), "hes-scroll-frames", GUINT_TO_POINTER (0));
  if (g_object_get_data (G_OBJECT (widget), "hes-scroll-tick") != NULL)
    return;
  tick = gtk_widget_add_tick_callback (widget, scroll_tick_cb, NULL, NULL);
  g_object_set_data (G_OBJECT (widget), "hes-scroll-tick", GUINT_TO_POINTER (tick));
}

static GtkWidget *
message_label_new (HesMessageArea    *self,
                   GtkAccessibleRole  role,
                   const char        *css_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", role,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "xalign", 0.0f,
                                   "selectable", FALSE,
                                   "visible", FALSE,
                                   NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  return label;
}

static void
hes_message_area_dispose (GObject *object)
{
  HesMessageArea *self = HES_MESSAGE_AREA (object);

  g_clear_pointer (&self->error_label, gtk_widget_unparent);
  g_clear_pointer (&self->status_label, gtk_widget_unparent);

  G_OBJECT_CLASS (hes_message_area_parent_class)->dispose (object);
}

static void
hes_message_area_class_init (HesMessageAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hes_message_area_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagearea");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hes_message_area_init (HesMessageArea *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->error_label = message_label_new (self, GTK_ACCESSIBLE_ROLE_ALERT, "hes-error-banner");
  gtk_widget_set_name (self->error_label, "message_error");
  self->status_label = message_label_new (self, GTK_ACCESSIBLE_ROLE_STATUS, "hes-status-banner");
  gtk_widget_set_name (self->status_label, "message_status");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
hes_message_area_new (void)
{
  return g_object_new (HES_TYPE_MESSAGE_AREA, NULL);
}

/* Hidden, then shown again with the new words: assistive technologies read an alert or a
 * status when it appears (GTK 4.8 has no call to announce a sentence). */
void
hes_message_area_show (HesMessageArea *self,
                       HesMessageKind  kind,
                       const char     *message)
{
  GtkWidget *label;

  g_return_if_fail (HES_IS_MESSAGE_AREA (self));

  if (message == NULL || *message == '\0')
    kind = HES_MESSAGE_NONE;

  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_set_visible (self->status_label, FALSE);
  gtk_label_set_text (GTK_LABEL (self->error_label), "");
  gtk_label_set_text (GTK_LABEL (self->status_label), "");
  self->kind = kind;
  gtk_widget_set_visible (GTK_WIDGET (self), kind != HES_MESSAGE_NONE);
  if (kind == HES_MESSAGE_NONE)
    return;

  label = kind == HES_MESSAGE_ERROR ? self->error_label : self->status_label;
  gtk_label_set_text (GTK_LABEL (label), message);
  gtk_widget_set_visible (label, TRUE);
  hes_scroll_into_view (GTK_WIDGET (self));
}

HesMessageKind
hes_message_area_get_kind (HesMessageArea *self)
{
  g_return_val_if_fail (HES_IS_MESSAGE_AREA (self), HES_MESSAGE_NONE);

  return self->kind;
}

const char *
hes_message_area_get_text (HesMessageArea *self)
{
  g_return_val_if_fail (HES_IS_MESSAGE_AREA (self), NULL);

  switch (self->kind) {
  case HES_MESSAGE_ERROR:
    return gtk_label_get_text (GTK_LABEL (self->error_label));
  case HES_MESSAGE_STATUS:
    return gtk_label_get_text (GTK_LABEL (self->status_label));
  case HES_MESSAGE_NONE:
  default:
    return "";
  }
}
