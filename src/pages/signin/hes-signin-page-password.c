/* hes-signin-page-password.c: the sign-in page's new-password step: the server's policy, and
 * each broken rule shown as the customer types. */
#define G_LOG_DOMAIN "hes-signin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-signin-page-private.h"

/* Lists each rule the new password breaks, as the customer types. */
gboolean
_hes_signin_page_check_new_password (HesSigninPage *self)
{
  const char *password = _hes_signin_field_text (self->new_password_row);
  const char *confirm = _hes_signin_field_text (self->confirm_row);
  g_autoptr(GPtrArray) broken = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean mismatch = confirm[0] != '\0' && g_strcmp0 (password, confirm) != 0;

  if (self->policy != NULL)
    broken = hes_password_policy_check (self->policy, password);
  else
    broken = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; password[0] != '\0' && i < broken->len; i++)
    g_string_append_printf (text, "%s• %s", text->len ? "\n" : "",
                            (const char *) g_ptr_array_index (broken, i));
  if (mismatch)
    g_string_append_printf (text, "%s• %s", text->len ? "\n" : "",
                            _("The two passwords are not the same."));

  gtk_label_set_text (GTK_LABEL (self->rules_label), text->str);
  gtk_widget_set_visible (self->rules_label, text->len > 0);
  _hes_signin_page_set_field_invalid (self->new_password_row,
                                      password[0] != '\0' && broken->len > 0);
  _hes_signin_page_set_field_invalid (self->confirm_row, mismatch);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_password_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);

  return password[0] != '\0' && broken->len == 0 && g_strcmp0 (password, confirm) == 0;
}

static void
on_policy_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HesSigninPage) self = user_data;
  g_autoptr(HesPasswordPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  policy = hes_mailcow_client_get_password_policy_finish (HES_MAILCOW_CLIENT (object), result,
                                                          &error);
  if (policy == NULL) {
    /* The server still checks the password when it is sent; say nothing more here. */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_debug ("No password policy: %s", error->message);
    return;
  }

  g_clear_pointer (&self->policy, hes_password_policy_free);
  self->policy = g_steal_pointer (&policy);
  description = hes_password_policy_describe (self->policy);
  gtk_label_set_text (GTK_LABEL (self->policy_label), description);
  _hes_signin_page_update_complete (self);
}

void
_hes_signin_page_fetch_policy (HesSigninPage *self)
{
  gtk_label_set_text (GTK_LABEL (self->policy_label), "");
  g_clear_pointer (&self->policy, hes_password_policy_free);

  g_cancellable_cancel (self->policy_cancellable);
  g_clear_object (&self->policy_cancellable);
  self->policy_cancellable = g_cancellable_new ();
  hes_mailcow_client_get_password_policy_async (self->client, self->policy_cancellable,
                                                on_policy_ready_cb, g_object_ref (self));
}
