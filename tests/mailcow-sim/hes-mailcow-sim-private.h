/* hes-mailcow-sim-private.h: the simulator's state, shared by its source files. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hes-mailcow-sim.h"
#include "hes-webauthn-verifier.h"

G_BEGIN_DECLS

#define SIM_MIB ((gint64) 1024 * 1024)
#define SIM_SESSION_COOKIE "MCSESSID"
#define SIM_SESSION_IDLE_SECONDS 10800

typedef struct {
  char      *name;
  char      *description;
  gboolean   active;
  guint      max_mailboxes;
  guint      max_aliases;
  gint64     max_quota;          /* bytes, the whole domain */
  gint64     max_quota_mbox;     /* bytes, one mailbox */
  gint64     def_quota_mbox;     /* bytes */
  gint64     created;
  gint64     modified;
  gboolean   wants_dkim;
  char      *dkim_pubkey;        /* base64 DER SubjectPublicKeyInfo, made lazily */
  guint      dkim_bits;
  char      *dkim_selector;
  GPtrArray *tags;
} SimDomain;

typedef struct {
  char     *username;
  char     *local_part;
  char     *domain;
  char     *name;
  char     *password;
  gint64    quota;                /* bytes, 0 = unlimited */
  gint64    bytes_used;
  guint     messages;
  gboolean  active;
  gboolean  force_pw_update;
  gboolean  acl_syncjobs;
  gint64    created;
  gint64    modified;
} SimMailbox;

typedef struct {
  char     *username;
  char     *password;
  GStrv     domains;
  gboolean  force_pw_update;
} SimAdmin;

typedef struct {
  guint   id;
  char   *username;
  char   *authmech;               /* "totp" or "webauthn" */
  char   *key_id;
  char   *secret;                 /* base32 (totp), or the key's public id (yubi_otp) */
  GBytes *credential_id;          /* webauthn */
  char   *public_key_pem;         /* webauthn: SubjectPublicKeyInfo, as mailcow stores it */
} SimTfa;

/* A FIDO2 (passwordless) credential. */
typedef struct {
  char   *username;
  char   *rp_id;
  char   *friendly_name;
  GBytes *credential_id;
  char   *public_key_pem;         /* SubjectPublicKeyInfo, as mailcow stores it */
  guint32 counter;
} SimFido2;

typedef struct {
  guint     id;
  char     *user2;
  char     *host1;
  guint     port1;
  char     *user1;
  char     *password1;
  char     *enc1;
  char     *exclude;
  char     *subfolder2;
  char     *custom_params;
  guint     mins_interval;
  guint     maxage;
  guint     maxbytespersecond;
  guint     timeout1;
  guint     timeout2;
  gboolean  delete2duplicates;
  gboolean  delete1;
  gboolean  delete2;
  gboolean  automap;
  gboolean  skipcrossduplicates;
  gboolean  subscribeall;
  gboolean  dry;
  gboolean  active;
  gboolean  is_running;
  gboolean  stuck;                /* a crashed run: stays "running" */
  gint64    last_run;             /* 0: NULL */
  int       success;              /* -1: NULL */
  char     *exit_status;          /* NULL until the first run */
  char     *returned_text;
  gint64    created;
  gint64    modified;             /* 0: NULL */
} SimSyncjob;

typedef struct {
  char       *id;
  char       *ua;                 /* the first User-Agent seen */
  char       *role;               /* "user", "domainadmin" or NULL */
  char       *username;
  char       *pending_username;   /* password ok, second factor awaited */
  char       *pending_role;
  gboolean    pending_pw_update;
  char       *csrf;
  JsonArray  *pile;               /* $_SESSION['return'] */
  GBytes     *challenge;          /* the one WebAuthn challenge slot */
  guint       failures;           /* failed logins of this session (ldelay) */
  gint64      last_seen;
} SimSession;

struct _HesMailcowSim {
  GObject      parent_instance;

  SoupServer  *server;
  GMainContext *context;          /* the thread-default context of listen() */
  guint        port;
  guint        https_port;
  char        *hostname;

  HesSimFault  fault;
  guint        delay_ms;
  guint        failure_delay_unit_ms;
  guint        ban_threshold;
  guint        failed_logins;

  GHashTable  *sessions;          /* id → SimSession */
  GPtrArray   *domains;
  GPtrArray   *mailboxes;
  GPtrArray   *admins;
  GPtrArray   *tfas;
  GPtrArray   *fido2;
  GPtrArray   *syncjobs;
  guint        next_tfa_id;
  guint        next_syncjob_id;

  guint        policy_length;
  gboolean     policy_chars;
  gboolean     policy_special_chars;
  gboolean     policy_lowerupper;
  gboolean     policy_numbers;

  gint64       clock_offset;
  GHashTable  *host_outcomes;     /* lower-cased host1 → exit status name */
  GHashTable  *used_otps;         /* Yubico OTPs YubiCloud has seen (replays fail) */
  gboolean     yubicloud_unreachable; /* as in mailcow-peer: no internet */
  guint        runner_source;

  GPtrArray   *held_messages;     /* paused answers (slow, silent, login delay) */
};

/* One request in flight: what the handlers read and fill in. */
typedef struct {
  HesMailcowSim     *sim;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  GHashTable        *query;       /* may be NULL */
  GHashTable        *form;        /* $_POST: form-urlencoded body after the session check */
  GBytes            *body;
  gboolean           is_json;
  gboolean           https;
  SimSession        *session;
  gboolean           send_cookie;
  guint              hold_ms;     /* answer later (login failure delay) */
} SimRequest;

