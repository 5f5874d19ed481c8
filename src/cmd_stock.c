/*
 * cmd_stock.c - "duka stock": receive deliveries, remove damaged or
 * transferred goods, write off expired batches, list batches and run
 * stock takes from the command line.
 *
 * Options are collected as text first and parsed after the whole command
 * line is read, so that --help anywhere answers without touching the
 * database (cli_main opens none when --help is present).
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "i18n.h"
#include "money.h"
#include "stock.h"

/* The most batches one removal may touch; more would be a strange shop. */
#define REMOVE_MAX_ALLOC 256
#define MAX_ARGS 3

enum {
	OPT_BATCH = 256, OPT_EXPIRY, OPT_RECEIVED, OPT_COST, OPT_PRICE,
	OPT_REORDER_DATE, OPT_SUPPLIER, OPT_REF, OPT_NOTE, OPT_REASON,
	OPT_CATEGORY, OPT_HELP,
};

/* The options of one stock command, as typed. */
struct stock_opts {
	const char *batch, *expiry, *received, *cost, *price, *reorder_date;
	const char *supplier, *ref, *note, *reason, *category;
	const char *args[MAX_ARGS];	/* the arguments that are not options */
	int nargs;
	int help;
};

static const struct option receive_options[] = {
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "expiry", required_argument, NULL, OPT_EXPIRY },
	{ "received", required_argument, NULL, OPT_RECEIVED },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "reorder-date", required_argument, NULL, OPT_REORDER_DATE },
	{ "supplier", required_argument, NULL, OPT_SUPPLIER },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option remove_options[] = {
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option count_start_options[] = {
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option help_only_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka stock and its commands. */
static void
stock_help(FILE *fp)
{
	cli_usage(fp, "stock", _("receive|remove|writeoff|batches|count ..."),
	    _("  duka stock receive CODE QTY [OPTIONS]   stock arrived\n"
	    "  duka stock remove CODE QTY --reason REASON [--batch ID]\n"
	    "  duka stock writeoff                     write off expired "
	    "batches\n"
	    "  duka stock batches CODE                 batches with stock, "
	    "FEFO order\n"
	    "  duka stock count start [--category NAME]\n"
	    "  duka stock count set SHEET CODE QTY\n"
	    "  duka stock count show|commit|cancel SHEET\n\n"
	    "CODE is a barcode or a SKU. \"duka stock COMMAND --help\" shows "
	    "the options\nof each command.\n"));
}

static void
receive_help(FILE *fp)
{
	cli_usage(fp, "stock receive", _("CODE QTY [OPTIONS]"),
	    _("Receives QTY of a product into a new batch.\n\n"
	    "  --batch B            the supplier's batch or lot number\n"
	    "  --expiry DATE        expiry date (needed when the product "
	    "tracks expiry)\n"
	    "  --received DATE      date of delivery (default today)\n"
	    "  --cost AMOUNT        cost per unit; becomes the product's cost\n"
	    "  --price AMOUNT       new shelf price per unit\n"
	    "  --reorder-date DATE  when to reorder next\n"
	    "  --supplier NAME      who delivered (created if missing)\n"
	    "  --ref REF            delivery note number\n"
	    "  --note TEXT\n\n"
	    "Dates are YYYY-MM-DD or DD/MM/YYYY.\n"));
}

static void
remove_help(FILE *fp)
{
	cli_usage(fp, "stock remove", _("CODE QTY --reason REASON [OPTIONS]"),
	    _("Takes QTY of a product out of stock, first expiry first out.\n\n"
	    "  --reason REASON  damage, expiry, transfer or correction\n"
	    "  --batch ID       take from this batch only (see duka stock "
	    "batches)\n"
	    "  --ref REF        a reference, such as a transfer note\n"
	    "  --note TEXT\n"));
}

static void
writeoff_help(FILE *fp)
{
	cli_usage(fp, "stock writeoff", "",
	    _("Writes off every batch whose expiry date has passed and that "
	    "still\nholds stock, and prints their value at cost.\n"));
}

static void
batches_help(FILE *fp)
{
	cli_usage(fp, "stock batches", _("CODE"),
	    _("Lists the batches of a product that hold stock, in the order "
	    "they\nare sold (first expiry first out).\n"));
}

static void
count_help(FILE *fp)
{
	cli_usage(fp, "stock count", _("start|set|show|commit|cancel ..."),
	    _("  duka stock count start [--category NAME]  open a count sheet\n"
	    "  duka stock count set SHEET CODE QTY       record a counted "
	    "quantity\n"
	    "  duka stock count show SHEET               the sheet and its "
	    "counts\n"
	    "  duka stock count commit SHEET             book the differences\n"
	    "  duka stock count cancel SHEET             drop the sheet\n\n"
	    "Commit compares each counted product with the stock on record "
	    "then;\nproducts not counted are left alone.\n"));
}

/*
 * Collect the options and arguments of a stock command. A quantity such
 * as "-5" looks like an option; it is refused as a quantity.
 */
static int
stock_parse(int argc, char **argv, const struct option *opts,
    const char *name, struct stock_opts *o, struct duka_err *err)
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
		case OPT_SUPPLIER:
			o->supplier = optarg;
			break;
		case OPT_REF:
			o->ref = optarg;
			break;
		case OPT_NOTE:
			o->note = optarg;
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		case OPT_CATEGORY:
			o->category = optarg;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE,
			    _("%s needs a value (see duka stock %s --help)"),
			    argv[optind - 1], name);
		default:
			if (isdigit((unsigned char)optopt) || optopt == '.')
				return duka_fail(err, DUKA_EINPUT,
				    _("a quantity must be more than 0"));
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown option %s (see duka stock %s --help)"),
			    argv[optind - 1], name);
		}
	}
	for (; optind < argc; optind++) {
		if (o->nargs == MAX_ARGS)
			return duka_fail(err, DUKA_EUSAGE,
			    _("unexpected argument \"%s\" (see duka stock %s "
			    "--help)"), argv[optind], name);
		o->args[o->nargs++] = argv[optind];
	}
	return DUKA_OK;
}

