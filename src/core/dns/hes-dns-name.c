/* hes-dns-name.c: DNS name normalisation */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "hes-dns-name.h"

char *
hes_dns_name_normalise (const char *name)
{
  g_autofree char *ascii = NULL;
  gsize len;

  if (name == NULL)
    return NULL;
  if (name[0] == '\0' || g_str_equal (name, "."))
    return g_strdup ("");
  ascii = g_hostname_to_ascii (name);
  if (ascii == NULL)
    return NULL;
  len = strlen (ascii);
  while (len > 0 && ascii[len - 1] == '.')
    ascii[--len] = '\0';
  if (len == 0 || len > 253 || strstr (ascii, "..") != NULL || ascii[0] == '.')
    return NULL;
  return g_ascii_strdown (ascii, -1);
}

gboolean
hes_dns_name_equal (const char *a,
                    const char *b)
{
  g_autofree char *na = hes_dns_name_normalise (a);
  g_autofree char *nb = hes_dns_name_normalise (b);

  return na != NULL && nb != NULL && g_str_equal (na, nb);
}

gboolean
hes_dns_name_is_below (const char *name,
                       const char *zone)
{
  gsize ln = strlen (name), lz = strlen (zone);

  if (lz == 0)
    return TRUE;
  if (ln == lz)
    return g_ascii_strcasecmp (name, zone) == 0;
  return ln > lz && name[ln - lz - 1] == '.' && g_ascii_strcasecmp (name + ln - lz, zone) == 0;
}

gboolean
hes_dns_name_is_appended (const char *found,
                          const char *expected,
                          const char *domain)
{
  g_autofree char *f = hes_dns_name_normalise (found);
  g_autofree char *e = hes_dns_name_normalise (expected);
  g_autofree char *d = hes_dns_name_normalise (domain);
  g_autofree char *glued = NULL;

  if (f == NULL || e == NULL || d == NULL || *e == '\0' || *d == '\0')
    return FALSE;
  glued = g_strconcat (e, ".", d, NULL);
  return g_str_equal (f, glued);
}

const char *
hes_dns_name_parent (const char *name)
{
  const char *dot;

  if (name == NULL || *name == '\0')
    return NULL;
  dot = strchr (name, '.');
  return dot ? dot + 1 : "";
}

gboolean
hes_dns_name_is_ip_literal (const char *text)
{
  g_autoptr(GInetAddress) address = NULL;

  if (text == NULL)
    return FALSE;
  address = g_inet_address_new_from_string (text);
  return address != NULL;
}
