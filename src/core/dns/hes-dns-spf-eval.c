/* hes-dns-spf-eval.c: SPF evaluation: fetching what a policy refers to (counting lookups and
 * void lookups through include/redirect) and check_host() for the mail host's addresses. */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <string.h>

#include "hes-dns-name.h"
#include "hes-dns-spf.h"

#define MAX_LOOKUPS 10
#define MAX_MX_TARGETS 10
#define MAX_DEPTH 10

/* ---- macros (§7) ------------------------------------------------------------------------ */

static char *
address_for_macro (GInetAddress *ip)
{
  const guint8 *bytes;
  GString *out;

  if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV4)
    return g_inet_address_to_string (ip);
  /* §7.3: IPv6 as dot-separated nibbles. */
  bytes = g_inet_address_to_bytes (ip);
  out = g_string_new (NULL);
  for (guint i = 0; i < 16; i++)
    g_string_append_printf (out, "%s%x.%x", i ? "." : "", bytes[i] >> 4, bytes[i] & 0xf);
  return g_string_free (out, FALSE);
}

static char *
macro_value (char          letter,
             const char   *domain,
             const char   *sender_domain,
             GInetAddress *ip)
{
  switch (g_ascii_tolower (letter))
    {
    case 's': return g_strconcat ("postmaster@", sender_domain, NULL);
    case 'l': return g_strdup ("postmaster");
    case 'o': return g_strdup (sender_domain);
    case 'd': return g_strdup (domain);
    case 'i': return ip ? address_for_macro (ip) : NULL;
    case 'v': return ip ? g_strdup (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV4
                                    ? "in-addr" : "ip6") : NULL;
    case 'h': return g_strdup (sender_domain);
    default: return g_strdup ("unknown");
    }
}

/* Expands @spec; NULL when it needs the address and @ip is NULL, or is invalid. */
static char *
expand (const char   *spec,
        const char   *domain,
        const char   *sender_domain,
        GInetAddress *ip)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *normal = NULL;

  for (const char *p = spec; *p; p++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GString) delims = g_string_new (NULL);
      g_auto(GStrv) parts = NULL;
      guint64 keep = 0;
      gboolean reverse = FALSE;
      char letter;
      guint n, first;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (*p == '%' || *p == '_' || *p == '-')
        {
          g_string_append (out, *p == '%' ? "%" : *p == '_' ? " " : "%20");
          continue;
        }
      if (*p != '{' || p[1] == '\0')
        return NULL;
      letter = p[1];
      p += 2;
      /* MIN() evaluates its arguments twice: step p outside it. */
      for (; g_ascii_isdigit (*p); p++)
        keep = MIN (keep * 10 + (guint64) (*p - '0'), 1000);
      if (*p == 'r' || *p == 'R')
        reverse = TRUE, p++;
      while (*p && *p != '}')
        g_string_append_c (delims, *p++);
      if (*p != '}')
        return NULL;
      value = macro_value (letter, domain, sender_domain, ip);
      if (value == NULL)
        return NULL;
      parts = g_strsplit_set (value, delims->len ? delims->str : ".", -1);
      n = g_strv_length (parts);
      if (reverse)
        for (guint i = 0; i < n / 2; i++)
          {
            char *t = parts[i];

            parts[i] = parts[n - 1 - i];
            parts[n - 1 - i] = t;
          }
      first = keep > 0 && keep < n ? n - (guint) keep : 0;
      for (guint i = first; i < n; i++)
        g_string_append_printf (out, "%s%s", i > first ? "." : "", parts[i]);
    }
  /* §4.8: an over-long result loses labels from the left. */
  while (out->len > 253 && strchr (out->str, '.'))
    g_string_erase (out, 0, strchr (out->str, '.') - out->str + 1);
  normal = hes_dns_name_normalise (out->str);
  return normal && *normal ? g_steal_pointer (&normal) : NULL;
}

