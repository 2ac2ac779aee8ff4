/* hes-dns-checker.c: the DNS check of a record plan (the object; the run is in
 * hes-dns-check-job.c) */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-check-job.h"
#include "hes-dns-checker.h"
#include "hes-dns-combined-backend.h"
#include "hes-dns-direct-backend.h"

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

static void
emit_progress (gpointer owner,
               guint    done,
               guint    total)
{
  g_signal_emit (owner, signals[SIGNAL_PROGRESS], 0, done, total);
}

static void
emit_record_checked (gpointer            owner,
                     guint               index,
                     HesDnsRecordResult *result)
{
  g_signal_emit (owner, signals[SIGNAL_RECORD_CHECKED], 0, index, result);
}

void
hes_dns_checker_check_async (HesDnsChecker       *self,
                             HesDnsRecordPlan    *plan,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HesDnsCheckJobSetup setup = {
    .resolver = self->resolver,
    .authoritative = self->authoritative,
    .port = self->authoritative_port,
    .servers = (const char * const *) self->fixed_servers,
    .progress = emit_progress,
    .record_checked = emit_record_checked,
  };

  g_return_if_fail (HES_IS_DNS_CHECKER (self));
  g_return_if_fail (HES_IS_DNS_RECORD_PLAN (plan));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_dns_checker_check_async);
  hes_dns_check_job_run (task, plan, &setup);
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
      /* Demos and tests: every lookup goes to this one server, or the domain's own servers
       * are another one (HES_DNS_AUTHORITATIVE_SERVER: a change not visible here yet). */
      const char *own = g_getenv ("HES_DNS_AUTHORITATIVE_SERVER");
      gboolean apart = own != NULL && hes_dns_parse_server (own, NULL, NULL);
      const char *servers[] = { apart ? own : server, NULL };

      self->resolver = HES_DNS_BACKEND (hes_dns_direct_backend_new (server));
      self->authoritative = apart ? HES_DNS_BACKEND (hes_dns_direct_backend_new (NULL))
                                  : g_object_ref (self->resolver);
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
