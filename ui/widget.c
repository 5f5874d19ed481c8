/*
 * widget.c - drawing text by columns, the line editor, lists, and the
 * modal dialogs. Dialogs run their own small loop on tui_dialog_event(), so
 * that a resize redraws the screen under them and scans are kept.
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <sodium.h>

#include "i18n.h"
#include "widget.h"

#define WBUF 512

static int cursor_y = -1, cursor_x = -1;

void
w_cursor_want(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

void
w_cursor_place(void)
{
	if (cursor_y < 0) {
		curs_set(0);
		return;
	}
	curs_set(1);
	move(cursor_y, cursor_x);
}

/* --- text ------------------------------------------------------------ */

/* Decode UTF-8 into wide characters (bad bytes become '?'); returns the
 * count. */
static size_t
decode(const char *text, wchar_t *out, size_t max)
{
	mbstate_t ps;
	size_t n = 0, len = strlen(text), r;
	const char *p = text;

	memset(&ps, 0, sizeof ps);
	while (len > 0 && n < max) {
		wchar_t wc;

		r = mbrtowc(&wc, p, len, &ps);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			wc = L'?';
			r = 1;
			memset(&ps, 0, sizeof ps);
		}
		if (!iswprint((wint_t)wc))
			wc = L'?';
		out[n++] = wc;
		p += r;
		len -= r;
	}
	return n;
}

