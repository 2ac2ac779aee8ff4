/* test-dns-record-plan.c: the plan from the provider profile, and its exports */
#include <gio/gio.h>
#include <string.h>

#include "hes-dns-export.h"
#include "hes-dns-record-plan.h"
#include "hes-test-keys.h"

static void
test_profile_plan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *record = g_strdup_printf ("v=DKIM1;k=rsa;t=s;s=email;p=%s", TEST_KEY_A2048);
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("Müller.Example.", "MAIL.hosterra.test.",
                                                              NULL, record, NULL, &error);
  HesDnsPlannedRecord *r;

  g_assert_no_error (error);
  g_assert_cmpstr (hes_dns_record_plan_get_domain (plan), ==, "xn--mller-kva.example");
  g_assert_cmpstr (hes_dns_record_plan_get_mail_host (plan), ==, "mail.hosterra.test");
  g_assert_cmpuint (hes_dns_record_plan_get_n_records (plan), ==, 11);
  g_assert_cmpstr (hes_dns_record_plan_get_dkim_key (plan), ==, TEST_KEY_A2048);

  r = hes_dns_record_plan_get_record (plan, 0);
  g_assert_cmpstr (r->id, ==, "mx");
  g_assert_cmpint (r->type, ==, HES_DNS_TYPE_MX);
  g_assert_cmpstr (r->name, ==, "@");
  g_assert_cmpstr (r->full_name, ==, "xn--mller-kva.example");
  g_assert_cmpuint (r->priority, ==, 10);
  g_assert_cmpstr (r->target, ==, "mail.hosterra.test");
  g_assert_true (r->required);
  g_assert_nonnull (r->purpose);

  r = hes_dns_record_plan_find (plan, "dkim");
  g_assert_cmpstr (r->full_name, ==, "dkim._domainkey.xn--mller-kva.example");
  g_assert_cmpstr (r->value, ==, record);
  g_assert_cmpint (r->kind, ==, HES_DNS_RECORD_KIND_DKIM);

  r = hes_dns_record_plan_find (plan, "dmarc");
  g_assert_false (r->required);
  g_assert_cmpstr (r->value, ==, "v=DMARC1; p=quarantine");

  r = hes_dns_record_plan_find (plan, "srv-submissions");
  g_assert_cmpstr (r->full_name, ==, "_submissions._tcp.xn--mller-kva.example");
  g_assert_cmpuint (r->port, ==, 465);
  g_assert_cmpuint (r->weight, ==, 1);
  {
    g_autofree char *v = hes_dns_planned_record_format_value (r);

    g_assert_cmpstr (v, ==, "0 1 465 mail.hosterra.test");
  }
}

