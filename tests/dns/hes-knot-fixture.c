/* hes-knot-fixture.c: start and stop knotd for tests */
#define G_LOG_DOMAIN "hes-test"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <signal.h>
#include <sys/wait.h>

#include "hes-knot-fixture.h"

struct _HesKnotFixture
{
  char    *dir;
  char    *server;
  guint16  port;
  GPid     pid;
};

char *
hes_knot_find_program (const char *name)
{
  static const char *dirs[] = { "/usr/sbin", "/usr/local/sbin", "/sbin", NULL };
  char *found = g_find_program_in_path (name);

  for (guint i = 0; found == NULL && dirs[i]; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        found = g_steal_pointer (&path);
    }
  return found;
}

/* A port free for both UDP and TCP right now (the kernel picks it). */
static guint16
pick_port (GError **error)
{
  for (int tries = 0; tries < 20; tries++)
    {
      g_autoptr(GSocket) udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, error);
      g_autoptr(GSocket) tcp = NULL;
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GSocketAddress) same = NULL;
      guint16 port;

      if (udp == NULL || !g_socket_bind (udp, any, FALSE, error))
        return 0;
      bound = g_socket_get_local_address (udp, error);
      if (bound == NULL)
        return 0;
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      same = g_inet_socket_address_new (lo, port);
      if (tcp && g_socket_bind (tcp, same, TRUE, NULL))
        return port;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no free port");
  return 0;
}

/* One SOA question over UDP with a 50 ms wait: TRUE once knotd answers it. */
static gboolean
answers (HesKnotFixture *self,
         const char     *zone)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (lo, self->port);
  guint8 query[512], reply[4096];
  int len = res_mkquery (ns_o_query, zone, ns_c_in, ns_t_soa, NULL, 0, NULL, query, sizeof query);
  gssize got;

  if (sock == NULL || len < 0)
    return FALSE;
  g_socket_set_timeout (sock, 0);
  if (g_socket_send_to (sock, to, (const char *) query, len, NULL, NULL) != len)
    return FALSE;
  if (!g_socket_condition_timed_wait (sock, G_IO_IN, 50000, NULL, NULL))
    return FALSE;
  got = g_socket_receive (sock, (char *) reply, sizeof reply, NULL, NULL);
  /* Any answer with the QR bit means the server is up and has loaded its zones. */
  return got > 12 && (reply[2] & 0x80) && (reply[3] & 0x0f) == 0;
}

static gboolean
write_conf (HesKnotFixture      *self,
            const char          *zone_dir,
            const char * const  *names,
            GError             **error)
{
  g_autoptr(GString) conf = g_string_new (NULL);
  g_autofree char *path = g_build_filename (self->dir, "knot.conf", NULL);

  g_string_append_printf (conf, "server:\n  listen: 127.0.0.1@%u\n  rundir: \"%s\"\n",
                          self->port, self->dir);
  g_string_append_printf (conf, "log:\n  - target: stderr\n    any: warning\n");
  g_string_append_printf (conf, "database:\n  storage: \"%s\"\n", self->dir);
  g_string_append_printf (conf, "template:\n  - id: default\n    storage: \"%s\"\n"
                          "    file: \"%%s.zone\"\n    zonefile-sync: -1\n"
                          "    journal-content: none\n    semantic-checks: off\nzone:\n",
                          zone_dir);
  for (guint i = 0; names[i]; i++)
    g_string_append_printf (conf, "  - domain: %s\n", names[i]);
  return g_file_set_contents (path, conf->str, conf->len, error);
}

static HesKnotFixture *
start (HesKnotFixture      *self,
       const char          *zone_dir,
       const char * const  *names,
       guint16              port,
       GError             **error)
{
  g_autofree char *knotd = hes_knot_find_program ("knotd");
  g_autofree char *conf = g_build_filename (self->dir, "knot.conf", NULL);
  const char *argv[] = { knotd, "-c", conf, NULL };
  gint64 deadline;

  if (knotd == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "knotd is not installed");
      hes_knot_fixture_stop (self);
      return NULL;
    }
  self->port = port ? port : pick_port (error);
  if (self->port == 0 || !write_conf (self, zone_dir, names, error) ||
      !g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &self->pid, error))
    {
      hes_knot_fixture_stop (self);
      return NULL;
    }
  self->server = g_strdup_printf ("127.0.0.1:%u", self->port);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!answers (self, names[0]))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "knotd did not answer");
          hes_knot_fixture_stop (self);
          return NULL;
        }
      g_usleep (10000);
    }
  return self;
}

HesKnotFixture *
hes_knot_fixture_start_dir (const char          *dir,
                            const char * const  *zone_names,
                            GError             **error)
{
  HesKnotFixture *self = g_new0 (HesKnotFixture, 1);

  self->dir = g_dir_make_tmp ("hes-knot-XXXXXX", error);
  if (self->dir == NULL)
    {
      g_free (self);
      return NULL;
    }
  return start (self, dir, zone_names, 0, error);
}

HesKnotFixture *
hes_knot_fixture_start (const char * const  *zones,
                        GError             **error)
{
  return hes_knot_fixture_start_on_port (zones, 0, error);
}

HesKnotFixture *
hes_knot_fixture_start_on_port (const char * const  *zones,
                                guint16              port,
                                GError             **error)
{
  HesKnotFixture *self = g_new0 (HesKnotFixture, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *zone_dir = NULL;

  self->dir = g_dir_make_tmp ("hes-knot-XXXXXX", error);
  if (self->dir == NULL)
    {
      g_free (self);
      return NULL;
    }
  zone_dir = g_build_filename (self->dir, "zones", NULL);
  g_mkdir (zone_dir, 0700);
  for (guint i = 0; zones[i] && zones[i + 1]; i += 2)
    {
      g_autofree char *file = g_strconcat (zones[i], ".zone", NULL);
      g_autofree char *path = g_build_filename (zone_dir, file, NULL);

      if (!g_file_set_contents (path, zones[i + 1], -1, error))
        {
          hes_knot_fixture_stop (self);
          return NULL;
        }
      g_ptr_array_add (names, (gpointer) zones[i]);
    }
  g_ptr_array_add (names, NULL);
  return start (self, zone_dir, (const char * const *) names->pdata, port, error);
}

guint16
hes_knot_fixture_get_port (HesKnotFixture *self)
{
  return self->port;
}

const char *
hes_knot_fixture_get_server (HesKnotFixture *self)
{
  return self->server;
}

const char *
hes_knot_fixture_get_dir (HesKnotFixture *self)
{
  return self->dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
hes_knot_fixture_stop (HesKnotFixture *self)
{
  if (self == NULL)
    return;
  if (self->pid > 0)
    {
      kill (self->pid, SIGTERM);
      waitpid (self->pid, NULL, 0);
      g_spawn_close_pid (self->pid);
    }
  if (self->dir)
    remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->server);
  g_free (self);
}
