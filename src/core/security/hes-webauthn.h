/* hes-webauthn.h: the WebAuthn encoding between mailcow and a security key.
 *
 * mailcow (lbuchs/WebAuthn) sends creation and request options with binary values as
 * "=?BINARY?B?<standard base64>?=" and expects every binary value back in standard base64
 * (fido2.md §1, mailcow-api.md §8). Everything here is pure data work: no device, no network.
 * Options are checked completely before anything reaches a key.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  HES_WEBAUTHN_UV_DISCOURAGED,
  HES_WEBAUTHN_UV_PREFERRED,
  HES_WEBAUTHN_UV_REQUIRED,
} HesWebauthnUv;

typedef enum {
  HES_WEBAUTHN_CREATE,  /* registration: clientData type "webauthn.create" */
  HES_WEBAUTHN_GET,     /* sign-in: clientData type "webauthn.get" */
} HesWebauthnCeremony;

/* authenticatorData flags (WebAuthn §6.1). */
#define HES_WEBAUTHN_FLAG_UP 0x01
#define HES_WEBAUTHN_FLAG_UV 0x04
#define HES_WEBAUTHN_FLAG_AT 0x40
#define HES_WEBAUTHN_FLAG_ED 0x80

typedef struct {
  HesWebauthnCeremony ceremony;
  char *rp_id;
  char *rp_name;               /* creation only */
  GBytes *user_id;             /* creation only; opaque (mailcow: the username bytes) */
  char *user_name;             /* creation only */
  char *user_display_name;     /* creation only */
  GBytes *challenge;
  GPtrArray *credential_ids;   /* GBytes: excludeCredentials (create) / allowCredentials (get) */
  guint timeout_ms;
  gboolean resident_key;       /* requireResidentKey, or residentKey "required" */
  HesWebauthnUv user_verification;
} HesWebauthnOptions;

/* @root: the server's answer ({"publicKey":{…}} or the inner object). @host: the host the app
 * talks to; the rpId must be it or a parent domain of it. NULL with
 * HES_FIDO2_ERROR_MALFORMED_OPTIONS (or _UNSUPPORTED when ES256 is not offered) if anything is
 * missing or wrong. */
HesWebauthnOptions *hes_webauthn_options_parse      (JsonNode                 *root,
                                                     HesWebauthnCeremony       ceremony,
                                                     const char               *host,
                                                     GError                  **error);
HesWebauthnOptions *hes_webauthn_options_copy       (const HesWebauthnOptions *self);
void                hes_webauthn_options_free       (HesWebauthnOptions       *self);

/* "https://host" or "https://host:port" (port only if not 443) from a server URL. */
char               *hes_webauthn_origin_from_url    (const char               *url);

/* The exact clientDataJSON bytes to hash and to send:
 * {"type":…,"challenge":<base64url, no padding>,"origin":…,"crossOrigin":false}. */
GBytes             *hes_webauthn_build_client_data  (HesWebauthnCeremony       ceremony,
                                                     GBytes                   *challenge,
                                                     const char               *origin);
/* SHA-256 of @client_data (32 bytes). */
GBytes             *hes_webauthn_hash               (GBytes                   *client_data);

/* CBOR {"fmt":…, "attStmt":<@att_stmt_cbor as is>, "authData":<@auth_data as bstr>}. */
GBytes             *hes_webauthn_build_attestation_object (const char         *fmt,
                                                           GBytes             *att_stmt_cbor,
                                                           GBytes             *auth_data,
                                                           GError            **error);

/* Checks a key's authenticatorData against the request: rpIdHash, UP, UV when
 * @uv_required, and, when @credential_id is given, the attested credential (create) with
 * that id and a well-formed COSE key. HES_FIDO2_ERROR_BAD_ANSWER otherwise. */
gboolean            hes_webauthn_check_auth_data    (const HesWebauthnOptions *options,
                                                     GBytes                   *auth_data,
                                                     gboolean                  uv_required,
                                                     GBytes                   *credential_id,
                                                     GError                  **error);

/* Standard base64 with padding, as PHP's base64_decode needs. */
char               *hes_webauthn_base64             (GBytes                   *bytes);

/* {"clientDataJSON":…,"attestationObject":…} for add/fido2-registration. */
JsonNode           *hes_webauthn_build_registration_body     (GBytes          *client_data,
                                                              GBytes          *attestation_object);
/* The same plus key_id, tfa_method "webauthn" and confirm_password, for
 * add/webauthn-tfa-registration. The node holds the password: free it right after use. */
JsonNode           *hes_webauthn_build_tfa_registration_body (GBytes          *client_data,
                                                              GBytes          *attestation_object,
                                                              const char      *key_name,
                                                              const char      *password);
/* The login form's token: {"id","clientDataJSON","authenticatorData","signature"}. */
char               *hes_webauthn_build_assertion_token       (GBytes          *credential_id,
                                                              GBytes          *client_data,
                                                              GBytes          *authenticator_data,
                                                              GBytes          *signature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesWebauthnOptions, hes_webauthn_options_free)

G_END_DECLS
