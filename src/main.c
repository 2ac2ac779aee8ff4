/* main.c: Hosterra Email Setup. */
#define G_LOG_DOMAIN "hosterra-email-setup"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hes-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HesApplication) app = NULL;
  const char *localedir = g_getenv ("HES_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* The uninstalled build and the tests point HES_LOCALEDIR at the build tree's catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hes_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
