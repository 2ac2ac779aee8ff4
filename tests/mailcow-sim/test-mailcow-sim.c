/* test-mailcow-sim.c: the simulator answers like mailcow, checked with raw libsoup requests. */
#define G_LOG_DOMAIN "test-mailcow-sim"

#include <cbor.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hes-mailcow-sim.h"

#define UA "HosterraTest/1.0"
#define OTHER_UA "SomethingElse/2.0"

/* A raw HTTP client with its own MCSESSID and User-Agent. */
typedef struct {
  SoupSession *session;
  char        *base;
  char        *cookie;
  char        *ua;
  char        *api_key;
  char        *fetch_dest;
  char        *forwarded_proto;
} Client;

typedef struct {
  guint               status;
  char               *body;
  gsize               length;
  SoupMessageHeaders *headers;
  char               *set_cookie;
  GError             *error;
  gint64              elapsed_ms;
} Reply;

typedef struct {
  HesMailcowSim *sim;
  char          *url;
  Client        *client;
} Fixture;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->set_cookie);
  g_clear_error (&reply->error);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Client *
client_new (const char *base, const char *ua)
{
  Client *client = g_new0 (Client, 1);

  client->session = soup_session_new_with_options ("timeout", 10, NULL);
  client->base = g_strdup (base);
  client->ua = g_strdup (ua);
  return client;
}

static void
client_free (Client *client)
{
  g_object_unref (client->session);
  g_free (client->base);
  g_free (client->cookie);
  g_free (client->ua);
  g_free (client->api_key);
  g_free (client->fetch_dest);
  g_free (client->forwarded_proto);
  g_free (client);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

typedef struct {
  GBytes   *bytes;
  GError   *error;
  gboolean  done;
} Pending;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *pending = data;

  pending->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &pending->error);
  pending->done = TRUE;
}

static char *
cookie_value (const char *set_cookie)
{
  const char *start = set_cookie ? strstr (set_cookie, "MCSESSID=") : NULL;
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("MCSESSID=");
  end = strchr (start, ';');
  return end ? g_strndup (start, end - start) : g_strdup (start);
}

static Reply *
fetch (Client *client, const char *method, const char *path, const char *content_type,
       const char *body)
{
  g_autofree char *uri = g_strconcat (client->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GBytes *bytes = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gint64 start = g_get_monotonic_time ();
  Pending pending = { NULL, NULL, FALSE };

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (client->ua)
    soup_message_headers_replace (headers, "User-Agent", client->ua);
  if (client->api_key)
    soup_message_headers_replace (headers, "X-API-Key", client->api_key);
  if (client->forwarded_proto)
    soup_message_headers_replace (headers, "X-Forwarded-Proto", client->forwarded_proto);
  if (client->fetch_dest)
    soup_message_headers_replace (headers, "Sec-Fetch-Dest", client->fetch_dest);
  if (client->cookie)
    {
      g_autofree char *cookie = g_strdup_printf ("MCSESSID=%s", client->cookie);

      soup_message_headers_replace (headers, "Cookie", cookie);
    }
  if (body)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  soup_session_send_and_read_async (client->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                    &pending);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  reply->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  if (pending.error)
    {
      reply->error = pending.error;
      return reply;
    }
  bytes = pending.bytes;
  reply->status = soup_message_get_status (msg);
  reply->body = g_strndup (g_bytes_get_data (bytes, &reply->length), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->set_cookie = g_strdup (soup_message_headers_get_list (reply->headers, "Set-Cookie"));
  if (reply->set_cookie)
    {
      g_free (client->cookie);
      client->cookie = cookie_value (reply->set_cookie);
    }
  return reply;
}

static Reply *
get (Client *client, const char *path)
{
  return fetch (client, "GET", path, NULL, NULL);
}

static Reply *
post_form (Client *client, const char *path, const char *form)
{
  return fetch (client, "POST", path, "application/x-www-form-urlencoded", form);
}

static Reply *
post_json (Client *client, const char *path, const char *json)
{
  return fetch (client, "POST", path, "application/json", json);
}

/* A GET whose answer is not looked at: it opens the session (the cookie) as a browser's first
 * visit does, or empties the answer pile-up before an API write. */
static void
visit (Client *client, const char *path)
{
  reply_free (get (client, path));
}

/* The login form posted to @page, after a first visit that opened the session. */
static Reply *
post_login (Client *client, const char *page, const char *form)
{
  visit (client, page);
  return post_form (client, page, form);
}

static const char *
location (Reply *reply)
{
  return soup_message_headers_get_one (reply->headers, "Location");
}

static void
assert_ok_reply (Reply *reply)
{
  if (reply->error)
    g_error ("request failed: %s", reply->error->message);
}

static JsonNode *
parse (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  assert_ok_reply (reply);
  json_parser_load_from_data (parser, reply->body, reply->length, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Logs in with a form post to @page; returns the status. */
static guint
login (Client *client, const char *page, const char *user, const char *password)
{
  g_autofree char *u = g_uri_escape_string (user, NULL, FALSE);
  g_autofree char *p = g_uri_escape_string (password, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("login_user=%s&pass_user=%s", u, p);
  g_autoptr(Reply) reply = post_login (client, page, form);

  assert_ok_reply (reply);
  return reply->status;
}

/* The page's csrf token from "var csrf_token = '…';". */
static char *
scrape_token (const char *html)
{
  const char *start = strstr (html, "var csrf_token = '");

  if (start == NULL)
    return NULL;
  start += strlen ("var csrf_token = '");
  return g_strndup (start, strchr (start, '\'') - start);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_load_demo (f->sim, NULL);
  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 0);
  /* Put the server's clock in the middle of a TOTP step so codes never straddle two. */
  hes_mailcow_sim_advance_clock (f->sim, 15 - hes_mailcow_sim_get_time (f->sim) % 30);
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  f->url = hes_mailcow_sim_dup_url (f->sim);
  f->client = client_new (f->url, UA);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  client_free (f->client);
  g_free (f->url);
  g_object_unref (f->sim);
}

#define ADMIN "demo-admin"
#define PASSWORD "Demo-2026!"
#define CLAIRE "claire@boulangerie-martin.example"
#define D1 "boulangerie-martin.example"
#define D2 "atelier-durand.example"

/* Login pages. */

static void
test_login_page (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = get (f->client, "/");

  assert_ok_reply (reply);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (strstr (reply->body, "<form method=\"post\""));
  g_assert_null (strstr (reply->body, "action="));
  g_assert_nonnull (strstr (reply->body, "name=\"login_user\""));
  g_assert_nonnull (strstr (reply->body, "name=\"pass_user\""));
  g_assert_nonnull (strstr (reply->body, "').attr('name', 'csrf_token').appendTo('form');"));
  /* Not logged in: no token variable, a cookie for the new session. */
  g_assert_null (strstr (reply->body, "var csrf_token"));
  g_assert_nonnull (reply->set_cookie);
  g_assert_true (g_str_has_prefix (reply->set_cookie, "MCSESSID="));
  g_assert_nonnull (strstr (reply->set_cookie, "; path=/;"));
  g_assert_nonnull (strstr (reply->set_cookie, "HttpOnly; SameSite=Lax"));
  g_assert_null (strstr (reply->set_cookie, "secure"));
  g_assert_null (strstr (reply->set_cookie, "xpires"));

  /* The same session next time: no new cookie. */
  {
    g_autoptr(Reply) again = get (f->client, "/domainadmin/");

    g_assert_cmpuint (again->status, ==, 200);
    g_assert_null (again->set_cookie);
  }
}

static void
test_unslashed_redirect (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = get (f->client, "/domainadmin?sso_token=x");
  g_autoptr(Reply) posted = post_form (f->client, "/domainadmin", "login_user=a&pass_user=b");

  g_assert_cmpuint (reply->status, ==, 301);
  g_assert_cmpstr (location (reply), ==, "/domainadmin/?sso_token=x");
  g_assert_null (reply->set_cookie);
  g_assert_cmpuint (posted->status, ==, 301);
  g_assert_cmpstr (location (posted), ==, "/domainadmin/");
  /* nginx answered: no failed login was counted. */
  g_assert_cmpuint (hes_mailcow_sim_get_failed_logins (f->sim), ==, 0);
}

static void
test_login_user (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL;
  g_autofree char *old_cookie = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) user = NULL;
  g_autoptr(Reply) root = NULL;
  g_autoptr(Reply) stale = NULL;

  visit (f->client, "/");
  before = g_strdup (f->client->cookie);
  reply = post_form (f->client, "/", "login_user=Claire%40Boulangerie-Martin.example&"
                                     "pass_user=Demo-2026%21");
  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_cmpstr (location (reply), ==, "/SOGo/so/");
  /* A new session id; the old one is dead. */
  g_assert_nonnull (reply->set_cookie);
  g_assert_cmpstr (f->client->cookie, !=, before);
  user = get (f->client, "/user");
  g_assert_cmpuint (user->status, ==, 200);
  g_assert_nonnull (strstr (user->body, "var csrf_token = '"));
  root = get (f->client, "/");
  g_assert_cmpuint (root->status, ==, 302);
  g_assert_cmpstr (location (root), ==, "/SOGo/so/");

  old_cookie = g_strdup (f->client->cookie);
  g_free (f->client->cookie);
  f->client->cookie = g_strdup (before);
  stale = get (f->client, "/user");
  g_assert_cmpuint (stale->status, ==, 302);
  g_assert_cmpstr (location (stale), ==, "/");
}

static void
test_login_domain_admin (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  {
    g_autoptr(Reply) again = get (f->client, "/domainadmin/");
    g_autoptr(Reply) mailbox = get (f->client, "/domainadmin/mailbox");

    g_assert_cmpuint (again->status, ==, 302);
    g_assert_cmpstr (location (again), ==, "/domainadmin/mailbox");
    g_assert_cmpuint (mailbox->status, ==, 200);
    g_assert_nonnull (strstr (mailbox->body, "var csrf_token = '"));
  }
}

static void
test_login_failures (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) wrong = post_login (f->client, "/", "login_user=" CLAIRE "&pass_user=nope");
  /* The right password on the wrong role's page looks the same. */
  g_autoptr(Reply) role = post_form (f->client, "/", "login_user=demo-admin&pass_user=Demo-2026%21");
  g_autoptr(Reply) role2 = post_form (f->client, "/domainadmin/",
                                      "login_user=" CLAIRE "&pass_user=Demo-2026%21");

  for (Reply **r = (Reply *[]) { wrong, role, role2, NULL }; *r; r++)
    {
      g_assert_cmpuint ((*r)->status, ==, 200);
      g_assert_nonnull (strstr ((*r)->body, "mailcow_alert_box('Login\\u0020failed', 'danger')"));
      g_assert_null (strstr ((*r)->body, "ConfirmTFAModal"));
      g_assert_null ((*r)->set_cookie);
    }
  g_assert_cmpuint (hes_mailcow_sim_get_failed_logins (f->sim), ==, 3);
}

static void
test_login_delay (Fixture *f, gconstpointer data)
{
  gint64 elapsed[5];

  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 300);
  for (guint i = 0; i < G_N_ELEMENTS (elapsed); i++)
    {
      g_autoptr(Reply) reply = post_form (f->client, "/", "login_user=x%40y.example&pass_user=z");

      g_assert_cmpuint (reply->status, ==, 200);
      elapsed[i] = reply->elapsed_ms;
    }
  /* 0, 0, 1, 1, 2 units. */
  g_assert_cmpint (elapsed[0], <, 250);
  g_assert_cmpint (elapsed[1], <, 250);
  g_assert_cmpint (elapsed[2], >=, 300);
  g_assert_cmpint (elapsed[3], >=, 300);
  g_assert_cmpint (elapsed[4], >=, 600);
  /* A success ends the delay. */
  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
}

/* API reads. */

static void
test_get_without_session (Fixture *f, gconstpointer data)
{
  const char *paths[] = { "/api/v1/get/domain/all", "/api/v1/get/passwordpolicy",
                          "/api/v1/get/nothing-like-this", NULL };

  for (guint i = 0; paths[i]; i++)
    {
      g_autoptr(Reply) reply = get (f->client, paths[i]);

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpuint (reply->length, ==, 0);
      g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                       "application/json");
    }
}

