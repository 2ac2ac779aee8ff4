/* hes-fido2-device.c: listing security keys and picking one by touch. */
#define G_LOG_DOMAIN "hes-fido2-device"

#include "config.h"

#include <glib/gi18n.h>
#include <fido.h>

#include "hes-fido2-device.h"

#define MAX_DEVICES 16
#define TOUCH_POLL_MS 50
#define PLUG_CHECK_ROUNDS 4

struct _HesFido2Device
{
  GObject parent_instance;
  char *path;
  char *manufacturer;
  char *product;
};

G_DEFINE_FINAL_TYPE (HesFido2Device, hes_fido2_device, G_TYPE_OBJECT)

static void
hes_fido2_device_finalize (GObject *object)
{
  HesFido2Device *self = HES_FIDO2_DEVICE (object);

  g_free (self->path);
  g_free (self->manufacturer);
  g_free (self->product);
  G_OBJECT_CLASS (hes_fido2_device_parent_class)->finalize (object);
}

static void
hes_fido2_device_class_init (HesFido2DeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_fido2_device_finalize;
}

static void
hes_fido2_device_init (HesFido2Device *self)
{
}

HesFido2Device *
hes_fido2_device_new (const char *path,
                      const char *manufacturer,
                      const char *product)
{
  HesFido2Device *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (HES_TYPE_FIDO2_DEVICE, NULL);
  self->path = g_strdup (path);
  self->manufacturer = g_strdup (manufacturer ? manufacturer : "");
  self->product = g_strdup (product ? product : "");
  return self;
}

const char *
hes_fido2_device_get_path (HesFido2Device *self)
{
  g_return_val_if_fail (HES_IS_FIDO2_DEVICE (self), NULL);
  return self->path;
}

const char *
hes_fido2_device_get_manufacturer (HesFido2Device *self)
{
  g_return_val_if_fail (HES_IS_FIDO2_DEVICE (self), NULL);
  return self->manufacturer;
}

const char *
hes_fido2_device_get_product (HesFido2Device *self)
{
  g_return_val_if_fail (HES_IS_FIDO2_DEVICE (self), NULL);
  return self->product;
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  fido_dev_info_t *list;
  size_t found = 0;
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);
  int r;

  /* libfido2 keeps its init flags per thread (fido2.md §1). */
  fido_init (0);
  list = fido_dev_info_new (MAX_DEVICES);
  r = fido_dev_info_manifest (list, MAX_DEVICES, &found);
  if (r != FIDO_OK)
    g_debug ("fido_dev_info_manifest: %s", fido_strerr (r));
  for (size_t i = 0; r == FIDO_OK && i < found; i++)
    {
      const fido_dev_info_t *info = fido_dev_info_ptr (list, i);

      g_ptr_array_add (devices, hes_fido2_device_new (fido_dev_info_path (info),
                                                      fido_dev_info_manufacturer_string (info),
                                                      fido_dev_info_product_string (info)));
    }
  fido_dev_info_free (&list, MAX_DEVICES);
  g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

