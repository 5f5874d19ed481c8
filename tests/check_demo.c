/*
 * check_demo.c - "duka demo": the demo shop's shape, its statuses, its
 * thirty days of real sales, its ledger passing duka check, and that it
 * never overwrites a real shop without --force.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "barcode.h"
#include "check.h"
#include "cli.h"
#include "date.h"
#include "inventory.h"
#include "settings.h"
#include "stock.h"
#include "testutil.h"

/* The app the command runs in; static because it is large. */
static struct app app;

/* Run "duka demo [--force]" on path as cli_main would. */
static int
run_demo_args(const char *path, int argc, char **argv, struct duka_err *err)
{
	int rc;

	memset(&app, 0, sizeof app);
	settings_defaults(&app.cfg);
	snprintf(app.db_path, sizeof app.db_path, "%s", path);
	rc = cmd_demo(&app, argc, argv, err);
	db_close(app.db);
	app.db = NULL;
	return rc;
}

static int
run_demo(const char *path, int force, struct duka_err *err)
{
	char *argv[] = { "demo", force ? "--force" : NULL, NULL };

	return run_demo_args(path, force ? 2 : 1, argv, err);
}

/* Build the demo into a new folder; path receives the database's path. */
static void
build(char *path, size_t n)
{
	struct duka_err err = { 0, "" };
	char dir[256];

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, n, "%s/shop.db", dir);
	if (run_demo(path, 0, &err) != DUKA_OK)
		ck_abort_msg("duka demo: %s", err.msg);
}

static struct db *
open_existing(const char *path)
{
	struct duka_err err = { 0, "" };
	struct db *db = NULL;

	if (db_open(path, DB_OPEN_EXISTING, &db, &err) != DUKA_OK)
		ck_abort_msg("db_open %s: %s", path, err.msg);
	return db;
}

/* Run a query that returns one text value (copied into out). */
static void
tu_text(struct db *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	const unsigned char *s;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (s = sqlite3_column_text(st, 0)) != NULL)
		snprintf(out, n, "%s", (const char *)s);
	sqlite3_finalize(st);
}

/* Count batches with stock whose expiry lies in [today+from, today+to]. */
static int64_t
batches_expiring(struct db *db, int64_t from, int64_t to)
{
	char today[DATE_LEN], a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;
	int64_t v = -1;

	date_today(today);
	date_add_days(today, from, a);
	date_add_days(today, to, b);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db),
	    "SELECT count(*) FROM batches WHERE qty_remaining > 0 AND "
	    "expiry_date BETWEEN ?1 AND ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Row counts that any change to the shop would move. */
struct snapshot {
	int64_t products, barcodes, batches, movements, outbox, meta, stock;
	int64_t categories, suppliers;
};

static void
snap(struct db *db, struct snapshot *s)
{
	s->products = tu_int(db, "SELECT count(*) FROM products");
	s->barcodes = tu_int(db, "SELECT count(*) FROM barcodes");
	s->batches = tu_int(db, "SELECT count(*) FROM batches");
	s->movements = tu_int(db, "SELECT count(*) FROM stock_movements");
	s->outbox = tu_int(db, "SELECT count(*) FROM outbox");
	s->meta = tu_int(db, "SELECT count(*) FROM shop_meta");
	s->stock = tu_int(db, "SELECT coalesce(sum(stock_qty), 0) "
	    "FROM products");
	s->categories = tu_int(db, "SELECT count(*) FROM categories");
	s->suppliers = tu_int(db, "SELECT count(*) FROM suppliers");
}

static void
snap_eq(const struct snapshot *a, const struct snapshot *b)
{
	ck_assert_int_eq(a->products, b->products);
	ck_assert_int_eq(a->barcodes, b->barcodes);
	ck_assert_int_eq(a->batches, b->batches);
	ck_assert_int_eq(a->movements, b->movements);
	ck_assert_int_eq(a->outbox, b->outbox);
	ck_assert_int_eq(a->meta, b->meta);
	ck_assert_int_eq(a->stock, b->stock);
	ck_assert_int_eq(a->categories, b->categories);
	ck_assert_int_eq(a->suppliers, b->suppliers);
}

