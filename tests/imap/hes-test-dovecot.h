/* hes-test-dovecot.h: a real Dovecot IMAP server on 127.0.0.1 for the tests.
 *
 * Runs `dovecot -F -c CONF` as a child, with everything (configuration, TLS files from
 * hes-test-ca, users, maildirs, sockets, log) in one temporary folder removed at the end.
 * Port "imap" offers STARTTLS, port "imaps" is TLS from the first byte.
 */
#pragma once

#include <gio/gio.h>

#include "hes-test-ca.h"

G_BEGIN_DECLS

/* Users of the test server. */
#define HES_TEST_USER "alice"
#define HES_TEST_PASSWORD "correct horse battery staple"
#define HES_TEST_ODD_USER "camille@example.test"
/* Accents, spaces, quotes, a backslash, braces, a colon, percent, non-Latin letters. */
#define HES_TEST_ODD_PASSWORD "Été à l’île \"Ça\" 'va' \\ {12} : 100 % ! ü€日本"

/* alice's folders: INBOX 3, Sent 2, "Éléments envoyés" 1, Archives.2023 4 (its parent
 * "Archives" cannot hold messages); 10 messages in all. */
#define HES_TEST_TOTAL_MESSAGES 10

typedef struct {
  char        *dir;
  HesTestCa   *ca;
  guint16      imap_port;   /* STARTTLS */
  guint16      imaps_port;  /* SSL/TLS */
  gint64       alice_size;  /* bytes in all of alice's messages */
  GSubprocess *process;
} HesTestDovecot;

/* Starts the server and waits until it greets; aborts the test program on failure. */
HesTestDovecot *hes_test_dovecot_start (void);
void            hes_test_dovecot_stop  (HesTestDovecot *dovecot);

/* A TCP port on 127.0.0.1 where nothing listens (for the moment). */
guint16         hes_test_free_port     (void);
/* rm -r */
void            hes_test_remove_tree   (const char     *path);

G_END_DECLS
