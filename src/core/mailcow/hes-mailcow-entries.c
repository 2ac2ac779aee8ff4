/* hes-mailcow-entries.c: mailcow's refusals (language keys of lang.en-gb.json) in plain words.
 *
 * The server's own texts are written for administrators; these say what the customer can do.
 * Arguments are the server's (addresses, sizes in MiB), never a password.
 */
#define G_LOG_DOMAIN "hes-mailcow-entries"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-mailcow-parse.h"

static char *
entry_arg (const HesMailcowEntry *entry, guint index)
{
  const char *raw;

  if (entry->msg_args == NULL || g_strv_length (entry->msg_args) <= index)
    return g_strdup ("?");
  raw = entry->msg_args[index];
  /* mailcow passes some arguments through htmlspecialchars(). */
  return hes_mailcow_html_unescape (raw, -1);
}

static GError *
entry_error_with_arg (const HesMailcowEntry *entry, HesMailcowError code,
                      const char *format, guint index)
{
  g_autofree char *arg = entry_arg (entry, index);
  g_autoptr(GString) message = g_string_new (format);

  /* Not printf: the format is a translation, the argument the server's text. */
  g_string_replace (message, "%s", arg, 1);
  return g_error_new_literal (HES_MAILCOW_ERROR, code, message->str);
}

static GError *
literal (HesMailcowError code, const char *message)
{
  return g_error_new_literal (HES_MAILCOW_ERROR, code, message);
}

static GError *
error_for_quota_key (const HesMailcowEntry *entry, const char *key)
{
  if (g_str_equal (key, "mailbox_quota_exceeded"))
    /* Translators: %s is a size in MiB, such as "2048". */
    return entry_error_with_arg (entry, HES_MAILCOW_ERROR_REFUSED,
                                 _("This mailbox size is more than the domain allows for one "
                                   "mailbox (at most %s MiB): choose a smaller size."), 0);
  if (g_str_equal (key, "mailbox_quota_left_exceeded"))
    /* Translators: %s is a size in MiB, such as "512". */
    return entry_error_with_arg (entry, HES_MAILCOW_ERROR_REFUSED,
                                 _("The domain has not enough space left for this mailbox size "
                                   "(%s MiB left): choose a smaller size."), 0);
  if (g_str_equal (key, "max_mailbox_exceeded"))
    /* Translators: %s is the number of mailboxes the domain may have. */
    return entry_error_with_arg (entry, HES_MAILCOW_ERROR_REFUSED,
                                 _("The domain already has all the mailboxes it may have (%s): "
                                   "remove one or ask your provider for more."), 1);
  if (g_str_equal (key, "unlimited_quota_acl"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("Your account may not create mailboxes without a size limit: choose a "
                      "size."));
  return NULL;
}

static GError *
error_for_account_key (const HesMailcowEntry *entry, const char *key)
{
  if (g_str_equal (key, "access_denied"))
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_ACCESS_DENIED);
  if (g_str_equal (key, "password_complexity"))
    return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_PASSWORD_POLICY);
  if (g_str_equal (key, "password_mismatch"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("The two passwords are not the same: type the same password twice."));
  if (g_str_equal (key, "object_exists"))
    /* Translators: %s is what already exists, such as an address. */
    return entry_error_with_arg (entry, HES_MAILCOW_ERROR_REFUSED,
                                 _("“%s” already exists: choose another one or change the "
                                   "existing one."), 0);
  if (g_str_equal (key, "is_alias"))
    /* Translators: %s is an e-mail address. */
    return entry_error_with_arg (entry, HES_MAILCOW_ERROR_REFUSED,
                                 _("“%s” is already used as an alias: choose another address."), 0);
  if (g_str_equal (key, "mailbox_invalid"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("This e-mail address is not valid: check what you typed."));
  if (g_str_equal (key, "no_user_defined"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("No mailbox was chosen: choose the mailbox first."));
  if (g_str_equal (key, "totp_verification_failed"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("The code was not accepted: check that the time of your phone is right, "
                      "then type the new code."));
  return NULL;
}

static GError *
error_for_domain_key (const HesMailcowEntry *entry, const char *key)
{
  if (g_str_equal (key, "dkim_domain_or_sel_invalid"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("This domain already has a DKIM key, or its name is not valid."));
  if (g_str_equal (key, "domain_invalid"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("This domain name is not valid: check what you typed."));
  if (g_str_equal (key, "domain_not_found"))
    return literal (HES_MAILCOW_ERROR_REFUSED,
                    _("This domain does not exist on the server: check its name."));
  if (g_str_equal (key, "mysql_error") || g_str_has_prefix (key, "An unknown error"))
    return literal (HES_MAILCOW_ERROR_SERVER,
                    _("The server could not save the change: try again later, and contact your "
                      "provider if it keeps happening."));
  return NULL;
}

GError *
hes_mailcow_entry_to_error (const HesMailcowEntry *entry)
{
  GError *error = NULL;
  const char *key;

  g_return_val_if_fail (entry != NULL, NULL);

  if (!hes_mailcow_entry_is_error (entry))
    return NULL;

  key = entry->msg_key ? entry->msg_key : "";
  if ((error = error_for_account_key (entry, key)) != NULL ||
      (error = error_for_quota_key (entry, key)) != NULL ||
      (error = error_for_domain_key (entry, key)) != NULL)
    return error;

  /* Only a bare language key is logged: free texts (exceptions) could quote the request. */
  if (g_regex_match_simple ("^[a-z0-9_]{1,64}$", key, 0, 0))
    g_debug ("refused with key %s", key);
  return hes_mailcow_error_new_default (HES_MAILCOW_ERROR_REFUSED);
}

GError *
hes_mailcow_entries_to_error (GPtrArray *entries)
{
  g_return_val_if_fail (entries != NULL, NULL);

  for (guint i = 0; i < entries->len; i++) {
    GError *error = hes_mailcow_entry_to_error (g_ptr_array_index (entries, i));

    if (error != NULL)
      return error;
  }

  return NULL;
}
