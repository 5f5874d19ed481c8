/*
 * cmd_order.c - "duka order": purchase orders from the command line:
 * order from a supplier, list and show orders, cancel one, and receive
 * the goods against an order (the stock and the order's line in one
 * transaction, see order_receive).
 *
 * Options are collected first and checked after the whole command line
 * is read, so that --help anywhere answers without touching the database
 * (cli_main opens none when --help is present).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "i18n.h"
#include "money.h"
#include "order.h"
#include "report.h"
#include "stock.h"
#include "text.h"

enum {
	OPT_EXPECTED = 256, OPT_ALL, OPT_FORMAT, OPT_BATCH, OPT_EXPIRY,
	OPT_RECEIVED, OPT_COST, OPT_PRICE, OPT_REORDER_DATE, OPT_REF, OPT_NOTE,
	OPT_HELP,
};

/* The options of one order command, as typed. */
struct order_opts {
	const char *expected, *batch, *expiry, *received, *cost, *price;
	const char *reorder_date, *ref, *note;
	int all, csv, help;
	char **args;			/* the arguments that are not options */
	int nargs;
};

static const struct option add_options[] = {
	{ "expected", required_argument, NULL, OPT_EXPECTED },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option list_options[] = {
	{ "all", no_argument, NULL, OPT_ALL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option show_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option help_only_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option receive_options[] = {
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "expiry", required_argument, NULL, OPT_EXPIRY },
	{ "received", required_argument, NULL, OPT_RECEIVED },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "reorder-date", required_argument, NULL, OPT_REORDER_DATE },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The user recorded on orders, until duka has its own users. */
static const char *
order_user(void)
{
	const char *u = getenv("USER");

	return u != NULL ? u : "";
}

/* Print the help of duka order. */
static void
order_help(FILE *fp)
{
	cli_usage(fp, "order", _("add|list|show|cancel|receive ..."),
	    _("  duka order add SUPPLIER CODE QTY [CODE QTY]... "
	    "[--expected DATE]\n"
	    "  duka order list [--all] [--format text|csv]\n"
	    "  duka order show ID [--format text|csv]\n"
	    "  duka order cancel ID\n"
	    "  duka order receive ID CODE QTY [stock receive options]\n\n"
	    "Purchase orders: what was ordered from a supplier and has not "
	    "arrived\nyet counts as stock on order in duka reorder. CODE is a "
	    "barcode or a\nSKU. \"duka order COMMAND --help\" shows the "
	    "options of each command.\n"));
}

static void
add_help(FILE *fp)
{
	cli_usage(fp, "order add", _("SUPPLIER CODE QTY [CODE QTY]... "
	    "[--expected DATE]"),
	    _("Orders QTY of each product from SUPPLIER (created if "
	    "missing).\n\n"
	    "  --expected DATE   when the goods should come (YYYY-MM-DD or\n"
	    "                    DD/MM/YYYY), not before today\n"));
}

static void
list_help(FILE *fp)
{
	cli_usage(fp, "order list", _("[--all] [--format text|csv]"),
	    _("Lists the open purchase orders, newest first.\n\n"
	    "  --all             received and cancelled orders too\n"
	    "  --format FORMAT   text (default) or csv\n"));
}

static void
show_help(FILE *fp)
{
	cli_usage(fp, "order show", _("ID [--format text|csv]"),
	    _("Shows a purchase order with what was ordered and what has "
	    "arrived.\n"));
}

static void
cancel_help(FILE *fp)
{
	cli_usage(fp, "order cancel", _("ID"),
	    _("Cancels an open purchase order: what has not arrived will not "
	    "come,\nand is no longer stock on order.\n"));
}

static void
receive_help(FILE *fp)
{
	cli_usage(fp, "order receive", _("ID CODE QTY [OPTIONS]"),
	    _("Receives QTY of a product on purchase order ID: a new batch, "
	    "as duka\nstock receive does, and the order's line marked, in one "
	    "step. The order\nis received once every line has arrived in "
	    "full.\n\n"
	    "  --batch B            the supplier's batch or lot number\n"
	    "  --expiry DATE        expiry date (needed when the product "
	    "tracks expiry)\n"
	    "  --received DATE      date of delivery (default today)\n"
	    "  --cost AMOUNT        cost per unit; becomes the product's cost\n"
	    "  --price AMOUNT       new shelf price per unit\n"
	    "  --reorder-date DATE  when to reorder next\n"
	    "  --ref REF            delivery note number\n"
	    "  --note TEXT\n"));
}

/*
 * Collect the options and arguments of an order command; o->args points
 * into argv. A quantity such as "-5" looks like an option; it is refused
 * as a quantity.
 */
static int
order_parse(int argc, char **argv, const struct option *opts,
    const char *name, struct order_opts *o, struct duka_err *err)
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
		case OPT_EXPECTED:
			o->expected = optarg;
			break;
		case OPT_ALL:
			o->all = 1;
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
		case OPT_BATCH:
			o->batch = optarg;
			break;
		case OPT_EXPIRY:
			o->expiry = optarg;
			break;
		case OPT_RECEIVED:
			o->received = optarg;
			break;
		case OPT_COST:
			o->cost = optarg;
			break;
		case OPT_PRICE:
			o->price = optarg;
			break;
		case OPT_REORDER_DATE:
			o->reorder_date = optarg;
			break;
		case OPT_REF:
			o->ref = optarg;
			break;
		case OPT_NOTE:
			o->note = optarg;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE,
			    _("%s needs a value (see duka order %s --help)"),
			    argv[optind - 1], name);
		default:
			if (isdigit((unsigned char)optopt) || optopt == '.')
				return duka_fail(err, DUKA_EINPUT,
				    _("a quantity must be more than 0"));
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown option %s (see duka order %s --help)"),
			    argv[optind - 1], name);
		}
	}
	/* getopt_long moved the arguments that are not options to the end. */
	o->args = argv + optind;
	o->nargs = argc - optind;
	return DUKA_OK;
}

