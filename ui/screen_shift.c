/* screen_shift.c - the shift screen (being written). */
#include "config.h"

#include "i18n.h"
#include "tui.h"
#include "widget.h"

static const struct tui_key keys[] = {
	{ 0, 0, NULL, NULL, 0 },
};

static void *
open_screen(struct tui *t)
{
	static int dummy;

	(void)t;
	return &dummy;
}

static void
draw(struct tui *t, void *st)
{
	(void)st;
	w_put(2, 2, tui_cols(t) - 4, ROLE_DIM, _("This screen is being built."));
}

static enum tui_handled
key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	(void)t;
	(void)st;
	(void)ev;
	(void)cmd;
	return TUI_IGNORED;
}

const struct tui_screen screen_shift = {
	"shift", N_("shift"), keys, open_screen, NULL, NULL, draw, key, NULL, NULL,
	NULL,
};