/* Size and catalogue: products, categories, suppliers, units, VAT. */
START_TEST(test_catalogue)
{
	char path[512];
	struct db *db;
	int64_t n, price;

	build(path, sizeof path);
	db = open_existing(path);
	n = tu_int(db, "SELECT count(*) FROM products");
	ck_assert_int_ge(n, 180);
	ck_assert_int_le(n, 260);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products "
	    "WHERE active = 1"), n);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM categories"), 12);
	ck_assert_int_le(tu_int(db, "SELECT count(*) FROM categories"), 16);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM suppliers"), 8);
	/* Every category and supplier is used; every product has both. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM categories c WHERE "
	    "NOT EXISTS (SELECT 1 FROM products WHERE category_id = c.id)"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM suppliers s WHERE "
	    "NOT EXISTS (SELECT 1 FROM products WHERE supplier_id = s.id)"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "category_id IS NULL OR supplier_id IS NULL"), 0);
	/* Short, readable SKUs. */
	ck_assert_int_le(tu_int(db, "SELECT max(length(sku)) FROM products"),
	    20);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products "
	    "WHERE sku <> upper(sku)"), 0);
	/* Costs below prices: 10-25% for goods, about 5% for airtime. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "cost <= 0 OR cost >= price"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p JOIN "
	    "categories c ON c.id = p.category_id WHERE c.name <> 'Airtime' "
	    "AND (cost * 100 < price * 74 OR cost * 100 > price * 90)"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p JOIN "
	    "categories c ON c.id = p.category_id WHERE c.name = 'Airtime' "
	    "AND cost * 100 < price * 93"), 0);
	/* Real shelf prices. */
	ck_assert_int_eq(tu_int(db, "SELECT price FROM products "
	    "WHERE sku = 'COKE500ML'"), 8000);
	price = tu_int(db, "SELECT price FROM products "
	    "WHERE sku = 'JOGOO2KG'");
	ck_assert(price >= 18000 && price <= 23000);
	price = tu_int(db, "SELECT price FROM products "
	    "WHERE sku = 'MUMIAS1KG'");
	ck_assert(price >= 19000 && price <= 22000);
	/* Units and VAT classes. */
	ck_assert_str_eq(tax_class_name(TAX_EXEMPT), "exempt");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "sku = 'TOMATOES' AND unit = 'kg' AND tax_class = 'exempt' AND "
	    "tracks_expiry = 1"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "sku = 'PARAFFIN' AND unit = 'litre' AND tax_class = 'standard'"),
	    1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "sku IN ('JOGOO2KG', 'SUPALOAF400G', 'BROOKSIDE500ML') AND "
	    "tax_class = 'zero'"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "sku = 'SAF100' AND tax_class = 'standard' AND tracks_expiry = 0"),
	    1);
	ck_assert_int_gt(tu_int(db, "SELECT count(*) FROM products "
	    "WHERE unit = 'kg'"), 5);
	ck_assert_int_gt(tu_int(db, "SELECT count(*) FROM products "
	    "WHERE tax_class = 'standard'"), n / 2);
	/* Levels that a reorder report can use. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "reorder_level <= 0 OR reorder_qty < pack_size OR "
	    "reorder_qty % pack_size <> 0"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "pack_size < 1000"), 0);
	db_close(db);
}
END_TEST

/* Every GS1 code has a valid check digit; loose goods have shop codes. */
START_TEST(test_barcodes)
{
	struct duka_err err = { 0, "" };
	enum barcode_kind kind;
	char path[512], out[BARCODE_MAX];
	sqlite3_stmt *st;
	struct db *db;
	const char *code;
	int64_t ean = 0;

	build(path, sizeof path);
	db = open_existing(path);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT code "
	    "FROM barcodes WHERE code NOT GLOB '*[^0-9]*'", -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		code = (const char *)sqlite3_column_text(st, 0);
		ck_assert_uint_eq(strlen(code), 13);
		if (barcode_normalize(code, out, &kind, &err) != DUKA_OK)
			ck_abort_msg("%s: %s", code, err.msg);
		ck_assert_str_eq(out, code);
		ck_assert_int_eq(kind, BARCODE_EAN13);
		ck_assert_int_eq(barcode_is_gtin(code), 1);
		ean++;
	}
	sqlite3_finalize(st);
	ck_assert_int_ge(ean, 150);
	/* Kenyan GS1 prefix, except the few imported (UPC-A) packs. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM barcodes "
	    "WHERE code GLOB '616*'"), ean - 5);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM barcodes "
	    "WHERE code GLOB '0*' AND kind = 'UPC-A'"), 1);
	/* A few products carry two codes. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM (SELECT product_id "
	    "FROM barcodes GROUP BY product_id HAVING count(*) = 2)"), 3);
	/* Every loose (kg, litre) product has an internal code. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p WHERE "
	    "unit <> 'piece' AND NOT EXISTS (SELECT 1 FROM barcodes b WHERE "
	    "b.product_id = p.id AND b.code GLOB '*[A-Z]*')"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM barcodes b JOIN "
	    "products p ON p.id = b.product_id WHERE b.code = 'TOM1' AND "
	    "p.sku = 'TOMATOES'"), 1);
	/* Airtime is found by SKU; everything else by a barcode. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p JOIN "
	    "categories c ON c.id = p.category_id WHERE c.name <> 'Airtime' "
	    "AND NOT EXISTS (SELECT 1 FROM barcodes b "
	    "WHERE b.product_id = p.id)"), 0);
	db_close(db);
}
END_TEST

/* Low, out, near expiry and expired all appear; dates make sense. */
START_TEST(test_statuses)
{
	struct duka_err err = { 0, "" };
	struct inventory_summary s;
	char path[512], today[DATE_LEN];
	sqlite3_stmt *st;
	struct db *db;

	build(path, sizeof path);
	db = open_existing(path);
	if (inventory_summary(db, 30, &s, &err) != DUKA_OK)
		ck_abort_msg("inventory_summary: %s", err.msg);
	ck_assert_int_ge(s.low, 1);
	ck_assert_int_ge(s.out, 1);
	ck_assert_int_ge(s.near_expiry, 1);
	ck_assert_int_ge(s.expired, 1);
	ck_assert_int_eq(s.negative, 0);
	ck_assert_int_gt(s.value_at_cost, 0);
	ck_assert_int_gt(s.value_at_price, s.value_at_cost);
	/* The same from the tables themselves. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "stock_qty > 0 AND stock_qty <= reorder_level"), 1);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "stock_qty = 0"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "stock_qty < 0"), 0);
	ck_assert_int_ge(batches_expiring(db, 0, 30), 1);
	ck_assert_int_ge(batches_expiring(db, -400, -1), 1);
	ck_assert_int_ge(batches_expiring(db, 31, 4000), 1);
	/* Most products are neither low nor out. */
	ck_assert_int_lt(s.low + s.out, s.products / 5);
	/* Only products that track expiry have dated batches. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM batches b JOIN "
	    "products p ON p.id = b.product_id WHERE "
	    "(b.expiry_date IS NULL) = (p.tracks_expiry = 1)"), 0);
	/* Deliveries are in the past, before expiry, with a reference. */
	date_today(today);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT count(*) "
	    "FROM batches WHERE received_date >= ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int64(st, 0), 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM batches "
	    "WHERE expiry_date < received_date"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'receive' AND (reference IS NULL OR "
	    "reference = '')"), 0);
	/* Some products came in more than one batch. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM (SELECT product_id "
	    "FROM batches GROUP BY product_id HAVING count(*) > 1)"), 20);
	/* Every product has been delivered at least once. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p WHERE "
	    "NOT EXISTS (SELECT 1 FROM batches WHERE product_id = p.id)"), 0);
	db_close(db);
}
END_TEST

/* duka check finds nothing wrong with the demo's ledger. */
START_TEST(test_checks_pass)
{
	struct duka_err err = { 0, "" };
	struct check_report r = { 0, NULL, NULL };
	char path[512];
	struct db *db;

	build(path, sizeof path);
	db = open_existing(path);
	if (stock_check_levels(db, &r, &err) != DUKA_OK)
		ck_abort_msg("stock_check_levels: %s", err.msg);
	ck_assert_int_eq(r.problems, 0);
	if (stock_check_batches(db, &r, &err) != DUKA_OK)
		ck_abort_msg("stock_check_batches: %s", err.msg);
	ck_assert_int_eq(r.problems, 0);
	if (check_all(db, &r, &err) != DUKA_OK)
		ck_abort_msg("check_all: %s", err.msg);
	ck_assert_int_eq(r.problems, 0);
	/* The cached level equals the ledger, and the batches' remainders. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p WHERE "
	    "stock_qty <> (SELECT coalesce(sum(qty), 0) FROM stock_movements "
	    "WHERE product_id = p.id) OR stock_qty <> (SELECT "
	    "coalesce(sum(qty_remaining), 0) FROM batches "
	    "WHERE product_id = p.id)"), 0);
	/* Every change went to the outbox: a movement with its own event,
	 * a sale's movements with the sale's. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM outbox "
	    "WHERE type = 'stock.moved'"),
	    tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason <> 'sale'"));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox "
	    "WHERE type = 'sale.completed'"),
	    tu_int(db, "SELECT count(*) FROM sales"));
	/* Every sold unit left through a sale: no bare "sale" movements. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements m "
	    "WHERE reason = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s "
	    "WHERE m.reference = s.till_id || '-' || "
	    "printf('%06d', s.receipt_no))"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'sale'"), tu_int(db, "SELECT count(*) FROM "
	    "sale_allocations"));
	db_close(db);
}
END_TEST

/* Count rows of sql (one bound date: today + days) as one integer. */
static int64_t
count_since(struct db *db, const char *sql, int64_t days)
{
	char today[DATE_LEN], from[DATE_LEN];
	sqlite3_stmt *st;
	int64_t v = -1;

	date_today(today);
	date_add_days(today, days, from);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Thirty days of real sales: shifts with Z reports, and Kenyan payments. */
START_TEST(test_sales_history)
{
	struct duka_err err = { 0, "" };
	struct check_report r = { 0, NULL, NULL };
	char path[512];
	struct db *db;
	int64_t shifts, sales;

	build(path, sizeof path);
	db = open_existing(path);
	if (check_all(db, &r, &err) != DUKA_OK)
		ck_abort_msg("check_all: %s", err.msg);
	ck_assert_int_eq(r.problems, 0);

	/* Sales on at least 25 of the last 30 days; none today or later. */
	sales = tu_int(db, "SELECT count(*) FROM sales");
	ck_assert_int_ge(sales, 30 * 20);
	ck_assert_int_ge(count_since(db, "SELECT count(DISTINCT business_day) "
	    "FROM sales WHERE business_day >= ?1", -30), 25);
	ck_assert_int_eq(count_since(db, "SELECT count(*) FROM sales "
	    "WHERE business_day >= ?1", 0), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sales WHERE "
	    "kind <> 'sale' OR state <> 'completed' OR till_id <> '1'"), 0);
	ck_assert_int_ge(tu_int(db, "SELECT max(n) FROM (SELECT count(*) AS n "
	    "FROM sale_lines GROUP BY sale_id)"), 3);

	/* Every day's shift is closed with a Z, numbered 1..N, one a day. */
	shifts = tu_int(db, "SELECT count(*) FROM shifts");
	ck_assert_int_ge(shifts, 25);
	ck_assert_int_le(shifts, 31);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "state = 'closed' AND closed_at > opened_at AND "
	    "counted_cash IS NOT NULL AND float_cash > 0"), shifts);
	ck_assert_int_eq(tu_int(db, "SELECT count(DISTINCT z_number) FROM "
	    "shifts"), shifts);
	ck_assert_int_eq(tu_int(db, "SELECT min(z_number) FROM shifts"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT max(z_number) FROM shifts"),
	    shifts);
	ck_assert_int_eq(tu_int(db, "SELECT count(DISTINCT business_day) "
	    "FROM sales"), tu_int(db, "SELECT count(DISTINCT shift_id) "
	    "FROM sales"));
	/* A few drawers were a little over or short, most were right. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM shifts "
	    "WHERE counted_cash <> expected_cash"), 1);
	ck_assert_int_le(tu_int(db, "SELECT count(*) FROM shifts "
	    "WHERE counted_cash <> expected_cash"), shifts / 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "abs(counted_cash - expected_cash) > 10000"), 0);

	/* Cash with change: handed over in round notes. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM payments "
	    "WHERE method = 'cash' AND change_due > 0"), sales / 10);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM payments WHERE "
	    "method = 'cash' AND (tendered - amount <> change_due OR "
	    "change_due < 0 OR (change_due > 0 AND tendered % 5000 <> 0))"),
	    0);
	/* M-PESA: unique ten-character codes that start with a letter. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM payments "
	    "WHERE method = 'mpesa'"), sales / 4);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM payments WHERE "
	    "method = 'mpesa' AND (state <> 'paid' OR length(reference) <> 10 "
	    "OR reference NOT GLOB '[A-Z]*' OR "
	    "reference GLOB '*[^A-Z0-9]*')"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(reference) - "
	    "count(DISTINCT reference) FROM (SELECT reference FROM payments "
	    "WHERE method = 'mpesa' UNION ALL SELECT reference FROM "
	    "customer_payments WHERE method = 'mpesa')"), 0);
	/* A little card, a few sales on account and a split payment. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM payments "
	    "WHERE method = 'card' AND reference <> ''"), 1);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM payments "
	    "WHERE method = 'account'"), 2);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM (SELECT sale_id "
	    "FROM payments GROUP BY sale_id HAVING count(*) > 1)"), 1);
	/* The customers on account: within their limits, having paid some. */
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM customers "
	    "WHERE credit_limit > 0"), 2);
	ck_assert_int_le(tu_int(db, "SELECT count(*) FROM customers"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM customers WHERE "
	    "balance < 0 OR balance > credit_limit"), 0);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM customer_payments"),
	    1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM payments p JOIN "
	    "sales s ON s.id = p.sale_id WHERE p.method = 'account' AND "
	    "(s.customer_id IS NULL OR p.customer_id <> s.customer_id)"), 0);
	db_close(db);
}
END_TEST

