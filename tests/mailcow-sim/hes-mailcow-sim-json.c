/* hes-mailcow-sim-json.c: JSON and escaping exactly as PHP and Twig write them.
 *
 * mailcow's answers come from PHP's json_encode: "/" is escaped as "\/", writes escape
 * non-ASCII as \uXXXX, gets are pretty-printed with four spaces and keep UTF-8. json-glib's
 * generator writes none of that, so the simulator has its own small encoder.
 */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <string.h>

static void
append_utf16_escape (GString *out, gunichar c)
{
  if (c > 0xffff)
    {
      c -= 0x10000;
      g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    }
  else
    g_string_append_printf (out, "\\u%04x", c);
}

static void
append_string (GString *out, const char *s, gboolean escape_unicode)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '/': g_string_append (out, "\\/"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || (c >= 0x80 && escape_unicode))
            append_utf16_escape (out, c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_indent (GString *out, gboolean pretty, guint level)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "    ");
}

static void append_node (GString *out, JsonNode *node, gboolean pretty, guint level);

static void
append_object (GString *out, JsonObject *obj, gboolean pretty, guint level)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  if (members == NULL)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append_c (out, '{');
  for (GList *l = members; l; l = l->next)
    {
      append_indent (out, pretty, level + 1);
      append_string (out, l->data, !pretty);
      g_string_append (out, pretty ? ": " : ":");
      append_node (out, json_object_get_member (obj, l->data), pretty, level + 1);
      if (l->next)
        g_string_append_c (out, ',');
    }
  append_indent (out, pretty, level);
  g_string_append_c (out, '}');
}

static void
append_array (GString *out, JsonArray *array, gboolean pretty, guint level)
{
  guint n = json_array_get_length (array);

  if (n == 0)
    {
      g_string_append (out, "[]");
      return;
    }
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      append_indent (out, pretty, level + 1);
      append_node (out, json_array_get_element (array, i), pretty, level + 1);
      if (i + 1 < n)
        g_string_append_c (out, ',');
    }
  append_indent (out, pretty, level);
  g_string_append_c (out, ']');
}

static void
append_node (GString *out, JsonNode *node, gboolean pretty, guint level)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), pretty, level);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), pretty, level);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node), !pretty);
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          g_string_append_printf (out, "%.14g", json_node_get_double (node));
          break;
        default:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        }
      break;
    }
}

/* json_encode($x) (compact, \u escapes) or json_encode($x, JSON_UNESCAPED_UNICODE |
 * JSON_PRETTY_PRINT) (the get answers). */
char *
sim_json_encode (JsonNode *node, gboolean pretty)
{
  GString *out = g_string_new (NULL);

  append_node (out, node, pretty, 0);
  return g_string_free (out, FALSE);
}

/* Twig's escape('js'): letters, digits, ",", "." and "_" stay, everything else becomes
 * \uXXXX (upper-case hex), so "Login failed" is written Login\u0020failed. */
char *
sim_js_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isalnum (c) || c == ',' || c == '.' || c == '_')
        g_string_append_c (out, (char) c);
      else if (c > 0xffff)
        {
          c -= 0x10000;
          g_string_append_printf (out, "\\u%04X\\u%04X", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
        }
      else
        g_string_append_printf (out, "\\u%04X", c);
    }
  return g_string_free (out, FALSE);
}

char *
sim_html_escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

JsonNode *
sim_json_parse (const char *text, gsize length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* PHP reads every scalar as a string when it needs one: numbers and booleans convert. */
char *
sim_json_member_string (JsonObject *obj, const char *member)
{
  JsonNode *node;

  if (obj == NULL || !json_object_has_member (obj, member))
    return NULL;
  node = json_object_get_member (obj, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "1" : "");
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%.14g", json_node_get_double (node));
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
}

/* is_numeric() followed by intval(): "5" and 5 pass, "5x" and "" do not. */
gboolean
sim_json_member_int (JsonObject *obj, const char *member, gint64 *out)
{
  g_autofree char *s = sim_json_member_string (obj, member);
  char *end = NULL;
  gint64 v;

  if (s == NULL || *s == '\0')
    return FALSE;
  v = g_ascii_strtoll (s, &end, 10);
  if (end == NULL || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/* PHP's empty(): missing, null, "", "0", 0, false. */
gboolean
sim_json_member_empty (JsonObject *obj, const char *member)
{
  g_autofree char *s = NULL;

  if (obj == NULL || !json_object_has_member (obj, member))
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (json_object_get_member (obj, member)))
    return TRUE;
  s = sim_json_member_string (obj, member);
  return s == NULL || *s == '\0' || strcmp (s, "0") == 0;
}
