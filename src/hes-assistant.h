/* hes-assistant.h: the wizard frame: a header bar with Back, Next and Cancel over a stack of
 * HesPage (see hes-page.h for what a page must do).
 *
 * - Pages are shown in the order they were added; Back and Next skip invisible pages.
 * - Next (the "assistant.next" action, also Alt+Right and the header button) is enabled only when
 *   the current page is complete and not applying. It runs the page's apply(); when that ends
 *   valid, the next visible page is shown, or, on the last one, "finished" is emitted.
 * - Back ("assistant.back", Alt+Left) steps back inside the page when it "can-step-back", else
 *   goes to the previous visible page. It is disabled while a page is applying.
 * - Cancel ("assistant.cancel", Escape) cancels the running apply().
 * - A task made of several pages is added after the hub page with hes_assistant_add_page() and
 *   dropped again with hes_assistant_remove_pages_after().
 */
#pragma once

#include <adwaita.h>

#include "hes-page.h"

G_BEGIN_DECLS

#define HES_TYPE_ASSISTANT (hes_assistant_get_type ())
G_DECLARE_FINAL_TYPE (HesAssistant, hes_assistant, HES, ASSISTANT, GtkBox)

GtkWidget  *hes_assistant_new                 (void);
/* Appends @page (the assistant sinks a floating reference). */
void        hes_assistant_add_page            (HesAssistant *self,
                                               HesPage      *page);
void        hes_assistant_remove_page         (HesAssistant *self,
                                               HesPage      *page);
/* Removes every page that comes after @page. */
void        hes_assistant_remove_pages_after  (HesAssistant *self,
                                               HesPage      *page);
HesPage    *hes_assistant_get_current_page    (HesAssistant *self);
/* Shows @page (made visible first); a running apply() of the current page is cancelled. */
void        hes_assistant_set_current_page    (HesAssistant *self,
                                               HesPage      *page);
/* The pages in order, transfer container. */
GPtrArray  *hes_assistant_get_pages           (HesAssistant *self);
/* The menu of the header bar's menu button (hidden when NULL). */
/* The words on the header's forward button ("Next" or "Done"), without mnemonic. */
char       *hes_assistant_dup_next_words      (HesAssistant *self);
void        hes_assistant_set_menu_model      (HesAssistant *self,
                                               GMenuModel   *menu_model);

G_END_DECLS
