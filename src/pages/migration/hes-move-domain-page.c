/* hes-move-domain-page.c: the domain, its saved progress and the checklist of the six steps. */
#define G_LOG_DOMAIN "hes-move-domain-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-direct-backend.h"
#include "hes-dns-plan-source.h"
#include "hes-migration-error.h"
#include "hes-migration-fields.h"
#include "hes-move-domain-page-private.h"
#include "pages/dns/hes-dns-rows.h"

G_DEFINE_FINAL_TYPE (HesMoveDomainPage, hes_move_domain_page, HES_TYPE_PAGE)

static char *override_state_dir;
static char *override_autoconfig_url;
static guint override_poll_ms;
static char *override_dns_resolver;
static char *override_dns_authoritative;

static const char *step_views[] = {
  "mailboxes", "jobs", "dns", "propagation", "programs", "removal",
};

void
hes_move_domain_page_set_overrides (const char *state_dir,
                                    const char *autoconfig_url,
                                    guint       poll_ms)
{
  g_free (override_state_dir);
  override_state_dir = g_strdup (state_dir);
  g_free (override_autoconfig_url);
  override_autoconfig_url = g_strdup (autoconfig_url);
  override_poll_ms = poll_ms;
}

guint
_hes_move_domain_page_poll_ms (void)
{
  return override_poll_ms > 0 ? override_poll_ms : 5000;
}

void
hes_move_domain_page_set_dns_servers (const char *resolver,
                                      const char *authoritative)
{
  g_free (override_dns_resolver);
  override_dns_resolver = g_strdup (resolver);
  g_free (override_dns_authoritative);
  override_dns_authoritative = g_strdup (authoritative);
}

guint
_hes_move_domain_page_dns_delay_ms (void)
{
  return override_poll_ms > 0 ? override_poll_ms : 30000;
}

HesDnsChecker *
_hes_move_domain_page_new_checker (void)
{
  g_autoptr(HesDnsBackend) resolver = NULL;
  g_autoptr(HesDnsBackend) authoritative = NULL;
  HesDnsChecker *checker;

  if (override_dns_resolver == NULL || override_dns_authoritative == NULL)
    return hes_dns_checker_new (NULL, NULL);
  /* Two servers that may disagree, as a resolver's cache and the domain's servers do. */
  resolver = HES_DNS_BACKEND (hes_dns_direct_backend_new (override_dns_resolver));
  authoritative = HES_DNS_BACKEND (hes_dns_direct_backend_new (override_dns_authoritative));
  checker = hes_dns_checker_new (resolver, authoritative);
  hes_dns_checker_set_authoritative_servers (checker, (const char * const []) {
                                               override_dns_authoritative, NULL });
  return checker;
}

void
_hes_move_domain_page_show_error (HesMoveDomainPage *self,
                                  const GError      *error)
{
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), error != NULL);
}

static void
update_actions (HesMoveDomainPage *self)
{
  static const char *actions[] = {
    "domain.open-step", "domain.import-csv", "domain.check-lines", "domain.create-mailboxes",
    "domain.complete-jobs", "domain.open-dns", "domain.check-dns", "domain.check-switch",
    "domain.check-programs", "domain.programs-by-hand", "domain.remove-jobs",
  };
  gboolean ready = self->migration != NULL && !self->busy;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], ready);
  gtk_widget_set_sensitive (self->domain_row, !self->busy && self->domains_loaded);
}

void
_hes_move_domain_page_set_busy (HesMoveDomainPage *self,
                                gboolean           busy)
{
  self->busy = busy;
  update_actions (self);
}

HesSyncJobManager *
_hes_move_domain_page_get_manager (HesMoveDomainPage *self)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  HesMailcowClient *client = _hes_migration_get_client (HES_PAGE (self));

  if (self->manager == NULL && client != NULL)
    self->manager = hes_sync_job_manager_new (client, hes_session_get_profile (session));
  return self->manager;
}

