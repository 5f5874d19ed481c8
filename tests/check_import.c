/*
 * check_import.c - unit tests for import.c: CSV import of products and
 * stock. Fixture files live in tests/data/import_*.csv (found through
 * $top_srcdir); small cases are inline in a table. Every refused import
 * must leave the database exactly as it was.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "import.h"
#include "status.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define MAX_MSGS 64

/* The problems an import reported. */
struct sink {
	int n;
	char msg[MAX_MSGS][1024];
	char last[1024];		/* the last one passed on */
};

/* import_options.report: keep the message. */
static void
sink_report(void *ctx, const char *problem)
{
	struct sink *s = ctx;

	if (s->n < MAX_MSGS)
		snprintf(s->msg[s->n++], sizeof s->msg[0], "%s", problem);
	snprintf(s->last, sizeof s->last, "%s", problem);
}

/* Assert that some reported message contains want. */
static void
assert_reported(const struct sink *s, const char *want)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strstr(s->msg[i], want) != NULL)
			return;
	for (i = 0; i < s->n; i++)
		fprintf(stderr, "  reported: %s\n", s->msg[i]);
	ck_abort_msg("no reported problem contains \"%s\"", want);
}

/* Path of a fixture file under $top_srcdir/tests/data. */
static void
fixture(const char *name, char *path, size_t n)
{
	const char *top = getenv("top_srcdir");

	snprintf(path, n, "%s/tests/data/%s", top && *top ? top : ".", name);
}

/* Import a fixture (labelled with its bare name) and return the status. */
static int
import_fixture(struct db *db, enum import_kind kind, const char *name,
    int dry_run, struct sink *s, struct import_result *res,
    struct duka_err *err)
{
	struct import_options o;
	char path[1024];

	fixture(name, path, sizeof path);
	import_options_init(&o, kind);
	o.dry_run = dry_run;
	o.label = name;
	o.user = "tester";
	o.report = sink_report;
	o.ctx = s;
	memset(s, 0, sizeof *s);
	return import_file(db, path, &o, res, err);
}

/* Row counts of every table an import may touch. */
struct counts {
	int64_t products, barcodes, categories, suppliers, batches, movements,
	    outbox;
};

/* Count the rows of the tables an import writes. */
static void
counts_get(struct db *db, struct counts *c)
{
	c->products = tu_int(db, "SELECT count(*) FROM products");
	c->barcodes = tu_int(db, "SELECT count(*) FROM barcodes");
	c->categories = tu_int(db, "SELECT count(*) FROM categories");
	c->suppliers = tu_int(db, "SELECT count(*) FROM suppliers");
	c->batches = tu_int(db, "SELECT count(*) FROM batches");
	c->movements = tu_int(db, "SELECT count(*) FROM stock_movements");
	c->outbox = tu_int(db, "SELECT count(*) FROM outbox");
}

/* Assert that nothing an import writes has changed since before. */
static void
assert_unchanged(struct db *db, const struct counts *before)
{
	struct counts after;

	counts_get(db, &after);
	ck_assert_int_eq(after.products, before->products);
	ck_assert_int_eq(after.barcodes, before->barcodes);
	ck_assert_int_eq(after.categories, before->categories);
	ck_assert_int_eq(after.suppliers, before->suppliers);
	ck_assert_int_eq(after.batches, before->batches);
	ck_assert_int_eq(after.movements, before->movements);
	ck_assert_int_eq(after.outbox, before->outbox);
	ck_assert(!db_in_transaction(db));
}

/* Find a product by code, which must exist. */
static void
must_find(struct db *db, const char *code, struct product *p)
{
	struct duka_err err = { 0, "" };

	if (catalog_product_find(db, code, p, &err) != DUKA_OK)
		ck_abort_msg("%s: %s", code, err.msg);
}

