/* hes-session.c: the account the customer is signed in to. */
#define G_LOG_DOMAIN "hes-session"

#include "config.h"

#include "hes-session.h"

struct _HesSession
{
  GObject parent_instance;

  HesMailcowClient *client;
  HesProviderProfile *profile;
};

G_DEFINE_FINAL_TYPE (HesSession, hes_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
hes_session_dispose (GObject *object)
{
  HesSession *self = HES_SESSION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (hes_session_parent_class)->dispose (object);
}

static void
hes_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HesSession *self = HES_SESSION (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HesSession *self = HES_SESSION (object);

  switch (prop_id) {
  case PROP_CLIENT:
    hes_session_set_client (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hes_session_class_init (HesSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hes_session_dispose;
  object_class->get_property = hes_session_get_property;
  object_class->set_property = hes_session_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         HES_TYPE_MAILCOW_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hes_session_init (HesSession *self)
{
  g_autoptr(GError) error = NULL;

  /* The profile is built in: failing to read it is a packaging bug, not a customer's problem. */
  self->profile = hes_provider_profile_new_default (&error);
  if (self->profile == NULL)
    g_error ("The built-in provider profile is broken: %s", error->message);
}

HesSession *
hes_session_new (void)
{
  return g_object_new (HES_TYPE_SESSION, NULL);
}

HesMailcowClient *
hes_session_get_client (HesSession *self)
{
  g_return_val_if_fail (HES_IS_SESSION (self), NULL);

  return self->client;
}

void
hes_session_set_client (HesSession       *self,
                        HesMailcowClient *client)
{
  g_return_if_fail (HES_IS_SESSION (self));
  g_return_if_fail (client == NULL || HES_IS_MAILCOW_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

HesProviderProfile *
hes_session_get_profile (HesSession *self)
{
  g_return_val_if_fail (HES_IS_SESSION (self), NULL);

  return self->profile;
}
