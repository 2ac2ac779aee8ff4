/* hes-mailcow-sim-main.c: hosterra-mailcow-sim, the simulator as a program (demo, scripts). */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  int port = 0;
  gboolean demo = FALSE;
  g_autofree char *ready_file = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: any free port)", "N" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Load the demo data", NULL },
    { "ready-file", 0, 0, G_OPTION_ARG_FILENAME, &ready_file,
      "Write the URL to PATH once listening", "PATH" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a mailcow server simulator");
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowSim) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  g_autofree char *description = NULL;
  guint sigint, sigterm;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > 65535)
    {
      fprintf (stderr, "--port must be between 0 and 65535\n");
      return EXIT_FAILURE;
    }

  sim = hes_mailcow_sim_new ();
  if (demo)
    {
      hes_mailcow_sim_load_demo (sim, &description);
      hes_mailcow_sim_start_runner (sim, 30);
    }
  if (!hes_mailcow_sim_listen (sim, port, &error))
    {
      fprintf (stderr, "Cannot listen: %s\n", error->message);
      return EXIT_FAILURE;
    }
  url = hes_mailcow_sim_dup_url (sim);
  printf ("%s\n", url);
  if (description)
    printf ("\n%s", description);
  fflush (stdout);
  if (ready_file && !g_file_set_contents (ready_file, url, -1, &error))
    {
      fprintf (stderr, "Cannot write %s: %s\n", ready_file, error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return EXIT_SUCCESS;
}
