/* hes-dns-check-state.c: the lookups of one check */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include "hes-dns-check-state.h"
#include "hes-dns-name.h"

void
hes_dns_lookup_clear (HesDnsLookup *lookup)
{
  g_clear_pointer (&lookup->answer, hes_dns_answer_unref);
  g_clear_error (&lookup->error);
}

gboolean
hes_dns_lookup_usable (const HesDnsLookup *lookup)
{
  return lookup->answer != NULL && (lookup->answer->rcode == HES_DNS_RCODE_NOERROR ||
                                    lookup->answer->rcode == HES_DNS_RCODE_NXDOMAIN ||
                                    lookup->answer->rcode == HES_DNS_RCODE_UNKNOWN);
}

static void
target_free (HesDnsTargetLookups *t)
{
  hes_dns_lookup_clear (&t->a);
  hes_dns_lookup_clear (&t->aaaa);
  g_free (t);
}

static void
spf_slot_free (HesDnsSpfSlot *slot)
{
  hes_dns_spf_evaluation_free (slot->evaluation);
  g_free (slot);
}

HesDnsCheckState *
hes_dns_check_state_new (HesDnsRecordPlan *plan)
{
  HesDnsCheckState *state = g_new0 (HesDnsCheckState, 1);

  state->plan = g_object_ref (plan);
  state->n_records = hes_dns_record_plan_get_n_records (plan);
  state->local = g_new0 (HesDnsLookup, 2 * state->n_records);
  state->servers = g_ptr_array_new ();
  state->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) target_free);
  state->spf = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) spf_slot_free);
  state->spf_assumed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) spf_slot_free);
  return state;
}

void
hes_dns_check_state_free (HesDnsCheckState *state)
{
  for (guint i = 0; i < 2 * state->n_records; i++)
    hes_dns_lookup_clear (&state->local[i]);
  g_free (state->local);
  for (guint s = 0; s < state->servers->len; s++)
    {
      HesDnsServerLookups *server = g_ptr_array_index (state->servers, s);

      for (guint i = 0; i < 2 * state->n_records; i++)
        hes_dns_lookup_clear (&server->records[i]);
      g_free (server->records);
      g_free (server->address);
      g_free (server);
    }
  g_ptr_array_unref (state->servers);
  hes_dns_lookup_clear (&state->host[0]);
  hes_dns_lookup_clear (&state->host[1]);
  g_hash_table_unref (state->targets);
  g_hash_table_unref (state->spf);
  g_hash_table_unref (state->spf_assumed);
  g_object_unref (state->plan);
  g_free (state);
}

HesDnsServerLookups *
hes_dns_check_state_add_server (HesDnsCheckState *state,
                                const char       *address)
{
  HesDnsServerLookups *server = g_new0 (HesDnsServerLookups, 1);

  server->address = g_strdup (address);
  server->records = g_new0 (HesDnsLookup, 2 * state->n_records);
  g_ptr_array_add (state->servers, server);
  return server;
}

HesDnsLookup *
hes_dns_check_state_local (const HesDnsCheckState *state,
                           guint                   index)
{
  g_return_val_if_fail (index < state->n_records, NULL);
  return &state->local[2 * index];
}

HesDnsLookup *
hes_dns_check_state_at_server (const HesDnsCheckState *state,
                               guint                   server,
                               guint                   index)
{
  HesDnsServerLookups *s;

  g_return_val_if_fail (server < state->servers->len && index < state->n_records, NULL);
  s = g_ptr_array_index (state->servers, server);
  return &s->records[2 * index];
}

GStrv
hes_dns_check_state_host_addresses (const HesDnsCheckState *state)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint f = 0; f < 2; f++)
    for (guint i = 0; state->host[f].answer && i < state->host[f].answer->records->len; i++)
      {
        HesDnsRr *rr = g_ptr_array_index (state->host[f].answer->records, i);

        if (rr->address && (rr->type == HES_DNS_TYPE_A || rr->type == HES_DNS_TYPE_AAAA))
          g_strv_builder_add (builder, rr->address);
      }
  return g_strv_builder_end (builder);
}

HesDnsType
hes_dns_planned_record_query_type (const HesDnsPlannedRecord *r)
{
  /* An alias is asked for its address: the answer shows the CNAME as its first link and,
   * without one, the A/AAAA records that mailcow also accepts. */
  return r->type == HES_DNS_TYPE_CNAME ? HES_DNS_TYPE_A : r->type;
}

GStrv
hes_dns_answer_txt_texts (const HesDnsAnswer *answer,
                          const char         *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == HES_DNS_TYPE_TXT && hes_dns_name_equal (rr->name, name))
        g_strv_builder_add (builder, rr->text);
    }
  return g_strv_builder_end (builder);
}

char *
hes_dns_answer_single_spf (const HesDnsAnswer *answer,
                           const char         *name)
{
  g_auto(GStrv) texts = hes_dns_answer_txt_texts (answer, name);
  const char *policy = NULL;
  guint n = 0;

  for (guint i = 0; texts[i]; i++)
    if (hes_dns_spf_is_spf (texts[i]))
      policy = texts[i], n++;
  return n == 1 ? g_strdup (policy) : NULL;
}
