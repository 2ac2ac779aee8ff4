/* hes-accessible.c: names screen readers read right. */
#define G_LOG_DOMAIN "hes-accessible"

#include "config.h"

#include "hes-accessible.h"
#include "hes-page.h"

#define NAMED_KEY "hes-accessible-named"

static void
name_button (GtkButton *button)
{
  g_autofree char *name = NULL;

  if (!gtk_button_get_use_underline (button) || gtk_button_get_label (button) == NULL)
    return;
  name = hes_strip_mnemonic (gtk_button_get_label (button));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

/* gtk_button_set_label() sets the name again, underscore included: name it after it. */
static void
on_label_changed_cb (GtkButton  *button,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  name_button (button);
}

void
hes_accessible_name_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root)) {
    name_button (GTK_BUTTON (root));
    if (g_object_get_data (G_OBJECT (root), NAMED_KEY) == NULL) {
      g_object_set_data (G_OBJECT (root), NAMED_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect (root, "notify::label", G_CALLBACK (on_label_changed_cb), NULL);
      g_signal_connect (root, "notify::use-underline", G_CALLBACK (on_label_changed_cb), NULL);
    }
  }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hes_accessible_name_controls (child);
}
