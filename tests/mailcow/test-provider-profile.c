/* test-provider-profile.c: Hosterra's built-in profile, and how broken profiles are refused. */
#include "config.h"

#include <string.h>

#include "hes-provider-profile.h"

static void
test_default_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesProviderProfile) profile = hes_provider_profile_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpstr (hes_provider_profile_get_name (profile), ==, "Hosterra Email");
  g_assert_cmpstr (hes_provider_profile_get_default_server (profile), ==,
                   "https://mail.hosterra.email");
  g_assert_cmpstr (hes_provider_profile_get_help_url (profile), ==,
                   "https://hosterra.help/email/operations-specifiques");
  g_assert_cmpstr (hes_provider_profile_get_support_url (profile), ==,
                   "https://hosterra.help/contact");
  g_assert_cmpuint (hes_provider_profile_get_minimum_sync_interval (profile), ==, 20);
  g_assert_cmpuint (hes_provider_profile_get_default_sync_interval (profile), ==, 20);
  g_assert_cmpstr (hes_provider_profile_get_default_exclude (profile), ==, "(?i)spam|(?i)junk");
  g_assert_cmpuint (hes_provider_profile_get_keep_sync_jobs_hours (profile), ==, 24);
  g_assert_cmpuint (hes_provider_profile_get_default_ttl (profile), ==, 3600);
  g_assert_cmpuint (hes_provider_profile_get_propagation_hours (profile), ==, 24);
}

static void
test_offers (void)
{
  g_autoptr(HesProviderProfile) profile = hes_provider_profile_new_default (NULL);
  const char * const *needing = hes_provider_profile_get_offers_needing_setup (profile);

  g_assert_cmpuint (g_strv_length ((char **) needing), ==, 4);
  g_assert_true (g_strv_contains (needing, "ProBox"));
  g_assert_true (g_strv_contains (hes_provider_profile_get_offers_without_setup (profile),
                                  "BasicBox"));
  g_assert_true (hes_provider_profile_offer_needs_setup (profile, "SoloBox"));
  g_assert_true (hes_provider_profile_offer_needs_setup (profile, "familybox"));
  g_assert_false (hes_provider_profile_offer_needs_setup (profile, "BasicBox"));
  g_assert_false (hes_provider_profile_offer_needs_setup (profile, "MegaBox"));
}

static HesProviderRecord *
find_record (GPtrArray *plan, const char *id)
{
  for (guint i = 0; i < plan->len; i++) {
    HesProviderRecord *record = g_ptr_array_index (plan, i);

    if (g_str_equal (record->id, id))
      return record;
  }
  return NULL;
}

/* The eleven records of product.md, in order, with their fields. */
static void
test_dns_plan (void)
{
  static const char * const order[] = { "mx", "spf", "dkim", "dmarc", "autoconfig",
                                        "autodiscover", "srv-autodiscover", "srv-imaps",
                                        "srv-submissions", "srv-caldavs", "srv-carddavs" };
  g_autoptr(HesProviderProfile) profile = hes_provider_profile_new_default (NULL);
  GPtrArray *plan = hes_provider_profile_get_dns_plan (profile);
  HesProviderRecord *record;

  g_assert_cmpuint (plan->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < plan->len; i++)
    g_assert_cmpstr (((HesProviderRecord *) g_ptr_array_index (plan, i))->id, ==, order[i]);

  record = find_record (plan, "mx");
  g_assert_cmpstr (record->type, ==, "MX");
  g_assert_cmpstr (record->name, ==, "@");
  g_assert_cmpstr (record->target, ==, "H");
  g_assert_cmpuint (record->priority, ==, 10);
  g_assert_true (record->required);
  g_assert_null (record->value);

  record = find_record (plan, "spf");
  g_assert_cmpstr (record->value, ==, "v=spf1 mx ~all");
  g_assert_cmpstr (record->kind, ==, "spf");

  record = find_record (plan, "dkim");
  g_assert_cmpstr (record->name, ==, "SELECTOR._domainkey");
  g_assert_cmpstr (record->kind, ==, "dkim");

  record = find_record (plan, "dmarc");
  g_assert_cmpstr (record->value, ==, "v=DMARC1; p=quarantine");
  g_assert_false (record->required);

  record = find_record (plan, "srv-submissions");
  g_assert_cmpstr (record->type, ==, "SRV");
  g_assert_cmpstr (record->name, ==, "_submissions._tcp");
  g_assert_cmpuint (record->priority, ==, 0);
  g_assert_cmpuint (record->weight, ==, 1);
  g_assert_cmpuint (record->port, ==, 465);
  g_assert_null (record->kind);
}

