/* test-dns-zone-finder.c: finding the zone apex and the authoritative servers, on the fake
 * backend (glue or not, apex above the domain, no zone, cancellation) and on Knot (real glue
 * and a real negative answer naming the zone). Lookups are counted through a
 * HesDnsCachingBackend, so "one round trip less" shows as one lookup less. */
#include <gio/gio.h>

#include "hes-dns-caching-backend.h"
#include "hes-dns-direct-backend.h"
#include "hes-dns-zone-finder.h"
#include "hes-fake-dns-backend.h"
#include "hes-knot-fixture.h"
#include "hes-test-zones.h"

static const char *infrastructure =
  "kunde.example SOA ns1.kunde.example hostmaster.kunde.example 1 3600 900 1209600 300\n"
  "kunde.example NS ns1.kunde.example\n"
  "ns1.kunde.example A 192.0.2.53\n"
  "ns1.kunde.example AAAA 2001:db8::53\n";

typedef struct {
  gboolean   done;
  gboolean   ok;
  GError    *error;
  GPtrArray *announced;   /* char *: "server-found" in order */
  guint      lookups;     /* at the inner backend */
} Find;

static void
on_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Find *f = user_data;

  f->ok = hes_dns_zone_finder_find_finish (HES_DNS_ZONE_FINDER (source), result, &f->error);
  f->done = TRUE;
}

static void
on_server (HesDnsZoneFinder *finder, const char *server, Find *f)
{
  g_assert_false (f->done);
  g_ptr_array_add (f->announced, g_strdup (server));
}

/* Runs a search and returns the finder for its results. */
static HesDnsZoneFinder *
find (HesDnsBackend *backend,
      guint16        port,
      const char    *domain,
      GCancellable  *cancellable,
      Find          *f)
{
  g_autoptr(HesDnsCachingBackend) counting = hes_dns_caching_backend_new (backend);
  HesDnsZoneFinder *finder = hes_dns_zone_finder_new (HES_DNS_BACKEND (counting), port);

  f->announced = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (finder, "server-found", G_CALLBACK (on_server), f);
  hes_dns_zone_finder_find_async (finder, domain, cancellable, on_found, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  f->lookups = hes_dns_caching_backend_get_n_lookups (counting);
  return finder;
}

static void
find_clear (Find *f)
{
  g_clear_pointer (&f->announced, g_ptr_array_unref);
  g_clear_error (&f->error);
}

static void
assert_servers (HesDnsZoneFinder   *finder,
                Find               *f,
                const char * const *expected)
{
  const char * const *servers = hes_dns_zone_finder_get_servers (finder);

  g_assert_cmpuint (g_strv_length ((char **) servers), ==, g_strv_length ((char **) expected));
  g_assert_cmpuint (f->announced->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    {
      g_assert_true (g_strv_contains (servers, expected[i]));
      g_assert_cmpstr (g_ptr_array_index (f->announced, i), ==, servers[i]);
    }
}

static void
test_apex_without_glue (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  const char *expected[] = { "192.0.2.53:53", NULL };
  Find f = { 0, };

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  finder = find (HES_DNS_BACKEND (fake), 53, "kunde.example", NULL, &f);
  g_assert_true (f.ok);
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "kunde.example");
  assert_servers (finder, &f, expected);
  /* SOA and NS together, then the server's address (IPv4 only). */
  g_assert_cmpuint (f.lookups, ==, 3);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns1.kunde.example", HES_DNS_TYPE_A), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns1.kunde.example", HES_DNS_TYPE_AAAA), ==, 0);
  find_clear (&f);
}

static void
test_apex_with_glue (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  const char *expected[] = { "192.0.2.53:5353", NULL };
  Find f = { 0, };

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  hes_fake_dns_backend_set_glue (fake, TRUE);
  finder = find (HES_DNS_BACKEND (fake), 5353, "kunde.example", NULL, &f);
  g_assert_true (f.ok);
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "kunde.example");
  assert_servers (finder, &f, expected);
  /* The address came with the NS answer: no round trip for it. */
  g_assert_cmpuint (f.lookups, ==, 2);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns1.kunde.example", HES_DNS_TYPE_A), ==, 0);
  find_clear (&f);
}

static void
test_partial_glue (void)
{
  /* ns1 is inside the zone (glue), ns2 elsewhere (asked); ns3 has no address at all. */
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  const char *expected[] = { "192.0.2.53:53", "198.51.100.53:53", NULL };
  Find f = { 0, };

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  hes_fake_dns_backend_add_lines (fake, NULL,
                                  "kunde.example NS ns2.dns-host.example\n"
                                  "kunde.example NS ns3.dns-host.example\n"
                                  "ns2.dns-host.example A 198.51.100.53\n");
  hes_fake_dns_backend_set_glue (fake, TRUE);
  finder = find (HES_DNS_BACKEND (fake), 53, "kunde.example", NULL, &f);
  g_assert_true (f.ok);
  assert_servers (finder, &f, expected);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns1.kunde.example", HES_DNS_TYPE_A), ==, 0);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns2.dns-host.example", HES_DNS_TYPE_A), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "ns3.dns-host.example", HES_DNS_TYPE_A), ==, 1);
  find_clear (&f);
}

