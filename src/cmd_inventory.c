/*
 * cmd_inventory.c - "duka inventory": the stock listing with statuses, or
 * the alerts, as an aligned text table or as CSV.
 *
 * The text table is buffered (one allocation for all cells) so that the
 * column widths fit the widest value; names are UTF-8, so widths are
 * display columns (wcswidth), not bytes, and the name (then the category,
 * then the SKU) is cut to keep a line within 80 columns.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "catalog.h"
#include "cli.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"

#define LINE_WIDTH 80
#define TABLE_MAXCOLS 8
#define COLUMN_GAP 2

/* A table of text cells, all stored one after another in buf. */
struct table {
	int ncols;
	size_t nrows;
	char *buf;
	size_t len, cap;
	size_t *offs;			/* nrows * ncols offsets into buf */
	size_t noffs, offcap;
	int width[TABLE_MAXCOLS];	/* widest cell of each column */
};

/* Display width of one UTF-8 character of n bytes at s (1 if unknown). */
static int
char_width(const char *s, size_t *n)
{
	mbstate_t ps;
	wchar_t wc;
	size_t k;
	int w;

	memset(&ps, 0, sizeof ps);
	k = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		/* Not the locale's encoding: step over one UTF-8 character. */
		k = 1;
		while ((s[k] & 0xc0) == 0x80)
			k++;
		*n = k;
		return 1;
	}
	*n = k;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Display width of s in columns. */
static int
text_width(const char *s)
{
	wchar_t local[128], *ws = local;
	size_t n, k;
	int w = -1;

	/* Most cells are short: convert them without an allocation. */
	n = mbstowcs(NULL, s, 0);
	if (n != (size_t)-1) {
		if (n >= sizeof local / sizeof local[0])
			ws = calloc(n + 1, sizeof *ws);
		if (ws != NULL) {
			mbstowcs(ws, s, n + 1);
			w = wcswidth(ws, n);
			if (ws != local)
				free(ws);
		}
		if (w >= 0)
			return w;
	}
	/* Not convertible or not printable: count character by character. */
	for (w = 0; *s != '\0'; s += k)
		w += char_width(s, &k);
	return w;
}

/*
 * Print s in width columns: padded with spaces on the right (or left when
 * right is set), or cut with an ellipsis when wider. pad is 0 for the last
 * column, which gets no trailing spaces.
 */
static void
print_cell(FILE *fp, const char *s, int width, int right, int pad)
{
	const char *ellipsis = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ?
	    "\xe2\x80\xa6" : "~";
	int w = text_width(s), used = 0, cw;
	size_t k;

	if (w > width) {
		while (*s != '\0') {
			cw = char_width(s, &k);
			if (used + cw > width - 1)
				break;
			fwrite(s, 1, k, fp);
			s += k;
			used += cw;
		}
		fputs(ellipsis, fp);
		used++;
		w = used;
		s = "";
	} else if (right) {
		fprintf(fp, "%*s", width - w, "");
		w = width;
	}
	fputs(s, fp);
	if (pad)
		fprintf(fp, "%*s", width - w, "");
}