static int
wc_cols(wchar_t wc)
{
	int w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int
w_text_cols(const char *text)
{
	wchar_t wbuf[WBUF];
	size_t n = decode(text, wbuf, WBUF), i;
	int cols = 0;

	for (i = 0; i < n; i++)
		cols += wc_cols(wbuf[i]);
	return cols;
}

/* Write at most width columns of wbuf; returns columns written. */
static int
put_wide(int y, int x, int width, const wchar_t *w, size_t n)
{
	size_t i;
	int cols = 0;

	move(y, x);
	for (i = 0; i < n; i++) {
		int c = wc_cols(w[i]);

		if (cols + c > width)
			break;
		addnwstr(&w[i], 1);
		cols += c;
	}
	return cols;
}

static void
pad(int y, int x, int cols)
{
	int i;

	move(y, x);
	for (i = 0; i < cols; i++)
		addch(' ');
}

int
w_put(int y, int x, int width, enum theme_role role, const char *text)
{
	wchar_t wbuf[WBUF];
	size_t n;
	int used;

	if (width <= 0)
		return 0;
	n = decode(text, wbuf, WBUF);
	attrset(theme_attr(role));
	used = put_wide(y, x, width, wbuf, n);
	pad(y, x + used, width - used);
	attrset(A_NORMAL);
	return used;
}

void
w_put_right(int y, int x, int width, enum theme_role role, const char *text)
{
	int cols = w_text_cols(text);

	if (cols >= width) {
		w_put(y, x, width, role, text);
		return;
	}
	attrset(theme_attr(role));
	pad(y, x, width - cols);
	attrset(A_NORMAL);
	w_put(y, x + width - cols, cols, role, text);
}

void
w_put_center(int y, int x, int width, enum theme_role role,
    const char *text)
{
	int cols = w_text_cols(text), left;

	if (cols >= width) {
		w_put(y, x, width, role, text);
		return;
	}
	left = (width - cols) / 2;
	attrset(theme_attr(role));
	pad(y, x, left);
	attrset(A_NORMAL);
	w_put(y, x + left, width - left, role, text);
}

int
w_putf(int y, int x, int width, enum theme_role role, const char *fmt, ...)
{
	char buf[WBUF];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return w_put(y, x, width, role, buf);
}

void
w_fill(int y, int x, int rows, int cols, enum theme_role role)
{
	int r;

	attrset(theme_attr(role));
	for (r = 0; r < rows; r++)
		pad(y + r, x, cols);
	attrset(A_NORMAL);
}

void
w_box(int y, int x, int rows, int cols, const char *title)
{
	char t[WBUF];

	w_fill(y, x, rows, cols, ROLE_DIALOG);
	attrset(theme_attr(ROLE_DIALOG));
	mvhline(y, x + 1, ACS_HLINE, cols - 2);
	mvhline(y + rows - 1, x + 1, ACS_HLINE, cols - 2);
	mvvline(y + 1, x, ACS_VLINE, rows - 2);
	mvvline(y + 1, x + cols - 1, ACS_VLINE, rows - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + cols - 1, ACS_URCORNER);
	mvaddch(y + rows - 1, x, ACS_LLCORNER);
	mvaddch(y + rows - 1, x + cols - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	if (title != NULL && *title != '\0') {
		snprintf(t, sizeof t, " %s ", title);
		w_put(y, x + 2, w_text_cols(t) < cols - 4 ? w_text_cols(t) :
		    cols - 4, ROLE_TITLE, t);
	}
}

/* --- line editor ----------------------------------------------------- */

/* Byte offset of character index ci in buf. */
static size_t
char_offset(const char *buf, int ci)
{
	mbstate_t ps;
	size_t off = 0, len = strlen(buf), r;

	memset(&ps, 0, sizeof ps);
	while (ci > 0 && off < len) {
		r = mbrlen(buf + off, len - off, &ps);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			r = 1;
			memset(&ps, 0, sizeof ps);
		}
		off += r;
		ci--;
	}
	return off;
}

static int
char_count(const char *buf)
{
	wchar_t wbuf[W_INPUT_MAX];

	return (int)decode(buf, wbuf, W_INPUT_MAX);
}

void
w_input_init(struct w_input *in, enum w_input_kind kind, const char *initial)
{
	memset(in, 0, sizeof *in);
	in->kind = kind;
	w_input_set(in, initial != NULL ? initial : "");
}

void
w_input_set(struct w_input *in, const char *text)
{
	snprintf(in->buf, sizeof in->buf, "%s", text);
	in->cursor = char_count(in->buf);
	in->scroll = 0;
}

void
w_input_clear(struct w_input *in)
{
	w_input_set(in, "");
}

static int
kind_takes(enum w_input_kind kind, wint_t c, const char *buf)
{
	switch (kind) {
	case W_TEXT:
		return iswprint(c);
	case W_DIGITS:
	case W_PIN:
		return c >= '0' && c <= '9';
	case W_AMOUNT:
		return (c >= '0' && c <= '9') || c == ',' ||
		    (c == '.' && strchr(buf, '.') == NULL);
	case W_QTY:
		return (c >= '0' && c <= '9') ||
		    (c == '.' && strchr(buf, '.') == NULL);
	case W_DATE:
		return (c >= '0' && c <= '9') || c == '-';
	case W_CODE:
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
		    c == '-' || c == '/';
	}
	return 0;
}

const char *
w_input_refusal(enum w_input_kind kind)
{
	switch (kind) {
	case W_DIGITS:
	case W_PIN:
		return _("Only digits go here.");
	case W_AMOUNT:
		return _("Only an amount goes here, like 1250 or 1,250.50.");
	case W_QTY:
		return _("Only a quantity goes here, like 2 or 0.250.");
	case W_DATE:
		return _("Only a date goes here, like 2026-12-31.");
	case W_CODE:
		return _("Only a code goes here: letters, digits and . _ - /");
	case W_TEXT:
		break;
	}
	return _("That character cannot go here.");
}

static enum w_input_result
input_insert(struct w_input *in, wint_t c)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t ps;
	size_t len = strlen(in->buf), r, off;

	if (!kind_takes(in->kind, c, in->buf))
		return W_INPUT_REFUSED;
	memset(&ps, 0, sizeof ps);
	r = wcrtomb(mb, (wchar_t)c, &ps);
	if (r == (size_t)-1)
		return W_INPUT_REFUSED;
	if (len + r >= sizeof in->buf || (in->max_chars > 0 &&
	    (size_t)char_count(in->buf) >= in->max_chars))
		return W_INPUT_REFUSED;
	off = char_offset(in->buf, in->cursor);
	memmove(in->buf + off + r, in->buf + off, len - off + 1);
	memcpy(in->buf + off, mb, r);
	in->cursor++;
	return W_INPUT_CHANGED;
}

static void
input_delete_at(struct w_input *in, int ci)
{
	size_t a = char_offset(in->buf, ci), b = char_offset(in->buf, ci + 1);

	memmove(in->buf + a, in->buf + b, strlen(in->buf) - b + 1);
}

