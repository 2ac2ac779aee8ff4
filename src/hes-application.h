/* hes-application.h: the application: actions, the main window and the command line. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HES_TYPE_APPLICATION (hes_application_get_type ())
G_DECLARE_FINAL_TYPE (HesApplication, hes_application, HES, APPLICATION, AdwApplication)

HesApplication *hes_application_new (void);

G_END_DECLS
