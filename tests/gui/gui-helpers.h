/* gui-helpers.h: driving the real window in GUI tests. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*GuiPredicate) (gpointer data);

/* Iterates the main loop until @predicate is TRUE; fails the test after 20 s. */
void   gui_wait_for         (GuiPredicate  predicate,
                             gpointer      data,
                             const char   *what);
/* Lets pending idles and events run. */
void   gui_flush            (void);
/* The current RFC 6238 code (30 s, 6 digits, SHA-1) of a base32 secret, @offset steps away. */
char  *gui_totp_code        (const char   *base32_secret,
                             int           offset);
/* Switches the process to @language ("en" or "fr") before gettext is first used. */
void   gui_init_locale      (int          *argc,
                             char       ***argv);
gboolean gui_is_french      (void);
/* For GUI test programs: the locale as above, then gtk_test_init and adw_init. */
void   gui_test_init        (int          *argc,
                             char       ***argv);

G_END_DECLS

#include "hes-mailcow-sim.h"
#include "hes-window.h"

G_BEGIN_DECLS

/* A simulator on loopback and the real main window pointed at it. */
typedef struct {
  HesMailcowSim *sim;
  char *url;
  HesWindow *window;
} GuiFixture;

void       gui_fixture_setup        (GuiFixture    *f,
                                     gconstpointer  data);
void       gui_fixture_teardown     (GuiFixture    *f,
                                     gconstpointer  data);
/* Opens the window (after the test filled the simulator). */
void       gui_fixture_open_window  (GuiFixture    *f);
GtkWidget *gui_signin_child         (GuiFixture    *f,
                                     const char    *name);
GtkWidget *gui_home_child           (GuiFixture    *f,
                                     const char    *name);
HesPage   *gui_current_page         (GuiFixture    *f);
void       gui_type                 (GuiFixture    *f,
                                     const char    *name,
                                     const char    *text);
const char *gui_text                (GuiFixture    *f,
                                     const char    *name);
/* Fills the sign-in form and clicks Sign In. */
void       gui_sign_in              (GuiFixture    *f,
                                     gboolean       domain_admin,
                                     const char    *username,
                                     const char    *password);
/* Clicks the page's forward button and waits for its work to end. */
void       gui_click_forward        (GuiFixture    *f);
void       gui_wait_for_home        (GuiFixture    *f);
const char *gui_signin_step         (GuiFixture    *f);
/* The row of @list named @name (gtk_widget_get_name), or NULL. */
GtkWidget *gui_find_row             (GtkWidget     *list,
                                     const char    *name);

G_END_DECLS
