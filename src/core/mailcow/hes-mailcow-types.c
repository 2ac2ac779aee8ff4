/* hes-mailcow-types.c: plain data read from a mailcow server, and the password policy check. */
#define G_LOG_DOMAIN "hes-mailcow-types"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-types.h"

HesSecondFactor *
hes_second_factor_copy (const HesSecondFactor *factor)
{
  HesSecondFactor *copy = g_new0 (HesSecondFactor, 1);

  copy->method = factor->method;
  copy->id = g_strdup (factor->id);
  copy->name = g_strdup (factor->name);
  return copy;
}

void
hes_second_factor_free (HesSecondFactor *factor)
{
  if (factor == NULL)
    return;
  g_free (factor->id);
  g_free (factor->name);
  g_free (factor);
}

HesMailcowDomain *
hes_mailcow_domain_copy (const HesMailcowDomain *domain)
{
  HesMailcowDomain *copy = g_memdup2 (domain, sizeof *domain);

  copy->name = g_strdup (domain->name);
  copy->display_name = g_strdup (domain->display_name);
  copy->description = g_strdup (domain->description);
  return copy;
}

void
hes_mailcow_domain_free (HesMailcowDomain *domain)
{
  if (domain == NULL)
    return;
  g_free (domain->name);
  g_free (domain->display_name);
  g_free (domain->description);
  g_free (domain);
}

HesMailcowMailbox *
hes_mailcow_mailbox_copy (const HesMailcowMailbox *mailbox)
{
  HesMailcowMailbox *copy = g_memdup2 (mailbox, sizeof *mailbox);

  copy->username = g_strdup (mailbox->username);
  copy->name = g_strdup (mailbox->name);
  copy->domain = g_strdup (mailbox->domain);
  return copy;
}

void
hes_mailcow_mailbox_free (HesMailcowMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  g_free (mailbox->username);
  g_free (mailbox->name);
  g_free (mailbox->domain);
  g_free (mailbox);
}

HesMailcowDkim *
hes_mailcow_dkim_copy (const HesMailcowDkim *dkim)
{
  HesMailcowDkim *copy = g_new0 (HesMailcowDkim, 1);

  copy->selector = g_strdup (dkim->selector);
  copy->txt = g_strdup (dkim->txt);
  copy->pubkey = g_strdup (dkim->pubkey);
  copy->length = g_strdup (dkim->length);
  return copy;
}

void
hes_mailcow_dkim_free (HesMailcowDkim *dkim)
{
  if (dkim == NULL)
    return;
  g_free (dkim->selector);
  g_free (dkim->txt);
  g_free (dkim->pubkey);
  g_free (dkim->length);
  g_free (dkim);
}

HesPasswordPolicy *
hes_password_policy_copy (const HesPasswordPolicy *policy)
{
  return g_memdup2 (policy, sizeof *policy);
}

void
hes_password_policy_free (HesPasswordPolicy *policy)
{
  g_free (policy);
}

HesMailcowEntry *
hes_mailcow_entry_copy (const HesMailcowEntry *entry)
{
  HesMailcowEntry *copy = g_new0 (HesMailcowEntry, 1);

  copy->type = g_strdup (entry->type);
  copy->msg_key = g_strdup (entry->msg_key);
  copy->msg_args = g_strdupv (entry->msg_args);
  return copy;
}

void
hes_mailcow_entry_free (HesMailcowEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->type);
  g_free (entry->msg_key);
  g_strfreev (entry->msg_args);
  g_free (entry);
}

gboolean
hes_mailcow_entry_is_error (const HesMailcowEntry *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);

  return g_strcmp0 (entry->type, "danger") == 0 || g_strcmp0 (entry->type, "error") == 0;
}

G_DEFINE_BOXED_TYPE (HesSecondFactor, hes_second_factor,
                     hes_second_factor_copy, hes_second_factor_free)
G_DEFINE_BOXED_TYPE (HesMailcowDomain, hes_mailcow_domain,
                     hes_mailcow_domain_copy, hes_mailcow_domain_free)
G_DEFINE_BOXED_TYPE (HesMailcowMailbox, hes_mailcow_mailbox,
                     hes_mailcow_mailbox_copy, hes_mailcow_mailbox_free)
