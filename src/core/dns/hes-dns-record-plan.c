/* hes-dns-record-plan.c: the record plan from the provider profile */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-dkim.h"
#include "hes-dns-name.h"
#include "hes-dns-name-check.h"
#include "hes-dns-record-plan.h"

#define PROFILE_RESOURCE RESOURCE_PREFIX "/core/provider/hosterra.profile"

struct _HesDnsRecordPlan
{
  GObject    parent_instance;

  char      *domain;
  char      *mail_host;
  char      *dkim_selector;
  char      *dkim_key;
  guint32    default_ttl;
  GPtrArray *records;
};

G_DEFINE_FINAL_TYPE (HesDnsRecordPlan, hes_dns_record_plan, G_TYPE_OBJECT)

static void
planned_record_clear (HesDnsPlannedRecord *r)
{
  g_free (r->id);
  g_free (r->name);
  g_free (r->full_name);
  g_free (r->target);
  g_free (r->value);
  g_free (r->purpose);
}

HesDnsPlannedRecord *
hes_dns_planned_record_ref (HesDnsPlannedRecord *record)
{
  return g_atomic_rc_box_acquire (record);
}

void
hes_dns_planned_record_unref (HesDnsPlannedRecord *record)
{
  g_atomic_rc_box_release_full (record, (GDestroyNotify) planned_record_clear);
}

G_DEFINE_BOXED_TYPE (HesDnsPlannedRecord, hes_dns_planned_record,
                     hes_dns_planned_record_ref, hes_dns_planned_record_unref)

char *
hes_dns_planned_record_format_value (const HesDnsPlannedRecord *r)
{
  switch (r->type)
    {
    case HES_DNS_TYPE_MX:
      return g_strdup_printf ("%u %s", r->priority, r->target);
    case HES_DNS_TYPE_SRV:
      return g_strdup_printf ("%u %u %u %s", r->priority, r->weight, r->port, r->target);
    case HES_DNS_TYPE_TXT:
      return g_strdup (r->value ? r->value : "");
    default:
      return g_strdup (r->target ? r->target : (r->value ? r->value : ""));
    }
}

