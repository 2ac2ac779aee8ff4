/* hes-imap-cli.c: the connection test from the command line, for support staff and scripts. */
#define G_LOG_DOMAIN "hes-imap-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "hes-imap-cli.h"
#include "hes-imap-probe.h"

#define EXIT_USAGE 2

typedef struct {
  char          *host;
  char          *user;
  char          *security;
  int            port;
  int            timeout;
  gboolean       json;
} Options;

typedef struct {
  GMainLoop     *loop;
  HesImapResult *result;
  GError        *error;
} Outcome;

static void
options_clear (Options *options)
{
  g_free (options->host);
  g_free (options->user);
  g_free (options->security);
}

static gboolean
parse_options (GStrv    *args,
               Options  *options,
               GError  **error)
{
  GOptionEntry entries[] = {
    { "test-imap", 0, 0, G_OPTION_ARG_STRING, &options->host,
      N_("Test a sign-in to the IMAP server HOST of an old provider"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port,
      N_("Port (default: 993 for ssl, 143 for starttls)"), N_("N") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &options->security,
      N_("Security: ssl (default) or starttls"), N_("ssl|starttls") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &options->user,
      N_("User name at the old provider (the password is read from standard input)"), N_("USER") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      N_("Seconds each step may take (default: 10)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Tests a sign-in to an old provider’s IMAP server."));
  if (!g_option_context_parse_strv (context, args, error))
    return FALSE;
  if (options->host == NULL || options->host[0] == '\0' || options->user == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Both --test-imap HOST and --user USER are needed."));
      return FALSE;
    }
  if (options->security != NULL && !g_str_equal (options->security, "ssl") &&
      !g_str_equal (options->security, "starttls"))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--security must be ssl or starttls."));
      return FALSE;
    }
  if (options->port < 0 || options->port > 65535 || options->timeout < 0 ||
      options->timeout > 3600)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--port must be between 1 and 65535, --timeout between 1 and 3600."));
      return FALSE;
    }
  return TRUE;
}

/* One line from standard input, without its line break; NULL at end of input. */
static char *
read_password (void)
{
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length = getline (&line, &capacity, stdin);
  char *password;

  if (length < 0)
    {
      free (line);
      return NULL;
    }
  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
    line[--length] = '\0';
  password = g_strndup (line, (gsize) length);
  explicit_bzero (line, capacity);
  free (line);
  return password;
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = hes_imap_probe_run_finish (HES_IMAP_PROBE (source), result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static char *
describe_success (HesImapResult *result)
{
  guint n_folders = hes_imap_result_get_folders (result)->len;
  guint64 n_messages = hes_imap_result_get_total_messages (result);
  g_autofree char *folders = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_messages);

  /* Translators: the first half of "Signed in: 3 folders, 120 messages." */
  folders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u folder", "%u folders", n_folders),
                             n_folders);
  /* Translators: %1$s is "3 folders"; %2$s is a number of messages. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signed in: %1$s, %2$s message.",
                                       "Signed in: %1$s, %2$s messages.", (gulong) n_messages),
                          folders, count);
}

static void
print_text (Outcome *outcome)
{
  GPtrArray *folders;
  g_autofree char *summary = NULL;

  if (outcome->error != NULL)
    {
      g_printerr ("%s\n", outcome->error->message);
      return;
    }
  folders = hes_imap_result_get_folders (outcome->result);
  for (guint i = 0; i < folders->len; i++)
    {
      HesImapFolder *folder = g_ptr_array_index (folders, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, folder->messages);

      if (folder->messages < 0)
        /* Translators: %s is a folder name whose message count the server would not tell. */
        g_print (_("%s: unknown number of messages"), folder->name);
      else
        /* Translators: %1$s is a folder name, %2$s its number of messages. */
        g_print (g_dngettext (GETTEXT_PACKAGE, "%1$s: %2$s message", "%1$s: %2$s messages",
                              (gulong) folder->messages),
                 folder->name, count);
      if (folder->size >= 0)
        {
          g_autofree char *size = g_format_size ((guint64) folder->size);

          g_print (" (%s)", size);
        }
      g_print ("\n");
    }
  summary = describe_success (outcome->result);
  g_print ("%s\n", summary);
}

static void
print_json (Outcome *outcome)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  GPtrArray *folders = outcome->result != NULL ? hes_imap_result_get_folders (outcome->result)
                                               : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, outcome->error == NULL);
  json_builder_set_member_name (builder, "error_code");
  if (outcome->error == NULL)
    json_builder_add_null_value (builder);
  else if (outcome->error->domain == HES_IMAP_ERROR)
    json_builder_add_string_value (builder, hes_imap_error_code_to_string (outcome->error->code));
  else
    json_builder_add_string_value (builder, "cancelled");
  if (outcome->error == NULL)
    summary = describe_success (outcome->result);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, summary != NULL ? summary : outcome->error->message);

  json_builder_set_member_name (builder, "folders");
  json_builder_begin_array (builder);
  for (guint i = 0; folders != NULL && i < folders->len; i++)
    {
      HesImapFolder *folder = g_ptr_array_index (folders, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, folder->name);
      json_builder_set_member_name (builder, "messages");
      if (folder->messages < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, folder->messages);
      if (folder->size >= 0)
        {
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, folder->size);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total_messages");
  if (outcome->result != NULL)
    json_builder_add_int_value (builder,
                                (gint64) hes_imap_result_get_total_messages (outcome->result));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
run_probe (Options    *options,
           const char *password)
{
  HesImapSecurity security = g_strcmp0 (options->security, "starttls") == 0
                             ? HES_IMAP_SECURITY_STARTTLS : HES_IMAP_SECURITY_SSL;
  g_autoptr(HesImapProbe) probe = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  Outcome outcome = { NULL };
  g_autoptr(GSource) interrupt = g_unix_signal_source_new (SIGINT);

  /* Our own context: the caller's main loop, if any, is not run behind its back. */
  g_main_context_push_thread_default (context);
  outcome.loop = g_main_loop_new (context, FALSE);
  probe = hes_imap_probe_new (options->host, (guint16) options->port, security, options->user);
  if (options->timeout > 0)
    hes_imap_probe_set_step_timeout (probe, (guint) options->timeout * 1000);
  g_source_set_callback (interrupt, on_interrupt, cancellable, NULL);
  g_source_attach (interrupt, context);
  hes_imap_probe_run_async (probe, password, cancellable, on_probe_done, &outcome);
  g_main_loop_run (outcome.loop);
  g_source_destroy (interrupt);

  if (options->json)
    print_json (&outcome);
  else
    print_text (&outcome);

  g_main_loop_unref (outcome.loop);
  g_clear_object (&outcome.result);
  g_clear_object (&probe);
  g_main_context_pop_thread_default (context);
  if (outcome.error != NULL)
    {
      g_error_free (outcome.error);
      return 1;
    }
  return 0;
}

int
hes_imap_cli_main (int    argc,
                   char **argv)
{
  Options options = { NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  char *password;
  int status;

  if (!parse_options (&args, &options, &error))
    {
      g_printerr ("%s\n", error->message);
      options_clear (&options);
      return EXIT_USAGE;
    }
  password = read_password ();
  if (password == NULL)
    {
      g_printerr ("%s\n", _("Type the password on standard input, on one line."));
      options_clear (&options);
      return EXIT_USAGE;
    }
  status = run_probe (&options, password);
  explicit_bzero (password, strlen (password));
  g_free (password);
  options_clear (&options);
  return status;
}
