/* hes-password-generator.c: unbiased random passwords with GnuTLS randomness. */
#define G_LOG_DOMAIN "hes-password-generator"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gnutls/crypto.h>

#include "hes-migration-error.h"
#include "hes-password-generator.h"

/* No look-alikes (0/O, 1/l/I) and no quotes or spaces: people copy these by hand. */
static const char lower[] = "abcdefghijkmnopqrstuvwxyz";
static const char upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char digits[] = "23456789";
static const char special[] = "-_.+=!%";

static gboolean
random_below (guint bound, guint *out)
{
  /* Rejection sampling: a plain modulo would favour the first characters. */
  guint limit = 256 - (256 % bound);
  guint8 byte;

  do
    {
      if (gnutls_rnd (GNUTLS_RND_KEY, &byte, 1) < 0)
        return FALSE;
    }
  while (byte >= limit);
  *out = byte % bound;
  return TRUE;
}

static gboolean
pick (const char *set, char *out)
{
  guint index;

  if (!random_below (strlen (set), &index))
    return FALSE;
  *out = set[index];
  return TRUE;
}

static gboolean
fill (char *password, guint length)
{
  const char *sets[] = { lower, upper, digits, special };
  g_autofree char *all = g_strconcat (lower, upper, digits, special, NULL);

  /* One of each class first, then any, then shuffled so the classes are not in order. */
  for (guint i = 0; i < length; i++)
    if (!pick (i < G_N_ELEMENTS (sets) ? sets[i] : all, &password[i]))
      return FALSE;
  for (guint i = length - 1; i > 0; i--)
    {
      guint j;
      char tmp;

      if (!random_below (i + 1, &j))
        return FALSE;
      tmp = password[i], password[i] = password[j], password[j] = tmp;
    }
  return TRUE;
}

char *
hes_password_generate (const HesPasswordPolicy *policy, GError **error)
{
  guint length = HES_GENERATED_PASSWORD_LENGTH;
  char *password;

  if (policy && policy->length > length)
    length = MIN (policy->length, 128);
  password = g_malloc0 (length + 1);
  if (!fill (password, length))
    {
      hes_password_free (password);
      g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                           _("The app could not make a random password: type one yourself."));
      return NULL;
    }
  return password;
}

void
hes_password_free (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}
