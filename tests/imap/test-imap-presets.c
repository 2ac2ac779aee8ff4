/* test-imap-presets.c: the old providers' IMAP settings offered to customers. */
#define G_LOG_DOMAIN "test-imap-presets"

#include "config.h"

#include "hes-imap-presets.h"

static void
test_table (void)
{
  static const struct { const char *id; const char *host; } expected[] = {
    { "orange", "imap.orange.fr" }, { "free", "imap.free.fr" }, { "sfr", "imap.sfr.fr" },
    { "bouygues", "imap.bbox.fr" }, { "laposte", "imap.laposte.net" }, { "ovh", "ssl0.ovh.net" },
    { "gandi", "mail.gandi.net" }, { "gmail", "imap.gmail.com" },
    { "outlook", "outlook.office365.com" }, { "yahoo", "imap.mail.yahoo.com" },
    { "icloud", "imap.mail.me.com" },
  };
  gsize n_presets = 0;
  const HesImapPreset *presets = hes_imap_presets_get (&n_presets);

  g_assert_cmpuint (n_presets, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < n_presets; i++)
    {
      g_assert_cmpstr (presets[i].id, ==, expected[i].id);
      g_assert_cmpstr (presets[i].host, ==, expected[i].host);
      g_assert_cmpuint (presets[i].port, ==, 993);
      g_assert_cmpint (presets[i].security, ==, HES_IMAP_SECURITY_SSL);
      g_assert_cmpstr (presets[i].name, !=, "");
      g_assert_true (hes_imap_preset_find (presets[i].id) == &presets[i]);
      g_assert_true (hes_imap_preset_find_by_host (presets[i].host) == &presets[i]);
    }
  g_assert_null (hes_imap_preset_find ("aol"));
}

static void
test_notes (void)
{
  const char *with_note[] = { "laposte", "gmail", "outlook", "yahoo", "icloud" };
  const char *app_password_only[] = { "gmail", "yahoo", "icloud" };

  for (guint i = 0; i < G_N_ELEMENTS (with_note); i++)
    {
      const char *note = hes_imap_preset_get_note (hes_imap_preset_find (with_note[i]));

      g_assert_nonnull (note);
      g_assert_true (g_str_has_suffix (note, "."));
    }
  g_assert_null (hes_imap_preset_get_note (hes_imap_preset_find ("orange")));
  for (guint i = 0; i < G_N_ELEMENTS (app_password_only); i++)
    g_assert_true (hes_imap_preset_find (app_password_only[i])->app_password_only);
  g_assert_false (hes_imap_preset_find ("orange")->app_password_only);
  g_assert_false (hes_imap_preset_find ("outlook")->app_password_only);
}

static void
test_lookups (void)
{
  g_assert_cmpstr (hes_imap_preset_guess ("jean.dupont@wanadoo.fr")->id, ==, "orange");
  g_assert_cmpstr (hes_imap_preset_guess ("Jean@GMAIL.com")->id, ==, "gmail");
  g_assert_cmpstr (hes_imap_preset_guess ("marie@hotmail.fr")->id, ==, "outlook");
  g_assert_cmpstr (hes_imap_preset_guess ("a@b@me.com")->id, ==, "icloud");
  g_assert_null (hes_imap_preset_guess ("contact@hosterra.help"));
  g_assert_null (hes_imap_preset_guess ("no-at-sign"));
  g_assert_null (hes_imap_preset_guess ("trailing@"));
  g_assert_cmpstr (hes_imap_preset_find_by_host ("IMAP.Gmail.com")->id, ==, "gmail");
  g_assert_null (hes_imap_preset_find_by_host ("imap.example.net"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imap/presets/table", test_table);
  g_test_add_func ("/imap/presets/notes", test_notes);
  g_test_add_func ("/imap/presets/lookups", test_lookups);
  return g_test_run ();
}