/* hes-mailcow-sim.c */
guint       sim_timeout_add             (HesMailcowSim *self, guint ms, GSourceFunc func,
                                         gpointer data);
gint64      sim_now                     (HesMailcowSim *self);
char       *sim_format_time             (gint64 unix_time);
void        sim_respond                 (SimRequest *req, guint status, const char *content_type,
                                         const char *body, gsize length);
void        sim_respond_html            (SimRequest *req, guint status, const char *html);
void        sim_redirect                (SimRequest *req, guint status, const char *location);
const char *sim_form_get                (SimRequest *req, const char *key);
const char *sim_header                  (SimRequest *req, const char *name);

/* hes-mailcow-sim-session.c */
void        sim_session_free            (gpointer data);
SimSession *sim_session_attach          (SimRequest *req);
void        sim_session_regenerate      (SimRequest *req);
void        sim_session_destroy         (SimRequest *req);
char       *sim_random_hex              (gsize n_bytes);
void        sim_session_check           (SimRequest *req);
void        sim_pile_push               (SimSession *session, const char *type, JsonNode *log,
                                         JsonNode *msg);
void        sim_pile_push_key           (SimSession *session, const char *type, JsonNode *log,
                                         const char *key, const char *arg);
JsonNode   *sim_log_node                (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* hes-mailcow-sim-json.c */
char       *sim_json_encode             (JsonNode *node, gboolean pretty);
char       *sim_js_escape               (const char *text);
char       *sim_html_escape             (const char *text);
JsonNode   *sim_json_parse              (const char *text, gsize length);
char       *sim_json_member_string      (JsonObject *obj, const char *member);
gboolean    sim_json_member_int         (JsonObject *obj, const char *member, gint64 *out);
gboolean    sim_json_member_empty       (JsonObject *obj, const char *member);

/* hes-mailcow-sim-pages.c */
void        sim_handle_page             (SimRequest *req);
char       *sim_render_alerts           (SimSession *session);

/* hes-mailcow-sim-tfa.c */
void        sim_handle_tfa_forms        (SimRequest *req);
void        sim_render_tfa_keys         (GString *html, HesMailcowSim *sim, const char *username);
/* The "Sync jobs" tab of /user, drawn only when the user's syncjobs ACL allows them. */
void        sim_render_syncjobs_tab     (GString *html, HesMailcowSim *sim, const char *username);
char       *sim_fido2_cid               (SimFido2 *key);
SimFido2   *sim_find_fido2              (HesMailcowSim *sim, const char *username, const char *cid);

/* hes-mailcow-sim-webauthn.c */
void        sim_fido2_free              (gpointer data);
void        sim_api_webauthn_get        (SimRequest *req, const char *category);
void        sim_api_webauthn_add        (SimRequest *req, const char *category);
gboolean    sim_fido2_login             (SimRequest *req, const char *page_role);
char       *sim_webauthn_verify_tfa     (SimRequest *req, SimTfa *tfa);
char       *sim_rp_id                   (SimRequest *req);

/* hes-mailcow-sim-api.c */
void        sim_handle_api              (SimRequest *req, const char *query);
void        sim_api_write_pile          (SimRequest *req, gboolean failed, const char *action);
void        sim_api_write_get           (SimRequest *req, JsonNode *data);
gboolean    sim_may_see_domain          (SimRequest *req, const char *domain);
gboolean    sim_may_see_mailbox         (SimRequest *req, const char *username);
JsonNode   *sim_log_with_data           (const char *fn, const char *action, const char *type,
                                         JsonObject *attr);

/* hes-mailcow-sim-syncjobs.c */
void        sim_syncjob_free            (gpointer data);
void        sim_api_syncjob             (SimRequest *req, const char *action, JsonNode *input,
                                         const char *object, const char *extra);

/* hes-mailcow-sim-data.c */
SimDomain  *sim_find_domain             (HesMailcowSim *self, const char *name);
SimMailbox *sim_find_mailbox            (HesMailcowSim *self, const char *username);
SimAdmin   *sim_find_admin              (HesMailcowSim *self, const char *username);
gboolean    sim_admin_has_domain        (SimAdmin *admin, const char *domain);
void        sim_domain_free             (gpointer data);
void        sim_mailbox_free            (gpointer data);
void        sim_admin_free              (gpointer data);
void        sim_tfa_free                (gpointer data);
gboolean    sim_password_ok             (HesMailcowSim *self, const char *password);
const char *sim_domain_dkim_pubkey      (SimDomain *domain);
SimTfa     *sim_find_tfa                (HesMailcowSim *self, const char *username,
                                         const char *id_text);
char       *sim_yubi_otp_check          (HesMailcowSim *self, const char *public_id,
                                         const char *otp);
gboolean    sim_totp_verify             (HesMailcowSim *self, const char *secret, const char *token);
JsonNode   *sim_domain_to_json          (HesMailcowSim *self, SimDomain *domain);
JsonNode   *sim_mailbox_to_json         (HesMailcowSim *self, SimMailbox *mailbox);
gint64      sim_domain_quota_allocated  (HesMailcowSim *self, const char *domain);
guint       sim_domain_mailbox_count    (HesMailcowSim *self, const char *domain);

G_END_DECLS
