/* hes-mailcow-client.h: a signed-in session with one mailcow server.
 *
 * One libsoup session with a cookie jar and a fixed User-Agent (mailcow ties a session to the
 * first User-Agent it sees). Everything is asynchronous, cancellable and time-limited. Errors
 * are HES_MAILCOW_ERROR with a message that is one plain, translated sentence.
 * Passwords given to this API are never logged nor kept after the call that needs them.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hes-mailcow-error.h"
#include "hes-mailcow-types.h"

G_BEGIN_DECLS

#define HES_TYPE_MAILCOW_CLIENT (hes_mailcow_client_get_type ())
G_DECLARE_FINAL_TYPE (HesMailcowClient, hes_mailcow_client, HES, MAILCOW_CLIENT, GObject)

/* @server: "https://mail.example.com", "mail.example.com" (https is assumed) or, for the
 * simulator only, "http://127.0.0.1:PORT" / "http://localhost:PORT". Anything else over plain
 * http fails with HES_MAILCOW_ERROR_INSECURE_URL. */
HesMailcowClient   *hes_mailcow_client_new                (const char           *server,
                                                           GError              **error);
const char         *hes_mailcow_client_get_base_url       (HesMailcowClient     *self);
/* The host name of the server ("mail.example.com"), as used for WebAuthn origins and DNS. */
const char         *hes_mailcow_client_get_host           (HesMailcowClient     *self);
/* Seconds one request may stall before it fails with HES_MAILCOW_ERROR_TIMEOUT (default 20). */
void                hes_mailcow_client_set_timeout        (HesMailcowClient     *self,
                                                           guint                 seconds);
HesMailcowRole      hes_mailcow_client_get_role           (HesMailcowClient     *self);
/* NULL until signed in. */
const char         *hes_mailcow_client_get_username       (HesMailcowClient     *self);
gboolean            hes_mailcow_client_get_signed_in      (HesMailcowClient     *self);
/* Where the sign-in stands now: after verify_totp or change_password succeed, the server may
 * still ask for the next step (a password change after the code, a second factor setup after
 * the password). HES_SIGN_IN_DONE when nothing is pending (signed in, or signed out). */
HesSignInOutcome    hes_mailcow_client_get_sign_in_state  (HesMailcowClient     *self);

