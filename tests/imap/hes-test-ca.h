/* hes-test-ca.h: a throw-away certificate authority for the IMAP tests, made with GnuTLS. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *ca_file;        /* the authority the tests trust (HES_IMAP_EXTRA_CA) */
  char *other_ca_file;  /* an unrelated authority, to test an untrusted certificate */
  char *cert_file;      /* the server's certificate (localhost, 127.0.0.1), signed by ca_file */
  char *key_file;       /* its private key */
} HesTestCa;

/* Writes the four PEM files into @dir. */
HesTestCa *hes_test_ca_new  (const char *dir,
                             GError    **error);
void       hes_test_ca_free (HesTestCa  *ca);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesTestCa, hes_test_ca_free)

G_END_DECLS
