/* hes-dns-rows.c: record rows, copy buttons and verdict looks for the DNS pages. */
#define G_LOG_DOMAIN "hes-dns-rows"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-rows.h"

/* The button's own name says what it copies again, a few seconds after "Copied". */
static gboolean
restore_copy_name_cb (gpointer user_data)
{
  GtkWidget *button = user_data;
  const char *name = g_object_get_data (G_OBJECT (button), "hes-copy-name");

  g_object_set_data (G_OBJECT (button), "hes-copy-timeout", NULL);
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return G_SOURCE_REMOVE;
}

static void
on_copy_button_destroy_cb (GtkWidget *button)
{
  guint timeout = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hes-copy-timeout"));

  if (timeout != 0)
    g_source_remove (timeout);
}

static void
on_copy_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "hes-copy-text");
  guint timeout = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hes-copy-timeout"));
  /* Translators: said right after a copy button was pressed; %s is what it copied. */
  g_autofree char *copied = g_strdup_printf (_("Copied %s"),
                                             (const char *) g_object_get_data (G_OBJECT (button),
                                                                               "hes-copy-what"));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  /* The focused button's name changes: screen readers read the new one at once. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), copied);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, copied,
                                  -1);
  if (timeout != 0)
    g_source_remove (timeout);
  timeout = g_timeout_add_seconds (4, restore_copy_name_cb, button);
  g_object_set_data (G_OBJECT (button), "hes-copy-timeout", GUINT_TO_POINTER (timeout));
}

GtkWidget *
hes_dns_copy_button_new (const char *text,
                         const char *what)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: %s says what is copied, e.g. "the value of the MX record". */
  g_autofree char *label = g_strdup_printf (_("Copy %s"), what);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_name (button, "copy_button");
  g_object_set_data_full (G_OBJECT (button), "hes-copy-text", g_strdup (text), g_free);
  g_object_set_data_full (G_OBJECT (button), "hes-copy-what", g_strdup (what), g_free);
  g_object_set_data_full (G_OBJECT (button), "hes-copy-name", g_strdup (label), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_copy_clicked_cb), NULL);
  g_signal_connect (button, "destroy", G_CALLBACK (on_copy_button_destroy_cb), NULL);
  return button;
}

void
hes_dns_labels_break_plainly (GtkWidget *row,
                              gboolean   anywhere)
{
  if (GTK_IS_LABEL (row)) {
    PangoAttrList *attrs = pango_attr_list_new ();

    /* Pango hyphenates a word it breaks; a DNS value with a "-" added is a wrong value. */
    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (GTK_LABEL (row), attrs);
    pango_attr_list_unref (attrs);
    /* A title keeps breaking between words only: never one letter per line. */
    if (anywhere && gtk_label_get_wrap (GTK_LABEL (row)))
      gtk_label_set_wrap_mode (GTK_LABEL (row), PANGO_WRAP_CHAR);
  }
  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    /* Not into the rows an expander reveals: each is set up on its own. */
    if (!GTK_IS_REVEALER (child))
      hes_dns_labels_break_plainly (child, anywhere);
  }
}

GtkWidget *
hes_dns_field_row_new (const char *title,
                       const char *value,
                       const char *what)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  /* The value is what the customer reads and copies: it comes first, in the record's font. */
  gtk_widget_add_css_class (row, "property");
  gtk_widget_add_css_class (row, "hes-dns-field");
  if (what != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), hes_dns_copy_button_new (value, what));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  hes_dns_labels_break_plainly (row, TRUE);
  return row;
}

char *
hes_dns_record_title (const HesDnsPlannedRecord *record)
{
  /* Translators: a DNS record's type and name, e.g. "MX · @" or "TXT · _dmarc". */
  return g_strdup_printf (_("%1$s · %2$s"), hes_dns_type_to_string (record->type), record->name);
}

static void
add_field (GtkWidget  *expander,
           const char *title,
           const char *value,
           const char *field_what,
           const char *type)
{
  const char *record_name = g_object_get_data (G_OBJECT (expander), "hes-record-name");
  /* Translators: what a copy button copies: %1$s is a field ("the port"), %2$s a record type,
   * %3$s the record's name ("@", "_dmarc"): the three TXT records differ only by it. */
  g_autofree char *what = g_strdup_printf (_("%1$s of the %2$s record “%3$s”"), field_what, type,
                                           record_name);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            hes_dns_field_row_new (title, value, what));
}

