/* test-dns-watch.c: the automatic re-check against Knot DNS, inside a real GApplication: it
 * keeps the application alive while records are wrong (no window needed), stops when they are
 * right (and says so with a notification) or after its time limit, and outlives its owner.
 * The notification goes over the test's private session bus to the recording notification
 * server (tests/dbus), which tells what it was sent and clicks it. */
#define G_LOG_DOMAIN "test-dns-watch"

#include "config.h"

#include <glib/gstdio.h>

#include "gui-dns-fixture.h"
#include "hes-dns-export.h"
#include "hes-dns-watch.h"
#include "hes-test-keys.h"
#include "hes-test-notifications.h"

#define DOMAIN GUI_DNS_MIXED_DOMAIN

typedef struct {
  HesKnotFixture *knot;
  HesDnsRecordPlan *plan;
  GApplication *app;
  HesDnsWatch *watch;
  guint checks;
  gboolean fix_after_first;
  guint notifications_before;
  gboolean click_notification;  /* the test holds the application until it has clicked */
  gint64 click_deadline;        /* the notification must have come by then */
  GPtrArray *sent;              /* HesTestNotification: what the server had, when clicked */
  char *results_shown;          /* the target of app.show-dns-results, once activated */
} Fixture;

static void
on_show_dns_results_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  Fixture *f = user_data;

  g_free (f->results_shown);
  f->results_shown = g_variant_dup_string (parameter, NULL);
  if (f->click_notification)
    g_application_release (f->app);
}

static guint
count_notifications (void)
{
  g_autoptr(GPtrArray) sent = hes_test_notifications_list ();

  return sent->len;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = gui_dns_read_zone ("hosterra.test");
  g_autofree char *mixed = gui_dns_read_zone (DOMAIN);
  const char *zones[] = { "hosterra.test", provider, DOMAIN, mixed, NULL };

  f->knot = hes_knot_fixture_start (zones, &error);
  g_assert_no_error (error);
  g_setenv ("HES_DNS_SERVER", hes_knot_fixture_get_server (f->knot), TRUE);
  f->plan = hes_dns_record_plan_new (DOMAIN, "mail.hosterra.test", NULL, NULL, TEST_KEY_A2048,
                                     &error);
  g_assert_no_error (error);
  f->app = g_application_new ("help.hosterra.EmailSetup.TestDnsWatch", G_APPLICATION_NON_UNIQUE);
  g_application_set_default (f->app);
  /* The action the application offers to notifications (HesApplication has the same). */
  {
    const GActionEntry entries[] = {
      { "show-dns-results", on_show_dns_results_cb, "s", NULL, NULL, { 0 } },
    };

    g_action_map_add_action_entries (G_ACTION_MAP (f->app), entries, G_N_ELEMENTS (entries), f);
  }
  f->notifications_before = count_notifications ();
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_application_set_default (NULL);
  g_clear_object (&f->app);
  g_clear_pointer (&f->results_shown, g_free);
  g_clear_pointer (&f->sent, g_ptr_array_unref);
  g_clear_object (&f->plan);
  g_clear_pointer (&f->knot, hes_knot_fixture_stop);
  g_unsetenv ("HES_DNS_SERVER");
}

/* The customer corrects the zone at the DNS host: the exported records, a newer serial. */
static void
fix_zone (Fixture *f)
{
  g_autofree char *fragment = hes_dns_export_zone (f->plan);
  g_autofree char *zone = g_strconcat (fragment,
    "@   3600 IN SOA ns1 hostmaster 2026112902 3600 900 1209600 300\n"
    "@   3600 IN NS  ns1\nns1 3600 IN A   127.0.0.1\n", NULL);
  g_autofree char *path = g_build_filename (hes_knot_fixture_get_dir (f->knot), "zones",
                                            DOMAIN ".zone", NULL);
  g_autofree char *conf = g_build_filename (hes_knot_fixture_get_dir (f->knot), "knot.conf",
                                            NULL);
  g_autofree char *knotc = hes_knot_find_program ("knotc");
  const char *argv[] = { knotc, "-c", conf, "-b", "zone-reload", DOMAIN, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_file_set_contents (path, zone, -1, &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
}

/* The person at the desktop clicks the notification once it is on screen, i.e. once the
 * recording server has it. */
static gboolean
click_when_sent_cb (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GPtrArray) sent = hes_test_notifications_list ();
  HesTestNotification *last;

  if (sent->len == f->notifications_before) {
    g_assert_cmpint (g_get_monotonic_time (), <, f->click_deadline);
    return G_SOURCE_CONTINUE;
  }
  last = g_ptr_array_index (sent, sent->len - 1);
  hes_test_notifications_invoke (last->id, "default");
  f->sent = g_steal_pointer (&sent);
  return G_SOURCE_REMOVE;
}

static void
on_checked_cb (HesDnsWatch       *watch,
               HesDnsCheckReport *report,
               Fixture           *f)
{
  g_assert_nonnull (report);
  f->checks++;
  if (f->checks == 1) {
    g_assert_false (hes_dns_check_report_is_ok (report));
    g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_WAITING);
    g_assert_true (hes_dns_watch_get_holding (watch));
    if (f->fix_after_first)
      fix_zone (f);
  } else if (f->click_notification && hes_dns_check_report_is_ok (report)) {
    g_application_hold (f->app);
    f->click_deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * HES_TEST_TIME_FACTOR;
    g_timeout_add (20, click_when_sent_cb, f);
  }
}

