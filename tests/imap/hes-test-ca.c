/* hes-test-ca.c: certificates made at test time, so none expires in the repository. */
#define G_LOG_DOMAIN "hes-test-ca"

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

#include "hes-test-ca.h"

#define CHECK(call) G_STMT_START { \
    int check_ret = (call); \
    if (check_ret < 0) \
      g_error ("%s: %s", #call, gnutls_strerror (check_ret)); \
  } G_STMT_END

static gnutls_x509_privkey_t
new_key (void)
{
  gnutls_x509_privkey_t key;

  CHECK (gnutls_x509_privkey_init (&key));
  CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  return key;
}

static gnutls_x509_crt_t
new_certificate (gnutls_x509_privkey_t key,
                 const char           *common_name,
                 guint8                serial)
{
  gnutls_x509_crt_t crt;
  time_t now = time (NULL);
  guint8 serial_bytes[8] = { 0x01, 0, 0, 0, 0, 0, 0, serial };
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;

  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));
  CHECK (gnutls_x509_crt_set_serial (crt, serial_bytes, sizeof serial_bytes));
  CHECK (gnutls_x509_crt_set_activation_time (crt, now - 3600));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, now + 2 * 24 * 3600));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                        strlen (common_name)));
  CHECK (gnutls_x509_crt_set_key (crt, key));
  CHECK (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size));
  CHECK (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size));
  return crt;
}

static void
write_pem (const char      *path,
           gnutls_datum_t  *datum)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) datum->data, datum->size, &error))
    g_error ("%s", error->message);
  gnutls_free (datum->data);
}

static void
write_certificate (gnutls_x509_crt_t  crt,
                   const char        *path)
{
  gnutls_datum_t datum;

  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum));
  write_pem (path, &datum);
}

/* A self-signed authority; @key receives its key. */
static gnutls_x509_crt_t
make_authority (const char            *name,
                const char            *path,
                gnutls_x509_privkey_t *key)
{
  gnutls_x509_crt_t crt;

  *key = new_key ();
  crt = new_certificate (*key, name, 1);
  CHECK (gnutls_x509_crt_set_basic_constraints (crt, 1, -1));
  CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN));
  CHECK (gnutls_x509_crt_sign2 (crt, crt, *key, GNUTLS_DIG_SHA256, 0));
  write_certificate (crt, path);
  return crt;
}

static void
make_server (gnutls_x509_crt_t     ca,
             gnutls_x509_privkey_t ca_key,
             const char           *cert_path,
             const char           *key_path)
{
  gnutls_x509_privkey_t key = new_key ();
  gnutls_x509_crt_t crt = new_certificate (key, "localhost", 2);
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  guint8 ca_id[64];
  size_t ca_id_size = sizeof ca_id;
  gnutls_datum_t datum;

  CHECK (gnutls_x509_crt_set_basic_constraints (crt, 0, -1));
  CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE));
  CHECK (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                               GNUTLS_FSAN_APPEND));
  CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                               sizeof loopback, GNUTLS_FSAN_APPEND));
  CHECK (gnutls_x509_crt_get_subject_key_id (ca, ca_id, &ca_id_size, NULL));
  CHECK (gnutls_x509_crt_set_authority_key_id (crt, ca_id, ca_id_size));
  CHECK (gnutls_x509_crt_sign2 (crt, ca, ca_key, GNUTLS_DIG_SHA256, 0));
  write_certificate (crt, cert_path);
  CHECK (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &datum));
  write_pem (key_path, &datum);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

HesTestCa *
hes_test_ca_new (const char  *dir,
                 GError     **error)
{
  HesTestCa *ca = g_new0 (HesTestCa, 1);
  gnutls_x509_privkey_t ca_key, other_key;
  gnutls_x509_crt_t ca_crt, other_crt;

  ca->ca_file = g_build_filename (dir, "ca.pem", NULL);
  ca->other_ca_file = g_build_filename (dir, "other-ca.pem", NULL);
  ca->cert_file = g_build_filename (dir, "server.pem", NULL);
  ca->key_file = g_build_filename (dir, "server.key", NULL);

  ca_crt = make_authority ("Hosterra Email Setup test CA", ca->ca_file, &ca_key);
  make_server (ca_crt, ca_key, ca->cert_file, ca->key_file);
  other_crt = make_authority ("Some other CA", ca->other_ca_file, &other_key);

  gnutls_x509_crt_deinit (ca_crt);
  gnutls_x509_crt_deinit (other_crt);
  gnutls_x509_privkey_deinit (ca_key);
  gnutls_x509_privkey_deinit (other_key);
  return ca;
}

void
hes_test_ca_free (HesTestCa *ca)
{
  if (ca == NULL)
    return;
  g_free (ca->ca_file);
  g_free (ca->other_ca_file);
  g_free (ca->cert_file);
  g_free (ca->key_file);
  g_free (ca);
}
