/* hes-migration-fields.h: what the migration pages share: field checks with a reason shown
 * next to the field (and told to screen readers), and plain wording of sizes. */
#pragma once

#include <adwaita.h>

#include "hes-page.h"

G_BEGIN_DECLS

#define HES_MIGRATION_RESOURCE_PREFIX RESOURCE_PREFIX "/pages/migration"

/* Shows @message in @error_row (a row holding @error_label, right under @field) and marks
 * @field invalid; NULL hides it and marks the field valid. */
void               _hes_migration_set_field_error (GtkWidget   *field,
                                                   GtkWidget   *error_row,
                                                   GtkWidget   *error_label,
                                                   const char  *message);
/* The reason an old-provider account name is not valid, or NULL. Account names without '@'
 * are accepted (some providers use a plain login); with '@' it must be an address. */
const char        *_hes_migration_check_account   (const char  *text);
/* TRUE when @text looks like name@domain.tld. */
gboolean           _hes_migration_is_address      (const char  *text);
/* The reason a server name is not valid, or NULL. */
const char        *_hes_migration_check_host      (const char  *text);
/* Parses a port; the reason it is not valid, or NULL. */
const char        *_hes_migration_check_port      (const char  *text,
                                                   guint       *port);
/* Parses an interval in minutes; the reason (with @minimum) it is not valid, or NULL
 * (then *@minutes is set). Returns a new string. */
char              *_hes_migration_check_interval  (const char  *text,
                                                   guint        minimum,
                                                   guint       *minutes);
/* "12 messages, 3.4 MB" (the size only when known). */
char              *_hes_migration_describe_amount (guint64      messages,
                                                   gint64       size);
HesMailcowClient  *_hes_migration_get_client      (HesPage     *page);
/* Activates "assistant.next" from a field (Enter in a form with its own forward button). */
void               _hes_migration_activate_next   (GtkWidget   *widget);

G_END_DECLS
