/* migration-gui.c: helpers of the migration GUI tests. */
#define G_LOG_DOMAIN "migration-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-domain-migration.h"
#include "migration-gui.h"
#include "pages/migration/hes-migration-task.h"

void
mig_fixture_setup (GuiFixture    *f,
                   gconstpointer  data)
{
  const char *domains[] = { MIG_DOMAIN, NULL };

  hes_tasks_register ("move-mailbox", hes_move_mailbox_task_new_pages);
  hes_tasks_register ("move-domain", hes_move_domain_task_new_pages);
  gui_fixture_setup (f, data);
  hes_mailcow_sim_set_failure_delay_unit_ms (f->sim, 0);
  hes_mailcow_sim_set_hostname (f->sim, "mail.hosterra.test");
  hes_mailcow_sim_add_domain (f->sim, MIG_DOMAIN, "Kunde", TRUE);
  hes_mailcow_sim_set_domain_limits (f->sim, MIG_DOMAIN, 20, 20480, 4096, 1024);
  hes_mailcow_sim_add_domain_admin (f->sim, MIG_ADMIN, MIG_ADMIN_PASS, domains);
  hes_mailcow_sim_add_mailbox (f->sim, MIG_MAILBOX, "Anna", "Anna-Pass-1");
  hes_mailcow_sim_add_mailbox (f->sim, "bruno@" MIG_DOMAIN, "Bruno", "Bruno-Pass-1");
  gui_fixture_open_window (f);
  gui_sign_in (f, TRUE, MIG_ADMIN, MIG_ADMIN_PASS);
  gui_wait_for_home (f);
}

GtkWidget *
mig_child (gpointer    page,
           GType       type,
           const char *name)
{
  GtkWidget *child = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (page), type, name);

  g_assert_nonnull (child);
  return child;
}

char *
mig_state_path (GuiFixture *f,
                const char *state_dir,
                const char *domain)
{
  HesMailcowClient *client = hes_session_get_client (hes_window_get_session (f->window));

  return hes_domain_migration_build_state_path (state_dir, hes_mailcow_client_get_host (client),
                                                hes_mailcow_client_get_username (client), domain);
}

void
mig_on_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
mig_has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

JsonArray *
mig_server_jobs (GuiFixture *f,
                 const char *mailbox)
{
  HesMailcowClient *client = hes_session_get_client (hes_window_get_session (f->window));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_strdup_printf ("get/syncjobs/%s", mailbox);

  hes_mailcow_client_api_get_async (client, path, NULL, mig_on_done, &result);
  gui_wait_for (mig_has_result, &result, "the server's sync jobs");
  root = hes_mailcow_client_api_get_finish (client, result, &error);
  g_assert_no_error (error);
  if (JSON_NODE_HOLDS_OBJECT (root))  /* {} when there is none */
    return json_array_new ();
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

void
mig_open_task (GuiFixture *f,
               const char *id)
{
  HesPage *home = hes_window_get_home_page (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (home), "win.open-task", "s", id));
  gui_flush ();
  g_assert_true (gui_current_page (f) != home);
}

void
mig_assert_translated (const char *english)
{
  /* In the French run the catalog must be in use. */
  if (gui_is_french ())
    g_assert_cmpstr (_(english), !=, english);
}

GtkWidget *
mig_find_named (GtkWidget  *root,
                const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = mig_find_named (child, name);

    if (found != NULL)
      return found;
  }
  return NULL;
}
