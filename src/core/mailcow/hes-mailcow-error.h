/* hes-mailcow-error.h: what can go wrong talking to a mailcow server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_MAILCOW_ERROR (hes_mailcow_error_quark ())

typedef enum {
  HES_MAILCOW_ERROR_INVALID_URL,          /* not a web address */
  HES_MAILCOW_ERROR_INSECURE_URL,         /* http:// to anything but loopback */
  HES_MAILCOW_ERROR_UNREACHABLE,          /* name not found, refused, no network */
  HES_MAILCOW_ERROR_TLS,                  /* certificate not trusted: final, never ignored */
  HES_MAILCOW_ERROR_TIMEOUT,
  HES_MAILCOW_ERROR_NOT_MAILCOW,          /* answers, but not like mailcow */
  HES_MAILCOW_ERROR_WRONG_CREDENTIALS,
  HES_MAILCOW_ERROR_BANNED,               /* too many failures: the server blocks this address */
  HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED, /* wrong code; the pending sign-in is over */
  HES_MAILCOW_ERROR_SESSION_EXPIRED,
  HES_MAILCOW_ERROR_ACCESS_DENIED,
  HES_MAILCOW_ERROR_REFUSED,              /* the server refused a change; message says why */
  HES_MAILCOW_ERROR_SERVER,               /* HTTP 5xx, empty answer to a write */
  HES_MAILCOW_ERROR_MALFORMED,            /* JSON or HTML the app cannot read */
  HES_MAILCOW_ERROR_PASSWORD_POLICY,      /* new password breaks the server's policy */
} HesMailcowError;

GQuark hes_mailcow_error_quark (void);

G_END_DECLS
