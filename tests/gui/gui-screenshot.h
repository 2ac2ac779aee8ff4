/* gui-screenshot.h: what the screenshot tools (not tests) share: the app's style, waiting for
 * the window to settle, and rendering it to a PNG. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Loads the app's style sheet, as AdwApplication does for the real program. */
void gui_screenshot_load_style (void);
/* Runs the main loop for @ms milliseconds, so that pages finish loading and drawing. */
void gui_screenshot_settle     (guint       ms);
/* Renders @window with its own renderer and writes it to @path; aborts on failure. */
void gui_screenshot_save_png   (GtkWidget  *window,
                                const char *path);

G_END_DECLS
