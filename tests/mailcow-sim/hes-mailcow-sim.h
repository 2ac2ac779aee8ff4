/* hes-mailcow-sim.h: a mailcow server simulator on loopback, for tests and the demo.
 *
 * A SoupServer that behaves like the real mailcow as ../shared/docs/mailcow-api.md describes,
 * traps included: login forms with 302/200 answers, the MCSESSID cookie tied to the first
 * User-Agent, the pending second-factor state, the piled-up answer arrays, 200 with an empty
 * body without a session, access_denied as type:danger, sync jobs (missing flags become 0,
 * add returns no id, object_exists), and fault switches.
 * It runs on the thread-default main context of the thread that calls listen.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HES_TYPE_MAILCOW_SIM (hes_mailcow_sim_get_type ())
G_DECLARE_FINAL_TYPE (HesMailcowSim, hes_mailcow_sim, HES, MAILCOW_SIM, GObject)

typedef enum {
  HES_SIM_FAULT_NONE,
  HES_SIM_FAULT_SLOW,             /* every answer waits hes_mailcow_sim_set_delay_ms first */
  HES_SIM_FAULT_HTTP_500,         /* every request: 500 with nginx's HTML error page */
  HES_SIM_FAULT_HTML_FOR_JSON,    /* /api/v1 answers 200 with an HTML page */
  HES_SIM_FAULT_TRUNCATED_JSON,   /* /api/v1 answers cut in the middle */
  HES_SIM_FAULT_DROP_CONNECTION,  /* the connection is closed without an answer */
  HES_SIM_FAULT_EXPIRE_SESSIONS,  /* every session is forgotten before each request */
  HES_SIM_FAULT_NOT_MAILCOW,      /* an unrelated web site: no login form, 404 on /api/v1 */
  HES_SIM_FAULT_SILENT,           /* accepts the request and never answers */
} HesSimFault;

HesMailcowSim *hes_mailcow_sim_new                    (void);
/* Listens on 127.0.0.1:@port (0: any free port) over plain http. */
gboolean       hes_mailcow_sim_listen                 (HesMailcowSim      *self,
                                                       guint               port,
                                                       GError            **error);
/* Listens on another free loopback port over https with @certificate (tests of TLS errors). */
gboolean       hes_mailcow_sim_listen_https           (HesMailcowSim      *self,
                                                       GTlsCertificate    *certificate,
                                                       GError            **error);
/* "http://127.0.0.1:PORT" (and "https://127.0.0.1:PORT" once listening over https). */
char          *hes_mailcow_sim_dup_url                (HesMailcowSim      *self);
char          *hes_mailcow_sim_dup_https_url          (HesMailcowSim      *self);

/* The mailcow host name the server reports (MAILCOW_HOSTNAME, rpId). */
void           hes_mailcow_sim_set_hostname           (HesMailcowSim      *self,
                                                       const char         *hostname);
void           hes_mailcow_sim_set_fault              (HesMailcowSim      *self,
                                                       HesSimFault         fault);
void           hes_mailcow_sim_set_delay_ms           (HesMailcowSim      *self,
                                                       guint               delay_ms);
/* After this many failed logins from the client, every connection is closed unanswered
 * (fail2ban). 0 (the default) never bans. */
void           hes_mailcow_sim_set_ban_threshold      (HesMailcowSim      *self,
                                                       guint               failures);

/* Accounts and data. Domains get a 2048-bit DKIM key unless @with_dkim is FALSE. */
void           hes_mailcow_sim_add_domain             (HesMailcowSim      *self,
                                                       const char         *domain,
                                                       const char         *description,
                                                       gboolean            with_dkim);
void           hes_mailcow_sim_add_mailbox            (HesMailcowSim      *self,
                                                       const char         *address,
                                                       const char         *name,
                                                       const char         *password);
void           hes_mailcow_sim_add_domain_admin       (HesMailcowSim      *self,
                                                       const char         *username,
                                                       const char         *password,
                                                       const char * const *domains);
void           hes_mailcow_sim_set_force_password_update (HesMailcowSim   *self,
                                                          const char      *username,
                                                          gboolean         force);
/* Adds a TOTP second factor and returns its tfa row id. */
guint          hes_mailcow_sim_add_totp               (HesMailcowSim      *self,
                                                       const char         *username,
                                                       const char         *key_name,
                                                       const char         *base32_secret);
/* Adds a Yubico OTP second factor for the key @public_id (12 modhex characters, the start of
 * every OTP that key types) and returns its tfa row id. */
guint          hes_mailcow_sim_add_yubi_otp           (HesMailcowSim      *self,
                                                       const char         *username,
                                                       const char         *key_name,
                                                       const char         *public_id);
/* A fresh OTP of that key (the simulated YubiCloud accepts each one once). */
char          *hes_mailcow_sim_make_yubi_otp          (const char         *public_id);
/* Whether the server reaches YubiCloud to check Yubico OTPs (default TRUE). FALSE is the real
 * server in mailcow-peer, without internet: every Yubico OTP is refused. */
void           hes_mailcow_sim_set_yubicloud_reachable (HesMailcowSim     *self,
                                                        gboolean           reachable);
/* The password policy (defaults: length 6, nothing else required). */
void           hes_mailcow_sim_set_password_policy    (HesMailcowSim      *self,
                                                       guint               length,
                                                       gboolean            chars,
                                                       gboolean            special_chars,
                                                       gboolean            lowerupper,
                                                       gboolean            numbers);
