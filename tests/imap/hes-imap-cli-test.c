/* hes-imap-cli-test.c: `--test-imap` as the application will run it, for test-imap-cli. */
#define G_LOG_DOMAIN "hes-imap-cli-test"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hes-imap-cli.h"

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("HES_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return hes_imap_cli_main (argc, argv);
}
