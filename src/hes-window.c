/* hes-window.c: the main window. */
#define G_LOG_DOMAIN "hes-window"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-tasks.h"
#include "hes-window.h"
#include "pages/dns/hes-dns-watch.h"
#include "pages/home/hes-home-page.h"
#include "pages/signin/hes-signin-page.h"

struct _HesWindow
{
  AdwApplicationWindow parent_instance;

  HesAssistant *assistant;
  AdwToastOverlay *toast_overlay;
  GMenuModel *primary_menu;

  GSettings *settings;
  HesSession *session;
  HesPage *signin_page;
  HesPage *home_page;
  char *server;

  /* The session the server ended: the page the customer was on, and who they were, to go
   * back there once the same account signed in again. */
  GWeakRef resume_page;
  char *resume_account;
  gboolean session_ending;

  /* Hidden while the DNS checks go on in the background: the same account comes back. */
  guint background_id;
  gboolean quitting;
};

G_DEFINE_FINAL_TYPE (HesWindow, hes_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVER,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
remember_account (HesWindow        *self,
                  HesMailcowClient *client)
{
  const char *username = hes_mailcow_client_get_username (client);

  /* Never the password: only where and as whom the customer signs in. */
  g_settings_set_string (self->settings, "server", hes_mailcow_client_get_base_url (client));
  g_settings_set_enum (self->settings, "role", hes_mailcow_client_get_role (client));
  g_settings_set_string (self->settings, "username", username ? username : "");
}

/* The home page is built when first needed (the sign-in page comes first), so that start-up
 * builds no more than the first frame shows. Signing in needs it before the sign-in page
 * completes: the session gets its client first, and the assistant then moves on to it. */
static HesPage *
ensure_home_page (HesWindow *self)
{
  if (self->home_page == NULL) {
    self->home_page = hes_home_page_new (self->session);
    hes_assistant_add_page (self->assistant, self->home_page);
  }

  return self->home_page;
}

static char *
account_key (HesMailcowClient *client)
{
  return g_strdup_printf ("%s\n%d\n%s", hes_mailcow_client_get_base_url (client),
                          hes_mailcow_client_get_role (client),
                          hes_mailcow_client_get_username (client));
}

static void
on_client_signed_in_changed_cb (HesWindow        *self,
                                GParamSpec       *pspec,
                                HesMailcowClient *client);

/* Back to the page the customer was on when the server ended the session, if the same
 * account signed in again; another account starts from home. */
static void
resume_after_sign_in (HesWindow        *self,
                      HesMailcowClient *client)
{
  g_autoptr(HesPage) page = g_weak_ref_get (&self->resume_page);
  g_autofree char *account = account_key (client);
  gboolean same = g_strcmp0 (account, self->resume_account) == 0;

  g_weak_ref_set (&self->resume_page, NULL);
  g_clear_pointer (&self->resume_account, g_free);
  if (page == NULL || page == self->home_page)
    return;

  if (same) {
    hes_assistant_set_current_page (self->assistant, page);
  } else {
    hes_assistant_set_current_page (self->assistant, ensure_home_page (self));
    hes_assistant_remove_pages_after (self->assistant, self->home_page);
  }
}

static void
on_session_client_changed_cb (HesWindow  *self,
                              GParamSpec *pspec,
                              HesSession *session)
{
  HesMailcowClient *client = hes_session_get_client (session);

  if (client != NULL) {
    ensure_home_page (self);
    remember_account (self, client);
    g_signal_connect_object (client, "notify::signed-in",
                             G_CALLBACK (on_client_signed_in_changed_cb), self,
                             G_CONNECT_SWAPPED);
    return;
  }

  /* The server ended the session: the task pages stay as they are, with what was typed. */
  if (self->session_ending) {
    hes_signin_page_reset (HES_SIGNIN_PAGE (self->signin_page));
    hes_signin_page_show_session_ended (HES_SIGNIN_PAGE (self->signin_page));
    hes_assistant_set_current_page (self->assistant, self->signin_page);
    return;
  }

  /* Signed out: every task page goes, and the sign-in page comes back without passwords. */
  g_weak_ref_set (&self->resume_page, NULL);
  g_clear_pointer (&self->resume_account, g_free);
  hes_signin_page_reset (HES_SIGNIN_PAGE (self->signin_page));
  hes_assistant_set_current_page (self->assistant, self->signin_page);
  hes_assistant_remove_pages_after (self->assistant, ensure_home_page (self));
}

static void
end_session (HesWindow *self)
{
  HesMailcowClient *client = hes_session_get_client (self->session);
  HesPage *current = hes_assistant_get_current_page (self->assistant);

  if (client == NULL)
    return;

  if (current != NULL && current != self->signin_page) {
    g_weak_ref_set (&self->resume_page, current);
    g_free (self->resume_account);
    self->resume_account = account_key (client);
  }
  self->session_ending = TRUE;
  hes_session_set_client (self->session, NULL);
  self->session_ending = FALSE;
}

/* A call found the session over (the server restarted, an administrator signed the
 * account out, it timed out). */
static void
on_client_signed_in_changed_cb (HesWindow        *self,
                                GParamSpec       *pspec,
                                HesMailcowClient *client)
{
  if (client == hes_session_get_client (self->session)
      && !hes_mailcow_client_get_signed_in (client))
    end_session (self);
}

static void
window_session_ended (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  end_session (HES_WINDOW (widget));
}

static void
on_current_page_changed_cb (HesWindow *self)
{
  /* Once home, the sign-in page is hidden so that Back never leads there; signing out is the
   * way back. */
  if (self->home_page == NULL
      || hes_assistant_get_current_page (self->assistant) != self->home_page)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->signin_page), FALSE);
  if (hes_session_get_client (self->session) != NULL)
    resume_after_sign_in (self, hes_session_get_client (self->session));
}

