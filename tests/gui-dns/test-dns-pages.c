/* test-dns-pages.c: the DNS task in the real window, against the simulator's demo and a Knot DNS
 * server that answers every lookup: records, exports that Knot loads, the check and its
 * verdicts for a domain that is all right and one with the usual mistakes. Run in English and
 * in French (--french). */
#define G_LOG_DOMAIN "test-dns-pages"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gui-dns-fixture.h"
#include "hes-dns-result-row.h"
#include "hes-dns-rows.h"
#include "hes-dns-task.h"
#include "hes-mailcow-sim.h"

static const char * const plan_ids[] = {
  "mx", "spf", "dkim", "dmarc", "autoconfig", "autodiscover", "srv-autodiscover", "srv-imaps",
  "srv-submissions", "srv-caldavs", "srv-carddavs", NULL,
};

static void
setup (GuiFixture    *f,
       gconstpointer  data)
{
  gui_fixture_setup (f, data);
  hes_mailcow_sim_load_demo (f->sim, NULL);
  gui_fixture_open_window (f);
}

static void
teardown (GuiFixture    *f,
          gconstpointer  data)
{
  g_unsetenv ("HES_DNS_SERVER");
  g_unsetenv ("HES_DNS_AUTHORITATIVE_SERVER");
  gui_fixture_teardown (f, data);
}

static GtkWidget *
records_list (GuiFixture *f)
{
  return gui_dns_child (gui_dns_records_page (f), HES_TYPE_DNS_RECORDS_PAGE, "records_list");
}

static GtkWidget *
results_list (GuiFixture *f)
{
  return gui_dns_child (gui_dns_results_page (f), HES_TYPE_DNS_RESULTS_PAGE, "results_list");
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* Every copy button inside @widget, depth first. */
static void
collect_copy_buttons (GtkWidget *widget,
                      GPtrArray *out)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), "copy_button") == 0)
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_copy_buttons (c, out);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static void
on_text_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_text_read_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

static void
test_records (GuiFixture    *f,
              gconstpointer  data)
{
  GtkWidget *list, *mx, *dmarc;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autofree char *copied = NULL;
  const char *label;

  gui_dns_open_task (f);
  list = records_list (f);
  g_assert_cmpuint (count_children (list), ==, 11);
  for (guint i = 0; plan_ids[i]; i++)
    g_assert_nonnull (gui_find_row (list, plan_ids[i]));
  /* Two domains: the customer picks one. */
  g_assert_true (gtk_widget_get_visible (gui_dns_child (gui_dns_records_page (f),
                                                        HES_TYPE_DNS_RECORDS_PAGE, "domain_row")));
  /* The demo domains have a DKIM key: no offer to create one. */
  g_assert_false (gtk_widget_get_visible (gui_dns_child (gui_dns_records_page (f),
                                                         HES_TYPE_DNS_RECORDS_PAGE, "dkim_group")));

  mx = gui_find_row (list, "mx");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (mx)), ==, "MX · @");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (mx)), ==,
                   gui_is_french ()
                   ? "Achemine les e-mails envoyés à votre domaine vers vos boîtes aux lettres."
                   : "Delivers the email sent to your domain into your mailboxes.");
  /* Type, name, full name, priority, target: each with its copy button and a spoken name. */
  collect_copy_buttons (mx, buttons);
  g_assert_cmpuint (buttons->len, ==, 5);
  label = gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, 4));
  g_assert_nonnull (strstr (label, gui_is_french () ? "cible" : "target"));
  /* A screen reader says what the button copies. */
  g_assert_true (gtk_test_accessible_has_property (g_ptr_array_index (buttons, 4),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_null (gtk_test_accessible_check_property (g_ptr_array_index (buttons, 4),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, label));
  g_signal_emit_by_name (g_ptr_array_index (buttons, 4), "clicked");
  copied = clipboard_text (mx);
  g_assert_cmpstr (copied, ==, "mail.hosterra.test");
  /* "Copied" is said: the focused button's name says it. */
  {
    g_autofree char *expected = g_strdup_printf (_("Copied %s"), "");

    g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, 4)),
                                     expected));
    g_assert_null (gtk_test_accessible_check_property (
                     g_ptr_array_index (buttons, 4), GTK_ACCESSIBLE_PROPERTY_LABEL,
                     gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, 4))));
  }
  /* The three TXT records' value buttons each say which record they copy. */
  {
    const char *txt[] = { "spf", "dkim", "dmarc" };
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < G_N_ELEMENTS (txt); i++) {
      g_ptr_array_set_size (buttons, 0);
      collect_copy_buttons (gui_find_row (list, txt[i]), buttons);
      g_assert_cmpuint (buttons->len, >, 0);
      g_hash_table_add (names, (gpointer) gtk_widget_get_tooltip_text (
                                 g_ptr_array_index (buttons, buttons->len - 1)));
    }
    g_assert_cmpuint (g_hash_table_size (names), ==, G_N_ELEMENTS (txt));
  }
  g_ptr_array_set_size (buttons, 0);
  collect_copy_buttons (gui_find_row (list, "srv-imaps"), buttons);
  g_assert_cmpuint (buttons->len, ==, 7);   /* + weight and port */

  /* DMARC is the one optional record, and says so in words. */
  dmarc = gui_find_row (list, "dmarc");
  g_assert_nonnull (dmarc);
  g_assert_true (has_label (dmarc, _("Optional (recommended)")));
  for (guint i = 0; plan_ids[i]; i++)
    if (!g_str_equal (plan_ids[i], "dmarc"))
      g_assert_false (has_label (gui_find_row (list, plan_ids[i]), _("Optional (recommended)")));
}

