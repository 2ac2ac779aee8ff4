/* hes-move-domain-page-private.h: the domain page's state, shared by its files: the page
 * (domain, checklist), its mailbox creation (step 1), its sync jobs (step 2), the switch
 * (steps 3, 4 and 6) and its mail program settings (step 5). */
#pragma once

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
  GtkWidget *propagation_label;
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
  gboolean busy;
  gboolean domains_loaded;
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

/* hes-move-domain-switch.c: steps 3, 4 and 6 */
void      _hes_move_domain_switch_class_init (GtkWidgetClass    *widget_class);
void      _hes_move_domain_dns_show          (HesMoveDomainPage *self);
void      _hes_move_domain_propagation_show  (HesMoveDomainPage *self);
void      _hes_move_domain_removal_show      (HesMoveDomainPage *self);

/* hes-move-domain-programs.c: step 5 */
void      _hes_move_domain_programs_class_init (GtkWidgetClass  *widget_class);
void      _hes_move_domain_programs_show     (HesMoveDomainPage *self);

G_END_DECLS
