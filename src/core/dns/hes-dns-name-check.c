/* hes-dns-name-check.c: names the DNS can hold, checked before use */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "hes-dns-name-check.h"

#define MAX_NAME 253
#define MAX_LABEL 63

gboolean
hes_dns_name_is_zone_safe (const char *name,
                           gboolean    allow_underscore)
{
  gsize label = 0;

  if (name == NULL || *name == '\0' || strlen (name) > MAX_NAME)
    return FALSE;
  for (const char *p = name;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (label == 0 || label > MAX_LABEL || p[-1] == '-')
            return FALSE;
          if (*p == '\0')
            return TRUE;
          label = 0;
          continue;
        }
      if (g_ascii_isalnum (*p) || (*p == '-' && label > 0) ||
          (*p == '_' && label == 0 && allow_underscore))
        {
          label++;
          continue;
        }
      return FALSE;
    }
}

/* Text a sentence may quote: printable ASCII or UTF-8 letters, no quotes or separators. */
static gboolean
quotable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > 80)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isgraph (c) || strchr ("\"'`;\\<>$", (int) c) != NULL)
        return FALSE;
    }
  return TRUE;
}

static void
set_error (GError        **error,
           const char     *text,
           HesDnsNameUse   use)
{
  const char *shown = *text == '\0' || quotable (text) ? text : NULL;

  switch (use)
    {
    case HES_DNS_NAME_USE_DOMAIN:
      if (shown)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     /* Translators: %s is what was given as the domain */
                     _("“%s” is not a valid domain name; type it like example.com."), shown);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The domain name holds characters a domain name cannot have; type it like example.com."));
      break;
    case HES_DNS_NAME_USE_MAIL_HOST:
      if (shown)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     /* Translators: %s is the mail server name that was given */
                     _("“%s” is not a valid mail server name; type it like mail.example.com."), shown);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The mail server name holds characters a host name cannot have; type it like mail.example.com."));
      break;
    case HES_DNS_NAME_USE_SELECTOR:
      if (shown)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     /* Translators: %s is a DKIM selector such as "dkim" */
                     _("“%s” is not a valid DKIM selector; use letters, digits and hyphens."), shown);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The DKIM selector holds characters a selector cannot have; use letters, digits and hyphens."));
      break;
    case HES_DNS_NAME_USE_OWNER:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A record name would be longer than the DNS allows (253 characters); use a shorter domain or selector."));
      break;
    }
}

static gboolean
all_digits (const char *label)
{
  for (const char *p = label; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
hes_dns_name_check (const char     *text,
                    HesDnsNameUse   use,
                    GError        **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *ascii = NULL;
  const char *last;
  gsize len;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      set_error (error, text ? text : "", use);
      return NULL;
    }
  if (use == HES_DNS_NAME_USE_MAIL_HOST || use == HES_DNS_NAME_USE_DOMAIN)
    {
      if (strstr (text, "://") != NULL || strchr (text, '/') != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               use == HES_DNS_NAME_USE_MAIL_HOST
                               ? _("Give the mail server’s host name (like mail.example.com), not a web address.")
                               : _("Give the domain name (like example.com), not a web address."));
          return NULL;
        }
      if (g_hostname_is_ip_address (text))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               use == HES_DNS_NAME_USE_MAIL_HOST
                               ? _("Give the mail server’s host name (like mail.example.com), not an IP address: DNS records point to names.")
                               : _("Give the domain name (like example.com), not an IP address."));
          return NULL;
        }
    }
  /* Before IDNA: GLib passes ASCII through, so look at what a name can never hold. */
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x80 && !g_ascii_isalnum (*p) && strchr ("-._", *p) == NULL)
      {
        set_error (error, text, use);
        return NULL;
      }
  trimmed = g_strdup (text);
  len = strlen (trimmed);
  if (len > 1 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';
  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL)
    {
      set_error (error, text, use);
      return NULL;
    }
  {
    char *lower = g_ascii_strdown (ascii, -1);

    g_free (ascii);
    ascii = lower;
  }
  if (!hes_dns_name_is_zone_safe (ascii, use == HES_DNS_NAME_USE_OWNER))
    {
      set_error (error, text, use);
      return NULL;
    }
  last = strrchr (ascii, '.');
  if (use == HES_DNS_NAME_USE_DOMAIN || use == HES_DNS_NAME_USE_MAIL_HOST)
    {
      /* A domain and a mail host have a top-level domain, which is never all digits. */
      if (last == NULL || all_digits (last + 1))
        {
          set_error (error, text, use);
          return NULL;
        }
    }
  return g_steal_pointer (&ascii);
}
