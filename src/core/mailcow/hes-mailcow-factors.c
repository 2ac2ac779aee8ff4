/* hes-mailcow-factors.c: listing, adding, renaming and removing an account's second factors
 * and passkeys (mailcow-api.md §8).
 *
 * Every change follows one pattern: read the account's page (its factors before, and the CSRF
 * token its forms need), send the change, read what the server now stores (the answer page of
 * a form post lists the factors again; after a JSON call the page is read), and read the page
 * once more when the change does not show yet. Only then is the change done. The server's
 * alerts only explain a change that did not happen.
 */
#define G_LOG_DOMAIN "hes-mailcow-factors"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailcow-factors.h"
#include "hes-mailcow-parse.h"

struct _HesMailcowFactors
{
  GObject parent_instance;

  HesMailcowClient *client;
};

G_DEFINE_FINAL_TYPE (HesMailcowFactors, hes_mailcow_factors, G_TYPE_OBJECT)

static void
hes_mailcow_factors_dispose (GObject *object)
{
  HesMailcowFactors *self = HES_MAILCOW_FACTORS (object);

  g_clear_object (&self->client);
  G_OBJECT_CLASS (hes_mailcow_factors_parent_class)->dispose (object);
}

static void
hes_mailcow_factors_class_init (HesMailcowFactorsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hes_mailcow_factors_dispose;
}

static void
hes_mailcow_factors_init (HesMailcowFactors *self)
{
}

HesMailcowFactors *
hes_mailcow_factors_new (HesMailcowClient *client)
{
  HesMailcowFactors *self;

  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (client), NULL);

  self = g_object_new (HES_TYPE_MAILCOW_FACTORS, NULL);
  self->client = g_object_ref (client);
  return self;
}

HesMailcowClient *
hes_mailcow_factors_get_client (HesMailcowFactors *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_FACTORS (self), NULL);

  return self->client;
}

/* The page of the role that lists the factors and takes the forms. */
static const char *
account_page (HesMailcowFactors *self)
{
  return hes_mailcow_client_get_role (self->client) == HES_MAILCOW_ROLE_DOMAIN_ADMIN
         ? "/domainadmin/user" : "/user";
}

typedef enum {
  CHANGE_LIST,
  CHANGE_SET_TFA,    /* form post that adds a second factor */
  CHANGE_ADD_KEY,    /* JSON registration of a security key */
  CHANGE_RENAME,
  CHANGE_REMOVE,     /* form post that removes one factor */
} ChangeType;

typedef struct {
  ChangeType type;
  HesMailcowFactorKind kind;
  char *yubico;             /* set_tfa: "yubi_otp" or "totp" */
  GStrv fields;             /* form fields name, value, …: may hold a password, wiped */
  JsonNode *body;           /* JSON call body: may hold a password */
  char *target_id;          /* remove, rename: the factor; passkey additions: its cid */
  char *name;
  GPtrArray *before;        /* HesMailcowFactor */
  GPtrArray *alerts;        /* HesMailcowAlert of the answer page */
  GPtrArray *after;
  HesMailcowFactor *added;
  gboolean read_again;
} Change;

static void
wipe_strv (GStrv strv)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    explicit_bzero (strv[i], strlen (strv[i]));
  g_strfreev (strv);
}

static void
change_free (Change *change)
{
  wipe_strv (change->fields);
  g_clear_pointer (&change->body, json_node_unref);
  g_free (change->yubico);
  g_free (change->target_id);
  g_free (change->name);
  g_clear_pointer (&change->before, g_ptr_array_unref);
  g_clear_pointer (&change->alerts, g_ptr_array_unref);
  g_clear_pointer (&change->after, g_ptr_array_unref);
  hes_mailcow_factor_free (change->added);
  g_free (change);
}

static GTask *
change_task_new (HesMailcowFactors   *self,
                 ChangeType           type,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Change *change = g_new0 (Change, 1);

  change->type = type;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  return task;
}

