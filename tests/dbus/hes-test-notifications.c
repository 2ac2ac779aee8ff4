/* hes-test-notifications.c: the test side of tests/dbus/hes-notification-recorder.
 *
 * Every test runs on a private session bus (the test setup in tests/meson.build wraps it in
 * dbus-run-session with tests/dbus/session.conf), where the only activatable service is the
 * recording notification server. These calls are synchronous: they are the test's own steps,
 * made while the application under test is not waiting on anything. */
#define G_LOG_DOMAIN "hes-test-notifications"

#include "hes-test-notifications.h"

#define RECORDER_NAME "org.freedesktop.Notifications"
#define RECORDER_PATH "/org/freedesktop/Notifications"
#define RECORDER_INTERFACE "help.hosterra.EmailSetup.Test.NotificationRecorder"

void
hes_test_notification_free (HesTestNotification *notification)
{
  g_free (notification->app_name);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification);
}

static GDBusConnection *
get_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

/* Fails the test unless it runs on the tests' own bus: a session's bus would show the
 * notifications on the developer's screen, and a bus without the recorder would lose them. */
void
hes_test_bus_assert_private (void)
{
  g_autoptr(GDBusConnection) bus = get_bus ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^a&s)", &names);
  if (!g_strv_contains (names, RECORDER_NAME) || g_strv_contains (names, "org.gtk.vfs.Daemon")
      || g_strv_contains (names, "org.freedesktop.portal.Desktop"))
    g_error ("Not on the tests' private session bus (run through meson test)");
}

GPtrArray *
hes_test_notifications_list (void)
{
  g_autoptr(GDBusConnection) bus = get_bus ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_test_notification_free);
  HesTestNotification n = { 0 };

  reply = g_dbus_connection_call_sync (bus, RECORDER_NAME, RECORDER_PATH, RECORDER_INTERFACE,
                                       "List", NULL, G_VARIANT_TYPE ("(a(usssas))"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(a(usssas))", &iter);
  while (g_variant_iter_next (iter, "(usss^as)", &n.id, &n.app_name, &n.summary, &n.body,
                              &n.actions))
    g_ptr_array_add (list, g_memdup2 (&n, sizeof n));

  return list;
}

void
hes_test_notifications_invoke (guint32     id,
                               const char *action_key)
{
  g_autoptr(GDBusConnection) bus = get_bus ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (bus, RECORDER_NAME, RECORDER_PATH, RECORDER_INTERFACE,
                                       "Invoke", g_variant_new ("(us)", id, action_key), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}
