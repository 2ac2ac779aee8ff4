/* hes-migration-error.h: what can go wrong while moving mailboxes and domains. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HES_MIGRATION_ERROR (hes_migration_error_quark ())

typedef enum {
  HES_MIGRATION_ERROR_INVALID,        /* something typed is not valid; the message says what */
  HES_MIGRATION_ERROR_INTERVAL,       /* sync interval below the provider's minimum */
  HES_MIGRATION_ERROR_NOT_FOUND,      /* the job or mailbox is not on the server (any more) */
  HES_MIGRATION_ERROR_OUT_OF_ORDER,   /* a step before this one is not done */
  HES_MIGRATION_ERROR_NOT_READY,      /* the step's condition is not met yet */
  HES_MIGRATION_ERROR_UNSAFE,         /* removing sync jobs could lose mail */
  HES_MIGRATION_ERROR_STATE_FILE,     /* the saved progress cannot be read or written */
  HES_MIGRATION_ERROR_AUTOCONFIG,     /* mail programs would not find the settings */
} HesMigrationError;

GQuark hes_migration_error_quark (void);

G_END_DECLS