static gboolean
spec_needs_ip (const char *spec)
{
  for (const char *p = spec; p && *p; p++)
    if (p[0] == '%' && p[1] == '{' && p[2] && strchr ("iIvVpP", p[2]))
      return TRUE;
  return FALSE;
}

/* ---- fetching --------------------------------------------------------------------------- */

typedef struct {
  HesDnsBackend *backend;
  char          *domain;
  char          *policy_text;
  GPtrArray     *ips;         /* GInetAddress */
  GHashTable    *cache;       /* "TYPE name" → HesDnsAnswer, or NULL when the lookup failed */
  GHashTable    *policies;    /* domain → HesDnsSpfPolicy (NULL value: none/invalid/several) */
  guint          pending;
  guint          n_lookups;
  guint          n_void;
  gboolean       loop;
  char          *assume_mx;   /* answer the domain's own MX with this host instead of asking */
} Eval;

static void
eval_free (Eval *e)
{
  g_object_unref (e->backend);
  g_free (e->domain);
  g_free (e->policy_text);
  g_free (e->assume_mx);
  g_ptr_array_unref (e->ips);
  g_hash_table_unref (e->cache);
  g_hash_table_unref (e->policies);
  g_free (e);
}

void
hes_dns_spf_evaluation_free (HesDnsSpfEvaluation *evaluation)
{
  if (evaluation == NULL)
    return;
  g_ptr_array_unref (evaluation->addresses);
  g_array_unref (evaluation->results);
  g_free (evaluation);
}

typedef enum {
  FOLLOW_NONE,
  FOLLOW_POLICY,    /* parse the TXT answer as an SPF policy and walk it */
  FOLLOW_MX,        /* fetch the addresses of each MX target */
} Follow;

typedef struct {
  GTask    *task;
  char     *key;
  char     *name;
  Follow    follow;
  guint     depth;
  gboolean  count_void;
} Fetch;

static void walk_policy (GTask *task, const char *domain, const HesDnsSpfPolicy *policy, guint depth);
static void fetch (GTask *task, const char *name, HesDnsType type, Follow follow, guint depth, gboolean count_void);

static void
maybe_done (GTask *task)
{
  Eval *e = g_task_get_task_data (task);

  if (e->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

static void
follow_policy (GTask        *task,
               const char   *name,
               HesDnsAnswer *answer,
               guint         depth)
{
  Eval *e = g_task_get_task_data (task);
  HesDnsSpfPolicy *policy = NULL;
  const char *text = NULL;
  guint n = 0;

  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);

      if (rr->type == HES_DNS_TYPE_TXT && hes_dns_spf_is_spf (rr->text))
        text = rr->text, n++;
    }
  if (n == 1)
    policy = hes_dns_spf_parse (text, NULL);
  if (g_hash_table_contains (e->policies, name))
    {
      /* Included twice: counted again (as check_host() would) but walked once. */
      hes_dns_spf_policy_free (policy);
      return;
    }
  g_hash_table_insert (e->policies, g_strdup (name), policy);
  if (policy)
    walk_policy (task, name, policy, depth);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *f = user_data;
  Eval *e = g_task_get_task_data (f->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HesDnsAnswer) answer = hes_dns_backend_query_finish (HES_DNS_BACKEND (source),
                                                                 result, &error);
  gboolean usable = answer && (answer->rcode == HES_DNS_RCODE_NOERROR ||
                               answer->rcode == HES_DNS_RCODE_NXDOMAIN ||
                               answer->rcode == HES_DNS_RCODE_UNKNOWN);

  e->pending--;
  g_hash_table_replace (e->cache, g_strdup (f->key),
                        usable ? hes_dns_answer_ref (answer) : NULL);
  if (usable && !g_task_had_error (f->task) && !g_cancellable_is_cancelled (g_task_get_cancellable (f->task)))
    {
      gboolean negative = answer->rcode == HES_DNS_RCODE_NXDOMAIN || answer->records->len == 0;

      if (f->count_void && negative)
        e->n_void++;
      if (f->follow == FOLLOW_POLICY)
        follow_policy (f->task, f->name, answer, f->depth + 1);
      else if (f->follow == FOLLOW_MX)
        {
          g_autoptr(GPtrArray) mx = hes_dns_answer_filter (answer, HES_DNS_TYPE_MX);

          for (guint i = 0; i < mx->len && i < MAX_MX_TARGETS; i++)
            {
              HesDnsRr *rr = g_ptr_array_index (mx, i);

              if (rr->target && *rr->target)
                {
                  fetch (f->task, rr->target, HES_DNS_TYPE_A, FOLLOW_NONE, f->depth, FALSE);
                  fetch (f->task, rr->target, HES_DNS_TYPE_AAAA, FOLLOW_NONE, f->depth, FALSE);
                }
            }
        }
    }
  maybe_done (f->task);
  g_object_unref (f->task);
  g_free (f->key);
  g_free (f->name);
  g_free (f);
}

