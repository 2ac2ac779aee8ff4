/* hes-mailcow-sim-api.c: /api/v1 (json_api.php): routing, status codes, the answer shapes,
 * and the domain, mailbox, DKIM, password-policy and edit/self routes. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <string.h>

static void
respond_json_text (SimRequest *req, guint status, const char *text)
{
  sim_respond (req, status, "application/json", text, strlen (text));
}

static void
respond_error (SimRequest *req, guint status, const char *msg)
{
  g_autofree char *escaped = g_strescape (msg, NULL);
  g_autofree char *text = g_strdup_printf ("{\"type\":\"error\",\"msg\":\"%s\"}", escaped);

  respond_json_text (req, status, text);
}

/* process_return() for add/edit/delete: the whole pile, or a generic answer if it is empty. */
void
sim_api_write_pile (SimRequest *req, gboolean failed, const char *action)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (json_array_get_length (req->session->pile) == 0)
    {
      if (failed)
        text = g_strdup_printf ("{\"type\":\"error\",\"msg\":\"Cannot %s item\"}", action);
      else
        text = g_strdup ("{\"type\":\"success\",\"msg\":\"Task completed\"}");
    }
  else
    {
      node = json_node_init_array (json_node_alloc (), req->session->pile);
      text = sim_json_encode (node, FALSE);
    }
  respond_json_text (req, 200, text);
}

/* process_return('get'): pretty JSON, or {} for nothing. */
void
sim_api_write_get (SimRequest *req, JsonNode *data)
{
  g_autofree char *text = NULL;
  gboolean empty = data == NULL ||
    (JSON_NODE_HOLDS_OBJECT (data) && json_object_get_size (json_node_get_object (data)) == 0) ||
    (JSON_NODE_HOLDS_ARRAY (data) && json_array_get_length (json_node_get_array (data)) == 0);

  text = empty ? g_strdup ("{}") : sim_json_encode (data, TRUE);
  respond_json_text (req, 200, text);
}

gboolean
sim_may_see_domain (SimRequest *req, const char *domain)
{
  SimSession *session = req->session;

  if (g_strcmp0 (session->role, "domainadmin") != 0 || sim_find_domain (req->sim, domain) == NULL)
    return FALSE;
  return sim_admin_has_domain (sim_find_admin (req->sim, session->username), domain);
}

gboolean
sim_may_see_mailbox (SimRequest *req, const char *username)
{
  SimSession *session = req->session;
  SimMailbox *mailbox = sim_find_mailbox (req->sim, username);

  if (mailbox == NULL)
    return FALSE;
  if (g_strcmp0 (session->role, "user") == 0)
    return g_ascii_strcasecmp (session->username, username) == 0;
  return sim_may_see_domain (req, mailbox->domain);
}

/* The log echo of a call: "password"/"password2" masked, other fields (password1!) not. */
JsonNode *
sim_log_with_data (const char *fn, const char *action, const char *type, JsonObject *attr)
{
  static const char * const masked[] = {
    "password", "password2", "user_old_pass", "user_new_pass", "user_new_pass2", NULL,
  };
  JsonNode *log = sim_log_node (fn, action, type, NULL);
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = attr ? json_object_get_members (attr) : NULL;

  for (GList *l = members; l; l = l->next)
    {
      if (g_strv_contains (masked, l->data))
        json_object_set_string_member (copy, l->data, "*");
      else
        json_object_set_member (copy, l->data,
                                json_node_copy (json_object_get_member (attr, l->data)));
    }
  json_array_add_object_element (json_node_get_array (log), copy);
  json_array_add_null_element (json_node_get_array (log));
  return log;
}

/* A PHP error after the call started: empty 200 now, the error in the next answer. */
static void
fail_with_empty_body (SimRequest *req, const char *message)
{
  sim_pile_push_key (req->session, "danger", NULL, message, NULL);
  respond_json_text (req, 200, "");
}

/* get */

static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

static gboolean
domain_has_any_tag (SimDomain *domain, GStrv tags)
{
  for (guint i = 0; tags[i]; i++)
    for (guint j = 0; j < domain->tags->len; j++)
      if (g_strcmp0 (g_strstrip (tags[i]), g_ptr_array_index (domain->tags, j)) == 0)
        return TRUE;
  return FALSE;
}