static const char *
purpose_for (const char *id,
             HesDnsType  type)
{
  static const struct { const char *id; const char *text; } purposes[] = {
    { "mx", N_("Delivers the email sent to your domain into your mailboxes.") },
    { "spf", N_("Tells other servers that your mail server may send email for your domain.") },
    { "dkim", N_("Lets receivers check that your email really comes from you and was not changed.") },
    { "dmarc", N_("Tells receivers what to do with email that fails these checks (recommended).") },
    { "autoconfig", N_("Lets Thunderbird and other mail apps set up your account by themselves.") },
    { "autodiscover", N_("Lets Outlook and other mail apps set up your account by themselves.") },
    { "srv-autodiscover", N_("Tells Outlook where to find the automatic setup.") },
    { "srv-imaps", N_("Tells mail apps where to read your email (IMAP).") },
    { "srv-submissions", N_("Tells mail apps where to send your email from (SMTP).") },
    { "srv-caldavs", N_("Tells calendar apps where to find your calendars.") },
    { "srv-carddavs", N_("Tells contact apps where to find your address books.") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    if (g_str_equal (purposes[i].id, id))
      return _(purposes[i].text);
  if (type == HES_DNS_TYPE_SRV)
    return _("Tells apps which server offers this service.");
  return _("Needed by your mail server.");
}

static gboolean
parse_type (const char *text,
            HesDnsType *type)
{
  static const HesDnsType types[] = { HES_DNS_TYPE_MX, HES_DNS_TYPE_TXT, HES_DNS_TYPE_CNAME,
                                      HES_DNS_TYPE_SRV, HES_DNS_TYPE_A, HES_DNS_TYPE_AAAA };

  for (guint i = 0; text && i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (text, hes_dns_type_to_string (types[i])) == 0)
      {
        *type = types[i];
        return TRUE;
      }
  return FALSE;
}

static HesDnsRecordKind
parse_kind (const char *text)
{
  if (g_strcmp0 (text, "spf") == 0)
    return HES_DNS_RECORD_KIND_SPF;
  if (g_strcmp0 (text, "dkim") == 0)
    return HES_DNS_RECORD_KIND_DKIM;
  if (g_strcmp0 (text, "dmarc") == 0)
    return HES_DNS_RECORD_KIND_DMARC;
  return HES_DNS_RECORD_KIND_PLAIN;
}

static void
set_profile_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The list of DNS records of this provider is damaged; please reinstall the app."));
}

static HesDnsPlannedRecord *
load_record (HesDnsRecordPlan *self,
             GKeyFile         *kf,
             const char       *id,
             const char       *dkim_text,
             GError          **error)
{
  g_autofree char *group = g_strconcat ("DnsRecord ", id, NULL);
  g_autofree char *type_text = g_key_file_get_string (kf, group, "Type", NULL);
  g_autofree char *name = g_key_file_get_string (kf, group, "Name", NULL);
  g_autofree char *target = g_key_file_get_string (kf, group, "Target", NULL);
  g_autofree char *value = g_key_file_get_string (kf, group, "Value", NULL);
  g_autofree char *kind = g_key_file_get_string (kf, group, "Kind", NULL);
  g_autoptr(HesDnsPlannedRecord) r = g_atomic_rc_box_new0 (HesDnsPlannedRecord);
  g_autoptr(GString) relative = NULL;

  r->id = g_strdup (id);
  if (!parse_type (type_text, &r->type) || name == NULL)
    {
      set_profile_error (error);
      return NULL;
    }
  r->kind = parse_kind (kind);
  relative = g_string_new (name);
  g_string_replace (relative, "SELECTOR", self->dkim_selector, 0);
  r->name = g_ascii_strdown (relative->str, -1);
  r->full_name = g_str_equal (r->name, "@") ? g_strdup (self->domain)
                 : g_strconcat (r->name, ".", self->domain, NULL);
  /* "SELECTOR._domainkey." before a long domain may pass the DNS's 253 characters. */
  if (!hes_dns_name_is_zone_safe (r->full_name, TRUE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A record name would be longer than the DNS allows (253 characters); use a shorter domain or selector."));
      return NULL;
    }
  if (target != NULL)
    r->target = g_str_equal (target, "H") ? g_strdup (self->mail_host)
                : hes_dns_name_normalise (target);
  if (r->kind == HES_DNS_RECORD_KIND_DKIM)
    r->value = g_strdup (dkim_text);
  else
    r->value = g_steal_pointer (&value);
  r->priority = (guint16) g_key_file_get_integer (kf, group, "Priority", NULL);
  r->weight = (guint16) g_key_file_get_integer (kf, group, "Weight", NULL);
  r->port = (guint16) g_key_file_get_integer (kf, group, "Port", NULL);
  r->required = g_key_file_get_boolean (kf, group, "Required", NULL);
  r->ttl = self->default_ttl;
  r->purpose = g_strdup (purpose_for (id, r->type));
  if ((r->type != HES_DNS_TYPE_TXT && r->target == NULL) ||
      (r->type == HES_DNS_TYPE_SRV && r->port == 0))
    {
      set_profile_error (error);
      return NULL;
    }
  return g_steal_pointer (&r);
}

/* The DKIM record as it will be published: the server's text, or one built from the key. */
static char *
dkim_text_for (const char *dkim_record,
               const char *dkim_key)
{
  if (dkim_record != NULL && *dkim_record)
    return hes_dns_dkim_unquote (dkim_record);
  if (dkim_key != NULL && *dkim_key)
    return g_strdup_printf ("v=DKIM1; k=rsa; p=%s", dkim_key);
  return NULL;
}

static gboolean
set_names (HesDnsRecordPlan *self,
           const char       *domain,
           const char       *mail_host,
           const char       *dkim_selector,
           GError          **error)
{
  self->domain = hes_dns_name_check (domain, HES_DNS_NAME_USE_DOMAIN, error);
  if (self->domain == NULL)
    return FALSE;
  self->mail_host = hes_dns_name_check (mail_host, HES_DNS_NAME_USE_MAIL_HOST, error);
  if (self->mail_host == NULL)
    return FALSE;
  self->dkim_selector = hes_dns_name_check (dkim_selector ? dkim_selector : "dkim",
                                            HES_DNS_NAME_USE_SELECTOR, error);
  return self->dkim_selector != NULL;
}

HesDnsRecordPlan *
hes_dns_record_plan_new_from_keyfile (GKeyFile    *kf,
                                      const char  *domain,
                                      const char  *mail_host,
                                      const char  *dkim_selector,
                                      const char  *dkim_record,
                                      const char  *dkim_key,
                                      GError     **error)
{
  g_autoptr(HesDnsRecordPlan) self = g_object_new (HES_TYPE_DNS_RECORD_PLAN, NULL);
  g_auto(GStrv) ids = NULL;
  g_autofree char *dkim_text = dkim_text_for (dkim_record, dkim_key);
  GError *local = NULL;
  gint ttl;

  if (!set_names (self, domain, mail_host, dkim_selector, error))
    return NULL;
  if (dkim_text != NULL)
    {
      g_autoptr(HesDnsDkimRecord) parsed = hes_dns_dkim_parse (dkim_text, NULL);

      if (parsed == NULL || parsed->public_key == NULL || *parsed->public_key == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The DKIM key given is not valid; copy it again from your mail server."));
          return NULL;
        }
      self->dkim_key = g_strdup (parsed->public_key);
    }
  ttl = g_key_file_get_integer (kf, "DnsPlan", "DefaultTtl", &local);
  self->default_ttl = local == NULL && ttl > 0 ? (guint32) ttl : 3600;
  g_clear_error (&local);
  ids = g_key_file_get_string_list (kf, "DnsPlan", "Records", NULL, NULL);
  if (ids == NULL || ids[0] == NULL)
    {
      set_profile_error (error);
      return NULL;
    }
  for (guint i = 0; ids[i]; i++)
    {
      HesDnsPlannedRecord *r = load_record (self, kf, ids[i], dkim_text, error);

      if (r == NULL)
        return NULL;
      g_ptr_array_add (self->records, r);
    }
  return g_steal_pointer (&self);
}

HesDnsRecordPlan *
hes_dns_record_plan_new (const char  *domain,
                         const char  *mail_host,
                         const char  *dkim_selector,
                         const char  *dkim_record,
                         const char  *dkim_key,
                         GError     **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (PROFILE_RESOURCE, 0, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  if (bytes == NULL || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, NULL))
    {
      set_profile_error (error);
      return NULL;
    }
  return hes_dns_record_plan_new_from_keyfile (kf, domain, mail_host, dkim_selector,
                                               dkim_record, dkim_key, error);
}

static void
hes_dns_record_plan_finalize (GObject *object)
{
  HesDnsRecordPlan *self = HES_DNS_RECORD_PLAN (object);

  g_free (self->domain);
  g_free (self->mail_host);
  g_free (self->dkim_selector);
  g_free (self->dkim_key);
  g_ptr_array_unref (self->records);
  G_OBJECT_CLASS (hes_dns_record_plan_parent_class)->finalize (object);
}

static void
hes_dns_record_plan_class_init (HesDnsRecordPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hes_dns_record_plan_finalize;
}

static void
hes_dns_record_plan_init (HesDnsRecordPlan *self)
{
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) hes_dns_planned_record_unref);
}

