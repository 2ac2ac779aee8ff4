/* hes-imap-connection.c: the transport of the IMAP connection test.
 *
 * One internal GCancellable ends whatever step is running: the caller's cancellable and the
 * step's timer both cancel it, and timed_out tells the two apart afterwards.
 */
#define G_LOG_DOMAIN "hes-imap-connection"

#include "config.h"

#include <string.h>

#include "hes-imap-connection.h"
#include "hes-imap-connection-private.h"

#define DEFAULT_STEP_TIMEOUT_MS 10000

struct _HesImapConnection
{
  GObject              parent_instance;

  char                *host;
  guint16              port;
  guint                step_timeout_ms;
  guint                next_tag;

  GMainContext        *context;         /* where the caller runs, and so the timers */
  GCancellable        *cancellable;     /* ours: cancelled by the caller's or by a timer */
  GCancellable        *caller_cancellable;
  gulong               caller_handler;
  guint                timeout_id;
  gboolean             timed_out;

  GTlsDatabase        *extra_ca;        /* tests only: HES_IMAP_EXTRA_CA */
  GSocketConnection   *socket_connection;
  GTlsConnection      *tls;
  GDataInputStream    *input;
  GOutputStream       *output;
};

G_DEFINE_FINAL_TYPE (HesImapConnection, hes_imap_connection, G_TYPE_OBJECT)

void
hes_imap_response_free (HesImapResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->text);
  g_clear_pointer (&response->untagged, g_ptr_array_unref);
  g_free (response);
}

static void
disarm_timer (HesImapConnection *self)
{
  GSource *source;

  if (self->timeout_id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, self->timeout_id);
  if (source != NULL)
    g_source_destroy (source);
  self->timeout_id = 0;
}

static gboolean
on_step_timeout (gpointer user_data)
{
  HesImapConnection *self = user_data;

  self->timeout_id = 0;
  self->timed_out = TRUE;
  g_debug ("A step took longer than %u ms: giving up", self->step_timeout_ms);
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

/* (Re)starts the timer of the current step. */
void
_hes_imap_connection_arm_timer (HesImapConnection *self)
{
  g_autoptr(GSource) source = g_timeout_source_new (self->step_timeout_ms);

  disarm_timer (self);
  g_source_set_callback (source, on_step_timeout, self, NULL);
  self->timeout_id = g_source_attach (source, self->context);
}

void
_hes_imap_connection_disarm_timer (HesImapConnection *self)
{
  disarm_timer (self);
}

GCancellable *
_hes_imap_connection_get_cancellable (HesImapConnection *self)
{
  return self->cancellable;
}

GDataInputStream *
_hes_imap_connection_get_input (HesImapConnection *self)
{
  return self->input;
}

GOutputStream *
_hes_imap_connection_get_output (HesImapConnection *self)
{
  return self->output;
}

char *
_hes_imap_connection_next_tag (HesImapConnection *self)
{
  return g_strdup_printf ("A%03u", ++self->next_tag);
}

static HesImapError
classify_connect_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE ? HES_IMAP_ERROR_UNREACHABLE
                                                             : HES_IMAP_ERROR_HOST_NOT_FOUND;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return HES_IMAP_ERROR_REFUSED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return HES_IMAP_ERROR_TIMEOUT;
  return HES_IMAP_ERROR_UNREACHABLE;
}

static HesImapError
classify_tls_error (const GError *error)
{
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return HES_IMAP_ERROR_TLS_UNTRUSTED;
  /* The server answered in clear text: a plain port, or a STARTTLS port asked for SSL/TLS. */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    return HES_IMAP_ERROR_WRONG_SECURITY;
  return HES_IMAP_ERROR_TLS_FAILED;
}

/* Turns a GIO error into the plain HES_IMAP_ERROR; a cancellation by the caller stays as is. */
GError *
_hes_imap_connection_map_error (HesImapConnection *self,
                                const GError      *error,
                                HesImapError       fallback)
{
  HesImapError code = fallback;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!self->timed_out)
        return g_error_copy (error);
      code = HES_IMAP_ERROR_TIMEOUT;
    }
  else if (error->domain == HES_IMAP_ERROR)
    return g_error_copy (error);
  else if (fallback == HES_IMAP_ERROR_UNREACHABLE)
    code = classify_connect_error (error);
  else if (fallback == HES_IMAP_ERROR_TLS_FAILED)
    code = classify_tls_error (error);

  g_debug ("%s:%u: %s (%s)", self->host, self->port, hes_imap_error_code_to_string (code),
           error->message);
  return hes_imap_error_new (code, self->host, self->port);
}

static void
use_streams (HesImapConnection *self,
             GIOStream         *stream)
{
  g_clear_object (&self->input);
  self->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* Lines end in CRLF; reading up to LF and dropping the CR also copes with bare LF. */
  g_data_input_stream_set_newline_type (self->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (self->input), FALSE);
  self->output = g_io_stream_get_output_stream (stream);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  HesImapConnection *self = user_data;

  g_cancellable_cancel (self->cancellable);
}

static void
load_extra_ca (HesImapConnection *self)
{
  const char *path = g_getenv ("HES_IMAP_EXTRA_CA");
  g_autoptr(GError) error = NULL;

  if (path == NULL || path[0] == '\0')
    return;
  self->extra_ca = g_tls_file_database_new (path, &error);
  if (self->extra_ca == NULL)
    g_warning ("HES_IMAP_EXTRA_CA: %s", error->message);
}