static void
get_domain (SimRequest *req, const char *object)
{
  const char *tag_text = req->query ? g_hash_table_lookup (req->query, "tags") : NULL;
  g_auto(GStrv) tags = tag_text && *tag_text ? g_strsplit (tag_text, ",", -1) : NULL;
  g_autoptr(JsonNode) result = NULL;

  if (g_strcmp0 (object, "all") == 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < req->sim->domains->len; i++)
        {
          SimDomain *domain = g_ptr_array_index (req->sim->domains, i);

          if (sim_may_see_domain (req, domain->name) && (!tags || domain_has_any_tag (domain, tags)))
            json_array_add_element (array, sim_domain_to_json (req->sim, domain));
        }
      result = array_node (array);
    }
  else if (object && sim_may_see_domain (req, object))
    result = sim_domain_to_json (req->sim, sim_find_domain (req->sim, object));
  sim_api_write_get (req, result);
}

static void
get_mailbox (SimRequest *req, const char *object, const char *extra)
{
  g_autoptr(JsonNode) result = NULL;

  if (g_strcmp0 (object, "all") == 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < req->sim->mailboxes->len; i++)
        {
          SimMailbox *mailbox = g_ptr_array_index (req->sim->mailboxes, i);

          if (sim_may_see_domain (req, mailbox->domain) &&
              (extra == NULL || g_ascii_strcasecmp (extra, mailbox->domain) == 0))
            json_array_add_element (array, sim_mailbox_to_json (req->sim, mailbox));
        }
      result = array_node (array);
    }
  else if (object && sim_may_see_mailbox (req, object))
    result = sim_mailbox_to_json (req->sim, sim_find_mailbox (req->sim, object));
  sim_api_write_get (req, result);
}

static void
get_dkim (SimRequest *req, const char *object)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *length = NULL;
  SimDomain *domain = object && sim_may_see_domain (req, object)
                      ? sim_find_domain (req->sim, object) : NULL;
  const char *pubkey = domain ? sim_domain_dkim_pubkey (domain) : NULL;

  if (pubkey)
    {
      txt = g_strconcat ("v=DKIM1;k=rsa;t=s;s=email;p=", pubkey, NULL);
      length = g_strdup_printf ("%u", domain->dkim_bits);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "pubkey");
      json_builder_add_string_value (b, pubkey);
      json_builder_set_member_name (b, "length");
      json_builder_add_string_value (b, length);
      json_builder_set_member_name (b, "dkim_txt");
      json_builder_add_string_value (b, txt);
      json_builder_set_member_name (b, "dkim_selector");
      json_builder_add_string_value (b, domain->dkim_selector);
      json_builder_set_member_name (b, "privkey");
      json_builder_add_string_value (b, "");
      json_builder_end_object (b);
      result = json_builder_get_root (b);
    }
  sim_api_write_get (req, result);
}

static void
get_password_policy (SimRequest *req, const char *object)
{
  HesMailcowSim *sim = req->sim;
  g_autoptr(JsonNode) result = NULL;

  if (g_strcmp0 (object, "html") == 0)
    {
      g_autoptr(GString) html = g_string_new (NULL);

      g_string_append_printf (html, "<p>Minimum length: %u characters", sim->policy_length);
      if (sim->policy_chars)
        g_string_append (html, ", at least one letter");
      if (sim->policy_special_chars)
        g_string_append (html, ", at least one special character");
      if (sim->policy_lowerupper)
        g_string_append (html, ", lower and upper case letters");
      if (sim->policy_numbers)
        g_string_append (html, ", at least one number");
      g_string_append (html, "</p>");
      result = json_node_init_string (json_node_alloc (), html->str);
    }
  else
    {
      JsonObject *obj = json_object_new ();
      g_autofree char *length = g_strdup_printf ("%u", sim->policy_length);

      json_object_set_string_member (obj, "length", length);
      json_object_set_string_member (obj, "chars", sim->policy_chars ? "1" : "0");
      json_object_set_string_member (obj, "special_chars", sim->policy_special_chars ? "1" : "0");
      json_object_set_string_member (obj, "lowerupper", sim->policy_lowerupper ? "1" : "0");
      json_object_set_string_member (obj, "numbers", sim->policy_numbers ? "1" : "0");
      result = json_node_init_object (json_node_alloc (), obj);
      json_object_unref (obj);
    }
  sim_api_write_get (req, result);
}