static void
test_get_domains (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *d;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  reply = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (reply->status, ==, 200);
  /* Pretty-printed like PHP. */
  g_assert_true (g_str_has_prefix (reply->body, "[\n    {\n        \""));
  root = parse (reply);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  d = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (d, "domain_name"), ==, D1);
  g_assert_cmpstr (json_object_get_string_member (d, "description"), ==, "Boulangerie Martin");
  g_assert_cmpint (json_object_get_int_member (d, "max_quota_for_domain"), ==, 10240LL * 1048576);
  /* quota_used_in_domain is a string, the rest ints. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (d, "quota_used_in_domain")),
                   ==, G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (d, "quota_used_in_domain"), ==,
                   "6442450944");
  g_assert_cmpint (json_object_get_int_member (d, "mboxes_in_domain"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (d, "max_new_mailbox_quota"), ==, 4096LL * 1048576);
  g_assert_cmpstr (json_object_get_string_member (d, "relayhost"), ==, "0");
  g_assert_false (json_object_get_boolean_member (d, "rl"));
  g_assert_false (json_object_has_member (d, "tags"));
  g_assert_false (json_object_has_member (d, "domain_admins"));

  {
    g_autoptr(Reply) one = get (f->client, "/api/v1/get/domain/" D2);
    g_autoptr(JsonNode) obj = parse (one);
    g_autoptr(Reply) none = get (f->client, "/api/v1/get/domain/other.example");
    g_autoptr(Reply) tags = get (f->client, "/api/v1/get/domain/all?tags=nomatch");

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (obj), "domain_name"),
                     ==, D2);
    g_assert_cmpstr (none->body, ==, "{}");
    g_assert_cmpstr (tags->body, ==, "{}");
  }
}

static void
test_get_dkim (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  g_autofree char *txt = NULL;
  g_autofree guchar *der = NULL;
  gsize der_len;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  reply = get (f->client, "/api/v1/get/dkim/" D1);
  root = parse (reply);
  obj = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (obj, "length"), ==, "2048");
  g_assert_cmpstr (json_object_get_string_member (obj, "dkim_selector"), ==, "dkim");
  g_assert_cmpstr (json_object_get_string_member (obj, "privkey"), ==, "");
  txt = g_strconcat ("v=DKIM1;k=rsa;t=s;s=email;p=", json_object_get_string_member (obj, "pubkey"),
                     NULL);
  g_assert_cmpstr (json_object_get_string_member (obj, "dkim_txt"), ==, txt);
  /* A DER public key of a 2048-bit RSA key is 294 bytes. */
  der = g_base64_decode (json_object_get_string_member (obj, "pubkey"), &der_len);
  g_assert_cmpuint (der_len, ==, 294);
  /* The raw text escapes "/" (if the key has one) and never holds a bare one. */
  g_assert_null (strstr (reply->body, "\":\""));
  for (const char *p = strchr (reply->body, '/'); p; p = strchr (p + 1, '/'))
    g_assert_cmpint (p[-1], ==, '\\');

  {
    g_autoptr(Reply) add = post_json (f->client, "/api/v1/add/dkim",
                                      "{\"domains\":\"" D1 "\",\"dkim_selector\":\"dkim\","
                                      "\"key_size\":2048}");
    g_autoptr(JsonNode) entries = parse (add);
    JsonArray *array = json_node_get_array (entries);
    JsonObject *last = json_array_get_object_element (array, json_array_get_length (array) - 1);
    JsonArray *msg = json_object_get_array_member (last, "msg");

    g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "danger");
    g_assert_cmpstr (json_array_get_string_element (msg, 0), ==, "dkim_domain_or_sel_invalid");
    g_assert_cmpstr (json_array_get_string_element (msg, 1), ==, D1);
  }
}

static void
test_password_policy (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  reply = get (f->client, "/api/v1/get/passwordpolicy");
  g_assert_cmpstr (reply->body, ==,
                   "{\n    \"length\": \"8\",\n    \"chars\": \"0\",\n    \"special_chars\": \"0\",\n"
                   "    \"lowerupper\": \"0\",\n    \"numbers\": \"1\"\n}");
}

static void
test_user_scope (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) domains = NULL;
  g_autoptr(Reply) dkim = NULL;
  g_autoptr(Reply) self = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(JsonNode) obj = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  domains = get (f->client, "/api/v1/get/domain/all");
  dkim = get (f->client, "/api/v1/get/dkim/" D1);
  self = get (f->client, "/api/v1/get/mailbox/" CLAIRE);
  other = get (f->client, "/api/v1/get/mailbox/paul@" D2);
  g_assert_cmpstr (domains->body, ==, "{}");
  g_assert_cmpstr (dkim->body, ==, "{}");
  g_assert_cmpstr (other->body, ==, "{}");
  obj = parse (self);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (obj), "username"), ==,
                   CLAIRE);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (obj), "quota"), ==,
                   2048LL * 1048576);
}

static void
test_get_mailboxes (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) all = NULL;
  g_autoptr(Reply) d2 = NULL;
  g_autoptr(JsonNode) all_root = NULL;
  g_autoptr(JsonNode) d2_root = NULL;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  all = get (f->client, "/api/v1/get/mailbox/all");
  d2 = get (f->client, "/api/v1/get/mailbox/all/" D2);
  all_root = parse (all);
  d2_root = parse (d2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (all_root)), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (d2_root)), ==, 3);
}


/* The last entry of a write answer, checked against type and msg key. */
static JsonObject *
last_entry (JsonNode *root)
{
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  return json_array_get_object_element (array, json_array_get_length (array) - 1);
}

static const char *
entry_key (JsonObject *entry)
{
  JsonNode *msg = json_object_get_member (entry, "msg");

  if (JSON_NODE_HOLDS_ARRAY (msg))
    return json_array_get_string_element (json_node_get_array (msg), 0);
  return json_node_get_string (msg);
}

static void
assert_last (Reply *reply, const char *type, const char *key)
{
  g_autoptr(JsonNode) root = parse (reply);
  JsonObject *entry = last_entry (root);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, type);
  g_assert_cmpstr (entry_key (entry), ==, key);
}

static guint
pile_length (Reply *reply)
{
  g_autoptr(JsonNode) root = parse (reply);

  return JSON_NODE_HOLDS_ARRAY (root) ? json_array_get_length (json_node_get_array (root)) : 0;
}

/* TOTP and the second factor. */

static void
test_totp_vectors (void)
{
  /* RFC 6238 appendix B (SHA1), last six digits; the secret is "12345678901234567890". */
  static const struct { gint64 t; const char *code; } vectors[] = {
    { 59, "287082" }, { 1111111109, "081804" }, { 1111111111, "050471" },
    { 1234567890, "005924" }, { 2000000000, "279037" }, { 20000000000, "353130" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *code = hes_mailcow_sim_totp_code ("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                                                         vectors[i].t);

      g_assert_cmpstr (code, ==, vectors[i].code);
    }
}

#define SECURE "secure@boulangerie-martin.example"
#define SECRET "JBSWY3DPEHPK3PXP"

static char *
tfa_form (HesMailcowSim *sim, gint64 offset, const char *id)
{
  g_autofree char *code = hes_mailcow_sim_totp_code (SECRET, hes_mailcow_sim_get_time (sim) + offset);

  if (id)
    return g_strdup_printf ("verify_tfa_login=1&tfa_method=totp&token=%s&id=%s", code, id);
  return g_strdup_printf ("verify_tfa_login=1&tfa_method=totp&token=%s", code);
}

/* Logs in up to the second factor; returns the tfa row id scraped from the page. */
static char *
login_pending (Fixture *f)
{
  g_autoptr(Reply) reply = post_login (f->client, "/", "login_user=" SECURE "&pass_user=Demo-2026%21");
  const char *item, *value;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (strstr (reply->body, "ConfirmTFAModal"));
  g_assert_nonnull (strstr (reply->body, "id=\"pending_tfa_tab_totp\""));
  item = strstr (reply->body, "class=\"list-group-item totp-authenticator-selection\"");
  g_assert_nonnull (item);
  g_assert_nonnull (strstr (item, "<span>Phone</span>"));
  value = strstr (item, "<input type=\"hidden\" value=\"");
  g_assert_nonnull (value);
  value += strlen ("<input type=\"hidden\" value=\"");
  return g_strndup (value, strchr (value, '"') - value);
}

static void
test_tfa_pending (Fixture *f, gconstpointer data)
{
  g_autofree char *id = login_pending (f);
  g_autoptr(Reply) add = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D1 "\"}");
  g_autoptr(Reply) edit = post_json (f->client, "/api/v1/edit/self", "{\"items\":[],\"attr\":{}}");
  g_autoptr(Reply) del = post_json (f->client, "/api/v1/delete/syncjob", "[1]");
  g_autoptr(Reply) read = get (f->client, "/api/v1/get/mailbox/" SECURE);
  g_autoptr(Reply) user = get (f->client, "/user");

  g_assert_cmpstr (id, ==, "1");
  for (Reply **r = (Reply *[]) { add, edit, del, NULL }; *r; r++)
    {
      g_assert_cmpuint ((*r)->status, ==, 403);
      g_assert_cmpstr ((*r)->body, ==, "{\"type\":\"error\",\"msg\":\"API read/write access denied\"}");
    }
  g_assert_cmpuint (read->status, ==, 200);
  g_assert_cmpuint (read->length, ==, 0);
  g_assert_cmpuint (user->status, ==, 302);
  g_assert_cmpstr (location (user), ==, "/");
}

static void
test_tfa_success (Fixture *f, gconstpointer data)
{
  g_autofree char *id = login_pending (f);
  g_autofree char *before = g_strdup (f->client->cookie);
  /* The previous step still passes. */
  g_autofree char *form = tfa_form (f->sim, -30, id);
  g_autoptr(Reply) reply = post_form (f->client, "/", form);
  g_autoptr(Reply) user = NULL;

  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_cmpstr (location (reply), ==, "/SOGo/so/");
  g_assert_cmpstr (f->client->cookie, !=, before);
  user = get (f->client, "/user");
  g_assert_cmpuint (user->status, ==, 200);
}

static void
test_tfa_failures (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;

  /* Two steps back fails and clears the pending state: a good code next does not log in. */
  {
    g_autofree char *old = NULL;
    g_autofree char *good = NULL;
    g_autoptr(Reply) failed = NULL;
    g_autoptr(Reply) after = NULL;

    id = login_pending (f);
    old = tfa_form (f->sim, -60, id);
    good = tfa_form (f->sim, 0, id);
    failed = post_form (f->client, "/", old);
    g_assert_cmpuint (failed->status, ==, 200);
    g_assert_nonnull (strstr (failed->body, "TOTP\\u0020verification\\u0020failed"));
    g_assert_null (strstr (failed->body, "ConfirmTFAModal"));
    after = post_form (f->client, "/", good);
    g_assert_cmpuint (after->status, ==, 200);
  }
  /* The id is required. */
  {
    g_autofree char *no_id = NULL;
    g_autoptr(Reply) failed = NULL;

    g_free (login_pending (f));
    no_id = tfa_form (f->sim, 0, NULL);
    failed = post_form (f->client, "/", no_id);
    g_assert_cmpuint (failed->status, ==, 200);
    g_assert_nonnull (strstr (failed->body, "TOTP\\u0020verification\\u0020failed"));
  }
  /* Cancelling goes back to the start. */
  {
    g_autofree char *pending = login_pending (f);
    g_autofree char *good = tfa_form (f->sim, 0, pending);
    g_autoptr(Reply) cancel = get (f->client, "/?cancel_tfa_login");
    g_autoptr(Reply) after = post_form (f->client, "/", good);

    g_assert_cmpuint (cancel->status, ==, 302);
    g_assert_cmpstr (location (cancel), ==, "/");
    g_assert_cmpuint (after->status, ==, 200);
  }
  /* The role of the page does not matter for the second step. */
  {
    g_autofree char *pending = login_pending (f);
    g_autofree char *good = tfa_form (f->sim, 0, pending);
    g_autoptr(Reply) ok = post_form (f->client, "/domainadmin/", good);

    g_assert_cmpuint (ok->status, ==, 302);
    g_assert_cmpstr (location (ok), ==, "/SOGo/so/");
  }
}

/* Forced password change and edit/self. */

static void
test_forced_password_change (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) weak = NULL;
  g_autoptr(Reply) changed = NULL;
  g_autoptr(Reply) home = NULL;
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;

  g_assert_cmpuint (login (f->client, "/", "nouveau@atelier-durand.example", "Bienvenue-1"), ==, 302);
  page = get (f->client, "/");
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "getElementById(\"ChangePWModal\")"));
  g_assert_nonnull (strstr (page->body, "/api/v1/edit/self"));
  token = scrape_token (page->body);
  g_assert_cmpuint (strlen (token), ==, 64);

  /* No old password needed while the change is forced; the policy still applies. */
  weak = post_json (f->client, "/api/v1/edit/self",
                    "{\"items\":null,\"attr\":{\"user_new_pass\":\"short\",\"user_new_pass2\":\"short\"}}");
  assert_last (weak, "danger", "password_complexity");
  form = g_strdup_printf ("attr=%%7B%%22user_new_pass%%22%%3A%%22Nouveau-2026%%22%%2C"
                          "%%22user_new_pass2%%22%%3A%%22Nouveau-2026%%22%%7D&items=null&"
                          "csrf_token=%s", token);
  changed = post_form (f->client, "/api/v1/edit/self", form);
  assert_last (changed, "success", "mailbox_modified");
  g_assert_true (hes_mailcow_sim_check_password (f->sim, "nouveau@atelier-durand.example",
                                                 "Nouveau-2026"));
  home = get (f->client, "/");
  g_assert_cmpuint (home->status, ==, 302);
  g_assert_cmpstr (location (home), ==, "/SOGo/so/");
}

