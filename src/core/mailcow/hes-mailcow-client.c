/* hes-mailcow-client.c: one session with one mailcow server, and how requests are sent.
 *
 * Sign-in lives in hes-mailcow-sign-in.c, the JSON API in hes-mailcow-api.c.
 */
#define G_LOG_DOMAIN "hes-mailcow-client"

#include "config.h"

#include <string.h>

#include "hes-mailcow-client-private.h"

#define DEFAULT_TIMEOUT_SECONDS 20

G_DEFINE_FINAL_TYPE (HesMailcowClient, hes_mailcow_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_HOST,
  PROP_TIMEOUT,
  PROP_ROLE,
  PROP_USERNAME,
  PROP_SIGNED_IN,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Every client alive, and the server sessions of clients dropped while still signed in:
 * quitting signs them all out (hes_mailcow_sign_out_all). Main thread only. */
static GList *live_clients;
static GPtrArray *dropped_sessions;

static void
dropped_session_free (HesDroppedSession *dropped)
{
  g_clear_object (&dropped->session);
  g_clear_object (&dropped->logout);
  g_free (dropped);
}

/* The session and its cookie stay, with the logout request ready, until quitting sends it;
 * its idle connections close now. */
static void
keep_dropped_session (HesMailcowClient *self)
{
  HesDroppedSession *dropped = g_new0 (HesDroppedSession, 1);

  dropped->logout = _hes_mailcow_client_new_message (self, SOUP_METHOD_POST,
                                                     _hes_mailcow_client_page_path (self));
  _hes_mailcow_set_form_body (dropped->logout, (const char *[]) { "logout", "1", NULL });
  dropped->session = g_object_ref (self->session);
  if (dropped_sessions == NULL)
    dropped_sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) dropped_session_free);
  g_ptr_array_add (dropped_sessions, dropped);
}

GList *
_hes_mailcow_client_get_live (void)
{
  return live_clients;
}

GPtrArray *
_hes_mailcow_client_steal_dropped (void)
{
  return g_steal_pointer (&dropped_sessions);
}

static void
hes_mailcow_client_dispose (GObject *object)
{
  HesMailcowClient *self = HES_MAILCOW_CLIENT (object);

  live_clients = g_list_remove (live_clients, self);
  if (self->session != NULL && self->base_url != NULL && self->state != HES_CLIENT_SIGNED_OUT)
    keep_dropped_session (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->jar);
  g_clear_object (&self->session);
  g_clear_pointer (&self->pending_factors, g_ptr_array_unref);

  G_OBJECT_CLASS (hes_mailcow_client_parent_class)->dispose (object);
}

static void
hes_mailcow_client_finalize (GObject *object)
{
  HesMailcowClient *self = HES_MAILCOW_CLIENT (object);

  g_free (self->base_url);
  g_free (self->host);
  g_free (self->username);

  G_OBJECT_CLASS (hes_mailcow_client_parent_class)->finalize (object);
}

static void
hes_mailcow_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HesMailcowClient *self = HES_MAILCOW_CLIENT (object);

  switch (prop_id) {
  case PROP_BASE_URL:
    g_value_set_string (value, self->base_url);
    break;
  case PROP_HOST:
    g_value_set_string (value, self->host);
    break;
  case PROP_TIMEOUT:
    g_value_set_uint (value, self->timeout);
    break;
  case PROP_ROLE:
    g_value_set_int (value, self->role);
    break;
  case PROP_USERNAME:
    g_value_set_string (value, hes_mailcow_client_get_username (self));
    break;
  case PROP_SIGNED_IN:
    g_value_set_boolean (value, hes_mailcow_client_get_signed_in (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_mailcow_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HesMailcowClient *self = HES_MAILCOW_CLIENT (object);

  switch (prop_id) {
  case PROP_TIMEOUT:
    hes_mailcow_client_set_timeout (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_mailcow_client_class_init (HesMailcowClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hes_mailcow_client_dispose;
  object_class->finalize = hes_mailcow_client_finalize;
  object_class->get_property = hes_mailcow_client_get_property;
  object_class->set_property = hes_mailcow_client_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, HES_MAILCOW_ROLE_MAILBOX_USER,
                      HES_MAILCOW_ROLE_DOMAIN_ADMIN, HES_MAILCOW_ROLE_MAILBOX_USER, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, ro);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* Tests only: HES_MAILCOW_TEST_CA names the one CA file to trust instead of the system's,
 * so that a test server on loopback can have a valid certificate. */
static void
use_test_ca (HesMailcowClient *self)
{
  const char *path = g_getenv ("HES_MAILCOW_TEST_CA");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || *path == '\0')
    return;
  database = g_tls_file_database_new (path, &error);
  if (database == NULL) {
    g_warning ("HES_MAILCOW_TEST_CA: %s", error->message);
    return;
  }
  soup_session_set_tls_database (self->session, database);
}

static void
hes_mailcow_client_init (HesMailcowClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "timeout", self->timeout,
                                                 NULL);
  self->jar = soup_cookie_jar_new ();
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->jar));
  use_test_ca (self);
  live_clients = g_list_prepend (live_clients, self);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
set_invalid_url (GError **error)
{
  g_set_error_literal (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_INVALID_URL,
                       hes_mailcow_error_describe (HES_MAILCOW_ERROR_INVALID_URL));
  return FALSE;
}

/* Only the server itself: a path, a query or user info mean the customer pasted something
 * else (a webmail link, a login URL with a name in it). */
static gboolean
uri_is_bare_server (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  return (path[0] == '\0' || g_str_equal (path, "/")) &&
         g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL &&
         g_uri_get_userinfo (uri) == NULL;
}

static gboolean
parse_server (HesMailcowClient *self, const char *server, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (server));
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gboolean https;

  if (*trimmed == '\0')
    return set_invalid_url (error);
  text = strstr (trimmed, "://") ? g_strdup (trimmed) : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !uri_is_bare_server (uri))
    return set_invalid_url (error);

  scheme = g_uri_get_scheme (uri);
  https = g_ascii_strcasecmp (scheme, "https") == 0;
  if (!https && g_ascii_strcasecmp (scheme, "http") != 0)
    return set_invalid_url (error);
  host = g_hostname_to_ascii (g_uri_get_host (uri));
  if (host == NULL || strpbrk (host, " /\\@") != NULL)
    return set_invalid_url (error);
  /* Plain http only reaches the simulator on this computer: a password must never cross a
   * network in clear text. */
  if (!https && !is_loopback (host)) {
    g_set_error_literal (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_INSECURE_URL,
                         hes_mailcow_error_describe (HES_MAILCOW_ERROR_INSECURE_URL));
    return FALSE;
  }

  self->host = g_ascii_strdown (host, -1);
  self->base_url = g_uri_join (G_URI_FLAGS_NONE, https ? "https" : "http", NULL, self->host,
                               g_uri_get_port (uri), "", NULL, NULL);
  return TRUE;
}

