/* hes-imap-result.h: what a successful connection test found on the old server. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_IMAP_SECURITY_SSL,       /* TLS from the first byte (usually port 993) */
  HES_IMAP_SECURITY_STARTTLS,  /* plain greeting, then STARTTLS (usually port 143) */
} HesImapSecurity;

/* One folder that can hold messages. */
typedef struct {
  char   *name;      /* UTF-8, for display */
  char   *raw_name;  /* as the server spells it (modified UTF-7) */
  gint64  messages;  /* -1 when the server would not tell */
  gint64  size;      /* bytes; -1 unless the server has STATUS=SIZE */
} HesImapFolder;

#define HES_TYPE_IMAP_FOLDER (hes_imap_folder_get_type ())
GType          hes_imap_folder_get_type   (void) G_GNUC_CONST;
HesImapFolder *hes_imap_folder_new        (const char          *raw_name);
HesImapFolder *hes_imap_folder_copy       (const HesImapFolder *folder);
void           hes_imap_folder_free       (HesImapFolder       *folder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesImapFolder, hes_imap_folder_free)

#define HES_TYPE_IMAP_RESULT (hes_imap_result_get_type ())
G_DECLARE_FINAL_TYPE (HesImapResult, hes_imap_result, HES, IMAP_RESULT, GObject)

HesImapResult *hes_imap_result_new                (void);
/* Takes @folder. */
void           hes_imap_result_add_folder         (HesImapResult *self,
                                                   HesImapFolder *folder);
/* The folders in the server's order (HesImapFolder). */
GPtrArray     *hes_imap_result_get_folders        (HesImapResult *self);
guint64        hes_imap_result_get_total_messages (HesImapResult *self);
/* -1 when the size of some folder is unknown. */
gint64         hes_imap_result_get_total_size     (HesImapResult *self);

G_END_DECLS
