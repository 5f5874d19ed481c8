/*
 * cmd_report.c - "duka report": the owner's sales reports (per day, per
 * month, top products, margin, attendants, VAT), and "duka reorder": what
 * to order, each as an aligned text table or as CSV with a header line.
 *
 * The figures come from report.c and reorder.c; this file only parses the
 * command line and lays the figures out. Options are collected first and
 * checked after the whole command line is read, so that --help anywhere
 * answers without touching the database.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "money.h"
#include "reorder.h"
#include "report.h"
#include "text.h"

/* The most products a top list may ask for. */
#define TOP_LIMIT_MAX 100000
/* Default length of a top list. */
#define TOP_LIMIT_DEFAULT 10

enum {
	OPT_FROM = 256, OPT_TO, OPT_FORMAT, OPT_BY, OPT_LIMIT, OPT_HELP,
};

static const struct option report_options[] = {
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option reorder_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const char report_help_text[] = N_(
    "Sales reports, from the completed sales and refunds of a range of\n"
    "business days. A refund counts on the day it was made; a sale\n"
    "waiting for an M-PESA payment counts once it is paid.\n\n"
    "Reports:\n"
    "  daily      takings per day (default: the last 30 days)\n"
    "  monthly    takings per month (default: this year)\n"
    "  top        products that sold most (default: the last 30 days)\n"
    "  margin     margin per product from the cost of the batches sold\n"
    "             (default: the last 30 days)\n"
    "  attendant  sales per attendant (default: the last 30 days)\n"
    "  tax        VAT per tax class for the VAT return (default: last\n"
    "             month)\n\n"
    "Options:\n"
    "  --from DATE        first day (YYYY-MM-DD or DD/MM/YYYY)\n"
    "  --to DATE          last day (default today, or the report's span\n"
    "                     ending on --to)\n"
    "  --by revenue|qty   top: rank by revenue (default) or quantity\n"
    "  --limit N          top: how many products (default 10, 0 = all)\n"
    "  --format FORMAT    text (default) or csv\n"
    "  -h, --help         show this help\n");

static const char reorder_help_text[] = N_(
    "What to order: for each active product, the average daily sales of\n"
    "the last reorder_window_days days times its lead time plus\n"
    "review_period_days, plus safety_stock_percent, less the stock on\n"
    "hand and on order, rounded up to whole packs (see duka.conf(5)).\n"
    "A product at or below its reorder level gets at least its reorder\n"
    "quantity; a product whose reorder date has come is listed too.\n\n"
    "Options:\n"
    "  --format FORMAT   text (default) or csv\n"
    "  -h, --help        show this help\n");

/* The options of duka report or duka reorder, as typed. */
struct report_opts {
	const char *from, *to, *by, *limit;
	const char *args[2];
	int nargs;
	int csv;
	int help;
};

/*
 * Collect the options and arguments of name ("report" or "reorder");
 * a command line of the wrong shape is DUKA_EUSAGE.
 */
static int
report_parse(int argc, char **argv, const struct option *opts,
    const char *name, struct report_opts *o, struct duka_err *err)
{
	int c;

	memset(o, 0, sizeof *o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			o->help = 1;
			return DUKA_OK;
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_TO:
			o->to = optarg;
			break;
		case OPT_BY:
			o->by = optarg;
			break;
		case OPT_LIMIT:
			o->limit = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->csv = 1;
			else if (strcmp(optarg, "text") == 0)
				o->csv = 0;
			else
				return duka_fail(err, DUKA_EUSAGE, _("unknown "
				    "format \"%s\" (use text or csv)"), optarg);
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE, _("%s needs a value "
			    "(see duka %s --help)"), argv[optind - 1], name);
		default:
			return duka_fail(err, DUKA_EUSAGE, _("unknown option %s "
			    "(see duka %s --help)"), argv[optind - 1], name);
		}
	}
	for (; optind < argc; optind++) {
		if (o->nargs == (int)(sizeof o->args / sizeof o->args[0]))
			return duka_fail(err, DUKA_EUSAGE, _("unexpected "
			    "argument \"%s\" (see duka %s --help)"),
			    argv[optind], name);
		o->args[o->nargs++] = argv[optind];
	}
	return DUKA_OK;
}

/* A whole number as text. */
static void
int_text(int64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%lld", (long long)v);
}

