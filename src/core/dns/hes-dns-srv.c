/* hes-dns-srv.c: SRV checks */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-answer.h"
#include "hes-dns-mx.h"
#include "hes-dns-name.h"
#include "hes-dns-srv.h"

HesDnsFinding *
hes_dns_srv_check (GPtrArray  *records,
                   const char *mail_host,
                   guint16     port,
                   const char *domain,
                   const char *expected_value)
{
  g_autoptr(HesDnsFinding) finding = NULL;
  HesDnsRr *match = NULL, *wrong_port = NULL, *appended = NULL, *none = NULL, *other = NULL;

  for (guint i = 0; i < records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (records, i);
      const char *target = rr->target ? rr->target : "";

      if (*target == '\0')
        none = rr;
      else if (hes_dns_name_equal (target, mail_host))
        {
          if (rr->port == port)
            match = rr;
          else
            wrong_port = rr;
        }
      else if (hes_dns_name_is_appended (target, mail_host, domain))
        appended = rr;
      else
        other = rr;
    }

  if (records->len == 0)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_MISSING,
                                   _("This service record does not exist yet, so apps cannot find your server by themselves."),
                                   expected_value);
  else if (match && !other && !appended && !none && !wrong_port)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
  else if (match)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("There are other service records next to the right one, so some apps may use the wrong server: delete them."),
                                   expected_value);
  else if (wrong_port)
    {
      /* Translators: %1$u is the port found, %2$u the right port */
      g_autofree char *text = g_strdup_printf (_("The service record uses port %1$u instead of %2$u: change the port."),
                                               wrong_port->port, port);

      finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG, text, expected_value);
    }
  else if (appended)
    {
      g_autofree char *text = hes_dns_appended_explanation (appended->target, mail_host);

      finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG, text, expected_value);
    }
  else if (none)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The service record says this service is not offered (target “.”): replace it with the record shown."),
                                   expected_value);
  else
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The service record points to another server: replace it with the record shown."),
                                   expected_value);

  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *value = hes_dns_rr_format_rdata (g_ptr_array_index (records, i));

      hes_dns_finding_add_found (finding, value);
    }
  return g_steal_pointer (&finding);
}
