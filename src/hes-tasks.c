/* hes-tasks.c: the tasks the home page offers. */
#define G_LOG_DOMAIN "hes-tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-tasks.h"

static const HesTaskInfo tasks[] = {
  { "dns", "network-server-symbolic", N_("Set Up DNS"),
    N_("Publish the DNS records your domain needs so mail reaches you."), TRUE },
  { "move-mailbox", "mail-send-receive-symbolic", N_("Move One Mailbox"),
    N_("Copy the mail of one address from your old provider."), FALSE },
  { "move-domain", "folder-remote-symbolic", N_("Move a Whole Domain"),
    N_("Bring every mailbox of a domain over, step by step, without losing mail."), TRUE },
  { "secure", "security-high-symbolic", N_("Secure My Account"),
    N_("Add a second factor: an authenticator app or a security key."), FALSE },
};

static HesTaskFactory factories[G_N_ELEMENTS (tasks)];

static int
find_task (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++) {
    if (g_strcmp0 (tasks[i].id, id) == 0)
      return i;
  }
  return -1;
}

const HesTaskInfo *
hes_tasks_get_all (guint *n_tasks)
{
  g_return_val_if_fail (n_tasks != NULL, NULL);

  *n_tasks = G_N_ELEMENTS (tasks);
  return tasks;
}

const HesTaskInfo *
hes_tasks_lookup (const char *id)
{
  int i = find_task (id);

  return i < 0 ? NULL : &tasks[i];
}

void
hes_tasks_register (const char     *id,
                    HesTaskFactory  factory)
{
  int i = find_task (id);

  g_return_if_fail (i >= 0);

  factories[i] = factory;
}

HesTaskFactory
hes_tasks_get_factory (const char *id)
{
  int i = find_task (id);

  return i < 0 ? NULL : factories[i];
}

gboolean
hes_task_allowed_for_role (const HesTaskInfo  *task,
                           HesMailcowRole      role,
                           const char        **reason)
{
  g_return_val_if_fail (task != NULL, FALSE);

  if (task->needs_domain_admin && role != HES_MAILCOW_ROLE_DOMAIN_ADMIN) {
    if (reason != NULL)
      *reason = _("Only a domain administrator can do this. "
                  "Sign out and sign in as domain administrator.");
    return FALSE;
  }

  return TRUE;
}