static void
handle_get (SimRequest *req, const char *category, const char *object, const char *extra)
{
  if (g_strcmp0 (req->method, "GET") != 0)
    {
      respond_error (req, 405, "only GET method is allowed");
      return;
    }
  /* Without a role (no login, or the second factor pending) nothing is written at all. */
  if (req->session->role == NULL)
    {
      respond_json_text (req, 200, "");
      return;
    }
  if (g_strcmp0 (category, "domain") == 0)
    get_domain (req, object);
  else if (g_strcmp0 (category, "mailbox") == 0)
    get_mailbox (req, object, extra);
  else if (g_strcmp0 (category, "dkim") == 0)
    get_dkim (req, object);
  else if (g_strcmp0 (category, "passwordpolicy") == 0)
    get_password_policy (req, object);
  else if (g_strcmp0 (category, "syncjobs") == 0)
    sim_api_syncjob (req, "get", NULL, object, extra);
  else
    respond_error (req, 404, "route not found");
}

/* add/mailbox (mailbox('add', 'mailbox')) */

static gboolean
valid_local_part (const char *local_part)
{
  if (local_part == NULL || *local_part == '\0' || local_part[0] == '.')
    return FALSE;
  for (const char *p = local_part; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr (".-_+", *p))
      return FALSE;
  return TRUE;
}

static void
add_mailbox (SimRequest *req, JsonObject *attr)
{
  HesMailcowSim *sim = req->sim;
  SimSession *session = req->session;
  g_autofree char *local_part = sim_json_member_string (attr, "local_part");
  g_autofree char *domain_name = sim_json_member_string (attr, "domain");
  g_autofree char *password = sim_json_member_string (attr, "password");
  g_autofree char *password2 = sim_json_member_string (attr, "password2");
  g_autofree char *name = sim_json_member_string (attr, "name");
  g_autofree char *address = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *max_text = NULL;
  SimDomain *domain;
  SimMailbox *mailbox;
  gint64 quota_mib = 0, left;
  guint count;

#define FAIL(...) G_STMT_START { \
    sim_pile_push (session, "danger", sim_log_with_data ("mailbox", "add", "mailbox", attr), \
                   __VA_ARGS__); \
    sim_api_write_pile (req, TRUE, "add"); \
    return; \
  } G_STMT_END
#define FAIL_KEY(key, arg) G_STMT_START { \
    sim_pile_push_key (session, "danger", sim_log_with_data ("mailbox", "add", "mailbox", attr), \
                       key, arg); \
    sim_api_write_pile (req, TRUE, "add"); \
    return; \
  } G_STMT_END

  /* A mailbox user (or nobody) reaches code that breaks on the missing admin data. */
  if (g_strcmp0 (session->role, "domainadmin") != 0)
    {
      fail_with_empty_body (req, "An unknown error occured. Please contact your administrator.");
      return;
    }
  if (!valid_local_part (local_part) || domain_name == NULL || *domain_name == '\0')
    FAIL_KEY ("mailbox_invalid", NULL);
  {
    g_autofree char *raw = g_strdup_printf ("%s@%s", local_part, domain_name);

    address = g_ascii_strdown (raw, -1);
  }
  if (!sim_may_see_domain (req, domain_name))
    FAIL_KEY ("access_denied", NULL);
  domain = sim_find_domain (sim, domain_name);
  if (sim_find_mailbox (sim, address))
    FAIL_KEY ("object_exists", address);
  if (password == NULL || password2 == NULL || *password == '\0')
    FAIL_KEY ("password_complexity", NULL);
  if (strcmp (password, password2) != 0)
    FAIL_KEY ("password_mismatch", NULL);
  if (!sim_password_ok (sim, password))
    FAIL_KEY ("password_complexity", NULL);

  /* Quota in MiB; missing means the template's 0, which needs the unlimited_quota ACL. */
  if (json_object_has_member (attr, "quota") && !sim_json_member_int (attr, "quota", &quota_mib))
    FAIL_KEY ("access_denied", NULL);
  if (quota_mib <= 0)
    FAIL_KEY ("unlimited_quota_acl", NULL);
  count = sim_domain_mailbox_count (sim, domain->name);
  if (count >= domain->max_mailboxes)
    {
      JsonArray *msg = json_array_new ();

      json_array_add_string_element (msg, "max_mailbox_exceeded");
      json_array_add_int_element (msg, count);
      json_array_add_int_element (msg, domain->max_mailboxes);
      FAIL (array_node (msg));
    }
  if (quota_mib * SIM_MIB > domain->max_quota_mbox)
    {
      max_text = g_strdup_printf ("%" G_GINT64_FORMAT, domain->max_quota_mbox / SIM_MIB);
      FAIL_KEY ("mailbox_quota_exceeded", max_text);
    }
  left = domain->max_quota - sim_domain_quota_allocated (sim, domain->name);
  if (quota_mib * SIM_MIB > left)
    {
      left_text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (left, 0) / SIM_MIB);
      FAIL_KEY ("mailbox_quota_left_exceeded", left_text);
    }
