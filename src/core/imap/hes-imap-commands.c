/* hes-imap-commands.c: the greeting, tagged commands and the responses they get.
 *
 * Responses are read line by line from a GDataInputStream; a line ending in "{n}" announces a
 * literal of n bytes, read as such and kept inline in the logical line. The step timer is
 * restarted by each line sent or received, so a long folder list is fine but silence is not.
 */
#define G_LOG_DOMAIN "hes-imap-connection"

#include "config.h"

#include <string.h>

#include "hes-imap-connection-private.h"

#define MAX_LITERAL_SIZE (1024 * 1024)
#define MAX_UNTAGGED 100000
#define MAX_LOGGED 200

typedef struct {
  gboolean          greeting;
  gboolean          secret;
  char             *tag;
  GPtrArray        *parts;     /* char *, wiped after use when secret */
  guint             next_part;
  char             *sending;
  gsize             sending_length;
  GByteArray       *line;      /* the logical line being read */
  guchar           *literal;
  gsize             literal_size;
  char             *bye_text;
  HesImapResponse  *response;
} Op;

static void
wipe_free (gpointer data)
{
  char *text = data;

  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
op_free (Op *op)
{
  g_clear_pointer (&op->parts, g_ptr_array_unref);
  if (op->sending != NULL && op->secret)
    explicit_bzero (op->sending, op->sending_length);
  g_free (op->sending);
  g_byte_array_unref (op->line);
  g_free (op->literal);
  g_free (op->tag);
  g_free (op->bye_text);
  hes_imap_response_free (op->response);
  g_free (op);
}

static Op *
op_new (gboolean greeting)
{
  Op *op = g_new0 (Op, 1);

  op->greeting = greeting;
  op->line = g_byte_array_new ();
  op->response = g_new0 (HesImapResponse, 1);
  op->response->untagged = g_ptr_array_new_with_free_func (g_free);
  return op;
}

/* Every function below that gets a GTask takes it: it ends in fail(), succeed(), or hands the
 * task on to the next read or write. */
static void
fail (GTask        *task,
      HesImapError  fallback,
      const GError *error)
{
  HesImapConnection *self = g_task_get_source_object (task);

  _hes_imap_connection_disarm_timer (self);
  if (error != NULL)
    g_task_return_error (task, _hes_imap_connection_map_error (self, error, fallback));
  else
    g_task_return_error (task, hes_imap_error_new (fallback, hes_imap_connection_get_host (self),
                                                   hes_imap_connection_get_port (self)));
  g_object_unref (task);
}

static void
succeed (GTask *task)
{
  HesImapConnection *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  _hes_imap_connection_disarm_timer (self);
  g_task_return_pointer (task, g_steal_pointer (&op->response),
                         (GDestroyNotify) hes_imap_response_free);
  g_object_unref (task);
}

/* The size n of a line ending in "{n}" or "{n+}", or -1. */
static gint64
trailing_literal_size (const char *line,
                       gsize       length)
{
  gsize i, digits_end;
  guint64 size;

  if (length < 3 || line[length - 1] != '}')
    return -1;
  i = length - 2;
  if (line[i] == '+')
    i--;
  digits_end = i + 1;
  while (i > 0 && g_ascii_isdigit (line[i]))
    i--;
  if (line[i] != '{' || i + 1 == digits_end || digits_end - i > 10)
    return -1;
  size = g_ascii_strtoull (line + i + 1, NULL, 10);
  return (gint64) MIN (size, (guint64) MAX_LITERAL_SIZE + 1);
}

/* Splits "OK [CODE] text" into a status and its text. */
static gboolean
parse_status (const char    *rest,
              HesImapStatus *status,
              const char   **text)
{
  static const struct { const char *word; HesImapStatus status; } words[] = {
    { "OK", HES_IMAP_STATUS_OK }, { "NO", HES_IMAP_STATUS_NO }, { "BAD", HES_IMAP_STATUS_BAD },
    { "PREAUTH", HES_IMAP_STATUS_PREAUTH }, { "BYE", HES_IMAP_STATUS_BYE },
  };
  gsize length = strcspn (rest, " ");

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (length == strlen (words[i].word) &&
          g_ascii_strncasecmp (rest, words[i].word, length) == 0)
        {
          *status = words[i].status;
          *text = rest[length] == ' ' ? rest + length + 1 : rest + length;
          return TRUE;
        }
    }
  return FALSE;
}

