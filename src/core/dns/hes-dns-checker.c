/* hes-dns-checker.c: the DNS check of a record plan */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-checker.h"
#include "hes-dns-cname.h"
#include "hes-dns-combined-backend.h"
#include "hes-dns-direct-backend.h"
#include "hes-dns-dkim.h"
#include "hes-dns-dmarc.h"
#include "hes-dns-mx.h"
#include "hes-dns-name.h"
#include "hes-dns-spf.h"
#include "hes-dns-srv.h"

#define MAX_NAMESERVERS 4
#define MAX_MX_TARGETS 10

struct _HesDnsChecker
{
  GObject        parent_instance;

  HesDnsBackend *resolver;
  HesDnsBackend *authoritative;
  guint16        authoritative_port;
  GStrv          fixed_servers;
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_RECORD_CHECKED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HesDnsChecker, hes_dns_checker, G_TYPE_OBJECT)

/* ---- the job of one check --------------------------------------------------------------- */

typedef struct {
  HesDnsAnswer *answer;
  GError       *error;
  gboolean      done;
} Lookup;

typedef struct {
  Lookup  local[2];      /* [0]: the record's type (A for aliases); [1]: AAAA for aliases */
  Lookup *auth;          /* 2 per authoritative server */
} RecordLookups;

typedef struct {
  Lookup a;
  Lookup aaaa;
} TargetLookups;

typedef enum {
  PHASE_LOCAL,
  PHASE_AUTHORITATIVE,
  PHASE_SPF,
  PHASE_DONE,
} Phase;

typedef struct {
  HesDnsChecker    *checker;
  HesDnsRecordPlan *plan;
  Phase             phase;
  guint             pending;
  guint             done;
  guint             total;
  Lookup            host[2];         /* the mail host's A and AAAA */
  RecordLookups    *records;
  guint             n_records;
  GPtrArray        *servers;         /* char *: authoritative servers to ask */
  char             *apex;
  GHashTable       *targets;         /* MX target → TargetLookups */
  GHashTable       *spf;             /* policy text → HesDnsSpfEvaluation (NULL: failed) */
  GHashTable       *spf_assumed;     /* the same, with the domain's MX taken as planned */
} Job;

static void
lookup_clear (Lookup *l)
{
  g_clear_pointer (&l->answer, hes_dns_answer_unref);
  g_clear_error (&l->error);
}

static void
targets_free (TargetLookups *t)
{
  lookup_clear (&t->a);
  lookup_clear (&t->aaaa);
  g_free (t);
}

static void
job_free (Job *job)
{
  for (guint i = 0; i < job->n_records; i++)
    {
      RecordLookups *r = &job->records[i];

      lookup_clear (&r->local[0]);
      lookup_clear (&r->local[1]);
      for (guint s = 0; r->auth && s < 2 * job->servers->len; s++)
        lookup_clear (&r->auth[s]);
      g_free (r->auth);
    }
  g_free (job->records);
  lookup_clear (&job->host[0]);
  lookup_clear (&job->host[1]);
  g_ptr_array_unref (job->servers);
  g_free (job->apex);
  g_hash_table_unref (job->targets);
  g_hash_table_unref (job->spf);
  g_hash_table_unref (job->spf_assumed);
  g_object_unref (job->plan);
  g_object_unref (job->checker);
  g_free (job);
}

static void job_next_phase (GTask *task);

static void
job_hold (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  job->pending++;
  job->total++;
}

static void
job_release (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  job->done++;
  g_signal_emit (job->checker, signals[SIGNAL_PROGRESS], 0, job->done, job->total);
  if (--job->pending == 0)
    job_next_phase (task);
}

typedef void (*LookupThen) (GTask *task, Lookup *slot, gpointer data);

typedef struct {
  GTask      *task;
  Lookup     *slot;
  LookupThen  then;
  gpointer    data;
  GDestroyNotify data_free;
} LookupOp;

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupOp *op = user_data;

  op->slot->answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result,
                                                   &op->slot->error);
  op->slot->done = TRUE;
  if (op->then && !g_cancellable_is_cancelled (g_task_get_cancellable (op->task)))
    op->then (op->task, op->slot, op->data);
  job_release (op->task);
  if (op->data_free)
    op->data_free (op->data);
  g_object_unref (op->task);
  g_free (op);
}

