/* hes-demo-old-provider.c: a local Dovecot standing for an "old provider" in the demo
 * (build-aux/run-demo): the IMAP test fixture's server, its folders and messages, and its
 * throw-away certificate authority. Writes "HOST PORT USER CA_FILE" to the ready file once it
 * answers (the password is printed by run-demo, it is the fixture's), runs until SIGINT or
 * SIGTERM, then removes everything. Not installed.
 * Usage: hes-demo-old-provider READY_FILE */
#define G_LOG_DOMAIN "hes-demo-old-provider"

#include "config.h"

#include <glib-unix.h>

#include "hes-test-dovecot.h"

static gboolean
on_signal_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  HesTestDovecot *dovecot;

  if (argc != 2) {
    g_printerr ("Usage: %s READY_FILE\n", argv[0]);
    return 2;
  }
  dovecot = hes_test_dovecot_start ();
  ready = g_strdup_printf ("127.0.0.1 %u %s %s\n", dovecot->imaps_port, HES_TEST_USER,
                           dovecot->ca->ca_file);
  if (!g_file_set_contents (argv[1], ready, -1, &error)) {
    g_printerr ("%s\n", error->message);
    hes_test_dovecot_stop (dovecot);
    return 1;
  }
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  hes_test_dovecot_stop (dovecot);
  return 0;
}
