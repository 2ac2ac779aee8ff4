/* hes-mailcow-client-private.h: what the client's source files share. */
#pragma once

#include <libsoup/soup.h>

#include "hes-mailcow-client.h"
#include "hes-mailcow-parse.h"

G_BEGIN_DECLS

typedef enum {
  HES_CLIENT_SIGNED_OUT,
  HES_CLIENT_PENDING_SECOND_FACTOR,
  HES_CLIENT_PENDING_PASSWORD_CHANGE,
  HES_CLIENT_PENDING_TFA_SETUP,   /* signed in; the server wants a second factor set up */
  HES_CLIENT_SIGNED_IN,
} HesClientState;

typedef enum {
  HES_SEND_NONE            = 0,
  HES_SEND_CARRIES_SECRET  = 1 << 0,  /* a password or a code is in the body */
} HesSendFlags;

struct _HesMailcowClient
{
  GObject         parent_instance;

  SoupSession    *session;
  SoupCookieJar  *jar;
  char           *base_url;   /* "https://host[:port]", no trailing slash */
  char           *host;
  guint           timeout;

  HesClientState  state;
  HesMailcowRole  role;
  char           *username;   /* set once the password was accepted */
  GPtrArray      *pending_factors;

  guint           failed_sign_ins;  /* refused passwords and codes on this server */
  gboolean        server_answered;  /* any HTTP answer from this server so far */
};

/* A server session whose client was dropped while signed in: its cookie lives on in
 * @session until @logout is sent on quit. */
typedef struct {
  SoupSession *session;
  SoupMessage *logout;
} HesDroppedSession;

/* Every HesMailcowClient alive (not owned). */
GList       *_hes_mailcow_client_get_live      (void);
/* The dropped sessions kept so far (element type HesDroppedSession), or NULL; the caller
 * owns the array. */
GPtrArray   *_hes_mailcow_client_steal_dropped (void);

/* A message to @path ("/", "/api/v1/get/…") that never follows redirects and never
 * accepts a certificate the system does not trust. */
SoupMessage *_hes_mailcow_client_new_message   (HesMailcowClient    *self,
                                                const char          *method,
                                                const char          *path);
/* A form body whose memory is wiped when libsoup drops it. */
void         _hes_mailcow_set_form_body        (SoupMessage         *message,
                                                const char * const  *fields);
/* Sends @message, reads the whole body, all within the client's timeout. Transport
 * errors come back as HES_MAILCOW_ERROR (or G_IO_ERROR_CANCELLED). */
void         _hes_mailcow_client_send_async    (HesMailcowClient    *self,
                                                SoupMessage         *message,
                                                HesSendFlags         flags,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes      *_hes_mailcow_client_send_finish   (HesMailcowClient    *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* The same, for an answer that must be a 200: any other status comes back as its error;
 * with @redirect_ends_session, a redirect says the session is gone (SESSION_EXPIRED). */
GBytes      *_hes_mailcow_client_send_finish_ok (HesMailcowClient   *self,
                                                 GAsyncResult       *result,
                                                 SoupMessage        *message,
                                                 gboolean            redirect_ends_session,
                                                 GError            **error);
/* The same, for an answer that is a page (200) or a redirect, both with their status in
 * @status: the page's text; any other status comes back as its error. */
char        *_hes_mailcow_client_send_finish_html (HesMailcowClient *self,
                                                   GAsyncResult     *result,
                                                   SoupMessage      *message,
                                                   guint            *status,
                                                   GError          **error);
/* Frees a string (a password, a form body) after overwriting it; NULL is fine. */
void         _hes_mailcow_wipe_and_free        (gpointer             data);

/* The path of a 3xx answer's Location ("/user"), or NULL. */
char        *_hes_mailcow_location_path        (SoupMessage         *message);
/* "/" or "/domainadmin/": where the role signs in. */
const char  *_hes_mailcow_role_login_path      (HesMailcowRole       role);
/* The HTML page that shows the session's own state and flushes the API answer pile-up. */
const char  *_hes_mailcow_client_page_path     (HesMailcowClient    *self);
void         _hes_mailcow_client_set_state     (HesMailcowClient    *self,
                                                HesClientState       state);
void         _hes_mailcow_client_reset_session (HesMailcowClient    *self);

/* An /api/v1 write: flushes the answer pile-up by loading the session's own page, posts
 * @body (JSON) and returns its entries (HesMailcowEntry), or the first refusal as an error. */
void         _hes_mailcow_client_post_json_async  (HesMailcowClient    *self,
                                                   const char          *path,
                                                   GBytes              *body,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray   *_hes_mailcow_client_post_json_finish (HesMailcowClient    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