static void
start_lookup (GTask          *task,
              HesDnsBackend  *backend,
              const char     *name,
              HesDnsType      type,
              const char     *server,
              Lookup         *slot,
              LookupThen      then,
              gpointer        data,
              GDestroyNotify  data_free)
{
  LookupOp *op = g_new0 (LookupOp, 1);

  op->task = g_object_ref (task);
  op->slot = slot;
  op->then = then;
  op->data = data;
  op->data_free = data_free;
  job_hold (task);
  hes_dns_backend_query_async (backend, name, type, server, server == NULL,
                               g_task_get_cancellable (task), on_lookup, op);
}

static HesDnsType
query_type (const HesDnsPlannedRecord *r)
{
  /* An alias is asked for its address: the answer shows the CNAME as its first link and,
   * without one, the A/AAAA records that mailcow also accepts. */
  return r->type == HES_DNS_TYPE_CNAME ? HES_DNS_TYPE_A : r->type;
}

/* ---- zone apex and name servers --------------------------------------------------------- */

static void find_apex (GTask *task, const char *name);

static void
free_lookup (Lookup *l)
{
  lookup_clear (l);
  g_free (l);
}

static void
on_ns_address (GTask   *task,
               Lookup  *slot,
               gpointer data)
{
  Job *job = g_task_get_task_data (task);
  HesDnsChecker *self = job->checker;
  g_autoptr(GPtrArray) a = NULL;

  if (slot->answer == NULL)
    return;
  a = hes_dns_answer_filter (slot->answer, HES_DNS_TYPE_A);
  for (guint i = 0; i < a->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (a, i);
      g_autofree char *server = g_strdup_printf ("%s:%u", rr->address, self->authoritative_port);
      gboolean seen = FALSE;

      for (guint s = 0; s < job->servers->len; s++)
        seen = seen || g_str_equal (g_ptr_array_index (job->servers, s), server);
      if (!seen && job->servers->len < MAX_NAMESERVERS)
        g_ptr_array_add (job->servers, g_steal_pointer (&server));
    }
}

static void
on_ns (GTask   *task,
       Lookup  *slot,
       gpointer data)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ns = NULL;

  if (slot->answer == NULL)
    return;
  ns = hes_dns_answer_filter (slot->answer, HES_DNS_TYPE_NS);
  for (guint i = 0; i < ns->len && i < MAX_NAMESERVERS; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (ns, i);
      Lookup *l = g_new0 (Lookup, 1);

      start_lookup (task, job->checker->resolver, rr->target, HES_DNS_TYPE_A, NULL, l,
                    on_ns_address, l, (GDestroyNotify) free_lookup);
    }
}

static void
on_soa (GTask   *task,
        Lookup  *slot,
        gpointer data)
{
  Job *job = g_task_get_task_data (task);
  const char *name = data;
  const char *apex = NULL;
  g_autoptr(GPtrArray) soa = NULL;

  if (slot->answer == NULL || (slot->answer->rcode != HES_DNS_RCODE_NOERROR &&
                               slot->answer->rcode != HES_DNS_RCODE_NXDOMAIN &&
                               slot->answer->rcode != HES_DNS_RCODE_UNKNOWN))
    return;
  soa = hes_dns_answer_filter (slot->answer, HES_DNS_TYPE_SOA);
  for (guint i = 0; i < soa->len && apex == NULL; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (soa, i);

      if (hes_dns_name_equal (rr->name, name))
        apex = rr->name;
    }
  /* A negative answer names the zone in its authority SOA: no need to walk further. */
  for (guint i = 0; apex == NULL && i < slot->answer->authority->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (slot->answer->authority, i);

      if (rr->type == HES_DNS_TYPE_SOA && hes_dns_name_is_below (name, rr->name) && *rr->name)
        apex = rr->name;
    }
  if (apex != NULL)
    {
      Lookup *l = g_new0 (Lookup, 1);

      job->apex = g_strdup (apex);
      start_lookup (task, job->checker->resolver, apex, HES_DNS_TYPE_NS, NULL, l, on_ns, l,
                    (GDestroyNotify) free_lookup);
      return;
    }
  /* Walk up, but never to a top-level domain. */
  name = hes_dns_name_parent (name);
  if (name && strchr (name, '.'))
    find_apex (task, name);
}

