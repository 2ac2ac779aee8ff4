/* hes-fake-dns-backend.c: table-driven DNS answers for tests */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-name.h"
#include "hes-fake-dns-backend.h"

struct _HesFakeDnsBackend
{
  GObject     parent_instance;
  GHashTable *views;       /* server ("" = resolver) → GPtrArray of HesDnsRr */
  GHashTable *behaviours;  /* "server name" → HesFakeBehaviour */
  guint       n_queries;
  guint       n_open;
};

static void backend_iface_init (HesDnsBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HesFakeDnsBackend, hes_fake_dns_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, backend_iface_init))

static GPtrArray *
view_for (HesFakeDnsBackend *self,
          const char        *server)
{
  GPtrArray *view = g_hash_table_lookup (self->views, server ? server : "");

  if (view == NULL)
    {
      view = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_rr_unref);
      g_hash_table_insert (self->views, g_strdup (server ? server : ""), view);
    }
  return view;
}

static gboolean
parse_type (const char *text, HesDnsType *type)
{
  static const HesDnsType all[] = { HES_DNS_TYPE_A, HES_DNS_TYPE_AAAA, HES_DNS_TYPE_MX,
                                    HES_DNS_TYPE_TXT, HES_DNS_TYPE_SRV, HES_DNS_TYPE_CNAME,
                                    HES_DNS_TYPE_NS, HES_DNS_TYPE_SOA };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_ascii_strcasecmp (text, hes_dns_type_to_string (all[i])) == 0)
      {
        *type = all[i];
        return TRUE;
      }
  return FALSE;
}

static char **
parse_txt_strings (const char *rdata)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *p = rdata;

  while (*p)
    {
      GString *s;

      if (*p != '"')
        {
          p++;
          continue;
        }
      s = g_string_new (NULL);
      for (p++; *p && *p != '"'; p++)
        {
          if (*p == '\\' && p[1])
            p++;
          g_string_append_c (s, *p);
        }
      if (*p)
        p++;
      g_strv_builder_add (b, s->str);
      g_string_free (s, TRUE);
    }
  return g_strv_builder_end (b);
}

void
hes_fake_dns_backend_add (HesFakeDnsBackend *self,
                          const char        *server,
                          const char        *line)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t", 4);
  g_autofree char *name = NULL;
  guint idx = 1;
  guint64 ttl = 3600;
  HesDnsType type;
  HesDnsRr *rr;
  const char *rdata;
  g_autofree char *rest = NULL;

  g_assert (words[0] && words[1]);
  name = hes_dns_name_normalise (words[0]);
  if (g_ascii_string_to_unsigned (words[1], 10, 0, G_MAXUINT32, &ttl, NULL))
    idx = 2;
  g_assert_true (parse_type (words[idx], &type));
  /* Everything after the type is the rdata. */
  rdata = strstr (line, words[idx]) + strlen (words[idx]);
  while (*rdata == ' ')
    rdata++;
  rest = g_strdup (rdata);
  rr = hes_dns_rr_new (name, type, (guint32) ttl);
  switch (type)
    {
    case HES_DNS_TYPE_A:
    case HES_DNS_TYPE_AAAA:
      rr->address = g_strdup (rest);
      break;
    case HES_DNS_TYPE_MX:
      {
        g_auto(GStrv) p = g_strsplit (rest, " ", 2);

        rr->priority = (guint16) atoi (p[0]);
        rr->target = hes_dns_name_normalise (p[1]);
        break;
      }
    case HES_DNS_TYPE_SRV:
      {
        g_auto(GStrv) p = g_strsplit (rest, " ", 4);

        rr->priority = (guint16) atoi (p[0]);
        rr->weight = (guint16) atoi (p[1]);
        rr->port = (guint16) atoi (p[2]);
        rr->target = hes_dns_name_normalise (p[3]);
        break;
      }
    case HES_DNS_TYPE_TXT:
      {
        g_auto(GStrv) strings = parse_txt_strings (rest);

        hes_dns_rr_set_strings (rr, (const char * const *) strings);
        break;
      }
    case HES_DNS_TYPE_SOA:
      {
        g_auto(GStrv) p = g_strsplit (rest, " ", -1);

        rr->target = hes_dns_name_normalise (p[0]);
        rr->serial = (guint32) g_ascii_strtoull (p[2], NULL, 10);
        rr->minimum = (guint32) g_ascii_strtoull (p[6], NULL, 10);
        break;
      }
    default:
      rr->target = hes_dns_name_normalise (rest);
      break;
    }
  g_ptr_array_add (view_for (self, server), rr);
}

void
hes_fake_dns_backend_add_lines (HesFakeDnsBackend *self,
                                const char        *server,
                                const char        *lines)
{
  g_auto(GStrv) each = g_strsplit (lines, "\n", -1);

  for (guint i = 0; each[i]; i++)
    {
      g_strstrip (each[i]);
      if (each[i][0] && each[i][0] != ';')
        hes_fake_dns_backend_add (self, server, each[i]);
    }
}

void
hes_fake_dns_backend_set_behaviour (HesFakeDnsBackend *self,
                                    const char        *server,
                                    const char        *name,
                                    HesFakeBehaviour   behaviour)
{
  g_autofree char *normal = name ? hes_dns_name_normalise (name) : g_strdup ("*");

  g_hash_table_insert (self->behaviours, g_strdup_printf ("%s %s", server ? server : "", normal),
                       GINT_TO_POINTER (behaviour));
}

