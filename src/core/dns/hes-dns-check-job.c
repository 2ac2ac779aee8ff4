/* hes-dns-check-job.c: one run of a check: what is asked when, and when a verdict is final */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-caching-backend.h"
#include "hes-dns-check-job.h"
#include "hes-dns-check-state.h"
#include "hes-dns-name.h"
#include "hes-dns-record-verdict.h"
#include "hes-dns-zone-finder.h"

#define MAX_MX_TARGETS 10

typedef struct {
  HesDnsFinding      *local;     /* the resolver's view, once its lookups ended */
  HesDnsFinding      *decided;   /* with the authoritative view where it counts */
  HesDnsRecordResult *result;    /* final and announced */
} RecordProgress;

typedef struct {
  GTask               *task;     /* not a reference: the task owns the job */
  HesDnsCheckJobSetup  setup;
  HesDnsCheckState    *state;
  HesDnsBackend       *resolver; /* a HesDnsCachingBackend */
  HesDnsBackend       *authoritative;
  HesDnsZoneFinder    *finder;
  gboolean             servers_final;
  char                *apex;
  RecordProgress      *records;
  gint                 mx_index; /* -1: the plan has no MX record */
  guint                pending;
  guint                done;
  guint                total;
  gboolean             finished;
} Job;

static void
job_free (Job *job)
{
  for (guint i = 0; i < job->state->n_records; i++)
    {
      g_clear_pointer (&job->records[i].local, hes_dns_finding_unref);
      g_clear_pointer (&job->records[i].decided, hes_dns_finding_unref);
      g_clear_pointer (&job->records[i].result, hes_dns_record_result_unref);
    }
  g_free (job->records);
  if (job->finder)
    g_signal_handlers_disconnect_by_data (job->finder, job);
  g_clear_object (&job->finder);
  g_clear_object (&job->resolver);
  g_clear_object (&job->authoritative);
  g_free (job->apex);
  hes_dns_check_state_free (job->state);
  g_free (job);
}

static void job_update (Job *job);

static void
job_release (Job *job)
{
  job->done++;
  job->setup.progress (g_task_get_source_object (job->task), job->done, job->total);
  job->pending--;
  job_update (job);
}

/* ---- lookups ---------------------------------------------------------------------------- */

typedef void (*LookupThen) (Job *job, HesDnsLookup *slot);

typedef struct {
  GTask        *task;
  HesDnsLookup *slot;
  LookupThen    then;
} LookupOp;

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupOp *op = user_data;
  Job *job = g_task_get_task_data (op->task);

  op->slot->answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result,
                                                   &op->slot->error);
  op->slot->done = TRUE;
  if (op->then && !g_cancellable_is_cancelled (g_task_get_cancellable (op->task)))
    op->then (job, op->slot);
  job_release (job);
  g_object_unref (op->task);
  g_free (op);
}

static void
start_lookup (Job           *job,
              HesDnsBackend *backend,
              const char    *name,
              HesDnsType     type,
              const char    *server,
              HesDnsLookup  *slot,
              LookupThen     then)
{
  LookupOp *op = g_new0 (LookupOp, 1);

  op->task = g_object_ref (job->task);
  op->slot = slot;
  op->then = then;
  job->pending++;
  job->total++;
  hes_dns_backend_query_async (backend, name, type, server, server == NULL,
                               g_task_get_cancellable (job->task), on_lookup, op);
}

static void
add_target (Job        *job,
            const char *target)
{
  HesDnsTargetLookups *t;

  if (target == NULL || *target == '\0' || hes_dns_name_is_ip_literal (target) ||
      g_hash_table_contains (job->state->targets, target) ||
      g_hash_table_size (job->state->targets) >= MAX_MX_TARGETS)
    return;
  t = g_new0 (HesDnsTargetLookups, 1);
  g_hash_table_insert (job->state->targets, g_strdup (target), t);
  start_lookup (job, job->resolver, target, HES_DNS_TYPE_A, NULL, &t->a, NULL);
  start_lookup (job, job->resolver, target, HES_DNS_TYPE_AAAA, NULL, &t->aaaa, NULL);
}

