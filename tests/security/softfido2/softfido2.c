/* softfido2.c: CTAPHID framing, the simulated touch, and the registry of plugged keys. */
#define G_LOG_DOMAIN "softfido2"

#include <string.h>
#include <gnutls/crypto.h>

#include "softfido2-private.h"

#define FRAME_LEN 64
#define INIT_DATA 57
#define CONT_DATA 59
#define CID_BROADCAST 0xffffffffu
#define HID_PING 0x81
#define HID_MSG 0x83
#define HID_INIT 0x86
#define HID_WINK 0x88
#define HID_CBOR 0x90
#define HID_CANCEL 0x91
#define HID_KEEPALIVE 0xbb
#define HID_ERROR 0xbf
#define KEEPALIVE_UPNEEDED 2
#define KEEPALIVE_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
#define CAPABILITIES 0x0d  /* WINK | CBOR | NMSG: no U2F */

static GMutex registry_lock;
static GPtrArray *registry;  /* SoftFido2, plugged or not */

typedef struct {
  SoftFido2 *key;
} Handle;

/* ---- the registry ------------------------------------------------------------------------ */

SoftFido2 *
softfido2_new (const char *name)
{
  SoftFido2 *self = g_new0 (SoftFido2, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->path = g_strconcat (SOFTFIDO2_PATH_PREFIX, name, NULL);
  self->touch_delay_ms = 100;
  self->up_timeout_ms = 30000;
  self->plugged = TRUE;
  self->pin_retries = SOFTFIDO2_PIN_RETRIES;
  self->residents = g_ptr_array_new_with_free_func ((GDestroyNotify) softfido2_resident_free);
  self->rx_buf = g_byte_array_new ();
  self->next_cid = 0x01000000u + g_random_int_range (1, 0xffff);
  /* The counter starts from the clock, so it keeps rising across runs like a real key's. */
  self->counter = (guint32) (g_get_real_time () / G_USEC_PER_SEC);
  gnutls_rnd (GNUTLS_RND_KEY, self->seed, sizeof self->seed);
  gnutls_rnd (GNUTLS_RND_KEY, self->pin_token, sizeof self->pin_token);
  memcpy (self->aaguid, "softfido2-test!!", 16);
  self->key_agreement = softfido2_p256_generate ();
  g_queue_init (&self->tx_frames);
  g_queue_init (&self->next_assertions);

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_ptr_array_new ();
  g_ptr_array_add (registry, self);
  g_mutex_unlock (&registry_lock);
  return self;
}

static void
clear_pending (SoftFido2 *self)
{
  self->pending = FALSE;
  g_clear_pointer (&self->pending_body, g_byte_array_unref);
}

void
softfido2_free (SoftFido2 *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&registry_lock);
  g_ptr_array_remove (registry, self);
  g_mutex_unlock (&registry_lock);

  clear_pending (self);
  g_queue_clear_full (&self->tx_frames, g_free);
  g_queue_clear_full (&self->next_assertions, (GDestroyNotify) g_byte_array_unref);
  g_byte_array_unref (self->rx_buf);
  g_ptr_array_unref (self->residents);
  gnutls_privkey_deinit (self->key_agreement);
  if (self->batch_key != NULL)
    gnutls_privkey_deinit (self->batch_key);
  g_clear_pointer (&self->batch_cert, g_bytes_unref);
  g_clear_pointer (&self->root_cert, g_bytes_unref);
  if (self->pin != NULL)
    gnutls_memset (self->pin, 0, strlen (self->pin));
  g_free (self->pin);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

void
softfido2_foreach_plugged (void   (*func) (SoftFido2 *key, gpointer data),
                           gpointer data)
{
  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      SoftFido2 *key = registry->pdata[i];
      if (key->plugged)
        func (key, data);
    }
  g_mutex_unlock (&registry_lock);
}

static SoftFido2 *
lookup (const char *path)
{
  SoftFido2 *found = NULL;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len && found == NULL; i++)
    {
      SoftFido2 *key = registry->pdata[i];
      if (key->plugged && g_str_equal (key->path, path))
        found = key;
    }
  g_mutex_unlock (&registry_lock);
  return found;
}

/* ---- knobs ---------------------------------------------------------------------------------- */

const char *
softfido2_get_path (SoftFido2 *self)
{
  return self->path;
}