static char *
cache_key (const char *name,
           HesDnsType  type)
{
  return g_strdup_printf ("%s %s", hes_dns_type_to_string (type), name);
}

static void
fetch (GTask      *task,
       const char *name,
       HesDnsType  type,
       Follow      follow,
       guint       depth,
       gboolean    count_void)
{
  Eval *e = g_task_get_task_data (task);
  g_autofree char *key = cache_key (name, type);
  Fetch *f;

  /* Asked already (or being asked): the first answer walks what it points to. */
  if (g_hash_table_contains (e->cache, key))
    return;
  if (type == HES_DNS_TYPE_MX && e->assume_mx && g_str_equal (name, e->domain))
    {
      HesDnsAnswer *answer = hes_dns_answer_new (HES_DNS_RCODE_NOERROR, FALSE);
      HesDnsRr *rr = hes_dns_rr_new (name, HES_DNS_TYPE_MX, 0);

      rr->priority = 10;
      rr->target = g_strdup (e->assume_mx);
      g_ptr_array_add (answer->records, rr);
      g_hash_table_insert (e->cache, g_strdup (key), answer);
      fetch (task, e->assume_mx, HES_DNS_TYPE_A, FOLLOW_NONE, depth, FALSE);
      fetch (task, e->assume_mx, HES_DNS_TYPE_AAAA, FOLLOW_NONE, depth, FALSE);
      return;
    }
  g_hash_table_insert (e->cache, g_strdup (key), NULL);
  f = g_new0 (Fetch, 1);
  f->task = g_object_ref (task);
  f->key = g_steal_pointer (&key);
  f->name = g_strdup (name);
  f->follow = follow;
  f->depth = depth;
  f->count_void = count_void;
  e->pending++;
  hes_dns_backend_query_async (e->backend, name, type, NULL, TRUE, g_task_get_cancellable (task),
                               on_fetched, f);
}

/* Every name a term queries, for each address when its macros need one. */
static GPtrArray *
term_names (Eval       *e,
            const char *domain,
            const char *spec)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  if (spec == NULL)
    {
      g_ptr_array_add (names, g_strdup (domain));
      return names;
    }
  if (!spec_needs_ip (spec))
    {
      char *name = expand (spec, domain, e->domain, NULL);

      if (name)
        g_ptr_array_add (names, name);
      return names;
    }
  for (guint i = 0; i < e->ips->len; i++)
    {
      char *name = expand (spec, domain, e->domain, g_ptr_array_index (e->ips, i));

      if (name)
        g_ptr_array_add (names, name);
    }
  return names;
}

