/* hes-page.c: one step of the wizard. */
#define G_LOG_DOMAIN "hes-page"

#include "config.h"

#include "hes-page.h"
#include "hes-accessible.h"
#include "hes-assistant.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

typedef struct
{
  char *title;
  HesSession *session;
  GCancellable *apply_cancellable;
  HesPageApplyCallback apply_callback;
  gpointer apply_data;
  guint complete : 1;
  guint applying : 1;
  guint has_forward : 1;
  guint can_step_back : 1;
} HesPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HesPage, hes_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_APPLYING,
  PROP_HAS_FORWARD,
  PROP_CAN_STEP_BACK,
  PROP_SESSION,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static gboolean
hes_page_real_apply (HesPage      *page,
                     GCancellable *cancellable)
{
  return FALSE;
}

static void
hes_page_dispose (GObject *object)
{
  HesPage *self = HES_PAGE (object);
  HesPagePrivate *priv = hes_page_get_instance_private (self);

  /* A page going away takes its running work with it. */
  if (priv->apply_cancellable != NULL)
    g_cancellable_cancel (priv->apply_cancellable);
  g_clear_object (&priv->apply_cancellable);
  priv->apply_callback = NULL;
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (hes_page_parent_class)->dispose (object);
}

static void
hes_page_finalize (GObject *object)
{
  HesPagePrivate *priv = hes_page_get_instance_private (HES_PAGE (object));

  g_free (priv->title);

  G_OBJECT_CLASS (hes_page_parent_class)->finalize (object);
}

static void
hes_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  HesPage *self = HES_PAGE (object);
  HesPagePrivate *priv = hes_page_get_instance_private (self);

  switch (prop_id) {
  case PROP_TITLE:
    g_value_set_string (value, priv->title);
    break;
  case PROP_COMPLETE:
    g_value_set_boolean (value, priv->complete);
    break;
  case PROP_APPLYING:
    g_value_set_boolean (value, priv->applying);
    break;
  case PROP_HAS_FORWARD:
    g_value_set_boolean (value, priv->has_forward);
    break;
  case PROP_CAN_STEP_BACK:
    g_value_set_boolean (value, priv->can_step_back);
    break;
  case PROP_SESSION:
    g_value_set_object (value, priv->session);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  HesPage *self = HES_PAGE (object);
  HesPagePrivate *priv = hes_page_get_instance_private (self);

  switch (prop_id) {
  case PROP_TITLE:
    hes_page_set_title (self, g_value_get_string (value));
    break;
  case PROP_COMPLETE:
    hes_page_set_complete (self, g_value_get_boolean (value));
    break;
  case PROP_HAS_FORWARD:
    hes_page_set_has_forward (self, g_value_get_boolean (value));
    break;
  case PROP_CAN_STEP_BACK:
    hes_page_set_can_step_back (self, g_value_get_boolean (value));
    break;
  case PROP_SESSION:
    priv->session = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_page_class_init (HesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_page_dispose;
  object_class->finalize = hes_page_finalize;
  object_class->get_property = hes_page_get_property;
  object_class->set_property = hes_page_set_property;

  klass->apply = hes_page_real_apply;

  /* Page templates place one. */
  g_type_ensure (HES_TYPE_MESSAGE_AREA);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_FORWARD] =
    g_param_spec_boolean ("has-forward", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_STEP_BACK] =
    g_param_spec_boolean ("can-step-back", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, HES_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hes_page_init (HesPage *self)
{
}

const char *
hes_page_get_title (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), NULL);

  return priv->title;
}

void
hes_page_set_title (HesPage    *page,
                    const char *title)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (page), properties[PROP_TITLE]);
}

gboolean
hes_page_get_complete (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), FALSE);

  return priv->complete;
}

void
hes_page_set_complete (HesPage  *page,
                       gboolean  complete)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (page), properties[PROP_COMPLETE]);
}

gboolean
hes_page_get_has_forward (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), FALSE);

  return priv->has_forward;
}

void
hes_page_set_has_forward (HesPage  *page,
                          gboolean  has_forward)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  has_forward = !!has_forward;
  if (priv->has_forward == has_forward)
    return;

  priv->has_forward = has_forward;
  g_object_notify_by_pspec (G_OBJECT (page), properties[PROP_HAS_FORWARD]);
}

gboolean
hes_page_get_can_step_back (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), FALSE);

  return priv->can_step_back;
}