/* Sign-in by the login form of the role's page ("/" or "/domainadmin/"). */
void                hes_mailcow_client_sign_in_async      (HesMailcowClient     *self,
                                                           HesMailcowRole        role,
                                                           const char           *username,
                                                           const char           *password,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
HesSignInOutcome    hes_mailcow_client_sign_in_finish     (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* After HES_SIGN_IN_NEEDS_SECOND_FACTOR: the methods the account has (HesSecondFactor). */
GPtrArray          *hes_mailcow_client_get_pending_factors (HesMailcowClient    *self);
/* Completes a pending second factor with a TOTP code (6 digits) for the factor @factor_id.
 * A wrong code ends the pending sign-in (the server forgets it): sign in again. */
void                hes_mailcow_client_verify_totp_async  (HesMailcowClient     *self,
                                                           const char           *factor_id,
                                                           const char           *code,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            hes_mailcow_client_verify_totp_finish (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Completes a pending second factor with a WebAuthn assertion for the factor @factor_id:
 * @assertion_json is {"id","clientDataJSON","authenticatorData","signature"}, standard base64.
 * Fetch the challenge first with api_get "get/webauthn-tfa-get-args" on this client. */
void                hes_mailcow_client_verify_webauthn_async  (HesMailcowClient *self,
                                                               const char       *factor_id,
                                                               const char       *assertion_json,
                                                               GCancellable     *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer          user_data);
gboolean            hes_mailcow_client_verify_webauthn_finish (HesMailcowClient *self,
                                                               GAsyncResult     *result,
                                                               GError          **error);
/* Completes a pending second factor with the 44-character OTP a YubiKey types. */
void                hes_mailcow_client_verify_yubi_otp_async  (HesMailcowClient *self,
                                                               const char       *otp,
                                                               GCancellable     *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer          user_data);
gboolean            hes_mailcow_client_verify_yubi_otp_finish (HesMailcowClient *self,
                                                               GAsyncResult     *result,
                                                               GError          **error);
/* After HES_SIGN_IN_NEEDS_PASSWORD_CHANGE: sets the new password (checked against the
 * server's policy first), then the session is fully signed in. */
void                hes_mailcow_client_change_password_async  (HesMailcowClient *self,
                                                               const char       *new_password,
                                                               GCancellable     *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer          user_data);
gboolean            hes_mailcow_client_change_password_finish (HesMailcowClient *self,
                                                               GAsyncResult     *result,
                                                               GError          **error);
void                hes_mailcow_client_sign_out_async     (HesMailcowClient     *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            hes_mailcow_client_sign_out_finish    (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* On quit: signs out every session of this process still open on a server, including those
 * of clients already dropped, and waits at most @timeout_ms for the servers (iterating the
 * thread-default main context), so that quitting never hangs on an unreachable server. */
void                hes_mailcow_sign_out_all              (guint                 timeout_ms);

/* Raw JSON API. @path is below /api/v1/, e.g. "get/domain/all".
 * get: the parsed answer; an empty body (no session) is HES_MAILCOW_ERROR_SESSION_EXPIRED.
 * post: @body is sent as application/json; the answer's entries that belong to this call are
 * returned as a GPtrArray of HesMailcowEntry (older piled-up entries are not); a "danger" or
 * "error" entry becomes a HES_MAILCOW_ERROR_REFUSED (or ACCESS_DENIED) error whose message is
 * the server's message in plain words. Answers are never logged: they can echo passwords. */
void                hes_mailcow_client_api_get_async      (HesMailcowClient     *self,
                                                           const char           *path,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
JsonNode           *hes_mailcow_client_api_get_finish     (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                hes_mailcow_client_api_post_async     (HesMailcowClient     *self,
                                                           const char           *path,
                                                           JsonNode             *body,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GPtrArray          *hes_mailcow_client_api_post_finish    (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* Typed calls. Each _finish returns a new reference/array or NULL with @error set. */
void                hes_mailcow_client_list_domains_async (HesMailcowClient     *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* Element type HesMailcowDomain. A mailbox user gets the domain of their own address. */
GPtrArray          *hes_mailcow_client_list_domains_finish (HesMailcowClient    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
/* @domain: NULL for every mailbox the session may see (a mailbox user: only their own). */
void                hes_mailcow_client_list_mailboxes_async (HesMailcowClient   *self,
                                                             const char         *domain,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
/* Element type HesMailcowMailbox. */
GPtrArray          *hes_mailcow_client_list_mailboxes_finish (HesMailcowClient  *self,
                                                              GAsyncResult      *result,
                                                              GError           **error);
void                hes_mailcow_client_get_dkim_async     (HesMailcowClient     *self,
                                                           const char           *domain,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* NULL without error when the domain has no DKIM key yet. */
HesMailcowDkim     *hes_mailcow_client_get_dkim_finish    (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Domain administrators only: creates the domain's DKIM key (selector "dkim", 2048 bits). */
void                hes_mailcow_client_add_dkim_async     (HesMailcowClient     *self,
                                                           const char           *domain,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean            hes_mailcow_client_add_dkim_finish    (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                hes_mailcow_client_get_password_policy_async  (HesMailcowClient *self,
                                                                   GCancellable     *cancellable,
                                                                   GAsyncReadyCallback callback,
                                                                   gpointer          user_data);
HesPasswordPolicy  *hes_mailcow_client_get_password_policy_finish (HesMailcowClient *self,
                                                                   GAsyncResult     *result,
                                                                   GError          **error);
/* The newest page of the session, fetched again: for form actions that need a fresh CSRF
 * token (mailcow rotates it after every checked post). NULL token when the page has none. */
void                hes_mailcow_client_fetch_csrf_token_async  (HesMailcowClient    *self,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
char               *hes_mailcow_client_fetch_csrf_token_finish (HesMailcowClient    *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);

/* HTML pages of the session, for what mailcow offers only as forms (set_tfa, unset_tfa_key,
 * unset_fido2_key). @path is a page such as "/user" or "/domainadmin/user". The answer is the
 * page's HTML (status 200); a redirect means the session is gone (SESSION_EXPIRED).
 * post_form: @fields are name, value, …, NULL, posted form-encoded; add "csrf_token" from
 * fetch_csrf_token. The body is wiped from memory once sent (it may hold a password). */
void                hes_mailcow_client_fetch_page_async   (HesMailcowClient     *self,
                                                           const char           *path,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char               *hes_mailcow_client_fetch_page_finish  (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                hes_mailcow_client_post_form_async    (HesMailcowClient     *self,
                                                           const char           *path,
                                                           const char * const   *fields,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
char               *hes_mailcow_client_post_form_finish   (HesMailcowClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* Passwordless sign-in with a security key (FIDO2, mailcow-api.md §8), in two calls on the
 * same client. First the options: a new server session (the challenge lives in its cookie,
 * kept for the second call) and GET api/v1/get/fido2-get-args, which needs no sign-in; the
 * answer goes to hes_webauthn_options_parse (HES_WEBAUTHN_GET). */
void                hes_mailcow_client_get_key_sign_in_options_async  (HesMailcowClient *self,
                                                                       GCancellable     *cancellable,
                                                                       GAsyncReadyCallback callback,
                                                                       gpointer          user_data);
JsonNode           *hes_mailcow_client_get_key_sign_in_options_finish (HesMailcowClient *self,
                                                                       GAsyncResult     *result,
                                                                       GError          **error);
/* Then the key's assertion: @assertion_token_json is hes_webauthn_build_assertion_token's
 * {"id","clientDataJSON","authenticatorData","signature"}, posted as the form field "token"
 * with verify_fido2_login to the role's login page (never logged). mailcow answers an empty
 * 200 either way, so the role's own page (/user, /domainadmin/user) decides. @user_handle:
 * the credential's user handle (mailcow puts the username's bytes there), or NULL; it
 * becomes the client's username. A refusal is HES_MAILCOW_ERROR_WRONG_CREDENTIALS. */
void                hes_mailcow_client_sign_in_with_key_async  (HesMailcowClient    *self,
                                                                HesMailcowRole       role,
                                                                const char          *assertion_token_json,
                                                                GBytes              *user_handle,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
HesSignInOutcome    hes_mailcow_client_sign_in_with_key_finish (HesMailcowClient    *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);

G_END_DECLS
