/*
 * export.c - "duka export": the books of a range of business days as an
 * .xlsx workbook for the owner (see export.h for the sheets).
 *
 * Read-only, like inventory.c: it owns no table and only reads the tables
 * of sale.c, shift.c, stock.c and catalog.c, each sheet with one SELECT
 * that walks an index in the order the sheet wants (no sort of a year of
 * rows in memory). Stock on hand, the X/Z figures and the reorder
 * suggestions come from the modules that own them (inventory_list,
 * shift_report, reorder_suggest), so the workbook says what the screens say.
 *
 * Numbers. Money is int64 cents and quantities int64 thousandths
 * everywhere in duka; XLSX stores every number as an IEEE double, so this
 * is the one place where a double is unavoidable. The division happens at
 * the last moment, in put_money() and put_qty(), from the int64 value, and
 * nothing is ever summed in double: a totals row is an Excel formula
 * (=SUM(...)) whose cached value is the int64 sum of the cents written,
 * divided once.
 *
 * Memory. The workbook is written in libxlsxwriter's constant-memory mode:
 * each row goes to a temporary file (in the target's folder, not in /tmp,
 * which may be memory) as soon as the next row starts, so rows must be
 * written in order; column widths, the autofilter and the frozen header are
 * set when a sheet ends, which constant-memory mode allows because they are
 * assembled when the workbook is closed. Excel holds 1,048,576 rows a
 * sheet; a longer sheet goes on in "Sale lines (2)" and so on.
 *
 * Atomic replace: the workbook is written to a hidden temporary file beside
 * the target (mkstemp, same file system), flushed to disk and renamed over
 * the target; any failure removes the temporary file and leaves the target
 * as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "catalog.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "export.h"
#include "fraud.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"
#include "mpesa.h"
#include "reorder.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "status.h"
#include "user.h"

/* Columns of the widest sheet (Shifts). */
#define MAXCOLS 32
/* Rows between two calls of the progress callback. */
#define PROGRESS_EVERY 4096
/* Widest column, in characters. */
#define WIDTH_MAX 60
/* Room for a sheet name: 31 characters of up to 4 bytes, and the NUL. */
#define SHEET_NAME_MAX (LXW_SHEETNAME_MAX * 4 + 1)

/* What a column holds, which decides its number format and width. */
enum kind {
	K_TEXT,		/* text */
	K_INT,		/* a count: #,##0 */
	K_ID,		/* a number that names something: 0 */
	K_MONEY,	/* cents, shown with the currency */
	K_QTY,		/* thousandths; whole numbers without decimals */
	K_QTY3,		/* (format only) thousandths with three decimals */
	K_DATE,		/* YYYY-MM-DD */
	K_STAMP,	/* a UTC time stamp, shown in the shop's time */
	NKINDS
};

/* Row colours: the status of what the row describes. */
enum fill {
	FILL_NONE, FILL_LOW, FILL_OUT, FILL_EXPIRING, FILL_EXPIRED, NFILLS
};

/* Background and font colour of each fill. */
static const struct {
	lxw_color_t bg, fg;
} fill_colours[NFILLS] = {
	[FILL_LOW] = { 0xFFEB9C, 0x9C5700 },		/* amber */
	[FILL_OUT] = { 0xFFC7CE, 0x9C0006 },		/* light red */
	[FILL_EXPIRING] = { 0xFCE4D6, 0x833C0B },	/* light orange */
	[FILL_EXPIRED] = { 0xC00000, 0xFFFFFF },	/* dark red */
};

/* Number formats of the kinds; K_MONEY's is built from the currency. */
static const char *const kind_formats[NKINDS] = {
	[K_TEXT] = NULL,
	[K_INT] = "#,##0",
	[K_ID] = "0",
	[K_MONEY] = NULL,
	[K_QTY] = "#,##0",
	[K_QTY3] = "#,##0.000",
	[K_DATE] = "dd/mm/yyyy",
	[K_STAMP] = "dd/mm/yyyy hh:mm",
};

/* Width in characters of a column of each kind (text: its content). */
static const int kind_widths[NKINDS] = {
	[K_TEXT] = 6, [K_INT] = 8, [K_ID] = 7, [K_MONEY] = 16, [K_QTY] = 10,
	[K_QTY3] = 10, [K_DATE] = 11, [K_STAMP] = 17,
};

struct column {
	const char *title;	/* N_() marked */
	enum kind kind;
};

/* Everything one export needs. */
struct exporter {
	struct db *db;
	const struct settings *cfg;
	lxw_workbook *wb;
	lxw_format *fmt[NFILLS][NKINDS];
	lxw_format *total[NKINDS];	/* the totals row: bold, top border */
	lxw_format *header;
	char money_format[64];
	char from[DATE_LEN], to[DATE_LEN];	/* business days, inclusive */
	char from_ts[TIMESTAMP_LEN], to_ts[TIMESTAMP_LEN];	/* UTC, [) */
	char today[DATE_LEN];
	export_progress_fn progress;
	void *ctx;
	struct duka_err *err;
	lxw_error lerr;			/* first libxlsxwriter error */
	int stopped;
	/* Caches of put_date() and put_stamp(). */
	char last_date[DATE_LEN];
	double last_serial;
	int64_t offset_key, offset;
	int offset_known;
	/* Document properties; libxlsxwriter keeps pointers to them. */
	char title[160], subject[96], comments[128];
};

/* One sheet being written (and its continuation sheets). */
struct sheet {
	struct exporter *x;
	char name[SHEET_NAME_MAX];	/* translated */
	const char *english;		/* untranslated, the fallback */
	lxw_worksheet *ws;
	const struct column *col;
	int ncols;
	int part;			/* 1, then 2... for continuations */
	int one_part;			/* has a totals row: never continues */
	lxw_row_t row;			/* row being written; 0 = header */
	enum fill fill;			/* of the row being written */
	int64_t done, total;		/* rows, for the progress callback */
	int width[MAXCOLS];
	int64_t sum[MAXCOLS];		/* of this part, for totals rows */
	int overflow[MAXCOLS];		/* a sum did not fit in int64 */
};

/* Data rows a sheet takes before a continuation sheet (Excel's limit). */
static int64_t sheet_rows_max = LXW_ROW_MAX - 1;

/* Tests only (see export.h): set the continuation limit. */
void
export_set_sheet_rows(int64_t rows)
{
	sheet_rows_max = rows > 0 && rows < LXW_ROW_MAX ? rows :
	    LXW_ROW_MAX - 1;
}

/* Count of UTF-8 characters in s (continuation bytes are not counted). */
static int
utf8_chars(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Record the first libxlsxwriter error; the row loop stops on it. */
static void
lxw_check(struct exporter *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->lerr == LXW_NO_ERROR)
		x->lerr = e;
}

/* Make one cell format. */
static lxw_format *
make_format(struct exporter *x, enum fill f, enum kind k, int bold)
{
	lxw_format *fmt = workbook_add_format(x->wb);
	const char *nf = k == K_MONEY ? x->money_format : kind_formats[k];

	if (fmt == NULL)
		return NULL;
	if (nf != NULL)
		format_set_num_format(fmt, nf);
	if (f != FILL_NONE) {
		format_set_pattern(fmt, LXW_PATTERN_SOLID);
		format_set_bg_color(fmt, fill_colours[f].bg);
		format_set_font_color(fmt, fill_colours[f].fg);
	}
	if (bold) {
		format_set_bold(fmt);
		format_set_top(fmt, LXW_BORDER_THIN);
	}
	return fmt;
}

/*
 * The currency format: "KSh 1,250.50" and "KSh -3.05", as
 * money_format_ksh() writes amounts on receipts.
 */
static void
money_number_format(const struct settings *cfg, char *buf, size_t len)
{
	const char *sym = strcmp(cfg->currency, "KES") == 0 ||
	    cfg->currency[0] == '\0' ? "KSh" : cfg->currency;

	snprintf(buf, len, "\"%s \"#,##0.00;\"%s \"-#,##0.00", sym, sym);
}

/* Do kinds a and b show numbers the same way? */
static int
same_number_format(struct exporter *x, enum kind a, enum kind b)
{
	const char *fa = a == K_MONEY ? x->money_format : kind_formats[a];
	const char *fb = b == K_MONEY ? x->money_format : kind_formats[b];

	return fa == fb || (fa != NULL && fb != NULL && strcmp(fa, fb) == 0);
}

/*
 * Make every format of the workbook, each distinct one once: plain text
 * is the default format (NULL), and kinds with the same number format
 * share one. libxlsxwriter looks a format up in a hash table for every
 * cell unless it is the first of its kind, which made duplicates cost a
 * fifth of the export.
 */
static int
make_formats(struct exporter *x)
{
	int f, k, j;

	money_number_format(x->cfg, x->money_format, sizeof x->money_format);
	for (f = 0; f < NFILLS; f++)
		for (k = 0; k < NKINDS; k++) {
			for (j = 0; j < k; j++)
				if (same_number_format(x, j, k))
					break;
			if (j < k)
				x->fmt[f][k] = x->fmt[f][j];
			else if (f == FILL_NONE && k == K_TEXT)
				x->fmt[f][k] = NULL;
			else if ((x->fmt[f][k] = make_format(x, f, k, 0)) ==
			    NULL)
				return -1;
		}
	for (k = 0; k < NKINDS; k++) {
		for (j = 0; j < k; j++)
			if (same_number_format(x, j, k))
				break;
		if (j < k)
			x->total[k] = x->total[j];
		else if ((x->total[k] = make_format(x, FILL_NONE, k, 1)) ==
		    NULL)
			return -1;
	}
	if ((x->header = workbook_add_format(x->wb)) == NULL)
		return -1;
	format_set_bold(x->header);
	format_set_pattern(x->header, LXW_PATTERN_SOLID);
	format_set_bg_color(x->header, 0xD9E1F2);
	format_set_bottom(x->header, LXW_BORDER_THIN);
	return 0;
}

/* Fail the export with libxlsxwriter's reason. */
static int
lxw_fail(struct exporter *x, lxw_error e)
{
	return duka_fail(x->err, DUKA_EFAIL, _("writing the workbook failed: "
	    "%s"), lxw_strerror(e));
}

/* Tell the progress callback; a non-zero answer stops the export. */
static int
report(struct exporter *x, const char *stage, int64_t done, int64_t total)
{
	if (x->progress == NULL || x->stopped)
		return x->stopped ? DUKA_EFAIL : DUKA_OK;
	if (x->progress(x->ctx, stage, done, total) != 0) {
		x->stopped = 1;
		return duka_fail(x->err, DUKA_EFAIL, _("the export was stopped"));
	}
	return DUKA_OK;
}

