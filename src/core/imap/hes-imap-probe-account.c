/* hes-imap-probe-account.c: the connection test once the line is secure: signing in
 * (AUTHENTICATE PLAIN, AUTHENTICATE LOGIN or LOGIN with literals), LIST, STATUS of each
 * folder, LOGOUT. */
#define G_LOG_DOMAIN "hes-imap-probe"

#include "config.h"

#include <string.h>

#include "hes-imap-parse.h"
#include "hes-imap-presets.h"
#include "hes-imap-probe-private.h"

/* Logging out */

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The test is over: a server that fumbles LOGOUT changes nothing, unless the caller gave up. */
  response = hes_imap_connection_command_finish (run->connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hes_imap_connection_close (run->connection);
  g_task_return_pointer (task, g_steal_pointer (&run->result), g_object_unref);
}

/* Counting messages */

static void send_next_status (GTask *task);

/* The STATUS answer for @folder; when the server spells the name differently (case, UTF-8),
 * a lone STATUS answer is still the one asked for. */
static void
read_status (HesImapFolder   *folder,
             HesImapResponse *response)
{
  guint n_answers = 0;
  gint64 lone_messages = -1, lone_size = -1;

  for (guint i = 0; i < response->untagged->len; i++)
    {
      const char *line = g_ptr_array_index (response->untagged, i);
      g_autofree char *name = NULL;
      gint64 messages, size;

      if (!hes_imap_parse_status (line, strlen (line), &name, &messages, &size))
        continue;
      if (g_strcmp0 (name, folder->raw_name) == 0)
        {
          folder->messages = messages;
          folder->size = size;
          return;
        }
      n_answers++;
      lone_messages = messages;
      lone_size = size;
    }
  if (n_answers == 1)
    {
      folder->messages = lone_messages;
      folder->size = lone_size;
    }
}

static void
on_status_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = _hes_imap_probe_finish_command (task, result);
  GPtrArray *folders = hes_imap_result_get_folders (run->result);

  if (response == NULL)
    return;
  /* A folder that cannot be counted (NO) stays in the list with an unknown count. */
  if (response->status == HES_IMAP_STATUS_OK)
    read_status (g_ptr_array_index (folders, run->next_folder), response);
  else if (response->status == HES_IMAP_STATUS_BYE)
    {
      _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  run->next_folder++;
  send_next_status (g_steal_pointer (&task));
}

/* Takes @task. */
static void
send_next_status (GTask *task)
{
  HesImapProbeRun *run = g_task_get_task_data (task);
  GPtrArray *folders = hes_imap_result_get_folders (run->result);
  HesImapFolder *folder;
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;

  if (run->next_folder >= folders->len)
    {
      _hes_imap_probe_send_command (task, "LOGOUT\r\n", on_logout_done);
      return;
    }
  folder = g_ptr_array_index (folders, run->next_folder);
  quoted = hes_imap_quote (folder->raw_name);
  command = g_strdup_printf ("STATUS %s (MESSAGES%s)\r\n", quoted,
                             _hes_imap_probe_has_capability (run, "STATUS=SIZE") ? " SIZE" : "");
  _hes_imap_probe_send_command (task, command, on_status_done);
}

/* Listing folders */

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = _hes_imap_probe_finish_ok (task, result,
                                                                   HES_IMAP_ERROR_PROTOCOL);

  if (response == NULL)
    return;
  for (guint i = 0; i < response->untagged->len; i++)
    {
      const char *line = g_ptr_array_index (response->untagged, i);
      g_autofree char *raw_name = NULL;
      gboolean selectable = FALSE;

      if (hes_imap_parse_list (line, strlen (line), &raw_name, &selectable) && selectable)
        hes_imap_result_add_folder (run->result, hes_imap_folder_new (raw_name));
    }
  send_next_status (g_steal_pointer (&task));
}

/* Takes @task. */
void
_hes_imap_probe_send_list (GTask *task)
{
  _hes_imap_probe_set_step (g_task_get_source_object (task), HES_IMAP_PROBE_STEP_COUNTING);
  _hes_imap_probe_send_command (task, "LIST \"\" \"*\"\r\n", on_list_done);
}

/* Signing in */

