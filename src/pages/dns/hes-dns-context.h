/* hes-dns-context.h: what the DNS task's pages share: the record plan of the chosen domain.
 * The records page sets it; the results page checks it. */
#pragma once

#include <glib-object.h>

#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_CONTEXT (hes_dns_context_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsContext, hes_dns_context, HES, DNS_CONTEXT, GObject)

HesDnsContext    *hes_dns_context_new      (void);
/* NULL until the records page has built it. */
HesDnsRecordPlan *hes_dns_context_get_plan (HesDnsContext    *self);
void              hes_dns_context_set_plan (HesDnsContext    *self,
                                            HesDnsRecordPlan *plan);

G_END_DECLS
