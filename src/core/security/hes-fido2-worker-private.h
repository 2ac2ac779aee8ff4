/* hes-fido2-worker-private.h: what the worker threads of HesFido2Session share. */
#pragma once

#include <fido.h>

#include "hes-fido2-session.h"

G_BEGIN_DECLS

/* Everything a worker thread needs, deep-copied so the caller may free its own data. */
typedef struct {
  char *path;
  HesWebauthnOptions *options;
  HesFido2Purpose purpose;
  GBytes *client_data;
  char *pin;
  char *new_pin;
} HesFido2Op;

/* @origin and @options may be NULL (PIN operations). The PINs are wiped by _free. */
HesFido2Op *_hes_fido2_op_new              (const char               *path,
                                            const char               *origin,
                                            const HesWebauthnOptions *options,
                                            HesFido2Purpose           purpose,
                                            const char               *pin);
void        _hes_fido2_op_free             (HesFido2Op               *op);

/* Runs @thread_func in a worker thread, @op (owned) as the task data, for @source's
 * asynchronous call @source_tag. */
void        _hes_fido2_run_in_thread       (gpointer                  source,
                                            gpointer                  source_tag,
                                            HesFido2Op               *op,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data,
                                            GTaskThreadFunc           thread_func);
/* In a worker thread: readies libfido2 and opens the key with one overall time budget. If it
 * cannot, returns NULL and has returned HES_FIDO2_ERROR_UNPLUGGED on @task. */
fido_dev_t *_hes_fido2_open_device         (GTask                    *task,
                                            const char               *path,
                                            guint                     timeout_ms);
void        _hes_fido2_close_device        (fido_dev_t               *dev);

typedef int (*HesFido2Call) (fido_dev_t *dev, gpointer what, const char *pin);
/* Runs @call; cancelling @cancellable meanwhile sends CTAPHID_CANCEL to the key. */
int         _hes_fido2_run_cancellable     (fido_dev_t               *dev,
                                            GCancellable             *cancellable,
                                            HesFido2Call              call,
                                            gpointer                  what,
                                            const char               *pin);
GError     *_hes_fido2_error_from_fido     (fido_dev_t               *dev,
                                            int                       r,
                                            gint64                    started,
                                            guint                     timeout_ms);
gboolean    _hes_fido2_uv_needed           (const HesFido2Op         *op);
gboolean    _hes_fido2_check_uv_possible   (fido_dev_t               *dev,
                                            const HesFido2Op         *op,
                                            GError                  **error);
GBytes     *_hes_fido2_bytes_or_null       (const unsigned char      *ptr,
                                            size_t                    len);

G_END_DECLS