static const HesMailcowFactor *
find_factor (GPtrArray            *factors,
             HesMailcowFactorKind  kind,
             const char           *id)
{
  for (guint i = 0; factors != NULL && i < factors->len; i++) {
    const HesMailcowFactor *factor = g_ptr_array_index (factors, i);

    if (factor->kind == kind && g_ascii_strcasecmp (factor->id, id) == 0)
      return factor;
  }
  return NULL;
}

/* The factor of @kind in @after that @before did not have. */
static const HesMailcowFactor *
find_new_factor (GPtrArray            *before,
                 GPtrArray            *after,
                 HesMailcowFactorKind  kind)
{
  for (guint i = 0; i < after->len; i++) {
    const HesMailcowFactor *factor = g_ptr_array_index (after, i);

    if (factor->kind == kind && find_factor (before, kind, factor->id) == NULL)
      return factor;
  }
  return NULL;
}

/* Whether @change shows in @change->after; remembers the added factor. */
static gboolean
change_stored (Change *change)
{
  const HesMailcowFactor *factor = NULL;

  switch (change->type) {
  case CHANGE_LIST:
    return TRUE;
  case CHANGE_SET_TFA:
    factor = find_new_factor (change->before, change->after, HES_MAILCOW_FACTOR_SECOND_FACTOR);
    break;
  case CHANGE_ADD_KEY:
    factor = change->kind == HES_MAILCOW_FACTOR_PASSKEY
             ? find_factor (change->after, change->kind, change->target_id)
             : find_new_factor (change->before, change->after, change->kind);
    break;
  case CHANGE_RENAME:
    factor = find_factor (change->after, change->kind, change->target_id);
    return factor != NULL && g_strcmp0 (factor->name, change->name) == 0;
  case CHANGE_REMOVE:
    return find_factor (change->after, change->kind, change->target_id) == NULL;
  default:
    g_assert_not_reached ();
  }

  if (factor == NULL)
    return FALSE;
  hes_mailcow_factor_free (change->added);
  change->added = hes_mailcow_factor_copy (factor);
  return TRUE;
}

/* Why a change did not show, from the answer's alerts (mailcow's English texts). */
static GError *
change_refusal (Change *change)
{
  GPtrArray *alerts = change->alerts;

  if (alerts != NULL && hes_mailcow_alerts_find (alerts, "danger", "Last key") != NULL)
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_LAST_FACTOR,
      _("This is the last second factor of your account, and the server does not remove the "
        "last one. Add another way to confirm it’s you first, then remove this one."));
  if (alerts != NULL && hes_mailcow_alerts_find (alerts, "danger", "Access denied") != NULL)
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD,
      _("The password is not right. Type the password of your account and try again."));
  if (alerts != NULL && hes_mailcow_alerts_find (alerts, "danger", "TOTP verification failed"))
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_WRONG_CODE,
      _("The server did not accept the code. Wait for the next code in your app and type it."));
  if (alerts != NULL && hes_mailcow_alerts_find (alerts, "danger", "Form token invalid") != NULL)
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_TOKEN_EXPIRED,
      _("The server asked to confirm the change again. Press Next once more."));
  /* The OTP is checked by YubiCloud: whatever went wrong there (refused, unreachable), the
   * key was not stored. */
  if (g_strcmp0 (change->yubico, "yubi_otp") == 0)
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_OTP_NOT_VERIFIED,
      _("YubiCloud did not accept this one-time password. Check the API client ID and secret "
        "key, then touch the key again."));

  switch (change->type) {
  case CHANGE_ADD_KEY:
    /* mailcow answers success to a wrong password and stores nothing. */
    if (change->kind == HES_MAILCOW_FACTOR_SECOND_FACTOR)
      return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR,
                                  HES_MAILCOW_FACTORS_ERROR_WRONG_PASSWORD,
                                  _("The server did not register the key. Check your account "
                                    "password and try again."));
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_NOT_SAVED,
                                _("The server did not register the key. Try again; if it fails "
                                  "again, contact your provider."));
  case CHANGE_REMOVE:
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_NOT_SAVED,
                                _("The server did not remove it. Reload the page and try again."));
  case CHANGE_LIST:
  case CHANGE_SET_TFA:
  case CHANGE_RENAME:
  default:
    return g_error_new_literal (HES_MAILCOW_FACTORS_ERROR, HES_MAILCOW_FACTORS_ERROR_NOT_SAVED,
                                _("The server did not save the change. Try again in a moment."));
  }
}

