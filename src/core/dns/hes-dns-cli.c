/* hes-dns-cli.c: --check-dns and --print-records */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include <stdio.h>
#include <string.h>

#include "hes-dns-checker.h"
#include "hes-dns-cli.h"
#include "hes-dns-dkim.h"
#include "hes-dns-export.h"
#include "hes-dns-name.h"
#include "hes-dns-name-check.h"
#include "hes-dns-plan-source.h"
#include "hes-mailcow-client.h"

#define EXIT_USAGE 2

gboolean
hes_dns_cli_wants (int    argc,
                   char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--check-dns") || g_str_has_prefix (argv[i], "--print-records"))
      return TRUE;
  return FALSE;
}

/* Every failure is one plain sentence: on standard error, or with --json as
 * {"error_code","message"} on standard output, so a script always gets an object. */
static int
fail (HesDnsCliFormat  format,
      const char      *error_code,
      const char      *message,
      int              status)
{
  if (format == HES_DNS_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error_code");
      json_builder_add_string_value (b, error_code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
    }
  else
    g_printerr ("%s\n", message);
  return status;
}

static const char *
verdict_label (HesDnsVerdict verdict)
{
  switch (verdict)
    {
    case HES_DNS_VERDICT_OK: return _("OK");
    case HES_DNS_VERDICT_PENDING: return _("Not visible yet");
    case HES_DNS_VERDICT_MISSING: return _("Missing");
    case HES_DNS_VERDICT_WRONG: return _("Wrong");
    case HES_DNS_VERDICT_UNKNOWN:
    default: return _("Not checked");
    }
}

static char *
report_to_json (const HesDnsCheckReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "domain");
  json_builder_add_string_value (b, report->domain);
  json_builder_set_member_name (b, "mail_host");
  json_builder_add_string_value (b, report->mail_host);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);
      HesDnsFinding *f = r->finding;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, hes_dns_type_to_string (r->record->type));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->record->full_name);
      json_builder_set_member_name (b, "expected");
      json_builder_add_string_value (b, r->expected);
      json_builder_set_member_name (b, "found");
      json_builder_begin_array (b);
      for (guint j = 0; j < f->found->len; j++)
        json_builder_add_string_value (b, g_ptr_array_index (f->found, j));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, hes_dns_verdict_to_string (f->verdict));
      json_builder_set_member_name (b, "optional");
      json_builder_add_boolean_value (b, !r->record->required);
      json_builder_set_member_name (b, "explanation");
      if (f->explanation)
        json_builder_add_string_value (b, f->explanation);
      else
        json_builder_add_null_value (b);
      /* Not in the documented shape, added: the exact fix when there is one. */
      json_builder_set_member_name (b, "fix");
      if (f->fix && f->verdict != HES_DNS_VERDICT_PENDING)
        json_builder_add_string_value (b, f->fix);
      else
        json_builder_add_null_value (b);
      /* Also added: ok, but could be safer (orange in the app), with its fix above. */
      json_builder_set_member_name (b, "weak");
      json_builder_add_boolean_value (b, f->verdict == HES_DNS_VERDICT_OK && f->weak);
      json_builder_set_member_name (b, "visible_in_s");
      if (f->verdict == HES_DNS_VERDICT_PENDING && f->visible_in_s >= 0)
        json_builder_add_int_value (b, f->visible_in_s);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  for (HesDnsVerdict v = HES_DNS_VERDICT_OK; v <= HES_DNS_VERDICT_UNKNOWN; v++)
    {
      json_builder_set_member_name (b, hes_dns_verdict_to_string (v));
      json_builder_add_int_value (b, report->counts[v]);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* What the DNS returned, made safe for a terminal: a line break or an escape sequence in a
 * TXT record must not forge or hide lines of the report. */
static char *
printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}

