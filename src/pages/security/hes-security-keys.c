/* hes-security-keys.c: scraping the key lists and the alerts of mailcow's role pages. */
#define G_LOG_DOMAIN "hes-security-keys"

#include "config.h"

#include <string.h>

#include "hes-mailcow-parse.h"
#include "hes-security-keys.h"

void
hes_security_key_free (HesSecurityKey *key)
{
  if (key == NULL)
    return;
  g_free (key->id);
  g_free (key->name);
  g_free (key);
}

void
hes_mailcow_alert_free (HesMailcowAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->type);
  g_free (alert->text);
  g_free (alert);
}

static void
add_key (GPtrArray          *keys,
         HesSecurityKeyKind  kind,
         const char         *id,
         const char         *name_html)
{
  HesSecurityKey *key = g_new0 (HesSecurityKey, 1);
  g_autofree char *name = hes_mailcow_html_unescape (name_html, -1);

  key->kind = kind;
  key->id = g_strdup (id);
  key->name = g_strdup (g_strstrip (name));
  g_ptr_array_add (keys, key);
}

/* The part of @html from the element with id @id to the next @end. */
static char *
dup_section (const char *html,
             const char *id,
             const char *end)
{
  g_autofree char *marker = g_strdup_printf ("id=\"%s\"", id);
  const char *start = strstr (html, marker);
  const char *stop;

  if (start == NULL)
    return NULL;
  stop = end != NULL ? strstr (start, end) : NULL;
  return stop ? g_strndup (start, stop - start) : g_strdup (start);
}

/* fido2.twig: one table row per key, its name in the first cell, its cid in the form. */
static void
parse_fido2 (GPtrArray  *keys,
             const char *html)
{
  g_autofree char *table = dup_section (html, "fido2_keys", "</table>");
  g_autoptr(GRegex) row = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  if (table == NULL)
    return;
  row = g_regex_new ("<tr>\\s*<td>([^<]*)</td>.*?name=\"unset_fido2_key\"\\s+value=\"([0-9a-fA-F]+)\"",
                     G_REGEX_DOTALL, 0, NULL);
  g_regex_match (row, table, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL)) {
    g_autofree char *name = g_match_info_fetch (match, 1);
    g_autofree char *cid = g_match_info_fetch (match, 2);

    add_key (keys, HES_SECURITY_KEY_PASSWORDLESS, cid, name);
  }
}

/* tfa_keys.twig: one small form per key: its row id, then its name before the remove link. */
static void
parse_tfa (GPtrArray  *keys,
           const char *html)
{
  g_autofree char *list = dup_section (html, "tfa_keys", NULL);
  g_autoptr(GRegex) item = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  if (list == NULL)
    return;
  item = g_regex_new ("name=\"unset_tfa_key\"\\s+value=\"([0-9]+)\"\\s*>\\s*<div[^>]*>([^<]*)<a",
                      G_REGEX_DOTALL, 0, NULL);
  g_regex_match (item, list, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL)) {
    g_autofree char *id = g_match_info_fetch (match, 1);
    g_autofree char *name = g_match_info_fetch (match, 2);

    add_key (keys, HES_SECURITY_KEY_SECOND_FACTOR, id, name);
  }
}

GPtrArray *
hes_security_keys_parse (const char *html)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_security_key_free);

  g_return_val_if_fail (html != NULL, keys);

  parse_fido2 (keys, html);
  parse_tfa (keys, html);
  return keys;
}

/* The alert texts are JavaScript string literals with \uXXXX escapes (and <br> between
 * several messages of one type). */
static char *
js_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++) {
    if (p[0] == '\\' && p[1] == 'u' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])
        && g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5])) {
      gunichar c = g_ascii_strtoull ((char[]) { p[2], p[3], p[4], p[5], 0 }, NULL, 16);

      /* Surrogate pairs stand for characters outside the BMP: not in these alerts. */
      g_string_append_unichar (out, g_unichar_validate (c) ? c : 0xfffd);
      p += 5;
    } else if (p[0] == '\\' && p[1] != '\0') {
      g_string_append_c (out, *++p);
    } else {
      g_string_append_c (out, *p);
    }
  }
  return g_string_free (out, FALSE);
}

GPtrArray *
hes_mailcow_alerts_parse (const char *html)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_alert_free);
  g_autoptr(GRegex) call = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_return_val_if_fail (html != NULL, alerts);

  call = g_regex_new ("mailcow_alert_box\\('((?:[^'\\\\]|\\\\.)*)',\\s*'([a-z]+)'\\)", 0, 0, NULL);
  g_regex_match (call, html, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL)) {
    HesMailcowAlert *alert = g_new0 (HesMailcowAlert, 1);
    g_autofree char *text = g_match_info_fetch (match, 1);

    alert->text = js_unescape (text);
    alert->type = g_match_info_fetch (match, 2);
    g_ptr_array_add (alerts, alert);
  }
  return alerts;
}

const HesMailcowAlert *
hes_mailcow_alerts_find (GPtrArray  *alerts,
                         const char *type,
                         const char *needle)
{
  for (guint i = 0; i < alerts->len; i++) {
    const HesMailcowAlert *alert = g_ptr_array_index (alerts, i);

    if (g_strcmp0 (alert->type, type) == 0 && strstr (alert->text, needle) != NULL)
      return alert;
  }
  return NULL;
}