static void
walk_term (GTask               *task,
           const char          *domain,
           const HesDnsSpfTerm *term,
           const char          *spec,
           gboolean             is_redirect,
           guint                depth)
{
  Eval *e = g_task_get_task_data (task);
  g_autoptr(GPtrArray) names = NULL;
  HesDnsSpfMechanism m = is_redirect ? HES_DNS_SPF_INCLUDE : term->mechanism;

  if (m == HES_DNS_SPF_ALL || m == HES_DNS_SPF_IP4 || m == HES_DNS_SPF_IP6)
    return;
  e->n_lookups++;
  /* Past the limit the result is permerror anyway: stop asking. */
  if (e->n_lookups > MAX_LOOKUPS || m == HES_DNS_SPF_PTR)
    return;
  names = term_names (e, domain, spec);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      switch (m)
        {
        case HES_DNS_SPF_INCLUDE:
          fetch (task, name, HES_DNS_TYPE_TXT, FOLLOW_POLICY, depth, TRUE);
          break;
        case HES_DNS_SPF_A:
          fetch (task, name, HES_DNS_TYPE_A, FOLLOW_NONE, depth, TRUE);
          fetch (task, name, HES_DNS_TYPE_AAAA, FOLLOW_NONE, depth, FALSE);
          break;
        case HES_DNS_SPF_MX:
          fetch (task, name, HES_DNS_TYPE_MX, FOLLOW_MX, depth, TRUE);
          break;
        case HES_DNS_SPF_EXISTS:
          fetch (task, name, HES_DNS_TYPE_A, FOLLOW_NONE, depth, FALSE);
          break;
        default:
          break;
        }
    }
}

static void
walk_policy (GTask                 *task,
             const char            *domain,
             const HesDnsSpfPolicy *policy,
             guint                  depth)
{
  Eval *e = g_task_get_task_data (task);

  if (depth > MAX_DEPTH)
    {
      e->loop = TRUE;
      return;
    }
  for (guint i = 0; i < policy->terms->len; i++)
    {
      HesDnsSpfTerm *term = g_ptr_array_index (policy->terms, i);

      walk_term (task, domain, term, term->domain, FALSE, depth);
    }
  if (policy->redirect && hes_dns_spf_policy_get_all (policy) == 0)
    walk_term (task, domain, NULL, policy->redirect, TRUE, depth);
}

/* ---- evaluation (§4.6, §5) -------------------------------------------------------------- */

static HesDnsSpfResult check_host (Eval *e, const char *domain, GInetAddress *ip, guint depth);

/* NULL and *failed when the lookup could not be done. */
static HesDnsAnswer *
cached (Eval       *e,
        const char *name,
        HesDnsType  type,
        gboolean   *failed)
{
  g_autofree char *key = cache_key (name, type);
  HesDnsAnswer *answer = g_hash_table_lookup (e->cache, key);

  if (answer == NULL)
    *failed = TRUE;
  return answer;
}

static gboolean
addresses_match (HesDnsAnswer        *answer,
                 GInetAddress        *ip,
                 const HesDnsSpfTerm *term)
{
  gboolean v4 = g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV4;
  int length = v4 ? (term && term->cidr4 >= 0 ? term->cidr4 : 32)
                  : (term && term->cidr6 >= 0 ? term->cidr6 : 128);

  for (guint i = 0; answer && i < answer->records->len; i++)
    {
      HesDnsRr *rr = g_ptr_array_index (answer->records, i);
      g_autoptr(GInetAddress) addr = NULL;
      g_autoptr(GInetAddressMask) mask = NULL;

      if (rr->address == NULL || rr->type != (v4 ? HES_DNS_TYPE_A : HES_DNS_TYPE_AAAA))
        continue;
      addr = g_inet_address_new_from_string (rr->address);
      mask = addr ? g_inet_address_mask_new (addr, (guint) length, NULL) : NULL;
      if (mask == NULL)
        {
          /* Host bits under the prefix: compare the prefix bytes by hand. */
          const guint8 *a = g_inet_address_to_bytes (addr), *b = g_inet_address_to_bytes (ip);
          gboolean same = TRUE;

          for (int bit = 0; addr && bit < length && same; bit++)
            same = ((a[bit / 8] ^ b[bit / 8]) & (0x80 >> (bit % 8))) == 0;
          if (addr && same)
            return TRUE;
          continue;
        }
      if (g_inet_address_mask_matches (mask, ip))
        return TRUE;
    }
  return FALSE;
}

