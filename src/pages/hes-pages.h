/* hes-pages.h: every task's pages, in one place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the page factories of every task the app offers (see hes-tasks.h). */
void hes_pages_register_all (void);

G_END_DECLS