/* The demo is marked; the caller's clock is given back. */
START_TEST(test_meta_and_clock)
{
	struct duka_err err = { 0, "" };
	char path[512], dir[256], v[64];
	struct db *db;

	unsetenv("DUKA_NOW");
	build(path, sizeof path);
	ck_assert_ptr_null(getenv("DUKA_NOW"));
	db = open_existing(path);
	tu_text(db, "SELECT value FROM shop_meta WHERE key = 'demo'", v,
	    sizeof v);
	ck_assert_str_eq(v, "1");
	/* History is dated in the past, not all at one instant. */
	ck_assert_int_gt(tu_int(db, "SELECT count(DISTINCT substr(at, 1, 10)) "
	    "FROM stock_movements"), 20);
	db_close(db);

	/* A fixed clock: the shop is built around that day and it stays. */
	setenv("DUKA_NOW", "2026-03-10T09:00:00Z", 1);
	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/shop.db", dir);
	if (run_demo(path, 0, &err) != DUKA_OK)
		ck_abort_msg("duka demo: %s", err.msg);
	ck_assert_str_eq(getenv("DUKA_NOW"), "2026-03-10T09:00:00Z");
	db = open_existing(path);
	tu_text(db, "SELECT max(received_date) FROM batches", v, sizeof v);
	ck_assert_str_lt(v, "2026-03-10");
	ck_assert_str_ge(v, "2026-02-20");
	tu_text(db, "SELECT min(received_date) FROM batches", v, sizeof v);
	ck_assert_str_ge(v, "2026-01-01");
	/* Stamps are UTC: yesterday evening in shop time is before noon UTC
	 * today in any time zone; the shop's dates are checked below. */
	tu_text(db, "SELECT max(at) FROM stock_movements", v, sizeof v);
	ck_assert_str_lt(v, "2026-03-10T12");
	tu_text(db, "SELECT min(created_at) FROM products", v, sizeof v);
	ck_assert_str_lt(v, "2026-01-20");
	/* Thirty days of sales, up to yesterday. */
	tu_text(db, "SELECT max(business_day) FROM sales", v, sizeof v);
	ck_assert_str_eq(v, "2026-03-09");
	tu_text(db, "SELECT min(business_day) FROM sales", v, sizeof v);
	ck_assert_str_ge(v, "2026-02-08");
	tu_text(db, "SELECT max(closed_at) FROM shifts", v, sizeof v);
	ck_assert_str_lt(v, "2026-03-10T12");
	db_close(db);
	unsetenv("DUKA_NOW");
}
END_TEST

