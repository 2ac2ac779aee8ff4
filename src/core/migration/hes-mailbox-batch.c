/* hes-mailbox-batch.c: checking a list of mailboxes, then creating them one by one. */
#define G_LOG_DOMAIN "hes-mailbox-batch"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hes-mailbox-batch.h"
#include "hes-migration-error.h"
#include "hes-password-generator.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

struct _HesMailboxBatch
{
  GObject            parent_instance;

  HesMailcowClient  *client;
  char              *domain;
  GPtrArray         *lines;
  HesMailcowDomain  *limits;    /* read by the last check */
  HesPasswordPolicy *policy;
  GHashTable        *existing;  /* addresses on the server at the last check → quota bytes */
};

enum { LINE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HesMailboxBatch, hes_mailbox_batch, G_TYPE_OBJECT)

static void
hes_mailbox_batch_finalize (GObject *object)
{
  HesMailboxBatch *self = HES_MAILBOX_BATCH (object);

  g_clear_object (&self->client);
  g_free (self->domain);
  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->limits, hes_mailcow_domain_free);
  g_clear_pointer (&self->policy, hes_password_policy_free);
  g_clear_pointer (&self->existing, g_hash_table_unref);
  G_OBJECT_CLASS (hes_mailbox_batch_parent_class)->finalize (object);
}

static void
hes_mailbox_batch_class_init (HesMailboxBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_mailbox_batch_finalize;

  signals[LINE_CHANGED] = g_signal_new ("line-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
hes_mailbox_batch_init (HesMailboxBatch *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_batch_line_free);
}

HesMailboxBatch *
hes_mailbox_batch_new (HesMailcowClient *client, const char *domain)
{
  HesMailboxBatch *self;

  g_return_val_if_fail (HES_IS_MAILCOW_CLIENT (client), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (HES_TYPE_MAILBOX_BATCH, NULL);
  self->client = g_object_ref (client);
  self->domain = g_ascii_strdown (domain, -1);
  return self;
}

const char *
hes_mailbox_batch_get_domain (HesMailboxBatch *self)
{
  g_return_val_if_fail (HES_IS_MAILBOX_BATCH (self), NULL);
  return self->domain;
}

gboolean
hes_mailbox_batch_set_text (HesMailboxBatch *self, const char *text, gssize length,
                            GError **error)
{
  GPtrArray *lines;

  g_return_val_if_fail (HES_IS_MAILBOX_BATCH (self), FALSE);

  if ((lines = hes_batch_lines_parse (text, length, self->domain, error)) == NULL)
    return FALSE;
  g_ptr_array_unref (self->lines);
  self->lines = lines;
  return TRUE;
}

GPtrArray *
hes_mailbox_batch_get_lines (HesMailboxBatch *self)
{
  g_return_val_if_fail (HES_IS_MAILBOX_BATCH (self), NULL);
  return self->lines;
}

guint
hes_mailbox_batch_count (HesMailboxBatch *self, HesBatchLineStatus status)
{
  guint n = 0;

  g_return_val_if_fail (HES_IS_MAILBOX_BATCH (self), 0);
  for (guint i = 0; i < self->lines->len; i++)
    if (((HesBatchLine *) g_ptr_array_index (self->lines, i))->status == status)
      n++;
  return n;
}

static void
line_changed (HesMailboxBatch *self, guint index)
{
  g_signal_emit (self, signals[LINE_CHANGED], 0, index);
}

/* The checks, done with what the server said. */

static gboolean
valid_local_part (const char *local_part)
{
  /* What mailcow accepts, without the forms it would store differently. */
  return strlen (local_part) <= 64 &&
         g_regex_match_simple ("^[a-z0-9_+-]+(\\.[a-z0-9_+-]+)*$", local_part, 0, 0);
}

static char *
size_text (guint64 bytes)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes / MIB);
}