static void
test_forced_password_admin (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = NULL;

  hes_mailcow_sim_set_force_password_update (f->sim, ADMIN, TRUE);
  reply = post_login (f->client, "/domainadmin/", "login_user=demo-admin&pass_user=Demo-2026%21");
  g_assert_cmpuint (reply->status, ==, 302);
  g_assert_cmpstr (location (reply), ==, "/domainadmin");
  {
    g_autoptr(Reply) page = get (f->client, "/domainadmin/");

    g_assert_cmpuint (page->status, ==, 200);
    g_assert_nonnull (strstr (page->body, "ChangePWModal"));
    g_assert_nonnull (strstr (page->body, "var csrf_token = '"));
  }
}

static void
test_edit_self (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) no_old = NULL;
  g_autoptr(Reply) mismatch = NULL;
  g_autoptr(Reply) ok = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  no_old = post_json (f->client, "/api/v1/edit/self",
                      "{\"attr\":{\"user_new_pass\":\"Autre-2026\",\"user_new_pass2\":\"Autre-2026\"}}");
  assert_last (no_old, "danger", "access_denied");
  mismatch = post_json (f->client, "/api/v1/edit/self",
                        "{\"attr\":{\"user_old_pass\":\"Demo-2026!\",\"user_new_pass\":\"Autre-2026\","
                        "\"user_new_pass2\":\"Autre-2027\"}}");
  assert_last (mismatch, "danger", "password_mismatch");
  ok = post_json (f->client, "/api/v1/edit/self",
                  "{\"attr\":{\"user_old_pass\":\"Demo-2026!\",\"user_new_pass\":\"Autre-2026\","
                  "\"user_new_pass2\":\"Autre-2026\"}}");
  assert_last (ok, "success", "mailbox_modified");
  /* Passwords are masked in the log echo. */
  g_assert_null (strstr (ok->body, "Autre-2026"));
  g_assert_true (hes_mailcow_sim_check_password (f->sim, CLAIRE, "Autre-2026"));
}

/* Sessions: User-Agent, CSRF, logout. */

static void
test_user_agent_tie (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) form_post = NULL;
  g_autoptr(Reply) json_post = NULL;
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  page = get (f->client, "/domainadmin/mailbox");
  token = scrape_token (page->body);
  g_free (f->client->ua);
  f->client->ua = g_strdup (OTHER_UA);

  /* A form post with a valid token is dropped. */
  form = g_strdup_printf ("attr=%%7B%%22domains%%22%%3A%%22" D2 "%%22%%7D&csrf_token=%s", token);
  hes_mailcow_sim_add_domain (f->sim, "third.example", "Third", FALSE);
  form_post = post_form (f->client, "/api/v1/add/dkim", form);
  g_assert_cmpuint (form_post->status, ==, 200);
  g_assert_cmpstr (form_post->body, ==,
                   "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}");

  /* A JSON call is executed, with the warning queued. */
  json_post = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D2 "\"}");
  {
    g_autoptr(JsonNode) root = parse (json_post);
    JsonArray *array = json_node_get_array (root);
    gboolean warned = FALSE;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *entry = json_array_get_object_element (array, i);

        if (g_strcmp0 (entry_key (entry), "session_ua") == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, "warning");
            g_assert_false (json_object_has_member (entry, "log"));
            warned = TRUE;
          }
      }
    g_assert_true (warned);
    g_assert_cmpstr (entry_key (last_entry (root)), ==, "dkim_domain_or_sel_invalid");
  }
}

static void
test_csrf (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) replay = NULL;
  g_autoptr(Reply) page2 = NULL;
  g_autoptr(Reply) no_token = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *form = NULL;

  hes_mailcow_sim_add_domain (f->sim, "third.example", "Third", FALSE);
  {
    const char * const domains[] = { "third.example", NULL };

    hes_mailcow_sim_add_domain_admin (f->sim, "third-admin", PASSWORD, domains);
  }
  g_assert_cmpuint (login (f->client, "/domainadmin/", "third-admin", PASSWORD), ==, 302);
  page = get (f->client, "/domainadmin/mailbox");
  token = scrape_token (page->body);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 64);
  form = g_strdup_printf ("attr=%%7B%%22domains%%22%%3A%%22third.example%%22%%7D&csrf_token=%s",
                          token);
  first = post_form (f->client, "/api/v1/add/dkim", form);
  assert_last (first, "success", "dkim_added");
  /* The token changed: the same post is dropped now. */
  replay = post_form (f->client, "/api/v1/add/dkim", form);
  g_assert_cmpstr (replay->body, ==,
                   "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}");
  page2 = get (f->client, "/domainadmin/mailbox");
  token2 = scrape_token (page2->body);
  g_assert_cmpstr (token2, !=, token);
  g_assert_nonnull (strstr (page2->body, "Form\\u0020token\\u0020invalid\\u003A\\u0020Token\\u0020mismatch"));
  no_token = post_form (f->client, "/api/v1/add/dkim", "attr=%7B%7D");
  g_assert_cmpstr (no_token->body, ==,
                   "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}");
}

static void
test_logout (Fixture *f, gconstpointer data)
{
  g_autofree char *cookie = NULL;
  g_autoptr(Reply) out = NULL;
  g_autoptr(Reply) after = NULL;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  cookie = g_strdup (f->client->cookie);
  out = post_form (f->client, "/domainadmin/mailbox", "logout=1");
  g_assert_cmpuint (out->status, ==, 302);
  g_assert_cmpstr (location (out), ==, "/");
  g_free (f->client->cookie);
  f->client->cookie = g_strdup (cookie);
  after = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (after->length, ==, 0);
  g_assert_nonnull (after->set_cookie);
}

/* Answer shapes. */

static void
test_pile_up (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) user = NULL;
  g_autoptr(Reply) third = NULL;
  g_autoptr(Reply) flush = NULL;
  g_autoptr(Reply) fourth = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *login_entry;
  JsonArray *log;

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  first = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D1 "\"}");
  /* Compact JSON, the login first. */
  g_assert_true (g_str_has_prefix (first->body, "[{\"type\":\"success\",\"log\":[\"domainadmin_login\""));
  g_assert_cmpstr (soup_message_headers_get_content_type (first->headers, NULL), ==, "application/json");
  root = parse (first);
  login_entry = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (entry_key (login_entry), ==, "logged_in_as");
  log = json_object_get_array_member (login_entry, "log");
  g_assert_cmpstr (json_array_get_string_element (log, 1), ==, ADMIN);
  g_assert_cmpstr (json_array_get_string_element (log, 2), ==, "*");
  g_assert_cmpuint (pile_length (first), ==, 2);
  second = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D2 "\"}");
  g_assert_cmpuint (pile_length (second), ==, 3);
  /* A domain admin's /user is a redirect and flushes nothing, nor does the user login page. */
  user = get (f->client, "/user");
  g_assert_cmpuint (user->status, ==, 302);
  {
    g_autoptr(Reply) index = get (f->client, "/");

    g_assert_cmpuint (index->status, ==, 302);
    g_assert_cmpstr (location (index), ==, "/domainadmin/mailbox");
  }
  third = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D2 "\"}");
  g_assert_cmpuint (pile_length (third), ==, 4);
  flush = get (f->client, "/domainadmin/user");
  g_assert_cmpuint (flush->status, ==, 200);
  g_assert_nonnull (strstr (flush->body, "mailcow_alert_box('Logged\\u0020in\\u0020as\\u0020demo\\u002Dadmin', 'success')"));
  fourth = post_json (f->client, "/api/v1/add/dkim", "{\"domains\":\"" D2 "\"}");
  g_assert_cmpuint (pile_length (fourth), ==, 1);
}

static void
test_status_codes (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) edit_anon = post_json (f->client, "/api/v1/edit/syncjob", "{\"items\":[1],\"attr\":{}}");
  g_autoptr(Reply) add_anon = post_json (f->client, "/api/v1/add/syncjob", "{\"username\":\"x\"}");
  g_autoptr(Reply) bad_json = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) post_get = NULL;
  g_autoptr(Reply) bare_add = NULL;
  g_autoptr(Reply) nothing = NULL;
  g_autoptr(Reply) key = NULL;
  g_autoptr(Reply) browser = NULL;

  g_assert_cmpuint (edit_anon->status, ==, 403);
  g_assert_cmpuint (add_anon->status, ==, 200);
  assert_last (add_anon, "danger", "access_denied");

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  bad_json = post_json (f->client, "/api/v1/add/mailbox", "{not json");
  g_assert_cmpuint (bad_json->status, ==, 400);
  g_assert_cmpstr (bad_json->body, ==,
                   "{\"type\":\"error\",\"msg\":\"Request body doesn't contain valid json!\"}");
  unknown = get (f->client, "/api/v1/get/unknown-thing");
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (unknown->body, ==, "{\"type\":\"error\",\"msg\":\"route not found\"}");
  post_get = post_json (f->client, "/api/v1/get/domain/all", "{}");
  g_assert_cmpuint (post_get->status, ==, 405);
  g_assert_cmpstr (post_get->body, ==, "{\"type\":\"error\",\"msg\":\"only GET method is allowed\"}");
  bare_add = get (f->client, "/api/v1/add/mailbox");
  g_assert_cmpuint (bare_add->status, ==, 200);
  g_assert_cmpstr (bare_add->body, ==,
                   "{\"type\":\"error\",\"msg\":\"Cannot find attributes in post data\"}");
  nothing = get (f->client, "/no/such/page");
  g_assert_cmpuint (nothing->status, ==, 404);
  g_assert_nonnull (strstr (nothing->body, "nginx"));

  /* An invalid key wins over a valid session. */
  f->client->api_key = g_strdup ("nope");
  key = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (key->status, ==, 401);
  g_assert_cmpstr (key->body, ==, "{\"type\":\"error\",\"msg\":\"authentication failed\"}");
  g_clear_pointer (&f->client->api_key, g_free);
  /* A browser's fetch destination other than "empty". */
  f->client->fetch_dest = g_strdup ("document");
  browser = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (browser->status, ==, 403);
  g_assert_cmpuint (browser->length, ==, 0);
}

/* add/mailbox */

static Reply *
add_mailbox (Client *client, const char *local, const char *domain, const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"local_part\":\"%s\",\"domain\":\"%s\","
                                           "\"password\":\"Boite-2026\",\"password2\":\"Boite-2026\""
                                           "%s%s}", local, domain, extra ? "," : "", extra ? extra : "");

  return post_json (client, "/api/v1/add/mailbox", body);
}

static void
test_add_mailbox (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  visit (f->client, "/domainadmin/mailbox");
  {
    g_autoptr(Reply) ok = add_mailbox (f->client, "marie", D1, "\"name\":\"Marie\",\"quota\":\"1024\"");
    g_autoptr(JsonNode) root = parse (ok);
    JsonArray *array = json_node_get_array (root);

    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    g_assert_cmpstr (entry_key (json_array_get_object_element (array, 0)), ==, "rl_saved");
    g_assert_cmpstr (entry_key (json_array_get_object_element (array, 1)), ==, "mailbox_added");
    g_assert_null (strstr (ok->body, "Boite-2026"));
    g_assert_true (hes_mailcow_sim_check_password (f->sim, "marie@" D1, "Boite-2026"));
  }
  visit (f->client, "/domainadmin/mailbox");
  {
    g_autoptr(Reply) again = add_mailbox (f->client, "marie", D1, "\"quota\":1024");
    g_autoptr(Reply) no_quota = add_mailbox (f->client, "jean", D1, NULL);
    g_autoptr(Reply) big = add_mailbox (f->client, "jean", D1, "\"quota\":5000");
    g_autoptr(Reply) foreign = add_mailbox (f->client, "jean", "nowhere.example", "\"quota\":10");
    g_autoptr(Reply) invalid = add_mailbox (f->client, "", D1, "\"quota\":10");
    g_autoptr(Reply) weak = post_json (f->client, "/api/v1/add/mailbox",
                                       "{\"local_part\":\"jean\",\"domain\":\"" D1 "\","
                                       "\"password\":\"abcdefgh\",\"password2\":\"abcdefgh\",\"quota\":10}");
    g_autoptr(Reply) mismatch = post_json (f->client, "/api/v1/add/mailbox",
                                           "{\"local_part\":\"jean\",\"domain\":\"" D1 "\","
                                           "\"password\":\"abcdefg1\",\"password2\":\"abcdefg2\",\"quota\":10}");
    g_autoptr(Reply) missing2 = post_json (f->client, "/api/v1/add/mailbox",
                                           "{\"local_part\":\"jean\",\"domain\":\"" D1 "\","
                                           "\"password\":\"abcdefg1\",\"quota\":10}");

    assert_last (again, "danger", "object_exists");
    assert_last (no_quota, "danger", "unlimited_quota_acl");
    assert_last (big, "danger", "mailbox_quota_exceeded");
    assert_last (foreign, "danger", "access_denied");
    assert_last (invalid, "danger", "mailbox_invalid");
    assert_last (weak, "danger", "password_complexity");
    assert_last (mismatch, "danger", "password_mismatch");
    assert_last (missing2, "danger", "password_complexity");
  }
  /* Limits: 5 mailboxes and 5 GiB in atelier-durand (3 mailboxes, 4 GiB given out). */
  visit (f->client, "/domainadmin/mailbox");
  {
    g_autoptr(Reply) left = add_mailbox (f->client, "a", D2, "\"quota\":2000");
    g_autoptr(Reply) ok = add_mailbox (f->client, "a", D2, "\"quota\":512");
    g_autoptr(Reply) ok2 = add_mailbox (f->client, "b", D2, "\"quota\":100");
    g_autoptr(Reply) full = add_mailbox (f->client, "c", D2, "\"quota\":100");
    g_autoptr(JsonNode) root = parse (full);
    JsonArray *msg = json_object_get_array_member (last_entry (root), "msg");
    g_autoptr(JsonNode) left_root = parse (left);
    JsonArray *left_msg = json_object_get_array_member (last_entry (left_root), "msg");

    g_assert_cmpstr (json_array_get_string_element (left_msg, 0), ==, "mailbox_quota_left_exceeded");
    g_assert_cmpstr (json_array_get_string_element (left_msg, 1), ==, "1024");
    assert_last (ok, "success", "mailbox_added");
    assert_last (ok2, "success", "mailbox_added");
    g_assert_cmpstr (json_array_get_string_element (msg, 0), ==, "max_mailbox_exceeded");
    g_assert_cmpint (json_array_get_int_element (msg, 1), ==, 5);
    g_assert_cmpint (json_array_get_int_element (msg, 2), ==, 5);
  }
}

