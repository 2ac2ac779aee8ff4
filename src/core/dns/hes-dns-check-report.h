/* hes-dns-check-report.h: the result of checking a record plan.
 *
 * One HesDnsRecordResult per planned record, in plan order, with its finding (verdict,
 * explanation, fix, values found, visible_in_s for pending records), plus the counts per
 * verdict and the zone apex and authoritative servers that were asked.
 */
#pragma once

#include <glib-object.h>

#include "hes-dns-finding.h"
#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

typedef struct {
  HesDnsPlannedRecord *record;
  HesDnsFinding       *finding;
  char                *expected;   /* the planned value as text */
} HesDnsRecordResult;

typedef struct {
  char      *domain;
  char      *mail_host;
  GPtrArray *results;          /* HesDnsRecordResult */
  guint      counts[HES_DNS_VERDICT_UNKNOWN + 1];
  char      *zone_apex;        /* NULL when it could not be found */
  GPtrArray *nameservers;      /* char *: the servers asked with RD=0 */
} HesDnsCheckReport;

#define HES_TYPE_DNS_RECORD_RESULT (hes_dns_record_result_get_type ())
#define HES_TYPE_DNS_CHECK_REPORT (hes_dns_check_report_get_type ())

GType               hes_dns_record_result_get_type (void) G_GNUC_CONST;
HesDnsRecordResult *hes_dns_record_result_new      (HesDnsPlannedRecord *record,
                                                    HesDnsFinding       *finding);
HesDnsRecordResult *hes_dns_record_result_ref      (HesDnsRecordResult  *result);
void                hes_dns_record_result_unref    (HesDnsRecordResult  *result);

GType               hes_dns_check_report_get_type  (void) G_GNUC_CONST;
HesDnsCheckReport  *hes_dns_check_report_new       (const char          *domain,
                                                    const char          *mail_host);
HesDnsCheckReport  *hes_dns_check_report_ref       (HesDnsCheckReport   *report);
void                hes_dns_check_report_unref     (HesDnsCheckReport   *report);
void                hes_dns_check_report_add       (HesDnsCheckReport   *report,
                                                    HesDnsRecordResult  *result);
/* TRUE when every required record is ok or pending. */
gboolean            hes_dns_check_report_is_ok     (const HesDnsCheckReport *report);
/* One translated sentence for the whole check. */
char               *hes_dns_check_report_get_summary (const HesDnsCheckReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsRecordResult, hes_dns_record_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsCheckReport, hes_dns_check_report_unref)

G_END_DECLS