static void
find_apex (GTask      *task,
           const char *name)
{
  Job *job = g_task_get_task_data (task);
  Lookup *l = g_new0 (Lookup, 1);
  char *owned = g_strdup (name);

  /* The lookup slot lives as long as the name: both are freed with the op data. */
  g_object_set_data_full (G_OBJECT (task), owned, l, (GDestroyNotify) free_lookup);
  start_lookup (task, job->checker->resolver, owned, HES_DNS_TYPE_SOA, NULL, l, on_soa,
                owned, g_free);
}

/* ---- phases ----------------------------------------------------------------------------- */

static void
start_local (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  HesDnsChecker *self = job->checker;
  const char *host = hes_dns_record_plan_get_mail_host (job->plan);

  start_lookup (task, self->resolver, host, HES_DNS_TYPE_A, NULL, &job->host[0], NULL, NULL, NULL);
  start_lookup (task, self->resolver, host, HES_DNS_TYPE_AAAA, NULL, &job->host[1], NULL, NULL, NULL);
  for (guint i = 0; i < job->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, i);

      start_lookup (task, self->resolver, r->full_name, query_type (r), NULL,
                    &job->records[i].local[0], NULL, NULL, NULL);
      if (r->type == HES_DNS_TYPE_CNAME)
        start_lookup (task, self->resolver, r->full_name, HES_DNS_TYPE_AAAA, NULL,
                      &job->records[i].local[1], NULL, NULL, NULL);
    }
  if (self->fixed_servers)
    {
      for (guint i = 0; self->fixed_servers[i]; i++)
        g_ptr_array_add (job->servers, g_strdup (self->fixed_servers[i]));
      job->apex = g_strdup (hes_dns_record_plan_get_domain (job->plan));
    }
  else
    find_apex (task, hes_dns_record_plan_get_domain (job->plan));
}

static void
add_target (GTask      *task,
            const char *target)
{
  Job *job = g_task_get_task_data (task);
  TargetLookups *t;

  if (target == NULL || *target == '\0' || hes_dns_name_is_ip_literal (target) ||
      g_hash_table_contains (job->targets, target) ||
      g_hash_table_size (job->targets) >= MAX_MX_TARGETS)
    return;
  t = g_new0 (TargetLookups, 1);
  g_hash_table_insert (job->targets, g_strdup (target), t);
  start_lookup (task, job->checker->resolver, target, HES_DNS_TYPE_A, NULL, &t->a, NULL, NULL, NULL);
  start_lookup (task, job->checker->resolver, target, HES_DNS_TYPE_AAAA, NULL, &t->aaaa, NULL, NULL, NULL);
}

static void
start_authoritative (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  HesDnsChecker *self = job->checker;
  guint n = job->servers->len;

  for (guint i = 0; i < job->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, i);
      RecordLookups *rl = &job->records[i];

      rl->auth = g_new0 (Lookup, 2 * n);
      for (guint s = 0; s < n; s++)
        {
          const char *server = g_ptr_array_index (job->servers, s);

          start_lookup (task, self->authoritative, r->full_name, query_type (r), server,
                        &rl->auth[2 * s], NULL, NULL, NULL);
          if (r->type == HES_DNS_TYPE_CNAME)
            start_lookup (task, self->authoritative, r->full_name, HES_DNS_TYPE_AAAA, server,
                          &rl->auth[2 * s + 1], NULL, NULL, NULL);
        }
      if (r->type == HES_DNS_TYPE_MX && rl->local[0].answer)
        {
          g_autoptr(GPtrArray) mx = hes_dns_answer_filter (rl->local[0].answer, HES_DNS_TYPE_MX);

          for (guint m = 0; m < mx->len; m++)
            add_target (task, ((HesDnsRr *) g_ptr_array_index (mx, m))->target);
        }
    }
}

static GStrv
host_addresses (Job *job)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint f = 0; f < 2; f++)
    for (guint i = 0; job->host[f].answer && i < job->host[f].answer->records->len; i++)
      {
        HesDnsRr *rr = g_ptr_array_index (job->host[f].answer->records, i);

        if (rr->address && (rr->type == HES_DNS_TYPE_A || rr->type == HES_DNS_TYPE_AAAA))
          g_strv_builder_add (builder, rr->address);
      }
  return g_strv_builder_end (builder);
}