#undef FAIL
#undef FAIL_KEY

  hes_mailcow_sim_add_mailbox (sim, address, name ? name : local_part, password);
  mailbox = sim_find_mailbox (sim, address);
  mailbox->quota = quota_mib * SIM_MIB;
  mailbox->active = !json_object_has_member (attr, "active") ||
                    !sim_json_member_empty (attr, "active");
  mailbox->force_pw_update = !sim_json_member_empty (attr, "force_pw_update");
  if (json_object_has_member (attr, "acl") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (attr, "acl")))
    {
      JsonArray *acl = json_object_get_array_member (attr, "acl");

      for (guint i = 0; i < json_array_get_length (acl); i++)
        if (g_strcmp0 (json_node_get_string (json_array_get_element (acl, i)), "syncjobs") == 0)
          mailbox->acl_syncjobs = TRUE;
    }
  sim_pile_push_key (session, "success", sim_log_with_data ("ratelimit", "edit", "mailbox", attr),
                     "rl_saved", address);
  sim_pile_push_key (session, "success", sim_log_with_data ("mailbox", "add", "mailbox", attr),
                     "mailbox_added", address);
  sim_api_write_pile (req, FALSE, "add");
}

/* add/dkim: one key per domain, domain admins allowed. */
static void
add_dkim (SimRequest *req, JsonObject *attr)
{
  g_autofree char *domains = sim_json_member_string (attr, "domains");
  g_autofree char *selector = sim_json_member_string (attr, "dkim_selector");
  g_auto(GStrv) names = g_strsplit_set (domains ? domains : "", ", ", -1);
  gint64 key_size = 2048;
  gboolean any = FALSE;

  if (json_object_has_member (attr, "key_size"))
    sim_json_member_int (attr, "key_size", &key_size);
  for (guint i = 0; names[i]; i++)
    {
      SimDomain *domain;

      if (*names[i] == '\0')
        continue;
      any = TRUE;
      if (!sim_may_see_domain (req, names[i]))
        {
          sim_pile_push_key (req->session, "danger",
                             sim_log_with_data ("dkim", "add", "dkim", attr), "access_denied", NULL);
          continue;
        }
      domain = sim_find_domain (req->sim, names[i]);
      if (domain->wants_dkim ||
          (key_size != 1024 && key_size != 2048 && key_size != 3072 && key_size != 4096))
        {
          sim_pile_push_key (req->session, "danger", sim_log_with_data ("dkim", "add", "dkim", attr),
                             "dkim_domain_or_sel_invalid", domain->name);
          continue;
        }
      domain->wants_dkim = TRUE;
      domain->dkim_bits = key_size;
      g_free (domain->dkim_selector);
      domain->dkim_selector = g_strdup (selector && *selector ? selector : "dkim");
      sim_pile_push_key (req->session, "success", sim_log_with_data ("dkim", "add", "dkim", attr),
                         "dkim_added", domain->name);
    }
  if (!any)
    sim_pile_push_key (req->session, "danger", sim_log_with_data ("dkim", "add", "dkim", attr),
                       "dkim_domain_or_sel_invalid", "");
  sim_api_write_pile (req, TRUE, "add");
}

static void
handle_add (SimRequest *req, const char *category, const char *object, JsonObject *attr)
{
  if (g_strcmp0 (category, "mailbox") == 0 && object == NULL)
    add_mailbox (req, attr);
  else if (g_strcmp0 (category, "dkim") == 0)
    add_dkim (req, attr);
  else if (g_strcmp0 (category, "syncjob") == 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), attr);

      sim_api_syncjob (req, "add", node, NULL, NULL);
    }
  else if (g_strcmp0 (category, "domain") == 0 || g_strcmp0 (category, "domain-admin") == 0 ||
           g_strcmp0 (category, "alias") == 0)
    {
      sim_pile_push_key (req->session, "danger", sim_log_with_data ("mailbox", "add", category, attr),
                         "access_denied", NULL);
      sim_api_write_pile (req, TRUE, "add");
    }
  else
    respond_error (req, 404, "route not found");
}

