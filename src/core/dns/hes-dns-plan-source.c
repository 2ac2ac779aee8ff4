/* hes-dns-plan-source.c: a domain's record plan from what the server says. */
#define G_LOG_DOMAIN "hes-dns-plan-source"

#include "config.h"

#include <string.h>

#include "hes-dns-plan-source.h"

char *
hes_dns_plan_source_host_from_autoconfig (const char *xml)
{
  const char *start = xml ? strstr (xml, "<hostname>") : NULL;
  const char *end = start ? strstr (start, "</hostname>") : NULL;
  g_autofree char *host = NULL;

  if (end == NULL)
    return NULL;
  start += strlen ("<hostname>");
  host = g_strstrip (g_strndup (start, end - start));
  if (*host == '\0' || g_hostname_is_ip_address (host)
      || strpbrk (host, "<>&%\"' ") != NULL)
    return NULL;
  return g_steal_pointer (&host);
}

static void
on_autoconfig_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = hes_mailcow_client_fetch_page_finish (client, result, &error);
  char *host;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  host = hes_dns_plan_source_host_from_autoconfig (xml);
  if (host == NULL) {
    g_debug ("No mail host name in the server's autoconfig: %s",
             error ? error->message : "no <hostname>");
    host = g_strdup (hes_mailcow_client_get_host (client));
  }
  g_task_return_pointer (task, host, g_free);
}

void
hes_dns_plan_source_get_mail_host_async (HesMailcowClient    *client,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (client));
  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_dns_plan_source_get_mail_host_async);
  hes_mailcow_client_fetch_page_async (client, "/mail/config-v1.1.xml", cancellable,
                                       on_autoconfig_cb, task);
}

char *
hes_dns_plan_source_get_mail_host_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char     *domain;
  char     *mail_host;
  gboolean  has_dkim;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->domain);
  g_free (data->mail_host);
  g_free (data);
}

static void
on_dkim_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;
  HesDnsRecordPlan *plan;

  dkim = hes_mailcow_client_get_dkim_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (error != NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  data->has_dkim = dkim != NULL;
  plan = hes_dns_record_plan_new (data->domain, data->mail_host,
                                  dkim ? dkim->selector : NULL, dkim ? dkim->txt : NULL,
                                  NULL, &error);
  if (plan == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, plan, g_object_unref);
}

void
hes_dns_plan_source_load_async (HesMailcowClient    *client,
                                const char          *domain,
                                const char          *mail_host,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  LoadData *data;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (client));
  g_return_if_fail (domain != NULL && mail_host != NULL);
  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_dns_plan_source_load_async);
  data = g_new0 (LoadData, 1);
  data->domain = g_strdup (domain);
  data->mail_host = g_strdup (mail_host);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  hes_mailcow_client_get_dkim_async (client, domain, cancellable, on_dkim_cb, task);
}

HesDnsRecordPlan *
hes_dns_plan_source_load_finish (GAsyncResult  *result,
                                 gboolean      *has_dkim,
                                 GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  data = g_task_get_task_data (G_TASK (result));
  if (has_dkim != NULL)
    *has_dkim = data->has_dkim;
  return g_task_propagate_pointer (G_TASK (result), error);
}