/* The joined texts of the TXT records owned by @name. */
static GStrv
txt_texts (const HesDnsAnswer *answer,
           const char         *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == HES_DNS_TYPE_TXT && hes_dns_name_equal (rr->name, name))
        g_strv_builder_add (builder, rr->text);
    }
  return g_strv_builder_end (builder);
}

typedef struct {
  GTask      *task;
  char       *text;
  GHashTable *into;
} SpfOp;

static void
on_spf (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SpfOp *op = user_data;
  HesDnsSpfEvaluation *ev = hes_dns_spf_evaluate_finish (result, NULL);

  g_hash_table_replace (op->into, g_strdup (op->text), ev);
  job_release (op->task);
  g_object_unref (op->task);
  g_free (op->text);
  g_free (op);
}

static void
evaluate_spf_texts (GTask              *task,
                    const HesDnsAnswer *answer,
                    const char         *domain,
                    const char * const *addresses)
{
  Job *job = g_task_get_task_data (task);
  g_auto(GStrv) texts = txt_texts (answer, domain);
  const char *policy = NULL;
  guint n = 0;
  SpfOp *op;

  for (guint i = 0; texts[i]; i++)
    if (hes_dns_spf_is_spf (texts[i]))
      policy = texts[i], n++;
  if (n != 1 || g_hash_table_contains (job->spf, policy))
    return;
  for (guint pass = 0; pass < 2; pass++)
    {
      GHashTable *into = pass == 0 ? job->spf : job->spf_assumed;

      g_hash_table_insert (into, g_strdup (policy), NULL);
      op = g_new0 (SpfOp, 1);
      op->task = g_object_ref (task);
      op->text = g_strdup (policy);
      op->into = into;
      job_hold (task);
      hes_dns_spf_evaluate_assuming_mx_async (job->checker->resolver, domain, policy, addresses,
                                              pass == 0 ? NULL : hes_dns_record_plan_get_mail_host (job->plan),
                                              g_task_get_cancellable (task), on_spf, op);
    }
}

static void
start_spf (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_auto(GStrv) addresses = host_addresses (job);
  const char *domain = hes_dns_record_plan_get_domain (job->plan);

  if (addresses[0] == NULL)
    return;
  for (guint i = 0; i < job->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, i);
      RecordLookups *rl = &job->records[i];

      if (r->kind != HES_DNS_RECORD_KIND_SPF)
        continue;
      evaluate_spf_texts (task, rl->local[0].answer, domain, (const char * const *) addresses);
      for (guint s = 0; s < job->servers->len; s++)
        evaluate_spf_texts (task, rl->auth[2 * s].answer, domain, (const char * const *) addresses);
    }
}

/* ---- verdicts --------------------------------------------------------------------------- */

static gboolean
answer_usable (const Lookup *l)
{
  return l->answer != NULL && (l->answer->rcode == HES_DNS_RCODE_NOERROR ||
                               l->answer->rcode == HES_DNS_RCODE_NXDOMAIN ||
                               l->answer->rcode == HES_DNS_RCODE_UNKNOWN);
}

static HesDnsFinding *
unknown_finding (const Lookup *l)
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
check_mx (Job                       *job,
          const HesDnsPlannedRecord *r,
          const HesDnsAnswer        *answer)
{
  g_autoptr(GPtrArray) mx = hes_dns_answer_filter (answer, HES_DNS_TYPE_MX);
  g_autofree HesDnsMxTarget *targets = g_new0 (HesDnsMxTarget, mx->len + 1);

  for (guint i = 0; i < mx->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (mx, i);
      TargetLookups *t = g_hash_table_lookup (job->targets, rr->target);

      targets[i].target = rr->target ? rr->target : "";
      targets[i].preference = rr->priority;
      if (t && t->a.answer)
        {
          g_autoptr(GPtrArray) cname = hes_dns_answer_filter (t->a.answer, HES_DNS_TYPE_CNAME);

          targets[i].is_alias = cname->len > 0;
          targets[i].no_address = answer_usable (&t->a) && answer_usable (&t->aaaa) &&
                                  hes_dns_answer_is_negative (t->a.answer, HES_DNS_TYPE_A) &&
                                  hes_dns_answer_is_negative (t->aaaa.answer, HES_DNS_TYPE_AAAA);
        }
    }
  return hes_dns_mx_check (targets, mx->len, job->plan ? hes_dns_record_plan_get_mail_host (job->plan) : "",
                           hes_dns_record_plan_get_domain (job->plan), r->priority);
}

