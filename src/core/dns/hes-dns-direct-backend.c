/* hes-dns-direct-backend.c: glibc res_nsend in GTask threads */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

#include "hes-dns-direct-backend.h"
#include "hes-dns-wire.h"

#define DEFAULT_TIMEOUT_MS 4000
/* GLib's GTask pool runs about 10 threads at once and adds more only slowly (dns.md §1). */
#define DEFAULT_MAX_IN_FLIGHT 10
#define EDNS_UDP_SIZE 1232

struct _HesDnsDirectBackend
{
  GObject   parent_instance;

  char     *default_server;
  guint     timeout_ms;
  guint     attempts;
  guint     max_in_flight;
  guint     in_flight;
  guint     peak_in_flight;
  GQueue    waiting;      /* GTask, not started yet */
  GMainContext *context;
};

typedef struct {
  char         *name;
  HesDnsType    type;
  char         *server;
  gboolean      recursion;
  guint         timeout_ms;
  guint         attempts;
  GCancellable *user_cancellable;
  gulong        cancelled_id;
  GSource      *timer;
  gboolean      timed_out;
} Query;

static void backend_iface_init (HesDnsBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HesDnsDirectBackend, hes_dns_direct_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, backend_iface_init))

static void
query_free (Query *q)
{
  if (q->timer)
    {
      g_source_destroy (q->timer);
      g_source_unref (q->timer);
    }
  if (q->user_cancellable)
    {
      g_cancellable_disconnect (q->user_cancellable, q->cancelled_id);
      g_object_unref (q->user_cancellable);
    }
  g_free (q->name);
  g_free (q->server);
  g_free (q);
}

gboolean
hes_dns_parse_server (const char  *server,
                      char       **address,
                      guint16     *port)
{
  g_auto(GStrv) parts = NULL;
  struct in_addr in;
  guint64 p = 53;

  if (server == NULL)
    return FALSE;
  parts = g_strsplit_set (server, ":#", 2);
  if (parts[0] == NULL || inet_pton (AF_INET, parts[0], &in) != 1)
    return FALSE;
  if (parts[1] != NULL &&
      (!g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT16, &p, NULL)))
    return FALSE;
  if (address)
    *address = g_strdup (parts[0]);
  if (port)
    *port = (guint16) p;
  return TRUE;
}

/* glibc's res_nmkquery adds no EDNS0; without it a 2048-bit DKIM answer is truncated and
 * retried over TCP, which some networks block (dns.md §1 trap 6). */
static int
append_edns (guint8 *query,
             int     length,
             gsize   size)
{
  static const guint8 opt[] = { 0, 0, 41, EDNS_UDP_SIZE >> 8, EDNS_UDP_SIZE & 0xff,
                                0, 0, 0, 0, 0, 0 };
  HEADER *header = (HEADER *) query;

  if ((gsize) length + sizeof opt > size)
    return length;
  memcpy (query + length, opt, sizeof opt);
  header->arcount = htons (ntohs (header->arcount) + 1);
  return length + (int) sizeof opt;
}

static HesDnsAnswer *
run_query (const Query  *q,
           GError      **error)
{
  struct __res_state st;
  guint8 query[NS_PACKETSZ + 64];
  g_autofree guint8 *reply = g_malloc (NS_MAXMSG);
  g_autofree char *address = NULL;
  guint16 port = 53;
  int qlen, rlen, saved_errno;
  /* glibc counts in whole seconds per try; the task's own timer keeps the exact limit. */
  guint seconds = MAX (1, (q->timeout_ms / MAX (q->attempts, 1) + 999) / 1000);

  memset (&st, 0, sizeof st);
  if (res_ninit (&st) < 0 && q->server == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("This computer has no DNS server configured; check the network connection."));
      return NULL;
    }
  if (q->server != NULL)
    {
      struct sockaddr_in sin = { .sin_family = AF_INET };

      if (!hes_dns_parse_server (q->server, &address, &port))
        {
          res_nclose (&st);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       /* Translators: %s is a server address such as 2001:db8::53 */
                       _("The DNS server %s cannot be asked directly from this app."), q->server);
          return NULL;
        }
      inet_pton (AF_INET, address, &sin.sin_addr);
      sin.sin_port = htons (port);
      st.nsaddr_list[0] = sin;
      st.nscount = 1;
    }
  st.retrans = (int) seconds;
  st.retry = (int) MAX (q->attempts, 1);
  if (q->recursion)
    st.options |= RES_RECURSE;
  else
    st.options &= ~RES_RECURSE;
  /* With pfcode set glibc hands back SERVFAIL/REFUSED answers instead of an error, so the
   * caller can tell "the server refused" from "no answer" (both stay "unknown"). */
  st.pfcode = RES_PRF_REPLY;

  qlen = res_nmkquery (&st, ns_o_query, q->name[0] ? q->name : ".", ns_c_in, q->type,
                       NULL, 0, NULL, query, sizeof query);
  if (qlen < 0)
    {
      res_nclose (&st);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid domain name; check the spelling."), q->name);
      return NULL;
    }
  qlen = append_edns (query, qlen, sizeof query);
  errno = 0;
  rlen = res_nsend (&st, query, qlen, reply, NS_MAXMSG);
  saved_errno = errno;
  res_nclose (&st);
  if (rlen < 0)
    {
      if (saved_errno == ECONNREFUSED)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                             _("The DNS server did not accept the question; try again later."));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("The DNS server did not answer in time; check the network connection and try again."));
      return NULL;
    }
  return hes_dns_wire_parse (reply, (gsize) rlen, error);
}

