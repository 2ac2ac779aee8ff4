/* hes-mailcow-sim.c: the server object, listening, request dispatch and fault switches. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (HesMailcowSim, hes_mailcow_sim, G_TYPE_OBJECT)

static const char nginx_500_page[] =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
  "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";
static const char nginx_404_page[] =
  "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
  "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";
static const char nginx_301_page[] =
  "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n"
  "<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";
static const char other_site_page[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Welcome</title></head>\n"
  "<body><h1>Welcome to our web site</h1><p>Nothing to see here yet.</p></body></html>\n";

/* A timeout on the server's own context (a test may run the server in another thread). */
guint
sim_timeout_add (HesMailcowSim *self, guint ms, GSourceFunc func, gpointer data)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  return g_source_attach (source, self->context);
}

static void
remove_source (HesMailcowSim *self, guint *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, *id);
  if (source)
    g_source_destroy (source);
  *id = 0;
}

gint64
sim_now (HesMailcowSim *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

char *
sim_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

const char *
sim_header (SimRequest *req, const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

const char *
sim_form_get (SimRequest *req, const char *key)
{
  return req->form ? g_hash_table_lookup (req->form, key) : NULL;
}

void
sim_respond (SimRequest *req, guint status, const char *content_type, const char *body,
             gsize length)
{
  /* set_response() appends: start from an empty body. */
  soup_message_body_truncate (soup_server_message_get_response_body (req->msg));
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY,
                                    body ? body : "", body ? length : 0);
}

void
sim_respond_html (SimRequest *req, guint status, const char *html)
{
  sim_respond (req, status, "text/html; charset=UTF-8", html, strlen (html));
}

void
sim_redirect (SimRequest *req, guint status, const char *location)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  sim_respond (req, status, "text/html; charset=UTF-8", "", 0);
}

/* Holding answers: the login delay, the slow fault and the silent fault. */

typedef struct {
  HesMailcowSim     *sim;
  SoupServerMessage *msg;
  guint              source;
} HeldMessage;

static void
held_message_free (gpointer data)
{
  HeldMessage *held = data;

  remove_source (held->sim, &held->source);
  g_signal_handlers_disconnect_by_data (held->msg, held);
  g_object_unref (held->msg);
  g_free (held);
}

static gboolean
held_message_release (gpointer data)
{
  HeldMessage *held = data;

  held->source = 0;
  soup_server_message_unpause (held->msg);
  g_ptr_array_remove_fast (held->sim->held_messages, held);
  return G_SOURCE_REMOVE;
}

static void
held_message_disconnected (SoupServerMessage *msg, gpointer data)
{
  HeldMessage *held = data;

  g_ptr_array_remove_fast (held->sim->held_messages, held);
}

/* @delay_ms 0 with @forever holds the answer until the server goes away. */
static void
hold_message (HesMailcowSim *self, SoupServerMessage *msg, guint delay_ms, gboolean forever)
{
  HeldMessage *held = g_new0 (HeldMessage, 1);

  held->sim = self;
  held->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (held_message_disconnected), held);
  g_ptr_array_add (self->held_messages, held);
  soup_server_message_pause (msg);
  if (!forever)
    held->source = sim_timeout_add (self, delay_ms, held_message_release, held);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream)
    g_io_stream_close (stream, NULL, NULL);
}

/* Damages an /api/v1 answer for the HTML_FOR_JSON and TRUNCATED_JSON faults. */
static void
apply_api_fault (SimRequest *req)
{
  HesMailcowSim *self = req->sim;
  SoupMessageBody *body = soup_server_message_get_response_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  if (self->fault == HES_SIM_FAULT_HTML_FOR_JSON)
    {
      sim_respond_html (req, 200, other_site_page);
      return;
    }
  if (self->fault != HES_SIM_FAULT_TRUNCATED_JSON)
    return;
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  sim_respond (req, soup_server_message_get_status (req->msg), "application/json",
               data, len / 2);
}

