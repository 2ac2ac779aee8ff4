/* hes-mailcow-types.h: plain data read from a mailcow server. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_MAILCOW_ROLE_MAILBOX_USER,
  HES_MAILCOW_ROLE_DOMAIN_ADMIN,
} HesMailcowRole;

typedef enum {
  HES_SIGN_IN_DONE,
  HES_SIGN_IN_NEEDS_SECOND_FACTOR,   /* password right, a second factor is pending */
  HES_SIGN_IN_NEEDS_PASSWORD_CHANGE, /* first sign-in: the server asks for a new password */
  HES_SIGN_IN_NEEDS_TFA_SETUP,       /* signed in, but the server requires a second factor */
} HesSignInOutcome;

typedef enum {
  HES_SECOND_FACTOR_TOTP,
  HES_SECOND_FACTOR_WEBAUTHN,
  HES_SECOND_FACTOR_YUBI_OTP,
} HesSecondFactorMethod;

typedef struct {
  HesSecondFactorMethod method;
  char *id;    /* the tfa row id the server needs back; NULL for Yubico OTP (none needed) */
  char *name;  /* the name the customer gave the factor; NULL for Yubico OTP */
} HesSecondFactor;

typedef struct {
  char *name;          /* domain_name, ASCII */
  char *display_name;  /* domain_h_name, Unicode */
  char *description;
  gboolean active;
  gint64 mailboxes;
  gint64 max_mailboxes;
  gint64 mailboxes_left;
  guint64 max_quota_for_domain;   /* bytes */
  guint64 max_quota_for_mailbox;  /* bytes */
  guint64 def_quota_for_mailbox;  /* bytes */
  guint64 max_new_mailbox_quota;  /* bytes */
} HesMailcowDomain;

typedef struct {
  char *username;  /* the address */
  char *name;
  char *domain;
  gboolean active;
  guint64 quota;       /* bytes, 0 = unlimited */
  guint64 quota_used;  /* bytes */
  guint64 messages;
} HesMailcowMailbox;

typedef struct {
  char *selector;
  char *txt;      /* the TXT record value, v=DKIM1;k=rsa;... */
  char *pubkey;   /* base64, no armour */
  char *length;   /* "2048" */
} HesMailcowDkim;

typedef struct {
  guint length;
  gboolean chars;          /* at least one letter */
  gboolean special_chars;  /* at least one special character */
  gboolean lowerupper;     /* lower and upper case */
  gboolean numbers;        /* at least one digit */
} HesPasswordPolicy;

/* One entry of a write answer: {"type":…,"log":[…],"msg":key or [key, args…]}. */
typedef struct {
  char *type;        /* success, danger, warning, info, error */
  char *msg_key;
  GStrv msg_args;
} HesMailcowEntry;

#define HES_TYPE_SECOND_FACTOR  (hes_second_factor_get_type ())
#define HES_TYPE_MAILCOW_DOMAIN (hes_mailcow_domain_get_type ())
#define HES_TYPE_MAILCOW_MAILBOX (hes_mailcow_mailbox_get_type ())
#define HES_TYPE_MAILCOW_DKIM   (hes_mailcow_dkim_get_type ())
#define HES_TYPE_PASSWORD_POLICY (hes_password_policy_get_type ())
#define HES_TYPE_MAILCOW_ENTRY  (hes_mailcow_entry_get_type ())

GType              hes_second_factor_get_type   (void) G_GNUC_CONST;
GType              hes_mailcow_domain_get_type  (void) G_GNUC_CONST;
GType              hes_mailcow_mailbox_get_type (void) G_GNUC_CONST;
GType              hes_mailcow_dkim_get_type    (void) G_GNUC_CONST;
GType              hes_password_policy_get_type (void) G_GNUC_CONST;
GType              hes_mailcow_entry_get_type   (void) G_GNUC_CONST;

void               hes_second_factor_free       (HesSecondFactor   *factor);
void               hes_mailcow_domain_free      (HesMailcowDomain  *domain);
void               hes_mailcow_mailbox_free     (HesMailcowMailbox *mailbox);
void               hes_mailcow_dkim_free        (HesMailcowDkim    *dkim);
void               hes_password_policy_free     (HesPasswordPolicy *policy);
void               hes_mailcow_entry_free       (HesMailcowEntry   *entry);
HesPasswordPolicy *hes_password_policy_copy     (const HesPasswordPolicy *policy);
HesSecondFactor   *hes_second_factor_copy       (const HesSecondFactor   *factor);
HesMailcowDomain  *hes_mailcow_domain_copy      (const HesMailcowDomain  *domain);
HesMailcowMailbox *hes_mailcow_mailbox_copy     (const HesMailcowMailbox *mailbox);
HesMailcowDkim    *hes_mailcow_dkim_copy        (const HesMailcowDkim    *dkim);
HesMailcowEntry   *hes_mailcow_entry_copy       (const HesMailcowEntry   *entry);
/* TRUE for "danger" and "error" entries: the server refused (part of) the call. */
gboolean           hes_mailcow_entry_is_error   (const HesMailcowEntry   *entry);

/* Which rules @password breaks, as translated sentences ("Use at least 8 characters.");
 * an empty array when it is acceptable. */
GPtrArray         *hes_password_policy_check    (const HesPasswordPolicy *policy,
                                                 const char              *password);
/* The policy in one translated sentence, for showing before the customer types. */
char              *hes_password_policy_describe (const HesPasswordPolicy *policy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesSecondFactor, hes_second_factor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowDomain, hes_mailcow_domain_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowMailbox, hes_mailcow_mailbox_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowDkim, hes_mailcow_dkim_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesPasswordPolicy, hes_password_policy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesMailcowEntry, hes_mailcow_entry_free)

G_END_DECLS