/* Add a product through the catalog, for tests that need one there. */
static void
seed_product(struct db *db, const char *sku, const char *name,
    const char *barcode, int tracks_expiry, int active)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = 5000;
	p.cost = 4000;
	p.tracks_expiry = tracks_expiry;
	p.active = active;
	if (catalog_product_add(db, &p, "tester", &err) != DUKA_OK)
		ck_abort_msg("seed %s: %s", sku, err.msg);
	if (barcode != NULL &&
	    catalog_barcode_add(db, p.id, barcode, NULL, &err) != DUKA_OK)
		ck_abort_msg("seed %s: %s", barcode, err.msg);
}

/* The good file: BOM, CRLF, quotes with commas, quotes and line breaks. */
START_TEST(test_good_file)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct product p;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(s.n, 0);
	ck_assert_int_eq(res.errors, 0);
	ck_assert_int_eq(res.rows, 5);
	ck_assert_int_eq(res.added, 5);
	ck_assert_int_eq(res.updated, 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 5);
	ck_assert(!db_in_transaction(db));

	must_find(db, "MILK-500", &p);
	ck_assert_str_eq(p.name, "Brookside Milk, 500ml");
	ck_assert_int_eq(p.price, 6500);
	ck_assert_int_eq(p.cost, 5200);
	ck_assert_str_eq(p.category, "Dairy");
	ck_assert_int_eq(p.tracks_expiry, 1);
	ck_assert_int_eq(p.reorder_level, 10000);
	ck_assert(p.supplier_id > 0);

	/* Both codes of the quoted, two-line barcode cell. */
	must_find(db, "6161101600026", &p);
	ck_assert_str_eq(p.sku, "UNGA-2K");
	ck_assert_str_eq(p.name, "Jogoo Maize Flour \"Special\" 2kg");
	ck_assert_int_eq(p.tax, TAX_ZERO);
	ck_assert_int_eq(p.pack_size, 12000);
	must_find(db, "6161101600033", &p);
	ck_assert_str_eq(p.sku, "UNGA-2K");

	must_find(db, "sug-kg", &p);
	ck_assert_int_eq(p.unit, UNIT_KG);
	ck_assert_int_eq(p.price, 15050);
	ck_assert_int_eq(p.reorder_level, 2500);

	must_find(db, "6161101600057", &p);
	ck_assert_str_eq(p.name, "Café Kenya ☕ Arabica 250g");
	ck_assert_int_eq(p.price, 125000);
	ck_assert(p.supplier_id > 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM suppliers WHERE "
	    "name = 'Java House, Ltd'"), 1);

	must_find(db, "SOAP-1", &p);
	ck_assert_int_eq(p.tax, TAX_EXEMPT);
	ck_assert_int_eq(p.category_id, 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM barcodes"), 6);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM categories"), 4);
	db_close(db);
}
END_TEST

/* Importing the same file again changes nothing and queues no event. */
START_TEST(test_good_file_twice)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(res.rows, 5);
	ck_assert_int_eq(res.added, 0);
	ck_assert_int_eq(res.updated, 0);
	ck_assert_int_eq(res.unchanged, 5);
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* A row whose SKU exists updates the product; absent columns keep. */
START_TEST(test_update_existing)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct product p;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_update.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(res.added, 0);
	ck_assert_int_eq(res.updated, 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 5);
	must_find(db, "6161101601009", &p);
	ck_assert_str_eq(p.sku, "MILK-500");
	ck_assert_int_eq(p.price, 7000);
	ck_assert_int_eq(p.cost, 5200);		/* no cost column: kept */
	ck_assert_str_eq(p.category, "Dairy");	/* kept */
	ck_assert_int_eq(p.tracks_expiry, 1);	/* kept */
	must_find(db, "6161101600019", &p);
	ck_assert_str_eq(p.sku, "MILK-500");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM barcodes WHERE "
	    "product_id = " "(SELECT id FROM products WHERE sku = 'MILK-500')"),
	    2);
	db_close(db);
}
END_TEST

