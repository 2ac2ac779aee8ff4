/* hes-application.c: the application. */
#define G_LOG_DOMAIN "hes-application"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-application.h"
#include "hes-mailcow-client.h"
#include "hes-provider-profile.h"
#include "hes-window.h"
#include "pages/hes-pages.h"

struct _HesApplication
{
  AdwApplication parent_instance;

  char *server;  /* --server */
  HesProviderProfile *profile;
};

G_DEFINE_FINAL_TYPE (HesApplication, hes_application, ADW_TYPE_APPLICATION)

typedef struct {
  GWeakRef window;
  char *uri;
} HelpLaunch;

static void
on_help_launched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HelpLaunch *launch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) window = g_weak_ref_get (&launch->window);

  /* No browser, or none that would open it: say so, with the address to type elsewhere. */
  if (!g_app_info_launch_default_for_uri_finish (result, &error)) {
    g_autofree char *message = g_strdup_printf (_("The help page could not be opened here. "
                                                  "Its address is %s"), launch->uri);

    g_debug ("Could not open the help page: %s", error->message);
    if (HES_IS_WINDOW (window))
      hes_window_show_toast (HES_WINDOW (window), message);
  }
  g_weak_ref_clear (&launch->window);
  g_free (launch->uri);
  g_free (launch);
}

static void
app_help (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autoptr(GAppLaunchContext) context = NULL;
  HesApplication *self = HES_APPLICATION (user_data);
  const char *uri = hes_provider_profile_get_help_url (self->profile);
  HelpLaunch *launch = g_new0 (HelpLaunch, 1);

  g_weak_ref_init (&launch->window, window);
  launch->uri = g_strdup (uri);
  if (window != NULL)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
                gtk_widget_get_display (GTK_WIDGET (window))));
  g_app_info_launch_default_for_uri_async (uri, context, NULL, on_help_launched_cb, launch);
}

static void
app_about (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  HesProviderProfile *profile = HES_APPLICATION (user_data)->profile;
  const char *developers[] = { "Hosterra", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application", app,
                        "modal", TRUE,
                        "application-name", _("Hosterra Email Setup"),
                        "application-icon", APP_ID,
                        "developer-name", "Hosterra",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", hes_provider_profile_get_help_url (profile),
                        "support-url", hes_provider_profile_get_support_url (profile),
                        "comments", _("Set up your Hosterra e-mail: DNS records, moving your mail "
                                      "from your old provider and securing your account."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
app_quit (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Closing the windows (not g_application_quit) lets them save their size. */
  while (windows != NULL) {
    GList *next = windows->next;

    gtk_window_close (GTK_WINDOW (windows->data));
    windows = next;
  }
}

/* The click on the notification that a domain's DNS records are right (hes-dns-watch.c): a
 * window comes back and, when it is signed in, opens the DNS task to show the records' state. */
static void
app_show_dns_results (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GApplication *application = G_APPLICATION (user_data);
  GtkWindow *window;

  g_application_activate (application);
  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (HES_IS_WINDOW (window)
      && hes_session_get_client (hes_window_get_session (HES_WINDOW (window))) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-task", "s", "dns");
}

static const GActionEntry app_actions[] = {
  { "show-dns-results", app_show_dns_results, "s", NULL, NULL },
  { "help", app_help, NULL, NULL, NULL },
  { "about", app_about, NULL, NULL, NULL },
  { "quit", app_quit, NULL, NULL, NULL },
};

static void
hes_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  /* GTK sets this one only for a help overlay at gtk/help-overlay.ui, which HesWindow builds
   * lazily from elsewhere. */
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (hes_application_parent_class)->startup (application);

  HES_APPLICATION (application)->profile = hes_provider_profile_new_default (&error);
  if (HES_APPLICATION (application)->profile == NULL)
    g_error ("The built-in provider profile is broken: %s", error->message);

  hes_pages_register_all ();

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         shortcuts_accels);
}

/* The windows are gone; the server sessions they opened are closed too, within 2 s. */
static void
hes_application_shutdown (GApplication *application)
{
  hes_mailcow_sign_out_all (2000);

  G_APPLICATION_CLASS (hes_application_parent_class)->shutdown (application);
}

static void
hes_application_activate (GApplication *application)
{
  HesApplication *self = HES_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (application));

  /* A window hidden while DNS checks go on comes back as it was, still signed in. */
  if (window == NULL && windows != NULL)
    window = GTK_WINDOW (windows->data);
  if (window == NULL)
    window = GTK_WINDOW (hes_window_new (GTK_APPLICATION (application), self->server));

  gtk_window_present (window);
}

static int
hes_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  HesApplication *self = HES_APPLICATION (application);

  g_clear_pointer (&self->server, g_free);
  g_variant_dict_lookup (options, "server", "s", &self->server);

  return -1;
}

static void
hes_application_finalize (GObject *object)
{
  HesApplication *self = HES_APPLICATION (object);

  g_free (self->server);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (hes_application_parent_class)->finalize (object);
}

static void
hes_application_class_init (HesApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hes_application_finalize;
  app_class->startup = hes_application_startup;
  app_class->activate = hes_application_activate;
  app_class->shutdown = hes_application_shutdown;
  app_class->handle_local_options = hes_application_handle_local_options;
}

static void
hes_application_init (HesApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The address of the mailcow server to sign in to"), N_("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Set up your Hosterra e-mail account."));
}

HesApplication *
hes_application_new (void)
{
  return g_object_new (HES_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
