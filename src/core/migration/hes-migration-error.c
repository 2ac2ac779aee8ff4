/* hes-migration-error.c: the error domain of the migration core. */
#define G_LOG_DOMAIN "hes-migration-error"

#include "hes-migration-error.h"

G_DEFINE_QUARK (hes-migration-error-quark, hes_migration_error)