/* Parse a record number (a batch or a count sheet). */
static int
arg_id(const char *text, const char *what, int64_t *id, struct duka_err *err)
{
	char *end;
	long long v;

	v = strtoll(text, &end, 10);
	if (!isdigit((unsigned char)*text) || *end != '\0' || v <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a %s number"), text, what);
	*id = v;
	return DUKA_OK;
}

/* duka stock receive CODE QTY [options]. */
static int
stock_receive_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	char q[MONEY_MAX_TEXT], now[MONEY_MAX_TEXT];
	struct stock_receipt r;
	struct stock_opts o;
	struct product p;
	int64_t batch_id;
	int rc;

	if ((rc = stock_parse(argc, argv, receive_options, "receive", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		receive_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 2)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock receive CODE QTY [OPTIONS]"));
	stock_receipt_init(&r);
	if ((rc = cli_arg_qty(o.args[1], 0, &r.qty, err)) != DUKA_OK ||
	    (rc = cli_opt_text(o.batch, "batch", r.batch_no, sizeof r.batch_no,
	    err)) != DUKA_OK ||
	    (rc = cli_opt_text(o.ref, "ref", r.reference, sizeof r.reference,
	    err)) != DUKA_OK ||
	    (rc = cli_opt_date(o.expiry, "expiry", r.expiry, err)) != DUKA_OK ||
	    (rc = cli_opt_date(o.received, "received", r.received, err)) != 0 ||
	    (rc = cli_opt_date(o.reorder_date, "reorder-date", r.reorder_date,
	    err)) != DUKA_OK)
		return rc;
	if (o.cost != NULL &&
	    (rc = cli_opt_amount(o.cost, "cost", &r.unit_cost, err)) != DUKA_OK)
		return rc;
	if (o.price != NULL &&
	    (rc = cli_opt_amount(o.price, "price", &r.new_price, err)) != 0)
		return rc;
	r.user = cli_user();
	r.note = o.note;
	if ((rc = catalog_product_find(app->db, o.args[0], &p, err)) != 0)
		return rc;
	r.product_id = p.id;

	/* A new supplier and the receipt stand or fall together. */
	if ((rc = db_begin(app->db, err)) != DUKA_OK)
		return rc;
	if (o.supplier != NULL)
		rc = catalog_supplier_ensure(app->db, o.supplier, NULL, 0,
		    &r.supplier_id, err);
	if (rc == DUKA_OK)
		rc = stock_receive(app->db, &r, &batch_id, err);
	if (rc != DUKA_OK) {
		db_rollback(app->db);
		return rc;
	}
	if ((rc = db_commit(app->db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_get(app->db, p.id, &p, err)) != DUKA_OK)
		return rc;
	qty_format(r.qty, q, sizeof q);
	qty_format(p.stock_qty, now, sizeof now);
	printf(_("Received %s of %s (SKU %s) into batch %lld; stock now %s\n"),
	    q, p.name, p.sku, (long long)batch_id, now);
	return DUKA_OK;
}

/* duka stock remove CODE QTY --reason R [--batch ID] [options]. */
static int
stock_remove_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	struct stock_allocation alloc[REMOVE_MAX_ALLOC];
	char q[MONEY_MAX_TEXT], now[MONEY_MAX_TEXT];
	struct stock_issue is;
	struct stock_opts o;
	struct product p;
	int i, n, rc;

	if ((rc = stock_parse(argc, argv, remove_options, "remove", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		remove_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 2)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock remove CODE QTY --reason REASON"));
	if (o.reason == NULL)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka stock remove needs --reason (damage, expiry, "
		    "transfer or correction)"));
	memset(&is, 0, sizeof is);
	if ((rc = stock_reason_parse(o.reason, &is.reason, err)) != DUKA_OK)
		return rc;
	switch (is.reason) {
	case STOCK_DAMAGE:
	case STOCK_EXPIRY:
	case STOCK_TRANSFER:
	case STOCK_CORRECTION:
		break;
	case STOCK_SALE:
		return duka_fail(err, DUKA_EINPUT,
		    _("sales are recorded at the till, not with duka stock "
		    "remove"));
	case STOCK_RETURN:
		return duka_fail(err, DUKA_EINPUT,
		    _("a return brings stock back in; for goods sent back to a "
		    "supplier use --reason transfer"));
	default:
		return duka_fail(err, DUKA_EINPUT,
		    _("--reason %s cannot remove stock; use damage, expiry, "
		    "transfer or correction"), o.reason);
	}
	if ((rc = cli_arg_qty(o.args[1], 0, &is.qty, err)) != DUKA_OK)
		return rc;
	if (o.batch != NULL &&
	    (rc = arg_id(o.batch, _("batch"), &is.batch_id, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_find(app->db, o.args[0], &p, err)) != 0)
		return rc;
	is.product_id = p.id;
	/* Damaged or expired goods are removed whatever their date says. */
	is.flags = STOCK_ALLOW_EXPIRED;
	is.reference = o.ref;
	is.user = cli_user();
	is.note = o.note;
	if ((rc = stock_issue(app->db, &is, alloc, REMOVE_MAX_ALLOC, &n,
	    err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_get(app->db, p.id, &p, err)) != DUKA_OK)
		return rc;
	qty_format(is.qty, q, sizeof q);
	qty_format(p.stock_qty, now, sizeof now);
	printf(_("Removed %s of %s (SKU %s) as %s; stock now %s\n"), q, p.name,
	    p.sku, stock_reason_name(is.reason), now);
	for (i = 0; i < n; i++) {
		qty_format(alloc[i].qty, q, sizeof q);
		if (alloc[i].batch_id > 0)
			printf(_("  %s from batch %lld%s%s\n"), q,
			    (long long)alloc[i].batch_id,
			    alloc[i].expiry[0] ? _(", expiry ") : "",
			    alloc[i].expiry);
		else
			printf(_("  %s without a batch\n"), q);
	}
	return DUKA_OK;
}

/* duka stock writeoff. */
static int
stock_writeoff_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	char value[MONEY_MAX_TEXT];
	struct stock_opts o;
	int64_t batches, v;
	int rc;

	if ((rc = stock_parse(argc, argv, help_only_options, "writeoff", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		writeoff_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka stock writeoff takes no arguments"));
	if ((rc = stock_writeoff_expired(app->db, cli_user(), &batches, &v,
	    err)) != DUKA_OK)
		return rc;
	if (batches == 0) {
		printf(_("No expired stock to write off\n"));
		return DUKA_OK;
	}
	money_format_ksh(v, value, sizeof value);
	printf(ngettext("Wrote off %lld expired batch worth %s at cost\n",
	    "Wrote off %lld expired batches worth %s at cost\n", batches),
	    (long long)batches, value);
	return DUKA_OK;
}

/* What print_batch needs: today, and the total the batches hold. */
struct batch_listing {
	char today[DATE_LEN];
	int64_t total;
	int rows;
};

/* Print one batch for duka stock batches. */
static void
print_batch(void *ctx, const struct stock_batch *b)
{
	struct batch_listing *l = ctx;
	char q[MONEY_MAX_TEXT], c[MONEY_MAX_TEXT];
	int expired = b->expiry[0] != '\0' && strcmp(b->expiry, l->today) < 0;

	qty_format(b->qty_remaining, q, sizeof q);
	money_format(b->unit_cost, c, sizeof c);
	printf("%6lld  %-16.16s %-10s %-10s %12s %10s%s\n", (long long)b->id,
	    b->batch_no[0] ? b->batch_no : "-",
	    b->expiry[0] ? b->expiry : "-", b->received, c, q,
	    expired ? _("  EXPIRED") : "");
	l->total += b->qty_remaining;
	l->rows++;
}

/* duka stock batches CODE. */
static int
stock_batches_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	struct batch_listing l;
	char q[MONEY_MAX_TEXT];
	struct stock_opts o;
	struct product p;
	int rc;

	if ((rc = stock_parse(argc, argv, help_only_options, "batches", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		batches_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock batches CODE"));
	if ((rc = catalog_product_find(app->db, o.args[0], &p, err)) != 0)
		return rc;
	memset(&l, 0, sizeof l);
	date_today(l.today);
	qty_format(p.stock_qty, q, sizeof q);
	printf(_("%s (SKU %s): %s in stock\n"), p.name, p.sku, q);
	printf("%6s  %-16s %-10s %-10s %12s %10s\n", _("Batch"), _("Number"),
	    _("Expiry"), _("Received"), _("Unit cost"), _("Left"));
	if ((rc = stock_batches(app->db, p.id, print_batch, &l, err)) != 0)
		return rc;
	if (l.rows == 0)
		printf(_("(no batch holds stock)\n"));
	if (p.stock_qty != l.total) {
		qty_format(p.stock_qty - l.total, q, sizeof q);
		printf(_("Without a batch: %s%s\n"), q,
		    p.stock_qty - l.total < 0 ? _(" (sold before it was "
		    "received)") : "");
	}
	return DUKA_OK;
}

/* duka stock count start [--category NAME]. */
static int
count_start(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct stocktake_sheet s;
	struct stock_opts o;
	int64_t category = 0, id;
	int rc;

	if ((rc = stock_parse(argc, argv, count_start_options, "count", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		count_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock count start [--category NAME]"));
	if (o.category != NULL && (rc = catalog_category_find(app->db,
	    o.category, &category, err)) != DUKA_OK)
		return rc;
	if ((rc = stocktake_open(app->db, category, cli_user(), &id,
	    err)) != DUKA_OK ||
	    (rc = stocktake_get(app->db, id, &s, err)) != DUKA_OK)
		return rc;
	printf(ngettext("Opened count sheet %lld with %lld product\n",
	    "Opened count sheet %lld with %lld products\n", s.lines),
	    (long long)id, (long long)s.lines);
	return DUKA_OK;
}

/* duka stock count set SHEET CODE QTY. */
static int
count_set(struct app *app, int argc, char **argv, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT], rec[MONEY_MAX_TEXT];
	struct stock_opts o;
	struct product p;
	int64_t id, qty;
	int rc;

	if ((rc = stock_parse(argc, argv, help_only_options, "count", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		count_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 3)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock count set SHEET CODE QTY"));
	if ((rc = arg_id(o.args[0], _("count sheet"), &id, err)) != DUKA_OK ||
	    (rc = cli_arg_qty(o.args[2], 1, &qty, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_find(app->db, o.args[1], &p, err)) != 0 ||
	    (rc = stocktake_set(app->db, id, p.id, qty, err)) != DUKA_OK)
		return rc;
	qty_format(qty, q, sizeof q);
	qty_format(p.stock_qty, rec, sizeof rec);
	printf(_("Sheet %lld: counted %s of %s (SKU %s); %s on record\n"),
	    (long long)id, q, p.name, p.sku, rec);
	return DUKA_OK;
}

/* Print one line of a count sheet. */
static void
print_count_line(void *ctx, const struct stocktake_line *l)
{
	const struct stocktake_sheet *s = ctx;
	char rec[MONEY_MAX_TEXT], cnt[MONEY_MAX_TEXT] = "-";
	char diff[MONEY_MAX_TEXT] = "";

	qty_format(l->stock_qty, rec, sizeof rec);
	if (l->counted_qty >= 0) {
		qty_format(l->counted_qty, cnt, sizeof cnt);
		/* After a commit the stock on record includes the count. */
		if (strcmp(s->state, "open") == 0 &&
		    l->counted_qty != l->stock_qty) {
			diff[0] = l->counted_qty > l->stock_qty ? '+' : '\0';
			qty_format(l->counted_qty - l->stock_qty,
			    diff + (diff[0] == '+'), sizeof diff - 1);
		}
	}
	printf("%-14s %-36.36s %10s %10s %10s\n", l->sku, l->name, rec, cnt,
	    diff);
}

/* Translated name of a sheet state. */
static const char *
count_state_label(const char *state)
{
	if (strcmp(state, "open") == 0)
		return _("open");
	if (strcmp(state, "committed") == 0)
		return _("committed");
	return _("cancelled");
}

/* duka stock count show SHEET. */
static int
count_show(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct stocktake_sheet s;
	struct stock_opts o;
	int64_t id;
	int rc;

	if ((rc = stock_parse(argc, argv, help_only_options, "count", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		count_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock count show SHEET"));
	if ((rc = arg_id(o.args[0], _("count sheet"), &id, err)) != DUKA_OK ||
	    (rc = stocktake_get(app->db, id, &s, err)) != DUKA_OK)
		return rc;
	printf(_("Count sheet %lld (%s), %s, started %s%s%s\n"), (long long)id,
	    s.category[0] ? s.category : _("all products"),
	    count_state_label(s.state), s.started_at,
	    s.committed_at[0] ? _(", committed ") : "", s.committed_at);
	printf(_("%lld of %lld products counted\n"), (long long)s.counted,
	    (long long)s.lines);
	printf("%-14s %-36s %10s %10s %10s\n", _("SKU"), _("Name"),
	    _("On record"), _("Counted"), _("Difference"));
	return stocktake_lines(app->db, id, print_count_line, &s, err);
}

/* duka stock count commit|cancel SHEET. */
static int
count_finish(struct app *app, int argc, char **argv, int commit,
    struct duka_err *err)
{
	char gain[MONEY_MAX_TEXT], loss[MONEY_MAX_TEXT];
	struct stocktake_result res;
	struct stock_opts o;
	int64_t id;
	int rc;

	if ((rc = stock_parse(argc, argv, help_only_options, "count", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		count_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka stock count %s SHEET"), argv[0]);
	if ((rc = arg_id(o.args[0], _("count sheet"), &id, err)) != DUKA_OK)
		return rc;
	if (!commit) {
		if ((rc = stocktake_cancel(app->db, id, err)) != DUKA_OK)
			return rc;
		printf(_("Cancelled count sheet %lld; stock is unchanged\n"),
		    (long long)id);
		return DUKA_OK;
	}
	if ((rc = stocktake_commit(app->db, id, cli_user(), &res, err)) != 0)
		return rc;
	money_format_ksh(res.gain_value, gain, sizeof gain);
	money_format_ksh(res.loss_value, loss, sizeof loss);
	printf(ngettext("Committed count sheet %lld: %lld stock movement; "
	    "gain %s, loss %s at cost\n", "Committed count sheet %lld: %lld "
	    "stock movements; gain %s, loss %s at cost\n", res.lines),
	    (long long)id, (long long)res.lines, gain, loss);
	return DUKA_OK;
}

/* duka stock count ... */
static int
stock_count_cmd(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		count_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "start") == 0)
		return count_start(app, argc, argv, err);
	if (strcmp(sub, "set") == 0)
		return count_set(app, argc, argv, err);
	if (strcmp(sub, "show") == 0)
		return count_show(app, argc, argv, err);
	if (strcmp(sub, "commit") == 0)
		return count_finish(app, argc, argv, 1, err);
	if (strcmp(sub, "cancel") == 0)
		return count_finish(app, argc, argv, 0, err);
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown command \"duka stock count %s\" (see duka stock count "
	    "--help)"), sub);
}

int
cmd_stock(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		stock_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "receive") == 0)
		return stock_receive_cmd(app, argc, argv, err);
	if (strcmp(sub, "remove") == 0)
		return stock_remove_cmd(app, argc, argv, err);
	if (strcmp(sub, "writeoff") == 0 || strcmp(sub, "write-off") == 0)
		return stock_writeoff_cmd(app, argc, argv, err);
	if (strcmp(sub, "batches") == 0)
		return stock_batches_cmd(app, argc, argv, err);
	if (strcmp(sub, "count") == 0)
		return stock_count_cmd(app, argc, argv, err);
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown command \"duka stock %s\" (see duka stock --help)"),
	    sub);
}
