/* hes-dns-gio-backend.c: GResolver as a HesDnsBackend */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-gio-backend.h"
#include "hes-dns-name.h"

#define DEFAULT_TIMEOUT_MS 5000
/* GResolver's threads come from GLib's GTask pool: about 10 run at once (dns.md §1). */
#define MAX_IN_FLIGHT 10

struct _HesDnsGioBackend
{
  GObject    parent_instance;

  GResolver *resolver;
  guint      timeout_ms;
  guint      in_flight;
  GQueue     waiting;    /* GTask not started yet */
};

typedef struct {
  char         *name;
  HesDnsType    type;
  GCancellable *inner;
  GSource      *timer;
  gboolean      timed_out;
  GCancellable *outer;
  gulong        outer_id;
  GResolverRecordType rtype;
} Query;

static void backend_iface_init (HesDnsBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HesDnsGioBackend, hes_dns_gio_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, backend_iface_init))

static void
query_free (Query *q)
{
  if (q->timer)
    {
      g_source_destroy (q->timer);
      g_source_unref (q->timer);
    }
  if (q->outer)
    {
      g_cancellable_disconnect (q->outer, q->outer_id);
      g_object_unref (q->outer);
    }
  g_object_unref (q->inner);
  g_free (q->name);
  g_free (q);
}

static gboolean
record_type (HesDnsType         type,
             GResolverRecordType *out)
{
  switch (type)
    {
    case HES_DNS_TYPE_MX: *out = G_RESOLVER_RECORD_MX; return TRUE;
    case HES_DNS_TYPE_TXT: *out = G_RESOLVER_RECORD_TXT; return TRUE;
    case HES_DNS_TYPE_SRV: *out = G_RESOLVER_RECORD_SRV; return TRUE;
    case HES_DNS_TYPE_NS: *out = G_RESOLVER_RECORD_NS; return TRUE;
    case HES_DNS_TYPE_SOA: *out = G_RESOLVER_RECORD_SOA; return TRUE;
    default: return FALSE;
    }
}

static char *
normal_or_copy (const char *name)
{
  char *normal = hes_dns_name_normalise (name);

  return normal ? normal : g_ascii_strdown (name, -1);
}

static HesDnsRr *
rr_from_variant (const Query *q,
                 GVariant    *v)
{
  HesDnsRr *rr = hes_dns_rr_new (q->name, q->type, G_MAXUINT32);
  const char *s = NULL;
  g_autofree const char **strings = NULL;
  guint16 a, b, c;
  guint32 serial, refresh, retry, expire, minimum;
  const char *rname;

  switch (q->type)
    {
    case HES_DNS_TYPE_MX:
      g_variant_get (v, "(q&s)", &a, &s);
      rr->priority = a;
      rr->target = normal_or_copy (s);
      break;
    case HES_DNS_TYPE_SRV:
      g_variant_get (v, "(qqq&s)", &a, &b, &c, &s);
      rr->priority = a;
      rr->weight = b;
      rr->port = c;
      rr->target = normal_or_copy (s);
      break;
    case HES_DNS_TYPE_NS:
      g_variant_get (v, "(&s)", &s);
      rr->target = normal_or_copy (s);
      break;
    case HES_DNS_TYPE_SOA:
      g_variant_get (v, "(&s&suuuuu)", &s, &rname, &serial, &refresh, &retry, &expire, &minimum);
      rr->target = normal_or_copy (s);
      rr->serial = serial;
      rr->minimum = minimum;
      break;
    case HES_DNS_TYPE_TXT:
      g_variant_get (v, "(^a&s)", &strings);
      hes_dns_rr_set_strings (rr, strings);
      break;
    default:
      break;
    }
  return rr;
}

static void start_next (HesDnsGioBackend *self);

static void
release_slot (GTask *task)
{
  HesDnsGioBackend *self = g_task_get_source_object (task);

  self->in_flight--;
  start_next (self);
}

