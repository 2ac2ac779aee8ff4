/* hes-fido2-error.c: libfido2 result codes → one plain sentence each. */
#define G_LOG_DOMAIN "hes-fido2-error"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <fido.h>

#include "hes-fido2-error.h"

G_DEFINE_QUARK (hes-fido2-error-quark, hes_fido2_error)

static GError *
pin_invalid_error (int retries)
{
  if (retries < 0)
    return g_error_new_literal (HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID,
                                _("This PIN is wrong; please try again."));
  return g_error_new (HES_FIDO2_ERROR, HES_FIDO2_ERROR_PIN_INVALID,
                      /* Translators: %d is the number of PIN tries left before the key locks. */
                      g_dngettext (GETTEXT_PACKAGE, "This PIN is wrong; %d try is left before the key locks itself.",
                                   "This PIN is wrong; %d tries are left before the key locks itself.",
                                   (gulong) retries),
                      retries);
}

GError *
hes_fido2_error_new_from_fido (int fido_code,
                               int retries)
{
  HesFido2Error code;
  const char *message;

  switch (fido_code)
    {
    case FIDO_ERR_KEEPALIVE_CANCEL:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                  _("The operation was cancelled."));
    case FIDO_ERR_PIN_INVALID:
      return pin_invalid_error (retries);
    case FIDO_ERR_PIN_REQUIRED:
      code = HES_FIDO2_ERROR_PIN_REQUIRED;
      message = _("Enter the PIN of your security key to continue.");
      break;
    case FIDO_ERR_PIN_AUTH_BLOCKED:
      code = HES_FIDO2_ERROR_PIN_AUTH_BLOCKED;
      message = _("Too many wrong PINs in a row; unplug the security key, plug it in again and retry.");
      break;
    case FIDO_ERR_PIN_BLOCKED:
      code = HES_FIDO2_ERROR_PIN_BLOCKED;
      message = _("This security key is locked after too many wrong PINs and must be reset before it can be used again.");
      break;
    case FIDO_ERR_PIN_NOT_SET:
      code = HES_FIDO2_ERROR_PIN_NOT_SET;
      message = _("This security key has no PIN yet; set a PIN on it first, then try again.");
      break;
    case FIDO_ERR_PIN_POLICY_VIOLATION:
      code = HES_FIDO2_ERROR_PIN_POLICY;
      message = _("This PIN cannot be used: choose one of 4 to 63 characters.");
      break;
    case FIDO_ERR_CREDENTIAL_EXCLUDED:
      code = HES_FIDO2_ERROR_ALREADY_REGISTERED;
      message = _("This security key is already registered for your account.");
      break;
    case FIDO_ERR_NO_CREDENTIALS:
      code = HES_FIDO2_ERROR_NOT_REGISTERED;
      message = _("This security key is not registered for this account; try another key.");
      break;
    case FIDO_ERR_USER_ACTION_TIMEOUT:
    case FIDO_ERR_ACTION_TIMEOUT:
      code = HES_FIDO2_ERROR_TIMEOUT;
      message = _("The security key was not touched in time; please try again.");
      break;
    case FIDO_ERR_UNSUPPORTED_ALGORITHM:
    case FIDO_ERR_UNSUPPORTED_OPTION:
    case FIDO_ERR_UNSUPPORTED_EXTENSION:
    case FIDO_ERR_KEY_STORE_FULL:
      code = HES_FIDO2_ERROR_UNSUPPORTED;
      message = _("This security key cannot be used for this; try another key.");
      break;
    case FIDO_ERR_TX:
    case FIDO_ERR_RX:
    case FIDO_ERR_RX_NOT_CBOR:
    case FIDO_ERR_RX_INVALID_CBOR:
      code = HES_FIDO2_ERROR_UNPLUGGED;
      message = _("The security key stopped answering; check that it is plugged in and try again.");
      break;
    default:
      code = HES_FIDO2_ERROR_FAILED;
      message = _("The security key reported a problem; unplug it, plug it in again and retry.");
      break;
    }
  return g_error_new_literal (HES_FIDO2_ERROR, code, message);
}
