/* hes-dns-finding.c: validator results */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-finding.h"

static void
finding_clear (HesDnsFinding *f)
{
  g_free (f->explanation);
  g_free (f->fix);
  g_ptr_array_unref (f->found);
}

HesDnsFinding *
hes_dns_finding_new (HesDnsVerdict  verdict,
                     const char    *explanation,
                     const char    *fix)
{
  HesDnsFinding *f = g_atomic_rc_box_new0 (HesDnsFinding);

  f->verdict = verdict;
  f->explanation = g_strdup (explanation);
  f->fix = g_strdup (fix);
  f->found = g_ptr_array_new_with_free_func (g_free);
  f->visible_in_s = -1;
  return f;
}

HesDnsFinding *
hes_dns_finding_ref (HesDnsFinding *finding)
{
  return g_atomic_rc_box_acquire (finding);
}

void
hes_dns_finding_unref (HesDnsFinding *finding)
{
  g_atomic_rc_box_release_full (finding, (GDestroyNotify) finding_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsFinding, hes_dns_finding, hes_dns_finding_ref, hes_dns_finding_unref)

void
hes_dns_finding_add_found (HesDnsFinding *finding,
                           const char    *value)
{
  g_ptr_array_add (finding->found, g_strdup (value));
}

void
hes_dns_finding_set_fix (HesDnsFinding *finding,
                         const char    *fix)
{
  g_free (finding->fix);
  finding->fix = g_strdup (fix);
}

void
hes_dns_finding_set_explanation (HesDnsFinding *finding,
                                 const char    *explanation)
{
  g_free (finding->explanation);
  finding->explanation = g_strdup (explanation);
}

const char *
hes_dns_verdict_to_string (HesDnsVerdict verdict)
{
  switch (verdict)
    {
    case HES_DNS_VERDICT_OK: return "ok";
    case HES_DNS_VERDICT_PENDING: return "pending";
    case HES_DNS_VERDICT_MISSING: return "missing";
    case HES_DNS_VERDICT_WRONG: return "wrong";
    case HES_DNS_VERDICT_UNKNOWN:
    default: return "unknown";
    }
}
