/* hes-dns-check-job.h: one run of a check (private to HesDnsChecker).
 *
 * Nothing waits for what it does not need. At the start, at once: every record's lookup at
 * the resolver, the mail host's addresses, and the zone's SOA and NS (hes-dns-zone-finder.c).
 * Then, as each answer arrives: the MX targets' addresses; the questions to each
 * authoritative server as soon as its address is known; the SPF evaluations as soon as the
 * policy and the mail host's addresses are known. All resolver lookups go through one
 * HesDnsCachingBackend, so the SPF evaluation finds the domain's MX and the mail host's
 * addresses already asked. Each record's verdict is given as soon as it is final: at once
 * when the resolver's view is ok, after the authoritative servers' answers otherwise.
 */
#pragma once

#include <gio/gio.h>

#include "hes-dns-backend.h"
#include "hes-dns-check-report.h"
#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

typedef struct {
  HesDnsBackend      *resolver;
  HesDnsBackend      *authoritative;
  guint16             port;           /* of the authoritative servers */
  const char * const *servers;        /* ask these instead of the zone's, or NULL */
  /* @owner is the task's source object. */
  void              (*progress)       (gpointer            owner,
                                       guint               done,
                                       guint               total);
  void              (*record_checked) (gpointer            owner,
                                       guint               index,
                                       HesDnsRecordResult *result);
} HesDnsCheckJobSetup;

/* Checks @plan and returns a HesDnsCheckReport through @task (or its cancellation). */
void hes_dns_check_job_run (GTask                     *task,
                            HesDnsRecordPlan          *plan,
                            const HesDnsCheckJobSetup *setup);

G_END_DECLS
