/* hes-session.h: the account the customer is signed in to, shared by every page. */
#pragma once

#include <glib-object.h>

#include "hes-mailcow-client.h"
#include "hes-provider-profile.h"

G_BEGIN_DECLS

#define HES_TYPE_SESSION (hes_session_get_type ())
G_DECLARE_FINAL_TYPE (HesSession, hes_session, HES, SESSION, GObject)

HesSession       *hes_session_new        (void);
/* The signed-in client, or NULL when nobody is signed in. */
HesMailcowClient *hes_session_get_client (HesSession       *self);
void              hes_session_set_client (HesSession       *self,
                                          HesMailcowClient *client);
/* The host's profile (default server, help links, DNS plan, sync rules). */
HesProviderProfile *hes_session_get_profile (HesSession     *self);

G_END_DECLS