/* A password as the server stores it now (tests of the password change). */
gboolean       hes_mailcow_sim_check_password         (HesMailcowSim      *self,
                                                       const char         *username,
                                                       const char         *password);

/* The demo: hostname mail.hosterra.test, the domains, admins and mailboxes listed in
 * hes-mailcow-sim-demo.c; @out_description receives the text printed on start. */
void           hes_mailcow_sim_load_demo              (HesMailcowSim      *self,
                                                       char              **out_description);

/* Additions for tests and the demo (not in the first version of this header). */

/* The failure delay grows like mailcow's (failures 1-2: none, 3-4: one unit, 5-6: two…);
 * the unit is 1000 ms like PHP's sleep(). 0 answers failures at once. */
void           hes_mailcow_sim_set_failure_delay_unit_ms (HesMailcowSim   *self,
                                                          guint            unit_ms);
/* Failed logins counted for the ban; unban resets the count. */
guint          hes_mailcow_sim_get_failed_logins      (HesMailcowSim      *self);
void           hes_mailcow_sim_unban                  (HesMailcowSim      *self);
const char    *hes_mailcow_sim_get_hostname           (HesMailcowSim      *self);
guint          hes_mailcow_sim_count_sessions         (HesMailcowSim      *self);

/* The server's clock (sessions, TOTP, sync-job intervals): real time plus an offset. */
gint64         hes_mailcow_sim_get_time               (HesMailcowSim      *self);
void           hes_mailcow_sim_advance_clock          (HesMailcowSim      *self,
                                                       gint64              seconds);
/* The 6-digit TOTP code of @base32_secret at @unix_time (RFC 6238, SHA1, 30 s); NULL if the
 * secret is not base32. */
char          *hes_mailcow_sim_totp_code              (const char         *base32_secret,
                                                       gint64              unix_time);

void           hes_mailcow_sim_set_domain_limits      (HesMailcowSim      *self,
                                                       const char         *domain,
                                                       guint               max_mailboxes,
                                                       guint64             max_quota_mib,
                                                       guint64             max_quota_mbox_mib,
                                                       guint64             def_quota_mbox_mib);
void           hes_mailcow_sim_add_domain_tag         (HesMailcowSim      *self,
                                                       const char         *domain,
                                                       const char         *tag);
void           hes_mailcow_sim_set_mailbox_quota      (HesMailcowSim      *self,
                                                       const char         *address,
                                                       guint64             quota_mib,
                                                       guint64             bytes_used,
                                                       guint               messages);
/* The mailbox user's "syncjobs" ACL (off by default, as in mailcow). */
void           hes_mailcow_sim_set_syncjobs_acl       (HesMailcowSim      *self,
                                                       const char         *address,
                                                       gboolean            allowed);

/* The sync-job runner. run_now does what one runner start does: nothing if a job is
 * running, else every due job one after the other; returns how many started. */
guint          hes_mailcow_sim_run_syncjobs_now       (HesMailcowSim      *self);
/* Runs the runner every @seconds of real time; 0 stops it. */
void           hes_mailcow_sim_start_runner           (HesMailcowSim      *self,
                                                       guint               seconds);
/* The result of jobs whose host1 is @host1: an imapsync exit status name such as "EX_OK"
 * (the default), "EXIT_AUTHENTICATION_FAILURE_USER1", "EXIT_CONNECTION_FAILURE_HOST1",
 * "EXIT_TLS_FAILURE", "EXIT_OVERQUOTA", or "RUNNING" (the job hangs). NULL resets. */
void           hes_mailcow_sim_set_syncjob_host_outcome (HesMailcowSim    *self,
                                                         const char       *host1,
                                                         const char       *exit_status);
/* Forces job @id to stick "running" (a crashed run) or releases it. FALSE: no such job. */
gboolean       hes_mailcow_sim_set_syncjob_running    (HesMailcowSim      *self,
                                                       guint               id,
                                                       gboolean            running);
/* Adds a job as mailcow's dialog would (993/SSL, 20 minutes, active); returns its id. */
guint          hes_mailcow_sim_add_syncjob            (HesMailcowSim      *self,
                                                       const char         *mailbox,
                                                       const char         *host1,
                                                       const char         *user1,
                                                       const char         *password1,
                                                       gboolean            dry);
guint          hes_mailcow_sim_get_syncjob_count      (HesMailcowSim      *self);
const char    *hes_mailcow_sim_peek_syncjob_password  (HesMailcowSim      *self,
                                                       guint               id);
/* FIDO2 keys (@fido2) or WebAuthn second factors of @username. */
guint          hes_mailcow_sim_count_webauthn_keys    (HesMailcowSim      *self,
                                                       const char         *username,
                                                       gboolean            fido2);

/* The test certificates shipped in certs/ (made by make-test-certs.sh with certtool):
 * "server" (127.0.0.1 and localhost, signed by the test CA), "self-signed", "wrong-host"
 * (other.example, signed by the test CA) and "expired" (signed by the test CA, expired). */
GTlsCertificate *hes_mailcow_sim_load_test_certificate (const char      *name,
                                                        GError         **error);
/* The path of the test CA (PEM) that clients may trust. */
const char    *hes_mailcow_sim_get_test_ca_file       (void);

G_END_DECLS
