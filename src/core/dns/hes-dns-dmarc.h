/* hes-dns-dmarc.h: DMARC policy records (RFC 7489).
 *
 * Exactly one TXT record starting with v=DMARC1 at _dmarc.<domain> (two or more: no policy
 * applies, §6.6.3); tag syntax; p= none|quarantine|reject (none works but protects nothing,
 * so it is flagged as weak); rua/ruf are mailto: URIs.
 */
#pragma once

#include <glib.h>

#include "hes-dns-finding.h"

G_BEGIN_DECLS

typedef struct {
  GHashTable *tags;
  char       *policy;   /* p= */
} HesDnsDmarcRecord;

HesDnsDmarcRecord *hes_dns_dmarc_parse       (const char         *text,
                                              GError            **error);
void               hes_dns_dmarc_record_free (HesDnsDmarcRecord  *record);
/* TRUE when @text starts with "v=DMARC1" (then ';', space or end). */
gboolean           hes_dns_dmarc_is_dmarc    (const char         *text);
/* @texts: joined text of every TXT record at _dmarc.<domain>. @suggested: the record to
 * propose when something is missing or wrong. */
HesDnsFinding     *hes_dns_dmarc_check       (const char * const *texts,
                                              const char         *suggested);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsDmarcRecord, hes_dns_dmarc_record_free)

G_END_DECLS
