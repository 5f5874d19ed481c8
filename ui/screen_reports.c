/*
 * screen_reports.c - the owner's reports at the till: takings per day
 * and per month, top products, margin, attendants, VAT per class (the
 * text `duka report` prints, for a range of business days, this month by
 * default) and the reorder suggestions, in a view that scrolls both ways;
 * and the export of the books to an .xlsx workbook with its progress.
 *
 * The text comes from report_text and reorder_text (report.h), the same
 * code as the commands, so the screen and `duka report` always agree.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "export.h"
#include "i18n.h"
#include "report.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

enum { CMD_KIND, CMD_DATES, CMD_EXPORT };

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Report"), N_("choose the report: per day, per "
	    "month, top products, margin, attendants, VAT, reorder"),
	    CMD_KIND },
	{ KEY_F(3), 0, N_("Dates"), N_("the range of business days (this "
	    "month by default)"), CMD_DATES },
	{ KEY_F(4), 0, N_("Export"), N_("write the books of the range to a "
	    "spreadsheet (.xlsx)"), CMD_EXPORT },
	{ 0, 0, NULL, NULL, 0 },
};

/* The menu: the six reports, then the reorder suggestions. */
#define KIND_REORDER 6
static const char *const kind_labels[] = {
	N_("Takings per day"), N_("Takings per month"), N_("Top products"),
	N_("Margin per product"), N_("Sales per attendant"),
	N_("VAT per tax class"), N_("Reorder suggestions"),
};
#define NKINDS ((int)(sizeof kind_labels / sizeof kind_labels[0]))

struct reports {
	int kind;
	char from[DATE_LEN], to[DATE_LEN];
	int range_set;			/* the user chose a range */
	char *text;			/* the report, lines split in place */
	char **lines;
	int n, top, left;
};

static void *
rep_open(struct tui *t)
{
	struct reports *r = calloc(1, sizeof *r);

	(void)t;
	return r;
}

static void
rep_free_text(struct reports *r)
{
	free(r->text);
	free(r->lines);
	r->text = NULL;
	r->lines = NULL;
	r->n = 0;
}

static void
rep_close(void *st)
{
	rep_free_text(st);
	free(st);
}

/* This month so far: the 1st .. today. */
static void
this_month(char from[DATE_LEN], char to[DATE_LEN])
{
	date_today(to);
	snprintf(from, DATE_LEN, "%.8s01", to);
}

/* Split text into lines in place. */
static int
split(struct reports *r)
{
	char *p;
	int n = 1, i = 0;

	for (p = r->text; *p; p++)
		n += *p == '\n';
	if ((r->lines = calloc((size_t)n, sizeof *r->lines)) == NULL)
		return -1;
	r->lines[i++] = r->text;
	for (p = r->text; *p; p++)
		if (*p == '\n') {
			*p = '\0';
			if (i < n)
				r->lines[i++] = p + 1;
		}
	r->n = i;
	while (r->n > 0 && r->lines[r->n - 1][0] == '\0')
		r->n--;
	return 0;
}

/* Make the report again for the kind and range. */
static void
rep_load(struct tui *t, struct reports *r)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	size_t len = 0;
	FILE *fp;
	int rc;

	rep_free_text(r);
	r->top = r->left = 0;
	if ((fp = open_memstream(&r->text, &len)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		return;
	}
	if (r->kind == KIND_REORDER)
		rc = reorder_text(c->db, c->cfg, fp, &err);
	else
		rc = report_text(c->db, (enum report_kind)r->kind, r->from,
		    r->to, fp, &err);
	if (fclose(fp) != 0 && rc == DUKA_OK)
		rc = duka_fail(&err, DUKA_EFAIL, "%s", _("Out of memory."));
	if (rc != DUKA_OK) {
		tui_error_err(t, &err);
		rep_free_text(r);
		return;
	}
	if (r->text == NULL || split(r) != 0) {
		rep_free_text(r);
		tui_error(t, "%s", _("Out of memory."));
	}
}

static void
rep_enter(struct tui *t, void *st, const char *arg)
{
	struct reports *r = st;

	(void)arg;
	if (!r->range_set)
		this_month(r->from, r->to);
	rep_load(t, r);
}

