/* hes-dns-records-page.h: step 1 of the DNS task: the records the chosen domain needs, with
 * copy buttons, the DKIM key (created on request) and exports. */
#pragma once

#include "hes-page.h"
#include "hes-dns-context.h"

G_BEGIN_DECLS

typedef enum {
  HES_DNS_EXPORT_ZONE,
  HES_DNS_EXPORT_CSV,
  HES_DNS_EXPORT_TEXT,
} HesDnsExportFormat;

#define HES_TYPE_DNS_RECORDS_PAGE (hes_dns_records_page_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsRecordsPage, hes_dns_records_page, HES, DNS_RECORDS_PAGE, HesPage)

HesPage  *hes_dns_records_page_new          (HesSession         *session,
                                             HesDnsContext      *context);
/* The file name the save dialog suggests ("boulangerie-martin.example.zone"). */
char     *hes_dns_records_page_suggest_name (HesDnsRecordsPage  *self,
                                             HesDnsExportFormat  format);
/* What the export buttons do once the customer picked @file: writes the plan in @format.
 * Also shows where the file went, or why it could not be written. */
void      hes_dns_records_page_save_async   (HesDnsRecordsPage  *self,
                                             HesDnsExportFormat  format,
                                             GFile              *file,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean  hes_dns_records_page_save_finish  (HesDnsRecordsPage  *self,
                                             GAsyncResult       *result,
                                             GError            **error);

G_END_DECLS