/* Parse a purchase order number. */
static int
arg_order_id(const char *text, int64_t *id, struct duka_err *err)
{
	long long v;

	errno = 0;
	v = text_is_digits(text) ? strtoll(text, NULL, 10) : 0;
	if (v <= 0 || errno != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a purchase order number"), text);
	*id = v;
	return DUKA_OK;
}

/* duka order add SUPPLIER CODE QTY [CODE QTY]... [--expected DATE]. */
static int
order_add_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct order_item *items = NULL;
	struct order_info oi;
	struct order_opts o;
	struct product p;
	char expected[DATE_LEN];
	int64_t supplier_id, id;
	int i, n, rc;

	if ((rc = order_parse(argc, argv, add_options, "add", &o, err)) != 0)
		return rc;
	if (o.help) {
		add_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs < 3 || o.nargs % 2 != 1)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka order add "
		    "SUPPLIER CODE QTY [CODE QTY]... [--expected DATE]"));
	n = (o.nargs - 1) / 2;
	if (n > ORDER_MAX_LINES)
		return duka_fail(err, DUKA_EINPUT,
		    _("an order can have at most %d lines, not %d"),
		    ORDER_MAX_LINES, n);
	if ((rc = cli_opt_date(o.expected, "expected", expected, err)) != 0)
		return rc;
	if ((items = calloc((size_t)n, sizeof *items)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	/* Every quantity first: a typing mistake needs no database. */
	for (i = 0; i < n; i++)
		if ((rc = cli_arg_qty(o.args[2 + 2 * i], 0, &items[i].qty,
		    err)) != DUKA_OK)
			goto out;
	for (i = 0; i < n; i++) {
		if ((rc = catalog_product_find(app->db, o.args[1 + 2 * i], &p,
		    err)) != DUKA_OK)
			goto out;
		items[i].product_id = p.id;
	}
	/* A new supplier and the order stand or fall together. */
	if ((rc = db_begin(app->db, err)) != DUKA_OK)
		goto out;
	if ((rc = catalog_supplier_ensure(app->db, o.args[0], NULL, 0,
	    &supplier_id, err)) != DUKA_OK ||
	    (rc = order_add(app->db, supplier_id, expected, items, n,
	    order_user(), &id, err)) != DUKA_OK) {
		db_rollback(app->db);
		goto out;
	}
	if ((rc = db_commit(app->db, err)) != DUKA_OK ||
	    (rc = order_get(app->db, id, &oi, err)) != DUKA_OK)
		goto out;
	printf(ngettext("Purchase order %lld to %s: %d line\n",
	    "Purchase order %lld to %s: %d lines\n", n), (long long)id,
	    oi.supplier, n);
out:
	free(items);
	return rc;
}

/* What the listing callbacks share. */
struct listing {
	int csv;
	int rows;
	struct report_table table;
	struct duka_err *err;
	int rc;
};

/* The date part of a UTC time stamp, for listings. */
static void
stamp_date(const char *stamp, char out[DATE_LEN])
{
	snprintf(out, DATE_LEN, "%.10s", stamp);
}

/* order_list callback: a CSV record or a row of the table. */
static int
list_cb(void *ctx, const struct order_info *oi)
{
	struct listing *l = ctx;
	char id[24], lines[24], waiting[24], created[DATE_LEN];
	const char *cells[8];

	l->rows++;
	snprintf(id, sizeof id, "%lld", (long long)oi->id);
	snprintf(lines, sizeof lines, "%lld", (long long)oi->lines);
	snprintf(waiting, sizeof waiting, "%lld", (long long)oi->lines_waiting);
	if (l->csv) {
		cells[0] = id;
		cells[1] = oi->supplier;
		cells[2] = order_state_name(oi->state);
		cells[3] = oi->created_at;
		cells[4] = oi->expected;
		cells[5] = oi->closed_at;
		cells[6] = lines;
		cells[7] = waiting;
		report_csv_row(stdout, cells, 8);
		return ferror(stdout) ? 1 : 0;
	}
	stamp_date(oi->created_at, created);
	cells[0] = id;
	cells[1] = oi->supplier;
	cells[2] = order_state_label(oi->state);
	cells[3] = created;
	cells[4] = oi->expected[0] != '\0' ? oi->expected : "-";
	cells[5] = lines;
	cells[6] = waiting;
	if ((l->rc = report_table_add(&l->table, cells, l->err)) != DUKA_OK)
		return 1;
	return 0;
}

/* Flush stdout, and report a write failure. */
static int
order_flush(int rc, struct duka_err *err)
{
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == DUKA_OK)
		return duka_fail(err, DUKA_EFAIL, _("cannot write the listing: "
		    "%s"), strerror(errno));
	return rc;
}