static char *
replace_arg (const char *format, const char *arg)
{
  g_autoptr(GString) text = g_string_new (format);

  g_string_replace (text, "%s", arg, 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
invalid (HesBatchLine *line, char *message)
{
  hes_batch_line_set_message (line, HES_BATCH_LINE_INVALID, message);
  g_free (message);
}

/* Room left and mailbox count, shared by the lines as they are checked in order. */
typedef struct {
  GHashTable *seen;     /* address → line number */
  guint64     room;     /* bytes the domain may still give */
  gint64      boxes;    /* mailboxes the domain may still have */
} Budget;

static gboolean
check_address (HesMailboxBatch *self, HesBatchLine *line, Budget *budget)
{
  const char *domain = strchr (line->address, '@') + 1;
  guint other;

  if (!valid_local_part (line->local_part) || strchr (domain, '@'))
    /* Translators: %s is an e-mail address. */
    invalid (line, replace_arg (_("“%s” is not a valid e-mail address: use letters, digits, "
                                  "dots, dashes and underscores before the @."), line->address));
  else if (g_strcmp0 (domain, self->domain) != 0)
    /* Translators: %s is a domain name. */
    invalid (line, replace_arg (_("This address is not in the domain %s: only mailboxes of this "
                                  "domain can be created here."), self->domain));
  else if ((other = GPOINTER_TO_UINT (g_hash_table_lookup (budget->seen, line->address))) != 0)
    {
      g_autofree char *number = g_strdup_printf ("%u", other);

      /* Translators: %s is a line number. */
      invalid (line, replace_arg (_("This address is already on line %s: write each mailbox "
                                    "once."), number));
    }
  else
    {
      g_hash_table_insert (budget->seen, g_strdup (line->address),
                           GUINT_TO_POINTER (line->line_number));
      return TRUE;
    }
  return FALSE;
}

static gboolean
check_size (HesMailboxBatch *self, HesBatchLine *line, Budget *budget)
{
  HesMailcowDomain *limits = self->limits;
  guint64 bytes;

  if (line->quota_mib == 0)
    line->quota_mib = limits->def_quota_for_mailbox / MIB;
  bytes = line->quota_mib * MIB;
  if (bytes == 0)
    invalid (line, g_strdup (_("Give this mailbox a size in MiB: the domain has no default "
                               "size.")));
  else if (limits->max_quota_for_mailbox > 0 && bytes > limits->max_quota_for_mailbox)
    {
      g_autofree char *max = size_text (limits->max_quota_for_mailbox);

      /* Translators: %s is a size in MiB, such as "2048". */
      invalid (line, replace_arg (_("This size is more than the domain allows for one mailbox "
                                    "(at most %s MiB): choose a smaller size."), max));
    }
  else if (bytes > budget->room)
    {
      g_autofree char *left = size_text (budget->room);

      /* Translators: %s is a size in MiB, such as "512". */
      invalid (line, replace_arg (_("The domain has not enough space left for this size (%s MiB "
                                    "left after the lines above): choose a smaller size."), left));
    }
  else if (budget->boxes <= 0)
    invalid (line, g_strdup (_("The domain already has all the mailboxes it may have: remove "
                               "lines, or ask your provider for more mailboxes.")));
  else
    {
      budget->room -= bytes;
      budget->boxes--;
      return TRUE;
    }
  return FALSE;
}

static gboolean
check_password (HesMailboxBatch *self, HesBatchLine *line)
{
  g_autoptr(GPtrArray) broken = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;

  /* A generated password is kept from one check to the next (the customer may have noted
   * it), unless the policy changed and it no longer fits. */
  if (line->password && line->generated)
    {
      broken = hes_password_policy_check (self->policy, line->password);
      if (broken->len > 0)
        g_clear_pointer (&line->password, hes_password_free);
      g_clear_pointer (&broken, g_ptr_array_unref);
    }
  if (line->password == NULL)
    {
      line->password = hes_password_generate (self->policy, &error);
      line->generated = TRUE;
      if (line->password == NULL)
        {
          invalid (line, g_strdup (error->message));
          return FALSE;
        }
    }
  broken = hes_password_policy_check (self->policy, line->password);
  if (broken->len == 0)
    return TRUE;
  text = g_string_new (_("This password is too weak for the server:"));
  for (guint i = 0; i < broken->len; i++)
    g_string_append_printf (text, " %s", (const char *) g_ptr_array_index (broken, i));
  invalid (line, g_string_free (g_steal_pointer (&text), FALSE));
  return FALSE;
}

static guint
check_lines (HesMailboxBatch *self)
{
  Budget budget = { 0 };
  GHashTableIter iter;
  gpointer quota;
  guint64 allocated = 0;
  guint to_fix = 0;

  budget.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->existing);
  while (g_hash_table_iter_next (&iter, NULL, &quota))
    allocated += *(guint64 *) quota;
  budget.room = self->limits->max_quota_for_domain > allocated
                ? self->limits->max_quota_for_domain - allocated : 0;
  budget.boxes = self->limits->mailboxes_left;

  for (guint i = 0; i < self->lines->len; i++)
    {
      HesBatchLine *line = g_ptr_array_index (self->lines, i);

      if (line->status == HES_BATCH_LINE_CREATED)
        continue;
      if (line->unreadable)
        to_fix++;
      else if (!check_address (self, line, &budget))
        to_fix++;
      else if (g_hash_table_contains (self->existing, line->address))
        hes_batch_line_set_message (line, HES_BATCH_LINE_EXISTS,
                                    _("This mailbox already exists: it is left as it is."));
      else if (!check_password (self, line) || !check_size (self, line, &budget))
        to_fix++;
      else
        hes_batch_line_set_message (line, HES_BATCH_LINE_VALID, NULL);
      line_changed (self, i);
    }
  g_hash_table_unref (budget.seen);
  return to_fix;
}

/* Reading the server: the domain's limits, the policy, the existing mailboxes. */

typedef struct {
  gboolean run;    /* create once checked */
  guint    next;   /* the next line to create */
  guint    failed;
} BatchData;

static void read_policy (GTask *task);
static void read_mailboxes (GTask *task);
static void create_next (GTask *task);

static void
domains_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesMailboxBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = hes_mailcow_client_list_domains_finish (HES_MAILCOW_CLIENT (source),
                                                                         result, &error);

  if (domains == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&self->limits, hes_mailcow_domain_free);
  for (guint i = 0; i < domains->len; i++)
    {
      HesMailcowDomain *domain = g_ptr_array_index (domains, i);

      if (g_ascii_strcasecmp (domain->name, self->domain) == 0)
        self->limits = hes_mailcow_domain_copy (domain);
    }
  if (self->limits == NULL)
    {
      /* Translators: %s is a domain name. */
      g_autofree char *text = replace_arg (_("Your account cannot manage the domain %s: sign in "
                                             "as its domain administrator."), self->domain);

      g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID, "%s", text);
      g_object_unref (task);
      return;
    }
  read_policy (task);
}

