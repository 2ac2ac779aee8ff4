/* hes-dns-record-plan.h: the DNS records a customer domain needs.
 *
 * Built from the provider profile's [DnsPlan] and [DnsRecord *] groups (resource
 * RESOURCE_PREFIX/core/provider/hosterra.profile), the mail host H, the customer's domain D and
 * the domain's DKIM selector and record (or only the selector, or only the public key).
 * Names are normalised (IDN → ASCII, lower case, no trailing dot).
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-answer.h"

G_BEGIN_DECLS

typedef enum {
  HES_DNS_RECORD_KIND_PLAIN,
  HES_DNS_RECORD_KIND_SPF,
  HES_DNS_RECORD_KIND_DKIM,
  HES_DNS_RECORD_KIND_DMARC,
} HesDnsRecordKind;

typedef struct {
  char            *id;          /* "mx", "spf", "srv-imaps", … */
  HesDnsType       type;
  HesDnsRecordKind kind;
  char            *name;        /* relative to the domain: "@", "_dmarc", "dkim._domainkey" */
  char            *full_name;   /* "_dmarc.kunde.example" */
  char            *target;      /* MX/CNAME/SRV target (H), else NULL */
  char            *value;       /* TXT text; NULL for a DKIM record not known yet */
  guint16          priority;
  guint16          weight;
  guint16          port;
  guint32          ttl;
  gboolean         required;
  char            *purpose;     /* one translated line: what the record is for */
} HesDnsPlannedRecord;

#define HES_TYPE_DNS_PLANNED_RECORD (hes_dns_planned_record_get_type ())
GType                hes_dns_planned_record_get_type (void) G_GNUC_CONST;
HesDnsPlannedRecord *hes_dns_planned_record_ref      (HesDnsPlannedRecord *record);
void                 hes_dns_planned_record_unref    (HesDnsPlannedRecord *record);
/* The expected value as a DNS host's web form wants it ("10 mail.h.example", "0 1 443 …"). */
char                *hes_dns_planned_record_format_value (const HesDnsPlannedRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsPlannedRecord, hes_dns_planned_record_unref)

#define HES_TYPE_DNS_RECORD_PLAN (hes_dns_record_plan_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsRecordPlan, hes_dns_record_plan, HES, DNS_RECORD_PLAN, GObject)

/* @dkim_selector: NULL for "dkim". @dkim_record: the TXT text from the server
 * ("v=DKIM1;k=rsa;…;p=…", possibly as quoted 255-byte chunks), or NULL. @dkim_key: the p= value
 * alone when the record is not known, or NULL. Fails with G_IO_ERROR_INVALID_ARGUMENT and a
 * translated sentence when the domain or the host is not a valid name. */
HesDnsRecordPlan *hes_dns_record_plan_new              (const char        *domain,
                                                        const char        *mail_host,
                                                        const char        *dkim_selector,
                                                        const char        *dkim_record,
                                                        const char        *dkim_key,
                                                        GError           **error);
HesDnsRecordPlan *hes_dns_record_plan_new_from_keyfile (GKeyFile          *profile,
                                                        const char        *domain,
                                                        const char        *mail_host,
                                                        const char        *dkim_selector,
                                                        const char        *dkim_record,
                                                        const char        *dkim_key,
                                                        GError           **error);
const char       *hes_dns_record_plan_get_domain       (HesDnsRecordPlan  *self);
const char       *hes_dns_record_plan_get_mail_host    (HesDnsRecordPlan  *self);
const char       *hes_dns_record_plan_get_dkim_selector (HesDnsRecordPlan *self);
/* The expected DKIM public key (base64 of the SubjectPublicKeyInfo), or NULL. */
const char       *hes_dns_record_plan_get_dkim_key     (HesDnsRecordPlan  *self);
guint32           hes_dns_record_plan_get_default_ttl  (HesDnsRecordPlan  *self);
guint             hes_dns_record_plan_get_n_records    (HesDnsRecordPlan  *self);
HesDnsPlannedRecord *hes_dns_record_plan_get_record    (HesDnsRecordPlan  *self,
                                                        guint              index);
HesDnsPlannedRecord *hes_dns_record_plan_find          (HesDnsRecordPlan  *self,
                                                        const char        *id);

G_END_DECLS
