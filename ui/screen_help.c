/*
 * screen_help.c - F1: the keys of the screen the user came from, read from
 * that screen's own key table, then the keys every screen has.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tui.h"
#include "widget.h"

struct help {
	const struct tui_screen *of;	/* the screen whose keys are shown */
	struct w_list list;
};

static const struct tui_key keys[] = {
	{ 0, TUI_KEY_ESC, N_("Back"), N_("back to the screen before"), 0 },
	{ 0, 0, NULL, NULL, 0 },
};

static void *
help_open(struct tui *t)
{
	static struct help h;

	(void)t;
	memset(&h, 0, sizeof h);
	return &h;
}

static void
help_enter(struct tui *t, void *st, const char *arg)
{
	struct help *h = st;

	(void)t;
	h->of = arg != NULL ? tui_screen_find(arg) : NULL;
	if (h->of == NULL)
		h->of = tui_screen_find("dashboard");
	memset(&h->list, 0, sizeof h->list);
}

static int
count_keys(const struct tui_key *k)
{
	int n = 0;

	while (k != NULL && (k[n].key != 0 || k[n].ch != 0))
		n++;
	return n;
}

static void
draw_key(int y, const struct tui_key *k, int cols)
{
	char name[32];

	tui_key_name(k, name, sizeof name);
	w_put(y, 2, 10, ROLE_TITLE, name);
	w_put(y, 12, cols - 14, ROLE_NORMAL, _(k->help));
}

static void
help_draw(struct tui *t, void *st)
{
	struct help *h = st;
	int nscreen = count_keys(h->of->keys);
	int nglobal = count_keys(tui_global_keys);
	int rows = tui_body_rows(t), cols = tui_cols(t), y = TUI_BODY_TOP;
	int i, line, total = nscreen + nglobal + 2;
	char title[160];

	h->list.n = total;
	w_list_fix(&h->list, rows - 1);
	snprintf(title, sizeof title, _("Keys of the %s screen"),
	    _(h->of->title));
	w_put(y++, 2, cols - 4, ROLE_TITLE, title);
	for (line = h->list.top; line < total && y < TUI_BODY_TOP + rows;
	    line++, y++) {
		if (line < nscreen)
			draw_key(y, &h->of->keys[line], cols);
		else if (line == nscreen)
			continue;
		else if (line == nscreen + 1)
			w_put(y, 2, cols - 4, ROLE_TITLE,
			    _("Keys of every screen"));
		else if ((i = line - nscreen - 2) < nglobal)
			draw_key(y, &tui_global_keys[i], cols);
	}
}

static enum tui_handled
help_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct help *h = st;

	(void)cmd;
	if (w_list_key(&h->list, ev, tui_body_rows(t) - 1)) {
		/* scroll the page, not a selection */
		h->list.top = h->list.sel;
		return TUI_DONE;
	}
	return TUI_IGNORED;
}

const struct tui_screen screen_help = {
	"help", N_("Help"), keys, help_open, NULL, help_enter, help_draw,
	help_key, NULL, NULL, NULL,
};