/* 1 = match, 0 = no match, -1 = temperror, -2 = permerror */
static int
term_matches (Eval                *e,
              const char          *domain,
              const HesDnsSpfTerm *term,
              GInetAddress        *ip,
              guint                depth)
{
  gboolean v4 = g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV4;
  gboolean failed = FALSE;
  g_autofree char *name = NULL;

  switch (term->mechanism)
    {
    case HES_DNS_SPF_ALL:
      return 1;
    case HES_DNS_SPF_IP4:
    case HES_DNS_SPF_IP6:
      return g_inet_address_mask_matches (term->network, ip) ? 1 : 0;
    case HES_DNS_SPF_PTR:
      return 0;
    default:
      break;
    }
  name = term->domain ? expand (term->domain, domain, e->domain, ip) : g_strdup (domain);
  if (name == NULL)
    return -2;
  if (term->mechanism == HES_DNS_SPF_A)
    {
      HesDnsAnswer *a = cached (e, name, v4 ? HES_DNS_TYPE_A : HES_DNS_TYPE_AAAA, &failed);

      return failed ? -1 : addresses_match (a, ip, term);
    }
  if (term->mechanism == HES_DNS_SPF_EXISTS)
    {
      HesDnsAnswer *a = cached (e, name, HES_DNS_TYPE_A, &failed);

      return failed ? -1 : (a->records->len > 0);
    }
  if (term->mechanism == HES_DNS_SPF_MX)
    {
      HesDnsAnswer *mx = cached (e, name, HES_DNS_TYPE_MX, &failed);
      g_autoptr(GPtrArray) targets = NULL;

      if (failed)
        return -1;
      targets = hes_dns_answer_filter (mx, HES_DNS_TYPE_MX);
      for (guint i = 0; i < targets->len && i < MAX_MX_TARGETS; i++)
        {
          HesDnsRr *rr = g_ptr_array_index (targets, i);
          HesDnsAnswer *a;

          if (rr->target == NULL || *rr->target == '\0')
            continue;
          a = cached (e, rr->target, v4 ? HES_DNS_TYPE_A : HES_DNS_TYPE_AAAA, &failed);
          if (!failed && addresses_match (a, ip, term))
            return 1;
        }
      return failed ? -1 : 0;
    }
  /* include */
  switch (check_host (e, name, ip, depth + 1))
    {
    case HES_DNS_SPF_RESULT_PASS:
      return 1;
    case HES_DNS_SPF_RESULT_TEMPERROR:
      return -1;
    case HES_DNS_SPF_RESULT_PERMERROR:
    case HES_DNS_SPF_RESULT_NONE:
      return -2;
    default:
      return 0;
    }
}

static HesDnsSpfResult
qualifier_result (char q)
{
  switch (q)
    {
    case '-': return HES_DNS_SPF_RESULT_FAIL;
    case '~': return HES_DNS_SPF_RESULT_SOFTFAIL;
    case '?': return HES_DNS_SPF_RESULT_NEUTRAL;
    default: return HES_DNS_SPF_RESULT_PASS;
    }
}

