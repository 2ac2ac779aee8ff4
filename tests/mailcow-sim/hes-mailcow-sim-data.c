/* hes-mailcow-sim-data.c: accounts, domains, DKIM keys, the password policy and TOTP. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

void
sim_domain_free (gpointer data)
{
  SimDomain *domain = data;

  g_free (domain->name);
  g_free (domain->description);
  g_free (domain->dkim_pubkey);
  g_free (domain->dkim_selector);
  g_ptr_array_unref (domain->tags);
  g_free (domain);
}

void
sim_mailbox_free (gpointer data)
{
  SimMailbox *mailbox = data;

  g_free (mailbox->username);
  g_free (mailbox->local_part);
  g_free (mailbox->domain);
  g_free (mailbox->name);
  g_free (mailbox->password);
  g_free (mailbox);
}

void
sim_admin_free (gpointer data)
{
  SimAdmin *admin = data;

  g_free (admin->username);
  g_free (admin->password);
  g_strfreev (admin->domains);
  g_free (admin);
}

void
sim_tfa_free (gpointer data)
{
  SimTfa *tfa = data;

  g_free (tfa->username);
  g_free (tfa->authmech);
  g_free (tfa->key_id);
  g_free (tfa->secret);
  g_clear_pointer (&tfa->credential_id, g_bytes_unref);
  g_free (tfa->public_key_pem);
  g_free (tfa);
}

SimDomain *
sim_find_domain (HesMailcowSim *self, const char *name)
{
  for (guint i = 0; name && i < self->domains->len; i++)
    {
      SimDomain *domain = g_ptr_array_index (self->domains, i);

      if (g_ascii_strcasecmp (domain->name, name) == 0)
        return domain;
    }
  return NULL;
}

SimMailbox *
sim_find_mailbox (HesMailcowSim *self, const char *username)
{
  for (guint i = 0; username && i < self->mailboxes->len; i++)
    {
      SimMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (g_ascii_strcasecmp (mailbox->username, username) == 0)
        return mailbox;
    }
  return NULL;
}

SimAdmin *
sim_find_admin (HesMailcowSim *self, const char *username)
{
  for (guint i = 0; username && i < self->admins->len; i++)
    {
      SimAdmin *admin = g_ptr_array_index (self->admins, i);

      if (g_ascii_strcasecmp (admin->username, username) == 0)
        return admin;
    }
  return NULL;
}

gboolean
sim_admin_has_domain (SimAdmin *admin, const char *domain)
{
  for (guint i = 0; admin && domain && admin->domains[i]; i++)
    if (g_ascii_strcasecmp (admin->domains[i], domain) == 0)
      return TRUE;
  return FALSE;
}

gint64
sim_domain_quota_allocated (HesMailcowSim *self, const char *domain)
{
  gint64 total = 0;

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      SimMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (g_ascii_strcasecmp (mailbox->domain, domain) == 0)
        total += mailbox->quota;
    }
  return total;
}

guint
sim_domain_mailbox_count (HesMailcowSim *self, const char *domain)
{
  guint n = 0;

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      SimMailbox *mailbox = g_ptr_array_index (self->mailboxes, i);

      if (g_ascii_strcasecmp (mailbox->domain, domain) == 0)
        n++;
    }
  return n;
}

void
hes_mailcow_sim_add_domain (HesMailcowSim *self, const char *name, const char *description,
                            gboolean with_dkim)
{
  SimDomain *domain;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  g_return_if_fail (name != NULL && sim_find_domain (self, name) == NULL);

  domain = g_new0 (SimDomain, 1);
  domain->name = g_ascii_strdown (name, -1);
  domain->description = g_strdup (description ? description : "");
  domain->active = TRUE;
  /* The defaults of mailcow's domain form. */
  domain->max_mailboxes = 10;
  domain->max_aliases = 400;
  domain->max_quota = 10240 * SIM_MIB;
  domain->max_quota_mbox = 10240 * SIM_MIB;
  domain->def_quota_mbox = 3072 * SIM_MIB;
  domain->created = domain->modified = sim_now (self);
  domain->wants_dkim = with_dkim;
  domain->dkim_bits = 2048;
  domain->dkim_selector = g_strdup ("dkim");
  domain->tags = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->domains, domain);
}