void
hes_fido2_device_list_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, hes_fido2_device_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
hes_fido2_device_list_finish (GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- picking by touch -------------------------------------------------------------------- */

typedef struct {
  GPtrArray *devices;
  guint timeout_ms;
} SelectData;

static void
select_data_free (SelectData *data)
{
  g_ptr_array_unref (data->devices);
  g_free (data);
}

/* Opens every key and asks each to blink; NULL entries for keys that did not answer. */
static GPtrArray *
start_touch_requests (GPtrArray *devices)
{
  GPtrArray *devs = g_ptr_array_new ();

  for (guint i = 0; i < devices->len; i++)
    {
      fido_dev_t *dev = fido_dev_new ();
      int r = fido_dev_open (dev, hes_fido2_device_get_path (devices->pdata[i]));

      if (r == FIDO_OK)
        r = fido_dev_get_touch_begin (dev);
      if (r != FIDO_OK)
        {
          g_debug ("Touch request on key %u: %s", i, fido_strerr (r));
          fido_dev_close (dev);
          fido_dev_free (&dev);
        }
      g_ptr_array_add (devs, dev);
    }
  return devs;
}

/* libfido2 reports a key that stopped answering as "not touched yet", so look at the list of
 * plugged keys from time to time. */
static gboolean
is_plugged (const char *path)
{
  fido_dev_info_t *list = fido_dev_info_new (MAX_DEVICES);
  size_t found = 0;
  gboolean plugged = FALSE;

  if (fido_dev_info_manifest (list, MAX_DEVICES, &found) == FIDO_OK)
    for (size_t i = 0; i < found && !plugged; i++)
      plugged = g_strcmp0 (fido_dev_info_path (fido_dev_info_ptr (list, i)), path) == 0;
  fido_dev_info_free (&list, MAX_DEVICES);
  return plugged;
}

static void
drop_device (GPtrArray *devs,
             guint      i)
{
  fido_dev_close (devs->pdata[i]);
  fido_dev_free ((fido_dev_t **) &devs->pdata[i]);
}

/* One round over the keys still in the race: the index of a touched key, -1 if none yet. */
static int
poll_round (GPtrArray *devs,
            GPtrArray *devices,
            gboolean   check_plugged,
            guint     *alive)
{
  *alive = 0;
  for (guint i = 0; i < devs->len; i++)
    {
      const char *path = hes_fido2_device_get_path (devices->pdata[i]);
      gint64 start = g_get_monotonic_time ();
      int touched = 0;

      if (devs->pdata[i] == NULL)
        continue;
      if ((check_plugged && !is_plugged (path)) ||
          fido_dev_get_touch_status (devs->pdata[i], &touched, TOUCH_POLL_MS) != FIDO_OK)
        {
          drop_device (devs, i);
          continue;
        }
      if (touched)
        return (int) i;
      (*alive)++;
      /* A key that fails at once must not turn this into a busy loop. */
      if (g_get_monotonic_time () - start < TOUCH_POLL_MS * G_TIME_SPAN_MILLISECOND / 2)
        g_usleep (TOUCH_POLL_MS * G_TIME_SPAN_MILLISECOND / 2);
    }
  return -1;
}

/* The index of the touched key; -1 on timeout or cancel, -2 when no key is left. */
static int
wait_for_touch (GPtrArray    *devs,
                GPtrArray    *devices,
                guint         timeout_ms,
                GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint round = 0;

  while (g_get_monotonic_time () < deadline && !g_cancellable_is_cancelled (cancellable))
    {
      guint alive;
      int winner = poll_round (devs, devices, ++round % PLUG_CHECK_ROUNDS == 0, &alive);

      if (winner >= 0)
        return winner;
      if (alive == 0)
        return -2;
    }
  return -1;
}

static void
select_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SelectData *data = task_data;
  g_autoptr(GPtrArray) devs = NULL;
  int winner;

  fido_init (0);
  devs = start_touch_requests (data->devices);
  winner = wait_for_touch (devs, data->devices, data->timeout_ms, cancellable);
  for (guint i = 0; i < devs->len; i++)
    {
      fido_dev_t *dev = devs->pdata[i];

      if (dev == NULL)
        continue;
      if ((int) i != winner)
        fido_dev_cancel (dev);  /* stop the other keys blinking */
      fido_dev_close (dev);
      fido_dev_free (&dev);
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  if (winner >= 0)
    g_task_return_pointer (task, g_object_ref (data->devices->pdata[winner]), g_object_unref);
  else if (winner == -2)
    g_task_return_new_error (task, HES_FIDO2_ERROR, HES_FIDO2_ERROR_UNPLUGGED, "%s",
                             _("The security keys stopped answering; check that they are plugged in and try again."));
  else
    g_task_return_new_error (task, HES_FIDO2_ERROR, HES_FIDO2_ERROR_TIMEOUT, "%s",
                             _("No security key was touched in time; please try again."));
}

void
hes_fido2_device_select_async (GPtrArray           *devices,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SelectData *data;

  g_task_set_source_tag (task, hes_fido2_device_select_async);
  if (devices == NULL || devices->len == 0)
    {
      g_task_return_new_error (task, HES_FIDO2_ERROR, HES_FIDO2_ERROR_NO_DEVICE, "%s",
                               _("No security key is plugged in; plug in your key, then try again."));
      return;
    }
  if (devices->len == 1)
    {
      g_task_return_pointer (task, g_object_ref (devices->pdata[0]), g_object_unref);
      return;
    }
  data = g_new0 (SelectData, 1);
  data->devices = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < devices->len; i++)
    g_ptr_array_add (data->devices, g_object_ref (devices->pdata[i]));
  data->timeout_ms = timeout_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) select_data_free);
  g_task_run_in_thread (task, select_thread);
}

HesFido2Device *
hes_fido2_device_select_finish (GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