/*
 * Add a worksheet named name (translated), or its English name when a
 * translation is not a valid sheet name (too long, or with []:*?/\).
 */
static lxw_worksheet *
add_worksheet(struct exporter *x, const char *name, const char *english)
{
	if (workbook_validate_sheet_name(x->wb, name) != LXW_NO_ERROR)
		name = english;
	return workbook_add_worksheet(x->wb, name);
}

/* Start part s->part of a sheet: the worksheet and its header row. */
static int
sheet_part_begin(struct sheet *s)
{
	struct exporter *x = s->x;
	char name[SHEET_NAME_MAX], eng[SHEET_NAME_MAX];
	int c;

	if (s->part == 1) {
		snprintf(name, sizeof name, "%s", s->name);
		snprintf(eng, sizeof eng, "%s", s->english);
	} else {
		/* "Sale lines (2)": the base cut to leave room for the
		 * number within Excel's 31 characters. */
		snprintf(name, sizeof name, "%.24s (%d)", s->name, s->part);
		snprintf(eng, sizeof eng, "%.24s (%d)", s->english, s->part);
	}
	if ((s->ws = add_worksheet(x, name, eng)) == NULL)
		return duka_fail(x->err, DUKA_EFAIL, _("cannot add the sheet "
		    "\"%s\" to the workbook"), name);
	s->row = 0;
	for (c = 0; c < s->ncols; c++) {
		const char *t = _(s->col[c].title);
		int w = utf8_chars(t) + 3;	/* room for the filter button */

		s->width[c] = w > kind_widths[s->col[c].kind] ? w :
		    kind_widths[s->col[c].kind];
		s->sum[c] = 0;
		s->overflow[c] = 0;
		lxw_check(x, worksheet_write_string(s->ws, 0, (lxw_col_t)c, t,
		    x->header));
	}
	worksheet_freeze_panes(s->ws, 1, 0);
	return x->lerr != LXW_NO_ERROR ? lxw_fail(x, x->lerr) : DUKA_OK;
}

/* End the current part: column widths and the autofilter over the data. */
static int
sheet_part_end(struct sheet *s)
{
	struct exporter *x = s->x;
	int c;

	for (c = 0; c < s->ncols; c++)
		lxw_check(x, worksheet_set_column(s->ws, (lxw_col_t)c,
		    (lxw_col_t)c, s->width[c] > WIDTH_MAX ? WIDTH_MAX :
		    s->width[c], NULL));
	lxw_check(x, worksheet_autofilter(s->ws, 0, 0, s->row,
	    (lxw_col_t)(s->ncols - 1)));
	return x->lerr != LXW_NO_ERROR ? lxw_fail(x, x->lerr) : DUKA_OK;
}

/*
 * Start a sheet of ncols columns named name (translated; english is its
 * untranslated name, the fallback). total is the number of rows expected,
 * for the progress callback (0 when unknown).
 */
static int
sheet_begin(struct sheet *s, struct exporter *x, const char *english,
    const struct column *col, int ncols, int64_t total)
{
	memset(s, 0, sizeof *s);
	s->x = x;
	s->english = english;
	snprintf(s->name, sizeof s->name, "%s", _(english));
	s->col = col;
	s->ncols = ncols;
	s->part = 1;
	s->total = total;
	if (report(x, s->name, 0, total) != DUKA_OK)
		return x->err->code;
	return sheet_part_begin(s);
}

/*
 * After the last data row: a "Total" row whose columns in mask (bit c for
 * column c) are =SUM() formulas over the data above, with the int64 sums
 * as their cached values. With no data rows the totals are plain zeros
 * (a SUM over no rows would have to name the header or itself).
 */
static int
sheet_totals(struct sheet *s, uint64_t mask)
{
	struct exporter *x = s->x;
	lxw_row_t r = s->row + 1;
	char formula[64], colname[8];
	enum kind k;
	double v;
	int c;

	lxw_check(x, worksheet_write_string(s->ws, r, 0, _("Total"),
	    x->total[K_TEXT]));
	for (c = 1; c < s->ncols; c++) {
		k = s->col[c].kind;
		if (!(mask & (UINT64_C(1) << c))) {
			lxw_check(x, worksheet_write_blank(s->ws, r,
			    (lxw_col_t)c, x->total[K_TEXT]));
			continue;
		}
		/* The cached value: the exact int64 sum, divided once. */
		if (k == K_MONEY)
			v = (double)s->sum[c] / 100.0;
		else if (k == K_QTY)
			v = (double)s->sum[c] / 1000.0;
		else
			v = (double)s->sum[c];
		if (s->overflow[c])
			v = 0;	/* Excel recomputes it on opening */
		if (s->row == 0) {
			lxw_check(x, worksheet_write_number(s->ws, r,
			    (lxw_col_t)c, 0, x->total[k]));
			continue;
		}
		lxw_col_to_name(colname, (lxw_col_t)c, 0);
		snprintf(formula, sizeof formula, "=SUM(%s2:%s%lu)", colname,
		    colname, (unsigned long)s->row + 1);
		lxw_check(x, worksheet_write_formula_num(s->ws, r, (lxw_col_t)c,
		    formula, x->total[k], v));
	}
	return x->lerr != LXW_NO_ERROR ? lxw_fail(x, x->lerr) : DUKA_OK;
}

/*
 * Finish a sheet, with a totals row of the columns in mask when mask is
 * not 0. The autofilter is set first: in constant-memory mode it cannot
 * name rows above the last one written, and the totals row stays out of
 * it, so that sorting the data leaves the totals at the bottom.
 */
static int
sheet_end(struct sheet *s, uint64_t totals)
{
	int rc;

	if ((rc = sheet_part_end(s)) != DUKA_OK)
		return rc;
	if (totals != 0 && (rc = sheet_totals(s, totals)) != DUKA_OK)
		return rc;
	return report(s->x, s->name, s->done, s->total > s->done ? s->total :
	    s->done);
}

/*
 * Start the next data row, coloured fill; past Excel's row limit the
 * sheet goes on in a continuation sheet. Stops on a libxlsxwriter error or
 * when the progress callback asks.
 */
static int
sheet_row(struct sheet *s, enum fill fill)
{
	struct exporter *x = s->x;
	int rc;

	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	/* A sheet with a totals row keeps its data on one sheet, and room
	 * for the totals row; far more rows than a shop has products. */
	if (s->one_part && (int64_t)s->row >= LXW_ROW_MAX - 2)
		return duka_fail(x->err, DUKA_EFAIL, _("%s: more rows than "
		    "one sheet holds"), s->name);
	if (!s->one_part && (int64_t)s->row >= sheet_rows_max) {
		if ((rc = sheet_part_end(s)) != DUKA_OK)
			return rc;
		s->part++;
		if ((rc = sheet_part_begin(s)) != DUKA_OK)
			return rc;
	}
	s->row++;
	s->fill = fill;
	if (++s->done % PROGRESS_EVERY == 0)
		return report(x, s->name, s->done, s->total);
	return DUKA_OK;
}

/* Widen column c to fit n characters. */
static void
fit(struct sheet *s, int c, int n)
{
	if (n + 1 > s->width[c])
		s->width[c] = n + 1;
}

/* Add v to the column's sum (for a totals row), noting an overflow. */
static void
add_sum(struct sheet *s, int c, int64_t v)
{
	if (__builtin_add_overflow(s->sum[c], v, &s->sum[c]))
		s->overflow[c] = 1;
}

/* An empty cell, coloured like its row. */
static void
put_blank(struct sheet *s, int c)
{
	if (s->fill != FILL_NONE)
		lxw_check(s->x, worksheet_write_blank(s->ws, s->row,
		    (lxw_col_t)c, s->x->fmt[s->fill][K_TEXT]));
}

/* Text (NULL or "" leaves the cell empty). */
static void
put_text(struct sheet *s, int c, const char *t)
{
	if (t == NULL || *t == '\0') {
		put_blank(s, c);
		return;
	}
	fit(s, c, utf8_chars(t));
	lxw_check(s->x, worksheet_write_string(s->ws, s->row, (lxw_col_t)c, t,
	    s->x->fmt[s->fill][K_TEXT]));
}

/* A count or an id (kind K_INT or K_ID). */
static void
put_int(struct sheet *s, int c, int64_t v)
{
	add_sum(s, c, v);
	/* A count is far below 2^53: exact as a double. */
	lxw_check(s->x, worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    (double)v, s->x->fmt[s->fill][s->col[c].kind]));
}

/* An amount in cents, as a number of currency units. */
static void
put_money(struct sheet *s, int c, int64_t cents)
{
	add_sum(s, c, cents);
	/* XLSX numbers are doubles: divide the exact cents here, at the
	 * last moment, and never add the doubles up (totals are formulas,
	 * their cached values int64 sums divided once). */
	lxw_check(s->x, worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    (double)cents / 100.0, s->x->fmt[s->fill][K_MONEY]));
}

/* A quantity in thousandths, as a number of units. */
static void
put_qty(struct sheet *s, int c, int64_t thousandths)
{
	add_sum(s, c, thousandths);
	/* As for money: the one division into a double, at the last moment. */
	lxw_check(s->x, worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    (double)thousandths / 1000.0,
	    s->x->fmt[s->fill][thousandths % 1000 == 0 ? K_QTY : K_QTY3]));
}

/* Excel's serial number of 1970-01-01 (its day 0 is 1899-12-30). */
#define EXCEL_UNIX_EPOCH 25569
#define SECONDS_A_DAY 86400

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm, as
 * in date.c). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Read n digits at s into *v; -1 if one is not a digit. */
