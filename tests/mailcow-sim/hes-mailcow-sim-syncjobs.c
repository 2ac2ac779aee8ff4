/* hes-mailcow-sim-syncjobs.c: imapsync jobs (mailbox() syncjob cases) and the runner
 * (imapsync_runner.pl): one job at a time, due jobs only, results in the job row. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#include <string.h>

/* $IMAPSYNC_OPTIONS['whitelist'] (inc/vars.inc.php), the options users may add. */
static const char * const option_whitelist[] = {
  "abort", "authmd51", "authmd52", "authmech1", "authmech2", "authuser1", "authuser2",
  "debug", "debugcontent", "debugcrossduplicates", "debugflags", "debugfolders", "debugimap",
  "debugimap1", "debugimap2", "debugmemory", "debugssl", "delete1emptyfolders",
  "delete2folders", "disarmreadreceipts", "domain1", "domain2", "domino1", "domino2",
  "errorsmax", "exchange1", "exchange2", "exitwhenover", "expunge1", "f1f2",
  "filterbuggyflags", "folder", "folderfirst", "folderlast", "folderrec", "gmail1", "gmail2",
  "idatefromheader", "include", "inet4", "inet6", "justconnect", "justfolders",
  "justfoldersizes", "justlogin", "keepalive1", "keepalive2", "log", "maxlinelength",
  "maxmessagespersecond", "maxsize", "maxsleep", "minage", "minsize", "noabletosearch",
  "noabletosearch1", "noabletosearch2", "noexpunge1", "noexpunge2", "nofoldersizes", "noid",
  "nolog", "nomixfolders", "noresyncflags", "nossl1", "nossl2", "nosyncacls", "notls1",
  "notls2", "nouidexpunge2", "nousecache", "prefix1", "prefix2", "resyncflags",
  "resynclabels", "search", "search1", "search2", "sep1", "sep2", "skipemptyfolders",
  "ssl2", "subfolder1", "subscribed", "subscribe", "syncduplicates", "syncinternaldates",
  "synclabels", "tls2", "truncmess", "usecache", "useheader", "useuid", NULL,
};

/* imapsync's exit codes. */
static const struct { const char *name; int code; } exit_codes[] = {
  { "EX_OK", 0 }, { "EXIT_CATCH_ALL", 1 }, { "EXIT_BY_SIGNAL", 6 },
  { "EXIT_CONNECTION_FAILURE", 10 }, { "EXIT_TLS_FAILURE", 12 },
  { "EXIT_AUTHENTICATION_FAILURE", 16 }, { "EXIT_SUBFOLDER1_NO_EXISTS", 21 },
  { "EXIT_WITH_ERRORS", 111 }, { "EXIT_WITH_ERRORS_MAX", 112 }, { "EXIT_OVERQUOTA", 113 },
  { "EXIT_ERR_APPEND", 114 }, { "EXIT_ERR_FETCH", 115 }, { "EXIT_ERR_CREATE", 116 },
  { "EXIT_ERR_SELECT", 117 }, { "EXIT_TRANSFER_EXCEEDED", 118 },
  { "EXIT_CONNECTION_FAILURE_HOST1", 101 }, { "EXIT_CONNECTION_FAILURE_HOST2", 102 },
  { "EXIT_AUTHENTICATION_FAILURE_USER1", 161 }, { "EXIT_AUTHENTICATION_FAILURE_USER2", 162 },
};

void
sim_syncjob_free (gpointer data)
{
  SimSyncjob *job = data;

  g_free (job->user2);
  g_free (job->host1);
  g_free (job->user1);
  g_free (job->password1);
  g_free (job->enc1);
  g_free (job->exclude);
  g_free (job->subfolder2);
  g_free (job->custom_params);
  g_free (job->exit_status);
  g_free (job->returned_text);
  g_free (job);
}

