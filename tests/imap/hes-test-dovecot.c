/* hes-test-dovecot.c: starts and stops a private Dovecot for the IMAP tests.
 *
 * As root, Dovecot refuses to run its login processes or to open mail as root: it then uses
 * the "dovecot" and "dovenull" system users (from the dovecot-core package), which own the
 * mail folders. As any other user, everything runs as that user.
 */
#define _GNU_SOURCE /* nftw */
#define G_LOG_DOMAIN "hes-test-dovecot"

#include "config.h"

#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hes-test-dovecot.h"

#define READY_TIMEOUT_S 20

typedef struct {
  char  *internal_user;
  char  *internal_group;
  char  *login_user;
  uid_t  mail_uid;
  gid_t  mail_gid;
} Accounts;

static int
remove_entry (const char        *path,
              const struct stat *sb,
              int                flag,
              struct FTW        *ftw)
{
  return remove (path);
}

void
hes_test_remove_tree (const char *path)
{
  nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

guint16
hes_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
get_accounts (Accounts *accounts)
{
  struct passwd *pw;

  if (getuid () != 0)
    {
      pw = getpwuid (getuid ());
      g_assert_nonnull (pw);
      accounts->internal_user = g_strdup (pw->pw_name);
      accounts->internal_group = g_strdup (getgrgid (getgid ())->gr_name);
      accounts->login_user = g_strdup (pw->pw_name);
      accounts->mail_uid = getuid ();
      accounts->mail_gid = getgid ();
      return;
    }
  pw = getpwnam ("dovecot");
  g_assert_nonnull (pw);
  accounts->internal_user = g_strdup ("dovecot");
  accounts->internal_group = g_strdup (getgrgid (pw->pw_gid)->gr_name);
  accounts->mail_uid = pw->pw_uid;
  accounts->mail_gid = pw->pw_gid;
  accounts->login_user = g_strdup (getpwnam ("dovenull") != NULL ? "dovenull" : "nobody");
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* One message with CRLF line ends, so that its size is what IMAP reports. */
static gsize
add_message (const char *folder,
             guint       number)
{
  g_autofree char *name = g_strdup_printf ("17000000%02u.M%uP1.hes-test:2,S", number, number);
  g_autofree char *path = g_build_filename (folder, "cur", name, NULL);
  g_autofree char *message = g_strdup_printf (
    "From: Old Provider <old@example.test>\r\n"
    "To: alice@example.test\r\n"
    "Subject: Message %u\r\n"
    "Date: Mon, 02 Jan 2023 10:00:00 +0100\r\n"
    "Message-ID: <%u@example.test>\r\n"
    "\r\n"
    "Body of message %u.\r\n", number, number, number);

  write_file (path, message);
  return strlen (message);
}

static char *
make_folder (const char *maildir,
             const char *name)
{
  char *folder = name != NULL ? g_build_filename (maildir, name, NULL) : g_strdup (maildir);
  const char *subdirs[] = { "cur", "new", "tmp" };

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (folder, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
    }
  return folder;
}

/* alice: see hes-test-dovecot.h; Maildir++ names are ".Folder", in modified UTF-7. */
static gint64
make_mailboxes (const char *mail_dir)
{
  static const struct { const char *dir; guint count; } folders[] = {
    { NULL, 3 }, { ".Sent", 2 }, { ".&AMk-l&AOk-ments envoy&AOk-s", 1 }, { ".Archives.2023", 4 },
  };
  g_autofree char *alice = g_build_filename (mail_dir, HES_TEST_USER, "Maildir", NULL);
  g_autofree char *camille = g_build_filename (mail_dir, HES_TEST_ODD_USER, "Maildir", NULL);
  g_autofree char *camille_inbox = make_folder (camille, NULL);
  gint64 size = 0;
  guint number = 0;

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *folder = make_folder (alice, folders[i].dir);

      for (guint m = 0; m < folders[i].count; m++)
        size += (gint64) add_message (folder, ++number);
    }
  add_message (camille_inbox, 99);
  return size;
}

/* Passwords as {SHA256.b64}, so that any character (even ':') can be in them. */
static char *
passwd_line (const char *user,
             const char *password)
{
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *encoded = NULL;

  g_checksum_update (checksum, (const guchar *) password, -1);
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);
  return g_strdup_printf ("%s:{SHA256.b64}%s\n", user, encoded);
}