static void
test_apex_above_domain (void)
{
  /* No record at shop.kunde.example and no SOA in the negative answer: walk up. */
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  const char *expected[] = { "192.0.2.53:53", NULL };
  Find f = { 0, };

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  finder = find (HES_DNS_BACKEND (fake), 53, "Shop.Kunde.Example.", NULL, &f);
  g_assert_true (f.ok);
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "kunde.example");
  assert_servers (finder, &f, expected);
  /* The domain's own NS was asked at once (and found nothing); the apex's after the SOA. */
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "shop.kunde.example", HES_DNS_TYPE_NS), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "kunde.example", HES_DNS_TYPE_SOA), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "kunde.example", HES_DNS_TYPE_NS), ==, 1);
  find_clear (&f);
}

static void
test_no_zone (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  Find f = { 0, };

  finder = find (HES_DNS_BACKEND (fake), 53, "a.b.example", NULL, &f);
  g_assert_true (f.ok);
  g_assert_no_error (f.error);
  g_assert_null (hes_dns_zone_finder_get_apex (finder));
  g_assert_null (hes_dns_zone_finder_get_servers (finder)[0]);
  g_assert_cmpuint (f.announced->len, ==, 0);
  /* Up to the last name below the top-level domain, never the TLD itself. */
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "b.example", HES_DNS_TYPE_SOA), ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_count_queries (fake, NULL, "example", HES_DNS_TYPE_SOA), ==, 0);
  find_clear (&f);
}

static void
test_server_failure (void)
{
  /* The server's address lookup times out: the apex is known, no server is; still a result. */
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  Find f = { 0, };

  hes_fake_dns_backend_add_lines (fake, NULL, infrastructure);
  hes_fake_dns_backend_set_behaviour (fake, NULL, "ns1.kunde.example", HES_FAKE_TIMEOUT);
  finder = find (HES_DNS_BACKEND (fake), 53, "kunde.example", NULL, &f);
  g_assert_true (f.ok);
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "kunde.example");
  g_assert_null (hes_dns_zone_finder_get_servers (finder)[0]);
  find_clear (&f);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(HesFakeDnsBackend) fake = hes_fake_dns_backend_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  Find f = { 0, };

  hes_fake_dns_backend_set_behaviour (fake, NULL, NULL, HES_FAKE_HANG);
  g_timeout_add (20, cancel_cb, cancellable);
  finder = find (HES_DNS_BACKEND (fake), 53, "kunde.example", cancellable, &f);
  g_assert_false (f.ok);
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 0);
  find_clear (&f);
}

static HesKnotFixture *knot;

static void
test_knot_glue (void)
{
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (hes_knot_fixture_get_server (knot));
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", hes_knot_fixture_get_port (knot));
  const char *expected[] = { server, NULL };
  Find f = { 0, };

  finder = find (HES_DNS_BACKEND (direct), hes_knot_fixture_get_port (knot), "good.example", NULL, &f);
  g_assert_true (f.ok);
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "good.example");
  assert_servers (finder, &f, expected);
  /* Knot hands out the glue of ns1.good.example with the NS answer. */
  g_assert_cmpuint (f.lookups, ==, 2);
  find_clear (&f);
}

static void
test_knot_apex_above_domain (void)
{
  g_autoptr(HesDnsDirectBackend) direct = hes_dns_direct_backend_new (hes_knot_fixture_get_server (knot));
  g_autoptr(HesDnsZoneFinder) finder = NULL;
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", hes_knot_fixture_get_port (knot));
  const char *expected[] = { server, NULL };
  Find f = { 0, };

  finder = find (HES_DNS_BACKEND (direct), hes_knot_fixture_get_port (knot), "shop.good.example", NULL, &f);
  g_assert_true (f.ok);
  /* The negative answer's authority SOA names the zone: no walking label by label. */
  g_assert_cmpstr (hes_dns_zone_finder_get_apex (finder), ==, "good.example");
  assert_servers (finder, &f, expected);
  g_assert_cmpuint (f.lookups, ==, 3);
  find_clear (&f);
}

int
main (int argc, char **argv)
{
  g_auto(GStrv) zones = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  zones = hes_test_zones_standard ();
  knot = hes_knot_fixture_start ((const char * const *) zones, &error);
  if (knot == NULL)
    {
      g_printerr ("knotd could not be started: %s\n", error->message);
      return 1;
    }
  g_test_add_func ("/dns/zone-finder/apex-without-glue", test_apex_without_glue);
  g_test_add_func ("/dns/zone-finder/apex-with-glue", test_apex_with_glue);
  g_test_add_func ("/dns/zone-finder/partial-glue", test_partial_glue);
  g_test_add_func ("/dns/zone-finder/apex-above-domain", test_apex_above_domain);
  g_test_add_func ("/dns/zone-finder/no-zone", test_no_zone);
  g_test_add_func ("/dns/zone-finder/server-failure", test_server_failure);
  g_test_add_func ("/dns/zone-finder/cancel", test_cancel);
  g_test_add_func ("/dns/zone-finder/knot-glue", test_knot_glue);
  g_test_add_func ("/dns/zone-finder/knot-apex-above-domain", test_knot_apex_above_domain);
  status = g_test_run ();
  hes_knot_fixture_stop (knot);
  return status;
}
