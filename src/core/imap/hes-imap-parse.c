/* hes-imap-parse.c: a small IMAP tokenizer and the readers built on it. */
#define G_LOG_DOMAIN "hes-imap-parse"

#include "config.h"

#include <string.h>

#include "hes-imap-parse.h"

static void
token_free (gpointer data)
{
  HesImapToken *token = data;

  g_free (token->value);
  g_free (token);
}

static void
push_token (GPtrArray        *tokens,
            HesImapTokenKind  kind,
            char             *value)
{
  HesImapToken *token = g_new0 (HesImapToken, 1);

  token->kind = kind;
  token->value = value;
  g_ptr_array_add (tokens, token);
}

/* Reads a quoted string starting at data[*pos] == '"'. */
static char *
read_quoted (const char *data,
             gsize       length,
             gsize      *pos)
{
  g_autoptr(GString) value = g_string_new (NULL);
  gsize i = *pos + 1;

  for (; i < length && data[i] != '"'; i++)
    {
      if (data[i] == '\\' && i + 1 < length)
        i++;
      g_string_append_c (value, data[i]);
    }
  if (i >= length)
    return NULL;
  *pos = i + 1;
  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* Reads a literal "{n}\r\n" followed by n bytes, starting at data[*pos] == '{'. */
static char *
read_literal (const char *data,
              gsize       length,
              gsize      *pos)
{
  gsize i = *pos + 1;
  guint64 size = 0;

  if (i >= length || !g_ascii_isdigit (data[i]))
    return NULL;
  for (; i < length && g_ascii_isdigit (data[i]); i++)
    {
      size = size * 10 + (guint64) (data[i] - '0');
      if (size > length)
        return NULL;
    }
  if (i < length && data[i] == '+')
    i++;
  if (i + 3 > length || data[i] != '}' || data[i + 1] != '\r' || data[i + 2] != '\n')
    return NULL;
  i += 3;
  if (size > length - i)
    return NULL;
  *pos = i + size;
  return g_strndup (data + i, size);
}

static gboolean
is_atom_end (char c)
{
  return c == ' ' || c == '(' || c == ')' || c == '"' || c == '\r' || c == '\n';
}

GPtrArray *
hes_imap_tokenize (const char *data,
                   gsize       length)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (token_free);
  gsize i = 0;

  while (i < length)
    {
      char c = data[i];
      char *value;
      gsize start;

      if (c == ' ')
        {
          i++;
          continue;
        }
      if (c == '(' || c == ')')
        {
          push_token (tokens, c == '(' ? HES_IMAP_TOKEN_OPEN : HES_IMAP_TOKEN_CLOSE, NULL);
          i++;
          continue;
        }
      if (c == '"' || c == '{')
        {
          value = c == '"' ? read_quoted (data, length, &i) : read_literal (data, length, &i);
          if (value == NULL)
            return NULL;
          push_token (tokens, HES_IMAP_TOKEN_STRING, value);
          continue;
        }
      if (c == '\r' || c == '\n' || c == '\0')
        return NULL;
      for (start = i; i < length && !is_atom_end (data[i]); i++)
        ;
      value = g_strndup (data + start, i - start);
      if (g_ascii_strcasecmp (value, "NIL") == 0)
        {
          g_free (value);
          push_token (tokens, HES_IMAP_TOKEN_NIL, NULL);
        }
      else
        push_token (tokens, HES_IMAP_TOKEN_ATOM, value);
    }
  return g_steal_pointer (&tokens);
}

static HesImapToken *
token_at (GPtrArray *tokens,
          guint      index)
{
  return index < tokens->len ? g_ptr_array_index (tokens, index) : NULL;
}

static gboolean
token_is_word (HesImapToken *token,
               const char   *word)
{
  return token != NULL && token->kind == HES_IMAP_TOKEN_ATOM &&
         g_ascii_strcasecmp (token->value, word) == 0;
}

static gboolean
token_is_name (HesImapToken *token)
{
  return token != NULL &&
         (token->kind == HES_IMAP_TOKEN_ATOM || token->kind == HES_IMAP_TOKEN_STRING);
}