/* duka order list [--all] [--format text|csv]. */
static int
order_list_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int right[7] = { 1, 0, 0, 0, 0, 1, 1 };
	static const int maxw[7] = { 0, 30, 0, 0, 0, 0, 0 };
	const char *head[7];
	struct order_opts o;
	struct listing l;
	int rc;

	if ((rc = order_parse(argc, argv, list_options, "list", &o, err)) != 0)
		return rc;
	if (o.help) {
		list_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE, _("unexpected argument "
		    "\"%s\" (see duka order list --help)"), o.args[0]);
	memset(&l, 0, sizeof l);
	l.csv = o.csv;
	l.err = err;
	report_table_init(&l.table, 7, right, maxw);
	if (l.csv)
		fputs("id,supplier,state,created_at,expected_date,closed_at,"
		    "lines,lines_waiting\r\n", stdout);
	else {
		head[0] = _("Order");
		head[1] = _("Supplier");
		head[2] = _("State");
		head[3] = _("Created");
		head[4] = _("Expected");
		head[5] = _("Lines");
		head[6] = _("Waiting");
		if ((rc = report_table_add(&l.table, head, err)) != DUKA_OK)
			goto out;
	}
	rc = order_list(app->db, o.all, list_cb, &l, err);
	if (rc == DUKA_OK)
		rc = l.rc;
	if (rc == DUKA_OK && !l.csv) {
		if (l.rows == 0)
			printf(o.all ? _("No purchase orders.\n") :
			    _("No open purchase orders.\n"));
		else
			report_table_print(stdout, &l.table);
	}
