/* hes-dns-dkim.c: DKIM key record checks */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "hes-dns-dkim.h"

void
hes_dns_dkim_record_free (HesDnsDkimRecord *record)
{
  if (record == NULL)
    return;
  g_hash_table_unref (record->tags);
  g_free (record->key_type);
  g_free (record->public_key);
  g_free (record);
}

static gboolean
valid_tag_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static char *
strip_all_space (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
set_syntax_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The DKIM record is not written correctly."));
}

HesDnsDkimRecord *
hes_dns_dkim_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(HesDnsDkimRecord) record = g_new0 (HesDnsDkimRecord, 1);
  g_auto(GStrv) parts = NULL;
  const char *p;

  record->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      set_syntax_error (error);
      return NULL;
    }
  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      char *eq;
      g_autofree char *tag = NULL;

      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        {
          /* Only a trailing ';' may leave an empty part. */
          if (parts[i + 1] == NULL && i > 0)
            continue;
          goto bad;
        }
      eq = strchr (parts[i], '=');
      if (eq == NULL)
        goto bad;
      *eq = '\0';
      tag = g_strstrip (g_strdup (parts[i]));
      if (!valid_tag_name (tag) || g_hash_table_contains (record->tags, tag))
        goto bad;
      /* RFC 6376 §3.6.1: v=, when present, must be the first tag. */
      if (g_str_equal (tag, "v") && g_hash_table_size (record->tags) > 0)
        goto bad;
      g_hash_table_insert (record->tags, g_steal_pointer (&tag), g_strdup (g_strstrip (eq + 1)));
    }
  p = g_hash_table_lookup (record->tags, "v");
  if (p != NULL && !g_str_equal (p, "DKIM1"))
    goto bad;
  p = g_hash_table_lookup (record->tags, "p");
  if (p == NULL)
    goto bad;
  record->public_key = strip_all_space (p);
  p = g_hash_table_lookup (record->tags, "k");
  record->key_type = g_strdup (p ? p : "rsa");
  return g_steal_pointer (&record);

bad:
  set_syntax_error (error);
  return NULL;
}

char *
hes_dns_dkim_unquote (const char *text)
{
  GString *out;
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '"')
    return g_strstrip (g_strdup (text));
  out = g_string_new (NULL);
  while (*p)
    {
      if (*p == '"')
        {
          for (p++; *p && *p != '"'; p++)
            {
              if (*p == '\\' && p[1])
                p++;
              g_string_append_c (out, *p);
            }
          if (*p == '"')
            p++;
        }
      else
        p++;
    }
  return g_string_free (out, FALSE);
}