static void
test_dkim_forms (void)
{
  g_autofree char *quoted = g_strdup_printf ("\"v=DKIM1;k=rsa;p=%.200s\" \"%s\"", TEST_KEY_A2048,
                                             &TEST_KEY_A2048[200]);
  g_autoptr(HesDnsRecordPlan) from_quoted = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test",
                                                                     "sel2024", quoted, NULL, NULL);
  g_autoptr(HesDnsRecordPlan) from_key = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test",
                                                                  NULL, NULL, TEST_KEY_B2048, NULL);
  g_autoptr(HesDnsRecordPlan) no_dkim = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test",
                                                                 NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) bad = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test",
                                                             NULL, "v=DKIM1; k=rsa", NULL, &error);

  g_assert_cmpstr (hes_dns_record_plan_get_dkim_key (from_quoted), ==, TEST_KEY_A2048);
  g_assert_cmpstr (hes_dns_record_plan_find (from_quoted, "dkim")->full_name, ==,
                   "sel2024._domainkey.kunde.example");
  g_assert_cmpstr (hes_dns_record_plan_get_dkim_key (from_key), ==, TEST_KEY_B2048);
  g_assert_true (g_str_has_prefix (hes_dns_record_plan_find (from_key, "dkim")->value, "v=DKIM1; k=rsa; p=MII"));
  g_assert_null (hes_dns_record_plan_get_dkim_key (no_dkim));
  g_assert_null (hes_dns_record_plan_find (no_dkim, "dkim")->value);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_invalid_names (void)
{
  const char *domains[] = { "", "kunde", "a..b", "kunde example", NULL };

  for (guint i = 0; domains[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new (domains[i], "mail.hosterra.test",
                                                                  NULL, NULL, NULL, &error);

      g_assert_null (plan);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_broken_profile (void)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;

  g_assert_true (g_key_file_load_from_data (kf, "[DnsPlan]\nRecords=mx;\n[DnsRecord mx]\nType=BOGUS\nName=@\n",
                                            -1, 0, NULL));
  plan = hes_dns_record_plan_new_from_keyfile (kf, "kunde.example", "mail.hosterra.test",
                                               NULL, NULL, NULL, &error);
  g_assert_null (plan);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_quote_txt (void)
{
  g_autofree char *long_value = g_strnfill (600, 'a');
  g_autofree char *quoted = hes_dns_export_quote_txt (long_value);
  g_autofree char *escaped = hes_dns_export_quote_txt ("a \"b\" \\c");
  g_auto(GStrv) parts = g_strsplit (quoted, " ", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_cmpuint (strlen (parts[0]), ==, 255 + 2);
  g_assert_cmpuint (strlen (parts[1]), ==, 255 + 2);
  g_assert_cmpuint (strlen (parts[2]), ==, 90 + 2);
  g_assert_cmpstr (escaped, ==, "\"a \\\"b\\\" \\\\c\"");
}

static void
test_exports (void)
{
  g_autoptr(HesDnsRecordPlan) plan = hes_dns_record_plan_new ("kunde.example", "mail.hosterra.test",
                                                              NULL, NULL, TEST_KEY_A2048, NULL);
  g_autofree char *zone = hes_dns_export_zone (plan);
  g_autofree char *csv = hes_dns_export_csv (plan);
  g_autofree char *text = hes_dns_export_text (plan);
  g_auto(GStrv) csv_lines = g_strsplit (csv, "\r\n", -1);

  g_assert_nonnull (strstr (zone, "$ORIGIN kunde.example.\n$TTL 3600\n"));
  g_assert_nonnull (strstr (zone, "@\t3600\tIN\tMX\t10 mail.hosterra.test.\n"));
  g_assert_nonnull (strstr (zone, "@\t3600\tIN\tTXT\t\"v=spf1 mx ~all\"\n"));
  g_assert_nonnull (strstr (zone, "_dmarc\t3600\tIN\tTXT\t\"v=DMARC1; p=quarantine\"\n"));
  g_assert_nonnull (strstr (zone, "autoconfig\t3600\tIN\tCNAME\tmail.hosterra.test.\n"));
  g_assert_nonnull (strstr (zone, "_imaps._tcp\t3600\tIN\tSRV\t0 1 993 mail.hosterra.test.\n"));
  /* The 2048-bit DKIM record is longer than 255 bytes: two strings. */
  g_assert_nonnull (strstr (zone, "dkim._domainkey\t3600\tIN\tTXT\t\"v=DKIM1; k=rsa; p=MII"));
  g_assert_nonnull (strstr (zone, "\" \""));

  g_assert_cmpuint (g_strv_length (csv_lines), ==, 13);  /* header, 11 rows, "" */
  g_assert_cmpstr (csv_lines[0], ==, "type,name,fqdn,value,priority,weight,port,ttl,required,purpose");
  g_assert_true (g_str_has_prefix (csv_lines[1], "MX,@,kunde.example,mail.hosterra.test,10,,,3600,yes,"));
  g_assert_true (g_str_has_prefix (csv_lines[4], "TXT,_dmarc,_dmarc.kunde.example,v=DMARC1; p=quarantine,,,,3600,no,"));
  g_assert_true (g_str_has_prefix (csv_lines[8], "SRV,_imaps._tcp,_imaps._tcp.kunde.example,mail.hosterra.test,0,1,993,3600,yes,"));

  g_assert_nonnull (strstr (text, "1. MX kunde.example\n   10 mail.hosterra.test\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/plan/profile", test_profile_plan);
  g_test_add_func ("/dns/plan/dkim-forms", test_dkim_forms);
  g_test_add_func ("/dns/plan/invalid-names", test_invalid_names);
  g_test_add_func ("/dns/plan/broken-profile", test_broken_profile);
  g_test_add_func ("/dns/export/quote-txt", test_quote_txt);
  g_test_add_func ("/dns/export/formats", test_exports);
  return g_test_run ();
}
