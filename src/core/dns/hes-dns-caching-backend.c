/* hes-dns-caching-backend.c: one lookup per question for the life of a job */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-caching-backend.h"

struct _HesDnsCachingBackend
{
  GObject        parent_instance;
  HesDnsBackend *inner;
  GHashTable    *entries;    /* "type recursion server name" → Entry */
  guint          n_lookups;
};

typedef struct {
  gboolean      done;
  HesDnsAnswer *answer;
  GError       *error;
  GPtrArray    *waiters;     /* GTask, until done */
} Entry;

typedef struct {
  HesDnsCachingBackend *self;
  Entry                *entry;
} Pending;

static void backend_iface_init (HesDnsBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HesDnsCachingBackend, hes_dns_caching_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, backend_iface_init))

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->answer, hes_dns_answer_unref);
  g_clear_error (&entry->error);
  g_ptr_array_unref (entry->waiters);
  g_free (entry);
}

static void
entry_return (Entry *entry,
              GTask *task)
{
  /* A waiter whose own cancellable fired gets G_IO_ERROR_CANCELLED from GTask itself. */
  if (entry->answer)
    g_task_return_pointer (task, hes_dns_answer_ref (entry->answer),
                           (GDestroyNotify) hes_dns_answer_unref);
  else
    g_task_return_error (task, g_error_copy (entry->error));
}

static void
on_inner (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pending *p = user_data;
  Entry *entry = p->entry;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&entry->waiters);

  entry->answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result, &entry->error);
  entry->done = TRUE;
  entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    entry_return (entry, g_ptr_array_index (waiters, i));
  g_object_unref (p->self);
  g_free (p);
}

static void
caching_query_async (HesDnsBackend       *backend,
                     const char          *name,
                     HesDnsType           type,
                     const char          *server,
                     gboolean             recursion,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  HesDnsCachingBackend *self = HES_DNS_CACHING_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("%d %d %s %s", type, recursion ? 1 : 0,
                                          server ? server : "", name);
  Entry *entry = g_hash_table_lookup (self->entries, key);
  Pending *p;

  g_task_set_source_tag (task, caching_query_async);
  if (entry && entry->done)
    {
      entry_return (entry, task);
      return;
    }
  if (entry)
    {
      g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
      return;
    }
  entry = g_new0 (Entry, 1);
  entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
  g_hash_table_insert (self->entries, g_steal_pointer (&key), entry);
  p = g_new0 (Pending, 1);
  p->self = g_object_ref (self);
  p->entry = entry;
  self->n_lookups++;
  hes_dns_backend_query_async (self->inner, name, type, server, recursion, cancellable,
                               on_inner, p);
}

static HesDnsAnswer *
caching_query_finish (HesDnsBackend  *backend,
                      GAsyncResult   *result,
                      GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backend_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = caching_query_async;
  iface->query_finish = caching_query_finish;
}

static void
hes_dns_caching_backend_dispose (GObject *object)
{
  HesDnsCachingBackend *self = HES_DNS_CACHING_BACKEND (object);

  g_clear_object (&self->inner);
  G_OBJECT_CLASS (hes_dns_caching_backend_parent_class)->dispose (object);
}

static void
hes_dns_caching_backend_finalize (GObject *object)
{
  HesDnsCachingBackend *self = HES_DNS_CACHING_BACKEND (object);

  /* Running lookups hold a reference on us: every entry is done here. */
  g_hash_table_unref (self->entries);
  G_OBJECT_CLASS (hes_dns_caching_backend_parent_class)->finalize (object);
}

static void
hes_dns_caching_backend_class_init (HesDnsCachingBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_dns_caching_backend_dispose;
  object_class->finalize = hes_dns_caching_backend_finalize;
}

static void
hes_dns_caching_backend_init (HesDnsCachingBackend *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) entry_free);
}

HesDnsCachingBackend *
hes_dns_caching_backend_new (HesDnsBackend *inner)
{
  HesDnsCachingBackend *self;

  g_return_val_if_fail (HES_IS_DNS_BACKEND (inner), NULL);
  self = g_object_new (HES_TYPE_DNS_CACHING_BACKEND, NULL);
  self->inner = g_object_ref (inner);
  return self;
}

guint
hes_dns_caching_backend_get_n_lookups (HesDnsCachingBackend *self)
{
  g_return_val_if_fail (HES_IS_DNS_CACHING_BACKEND (self), 0);
  return self->n_lookups;
}
