/* hes-home-page.h: the hub after signing in: the account, its domains and the tasks. */
#pragma once

#include "hes-page.h"

G_BEGIN_DECLS

#define HES_TYPE_HOME_PAGE (hes_home_page_get_type ())
G_DECLARE_FINAL_TYPE (HesHomePage, hes_home_page, HES, HOME_PAGE, HesPage)

HesPage *hes_home_page_new     (HesSession  *session);
/* Shows the tasks again after a page was registered or the role changed. */
void     hes_home_page_refresh (HesHomePage *self);

G_END_DECLS