G_DEFINE_BOXED_TYPE (HesMailcowDkim, hes_mailcow_dkim,
                     hes_mailcow_dkim_copy, hes_mailcow_dkim_free)
G_DEFINE_BOXED_TYPE (HesPasswordPolicy, hes_password_policy,
                     hes_password_policy_copy, hes_password_policy_free)
G_DEFINE_BOXED_TYPE (HesMailcowEntry, hes_mailcow_entry,
                     hes_mailcow_entry_copy, hes_mailcow_entry_free)

/* The classes are those of mailcow's password_check(): PHP byte regexes, so only ASCII
 * letters count as letters, and every other byte (é included) counts as special. */
typedef struct {
  gboolean letter, lower, upper, digit, special;
} PasswordClasses;

static PasswordClasses
classify_password (const char *password)
{
  PasswordClasses classes = { FALSE, };

  for (const char *p = password; *p != '\0'; p++) {
    char c = *p;

    if (g_ascii_islower (c))
      classes.letter = classes.lower = TRUE;
    else if (g_ascii_isupper (c))
      classes.letter = classes.upper = TRUE;
    else if (g_ascii_isdigit (c))
      classes.digit = TRUE;
    else
      classes.special = TRUE;
  }

  return classes;
}

/* The server counts bytes; counting characters is stricter, so whatever passes here passes
 * there too. */
static glong
password_length (const char *password)
{
  if (g_utf8_validate (password, -1, NULL))
    return g_utf8_strlen (password, -1);
  return (glong) strlen (password);
}

GPtrArray *
hes_password_policy_check (const HesPasswordPolicy *policy,
                           const char              *password)
{
  GPtrArray *broken = g_ptr_array_new_with_free_func (g_free);
  PasswordClasses classes;

  g_return_val_if_fail (policy != NULL, broken);

  if (password == NULL || *password == '\0') {
    g_ptr_array_add (broken, g_strdup (_("Type a new password.")));
    return broken;
  }

  classes = classify_password (password);

  if (password_length (password) < (glong) policy->length)
    g_ptr_array_add (broken,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Use at least %u character.",
                                                   "Use at least %u characters.",
                                                   policy->length),
                                      policy->length));
  if (policy->chars && !classes.letter)
    g_ptr_array_add (broken, g_strdup (_("Use at least one letter from A to Z.")));
  if (policy->lowerupper && !(classes.lower && classes.upper))
    g_ptr_array_add (broken, g_strdup (_("Use both lower-case and upper-case letters.")));
  if (policy->numbers && !classes.digit)
    g_ptr_array_add (broken, g_strdup (_("Use at least one digit.")));
  if (policy->special_chars && !classes.special)
    g_ptr_array_add (broken, g_strdup (_("Use at least one special character, such as ! or #.")));

  return broken;
}

static char *
join_requirements (GPtrArray *parts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++) {
    if (i > 0 && i == parts->len - 1)
      /* Translators: the separator before the last item of a list ("a, b and c"). */
      g_string_append (text, _(" and "));
    else if (i > 0)
      /* Translators: the separator between items of a list ("a, b and c"). */
      g_string_append (text, _(", "));
    g_string_append (text, g_ptr_array_index (parts, i));
  }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
hes_password_policy_describe (const HesPasswordPolicy *policy)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *length = NULL;
  g_autofree char *list = NULL;

  g_return_val_if_fail (policy != NULL, NULL);

  if (policy->chars)
    g_ptr_array_add (parts, _("a letter from A to Z"));
  if (policy->lowerupper)
    g_ptr_array_add (parts, _("lower-case and upper-case letters"));
  if (policy->numbers)
    g_ptr_array_add (parts, _("a digit"));
  if (policy->special_chars)
    g_ptr_array_add (parts, _("a special character such as ! or #"));

  length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "at least %u character",
                                         "at least %u characters",
                                         MAX (policy->length, 1)),
                            MAX (policy->length, 1));
  if (parts->len == 0)
    /* Translators: %s is "at least 6 characters". */
    return g_strdup_printf (_("The password needs %s."), length);

  list = join_requirements (parts);
  /* Translators: %1$s is "at least 6 characters", %2$s a list such as "a digit and a
   * special character such as ! or #". */
  return g_strdup_printf (_("The password needs %1$s, with %2$s."), length, list);
}
