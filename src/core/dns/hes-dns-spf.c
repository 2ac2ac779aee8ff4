/* hes-dns-spf.c: SPF parsing, evaluation and the merged policy */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-dns-name.h"
#include "hes-dns-spf.h"

#define MAX_LOOKUPS 10
#define MAX_VOID 2
#define MAX_MX_TARGETS 10
#define MAX_DEPTH 10

/* ---- parsing ---------------------------------------------------------------------------- */

static void
term_free (HesDnsSpfTerm *term)
{
  g_free (term->domain);
  g_clear_object (&term->network);
  g_free (term->text);
  g_free (term);
}

void
hes_dns_spf_policy_free (HesDnsSpfPolicy *policy)
{
  if (policy == NULL)
    return;
  g_ptr_array_unref (policy->terms);
  g_ptr_array_unref (policy->modifiers);
  g_free (policy->redirect);
  g_free (policy);
}

gboolean
hes_dns_spf_is_spf (const char *text)
{
  return text != NULL && g_ascii_strncasecmp (text, "v=spf1", 6) == 0 &&
         (text[6] == '\0' || text[6] == ' ');
}

/* RFC 7208 §7.1 macro-string syntax. */
static gboolean
valid_macro_string (const char *s)
{
  for (const char *p = s; *p; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        return FALSE;
      if (*p != '%')
        continue;
      p++;
      if (*p == '%' || *p == '_' || *p == '-')
        continue;
      if (*p != '{' || !strchr ("slodiphcrtvSLODIPHCRTV", p[1]) || p[1] == '\0')
        return FALSE;
      p += 2;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == 'r' || *p == 'R')
        p++;
      while (*p && strchr (".-+,/_=", *p))
        p++;
      if (*p != '}')
        return FALSE;
    }
  return TRUE;
}

static gboolean
valid_domain_spec (const char *s)
{
  return s != NULL && *s != '\0' && valid_macro_string (s);
}

static gboolean
parse_cidr (const char *text,
            int         max,
            int        *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

/* "domain/24//64", "/24", "//64" → domain (or NULL) and the two lengths. */
static gboolean
parse_dual_cidr (const char     *arg,
                 HesDnsSpfTerm  *term,
                 gboolean        allow_domain)
{
  const char *slash = strchr (arg, '/');
  g_autofree char *domain = slash ? g_strndup (arg, slash - arg) : g_strdup (arg);

  if (*domain != '\0')
    {
      if (!allow_domain || !valid_domain_spec (domain))
        return FALSE;
      term->domain = g_steal_pointer (&domain);
    }
  if (slash == NULL)
    return TRUE;
  if (slash[1] != '/')
    {
      g_autofree char *v4 = NULL;
      const char *dbl = strstr (slash + 1, "//");

      v4 = dbl ? g_strndup (slash + 1, dbl - slash - 1) : g_strdup (slash + 1);
      if (!parse_cidr (v4, 32, &term->cidr4))
        return FALSE;
      if (dbl == NULL)
        return TRUE;
      slash = dbl;
    }
  return parse_cidr (slash + 2, 128, &term->cidr6);
}

static gboolean
parse_network (const char     *arg,
               GSocketFamily   family,
               HesDnsSpfTerm  *term)
{
  g_autofree char *address = NULL;
  const char *slash = strchr (arg, '/');
  int max = family == G_SOCKET_FAMILY_IPV4 ? 32 : 128;
  int length = max;
  g_autoptr(GInetAddress) inet = NULL;

  address = slash ? g_strndup (arg, slash - arg) : g_strdup (arg);
  if (slash && !parse_cidr (slash + 1, max, &length))
    return FALSE;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL || g_inet_address_get_family (inet) != family)
    return FALSE;
  /* ip4 must be dotted quad: GLib also accepts it, but refuse an IPv4 in ip6 form. */
  if (family == G_SOCKET_FAMILY_IPV6 && strchr (address, ':') == NULL)
    return FALSE;
  term->network = g_inet_address_mask_new (inet, (guint) length, NULL);
  if (term->network == NULL)
    {
      /* Host bits set under the mask: RFC 7208 allows it, so clear them. */
      g_autoptr(GInetAddress) zero = NULL;
      const guint8 *bytes = g_inet_address_to_bytes (inet);
      guint8 masked[16];
      gsize size = g_inet_address_get_native_size (inet);

      for (gsize i = 0; i < size; i++)
        {
          int bits = CLAMP (length - (int) (i * 8), 0, 8);

          masked[i] = bytes[i] & (guint8) (0xff << (8 - bits));
        }
      zero = g_inet_address_new_from_bytes (masked, family);
      term->network = g_inet_address_mask_new (zero, (guint) length, NULL);
    }
  return term->network != NULL;
}

