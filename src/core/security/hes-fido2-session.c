/* hes-fido2-session.c: makeCredential and getAssertion in GTask threads. */
#define G_LOG_DOMAIN "hes-fido2-session"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <cbor.h>
#include <fido.h>

#include "hes-fido2-worker-private.h"

struct _HesFido2Session
{
  GObject parent_instance;
  HesFido2Device *device;
  char *origin;
};

G_DEFINE_FINAL_TYPE (HesFido2Session, hes_fido2_session, G_TYPE_OBJECT)

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

static HesFido2Op *
ceremony_op (HesFido2Session          *self,
             const HesWebauthnOptions *options,
             HesFido2Purpose           purpose,
             const char               *pin)
{
  return _hes_fido2_op_new (hes_fido2_device_get_path (self->device), self->origin, options,
                            purpose, pin);
}

/* What makeCredential and getAssertion share: UV possible, @setup, then @call with the PIN,
 * cancellable. FALSE with @error from the key. */
typedef int (*SetupFunc) (gpointer what, fido_dev_t *dev, const HesFido2Op *op);

static gboolean
run_ceremony (fido_dev_t        *dev,
              const HesFido2Op  *op,
              GCancellable      *cancellable,
              SetupFunc          setup,
              HesFido2Call       call,
              gpointer           what,
              GError           **error)
{
  gint64 started;
  int r;

  if (!_hes_fido2_check_uv_possible (dev, op, error))
    return FALSE;
  started = g_get_monotonic_time ();
  r = setup (what, dev, op);
  if (r == FIDO_OK)
    r = _hes_fido2_run_cancellable (dev, cancellable, call, what, op->pin);
  if (r != FIDO_OK)
    {
      g_propagate_error (error, _hes_fido2_error_from_fido (dev, r, started, op->options->timeout_ms));
      return FALSE;
    }
  return TRUE;
}

/* ---- makeCredential ---------------------------------------------------------------------- */

static int
setup_cred (gpointer          what,
            fido_dev_t       *dev,
            const HesFido2Op *op)
{
  fido_cred_t *cred = what;
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
  if (_hes_fido2_uv_needed (op) && op->pin == NULL && fido_dev_has_uv (dev) &&
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
finish_registration (fido_cred_t       *cred,
                     const HesFido2Op  *op,
                     GError           **error)
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
  reg->auth_data = _hes_fido2_bytes_or_null (fido_cred_authdata_raw_ptr (cred),
                                             fido_cred_authdata_raw_len (cred));
  reg->credential_id = _hes_fido2_bytes_or_null (fido_cred_id_ptr (cred), fido_cred_id_len (cred));
  att_stmt = _hes_fido2_bytes_or_null (fido_cred_attstmt_ptr (cred), fido_cred_attstmt_len (cred));
  if (r != FIDO_OK || fmt == NULL || reg->auth_data == NULL || reg->credential_id == NULL ||
      att_stmt == NULL)
    {
      g_debug ("Registration check by libfido2: %s", fido_strerr (r));
      g_set_error_literal (error, HES_FIDO2_ERROR, HES_FIDO2_ERROR_BAD_ANSWER,
                           _("The security key gave an answer that does not match the request; try another key."));
      return NULL;
    }
  if (!hes_webauthn_check_auth_data (op->options, reg->auth_data, _hes_fido2_uv_needed (op),
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
  HesFido2Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  fido_cred_t *cred;
  HesFido2Registration *reg = NULL;

  if ((dev = _hes_fido2_open_device (task, op->path, op->options->timeout_ms)) == NULL)
    return;
  cred = fido_cred_new ();
  if (run_ceremony (dev, op, cancellable, setup_cred, call_make_cred, cred, &error))
    reg = finish_registration (cred, op, &error);
  fido_cred_free (&cred);
  _hes_fido2_close_device (dev);
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
  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (options != NULL && options->ceremony == HES_WEBAUTHN_CREATE);

  _hes_fido2_run_in_thread (self, hes_fido2_session_make_credential_async,
                            ceremony_op (self, options, purpose, pin),
                            cancellable, callback, user_data, make_credential_thread);
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
read_assertion (fido_assert_t     *a,
                size_t             i,
                const HesFido2Op  *op,
                GError           **error)
{
  g_autoptr(HesFido2Assertion) out = g_new0 (HesFido2Assertion, 1);

  out->credential_id = _hes_fido2_bytes_or_null (fido_assert_id_ptr (a, i),
                                                 fido_assert_id_len (a, i));
  out->authenticator_data = unwrap_cbor_bytes (fido_assert_authdata_ptr (a, i),
                                               fido_assert_authdata_len (a, i));
  out->signature = _hes_fido2_bytes_or_null (fido_assert_sig_ptr (a, i),
                                             fido_assert_sig_len (a, i));
  out->user_handle = _hes_fido2_bytes_or_null (fido_assert_user_id_ptr (a, i),
                                               fido_assert_user_id_len (a, i));
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
  if (!hes_webauthn_check_auth_data (op->options, out->authenticator_data,
                                     _hes_fido2_uv_needed (op), NULL, error))
    return NULL;
  return g_steal_pointer (&out);
}

static int
setup_assert (gpointer          what,
              fido_dev_t       *dev,
              const HesFido2Op *op)
{
  fido_assert_t *a = what;
  const HesWebauthnOptions *o = op->options;
  g_autoptr(GBytes) hash = hes_webauthn_hash (op->client_data);
  int r;

  if ((r = fido_assert_set_clientdata_hash (a, g_bytes_get_data (hash, NULL), 32)) != FIDO_OK ||
      (r = fido_assert_set_rp (a, o->rp_id)) != FIDO_OK)
    return r;
  if (_hes_fido2_uv_needed (op) && op->pin == NULL && fido_dev_has_uv (dev) &&
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
  HesFido2Op *op = task_data;
  GError *error = NULL;
  fido_dev_t *dev;
  fido_assert_t *a;
  g_autoptr(GPtrArray) out = NULL;

  if ((dev = _hes_fido2_open_device (task, op->path, op->options->timeout_ms)) == NULL)
    return;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_fido2_assertion_free);
  a = fido_assert_new ();
  if (run_ceremony (dev, op, cancellable, setup_assert, call_get_assert, a, &error))
    for (size_t i = 0; error == NULL && i < fido_assert_count (a); i++)
      {
        HesFido2Assertion *one = read_assertion (a, i, op, &error);
        if (one != NULL)
          g_ptr_array_add (out, one);
      }
  fido_assert_free (&a);
  _hes_fido2_close_device (dev);
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
  g_return_if_fail (HES_IS_FIDO2_SESSION (self));
  g_return_if_fail (options != NULL && options->ceremony == HES_WEBAUTHN_GET);

  _hes_fido2_run_in_thread (self, hes_fido2_session_get_assertion_async,
                            ceremony_op (self, options, purpose, pin),
                            cancellable, callback, user_data, get_assertion_thread);
}

GPtrArray *
hes_fido2_session_get_assertion_finish (HesFido2Session *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