enum w_input_result
w_input_key(struct w_input *in, const struct tui_event *ev)
{
	int n = char_count(in->buf);

	if (ev->type == TUI_EV_SCAN) {
		w_input_set(in, ev->code);
		return W_INPUT_CHANGED;
	}
	if (ev->type != TUI_EV_KEY)
		return W_INPUT_UNHANDLED;
	switch (ev->key) {
	case KEY_BACKSPACE:
		if (in->cursor == 0)
			return W_INPUT_CHANGED;
		input_delete_at(in, --in->cursor);
		return W_INPUT_CHANGED;
	case KEY_DC:
		if (in->cursor < n)
			input_delete_at(in, in->cursor);
		return W_INPUT_CHANGED;
	case KEY_LEFT:
		if (in->cursor > 0)
			in->cursor--;
		return W_INPUT_CHANGED;
	case KEY_RIGHT:
		if (in->cursor < n)
			in->cursor++;
		return W_INPUT_CHANGED;
	case KEY_HOME:
		in->cursor = 0;
		return W_INPUT_CHANGED;
	case KEY_END:
		in->cursor = n;
		return W_INPUT_CHANGED;
	case 0:
		break;
	default:
		return W_INPUT_UNHANDLED;
	}
	if (ev->ch == TUI_KEY_ENTER)
		return W_INPUT_ENTER;
	if (ev->ch == TUI_CTRL('u')) {
		w_input_clear(in);
		return W_INPUT_CHANGED;
	}
	if (ev->ch < 32 || ev->ch == 127)
		return W_INPUT_UNHANDLED;
	return input_insert(in, ev->ch);
}

void
w_input_draw(struct w_input *in, int y, int x, int width, int focused)
{
	wchar_t wbuf[W_INPUT_MAX];
	size_t n = decode(in->buf, wbuf, W_INPUT_MAX), i;
	int cols = 0;

	if (in->kind == W_PIN)
		for (i = 0; i < n; i++)
			wbuf[i] = L'*';
	if (in->cursor < in->scroll)
		in->scroll = in->cursor;
	/* keep the cursor inside the field */
	for (;;) {
		cols = 0;
		for (i = (size_t)in->scroll; i < (size_t)in->cursor && i < n; i++)
			cols += wc_cols(wbuf[i]);
		if (cols < width || in->scroll >= in->cursor)
			break;
		in->scroll++;
	}
	w_fill(y, x, 1, width, ROLE_INPUT);
	attrset(theme_attr(ROLE_INPUT));
	put_wide(y, x, width, wbuf + in->scroll, n - (size_t)in->scroll);
	attrset(A_NORMAL);
	if (focused)
		w_cursor_want(y, x + (cols < width ? cols : width - 1));
}

/* --- list ------------------------------------------------------------ */

void
w_list_fix(struct w_list *l, int page)
{
	if (page < 1)
		page = 1;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top > l->n - page)
		l->top = l->n - page;
	if (l->top < 0)
		l->top = 0;
}

int
w_list_key(struct w_list *l, const struct tui_event *ev, int page)
{
	int old = l->sel;

	if (ev->type != TUI_EV_KEY)
		return 0;
	switch (ev->key) {
	case KEY_UP:
		l->sel--;
		break;
	case KEY_DOWN:
		l->sel++;
		break;
	case KEY_PPAGE:
		l->sel -= page;
		break;
	case KEY_NPAGE:
		l->sel += page;
		break;
	case KEY_HOME:
		l->sel = 0;
		break;
	case KEY_END:
		l->sel = l->n - 1;
		break;
	default:
		return 0;
	}
	w_list_fix(l, page);
	(void)old;
	return 1;
}

/* --- dialogs --------------------------------------------------------- */

/* A dialog's box: cols wide (at most the screen), rows high, centred. */
struct dlg {
	int y, x, rows, cols;
};

static void
dlg_place(struct dlg *d, int rows, int cols)
{
	d->cols = cols < COLS - 2 ? cols : COLS - 2;
	d->rows = rows < LINES - 2 ? rows : LINES - 2;
	d->y = (LINES - d->rows) / 2;
	d->x = (COLS - d->cols) / 2;
}

/* Wrap text into the dialog's width; returns the rows used. */
static int
dlg_text(const struct dlg *d, int row, const char *text, enum theme_role r,
    int max_rows)
{
	char line[WBUF];
	const char *p = text;
	int used = 0, width = d->cols - 4;

	if (width < 1)
		return 0;	/* a terminal too small for any text */
	while (*p != '\0' && used < max_rows) {
		size_t take = strlen(p), cut;

		snprintf(line, sizeof line, "%.*s", (int)take, p);
		while (w_text_cols(line) > width) {
			cut = strlen(line);
			while (cut > 0 && line[cut - 1] != ' ')
				cut--;
			if (cut == 0) {
				cut = strlen(line) - 1;
				while (cut > 0 && ((unsigned char)line[cut]
				    & 0xC0) == 0x80)
					cut--;
			} else {
				cut--;
			}
			line[cut] = '\0';
		}
		w_put(d->y + row + used, d->x + 2, width, r, line);
		p += strlen(line);
		while (*p == ' ')
			p++;
		used++;
	}
	return used;
}

