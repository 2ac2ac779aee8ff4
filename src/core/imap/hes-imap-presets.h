/* hes-imap-presets.h: the IMAP settings of common old providers. */
#pragma once

#include <glib.h>

#include "hes-imap-result.h"

G_BEGIN_DECLS

typedef struct {
  const char         *id;            /* "gmail" */
  const char         *name;          /* the brand, never translated: "Gmail" */
  const char         *host;
  guint16             port;
  HesImapSecurity     security;
  /* The provider takes only an app password for IMAP: a refused password then means that. */
  gboolean            app_password_only;
  const char         *note;          /* untranslated; use hes_imap_preset_get_note() */
  const char * const *domains;       /* e-mail domains of the provider, NULL-terminated */
} HesImapPreset;

/* All presets, in display order. */
const HesImapPreset *hes_imap_presets_get          (gsize               *n_presets);
const HesImapPreset *hes_imap_preset_find          (const char          *id);
/* The preset whose server is @host (case-insensitive), or NULL. */
const HesImapPreset *hes_imap_preset_find_by_host  (const char          *host);
/* The preset of an address's domain ("jean@wanadoo.fr" → Orange), or NULL. */
const HesImapPreset *hes_imap_preset_guess         (const char          *address);
/* The translated advice to read before the test (app password, turning IMAP on), or NULL. */
const char          *hes_imap_preset_get_note      (const HesImapPreset *preset);

G_END_DECLS
