/* hes-signin-page.h: signs the customer in: server, role, user and password, then a second
 * factor or a new password when the server asks for one. On success the page puts the signed-in
 * client into the session and ends its apply() valid. */
#pragma once

#include "hes-page.h"

G_BEGIN_DECLS

#define HES_TYPE_SIGNIN_PAGE (hes_signin_page_get_type ())
G_DECLARE_FINAL_TYPE (HesSigninPage, hes_signin_page, HES, SIGNIN_PAGE, HesPage)

HesPage *hes_signin_page_new     (HesSession     *session);
/* Fills the fields the customer used last time (any may be NULL). */
void     hes_signin_page_prefill (HesSigninPage  *self,
                                  const char     *server,
                                  HesMailcowRole  role,
                                  const char     *username);
/* Back to the first step with the passwords cleared (after signing out). */
void     hes_signin_page_reset   (HesSigninPage  *self);
/* Says why the customer is here again: the server ended the session. */
void     hes_signin_page_show_session_ended (HesSigninPage *self);

G_END_DECLS