/* A scan typed at a dialog that does not take it is kept for the sale. */
static void
dlg_keep_scan(struct tui *t, const struct tui_event *ev)
{
	if (ev->type == TUI_EV_SCAN)
		tui_scan_keep(t, ev->code);
}

int
w_confirm(struct tui *t, const char *question, int yes_default)
{
	struct tui_event ev;
	struct dlg d;
	char hint[160];

	snprintf(hint, sizeof hint, "%s", yes_default ?
	    _("[Y]es (Enter) / [N]o (Esc)") : _("[Y]es / [N]o (Enter, Esc)"));
	for (;;) {
		tui_draw_all(t);
		dlg_place(&d, 7, 60);
		w_box(d.y, d.x, d.rows, d.cols, _("Please confirm"));
		dlg_text(&d, 2, question, ROLE_DIALOG, 2);
		w_put(d.y + d.rows - 2, d.x + 2, d.cols - 4, ROLE_DIALOG, hint);
		w_cursor_place();
		refresh();
		if (tui_dialog_event(t, &ev) != 0)
			return 0;
		dlg_keep_scan(t, &ev);
		if (ev.type != TUI_EV_KEY || ev.key != 0)
			continue;
		/* "y" in English, "n"/"ndiyo" in Swahili: the hint names the
		 * keys of the language in use. */
		if (ev.ch == 'y' || ev.ch == 'Y' || ev.ch == (wint_t)(unsigned char)*_("y"))
			return 1;
		if (ev.ch == TUI_KEY_ENTER)
			return yes_default;
		if (ev.ch == 'n' || ev.ch == 'N' || ev.ch == TUI_KEY_ESC ||
		    ev.ch == (wint_t)(unsigned char)*_("n"))
			return 0;
	}
}

/* Run a field's check; on failure show its message in the dialog. */
static int
field_check(const struct w_field *f, char *msg, size_t n)
{
	struct duka_err err = { 0, "" };

	if (f->buf[0] == '\0') {
		if (f->optional)
			return DUKA_OK;
		snprintf(msg, n, _("%s: please fill this in."), f->label);
		return DUKA_EINPUT;
	}
	if (f->check != NULL && f->check(f->buf, f->ctx, &err) != DUKA_OK) {
		snprintf(msg, n, "%s", err.msg[0] ? err.msg :
		    _("That is not right."));
		return DUKA_EINPUT;
	}
	return DUKA_OK;
}

int
w_prompt(struct tui *t, const char *title, const char *label,
    enum w_input_kind kind, char *buf, size_t n, w_check_fn check, void *ctx)
{
	struct w_field f = { label, kind, buf, n, check, ctx, 0 };

	return w_form(t, title, &f, 1, NULL, NULL);
}

struct form {
	struct w_field *fields;
	struct w_input in[16];
	int n, focus;
	char msg[TUI_STATUS_MAX];
	int label_cols;
};

static void
form_draw(struct tui *t, struct form *f, const char *title)
{
	struct dlg d;
	int i, width, step = 2, room, first = 0;

	tui_draw_all(t);
	/* A long form packs its fields one per row, and scrolls to the
	 * focused field if even that does not fit. */
	if (f->n * 2 + 6 > LINES - 2)
		step = 1;
	dlg_place(&d, f->n * step + 6, 72);
	room = (d.rows - 5 + step - 1) / step;
	if (room < 1)
		room = 1;
	if (f->focus >= room)
		first = f->focus - room + 1;
	w_box(d.y, d.x, d.rows, d.cols, title);
	width = d.cols - 6 - f->label_cols;
	for (i = first; i < f->n && 2 + (i - first) * step < d.rows - 3; i++) {
		int y = d.y + 2 + (i - first) * step;

		w_put(y, d.x + 2, f->label_cols + 1,
		    i == f->focus ? ROLE_TITLE : ROLE_DIALOG,
		    f->fields[i].label);
		w_input_draw(&f->in[i], y, d.x + 4 + f->label_cols, width,
		    i == f->focus);
	}
	if (f->msg[0] != '\0')	/* two rows: a message with a path fits */
		dlg_text(&d, d.rows - 3, f->msg, ROLE_ERROR, 2);
	else
		w_put(d.y + d.rows - 3, d.x + 2, d.cols - 4, ROLE_DIM,
		    f->n > 1 ? _("Tab: next field · F2: save · Esc: cancel") :
		    _("Enter: OK · Esc: cancel"));
	w_cursor_place();
	refresh();
}

