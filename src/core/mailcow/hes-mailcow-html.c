/* hes-mailcow-html.c: the few facts the client reads from mailcow's HTML pages.
 *
 * The pages are templates of mailcow-dockerized (the *_index.twig templates, user.twig,
 * tfa_keys.twig, fido2.twig, modals/footer.twig). They are read with libxml2's HTML parser and
 * recognised by structure: a form that carries a hidden unset_tfa_key input, the text inside
 * that form, an element with a given id. Markup classes change between mailcow releases (the
 * Bootstrap 3 to 5 move rewrote every list), the forms and their field names do not.
 * A few facts exist only in the page's scripts (the CSRF token, the alerts of the last post,
 * the modal the page opens); those are read from the text of <script> elements only.
 */
#define G_LOG_DOMAIN "hes-mailcow-html"

#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "hes-mailcow-parse.h"

typedef xmlDoc HesHtmlDoc;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesHtmlDoc, xmlFreeDoc)

/* Broken markup is read as a browser would; nothing is fetched (no DTD, no entities). */
static HesHtmlDoc *
html_read (const char *html)
{
  gsize length = strlen (html);

  if (length == 0 || length > G_MAXINT)
    return NULL;
  return htmlReadMemory (html, (int) length, NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
}

/* Document order without recursion: pages can nest deeply. */
static xmlNode *
next_node (xmlNode *node,
           xmlNode *root)
{
  if (node->children != NULL && node->type != XML_ENTITY_REF_NODE)
    return node->children;
  while (node != NULL && node != root) {
    if (node->next != NULL)
      return node->next;
    node = node->parent;
  }
  return NULL;
}

/* Every node of @doc in document order (the doctype, comments and the root element are
 * siblings under the document node). */
#define FOR_EACH_NODE(node, doc) \
  for (xmlNode *node = (doc) != NULL ? (doc)->children : NULL; node != NULL; \
       node = next_node (node, (xmlNode *) (doc)))

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->name != NULL &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static char *
dup_attribute (xmlNode    *node,
               const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = value ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

static gboolean
attribute_is (xmlNode    *node,
              const char *name,
              const char *expected)
{
  g_autofree char *value = dup_attribute (node, name);

  return value != NULL && g_ascii_strcasecmp (value, expected) == 0;
}

static gboolean
has_class (xmlNode    *node,
           const char *class_name)
{
  g_autofree char *value = dup_attribute (node, "class");
  g_auto(GStrv) classes = NULL;

  if (value == NULL)
    return FALSE;
  classes = g_strsplit_set (value, " \t\r\n\f", -1);
  return g_strv_contains ((const char * const *) classes, class_name);
}

/* The text a reader sees inside @root, white space collapsed, without scripts and, when
 * @skip_links, without the text of links (the "[Remove]" of a list item). */
static char *
visible_text (xmlNode  *root,
              gboolean  skip_links)
{
  g_autoptr(GString) text = g_string_new (NULL);
  xmlNode *node = root->children;

  while (node != NULL && node != root) {
    gboolean skip = is_element (node, "script") || is_element (node, "style") ||
                    (skip_links && is_element (node, "a"));

    if (node->type == XML_TEXT_NODE && node->content != NULL) {
      g_string_append_c (text, ' ');
      g_string_append (text, (const char *) node->content);
    }
    if (!skip && node->children != NULL) {
      node = node->children;
      continue;
    }
    while (node != root && node->next == NULL)
      node = node->parent;
    if (node == root)
      break;
    node = node->next;
  }

  /* Collapse runs of ASCII white space (not the no-break space a name may hold). */
  {
    GString *out = g_string_sized_new (text->len);
    gboolean space = FALSE;

    for (const char *p = text->str; *p != '\0'; p++) {
      if (g_ascii_isspace (*p)) {
        space = out->len > 0;
        continue;
      }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
    return g_string_free (out, FALSE);
  }
}

static xmlNode *
find_ancestor (xmlNode    *node,
               const char *name)
{
  for (node = node->parent; node != NULL && node->type == XML_ELEMENT_NODE; node = node->parent) {
    if (is_element (node, name))
      return node;
  }
  return NULL;
}

static xmlNode *
find_descendant (xmlNode    *root,
                 const char *name)
{
  for (xmlNode *node = root->children; node != NULL; node = next_node (node, root)) {
    if (is_element (node, name))
      return node;
  }
  return NULL;
}

static gboolean
has_element_with_id (HesHtmlDoc *doc,
                     const char *id)
{
  FOR_EACH_NODE (node, doc) {
    if (node->type == XML_ELEMENT_NODE && attribute_is (node, "id", id))
      return TRUE;
  }
  return FALSE;
}

static gboolean
has_input_named (HesHtmlDoc *doc,
                 const char *name)
{
  FOR_EACH_NODE (node, doc) {
    if (is_element (node, "input") && attribute_is (node, "name", name))
      return TRUE;
  }
  return FALSE;
}

/* The text of every <script> element, one after the other. */
static char *
script_text (HesHtmlDoc *doc)
{
  g_autoptr(GString) text = g_string_new (NULL);

  FOR_EACH_NODE (node, doc) {
    if (!is_element (node, "script"))
      continue;
    for (xmlNode *child = node->children; child != NULL; child = child->next) {
      if (child->content != NULL &&
          (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)) {
        g_string_append (text, (const char *) child->content);
        g_string_append_c (text, '\n');
      }
    }
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
skip_spaces (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

/* Reads the JavaScript string literal at @p ('…' or "…", with \uXXXX and \x escapes) into
 * @out; returns the position after it, or NULL when @p holds no whole literal. */
static const char *
read_js_string (const char *p,
                GString    *out)
{
  char quote = *p;

  if (quote != '\'' && quote != '"')
    return NULL;
  for (p++; *p != '\0'; p++) {
    if (*p == quote)
      return p + 1;
    if (*p == '\n')
      return NULL;
    if (*p != '\\') {
      g_string_append_c (out, *p);
      continue;
    }
    p++;
    if (*p == '\0')
      return NULL;
    if (*p == 'u' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]) &&
        g_ascii_isxdigit (p[3]) && g_ascii_isxdigit (p[4])) {
      gunichar c = (g_ascii_xdigit_value (p[1]) << 12) | (g_ascii_xdigit_value (p[2]) << 8) |
                   (g_ascii_xdigit_value (p[3]) << 4) | g_ascii_xdigit_value (p[4]);

      /* Surrogates (characters outside the BMP) do not occur in these texts. */
      g_string_append_unichar (out, g_unichar_validate (c) ? c : 0xfffd);
      p += 4;
    } else if (*p == 'x' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])) {
      gunichar c = (g_ascii_xdigit_value (p[1]) << 4) | g_ascii_xdigit_value (p[2]);

      g_string_append_unichar (out, c);
      p += 2;
    } else if (*p == 'n') {
      g_string_append_c (out, '\n');
    } else {
      g_string_append_c (out, *p);
    }
  }
  return NULL;
}

/* Each call `NAME(` in @script: @found gets the position after the parenthesis. */
static const char *
find_call (const char *script,
           const char *name)
{
  const char *p = script;
  gsize length = strlen (name);

  while ((p = strstr (p, name)) != NULL) {
    gboolean starts_word = p == script || !(g_ascii_isalnum (p[-1]) || p[-1] == '_' ||
                                            p[-1] == '$');
    const char *after = skip_spaces (p + length);

    if (starts_word && *after == '(')
      return after + 1;
    p += length;
  }
  return NULL;
}

gboolean
hes_mailcow_html_has_login_form (const char *html)
{
  g_autoptr(HesHtmlDoc) doc = NULL;

  g_return_val_if_fail (html != NULL, FALSE);

  doc = html_read (html);
  return has_input_named (doc, "login_user") && has_input_named (doc, "pass_user");
}

gboolean
hes_mailcow_html_has_tfa_prompt (const char *html)
{
  g_autoptr(HesHtmlDoc) doc = NULL;
  g_autofree char *scripts = NULL;

  g_return_val_if_fail (html != NULL, FALSE);

  doc = html_read (html);
  if (has_element_with_id (doc, "ConfirmTFAModal"))
    return TRUE;
  scripts = script_text (doc);
  return strstr (scripts, "ConfirmTFAModal") != NULL;
}

/* A modal that the page opens by script (getElementById('ID')), or whose markup is there. */
static gboolean
page_has_modal (HesHtmlDoc *doc,
                const char *scripts,
                const char *id)
{
  const char *p = scripts;

  if (has_element_with_id (doc, id))
    return TRUE;
  while ((p = find_call (p, "getElementById")) != NULL) {
    g_autoptr(GString) argument = g_string_new (NULL);
    const char *end = read_js_string (skip_spaces (p), argument);

    if (end != NULL && strcmp (argument->str, id) == 0)
      return TRUE;
  }
  return FALSE;
}

/* With both pending, mailcow shows the 2FA setup first and the password modal only after. */
HesPendingAction
hes_mailcow_html_pending_action (const char *html)
{
  g_autoptr(HesHtmlDoc) doc = NULL;
  g_autofree char *scripts = NULL;

  g_return_val_if_fail (html != NULL, HES_PENDING_NONE);

  doc = html_read (html);
  scripts = script_text (doc);
  if (page_has_modal (doc, scripts, "SetupTFAModal"))
    return HES_PENDING_TFA_SETUP;
  if (page_has_modal (doc, scripts, "ChangePWModal"))
    return HES_PENDING_PASSWORD_CHANGE;
  return HES_PENDING_NONE;
}

static gboolean
is_token (const char *text)
{
  if (*text == '\0' || strlen (text) > 256)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p))
      return FALSE;
  }
  return TRUE;
}

