/* hes-dns-results-page.c: the check, its progress and its verdicts. */
#define G_LOG_DOMAIN "hes-dns-results-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-result-row.h"
#include "hes-dns-results-page.h"
#include "hes-dns-rows.h"

struct _HesDnsResultsPage
{
  HesPage parent_instance;

  GtkWidget *summary_icon;
  GtkWidget *summary_label;
  GtkWidget *progress_bar;
  GtkWidget *next_label;
  GtkWidget *stop_button;
  GtkWidget *check_now_button;
  GtkWidget *results_list;

  HesDnsContext *context;
  HesDnsWatch *watch;
  GPtrArray *rows;          /* HesDnsResultRow, in plan order (the list owns them) */
  guint clock_id;           /* refreshes "next check in N minutes" */
  gboolean expanded_once;   /* the rows to fix were opened for the customer */
};

G_DEFINE_FINAL_TYPE (HesDnsResultsPage, hes_dns_results_page, HES_TYPE_PAGE)

static void
set_summary (HesDnsResultsPage *self,
             const char        *icon_name,
             const char        *css_class,
             const char        *text)
{
  static const char * const classes[] = {
    "hes-dns-ok", "hes-dns-pending", "hes-dns-missing", "hes-dns-wrong", "hes-dns-unknown",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->summary_icon, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (self->summary_icon, css_class);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->summary_icon), icon_name);
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
}

static char *
next_check_text (HesDnsResultsPage *self)
{
  gint64 next = hes_dns_watch_get_next_check (self->watch);
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *clock = NULL;
  guint minutes;

  switch (hes_dns_watch_get_state (self->watch)) {
  case HES_DNS_WATCH_CHECKING:
    return g_strdup (_("Checking your records now…"));
  case HES_DNS_WATCH_DONE:
    return g_strdup (_("No more checks are needed."));
  case HES_DNS_WATCH_GAVE_UP:
    return g_strdup (_("The app stopped checking after 24 hours. Check again once you have "
                       "corrected the records."));
  case HES_DNS_WATCH_IDLE:
    return g_strdup (_("Automatic checks are stopped."));
  case HES_DNS_WATCH_WAITING:
  default:
    break;
  }
  at = g_date_time_new_from_unix_local (next / G_USEC_PER_SEC);
  clock = g_date_time_format (at, "%H:%M");
  minutes = (guint) MAX (1, (next - g_get_real_time () + 59 * G_USEC_PER_SEC)
                            / (60 * G_USEC_PER_SEC));
  /* Translators: %1$u is a number of minutes, %2$s a time of day such as 14:32. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Next automatic check in about %1$u minute (at %2$s).",
                                       "Next automatic check in about %1$u minutes (at %2$s).",
                                       minutes), minutes, clock);
}

static void
update_state (HesDnsResultsPage *self)
{
  HesDnsWatchState state = hes_dns_watch_get_state (self->watch);
  g_autofree char *text = next_check_text (self);

  gtk_label_set_text (GTK_LABEL (self->next_label), text);
  gtk_widget_set_visible (self->stop_button, state == HES_DNS_WATCH_WAITING);
  gtk_widget_set_visible (self->check_now_button, state != HES_DNS_WATCH_DONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dns-results.check-now",
                                 state != HES_DNS_WATCH_CHECKING);
  gtk_widget_set_visible (self->progress_bar, state == HES_DNS_WATCH_CHECKING);
}

static gboolean
on_clock_cb (gpointer user_data)
{
  HesDnsResultsPage *self = user_data;

  /* The clock runs from the start; the page has a watch only once it was first shown. */
  if (self->watch != NULL)
    update_state (self);
  return G_SOURCE_CONTINUE;
}

static void
on_check_started_cb (HesDnsResultsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    hes_dns_result_row_set_checking (g_ptr_array_index (self->rows, i));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), NULL);
  set_summary (self, "content-loading-symbolic", NULL, _("Checking your DNS records…"));
}

static void
on_progress_cb (HesDnsResultsPage *self,
                guint              done,
                guint              total)
{
  g_autofree char *text = NULL;

  if (total == 0)
    return;
  /* Translators: lookups done so far of all the lookups of the check. */
  text = g_strdup_printf (_("%1$u of %2$u lookups done"), done, total);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), (double) done / total);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

static void
on_record_checked_cb (HesDnsResultsPage  *self,
                      guint               index,
                      HesDnsRecordResult *result)
{
  if (index < self->rows->len)
    hes_dns_result_row_set_result (g_ptr_array_index (self->rows, index), result);
}

static void
show_report (HesDnsResultsPage *self,
             HesDnsCheckReport *report,
             gboolean           first)
{
  g_autofree char *summary = NULL;

  for (guint i = 0; i < report->results->len && i < self->rows->len; i++) {
    HesDnsRecordResult *result = g_ptr_array_index (report->results, i);
    HesDnsResultRow *row = g_ptr_array_index (self->rows, i);

    if (hes_dns_result_row_get_result (row) != result)
      hes_dns_result_row_set_result (row, result);
    /* What needs the customer's hand opens on the first results, with its fix in view. */
    if (first)
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                     result->finding->verdict == HES_DNS_VERDICT_MISSING
                                     || result->finding->verdict == HES_DNS_VERDICT_WRONG);
  }
  summary = hes_dns_check_report_get_summary (report);
  if (hes_dns_check_report_is_ok (report))
    set_summary (self, "emblem-ok-symbolic", "hes-dns-ok", summary);
  else if (report->counts[HES_DNS_VERDICT_WRONG] > 0)
    set_summary (self, "dialog-error-symbolic", "hes-dns-wrong", summary);
  else if (report->counts[HES_DNS_VERDICT_MISSING] > 0)
    set_summary (self, "dialog-warning-symbolic", "hes-dns-missing", summary);
  else
    set_summary (self, "dialog-question-symbolic", "hes-dns-unknown", summary);
}

