/* hes-mailcow-error.c: what can go wrong talking to a mailcow server, in plain words.
 *
 * The customer sees these sentences as they are: each says what happened and what to do,
 * without error codes, library names or server answers.
 */
#define G_LOG_DOMAIN "hes-mailcow-error"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

#include "hes-mailcow-error.h"

G_DEFINE_QUARK (hes-mailcow-error-quark, hes_mailcow_error)

const char *
hes_mailcow_error_describe (HesMailcowError code)
{
  switch (code) {
  case HES_MAILCOW_ERROR_INVALID_URL:
    return _("This is not a valid server address: type it like mail.example.com.");
  case HES_MAILCOW_ERROR_INSECURE_URL:
    return _("This server address does not use a secure connection, so the app will not use it: "
             "type the address that starts with https://.");
  case HES_MAILCOW_ERROR_UNREACHABLE:
    return _("The server could not be reached: check the server address and your internet "
             "connection, then try again.");
  case HES_MAILCOW_ERROR_TLS:
    return _("The server's security certificate is not trusted, so nothing was sent to it: "
             "check the server address or contact your provider.");
  case HES_MAILCOW_ERROR_TIMEOUT:
    return _("The server took too long to answer: check your internet connection, then try "
             "again.");
  case HES_MAILCOW_ERROR_NOT_MAILCOW:
    return _("This address does not lead to a mailcow mail server: check the server address "
             "in your welcome e-mail.");
  case HES_MAILCOW_ERROR_WRONG_CREDENTIALS:
    return _("The user name or the password is wrong: check them and the kind of account, "
             "then try again.");
  case HES_MAILCOW_ERROR_BANNED:
    return _("The server is refusing this computer after too many attempts: wait 15 minutes, "
             "then try again.");
  case HES_MAILCOW_ERROR_SECOND_FACTOR_FAILED:
    return _("The code was not accepted and the server ended this sign-in: sign in again.");
  case HES_MAILCOW_ERROR_SESSION_EXPIRED:
    return _("Your session on the server has ended: sign in again.");
  case HES_MAILCOW_ERROR_ACCESS_DENIED:
    return _("Your account is not allowed to do this: ask your domain administrator or your "
             "provider.");
  case HES_MAILCOW_ERROR_REFUSED:
    return _("The server refused the change: check what you entered, then try again.");
  case HES_MAILCOW_ERROR_SERVER:
    return _("The server could not complete the request: try again later, and contact your "
             "provider if it keeps happening.");
  case HES_MAILCOW_ERROR_MALFORMED:
    return _("The server sent an answer the app cannot read: try again later, and contact your "
             "provider if it keeps happening.");
  case HES_MAILCOW_ERROR_PASSWORD_POLICY:
    return _("The new password does not follow the server's password rules: choose another "
             "one.");
  case HES_MAILCOW_ERROR_TOO_LARGE:
    return _("The server sent a far larger answer than expected, so the app stopped reading "
             "it: try again later, and contact your provider if it keeps happening.");
  default:
    break;
  }

  return _("Something went wrong talking to the server: try again later.");
}

GError *
hes_mailcow_error_new_default (HesMailcowError code)
{
  return g_error_new_literal (HES_MAILCOW_ERROR, code, hes_mailcow_error_describe (code));
}

/* The connection ended without an answer. fail2ban on mailcow first resets the open
 * connections of an address it bans; right after a refused password that is the likely cause. */
static GError *
closed_error (HesMailcowTransportFlags flags)
{
  if (flags & HES_MAILCOW_TRANSPORT_AFTER_FAILURE)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_BANNED);

  return g_error_new_literal (HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER,
                              _("The server closed the connection without answering: wait a few "
                                "minutes, then try again."));
}

static GError *
tls_error_new (const char *sentence)
{
  return g_error_new_literal (HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_TLS, sentence);
}

/* Each TLS failure is named for what the app knows of it, and the password is said to be
 * safe only when the request is known not to have left: a failure after the handshake
 * (a server that breaks the protocol mid-answer) may come after the body was written. */