static void read_account_page (GTask *task, GAsyncReadyCallback callback);
static void on_page_read_again (GObject *source, GAsyncResult *result, gpointer user_data);
static void post_json (GTask *task);

/* Takes @owned_task. */
static void
judge_page (GTask      *owned_task,
            const char *html)
{
  g_autoptr(GTask) task = owned_task;
  Change *change = g_task_get_task_data (task);

  g_clear_pointer (&change->after, g_ptr_array_unref);
  change->after = hes_mailcow_html_account_factors (html);
  if (change_stored (change)) {
    g_task_return_pointer (task, g_steal_pointer (&change->after),
                           (GDestroyNotify) g_ptr_array_unref);
    return;
  }
  if (!change->read_again) {
    change->read_again = TRUE;
    read_account_page (g_steal_pointer (&task), on_page_read_again);
    return;
  }
  g_task_return_error (task, change_refusal (change));
}

static void
read_account_page (GTask               *task,
                   GAsyncReadyCallback  callback)
{
  HesMailcowFactors *self = g_task_get_source_object (task);

  hes_mailcow_client_fetch_page_async (self->client, account_page (self),
                                       g_task_get_cancellable (task), callback, task);
}

static void
on_page_read_again (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  judge_page (g_steal_pointer (&task), html);
}

static void
on_form_posted (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  html = hes_mailcow_client_post_form_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  change->alerts = hes_mailcow_html_alerts (html);
  judge_page (g_steal_pointer (&task), html);
}

/* The page before a change: the factors it has, and the token the form needs. */
static void
on_page_before (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowFactors *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GCancellable *cancellable;

  html = hes_mailcow_client_fetch_page_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (html == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (change->type == CHANGE_LIST) {
    judge_page (g_steal_pointer (&task), html);
    return;
  }

  change->before = hes_mailcow_html_account_factors (html);
  if (change->type == CHANGE_ADD_KEY || change->type == CHANGE_RENAME) {
    post_json (g_steal_pointer (&task));
    return;
  }

  token = hes_mailcow_html_csrf_token (html);
  if (token == NULL) {
    g_task_return_new_error (task, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED, "%s",
                             _("The server’s page could not be read. Try again later."));
    return;
  }
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) change->fields);
  g_strv_builder_add_many (builder, "csrf_token", token, NULL);
  wipe_strv (change->fields);
  change->fields = g_strv_builder_end (builder);
  cancellable = g_task_get_cancellable (task);
  hes_mailcow_client_post_form_async (self->client, account_page (self),
                                      (const char * const *) change->fields, cancellable,
                                      on_form_posted, g_steal_pointer (&task));
}

static void
on_named (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  /* A passkey works without its name: only a cancellation stops here; the page decides. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  read_account_page (g_steal_pointer (&task), on_page_read_again);
}

static JsonNode *
rename_body (const char *cid,
             const char *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attr");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fido2_cid");
  json_builder_add_string_value (builder, cid);
  json_builder_set_member_name (builder, "fido2_fn");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* mailcow answers registrations with {"success":…}, which is no list of entries: the client
 * calls that malformed. Either way the page decides. */
static void
on_key_posted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowFactors *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) body = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  g_clear_pointer (&change->body, json_node_unref);
  if (error != NULL && !g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_MALFORMED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (change->type == CHANGE_ADD_KEY && change->kind == HES_MAILCOW_FACTOR_PASSKEY &&
      change->name != NULL && *change->name != '\0') {
    GCancellable *cancellable = g_task_get_cancellable (task);

    body = rename_body (change->target_id, change->name);
    hes_mailcow_client_api_post_async (self->client, "edit/fido2-fn", body, cancellable,
                                       on_named, g_steal_pointer (&task));
    return;
  }
  read_account_page (g_steal_pointer (&task), on_page_read_again);
}

