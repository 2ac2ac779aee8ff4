/* hes-dns-context.c: the DNS task's shared state. */
#define G_LOG_DOMAIN "hes-dns-context"

#include "hes-dns-context.h"

struct _HesDnsContext
{
  GObject parent_instance;

  HesDnsRecordPlan *plan;
};

enum {
  PROP_0,
  PROP_PLAN,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HesDnsContext, hes_dns_context, G_TYPE_OBJECT)

static void
hes_dns_context_dispose (GObject *object)
{
  g_clear_object (&HES_DNS_CONTEXT (object)->plan);

  G_OBJECT_CLASS (hes_dns_context_parent_class)->dispose (object);
}

static void
hes_dns_context_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id) {
  case PROP_PLAN:
    g_value_set_object (value, HES_DNS_CONTEXT (object)->plan);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_dns_context_class_init (HesDnsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_dns_context_dispose;
  object_class->get_property = hes_dns_context_get_property;

  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL, HES_TYPE_DNS_RECORD_PLAN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hes_dns_context_init (HesDnsContext *self)
{
}

HesDnsContext *
hes_dns_context_new (void)
{
  return g_object_new (HES_TYPE_DNS_CONTEXT, NULL);
}

HesDnsRecordPlan *
hes_dns_context_get_plan (HesDnsContext *self)
{
  g_return_val_if_fail (HES_IS_DNS_CONTEXT (self), NULL);

  return self->plan;
}

void
hes_dns_context_set_plan (HesDnsContext    *self,
                          HesDnsRecordPlan *plan)
{
  g_return_if_fail (HES_IS_DNS_CONTEXT (self));

  if (g_set_object (&self->plan, plan))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}
