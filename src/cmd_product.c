/*
 * cmd_product.c - "duka product": add, edit, show, list, search,
 * activate and deactivate products from the command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "i18n.h"
#include "inventory.h"
#include "stock.h"
#include "text.h"

#define MAX_BARCODES 16

/* What the add and edit options asked for. */
struct product_opts {
	const char *barcodes[MAX_BARCODES];
	int nbarcodes;
	const char *remove[MAX_BARCODES];
	int nremove;
	const char *category, *supplier;
};

enum {
	OPT_SKU = 256, OPT_NAME, OPT_PRICE, OPT_COST, OPT_CATEGORY, OPT_UNIT,
	OPT_TAX, OPT_BARCODE, OPT_REMOVE_BARCODE, OPT_REORDER_LEVEL,
	OPT_REORDER_QTY, OPT_PACK_SIZE, OPT_LEAD_TIME, OPT_EXPIRY,
	OPT_NO_EXPIRY, OPT_SUPPLIER, OPT_ACTIVATE, OPT_DEACTIVATE,
	OPT_REORDER_DATE, OPT_HELP, OPT_LIMIT, OPT_ALL,
};

static const struct option product_options[] = {
	{ "sku", required_argument, NULL, OPT_SKU },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "tax", required_argument, NULL, OPT_TAX },
	{ "barcode", required_argument, NULL, OPT_BARCODE },
	{ "remove-barcode", required_argument, NULL, OPT_REMOVE_BARCODE },
	{ "reorder-level", required_argument, NULL, OPT_REORDER_LEVEL },
	{ "reorder-qty", required_argument, NULL, OPT_REORDER_QTY },
	{ "pack-size", required_argument, NULL, OPT_PACK_SIZE },
	{ "lead-time", required_argument, NULL, OPT_LEAD_TIME },
	{ "reorder-date", required_argument, NULL, OPT_REORDER_DATE },
	{ "expiry", no_argument, NULL, OPT_EXPIRY },
	{ "no-expiry", no_argument, NULL, OPT_NO_EXPIRY },
	{ "supplier", required_argument, NULL, OPT_SUPPLIER },
	{ "activate", no_argument, NULL, OPT_ACTIVATE },
	{ "deactivate", no_argument, NULL, OPT_DEACTIVATE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka product. */
static void
product_help(FILE *fp)
{
	cli_usage(fp, "product", _("add|edit|show|list|search|deactivate|"
	    "activate ..."), _(
	    "  duka product add --sku SKU --name NAME --price AMOUNT [OPTIONS]\n"
	    "  duka product edit CODE [OPTIONS]\n"
	    "  duka product show CODE\n"
	    "  duka product list [--category NAME] [--all]\n"
	    "  duka product search TEXT [--limit N]\n"
	    "  duka product deactivate CODE | activate CODE\n\n"
	    "CODE is a barcode or a SKU. OPTIONS for add and edit:\n"
	    "  --sku SKU               letters, digits and . _ - / (max 32)\n"
	    "  --name NAME             up to 120 characters\n"
	    "  --price AMOUNT          shelf price, VAT included (KSh)\n"
	    "  --cost AMOUNT           cost price per unit\n"
	    "  --category NAME         created if missing\n"
	    "  --unit piece|kg|litre\n"
	    "  --tax standard|zero|exempt   (16%, zero-rated, exempt)\n"
	    "  --barcode CODE          add a barcode (repeatable)\n"
	    "  --remove-barcode CODE   edit only (repeatable)\n"
	    "  --reorder-level QTY     low-stock threshold\n"
	    "  --reorder-qty QTY       usual order quantity\n"
	    "  --pack-size QTY         supplier pack size\n"
	    "  --lead-time DAYS        supplier lead time\n"
	    "  --reorder-date DATE     when to reorder next\n"
	    "  --expiry | --no-expiry  whether batches carry expiry dates\n"
	    "  --supplier NAME         created if missing\n"
	    "  --activate | --deactivate\n"));
}

/* Apply one add/edit option to p or o. */
static int
product_apply_opt(int c, const char *arg, struct product *p,
    struct product_opts *o, struct duka_err *err)
{
	char *end;
	long long days;

	switch (c) {
	case OPT_SKU:
		if (text_trim_copy(arg, p->sku, sizeof p->sku) != 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("the SKU \"%s\" is longer than 32 characters"), arg);
		return DUKA_OK;
	case OPT_NAME:
		if (text_trim_copy(arg, p->name, sizeof p->name) != 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("the product name is too long"));
		return DUKA_OK;
	case OPT_PRICE:
		return cli_opt_amount(arg, "price", &p->price, err);
	case OPT_COST:
		return cli_opt_amount(arg, "cost", &p->cost, err);
	case OPT_UNIT:
		return product_unit_parse(arg, &p->unit, err);
	case OPT_TAX:
		return tax_class_parse(arg, &p->tax, err);
	case OPT_REORDER_LEVEL:
		return cli_opt_qty(arg, "reorder-level", &p->reorder_level,
		    err);
	case OPT_REORDER_QTY:
		return cli_opt_qty(arg, "reorder-qty", &p->reorder_qty, err);
	case OPT_PACK_SIZE:
		return cli_opt_qty(arg, "pack-size", &p->pack_size, err);
	case OPT_REORDER_DATE:
		return date_parse(arg, p->reorder_date, err);
	case OPT_LEAD_TIME:
		days = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || days < 0 || days > 365)
			return duka_fail(err, DUKA_EINPUT,
			    _("--lead-time: \"%s\" is not a number of days from 0 "
			    "to 365"), arg);
		p->lead_time_days = days;
		return DUKA_OK;
	case OPT_EXPIRY:
	case OPT_NO_EXPIRY:
		p->tracks_expiry = c == OPT_EXPIRY;
		return DUKA_OK;
	case OPT_ACTIVATE:
	case OPT_DEACTIVATE:
		p->active = c == OPT_ACTIVATE;
		return DUKA_OK;
	case OPT_CATEGORY:
		o->category = arg;
		return DUKA_OK;
	case OPT_SUPPLIER:
		o->supplier = arg;
		return DUKA_OK;
	case OPT_BARCODE:
	case OPT_REMOVE_BARCODE:
		if ((c == OPT_BARCODE ? o->nbarcodes : o->nremove) >= MAX_BARCODES)
			return duka_fail(err, DUKA_EUSAGE,
			    _("at most %d barcodes at a time"), MAX_BARCODES);
		if (c == OPT_BARCODE)
			o->barcodes[o->nbarcodes++] = arg;
		else
			o->remove[o->nremove++] = arg;
		return DUKA_OK;
	}
	return duka_fail(err, DUKA_EUSAGE, _("see duka product --help"));
}

