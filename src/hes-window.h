/* hes-window.h: the main window: the assistant with the sign-in and home pages, and the task
 * pages opened from home ("win.open-task", parameter: the task id of hes-tasks.h). */
#pragma once

#include <adwaita.h>

#include "hes-assistant.h"

G_BEGIN_DECLS

#define HES_TYPE_WINDOW (hes_window_get_type ())
G_DECLARE_FINAL_TYPE (HesWindow, hes_window, HES, WINDOW, AdwApplicationWindow)

/* @server: fills the sign-in page's server instead of the remembered one (may be NULL). */
HesWindow    *hes_window_new               (GtkApplication *application,
                                            const char     *server);
HesAssistant *hes_window_get_assistant     (HesWindow      *self);
HesSession   *hes_window_get_session       (HesWindow      *self);
HesPage      *hes_window_get_signin_page   (HesWindow      *self);
HesPage      *hes_window_get_home_page     (HesWindow      *self);

/* A short sentence over the page, for what does not belong to one page (Help). */
void          hes_window_show_toast        (HesWindow      *self,
                                            const char     *message);

G_END_DECLS
