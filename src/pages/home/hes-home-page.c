/* hes-home-page.c: the account, its domains and the tasks. */
#define G_LOG_DOMAIN "hes-home-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-home-page.h"
#include "hes-tasks.h"
#include "pages/migration/hes-your-moves.h"

struct _HesHomePage
{
  HesPage parent_instance;

  GtkWidget *user_row;
  GtkWidget *avatar;
  GtkWidget *server_row;
  GtkWidget *domains_list;
  GtkWidget *tasks_group;
  GtkWidget *tasks_list;
  GtkWidget *sign_out_button;
  GtkWidget *moves_group;
  GtkWidget *message_area;

  GCancellable *domains_cancellable;
};

G_DEFINE_FINAL_TYPE (HesHomePage, hes_home_page, HES_TYPE_PAGE)

static HesMailcowClient *
get_client (HesHomePage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));

  return session != NULL ? hes_session_get_client (session) : NULL;
}

static const char *
role_label (HesMailcowRole role)
{
  if (role == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    return _("Domain administrator");
  return _("Mailbox user");
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static GtkWidget *
message_row_new (const char *title,
                 const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

/* "boulangerie-martin.example · Boulangerie Martin · 4 mailboxes": the ASCII name only when the
 * title shows another spelling, the description when there is one. */
static char *
domain_subtitle (const HesMailcowDomain *domain,
                 const char             *display,
                 HesMailcowRole          role)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (g_strcmp0 (display, domain->name) != 0)
    g_ptr_array_add (parts, g_strdup (domain->name));
  if (domain->description != NULL && *domain->description != '\0')
    g_ptr_array_add (parts, g_strdup (domain->description));
  /* Only an administrator's answer counts the mailboxes: a mailbox user learns nothing of the
   * others, which is not "0 mailboxes". */
  if (role == HES_MAILCOW_ROLE_DOMAIN_ADMIN)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d mailbox",
                                                          "%d mailboxes",
                                                          (gulong) domain->mailboxes),
                                             (int) domain->mailboxes));
  else
    g_ptr_array_add (parts, g_strdup (_("The domain of your address")));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between the facts about a domain. */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static GtkWidget *
domain_row_new (const HesMailcowDomain *domain,
                HesMailcowRole          role)
{
  const char *display = domain->display_name && *domain->display_name ? domain->display_name
                                                                        : domain->name;
  g_autofree char *subtitle = domain_subtitle (domain, display, role);
  GtkWidget *row = message_row_new (display, subtitle);

  gtk_widget_set_name (row, domain->name);
  if (!domain->active)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Inactive: mail for this domain is refused."));

  return row;
}

static void
on_domains_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HesHomePage) self = user_data;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GError) error = NULL;

  domains = hes_mailcow_client_list_domains_finish (HES_MAILCOW_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_list (self->domains_list);

  if (domains == NULL) {
    GtkWidget *row = message_row_new (_("Your domains could not be loaded"), NULL);
    GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Try Again"));

    hes_page_show_error_from_gerror (HES_PAGE (self), error);
    gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
    gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Load your domains again"), -1);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "home.reload");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
    gtk_list_box_append (GTK_LIST_BOX (self->domains_list), row);
    return;
  }

  if (domains->len == 0)
    gtk_list_box_append (GTK_LIST_BOX (self->domains_list),
                         message_row_new (_("No domains yet"), NULL));

  for (guint i = 0; i < domains->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->domains_list),
                         domain_row_new (g_ptr_array_index (domains, i),
                                         hes_mailcow_client_get_role (HES_MAILCOW_CLIENT (object))));
}

static void
load_domains (HesHomePage *self)
{
  HesMailcowClient *client = get_client (self);
  GtkWidget *row;
  GtkWidget *spinner;

  g_cancellable_cancel (self->domains_cancellable);
  g_clear_object (&self->domains_cancellable);
  clear_list (self->domains_list);
  hes_page_clear_message (HES_PAGE (self));
  if (client == NULL)
    return;

  row = message_row_new (_("Loading your domains…"), NULL);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), spinner);
  gtk_list_box_append (GTK_LIST_BOX (self->domains_list), row);

  self->domains_cancellable = g_cancellable_new ();
  hes_mailcow_client_list_domains_async (client, self->domains_cancellable,
                                         on_domains_ready_cb, g_object_ref (self));
}

static void
on_task_activated_cb (AdwActionRow *row,
                      HesHomePage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "task-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-task", "s", id);
}

static void
build_task_rows (HesHomePage *self)
{
  guint n_tasks;
  const HesTaskInfo *tasks = hes_tasks_get_all (&n_tasks);

  for (guint i = 0; i < n_tasks; i++) {
    GtkWidget *row = adw_action_row_new ();
    /* Decorations: the row's title says it all to a screen reader. */
    GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", tasks[i].icon_name,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
    GtkWidget *arrow = g_object_new (GTK_TYPE_IMAGE, "icon-name", "go-next-symbolic",
                                     "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
    g_autofree char *name = g_strconcat ("task-", tasks[i].id, NULL);

    gtk_widget_set_name (row, name);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(tasks[i].title));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
    g_object_set_data (G_OBJECT (row), "task-id", (gpointer) tasks[i].id);
    g_signal_connect_object (row, "activated", G_CALLBACK (on_task_activated_cb), self, 0);
    gtk_list_box_append (GTK_LIST_BOX (self->tasks_list), row);
  }
}