static void
test_exports (GuiFixture    *f,
              gconstpointer  data)
{
  g_autofree char *zone = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  gui_dns_open_task (f);
  zone = gui_dns_export (f, HES_DNS_EXPORT_ZONE);
  g_assert_nonnull (strstr (zone, "$ORIGIN " GUI_DNS_GOOD_DOMAIN "."));
  g_assert_nonnull (strstr (zone, "MX"));
  whole = gui_dns_complete_zone (zone);
  g_assert_true (gui_dns_zone_check (GUI_DNS_GOOD_DOMAIN, whole, &error));
  g_assert_no_error (error);
  /* The check is real: a damaged zone is refused. */
  broken = g_strconcat (whole, "oops IN MX not-a-number\n", NULL);
  g_assert_false (gui_dns_zone_check (GUI_DNS_GOOD_DOMAIN, broken, &error));
  g_assert_nonnull (error);

  csv = gui_dns_export (f, HES_DNS_EXPORT_CSV);
  lines = g_strsplit (g_strchomp (csv), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 12);   /* a header and 11 records */
  text = gui_dns_export (f, HES_DNS_EXPORT_TEXT);
  g_assert_nonnull (strstr (text, "_carddavs._tcp"));
  /* The page says where the file went. */
  g_assert_true (gtk_widget_get_visible (gui_dns_child (gui_dns_records_page (f),
                                                        HES_TYPE_DNS_RECORDS_PAGE,
                                                        "export_label")));
}

static HesDnsResultRow *
result_row (GuiFixture *f,
            const char *id)
{
  GtkWidget *row = gui_find_row (results_list (f), id);

  g_assert_nonnull (row);
  return HES_DNS_RESULT_ROW (row);
}

static void
assert_verdict (GuiFixture    *f,
                const char    *id,
                HesDnsVerdict  verdict)
{
  HesDnsRecordResult *result = hes_dns_result_row_get_result (result_row (f, id));

  g_assert_nonnull (result);
  if (result->finding->verdict != verdict)
    g_error ("%s: %s, expected %s", id, hes_dns_verdict_to_string (result->finding->verdict),
             hes_dns_verdict_to_string (verdict));
  g_assert_cmpstr (hes_dns_result_row_get_words (result_row (f, id)), ==,
                   hes_dns_verdict_words (verdict));
}