/* edit/self: the account's own password. */
static void
edit_self (SimRequest *req, JsonObject *attr)
{
  SimSession *session = req->session;
  HesMailcowSim *sim = req->sim;
  g_autofree char *old_pass = sim_json_member_string (attr, "user_old_pass");
  g_autofree char *new_pass = sim_json_member_string (attr, "user_new_pass");
  g_autofree char *new_pass2 = sim_json_member_string (attr, "user_new_pass2");
  SimMailbox *mailbox = sim_find_mailbox (sim, session->username);
  SimAdmin *admin = mailbox ? NULL : sim_find_admin (sim, session->username);
  char **stored = mailbox ? &mailbox->password : admin ? &admin->password : NULL;
  const char *fn = mailbox ? "edit_user_account" : "domain_admin";
  const char *key = NULL;

  if (stored == NULL)
    key = "access_denied";
  else if (new_pass == NULL || *new_pass == '\0')
    key = "password_complexity";
  else if (!session->pending_pw_update && g_strcmp0 (old_pass, *stored) != 0)
    key = "access_denied";
  else if (g_strcmp0 (new_pass, new_pass2) != 0)
    key = "password_mismatch";
  else if (!sim_password_ok (sim, new_pass))
    key = "password_complexity";
  if (key)
    {
      sim_pile_push_key (session, "danger", sim_log_with_data (fn, "edit", "self", attr), key, NULL);
      sim_api_write_pile (req, TRUE, "edit");
      return;
    }
  g_free (*stored);
  *stored = g_strdup (new_pass);
  if (mailbox)
    mailbox->force_pw_update = FALSE, mailbox->modified = sim_now (sim);
  else
    admin->force_pw_update = FALSE;
  session->pending_pw_update = FALSE;
  sim_pile_push_key (session, "success", sim_log_with_data (fn, "edit", "self", attr),
                     mailbox ? "mailbox_modified" : "admin_modified", session->username);
  sim_api_write_pile (req, FALSE, "edit");
}

/* edit/user-acl: a domain admin sets a mailbox's ACLs; unlisted ones become 0. */
static void
edit_user_acl (SimRequest *req, JsonNode *items, JsonObject *attr)
{
  JsonArray *acl = json_object_has_member (attr, "user_acl") &&
                   JSON_NODE_HOLDS_ARRAY (json_object_get_member (attr, "user_acl"))
                   ? json_object_get_array_member (attr, "user_acl") : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (items && JSON_NODE_HOLDS_ARRAY (items))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
      g_ptr_array_add (names, g_strdup (json_array_get_string_element (json_node_get_array (items), i)));
  else if (items && JSON_NODE_HOLDS_VALUE (items))
    g_ptr_array_add (names, g_strdup (json_node_get_string (items)));

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      SimMailbox *mailbox = sim_find_mailbox (req->sim, name);
      gboolean syncjobs = FALSE;

      if (g_strcmp0 (req->session->role, "domainadmin") != 0 || !sim_may_see_mailbox (req, name))
        {
          sim_pile_push_key (req->session, "danger", sim_log_with_data ("acl", "edit", "user", attr),
                             "access_denied", NULL);
          continue;
        }
      for (guint j = 0; acl && j < json_array_get_length (acl); j++)
        syncjobs |= g_strcmp0 (json_array_get_string_element (acl, j), "syncjobs") == 0;
      mailbox->acl_syncjobs = syncjobs;
      sim_pile_push_key (req->session, "success", sim_log_with_data ("acl", "edit", "user", attr),
                         "acl_saved", mailbox->username);
    }
  sim_api_write_pile (req, TRUE, "edit");
}

static void
handle_edit (SimRequest *req, const char *category, JsonNode *items, JsonObject *attr)
{
  if (g_strcmp0 (category, "self") == 0)
    edit_self (req, attr);
  else if (g_strcmp0 (category, "user-acl") == 0)
    edit_user_acl (req, items, attr);
  else if (g_strcmp0 (category, "syncjob") == 0)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *obj = json_object_new ();

      json_object_set_member (obj, "items", items ? json_node_copy (items)
                                                  : json_node_new (JSON_NODE_NULL));
      json_object_set_object_member (obj, "attr", json_object_ref (attr));
      json_node_take_object (node, obj);
      sim_api_syncjob (req, "edit", node, NULL, NULL);
    }
  else
    respond_error (req, 404, "route not found");
}

