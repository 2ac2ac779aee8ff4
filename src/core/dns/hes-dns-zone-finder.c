/* hes-dns-zone-finder.c: zone apex and authoritative servers of a domain */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <string.h>

#include "hes-dns-name.h"
#include "hes-dns-zone-finder.h"

#define MAX_NAMESERVERS 4

struct _HesDnsZoneFinder
{
  GObject        parent_instance;

  HesDnsBackend *resolver;
  guint16        port;
  GTask         *task;         /* while a search runs */
  guint          pending;
  char          *domain;
  char          *apex;
  GPtrArray     *servers;      /* char *, NULL-terminated */
  /* The domain's own NS set, asked before it is known to be the apex. */
  HesDnsAnswer  *domain_ns;
  gboolean       domain_ns_done;
  gboolean       domain_ns_wanted;
};

enum {
  SIGNAL_SERVER_FOUND,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HesDnsZoneFinder, hes_dns_zone_finder, G_TYPE_OBJECT)

typedef void (*AnswerFunc) (HesDnsZoneFinder *self, const char *name, HesDnsAnswer *answer);

typedef struct {
  HesDnsZoneFinder *self;
  char             *name;
  AnswerFunc        then;
} Ask;

static void
release (HesDnsZoneFinder *self)
{
  g_autoptr(GTask) task = NULL;

  if (--self->pending > 0)
    return;
  task = g_steal_pointer (&self->task);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Ask *ask = user_data;
  HesDnsZoneFinder *self = ask->self;
  g_autoptr(HesDnsAnswer) answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source),
                                                                 result, NULL);

  /* A failed lookup ends that path: the servers found by the others still count. */
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    ask->then (self, ask->name, answer);
  release (self);
  g_free (ask->name);
  g_free (ask);
  g_object_unref (self);
}

static void
ask (HesDnsZoneFinder *self,
     const char       *name,
     HesDnsType        type,
     AnswerFunc        then)
{
  Ask *a = g_new0 (Ask, 1);

  a->self = g_object_ref (self);
  a->name = g_strdup (name);
  a->then = then;
  self->pending++;
  hes_dns_backend_query_async (self->resolver, name, type, NULL, TRUE,
                               g_task_get_cancellable (self->task), on_answer, a);
}

static void
add_server (HesDnsZoneFinder *self,
            const char       *address)
{
  g_autofree char *server = g_strdup_printf ("%s:%u", address, self->port);

  if (self->servers->len - 1 >= MAX_NAMESERVERS)
    return;
  for (guint s = 0; s + 1 < self->servers->len; s++)
    if (g_str_equal (g_ptr_array_index (self->servers, s), server))
      return;
  g_ptr_array_insert (self->servers, (gint) self->servers->len - 1, g_strdup (server));
  g_signal_emit (self, signals[SIGNAL_SERVER_FOUND], 0, server);
}

/* Adds the IPv4 addresses of @name found in @records; TRUE when there was one. */
static gboolean
add_addresses (HesDnsZoneFinder *self,
               const char       *name,
               GPtrArray        *records)
{
  gboolean found = FALSE;

  for (guint i = 0; records && i < records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (records, i);

      if (rr->type == HES_DNS_TYPE_A && rr->address && hes_dns_name_equal (rr->name, name))
        {
          add_server (self, rr->address);
          found = TRUE;
        }
    }
  return found;
}

static void
on_ns_address (HesDnsZoneFinder *self,
               const char       *name,
               HesDnsAnswer     *answer)
{
  g_autoptr(GPtrArray) a = NULL;

  if (answer == NULL)
    return;
  /* The server name may be an alias: every address of the answer counts. */
  a = hes_dns_answer_filter (answer, HES_DNS_TYPE_A);
  for (guint i = 0; i < a->len; i++)
    add_server (self, ((HesDnsRr *) g_ptr_array_index (a, i))->address);
}

static void
use_ns (HesDnsZoneFinder *self,
        HesDnsAnswer     *answer)
{
  g_autoptr(GPtrArray) ns = NULL;

  if (answer == NULL)
    return;
  ns = hes_dns_answer_filter (answer, HES_DNS_TYPE_NS);
  for (guint i = 0; i < ns->len && i < MAX_NAMESERVERS; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (ns, i);

      if (rr->target == NULL || *rr->target == '\0')
        continue;
      /* Glue: the address came with the NS answer. */
      if (!add_addresses (self, rr->target, answer->additional))
        ask (self, rr->target, HES_DNS_TYPE_A, on_ns_address);
    }
}

static void
on_domain_ns (HesDnsZoneFinder *self,
              const char       *name,
              HesDnsAnswer     *answer)
{
  self->domain_ns = answer ? hes_dns_answer_ref (answer) : NULL;
  self->domain_ns_done = TRUE;
  if (self->domain_ns_wanted)
    use_ns (self, self->domain_ns);
}