/* Two runs make the same shop (time stamps and event ids apart). */
START_TEST(test_deterministic)
{
	static const char fingerprint[] =
	    "SELECT (SELECT group_concat(x, ';') FROM (SELECT sku || '|' || "
	    "name || '|' || price || '|' || cost || '|' || reorder_level || "
	    "'|' || reorder_qty || '|' || stock_qty AS x FROM products "
	    "ORDER BY id)) || '#' || (SELECT group_concat(code, ';') FROM "
	    "(SELECT code FROM barcodes ORDER BY code)) || '#' || "
	    "(SELECT group_concat(x, ';') FROM (SELECT batch_no || '|' || "
	    "received_date || '|' || coalesce(expiry_date, '') || '|' || "
	    "qty_received || '|' || qty_remaining AS x FROM batches "
	    "ORDER BY id)) || '#' || (SELECT group_concat(x, ';') FROM "
	    "(SELECT receipt_no || '|' || business_day || '|' || total || "
	    "'|' || coalesce(customer_id, '') AS x FROM sales ORDER BY id)) "
	    "|| '#' || (SELECT group_concat(x, ';') FROM (SELECT method || "
	    "'|' || amount || '|' || coalesce(tendered, '') || '|' || "
	    "coalesce(reference, '') AS x FROM payments ORDER BY id)) || "
	    "'#' || (SELECT group_concat(x, ';') FROM (SELECT z_number || "
	    "'|' || expected_cash || '|' || counted_cash AS x FROM shifts "
	    "ORDER BY id))";
	char a[512], b[512];
	struct db *da, *db;
	char *fa, *fb;

	build(a, sizeof a);
	build(b, sizeof b);
	fa = malloc(1 << 22);
	fb = malloc(1 << 22);
	ck_assert_ptr_nonnull(fa);
	ck_assert_ptr_nonnull(fb);
	da = open_existing(a);
	db = open_existing(b);
	tu_text(da, fingerprint, fa, 1 << 22);
	tu_text(db, fingerprint, fb, 1 << 22);
	ck_assert_uint_gt(strlen(fa), 10000);
	ck_assert_str_eq(fa, fb);
	db_close(da);
	db_close(db);
	free(fa);
	free(fb);
}
END_TEST