/* What the callbacks of one report share. */
struct out {
	FILE *fp;
	int csv;
	struct report_table table;
	int rows;
	int rc;
	struct duka_err *err;
};

/*
 * Start a report's table: the CSV header line (csv, CRLF included), or
 * the n translated column heads of the text table.
 */
static int
out_begin(struct out *o, int n, const int *right, const int *maxw,
    const char *csv, const char *const *head)
{
	report_table_init(&o->table, n, right, maxw);
	if (o->csv) {
		fputs(csv, o->fp);
		return DUKA_OK;
	}
	return report_table_add(&o->table, head, o->err);
}

/* Add cells to the text table or write them as a CSV record. */
static int
out_row(struct out *o, const char *const *cells, int n)
{
	if (o->csv) {
		report_csv_row(o->fp, cells, n);
		return ferror(o->fp) ? 1 : 0;
	}
	if ((o->rc = report_table_add(&o->table, cells, o->err)) != DUKA_OK)
		return 1;
	return 0;
}

/* Cells of a period (or of the total when label is not NULL). */
static int
period_row(struct out *o, const struct report_period *p, const char *label)
{
	char sales[24], refunds[24], st[MONEY_MAX_TEXT], rt[MONEY_MAX_TEXT];
	char net[MONEY_MAX_TEXT], vat[MONEY_MAX_TEXT], ex[MONEY_MAX_TEXT];
	char disc[MONEY_MAX_TEXT];
	const char *cells[9];

	int_text(p->sales, sales, sizeof sales);
	int_text(p->refunds, refunds, sizeof refunds);
	if (o->csv) {
		report_csv_money(p->sales_total, st, sizeof st);
		report_csv_money(p->refunds_total, rt, sizeof rt);
		report_csv_money(p->net_total, net, sizeof net);
		report_csv_money(p->vat, vat, sizeof vat);
		report_csv_money(p->net_ex_vat, ex, sizeof ex);
		report_csv_money(p->discounts, disc, sizeof disc);
		cells[0] = p->period;
		cells[1] = sales;
		cells[2] = refunds;
		cells[3] = st;
		cells[4] = rt;
		cells[5] = net;
		cells[6] = vat;
		cells[7] = ex;
		cells[8] = disc;
		return out_row(o, cells, 9);
	}
	money_format(p->sales_total, st, sizeof st);
	money_format(p->refunds_total, rt, sizeof rt);
	money_format(p->net_total, net, sizeof net);
	money_format(p->vat, vat, sizeof vat);
	money_format(p->net_ex_vat, ex, sizeof ex);
	cells[0] = label != NULL ? label : p->period;
	cells[1] = sales;
	cells[2] = refunds;
	cells[3] = st;
	cells[4] = rt;
	cells[5] = net;
	cells[6] = vat;
	cells[7] = ex;
	return out_row(o, cells, 8);
}

/* report_daily/report_monthly callback. */
static int
period_cb(void *ctx, const struct report_period *p)
{
	return period_row(ctx, p, NULL);
}

/* Print the title line of a text report. */
static void
report_title(FILE *fp, const char *what, const char *from, const char *to)
{
	/* TRANSLATORS: a report's title, "Takings per day, FROM to TO". */
	fprintf(fp, _("%s, %s to %s\n\n"), what, from, to);
}

/* duka report daily|monthly. */
static int
report_periods_cmd(struct out *o, struct db *db, int monthly,
    const char *from, const char *to)
{
	static const int right[8] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	const char *head[8] = { monthly ? _("Month") : _("Day"), _("Sales"),
	    _("Refunds"), _("Takings"), _("Refunded"), _("Net"), _("VAT"),
	    _("Net of VAT") };
	struct report_period total;
	int rc;

	if ((rc = out_begin(o, 8, right, NULL, monthly ?
	    "month,sales,refunds,sales_total,refunds_total,net_total,vat,"
	    "net_ex_vat,discounts\r\n" :
	    "day,sales,refunds,sales_total,refunds_total,net_total,vat,"
	    "net_ex_vat,discounts\r\n", head)) != DUKA_OK)
		return rc;
	rc = (monthly ? report_monthly : report_daily)(db, from, to,
	    period_cb, o, &total, o->err);
	if (rc == DUKA_OK)
		rc = o->rc;
	if (rc != DUKA_OK || o->csv)
		return rc;
	if ((rc = period_row(o, &total, _("Total"))) != 0)
		return o->rc != DUKA_OK ? o->rc : DUKA_EFAIL;
	report_title(o->fp, monthly ? _("Takings per month") :
	    _("Takings per day"), from, to);
	report_table_print(o->fp, &o->table);
	return DUKA_OK;
}

