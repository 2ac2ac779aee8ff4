/* hes-mailcow-parse.h: reading mailcow's HTML pages and JSON answers (no network).
 *
 * Internal to the mailcow client; public only so that tests can feed it fixed strings.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hes-mailcow-error.h"
#include "hes-mailcow-factors.h"
#include "hes-mailcow-types.h"

G_BEGIN_DECLS

typedef enum {
  HES_PENDING_NONE,
  HES_PENDING_PASSWORD_CHANGE,
  HES_PENDING_TFA_SETUP,
} HesPendingAction;

/* One mailcow_alert_box() of a page: the result of the session's last form post. */
typedef struct {
  char *type;  /* danger, warning, info, success */
  char *text;
} HesMailcowAlert;

void              hes_mailcow_alert_free            (HesMailcowAlert *alert);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowAlert, hes_mailcow_alert_free)

/* HTML pages, read with libxml2's HTML parser. @html is NUL-terminated. */
gboolean          hes_mailcow_html_has_login_form   (const char *html);
gboolean          hes_mailcow_html_has_tfa_prompt   (const char *html);
/* Element type HesSecondFactor, in page order. */
GPtrArray        *hes_mailcow_html_parse_factors    (const char *html);
HesPendingAction  hes_mailcow_html_pending_action   (const char *html);
/* The session's token from `var csrf_token = '…';`, or NULL. */
char             *hes_mailcow_html_csrf_token       (const char *html);
/* The account page's factors (HesMailcowFactor): passwordless keys first, then second
 * factors, each in page order. */
GPtrArray        *hes_mailcow_html_account_factors  (const char *html);
/* Element type HesMailcowAlert, in page order. */
GPtrArray        *hes_mailcow_html_alerts           (const char *html);
/* The first alert of @type whose text contains @needle, or NULL. */
const HesMailcowAlert *hes_mailcow_alerts_find      (GPtrArray  *alerts,
                                                     const char *type,
                                                     const char *needle);
/* Undoes the HTML escaping of text nodes and attribute values (&amp; &#039; …). */
char             *hes_mailcow_html_unescape         (const char *text,
                                                     gssize      length);

/* A NUL-terminated copy of a body (never NULL). */
char             *hes_mailcow_body_to_string        (GBytes     *body);
/* FALSE for JSON nested deeper or holding more values than any mailcow answer: checked
 * before parsing, since json-glib has no depth limit of its own. */
gboolean          hes_mailcow_json_within_limits    (const char *text,
                                                     gsize       length);
/* An /api/v1 answer: empty is SESSION_EXPIRED, an HTML page SESSION_EXPIRED (login page) or
 * MALFORMED, anything but whole JSON MALFORMED. */
JsonNode         *hes_mailcow_parse_json_body       (GBytes     *body,
                                                     GError    **error);

/* Write answers: an array of entries, or one object. Element type HesMailcowEntry. */
GPtrArray        *hes_mailcow_entries_parse         (JsonNode   *node,
                                                     GError    **error);
/* The first refusal among @entries as a plain sentence, or NULL when none refused. */
GError           *hes_mailcow_entries_to_error      (GPtrArray  *entries);
GError           *hes_mailcow_entry_to_error        (const HesMailcowEntry *entry);

/* get answers. */
GPtrArray        *hes_mailcow_domains_from_json     (JsonNode   *node,
                                                     GError    **error);
GPtrArray        *hes_mailcow_mailboxes_from_json   (JsonNode   *node,
                                                     GError    **error);
/* NULL without error for {} (no key). */
HesMailcowDkim   *hes_mailcow_dkim_from_json        (JsonNode   *node,
                                                     GError    **error);
HesPasswordPolicy *hes_mailcow_policy_from_json     (JsonNode   *node,
                                                     GError    **error);

G_END_DECLS
