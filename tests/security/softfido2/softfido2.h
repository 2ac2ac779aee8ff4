/* softfido2.h: a software CTAP2 authenticator behind libfido2's custom I/O (tests and demo only).
 *
 * Each SoftFido2 is a "plugged-in" security key at the path "softfido2:<name>". It speaks
 * CTAPHID frames to libfido2 (fido_dev_set_io_functions), answers getInfo, makeCredential
 * (packed self attestation, ES256), getAssertion/getNextAssertion and clientPIN protocol 1
 * (getRetries, getKeyAgreement, setPIN, changePIN, getPINToken), honours the exclude list and
 * credProtect, waits for a simulated touch while sending KEEPALIVE frames, and stops on
 * CTAPHID_CANCEL. Programs linked with softfido2_link_args see the plugged keys through the
 * unmodified fido_dev_info_manifest()/fido_dev_open() (see softfido2-wrap.c).
 * Never compiled into the application.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SoftFido2 SoftFido2;

typedef enum {
  SOFTFIDO2_TAMPER_NONE = 0,
  SOFTFIDO2_TAMPER_RP_ID_HASH = 1 << 0,  /* signs authData for another rpId */
  SOFTFIDO2_TAMPER_NO_UP = 1 << 1,       /* clears the user-present flag, signs that */
  SOFTFIDO2_TAMPER_SIGNATURE = 1 << 2,   /* flips a byte of the signature after signing */
  SOFTFIDO2_TAMPER_CREDENTIAL_ID = 1 << 3, /* assertion names an id not in the allow list */
} SoftFido2Tamper;

#define SOFTFIDO2_PIN_RETRIES 8

/* Plugs a new key in. @name makes its path "softfido2:<name>". */
SoftFido2  *softfido2_new              (const char      *name);
/* Unplugs and frees it. Nothing may use it afterwards. */
void        softfido2_free             (SoftFido2       *self);
const char *softfido2_get_path         (SoftFido2       *self);

/* Delay before the simulated touch, from the moment a command needs one; -1: never. */
void        softfido2_set_touch_delay  (SoftFido2       *self,
                                        int              ms);
/* How long the key waits for a touch before it answers USER_ACTION_TIMEOUT (default 30 s). */
void        softfido2_set_up_timeout   (SoftFido2       *self,
                                        int              ms);
/* Sets the PIN directly, as if set earlier with another tool; NULL removes it. */
void        softfido2_set_pin          (SoftFido2       *self,
                                        const char      *pin);
gboolean    softfido2_has_pin          (SoftFido2       *self);
guint       softfido2_get_pin_retries  (SoftFido2       *self);
/* Removing the key makes every I/O fail, as an unplugged USB device does. */
void        softfido2_set_plugged      (SoftFido2       *self,
                                        gboolean         plugged);
void        softfido2_set_tamper       (SoftFido2       *self,
                                        SoftFido2Tamper  tamper);
/* Discoverable credentials stored on the key. */
guint       softfido2_count_resident   (SoftFido2       *self);
/* Commands that waited for a touch and got one. */
guint       softfido2_get_touch_count  (SoftFido2       *self);
/* Packed attestation with an x5c certificate chain (as real keys do) instead of self
 * attestation. The root certificate (DER) is what a verifier must trust. */
void        softfido2_set_batch_attestation (SoftFido2 *self,
                                             gboolean   batch);
GBytes     *softfido2_get_root_certificate  (SoftFido2 *self);
/* Replaces the random seed (32 bytes) that wraps credential ids, so that another process
 * with the same seed can use credentials made here. */
void        softfido2_set_seed         (SoftFido2       *self,
                                        const guint8    *seed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SoftFido2, softfido2_free)

G_END_DECLS