static SimSyncjob *
find_job (HesMailcowSim *sim, gint64 id)
{
  for (guint i = 0; i < sim->syncjobs->len; i++)
    {
      SimSyncjob *job = g_ptr_array_index (sim->syncjobs, i);

      if (job->id == id)
        return job;
    }
  return NULL;
}

static gboolean
may_write (SimRequest *req, const char *user2)
{
  SimMailbox *mailbox = sim_find_mailbox (req->sim, user2);

  if (mailbox == NULL || !sim_may_see_mailbox (req, user2))
    return FALSE;
  if (g_strcmp0 (req->session->role, "user") == 0)
    return mailbox->acl_syncjobs;
  return TRUE;
}

static void
push (SimRequest *req, const char *type, const char *action, JsonObject *attr, const char *key,
      const char *arg)
{
  sim_pile_push_key (req->session, type, sim_log_with_data ("mailbox", action, "syncjob", attr),
                     key, arg);
}

static gboolean
valid_regex (const char *pattern)
{
  g_autoptr(GRegex) regex = NULL;

  if (pattern == NULL || *pattern == '\0')
    return TRUE;
  regex = g_regex_new (pattern, 0, 0, NULL);
  return regex != NULL;
}

static gboolean
valid_host (const char *host)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
                                         G_REGEX_CASELESS, 0, NULL);

  return host && g_regex_match (regex, host, 0, NULL);
}

/* The text is split on "-": a value holding "-" breaks into a second "option". */
static char *
check_custom_params (const char *params)
{
  g_auto(GStrv) pieces = g_strsplit (params ? params : "", "-", -1);

  for (guint i = 0; pieces[i]; i++)
    {
      g_autofree char *piece = g_strstrip (g_strdup (pieces[i]));
      char *eq;

      if (*piece == '\0')
        continue;
      if ((eq = strchr (piece, '=')))
        *eq = '\0';
      if (strchr (piece, ' '))
        return g_strdup ("bad character SPACE");
      if (!g_strv_contains (option_whitelist, piece))
        return g_strdup_printf ("bad option %s", piece);
    }
  return NULL;
}

static gint64
member_int_or (JsonObject *attr, const char *member, gint64 fallback)
{
  gint64 v;

  return sim_json_member_int (attr, member, &v) ? v : fallback;
}

static gint64
ranged_or (JsonObject *attr, const char *member, gint64 low, gint64 high, gint64 fallback)
{
  gint64 v = member_int_or (attr, member, fallback);

  return v >= low && v <= high ? v : fallback;
}

static gboolean
flag (JsonObject *attr, const char *member)
{
  return member_int_or (attr, member, 0) != 0;
}

