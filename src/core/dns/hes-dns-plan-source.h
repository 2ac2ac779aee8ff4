/* hes-dns-plan-source.h: where a domain's record plan comes from, for every page that checks
 * it (the DNS task, the domain move).
 *
 * The mail host name H is the one in the server's Thunderbird autoconfig (no sign-in needed):
 * the address the customer signed in to may be another name for the same server; when the
 * autoconfig names no usable host, the signed-in address is used. The DKIM record is the
 * domain's own, read from the server (a domain without one gets a plan that only checks that
 * some valid DKIM record exists at the default selector).
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-record-plan.h"
#include "hes-mailcow-client.h"

G_BEGIN_DECLS

void              hes_dns_plan_source_get_mail_host_async  (HesMailcowClient    *client,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
/* Never NULL unless cancelled. */
char             *hes_dns_plan_source_get_mail_host_finish (GAsyncResult        *result,
                                                            GError             **error);
/* @mail_host: from hes_dns_plan_source_get_mail_host_async(). @has_dkim (optional): whether
 * the server holds a DKIM key for @domain. */
void              hes_dns_plan_source_load_async           (HesMailcowClient    *client,
                                                            const char          *domain,
                                                            const char          *mail_host,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
HesDnsRecordPlan *hes_dns_plan_source_load_finish          (GAsyncResult        *result,
                                                            gboolean            *has_dkim,
                                                            GError             **error);
/* The host name in an autoconfig document, or NULL (exposed for tests). */
char             *hes_dns_plan_source_host_from_autoconfig (const char          *xml);

G_END_DECLS
