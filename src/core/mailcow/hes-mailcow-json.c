/* hes-mailcow-json.c: reading mailcow's /api/v1 answers.
 *
 * mailcow mixes types freely: counts come as ints or strings, flags as ints, strings or
 * booleans, and empty results as {} or []. Every reader here takes all of them.
 */
#define G_LOG_DOMAIN "hes-mailcow-json"

#include "config.h"

#include <string.h>

#include "hes-mailcow-parse.h"

char *
hes_mailcow_body_to_string (GBytes *body)
{
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  /* GRegex and the JSON parser need valid UTF-8; a page in another charset loses nothing
   * the client reads. */
  return g_utf8_make_valid (data ? data : "", data ? (gssize) length : 0);
}

/* json-glib 1.6 parses recursively with no depth limit: 200 000 nested `[` overflow the
 * stack. mailcow's answers nest four levels at most and a 10 000-mailbox list holds
 * 440 000 values (array elements and object members), so anything deeper or wider than
 * these is refused before parsing. The value limit also bounds the parsed tree: json-glib
 * spends about 200 bytes on each object member. */
#define JSON_MAX_DEPTH  64
#define JSON_MAX_VALUES 600000

gboolean
hes_mailcow_json_within_limits (const char *text,
                                gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize values = 1;

  for (gsize i = 0; i < length; i++) {
    char c = text[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
      continue;
    }
    switch (c) {
    case '"':
      in_string = TRUE;
      break;
    case '[':
    case '{':
      if (++depth > JSON_MAX_DEPTH)
        return FALSE;
      values++;
      break;
    case ']':
    case '}':
      if (depth > 0)
        depth--;
      break;
    case ',':
      if (++values > JSON_MAX_VALUES)
        return FALSE;
      break;
    default:
      break;
    }
  }
  return TRUE;
}

static JsonNode *
set_code (GError **error, HesMailcowError code)
{
  g_set_error_literal (error, HES_MAILCOW_ERROR, code, hes_mailcow_error_describe (code));
  return NULL;
}

/* The body is parsed where it is: a copy of a 30 MB answer would double what it costs. */
JsonNode *
hes_mailcow_parse_json_body (GBytes *body, GError **error)
{
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  g_autofree char *repaired = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize start = 0;

  if (data == NULL)
    data = "";
  /* The JSON parser needs valid UTF-8; only a body in another charset is copied. */
  if (!g_utf8_validate_len (data, length, NULL)) {
    repaired = g_utf8_make_valid (data, length);
    data = repaired;
    length = strlen (repaired);
  }

  while (start < length && g_ascii_isspace (data[start]))
    start++;
  if (start == length)
    return set_code (error, HES_MAILCOW_ERROR_SESSION_EXPIRED);
  if (data[start] == '<') {
    /* A login page where JSON was expected: the session is gone. Any other page is a
     * proxy or a site that is not mailcow. */
    g_autofree char *html = g_strndup (data + start, length - start);

    return set_code (error, hes_mailcow_html_has_login_form (html)
                            ? HES_MAILCOW_ERROR_SESSION_EXPIRED : HES_MAILCOW_ERROR_MALFORMED);
  }

  if (!hes_mailcow_json_within_limits (data, length))
    return set_code (error, HES_MAILCOW_ERROR_MALFORMED);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, NULL) ||
      json_parser_get_root (parser) == NULL)
    return set_code (error, HES_MAILCOW_ERROR_MALFORMED);

  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
set_malformed (GError **error)
{
  g_set_error_literal (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED,
                       hes_mailcow_error_describe (HES_MAILCOW_ERROR_MALFORMED));
  return FALSE;
}

static gpointer
malformed_null (GError **error)
{
  set_malformed (error);
  return NULL;
}