/* Start an empty table of ncols columns. */
static void
table_init(struct table *t, int ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

/* Release the cells of t. */
static void
table_free(struct table *t)
{
	free(t->buf);
	free(t->offs);
	memset(t, 0, sizeof *t);
}

/* Append a row of t->ncols cells; DUKA_EFAIL when out of memory. */
static int
table_add(struct table *t, const char *const *cells, struct duka_err *err)
{
	size_t n, need;
	void *p;
	int i, w;

	for (i = 0; i < t->ncols; i++) {
		n = strlen(cells[i]) + 1;
		if (t->len + n > t->cap) {
			need = t->cap ? t->cap : 65536;
			while (need < t->len + n)
				need *= 2;
			if ((p = realloc(t->buf, need)) == NULL)
				goto nomem;
			t->buf = p;
			t->cap = need;
		}
		if (t->noffs == t->offcap) {
			need = t->offcap ? t->offcap * 2 : 1024;
			if ((p = realloc(t->offs, need * sizeof *t->offs)) ==
			    NULL)
				goto nomem;
			t->offs = p;
			t->offcap = need;
		}
		memcpy(t->buf + t->len, cells[i], n);
		t->offs[t->noffs++] = t->len;
		t->len += n;
		if ((w = text_width(cells[i])) > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
	return DUKA_OK;
nomem:
	/* Drop the cells of the half-added row. */
	t->noffs = t->nrows * (size_t)t->ncols;
	return duka_fail(err, DUKA_EFAIL, _("out of memory"));
}

/* A column that may be cut to fit the line, and how far. */
struct table_shrink {
	int col;
	int min;
};

/*
 * Print t with each column as wide as its widest cell; when a line would
 * pass LINE_WIDTH, the columns in shrink are cut, in that order, down to
 * their minimum (numbers are never cut). Columns with right[i] set are
 * right-aligned.
 */
static void
table_print(FILE *fp, struct table *t, const int *right,
    const struct table_shrink *shrink, int nshrink)
{
	const size_t *row;
	size_t r;
	int i, last, total, cut;

	total = COLUMN_GAP * (t->ncols - 1);
	for (i = 0; i < t->ncols; i++)
		total += t->width[i];
	for (i = 0; i < nshrink && total > LINE_WIDTH; i++) {
		cut = t->width[shrink[i].col] - shrink[i].min;
		if (cut > total - LINE_WIDTH)
			cut = total - LINE_WIDTH;
		if (cut > 0) {
			t->width[shrink[i].col] -= cut;
			total -= cut;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		row = t->offs + r * (size_t)t->ncols;
		/* Empty cells at the end of a line leave no trailing blanks. */
		for (last = t->ncols - 1; last > 0; last--)
			if (t->buf[row[last]] != '\0')
				break;
		for (i = 0; i <= last; i++) {
			if (i > 0)
				fprintf(fp, "%*s", COLUMN_GAP, "");
			print_cell(fp, t->buf + row[i], t->width[i], right[i],
			    i < last);
		}
		fputc('\n', fp);
	}
}

/* Print one CSV field, quoted when it holds a separator, quote or line. */
static void
csv_field(FILE *fp, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") != NULL || (*s != '\0' && (*s == ' ' ||
	    s[strlen(s) - 1] == ' '))) {
		fputc('"', fp);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	} else
		fputs(s, fp);
	fputs(last ? "\r\n" : ",", fp);
}

/* Money for a CSV file: "1250.50", "-3.05", no grouping, no currency. */
static void
csv_money(int64_t cents, char *buf, size_t len)
{
	uint64_t m = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;

	snprintf(buf, len, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(m / 100), (unsigned long long)(m % 100));
}

/* What the listing callback collects. */
struct list_ctx {
	int csv;
	FILE *fp;
	struct table table;
	int64_t items;
	int64_t value;
	int overflow;
	struct duka_err *err;
	int rc;
};

/* Take one listed product: a CSV line, or a row of the text table. */
static int
list_row(void *arg, const struct inventory_row *row)
{
	struct list_ctx *c = arg;
	char qty[MONEY_MAX_TEXT], cell_qty[MONEY_MAX_TEXT + 16];
	char value[MONEY_MAX_TEXT], reorder[MONEY_MAX_TEXT];
	char cost[MONEY_MAX_TEXT], price[MONEY_MAX_TEXT];
	char vprice[MONEY_MAX_TEXT];
	const char *cells[7];

	c->items++;
	if (__builtin_add_overflow(c->value, row->value_at_cost, &c->value))
		c->overflow = 1;
	qty_format(row->qty, qty, sizeof qty);
	if (c->csv) {
		qty_format(row->reorder_level, reorder, sizeof reorder);
		csv_money(row->cost, cost, sizeof cost);
		csv_money(row->price, price, sizeof price);
		csv_money(row->value_at_cost, value, sizeof value);
		csv_money(row->value_at_price, vprice, sizeof vprice);
		csv_field(c->fp, row->sku, 0);
		csv_field(c->fp, row->name, 0);
		csv_field(c->fp, row->category, 0);
		csv_field(c->fp, qty, 0);
		csv_field(c->fp, product_unit_name(row->unit), 0);
		csv_field(c->fp, stock_status_name(row->status), 0);
		csv_field(c->fp, row->next_expiry, 0);
		csv_field(c->fp, reorder, 0);
		csv_field(c->fp, cost, 0);
		csv_field(c->fp, price, 0);
		csv_field(c->fp, value, 0);
		csv_field(c->fp, vprice, 0);
		csv_field(c->fp, row->active ? "1" : "0", 1);
		return ferror(c->fp) ? 1 : 0;
	}
	snprintf(cell_qty, sizeof cell_qty, "%s %s", qty,
	    product_unit_short(row->unit));
	money_format(row->value_at_cost, value, sizeof value);
	cells[0] = row->sku;
	cells[1] = row->name;
	cells[2] = row->category[0] != '\0' ? row->category : "-";
	cells[3] = cell_qty;
	cells[4] = stock_status_label(row->status);
	cells[5] = row->next_expiry[0] != '\0' ? row->next_expiry : "-";
	cells[6] = value;
	if ((c->rc = table_add(&c->table, cells, c->err)) != DUKA_OK)
		return 1;
	return 0;
}

/* List the products that pass filter in the asked format. */
static int
inventory_print_list(struct app *app, const struct inventory_filter *f,
    int csv, struct duka_err *err)
{
	static const int right[7] = { 0, 0, 0, 1, 0, 0, 1 };
	/* The name gives way first, then the category and the SKU. */
	static const struct table_shrink shrink[] = {
		{ 1, 16 }, { 2, 8 }, { 0, 8 }, { 1, 10 },
	};
	const char *header[7];
	struct list_ctx c;
	char total[MONEY_MAX_TEXT];
	int rc;

	memset(&c, 0, sizeof c);
	c.csv = csv;
	c.fp = stdout;
	c.err = err;
	table_init(&c.table, 7);
	if (csv)
		fputs("sku,name,category,qty,unit,status,next_expiry,"
		    "reorder_level,cost,price,value_at_cost,value_at_price,"
		    "active\r\n", c.fp);
	else {
		header[0] = _("SKU");
		header[1] = _("Name");
		header[2] = _("Category");
		header[3] = _("Qty");
		header[4] = _("Status");
		header[5] = _("Expiry");
		header[6] = _("Value");
		if ((rc = table_add(&c.table, header, err)) != DUKA_OK)
			goto out;
	}
	rc = inventory_list(app->db, f, list_row, &c, err);
	if (rc == DUKA_OK && c.rc != DUKA_OK)
		rc = c.rc;
	if (rc != DUKA_OK || csv)
		goto out;
	if (c.items == 0) {
		printf(_("No products match.\n"));
		goto out;
	}
	table_print(c.fp, &c.table, right, shrink, 4);
	if (c.overflow)
		snprintf(total, sizeof total, "%s", _("(too large)"));
	else
		money_format_ksh(c.value, total, sizeof total);
	printf(ngettext("%lld item, value at cost %s\n",
	    "%lld items, value at cost %s\n", c.items), (long long)c.items,
	    total);
out:
	table_free(&c.table);
	return rc;
}

/* Translated label of an alert kind. */
static const char *
alert_label(enum alert_kind k)
{
	switch (k) {
	case ALERT_LOW:
		return _("Low");
	case ALERT_OUT:
		return _("Out");
	case ALERT_NEAR_EXPIRY:
		return _("Expiring");
	case ALERT_EXPIRED:
		return _("Expired");
	case ALERT_NEGATIVE:
		return _("Below 0");
	}
	return "?";
}

/* When a batch expires, in words: "today", "in 3 days", "5 days ago". */
static void
alert_when(const struct alert *a, char *buf, size_t len)
{
	long long d = (long long)a->days_left;

	if (a->expiry[0] == '\0')
		snprintf(buf, len, "%s", "");
	else if (d == 0)
		snprintf(buf, len, "%s", _("today"));
	else if (d > 0)
		snprintf(buf, len, ngettext("in %lld day", "in %lld days", d), d);
	else
		snprintf(buf, len, ngettext("%lld day ago", "%lld days ago", -d),
		    -d);
}

/* What the alerts callback collects. */
struct alerts_ctx {
	int csv;
	FILE *fp;
	struct table table;
	int64_t count;
	struct duka_err *err;
	int rc;
};

/* Take one alert: a CSV line, or a row of the text table. */
static void
alerts_row(void *arg, const struct alert *a)
{
	struct alerts_ctx *c = arg;
	char qty[MONEY_MAX_TEXT], batch[24], days[24], when[64];
	const char *cells[6];

	if (c->rc != DUKA_OK)
		return;
	c->count++;
	if (c->csv) {
		qty_format(a->qty, qty, sizeof qty);
		snprintf(batch, sizeof batch, "%lld", (long long)a->batch_id);
		snprintf(days, sizeof days, "%lld", (long long)a->days_left);
		csv_field(c->fp, alert_kind_name(a->kind), 0);
		csv_field(c->fp, a->sku, 0);
		csv_field(c->fp, a->name, 0);
		csv_field(c->fp, qty, 0);
		csv_field(c->fp, a->batch_id != 0 ? batch : "", 0);
		csv_field(c->fp, a->expiry, 0);
		csv_field(c->fp, a->expiry[0] != '\0' ? days : "", 1);
		return;
	}
	qty_format(a->qty, qty, sizeof qty);
	alert_when(a, when, sizeof when);
	cells[0] = alert_label(a->kind);
	cells[1] = a->sku;
	cells[2] = a->name;
	cells[3] = qty;
	cells[4] = a->expiry[0] != '\0' ? a->expiry : "-";
	cells[5] = when;
	c->rc = table_add(&c->table, cells, c->err);
}

/* Print every current alert in the asked format. */
static int
inventory_print_alerts(struct app *app, const char *today, int csv,
    struct duka_err *err)
{
	static const int right[6] = { 0, 0, 0, 1, 0, 0 };
	static const struct table_shrink shrink[] = { { 2, 16 }, { 1, 8 },
	    { 2, 10 } };
	const char *header[6];
	struct alerts_ctx c;
	int rc;

	memset(&c, 0, sizeof c);
	c.csv = csv;
	c.fp = stdout;
	c.err = err;
	table_init(&c.table, 6);
	if (csv)
		fputs("kind,sku,name,qty,batch_id,expiry,days_left\r\n", c.fp);
	else {
		header[0] = _("Alert");
		header[1] = _("SKU");
		header[2] = _("Name");
		header[3] = _("Qty");
		header[4] = _("Expiry");
		header[5] = _("When");
		if ((rc = table_add(&c.table, header, err)) != DUKA_OK)
			goto out;
	}
	rc = inventory_alerts(app->db, app->cfg.near_expiry_days, today,
	    alerts_row, &c, err);
	if (rc == DUKA_OK)
		rc = c.rc;
	if (rc == DUKA_OK && !csv) {
		if (c.count == 0)
			printf(_("No alerts: nothing is low, out or near "
			    "expiry.\n"));
		else
			table_print(c.fp, &c.table, right, shrink, 3);
	}
out:
	table_free(&c.table);
	return rc;
}

static const char inventory_options[] = N_(
    "Lists the products with their stock, status, next expiry and value "
    "at cost.\n\n"
    "Options:\n"
    "  --status STATUS   only products that are low, out, expiring,\n"
    "                    expired, or ok (may be repeated)\n"
    "  --category NAME   only products of this category\n"
    "  --sort ORDER      name (default), category, status, expiry, value,\n"
    "                    qty or sku\n"
    "  --desc            sort in descending order\n"
    "  --all             include inactive products\n"
    "  --alerts          print the alerts (low, out, expiring, expired,\n"
    "                    below zero) instead of the listing\n"
    "  --format FORMAT   text (default) or csv\n"
    "  -h, --help        show this help\n\n"
    "Near expiry means within near_expiry_days (duka.conf(5)) of today.\n");

/* Turn a parse refusal into a usage error, keeping its message. */
static int
usage_error(int rc, struct duka_err *err)
{
	if (rc == DUKA_OK)
		return rc;
	if (err != NULL)
		err->code = DUKA_EUSAGE;
	return DUKA_EUSAGE;
}

/* duka inventory: parse the options, then list or print the alerts. */
int
cmd_inventory(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const struct option longopts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "category", required_argument, NULL, 'c' },
		{ "sort", required_argument, NULL, 'o' },
		{ "desc", no_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "alerts", no_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inventory_filter f;
	const char *category = NULL;
	int ch, rc, flag, alerts = 0, csv = 0, listing_opts = 0;

	memset(&f, 0, sizeof f);
	f.sort = SORT_NAME;
	f.near_expiry_days = app->cfg.near_expiry_days;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			rc = stock_status_parse(optarg, &flag, err);
			if (rc != DUKA_OK)
				return usage_error(rc, err);
			if ((flag == -1 && f.status > 0) ||
			    (flag > 0 && f.status == -1))
				return duka_fail(err, DUKA_EUSAGE, _("--status "
				    "ok cannot be combined with another "
				    "status"));
			f.status = flag == -1 ? -1 : f.status | flag;
			listing_opts = 1;
			break;
		case 'c':
			category = optarg;
			listing_opts = 1;
			break;
		case 'o':
			rc = inventory_sort_parse(optarg, &f.sort, err);
			if (rc != DUKA_OK)
				return usage_error(rc, err);
			listing_opts = 1;
			break;
		case 'd':
			f.descending = 1;
			listing_opts = 1;
			break;
		case 'a':
			f.include_inactive = 1;
			listing_opts = 1;
			break;
		case 'A':
			alerts = 1;
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				csv = 1;
			else if (strcmp(optarg, "text") == 0)
				csv = 0;
			else
				return duka_fail(err, DUKA_EUSAGE, _("unknown "
				    "format \"%s\" (use text or csv)"), optarg);
			break;
		case 'h':
			cli_usage(stdout, "inventory", _("[--status STATUS] "
			    "[--category NAME] [--sort ORDER] [--desc] [--all] "
			    "[--alerts] [--format text|csv]"),
			    _(inventory_options));
			return DUKA_OK;
		case ':':
			return duka_fail(err, DUKA_EUSAGE, _("%s needs a value "
			    "(see duka inventory --help)"), argv[optind - 1]);
		default:
			return duka_fail(err, DUKA_EUSAGE, _("unknown option %s "
			    "(see duka inventory --help)"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return duka_fail(err, DUKA_EUSAGE, _("unexpected argument "
		    "\"%s\" (see duka inventory --help)"), argv[optind]);
	if (alerts && listing_opts)
		return duka_fail(err, DUKA_EUSAGE, _("--alerts lists every "
		    "alert; it takes no --status, --category, --sort, --desc "
		    "or --all"));
	if (category != NULL && (rc = catalog_category_find(app->db, category,
	    &f.category_id, err)) != DUKA_OK)
		return rc;
	if (alerts)
		rc = inventory_print_alerts(app, NULL, csv, err);
	else
		rc = inventory_print_list(app, &f, csv, err);
	if (fflush(stdout) != 0 || ferror(stdout))
		return duka_fail(err, DUKA_EFAIL, _("cannot write the "
		    "listing: %s"), strerror(errno));
	return rc;
}