static void
on_checked_cb (HesDnsResultsPage *self,
               HesDnsCheckReport *report)
{
  if (report != NULL) {
    show_report (self, report, !self->expanded_once);
    self->expanded_once = TRUE;
    return;
  }
  set_summary (self, "dialog-question-symbolic", "hes-dns-unknown",
               _("The records could not be checked. Check that this computer is connected to "
                 "the Internet; the app tries again by itself."));
}

static void
build_rows (HesDnsResultsPage *self,
            HesDnsRecordPlan  *plan)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->results_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->results_list), child);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < hes_dns_record_plan_get_n_records (plan); i++) {
    GtkWidget *row = hes_dns_result_row_new (hes_dns_record_plan_get_record (plan, i));

    gtk_list_box_append (GTK_LIST_BOX (self->results_list), row);
    g_ptr_array_add (self->rows, row);
  }
}

static void
disconnect_watch (HesDnsResultsPage *self)
{
  if (self->watch == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
}

static void
watch_plan (HesDnsResultsPage *self,
            HesDnsRecordPlan  *plan)
{
  g_autoptr(HesDnsWatch) watch = hes_dns_watch_get_for_plan (plan);

  if (watch != self->watch) {
    disconnect_watch (self);
    self->watch = g_steal_pointer (&watch);
    g_signal_connect_swapped (self->watch, "check-started", G_CALLBACK (on_check_started_cb), self);
    g_signal_connect_swapped (self->watch, "progress", G_CALLBACK (on_progress_cb), self);
    g_signal_connect_swapped (self->watch, "record-checked",
                              G_CALLBACK (on_record_checked_cb), self);
    g_signal_connect_swapped (self->watch, "checked", G_CALLBACK (on_checked_cb), self);
    g_signal_connect_swapped (self->watch, "notify::state", G_CALLBACK (update_state), self);
    g_signal_connect_swapped (self->watch, "notify::next-check", G_CALLBACK (update_state), self);
  }
  build_rows (self, plan);
  self->expanded_once = FALSE;
}

static void
hes_dns_results_page_shown (HesPage *page)
{
  HesDnsResultsPage *self = HES_DNS_RESULTS_PAGE (page);
  HesDnsRecordPlan *plan = hes_dns_context_get_plan (self->context);

  if (plan == NULL)
    return;
  watch_plan (self, plan);
  /* "I've made the changes": check at once, also when a check was planned for later. */
  if (hes_dns_watch_get_state (self->watch) == HES_DNS_WATCH_CHECKING)
    on_check_started_cb (self);
  else
    hes_dns_watch_check_now (self->watch);
  update_state (self);
}

static void
results_check_now (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HesDnsResultsPage *self = HES_DNS_RESULTS_PAGE (widget);

  if (self->watch != NULL)
    hes_dns_watch_check_now (self->watch);
}

static void
results_stop (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HesDnsResultsPage *self = HES_DNS_RESULTS_PAGE (widget);

  if (self->watch != NULL)
    hes_dns_watch_stop (self->watch);
}

HesDnsWatch *
hes_dns_results_page_get_watch (HesDnsResultsPage *self)
{
  g_return_val_if_fail (HES_IS_DNS_RESULTS_PAGE (self), NULL);
  return self->watch;
}

static void
hes_dns_results_page_dispose (GObject *object)
{
  HesDnsResultsPage *self = HES_DNS_RESULTS_PAGE (object);

  /* The watch goes on by itself while it has checks to make. */
  disconnect_watch (self);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HES_TYPE_DNS_RESULTS_PAGE);
  g_clear_object (&self->context);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (hes_dns_results_page_parent_class)->dispose (object);
}

static void
hes_dns_results_page_class_init (HesDnsResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HesPageClass *page_class = HES_PAGE_CLASS (klass);

  object_class->dispose = hes_dns_results_page_dispose;
  page_class->shown = hes_dns_results_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
    "/help/hosterra/EmailSetup/pages/dns/hes-dns-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, next_label);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, check_now_button);
  gtk_widget_class_bind_template_child (widget_class, HesDnsResultsPage, results_list);

  gtk_widget_class_install_action (widget_class, "dns-results.check-now", NULL,
                                   results_check_now);
  gtk_widget_class_install_action (widget_class, "dns-results.stop", NULL, results_stop);
}

static void
hes_dns_results_page_init (HesDnsResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hes_dns_rows_ensure_style (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->clock_id = g_timeout_add_seconds (30, on_clock_cb, self);
}

HesPage *
hes_dns_results_page_new (HesSession    *session,
                          HesDnsContext *context)
{
  HesDnsResultsPage *self = g_object_new (HES_TYPE_DNS_RESULTS_PAGE, "session", session, NULL);

  self->context = g_object_ref (context);
  return HES_PAGE (self);
}
