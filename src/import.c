/*
 * import.c - "duka import": products and stock from CSV files.
 *
 * libcsv splits the byte stream into values and rows; this file adds what
 * it lacks: line numbers, the header, a check of every value, duplicates
 * within the file, and one transaction around the whole import.
 *
 * The file is read once. Each row is checked and, when good, written at
 * once through the catalog and stock modules (which nest their own
 * savepoints inside our transaction); a bad row is reported and skipped,
 * and reading goes on so that every problem is listed. At the end the
 * transaction is committed only if no row was bad and this is no dry run.
 * Writing as we go costs nothing when the file is good (the common case),
 * lets the catalog's own rules judge every row, and needs no second pass.
 *
 * Line numbers: libcsv reports no positions, so the input is fed to it one
 * physical line at a time (each piece ends just after a CR or LF). libcsv
 * ends a record only at a line break outside quotes, which is always the
 * last byte of a piece; a record starts on the first piece that holds
 * anything but blanks while no record is open, which is exactly when
 * libcsv leaves its "row not begun" state.
 */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "cli.h"
#include "i18n.h"
#include "import.h"
#include "money.h"
#include "stock.h"
#include "text.h"

#define IMPORT_CHUNK 65536		/* bytes read at a time */
#define IMPORT_MAX_COLUMNS 64		/* columns a header may have */
#define IMPORT_FIELD_MAX 65536		/* longest value, in bytes */
#define IMPORT_TEXT_MAX 64		/* batch and reference, in bytes */
#define IMPORT_NOTE_MAX 1000		/* longest stock note, in bytes */
#define IMPORT_OWN_CODES 64		/* barcodes of one product compared */

/* A column a kind of import knows. */
struct import_column {
	const char *name;
	int required;
};

/* Another name accepted for a column in the header. */
struct import_alias {
	const char *name;
	int column;
};

enum {
	P_SKU, P_NAME, P_PRICE, P_COST, P_CATEGORY, P_UNIT, P_TAX, P_BARCODE,
	P_REORDER_LEVEL, P_REORDER_QTY, P_PACK_SIZE, P_LEAD_TIME,
	P_TRACKS_EXPIRY, P_SUPPLIER, P_ACTIVE, P_NCOLS
};

static const struct import_column product_columns[P_NCOLS] = {
	{ "sku", 1 }, { "name", 1 }, { "price", 1 }, { "cost", 0 },
	{ "category", 0 }, { "unit", 0 }, { "tax", 0 }, { "barcode", 0 },
	{ "reorder_level", 0 }, { "reorder_qty", 0 }, { "pack_size", 0 },
	{ "lead_time_days", 0 }, { "tracks_expiry", 0 }, { "supplier", 0 },
	{ "active", 0 },
};

static const struct import_alias product_aliases[] = {
	{ "tax_class", P_TAX }, { "barcodes", P_BARCODE },
	{ "lead_time", P_LEAD_TIME }, { NULL, 0 },
};

enum {
	S_CODE, S_QTY, S_BATCH, S_EXPIRY, S_RECEIVED, S_COST, S_PRICE,
	S_REORDER_DATE, S_SUPPLIER, S_REFERENCE, S_NOTE, S_NCOLS
};

static const struct import_column stock_columns[S_NCOLS] = {
	{ "code", 1 }, { "qty", 1 }, { "batch", 0 }, { "expiry", 0 },
	{ "received", 0 }, { "cost", 0 }, { "price", 0 },
	{ "reorder_date", 0 }, { "supplier", 0 }, { "reference", 0 },
	{ "note", 0 },
};

static const struct import_alias stock_aliases[] = {
	{ "barcode", S_CODE }, { "sku", S_CODE }, { "quantity", S_QTY },
	{ "batch_no", S_BATCH }, { "expiry_date", S_EXPIRY },
	{ "received_date", S_RECEIVED }, { "unit_cost", S_COST },
	{ NULL, 0 },
};

#define IMPORT_NCOLS_MAX ((int)P_NCOLS > (int)S_NCOLS ? (int)P_NCOLS : \
	(int)S_NCOLS)

/*
 * A set of strings with the line each was first seen on: open addressing,
 * linear probing, keys stored back to back in one growing buffer, so that
 * a row costs no allocation of its own.
 */
struct strset_slot {
	uint64_t hash;
	size_t key;			/* offset in keys + 1; 0: empty slot */
	int64_t line;
};

struct strset {
	struct strset_slot *slot;	/* cap slots, cap a power of two */
	size_t cap, n;
	char *keys;
	size_t klen, kcap;
};

struct import;

/* What differs between the kinds of import. */
struct import_kind_def {
	const struct import_column *columns;
	int ncolumns;
	const struct import_alias *aliases;
	void (*row)(struct import *im);
};

/* The state of one import. */
struct import {
	struct db *db;
	const struct import_options *opt;
	const struct import_kind_def *kind;
	struct import_result *res;
	const char *label;
	struct csv_parser csv;

	int64_t line;			/* line of the next byte fed */
	int64_t rec_line;		/* line on which the open record started */
	int in_record;			/* libcsv is inside a record */
	int prev_cr;			/* the last line break fed was a CR */
	int skip_line;			/* drop input up to the next line break */

	/* The record being read: values trimmed, each NUL-terminated. */
	char *buf;
	size_t blen, bcap;
	size_t off[IMPORT_MAX_COLUMNS], len[IMPORT_MAX_COLUMNS];
	size_t nfields;			/* beyond IMPORT_MAX_COLUMNS: counted */

	int header_done;
	size_t ncols;			/* values per row, from the header */
	int colmap[IMPORT_MAX_COLUMNS];	/* file column -> known, or -1 */
	int colidx[IMPORT_NCOLS_MAX];	/* known column -> file, or -1 */

	struct strset skus, codes;	/* seen in this file */
	char today[DATE_LEN];

	int stop;			/* read no further */
	int fatal;			/* the database, memory or file failed */
	struct duka_err fatal_err;
	int64_t fatal_line;
};

static void import_product_row(struct import *);
static void import_stock_row(struct import *);

static const struct import_kind_def import_kinds[] = {
	[IMPORT_PRODUCTS] = { product_columns, P_NCOLS, product_aliases,
	    import_product_row },
	[IMPORT_STOCK] = { stock_columns, S_NCOLS, stock_aliases,
	    import_stock_row },
};