static void
on_local_mx (Job          *job,
             HesDnsLookup *slot)
{
  g_autoptr(GPtrArray) mx = NULL;

  if (slot->answer == NULL)
    return;
  mx = hes_dns_answer_filter (slot->answer, HES_DNS_TYPE_MX);
  for (guint m = 0; m < mx->len; m++)
    add_target (job, ((HesDnsRr *) g_ptr_array_index (mx, m))->target);
}

static void
start_local (Job *job)
{
  HesDnsCheckState *state = job->state;
  const char *host = hes_dns_record_plan_get_mail_host (state->plan);

  start_lookup (job, job->resolver, host, HES_DNS_TYPE_A, NULL, &state->host[0], NULL);
  start_lookup (job, job->resolver, host, HES_DNS_TYPE_AAAA, NULL, &state->host[1], NULL);
  for (guint i = 0; i < state->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, i);
      HesDnsLookup *local = hes_dns_check_state_local (state, i);

      start_lookup (job, job->resolver, r->full_name, hes_dns_planned_record_query_type (r), NULL,
                    &local[0], r->type == HES_DNS_TYPE_MX ? on_local_mx : NULL);
      if (r->type == HES_DNS_TYPE_CNAME)
        start_lookup (job, job->resolver, r->full_name, HES_DNS_TYPE_AAAA, NULL, &local[1], NULL);
    }
}

/* ---- authoritative servers -------------------------------------------------------------- */

static void
start_server (Job        *job,
              const char *address)
{
  HesDnsCheckState *state = job->state;
  HesDnsServerLookups *server = hes_dns_check_state_add_server (state, address);

  for (guint i = 0; i < state->n_records; i++)
    {
      HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (state->plan, i);

      start_lookup (job, job->authoritative, r->full_name, hes_dns_planned_record_query_type (r),
                    address, &server->records[2 * i], NULL);
      if (r->type == HES_DNS_TYPE_CNAME)
        start_lookup (job, job->authoritative, r->full_name, HES_DNS_TYPE_AAAA, address,
                      &server->records[2 * i + 1], NULL);
    }
}

static void
on_server_found (HesDnsZoneFinder *finder,
                 const char       *server,
                 Job              *job)
{
  start_server (job, server);
}

static void
on_zone_found (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  HesDnsZoneFinder *finder = HES_DNS_ZONE_FINDER (source);

  if (hes_dns_zone_finder_find_finish (finder, result, NULL))
    job->apex = g_strdup (hes_dns_zone_finder_get_apex (finder));
  job->servers_final = TRUE;
  job_release (job);
}

static void
start_authoritative (Job                *job,
                     const char * const *servers)
{
  const char *domain = hes_dns_record_plan_get_domain (job->state->plan);

  if (servers)
    {
      for (guint i = 0; servers[i]; i++)
        start_server (job, servers[i]);
      job->apex = g_strdup (domain);
      job->servers_final = TRUE;
      return;
    }
  job->finder = hes_dns_zone_finder_new (job->resolver, job->setup.port);
  g_signal_connect (job->finder, "server-found", G_CALLBACK (on_server_found), job);
  job->pending++;
  job->total++;
  hes_dns_zone_finder_find_async (job->finder, domain, g_task_get_cancellable (job->task),
                                  on_zone_found, g_object_ref (job->task));
}

/* ---- SPF evaluations -------------------------------------------------------------------- */

typedef struct {
  GTask         *task;
  HesDnsSpfSlot *slot;
} SpfOp;

static void
on_spf (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SpfOp *op = user_data;

  op->slot->evaluation = hes_dns_spf_evaluate_finish (result, NULL);
  op->slot->done = TRUE;
  job_release (g_task_get_task_data (op->task));
  g_object_unref (op->task);
  g_free (op);
}

/* Evaluates @policy as it is and with the planned MX; FALSE when there is nothing to
 * evaluate it for (the mail host has no address). */
static gboolean
start_spf (Job        *job,
           const char *policy)
{
  HesDnsCheckState *state = job->state;
  g_auto(GStrv) addresses = hes_dns_check_state_host_addresses (state);

  if (addresses[0] == NULL)
    return FALSE;
  for (guint pass = 0; pass < 2; pass++)
    {
      SpfOp *op = g_new0 (SpfOp, 1);

      op->task = g_object_ref (job->task);
      op->slot = g_new0 (HesDnsSpfSlot, 1);
      g_hash_table_insert (pass == 0 ? state->spf : state->spf_assumed, g_strdup (policy), op->slot);
      job->pending++;
      job->total++;
      hes_dns_spf_evaluate_assuming_mx_async (job->resolver,
                                              hes_dns_record_plan_get_domain (state->plan),
                                              policy, (const char * const *) addresses,
                                              pass == 0 ? NULL : hes_dns_record_plan_get_mail_host (state->plan),
                                              g_task_get_cancellable (job->task), on_spf, op);
    }
  return TRUE;
}

