/* hes-assistant.c: the wizard frame. */
#define G_LOG_DOMAIN "hes-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-assistant.h"
#include "hes-accessible.h"

struct _HesAssistant
{
  GtkBox parent_instance;

  GtkWidget *header_bar;
  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkWidget *cancel_button;
  GtkWidget *next_button;
  GtkWidget *menu_button;
  GtkWidget *spinner;
  GtkStack *stack;

  GPtrArray *pages;  /* HesPage, in order */
  HesPage *current;
};

G_DEFINE_FINAL_TYPE (HesAssistant, hes_assistant, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CURRENT_PAGE,
  N_PROPS,
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The nearest visible page before (@step = -1) or after (+1) the current one. */
static HesPage *
find_visible_page (HesAssistant *self,
                   int           step)
{
  guint index;

  if (self->current == NULL || !g_ptr_array_find (self->pages, self->current, &index))
    return NULL;

  for (gint64 i = (gint64) index + step; i >= 0 && i < self->pages->len; i += step) {
    HesPage *page = g_ptr_array_index (self->pages, i);

    if (gtk_widget_get_visible (GTK_WIDGET (page)))
      return page;
  }

  return NULL;
}

static void
update_buttons (HesAssistant *self)
{
  HesPage *page = self->current;
  gboolean applying = page != NULL && hes_page_get_applying (page);
  gboolean can_back = page != NULL && !applying
                      && (hes_page_get_can_step_back (page)
                          || find_visible_page (self, -1) != NULL);
  gboolean can_next = page != NULL && !applying && hes_page_get_complete (page);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", can_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel", applying);

  gtk_widget_set_visible (self->back_button, can_back);
  gtk_widget_set_visible (self->cancel_button, applying);
  gtk_widget_set_visible (self->spinner, applying);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), applying);
  gtk_widget_set_visible (self->next_button, page != NULL && !hes_page_get_has_forward (page));
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        find_visible_page (self, +1) != NULL ? _("_Next") : _("_Done"));

  adw_window_title_set_title (self->window_title, page ? hes_page_get_title (page) : NULL);
}

static void
on_page_notify_cb (HesAssistant *self,
                   GParamSpec   *pspec,
                   HesPage      *page)
{
  update_buttons (self);

  /* While the page works, the keyboard is on Cancel: Enter or Escape stops the work, and the
   * page's fields (insensitive now) keep no focus. */
  if (g_strcmp0 (g_param_spec_get_name (pspec), "applying") == 0 && hes_page_get_applying (page))
    gtk_widget_grab_focus (self->cancel_button);
}