/* report_top callback. */
static int
top_cb(void *ctx, const struct report_product *p)
{
	struct out *o = ctx;
	char rank[24], qty[MONEY_MAX_TEXT], cq[MONEY_MAX_TEXT + 8];
	char rev[MONEY_MAX_TEXT], vat[MONEY_MAX_TEXT], net[MONEY_MAX_TEXT];
	const char *cells[8];

	o->rows++;
	int_text(p->rank, rank, sizeof rank);
	qty_format(p->qty, qty, sizeof qty);
	if (o->csv) {
		report_csv_money(p->revenue, rev, sizeof rev);
		report_csv_money(p->vat, vat, sizeof vat);
		report_csv_money(p->net, net, sizeof net);
		cells[0] = rank;
		cells[1] = p->sku;
		cells[2] = p->name;
		cells[3] = product_unit_name(p->unit);
		cells[4] = qty;
		cells[5] = rev;
		cells[6] = vat;
		cells[7] = net;
		return out_row(o, cells, 8);
	}
	snprintf(cq, sizeof cq, "%s %s", qty, product_unit_short(p->unit));
	money_format(p->revenue, rev, sizeof rev);
	money_format(p->net, net, sizeof net);
	cells[0] = rank;
	cells[1] = p->sku;
	cells[2] = p->name;
	cells[3] = cq;
	cells[4] = rev;
	cells[5] = net;
	return out_row(o, cells, 6);
}

/* duka report top. */
static int
report_top_cmd(struct out *o, struct db *db, const char *from,
    const char *to, enum report_by by, int limit)
{
	static const int right[6] = { 1, 0, 0, 1, 1, 1 };
	static const int maxw[6] = { 0, 0, 32, 0, 0, 0 };
	const char *head[6] = { "#", _("SKU"), _("Name"), _("Qty"),
	    _("Revenue"), _("Net of VAT") };
	char what[128];
	int rc;

	if ((rc = out_begin(o, 6, right, maxw,
	    "rank,sku,name,unit,qty,revenue,vat,net\r\n", head)) != DUKA_OK)
		return rc;
	rc = report_top(db, from, to, by, limit, top_cb, o, o->err);
	if (rc == DUKA_OK)
		rc = o->rc;
	if (rc != DUKA_OK || o->csv)
		return rc;
	if (by == REPORT_BY_QTY)
		snprintf(what, sizeof what, "%s", _("Top products by quantity"));
	else
		snprintf(what, sizeof what, "%s", _("Top products by revenue"));
	report_title(o->fp, what, from, to);
	if (o->rows == 0)
		fprintf(o->fp, _("No sales in this range.\n"));
	else
		report_table_print(o->fp, &o->table);
	return DUKA_OK;
}

/* Cells of a product's margin (or the total when label is not NULL). */
static int
margin_row(struct out *o, const struct report_product *p, const char *label)
{
	char qty[MONEY_MAX_TEXT], cq[MONEY_MAX_TEXT + 8];
	char rev[MONEY_MAX_TEXT], vat[MONEY_MAX_TEXT], net[MONEY_MAX_TEXT];
	char cost[MONEY_MAX_TEXT], margin[MONEY_MAX_TEXT], pct[32];
	const char *cells[10];

	qty_format(p->qty, qty, sizeof qty);
	if (o->csv) {
		report_csv_money(p->revenue, rev, sizeof rev);
		report_csv_money(p->vat, vat, sizeof vat);
		report_csv_money(p->net, net, sizeof net);
		report_csv_money(p->cost, cost, sizeof cost);
		report_csv_money(p->margin, margin, sizeof margin);
		/* Basis points with two decimals read as a percentage. */
		if (p->has_margin_bp)
			report_csv_money(p->margin_bp, pct, sizeof pct);
		else
			pct[0] = '\0';
		cells[0] = p->sku;
		cells[1] = p->name;
		cells[2] = product_unit_name(p->unit);
		cells[3] = qty;
		cells[4] = rev;
		cells[5] = vat;
		cells[6] = net;
		cells[7] = cost;
		cells[8] = margin;
		cells[9] = pct;
		return out_row(o, cells, 10);
	}
	if (label != NULL)
		cq[0] = '\0';
	else
		snprintf(cq, sizeof cq, "%s %s", qty, product_unit_short(p->unit));
	money_format(p->net, net, sizeof net);
	money_format(p->cost, cost, sizeof cost);
	money_format(p->margin, margin, sizeof margin);
	if (p->has_margin_bp)
		report_percent_format(p->margin_bp, pct, sizeof pct);
	else
		snprintf(pct, sizeof pct, "-");
	cells[0] = label != NULL ? label : p->sku;
	cells[1] = label != NULL ? "" : p->name;
	cells[2] = cq;
	cells[3] = net;
	cells[4] = cost;
	cells[5] = margin;
	cells[6] = pct;
	return out_row(o, cells, 7);
}