/* ---- when a verdict is final ------------------------------------------------------------ */

static gboolean
hosts_done (Job *job)
{
  return job->state->host[0].done && job->state->host[1].done;
}

/* TRUE once the SPF policy in @answer (if exactly one) has been evaluated; starts the
 * evaluation when it is due. */
static gboolean
spf_ready (Job                *job,
           const HesDnsAnswer *answer,
           const char         *name)
{
  g_autofree char *policy = hes_dns_answer_single_spf (answer, name);
  HesDnsSpfSlot *slot, *assumed;

  if (policy == NULL)
    return TRUE;
  if (!hosts_done (job))
    return FALSE;
  slot = g_hash_table_lookup (job->state->spf, policy);
  if (slot == NULL)
    return !start_spf (job, policy);
  assumed = g_hash_table_lookup (job->state->spf_assumed, policy);
  return slot->done && (assumed == NULL || assumed->done);
}

/* TRUE when everything that one view (@l, 2 lookups) of record @index rests on has ended. */
static gboolean
view_ready (Job                *job,
            guint               index,
            const HesDnsLookup *l)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->state->plan, index);

  if (!l[0].done)
    return FALSE;
  if (r->type == HES_DNS_TYPE_CNAME && (!l[1].done || !hosts_done (job)))
    return FALSE;
  if (r->type == HES_DNS_TYPE_MX && l[0].answer)
    {
      g_autoptr(GPtrArray) mx = hes_dns_answer_filter (l[0].answer, HES_DNS_TYPE_MX);

      for (guint m = 0; m < mx->len; m++)
        {
          HesDnsRr *rr = g_ptr_array_index (mx, m);
          HesDnsTargetLookups *t = rr->target ? g_hash_table_lookup (job->state->targets, rr->target) : NULL;

          if (t && (!t->a.done || !t->aaaa.done))
            return FALSE;
        }
    }
  if (r->kind == HES_DNS_RECORD_KIND_SPF)
    return spf_ready (job, l[0].answer, r->full_name);
  return TRUE;
}

static gboolean
authoritative_ready (Job  *job,
                     guint index)
{
  gboolean spf = hes_dns_record_plan_get_record (job->state->plan, index)->kind == HES_DNS_RECORD_KIND_SPF;

  if (!job->servers_final)
    return FALSE;
  for (guint s = 0; s < job->state->servers->len; s++)
    {
      if (!view_ready (job, index, hes_dns_check_state_at_server (job->state, s, index)))
        return FALSE;
      /* A server's SPF policy is judged with the same server's MX. */
      if (spf && job->mx_index >= 0 &&
          !hes_dns_check_state_at_server (job->state, s, (guint) job->mx_index)->done)
        return FALSE;
    }
  return TRUE;
}

/* The SPF verdict may hang on the MX record's: wait for it and for the evaluation with the
 * planned MX. */
static gboolean
relate_ready (Job  *job,
              guint index)
{
  HesDnsPlannedRecord *r = hes_dns_record_plan_get_record (job->state->plan, index);
  g_autofree char *policy = NULL;
  HesDnsSpfSlot *assumed;

  if (job->mx_index < 0 || !job->records[job->mx_index].result)
    return job->mx_index < 0;
  policy = hes_dns_answer_single_spf (hes_dns_check_state_local (job->state, index)->answer,
                                      r->full_name);
  assumed = policy ? g_hash_table_lookup (job->state->spf_assumed, policy) : NULL;
  return assumed == NULL || assumed->done;
}

/* Gives record @index its verdict if everything it rests on has ended; TRUE if it did.
 * With @force (nothing is running any more) it decides from what there is. */
