/* hes-dns-check-report.c: results of a DNS check */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-check-report.h"

static void
result_clear (HesDnsRecordResult *r)
{
  hes_dns_planned_record_unref (r->record);
  hes_dns_finding_unref (r->finding);
  g_free (r->expected);
}

HesDnsRecordResult *
hes_dns_record_result_new (HesDnsPlannedRecord *record,
                           HesDnsFinding       *finding)
{
  HesDnsRecordResult *r = g_atomic_rc_box_new0 (HesDnsRecordResult);

  r->record = hes_dns_planned_record_ref (record);
  r->finding = hes_dns_finding_ref (finding);
  r->expected = hes_dns_planned_record_format_value (record);
  return r;
}

HesDnsRecordResult *
hes_dns_record_result_ref (HesDnsRecordResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

void
hes_dns_record_result_unref (HesDnsRecordResult *result)
{
  g_atomic_rc_box_release_full (result, (GDestroyNotify) result_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsRecordResult, hes_dns_record_result,
                     hes_dns_record_result_ref, hes_dns_record_result_unref)

static void
report_clear (HesDnsCheckReport *report)
{
  g_free (report->domain);
  g_free (report->mail_host);
  g_free (report->zone_apex);
  g_ptr_array_unref (report->results);
  g_ptr_array_unref (report->nameservers);
}

HesDnsCheckReport *
hes_dns_check_report_new (const char *domain,
                          const char *mail_host)
{
  HesDnsCheckReport *report = g_atomic_rc_box_new0 (HesDnsCheckReport);

  report->domain = g_strdup (domain);
  report->mail_host = g_strdup (mail_host);
  report->results = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_record_result_unref);
  report->nameservers = g_ptr_array_new_with_free_func (g_free);
  return report;
}

HesDnsCheckReport *
hes_dns_check_report_ref (HesDnsCheckReport *report)
{
  return g_atomic_rc_box_acquire (report);
}

void
hes_dns_check_report_unref (HesDnsCheckReport *report)
{
  g_atomic_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsCheckReport, hes_dns_check_report,
                     hes_dns_check_report_ref, hes_dns_check_report_unref)

void
hes_dns_check_report_add (HesDnsCheckReport  *report,
                          HesDnsRecordResult *result)
{
  g_ptr_array_add (report->results, hes_dns_record_result_ref (result));
  report->counts[result->finding->verdict]++;
}

gboolean
hes_dns_check_report_is_ok (const HesDnsCheckReport *report)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);

      if (r->record->required && r->finding->verdict != HES_DNS_VERDICT_OK &&
          r->finding->verdict != HES_DNS_VERDICT_PENDING)
        return FALSE;
    }
  return TRUE;
}

char *
hes_dns_check_report_get_summary (const HesDnsCheckReport *report)
{
  guint pending = report->counts[HES_DNS_VERDICT_PENDING];
  guint unknown = report->counts[HES_DNS_VERDICT_UNKNOWN];
  guint bad = 0, optional = 0;

  /* An optional record (DMARC) that is missing does not make the setup fail. */
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);

      /* Working but weak (SPF ?all, DMARC p=none): can be improved, like an optional record. */
      if (r->finding->verdict == HES_DNS_VERDICT_OK && r->finding->weak)
        optional++;
      if (r->finding->verdict != HES_DNS_VERDICT_MISSING && r->finding->verdict != HES_DNS_VERDICT_WRONG)
        continue;
      if (r->record->required)
        bad++;
      else
        optional++;
    }

  if (bad > 0)
    /* Translators: %u is a number of DNS records */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u record must still be added or corrected.",
                                         "%u records must still be added or corrected.", bad), bad);
  if (unknown > 0)
    /* Translators: %u is a number of DNS records */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u record could not be checked; try again in a few minutes.",
                                         "%u records could not be checked; try again in a few minutes.",
                                         unknown), unknown);
  if (pending > 0)
    return g_strdup (_("Everything is right at your DNS host; some changes are not visible everywhere yet."));
  if (optional > 0)
    return g_strdup (_("All required DNS records are right; a recommended record is still missing or can be improved."));
  return g_strdup (_("All DNS records are right."));
}