const char *
hes_dns_record_plan_get_domain (HesDnsRecordPlan *self)
{
  return self->domain;
}

const char *
hes_dns_record_plan_get_mail_host (HesDnsRecordPlan *self)
{
  return self->mail_host;
}

const char *
hes_dns_record_plan_get_dkim_selector (HesDnsRecordPlan *self)
{
  return self->dkim_selector;
}

const char *
hes_dns_record_plan_get_dkim_key (HesDnsRecordPlan *self)
{
  return self->dkim_key;
}

guint32
hes_dns_record_plan_get_default_ttl (HesDnsRecordPlan *self)
{
  return self->default_ttl;
}

guint
hes_dns_record_plan_get_n_records (HesDnsRecordPlan *self)
{
  return self->records->len;
}

HesDnsPlannedRecord *
hes_dns_record_plan_get_record (HesDnsRecordPlan *self,
                                guint             index)
{
  g_return_val_if_fail (index < self->records->len, NULL);
  return g_ptr_array_index (self->records, index);
}

HesDnsPlannedRecord *
hes_dns_record_plan_find (HesDnsRecordPlan *self,
                          const char       *id)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      HesDnsPlannedRecord *r = g_ptr_array_index (self->records, i);

      if (g_str_equal (r->id, id))
        return r;
    }
  return NULL;
}
