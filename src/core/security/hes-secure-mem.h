/* hes-secure-mem.h: wiping secrets (PINs, TOTP keys) before their memory is given back. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Overwrites @len bytes at @mem with zeros in a way the compiler may not optimise away. */
void hes_secure_wipe        (gpointer mem,
                             gsize    len);
/* Wipes a NUL-terminated string, then frees it. NULL is fine. */
void hes_secure_free_string (char    *str);

/* Use as `g_autoptr(HesSecureString) pin = g_strdup (…);` */
typedef char HesSecureString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesSecureString, hes_secure_free_string)

G_END_DECLS