static void
post_json (GTask *task)
{
  HesMailcowFactors *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  const char *path;

  if (change->type == CHANGE_RENAME)
    path = "edit/fido2-fn";
  else if (change->kind == HES_MAILCOW_FACTOR_PASSKEY)
    path = "add/fido2-registration";
  else
    path = "add/webauthn-tfa-registration";
  hes_mailcow_client_api_post_async (self->client, path, change->body,
                                     g_task_get_cancellable (task), on_key_posted, task);
}

static void
start_change (GTask *task)
{
  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  read_account_page (task, on_page_before);
}

void
hes_mailcow_factors_list_async (HesMailcowFactors   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));

  start_change (change_task_new (self, CHANGE_LIST, hes_mailcow_factors_list_async, cancellable,
                                 callback, user_data));
}

static void
add_tfa (HesMailcowFactors   *self,
         gpointer             source_tag,
         const char          *method,
         const char          *name,
         GStrv                method_fields,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = change_task_new (self, CHANGE_SET_TFA, source_tag, cancellable, callback,
                                 user_data);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  change->kind = HES_MAILCOW_FACTOR_SECOND_FACTOR;
  change->yubico = g_strdup (method);
  change->name = g_strdup (name);
  /* user.twig's form: set_tfa with any value, the method, the name, then the method's fields. */
  g_strv_builder_add_many (builder, "set_tfa", "", "tfa_method", method, "key_id", name, NULL);
  g_strv_builder_addv (builder, (const char **) method_fields);
  change->fields = g_strv_builder_end (builder);
  wipe_strv (method_fields);
  start_change (task);
}

void
hes_mailcow_factors_add_totp_async (HesMailcowFactors   *self,
                                    const char          *name,
                                    const char          *base32_secret,
                                    const char          *code,
                                    const char          *password,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));
  g_return_if_fail (name != NULL && base32_secret != NULL && code != NULL && password != NULL);

  g_strv_builder_add_many (builder, "confirm_password", password, "totp_secret", base32_secret,
                           "totp_confirm_token", code, NULL);
  add_tfa (self, hes_mailcow_factors_add_totp_async, "totp", name, g_strv_builder_end (builder),
           cancellable, callback, user_data);
}

void
hes_mailcow_factors_add_yubi_otp_async (HesMailcowFactors   *self,
                                        const char          *name,
                                        const char          *client_id,
                                        const char          *secret_key,
                                        const char          *otp,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));
  g_return_if_fail (name != NULL && client_id != NULL && secret_key != NULL && otp != NULL &&
                    password != NULL);

  g_strv_builder_add_many (builder, "yubico_id", client_id, "yubico_key", secret_key,
                           "otp_token", otp, "confirm_password", password, NULL);
  add_tfa (self, hes_mailcow_factors_add_yubi_otp_async, "yubi_otp", name,
           g_strv_builder_end (builder), cancellable, callback, user_data);
}

static void
on_options (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HesMailcowClient *client = HES_MAILCOW_CLIENT (source);
  HesWebauthnCeremony ceremony = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  HesWebauthnOptions *options = NULL;

  answer = hes_mailcow_client_api_get_finish (client, result, &error);
  if (answer != NULL)
    options = hes_webauthn_options_parse (answer, ceremony, hes_mailcow_client_get_host (client),
                                          &error);
  if (options == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, options, (GDestroyNotify) hes_webauthn_options_free);
}

static void
get_options (HesMailcowClient    *client,
             gpointer             source_object,
             gpointer             source_tag,
             const char          *path,
             HesWebauthnCeremony  ceremony,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GINT_TO_POINTER (ceremony), NULL);
  hes_mailcow_client_api_get_async (client, path, cancellable, on_options, task);
}

void
hes_mailcow_factors_get_key_options_async (HesMailcowFactors    *self,
                                           HesMailcowFactorKind  kind,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));

  get_options (self->client, self, hes_mailcow_factors_get_key_options_async,
               kind == HES_MAILCOW_FACTOR_PASSKEY ? "get/fido2-registration"
                                                  : "get/webauthn-tfa-registration",
               HES_WEBAUTHN_CREATE, cancellable, callback, user_data);
}