static void
test_add_mailbox_as_user (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) empty = NULL;
  g_autoptr(Reply) next = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  empty = add_mailbox (f->client, "x", D1, "\"quota\":10");
  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpuint (empty->length, ==, 0);
  g_assert_false (hes_mailcow_sim_check_password (f->sim, "x@" D1, "Boite-2026"));
  /* The error shows up in the next answer. */
  next = post_json (f->client, "/api/v1/edit/self", "{\"attr\":{}}");
  {
    g_autoptr(JsonNode) root = parse (next);
    JsonArray *array = json_node_get_array (root);

    g_assert_cmpstr (entry_key (json_array_get_object_element (array, json_array_get_length (array) - 2)),
                     ==, "An unknown error occured. Please contact your administrator.");
  }
}


/* Sync jobs. */

#define JOB_FLAGS "\"delete2duplicates\":1,\"delete1\":0,\"delete2\":0,\"automap\":1," \
  "\"skipcrossduplicates\":0,\"subscribeall\":1,\"active\":1"

static Reply *
add_job (Client *client, const char *host, const char *user1, const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"host1\":\"%s\",\"port1\":993,\"user1\":\"%s\","
                                           "\"password1\":\"S3cret-source\",\"enc1\":\"SSL\","
                                           "\"mins_interval\":20,\"subfolder2\":\"\","
                                           "\"exclude\":\"(?i)spam|(?i)junk\",\"maxage\":0,"
                                           "\"maxbytespersecond\":0,\"timeout1\":600,"
                                           "\"timeout2\":600,\"custom_params\":\"\",\"dry\":0,"
                                           JOB_FLAGS "%s%s}",
                                           host, user1, extra ? "," : "", extra ? extra : "");

  return post_json (client, "/api/v1/add/syncjob", body);
}

static JsonArray *
list_jobs (Client *client, const char *mailbox, gboolean no_log, JsonNode **out_root)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/get/syncjobs/%s%s", mailbox,
                                           no_log ? "/no_log" : "");
  g_autoptr(Reply) reply = get (client, path);

  *out_root = parse (reply);
  if (JSON_NODE_HOLDS_OBJECT (*out_root))
    return NULL;
  return json_node_get_array (*out_root);
}

static void
flush_user (Client *client)
{
  g_autoptr(Reply) page = get (client, "/user");

  g_assert_cmpuint (page->status, ==, 200);
}

static void
test_syncjob_add (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) added = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;
  JsonObject *job;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  flush_user (f->client);
  added = add_job (f->client, "IMAP.Ancien.example", "claire@ancien.example", NULL);
  assert_last (added, "success", "mailbox_modified");
  {
    g_autoptr(JsonNode) answer = parse (added);
    JsonArray *msg = json_object_get_array_member (last_entry (answer), "msg");
    JsonArray *log = json_object_get_array_member (last_entry (answer), "log");

    /* No id: the target mailbox, like an edit. */
    g_assert_cmpstr (json_array_get_string_element (msg, 1), ==, CLAIRE);
    g_assert_cmpuint (json_array_get_length (msg), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (log, 2), ==, "syncjob");
    /* The trap: the source password is echoed in plain text. */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (log, 3),
                                                    "password1"), ==, "S3cret-source");
  }
  jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
  g_assert_nonnull (jobs);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  job = json_array_get_object_element (jobs, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "host1"), ==, "imap.ancien.example");
  g_assert_cmpstr (json_object_get_string_member (job, "user2"), ==, CLAIRE);
  g_assert_cmpstr (json_object_get_string_member (job, "authmech1"), ==, "PLAIN");
  g_assert_cmpstr (json_object_get_string_member (job, "maxbytespersecond"), ==, "0");
  g_assert_cmpint (json_object_get_int_member (job, "mins_interval"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (job, "active"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (job, "is_running"), ==, 0);
  g_assert_true (json_object_get_null_member (job, "last_run"));
  g_assert_true (json_object_get_null_member (job, "success"));
  g_assert_true (json_object_get_null_member (job, "exit_status"));
  g_assert_true (json_object_get_null_member (job, "modified"));
  g_assert_cmpstr (json_object_get_string_member (job, "log"), ==, "");
  g_assert_false (json_object_has_member (job, "password1"));
  {
    g_autofree char *text = json_to_string (root, FALSE);

    g_assert_null (strstr (text, "S3cret-source"));
  }

  /* Duplicates: (target, user1, host1), host1 compared lower-cased. */
  {
    g_autoptr(Reply) dup = add_job (f->client, "imap.ANCIEN.example", "claire@ancien.example", NULL);
    g_autoptr(JsonNode) answer = parse (dup);
    JsonArray *msg = json_object_get_array_member (last_entry (answer), "msg");

    g_assert_cmpstr (json_array_get_string_element (msg, 0), ==, "object_exists");
    g_assert_cmpstr (json_array_get_string_element (msg, 1), ==,
                     "imap.ancien.example / claire@ancien.example");
  }
  /* Bounds and case. */
  {
    g_autoptr(Reply) tls = add_job (f->client, "h2.example", "u", "\"enc1\":\"tls\"");
    g_autoptr(Reply) zero = add_job (f->client, "h2.example", "u", "\"mins_interval\":0");
    g_autoptr(Reply) high = add_job (f->client, "h2.example", "u", "\"mins_interval\":43801");
    g_autoptr(Reply) port = add_job (f->client, "h2.example", "u", "\"port1\":70000");
    g_autoptr(Reply) regex = add_job (f->client, "h2.example", "u", "\"exclude\":\"(unclosed\"");
    g_autoptr(Reply) option = add_job (f->client, "h2.example", "u", "\"custom_params\":\"--maxage=30\"");
    g_autoptr(Reply) dash = add_job (f->client, "h2.example", "u", "\"custom_params\":\"--folder=a-b\"");
    g_autoptr(Reply) string = add_job (f->client, "h2.example", "u", "\"mins_interval\":\"43800\"");

    assert_last (tls, "danger", "access_denied");
    assert_last (zero, "danger", "access_denied");
    assert_last (high, "danger", "access_denied");
    assert_last (port, "danger", "access_denied");
    assert_last (regex, "danger", "access_denied");
    assert_last (option, "danger", "bad option maxage");
    assert_last (dash, "danger", "bad option b");
    assert_last (string, "success", "mailbox_modified");
  }
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 2);
}

static void
test_syncjob_traps (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) no_exclude = NULL;
  g_autoptr(Reply) no_flags = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  flush_user (f->client);
  /* Without exclude: an empty 200, no job, the error in the next answer. */
  no_exclude = post_json (f->client, "/api/v1/add/syncjob",
                          "{\"host1\":\"h.example\",\"port1\":993,\"user1\":\"u\",\"password1\":\"p\","
                          "\"enc1\":\"SSL\",\"mins_interval\":20," JOB_FLAGS "}");
  g_assert_cmpuint (no_exclude->status, ==, 200);
  g_assert_cmpuint (no_exclude->length, ==, 0);
  g_assert_cmpuint (hes_mailcow_sim_get_syncjob_count (f->sim), ==, 0);
  /* A missing flag becomes 0: this job is inactive and does not subscribe. */
  no_flags = post_json (f->client, "/api/v1/add/syncjob",
                        "{\"host1\":\"h.example\",\"port1\":993,\"user1\":\"u\",\"password1\":\"p\","
                        "\"enc1\":\"SSL\",\"mins_interval\":20,\"exclude\":\"\"}");
  {
    g_autoptr(JsonNode) answer = parse (no_flags);
    JsonArray *array = json_node_get_array (answer);
    JsonObject *error = json_array_get_object_element (array, json_array_get_length (array) - 2);
    JsonArray *msg = json_object_get_array_member (error, "msg");

    g_assert_cmpstr (json_array_get_string_element (msg, 0), ==, "mysql_error");
    g_assert_nonnull (strstr (json_array_get_string_element (msg, 1), "Column 'exclude' cannot be null"));
    assert_last (no_flags, "success", "mailbox_modified");
  }
  jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (jobs, 0), "active"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (jobs, 0), "subscribeall"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (jobs, 0), "timeout1"), ==, 600);
  g_clear_pointer (&root, json_node_unref);

  /* Edit: empty values keep the old ones; items may be a single id. */
  {
    g_autoptr(Reply) edit = post_json (f->client, "/api/v1/edit/syncjob",
                                       "{\"items\":1,\"attr\":{\"mins_interval\":0,\"host1\":\"\","
                                       "\"password1\":\"\",\"active\":1}}");
    g_autoptr(Reply) edit_str = post_json (f->client, "/api/v1/edit/syncjob",
                                           "{\"items\":\"1\",\"attr\":{\"mins_interval\":\"45\"}}");
    g_autoptr(Reply) bad = post_json (f->client, "/api/v1/edit/syncjob",
                                      "{\"items\":[1],\"attr\":{\"host1\":\"bad host!\"}}");
    g_autoptr(Reply) unknown = post_json (f->client, "/api/v1/edit/syncjob",
                                          "{\"items\":[99],\"attr\":{\"active\":1}}");
    JsonObject *job;

    assert_last (edit, "success", "mailbox_modified");
    assert_last (edit_str, "success", "mailbox_modified");
    assert_last (bad, "danger", "access_denied");
    assert_last (unknown, "danger", "access_denied");
    jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
    job = json_array_get_object_element (jobs, 0);
    g_assert_cmpint (json_object_get_int_member (job, "mins_interval"), ==, 45);
    g_assert_cmpstr (json_object_get_string_member (job, "host1"), ==, "h.example");
    g_assert_cmpint (json_object_get_int_member (job, "active"), ==, 1);
    g_assert_false (json_object_get_null_member (job, "modified"));
    g_assert_cmpstr (hes_mailcow_sim_peek_syncjob_password (f->sim, 1), ==, "p");
  }
  /* Delete. */
  {
    g_autoptr(Reply) unknown = post_json (f->client, "/api/v1/delete/syncjob", "[42]");
    g_autoptr(Reply) gone = post_json (f->client, "/api/v1/delete/syncjob", "[1]");
    g_autoptr(Reply) empty = get (f->client, "/api/v1/get/syncjobs/" CLAIRE);
    g_autoptr(JsonNode) answer = parse (gone);
    JsonArray *msg;

    assert_last (unknown, "danger", "access_denied");
    msg = json_object_get_array_member (last_entry (answer), "msg");
    g_assert_cmpstr (json_array_get_string_element (msg, 0), ==, "deleted_syncjob");
    g_assert_cmpint (json_array_get_int_element (msg, 1), ==, 1);
    g_assert_cmpstr (empty->body, ==, "{}");
  }
}

