/* hes-imap-probe.c: the connection test object, its run, and what its steps share.
 * The steps: connect → [TLS] → greeting → CAPABILITY → [STARTTLS → TLS → CAPABILITY]
 * (hes-imap-probe-connect.c) → sign-in → [CAPABILITY] → LIST → STATUS of each folder → LOGOUT
 * (hes-imap-probe-account.c).
 */
#define G_LOG_DOMAIN "hes-imap-probe"

#include "config.h"

#include <string.h>

#include "hes-imap-probe-private.h"

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

static void
run_free (HesImapProbeRun *run)
{
  if (run->connection != NULL)
    hes_imap_connection_close (run->connection);
  g_clear_object (&run->connection);
  _hes_imap_probe_forget_password (run);
  g_strfreev (run->capabilities);
  g_clear_object (&run->result);
  g_clear_error (&run->first_error);
  g_free (run);
}

void
_hes_imap_probe_forget_password (HesImapProbeRun *run)
{
  if (run->password == NULL)
    return;
  explicit_bzero (run->password, strlen (run->password));
  g_clear_pointer (&run->password, g_free);
}

gboolean
_hes_imap_probe_has_capability (HesImapProbeRun *run,
                                const char      *name)
{
  return run->capabilities != NULL &&
         g_strv_contains ((const char * const *) run->capabilities, name);
}

void
_hes_imap_probe_fail_with (GTask        *task,
                           HesImapError  code)
{
  HesImapProbe *self = g_task_get_source_object (task);

  g_task_return_error (task, hes_imap_error_new (code, self->host, self->port));
}

void
_hes_imap_probe_set_step (HesImapProbe     *self,
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
    _hes_imap_probe_set_step (HES_IMAP_PROBE (user_data), HES_IMAP_PROBE_STEP_IDLE);
}

HesImapResponse *
_hes_imap_probe_finish_command (GTask        *task,
                                GAsyncResult *result)
{
  HesImapProbeRun *run = g_task_get_task_data (task);
  GError *error = NULL;
  HesImapResponse *response;

  response = hes_imap_connection_command_finish (run->connection, result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  return response;
}

HesImapResponse *
_hes_imap_probe_finish_ok (GTask        *task,
                           GAsyncResult *result,
                           HesImapError  refusal)
{
  HesImapResponse *response = _hes_imap_probe_finish_command (task, result);

  if (response != NULL && response->status != HES_IMAP_STATUS_OK)
    {
      _hes_imap_probe_fail_with (task, refusal);
      g_clear_pointer (&response, hes_imap_response_free);
    }
  return response;
}

void
_hes_imap_probe_send_command (GTask               *task,
                              const char          *command,
                              GAsyncReadyCallback  callback)
{
  HesImapProbeRun *run = g_task_get_task_data (task);
  const char *parts[] = { command, NULL };

  hes_imap_connection_command_async (run->connection, parts, FALSE, callback, task);
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
  HesImapProbeRun *run;

  g_return_if_fail (HES_IS_IMAP_PROBE (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_imap_probe_run_async);
  run = g_new0 (HesImapProbeRun, 1);
  run->password = g_strdup (password);
  run->result = hes_imap_result_new ();
  run->connection = hes_imap_connection_new (self->host, self->port, cancellable);
  hes_imap_connection_set_step_timeout (run->connection, self->step_timeout_ms);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* Line breaks would end the command early and let the rest be read as another command. */
  if (strpbrk (self->user, "\r\n") != NULL || strpbrk (password, "\r\n") != NULL)
    {
      _hes_imap_probe_fail_with (task, HES_IMAP_ERROR_AUTH_FAILED);
      return;
    }
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_run_over), self, 0);
  _hes_imap_probe_connect (g_steal_pointer (&task));
}

HesImapResult *
hes_imap_probe_run_finish (HesImapProbe  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
