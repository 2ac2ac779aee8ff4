/* hes-dns-result-row.c: a record's verdict, explanation and fix. */
#define G_LOG_DOMAIN "hes-dns-result-row"

#include "config.h"

#include <glib/gi18n.h>

#include "hes-dns-result-row.h"
#include "hes-dns-rows.h"

struct _HesDnsResultRow
{
  AdwExpanderRow parent_instance;

  HesDnsPlannedRecord *record;
  HesDnsRecordResult *result;
  GtkWidget *stack;
  GtkWidget *spinner;
  GtkWidget *icon;
  GtkWidget *words_label;
  GtkWidget *optional_tag;
  GPtrArray *detail_rows;   /* GtkWidget, unowned: the expander owns them */
  char *words;
  char *sentence;
  /* Narrow (a phone): the verdict and "optional" go below the title, in the subtitle, and
   * leave the title its width. */
  gboolean narrow;
  guint narrow_idle;
};

/* Below this width the words beside the title would crush it. */
#define NARROW_WIDTH 500

G_DEFINE_FINAL_TYPE (HesDnsResultRow, hes_dns_result_row, ADW_TYPE_EXPANDER_ROW)

static void hes_dns_result_row_width_changed (HesDnsResultRow *self,
                                              int              width);

/* The row's layout: its one child over the whole row, as before, and the width it gets told
 * to the row (a row's allocate vfunc is not called when it has a layout manager). */
#define HES_TYPE_DNS_ROW_LAYOUT (hes_dns_row_layout_get_type ())
G_DECLARE_FINAL_TYPE (HesDnsRowLayout, hes_dns_row_layout, HES, DNS_ROW_LAYOUT, GtkLayoutManager)

struct _HesDnsRowLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (HesDnsRowLayout, hes_dns_row_layout, GTK_TYPE_LAYOUT_MANAGER)

static void
hes_dns_row_layout_measure (GtkLayoutManager *manager,
                            GtkWidget        *widget,
                            GtkOrientation    orientation,
                            int               for_size,
                            int              *minimum,
                            int              *natural,
                            int              *minimum_baseline,
                            int              *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    int child_min = 0, child_nat = 0;

    if (!gtk_widget_should_layout (child))
      continue;
    gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
    *minimum = MAX (*minimum, child_min);
    *natural = MAX (*natural, child_nat);
  }
}

static void
hes_dns_row_layout_allocate (GtkLayoutManager *manager,
                             GtkWidget        *widget,
                             int               width,
                             int               height,
                             int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
  }
  hes_dns_result_row_width_changed (HES_DNS_RESULT_ROW (widget), width);
}

static void
hes_dns_row_layout_class_init (HesDnsRowLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = hes_dns_row_layout_measure;
  manager_class->allocate = hes_dns_row_layout_allocate;
}

static void
hes_dns_row_layout_init (HesDnsRowLayout *self)
{
}

static void
clear_details (HesDnsResultRow *self)
{
  for (guint i = 0; i < self->detail_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->detail_rows, i));
  g_ptr_array_set_size (self->detail_rows, 0);
}

static void
add_detail (HesDnsResultRow *self,
            GtkWidget       *row)
{
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  g_ptr_array_add (self->detail_rows, row);
}

static void
set_verdict_class (HesDnsResultRow *self,
                   const char      *css_class)
{
  static const HesDnsVerdict all[] = {
    HES_DNS_VERDICT_OK, HES_DNS_VERDICT_PENDING, HES_DNS_VERDICT_MISSING,
    HES_DNS_VERDICT_WRONG, HES_DNS_VERDICT_UNKNOWN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    gtk_widget_remove_css_class (self->icon, hes_dns_verdict_css_class (all[i]));
    gtk_widget_remove_css_class (self->words_label, hes_dns_verdict_css_class (all[i]));
  }
  if (css_class != NULL) {
    gtk_widget_add_css_class (self->icon, css_class);
    gtk_widget_add_css_class (self->words_label, css_class);
  }
}

