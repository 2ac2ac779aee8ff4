/* test-dns-caching-backend.c: one lookup per question, shared by every asker: while it runs,
 * after it ended, for errors too; different questions stay apart; cancellation reaches it. */
#include <gio/gio.h>

#include "hes-dns-caching-backend.h"
#include "hes-fake-dns-backend.h"

typedef struct {
  HesDnsAnswer *answer;
  GError       *error;
  gboolean      done;
} Ask;

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ask *a = user_data;

  a->answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source), result, &a->error);
  a->done = TRUE;
}

static void
ask (HesDnsCachingBackend *cache,
     const char           *name,
     HesDnsType            type,
     const char           *server,
     GCancellable         *cancellable,
     Ask                  *a)
{
  hes_dns_backend_query_async (HES_DNS_BACKEND (cache), name, type, server, server == NULL,
                               cancellable, on_answer, a);
}

static void
wait_for (Ask *asks, guint n)
{
  for (guint i = 0; i < n; i++)
    while (!asks[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static void
ask_clear (Ask *a)
{
  g_clear_pointer (&a->answer, hes_dns_answer_unref);
  g_clear_error (&a->error);
  a->done = FALSE;
}

static HesFakeDnsBackend *
fake_new (void)
{
  HesFakeDnsBackend *fake = hes_fake_dns_backend_new ();

  hes_fake_dns_backend_add (fake, NULL, "kunde.example MX 10 mail.hosterra.test");
  hes_fake_dns_backend_add (fake, NULL, "mail.hosterra.test A 192.0.2.25");
  hes_fake_dns_backend_add (fake, "192.0.2.53:53", "kunde.example MX 20 mx.old.example");
  return fake;
}

static void
test_shared_while_running (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_new ();
  g_autoptr(HesDnsCachingBackend) cache = hes_dns_caching_backend_new (HES_DNS_BACKEND (fake));
  Ask asks[3] = { 0, };

  /* Slow answers: the second and third askers come while the lookup runs. */
  hes_fake_dns_backend_set_behaviour (fake, NULL, NULL, HES_FAKE_SLOW);
  for (guint i = 0; i < 3; i++)
    ask (cache, i == 1 ? "KUNDE.example." : "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[i]);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 1);
  wait_for (asks, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_error (asks[i].error);
      g_assert_true (asks[i].answer == asks[0].answer);
    }
  g_assert_cmpuint (asks[0].answer->records->len, ==, 1);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_queries (fake), ==, 1);
  g_assert_cmpuint (hes_dns_caching_backend_get_n_lookups (cache), ==, 1);

  /* Asked again after it ended: the same answer, still no new lookup. */
  ask_clear (&asks[1]);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[1]);
  g_assert_false (asks[1].done);   /* delivered from the main loop, never re-entrantly */
  wait_for (&asks[1], 1);
  g_assert_true (asks[1].answer == asks[0].answer);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_queries (fake), ==, 1);
  for (guint i = 0; i < 3; i++)
    ask_clear (&asks[i]);
}

static void
test_questions_apart (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_new ();
  g_autoptr(HesDnsCachingBackend) cache = hes_dns_caching_backend_new (HES_DNS_BACKEND (fake));
  Ask asks[4] = { 0, };

  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[0]);
  ask (cache, "kunde.example", HES_DNS_TYPE_TXT, NULL, NULL, &asks[1]);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, "192.0.2.53:53", NULL, &asks[2]);
  ask (cache, "mail.hosterra.test", HES_DNS_TYPE_A, NULL, NULL, &asks[3]);
  wait_for (asks, 4);
  g_assert_cmpuint (hes_dns_caching_backend_get_n_lookups (cache), ==, 4);
  g_assert_cmpstr (((HesDnsRr *) g_ptr_array_index (asks[0].answer->records, 0))->target, ==, "mail.hosterra.test");
  g_assert_cmpuint (asks[1].answer->records->len, ==, 0);
  /* The server's own view, with authority. */
  g_assert_true (asks[2].answer->aa);
  g_assert_cmpstr (((HesDnsRr *) g_ptr_array_index (asks[2].answer->records, 0))->target, ==, "mx.old.example");
  g_assert_cmpstr (((HesDnsRr *) g_ptr_array_index (asks[3].answer->records, 0))->address, ==, "192.0.2.25");
  for (guint i = 0; i < 4; i++)
    ask_clear (&asks[i]);
}

static void
test_errors_shared (void)
{
  g_autoptr(HesFakeDnsBackend) fake = fake_new ();
  g_autoptr(HesDnsCachingBackend) cache = hes_dns_caching_backend_new (HES_DNS_BACKEND (fake));
  Ask asks[3] = { 0, };

  hes_fake_dns_backend_set_behaviour (fake, NULL, "kunde.example", HES_FAKE_TIMEOUT);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[0]);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[1]);
  wait_for (asks, 2);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, NULL, &asks[2]);
  wait_for (&asks[2], 1);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_null (asks[i].answer);
      g_assert_error (asks[i].error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      ask_clear (&asks[i]);
    }
  g_assert_cmpuint (hes_fake_dns_backend_get_n_queries (fake), ==, 1);
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
  g_autoptr(HesFakeDnsBackend) fake = fake_new ();
  g_autoptr(HesDnsCachingBackend) cache = hes_dns_caching_backend_new (HES_DNS_BACKEND (fake));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Ask asks[2] = { 0, };

  hes_fake_dns_backend_set_behaviour (fake, NULL, NULL, HES_FAKE_HANG);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, cancellable, &asks[0]);
  ask (cache, "kunde.example", HES_DNS_TYPE_MX, NULL, cancellable, &asks[1]);
  g_timeout_add (20, cancel_cb, cancellable);
  wait_for (asks, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_error (asks[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      ask_clear (&asks[i]);
    }
  /* The one lookup behind them was cancelled too. */
  g_assert_cmpuint (hes_fake_dns_backend_get_n_open (fake), ==, 0);
  g_assert_cmpuint (hes_fake_dns_backend_get_n_queries (fake), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/caching-backend/shared-while-running", test_shared_while_running);
  g_test_add_func ("/dns/caching-backend/questions-apart", test_questions_apart);
  g_test_add_func ("/dns/caching-backend/errors-shared", test_errors_shared);
  g_test_add_func ("/dns/caching-backend/cancel", test_cancel);
  return g_test_run ();
}