static void import_report(struct import *, int64_t, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));
static int import_bad(struct import *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* FNV-1a: short keys, no adversary worth a keyed hash. */
static uint64_t
strset_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Double the slots (or make the first ones) and re-place every key. */
static int
strset_grow(struct strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, j;
	struct strset_slot *ns;

	if ((ns = calloc(cap, sizeof *ns)) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slot[i].key == 0)
			continue;
		for (j = s->slot[i].hash & (cap - 1); ns[j].key != 0;
		    j = (j + 1) & (cap - 1))
			;
		ns[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = ns;
	s->cap = cap;
	return 0;
}

/*
 * Remember key, first seen on line. Returns 1 when it is new, 0 when it
 * was there already (*first then says on which line), -1 when memory ran
 * out.
 */
static int
strset_add(struct strset *s, const char *key, int64_t line, int64_t *first)
{
	size_t len = strlen(key), i, mask, cap;
	uint64_t h = strset_hash(key);
	char *k;

	if ((s->n + 1) * 4 > s->cap * 3 && strset_grow(s) != 0)
		return -1;
	mask = s->cap - 1;
	for (i = h & mask; s->slot[i].key != 0; i = (i + 1) & mask) {
		if (s->slot[i].hash == h &&
		    strcmp(s->keys + s->slot[i].key - 1, key) == 0) {
			*first = s->slot[i].line;
			return 0;
		}
	}
	if (s->klen + len + 1 > s->kcap) {
		cap = s->kcap ? s->kcap * 2 : 16384;
		while (cap < s->klen + len + 1)
			cap *= 2;
		if ((k = realloc(s->keys, cap)) == NULL)
			return -1;
		s->keys = k;
		s->kcap = cap;
	}
	memcpy(s->keys + s->klen, key, len + 1);
	s->slot[i].hash = h;
	s->slot[i].key = s->klen + 1;
	s->slot[i].line = line;
	s->klen += len + 1;
	s->n++;
	return 1;
}

/* Release what a set holds. */
static void
strset_free(struct strset *s)
{
	free(s->slot);
	free(s->keys);
	memset(s, 0, sizeof *s);
}

/* Blanks trimmed around every value (ASCII only: UTF-8 is left alone). */
static int
import_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/*
 * libcsv grows its value buffer through this, so that a runaway quoted
 * value (a closing quote missing in a big file) cannot eat all memory.
 */
static void *
import_csv_realloc(void *p, size_t n)
{
	if (n > IMPORT_FIELD_MAX + 1)
		return NULL;
	return realloc(p, n);
}

/* Count a problem and pass it to the report callback while under the cap. */
static void
import_report(struct import *im, int64_t line, const char *column,
    const char *fmt, ...)
{
	char reason[768], msg[1024];
	va_list ap;

	im->res->errors++;
	if (im->opt->report == NULL || im->res->errors > im->opt->max_reports)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (line > 0 && column != NULL)
		snprintf(msg, sizeof msg, "%s:%lld:%s: %s", im->label,
		    (long long)line, column, reason);
	else if (line > 0)
		snprintf(msg, sizeof msg, "%s:%lld: %s", im->label,
		    (long long)line, reason);
	else
		snprintf(msg, sizeof msg, "%s: %s", im->label, reason);
	im->opt->report(im->opt->ctx, msg);
}

/* Report a problem with known column c (-1: the row) of the current row;
 * returns 1, the number of problems, for "bad += import_bad(...)". */
static int
import_bad(struct import *im, int c, const char *fmt, ...)
{
	char reason[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	import_report(im, im->rec_line, c >= 0 ? im->kind->columns[c].name :
	    NULL, "%s", reason);
	return 1;
}

/* Stop the import because something other than the file failed. */
static void
import_fatal(struct import *im, const struct duka_err *e)
{
	if (!im->fatal) {
		im->fatal_err = *e;
		im->fatal_line = im->rec_line;
	}
	im->fatal = 1;
	im->stop = 1;
}

/* Stop the import: memory ran out. */
static void
import_oom(struct import *im)
{
	struct duka_err e;

	duka_fail(&e, DUKA_EFAIL, _("out of memory"));
	import_fatal(im, &e);
}

/*
 * A catalog or stock call failed while writing row data: a refusal of the
 * row is one more problem of the file; anything else (the database, the
 * disk, or SQLite having dropped our transaction) stops the import.
 */
static void
import_write_failed(struct import *im, int c, int rc, const struct duka_err *e)
{
	if ((rc == DUKA_EINPUT || rc == DUKA_ENOTFOUND) &&
	    !sqlite3_get_autocommit(db_sqlite(im->db)))
		import_bad(im, c, "%s", e->msg);
	else
		import_fatal(im, e);
}

/* The names of the columns of this kind, for messages: "sku, name, ...". */
static void
import_column_list(const struct import_kind_def *k, char *out, size_t n)
{
	size_t o = 0;
	int c;

	out[0] = '\0';
	for (c = 0; c < k->ncolumns && o < n; c++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", c ? ", " : "",
		    k->columns[c].name);
}

/* The name of file column i for messages: its known name or "column N". */
static const char *
import_column_name(const struct import *im, size_t i, char *buf, size_t n)
{
	if (im->header_done && i < im->ncols && i < IMPORT_MAX_COLUMNS &&
	    im->colmap[i] >= 0)
		return im->kind->columns[im->colmap[i]].name;
	snprintf(buf, n, _("column %zu"), i + 1);
	return buf;
}

/* libcsv callback: one value ended; keep it, trimmed, in the row buffer. */
static void
import_on_field(void *s, size_t n, void *data)
{
	struct import *im = data;
	const char *p = s;
	size_t i = im->nfields++, cap;
	char *b;

	if (i >= IMPORT_MAX_COLUMNS || im->stop)
		return;
	if (p == NULL)
		n = 0;
	while (n > 0 && import_is_blank((unsigned char)p[0]))
		p++, n--;
	while (n > 0 && import_is_blank((unsigned char)p[n - 1]))
		n--;
	if (im->blen + n + 1 > im->bcap) {
		cap = im->bcap ? im->bcap : 4096;
		while (cap < im->blen + n + 1)
			cap *= 2;
		if ((b = realloc(im->buf, cap)) == NULL) {
			import_oom(im);
			return;
		}
		im->buf = b;
		im->bcap = cap;
	}
	if (n > 0)
		memcpy(im->buf + im->blen, p, n);
	im->buf[im->blen + n] = '\0';
	im->off[i] = im->blen;
	im->len[i] = n;
	im->blen += n + 1;
}

/* Turn a header name into the form compared: lower case, '_' for ' ' and
 * '-'. Returns -1 if it does not fit (no column has so long a name). */
static int
import_column_key(const char *s, char *out, size_t n)
{
	size_t i;
	char c;

	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 >= n)
			return -1;
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
		out[i] = c;
	}
	out[i] = '\0';
	return 0;
}

/* The known column called key (a name or an alias), or -1. */
static int
import_column_find(const struct import_kind_def *k, const char *key)
{
	int c;

	for (c = 0; c < k->ncolumns; c++)
		if (strcmp(key, k->columns[c].name) == 0)
			return c;
	for (c = 0; k->aliases[c].name != NULL; c++)
		if (strcmp(key, k->aliases[c].name) == 0)
			return k->aliases[c].column;
	return -1;
}

/* Report a value that is not UTF-8 text or holds a NUL; 1 if it does. */
static int
import_check_text(struct import *im, size_t i, const char *column)
{
	const unsigned char *v = (const unsigned char *)im->buf + im->off[i];
	size_t n = im->len[i], at;

	if (memchr(v, '\0', n) != NULL) {
		import_report(im, im->rec_line, column, _("the value holds a "
		    "NUL byte; is this really a CSV text file?"));
		return 1;
	}
	if ((at = text_utf8_bad_at((const char *)v, n)) == n)
		return 0;
	import_report(im, im->rec_line, column, _("the text is not UTF-8 "
	    "(byte 0x%02X at character %zu); save the file as \"CSV UTF-8\""),
	    v[at], text_utf8_chars((const char *)v, at) + 1);
	return 1;
}

/* The first record: map its names to the known columns. */
static void
import_header(struct import *im)
{
	const struct import_kind_def *k = im->kind;
	char key[32], list[256], colbuf[32];
	const char *v, *column;
	size_t i;
	int c, bad = 0;

	im->header_done = 1;
	for (c = 0; c < k->ncolumns; c++)
		im->colidx[c] = -1;
	import_column_list(k, list, sizeof list);
	if (im->nfields > IMPORT_MAX_COLUMNS) {
		import_report(im, im->rec_line, NULL, _("the header has %zu "
		    "columns; at most %d are allowed"), im->nfields,
		    IMPORT_MAX_COLUMNS);
		im->stop = 1;
		return;
	}
	im->ncols = im->nfields;
	for (i = 0; i < im->ncols; i++) {
		im->colmap[i] = -1;
		v = im->buf + im->off[i];
		snprintf(colbuf, sizeof colbuf, _("column %zu"), i + 1);
		if (import_check_text(im, i, colbuf)) {
			bad++;
			continue;
		}
		column = im->len[i] > 40 ? colbuf : v;
		if (im->len[i] == 0)
			continue;	/* unnamed: ignored, must stay empty */
		c = import_column_key(v, key, sizeof key) == 0 ?
		    import_column_find(k, key) : -1;
		if (c < 0) {
			import_report(im, im->rec_line, column, _("unknown "
			    "column \"%.40s\"; the columns are: %s"), v, list);
			bad++;
		} else if (im->colidx[c] >= 0) {
			import_report(im, im->rec_line, column, _("the column "
			    "%s is named twice (columns %d and %zu)"),
			    k->columns[c].name, im->colidx[c] + 1, i + 1);
			bad++;
		} else {
			im->colidx[c] = (int)i;
			im->colmap[i] = c;
		}
	}
	for (c = 0; c < k->ncolumns; c++) {
		if (k->columns[c].required && im->colidx[c] < 0) {
			import_report(im, im->rec_line, NULL, _("the header lacks "
			    "the column \"%s\", which is required"),
			    k->columns[c].name);
			bad++;
		}
	}
	/* Rows cannot be read without a sound header; say so once. */
	if (bad)
		im->stop = 1;
}

/* Every other record: common checks, then the kind's own. */
static void
import_row(struct import *im)
{
	char colbuf[32];
	const char *column;
	size_t i;
	int bad = 0, empty = im->nfields <= IMPORT_MAX_COLUMNS;

	for (i = 0; empty && i < im->nfields; i++)
		if (im->len[i] != 0)
			empty = 0;
	if (empty)
		return;		/* a blank spreadsheet row */
	im->res->rows++;
	if (im->nfields != im->ncols) {
		import_bad(im, -1, _("this row has %zu values but the header "
		    "names %zu columns"), im->nfields, im->ncols);
		return;
	}
	for (i = 0; i < im->ncols; i++) {
		column = import_column_name(im, i, colbuf, sizeof colbuf);
		if (import_check_text(im, i, column))
			bad++;
		else if (im->colmap[i] < 0 && im->len[i] != 0) {
			import_report(im, im->rec_line, column, _("a value in "
			    "a column that has no name in the header"));
			bad++;
		}
	}
	if (!bad)
		im->kind->row(im);
}

/* libcsv callback: a record ended (c is the line break, or -1 at EOF). */
static void
import_on_row(int c, void *data)
{
	struct import *im = data;

	(void)c;
	if (!im->stop) {
		if (!im->header_done)
			import_header(im);
		else
			import_row(im);
	}
	im->nfields = 0;
	im->blen = 0;
	im->in_record = 0;
}

/* The value of known column c in the current row; NULL if not given. */
static const char *
import_value(const struct import *im, int c)
{
	int i = im->colidx[c];

	if (i < 0 || im->len[i] == 0)
		return NULL;
	return im->buf + im->off[i];
}

/* Report a missing required value; 1 if it is missing. */
static int
import_required(struct import *im, const char *v, int c)
{
	if (v != NULL)
		return 0;
	return import_bad(im, c, _("a value is required"));
}

/* Parse an amount of money >= 0 into *out when given; 1 if bad. */
static int
import_money(struct import *im, const char *v, int c, int64_t *out)
{
	struct duka_err e = { 0, "" };
	int64_t x;

	if (v == NULL)
		return 0;
	if (money_parse(v, &x, &e) != DUKA_OK)
		return import_bad(im, c, "\"%.40s\": %s", v, e.msg);
	if (x < 0)
		return import_bad(im, c, _("\"%.40s\": the amount cannot be "
		    "negative"), v);
	*out = x;
	return 0;
}

/* Parse a quantity >= min into *out when given; 1 if bad. */
static int
import_qty(struct import *im, const char *v, int c, int64_t min,
    int64_t *out)
{
	struct duka_err e = { 0, "" };
	int64_t x;

	if (v == NULL)
		return 0;
	if (qty_parse(v, &x, &e) != DUKA_OK)
		return import_bad(im, c, "\"%.40s\": %s", v, e.msg);
	if (x < min)
		return import_bad(im, c, min > 0 ?
		    _("\"%.40s\": the quantity must be more than 0") :
		    _("\"%.40s\": the quantity cannot be negative"), v);
	*out = x;
	return 0;
}

/* Parse a date into out when given; 1 if bad. */
static int
import_date(struct import *im, const char *v, int c, char out[DATE_LEN])
{
	struct duka_err e = { 0, "" };

	if (v == NULL)
		return 0;
	if (date_parse(v, out, &e) != DUKA_OK)
		return import_bad(im, c, "%s", e.msg);
	return 0;
}

/* Parse yes/no in English or Swahili when given; 1 if bad. */
static int
import_bool(struct import *im, const char *v, int c, int *out)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "ndiyo" };
	static const char *const no[] = { "no", "n", "false", "0", "hapana" };
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return import_bad(im, c, _("\"%.40s\" is neither yes nor no"), v);
}