HesWebauthnOptions *
hes_mailcow_factors_get_key_options_finish (HesMailcowFactors  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hes_mailcow_client_get_sign_in_key_options_async (HesMailcowClient    *client,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data)
{
  g_return_if_fail (HES_IS_MAILCOW_CLIENT (client));

  get_options (client, client, hes_mailcow_client_get_sign_in_key_options_async,
               "get/webauthn-tfa-get-args", HES_WEBAUTHN_GET, cancellable, callback, user_data);
}

HesWebauthnOptions *
hes_mailcow_client_get_sign_in_key_options_finish (HesMailcowClient  *client,
                                                   GAsyncResult      *result,
                                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hes_mailcow_factors_add_key_async (HesMailcowFactors          *self,
                                   HesMailcowFactorKind        kind,
                                   const char                 *name,
                                   const char                 *password,
                                   const HesFido2Registration *registration,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  GTask *task;
  Change *change;

  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));
  g_return_if_fail (name != NULL && registration != NULL);
  g_return_if_fail (kind == HES_MAILCOW_FACTOR_PASSKEY || password != NULL);

  task = change_task_new (self, CHANGE_ADD_KEY, hes_mailcow_factors_add_key_async, cancellable,
                          callback, user_data);
  change = g_task_get_task_data (task);
  change->kind = kind;
  change->name = g_strdup (name);
  if (kind == HES_MAILCOW_FACTOR_PASSKEY) {
    gsize length;
    const guint8 *id = g_bytes_get_data (registration->credential_id, &length);

    /* mailcow names a passkey by the SHA-256 of its credential id. */
    change->target_id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, id, length);
    change->body = hes_webauthn_build_registration_body (registration->client_data_json,
                                                         registration->attestation_object);
  } else {
    change->body = hes_webauthn_build_tfa_registration_body (registration->client_data_json,
                                                             registration->attestation_object,
                                                             name, password);
  }
  start_change (task);
}

void
hes_mailcow_factors_rename_async (HesMailcowFactors      *self,
                                  const HesMailcowFactor *factor,
                                  const char             *name,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  GTask *task;
  Change *change;

  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));
  g_return_if_fail (factor != NULL && factor->kind == HES_MAILCOW_FACTOR_PASSKEY);
  g_return_if_fail (name != NULL);

  task = change_task_new (self, CHANGE_RENAME, hes_mailcow_factors_rename_async, cancellable,
                          callback, user_data);
  change = g_task_get_task_data (task);
  change->kind = factor->kind;
  change->target_id = g_strdup (factor->id);
  change->name = g_strdup (name);
  change->body = rename_body (factor->id, name);
  start_change (task);
}

void
hes_mailcow_factors_remove_async (HesMailcowFactors      *self,
                                  const HesMailcowFactor *factor,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  GTask *task;
  Change *change;

  g_return_if_fail (HES_IS_MAILCOW_FACTORS (self));
  g_return_if_fail (factor != NULL && factor->id != NULL);

  task = change_task_new (self, CHANGE_REMOVE, hes_mailcow_factors_remove_async, cancellable,
                          callback, user_data);
  change = g_task_get_task_data (task);
  change->kind = factor->kind;
  change->target_id = g_strdup (factor->id);
  change->fields = g_strdupv ((char *[]) {
    factor->kind == HES_MAILCOW_FACTOR_PASSKEY ? "unset_fido2_key" : "unset_tfa_key",
    factor->id, NULL });
  start_change (task);
}

GPtrArray *
hes_mailcow_factors_finish (HesMailcowFactors  *self,
                            GAsyncResult       *result,
                            HesMailcowFactor  **out_added,
                            GError            **error)
{
  Change *change;
  GPtrArray *factors;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  factors = g_task_propagate_pointer (G_TASK (result), error);
  change = g_task_get_task_data (G_TASK (result));
  if (out_added != NULL)
    *out_added = factors != NULL && change->added ? hes_mailcow_factor_copy (change->added) : NULL;
  return factors;
}
