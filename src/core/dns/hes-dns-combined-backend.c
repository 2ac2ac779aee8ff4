/* hes-dns-combined-backend.c: a primary backend with a fallback */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-combined-backend.h"

struct _HesDnsCombinedBackend
{
  GObject        parent_instance;
  HesDnsBackend *primary;
  HesDnsBackend *secondary;
};

typedef struct {
  char       *name;
  HesDnsType  type;
  char       *server;
  gboolean    recursion;
} Query;

static void backend_iface_init (HesDnsBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HesDnsCombinedBackend, hes_dns_combined_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, backend_iface_init))

static void
query_free (Query *q)
{
  g_free (q->name);
  g_free (q->server);
  g_free (q);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesDnsCombinedBackend *self = g_task_get_source_object (task);
  Query *q = g_task_get_task_data (task);
  GError *error = NULL;
  HesDnsAnswer *answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) &&
      HES_DNS_BACKEND (source) == self->primary)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_clear_error (&error);
      hes_dns_backend_query_async (self->secondary, q->name, q->type, q->server, q->recursion,
                                   cancellable, on_answer, g_steal_pointer (&task));
      return;
    }
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) hes_dns_answer_unref);
}

static void
combined_query_async (HesDnsBackend       *backend,
                      const char          *name,
                      HesDnsType           type,
                      const char          *server,
                      gboolean             recursion,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  HesDnsCombinedBackend *self = HES_DNS_COMBINED_BACKEND (backend);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Query *q = g_new0 (Query, 1);

  q->name = g_strdup (name);
  q->type = type;
  q->server = g_strdup (server);
  q->recursion = recursion;
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  hes_dns_backend_query_async (self->primary, name, type, server, recursion, cancellable,
                               on_answer, task);
}

static HesDnsAnswer *
combined_query_finish (HesDnsBackend  *backend,
                       GAsyncResult   *result,
                       GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backend_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = combined_query_async;
  iface->query_finish = combined_query_finish;
}

static void
hes_dns_combined_backend_dispose (GObject *object)
{
  HesDnsCombinedBackend *self = HES_DNS_COMBINED_BACKEND (object);

  g_clear_object (&self->primary);
  g_clear_object (&self->secondary);
  G_OBJECT_CLASS (hes_dns_combined_backend_parent_class)->dispose (object);
}

static void
hes_dns_combined_backend_class_init (HesDnsCombinedBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hes_dns_combined_backend_dispose;
}

static void
hes_dns_combined_backend_init (HesDnsCombinedBackend *self)
{
}

HesDnsCombinedBackend *
hes_dns_combined_backend_new (HesDnsBackend *primary,
                              HesDnsBackend *secondary)
{
  HesDnsCombinedBackend *self = g_object_new (HES_TYPE_DNS_COMBINED_BACKEND, NULL);

  self->primary = g_object_ref (primary);
  self->secondary = g_object_ref (secondary);
  return self;
}