static void
test_syncjob_acl (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) devis = client_new (f->url, UA);
  g_autoptr(Client) paul = client_new (f->url, UA);

  /* No syncjobs ACL: writes refused, reading allowed. */
  g_assert_cmpuint (login (devis, "/", "devis@" D2, PASSWORD), ==, 302);
  {
    g_autoptr(Reply) denied = add_job (devis, "h.example", "u", NULL);
    g_autoptr(Reply) list = get (devis, "/api/v1/get/syncjobs/devis@" D2);
    g_autoptr(Reply) all = get (devis, "/api/v1/get/syncjobs/all");

    assert_last (denied, "danger", "access_denied");
    g_assert_cmpstr (list->body, ==, "{}");
    g_assert_cmpstr (all->body, ==, "{}");
  }
  /* A domain admin names the target, or gets no_user_defined. */
  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  {
    g_autoptr(Reply) nobody = add_job (f->client, "h.example", "u", NULL);
    g_autoptr(Reply) for_paul = add_job (f->client, "h.example", "u", "\"username\":\"paul@" D2 "\"");
    g_autoptr(Reply) for_devis = add_job (f->client, "h.example", "u", "\"username\":\"devis@" D2 "\"");
    g_autoptr(Reply) outside = add_job (f->client, "h.example", "u", "\"username\":\"x@elsewhere.example\"");
    g_autoptr(JsonNode) root = NULL;
    JsonArray *jobs;

    assert_last (nobody, "danger", "no_user_defined");
    assert_last (for_paul, "success", "mailbox_modified");
    assert_last (for_devis, "success", "mailbox_modified");
    assert_last (outside, "danger", "access_denied");
    jobs = list_jobs (f->client, "all", TRUE, &root);
    g_assert_cmpuint (json_array_get_length (jobs), ==, 2);
  }
  /* Paul sees his own job only; edit/user-acl opens sync jobs to devis at once. */
  g_assert_cmpuint (login (paul, "/", "paul@" D2, PASSWORD), ==, 302);
  {
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(Reply) foreign = get (paul, "/api/v1/get/syncjobs/devis@" D2);
    g_autoptr(Reply) acl = post_json (f->client, "/api/v1/edit/user-acl",
                                      "{\"items\":[\"devis@" D2 "\"],\"attr\":{\"user_acl\":[\"syncjobs\"]}}");
    g_autoptr(Reply) allowed = add_job (devis, "h3.example", "u", NULL);

    g_assert_cmpuint (json_array_get_length (list_jobs (paul, "paul@" D2, FALSE, &root)), ==, 1);
    g_assert_cmpstr (foreign->body, ==, "{}");
    assert_last (acl, "success", "acl_saved");
    assert_last (allowed, "success", "mailbox_modified");
  }
}

static JsonObject *
job_by_host (JsonArray *jobs, const char *host)
{
  for (guint i = 0; i < json_array_get_length (jobs); i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);

      if (g_strcmp0 (json_object_get_string_member (job, "host1"), host) == 0)
        return job;
    }
  g_assert_not_reached ();
}

static void
test_runner (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;
  JsonObject *job;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 0);
  hes_mailcow_sim_set_syncjob_host_outcome (f->sim, "imap.bad.example",
                                            "EXIT_AUTHENTICATION_FAILURE_USER1");
  {
    reply_free (add_job (f->client, "imap.good.example", "u", NULL));
    reply_free (add_job (f->client, "imap.bad.example", "u", NULL));
    reply_free (add_job (f->client, "imap.dry.example", "u", "\"dry\":1"));
    reply_free (add_job (f->client, "imap.off.example", "u", "\"active\":0"));
  }
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 3);
  jobs = list_jobs (f->client, CLAIRE, FALSE, &root);

  job = job_by_host (jobs, "imap.good.example");
  g_assert_cmpint (json_object_get_int_member (job, "success"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (job, "exit_status"), ==, "EX_OK");
  g_assert_cmpint (json_object_get_int_member (job, "is_running"), ==, 0);
  g_assert_false (json_object_get_null_member (job, "last_run"));
  g_assert_nonnull (strstr (json_object_get_string_member (job, "log"), "Exiting with return value 0 (EX_OK)"));
  g_assert_null (strstr (json_object_get_string_member (job, "log"), "S3cret-source"));

  job = job_by_host (jobs, "imap.bad.example");
  g_assert_cmpint (json_object_get_int_member (job, "success"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "exit_status"), ==, "EXIT_AUTHENTICATION_FAILURE_USER1");
  g_assert_nonnull (strstr (json_object_get_string_member (job, "log"),
                            "Exiting with return value 161 (EXIT_AUTHENTICATION_FAILURE_USER1)"));

  job = job_by_host (jobs, "imap.dry.example");
  g_assert_nonnull (strstr (json_object_get_string_member (job, "log"), " --dry "));
  job = job_by_host (jobs, "imap.off.example");
  g_assert_true (json_object_get_null_member (job, "last_run"));
  g_clear_pointer (&root, json_node_unref);

  /* Nothing is due until the interval has passed. */
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 0);
  hes_mailcow_sim_advance_clock (f->sim, 20 * 60);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 3);

  /* "Run now": last_run and success reset through the API. */
  {
    g_autoptr(Reply) reset = post_json (f->client, "/api/v1/edit/syncjob",
                                        "{\"items\":[1],\"attr\":{\"last_run\":\"\",\"success\":\"\"}}");
    g_autoptr(Reply) log = NULL;

    assert_last (reset, "success", "mailbox_modified");
    jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
    g_assert_true (json_object_get_null_member (job_by_host (jobs, "imap.good.example"), "last_run"));
    g_assert_true (json_object_get_null_member (job_by_host (jobs, "imap.good.example"), "success"));
    g_assert_cmpstr (json_object_get_string_member (job_by_host (jobs, "imap.bad.example"), "log"), ==, "");
    g_clear_pointer (&root, json_node_unref);
    log = get (f->client, "/inc/ajax/syncjob_logs.php?id=2");
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (log->headers, NULL), "text/plain"));
    g_assert_nonnull (strstr (log->body, "EXIT_AUTHENTICATION_FAILURE_USER1"));
  }
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);

  /* A job stuck "running" blocks the whole runner until released. */
  g_assert_true (hes_mailcow_sim_set_syncjob_running (f->sim, 2, TRUE));
  hes_mailcow_sim_advance_clock (f->sim, 3600);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 0);
  jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
  g_assert_cmpint (json_object_get_int_member (job_by_host (jobs, "imap.bad.example"), "is_running"), ==, 1);
  g_assert_true (json_object_get_null_member (job_by_host (jobs, "imap.bad.example"), "exit_status"));
  g_clear_pointer (&root, json_node_unref);
  g_assert_true (hes_mailcow_sim_set_syncjob_running (f->sim, 2, FALSE));
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 3);

  /* A host that hangs leaves its job running and stops the run there. */
  hes_mailcow_sim_set_syncjob_host_outcome (f->sim, "imap.good.example", "RUNNING");
  hes_mailcow_sim_advance_clock (f->sim, 3600);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  jobs = list_jobs (f->client, CLAIRE, TRUE, &root);
  g_assert_cmpint (json_object_get_int_member (job_by_host (jobs, "imap.good.example"), "is_running"), ==, 1);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 0);
}


/* Fault switches. */

static void
test_fault_slow (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) fast = get (f->client, "/");
  g_autoptr(Reply) slow = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SLOW);
  hes_mailcow_sim_set_delay_ms (f->sim, 400);
  slow = get (f->client, "/");
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (slow->elapsed_ms, >=, 400);
  g_assert_cmpint (fast->elapsed_ms, <, 400);
}

static void
test_fault_500 (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) api = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTTP_500);
  page = get (f->client, "/");
  api = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (page->status, ==, 500);
  g_assert_cmpuint (api->status, ==, 500);
  g_assert_nonnull (strstr (api->body, "500 Internal Server Error"));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (api->headers, NULL), "text/html"));
}

static void
test_fault_html_and_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) whole = NULL;
  g_autoptr(Reply) html = NULL;
  g_autoptr(Reply) cut = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (login (f->client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  whole = get (f->client, "/api/v1/get/domain/all");
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTML_FOR_JSON);
  html = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (html->status, ==, 200);
  g_assert_true (g_str_has_prefix (html->body, "<!DOCTYPE html>"));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (html->headers, NULL), "text/html"));

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_TRUNCATED_JSON);
  cut = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (cut->status, ==, 200);
  g_assert_cmpuint (cut->length, ==, whole->length / 2);
  g_assert_true (strncmp (cut->body, whole->body, cut->length) == 0);
  g_assert_false (json_parser_load_from_data (parser, cut->body, cut->length, NULL));
}

static void
test_fault_drop (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) dropped = NULL;
  g_autoptr(Reply) back = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_DROP_CONNECTION);
  dropped = get (f->client, "/");
  g_assert_nonnull (dropped->error);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
  back = get (f->client, "/");
  g_assert_cmpuint (back->status, ==, 200);
}

static void
test_fault_expire (Fixture *f, gconstpointer data)
{
  g_autofree char *cookie = NULL;
  g_autoptr(Reply) user = NULL;
  g_autoptr(Reply) api = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  cookie = g_strdup (f->client->cookie);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_EXPIRE_SESSIONS);
  user = get (f->client, "/user");
  g_assert_cmpuint (user->status, ==, 302);
  g_assert_cmpstr (location (user), ==, "/");
  g_assert_cmpstr (f->client->cookie, !=, cookie);
  api = get (f->client, "/api/v1/get/mailbox/" CLAIRE);
  g_assert_cmpuint (api->length, ==, 0);
}

static void
test_idle_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) after = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  hes_mailcow_sim_advance_clock (f->sim, 10000);
  before = get (f->client, "/user");
  g_assert_cmpuint (before->status, ==, 200);
  hes_mailcow_sim_advance_clock (f->sim, 10801);
  after = get (f->client, "/user");
  g_assert_cmpuint (after->status, ==, 302);
}

static void
test_fault_not_mailcow (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) api = NULL;

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NOT_MAILCOW);
  page = get (f->client, "/");
  api = get (f->client, "/api/v1/get/domain/all");
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (strstr (page->body, "login_user"));
  g_assert_null (page->set_cookie);
  g_assert_cmpuint (api->status, ==, 404);
}

static void
test_fault_silent (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) impatient = client_new (f->url, UA);
  g_autoptr(Reply) reply = NULL;

  g_object_set (impatient->session, "timeout", 1, NULL);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_SILENT);
  reply = get (impatient, "/");
  g_assert_error (reply->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (reply->elapsed_ms, >=, 900);
}

static void
test_ban (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) banned = NULL;
  g_autoptr(Reply) back = NULL;

  hes_mailcow_sim_set_ban_threshold (f->sim, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = post_form (f->client, "/", "login_user=a%40b.example&pass_user=x");

      g_assert_cmpuint (reply->status, ==, 200);
    }
  banned = get (f->client, "/");
  g_assert_nonnull (banned->error);
  hes_mailcow_sim_unban (f->sim);
  back = get (f->client, "/");
  g_assert_cmpuint (back->status, ==, 200);
}

/* HTTPS with the test certificates. */

static Client *
tls_client (const char *url)
{
  Client *client = client_new (url, UA);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = g_tls_file_database_new (hes_mailcow_sim_get_test_ca_file (), &error);

  g_assert_no_error (error);
  g_object_set (client->session, "tls-database", db, NULL);
  return client;
}

static void
test_https (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = hes_mailcow_sim_load_test_certificate ("server", &error);
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) plain = NULL;

  g_assert_no_error (error);
  g_assert_true (hes_mailcow_sim_listen_https (f->sim, cert, &error));
  g_assert_no_error (error);
  url = hes_mailcow_sim_dup_https_url (f->sim);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  client = tls_client (url);
  page = get (client, "/");
  assert_ok_reply (page);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->set_cookie, "; secure;"));
  /* Plain http still works next to it, and X-Forwarded-Proto marks the cookie secure. */
  plain = fetch (f->client, "GET", "/", NULL, NULL);
  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_null (strstr (plain->set_cookie, "secure"));
}