/* base.twig: `var csrf_token = '…';` */
static char *
csrf_token_from_scripts (const char *scripts)
{
  const char *p = scripts;

  while ((p = strstr (p, "csrf_token")) != NULL) {
    const char *value = skip_spaces (p + strlen ("csrf_token"));
    gboolean declared = p - scripts >= 4 && strncmp (p - 4, "var ", 4) == 0;
    g_autoptr(GString) token = g_string_new (NULL);

    p += strlen ("csrf_token");
    if (!declared || *value != '=')
      continue;
    if (read_js_string (skip_spaces (value + 1), token) != NULL && is_token (token->str))
      return g_string_free (g_steal_pointer (&token), FALSE);
  }
  return NULL;
}

char *
hes_mailcow_html_csrf_token (const char *html)
{
  g_autoptr(HesHtmlDoc) doc = NULL;
  g_autofree char *scripts = NULL;

  g_return_val_if_fail (html != NULL, NULL);

  doc = html_read (html);
  scripts = script_text (doc);
  return csrf_token_from_scripts (scripts);
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

/* The pending sign-in's modal (modals/footer.twig): one link per factor the customer can pick,
 * with the factor's name in a span and its row id in an input. */
GPtrArray *
hes_mailcow_html_parse_factors (const char *html)
{
  g_autoptr(GPtrArray) factors = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_second_factor_free);
  g_autoptr(HesHtmlDoc) doc = NULL;

  g_return_val_if_fail (html != NULL, g_steal_pointer (&factors));

  doc = html_read (html);
  FOR_EACH_NODE (node, doc) {
    gboolean totp = is_element (node, "a") && has_class (node, "totp-authenticator-selection");
    gboolean webauthn = is_element (node, "a") &&
                        has_class (node, "webauthn-authenticator-selection");
    g_autoptr(HesSecondFactor) factor = NULL;
    xmlNode *span, *input;

    if (!totp && !webauthn)
      continue;
    factor = g_new0 (HesSecondFactor, 1);
    factor->method = webauthn ? HES_SECOND_FACTOR_WEBAUTHN : HES_SECOND_FACTOR_TOTP;
    span = find_descendant (node, "span");
    input = find_descendant (node, "input");
    factor->name = span ? visible_text (span, FALSE) : NULL;
    factor->id = input ? dup_attribute (input, "value") : NULL;
    if (factor->id != NULL)
      g_strstrip (factor->id);
    /* Without its row id the server cannot verify a code for this factor. */
    if (factor->id != NULL && *factor->id != '\0')
      g_ptr_array_add (factors, g_steal_pointer (&factor));
  }

  /* Yubico OTP has no per-key choice: the OTP itself names the key. */
  if (has_element_with_id (doc, "pending_tfa_tab_yubi_otp")) {
    HesSecondFactor *factor = g_new0 (HesSecondFactor, 1);

    factor->method = HES_SECOND_FACTOR_YUBI_OTP;
    g_ptr_array_add (factors, factor);
  }

  return g_steal_pointer (&factors);
}

