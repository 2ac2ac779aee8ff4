/* gui-dns-fixture.c: the DNS pages with the simulator and Knot DNS. */
#define G_LOG_DOMAIN "gui-dns"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gui-dns-fixture.h"
#include "hes-dns-context.h"
#include "hes-dns-result-row.h"
#include "hes-window.h"

char *
gui_dns_read_zone (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".zone", NULL);
  g_autofree char *path = g_build_filename (GUI_DNS_ZONES_DIR, file, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

char *
gui_dns_complete_zone (const char *fragment)
{
  return g_strconcat (fragment,
                      "@   3600 IN SOA ns1 hostmaster 2026112901 3600 900 1209600 300\n"
                      "@   3600 IN NS  ns1\n"
                      "ns1 3600 IN A   127.0.0.1\n", NULL);
}

gboolean
gui_dns_zone_check (const char  *origin,
                    const char  *zone_text,
                    GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("hes-zone-check-XXXXXX", error);
  g_autofree char *knotc = hes_knot_find_program ("knotc");
  g_autofree char *conf_path = NULL;
  g_autofree char *zone_file = NULL;
  g_autofree char *zone_path = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *out = NULL;
  int status = -1;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  g_assert_nonnull (knotc);
  conf_path = g_build_filename (dir, "knot.conf", NULL);
  zone_file = g_strconcat (origin, ".zone", NULL);
  zone_path = g_build_filename (dir, zone_file, NULL);
  conf = g_strdup_printf ("server:\n  rundir: \"%1$s\"\ndatabase:\n  storage: \"%1$s\"\n"
                          "template:\n  - id: default\n    storage: \"%1$s\"\n"
                          "    file: \"%%s.zone\"\n    semantic-checks: on\n"
                          "zone:\n  - domain: %2$s\n", dir, origin);
  ok = g_file_set_contents (conf_path, conf, -1, error)
       && g_file_set_contents (zone_path, zone_text, -1, error);
  if (ok) {
    const char *argv[] = { knotc, "-c", conf_path, "zone-check", origin, NULL };

    ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                       &out, &status, error)
         && g_spawn_check_wait_status (status, error);
    if (!ok && out != NULL && *out != '\0')
      g_test_message ("knotc: %s", out);
  }
  g_unlink (zone_path);
  g_unlink (conf_path);
  g_rmdir (dir);
  return ok;
}

HesKnotFixture *
gui_dns_start_knot (const char  *good_zone,
                    GError     **error)
{
  g_autofree char *provider = gui_dns_read_zone ("hosterra.test");
  g_autofree char *mixed = gui_dns_read_zone (GUI_DNS_MIXED_DOMAIN);
  const char *zones[] = {
    "hosterra.test", provider, GUI_DNS_GOOD_DOMAIN, good_zone, GUI_DNS_MIXED_DOMAIN, mixed, NULL,
  };
  HesKnotFixture *knot = hes_knot_fixture_start (zones, error);

  if (knot != NULL)
    g_setenv ("HES_DNS_SERVER", hes_knot_fixture_get_server (knot), TRUE);
  return knot;
}

GtkWidget *
gui_dns_child (gpointer    page,
               GType       type,
               const char *name)
{
  GtkWidget *child = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (page), type, name);

  g_assert_nonnull (child);
  return child;
}

HesDnsRecordsPage *
gui_dns_records_page (GuiFixture *f)
{
  g_autoptr(GPtrArray) pages = hes_assistant_get_pages (hes_window_get_assistant (f->window));

  for (guint i = 0; i < pages->len; i++)
    if (HES_IS_DNS_RECORDS_PAGE (g_ptr_array_index (pages, i)))
      return g_ptr_array_index (pages, i);
  g_assert_not_reached ();
}

HesDnsResultsPage *
gui_dns_results_page (GuiFixture *f)
{
  g_autoptr(GPtrArray) pages = hes_assistant_get_pages (hes_window_get_assistant (f->window));

  for (guint i = 0; i < pages->len; i++)
    if (HES_IS_DNS_RESULTS_PAGE (g_ptr_array_index (pages, i)))
      return g_ptr_array_index (pages, i);
  g_assert_not_reached ();
}