static void
rep_draw(struct tui *t, void *st)
{
	struct reports *r = st;
	int cols = tui_cols(t), rows = tui_body_rows(t), page = rows - 2;
	int y = TUI_BODY_TOP, i;

	if (r->kind == KIND_REORDER)
		w_putf(y, 1, cols - 2, ROLE_TITLE, "%s", _(kind_labels[r->kind]));
	else
		w_putf(y, 1, cols - 2, ROLE_TITLE, _("%s · %s to %s"),
		    _(kind_labels[r->kind]), r->from, r->to);
	y++;
	for (i = 0; i < page && r->top + i < r->n; i++) {
		const char *line = r->lines[r->top + i];
		size_t len = strlen(line);

		/* columns are ASCII-aligned tables: skip bytes, but never
		 * start in the middle of a UTF-8 character */
		if ((size_t)r->left < len) {
			const char *p = line + r->left;

			while (*p && ((unsigned char)*p & 0xC0) == 0x80)
				p++;
			w_put(y + i, 1, cols - 2, ROLE_NORMAL, p);
		}
	}
	if (r->n > page || r->left > 0)
		w_putf(TUI_BODY_TOP + rows - 1, 1, cols - 2, ROLE_DIM,
		    _("lines %d-%d of %d · ↑↓ PgUp PgDn ←→ to scroll"),
		    r->n ? r->top + 1 : 0, r->top + i, r->n);
}

static void
choose_kind(struct tui *t, struct reports *r)
{
	const char *items[NKINDS];
	int i, pick;

	for (i = 0; i < NKINDS; i++)
		items[i] = _(kind_labels[i]);
	if ((pick = w_menu(t, _("Report"), items, NKINDS, r->kind)) < 0)
		return;
	r->kind = pick;
	rep_load(t, r);
}

/* Check a typed date (the form field's check). */
static int
check_date(const char *text, void *ctx, struct duka_err *err)
{
	char d[DATE_LEN];

	(void)ctx;
	return date_parse(text, d, err);
}

/* Both dates, and from not after to. */
static int
check_range(const char *from, const char *to, char out_from[DATE_LEN],
    char out_to[DATE_LEN], struct duka_err *err)
{
	int rc;

	if ((rc = date_parse(from, out_from, err)) != DUKA_OK ||
	    (rc = date_parse(to, out_to, err)) != DUKA_OK)
		return rc;
	if (strcmp(out_from, out_to) > 0)
		return duka_fail(err, DUKA_EINPUT, _("The first day (%s) is "
		    "after the last (%s)."), out_from, out_to);
	return DUKA_OK;
}

static int
dates_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct reports *r = ctx;
	char from[DATE_LEN], to[DATE_LEN];
	int rc;

	(void)n;
	if ((rc = check_range(f[0].buf, f[1].buf, from, to, err)) != DUKA_OK)
		return rc;
	memcpy(r->from, from, DATE_LEN);
	memcpy(r->to, to, DATE_LEN);
	return DUKA_OK;
}

static void
choose_dates(struct tui *t, struct reports *r)
{
	char from[DATE_LEN + 8], to[DATE_LEN + 8];
	struct w_field f[] = {
		{ _("From"), W_DATE, from, sizeof from, check_date, NULL, 0 },
		{ _("To"), W_DATE, to, sizeof to, check_date, NULL, 0 },
	};

	snprintf(from, sizeof from, "%s", r->from);
	snprintf(to, sizeof to, "%s", r->to);
	if (w_form(t, _("Business days (YYYY-MM-DD)"), f, 2, dates_submit,
	    r) != DUKA_OK)
		return;
	r->range_set = 1;
	rep_load(t, r);
}

/* --- export ---------------------------------------------------------------- */

struct export_job {
	struct tui *t;
	char from[DATE_LEN], to[DATE_LEN];
	const char *path;
	int64_t rows;			/* rows written, for the message */
};

/*
 * Esc typed during the export stops it (the workbook is then left as it
 * was). Other keys go back for the loop to read afterwards.
 */
static int
export_esc_typed(void)
{
	wint_t c;
	int r;

	timeout(0);
	r = get_wch(&c);
	if (r == OK && c == TUI_KEY_ESC)
		return 1;
	if (r == OK)
		unget_wch((wchar_t)c);
	else if (r == KEY_CODE_YES)
		ungetch((int)c);
	return 0;
}