static void
set_words (HesDnsResultRow *self,
           const char      *words,
           const char      *sentence)
{
  g_autofree char *description = NULL;

  g_autofree char *subtitle = NULL;

  g_free (self->words);
  self->words = g_strdup (words);
  g_free (self->sentence);
  self->sentence = g_strdup (sentence);
  gtk_label_set_text (GTK_LABEL (self->words_label), words);
  gtk_widget_set_visible (self->words_label, !self->narrow);
  if (self->optional_tag != NULL)
    gtk_widget_set_visible (self->optional_tag, !self->narrow);
  if (self->narrow)
    /* Translators: a DNS check's verdict, then its explanation, on a narrow screen. */
    subtitle = g_strdup_printf (_("%1$s — %2$s"), words, sentence ? sentence : "");
  if (self->narrow && self->optional_tag != NULL) {
    g_autofree char *with_tag = g_strdup_printf (_("%1$s — %2$s"), subtitle,
                                                 _("Optional (recommended)"));

    g_free (subtitle);
    subtitle = g_steal_pointer (&with_tag);
  }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle ? subtitle : sentence);
  /* A screen reader hears the verdict with the record, as the eye sees icon and words. */
  description = g_strdup_printf ("%s. %s", words, sentence ? sentence : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

void
hes_dns_result_row_set_checking (HesDnsResultRow *self)
{
  g_return_if_fail (HES_IS_DNS_RESULT_ROW (self));

  g_clear_pointer (&self->result, hes_dns_record_result_unref);
  clear_details (self);
  set_verdict_class (self, NULL);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->spinner);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  set_words (self, _("Checking…"), self->record->purpose);
}

static char *
verdict_words (const HesDnsFinding *finding)
{
  guint minutes;

  if (finding->verdict == HES_DNS_VERDICT_OK && finding->weak)
    return g_strdup (_("Works, could be safer"));
  if (finding->verdict != HES_DNS_VERDICT_PENDING || finding->visible_in_s < 0)
    return g_strdup (hes_dns_verdict_words (finding->verdict));
  minutes = MAX (1, (guint) ((finding->visible_in_s + 59) / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Visible here in about %u minute",
                                       "Visible here in about %u minutes", minutes), minutes);
}

static void
add_details (HesDnsResultRow    *self,
             HesDnsRecordResult *result)
{
  const HesDnsFinding *finding = result->finding;
  const char *type = hes_dns_type_to_string (self->record->type);
  g_autofree char *what_fix = NULL;
  g_autofree char *what_expected = NULL;

  if (finding->fix != NULL) {
    /* Translators: what a copy button copies; %1$s is a record type such as TXT, %2$s the
     * record's name ("@", "_dmarc"). */
    what_fix = g_strdup_printf (_("the fix for the %1$s record “%2$s”"), type,
                                self->record->name);
    add_detail (self, hes_dns_field_row_new (_("How to fix it"), finding->fix, what_fix));
  }
  /* With a fix, the plan's value would only compete with it (a merged SPF policy differs). */
  if (finding->fix == NULL && result->expected != NULL && *result->expected != '\0') {
    /* Translators: what a copy button copies; %1$s is a record type such as TXT, %2$s the
     * record's name ("@", "_dmarc"). */
    what_expected = g_strdup_printf (_("the expected value of the %1$s record “%2$s”"), type,
                                     self->record->name);
    add_detail (self, hes_dns_field_row_new (_("Expected"), result->expected, what_expected));
  }
  if (finding->found != NULL && finding->found->len > 0) {
    g_autoptr(GString) found = g_string_new (NULL);

    for (guint i = 0; i < finding->found->len; i++)
      g_string_append_printf (found, "%s%s", i ? "\n" : "",
                              (const char *) g_ptr_array_index (finding->found, i));
    add_detail (self, hes_dns_field_row_new (_("Found at your DNS host"), found->str, NULL));
  }
}

void
hes_dns_result_row_set_result (HesDnsResultRow    *self,
                               HesDnsRecordResult *result)
{
  const HesDnsFinding *finding;
  g_autofree char *words = NULL;
  HesDnsVerdict look;

  g_return_if_fail (HES_IS_DNS_RESULT_ROW (self));
  g_return_if_fail (result != NULL);

  finding = result->finding;
  g_clear_pointer (&self->result, hes_dns_record_result_unref);
  self->result = hes_dns_record_result_ref (result);
  clear_details (self);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->icon);
  /* A record that works but could be safer (SPF ?all, DMARC p=none) is orange. */
  look = finding->verdict == HES_DNS_VERDICT_OK && finding->weak ? HES_DNS_VERDICT_MISSING
                                                                 : finding->verdict;
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), hes_dns_verdict_icon_name (look));
  set_verdict_class (self, hes_dns_verdict_css_class (look));
  words = verdict_words (finding);
  set_words (self, words, finding->explanation ? finding->explanation : self->record->purpose);
  add_details (self, result);
}