static void
set_flags (SimSyncjob *job, JsonObject *attr, gboolean keep_missing)
{
#define FLAG(name) \
  if (!keep_missing || json_object_has_member (attr, #name)) job->name = flag (attr, #name)
  FLAG (delete2duplicates);
  FLAG (delete1);
  FLAG (delete2);
  FLAG (automap);
  FLAG (skipcrossduplicates);
  FLAG (subscribeall);
  FLAG (dry);
  FLAG (active);
#undef FLAG
}

static void
add_syncjob (SimRequest *req, JsonObject *attr)
{
  HesMailcowSim *sim = req->sim;
  g_autofree char *username = NULL;
  g_autofree char *user1 = sim_json_member_string (attr, "user1");
  g_autofree char *custom = sim_json_member_string (attr, "custom_params");
  g_autofree char *bad_option = NULL;
  g_autofree char *host1 = NULL;
  g_autofree char *exclude = sim_json_member_string (attr, "exclude");
  g_autofree char *enc1 = sim_json_member_string (attr, "enc1");
  gint64 port1, mins;
  SimSyncjob *job;

  if (g_strcmp0 (req->session->role, "user") == 0)
    username = g_strdup (req->session->username);
  else
    username = sim_json_member_string (attr, "username");
  if (req->session->role && g_strcmp0 (req->session->role, "user") != 0 &&
      (username == NULL || *username == '\0'))
    {
      push (req, "danger", "add", attr, "no_user_defined", NULL);
      sim_api_write_pile (req, TRUE, "add");
      return;
    }
  {
    g_autofree char *raw = sim_json_member_string (attr, "host1");

    host1 = raw ? g_ascii_strdown (raw, -1) : g_strdup ("");
  }
  if (req->session->role == NULL || !may_write (req, username) ||
      !sim_json_member_int (attr, "port1", &port1) || port1 < 1 || port1 > 65535 ||
      !sim_json_member_int (attr, "mins_interval", &mins) || mins < 1 || mins > 43800 ||
      (g_strcmp0 (enc1, "TLS") != 0 && g_strcmp0 (enc1, "SSL") != 0 &&
       g_strcmp0 (enc1, "PLAIN") != 0) ||
      !valid_regex (exclude))
    {
      push (req, "danger", "add", attr, "access_denied", NULL);
      sim_api_write_pile (req, TRUE, "add");
      return;
    }
  if ((bad_option = check_custom_params (custom)))
    {
      push (req, "danger", "add", attr, bad_option, NULL);
      sim_api_write_pile (req, TRUE, "add");
      return;
    }
  for (guint i = 0; i < sim->syncjobs->len; i++)
    {
      SimSyncjob *other = g_ptr_array_index (sim->syncjobs, i);

      if (g_ascii_strcasecmp (other->user2, username) == 0 &&
          g_strcmp0 (other->user1, user1) == 0 && g_strcmp0 (other->host1, host1) == 0)
        {
          g_autofree char *what = g_strdup_printf ("%s / %s", host1, user1 ? user1 : "");

          push (req, "danger", "add", attr, "object_exists", what);
          sim_api_write_pile (req, TRUE, "add");
          return;
        }
    }
  if (!json_object_has_member (attr, "exclude") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (attr, "exclude")))
    {
      JsonArray *msg = json_array_new ();

      /* The INSERT fails, PHP dies: an empty answer now, the error in the next one. */
      json_array_add_string_element (msg, "mysql_error");
      json_array_add_string_element (msg, "SQLSTATE[23000]: Integrity constraint violation: "
                                          "1048 Column 'exclude' cannot be null");
      sim_pile_push (req->session, "danger",
                     sim_log_with_data ("mailbox", "add", "syncjob", attr),
                     json_node_init_array (json_node_alloc (), msg));
      json_array_unref (msg);
      sim_respond (req, 200, "application/json", "", 0);
      return;
    }

  job = g_new0 (SimSyncjob, 1);
  job->id = sim->next_syncjob_id++;
  job->user2 = g_ascii_strdown (username, -1);
  job->host1 = g_steal_pointer (&host1);
  job->port1 = port1;
  job->user1 = g_strdup (user1 ? user1 : "");
  job->password1 = sim_json_member_string (attr, "password1");
  if (job->password1 == NULL)
    job->password1 = g_strdup ("");
  job->enc1 = g_steal_pointer (&enc1);
  job->exclude = g_steal_pointer (&exclude);
  job->subfolder2 = sim_json_member_string (attr, "subfolder2");
  if (job->subfolder2 == NULL)
    job->subfolder2 = g_strdup ("");
  job->custom_params = g_strdup (custom ? custom : "");
  job->mins_interval = mins;
  job->maxage = ranged_or (attr, "maxage", 1, 32000, 0);
  job->maxbytespersecond = ranged_or (attr, "maxbytespersecond", 0, G_MAXINT32, 0);
  job->timeout1 = ranged_or (attr, "timeout1", 1, 32000, 600);
  job->timeout2 = ranged_or (attr, "timeout2", 1, 32000, 600);
  set_flags (job, attr, FALSE);
  job->success = -1;
  job->created = sim_now (sim);
  g_ptr_array_add (sim->syncjobs, job);
  push (req, "success", "add", attr, "mailbox_modified", job->user2);
  sim_api_write_pile (req, FALSE, "add");
}

static GArray *
item_ids (JsonNode *items)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *array = NULL;
  guint n = 1;

  if (items == NULL)
    return ids;
  if (JSON_NODE_HOLDS_ARRAY (items))
    array = json_node_get_array (items), n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = array ? json_array_get_element (array, i) : items;
      JsonObject *wrap = json_object_new ();
      gint64 id = 0;

      json_object_set_member (wrap, "id", json_node_copy (node));
      sim_json_member_int (wrap, "id", &id);
      json_object_unref (wrap);
      g_array_append_val (ids, id);
    }
  return ids;
}