static gboolean
try_final (Job      *job,
           guint     index,
           gboolean  force)
{
  RecordProgress *p = &job->records[index];
  HesDnsCheckState *state = job->state;
  g_autoptr(HesDnsFinding) final = NULL;

  if (p->local == NULL)
    {
      if (!force && !view_ready (job, index, hes_dns_check_state_local (state, index)))
        return FALSE;
      p->local = hes_dns_record_verdict_local (state, index);
    }
  if (p->decided == NULL)
    {
      g_autoptr(HesDnsFinding) auth = NULL;

      /* Right at the resolver is right: the servers' answers cannot change that. */
      if (p->local->verdict != HES_DNS_VERDICT_OK && !force && !authoritative_ready (job, index))
        return FALSE;
      if (p->local->verdict != HES_DNS_VERDICT_OK)
        auth = hes_dns_record_verdict_authoritative (state, index);
      p->decided = hes_dns_record_verdict_decide (state, index, p->local, auth);
    }
  if (hes_dns_record_verdict_spf_needs_mx (state, index, p->decided))
    {
      if (!force && !relate_ready (job, index))
        return FALSE;
      final = hes_dns_record_verdict_relate_spf_to_mx (state, index, p->decided,
                                                       job->mx_index >= 0 && job->records[job->mx_index].result
                                                       ? job->records[job->mx_index].result->finding : NULL);
    }
  else
    final = hes_dns_finding_ref (p->decided);
  p->result = hes_dns_record_result_new (hes_dns_record_plan_get_record (state->plan, index), final);
  job->setup.record_checked (g_task_get_source_object (job->task), index, p->result);
  return TRUE;
}

static void
finish (Job *job)
{
  HesDnsCheckState *state = job->state;
  g_autoptr(HesDnsCheckReport) report =
    hes_dns_check_report_new (hes_dns_record_plan_get_domain (state->plan),
                              hes_dns_record_plan_get_mail_host (state->plan));

  report->zone_apex = g_strdup (job->apex);
  for (guint s = 0; s < state->servers->len; s++)
    g_ptr_array_add (report->nameservers,
                     g_strdup (((HesDnsServerLookups *) g_ptr_array_index (state->servers, s))->address));
  for (guint i = 0; i < state->n_records; i++)
    hes_dns_check_report_add (report, job->records[i].result);
  job->finished = TRUE;
  g_task_return_pointer (job->task, g_steal_pointer (&report),
                         (GDestroyNotify) hes_dns_check_report_unref);
}

static void
job_update (Job *job)
{
  gboolean progress;

  if (job->finished)
    return;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (job->task)))
    {
      /* No verdict from cancelled lookups: wait for them all, then say so. */
      if (job->pending == 0)
        {
          job->finished = TRUE;
          g_task_return_error_if_cancelled (job->task);
        }
      return;
    }
  do
    {
      progress = FALSE;
      for (guint i = 0; i < job->state->n_records; i++)
        if (job->records[i].result == NULL && try_final (job, i, FALSE))
          progress = TRUE;
    }
  while (progress);
  if (job->pending > 0)
    return;
  /* Everything ended, so every record is final; never hang if one is not. */
  for (guint i = 0; i < job->state->n_records; i++)
    if (job->records[i].result == NULL)
      {
        g_warning ("DNS check: record %u had no verdict when every lookup had ended", i);
        try_final (job, i, TRUE);
      }
  finish (job);
}

/* ---- start ------------------------------------------------------------------------------ */

void
hes_dns_check_job_run (GTask                     *task,
                       HesDnsRecordPlan          *plan,
                       const HesDnsCheckJobSetup *setup)
{
  Job *job = g_new0 (Job, 1);

  job->task = task;
  job->setup = *setup;
  job->setup.servers = NULL;  /* the caller's array: not kept */
  job->state = hes_dns_check_state_new (plan);
  job->records = g_new0 (RecordProgress, job->state->n_records);
  job->resolver = HES_DNS_BACKEND (hes_dns_caching_backend_new (setup->resolver));
  job->authoritative = g_object_ref (setup->authoritative);
  job->mx_index = -1;
  for (guint i = 0; i < job->state->n_records && job->mx_index < 0; i++)
    if (hes_dns_record_plan_get_record (plan, i)->type == HES_DNS_TYPE_MX)
      job->mx_index = (gint) i;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  job->pending++;  /* held while the first lookups are sent */
  start_local (job);
  start_authoritative (job, setup->servers);
  job->pending--;
  job_update (job);
}
