/* hes-key-ceremony.h: one use of a security key from a page: find the key (the customer
 * touches one when several are plugged in), then register a credential or sign the server's
 * challenge. The chosen key is kept, so a retry with the PIN goes to the same key.
 *
 * "status" is one sentence for the customer that says what to do now ("Touch your security
 * key."); libfido2 reports no progress, so it reads "touch" as soon as the key is asked. */
#pragma once

#include <gio/gio.h>

#include "hes-fido2-session.h"

G_BEGIN_DECLS

#define HES_TYPE_KEY_CEREMONY (hes_key_ceremony_get_type ())
G_DECLARE_FINAL_TYPE (HesKeyCeremony, hes_key_ceremony, HES, KEY_CEREMONY, GObject)

/* @options: copied. @origin: "https://host[:port]". */
HesKeyCeremony *hes_key_ceremony_new        (const HesWebauthnOptions *options,
                                             const char               *origin,
                                             HesFido2Purpose           purpose);
const char     *hes_key_ceremony_get_status (HesKeyCeremony           *self);
HesFido2Session *hes_key_ceremony_get_session (HesKeyCeremony         *self);

/* Registration (options made with HES_WEBAUTHN_CREATE) or assertion (HES_WEBAUTHN_GET).
 * @pin may be NULL. */
void            hes_key_ceremony_run_async  (HesKeyCeremony           *self,
                                             const char               *pin,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
/* HesFido2Registration for a registration, a GPtrArray of HesFido2Assertion otherwise. */
gpointer        hes_key_ceremony_run_finish (HesKeyCeremony           *self,
                                             GAsyncResult             *result,
                                             GError                  **error);

/* One plain sentence for what went wrong with the key (HES_FIDO2_ERROR), with what to do. */
const char     *hes_key_ceremony_explain    (const GError             *error);

G_END_DECLS
