/* hes-dns-results-page.h: steps 2 and 3 of the DNS task: checks the records at once (progress
 * per record), shows each verdict with its explanation and fix, and keeps checking (through
 * HesDnsWatch) until every required record is right. */
#pragma once

#include "hes-page.h"
#include "hes-dns-context.h"
#include "hes-dns-watch.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_RESULTS_PAGE (hes_dns_results_page_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsResultsPage, hes_dns_results_page, HES, DNS_RESULTS_PAGE, HesPage)

HesPage     *hes_dns_results_page_new       (HesSession        *session,
                                             HesDnsContext     *context);
/* The watch the page shows, or NULL before it was first shown. */
HesDnsWatch *hes_dns_results_page_get_watch (HesDnsResultsPage *self);

G_END_DECLS