out:
	report_table_free(&l.table);
	return order_flush(rc, err);
}

/* order_lines callback: a CSV record or a row of the table. */
static int
line_cb(void *ctx, const struct order_line *ol)
{
	struct listing *l = ctx;
	char no[24], qty[MONEY_MAX_TEXT], got[MONEY_MAX_TEXT];
	char waiting[MONEY_MAX_TEXT];
	const char *cells[7];

	l->rows++;
	snprintf(no, sizeof no, "%d", ol->line_no);
	qty_format(ol->qty, qty, sizeof qty);
	qty_format(ol->qty_received, got, sizeof got);
	qty_format(ol->qty > ol->qty_received ? ol->qty - ol->qty_received :
	    0, waiting, sizeof waiting);
	if (l->csv) {
		cells[0] = no;
		cells[1] = ol->sku;
		cells[2] = ol->name;
		cells[3] = product_unit_name(ol->unit);
		cells[4] = qty;
		cells[5] = got;
		cells[6] = waiting;
		report_csv_row(stdout, cells, 7);
		return ferror(stdout) ? 1 : 0;
	}
	cells[0] = no;
	cells[1] = ol->sku;
	cells[2] = ol->name;
	cells[3] = qty;
	cells[4] = got;
	cells[5] = waiting;
	if ((l->rc = report_table_add(&l->table, cells, l->err)) != DUKA_OK)
		return 1;
	return 0;
}

/* duka order show ID [--format text|csv]. */
static int
order_show_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int right[6] = { 1, 0, 0, 1, 1, 1 };
	static const int maxw[6] = { 0, 0, 36, 0, 0, 0 };
	const char *head[6];
	struct order_info oi;
	struct order_opts o;
	struct listing l;
	char created[DATE_LEN];
	int64_t id;
	int rc;

	if ((rc = order_parse(argc, argv, show_options, "show", &o, err)) != 0)
		return rc;
	if (o.help) {
		show_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka order show ID [--format text|csv]"));
	if ((rc = arg_order_id(o.args[0], &id, err)) != DUKA_OK ||
	    (rc = order_get(app->db, id, &oi, err)) != DUKA_OK)
		return rc;
	memset(&l, 0, sizeof l);
	l.csv = o.csv;
	l.err = err;
	report_table_init(&l.table, 6, right, maxw);
	if (l.csv)
		fputs("line,sku,name,unit,qty,qty_received,waiting\r\n",
		    stdout);
	else {
		stamp_date(oi.created_at, created);
		printf(_("Purchase order %lld to %s: %s, created %s, expected "
		    "%s\n\n"), (long long)oi.id, oi.supplier,
		    order_state_label(oi.state), created,
		    oi.expected[0] != '\0' ? oi.expected : "-");
		head[0] = _("Line");
		head[1] = _("SKU");
		head[2] = _("Name");
		head[3] = _("Ordered");
		head[4] = _("Received");
		head[5] = _("Waiting");
		if ((rc = report_table_add(&l.table, head, err)) != DUKA_OK)
			goto out;
	}
	rc = order_lines(app->db, id, line_cb, &l, err);
	if (rc == DUKA_OK)
		rc = l.rc;
	if (rc == DUKA_OK && !l.csv)
		report_table_print(stdout, &l.table);
out:
	report_table_free(&l.table);
	return order_flush(rc, err);
}

