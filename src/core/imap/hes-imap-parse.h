/* hes-imap-parse.h: reading the few IMAP answers the connection test needs (RFC 3501).
 *
 * A "response" here is one logical line as received: literals stay inline, written as on the
 * wire ("{5}\r\nhello"), so that a mailbox name sent as a literal is read like any other string.
 */
#pragma once

#include <glib.h>

#include "hes-imap-error.h"

G_BEGIN_DECLS

typedef enum {
  HES_IMAP_TOKEN_ATOM,     /* INBOX, \Noselect, 42 */
  HES_IMAP_TOKEN_STRING,   /* "quoted" or a {n} literal, unescaped */
  HES_IMAP_TOKEN_NIL,
  HES_IMAP_TOKEN_OPEN,     /* ( */
  HES_IMAP_TOKEN_CLOSE,    /* ) */
} HesImapTokenKind;

typedef struct {
  HesImapTokenKind  kind;
  char             *value;  /* NULL for NIL and parentheses */
} HesImapToken;

/* An array of HesImapToken; NULL when the text is malformed. */
GPtrArray  *hes_imap_tokenize                (const char   *data,
                                              gsize         length);

/* "* LIST (\HasNoChildren) "/" INBOX": the raw (modified UTF-7) name, and whether the folder
 * can hold messages (no \Noselect nor \NonExistent). */
gboolean    hes_imap_parse_list              (const char   *data,
                                              gsize         length,
                                              char        **raw_name,
                                              gboolean     *selectable);

/* "* STATUS INBOX (MESSAGES 3 SIZE 1234)"; a value the server did not send is -1. */
gboolean    hes_imap_parse_status            (const char   *data,
                                              gsize         length,
                                              char        **raw_name,
                                              gint64       *messages,
                                              gint64       *size);

/* The capability list of "* CAPABILITY ..." or of a "[CAPABILITY ...]" response code, upper-
 * cased; NULL when @text holds neither. */
GStrv       hes_imap_parse_capabilities      (const char   *text);

/* The response code of a status text: "AUTHENTICATIONFAILED" for "[AUTHENTICATIONFAILED] ...",
 * upper-cased and without its arguments; NULL when there is none. */
char       *hes_imap_response_code           (const char   *text);

/* Modified UTF-7 mailbox name (RFC 3501 §5.1.3) to UTF-8; NULL when @raw is not valid. */
char       *hes_imap_mutf7_decode            (const char   *raw);

/* @text as an IMAP quoted string, with " and \ escaped. */
char       *hes_imap_quote                   (const char   *text);

/* What a refused login (the text of NO, or of BYE) means: AUTH_FAILED,
 * APP_PASSWORD_REQUIRED or IMAP_DISABLED, from the response code and the provider's wording. */
HesImapError hes_imap_classify_refusal       (const char   *text);

G_END_DECLS
