/* migration-gui.h: what the migration GUI tests share: a simulator with one domain, its
 * administrator and mailboxes, the real window signed in, and reading the server's jobs. */
#pragma once

#include <json-glib/json-glib.h>

#include "gui-helpers.h"

G_BEGIN_DECLS

#define MIG_DOMAIN     "kunde.example"
#define MIG_ADMIN      "kundeadmin"
#define MIG_ADMIN_PASS "Admin-456"
#define MIG_MAILBOX    "anna@kunde.example"

/* The simulator holds the domain and its administrator; the window is open and signed in. */
void        mig_fixture_setup      (GuiFixture *f,
                                    gconstpointer data);
/* The page's template child @name. */
GtkWidget  *mig_child              (gpointer    page,
                                    GType       type,
                                    const char *name);
/* The jobs of @mailbox as the server stores them, read through the signed-in session. */
JsonArray  *mig_server_jobs        (GuiFixture *f,
                                    const char *mailbox);
/* Where the domain page keeps @domain's progress for the signed-in account and server. */
char       *mig_state_path         (GuiFixture *f,
                                    const char *state_dir,
                                    const char *domain);
/* An async call's result into *@user_data (a GAsyncResult *); mig_has_result waits for it. */
void        mig_on_done            (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data);
gboolean    mig_has_result         (gpointer     data);
/* Opens the task @id from the home page, as its row does. */
void        mig_open_task          (GuiFixture *f,
                                    const char *id);
void        mig_assert_translated  (const char *english);
/* The widget named @name (gtk_widget_set_name) inside @root, or NULL. */
GtkWidget  *mig_find_named         (GtkWidget  *root,
                                    const char *name);

G_END_DECLS