void
hes_page_set_can_step_back (HesPage  *page,
                            gboolean  can_step_back)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  can_step_back = !!can_step_back;
  if (priv->can_step_back == can_step_back)
    return;

  priv->can_step_back = can_step_back;
  g_object_notify_by_pspec (G_OBJECT (page), properties[PROP_CAN_STEP_BACK]);
}

gboolean
hes_page_get_applying (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), FALSE);

  return priv->applying;
}

HesSession *
hes_page_get_session (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_val_if_fail (HES_IS_PAGE (page), NULL);

  return priv->session;
}

static void
hes_page_set_applying (HesPage  *page,
                       gboolean  applying)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  if (priv->applying == applying)
    return;

  priv->applying = applying;
  g_object_notify_by_pspec (G_OBJECT (page), properties[PROP_APPLYING]);
}

void
hes_page_apply_begin (HesPage              *page,
                      HesPageApplyCallback  callback,
                      gpointer              user_data)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (HES_IS_PAGE (page));
  g_return_if_fail (!priv->applying);

  priv->apply_callback = callback;
  priv->apply_data = user_data;
  priv->apply_cancellable = g_cancellable_new ();
  cancellable = g_object_ref (priv->apply_cancellable);
  hes_page_set_applying (page, TRUE);

  /* The page may finish at once (FALSE): then nothing is pending and it is valid. */
  if (!HES_PAGE_GET_CLASS (page)->apply (page, cancellable))
    hes_page_apply_complete (page, TRUE);
}

void
hes_page_apply_complete (HesPage  *page,
                         gboolean  valid)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);
  HesPageApplyCallback callback;
  gpointer user_data;

  g_return_if_fail (HES_IS_PAGE (page));

  if (!priv->applying)
    return;

  callback = priv->apply_callback;
  user_data = priv->apply_data;
  priv->apply_callback = NULL;
  priv->apply_data = NULL;
  g_clear_object (&priv->apply_cancellable);
  hes_page_set_applying (page, FALSE);

  if (callback != NULL)
    callback (page, valid, user_data);
}

void
hes_page_apply_cancel (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  if (priv->apply_cancellable != NULL)
    g_cancellable_cancel (priv->apply_cancellable);
}

void
hes_page_apply_detach (HesPage *page)
{
  HesPagePrivate *priv = hes_page_get_instance_private (page);

  g_return_if_fail (HES_IS_PAGE (page));

  priv->apply_callback = NULL;
  priv->apply_data = NULL;
  hes_page_apply_cancel (page);
}

/* libadwaita 1.2 cuts a group's title with an ellipsis; on a phone, in French, titles are
 * longer than the width. They wrap instead (the rows in the group have their own rules). */
static void
let_group_titles_wrap (GtkWidget *widget,
                       gboolean   in_group_header)
{
  if (in_group_header && GTK_IS_LABEL (widget)
      && gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE) {
    gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_NONE);
    gtk_label_set_wrap (GTK_LABEL (widget), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD_CHAR);
  }
  if (GTK_IS_LIST_BOX (widget))
    in_group_header = FALSE;
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    in_group_header = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    let_group_titles_wrap (child, in_group_header);
}

void
hes_page_shown (HesPage *page)
{
  g_return_if_fail (HES_IS_PAGE (page));

  if (HES_PAGE_GET_CLASS (page)->shown != NULL)
    HES_PAGE_GET_CLASS (page)->shown (page);
  hes_accessible_name_controls (GTK_WIDGET (page));
  let_group_titles_wrap (GTK_WIDGET (page), FALSE);
}

void
hes_page_step_back (HesPage *page)
{
  g_return_if_fail (HES_IS_PAGE (page));

  if (HES_PAGE_GET_CLASS (page)->step_back != NULL)
    HES_PAGE_GET_CLASS (page)->step_back (page);
}

