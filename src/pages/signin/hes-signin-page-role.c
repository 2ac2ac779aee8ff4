/* hes-signin-page-role.c: the sign-in page's role row: mailbox user or domain administrator,
 * each explained in one line. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-signin-page-private.h"

/* The rows of role_row follow HesMailcowRole. */
HesMailcowRole
_hes_signin_page_get_role (HesSigninPage *self)
{
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->role_row)) == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    return HES_MAILCOW_ROLE_DOMAIN_ADMIN;
  return HES_MAILCOW_ROLE_MAILBOX_USER;
}

static const char *
role_explanation (HesMailcowRole role)
{
  if (role == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    return _("You manage your domain’s addresses, its DNS and moving its mail.");
  return _("You read and send mail with one address.");
}

static void
on_role_changed_cb (HesSigninPage *self)
{
  gtk_label_set_text (GTK_LABEL (self->role_hint),
                      role_explanation (_hes_signin_page_get_role (self)));
  _hes_signin_page_update_key_button (self);
}

/* The role list shows each role with its one-line explanation. */
static void
on_role_item_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *explanation = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (explanation), 0);
  gtk_label_set_wrap (GTK_LABEL (explanation), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (explanation), 40);
  gtk_widget_add_css_class (explanation, "dim-label");
  gtk_widget_add_css_class (explanation, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), explanation);
  gtk_list_item_set_child (item, box);
}

static void
on_role_item_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (title), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)),
                      role_explanation (gtk_list_item_get_position (item)));
}

/* The chosen role on the row itself: the whole name, never cut ("Administrateur de do…"). */
static void
on_role_value_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
on_role_value_bind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

void
_hes_signin_page_setup_role_row (HesSigninPage *self)
{
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (list_factory, "setup", G_CALLBACK (on_role_item_setup_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (on_role_item_bind_cb), NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (on_role_value_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_role_value_bind_cb), NULL);
  adw_combo_row_set_factory (ADW_COMBO_ROW (self->role_row), factory);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (self->role_row), list_factory);
  g_signal_connect_object (self->role_row, "notify::selected", G_CALLBACK (on_role_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_role_changed_cb (self);
}