void
hes_mailcow_sim_set_domain_limits (HesMailcowSim *self, const char *name, guint max_mailboxes,
                                   guint64 max_quota_mib, guint64 max_quota_mbox_mib,
                                   guint64 def_quota_mbox_mib)
{
  SimDomain *domain;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  domain = sim_find_domain (self, name);
  g_return_if_fail (domain != NULL);
  domain->max_mailboxes = max_mailboxes;
  domain->max_quota = max_quota_mib * SIM_MIB;
  domain->max_quota_mbox = max_quota_mbox_mib * SIM_MIB;
  domain->def_quota_mbox = def_quota_mbox_mib * SIM_MIB;
}

void
hes_mailcow_sim_add_domain_tag (HesMailcowSim *self, const char *name, const char *tag)
{
  SimDomain *domain;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  domain = sim_find_domain (self, name);
  g_return_if_fail (domain != NULL);
  g_ptr_array_add (domain->tags, g_strdup (tag));
}

void
hes_mailcow_sim_add_mailbox (HesMailcowSim *self, const char *address, const char *name,
                             const char *password)
{
  SimMailbox *mailbox;
  const char *at;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  g_return_if_fail (address != NULL && password != NULL);
  at = strchr (address, '@');
  g_return_if_fail (at != NULL && sim_find_domain (self, at + 1) != NULL);
  g_return_if_fail (sim_find_mailbox (self, address) == NULL);

  mailbox = g_new0 (SimMailbox, 1);
  mailbox->username = g_ascii_strdown (address, -1);
  mailbox->local_part = g_ascii_strdown (address, at - address);
  mailbox->domain = g_ascii_strdown (at + 1, -1);
  mailbox->name = g_strdup (name ? name : "");
  mailbox->password = g_strdup (password);
  {
    SimDomain *domain = sim_find_domain (self, at + 1);
    gint64 left = domain->max_quota - sim_domain_quota_allocated (self, domain->name);

    /* def_new_mailbox_quota: the default, but never more than the domain has left. */
    mailbox->quota = MIN (domain->def_quota_mbox, MAX (left, 0));
  }
  mailbox->active = TRUE;
  mailbox->created = sim_now (self);
  g_ptr_array_add (self->mailboxes, mailbox);
}

void
hes_mailcow_sim_set_mailbox_quota (HesMailcowSim *self, const char *address, guint64 quota_mib,
                                   guint64 bytes_used, guint messages)
{
  SimMailbox *mailbox;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  mailbox = sim_find_mailbox (self, address);
  g_return_if_fail (mailbox != NULL);
  mailbox->quota = quota_mib * SIM_MIB;
  mailbox->bytes_used = bytes_used;
  mailbox->messages = messages;
}

void
hes_mailcow_sim_set_syncjobs_acl (HesMailcowSim *self, const char *address, gboolean allowed)
{
  SimMailbox *mailbox;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  mailbox = sim_find_mailbox (self, address);
  g_return_if_fail (mailbox != NULL);
  mailbox->acl_syncjobs = allowed;
}

void
hes_mailcow_sim_add_domain_admin (HesMailcowSim *self, const char *username,
                                  const char *password, const char * const *domains)
{
  SimAdmin *admin;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  g_return_if_fail (username != NULL && password != NULL && domains != NULL);
  g_return_if_fail (sim_find_admin (self, username) == NULL);

  admin = g_new0 (SimAdmin, 1);
  admin->username = g_ascii_strdown (username, -1);
  admin->password = g_strdup (password);
  admin->domains = g_strdupv ((char **) domains);
  g_ptr_array_add (self->admins, admin);
}

void
hes_mailcow_sim_set_force_password_update (HesMailcowSim *self, const char *username,
                                           gboolean force)
{
  SimMailbox *mailbox;
  SimAdmin *admin;

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  if ((mailbox = sim_find_mailbox (self, username)))
    mailbox->force_pw_update = force;
  else if ((admin = sim_find_admin (self, username)))
    admin->force_pw_update = force;
  else
    g_return_if_reached ();
}

guint
hes_mailcow_sim_add_totp (HesMailcowSim *self, const char *username, const char *key_name,
                          const char *base32_secret)
{
  SimTfa *tfa;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  g_return_val_if_fail (username != NULL && base32_secret != NULL, 0);

  tfa = g_new0 (SimTfa, 1);
  tfa->id = self->next_tfa_id++;
  tfa->authmech = g_strdup ("totp");
  tfa->username = g_ascii_strdown (username, -1);
  tfa->key_id = g_strdup (key_name ? key_name : "");
  tfa->secret = g_strdup (base32_secret);
  g_ptr_array_add (self->tfas, tfa);
  return tfa->id;
}

/* Yubico OTP: 44 modhex characters, the first 12 naming the key. The simulated YubiCloud
 * accepts any well-formed OTP of a known key once. */
