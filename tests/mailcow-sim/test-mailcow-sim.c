/* test-mailcow-sim.c: the simulator answers like mailcow, checked with raw libsoup requests. */
#define G_LOG_DOMAIN "test-mailcow-sim"

#include <json-glib/json-glib.h>
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
  g_autoptr(Reply) first = get (client, page);
  g_autofree char *u = g_uri_escape_string (user, NULL, FALSE);
  g_autofree char *p = g_uri_escape_string (password, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("login_user=%s&pass_user=%s", u, p);
  g_autoptr(Reply) reply = post_form (client, page, form);

  assert_ok_reply (reply);
  return reply->status;
}

/* The page's csrf token from "var csrf_token = '…';". */
G_GNUC_UNUSED static char *
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
  g_autoptr(Reply) page = get (f->client, "/");
  g_autofree char *before = g_strdup (f->client->cookie);
  g_autofree char *old_cookie = NULL;
  g_autoptr(Reply) reply = post_form (f->client, "/",
                                      "login_user=Claire%40Boulangerie-Martin.example&"
                                      "pass_user=Demo-2026%21");
  g_autoptr(Reply) user = NULL;
  g_autoptr(Reply) root = NULL;
  g_autoptr(Reply) stale = NULL;

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
  g_autoptr(Reply) page = get (f->client, "/");
  g_autoptr(Reply) wrong = post_form (f->client, "/", "login_user=" CLAIRE "&pass_user=nope");
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

  return g_test_run ();
}
