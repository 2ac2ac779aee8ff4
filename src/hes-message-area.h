/* hes-message-area.h: where a page says what went wrong or what is happening.
 *
 * A page's template places one HesMessageArea where its sentences belong (usually above the
 * form); the page then talks to it through HesPage (hes_page_show_error() and friends), never
 * directly. Showing a sentence scrolls the area into view, because the customer's eye is
 * usually at the bottom of the page, next to the button they pressed, and announces it to
 * screen readers: an error is an alert, a status a status.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  HES_MESSAGE_NONE,
  HES_MESSAGE_STATUS,
  HES_MESSAGE_ERROR,
} HesMessageKind;

#define HES_TYPE_MESSAGE_AREA (hes_message_area_get_type ())
G_DECLARE_FINAL_TYPE (HesMessageArea, hes_message_area, HES, MESSAGE_AREA, GtkWidget)

GtkWidget      *hes_message_area_new       (void);
void            hes_message_area_show      (HesMessageArea *self,
                                            HesMessageKind  kind,
                                            const char     *message);
HesMessageKind  hes_message_area_get_kind  (HesMessageArea *self);
const char     *hes_message_area_get_text  (HesMessageArea *self);

/* Brings @widget into the view of its scrolled window, once it has its size. */
void            hes_scroll_into_view       (GtkWidget      *widget);

G_END_DECLS
