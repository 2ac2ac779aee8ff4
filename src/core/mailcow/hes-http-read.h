/* hes-http-read.h: reading an HTTP answer with a size limit for its kind.
 *
 * Every answer the app reads (mailcow's pages and API, autoconfig files) goes through here,
 * so that no server can make the app hold more than the largest answer of that kind.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  HES_HTTP_ANSWER_PAGE,  /* a mailcow HTML page */
  HES_HTTP_ANSWER_JSON,  /* an /api/v1 answer */
  HES_HTTP_ANSWER_XML,   /* an autoconfig document */
} HesHttpAnswerKind;

/* The largest answer of @kind the app reads, in bytes. */
gsize       hes_http_answer_limit  (HesHttpAnswerKind kind);

/* A body read piece by piece that never grows past its limit. */
typedef struct _HesBoundedBody HesBoundedBody;

HesBoundedBody *hes_bounded_body_new    (gsize           limit);
/* FALSE once the body is over its limit: what was read is then wiped and dropped, and
 * every later append fails too. */
gboolean        hes_bounded_body_append (HesBoundedBody *body,
                                         const guint8   *data,
                                         gsize           length);
/* The whole body; @body is freed. */
GBytes         *hes_bounded_body_finish (HesBoundedBody *body);
void            hes_bounded_body_free   (HesBoundedBody *body);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesBoundedBody, hes_bounded_body_free)

/* Sends @message and reads its body within the limit of @kind: a Content-Length over the
 * limit fails before any byte of the body is read, a longer body fails as soon as it
 * passes the limit. Either way the error is HES_MAILCOW_ERROR_TOO_LARGE and nothing of the
 * body is kept. Other errors are libsoup's, GIO's or GTlsConnection's, unchanged. */
void        hes_http_read_async    (SoupSession         *session,
                                    SoupMessage         *message,
                                    HesHttpAnswerKind    kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GBytes     *hes_http_read_finish   (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