GtkWidget *
_hes_move_domain_row_new (const char *title,
                          const char *subtitle,
                          const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (icon_name != NULL) {
    /* The subtitle says in words what the icon shows. */
    GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", icon_name,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

    gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

char *
_hes_move_domain_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  /* Translators: a date and time, see g_date_time_format(); digits only, so that the month
   * does not depend on the system's locale. */
  return g_date_time_format (time, _("%d/%m/%Y at %H:%M"));
}

static char *
step_subtitle (HesMoveDomainPage *self,
               HesMigrationStep   step,
               HesMigrationStep   current)
{
  if (hes_domain_migration_is_step_done (self->migration, step)) {
    g_autofree char *when = _hes_move_domain_format_time (hes_domain_migration_get_step_time (self->migration,
                                                                             step));
    if (step == HES_MIGRATION_STEP_PROPAGATION)
      /* Translators: %s is a date and time. */
      return g_strdup_printf (_("The switch became visible on %s."), when);
    /* Translators: %s is a date and time. */
    return g_strdup_printf (_("Done on %s"), when);
  }
  if (step == current)
    return g_strdup (_("This is where you are: do this step now."));
  return g_strdup (_("Comes after the step above."));
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
update_checklist (HesMoveDomainPage *self)
{
  HesMigrationStep current;

  clear_list (self->steps_list);
  gtk_widget_set_visible (self->open_step_button, self->migration != NULL);
  if (self->migration == NULL) {
    gtk_label_set_text (GTK_LABEL (self->progress_label), "");
    return;
  }
  current = hes_domain_migration_get_current_step (self->migration);
  for (HesMigrationStep step = 0; step < HES_MIGRATION_N_STEPS; step++) {
    gboolean done = hes_domain_migration_is_step_done (self->migration, step);
    g_autofree char *subtitle = step_subtitle (self, step, current);
    /* Translators: %1$u is the step's number, %2$s its title. */
    g_autofree char *title = g_strdup_printf (_("%1$u. %2$s"), step + 1,
                                              hes_migration_step_title (step));
    GtkWidget *row = _hes_move_domain_row_new (title, subtitle,
                                               done ? "emblem-ok-symbolic"
                                               : step == current ? "go-next-symbolic"
                                               : "changes-prevent-symbolic");

    gtk_widget_set_name (row, step_views[step]);
    if (step == current) {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "domain.open-step");
    }
    gtk_widget_set_sensitive (row, done || step == current);
    gtk_list_box_append (GTK_LIST_BOX (self->steps_list), row);
  }

  if (current == HES_MIGRATION_N_STEPS) {
    g_autofree char *text = g_strdup_printf (_("The move of %s is complete: all your mail now "
                                               "goes through Hosterra Email."),
                                             hes_domain_migration_get_domain (self->migration));
    gtk_label_set_text (GTK_LABEL (self->progress_label), text);
    gtk_widget_set_visible (self->open_step_button, FALSE);
  } else if (self->server_note != NULL) {
    /* Translators: %1$s says which steps the server contradicted, %2$u is the next step's
     * number, %3$s its title. */
    g_autofree char *text = g_strdup_printf (_("%1$s\n\nNext: step %2$u, “%3$s”."),
                                             self->server_note, current + 1,
                                             hes_migration_step_title (current));
    g_autofree char *label = g_strdup_printf (_("_Continue: %s"),
                                              hes_migration_step_title (current));
    gtk_label_set_text (GTK_LABEL (self->progress_label), text);
    gtk_button_set_label (GTK_BUTTON (self->open_step_button), label);
  } else {
    /* Translators: %1$u is the step's number, %2$s its title. */
    g_autofree char *text = g_strdup_printf (_("Next: step %1$u, “%2$s”."), current + 1,
                                             hes_migration_step_title (current));
    /* Translators: the button that opens the next step; %s is its title. */
    g_autofree char *label = g_strdup_printf (_("_Continue: %s"),
                                              hes_migration_step_title (current));

    gtk_label_set_text (GTK_LABEL (self->progress_label), text);
    gtk_button_set_label (GTK_BUTTON (self->open_step_button), label);
  }
}

static void
on_reconciled_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;

  reasons = hes_domain_migration_reconcile_finish (HES_DOMAIN_MIGRATION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hes_move_domain_page_set_busy (self, FALSE);
  if (reasons == NULL) {
    _hes_move_domain_page_show_error (self, error);
  } else {
    g_clear_pointer (&self->server_note, g_free);
    if (reasons[0] != NULL)
      self->server_note = g_strjoinv (" ", reasons);
  }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "checklist") == 0)
    update_checklist (self);
}

/* The checklist is read again from the server each time it is shown. */
static void
reconcile (HesMoveDomainPage *self)
{
  HesSyncJobManager *manager = _hes_move_domain_page_get_manager (self);

  if (self->migration == NULL || manager == NULL || self->busy)
    return;
  _hes_move_domain_page_set_busy (self, TRUE);
  hes_domain_migration_reconcile_async (self->migration, manager, self->cancellable,
                                        on_reconciled_cb, g_object_ref (self));
}

