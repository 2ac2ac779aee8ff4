/* hes-dns-answer.c: DNS answers and records */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-answer.h"

static void
rr_clear (HesDnsRr *rr)
{
  g_free (rr->name);
  g_free (rr->target);
  g_strfreev (rr->strings);
  g_free (rr->text);
  g_free (rr->address);
}

HesDnsRr *
hes_dns_rr_new (const char *name,
                HesDnsType  type,
                guint32     ttl)
{
  HesDnsRr *rr = g_atomic_rc_box_new0 (HesDnsRr);

  rr->name = g_strdup (name);
  rr->type = type;
  rr->ttl = ttl;
  return rr;
}

HesDnsRr *
hes_dns_rr_ref (HesDnsRr *rr)
{
  return g_atomic_rc_box_acquire (rr);
}

void
hes_dns_rr_unref (HesDnsRr *rr)
{
  g_atomic_rc_box_release_full (rr, (GDestroyNotify) rr_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsRr, hes_dns_rr, hes_dns_rr_ref, hes_dns_rr_unref)

void
hes_dns_rr_set_strings (HesDnsRr           *rr,
                        const char * const *strings)
{
  g_strfreev (rr->strings);
  g_free (rr->text);
  rr->strings = g_strdupv ((char **) strings);
  rr->text = g_strjoinv ("", rr->strings);
}

static void
append_quoted (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\%03u", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

char *
hes_dns_rr_format_rdata (const HesDnsRr *rr)
{
  GString *out = g_string_new (NULL);

  switch (rr->type)
    {
    case HES_DNS_TYPE_A:
    case HES_DNS_TYPE_AAAA:
      g_string_append (out, rr->address ? rr->address : "");
      break;
    case HES_DNS_TYPE_MX:
      g_string_append_printf (out, "%u %s.", rr->priority, rr->target ? rr->target : "");
      break;
    case HES_DNS_TYPE_SRV:
      g_string_append_printf (out, "%u %u %u %s.", rr->priority, rr->weight, rr->port,
                              rr->target ? rr->target : "");
      break;
    case HES_DNS_TYPE_TXT:
      for (guint i = 0; rr->strings && rr->strings[i]; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          append_quoted (out, rr->strings[i]);
        }
      break;
    case HES_DNS_TYPE_SOA:
      g_string_append_printf (out, "%s. %u %u", rr->target ? rr->target : "", rr->serial,
                              rr->minimum);
      break;
    case HES_DNS_TYPE_CNAME:
    case HES_DNS_TYPE_NS:
    default:
      g_string_append_printf (out, "%s.", rr->target ? rr->target : "");
      break;
    }
  return g_string_free (out, FALSE);
}

static void
answer_clear (HesDnsAnswer *answer)
{
  g_ptr_array_unref (answer->records);
  g_ptr_array_unref (answer->authority);
}

HesDnsAnswer *
hes_dns_answer_new (HesDnsRcode rcode,
                    gboolean    aa)
{
  HesDnsAnswer *answer = g_atomic_rc_box_new0 (HesDnsAnswer);

  answer->rcode = rcode;
  answer->aa = aa;
  answer->records = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_rr_unref);
  answer->authority = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_rr_unref);
  answer->negative_ttl = -1;
  return answer;
}

HesDnsAnswer *
hes_dns_answer_ref (HesDnsAnswer *answer)
{
  return g_atomic_rc_box_acquire (answer);
}

void
hes_dns_answer_unref (HesDnsAnswer *answer)
{
  if (answer == NULL)
    return;
  g_atomic_rc_box_release_full (answer, (GDestroyNotify) answer_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsAnswer, hes_dns_answer, hes_dns_answer_ref, hes_dns_answer_unref)

GPtrArray *
hes_dns_answer_filter (const HesDnsAnswer *answer,
                       HesDnsType          type)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == type)
        g_ptr_array_add (out, rr);
    }
  return out;
}

gboolean
hes_dns_answer_is_negative (const HesDnsAnswer *answer,
                            HesDnsType          type)
{
  g_autoptr(GPtrArray) found = NULL;

  if (answer->rcode == HES_DNS_RCODE_NXDOMAIN)
    return TRUE;
  if (answer->rcode != HES_DNS_RCODE_NOERROR && answer->rcode != HES_DNS_RCODE_UNKNOWN)
    return FALSE;
  found = hes_dns_answer_filter (answer, type);
  return found->len == 0;
}

gint64
hes_dns_answer_get_cache_ttl (const HesDnsAnswer *answer,
                              HesDnsType          type)
{
  gint64 best = -1;

  for (guint i = 0; i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->ttl == G_MAXUINT32)
        continue;
      if (rr->type == type || rr->type == HES_DNS_TYPE_CNAME)
        best = best < 0 ? rr->ttl : MIN (best, (gint64) rr->ttl);
    }
  if (best >= 0)
    return best;
  return answer->negative_ttl;
}

const char *
hes_dns_type_to_string (HesDnsType type)
{
  switch (type)
    {
    case HES_DNS_TYPE_A: return "A";
    case HES_DNS_TYPE_NS: return "NS";
    case HES_DNS_TYPE_CNAME: return "CNAME";
    case HES_DNS_TYPE_SOA: return "SOA";
    case HES_DNS_TYPE_MX: return "MX";
    case HES_DNS_TYPE_TXT: return "TXT";
    case HES_DNS_TYPE_AAAA: return "AAAA";
    case HES_DNS_TYPE_SRV: return "SRV";
    default: return "TYPE?";
    }
}

const char *
hes_dns_rcode_to_string (HesDnsRcode rcode)
{
  switch (rcode)
    {
    case HES_DNS_RCODE_NOERROR: return "NOERROR";
    case HES_DNS_RCODE_FORMERR: return "FORMERR";
    case HES_DNS_RCODE_SERVFAIL: return "SERVFAIL";
    case HES_DNS_RCODE_NXDOMAIN: return "NXDOMAIN";
    case HES_DNS_RCODE_NOTIMP: return "NOTIMP";
    case HES_DNS_RCODE_REFUSED: return "REFUSED";
    case HES_DNS_RCODE_UNKNOWN:
    default: return "UNKNOWN";
    }
}
