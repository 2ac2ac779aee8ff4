/* hes-dns-watch.c: re-checks a domain's DNS records with back-off, beyond the window's life. */
#define G_LOG_DOMAIN "hes-dns-watch"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-checker.h"
#include "hes-dns-watch.h"

/* Propagation takes up to a day; checking longer than that helps nobody. */
static const guint default_delays_ms[] = { 60000, 120000, 300000, 600000, 900000, 1800000 };
#define DEFAULT_GIVE_UP_MS (24 * 3600 * (guint64) 1000)

struct _HesDnsWatch
{
  GObject parent_instance;

  HesDnsRecordPlan *plan;
  HesDnsChecker *checker;
  HesDnsCheckReport *report;
  GCancellable *cancellable;
  HesDnsWatchState state;
  GNotification *notification;

  guint *delays_ms;
  guint n_delays;
  guint64 give_up_after_ms;
  guint attempt;
  gint64 started_at;       /* monotonic µs of the first check */
  gint64 next_check;       /* real µs */
  guint timeout_id;
  gboolean holding;
  gboolean seen_wrong;     /* a check found something to fix: the good news is news */
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_NEXT_CHECK,
  N_PROPS,
};

enum {
  SIGNAL_CHECK_STARTED,
  SIGNAL_PROGRESS,
  SIGNAL_RECORD_CHECKED,
  SIGNAL_CHECKED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
/* domain → HesDnsWatch (weak: a watch leaves the table when finalized) */
static GHashTable *watches;

G_DEFINE_FINAL_TYPE (HesDnsWatch, hes_dns_watch, G_TYPE_OBJECT)

static void start_check (HesDnsWatch *self);

static void
set_state (HesDnsWatch      *self,
           HesDnsWatchState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_next_check (HesDnsWatch *self,
                gint64       next_check)
{
  if (self->next_check == next_check)
    return;
  self->next_check = next_check;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_CHECK]);
}

/* While a check is planned the application stays, even with no window, and so does the watch. */
static void
set_holding (HesDnsWatch *self,
             gboolean     holding)
{
  GApplication *app = g_application_get_default ();

  if (self->holding == holding)
    return;
  self->holding = holding;
  if (holding) {
    g_object_ref (self);
    if (app != NULL)
      g_application_hold (app);
  } else {
    if (app != NULL)
      g_application_release (app);
    g_object_unref (self);
  }
}

static void
send_notification (HesDnsWatch *self)
{
  GApplication *app = g_application_get_default ();
  const char *domain = hes_dns_record_plan_get_domain (self->plan);
  g_autofree char *id = g_strconcat ("dns-", domain, NULL);
  g_autofree char *body = NULL;

  g_clear_object (&self->notification);
  self->notification = g_notification_new (_("Your DNS records are right"));
  /* Translators: %s is a domain name. */
  body = g_strdup_printf (_("Every required DNS record of %s is right: your email is ready."),
                          domain);
  g_notification_set_body (self->notification, body);
  /* Clicking it brings a window back, on the domain's DNS results when signed in. */
  g_notification_set_default_action_and_target (self->notification, "app.show-dns-results",
                                                 "s", domain);
  /* Notifications travel over the session bus (or the portal, which is on it too). */
  if (app != NULL && g_application_get_is_registered (app)
      && g_application_get_dbus_connection (app) != NULL)
    g_application_send_notification (app, id, self->notification);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  HesDnsWatch *self = user_data;

  self->timeout_id = 0;
  start_check (self);
  return G_SOURCE_REMOVE;
}

static void
plan_next_check (HesDnsWatch *self)
{
  guint delay = self->delays_ms[MIN (self->attempt, self->n_delays - 1)];
  guint64 elapsed_ms = (g_get_monotonic_time () - self->started_at) / 1000;

  if (elapsed_ms + delay > self->give_up_after_ms) {
    set_next_check (self, 0);
    set_state (self, HES_DNS_WATCH_GAVE_UP);
    set_holding (self, FALSE);
    return;
  }
  self->attempt++;
  self->timeout_id = g_timeout_add (delay, on_timeout_cb, self);
  set_next_check (self, g_get_real_time () + (gint64) delay * 1000);
  set_state (self, HES_DNS_WATCH_WAITING);
  set_holding (self, TRUE);
}

