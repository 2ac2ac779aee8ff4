/* fuzz-mailcow-json.c: libFuzzer target for mailcow's /api/v1 answers, read as the client
 * reads them: through the bounded body of hes-http-read.c (in 4 KiB pieces, as from the
 * network), then the depth and size check, json-glib and every typed reader.
 * Built only with clang: `fuzz-mailcow-json -max_total_time=30`. */
#include <stdint.h>

#include "hes-http-read.h"
#include "hes-mailcow-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define PIECE 4096

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(HesBoundedBody) bounded = hes_bounded_body_new (hes_http_answer_limit (HES_HTTP_ANSWER_JSON));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(HesMailcowDkim) dkim = NULL;
  g_autoptr(HesPasswordPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  for (size_t offset = 0; offset < size; offset += PIECE)
    if (!hes_bounded_body_append (bounded, data + offset, MIN (PIECE, size - offset)))
      return 0;
  body = hes_bounded_body_finish (g_steal_pointer (&bounded));

  node = hes_mailcow_parse_json_body (body, &error);
  if (node == NULL)
    return 0;
  domains = hes_mailcow_domains_from_json (node, NULL);
  mailboxes = hes_mailcow_mailboxes_from_json (node, NULL);
  dkim = hes_mailcow_dkim_from_json (node, NULL);
  policy = hes_mailcow_policy_from_json (node, NULL);
  entries = hes_mailcow_entries_parse (node, NULL);
  if (entries != NULL) {
    GError *refusal = hes_mailcow_entries_to_error (entries);

    g_clear_error (&refusal);
  }
  return 0;
}
