/* hes-test-notifications.h: what the tests' notification server was sent, and its buttons. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint32 id;
  char *app_name;
  char *summary;
  char *body;
  char **actions;  /* key, label, key, label… */
} HesTestNotification;

void        hes_test_notification_free        (HesTestNotification *notification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesTestNotification, hes_test_notification_free)

void        hes_test_bus_assert_private       (void);
GPtrArray  *hes_test_notifications_list       (void);
void        hes_test_notifications_invoke     (guint32              id,
                                               const char          *action_key);

G_END_DECLS
