/* hes-fido2-session.c: makeCredential, getAssertion and PIN handling in GTask threads. */
#define G_LOG_DOMAIN "hes-fido2-session"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <cbor.h>
#include <fido.h>

#include "hes-fido2-session.h"
#include "hes-secure-mem.h"

struct _HesFido2Session
{
  GObject parent_instance;
  HesFido2Device *device;
  char *origin;
};

G_DEFINE_FINAL_TYPE (HesFido2Session, hes_fido2_session, G_TYPE_OBJECT)

/* Everything a worker thread needs, deep-copied so the caller may free its own data. */
typedef struct {
  char *path;
  HesWebauthnOptions *options;
  HesFido2Purpose purpose;
  GBytes *client_data;
  char *pin;
  char *new_pin;
} Op;

static void
op_free (Op *op)
{
  g_free (op->path);
  g_clear_pointer (&op->options, hes_webauthn_options_free);
  g_clear_pointer (&op->client_data, g_bytes_unref);
  hes_secure_free_string (op->pin);
  hes_secure_free_string (op->new_pin);
  g_free (op);
}

static void
hes_fido2_session_finalize (GObject *object)
{
  HesFido2Session *self = HES_FIDO2_SESSION (object);

  g_clear_object (&self->device);
  g_free (self->origin);
  G_OBJECT_CLASS (hes_fido2_session_parent_class)->finalize (object);
}

static void
hes_fido2_session_class_init (HesFido2SessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_fido2_session_finalize;
}

static void
hes_fido2_session_init (HesFido2Session *self)
{
}