/* report_margin callback. */
static int
margin_cb(void *ctx, const struct report_product *p)
{
	struct out *o = ctx;

	o->rows++;
	return margin_row(o, p, NULL);
}

/* duka report margin. */
static int
report_margin_cmd(struct out *o, struct db *db, const char *from,
    const char *to)
{
	static const int right[7] = { 0, 0, 1, 1, 1, 1, 1 };
	static const int maxw[7] = { 0, 26, 0, 0, 0, 0, 0 };
	const char *head[7] = { _("SKU"), _("Name"), _("Qty"),
	    _("Net sales"), _("Cost"), _("Margin"), _("Margin %") };
	struct report_product total;
	int rc;

	if ((rc = out_begin(o, 7, right, maxw, "sku,name,unit,qty,revenue,vat,"
	    "net,cost,margin,margin_percent\r\n", head)) != DUKA_OK)
		return rc;
	rc = report_margin(db, from, to, margin_cb, o, &total, o->err);
	if (rc == DUKA_OK)
		rc = o->rc;
	if (rc != DUKA_OK || o->csv)
		return rc;
	report_title(o->fp, _("Margin per product (net of VAT, at the cost "
	    "of the batches sold)"), from, to);
	if (o->rows == 0) {
		fprintf(o->fp, _("No sales in this range.\n"));
		return DUKA_OK;
	}
	if (margin_row(o, &total, _("Total")) != 0)
		return o->rc != DUKA_OK ? o->rc : DUKA_EFAIL;
	report_table_print(o->fp, &o->table);
	return DUKA_OK;
}

/* Cells of an attendant (or the total when label is not NULL). */
static int
attendant_row(struct out *o, const struct report_attendant *a,
    const char *label)
{
	char sales[24], refunds[24], st[MONEY_MAX_TEXT], rt[MONEY_MAX_TEXT];
	char net[MONEY_MAX_TEXT], disc[MONEY_MAX_TEXT], avg[MONEY_MAX_TEXT];
	const char *cells[8];

	int_text(a->sales, sales, sizeof sales);
	int_text(a->refunds, refunds, sizeof refunds);
	if (o->csv) {
		report_csv_money(a->sales_total, st, sizeof st);
		report_csv_money(a->refunds_total, rt, sizeof rt);
		report_csv_money(a->net_total, net, sizeof net);
		report_csv_money(a->discounts, disc, sizeof disc);
		report_csv_money(a->average_sale, avg, sizeof avg);
		cells[0] = a->user;
		cells[1] = sales;
		cells[2] = refunds;
		cells[3] = st;
		cells[4] = rt;
		cells[5] = net;
		cells[6] = disc;
		cells[7] = avg;
		return out_row(o, cells, 8);
	}
	money_format(a->sales_total, st, sizeof st);
	money_format(a->refunds_total, rt, sizeof rt);
	money_format(a->net_total, net, sizeof net);
	money_format(a->average_sale, avg, sizeof avg);
	cells[0] = label != NULL ? label : a->user[0] != '\0' ? a->user :
	    _("(unknown)");
	cells[1] = sales;
	cells[2] = refunds;
	cells[3] = st;
	cells[4] = rt;
	cells[5] = net;
	cells[6] = avg;
	return out_row(o, cells, 7);
}

/* report_attendants callback. */
static int
attendant_cb(void *ctx, const struct report_attendant *a)
{
	struct out *o = ctx;

	o->rows++;
	return attendant_row(o, a, NULL);
}

