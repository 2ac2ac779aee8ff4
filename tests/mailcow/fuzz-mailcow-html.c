/* fuzz-mailcow-html.c: libFuzzer target for the reader of mailcow's HTML pages (the account's
 * factors, the alerts of a form post, the CSRF token, the sign-in page's prompts).
 * Built only with clang: `fuzz-mailcow-html -max_total_time=30`. */
#include <glib.h>
#include <stdint.h>

#include "hes-mailcow-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *html = g_strndup ((const char *) data, size);
  g_autoptr(GPtrArray) factors = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *token = NULL;

  factors = hes_mailcow_html_account_factors (html);
  for (guint i = 0; i < factors->len; i++) {
    HesMailcowFactor *factor = g_ptr_array_index (factors, i);

    g_assert (factor->id != NULL && factor->id[0] != '\0');
  }
  alerts = hes_mailcow_html_alerts (html);
  hes_mailcow_alerts_find (alerts, "danger", "Last key");
  pending = hes_mailcow_html_parse_factors (html);
  token = hes_mailcow_html_csrf_token (html);
  g_assert (token == NULL || token[0] != '\0');
  hes_mailcow_html_has_login_form (html);
  hes_mailcow_html_has_tfa_prompt (html);
  hes_mailcow_html_pending_action (html);
  return 0;
}