static void
test_https_rejected (gconstpointer data)
{
  const char *name = data;
  g_autoptr(HesMailcowSim) sim = hes_mailcow_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = hes_mailcow_sim_load_test_certificate (name, &error);
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) page = NULL;

  g_assert_no_error (error);
  g_assert_true (hes_mailcow_sim_listen_https (sim, cert, &error));
  url = hes_mailcow_sim_dup_https_url (sim);
  client = tls_client (url);
  page = get (client, "/");
  g_assert_error (page->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

static void
test_forwarded_proto (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = NULL;

  f->client->forwarded_proto = g_strdup ("https");
  reply = get (f->client, "/");
  g_assert_nonnull (strstr (reply->set_cookie, "; secure;"));
}


/* Second factors of a logged-in account. */

static char *
scrape_hidden (const char *html, const char *name)
{
  g_autofree char *needle = g_strdup_printf ("name=\"%s\"", name);
  const char *at = strstr (html, needle);
  const char *start;

  if (at == NULL)
    return NULL;
  /* <input type="hidden" value="…" name="…">: the value comes first. */
  start = g_strrstr_len (html, at - html, "value=\"");
  g_assert_nonnull (start);
  start += strlen ("value=\"");
  return g_strndup (start, strchr (start, '"') - start);
}

static Reply *
post_set_tfa (Fixture *f, const char *token, const char *secret, const char *code,
              const char *password)
{
  g_autofree char *form = g_strdup_printf ("set_tfa=&tfa_method=totp&key_id=Laptop&"
                                           "confirm_password=%s&totp_secret=%s&"
                                           "totp_confirm_token=%s&csrf_token=%s",
                                           password, secret, code, token);

  return post_form (f->client, "/user", form);
}

static void
test_totp_enrollment (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) ok = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autofree char *token = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *bad_code = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  page = get (f->client, "/user");
  token = scrape_token (page->body);
  secret = scrape_hidden (page->body, "totp_secret");
  g_assert_cmpuint (strlen (secret), ==, 16);
  code = hes_mailcow_sim_totp_code (secret, hes_mailcow_sim_get_time (f->sim));
  bad_code = g_strdup_printf ("%06u", (guint) ((g_ascii_strtoull (code, NULL, 10) + 1) % 1000000));

  wrong = post_set_tfa (f, token, secret, bad_code, "Demo-2026%21");
  g_assert_cmpuint (wrong->status, ==, 200);
  g_assert_nonnull (strstr (wrong->body, "TOTP\\u0020verification\\u0020failed"));
  g_free (token);
  token = scrape_token (wrong->body);
  ok = post_set_tfa (f, token, secret, code, "Demo-2026%21");
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_nonnull (strstr (ok->body, "Changes\\u0020to\\u0020object"));
  g_assert_nonnull (strstr (ok->body, "name=\"unset_tfa_key\" value=\""));
  /* The old token no longer works. */
  stale = post_set_tfa (f, token, secret, code, "Demo-2026%21");
  g_assert_nonnull (strstr (stale->body, "Token\\u0020mismatch"));

  /* The new factor is asked at the next login. */
  {
    g_autoptr(Client) other = client_new (f->url, UA);
    g_autoptr(Reply) reply = post_login (other, "/", "login_user=" CLAIRE "&pass_user=Demo-2026%21");

    g_assert_nonnull (strstr (reply->body, "ConfirmTFAModal"));
    g_assert_nonnull (strstr (reply->body, "<span>Laptop</span>"));
  }
}

static void
test_tfa_key_removal (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) last = NULL;
  g_autoptr(Reply) removed = NULL;
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;
  guint second;

  second = hes_mailcow_sim_add_totp (f->sim, SECURE, "Tablet", SECRET);
  g_assert_cmpuint (second, ==, 2);
  {
    g_autofree char *id = login_pending (f);
    g_autofree char *tfa = tfa_form (f->sim, 0, id);
    g_autoptr(Reply) done = post_form (f->client, "/", tfa);

    g_assert_cmpuint (done->status, ==, 302);
  }
  page = get (f->client, "/user");
  token = scrape_token (page->body);
  form = g_strdup_printf ("unset_tfa_key=2&csrf_token=%s", token);
  removed = post_form (f->client, "/user", form);
  g_assert_nonnull (strstr (removed->body, "Changes\\u0020to\\u0020object"));
  g_assert_null (strstr (removed->body, "Tablet"));
  g_free (token);
  g_free (form);
  token = scrape_token (removed->body);
  form = g_strdup_printf ("unset_tfa_key=1&csrf_token=%s", token);
  last = post_form (f->client, "/user", form);
  g_assert_nonnull (strstr (last->body, "Last\\u0020key\\u0020cannot\\u0020be\\u0020deleted"));
  g_assert_nonnull (strstr (last->body, "Phone"));
}

static void
test_autoconfig (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) reply = get (f->client, "/mail/config-v1.1.xml?emailaddress=claire%40" D1);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (strstr (reply->body, "<hostname>mail.hosterra.test</hostname>"));
}


/* WebAuthn and FIDO2, with a small software authenticator (P-256, packed self attestation). */

typedef struct {
  gnutls_privkey_t key;
  GBytes          *credential_id;
  GBytes          *cose;
} SoftKey;

static void
soft_key_free (SoftKey *sk)
{
  gnutls_privkey_deinit (sk->key);
  g_bytes_unref (sk->credential_id);
  g_bytes_unref (sk->cose);
  g_free (sk);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SoftKey, soft_key_free)

static void
map_add (cbor_item_t *map, cbor_item_t *key, cbor_item_t *value)
{
  g_assert_true (cbor_map_add (map, (struct cbor_pair) { .key = cbor_move (key),
                                                         .value = cbor_move (value) }));
}

static GBytes *
cbor_to_bytes (cbor_item_t *item)
{
  unsigned char *buffer = NULL;
  size_t size = 0;
  size_t len = cbor_serialize_alloc (item, &buffer, &size);
  GBytes *bytes = g_bytes_new (buffer, len);

  free (buffer);
  return bytes;
}

static GBytes *
padded (const gnutls_datum_t *d)
{
  guint8 out[32] = { 0 };

  g_assert_cmpuint (d->size, <=, 32);
  memcpy (out + 32 - d->size, d->data, d->size);
  return g_bytes_new (out, 32);
}

static SoftKey *
soft_key_new (void)
{
  SoftKey *sk = g_new0 (SoftKey, 1);
  gnutls_datum_t x, y, k;
  gnutls_ecc_curve_t curve;
  guint8 id[16];
  g_autoptr(GBytes) xb = NULL;
  g_autoptr(GBytes) yb = NULL;
  cbor_item_t *cose = cbor_new_definite_map (5);

  g_assert_cmpint (gnutls_privkey_init (&sk->key), ==, 0);
  g_assert_cmpint (gnutls_privkey_generate (sk->key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  g_assert_cmpint (gnutls_privkey_export_ecc_raw2 (sk->key, &curve, &x, &y, &k,
                                                   GNUTLS_EXPORT_FLAG_NO_LZ), ==, 0);
  xb = padded (&x);
  yb = padded (&y);
  gnutls_free (x.data);
  gnutls_free (y.data);
  gnutls_free (k.data);
  map_add (cose, cbor_build_uint8 (1), cbor_build_uint8 (2));
  map_add (cose, cbor_build_uint8 (3), cbor_build_negint8 (6));
  map_add (cose, cbor_build_negint8 (0), cbor_build_uint8 (1));
  map_add (cose, cbor_build_negint8 (1), cbor_build_bytestring (g_bytes_get_data (xb, NULL), 32));
  map_add (cose, cbor_build_negint8 (2), cbor_build_bytestring (g_bytes_get_data (yb, NULL), 32));
  sk->cose = cbor_to_bytes (cose);
  cbor_decref (&cose);
  g_assert_cmpint (gnutls_rnd (GNUTLS_RND_NONCE, id, sizeof id), ==, 0);
  sk->credential_id = g_bytes_new (id, sizeof id);
  return sk;
}

static char *
b64 (GBytes *bytes)
{
  return g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
b64url (GBytes *bytes)
{
  char *s = b64 (bytes);

  for (char *p = s; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  if (strchr (s, '='))
    *strchr (s, '=') = '\0';
  return s;
}

/* "=?BINARY?B?<base64>?=" → bytes. */
static GBytes *
unbin (const char *text)
{
  g_autofree char *inner = NULL;
  guchar *data;
  gsize len;

  g_assert_true (g_str_has_prefix (text, "=?BINARY?B?") && g_str_has_suffix (text, "?="));
  inner = g_strndup (text + 11, strlen (text) - 13);
  data = g_base64_decode (inner, &len);
  return g_bytes_new_take (data, len);
}

static GBytes *
sha256 (const void *data, gsize len)
{
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  return g_bytes_new (digest, digest_len);
}

static GBytes *
client_data (const char *type, GBytes *challenge, const char *origin)
{
  g_autofree char *c = b64url (challenge);
  char *json = g_strdup_printf ("{\"type\":\"%s\",\"challenge\":\"%s\",\"origin\":\"%s\","
                                "\"crossOrigin\":false}", type, c, origin);

  return g_bytes_new_take (json, strlen (json));
}

static GBytes *
sign (SoftKey *sk, GBytes *auth_data, GBytes *cd)
{
  g_autoptr(GBytes) hash = sha256 (g_bytes_get_data (cd, NULL), g_bytes_get_size (cd));
  g_autoptr(GByteArray) data = g_byte_array_new ();
  gnutls_datum_t in, sig;
  GBytes *out;

  g_byte_array_append (data, g_bytes_get_data (auth_data, NULL), g_bytes_get_size (auth_data));
  g_byte_array_append (data, g_bytes_get_data (hash, NULL), 32);
  in.data = data->data;
  in.size = data->len;
  g_assert_cmpint (gnutls_privkey_sign_data (sk->key, GNUTLS_DIG_SHA256, 0, &in, &sig), ==, 0);
  out = g_bytes_new (sig.data, sig.size);
  gnutls_free (sig.data);
  return out;
}

static GBytes *
auth_data (const char *rp_id, guint8 flags, SoftKey *attested)
{
  g_autoptr(GBytes) rp_hash = sha256 (rp_id, strlen (rp_id));
  GByteArray *out = g_byte_array_new ();
  guint8 counter[4] = { 0, 0, 0, 1 };

  g_byte_array_append (out, g_bytes_get_data (rp_hash, NULL), 32);
  g_byte_array_append (out, &flags, 1);
  g_byte_array_append (out, counter, 4);
  if (attested)
    {
      guint8 aaguid[16] = { 0 };
      guint8 len[2] = { 0, (guint8) g_bytes_get_size (attested->credential_id) };

      g_byte_array_append (out, aaguid, 16);
      g_byte_array_append (out, len, 2);
      g_byte_array_append (out, g_bytes_get_data (attested->credential_id, NULL), len[1]);
      g_byte_array_append (out, g_bytes_get_data (attested->cose, NULL), g_bytes_get_size (attested->cose));
    }
  return g_byte_array_free_to_bytes (out);
}

/* The JSON the browser code posts for a registration, from the options the server sent. */
static char *
make_registration (SoftKey *sk, JsonObject *public_key, guint8 flags, const char *origin,
                   const char *extra)
{
  const char *rp_id = json_object_get_string_member (json_object_get_object_member (public_key, "rp"), "id");
  g_autoptr(GBytes) challenge = unbin (json_object_get_string_member (public_key, "challenge"));
  g_autoptr(GBytes) cd = client_data ("webauthn.create", challenge, origin);
  g_autoptr(GBytes) ad = auth_data (rp_id, flags, sk);
  g_autoptr(GBytes) sig = sign (sk, ad, cd);
  g_autoptr(GBytes) att = NULL;
  g_autofree char *cd64 = b64 (cd);
  g_autofree char *att64 = NULL;
  cbor_item_t *obj = cbor_new_definite_map (3);
  cbor_item_t *stmt = cbor_new_definite_map (2);

  map_add (stmt, cbor_build_string ("alg"), cbor_build_negint8 (6));
  map_add (stmt, cbor_build_string ("sig"),
           cbor_build_bytestring (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig)));
  map_add (obj, cbor_build_string ("fmt"), cbor_build_string ("packed"));
  map_add (obj, cbor_build_string ("attStmt"), stmt);
  map_add (obj, cbor_build_string ("authData"),
           cbor_build_bytestring (g_bytes_get_data (ad, NULL), g_bytes_get_size (ad)));
  att = cbor_to_bytes (obj);
  cbor_decref (&obj);
  att64 = b64 (att);
  return g_strdup_printf ("{\"clientDataJSON\":\"%s\",\"attestationObject\":\"%s\"%s%s}",
                          cd64, att64, extra ? "," : "", extra ? extra : "");
}

static char *
make_assertion (SoftKey *sk, JsonObject *public_key, guint8 flags, const char *origin)
{
  const char *rp_id = json_object_get_string_member (public_key, "rpId");
  g_autoptr(GBytes) challenge = unbin (json_object_get_string_member (public_key, "challenge"));
  g_autoptr(GBytes) cd = client_data ("webauthn.get", challenge, origin);
  g_autoptr(GBytes) ad = auth_data (rp_id, flags, NULL);
  g_autoptr(GBytes) sig = sign (sk, ad, cd);
  g_autofree char *id64 = b64 (sk->credential_id);
  g_autofree char *cd64 = b64 (cd);
  g_autofree char *ad64 = b64 (ad);
  g_autofree char *sig64 = b64 (sig);

  return g_strdup_printf ("{\"id\":\"%s\",\"clientDataJSON\":\"%s\",\"authenticatorData\":\"%s\","
                          "\"signature\":\"%s\"}", id64, cd64, ad64, sig64);
}

static JsonObject *
get_public_key (Client *client, const char *path, JsonNode **root)
{
  g_autoptr(Reply) reply = get (client, path);

  *root = parse (reply);
  return json_object_get_object_member (json_node_get_object (*root), "publicKey");
}

static char *
register_key (Client *client, SoftKey *sk, gboolean fido2, guint8 flags, const char *origin,
              const char *extra)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *pk = get_public_key (client, fido2 ? "/api/v1/get/fido2-registration"
                                                 : "/api/v1/get/webauthn-tfa-registration", &root);
  g_autofree char *body = make_registration (sk, pk, flags, origin, extra);
  g_autoptr(Reply) reply = post_json (client, fido2 ? "/api/v1/add/fido2-registration"
                                                    : "/api/v1/add/webauthn-tfa-registration", body);

  assert_ok_reply (reply);
  return g_strdup (reply->body);
}

#define ORIGIN "https://127.0.0.1:8443"

static void
test_webauthn_options (Fixture *f, gconstpointer data)
{
  g_autoptr(Reply) anonymous = get (f->client, "/api/v1/get/fido2-registration");
  g_autoptr(Reply) args = get (f->client, "/api/v1/get/fido2-get-args");
  g_autoptr(Reply) tfa_args = get (f->client, "/api/v1/get/webauthn-tfa-get-args");
  g_autoptr(Reply) fido2 = NULL;
  g_autoptr(Reply) tfa = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) challenge = NULL;

  g_assert_cmpuint (anonymous->length, ==, 0);
  g_assert_true (g_str_has_prefix (args->body, "{\"publicKey\":{\"timeout\":30000,\"challenge\":\"=?BINARY?B?"));
  g_assert_true (g_str_has_suffix (args->body, "\"userVerification\":\"preferred\",\"rpId\":\"127.0.0.1\"}}"));
  g_assert_cmpstr (tfa_args->body, ==, "{\"type\":\"error\",\"msg\":\"Cannot find matching credentialIds\"}");

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  fido2 = get (f->client, "/api/v1/get/fido2-registration/x");
  g_assert_true (g_str_has_prefix (fido2->body,
    "{\"publicKey\":{\"rp\":{\"name\":\"WebAuthn Library\",\"id\":\"127.0.0.1\"},"
    "\"authenticatorSelection\":{\"userVerification\":\"preferred\",\"requireResidentKey\":true},"
    "\"user\":{\"id\":\"=?BINARY?B?Y2xhaXJlQGJvdWxhbmdlcmllLW1hcnRpbi5leGFtcGxl?=\","
    "\"name\":\"" CLAIRE "\",\"displayName\":\"" CLAIRE "\"},"
    "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-257}],"
    "\"attestation\":\"indirect\",\"extensions\":{\"exts\":true},\"timeout\":30000,\"challenge\":"));
  g_assert_true (g_str_has_suffix (fido2->body, "\"excludeCredentials\":[]}}"));
  g_assert_null (strchr (fido2->body, '\n'));
  root = parse (fido2);
  challenge = unbin (json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (root), "publicKey"), "challenge"));
  g_assert_cmpuint (g_bytes_get_size (challenge), ==, 32);
  tfa = get (f->client, "/api/v1/get/webauthn-tfa-registration");
  g_assert_nonnull (strstr (tfa->body, "\"authenticatorSelection\":{\"userVerification\":\"preferred\"},"));
}

