/* main.c: Hosterra Email Setup. */
#define G_LOG_DOMAIN "hosterra-email-setup"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hes-application.h"
#include "hes-dns-cli.h"
#include "hes-imap-cli.h"

/* The command-line modes for support staff and scripts. They share the pages' code but open no
 * window, so they are dispatched before the GApplication (and its display) exists. */
typedef int (*CliMain) (int argc, char **argv);

static const struct {
  const char *flag;
  CliMain     run;
} cli_modes[] = {
  { "--check-dns", hes_dns_cli_main },
  { "--print-records", hes_dns_cli_main },
  { "--test-imap", hes_imap_cli_main },
};

static CliMain
find_cli_mode (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    for (guint m = 0; m < G_N_ELEMENTS (cli_modes); m++)
      if (g_str_equal (argv[i], cli_modes[m].flag)
          || (g_str_has_prefix (argv[i], cli_modes[m].flag)
              && argv[i][strlen (cli_modes[m].flag)] == '='))
        return cli_modes[m].run;

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HesApplication) app = NULL;
  const char *localedir = g_getenv ("HES_LOCALEDIR");
  CliMain cli_main;

  setlocale (LC_ALL, "");
  /* The uninstalled build and the tests point HES_LOCALEDIR at the build tree's catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cli_main = find_cli_mode (argc, argv);
  if (cli_main != NULL)
    return cli_main (argc, argv);

  app = hes_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
