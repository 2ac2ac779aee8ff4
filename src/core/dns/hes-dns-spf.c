/* hes-dns-spf.c: SPF parsing, evaluation and the merged policy */
#define G_LOG_DOMAIN "hes-dns"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hes-dns-name.h"
#include "hes-dns-spf.h"

#define MAX_LOOKUPS 10
#define MAX_VOID 2

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
              else if (term->mechanism == HES_DNS_SPF_PTR)
                ;  /* slow and discouraged (RFC 7208 §5.5): the proposal leaves it out */
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

/* ---- verdict ---------------------------------------------------------------------------- */

static gboolean
all_results_pass (const HesDnsSpfEvaluation *ev)
{
  if (ev->results->len == 0)
    return FALSE;
  for (guint i = 0; i < ev->results->len; i++)
    if (g_array_index (ev->results, HesDnsSpfResult, i) != HES_DNS_SPF_RESULT_PASS)
      return FALSE;
  return TRUE;
}

static gboolean
policy_uses_ptr (const HesDnsSpfPolicy *policy)
{
  for (guint i = 0; i < policy->terms->len; i++)
    if (((HesDnsSpfTerm *) g_ptr_array_index (policy->terms, i))->mechanism == HES_DNS_SPF_PTR)
      return TRUE;
  return FALSE;
}

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
  else if (ev != NULL && ev->n_lookups > MAX_LOOKUPS && !ev->loop && all_results_pass (ev))
    /* Receivers stop at the eleventh lookup: a term that matches before it still passes. */
    finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                   _("The SPF record needs more than 10 DNS lookups: it still works for this mail server, which matches before the limit, but receivers reject it for your other senders: remove include: entries you no longer use."),
                                   NULL);
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
      else if (!authorised && policy_uses_ptr (policy))
        /* ptr may well allow the server, but it cannot be relied on (RFC 7208 §5.5). */
        finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                       _("The SPF record allows your mail server only through ptr, which is slow and discouraged (RFC 7208 §5.5) and which many receivers do not follow: use the record shown, which names your mail server directly."),
                                       merged);
      else if (!authorised)
        finding = hes_dns_finding_new (HES_DNS_VERDICT_WRONG,
                                       _("The SPF record does not allow your mail server to send for your domain: replace it with the record shown, which keeps your other senders."),
                                       merged);
      else if ((all = hes_dns_spf_policy_get_all (policy)) == '?' || (all == 0 && !policy->redirect))
        {
          finding = hes_dns_finding_new (HES_DNS_VERDICT_OK,
                                         all == '?'
                                         ? _("The SPF record works but ends with ?all, which tells receivers nothing about other senders: end it with ~all, as in the record shown.")
                                         : _("The SPF record works but has no “all” at its end, so receivers are told nothing about other senders: end it with ~all, as in the record shown."),
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