static gboolean
records_ready (gpointer data)
{
  HesDnsRecordsPage *page = gui_dns_records_page (data);
  GtkWidget *list = gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE, "records_list");

  return hes_page_get_complete (HES_PAGE (page)) && gtk_widget_get_first_child (list) != NULL;
}

void
gui_dns_open_task (GuiFixture *f)
{
  gui_sign_in (f, TRUE, "demo-admin", GUI_DNS_PASSWORD);
  gui_wait_for_home (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-task", "s",
                                             "dns"));
  g_assert_true (HES_IS_DNS_RECORDS_PAGE (gui_current_page (f)));
  gui_wait_for (records_ready, f, "the DNS records");
}

void
gui_dns_choose_domain (GuiFixture *f,
                       const char *domain)
{
  HesDnsRecordsPage *page = gui_dns_records_page (f);
  GtkWidget *row = gui_dns_child (page, HES_TYPE_DNS_RECORDS_PAGE, "domain_row");
  GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  guint n = g_list_model_get_n_items (names);
  guint found = G_MAXUINT;

  for (guint i = 0; i < n; i++) {
    const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);

    if (g_strcmp0 (name, domain) == 0)
      found = i;
  }
  g_assert_cmpuint (found, <, n);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), found);
  gui_wait_for (records_ready, f, "the chosen domain's records");
}

typedef struct {
  GError *error;
  gboolean done;
} SaveState;

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveState *state = user_data;

  if (!hes_dns_records_page_save_finish (HES_DNS_RECORDS_PAGE (source), result, &state->error))
    g_assert_nonnull (state->error);
  state->done = TRUE;
}

char *
gui_dns_export (GuiFixture         *f,
                HesDnsExportFormat  format)
{
  SaveState state = { NULL, FALSE };
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GFile) file = g_file_new_tmp ("hes-dns-export-XXXXXX", &stream, &state.error);
  char *text = NULL;

  g_assert_no_error (state.error);
  hes_dns_records_page_save_async (gui_dns_records_page (f), format, file, NULL, on_saved_cb,
                                   &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_file_load_contents (file, NULL, &text, NULL, NULL, &state.error);
  g_assert_no_error (state.error);
  g_file_delete (file, NULL, NULL);
  return text;
}

static gboolean
checked (gpointer data)
{
  HesDnsWatch *watch = hes_dns_results_page_get_watch (gui_dns_results_page (data));

  return watch != NULL && hes_dns_watch_get_state (watch) != HES_DNS_WATCH_CHECKING
         && hes_dns_watch_get_report (watch) != NULL;
}

void
gui_dns_check (GuiFixture *f)
{
  GtkWidget *forward = gui_dns_child (gui_dns_records_page (f), HES_TYPE_DNS_RECORDS_PAGE,
                                      "forward_button");
  HesDnsResultsPage *page;
  GtkWidget *list;

  g_assert_true (gtk_widget_get_sensitive (forward));
  g_signal_emit_by_name (forward, "clicked");
  g_assert_true (HES_IS_DNS_RESULTS_PAGE (gui_current_page (f)));
  /* The check starts at once, every record in progress, none with a verdict yet. */
  page = gui_dns_results_page (f);
  list = gui_dns_child (page, HES_TYPE_DNS_RESULTS_PAGE, "results_list");
  g_assert_true (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RESULTS_PAGE,
                                                        "progress_bar")));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row;
       row = gtk_widget_get_next_sibling (row)) {
    g_assert_null (hes_dns_result_row_get_result (HES_DNS_RESULT_ROW (row)));
    g_assert_cmpstr (hes_dns_result_row_get_words (HES_DNS_RESULT_ROW (row)), ==, _("Checking…"));
  }
  gui_wait_for (checked, f, "the DNS check");
  g_assert_false (gtk_widget_get_visible (gui_dns_child (page, HES_TYPE_DNS_RESULTS_PAGE,
                                                         "progress_bar")));
}