/* Draw the progress box over the screen; the export goes on at once. */
static int
export_progress(void *ctx, const char *stage, int64_t done, int64_t total)
{
	struct export_job *j = ctx;
	int w = 60, h = 7, y = (LINES - h) / 2, x = (COLS - w) / 2;

	if (export_esc_typed())
		return 1;
	j->rows = done;
	tui_draw_all(j->t);
	w_box(y, x, h, w, _("Exporting"));
	w_put(y + 2, x + 2, w - 4, ROLE_DIALOG, stage);
	if (total > 0)
		w_putf(y + 3, x + 2, w - 4, ROLE_DIALOG, _("%lld of %lld rows"),
		    (long long)done, (long long)total);
	else
		w_putf(y + 3, x + 2, w - 4, ROLE_DIALOG, _("%lld rows"),
		    (long long)done);
	w_put(y + 5, x + 2, w - 4, ROLE_DIM, _("Esc stops the export."));
	refresh();
	return 0;
}

static int
do_export(struct export_job *j, struct duka_err *err)
{
	struct tui_ctx *c = tui_ctx(j->t);

	return export_workbook(c->db, c->cfg, j->from, j->to, j->path,
	    export_progress, j, err);
}

static int
export_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct export_job *j = ctx;
	int rc;

	(void)n;
	if ((rc = check_range(f[0].buf, f[1].buf, j->from, j->to, err)) !=
	    DUKA_OK)
		return rc;
	j->path = f[2].buf;
	rc = do_export(j, err);
	if (rc == DUKA_EPERM && tui_approve(j->t, PERM_EXPORT) == DUKA_OK) {
		err->msg[0] = '\0';
		rc = do_export(j, err);
	}
	return rc;
}

static void
export_books(struct tui *t, struct reports *r)
{
	char from[DATE_LEN + 8], to[DATE_LEN + 8], path[1024], today[DATE_LEN];
	const char *home = getenv("HOME");
	struct w_field f[] = {
		{ _("From"), W_DATE, from, sizeof from, check_date, NULL, 0 },
		{ _("To"), W_DATE, to, sizeof to, check_date, NULL, 0 },
		{ _("File"), W_TEXT, path, sizeof path, NULL, NULL, 0 },
	};
	struct export_job j;

	memset(&j, 0, sizeof j);
	j.t = t;
	date_today(today);
	snprintf(from, sizeof from, "%s", r->from);
	snprintf(to, sizeof to, "%s", r->to);
	snprintf(path, sizeof path, "%s/duka-export-%s.xlsx",
	    home != NULL && *home ? home : ".", today);
	if (w_form(t, _("Export the books to a spreadsheet"), f, 3,
	    export_submit, &j) != DUKA_OK)
		return;
	tui_info(t, _("Exported %s to %s: %s"), j.from, j.to, path);
}

static enum tui_handled
rep_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct reports *r = st;
	int page = tui_body_rows(t) - 2;

	switch (cmd) {
	case CMD_KIND:
		choose_kind(t, r);
		return TUI_DONE;
	case CMD_DATES:
		choose_dates(t, r);
		return TUI_DONE;
	case CMD_EXPORT:
		export_books(t, r);
		return TUI_DONE;
	default:
		break;
	}
	if (ev->type != TUI_EV_KEY)
		return TUI_IGNORED;
	switch (ev->key) {
	case KEY_UP:
		r->top--;
		break;
	case KEY_DOWN:
		r->top++;
		break;
	case KEY_PPAGE:
		r->top -= page;
		break;
	case KEY_NPAGE:
		r->top += page;
		break;
	case KEY_HOME:
	case KEY_FIND:
		r->top = 0;
		r->left = 0;
		break;
	case KEY_END:
	case KEY_SELECT:
		r->top = r->n - page;
		break;
	case KEY_LEFT:
		r->left -= 8;
		break;
	case KEY_RIGHT:
		r->left += 8;
		break;
	default:
		return TUI_IGNORED;
	}
	if (r->top > r->n - page)
		r->top = r->n - page;
	if (r->top < 0)
		r->top = 0;
	if (r->left > 400)
		r->left = 400;
	if (r->left < 0)
		r->left = 0;
	return TUI_DONE;
}

const struct tui_screen screen_reports = {
	"reports", N_("Reports"), keys, rep_open, rep_close, rep_enter,
	rep_draw, rep_key, NULL, NULL, NULL,
};