static GError *
tls_error (const GError *error, HesMailcowTransportFlags flags)
{
  gboolean not_written = (flags & HES_MAILCOW_TRANSPORT_NOT_WRITTEN) != 0;
  gboolean password_kept = not_written && (flags & HES_MAILCOW_TRANSPORT_SENDS_PASSWORD);

  gboolean in_handshake = (flags & HES_MAILCOW_TRANSPORT_IN_HANDSHAKE) != 0;

  /* glib-networking reports a refused certificate as BAD_CERTIFICATE and a handshake the
   * server broke off (an alert, no common version or cipher) as MISC or EOF: the network
   * events of the request tell the two phases apart. */
  if (error->code == G_TLS_ERROR_BAD_CERTIFICATE ||
      error->code == G_TLS_ERROR_CERTIFICATE_REQUIRED) {
    if (password_kept)
      return tls_error_new (_("The server's security certificate is not trusted, so your "
                              "password was not sent: check the server address or contact "
                              "your provider."));
    if (not_written)
      return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_TLS);
    return tls_error_new (_("The server's security certificate is not trusted: check the "
                            "server address or contact your provider."));
  }
  if (error->code == G_TLS_ERROR_HANDSHAKE ||
      (in_handshake && error->code != G_TLS_ERROR_NOT_TLS)) {
    if (password_kept)
      return tls_error_new (_("The app and the server could not agree on a secure connection, "
                              "so your password was not sent: contact your provider."));
    return tls_error_new (_("The app and the server could not agree on a secure connection: "
                            "contact your provider."));
  }
  if (error->code == G_TLS_ERROR_EOF)
    return closed_error (flags);

  if (password_kept)
    return tls_error_new (_("The server broke the rules of the secure connection, so your "
                            "password was not sent: try again later, and contact your "
                            "provider if it keeps happening."));
  return tls_error_new (_("The server broke the rules of the secure connection: try again "
                          "later, and contact your provider if it keeps happening."));
}

GError *
hes_mailcow_error_old_tls (HesMailcowTransportFlags flags)
{
  if (flags & HES_MAILCOW_TRANSPORT_NOT_WRITTEN)
    return tls_error_new (_("The server only offers an outdated secure connection (older than "
                            "TLS 1.2), so the app sent nothing to it: ask your provider to "
                            "update the server."));
  return tls_error_new (_("The server only offers an outdated secure connection (older than "
                          "TLS 1.2), so the app stopped talking to it: ask your provider to "
                          "update the server."));
}

/* mailcow's firewall rejects a banned address: new connections are refused. A refusal from
 * a server that answered a moment ago means a ban, not a wrong address. */
static GError *
refused_error (HesMailcowTransportFlags flags)
{
  if (flags & (HES_MAILCOW_TRANSPORT_SERVER_ANSWERED | HES_MAILCOW_TRANSPORT_AFTER_FAILURE))
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_BANNED);

  return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_UNREACHABLE);
}

static GError *
io_error (const GError *error, HesMailcowTransportFlags flags)
{
  switch (error->code) {
  case G_IO_ERROR_TIMED_OUT:
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_TIMEOUT);
  case G_IO_ERROR_CONNECTION_REFUSED:
    return refused_error (flags);
  case G_IO_ERROR_CONNECTION_CLOSED:
  case G_IO_ERROR_PARTIAL_INPUT:
    return closed_error (flags);
  case G_IO_ERROR_HOST_NOT_FOUND:
  case G_IO_ERROR_HOST_UNREACHABLE:
  case G_IO_ERROR_NETWORK_UNREACHABLE:
  case G_IO_ERROR_NOT_CONNECTED:
  case G_IO_ERROR_PROXY_FAILED:
  case G_IO_ERROR_PROXY_NOT_ALLOWED:
  case G_IO_ERROR_PROXY_AUTH_FAILED:
  case G_IO_ERROR_PROXY_NEED_AUTH:
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_UNREACHABLE);
  case G_IO_ERROR_INVALID_DATA:
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_MALFORMED);
  default:
    break;
  }

  return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_UNREACHABLE);
}

GError *
hes_mailcow_error_from_transport (const GError             *error,
                                  HesMailcowTransportFlags  flags)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  /* The raw error never reaches the customer, but support may want it with G_MESSAGES_DEBUG.
   * Transport errors carry no request or answer content. */
  g_debug ("transport error: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (error->domain == HES_MAILCOW_ERROR)
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR)
    return tls_error (error, flags);
  if (error->domain == G_RESOLVER_ERROR)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_UNREACHABLE);
  if (error->domain == SOUP_SESSION_ERROR)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_MALFORMED);
  if (error->domain == G_IO_ERROR)
    return io_error (error, flags);

  return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_UNREACHABLE);
}

GError *
hes_mailcow_error_from_status (guint status)
{
  if (status >= 500)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SERVER);
  if (status == 404 || status == 405)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_NOT_MAILCOW);
  if (status == 401 || status == 403)
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED);

  return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_MALFORMED);
}
