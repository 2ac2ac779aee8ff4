/* security-test-util.h: shared helpers of the security tests. */
#pragma once

#include <gio/gio.h>

#include "hes-fido2-session.h"
#include "hes-webauthn.h"

G_BEGIN_DECLS

#define SEC_TEST_HOST "mail.kunde.example"
#define SEC_TEST_URL "https://mail.kunde.example:8443/"
#define SEC_TEST_USER "max@kunde.example"

/* mailcow-shaped options, as its API sends them: one line of JSON, binary values as
 * "=?BINARY?B?…?=" with '/' escaped as "\/". @challenge_out: the random challenge. */
char     *sec_test_creation_json (const char  *rp_id,
                                  gboolean     passwordless,
                                  GPtrArray   *exclude_ids,
                                  GBytes     **challenge_out);
char     *sec_test_request_json  (const char  *rp_id,
                                  GPtrArray   *allow_ids,
                                  GBytes     **challenge_out);
HesWebauthnOptions *sec_test_parse (const char          *json,
                                    HesWebauthnCeremony  ceremony);

/* Async plumbing: pass sec_test_on_done with &slot, then sec_test_wait (&slot). */
void          sec_test_on_done (GObject      *source,
                                GAsyncResult *result,
                                gpointer      slot);
GAsyncResult *sec_test_wait    (GAsyncResult **slot);

/* Independent verifiers. Both return TRUE if the tool accepted; @output gets its text.
 * python: @trusted_root NULL requires self attestation, else an x5c chain up to that DER root.
 * fido2-cred: passes the x5c certificate when the attestation has one. */
gboolean  sec_test_python_verify     (HesFido2Registration *reg,
                                      const char           *rp_id,
                                      const char           *origin,
                                      GBytes               *challenge,
                                      gboolean              uv_required,
                                      HesFido2Assertion    *assertion,
                                      GBytes               *assertion_challenge,
                                      GBytes               *trusted_root,
                                      char                **output);
gboolean  sec_test_fido2_cred_verify (HesFido2Registration *reg,
                                      const char           *rp_id,
                                      gboolean              uv_required,
                                      int                   cred_protect,
                                      char                **output);

G_END_DECLS