static gboolean
is_factor_id (const char *id,
              gboolean    passkey)
{
  if (id == NULL || *id == '\0' || strlen (id) > 128)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++) {
    if (passkey ? !g_ascii_isxdigit (*p) : !g_ascii_isdigit (*p))
      return FALSE;
  }
  return TRUE;
}

/* The account's page (/user, /domainadmin/user). Each factor has its own small removal form:
 * tfa_keys.twig puts the hidden unset_tfa_key input and the factor's name in it; fido2.twig
 * puts the unset_fido2_key input in the last cell of a table row whose first cell holds the
 * key's name. */
GPtrArray *
hes_mailcow_html_account_factors (const char *html)
{
  g_autoptr(GPtrArray) factors = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_factor_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_factor_free);
  g_autoptr(HesHtmlDoc) doc = NULL;

  g_return_val_if_fail (html != NULL, g_steal_pointer (&factors));

  doc = html_read (html);
  FOR_EACH_NODE (node, doc) {
    gboolean passkey;
    xmlNode *form, *row, *cell;
    g_autoptr(HesMailcowFactor) factor = NULL;

    if (!is_element (node, "input") || !attribute_is (node, "type", "hidden"))
      continue;
    if (attribute_is (node, "name", "unset_fido2_key"))
      passkey = TRUE;
    else if (attribute_is (node, "name", "unset_tfa_key"))
      passkey = FALSE;
    else
      continue;

    factor = g_new0 (HesMailcowFactor, 1);
    factor->kind = passkey ? HES_MAILCOW_FACTOR_PASSKEY : HES_MAILCOW_FACTOR_SECOND_FACTOR;
    factor->id = dup_attribute (node, "value");
    if (factor->id != NULL)
      g_strstrip (factor->id);
    if (!is_factor_id (factor->id, passkey))
      continue;

    form = find_ancestor (node, "form");
    row = passkey ? find_ancestor (node, "tr") : NULL;
    cell = row ? find_descendant (row, "td") : NULL;
    if (cell != NULL)
      factor->name = visible_text (cell, FALSE);
    else if (form != NULL)
      factor->name = visible_text (form, TRUE);
    else
      factor->name = g_strdup ("");

    /* Passwordless keys first, as the page shows them below but they matter more. */
    g_ptr_array_add (passkey ? factors : second, g_steal_pointer (&factor));
  }

  g_ptr_array_extend_and_steal (factors, g_steal_pointer (&second));
  return g_steal_pointer (&factors);
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