static HesDnsSpfTerm *
parse_directive (const char *word)
{
  static const struct { const char *name; HesDnsSpfMechanism mechanism; } names[] = {
    { "all", HES_DNS_SPF_ALL }, { "include", HES_DNS_SPF_INCLUDE }, { "a", HES_DNS_SPF_A },
    { "mx", HES_DNS_SPF_MX }, { "ptr", HES_DNS_SPF_PTR }, { "ip4", HES_DNS_SPF_IP4 },
    { "ip6", HES_DNS_SPF_IP6 }, { "exists", HES_DNS_SPF_EXISTS },
  };
  HesDnsSpfTerm *term = g_new0 (HesDnsSpfTerm, 1);
  const char *p = word;
  const char *arg = NULL;
  gsize name_len;
  gboolean ok = FALSE;

  term->cidr4 = term->cidr6 = -1;
  term->qualifier = '+';
  if (*p && strchr ("+-~?", *p))
    term->qualifier = *p++;
  name_len = strcspn (p, ":/");
  if (p[name_len] == ':')
    arg = p + name_len + 1;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i].name) != name_len || g_ascii_strncasecmp (p, names[i].name, name_len) != 0)
        continue;
      term->mechanism = names[i].mechanism;
      switch (term->mechanism)
        {
        case HES_DNS_SPF_ALL:
          ok = p[name_len] == '\0';
          break;
        case HES_DNS_SPF_INCLUDE:
        case HES_DNS_SPF_EXISTS:
          ok = arg && valid_domain_spec (arg);
          if (ok)
            term->domain = g_strdup (arg);
          break;
        case HES_DNS_SPF_PTR:
          ok = p[name_len] == '\0' || (arg && valid_domain_spec (arg));
          if (ok && arg)
            term->domain = g_strdup (arg);
          break;
        case HES_DNS_SPF_A:
        case HES_DNS_SPF_MX:
          ok = arg ? parse_dual_cidr (arg, term, TRUE)
                   : p[name_len] == '\0' || parse_dual_cidr (p + name_len, term, FALSE);
          break;
        case HES_DNS_SPF_IP4:
          ok = arg && parse_network (arg, G_SOCKET_FAMILY_IPV4, term);
          break;
        case HES_DNS_SPF_IP6:
          ok = arg && parse_network (arg, G_SOCKET_FAMILY_IPV6, term);
          break;
        default:
          break;
        }
      break;
    }
  if (!ok)
    {
      term_free (term);
      return NULL;
    }
  term->text = g_ascii_strdown (word, -1);
  return term;
}

static gboolean
is_modifier (const char *word,
             char      **name,
             char      **value)
{
  const char *eq = strchr (word, '=');

  if (eq == NULL || eq == word || !g_ascii_isalpha (word[0]))
    return FALSE;
  for (const char *p = word; p < eq; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("-_.", *p))
      return FALSE;
  *name = g_ascii_strdown (word, eq - word);
  *value = g_strdup (eq + 1);
  return TRUE;
}

static void
set_parse_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The SPF record is not written correctly."));
}

HesDnsSpfPolicy *
hes_dns_spf_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(HesDnsSpfPolicy) policy = g_new0 (HesDnsSpfPolicy, 1);
  g_auto(GStrv) words = NULL;
  gboolean seen_exp = FALSE;

  policy->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  policy->modifiers = g_ptr_array_new_with_free_func (g_free);
  if (!hes_dns_spf_is_spf (text) || !g_utf8_validate (text, -1, NULL))
    {
      set_parse_error (error);
      return NULL;
    }
  words = g_strsplit (text + 6, " ", -1);
  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      HesDnsSpfTerm *term;

      if (words[i][0] == '\0')
        continue;
      if ((term = parse_directive (words[i])) != NULL)
        {
          g_ptr_array_add (policy->terms, term);
          continue;
        }
      if (!is_modifier (words[i], &name, &value) || !valid_macro_string (value))
        goto bad;
      if (g_str_equal (name, "redirect"))
        {
          if (policy->redirect != NULL || !valid_domain_spec (value))
            goto bad;
          policy->redirect = g_steal_pointer (&value);
        }
      else
        {
          if (g_str_equal (name, "exp") && (seen_exp || !valid_domain_spec (value)))
            goto bad;
          seen_exp = seen_exp || g_str_equal (name, "exp");
          g_ptr_array_add (policy->modifiers, g_strdup (words[i]));
        }
    }
  return g_steal_pointer (&policy);

bad:
  set_parse_error (error);
  return NULL;
}

char
hes_dns_spf_policy_get_all (const HesDnsSpfPolicy *policy)
{
  for (guint i = 0; i < policy->terms->len; i++)
    {
      HesDnsSpfTerm *term = g_ptr_array_index (policy->terms, i);

      if (term->mechanism == HES_DNS_SPF_ALL)
        return term->qualifier;
    }
  return 0;
}

/* ---- merged proposal -------------------------------------------------------------------- */

static void
add_unique (GPtrArray  *words,
            const char *word)
{
  for (guint i = 0; i < words->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (words, i), word) == 0)
      return;
  g_ptr_array_add (words, g_strdup (word));
}

