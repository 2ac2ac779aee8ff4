/* hes-dns-tool.c: the DNS command line alone (the application hands over to the same
 * hes_dns_cli_main()). Used by the CLI tests and for demos:
 *   HES_DNS_SERVER=127.0.0.1:5353 hes-dns-tool --check-dns kunde.example --mail-host mail.h.test
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hes-dns-cli.h"

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("HES_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return hes_dns_cli_main (argc, argv);
}
