/* hes-batch-line.h: one mailbox to create, read from a typed line or a CSV row.
 *
 * Columns: address, name, size in MiB, and optionally a password. A header line is optional;
 * fields are separated by "," or ";" (or a tab), may be quoted ("Dupont, Jean"), and the text
 * may come from a spreadsheet saved in UTF-8 (with or without BOM) or in Windows-1252.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  HES_BATCH_LINE_NEW,        /* read, not checked yet */
  HES_BATCH_LINE_VALID,      /* checked, ready to create */
  HES_BATCH_LINE_INVALID,    /* must be fixed; nothing is sent while a line is invalid */
  HES_BATCH_LINE_EXISTS,     /* the mailbox already exists: skipped */
  HES_BATCH_LINE_CREATED,
  HES_BATCH_LINE_FAILED,     /* the server refused it; message says why */
} HesBatchLineStatus;

typedef struct {
  guint               line_number;  /* 1-based, in the text given */
  char               *address;      /* lower-cased; the domain added when only a name was typed */
  char               *local_part;
  char               *name;         /* UTF-8; the local part when empty */
  guint64             quota_mib;    /* 0: the domain's default size */
  char               *password;     /* typed or generated; wiped on free, never saved */
  gboolean            generated;    /* the app made the password */
  HesBatchLineStatus  status;
  char               *message;      /* why INVALID or FAILED: one plain sentence */
  gboolean            unreadable;   /* INVALID as read: fix the text, checking cannot help */
} HesBatchLine;

#define HES_TYPE_BATCH_LINE (hes_batch_line_get_type ())
GType         hes_batch_line_get_type (void) G_GNUC_CONST;
HesBatchLine *hes_batch_line_copy     (const HesBatchLine *line);
void          hes_batch_line_free     (HesBatchLine       *line);
void          hes_batch_line_set_message (HesBatchLine    *line,
                                          HesBatchLineStatus status,
                                          const char      *message);

/* Reads @text (typed lines or a CSV file's content). Lines with only a local part get
 * "@@domain". Lines that cannot be read are returned INVALID with a message; an error only
 * when there is no line at all. Element type HesBatchLine. */
GPtrArray    *hes_batch_lines_parse   (const char         *text,
                                       gssize              length,
                                       const char         *domain,
                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesBatchLine, hes_batch_line_free)

G_END_DECLS
