/* test-mailbox-batch.c: bulk mailbox creation.
 *
 * Reading typed lines and CSV (separators, header, quotes, accents, BOM, Windows-1252, sizes),
 * every check against the simulator's domain limits and password policy before anything is
 * sent, generated passwords that the server accepts, and a failure in the middle of a batch
 * followed by a resume that creates the rest without duplicates.
 */
#include "config.h"

#include <string.h>

#include "hes-mailbox-batch.h"
#include "hes-migration-error.h"
#include "hes-password-generator.h"
#include "migration-fixture.h"

static HesBatchLine *
line_at (GPtrArray *lines, guint i)
{
  g_assert_cmpuint (i, <, lines->len);
  return g_ptr_array_index (lines, i);
}

static void
test_parse_csv_semicolons (void)
{
  const char *text = "\xef\xbb\xbf" "Adresse;Nom;Quota\r\n"
                     "zoe@kunde.example;\"Müller; Zoé\";2048\r\n"
                     "\r\n"
                     "# a comment\r\n"
                     "Bob@Kunde.Example;Bob Éric;1 Go\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = hes_batch_lines_parse (text, -1, DOMAIN, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (line_at (lines, 0)->address, ==, "zoe@kunde.example");
  g_assert_cmpstr (line_at (lines, 0)->name, ==, "Müller; Zoé");
  g_assert_cmpuint (line_at (lines, 0)->quota_mib, ==, 2048);
  g_assert_cmpuint (line_at (lines, 0)->line_number, ==, 2);
  g_assert_cmpstr (line_at (lines, 1)->address, ==, "bob@kunde.example");
  g_assert_cmpstr (line_at (lines, 1)->local_part, ==, "bob");
  g_assert_cmpstr (line_at (lines, 1)->name, ==, "Bob Éric");
  g_assert_cmpuint (line_at (lines, 1)->quota_mib, ==, 1024);
  g_assert_cmpuint (line_at (lines, 1)->line_number, ==, 5);
  g_assert_cmpint (line_at (lines, 1)->status, ==, HES_BATCH_LINE_NEW);
}

static void
test_parse_csv_commas_and_quotes (void)
{
  const char *text = "jean@kunde.example,\"Dupont, Jean \"\"JD\"\"\",512 MiB,Pass-word-1\n"
                     "\"multi@kunde.example\",\"Two\nlines\",100\n"
                     "after@kunde.example,,\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = hes_batch_lines_parse (text, -1, DOMAIN, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (line_at (lines, 0)->name, ==, "Dupont, Jean \"JD\"");
  g_assert_cmpuint (line_at (lines, 0)->quota_mib, ==, 512);
  g_assert_cmpstr (line_at (lines, 0)->password, ==, "Pass-word-1");
  g_assert_cmpstr (line_at (lines, 1)->name, ==, "Two\nlines");
  /* The line numbers follow the text, quoted newline included. */
  g_assert_cmpuint (line_at (lines, 2)->line_number, ==, 4);
  g_assert_cmpstr (line_at (lines, 2)->name, ==, "after");
  g_assert_cmpuint (line_at (lines, 2)->quota_mib, ==, 0);
  g_assert_null (line_at (lines, 2)->password);
}