static HesFakeBehaviour
behaviour_for (HesFakeDnsBackend *self,
               const char        *server,
               const char        *name)
{
  g_autofree char *key = g_strdup_printf ("%s %s", server ? server : "", name);
  g_autofree char *any = g_strdup_printf ("%s *", server ? server : "");
  gpointer value;

  if (g_hash_table_lookup_extended (self->behaviours, key, NULL, &value) ||
      g_hash_table_lookup_extended (self->behaviours, any, NULL, &value))
    return GPOINTER_TO_INT (value);
  return HES_FAKE_ANSWER;
}

static HesDnsAnswer *
answer_from (GPtrArray  *view,
             const char *name,
             HesDnsType  type,
             gboolean    aa)
{
  HesDnsAnswer *answer = hes_dns_answer_new (HES_DNS_RCODE_NOERROR, aa);
  char *current = g_strdup (name);
  gboolean exists = FALSE;

  for (guint hops = 0; hops < 8; hops++)
    {
      HesDnsRr *cname = NULL;
      gboolean found = FALSE;

      for (guint i = 0; i < view->len; i++)
        {
          HesDnsRr *rr = g_ptr_array_index (view, i);

          if (!g_str_equal (rr->name, current))
            continue;
          exists = TRUE;
          if (rr->type == type)
            {
              g_ptr_array_add (answer->records, hes_dns_rr_ref (rr));
              found = TRUE;
            }
          else if (rr->type == HES_DNS_TYPE_CNAME)
            cname = rr;
        }
      if (found || cname == NULL || type == HES_DNS_TYPE_CNAME)
        break;
      g_ptr_array_add (answer->records, hes_dns_rr_ref (cname));
      g_free (current);
      current = g_strdup (cname->target);
    }
  g_free (current);
  if (!exists)
    answer->rcode = HES_DNS_RCODE_NXDOMAIN;
  if (answer->records->len == 0)
    answer->negative_ttl = 300;
  return answer;
}

typedef struct {
  GTask  *task;
  gulong  cancel_id;
} Hang;

static gboolean
deliver_timeout (gpointer user_data)
{
  GTask *task = user_data;
  HesFakeDnsBackend *self = g_task_get_source_object (task);

  self->n_open--;
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_idle (gpointer user_data)
{
  GTask *task = user_data;
  HesFakeDnsBackend *self = g_task_get_source_object (task);

  self->n_open--;
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
on_hang_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  /* Never return from inside the "cancelled" emission. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_idle, g_object_ref (user_data), g_object_unref);
}

static void
fake_query_async (HesDnsBackend       *backend,
                  const char          *name,
                  HesDnsType           type,
                  const char          *server,
                  gboolean             recursion,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  HesFakeDnsBackend *self = HES_FAKE_DNS_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  HesFakeBehaviour behaviour = behaviour_for (self, server, name);
  GPtrArray *view;

  self->n_queries++;
  switch (behaviour)
    {
    case HES_FAKE_SERVFAIL:
    case HES_FAKE_REFUSED:
      g_task_return_pointer (task, hes_dns_answer_new (behaviour == HES_FAKE_SERVFAIL
                                                       ? HES_DNS_RCODE_SERVFAIL
                                                       : HES_DNS_RCODE_REFUSED, FALSE),
                             (GDestroyNotify) hes_dns_answer_unref);
      return;
    case HES_FAKE_TIMEOUT:
      self->n_open++;
      g_timeout_add_full (G_PRIORITY_DEFAULT, 20, deliver_timeout, g_object_ref (task), g_object_unref);
      return;
    case HES_FAKE_HANG:
      self->n_open++;
      if (cancellable)
        g_cancellable_connect (cancellable, G_CALLBACK (on_hang_cancelled),
                               g_object_ref (task), g_object_unref);
      return;
    case HES_FAKE_ANSWER:
    default:
      break;
    }
  view = g_hash_table_lookup (self->views, server ? server : "");
  if (view == NULL && server != NULL)
    {
      g_task_return_pointer (task, hes_dns_answer_new (HES_DNS_RCODE_REFUSED, FALSE),
                             (GDestroyNotify) hes_dns_answer_unref);
      return;
    }
  if (view == NULL)
    view = view_for (self, NULL);
  g_task_return_pointer (task, answer_from (view, name, type, server != NULL),
                         (GDestroyNotify) hes_dns_answer_unref);
}

static HesDnsAnswer *
fake_query_finish (HesDnsBackend *backend,
                   GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backend_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = fake_query_async;
  iface->query_finish = fake_query_finish;
}

static void
hes_fake_dns_backend_finalize (GObject *object)
{
  HesFakeDnsBackend *self = HES_FAKE_DNS_BACKEND (object);

  g_hash_table_unref (self->views);
  g_hash_table_unref (self->behaviours);
  G_OBJECT_CLASS (hes_fake_dns_backend_parent_class)->finalize (object);
}

static void
hes_fake_dns_backend_class_init (HesFakeDnsBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_fake_dns_backend_finalize;
}

static void
hes_fake_dns_backend_init (HesFakeDnsBackend *self)
{
  self->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->behaviours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

HesFakeDnsBackend *
hes_fake_dns_backend_new (void)
{
  return g_object_new (HES_TYPE_FAKE_DNS_BACKEND, NULL);
}

guint
hes_fake_dns_backend_get_n_queries (HesFakeDnsBackend *self)
{
  return self->n_queries;
}

guint
hes_fake_dns_backend_get_n_open (HesFakeDnsBackend *self)
{
  return self->n_open;
}
