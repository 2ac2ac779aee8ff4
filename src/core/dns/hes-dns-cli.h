/* hes-dns-cli.h: the DNS part of the command line (no GTK).
 *
 *   --check-dns DOMAIN --mail-host HOST [--dkim-selector SEL --dkim-key BASE64] [--json]
 *   --print-records DOMAIN --mail-host HOST [--dkim-selector SEL --dkim-key BASE64]
 *                  [--format=zone|csv]
 *
 * Exit status: 0 when every required record is ok or pending (or the records were printed),
 * 1 when something must be fixed (or the sign-in failed, or the domain is not on the account),
 * 2 on bad usage: an impossible domain, mail host or selector (hes_dns_name_check()) or a
 * --dkim-key that holds no readable key (bare base64, "p=…" and the whole record are taken).
 * With --json every failure is an object on standard output too: {"error_code","message"}.
 *
 * Both also accept --server URL --user USER instead of --mail-host and the DKIM options: the
 * password is read from standard input, the tool signs in as domain administrator, checks
 * that the domain is on the account, takes the domain's DKIM record from the server and the
 * mail host name from the server's autoconfig (as the DNS page does), then calls
 * hes_dns_cli_run() like the other form. --mail-host may still be given with --server.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HES_DNS_CLI_CHECK,
  HES_DNS_CLI_PRINT,
} HesDnsCliMode;

typedef enum {
  HES_DNS_CLI_FORMAT_TEXT,
  HES_DNS_CLI_FORMAT_JSON,
  HES_DNS_CLI_FORMAT_ZONE,
  HES_DNS_CLI_FORMAT_CSV,
} HesDnsCliFormat;

/* TRUE when @argv holds --check-dns or --print-records (the application hands over then). */
gboolean hes_dns_cli_wants     (int               argc,
                                char            **argv);
int      hes_dns_cli_main      (int               argc,
                                char            **argv);
/* The hook both forms share: runs the check or prints the plan and returns the exit status.
 * @dkim_record (full TXT text) or @dkim_key (p= only) may be NULL. */
int      hes_dns_cli_run       (HesDnsCliMode     mode,
                                HesDnsCliFormat   format,
                                const char       *domain,
                                const char       *mail_host,
                                const char       *dkim_selector,
                                const char       *dkim_record,
                                const char       *dkim_key);

G_END_DECLS
