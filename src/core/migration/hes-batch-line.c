/* hes-batch-line.c: reading the list of mailboxes to create (typed lines or CSV). */
#define G_LOG_DOMAIN "hes-batch-line"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-batch-line.h"
#include "hes-migration-error.h"

G_DEFINE_BOXED_TYPE (HesBatchLine, hes_batch_line, hes_batch_line_copy, hes_batch_line_free)

HesBatchLine *
hes_batch_line_copy (const HesBatchLine *line)
{
  HesBatchLine *copy = g_memdup2 (line, sizeof *line);

  copy->address = g_strdup (line->address);
  copy->local_part = g_strdup (line->local_part);
  copy->name = g_strdup (line->name);
  copy->password = g_strdup (line->password);
  copy->message = g_strdup (line->message);
  return copy;
}

void
hes_batch_line_free (HesBatchLine *line)
{
  if (line == NULL)
    return;
  if (line->password)
    explicit_bzero (line->password, strlen (line->password));
  g_free (line->password);
  g_free (line->address);
  g_free (line->local_part);
  g_free (line->name);
  g_free (line->message);
  g_free (line);
}

void
hes_batch_line_set_message (HesBatchLine *line, HesBatchLineStatus status, const char *message)
{
  line->status = status;
  g_free (line->message);
  line->message = g_strdup (message);
}

/* A record: its fields and the line it starts on. */
typedef struct {
  GPtrArray *fields;
  guint      line_number;
} Record;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

/* The separator of the first line: the most frequent of , ; and tab outside quotes. */
static char
detect_separator (const char *text)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (const char *p = text; *p && *p != '\n'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == ';')
        semicolons++;
      else if (!quoted && *p == '\t')
        tabs++;
    }
  if (semicolons > commas && semicolons >= tabs)
    return ';';
  if (tabs > commas && tabs > semicolons)
    return '\t';
  return ',';
}

static void
end_field (Record *record, GString *field)
{
  g_ptr_array_add (record->fields, g_strstrip (g_strdup (field->str)));
  g_string_truncate (field, 0);
}

/* RFC 4180 with the usual spreadsheet liberties: "" inside quotes is a quote, newlines may
 * be quoted, \r\n and \n both end a record. */
static GPtrArray *
split_records (const char *text, char separator)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autoptr(GString) field = g_string_new (NULL);
  Record *record = NULL;
  gboolean quoted = FALSE;
  guint line = 1;

  for (const char *p = text; ; p++)
    {
      if (record == NULL)
        {
          record = g_new0 (Record, 1);
          record->fields = g_ptr_array_new_with_free_func (g_free);
          record->line_number = line;
        }
      if (*p == '\0' || (!quoted && (*p == '\n' || (*p == '\r' && p[1] == '\n'))))
        {
          end_field (record, field);
          g_ptr_array_add (records, record);
          record = NULL;
          if (*p == '\0')
            break;
          if (*p == '\r')
            p++;
          line++;
          continue;
        }
      if (*p == '"' && quoted && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == separator)
        end_field (record, field);
      else
        {
          if (*p == '\n')
            line++;
          g_string_append_c (field, *p);
        }
    }
  return records;
}

static gboolean
record_is_empty (Record *record)
{
  const char *first = g_ptr_array_index (record->fields, 0);

  if (first[0] == '#')
    return TRUE;
  for (guint i = 0; i < record->fields->len; i++)
    if (*(const char *) g_ptr_array_index (record->fields, i) != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
looks_like_header (Record *record)
{
  static const char * const words[] = {
    "address", "e-mail", "email", "mail", "adresse", "adresse e-mail", "adresse mail",
    "courriel", "mailbox", "boîte aux lettres", "login", "identifiant", NULL,
  };
  g_autofree char *first = g_utf8_strdown (g_ptr_array_index (record->fields, 0), -1);

  return g_strv_contains (words, first);
}

/* "1024", "1024 MiB", "1024 Mo", "2 GiB", "2 Go"; 0 for empty (the domain's default). */
static gboolean
parse_quota (const char *text, guint64 *out)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([0-9]+)\\s*(mib|mb|mo|m|gib|gb|go|g)?$",
                                         G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *unit = NULL;
  guint64 value;

  *out = 0;
  if (*text == '\0')
    return TRUE;
  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  digits = g_match_info_fetch (match, 1);
  unit = g_match_info_fetch (match, 2);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT32, &value, NULL))
    return FALSE;
  if (unit && g_ascii_tolower (unit[0]) == 'g')
    value *= 1024;
  *out = value;
  return TRUE;
}

static HesBatchLine *
line_from_record (Record *record, const char *domain)
{
  HesBatchLine *line = g_new0 (HesBatchLine, 1);
  GPtrArray *f = record->fields;
  const char *address = g_ptr_array_index (f, 0);
  const char *name = f->len > 1 ? g_ptr_array_index (f, 1) : "";
  const char *quota = f->len > 2 ? g_ptr_array_index (f, 2) : "";
  const char *password = f->len > 3 ? g_ptr_array_index (f, 3) : "";
  const char *at = strchr (address, '@');

  line->line_number = record->line_number;
  line->status = HES_BATCH_LINE_NEW;
  if (at == NULL)
    line->address = g_strdup_printf ("%s@%s", address, domain);
  else
    line->address = g_strdup (address);
  {
    char *lower = g_ascii_strdown (line->address, -1);

    g_free (line->address);
    line->address = lower;
  }
  line->local_part = g_strndup (line->address, strchr (line->address, '@') - line->address);
  line->name = g_strdup (*name ? name : line->local_part);
  if (*password)
    line->password = g_strdup (password);
  line->unreadable = TRUE;
  if (f->len > 4)
    hes_batch_line_set_message (line, HES_BATCH_LINE_INVALID,
                                _("This line has too many columns: give the address, the name, "
                                  "the size in MiB and, if you wish, a password."));
  else if (!parse_quota (quota, &line->quota_mib))
    hes_batch_line_set_message (line, HES_BATCH_LINE_INVALID,
                                _("The size is not a number of MiB: write it like 1024."));
  else
    line->unreadable = FALSE;
  return line;
}

/* Spreadsheets on Windows often save in Windows-1252, not UTF-8. */
static char *
to_utf8 (const char *text, gssize length, GError **error)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  char *utf8;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;
  if (g_utf8_validate_len (text, len, NULL))
    return g_strndup (text, len);
  utf8 = g_convert (text, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
  if (utf8 == NULL)
    g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                         _("This file is not a text file the app can read: save it as CSV "
                           "(UTF-8) from your spreadsheet."));
  return utf8;
}

GPtrArray *
hes_batch_lines_parse (const char *text, gssize length, const char *domain, GError **error)
{
  g_autofree char *utf8 = NULL;
  g_autoptr(GPtrArray) records = NULL;
  GPtrArray *lines;
  gboolean first = TRUE;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  if ((utf8 = to_utf8 (text, length, error)) == NULL)
    return NULL;
  records = split_records (utf8, detect_separator (utf8));
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_batch_line_free);
  for (guint i = 0; i < records->len; i++)
    {
      Record *record = g_ptr_array_index (records, i);

      if (record_is_empty (record))
        continue;
      if (first && looks_like_header (record))
        {
          first = FALSE;
          continue;
        }
      first = FALSE;
      g_ptr_array_add (lines, line_from_record (record, domain));
    }
  if (lines->len == 0)
    {
      g_ptr_array_unref (lines);
      g_set_error_literal (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID,
                           _("The list is empty: write one mailbox per line, for example "
                             "anna@example.com, Anna Martin, 1024."));
      return NULL;
    }
  return lines;
}
