/* hes-security-keys.h: what the account's role page says about its second factors and keys.
 *
 * mailcow lists second factors and FIDO2 keys only in the HTML of the role's page
 * (/user, /domainadmin/user: templates tfa_keys.twig and fido2.twig), and reports the result
 * of a form post only as mailcow_alert_box() calls in the page that comes back
 * (mailcow-api.md §8). Pure parsing: no GTK, no network. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HES_SECURITY_KEY_SECOND_FACTOR,  /* a tfa row: authenticator app, YubiKey or security key */
  HES_SECURITY_KEY_PASSWORDLESS,   /* a fido2 row: passwordless sign-in */
} HesSecurityKeyKind;

typedef struct {
  HesSecurityKeyKind kind;
  char *id;    /* the tfa row id, or the hex SHA-256 of the credential id (fido2) */
  char *name;  /* as the customer named it; may be empty */
} HesSecurityKey;

typedef struct {
  char *type;  /* danger, warning, info, success */
  char *text;
} HesMailcowAlert;

void       hes_security_key_free    (HesSecurityKey  *key);
void       hes_mailcow_alert_free   (HesMailcowAlert *alert);

/* Element type HesSecurityKey: the fido2 keys first, then the second factors, in page order. */
GPtrArray *hes_security_keys_parse  (const char      *html);
/* Element type HesMailcowAlert, in page order. */
GPtrArray *hes_mailcow_alerts_parse (const char      *html);
/* The first alert of @type whose text contains @needle, or NULL. */
const HesMailcowAlert *hes_mailcow_alerts_find (GPtrArray  *alerts,
                                                const char *type,
                                                const char *needle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesSecurityKey, hes_security_key_free)

G_END_DECLS