#define MODHEX "cbdefghijklnrtuv"

static gboolean
is_modhex (const char *text, gsize len)
{
  if (text == NULL || strlen (text) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (strchr (MODHEX, text[i]) == NULL)
      return FALSE;
  return TRUE;
}

guint
hes_mailcow_sim_add_yubi_otp (HesMailcowSim *self, const char *username, const char *key_name,
                              const char *public_id)
{
  SimTfa *tfa;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  g_return_val_if_fail (username != NULL && is_modhex (public_id, 12), 0);

  tfa = g_new0 (SimTfa, 1);
  tfa->id = self->next_tfa_id++;
  tfa->authmech = g_strdup ("yubi_otp");
  tfa->username = g_ascii_strdown (username, -1);
  tfa->key_id = g_strdup (key_name ? key_name : "");
  tfa->secret = g_strdup (public_id);
  g_ptr_array_add (self->tfas, tfa);
  return tfa->id;
}

char *
hes_mailcow_sim_make_yubi_otp (const char *public_id)
{
  GString *otp;

  g_return_val_if_fail (is_modhex (public_id, 12), NULL);
  otp = g_string_new (public_id);
  for (guint i = 0; i < 32; i++)
    g_string_append_c (otp, MODHEX[g_random_int_range (0, 16)]);
  return g_string_free (otp, FALSE);
}

/* NULL when YubiCloud would accept @otp for the key @public_id (NULL: any key), else its
 * status word. */
char *
sim_yubi_otp_check (HesMailcowSim *self, const char *public_id, const char *otp)
{
  if (!is_modhex (otp, 44))
    return g_strdup ("BAD_OTP");
  if (public_id && strncmp (otp, public_id, 12) != 0)
    return g_strdup ("BAD_OTP");
  if (g_hash_table_contains (self->used_otps, otp))
    return g_strdup ("REPLAYED_OTP");
  g_hash_table_add (self->used_otps, g_strdup (otp));
  return NULL;
}

void
hes_mailcow_sim_set_password_policy (HesMailcowSim *self, guint length, gboolean chars,
                                     gboolean special_chars, gboolean lowerupper,
                                     gboolean numbers)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  self->policy_length = length;
  self->policy_chars = chars;
  self->policy_special_chars = special_chars;
  self->policy_lowerupper = lowerupper;
  self->policy_numbers = numbers;
}

gboolean
sim_password_ok (HesMailcowSim *self, const char *password)
{
  gboolean letter = FALSE, special = FALSE, lower = FALSE, upper = FALSE, digit = FALSE;

  if (password == NULL || strlen (password) < self->policy_length)
    return FALSE;
  for (const char *p = password; *p; p++)
    {
      letter |= g_ascii_isalpha (*p);
      lower |= g_ascii_islower (*p);
      upper |= g_ascii_isupper (*p);
      digit |= g_ascii_isdigit (*p);
      special |= !g_ascii_isalnum (*p);
    }
  return (!self->policy_chars || letter) && (!self->policy_special_chars || special) &&
         (!self->policy_lowerupper || (lower && upper)) && (!self->policy_numbers || digit);
}

gboolean
hes_mailcow_sim_check_password (HesMailcowSim *self, const char *username, const char *password)
{
  SimMailbox *mailbox;
  SimAdmin *admin;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), FALSE);
  if ((mailbox = sim_find_mailbox (self, username)))
    return g_strcmp0 (mailbox->password, password) == 0;
  if ((admin = sim_find_admin (self, username)))
    return g_strcmp0 (admin->password, password) == 0;
  return FALSE;
}

/* The tfa row @id_text of @username, or NULL. */
SimTfa *
sim_find_tfa (HesMailcowSim *self, const char *username, const char *id_text)
{
  guint64 id;

  if (id_text == NULL || !g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXUINT, &id, NULL))
    return NULL;
  for (guint i = 0; i < self->tfas->len; i++)
    {
      SimTfa *tfa = g_ptr_array_index (self->tfas, i);

      if (tfa->id == id && g_strcmp0 (tfa->username, username) == 0)
        return tfa;
    }
  return NULL;
}

/* DKIM: a real RSA key, made the first time someone looks. Key generation takes a while, so
 * the keys are kept for the whole process, one per domain name and size: a test suite that
 * starts many servers makes each key once. */
G_LOCK_DEFINE_STATIC (dkim_cache);
static GHashTable *dkim_cache;