static int
read_num(const char *s, int n, int *v)
{
	int i;

	for (*v = 0, i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of "YYYY-MM-DD" at the start of t; -1 if it is
 * not a date (from 1901, where Excel's calendar is the real one). */
static int
read_days(const char *t, int64_t *days)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d;

	if (read_num(t, 4, &y) != 0 || t[4] != '-' ||
	    read_num(t + 5, 2, &m) != 0 || t[7] != '-' ||
	    read_num(t + 8, 2, &d) != 0 || y < 1901 || m < 1 || m > 12 ||
	    d < 1 || d > mdays[m - 1])
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

/*
 * A date "YYYY-MM-DD" (NULL or "" leaves the cell empty), written as the
 * Excel serial number that worksheet_write_datetime() would write, with
 * the date format. Rows of one day follow each other: the last date is
 * remembered.
 */
static void
put_date(struct sheet *s, int c, const char *d)
{
	struct exporter *x = s->x;
	int64_t days;

	if (d == NULL || *d == '\0') {
		put_blank(s, c);
		return;
	}
	if (strncmp(d, x->last_date, DATE_LEN - 1) != 0 || d[10] != '\0') {
		if (strlen(d) != 10 || read_days(d, &days) != 0) {
			put_text(s, c, d);	/* not a date: as it is */
			return;
		}
		memcpy(x->last_date, d, DATE_LEN);
		x->last_serial = (double)(days + EXCEL_UNIX_EPOCH);
	}
	lxw_check(x, worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    x->last_serial, x->fmt[s->fill][K_DATE]));
}

/*
 * The shop's UTC offset at t, in seconds. localtime_r costs about a
 * microsecond; zones change their offset only at a quarter hour, so the
 * offset of the last quarter hour asked is kept.
 */
static int64_t
local_offset(struct exporter *x, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (x->offset_key != t / 900 || !x->offset_known) {
		localtime_r(&tt, &tm);
		x->offset = tm.tm_gmtoff;
		x->offset_key = t / 900;
		x->offset_known = 1;
	}
	return x->offset;
}

/*
 * A UTC time stamp "YYYY-MM-DDTHH:MM:SS[.sss]Z", shown in the shop's time
 * zone (Excel has none): the owner reads the time on the shop's clock. The
 * cell is the Excel serial number of that local time, with the date-time
 * format.
 */
static void
put_stamp(struct sheet *s, int c, const char *ts)
{
	struct exporter *x = s->x;
	int64_t days, t, local;
	int h, mi, se, ms = 0, i;

	if (ts == NULL || *ts == '\0') {
		put_blank(s, c);
		return;
	}
	if (strlen(ts) < 19 || read_days(ts, &days) != 0 || ts[10] != 'T' ||
	    read_num(ts + 11, 2, &h) != 0 || ts[13] != ':' ||
	    read_num(ts + 14, 2, &mi) != 0 || ts[16] != ':' ||
	    read_num(ts + 17, 2, &se) != 0 || h > 23 || mi > 59 || se > 60) {
		put_text(s, c, ts);
		return;
	}
	if (ts[19] == '.')
		for (i = 20; i < 23 && ts[i] >= '0' && ts[i] <= '9'; i++)
			ms = ms * 10 + (ts[i] - '0');
	t = days * SECONDS_A_DAY + h * 3600 + mi * 60 + se;
	local = t + local_offset(x, t);
	days = local / SECONDS_A_DAY - (local % SECONDS_A_DAY < 0);
	lxw_check(x, worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    (double)(days + EXCEL_UNIX_EPOCH) +
	    (double)((local - days * SECONDS_A_DAY) * 1000 + ms) /
	    (SECONDS_A_DAY * 1000.0), x->fmt[s->fill][K_STAMP]));
}

/* A text column of a statement, or NULL. */
static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Bind the business-day range ?1..?2 (or the UTC stamps) to st. */
static void
bind_range(sqlite3_stmt *st, const char *a, const char *b)
{
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
}

/* How many rows a counting statement finds, for the progress callback;
 * 0 (unknown) without a callback, where nobody would see it. */
static int
count_rows(struct exporter *x, const char *sql, const char *a, const char *b,
    int64_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (x->progress == NULL)
		return DUKA_OK;
	if ((st = db_stmt(x->db, sql, x->err)) == NULL)
		return x->err->code;
	bind_range(st, a, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(x->db, x->err, _("counting the rows to export"));
	return DUKA_OK;
}

/* Run a sheet's statement to the end: fn writes each row. */
static int
sheet_rows(struct sheet *s, sqlite3_stmt *st,
    int (*fn)(struct sheet *s, sqlite3_stmt *st), const char *what)
{
	int rc, step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(s, st)) != DUKA_OK) {
			db_done(st);
			return rc;
		}
	db_done(st);
	if (step != SQLITE_DONE)
		return db_fail(s->x->db, s->x->err, what);
	if (s->x->lerr != LXW_NO_ERROR)
		return lxw_fail(s->x, s->x->lerr);
	return DUKA_OK;
}

/* A sheet that is one ranged query: its rows between a and b, counted
 * first so that a long sheet can continue on another. */
static int
sheet_query(struct exporter *x, const char *english,
    const struct column *cols, int ncols, const char *count_sql,
    const char *sql, const char *a, const char *b,
    int (*fn)(struct sheet *s, sqlite3_stmt *st), const char *what)
{
	struct sheet s;
	sqlite3_stmt *st;
	int64_t n;
	int rc;

	if ((rc = count_rows(x, count_sql, a, b, &n)) != DUKA_OK ||
	    (rc = sheet_begin(&s, x, english, cols, ncols, n)) != DUKA_OK)
		return rc;
	if ((st = db_stmt(x->db, sql, x->err)) == NULL)
		return x->err->code;
	bind_range(st, a, b);
	if ((rc = sheet_rows(&s, st, fn, what)) != DUKA_OK)
		return rc;
	return sheet_end(&s, 0);
}


/* Translated label of a stored word, from a table of N_() pairs. */
static const char *
label_of(const char *const (*table)[2], size_t n, const char *word)
{
	size_t i;

	if (word == NULL)
		return "";
	for (i = 0; i < n; i++)
		if (strcmp(table[i][0], word) == 0)
			return _(table[i][1]);
	return word;
}

#define LABEL(table, word) \
	label_of(table, sizeof table / sizeof table[0], word)

static const char *const kind_labels[][2] = {
	{ "sale", N_("sale") },
	{ "refund", N_("refund") },
};

static const char *const state_labels[][2] = {
	{ "completed", N_("completed") },
	{ "awaiting_payment", N_("awaiting payment") },
	{ "paid", N_("paid") },
	{ "pending", N_("pending") },
	{ "failed", N_("failed") },
	{ "cancelled", N_("cancelled") },
};

static const char *const unit_labels[][2] = {
	{ "piece", N_("piece") },
	{ "kg", N_("kg") },
	{ "litre", N_("litre") },
};

static const char *const tax_labels[][2] = {
	{ "standard", N_("standard (16%)") },
	{ "zero", N_("zero rated") },
	{ "exempt", N_("exempt") },
};

static const char *const reason_labels[][2] = {
	{ "receive", N_("received") },
	{ "sale", N_("sale") },
	{ "return", N_("return") },
	{ "damage", N_("damaged") },
	{ "expiry", N_("expired") },
	{ "count", N_("stock count") },
	{ "transfer", N_("transfer") },
	{ "correction", N_("correction") },
};

/* The label of a stored payment method ("mpesa" -> "M-PESA"). */
static const char *
method_label(const char *method)
{
	enum pay_method m;

	if (method == NULL)
		return "";
	if (pay_method_parse(method, &m, NULL) != DUKA_OK)
		return method;
	return pay_method_label(m);
}

/* "T1-000123" for a till and receipt number. */
static void
receipt_text(sqlite3_stmt *st, int till_col, char out[RECEIPT_TEXT_MAX])
{
	const char *till = col_text(st, till_col);

	sale_receipt_text(till != NULL ? till : "",
	    sqlite3_column_int64(st, till_col + 1), out);
}

/*
 * Summary: one row per business day with sales, and the totals row.
 */
enum {
	SUM_DAY, SUM_SALES, SUM_REFUNDS, SUM_GROSS, SUM_DISCOUNT,
	SUM_SALES_TOTAL, SUM_REFUNDS_TOTAL, SUM_TAKINGS, SUM_VAT, SUM_NET,
	SUM_CASH, SUM_MPESA, SUM_CARD, SUM_BANK, SUM_ACCOUNT, SUM_PENDING,
	SUM_NCOLS
};

static const struct column summary_cols[SUM_NCOLS] = {
	{ N_("Business day"), K_DATE },
	{ N_("Sales"), K_INT },
	{ N_("Refunds"), K_INT },
	{ N_("Gross"), K_MONEY },
	{ N_("Discounts"), K_MONEY },
	{ N_("Sales total"), K_MONEY },
	{ N_("Refunds total"), K_MONEY },
	{ N_("Takings"), K_MONEY },
	{ N_("VAT"), K_MONEY },
	{ N_("Net of VAT"), K_MONEY },
	{ N_("Cash"), K_MONEY },
	{ N_("M-PESA"), K_MONEY },
	{ N_("Card"), K_MONEY },
	{ N_("Bank transfer"), K_MONEY },
	{ N_("On account"), K_MONEY },
	{ N_("Pending"), K_MONEY },
};

/*
 * Per business day: sales and refunds from sales (walked in day order
 * through sales_day), tenders from payments of those sales. Gross and
 * discounts are of sales (gross - discounts = sales total); takings are
 * sales and refunds together; tenders are paid payments by method, net of
 * refunds, and pending ones apart, so the tenders and pending add up to
 * the takings.
 */
static const char summary_sql[] =
    "WITH s AS (SELECT business_day AS d, sum(kind = 'sale') AS sales, "
    "sum(kind = 'refund') AS refunds, "
    "sum(CASE WHEN kind = 'sale' THEN gross ELSE 0 END) AS gross, "
    "sum(CASE WHEN kind = 'sale' THEN discount ELSE 0 END) AS discount, "
    "sum(CASE WHEN kind = 'sale' THEN total ELSE 0 END) AS sales_total, "
    "sum(CASE WHEN kind = 'refund' THEN total ELSE 0 END) AS refunds_total, "
    "sum(total) AS takings, sum(vat) AS vat "
    "FROM sales WHERE business_day BETWEEN ?1 AND ?2 GROUP BY business_day), "
    "p AS (SELECT s.business_day AS d, "
    "sum(CASE WHEN p.state = 'paid' AND p.method = 'cash' "
    "THEN p.amount ELSE 0 END) AS cash, "
    "sum(CASE WHEN p.state = 'paid' AND p.method = 'mpesa' "
    "THEN p.amount ELSE 0 END) AS mpesa, "
    "sum(CASE WHEN p.state = 'paid' AND p.method = 'card' "
    "THEN p.amount ELSE 0 END) AS card, "
    "sum(CASE WHEN p.state = 'paid' AND p.method = 'bank' "
    "THEN p.amount ELSE 0 END) AS bank, "
    "sum(CASE WHEN p.state = 'paid' AND p.method = 'account' "
    "THEN p.amount ELSE 0 END) AS account, "
    "sum(CASE WHEN p.state = 'pending' THEN p.amount ELSE 0 END) AS pending "
    "FROM sales s JOIN payments p ON p.sale_id = s.id "
    "WHERE s.business_day BETWEEN ?1 AND ?2 GROUP BY s.business_day) "
    "SELECT s.d, s.sales, s.refunds, s.gross, s.discount, s.sales_total, "
    "s.refunds_total, s.takings, s.vat, s.takings - s.vat, "
    "coalesce(p.cash, 0), coalesce(p.mpesa, 0), coalesce(p.card, 0), "
    "coalesce(p.bank, 0), coalesce(p.account, 0), coalesce(p.pending, 0) "
    "FROM s LEFT JOIN p ON p.d = s.d ORDER BY s.d";