/* Answers nginx gives itself, before PHP (and its session) is involved. */
static gboolean
handle_nginx (SimRequest *req)
{
  g_autofree char *location = NULL;
  GUri *uri = soup_server_message_get_uri (req->msg);

  if (g_strcmp0 (req->path, "/domainadmin") == 0 || g_strcmp0 (req->path, "/admin") == 0)
    {
      location = g_strconcat (req->path, "/", g_uri_get_query (uri) ? "?" : "",
                              g_uri_get_query (uri), NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Location", location);
      sim_respond_html (req, 301, nginx_301_page);
      return TRUE;
    }
  return FALSE;
}

/* autoconfig.php: Thunderbird's client configuration, which names the host without a login. */
static void
respond_autoconfig (SimRequest *req)
{
  g_autofree char *host = g_markup_escape_text (req->sim->hostname, -1);
  g_autofree char *xml = g_strdup_printf (
    "<?xml version=\"1.0\"?>\n"
    "<clientConfig version=\"1.1\">\n"
    "  <emailProvider id=\"%1$s\">\n"
    "    <domain>%%EMAILDOMAIN%%</domain>\n"
    "    <displayName>A mailcow mail server</displayName>\n"
    "    <displayShortName>mail server</displayShortName>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>%1$s</hostname>\n      <port>993</port>\n"
    "      <socketType>SSL</socketType>\n      <username>%%EMAILADDRESS%%</username>\n"
    "      <authentication>password-cleartext</authentication>\n    </incomingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>%1$s</hostname>\n      <port>465</port>\n"
    "      <socketType>SSL</socketType>\n      <username>%%EMAILADDRESS%%</username>\n"
    "      <authentication>password-cleartext</authentication>\n    </outgoingServer>\n"
    "  </emailProvider>\n"
    "</clientConfig>\n", host);

  sim_respond (req, 200, "application/xml", xml, strlen (xml));
}

static gboolean
is_known_page (const char *path)
{
  static const char * const pages[] = {
    "/", "/user", "/domainadmin/", "/domainadmin/mailbox", "/domainadmin/user", "/admin/",
    "/SOGo/so/", "/inc/ajax/syncjob_logs.php", NULL,
  };

  return g_strv_contains (pages, path);
}

static void
read_body (SimRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  const char *type = sim_header (req, "Content-Type");

  req->body = soup_message_body_flatten (body);
  req->is_json = type && strstr (type, "application/json") != NULL;
  /* PHP only fills $_POST from a form body. */
  if (g_strcmp0 (req->method, "POST") == 0 && type &&
      g_str_has_prefix (type, "application/x-www-form-urlencoded"))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (req->body, NULL),
                                         g_bytes_get_size (req->body));
      req->form = soup_form_decode (text);
    }
  else if (g_strcmp0 (req->method, "POST") == 0 && type &&
           g_str_has_prefix (type, "multipart/form-data"))
    {
      g_autoptr(SoupMultipart) multipart =
        soup_multipart_new_from_message (soup_server_message_get_request_headers (req->msg),
                                         req->body);

      if (multipart)
        req->form = soup_form_decode_multipart (multipart, NULL, NULL, NULL, NULL);
    }
}