static void
on_assistant_finished_cb (HesWindow *self)
{
  if (hes_assistant_get_current_page (self->assistant) == self->home_page)
    return;

  hes_assistant_set_current_page (self->assistant, ensure_home_page (self));
  hes_assistant_remove_pages_after (self->assistant, self->home_page);
}

static void
window_open_task (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HesWindow *self = HES_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const HesTaskInfo *task = hes_tasks_lookup (id);
  HesTaskFactory factory = hes_tasks_get_factory (id);
  HesMailcowClient *client = hes_session_get_client (self->session);
  g_autoptr(GPtrArray) pages = NULL;

  if (task == NULL || factory == NULL || client == NULL
      || !hes_task_allowed_for_role (task, hes_mailcow_client_get_role (client), NULL)) {
    g_warning ("Task “%s” cannot be opened here", id);
    return;
  }

  pages = factory (self->session);
  g_return_if_fail (pages != NULL && pages->len > 0);

  hes_assistant_remove_pages_after (self->assistant, ensure_home_page (self));
  for (guint i = 0; i < pages->len; i++)
    hes_assistant_add_page (self->assistant, g_ptr_array_index (pages, i));
  hes_assistant_set_current_page (self->assistant, g_ptr_array_index (pages, 0));
}

/* The keyboard shortcuts window is built on first use, not with the window (see the resource
 * file). GtkApplicationWindow keeps it (modal, transient for the window, hidden on close). */
