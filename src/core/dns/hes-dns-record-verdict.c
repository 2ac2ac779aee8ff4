/* hes-dns-record-verdict.c: the verdict on one record of a check */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-cname.h"
#include "hes-dns-dkim.h"
#include "hes-dns-dmarc.h"
#include "hes-dns-mx.h"
#include "hes-dns-name.h"
#include "hes-dns-record-verdict.h"
#include "hes-dns-spf.h"
#include "hes-dns-srv.h"

static HesDnsFinding *
unknown_finding (const HesDnsLookup *l)
{
  const char *text;

  if (l->error && g_error_matches (l->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    text = _("This record could not be checked because the DNS server did not answer in time; try again later.");
  else if (l->answer && l->answer->rcode == HES_DNS_RCODE_SERVFAIL)
    text = _("This record could not be checked because the DNS server reported a failure; if it lasts, ask your DNS host.");
  else if (l->answer && l->answer->rcode == HES_DNS_RCODE_REFUSED)
    text = _("This record could not be checked because the DNS server refused to answer; try again later.");
  else
    text = _("This record could not be checked; try again later.");
  return hes_dns_finding_new (HES_DNS_VERDICT_UNKNOWN, text, NULL);
}

static HesDnsFinding *
check_mx (const HesDnsCheckState    *state,
          const HesDnsPlannedRecord *r,
          const HesDnsAnswer        *answer)
{
  g_autoptr(GPtrArray) mx = hes_dns_answer_filter (answer, HES_DNS_TYPE_MX);
  g_autofree HesDnsMxTarget *targets = g_new0 (HesDnsMxTarget, mx->len + 1);

  for (guint i = 0; i < mx->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (mx, i);
      HesDnsTargetLookups *t = rr->target ? g_hash_table_lookup (state->targets, rr->target) : NULL;

      targets[i].target = rr->target ? rr->target : "";
      targets[i].preference = rr->priority;
      if (t && t->a.answer)
        {
          g_autoptr(GPtrArray) cname = hes_dns_answer_filter (t->a.answer, HES_DNS_TYPE_CNAME);

          targets[i].is_alias = cname->len > 0;
          targets[i].no_address = hes_dns_lookup_usable (&t->a) && hes_dns_lookup_usable (&t->aaaa) &&
                                  hes_dns_answer_is_negative (t->a.answer, HES_DNS_TYPE_A) &&
                                  hes_dns_answer_is_negative (t->aaaa.answer, HES_DNS_TYPE_AAAA);
        }
    }
  return hes_dns_mx_check (targets, mx->len, hes_dns_record_plan_get_mail_host (state->plan),
                           hes_dns_record_plan_get_domain (state->plan), r->priority);
}

static HesDnsFinding *
check_txt (const HesDnsCheckState    *state,
           const HesDnsPlannedRecord *r,
           const HesDnsAnswer        *answer,
           GHashTable                *spf_evaluations)
{
  g_auto(GStrv) texts = hes_dns_answer_txt_texts (answer, r->full_name);

  if (r->kind == HES_DNS_RECORD_KIND_SPF)
    {
      const HesDnsSpfEvaluation *ev = NULL;

      for (guint i = 0; texts[i]; i++)
        if (hes_dns_spf_is_spf (texts[i]))
          {
            HesDnsSpfSlot *slot = g_hash_table_lookup (spf_evaluations, texts[i]);

            ev = slot ? slot->evaluation : NULL;
          }
      return hes_dns_spf_check ((const char * const *) texts, ev, r->value);
    }
  if (r->kind == HES_DNS_RECORD_KIND_DKIM)
    return hes_dns_dkim_check ((const char * const *) texts,
                               hes_dns_record_plan_get_dkim_key (state->plan), r->value);
  if (r->kind == HES_DNS_RECORD_KIND_DMARC)
    return hes_dns_dmarc_check ((const char * const *) texts, r->value);
  return NULL;
}

/* The finding for @r from one view: @main (and @aaaa for aliases); an SPF policy is judged
 * by the evaluation in @spf_evaluations, made with that same view's MX. */
static HesDnsFinding *
check_view (const HesDnsCheckState    *state,
            const HesDnsPlannedRecord *r,
            const HesDnsLookup        *main,
            const HesDnsLookup        *aaaa,
            GHashTable                *spf_evaluations)
{
  const char *host = hes_dns_record_plan_get_mail_host (state->plan);
  const char *domain = hes_dns_record_plan_get_domain (state->plan);
  HesDnsFinding *f = NULL;

  if (!hes_dns_lookup_usable (main))
    return unknown_finding (main);
  switch (r->type)
    {
    case HES_DNS_TYPE_MX:
      return check_mx (state, r, main->answer);
    case HES_DNS_TYPE_SRV:
      {
        g_autoptr(GPtrArray) srv = hes_dns_answer_filter (main->answer, HES_DNS_TYPE_SRV);
        g_autofree char *expected = hes_dns_planned_record_format_value (r);

        return hes_dns_srv_check (srv, host, r->port, domain, expected);
      }
    case HES_DNS_TYPE_CNAME:
      {
        g_auto(GStrv) addresses = hes_dns_check_state_host_addresses (state);

        if (aaaa && aaaa->done && !hes_dns_lookup_usable (aaaa))
          return unknown_finding (aaaa);
        return hes_dns_cname_check (r->full_name, main->answer, aaaa ? aaaa->answer : NULL,
                                    (const char * const *) addresses, host, domain);
      }
    case HES_DNS_TYPE_TXT:
      f = check_txt (state, r, main->answer, spf_evaluations);
      break;
    default:
      break;
    }
  return f ? f : unknown_finding (main);
}

HesDnsFinding *
hes_dns_record_verdict_local (const HesDnsCheckState *state,
                              guint                   index)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);
  const HesDnsLookup *local = hes_dns_check_state_local (state, index);

  return check_view (state, r, &local[0], r->type == HES_DNS_TYPE_CNAME ? &local[1] : NULL,
                     state->spf);
}

