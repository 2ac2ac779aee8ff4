/* hes-dns-rows.h: the widgets both DNS pages show for a record: field rows with a copy button,
 * the record's expander row, and a verdict's icon, colour and words. */
#pragma once

#include <adwaita.h>

#include "hes-dns-finding.h"
#include "hes-dns-record-plan.h"

G_BEGIN_DECLS

/* A flat button that copies @text to the clipboard; @what names the text for screen readers
 * ("the value of the MX record"). */
GtkWidget  *hes_dns_copy_button_new    (const char                *text,
                                        const char                *what);
/* A row "title / value" with a copy button; @value wraps and may be long. */
GtkWidget  *hes_dns_field_row_new      (const char                *title,
                                        const char                *value,
                                        const char                *what);
/* "MX · @", the title both pages give a record. */
char       *hes_dns_record_title       (const HesDnsPlannedRecord *record);
/* The record as an expander: its purpose as subtitle, and one copyable row per field (type,
 * name, full name, priority, weight, port, target or value). */
GtkWidget  *hes_dns_record_row_new     (const HesDnsPlannedRecord *record);
/* A widget at the end of an expander row's header (any libadwaita version). */
void        hes_dns_expander_add_suffix (GtkWidget                *expander,
                                         GtkWidget                *widget);
/* A small "Optional" tag for records that are only recommended. */
GtkWidget  *hes_dns_optional_tag_new   (void);
/* The labels of @row break without inserted hyphens: at word boundaries when @anywhere is
 * FALSE (a title such as "TXT · _dmarc"), between any two characters when TRUE (a DKIM key
 * copied by hand from the screen must stay exact). */
void        hes_dns_labels_break_plainly (GtkWidget              *row,
                                          gboolean                anywhere);
/* The verdict in words ("Missing"), translated. */
const char *hes_dns_verdict_words      (HesDnsVerdict              verdict);
const char *hes_dns_verdict_icon_name  (HesDnsVerdict              verdict);
/* The CSS class that colours it (success, warning, error, dim-label) plus a shape of its own. */
const char *hes_dns_verdict_css_class  (HesDnsVerdict              verdict);
/* Loads the pages' style sheet once per display. */
void        hes_dns_rows_ensure_style  (GtkWidget                 *widget);

G_END_DECLS