/* Parse a whole number of days 0..365 when given; 1 if bad. */
static int
import_days(struct import *im, const char *v, int c, int64_t *out)
{
	int64_t x = 0;
	const char *p;

	if (v == NULL)
		return 0;
	for (p = v; *p >= '0' && *p <= '9' && x <= 365; p++)
		x = x * 10 + (*p - '0');
	if (*p != '\0' || p == v || x > 365)
		return import_bad(im, c, _("\"%.40s\" is not a number of days "
		    "from 0 to 365"), v);
	*out = x;
	return 0;
}

/*
 * Check a name (category, supplier, product) when given; 1 if bad. what is
 * marked with N_() and translated only for a message, not once a row.
 */
static int
import_name(struct import *im, const char *v, int c, size_t max,
    const char *what)
{
	struct duka_err e = { 0, "" };

	if (v == NULL || text_check_name(v, max, what, NULL) == DUKA_OK)
		return 0;
	text_check_name(v, max, _(what), &e);
	return import_bad(im, c, "%s", e.msg);
}

/* Check free text against a length in bytes when given; 1 if bad. */
static int
import_text(struct import *im, const char *v, int c, size_t max)
{
	if (v == NULL || strlen(v) <= max)
		return 0;
	return import_bad(im, c, _("\"%.20s...\" is longer than %zu bytes"),
	    v, max);
}

