/* hes-dns-export.c: zone fragment, CSV and text exports */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-dns-export.h"
#include "hes-dns-name-check.h"

#define TXT_CHUNK 255

char *
hes_dns_export_quote_txt (const char *value)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (value);

  if (len == 0)
    g_string_append (out, "\"\"");
  for (gsize start = 0; start < len; start += TXT_CHUNK)
    {
      if (start > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, '"');
      for (gsize i = start; i < len && i < start + TXT_CHUNK; i++)
        {
          guchar c = (guchar) value[i];

          if (c == '"' || c == '\\')
            g_string_append_printf (out, "\\%c", c);
          else if (c < 0x20 || c >= 0x7f)
            g_string_append_printf (out, "\\%03u", c);
          else
            g_string_append_c (out, (char) c);
        }
      g_string_append_c (out, '"');
    }
  return g_string_free (out, FALSE);
}

static char *
zone_rdata (const HesDnsPlannedRecord *r)
{
  switch (r->type)
    {
    case HES_DNS_TYPE_MX:
      return g_strdup_printf ("%u %s.", r->priority, r->target);
    case HES_DNS_TYPE_SRV:
      return g_strdup_printf ("%u %u %u %s.", r->priority, r->weight, r->port, r->target);
    case HES_DNS_TYPE_TXT:
      return r->value ? hes_dns_export_quote_txt (r->value) : NULL;
    default:
      return g_strdup_printf ("%s.", r->target);
    }
}

char *
hes_dns_export_zone (HesDnsRecordPlan *plan)
{
  GString *out = g_string_new (NULL);
  const char *domain = hes_dns_record_plan_get_domain (plan);

  g_autofree char *title = NULL;

  /* Translators: a comment atop the zone file; %1$s is the domain, %2$s the mail server */
  title = g_strdup_printf (_("DNS records for %1$s (mail server %2$s)"),
                           domain, hes_dns_record_plan_get_mail_host (plan));
  g_string_append_printf (out, "; %s\n", title);
  g_string_append_printf (out, "$ORIGIN %s.\n$TTL %u\n", domain,
                          hes_dns_record_plan_get_default_ttl (plan));
  for (guint i = 0; i < hes_dns_record_plan_get_n_records (plan); i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (plan, i);
      g_autofree char *rdata = NULL;

      /* The plan's names passed hes_dns_name_check(); a zone file is still never handed
       * a name it cannot carry (a line break or a ';' would start another line or a comment). */
      if (!(g_str_equal (r->name, "@") || hes_dns_name_is_zone_safe (r->name, TRUE)) ||
          (r->target != NULL && !hes_dns_name_is_zone_safe (r->target, FALSE)))
        {
          g_string_append_printf (out, "; %s\n", _("(a record left out: its name cannot be written in a zone file)"));
          continue;
        }
      rdata = zone_rdata (r);
      if (rdata == NULL)
        {
          g_string_append_printf (out, "; %s\t%u\tIN\t%s\t%s\n", r->name, r->ttl,
                                  hes_dns_type_to_string (r->type),
                                  _("(the DKIM record from your mail server)"));
          continue;
        }
      g_string_append_printf (out, "%s\t%u\tIN\t%s\t%s\n", r->name, r->ttl,
                              hes_dns_type_to_string (r->type), rdata);
    }
  return g_string_free (out, FALSE);
}

static void
append_csv_field (GString    *out,
                  const char *value,
                  gboolean    last)
{
  if (value && strpbrk (value, ",\"\r\n"))
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (value)
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

char *
hes_dns_export_csv (HesDnsRecordPlan *plan)
{
  GString *out = g_string_new ("type,name,fqdn,value,priority,weight,port,ttl,required,purpose\r\n");

  for (guint i = 0; i < hes_dns_record_plan_get_n_records (plan); i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (plan, i);
      g_autofree char *priority = NULL, *weight = NULL, *port = NULL;
      g_autofree char *ttl = g_strdup_printf ("%u", r->ttl);
      const char *value = r->type == HES_DNS_TYPE_TXT ? (r->value ? r->value : "") : r->target;

      if (r->type == HES_DNS_TYPE_MX || r->type == HES_DNS_TYPE_SRV)
        priority = g_strdup_printf ("%u", r->priority);
      if (r->type == HES_DNS_TYPE_SRV)
        {
          weight = g_strdup_printf ("%u", r->weight);
          port = g_strdup_printf ("%u", r->port);
        }
      append_csv_field (out, hes_dns_type_to_string (r->type), FALSE);
      append_csv_field (out, r->name, FALSE);
      append_csv_field (out, r->full_name, FALSE);
      append_csv_field (out, value, FALSE);
      append_csv_field (out, priority, FALSE);
      append_csv_field (out, weight, FALSE);
      append_csv_field (out, port, FALSE);
      append_csv_field (out, ttl, FALSE);
      append_csv_field (out, r->required ? "yes" : "no", FALSE);
      append_csv_field (out, r->purpose, TRUE);
    }
  return g_string_free (out, FALSE);
}

char *
hes_dns_export_text (HesDnsRecordPlan *plan)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hes_dns_record_plan_get_n_records (plan); i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (plan, i);
      g_autofree char *value = hes_dns_planned_record_format_value (r);

      g_string_append_printf (out, "%u. %s %s\n   %s\n   %s\n", i + 1,
                              hes_dns_type_to_string (r->type), r->full_name,
                              *value ? value : _("(the DKIM record from your mail server)"),
                              r->purpose);
      if (!r->required)
        g_string_append_printf (out, "   %s\n", _("Optional, but recommended."));
    }
  return g_string_free (out, FALSE);
}