/* One business day of the Summary. */
static int
summary_row(struct sheet *s, sqlite3_stmt *st)
{
	int rc, c;

	if ((rc = sheet_row(s, FILL_NONE)) != DUKA_OK)
		return rc;
	put_date(s, SUM_DAY, col_text(st, 0));
	put_int(s, SUM_SALES, sqlite3_column_int64(st, 1));
	put_int(s, SUM_REFUNDS, sqlite3_column_int64(st, 2));
	for (c = SUM_GROSS; c < SUM_NCOLS; c++)
		put_money(s, c, sqlite3_column_int64(st, c));
	return DUKA_OK;
}

/* The Summary sheet and its totals row. */
static int
sheet_summary(struct exporter *x)
{
	static const char english[] = N_("Summary");
	struct sheet s;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sheet_begin(&s, x, english, summary_cols, SUM_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	s.one_part = 1;
	if ((st = db_stmt(x->db, summary_sql, x->err)) == NULL)
		return x->err->code;
	bind_range(st, x->from, x->to);
	if ((rc = sheet_rows(&s, st, summary_row,
	    _("reading the takings of each day"))) != DUKA_OK)
		return rc;
	return sheet_end(&s, ((UINT64_C(1) << SUM_NCOLS) - 1) & ~UINT64_C(1));
}

/*
 * Sales: one row per receipt.
 */
enum {
	SALE_RECEIPT, SALE_AT, SALE_DAY, SALE_TILL, SALE_SHIFT, SALE_KIND,
	SALE_STATE, SALE_REFUND_OF, SALE_CUSTOMER, SALE_USER, SALE_GROSS,
	SALE_DISCOUNT, SALE_TOTAL, SALE_VAT, SALE_NET, SALE_NCOLS
};

static const struct column sale_cols[SALE_NCOLS] = {
	{ N_("Receipt"), K_TEXT },
	{ N_("Date and time"), K_STAMP },
	{ N_("Business day"), K_DATE },
	{ N_("Till"), K_TEXT },
	{ N_("Shift"), K_ID },
	{ N_("Kind"), K_TEXT },
	{ N_("State"), K_TEXT },
	{ N_("Refund of"), K_TEXT },
	{ N_("Customer"), K_TEXT },
	{ N_("Cashier"), K_TEXT },
	{ N_("Gross"), K_MONEY },
	{ N_("Discount"), K_MONEY },
	{ N_("Total"), K_MONEY },
	{ N_("VAT"), K_MONEY },
	{ N_("Net of VAT"), K_MONEY },
};

static const char sales_sql[] =
    "SELECT s.till_id, s.receipt_no, s.at, s.business_day, s.shift_id, "
    "s.kind, s.state, o.till_id, o.receipt_no, c.name, s.user_name, "
    "s.gross, s.discount, s.total, s.vat "
    "FROM sales s LEFT JOIN sales o ON o.id = s.refund_of "
    "LEFT JOIN customers c ON c.id = s.customer_id "
    "WHERE s.business_day BETWEEN ?1 AND ?2 ORDER BY s.business_day, s.id";

static const char sales_count_sql[] =
    "SELECT count(*) FROM sales WHERE business_day BETWEEN ?1 AND ?2";

/* One receipt; a sale awaiting payment is amber. */
static int
sales_row(struct sheet *s, sqlite3_stmt *st)
{
	char receipt[RECEIPT_TEXT_MAX];
	const char *state = col_text(st, 6);
	int64_t total = sqlite3_column_int64(st, 13);
	int64_t vat = sqlite3_column_int64(st, 14);
	int rc;

	/* A sale still waiting for its M-PESA payment stands out. */
	if ((rc = sheet_row(s, state != NULL && strcmp(state, "completed") != 0 ?
	    FILL_LOW : FILL_NONE)) != DUKA_OK)
		return rc;
	receipt_text(st, 0, receipt);
	put_text(s, SALE_RECEIPT, receipt);
	put_stamp(s, SALE_AT, col_text(st, 2));
	put_date(s, SALE_DAY, col_text(st, 3));
	put_text(s, SALE_TILL, col_text(st, 0));
	put_int(s, SALE_SHIFT, sqlite3_column_int64(st, 4));
	put_text(s, SALE_KIND, LABEL(kind_labels, col_text(st, 5)));
	put_text(s, SALE_STATE, LABEL(state_labels, state));
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		receipt_text(st, 7, receipt);
		put_text(s, SALE_REFUND_OF, receipt);
	} else
		put_blank(s, SALE_REFUND_OF);
	put_text(s, SALE_CUSTOMER, col_text(st, 9));
	put_text(s, SALE_USER, col_text(st, 10));
	put_money(s, SALE_GROSS, sqlite3_column_int64(st, 11));
	put_money(s, SALE_DISCOUNT, sqlite3_column_int64(st, 12));
	put_money(s, SALE_TOTAL, total);
	put_money(s, SALE_VAT, vat);
	put_money(s, SALE_NET, total - vat);
	return DUKA_OK;
}

/* The Sales sheet. */
static int
sheet_sales(struct exporter *x)
{
	return sheet_query(x, N_("Sales"), sale_cols, SALE_NCOLS,
	    sales_count_sql, sales_sql, x->from, x->to,
	    sales_row, _("reading the sales"));
}

/*
 * Sale lines: one row per line of every sale and refund.
 */
enum {
	LINE_RECEIPT, LINE_DAY, LINE_NO, LINE_SKU, LINE_NAME, LINE_UNIT,
	LINE_TAX, LINE_QTY, LINE_SHELF, LINE_PRICE, LINE_LDISC, LINE_SDISC,
	LINE_AMOUNT, LINE_VAT, LINE_NET, LINE_NCOLS
};

static const struct column line_cols[LINE_NCOLS] = {
	{ N_("Receipt"), K_TEXT },
	{ N_("Business day"), K_DATE },
	{ N_("Line"), K_ID },
	{ N_("SKU"), K_TEXT },
	{ N_("Product"), K_TEXT },
	{ N_("Unit"), K_TEXT },
	{ N_("Tax class"), K_TEXT },
	{ N_("Quantity"), K_QTY },
	{ N_("Shelf price"), K_MONEY },
	{ N_("Unit price"), K_MONEY },
	{ N_("Line discount"), K_MONEY },
	{ N_("Sale discount"), K_MONEY },
	{ N_("Amount"), K_MONEY },
	{ N_("VAT"), K_MONEY },
	{ N_("Net of VAT"), K_MONEY },
};

static const char lines_sql[] =
    "SELECT s.id, s.till_id, s.receipt_no, s.business_day, l.line_no, "
    "l.sku, l.name, l.unit, l.tax_class, l.qty, l.shelf_price, "
    "l.unit_price, l.line_discount, l.sale_discount, l.amount, l.vat "
    "FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
    "WHERE s.business_day BETWEEN ?1 AND ?2 "
    "ORDER BY s.business_day, s.id, l.line_no";

static const char lines_count_sql[] =
    "SELECT count(*) FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
    "WHERE s.business_day BETWEEN ?1 AND ?2";

/* The receipt text of the sale whose lines are being written. */
struct line_state {
	int64_t sale_id;
	char receipt[RECEIPT_TEXT_MAX];
};

static struct line_state line_state;

/* One sale line. */
static int
lines_row(struct sheet *s, sqlite3_stmt *st)
{
	int64_t amount = sqlite3_column_int64(st, 14);
	int64_t vat = sqlite3_column_int64(st, 15);
	int64_t sale_id = sqlite3_column_int64(st, 0);
	int rc;

	if ((rc = sheet_row(s, FILL_NONE)) != DUKA_OK)
		return rc;
	/* The lines of one sale come together: format its receipt once. */
	if (sale_id != line_state.sale_id) {
		line_state.sale_id = sale_id;
		receipt_text(st, 1, line_state.receipt);
	}
	put_text(s, LINE_RECEIPT, line_state.receipt);
	put_date(s, LINE_DAY, col_text(st, 3));
	put_int(s, LINE_NO, sqlite3_column_int64(st, 4));
	put_text(s, LINE_SKU, col_text(st, 5));
	put_text(s, LINE_NAME, col_text(st, 6));
	put_text(s, LINE_UNIT, LABEL(unit_labels, col_text(st, 7)));
	put_text(s, LINE_TAX, LABEL(tax_labels, col_text(st, 8)));
	put_qty(s, LINE_QTY, sqlite3_column_int64(st, 9));
	put_money(s, LINE_SHELF, sqlite3_column_int64(st, 10));
	put_money(s, LINE_PRICE, sqlite3_column_int64(st, 11));
	put_money(s, LINE_LDISC, sqlite3_column_int64(st, 12));
	put_money(s, LINE_SDISC, sqlite3_column_int64(st, 13));
	put_money(s, LINE_AMOUNT, amount);
	put_money(s, LINE_VAT, vat);
	put_money(s, LINE_NET, amount - vat);
	return DUKA_OK;
}

/* The Sale lines sheet. */
static int
sheet_lines(struct exporter *x)
{
	memset(&line_state, 0, sizeof line_state);
	return sheet_query(x, N_("Sale lines"), line_cols, LINE_NCOLS,
	    lines_count_sql, lines_sql, x->from, x->to,
	    lines_row, _("reading the sale lines"));
}

/*
 * Payments: one row per payment, with M-PESA receipt numbers and states.
 */
enum {
	PAY_RECEIPT, PAY_DAY, PAY_AT, PAY_METHOD, PAY_STATE, PAY_AMOUNT,
	PAY_TENDERED, PAY_CHANGE, PAY_REFERENCE, PAY_PROOF, PAY_PHONE,
	PAY_CUSTOMER, PAY_UPDATED, PAY_NCOLS
};

