/* hes-dns-wire.c: DNS response parsing on glibc's ns_* parser */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <resolv.h>

#include "hes-dns-name.h"
#include "hes-dns-wire.h"

typedef struct {
  const guint8 *msg;
  const guint8 *eom;
  const guint8 *rdata;
  gsize         rdlen;
} RdataCursor;

static gboolean
read_name (const RdataCursor *c,
           const guint8      *at,
           char             **out,
           const guint8     **next)
{
  char buf[NS_MAXDNAME];
  int n;

  if (at >= c->rdata + c->rdlen)
    return FALSE;
  n = dn_expand (c->msg, c->eom, at, buf, sizeof buf);
  if (n < 0 || at + n > c->rdata + c->rdlen)
    return FALSE;
  *out = g_ascii_strdown (buf, -1);
  if (next)
    *next = at + n;
  return TRUE;
}

static gboolean
parse_txt (const RdataCursor *c,
           HesDnsRr          *rr)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  gsize pos = 0;

  while (pos < c->rdlen)
    {
      gsize len = c->rdata[pos];

      if (pos + 1 + len > c->rdlen)
        return FALSE;
      g_ptr_array_add (strings, g_strndup ((const char *) c->rdata + pos + 1, len));
      pos += 1 + len;
    }
  g_ptr_array_add (strings, NULL);
  hes_dns_rr_set_strings (rr, (const char * const *) strings->pdata);
  return TRUE;
}

static gboolean
parse_rdata (const RdataCursor *c,
             HesDnsRr          *rr)
{
  const guint8 *p = c->rdata;
  char text[INET6_ADDRSTRLEN];

  switch (rr->type)
    {
    case HES_DNS_TYPE_A:
      if (c->rdlen != 4 || inet_ntop (AF_INET, p, text, sizeof text) == NULL)
        return FALSE;
      rr->address = g_strdup (text);
      return TRUE;
    case HES_DNS_TYPE_AAAA:
      if (c->rdlen != 16 || inet_ntop (AF_INET6, p, text, sizeof text) == NULL)
        return FALSE;
      rr->address = g_strdup (text);
      return TRUE;
    case HES_DNS_TYPE_CNAME:
    case HES_DNS_TYPE_NS:
      return read_name (c, p, &rr->target, NULL);
    case HES_DNS_TYPE_MX:
      if (c->rdlen < 3)
        return FALSE;
      rr->priority = ns_get16 (p);
      return read_name (c, p + 2, &rr->target, NULL);
    case HES_DNS_TYPE_SRV:
      if (c->rdlen < 7)
        return FALSE;
      rr->priority = ns_get16 (p);
      rr->weight = ns_get16 (p + 2);
      rr->port = ns_get16 (p + 4);
      return read_name (c, p + 6, &rr->target, NULL);
    case HES_DNS_TYPE_TXT:
      return parse_txt (c, rr);
    case HES_DNS_TYPE_SOA:
      {
        g_autofree char *rname = NULL;
        const guint8 *next = NULL;

        if (!read_name (c, p, &rr->target, &next) || !read_name (c, next, &rname, &next))
          return FALSE;
        if (next + 20 != c->rdata + c->rdlen)
          return FALSE;
        rr->serial = ns_get32 (next);
        rr->minimum = ns_get32 (next + 16);
        return TRUE;
      }
    default:
      return TRUE;  /* kept with its owner and TTL only */
    }
}

static gboolean
parse_section (ns_msg      *handle,
               ns_sect      section,
               GPtrArray   *into)
{
  int count = ns_msg_count (*handle, section);

  for (int i = 0; i < count; i++)
    {
      ns_rr record;
      RdataCursor c;
      g_autofree char *name = NULL;
      g_autoptr(HesDnsRr) rr = NULL;

      if (ns_parserr (handle, section, i, &record) < 0)
        return FALSE;
      if (ns_rr_class (record) != ns_c_in)
        continue;
      name = hes_dns_name_normalise (ns_rr_name (record));
      if (name == NULL)
        name = g_ascii_strdown (ns_rr_name (record), -1);
      rr = hes_dns_rr_new (name, (HesDnsType) ns_rr_type (record), ns_rr_ttl (record));
      c.msg = ns_msg_base (*handle);
      c.eom = ns_msg_end (*handle);
      c.rdata = ns_rr_rdata (record);
      c.rdlen = ns_rr_rdlen (record);
      if (!parse_rdata (&c, rr))
        return FALSE;
      g_ptr_array_add (into, g_steal_pointer (&rr));
    }
  return TRUE;
}

HesDnsAnswer *
hes_dns_wire_parse (const guint8 *message,
                    gsize         length,
                    GError      **error)
{
  ns_msg handle;
  g_autoptr(HesDnsAnswer) answer = NULL;

  if (length > G_MAXUINT16 || ns_initparse (message, (int) length, &handle) < 0)
    goto malformed;
  answer = hes_dns_answer_new ((HesDnsRcode) ns_msg_getflag (handle, ns_f_rcode),
                               ns_msg_getflag (handle, ns_f_aa) != 0);
  if (!parse_section (&handle, ns_s_an, answer->records) ||
      !parse_section (&handle, ns_s_ns, answer->authority))
    goto malformed;

  /* RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA MINIMUM). */
  for (guint i = 0; i < answer->authority->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->authority, i);

      if (rr->type == HES_DNS_TYPE_SOA)
        answer->negative_ttl = MIN (rr->ttl, rr->minimum);
    }
  return g_steal_pointer (&answer);

malformed:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The DNS server sent an answer that cannot be read; try again later."));
  return NULL;
}