/* Checks one edit; fills @job's new values only when all of them pass. Empty values (0, "")
 * keep the old ones. */
static gboolean
apply_edit (SimSyncjob *job, JsonObject *attr, gint64 now)
{
  g_autofree char *host1 = NULL;
  g_autofree char *user1 = NULL;
  g_autofree char *password1 = NULL;
  g_autofree char *enc1 = NULL;
  g_autofree char *exclude = NULL;
  gint64 port1 = job->port1, mins = job->mins_interval;

  if (!sim_json_member_empty (attr, "port1") &&
      (!sim_json_member_int (attr, "port1", &port1) || port1 < 1 || port1 > 65535))
    return FALSE;
  if (!sim_json_member_empty (attr, "mins_interval") &&
      (!sim_json_member_int (attr, "mins_interval", &mins) || mins < 1 || mins > 43800))
    return FALSE;
  if (!sim_json_member_empty (attr, "host1"))
    {
      g_autofree char *raw = sim_json_member_string (attr, "host1");

      host1 = g_ascii_strdown (raw, -1);
      if (!valid_host (host1))
        return FALSE;
    }
  if (!sim_json_member_empty (attr, "enc1"))
    {
      enc1 = sim_json_member_string (attr, "enc1");
      if (strcmp (enc1, "TLS") != 0 && strcmp (enc1, "SSL") != 0 && strcmp (enc1, "PLAIN") != 0)
        return FALSE;
    }
  if (json_object_has_member (attr, "exclude"))
    {
      exclude = sim_json_member_string (attr, "exclude");
      if (!valid_regex (exclude))
        return FALSE;
    }
  if (!sim_json_member_empty (attr, "user1"))
    user1 = sim_json_member_string (attr, "user1");
  if (!sim_json_member_empty (attr, "password1"))
    password1 = sim_json_member_string (attr, "password1");

  job->port1 = port1;
  job->mins_interval = mins;
#define TAKE(field) if (field) { g_free (job->field); job->field = g_steal_pointer (&field); }
  TAKE (host1);
  TAKE (enc1);
  TAKE (exclude);
  TAKE (user1);
  TAKE (password1);
#undef TAKE
  if (json_object_has_member (attr, "subfolder2"))
    {
      g_free (job->subfolder2);
      job->subfolder2 = sim_json_member_string (attr, "subfolder2");
    }
  if (json_object_has_member (attr, "maxage"))
    job->maxage = ranged_or (attr, "maxage", 1, 32000, 0);
  if (json_object_has_member (attr, "timeout1"))
    job->timeout1 = ranged_or (attr, "timeout1", 1, 32000, 600);
  if (json_object_has_member (attr, "timeout2"))
    job->timeout2 = ranged_or (attr, "timeout2", 1, 32000, 600);
  if (json_object_has_member (attr, "maxbytespersecond"))
    job->maxbytespersecond = ranged_or (attr, "maxbytespersecond", 0, G_MAXINT32, 0);
  set_flags (job, attr, TRUE);
  /* "Run now" in the UI: last_run and success sent as "". */
  if (json_object_has_member (attr, "last_run") && sim_json_member_empty (attr, "last_run"))
    job->last_run = 0;
  if (json_object_has_member (attr, "success") && sim_json_member_empty (attr, "success"))
    job->success = -1;
  job->modified = now;
  return TRUE;
}