static void
test_parse_typed_and_odd (void)
{
  /* Windows-1252: "é" is 0xE9. */
  const char *text = "anne\tAnne Ren\xe9\t300\nzed;Zed;lots\nfive,a,1,p,extra\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = hes_batch_lines_parse (text, -1, DOMAIN, &error);
  g_autoptr(GPtrArray) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (line_at (lines, 0)->address, ==, "anne@kunde.example");
  g_assert_cmpstr (line_at (lines, 0)->name, ==, "Anne René");
  g_assert_cmpuint (line_at (lines, 0)->quota_mib, ==, 300);
  /* The separator is the first line's: the others are one field each, or unreadable. */
  g_assert_cmpint (line_at (lines, 1)->status, ==, HES_BATCH_LINE_NEW);
  g_assert_cmpstr (line_at (lines, 1)->address, ==, "zed;zed;lots@kunde.example");

  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = hes_batch_lines_parse ("zed;Zed;lots\nfive;a;1;p;extra\n", -1, DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (line_at (lines, 0)->status, ==, HES_BATCH_LINE_INVALID);
  g_assert_nonnull (strstr (line_at (lines, 0)->message, "MiB"));
  g_assert_cmpint (line_at (lines, 1)->status, ==, HES_BATCH_LINE_INVALID);
  g_assert_nonnull (strstr (line_at (lines, 1)->message, "columns"));

  none = hes_batch_lines_parse ("\n\n  \n", -1, DOMAIN, &error);
  g_assert_null (none);
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
}

static void
test_generated_passwords (void)
{
  HesPasswordPolicy strict = { 20, TRUE, TRUE, TRUE, TRUE };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char *password = hes_password_generate (&strict, &error);
      g_autoptr(GPtrArray) broken = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (password), ==, 20);
      broken = hes_password_policy_check (&strict, password);
      g_assert_cmpuint (broken->len, ==, 0);
      g_assert_false (g_hash_table_contains (seen, password));
      g_hash_table_add (seen, g_strdup (password));
      hes_password_free (password);
    }
}

static gboolean
validate (HesMailboxBatch *batch, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailbox_batch_validate_async (batch, NULL, migration_on_done, &result);
  return hes_mailbox_batch_validate_finish (batch, migration_wait_for (&result), error);
}

static gboolean
run (HesMailboxBatch *batch, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_mailbox_batch_run_async (batch, NULL, migration_on_done, &result);
  return hes_mailbox_batch_run_finish (batch, migration_wait_for (&result), error);
}

static guint
server_mailbox_count (MigrationFixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = NULL;

  hes_mailcow_client_list_mailboxes_async (f->client, DOMAIN, NULL, migration_on_done, &result);
  boxes = hes_mailcow_client_list_mailboxes_finish (f->client, migration_wait_for (&result),
                                                    &error);
  g_assert_no_error (error);
  return boxes->len;
}

static void
set_limits (MigrationFixture *f)
{
  /* 5 mailboxes, 10 GiB, at most 4 GiB each, 1 GiB by default; Anna holds 2 GiB. */
  hes_mailcow_sim_set_domain_limits (f->sim, DOMAIN, 5, 10240, 4096, 1024);
  hes_mailcow_sim_set_mailbox_quota (f->sim, MAILBOX, 2048, 0, 0);
  hes_mailcow_sim_set_password_policy (f->sim, 10, TRUE, FALSE, FALSE, TRUE);
}

