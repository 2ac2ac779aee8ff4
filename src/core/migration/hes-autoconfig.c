/* hes-autoconfig.c: mail program settings and the autoconfig check (GMarkup, libsoup). */
#define G_LOG_DOMAIN "hes-autoconfig"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "hes-autoconfig.h"
#include "hes-http-read.h"
#include "hes-mailcow-error.h"

#define AUTOCONFIG_TIMEOUT 15

G_DEFINE_BOXED_TYPE (HesMailSettings, hes_mail_settings, hes_mail_settings_copy,
                     hes_mail_settings_free)
G_DEFINE_BOXED_TYPE (HesAutoconfigResult, hes_autoconfig_result, hes_autoconfig_result_copy,
                     hes_autoconfig_result_free)

HesMailSettings *
hes_mail_settings_new (const char *host)
{
  HesMailSettings *settings = g_new0 (HesMailSettings, 1);

  g_return_val_if_fail (host != NULL, NULL);
  settings->host = g_strdup (host);
  settings->imap_port = 993;
  settings->smtp_port = 465;
  settings->smtp_starttls_port = 587;
  settings->dav_url = g_strdup_printf ("https://%s/SOGo/dav/", host);
  return settings;
}

HesMailSettings *
hes_mail_settings_copy (const HesMailSettings *settings)
{
  HesMailSettings *copy = g_memdup2 (settings, sizeof *settings);

  copy->host = g_strdup (settings->host);
  copy->dav_url = g_strdup (settings->dav_url);
  return copy;
}

void
hes_mail_settings_free (HesMailSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->host);
  g_free (settings->dav_url);
  g_free (settings);
}

char *
hes_mail_settings_describe (const HesMailSettings *settings)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text,
                          /* Translators: %1$s is the mail server's name, %2$u a port. */
                          _("Incoming mail (IMAP): %1$s, port %2$u, SSL/TLS"),
                          settings->host, settings->imap_port);
  g_string_append_c (text, '\n');
  g_string_append_printf (text,
                          /* Translators: %1$s is the mail server's name, %2$u and %3$u ports. */
                          _("Outgoing mail (SMTP): %1$s, port %2$u, SSL/TLS (or port %3$u, "
                            "STARTTLS)"),
                          settings->host, settings->smtp_port, settings->smtp_starttls_port);
  g_string_append_c (text, '\n');
  /* Translators: %s is a web address. */
  g_string_append_printf (text, _("Calendars and contacts (CalDAV, CardDAV): %s"),
                          settings->dav_url);
  g_string_append_c (text, '\n');
  g_string_append (text, _("User name: the full e-mail address; password: the mailbox's "
                           "password"));
  return g_string_free (text, FALSE);
}

HesAutoconfigResult *
hes_autoconfig_result_copy (const HesAutoconfigResult *result)
{
  HesAutoconfigResult *copy = g_memdup2 (result, sizeof *result);

  copy->domain_message = g_strdup (result->domain_message);
  copy->host_message = g_strdup (result->host_message);
  return copy;
}

void
hes_autoconfig_result_free (HesAutoconfigResult *result)
{
  if (result == NULL)
    return;
  g_free (result->domain_message);
  g_free (result->host_message);
  g_free (result);
}

/* Parsing config-v1.1.xml. */

typedef struct {
  char     *server;     /* "imap", "smtp" inside incomingServer/outgoingServer, else NULL */
  gboolean  in_hostname;
  gboolean  client_config;
  GString  *hostname;
  GPtrArray *imap_hosts;
  GPtrArray *smtp_hosts;
  guint     depth;
} ParseState;

/* An autoconfig document nests four elements deep; GMarkup keeps every open element, so a
 * document nested without end is refused early rather than held. */
#define AUTOCONFIG_MAX_DEPTH 32

static void
start_element (GMarkupParseContext *context, const char *name, const char **attr_names,
               const char **attr_values, gpointer user_data, GError **error)
{
  ParseState *state = user_data;

  if (++state->depth > AUTOCONFIG_MAX_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "nested too deep");
      return;
    }
  if (g_str_equal (name, "clientConfig"))
    state->client_config = TRUE;
  else if (g_str_equal (name, "incomingServer") || g_str_equal (name, "outgoingServer"))
    {
      g_free (state->server);
      state->server = NULL;
      for (guint i = 0; attr_names[i]; i++)
        if (g_str_equal (attr_names[i], "type"))
          state->server = g_ascii_strdown (attr_values[i], -1);
    }
  else if (g_str_equal (name, "hostname") && state->server)
    {
      state->in_hostname = TRUE;
      g_string_truncate (state->hostname, 0);
    }
}

static void
end_element (GMarkupParseContext *context, const char *name, gpointer user_data, GError **error)
{
  ParseState *state = user_data;

  state->depth--;
  if (g_str_equal (name, "hostname") && state->in_hostname)
    {
      g_autofree char *host = g_strstrip (g_strdup (state->hostname->str));

      state->in_hostname = FALSE;
      if (g_strcmp0 (state->server, "imap") == 0)
        g_ptr_array_add (state->imap_hosts, g_steal_pointer (&host));
      else if (g_strcmp0 (state->server, "smtp") == 0)
        g_ptr_array_add (state->smtp_hosts, g_steal_pointer (&host));
    }
  else if (g_str_equal (name, "incomingServer") || g_str_equal (name, "outgoingServer"))
    g_clear_pointer (&state->server, g_free);
}

static void
text (GMarkupParseContext *context, const char *text, gsize length, gpointer user_data,
      GError **error)
{
  ParseState *state = user_data;

  if (state->in_hostname)
    g_string_append_len (state->hostname, text, length);
}