static void
edit_syncjob (SimRequest *req, JsonObject *input)
{
  JsonNode *items = json_object_get_member (input, "items");
  JsonObject *attr = json_object_get_object_member (input, "attr");
  g_autoptr(GArray) ids = item_ids (items);
  g_autofree char *bad_option = NULL;

  if (json_object_has_member (attr, "custom_params"))
    {
      g_autofree char *custom = sim_json_member_string (attr, "custom_params");

      bad_option = check_custom_params (custom);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      SimSyncjob *job = find_job (req->sim, g_array_index (ids, gint64, i));

      if (job == NULL || !may_write (req, job->user2))
        push (req, "danger", "edit", attr, "access_denied", NULL);
      else if (bad_option)
        push (req, "danger", "edit", attr, bad_option, NULL);
      else if (!apply_edit (job, attr, sim_now (req->sim)))
        push (req, "danger", "edit", attr, "access_denied", NULL);
      else
        {
          if (json_object_has_member (attr, "custom_params"))
            {
              g_free (job->custom_params);
              job->custom_params = sim_json_member_string (attr, "custom_params");
            }
          push (req, "success", "edit", attr, "mailbox_modified", job->user2);
        }
    }
  sim_api_write_pile (req, TRUE, "edit");
}

static void
delete_syncjob (SimRequest *req, JsonNode *items)
{
  g_autoptr(GArray) ids = item_ids (items);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      SimSyncjob *job = find_job (req->sim, id);
      JsonArray *msg;

      if (job == NULL || !may_write (req, job->user2))
        {
          sim_pile_push_key (req->session, "danger",
                             sim_log_node ("mailbox", "delete", "syncjob", NULL),
                             "access_denied", NULL);
          continue;
        }
      g_ptr_array_remove (req->sim->syncjobs, job);
      msg = json_array_new ();
      json_array_add_string_element (msg, "deleted_syncjob");
      json_array_add_int_element (msg, id);
      sim_pile_push (req->session, "success", sim_log_node ("mailbox", "delete", "syncjob", NULL),
                     json_node_init_array (json_node_alloc (), msg));
      json_array_unref (msg);
    }
  sim_api_write_pile (req, TRUE, "delete");
}

static JsonNode *
job_to_json (SimSyncjob *job, gboolean with_log)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = sim_format_time (job->created);
  g_autofree char *modified = job->modified ? sim_format_time (job->modified) : NULL;
  g_autofree char *last_run = job->last_run ? sim_format_time (job->last_run) : NULL;
  g_autofree char *bps = g_strdup_printf ("%u", job->maxbytespersecond);
  const char *domain2 = "";

#define INT(name, value) (json_builder_set_member_name (b, name), json_builder_add_int_value (b, value))
#define STR(name, value) (json_builder_set_member_name (b, name), json_builder_add_string_value (b, value))
#define STR_OR_NULL(name, value) (json_builder_set_member_name (b, name), \
  (value) ? json_builder_add_string_value (b, value) : json_builder_add_null_value (b))
  json_builder_begin_object (b);
  INT ("id", job->id);
  STR ("user2", job->user2);
  STR ("host1", job->host1);
  STR ("authmech1", "PLAIN");
  STR ("regextrans2", "");
  INT ("authmd51", 0);
  STR ("domain2", domain2);
  STR ("subfolder2", job->subfolder2 ? job->subfolder2 : "");
  STR ("user1", job->user1);
  STR ("exclude", job->exclude ? job->exclude : "");
  INT ("maxage", job->maxage);
  INT ("mins_interval", job->mins_interval);
  STR ("maxbytespersecond", bps);
  INT ("port1", job->port1);
  STR ("enc1", job->enc1);
  INT ("delete2duplicates", job->delete2duplicates);
  INT ("delete1", job->delete1);
  INT ("delete2", job->delete2);
  INT ("automap", job->automap);
  INT ("skipcrossduplicates", job->skipcrossduplicates);
  STR ("custom_params", job->custom_params ? job->custom_params : "");
  INT ("timeout1", job->timeout1);
  INT ("timeout2", job->timeout2);
  INT ("subscribeall", job->subscribeall);
  INT ("dry", job->dry);
  INT ("is_running", job->is_running);
  STR_OR_NULL ("last_run", last_run);
  json_builder_set_member_name (b, "success");
  if (job->success < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, job->success);
  STR_OR_NULL ("exit_status", job->exit_status);
  STR ("created", created);
  STR_OR_NULL ("modified", modified);
  INT ("active", job->active);
  STR ("log", with_log && job->returned_text ? job->returned_text : "");
  json_builder_end_object (b);