/* The result of a form post: user.twig calls mailcow_alert_box('TEXT', 'TYPE') once per
 * message of the session. Calls with anything but two literals are the page's own code. */
GPtrArray *
hes_mailcow_html_alerts (const char *html)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_alert_free);
  g_autoptr(HesHtmlDoc) doc = NULL;
  g_autofree char *scripts = NULL;
  const char *p;

  g_return_val_if_fail (html != NULL, g_steal_pointer (&alerts));

  doc = html_read (html);
  scripts = script_text (doc);
  p = scripts;
  while ((p = find_call (p, "mailcow_alert_box")) != NULL) {
    g_autoptr(GString) text = g_string_new (NULL);
    g_autoptr(GString) type = g_string_new (NULL);
    const char *end = read_js_string (skip_spaces (p), text);
    HesMailcowAlert *alert;

    if (end == NULL || *(end = skip_spaces (end)) != ',')
      continue;
    end = read_js_string (skip_spaces (end + 1), type);
    if (end == NULL || *skip_spaces (end) != ')')
      continue;

    alert = g_new0 (HesMailcowAlert, 1);
    alert->text = g_string_free (g_steal_pointer (&text), FALSE);
    alert->type = g_string_free (g_steal_pointer (&type), FALSE);
    g_ptr_array_add (alerts, alert);
  }
  return g_steal_pointer (&alerts);
}

const HesMailcowAlert *
hes_mailcow_alerts_find (GPtrArray  *alerts,
                         const char *type,
                         const char *needle)
{
  g_return_val_if_fail (alerts != NULL, NULL);

  for (guint i = 0; i < alerts->len; i++) {
    const HesMailcowAlert *alert = g_ptr_array_index (alerts, i);

    if (g_strcmp0 (alert->type, type) == 0 && strstr (alert->text, needle) != NULL)
      return alert;
  }
  return NULL;
}