/*
 * Copy the next barcode of a list ("A B|C,D;E", line breaks allowed) into
 * tok and advance *pp. Returns 1, 0 at the end, or -1 if the code does not
 * fit (tok then holds its start).
 */
static int
import_next_code(const char **pp, char *tok, size_t n)
{
	const char *p = *pp, *start;
	size_t len;

	while (*p != '\0' && (import_is_blank((unsigned char)*p) ||
	    strchr("|,;", *p) != NULL))
		p++;
	if (*p == '\0') {
		*pp = p;
		return 0;
	}
	start = p;
	while (*p != '\0' && !import_is_blank((unsigned char)*p) &&
	    strchr("|,;", *p) == NULL)
		p++;
	*pp = p;
	len = (size_t)(p - start);
	if (len >= n) {
		memcpy(tok, start, n - 1);
		tok[n - 1] = '\0';
		return -1;
	}
	memcpy(tok, start, len);
	tok[len] = '\0';
	return 1;
}

/* Check every barcode of the list and remember it; returns problems. */
static int
import_check_codes(struct import *im, const char *list)
{
	char tok[BARCODE_MAX + 8], norm[BARCODE_MAX];
	struct duka_err e = { 0, "" };
	enum barcode_kind kind;
	int64_t first = 0;
	int bad = 0, r;

	while ((r = import_next_code(&list, tok, sizeof tok)) != 0) {
		if (r < 0) {
			bad += import_bad(im, P_BARCODE, _("the barcode "
			    "\"%s...\" is too long"), tok);
			continue;
		}
		if (barcode_normalize(tok, norm, &kind, &e) != DUKA_OK) {
			bad += import_bad(im, P_BARCODE, "\"%s\": %s", tok,
			    e.msg);
			continue;
		}
		r = strset_add(&im->codes, norm, im->rec_line, &first);
		if (r < 0) {
			import_oom(im);
			return bad + 1;
		}
		if (r == 0 && first == im->rec_line)
			bad += import_bad(im, P_BARCODE, _("the barcode %s is "
			    "listed twice"), norm);
		else if (r == 0)
			bad += import_bad(im, P_BARCODE, _("the barcode %s is "
			    "also on line %lld"), norm, (long long)first);
	}
	return bad;
}

/* Check the SKU's length and that the file has it once; 1 if bad. */
static int
import_check_sku(struct import *im, const char *sku)
{
	char key[SKU_MAX];
	int64_t first = 0;
	size_t i, n = strlen(sku);
	int r;

	if (n > SKU_MAX - 1)
		return import_bad(im, P_SKU, _("the SKU \"%.40s\" is longer "
		    "than %d characters"), sku, SKU_MAX - 1);
	/* SKUs are unique without regard to ASCII case, as in SQLite. */
	for (i = 0; i <= n; i++)
		key[i] = (sku[i] >= 'a' && sku[i] <= 'z') ?
		    (char)(sku[i] - 'a' + 'A') : sku[i];
	r = strset_add(&im->skus, key, im->rec_line, &first);
	if (r < 0) {
		import_oom(im);
		return 1;
	}
	if (r == 0)
		return import_bad(im, P_SKU, _("the SKU %s is also on line "
		    "%lld"), sku, (long long)first);
	return 0;
}

/* Copy the columns given in the row (v) from src into dst. */
static void
import_overlay(struct product *dst, const struct product *src,
    const char *const v[P_NCOLS])
{
	if (v[P_NAME] != NULL)
		memcpy(dst->name, src->name, sizeof dst->name);
	if (v[P_PRICE] != NULL)
		dst->price = src->price;
	if (v[P_COST] != NULL)
		dst->cost = src->cost;
	if (v[P_UNIT] != NULL)
		dst->unit = src->unit;
	if (v[P_TAX] != NULL)
		dst->tax = src->tax;
	if (v[P_REORDER_LEVEL] != NULL)
		dst->reorder_level = src->reorder_level;
	if (v[P_REORDER_QTY] != NULL)
		dst->reorder_qty = src->reorder_qty;
	if (v[P_PACK_SIZE] != NULL)
		dst->pack_size = src->pack_size;
	if (v[P_LEAD_TIME] != NULL)
		dst->lead_time_days = src->lead_time_days;
	if (v[P_TRACKS_EXPIRY] != NULL)
		dst->tracks_expiry = src->tracks_expiry;
	if (v[P_ACTIVE] != NULL)
		dst->active = src->active;
}

