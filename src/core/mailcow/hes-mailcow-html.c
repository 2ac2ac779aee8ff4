/* hes-mailcow-html.c: the few facts the client reads from mailcow's HTML pages.
 *
 * The pages are templates of mailcow-dockerized (the *_index.twig templates, modals/footer.twig).
 * Only markup is matched, never the page's scripts, which mention the same class names.
 */
#define G_LOG_DOMAIN "hes-mailcow-html"

#include "config.h"

#include <string.h>

#include "hes-mailcow-parse.h"

static gboolean
html_matches (const char *pattern, const char *html)
{
  return g_regex_match_simple (pattern, html, G_REGEX_CASELESS, 0);
}

gboolean
hes_mailcow_html_has_login_form (const char *html)
{
  g_return_val_if_fail (html != NULL, FALSE);

  return html_matches ("name\\s*=\\s*[\"']?login_user\\b", html) &&
         html_matches ("name\\s*=\\s*[\"']?pass_user\\b", html);
}

gboolean
hes_mailcow_html_has_tfa_prompt (const char *html)
{
  g_return_val_if_fail (html != NULL, FALSE);

  return strstr (html, "ConfirmTFAModal") != NULL;
}

/* A modal that the page opens by script, or whose markup is there. */
static gboolean
html_has_modal (const char *html, const char *id)
{
  g_autofree char *script = g_strdup_printf ("getElementById\\(\\s*\\\\?[\"']%s\\\\?[\"']", id);
  g_autofree char *markup = g_strdup_printf ("\\bid\\s*=\\s*[\"']%s[\"']", id);

  return html_matches (script, html) || html_matches (markup, html);
}

/* With both pending, mailcow shows the 2FA setup first and the password modal only after. */
HesPendingAction
hes_mailcow_html_pending_action (const char *html)
{
  g_return_val_if_fail (html != NULL, HES_PENDING_NONE);

  if (html_has_modal (html, "SetupTFAModal"))
    return HES_PENDING_TFA_SETUP;
  if (html_has_modal (html, "ChangePWModal"))
    return HES_PENDING_PASSWORD_CHANGE;
  return HES_PENDING_NONE;
}

char *
hes_mailcow_html_csrf_token (const char *html)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_return_val_if_fail (html != NULL, NULL);

  regex = g_regex_new ("\\bvar\\s+csrf_token\\s*=\\s*['\"]([0-9A-Za-z]+)['\"]", 0, 0, NULL);
  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static gboolean
append_entity (GString *out, const char *entity, gsize length)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", "\xc2\xa0" },
  };

  if (length > 1 && entity[0] == '#') {
    g_autofree char *digits = g_strndup (entity + 1, length - 1);
    gboolean hex = digits[0] == 'x' || digits[0] == 'X';
    guint64 value = 0;

    if (!g_ascii_string_to_unsigned (digits + (hex ? 1 : 0), hex ? 16 : 10, 1, 0x10FFFF,
                                     &value, NULL))
      return FALSE;
    g_string_append_unichar (out, (gunichar) value);
    return TRUE;
  }

  for (gsize i = 0; i < G_N_ELEMENTS (named); i++) {
    if (strlen (named[i].name) == length && strncmp (named[i].name, entity, length) == 0) {
      g_string_append (out, named[i].text);
      return TRUE;
    }
  }

  return FALSE;
}

char *
hes_mailcow_html_unescape (const char *text, gssize length)
{
  g_autoptr(GString) out = NULL;
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  end = text + (length < 0 ? strlen (text) : (gsize) length);
  out = g_string_sized_new (end - text);

  for (const char *p = text; p < end; p++) {
    const char *semicolon;

    if (*p == '&' && (semicolon = memchr (p, ';', MIN (end - p, 12))) != NULL &&
        append_entity (out, p + 1, semicolon - p - 1)) {
      p = semicolon;
      continue;
    }
    g_string_append_c (out, *p);
  }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
fetch_stripped (GRegex *regex, const char *html)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;

  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);
  text = hes_mailcow_html_unescape (raw, -1);
  return g_strdup (g_strstrip (text));
}

static HesSecondFactor *
parse_factor (const char *kind, const char *inner, GRegex *span, GRegex *input)
{
  g_autoptr(HesSecondFactor) factor = g_new0 (HesSecondFactor, 1);

  factor->method = g_ascii_strcasecmp (kind, "webauthn") == 0
                   ? HES_SECOND_FACTOR_WEBAUTHN : HES_SECOND_FACTOR_TOTP;
  factor->name = fetch_stripped (span, inner);
  factor->id = fetch_stripped (input, inner);

  /* Without its row id the server cannot verify a code for this factor. */
  if (factor->id == NULL || *factor->id == '\0')
    return NULL;
  return g_steal_pointer (&factor);
}

GPtrArray *
hes_mailcow_html_parse_factors (const char *html)
{
  g_autoptr(GPtrArray) factors = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_second_factor_free);
  g_autoptr(GRegex) item = NULL;
  g_autoptr(GRegex) span = NULL;
  g_autoptr(GRegex) input = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_return_val_if_fail (html != NULL, g_steal_pointer (&factors));

  item = g_regex_new ("<a\\s[^>]*class\\s*=\\s*\"[^\"]*\\b(totp|webauthn)-authenticator-selection\\b"
                      "[^\"]*\"[^>]*>(.*?)</a\\s*>",
                      G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  span = g_regex_new ("<span[^>]*>(.*?)</span\\s*>", G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  input = g_regex_new ("<input\\s[^>]*\\bvalue\\s*=\\s*\"([^\"]*)\"", G_REGEX_CASELESS, 0, NULL);

  g_regex_match (item, html, 0, &match);
  while (g_match_info_matches (match)) {
    g_autofree char *kind = g_match_info_fetch (match, 1);
    g_autofree char *inner = g_match_info_fetch (match, 2);
    HesSecondFactor *factor = parse_factor (kind, inner, span, input);

    if (factor != NULL)
      g_ptr_array_add (factors, factor);
    g_match_info_next (match, NULL);
  }

  /* Yubico OTP has no per-key choice: the OTP itself names the key. */
  if (html_matches ("\\bid\\s*=\\s*[\"']pending_tfa_tab_yubi_otp[\"']", html)) {
    HesSecondFactor *factor = g_new0 (HesSecondFactor, 1);

    factor->method = HES_SECOND_FACTOR_YUBI_OTP;
    g_ptr_array_add (factors, factor);
  }

  return g_steal_pointer (&factors);
}
