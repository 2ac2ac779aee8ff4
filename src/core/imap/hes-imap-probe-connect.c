/* hes-imap-probe-connect.c: the connection test up to signing in: connect, [TLS], the
 * greeting, CAPABILITY, [STARTTLS, TLS, CAPABILITY]; and what a failed handshake on an SSL/TLS
 * port means. */
#define G_LOG_DOMAIN "hes-imap-probe"

#include "config.h"

#include "hes-imap-parse.h"
#include "hes-imap-probe-private.h"

/* The greeting of a plain port comes at once; no need to wait a full step for it. */
#define SECURITY_CHECK_TIMEOUT_MS 3000

static void on_tls_started (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_starttls_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = _hes_imap_probe_finish_ok (task, result,
                                                                   HES_IMAP_ERROR_WRONG_SECURITY);

  if (response == NULL)
    return;
  /* What the server said before TLS may have been tampered with: ask again after. */
  g_clear_pointer (&run->capabilities, g_strfreev);
  _hes_imap_probe_set_step (g_task_get_source_object (task), HES_IMAP_PROBE_STEP_SECURING);
  hes_imap_connection_start_tls_async (run->connection, on_tls_started, g_steal_pointer (&task));
}

static void
on_capability_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = _hes_imap_probe_finish_command (task, result);

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
    _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_PROTOCOL);
  else if (!hes_imap_connection_is_tls (run->connection))
    {
      if (!_hes_imap_probe_has_capability (run, "STARTTLS"))
        _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_WRONG_SECURITY);
      else
        _hes_imap_probe_send_command (g_steal_pointer (&task), "STARTTLS\r\n", on_starttls_done);
    }
  else if (run->password != NULL)
    _hes_imap_probe_send_login (g_steal_pointer (&task));
  else
    _hes_imap_probe_send_list (g_steal_pointer (&task));
}

/* Takes @task. */
void
_hes_imap_probe_send_capability (GTask *task)
{
  _hes_imap_probe_send_command (task, "CAPABILITY\r\n", on_capability_done);
}

static void
on_greeting_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
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

      _hes_imap_probe_fail_with (task, code == HES_IMAP_ERROR_IMAP_DISABLED ? code : HES_IMAP_ERROR_PROTOCOL);
      return;
    }
  /* PREAUTH: signed in already (by the connection itself), so there is no password to send. */
  if (response->status == HES_IMAP_STATUS_PREAUTH)
    _hes_imap_probe_forget_password (run);
  _hes_imap_probe_send_capability (g_steal_pointer (&task));
}

/* After a failed handshake on an SSL/TLS port: a server that greets in clear text on a new
 * connection is a plain (STARTTLS) port, and the customer must change the security setting. */
static void
on_plain_greeting_read (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
  g_autoptr(HesImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = hes_imap_connection_read_greeting_finish (HES_IMAP_CONNECTION (source), result,
                                                      &error);
  hes_imap_connection_close (HES_IMAP_CONNECTION (source));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (response != NULL)
    _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_WRONG_SECURITY);
  else
    g_task_return_error (task, g_steal_pointer (&run->first_error));
}

static void
on_plain_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbeRun *run = g_task_get_task_data (task);
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
  HesImapProbeRun *run = g_task_get_task_data (task);

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
  HesImapProbeRun *run = g_task_get_task_data (task);
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
    _hes_imap_probe_send_capability (g_steal_pointer (&task));
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesImapProbe *self = g_task_get_source_object (task);
  HesImapProbeRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!hes_imap_connection_connect_finish (run->connection, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->security == HES_IMAP_SECURITY_SSL)
    {
      _hes_imap_probe_set_step (self, HES_IMAP_PROBE_STEP_SECURING);
      hes_imap_connection_start_tls_async (run->connection, on_tls_started,
                                           g_steal_pointer (&task));
    }
  else
    hes_imap_connection_read_greeting_async (run->connection, on_greeting_read,
                                             g_steal_pointer (&task));
}

/* Takes @task. */
void
_hes_imap_probe_connect (GTask *task)
{
  HesImapProbe *self = g_task_get_source_object (task);
  HesImapProbeRun *run = g_task_get_task_data (task);

  _hes_imap_probe_set_step (self, HES_IMAP_PROBE_STEP_CONNECTING);
  hes_imap_connection_connect_async (run->connection, on_connected, task);
}