/* One bad row among forty: nothing imported, line and column named. */
START_TEST(test_one_bad_row)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_one_bad.csv", 0, &s, &res, &err), DUKA_EINPUT);
	ck_assert_int_eq(res.rows, 40);
	ck_assert_int_eq(res.errors, 1);
	ck_assert_int_eq(s.n, 1);
	assert_reported(&s, "import_products_one_bad.csv:27:price: "
	    "\"12.345\": The amount has more than 2 decimal places.");
	ck_assert(strstr(err.msg, "nothing was imported") != NULL);
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* An unterminated quote: the error names the line where the row starts. */
START_TEST(test_broken_quote)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_broken_quote.csv", 0, &s, &res, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_products_broken_quote.csv:3:name: a quote "
	    "opened here is never closed");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* A barcode with a wrong check digit. */
START_TEST(test_bad_check_digit)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_bad_check_digit.csv", 0, &s, &res, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_products_bad_check_digit.csv:3:barcode: "
	    "\"6161101600018\": Bad check digit");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* The same barcode twice in the file. */
START_TEST(test_dup_barcode_in_file)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_dup_barcode.csv", 0, &s, &res, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_products_dup_barcode.csv:4:barcode: the "
	    "barcode 6161101600019 is also on line 2");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* A barcode that another product in the shop already has. */
START_TEST(test_dup_barcode_in_db)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	seed_product(db, "TEA-1", "Ketepa Tea", "5000112637922", 0, 1);
	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_db_barcode.csv", 0, &s, &res, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_products_db_barcode.csv:3:barcode: the "
	    "barcode 5000112637922 is already used by \"Ketepa Tea\"");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* Money with three decimals, and a price that is not a number. */
START_TEST(test_price_three_decimals)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_price3.csv", 0, &s, &res, &err), DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 2);
	assert_reported(&s, "import_products_price3.csv:2:price: \"12.345\": "
	    "The amount has more than 2 decimal places.");
	assert_reported(&s, "import_products_price3.csv:3:price: \"abc\"");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* An unknown column is refused, listing the known ones. */
START_TEST(test_unknown_column)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_unknown_column.csv", 0, &s, &res, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_products_unknown_column.csv:1:colour: "
	    "unknown column \"colour\"; the columns are: sku, name, price, "
	    "cost, category");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* --dry-run checks and counts but writes nothing. */
START_TEST(test_dry_run)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 1, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(res.rows, 5);
	ck_assert_int_eq(res.added, 5);
	assert_unchanged(db, &before);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_STOCK,
	    "import_stock_good.csv", 1, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(res.received, 3);
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* Stock lines raise the quantities, prices and costs they name. */
START_TEST(test_stock_import)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct product p;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(import_fixture(db, IMPORT_STOCK,
	    "import_stock_good.csv", 0, &s, &res, &err), DUKA_OK);
	ck_assert_int_eq(s.n, 0);
	ck_assert_int_eq(res.rows, 3);
	ck_assert_int_eq(res.received, 3);
	must_find(db, "MILK-500", &p);
	ck_assert_int_eq(p.stock_qty, 36000);
	must_find(db, "SUG-KG", &p);
	ck_assert_int_eq(p.stock_qty, 25500);
	ck_assert_int_eq(p.price, 15500);
	ck_assert_int_eq(p.cost, 12800);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM batches"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM batches WHERE "
	    "expiry_date = '2026-03-15' AND batch_no = 'B-002'"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE note = 'Two crates' || char(13, 10) || 'one damaged box "
	    "returned' AND reference = 'DN-101'"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE note = 'Delivered cold, \"checked\"'"), 1);

	/* Again: stock adds up, it is not replaced. */
	ck_assert_int_eq(import_fixture(db, IMPORT_STOCK,
	    "import_stock_good.csv", 0, &s, &res, &err), DUKA_OK);
	must_find(db, "MILK-500", &p);
	ck_assert_int_eq(p.stock_qty, 72000);
	db_close(db);
}
END_TEST