/* A scalar as text: strings as they are, numbers and booleans printed. */
static char *
node_to_string (JsonNode *node)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;

  switch (json_node_get_value_type (node)) {
  case G_TYPE_STRING:
    return g_strdup (json_node_get_string (node));
  case G_TYPE_INT64:
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  case G_TYPE_DOUBLE: {
    char buffer[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
  }
  case G_TYPE_BOOLEAN:
    return g_strdup (json_node_get_boolean (node) ? "1" : "0");
  default:
    return NULL;
  }
}

static char *
member_string (JsonObject *object, const char *name)
{
  return node_to_string (json_object_get_member (object, name));
}

static gint64
member_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value = fallback;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;

  switch (json_node_get_value_type (node)) {
  case G_TYPE_INT64:
    return json_node_get_int (node);
  case G_TYPE_DOUBLE:
    return (gint64) json_node_get_double (node);
  case G_TYPE_BOOLEAN:
    return json_node_get_boolean (node) ? 1 : 0;
  case G_TYPE_STRING:
    if (!g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT64, G_MAXINT64,
                                   &value, NULL))
      return fallback;
    return value;
  default:
    return fallback;
  }
}

static guint64
member_bytes (JsonObject *object, const char *name)
{
  return (guint64) MAX (member_int (object, name, 0), 0);
}

/* `active` is a word in some versions ("Yes"); `active_int` is always the number. */
static gboolean
member_active (JsonObject *object)
{
  if (json_object_has_member (object, "active_int"))
    return member_int (object, "active_int", 0) != 0;
  return member_int (object, "active", 0) != 0;
}

static HesMailcowEntry *
entry_from_object (JsonObject *object)
{
  g_autoptr(HesMailcowEntry) entry = g_new0 (HesMailcowEntry, 1);
  JsonNode *msg = json_object_get_member (object, "msg");

  entry->type = member_string (object, "type");
  if (entry->type == NULL)
    return NULL;

  if (msg != NULL && JSON_NODE_HOLDS_ARRAY (msg)) {
    JsonArray *parts = json_node_get_array (msg);
    g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
    guint n = json_array_get_length (parts);

    entry->msg_key = n > 0 ? node_to_string (json_array_get_element (parts, 0)) : NULL;
    for (guint i = 1; i < n; i++) {
      g_autofree char *arg = node_to_string (json_array_get_element (parts, i));
      g_strv_builder_add (args, arg ? arg : "");
    }
    entry->msg_args = g_strv_builder_end (args);
  } else {
    entry->msg_key = node_to_string (msg);
    entry->msg_args = g_new0 (char *, 1);
  }

  return g_steal_pointer (&entry);
}

GPtrArray *
hes_mailcow_entries_parse (JsonNode *node, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_entry_free);

  g_return_val_if_fail (node != NULL, NULL);

  if (JSON_NODE_HOLDS_OBJECT (node)) {
    HesMailcowEntry *entry = entry_from_object (json_node_get_object (node));

    if (entry == NULL)
      return malformed_null (error);
    g_ptr_array_add (entries, entry);
    return g_steal_pointer (&entries);
  }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return malformed_null (error);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++) {
    JsonNode *element = json_array_get_element (json_node_get_array (node), i);
    HesMailcowEntry *entry = NULL;

    if (JSON_NODE_HOLDS_OBJECT (element))
      entry = entry_from_object (json_node_get_object (element));
    if (entry == NULL)
      return malformed_null (error);
    g_ptr_array_add (entries, entry);
  }

  return g_steal_pointer (&entries);
}

/* get answers are one object, an array of objects, or {} / [] for nothing. */
typedef gpointer (*ObjectReader) (JsonObject *object);

static GPtrArray *
read_objects (JsonNode *node, const char *key_member, ObjectReader reader,
              GDestroyNotify free_func, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);

  if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *object = json_node_get_object (node);

    if (json_object_get_size (object) == 0)
      return g_steal_pointer (&items);
    if (!json_object_has_member (object, key_member))
      return malformed_null (error);
    g_ptr_array_add (items, reader (object));
    return g_steal_pointer (&items);
  }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return malformed_null (error);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++) {
    JsonNode *element = json_array_get_element (json_node_get_array (node), i);

    if (!JSON_NODE_HOLDS_OBJECT (element) ||
        !json_object_has_member (json_node_get_object (element), key_member))
      return malformed_null (error);
    g_ptr_array_add (items, reader (json_node_get_object (element)));
  }

  return g_steal_pointer (&items);
}