static const struct column pay_cols[PAY_NCOLS] = {
	{ N_("Receipt"), K_TEXT },
	{ N_("Business day"), K_DATE },
	{ N_("Date and time"), K_STAMP },
	{ N_("Method"), K_TEXT },
	{ N_("State"), K_TEXT },
	{ N_("Amount"), K_MONEY },
	{ N_("Tendered"), K_MONEY },
	{ N_("Change"), K_MONEY },
	{ N_("M-PESA receipt or reference"), K_TEXT },
	{ N_("Proof"), K_TEXT },
	{ N_("Phone"), K_TEXT },
	{ N_("Customer"), K_TEXT },
	{ N_("Last changed"), K_STAMP },
};

static const char payments_sql[] =
    "SELECT s.id, s.till_id, s.receipt_no, s.business_day, p.created_at, "
    "p.method, p.state, p.amount, p.tendered, p.change_due, p.reference, "
    "p.verified, p.phone, c.name, p.updated_at "
    "FROM sales s JOIN payments p ON p.sale_id = s.id "
    "LEFT JOIN customers c ON c.id = p.customer_id "
    "WHERE s.business_day BETWEEN ?1 AND ?2 "
    "ORDER BY s.business_day, s.id, p.id";

static const char payments_count_sql[] =
    "SELECT count(*) FROM sales s JOIN payments p ON p.sale_id = s.id "
    "WHERE s.business_day BETWEEN ?1 AND ?2";

/* One payment; pending is amber, failed or cancelled red. */
static int
payments_row(struct sheet *s, sqlite3_stmt *st)
{
	char receipt[RECEIPT_TEXT_MAX];
	const char *method = col_text(st, 5), *state = col_text(st, 6);
	const char *ref = col_text(st, 10), *proof = "";
	enum fill fill = FILL_NONE;
	int rc;

	if (state != NULL && strcmp(state, "pending") == 0)
		fill = FILL_LOW;
	else if (state != NULL && strcmp(state, "paid") != 0)
		fill = FILL_OUT;	/* failed or cancelled */
	if ((rc = sheet_row(s, fill)) != DUKA_OK)
		return rc;
	receipt_text(st, 1, receipt);
	put_text(s, PAY_RECEIPT, receipt);
	put_date(s, PAY_DAY, col_text(st, 3));
	put_stamp(s, PAY_AT, col_text(st, 4));
	put_text(s, PAY_METHOD, method_label(method));
	put_text(s, PAY_STATE, LABEL(state_labels, state));
	put_money(s, PAY_AMOUNT, sqlite3_column_int64(st, 7));
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		put_money(s, PAY_TENDERED, sqlite3_column_int64(st, 8));
	else
		put_blank(s, PAY_TENDERED);
	if (sqlite3_column_type(st, 9) != SQLITE_NULL)
		put_money(s, PAY_CHANGE, sqlite3_column_int64(st, 9));
	else
		put_blank(s, PAY_CHANGE);
	put_text(s, PAY_REFERENCE, ref);
	/* The proof of a paid M-PESA payment: the Daraja result, or a code
	 * the attendant keyed in that nobody has confirmed yet. */
	if (method != NULL && strcmp(method, "mpesa") == 0 && ref != NULL &&
	    *ref != '\0')
		proof = sqlite3_column_int(st, 11) ? _("confirmed") :
		    _("keyed in, not confirmed");
	put_text(s, PAY_PROOF, proof);
	put_text(s, PAY_PHONE, col_text(st, 12));
	put_text(s, PAY_CUSTOMER, col_text(st, 13));
	put_stamp(s, PAY_UPDATED, col_text(st, 14));
	return DUKA_OK;
}

/* The Payments sheet. */
static int
sheet_payments(struct exporter *x)
{
	return sheet_query(x, N_("Payments"), pay_cols, PAY_NCOLS,
	    payments_count_sql, payments_sql, x->from, x->to,
	    payments_row, _("reading the payments"));
}

/*
 * Stock on hand: inventory_list's rows as they stand now, coloured by
 * status, with totals of the values.
 */
enum {
	SOH_SKU, SOH_NAME, SOH_CATEGORY, SOH_UNIT, SOH_QTY, SOH_REORDER,
	SOH_STATUS, SOH_COST, SOH_PRICE, SOH_VALUE_COST, SOH_VALUE_PRICE,
	SOH_EXPIRY, SOH_NCOLS
};

static const struct column soh_cols[SOH_NCOLS] = {
	{ N_("SKU"), K_TEXT },
	{ N_("Product"), K_TEXT },
	{ N_("Category"), K_TEXT },
	{ N_("Unit"), K_TEXT },
	{ N_("On hand"), K_QTY },
	{ N_("Reorder level"), K_QTY },
	{ N_("Status"), K_TEXT },
	{ N_("Cost"), K_MONEY },
	{ N_("Price"), K_MONEY },
	{ N_("Value at cost"), K_MONEY },
	{ N_("Value at price"), K_MONEY },
	{ N_("Next expiry"), K_DATE },
};

/* The fill of a product's most urgent status flag. */
static enum fill
status_fill(int flags)
{
	if (flags & STATUS_EXPIRED)
		return FILL_EXPIRED;
	if (flags & STATUS_OUT)
		return FILL_OUT;
	if (flags & STATUS_NEAR_EXPIRY)
		return FILL_EXPIRING;
	if (flags & STATUS_LOW)
		return FILL_LOW;
	return FILL_NONE;
}

/* State of the Stock on hand sheet, for inventory_list's callback. */
struct soh_ctx {
	struct sheet *s;
	int rc;
};

/* inventory_list's callback: one product, coloured by status. */
static int
soh_row(void *ctx, const struct inventory_row *r)
{
	struct soh_ctx *c = ctx;
	struct sheet *s = c->s;

	if ((c->rc = sheet_row(s, status_fill(r->status))) != DUKA_OK)
		return 1;
	put_text(s, SOH_SKU, r->sku);
	put_text(s, SOH_NAME, r->name);
	put_text(s, SOH_CATEGORY, r->category);
	put_text(s, SOH_UNIT, LABEL(unit_labels, product_unit_name(r->unit)));
	put_qty(s, SOH_QTY, r->qty);
	put_qty(s, SOH_REORDER, r->reorder_level);
	put_text(s, SOH_STATUS, stock_status_label(r->status));
	put_money(s, SOH_COST, r->cost);
	put_money(s, SOH_PRICE, r->price);
	put_money(s, SOH_VALUE_COST, r->value_at_cost);
	put_money(s, SOH_VALUE_PRICE, r->value_at_price);
	put_date(s, SOH_EXPIRY, r->next_expiry);
	return 0;
}

