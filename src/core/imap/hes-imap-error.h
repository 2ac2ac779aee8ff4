/* hes-imap-error.h: what can go wrong when testing a login to an old provider's IMAP server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_IMAP_ERROR (hes_imap_error_quark ())

typedef enum {
  HES_IMAP_ERROR_HOST_NOT_FOUND,         /* the name does not exist */
  HES_IMAP_ERROR_REFUSED,                /* nothing listens on that port */
  HES_IMAP_ERROR_UNREACHABLE,            /* no route to the server, no network */
  HES_IMAP_ERROR_TIMEOUT,                /* a step got no answer in time */
  HES_IMAP_ERROR_TLS_UNTRUSTED,          /* certificate not trusted: final, never ignored */
  HES_IMAP_ERROR_TLS_FAILED,             /* the secure connection failed for another reason */
  HES_IMAP_ERROR_WRONG_SECURITY,         /* SSL/TLS against a plain port, or no STARTTLS */
  HES_IMAP_ERROR_AUTH_FAILED,            /* wrong address or password */
  HES_IMAP_ERROR_APP_PASSWORD_REQUIRED,  /* the provider wants an app password */
  HES_IMAP_ERROR_IMAP_DISABLED,          /* IMAP must be turned on at the provider first */
  HES_IMAP_ERROR_PROTOCOL,               /* answers the app cannot read, or closed early */
} HesImapError;

GQuark       hes_imap_error_quark        (void);

/* A stable lower-case name for scripts ("auth_failed"), as printed by --json. */
const char  *hes_imap_error_code_to_string (int code);

/* The one plain, translated sentence for @code; @host and @port fill it where useful. */
GError      *hes_imap_error_new          (HesImapError  code,
                                          const char   *host,
                                          guint16       port);

G_END_DECLS
