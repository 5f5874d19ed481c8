/*
 * widget.h - the small pieces every screen is drawn with: text clipped to a
 * width in columns (UTF-8 aware), a line editor, a scrolling list, and the
 * modal dialogs (confirm, prompt, form, menu, text viewer).
 *
 * The theme (colours, or plain attributes on a monochrome terminal) lives
 * in theme.h. Only the UI thread calls these.
 */
#ifndef DUKA_WIDGET_H
#define DUKA_WIDGET_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "theme.h"
#include "tui.h"

/* --- text ------------------------------------------------------------ */

/*
 * Write UTF-8 text at row y, column x, in exactly width columns: clipped
 * (never in the middle of a wide character) or padded with spaces. Bad
 * UTF-8 shows as '?'. Returns the columns used by the text itself.
 */
int w_put(int y, int x, int width, enum theme_role role, const char *text);
/* The same, right-aligned (numbers, amounts). */
void w_put_right(int y, int x, int width, enum theme_role role,
    const char *text);
/* The same, centred. */
void w_put_center(int y, int x, int width, enum theme_role role,
    const char *text);
/* printf into a row: w_putf(y, x, width, role, fmt, ...). */
int w_putf(int y, int x, int width, enum theme_role role, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));
/* Columns text takes on the screen. */
int w_text_cols(const char *text);
/* Fill a rectangle with spaces in role. */
void w_fill(int y, int x, int rows, int cols, enum theme_role role);
/* A box with a title, filled, for dialogs. */
void w_box(int y, int x, int rows, int cols, const char *title);

/* Show the terminal's cursor at y, x after this draw (an input field
 * with focus asks for it); w_cursor_place() does it, or hides it. */
void w_cursor_want(int y, int x);
void w_cursor_place(void);

/* --- line editor ----------------------------------------------------- */

enum w_input_kind {
	W_TEXT,		/* any printable text */
	W_DIGITS,	/* 0-9 only (codes, phone numbers) */
	W_AMOUNT,	/* money: digits, one '.', ',' (checked by money_parse) */
	W_QTY,		/* quantity: digits and one '.' */
	W_DATE,		/* YYYY-MM-DD: digits and '-' */
	W_PIN,		/* digits, shown as '*' */
	W_CODE,		/* a barcode or SKU: letters, digits, . _ - /;
			   a scan fills it as it does W_DIGITS */
};

#define W_INPUT_MAX 256

/* A one-line editor over a UTF-8 buffer; cursor counts characters. */
struct w_input {
	char buf[W_INPUT_MAX];
	int cursor;		/* in characters */
	int scroll;		/* first character shown */
	enum w_input_kind kind;
	size_t max_chars;	/* 0: as much as fits in buf */
};

void w_input_init(struct w_input *in, enum w_input_kind kind,
    const char *initial);
void w_input_set(struct w_input *in, const char *text);
void w_input_clear(struct w_input *in);

enum w_input_result {
	W_INPUT_UNHANDLED,	/* not an editing key */
	W_INPUT_CHANGED,	/* text or cursor changed */
	W_INPUT_REFUSED,	/* a character this kind does not take (the
				   caller shows why: w_input_refusal) */
	W_INPUT_ENTER,
};

/* Apply an editing key (characters, Backspace, Delete, arrows, Home, End,
 * Ctrl-U). */
enum w_input_result w_input_key(struct w_input *in, const struct tui_event *ev);
/* Why kind refuses a character (translated). */
const char *w_input_refusal(enum w_input_kind kind);
/* Draw in width columns at y, x; place the cursor there when focused. */
void w_input_draw(struct w_input *in, int y, int x, int width, int focused);

/* --- list ------------------------------------------------------------ */

/* Selection and scrolling of a list of n rows shown in page rows. */
struct w_list {
	int n;
	int sel;
	int top;
};

/* Up, Down, PgUp, PgDn, Home, End; 1 if the key moved the selection. */
int w_list_key(struct w_list *l, const struct tui_event *ev, int page);
/* Keep sel within 0..n-1 and visible in page rows. */
void w_list_fix(struct w_list *l, int page);

/* --- modal dialogs ----------------------------------------------------- */

/* Ask a yes/no question; 1 for yes. Enter means yes only when yes_default. */
int w_confirm(struct tui *t, const char *question, int yes_default);

/*
 * Ask for one value. check (may be NULL) validates the text: it returns
 * DUKA_OK, or fills err and the dialog shows err's message and stays open.
 * Returns DUKA_OK with the text in buf, or -1 when the user pressed Esc.
 */
typedef int (*w_check_fn)(const char *text, void *ctx, struct duka_err *err);
int w_prompt(struct tui *t, const char *title, const char *label,
    enum w_input_kind kind, char *buf, size_t n, w_check_fn check,
    void *ctx);

/* A field of a form. */
struct w_field {
	const char *label;		/* translated */
	enum w_input_kind kind;
	char *buf;			/* initial value in, result out */
	size_t n;
	w_check_fn check;		/* may be NULL */
	void *ctx;
	int optional;			/* may be left empty */
};

/*
 * A form of several fields: Tab/Down/Up move, Enter on the last field (or
 * F2 anywhere) submits, Esc cancels. Each field's check runs on submit; the
 * first failure is shown and focused. Then submit (may be NULL) runs with
 * the whole form; its failure is shown too and the form stays open.
 * Returns DUKA_OK or -1 (cancelled).
 */
typedef int (*w_submit_fn)(struct w_field *fields, int n, void *ctx,
    struct duka_err *err);
int w_form(struct tui *t, const char *title, struct w_field *fields, int n,
    w_submit_fn submit, void *ctx);

/* Pick one of n items (translated labels); returns its index or -1. */
int w_menu(struct tui *t, const char *title, const char *const *items, int n,
    int initial);

/* Show text (lines split on '\n') in a scrolling box until Esc or Enter. */
void w_text_view(struct tui *t, const char *title, const char *text);

#endif