/* The Stock on hand sheet, as of today, with value totals. */
static int
sheet_stock(struct exporter *x)
{
	static const char english[] = N_("Stock on hand");
	struct inventory_filter f;
	struct soh_ctx c;
	struct sheet s;
	int rc;

	if ((rc = sheet_begin(&s, x, english, soh_cols, SOH_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	s.one_part = 1;
	memset(&f, 0, sizeof f);
	f.sort = SORT_NAME;
	f.near_expiry_days = x->cfg->near_expiry_days;
	f.today = x->today;
	c.s = &s;
	c.rc = DUKA_OK;
	if ((rc = inventory_list(x->db, &f, soh_row, &c, x->err)) != DUKA_OK)
		return rc;
	if (c.rc != DUKA_OK)
		return c.rc;
	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	return sheet_end(&s, UINT64_C(1) << SOH_VALUE_COST |
	    UINT64_C(1) << SOH_VALUE_PRICE);
}

/*
 * Expiry: every batch with stock and a date, soonest first, with the days
 * left and its status.
 */
enum {
	EXP_DATE, EXP_DAYS, EXP_STATUS, EXP_SKU, EXP_NAME, EXP_BATCH,
	EXP_RECEIVED, EXP_QTY, EXP_COST, EXP_VALUE, EXP_NCOLS
};

static const struct column exp_cols[EXP_NCOLS] = {
	{ N_("Expiry date"), K_DATE },
	{ N_("Days left"), K_INT },
	{ N_("Status"), K_TEXT },
	{ N_("SKU"), K_TEXT },
	{ N_("Product"), K_TEXT },
	{ N_("Batch"), K_TEXT },
	{ N_("Received"), K_DATE },
	{ N_("Quantity"), K_QTY },
	{ N_("Unit cost"), K_MONEY },
	{ N_("Value at cost"), K_MONEY },
};

/* Batches with stock and a date, through the partial index batches_expiry. */
static const char expiry_sql[] =
    "SELECT b.expiry_date, p.sku, p.name, b.batch_no, b.received_date, "
    "b.qty_remaining, b.unit_cost FROM batches b "
    "JOIN products p ON p.id = b.product_id "
    "WHERE b.qty_remaining > 0 AND b.expiry_date IS NOT NULL "
    "ORDER BY b.expiry_date, b.id";

/* One batch with its days left and status. */
static int
expiry_row(struct sheet *s, sqlite3_stmt *st)
{
	const char *exp = col_text(st, 0);
	int64_t days = date_diff_days(s->x->today, exp);
	int64_t qty = sqlite3_column_int64(st, 5);
	int64_t cost = sqlite3_column_int64(st, 6), value;
	enum fill fill = FILL_NONE;
	const char *status = _("OK");
	int rc;

	if (days < 0) {
		fill = FILL_EXPIRED;
		status = stock_status_label(STATUS_EXPIRED);
	} else if (days <= s->x->cfg->near_expiry_days) {
		fill = FILL_EXPIRING;
		status = stock_status_label(STATUS_NEAR_EXPIRY);
	}
	if ((rc = sheet_row(s, fill)) != DUKA_OK)
		return rc;
	put_date(s, EXP_DATE, exp);
	put_int(s, EXP_DAYS, days);
	put_text(s, EXP_STATUS, status);
	put_text(s, EXP_SKU, col_text(st, 1));
	put_text(s, EXP_NAME, col_text(st, 2));
	put_text(s, EXP_BATCH, col_text(st, 3));
	put_date(s, EXP_RECEIVED, col_text(st, 4));
	put_qty(s, EXP_QTY, qty);
	put_money(s, EXP_COST, cost);
	if (money_mul_qty(cost, qty, &value, NULL) == DUKA_OK)
		put_money(s, EXP_VALUE, value);
	else
		put_blank(s, EXP_VALUE);
	return DUKA_OK;
}

/* The Expiry sheet, with the total value at cost. */
static int
sheet_expiry(struct exporter *x)
{
	static const char english[] = N_("Expiry");
	struct sheet s;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sheet_begin(&s, x, english, exp_cols, EXP_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	s.one_part = 1;
	if ((st = db_stmt(x->db, expiry_sql, x->err)) == NULL)
		return x->err->code;
	if ((rc = sheet_rows(&s, st, expiry_row,
	    _("reading the batches"))) != DUKA_OK)
		return rc;
	return sheet_end(&s, UINT64_C(1) << EXP_VALUE);
}

/*
 * Stock movements: the ledger in the range, oldest first.
 */
enum {
	MOV_AT, MOV_SKU, MOV_NAME, MOV_REASON, MOV_QTY, MOV_COST, MOV_VALUE,
	MOV_PRICE, MOV_BATCH, MOV_EXPIRY, MOV_REFERENCE, MOV_USER, MOV_NOTE,
	MOV_NCOLS
};

static const struct column mov_cols[MOV_NCOLS] = {
	{ N_("Date and time"), K_STAMP },
	{ N_("SKU"), K_TEXT },
	{ N_("Product"), K_TEXT },
	{ N_("Reason"), K_TEXT },
	{ N_("Quantity"), K_QTY },
	{ N_("Unit cost"), K_MONEY },
	{ N_("Value at cost"), K_MONEY },
	{ N_("Unit price"), K_MONEY },
	{ N_("Batch"), K_TEXT },
	{ N_("Batch expiry"), K_DATE },
	{ N_("Reference"), K_TEXT },
	{ N_("User"), K_TEXT },
	{ N_("Note"), K_TEXT },
};

/* Movements between two UTC stamps, in time order (stock_movements_at). */
static const char moves_sql[] =
    "SELECT m.at, p.sku, p.name, m.reason, m.qty, m.unit_cost, "
    "m.unit_price, b.batch_no, b.expiry_date, m.reference, m.user_name, "
    "m.note FROM stock_movements m JOIN products p ON p.id = m.product_id "
    "LEFT JOIN batches b ON b.id = m.batch_id "
    "WHERE m.at >= ?1 AND m.at < ?2 ORDER BY m.at, m.id";

static const char moves_count_sql[] =
    "SELECT count(*) FROM stock_movements WHERE at >= ?1 AND at < ?2";

/* One stock movement, with its value at cost. */
static int
moves_row(struct sheet *s, sqlite3_stmt *st)
{
	int64_t qty = sqlite3_column_int64(st, 4);
	int64_t cost = sqlite3_column_int64(st, 5), value;
	int rc;

	if ((rc = sheet_row(s, FILL_NONE)) != DUKA_OK)
		return rc;
	put_stamp(s, MOV_AT, col_text(st, 0));
	put_text(s, MOV_SKU, col_text(st, 1));
	put_text(s, MOV_NAME, col_text(st, 2));
	put_text(s, MOV_REASON, LABEL(reason_labels, col_text(st, 3)));
	put_qty(s, MOV_QTY, qty);
	put_money(s, MOV_COST, cost);
	if (money_mul_qty(cost, qty, &value, NULL) == DUKA_OK)
		put_money(s, MOV_VALUE, value);
	else
		put_blank(s, MOV_VALUE);
	put_money(s, MOV_PRICE, sqlite3_column_int64(st, 6));
	put_text(s, MOV_BATCH, col_text(st, 7));
	put_date(s, MOV_EXPIRY, col_text(st, 8));
	put_text(s, MOV_REFERENCE, col_text(st, 9));
	put_text(s, MOV_USER, col_text(st, 10));
	put_text(s, MOV_NOTE, col_text(st, 11));
	return DUKA_OK;
}

/* The Stock movements sheet. */
static int
sheet_moves(struct exporter *x)
{
	return sheet_query(x, N_("Stock movements"), mov_cols, MOV_NCOLS,
	    moves_count_sql, moves_sql, x->from_ts, x->to_ts,
	    moves_row, _("reading the stock movements"));
}

/*
 * Reorder suggestions: reorder_suggest's lines as the reorder screen shows
 * them (its arithmetic is in reorder.h; none is redone here).
 */
enum {
	RO_SKU, RO_NAME, RO_SUPPLIER, RO_ON_HAND, RO_ON_ORDER, RO_AVG,
	RO_LEAD, RO_SUGGESTED, RO_PACK, RO_DATE, RO_DUE, RO_NCOLS
};

static const struct column ro_cols[RO_NCOLS] = {
	{ N_("SKU"), K_TEXT },
	{ N_("Product"), K_TEXT },
	{ N_("Supplier"), K_TEXT },
	{ N_("On hand"), K_QTY },
	{ N_("On order"), K_QTY },
	{ N_("Sold a day"), K_QTY },
	{ N_("Lead time (days)"), K_INT },
	{ N_("Suggested order"), K_QTY },
	{ N_("Pack size"), K_QTY },
	{ N_("Reorder date"), K_DATE },
	{ N_("Due"), K_TEXT },
};

/* State of the Reorder sheet, for reorder_suggest's callback. */
struct ro_ctx {
	struct sheet *s;
	int rc;
};

/* reorder_suggest's callback: one product to order. */
static int
ro_row(void *ctx, const struct reorder_line *l)
{
	struct ro_ctx *c = ctx;
	struct sheet *s = c->s;

	/* Every line is to be ordered: out of stock red, the rest amber. */
	if ((c->rc = sheet_row(s, l->on_hand <= 0 ? FILL_OUT : FILL_LOW)) !=
	    DUKA_OK)
		return 1;
	put_text(s, RO_SKU, l->sku);
	put_text(s, RO_NAME, l->name);
	put_text(s, RO_SUPPLIER, l->supplier);
	put_qty(s, RO_ON_HAND, l->on_hand);
	put_qty(s, RO_ON_ORDER, l->on_order);
	put_qty(s, RO_AVG, l->avg_daily);
	put_int(s, RO_LEAD, l->lead_time_days);
	put_qty(s, RO_SUGGESTED, l->suggested);
	put_qty(s, RO_PACK, l->pack_size);
	put_date(s, RO_DATE, l->reorder_date);
	put_text(s, RO_DUE, l->due ? _("yes") : "");
	return 0;
}

/* The Reorder suggestions sheet. */
static int
sheet_reorder(struct exporter *x)
{
	static const char english[] = N_("Reorder suggestions");
	struct sheet s;
	struct ro_ctx c = { &s, DUKA_OK };
	int rc;

	if ((rc = sheet_begin(&s, x, english, ro_cols, RO_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	if ((rc = reorder_suggest(x->db, x->cfg, x->today, ro_row, &c,
	    x->err)) != DUKA_OK)
		return rc;
	if (c.rc != DUKA_OK)
		return c.rc;
	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	return sheet_end(&s, 0);
}

/* Alerts: the fraud guard's findings in the range (fraud.h). */
enum {
	AL_KIND, AL_SHIFT, AL_USER, AL_COUNT, AL_AMOUNT, AL_AT, AL_TEXT,
	AL_NCOLS
};

static const struct column al_cols[AL_NCOLS] = {
	{ N_("Alert"), K_TEXT },
	{ N_("Shift"), K_ID },
	{ N_("User"), K_TEXT },
	{ N_("Count"), K_INT },
	{ N_("Amount"), K_MONEY },
	{ N_("Last at"), K_STAMP },
	{ N_("What happened"), K_TEXT },
};

/* State of the Alerts sheet, for fraud_alerts' callback. */
struct al_ctx {
	struct sheet *s;
	int rc;
};

/* fraud_alerts' callback: one alert. */
static int
al_row(void *ctx, const struct fraud_alert *a)
{
	struct al_ctx *c = ctx;
	struct sheet *s = c->s;

	if ((c->rc = sheet_row(s, FILL_OUT)) != DUKA_OK)
		return 1;
	put_text(s, AL_KIND, fraud_kind_name(a->kind));
	if (a->shift_id != 0)
		put_int(s, AL_SHIFT, a->shift_id);
	else
		put_blank(s, AL_SHIFT);
	put_text(s, AL_USER, a->user);
	put_int(s, AL_COUNT, a->count);
	put_money(s, AL_AMOUNT, a->amount);
	put_stamp(s, AL_AT, a->at);
	put_text(s, AL_TEXT, a->text);
	return 0;
}

/* The Alerts sheet: the range's alerts with the default limits. */
static int
sheet_alerts(struct exporter *x)
{
	static const char english[] = N_("Alerts");
	struct fraud_range r;
	struct sheet s;
	struct al_ctx c = { &s, DUKA_OK };
	int rc;

	memset(&r, 0, sizeof r);
	snprintf(r.from, sizeof r.from, "%s", x->from_ts);
	if (strcmp(x->to, "9999-12-31") != 0)
		snprintf(r.to, sizeof r.to, "%s", x->to_ts);
	if ((rc = sheet_begin(&s, x, english, al_cols, AL_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	if ((rc = fraud_alerts(x->db, &r, NULL, x->cfg, al_row, &c,
	    x->err)) != DUKA_OK)
		return rc;
	if (c.rc != DUKA_OK)
		return c.rc;
	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	return sheet_end(&s, 0);
}

/*
 * M-PESA: every M-PESA payment and prompt of the range as the
 * reconciliation lists it (mpesa_reconcile), double payments and unknown
 * outcomes in red.
 */
enum {
	MP_AT, MP_PROMPT, MP_SALE, MP_RECEIPT, MP_AMOUNT, MP_PHONE, MP_STATE,
	MP_FLAG, MP_NCOLS
};

static const struct column mp_cols[MP_NCOLS] = {
	{ N_("Date and time"), K_STAMP },
	{ N_("Prompt"), K_ID },
	{ N_("Sale or account"), K_TEXT },
	{ N_("M-PESA receipt"), K_TEXT },
	{ N_("Amount"), K_MONEY },
	{ N_("Phone"), K_TEXT },
	{ N_("State"), K_TEXT },
	{ N_("To look at"), K_TEXT },
};

/* mpesa_reconcile's callback: one payment or prompt. */
static int
mp_row(void *ctx, const struct mpesa_recon_row *r)
{
	struct al_ctx *c = ctx;
	struct sheet *s = c->s;
	int st = mpesa_state_parse(r->state);

	if ((c->rc = sheet_row(s, r->flag != NULL ? FILL_OUT : FILL_NONE)) !=
	    DUKA_OK)
		return 1;
	put_stamp(s, MP_AT, r->at);
	if (r->attempt_id != 0)
		put_int(s, MP_PROMPT, r->attempt_id);
	else
		put_blank(s, MP_PROMPT);
	put_text(s, MP_SALE, r->receipt[0] ? r->receipt : r->customer);
	put_text(s, MP_RECEIPT, r->mpesa_receipt);
	put_money(s, MP_AMOUNT, r->amount);
	put_text(s, MP_PHONE, r->phone);
	put_text(s, MP_STATE, st >= 0 ?
	    mpesa_state_label((enum mpesa_state)st) : _("keyed in"));
	put_text(s, MP_FLAG, r->flag);
	return 0;
}

/* The M-PESA sheet. */
static int
sheet_mpesa(struct exporter *x)
{
	struct sheet s;
	struct al_ctx c = { &s, DUKA_OK };
	int rc;

	if ((rc = sheet_begin(&s, x, N_("M-PESA"), mp_cols, MP_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	if ((rc = mpesa_reconcile(x->db, x->from, x->to, mp_row, &c,
	    x->err)) != DUKA_OK)
		return rc;
	if (c.rc != DUKA_OK)
		return c.rc;
	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	return sheet_end(&s, 0);
}

/*
 * Shifts (X and Z): shift_report of every shift open at some time in the
 * range; an open shift shows its X figures, a closed one its Z.
 */
enum {
	SH_TILL, SH_REPORT, SH_Z, SH_OPENED, SH_CLOSED, SH_OPENED_BY,
	SH_CLOSED_BY, SH_FLOAT, SH_SALES, SH_REFUNDS, SH_GROSS, SH_DISCOUNTS,
	SH_SALES_TOTAL, SH_REFUNDS_TOTAL, SH_NET, SH_CASH, SH_MPESA, SH_CARD,
	SH_BANK, SH_ACCOUNT, SH_PENDING, SH_PAY_IN, SH_PAY_OUT, SH_NO_SALES,
	SH_VOIDS, SH_VOIDS_TOTAL, SH_EXPECTED, SH_COUNTED, SH_DIFFERENCE,
	SH_NCOLS
};

static const struct column shift_cols[SH_NCOLS] = {
	{ N_("Till"), K_TEXT },
	{ N_("Report"), K_TEXT },
	{ N_("Z number"), K_ID },
	{ N_("Opened"), K_STAMP },
	{ N_("Closed"), K_STAMP },
	{ N_("Opened by"), K_TEXT },
	{ N_("Closed by"), K_TEXT },
	{ N_("Float"), K_MONEY },
	{ N_("Sales"), K_INT },
	{ N_("Refunds"), K_INT },
	{ N_("Gross"), K_MONEY },
	{ N_("Discounts"), K_MONEY },
	{ N_("Sales total"), K_MONEY },
	{ N_("Refunds total"), K_MONEY },
	{ N_("Net total"), K_MONEY },
	{ N_("Cash"), K_MONEY },
	{ N_("M-PESA"), K_MONEY },
	{ N_("Card"), K_MONEY },
	{ N_("Bank transfer"), K_MONEY },
	{ N_("On account"), K_MONEY },
	{ N_("Pending"), K_MONEY },
	{ N_("Paid in"), K_MONEY },
	{ N_("Paid out"), K_MONEY },
	{ N_("No sales"), K_INT },
	{ N_("Voids"), K_INT },
	{ N_("Voids total"), K_MONEY },
	{ N_("Expected cash"), K_MONEY },
	{ N_("Counted cash"), K_MONEY },
	{ N_("Difference"), K_MONEY },
};

/* Shifts open at some time between two UTC stamps, oldest first. */
static const char shifts_sql[] =
    "SELECT id FROM shifts WHERE opened_at < ?2 "
    "AND (closed_at IS NULL OR closed_at >= ?1) ORDER BY opened_at, id";

/* Write one shift's report as a row. */
static int
shift_row(struct sheet *s, const struct shift_report *r)
{
	static const int methods[PAY_METHODS] = {
		[PAY_CASH] = SH_CASH, [PAY_MPESA] = SH_MPESA,
		[PAY_CARD] = SH_CARD, [PAY_BANK] = SH_BANK,
		[PAY_ACCOUNT] = SH_ACCOUNT,
	};
	int closed = r->z_number > 0, rc, m;
	enum fill fill = FILL_NONE;

	/* A Z whose drawer was short or over stands out. */
	if (closed && r->difference < 0)
		fill = FILL_OUT;
	else if (closed && r->difference > 0)
		fill = FILL_LOW;
	if ((rc = sheet_row(s, fill)) != DUKA_OK)
		return rc;
	put_text(s, SH_TILL, r->till_id);
	put_text(s, SH_REPORT, closed ? "Z" : "X");
	if (closed)
		put_int(s, SH_Z, r->z_number);
	else
		put_blank(s, SH_Z);
	put_stamp(s, SH_OPENED, r->opened_at);
	put_stamp(s, SH_CLOSED, r->closed_at);
	put_text(s, SH_OPENED_BY, r->opened_by);
	put_text(s, SH_CLOSED_BY, r->closed_by);
	put_money(s, SH_FLOAT, r->float_cash);
	put_int(s, SH_SALES, r->sales);
	put_int(s, SH_REFUNDS, r->refunds);
	put_money(s, SH_GROSS, r->gross);
	put_money(s, SH_DISCOUNTS, r->discounts);
	put_money(s, SH_SALES_TOTAL, r->sales_total);
	put_money(s, SH_REFUNDS_TOTAL, r->refunds_total);
	put_money(s, SH_NET, r->net_total);
	for (m = 0; m < PAY_METHODS; m++)
		put_money(s, methods[m], r->by_method[m]);
	put_money(s, SH_PENDING, r->pending_total);
	put_money(s, SH_PAY_IN, r->pay_in);
	put_money(s, SH_PAY_OUT, r->pay_out);
	put_int(s, SH_NO_SALES, r->no_sales);
	put_int(s, SH_VOIDS, r->voids);
	put_money(s, SH_VOIDS_TOTAL, r->voids_total);
	put_money(s, SH_EXPECTED, r->expected_cash);
	if (closed) {
		put_money(s, SH_COUNTED, r->counted_cash);
		put_money(s, SH_DIFFERENCE, r->difference);
	} else {
		put_blank(s, SH_COUNTED);
		put_blank(s, SH_DIFFERENCE);
	}
	return DUKA_OK;
}

/* The Shifts sheet: one X or Z report a row. */
static int
sheet_shifts(struct exporter *x)
{
	static const char english[] = N_("Shifts (X and Z)");
	struct shift_report r;
	struct sheet s;
	sqlite3_stmt *st;
	int64_t *ids = NULL, *grown;
	size_t n = 0, cap = 0, i;
	int rc, step;

	if ((rc = sheet_begin(&s, x, english, shift_cols, SH_NCOLS, 0)) !=
	    DUKA_OK)
		return rc;
	/* The ids first: shift_report runs statements of its own. */
	if ((st = db_stmt(x->db, shifts_sql, x->err)) == NULL)
		return x->err->code;
	bind_range(st, x->from_ts, x->to_ts);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(ids, cap * sizeof *ids)) == NULL) {
				db_done(st);
				free(ids);
				return duka_fail(x->err, DUKA_EFAIL,
				    _("out of memory"));
			}
			ids = grown;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	db_done(st);
	if (step != SQLITE_DONE) {
		free(ids);
		return db_fail(x->db, x->err, _("reading the shifts"));
	}
	rc = DUKA_OK;
	for (i = 0; i < n && rc == DUKA_OK; i++)
		if ((rc = shift_report(x->db, ids[i], &r, x->err)) == DUKA_OK)
			rc = shift_row(&s, &r);
	free(ids);
	if (rc != DUKA_OK)
		return rc;
	if (x->lerr != LXW_NO_ERROR)
		return lxw_fail(x, x->lerr);
	return sheet_end(&s, 0);
}

/*
 * Check from and to (either may be NULL or "") and work out the range:
 * business days as text, and the UTC stamps of the shop's midnights that
 * bound it, for the tables that carry only a time stamp.
 */
static int
export_range(struct exporter *x, const char *from, const char *to)
{
	struct duka_err e = { 0, "" };
	char next[DATE_LEN];
	struct tm tm;
	time_t t;

	if (from != NULL && *from != '\0') {
		if (date_parse(from, x->from, &e) != DUKA_OK)
			return duka_fail(x->err, DUKA_EINPUT,
			    _("the first day (--from): %s"), e.msg);
	} else
		x->from[0] = '\0';
	if (to != NULL && *to != '\0') {
		if (date_parse(to, x->to, &e) != DUKA_OK)
			return duka_fail(x->err, DUKA_EINPUT,
			    _("the last day (--to): %s"), e.msg);
	} else
		snprintf(x->to, sizeof x->to, "9999-12-31");
	if (x->from[0] != '\0' && strcmp(x->from, x->to) > 0)
		return duka_fail(x->err, DUKA_EINPUT, _("the first day %s "
		    "(--from) is after the last day %s (--to)"), x->from, x->to);

	/* The shop's midnight starting from, and the one after to. */
	x->from_ts[0] = '\0';
	if (x->from[0] != '\0') {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = atoi(x->from) - 1900;
		tm.tm_mon = atoi(x->from + 5) - 1;
		tm.tm_mday = atoi(x->from + 8);
		tm.tm_isdst = -1;
		t = mktime(&tm);
		date_timestamp((int64_t)t, x->from_ts);
	}
	if (strcmp(x->to, "9999-12-31") == 0)
		snprintf(x->to_ts, sizeof x->to_ts, "9999-12-31T23:59:59.999Z~");
	else {
		date_add_days(x->to, 1, next);
		memset(&tm, 0, sizeof tm);
		tm.tm_year = atoi(next) - 1900;
		tm.tm_mon = atoi(next + 5) - 1;
		tm.tm_mday = atoi(next + 8);
		tm.tm_isdst = -1;
		t = mktime(&tm);
		date_timestamp((int64_t)t, x->to_ts);
	}
	return DUKA_OK;
}

/* Does path end in ".xlsx" (any case)? */
static int
has_xlsx_suffix(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0 &&
	    path[n - 6] != '/';
}

/*
 * Check the target path and make the temporary file beside it: refused
 * when it is a folder or not a regular file, or when its folder is missing
 * or cannot be written. tmp receives the temporary file's name; mode the
 * permissions the finished file gets (the old file's, else 0666 less the
 * umask).
 */
static int
export_tmpfile(const char *path, char *tmp, size_t len, mode_t *mode,
    struct duka_err *err)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat sb;
	mode_t mask;
	int fd;

	if (path == NULL || *path == '\0')
		return duka_fail(err, DUKA_EINPUT, _("no file name given for "
		    "the workbook"));
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return duka_fail(err, DUKA_EINPUT, _("%s is a folder; "
			    "give a file name such as %s/books.xlsx"), path,
			    path);
		if (!S_ISREG(sb.st_mode))
			return duka_fail(err, DUKA_EINPUT, _("%s is not a "
			    "regular file; give the name of a new .xlsx file"),
			    path);
		*mode = sb.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		*mode = 0666 & ~mask;
	}
	if (!has_xlsx_suffix(path))
		return duka_fail(err, DUKA_EINPUT, _("%s: the file name must "
		    "end in .xlsx"), path);
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return duka_fail(err, DUKA_EINPUT, _("cannot write %s: the "
		    "folder %s does not exist"), path, dir);
	if ((size_t)snprintf(tmp, len, "%s/.%s.XXXXXX", dir,
	    slash != NULL ? slash + 1 : path) >= len)
		return duka_fail(err, DUKA_EINPUT, _("%s: the file name is too "
		    "long"), path);
	if ((fd = mkstemp(tmp)) < 0)
		return duka_fail(err, DUKA_EINPUT, _("cannot create a file in "
		    "the folder %s (%s)"), dir, strerror(errno));
	if (fchmod(fd, *mode) != 0 || close(fd) != 0) {
		unlink(tmp);
		return duka_fail(err, DUKA_EFAIL, _("cannot write %s: %s"),
		    tmp, strerror(errno));
	}
	return DUKA_OK;
}

/* Flush a finished file to the disk before it is renamed into place. */
static int
sync_file(const char *path)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	return close(fd) != 0 || rc != 0 ? -1 : 0;
}

/* Flush the folder of path, so that the rename survives a power cut. */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Write the document properties: the shop and the range. */
static void
export_properties(struct exporter *x)
{
	lxw_doc_properties p;

	memset(&p, 0, sizeof p);
	snprintf(x->title, sizeof x->title, _("The books of %s"),
	    x->cfg->shop_name[0] != '\0' ? x->cfg->shop_name : "duka");
	snprintf(x->subject, sizeof x->subject, _("Business days %s to %s"),
	    x->from[0] != '\0' ? x->from : _("the first"),
	    strcmp(x->to, "9999-12-31") != 0 ? x->to : _("the last"));
	snprintf(x->comments, sizeof x->comments, _("Written by duka %s on %s"),
	    PACKAGE_VERSION, x->today);
	p.title = x->title;
	p.subject = x->subject;
	p.company = (char *)x->cfg->shop_name;
	p.comments = x->comments;
	lxw_check(x, workbook_set_properties(x->wb, &p));
}

/* Write the sheets read in the export's own read transaction, in the
 * order the owner reads them. */
static int
export_sheets(struct exporter *x)
{
	static int (*const sheets[])(struct exporter *) = {
		sheet_summary, sheet_sales, sheet_lines, sheet_payments,
		sheet_mpesa, sheet_stock, sheet_expiry, sheet_moves, sheet_reorder,
		sheet_alerts,
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof sheets / sizeof sheets[0]; i++)
		if ((rc = sheets[i](x)) != DUKA_OK)
			return rc;
	return DUKA_OK;
}

int
export_workbook(struct db *db, const struct settings *cfg, const char *from,
    const char *to, const char *path, export_progress_fn progress, void *ctx,
    struct duka_err *err)
{
	struct duka_err local = { 0, "" };
	lxw_workbook_options opts;
	struct exporter *x;
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash;
	mode_t mode;
	lxw_error e;
	int rc, own_txn = 0;

	if (err == NULL)
		err = &local;
	if ((rc = perm_require(db, PERM_EXPORT, err)) != DUKA_OK)
		return rc;
	if ((x = calloc(1, sizeof *x)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	x->db = db;
	x->cfg = cfg;
	x->err = err;
	x->progress = progress;
	x->ctx = ctx;
	date_today(x->today);
	if ((rc = export_range(x, from, to)) != DUKA_OK) {
		free(x);
		return rc;
	}
	if ((rc = export_tmpfile(path, tmp, sizeof tmp, &mode, err)) !=
	    DUKA_OK) {
		free(x);
		return rc;
	}

	/* libxlsxwriter's own temporary files go beside the target too: the
	 * folder that will hold the workbook has room for its parts. */
	slash = strrchr(tmp, '/');
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - tmp), tmp);
	memset(&opts, 0, sizeof opts);
	opts.constant_memory = LXW_TRUE;
	opts.tmpdir = dir;
	/* No ZIP64: Excel is strict about it, and no part comes near 4 GiB
	 * (a sheet stops at 1,048,576 rows of about 1 KiB). */
	opts.use_zip64 = LXW_FALSE;
	if ((x->wb = workbook_new_opt(tmp, &opts)) == NULL ||
	    make_formats(x) != 0) {
		rc = duka_fail(err, DUKA_EFAIL, _("cannot start the workbook "
		    "(out of memory?)"));
		goto fail;
	}
	export_properties(x);

	/*
	 * One read transaction: the sheets see the same moment, and tills
	 * keep selling meanwhile (in WAL mode a reader blocks no writer).
	 * The shifts come after it: shift_report takes a transaction of its
	 * own for each shift (db_begin), which cannot start inside this one.
	 */
	if (!db_in_transaction(db)) {
		if ((rc = db_exec(db, "BEGIN", err)) != DUKA_OK)
			goto fail;
		own_txn = 1;
	}
	rc = export_sheets(x);
	if (own_txn)
		(void)db_exec(db, "COMMIT", NULL);
	if (rc != DUKA_OK || (rc = sheet_shifts(x)) != DUKA_OK)
		goto fail;
	if ((rc = report(x, _("Saving the workbook"), 0, 0)) != DUKA_OK)
		goto fail;

	e = workbook_close(x->wb);
	x->wb = NULL;
	if (e != LXW_NO_ERROR) {
		rc = duka_fail(err, DUKA_EFAIL, _("cannot write %s: %s"), path,
		    lxw_strerror(e));
		goto fail;
	}
	if (sync_file(tmp) != 0 || rename(tmp, path) != 0) {
		rc = duka_fail(err, DUKA_EFAIL, _("cannot write %s: %s"), path,
		    strerror(errno));
		goto fail;
	}
	sync_dir(path);
	free(x);
	return DUKA_OK;

fail:
	/* Free without writing: the target stays as it was. */
	if (x->wb != NULL)
		lxw_workbook_free(x->wb);
	unlink(tmp);
	free(x);
	return rc;
}

/* Set by SIGINT and SIGTERM: the progress callback stops the export. */
static volatile sig_atomic_t export_interrupted;

/* SIGINT and SIGTERM: ask the progress callback to stop. */
static void
export_on_signal(int sig)
{
	(void)sig;
	export_interrupted = 1;
}

/* What the command's progress line last showed. */
struct cmd_progress {
	int tty;
	char stage[128];
	int percent;
	int shown;
};

/* Show progress on a terminal (one line, rewritten when the stage or the
 * percentage changes); stop on Ctrl-C. */
static int
cmd_progress_cb(void *ctx, const char *stage, int64_t done, int64_t total)
{
	struct cmd_progress *p = ctx;
	int percent = total > 0 ? (int)(done * 100 / total) : -1;

	if (p->tty && (strcmp(stage, p->stage) != 0 || percent != p->percent)) {
		if (percent >= 0)
			fprintf(stderr, "\r%-28s %3d%%  ", stage, percent);
		else
			fprintf(stderr, "\r%-28s       ", stage);
		fflush(stderr);
		snprintf(p->stage, sizeof p->stage, "%s", stage);
		p->percent = percent;
		p->shown = 1;
	}
	return export_interrupted;
}

enum { OPT_FROM = 256, OPT_TO, OPT_HELP };

static const struct option export_options[] = {
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka export. */
static void
export_help(FILE *fp)
{
	cli_usage(fp, "export", _("[--from DATE] [--to DATE] [-o FILE.xlsx]"),
	    _("Writes the books to a spreadsheet: a summary of each business "
	    "day with\nits totals, the sales, their lines and payments, the "
	    "stock on hand, the\nbatches by expiry date, the stock movements, "
	    "reorder suggestions and the\nX and Z reports of the shifts. An "
	    "existing file is replaced only once the\nnew one is complete.\n\n"
	    "  --from DATE        the first business day (default: the first "
	    "sale)\n"
	    "  --to DATE          the last business day (default: the last "
	    "sale)\n"
	    "  -o, --output FILE  the workbook to write (default: "
	    "duka-TODAY.xlsx)\n\n"
	    "Dates are YYYY-MM-DD or DD/MM/YYYY.\n"));
}

/* duka export [--from DATE] [--to DATE] [-o FILE.xlsx] */
int
cmd_export(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct cmd_progress p = { 0, "", -1, 0 };
	struct sigaction sa, old_int, old_term;
	const char *from = NULL, *to = NULL, *out = NULL;
	char today[DATE_LEN], def[64];
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", export_options, NULL)) !=
	    -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			export_help(stdout);
			return DUKA_OK;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE, _("%s needs a value "
			    "(see duka export --help)"), argv[optind - 1]);
		default:
			return duka_fail(err, DUKA_EUSAGE, _("unknown option %s "
			    "(see duka export --help)"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return duka_fail(err, DUKA_EUSAGE, _("unexpected argument "
		    "\"%s\" (see duka export --help)"), argv[optind]);
	if (out == NULL) {
		date_today(today);
		snprintf(def, sizeof def, "duka-%s.xlsx", today);
		out = def;
	}

	p.tty = isatty(STDERR_FILENO);
	export_interrupted = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = export_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = export_workbook(app->db, &app->cfg, from, to, out,
	    cmd_progress_cb, &p, err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (p.shown)
		fprintf(stderr, "\r%40s\r", "");
	if (rc != DUKA_OK) {
		if (export_interrupted)
			return duka_fail(err, rc, _("the export was stopped; "
			    "%s was not changed"), out);
		return rc;
	}
	printf(_("Wrote %s\n"), out);
	return DUKA_OK;
}
