/* fuzz-mailcow-html.c: libFuzzer target for mailcow's HTML pages, read as the client reads
 * them: through the bounded body of hes-http-read.c (in 4 KiB pieces, as from the network),
 * then every public reader of hes-mailcow-html.c (the account's factors, the alerts of a form
 * post, the CSRF token, the sign-in page's prompts).
 * Built only with clang: `fuzz-mailcow-html -max_total_time=30`. */
#include <stdint.h>

#include "hes-http-read.h"
#include "hes-mailcow-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define PIECE 4096

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HesBoundedBody) bounded = hes_bounded_body_new (hes_http_answer_limit (HES_HTTP_ANSWER_PAGE));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) factors = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *html = NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;

  for (size_t offset = 0; offset < size; offset += PIECE)
    if (!hes_bounded_body_append (bounded, data + offset, MIN (PIECE, size - offset)))
      return 0;
  body = hes_bounded_body_finish (g_steal_pointer (&bounded));
  html = hes_mailcow_body_to_string (body);

  factors = hes_mailcow_html_account_factors (html);
  for (guint i = 0; i < factors->len; i++)
    {
      HesMailcowFactor *factor = g_ptr_array_index (factors, i);

      g_assert (factor->id != NULL && factor->id[0] != '\0');
    }
  alerts = hes_mailcow_html_alerts (html);
  hes_mailcow_alerts_find (alerts, "danger", "Last key");
  pending = hes_mailcow_html_parse_factors (html);
  token = hes_mailcow_html_csrf_token (html);
  g_assert (token == NULL || token[0] != '\0');
  text = hes_mailcow_html_unescape (html, -1);
  hes_mailcow_html_has_login_form (html);
  hes_mailcow_html_has_tfa_prompt (html);
  hes_mailcow_html_pending_action (html);
  return 0;
}