/* Checks "* WORD" at the start of an untagged response. */
static GPtrArray *
tokenize_untagged (const char *data,
                   gsize       length,
                   const char *word)
{
  g_autoptr(GPtrArray) tokens = hes_imap_tokenize (data, length);

  if (tokens == NULL || !token_is_word (token_at (tokens, 0), "*") ||
      !token_is_word (token_at (tokens, 1), word))
    return NULL;
  return g_steal_pointer (&tokens);
}

gboolean
hes_imap_parse_list (const char  *data,
                     gsize        length,
                     char       **raw_name,
                     gboolean    *selectable)
{
  g_autoptr(GPtrArray) tokens = tokenize_untagged (data, length, "LIST");
  HesImapToken *token, *name;
  gboolean can_select = TRUE;
  guint i;

  if (tokens == NULL || (token = token_at (tokens, 2)) == NULL ||
      token->kind != HES_IMAP_TOKEN_OPEN)
    return FALSE;
  for (i = 3; (token = token_at (tokens, i)) != NULL && token->kind == HES_IMAP_TOKEN_ATOM; i++)
    {
      if (token_is_word (token, "\\Noselect") || token_is_word (token, "\\NonExistent"))
        can_select = FALSE;
    }
  if (token == NULL || token->kind != HES_IMAP_TOKEN_CLOSE)
    return FALSE;
  /* The hierarchy delimiter: a one-character string or NIL. */
  token = token_at (tokens, i + 1);
  if (token == NULL || (token->kind != HES_IMAP_TOKEN_STRING && token->kind != HES_IMAP_TOKEN_NIL))
    return FALSE;
  name = token_at (tokens, i + 2);
  if (!token_is_name (name))
    return FALSE;
  *raw_name = g_strdup (name->value);
  *selectable = can_select;
  return TRUE;
}

static gboolean
parse_number (const char *text,
              gint64     *value)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &number, NULL))
    return FALSE;
  *value = (gint64) number;
  return TRUE;
}

gboolean
hes_imap_parse_status (const char  *data,
                       gsize        length,
                       char       **raw_name,
                       gint64      *messages,
                       gint64      *size)
{
  g_autoptr(GPtrArray) tokens = tokenize_untagged (data, length, "STATUS");
  HesImapToken *name, *token;
  gint64 found_messages = -1, found_size = -1;
  guint i;

  if (tokens == NULL || !token_is_name (name = token_at (tokens, 2)) ||
      (token = token_at (tokens, 3)) == NULL || token->kind != HES_IMAP_TOKEN_OPEN)
    return FALSE;
  for (i = 4; token_is_name (token_at (tokens, i)); i += 2)
    {
      HesImapToken *key = token_at (tokens, i);
      HesImapToken *value = token_at (tokens, i + 1);
      gint64 number;

      if (value == NULL || value->kind != HES_IMAP_TOKEN_ATOM ||
          !parse_number (value->value, &number))
        return FALSE;
      if (token_is_word (key, "MESSAGES"))
        found_messages = number;
      else if (token_is_word (key, "SIZE"))
        found_size = number;
    }
  if ((token = token_at (tokens, i)) == NULL || token->kind != HES_IMAP_TOKEN_CLOSE)
    return FALSE;
  *raw_name = g_strdup (name->value);
  *messages = found_messages;
  *size = found_size;
  return TRUE;
}

GStrv
hes_imap_parse_capabilities (const char *text)
{
  g_autofree char *list = NULL;
  const char *start;
  g_auto(GStrv) words = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (g_ascii_strncasecmp (text, "* CAPABILITY ", 13) == 0)
    list = g_strdup (text + 13);
  else if ((start = strstr (text, "[CAPABILITY ")) != NULL)
    {
      const char *end = strchr (start, ']');

      if (end == NULL)
        return NULL;
      list = g_strndup (start + 12, end - start - 12);
    }
  else
    return NULL;

  words = g_strsplit (list, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        {
          g_autofree char *upper = g_ascii_strup (words[i], -1);

          g_strv_builder_add (builder, upper);
        }
    }
  return g_strv_builder_end (builder);
}