static void
test_check (GuiFixture    *f,
            gconstpointer  data)
{
  g_autofree char *fragment = NULL;
  g_autofree char *good = NULL;
  g_autoptr(HesKnotFixture) knot = NULL;
  g_autoptr(GError) error = NULL;
  HesDnsWatch *watch;
  const char *subtitle;
  GtkWidget *next;

  gui_dns_open_task (f);
  /* The customer copies the records as exported: Knot serves exactly that. */
  fragment = gui_dns_export (f, HES_DNS_EXPORT_ZONE);
  good = gui_dns_complete_zone (fragment);
  knot = gui_dns_start_knot (good, &error);
  g_assert_no_error (error);

  gui_dns_check (f);
  g_assert_cmpuint (count_children (results_list (f)), ==, 11);
  for (guint i = 0; plan_ids[i]; i++)
    assert_verdict (f, plan_ids[i], HES_DNS_VERDICT_OK);
  watch = hes_dns_results_page_get_watch (gui_dns_results_page (f));
  g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_DONE);
  g_assert_false (hes_dns_watch_get_holding (watch));
  /* Right at the first check: nothing to announce. */
  g_assert_null (hes_dns_watch_get_notification (watch));

  /* Back to the records, the other domain, and check again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (hes_window_get_assistant (f->window)),
                                             "assistant.back", NULL));
  g_assert_true (HES_IS_DNS_RECORDS_PAGE (gui_current_page (f)));
  gui_dns_choose_domain (f, GUI_DNS_MIXED_DOMAIN);
  gui_dns_check (f);

  assert_verdict (f, "mx", HES_DNS_VERDICT_OK);
  assert_verdict (f, "spf", HES_DNS_VERDICT_WRONG);
  assert_verdict (f, "dkim", HES_DNS_VERDICT_MISSING);
  assert_verdict (f, "dmarc", HES_DNS_VERDICT_MISSING);
  assert_verdict (f, "autoconfig", HES_DNS_VERDICT_WRONG);
  assert_verdict (f, "autodiscover", HES_DNS_VERDICT_OK);
  assert_verdict (f, "srv-autodiscover", HES_DNS_VERDICT_OK);
  assert_verdict (f, "srv-imaps", HES_DNS_VERDICT_WRONG);
  assert_verdict (f, "srv-submissions", HES_DNS_VERDICT_OK);
  assert_verdict (f, "srv-caldavs", HES_DNS_VERDICT_OK);
  assert_verdict (f, "srv-carddavs", HES_DNS_VERDICT_MISSING);

  /* The sentence and the exact fix, in the customer's language. */
  subtitle = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (result_row (f, "autoconfig")));
  g_assert_nonnull (strstr (subtitle, gui_is_french ()
                                      ? "a ajouté votre domaine à la fin du nom"
                                      : "added your domain to the end of the name"));
  g_assert_cmpstr (hes_dns_result_row_get_result (result_row (f, "autoconfig"))->finding->fix, ==,
                   "mail.hosterra.test.");
  g_assert_cmpstr (hes_dns_result_row_get_result (result_row (f, "spf"))->finding->fix, ==,
                   "v=spf1 mx include:_spf.old-provider.example -all");
  subtitle = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (result_row (f, "srv-imaps")));
  g_assert_nonnull (strstr (subtitle, gui_is_french () ? "utilise le port 143 au lieu de 993"
                                                       : "uses port 143 instead of 993"));
  /* What must be fixed is open, with its fix in view. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (result_row (f, "spf"))));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (result_row (f, "mx"))));

  /* Not right yet: the next check is planned, said, and can be brought forward or stopped. */
  watch = hes_dns_results_page_get_watch (gui_dns_results_page (f));
  g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_WAITING);
  g_assert_true (hes_dns_watch_get_holding (watch));
  g_assert_cmpint (hes_dns_watch_get_next_check (watch), >, g_get_real_time ());
  next = gui_dns_child (gui_dns_results_page (f), HES_TYPE_DNS_RESULTS_PAGE, "next_label");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (next)),
                            gui_is_french () ? "Prochaine vérification automatique"
                                             : "Next automatic check"));
  g_assert_true (gtk_widget_get_visible (gui_dns_child (gui_dns_results_page (f),
                                                        HES_TYPE_DNS_RESULTS_PAGE,
                                                        "check_now_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gui_dns_results_page (f)),
                                             "dns-results.stop", NULL));
  g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_IDLE);
  g_assert_false (hes_dns_watch_get_holding (watch));
}