static void
on_records (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  HesDnsAnswer *answer;

  release_slot (task);

  if (error && g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    {
      /* NXDOMAIN and NODATA look the same through GResolver. */
      g_task_return_pointer (task, hes_dns_answer_new (HES_DNS_RCODE_UNKNOWN, FALSE),
                             (GDestroyNotify) hes_dns_answer_unref);
      return;
    }
  if (error)
    {
      if (q->timed_out && (q->outer == NULL || !g_cancellable_is_cancelled (q->outer)))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s",
                                 _("The DNS server did not answer in time; check the network connection and try again."));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                                 _("The DNS server could not answer; check the network connection and try again."));
      return;
    }
  answer = hes_dns_answer_new (HES_DNS_RCODE_NOERROR, FALSE);
  for (GList *l = records; l; l = l->next)
    g_ptr_array_add (answer->records, rr_from_variant (q, l->data));
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  g_task_return_pointer (task, answer, (GDestroyNotify) hes_dns_answer_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Query *q = user_data;

  q->timed_out = TRUE;
  g_cancellable_cancel (q->inner);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      inner)
{
  g_cancellable_cancel (inner);
}

static void
gio_query_async (HesDnsBackend       *backend,
                 const char          *name,
                 HesDnsType           type,
                 const char          *server,
                 gboolean             recursion,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  HesDnsGioBackend *self = HES_DNS_GIO_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GResolverRecordType rtype;
  Query *q;

  g_task_set_source_tag (task, gio_query_async);
  if (server != NULL || !record_type (type, &rtype))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("This DNS question cannot be asked through the system resolver."));
      return;
    }
  q = g_new0 (Query, 1);
  q->name = g_strdup (name);
  q->type = type;
  q->inner = g_cancellable_new ();
  if (cancellable)
    {
      q->outer = g_object_ref (cancellable);
      q->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                           g_object_ref (q->inner), g_object_unref);
    }
  q->rtype = rtype;
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  start_next (self);
}

static void
start_next (HesDnsGioBackend *self)
{
  while (self->in_flight < MAX_IN_FLIGHT && !g_queue_is_empty (&self->waiting))
    {
      GTask *task = g_queue_pop_head (&self->waiting);
      Query *q = g_task_get_task_data (task);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      self->in_flight++;
      /* The time limit counts from the moment the question is really asked. */
      q->timer = g_timeout_source_new (self->timeout_ms);
      g_source_set_callback (q->timer, timeout_cb, q, NULL);
      g_source_attach (q->timer, g_main_context_get_thread_default ());
      g_resolver_lookup_records_async (self->resolver, q->name[0] ? q->name : ".", q->rtype,
                                       q->inner, on_records, task);
    }
}

static HesDnsAnswer *
gio_query_finish (HesDnsBackend  *backend,
                  GAsyncResult   *result,
                  GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backend_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = gio_query_async;
  iface->query_finish = gio_query_finish;
}

static void
hes_dns_gio_backend_finalize (GObject *object)
{
  HesDnsGioBackend *self = HES_DNS_GIO_BACKEND (object);

  g_clear_object (&self->resolver);
  G_OBJECT_CLASS (hes_dns_gio_backend_parent_class)->finalize (object);
}

static void
hes_dns_gio_backend_class_init (HesDnsGioBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_dns_gio_backend_finalize;
}

static void
hes_dns_gio_backend_init (HesDnsGioBackend *self)
{
  g_queue_init (&self->waiting);
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
}

HesDnsGioBackend *
hes_dns_gio_backend_new (GResolver *resolver)
{
  HesDnsGioBackend *self = g_object_new (HES_TYPE_DNS_GIO_BACKEND, NULL);

  self->resolver = resolver ? g_object_ref (resolver) : g_resolver_get_default ();
  return self;
}

void
hes_dns_gio_backend_set_timeout (HesDnsGioBackend *self,
                                 guint             timeout_ms)
{
  g_return_if_fail (HES_IS_DNS_GIO_BACKEND (self));
  self->timeout_ms = MAX (timeout_ms, 100);
}
