/* hes-page.h: one step of the wizard, shown by HesAssistant.
 *
 * How a page plugs into the assistant (in the spirit of gnome-initial-setup's GisPage):
 *
 * - A page derives from HesPage and sets "title" (shown in the header bar) and "complete"
 *   (TRUE when what the customer entered is good enough to go on: the assistant makes Next
 *   sensitive only then). Call hes_page_set_complete() after each validation.
 * - When the customer presses Next (or Enter), the assistant calls the page's apply() vfunc with
 *   a new GCancellable. Return FALSE when there is nothing to wait for: the assistant moves on at
 *   once. Return TRUE to do asynchronous work: the page is then "applying" (the assistant shows a
 *   spinner and a Cancel button, Escape cancels), and the page MUST end it, also after a
 *   cancellation, with hes_page_apply_complete (page, valid). With valid = TRUE the assistant moves
 *   to the next visible page; with FALSE it stays (the page shows why).
 * - shown() runs every time the page becomes the current one (refresh data there).
 * - A page with steps of its own (a sign-in that asks for a code next) sets "can-step-back"
 *   while it is past its first step: Back then calls step_back() instead of leaving the page.
 * - "has-forward": the page draws its own forward button (bound to the "assistant.next"
 *   action), so the header bar hides Next.
 * - Enter: the header's Next is the window's default widget, so fields with
 *   "activates-default" go on with Enter; a page with its own forward button activates
 *   "assistant.next" from its fields' "entry-activated" instead.
 * - An invisible page (gtk_widget_set_visible) is skipped by Back and Next.
 * - "session" is the signed-in account shared by all pages (construct-only, may be NULL).
 * - Messages: a page's template places one HesMessageArea where its sentences belong, and the
 *   page speaks only through hes_page_show_error(), hes_page_show_error_from_gerror(),
 *   hes_page_show_status() and hes_page_clear_message(). Each shown sentence scrolls into view
 *   and is announced to screen readers (an error as an alert, a status as a status).
 *   hes_page_set_field_invalid() marks one field wrong for the eye (the "error" style class) and
 *   for screen readers (the invalid state), with its own sentence beside it when given.
 */
#pragma once

#include <adwaita.h>

#include "hes-message-area.h"
#include "hes-session.h"

G_BEGIN_DECLS

#define HES_TYPE_PAGE (hes_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (HesPage, hes_page, HES, PAGE, AdwBin)

struct _HesPageClass
{
  AdwBinClass parent_class;

  gboolean (*apply)     (HesPage      *page,
                         GCancellable *cancellable);
  void     (*shown)     (HesPage      *page);
  void     (*step_back) (HesPage      *page);

  gpointer padding[8];
};

const char   *hes_page_get_title          (HesPage    *page);
void          hes_page_set_title          (HesPage    *page,
                                           const char *title);
gboolean      hes_page_get_complete       (HesPage    *page);
void          hes_page_set_complete       (HesPage    *page,
                                           gboolean    complete);
gboolean      hes_page_get_has_forward    (HesPage    *page);
void          hes_page_set_has_forward    (HesPage    *page,
                                           gboolean    has_forward);
gboolean      hes_page_get_can_step_back  (HesPage    *page);
void          hes_page_set_can_step_back  (HesPage    *page,
                                           gboolean    can_step_back);
gboolean      hes_page_get_applying       (HesPage    *page);
HesSession   *hes_page_get_session        (HesPage    *page);

/* The page's message area: the first HesMessageArea in its template. */
HesMessageArea *hes_page_get_message_area (HesPage    *page);
void          hes_page_show_error         (HesPage    *page,
                                           const char *message);
/* Says nothing for a cancellation (the customer asked for it). A session the server ended
 * takes the customer to the sign-in page (the window's "win.session-ended"), then back here. */
void          hes_page_show_error_from_gerror (HesPage      *page,
                                               const GError *error);
void          hes_page_show_status        (HesPage    *page,
                                           const char *message);
void          hes_page_clear_message      (HesPage    *page);
/* Marks @field (a widget of the page) as wrong or right again. With @message, the sentence
 * shows right under the field (in its list or box), is its accessible description, is
 * announced and scrolled into view. */
void          hes_page_set_field_invalid  (HesPage    *page,
                                           GtkWidget  *field,
                                           gboolean    invalid,
                                           const char *message);

/* The words of the button that goes on from @page (the header's "Next" or "Done"), for
 * sentences that name it. */
char         *hes_page_dup_forward_words  (HesPage    *page);
/* @label without its mnemonic underscores ("_Sign In" → "Sign In"), for accessible names. */
char         *hes_strip_mnemonic          (const char *label);

/* Ends an asynchronous apply() started by the assistant. */
void          hes_page_apply_complete     (HesPage    *page,
                                           gboolean    valid);

/* For HesAssistant only. */
typedef void (*HesPageApplyCallback) (HesPage  *page,
                                      gboolean  valid,
                                      gpointer  user_data);
void          hes_page_apply_begin        (HesPage              *page,
                                           HesPageApplyCallback  callback,
                                           gpointer              user_data);
void          hes_page_apply_cancel       (HesPage    *page);
/* Cancels and forgets the callback: for an assistant that goes away before the page. */
void          hes_page_apply_detach       (HesPage    *page);
void          hes_page_shown              (HesPage    *page);
void          hes_page_step_back          (HesPage    *page);

G_END_DECLS