static void
add_session_cookie (SimRequest *req)
{
  const char *proto = sim_header (req, "X-Forwarded-Proto");
  gboolean secure = req->https || g_strcmp0 (proto, "https") == 0;
  g_autofree char *cookie = g_strdup_printf ("%s=%s; path=/;%s HttpOnly; SameSite=Lax",
                                             SIM_SESSION_COOKIE, req->session->id,
                                             secure ? " secure;" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie", cookie);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  HesMailcowSim *self = user_data;
  SimRequest req = { 0 };
  gboolean is_api = g_str_has_prefix (path, "/api/v1/");

  if (self->ban_threshold > 0 && self->failed_logins >= self->ban_threshold)
    {
      drop_connection (msg);
      return;
    }
  switch (self->fault)
    {
    case HES_SIM_FAULT_DROP_CONNECTION:
      drop_connection (msg);
      return;
    case HES_SIM_FAULT_SILENT:
      hold_message (self, msg, 0, TRUE);
      return;
    case HES_SIM_FAULT_HTTP_500:
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        nginx_500_page, strlen (nginx_500_page));
      return;
    case HES_SIM_FAULT_EXPIRE_SESSIONS:
      g_hash_table_remove_all (self->sessions);
      break;
    default:
      break;
    }

  req.sim = self;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = path;
  req.query = query;
  req.https = g_strcmp0 (g_uri_get_scheme (soup_server_message_get_uri (msg)), "https") == 0;

  if (self->fault == HES_SIM_FAULT_NOT_MAILCOW)
    {
      if (g_strcmp0 (path, "/") == 0)
        sim_respond_html (&req, 200, other_site_page);
      else
        sim_respond_html (&req, 404, nginx_404_page);
    }
  else if (handle_nginx (&req))
    ;
  else if (g_strcmp0 (path, "/mail/config-v1.1.xml") == 0)
    respond_autoconfig (&req);
  else if (!is_api && !is_known_page (path))
    sim_respond_html (&req, 404, nginx_404_page);
  else
    {
      read_body (&req);
      sim_session_attach (&req);
      if (is_api)
        sim_handle_api (&req, path + strlen ("/api/v1/"));
      else
        sim_handle_page (&req);
      /* PHP sends the cookie whenever it made or renamed the session. */
      if (req.send_cookie && req.session)
        add_session_cookie (&req);
      if (is_api)
        apply_api_fault (&req);
    }

  if (self->fault == HES_SIM_FAULT_SLOW)
    req.hold_ms += self->delay_ms;
  if (req.hold_ms > 0)
    hold_message (self, msg, req.hold_ms, FALSE);

  g_clear_pointer (&req.form, g_hash_table_unref);
  g_clear_pointer (&req.body, g_bytes_unref);
}

static void
hes_mailcow_sim_dispose (GObject *object)
{
  HesMailcowSim *self = HES_MAILCOW_SIM (object);

  remove_source (self, &self->runner_source);
  if (self->server)
    soup_server_disconnect (self->server);
  if (self->held_messages)
    g_ptr_array_set_size (self->held_messages, 0);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (hes_mailcow_sim_parent_class)->dispose (object);
}

static void
hes_mailcow_sim_finalize (GObject *object)
{
  HesMailcowSim *self = HES_MAILCOW_SIM (object);

  g_free (self->hostname);
  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->host_outcomes);
  g_hash_table_unref (self->used_otps);
  g_ptr_array_unref (self->domains);
  g_ptr_array_unref (self->mailboxes);
  g_ptr_array_unref (self->admins);
  g_ptr_array_unref (self->tfas);
  g_ptr_array_unref (self->fido2);
  g_ptr_array_unref (self->syncjobs);
  g_ptr_array_unref (self->held_messages);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hes_mailcow_sim_parent_class)->finalize (object);
}

static void
hes_mailcow_sim_class_init (HesMailcowSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_mailcow_sim_dispose;
  object_class->finalize = hes_mailcow_sim_finalize;
}

static void
hes_mailcow_sim_init (HesMailcowSim *self)
{
  self->hostname = g_strdup ("mail.mailcow.test");
  self->failure_delay_unit_ms = 1000;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, sim_session_free);
  self->host_outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->used_otps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->domains = g_ptr_array_new_with_free_func (sim_domain_free);
  self->mailboxes = g_ptr_array_new_with_free_func (sim_mailbox_free);
  self->admins = g_ptr_array_new_with_free_func (sim_admin_free);
  self->tfas = g_ptr_array_new_with_free_func (sim_tfa_free);
  self->fido2 = g_ptr_array_new_with_free_func (sim_fido2_free);
  self->syncjobs = g_ptr_array_new_with_free_func (sim_syncjob_free);
  self->held_messages = g_ptr_array_new_with_free_func (held_message_free);
  self->next_tfa_id = 1;
  self->next_syncjob_id = 1;
  self->policy_length = 6;
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "nginx", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
}