static void
on_check_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HesDnsWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsCheckReport) report = NULL;

  report = hes_dns_checker_check_finish (HES_DNS_CHECKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (report == NULL)
    g_debug ("The DNS check failed: %s", error->message);
  else {
    g_clear_pointer (&self->report, hes_dns_check_report_unref);
    self->report = hes_dns_check_report_ref (report);
  }

  /* Right at the DNS host but not visible here yet: nothing to fix, and the next checks
   * show it turn right once this computer's cache lets the old records go. */
  if (report != NULL && hes_dns_check_report_is_ok (report)
      && report->counts[HES_DNS_VERDICT_PENDING] == 0) {
    if (self->seen_wrong)
      send_notification (self);
    set_next_check (self, 0);
    set_state (self, HES_DNS_WATCH_DONE);
    g_signal_emit (self, signals[SIGNAL_CHECKED], 0, report);
    set_holding (self, FALSE);
    return;
  }
  self->seen_wrong = TRUE;
  plan_next_check (self);
  g_signal_emit (self, signals[SIGNAL_CHECKED], 0, report);
}

static void
on_progress_cb (HesDnsWatch *self,
                guint        done,
                guint        total)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, done, total);
}

static void
on_record_checked_cb (HesDnsWatch        *self,
                      guint               index,
                      HesDnsRecordResult *result)
{
  g_signal_emit (self, signals[SIGNAL_RECORD_CHECKED], 0, index, result);
}

static void
start_check (HesDnsWatch *self)
{
  if (self->state == HES_DNS_WATCH_CHECKING)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->started_at == 0)
    self->started_at = g_get_monotonic_time ();
  self->cancellable = g_cancellable_new ();
  set_next_check (self, 0);
  set_state (self, HES_DNS_WATCH_CHECKING);
  set_holding (self, TRUE);
  g_signal_emit (self, signals[SIGNAL_CHECK_STARTED], 0);
  hes_dns_checker_check_async (self->checker, self->plan, self->cancellable, on_check_done_cb,
                               g_object_ref (self));
}

static void
hes_dns_watch_dispose (GObject *object)
{
  HesDnsWatch *self = HES_DNS_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->checker != NULL)
    g_signal_handlers_disconnect_by_data (self->checker, self);
  g_clear_object (&self->checker);

  G_OBJECT_CLASS (hes_dns_watch_parent_class)->dispose (object);
}

static void
hes_dns_watch_finalize (GObject *object)
{
  HesDnsWatch *self = HES_DNS_WATCH (object);

  if (watches != NULL && self->plan != NULL
      && g_hash_table_lookup (watches, hes_dns_record_plan_get_domain (self->plan)) == self)
    g_hash_table_remove (watches, hes_dns_record_plan_get_domain (self->plan));
  g_clear_object (&self->plan);
  g_clear_pointer (&self->report, hes_dns_check_report_unref);
  g_clear_object (&self->notification);
  g_free (self->delays_ms);

  G_OBJECT_CLASS (hes_dns_watch_parent_class)->finalize (object);
}

static void
hes_dns_watch_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HesDnsWatch *self = HES_DNS_WATCH (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_int (value, self->state);
    break;
  case PROP_NEXT_CHECK:
    g_value_set_int64 (value, self->next_check);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_dns_watch_class_init (HesDnsWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_dns_watch_dispose;
  object_class->finalize = hes_dns_watch_finalize;
  object_class->get_property = hes_dns_watch_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, HES_DNS_WATCH_IDLE, HES_DNS_WATCH_GAVE_UP,
                      HES_DNS_WATCH_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_CHECK] =
    g_param_spec_int64 ("next-check", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_RECORD_CHECKED] =
    g_signal_new ("record-checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, HES_TYPE_DNS_RECORD_RESULT);
  /* The report, or NULL when the check itself failed (the next one is planned all the same). */
  signals[SIGNAL_CHECKED] =
    g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HES_TYPE_DNS_CHECK_REPORT);
}

