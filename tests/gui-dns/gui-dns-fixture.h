/* gui-dns-fixture.h: the DNS pages under test: the simulator's demo, the real window, and a
 * Knot DNS server with the demo zones that every DNS lookup of the app is sent to. */
#pragma once

#include "gui-helpers.h"
#include "hes-knot-fixture.h"
#include "pages/dns/hes-dns-records-page.h"
#include "pages/dns/hes-dns-results-page.h"

G_BEGIN_DECLS

#define GUI_DNS_PASSWORD "Demo-2026!"
#define GUI_DNS_GOOD_DOMAIN "boulangerie-martin.example"
#define GUI_DNS_MIXED_DOMAIN "atelier-durand.example"

/* The text of tests/gui-dns/zones/@name.zone. */
char           *gui_dns_read_zone        (const char      *name);
/* An exported zone fragment made a whole zone (SOA, NS and its address). */
char           *gui_dns_complete_zone    (const char      *fragment);
/* Checks @zone_text with `knotc zone-check` as zone @origin: TRUE when Knot loads it. */
gboolean        gui_dns_zone_check       (const char      *origin,
                                          const char      *zone_text,
                                          GError         **error);
/* Knot with hosterra.test, the mixed atelier-durand.example and @good_zone as
 * boulangerie-martin.example; HES_DNS_SERVER points at it. */
HesKnotFixture *gui_dns_start_knot       (const char      *good_zone,
                                          GError         **error);
/* Signs in as demo-admin, opens the DNS task and waits for its records. */
void            gui_dns_open_task        (GuiFixture      *f);
HesDnsRecordsPage *gui_dns_records_page  (GuiFixture      *f);
HesDnsResultsPage *gui_dns_results_page  (GuiFixture      *f);
GtkWidget      *gui_dns_child            (gpointer         page,
                                          GType            type,
                                          const char      *name);
/* Picks @domain in the records page and waits for its records. */
void            gui_dns_choose_domain    (GuiFixture      *f,
                                          const char      *domain);
/* Exports the records page's plan as @format to a new temporary file; returns its text. */
char           *gui_dns_export           (GuiFixture      *f,
                                          HesDnsExportFormat format);
/* Goes to the results page and waits for the first check's report. */
void            gui_dns_check            (GuiFixture      *f);

G_END_DECLS
