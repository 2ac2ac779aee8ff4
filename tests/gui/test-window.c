/* test-window.c: the real main window against the simulator's demo data: sign in, the home
 * page and its domains, the task rows, signing out, what is remembered. Run in English and,
 * with --french, in French. */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-tasks.h"

static void
setup_demo (GuiFixture    *f,
            gconstpointer  data)
{
  g_autofree char *description = NULL;

  gui_fixture_setup (f, data);
  hes_mailcow_sim_load_demo (f->sim, &description);
  gui_fixture_open_window (f);
}

static gboolean
domains_loaded (gpointer data)
{
  GuiFixture *f = data;
  GtkWidget *first = gtk_widget_get_first_child (gui_home_child (f, "domains_list"));

  return first != NULL && gtk_widget_get_name (first) != NULL
         && strchr (gtk_widget_get_name (first), '.') != NULL;
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
row_subtitle (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}
