/* hes-mailcow-error.h: what can go wrong talking to a mailcow server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_MAILCOW_ERROR (hes_mailcow_error_quark ())

typedef enum {
  HES_MAILCOW_ERROR_INVALID_URL,          /* not a web address */
  HES_MAILCOW_ERROR_INSECURE_URL,         /* http:// to anything but loopback */
  HES_MAILCOW_ERROR_UNREACHABLE,          /* name not found, refused, no network */
  HES_MAILCOW_ERROR_TLS,                  /* certificate, handshake or TLS protocol failure, or
                                           * TLS older than 1.2: final, never ignored */
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
  HES_MAILCOW_ERROR_TOO_LARGE,            /* an answer over the size limit of its kind */
} HesMailcowError;

GQuark hes_mailcow_error_quark (void);

/* What the request was doing when the transport failed: the same GIO error means different
 * things for a password post, or right after a refused password (fail2ban). */
typedef enum {
  HES_MAILCOW_TRANSPORT_NONE            = 0,
  HES_MAILCOW_TRANSPORT_SENDS_PASSWORD  = 1 << 0, /* the request carries a password or code */
  HES_MAILCOW_TRANSPORT_AFTER_FAILURE   = 1 << 1, /* a sign-in failed on this server before */
  HES_MAILCOW_TRANSPORT_SERVER_ANSWERED = 1 << 2, /* the server answered an earlier request */
  HES_MAILCOW_TRANSPORT_NOT_WRITTEN     = 1 << 3, /* known: not one byte of the request left */
  HES_MAILCOW_TRANSPORT_IN_HANDSHAKE    = 1 << 4, /* a TLS handshake began and did not end */
} HesMailcowTransportFlags;

/* The plain, translated sentence for @code when nothing more precise is known. */
const char *hes_mailcow_error_describe       (HesMailcowError           code);
GError     *hes_mailcow_error_new_default    (HesMailcowError           code);
/* Turns a GIO, GResolver, TLS or libsoup error into a HES_MAILCOW_ERROR with one plain
 * sentence. G_IO_ERROR_CANCELLED is returned as a copy, unchanged. */
GError     *hes_mailcow_error_from_transport (const GError             *error,
                                              HesMailcowTransportFlags  flags);
/* The server only speaks TLS older than 1.2; @flags tell whether the request was written. */
GError     *hes_mailcow_error_old_tls        (HesMailcowTransportFlags  flags);
/* For an HTTP status that is not the expected one: 5xx, 404, 401/403, other. */
GError     *hes_mailcow_error_from_status    (guint                     status);

G_END_DECLS
