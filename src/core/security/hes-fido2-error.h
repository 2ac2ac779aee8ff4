/* hes-fido2-error.h: what can go wrong with a security key, in words a customer understands. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_FIDO2_ERROR (hes_fido2_error_quark ())

typedef enum {
  HES_FIDO2_ERROR_NO_DEVICE,          /* no security key is plugged in */
  HES_FIDO2_ERROR_UNPLUGGED,          /* the key stopped answering (removed during the call) */
  HES_FIDO2_ERROR_PIN_REQUIRED,       /* ask for the PIN and call again with it */
  HES_FIDO2_ERROR_PIN_INVALID,        /* wrong PIN; the message says how many tries are left */
  HES_FIDO2_ERROR_PIN_AUTH_BLOCKED,   /* three wrong PINs in a row: unplug and replug */
  HES_FIDO2_ERROR_PIN_BLOCKED,        /* no tries left: only a reset of the key helps */
  HES_FIDO2_ERROR_PIN_NOT_SET,        /* the key needs a PIN for this, and has none yet */
  HES_FIDO2_ERROR_PIN_POLICY,         /* the new PIN is too short or too long */
  HES_FIDO2_ERROR_ALREADY_REGISTERED, /* the key is in the exclude list */
  HES_FIDO2_ERROR_NOT_REGISTERED,     /* the key holds no credential for this account */
  HES_FIDO2_ERROR_TIMEOUT,            /* nobody touched the key in time */
  HES_FIDO2_ERROR_UNSUPPORTED,        /* the key cannot do what the server asks */
  HES_FIDO2_ERROR_MALFORMED_OPTIONS,  /* the server's request cannot be used; nothing sent */
  HES_FIDO2_ERROR_BAD_ANSWER,         /* the key's answer does not match the request */
  HES_FIDO2_ERROR_FAILED,             /* anything else */
} HesFido2Error;

GQuark  hes_fido2_error_quark     (void);

/* A GError for a libfido2 result code (FIDO_ERR_*). FIDO_ERR_KEEPALIVE_CANCEL becomes
 * G_IO_ERROR_CANCELLED. @retries: PIN tries left for FIDO_ERR_PIN_INVALID, or -1 if unknown. */
GError *hes_fido2_error_new_from_fido (int fido_code,
                                       int retries);

G_END_DECLS
