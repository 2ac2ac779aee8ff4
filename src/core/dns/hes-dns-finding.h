/* hes-dns-finding.h: what a validator concludes about one record.
 *
 * A verdict, one translated sentence that says what was found, an exact fix when there is one
 * (translated, or a record value to paste), and the values found, as text.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_DNS_VERDICT_OK,
  HES_DNS_VERDICT_PENDING,
  HES_DNS_VERDICT_MISSING,
  HES_DNS_VERDICT_WRONG,
  HES_DNS_VERDICT_UNKNOWN,
} HesDnsVerdict;

typedef struct {
  HesDnsVerdict verdict;
  gboolean      weak;          /* ok, but could be better (e.g. DMARC p=none, SPF ?all) */
  char         *explanation;   /* one sentence, translated; NULL for a plain ok */
  char         *fix;           /* exact fix, or NULL */
  GPtrArray    *found;         /* char *: the values found */
  gint64        visible_in_s;  /* pending only: seconds until the local resolver sees it; else -1 */
} HesDnsFinding;

#define HES_TYPE_DNS_FINDING (hes_dns_finding_get_type ())
GType          hes_dns_finding_get_type   (void) G_GNUC_CONST;
HesDnsFinding *hes_dns_finding_new        (HesDnsVerdict  verdict,
                                           const char    *explanation,
                                           const char    *fix);
HesDnsFinding *hes_dns_finding_ref        (HesDnsFinding *finding);
void           hes_dns_finding_unref      (HesDnsFinding *finding);
void           hes_dns_finding_add_found  (HesDnsFinding *finding,
                                           const char    *value);
void           hes_dns_finding_set_fix    (HesDnsFinding *finding,
                                           const char    *fix);
void           hes_dns_finding_set_explanation (HesDnsFinding *finding,
                                                const char    *explanation);
/* "ok", "pending", "missing", "wrong", "unknown" */
const char    *hes_dns_verdict_to_string  (HesDnsVerdict  verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsFinding, hes_dns_finding_unref)

G_END_DECLS