/* Check every field, then the whole form; DUKA_OK to close. */
static int
form_submit(struct form *f, w_submit_fn submit, void *ctx)
{
	struct duka_err err = { 0, "" };
	char saved[16][W_INPUT_MAX];
	int i;

	for (i = 0; i < f->n; i++) {
		snprintf(saved[i], sizeof saved[i], "%s",
		    f->fields[i].buf);
		snprintf(f->fields[i].buf, f->fields[i].n, "%s", f->in[i].buf);
	}
	for (i = 0; i < f->n; i++) {
		if (field_check(&f->fields[i], f->msg, sizeof f->msg) !=
		    DUKA_OK) {
			f->focus = i;
			goto refused;
		}
	}
	if (submit == NULL || submit(f->fields, f->n, ctx, &err) == DUKA_OK)
		return DUKA_OK;
	snprintf(f->msg, sizeof f->msg, "%s", err.msg[0] ? err.msg :
	    _("That did not work."));
refused:
	for (i = 0; i < f->n; i++)
		snprintf(f->fields[i].buf, f->fields[i].n, "%s", saved[i]);
	sodium_memzero(saved, sizeof saved);
	beep();
	return DUKA_EINPUT;
}

/* A key for the form; 1 when the form is done (submitted), -1 cancelled. */
static int
form_key(struct tui *t, struct form *f, const struct tui_event *ev,
    w_submit_fn submit, void *ctx)
{
	struct w_input *in = &f->in[f->focus];
	enum w_input_result r;

	if (ev->type == TUI_EV_SCAN && in->kind != W_DIGITS &&
	    in->kind != W_CODE) {
		tui_scan_keep(t, ev->code);
		return 0;
	}
	if (ev->type == TUI_EV_KEY && ev->key == 0 && ev->ch == TUI_KEY_ESC)
		return -1;
	if (ev->type == TUI_EV_KEY && (ev->key == KEY_DOWN ||
	    (ev->key == 0 && ev->ch == TUI_KEY_TAB))) {
		f->focus = (f->focus + 1) % f->n;
		return 0;
	}
	if (ev->type == TUI_EV_KEY && (ev->key == KEY_UP ||
	    ev->key == KEY_BTAB)) {
		f->focus = (f->focus + f->n - 1) % f->n;
		return 0;
	}
	if (ev->type == TUI_EV_KEY && ev->key == KEY_F(2))
		return form_submit(f, submit, ctx) == DUKA_OK ? 1 : 0;
	r = w_input_key(in, ev);
	if (r == W_INPUT_CHANGED)
		f->msg[0] = '\0';
	else if (r == W_INPUT_REFUSED) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    w_input_refusal(in->kind));
		beep();
	} else if (r == W_INPUT_ENTER) {
		if (f->focus < f->n - 1) {
			f->focus++;
			return 0;
		}
		return form_submit(f, submit, ctx) == DUKA_OK ? 1 : 0;
	}
	return 0;
}

int
w_form(struct tui *t, const char *title, struct w_field *fields, int n,
    w_submit_fn submit, void *ctx)
{
	struct form f;
	struct tui_event ev;
	int i, r;

	if (n < 1 || n > 16)
		return -1;
	memset(&f, 0, sizeof f);
	f.fields = fields;
	f.n = n;
	for (i = 0; i < n; i++) {
		int c = w_text_cols(fields[i].label);

		w_input_init(&f.in[i], fields[i].kind, fields[i].buf);
		if (fields[i].n - 1 < W_INPUT_MAX - 1)
			f.in[i].max_chars = fields[i].n - 1;
		if (c > f.label_cols)
			f.label_cols = c;
	}
	if (f.label_cols > 24)
		f.label_cols = 24;
	for (;;) {
		form_draw(t, &f, title);
		if (tui_dialog_event(t, &ev) != 0) {
			r = -1;
			break;
		}
		if ((r = form_key(t, &f, &ev, submit, ctx)) != 0)
			break;
	}
	/* A PIN typed stays in the caller's buffer only. */
	sodium_memzero(&f, sizeof f);
	return r > 0 ? DUKA_OK : -1;
}