/* Parse the options of add or edit; *help is set for --help. */
static int
product_parse(int argc, char **argv, struct product *p,
    struct product_opts *o, int *help, struct duka_err *err)
{
	int c, rc;

	*help = 0;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", product_options, NULL)) != -1) {
		if (c == OPT_HELP || c == 'h') {
			*help = 1;
			return DUKA_OK;
		}
		if (c == '?')
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown or incomplete option %s (see duka product "
			    "--help)"), argv[optind - 1]);
		if ((rc = product_apply_opt(c, optarg, p, o, err)) != DUKA_OK)
			return rc;
	}
	return DUKA_OK;
}

/* Resolve category and supplier names, then write p (add or update). */
static int
product_save(struct app *app, struct product *p, const struct product_opts *o,
    int adding, struct duka_err *err)
{
	const char *user = cli_user();
	char norm[BARCODE_MAX];
	int i, rc;

	if ((rc = db_begin(app->db, err)) != DUKA_OK)
		return rc;
	if (o->category != NULL)
		rc = *o->category == '\0' ? (p->category_id = 0, DUKA_OK) :
		    catalog_category_ensure(app->db, o->category,
		    &p->category_id, err);
	if (rc == DUKA_OK && o->supplier != NULL)
		rc = catalog_supplier_ensure(app->db, o->supplier, NULL, 0,
		    &p->supplier_id, err);
	if (rc == DUKA_OK)
		rc = adding ? catalog_product_add(app->db, p, user, err) :
		    catalog_product_update(app->db, p, user, err);
	for (i = 0; rc == DUKA_OK && i < o->nremove; i++)
		rc = catalog_barcode_remove(app->db, o->remove[i], err);
	for (i = 0; rc == DUKA_OK && i < o->nbarcodes; i++)
		rc = catalog_barcode_add(app->db, p->id, o->barcodes[i], norm,
		    err);
	if (rc != DUKA_OK) {
		db_rollback(app->db);
		return rc;
	}
	return db_commit(app->db, err);
}