static gnutls_pubkey_t
import_key (const char *base64)
{
  g_autofree guchar *der = NULL;
  gsize len = 0;
  gnutls_datum_t datum;
  gnutls_pubkey_t key = NULL;

  if (base64 == NULL || *base64 == '\0')
    return NULL;
  for (const char *c = base64; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
      return NULL;
  der = g_base64_decode (base64, &len);
  if (der == NULL || len == 0 || len > G_MAXUINT)
    return NULL;
  datum.data = der;
  datum.size = (unsigned int) len;
  if (gnutls_pubkey_init (&key) < 0)
    return NULL;
  if (gnutls_pubkey_import (key, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_pubkey_deinit (key);
      return NULL;
    }
  return key;
}

guint
hes_dns_dkim_key_bits (const char *base64_key)
{
  gnutls_pubkey_t key = import_key (base64_key);
  unsigned int bits = 0;

  if (key == NULL)
    return 0;
  if (gnutls_pubkey_get_pk_algorithm (key, &bits) != GNUTLS_PK_RSA)
    bits = 0;
  gnutls_pubkey_deinit (key);
  return bits;
}

static gboolean
datum_equal (const gnutls_datum_t *a,
             const gnutls_datum_t *b)
{
  return a->size == b->size && memcmp (a->data, b->data, a->size) == 0;
}

gboolean
hes_dns_dkim_same_key (const char *base64_a,
                       const char *base64_b)
{
  gnutls_pubkey_t a = import_key (base64_a), b = import_key (base64_b);
  gnutls_datum_t ma = { 0, }, ea = { 0, }, mb = { 0, }, eb = { 0, };
  gboolean same = FALSE;

  if (a && b &&
      gnutls_pubkey_export_rsa_raw2 (a, &ma, &ea, GNUTLS_EXPORT_FLAG_NO_LZ) == 0 &&
      gnutls_pubkey_export_rsa_raw2 (b, &mb, &eb, GNUTLS_EXPORT_FLAG_NO_LZ) == 0)
    same = datum_equal (&ma, &mb) && datum_equal (&ea, &eb);
  gnutls_free (ma.data);
  gnutls_free (ea.data);
  gnutls_free (mb.data);
  gnutls_free (eb.data);
  if (a)
    gnutls_pubkey_deinit (a);
  if (b)
    gnutls_pubkey_deinit (b);
  return same;
}

/* RFC 8463: an Ed25519 key in p= is the raw 32-byte public key, not a SubjectPublicKeyInfo. */
static gboolean
is_ed25519_key (const char *base64)
{
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (base64 == NULL || *base64 == '\0')
    return FALSE;
  for (const char *c = base64; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
      return FALSE;
  raw = g_base64_decode (base64, &len);
  return raw != NULL && len == 32;
}

char *
hes_dns_dkim_key_from_text (const char  *text,
                            GError     **error)
{
  g_autofree char *unquoted = NULL;
  g_autofree char *key = NULL;
  const char *p;

  if (text == NULL || *g_strstrip (unquoted = hes_dns_dkim_unquote (text)) == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The DKIM key is empty: give the key from your mail server (the p= value, or the whole DKIM record)."));
      return NULL;
    }
  p = unquoted;
  if (strchr (p, ';') != NULL || g_str_has_prefix (p, "p=") || g_str_has_prefix (p, "v=") ||
      g_str_has_prefix (p, "k="))
    {
      g_autoptr(HesDnsDkimRecord) record = hes_dns_dkim_parse (p, NULL);

      if (record != NULL && g_str_equal (record->key_type, "rsa"))
        key = g_strdup (record->public_key);
    }
  else
    key = strip_all_space (p);
  if (key == NULL || hes_dns_dkim_key_bits (key) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The DKIM key cannot be read: copy the p= value or the whole DKIM record from your mail server again."));
      return NULL;
    }
  return g_steal_pointer (&key);
}

static HesDnsFinding *
wrong (const char *explanation,
       const char *expected_record)
{
  return hes_dns_finding_new (HES_DNS_VERDICT_WRONG, explanation, expected_record);
}

HesDnsFinding *
hes_dns_dkim_check (const char * const *texts,
                    const char        *expected_key,
                    const char        *expected_record)
{
  g_autoptr(HesDnsDkimRecord) record = NULL;
  g_autoptr(HesDnsFinding) finding = NULL;
  guint n = texts ? g_strv_length ((char **) texts) : 0;
  guint bits;

  /* A key that cannot be read is no key to compare with: never blame the DNS for it. */
  if (expected_key != NULL && hes_dns_dkim_key_bits (expected_key) == 0)
    expected_key = NULL;

  if (n == 0)
    return hes_dns_finding_new (HES_DNS_VERDICT_MISSING,
                                _("There is no DKIM record yet."), expected_record);
  if (n > 1)
    finding = wrong (_("There are several DKIM records at this name: keep only the one from your mail server."),
                     expected_record);
  else if ((record = hes_dns_dkim_parse (texts[0], NULL)) == NULL)
    finding = wrong (_("The DKIM record is not written correctly: copy it again exactly as shown."),
                     expected_record);
  else if (*record->public_key == '\0')
    finding = wrong (_("The DKIM record is revoked (its key is empty): publish the current key."),
                     expected_record);
  else if (g_str_equal (record->key_type, "ed25519") && expected_key == NULL)
    {
      if (is_ed25519_key (record->public_key))
        finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
      else
        finding = wrong (_("The DKIM key is damaged (it cannot be read): copy it again exactly as shown."),
                         expected_record);
    }
  else if (!g_str_equal (record->key_type, "rsa"))
    finding = wrong (_("The DKIM record uses a key type your mail server does not use: publish the record shown."),
                     expected_record);
  else if ((bits = hes_dns_dkim_key_bits (record->public_key)) == 0)
    finding = wrong (_("The DKIM key is damaged (it cannot be read): copy it again exactly as shown."),
                     expected_record);
  else if (expected_key && !hes_dns_dkim_same_key (record->public_key, expected_key))
    finding = wrong (_("The DKIM record holds a different key than your mail server's: replace it with the record shown."),
                     expected_record);
  else if (bits < 1024)
    finding = wrong (_("The DKIM key is too short to be trusted (under 1024 bits): create a 2048-bit key on your mail server."),
                     NULL);
  else
    {
      finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
      if (bits < 2048)
        {
          finding->weak = TRUE;
          hes_dns_finding_set_explanation (finding,
            _("The DKIM key works but is short (under 2048 bits); a 2048-bit key is safer."));
        }
    }
  for (guint i = 0; i < n; i++)
    hes_dns_finding_add_found (finding, texts[i]);
  return g_steal_pointer (&finding);
}