gint
hes_dns_record_verdict_mx_index (const HesDnsCheckState *state)
{
  for (guint i = 0; i < state->n_records; i++)
    if (hes_dns_record_plan_get_record (state->plan, i)->type == HES_DNS_TYPE_MX)
      return (gint) i;
  return -1;
}

/* TRUE when server @s already gives the planned mail host as an MX of the domain. */
static gboolean
server_mx_is_planned (const HesDnsCheckState *state,
                      guint                   s)
{
  gint mx_index = hes_dns_record_verdict_mx_index (state);
  const HesDnsLookup *l;
  g_autoptr(GPtrArray) mx = NULL;

  if (mx_index < 0)
    return FALSE;
  l = hes_dns_check_state_at_server (state, s, (guint) mx_index);
  if (!hes_dns_lookup_usable (l) || l->answer == NULL || !l->answer->aa)
    return FALSE;
  mx = hes_dns_answer_filter (l->answer, HES_DNS_TYPE_MX);
  for (guint m = 0; m < mx->len; m++)
    if (hes_dns_name_equal (((HesDnsRr *) g_ptr_array_index (mx, m))->target,
                            hes_dns_record_plan_get_mail_host (state->plan)))
      return TRUE;
  return FALSE;
}

HesDnsFinding *
hes_dns_record_verdict_authoritative (const HesDnsCheckState *state,
                                      guint                   index)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);
  HesDnsFinding *combined = NULL;

  for (guint s = 0; s < state->servers->len; s++)
    {
      const HesDnsLookup *l = hes_dns_check_state_at_server (state, s, index);
      HesDnsFinding *f;

      if (l[0].answer == NULL || !l[0].answer->aa)
        continue;
      /* The server's SPF policy goes with the server's MX, not with the old one this
       * computer's resolver may still hold: where the server has the planned MX, the policy
       * is judged by its evaluation with that MX. */
      f = check_view (state, r, &l[0], r->type == HES_DNS_TYPE_CNAME ? &l[1] : NULL,
                      server_mx_is_planned (state, s) ? state->spf_assumed : state->spf);
      if (combined == NULL || (combined->verdict == HES_DNS_VERDICT_OK && f->verdict != HES_DNS_VERDICT_OK))
        {
          g_clear_pointer (&combined, hes_dns_finding_unref);
          combined = f;
        }
      else
        hes_dns_finding_unref (f);
    }
  return combined;
}

static HesDnsFinding *
pending_finding (const HesDnsFinding *auth,
                 const HesDnsLookup  *local,
                 HesDnsType           type)
{
  HesDnsFinding *f = hes_dns_finding_new (HES_DNS_VERDICT_PENDING, NULL, NULL);
  gint64 ttl = hes_dns_answer_get_cache_ttl (local->answer, type);

  f->visible_in_s = ttl;
  if (ttl >= 0)
    {
      guint minutes = (guint) ((ttl + 59) / 60);
      g_autofree char *text =
        /* Translators: %u is a number of minutes */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "This record is right at your DNS host but this computer still sees the old one; it will be visible here within %u minute.",
                                      "This record is right at your DNS host but this computer still sees the old one; it will be visible here within %u minutes.",
                                      minutes), minutes);

      hes_dns_finding_set_explanation (f, text);
    }
  else
    hes_dns_finding_set_explanation (f, _("This record is right at your DNS host but this computer still sees the old one; it will be visible here soon."));
  for (guint i = 0; i < auth->found->len; i++)
    hes_dns_finding_add_found (f, g_ptr_array_index (auth->found, i));
  return f;
}