HesDnsRecordResult *
hes_dns_result_row_get_result (HesDnsResultRow *self)
{
  g_return_val_if_fail (HES_IS_DNS_RESULT_ROW (self), NULL);
  return self->result;
}

const char *
hes_dns_result_row_get_words (HesDnsResultRow *self)
{
  g_return_val_if_fail (HES_IS_DNS_RESULT_ROW (self), NULL);
  return self->words;
}

static gboolean
apply_narrow_cb (gpointer user_data)
{
  HesDnsResultRow *self = user_data;
  g_autofree char *words = g_strdup (self->words);
  g_autofree char *sentence = g_strdup (self->sentence);

  self->narrow_idle = 0;
  set_words (self, words, sentence);
  return G_SOURCE_REMOVE;
}

/* The layout follows the width it gets; changing it is left to an idle, as a widget may not
 * resize itself while it is being allocated. */
static void
hes_dns_result_row_width_changed (HesDnsResultRow *self,
                                  int              width)
{
  gboolean narrow = width < NARROW_WIDTH;

  if (narrow != self->narrow) {
    self->narrow = narrow;
    if (self->narrow_idle == 0)
      self->narrow_idle = g_idle_add (apply_narrow_cb, self);
  }
}

static void
hes_dns_result_row_dispose (GObject *object)
{
  HesDnsResultRow *self = HES_DNS_RESULT_ROW (object);

  g_clear_handle_id (&self->narrow_idle, g_source_remove);

  G_OBJECT_CLASS (hes_dns_result_row_parent_class)->dispose (object);
}

static void
hes_dns_result_row_finalize (GObject *object)
{
  HesDnsResultRow *self = HES_DNS_RESULT_ROW (object);

  g_clear_pointer (&self->record, hes_dns_planned_record_unref);
  g_clear_pointer (&self->result, hes_dns_record_result_unref);
  g_ptr_array_unref (self->detail_rows);
  g_free (self->words);
  g_free (self->sentence);

  G_OBJECT_CLASS (hes_dns_result_row_parent_class)->finalize (object);
}

static void
hes_dns_result_row_class_init (HesDnsResultRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hes_dns_result_row_dispose;
  G_OBJECT_CLASS (klass)->finalize = hes_dns_result_row_finalize;

}

static void
hes_dns_result_row_init (HesDnsResultRow *self)
{
  self->detail_rows = g_ptr_array_new ();
  gtk_widget_set_layout_manager (GTK_WIDGET (self), g_object_new (HES_TYPE_DNS_ROW_LAYOUT, NULL));
  self->stack = gtk_stack_new ();
  self->spinner = gtk_spinner_new ();
  /* The words beside it say the same for screen readers. */
  self->icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Checking"), -1);
  gtk_widget_set_valign (self->stack, GTK_ALIGN_CENTER);
  gtk_stack_add_child (GTK_STACK (self->stack), self->spinner);
  gtk_stack_add_child (GTK_STACK (self->stack), self->icon);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), self->stack);

  self->words_label = gtk_label_new (NULL);
  gtk_widget_set_valign (self->words_label, GTK_ALIGN_CENTER);
  gtk_label_set_wrap (GTK_LABEL (self->words_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->words_label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_max_width_chars (GTK_LABEL (self->words_label), 16);
  gtk_widget_add_css_class (self->words_label, "hes-dns-verdict");
  hes_dns_expander_add_suffix (GTK_WIDGET (self), self->words_label);
}

GtkWidget *
hes_dns_result_row_new (HesDnsPlannedRecord *record)
{
  HesDnsResultRow *self = g_object_new (HES_TYPE_DNS_RESULT_ROW, NULL);
  g_autofree char *title = hes_dns_record_title (record);

  self->record = hes_dns_planned_record_ref (record);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  gtk_widget_set_name (GTK_WIDGET (self), record->id);
  if (!record->required) {
    self->optional_tag = hes_dns_optional_tag_new ();
    hes_dns_expander_add_suffix (GTK_WIDGET (self), self->optional_tag);
  }
  hes_dns_labels_break_plainly (GTK_WIDGET (self), FALSE);
  hes_dns_result_row_set_checking (self);
  return GTK_WIDGET (self);
}