static void start_next (HesDnsDirectBackend *self);

static gboolean
release_slot_cb (gpointer user_data)
{
  HesDnsDirectBackend *self = user_data;

  self->in_flight--;
  start_next (self);
  return G_SOURCE_REMOVE;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  HesDnsDirectBackend *self = source_object;
  GError *error = NULL;
  HesDnsAnswer *answer = run_query (task_data, &error);

  if (answer)
    g_task_return_pointer (task, answer, (GDestroyNotify) hes_dns_answer_unref);
  else
    g_task_return_error (task, error);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, release_slot_cb,
                              g_object_ref (self), g_object_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Query *q = g_task_get_task_data (task);

  q->timed_out = TRUE;
  g_cancellable_cancel (g_task_get_cancellable (task));
  return G_SOURCE_REMOVE;
}

static void
start_next (HesDnsDirectBackend *self)
{
  while (self->in_flight < self->max_in_flight && !g_queue_is_empty (&self->waiting))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->waiting);
      Query *q = g_task_get_task_data (task);

      if (g_task_return_error_if_cancelled (task))
        continue;
      self->in_flight++;
      self->peak_in_flight = MAX (self->peak_in_flight, self->in_flight);
      q->timer = g_timeout_source_new (q->timeout_ms);
      g_source_set_callback (q->timer, timeout_cb, g_object_ref (task), g_object_unref);
      g_source_attach (q->timer, self->context);
      g_task_run_in_thread (task, query_thread);
    }
}

static void
user_cancelled_cb (GCancellable *user,
                   gpointer      internal)
{
  g_cancellable_cancel (internal);
}

static void
direct_query_async (HesDnsBackend       *backend,
                    const char          *name,
                    HesDnsType           type,
                    const char          *server,
                    gboolean             recursion,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  HesDnsDirectBackend *self = HES_DNS_DIRECT_BACKEND (backend);
  g_autoptr(GCancellable) internal = g_cancellable_new ();
  GTask *task;
  Query *q = g_new0 (Query, 1);

  q->name = g_strdup (name);
  q->type = type;
  q->server = g_strdup (server ? server : self->default_server);
  q->recursion = recursion;
  q->timeout_ms = self->timeout_ms;
  q->attempts = self->attempts;
  /* The task runs on its own cancellable so that the timeout can stop it too. */
  task = g_task_new (self, internal, callback, user_data);
  g_task_set_source_tag (task, direct_query_async);
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  g_task_set_return_on_cancel (task, TRUE);
  if (cancellable)
    {
      q->user_cancellable = g_object_ref (cancellable);
      q->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                               g_object_ref (internal), g_object_unref);
    }
  g_queue_push_tail (&self->waiting, task);
  start_next (self);
}

static HesDnsAnswer *
direct_query_finish (HesDnsBackend  *backend,
                     GAsyncResult   *result,
                     GError        **error)
{
  Query *q = g_task_get_task_data (G_TASK (result));
  GError *local = NULL;
  HesDnsAnswer *answer = g_task_propagate_pointer (G_TASK (result), &local);

  /* The timer holds a reference on the task: drop it now that the task is over. */
  if (q->timer)
    g_source_destroy (q->timer);

  if (local && q->timed_out && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (q->user_cancellable))
    {
      g_clear_error (&local);
      g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("The DNS server did not answer in time; check the network connection and try again."));
    }
  if (local)
    g_propagate_error (error, local);
  return answer;
}

static void
backend_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = direct_query_async;
  iface->query_finish = direct_query_finish;
}

static void
hes_dns_direct_backend_finalize (GObject *object)
{
  HesDnsDirectBackend *self = HES_DNS_DIRECT_BACKEND (object);

  /* Waiting tasks hold a reference on us, so the queue is empty here. */
  g_free (self->default_server);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (hes_dns_direct_backend_parent_class)->finalize (object);
}

static void
hes_dns_direct_backend_class_init (HesDnsDirectBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_dns_direct_backend_finalize;
}

static void
hes_dns_direct_backend_init (HesDnsDirectBackend *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->attempts = 1;
  self->max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->waiting);
}

HesDnsDirectBackend *
hes_dns_direct_backend_new (const char *default_server)
{
  HesDnsDirectBackend *self = g_object_new (HES_TYPE_DNS_DIRECT_BACKEND, NULL);

  self->default_server = g_strdup (default_server);
  return self;
}

void
hes_dns_direct_backend_set_timeout (HesDnsDirectBackend *self,
                                    guint                timeout_ms)
{
  g_return_if_fail (HES_IS_DNS_DIRECT_BACKEND (self));
  self->timeout_ms = MAX (timeout_ms, 100);
}

void
hes_dns_direct_backend_set_attempts (HesDnsDirectBackend *self,
                                     guint                attempts)
{
  g_return_if_fail (HES_IS_DNS_DIRECT_BACKEND (self));
  self->attempts = CLAMP (attempts, 1, 5);
}

guint
hes_dns_direct_backend_get_timeout (HesDnsDirectBackend *self)
{
  return self->timeout_ms;
}

void
hes_dns_direct_backend_set_max_in_flight (HesDnsDirectBackend *self,
                                          guint                max_in_flight)
{
  g_return_if_fail (HES_IS_DNS_DIRECT_BACKEND (self));
  self->max_in_flight = MAX (max_in_flight, 1);
  start_next (self);
}

guint
hes_dns_direct_backend_get_peak_in_flight (HesDnsDirectBackend *self)
{
  return self->peak_in_flight;
}
