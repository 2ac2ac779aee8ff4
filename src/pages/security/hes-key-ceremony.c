/* hes-key-ceremony.c: finding the key, then one libfido2 operation through the core. */
#define G_LOG_DOMAIN "hes-key-ceremony"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-key-ceremony.h"

/* How long the customer has to touch one of several keys to pick it. */
#define PICK_TIMEOUT_MS 30000

struct _HesKeyCeremony
{
  GObject parent_instance;

  HesWebauthnOptions *options;
  char *origin;
  HesFido2Purpose purpose;
  HesFido2Session *session;
  char *status;
};

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HesKeyCeremony, hes_key_ceremony, G_TYPE_OBJECT)

static void
set_status (HesKeyCeremony *self,
            const char     *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
hes_key_ceremony_get_status (HesKeyCeremony *self)
{
  g_return_val_if_fail (HES_IS_KEY_CEREMONY (self), NULL);
  return self->status;
}

HesFido2Session *
hes_key_ceremony_get_session (HesKeyCeremony *self)
{
  g_return_val_if_fail (HES_IS_KEY_CEREMONY (self), NULL);
  return self->session;
}

typedef struct {
  char *pin;
} RunData;

static void
run_data_free (RunData *data)
{
  if (data->pin != NULL)
    explicit_bzero (data->pin, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

static void
on_registered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  HesFido2Registration *registration;

  registration = hes_fido2_session_make_credential_finish (HES_FIDO2_SESSION (source), result,
                                                           &error);
  if (registration == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, registration, (GDestroyNotify) hes_fido2_registration_free);
}

static void
on_asserted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *assertions;

  assertions = hes_fido2_session_get_assertion_finish (HES_FIDO2_SESSION (source), result, &error);
  if (assertions == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, assertions, (GDestroyNotify) g_ptr_array_unref);
}

static void
ask_key (GTask *task)
{
  HesKeyCeremony *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  set_status (self, _("Touch your security key now. If it has a light, it is blinking."));
  if (self->options->ceremony == HES_WEBAUTHN_CREATE)
    hes_fido2_session_make_credential_async (self->session, self->options, self->purpose,
                                             data->pin, g_task_get_cancellable (task),
                                             on_registered_cb, task);
  else
    hes_fido2_session_get_assertion_async (self->session, self->options, self->purpose,
                                           data->pin, g_task_get_cancellable (task),
                                           on_asserted_cb, task);
}

static void
use_device (GTask          *task,
            HesFido2Device *device)
{
  HesKeyCeremony *self = g_task_get_source_object (task);

  g_clear_object (&self->session);
  self->session = hes_fido2_session_new (device, self->origin);
  ask_key (task);
}

static void
on_selected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(HesFido2Device) device = hes_fido2_device_select_finish (result, &error);

  if (device == NULL) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  use_device (task, device);
}

static void
on_listed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  HesKeyCeremony *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) devices = hes_fido2_device_list_finish (result, &error);

  if (devices == NULL || devices->len == 0) {
    if (error == NULL)
      error = g_error_new_literal (HES_FIDO2_ERROR, HES_FIDO2_ERROR_NO_DEVICE,
                                   _("No security key is plugged in. Plug in your key and "
                                     "try again."));
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  if (devices->len == 1) {
    use_device (task, g_ptr_array_index (devices, 0));
    return;
  }
  set_status (self, _("Several security keys are plugged in. Touch the one you want to use."));
  hes_fido2_device_select_async (devices, PICK_TIMEOUT_MS, g_task_get_cancellable (task),
                                 on_selected_cb, task);
}

void
hes_key_ceremony_run_async (HesKeyCeremony      *self,
                            const char          *pin,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  RunData *data = g_new0 (RunData, 1);

  g_return_if_fail (HES_IS_KEY_CEREMONY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_key_ceremony_run_async);
  data->pin = g_strdup (pin);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  /* A retry (with the PIN) goes to the key chosen before. */
  if (self->session != NULL) {
    ask_key (task);
    return;
  }
  set_status (self, _("Looking for your security key…"));
  hes_fido2_device_list_async (cancellable, on_listed_cb, task);
}

gpointer
hes_key_ceremony_run_finish (HesKeyCeremony  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
hes_key_ceremony_explain (const GError *error)
{
  if (error->domain != HES_FIDO2_ERROR)
    return error->message;

  switch (error->code) {
  case HES_FIDO2_ERROR_ALREADY_REGISTERED:
    return _("This security key is already registered for your account. Use another key, "
             "or keep using this one.");
  case HES_FIDO2_ERROR_TIMEOUT:
    return _("The key was not touched in time. Try again and touch the key when it blinks.");
  case HES_FIDO2_ERROR_UNPLUGGED:
    return _("The security key was unplugged. Plug it in again and try again.");
  case HES_FIDO2_ERROR_PIN_BLOCKED:
    return _("The PIN of this key is blocked after too many wrong tries. Only a reset of the "
             "key helps; that erases everything on it.");
  case HES_FIDO2_ERROR_PIN_AUTH_BLOCKED:
    return _("Too many wrong PINs in a row. Unplug the key, plug it in again and try again.");
  case HES_FIDO2_ERROR_PIN_NOT_SET:
    return _("This key needs a PIN for passwordless sign-in, and it has none yet. "
             "Set a PIN on the key below, then try again.");
  default:
    return error->message;
  }
}

static void
hes_key_ceremony_finalize (GObject *object)
{
  HesKeyCeremony *self = HES_KEY_CEREMONY (object);

  g_clear_pointer (&self->options, hes_webauthn_options_free);
  g_clear_object (&self->session);
  g_free (self->origin);
  g_free (self->status);

  G_OBJECT_CLASS (hes_key_ceremony_parent_class)->finalize (object);
}

static void
hes_key_ceremony_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HesKeyCeremony *self = HES_KEY_CEREMONY (object);

  switch (prop_id) {
  case PROP_STATUS:
    g_value_set_string (value, self->status);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_key_ceremony_class_init (HesKeyCeremonyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hes_key_ceremony_finalize;
  object_class->get_property = hes_key_ceremony_get_property;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hes_key_ceremony_init (HesKeyCeremony *self)
{
}

HesKeyCeremony *
hes_key_ceremony_new (const HesWebauthnOptions *options,
                      const char               *origin,
                      HesFido2Purpose           purpose)
{
  HesKeyCeremony *self = g_object_new (HES_TYPE_KEY_CEREMONY, NULL);

  self->options = hes_webauthn_options_copy (options);
  self->origin = g_strdup (origin);
  self->purpose = purpose;
  return self;
}
