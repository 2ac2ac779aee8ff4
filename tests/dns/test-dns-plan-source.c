/* test-dns-plan-source.c: a domain's record plan from the mailcow simulator, as the DNS task
 * and the domain move build it: the mail host name from the server's autoconfig (the address
 * signed in to when the autoconfig names none), and the domain's own DKIM record (or, for a
 * domain without one, a plan that only asks for some valid DKIM record). */
#include "config.h"

#include "hes-dns-plan-source.h"
#include "hes-mailcow-sim.h"

#define ADMIN      "kundeadmin"
#define ADMIN_PASS "Admin-456"

typedef struct {
  HesMailcowSim    *sim;
  HesMailcowClient *client;
} Fixture;

static void
on_done (GObject *source, GAsyncResult *result, gpointer slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
set_up (Fixture *f, gconstpointer data)
{
  const char *domains[] = { "kunde.example", "nodkim.example", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = NULL;

  f->sim = hes_mailcow_sim_new ();
  hes_mailcow_sim_set_hostname (f->sim, "mail.hosterra.test");
  hes_mailcow_sim_add_domain (f->sim, "kunde.example", "Kunde", TRUE);
  hes_mailcow_sim_add_domain (f->sim, "nodkim.example", "No DKIM", FALSE);
  hes_mailcow_sim_add_domain_admin (f->sim, ADMIN, ADMIN_PASS, domains);
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  url = hes_mailcow_sim_dup_url (f->sim);
  f->client = hes_mailcow_client_new (url, &error);
  g_assert_no_error (error);
  hes_mailcow_client_sign_in_async (f->client, HES_MAILCOW_ROLE_DOMAIN_ADMIN, ADMIN, ADMIN_PASS,
                                    NULL, on_done, &result);
  g_assert_cmpint (hes_mailcow_client_sign_in_finish (f->client, wait_for (&result), &error), ==,
                   HES_SIGN_IN_DONE);
  g_assert_no_error (error);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
}

static char *
get_mail_host (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *host;

  hes_dns_plan_source_get_mail_host_async (f->client, NULL, on_done, &result);
  host = hes_dns_plan_source_get_mail_host_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return host;
}

static HesDnsRecordPlan *
load (Fixture *f, const char *domain, gboolean *has_dkim, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hes_dns_plan_source_load_async (f->client, domain, "mail.hosterra.test", NULL, on_done,
                                  &result);
  return hes_dns_plan_source_load_finish (wait_for (&result), has_dkim, error);
}

static void
test_mail_host (Fixture *f, gconstpointer data)
{
  g_autofree char *host = get_mail_host (f);
  g_autofree char *fallback = NULL;

  g_assert_cmpstr (host, ==, "mail.hosterra.test");
  /* An address is no host name for an MX record: the address signed in to is used. */
  hes_mailcow_sim_set_hostname (f->sim, "192.0.2.25");
  fallback = get_mail_host (f);
  g_assert_cmpstr (fallback, ==, hes_mailcow_client_get_host (f->client));
}

static void
test_plan (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;
  g_autoptr(HesDnsRecordPlan) bare = NULL;
  gboolean has_dkim = FALSE;
  HesDnsPlannedRecord *dkim;

  plan = load (f, "kunde.example", &has_dkim, &error);
  g_assert_no_error (error);
  g_assert_true (has_dkim);
  g_assert_cmpstr (hes_dns_record_plan_get_domain (plan), ==, "kunde.example");
  g_assert_cmpstr (hes_dns_record_plan_find (plan, "mx")->target, ==, "mail.hosterra.test");
  /* The server's own key, as the record to publish. */
  dkim = hes_dns_record_plan_find (plan, "dkim");
  g_assert_nonnull (dkim->value);
  g_assert_nonnull (hes_dns_record_plan_get_dkim_key (plan));
  g_assert_nonnull (g_strstr_len (dkim->value, -1, hes_dns_record_plan_get_dkim_key (plan)));

  bare = load (f, "nodkim.example", &has_dkim, &error);
  g_assert_no_error (error);
  g_assert_false (has_dkim);
  g_assert_null (hes_dns_record_plan_find (bare, "dkim")->value);
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsRecordPlan) plan = NULL;

  /* A name that is no domain: the plan's own sentence. */
  plan = load (f, "not a domain!", NULL, &error);
  g_assert_null (plan);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* The server failing: the client's sentence, no plan. */
  hes_mailcow_sim_set_fault (f->sim, HES_SIM_FAULT_HTTP_500);
  plan = load (f, "kunde.example", NULL, &error);
  g_assert_null (plan);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dns/plan-source/mail-host", Fixture, NULL, set_up, test_mail_host, tear_down);
  g_test_add ("/dns/plan-source/plan", Fixture, NULL, set_up, test_plan, tear_down);
  g_test_add ("/dns/plan-source/errors", Fixture, NULL, set_up, test_errors, tear_down);
  return g_test_run ();
}