/* The finding for @r from one view: @main (and @aaaa for aliases). */
static HesDnsFinding *
check_view (Job                       *job,
            const HesDnsPlannedRecord *r,
            const Lookup              *main,
            const Lookup              *aaaa)
{
  const char *host = hes_dns_record_plan_get_mail_host (job->plan);
  const char *domain = hes_dns_record_plan_get_domain (job->plan);
  g_autofree char *expected = hes_dns_planned_record_format_value (r);

  if (!answer_usable (main))
    return unknown_finding (main);
  switch (r->type)
    {
    case HES_DNS_TYPE_MX:
      return check_mx (job, r, main->answer);
    case HES_DNS_TYPE_SRV:
      {
        g_autoptr(GPtrArray) srv = hes_dns_answer_filter (main->answer, HES_DNS_TYPE_SRV);

        return hes_dns_srv_check (srv, host, r->port, domain, expected);
      }
    case HES_DNS_TYPE_CNAME:
      {
        g_auto(GStrv) addresses = host_addresses (job);

        if (aaaa && aaaa->done && !answer_usable (aaaa))
          return unknown_finding (aaaa);
        return hes_dns_cname_check (r->full_name, main->answer, aaaa ? aaaa->answer : NULL,
                                    (const char * const *) addresses, host, domain);
      }
    case HES_DNS_TYPE_TXT:
      {
        g_auto(GStrv) texts = txt_texts (main->answer, r->full_name);

        if (r->kind == HES_DNS_RECORD_KIND_SPF)
          {
            const HesDnsSpfEvaluation *ev = NULL;

            for (guint i = 0; texts[i]; i++)
              if (hes_dns_spf_is_spf (texts[i]))
                ev = g_hash_table_lookup (job->spf, texts[i]);
            return hes_dns_spf_check ((const char * const *) texts, ev, r->value);
          }
        if (r->kind == HES_DNS_RECORD_KIND_DKIM)
          return hes_dns_dkim_check ((const char * const *) texts,
                                     hes_dns_record_plan_get_dkim_key (job->plan), r->value);
        if (r->kind == HES_DNS_RECORD_KIND_DMARC)
          return hes_dns_dmarc_check ((const char * const *) texts, r->value);
        break;
      }
    default:
      break;
    }
  return unknown_finding (main);
}

/* Combined view of the authoritative servers: ok only when every server that answered with
 * authority agrees that the record is right. NULL when none answered with authority. */
static HesDnsFinding *
check_authoritative (Job                       *job,
                     const HesDnsPlannedRecord *r,
                     const RecordLookups       *rl)
{
  HesDnsFinding *combined = NULL;

  for (guint s = 0; rl->auth && s < job->servers->len; s++)
    {
      const Lookup *main = &rl->auth[2 * s];
      const Lookup *aaaa = r->type == HES_DNS_TYPE_CNAME ? &rl->auth[2 * s + 1] : NULL;
      HesDnsFinding *f;

      if (main->answer == NULL || !main->answer->aa)
        continue;
      f = check_view (job, r, main, aaaa);
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
                 const Lookup        *local,
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

static HesDnsFinding *
decide (Job  *job,
        guint index)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, index);
  RecordLookups *rl = &job->records[index];
  const Lookup *aaaa = r->type == HES_DNS_TYPE_CNAME ? &rl->local[1] : NULL;
  g_autoptr(HesDnsFinding) local = check_view (job, r, &rl->local[0], aaaa);
  g_autoptr(HesDnsFinding) auth = check_authoritative (job, r, rl);

  if (local->verdict == HES_DNS_VERDICT_OK || auth == NULL)
    return g_steal_pointer (&local);
  if (auth->verdict == HES_DNS_VERDICT_OK && local->verdict != HES_DNS_VERDICT_UNKNOWN)
    return pending_finding (auth, &rl->local[0], query_type (r));
  /* This computer's resolver failed: the domain's own servers still give a real answer. */
  if (local->verdict == HES_DNS_VERDICT_UNKNOWN && auth->verdict != HES_DNS_VERDICT_UNKNOWN)
    return g_steal_pointer (&auth);
  return g_steal_pointer (&local);
}