#undef INT
#undef STR
#undef STR_OR_NULL
  return json_builder_get_root (b);
}

static void
get_syncjobs (SimRequest *req, const char *object, const char *extra)
{
  gboolean all = g_strcmp0 (object, "all") == 0;
  gboolean with_log = g_strcmp0 (extra, "no_log") != 0;
  JsonArray *array = json_array_new ();
  g_autoptr(JsonNode) result = NULL;

  if (!(all && g_strcmp0 (req->session->role, "domainadmin") != 0))
    for (guint i = 0; object && i < req->sim->syncjobs->len; i++)
      {
        SimSyncjob *job = g_ptr_array_index (req->sim->syncjobs, i);

        if ((all || g_ascii_strcasecmp (job->user2, object) == 0) &&
            sim_may_see_mailbox (req, job->user2))
          json_array_add_element (array, job_to_json (job, with_log));
      }
  result = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  sim_api_write_get (req, result);
}

void
sim_api_syncjob (SimRequest *req, const char *action, JsonNode *input, const char *object,
                 const char *extra)
{
  if (strcmp (action, "get") == 0)
    get_syncjobs (req, object, extra);
  else if (strcmp (action, "add") == 0)
    add_syncjob (req, json_node_get_object (input));
  else if (strcmp (action, "edit") == 0)
    edit_syncjob (req, json_node_get_object (input));
  else
    delete_syncjob (req, input);
}

/* The runner. */

static int
exit_code_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (exit_codes); i++)
    if (strcmp (exit_codes[i].name, name) == 0)
      return exit_codes[i].code;
  return 1;
}

