/* hes-fido2-session-pin.c: the PIN of a security key: state, first PIN, change. */
#define G_LOG_DOMAIN "hes-fido2-session"

#include "config.h"

#include <string.h>

#include "hes-fido2-worker-private.h"

static const char *
device_path (HesFido2Session *self)
{
  return hes_fido2_device_get_path (hes_fido2_session_get_device (self));
}

#define PIN_TIMEOUT_MS 10000

static void
pin_info_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HesFido2Op *op = task_data;
  GError *error = NULL;
  HesFido2PinInfo *info;
  fido_dev_t *dev;
  int r = FIDO_OK;

  if ((dev = _hes_fido2_open_device (task, op->path, PIN_TIMEOUT_MS)) == NULL)
    return;
  info = g_new0 (HesFido2PinInfo, 1);
  info->has_pin = fido_dev_has_pin (dev);
  info->retries = -1;
  if (info->has_pin)
    r = fido_dev_get_retry_count (dev, &info->retries);
  if (r != FIDO_OK)
    error = _hes_fido2_error_from_fido (dev, r, g_get_monotonic_time (), 0);
  _hes_fido2_close_device (dev);
  if (error != NULL)
    {
      g_free (info);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, info, g_free);
}

void
hes_fido2_session_get_pin_info_async (HesFido2Session     *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (HES_IS_FIDO2_SESSION (self));

  _hes_fido2_run_in_thread (self, hes_fido2_session_get_pin_info_async,
                            _hes_fido2_op_new (device_path (self), NULL, NULL, 0, NULL),
                            cancellable, callback, user_data, pin_info_thread);
}

gboolean
hes_fido2_session_get_pin_info_finish (HesFido2Session *self,
                                       GAsyncResult    *result,
                                       HesFido2PinInfo *info,
                                       GError         **error)
{
  g_autofree HesFido2PinInfo *got = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  got = g_task_propagate_pointer (G_TASK (result), error);
  if (got == NULL)
    return FALSE;
  *info = *got;
  return TRUE;
}

static int
call_set_pin (fido_dev_t *dev,
              gpointer    new_pin,
              const char *old_pin)
{
  return fido_dev_set_pin (dev, new_pin, old_pin);
}

static void
set_pin_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HesFido2Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  gint64 started = g_get_monotonic_time ();
  int r;

  if ((dev = _hes_fido2_open_device (task, op->path, PIN_TIMEOUT_MS)) == NULL)
    return;
  r = _hes_fido2_run_cancellable (dev, cancellable, call_set_pin, op->new_pin, op->pin);
  if (r != FIDO_OK)
    error = _hes_fido2_error_from_fido (dev, r, started, PIN_TIMEOUT_MS);
  _hes_fido2_close_device (dev);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hes_fido2_session_set_pin_async (HesFido2Session     *self,
                                 const char          *new_pin,
                                 const char          *old_pin,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  HesFido2Op *op;

  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (new_pin != NULL);

  /* CTAP: at least 4 Unicode characters, at most 63 bytes. */
  if (strlen (new_pin) > 63 || !g_utf8_validate (new_pin, -1, NULL) || g_utf8_strlen (new_pin, -1) < 4)
    {
      g_task_report_error (self, callback, user_data, hes_fido2_session_set_pin_async,
                           hes_fido2_error_new_from_fido (FIDO_ERR_PIN_POLICY_VIOLATION, -1));
      return;
    }
  op = _hes_fido2_op_new (device_path (self), NULL, NULL, 0, old_pin);
  op->new_pin = g_strdup (new_pin);
  _hes_fido2_run_in_thread (self, hes_fido2_session_set_pin_async, op, cancellable, callback,
                            user_data, set_pin_thread);
}

gboolean
hes_fido2_session_set_pin_finish (HesFido2Session *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