static void
policy_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesMailboxBatch *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->policy, hes_password_policy_free);
  self->policy = hes_mailcow_client_get_password_policy_finish (HES_MAILCOW_CLIENT (source),
                                                                result, &error);
  if (self->policy == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  read_mailboxes (task);
}

static void
read_policy (GTask *task)
{
  HesMailboxBatch *self = g_task_get_source_object (task);

  hes_mailcow_client_get_password_policy_async (self->client, g_task_get_cancellable (task),
                                                policy_read, task);
}

static void
mailboxes_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesMailboxBatch *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = hes_mailcow_client_list_mailboxes_finish (HES_MAILCOW_CLIENT (source),
                                                                         result, &error);
  guint to_fix;

  if (boxes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&self->existing, g_hash_table_unref);
  self->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < boxes->len; i++)
    {
      HesMailcowMailbox *box = g_ptr_array_index (boxes, i);

      g_hash_table_insert (self->existing, g_ascii_strdown (box->username, -1),
                           g_memdup2 (&box->quota, sizeof box->quota));
    }
  to_fix = check_lines (self);
  if (to_fix > 0)
    {
      g_autofree char *number = g_strdup_printf ("%u", to_fix);
      g_autofree char *text = replace_arg (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %s is a number of lines. */
        "%s line must be fixed before any mailbox is created.",
        "%s lines must be fixed before any mailbox is created.", to_fix), number);

      g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID, "%s", text);
      g_object_unref (task);
    }
  else if (data->run)
    create_next (task);
  else
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
read_mailboxes (GTask *task)
{
  HesMailboxBatch *self = g_task_get_source_object (task);

  hes_mailcow_client_list_mailboxes_async (self->client, self->domain,
                                           g_task_get_cancellable (task), mailboxes_read, task);
}

