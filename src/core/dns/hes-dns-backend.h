/* hes-dns-backend.h: the interface every DNS lookup of the app goes through.
 *
 * query_async (name, type, server, recursion) → HesDnsAnswer. @server is "IPv4" or "IPv4:port"
 * (port 53 when omitted), or NULL for the system's resolver. @recursion FALSE sends RD=0, for
 * questions to a zone's authoritative servers. An answer with any rcode is a success; errors
 * mean "no usable answer" (timeout, unreachable, malformed) and must never be read as "the
 * record is missing". The checker takes any implementation, so tests hand it a fake one.
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-answer.h"

G_BEGIN_DECLS

#define HES_TYPE_DNS_BACKEND (hes_dns_backend_get_type ())
G_DECLARE_INTERFACE (HesDnsBackend, hes_dns_backend, HES, DNS_BACKEND, GObject)

struct _HesDnsBackendInterface
{
  GTypeInterface parent_iface;

  void          (*query_async)  (HesDnsBackend       *self,
                                 const char          *name,
                                 HesDnsType           type,
                                 const char          *server,
                                 gboolean             recursion,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  HesDnsAnswer *(*query_finish) (HesDnsBackend       *self,
                                 GAsyncResult        *result,
                                 GError             **error);
};

/* @name is normalised first (IDN, case, trailing dot); an invalid name fails at once with
 * G_IO_ERROR_INVALID_ARGUMENT. */
void          hes_dns_backend_query_async  (HesDnsBackend       *self,
                                            const char          *name,
                                            HesDnsType           type,
                                            const char          *server,
                                            gboolean             recursion,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
HesDnsAnswer *hes_dns_backend_query_finish (HesDnsBackend       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
