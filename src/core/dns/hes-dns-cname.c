/* hes-dns-cname.c: alias checks */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hes-dns-cname.h"
#include "hes-dns-mx.h"
#include "hes-dns-name.h"

static const HesDnsRr *
first_cname (const HesDnsAnswer *answer,
             const char         *name)
{
  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      const HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == HES_DNS_TYPE_CNAME && hes_dns_name_equal (rr->name, name))
        return rr;
    }
  return NULL;
}

static gboolean
address_in (const char         *address,
            const char * const *set)
{
  g_autoptr(GInetAddress) a = g_inet_address_new_from_string (address);

  for (guint i = 0; a && set && set[i]; i++)
    {
      g_autoptr(GInetAddress) b = g_inet_address_new_from_string (set[i]);

      if (b && g_inet_address_equal (a, b))
        return TRUE;
    }
  return FALSE;
}

static void
collect (const HesDnsAnswer *answer,
         const char         *name,
         HesDnsType          type,
         GPtrArray          *into)
{
  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      const HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == type && rr->address && hes_dns_name_equal (rr->name, name))
        g_ptr_array_add (into, rr->address);
    }
}

HesDnsFinding *
hes_dns_cname_check (const char          *name,
                     const HesDnsAnswer  *a,
                     const HesDnsAnswer  *aaaa,
                     const char * const  *host_addresses,
                     const char          *mail_host,
                     const char          *domain)
{
  g_autofree char *fix = g_strconcat (mail_host, ".", NULL);
  const HesDnsRr *cname = first_cname (a, name);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autoptr(HesDnsFinding) finding = NULL;
  gboolean all_ours = TRUE;

  if (cname == NULL)
    cname = first_cname (aaaa, name);
  if (cname != NULL)
    {
      g_autofree char *found = g_strconcat (cname->target, ".", NULL);

      if (hes_dns_name_equal (cname->target, mail_host))
        finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
      else if (hes_dns_name_is_appended (cname->target, mail_host, domain))
        {
          g_autofree char *text = hes_dns_appended_explanation (cname->target, mail_host);

          finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG, text, fix);
        }
      else
        finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                       _("This alias points to another server: change its target to the one shown."),
                                       fix);
      hes_dns_finding_add_found (finding, found);
      return g_steal_pointer (&finding);
    }

  collect (a, name, HES_DNS_TYPE_A, addresses);
  collect (aaaa, name, HES_DNS_TYPE_AAAA, addresses);
  if (addresses->len == 0)
    return hes_dns_finding_new (HES_DNS_VERDICT_MISSING,
                                _("This alias does not exist yet, so mail apps cannot set themselves up."),
                                fix);
  for (guint i = 0; i < addresses->len; i++)
    all_ours = all_ours && address_in (g_ptr_array_index (addresses, i), host_addresses);
  if (all_ours)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
  else
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("This name points to another server's address: replace it with an alias (CNAME) to the name shown."),
                                   fix);
  for (guint i = 0; i < addresses->len; i++)
    hes_dns_finding_add_found (finding, g_ptr_array_index (addresses, i));
  return g_steal_pointer (&finding);
}
