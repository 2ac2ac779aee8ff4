/* hes-dns-answer.h: one DNS answer as the checker needs it.
 *
 * Records carry their TTL and parsed rdata; the answer carries the rcode (HES_DNS_RCODE_UNKNOWN
 * when the backend cannot tell, as with GResolver), the AA flag and the negative TTL from the
 * authority SOA (RFC 2308 §5). Names are normalised: ASCII (IDNA), lower case, no trailing dot;
 * the root is "".
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_DNS_TYPE_A = 1,
  HES_DNS_TYPE_NS = 2,
  HES_DNS_TYPE_CNAME = 5,
  HES_DNS_TYPE_SOA = 6,
  HES_DNS_TYPE_MX = 15,
  HES_DNS_TYPE_TXT = 16,
  HES_DNS_TYPE_AAAA = 28,
  HES_DNS_TYPE_SRV = 33,
} HesDnsType;

typedef enum {
  HES_DNS_RCODE_UNKNOWN = -1,
  HES_DNS_RCODE_NOERROR = 0,
  HES_DNS_RCODE_FORMERR = 1,
  HES_DNS_RCODE_SERVFAIL = 2,
  HES_DNS_RCODE_NXDOMAIN = 3,
  HES_DNS_RCODE_NOTIMP = 4,
  HES_DNS_RCODE_REFUSED = 5,
} HesDnsRcode;

typedef struct {
  char       *name;      /* owner, normalised */
  HesDnsType  type;
  guint32     ttl;       /* G_MAXUINT32 when the backend does not know it */
  char       *target;    /* MX exchange, SRV target, CNAME/NS target, SOA mname */
  guint16     priority;  /* MX preference, SRV priority */
  guint16     weight;
  guint16     port;
  char      **strings;   /* TXT character-strings, in wire order */
  char       *text;      /* TXT strings joined with no separator (RFC 7208 §3.3) */
  char       *address;   /* A / AAAA as text */
  guint32     serial;    /* SOA */
  guint32     minimum;   /* SOA */
} HesDnsRr;

typedef struct {
  HesDnsRcode rcode;
  gboolean    aa;
  GPtrArray  *records;      /* HesDnsRr, answer section */
  GPtrArray  *authority;    /* HesDnsRr, authority section (SOA/NS) */
  gint64      negative_ttl; /* -1 when unknown */
} HesDnsAnswer;

#define HES_TYPE_DNS_ANSWER (hes_dns_answer_get_type ())
#define HES_TYPE_DNS_RR (hes_dns_rr_get_type ())

GType         hes_dns_rr_get_type       (void) G_GNUC_CONST;
HesDnsRr     *hes_dns_rr_new            (const char *name, HesDnsType type, guint32 ttl);
HesDnsRr     *hes_dns_rr_ref            (HesDnsRr *rr);
void          hes_dns_rr_unref          (HesDnsRr *rr);
void          hes_dns_rr_set_strings    (HesDnsRr *rr, const char * const *strings);
/* Presentation of the rdata ("10 mail.example.", "\"v=spf1 …\"", "0 1 443 host."). */
char         *hes_dns_rr_format_rdata   (const HesDnsRr *rr);

GType         hes_dns_answer_get_type   (void) G_GNUC_CONST;
HesDnsAnswer *hes_dns_answer_new        (HesDnsRcode rcode, gboolean aa);
HesDnsAnswer *hes_dns_answer_ref        (HesDnsAnswer *answer);
void          hes_dns_answer_unref      (HesDnsAnswer *answer);
/* Records of @type in the answer section (borrowed, in order); never NULL. */
GPtrArray    *hes_dns_answer_filter     (const HesDnsAnswer *answer, HesDnsType type);
/* TRUE when the name exists but holds no record of the asked type, or does not exist. */
gboolean      hes_dns_answer_is_negative (const HesDnsAnswer *answer, HesDnsType type);
/* Seconds until a cache that handed out this answer must ask again: the smallest record TTL of
 * @type, else the negative TTL; -1 when unknown. */
gint64        hes_dns_answer_get_cache_ttl (const HesDnsAnswer *answer, HesDnsType type);

const char   *hes_dns_type_to_string    (HesDnsType type);
const char   *hes_dns_rcode_to_string   (HesDnsRcode rcode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsRr, hes_dns_rr_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesDnsAnswer, hes_dns_answer_unref)

G_END_DECLS