HesMailcowSim *
hes_mailcow_sim_new (void)
{
  return g_object_new (HES_TYPE_MAILCOW_SIM, NULL);
}

/* The simulator binds the socket itself and reads its port here, rather than asking
 * soup_server_get_uris(): libsoup 3.2 caches the address that call looks up in its listener
 * and never frees it (upstream later freed it in soup_listener_finalize). */
static gboolean
listen_loopback (HesMailcowSim *self, guint port, SoupServerListenOptions options,
                 guint *out_port, GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         error);
  if (socket == NULL
      || !g_socket_bind (socket, address, TRUE, error)
      || !g_socket_listen (socket, error))
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;

  /* Timeouts go where the listening sockets are: the caller's thread-default context. */
  g_main_context_unref (self->context);
  self->context = g_main_context_ref_thread_default ();
  if (!soup_server_listen_socket (self->server, socket, options, error))
    return FALSE;
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return TRUE;
}

gboolean
hes_mailcow_sim_listen (HesMailcowSim *self, guint port, GError **error)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), FALSE);

  return listen_loopback (self, port, 0, &self->port, error);
}

gboolean
hes_mailcow_sim_listen_https (HesMailcowSim *self, GTlsCertificate *certificate, GError **error)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  soup_server_set_tls_certificate (self->server, certificate);
  return listen_loopback (self, 0, SOUP_SERVER_LISTEN_HTTPS, &self->https_port, error);
}

char *
hes_mailcow_sim_dup_url (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), NULL);
  return self->port ? g_strdup_printf ("http://127.0.0.1:%u", self->port) : NULL;
}

char *
hes_mailcow_sim_dup_https_url (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), NULL);
  return self->https_port ? g_strdup_printf ("https://127.0.0.1:%u", self->https_port) : NULL;
}

void
hes_mailcow_sim_set_hostname (HesMailcowSim *self, const char *hostname)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  g_free (self->hostname);
  self->hostname = g_strdup (hostname);
}

const char *
hes_mailcow_sim_get_hostname (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), NULL);
  return self->hostname;
}

void
hes_mailcow_sim_set_fault (HesMailcowSim *self, HesSimFault fault)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->fault = fault;
}

void
hes_mailcow_sim_set_delay_ms (HesMailcowSim *self, guint delay_ms)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->delay_ms = delay_ms;
}

void
hes_mailcow_sim_set_ban_threshold (HesMailcowSim *self, guint failures)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->ban_threshold = failures;
}

void
hes_mailcow_sim_set_failure_delay_unit_ms (HesMailcowSim *self, guint unit_ms)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->failure_delay_unit_ms = unit_ms;
}

guint
hes_mailcow_sim_get_failed_logins (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  return self->failed_logins;
}

void
hes_mailcow_sim_unban (HesMailcowSim *self)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->failed_logins = 0;
}

gint64
hes_mailcow_sim_get_time (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  return sim_now (self);
}

void
hes_mailcow_sim_advance_clock (HesMailcowSim *self, gint64 seconds)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->clock_offset += seconds;
}

guint
hes_mailcow_sim_count_sessions (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  return g_hash_table_size (self->sessions);
}

GTlsCertificate *
hes_mailcow_sim_load_test_certificate (const char *name, GError **error)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  cert = g_strdup_printf ("%s/%s.pem", HES_SIM_CERTS_DIR, name);
  key = g_strdup_printf ("%s/%s-key.pem", HES_SIM_CERTS_DIR, name);
  return g_tls_certificate_new_from_files (cert, key, error);
}

const char *
hes_mailcow_sim_get_test_ca_file (void)
{
  return HES_SIM_CERTS_DIR "/ca.pem";
}
