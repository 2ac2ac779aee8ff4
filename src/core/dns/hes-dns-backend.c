/* hes-dns-backend.c: the DNS lookup interface */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-backend.h"
#include "hes-dns-name.h"

G_DEFINE_INTERFACE (HesDnsBackend, hes_dns_backend, G_TYPE_OBJECT)

static void
hes_dns_backend_default_init (HesDnsBackendInterface *iface)
{
}

void
hes_dns_backend_query_async (HesDnsBackend       *self,
                             const char          *name,
                             HesDnsType           type,
                             const char          *server,
                             gboolean             recursion,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (HES_IS_DNS_BACKEND (self));

  normal = hes_dns_name_normalise (name);
  if (normal == NULL)
    {
      g_task_report_new_error (self, callback, user_data, hes_dns_backend_query_async,
                               G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               /* Translators: %s is a DNS name such as "kunde.example" */
                               _("“%s” is not a valid domain name; check the spelling."), name);
      return;
    }
  HES_DNS_BACKEND_GET_IFACE (self)->query_async (self, normal, type, server, recursion,
                                                 cancellable, callback, user_data);
}

HesDnsAnswer *
hes_dns_backend_query_finish (HesDnsBackend  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (HES_IS_DNS_BACKEND (self), NULL);

  if (g_async_result_is_tagged (result, hes_dns_backend_query_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return HES_DNS_BACKEND_GET_IFACE (self)->query_finish (self, result, error);
}
