/* hes-move-domain-page-private.h: the domain page's state, shared by its files: the page
 * (domain, checklist), its mailbox creation (step 1), its sync jobs (step 2), the DNS
 * records and the switch (steps 3 and 4), its mail program settings (step 5) and the
 * removal of the jobs (step 6). */
#pragma once

#include "hes-dns-checker.h"
#include "hes-domain-migration.h"
#include "hes-mailbox-batch.h"
#include "hes-move-domain-page.h"

G_BEGIN_DECLS

struct _HesMoveDomainPage
{
  HesPage parent_instance;

  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkStack *view_stack;
  GtkWidget *domain_row;
  GtkStringList *domain_model;
  GtkWidget *steps_list;
  GtkWidget *progress_label;
  GtkWidget *open_step_button;
  /* step 1 */
  GtkWidget *lines_view;
  GtkWidget *lines_status;
  GtkWidget *lines_group;
  GtkWidget *lines_list;
  /* step 2 */
  GtkWidget *source_provider_row;
  GtkStringList *source_provider_model;
  GtkWidget *source_host_row;
  GtkWidget *source_port_row;
  GtkWidget *source_security_row;
  GtkWidget *jobs_list;
  GtkWidget *jobs_status;
  /* steps 3 to 6 */
  GtkWidget *open_dns_button;
  GtkWidget *dns_status;
  GtkWidget *dns_results_group;
  GtkWidget *dns_results_list;
  GtkWidget *propagation_label;
  GtkWidget *switch_status;
  GtkWidget *switch_list;
  GtkWidget *next_check_label;
  GtkWidget *settings_list;
  GtkWidget *programs_label;
  GtkWidget *programs_by_hand_button;
  GtkWidget *removal_label;
  GtkWidget *removal_status;

  HesDomainMigration *migration;
  HesSyncJobManager *manager;
  HesMailboxBatch *batch;
  GHashTable *job_rows;          /* mailbox → JobRow */
  GPtrArray *jobs;               /* the last HesSyncJob list read */
  GtkNativeDialog *file_chooser;
  GCancellable *cancellable;     /* the work of the current domain */
  GCancellable *domains_cancellable;
  guint poll_id;
  char *mail_host;               /* from the server's autoconfig, as the DNS task finds it */
  HesDnsRecordPlan *plan;        /* the current domain's records, once loaded */
  GCancellable *dns_cancellable; /* the DNS work of the step shown */
  void (*after_plan) (HesMoveDomainPage *self);
  guint switch_timeout_id;
  guint switch_attempt;
  gboolean dns_checking;         /* step 3's check runs (the page is busy) */
  gboolean switch_checking;      /* step 4's check runs */
  gboolean busy;
  gboolean domains_loaded;
  char *server_note;             /* what the server contradicted in the saved progress */
  char *jobs_seen;               /* step 2: the jobs' states at the last look */
  guint jobs_poll_factor;        /* step 2: polling slows down while nothing changes */
};

/* hes-move-domain-page.c */
void      _hes_move_domain_page_show_error   (HesMoveDomainPage *self,
                                              const GError      *error);
void      _hes_move_domain_page_set_busy     (HesMoveDomainPage *self,
                                              gboolean           busy);
/* The step is done (or its work changed the state): back to the checklist. */
void      _hes_move_domain_page_step_done    (HesMoveDomainPage *self);
HesSyncJobManager *_hes_move_domain_page_get_manager (HesMoveDomainPage *self);
guint     _hes_move_domain_page_poll_ms      (void);
/* The first delay between step 4's checks. */
guint     _hes_move_domain_page_dns_delay_ms (void);
/* A checker for steps 3 and 4 (test servers when set). */
HesDnsChecker *_hes_move_domain_page_new_checker (void);
char     *_hes_move_domain_format_time       (gint64             unix_time);
/* A row for a checklist or result list. */
GtkWidget *_hes_move_domain_row_new          (const char        *title,
                                              const char        *subtitle,
                                              const char        *icon_name);

/* hes-move-domain-mailboxes.c: step 1 */
void      _hes_move_domain_mailboxes_class_init (GtkWidgetClass *widget_class);
void      _hes_move_domain_mailboxes_init    (HesMoveDomainPage *self);
void      _hes_move_domain_mailboxes_reset   (HesMoveDomainPage *self);
void      _hes_move_domain_mailboxes_dispose (HesMoveDomainPage *self);

/* hes-move-domain-jobs.c: step 2 */
void      _hes_move_domain_jobs_class_init   (GtkWidgetClass    *widget_class);
void      _hes_move_domain_jobs_init         (HesMoveDomainPage *self);
void      _hes_move_domain_jobs_show         (HesMoveDomainPage *self);
void      _hes_move_domain_jobs_stop         (HesMoveDomainPage *self);

/* hes-move-domain-dns.c: steps 3 and 4 */
void      _hes_move_domain_dns_class_init    (GtkWidgetClass    *widget_class);
void      _hes_move_domain_dns_show          (HesMoveDomainPage *self);
void      _hes_move_domain_propagation_show  (HesMoveDomainPage *self);
/* Starts watching the MX (once the view is shown); stop ends every DNS work of the page. */
void      _hes_move_domain_switch_watch      (HesMoveDomainPage *self);
void      _hes_move_domain_dns_stop          (HesMoveDomainPage *self);
/* The domain changed: its plan is read again when needed. */
void      _hes_move_domain_dns_reset         (HesMoveDomainPage *self);

/* hes-move-domain-removal.c: step 6 */
void      _hes_move_domain_removal_class_init (GtkWidgetClass   *widget_class);
void      _hes_move_domain_removal_show      (HesMoveDomainPage *self);

/* hes-move-domain-programs.c: step 5 */
void      _hes_move_domain_programs_class_init (GtkWidgetClass  *widget_class);
void      _hes_move_domain_programs_show     (HesMoveDomainPage *self);

G_END_DECLS