static void
show_view (HesMoveDomainPage *self,
           const char        *name)
{
  gboolean checklist = g_str_equal (name, "checklist");

  gtk_stack_set_visible_child_name (self->view_stack, name);
  hes_page_set_can_step_back (HES_PAGE (self), !checklist);
  _hes_move_domain_jobs_stop (self);
  _hes_move_domain_dns_stop (self);
  if (checklist) {
    /* A step's error belongs to that step. */
    _hes_move_domain_page_show_error (self, NULL);
    hes_page_set_title (HES_PAGE (self), _("Move a Whole Domain"));
    update_checklist (self);
    reconcile (self);
  } else {
    HesMigrationStep step = hes_domain_migration_get_current_step (self->migration);

    hes_page_set_title (HES_PAGE (self), hes_migration_step_title (step));
  }
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->view_stack), GTK_DIR_TAB_FORWARD);
}

void
_hes_move_domain_page_step_done (HesMoveDomainPage *self)
{
  show_view (self, "checklist");
}

static void
domain_open_step (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (widget);
  HesMigrationStep step;

  if (self->migration == NULL)
    return;
  step = hes_domain_migration_get_current_step (self->migration);
  if (step >= HES_MIGRATION_N_STEPS)
    return;
  _hes_move_domain_page_show_error (self, NULL);
  if (step == HES_MIGRATION_STEP_CREATE_MAILBOXES)
    _hes_move_domain_mailboxes_reset (self);
  else if (step == HES_MIGRATION_STEP_DNS_RECORDS)
    _hes_move_domain_dns_show (self);
  else if (step == HES_MIGRATION_STEP_PROPAGATION)
    _hes_move_domain_propagation_show (self);
  else if (step == HES_MIGRATION_STEP_MAIL_PROGRAMS)
    _hes_move_domain_programs_show (self);
  else if (step == HES_MIGRATION_STEP_REMOVE_SYNC_JOBS)
    _hes_move_domain_removal_show (self);
  show_view (self, step_views[step]);
  if (step == HES_MIGRATION_STEP_SYNC_JOBS)
    _hes_move_domain_jobs_show (self);
  else if (step == HES_MIGRATION_STEP_PROPAGATION)
    _hes_move_domain_switch_watch (self);
}

static void
load_migration (HesMoveDomainPage *self,
                const char        *domain)
{
  HesSession *session = hes_page_get_session (HES_PAGE (self));
  HesMailcowClient *client = _hes_migration_get_client (HES_PAGE (self));
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  _hes_move_domain_dns_reset (self);
  g_clear_object (&self->migration);
  g_clear_object (&self->batch);
  g_clear_pointer (&self->server_note, g_free);
  self->busy = FALSE;
  if (domain == NULL || client == NULL || self->mail_host == NULL)
    return;

  self->migration = hes_domain_migration_new (domain, self->mail_host,
                                              hes_session_get_profile (session));
  hes_domain_migration_set_account (self->migration, hes_mailcow_client_get_host (client),
                                    hes_mailcow_client_get_username (client));
  if (override_state_dir != NULL)
    hes_domain_migration_set_state_dir (self->migration, override_state_dir);
  if (override_autoconfig_url != NULL)
    hes_domain_migration_set_autoconfig_urls (self->migration, override_autoconfig_url,
                                              override_autoconfig_url);
  if (!hes_domain_migration_load (self->migration, &error)) {
    _hes_move_domain_page_show_error (self, error);
    g_clear_object (&self->migration);
  }
}

static const char *
selected_domain (HesMoveDomainPage *self)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->domain_row));

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static void
on_domain_changed_cb (HesMoveDomainPage *self)
{
  if (!self->domains_loaded)
    return;
  _hes_move_domain_page_show_error (self, NULL);
  load_migration (self, selected_domain (self));
  update_actions (self);
  show_view (self, "checklist");
}

static void
on_domains_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  domains = hes_mailcow_client_list_domains_finish (HES_MAILCOW_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->domains_cancellable);
  if (domains == NULL) {
    _hes_move_domain_page_show_error (self, error);
    return;
  }
  for (guint i = 0; i < domains->len; i++)
    gtk_string_list_append (self->domain_model,
                            ((HesMailcowDomain *) g_ptr_array_index (domains, i))->name);
  self->domains_loaded = TRUE;
  on_domain_changed_cb (self);
}

/* The mail host name the DNS records and the mail programs need, as the DNS task finds it. */
static void
on_mail_host_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HesMoveDomainPage) self = user_data;
  g_autofree char *host = hes_dns_plan_source_get_mail_host_finish (result, NULL);

  if (host == NULL)   /* cancelled */
    return;
  g_free (self->mail_host);
  self->mail_host = g_steal_pointer (&host);
  hes_mailcow_client_list_domains_async (HES_MAILCOW_CLIENT (object), self->domains_cancellable,
                                         on_domains_cb, g_object_ref (self));
}

