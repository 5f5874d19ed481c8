/*
 * theme.h - what things look like: a role for each kind of text, mapped to
 * colours (dark or light theme, from [ui] theme) or, on a terminal without
 * colours, to plain attributes (reverse, bold, underline) so that nothing
 * depends on colour alone.
 */
#ifndef DUKA_THEME_H
#define DUKA_THEME_H

enum theme_role {
	ROLE_NORMAL,
	ROLE_HEADER,		/* the top line */
	ROLE_KEYBAR,		/* bottom bar: labels */
	ROLE_KEYBAR_KEY,	/* bottom bar: the key names */
	ROLE_SELECTED,		/* the selected row of a list */
	ROLE_TITLE,		/* column heads, section titles */
	ROLE_DIM,		/* secondary text */
	ROLE_INFO,		/* status line: information */
	ROLE_ERROR,		/* status line: errors */
	ROLE_OK,		/* good news: paid, online */
	ROLE_WARN,		/* low stock, near expiry, offline */
	ROLE_BAD,		/* out of stock, expired, failed */
	ROLE_DIALOG,		/* dialog body */
	ROLE_INPUT,		/* an input field */
	ROLE_TOTAL,		/* the big total on the sale screen */
	ROLE_COUNT
};

/* Set the roles up for theme "dark" or "light" (after initscr). */
void theme_init(const char *name);
/* The curses attribute for role. */
int theme_attr(enum theme_role role);
/* 1 when the terminal shows colours. */
int theme_has_colour(void);

#endif