/* A task shows once its pages exist; one the role cannot do stays visible, greyed, with why. */
static void
update_task_rows (HesHomePage *self)
{
  HesMailcowClient *client = get_client (self);
  HesMailcowRole role = client ? hes_mailcow_client_get_role (client)
                               : HES_MAILCOW_ROLE_MAILBOX_USER;
  gboolean any = FALSE;

  for (GtkWidget *row = gtk_widget_get_first_child (self->tasks_list); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    const HesTaskInfo *task = hes_tasks_lookup (g_object_get_data (G_OBJECT (row), "task-id"));
    const char *reason = NULL;
    gboolean allowed = hes_task_allowed_for_role (task, role, &reason);
    gboolean registered = hes_tasks_get_factory (task->id) != NULL;

    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), allowed ? _(task->description) : reason);
    gtk_widget_set_sensitive (row, allowed);
    gtk_widget_set_visible (row, registered);
    any |= registered;
  }

  gtk_widget_set_visible (self->tasks_group, any);
}

static void
update_account (HesHomePage *self)
{
  HesMailcowClient *client = get_client (self);
  const char *username = client ? hes_mailcow_client_get_username (client) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->user_row), username ? username : "");
  adw_avatar_set_text (ADW_AVATAR (self->avatar), username);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row),
                               client ? role_label (hes_mailcow_client_get_role (client)) : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row),
                               client ? hes_mailcow_client_get_host (client) : "");
}

void
hes_home_page_refresh (HesHomePage *self)
{
  g_return_if_fail (HES_IS_HOME_PAGE (self));

  update_account (self);
  update_task_rows (self);
}

/* Signed in, the keyboard starts on the first thing to do, not on Sign Out. */
static void
focus_first_task (HesHomePage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->tasks_list); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (gtk_widget_get_visible (row) && gtk_widget_get_sensitive (row)) {
      gtk_widget_grab_focus (row);
      return;
    }
  }
}

static void
hes_home_page_shown (HesPage *page)
{
  HesHomePage *self = HES_HOME_PAGE (page);

  hes_home_page_refresh (self);
  load_domains (self);
  hes_your_moves_reload (HES_YOUR_MOVES (self->moves_group), hes_page_get_session (page));
  for (GtkWidget *row = gtk_widget_get_first_child (self->tasks_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), "task-move-mailbox") == 0
        && gtk_widget_get_sensitive (row))
      hes_your_moves_check_rights (HES_YOUR_MOVES (self->moves_group), row);
  focus_first_task (self);
}

static void
on_signed_out_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hes_mailcow_client_sign_out_finish (HES_MAILCOW_CLIENT (object), result, &error))
    g_debug ("Signing out on the server failed: %s", error->message);
}

static void
home_sign_out (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HesHomePage *self = HES_HOME_PAGE (widget);
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  HesMailcowClient *client = get_client (self);

  if (client == NULL)
    return;

  /* The customer is signed out here at once; the server is told in the background (the call
   * keeps the client alive and is time-limited), so an unreachable server never blocks. */
  hes_mailcow_client_sign_out_async (client, NULL, on_signed_out_cb, NULL);
  g_cancellable_cancel (self->domains_cancellable);
  hes_your_moves_clear (HES_YOUR_MOVES (self->moves_group));
  hes_session_set_client (session, NULL);
}

static void
home_reload (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  load_domains (HES_HOME_PAGE (widget));
}

static void
hes_home_page_dispose (GObject *object)
{
  HesHomePage *self = HES_HOME_PAGE (object);

  g_cancellable_cancel (self->domains_cancellable);
  g_clear_object (&self->domains_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_HOME_PAGE);

  G_OBJECT_CLASS (hes_home_page_parent_class)->dispose (object);
}

static void
hes_home_page_class_init (HesHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_home_page_dispose;
  page_class->shown = hes_home_page_shown;
  g_type_ensure (HES_TYPE_YOUR_MOVES);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pages/home/hes-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, user_row);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, avatar);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, server_row);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, domains_list);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, tasks_group);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, tasks_list);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, moves_group);
  gtk_widget_class_bind_template_child (widget_class, HesHomePage, message_area);

  gtk_widget_class_install_action (widget_class, "home.sign-out", NULL, home_sign_out);
  gtk_widget_class_install_action (widget_class, "home.reload", NULL, home_reload);
}

static void
hes_home_page_init (HesHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  build_task_rows (self);
  update_task_rows (self);
}

HesPage *
hes_home_page_new (HesSession *session)
{
  return g_object_new (HES_TYPE_HOME_PAGE, "session", session, NULL);
}