static void
start (HesMailboxBatch *self, gboolean run, GCancellable *cancellable,
       GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  BatchData *data = g_new0 (BatchData, 1);

  g_task_set_source_tag (task, tag);
  data->run = run;
  g_task_set_task_data (task, data, g_free);
  hes_mailcow_client_list_domains_async (self->client, cancellable, domains_read, task);
}

void
hes_mailbox_batch_validate_async (HesMailboxBatch *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (HES_IS_MAILBOX_BATCH (self));
  start (self, FALSE, cancellable, callback, user_data, hes_mailbox_batch_validate_async);
}

gboolean
hes_mailbox_batch_validate_finish (HesMailboxBatch *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Creating, one line at a time. */

static gboolean
is_refusal (const GError *error)
{
  /* The server answered and said no to this line; anything else stops the batch. */
  return g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_REFUSED) ||
         g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_ACCESS_DENIED) ||
         g_error_matches (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_PASSWORD_POLICY);
}

static void
created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  HesMailboxBatch *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  HesBatchLine *line = g_ptr_array_index (self->lines, data->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = hes_mailcow_client_api_post_finish (HES_MAILCOW_CLIENT (source), result, &error);
  if (entries)
    hes_batch_line_set_message (line, HES_BATCH_LINE_CREATED, NULL);
  else if (is_refusal (error))
    {
      hes_batch_line_set_message (line, HES_BATCH_LINE_FAILED, error->message);
      data->failed++;
    }
  else
    {
      /* The line stays VALID: running again first looks whether it was made after all. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  line_changed (self, data->next);
  data->next++;
  create_next (task);
}

static JsonNode *
mailbox_body (HesMailboxBatch *self, HesBatchLine *line)
{
  JsonObject *attr = json_object_new ();

  json_object_set_string_member (attr, "local_part", line->local_part);
  json_object_set_string_member (attr, "domain", self->domain);
  json_object_set_string_member (attr, "name", line->name);
  /* Always a size: without one, mailcow's template gives "unlimited", refused to domain
   * administrators. */
  json_object_set_int_member (attr, "quota", line->quota_mib);
  json_object_set_string_member (attr, "password", line->password);
  json_object_set_string_member (attr, "password2", line->password);
  json_object_set_int_member (attr, "active", 1);
  return json_node_init_object (json_node_alloc (), attr);
}

static void
create_next (GTask *task)
{
  HesMailboxBatch *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;

  while (data->next < self->lines->len &&
         ((HesBatchLine *) g_ptr_array_index (self->lines, data->next))->status !=
         HES_BATCH_LINE_VALID)
    data->next++;
  if (data->next < self->lines->len)
    {
      body = mailbox_body (self, g_ptr_array_index (self->lines, data->next));
      hes_mailcow_client_api_post_async (self->client, "add/mailbox", body,
                                         g_task_get_cancellable (task), created, task);
      return;
    }
  if (data->failed > 0)
    {
      g_autofree char *number = g_strdup_printf ("%u", data->failed);
      g_autofree char *text = replace_arg (g_dngettext (GETTEXT_PACKAGE,
        /* Translators: %s is a number of mailboxes. */
        "%s mailbox could not be created: see the reason on its line.",
        "%s mailboxes could not be created: see the reason on their lines.", data->failed),
        number);

      g_task_return_new_error (task, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID, "%s", text);
    }
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
hes_mailbox_batch_run_async (HesMailboxBatch *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (HES_IS_MAILBOX_BATCH (self));
  start (self, TRUE, cancellable, callback, user_data, hes_mailbox_batch_run_async);
}

gboolean
hes_mailbox_batch_run_finish (HesMailboxBatch *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