static char *
generate_rsa_public_key (guint bits)
{
  gnutls_privkey_t priv = NULL;
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t der = { NULL, 0 };
  char *b64;

  if (gnutls_privkey_init (&priv) < 0 ||
      gnutls_privkey_generate (priv, GNUTLS_PK_RSA, bits, 0) < 0 ||
      gnutls_pubkey_init (&pub) < 0 ||
      gnutls_pubkey_import_privkey (pub, priv, 0, 0) < 0 ||
      gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_DER, &der) < 0)
    g_error ("GnuTLS could not make a DKIM key");
  b64 = g_base64_encode (der.data, der.size);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  return b64;
}

const char *
sim_domain_dkim_pubkey (SimDomain *domain)
{
  g_autofree char *cache_key = NULL;
  const char *cached;

  if (!domain->wants_dkim)
    return NULL;
  if (domain->dkim_pubkey)
    return domain->dkim_pubkey;
  cache_key = g_strdup_printf ("%s/%u", domain->name, domain->dkim_bits);
  G_LOCK (dkim_cache);
  if (dkim_cache == NULL)
    dkim_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cached = g_hash_table_lookup (dkim_cache, cache_key);
  if (cached == NULL)
    {
      cached = generate_rsa_public_key (domain->dkim_bits);
      g_hash_table_insert (dkim_cache, g_strdup (cache_key), (char *) cached);
    }
  domain->dkim_pubkey = g_strdup (cached);
  G_UNLOCK (dkim_cache);
  return domain->dkim_pubkey;
}

/* TOTP (RFC 6238): HMAC-SHA1 over the 30-second step counter, 6 digits. */

