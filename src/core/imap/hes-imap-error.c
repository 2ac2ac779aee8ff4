/* hes-imap-error.c: one plain sentence per failure of the IMAP connection test. */
#define G_LOG_DOMAIN "hes-imap-error"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-imap-error.h"

G_DEFINE_QUARK (hes-imap-error-quark, hes_imap_error)

static const char * const code_names[] = {
  [HES_IMAP_ERROR_HOST_NOT_FOUND] = "host_not_found",
  [HES_IMAP_ERROR_REFUSED] = "refused",
  [HES_IMAP_ERROR_UNREACHABLE] = "unreachable",
  [HES_IMAP_ERROR_TIMEOUT] = "timeout",
  [HES_IMAP_ERROR_TLS_UNTRUSTED] = "tls_untrusted",
  [HES_IMAP_ERROR_TLS_FAILED] = "tls_failed",
  [HES_IMAP_ERROR_WRONG_SECURITY] = "wrong_security",
  [HES_IMAP_ERROR_AUTH_FAILED] = "auth_failed",
  [HES_IMAP_ERROR_APP_PASSWORD_REQUIRED] = "app_password_required",
  [HES_IMAP_ERROR_IMAP_DISABLED] = "imap_disabled",
  [HES_IMAP_ERROR_PROTOCOL] = "protocol",
};

const char *
hes_imap_error_code_to_string (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (code_names))
    return "unknown";
  return code_names[code];
}

static char *
format_message (HesImapError  code,
                const char   *host,
                guint16       port)
{
  switch (code)
    {
    case HES_IMAP_ERROR_HOST_NOT_FOUND:
      /* Translators: %s is a server name such as imap.example.com. */
      return g_strdup_printf (_("The server “%s” does not exist: check the spelling of the old provider’s IMAP server."),
                              host);
    case HES_IMAP_ERROR_REFUSED:
      /* Translators: %1$s is a server name, %2$u a port number such as 993. */
      return g_strdup_printf (_("The server “%1$s” refuses connections on port %2$u: check the port and the security setting (usually port 993 with SSL/TLS)."),
                              host, (guint) port);
    case HES_IMAP_ERROR_UNREACHABLE:
      /* Translators: %s is a server name. */
      return g_strdup_printf (_("The server “%s” cannot be reached: check your Internet connection and try again."),
                              host);
    case HES_IMAP_ERROR_TIMEOUT:
      /* Translators: %1$s is a server name, %2$u a port number. */
      return g_strdup_printf (_("The server “%1$s” did not answer in time on port %2$u: check the port and the security setting (SSL/TLS for port 993, STARTTLS for port 143), then try again."),
                              host, (guint) port);
    case HES_IMAP_ERROR_TLS_UNTRUSTED:
      /* Translators: %s is a server name. */
      return g_strdup_printf (_("The security certificate of “%s” is not trusted, so the connection was stopped to protect your password: check the server name given by your old provider."),
                              host);
    case HES_IMAP_ERROR_TLS_FAILED:
      /* Translators: %s is a server name. */
      return g_strdup_printf (_("A secure connection to “%s” could not be set up: check the security setting, or ask your old provider which one to use."),
                              host);
    case HES_IMAP_ERROR_WRONG_SECURITY:
      /* Translators: %1$s is a server name, %2$u a port number. */
      return g_strdup_printf (_("The server “%1$s” does not use this security setting on port %2$u: choose SSL/TLS for port 993 or STARTTLS for port 143."),
                              host, (guint) port);
    case HES_IMAP_ERROR_AUTH_FAILED:
      return g_strdup (_("The old provider refused this user name or password: check them and try again."));
    case HES_IMAP_ERROR_APP_PASSWORD_REQUIRED:
      return g_strdup (_("The old provider asks for an app password instead of your usual password: create one in the security settings of your account there, then type it here."));
    case HES_IMAP_ERROR_IMAP_DISABLED:
      return g_strdup (_("The old provider does not allow IMAP access to this mailbox: turn on IMAP in its webmail settings (or ask the provider), then try again."));
    case HES_IMAP_ERROR_PROTOCOL:
    default:
      /* Translators: %s is a server name. */
      return g_strdup_printf (_("The server “%s” did not answer like an IMAP mail server: check the server name and port given by your old provider."),
                              host);
    }
}

GError *
hes_imap_error_new (HesImapError  code,
                    const char   *host,
                    guint16       port)
{
  g_autofree char *message = format_message (code, host != NULL ? host : "", port);

  return g_error_new_literal (HES_IMAP_ERROR, code, message);
}