/* A second run without --force is refused and changes nothing. */
START_TEST(test_refuses_existing_shop)
{
	struct duka_err err = { 0, "" };
	struct snapshot before, after;
	char path[512];
	struct db *db;

	build(path, sizeof path);
	db = open_existing(path);
	snap(db, &before);
	db_close(db);
	ck_assert_int_eq(run_demo(path, 0, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, "--force"));
	db = open_existing(path);
	snap(db, &after);
	db_close(db);
	snap_eq(&before, &after);
}
END_TEST

/* A real shop's database (one product) is refused too. */
START_TEST(test_refuses_real_shop)
{
	struct duka_err err = { 0, "" };
	struct snapshot before, after;
	struct product p;
	char path[512];
	struct db *db;

	db = tu_db_new(path, sizeof path);
	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "MYSOAP");
	snprintf(p.name, sizeof p.name, "My own soap");
	p.price = 5000;
	if (catalog_product_add(db, &p, "test", &err) != DUKA_OK)
		ck_abort_msg("catalog_product_add: %s", err.msg);
	snap(db, &before);
	db_close(db);
	ck_assert_int_eq(run_demo(path, 0, &err), DUKA_EINPUT);
	db = open_existing(path);
	snap(db, &after);
	db_close(db);
	snap_eq(&before, &after);
	ck_assert_int_eq(before.products, 1);
}
END_TEST