/* duka report attendant. */
static int
report_attendant_cmd(struct out *o, struct db *db, const char *from,
    const char *to)
{
	static const int right[7] = { 0, 1, 1, 1, 1, 1, 1 };
	static const int maxw[7] = { 24, 0, 0, 0, 0, 0, 0 };
	const char *head[7] = { _("Attendant"), _("Sales"), _("Refunds"),
	    _("Takings"), _("Refunded"), _("Net"), _("Average sale") };
	struct report_attendant total;
	int rc;

	if ((rc = out_begin(o, 7, right, maxw, "attendant,sales,refunds,"
	    "sales_total,refunds_total,net_total,discounts,average_sale\r\n",
	    head)) != DUKA_OK)
		return rc;
	rc = report_attendants(db, from, to, attendant_cb, o, &total,
	    o->err);
	if (rc == DUKA_OK)
		rc = o->rc;
	if (rc != DUKA_OK || o->csv)
		return rc;
	report_title(o->fp, _("Sales per attendant"), from, to);
	if (o->rows == 0) {
		fprintf(o->fp, _("No sales in this range.\n"));
		return DUKA_OK;
	}
	if (attendant_row(o, &total, _("Total")) != 0)
		return o->rc != DUKA_OK ? o->rc : DUKA_EFAIL;
	report_table_print(o->fp, &o->table);
	return DUKA_OK;
}

/* The three rows (sales, refunds, total) of one tax class, or of all. */
static int
tax_rows(struct out *o, const struct report_tax *t, const char *label,
    const char *class_name, const char *rate)
{
	static const char *const kinds[3] = { "sales", "refunds", "total" };
	const char *kind_label[3];
	int64_t amount[3], vat[3], net[3];
	char a[MONEY_MAX_TEXT], v[MONEY_MAX_TEXT], n[MONEY_MAX_TEXT];
	const char *cells[6];
	int i;

	kind_label[0] = _("Sales");
	kind_label[1] = _("Refunds");
	kind_label[2] = _("Total");
	amount[0] = t->sales_amount;
	vat[0] = t->sales_vat;
	net[0] = t->sales_net;
	amount[1] = t->refunds_amount;
	vat[1] = t->refunds_vat;
	net[1] = t->refunds_net;
	amount[2] = t->amount;
	vat[2] = t->vat;
	net[2] = t->net;
	for (i = 0; i < 3; i++) {
		if (o->csv) {
			report_csv_money(amount[i], a, sizeof a);
			report_csv_money(vat[i], v, sizeof v);
			report_csv_money(net[i], n, sizeof n);
			cells[0] = class_name;
			cells[1] = rate;
			cells[2] = kinds[i];
			cells[3] = a;
			cells[4] = v;
			cells[5] = n;
			if (out_row(o, cells, 6) != 0)
				return 1;
			continue;
		}
		money_format(amount[i], a, sizeof a);
		money_format(vat[i], v, sizeof v);
		money_format(net[i], n, sizeof n);
		cells[0] = i == 0 ? label : "";
		cells[1] = kind_label[i];
		cells[2] = a;
		cells[3] = v;
		cells[4] = n;
		if (out_row(o, cells, 5) != 0)
			return 1;
	}
	return 0;
}

/* duka report tax. */
static int
report_tax_cmd(struct out *o, struct db *db, const char *from,
    const char *to)
{
	static const int right[5] = { 0, 0, 1, 1, 1 };
	const char *head[5] = { _("Tax class"), "", _("Incl. VAT"), _("VAT"),
	    _("Net of VAT") };
	struct report_tax t[3], total;
	char rate[16];
	int i, rc;

	if ((rc = out_begin(o, 5, right, NULL,
	    "class,rate_percent,kind,amount,vat,net\r\n", head)) != DUKA_OK)
		return rc;
	if ((rc = report_tax(db, from, to, t, &total, o->err)) != 0)
		return rc;
	for (i = 0; i < 3; i++) {
		/* Exempt supplies carry no rate at all, not a rate of 0. */
		if (t[i].tax == TAX_EXEMPT)
			rate[0] = '\0';
		else
			report_csv_money(t[i].rate_bp, rate, sizeof rate);
		if (tax_rows(o, &t[i], report_tax_label(t[i].tax),
		    tax_class_name(t[i].tax), rate) != 0)
			return o->rc != DUKA_OK ? o->rc : DUKA_EFAIL;
	}
	if (tax_rows(o, &total, _("All classes"), "all", "") != 0)
		return o->rc != DUKA_OK ? o->rc : DUKA_EFAIL;
	if (o->csv)
		return DUKA_OK;
	report_title(o->fp, _("VAT per tax class"), from, to);
	report_table_print(o->fp, &o->table);
	return DUKA_OK;
}