static void
hes_move_domain_page_shown (HesPage *page)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (page);
  HesMailcowClient *client = _hes_migration_get_client (page);

  if (client == NULL)
    return;
  if (self->domains_loaded) {
    /* Back from another task (DNS setup): read the saved progress again. */
    on_domain_changed_cb (self);
    return;
  }
  if (self->domains_cancellable != NULL)
    return;
  self->domains_cancellable = g_cancellable_new ();
  hes_dns_plan_source_get_mail_host_async (client, self->domains_cancellable, on_mail_host_cb,
                                           g_object_ref (self));
}

static void
hes_move_domain_page_step_back (HesPage *page)
{
  show_view (HES_MOVE_DOMAIN_PAGE (page), "checklist");
}

const char *
hes_move_domain_page_get_view (HesMoveDomainPage *self)
{
  g_return_val_if_fail (HES_IS_MOVE_DOMAIN_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->view_stack);
}

int
hes_move_domain_page_get_current_step (HesMoveDomainPage *self)
{
  g_return_val_if_fail (HES_IS_MOVE_DOMAIN_PAGE (self), -1);

  return self->migration ? (int) hes_domain_migration_get_current_step (self->migration) : -1;
}

static void
hes_move_domain_page_dispose (GObject *object)
{
  HesMoveDomainPage *self = HES_MOVE_DOMAIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->domains_cancellable);
  g_clear_object (&self->domains_cancellable);
  _hes_move_domain_jobs_stop (self);
  g_cancellable_cancel (self->dns_cancellable);
  g_clear_object (&self->dns_cancellable);
  g_clear_handle_id (&self->switch_timeout_id, g_source_remove);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->mail_host, g_free);
  g_clear_pointer (&self->server_note, g_free);
  g_clear_pointer (&self->jobs_seen, g_free);
  _hes_move_domain_mailboxes_dispose (self);
  g_clear_pointer (&self->job_rows, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_object (&self->migration);
  g_clear_object (&self->manager);
  g_clear_object (&self->batch);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_MOVE_DOMAIN_PAGE);

  G_OBJECT_CLASS (hes_move_domain_page_parent_class)->dispose (object);
}

static void
hes_move_domain_page_class_init (HesMoveDomainPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_move_domain_page_dispose;
  page_class->shown = hes_move_domain_page_shown;
  page_class->step_back = hes_move_domain_page_step_back;

  gtk_widget_class_set_template_from_resource (widget_class, HES_MIGRATION_RESOURCE_PREFIX
                                               "/hes-move-domain-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HesMoveDomainPage, name)
  BIND (error_revealer);
  BIND (error_label);
  BIND (view_stack);
  BIND (domain_row);
  BIND (domain_model);
  BIND (steps_list);
  BIND (progress_label);
  BIND (open_step_button);
  BIND (lines_view);
  BIND (lines_status);
  BIND (lines_group);
  BIND (lines_list);
  BIND (source_provider_row);
  BIND (source_provider_model);
  BIND (source_host_row);
  BIND (source_port_row);
  BIND (source_security_row);
  BIND (jobs_list);
  BIND (jobs_status);
  BIND (open_dns_button);
  BIND (dns_status);
  BIND (dns_results_group);
  BIND (dns_results_list);
  BIND (propagation_label);
  BIND (switch_status);
  BIND (switch_list);
  BIND (next_check_label);
  BIND (settings_list);
  BIND (programs_label);
  BIND (programs_by_hand_button);
  BIND (removal_label);
  BIND (removal_status);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_domain_changed_cb);

  gtk_widget_class_install_action (widget_class, "domain.open-step", NULL, domain_open_step);
  _hes_move_domain_dns_class_init (widget_class);
  _hes_move_domain_removal_class_init (widget_class);
  _hes_move_domain_mailboxes_class_init (widget_class);
  _hes_move_domain_jobs_class_init (widget_class);
  _hes_move_domain_programs_class_init (widget_class);
}

static void
hes_move_domain_page_init (HesMoveDomainPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hes_dns_rows_ensure_style (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  _hes_move_domain_mailboxes_init (self);
  _hes_move_domain_jobs_init (self);
  update_actions (self);
  update_checklist (self);
}

HesPage *
hes_move_domain_page_new (HesSession *session)
{
  return g_object_new (HES_TYPE_MOVE_DOMAIN_PAGE, "session", session, NULL);
}