static void
print_report_text (const HesDnsCheckReport *report)
{
  g_autofree char *summary = hes_dns_check_report_get_summary (report);

  for (guint i = 0; i < report->results->len; i++)
    {
      HesDnsRecordResult *r = g_ptr_array_index (report->results, i);
      HesDnsFinding *f = r->finding;

      g_print ("[%s] %s %s\n", f->verdict == HES_DNS_VERDICT_OK && f->weak ? _("Could be safer")
                                                                         : verdict_label (f->verdict),
               hes_dns_type_to_string (r->record->type), r->record->full_name);
      if (f->explanation)
        g_print ("    %s\n", f->explanation);
      for (guint j = 0; j < f->found->len; j++)
        {
          g_autofree char *found = printable (g_ptr_array_index (f->found, j));

          /* Translators: a value found in DNS, shown under a record */
          g_print ("    %s %s\n", _("Found:"), found);
        }
      if (f->fix && f->verdict != HES_DNS_VERDICT_PENDING)
        {
          g_autofree char *fix = printable (f->fix);

          g_print ("    %s %s\n", _("Fix:"), fix);
        }
    }
  g_print ("%s\n", summary);
}

typedef struct {
  GMainLoop         *loop;
  HesDnsCheckReport *report;
  GError            *error;
} CheckRun;

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CheckRun *run = user_data;

  run->report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

