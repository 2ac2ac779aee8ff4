/* hes-provider-profile.h: everything the app knows about the host that is not mailcow itself.
 *
 * Read from a keyfile; Hosterra's is the resource HES_PROVIDER_PROFILE_RESOURCE.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HES_PROVIDER_PROFILE_RESOURCE "/help/hosterra/EmailSetup/core/provider/hosterra.profile"

/* One record of the DNS plan. In names and values, "@" is the customer's domain, "H" the
 * mail host name, "SELECTOR" the DKIM selector and "DKIM" the domain's DKIM record. */
typedef struct {
  char     *id;        /* "mx", "srv-imaps", … */
  char     *type;      /* "MX", "TXT", "CNAME", "SRV" */
  char     *name;      /* relative to the domain: "@", "_imaps._tcp", "SELECTOR._domainkey" */
  char     *value;     /* TXT value, or NULL */
  char     *target;    /* MX/CNAME/SRV target, or NULL */
  guint     priority;  /* MX and SRV */
  guint     weight;    /* SRV */
  guint     port;      /* SRV */
  char     *kind;      /* "spf", "dkim", "dmarc" for TXT records, or NULL */
  gboolean  required;
} HesProviderRecord;

#define HES_TYPE_PROVIDER_RECORD (hes_provider_record_get_type ())
GType              hes_provider_record_get_type (void) G_GNUC_CONST;
HesProviderRecord *hes_provider_record_copy     (const HesProviderRecord *record);
void               hes_provider_record_free     (HesProviderRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesProviderRecord, hes_provider_record_free)

#define HES_TYPE_PROVIDER_PROFILE (hes_provider_profile_get_type ())
G_DECLARE_FINAL_TYPE (HesProviderProfile, hes_provider_profile, HES, PROVIDER_PROFILE, GObject)

/* Hosterra's profile from the resource. A broken built-in profile is a packaging bug. */
HesProviderProfile *hes_provider_profile_new_default        (GError            **error);
HesProviderProfile *hes_provider_profile_new_from_data      (const char         *data,
                                                             gsize               length,
                                                             GError            **error);

const char         *hes_provider_profile_get_name           (HesProviderProfile *self);
const char         *hes_provider_profile_get_default_server (HesProviderProfile *self);
const char         *hes_provider_profile_get_help_url       (HesProviderProfile *self);
const char         *hes_provider_profile_get_support_url    (HesProviderProfile *self);
const char * const *hes_provider_profile_get_offers_needing_setup (HesProviderProfile *self);
const char * const *hes_provider_profile_get_offers_without_setup (HesProviderProfile *self);
/* TRUE when the offer named @offer ("SoloBox") needs DNS setup. */
gboolean            hes_provider_profile_offer_needs_setup  (HesProviderProfile *self,
                                                             const char         *offer);
guint               hes_provider_profile_get_minimum_sync_interval (HesProviderProfile *self);
guint               hes_provider_profile_get_default_sync_interval (HesProviderProfile *self);
const char         *hes_provider_profile_get_default_exclude       (HesProviderProfile *self);
guint               hes_provider_profile_get_keep_sync_jobs_hours  (HesProviderProfile *self);
guint               hes_provider_profile_get_default_ttl           (HesProviderProfile *self);
guint               hes_provider_profile_get_propagation_hours     (HesProviderProfile *self);
/* Element type HesProviderRecord, in the profile's order. Owned by @self. */
GPtrArray          *hes_provider_profile_get_dns_plan       (HesProviderProfile *self);

G_END_DECLS