static gboolean
contains_host (GPtrArray *hosts, const char *host)
{
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *candidate = g_ptr_array_index (hosts, i);
      gsize len = strlen (candidate);

      /* A trailing dot (absolute name) is the same host. */
      if (len > 0 && candidate[len - 1] == '.')
        len--;
      if (strlen (host) == len && g_ascii_strncasecmp (candidate, host, len) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
hes_autoconfig_names_host (const char *xml, gssize length, const char *host, char **why)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  ParseState state = { 0 };
  g_autoptr(GMarkupParseContext) context = NULL;
  gboolean parsed, ok = FALSE;

  if (length < 0)
    length = strlen (xml);
  if ((gsize) length > hes_http_answer_limit (HES_HTTP_ANSWER_XML))
    {
      *why = g_strdup (_("The address does not give mail program settings."));
      return FALSE;
    }

  state.hostname = g_string_new (NULL);
  state.imap_hosts = g_ptr_array_new_with_free_func (g_free);
  state.smtp_hosts = g_ptr_array_new_with_free_func (g_free);
  context = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &state, NULL);
  parsed = g_markup_parse_context_parse (context, xml, length, NULL) &&
           g_markup_parse_context_end_parse (context, NULL);

  if (!parsed || !state.client_config)
    *why = g_strdup (_("The address does not give mail program settings."));
  else if (!contains_host (state.imap_hosts, host) || !contains_host (state.smtp_hosts, host))
    /* Translators: %s is the mail server's name. */
    *why = g_strdup_printf (_("The settings found do not name the mail server %s: mail "
                              "programs would be set up for another server."), host);
  else
    ok = TRUE;

  g_free (state.server);
  g_string_free (state.hostname, TRUE);
  g_ptr_array_unref (state.imap_hosts);
  g_ptr_array_unref (state.smtp_hosts);
  return ok;
}

/* Fetching both files, one after the other. */

typedef struct {
  SoupSession         *session;
  SoupMessage         *message;   /* the one being fetched */
  char                *host;
  char                *domain;
  char                *domain_url;
  char                *host_url;
  HesAutoconfigResult *result;
  gboolean             fetching_host;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data->host);
  g_free (data->domain);
  g_free (data->domain_url);
  g_free (data->host_url);
  hes_autoconfig_result_free (data->result);
  g_free (data);
}

static char *
fetch_failure (const GError *error, guint status)
{
  if (error && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_strdup (_("The address answered with a certificate that is not trusted, so mail "
                       "programs will not use it."));
  if (error && g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_TOO_LARGE))
    return g_strdup (_("The address answered with far more than mail program settings."));
  if (error && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("The address did not answer in time."));
  if (error && error->domain == G_RESOLVER_ERROR)
    return g_strdup (_("This name does not exist in the DNS yet: check the autoconfig DNS "
                       "record."));
  if (error)
    return g_strdup (_("The address could not be reached."));
  /* Translators: %u is an HTTP status code such as 404. */
  return g_strdup_printf (_("The address answered with error %u instead of the settings."),
                          status);
}

static void fetch (GTask *task, const char *url);

static void
fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  SoupMessage *message = data->message;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = hes_http_read_finish (result, &error);
  g_autofree char *why = NULL;
  gboolean ok = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (body == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
    why = fetch_failure (error, message ? soup_message_get_status (message) : 0);
  else
    ok = hes_autoconfig_names_host (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                    data->host, &why);
  if (!data->fetching_host)
    {
      data->result->domain_ok = ok;
      data->result->domain_message = ok ? g_strdup (_("Mail programs will find the settings "
                                                      "of your domain by themselves."))
                                        : g_steal_pointer (&why);
      data->fetching_host = TRUE;
      fetch (g_steal_pointer (&task), data->host_url);
      return;
    }
  data->result->host_ok = ok;
  data->result->host_message = ok ? g_strdup (_("The mail server gives the right settings."))
                                  : g_steal_pointer (&why);
  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) hes_autoconfig_result_free);
}

static void
fetch (GTask *task, const char *base_url)
{
  CheckData *data = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/mail/config-v1.1.xml?emailaddress=postmaster%%40%s",
                                          base_url, data->domain);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);

  if (message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("The address to check is not valid."));
      g_object_unref (task);
      return;
    }
  g_set_object (&data->message, message);
  hes_http_read_async (data->session, message, HES_HTTP_ANSWER_XML,
                       g_task_get_cancellable (task), fetched, task);
}

static char *
trim_url (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

void
hes_autoconfig_check_async (const char *host, const char *domain, const char *domain_base_url,
                            const char *host_base_url, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  CheckData *data;

  g_return_if_fail (host != NULL && domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_autoconfig_check_async);
  data = g_new0 (CheckData, 1);
  data->session = soup_session_new_with_options ("timeout", AUTOCONFIG_TIMEOUT,
                                                 "user-agent", USER_AGENT, NULL);
  data->host = g_ascii_strdown (host, -1);
  data->domain = g_ascii_strdown (domain, -1);
  data->domain_url = domain_base_url ? trim_url (domain_base_url)
                                     : g_strdup_printf ("https://autoconfig.%s", data->domain);
  data->host_url = host_base_url ? trim_url (host_base_url)
                                 : g_strdup_printf ("https://%s", data->host);
  data->result = g_new0 (HesAutoconfigResult, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  fetch (task, data->domain_url);
}

HesAutoconfigResult *
hes_autoconfig_check_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
