/* hes-autoconfig.h: the settings mail programs need for the mailcow host, and a check that
 * automatic configuration (Thunderbird's config-v1.1.xml) gives them.
 *
 * Two addresses are read: https://autoconfig.<domain>/mail/config-v1.1.xml (found through
 * the domain's autoconfig CNAME) and the mailcow host's own /mail/config-v1.1.xml. Each must
 * be a client configuration whose IMAP and SMTP servers are the mailcow host.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char  *host;
  guint  imap_port;           /* 993, SSL/TLS */
  guint  smtp_port;           /* 465, SSL/TLS */
  guint  smtp_starttls_port;  /* 587, STARTTLS, for networks that block 465 */
  char  *dav_url;             /* CalDAV and CardDAV: https://H/SOGo/dav/ */
} HesMailSettings;

#define HES_TYPE_MAIL_SETTINGS (hes_mail_settings_get_type ())
GType            hes_mail_settings_get_type (void) G_GNUC_CONST;
HesMailSettings *hes_mail_settings_new      (const char            *host);
HesMailSettings *hes_mail_settings_copy     (const HesMailSettings *settings);
void             hes_mail_settings_free     (HesMailSettings       *settings);
/* The settings as lines a customer can copy ("Incoming mail (IMAP): H, port 993, SSL/TLS"). */
char            *hes_mail_settings_describe (const HesMailSettings *settings);

typedef struct {
  gboolean  domain_ok;       /* autoconfig.<domain> names the host */
  char     *domain_message;  /* one plain sentence */
  gboolean  host_ok;         /* the host's own file names the host */
  char     *host_message;
} HesAutoconfigResult;

#define HES_TYPE_AUTOCONFIG_RESULT (hes_autoconfig_result_get_type ())
GType                hes_autoconfig_result_get_type (void) G_GNUC_CONST;
HesAutoconfigResult *hes_autoconfig_result_copy     (const HesAutoconfigResult *result);
void                 hes_autoconfig_result_free     (HesAutoconfigResult       *result);

/* TRUE when @xml is a client configuration whose IMAP and SMTP servers are @host.
 * FALSE with a plain sentence in @why otherwise. */
gboolean             hes_autoconfig_names_host      (const char   *xml,
                                                     gssize        length,
                                                     const char   *host,
                                                     char        **why);

/* @domain_base_url: NULL for "https://autoconfig.<domain>"; @host_base_url: NULL for
 * "https://<host>" (tests point both at a simulator). Failures are reported in the result;
 * the task fails only when cancelled. */
void                 hes_autoconfig_check_async     (const char          *host,
                                                     const char          *domain,
                                                     const char          *domain_base_url,
                                                     const char          *host_base_url,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
HesAutoconfigResult *hes_autoconfig_check_finish    (GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailSettings, hes_mail_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesAutoconfigResult, hes_autoconfig_result_free)

G_END_DECLS
