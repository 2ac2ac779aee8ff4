/* hes-dns-mx.c: MX set checks */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-mx.h"
#include "hes-dns-name.h"

char *
hes_dns_appended_explanation (const char *found,
                              const char *mail_host)
{
  /* Translators: %1$s is the wrong name found, %2$s the mail server name */
  return g_strdup_printf (_("Your DNS host added your domain to the end of the name (%1$s): enter %2$s with a dot at the end so that it is kept as it is."),
                          found, mail_host);
}

static HesDnsFinding *
finding_for (HesDnsVerdict  verdict,
             const char    *explanation,
             const char    *fix)
{
  return hes_dns_finding_new (verdict, explanation, fix);
}

HesDnsFinding *
hes_dns_mx_check (const HesDnsMxTarget *targets,
                  guint                 n_targets,
                  const char           *mail_host,
                  const char           *domain,
                  guint16               preference)
{
  g_autofree char *fix = g_strdup_printf ("%u %s.", preference, mail_host);
  g_autoptr(HesDnsFinding) finding = NULL;
  const HesDnsMxTarget *ours = NULL;
  const HesDnsMxTarget *other = NULL;
  const HesDnsMxTarget *appended = NULL;
  const HesDnsMxTarget *literal = NULL;
  gboolean null_mx = FALSE;

  for (guint i = 0; i < n_targets; i++)
    {
      const HesDnsMxTarget *t = &targets[i];

      if (t->target[0] == '\0')
        null_mx = TRUE;
      else if (hes_dns_name_equal (t->target, mail_host))
        ours = t;
      else if (hes_dns_name_is_appended (t->target, mail_host, domain))
        appended = t;
      else if (hes_dns_name_is_ip_literal (t->target))
        literal = t;
      else
        other = t;
    }

  if (n_targets == 0)
    finding = finding_for (HES_DNS_VERDICT_MISSING,
                           _("There is no MX record yet, so email sent to your domain cannot arrive."), fix);
  else if (null_mx)
    finding = finding_for (HES_DNS_VERDICT_WRONG,
                           _("An MX record says that your domain receives no email at all: replace it with the record shown."), fix);
  else if (literal)
    finding = finding_for (HES_DNS_VERDICT_WRONG,
                           _("An MX record holds an IP address, which is not allowed: it must hold the mail server's name."), fix);
  else if (ours == NULL && appended != NULL)
    {
      g_autofree char *text = hes_dns_appended_explanation (appended->target, mail_host);

      finding = finding_for (HES_DNS_VERDICT_WRONG, text, fix);
    }
  else if (ours == NULL)
    finding = finding_for (HES_DNS_VERDICT_WRONG,
                           _("Your domain's email still goes to another server: replace the MX record with the one shown."), fix);
  else if (other != NULL || appended != NULL)
    {
      /* Translators: %s is the other mail server found in the MX records */
      g_autofree char *text = g_strdup_printf (_("Part of your email goes to another server (%s): delete that MX record and keep only the one shown."),
                                               other ? other->target : appended->target);

      finding = finding_for (HES_DNS_VERDICT_WRONG, text, fix);
    }
  else if (ours->is_alias)
    finding = finding_for (HES_DNS_VERDICT_WRONG,
                           _("The mail server name in the MX record is an alias (CNAME), which mail servers do not accept: please contact support."), NULL);
  else if (ours->no_address)
    finding = finding_for (HES_DNS_VERDICT_WRONG,
                           _("The mail server name has no address in DNS yet: please contact support."), NULL);
  else
    finding = finding_for (HES_DNS_VERDICT_OK, NULL, NULL);

  for (guint i = 0; i < n_targets; i++)
    {
      g_autofree char *value = g_strdup_printf ("%u %s.", targets[i].preference, targets[i].target);

      hes_dns_finding_add_found (finding, value);
    }
  return g_steal_pointer (&finding);
}
