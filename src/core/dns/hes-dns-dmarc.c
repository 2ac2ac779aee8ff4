/* hes-dns-dmarc.c: DMARC record checks */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "hes-dns-dmarc.h"

void
hes_dns_dmarc_record_free (HesDnsDmarcRecord *record)
{
  if (record == NULL)
    return;
  g_hash_table_unref (record->tags);
  g_free (record->policy);
  g_free (record);
}

gboolean
hes_dns_dmarc_is_dmarc (const char *text)
{
  const char *p = text;

  while (p && g_ascii_isspace (*p))
    p++;
  if (p == NULL || strncmp (p, "v", 1) != 0)
    return FALSE;
  p++;
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '=')
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  return strncmp (p, "DMARC1", 6) == 0 && (p[6] == '\0' || p[6] == ';' || g_ascii_isspace (p[6]));
}

static gboolean
valid_uri_list (const char *value)
{
  g_auto(GStrv) uris = g_strsplit (value, ",", -1);

  for (guint i = 0; uris[i]; i++)
    {
      const char *uri = g_strstrip (uris[i]);
      const char *at;

      if (g_ascii_strncasecmp (uri, "mailto:", 7) != 0)
        return FALSE;
      at = strchr (uri + 7, '@');
      if (at == NULL || at == uri + 7 || at[1] == '\0')
        return FALSE;
    }
  return TRUE;
}

static gboolean
valid_tag (const char *tag,
           const char *value)
{
  if (g_str_equal (tag, "p") || g_str_equal (tag, "sp"))
    return g_str_equal (value, "none") || g_str_equal (value, "quarantine") ||
           g_str_equal (value, "reject");
  if (g_str_equal (tag, "adkim") || g_str_equal (tag, "aspf"))
    return g_str_equal (value, "r") || g_str_equal (value, "s");
  if (g_str_equal (tag, "pct"))
    {
      guint64 pct;

      return g_ascii_string_to_unsigned (value, 10, 0, 100, &pct, NULL);
    }
  if (g_str_equal (tag, "rua") || g_str_equal (tag, "ruf"))
    return valid_uri_list (value);
  if (g_str_equal (tag, "ri"))
    return g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, NULL, NULL);
  /* fo, rf and unknown tags: RFC 7489 §6.3 says to ignore unknown tags. */
  return TRUE;
}

HesDnsDmarcRecord *
hes_dns_dmarc_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(HesDnsDmarcRecord) record = g_new0 (HesDnsDmarcRecord, 1);
  g_auto(GStrv) parts = NULL;

  record->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (text == NULL || !g_utf8_validate (text, -1, NULL) || !hes_dns_dmarc_is_dmarc (text))
    goto bad;
  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      char *eq;
      g_autofree char *tag = NULL;
      g_autofree char *value = NULL;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        {
          if (parts[i + 1] == NULL && i > 0)
            continue;
          goto bad;
        }
      eq = strchr (parts[i], '=');
      if (eq == NULL)
        goto bad;
      *eq = '\0';
      tag = g_strstrip (g_strdup (parts[i]));
      value = g_strstrip (g_strdup (eq + 1));
      if (*tag == '\0' || g_hash_table_contains (record->tags, tag) || !valid_tag (tag, value))
        goto bad;
      /* §6.3: p= must come right after v=. */
      if (i == 1 && !g_str_equal (tag, "p"))
        goto bad;
      g_hash_table_insert (record->tags, g_steal_pointer (&tag), g_steal_pointer (&value));
    }
  record->policy = g_strdup (g_hash_table_lookup (record->tags, "p"));
  if (record->policy == NULL)
    goto bad;
  return g_steal_pointer (&record);

bad:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The DMARC record is not written correctly."));
  return NULL;
}

/* A policy with "v=DMARC1" somewhere but not first ("p=reject; v=DMARC1"): receivers discard
 * it (RFC 7489 §6.6.3), but the customer meant one, so it is wrong rather than missing. */
static gboolean
is_misordered_dmarc (const char *text)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL || hes_dns_dmarc_is_dmarc (text))
    return FALSE;
  parts = g_strsplit (text, ";", -1);
  /* An empty text splits into no part at all. */
  if (parts[0] == NULL)
    return FALSE;
  for (guint i = 1; parts[i]; i++)
    if (hes_dns_dmarc_is_dmarc (parts[i]))
      return TRUE;
  return FALSE;
}

HesDnsFinding *
hes_dns_dmarc_check (const char * const *texts,
                     const char         *suggested)
{
  g_autoptr(HesDnsFinding) finding = NULL;
  g_autoptr(HesDnsDmarcRecord) record = NULL;
  const char *policy_text = NULL;
  guint n = 0, n_misordered = 0;

  for (guint i = 0; texts && texts[i]; i++)
    if (hes_dns_dmarc_is_dmarc (texts[i]))
      {
        policy_text = texts[i];
        n++;
      }
    else if (is_misordered_dmarc (texts[i]))
      n_misordered++;
  if (n == 0 && n_misordered > 0)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The DMARC policy does not start with v=DMARC1, so receivers ignore it: replace it with the record shown."),
                                   suggested);
  else if (n == 0)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_MISSING,
                                   _("There is no DMARC policy yet; it is optional but recommended."),
                                   suggested);
  else if (n > 1)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("There are several DMARC policies, so receivers apply none of them: keep only one."),
                                   suggested);
  else if ((record = hes_dns_dmarc_parse (policy_text, NULL)) == NULL)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The DMARC policy is not written correctly: replace it with the record shown."),
                                   suggested);
  else if (g_str_equal (record->policy, "none"))
    {
      finding = hes_dns_finding_new (HES_DNS_VERDICT_OK,
                                     _("The DMARC policy only observes (p=none): it does not protect your domain yet; p=quarantine is safer."),
                                     NULL);
      finding->weak = TRUE;
    }
  else
    finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
  for (guint i = 0; texts && texts[i]; i++)
    if (hes_dns_dmarc_is_dmarc (texts[i]) || is_misordered_dmarc (texts[i]))
      hes_dns_finding_add_found (finding, texts[i]);
  return g_steal_pointer (&finding);
}
