/* test-assistant.c: the wizard frame's Next/Back/Cancel logic with a test page. */
#define G_LOG_DOMAIN "test-assistant"

#include "config.h"

#include "gui-helpers.h"
#include "hes-assistant.h"

/* A page whose apply() is synchronous or waits for the test to end it. */
#define TEST_TYPE_PAGE (test_page_get_type ())
G_DECLARE_FINAL_TYPE (TestPage, test_page, TEST, PAGE, HesPage)

struct _TestPage
{
  HesPage parent_instance;

  gboolean async;
  guint applied;
  guint shown;
  guint stepped_back;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TestPage, test_page, HES_TYPE_PAGE)

static void
on_cancelled_cb (GCancellable *cancellable,
                 TestPage     *self)
{
  /* Like a real page: a cancelled apply ends, not valid. */
  hes_page_apply_complete (HES_PAGE (self), FALSE);
}

static gboolean
test_page_apply (HesPage      *page,
                 GCancellable *cancellable)
{
  TestPage *self = TEST_PAGE (page);

  self->applied++;
  if (!self->async)
    return FALSE;

  g_set_object (&self->cancellable, cancellable);
  g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), self, NULL);
  return TRUE;
}

static void
test_page_shown (HesPage *page)
{
  TEST_PAGE (page)->shown++;
}

static void
test_page_step_back (HesPage *page)
{
  TEST_PAGE (page)->stepped_back++;
  hes_page_set_can_step_back (page, FALSE);
}

static void
test_page_dispose (GObject *object)
{
  g_clear_object (&TEST_PAGE (object)->cancellable);
  G_OBJECT_CLASS (test_page_parent_class)->dispose (object);
}

static void
test_page_class_init (TestPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = test_page_dispose;
  HES_PAGE_CLASS (klass)->apply = test_page_apply;
  HES_PAGE_CLASS (klass)->shown = test_page_shown;
  HES_PAGE_CLASS (klass)->step_back = test_page_step_back;
}

static void
test_page_init (TestPage *self)
{
}

static TestPage *
add_page (HesAssistant *assistant,
          const char   *title,
          gboolean      complete)
{
  TestPage *page = g_object_new (TEST_TYPE_PAGE, "title", title, "complete", complete, NULL);

  hes_assistant_add_page (assistant, HES_PAGE (page));
  return page;
}

typedef struct {
  GtkWidget *window;
  HesAssistant *assistant;
  TestPage *a, *b, *c;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gtk_window_new ();
  f->assistant = HES_ASSISTANT (hes_assistant_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->assistant));
  f->a = add_page (f->assistant, "A", FALSE);
  f->b = add_page (f->assistant, "B", FALSE);
  f->c = add_page (f->assistant, "C", TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE));
}

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  return (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (f->assistant),
                                                     HES_TYPE_ASSISTANT, name);
}

static void
activate (Fixture    *f,
          const char *action)
{
  gtk_widget_activate_action (GTK_WIDGET (f->assistant), action, NULL);
}

static HesPage *
current (Fixture *f)
{
  return hes_assistant_get_current_page (f->assistant);
}

static void
test_next_needs_complete (Fixture       *f,
                          gconstpointer  data)
{
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_cmpuint (f->a->shown, ==, 1);
  g_assert_false (gtk_widget_get_sensitive (child (f, "next_button")));
  g_assert_false (gtk_widget_get_visible (child (f, "back_button")));
  /* The icon-only Back button has a name for screen readers. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (f, "back_button")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Back");

  activate (f, "assistant.next");
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_cmpuint (f->a->applied, ==, 0);

  hes_page_set_complete (HES_PAGE (f->a), TRUE);
  g_assert_true (gtk_widget_get_sensitive (child (f, "next_button")));
  activate (f, "assistant.next");
  g_assert_cmpuint (f->a->applied, ==, 1);
  g_assert_true (current (f) == HES_PAGE (f->b));
  g_assert_cmpuint (f->b->shown, ==, 1);
  g_assert_false (gtk_widget_get_sensitive (child (f, "next_button")));
  g_assert_true (gtk_widget_get_visible (child (f, "back_button")));

  activate (f, "assistant.back");
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_cmpuint (f->a->shown, ==, 2);
}

static void
test_async_apply (Fixture       *f,
                  gconstpointer  data)
{
  hes_page_set_complete (HES_PAGE (f->a), TRUE);
  f->a->async = TRUE;

  activate (f, "assistant.next");
  g_assert_true (hes_page_get_applying (HES_PAGE (f->a)));
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_true (gtk_widget_get_visible (child (f, "cancel_button")));
  g_assert_true (gtk_widget_get_visible (child (f, "spinner")));
  g_assert_false (gtk_widget_get_sensitive (child (f, "next_button")));

  /* A second Next while applying does nothing. */
  activate (f, "assistant.next");
  g_assert_cmpuint (f->a->applied, ==, 1);

  /* Not valid: the page stays, ready for another try. */
  hes_page_apply_complete (HES_PAGE (f->a), FALSE);
  g_assert_false (hes_page_get_applying (HES_PAGE (f->a)));
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_false (gtk_widget_get_visible (child (f, "cancel_button")));
  g_assert_true (gtk_widget_get_sensitive (child (f, "next_button")));

  activate (f, "assistant.next");
  g_assert_cmpuint (f->a->applied, ==, 2);
  hes_page_apply_complete (HES_PAGE (f->a), TRUE);
  g_assert_true (current (f) == HES_PAGE (f->b));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  hes_page_set_complete (HES_PAGE (f->a), TRUE);
  f->a->async = TRUE;

  activate (f, "assistant.next");
  g_assert_true (hes_page_get_applying (HES_PAGE (f->a)));
  /* Back is off while applying. */
  activate (f, "assistant.back");
  g_assert_true (current (f) == HES_PAGE (f->a));

  activate (f, "assistant.cancel");
  g_assert_true (g_cancellable_is_cancelled (f->a->cancellable));
  g_assert_false (hes_page_get_applying (HES_PAGE (f->a)));
  g_assert_true (current (f) == HES_PAGE (f->a));
}

