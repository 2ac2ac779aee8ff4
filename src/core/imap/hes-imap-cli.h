/* hes-imap-cli.h: `--test-imap HOST [--port N] [--security ssl|starttls] --user USER [--json]`.
 *
 * The password is read from standard input (one line). Prints the folders and their message
 * counts, or the plain error; --json prints {"ok","error_code","message","folders":[{"name",
 * "messages"}],"total_messages"}. Returns 0 when the sign-in worked, 1 when not, 2 on bad usage.
 * Runs its own GMainLoop.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int hes_imap_cli_main (int    argc,
                       char **argv);

G_END_DECLS