static char *
make_config (HesTestDovecot *self,
             Accounts       *accounts)
{
  return g_strdup_printf (
    "base_dir = %1$s/run\n"
    "state_dir = %1$s/state\n"
    "instance_name = hes-test-%2$u\n"
    "protocols = imap\n"
    "listen = 127.0.0.1, 127.0.0.2\n"
    "log_path = %1$s/dovecot.log\n"
    "default_internal_user = %3$s\n"
    "default_login_user = %4$s\n"
    "default_internal_group = %11$s\n"
    "first_valid_uid = 1\n"
    "ssl = yes\n"
    "ssl_cert = <%5$s\n"
    "ssl_key = <%6$s\n"
    "ssl_min_protocol = TLSv1.2\n"
    "disable_plaintext_auth = yes\n"
    "auth_mechanisms = plain\n"
    "auth_failure_delay = 1 secs\n"
    "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%%u %1$s/users\n}\n"
    "userdb {\n  driver = static\n  args = uid=%7$u gid=%8$u home=%1$s/mail/%%u\n}\n"
    "mail_location = maildir:~/Maildir\n"
    "service imap-login {\n"
    "  chroot =\n"
    "  inet_listener imap {\n    port = %9$u\n  }\n"
    "  inet_listener imaps {\n    port = %10$u\n    ssl = yes\n  }\n"
    "}\n"
    /* No growing penalty for the tests' repeated failures from one address. */
    "service anvil {\n  chroot =\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n",
    self->dir, (guint) getpid (), accounts->internal_user, accounts->login_user,
    self->ca->cert_file, self->ca->key_file, (guint) accounts->mail_uid,
    (guint) accounts->mail_gid, (guint) self->imap_port, (guint) self->imaps_port,
    accounts->internal_group);
}

static void
chown_tree (const char *path,
            uid_t       uid,
            gid_t       gid)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_cmpint (chown (path, uid, gid), ==, 0);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      chown_tree (child, uid, gid);
    }
}

static void
kill_with_parent (gpointer user_data)
{
  /* A test that crashes must not leave a server behind. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* TRUE once the plain port greets with "... ready." (the login process is up). */
static gboolean
greets (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *line = NULL;

  g_socket_client_set_timeout (client, 2);
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (connection == NULL)
    return FALSE;
  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  line = g_data_input_stream_read_line (input, NULL, NULL, NULL);
  return line != NULL && strstr (line, "ready") != NULL;
}

static void
wait_until_ready (HesTestDovecot *self)
{
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *log_path = NULL;
  g_autofree char *log = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      if (greets (self->imap_port))
        return;
      g_usleep (100 * 1000);
    }
  log_path = g_build_filename (self->dir, "dovecot.log", NULL);
  g_file_get_contents (log_path, &log, NULL, NULL);
  g_error ("Dovecot did not start; its log:\n%s", log != NULL ? log : "(none)");
}

HesTestDovecot *
hes_test_dovecot_start (void)
{
  HesTestDovecot *self = g_new0 (HesTestDovecot, 1);
  Accounts accounts = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *config = NULL, *config_path = NULL, *users = NULL, *users_path = NULL;
  g_autofree char *mail_dir = NULL, *alice = NULL, *camille = NULL;
  const char *dovecot;

  self->dir = g_dir_make_tmp ("hes-dovecot-XXXXXX", &error);
  g_assert_no_error (error);
  /* The mail user must be able to walk down to its home. */
  g_assert_cmpint (g_chmod (self->dir, 0755), ==, 0);
  self->ca = hes_test_ca_new (self->dir, &error);
  g_assert_no_error (error);
  self->imap_port = hes_test_free_port ();
  do
    self->imaps_port = hes_test_free_port ();
  while (self->imaps_port == self->imap_port);

  get_accounts (&accounts);
  mail_dir = g_build_filename (self->dir, "mail", NULL);
  self->alice_size = make_mailboxes (mail_dir);
  if (getuid () == 0)
    chown_tree (mail_dir, accounts.mail_uid, accounts.mail_gid);

  alice = passwd_line (HES_TEST_USER, HES_TEST_PASSWORD);
  camille = passwd_line (HES_TEST_ODD_USER, HES_TEST_ODD_PASSWORD);
  users = g_strconcat (alice, camille, NULL);
  users_path = g_build_filename (self->dir, "users", NULL);
  write_file (users_path, users);
  config = make_config (self, &accounts);
  config_path = g_build_filename (self->dir, "dovecot.conf", NULL);
  write_file (config_path, config);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, kill_with_parent, NULL, NULL);
  dovecot = g_getenv ("HES_DOVECOT");
  self->process = g_subprocess_launcher_spawn (launcher, &error,
                                               dovecot != NULL ? dovecot : "dovecot",
                                               "-F", "-c", config_path, NULL);
  if (self->process == NULL)
    g_error ("Cannot run Dovecot (install dovecot-imapd): %s", error->message);
  wait_until_ready (self);

  g_free (accounts.internal_user);
  g_free (accounts.internal_group);
  g_free (accounts.login_user);
  return self;
}

void
hes_test_dovecot_stop (HesTestDovecot *self)
{
  if (self == NULL)
    return;
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }
  hes_test_remove_tree (self->dir);
  hes_test_ca_free (self->ca);
  g_free (self->dir);
  g_free (self);
}