/* duka product add. */
static int
product_add(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct product_opts o;
	struct product p;
	int help, rc;

	memset(&o, 0, sizeof o);
	product_init(&p);
	p.price = -1;
	if ((rc = product_parse(argc, argv, &p, &o, &help, err)) != DUKA_OK)
		return rc;
	if (help) {
		product_help(stdout);
		return DUKA_OK;
	}
	if (optind < argc)
		return duka_fail(err, DUKA_EUSAGE,
		    _("unexpected argument \"%s\" (see duka product --help)"),
		    argv[optind]);
	if (p.sku[0] == '\0' || p.name[0] == '\0' || p.price < 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka product add needs --sku, --name and --price"));
	if ((rc = product_save(app, &p, &o, 1, err)) != DUKA_OK)
		return rc;
	printf(_("Added %s (SKU %s), product number %lld\n"), p.name, p.sku,
	    (long long)p.id);
	return DUKA_OK;
}

/* duka product edit CODE [options]. */
static int
product_edit(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct product_opts o;
	struct product p;
	int help, rc;

	memset(&o, 0, sizeof o);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)) {
			product_help(stdout);
			return DUKA_OK;
		}
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka product edit CODE [OPTIONS]"));
	}
	if ((rc = catalog_product_find(app->db, argv[1], &p, err)) != DUKA_OK)
		return rc;
	if ((rc = product_parse(argc - 1, argv + 1, &p, &o, &help, err)) != 0)
		return rc;
	if (help) {
		product_help(stdout);
		return DUKA_OK;
	}
	if (optind < argc - 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("unexpected argument \"%s\" (see duka product --help)"),
		    argv[optind + 1]);
	if ((rc = product_save(app, &p, &o, 0, err)) != DUKA_OK)
		return rc;
	printf(_("Saved %s (SKU %s)\n"), p.name, p.sku);
	return DUKA_OK;
}

/* Print one barcode line for product_show. */
static void
show_barcode(void *ctx, const char *code, const char *kind)
{
	(void)ctx;
	printf(_("Barcode:        %s (%s)\n"), code, kind);
}

/* Print one batch line for product_show. */
static void
show_batch(void *ctx, const struct stock_batch *b)
{
	char q[MONEY_MAX_TEXT], c[MONEY_MAX_TEXT];

	(void)ctx;
	qty_format(b->qty_remaining, q, sizeof q);
	money_format(b->unit_cost, c, sizeof c);
	printf(_("Batch:          #%lld %s  %s left  expires %s  cost %s\n"),
	    (long long)b->id, b->batch_no[0] ? b->batch_no : "-", q,
	    b->expiry[0] ? b->expiry : _("never"), c);
}

/* duka product show CODE. */
static int
product_show(struct app *app, int argc, char **argv, struct duka_err *err)
{
	char price[MONEY_MAX_TEXT], cost[MONEY_MAX_TEXT], qty[MONEY_MAX_TEXT];
	char level[MONEY_MAX_TEXT], rq[MONEY_MAX_TEXT], pack[MONEY_MAX_TEXT];
	struct product p;
	int rc;

	if (argc != 2)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka product show CODE"));
	if ((rc = catalog_product_find(app->db, argv[1], &p, err)) != DUKA_OK)
		return rc;
	money_format_ksh(p.price, price, sizeof price);
	money_format_ksh(p.cost, cost, sizeof cost);
	qty_format(p.stock_qty, qty, sizeof qty);
	qty_format(p.reorder_level, level, sizeof level);
	qty_format(p.reorder_qty, rq, sizeof rq);
	qty_format(p.pack_size, pack, sizeof pack);
	printf(_("Product:        %s\n"), p.name);
	printf(_("SKU:            %s (number %lld)%s\n"), p.sku,
	    (long long)p.id, p.active ? "" : _("  INACTIVE"));
	printf(_("Category:       %s\n"), p.category[0] ? p.category : "-");
	printf(_("Price:          %s per %s (VAT %s)\n"), price,
	    product_unit_name(p.unit), tax_class_name(p.tax));
	printf(_("Cost:           %s\n"), cost);
	printf(_("In stock:       %s %s\n"), qty, product_unit_name(p.unit));
	printf(_("Reorder:        at %s, order %s, pack %s, lead time %lld "
	    "days%s%s\n"), level, rq, pack, (long long)p.lead_time_days,
	    p.reorder_date[0] ? _(", next order on ") : "", p.reorder_date);
	printf(_("Expiry dates:   %s\n"), p.tracks_expiry ? _("tracked") :
	    _("not tracked"));
	if ((rc = catalog_barcodes(app->db, p.id, show_barcode, NULL, err)) != 0)
		return rc;
	return stock_batches(app->db, p.id, show_batch, NULL, err);
}