static void read_line (GTask *task);
static void send_next_part (GTask *task);

static void
handle_greeting (GTask      *task,
                 const char *line,
                 gsize       length)
{
  Op *op = g_task_get_task_data (task);
  HesImapStatus status;
  const char *text;

  /* A TLS alert or handshake record: this port wants SSL/TLS from the first byte. */
  if (length >= 2 && (line[0] == 0x15 || line[0] == 0x16) && line[1] == 0x03)
    {
      fail (task, HES_IMAP_ERROR_WRONG_SECURITY, NULL);
      return;
    }
  if (strncmp (line, "* ", 2) != 0 || !parse_status (line + 2, &status, &text) ||
      status == HES_IMAP_STATUS_NO || status == HES_IMAP_STATUS_BAD)
    {
      fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
      return;
    }
  op->response->status = status;
  op->response->text = g_strdup (text);
  succeed (task);
}

static void
handle_tagged (GTask      *task,
               const char *rest)
{
  Op *op = g_task_get_task_data (task);
  HesImapStatus status;
  const char *text;

  if (!parse_status (rest, &status, &text) || status > HES_IMAP_STATUS_BAD)
    {
      fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
      return;
    }
  op->response->status = status;
  op->response->text = g_strdup (text);
  succeed (task);
}

static void
handle_command_line (GTask      *task,
                     const char *line,
                     gsize       length)
{
  Op *op = g_task_get_task_data (task);
  gsize tag_length = strlen (op->tag);

  if (line[0] == '+')
    {
      if (op->next_part < op->parts->len)
        send_next_part (task);
      else
        fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
      return;
    }
  if (strncmp (line, "* ", 2) == 0)
    {
      if (op->response->untagged->len >= MAX_UNTAGGED)
        {
          fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
          return;
        }
      if (g_ascii_strncasecmp (line + 2, "BYE", 3) == 0)
        {
          g_free (op->bye_text);
          op->bye_text = g_strdup (length > 6 ? line + 6 : "");
        }
      g_ptr_array_add (op->response->untagged, g_strndup (line, length));
      read_line (task);
      return;
    }
  if (strncmp (line, op->tag, tag_length) == 0 && line[tag_length] == ' ')
    {
      handle_tagged (task, line + tag_length + 1);
      return;
    }
  fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
}

static void
log_received (Op         *op,
              const char *line,
              gsize       length)
{
  if (op->secret)
    g_debug ("S: (the answer to a sign-in is not logged)");
  else
    g_debug ("S: %.*s%s", (int) MIN (length, MAX_LOGGED), line, length > MAX_LOGGED ? "…" : "");
}

static void
complete_line (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GByteArray) line = g_steal_pointer (&op->line);
  gsize length = line->len;

  op->line = g_byte_array_new ();
  /* A NUL inside a line is not IMAP; the terminator makes the line a C string. */
  if (memchr (line->data, '\0', length) != NULL)
    {
      fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
      return;
    }
  g_byte_array_append (line, (const guint8 *) "", 1);
  log_received (op, (const char *) line->data, length);
  if (op->greeting)
    handle_greeting (task, (const char *) line->data, length);
  else
    handle_command_line (task, (const char *) line->data, length);
}

static void
on_literal_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &read, &error) ||
      read != op->literal_size)
    {
      fail (task, HES_IMAP_ERROR_PROTOCOL, error);
      return;
    }
  g_byte_array_append (op->line, op->literal, op->literal_size);
  g_clear_pointer (&op->literal, g_free);
  read_line (task);
}

