/* hes-password-generator.h: new mailbox passwords from GnuTLS's random generator. */
#pragma once

#include "hes-mailcow-types.h"

G_BEGIN_DECLS

#define HES_GENERATED_PASSWORD_LENGTH 16

/* A password of at least HES_GENERATED_PASSWORD_LENGTH characters (longer if @policy asks)
 * with lower case, upper case, digits and a special character, so that it meets any
 * policy mailcow can set. Free it with hes_password_free. */
char *hes_password_generate      (const HesPasswordPolicy *policy,
                                  GError                 **error);
/* Wipes and frees a password. */
void  hes_password_free          (char                    *password);

G_END_DECLS