static void
add_number_field (GtkWidget  *expander,
                  const char *title,
                  guint       number,
                  const char *field_what,
                  const char *type)
{
  g_autofree char *text = g_strdup_printf ("%u", number);

  add_field (expander, title, text, field_what, type);
}

void
hes_dns_expander_add_suffix (GtkWidget *expander,
                             GtkWidget *widget)
{
  /* add_action became add_suffix in libadwaita 1.4; the floor only has the first. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_expander_row_add_suffix (ADW_EXPANDER_ROW (expander), widget);
#else
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), widget);
#endif
  G_GNUC_END_IGNORE_DEPRECATIONS
}

GtkWidget *
hes_dns_optional_tag_new (void)
{
  GtkWidget *tag = gtk_label_new (_("Optional (recommended)"));

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "hes-dns-tag");
  gtk_widget_add_css_class (tag, "caption");
  return tag;
}

GtkWidget *
hes_dns_record_row_new (const HesDnsPlannedRecord *r)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = hes_dns_record_title (r);
  const char *type = hes_dns_type_to_string (r->type);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), r->purpose);
  hes_dns_labels_break_plainly (row, FALSE);
  gtk_widget_set_name (row, r->id);
  g_object_set_data_full (G_OBJECT (row), "hes-record-name", g_strdup (r->name), g_free);
  if (!r->required)
    hes_dns_expander_add_suffix (row, hes_dns_optional_tag_new ());

  add_field (row, _("Type"), type, _("the type"), type);
  add_field (row, _("Name"), r->name, _("the name"), type);
  add_field (row, _("Full name"), r->full_name, _("the full name"), type);
  if (r->type == HES_DNS_TYPE_MX || r->type == HES_DNS_TYPE_SRV)
    add_number_field (row, _("Priority"), r->priority, _("the priority"), type);
  if (r->type == HES_DNS_TYPE_SRV) {
    add_number_field (row, _("Weight"), r->weight, _("the weight"), type);
    add_number_field (row, _("Port"), r->port, _("the port"), type);
  }
  if (r->target != NULL)
    add_field (row, _("Target"), r->target, _("the target"), type);
  else if (r->value != NULL)
    add_field (row, _("Value"), r->value, _("the value"), type);
  else
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
      hes_dns_field_row_new (_("Value"), _("Not known yet: this domain has no DKIM key."), NULL));
  return row;
}

const char *
hes_dns_verdict_words (HesDnsVerdict verdict)
{
  switch (verdict) {
  case HES_DNS_VERDICT_OK:
    return _("Right");
  case HES_DNS_VERDICT_PENDING:
    return _("Right, on its way");
  case HES_DNS_VERDICT_MISSING:
    return _("Missing");
  case HES_DNS_VERDICT_WRONG:
    return _("Wrong");
  case HES_DNS_VERDICT_UNKNOWN:
  default:
    return _("Not checked");
  }
}

const char *
hes_dns_verdict_icon_name (HesDnsVerdict verdict)
{
  switch (verdict) {
  case HES_DNS_VERDICT_OK:
    return "emblem-ok-symbolic";
  case HES_DNS_VERDICT_PENDING:
    return "preferences-system-time-symbolic";
  case HES_DNS_VERDICT_MISSING:
    return "dialog-warning-symbolic";
  case HES_DNS_VERDICT_WRONG:
    return "dialog-error-symbolic";
  case HES_DNS_VERDICT_UNKNOWN:
  default:
    return "dialog-question-symbolic";
  }
}

const char *
hes_dns_verdict_css_class (HesDnsVerdict verdict)
{
  switch (verdict) {
  case HES_DNS_VERDICT_OK:
    return "hes-dns-ok";
  case HES_DNS_VERDICT_PENDING:
    return "hes-dns-pending";
  case HES_DNS_VERDICT_MISSING:
    return "hes-dns-missing";
  case HES_DNS_VERDICT_WRONG:
    return "hes-dns-wrong";
  case HES_DNS_VERDICT_UNKNOWN:
  default:
    return "hes-dns-unknown";
  }
}

void
hes_dns_rows_ensure_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "hes-dns-style") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/help/hosterra/EmailSetup/pages/dns/dns.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "hes-dns-style", g_steal_pointer (&provider),
                          g_object_unref);
}
