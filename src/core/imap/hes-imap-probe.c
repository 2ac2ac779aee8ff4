/* hes-imap-probe.c: the steps of the connection test, one callback each:
 * connect → [TLS] → greeting → CAPABILITY → [STARTTLS → TLS → CAPABILITY] → sign-in →
 * [CAPABILITY] → LIST → STATUS of each folder → LOGOUT.
 */
#define G_LOG_DOMAIN "hes-imap-probe"

#include "config.h"

#include <string.h>

#include "hes-imap-connection.h"
#include "hes-imap-parse.h"
#include "hes-imap-presets.h"
#include "hes-imap-probe.h"

struct _HesImapProbe
{
  GObject          parent_instance;
  char            *host;
  guint16          port;
  HesImapSecurity  security;
  char            *user;
  guint            step_timeout_ms;
  HesImapProbeStep step;
};

G_DEFINE_FINAL_TYPE (HesImapProbe, hes_imap_probe, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (HesImapProbeStep, hes_imap_probe_step,
  G_DEFINE_ENUM_VALUE (HES_IMAP_PROBE_STEP_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HES_IMAP_PROBE_STEP_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HES_IMAP_PROBE_STEP_SECURING, "securing"),
  G_DEFINE_ENUM_VALUE (HES_IMAP_PROBE_STEP_SIGNING_IN, "signing-in"),
  G_DEFINE_ENUM_VALUE (HES_IMAP_PROBE_STEP_COUNTING, "counting"))

enum {
  PROP_0,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The greeting of a plain port comes at once; no need to wait a full step for it. */
#define SECURITY_CHECK_TIMEOUT_MS 3000

typedef struct {
  HesImapConnection *connection;
  char              *password;
  GStrv              capabilities;
  HesImapResult     *result;
  guint              next_folder;
  GError            *first_error;  /* kept while a second connection tells what it means */
} Run;

static void
run_free (Run *run)
{
  if (run->connection != NULL)
    hes_imap_connection_close (run->connection);
  g_clear_object (&run->connection);
  if (run->password != NULL)
    explicit_bzero (run->password, strlen (run->password));
  g_free (run->password);
  g_strfreev (run->capabilities);
  g_clear_object (&run->result);
  g_clear_error (&run->first_error);
  g_free (run);
}

static void
forget_password (Run *run)
{
  if (run->password == NULL)
    return;
  explicit_bzero (run->password, strlen (run->password));
  g_clear_pointer (&run->password, g_free);
}

static gboolean
has_capability (Run        *run,
                const char *name)
{
  return run->capabilities != NULL &&
         g_strv_contains ((const char * const *) run->capabilities, name);
}

static void
fail_with (GTask        *task,
           HesImapError  code)
{
  HesImapProbe *self = g_task_get_source_object (task);

  g_task_return_error (task, hes_imap_error_new (code, self->host, self->port));
}

static void
set_step (HesImapProbe     *self,
          HesImapProbeStep  step)
{
  if (self->step == step)
    return;
  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/* The task's last callback: whatever the outcome, the probe is idle again. */
static void
on_run_over (GObject      *source,
             GParamSpec   *pspec,
             gpointer      user_data)
{
  if (g_task_get_completed (G_TASK (source)))
    set_step (HES_IMAP_PROBE (user_data), HES_IMAP_PROBE_STEP_IDLE);
}

static void send_command (GTask *task, const char *command, GAsyncReadyCallback callback);
static void send_capability (GTask *task);
static void send_list (GTask *task);
static void on_tls_started (GObject *source, GAsyncResult *result, gpointer user_data);

/* Takes the answer of a step, or returns NULL after failing @task with the step's error. */
static HesImapResponse *
finish_command (GTask        *task,
                GAsyncResult *result)
{
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  HesImapResponse *response;

  response = hes_imap_connection_command_finish (run->connection, result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  return response;
}

/* Logging out */

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
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
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = finish_command (task, result);
  GPtrArray *folders = hes_imap_result_get_folders (run->result);

  if (response == NULL)
    return;
  /* A folder that cannot be counted (NO) stays in the list with an unknown count. */
  if (response->status == HES_IMAP_STATUS_OK)
    read_status (g_ptr_array_index (folders, run->next_folder), response);
  else if (response->status == HES_IMAP_STATUS_BYE)
    {
      fail_with (task, HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  run->next_folder++;
  send_next_status (g_steal_pointer (&task));
}

/* Takes @task. */
static void
send_next_status (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GPtrArray *folders = hes_imap_result_get_folders (run->result);
  HesImapFolder *folder;
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;

  if (run->next_folder >= folders->len)
    {
      send_command (task, "LOGOUT\r\n", on_logout_done);
      return;
    }
  folder = g_ptr_array_index (folders, run->next_folder);
  quoted = hes_imap_quote (folder->raw_name);
  command = g_strdup_printf ("STATUS %s (MESSAGES%s)\r\n", quoted,
                             has_capability (run, "STATUS=SIZE") ? " SIZE" : "");
  send_command (task, command, on_status_done);
}

/* Listing folders */

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = finish_command (task, result);

  if (response == NULL)
    return;
  if (response->status != HES_IMAP_STATUS_OK)
    {
      fail_with (task, HES_IMAP_ERROR_PROTOCOL);
      return;
    }
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
static void
send_list (GTask *task)
{
  set_step (g_task_get_source_object (task), HES_IMAP_PROBE_STEP_COUNTING);
  send_command (task, "LIST \"\" \"*\"\r\n", on_list_done);
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
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = finish_command (task, result);
  GStrv capabilities;

  if (response == NULL)
    return;
  if (response->status == HES_IMAP_STATUS_NO || response->status == HES_IMAP_STATUS_BYE)
    {
      fail_with (task, classify_login_refusal (self, response));
      return;
    }
  if (response->status != HES_IMAP_STATUS_OK)
    {
      fail_with (task, HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  /* Servers show more capabilities once signed in (STATUS=SIZE, for one). */
  capabilities = hes_imap_parse_capabilities (response->text);
  if (capabilities == NULL)
    {
      g_clear_pointer (&run->capabilities, g_strfreev);
      send_capability (g_steal_pointer (&task));
      return;
    }
  g_strfreev (run->capabilities);
  run->capabilities = capabilities;
  send_list (g_steal_pointer (&task));
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
static void
send_login (GTask *task)
{
  HesImapProbe *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  char *parts[4] = { NULL };

  set_step (self, HES_IMAP_PROBE_STEP_SIGNING_IN);

  if (has_capability (run, "AUTH=PLAIN"))
    {
      g_autofree char *encoded = encode_plain (self->user, run->password);

      if (has_capability (run, "SASL-IR"))
        parts[0] = g_strdup_printf ("AUTHENTICATE PLAIN %s\r\n", encoded);
      else
        {
          parts[0] = g_strdup ("AUTHENTICATE PLAIN\r\n");
          parts[1] = g_strdup_printf ("%s\r\n", encoded);
        }
      explicit_bzero (encoded, strlen (encoded));
    }
  else if (has_capability (run, "LOGINDISABLED") && has_capability (run, "AUTH=LOGIN"))
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
  forget_password (run);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      explicit_bzero (parts[i], strlen (parts[i]));
      g_free (parts[i]);
    }
}

/* Capabilities and STARTTLS */

static void
on_starttls_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = finish_command (task, result);

  if (response == NULL)
    return;
  if (response->status != HES_IMAP_STATUS_OK)
    {
      fail_with (task, HES_IMAP_ERROR_WRONG_SECURITY);
      return;
    }
  /* What the server said before TLS may have been tampered with: ask again after. */
  g_clear_pointer (&run->capabilities, g_strfreev);
  set_step (g_task_get_source_object (task), HES_IMAP_PROBE_STEP_SECURING);
  hes_imap_connection_start_tls_async (run->connection, on_tls_started, g_steal_pointer (&task));
}

static void
on_capability_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = finish_command (task, result);

  if (response == NULL)
    return;
  for (guint i = 0; response->status == HES_IMAP_STATUS_OK && i < response->untagged->len; i++)
    {
      const char *line = g_ptr_array_index (response->untagged, i);
      GStrv capabilities = hes_imap_parse_capabilities (line);

      if (capabilities != NULL && g_str_has_prefix (line, "* "))
        {
          g_strfreev (run->capabilities);
          run->capabilities = capabilities;
        }
      else
        g_strfreev (capabilities);
    }
  if (run->capabilities == NULL)
    fail_with (task, HES_IMAP_ERROR_PROTOCOL);
  else if (!hes_imap_connection_is_tls (run->connection))
    {
      if (!has_capability (run, "STARTTLS"))
        fail_with (task, HES_IMAP_ERROR_WRONG_SECURITY);
      else
        send_command (g_steal_pointer (&task), "STARTTLS\r\n", on_starttls_done);
    }
  else if (run->password != NULL)
    send_login (g_steal_pointer (&task));
  else
    send_list (g_steal_pointer (&task));
}

/* Takes @task. */
static void
send_capability (GTask *task)
{
  send_command (task, "CAPABILITY\r\n", on_capability_done);
}

/* Takes @task. */
static void
send_command (GTask               *task,
              const char          *command,
              GAsyncReadyCallback  callback)
{
  Run *run = g_task_get_task_data (task);
  const char *parts[] = { command, NULL };

  hes_imap_connection_command_async (run->connection, parts, FALSE, callback, task);
}

/* Connecting */

static void
on_greeting_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = NULL;
  GError *error = NULL;

  response = hes_imap_connection_read_greeting_finish (run->connection, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (response->status == HES_IMAP_STATUS_BYE)
    {
      HesImapError code = hes_imap_classify_refusal (response->text);

      fail_with (task, code == HES_IMAP_ERROR_IMAP_DISABLED ? code : HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  /* PREAUTH: signed in already (by the connection itself), so there is no password to send. */
  if (response->status == HES_IMAP_STATUS_PREAUTH)
    forget_password (run);
  send_capability (g_steal_pointer (&task));
}

/* After a failed handshake on an SSL/TLS port: a server that greets in clear text on a new
 * connection is a plain (STARTTLS) port, and the customer must change the security setting. */
static void
on_plain_greeting_read (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = hes_imap_connection_read_greeting_finish (HES_IMAP_CONNECTION (source), result,
                                                      &error);
  hes_imap_connection_close (HES_IMAP_CONNECTION (source));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (response != NULL)
    fail_with (task, HES_IMAP_ERROR_WRONG_SECURITY);
  else
    g_task_return_error (task, g_steal_pointer (&run->first_error));
}

static void
on_plain_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!hes_imap_connection_connect_finish (HES_IMAP_CONNECTION (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&run->first_error));
      return;
    }
  hes_imap_connection_read_greeting_async (HES_IMAP_CONNECTION (source), on_plain_greeting_read,
                                           g_steal_pointer (&task));
}

/* Takes @task; @error is the handshake's. */
static void
check_for_plain_port (GTask  *task,
                      GError *error)
{
  HesImapProbe *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->first_error = error;
  g_clear_object (&run->connection);
  run->connection = hes_imap_connection_new (self->host, self->port,
                                             g_task_get_cancellable (task));
  hes_imap_connection_set_step_timeout (run->connection,
                                        MIN (self->step_timeout_ms, SECURITY_CHECK_TIMEOUT_MS));
  hes_imap_connection_connect_async (run->connection, on_plain_connected, task);
}

static void
on_tls_started (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbe *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!hes_imap_connection_start_tls_finish (run->connection, result, &error))
    {
      if (self->security == HES_IMAP_SECURITY_SSL &&
          g_error_matches (error, HES_IMAP_ERROR, HES_IMAP_ERROR_TLS_FAILED))
        check_for_plain_port (g_steal_pointer (&task), error);
      else
        g_task_return_error (task, error);
      return;
    }
  if (self->security == HES_IMAP_SECURITY_SSL)
    hes_imap_connection_read_greeting_async (run->connection, on_greeting_read,
                                             g_steal_pointer (&task));
  else
    send_capability (g_steal_pointer (&task));
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbe *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!hes_imap_connection_connect_finish (run->connection, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->security == HES_IMAP_SECURITY_SSL)
    {
      set_step (self, HES_IMAP_PROBE_STEP_SECURING);
      hes_imap_connection_start_tls_async (run->connection, on_tls_started,
                                           g_steal_pointer (&task));
    }
  else
    hes_imap_connection_read_greeting_async (run->connection, on_greeting_read,
                                             g_steal_pointer (&task));
}

/* The object */

static void
hes_imap_probe_finalize (GObject *object)
{
  HesImapProbe *self = HES_IMAP_PROBE (object);

  g_free (self->host);
  g_free (self->user);
  G_OBJECT_CLASS (hes_imap_probe_parent_class)->finalize (object);
}

static void
hes_imap_probe_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HesImapProbe *self = HES_IMAP_PROBE (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hes_imap_probe_class_init (HesImapProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hes_imap_probe_finalize;
  object_class->get_property = hes_imap_probe_get_property;

  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, HES_TYPE_IMAP_PROBE_STEP, HES_IMAP_PROBE_STEP_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

HesImapProbeStep
hes_imap_probe_get_step (HesImapProbe *self)
{
  g_return_val_if_fail (HES_IS_IMAP_PROBE (self), HES_IMAP_PROBE_STEP_IDLE);
  return self->step;
}

static void
hes_imap_probe_init (HesImapProbe *self)
{
  self->step_timeout_ms = 10000;
}

guint16
hes_imap_security_default_port (HesImapSecurity security)
{
  return security == HES_IMAP_SECURITY_STARTTLS ? 143 : 993;
}

HesImapProbe *
hes_imap_probe_new (const char      *host,
                    guint16          port,
                    HesImapSecurity  security,
                    const char      *user)
{
  HesImapProbe *self;

  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (HES_TYPE_IMAP_PROBE, NULL);
  self->host = g_strdup (host);
  self->port = port != 0 ? port : hes_imap_security_default_port (security);
  self->security = security;
  self->user = g_strdup (user);
  return self;
}

void
hes_imap_probe_set_step_timeout (HesImapProbe *self,
                                 guint         milliseconds)
{
  g_return_if_fail (HES_IS_IMAP_PROBE (self));
  g_return_if_fail (milliseconds > 0);

  self->step_timeout_ms = milliseconds;
}

void
hes_imap_probe_run_async (HesImapProbe        *self,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (HES_IS_IMAP_PROBE (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_imap_probe_run_async);
  run = g_new0 (Run, 1);
  run->password = g_strdup (password);
  run->result = hes_imap_result_new ();
  run->connection = hes_imap_connection_new (self->host, self->port, cancellable);
  hes_imap_connection_set_step_timeout (run->connection, self->step_timeout_ms);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* Line breaks would end the command early and let the rest be read as another command. */
  if (strpbrk (self->user, "\r\n") != NULL || strpbrk (password, "\r\n") != NULL)
    {
      fail_with (task, HES_IMAP_ERROR_AUTH_FAILED);
      return;
    }
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_run_over), self, 0);
  set_step (self, HES_IMAP_PROBE_STEP_CONNECTING);
  hes_imap_connection_connect_async (run->connection, on_connected, g_steal_pointer (&task));
}

HesImapResult *
hes_imap_probe_run_finish (HesImapProbe  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
