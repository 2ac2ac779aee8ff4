/* hes-signin-page-private.h: the sign-in page's state, shared by its files: the page itself
 * (credentials and the sign-in flow), its role row, its second-factor step and its new-password
 * step. */
#pragma once

#include "hes-signin-page.h"

G_BEGIN_DECLS

typedef enum {
  STEP_CREDENTIALS,
  STEP_SECOND_FACTOR,
  STEP_NEW_PASSWORD,
  STEP_KEY_PIN,       /* passwordless: the security key's PIN */
} Step;

struct _HesSigninPage
{
  HesPage parent_instance;

  GtkWidget *welcome_box;
  GtkWidget *message_area;
  GtkStack *step_stack;
  GtkWidget *server_row;
  GtkWidget *username_row;
  GtkWidget *password_row;
  GtkWidget *role_row;
  GtkWidget *role_hint;
  GtkWidget *factors_list;
  GtkWidget *code_group;
  GtkWidget *code_row;
  GtkWidget *new_password_row;
  GtkWidget *confirm_row;
  GtkWidget *policy_label;
  GtkWidget *rules_label;
  GtkWidget *forward_button;
  GtkWidget *spinner;
  GtkWidget *key_prompt_label;
  GtkWidget *key_button;
  GtkWidget *key_status_label;
  GtkWidget *key_pin_row;

  Step step;
  /* The client of the sign-in in progress; it goes to the session once signed in. */
  HesMailcowClient *client;
  HesSecondFactor *factor;  /* the chosen one */
  HesPasswordPolicy *policy;
  GCancellable *apply_cancellable;
  GCancellable *policy_cancellable;
  /* Why the code step is shown again after a wrong code made the server forget the sign-in. */
  char *retry_message;
  /* The security key in use for the second factor or the passwordless sign-in. */
  GObject *key_ceremony;
  /* The next apply() is a passwordless sign-in (the key button, not Sign In). */
  gboolean key_sign_in;
};

static inline const char *
_hes_signin_field_text (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* hes-signin-page.c */
void            _hes_signin_page_set_field_invalid  (GtkWidget     *field,
                                                     gboolean       invalid);
void            _hes_signin_page_update_complete    (HesSigninPage *self);

/* hes-signin-page-role.c */
void            _hes_signin_page_setup_role_row     (HesSigninPage *self);
HesMailcowRole  _hes_signin_page_get_role           (HesSigninPage *self);
/* The passwordless button: shown for the roles that can use it. */
void            _hes_signin_page_update_key_button  (HesSigninPage *self);

/* hes-signin-page-factors.c */
void            _hes_signin_page_populate_factors   (HesSigninPage *self);
/* The typed code without spaces; NULL unless it fits the chosen factor. */
char           *_hes_signin_page_dup_code           (HesSigninPage *self);

/* hes-signin-page-webauthn.c */
/* Completes the pending second factor with the chosen security key. */
void            _hes_signin_page_verify_key         (HesSigninPage *self,
                                                     GCancellable  *cancellable);

/* hes-signin-page-key.c */
/* Passwordless sign-in with a security key: from the credentials step (the key button) or
 * the key's PIN step. */
void            _hes_signin_page_apply_key          (HesSigninPage *self,
                                                     GCancellable  *cancellable);
/* Forgets the key and its PIN (back to the first step, signed in, reset). */
void            _hes_signin_page_forget_key         (HesSigninPage *self);

/* hes-signin-page.c, for the other files */
void            _hes_signin_page_set_step           (HesSigninPage *self,
                                                     Step           step);
void            _hes_signin_page_handle_outcome     (HesSigninPage    *self,
                                                     HesSignInOutcome  outcome,
                                                     const GError     *error);
void            _hes_signin_page_show_error         (HesSigninPage *self,
                                                     const char    *message);
void            _hes_signin_page_end_apply          (HesSigninPage *self,
                                                     gboolean       valid);
/* Stays on the page with the focus in @focus, the field to correct. */
void            _hes_signin_page_end_apply_focus    (HesSigninPage *self,
                                                     GtkWidget     *focus);
/* The field an error asks to correct (the server's address, the password), or NULL. */
GtkWidget      *_hes_signin_page_field_to_correct   (HesSigninPage *self,
                                                     const GError  *error);
void            _hes_signin_page_retry_sign_in      (HesSigninPage *self,
                                                     const char    *message);

/* hes-signin-page-password.c */
/* Shows each rule the new password breaks; TRUE when it is good and confirmed. */
gboolean        _hes_signin_page_check_new_password (HesSigninPage *self);
void            _hes_signin_page_fetch_policy       (HesSigninPage *self);

G_END_DECLS