/* 1 if an update from a to b would change a stored, editable field. */
static int
import_product_differs(const struct product *a, const struct product *b)
{
	return strcmp(a->name, b->name) != 0 ||
	    a->category_id != b->category_id ||
	    a->supplier_id != b->supplier_id || a->unit != b->unit ||
	    a->price != b->price || a->cost != b->cost || a->tax != b->tax ||
	    a->reorder_level != b->reorder_level ||
	    a->reorder_qty != b->reorder_qty || a->pack_size != b->pack_size ||
	    a->lead_time_days != b->lead_time_days ||
	    !a->tracks_expiry != !b->tracks_expiry || !a->active != !b->active;
}

/* The barcodes a product already has (the first IMPORT_OWN_CODES). */
struct import_codes {
	char code[IMPORT_OWN_CODES][BARCODE_MAX];
	int n;
};

/* catalog_barcodes() callback: collect one code. */
static void
import_collect_code(void *ctx, const char *code, const char *kind)
{
	struct import_codes *c = ctx;

	(void)kind;
	if (c->n < IMPORT_OWN_CODES && code != NULL)
		snprintf(c->code[c->n++], BARCODE_MAX, "%s", code);
}

/*
 * Look a SKU up. catalog_product_find() tries barcodes before SKUs, so a
 * hit counts only when its SKU is the one asked for; otherwise the row is
 * taken as new, and catalog_product_add() refuses a SKU that is taken.
 */
static int
import_find_sku(struct import *im, const char *sku, struct product *p,
    int *exists)
{
	struct duka_err e = { 0, "" };
	int rc;

	*exists = 0;
	rc = catalog_product_find(im->db, sku, p, &e);
	if (rc == DUKA_OK) {
		*exists = strcasecmp(p->sku, sku) == 0;
		return 0;
	}
	if (rc == DUKA_ENOTFOUND)
		return 0;
	import_fatal(im, &e);
	return -1;
}

/* Add the row's barcodes that p (existing when own is not NULL) lacks;
 * returns how many were added, or -1 after a failure was handled. */
static int
import_add_codes(struct import *im, const struct product *p,
    const char *list, const struct import_codes *own)
{
	char tok[BARCODE_MAX + 8], norm[BARCODE_MAX];
	struct duka_err e = { 0, "" };
	enum barcode_kind kind;
	int added = 0, i, r, rc;

	while ((r = import_next_code(&list, tok, sizeof tok)) > 0) {
		if (barcode_normalize(tok, norm, &kind, &e) != DUKA_OK)
			continue;	/* reported while checking */
		for (i = 0; own != NULL && i < own->n; i++)
			if (strcmp(own->code[i], norm) == 0)
				break;
		if (own != NULL && i < own->n)
			continue;
		rc = catalog_barcode_add(im->db, p->id, norm, NULL, &e);
		if (rc != DUKA_OK) {
			import_write_failed(im, P_BARCODE, rc, &e);
			return -1;
		}
		added++;
	}
	return added;
}

/*
 * Add a new product with the row's barcodes as one change (one search
 * index row, one event) rather than a product and then each code.
 */
static int
import_create(struct import *im, struct product *p, const char *list,
    int *column, struct duka_err *e)
{
	struct import_codes codes;
	struct product holder;
	const char *ptr[IMPORT_OWN_CODES];
	char tok[BARCODE_MAX + 8];
	enum barcode_kind kind;
	int r;

	codes.n = 0;
	while (list != NULL && codes.n < IMPORT_OWN_CODES &&
	    (r = import_next_code(&list, tok, sizeof tok)) > 0) {
		if (barcode_normalize(tok, codes.code[codes.n], &kind, e) !=
		    DUKA_OK)
			continue;	/* reported while checking */
		/* A code of another product is this row's barcode's fault. */
		if (catalog_product_find(im->db, codes.code[codes.n], &holder,
		    NULL) == DUKA_OK && strcmp(holder.sku,
		    codes.code[codes.n]) != 0) {
			*column = P_BARCODE;
			return duka_fail(e, DUKA_EINPUT,
			    _("the barcode %s is already used by \"%s\" (SKU "
			    "%s)"), codes.code[codes.n], holder.name,
			    holder.sku);
		}
		ptr[codes.n] = codes.code[codes.n];
		codes.n++;
	}
	*column = P_BARCODE;
	if (list != NULL && import_next_code(&list, tok, sizeof tok) > 0)
		return duka_fail(e, DUKA_EINPUT,
		    _("a product may have at most %d barcodes"),
		    IMPORT_OWN_CODES);
	*column = -1;
	return catalog_product_create(im->db, p, ptr, codes.n, im->opt->user,
	    e);
}

/* Write a checked product row: add it, or update the product it names. */
static void
import_product_write(struct import *im, const char *const v[P_NCOLS],
    const struct product *given)
{
	struct import_codes *own = NULL, owncodes;
	struct product old, p;
	struct duka_err e = { 0, "" };
	int exists, changed = 0, rc, added, column = -1;

	if (import_find_sku(im, v[P_SKU], &old, &exists) != 0)
		return;
	if (exists) {
		p = old;
	} else {
		product_init(&p);
		snprintf(p.sku, sizeof p.sku, "%s", v[P_SKU]);
	}
	import_overlay(&p, given, v);
	if (v[P_CATEGORY] != NULL && (rc = catalog_category_ensure(im->db,
	    v[P_CATEGORY], &p.category_id, &e)) != DUKA_OK) {
		import_write_failed(im, P_CATEGORY, rc, &e);
		return;
	}
	if (v[P_SUPPLIER] != NULL && (rc = catalog_supplier_ensure(im->db,
	    v[P_SUPPLIER], NULL, 0, &p.supplier_id, &e)) != DUKA_OK) {
		import_write_failed(im, P_SUPPLIER, rc, &e);
		return;
	}
	if (!exists) {
		rc = import_create(im, &p, v[P_BARCODE], &column, &e);
	} else if ((changed = import_product_differs(&old, &p))) {
		rc = catalog_product_update(im->db, &p, im->opt->user, &e);
	} else
		rc = DUKA_OK;
	if (rc != DUKA_OK) {
		import_write_failed(im, column, rc, &e);
		return;
	}
	if (exists && v[P_BARCODE] != NULL) {
		owncodes.n = 0;
		if ((rc = catalog_barcodes(im->db, p.id, import_collect_code,
		    &owncodes, &e)) != DUKA_OK) {
			import_fatal(im, &e);
			return;
		}
		own = &owncodes;
	}
	if (exists && v[P_BARCODE] != NULL &&
	    (added = import_add_codes(im, &p, v[P_BARCODE], own)) != 0) {
		if (added < 0)
			return;
		changed = 1;
	}
	if (!exists)
		im->res->added++;
	else if (changed)
		im->res->updated++;
	else
		im->res->unchanged++;
}