/* --force deletes the old database and builds the demo anew. */
START_TEST(test_force_rebuilds)
{
	struct duka_err err = { 0, "" };
	struct snapshot fresh, again;
	struct product p;
	char path[512];
	struct db *db;

	build(path, sizeof path);
	db = open_existing(path);
	snap(db, &fresh);
	/* Something the demo would never make, to see it go. */
	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "MYSOAP");
	snprintf(p.name, sizeof p.name, "My own soap");
	p.price = 5000;
	if (catalog_product_add(db, &p, "test", &err) != DUKA_OK)
		ck_abort_msg("catalog_product_add: %s", err.msg);
	db_close(db);
	if (run_demo(path, 1, &err) != DUKA_OK)
		ck_abort_msg("duka demo --force: %s", err.msg);
	db = open_existing(path);
	snap(db, &again);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products "
	    "WHERE sku = 'MYSOAP'"), 0);
	db_close(db);
	snap_eq(&fresh, &again);
}
END_TEST

/* --force also replaces a file that is not a duka database. */
START_TEST(test_force_replaces_foreign_file)
{
	struct duka_err err = { 0, "" };
	char dir[256], path[512], buf[64];
	FILE *fp;
	struct db *db;

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("shopping list: sugar, unga\n", fp);
	fclose(fp);
	ck_assert_int_ne(run_demo(path, 0, &err), DUKA_OK);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "shopping list: sugar, unga\n");
	if (run_demo(path, 1, &err) != DUKA_OK)
		ck_abort_msg("duka demo --force: %s", err.msg);
	db = open_existing(path);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM products"), 180);
	db_close(db);
}
END_TEST