static void
on_activate_cb (GApplication *app,
                Fixture      *f)
{
  /* The window that asked for the check is gone at once: only the watch's hold is left. */
  f->watch = hes_dns_watch_get_for_plan (f->plan);
  g_signal_connect (f->watch, "checked", G_CALLBACK (on_checked_cb), f);
  hes_dns_watch_check_now (f->watch);
}

static void
run_app (Fixture *f)
{
  const guint delays[] = { 100 };
  g_autoptr(HesDnsWatch) watch = hes_dns_watch_get_for_plan (f->plan);

  hes_dns_watch_set_schedule (watch, delays, 1, 1500);
  g_signal_connect (f->app, "activate", G_CALLBACK (on_activate_cb), f);
  g_assert_cmpint (g_application_run (f->app, 0, NULL), ==, 0);
}

static void
test_until_right (Fixture       *f,
                  gconstpointer  data)
{
  GNotification *notification;
  HesTestNotification *shown;

  f->fix_after_first = TRUE;
  f->click_notification = TRUE;
  run_app (f);
  /* g_application_run returned: the watch let its hold go once everything was right, and the
   * test its own once the notification was clicked. */
  g_assert_cmpuint (f->checks, ==, 2);
  g_assert_cmpint (hes_dns_watch_get_state (f->watch), ==, HES_DNS_WATCH_DONE);
  g_assert_false (hes_dns_watch_get_holding (f->watch));
  g_assert_true (hes_dns_check_report_is_ok (hes_dns_watch_get_report (f->watch)));
  notification = hes_dns_watch_get_notification (f->watch);
  g_assert_nonnull (notification);

  /* What the notification server was sent: one notification, its words and its click. */
  g_assert_nonnull (f->sent);
  g_assert_cmpuint (f->sent->len, ==, f->notifications_before + 1);
  shown = g_ptr_array_index (f->sent, f->sent->len - 1);
  g_assert_cmpstr (shown->summary, ==, "Your DNS records are right");
  g_assert_cmpstr (shown->body, ==,
                   "Every required DNS record of " DOMAIN " is right: your email is ready.");
  g_assert_true (g_strv_contains ((const char * const *) shown->actions, "default"));
  /* The click asked the application to show this domain's results. */
  g_assert_cmpstr (f->results_shown, ==, DOMAIN);
  g_clear_object (&f->watch);
}

static void
test_gives_up (Fixture       *f,
               gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  run_app (f);
  /* Checked again and again, then gave up at the time limit and let the application go. */
  g_assert_cmpuint (f->checks, >=, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);
  g_assert_cmpint (hes_dns_watch_get_state (f->watch), ==, HES_DNS_WATCH_GAVE_UP);
  g_assert_false (hes_dns_watch_get_holding (f->watch));
  g_assert_null (hes_dns_watch_get_notification (f->watch));
  g_assert_cmpuint (count_notifications (), ==, f->notifications_before);
  g_clear_object (&f->watch);
}

static void
on_checked_quit_cb (HesDnsWatch       *watch,
                    HesDnsCheckReport *report,
                    GMainLoop         *loop)
{
  g_main_loop_quit (loop);
}

static void
test_outlives_owner (Fixture       *f,
                     gconstpointer  data)
{
  HesDnsWatch *watch = hes_dns_watch_get_for_plan (f->plan);
  HesDnsWatch *again;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler;

  handler = g_signal_connect (watch, "checked", G_CALLBACK (on_checked_quit_cb), loop);
  hes_dns_watch_check_now (watch);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (watch, handler);
  g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_WAITING);

  /* The page lets go of it; the watch lives on, and the next page gets the same one. */
  g_object_add_weak_pointer (G_OBJECT (watch), (gpointer *) &watch);
  g_object_unref (watch);
  g_assert_nonnull (watch);
  again = hes_dns_watch_get_for_plan (f->plan);
  g_assert_true (again == watch);
  g_assert_cmpint (hes_dns_watch_get_next_check (again), >, g_get_real_time ());

  /* Stopped, it goes once nobody holds it. */
  hes_dns_watch_stop (again);
  g_assert_cmpint (hes_dns_watch_get_next_check (again), ==, 0);
  g_object_unref (again);
  g_assert_null (watch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  hes_test_bus_assert_private ();

  g_test_add ("/dns-watch/until-right", Fixture, NULL, setup, test_until_right, teardown);
  g_test_add ("/dns-watch/gives-up", Fixture, NULL, setup, test_gives_up, teardown);
  g_test_add ("/dns-watch/outlives-owner", Fixture, NULL, setup, test_outlives_owner, teardown);

  return g_test_run ();
}