static GBytes *
base32_decode (const char *text)
{
  GByteArray *out = g_byte_array_new ();
  guint buffer = 0, bits = 0;

  for (const char *p = text; *p; p++)
    {
      char c = g_ascii_toupper (*p);
      guint value;

      if (c == '=' || c == ' ')
        continue;
      if (c >= 'A' && c <= 'Z')
        value = c - 'A';
      else if (c >= '2' && c <= '7')
        value = c - '2' + 26;
      else
        {
          g_byte_array_unref (out);
          return NULL;
        }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8)
        {
          guint8 byte = (buffer >> (bits - 8)) & 0xff;

          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

char *
hes_mailcow_sim_totp_code (const char *base32_secret, gint64 unix_time)
{
  g_autoptr(GBytes) key = base32_decode (base32_secret);
  g_autoptr(GHmac) hmac = NULL;
  guint64 counter = GUINT64_TO_BE ((guint64) (unix_time / 30));
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  guint offset;
  guint32 code;

  /* A secret posted by a client may be anything. */
  if (key == NULL)
    return NULL;
  hmac = g_hmac_new (G_CHECKSUM_SHA1, g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  g_hmac_update (hmac, (const guchar *) &counter, sizeof counter);
  g_hmac_get_digest (hmac, digest, &digest_len);
  offset = digest[19] & 0x0f;
  code = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) |
         (digest[offset + 2] << 8) | digest[offset + 3];
  return g_strdup_printf ("%06u", code % 1000000);
}

gboolean
sim_totp_verify (HesMailcowSim *self, const char *secret, const char *token)
{
  gint64 now = sim_now (self);

  if (token == NULL || strlen (token) != 6)
    return FALSE;
  for (int step = -1; step <= 1; step++)
    {
      g_autofree char *code = hes_mailcow_sim_totp_code (secret, now + step * 30);

      if (code && strcmp (code, token) == 0)
        return TRUE;
    }
  return FALSE;
}

/* get/domain: domain_details(), with the types the real server uses (some strings). */
JsonNode *
sim_domain_to_json (HesMailcowSim *self, SimDomain *domain)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = sim_format_time (domain->created);
  g_autofree char *modified = sim_format_time (domain->modified);
  g_autofree char *allocated = NULL;
  gint64 used = sim_domain_quota_allocated (self, domain->name);
  guint count = sim_domain_mailbox_count (self, domain->name);
  gint64 left = MAX (domain->max_quota - used, 0);
  gint64 bytes_total = 0, msgs_total = 0;

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      SimMailbox *m = g_ptr_array_index (self->mailboxes, i);

      if (strcmp (m->domain, domain->name) == 0)
        {
          bytes_total += m->bytes_used;
          msgs_total += m->messages;
        }
    }
  allocated = g_strdup_printf ("%" G_GINT64_FORMAT, used);

#define INT_MEMBER(name, value) \
  (json_builder_set_member_name (b, name), json_builder_add_int_value (b, value))
#define STR_MEMBER(name, value) \
  (json_builder_set_member_name (b, name), json_builder_add_string_value (b, value))
  json_builder_begin_object (b);
  INT_MEMBER ("max_new_mailbox_quota", MIN (domain->max_quota_mbox, left));
  INT_MEMBER ("def_new_mailbox_quota", MIN (domain->def_quota_mbox, left));
  STR_MEMBER ("quota_used_in_domain", allocated);
  INT_MEMBER ("bytes_total", bytes_total);
  INT_MEMBER ("msgs_total", msgs_total);
  INT_MEMBER ("mboxes_in_domain", count);
  INT_MEMBER ("mboxes_left", domain->max_mailboxes > count ? domain->max_mailboxes - count : 0);
  STR_MEMBER ("domain_name", domain->name);
  STR_MEMBER ("domain_h_name", domain->name);
  STR_MEMBER ("description", domain->description);
  INT_MEMBER ("max_num_aliases_for_domain", domain->max_aliases);
  INT_MEMBER ("max_num_mboxes_for_domain", domain->max_mailboxes);
  INT_MEMBER ("def_quota_for_mbox", domain->def_quota_mbox);
  INT_MEMBER ("max_quota_for_mbox", domain->max_quota_mbox);
  INT_MEMBER ("max_quota_for_domain", domain->max_quota);
  STR_MEMBER ("relayhost", "0");
  INT_MEMBER ("backupmx", 0);
  INT_MEMBER ("backupmx_int", 0);
  INT_MEMBER ("gal", 1);
  INT_MEMBER ("gal_int", 1);
  INT_MEMBER ("active", domain->active);
  INT_MEMBER ("active_int", domain->active);
  INT_MEMBER ("relay_all_recipients", 0);
  INT_MEMBER ("relay_all_recipients_int", 0);
  INT_MEMBER ("relay_unknown_only", 0);
  INT_MEMBER ("relay_unknown_only_int", 0);
  INT_MEMBER ("aliases_in_domain", 0);
  INT_MEMBER ("aliases_left", domain->max_aliases);
  STR_MEMBER ("created", created);
  STR_MEMBER ("modified", modified);
  json_builder_set_member_name (b, "rl");
  json_builder_add_boolean_value (b, FALSE);
  if (domain->tags->len > 0)
    {
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint i = 0; i < domain->tags->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (domain->tags, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sim_mailbox_to_json (HesMailcowSim *self, SimMailbox *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = sim_format_time (m->created);
  g_autofree char *modified = m->modified ? sim_format_time (m->modified) : NULL;

  json_builder_begin_object (b);
  INT_MEMBER ("active", m->active);
  INT_MEMBER ("active_int", m->active);
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_object (b);
  STR_MEMBER ("force_pw_update", m->force_pw_update ? "1" : "0");
  STR_MEMBER ("tls_enforce_in", "0");
  STR_MEMBER ("tls_enforce_out", "0");
  STR_MEMBER ("sogo_access", "1");
  STR_MEMBER ("imap_access", "1");
  STR_MEMBER ("pop3_access", "1");
  STR_MEMBER ("smtp_access", "1");
  STR_MEMBER ("sieve_access", "1");
  STR_MEMBER ("eas_access", "1");
  STR_MEMBER ("dav_access", "1");
  STR_MEMBER ("quarantine_notification", "hourly");
  STR_MEMBER ("quarantine_category", "reject");
  json_builder_end_object (b);
  STR_MEMBER ("domain", m->domain);
  STR_MEMBER ("local_part", m->local_part);
  STR_MEMBER ("name", m->name);
  STR_MEMBER ("username", m->username);
  INT_MEMBER ("quota", m->quota);
  INT_MEMBER ("quota_used", m->bytes_used);
  if (m->quota > 0)
    INT_MEMBER ("percent_in_use", m->bytes_used * 100 / m->quota);
  else
    STR_MEMBER ("percent_in_use", "- ");
  INT_MEMBER ("messages", m->messages);
  INT_MEMBER ("spam_aliases", 0);
  INT_MEMBER ("pushover_active", 0);
  STR_MEMBER ("authsource", "mailcow");
  json_builder_set_member_name (b, "rl");
  json_builder_add_boolean_value (b, FALSE);
  STR_MEMBER ("created", created);
  json_builder_set_member_name (b, "modified");
  if (modified)
    json_builder_add_string_value (b, modified);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
#undef INT_MEMBER
#undef STR_MEMBER
  return json_builder_get_root (b);
}
