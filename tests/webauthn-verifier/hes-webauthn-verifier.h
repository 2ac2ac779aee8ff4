/* hes-webauthn-verifier.h: the server side of WebAuthn as mailcow (lbuchs/WebAuthn) runs it,
 * for the mailcow simulator and the security tests. Written independently of the app's encoder
 * (GnuTLS, libcbor, json-glib) and of the app's core library, so a mistake on one side does not
 * hide on the other.
 *
 * Inputs are the strings the app posts: standard base64 (PHP's non-strict base64_decode drops
 * '-' and '_', so base64url is refused here too). Errors are G_IO_ERROR_INVALID_DATA whose
 * message is the text mailcow answers: "invalid challenge", "invalid origin", "invalid type",
 * "invalid rpId hash", "user not present during authentication", "user not verified during
 * authentication", "invalid signature", "Unused bytes after data item.", …
 * Like mailcow: the origin must be https and its host must *end with* the rpId (no dot
 * boundary, port ignored); keys are ES256 (P-256) or RS256; the attestation formats are
 * $FIDO2_FORMATS, of which only "packed" has its statement checked (root certificates are
 * checked in trusted-vendor mode only, which this verifier does not model); the signature
 * counter is not checked.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GBytes *credential_id;
  char *public_key_pem;  /* SubjectPublicKeyInfo, as mailcow stores it */
  GBytes *aaguid;
  guint32 sign_count;
  guint8 flags;
  gboolean self_attestation;
} HesVerifiedCredential;

/* PHP's base64_decode() without strict mode: characters outside the alphabet are dropped.
 * @text may be NULL (empty). */
GBytes                *hes_php_base64_decode            (const char  *text);

/* @challenge may be NULL (no challenge pending: "invalid challenge"). */
HesVerifiedCredential *hes_webauthn_verify_registration (const char  *client_data_b64,
                                                         const char  *attestation_object_b64,
                                                         const char  *rp_id,
                                                         GBytes      *challenge,
                                                         gboolean     uv_required,
                                                         GError     **error);
/* @public_key_pem from the registration. Returns the assertion's flags, or -1 with @error. */
int                    hes_webauthn_verify_assertion    (const char  *public_key_pem,
                                                         const char  *client_data_b64,
                                                         const char  *authenticator_data_b64,
                                                         const char  *signature_b64,
                                                         const char  *rp_id,
                                                         GBytes      *challenge,
                                                         gboolean     uv_required,
                                                         GError     **error);
void                   hes_verified_credential_free     (HesVerifiedCredential *credential);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesVerifiedCredential, hes_verified_credential_free)

G_END_DECLS
