/* hes-dns-export.h: the record plan as files the customer can import or read.
 *
 * zone: a BIND zone fragment ($ORIGIN, $TTL, a TTL per record, MX preference, SRV
 * priority/weight/port, TXT quoted and split into strings of at most 255 bytes, targets with
 * trailing dots) that Knot and BIND load as is. csv: one record per line (RFC 4180 quoting).
 * text: a readable list with what each record is for. A DKIM record that is not known yet is
 * left out of the zone as a comment.
 */
#pragma once

#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

char *hes_dns_export_zone (HesDnsRecordPlan *plan);
char *hes_dns_export_csv  (HesDnsRecordPlan *plan);
char *hes_dns_export_text (HesDnsRecordPlan *plan);
/* A TXT value in zone-file form: "…" "…" with each string ≤ 255 bytes. */
char *hes_dns_export_quote_txt (const char *value);

G_END_DECLS