static void
read_literal (GTask *task,
              gsize  size)
{
  HesImapConnection *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_byte_array_append (op->line, (const guint8 *) "\r\n", 2);
  if (size == 0)
    {
      read_line (task);
      return;
    }
  op->literal_size = size;
  op->literal = g_malloc (size);
  g_input_stream_read_all_async (G_INPUT_STREAM (_hes_imap_connection_get_input (self)),
                                 op->literal, size, G_PRIORITY_DEFAULT,
                                 _hes_imap_connection_get_cancellable (self),
                                 on_literal_read, task);
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;
  gint64 literal;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &length,
                                               &error);
  if (line == NULL)
    {
      /* The server closed the connection: after a BYE, that BYE is the answer, however
       * untidily the connection ends (many servers skip the TLS close_notify). */
      if (op->bye_text != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          op->response->status = HES_IMAP_STATUS_BYE;
          op->response->text = g_steal_pointer (&op->bye_text);
          succeed (task);
        }
      else
        fail (task, HES_IMAP_ERROR_PROTOCOL, error);
      return;
    }
  if (length > 0 && line[length - 1] == '\r')
    line[--length] = '\0';
  g_byte_array_append (op->line, (const guint8 *) line, length);

  literal = trailing_literal_size (line, length);
  if (literal > MAX_LITERAL_SIZE)
    fail (task, HES_IMAP_ERROR_PROTOCOL, NULL);
  else if (literal >= 0)
    read_literal (task, (gsize) literal);
  else
    complete_line (task);
}

static void
read_line (GTask *task)
{
  HesImapConnection *self = g_task_get_source_object (task);

  _hes_imap_connection_arm_timer (self);
  g_data_input_stream_read_line_async (_hes_imap_connection_get_input (self), G_PRIORITY_DEFAULT,
                                       _hes_imap_connection_get_cancellable (self),
                                       on_line_read, task);
}

static void
on_part_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      fail (task, HES_IMAP_ERROR_PROTOCOL, error);
      return;
    }
  read_line (task);
}

static void
log_sent (Op *op)
{
  if (op->secret)
    {
      if (op->next_part == 1)
        g_debug ("C: %s (a sign-in, not logged)", op->tag);
    }
  else
    g_debug ("C: %.*s", (int) MIN (op->sending_length - 2, MAX_LOGGED), op->sending);
}

static void
send_next_part (GTask *task)
{
  HesImapConnection *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *part = g_ptr_array_index (op->parts, op->next_part);

  if (op->sending != NULL && op->secret)
    explicit_bzero (op->sending, op->sending_length);
  g_free (op->sending);
  op->sending = op->next_part == 0 ? g_strconcat (op->tag, " ", part, NULL) : g_strdup (part);
  op->sending_length = strlen (op->sending);
  op->next_part++;
  log_sent (op);

  _hes_imap_connection_arm_timer (self);
  g_output_stream_write_all_async (_hes_imap_connection_get_output (self), op->sending,
                                   op->sending_length, G_PRIORITY_DEFAULT,
                                   _hes_imap_connection_get_cancellable (self),
                                   on_part_written, task);
}

void
hes_imap_connection_read_greeting_async (HesImapConnection   *self,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));
  g_return_if_fail (_hes_imap_connection_get_input (self) != NULL);

  task = g_task_new (self, _hes_imap_connection_get_cancellable (self), callback, user_data);
  g_task_set_source_tag (task, hes_imap_connection_read_greeting_async);
  /* A step ended by its timer must report the timeout, not a cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, op_new (TRUE), (GDestroyNotify) op_free);
  read_line (task);
}

HesImapResponse *
hes_imap_connection_read_greeting_finish (HesImapConnection  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hes_imap_connection_command_async (HesImapConnection   *self,
                                   const char * const  *parts,
                                   gboolean             secret,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (HES_IS_IMAP_CONNECTION (self));
  g_return_if_fail (parts != NULL && parts[0] != NULL);
  g_return_if_fail (_hes_imap_connection_get_output (self) != NULL);

  task = g_task_new (self, _hes_imap_connection_get_cancellable (self), callback, user_data);
  g_task_set_source_tag (task, hes_imap_connection_command_async);
  /* A step ended by its timer must report the timeout, not a cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  op = op_new (FALSE);
  op->secret = secret;
  op->tag = _hes_imap_connection_next_tag (self);
  op->parts = g_ptr_array_new_with_free_func (wipe_free);
  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (op->parts, g_strdup (parts[i]));
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  send_next_part (task);
}

HesImapResponse *
hes_imap_connection_command_finish (HesImapConnection  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