/* An empty database (after duka init) is filled in place. */
START_TEST(test_fills_empty_database)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db;

	db = tu_db_new(path, sizeof path);
	db_close(db);
	if (run_demo(path, 0, &err) != DUKA_OK)
		ck_abort_msg("duka demo: %s", err.msg);
	db = open_existing(path);
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM products"), 180);
	db_close(db);
}
END_TEST

/* A folder at the path is refused, even with --force. */
START_TEST(test_folder_refused)
{
	struct duka_err err = { 0, "" };
	struct stat sb;
	char dir[256];

	tu_tmpdir(dir, sizeof dir);
	ck_assert_int_eq(run_demo(dir, 0, &err), DUKA_EINPUT);
	ck_assert_int_eq(run_demo(dir, 1, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "folder"));
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
}
END_TEST

/* Bad arguments are refused before any file is made; --help makes none. */
START_TEST(test_arguments)
{
	static const struct {
		const char *arg;
		int rc;
	} cases[] = {
		{ "--bogus", DUKA_EUSAGE },
		{ "-f", DUKA_EUSAGE },
		{ "extra", DUKA_EUSAGE },
		{ "--force=yes", DUKA_EUSAGE },
		{ "--help", DUKA_OK },
		{ "-h", DUKA_OK },
	};
	struct duka_err err = { 0, "" };
	char dir[256], path[512], arg[32];
	struct stat sb;
	size_t i;

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/shop.db", dir);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[] = { "demo", arg, NULL };

		snprintf(arg, sizeof arg, "%s", cases[i].arg);
		err.msg[0] = '\0';
		ck_assert_int_eq(run_demo_args(path, 2, argv, &err),
		    cases[i].rc);
		if (cases[i].rc != DUKA_OK)
			ck_assert_ptr_nonnull(strstr(err.msg, cases[i].arg));
		ck_assert_int_eq(stat(path, &sb), -1);
		ck_assert_int_eq(errno, ENOENT);
	}
}
END_TEST

