/* hes-mailcow-factor.c: one factor of an account, as plain data (no network: the HTML reader
 * and its fuzz target use it without the client). */
#define G_LOG_DOMAIN "hes-mailcow-factors"

#include "config.h"

#include "hes-mailcow-factors.h"

G_DEFINE_QUARK (hes-mailcow-factors-error-quark, hes_mailcow_factors_error)

void
hes_mailcow_factor_free (HesMailcowFactor *factor)
{
  if (factor == NULL)
    return;
  g_free (factor->id);
  g_free (factor->name);
  g_free (factor);
}

HesMailcowFactor *
hes_mailcow_factor_copy (const HesMailcowFactor *factor)
{
  HesMailcowFactor *copy;

  g_return_val_if_fail (factor != NULL, NULL);

  copy = g_new0 (HesMailcowFactor, 1);
  copy->kind = factor->kind;
  copy->id = g_strdup (factor->id);
  copy->name = g_strdup (factor->name);
  return copy;
}