static HesDnsSpfResult
check_host (Eval         *e,
            const char   *domain,
            GInetAddress *ip,
            guint         depth)
{
  const HesDnsSpfPolicy *policy;
  gboolean failed = FALSE;

  if (depth > MAX_DEPTH)
    return HES_DNS_SPF_RESULT_PERMERROR;
  if (!g_hash_table_contains (e->policies, domain))
    {
      /* Not fetched: either the lookup failed or the walk stopped at the limit. */
      g_autofree char *key = cache_key (domain, HES_DNS_TYPE_TXT);

      cached (e, domain, HES_DNS_TYPE_TXT, &failed);
      return failed && g_hash_table_contains (e->cache, key) ? HES_DNS_SPF_RESULT_TEMPERROR
                                                             : HES_DNS_SPF_RESULT_PERMERROR;
    }
  policy = g_hash_table_lookup (e->policies, domain);
  if (policy == NULL)
    return depth == 0 ? HES_DNS_SPF_RESULT_PERMERROR : HES_DNS_SPF_RESULT_NONE;
  for (guint i = 0; i < policy->terms->len; i++)
    {
      HesDnsSpfTerm *term = g_ptr_array_index (policy->terms, i);
      int m = term_matches (e, domain, term, ip, depth);

      if (m == -1)
        return HES_DNS_SPF_RESULT_TEMPERROR;
      if (m == -2)
        return HES_DNS_SPF_RESULT_PERMERROR;
      if (m == 1)
        return qualifier_result (term->qualifier);
    }
  if (policy->redirect)
    {
      g_autofree char *target = expand (policy->redirect, domain, e->domain, ip);
      HesDnsSpfResult r;

      if (target == NULL)
        return HES_DNS_SPF_RESULT_PERMERROR;
      r = check_host (e, target, ip, depth + 1);
      return r == HES_DNS_SPF_RESULT_NONE ? HES_DNS_SPF_RESULT_PERMERROR : r;
    }
  return HES_DNS_SPF_RESULT_NEUTRAL;
}

void
hes_dns_spf_evaluate_async (HesDnsBackend       *backend,
                            const char          *domain,
                            const char          *policy_text,
                            const char * const  *addresses,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  hes_dns_spf_evaluate_assuming_mx_async (backend, domain, policy_text, addresses, NULL,
                                          cancellable, callback, user_data);
}

void
hes_dns_spf_evaluate_assuming_mx_async (HesDnsBackend       *backend,
                                        const char          *domain,
                                        const char          *policy_text,
                                        const char * const  *addresses,
                                        const char          *mx_host,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);
  Eval *e = g_new0 (Eval, 1);
  HesDnsSpfPolicy *policy;

  g_task_set_source_tag (task, hes_dns_spf_evaluate_async);
  e->backend = g_object_ref (backend);
  e->domain = hes_dns_name_normalise (domain);
  if (e->domain == NULL)
    e->domain = g_strdup ("invalid");
  e->policy_text = g_strdup (policy_text);
  e->assume_mx = hes_dns_name_normalise (mx_host);
  e->ips = g_ptr_array_new_with_free_func (g_object_unref);
  e->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) hes_dns_answer_unref);
  e->policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) hes_dns_spf_policy_free);
  for (guint i = 0; addresses && addresses[i]; i++)
    {
      GInetAddress *ip = g_inet_address_new_from_string (addresses[i]);

      if (ip)
        g_ptr_array_add (e->ips, ip);
    }
  g_task_set_task_data (task, e, (GDestroyNotify) eval_free);
  policy = hes_dns_spf_parse (policy_text, NULL);
  g_hash_table_insert (e->policies, g_strdup (e->domain), policy);
  e->pending++;  /* hold the task open while the first level is walked */
  if (policy)
    walk_policy (task, e->domain, policy, 0);
  e->pending--;
  maybe_done (task);
}

HesDnsSpfEvaluation *
hes_dns_spf_evaluate_finish (GAsyncResult  *result,
                             GError       **error)
{
  Eval *e = g_task_get_task_data (G_TASK (result));
  HesDnsSpfEvaluation *ev;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  ev = g_new0 (HesDnsSpfEvaluation, 1);
  ev->n_lookups = e->n_lookups;
  ev->n_void = e->n_void;
  ev->loop = e->loop;
  ev->addresses = g_ptr_array_new_with_free_func (g_free);
  ev->results = g_array_new (FALSE, FALSE, sizeof (HesDnsSpfResult));
  for (guint i = 0; i < e->ips->len; i++)
    {
      HesDnsSpfResult r = check_host (e, e->domain, g_ptr_array_index (e->ips, i), 0);

      ev->failed = ev->failed || r == HES_DNS_SPF_RESULT_TEMPERROR;
      g_ptr_array_add (ev->addresses, g_inet_address_to_string (g_ptr_array_index (e->ips, i)));
      g_array_append_val (ev->results, r);
    }
  return ev;
}
