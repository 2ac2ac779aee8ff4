/* bench-dns-check.c: how long the full 11-record check takes when every DNS answer is 50 ms
 * late, compared with one query's round trip, and the longest main-loop stall meanwhile.
 *
 * Knot serves the test zones; a small UDP proxy in its own thread forwards each query to it
 * and holds each answer back for 50 ms. The checker asks the proxy as "the resolver" and, via
 * the zone's NS record (127.0.0.1) and the proxy's port, as the authoritative server, so the
 * apex/NS discovery and the RD=0 comparison are included. A 1 ms timeout source on the main
 * loop records the largest gap between two of its runs.
 *
 * Not a test: run `_build/tests/dns/bench-dns-check [rounds]`.
 */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-checker.h"
#include "hes-dns-direct-backend.h"
#include "hes-knot-fixture.h"
#include "hes-test-keys.h"
#include "hes-test-zones.h"

#define DELAY_MS 50

/* ---- the delaying proxy ----------------------------------------------------------------- */

typedef struct {
  GMainContext   *context;
  GMainLoop      *loop;
  GSocket        *front;     /* clients talk to this one */
  GSocket        *back;      /* this one talks to knotd */
  GSocketAddress *upstream;
  GHashTable     *clients;   /* DNS id → GSocketAddress */
  guint16         port;
  GThread        *thread;
} Proxy;

typedef struct {
  Proxy          *proxy;
  GSocketAddress *to;
  GBytes         *bytes;
} Delayed;