#define LOCKED(stmt) G_STMT_START { g_mutex_lock (&self->lock); stmt; g_cond_broadcast (&self->cond); g_mutex_unlock (&self->lock); } G_STMT_END

void softfido2_set_touch_delay (SoftFido2 *self, int ms) { LOCKED (self->touch_delay_ms = ms); }
void softfido2_set_up_timeout (SoftFido2 *self, int ms) { LOCKED (self->up_timeout_ms = ms); }

void
softfido2_set_plugged (SoftFido2 *self,
                       gboolean   plugged)
{
  g_mutex_lock (&self->lock);
  if (plugged && !self->plugged)
    {
      /* Plugging in again is a power cycle: the key forgets everything volatile. */
      self->pin_failures_in_a_row = 0;
      gnutls_privkey_deinit (self->key_agreement);
      self->key_agreement = softfido2_p256_generate ();
      gnutls_rnd (GNUTLS_RND_KEY, self->pin_token, sizeof self->pin_token);
      clear_pending (self);
      g_queue_clear_full (&self->tx_frames, g_free);
      g_queue_clear_full (&self->next_assertions, (GDestroyNotify) g_byte_array_unref);
      g_byte_array_set_size (self->rx_buf, 0);
      self->rx_expected = 0;
    }
  self->plugged = plugged;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}
void softfido2_set_tamper (SoftFido2 *self, SoftFido2Tamper tamper) { LOCKED (self->tamper = tamper); }
void softfido2_set_seed (SoftFido2 *self, const guint8 *seed) { LOCKED (memcpy (self->seed, seed, 32)); }

void
softfido2_set_batch_attestation (SoftFido2 *self,
                                 gboolean   batch)
{
  g_mutex_lock (&self->lock);
  if (batch && self->batch_key == NULL && !softfido2_make_batch_attestation (self))
    g_error ("softfido2: cannot make the attestation certificates");
  self->batch = batch;
  g_mutex_unlock (&self->lock);
}

GBytes *
softfido2_get_root_certificate (SoftFido2 *self)
{
  GBytes *root;

  g_mutex_lock (&self->lock);
  root = self->root_cert != NULL ? g_bytes_ref (self->root_cert) : NULL;
  g_mutex_unlock (&self->lock);
  return root;
}

void
softfido2_set_pin (SoftFido2  *self,
                   const char *pin)
{
  g_mutex_lock (&self->lock);
  if (self->pin != NULL)
    gnutls_memset (self->pin, 0, strlen (self->pin));
  g_free (self->pin);
  self->pin = g_strdup (pin);
  self->pin_retries = SOFTFIDO2_PIN_RETRIES;
  self->pin_failures_in_a_row = 0;
  g_mutex_unlock (&self->lock);
}

#define GETTER(type, name, expr) \
  type softfido2_##name (SoftFido2 *self) { type v; g_mutex_lock (&self->lock); v = (expr); g_mutex_unlock (&self->lock); return v; }

GETTER (gboolean, has_pin, self->pin != NULL)
GETTER (guint, get_pin_retries, self->pin_retries)
GETTER (guint, count_resident, self->residents->len)
GETTER (guint, get_touch_count, self->touch_count)

/* ---- CTAPHID output --------------------------------------------------------------------- */

static void
queue_message (SoftFido2    *self,
               guint32       cid,
               guint8        cmd,
               const guint8 *data,
               gsize         len)
{
  gsize sent = 0;
  guint8 seq = 0;
  guint8 *frame = g_malloc0 (FRAME_LEN);

  memcpy (frame, &cid, 4);
  frame[4] = cmd;
  frame[5] = (len >> 8) & 0xff;
  frame[6] = len & 0xff;
  sent = MIN (len, INIT_DATA);
  if (sent > 0)
    memcpy (frame + 7, data, sent);
  g_queue_push_tail (&self->tx_frames, frame);
  while (sent < len)
    {
      gsize n = MIN (len - sent, CONT_DATA);

      frame = g_malloc0 (FRAME_LEN);
      memcpy (frame, &cid, 4);
      frame[4] = seq++;
      memcpy (frame + 5, data + sent, n);
      g_queue_push_tail (&self->tx_frames, frame);
      sent += n;
    }
}

static void
queue_cbor_reply (SoftFido2  *self,
                  guint32     cid,
                  guint8      status,
                  GByteArray *body)
{
  g_autoptr(GByteArray) msg = g_byte_array_new ();

  g_byte_array_append (msg, &status, 1);
  if (status == CTAP2_OK && body != NULL)
    g_byte_array_append (msg, body->data, body->len);
  queue_message (self, cid, HID_CBOR, msg->data, msg->len);
}

