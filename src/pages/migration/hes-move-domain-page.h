/* hes-move-domain-page.h: "Move a whole domain": the six ordered steps of the help page as a
 * checklist that shows where the customer is and what comes next, with one view per step.
 * Progress is the migration core's saved state (HesDomainMigration): it survives quitting and
 * is shown again when the page opens. */
#pragma once

#include "hes-page.h"

G_BEGIN_DECLS

#define HES_TYPE_MOVE_DOMAIN_PAGE (hes_move_domain_page_get_type ())
G_DECLARE_FINAL_TYPE (HesMoveDomainPage, hes_move_domain_page, HES, MOVE_DOMAIN_PAGE, HesPage)

HesPage *hes_move_domain_page_new          (HesSession        *session);
/* The step shown ("checklist", "mailboxes", "jobs", "dns", "propagation", "programs",
 * "removal"). */
const char *hes_move_domain_page_get_view  (HesMoveDomainPage *self);
/* The first step not done (0 to 5, 6 when all are), or -1 before a domain is loaded. */
int      hes_move_domain_page_get_current_step (HesMoveDomainPage *self);

/* Step 1: reads @file (a CSV file, UTF-8 or Windows-1252) into the list and checks it, as
 * the file chooser does. */
void     hes_move_domain_page_import_file  (HesMoveDomainPage *self,
                                            GFile             *file);

/* For tests and the demo: where every page created afterwards keeps its state (NULL: the
 * user's state directory), where it reads autoconfig (NULL: the real addresses), and how
 * often it reads the jobs again (0: every 5 s). */
void     hes_move_domain_page_set_overrides (const char       *state_dir,
                                             const char       *autoconfig_url,
                                             guint             poll_ms);
/* For tests and the demo: where steps 3 and 4 ask ("IPv4:port"): @resolver stands for this
 * computer's resolver, @authoritative for the domain's own DNS servers. NULL: the checker's
 * defaults (HES_DNS_SERVER when set, else the real ones). With poll_ms set, the automatic
 * re-checks of step 4 are that many milliseconds apart at first (else 30 s). */
void     hes_move_domain_page_set_dns_servers (const char     *resolver,
                                               const char     *authoritative);

G_END_DECLS