static gpointer
domain_from_object (JsonObject *object)
{
  HesMailcowDomain *domain = g_new0 (HesMailcowDomain, 1);

  domain->name = member_string (object, "domain_name");
  domain->display_name = member_string (object, "domain_h_name");
  if (domain->display_name == NULL)
    domain->display_name = g_strdup (domain->name);
  domain->description = member_string (object, "description");
  domain->active = member_active (object);
  domain->mailboxes = member_int (object, "mboxes_in_domain", 0);
  domain->max_mailboxes = member_int (object, "max_num_mboxes_for_domain", 0);
  domain->mailboxes_left = member_int (object, "mboxes_left", 0);
  domain->max_quota_for_domain = member_bytes (object, "max_quota_for_domain");
  domain->max_quota_for_mailbox = member_bytes (object, "max_quota_for_mbox");
  domain->def_quota_for_mailbox = member_bytes (object, "def_quota_for_mbox");
  domain->max_new_mailbox_quota = member_bytes (object, "max_new_mailbox_quota");
  return domain;
}

GPtrArray *
hes_mailcow_domains_from_json (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  return read_objects (node, "domain_name", domain_from_object,
                       (GDestroyNotify) hes_mailcow_domain_free, error);
}

static gpointer
mailbox_from_object (JsonObject *object)
{
  HesMailcowMailbox *mailbox = g_new0 (HesMailcowMailbox, 1);

  mailbox->username = member_string (object, "username");
  mailbox->name = member_string (object, "name");
  mailbox->domain = member_string (object, "domain");
  if (mailbox->domain == NULL && mailbox->username != NULL && strchr (mailbox->username, '@'))
    mailbox->domain = g_strdup (strchr (mailbox->username, '@') + 1);
  mailbox->active = member_active (object);
  mailbox->quota = member_bytes (object, "quota");
  mailbox->quota_used = member_bytes (object, "quota_used");
  mailbox->messages = member_bytes (object, "messages");
  return mailbox;
}

GPtrArray *
hes_mailcow_mailboxes_from_json (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  return read_objects (node, "username", mailbox_from_object,
                       (GDestroyNotify) hes_mailcow_mailbox_free, error);
}

HesMailcowDkim *
hes_mailcow_dkim_from_json (JsonNode *node, GError **error)
{
  g_autoptr(HesMailcowDkim) dkim = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);

  /* No key (or a domain the session may not see) is {}; some versions send []. */
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed_null (error);

  object = json_node_get_object (node);
  if (json_object_get_size (object) == 0)
    return NULL;

  dkim = g_new0 (HesMailcowDkim, 1);
  dkim->selector = member_string (object, "dkim_selector");
  dkim->txt = member_string (object, "dkim_txt");
  dkim->pubkey = member_string (object, "pubkey");
  dkim->length = member_string (object, "length");
  if (dkim->txt == NULL || dkim->pubkey == NULL || dkim->selector == NULL)
    return malformed_null (error);

  return g_steal_pointer (&dkim);
}

HesPasswordPolicy *
hes_mailcow_policy_from_json (JsonNode *node, GError **error)
{
  HesPasswordPolicy *policy;
  JsonObject *object;
  gint64 length;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed_null (error);
  object = json_node_get_object (node);
  length = member_int (object, "length", -1);
  if (length < 0 || length > 1024)
    return malformed_null (error);

  policy = g_new0 (HesPasswordPolicy, 1);
  policy->length = (guint) length;
  policy->chars = member_int (object, "chars", 0) != 0;
  policy->special_chars = member_int (object, "special_chars", 0) != 0;
  policy->lowerupper = member_int (object, "lowerupper", 0) != 0;
  policy->numbers = member_int (object, "numbers", 0) != 0;
  return policy;
}