/* A product row: check every value, then write it if all were good. */
static void
import_product_row(struct import *im)
{
	struct duka_err e = { 0, "" };
	struct product q;
	const char *v[P_NCOLS];
	int c, bad = 0;

	for (c = 0; c < P_NCOLS; c++)
		v[c] = import_value(im, c);
	product_init(&q);
	bad += import_required(im, v[P_SKU], P_SKU);
	bad += import_required(im, v[P_NAME], P_NAME);
	bad += import_required(im, v[P_PRICE], P_PRICE);
	if (v[P_SKU] != NULL)
		bad += import_check_sku(im, v[P_SKU]);
	if (v[P_NAME] != NULL) {
		if (import_name(im, v[P_NAME], P_NAME, 120, N_("product name")))
			bad++;
		else
			snprintf(q.name, sizeof q.name, "%s", v[P_NAME]);
	}
	bad += import_money(im, v[P_PRICE], P_PRICE, &q.price);
	bad += import_money(im, v[P_COST], P_COST, &q.cost);
	bad += import_name(im, v[P_CATEGORY], P_CATEGORY, 60,
	    N_("category name"));
	if (v[P_UNIT] != NULL &&
	    product_unit_parse(v[P_UNIT], &q.unit, &e) != DUKA_OK)
		bad += import_bad(im, P_UNIT, "%s", e.msg);
	if (v[P_TAX] != NULL && tax_class_parse(v[P_TAX], &q.tax, &e) != 0)
		bad += import_bad(im, P_TAX, "\"%.40s\": %s", v[P_TAX], e.msg);
	if (v[P_BARCODE] != NULL)
		bad += import_check_codes(im, v[P_BARCODE]);
	bad += import_qty(im, v[P_REORDER_LEVEL], P_REORDER_LEVEL, 0,
	    &q.reorder_level);
	bad += import_qty(im, v[P_REORDER_QTY], P_REORDER_QTY, 0,
	    &q.reorder_qty);
	bad += import_qty(im, v[P_PACK_SIZE], P_PACK_SIZE, 1, &q.pack_size);
	bad += import_days(im, v[P_LEAD_TIME], P_LEAD_TIME, &q.lead_time_days);
	bad += import_bool(im, v[P_TRACKS_EXPIRY], P_TRACKS_EXPIRY,
	    &q.tracks_expiry);
	bad += import_bool(im, v[P_ACTIVE], P_ACTIVE, &q.active);
	bad += import_name(im, v[P_SUPPLIER], P_SUPPLIER, 80,
	    N_("supplier name"));
	if (bad == 0 && !im->stop)
		import_product_write(im, v, &q);
}

/* A stock row: check every value, then receive it if all were good. */
static void
import_stock_row(struct import *im)
{
	struct stock_receipt r;
	struct duka_err e = { 0, "" };
	struct product p;
	const char *v[S_NCOLS];
	int c, rc, dates, bad = 0, found = 0;

	for (c = 0; c < S_NCOLS; c++)
		v[c] = import_value(im, c);
	stock_receipt_init(&r);
	bad += import_required(im, v[S_CODE], S_CODE);
	bad += import_required(im, v[S_QTY], S_QTY);
	if (v[S_CODE] != NULL) {
		rc = catalog_product_find(im->db, v[S_CODE], &p, &e);
		if (rc == DUKA_OK)
			found = 1;
		else if (rc == DUKA_ENOTFOUND)
			bad += import_bad(im, S_CODE, "%s", e.msg);
		else {
			import_fatal(im, &e);
			return;
		}
	}
	bad += import_qty(im, v[S_QTY], S_QTY, 1, &r.qty);
	bad += import_text(im, v[S_BATCH], S_BATCH, IMPORT_TEXT_MAX);
	if (v[S_BATCH] != NULL)
		snprintf(r.batch_no, sizeof r.batch_no, "%s", v[S_BATCH]);
	dates = import_date(im, v[S_EXPIRY], S_EXPIRY, r.expiry);
	dates += import_date(im, v[S_RECEIVED], S_RECEIVED, r.received);
	bad += dates;
	if (dates == 0 && strcmp(r.received, im->today) > 0)
		bad += import_bad(im, S_RECEIVED, _("the date received, %s, is "
		    "in the future (today is %s)"), r.received, im->today);
	else if (dates == 0 && r.expiry[0] != '\0' && strcmp(r.expiry,
	    r.received[0] != '\0' ? r.received : im->today) < 0)
		bad += import_bad(im, S_EXPIRY, _("the expiry date %s is "
		    "before the date received, %s"), r.expiry,
		    r.received[0] != '\0' ? r.received : im->today);
	bad += import_money(im, v[S_COST], S_COST, &r.unit_cost);
	bad += import_money(im, v[S_PRICE], S_PRICE, &r.new_price);
	bad += import_date(im, v[S_REORDER_DATE], S_REORDER_DATE,
	    r.reorder_date);
	bad += import_name(im, v[S_SUPPLIER], S_SUPPLIER, 80,
	    N_("supplier name"));
	bad += import_text(im, v[S_REFERENCE], S_REFERENCE, IMPORT_TEXT_MAX);
	if (v[S_REFERENCE] != NULL)
		snprintf(r.reference, sizeof r.reference, "%s", v[S_REFERENCE]);
	bad += import_text(im, v[S_NOTE], S_NOTE, IMPORT_NOTE_MAX);
	/* stock_receive() refuses these too, but cannot name the column. */
	if (found && !p.active)
		bad += import_bad(im, S_CODE, _("%s (SKU %s) is inactive; "
		    "reactivate it before receiving stock"), p.name, p.sku);
	else if (found && p.tracks_expiry && v[S_EXPIRY] == NULL)
		bad += import_bad(im, S_EXPIRY, _("%s (SKU %s) tracks expiry "
		    "dates: give the expiry date of this delivery"), p.name,
		    p.sku);
	if (bad != 0 || !found || im->stop)
		return;
	if (v[S_SUPPLIER] != NULL && (rc = catalog_supplier_ensure(im->db,
	    v[S_SUPPLIER], NULL, 0, &r.supplier_id, &e)) != DUKA_OK) {
		import_write_failed(im, S_SUPPLIER, rc, &e);
		return;
	}
	r.product_id = p.id;
	r.user = im->opt->user;
	r.note = v[S_NOTE];
	if ((rc = stock_receive(im->db, &r, NULL, &e)) != DUKA_OK) {
		import_write_failed(im, -1, rc, &e);
		return;
	}
	im->res->received++;
}