/* The usual move, MX and SPF changed together: the domain's own server has the new records,
 * this computer's resolver still the old ones. Every row says "not visible yet", the summary
 * says nothing must be fixed, and the automatic re-check turns them green once the resolver
 * lets the old records go. */
static gboolean
watch_done (gpointer data)
{
  HesDnsWatch *watch = hes_dns_results_page_get_watch (gui_dns_results_page (data));

  return hes_dns_watch_get_state (watch) == HES_DNS_WATCH_DONE;
}

typedef struct {
  GuiFixture        *f;
  HesDnsCheckReport *seen;
} NextReport;

static gboolean
new_report (gpointer data)
{
  NextReport *next = data;
  HesDnsWatch *watch = hes_dns_results_page_get_watch (gui_dns_results_page (next->f));

  return hes_dns_watch_get_state (watch) != HES_DNS_WATCH_CHECKING
         && hes_dns_watch_get_report (watch) != NULL
         && hes_dns_watch_get_report (watch) != next->seen;
}

static void
reload_zone (HesKnotFixture *knot,
             const char     *domain,
             const char     *zone)
{
  g_autofree char *path = g_build_filename (hes_knot_fixture_get_dir (knot), "zones",
                                            domain, NULL);
  g_autofree char *file = g_strconcat (path, ".zone", NULL);
  g_autofree char *conf = g_build_filename (hes_knot_fixture_get_dir (knot), "knot.conf", NULL);
  g_autofree char *knotc = hes_knot_find_program ("knotc");
  const char *argv[] = { knotc, "-c", conf, "-b", "zone-reload", domain, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_file_set_contents (file, zone, -1, &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
}

static void
test_propagation (GuiFixture    *f,
                  gconstpointer  data)
{
  const guint delays[] = { 1500, 300 };
  g_autofree char *fragment = NULL;
  g_autofree char *new_zone = NULL;
  g_autofree char *provider = gui_dns_read_zone ("hosterra.test");
  const char *old_zone =
    "$ORIGIN " GUI_DNS_GOOD_DOMAIN ".\n$TTL 3600\n"
    "@   SOA ns1 hostmaster 2026112901 3600 900 1209600 300\n"
    "@   NS  ns1\nns1 A 127.0.0.1\n"
    "@   1800 MX 10 mx.old-provider.example.\n"
    "@   1800 TXT \"v=spf1 ip4:198.51.100.7 -all\"\n";
  g_autoptr(HesKnotFixture) resolver = NULL;
  g_autoptr(HesKnotFixture) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autoptr(HesDnsWatch) watch = NULL;
  GtkWidget *summary;

  /* Under the sanitizers the window's MX lookups time out on a loaded machine (the /check test
   * shows it too); the same propagation runs there in dns-knot and dns-cli. */
  if (HES_TEST_TIME_FACTOR > 1) {
    g_test_skip ("the propagation walk runs in the normal build only");
    return;
  }
  gui_dns_open_task (f);
  fragment = gui_dns_export (f, HES_DNS_EXPORT_ZONE);
  /* A newer serial than the old zone's, for the reload. */
  new_zone = g_strconcat (fragment,
                          "@   3600 IN SOA ns1 hostmaster 2026112902 3600 900 1209600 300\n"
                          "@   3600 IN NS  ns1\nns1 3600 IN A   127.0.0.1\n", NULL);
  {
    const char *old_zones[] = { "hosterra.test", provider, GUI_DNS_GOOD_DOMAIN, old_zone, NULL };
    const char *new_zones[] = { GUI_DNS_GOOD_DOMAIN, new_zone, NULL };

    resolver = hes_knot_fixture_start (old_zones, &error);
    g_assert_no_error (error);
    own = hes_knot_fixture_start (new_zones, &error);
    g_assert_no_error (error);
  }
  g_setenv ("HES_DNS_SERVER", hes_knot_fixture_get_server (resolver), TRUE);
  g_setenv ("HES_DNS_AUTHORITATIVE_SERVER", hes_knot_fixture_get_server (own), TRUE);
  /* The domain's watch, made here to check again within seconds instead of minutes. */
  plan = hes_dns_record_plan_new (GUI_DNS_GOOD_DOMAIN, "mail.hosterra.test", NULL, NULL, NULL,
                                  &error);
  g_assert_no_error (error);
  watch = hes_dns_watch_get_for_plan (plan);
  hes_dns_watch_set_schedule (watch, delays, G_N_ELEMENTS (delays), 60000 * HES_TEST_TIME_FACTOR);

  gui_dns_check (f);
  g_assert_true (hes_dns_results_page_get_watch (gui_dns_results_page (f)) == watch);
  /* A lookup that timed out on a loaded machine (the sanitizer builds) is "not checked", not
   * what is tested here: the watch checks again by itself, so take its next report. */
  for (guint attempt = 0; attempt < 5 && hes_dns_watch_get_report (watch)->counts[HES_DNS_VERDICT_UNKNOWN] > 0;
       attempt++) {
    NextReport next = { f, hes_dns_check_report_ref (hes_dns_watch_get_report (watch)) };

    gui_wait_for (new_report, &next, "a check without DNS time-outs");
    hes_dns_check_report_unref (next.seen);
  }
  for (guint i = 0; plan_ids[i]; i++) {
    HesDnsRecordResult *result = hes_dns_result_row_get_result (result_row (f, plan_ids[i]));
    const char *words = hes_dns_result_row_get_words (result_row (f, plan_ids[i]));

    g_test_message ("%s: %s", plan_ids[i], words);
    g_assert_nonnull (result);
    if (result->finding->verdict != HES_DNS_VERDICT_PENDING)
      g_error ("%s: %s, expected pending", plan_ids[i],
               hes_dns_verdict_to_string (result->finding->verdict));
    g_assert_nonnull (strstr (words, gui_is_french () ? "Visible ici" : "Visible here"));
    /* Nothing to fix: nothing opened for it. */
    g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (result_row (f, plan_ids[i]))));
  }
  summary = gui_dns_child (gui_dns_results_page (f), HES_TYPE_DNS_RESULTS_PAGE, "summary_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   _("Everything is right at your DNS host; some changes are not visible everywhere yet."));
  g_assert_cmpint (hes_dns_watch_get_state (watch), ==, HES_DNS_WATCH_WAITING);

  /* The resolver's cache lets the old records go: it now answers what the DNS host has. */
  reload_zone (resolver, GUI_DNS_GOOD_DOMAIN, new_zone);
  gui_wait_for (watch_done, f, "the re-check after the cache expired");
  for (guint i = 0; plan_ids[i]; i++)
    assert_verdict (f, plan_ids[i], HES_DNS_VERDICT_OK);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==, _("All DNS records are right."));
  g_assert_false (hes_dns_watch_get_holding (watch));
  g_unsetenv ("HES_DNS_AUTHORITATIVE_SERVER");
}