static void
test_skips_invisible (Fixture       *f,
                      gconstpointer  data)
{
  gtk_widget_set_visible (GTK_WIDGET (f->b), FALSE);
  hes_page_set_complete (HES_PAGE (f->a), TRUE);

  activate (f, "assistant.next");
  g_assert_true (current (f) == HES_PAGE (f->c));
  g_assert_cmpuint (f->b->shown, ==, 0);

  activate (f, "assistant.back");
  g_assert_true (current (f) == HES_PAGE (f->a));
}

static void
on_finished_cb (HesAssistant *assistant,
                guint        *count)
{
  (*count)++;
}

static void
test_finished (Fixture       *f,
               gconstpointer  data)
{
  guint finished = 0;

  g_signal_connect (f->assistant, "finished", G_CALLBACK (on_finished_cb), &finished);
  hes_assistant_set_current_page (f->assistant, HES_PAGE (f->c));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (f, "next_button"))), ==, "_Done");

  activate (f, "assistant.next");
  g_assert_cmpuint (f->c->applied, ==, 1);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_true (current (f) == HES_PAGE (f->c));
}

static void
test_step_back (Fixture       *f,
                gconstpointer  data)
{
  hes_assistant_set_current_page (f->assistant, HES_PAGE (f->b));
  hes_page_set_can_step_back (HES_PAGE (f->b), TRUE);

  activate (f, "assistant.back");
  g_assert_cmpuint (f->b->stepped_back, ==, 1);
  g_assert_true (current (f) == HES_PAGE (f->b));

  activate (f, "assistant.back");
  g_assert_cmpuint (f->b->stepped_back, ==, 1);
  g_assert_true (current (f) == HES_PAGE (f->a));
}

static void
test_has_forward_and_title (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *title = child (f, "window_title");

  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "A");
  hes_page_set_title (HES_PAGE (f->a), "A2");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "A2");

  g_assert_true (gtk_widget_get_visible (child (f, "next_button")));
  hes_page_set_has_forward (HES_PAGE (f->a), TRUE);
  g_assert_false (gtk_widget_get_visible (child (f, "next_button")));
}

static gboolean
on_page_b (gpointer data)
{
  Fixture *f = data;

  return current (f) == HES_PAGE (f->b);
}

static void
test_enter_goes_on (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_bin_set_child (ADW_BIN (f->a), entry);
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (f->window))
                 == child (f, "next_button"));

  /* Not complete: Enter does nothing. */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (entry)), "activate");
  gui_flush ();
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_cmpuint (f->a->applied, ==, 0);

  /* Complete: Enter presses Next (a button pressed by keyboard clicks after a short flash). */
  hes_page_set_complete (HES_PAGE (f->a), TRUE);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (entry)), "activate");
  gui_wait_for (on_page_b, f, "Next");
}

static void
test_remove_pages_after (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) pages = NULL;

  hes_assistant_set_current_page (f->assistant, HES_PAGE (f->c));
  hes_assistant_remove_pages_after (f->assistant, HES_PAGE (f->a));

  pages = hes_assistant_get_pages (f->assistant);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_true (current (f) == HES_PAGE (f->a));
  g_assert_false (gtk_widget_get_visible (child (f, "back_button")));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/assistant/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("next-needs-complete", test_next_needs_complete);
  ADD ("async-apply", test_async_apply);
  ADD ("cancel", test_cancel);
  ADD ("skips-invisible", test_skips_invisible);
  ADD ("finished", test_finished);
  ADD ("step-back", test_step_back);
  ADD ("has-forward-and-title", test_has_forward_and_title);
  ADD ("remove-pages-after", test_remove_pages_after);
  ADD ("enter-goes-on", test_enter_goes_on);
#undef ADD

  return g_test_run ();
}