static void
hes_dns_watch_init (HesDnsWatch *self)
{
  self->delays_ms = g_memdup2 (default_delays_ms, sizeof default_delays_ms);
  self->n_delays = G_N_ELEMENTS (default_delays_ms);
  self->give_up_after_ms = DEFAULT_GIVE_UP_MS;
  self->checker = hes_dns_checker_new (NULL, NULL);
  g_signal_connect_swapped (self->checker, "progress", G_CALLBACK (on_progress_cb), self);
  g_signal_connect_swapped (self->checker, "record-checked",
                            G_CALLBACK (on_record_checked_cb), self);
}

HesDnsWatch *
hes_dns_watch_get_for_plan (HesDnsRecordPlan *plan)
{
  const char *domain;
  HesDnsWatch *self;

  g_return_val_if_fail (HES_IS_DNS_RECORD_PLAN (plan), NULL);

  domain = hes_dns_record_plan_get_domain (plan);
  if (watches == NULL)
    watches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self = g_hash_table_lookup (watches, domain);
  if (self != NULL) {
    /* A new plan (a new DKIM key): the next check uses it. */
    g_set_object (&self->plan, plan);
    return g_object_ref (self);
  }
  self = g_object_new (HES_TYPE_DNS_WATCH, NULL);
  self->plan = g_object_ref (plan);
  g_hash_table_insert (watches, g_strdup (domain), self);
  return self;
}

HesDnsRecordPlan *
hes_dns_watch_get_plan (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), NULL);
  return self->plan;
}

HesDnsWatchState
hes_dns_watch_get_state (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), HES_DNS_WATCH_IDLE);
  return self->state;
}

HesDnsCheckReport *
hes_dns_watch_get_report (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), NULL);
  return self->report;
}

gint64
hes_dns_watch_get_next_check (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), 0);
  return self->next_check;
}

gboolean
hes_dns_watch_get_holding (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), FALSE);
  return self->holding;
}

GNotification *
hes_dns_watch_get_notification (HesDnsWatch *self)
{
  g_return_val_if_fail (HES_IS_DNS_WATCH (self), NULL);
  return self->notification;
}

void
hes_dns_watch_check_now (HesDnsWatch *self)
{
  g_return_if_fail (HES_IS_DNS_WATCH (self));

  /* Unless checks are under way, this starts a new series: a new day, a new back-off, and
   * only a change from wrong to right is news worth a notification. */
  if (self->state != HES_DNS_WATCH_WAITING && self->state != HES_DNS_WATCH_CHECKING) {
    self->started_at = 0;
    self->attempt = 0;
    self->seen_wrong = FALSE;
  }
  start_check (self);
}

void
hes_dns_watch_stop (HesDnsWatch *self)
{
  g_return_if_fail (HES_IS_DNS_WATCH (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  set_next_check (self, 0);
  set_state (self, HES_DNS_WATCH_IDLE);
  set_holding (self, FALSE);
}

void
hes_dns_watch_set_schedule (HesDnsWatch *self,
                            const guint *delays_ms,
                            guint        n_delays,
                            guint64      give_up_after_ms)
{
  g_return_if_fail (HES_IS_DNS_WATCH (self));
  g_return_if_fail (delays_ms != NULL && n_delays > 0);

  g_free (self->delays_ms);
  self->delays_ms = g_memdup2 (delays_ms, n_delays * sizeof (guint));
  self->n_delays = n_delays;
  self->give_up_after_ms = give_up_after_ms;
}

gboolean
hes_dns_watch_any_holding (void)
{
  GHashTableIter iter;
  gpointer watch;

  if (watches == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, watches);
  while (g_hash_table_iter_next (&iter, NULL, &watch)) {
    if (HES_DNS_WATCH (watch)->holding)
      return TRUE;
  }
  return FALSE;
}

void
hes_dns_watch_stop_all (void)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer watch;

  if (watches == NULL)
    return;
  /* Stopping may drop a watch from the table: stop them from a list of our own. */
  g_hash_table_iter_init (&iter, watches);
  while (g_hash_table_iter_next (&iter, NULL, &watch))
    g_ptr_array_add (running, g_object_ref (watch));
  for (guint i = 0; i < running->len; i++)
    hes_dns_watch_stop (g_ptr_array_index (running, i));
}
