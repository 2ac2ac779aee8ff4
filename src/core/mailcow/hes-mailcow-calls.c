/* hes-mailcow-calls.c: the typed calls the wizard needs (domains, mailboxes, DKIM, policy). */
#define G_LOG_DOMAIN "hes-mailcow-calls"

#include "config.h"

#include <string.h>

#include "hes-mailcow-client-private.h"

typedef gpointer (*NodeReader) (JsonNode *node, GError **error);

typedef struct {
  NodeReader     reader;
  GDestroyNotify free_func;
} ReadData;

static void
on_typed_get (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gpointer value;

  node = hes_mailcow_client_api_get_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (node == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  value = data->reader (node, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, data->free_func);
}

/* @component is escaped, since addresses and domain names end up in the path. */
static void
typed_get (HesMailcowClient    *self,
           gpointer             source_tag,
           const char          *prefix,
           const char          *component,
           NodeReader           reader,
           GDestroyNotify       free_func,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, source_tag);
  data->reader = reader;
  data->free_func = free_func;
  g_task_set_task_data (task, data, g_free);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (component != NULL)
    escaped = g_uri_escape_string (component, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH_ELEMENT, TRUE);
  path = escaped ? g_strconcat (prefix, "/", escaped, NULL) : g_strdup (prefix);
  hes_mailcow_client_api_get_async (self, path, cancellable, on_typed_get,
                                    g_steal_pointer (&task));
}

static gpointer
typed_finish (HesMailcowClient *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
own_domain (HesMailcowClient *self)
{
  const char *at = self->username ? strrchr (self->username, '@') : NULL;

  return at ? at + 1 : NULL;
}

/* mailcow shows domains to administrators only; a mailbox user's domain is that of the
 * address, which needs no request. */
static GPtrArray *
mailbox_user_domains (HesMailcowClient *self)
{
  GPtrArray *domains = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_mailcow_domain_free);
  HesMailcowDomain *domain = g_new0 (HesMailcowDomain, 1);

  domain->name = g_strdup (own_domain (self));
  domain->display_name = g_strdup (domain->name);
  domain->active = TRUE;
  g_ptr_array_add (domains, domain);
  return domains;
}

void
hes_mailcow_client_list_domains_async (HesMailcowClient    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  if (self->role == HES_MAILCOW_ROLE_MAILBOX_USER) {
    g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

    g_task_set_source_tag (task, hes_mailcow_client_list_domains_async);
    if (g_task_return_error_if_cancelled (task))
      return;
    if (!hes_mailcow_client_get_signed_in (self) || own_domain (self) == NULL)
      g_task_return_error (task, hes_mailcow_error_new_default (HES_MAILCOW_ERROR_SESSION_EXPIRED));
    else
      g_task_return_pointer (task, mailbox_user_domains (self), (GDestroyNotify) g_ptr_array_unref);
    return;
  }

  typed_get (self, hes_mailcow_client_list_domains_async, "get/domain/all", NULL,
             (NodeReader) hes_mailcow_domains_from_json, (GDestroyNotify) g_ptr_array_unref,
             cancellable, callback, user_data);
}

GPtrArray *
hes_mailcow_client_list_domains_finish (HesMailcowClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return typed_finish (self, result, hes_mailcow_client_list_domains_async, error);
}

void
hes_mailcow_client_list_mailboxes_async (HesMailcowClient    *self,
                                         const char          *domain,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  const char *prefix = "get/mailbox/all";
  const char *component = domain;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  /* A mailbox user may read only their own mailbox, and only by its address. */
  if (self->role == HES_MAILCOW_ROLE_MAILBOX_USER) {
    prefix = "get/mailbox";
    component = self->username ? self->username : "-";
  }

  typed_get (self, hes_mailcow_client_list_mailboxes_async, prefix, component,
             (NodeReader) hes_mailcow_mailboxes_from_json, (GDestroyNotify) g_ptr_array_unref,
             cancellable, callback, user_data);
}

GPtrArray *
hes_mailcow_client_list_mailboxes_finish (HesMailcowClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return typed_finish (self, result, hes_mailcow_client_list_mailboxes_async, error);
}

void
hes_mailcow_client_get_dkim_async (HesMailcowClient    *self,
                                   const char          *domain,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (domain != NULL);

  typed_get (self, hes_mailcow_client_get_dkim_async, "get/dkim", domain,
             (NodeReader) hes_mailcow_dkim_from_json, (GDestroyNotify) hes_mailcow_dkim_free,
             cancellable, callback, user_data);
}

HesMailcowDkim *
hes_mailcow_client_get_dkim_finish (HesMailcowClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return typed_finish (self, result, hes_mailcow_client_get_dkim_async, error);
}

void
hes_mailcow_client_get_password_policy_async (HesMailcowClient    *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));

  typed_get (self, hes_mailcow_client_get_password_policy_async, "get/passwordpolicy", NULL,
             (NodeReader) hes_mailcow_policy_from_json, (GDestroyNotify) hes_password_policy_free,
             cancellable, callback, user_data);
}

HesPasswordPolicy *
hes_mailcow_client_get_password_policy_finish (HesMailcowClient  *self,
                                               GAsyncResult      *result,
                                               GError           **error)
{
  return typed_finish (self, result, hes_mailcow_client_get_password_policy_async, error);
}

static void
on_dkim_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hes_mailcow_client_add_dkim_async (HesMailcowClient    *self,
                                   const char          *domain,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (HES_IS_MAILCOW_CLIENT (self));
  g_return_if_fail (domain != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hes_mailcow_client_add_dkim_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "domains");
  json_builder_add_string_value (builder, domain);
  json_builder_set_member_name (builder, "dkim_selector");
  json_builder_add_string_value (builder, "dkim");
  json_builder_set_member_name (builder, "key_size");
  json_builder_add_int_value (builder, 2048);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  hes_mailcow_client_api_post_async (self, "add/dkim", body, cancellable, on_dkim_added,
                                     g_steal_pointer (&task));
}

gboolean
hes_mailcow_client_add_dkim_finish (HesMailcowClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