/* A domain without a DKIM key: the page says so, and creates one on request. */
static void
setup_no_dkim (GuiFixture    *f,
               gconstpointer  data)
{
  static const char * const domains[] = { "sans-cle.example", NULL };

  gui_fixture_setup (f, data);
  hes_mailcow_sim_set_hostname (f->sim, "mail.hosterra.test");
  hes_mailcow_sim_add_domain (f->sim, domains[0], "Sans clé", FALSE);
  hes_mailcow_sim_add_domain_admin (f->sim, "demo-admin", GUI_DNS_PASSWORD, domains);
  gui_fixture_open_window (f);
}

static gboolean
dkim_created (gpointer data)
{
  GuiFixture *f = data;

  return !gtk_widget_get_visible (gui_dns_child (gui_dns_records_page (f),
                                                 HES_TYPE_DNS_RECORDS_PAGE, "dkim_group"))
         && hes_page_get_complete (HES_PAGE (gui_dns_records_page (f)));
}

static void
test_create_dkim (GuiFixture    *f,
                  gconstpointer  data)
{
  HesDnsRecordsPage *page;
  GtkWidget *dkim;
  g_autofree char *zone = NULL;

  gui_dns_open_task (f);
  page = gui_dns_records_page (f);
  /* One domain: no choice to make. */
  g_assert_false (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                         "domain_row")));
  g_assert_true (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                        "dkim_group")));
  dkim = gui_find_row (records_list (f), "dkim");
  g_assert_true (has_label (dkim, _("Not known yet: this domain has no DKIM key.")));
  zone = gui_dns_export (f, HES_DNS_EXPORT_ZONE);
  g_assert_null (strstr (zone, "v=DKIM1"));
  g_clear_pointer (&zone, g_free);

  g_signal_emit_by_name (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE, "create_dkim_button"),
                         "clicked");
  gui_wait_for (dkim_created, f, "the new DKIM key");
  dkim = gui_find_row (records_list (f), "dkim");
  g_assert_false (has_label (dkim, _("Not known yet: this domain has no DKIM key.")));
  zone = gui_dns_export (f, HES_DNS_EXPORT_ZONE);
  g_assert_nonnull (strstr (zone, "dkim._domainkey"));
  g_assert_nonnull (strstr (zone, "v=DKIM1"));
}

