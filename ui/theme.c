/*
 * theme.c - colour pairs for the dark and light themes, and the plain
 * attributes used when the terminal has no colours.
 */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "theme.h"

static int role_attr[ROLE_COUNT];
static int colour;

struct role_style {
	short dark_fg, dark_bg;
	short light_fg, light_bg;
	int extra;		/* added in colour too */
	int mono;		/* without colours */
};

/* -1 is the terminal's own default colour (use_default_colors). */
static const struct role_style styles[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, -1, -1, 0, A_NORMAL },
	[ROLE_HEADER] = { COLOR_BLACK, COLOR_CYAN, COLOR_WHITE, COLOR_BLUE,
	    A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_KEYBAR] = { COLOR_BLACK, COLOR_CYAN, COLOR_BLACK, COLOR_CYAN,
	    0, A_REVERSE },
	[ROLE_KEYBAR_KEY] = { COLOR_WHITE, COLOR_BLACK, COLOR_WHITE,
	    COLOR_BLACK, A_BOLD, A_BOLD },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_YELLOW, COLOR_WHITE,
	    COLOR_BLUE, 0, A_REVERSE },
	[ROLE_TITLE] = { COLOR_CYAN, -1, COLOR_BLUE, -1, A_BOLD,
	    A_BOLD | A_UNDERLINE },
	[ROLE_DIM] = { COLOR_WHITE, -1, COLOR_BLACK, -1, A_DIM, A_DIM },
	[ROLE_INFO] = { COLOR_GREEN, -1, COLOR_BLUE, -1, A_BOLD, A_BOLD },
	[ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, COLOR_WHITE, COLOR_RED,
	    A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_OK] = { COLOR_GREEN, -1, COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_WARN] = { COLOR_YELLOW, -1, COLOR_MAGENTA, -1, A_BOLD,
	    A_UNDERLINE },
	[ROLE_BAD] = { COLOR_RED, -1, COLOR_RED, -1, A_BOLD,
	    A_BOLD | A_UNDERLINE },
	[ROLE_DIALOG] = { COLOR_WHITE, COLOR_BLUE, COLOR_BLACK, COLOR_WHITE,
	    0, A_NORMAL },
	[ROLE_INPUT] = { COLOR_BLACK, COLOR_WHITE, COLOR_BLACK, COLOR_YELLOW,
	    0, A_UNDERLINE },
	[ROLE_TOTAL] = { COLOR_YELLOW, -1, COLOR_BLUE, -1, A_BOLD,
	    A_BOLD | A_REVERSE },
};

void
theme_init(const char *name)
{
	int light = name != NULL && strcmp(name, "light") == 0;
	int r;

	colour = has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct role_style *s = &styles[r];

		if (!colour || COLOR_PAIRS <= ROLE_COUNT) {
			role_attr[r] = s->mono;
			continue;
		}
		init_pair((short)(r + 1), light ? s->light_fg : s->dark_fg,
		    light ? s->light_bg : s->dark_bg);
		role_attr[r] = (int)COLOR_PAIR(r + 1) | s->extra;
	}
}

int
theme_attr(enum theme_role role)
{
	if (role < 0 || role >= ROLE_COUNT)
		return A_NORMAL;
	return role_attr[role];
}

int
theme_has_colour(void)
{
	return colour;
}