char *
hes_imap_response_code (const char *text)
{
  gsize length;

  while (*text == ' ')
    text++;
  if (*text != '[')
    return NULL;
  text++;
  length = strcspn (text, " ]");
  if (length == 0 || text[length] == '\0')
    return NULL;
  return g_ascii_strup (text, length);
}

char *
hes_imap_quote (const char *text)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* Decodes one "&...-" run of modified base64 (',' for '/', no padding) holding UTF-16BE. */
static gboolean
append_mutf7_run (GString    *out,
                  const char *run,
                  gsize       length)
{
  g_autoptr(GString) b64 = g_string_new_len (run, length);
  g_autofree guchar *bytes = NULL;
  g_autofree gunichar2 *units = NULL;
  g_autofree char *utf8 = NULL;
  gsize n_bytes;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (run[i]) && run[i] != '+' && run[i] != ',')
        return FALSE;
    }
  g_strdelimit (b64->str, ",", '/');
  if (length % 4 == 1)
    return FALSE;
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  bytes = g_base64_decode (b64->str, &n_bytes);
  if (n_bytes == 0 || n_bytes % 2 != 0)
    return FALSE;
  units = g_new (gunichar2, n_bytes / 2);
  for (gsize i = 0; i < n_bytes / 2; i++)
    units[i] = (gunichar2) (bytes[2 * i] << 8 | bytes[2 * i + 1]);
  utf8 = g_utf16_to_utf8 (units, (glong) (n_bytes / 2), NULL, NULL, NULL);
  if (utf8 == NULL)
    return FALSE;
  g_string_append (out, utf8);
  return TRUE;
}

char *
hes_imap_mutf7_decode (const char *raw)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = raw;

  while (*p != '\0')
    {
      const char *end;

      if ((guchar) *p >= 0x80)
        {
          /* Some servers send UTF-8 names as they are. */
          return g_utf8_validate (raw, -1, NULL) ? g_strdup (raw) : NULL;
        }
      if (*p != '&')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (p[1] == '-')
        {
          g_string_append_c (out, '&');
          p += 2;
          continue;
        }
      end = strchr (p + 1, '-');
      if (end == NULL || !append_mutf7_run (out, p + 1, (gsize) (end - p - 1)))
        return NULL;
      p = end + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Providers' wording, lower-cased. Gmail: "[ALERT] Application-specific password required";
 * Yahoo and others: "log in via your web browser"; Outlook: "WebLoginRequired". */
static const char * const app_password_hints[] = {
  "application-specific password",
  "app-specific password",
  "app password",
  "application password",
  "apppassword",
  "via your web browser",
  "webloginrequired",
  "web login required",
  "mot de passe d'application",
  "mot de passe d\u2019application",
};

/* Gmail: "Your account is not enabled for IMAP use"; others: "IMAP access is disabled". */
static const char * const imap_disabled_hints[] = {
  "imap access is disabled",
  "imap access disabled",
  "imap is disabled",
  "imap disabled",
  "not enabled for imap",
  "imap access is not enabled",
  "imap is not enabled",
  "enable imap",
  "imap access not allowed",
  "acc\xc3\xa8s imap",
};

static gboolean
contains_any (const char         *haystack,
              const char * const *needles,
              gsize               n_needles)
{
  for (gsize i = 0; i < n_needles; i++)
    {
      if (strstr (haystack, needles[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

HesImapError
hes_imap_classify_refusal (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *code = hes_imap_response_code (text);

  if (contains_any (lower, app_password_hints, G_N_ELEMENTS (app_password_hints)))
    return HES_IMAP_ERROR_APP_PASSWORD_REQUIRED;
  if (contains_any (lower, imap_disabled_hints, G_N_ELEMENTS (imap_disabled_hints)))
    return HES_IMAP_ERROR_IMAP_DISABLED;
  /* RFC 5530: the account cannot be used now, or only the provider's staff can unblock it. */
  if (g_strcmp0 (code, "UNAVAILABLE") == 0 || g_strcmp0 (code, "CONTACTADMIN") == 0)
    return HES_IMAP_ERROR_IMAP_DISABLED;
  return HES_IMAP_ERROR_AUTH_FAILED;
}