static void
test_record_copy (void)
{
  g_autoptr(HesProviderProfile) profile = hes_provider_profile_new_default (NULL);
  HesProviderRecord *record = find_record (hes_provider_profile_get_dns_plan (profile),
                                           "srv-imaps");
  g_autoptr(HesProviderRecord) copy = g_boxed_copy (HES_TYPE_PROVIDER_RECORD, record);

  g_assert_true (copy != record);
  g_assert_true (copy->id != record->id);
  g_assert_cmpstr (copy->id, ==, "srv-imaps");
  g_assert_cmpuint (copy->port, ==, 993);
  g_assert_cmpstr (copy->target, ==, "H");
}

static const char minimal[] =
  "[Provider]\nName=Other\nDefaultServer=https://mail.other.test\nHelpUrl=https://h\n"
  "SupportUrl=https://s\n"
  "[Migration]\nMinimumSyncIntervalMinutes=5\nDefaultSyncIntervalMinutes=10\n"
  "DefaultExclude=\nKeepSyncJobsAfterSwitchHours=48\n"
  "[DnsPlan]\nRecords=mx;\nDefaultTtl=300\nPropagationHours=2\n"
  "[DnsRecord mx]\nType=MX\nName=@\nTarget=H\nPriority=5\nRequired=true\n";

static void
test_other_provider (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesProviderProfile) profile =
    hes_provider_profile_new_from_data (minimal, strlen (minimal), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hes_provider_profile_get_name (profile), ==, "Other");
  g_assert_cmpuint (hes_provider_profile_get_minimum_sync_interval (profile), ==, 5);
  g_assert_cmpstr (hes_provider_profile_get_default_exclude (profile), ==, "");
  g_assert_cmpuint (hes_provider_profile_get_dns_plan (profile)->len, ==, 1);
  /* No offers listed: none needs setup, and the lists are empty, not NULL. */
  g_assert_nonnull (hes_provider_profile_get_offers_needing_setup (profile));
  g_assert_false (hes_provider_profile_offer_needs_setup (profile, "SoloBox"));
}

static void
assert_refused (const char *from, const char *to)
{
  g_autoptr(GString) data = g_string_new (minimal);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesProviderProfile) profile = NULL;

  g_assert_cmpuint (g_string_replace (data, from, to, 1), ==, 1);
  profile = hes_provider_profile_new_from_data (data->str, data->len, &error);
  g_assert_null (profile);
  g_assert_error (error, G_KEY_FILE_ERROR, error->code);
}

static void
test_broken_profiles (void)
{
  assert_refused ("Name=Other\n", "");                                   /* no name */
  assert_refused ("MinimumSyncIntervalMinutes=5", "MinimumSyncIntervalMinutes=0");
  assert_refused ("DefaultSyncIntervalMinutes=10", "DefaultSyncIntervalMinutes=2");
  assert_refused ("MinimumSyncIntervalMinutes=5", "MinimumSyncIntervalMinutes=five");
  assert_refused ("Records=mx;", "Records=mx;spf;");                      /* missing group */
  assert_refused ("Type=MX\n", "");                                       /* record without type */
  assert_refused ("Target=H\n", "");                                      /* nothing to point at */
  assert_refused ("Priority=5", "Priority=-5");
  assert_refused ("Required=true", "Required=maybe");
  assert_refused ("[Provider]", "[Provider");                             /* not a keyfile */
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider-profile/default", test_default_profile);
  g_test_add_func ("/provider-profile/offers", test_offers);
  g_test_add_func ("/provider-profile/dns-plan", test_dns_plan);
  g_test_add_func ("/provider-profile/record-copy", test_record_copy);
  g_test_add_func ("/provider-profile/other-provider", test_other_provider);
  g_test_add_func ("/provider-profile/broken", test_broken_profiles);

  return g_test_run ();
}