HesMailcowClient *
hes_mailcow_client_new (const char  *server,
                        GError     **error)
{
  g_autoptr(HesMailcowClient) self = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HES_TYPE_MAILCOW_CLIENT, NULL);
  if (!parse_server (self, server, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
hes_mailcow_client_get_base_url (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), NULL);

  return self->base_url;
}

const char *
hes_mailcow_client_get_host (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), NULL);

  return self->host;
}

void
hes_mailcow_client_set_timeout (HesMailcowClient *self,
                                guint             seconds)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

HesMailcowRole
hes_mailcow_client_get_role (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), HES_MAILCOW_ROLE_MAILBOX_USER);

  return self->role;
}

const char *
hes_mailcow_client_get_username (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), NULL);

  return hes_mailcow_client_get_signed_in (self) ? self->username : NULL;
}

gboolean
hes_mailcow_client_get_signed_in (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), FALSE);

  return self->state == HES_CLIENT_SIGNED_IN || self->state == HES_CLIENT_PENDING_TFA_SETUP;
}

HesSignInOutcome
hes_mailcow_client_get_sign_in_state (HesMailcowClient *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (self), HES_SIGN_IN_DONE);

  switch (self->state) {
  case HES_CLIENT_PENDING_SECOND_FACTOR:
    return HES_SIGN_IN_NEEDS_SECOND_FACTOR;
  case HES_CLIENT_PENDING_PASSWORD_CHANGE:
    return HES_SIGN_IN_NEEDS_PASSWORD_CHANGE;
  case HES_CLIENT_PENDING_TFA_SETUP:
    return HES_SIGN_IN_NEEDS_TFA_SETUP;
  case HES_CLIENT_SIGNED_OUT:
  case HES_CLIENT_SIGNED_IN:
  default:
    return HES_SIGN_IN_DONE;
  }
}

void
_hes_mailcow_client_set_state (HesMailcowClient *self,
                               HesClientState    state)
{
  gboolean was_signed_in = hes_mailcow_client_get_signed_in (self);

  self->state = state;
  if (state != HES_CLIENT_PENDING_SECOND_FACTOR)
    g_clear_pointer (&self->pending_factors, g_ptr_array_unref);
  if (state == HES_CLIENT_SIGNED_OUT)
    g_clear_pointer (&self->username, g_free);

  if (was_signed_in != hes_mailcow_client_get_signed_in (self)) {
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  }
}

/* A fresh cookie jar: the next request starts a new server session. */
void
_hes_mailcow_client_reset_session (HesMailcowClient *self)
{
  soup_session_remove_feature (self->session, SOUP_SESSION_FEATURE (self->jar));
  g_clear_object (&self->jar);
  self->jar = soup_cookie_jar_new ();
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->jar));
  _hes_mailcow_client_set_state (self, HES_CLIENT_SIGNED_OUT);
}

const char *
_hes_mailcow_role_login_path (HesMailcowRole role)
{
  /* The slash matters: /domainadmin answers 301 and a followed 301 turns a POST into a GET. */
  return role == HES_MAILCOW_ROLE_DOMAIN_ADMIN ? "/domainadmin/" : "/";
}

const char *
_hes_mailcow_client_page_path (HesMailcowClient *self)
{
  if (self->state != HES_CLIENT_SIGNED_IN)
    return _hes_mailcow_role_login_path (self->role);
  /* A domain admin's GET /user is only a redirect and renders (flushes) nothing. */
  return self->role == HES_MAILCOW_ROLE_DOMAIN_ADMIN ? "/domainadmin/user" : "/user";
}

static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Final: a certificate the system does not trust is never accepted, whatever it is. */
  g_debug ("untrusted certificate (flags 0x%x)", errors);
  return FALSE;
}

SoupMessage *
_hes_mailcow_client_new_message (HesMailcowClient *self,
                                 const char       *method,
                                 const char       *path)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessage *message = soup_message_new (method, url);

  g_assert (message != NULL);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  return message;
}

char *
_hes_mailcow_location_path (SoupMessage *message)
{
  const char *location;
  g_autoptr(GUri) uri = NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                           "Location");
  if (location == NULL)
    return NULL;
  uri = g_uri_parse_relative (soup_message_get_uri (message), location, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  return g_strdup (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");
}