int
hes_dns_cli_run (HesDnsCliMode    mode,
                 HesDnsCliFormat  format,
                 const char      *domain,
                 const char      *mail_host,
                 const char      *dkim_selector,
                 const char      *dkim_record,
                 const char      *dkim_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autofree char *key = NULL;
  g_autoptr(HesDnsChecker) checker = NULL;
  g_autoptr(GMainContext) context = NULL;
  CheckRun run = { 0, };
  int status;

  /* Whatever form the key was pasted in, and never an empty or unreadable one. */
  if (dkim_key != NULL && (key = hes_dns_dkim_key_from_text (dkim_key, &error)) == NULL)
    return fail (format, "invalid_dkim_key", error->message, EXIT_USAGE);
  plan = hes_dns_record_plan_new (domain, mail_host, dkim_selector, dkim_record, key, &error);
  if (plan == NULL)
    return fail (format, "invalid_argument", error->message, EXIT_USAGE);
  if (mode == HES_DNS_CLI_PRINT)
    {
      g_autofree char *text = format == HES_DNS_CLI_FORMAT_ZONE ? hes_dns_export_zone (plan)
                              : format == HES_DNS_CLI_FORMAT_CSV ? hes_dns_export_csv (plan)
                              : hes_dns_export_text (plan);

      g_print ("%s", text);
      return 0;
    }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  checker = hes_dns_checker_new (NULL, NULL);
  run.loop = g_main_loop_new (context, FALSE);
  hes_dns_checker_check_async (checker, plan, NULL, on_checked, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  g_clear_object (&checker);
  /* Let the backends' last callbacks run before the context goes away. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  if (run.report == NULL)
    {
      status = fail (format, "check_failed", run.error->message, 1);
      g_clear_error (&run.error);
      return status;
    }
  if (format == HES_DNS_CLI_FORMAT_JSON)
    {
      g_autofree char *json = report_to_json (run.report);

      g_print ("%s\n", json);
    }
  else
    print_report_text (run.report);
  status = hes_dns_check_report_is_ok (run.report) ? 0 : 1;
  hes_dns_check_report_unref (run.report);
  return status;
}

/* ---- --server URL --user USER ----------------------------------------------------------- */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static GAsyncResult *
wait_for (Wait *w)
{
  g_main_loop_run (w->loop);
  return w->result;
}

/* One line from standard input, without its line end. The caller wipes it. */
static char *
read_password (void)
{
  char buf[1024];
  gsize len;

  if (fgets (buf, sizeof buf, stdin) == NULL)
    return NULL;
  len = strcspn (buf, "\r\n");
  buf[len] = '\0';
  {
    char *password = g_strndup (buf, len);

    memset (buf, 0, sizeof buf);
    return password;
  }
}

static void
wipe_password (char *password)
{
  if (password)
    memset (password, 0, strlen (password));
  g_free (password);
}

static gboolean
domain_listed (GPtrArray  *domains,
               const char *domain)
{
  for (guint i = 0; domains && i < domains->len; i++)
    {
      HesMailcowDomain *d = g_ptr_array_index (domains, i);

      if (hes_dns_name_equal (d->name, domain))
        return TRUE;
    }
  return FALSE;
}

/* Signs in as domain administrator and reads what the DNS page reads from the server: the
 * mail host name from the server's autoconfig (unless @mail_host is given), and the domain's
 * DKIM record, for a domain of the account only. Returns an exit status; on success
 * *out_host and *out_dkim are set. */
static int
fetch_from_server (HesDnsCliFormat   format,
                   const char       *server,
                   const char       *user,
                   const char       *domain,
                   const char       *mail_host,
                   char            **out_host,
                   HesMailcowDkim  **out_dkim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesMailcowClient) client = hes_mailcow_client_new (server, &error);
  g_autoptr(GPtrArray) domains = NULL;
  g_autofree char *host = NULL;
  const char *error_code = "sign_in_failed";
  gboolean signed_in;
  Wait w = { 0, };
  char *password;
  HesSignInOutcome outcome;

  if (client == NULL)
    return fail (format, "invalid_argument", error->message, EXIT_USAGE);
  password = read_password ();
  if (password == NULL || *password == '\0')
    {
      wipe_password (password);
      return fail (format, "invalid_argument", _("Type the password on standard input."), EXIT_USAGE);
    }
  w.loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  hes_mailcow_client_sign_in_async (client, HES_MAILCOW_ROLE_DOMAIN_ADMIN, user, password, NULL,
                                    on_done, &w);
  wipe_password (password);
  outcome = hes_mailcow_client_sign_in_finish (client, wait_for (&w), &error);
  g_clear_object (&w.result);
  if (error == NULL && outcome == HES_SIGN_IN_NEEDS_SECOND_FACTOR)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("This account asks for a second factor, which the command line cannot give: use --mail-host and --dkim-key instead."));
  else if (error == NULL && outcome == HES_SIGN_IN_NEEDS_PASSWORD_CHANGE)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("The server asks for a new password first: sign in once in the app or on the web page."));
  signed_in = error == NULL;
  if (error == NULL)
    {
      error_code = "server_error";
      hes_mailcow_client_list_domains_async (client, NULL, on_done, &w);
      domains = hes_mailcow_client_list_domains_finish (client, wait_for (&w), &error);
      g_clear_object (&w.result);
    }
  if (error == NULL && !domain_listed (domains, domain))
    {
      error_code = "domain_not_found";
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is a domain name */
                   _("The domain %s is not on this account: check its spelling, or sign in as the administrator of that domain."),
                   domain);
    }
  if (error == NULL)
    {
      hes_mailcow_client_get_dkim_async (client, domain, NULL, on_done, &w);
      *out_dkim = hes_mailcow_client_get_dkim_finish (client, wait_for (&w), &error);
      g_clear_object (&w.result);
    }
  if (error == NULL && mail_host == NULL)
    {
      /* The same source as the DNS page: the server's own answer, not the address typed. */
      hes_dns_plan_source_get_mail_host_async (client, NULL, on_done, &w);
      host = hes_dns_plan_source_get_mail_host_finish (wait_for (&w), &error);
      g_clear_object (&w.result);
    }
  if (signed_in)
    {
      hes_mailcow_client_sign_out_async (client, NULL, on_done, &w);
      hes_mailcow_client_sign_out_finish (client, wait_for (&w), NULL);
      g_clear_object (&w.result);
    }
  g_main_loop_unref (w.loop);
  if (error != NULL)
    return fail (format, error_code, error->message, 1);
  *out_host = mail_host ? g_strdup (mail_host) : g_steal_pointer (&host);
  return 0;
}

static int
run_with_server (HesDnsCliMode    mode,
                 HesDnsCliFormat  format,
                 const char      *domain,
                 const char      *server,
                 const char      *user,
                 const char      *mail_host)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(HesMailcowDkim) dkim = NULL;
  g_autofree char *host = NULL;
  int status;

  g_main_context_push_thread_default (context);
  status = fetch_from_server (format, server, user, domain, mail_host, &host, &dkim);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  if (status != 0)
    return status;
  return hes_dns_cli_run (mode, format, domain, host, dkim ? dkim->selector : NULL,
                          dkim ? dkim->txt : NULL, NULL);
}

