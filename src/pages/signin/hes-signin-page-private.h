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
} Step;

struct _HesSigninPage
{
  HesPage parent_instance;

  GtkWidget *welcome_box;
  GtkWidget *error_revealer;
  GtkWidget *error_label;
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

  Step step;
  /* The client of the sign-in in progress; it goes to the session once signed in. */
  HesMailcowClient *client;
  HesSecondFactor *factor;  /* the chosen one */
  HesPasswordPolicy *policy;
  GCancellable *apply_cancellable;
  GCancellable *policy_cancellable;
  /* Why the code step is shown again after a wrong code made the server forget the sign-in. */
  char *retry_message;
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

/* hes-signin-page-factors.c */
void            _hes_signin_page_populate_factors   (HesSigninPage *self);
/* The typed code without spaces; NULL unless it fits the chosen factor. */
char           *_hes_signin_page_dup_code           (HesSigninPage *self);

/* hes-signin-page-password.c */
/* Shows each rule the new password breaks; TRUE when it is good and confirmed. */
gboolean        _hes_signin_page_check_new_password (HesSigninPage *self);
void            _hes_signin_page_fetch_policy       (HesSigninPage *self);

G_END_DECLS