static void
test_checks_before_sending (MigrationFixture *f, gconstpointer data)
{
  const char *text = "address,name,quota,password\n"
                     "bob,Bob,1024\n"            /* 2: ok, 8192 → 7168 left */
                     "carl,Carl,5000\n"          /* 3: more than 4096 per mailbox */
                     "anna,Anna,1024\n"          /* 4: exists */
                     "x@other.example,X,10\n"    /* 5: other domain */
                     "bad..name,Bad,10\n"        /* 6: address */
                     "Bob,Bob again,10\n"        /* 7: twice */
                     "dora,Dora,4096\n"          /* 8: ok, 3072 left */
                     "emil,Emil,4096\n"          /* 9: no room */
                     "fay,Fay,\n"                /* 10: default 1024, ok, 2048 left */
                     "gus,Gus,512,weakpass\n"    /* 11: policy wants a digit */
                     "hal,Hal,512,Strong-pass-42\n"  /* 12: ok: the 4th new one */
                     "ivy,Ivy,10\n";             /* 13: the domain is full */
  g_autoptr(HesMailboxBatch) batch = hes_mailbox_batch_new (f->client, DOMAIN);
  g_autoptr(GError) error = NULL;
  GPtrArray *lines;
  const struct { HesBatchLineStatus status; const char *words; } expect[] = {
    { HES_BATCH_LINE_VALID, NULL },
    { HES_BATCH_LINE_INVALID, "at most 4096 MiB" },
    { HES_BATCH_LINE_EXISTS, "already exists" },
    { HES_BATCH_LINE_INVALID, "not in the domain kunde.example" },
    { HES_BATCH_LINE_INVALID, "not a valid e-mail address" },
    { HES_BATCH_LINE_INVALID, "already on line 2" },
    { HES_BATCH_LINE_VALID, NULL },
    { HES_BATCH_LINE_INVALID, "3072 MiB left" },
    { HES_BATCH_LINE_VALID, NULL },
    { HES_BATCH_LINE_INVALID, "too weak" },
    { HES_BATCH_LINE_VALID, NULL },
    { HES_BATCH_LINE_INVALID, "all the mailboxes" },
  };

  set_limits (f);
  g_assert_true (hes_mailbox_batch_set_text (batch, text, -1, &error));
  g_assert_false (validate (batch, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_test_message ("%s", error->message);
  lines = hes_mailbox_batch_get_lines (batch);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("line %u: %d %s", line_at (lines, i)->line_number, line_at (lines, i)->status,
                    line_at (lines, i)->message ? line_at (lines, i)->message : "");
  g_assert_nonnull (strstr (error->message, "7 lines must be fixed"));
  g_clear_error (&error);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      HesBatchLine *line = line_at (lines, i);

      g_test_message ("line %u: %s", line->line_number, line->message ? line->message : "");
      g_assert_cmpint (line->status, ==, expect[i].status);
      if (expect[i].words)
        g_assert_nonnull (strstr (line->message, expect[i].words));
    }
  g_assert_cmpuint (line_at (lines, 8)->quota_mib, ==, 1024);
  g_assert_true (line_at (lines, 0)->generated);
  g_assert_false (line_at (lines, 10)->generated);

  /* Nothing was sent, also not by run. */
  g_assert_false (run (batch, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_assert_cmpuint (server_mailbox_count (f), ==, 1);
}

static void
test_create_all (MigrationFixture *f, gconstpointer data)
{
  const char *text = "Adresse;Nom;Quota\nbob;Bob Éric;1024\nzoe;\"Müller; Zoé\";512\n"
                     "hal;Hal;512;Strong-pass-42\n";
  g_autoptr(HesMailboxBatch) batch = hes_mailbox_batch_new (f->client, DOMAIN);
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_password = NULL;
  GPtrArray *lines;

  set_limits (f);
  hes_mailcow_sim_set_password_policy (f->sim, 16, TRUE, TRUE, TRUE, TRUE);
  g_assert_true (hes_mailbox_batch_set_text (batch, text, -1, &error));
  /* The typed password is too short for the new policy. */
  g_assert_false (validate (batch, &error));
  g_clear_error (&error);
  hes_mailcow_sim_set_password_policy (f->sim, 12, TRUE, TRUE, TRUE, TRUE);
  g_assert_true (validate (batch, &error));
  g_assert_no_error (error);
  lines = hes_mailbox_batch_get_lines (batch);
  bob_password = g_strdup (line_at (lines, 0)->password);
  g_assert_true (run (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailbox_batch_count (batch, HES_BATCH_LINE_CREATED), ==, 3);
  /* The password checked and shown is the one the server got. */
  g_assert_cmpstr (line_at (lines, 0)->password, ==, bob_password);
  g_assert_true (hes_mailcow_sim_check_password (f->sim, "bob@kunde.example", bob_password));
  g_assert_true (hes_mailcow_sim_check_password (f->sim, "zoe@kunde.example",
                                                 line_at (lines, 1)->password));
  g_assert_true (hes_mailcow_sim_check_password (f->sim, "hal@kunde.example", "Strong-pass-42"));
  g_assert_cmpuint (server_mailbox_count (f), ==, 4);
}

typedef struct {
  MigrationFixture *f;
  guint             created;
} FaultAfter;

/* Breaks the server once two mailboxes are made: the third request fails. */
static void
on_line_changed (HesMailboxBatch *batch, guint index, gpointer user_data)
{
  FaultAfter *fault = user_data;
  HesBatchLine *line = line_at (hes_mailbox_batch_get_lines (batch), index);

  if (line->status == HES_BATCH_LINE_CREATED && ++fault->created == 2)
    hes_mailcow_sim_set_fault (fault->f->sim, HES_SIM_FAULT_HTTP_500);
}

static void
test_failure_then_resume (MigrationFixture *f, gconstpointer data)
{
  const char *text = "a1,One,100\na2,Two,100\na3,Three,100\na4,Four,100\n";
  g_autoptr(HesMailboxBatch) batch = hes_mailbox_batch_new (f->client, DOMAIN);
  g_autoptr(HesMailboxBatch) again = hes_mailbox_batch_new (f->client, DOMAIN);
  g_autoptr(GError) error = NULL;
  FaultAfter fault = { f, 0 };
  gulong handler;

  g_assert_true (hes_mailbox_batch_set_text (batch, text, -1, &error));
  handler = g_signal_connect (batch, "line-changed", G_CALLBACK (on_line_changed), &fault);
  g_assert_false (run (batch, &error));
  g_assert_error (error, HES_MAILCOW_ERROR, HES_MAILCOW_ERROR_SERVER);
  g_clear_error (&error);
  g_signal_handler_disconnect (batch, handler);
  g_assert_cmpuint (hes_mailbox_batch_count (batch, HES_BATCH_LINE_CREATED), ==, 2);
  g_assert_cmpuint (hes_mailbox_batch_count (batch, HES_BATCH_LINE_VALID), ==, 2);

  /* After a restart: the same list again, on a fresh batch. */
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_NONE);
  g_assert_true (hes_mailbox_batch_set_text (again, text, -1, &error));
  g_assert_true (run (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailbox_batch_count (again, HES_BATCH_LINE_EXISTS), ==, 2);
  g_assert_cmpuint (hes_mailbox_batch_count (again, HES_BATCH_LINE_CREATED), ==, 2);
  g_assert_cmpuint (server_mailbox_count (f), ==, 5);

  /* And the first batch object resumes too: nothing left to make. */
  g_assert_true (run (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hes_mailbox_batch_count (batch, HES_BATCH_LINE_CREATED), ==, 2);
  g_assert_cmpuint (hes_mailbox_batch_count (batch, HES_BATCH_LINE_EXISTS), ==, 2);
  g_assert_cmpuint (server_mailbox_count (f), ==, 5);
}

static void
test_foreign_domain_refused (MigrationFixture *f, gconstpointer data)
{
  g_autoptr(HesMailboxBatch) batch = hes_mailbox_batch_new (f->client, "other.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (hes_mailbox_batch_set_text (batch, "x,X,10\n", -1, &error));
  g_assert_false (validate (batch, &error));
  g_assert_error (error, HES_MIGRATION_ERROR, HES_MIGRATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "other.example"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migration/batch/parse-csv-semicolons", test_parse_csv_semicolons);
  g_test_add_func ("/migration/batch/parse-csv-commas-quotes", test_parse_csv_commas_and_quotes);
  g_test_add_func ("/migration/batch/parse-typed-and-odd", test_parse_typed_and_odd);
  g_test_add_func ("/migration/batch/generated-passwords", test_generated_passwords);
#define ADD(path, fn) g_test_add (path, MigrationFixture, NULL, migration_fixture_set_up, fn, \
                                  migration_fixture_tear_down)
  ADD ("/migration/batch/checks-before-sending", test_checks_before_sending);
  ADD ("/migration/batch/create-all", test_create_all);
  ADD ("/migration/batch/failure-then-resume", test_failure_then_resume);
  ADD ("/migration/batch/foreign-domain", test_foreign_domain_refused);
#undef ADD
  return g_test_run ();
}
