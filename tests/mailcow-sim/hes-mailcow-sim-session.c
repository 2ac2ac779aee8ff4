/* hes-mailcow-sim-session.c: PHP sessions as mailcow uses them.
 *
 * The MCSESSID cookie names a session; the session remembers the first User-Agent, the role,
 * the CSRF token and the "return" array that piles up until an HTML page renders.
 */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdarg.h>

char *
sim_random_hex (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);

  if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, n_bytes) != 0)
    g_error ("GnuTLS could not make random bytes");
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

void
sim_session_free (gpointer data)
{
  SimSession *session = data;

  g_free (session->id);
  g_free (session->ua);
  g_free (session->role);
  g_free (session->username);
  g_free (session->pending_username);
  g_free (session->pending_role);
  g_free (session->csrf);
  json_array_unref (session->pile);
  g_free (session);
}

static char *
cookie_session_id (SimRequest *req)
{
  const char *header = sim_header (req, "Cookie");
  g_autoptr(GHashTable) params = NULL;

  if (header == NULL)
    return NULL;
  params = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (params, SIM_SESSION_COOKIE));
}

static SimSession *
session_new (SimRequest *req)
{
  SimSession *session = g_new0 (SimSession, 1);

  session->id = sim_random_hex (16);
  session->ua = g_strdup (sim_header (req, "User-Agent"));
  session->csrf = sim_random_hex (32);
  session->pile = json_array_new ();
  g_hash_table_insert (req->sim->sessions, session->id, session);
  req->send_cookie = TRUE;
  return session;
}

/* session_start(): finds the session of the cookie, or starts one (and sends its cookie). */
SimSession *
sim_session_attach (SimRequest *req)
{
  g_autofree char *id = cookie_session_id (req);
  SimSession *session = id ? g_hash_table_lookup (req->sim->sessions, id) : NULL;
  gint64 now = sim_now (req->sim);

  if (session && now - session->last_seen > SIM_SESSION_IDLE_SECONDS)
    {
      g_hash_table_remove (req->sim->sessions, id);
      session = NULL;
    }
  if (session == NULL)
    session = session_new (req);
  session->last_seen = now;
  req->session = session;
  sim_session_check (req);
  return session;
}

/* session_regenerate_id(true): same data, new id, the old id is dead. */
void
sim_session_regenerate (SimRequest *req)
{
  SimSession *session = req->session;

  g_hash_table_steal (req->sim->sessions, session->id);
  g_free (session->id);
  session->id = sim_random_hex (16);
  g_hash_table_insert (req->sim->sessions, session->id, session);
  req->send_cookie = TRUE;
}

void
sim_session_destroy (SimRequest *req)
{
  g_hash_table_remove (req->sim->sessions, req->session->id);
  req->session = NULL;
  req->send_cookie = FALSE;
}

/* session_check() of a logged-in session: another User-Agent or a wrong token empties
 * $_POST; a checked form post gets a new token. JSON bodies are rebuilt later, so they
 * pass (with the session_ua warning queued). */
void
sim_session_check (SimRequest *req)
{
  SimSession *session = req->session;
  const char *token;

  if (session->role == NULL)
    return;
  if (g_strcmp0 (session->ua, sim_header (req, "User-Agent")) != 0)
    {
      sim_pile_push_key (session, "warning", NULL, "session_ua", NULL);
      g_clear_pointer (&req->form, g_hash_table_unref);
      return;
    }
  if (req->form == NULL || g_hash_table_size (req->form) == 0)
    return;
  /* Logging out needs no token: the page handles it before the check. */
  if (g_hash_table_contains (req->form, "logout"))
    return;
  token = g_hash_table_lookup (req->form, "csrf_token");
  if (g_strcmp0 (token, session->csrf) != 0)
    {
      sim_pile_push_key (session, "warning", NULL, "session_token", NULL);
      g_clear_pointer (&req->form, g_hash_table_unref);
      return;
    }
  g_hash_table_remove (req->form, "csrf_token");
  g_free (session->csrf);
  session->csrf = sim_random_hex (32);
}

JsonNode *
sim_log_node (const char *first, ...)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  va_list ap;

  va_start (ap, first);
  for (const char *s = first; s; s = va_arg (ap, const char *))
    json_array_add_string_element (array, s);
  va_end (ap);
  json_node_take_array (node, array);
  return node;
}

/* Queues {"type":…,"log":…,"msg":…}; takes @log and @msg. */
void
sim_pile_push (SimSession *session, const char *type, JsonNode *log, JsonNode *msg)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "type", type);
  if (log)
    json_object_set_member (entry, "log", log);
  json_object_set_member (entry, "msg", msg);
  json_array_add_object_element (session->pile, entry);
}

/* msg is "key" or, with @arg, ["key", arg]. */
void
sim_pile_push_key (SimSession *session, const char *type, JsonNode *log, const char *key,
                   const char *arg)
{
  JsonNode *msg;

  if (arg)
    {
      JsonArray *array = json_array_new ();

      json_array_add_string_element (array, key);
      json_array_add_string_element (array, arg);
      msg = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
    }
  else
    msg = json_node_init_string (json_node_alloc (), key);
  sim_pile_push (session, type, log, msg);
}
