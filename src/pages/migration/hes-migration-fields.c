/* hes-migration-fields.c: field checks and wording shared by the migration pages. */
#define G_LOG_DOMAIN "hes-migration-fields"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-migration-fields.h"

void
_hes_migration_set_field_error (GtkWidget  *field,
                                GtkWidget  *error_row,
                                GtkWidget  *error_label,
                                const char *message)
{
  gboolean invalid = message != NULL;

  if (invalid) {
    gtk_label_set_text (GTK_LABEL (error_label), message);
    gtk_widget_add_css_class (field, "error");
  } else {
    gtk_widget_remove_css_class (field, "error");
  }
  gtk_widget_set_visible (error_row, invalid);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

gboolean
_hes_migration_is_address (const char *text)
{
  /* Deliberately loose: one @, something before it, a dotted domain without spaces after. */
  return text != NULL
         && g_regex_match_simple ("^[^@\\s]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$",
                                  text, 0, 0);
}

const char *
_hes_migration_check_account (const char *text)
{
  if (text == NULL || *text == '\0')
    return _("Type the account name you use at your old provider, usually your e-mail "
             "address.");
  if (strchr (text, ' ') != NULL)
    return _("An account name has no spaces: check what you typed.");
  if (strchr (text, '@') != NULL && !_hes_migration_is_address (text))
    return _("This is not a complete e-mail address: it should look like name@example.com.");
  return NULL;
}

const char *
_hes_migration_check_host (const char *text)
{
  if (text == NULL || *text == '\0')
    return _("Type the address of your old provider’s mail server, for example "
             "imap.example.com.");
  if (!g_regex_match_simple ("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", text, 0, 0))
    return _("A server address has only letters, digits, dots and dashes, for example "
             "imap.example.com.");
  return NULL;
}

const char *
_hes_migration_check_port (const char *text,
                           guint      *port)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return _("Type the port of the server, usually 993.");
  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return _("The port is a number between 1 and 65535, usually 993.");
  if (port != NULL)
    *port = (guint) value;
  return NULL;
}

char *
_hes_migration_check_interval (const char *text,
                               guint       minimum,
                               guint      *minutes)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0'
      || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL)
      || value < minimum)
    return g_strdup_printf (
      /* Translators: %u is the smallest interval in minutes, such as 20. */
      g_dngettext (GETTEXT_PACKAGE, "Type a number of minutes: %u or more.",
                   "Type a number of minutes: %u or more.", minimum), minimum);
  if (value > 43800)
    return g_strdup (_("Choose at most one month (43800 minutes)."));
  if (minutes != NULL)
    *minutes = (guint) value;
  return NULL;
}

char *
_hes_migration_describe_amount (guint64 messages,
                                gint64  size)
{
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, messages);
  g_autoptr(GString) text = g_string_new (g_dngettext (GETTEXT_PACKAGE,
                                                       /* Translators: %s is a number. */
                                                       "%s message", "%s messages",
                                                       (gulong) MIN (messages, G_MAXULONG)));

  g_string_replace (text, "%s", count, 1);
  if (size >= 0) {
    g_autofree char *formatted = g_format_size ((guint64) size);

    /* Translators: %1$s is a number of messages ("12 messages"), %2$s a size ("3.4 MB"). */
    return g_strdup_printf (_("%1$s, %2$s"), text->str, formatted);
  }
  return g_strdup (text->str);
}

HesMailcowClient *
_hes_migration_get_client (HesPage *page)
{
  HesSession *session = hes_page_get_session (page);

  return session != NULL ? hes_session_get_client (session) : NULL;
}

void
_hes_migration_activate_next (GtkWidget *widget)
{
  gtk_widget_activate_action (widget, "assistant.next", NULL);
}