char *
hes_dns_spf_merge (const char * const *texts)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new ("v=spf1 mx");
  guint n_policies = 0;
  char all = '~';

  for (guint i = 0; texts && texts[i]; i++)
    n_policies += hes_dns_spf_is_spf (texts[i]);
  for (guint i = 0; texts && texts[i]; i++)
    {
      g_auto(GStrv) parts = NULL;

      if (!hes_dns_spf_is_spf (texts[i]))
        continue;
      parts = g_strsplit (texts[i] + 6, " ", -1);
      for (guint j = 0; parts[j]; j++)
        {
          HesDnsSpfTerm *term = parts[j][0] ? parse_directive (parts[j]) : NULL;
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (term != NULL)
            {
              if (term->mechanism == HES_DNS_SPF_ALL)
                all = term->qualifier == '-' ? '-' : all;
              else if (!(term->mechanism == HES_DNS_SPF_MX && term->domain == NULL &&
                         term->cidr4 < 0 && term->cidr6 < 0 && term->qualifier == '+'))
                add_unique (words, term->qualifier == '+' && term->text[0] == '+'
                                   ? term->text + 1 : term->text);
              term_free (term);
            }
          else if (parts[j][0] && is_modifier (parts[j], &name, &value) &&
                   g_str_equal (name, "redirect") && valid_domain_spec (value))
            {
              /* A lone policy keeps its redirect; merged ones cannot have two. */
              g_autofree char *inc = g_strconcat ("include:", value, NULL);

              add_unique (words, inc);
            }
        }
    }
  for (guint i = 0; i < words->len; i++)
    g_string_append_printf (out, " %s", (char *) g_ptr_array_index (words, i));
  g_string_append_printf (out, " %call", all);
  (void) n_policies;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

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

/* ---- verdict ---------------------------------------------------------------------------- */

HesDnsFinding *
hes_dns_spf_check (const char * const        *texts,
                   const HesDnsSpfEvaluation *ev,
                   const char                *suggested)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new ();
  g_autoptr(HesDnsFinding) finding = NULL;
  g_autoptr(HesDnsSpfPolicy) policy = NULL;
  g_autofree char *merged = NULL;
  gboolean authorised = TRUE;
  char all;

  for (guint i = 0; texts && texts[i]; i++)
    if (hes_dns_spf_is_spf (texts[i]))
      g_ptr_array_add (policies, (gpointer) texts[i]);
  g_ptr_array_add (policies, NULL);
  merged = hes_dns_spf_merge ((const char * const *) policies->pdata);

  if (policies->len == 1)
    return hes_dns_finding_new (HES_DNS_VERDICT_MISSING,
                                _("There is no SPF record yet, so other servers may reject your email."),
                                suggested);
  if (policies->len > 2)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("There are several SPF records, which makes all of them invalid: replace them with the single record shown."),
                                   merged);
  else if ((policy = hes_dns_spf_parse (policies->pdata[0], NULL)) == NULL)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The SPF record is not written correctly: replace it with the record shown."),
                                   merged);
  else if (ev != NULL && (ev->n_lookups > MAX_LOOKUPS || ev->loop))
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The SPF record needs more than 10 DNS lookups, so receivers reject it: remove include: entries you no longer use."),
                                   NULL);
  else if (ev != NULL && ev->n_void > MAX_VOID)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The SPF record refers to more than two names that do not exist, so receivers reject it: remove them."),
                                   NULL);
  else if (hes_dns_spf_policy_get_all (policy) == '+')
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The SPF record ends with +all, which lets anyone send email as your domain: use the record shown."),
                                   merged);
  else if (ev == NULL || ev->results->len == 0)
    finding = hes_dns_finding_new (HES_DNS_VERDICT_UNKNOWN,
                                   _("The SPF record could not be checked because your mail server's address could not be found; try again later."),
                                   NULL);
  else
    {
      gboolean failed = FALSE;

      for (guint i = 0; i < ev->results->len; i++)
        {
          HesDnsSpfResult r = g_array_index (ev->results, HesDnsSpfResult, i);

          failed = failed || r == HES_DNS_SPF_RESULT_TEMPERROR;
          authorised = authorised && r == HES_DNS_SPF_RESULT_PASS;
        }
      if (failed)
        finding = hes_dns_finding_new (HES_DNS_VERDICT_UNKNOWN,
                                       _("Some names in the SPF record could not be looked up; try again later."),
                                       NULL);
      else if (!authorised)
        finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                       _("The SPF record does not allow your mail server to send for your domain: replace it with the record shown, which keeps your other senders."),
                                       merged);
      else if ((all = hes_dns_spf_policy_get_all (policy)) == '?' || (all == 0 && !policy->redirect))
        {
          finding = hes_dns_finding_new (HES_DNS_VERDICT_OK,
                                         _("The SPF record works but does not tell receivers to distrust other senders; ending it with ~all is safer."),
                                         merged);
          finding->weak = TRUE;
        }
      else
        finding = hes_dns_finding_new (HES_DNS_VERDICT_OK, NULL, NULL);
    }
  for (guint i = 0; i + 1 < policies->len; i++)
    hes_dns_finding_add_found (finding, policies->pdata[i]);
  return g_steal_pointer (&finding);
}