static void
queue_error (SoftFido2 *self,
             guint32    cid,
             guint8     code)
{
  queue_message (self, cid, HID_ERROR, &code, 1);
}

/* ---- CTAPHID input ---------------------------------------------------------------------- */

static void
process_cbor (SoftFido2    *self,
              guint32       cid,
              const guint8 *data,
              gsize         len)
{
  SoftFido2Reply reply;

  if (len < 1)
    {
      queue_error (self, cid, CTAP1_ERR_INVALID_LENGTH);
      return;
    }
  reply = softfido2_ctap_dispatch (self, data[0], data + 1, len - 1);
  if (!reply.needs_touch)
    {
      queue_cbor_reply (self, cid, reply.status, reply.body);
      g_clear_pointer (&reply.body, g_byte_array_unref);
      return;
    }
  /* Hold the answer back until the simulated touch (or a cancel, or the key's own timeout). */
  clear_pending (self);
  self->pending = TRUE;
  self->pending_cid = cid;
  self->pending_status = reply.status;
  self->pending_body = reply.body;
  self->pending_touch_at = self->touch_delay_ms < 0 ? G_MAXINT64 :
    g_get_monotonic_time () + self->touch_delay_ms * G_TIME_SPAN_MILLISECOND;
  self->pending_give_up_at = g_get_monotonic_time () + self->up_timeout_ms * G_TIME_SPAN_MILLISECOND;
  self->last_keepalive = 0;
}

static void
process_message (SoftFido2 *self)
{
  guint32 cid = self->rx_cid;
  const guint8 *data = self->rx_buf->data;
  gsize len = self->rx_buf->len;

  switch (self->rx_cmd)
    {
    case HID_INIT:
      {
        guint8 answer[17];
        guint32 new_cid = self->next_cid++;

        if (len != 8)
          {
            queue_error (self, cid, CTAP1_ERR_INVALID_LENGTH);
            break;
          }
        memcpy (answer, data, 8);
        memcpy (answer + 8, &new_cid, 4);
        answer[12] = 2;     /* CTAPHID protocol version */
        answer[13] = 1;     /* device version 1.0.0 */
        answer[14] = 0;
        answer[15] = 0;
        answer[16] = CAPABILITIES;
        queue_message (self, cid, HID_INIT, answer, sizeof answer);
        break;
      }
    case HID_PING:
      queue_message (self, cid, HID_PING, data, len);
      break;
    case HID_WINK:
      queue_message (self, cid, HID_WINK, NULL, 0);
      break;
    case HID_CBOR:
      process_cbor (self, cid, data, len);
      break;
    default:
      queue_error (self, cid, CTAP1_ERR_INVALID_COMMAND);
      break;
    }
}

static void
handle_frame (SoftFido2    *self,
              const guint8 *frame)
{
  guint32 cid;
  guint8 type = frame[4];

  memcpy (&cid, frame, 4);
  if (type == HID_CANCEL)
    {
      /* No answer to CANCEL itself; the held-back command ends with KEEPALIVE_CANCEL. */
      if (self->pending && self->pending_cid == cid)
        {
          self->pending_status = CTAP2_ERR_KEEPALIVE_CANCEL;
          g_clear_pointer (&self->pending_body, g_byte_array_unref);
          self->pending_touch_at = 0;
        }
      return;
    }
  if (type & 0x80)
    {
      self->rx_cid = cid;
      self->rx_cmd = type;
      self->rx_expected = ((gsize) frame[5] << 8) | frame[6];
      self->rx_seq = 0;
      g_byte_array_set_size (self->rx_buf, 0);
      g_byte_array_append (self->rx_buf, frame + 7, MIN (self->rx_expected, INIT_DATA));
    }
  else
    {
      if (cid != self->rx_cid || type != self->rx_seq++)
        return;
      g_byte_array_append (self->rx_buf, frame + 5,
                           MIN (self->rx_expected - self->rx_buf->len, CONT_DATA));
    }
  if (self->rx_buf->len == self->rx_expected)
    process_message (self);
}

/* ---- libfido2's I/O functions ------------------------------------------------------------ */