/* 30 February, on the third line; the good second line is not kept. */
START_TEST(test_stock_feb30)
{
	struct duka_err err = { 0, "" };
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(import_fixture(db, IMPORT_PRODUCTS,
	    "import_products_good.csv", 0, &s, &res, &err), DUKA_OK);
	counts_get(db, &before);
	ck_assert_int_eq(import_fixture(db, IMPORT_STOCK,
	    "import_stock_feb30.csv", 0, &s, &res, &err), DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 1);
	assert_reported(&s, "import_stock_feb30.csv:3:expiry: \"2026-02-30\": "
	    "that month has no day 30");
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* Small files, each with the problems it must produce. */
static const struct {
	const char *csv;
	size_t len;			/* 0: strlen(csv) */
	enum import_kind kind;
	int rc;
	int errors;
	const char *want1, *want2;
} cases[] = {
	/* The shape of the file. */
	{ "", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv: the file is empty", NULL },
	{ "\n\n  \r\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv: the file is empty", NULL },
	{ "sku,name,price\n", 0, IMPORT_PRODUCTS, DUKA_OK, 0, NULL, NULL },
	{ "\xff\xfes\0k\0u\0", 8, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv: the file is UTF-16", NULL },
	{ "sku,name,price\nA1,Apple\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2: this row has 2 values but the header names 3", NULL },
	{ "sku,name,price\nA1,Apple,1,2\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2: this row has 4 values", NULL },
	{ "sku,name,price\rA1,x,1\rB2,y,abc\r", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:3:price: \"abc\"", NULL },
	{ "sku,name,price\n\nA1,\"two\nlines\",1\n\nB2,z,abc\n", 0,
	    IMPORT_PRODUCTS, DUKA_EINPUT, 2,
	    "t.csv:3:name: the product name \"two", "t.csv:6:price: \"abc\"" },
	{ "sku,name,price\nA1,x\"y,1\nB2,z,abc\nC3,ok,1\n", 0,
	    IMPORT_PRODUCTS, DUKA_EINPUT, 2, "t.csv:2:name: broken quotes",
	    "t.csv:3:price:" },
	{ "sku,name,price\nA1,\"x\"y,1\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2:name: broken quotes", NULL },
	{ "sku,name,price\nA1,x,1\nB2,\"y,2\nC3,z,3\nD4,\"w\",4\nE5,v,abc\n",
	    0, IMPORT_PRODUCTS, DUKA_EINPUT, 2,
	    "t.csv:3:name: broken quotes (noticed on line 5)",
	    "t.csv:6:price:" },
	{ "\"sku,name,price\nA1,x,1\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:1:column 1: a quote opened here is never closed", NULL },
	{ "sku,name,price\nA1,x\0y,1\n", 24, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2:name: the value holds a NUL byte", NULL },
	{ "sku,name,price\nA1,Caf\xe9 au lait,1\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:2:name: the text is not UTF-8 (byte 0xE9 "
	    "at character 4)", NULL },
	{ "sku,name,price\n,,\nA1,x,1\n , , \n", 0, IMPORT_PRODUCTS, DUKA_OK,
	    0, NULL, NULL },

	/* The header. */
	{ " SKU ,Name,PRICE,Reorder Level,tax_class,lead-time\n"
	    "A1,x,1,2,zero,7\n", 0, IMPORT_PRODUCTS, DUKA_OK, 0, NULL, NULL },
	{ "sku,name\nA1,x\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:1: the header lacks the column \"price\"", NULL },
	{ "sku,name,price,Price\nA1,x,1,2\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT,
	    1, "t.csv:1:Price: the column price is named twice (columns 3 "
	    "and 4)", NULL },
	{ "sku,name,price,\nA1,x,1,oops\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2:column 4: a value in a column that has no name", NULL },
	{ "sku,name,price,\nA1,x,1,\n", 0, IMPORT_PRODUCTS, DUKA_OK, 0, NULL,
	    NULL },
	{ "sku,name,price,colour,size\nA1,x,1,red,L\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 2, "t.csv:1:colour: unknown column",
	    "t.csv:1:size: unknown column" },

	/* Product values. */
	{ "sku,name,price\nA1,,1\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2:name: a value is required", NULL },
	{ "sku,name,price,unit\n,x,abc,dozen\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 3, "t.csv:2:sku: a value is required",
	    "t.csv:2:unit: \"dozen\" is not a unit" },
	{ "sku,name,price\nA1,x,1\na1,y,2\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT,
	    1, "t.csv:3:sku: the SKU a1 is also on line 2", NULL },
	{ "sku,name,price,tax\nA1,x,1,vat20\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:2:tax: \"vat20\"", NULL },
	{ "sku,name,price\nA1,x,-5\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:2:price: \"-5\": the amount cannot be negative", NULL },
	{ "sku,name,price,tracks_expiry\nA1,x,1,maybe\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:2:tracks_expiry: \"maybe\" is neither",
	    NULL },
	{ "sku,name,price,lead_time_days\nA1,x,1,400\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:2:lead_time_days: \"400\"", NULL },
	{ "sku,name,price,pack_size\nA1,x,1,0\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 1, "t.csv:2:pack_size: \"0\": the quantity must be "
	    "more than 0", NULL },
	{ "sku,name,price,reorder_level\nA1,x,1,\"1,500\"\n", 0,
	    IMPORT_PRODUCTS, DUKA_EINPUT, 1, "t.csv:2:reorder_level: "
	    "\"1,500\": The quantity has a comma", NULL },
	{ "sku,name,price,barcode\nA1,x,1,6161101600071|6161101600071\n", 0,
	    IMPORT_PRODUCTS, DUKA_EINPUT, 1, "t.csv:2:barcode: the barcode "
	    "6161101600071 is listed twice", NULL },
	{ "sku,name,price,barcode\nA1,x,1,6161101600071\n"
	    "B2,y,1,5000112637922\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT, 1,
	    "t.csv:3:barcode: the barcode 5000112637922 is already used", NULL },
	{ "sku,name,price\nA 1,x,1\nB2,y,abc\n", 0, IMPORT_PRODUCTS,
	    DUKA_EINPUT, 2, "t.csv:2: the SKU \"A 1\" may hold only",
	    "t.csv:3:price:" },
	{ "sku,name,price\nA1,x,20000000\n", 0, IMPORT_PRODUCTS, DUKA_EINPUT,
	    1, "t.csv:2: x: the price must be between", NULL },
	{ "sku,name,price\nSEED-1,Seeded again,99\n", 0, IMPORT_PRODUCTS,
	    DUKA_OK, 0, NULL, NULL },

	/* Stock. */
	{ "code,qty\nNOPE-1,5\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:code: no product has the barcode or SKU \"NOPE-1\"", NULL },
	{ "code,qty\n6161101600018,5\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:code: Bad check digit", NULL },
	{ "code,qty\nBREAD-1,0\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:qty: \"0\": the quantity must be more than 0", NULL },
	{ "code,qty\nBREAD-1,\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:qty: a value is required", NULL },
	{ "code,qty,expiry,received\nMILK-500,5,2026-01-01,2026-02-01\n", 0,
	    IMPORT_STOCK, DUKA_EINPUT, 1, "t.csv:2:expiry: the expiry date "
	    "2026-01-01 is before the date received, 2026-02-01", NULL },
	{ "code,qty,expiry\nMILK-500,5,2026-01-01\n", 0, IMPORT_STOCK,
	    DUKA_EINPUT, 1, "t.csv:2:expiry: the expiry date 2026-01-01 is "
	    "before the date received, 2026-02-15", NULL },
	{ "code,qty,received\nBREAD-1,5,2026-03-01\n", 0, IMPORT_STOCK,
	    DUKA_EINPUT, 1, "t.csv:2:received: the date received, 2026-03-01, "
	    "is in the future", NULL },
	{ "code,qty\nMILK-500,5\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:expiry: Milk (SKU MILK-500) tracks expiry dates", NULL },
	{ "code,qty\nOLD-1,5\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:2:code: Old stock (SKU OLD-1) is inactive", NULL },
	{ "code,qty,batch\nBREAD-1,5,"
	    "0123456789012345678901234567890123456789012345678901234567890123X"
	    "\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1, "t.csv:2:batch:", NULL },
	{ "code\nBREAD-1\n", 0, IMPORT_STOCK, DUKA_EINPUT, 1,
	    "t.csv:1: the header lacks the column \"qty\"", NULL },
	{ "sku,quantity,Expiry Date\nBREAD-1,5,\n6161101600019,2,31/03/2026\n",
	    0, IMPORT_STOCK, DUKA_OK, 0, NULL, NULL },
	{ "code,qty,cost,price\nBREAD-1,5,12.345,-1\n", 0, IMPORT_STOCK,
	    DUKA_EINPUT, 2, "t.csv:2:cost: \"12.345\"",
	    "t.csv:2:price: \"-1\": the amount cannot be negative" },
};

/* Each small file gives the status and problems it must. */
START_TEST(test_cases)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512], csv[600];
	size_t len = cases[_i].len ? cases[_i].len : strlen(cases[_i].csv);
	struct db *db = tu_db_new(path, sizeof path);
	FILE *fp;
	int rc;

	seed_product(db, "MILK-500", "Milk", "6161101600019", 1, 1);
	seed_product(db, "BREAD-1", "Bread", NULL, 0, 1);
	seed_product(db, "OLD-1", "Old stock", NULL, 0, 0);
	seed_product(db, "SEED-1", "Seeded", "5000112637922", 0, 1);
	counts_get(db, &before);

	snprintf(csv, sizeof csv, "%s.csv", path);
	ck_assert_ptr_nonnull(fp = fopen(csv, "wb"));
	ck_assert_int_eq(fwrite(cases[_i].csv, 1, len, fp), len);
	fclose(fp);

	import_options_init(&o, cases[_i].kind);
	o.label = "t.csv";
	o.report = sink_report;
	o.ctx = &s;
	memset(&s, 0, sizeof s);
	rc = import_file(db, csv, &o, &res, &err);
	if (rc != cases[_i].rc || res.errors != cases[_i].errors) {
		int i;

		for (i = 0; i < s.n; i++)
			fprintf(stderr, "  reported: %s\n", s.msg[i]);
		ck_abort_msg("case %d: rc %d (want %d), %lld errors (want %d): "
		    "%s", _i, rc, cases[_i].rc, (long long)res.errors,
		    cases[_i].errors, err.msg);
	}
	ck_assert_int_eq(s.n, cases[_i].errors);
	if (cases[_i].want1 != NULL)
		assert_reported(&s, cases[_i].want1);
	if (cases[_i].want2 != NULL)
		assert_reported(&s, cases[_i].want2);
	if (rc != DUKA_OK)
		assert_unchanged(db, &before);
	ck_assert(!db_in_transaction(db));
	db_close(db);
}
END_TEST

/* Many bad rows: all counted, only the first max_reports passed on. */
START_TEST(test_many_errors)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	struct counts before;
	struct sink s;
	char path[512], csv[600];
	struct db *db = tu_db_new(path, sizeof path);
	FILE *fp;
	int i;

	snprintf(csv, sizeof csv, "%s.csv", path);
	ck_assert_ptr_nonnull(fp = fopen(csv, "wb"));
	fprintf(fp, "sku,name,price\n");
	for (i = 0; i < 120; i++)
		fprintf(fp, "S%d,Name %d,%s\n", i, i, i % 2 ? "1.001" : "x");
	fclose(fp);
	counts_get(db, &before);

	import_options_init(&o, IMPORT_PRODUCTS);
	o.label = "m.csv";
	o.report = sink_report;
	o.ctx = &s;
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(import_file(db, csv, &o, &res, &err), DUKA_EINPUT);
	ck_assert_int_eq(res.errors, 120);
	ck_assert_int_eq(res.rows, 120);
	ck_assert_int_eq(s.n, IMPORT_REPORT_DEFAULT);
	assert_reported(&s, "m.csv:2:price:");
	assert_reported(&s, "m.csv:51:price:");
	ck_assert(strstr(err.msg, "120 problems") != NULL);
	assert_unchanged(db, &before);
	db_close(db);
}
END_TEST

/* A file that cannot be opened is bad input and names itself. */
START_TEST(test_missing_file)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	import_options_init(&o, IMPORT_PRODUCTS);
	ck_assert_int_eq(import_file(db, "/nonexistent/x.csv", &o, &res, &err),
	    DUKA_EINPUT);
	ck_assert(strstr(err.msg, "/nonexistent/x.csv") != NULL);
	ck_assert(!db_in_transaction(db));
	db_close(db);
}
END_TEST

/* A long file read through a pipe-like stream crosses chunk boundaries. */
START_TEST(test_stream_chunks)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);
	FILE *fp = tmpfile();
	int i;

	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "sku,name,price,barcode\r\n");
	for (i = 0; i < 3000; i++)
		fprintf(fp, "K%05d,\"Item, number %d\nsecond line\",%d.25,\r\n",
		    i, i, i);
	fprintf(fp, "LAST,Last,abc,\r\n");
	rewind(fp);
	import_options_init(&o, IMPORT_PRODUCTS);
	o.label = "big.csv";
	o.report = sink_report;
	o.ctx = &s;
	o.dry_run = 1;
	o.max_reports = 100000;
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(import_stream(db, fp, &o, &res, &err), DUKA_EINPUT);
	fclose(fp);
	/* Every item has a control character in its name, and LAST a bad
	 * price; each item takes two lines. */
	ck_assert_int_eq(res.errors, 3001);
	assert_reported(&s, "big.csv:2:name:");
	assert_reported(&s, "big.csv:4:name:");
	assert_reported(&s, "big.csv:100:name:");
	ck_assert_msg(strncmp(s.last, "big.csv:6002:price: \"abc\"", 25) == 0,
	    "last: %s", s.last);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 0);
	db_close(db);
}
END_TEST

