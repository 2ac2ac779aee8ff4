/* hes-fido2-worker.c: opening a key, cancelling, and turning results into errors, for the
 * worker threads of HesFido2Session. */
#define G_LOG_DOMAIN "hes-fido2-session"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-fido2-worker-private.h"
#include "hes-secure-mem.h"

void
_hes_fido2_op_free (HesFido2Op *op)
{
  g_free (op->path);
  g_clear_pointer (&op->options, hes_webauthn_options_free);
  g_clear_pointer (&op->client_data, g_bytes_unref);
  hes_secure_free_string (op->pin);
  hes_secure_free_string (op->new_pin);
  g_free (op);
}

void
_hes_fido2_run_in_thread (gpointer             source,
                          gpointer             source_tag,
                          HesFido2Op          *op,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          GTaskThreadFunc      thread_func)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) _hes_fido2_op_free);
  g_task_run_in_thread (task, thread_func);
}

fido_dev_t *
_hes_fido2_open_device (GTask      *task,
                        const char *path,
                        guint       timeout_ms)
{
  fido_dev_t *dev;
  int r;

  fido_init (0);
  dev = fido_dev_new ();
  /* One budget for the whole call, PIN exchange included (fido2.md §1). */
  if (timeout_ms > 0)
    fido_dev_set_timeout (dev, (int) timeout_ms);
  r = fido_dev_open (dev, path);
  if (r != FIDO_OK)
    {
      g_debug ("fido_dev_open: %s", fido_strerr (r));
      fido_dev_free (&dev);
      g_task_return_new_error (task, HES_FIDO2_ERROR, HES_FIDO2_ERROR_UNPLUGGED, "%s",
                               _("The security key cannot be reached; check that it is plugged in and try again."));
      return NULL;
    }
  return dev;
}

void
_hes_fido2_close_device (fido_dev_t *dev)
{
  fido_dev_close (dev);
  fido_dev_free (&dev);
}

static void
on_cancelled (GCancellable *cancellable,
              fido_dev_t   *dev)
{
  /* Runs in the thread that cancels; libfido2 then returns KEEPALIVE_CANCEL in the worker. */
  fido_dev_cancel (dev);
}

int
_hes_fido2_run_cancellable (fido_dev_t   *dev,
                            GCancellable *cancellable,
                            HesFido2Call  call,
                            gpointer      what,
                            const char   *pin)
{
  gulong handler = 0;
  int r;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), dev, NULL);
  r = g_cancellable_is_cancelled (cancellable) ? FIDO_ERR_KEEPALIVE_CANCEL : call (dev, what, pin);
  /* Waits for a running handler, so dev is not closed under it. */
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  return r;
}

GError *
_hes_fido2_error_from_fido (fido_dev_t *dev,
                            int         r,
                            gint64      started,
                            guint       timeout_ms)
{
  int retries = -1;
  gint64 elapsed_ms = (g_get_monotonic_time () - started) / G_TIME_SPAN_MILLISECOND;

  g_debug ("libfido2 call failed: %s after %" G_GINT64_FORMAT " ms", fido_strerr (r), elapsed_ms);
  if (r == FIDO_ERR_PIN_INVALID && fido_dev_get_retry_count (dev, &retries) != FIDO_OK)
    retries = -1;
  if (r == FIDO_ERR_RX || r == FIDO_ERR_TX)
    {
      /* The key may still be waiting: stop it before it is closed (fido2.md §1). */
      fido_dev_cancel (dev);
      if (timeout_ms > 0 && elapsed_ms + 50 >= timeout_ms)
        return hes_fido2_error_new_from_fido (FIDO_ERR_USER_ACTION_TIMEOUT, -1);
    }
  return hes_fido2_error_new_from_fido (r, retries);
}

gboolean
_hes_fido2_uv_needed (const HesFido2Op *op)
{
  return op->purpose == HES_FIDO2_PURPOSE_PASSWORDLESS ||
         op->options->user_verification == HES_WEBAUTHN_UV_REQUIRED;
}

/* Refuses early, before the key blinks, when UV is needed but cannot happen as called. */
gboolean
_hes_fido2_check_uv_possible (fido_dev_t        *dev,
                              const HesFido2Op  *op,
                              GError           **error)
{
  if (!_hes_fido2_uv_needed (op))
    return TRUE;
  if (!fido_dev_has_pin (dev) && !fido_dev_has_uv (dev))
    {
      int code = fido_dev_supports_pin (dev) ? FIDO_ERR_PIN_NOT_SET : FIDO_ERR_UNSUPPORTED_OPTION;

      *error = hes_fido2_error_new_from_fido (code, -1);
      return FALSE;
    }
  if (fido_dev_has_pin (dev) && !fido_dev_has_uv (dev) && op->pin == NULL)
    {
      *error = hes_fido2_error_new_from_fido (FIDO_ERR_PIN_REQUIRED, -1);
      return FALSE;
    }
  return TRUE;
}

GBytes *
_hes_fido2_bytes_or_null (const unsigned char *ptr,
                          size_t               len)
{
  return ptr != NULL && len > 0 ? g_bytes_new (ptr, len) : NULL;
}

HesFido2Op *
_hes_fido2_op_new (const char               *path,
                   const char               *origin,
                   const HesWebauthnOptions *options,
                   HesFido2Purpose           purpose,
                   const char               *pin)
{
  HesFido2Op *op = g_new0 (HesFido2Op, 1);

  op->path = g_strdup (path);
  op->purpose = purpose;
  op->pin = g_strdup (pin);
  if (options != NULL)
    {
      op->options = hes_webauthn_options_copy (options);
      op->client_data = hes_webauthn_build_client_data (options->ceremony, options->challenge,
                                                        origin);
    }
  return op;
}
