/* hes-notification-recorder.c: the notification server of the tests' private session bus.
 *
 * It owns org.freedesktop.Notifications (activated through the .service file of tests/dbus), answers the
 * calls GLib's notification backend makes, and keeps every notification it is sent. The tests
 * read them back and press their actions through a second interface on the same object:
 *
 *   help.hosterra.EmailSetup.Test.NotificationRecorder
 *     List () -> a(usssas)     every notification: id, app name, summary, body, actions
 *     Invoke (u id, s action)  emits ActionInvoked as if the user had clicked it
 *
 * It lives as long as the bus: the test's bus goes when the test ends, and so does it. */
#define G_LOG_DOMAIN "hes-notification-recorder"

#include <gio/gio.h>

#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define RECORDER_INTERFACE "help.hosterra.EmailSetup.Test.NotificationRecorder"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "  <interface name='" RECORDER_INTERFACE "'>"
  "    <method name='List'>"
  "      <arg type='a(usssas)' name='notifications' direction='out'/>"
  "    </method>"
  "    <method name='Invoke'>"
  "      <arg type='u' name='id' direction='in'/>"
  "      <arg type='s' name='action_key' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  guint32 id;
  char *app_name;
  char *summary;
  char *body;
  char **actions;
  gboolean closed;
} Notification;

static GPtrArray *notifications;  /* Notification, in the order they came */
static guint32 last_id;
static GMainLoop *loop;

static void
notification_free (gpointer data)
{
  Notification *n = data;

  g_free (n->app_name);
  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

static Notification *
find_notification (guint32 id)
{
  for (guint i = 0; i < notifications->len; i++) {
    Notification *n = g_ptr_array_index (notifications, i);

    if (n->id == id)
      return n;
  }

  return NULL;
}

static void
emit (GDBusConnection *connection,
      const char      *signal_name,
      GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;

  if (!g_dbus_connection_emit_signal (connection, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                      signal_name, parameters, &error))
    g_warning ("Could not emit %s: %s", signal_name, error->message);
}

static void
handle_notify (GVariant              *parameters,
               GDBusMethodInvocation *invocation)
{
  Notification *n = g_new0 (Notification, 1);
  guint32 replaces_id;
  g_autoptr(GVariant) hints = NULL;
  int expire_timeout;

  g_variant_get (parameters, "(susss^as@a{sv}i)", &n->app_name, &replaces_id, NULL,
                 &n->summary, &n->body, &n->actions, &hints, &expire_timeout);
  /* A replaced notification keeps its id, as on a desktop; the record keeps both versions. */
  n->id = replaces_id != 0 && find_notification (replaces_id) != NULL ? replaces_id : ++last_id;
  g_ptr_array_add (notifications, n);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
}

static void
handle_list (GDBusMethodInvocation *invocation)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(usssas)"));
  for (guint i = 0; i < notifications->len; i++) {
    Notification *n = g_ptr_array_index (notifications, i);

    g_variant_builder_add (&builder, "(usss^as)", n->id,
                           n->app_name, n->summary, n->body, n->actions);
  }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(usssas))", &builder));
}

static void
on_method_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify")) {
    handle_notify (parameters, invocation);
  } else if (g_str_equal (method_name, "CloseNotification")) {
    guint32 id;
    Notification *n;

    g_variant_get (parameters, "(u)", &id);
    n = find_notification (id);
    if (n != NULL && !n->closed) {
      n->closed = TRUE;
      emit (connection, "NotificationClosed", g_variant_new ("(uu)", id, 3));
    }
    g_dbus_method_invocation_return_value (invocation, NULL);
  } else if (g_str_equal (method_name, "GetCapabilities")) {
    const char *caps[] = { "actions", "body", NULL };

    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
  } else if (g_str_equal (method_name, "GetServerInformation")) {
    g_dbus_method_invocation_return_value (invocation,
      g_variant_new ("(ssss)", "hes-notification-recorder", "Hosterra", "1", "1.2"));
  } else if (g_str_equal (method_name, "List")) {
    handle_list (invocation);
  } else if (g_str_equal (method_name, "Invoke")) {
    guint32 id;
    const char *action;

    g_variant_get (parameters, "(u&s)", &id, &action);
    if (find_notification (id) == NULL) {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "No notification %u", id);
      return;
    }
    emit (connection, "ActionInvoked", g_variant_new ("(us)", id, action));
    g_dbus_method_invocation_return_value (invocation, NULL);
  } else {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
  }
}

static const GDBusInterfaceVTable vtable = { on_method_call_cb, NULL, NULL, { 0 } };

static void
on_bus_acquired_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  GDBusNodeInfo *info = user_data;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; info->interfaces[i] != NULL; i++)
    if (g_dbus_connection_register_object (connection, NOTIFICATIONS_PATH, info->interfaces[i],
                                           &vtable, NULL, NULL, &error) == 0)
      g_error ("Could not export %s: %s", info->interfaces[i]->name, error->message);
}

static void
on_name_lost_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  /* Another server owns the name, or the bus is gone: nothing left to record. */
  g_main_loop_quit (loop);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  guint owner_id;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (notification_free);
  loop = g_main_loop_new (NULL, FALSE);
  owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, NOTIFICATIONS_NAME,
                             G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, on_bus_acquired_cb, NULL,
                             on_name_lost_cb, info, NULL);
  g_main_loop_run (loop);

  g_bus_unown_name (owner_id);
  g_main_loop_unref (loop);
  g_ptr_array_unref (notifications);

  return 0;
}
