/*
 * i18n.h - the one place that decides how strings are translated.
 * Wrap every string the user sees in _() (or N_() where it must stay a
 * constant and is translated later with _()).
 */
#ifndef DUKA_I18N_H
#define DUKA_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

#endif
