/* gui-helpers.c: driving the real window in GUI tests. */
#define G_LOG_DOMAIN "gui-helpers"

#include "config.h"

#include <stdio.h>

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "gui-helpers.h"
#include "hes-test-notifications.h"

static gboolean french;

static gboolean
on_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
gui_wait_for (GuiPredicate  predicate,
              gpointer      data,
              const char   *what)
{
  /* The sanitizer builds run GTK many times slower (see tests/meson.build). */
  gint64 deadline = g_get_monotonic_time () + 20 * HES_TEST_TIME_FACTOR * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, on_tick_cb, NULL);

  while (!predicate (data)) {
    if (g_get_monotonic_time () > deadline)
      g_error ("Timed out waiting for %s", what);
    g_main_context_iteration (NULL, TRUE);
  }

  g_source_remove (tick);
}

void
gui_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE));
}

static gsize
base32_decode (const char *text,
               guint8     *out,
               gsize       out_len)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  guint32 buffer = 0;
  guint bits = 0;
  gsize n = 0;

  for (const char *p = text; *p != '\0' && *p != '='; p++) {
    const char *pos = strchr (alphabet, g_ascii_toupper (*p));

    g_assert_nonnull (pos);
    buffer = (buffer << 5) | (guint32) (pos - alphabet);
    bits += 5;
    if (bits >= 8) {
      g_assert_cmpuint (n, <, out_len);
      out[n++] = (buffer >> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }

  return n;
}

char *
gui_totp_code (const char *base32_secret,
               int         offset)
{
  guint8 key[64];
  gsize key_len = base32_decode (base32_secret, key, sizeof key);
  guint64 counter = (guint64) (g_get_real_time () / G_USEC_PER_SEC / 30 + offset);
  guint8 message[8];
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, key, key_len);
  guint32 value;
  guint off;

  for (int i = 7; i >= 0; i--, counter >>= 8)
    message[i] = counter & 0xff;
  g_hmac_update (hmac, message, sizeof message);
  g_hmac_get_digest (hmac, digest, &digest_len);

  /* Dynamic truncation (RFC 4226 §5.3). */
  off = digest[19] & 0x0f;
  value = ((digest[off] & 0x7f) << 24) | (digest[off + 1] << 16)
          | (digest[off + 2] << 8) | digest[off + 3];

  return g_strdup_printf ("%06u", value % 1000000);
}

void
gui_init_locale (int    *argc,
                 char ***argv)
{
  const char *localedir = g_getenv ("HES_LOCALEDIR");

  for (int i = 1; i < *argc; i++) {
    if (g_strcmp0 ((*argv)[i], "--french") == 0) {
      french = TRUE;
      for (int j = i; j < *argc; j++)
        (*argv)[j] = (*argv)[j + 1];
      (*argc)--;
      break;
    }
  }

  /* C.UTF-8 honours LANGUAGE with no generated locale (glibc 2.36). */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", french ? "fr" : "en", TRUE);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
gui_test_init (int    *argc,
               char ***argv)
{
  /* GTK's test accessibility backend: no session bus needed, and the tests can check what a
   * screen reader would be told (roles, invalid fields). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gui_init_locale (argc, argv);
  gtk_test_init (argc, argv, NULL);
  /* Windows and notifications of a test stay off the developer's session (tests/dbus). */
  hes_test_bus_assert_private ();
  adw_init ();
  /* No animations: a page shows its final state at once, and nothing here is about the
   * animations themselves. With them, the sanitizer builds saw GTK 4.8 lose render nodes
   * drawn while a GtkStack cross-faded (no reference left, none of them ours). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

gboolean
gui_is_french (void)
{
  return french;
}

#include "pages/home/hes-home-page.h"
#include "pages/signin/hes-signin-page.h"

void
gui_fixture_setup (GuiFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = hes_mailcow_sim_new ();
  g_assert_true (hes_mailcow_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  f->url = hes_mailcow_sim_dup_url (f->sim);
}

void
gui_fixture_open_window (GuiFixture *f)
{
  const char *size = g_getenv ("HES_SCREENSHOT_SIZE");
  int width = 0, height = 0;

  f->window = g_object_ref_sink (hes_window_new (NULL, f->url));
  /* The screenshot tools' size (e.g. 360x700), before the window is first shown. */
  if (size != NULL && sscanf (size, "%dx%d", &width, &height) == 2 && width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (f->window)))
    g_main_context_iteration (NULL, TRUE);
}

void
gui_fixture_teardown (GuiFixture    *f,
                      gconstpointer  data)
{
  if (f->window != NULL) {
    gtk_window_destroy (GTK_WINDOW (f->window));
    gui_flush ();
    g_clear_object (&f->window);
  }
  g_clear_object (&f->sim);
  g_clear_pointer (&f->url, g_free);
  gui_flush ();
}

GtkWidget *
gui_signin_child (GuiFixture *f,
                  const char *name)
{
  GtkWidget *child = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (hes_window_get_signin_page (f->window)), HES_TYPE_SIGNIN_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

GtkWidget *
gui_home_child (GuiFixture *f,
                const char *name)
{
  GtkWidget *child = (GtkWidget *) gtk_widget_get_template_child (
    GTK_WIDGET (hes_window_get_home_page (f->window)), HES_TYPE_HOME_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

HesPage *
gui_current_page (GuiFixture *f)
{
  return hes_assistant_get_current_page (hes_window_get_assistant (f->window));
}

void
gui_type (GuiFixture *f,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (gui_signin_child (f, name)), text);
}

const char *
gui_text (GuiFixture *f,
          const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (gui_signin_child (f, name)));
}

static gboolean
is_idle (gpointer data)
{
  GuiFixture *f = data;

  return !hes_page_get_applying (gui_current_page (f));
}

void
gui_click_forward (GuiFixture *f)
{
  GtkWidget *button = gui_signin_child (f, "forward_button");

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  gui_wait_for (is_idle, f, "the page to finish its work");
}

void
gui_sign_in (GuiFixture *f,
             gboolean    domain_admin,
             const char *username,
             const char *password)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (gui_signin_child (f, "role_row")),
                              domain_admin ? HES_MAILCOW_ROLE_DOMAIN_ADMIN
                                           : HES_MAILCOW_ROLE_MAILBOX_USER);
  gui_type (f, "username_row", username);
  gui_type (f, "password_row", password);
  gui_click_forward (f);
}

static gboolean
is_home (gpointer data)
{
  GuiFixture *f = data;

  return gui_current_page (f) == hes_window_get_home_page (f->window);
}

void
gui_wait_for_home (GuiFixture *f)
{
  gui_wait_for (is_home, f, "the home page");
}

const char *
gui_signin_step (GuiFixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (gui_signin_child (f, "step_stack")));
}

GtkWidget *
gui_find_row (GtkWidget  *list,
              const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      return row;
  }
  return NULL;
}