/* Forget the broken record and put libcsv back at the start of a row. */
static void
import_csv_reset(struct import *im)
{
	int opts = csv_get_opts(&im->csv);

	/* Without STRICT_FINI csv_fini() resets whatever the state. */
	csv_set_opts(&im->csv, (unsigned char)(opts & ~CSV_STRICT_FINI));
	csv_fini(&im->csv, NULL, NULL, NULL);
	csv_set_opts(&im->csv, (unsigned char)opts);
	im->nfields = 0;
	im->blen = 0;
	im->in_record = 0;
}

/*
 * libcsv stopped inside a piece: a stray quote (report it, skip the rest
 * of the line and go on with the next row), a value beyond
 * IMPORT_FIELD_MAX (report it and stop, since the rest is unreadable), or
 * memory.
 */
static void
import_parse_error(struct import *im)
{
	char colbuf[32];
	const char *column;

	column = import_column_name(im, im->nfields, colbuf, sizeof colbuf);
	if (csv_error(&im->csv) == CSV_EPARSE) {
		if (im->line == im->rec_line)
			import_report(im, im->rec_line, column, _("broken "
			    "quotes: a value must be either all in quotes or "
			    "not quoted, and a quote inside a quoted value is "
			    "written twice (\"\")"));
		else
			import_report(im, im->rec_line, column, _("broken "
			    "quotes (noticed on line %lld): a value must be "
			    "either all in quotes or not quoted, and a quote "
			    "inside a quoted value is written twice (\"\")"),
			    (long long)im->line);
		if (im->header_done)
			im->res->rows++;
		else
			im->stop = 1;
		import_csv_reset(im);
		im->skip_line = 1;
	} else if (csv_get_buffer_size(&im->csv) >= IMPORT_FIELD_MAX) {
		import_report(im, im->rec_line, column, _("a value is longer "
		    "than %d bytes; is a closing quote missing?"),
		    IMPORT_FIELD_MAX);
		im->stop = 1;
	} else
		import_oom(im);
}

/* 1 if the n bytes at p hold anything but blanks and line breaks. */
static int
import_has_text(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 1;
	return 0;
}

/* Feed n bytes to libcsv one physical line at a time, counting lines. */
static void
import_feed(struct import *im, const unsigned char *p, size_t n)
{
	size_t seg;
	unsigned char last;

	while (n > 0 && !im->stop) {
		for (seg = 0; seg < n && p[seg] != '\r' && p[seg] != '\n'; seg++)
			;
		if (seg < n)
			seg++;		/* the line break ends the piece */
		if (im->prev_cr && p[0] != '\n')
			im->prev_cr = 0;
		if (!im->skip_line) {
			if (!im->in_record && import_has_text(p, seg)) {
				im->in_record = 1;
				im->rec_line = im->line;
			}
			if (csv_parse(&im->csv, p, seg, import_on_field,
			    import_on_row, im) < seg && !im->stop)
				import_parse_error(im);
		}
		last = p[seg - 1];
		if (last == '\r') {
			im->line++;
			im->prev_cr = 1;
			im->skip_line = 0;
		} else if (last == '\n') {
			if (!im->prev_cr)
				im->line++;
			im->prev_cr = 0;
			im->skip_line = 0;
		}
		p += seg;
		n -= seg;
	}
}

/* End of input: the last record, an unclosed quote, an empty file. */
static void
import_finish(struct import *im)
{
	char colbuf[32], list[256];
	const char *column;

	column = import_column_name(im, im->nfields, colbuf, sizeof colbuf);
	if (csv_fini(&im->csv, import_on_field, import_on_row, im) != 0) {
		import_report(im, im->rec_line, column, _("a quote opened here "
		    "is never closed, so the rest of the file is inside it"));
		if (im->header_done)
			im->res->rows++;
		import_csv_reset(im);
	}
	if (!im->header_done && im->res->errors == 0) {
		import_column_list(im->kind, list, sizeof list);
		import_report(im, 0, NULL, _("the file is empty; its first line "
		    "must name the columns, from: %s"), list);
	}
}

void
import_options_init(struct import_options *o, enum import_kind kind)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->label = "-";
	o->max_reports = IMPORT_REPORT_DEFAULT;
}

/* Read fp to its end through the parser; returns with im->stop when due. */
static void
import_read(struct import *im, FILE *fp, unsigned char *chunk)
{
	struct duka_err e;
	size_t n;
	unsigned char *p;
	int first = 1;

	while (!im->stop && (n = fread(chunk, 1, IMPORT_CHUNK, fp)) > 0) {
		p = chunk;
		if (first && n >= 3 && p[0] == 0xef && p[1] == 0xbb &&
		    p[2] == 0xbf) {
			p += 3;
			n -= 3;
		} else if (first && n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
		    (p[0] == 0xfe && p[1] == 0xff))) {
			import_report(im, 0, NULL, _("the file is UTF-16 text; "
			    "save it as \"CSV UTF-8\""));
			im->stop = 1;
			return;
		}
		first = 0;
		import_feed(im, p, n);
	}
	if (!im->stop && ferror(fp)) {
		duka_fail(&e, DUKA_EFAIL, _("cannot read %s: %s"), im->label,
		    strerror(errno));
		import_fatal(im, &e);
	}
}

int
import_stream(struct db *db, FILE *fp, const struct import_options *o,
    struct import_result *res, struct duka_err *err)
{
	struct import *im;
	unsigned char *chunk;
	int rc;

