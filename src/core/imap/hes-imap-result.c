/* hes-imap-result.c: the folders and counts found by the connection test. */
#define G_LOG_DOMAIN "hes-imap-result"

#include "config.h"

#include "hes-imap-parse.h"
#include "hes-imap-result.h"

struct _HesImapResult
{
  GObject    parent_instance;
  GPtrArray *folders;
};

G_DEFINE_FINAL_TYPE (HesImapResult, hes_imap_result, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (HesImapFolder, hes_imap_folder, hes_imap_folder_copy, hes_imap_folder_free)

HesImapFolder *
hes_imap_folder_new (const char *raw_name)
{
  HesImapFolder *folder = g_new0 (HesImapFolder, 1);

  folder->raw_name = g_strdup (raw_name);
  folder->name = hes_imap_mutf7_decode (raw_name);
  /* A name the server encoded wrongly is still shown, as it came. */
  if (folder->name == NULL)
    folder->name = g_utf8_make_valid (raw_name, -1);
  folder->messages = -1;
  folder->size = -1;
  return folder;
}

HesImapFolder *
hes_imap_folder_copy (const HesImapFolder *folder)
{
  HesImapFolder *copy = g_new0 (HesImapFolder, 1);

  copy->name = g_strdup (folder->name);
  copy->raw_name = g_strdup (folder->raw_name);
  copy->messages = folder->messages;
  copy->size = folder->size;
  return copy;
}

void
hes_imap_folder_free (HesImapFolder *folder)
{
  if (folder == NULL)
    return;
  g_free (folder->name);
  g_free (folder->raw_name);
  g_free (folder);
}

static void
hes_imap_result_finalize (GObject *object)
{
  HesImapResult *self = HES_IMAP_RESULT (object);

  g_clear_pointer (&self->folders, g_ptr_array_unref);
  G_OBJECT_CLASS (hes_imap_result_parent_class)->finalize (object);
}

static void
hes_imap_result_class_init (HesImapResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_imap_result_finalize;
}

static void
hes_imap_result_init (HesImapResult *self)
{
  self->folders = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_imap_folder_free);
}

HesImapResult *
hes_imap_result_new (void)
{
  return g_object_new (HES_TYPE_IMAP_RESULT, NULL);
}

void
hes_imap_result_add_folder (HesImapResult *self,
                            HesImapFolder *folder)
{
  g_return_if_fail (HES_IS_IMAP_RESULT (self));
  g_return_if_fail (folder != NULL);

  g_ptr_array_add (self->folders, folder);
}

GPtrArray *
hes_imap_result_get_folders (HesImapResult *self)
{
  g_return_val_if_fail (HES_IS_IMAP_RESULT (self), NULL);

  return self->folders;
}

guint64
hes_imap_result_get_total_messages (HesImapResult *self)
{
  guint64 total = 0;

  g_return_val_if_fail (HES_IS_IMAP_RESULT (self), 0);

  for (guint i = 0; i < self->folders->len; i++)
    {
      HesImapFolder *folder = g_ptr_array_index (self->folders, i);

      if (folder->messages > 0)
        total += (guint64) folder->messages;
    }
  return total;
}

gint64
hes_imap_result_get_total_size (HesImapResult *self)
{
  gint64 total = 0;

  g_return_val_if_fail (HES_IS_IMAP_RESULT (self), -1);

  for (guint i = 0; i < self->folders->len; i++)
    {
      HesImapFolder *folder = g_ptr_array_index (self->folders, i);

      if (folder->size < 0)
        return -1;
      total += folder->size;
    }
  return total;
}