static gboolean all_pass (const HesDnsSpfSlot *slot);

static gboolean
local_spf_waits_for_mx (const HesDnsCheckState *state,
                        guint                   index,
                        const HesDnsFinding    *local)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);
  g_autofree char *policy = NULL;

  if (!hes_dns_record_verdict_spf_needs_mx (state, index, local))
    return FALSE;
  policy = hes_dns_answer_single_spf (hes_dns_check_state_local (state, index)->answer,
                                      r->full_name);
  return all_pass (g_hash_table_lookup (state->spf_assumed, policy));
}

HesDnsFinding *
hes_dns_record_verdict_decide (const HesDnsCheckState *state,
                               guint                   index,
                               HesDnsFinding          *local,
                               HesDnsFinding          *auth)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);

  if (local->verdict == HES_DNS_VERDICT_OK || auth == NULL)
    return hes_dns_finding_ref (local);
  /* The policy this computer sees is already the right one and waits only for the MX:
   * hes_dns_record_verdict_relate_spf_to_mx() says so. */
  if (auth->verdict == HES_DNS_VERDICT_OK && local_spf_waits_for_mx (state, index, local))
    return hes_dns_finding_ref (local);
  if (auth->verdict == HES_DNS_VERDICT_OK && local->verdict != HES_DNS_VERDICT_UNKNOWN)
    return pending_finding (auth, hes_dns_check_state_local (state, index),
                            hes_dns_planned_record_query_type (r));
  /* This computer's resolver failed: the domain's own servers still give a real answer. */
  if (local->verdict == HES_DNS_VERDICT_UNKNOWN && auth->verdict != HES_DNS_VERDICT_UNKNOWN)
    return hes_dns_finding_ref (auth);
  return hes_dns_finding_ref (local);
}

static gboolean
all_pass (const HesDnsSpfSlot *slot)
{
  const HesDnsSpfEvaluation *ev = slot ? slot->evaluation : NULL;

  if (ev == NULL || ev->results->len == 0)
    return FALSE;
  for (guint i = 0; i < ev->results->len; i++)
    if (g_array_index (ev->results, HesDnsSpfResult, i) != HES_DNS_SPF_RESULT_PASS)
      return FALSE;
  return TRUE;
}

gboolean
hes_dns_record_verdict_spf_needs_mx (const HesDnsCheckState *state,
                                     guint                   index,
                                     const HesDnsFinding    *spf)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);
  g_autofree char *policy = NULL;

  gboolean has_mx = FALSE;

  for (guint i = 0; i < state->n_records; i++)
    has_mx = has_mx || hes_dns_record_plan_get_record (state->plan, i)->type == HES_DNS_TYPE_MX;
  if (r->kind != HES_DNS_RECORD_KIND_SPF || spf->verdict != HES_DNS_VERDICT_WRONG || !has_mx)
    return FALSE;
  policy = hes_dns_answer_single_spf (hes_dns_check_state_local (state, index)->answer,
                                      r->full_name);
  return policy != NULL && !all_pass (g_hash_table_lookup (state->spf, policy));
}

/* An SPF policy that authorises the mail host through `mx` fails for as long as the MX record
 * is not right. Say so instead of proposing the same policy again. */
HesDnsFinding *
hes_dns_record_verdict_relate_spf_to_mx (const HesDnsCheckState *state,
                                         guint                   index,
                                         HesDnsFinding          *spf,
                                         const HesDnsFinding    *mx)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, index);
  g_autofree char *policy = NULL;

  if (mx == NULL || !hes_dns_record_verdict_spf_needs_mx (state, index, spf))
    return hes_dns_finding_ref (spf);
  policy = hes_dns_answer_single_spf (hes_dns_check_state_local (state, index)->answer,
                                      r->full_name);
  if (!all_pass (g_hash_table_lookup (state->spf_assumed, policy)))
    return hes_dns_finding_ref (spf);
  if (mx->verdict == HES_DNS_VERDICT_PENDING)
    {
      HesDnsFinding *pending = hes_dns_finding_new (HES_DNS_VERDICT_PENDING,
        _("This record is right; it takes effect once the new MX record is visible here."), NULL);

      pending->visible_in_s = mx->visible_in_s;
      for (guint i = 0; i < spf->found->len; i++)
        hes_dns_finding_add_found (pending, g_ptr_array_index (spf->found, i));
      return pending;
    }
  hes_dns_finding_set_explanation (spf,
    _("This record is right, but it relies on your MX record, which is not right yet: fix the MX record first."));
  hes_dns_finding_set_fix (spf, NULL);
  return hes_dns_finding_ref (spf);
}