/* duka order cancel ID. */
static int
order_cancel_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct order_info oi;
	struct order_opts o;
	int64_t id;
	int rc;

	if ((rc = order_parse(argc, argv, help_only_options, "cancel", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		cancel_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka order cancel ID"));
	if ((rc = arg_order_id(o.args[0], &id, err)) != DUKA_OK ||
	    (rc = order_cancel(app->db, id, order_user(), err)) != DUKA_OK ||
	    (rc = order_get(app->db, id, &oi, err)) != DUKA_OK)
		return rc;
	printf(_("Cancelled purchase order %lld to %s\n"), (long long)id,
	    oi.supplier);
	return DUKA_OK;
}

/* The quantity of product_id still to come on order id. */
struct waiting_ctx {
	int64_t product_id;
	int64_t waiting;
};

/* order_lines callback: find one product's line. */
static int
waiting_cb(void *ctx, const struct order_line *ol)
{
	struct waiting_ctx *w = ctx;

	if (ol->product_id != w->product_id)
		return 0;
	w->waiting = ol->qty > ol->qty_received ? ol->qty - ol->qty_received :
	    0;
	return 1;
}

/* duka order receive ID CODE QTY [options]. */
static int
order_receive_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	char q[MONEY_MAX_TEXT], now[MONEY_MAX_TEXT], left[MONEY_MAX_TEXT];
	struct waiting_ctx w;
	struct stock_receipt r;
	struct order_info oi;
	struct order_opts o;
	struct product p;
	int64_t id, batch_id;
	int rc;

	if ((rc = order_parse(argc, argv, receive_options, "receive", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		receive_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 3)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka order receive "
		    "ID CODE QTY [OPTIONS]"));
	stock_receipt_init(&r);
	if ((rc = arg_order_id(o.args[0], &id, err)) != DUKA_OK ||
	    (rc = cli_arg_qty(o.args[2], 0, &r.qty, err)) != DUKA_OK ||
	    (rc = cli_opt_text(o.batch, "batch", r.batch_no, sizeof r.batch_no,
	    err)) != DUKA_OK ||
	    (rc = cli_opt_text(o.ref, "ref", r.reference, sizeof r.reference,
	    err)) != DUKA_OK ||
	    (rc = cli_opt_date(o.expiry, "expiry", r.expiry, err)) != DUKA_OK ||
	    (rc = cli_opt_date(o.received, "received", r.received, err)) != 0 ||
	    (rc = cli_opt_date(o.reorder_date, "reorder-date", r.reorder_date,
	    err)) != DUKA_OK ||
	    (rc = cli_opt_amount(o.cost, "cost", &r.unit_cost, err)) != 0 ||
	    (rc = cli_opt_amount(o.price, "price", &r.new_price, err)) != 0)
		return rc;
	if ((rc = catalog_product_find(app->db, o.args[1], &p, err)) != 0)
		return rc;
	r.product_id = p.id;
	r.user = order_user();
	r.note = o.note;
	if ((rc = order_receive(app->db, id, &r, &batch_id, err)) != DUKA_OK)
		return rc;

	if ((rc = catalog_product_get(app->db, p.id, &p, err)) != DUKA_OK ||
	    (rc = order_get(app->db, id, &oi, err)) != DUKA_OK)
		return rc;
	memset(&w, 0, sizeof w);
	w.product_id = p.id;
	if ((rc = order_lines(app->db, id, waiting_cb, &w, err)) != DUKA_OK)
		return rc;
	qty_format(r.qty, q, sizeof q);
	qty_format(p.stock_qty, now, sizeof now);
	qty_format(w.waiting, left, sizeof left);
	printf(_("Received %s of %s (SKU %s) into batch %lld on purchase "
	    "order %lld; %s still to come; stock now %s\n"), q, p.name, p.sku,
	    (long long)batch_id, (long long)id, left, now);
	if (oi.state == ORDER_RECEIVED)
		printf(_("Purchase order %lld has arrived in full.\n"),
		    (long long)id);
	return DUKA_OK;
}

int
cmd_order(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const struct {
		const char *name;
		int (*run)(struct app *, int, char **, struct duka_err *);
	} subs[] = {
		{ "add", order_add_cmd },
		{ "list", order_list_cmd },
		{ "show", order_show_cmd },
		{ "cancel", order_cancel_cmd },
		{ "receive", order_receive_cmd },
	};
	size_t i;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		order_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? duka_fail(err, DUKA_EUSAGE, "%s",
		    _("which order command? add, list, show, cancel or "
		    "receive")) : DUKA_OK;
	}
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1, err);
	return duka_fail(err, DUKA_EUSAGE, _("unknown order command \"%s\" "
	    "(use add, list, show, cancel or receive)"), argv[1]);
}