static void
on_apex_ns (HesDnsZoneFinder *self,
            const char       *name,
            HesDnsAnswer     *answer)
{
  use_ns (self, answer);
}

static void on_soa (HesDnsZoneFinder *self, const char *name, HesDnsAnswer *answer);

static const char *
apex_from_soa (const char         *name,
               const HesDnsAnswer *answer)
{
  g_autoptr(GPtrArray) soa = hes_dns_answer_filter (answer, HES_DNS_TYPE_SOA);

  for (guint i = 0; i < soa->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (soa, i);

      if (hes_dns_name_equal (rr->name, name))
        return rr->name;
    }
  /* A negative answer names the zone in its authority SOA: no need to walk further. */
  for (guint i = 0; i < answer->authority->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->authority, i);

      if (rr->type == HES_DNS_TYPE_SOA && hes_dns_name_is_below (name, rr->name) && *rr->name)
        return rr->name;
    }
  return NULL;
}

static void
on_soa (HesDnsZoneFinder *self,
        const char       *name,
        HesDnsAnswer     *answer)
{
  const char *apex;
  const char *parent;

  if (answer == NULL || (answer->rcode != HES_DNS_RCODE_NOERROR &&
                         answer->rcode != HES_DNS_RCODE_NXDOMAIN &&
                         answer->rcode != HES_DNS_RCODE_UNKNOWN))
    return;
  apex = apex_from_soa (name, answer);
  if (apex != NULL)
    {
      self->apex = g_strdup (apex);
      if (hes_dns_name_equal (apex, self->domain))
        {
          /* The usual case: the NS set asked at the start is the one. */
          self->domain_ns_wanted = TRUE;
          if (self->domain_ns_done)
            use_ns (self, self->domain_ns);
        }
      else
        ask (self, apex, HES_DNS_TYPE_NS, on_apex_ns);
      return;
    }
  /* Walk up, but never to a top-level domain. */
  parent = hes_dns_name_parent (name);
  if (parent && strchr (parent, '.'))
    ask (self, parent, HES_DNS_TYPE_SOA, on_soa);
}

void
hes_dns_zone_finder_find_async (HesDnsZoneFinder    *self,
                                const char          *domain,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HES_IS_DNS_ZONE_FINDER (self));
  g_return_if_fail (self->task == NULL && self->domain == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, hes_dns_zone_finder_find_async);
  self->domain = hes_dns_name_normalise (domain);
  if (self->domain == NULL)
    self->domain = g_strdup (domain);
  self->pending++;  /* held while the first questions are sent */
  ask (self, self->domain, HES_DNS_TYPE_SOA, on_soa);
  ask (self, self->domain, HES_DNS_TYPE_NS, on_domain_ns);
  release (self);
}

gboolean
hes_dns_zone_finder_find_finish (HesDnsZoneFinder  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hes_dns_zone_finder_get_apex (HesDnsZoneFinder *self)
{
  g_return_val_if_fail (HES_IS_DNS_ZONE_FINDER (self), NULL);
  return self->apex;
}

const char * const *
hes_dns_zone_finder_get_servers (HesDnsZoneFinder *self)
{
  g_return_val_if_fail (HES_IS_DNS_ZONE_FINDER (self), NULL);
  return (const char * const *) self->servers->pdata;
}

static void
hes_dns_zone_finder_finalize (GObject *object)
{
  HesDnsZoneFinder *self = HES_DNS_ZONE_FINDER (object);

  g_clear_object (&self->resolver);
  g_clear_pointer (&self->domain_ns, hes_dns_answer_unref);
  g_ptr_array_unref (self->servers);
  g_free (self->domain);
  g_free (self->apex);
  G_OBJECT_CLASS (hes_dns_zone_finder_parent_class)->finalize (object);
}

static void
hes_dns_zone_finder_class_init (HesDnsZoneFinderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_dns_zone_finder_finalize;

  signals[SIGNAL_SERVER_FOUND] =
    g_signal_new ("server-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hes_dns_zone_finder_init (HesDnsZoneFinder *self)
{
  self->servers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->servers, NULL);
}

HesDnsZoneFinder *
hes_dns_zone_finder_new (HesDnsBackend *resolver,
                         guint16        port)
{
  HesDnsZoneFinder *self;

  g_return_val_if_fail (HES_IS_DNS_BACKEND (resolver), NULL);
  self = g_object_new (HES_TYPE_DNS_ZONE_FINDER, NULL);
  self->resolver = g_object_ref (resolver);
  self->port = port ? port : 53;
  return self;
}