static void
hes_imap_connection_dispose (GObject *object)
{
  HesImapConnection *self = HES_IMAP_CONNECTION (object);

  disarm_timer (self);
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
  self->caller_handler = 0;
  g_clear_object (&self->caller_cancellable);
  hes_imap_connection_close (self);
  g_clear_object (&self->input);
  self->output = NULL;
  g_clear_object (&self->tls);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->extra_ca);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (hes_imap_connection_parent_class)->dispose (object);
}

static void
hes_imap_connection_finalize (GObject *object)
{
  HesImapConnection *self = HES_IMAP_CONNECTION (object);

  g_free (self->host);
  G_OBJECT_CLASS (hes_imap_connection_parent_class)->finalize (object);
}

static void
hes_imap_connection_class_init (HesImapConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_imap_connection_dispose;
  object_class->finalize = hes_imap_connection_finalize;
}

static void
hes_imap_connection_init (HesImapConnection *self)
{
  self->step_timeout_ms = DEFAULT_STEP_TIMEOUT_MS;
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
}

HesImapConnection *
hes_imap_connection_new (const char   *host,
                         guint16       port,
                         GCancellable *cancellable)
{
  HesImapConnection *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (HES_TYPE_IMAP_CONNECTION, NULL);
  self->host = g_strdup (host);
  self->port = port;
  load_extra_ca (self);
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                    self, NULL);
    }
  return self;
}

void
hes_imap_connection_set_step_timeout (HesImapConnection *self,
                                      guint              milliseconds)
{
  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));
  g_return_if_fail (milliseconds > 0);

  self->step_timeout_ms = milliseconds;
}

const char *
hes_imap_connection_get_host (HesImapConnection *self)
{
  g_return_val_if_fail (HES_IS_IMAP_CONNECTION (self), NULL);
  return self->host;
}

guint16
hes_imap_connection_get_port (HesImapConnection *self)
{
  g_return_val_if_fail (HES_IS_IMAP_CONNECTION (self), 0);
  return self->port;
}

gboolean
hes_imap_connection_is_tls (HesImapConnection *self)
{
  g_return_val_if_fail (HES_IS_IMAP_CONNECTION (self), FALSE);
  return self->tls != NULL;
}

/* Connecting */

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapConnection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  disarm_timer (self);
  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, _hes_imap_connection_map_error (self, error,
                                                                 HES_IMAP_ERROR_UNREACHABLE));
      return;
    }
  self->socket_connection = connection;
  use_streams (self, G_IO_STREAM (connection));
  g_task_return_boolean (task, TRUE);
}

void
hes_imap_connection_connect_async (HesImapConnection   *self,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;

  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));
  g_return_if_fail (self->socket_connection == NULL);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_imap_connection_connect_async);
  /* A step ended by its timer must report the timeout, not a cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  client = g_socket_client_new ();
  _hes_imap_connection_arm_timer (self);
  g_debug ("Connecting to %s:%u", self->host, self->port);
  g_socket_client_connect_to_host_async (client, self->host, self->port, self->cancellable,
                                         on_connected, g_steal_pointer (&task));
}

gboolean
hes_imap_connection_connect_finish (HesImapConnection  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TLS */

/* For tests only: a certificate whose one fault is an unknown authority is accepted when the
 * extra authority of HES_IMAP_EXTRA_CA fully verifies it (chain, dates and server name). */
static gboolean
on_accept_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  HesImapConnection *self = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (self->extra_ca == NULL || errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;
  identity = g_network_address_new (self->host, self->port);
  flags = g_tls_database_verify_chain (self->extra_ca, peer,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  return flags == 0;
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapConnection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  disarm_timer (self);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_task_return_error (task, _hes_imap_connection_map_error (self, error,
                                                                 HES_IMAP_ERROR_TLS_FAILED));
      return;
    }
  use_streams (self, G_IO_STREAM (self->tls));
  g_task_return_boolean (task, TRUE);
}

void
hes_imap_connection_start_tls_async (HesImapConnection   *self,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));
  g_return_if_fail (self->socket_connection != NULL && self->tls == NULL);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_imap_connection_start_tls_async);
  /* A step ended by its timer must report the timeout, not a cancellation. */
  g_task_set_check_cancellable (task, FALSE);

  /* Anything already buffered came before the handshake: a man in the middle may have put it
   * there to be read as if it came through TLS (CVE-2011-0411 and its kin). */
  if (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (self->input)) > 0)
    {
      g_task_return_error (task, hes_imap_error_new (HES_IMAP_ERROR_PROTOCOL, self->host,
                                                     self->port));
      return;
    }

  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL)
    {
      g_task_return_error (task, _hes_imap_connection_map_error (self, error,
                                                                 HES_IMAP_ERROR_TLS_FAILED));
      return;
    }
  self->tls = G_TLS_CONNECTION (tls);
  g_signal_connect_object (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), self, 0);
  _hes_imap_connection_arm_timer (self);
  g_tls_connection_handshake_async (self->tls, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_handshake_done, g_steal_pointer (&task));
}

gboolean
hes_imap_connection_start_tls_finish (HesImapConnection  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hes_imap_connection_close (HesImapConnection *self)
{
  GSocket *socket;

  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));

  if (self->socket_connection == NULL)
    return;
  /* Closing the socket itself never waits for the peer, unlike a TLS close. */
  socket = g_socket_connection_get_socket (self->socket_connection);
  if (!g_socket_is_closed (socket))
    g_socket_close (socket, NULL);
}