/* Print one product for product_list. */
static int
list_row(void *ctx, const struct inventory_row *r)
{
	char price[MONEY_MAX_TEXT], qty[MONEY_MAX_TEXT];

	(void)ctx;
	money_format(r->price, price, sizeof price);
	qty_format(r->qty, qty, sizeof qty);
	printf("%-14s %-40.40s %12s %10s %s%s\n", r->sku, r->name, price, qty,
	    product_unit_name(r->unit), r->active ? "" : _(" (inactive)"));
	return 0;
}

/* duka product list [--category NAME] [--all]. */
static int
product_list(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const struct option opts[] = {
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "all", no_argument, NULL, OPT_ALL },
		{ NULL, 0, NULL, 0 },
	};
	struct inventory_filter f;
	int c, rc;

	memset(&f, 0, sizeof f);
	f.sort = SORT_NAME;
	f.near_expiry_days = app->cfg.near_expiry_days;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == OPT_ALL)
			f.include_inactive = 1;
		else if (c == OPT_CATEGORY) {
			if ((rc = catalog_category_find(app->db, optarg,
			    &f.category_id, err)) != DUKA_OK)
				return rc;
		} else
			return duka_fail(err, DUKA_EUSAGE,
			    _("usage: duka product list [--category NAME] "
			    "[--all]"));
	}
	printf("%-14s %-40s %12s %10s\n", _("SKU"), _("Name"), _("Price"),
	    _("Stock"));
	return inventory_list(app->db, &f, list_row, NULL, err);
}

/* duka product search TEXT [--limit N]. */
static int
product_search(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct catalog_hit hits[100];
	char price[MONEY_MAX_TEXT], qty[MONEY_MAX_TEXT], query[256] = "";
	int i, n, limit = 20, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			limit = atoi(argv[++i]);
			if (limit < 1 || limit > 100)
				return duka_fail(err, DUKA_EUSAGE,
				    _("--limit must be 1 to 100"));
			continue;
		}
		if (strlen(query) + strlen(argv[i]) + 2 >= sizeof query)
			return duka_fail(err, DUKA_EUSAGE,
			    _("the search text is too long"));
		if (query[0] != '\0')
			strcat(query, " ");
		strcat(query, argv[i]);
	}
	if (query[0] == '\0')
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka product search TEXT [--limit N]"));
	if ((rc = catalog_search(app->db, query, hits, limit, &n, err)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		money_format(hits[i].price, price, sizeof price);
		qty_format(hits[i].stock_qty, qty, sizeof qty);
		printf("%-14s %-40.40s %12s %10s\n", hits[i].sku, hits[i].name,
		    price, qty);
	}
	if (n == 0)
		printf(_("No product matches \"%s\"\n"), query);
	return DUKA_OK;
}

/* duka product activate|deactivate CODE. */
static int
product_set_active(struct app *app, int argc, char **argv, int active,
    struct duka_err *err)
{
	struct product p;
	int rc;

	if (argc != 2)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka product %s CODE"), argv[0]);
	if ((rc = catalog_product_find(app->db, argv[1], &p, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_set_active(app->db, p.id, active,
	    cli_user(), err)) != DUKA_OK)
		return rc;
	printf(active ? _("%s (SKU %s) is active again\n") :
	    _("%s (SKU %s) is deactivated; its history is kept\n"), p.name,
	    p.sku);
	return DUKA_OK;
}

int
cmd_product(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		product_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return product_add(app, argc, argv, err);
	if (strcmp(sub, "edit") == 0)
		return product_edit(app, argc, argv, err);
	if (strcmp(sub, "show") == 0)
		return product_show(app, argc, argv, err);
	if (strcmp(sub, "list") == 0)
		return product_list(app, argc, argv, err);
	if (strcmp(sub, "search") == 0)
		return product_search(app, argc, argv, err);
	if (strcmp(sub, "deactivate") == 0)
		return product_set_active(app, argc, argv, 0, err);
	if (strcmp(sub, "activate") == 0)
		return product_set_active(app, argc, argv, 1, err);
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown product command \"%s\" (see duka product --help)"), sub);
}