/* A failure half-way leaves no half shop, and the clock is given back. */
START_TEST(test_failure_leaves_nothing)
{
	struct duka_err err = { 0, "" };
	struct snapshot before, after;
	char path[512], v[64];
	struct db *db;

	unsetenv("DUKA_NOW");
	db = tu_db_new(path, sizeof path);
	/* The disk "fills up" after a hundred deliveries. */
	tu_exec(db, "CREATE TRIGGER full BEFORE INSERT ON batches "
	    "WHEN (SELECT count(*) FROM batches) >= 100 "
	    "BEGIN SELECT RAISE(ABORT, 'disk full'); END");
	snap(db, &before);
	db_close(db);
	ck_assert_int_ne(run_demo(path, 0, &err), DUKA_OK);
	ck_assert_str_ne(err.msg, "");
	ck_assert_ptr_null(getenv("DUKA_NOW"));
	db = open_existing(path);
	snap(db, &after);
	snap_eq(&before, &after);
	ck_assert_int_eq(after.products, 0);
	tu_text(db, "SELECT count(*) FROM shop_meta WHERE key = 'demo'", v,
	    sizeof v);
	ck_assert_str_eq(v, "0");
	db_close(db);
}
END_TEST

/* The demo shop is built whole; how long it took is printed, not judged
 * (speed belongs to make bench, not to pass/fail tests). */
START_TEST(test_fast)
{
	struct timespec t0, t1;
	char path[512];
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	build(path, sizeof path);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	fprintf(stderr, "check_demo: the demo shop took %lld ms\n",
	    (long long)ms);
}
END_TEST

static Suite *
demo_suite(void)
{
	Suite *s = suite_create("demo");
	TCase *tc = tcase_create("demo");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_catalogue);
	tcase_add_test(tc, test_barcodes);
	tcase_add_test(tc, test_statuses);
	tcase_add_test(tc, test_checks_pass);
	tcase_add_test(tc, test_sales_history);
	tcase_add_test(tc, test_meta_and_clock);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_refuses_existing_shop);
	tcase_add_test(tc, test_refuses_real_shop);
	tcase_add_test(tc, test_force_rebuilds);
	tcase_add_test(tc, test_force_replaces_foreign_file);
	tcase_add_test(tc, test_fills_empty_database);
	tcase_add_test(tc, test_folder_refused);
	tcase_add_test(tc, test_arguments);
	tcase_add_test(tc, test_failure_leaves_nothing);
	tcase_add_test(tc, test_fast);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(demo_suite());
}
