/* hes-accessible.h: names screen readers read right.
 *
 * GTK 4.8 gives a button with a mnemonic its label as accessible name, underscore included,
 * and screen readers read "_Sign In Sign In". hes_accessible_name_controls() gives each such
 * button under @root its label without the underscore as its name, and keeps it so when the
 * label changes. HesPage runs it on its page each time the page is shown, HesAssistant on its
 * header bar; code that adds a mnemonic button later calls it on the new button.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void hes_accessible_name_controls (GtkWidget *root);

G_END_DECLS