	memset(res, 0, sizeof *res);
	if ((unsigned)o->kind > IMPORT_STOCK)
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: unknown kind of import"));
	im = calloc(1, sizeof *im);
	chunk = malloc(IMPORT_CHUNK);
	if (im == NULL || chunk == NULL) {
		free(im);
		free(chunk);
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	}
	im->db = db;
	im->opt = o;
	im->kind = &import_kinds[o->kind];
	im->res = res;
	im->label = o->label != NULL ? o->label : "-";
	im->line = 1;
	im->rec_line = 1;
	date_today(im->today);
	csv_init(&im->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_realloc_func(&im->csv, import_csv_realloc);
	csv_set_blk_size(&im->csv, 1024);

	if ((rc = db_begin(db, err)) != DUKA_OK)
		goto out;
	import_read(im, fp, chunk);
	if (!im->stop)
		import_finish(im);
	if (im->fatal) {
		db_rollback(db);
		rc = im->fatal_line > 0 && im->header_done ?
		    duka_fail(err, im->fatal_err.code, _("%s:%lld: %s; nothing "
		    "was imported"), im->label, (long long)im->fatal_line,
		    im->fatal_err.msg) :
		    duka_fail(err, im->fatal_err.code, _("%s; nothing was "
		    "imported"), im->fatal_err.msg);
	} else if (res->errors > 0) {
		db_rollback(db);
		rc = duka_fail(err, DUKA_EINPUT, ngettext("%s: %lld problem; "
		    "nothing was imported", "%s: %lld problems; nothing was "
		    "imported", (unsigned long)res->errors), im->label,
		    (long long)res->errors);
	} else if (o->dry_run) {
		db_rollback(db);
		rc = DUKA_OK;
	} else
		rc = db_commit(db, err);
out:
	csv_free(&im->csv);
	strset_free(&im->skus);
	strset_free(&im->codes);
	free(im->buf);
	free(im);
	free(chunk);
	return rc;
}

int
import_file(struct db *db, const char *path, const struct import_options *o,
    struct import_result *res, struct duka_err *err)
{
	struct import_options opt = *o;
	FILE *fp;
	int rc;

	if (strcmp(path, "-") == 0) {
		if (o->label == NULL || strcmp(o->label, "-") == 0)
			opt.label = _("(standard input)");
		return import_stream(db, stdin, &opt, res, err);
	}
	if (o->label == NULL || strcmp(o->label, "-") == 0)
		opt.label = path;
	if ((fp = fopen(path, "rb")) == NULL) {
		memset(res, 0, sizeof *res);
		return duka_fail(err, DUKA_EINPUT, _("cannot open %s: %s"), path,
		    strerror(errno));
	}
	rc = import_stream(db, fp, &opt, res, err);
	fclose(fp);
	return rc;
}

/* Print one problem of the file on standard error. */
static void
import_print(void *ctx, const char *problem)
{
	(void)ctx;
	fprintf(stderr, "%s\n", problem);
}

int
cmd_import(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const char synopsis[] = "products|stock FILE.csv [--dry-run]";
	struct import_options o;
	struct import_result res;
	const char *what = NULL, *path = NULL;
	enum import_kind kind = IMPORT_PRODUCTS;
	int i, dry_run = 0, dashdash = 0, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!dashdash && (strcmp(a, "--help") == 0 ||
		    strcmp(a, "-h") == 0)) {
			cli_usage(stdout, "import", synopsis, _(
			    "Imports products or stock lines from a CSV file "
			    "whose first line names\nthe columns. Every row is "
			    "checked first; nothing is imported unless all\n"
			    "are good. See duka(1), IMPORTING, for the columns."
			    "\n\n"
			    "  -n, --dry-run   check the file and count, but "
			    "change nothing\n"
			    "  -h, --help      show this help\n"));
			return DUKA_OK;
		}
		if (!dashdash && (strcmp(a, "--dry-run") == 0 ||
		    strcmp(a, "-n") == 0))
			dry_run = 1;
		else if (!dashdash && strcmp(a, "--") == 0)
			dashdash = 1;
		else if (!dashdash && a[0] == '-' && a[1] != '\0')
			return duka_fail(err, DUKA_EUSAGE, _("duka import: "
			    "unknown option %s (see duka import --help)"), a);
		else if (what == NULL)
			what = a;
		else if (path == NULL)
			path = a;
		else
			return duka_fail(err, DUKA_EUSAGE, _("duka import: "
			    "one file at a time (%s is one too many)"), a);
	}
	if (what == NULL || path == NULL) {
		cli_usage(stderr, "import", synopsis, NULL);
		return duka_fail(err, DUKA_EUSAGE, _("duka import: say what to "
		    "import (products or stock) and from which file"));
	}
	if (strcmp(what, "products") == 0)
		kind = IMPORT_PRODUCTS;
	else if (strcmp(what, "stock") == 0)
		kind = IMPORT_STOCK;
	else
		return duka_fail(err, DUKA_EUSAGE, _("duka import: \"%s\" is "
		    "neither products nor stock"), what);

	import_options_init(&o, kind);
	o.dry_run = dry_run;
	o.user = cli_user();
	o.report = import_print;
	rc = import_file(app->db, path, &o, &res, err);
	if (res.errors > o.max_reports)
		fprintf(stderr, _("... and %lld more problems\n"),
		    (long long)(res.errors - o.max_reports));
	if (rc != DUKA_OK)
		return rc;
	if (kind == IMPORT_STOCK && dry_run)
		printf(ngettext("%lld row would be imported\n",
		    "%lld rows would be imported\n", (unsigned long)res.rows),
		    (long long)res.rows);
	else if (kind == IMPORT_STOCK)
		printf(ngettext("Received %lld stock line\n",
		    "Received %lld stock lines\n", (unsigned long)res.received),
		    (long long)res.received);
	else if (dry_run && res.unchanged == 0)
		printf(ngettext("%lld row would be imported (%lld added, %lld "
		    "updated)\n", "%lld rows would be imported (%lld added, "
		    "%lld updated)\n", (unsigned long)res.rows),
		    (long long)res.rows, (long long)res.added,
		    (long long)res.updated);
	else if (dry_run)
		printf(ngettext("%lld row would be imported (%lld added, %lld "
		    "updated, %lld unchanged)\n", "%lld rows would be imported "
		    "(%lld added, %lld updated, %lld unchanged)\n",
		    (unsigned long)res.rows), (long long)res.rows,
		    (long long)res.added, (long long)res.updated,
		    (long long)res.unchanged);
	else if (res.unchanged == 0)
		printf(ngettext("Imported %lld product (%lld added, %lld "
		    "updated)\n", "Imported %lld products (%lld added, %lld "
		    "updated)\n", (unsigned long)res.rows), (long long)res.rows,
		    (long long)res.added, (long long)res.updated);
	else
		printf(ngettext("Imported %lld product (%lld added, %lld "
		    "updated, %lld unchanged)\n", "Imported %lld products "
		    "(%lld added, %lld updated, %lld unchanged)\n",
		    (unsigned long)res.rows), (long long)res.rows,
		    (long long)res.added, (long long)res.updated,
		    (long long)res.unchanged);
	return DUKA_OK;
}