static gboolean
all_pass (const HesDnsSpfEvaluation *ev)
{
  if (ev == NULL || ev->results->len == 0)
    return FALSE;
  for (guint i = 0; i < ev->results->len; i++)
    if (g_array_index (ev->results, HesDnsSpfResult, i) != HES_DNS_SPF_RESULT_PASS)
      return FALSE;
  return TRUE;
}

/* An SPF policy that authorises the mail host through `mx` fails for as long as the MX record
 * is not right. Say so instead of proposing the same policy again. */
static void
relate_spf_to_mx (Job       *job,
                  guint      spf_index,
                  GPtrArray *findings)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, spf_index);
  HesDnsFinding *spf = g_ptr_array_index (findings, spf_index);
  HesDnsFinding *mx = NULL;
  g_auto(GStrv) texts = txt_texts (job->records[spf_index].local[0].answer, r->full_name);
  const char *policy = NULL;
  guint n = 0;

  for (guint i = 0; texts[i]; i++)
    if (hes_dns_spf_is_spf (texts[i]))
      policy = texts[i], n++;
  if (spf->verdict != HES_DNS_VERDICT_WRONG || n != 1 ||
      all_pass (g_hash_table_lookup (job->spf, policy)) ||
      !all_pass (g_hash_table_lookup (job->spf_assumed, policy)))
    return;
  for (guint i = 0; i < job->n_records; i++)
    if (hes_dns_record_plan_get_record (job->plan, i)->type == HES_DNS_TYPE_MX)
      mx = g_ptr_array_index (findings, i);
  if (mx == NULL)
    return;
  if (mx->verdict == HES_DNS_VERDICT_PENDING)
    {
      HesDnsFinding *pending = hes_dns_finding_new (HES_DNS_VERDICT_PENDING,
        _("This record is right; it takes effect once the new MX record is visible here."), NULL);

      pending->visible_in_s = mx->visible_in_s;
      for (guint i = 0; i < spf->found->len; i++)
        hes_dns_finding_add_found (pending, g_ptr_array_index (spf->found, i));
      g_ptr_array_index (findings, spf_index) = pending;
      hes_dns_finding_unref (spf);
      return;
    }
  hes_dns_finding_set_explanation (spf,
    _("This record is right, but it relies on your MX record, which is not right yet: fix the MX record first."));
  hes_dns_finding_set_fix (spf, NULL);
}

static void
finish (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(HesDnsCheckReport) report =
    hes_dns_check_report_new (hes_dns_record_plan_get_domain (job->plan),
                              hes_dns_record_plan_get_mail_host (job->plan));

  report->zone_apex = g_strdup (job->apex);
  for (guint s = 0; s < job->servers->len; s++)
    g_ptr_array_add (report->nameservers, g_strdup (g_ptr_array_index (job->servers, s)));
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_finding_unref);

  for (guint i = 0; i < job->n_records; i++)
    g_ptr_array_add (findings, decide (job, i));
  for (guint i = 0; i < job->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->plan, i);

      if (r->kind == HES_DNS_RECORD_KIND_SPF)
        relate_spf_to_mx (job, i, findings);
    }
  for (guint i = 0; i < job->n_records; i++)
    {
      g_autoptr(HesDnsRecordResult) result =
        hes_dns_record_result_new (hes_dns_record_plan_get_record (job->plan, i),
                                   g_ptr_array_index (findings, i));

      hes_dns_check_report_add (report, result);
      g_signal_emit (job->checker, signals[SIGNAL_RECORD_CHECKED], 0, i, result);
    }
  g_task_return_pointer (task, g_steal_pointer (&report),
                         (GDestroyNotify) hes_dns_check_report_unref);
}

static void
job_next_phase (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  /* Each phase may start nothing (no servers, no SPF): then go straight on. */
  while (job->pending == 0 && job->phase != PHASE_DONE)
    {
      if (g_task_return_error_if_cancelled (task))
        {
          job->phase = PHASE_DONE;
          return;
        }
      job->phase++;
      if (job->phase == PHASE_AUTHORITATIVE)
        {
          /* The SPF policy the resolver sees is known now: evaluate it beside the
           * authoritative questions; only a policy that differs there waits for them. */
          start_authoritative (task);
          start_spf (task);
        }
      else if (job->phase == PHASE_SPF)
        start_spf (task);
      else
        finish (task);
    }
}