static void
test_fido2_login (Fixture *f, gconstpointer data)
{
  g_autoptr(SoftKey) sk = soft_key_new ();
  g_autoptr(SoftKey) other = soft_key_new ();
  g_autofree char *no_uv = NULL;
  g_autofree char *bad_origin = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *again = NULL;
  g_autofree char *assertion = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  no_uv = register_key (f->client, sk, TRUE, 0x41, ORIGIN, NULL);
  g_assert_cmpstr (no_uv, ==, "{\"success\":false,\"msg\":\"user not verified during authentication\"}");
  bad_origin = register_key (f->client, sk, TRUE, 0x45, "https://127.0.0.1.evil.example", NULL);
  g_assert_cmpstr (bad_origin, ==, "{\"success\":false,\"msg\":\"invalid origin\"}");
  ok = register_key (f->client, sk, TRUE, 0x45, ORIGIN, NULL);
  g_assert_cmpstr (ok, ==, "{\"success\":true}");
  /* No replay protection: the same key again makes a second row. */
  again = register_key (f->client, sk, TRUE, 0x45, "https://127.0.0.1", NULL);
  g_assert_cmpstr (again, ==, "{\"success\":true}");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->sim, CLAIRE, TRUE), ==, 2);

  /* Passwordless login in a fresh session: an empty 200 and a new cookie. */
  {
    g_autoptr(Client) c = client_new (f->url, UA);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *pk = get_public_key (c, "/api/v1/get/fido2-get-args", &root);
    g_autofree char *first_cookie = g_strdup (c->cookie);
    g_autofree char *token = NULL;
    g_autofree char *form = NULL;
    g_autoptr(Reply) wrong_page = NULL;
    g_autoptr(Reply) reply = NULL;
    g_autoptr(Reply) user = NULL;

    assertion = make_assertion (sk, pk, 0x05, ORIGIN);
    token = g_uri_escape_string (assertion, NULL, FALSE);
    form = g_strdup_printf ("verify_fido2_login=true&token=%s", token);
    wrong_page = post_form (c, "/domainadmin/", form);
    g_assert_cmpuint (wrong_page->status, ==, 200);
    g_assert_cmpuint (wrong_page->length, ==, 0);
    g_assert_null (wrong_page->set_cookie);
    reply = post_form (c, "/", form);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (reply->length, ==, 0);
    g_assert_nonnull (reply->set_cookie);
    g_assert_cmpstr (c->cookie, !=, first_cookie);
    user = get (c, "/user");
    g_assert_cmpuint (user->status, ==, 200);
  }
  /* Rename and remove, by the hex SHA-256 of the credential id. */
  {
    g_autofree char *cid = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sk->credential_id);
    g_autofree char *body = g_strdup_printf ("{\"attr\":{\"fido2_cid\":\"%s\",\"fido2_fn\":\"Ma clé\"}}", cid);
    g_autoptr(Reply) renamed = post_json (f->client, "/api/v1/edit/fido2-fn", body);
    g_autoptr(Reply) page = get (f->client, "/user");
    g_autofree char *marker = g_strdup_printf ("name=\"unset_fido2_key\" value=\"%s\"", cid);

    assert_last (renamed, "success", "object_modified");
    g_assert_nonnull (strstr (page->body, "<td>\n                          Ma clé\n              </td>"));
    g_assert_nonnull (strstr (page->body, marker));
  }
  /* The assertion cannot be replayed, and a key without UV or another key fails. */
  {
    g_autoptr(Client) c = client_new (f->url, UA);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *pk = get_public_key (c, "/api/v1/get/fido2-get-args", &root);
    g_autofree char *token = g_uri_escape_string (assertion, NULL, FALSE);
    g_autofree char *form = g_strdup_printf ("verify_fido2_login=true&token=%s", token);
    g_autofree char *no_uv_assertion = make_assertion (sk, pk, 0x01, ORIGIN);
    g_autofree char *no_uv_token = g_uri_escape_string (no_uv_assertion, NULL, FALSE);
    g_autofree char *no_uv_form = g_strdup_printf ("verify_fido2_login=true&token=%s", no_uv_token);
    g_autofree char *stranger = make_assertion (other, pk, 0x05, ORIGIN);
    g_autofree char *stranger_token = g_uri_escape_string (stranger, NULL, FALSE);
    g_autofree char *stranger_form = g_strdup_printf ("verify_fido2_login=true&token=%s", stranger_token);

    for (const char * const *fm = (const char * const[]) { form, no_uv_form, stranger_form, NULL }; *fm; fm++)
      {
        g_autoptr(Reply) reply = post_form (c, "/", *fm);
        g_autoptr(Reply) user = get (c, "/user");

        g_assert_cmpuint (reply->length, ==, 0);
        g_assert_cmpuint (user->status, ==, 302);
      }
  }
  {
    g_autofree char *cid = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sk->credential_id);
    g_autoptr(Reply) page = get (f->client, "/user");
    g_autofree char *token = scrape_token (page->body);
    g_autofree char *form = g_strdup_printf ("unset_fido2_key=%s&csrf_token=%s", cid, token);
    g_autoptr(Reply) removed = post_form (f->client, "/user", form);

    g_assert_nonnull (strstr (removed->body, "Changes\\u0020to\\u0020object"));
    g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->sim, CLAIRE, TRUE), ==, 0);
  }
}

static void
test_webauthn_tfa (Fixture *f, gconstpointer data)
{
  g_autoptr(SoftKey) sk = soft_key_new ();
  g_autofree char *wrong_password = NULL;
  g_autofree char *ok = NULL;

  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  /* A wrong confirm_password also answers success, but stores nothing. */
  wrong_password = register_key (f->client, sk, FALSE, 0x41, ORIGIN,
                                 "\"key_id\":\"Key\",\"tfa_method\":\"webauthn\",\"confirm_password\":\"nope\"");
  g_assert_cmpstr (wrong_password, ==, "{\"success\":true}");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->sim, CLAIRE, FALSE), ==, 0);
  /* No UV needed for the second factor. */
  ok = register_key (f->client, sk, FALSE, 0x41, ORIGIN,
                     "\"key_id\":\"Clé USB\",\"tfa_method\":\"webauthn\",\"confirm_password\":\"Demo-2026!\"");
  g_assert_cmpstr (ok, ==, "{\"success\":true}");
  g_assert_cmpuint (hes_mailcow_sim_count_webauthn_keys (f->sim, CLAIRE, FALSE), ==, 1);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(Client) c = client_new (f->url, UA);
      g_autoptr(Reply) pending = post_login (c, "/", "login_user=" CLAIRE "&pass_user=Demo-2026%21");
      g_autoptr(JsonNode) root = NULL;
      JsonObject *pk;
      const char *item = strstr (pending->body, "list-group-item webauthn-authenticator-selection");
      const char *value;
      g_autofree char *id = NULL;
      g_autofree char *assertion = NULL;
      g_autofree char *token = NULL;
      g_autofree char *form = NULL;
      g_autoptr(Reply) reply = NULL;

      g_assert_nonnull (strstr (pending->body, "id=\"pending_tfa_tab_webauthn\""));
      g_assert_nonnull (item);
      g_assert_nonnull (strstr (item, "<span>Clé USB</span>"));
      value = strstr (item, "<input type=\"hidden\" value=\"");
      g_assert_nonnull (value);
      value += strlen ("<input type=\"hidden\" value=\"");
      id = g_strndup (value, strchr (value, '"') - value);
      pk = get_public_key (c, "/api/v1/get/webauthn-tfa-get-args", &root);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pk, "allowCredentials")), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pk, "extensions"), "appid"),
                       ==, "https://127.0.0.1");
      assertion = make_assertion (sk, pk, 0x01, round == 1 ? "https://evil.example" : ORIGIN);
      token = g_uri_escape_string (assertion, NULL, FALSE);
      form = g_strdup_printf ("verify_tfa_login=1&tfa_method=webauthn&token=%s%s%s", token,
                              round == 2 ? "" : "&id=", round == 2 ? "" : id);
      reply = post_form (c, "/", form);
      if (round == 0)
        {
          g_assert_cmpuint (reply->status, ==, 302);
          g_assert_cmpstr (location (reply), ==, "/SOGo/so/");
        }
      else
        {
          g_autoptr(Reply) after = get (c, "/api/v1/get/webauthn-tfa-get-args");

          g_assert_cmpuint (reply->status, ==, 200);
          g_assert_nonnull (strstr (reply->body, round == 1
                                    ? "WebAuthn\\u0020verification\\u0020failed\\u003A\\u0020invalid\\u0020origin"
                                    : "The\\u0020selected\\u0020authenticator\\u0020was\\u0020not\\u0020found"));
          g_assert_cmpstr (after->body, ==, "{\"type\":\"error\",\"msg\":\"Cannot find matching credentialIds\"}");
        }
    }

  /* base64url in the body breaks the CBOR. */
  {
    g_autoptr(JsonNode) root = NULL;
    JsonObject *pk = get_public_key (f->client, "/api/v1/get/webauthn-tfa-registration", &root);
    g_autofree char *body = make_registration (sk, pk, 0x41, ORIGIN, NULL);
    g_autoptr(Reply) reply = NULL;

    for (char *p = body; *p; p++)
      *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    reply = post_json (f->client, "/api/v1/add/webauthn-tfa-registration", body);
    g_assert_true (g_str_has_prefix (reply->body, "{\"success\":false"));
  }
}


