/* softfido2-private.h: shared between the pieces of the software authenticator. */
#pragma once

#include <fido.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <cbor.h>

#include "softfido2.h"

G_BEGIN_DECLS

#define SOFTFIDO2_PATH_PREFIX "softfido2:"

/* CTAP2 status codes used here (CTAP 2.0 §6.3). */
enum {
  CTAP2_OK = 0x00,
  CTAP1_ERR_INVALID_COMMAND = 0x01,
  CTAP1_ERR_INVALID_LENGTH = 0x03,
  CTAP2_ERR_INVALID_CBOR = 0x12,
  CTAP2_ERR_MISSING_PARAMETER = 0x14,
  CTAP2_ERR_CREDENTIAL_EXCLUDED = 0x19,
  CTAP2_ERR_UNSUPPORTED_ALGORITHM = 0x26,
  CTAP2_ERR_UNSUPPORTED_OPTION = 0x2B,
  CTAP2_ERR_KEEPALIVE_CANCEL = 0x2D,
  CTAP2_ERR_NO_CREDENTIALS = 0x2E,
  CTAP2_ERR_USER_ACTION_TIMEOUT = 0x2F,
  CTAP2_ERR_NOT_ALLOWED = 0x30,
  CTAP2_ERR_PIN_INVALID = 0x31,
  CTAP2_ERR_PIN_BLOCKED = 0x32,
  CTAP2_ERR_PIN_AUTH_INVALID = 0x33,
  CTAP2_ERR_PIN_AUTH_BLOCKED = 0x34,
  CTAP2_ERR_PIN_NOT_SET = 0x35,
  CTAP2_ERR_PIN_REQUIRED = 0x36,
  CTAP2_ERR_PIN_POLICY_VIOLATION = 0x37,
};

typedef struct {
  guint8 rp_id_hash[32];
  GBytes *credential_id;
  GBytes *user_id;
  char *user_name;
  char *display_name;
} SoftFido2Resident;

/* The answer of one CTAP2 command: status, CBOR body, and whether it waits for a touch. */
typedef struct {
  guint8 status;
  GByteArray *body;
  gboolean needs_touch;
} SoftFido2Reply;

struct _SoftFido2
{
  char *path;
  GMutex lock;
  GCond cond;

  /* Behaviour knobs. */
  int touch_delay_ms;
  int up_timeout_ms;
  gboolean plugged;
  SoftFido2Tamper tamper;
  guint touch_count;

  /* Key material and state. */
  guint8 seed[32];
  guint8 aaguid[16];
  guint32 counter;
  char *pin;
  guint pin_retries;
  guint pin_failures_in_a_row;
  guint8 pin_token[32];
  gnutls_privkey_t key_agreement;  /* P-256, regenerated at power-up and after a wrong PIN */
  GPtrArray *residents;            /* SoftFido2Resident */

  /* Batch attestation (x5c) instead of self attestation, when set. */
  gboolean batch;
  gnutls_privkey_t batch_key;
  GBytes *batch_cert;              /* DER, signed by root_cert */
  GBytes *root_cert;               /* DER, self-signed */

  /* getNextAssertion: the replies still to give. */
  GQueue next_assertions;          /* GByteArray bodies */

  /* CTAPHID: message being received. */
  guint32 rx_cid;
  guint8 rx_cmd;
  gsize rx_expected;
  guint8 rx_seq;
  GByteArray *rx_buf;
  guint32 next_cid;

  /* CTAPHID: frames ready to read, and a reply held back until a touch. */
  GQueue tx_frames;                /* 64-byte g_malloc'd frames */
  gboolean pending;
  guint32 pending_cid;
  guint8 pending_status;
  GByteArray *pending_body;
  gint64 pending_touch_at;         /* monotonic µs; G_MAXINT64 = never */
  gint64 pending_give_up_at;
  gint64 last_keepalive;
};

/* softfido2-ctap.c: one CTAP2 command (@req without the command byte). Called locked. */
SoftFido2Reply softfido2_ctap_dispatch (SoftFido2    *self,
                                       guint8        command,
                                       const guint8 *req,
                                       gsize         req_len);
void           softfido2_resident_free (SoftFido2Resident *resident);

/* softfido2-crypto.c */
gnutls_privkey_t softfido2_p256_generate   (void);
gboolean         softfido2_p256_export     (gnutls_privkey_t key,
                                            guint8           k[32],
                                            guint8           x[32],
                                            guint8           y[32]);
gnutls_privkey_t softfido2_p256_import     (const guint8     k[32],
                                            const guint8     x[32],
                                            const guint8     y[32]);
GByteArray      *softfido2_sign            (gnutls_privkey_t key,
                                            const guint8    *data,
                                            gsize            len);
void             softfido2_sha256          (const void      *data,
                                            gsize            len,
                                            guint8           out[32]);
void             softfido2_hmac_sha256     (const guint8    *key,
                                            gsize            key_len,
                                            const guint8    *data,
                                            gsize            len,
                                            guint8           out[32]);
/* AES-256-CBC with a zero IV, as PIN protocol 1 wants; @len a multiple of 16. */
gboolean         softfido2_aes_cbc         (const guint8     key[32],
                                            gboolean         encrypt,
                                            const guint8    *in,
                                            guint8          *out,
                                            gsize            len);
/* ECDH with the platform's COSE key, then SHA-256 of the x coordinate (PIN protocol 1). */
gboolean         softfido2_shared_secret   (gnutls_privkey_t ours,
                                            const guint8     peer_x[32],
                                            const guint8     peer_y[32],
                                            guint8           out[32]);
/* Credential ids: AES-256-GCM of the private key, bound to the rpIdHash. */
GBytes          *softfido2_wrap_credential (SoftFido2       *self,
                                            const guint8     rp_id_hash[32],
                                            gnutls_privkey_t key,
                                            guint8           cred_protect);
gnutls_privkey_t softfido2_unwrap_credential (SoftFido2     *self,
                                              const guint8   rp_id_hash[32],
                                              const guint8  *id,
                                              gsize          id_len,
                                              guint8        *cred_protect);

/* Makes the root and batch certificates and the batch key. */
gboolean         softfido2_make_batch_attestation (SoftFido2 *self);

/* softfido2.c */
extern const fido_dev_io_t softfido2_io;
/* Calls @func for each plugged key (under the registry lock). */
void softfido2_foreach_plugged (void (*func) (SoftFido2 *key, gpointer data),
                                gpointer data);
/* What the interposed libfido2 calls add to the real ones, for the link-time wrappers
 * (softfido2-wrap.c) and the LD_PRELOAD shim (softfido2-preload.c) alike:
 * the plugged keys appended to a manifest of *@olen real devices (at most @ilen in all), */
void softfido2_append_plugged  (fido_dev_info_t *devlist,
                                size_t           ilen,
                                size_t          *olen);
/* and the soft I/O functions installed before a soft key's path is opened. */
int  softfido2_prepare_open    (fido_dev_t      *dev,
                                const char      *path);

G_END_DECLS
