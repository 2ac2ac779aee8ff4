/* hes-test-fake-imap.c: blocking I/O in the service's threads keeps each script linear. */
#define G_LOG_DOMAIN "hes-test-fake-imap"

#include "config.h"

#include <string.h>

#include "hes-test-fake-imap.h"

struct _HesFakeImap
{
  GSocketService    *service;
  guint16            port;
  GTlsCertificate   *certificate;
  char              *greeting;
  const HesFakeRule *rules;
  GMutex             lock;
  GCond              idle;
  guint              active;
  GPtrArray         *commands;
};

static gboolean
send_text (GOutputStream *output,
           const char    *text)
{
  return g_output_stream_write_all (output, text, strlen (text), NULL, NULL, NULL);
}

static char *
read_line (GDataInputStream *input)
{
  gsize length = 0;
  char *line = g_data_input_stream_read_line (input, &length, NULL, NULL);

  if (line != NULL && length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';
  return line;
}

/* Reads the rest of a command whose line ends with "{n}": "+", then n bytes, then a line. */
static gboolean
read_literals (GDataInputStream *input,
               GOutputStream    *output,
               GString          *command)
{
  const char *brace;

  while (command->len > 0 && command->str[command->len - 1] == '}' &&
         (brace = strrchr (command->str, '{')) != NULL)
    {
      guint64 size = g_ascii_strtoull (brace + 1, NULL, 10);
      g_autofree char *bytes = g_malloc0 (size + 1);
      g_autofree char *next = NULL;
      gsize read = 0;

      if (!send_text (output, "+ Ready for literal data\r\n") ||
          !g_input_stream_read_all (G_INPUT_STREAM (input), bytes, size, &read, NULL, NULL) ||
          read != size || (next = read_line (input)) == NULL)
        return FALSE;
      g_string_append (command, "\r\n");
      g_string_append_len (command, bytes, (gssize) size);
      g_string_append (command, next);
    }
  return TRUE;
}

static const HesFakeRule *
find_rule (HesFakeImap *self,
           const char  *command)
{
  for (const HesFakeRule *rule = self->rules; rule->command != NULL; rule++)
    {
      if (g_str_equal (rule->command, "*") ||
          g_ascii_strncasecmp (command, rule->command, strlen (rule->command)) == 0)
        return rule;
    }
  return NULL;
}

static char *
expand_reply (const char *reply,
              const char *tag)
{
  g_autoptr(GString) text = g_string_new (reply);

  g_string_replace (text, "{tag}", tag, 0);
  g_string_append (text, "\r\n");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Answers one command; FALSE to end the connection. */
static gboolean
answer (HesFakeImap      *self,
        GDataInputStream *input,
        GOutputStream    *output,
        const char       *line)
{
  const char *space = strchr (line, ' ');
  g_autofree char *tag = g_strndup (line, space != NULL ? (gsize) (space - line) : strlen (line));
  g_autoptr(GString) command = g_string_new (space != NULL ? space + 1 : "");
  const HesFakeRule *rule;
  g_autofree char *reply = NULL;

  if (!read_literals (input, output, command))
    return FALSE;
  rule = find_rule (self, command->str);
  for (guint i = 0; rule != NULL && i < rule->continuations; i++)
    {
      g_autofree char *more = NULL;

      if (!send_text (output, "+ \r\n") || (more = read_line (input)) == NULL)
        return FALSE;
      g_string_append_printf (command, "\r\n%s", more);
    }
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->commands, g_strdup (command->str));
  g_mutex_unlock (&self->lock);

  reply = expand_reply (rule != NULL ? rule->reply : "{tag} BAD Unknown command", tag);
  return send_text (output, reply) && (rule == NULL || !rule->close);
}

static void
serve (HesFakeImap *self,
       GIOStream   *stream)
{
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  GOutputStream *output = g_io_stream_get_output_stream (stream);
  g_autofree char *greeting = NULL;

  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_LF);
  if (self->greeting == NULL)
    {
      /* Silent: wait for the client to give up. */
      while (g_input_stream_skip (G_INPUT_STREAM (input), 4096, NULL, NULL) > 0)
        ;
      return;
    }
  greeting = g_strconcat (self->greeting, "\r\n", NULL);
  if (!send_text (output, greeting))
    return;
  for (;;)
    {
      g_autofree char *line = read_line (input);

      if (line == NULL || !answer (self, input, output, line))
        return;
    }
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  HesFakeImap *self = user_data;
  g_autoptr(GIOStream) tls = NULL;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 30);
  if (self->certificate != NULL)
    {
      tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, NULL);
      if (tls != NULL && g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        serve (self, tls);
    }
  else
    serve (self, G_IO_STREAM (connection));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&self->lock);
  self->active--;
  g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Counted in the main thread, before any worker runs, so that free() can wait for them. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  HesFakeImap *self = user_data;

  g_mutex_lock (&self->lock);
  self->active++;
  g_mutex_unlock (&self->lock);
  return FALSE;
}

HesFakeImap *
hes_fake_imap_new (GTlsCertificate   *certificate,
                   const char        *greeting,
                   const HesFakeRule *rules)
{
  HesFakeImap *self = g_new0 (HesFakeImap, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->commands = g_ptr_array_new_with_free_func (g_free);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->greeting = g_strdup (greeting);
  self->rules = rules;
  self->service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* "incoming" runs before the class handler that hands the connection to a thread. */
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);
  return self;
}

guint16
hes_fake_imap_get_port (HesFakeImap *self)
{
  return self->port;
}

GStrv
hes_fake_imap_get_commands (HesFakeImap *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->commands->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->commands, i));
  g_mutex_unlock (&self->lock);
  return g_strv_builder_end (builder);
}

void
hes_fake_imap_free (HesFakeImap *self)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (self == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_mutex_lock (&self->lock);
  while (self->active > 0 && g_cond_wait_until (&self->idle, &self->lock, deadline))
    ;
  g_mutex_unlock (&self->lock);
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_clear_object (&self->certificate);
  g_ptr_array_unref (self->commands);
  g_free (self->greeting);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_free (self);
}