int
w_menu(struct tui *t, const char *title, const char *const *items, int n,
    int initial)
{
	struct w_list l = { n, initial, 0 };
	struct tui_event ev;
	struct dlg d;
	int i, page, widest = w_text_cols(title) + 8;

	for (i = 0; i < n; i++)
		if (w_text_cols(items[i]) + 6 > widest)
			widest = w_text_cols(items[i]) + 6;
	for (;;) {
		tui_draw_all(t);
		dlg_place(&d, n + 4, widest);
		page = d.rows - 4;
		w_list_fix(&l, page);
		w_box(d.y, d.x, d.rows, d.cols, title);
		for (i = 0; i < page && l.top + i < n; i++)
			w_put(d.y + 2 + i, d.x + 2, d.cols - 4, l.top + i ==
			    l.sel ? ROLE_SELECTED : ROLE_DIALOG,
			    items[l.top + i]);
		w_cursor_place();
		refresh();
		if (tui_dialog_event(t, &ev) != 0)
			return -1;
		dlg_keep_scan(t, &ev);
		if (w_list_key(&l, &ev, page))
			continue;
		if (ev.type == TUI_EV_KEY && ev.key == 0) {
			if (ev.ch == TUI_KEY_ENTER)
				return l.sel;
			if (ev.ch == TUI_KEY_ESC)
				return -1;
			if (ev.ch >= '1' && ev.ch <= '9' &&
			    (int)(ev.ch - '1') < n)
				return (int)(ev.ch - '1');
		}
	}
}

/* Split text into lines (pointers into a copy); returns the count. */
static int
split_lines(char *copy, char ***lines)
{
	int n = 1, i = 0;
	char *p;

	for (p = copy; *p; p++)
		n += *p == '\n';
	if ((*lines = calloc((size_t)n, sizeof **lines)) == NULL)
		return 0;
	(*lines)[i++] = copy;
	for (p = copy; *p; p++)
		if (*p == '\n') {
			*p = '\0';
			(*lines)[i++] = p + 1;
		}
	return n;
}

void
w_text_view(struct tui *t, const char *title, const char *text)
{
	struct tui_event ev;
	struct w_list l = { 0, 0, 0 };
	struct dlg d;
	char *copy = strdup(text), **lines = NULL;
	int i, page, widest = w_text_cols(title) + 6;

	if (copy == NULL || (l.n = split_lines(copy, &lines)) == 0) {
		free(copy);
		tui_error(t, _("Out of memory."));
		return;
	}
	for (i = 0; i < l.n; i++)
		if (w_text_cols(lines[i]) + 4 > widest)
			widest = w_text_cols(lines[i]) + 4;
	for (;;) {
		tui_draw_all(t);
		dlg_place(&d, l.n + 4, widest);
		page = d.rows - 4;
		w_box(d.y, d.x, d.rows, d.cols, title);
		for (i = 0; i < page && l.top + i < l.n; i++)
			w_put(d.y + 1 + i, d.x + 2, d.cols - 4, ROLE_DIALOG,
			    lines[l.top + i]);
		w_put(d.y + d.rows - 2, d.x + 2, d.cols - 4, ROLE_DIM,
		    _("↑↓ PgUp PgDn: scroll · Enter/Esc: close"));
		w_cursor_place();
		refresh();
		if (tui_dialog_event(t, &ev) != 0)
			break;
		dlg_keep_scan(t, &ev);
		if (ev.type == TUI_EV_KEY && ev.key == 0 &&
		    (ev.ch == TUI_KEY_ENTER || ev.ch == TUI_KEY_ESC))
			break;
		/* scroll the view, not a selection */
		if (ev.type == TUI_EV_KEY && (ev.key == KEY_DOWN ||
		    ev.key == KEY_NPAGE))
			l.top += ev.key == KEY_DOWN ? 1 : page;
		if (ev.type == TUI_EV_KEY && (ev.key == KEY_UP ||
		    ev.key == KEY_PPAGE))
			l.top -= ev.key == KEY_UP ? 1 : page;
		if (l.top > l.n - page)
			l.top = l.n - page;
		if (l.top < 0)
			l.top = 0;
	}
	free(lines);
	free(copy);
}