/* A CR LF pair split between two reads is still one line break. */
START_TEST(test_crlf_split)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	struct sink s;
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);
	FILE *fp = tmpfile();
	long i;

	ck_assert_ptr_nonnull(fp);
	/* Trailing blanks of an unquoted value are dropped: pad with them
	 * so that the CR is the last byte of the first 64 KiB read. */
	fputs("sku,name,price\r\nA1,x,1", fp);
	for (i = ftell(fp); i < 65535; i++)
		fputc(' ', fp);
	fputs("\r\nB2,y,abc\r\n", fp);
	rewind(fp);
	import_options_init(&o, IMPORT_PRODUCTS);
	o.label = "pad.csv";
	o.report = sink_report;
	o.ctx = &s;
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(import_stream(db, fp, &o, &res, &err), DUKA_EINPUT);
	fclose(fp);
	ck_assert_int_eq(res.errors, 1);
	ck_assert_int_eq(res.rows, 2);
	assert_reported(&s, "pad.csv:3:price:");
	db_close(db);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc;

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_good_file);
	tcase_add_test(tc, test_good_file_twice);
	tcase_add_test(tc, test_update_existing);
	tcase_add_test(tc, test_one_bad_row);
	tcase_add_test(tc, test_broken_quote);
	tcase_add_test(tc, test_bad_check_digit);
	tcase_add_test(tc, test_dup_barcode_in_file);
	tcase_add_test(tc, test_dup_barcode_in_db);
	tcase_add_test(tc, test_price_three_decimals);
	tcase_add_test(tc, test_unknown_column);
	tcase_add_test(tc, test_dry_run);
	tcase_add_test(tc, test_stock_import);
	tcase_add_test(tc, test_stock_feb30);
	suite_add_tcase(s, tc);

	tc = tcase_create("cases");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_cases, 0, NELEM(cases));
	tcase_add_test(tc, test_many_errors);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_stream_chunks);
	tcase_add_test(tc, test_crlf_split);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	/* A fixed clock and zone: "today" is 2026-02-15 in Nairobi. */
	setenv("DUKA_NOW", "2026-02-15T08:00:00Z", 1);
	if (date_set_timezone("Africa/Nairobi", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(import_suite());
}