void
hes_dns_checker_check_async (HesDnsChecker       *self,
                             HesDnsRecordPlan    *plan,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (HES_IS_DNS_CHECKER (self));
  g_return_if_fail (HES_IS_DNS_RECORD_PLAN (plan));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_dns_checker_check_async);
  job = g_new0 (Job, 1);
  job->checker = g_object_ref (self);
  job->plan = g_object_ref (plan);
  job->n_records = hes_dns_record_plan_get_n_records (plan);
  job->records = g_new0 (RecordLookups, job->n_records);
  job->servers = g_ptr_array_new_with_free_func (g_free);
  job->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) targets_free);
  job->spf = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) hes_dns_spf_evaluation_free);
  job->spf_assumed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) hes_dns_spf_evaluation_free);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  job->pending++;  /* held while the first lookups are started */
  start_local (task);
  job->pending--;
  job_next_phase (task);
}

HesDnsCheckReport *
hes_dns_checker_check_finish (HesDnsChecker  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- object ----------------------------------------------------------------------------- */

static void
hes_dns_checker_dispose (GObject *object)
{
  HesDnsChecker *self = HES_DNS_CHECKER (object);

  g_clear_object (&self->resolver);
  g_clear_object (&self->authoritative);
  G_OBJECT_CLASS (hes_dns_checker_parent_class)->dispose (object);
}

static void
hes_dns_checker_finalize (GObject *object)
{
  HesDnsChecker *self = HES_DNS_CHECKER (object);

  g_strfreev (self->fixed_servers);
  G_OBJECT_CLASS (hes_dns_checker_parent_class)->finalize (object);
}

static void
hes_dns_checker_class_init (HesDnsCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_dns_checker_dispose;
  object_class->finalize = hes_dns_checker_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_RECORD_CHECKED] =
    g_signal_new ("record-checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, HES_TYPE_DNS_RECORD_RESULT);
}

static void
hes_dns_checker_init (HesDnsChecker *self)
{
  self->authoritative_port = 53;
}

HesDnsChecker *
hes_dns_checker_new (HesDnsBackend *resolver,
                     HesDnsBackend *authoritative)
{
  HesDnsChecker *self = g_object_new (HES_TYPE_DNS_CHECKER, NULL);
  const char *server = g_getenv ("HES_DNS_SERVER");

  if (resolver == NULL && authoritative == NULL && server && hes_dns_parse_server (server, NULL, NULL))
    {
      /* Demos and tests: every lookup goes to this one server. */
      const char *servers[] = { server, NULL };

      self->resolver = HES_DNS_BACKEND (hes_dns_direct_backend_new (server));
      self->authoritative = g_object_ref (self->resolver);
      self->fixed_servers = g_strdupv ((char **) servers);
      return self;
    }
  self->authoritative = authoritative ? g_object_ref (authoritative)
                                      : HES_DNS_BACKEND (hes_dns_direct_backend_new (NULL));
  /* What the resolver backend cannot ask (GResolver: A, AAAA, CNAME), the direct one asks
   * this computer's resolver instead. */
  if (resolver == NULL)
    self->resolver = HES_DNS_BACKEND (hes_dns_direct_backend_new (NULL));
  else if (resolver == authoritative)
    self->resolver = g_object_ref (resolver);
  else
    self->resolver = HES_DNS_BACKEND (hes_dns_combined_backend_new (resolver, self->authoritative));
  return self;
}

void
hes_dns_checker_set_authoritative_port (HesDnsChecker *self,
                                        guint16        port)
{
  g_return_if_fail (HES_IS_DNS_CHECKER (self));
  self->authoritative_port = port ? port : 53;
}

void
hes_dns_checker_set_authoritative_servers (HesDnsChecker      *self,
                                           const char * const *servers)
{
  g_return_if_fail (HES_IS_DNS_CHECKER (self));
  g_strfreev (self->fixed_servers);
  self->fixed_servers = servers ? g_strdupv ((char **) servers) : NULL;
}