static gboolean
load_failed (gpointer data)
{
  HesDnsRecordsPage *page = gui_dns_records_page (data);

  return gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                "retry_button"));
}

static gboolean
records_shown (gpointer data)
{
  return hes_page_get_complete (HES_PAGE (gui_dns_records_page (data)));
}

/* The server fails while the records load: a sentence, Try Again, and nothing half-shown. */
static void
test_load_error (GuiFixture    *f,
                 gconstpointer  data)
{
  HesDnsRecordsPage *page;
  const char *text;

  gui_sign_in (f, TRUE, "demo-admin", GUI_DNS_PASSWORD);
  gui_wait_for_home (f);
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTTP_500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s",
                                             "dns"));
  gui_wait_for (load_failed, f, "the loading error");
  page = gui_dns_records_page (f);
  text = gtk_label_get_text (GTK_LABEL (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                       "status_label")));
  g_assert_cmpuint (strlen (text), >, 20);
  g_assert_false (hes_page_get_complete (HES_PAGE (page)));
  g_assert_false (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                         "records_group")));

  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
  g_signal_emit_by_name (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE, "retry_button"),
                         "clicked");
  gui_wait_for (records_shown, f, "the records after trying again");
  g_assert_cmpuint (count_children (records_list (f)), ==, 11);
  g_assert_false (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                         "status_group")));
}

/* The mail host name the server gives is checked like every name: one that a zone cannot
 * carry stops the page with one sentence, and no record (nor export) is offered. */
static void
test_impossible_host (GuiFixture    *f,
                      gconstpointer  data)
{
  HesDnsRecordsPage *page;
  const char *text;

  hes_mailcow_sim_set_hostname (f->sim, "mail.example;evil");
  gui_sign_in (f, TRUE, "demo-admin", GUI_DNS_PASSWORD);
  gui_wait_for_home (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s",
                                             "dns"));
  gui_wait_for (load_failed, f, "the name error");
  page = gui_dns_records_page (f);
  text = gtk_label_get_text (GTK_LABEL (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                       "status_label")));
  g_assert_cmpstr (text, ==, _("The mail server name holds characters a host name cannot have; type it like mail.example.com."));
  g_assert_false (hes_page_get_complete (HES_PAGE (page)));
  g_assert_false (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE,
                                                         "records_group")));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  /* What the application's startup does. */
  hes_tasks_register ("dns", hes_dns_task_new_pages);

  g_test_add ("/dns-pages/records", GuiFixture, NULL, setup, test_records, teardown);
  g_test_add ("/dns-pages/exports", GuiFixture, NULL, setup, test_exports, teardown);
  g_test_add ("/dns-pages/check", GuiFixture, NULL, setup, test_check, teardown);
  g_test_add ("/dns-pages/propagation", GuiFixture, NULL, setup, test_propagation, teardown);
  g_test_add ("/dns-pages/load-error", GuiFixture, NULL, setup, test_load_error, teardown);
  g_test_add ("/dns-pages/impossible-host", GuiFixture, NULL, setup, test_impossible_host,
              teardown);
  g_test_add ("/dns-pages/create-dkim", GuiFixture, NULL, setup_no_dkim, test_create_dkim,
              teardown);

  return g_test_run ();
}