static void
switch_to_page (HesAssistant *self,
                HesPage      *page)
{
  if (self->current == page)
    return;

  if (self->current != NULL) {
    hes_page_apply_cancel (self->current);
    g_signal_handlers_disconnect_by_func (self->current, on_page_notify_cb, self);
  }

  self->current = page;

  if (page != NULL) {
    g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_notify_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (page, "notify::applying", G_CALLBACK (on_page_notify_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (page, "notify::title", G_CALLBACK (on_page_notify_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (page, "notify::has-forward", G_CALLBACK (on_page_notify_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (page, "notify::can-step-back", G_CALLBACK (on_page_notify_cb),
                             self, G_CONNECT_SWAPPED);
    gtk_widget_set_visible (GTK_WIDGET (page), TRUE);
    gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  }

  update_buttons (self);

  if (page != NULL) {
    GtkRoot *root;
    GtkWidget *focus;

    hes_page_shown (page);
    /* Keyboard users land on the page's first field, not on the header bar. Focus moves
     * before anyone hears of the change, so a page hidden then does not hold the focus.
     * A page that put the focus where its customer should start (shown()) keeps it: moving
     * on from there would land on the button next to that field. */
    root = gtk_widget_get_root (GTK_WIDGET (page));
    focus = root != NULL ? gtk_root_get_focus (root) : NULL;
    if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
      gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
  }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
}

static void
on_page_applied_cb (HesPage  *page,
                    gboolean  valid,
                    gpointer  user_data)
{
  HesAssistant *self = HES_ASSISTANT (user_data);
  HesPage *next;

  if (!valid || page != self->current) {
    update_buttons (self);
    return;
  }

  next = find_visible_page (self, +1);
  if (next != NULL)
    switch_to_page (self, next);
  else
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  update_buttons (self);
}

static void
assistant_next (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HesAssistant *self = HES_ASSISTANT (widget);

  if (self->current == NULL || hes_page_get_applying (self->current)
      || !hes_page_get_complete (self->current))
    return;

  hes_page_apply_begin (self->current, on_page_applied_cb, self);
}

static void
assistant_back (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HesAssistant *self = HES_ASSISTANT (widget);
  HesPage *previous;

  if (self->current == NULL || hes_page_get_applying (self->current))
    return;

  if (hes_page_get_can_step_back (self->current)) {
    hes_page_step_back (self->current);
    return;
  }

  previous = find_visible_page (self, -1);
  if (previous != NULL)
    switch_to_page (self, previous);
}

static void
assistant_cancel (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HesAssistant *self = HES_ASSISTANT (widget);

  if (self->current != NULL)
    hes_page_apply_cancel (self->current);
}

/* Enter in a field with "activates-default" presses Next (when Next is enabled). */
static void
hes_assistant_root (GtkWidget *widget)
{
  HesAssistant *self = HES_ASSISTANT (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (hes_assistant_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->next_button);
}

static void
hes_assistant_dispose (GObject *object)
{
  HesAssistant *self = HES_ASSISTANT (object);

  /* A page may outlive the assistant (its running work holds it): it must not call back. */
  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    hes_page_apply_detach (g_ptr_array_index (self->pages, i));
  if (self->current != NULL) {
    g_signal_handlers_disconnect_by_func (self->current, on_page_notify_cb, self);
    self->current = NULL;
  }
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_ASSISTANT);

  G_OBJECT_CLASS (hes_assistant_parent_class)->dispose (object);
}

static void
hes_assistant_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HesAssistant *self = HES_ASSISTANT (object);

  switch (prop_id) {
  case PROP_CURRENT_PAGE:
    g_value_set_object (value, self->current);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_assistant_class_init (HesAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hes_assistant_dispose;
  object_class->get_property = hes_assistant_get_property;
  widget_class->root = hes_assistant_root;

  properties[PROP_CURRENT_PAGE] =
    g_param_spec_object ("current-page", NULL, NULL, HES_TYPE_PAGE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when Next was pressed on the last visible page and its apply() ended valid. */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hes-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, header_bar);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, menu_button);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, spinner);
  gtk_widget_class_bind_template_child (widget_class, HesAssistant, stack);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, assistant_next);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, assistant_back);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, assistant_cancel);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "assistant.next", NULL);
}

static void
hes_assistant_init (HesAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The header's Cancel and Next/Done, before any page is added. */
  hes_accessible_name_controls (GTK_WIDGET (self));

  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
  update_buttons (self);
}

GtkWidget *
hes_assistant_new (void)
{
  return g_object_new (HES_TYPE_ASSISTANT, NULL);
}

static void
on_page_visible_cb (HesAssistant *self,
                    GParamSpec   *pspec,
                    HesPage      *page)
{
  update_buttons (self);
}

void
hes_assistant_add_page (HesAssistant *self,
                        HesPage      *page)
{
  g_return_if_fail (HES_IS_ASSISTANT (self));
  g_return_if_fail (HES_IS_PAGE (page));

  g_ptr_array_add (self->pages, g_object_ref_sink (page));
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  g_signal_connect_object (page, "notify::visible", G_CALLBACK (on_page_visible_cb),
                           self, G_CONNECT_SWAPPED);

  if (self->current == NULL)
    switch_to_page (self, page);
  else
    update_buttons (self);
}

void
hes_assistant_remove_page (HesAssistant *self,
                           HesPage      *page)
{
  guint index;

  g_return_if_fail (HES_IS_ASSISTANT (self));
  g_return_if_fail (HES_IS_PAGE (page));

  if (!g_ptr_array_find (self->pages, page, &index))
    return;

  if (page == self->current) {
    HesPage *other = find_visible_page (self, -1);

    switch_to_page (self, other ? other : find_visible_page (self, +1));
  }

  hes_page_apply_detach (page);
  g_signal_handlers_disconnect_by_func (page, on_page_visible_cb, self);
  gtk_stack_remove (self->stack, GTK_WIDGET (page));
  g_ptr_array_remove_index (self->pages, index);
  update_buttons (self);
}

void
hes_assistant_remove_pages_after (HesAssistant *self,
                                  HesPage      *page)
{
  guint index;

  g_return_if_fail (HES_IS_ASSISTANT (self));
  g_return_if_fail (HES_IS_PAGE (page));

  if (!g_ptr_array_find (self->pages, page, &index))
    return;

  while (self->pages->len > index + 1)
    hes_assistant_remove_page (self, g_ptr_array_index (self->pages, self->pages->len - 1));
}

HesPage *
hes_assistant_get_current_page (HesAssistant *self)
{
  g_return_val_if_fail (HES_IS_ASSISTANT (self), NULL);

  return self->current;
}

void
hes_assistant_set_current_page (HesAssistant *self,
                                HesPage      *page)
{
  g_return_if_fail (HES_IS_ASSISTANT (self));
  g_return_if_fail (HES_IS_PAGE (page));
  g_return_if_fail (g_ptr_array_find (self->pages, page, NULL));

  switch_to_page (self, page);
}

GPtrArray *
hes_assistant_get_pages (HesAssistant *self)
{
  GPtrArray *pages;

  g_return_val_if_fail (HES_IS_ASSISTANT (self), NULL);

  pages = g_ptr_array_new ();
  for (guint i = 0; i < self->pages->len; i++)
    g_ptr_array_add (pages, g_ptr_array_index (self->pages, i));

  return pages;
}

void
hes_assistant_set_menu_model (HesAssistant *self,
                              GMenuModel   *menu_model)
{
  g_return_if_fail (HES_IS_ASSISTANT (self));

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), menu_model);
  gtk_widget_set_visible (self->menu_button, menu_model != NULL);
}

char *
hes_assistant_dup_next_words (HesAssistant *self)
{
  g_return_val_if_fail (HES_IS_ASSISTANT (self), NULL);

  update_buttons (self);
  return hes_strip_mnemonic (gtk_button_get_label (GTK_BUTTON (self->next_button)));
}