/* Parse --limit: 0 (all) .. TOP_LIMIT_MAX. */
static int
parse_limit(const char *text, int *out, struct duka_err *err)
{
	long v;

	if (!text_is_digits(text) || strlen(text) > 6 ||
	    (v = strtol(text, NULL, 10)) > TOP_LIMIT_MAX)
		return duka_fail(err, DUKA_EUSAGE, _("--limit %s: give a "
		    "number of products from 0 (all) to %d"), text,
		    TOP_LIMIT_MAX);
	*out = (int)v;
	return DUKA_OK;
}

/* Finish a command's output: flush, and report a write failure. */
static int
out_finish(struct out *o, int rc)
{
	report_table_free(&o->table);
	if ((fflush(o->fp) != 0 || ferror(o->fp)) && rc == DUKA_OK)
		return duka_fail(o->err, DUKA_EFAIL, _("cannot write the "
		    "report: %s"), strerror(errno));
	return rc;
}

/* One report into o (o's table is set up here). */
static int
report_run(struct out *o, struct db *db, enum report_kind kind,
    const char *from, const char *to, enum report_by by, int limit)
{
	report_table_init(&o->table, 1, NULL, NULL);
	switch (kind) {
	case REPORT_DAILY:
	case REPORT_MONTHLY:
		return report_periods_cmd(o, db, kind == REPORT_MONTHLY, from,
		    to);
	case REPORT_TOP:
		return report_top_cmd(o, db, from, to, by, limit);
	case REPORT_MARGIN:
		return report_margin_cmd(o, db, from, to);
	case REPORT_ATTENDANT:
		return report_attendant_cmd(o, db, from, to);
	case REPORT_TAX:
		return report_tax_cmd(o, db, from, to);
	}
	return duka_fail(o->err, DUKA_EINPUT, _("unknown report %d"),
	    (int)kind);
}

int
cmd_report(struct app *app, int argc, char **argv, struct duka_err *err)
{
	char from[DATE_LEN], to[DATE_LEN];
	enum report_kind kind;
	enum report_by by = REPORT_BY_REVENUE;
	struct report_opts ro;
	struct out o;
	int rc, limit = TOP_LIMIT_DEFAULT;

	if ((rc = report_parse(argc, argv, report_options, "report", &ro,
	    err)) != DUKA_OK)
		return rc;
	if (ro.help) {
		cli_usage(stdout, "report", _("daily|monthly|top|margin|"
		    "attendant|tax [--from DATE] [--to DATE] [--format "
		    "text|csv]"), _(report_help_text));
		return DUKA_OK;
	}
	if (ro.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE, ro.nargs == 0 ?
		    _("which report? daily, monthly, top, margin, attendant or "
		    "tax (see duka report --help)") :
		    _("unexpected argument \"%s\" (see duka report --help)"),
		    ro.args[1]);
	if ((rc = report_kind_parse(ro.args[0], &kind, err)) != DUKA_OK) {
		err->code = DUKA_EUSAGE;
		return DUKA_EUSAGE;
	}
	if (kind != REPORT_TOP && (ro.by != NULL || ro.limit != NULL))
		return duka_fail(err, DUKA_EUSAGE, _("--by and --limit are "
		    "options of duka report top"));
	if (ro.by != NULL && report_by_parse(ro.by, &by, err) != DUKA_OK) {
		err->code = DUKA_EUSAGE;
		return DUKA_EUSAGE;
	}
	if (ro.limit != NULL && (rc = parse_limit(ro.limit, &limit, err)) != 0)
		return rc;
	if ((rc = report_range(kind, ro.from, ro.to, NULL, from, to, err)) !=
	    DUKA_OK)
		return rc;

	memset(&o, 0, sizeof o);
	o.fp = stdout;
	o.csv = ro.csv;
	o.err = err;
	return out_finish(&o, report_run(&o, app->db, kind, from, to, by,
	    limit));
}

/* The text of a report, as duka report prints it (the till's reports
 * screen shows it). */
