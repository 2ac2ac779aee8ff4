/* hes-your-moves.h: "Your Moves" on the home page: every sync job of the account (or of the
 * administrator's domains), read from the server each time the home page is shown, with its
 * state in plain words and what can be done with it: read the report, simulate again, start
 * the real move, pause, remove (after a confirmation that says what removing means). */
#pragma once

#include <adwaita.h>

#include "hes-session.h"

G_BEGIN_DECLS

#define HES_TYPE_YOUR_MOVES (hes_your_moves_get_type ())
G_DECLARE_FINAL_TYPE (HesYourMoves, hes_your_moves, HES, YOUR_MOVES, AdwPreferencesGroup)

/* Reads the jobs again through @session's client; hides the group when there is none. */
void        hes_your_moves_reload    (HesYourMoves *self,
                                      HesSession   *session);
/* Greys @task_row ("Move One Mailbox") with the reason when the account may not create sync
 * jobs, once the server has said so. */
void        hes_your_moves_check_rights (HesYourMoves *self,
                                         GtkWidget    *task_row);
/* Forgets everything shown (signed out). */
void        hes_your_moves_clear     (HesYourMoves *self);
/* TRUE while a read, the rights' check or an action runs (tests). */
gboolean    hes_your_moves_is_busy   (HesYourMoves *self);
/* Where the domain moves' saved progress is read (tests); NULL: the default. */
void        hes_your_moves_set_state_dir (const char *state_dir);

G_END_DECLS