static gboolean
send_later (gpointer data)
{
  Delayed *d = data;
  gsize len;
  const char *buf = g_bytes_get_data (d->bytes, &len);

  g_socket_send_to (d->proxy->front, d->to, buf, len, NULL, NULL);
  g_object_unref (d->to);
  g_bytes_unref (d->bytes);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static gboolean
on_front (GSocket *socket, GIOCondition condition, gpointer data)
{
  Proxy *p = data;
  char buf[65536];
  GSocketAddress *from = NULL;
  gssize n = g_socket_receive_from (socket, &from, buf, sizeof buf, NULL, NULL);

  if (n >= 12)
    {
      guint id = ((guint8) buf[0] << 8) | (guint8) buf[1];

      g_hash_table_replace (p->clients, GUINT_TO_POINTER (id), g_object_ref (from));
      g_socket_send_to (p->back, p->upstream, buf, n, NULL, NULL);
    }
  g_clear_object (&from);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_back (GSocket *socket, GIOCondition condition, gpointer data)
{
  Proxy *p = data;
  char buf[65536];
  gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
  GSocketAddress *client;
  GSource *timer;
  Delayed *d;

  if (n < 12)
    return G_SOURCE_CONTINUE;
  client = g_hash_table_lookup (p->clients, GUINT_TO_POINTER (((guint8) buf[0] << 8) | (guint8) buf[1]));
  if (client == NULL)
    return G_SOURCE_CONTINUE;
  d = g_new0 (Delayed, 1);
  d->proxy = p;
  d->to = g_object_ref (client);
  d->bytes = g_bytes_new (buf, n);
  timer = g_timeout_source_new (DELAY_MS);
  g_source_set_callback (timer, send_later, d, NULL);
  g_source_attach (timer, p->context);
  g_source_unref (timer);
  return G_SOURCE_CONTINUE;
}

static gpointer
proxy_thread (gpointer data)
{
  Proxy *p = data;

  g_main_context_push_thread_default (p->context);
  g_main_loop_run (p->loop);
  g_main_context_pop_thread_default (p->context);
  return NULL;
}

static void
watch (Proxy *p, GSocket *socket, GSocketSourceFunc func)
{
  GSource *source = g_socket_create_source (socket, G_IO_IN, NULL);

  g_source_set_callback (source, G_SOURCE_FUNC (func), p, NULL);
  g_source_attach (source, p->context);
  g_source_unref (source);
}

static Proxy *
proxy_start (guint16 upstream_port)
{
  Proxy *p = g_new0 (Proxy, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  p->context = g_main_context_new ();
  p->loop = g_main_loop_new (p->context, FALSE);
  p->clients = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  p->front = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  p->back = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert_true (g_socket_bind (p->front, any, FALSE, NULL));
  g_assert_true (g_socket_bind (p->back, any, FALSE, NULL));
  g_socket_set_blocking (p->front, FALSE);
  g_socket_set_blocking (p->back, FALSE);
  bound = g_socket_get_local_address (p->front, NULL);
  p->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  p->upstream = g_inet_socket_address_new (lo, upstream_port);
  watch (p, p->front, on_front);
  watch (p, p->back, on_back);
  p->thread = g_thread_new ("dns-delay-proxy", proxy_thread, p);
  return p;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
proxy_stop (Proxy *p)
{
  g_main_context_invoke (p->context, quit_cb, p->loop);
  g_thread_join (p->thread);
  g_object_unref (p->front);
  g_object_unref (p->back);
  g_object_unref (p->upstream);
  g_hash_table_unref (p->clients);
  g_main_loop_unref (p->loop);
  g_main_context_unref (p->context);
  g_free (p);
}

/* ---- measuring -------------------------------------------------------------------------- */

typedef struct {
  gint64 last;
  gint64 max_gap;
} Stall;

static gboolean
tick (gpointer data)
{
  Stall *s = data;
  gint64 now = g_get_monotonic_time ();

  if (s->last)
    s->max_gap = MAX (s->max_gap, now - s->last);
  s->last = now;
  return G_SOURCE_CONTINUE;
}

typedef struct {
  gpointer result;
  guint    lookups;
} Wait;

static void
on_query (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->result = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result, NULL);
  if (w->result == NULL)
    w->result = GINT_TO_POINTER (1);
}

static void
on_check (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->result = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, NULL);
}

static void
on_progress (HesDnsChecker *checker, guint done, guint total, Wait *w)
{
  w->lookups = total;
}

static double
one_query (const char *server)
{
  g_autoptr(HesDnsDirectBackend) b = hes_dns_direct_backend_new (server);
  Wait w = { 0, };
  gint64 start = g_get_monotonic_time ();

  hes_dns_backend_query_async (HES_DNS_BACKEND (b), "kunde.example", HES_DNS_TYPE_MX, NULL, TRUE,
                               NULL, on_query, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (GPOINTER_TO_INT (w.result) != 1)
    hes_dns_answer_unref (w.result);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
full_check (guint16 port, const char *server, Stall *stall, guint *lookups, guint *n_ok)
{
  g_autoptr(HesDnsDirectBackend) resolver = hes_dns_direct_backend_new (server);
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (NULL);
  g_autoptr(HesDnsChecker) checker = hes_dns_checker_new (HES_DNS_BACKEND (resolver), HES_DNS_BACKEND (direct));
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("good.example", TEST_MAIL_HOST, NULL,
                                                              NULL, TEST_KEY_A2048, NULL);
  Wait w = { 0, };
  gint64 start;
  guint id;
  HesDnsCheckReport *report;

  hes_dns_checker_set_authoritative_port (checker, port);
  g_signal_connect (checker, "progress", G_CALLBACK (on_progress), &w);
  stall->last = 0;
  stall->max_gap = 0;
  id = g_timeout_add (1, tick, stall);
  start = g_get_monotonic_time ();
  hes_dns_checker_check_async (checker, plan, NULL, on_check, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  report = w.result;
  *lookups = w.lookups;
  *n_ok = report->counts[HES_DNS_VERDICT_OK];
  hes_dns_check_report_unref (report);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  g_auto(GStrv) zones = hes_test_zones_standard ();
  g_autoptr(GError) error = NULL;
  HesKnotFixture *knot = hes_knot_fixture_start ((const char * const *) zones, &error);
  guint rounds = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5;
  g_autoptr(GArray) rtt = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *server = NULL;
  guint lookups = 0, n_ok = 0;
  Proxy *proxy;

  if (knot == NULL)
    {
      g_printerr ("knotd: %s\n", error->message);
      return 1;
    }
  rounds = CLAMP (rounds, 1, 50);
  proxy = proxy_start (hes_knot_fixture_get_port (knot));
  server = g_strdup_printf ("127.0.0.1:%u", proxy->port);
  for (guint i = 0; i < rounds; i++)
    {
      Stall stall = { 0, };
      double q = one_query (server);
      double t = full_check (proxy->port, server, &stall, &lookups, &n_ok);
      double s = stall.max_gap / 1000.0;

      g_array_append_val (rtt, q);
      g_array_append_val (total, t);
      g_array_append_val (stalls, s);
      g_print ("round %u: one query %.1f ms, full check %.1f ms (%u lookups, %u/11 ok), longest stall %.2f ms\n",
               i + 1, q, t, lookups, n_ok, s);
    }
  g_array_sort (rtt, compare);
  g_array_sort (total, compare);
  g_array_sort (stalls, compare);
  g_print ("median over %u rounds (answers delayed by %d ms):\n", rounds, DELAY_MS);
  g_print ("  one query round trip:        %.1f ms\n", g_array_index (rtt, double, rounds / 2));
  g_print ("  full 11-record check:        %.1f ms (%.1f round trips)\n",
           g_array_index (total, double, rounds / 2),
           g_array_index (total, double, rounds / 2) / g_array_index (rtt, double, rounds / 2));
  g_print ("  longest main-loop stall:     %.2f ms (worst round %.2f ms)\n",
           g_array_index (stalls, double, rounds / 2), g_array_index (stalls, double, rounds - 1));
  proxy_stop (proxy);
  hes_knot_fixture_stop (knot);
  return 0;
}
