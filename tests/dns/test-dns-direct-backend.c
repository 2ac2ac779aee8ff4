/* test-dns-direct-backend.c: HesDnsDirectBackend against a real knotd */
#include <gio/gio.h>

#include "hes-dns-direct-backend.h"
#include "hes-knot-fixture.h"

static const char *zone_text =
  "$ORIGIN kunde.example.\n"
  "$TTL 3600\n"
  "@   SOA ns1 hostmaster 2024060101 3600 900 1209600 300\n"
  "@   NS  ns1\n"
  "ns1 A   127.0.0.1\n"
  "@   MX  10 MAIL.Hosterra.TEST.\n"
  "@   TXT \"v=spf1 mx \" \"~all\"\n"
  "www A 192.0.2.80\n"
  "autoconfig 600 CNAME mail.hosterra.test.\n"
  "alias CNAME www\n"
  "_imaps._tcp SRV 0 1 993 mail.hosterra.test.\n"
  "v6 AAAA 2001:db8::25\n";

static const char *broken_text = "$ORIGIN broken.example.\n@ SOA this is not a zone\n";

typedef struct {
  HesKnotFixture *knot;
  HesDnsDirectBackend *backend;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const char *zones[] = { "kunde.example", zone_text, "broken.example", broken_text, NULL };
  g_autoptr(GError) error = NULL;

  f->knot = hes_knot_fixture_start (zones, &error);
  g_assert_no_error (error);
  f->backend = hes_dns_direct_backend_new (hes_knot_fixture_get_server (f->knot));
  hes_dns_direct_backend_set_timeout (f->backend, 1500);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->backend);
  hes_knot_fixture_stop (f->knot);
}

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static HesDnsAnswer *
query (HesDnsBackend *backend,
       const char    *name,
       HesDnsType     type,
       const char    *server,
       gboolean       recursion,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_dns_backend_query_async (backend, name, type, server, recursion, cancellable,
                               on_answer, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return hes_dns_backend_query_finish (backend, result, error);
}

static void
test_types (Fixture *f, gconstpointer data)
{
  HesDnsBackend *b = HES_DNS_BACKEND (f->backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) mx = query (b, "KUNDE.Example.", HES_DNS_TYPE_MX, NULL, FALSE, NULL, &error);
  g_autoptr(HesDnsAnswer) txt = NULL, srv = NULL, cname = NULL, aaaa = NULL, chain = NULL;
  HesDnsRr *rr;

  g_assert_no_error (error);
  g_assert_cmpint (mx->rcode, ==, HES_DNS_RCODE_NOERROR);
  g_assert_true (mx->aa);
  g_assert_cmpuint (mx->records->len, ==, 1);
  rr = g_ptr_array_index (mx->records, 0);
  g_assert_cmpstr (rr->name, ==, "kunde.example");
  g_assert_cmpstr (rr->target, ==, "mail.hosterra.test");
  g_assert_cmpuint (rr->priority, ==, 10);
  g_assert_cmpuint (rr->ttl, ==, 3600);

  txt = query (b, "kunde.example", HES_DNS_TYPE_TXT, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (txt->records, 0);
  g_assert_cmpuint (g_strv_length (rr->strings), ==, 2);
  g_assert_cmpstr (rr->text, ==, "v=spf1 mx ~all");

  srv = query (b, "_imaps._tcp.kunde.example", HES_DNS_TYPE_SRV, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (srv->records, 0);
  g_assert_cmpuint (rr->port, ==, 993);
  g_assert_cmpuint (rr->weight, ==, 1);
  g_assert_cmpstr (rr->target, ==, "mail.hosterra.test");

  cname = query (b, "autoconfig.kunde.example", HES_DNS_TYPE_CNAME, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (cname->records, 0);
  g_assert_cmpint (rr->type, ==, HES_DNS_TYPE_CNAME);
  g_assert_cmpuint (rr->ttl, ==, 600);
  g_assert_cmpstr (rr->target, ==, "mail.hosterra.test");

  aaaa = query (b, "v6.kunde.example", HES_DNS_TYPE_AAAA, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  rr = g_ptr_array_index (aaaa->records, 0);
  g_assert_cmpstr (rr->address, ==, "2001:db8::25");

  /* An A query at an alias shows the CNAME and, in-zone, the address it leads to. */
  chain = query (b, "alias.kunde.example", HES_DNS_TYPE_A, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chain->records->len, ==, 2);
  rr = g_ptr_array_index (chain->records, 0);
  g_assert_cmpint (rr->type, ==, HES_DNS_TYPE_CNAME);
  rr = g_ptr_array_index (chain->records, 1);
  g_assert_cmpstr (rr->address, ==, "192.0.2.80");
}

static void
test_negative (Fixture *f, gconstpointer data)
{
  HesDnsBackend *b = HES_DNS_BACKEND (f->backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) nx = query (b, "nothing.kunde.example", HES_DNS_TYPE_TXT, NULL, FALSE, NULL, &error);
  g_autoptr(HesDnsAnswer) nodata = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (nx->rcode, ==, HES_DNS_RCODE_NXDOMAIN);
  g_assert_true (hes_dns_answer_is_negative (nx, HES_DNS_TYPE_TXT));
  g_assert_cmpint (nx->negative_ttl, ==, 300);

  nodata = query (b, "www.kunde.example", HES_DNS_TYPE_TXT, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nodata->rcode, ==, HES_DNS_RCODE_NOERROR);
  g_assert_cmpuint (nodata->records->len, ==, 0);
  g_assert_true (hes_dns_answer_is_negative (nodata, HES_DNS_TYPE_TXT));
  g_assert_cmpint (hes_dns_answer_get_cache_ttl (nodata, HES_DNS_TYPE_TXT), ==, 300);
}

static void
test_failures (Fixture *f, gconstpointer data)
{
  HesDnsBackend *b = HES_DNS_BACKEND (f->backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) refused = query (b, "other.example", HES_DNS_TYPE_TXT, NULL, FALSE, NULL, &error);
  g_autoptr(HesDnsAnswer) servfail = NULL;

  /* A refusal comes back as an answer with its rcode, never as "missing". */
  g_assert_no_error (error);
  g_assert_cmpint (refused->rcode, ==, HES_DNS_RCODE_REFUSED);
  g_assert_false (hes_dns_answer_is_negative (refused, HES_DNS_TYPE_TXT));

  servfail = query (b, "broken.example", HES_DNS_TYPE_TXT, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (servfail->rcode, ==, HES_DNS_RCODE_SERVFAIL);
  g_assert_false (hes_dns_answer_is_negative (servfail, HES_DNS_TYPE_TXT));
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocket) sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) answer = NULL;
  g_autofree char *server = NULL;
  gint64 start;

  /* A UDP socket that never answers: a black hole. */
  g_assert_true (g_socket_bind (sink, any, FALSE, NULL));
  bound = g_socket_get_local_address (sink, NULL);
  server = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  hes_dns_direct_backend_set_timeout (f->backend, 300);
  start = g_get_monotonic_time ();
  answer = query (HES_DNS_BACKEND (f->backend), "kunde.example", HES_DNS_TYPE_MX, server,
                  FALSE, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 900 * 1000);
}

/* Two tries within the time limit: the silent server receives the question twice. */
static void
test_attempts (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocket) sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) answer = NULL;
  g_autofree char *server = NULL;
  char buf[512];
  guint received = 0;

  g_assert_true (g_socket_bind (sink, any, FALSE, NULL));
  bound = g_socket_get_local_address (sink, NULL);
  server = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  hes_dns_direct_backend_set_timeout (f->backend, 2500);
  hes_dns_direct_backend_set_attempts (f->backend, 2);
  answer = query (HES_DNS_BACKEND (f->backend), "kunde.example", HES_DNS_TYPE_MX, server,
                  FALSE, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_socket_set_blocking (sink, FALSE);
  while (g_socket_receive (sink, buf, sizeof buf, NULL, NULL) > 0)
    received++;
  g_assert_cmpuint (received, ==, 2);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) answer = NULL;

  g_cancellable_cancel (cancellable);
  answer = query (HES_DNS_BACKEND (f->backend), "kunde.example", HES_DNS_TYPE_MX, NULL, FALSE,
                  cancellable, &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct {
  guint done;
  guint ok;
} Many;

static void
on_many (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Many *m = user_data;
  g_autoptr(HesDnsAnswer) answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result, NULL);

  m->done++;
  m->ok += answer != NULL && answer->records->len == 1;
}

static void
test_bounded (Fixture *f, gconstpointer data)
{
  Many m = { 0, };

  hes_dns_direct_backend_set_max_in_flight (f->backend, 3);
  for (guint i = 0; i < 20; i++)
    hes_dns_backend_query_async (HES_DNS_BACKEND (f->backend), "kunde.example", HES_DNS_TYPE_MX,
                                 NULL, FALSE, NULL, on_many, &m);
  while (m.done < 20)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (m.ok, ==, 20);
  g_assert_cmpuint (hes_dns_direct_backend_get_peak_in_flight (f->backend), <=, 3);
  g_assert_cmpuint (hes_dns_direct_backend_get_peak_in_flight (f->backend), >=, 2);
}

static void
test_invalid_name (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) answer = query (HES_DNS_BACKEND (f->backend), "a..b", HES_DNS_TYPE_MX,
                                          NULL, FALSE, NULL, &error);

  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_parse_server (void)
{
  g_autofree char *a = NULL;
  guint16 port = 0;

  g_assert_true (hes_dns_parse_server ("127.0.0.1:5353", &a, &port));
  g_assert_cmpstr (a, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 5353);
  g_assert_true (hes_dns_parse_server ("192.0.2.1", NULL, &port));
  g_assert_cmpuint (port, ==, 53);
  g_assert_false (hes_dns_parse_server ("2001:db8::1", NULL, NULL));
  g_assert_false (hes_dns_parse_server ("127.0.0.1:99999", NULL, NULL));
  g_assert_false (hes_dns_parse_server ("example.org", NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/direct/parse-server", test_parse_server);
#define ADD(path, fn) g_test_add ("/dns/direct/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("types", test_types);
  ADD ("negative", test_negative);
  ADD ("failures", test_failures);
  ADD ("timeout", test_timeout);
  ADD ("attempts", test_attempts);
  ADD ("cancel", test_cancel);
  ADD ("bounded", test_bounded);
  ADD ("invalid-name", test_invalid_name);
  return g_test_run ();
}
