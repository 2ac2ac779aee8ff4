/* hes-knot-fixture.h: a real Knot DNS server on 127.0.0.1 for the DNS tests.
 *
 * Writes knot.conf and one zone file per zone into a temporary folder, starts `knotd -c` on a
 * free port, waits until it answers, and stops it (and removes the folder) in
 * hes_knot_fixture_stop(). A zone whose text is not valid loads as broken: Knot then answers
 * SERVFAIL for it. Names outside every zone get REFUSED.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HesKnotFixture HesKnotFixture;

/* @zones: pairs of zone name and zone file text, NULL-terminated. The first zone must load. */
HesKnotFixture *hes_knot_fixture_start      (const char * const *zones,
                                             GError            **error);
/* On a chosen port (0: a free one), e.g. 53 inside a network namespace. */
HesKnotFixture *hes_knot_fixture_start_on_port (const char * const *zones,
                                                guint16             port,
                                                GError            **error);
guint16         hes_knot_fixture_get_port   (HesKnotFixture     *self);
/* "127.0.0.1:PORT" */
const char     *hes_knot_fixture_get_server (HesKnotFixture     *self);
const char     *hes_knot_fixture_get_dir    (HesKnotFixture     *self);
void            hes_knot_fixture_stop       (HesKnotFixture     *self);
/* Reads zone files from @dir: @zones lists the zone names. */
HesKnotFixture *hes_knot_fixture_start_dir  (const char         *dir,
                                             const char * const *zone_names,
                                             GError            **error);
/* Where knotd is (sbin is not always in PATH); NULL when not installed. */
char           *hes_knot_find_program       (const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesKnotFixture, hes_knot_fixture_stop)

G_END_DECLS
