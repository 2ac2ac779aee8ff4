/* hes-imap-presets.c: the IMAP servers of the providers customers move from most often.
 *
 * Kept as a static table rather than a data file: it is small, it changes with the providers
 * rather than with Hosterra, and its notes are translated like any other string.
 */
#define G_LOG_DOMAIN "hes-imap-presets"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-imap-presets.h"

#define DOMAINS(...) ((const char * const []) { __VA_ARGS__, NULL })

static const HesImapPreset presets[] = {
  { "orange", "Orange", "imap.orange.fr", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS ("orange.fr", "wanadoo.fr") },
  { "free", "Free", "imap.free.fr", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS ("free.fr", "aliceadsl.fr") },
  { "sfr", "SFR", "imap.sfr.fr", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS ("sfr.fr", "neuf.fr", "cegetel.net", "club-internet.fr") },
  { "bouygues", "Bouygues Telecom", "imap.bbox.fr", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS ("bbox.fr") },
  { "laposte", "La Poste", "imap.laposte.net", 993, HES_IMAP_SECURITY_SSL, FALSE,
    N_("La Poste may block mail programs until you allow them: in the La Poste webmail, open the settings and turn on access by other mail programs (IMAP) first."),
    DOMAINS ("laposte.net") },
  { "ovh", "OVHcloud", "ssl0.ovh.net", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS (NULL) },
  { "gandi", "Gandi", "mail.gandi.net", 993, HES_IMAP_SECURITY_SSL, FALSE, NULL,
    DOMAINS (NULL) },
  { "gmail", "Gmail", "imap.gmail.com", 993, HES_IMAP_SECURITY_SSL, TRUE,
    N_("Gmail accepts only an app password here: turn on 2-Step Verification in your Google Account, then create an app password and type it instead of your usual password."),
    DOMAINS ("gmail.com", "googlemail.com") },
  { "outlook", "Outlook.com", "outlook.office365.com", 993, HES_IMAP_SECURITY_SSL, FALSE,
    N_("Microsoft may refuse your usual password here: if you use two-step verification, create an app password in the security settings of your Microsoft account and type it instead."),
    DOMAINS ("outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr", "live.com", "live.fr", "msn.com") },
  { "yahoo", "Yahoo", "imap.mail.yahoo.com", 993, HES_IMAP_SECURITY_SSL, TRUE,
    N_("Yahoo accepts only an app password here: in the security settings of your Yahoo account, create an app password and type it instead of your usual password."),
    DOMAINS ("yahoo.com", "yahoo.fr", "ymail.com") },
  { "icloud", "iCloud", "imap.mail.me.com", 993, HES_IMAP_SECURITY_SSL, TRUE,
    N_("iCloud accepts only an app-specific password here: sign in to your Apple Account, create an app-specific password in its security settings and type it instead of your usual password."),
    DOMAINS ("icloud.com", "me.com", "mac.com") },
};

const HesImapPreset *
hes_imap_presets_get (gsize *n_presets)
{
  g_return_val_if_fail (n_presets != NULL, NULL);

  *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

const HesImapPreset *
hes_imap_preset_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_str_equal (presets[i].id, id))
        return &presets[i];
    }
  return NULL;
}

const HesImapPreset *
hes_imap_preset_find_by_host (const char *host)
{
  g_return_val_if_fail (host != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_ascii_strcasecmp (presets[i].host, host) == 0)
        return &presets[i];
    }
  return NULL;
}

const HesImapPreset *
hes_imap_preset_guess (const char *address)
{
  const char *domain;

  g_return_val_if_fail (address != NULL, NULL);

  domain = strrchr (address, '@');
  if (domain == NULL || domain[1] == '\0')
    return NULL;
  domain++;
  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      for (const char * const *d = presets[i].domains; *d != NULL; d++)
        {
          if (g_ascii_strcasecmp (*d, domain) == 0)
            return &presets[i];
        }
    }
  return NULL;
}

const char *
hes_imap_preset_get_note (const HesImapPreset *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);

  return preset->note != NULL ? _(preset->note) : NULL;
}
