/* hes-mailcow-factors.h: what protects a mailcow account besides its password.
 *
 * mailcow keeps second factors (TOTP apps, YubiKeys, security keys: "tfa" rows) and passwordless
 * keys ("fido2" rows) per account, lists them only on the account's HTML page and changes them
 * through that page's forms and a few JSON calls. This API hides all of it: callers see
 * factors, names and plain errors. A change counts as done only when the account's page,
 * read again, shows it (mailcow answers "success" for changes it did not store).
 * Everything is asynchronous and cancellable; passwords given here are wiped once sent.
 */
#pragma once

#include <gio/gio.h>

#include "hes-fido2-session.h"
#include "hes-mailcow-client.h"
#include "hes-webauthn.h"

G_BEGIN_DECLS

#define HES_MAILCOW_FACTORS_ERROR (hes_mailcow_factors_error_quark ())

/* Refusals of a change; the message is one plain, translated sentence. Other failures (network,
 * session) come as HES_MAILCOW_ERROR. */
typedef enum {
  HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD,   /* the account password did not match */
  HES_MAILCOW_FACTORS_ERROR_WRONG_CODE,       /* the authenticator app's code was refused */
  HES_MAILCOW_FACTORS_ERROR_OTP_NOT_VERIFIED, /* YubiCloud did not accept the YubiKey's OTP */
  HES_MAILCOW_FACTORS_ERROR_TOKEN_EXPIRED,    /* the page's form token changed: try again */
  HES_MAILCOW_FACTORS_ERROR_LAST_FACTOR,      /* mailcow keeps the last second factor */
  HES_MAILCOW_FACTORS_ERROR_NOT_SAVED,        /* the account does not show the change */
} HesMailcowFactorsError;

typedef enum {
  HES_MAILCOW_FACTOR_SECOND_FACTOR,  /* asked after the password: app, YubiKey or security key */
  HES_MAILCOW_FACTOR_PASSKEY,        /* passwordless sign-in with a security key and its PIN */
} HesMailcowFactorKind;

typedef struct {
  HesMailcowFactorKind kind;
  char *id;    /* opaque: what remove and rename need */
  char *name;  /* as the customer named it; may be empty */
} HesMailcowFactor;

GQuark             hes_mailcow_factors_error_quark (void);
void               hes_mailcow_factor_free         (HesMailcowFactor       *factor);
HesMailcowFactor  *hes_mailcow_factor_copy         (const HesMailcowFactor *factor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowFactor, hes_mailcow_factor_free)

#define HES_TYPE_MAILCOW_FACTORS (hes_mailcow_factors_get_type ())
G_DECLARE_FINAL_TYPE (HesMailcowFactors, hes_mailcow_factors, HES, MAILCOW_FACTORS, GObject)

/* @client: signed in (mailbox user or domain administrator). */
HesMailcowFactors *hes_mailcow_factors_new         (HesMailcowClient       *client);
HesMailcowClient  *hes_mailcow_factors_get_client  (HesMailcowFactors      *self);

/* Every factor of the account: passkeys first, then second factors, in the server's order. */
void        hes_mailcow_factors_list_async          (HesMailcowFactors    *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

/* An authenticator app: @base32_secret is the secret shown to the customer, @code the app's
 * current 6-digit code. */
void        hes_mailcow_factors_add_totp_async      (HesMailcowFactors    *self,
                                                     const char           *name,
                                                     const char           *base32_secret,
                                                     const char           *code,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/* A YubiKey in Yubico OTP mode, checked by the server with the customer's own YubiCloud API
 * client id and secret key; @otp is the 44 characters the key types. */
void        hes_mailcow_factors_add_yubi_otp_async  (HesMailcowFactors    *self,
                                                     const char           *name,
                                                     const char           *client_id,
                                                     const char           *secret_key,
                                                     const char           *otp,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);

/* A security key: first the server's registration options for @kind (finish with
 * get_key_options_finish), then, once the key made a credential with them, add_key. A second
 * factor needs the account @password; a passkey does not (NULL). */
void        hes_mailcow_factors_get_key_options_async  (HesMailcowFactors    *self,
                                                        HesMailcowFactorKind  kind,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
HesWebauthnOptions *hes_mailcow_factors_get_key_options_finish (HesMailcowFactors *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);
void        hes_mailcow_factors_add_key_async       (HesMailcowFactors          *self,
                                                     HesMailcowFactorKind        kind,
                                                     const char                 *name,
                                                     const char                 *password,
                                                     const HesFido2Registration *registration,
                                                     GCancellable               *cancellable,
                                                     GAsyncReadyCallback         callback,
                                                     gpointer                    user_data);

/* mailcow names passkeys only: @factor must be a HES_MAILCOW_FACTOR_PASSKEY. */
void        hes_mailcow_factors_rename_async        (HesMailcowFactors      *self,
                                                     const HesMailcowFactor *factor,
                                                     const char             *name,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
void        hes_mailcow_factors_remove_async        (HesMailcowFactors      *self,
                                                     const HesMailcowFactor *factor,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);

/* Finishes list and every change: the account's factors as the server now stores them
 * (element type HesMailcowFactor), or NULL with @error. For additions, @out_added (optional)
 * receives the new factor. */
GPtrArray  *hes_mailcow_factors_finish              (HesMailcowFactors    *self,
                                                     GAsyncResult         *result,
                                                     HesMailcowFactor    **out_added,
                                                     GError              **error);

/* The challenge for a pending sign-in's security key (before the session is signed in). */
void        hes_mailcow_client_get_sign_in_key_options_async   (HesMailcowClient    *client,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
HesWebauthnOptions *hes_mailcow_client_get_sign_in_key_options_finish (HesMailcowClient *client,
                                                                       GAsyncResult     *result,
                                                                       GError          **error);

G_END_DECLS
