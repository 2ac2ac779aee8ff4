/* hes-dns-result-row.h: one record in the check's results: a spinner while it is checked, then
 * its verdict as an icon, a colour and words, the explanation, and the exact fix to copy. */
#pragma once

#include <adwaita.h>

#include "hes-dns-check-report.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_RESULT_ROW (hes_dns_result_row_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsResultRow, hes_dns_result_row, HES, DNS_RESULT_ROW, AdwExpanderRow)

GtkWidget          *hes_dns_result_row_new          (HesDnsPlannedRecord *record);
void                hes_dns_result_row_set_checking (HesDnsResultRow     *self);
void                hes_dns_result_row_set_result   (HesDnsResultRow     *self,
                                                     HesDnsRecordResult  *result);
/* The result shown, or NULL while checking. */
HesDnsRecordResult *hes_dns_result_row_get_result   (HesDnsResultRow     *self);
/* The verdict's words as shown ("Missing", "Visible here in about 5 minutes"). */
const char         *hes_dns_result_row_get_words    (HesDnsResultRow     *self);

G_END_DECLS