int
report_text(struct db *db, enum report_kind kind, const char *from,
    const char *to, FILE *fp, struct duka_err *err)
{
	struct out o;

	memset(&o, 0, sizeof o);
	o.fp = fp;
	o.err = err;
	return out_finish(&o, report_run(&o, db, kind, from, to,
	    REPORT_BY_REVENUE, TOP_LIMIT_DEFAULT));
}

/* reorder_suggest callback: a CSV record or a row of the table. */
static int
reorder_cb(void *ctx, const struct reorder_line *l)
{
	struct out *o = ctx;
	char hand[MONEY_MAX_TEXT], ord[MONEY_MAX_TEXT], avg[MONEY_MAX_TEXT];
	char sug[MONEY_MAX_TEXT], pack[MONEY_MAX_TEXT], lead[24];
	const char *cells[11];

	o->rows++;
	qty_format(l->on_hand, hand, sizeof hand);
	qty_format(l->on_order, ord, sizeof ord);
	qty_format(l->avg_daily, avg, sizeof avg);
	qty_format(l->suggested, sug, sizeof sug);
	if (o->csv) {
		qty_format(l->pack_size, pack, sizeof pack);
		int_text(l->lead_time_days, lead, sizeof lead);
		cells[0] = l->supplier;
		cells[1] = l->sku;
		cells[2] = l->name;
		cells[3] = hand;
		cells[4] = ord;
		cells[5] = avg;
		cells[6] = lead;
		cells[7] = pack;
		cells[8] = sug;
		cells[9] = l->reorder_date;
		cells[10] = l->due ? "1" : "0";
		return out_row(o, cells, 11);
	}
	cells[0] = l->supplier[0] != '\0' ? l->supplier : "-";
	cells[1] = l->sku;
	cells[2] = l->name;
	cells[3] = hand;
	cells[4] = ord;
	cells[5] = avg;
	cells[6] = sug;
	cells[7] = l->due ? l->reorder_date : "";
	return out_row(o, cells, 8);
}

/* Reorder suggestions into o, as text or CSV. */
static int
reorder_run(struct out *o, struct db *db, const struct settings *cfg)
{
	static const int right[8] = { 0, 0, 0, 1, 1, 1, 1, 0 };
	static const int maxw[8] = { 16, 0, 24, 0, 0, 0, 0, 0 };
	char today[DATE_LEN], safety[32];
	const char *head[8] = { _("Supplier"), _("SKU"), _("Name"),
	    _("On hand"), _("On order"), _("Per day"), _("Order"), _("Due") };
	int rc;

	if ((rc = out_begin(o, 8, right, maxw, "supplier,sku,name,on_hand,"
	    "on_order,avg_daily,lead_time_days,pack_size,suggested,"
	    "reorder_date,due\r\n", head)) != DUKA_OK)
		return rc;
	date_today(today);
	rc = reorder_suggest(db, cfg, today, reorder_cb, o, o->err);
	if (rc == DUKA_OK)
		rc = o->rc;
	if (rc == DUKA_OK && !o->csv) {
		report_percent_format(cfg->safety_stock_bp, safety,
		    sizeof safety);
		fprintf(o->fp, _("Reorder suggestions for %s: sales of the "
		    "last %lld days, orders every %lld days, safety stock "
		    "%s\n\n"), today, (long long)cfg->reorder_window_days,
		    (long long)cfg->review_period_days, safety);
		if (o->rows == 0)
			fprintf(o->fp, _("Nothing to order.\n"));
		else
			report_table_print(o->fp, &o->table);
	}
	return rc;
}

int
reorder_text(struct db *db, const struct settings *cfg, FILE *fp,
    struct duka_err *err)
{
	struct out o;

	memset(&o, 0, sizeof o);
	o.fp = fp;
	o.err = err;
	return out_finish(&o, reorder_run(&o, db, cfg));
}

int
cmd_reorder(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct report_opts ro;
	struct out o;
	int rc;

	if ((rc = report_parse(argc, argv, reorder_options, "reorder", &ro,
	    err)) != DUKA_OK)
		return rc;
	if (ro.help) {
		cli_usage(stdout, "reorder", _("[--format text|csv]"),
		    _(reorder_help_text));
		return DUKA_OK;
	}
	if (ro.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE, _("unexpected argument "
		    "\"%s\" (see duka reorder --help)"), ro.args[0]);
	memset(&o, 0, sizeof o);
	o.fp = stdout;
	o.csv = ro.csv;
	o.err = err;
	return out_finish(&o, reorder_run(&o, app->db, &app->cfg));
}
