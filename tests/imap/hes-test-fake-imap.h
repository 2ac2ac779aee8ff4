/* hes-test-fake-imap.h: a scripted IMAP server on 127.0.0.1, to play what Dovecot never says
 * (providers' refusals, garbled answers, silence). Runs in GThreadedSocketService threads. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char *command;       /* start of the command after its tag ("LOGIN"); "*" for any */
  const char *reply;         /* CRLF-separated lines, each "{tag}" replaced by the tag */
  guint       continuations; /* first answer "+ " and read one more line, this many times */
  gboolean    close;         /* close the connection after the reply */
} HesFakeRule;

typedef struct _HesFakeImap HesFakeImap;

/* @certificate: NULL for a plain server, else TLS from the first byte. @greeting: the first
 * line (without CRLF), or NULL for a server that accepts and never says anything. @rules ends
 * with a rule whose command is NULL; they must outlive the server. */
HesFakeImap *hes_fake_imap_new          (GTlsCertificate   *certificate,
                                         const char        *greeting,
                                         const HesFakeRule *rules);
guint16      hes_fake_imap_get_port     (HesFakeImap       *self);
/* The commands received, without tags; literals and continuation lines inline as sent. */
GStrv        hes_fake_imap_get_commands (HesFakeImap       *self);
void         hes_fake_imap_free         (HesFakeImap       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HesFakeImap, hes_fake_imap_free)

G_END_DECLS
