/* hes-dns-watch.h: checks a domain's DNS records again and again until every required one is
 * right, and outlives the window that started it.
 *
 * One watch per domain (hes_dns_watch_get_for_plan() hands out the running one). A check runs
 * with HesDnsChecker; when some required record is still missing or wrong, the next check is
 * planned with back-off (1, 2, 5, 10, 15, then every 30 minutes for 24 hours); so is it while
 * some record is right at the DNS host but not visible here yet. While a check
 * runs or is planned the watch holds the default GApplication and keeps itself alive, so
 * closing the window does not end it; the hold is released when every required record is
 * right (then a GNotification says so, unless that was already the first answer), when the
 * 24 hours are over, or on hes_dns_watch_stop().
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-check-report.h"
#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

typedef enum {
  HES_DNS_WATCH_IDLE,      /* no check yet, or stopped */
  HES_DNS_WATCH_CHECKING,  /* a check is running */
  HES_DNS_WATCH_WAITING,   /* the next check is planned */
  HES_DNS_WATCH_DONE,      /* every required record is right */
  HES_DNS_WATCH_GAVE_UP,   /* 24 hours of checks and still not right */
} HesDnsWatchState;

#define HES_TYPE_DNS_WATCH (hes_dns_watch_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsWatch, hes_dns_watch, HES, DNS_WATCH, GObject)

/* The watch of @plan's domain: the running one (now checking @plan) or a new one. */
HesDnsWatch       *hes_dns_watch_get_for_plan     (HesDnsRecordPlan *plan);
HesDnsRecordPlan  *hes_dns_watch_get_plan         (HesDnsWatch      *self);
HesDnsWatchState   hes_dns_watch_get_state        (HesDnsWatch      *self);
/* The last complete check, or NULL. */
HesDnsCheckReport *hes_dns_watch_get_report       (HesDnsWatch      *self);
/* Real time (µs) of the planned check, or 0. */
gint64             hes_dns_watch_get_next_check   (HesDnsWatch      *self);
gboolean           hes_dns_watch_get_holding      (HesDnsWatch      *self);
/* The notification sent when everything became right, or NULL. */
GNotification     *hes_dns_watch_get_notification (HesDnsWatch      *self);
/* Checks at once (a planned check is brought forward; nothing happens while one runs). */
void               hes_dns_watch_check_now        (HesDnsWatch      *self);
/* Stops checking and lets the application go. */
void               hes_dns_watch_stop             (HesDnsWatch      *self);
/* Whether some watch keeps checking, and so keeps the application running. */
gboolean           hes_dns_watch_any_holding      (void);
/* Stops every watch: the customer quits for real. */
void               hes_dns_watch_stop_all         (void);
/* Tests: the delays between checks, in milliseconds (the last one repeats), and the total
 * time after which the watch gives up. */
void               hes_dns_watch_set_schedule     (HesDnsWatch      *self,
                                                   const guint      *delays_ms,
                                                   guint             n_delays,
                                                   guint64           give_up_after_ms);

G_END_DECLS