static char *
run_output (HesMailcowSim *sim, SimSyncjob *job, const char *status, int code)
{
  GString *out = g_string_new (NULL);
  g_autofree char *started = sim_format_time (sim_now (sim));
  const char *ssl = g_strcmp0 (job->enc1, "SSL") == 0 ? " --ssl1" :
                    g_strcmp0 (job->enc1, "TLS") == 0 ? " --tls1" : "";

  g_string_append_printf (out,
    "Here is imapsync 2.229 on host dovecot-mailcow, a linux system with 1.4/7.7 free GiB of RAM\n"
    "with Perl 5.36.0 and Mail::IMAPClient 3.43\n"
    "Transfer started at %s\n"
    "Command line used, run by /usr/bin/perl:\n"
    "/usr/local/bin/imapsync --tmpdir /tmp --nofoldersizes --addheader --timeout1 %u "
    "--timeout2 %u%s%s%s --host1 %s --user1 %s --passfile1 /tmp/imapsync-pass1 --port1 %u%s "
    "--host2 localhost --user2 %s*mailcow --passfile2 /tmp/imapsync-pass2 --no-modulesversion "
    "--noreleasecheck\n"
    "Host1: IMAP server [%s] port [%u] user [%s]\n"
    "Host2: IMAP server [localhost] port [143] user [%s]\n",
    started, job->timeout1, job->timeout2, job->dry ? " --dry" : "",
    job->delete2duplicates ? " --delete2duplicates" : "", job->automap ? " --automap" : "",
    job->host1, job->user1, job->port1, ssl, job->user2, job->host1, job->port1, job->user1,
    job->user2);
  if (strcmp (status, "EX_OK") == 0)
    g_string_append_printf (out,
      "%sHost1: success login on [%s] with user [%s] auth [LOGIN]\n"
      "Host2: success login on [localhost] with user [%s*mailcow] auth [PLAIN]\n"
      "++++ Listing folders\nFolders synced            : 5/5 synced\n"
      "Messages transferred           : %u%s\nMessages skipped               : 0\n"
      "Detected 0 errors\n",
      job->dry ? "Dry run: no change will be made on host2\n" : "", job->host1, job->user1,
      job->user2, job->dry ? 0 : 42, job->dry ? " (could be 42 without dry mode)" : "");
  else if (g_str_has_prefix (status, "EXIT_AUTHENTICATION_FAILURE_USER1"))
    g_string_append_printf (out,
      "Host1 failure: Error login on [%s] with user [%s] auth [LOGIN]: "
      "2 NO [AUTHENTICATIONFAILED] Authentication failed.\n", job->host1, job->user1);
  else if (g_str_has_prefix (status, "EXIT_CONNECTION_FAILURE_HOST1"))
    g_string_append_printf (out,
      "Host1: connect to host [%s] port [%u] failed: Connection timed out\n",
      job->host1, job->port1);
  else if (strcmp (status, "EXIT_TLS_FAILURE") == 0)
    g_string_append_printf (out, "Host1: TLS negotiation with [%s] failed: "
                            "SSL connect attempt failed\n", job->host1);
  else
    g_string_append_printf (out, "Err 1/1: the synchronisation stopped (%s)\n", status);
  g_string_append_printf (out, "Exiting with return value %d (%s) %d/50 nb_errors/max_errors\n",
                          code, status, code == 0 ? 0 : 1);
  return g_string_free (out, FALSE);
}

static gboolean
job_is_due (HesMailcowSim *sim, SimSyncjob *job)
{
  return job->active && !job->is_running &&
         (job->last_run == 0 || sim_now (sim) - job->last_run >= (gint64) job->mins_interval * 60);
}

/* One job from start to end; a host set to "RUNNING" hangs (a crashed imapsync). */
static void
run_job (HesMailcowSim *sim, SimSyncjob *job)
{
  const char *outcome = g_hash_table_lookup (sim->host_outcomes, job->host1);
  int code;

  job->is_running = TRUE;
  job->success = -1;
  g_clear_pointer (&job->exit_status, g_free);
  if (outcome == NULL)
    outcome = "EX_OK";
  if (strcmp (outcome, "RUNNING") == 0)
    {
      job->stuck = TRUE;
      return;
    }
  code = exit_code_of (outcome);
  g_free (job->returned_text);
  job->returned_text = run_output (sim, job, outcome, code);
  job->success = code == 0;
  job->exit_status = g_strdup (outcome);
  job->last_run = sim_now (sim);
  job->is_running = FALSE;
}

guint
hes_mailcow_sim_run_syncjobs_now (HesMailcowSim *self)
{
  guint n = 0;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);

  /* Skips the whole run while any imapsync is still running. */
  for (guint i = 0; i < self->syncjobs->len; i++)
    if (((SimSyncjob *) g_ptr_array_index (self->syncjobs, i))->is_running)
      return 0;
  for (guint i = 0; i < self->syncjobs->len; i++)
    {
      SimSyncjob *job = g_ptr_array_index (self->syncjobs, i);

      if (!job_is_due (self, job))
        continue;
      run_job (self, job);
      n++;
      if (job->is_running)
        break;
    }
  return n;
}

void
hes_mailcow_sim_set_syncjob_host_outcome (HesMailcowSim *self, const char *host1,
                                          const char *exit_status)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  g_return_if_fail (host1 != NULL);

  if (exit_status)
    g_hash_table_replace (self->host_outcomes, g_ascii_strdown (host1, -1), g_strdup (exit_status));
  else
    g_hash_table_remove (self->host_outcomes, host1);
}