static void
handle_delete (SimRequest *req, const char *category, JsonNode *items)
{
  if (g_strcmp0 (category, "syncjob") == 0)
    sim_api_syncjob (req, "delete", items, NULL, NULL);
  else if (g_strcmp0 (category, "dkim") == 0 || g_strcmp0 (category, "domain") == 0 ||
           g_strcmp0 (category, "mailbox") == 0)
    {
      sim_pile_push_key (req->session, "danger", sim_log_node ("mailbox", "delete", category, NULL),
                         "access_denied", NULL);
      sim_api_write_pile (req, TRUE, "delete");
    }
  else
    respond_error (req, 404, "route not found");
}

static JsonObject *
as_object (JsonNode *node)
{
  /* (array)json_decode(...): anything but an object has no named members. */
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));
  return json_object_new ();
}

static JsonNode *
form_json (SimRequest *req, const char *key)
{
  const char *text = sim_form_get (req, key);

  return text ? sim_json_parse (text, strlen (text)) : NULL;
}

void
sim_handle_api (SimRequest *req, const char *query)
{
  g_auto(GStrv) parts = g_strsplit (query, "/", 4);
  const char *action = parts[0];
  const char *category = action ? parts[1] : NULL;
  const char *object = category ? parts[2] : NULL;
  const char *extra = object ? parts[3] : NULL;
  SimSession *session = req->session;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) attr_node = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autoptr(JsonObject) attr = NULL;
  gboolean have_attr = FALSE, have_items = FALSE;
  const char *dest = sim_header (req, "Sec-Fetch-Dest");

  if (object && *object == '\0')
    object = NULL;
  if (sim_header (req, "X-API-Key"))
    {
      /* No key exists on this server. */
      respond_error (req, 401, "authentication failed");
      return;
    }
  if (dest && strcmp (dest, "empty") != 0)
    {
      respond_json_text (req, 403, "");
      return;
    }

  if (req->is_json)
    {
      gsize len;
      const char *data = g_bytes_get_data (req->body, &len);

      parsed = sim_json_parse (data, len);
      if (parsed && JSON_NODE_HOLDS_NULL (parsed))
        g_clear_pointer (&parsed, json_node_unref);
      if (g_strcmp0 (action, "get") != 0 && parsed == NULL)
        {
          respond_error (req, 400, "Request body doesn't contain valid json!");
          return;
        }
      if (g_strcmp0 (action, "add") == 0)
        attr_node = json_node_ref (parsed), have_attr = TRUE;
      else if (g_strcmp0 (action, "edit") == 0 && JSON_NODE_HOLDS_OBJECT (parsed))
        {
          JsonObject *obj = json_node_get_object (parsed);

          have_attr = have_items = TRUE;
          if (json_object_has_member (obj, "attr"))
            attr_node = json_node_copy (json_object_get_member (obj, "attr"));
          if (json_object_has_member (obj, "items"))
            items = json_node_copy (json_object_get_member (obj, "items"));
        }
      else if (g_strcmp0 (action, "edit") == 0)
        have_attr = have_items = TRUE;
      else if (g_strcmp0 (action, "delete") == 0)
        items = json_node_ref (parsed), have_items = TRUE;
    }
  else if (req->form)
    {
      have_attr = sim_form_get (req, "attr") != NULL;
      have_items = sim_form_get (req, "items") != NULL;
      attr_node = form_json (req, "attr");
      items = form_json (req, "items");
    }
  attr = as_object (attr_node);

  if (g_strcmp0 (action, "get") == 0)
    handle_get (req, category, object, extra);
  else if (g_strcmp0 (action, "add") == 0)
    {
      if (session->pending_username)
        respond_error (req, 403, "API read/write access denied");
      else if (!have_attr)
        respond_error (req, 200, "Cannot find attributes in post data");
      else if (g_strcmp0 (req->method, "POST") != 0)
        respond_error (req, 405, "only POST method is allowed");
      else
        handle_add (req, category, object, attr);
    }
  else if (g_strcmp0 (action, "edit") == 0 || g_strcmp0 (action, "delete") == 0)
    {
      gboolean edit = action[0] == 'e';

      if (session->pending_username || session->role == NULL)
        respond_error (req, 403, "API read/write access denied");
      else if (edit ? !have_attr : !have_items)
        respond_error (req, 200, "Cannot find attributes in post data");
      else if (g_strcmp0 (req->method, "POST") != 0)
        respond_error (req, 405, "only POST method is allowed");
      else if (edit)
        handle_edit (req, category, items, attr);
      else
        handle_delete (req, category, items);
    }
  else
    respond_error (req, 404, "route not found");
}
