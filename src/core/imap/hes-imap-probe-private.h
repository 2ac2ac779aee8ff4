/* hes-imap-probe-private.h: what the steps of the connection test share.
 * hes-imap-probe.c: the object and the run; hes-imap-probe-connect.c: connecting, TLS,
 * the greeting, CAPABILITY and STARTTLS; hes-imap-probe-account.c: signing in, LIST, STATUS
 * and LOGOUT. Every step function "takes @task": it owns one reference and passes it on.
 */
#pragma once

#include "hes-imap-connection.h"
#include "hes-imap-probe.h"

G_BEGIN_DECLS

struct _HesImapProbe
{
  GObject          parent_instance;
  char            *host;
  guint16          port;
  HesImapSecurity  security;
  char            *user;
  guint            step_timeout_ms;
  HesImapProbeStep step;
};

typedef struct {
  HesImapConnection *connection;
  char              *password;
  GStrv              capabilities;
  HesImapResult     *result;
  guint              next_folder;
  GError            *first_error;  /* kept while a second connection tells what it means */
} HesImapProbeRun;

/* Helpers (hes-imap-probe.c) */
void             _hes_imap_probe_forget_password (HesImapProbeRun     *run);
gboolean         _hes_imap_probe_has_capability  (HesImapProbeRun     *run,
                                                  const char          *name);
void             _hes_imap_probe_fail_with       (GTask               *task,
                                                  HesImapError         code);
void             _hes_imap_probe_set_step        (HesImapProbe        *self,
                                                  HesImapProbeStep     step);
/* Takes the answer of a step, or returns NULL after failing @task with the step's error. */
HesImapResponse *_hes_imap_probe_finish_command  (GTask               *task,
                                                  GAsyncResult        *result);
/* The same for a step that must answer OK: otherwise fails @task with @refusal. */
HesImapResponse *_hes_imap_probe_finish_ok       (GTask               *task,
                                                  GAsyncResult        *result,
                                                  HesImapError         refusal);
/* Takes @task. */
void             _hes_imap_probe_send_command    (GTask               *task,
                                                  const char          *command,
                                                  GAsyncReadyCallback  callback);

/* Steps (each takes @task) */
void             _hes_imap_probe_connect         (GTask               *task);    /* -connect.c */
void             _hes_imap_probe_send_capability (GTask               *task);    /* -connect.c */
void             _hes_imap_probe_send_login      (GTask               *task);    /* -account.c */
void             _hes_imap_probe_send_list       (GTask               *task);    /* -account.c */

G_END_DECLS
