/* hes-mailcow-sim-demo.c: the demo server: two small businesses on mail.hosterra.test. */
#define G_LOG_DOMAIN "hes-mailcow-sim"

#include "hes-mailcow-sim-private.h"

#define DEMO_PASSWORD "Demo-2026!"

static const char demo_description[] =
  "Demo mailcow server (host name mail.hosterra.test)\n"
  "Password policy: at least 8 characters, with a number.\n"
  "\n"
  "Domains (each with a 2048-bit DKIM key, selector \"dkim\"):\n"
  "  boulangerie-martin.example  \"Boulangerie Martin\"  (10 mailboxes, 10 GiB)\n"
  "  atelier-durand.example      \"Atelier Durand\"      (5 mailboxes, 5 GiB)\n"
  "\n"
  "Domain administrator (page /domainadmin/), both domains:\n"
  "  demo-admin                          " DEMO_PASSWORD "\n"
  "\n"
  "Mailbox users (page /):\n"
  "  claire@boulangerie-martin.example   " DEMO_PASSWORD "   may manage sync jobs\n"
  "  paul@atelier-durand.example         " DEMO_PASSWORD "   may manage sync jobs\n"
  "  secure@boulangerie-martin.example   " DEMO_PASSWORD "   TOTP \"Phone\", secret JBSWY3DPEHPK3PXP\n"
  "  nouveau@atelier-durand.example      Bienvenue-1  must change the password at first sign-in\n"
  "  (also contact@ and commandes@boulangerie-martin.example, devis@atelier-durand.example)\n"
  "\n"
  "Sync jobs: the runner starts due jobs every 30 s. Source servers that fail:\n"
  "  imap.wrong-password.example  EXIT_AUTHENTICATION_FAILURE_USER1\n"
  "  imap.unreachable.example     EXIT_CONNECTION_FAILURE_HOST1\n"
  "  imap.tls-broken.example      EXIT_TLS_FAILURE\n"
  "  imap.stuck.example           stays \"running\"\n"
  "Any other source server succeeds.\n";

static void
add_mailbox (HesMailcowSim *self, const char *address, const char *name, const char *password,
             guint64 quota_mib, guint64 used_mib, guint messages)
{
  hes_mailcow_sim_add_mailbox (self, address, name, password);
  hes_mailcow_sim_set_mailbox_quota (self, address, quota_mib, used_mib * SIM_MIB, messages);
}

void
hes_mailcow_sim_load_demo (HesMailcowSim *self, char **out_description)
{
  static const char * const both[] = {
    "boulangerie-martin.example", "atelier-durand.example", NULL,
  };

  g_return_if_fail (HES_IS_MAILCOW_SIM (self));

  hes_mailcow_sim_set_hostname (self, "mail.hosterra.test");
  hes_mailcow_sim_set_password_policy (self, 8, FALSE, FALSE, FALSE, TRUE);

  hes_mailcow_sim_add_domain (self, both[0], "Boulangerie Martin", TRUE);
  hes_mailcow_sim_set_domain_limits (self, both[0], 10, 10240, 4096, 1024);
  hes_mailcow_sim_add_domain (self, both[1], "Atelier Durand", TRUE);
  hes_mailcow_sim_set_domain_limits (self, both[1], 5, 5120, 2048, 1024);
  /* Make the keys now rather than on the first look. */
  for (guint i = 0; both[i]; i++)
    sim_domain_dkim_pubkey (sim_find_domain (self, both[i]));

  hes_mailcow_sim_add_domain_admin (self, "demo-admin", DEMO_PASSWORD, both);

  add_mailbox (self, "contact@boulangerie-martin.example", "Boulangerie Martin", DEMO_PASSWORD,
               2048, 312, 1840);
  add_mailbox (self, "claire@boulangerie-martin.example", "Claire Martin", DEMO_PASSWORD,
               2048, 845, 5210);
  add_mailbox (self, "commandes@boulangerie-martin.example", "Commandes", DEMO_PASSWORD,
               1024, 96, 402);
  add_mailbox (self, "secure@boulangerie-martin.example", "Compte protégé", DEMO_PASSWORD,
               1024, 12, 37);
  add_mailbox (self, "paul@atelier-durand.example", "Paul Durand", DEMO_PASSWORD,
               2048, 1270, 8934);
  add_mailbox (self, "devis@atelier-durand.example", "Devis", DEMO_PASSWORD, 1024, 40, 118);
  add_mailbox (self, "nouveau@atelier-durand.example", "Nouveau collègue", "Bienvenue-1",
               1024, 0, 0);

  hes_mailcow_sim_set_syncjobs_acl (self, "claire@boulangerie-martin.example", TRUE);
  hes_mailcow_sim_set_syncjobs_acl (self, "paul@atelier-durand.example", TRUE);
  hes_mailcow_sim_add_totp (self, "secure@boulangerie-martin.example", "Phone",
                            "JBSWY3DPEHPK3PXP");
  hes_mailcow_sim_set_force_password_update (self, "nouveau@atelier-durand.example", TRUE);

  hes_mailcow_sim_set_syncjob_host_outcome (self, "imap.wrong-password.example",
                                            "EXIT_AUTHENTICATION_FAILURE_USER1");
  hes_mailcow_sim_set_syncjob_host_outcome (self, "imap.unreachable.example",
                                            "EXIT_CONNECTION_FAILURE_HOST1");
  hes_mailcow_sim_set_syncjob_host_outcome (self, "imap.tls-broken.example", "EXIT_TLS_FAILURE");
  hes_mailcow_sim_set_syncjob_host_outcome (self, "imap.stuck.example", "RUNNING");

  if (out_description)
    *out_description = g_strdup (demo_description);
}