HesFido2Session *
hes_fido2_session_new (HesFido2Device *device,
                       const char     *origin)
{
  HesFido2Session *self;

  g_return_val_if_fail (HES_IS_FIDO2_DEVICE (device), NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  self = g_object_new (HES_TYPE_FIDO2_SESSION, NULL);
  self->device = g_object_ref (device);
  self->origin = g_strdup (origin);
  return self;
}

HesFido2Device *
hes_fido2_session_get_device (HesFido2Session *self)
{
  g_return_val_if_fail (HES_IS_FIDO2_SESSION (self), NULL);
  return self->device;
}

void
hes_fido2_registration_free (HesFido2Registration *registration)
{
  if (registration == NULL)
    return;
  g_clear_pointer (&registration->client_data_json, g_bytes_unref);
  g_clear_pointer (&registration->attestation_object, g_bytes_unref);
  g_clear_pointer (&registration->credential_id, g_bytes_unref);
  g_clear_pointer (&registration->auth_data, g_bytes_unref);
  g_free (registration);
}

void
hes_fido2_assertion_free (HesFido2Assertion *assertion)
{
  if (assertion == NULL)
    return;
  g_clear_pointer (&assertion->credential_id, g_bytes_unref);
  g_clear_pointer (&assertion->client_data_json, g_bytes_unref);
  g_clear_pointer (&assertion->authenticator_data, g_bytes_unref);
  g_clear_pointer (&assertion->signature, g_bytes_unref);
  g_clear_pointer (&assertion->user_handle, g_bytes_unref);
  g_free (assertion->user_name);
  g_free (assertion);
}

/* ---- worker helpers ------------------------------------------------------------------- */

static fido_dev_t *
open_device (const char *path,
             guint       timeout_ms,
             GError    **error)
{
  fido_dev_t *dev = fido_dev_new ();
  int r;

  /* One budget for the whole call, PIN exchange included (fido2.md §1). */
  if (timeout_ms > 0)
    fido_dev_set_timeout (dev, (int) timeout_ms);
  r = fido_dev_open (dev, path);
  if (r != FIDO_OK)
    {
      g_debug ("fido_dev_open: %s", fido_strerr (r));
      fido_dev_free (&dev);
      *error = g_error_new_literal (HES_FIDO2_ERROR, HES_FIDO2_ERROR_UNPLUGGED,
                                    _("The security key cannot be reached; check that it is plugged in and try again."));
      return NULL;
    }
  return dev;
}

static void
close_device (fido_dev_t *dev)
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

typedef int (*FidoCall) (fido_dev_t *dev, gpointer what, const char *pin);

static int
run_cancellable (fido_dev_t   *dev,
                 GCancellable *cancellable,
                 FidoCall      call,
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

static GError *
error_from_fido (fido_dev_t *dev,
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

static gboolean
uv_needed (const Op *op)
{
  return op->purpose == HES_FIDO2_PURPOSE_PASSWORDLESS ||
         op->options->user_verification == HES_WEBAUTHN_UV_REQUIRED;
}

/* Refuses early, before the key blinks, when UV is needed but cannot happen as called. */
static gboolean
check_uv_possible (fido_dev_t *dev,
                   const Op   *op,
                   GError    **error)
{
  if (!uv_needed (op))
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

static GBytes *
bytes_or_null (const unsigned char *ptr,
               size_t               len)
{
  return ptr != NULL && len > 0 ? g_bytes_new (ptr, len) : NULL;
}

static Op *
op_new (HesFido2Session          *self,
        const HesWebauthnOptions *options,
        HesFido2Purpose           purpose,
        const char               *pin)
{
  Op *op = g_new0 (Op, 1);

  op->path = g_strdup (hes_fido2_device_get_path (self->device));
  op->purpose = purpose;
  op->pin = g_strdup (pin);
  if (options != NULL)
    {
      op->options = hes_webauthn_options_copy (options);
      op->client_data = hes_webauthn_build_client_data (options->ceremony, options->challenge,
                                                        self->origin);
    }
  return op;
}

/* ---- makeCredential ---------------------------------------------------------------------- */

static int
setup_cred (fido_cred_t *cred,
            fido_dev_t  *dev,
            const Op    *op)
{
  const HesWebauthnOptions *o = op->options;
  g_autoptr(GBytes) hash = hes_webauthn_hash (op->client_data);
  gboolean passwordless = op->purpose == HES_FIDO2_PURPOSE_PASSWORDLESS;
  int r;

  if ((r = fido_cred_set_type (cred, COSE_ES256)) != FIDO_OK ||
      (r = fido_cred_set_clientdata_hash (cred, g_bytes_get_data (hash, NULL), 32)) != FIDO_OK ||
      (r = fido_cred_set_rp (cred, o->rp_id, o->rp_name)) != FIDO_OK ||
      (r = fido_cred_set_user (cred, g_bytes_get_data (o->user_id, NULL),
                               g_bytes_get_size (o->user_id), o->user_name,
                               o->user_display_name, NULL)) != FIDO_OK ||
      (r = fido_cred_set_rk (cred, passwordless || o->resident_key ? FIDO_OPT_TRUE
                                                                    : FIDO_OPT_OMIT)) != FIDO_OK)
    return r;
  /* Without UV, a passwordless credential stays hidden from discovery (credProtect 2). */
  if (passwordless && fido_dev_supports_cred_prot (dev) &&
      (r = fido_cred_set_prot (cred, FIDO_CRED_PROT_UV_OPTIONAL_WITH_ID)) != FIDO_OK)
    return r;
  /* A biometric key without PIN: ask for built-in UV (never on PIN-only keys, §4). */
  if (uv_needed (op) && op->pin == NULL && fido_dev_has_uv (dev) &&
      (r = fido_cred_set_uv (cred, FIDO_OPT_TRUE)) != FIDO_OK)
    return r;
  for (guint i = 0; i < o->credential_ids->len; i++)
    {
      GBytes *id = o->credential_ids->pdata[i];
      r = fido_cred_exclude (cred, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
      if (r != FIDO_OK)
        return r;
    }
  return FIDO_OK;
}

static int
call_make_cred (fido_dev_t *dev,
                gpointer    cred,
                const char *pin)
{
  return fido_dev_make_cred (dev, cred, pin);
}

static HesFido2Registration *
finish_registration (fido_cred_t *cred,
                     const Op    *op,
                     GError     **error)
{
  g_autoptr(HesFido2Registration) reg = g_new0 (HesFido2Registration, 1);
  g_autoptr(GBytes) att_stmt = NULL;
  const char *fmt = fido_cred_fmt (cred);
  int r = FIDO_OK;

  /* libfido2 checks the signature, the rpIdHash and the clientDataHash. */
  if (fido_cred_x5c_ptr (cred) != NULL)
    r = fido_cred_verify (cred);
  else if (fmt != NULL && g_str_equal (fmt, "packed"))
    r = fido_cred_verify_self (cred);
  reg->auth_data = bytes_or_null (fido_cred_authdata_raw_ptr (cred),
                                  fido_cred_authdata_raw_len (cred));
  reg->credential_id = bytes_or_null (fido_cred_id_ptr (cred), fido_cred_id_len (cred));
  att_stmt = bytes_or_null (fido_cred_attstmt_ptr (cred), fido_cred_attstmt_len (cred));
  if (r != FIDO_OK || fmt == NULL || reg->auth_data == NULL || reg->credential_id == NULL ||
      att_stmt == NULL)
    {
      g_debug ("Registration check by libfido2: %s", fido_strerr (r));
      g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_BAD_ANSWER,
                           _("The security key gave an answer that does not match the request; try another key."));
      return NULL;
    }
  if (!hes_webauthn_check_auth_data (op->options, reg->auth_data, uv_needed (op),
                                     reg->credential_id, error))
    return NULL;
  reg->attestation_object = hes_webauthn_build_attestation_object (fmt, att_stmt, reg->auth_data,
                                                                   error);
  if (reg->attestation_object == NULL)
    return NULL;
  reg->client_data_json = g_bytes_ref (op->client_data);
  reg->flags = fido_cred_flags (cred);
  return g_steal_pointer (&reg);
}

static void
make_credential_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  fido_cred_t *cred;
  HesFido2Registration *reg = NULL;
  gint64 started;
  int r;

  fido_init (0);
  if ((dev = open_device (op->path, op->options->timeout_ms, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cred = fido_cred_new ();
  if (check_uv_possible (dev, op, &error))
    {
      started = g_get_monotonic_time ();
      r = setup_cred (cred, dev, op);
      if (r == FIDO_OK)
        r = run_cancellable (dev, cancellable, call_make_cred, cred, op->pin);
      if (r != FIDO_OK)
        error = error_from_fido (dev, r, started, op->options->timeout_ms);
      else
        reg = finish_registration (cred, op, &error);
    }
  fido_cred_free (&cred);
  close_device (dev);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reg, (GDestroyNotify) hes_fido2_registration_free);
}

void
hes_fido2_session_make_credential_async (HesFido2Session          *self,
                                         const HesWebauthnOptions *options,
                                         HesFido2Purpose           purpose,
                                         const char               *pin,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (options != NULL && options->ceremony == HES_WEBAUTHN_CREATE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_fido2_session_make_credential_async);
  g_task_set_task_data (task, op_new (self, options, purpose, pin), (GDestroyNotify) op_free);
  g_task_run_in_thread (task, make_credential_thread);
}

HesFido2Registration *
hes_fido2_session_make_credential_finish (HesFido2Session *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- getAssertion ------------------------------------------------------------------------ */

static int
call_get_assert (fido_dev_t *dev,
                 gpointer    assert,
                 const char *pin)
{
  return fido_dev_get_assert (dev, assert, pin);
}

/* libfido2 1.12 gives authData wrapped in a CBOR byte string (fido2.md §1). */
static GBytes *
unwrap_cbor_bytes (const unsigned char *ptr,
                   size_t               len)
{
  struct cbor_load_result result;
  cbor_item_t *item;
  GBytes *out = NULL;

  if (ptr == NULL || len == 0)
    return NULL;
  item = cbor_load (ptr, len, &result);
  if (item != NULL && result.error.code == CBOR_ERR_NONE && result.read == len &&
      cbor_isa_bytestring (item) && cbor_bytestring_is_definite (item))
    out = g_bytes_new (cbor_bytestring_handle (item), cbor_bytestring_length (item));
  if (item != NULL)
    cbor_decref (&item);
  return out;
}

static gboolean
id_allowed (const HesWebauthnOptions *o,
            GBytes                   *id)
{
  if (o->credential_ids->len == 0)
    return TRUE;
  for (guint i = 0; i < o->credential_ids->len; i++)
    if (g_bytes_equal (o->credential_ids->pdata[i], id))
      return TRUE;
  return FALSE;
}

static HesFido2Assertion *
read_assertion (fido_assert_t *a,
                size_t         i,
                const Op      *op,
                GError       **error)
{
  g_autoptr(HesFido2Assertion) out = g_new0 (HesFido2Assertion, 1);

  out->credential_id = bytes_or_null (fido_assert_id_ptr (a, i), fido_assert_id_len (a, i));
  out->authenticator_data = unwrap_cbor_bytes (fido_assert_authdata_ptr (a, i),
                                               fido_assert_authdata_len (a, i));
  out->signature = bytes_or_null (fido_assert_sig_ptr (a, i), fido_assert_sig_len (a, i));
  out->user_handle = bytes_or_null (fido_assert_user_id_ptr (a, i), fido_assert_user_id_len (a, i));
  out->user_name = g_strdup (fido_assert_user_name (a, i));
  out->flags = fido_assert_flags (a, i);
  out->client_data_json = g_bytes_ref (op->client_data);
  if (out->credential_id == NULL || out->authenticator_data == NULL || out->signature == NULL ||
      !id_allowed (op->options, out->credential_id))
    {
      g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_BAD_ANSWER,
                           _("The security key gave an answer that does not match the request; try another key."));
      return NULL;
    }
  if (!hes_webauthn_check_auth_data (op->options, out->authenticator_data, uv_needed (op), NULL,
                                     error))
    return NULL;
  return g_steal_pointer (&out);
}

static int
setup_assert (fido_assert_t *a,
              fido_dev_t    *dev,
              const Op      *op)
{
  const HesWebauthnOptions *o = op->options;
  g_autoptr(GBytes) hash = hes_webauthn_hash (op->client_data);
  int r;

  if ((r = fido_assert_set_clientdata_hash (a, g_bytes_get_data (hash, NULL), 32)) != FIDO_OK ||
      (r = fido_assert_set_rp (a, o->rp_id)) != FIDO_OK)
    return r;
  if (uv_needed (op) && op->pin == NULL && fido_dev_has_uv (dev) &&
      (r = fido_assert_set_uv (a, FIDO_OPT_TRUE)) != FIDO_OK)
    return r;
  for (guint i = 0; i < o->credential_ids->len; i++)
    {
      GBytes *id = o->credential_ids->pdata[i];
      r = fido_assert_allow_cred (a, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
      if (r != FIDO_OK)
        return r;
    }
  return FIDO_OK;
}

static void
get_assertion_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  fido_assert_t *a;
  g_autoptr(GPtrArray) out = NULL;
  gint64 started;
  int r;

  fido_init (0);
  if ((dev = open_device (op->path, op->options->timeout_ms, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_fido2_assertion_free);
  a = fido_assert_new ();
  if (check_uv_possible (dev, op, &error))
    {
      started = g_get_monotonic_time ();
      r = setup_assert (a, dev, op);
      if (r == FIDO_OK)
        r = run_cancellable (dev, cancellable, call_get_assert, a, op->pin);
      if (r != FIDO_OK)
        error = error_from_fido (dev, r, started, op->options->timeout_ms);
      for (size_t i = 0; error == NULL && i < fido_assert_count (a); i++)
        {
          HesFido2Assertion *one = read_assertion (a, i, op, &error);
          if (one != NULL)
            g_ptr_array_add (out, one);
        }
    }
  fido_assert_free (&a);
  close_device (dev);
  if (error == NULL && out->len == 0)
    error = hes_fido2_error_new_from_fido (FIDO_ERR_NO_CREDENTIALS, -1);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
}

void
hes_fido2_session_get_assertion_async (HesFido2Session          *self,
                                       const HesWebauthnOptions *options,
                                       HesFido2Purpose           purpose,
                                       const char               *pin,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (options != NULL && options->ceremony == HES_WEBAUTHN_GET);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_fido2_session_get_assertion_async);
  g_task_set_task_data (task, op_new (self, options, purpose, pin), (GDestroyNotify) op_free);
  g_task_run_in_thread (task, get_assertion_thread);
}

GPtrArray *
hes_fido2_session_get_assertion_finish (HesFido2Session *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- PIN ------------------------------------------------------------------------------- */

#define PIN_TIMEOUT_MS 10000

static void
pin_info_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;
  HesFido2PinInfo *info;
  fido_dev_t *dev;
  int r = FIDO_OK;

  fido_init (0);
  if ((dev = open_device (op->path, PIN_TIMEOUT_MS, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  info = g_new0 (HesFido2PinInfo, 1);
  info->has_pin = fido_dev_has_pin (dev);
  info->retries = -1;
  if (info->has_pin)
    r = fido_dev_get_retry_count (dev, &info->retries);
  if (r != FIDO_OK)
    error = error_from_fido (dev, r, g_get_monotonic_time (), 0);
  close_device (dev);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HES_IS_FIDO2_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_fido2_session_get_pin_info_async);
  g_task_set_task_data (task, op_new (self, NULL, 0, NULL), (GDestroyNotify) op_free);
  g_task_run_in_thread (task, pin_info_thread);
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
  Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  gint64 started = g_get_monotonic_time ();
  int r;

  fido_init (0);
  if ((dev = open_device (op->path, PIN_TIMEOUT_MS, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  r = run_cancellable (dev, cancellable, call_set_pin, op->new_pin, op->pin);
  if (r != FIDO_OK)
    error = error_from_fido (dev, r, started, PIN_TIMEOUT_MS);
  close_device (dev);
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
  g_autoptr(GTask) task = NULL;
  Op *op;
  gsize len;

  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (new_pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_fido2_session_set_pin_async);
  /* CTAP: at least 4 Unicode characters, at most 63 bytes. */
  len = strlen (new_pin);
  if (len > 63 || !g_utf8_validate (new_pin, -1, NULL) || g_utf8_strlen (new_pin, -1) < 4)
    {
      g_task_return_error (task, hes_fido2_error_new_from_fido (FIDO_ERR_PIN_POLICY_VIOLATION, -1));
      return;
    }
  op = op_new (self, NULL, 0, old_pin);
  op->new_pin = g_strdup (new_pin);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_task_run_in_thread (task, set_pin_thread);
}

gboolean
hes_fido2_session_set_pin_finish (HesFido2Session *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