static void
window_show_help_overlay (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  g_autoptr(GtkBuilder) builder = NULL;

  if (gtk_application_window_get_help_overlay (window) == NULL) {
    builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/hes-shortcuts-window.ui");
    gtk_application_window_set_help_overlay (
      window, GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  }
  gtk_window_present (GTK_WINDOW (gtk_application_window_get_help_overlay (window)));
}

static void
prefill_sign_in (HesWindow *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server");
  g_autofree char *username = g_settings_get_string (self->settings, "username");
  HesMailcowRole role = g_settings_get_enum (self->settings, "role");

  if (self->server != NULL && *self->server != '\0') {
    g_free (server);
    server = g_strdup (self->server);
  } else if (*server == '\0') {
    g_free (server);
    server = g_strdup (hes_provider_profile_get_default_server (
                         hes_session_get_profile (self->session)));
  }

  hes_signin_page_prefill (HES_SIGNIN_PAGE (self->signin_page), server, role, username);
}

/* The checks are over while the window waits hidden: nothing keeps it any more. */
static gboolean
background_check_cb (gpointer user_data)
{
  HesWindow *self = user_data;

  /* Opened again: the customer is back, the window stays. */
  if (gtk_widget_get_visible (GTK_WIDGET (self))) {
    self->background_id = 0;
    return G_SOURCE_REMOVE;
  }
  if (hes_dns_watch_any_holding ())
    return G_SOURCE_CONTINUE;
  self->background_id = 0;
  self->quitting = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
keep_checking_in_background (HesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (self->background_id == 0)
    self->background_id = g_timeout_add_seconds (2, background_check_cb, self);
}

static void
on_quit_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     HesWindow        *self)
{
  if (g_strcmp0 (response, "keep") == 0) {
    keep_checking_in_background (self);
  } else if (g_strcmp0 (response, "quit") == 0) {
    hes_dns_watch_stop_all ();
    self->quitting = TRUE;
    gtk_window_close (GTK_WINDOW (self));
  }
}

/* Closing while DNS checks run: keep them going (the window hides, the account stays signed
 * in for them) or quit for real (the checks stop, the application ends). */
static void
ask_keep_checking (HesWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = g_object_new (ADW_TYPE_MESSAGE_DIALOG,
                         "transient-for", self,
                         "modal", TRUE,
                         "heading", _("Keep Checking Your DNS?"),
                         "body", _("The app is still checking your DNS records. It can go on in "
                                   "the background and tell you when they are right; opening "
                                   "the app again brings you back here, still signed in."),
                         NULL);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Stop and Quit"),
                                    "keep", _("_Keep Checking"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_widget_set_name (GTK_WIDGET (dialog), "quit_dialog");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
hes_window_close_request (GtkWindow *window)
{
  HesWindow *self = HES_WINDOW (window);
  int width, height;

  if (!self->quitting && hes_dns_watch_any_holding ()) {
    if (gtk_widget_get_visible (GTK_WIDGET (self)))
      ask_keep_checking (self);
    return TRUE;
  }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (hes_window_parent_class)->close_request (window);
}

static void
hes_window_constructed (GObject *object)
{
  HesWindow *self = HES_WINDOW (object);

  G_OBJECT_CLASS (hes_window_parent_class)->constructed (object);

  prefill_sign_in (self);
}

static void
hes_window_dispose (GObject *object)
{
  HesWindow *self = HES_WINDOW (object);

  g_weak_ref_set (&self->resume_page, NULL);
  g_clear_handle_id (&self->background_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_WINDOW);
  self->signin_page = NULL;
  self->home_page = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hes_window_parent_class)->dispose (object);
}

static void
hes_window_finalize (GObject *object)
{
  HesWindow *self = HES_WINDOW (object);

  g_free (self->server);
  g_free (self->resume_account);
  g_weak_ref_clear (&self->resume_page);

  G_OBJECT_CLASS (hes_window_parent_class)->finalize (object);
}

static void
hes_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HesWindow *self = HES_WINDOW (object);

  switch (prop_id) {
  case PROP_SERVER:
    self->server = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_window_class_init (HesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = hes_window_constructed;
  object_class->dispose = hes_window_dispose;
  object_class->finalize = hes_window_finalize;
  object_class->set_property = hes_window_set_property;
  window_class->close_request = hes_window_close_request;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hes-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HesWindow, assistant);
  gtk_widget_class_bind_template_child (widget_class, HesWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, HesWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_assistant_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_current_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.open-task", "s", window_open_task);
  gtk_widget_class_install_action (widget_class, "win.session-ended", NULL, window_session_ended);
}

static void
hes_window_init (HesWindow *self)
{
  g_weak_ref_init (&self->resume_page, NULL);
  g_type_ensure (HES_TYPE_ASSISTANT);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  hes_assistant_set_menu_model (self->assistant, self->primary_menu);
  {
    const GActionEntry entries[] = {
      { "show-help-overlay", window_show_help_overlay, NULL, NULL, NULL, { 0 } },
    };

    g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  }

  self->session = hes_session_new ();
  g_signal_connect_object (self->session, "notify::client",
                           G_CALLBACK (on_session_client_changed_cb), self, G_CONNECT_SWAPPED);
  self->signin_page = hes_signin_page_new (self->session);
  hes_assistant_add_page (self->assistant, self->signin_page);
}

HesWindow *
hes_window_new (GtkApplication *application,
                const char     *server)
{
  return g_object_new (HES_TYPE_WINDOW, "application", application, "server", server, NULL);
}

HesAssistant *
hes_window_get_assistant (HesWindow *self)
{
  g_return_val_if_fail (HES_IS_WINDOW (self), NULL);

  return self->assistant;
}

HesSession *
hes_window_get_session (HesWindow *self)
{
  g_return_val_if_fail (HES_IS_WINDOW (self), NULL);

  return self->session;
}

HesPage *
hes_window_get_signin_page (HesWindow *self)
{
  g_return_val_if_fail (HES_IS_WINDOW (self), NULL);

  return self->signin_page;
}

HesPage *
hes_window_get_home_page (HesWindow *self)
{
  g_return_val_if_fail (HES_IS_WINDOW (self), NULL);

  return ensure_home_page (self);
}

void
hes_window_show_toast (HesWindow  *self,
                       const char *message)
{
  AdwToast *toast;

  g_return_if_fail (HES_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
