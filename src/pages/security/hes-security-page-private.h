/* hes-security-page-private.h: the security page's state, shared by its files: the overview
 * and navigation (hes-security-page.c), the lists and removal (hes-security-page-list.c), the authenticator app and YubiKey forms
 * (hes-security-page-otp.c) and the security key flows (hes-security-page-keys.c). */
#pragma once

#include "hes-key-ceremony.h"
#include "hes-mailcow-factors.h"
#include "hes-security-page.h"

G_BEGIN_DECLS

typedef enum {
  VIEW_OVERVIEW,
  VIEW_TOTP,
  VIEW_YUBICO,
  VIEW_KEY,           /* security key as second factor */
  VIEW_PASSWORDLESS,  /* the same view, for a passwordless sign-in key */
} View;

struct _HesSecurityPage
{
  HesPage parent_instance;

  GtkWidget *error_label;
  GtkWidget *status_label;
  GtkStack *view_stack;
  GtkWidget *keys_list;
  GtkWidget *totp_row;
  GtkWidget *yubico_row;
  GtkWidget *key_row;
  GtkWidget *passwordless_row;
  GtkWidget *qr_view;
  GtkWidget *secret_label;
  GtkWidget *totp_name_row;
  GtkWidget *totp_code_row;
  GtkWidget *totp_password_row;
  GtkWidget *yubico_id_row;
  GtkWidget *yubico_key_row;
  GtkWidget *yubico_name_row;
  GtkWidget *yubico_otp_row;
  GtkWidget *yubico_password_row;
  GtkWidget *key_group;
  GtkWidget *key_name_row;
  GtkWidget *key_password_row;
  GtkWidget *prompt_box;
  GtkWidget *prompt_spinner;
  GtkWidget *prompt_label;
  GtkWidget *pin_group;
  GtkWidget *pin_row;
  GtkWidget *new_pin_group;
  GtkWidget *new_pin_row;
  GtkWidget *confirm_pin_row;

  View view;
  HesMailcowFactors *factors;   /* of the session's account */
  GPtrArray *keys;              /* HesMailcowFactor, as last listed */
  GBytes *totp_key;
  char *totp_base32;
  HesKeyCeremony *ceremony;     /* the key flow in progress */
  GCancellable *apply_cancellable;
  GCancellable *list_cancellable;
  GCancellable *pin_cancellable;
};

static inline const char *
_hes_security_text (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* hes-security-page.c */
HesMailcowClient *_hes_security_page_get_client    (HesSecurityPage *self);
HesMailcowFactors *_hes_security_page_get_factors  (HesSecurityPage *self);
void              _hes_security_page_show_error    (HesSecurityPage *self,
                                                    const char      *message);
void              _hes_security_page_show_status   (HesSecurityPage *self,
                                                    const char      *message);
void              _hes_security_page_update_complete (HesSecurityPage *self);
void              _hes_security_page_clear_messages (HesSecurityPage *self);
/* Back to the overview with @message (a success) and, when given, the account's @factors. */
void              _hes_security_page_done          (HesSecurityPage *self,
                                                    const char      *message,
                                                    GPtrArray       *factors);
/* Shows the account's factors as just read from the server (takes a reference). */
void              _hes_security_page_take_factors  (HesSecurityPage *self,
                                                    GPtrArray       *factors);
void              _hes_security_page_end_apply     (HesSecurityPage *self,
                                                    gboolean         valid);
void              _hes_security_page_set_invalid   (GtkWidget       *field,
                                                    gboolean         invalid);
guint             _hes_security_page_count_keys    (HesSecurityPage *self,
                                                    HesMailcowFactorKind kind);

/* hes-security-page-list.c */
void              _hes_security_page_populate_keys (HesSecurityPage *self);
/* Loads the role's page again and lists what it shows. */
void              _hes_security_page_refresh       (HesSecurityPage *self);

/* hes-security-page-otp.c */
void              _hes_security_page_start_totp    (HesSecurityPage *self);
void              _hes_security_page_stop_totp     (HesSecurityPage *self);
gboolean          _hes_security_page_totp_complete (HesSecurityPage *self);
gboolean          _hes_security_page_yubico_complete (HesSecurityPage *self);
void              _hes_security_page_apply_totp    (HesSecurityPage *self);
void              _hes_security_page_apply_yubico  (HesSecurityPage *self);

/* hes-security-page-keys.c */
void              _hes_security_page_start_key     (HesSecurityPage *self);
gboolean          _hes_security_page_key_complete  (HesSecurityPage *self);
void              _hes_security_page_apply_key     (HesSecurityPage *self);
void              _hes_security_page_set_pin       (HesSecurityPage *self);

G_END_DECLS