/* The standalone program: --demo, --ready-file, a clean exit on SIGTERM. */
static void
test_program (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mailcow-sim-XXXXXX", &error);
  g_autofree char *ready = g_build_filename (dir, "url", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) page = NULL;
  g_autofree char *out = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, HES_SIM_EXE, "--demo",
                           "--port", "0", "--ready-file", ready, NULL);
  g_assert_no_error (error);
  while (!g_file_get_contents (ready, &url, NULL, NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  client = client_new (url, UA);
  g_assert_cmpuint (login (client, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
  page = get (client, "/api/v1/get/domain/all");
  g_assert_nonnull (strstr (page->body, "Atelier Durand"));

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_true (g_str_has_prefix (out, url));
  g_assert_nonnull (strstr (out, "demo-admin"));
  g_assert_nonnull (strstr (out, "nouveau@atelier-durand.example"));
  g_assert_nonnull (strstr (out, "JBSWY3DPEHPK3PXP"));
  g_unlink (ready);
  g_rmdir (dir);
}


/* The server in its own thread, on that thread's default context (delays included). */
typedef struct {
  GMutex        lock;
  GCond         cond;
  char         *url;
  GMainContext *context;
  gboolean      stop;
} ThreadData;

static gpointer
server_thread (gpointer data)
{
  ThreadData *td = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(HesMailcowSim) sim = NULL;

  g_main_context_push_thread_default (context);
  sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_load_demo (sim, NULL);
  hes_mailcow_sim_set_fault (sim, HES_SIM_FAULT_SLOW);
  hes_mailcow_sim_set_delay_ms (sim, 200);
  g_assert_true (hes_mailcow_sim_listen (sim, 0, NULL));
  g_mutex_lock (&td->lock);
  td->url = hes_mailcow_sim_dup_url (sim);
  td->context = context;
  g_cond_signal (&td->cond);
  g_mutex_unlock (&td->lock);
  while (!g_atomic_int_get (&td->stop))
    g_main_context_iteration (context, TRUE);
  g_clear_object (&sim);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_own_thread (void)
{
  ThreadData td = { 0 };
  GThread *thread;
  g_autoptr(Client) client = NULL;
  g_autoptr(Reply) reply = NULL;

  g_mutex_init (&td.lock);
  g_cond_init (&td.cond);
  thread = g_thread_new ("mailcow-sim", server_thread, &td);
  g_mutex_lock (&td.lock);
  while (td.url == NULL)
    g_cond_wait (&td.cond, &td.lock);
  g_mutex_unlock (&td.lock);
  client = client_new (td.url, UA);
  g_assert_cmpuint (login (client, "/", CLAIRE, PASSWORD), ==, 302);
  reply = get (client, "/user");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (reply->elapsed_ms, >=, 200);
  g_atomic_int_set (&td.stop, TRUE);
  g_main_context_wakeup (td.context);
  g_thread_join (thread);
  g_free (td.url);
  g_mutex_clear (&td.lock);
  g_cond_clear (&td.cond);
}


/* Yubico OTP: the OTP names its key; each one works once. */
static void
test_yubi_otp (Fixture *f, gconstpointer data)
{
  g_autofree char *otp = NULL;

  g_assert_cmpuint (hes_mailcow_sim_add_yubi_otp (f->sim, "paul@" D2, "YubiKey", "cccccbcdefgh"), >, 0);
  otp = hes_mailcow_sim_make_yubi_otp ("cccccbcdefgh");
  g_assert_cmpuint (strlen (otp), ==, 44);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(Client) c = client_new (f->url, UA);
      g_autoptr(Reply) pending = post_login (c, "/", "login_user=paul%40" D2 "&pass_user=Demo-2026%21");
      g_autofree char *other = hes_mailcow_sim_make_yubi_otp ("vvvvvbcdefgh");
      g_autofree char *form = g_strdup_printf ("verify_tfa_login=&tfa_method=yubi_otp&token=%s",
                                               round == 2 ? other : otp);
      g_autoptr(Reply) reply = NULL;

      g_assert_nonnull (strstr (pending->body, "id=\"pending_tfa_tab_yubi_otp\""));
      reply = post_form (c, "/", form);
      if (round == 0)
        {
          g_assert_cmpuint (reply->status, ==, 302);
          continue;
        }
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_nonnull (strstr (reply->body, round == 1
                                ? "Yubico\\u0020OTP\\u0020verification\\u0020failed\\u003A\\u0020REPLAYED_OTP"
                                : "failed\\u003A\\u0020BAD_OTP"));
    }

  /* Enrollment with the customer's YubiCloud credentials. */
  g_assert_cmpuint (login (f->client, "/", CLAIRE, PASSWORD), ==, 302);
  {
    g_autoptr(Reply) page = get (f->client, "/user");
    g_autofree char *token = scrape_token (page->body);
    g_autofree char *fresh = hes_mailcow_sim_make_yubi_otp ("ccccccfedcbv");
    g_autofree char *form = g_strdup_printf ("set_tfa=&tfa_method=yubi_otp&key_id=Porte-cl%%C3%%A9s&"
                                             "yubico_id=12345&yubico_key=c2VjcmV0&"
                                             "confirm_password=Demo-2026%%21&otp_token=%s&csrf_token=%s",
                                             fresh, token);
    g_autoptr(Reply) done = post_form (f->client, "/user", form);

    g_assert_nonnull (strstr (done->body, "Changes\\u0020to\\u0020object"));
    g_assert_nonnull (strstr (done->body, "Porte-clés"));
  }
}

static void
test_seeded_job (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;
  JsonObject *job;

  /* A job added from the test side shows up and runs like the others. */
  g_assert_cmpuint (hes_mailcow_sim_add_syncjob (f->sim, "paul@" D2, "Imap.Seed.example", "p", "x", TRUE),
                    ==, 1);
  g_assert_cmpuint (hes_mailcow_sim_run_syncjobs_now (f->sim), ==, 1);
  g_assert_cmpuint (login (f->client, "/", "paul@" D2, PASSWORD), ==, 302);
  jobs = list_jobs (f->client, "paul@" D2, TRUE, &root);
  job = json_array_get_object_element (jobs, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "host1"), ==, "imap.seed.example");
  g_assert_cmpint (json_object_get_int_member (job, "dry"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (job, "active"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (job, "success"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (job, "exit_status"), ==, "EX_OK");
}


/* Odd input on every route, in every state: answers, never a crash or a critical. */
static void
test_odd_input (Fixture *f, gconstpointer data)
{
  static const char * const routes[] = {
    "/api/v1/add/mailbox", "/api/v1/add/dkim", "/api/v1/add/syncjob", "/api/v1/add/domain",
    "/api/v1/edit/syncjob", "/api/v1/edit/self", "/api/v1/edit/user-acl", "/api/v1/edit/fido2-fn",
    "/api/v1/delete/syncjob", "/api/v1/delete/dkim", "/api/v1/add/fido2-registration",
    "/api/v1/add/webauthn-tfa-registration", "/api/v1/get/syncjobs/all", "/api/v1/", "/api/v1/get",
    NULL,
  };
  static const char * const bodies[] = {
    "[]", "{}", "1", "\"x\"", "true", "{\"items\":{},\"attr\":[]}", "{\"items\":[null,{},[]],\"attr\":{\"a\":{}}}",
    "{\"domains\":[1],\"local_part\":{},\"host1\":[],\"port1\":{},\"mins_interval\":[1],\"exclude\":{},"
    "\"enc1\":1,\"quota\":{},\"username\":[],\"user_acl\":[1,{}],\"fido2_cid\":1,"
    "\"clientDataJSON\":\"////\",\"attestationObject\":\"oA==\"}",
    "{\"clientDataJSON\":\"e30=\",\"attestationObject\":\"\"}",
    NULL,
  };
  static const char * const forms[] = {
    "attr=%7B&items=%5B", "attr=[1]&items={}", "verify_tfa_login=&tfa_method=webauthn&id=x&token=%7B%7D",
    "verify_tfa_login=&tfa_method=totp&id=99999999999&token=abc", "verify_fido2_login=1&token=%5B%5D",
    "set_tfa=&tfa_method=totp&totp_secret=%21%21&totp_confirm_token=1", "unset_tfa_key=",
    "unset_fido2_key=", "login_user=&pass_user=", "logout", NULL,
  };
  static const char * const pages[] = { "/", "/domainadmin/", "/user", "/domainadmin/mailbox", NULL };

  for (guint state = 0; state < 3; state++)
    {
      g_autoptr(Client) c = client_new (f->url, UA);

      if (state == 1)
        g_assert_cmpuint (login (c, "/", CLAIRE, PASSWORD), ==, 302);
      else if (state == 2)
        g_assert_cmpuint (login (c, "/domainadmin/", ADMIN, PASSWORD), ==, 302);
      for (guint r = 0; routes[r]; r++)
        for (guint b = 0; bodies[b]; b++)
          {
            g_autoptr(Reply) json = post_json (c, routes[r], bodies[b]);
            g_autoptr(Reply) plain = fetch (c, "PUT", routes[r], "text/plain", bodies[b]);

            assert_ok_reply (json);
            assert_ok_reply (plain);
            g_assert_cmpuint (json->status, <, 500);
          }
      for (guint p = 0; pages[p]; p++)
        for (guint i = 0; forms[i]; i++)
          {
            g_autoptr(Reply) reply = NULL;

            /* Logging out would end the state under test. */
            if (g_str_equal (forms[i], "logout") && p > 0)
              continue;
            reply = post_form (c, pages[p], forms[i]);
            assert_ok_reply (reply);
            g_assert_cmpuint (reply->status, <, 500);
          }
    }
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/mailcow-sim/login/page", test_login_page);
  ADD ("/mailcow-sim/login/unslashed-redirect", test_unslashed_redirect);
  ADD ("/mailcow-sim/login/user", test_login_user);
  ADD ("/mailcow-sim/login/domain-admin", test_login_domain_admin);
  ADD ("/mailcow-sim/login/failures", test_login_failures);
  ADD ("/mailcow-sim/login/delay", test_login_delay);
  ADD ("/mailcow-sim/api/get-without-session", test_get_without_session);
  ADD ("/mailcow-sim/api/domains", test_get_domains);
  ADD ("/mailcow-sim/api/dkim", test_get_dkim);
  ADD ("/mailcow-sim/api/password-policy", test_password_policy);
  ADD ("/mailcow-sim/api/user-scope", test_user_scope);
  ADD ("/mailcow-sim/api/mailboxes", test_get_mailboxes);
  g_test_add_func ("/mailcow-sim/tfa/totp-vectors", test_totp_vectors);
  g_test_add_func ("/mailcow-sim/program", test_program);
  g_test_add_func ("/mailcow-sim/own-thread", test_own_thread);
  ADD ("/mailcow-sim/tfa/pending", test_tfa_pending);
  ADD ("/mailcow-sim/tfa/success", test_tfa_success);
  ADD ("/mailcow-sim/tfa/failures", test_tfa_failures);
  ADD ("/mailcow-sim/tfa/enrollment", test_totp_enrollment);
  ADD ("/mailcow-sim/webauthn/options", test_webauthn_options);
  ADD ("/mailcow-sim/webauthn/fido2-login", test_fido2_login);
  ADD ("/mailcow-sim/webauthn/second-factor", test_webauthn_tfa);
  ADD ("/mailcow-sim/tfa/key-removal", test_tfa_key_removal);
  ADD ("/mailcow-sim/tfa/yubi-otp", test_yubi_otp);
  ADD ("/mailcow-sim/api/autoconfig", test_autoconfig);
  ADD ("/mailcow-sim/password/forced-user", test_forced_password_change);
  ADD ("/mailcow-sim/password/forced-admin", test_forced_password_admin);
  ADD ("/mailcow-sim/password/edit-self", test_edit_self);
  ADD ("/mailcow-sim/session/user-agent", test_user_agent_tie);
  ADD ("/mailcow-sim/session/csrf", test_csrf);
  ADD ("/mailcow-sim/session/logout", test_logout);
  ADD ("/mailcow-sim/api/pile-up", test_pile_up);
  ADD ("/mailcow-sim/api/status-codes", test_status_codes);
  ADD ("/mailcow-sim/api/odd-input", test_odd_input);
  ADD ("/mailcow-sim/api/add-mailbox", test_add_mailbox);
  ADD ("/mailcow-sim/api/add-mailbox-as-user", test_add_mailbox_as_user);
  ADD ("/mailcow-sim/syncjobs/add", test_syncjob_add);
  ADD ("/mailcow-sim/syncjobs/traps", test_syncjob_traps);
  ADD ("/mailcow-sim/syncjobs/acl", test_syncjob_acl);
  ADD ("/mailcow-sim/syncjobs/runner", test_runner);
  ADD ("/mailcow-sim/syncjobs/seeded", test_seeded_job);
  ADD ("/mailcow-sim/fault/slow", test_fault_slow);
  ADD ("/mailcow-sim/fault/http-500", test_fault_500);
  ADD ("/mailcow-sim/fault/html-and-truncated", test_fault_html_and_truncated);
  ADD ("/mailcow-sim/fault/drop-connection", test_fault_drop);
  ADD ("/mailcow-sim/fault/expire-sessions", test_fault_expire);
  ADD ("/mailcow-sim/fault/not-mailcow", test_fault_not_mailcow);
  ADD ("/mailcow-sim/fault/silent", test_fault_silent);
  ADD ("/mailcow-sim/fault/ban", test_ban);
  ADD ("/mailcow-sim/session/idle-timeout", test_idle_timeout);
  ADD ("/mailcow-sim/https/trusted", test_https);
  ADD ("/mailcow-sim/https/forwarded-proto", test_forwarded_proto);
  g_test_add_data_func ("/mailcow-sim/https/self-signed", "self-signed", test_https_rejected);
  g_test_add_data_func ("/mailcow-sim/https/wrong-host", "wrong-host", test_https_rejected);
  g_test_add_data_func ("/mailcow-sim/https/expired", "expired", test_https_rejected);

  return g_test_run ();
}