static HesImapError
classify_login_refusal (HesImapProbe    *self,
                        HesImapResponse *response)
{
  HesImapError code = hes_imap_classify_refusal (response->text);
  const HesImapPreset *preset = hes_imap_preset_find_by_host (self->host);

  /* Some providers refuse a usual password without saying why: their preset knows. */
  if (code == HES_IMAP_ERROR_AUTH_FAILED && preset != NULL && preset->app_password_only)
    return HES_IMAP_ERROR_APP_PASSWORD_REQUIRED;
  return code;
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbe *self = g_task_get_source_object (task);
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = _hes_imap_probe_finish_command (task, result);
  GStrv capabilities;

  if (response == NULL)
    return;
  if (response->status == HES_IMAP_STATUS_NO || response->status == HES_IMAP_STATUS_BYE)
    {
      _hes_imap_probe_fail_with (task, classify_login_refusal (self, response));
      return;
    }
  if (response->status != HES_IMAP_STATUS_OK)
    {
      _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  /* Servers show more capabilities once signed in (STATUS=SIZE, for one). */
  capabilities = hes_imap_parse_capabilities (response->text);
  if (capabilities == NULL)
    {
      g_clear_pointer (&run->capabilities, g_strfreev);
      _hes_imap_probe_send_capability (g_steal_pointer (&task));
      return;
    }
  g_strfreev (run->capabilities);
  run->capabilities = capabilities;
  _hes_imap_probe_send_list (g_steal_pointer (&task));
}

/* "\0user\0password" in base64 (RFC 4616). */
static char *
encode_plain (const char *user,
              const char *password)
{
  gsize user_length = strlen (user), password_length = strlen (password);
  gsize length = user_length + password_length + 2;
  g_autofree guchar *message = g_malloc0 (length);
  char *encoded;

  memcpy (message + 1, user, user_length);
  memcpy (message + 2 + user_length, password, password_length);
  encoded = g_base64_encode (message, length);
  explicit_bzero (message, length);
  return encoded;
}

/* @text in base64, as one line. */
static char *
encode_line (const char *text)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) text, strlen (text));
  char *line = g_strconcat (encoded, "\r\n", NULL);

  explicit_bzero (encoded, strlen (encoded));
  return line;
}

/* Takes @task. */
void
_hes_imap_probe_send_login (GTask *task)
{
  HesImapProbe *self = g_task_get_source_object (task);
  HesImapProbeRun *run = g_task_get_task_data (task);
  char *parts[4] = { NULL };

  _hes_imap_probe_set_step (self, HES_IMAP_PROBE_STEP_SIGNING_IN);

  if (_hes_imap_probe_has_capability (run, "AUTH=PLAIN"))
    {
      g_autofree char *encoded = encode_plain (self->user, run->password);

      if (_hes_imap_probe_has_capability (run, "SASL-IR"))
        parts[0] = g_strdup_printf ("AUTHENTICATE PLAIN %s\r\n", encoded);
      else
        {
          parts[0] = g_strdup ("AUTHENTICATE PLAIN\r\n");
          parts[1] = g_strdup_printf ("%s\r\n", encoded);
        }
      explicit_bzero (encoded, strlen (encoded));
    }
  else if (_hes_imap_probe_has_capability (run, "LOGINDISABLED") && _hes_imap_probe_has_capability (run, "AUTH=LOGIN"))
    {
      /* The LOGIN command is refused but the SASL LOGIN mechanism is not: each field after a
       * "+" from the server. */
      parts[0] = g_strdup ("AUTHENTICATE LOGIN\r\n");
      parts[1] = encode_line (self->user);
      parts[2] = encode_line (run->password);
    }
  else
    {
      /* Literals carry any byte, where a quoted string cannot. */
      parts[0] = g_strdup_printf ("LOGIN {%zu}\r\n", strlen (self->user));
      parts[1] = g_strdup_printf ("%s {%zu}\r\n", self->user, strlen (run->password));
      parts[2] = g_strdup_printf ("%s\r\n", run->password);
    }
  hes_imap_connection_command_async (run->connection, (const char * const *) parts, TRUE,
                                     on_login_done, task);
  _hes_imap_probe_forget_password (run);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      explicit_bzero (parts[i], strlen (parts[i]));
      g_free (parts[i]);
    }
}