static void *
io_open (const char *path)
{
  SoftFido2 *key = lookup (path);
  Handle *handle;

  if (key == NULL)
    return NULL;
  /* A fresh hidraw file descriptor starts with an empty report queue. */
  g_mutex_lock (&key->lock);
  clear_pending (key);
  g_queue_clear_full (&key->tx_frames, g_free);
  g_byte_array_set_size (key->rx_buf, 0);
  key->rx_expected = 0;
  g_mutex_unlock (&key->lock);
  handle = g_new0 (Handle, 1);
  handle->key = key;
  return handle;
}

static void
io_close (void *h)
{
  g_free (h);
}

static int
io_write (void                *h,
          const unsigned char *buf,
          size_t               len)
{
  SoftFido2 *self = ((Handle *) h)->key;

  /* libfido2 writes a report id byte, then one 64-byte frame. */
  if (len != FRAME_LEN + 1)
    return -1;
  g_mutex_lock (&self->lock);
  if (!self->plugged)
    {
      g_mutex_unlock (&self->lock);
      return -1;
    }
  handle_frame (self, buf + 1);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return (int) len;
}

/* Releases the held-back answer when touched, cancelled or timed out. Called locked. */
static void
settle_pending (SoftFido2 *self,
                gint64     now)
{
  if (!self->pending)
    return;
  if (now >= self->pending_touch_at)
    {
      if (self->pending_status != CTAP2_ERR_KEEPALIVE_CANCEL)
        self->touch_count++;
      queue_cbor_reply (self, self->pending_cid, self->pending_status, self->pending_body);
      clear_pending (self);
    }
  else if (now >= self->pending_give_up_at)
    {
      queue_cbor_reply (self, self->pending_cid, CTAP2_ERR_USER_ACTION_TIMEOUT, NULL);
      clear_pending (self);
    }
}

static int
io_read (void          *h,
         unsigned char *buf,
         size_t         len,
         int            ms)
{
  SoftFido2 *self = ((Handle *) h)->key;
  gint64 deadline = ms < 0 ? G_MAXINT64 : g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  int result = -1;

  if (len != FRAME_LEN)
    return -1;
  g_mutex_lock (&self->lock);
  while (self->plugged)
    {
      gint64 now = g_get_monotonic_time (), wake;
      guint8 *frame;

      settle_pending (self, now);
      if ((frame = g_queue_pop_head (&self->tx_frames)) != NULL)
        {
          memcpy (buf, frame, FRAME_LEN);
          g_free (frame);
          result = FRAME_LEN;
          break;
        }
      /* Nothing will ever come: fail now rather than block (fido2.md §2). */
      if (!self->pending || now >= deadline)
        break;
      if (now - self->last_keepalive >= KEEPALIVE_INTERVAL_US)
        {
          guint8 status = KEEPALIVE_UPNEEDED;

          self->last_keepalive = now;
          queue_message (self, self->pending_cid, HID_KEEPALIVE, &status, 1);
          continue;
        }
      wake = MIN (MIN (deadline, self->last_keepalive + KEEPALIVE_INTERVAL_US),
                  MIN (self->pending_touch_at, self->pending_give_up_at));
      g_cond_wait_until (&self->cond, &self->lock, wake);
    }
  g_mutex_unlock (&self->lock);
  return result;
}

const fido_dev_io_t softfido2_io = {
  .open = io_open,
  .close = io_close,
  .read = io_read,
  .write = io_write,
};

typedef struct {
  fido_dev_info_t *devlist;
  size_t ilen;
  size_t *olen;
} Manifest;

static void
add_to_manifest (SoftFido2 *key,
                 gpointer   data)
{
  Manifest *m = data;

  if (*m->olen < m->ilen &&
      fido_dev_info_set (m->devlist, *m->olen, softfido2_get_path (key), "Hosterra Test",
                         "Software Security Key", &softfido2_io, NULL) == FIDO_OK)
    (*m->olen)++;
}

void
softfido2_append_plugged (fido_dev_info_t *devlist,
                          size_t           ilen,
                          size_t          *olen)
{
  Manifest m = { devlist, ilen, olen };

  softfido2_foreach_plugged (add_to_manifest, &m);
}

int
softfido2_prepare_open (fido_dev_t *dev,
                        const char *path)
{
  if (path != NULL && g_str_has_prefix (path, SOFTFIDO2_PATH_PREFIX))
    return fido_dev_set_io_functions (dev, &softfido2_io);
  return FIDO_OK;
}