static GtkWidget *
find_message_area (GtkWidget *widget)
{
  if (HES_IS_MESSAGE_AREA (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_message_area (child);

    if (found != NULL)
      return found;
  }
  return NULL;
}

HesMessageArea *
hes_page_get_message_area (HesPage *page)
{
  GtkWidget *area;

  g_return_val_if_fail (HES_IS_PAGE (page), NULL);

  area = find_message_area (GTK_WIDGET (page));
  if (area == NULL)
    g_critical ("%s has no HesMessageArea in its template", G_OBJECT_TYPE_NAME (page));
  return area ? HES_MESSAGE_AREA (area) : NULL;
}

static void
show_message (HesPage        *page,
              HesMessageKind  kind,
              const char     *message)
{
  HesMessageArea *area = hes_page_get_message_area (page);

  if (area != NULL)
    hes_message_area_show (area, kind, message);
}

void
hes_page_show_error (HesPage    *page,
                     const char *message)
{
  g_return_if_fail (HES_IS_PAGE (page));

  show_message (page, HES_MESSAGE_ERROR, message);
}

void
hes_page_show_error_from_gerror (HesPage      *page,
                                 const GError *error)
{
  g_return_if_fail (HES_IS_PAGE (page));

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A session the server ended cannot go on here: the window takes the customer back to
   * the sign-in page, which says so, and then back to this page as it was. */
  if (g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SESSION_EXPIRED)
      && gtk_widget_activate_action (GTK_WIDGET (page), "win.session-ended", NULL))
    return;
  show_message (page, HES_MESSAGE_ERROR, error->message);
}

void
hes_page_show_status (HesPage    *page,
                      const char *message)
{
  g_return_if_fail (HES_IS_PAGE (page));

  show_message (page, HES_MESSAGE_STATUS, message);
}

void
hes_page_clear_message (HesPage *page)
{
  g_return_if_fail (HES_IS_PAGE (page));

  show_message (page, HES_MESSAGE_NONE, NULL);
}

#define FIELD_MESSAGE_KEY "hes-field-message"

static void
remove_field_message (GtkWidget *field)
{
  GtkWidget *holder = g_object_steal_data (G_OBJECT (field), FIELD_MESSAGE_KEY);
  GtkWidget *parent;

  if (holder == NULL)
    return;

  parent = gtk_widget_get_parent (holder);
  if (GTK_IS_LIST_BOX (parent))
    gtk_list_box_remove (GTK_LIST_BOX (parent), holder);
  else if (GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), holder);
  g_object_unref (holder);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The sentence right under the field: a row of its own in a list (a preferences group), or
 * the next child of a box. Elsewhere the field's description alone carries it. */
static void
add_field_message (GtkWidget  *field,
                   const char *message)
{
  GtkWidget *parent = gtk_widget_get_parent (field);
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", message,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "xalign", 0.0f,
                                   NULL);
  GtkWidget *holder = label;

  gtk_widget_add_css_class (label, "hes-field-message");
  gtk_widget_set_name (label, "field_message");
  gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message, -1);

  if (GTK_IS_LIST_BOX_ROW (field) && GTK_IS_LIST_BOX (parent)) {
    holder = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                           "child", label,
                           "activatable", FALSE,
                           "selectable", FALSE,
                           "focusable", FALSE,
                           NULL);
    gtk_widget_add_css_class (holder, "hes-field-message-row");
    gtk_list_box_insert (GTK_LIST_BOX (parent), holder,
                         gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (field)) + 1);
  } else if (GTK_IS_BOX (parent)) {
    gtk_box_insert_child_after (GTK_BOX (parent), label, field);
  } else {
    g_object_ref_sink (label);
    g_object_unref (label);
    return;
  }

  g_object_set_data (G_OBJECT (field), FIELD_MESSAGE_KEY, g_object_ref (holder));
  hes_scroll_into_view (holder);
}

void
hes_page_set_field_invalid (HesPage    *page,
                            GtkWidget  *field,
                            gboolean    invalid,
                            const char *message)
{
  g_return_if_fail (HES_IS_PAGE (page));
  g_return_if_fail (GTK_IS_WIDGET (field));

  if (invalid)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  remove_field_message (field);
  if (invalid && message != NULL && *message != '\0')
    add_field_message (field, message);
}

char *
hes_strip_mnemonic (const char *label)
{
  GString *words;

  if (label == NULL)
    return NULL;

  words = g_string_new (NULL);
  for (const char *p = label; *p != '\0'; p++) {
    /* "__" is a written underscore. */
    if (*p == '_' && p[1] == '_')
      p++;
    else if (*p == '_')
      continue;
    g_string_append_c (words, *p);
  }
  return g_string_free (words, FALSE);
}

char *
hes_page_dup_forward_words (HesPage *page)
{
  GtkWidget *assistant;

  g_return_val_if_fail (HES_IS_PAGE (page), NULL);

  assistant = gtk_widget_get_ancestor (GTK_WIDGET (page), HES_TYPE_ASSISTANT);
  if (assistant != NULL)
    return hes_assistant_dup_next_words (HES_ASSISTANT (assistant));
  return hes_strip_mnemonic (_("_Next"));
}
