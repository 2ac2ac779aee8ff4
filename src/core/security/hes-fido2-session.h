/* hes-fido2-session.h: registering and using one security key (libfido2 in GTask threads).
 *
 * Every call opens the key in a worker thread, runs one libfido2 operation and closes it
 * again; cancelling the GCancellable sends CTAPHID_CANCEL to the key (fido_dev_cancel) so
 * the blocked call returns promptly, and the call then fails with G_IO_ERROR_CANCELLED.
 * PINs are copied into the task, never logged, and wiped when the task ends.
 * Show "touch your key" as soon as a call starts: libfido2 reports no progress.
 * One call at a time per session: a key serves one request at a time.
 */
#pragma once

#include <gio/gio.h>

#include "hes-fido2-device.h"
#include "hes-fido2-error.h"
#include "hes-webauthn.h"

G_BEGIN_DECLS

typedef enum {
  HES_FIDO2_PURPOSE_SECOND_FACTOR,  /* WebAuthn 2FA: no resident key, UV not needed */
  HES_FIDO2_PURPOSE_PASSWORDLESS,   /* FIDO2 sign-in: resident key, UV (the PIN) required */
} HesFido2Purpose;

typedef struct {
  GBytes *client_data_json;    /* the exact bytes that were hashed */
  GBytes *attestation_object;  /* CBOR {fmt, attStmt, authData} */
  GBytes *credential_id;
  GBytes *auth_data;           /* plain authenticatorData */
  guint8 flags;                /* HES_WEBAUTHN_FLAG_* of auth_data */
} HesFido2Registration;

typedef struct {
  GBytes *credential_id;
  GBytes *client_data_json;
  GBytes *authenticator_data;  /* plain bytes (unwrapped from libfido2's CBOR string) */
  GBytes *signature;           /* DER */
  GBytes *user_handle;         /* discoverable credentials only, else NULL */
  char *user_name;             /* only with UV, else NULL */
  guint8 flags;
} HesFido2Assertion;

typedef struct {
  gboolean has_pin;
  int retries;                 /* PIN tries left, -1 without a PIN */
} HesFido2PinInfo;

#define HES_TYPE_FIDO2_SESSION (hes_fido2_session_get_type ())
G_DECLARE_FINAL_TYPE (HesFido2Session, hes_fido2_session, HES, FIDO2_SESSION, GObject)

/* @origin: "https://host[:port]" of the mailcow server (hes_webauthn_origin_from_url). */
HesFido2Session      *hes_fido2_session_new       (HesFido2Device       *device,
                                                   const char           *origin);
HesFido2Device       *hes_fido2_session_get_device (HesFido2Session     *self);

/* Registers a new credential. @pin: NULL to try without (the key may answer
 * HES_FIDO2_ERROR_PIN_REQUIRED: ask and call again). Passwordless needs UV: a key with a PIN
 * and @pin NULL fails with PIN_REQUIRED before anything is asked of the key, a key without
 * a PIN with PIN_NOT_SET. */
void hes_fido2_session_make_credential_async (HesFido2Session          *self,
                                              const HesWebauthnOptions *options,
                                              HesFido2Purpose           purpose,
                                              const char               *pin,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
HesFido2Registration *hes_fido2_session_make_credential_finish (HesFido2Session  *self,
                                                                GAsyncResult     *result,
                                                                GError          **error);

/* Signs the server's challenge. With an allow list the key must hold one of those
 * credentials; without one it uses its discoverable credentials (several accounts give
 * several assertions: let the customer choose). Element type HesFido2Assertion. */
void hes_fido2_session_get_assertion_async   (HesFido2Session          *self,
                                              const HesWebauthnOptions *options,
                                              HesFido2Purpose           purpose,
                                              const char               *pin,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
GPtrArray *hes_fido2_session_get_assertion_finish (HesFido2Session  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

void hes_fido2_session_get_pin_info_async    (HesFido2Session          *self,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
gboolean hes_fido2_session_get_pin_info_finish (HesFido2Session  *self,
                                               GAsyncResult     *result,
                                               HesFido2PinInfo  *info,
                                               GError          **error);

/* Sets the first PIN (@old_pin NULL) or changes it. 4 to 63 bytes. */
void hes_fido2_session_set_pin_async         (HesFido2Session          *self,
                                              const char               *new_pin,
                                              const char               *old_pin,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
gboolean hes_fido2_session_set_pin_finish (HesFido2Session  *self,
                                          GAsyncResult     *result,
                                          GError          **error);

void hes_fido2_registration_free (HesFido2Registration *registration);
void hes_fido2_assertion_free    (HesFido2Assertion    *assertion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesFido2Registration, hes_fido2_registration_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesFido2Assertion, hes_fido2_assertion_free)

G_END_DECLS
