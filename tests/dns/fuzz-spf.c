/* fuzz-spf.c: libFuzzer target for SPF parsing, merging, macro expansion and evaluation.
 * Built only with clang: `fuzz-spf -max_total_time=30`. Every lookup is answered at once
 * with "no such name" by a tiny in-process backend, so evaluation and macros run too. */
#include <gio/gio.h>
#include <stdint.h>

#include "hes-dns-spf.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_TYPE_BACKEND (fuzz_backend_get_type ())
G_DECLARE_FINAL_TYPE (FuzzBackend, fuzz_backend, FUZZ, BACKEND, GObject)

struct _FuzzBackend { GObject parent_instance; };

static void
fuzz_query_async (HesDnsBackend *backend, const char *name, HesDnsType type, const char *server,
                  gboolean recursion, GCancellable *cancellable, GAsyncReadyCallback callback,
                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);
  HesDnsAnswer *answer = hes_dns_answer_new (HES_DNS_RCODE_NXDOMAIN, FALSE);

  g_task_return_pointer (task, answer, (GDestroyNotify) hes_dns_answer_unref);
}

static HesDnsAnswer *
fuzz_query_finish (HesDnsBackend *backend, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fuzz_iface_init (HesDnsBackendInterface *iface)
{
  iface->query_async = fuzz_query_async;
  iface->query_finish = fuzz_query_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FuzzBackend, fuzz_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HES_TYPE_DNS_BACKEND, fuzz_iface_init))

static void fuzz_backend_class_init (FuzzBackendClass *klass) { }
static void fuzz_backend_init (FuzzBackend *self) { }

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HesDnsSpfEvaluation **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = hes_dns_spf_evaluate_finish (result, &error);
  if (*out == NULL)
    *out = g_new0 (HesDnsSpfEvaluation, 1);  /* marks "done" */
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *prefixed = g_strconcat ("v=spf1 ", text, NULL);
  const char *texts[] = { prefixed, text, NULL };
  const char *addresses[] = { "192.0.2.25", "2001:db8::25", NULL };
  g_autoptr(HesDnsSpfPolicy) policy = hes_dns_spf_parse (prefixed, NULL);
  g_autofree char *merged = hes_dns_spf_merge (texts);
  g_autoptr(HesDnsFinding) finding = hes_dns_spf_check (texts, NULL, "v=spf1 mx ~all");
  g_autoptr(FuzzBackend) backend = g_object_new (FUZZ_TYPE_BACKEND, NULL);
  HesDnsSpfEvaluation *ev = NULL;

  (void) merged;
  (void) finding;
  if (policy)
    (void) hes_dns_spf_policy_get_all (policy);
  hes_dns_spf_evaluate_assuming_mx_async (HES_DNS_BACKEND (backend), "kunde.example", prefixed,
                                          addresses, "mail.hosterra.test", NULL, on_done, &ev);
  while (ev == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (ev->addresses)
    {
      g_autoptr(HesDnsFinding) f = hes_dns_spf_check (texts, ev, "v=spf1 mx ~all");

      (void) f;
      hes_dns_spf_evaluation_free (ev);
    }
  else
    g_free (ev);
  return 0;
}