static int
usage_error (GOptionContext *context,
             gboolean        json,
             const char     *message)
{
  g_autofree char *help = NULL;

  if (json)
    return fail (HES_DNS_CLI_FORMAT_JSON, "usage", message, EXIT_USAGE);
  help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s\n\n%s", message, help);
  return EXIT_USAGE;
}

/* Impossible names end here, before a server or the DNS is asked anything. */
static gboolean
names_valid (HesDnsCliFormat  format,
             const char      *domain,
             const char      *host,
             const char      *selector,
             int             *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *d = hes_dns_name_check (domain, HES_DNS_NAME_USE_DOMAIN, &error);
  g_autofree char *h = NULL, *s = NULL;

  if (d != NULL && host != NULL)
    h = hes_dns_name_check (host, HES_DNS_NAME_USE_MAIL_HOST, &error);
  if (error == NULL && selector != NULL)
    s = hes_dns_name_check (selector, HES_DNS_NAME_USE_SELECTOR, &error);
  if (error == NULL)
    return TRUE;
  *status = fail (format, "invalid_argument", error->message, EXIT_USAGE);
  return FALSE;
}

int
hes_dns_cli_main (int    argc,
                  char **argv)
{
  g_autofree char *check = NULL, *print = NULL, *host = NULL, *selector = NULL;
  g_autofree char *key = NULL, *format = NULL, *server = NULL, *user = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "check-dns", 0, 0, G_OPTION_ARG_STRING, &check, N_("Check the DNS records of DOMAIN"), N_("DOMAIN") },
    { "print-records", 0, 0, G_OPTION_ARG_STRING, &print, N_("Print the DNS records DOMAIN needs"), N_("DOMAIN") },
    { "mail-host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Name of the mail server"), N_("HOST") },
    { "dkim-selector", 0, 0, G_OPTION_ARG_STRING, &selector, N_("DKIM selector (default: dkim)"), N_("SEL") },
    { "dkim-key", 0, 0, G_OPTION_ARG_STRING, &key, N_("DKIM public key (the p= value, base64)"), N_("BASE64") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Format of the records: zone or csv"), N_("FORMAT") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Address of the mailcow server"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Domain administrator to sign in as"), N_("USER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  char **argv_copy;
  HesDnsCliFormat fmt = HES_DNS_CLI_FORMAT_TEXT;
  int status;

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  argv_copy = args;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &argv_copy, &error))
    return usage_error (context, json && check != NULL, error->message);
  args = argv_copy;
  if ((check == NULL) == (print == NULL))
    return usage_error (context, json && check != NULL, _("Give either --check-dns or --print-records."));
  if (g_strv_length (args) > 1)
    return usage_error (context, json && check != NULL, _("Unexpected words on the command line."));
  if ((server != NULL) != (user != NULL))
    return usage_error (context, json && check != NULL, _("Give --server and --user together."));
  if (server != NULL && (key != NULL || selector != NULL))
    return usage_error (context, json && check != NULL, _("With --server the DKIM record comes from the server: leave out --dkim-key and --dkim-selector."));
  if (server == NULL && host == NULL)
    return usage_error (context, json && check != NULL, _("--mail-host is required."));
  if (check && format)
    return usage_error (context, json && check != NULL, _("--format only applies to --print-records."));
  if (print && json)
    return usage_error (context, json && check != NULL, _("--json only applies to --check-dns."));
  if (format && g_str_equal (format, "zone"))
    fmt = HES_DNS_CLI_FORMAT_ZONE;
  else if (format && g_str_equal (format, "csv"))
    fmt = HES_DNS_CLI_FORMAT_CSV;
  else if (format)
    return usage_error (context, json && check != NULL, _("--format must be zone or csv."));
  if (json)
    fmt = HES_DNS_CLI_FORMAT_JSON;
  if (!names_valid (fmt, check ? check : print, host, selector, &status))
    return status;
  if (server != NULL)
    return run_with_server (check ? HES_DNS_CLI_CHECK : HES_DNS_CLI_PRINT, fmt,
                            check ? check : print, server, user, host);
  return hes_dns_cli_run (check ? HES_DNS_CLI_CHECK : HES_DNS_CLI_PRINT, fmt, check ? check : print,
                          host, selector, NULL, key);
}
