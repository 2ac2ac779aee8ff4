/* test-accessible.c: every control of every page has the name a screen reader should read.
 *
 * Walks the accessible properties of the real window's widgets in-process (GTK's test
 * accessibility backend, which holds exactly what the AT-SPI bridge publishes: the label
 * property and the labelled-by relation). A control fails when it has no name, when its
 * name still carries a mnemonic underscore ("_Sign In", read as "_Sign In Sign In"), or when
 * two copy buttons of one page share a name; and when a page shows more than one primary
 * (blue) button. Run in English and French. */
#define G_LOG_DOMAIN "test-accessible"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-assistant.h"
#include "pages/hes-pages.h"

#define DEMO_PASSWORD "Demo-2026!"

static void
setup_demo (GuiFixture    *f,
            gconstpointer  data)
{
  g_autofree char *description = NULL;

  gui_fixture_setup (f, data);
  hes_mailcow_sim_load_demo (f->sim, &description);
  gui_fixture_open_window (f);
}

/* The accessible label, or NULL when none is set. */
static char *
dup_label (GtkWidget *widget)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;
  /* The check answers with the actual value when it differs from the one asked. */
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL, "\001");
}

/* Controls a screen-reader user reaches with Tab or arrows and must hear a name for. */
static gboolean
is_control (GtkWidget *widget)
{
  if (!gtk_widget_get_focusable (widget))
    return FALSE;
  /* The text inside an entry row is named by the row. */
  if (GTK_IS_TEXT (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW) != NULL)
    return FALSE;
  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget))
           || ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget);
  return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget)
         || GTK_IS_TEXT (widget) || GTK_IS_ENTRY (widget) || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_LINK_BUTTON (widget);
}

static gboolean
uses_mnemonic (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_use_underline (GTK_BUTTON (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (widget));
  return FALSE;
}

typedef struct {
  const char *page;
  guint n_controls;
  guint n_primary;
  GHashTable *copy_names;
} Walk;

static void
check_control (Walk      *walk,
               GtkWidget *widget)
{
  g_autofree char *label = dup_label (widget);
  gboolean labelled_by = gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  walk->n_controls++;
  if ((label == NULL || *label == '\0') && !labelled_by)
    g_error ("%s: a %s (%s) has no accessible name", walk->page, G_OBJECT_TYPE_NAME (widget),
             gtk_widget_get_name (widget));
  if (label != NULL && uses_mnemonic (widget) && strchr (label, '_') != NULL)
    g_error ("%s: a %s is named “%s”, mnemonic underscore included", walk->page,
             G_OBJECT_TYPE_NAME (widget), label);
  if (g_strcmp0 (gtk_widget_get_name (widget), "copy_button") == 0) {
    if (g_hash_table_contains (walk->copy_names, label))
      g_error ("%s: two copy buttons are both named “%s”", walk->page, label);
    g_hash_table_add (walk->copy_names, g_steal_pointer (&label));
  }
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  /* What nobody can see, nobody reaches; popovers are checked when they open. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget)
      || GTK_IS_POPOVER (widget))
    return;
  if (is_control (widget))
    check_control (walk, widget);
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "suggested-action"))
    walk->n_primary++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

/* The window as it shows now: header bar and current page. */
static guint
check_window (GuiFixture *f,
              const char *page)
{
  Walk walk = { page, 0, 0, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };

  gui_flush ();
  walk_widget (&walk, GTK_WIDGET (f->window));
  /* One blue button: the way forward. The domain move's pages, being rebuilt one widget per
   * step, still show their step's button beside the header's. */
  if (walk.n_primary > 1 && !g_str_has_prefix (page, "move-"))
    g_error ("%s: %u primary (blue) buttons", page, walk.n_primary);
  g_hash_table_unref (walk.copy_names);
  g_test_message ("%s: %u controls named", page, walk.n_controls);
  g_assert_cmpuint (walk.n_controls, >, 0);
  return walk.n_controls;
}

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets a page load what it shows (its rows and buttons come from the server). */
static void
settle (void)
{
  gboolean waited = FALSE;

  g_timeout_add (1500, on_timeout_cb, &waited);
  gui_wait_for (is_true, &waited, "the page to load");
}

static void
test_every_page (GuiFixture    *f,
                 gconstpointer  data)
{
  const char *tasks[] = { "dns", "secure", "move-mailbox", "move-domain" };
  GtkStack *steps = GTK_STACK (gui_signin_child (f, "step_stack"));
  const char *step_names[] = { "credentials", "second-factor", "new-password", "key-pin" };

  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (f, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  /* Every step of the sign-in page, as it can be shown. */
  for (guint i = 0; i < G_N_ELEMENTS (step_names); i++) {
    g_autofree char *where = g_strdup_printf ("sign-in (%s)", step_names[i]);

    gtk_stack_set_visible_child_name (steps, step_names[i]);
    check_window (f, where);
  }
  gtk_stack_set_visible_child_name (steps, "credentials");

  gui_sign_in (f, TRUE, "demo-admin", DEMO_PASSWORD);
  gui_wait_for_home (f);
  settle ();
  check_window (f, "home");

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++) {
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s", tasks[i]);
    settle ();
    check_window (f, tasks[i]);
    hes_assistant_set_current_page (hes_window_get_assistant (f->window),
                                    hes_window_get_home_page (f->window));
  }
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  hes_pages_register_all ();

  g_test_add ("/accessible/every-page", GuiFixture, NULL, setup_demo, test_every_page,
              gui_fixture_teardown);

  return g_test_run ();
}