gboolean
hes_mailcow_sim_set_syncjob_running (HesMailcowSim *self, guint id, gboolean running)
{
  SimSyncjob *job;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), FALSE);
  if ((job = find_job (self, id)) == NULL)
    return FALSE;
  job->is_running = running;
  job->stuck = running;
  if (running)
    {
      job->success = -1;
      g_clear_pointer (&job->exit_status, g_free);
    }
  return TRUE;
}

/* A job as the UI's dialog makes it (port 993 over SSL, every 20 minutes, spam and junk
 * excluded, active, subscribe all, automap, delete duplicates on the target). */
guint
hes_mailcow_sim_add_syncjob (HesMailcowSim *self, const char *mailbox, const char *host1,
                             const char *user1, const char *password1, gboolean dry)
{
  SimSyncjob *job;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  g_return_val_if_fail (sim_find_mailbox (self, mailbox) != NULL, 0);
  g_return_val_if_fail (host1 != NULL && user1 != NULL && password1 != NULL, 0);

  job = g_new0 (SimSyncjob, 1);
  job->id = self->next_syncjob_id++;
  job->user2 = g_ascii_strdown (mailbox, -1);
  job->host1 = g_ascii_strdown (host1, -1);
  job->port1 = 993;
  job->user1 = g_strdup (user1);
  job->password1 = g_strdup (password1);
  job->enc1 = g_strdup ("SSL");
  job->exclude = g_strdup ("(?i)spam|(?i)junk");
  job->subfolder2 = g_strdup ("");
  job->custom_params = g_strdup ("");
  job->mins_interval = 20;
  job->timeout1 = job->timeout2 = 600;
  job->delete2duplicates = job->automap = job->subscribeall = job->active = TRUE;
  job->dry = dry;
  job->success = -1;
  job->created = sim_now (self);
  g_ptr_array_add (self->syncjobs, job);
  return job->id;
}

guint
hes_mailcow_sim_get_syncjob_count (HesMailcowSim *self)
{
  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), 0);
  return self->syncjobs->len;
}

/* A password as stored for job @id (tests of the plain-text storage). */
const char *
hes_mailcow_sim_peek_syncjob_password (HesMailcowSim *self, guint id)
{
  SimSyncjob *job;

  g_return_val_if_fail (HES_IS_MAILCOW_SIM (self), NULL);
  job = find_job (self, id);
  return job ? job->password1 : NULL;
}

static gboolean
runner_tick (gpointer data)
{
  hes_mailcow_sim_run_syncjobs_now (data);
  return G_SOURCE_CONTINUE;
}

/* Ticks the runner every @seconds of real time (mailcow: every minute); 0 stops it. */
void
hes_mailcow_sim_start_runner (HesMailcowSim *self, guint seconds)
{
  g_return_if_fail (HES_IS_MAILCOW_SIM (self));
  if (self->runner_source)
    g_source_destroy (g_main_context_find_source_by_id (self->context, self->runner_source));
  self->runner_source = 0;
  if (seconds > 0)
    self->runner_source = sim_timeout_add (self, seconds * 1000, runner_tick, self);
}

/* templates/user.twig: {% if acl.syncjobs == 1 %} around the tab and its pane. */
void
sim_render_syncjobs_tab (GString *html, HesMailcowSim *sim, const char *username)
{
  SimMailbox *mailbox = username ? sim_find_mailbox (sim, username) : NULL;

  if (mailbox == NULL || !mailbox->acl_syncjobs)
    return;
  g_string_append (html,
    "  <li class=\"nav-item\" role=\"presentation\"><button class=\"nav-link\" role=\"tab\" "
    "aria-selected=\"false\" aria-controls=\"Syncjobs\" role=\"tab\" data-bs-toggle=\"tab\" "
    "data-bs-target=\"#Syncjobs\">Sync jobs</button></li>\n");
}
