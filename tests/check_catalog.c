/*
 * check_catalog.c - unit tests for catalog.c: adding, changing,
 * deactivating and deleting products, every validation of a product's
 * fields, barcodes in all their forms, finding, the as-you-type search and
 * its index, the product.changed outbox events, categories and suppliers,
 * and nesting inside an outer transaction. Every refusal is checked to
 * change nothing (row counts of every catalog table and the outbox).
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "outbox.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"
#define NOW TODAY "T09:00:00Z"
#define STAMP TODAY "T09:00:00.000Z"	/* NOW as stored */

static struct db *db;
static char dbpath[512];

/* Row counts of everything a catalog change may touch. */
struct counts {
	int64_t products, barcodes, fts, outbox, categories, suppliers;
};

/* Take the row counts now. */
static void
counts_take(struct counts *c)
{
	c->products = tu_int(db, "SELECT count(*) FROM products");
	c->barcodes = tu_int(db, "SELECT count(*) FROM barcodes");
	c->fts = tu_int(db, "SELECT count(*) FROM products_fts");
	c->outbox = tu_int(db, "SELECT count(*) FROM outbox");
	c->categories = tu_int(db, "SELECT count(*) FROM categories");
	c->suppliers = tu_int(db, "SELECT count(*) FROM suppliers");
}

/* Assert that no row count changed since before was taken. */
static void
counts_same(const struct counts *before, const char *why)
{
	struct counts now;

	counts_take(&now);
	ck_assert_msg(now.products == before->products,
	    "%s: products %lld -> %lld", why, (long long)before->products,
	    (long long)now.products);
	ck_assert_msg(now.barcodes == before->barcodes,
	    "%s: barcodes %lld -> %lld", why, (long long)before->barcodes,
	    (long long)now.barcodes);
	ck_assert_msg(now.fts == before->fts, "%s: products_fts %lld -> %lld",
	    why, (long long)before->fts, (long long)now.fts);
	ck_assert_msg(now.outbox == before->outbox, "%s: outbox %lld -> %lld",
	    why, (long long)before->outbox, (long long)now.outbox);
	ck_assert_msg(now.categories == before->categories,
	    "%s: categories %lld -> %lld", why, (long long)before->categories,
	    (long long)now.categories);
	ck_assert_msg(now.suppliers == before->suppliers,
	    "%s: suppliers %lld -> %lld", why, (long long)before->suppliers,
	    (long long)now.suppliers);
}

/* Assert that msg holds want, showing both when it does not. */
#define ck_assert_has(msg, want) \
	ck_assert_msg(strstr((msg), (want)) != NULL, \
	    "message \"%s\" lacks \"%s\"", (msg), (want))

/* A product with the defaults and the given SKU, name and price. */
static void
prod(struct product *p, const char *sku, const char *name, int64_t price)
{
	product_init(p);
	snprintf(p->sku, sizeof p->sku, "%s", sku);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->price = price;
	p->cost = price / 2;
}

/* Add a product that must be accepted; returns its id. */
static int64_t
add(const char *sku, const char *name, int64_t price)
{
	struct duka_err err = { 0, "" };
	struct product p;

	prod(&p, sku, name, price);
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	ck_assert_int_gt(p.id, 0);
	return p.id;
}

/* Add a barcode that must be accepted. */
static void
add_code(int64_t id, const char *code)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(catalog_barcode_add(db, id, code, NULL, &err) == DUKA_OK,
	    "%s: %s", code, err.msg);
}

/* Read a product that must exist. */
static void
get(int64_t id, struct product *p)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(catalog_product_get(db, id, p, &err) == DUKA_OK,
	    "get %lld: %s", (long long)id, err.msg);
}

/* Count rows of a query with one integer parameter. */
static int64_t
count_id(const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Count products_fts rows matching an FTS5 query. */
static int64_t
fts_count(const char *match)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT count(*) "
	    "FROM products_fts WHERE products_fts MATCH ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The data of the newest outbox event, which must be product.changed. */
static json_t *
last_event(void)
{
	json_error_t jerr;
	sqlite3_stmt *st;
	json_t *data;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT type, data "
	    "FROM outbox ORDER BY seq DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
	    "product.changed");
	data = json_loads((const char *)sqlite3_column_text(st, 1), 0, &jerr);
	sqlite3_finalize(st);
	ck_assert_msg(data != NULL, "event data is not JSON: %s", jerr.text);
	ck_assert(json_is_object(data));
	return data;
}

/* Barcodes of a product as "CODE/kind CODE/kind". */
struct codes {
	char text[512];
	int n;
};

static void
codes_add(void *ctx, const char *code, const char *kind)
{
	struct codes *c = ctx;
	size_t o = strlen(c->text);

	snprintf(c->text + o, sizeof c->text - o, "%s%s/%s", c->n ? " " : "",
	    code, kind);
	c->n++;
}

/* The barcodes of product id as one line. */
static const char *
codes_of(int64_t id, struct codes *c)
{
	struct duka_err err = { 0, "" };

	memset(c, 0, sizeof *c);
	ck_assert_msg(catalog_barcodes(db, id, codes_add, c, &err) == DUKA_OK,
	    "%s", err.msg);
	return c->text;
}

/* The "barcodes" array of event data as one space-separated line. */
static void
event_codes(json_t *data, char *out, size_t n)
{
	json_t *arr = json_object_get(data, "barcodes"), *v;
	size_t i, o = 0;

	out[0] = '\0';
	ck_assert(json_is_array(arr));
	json_array_foreach(arr, i, v) {
		ck_assert(json_is_string(v));
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "",
		    json_string_value(v));
	}
}

static void
setup(void)
{
	setenv("DUKA_NOW", NOW, 1);
	db = tu_db_new(dbpath, sizeof dbpath);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Units: names and every accepted word. */
START_TEST(test_units)
{
	static const struct {
		const char *text;
		int rc;
		enum product_unit unit;
	} cases[] = {
		{ "piece", DUKA_OK, UNIT_PIECE }, { "PCS", DUKA_OK, UNIT_PIECE },
		{ " kipande ", DUKA_OK, UNIT_PIECE },
		{ "each", DUKA_OK, UNIT_PIECE }, { "kg", DUKA_OK, UNIT_KG },
		{ "Kilo", DUKA_OK, UNIT_KG }, { "l", DUKA_OK, UNIT_LITRE },
		{ "lita", DUKA_OK, UNIT_LITRE }, { "liter", DUKA_OK, UNIT_LITRE },
		{ "", DUKA_EINPUT, 0 }, { "gram", DUKA_EINPUT, 0 },
		{ "kgs of flour and more", DUKA_EINPUT, 0 },
	};
	struct duka_err err;
	enum product_unit u;
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		duka_err_clear(&err);
		u = (enum product_unit)99;
		ck_assert_msg(product_unit_parse(cases[i].text, &u, &err) ==
		    cases[i].rc, "%s", cases[i].text);
		if (cases[i].rc == DUKA_OK)
			ck_assert_int_eq(u, cases[i].unit);
		else {
			ck_assert_int_eq(u, 99);
			ck_assert_has(err.msg, cases[i].text);
		}
	}
	ck_assert_str_eq(product_unit_name(UNIT_PIECE), "piece");
	ck_assert_str_eq(product_unit_name(UNIT_KG), "kg");
	ck_assert_str_eq(product_unit_name(UNIT_LITRE), "litre");
	ck_assert_str_eq(product_unit_name((enum product_unit)7), "piece");
}
END_TEST

/* A good product with every field set reads back as written. */
START_TEST(test_add_good)
{
	struct duka_err err = { 0, "" };
	struct product p, q;
	int64_t cat, sup;

	ck_assert_int_eq(catalog_category_ensure(db, "Dry goods", &cat, &err),
	    DUKA_OK);
	ck_assert_int_eq(catalog_supplier_ensure(db, "Mumias Ltd", "0722000000",
	    7, &sup, &err), DUKA_OK);
	prod(&p, "  SUG1 ", "  Mumias Sugar 1kg\t", 15000);
	p.category_id = cat;
	p.supplier_id = sup;
	p.unit = UNIT_KG;
	p.cost = 12050;
	p.tax = TAX_ZERO;
	p.reorder_level = 5000;
	p.reorder_qty = 24000;
	p.pack_size = 12000;
	p.lead_time_days = 3;
	p.tracks_expiry = 1;
	snprintf(p.reorder_date, sizeof p.reorder_date, "2026-07-01");
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_int_gt(p.id, 0);

	get(p.id, &q);
	ck_assert_int_eq(q.id, p.id);
	ck_assert_str_eq(q.sku, "SUG1");
	ck_assert_str_eq(q.name, "Mumias Sugar 1kg");
	ck_assert_int_eq(q.category_id, cat);
	ck_assert_str_eq(q.category, "Dry goods");
	ck_assert_int_eq(q.supplier_id, sup);
	ck_assert_int_eq(q.unit, UNIT_KG);
	ck_assert_int_eq(q.price, 15000);
	ck_assert_int_eq(q.cost, 12050);
	ck_assert_int_eq(q.tax, TAX_ZERO);
	ck_assert_int_eq(q.reorder_level, 5000);
	ck_assert_int_eq(q.reorder_qty, 24000);
	ck_assert_int_eq(q.pack_size, 12000);
	ck_assert_int_eq(q.lead_time_days, 3);
	ck_assert_int_eq(q.tracks_expiry, 1);
	ck_assert_int_eq(q.active, 1);
	ck_assert_str_eq(q.reorder_date, "2026-07-01");
	ck_assert_int_eq(q.stock_qty, 0);

	/* The defaults, and no category: "" and 0. */
	prod(&p, "SALT", "Kensalt 500g", 3500);
	ck_assert_int_eq(catalog_product_add(db, &p, "test", &err), DUKA_OK);
	get(p.id, &q);
	ck_assert_int_eq(q.category_id, 0);
	ck_assert_str_eq(q.category, "");
	ck_assert_int_eq(q.supplier_id, 0);
	ck_assert_int_eq(q.unit, UNIT_PIECE);
	ck_assert_int_eq(q.tax, TAX_STANDARD);
	ck_assert_int_eq(q.pack_size, 1000);
	ck_assert_str_eq(q.reorder_date, "");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "sku = 'SALT' AND reorder_date IS NULL"), 1);

	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products_fts"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products WHERE "
	    "created_at = '" STAMP "' AND updated_at = '" STAMP "'"), 2);
}
END_TEST

/*
 * One field of a product set to a value, and what add and update must
 * say: the same checks guard both.
 */
enum field {
	F_SKU, F_NAME, F_NAME_REPEAT, F_PRICE, F_COST, F_LEVEL, F_RQTY,
	F_PACK, F_LEAD, F_RDATE, F_UNIT, F_TAX,
};

static const struct field_case {
	const char *why;
	enum field field;
	const char *text;	/* F_SKU, F_NAME, F_NAME_REPEAT, F_RDATE */
	int64_t v;		/* the number, or the repeat count */
	int rc;
	const char *msg;	/* refused: in the message; else stored text */
} field_cases[] = {
	/* Refused. */
	{ "empty SKU", F_SKU, "", 0, DUKA_EINPUT, "SKU is empty" },
	{ "blank SKU", F_SKU, "   ", 0, DUKA_EINPUT, "SKU is empty" },
	{ "SKU with a space", F_SKU, "SUG 1", 0, DUKA_EINPUT, "\"SUG 1\"" },
	{ "SKU with #", F_SKU, "SUG#1", 0, DUKA_EINPUT, "\"SUG#1\"" },
	{ "SKU with a comma", F_SKU, "A,B", 0, DUKA_EINPUT, "\"A,B\"" },
	{ "SKU with a quote", F_SKU, "A'B", 0, DUKA_EINPUT, "A'B" },
	{ "SKU with é", F_SKU, "CAFÉ", 0, DUKA_EINPUT, "CAFÉ" },
	{ "SKU with a tab", F_SKU, "A\tB", 0, DUKA_EINPUT, "only letters" },
	{ "empty name", F_NAME, "", 0, DUKA_EINPUT, "product name is empty" },
	{ "blank name", F_NAME, " \t ", 0, DUKA_EINPUT,
	    "product name is empty" },
	{ "name of 121 é", F_NAME_REPEAT, "é", 121, DUKA_EINPUT,
	    "longer than 120" },
	{ "name of 121 a", F_NAME_REPEAT, "a", 121, DUKA_EINPUT,
	    "longer than 120" },
	{ "name of 121 €", F_NAME_REPEAT, "€", 121, DUKA_EINPUT,
	    "longer than 120" },
	{ "invalid UTF-8", F_NAME, "Sugar \xff 1kg", 0, DUKA_EINPUT,
	    "not valid UTF-8" },
	{ "overlong UTF-8", F_NAME, "Sugar \xc0\xaf", 0, DUKA_EINPUT,
	    "not valid UTF-8" },
	{ "cut UTF-8", F_NAME, "Caf\xc3", 0, DUKA_EINPUT, "not valid UTF-8" },
	{ "surrogate", F_NAME, "A \xed\xa0\x80", 0, DUKA_EINPUT,
	    "not valid UTF-8" },
	{ "tab in the name", F_NAME, "Sugar\t1kg", 0, DUKA_EINPUT,
	    "control character" },
	{ "newline in the name", F_NAME, "Sugar\n1kg", 0, DUKA_EINPUT,
	    "control character" },
	{ "DEL in the name", F_NAME, "Sugar\x7f", 0, DUKA_EINPUT,
	    "control character" },
	{ "escape in the name", F_NAME, "Sugar \x1b[31m", 0, DUKA_EINPUT,
	    "control character" },
	{ "negative price", F_PRICE, NULL, -1, DUKA_EINPUT, "price" },
	{ "price over 10 million", F_PRICE, NULL, 1000000001, DUKA_EINPUT,
	    "10,000,000.00" },
	{ "huge price", F_PRICE, NULL, INT64_MAX, DUKA_EINPUT, "price" },
	{ "negative cost", F_COST, NULL, -1, DUKA_EINPUT, "cost" },
	{ "cost over 10 million", F_COST, NULL, 1000000001, DUKA_EINPUT,
	    "cost" },
	{ "negative reorder level", F_LEVEL, NULL, -1, DUKA_EINPUT,
	    "reorder level" },
	{ "reorder level of a million", F_LEVEL, NULL, 1000000001, DUKA_EINPUT,
	    "reorder level" },
	{ "negative reorder quantity", F_RQTY, NULL, -1000, DUKA_EINPUT,
	    "reorder quantity" },
	{ "pack size 0", F_PACK, NULL, 0, DUKA_EINPUT, "pack size" },
	{ "negative pack size", F_PACK, NULL, -1000, DUKA_EINPUT,
	    "pack size" },
	{ "lead time 366", F_LEAD, NULL, 366, DUKA_EINPUT, "lead time" },
	{ "negative lead time", F_LEAD, NULL, -1, DUKA_EINPUT, "lead time" },
	{ "30 February", F_RDATE, "2026-02-30", 0, DUKA_EINPUT, "2026-02-30" },
	{ "month 13", F_RDATE, "2026-13-01", 0, DUKA_EINPUT, "2026-13-01" },
	{ "not a date", F_RDATE, "soon", 0, DUKA_EINPUT, "soon" },
	{ "year 1999", F_RDATE, "1999-12-31", 0, DUKA_EINPUT, "1999" },
	{ "unit out of range", F_UNIT, NULL, 3, DUKA_EINPUT, "unit" },
	{ "tax class out of range", F_TAX, NULL, 3, DUKA_EINPUT, "tax" },
	/* Accepted, at the limits; msg is what is stored. */
	{ "SKU of 32", F_SKU, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 0, DUKA_OK,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" },
	{ "SKU with . _ - /", F_SKU, "a.b_c-d/e", 0, DUKA_OK, "a.b_c-d/e" },
	{ "SKU of 1", F_SKU, "7", 0, DUKA_OK, "7" },
	{ "SKU trimmed", F_SKU, "  X1 \r\n", 0, DUKA_OK, "X1" },
	{ "name of 120 é", F_NAME_REPEAT, "é", 120, DUKA_OK, NULL },
	{ "name of 120 a", F_NAME_REPEAT, "a", 120, DUKA_OK, NULL },
	{ "name of 120 4-byte characters", F_NAME_REPEAT, "\xf0\x9f\x8d\x8c",
	    120, DUKA_OK, NULL },
	{ "name of 1", F_NAME, "X", 0, DUKA_OK, "X" },
	{ "name in Swahili and quotes", F_NAME, "Unga wa \"Jogoo\" 2kg", 0,
	    DUKA_OK, "Unga wa \"Jogoo\" 2kg" },
	{ "price 0", F_PRICE, NULL, 0, DUKA_OK, NULL },
	{ "price 10 million", F_PRICE, NULL, 1000000000, DUKA_OK, NULL },
	{ "cost 10 million", F_COST, NULL, 1000000000, DUKA_OK, NULL },
	{ "cost 0", F_COST, NULL, 0, DUKA_OK, NULL },
	{ "reorder level 0", F_LEVEL, NULL, 0, DUKA_OK, NULL },
	{ "reorder level high", F_LEVEL, NULL, 1000000000, DUKA_OK, NULL },
	{ "pack size 1 thousandth", F_PACK, NULL, 1, DUKA_OK, NULL },
	{ "lead time 365", F_LEAD, NULL, 365, DUKA_OK, NULL },
	{ "lead time 0", F_LEAD, NULL, 0, DUKA_OK, NULL },
	{ "reorder date", F_RDATE, "2026-07-01", 0, DUKA_OK, "2026-07-01" },
	{ "leap day", F_RDATE, "2028-02-29", 0, DUKA_OK, "2028-02-29" },
	{ "reorder date the Kenyan way", F_RDATE, "15/07/2026", 0, DUKA_OK,
	    "2026-07-15" },
	{ "litre", F_UNIT, NULL, UNIT_LITRE, DUKA_OK, NULL },
	{ "exempt", F_TAX, NULL, TAX_EXEMPT, DUKA_OK, NULL },
};

/* Set the field of case c in p. */
static void
field_apply(const struct field_case *c, struct product *p)
{
	size_t o = 0;
	int64_t i;

	switch (c->field) {
	case F_SKU:
		snprintf(p->sku, sizeof p->sku, "%s", c->text);
		break;
	case F_NAME:
		snprintf(p->name, sizeof p->name, "%s", c->text);
		break;
	case F_NAME_REPEAT:
		for (i = 0; i < c->v; i++) {
			ck_assert_uint_lt(o + strlen(c->text), sizeof p->name);
			memcpy(p->name + o, c->text, strlen(c->text));
			o += strlen(c->text);
		}
		p->name[o] = '\0';
		break;
	case F_PRICE:
		p->price = c->v;
		break;
	case F_COST:
		p->cost = c->v;
		break;
	case F_LEVEL:
		p->reorder_level = c->v;
		break;
	case F_RQTY:
		p->reorder_qty = c->v;
		break;
	case F_PACK:
		p->pack_size = c->v;
		break;
	case F_LEAD:
		p->lead_time_days = c->v;
		break;
	case F_RDATE:
		snprintf(p->reorder_date, sizeof p->reorder_date, "%s", c->text);
		break;
	case F_UNIT:
		p->unit = (enum product_unit)c->v;
		break;
	case F_TAX:
		p->tax = (enum tax_class)c->v;
		break;
	}
}

/* An accepted case reads back with the field as expected. */
static void
field_check_stored(const struct field_case *c, const struct product *sent,
    int64_t id)
{
	struct product q;

	get(id, &q);
	switch (c->field) {
	case F_SKU:
		ck_assert_str_eq(q.sku, c->msg);
		break;
	case F_NAME:
		ck_assert_str_eq(q.name, c->msg);
		break;
	case F_NAME_REPEAT:
		ck_assert_str_eq(q.name, sent->name);
		break;
	case F_PRICE:
		ck_assert_int_eq(q.price, c->v);
		break;
	case F_COST:
		ck_assert_int_eq(q.cost, c->v);
		break;
	case F_LEVEL:
		ck_assert_int_eq(q.reorder_level, c->v);
		break;
	case F_RQTY:
		ck_assert_int_eq(q.reorder_qty, c->v);
		break;
	case F_PACK:
		ck_assert_int_eq(q.pack_size, c->v);
		break;
	case F_LEAD:
		ck_assert_int_eq(q.lead_time_days, c->v);
		break;
	case F_RDATE:
		ck_assert_str_eq(q.reorder_date, c->msg);
		break;
	case F_UNIT:
		ck_assert_int_eq(q.unit, c->v);
		break;
	case F_TAX:
		ck_assert_int_eq(q.tax, c->v);
		break;
	}
}

/* Every validation of catalog_product_add; a refusal changes nothing. */
START_TEST(test_add_field)
{
	const struct field_case *c = &field_cases[_i];
	struct duka_err err = { 0, "" };
	struct counts before;
	struct product p;
	int rc;

	add("OTHER", "Another product", 100);
	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	field_apply(c, &p);
	counts_take(&before);
	rc = catalog_product_add(db, &p, "test", &err);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d (%s)", c->why, rc, c->rc,
	    err.msg);
	if (rc != DUKA_OK) {
		ck_assert_int_eq(err.code, rc);
		ck_assert_has(err.msg, c->msg);
		ck_assert_int_eq(p.id, 0);
		counts_same(&before, c->why);
		return;
	}
	field_check_stored(c, &p, p.id);
	before.products++;
	before.fts++;
	before.outbox++;
	counts_same(&before, c->why);
}
END_TEST

/* The same checks guard catalog_product_update; a refusal changes nothing. */
START_TEST(test_update_field)
{
	const struct field_case *c = &field_cases[_i];
	struct duka_err err = { 0, "" };
	struct product p, old, now;
	struct counts before;
	int64_t id;
	int rc;

	add("OTHER", "Another product", 100);
	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	get(id, &old);
	p = old;
	field_apply(c, &p);
	counts_take(&before);
	rc = catalog_product_update(db, &p, "test", &err);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d (%s)", c->why, rc, c->rc,
	    err.msg);
	if (rc != DUKA_OK) {
		ck_assert_int_eq(err.code, rc);
		ck_assert_has(err.msg, c->msg);
		counts_same(&before, c->why);
		get(id, &now);
		ck_assert(memcmp(&now, &old, sizeof now) == 0);
		return;
	}
	field_check_stored(c, &p, id);
	before.outbox++;
	counts_same(&before, c->why);
}
END_TEST

/* A SKU differing only in case is taken, and the message names its holder. */
START_TEST(test_add_duplicate_sku)
{
	static const char *const dups[] = { "SUG1", "sug1", "Sug1", " sUG1 " };
	struct duka_err err = { 0, "" };
	struct counts before;
	struct product p;
	int i;

	add("SUG1", "Mumias Sugar 1kg", 15000);
	counts_take(&before);
	for (i = 0; i < NELEM(dups); i++) {
		prod(&p, dups[i], "Kabras Sugar 1kg", 14000);
		duka_err_clear(&err);
		ck_assert_int_eq(catalog_product_add(db, &p, "test", &err),
		    DUKA_EINPUT);
		ck_assert_has(err.msg, "Mumias Sugar 1kg");
		ck_assert_has(err.msg, "already used");
		ck_assert_int_eq(p.id, 0);
		counts_same(&before, dups[i]);
	}
	/* A different SKU is fine, and so is the same name. */
	add("SUG1-B", "Mumias Sugar 1kg", 15000);
}
END_TEST

/* A category or supplier that does not exist is refused, leaving nothing. */
START_TEST(test_add_unknown_category)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	struct product p;

	counts_take(&before);
	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	p.category_id = 42;
	ck_assert_int_ne(catalog_product_add(db, &p, "test", &err), DUKA_OK);
	ck_assert_int_ne(err.msg[0], '\0');
	ck_assert_int_eq(p.id, 0);
	counts_same(&before, "unknown category");
	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	p.supplier_id = 42;
	ck_assert_int_ne(catalog_product_add(db, &p, "test", &err), DUKA_OK);
	counts_same(&before, "unknown supplier");
}
END_TEST

/* Update: every field changes, the SKU can be renamed, collisions refused. */
START_TEST(test_update)
{
	struct duka_err err = { 0, "" };
	struct product p, q;
	struct counts before;
	int64_t a, b, cat;

	a = add("SUG1", "Mumias Sugar 1kg", 15000);
	b = add("SUG2", "Kabras Sugar 2kg", 29000);
	add_code(a, "5901234123457");
	ck_assert_int_eq(catalog_category_ensure(db, "Dry goods", &cat, &err),
	    DUKA_OK);

	setenv("DUKA_NOW", TODAY "T10:00:00Z", 1);
	get(a, &p);
	snprintf(p.sku, sizeof p.sku, " SUG-1KG ");
	snprintf(p.name, sizeof p.name, "Mumias Brown Sugar 1kg");
	p.category_id = cat;
	p.price = 15500;
	p.cost = 12500;
	p.unit = UNIT_KG;
	p.tax = TAX_EXEMPT;
	p.reorder_level = 10000;
	p.reorder_qty = 50000;
	p.pack_size = 10000;
	p.lead_time_days = 14;
	p.tracks_expiry = 1;
	snprintf(p.reorder_date, sizeof p.reorder_date, "01/08/2026");
	counts_take(&before);
	ck_assert_msg(catalog_product_update(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	before.outbox++;
	counts_same(&before, "update");
	get(a, &q);
	ck_assert_str_eq(q.sku, "SUG-1KG");
	ck_assert_str_eq(q.name, "Mumias Brown Sugar 1kg");
	ck_assert_str_eq(q.category, "Dry goods");
	ck_assert_int_eq(q.price, 15500);
	ck_assert_int_eq(q.cost, 12500);
	ck_assert_int_eq(q.unit, UNIT_KG);
	ck_assert_int_eq(q.tax, TAX_EXEMPT);
	ck_assert_int_eq(q.reorder_level, 10000);
	ck_assert_int_eq(q.reorder_qty, 50000);
	ck_assert_int_eq(q.pack_size, 10000);
	ck_assert_int_eq(q.lead_time_days, 14);
	ck_assert_int_eq(q.tracks_expiry, 1);
	ck_assert_str_eq(q.reorder_date, "2026-08-01");
	ck_assert_int_eq(count_id("SELECT count(*) FROM products WHERE id = ?1 "
	    "AND created_at = '" STAMP "' AND updated_at = '" TODAY
	    "T10:00:00.000Z'", a), 1);

	/* Found by the new SKU and its barcode, no more by the old SKU. */
	ck_assert_int_eq(catalog_product_find(db, "sug-1kg", &q, &err), DUKA_OK);
	ck_assert_int_eq(q.id, a);
	ck_assert_int_eq(catalog_product_find(db, "5901234123457", &q, &err),
	    DUKA_OK);
	ck_assert_int_eq(q.id, a);
	ck_assert_int_eq(catalog_product_find(db, "SUG1", &q, &err),
	    DUKA_ENOTFOUND);

	/* Changing only the case of its own SKU is not a collision. */
	get(a, &p);
	snprintf(p.sku, sizeof p.sku, "sug-1kg");
	ck_assert_msg(catalog_product_update(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	get(a, &q);
	ck_assert_str_eq(q.sku, "sug-1kg");

	/* Taking the other product's SKU, in any case, is refused. */
	get(b, &p);
	snprintf(p.sku, sizeof p.sku, "SUG-1kg");
	p.price = 1;
	counts_take(&before);
	duka_err_clear(&err);
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "Mumias Brown Sugar 1kg");
	counts_same(&before, "SKU collision");
	get(b, &q);
	ck_assert_str_eq(q.sku, "SUG2");
	ck_assert_int_eq(q.price, 29000);

	/* An unknown id. */
	prod(&p, "NEW1", "Nothing", 100);
	p.id = 999;
	duka_err_clear(&err);
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(err.code, DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "999");
	counts_same(&before, "unknown id");
	p.id = 0;
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err),
	    DUKA_ENOTFOUND);
	counts_same(&before, "id 0");

	/* A missing category is refused and changes nothing. */
	get(b, &p);
	p.category_id = 777;
	ck_assert_int_ne(catalog_product_update(db, &p, "test", &err), DUKA_OK);
	counts_same(&before, "unknown category");
	get(b, &q);
	ck_assert_int_eq(q.category_id, 0);
}
END_TEST

/* get: an unknown id is ENOTFOUND naming the number. */
START_TEST(test_get_unknown)
{
	struct duka_err err = { 0, "" };
	struct product p;

	ck_assert_int_eq(catalog_product_get(db, 12345, &p, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(err.code, DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "12345");
	ck_assert_int_eq(catalog_product_get(db, -1, &p, NULL), DUKA_ENOTFOUND);
}
END_TEST

/* Deactivating keeps the row and its barcodes; reactivating restores it. */
START_TEST(test_set_active)
{
	struct duka_err err = { 0, "" };
	struct catalog_hit hits[4];
	struct counts before;
	struct product p;
	int64_t id;
	int n;

	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	add_code(id, "5901234123457");
	counts_take(&before);
	ck_assert_int_eq(catalog_product_set_active(db, id, 0, "test", &err),
	    DUKA_OK);
	before.outbox++;
	counts_same(&before, "deactivate");
	get(id, &p);
	ck_assert_int_eq(p.active, 0);
	ck_assert_int_eq(p.price, 15000);
	/* Still found by code (a scan says so), but not offered in search. */
	ck_assert_int_eq(catalog_product_find(db, "5901234123457", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, id);
	ck_assert_int_eq(p.active, 0);
	ck_assert_int_eq(catalog_search(db, "mumias", hits, 4, &n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(catalog_search(db, "5901234123457", hits, 4, &n,
	    &err), DUKA_OK);
	ck_assert_int_eq(n, 0);

	ck_assert_int_eq(catalog_product_set_active(db, id, 7, "test", &err),
	    DUKA_OK);
	get(id, &p);
	ck_assert_int_eq(p.active, 1);
	ck_assert_int_eq(catalog_search(db, "mumias", hits, 4, &n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(hits[0].id, id);

	counts_take(&before);
	ck_assert_int_eq(catalog_product_set_active(db, 999, 0, "test", &err),
	    DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "999");
	counts_same(&before, "unknown id");
}
END_TEST

/* Receive some stock of a product, giving it history. */
static void
receive(int64_t id, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	stock_receipt_init(&r);
	r.product_id = id;
	r.qty = qty;
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, NULL, &err) == DUKA_OK, "%s",
	    err.msg);
}

/* Delete: only without stock history; barcodes and index row go too. */
START_TEST(test_delete)
{
	struct duka_err err = { 0, "" };
	struct catalog_hit hits[4];
	struct counts before;
	struct product p;
	int64_t typo, sold, other;
	int n;

	typo = add("SUG11", "Mumias Sugr 1kg", 15000);
	add_code(typo, "5901234123457");
	add_code(typo, "tom1");
	sold = add("SUG2", "Kabras Sugar 2kg", 29000);
	add_code(sold, "96385074");
	other = add("MF1", "Maize Flour 2kg", 21000);
	add_code(other, "4006381333931");
	receive(sold, 10000);

	/* With history: refused, naming it; nothing changes. */
	counts_take(&before);
	ck_assert_int_eq(catalog_product_delete(db, sold, &err), DUKA_EINPUT);
	ck_assert_has(err.msg, "Kabras Sugar 2kg");
	ck_assert_has(err.msg, "deactivate");
	counts_same(&before, "delete with history");
	get(sold, &p);
	ck_assert_int_eq(p.stock_qty, 10000);
	ck_assert_int_eq(catalog_product_find(db, "96385074", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, sold);

	/* Without: the row, its barcodes and its index row go; no others. */
	ck_assert_msg(catalog_product_delete(db, typo, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"),
	    before.products - 1);
	ck_assert_int_eq(count_id("SELECT count(*) FROM barcodes WHERE "
	    "product_id = ?1", typo), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM barcodes"),
	    before.barcodes - 2);
	ck_assert_int_eq(count_id("SELECT count(*) FROM products_fts WHERE "
	    "rowid = ?1", typo), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products_fts"),
	    before.fts - 1);
	ck_assert_int_eq(catalog_product_get(db, typo, &p, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(catalog_product_find(db, "5901234123457", &p, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(catalog_product_find(db, "SUG11", &p, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(catalog_search(db, "sugr", hits, 4, &n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(catalog_product_find(db, "4006381333931", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, other);

	/* Its SKU and codes are free again. */
	other = add("SUG11", "Mumias Sugar 1kg", 15000);
	add_code(other, "5901234123457");
	add_code(other, "TOM1");

	/* Unknown, and deleted twice. */
	counts_take(&before);
	ck_assert_int_eq(catalog_product_delete(db, typo, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(catalog_product_delete(db, 999, &err),
	    DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "999");
	counts_same(&before, "delete unknown");
}
END_TEST

/* A product on an open count sheet cannot vanish from under it. */
START_TEST(test_delete_on_count_sheet)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	int64_t id, sheet;

	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	add_code(id, "5901234123457");
	ck_assert_msg(stocktake_open(db, 0, "test", &sheet, &err) == DUKA_OK,
	    "%s", err.msg);
	counts_take(&before);
	ck_assert_int_ne(catalog_product_delete(db, id, &err), DUKA_OK);
	ck_assert_int_ne(err.msg[0], '\0');
	counts_same(&before, "delete on a count sheet");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_count_lines"),
	    1);
}
END_TEST

/* Every accepted form of a barcode, what it is stored as, and its kind. */
static const struct code_case {
	const char *in;
	const char *stored;
	const char *kind;
	const char *alt;	/* another form that finds the same code */
} code_cases[] = {
	{ "5901234123457", "5901234123457", "EAN-13", "05901234123457" },
	{ "036000291452", "0036000291452", "UPC-A", "0036000291452" },
	{ "04252614", "0042100005264", "UPC-E", "042100005264" },
	{ "96385074", "96385074", "EAN-8", " 96385074\r\n" },
	{ "tom1", "TOM1", "internal", "Tom1" },
	{ "00012345600012", "0012345600012", "GTIN-14", "012345600012" },
	{ " 4006381333931\n", "4006381333931", "EAN-13", "4006381333931" },
	{ "shelf-2.b_x", "SHELF-2.B_X", "internal", "SHELF-2.b_X" },
};

/* Each form of barcode is stored normalised and found by any of its forms. */
START_TEST(test_barcode_forms)
{
	const struct code_case *c = &code_cases[_i];
	struct duka_err err = { 0, "" };
	char out[BARCODE_MAX], want[64];
	struct counts before;
	struct codes codes;
	struct product p;
	int64_t id;

	add("OTHER", "Another product", 100);
	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	counts_take(&before);
	memset(out, 'x', sizeof out);
	ck_assert_msg(catalog_barcode_add(db, id, c->in, out, &err) == DUKA_OK,
	    "%s: %s", c->in, err.msg);
	ck_assert_str_eq(out, c->stored);
	before.barcodes++;
	before.outbox++;
	counts_same(&before, c->in);
	snprintf(want, sizeof want, "%s/%s", c->stored, c->kind);
	ck_assert_str_eq(codes_of(id, &codes), want);

	ck_assert_int_eq(catalog_product_find(db, c->in, &p, &err), DUKA_OK);
	ck_assert_int_eq(p.id, id);
	ck_assert_int_eq(catalog_product_find(db, c->stored, &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, id);
	ck_assert_msg(catalog_product_find(db, c->alt, &p, &err) == DUKA_OK,
	    "%s: %s", c->alt, err.msg);
	ck_assert_int_eq(p.id, id);

	/* Any form of the same code is refused on another product. */
	ck_assert_int_eq(catalog_barcode_add(db, 1, c->alt, NULL, &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "Mumias Sugar 1kg");
	ck_assert_has(err.msg, "SUG1");
	/* And on the same product a second time. */
	ck_assert_int_eq(catalog_barcode_add(db, id, c->in, NULL, &err),
	    DUKA_EINPUT);
	counts_same(&before, "second add");

	/* Removed by any form. */
	ck_assert_msg(catalog_barcode_remove(db, c->alt, &err) == DUKA_OK,
	    "%s: %s", c->alt, err.msg);
	ck_assert_str_eq(codes_of(id, &codes), "");
	ck_assert_int_eq(catalog_product_find(db, c->in, &p, &err),
	    DUKA_ENOTFOUND);
}
END_TEST

/* Several barcodes: listed in the order added, with their kinds. */
START_TEST(test_barcode_list)
{
	struct duka_err err = { 0, "" };
	struct codes codes;
	struct product p;
	int64_t a, b;

	a = add("SUG1", "Mumias Sugar 1kg", 15000);
	b = add("SUG2", "Kabras Sugar 2kg", 29000);
	ck_assert_str_eq(codes_of(a, &codes), "");
	setenv("DUKA_NOW", TODAY "T09:00:01Z", 1);
	add_code(a, "96385074");
	setenv("DUKA_NOW", TODAY "T09:00:02Z", 1);
	add_code(a, "036000291452");
	setenv("DUKA_NOW", TODAY "T09:00:03Z", 1);
	add_code(b, "tom1");
	setenv("DUKA_NOW", TODAY "T09:00:04Z", 1);
	add_code(a, "5901234123457");
	ck_assert_str_eq(codes_of(a, &codes), "96385074/EAN-8 "
	    "0036000291452/UPC-A 5901234123457/EAN-13");
	ck_assert_int_eq(codes.n, 3);
	ck_assert_str_eq(codes_of(b, &codes), "TOM1/internal");
	ck_assert_str_eq(codes_of(999, &codes), "");

	/* Find by UPC-A as scanned, by its EAN-13 form, and as GTIN-14. */
	ck_assert_int_eq(catalog_product_find(db, "036000291452", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, a);
	ck_assert_int_eq(catalog_product_find(db, "0036000291452", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, a);
	ck_assert_int_eq(catalog_product_find(db, "00036000291452", &p, &err),
	    DUKA_OK);
	ck_assert_int_eq(p.id, a);

	/* Removing the middle one keeps the order of the rest. */
	ck_assert_int_eq(catalog_barcode_remove(db, "0036000291452", &err),
	    DUKA_OK);
	ck_assert_str_eq(codes_of(a, &codes), "96385074/EAN-8 "
	    "5901234123457/EAN-13");
	ck_assert_str_eq(codes_of(b, &codes), "TOM1/internal");
}
END_TEST

/* Bad barcodes, and codes held by another product, change nothing. */
START_TEST(test_barcode_bad)
{
	static const struct {
		const char *code;
		int rc;
		const char *msg;
	} cases[] = {
		{ "5901234123458", DUKA_EINPUT, "should be 7" },
		{ "036000291453", DUKA_EINPUT, "check digit" },
		{ "96385075", DUKA_EINPUT, "check digit" },
		{ "00012345600013", DUKA_EINPUT, "check digit" },
		{ "", DUKA_EINPUT, "empty" },
		{ "   ", DUKA_EINPUT, "empty" },
		{ "AB C", DUKA_EINPUT, "' '" },
		{ "AB#C", DUKA_EINPUT, "'#'" },
		{ "CAFÉ", DUKA_EINPUT, "0xC3" },
		{ "A234567890123456789012345678901234", DUKA_EINPUT, "too long" },
		{ "4006381333931", DUKA_EINPUT, "Maize Flour 2kg" },
		{ "4006381333931 ", DUKA_EINPUT, "MF1" },
		{ "04006381333931", DUKA_EINPUT, "Maize Flour 2kg" },
		{ "SHELF1", DUKA_EINPUT, "Maize Flour 2kg" },
		{ "shelf1", DUKA_EINPUT, "Maize Flour 2kg" },
	};
	struct duka_err err;
	struct counts before;
	struct codes codes;
	char out[BARCODE_MAX];
	int64_t id, mf;
	int i;

	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	mf = add("MF1", "Maize Flour 2kg", 21000);
	add_code(mf, "4006381333931");
	add_code(mf, "shelf1");
	counts_take(&before);
	for (i = 0; i < NELEM(cases); i++) {
		duka_err_clear(&err);
		snprintf(out, sizeof out, "untouched");
		ck_assert_msg(catalog_barcode_add(db, id, cases[i].code, out,
		    &err) == cases[i].rc, "%s: %s", cases[i].code, err.msg);
		ck_assert_int_eq(err.code, cases[i].rc);
		ck_assert_has(err.msg, cases[i].msg);
		ck_assert_str_eq(out, "untouched");
		counts_same(&before, cases[i].code);
	}
	ck_assert_str_eq(codes_of(id, &codes), "");

	/* An unknown product. */
	ck_assert_int_eq(catalog_barcode_add(db, 999, "5901234123457", NULL,
	    &err), DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "999");
	counts_same(&before, "unknown product");

	/* Removing: unknown codes and bad check digits change nothing. */
	ck_assert_int_eq(catalog_barcode_remove(db, "5901234123457", &err),
	    DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "5901234123457");
	ck_assert_int_eq(catalog_barcode_remove(db, "5901234123458", &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "check digit");
	ck_assert_int_eq(catalog_barcode_remove(db, "", &err), DUKA_EINPUT);
	counts_same(&before, "remove unknown");
	/* A SKU is not a barcode: nothing to remove, no event. */
	ck_assert_int_eq(catalog_barcode_remove(db, "SUG1", &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(catalog_barcode_remove(db, "mf1", &err),
	    DUKA_ENOTFOUND);
	counts_same(&before, "remove a SKU");
}
END_TEST

/* Find: by barcode, by SKU in any case and with spaces; clear refusals. */
START_TEST(test_find)
{
	static const struct {
		const char *code;
		const char *sku;	/* NULL: not found */
		const char *msg;	/* in the message when not found */
	} cases[] = {
		{ "5901234123457", "SUG1", NULL },
		{ "  5901234123457\r\n", "SUG1", NULL },
		{ "SUG1", "SUG1", NULL },
		{ "sug1", "SUG1", NULL },
		{ "\tSug1  ", "SUG1", NULL },
		{ "mf/2kg", "MF/2KG", NULL },
		{ "5901234123458", "5901234123458", NULL },	/* a SKU */
		{ "tom1", "TOM", NULL },
		{ "TOM", "TOM", NULL },
		{ "OLD1", "OLD1", NULL },
		{ "SUG9", NULL, "\"SUG9\"" },
		{ "  nope ", NULL, "\"nope\"" },
		{ "4006381333931", NULL, "4006381333931" },
		{ "4006381333932", NULL, "check digit" },
		{ "4006381333932", NULL, "4006381333932" },
		{ "96385075", NULL, "check digit" },
		{ "12345", NULL, "\"12345\"" },
		{ "", NULL, "\"\"" },
		{ "   ", NULL, "code" },
		{ "sug 1", NULL, "sug 1" },
		{ "A234567890123456789012345678901234567890X", NULL,
		    "A2345678901234567890" },
	};
	struct duka_err err;
	struct product p;
	int64_t id;
	int i;

	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	add_code(id, "5901234123457");
	add("MF/2KG", "Maize Flour 2kg", 21000);
	add("5901234123458", "Loose item", 100);
	id = add("TOM", "Tomatoes", 8000);
	add_code(id, "tom1");
	id = add("OLD1", "Old soap", 3000);
	ck_assert_int_eq(catalog_product_set_active(db, id, 0, "test", &err),
	    DUKA_OK);
	for (i = 0; i < NELEM(cases); i++) {
		duka_err_clear(&err);
		if (cases[i].sku != NULL) {
			ck_assert_msg(catalog_product_find(db, cases[i].code,
			    &p, &err) == DUKA_OK, "%s: %s", cases[i].code,
			    err.msg);
			ck_assert_str_eq(p.sku, cases[i].sku);
			continue;
		}
		ck_assert_msg(catalog_product_find(db, cases[i].code, &p, &err)
		    == DUKA_ENOTFOUND, "%s found", cases[i].code);
		ck_assert_int_eq(err.code, DUKA_ENOTFOUND);
		ck_assert_has(err.msg, cases[i].msg);
	}
	ck_assert_int_eq(catalog_product_find(db, "OLD1", &p, &err), DUKA_OK);
	ck_assert_int_eq(p.active, 0);
	ck_assert_int_eq(catalog_product_find(db, "nothing", &p, NULL),
	    DUKA_ENOTFOUND);
}
END_TEST

/* The catalog the search tests run on. */
static const struct {
	const char *sku, *name, *code;
	int active;
} shop[] = {
	{ "SUG1", "Mumias Sugar 1kg", "5901234123457", 1 },
	{ "SUG2", "Kabras Sugar 2kg", NULL, 1 },
	{ "JUI1", "Sugarcane Juice 500ml", NULL, 1 },
	{ "MF1", "Maize Flour Jogoo 2kg", "4006381333931", 1 },
	{ "MF2", "Pembe Maize Flour 1kg", NULL, 1 },
	{ "CRN1", "Cornflakes 500g", NULL, 1 },
	{ "MAIZE", "Ugali Meal", NULL, 1 },
	{ "OLD1", "Old Sugar", "96385074", 0 },
	{ "CAF1", "Café Touba", NULL, 1 },
	{ "TOM", "Tomatoes", "tom1", 1 },
	{ "QUOTE", "Say \"Cheers\" Juice", NULL, 1 },
};

static void
setup_shop(void)
{
	struct duka_err err = { 0, "" };
	int64_t id;
	int i;

	setup();
	for (i = 0; i < NELEM(shop); i++) {
		id = add(shop[i].sku, shop[i].name, 1000 * (i + 1));
		if (shop[i].code != NULL)
			add_code(id, shop[i].code);
		if (!shop[i].active)
			ck_assert_int_eq(catalog_product_set_active(db, id, 0,
			    "test", &err), DUKA_OK);
	}
}

/* Search a query and return the SKUs of the hits as one line. */
static const char *
search_skus(const char *q, int max, char *out, size_t n)
{
	struct duka_err err = { 0, "" };
	struct catalog_hit hits[16];
	size_t o = 0;
	int i, got = -1;

	ck_assert_int_le(max, NELEM(hits));
	ck_assert_msg(catalog_search(db, q, hits, max, &got, &err) == DUKA_OK,
	    "search \"%s\": %s", q, err.msg);
	ck_assert_int_ge(got, 0);
	ck_assert_int_le(got, max < 0 ? 0 : max);
	out[0] = '\0';
	for (i = 0; i < got; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "",
		    hits[i].sku);
	return out;
}

/* What each query finds, in order. */
static const struct {
	const char *q;
	int max;
	const char *skus;	/* NULL: any, as long as it does not fail */
} search_cases[] = {
	/* A name prefix first, then words that start so, alphabetically. */
	{ "suga", 10, "JUI1 SUG2 SUG1" },
	{ "SUGA", 10, "JUI1 SUG2 SUG1" },
	{ "sUgAr", 10, "JUI1 SUG2 SUG1" },
	{ "  suga  ", 10, "JUI1 SUG2 SUG1" },
	{ "su", 10, "JUI1 SUG2 SUG1" },
	{ "mumias", 10, "SUG1" },
	{ "umias", 10, "SUG1" },
	/* Several words, in any order. */
	{ "maize flour", 10, "MF1 MF2" },
	{ "flour maize", 10, "MF1 MF2" },
	{ "maize  flour  2kg", 10, "MF1" },
	{ "sugar 1kg", 10, "SUG1" },
	{ "juice sugar", 10, "JUI1" },
	/* A one-letter word after the first still narrows and ranks. */
	{ "maize f", 10, "MF1 MF2 MAIZE" },
	{ "flour m", 10, "MF1 MF2" },
	{ "sugar m", 10, "SUG1 SUG2 JUI1" },
	{ "sugar k", 10, "SUG2 SUG1 JUI1" },
	{ "mumias s", 10, "SUG1" },
	{ "juice s", 10, "QUOTE JUI1" },
	{ "m s", 10, "SUG1" },
	{ "s j", 10, "QUOTE JUI1" },
	{ "s \"c", 10, "QUOTE" },
	/* A whole SKU or barcode first, however the names rank. */
	{ "maize", 10, "MAIZE MF1 MF2" },
	{ "sug1", 10, "SUG1" },
	{ "5901234123457", 10, "SUG1" },
	{ "0005901234123457", 10, "" },
	{ "tom1", 10, "TOM" },
	{ "mf2", 10, "MF2" },
	/* A barcode prefix, and a SKU part. */
	{ "59012341", 10, "SUG1" },
	{ "40063813", 10, "MF1" },
	{ "UG2", 10, "SUG2" },
	/* The text anywhere: three characters at least. */
	{ "lakes", 10, "CRN1" },
	{ "flakes", 10, "CRN1" },
	{ "la", 10, "" },
	/* Other letters. */
	{ "café", 10, "CAF1" },
	{ "caf", 10, "CAF1" },
	{ "touba", 10, "CAF1" },
	/* Inactive products are never offered. */
	{ "old", 10, "" },
	{ "OLD1", 10, "" },
	{ "96385074", 10, "" },
	/* FTS5 syntax is plain text. */
	{ "\"cheers\"", 10, "QUOTE" },
	{ "say \"cheers", 10, "QUOTE" },
	{ "a\"b", 10, "" },
	{ "*", 10, "" },
	{ "\"", 10, NULL },
	{ "\"\"", 10, "" },
	{ "OR", 10, "" },
	{ "AND", 10, "" },
	{ "NOT sugar", 10, "" },
	{ "sugar OR", 10, NULL },
	{ "sugar OR maize", 10, "" },
	{ "NEAR(", 10, "" },
	{ "NEAR(sugar maize)", 10, "" },
	{ "(", 10, "" },
	{ ")", 10, "" },
	{ "-sugar", 10, "" },
	{ "sugar*", 10, "" },
	{ "su*", 10, "" },
	{ "^", 10, "" },
	{ "^^", 10, "" },
	{ "name:sugar", 10, "" },
	{ "{name}:sugar", 10, "" },
	{ "starts:^^s", 10, "" },
	{ "'", 10, "" },
	{ "\\", 10, "" },
	{ "%", 10, "" },
	{ "_", 10, "" },
	{ ":", 10, "" },
	{ "+", 10, "" },
	/* Nothing to search, and no room. */
	{ "", 10, "" },
	{ "   ", 10, "" },
	{ "\t\r\n", 10, "" },
	{ "sugar", 0, "" },
	{ "sugar", -1, "" },
	{ "zzz", 10, "" },
};

/* Each query finds what it should, in the order it should. */
START_TEST(test_search)
{
	char got[256];

	search_skus(search_cases[_i].q, search_cases[_i].max, got, sizeof got);
	if (search_cases[_i].skus == NULL)
		return;
	ck_assert_msg(strcmp(got, search_cases[_i].skus) == 0,
	    "search \"%s\": got \"%s\", want \"%s\"", search_cases[_i].q, got,
	    search_cases[_i].skus);
}
END_TEST

/* Short queries fall back to name and word prefixes. */
START_TEST(test_search_short)
{
	char got[256];

	/* One letter: names that start with it, then words that do. */
	ck_assert_str_eq(search_skus("m", 10, got, sizeof got),
	    "MF1 SUG1 MF2 MAIZE");
	ck_assert_str_eq(search_skus("M", 10, got, sizeof got),
	    "MF1 SUG1 MF2 MAIZE");
	ck_assert_str_eq(search_skus("c", 10, got, sizeof got), "CAF1 CRN1");
	ck_assert_str_eq(search_skus("t", 10, got, sizeof got), "TOM CAF1");
	ck_assert_str_eq(search_skus("é", 10, got, sizeof got), "");
	ck_assert_str_eq(search_skus("\"", 10, got, sizeof got), "QUOTE");
	search_skus("ju", 10, got, sizeof got);
	ck_assert_str_eq(got, "QUOTE JUI1");
	search_skus("ca", 10, got, sizeof got);
	ck_assert_str_eq(got, "CAF1");
}
END_TEST

/* At most max hits, the best ones first. */
START_TEST(test_search_max)
{
	struct duka_err err = { 0, "" };
	struct catalog_hit hits[8];
	char got[256];
	int n = -1;

	search_skus("suga", 1, got, sizeof got);
	ck_assert_str_eq(got, "JUI1");
	search_skus("suga", 2, got, sizeof got);
	ck_assert_msg(strcmp(got, "JUI1 SUG2") == 0 ||
	    strcmp(got, "JUI1 SUG1") == 0, "%s", got);
	search_skus("maize", 1, got, sizeof got);
	ck_assert_str_eq(got, "MAIZE");
	search_skus("maize", 2, got, sizeof got);
	ck_assert_str_eq(got, "MAIZE MF1");

	/* The hit carries what the till shows. */
	ck_assert_int_eq(catalog_search(db, "5901234123457", hits, 8, &n,
	    &err), DUKA_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(hits[0].sku, "SUG1");
	ck_assert_str_eq(hits[0].name, "Mumias Sugar 1kg");
	ck_assert_int_eq(hits[0].price, 1000);
	ck_assert_int_eq(hits[0].stock_qty, 0);
	ck_assert_int_eq(hits[0].unit, UNIT_PIECE);
	ck_assert_int_eq(catalog_search(db, "cornfl", hits, 8, &n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(hits[0].name, "Cornflakes 500g");
	ck_assert_int_eq(hits[0].price, 6000);

	/* Many matches: max is never passed, and no hit comes twice. */
	{
		char sku[16], name[64];
		int i, j;

		for (i = 0; i < 30; i++) {
			snprintf(sku, sizeof sku, "B%02d", i);
			snprintf(name, sizeof name, "Bread loaf %02d", 29 - i);
			add(sku, name, 5000);
		}
		ck_assert_int_eq(catalog_search(db, "bread", hits, 8, &n,
		    &err), DUKA_OK);
		ck_assert_int_eq(n, 8);
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				ck_assert_int_ne(hits[i].id, hits[j].id);
		for (i = 1; i < n; i++)
			ck_assert_msg(strcmp(hits[i - 1].name, hits[i].name) <= 0,
			    "%s before %s", hits[i - 1].name, hits[i].name);
	}
}
END_TEST

/* Long queries neither fail nor overflow. */
START_TEST(test_search_long)
{
	struct duka_err err = { 0, "" };
	struct catalog_hit hits[4];
	char q[2048];
	size_t i;
	int n;

	for (i = 0; i + 1 < sizeof q; i++)
		q[i] = i % 3 == 2 ? ' ' : '"';
	q[sizeof q - 1] = '\0';
	ck_assert_int_eq(catalog_search(db, q, hits, 4, &n, &err), DUKA_OK);
	for (i = 0; i + 1 < 250; i++)
		q[i] = i % 2 ? ' ' : 'a';
	q[249] = '\0';
	ck_assert_int_eq(catalog_search(db, q, hits, 4, &n, &err), DUKA_OK);
	for (i = 0; i + 1 < 250; i++)
		q[i] = '"';
	q[249] = '\0';
	ck_assert_int_eq(catalog_search(db, q, hits, 4, &n, &err), DUKA_OK);
	memset(q, 'x', 600);
	q[600] = '\0';
	ck_assert_int_eq(catalog_search(db, q, hits, 4, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* The index follows renames, new and removed barcodes, SKU changes. */
START_TEST(test_search_index)
{
	struct duka_err err = { 0, "" };
	struct product p;
	char got[256];

	ck_assert_int_eq(catalog_product_find(db, "SUG1", &p, &err), DUKA_OK);
	snprintf(p.name, sizeof p.name, "Mumias Salt 1kg");
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err), DUKA_OK);
	ck_assert_str_eq(search_skus("mumias sugar", 10, got, sizeof got), "");
	ck_assert_str_eq(search_skus("sugar", 10, got, sizeof got),
	    "JUI1 SUG2");
	ck_assert_str_eq(search_skus("salt", 10, got, sizeof got), "SUG1");
	ck_assert_str_eq(search_skus("mumias s", 10, got, sizeof got), "SUG1");

	/* A removed barcode leaves the index; a new one enters it. */
	ck_assert_str_eq(search_skus("59012341", 10, got, sizeof got), "SUG1");
	ck_assert_int_eq(fts_count("codes : \"5901234123457\""), 1);
	ck_assert_int_eq(catalog_barcode_remove(db, "5901234123457", &err),
	    DUKA_OK);
	ck_assert_str_eq(search_skus("59012341", 10, got, sizeof got), "");
	ck_assert_str_eq(search_skus("5901234123457", 10, got, sizeof got), "");
	ck_assert_int_eq(fts_count("codes : \"5901234123457\""), 0);
	ck_assert_int_eq(catalog_barcode_add(db, p.id, "036000291452", NULL,
	    &err), DUKA_OK);
	ck_assert_str_eq(search_skus("00360002", 10, got, sizeof got), "SUG1");
	ck_assert_str_eq(search_skus("036000291452", 10, got, sizeof got),
	    "SUG1");

	/* A new SKU. */
	get(p.id, &p);
	snprintf(p.sku, sizeof p.sku, "SALT-1");
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err), DUKA_OK);
	ck_assert_str_eq(search_skus("salt-1", 10, got, sizeof got), "SALT-1");
	ck_assert_str_eq(search_skus("sug1", 10, got, sizeof got), "");

	/* One index row per product, always. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products_fts"),
	    NELEM(shop));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products p WHERE "
	    "NOT EXISTS (SELECT 1 FROM products_fts f WHERE f.rowid = p.id "
	    "AND f.name = p.name AND f.sku = p.sku)"), 0);
}
END_TEST

/* Each change writes one product.changed event with the product's data. */
START_TEST(test_outbox)
{
	struct duka_err err = { 0, "" };
	const char *const codes[] = { "96385074", "tom1" };
	char list[256];
	struct product p;
	json_t *data;
	int64_t id, n;

	id = add("SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 1);
	data = last_event();
	ck_assert_str_eq(json_string_value(json_object_get(data, "sku")),
	    "SUG1");
	ck_assert_str_eq(json_string_value(json_object_get(data, "name")),
	    "Mumias Sugar 1kg");
	ck_assert(json_is_integer(json_object_get(data, "price")));
	ck_assert_int_eq(json_integer_value(json_object_get(data, "price")),
	    15000);
	ck_assert_int_eq(json_integer_value(json_object_get(data,
	    "product_id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(data, "unit")),
	    "piece");
	ck_assert_str_eq(json_string_value(json_object_get(data, "tax_class")),
	    "standard");
	ck_assert(json_is_true(json_object_get(data, "active")));
	event_codes(data, list, sizeof list);
	ck_assert_str_eq(list, "");
	json_decref(data);

	setenv("DUKA_NOW", TODAY "T09:00:01Z", 1);
	add_code(id, "036000291452");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 2);
	data = last_event();
	event_codes(data, list, sizeof list);
	ck_assert_str_eq(list, "0036000291452");
	json_decref(data);

	setenv("DUKA_NOW", TODAY "T09:00:02Z", 1);
	add_code(id, "5901234123457");
	data = last_event();
	event_codes(data, list, sizeof list);
	ck_assert_str_eq(list, "0036000291452 5901234123457");
	json_decref(data);

	get(id, &p);
	p.price = 15500;
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err), DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 4);
	data = last_event();
	ck_assert_int_eq(json_integer_value(json_object_get(data, "price")),
	    15500);
	ck_assert_str_eq(json_string_value(json_object_get(data, "sku")),
	    "SUG1");
	event_codes(data, list, sizeof list);
	ck_assert_str_eq(list, "0036000291452 5901234123457");
	json_decref(data);

	ck_assert_int_eq(catalog_barcode_remove(db, "036000291452", &err),
	    DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 5);
	data = last_event();
	event_codes(data, list, sizeof list);
	ck_assert_str_eq(list, "5901234123457");
	json_decref(data);

	ck_assert_int_eq(catalog_product_set_active(db, id, 0, "test", &err),
	    DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 6);
	data = last_event();
	ck_assert(json_is_false(json_object_get(data, "active")));
	json_decref(data);

	/* A product with its codes: one event holding all of them. */
	prod(&p, "TOM", "Tomatoes", 8000);
	ck_assert_msg(catalog_product_create(db, &p, codes, NELEM(codes),
	    "test", &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), 7);
	data = last_event();
	ck_assert_str_eq(json_string_value(json_object_get(data, "sku")),
	    "TOM");
	ck_assert_int_eq(json_integer_value(json_object_get(data, "price")),
	    8000);
	event_codes(data, list, sizeof list);
	ck_assert(strcmp(list, "96385074 TOM1") == 0 ||
	    strcmp(list, "TOM1 96385074") == 0);
	json_decref(data);

	/* Every event is pending, of its type, with a distinct id. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'product.changed' AND state = 'pending'"), 7);
	ck_assert_int_eq(tu_int(db, "SELECT count(DISTINCT id) FROM outbox"), 7);
	ck_assert_int_eq(outbox_pending(db, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 7);
}
END_TEST

/* catalog_product_create is all or nothing. */
START_TEST(test_create_all_or_nothing)
{
	struct duka_err err = { 0, "" };
	const char *const bad_check[] = { "96385074", "5901234123458" };
	const char *const taken[] = { "tom1", "4006381333931" };
	const char *const twice[] = { "036000291452", "0036000291452" };
	const char *const good[] = { "036000291452", "tom1" };
	struct counts before;
	struct codes codes;
	struct product p;
	int64_t mf;

	mf = add("MF1", "Maize Flour 2kg", 21000);
	add_code(mf, "4006381333931");
	counts_take(&before);

	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(catalog_product_create(db, &p, bad_check, 2, "test",
	    &err), DUKA_EINPUT);
	ck_assert_has(err.msg, "check digit");
	ck_assert_int_eq(p.id, 0);
	counts_same(&before, "bad check digit");

	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(catalog_product_create(db, &p, taken, 2, "test",
	    &err), DUKA_EINPUT);
	ck_assert_has(err.msg, "Maize Flour 2kg");
	ck_assert_int_eq(p.id, 0);
	counts_same(&before, "taken code");

	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(catalog_product_create(db, &p, twice, 2, "test",
	    &err), DUKA_EINPUT);
	counts_same(&before, "the same code twice");

	prod(&p, "mf1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(catalog_product_create(db, &p, good, 2, "test",
	    &err), DUKA_EINPUT);
	counts_same(&before, "taken SKU");

	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_msg(catalog_product_create(db, &p, good, 2, "test", &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_gt(p.id, 0);
	ck_assert_int_eq(codes_of(p.id, &codes)[0] != '\0', 1);
	ck_assert_int_eq(codes.n, 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"),
	    before.outbox + 1);
}
END_TEST

/* Categories: created once, found in any case, bad names refused. */
/* Collects category names "A,B,". */
struct cat_names {
	char names[256];
	int n, stop_after;
};

static int
cat_name_cb(void *ctx, int64_t id, const char *name)
{
	struct cat_names *c = ctx;

	ck_assert_int_gt(id, 0);
	strncat(c->names, name, sizeof c->names - strlen(c->names) - 2);
	strcat(c->names, ",");
	return ++c->n == c->stop_after;
}

START_TEST(test_categories)
{
	static const char *const bad[] = {
		"", "   ", "Dry\tgoods", "Dry\ngoods", "Bad \xff",
		"1234567890123456789012345678901234567890123456789012345678901",
	};
	struct duka_err err = { 0, "" };
	struct counts before;
	char name[400];
	int64_t a, b, c, f;
	int i;

	ck_assert_int_eq(catalog_category_ensure(db, "Dry goods", &a, &err),
	    DUKA_OK);
	ck_assert_int_gt(a, 0);
	counts_take(&before);
	ck_assert_int_eq(catalog_category_ensure(db, "DRY GOODS", &b, &err),
	    DUKA_OK);
	ck_assert_int_eq(b, a);
	ck_assert_int_eq(catalog_category_ensure(db, "  dry goods\n", &b, &err),
	    DUKA_OK);
	ck_assert_int_eq(b, a);
	counts_same(&before, "ensure again");
	ck_assert_int_eq(catalog_category_ensure(db, "Dairy", &c, &err),
	    DUKA_OK);
	ck_assert_int_ne(c, a);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM categories"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM categories WHERE "
	    "name = 'Dry goods'"), 1);

	f = -1;
	ck_assert_int_eq(catalog_category_find(db, "dry GOODS", &f, &err),
	    DUKA_OK);
	ck_assert_int_eq(f, a);
	ck_assert_int_eq(catalog_category_find(db, " Dairy ", &f, &err),
	    DUKA_OK);
	ck_assert_int_eq(f, c);
	f = -1;
	ck_assert_int_eq(catalog_category_find(db, "Household", &f, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(err.code, DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "Household");
	ck_assert_int_eq(f, -1);

	/* The list, by name; the callback can stop it. */
	{
		struct cat_names cn = { "", 0, 0 };

		ck_assert_int_eq(catalog_categories(db, cat_name_cb, &cn,
		    &err), DUKA_OK);
		ck_assert_str_eq(cn.names, "Dairy,Dry goods,");
		cn.names[0] = '\0';
		cn.n = 0;
		cn.stop_after = 1;
		ck_assert_int_eq(catalog_categories(db, cat_name_cb, &cn,
		    &err), DUKA_OK);
		ck_assert_str_eq(cn.names, "Dairy,");
	}
	ck_assert_int_eq(catalog_category_find(db, "", &f, &err),
	    DUKA_ENOTFOUND);

	/* Names: 60 characters at most, multibyte counting as one. */
	counts_take(&before);
	for (i = 0; i < NELEM(bad); i++) {
		duka_err_clear(&err);
		ck_assert_msg(catalog_category_ensure(db, bad[i], &f, &err) ==
		    DUKA_EINPUT, "%s accepted", bad[i]);
		ck_assert_int_ne(err.msg[0], '\0');
		counts_same(&before, bad[i]);
	}
	name[0] = '\0';
	for (i = 0; i < 61; i++)
		strcat(name, "é");
	ck_assert_int_eq(catalog_category_ensure(db, name, &f, &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "60");
	memset(name, 'x', 399);
	name[399] = '\0';
	ck_assert_int_eq(catalog_category_ensure(db, name, &f, &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "60");
	counts_same(&before, "long names");
	name[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(name, "é");
	ck_assert_int_eq(catalog_category_ensure(db, name, &f, &err), DUKA_OK);
	ck_assert_int_eq(catalog_category_find(db, name, &b, &err), DUKA_OK);
	ck_assert_int_eq(b, f);
}
END_TEST

/* Suppliers: created once, case-insensitively; bad input refused. */
START_TEST(test_suppliers)
{
	static const struct {
		const char *name;
		int64_t lead;
	} bad[] = {
		{ "", 0 }, { " ", 0 }, { "Bad\x01", 0 }, { "\xc3\x28", 0 },
		{ "Mumias Ltd", -1 }, { "Mumias Ltd", 366 },
		{ "Kapa Oil Refineries Ltd", 366 },
		{ "123456789012345678901234567890123456789012345678901234567890"
		    "123456789012345678901", 0 },
	};
	struct duka_err err = { 0, "" };
	struct counts before;
	char name[400];
	int64_t a, b, f;
	int i;

	ck_assert_int_eq(catalog_supplier_ensure(db, "Mumias Ltd", "0722000000",
	    7, &a, &err), DUKA_OK);
	counts_take(&before);
	ck_assert_int_eq(catalog_supplier_name(db, a, name, &err), DUKA_OK);
	ck_assert_str_eq(name, "Mumias Ltd");
	ck_assert_int_eq(catalog_supplier_name(db, a + 1000, name, &err),
	    DUKA_ENOTFOUND);
	ck_assert_has(err.msg, "no supplier");
	ck_assert_int_eq(catalog_supplier_ensure(db, "MUMIAS LTD", NULL, 3, &b,
	    &err), DUKA_OK);
	ck_assert_int_eq(b, a);
	ck_assert_int_eq(catalog_supplier_ensure(db, " mumias ltd ", "", 0, &b,
	    &err), DUKA_OK);
	ck_assert_int_eq(b, a);
	counts_same(&before, "ensure again");
	ck_assert_int_eq(count_id("SELECT count(*) FROM suppliers WHERE id = ?1 "
	    "AND name = 'Mumias Ltd' AND phone = '0722000000' AND "
	    "lead_time_days = 7", a), 1);
	ck_assert_int_eq(catalog_supplier_ensure(db, "Bidco", NULL, 365, &b,
	    &err), DUKA_OK);
	ck_assert_int_ne(b, a);
	ck_assert_int_eq(count_id("SELECT count(*) FROM suppliers WHERE id = ?1 "
	    "AND phone IS NULL", b), 1);

	counts_take(&before);
	for (i = 0; i < NELEM(bad); i++) {
		duka_err_clear(&err);
		f = -1;
		ck_assert_msg(catalog_supplier_ensure(db, bad[i].name, NULL,
		    bad[i].lead, &f, &err) == DUKA_EINPUT, "%s/%lld accepted",
		    bad[i].name, (long long)bad[i].lead);
		ck_assert_int_ne(err.msg[0], '\0');
		ck_assert_int_eq(f, -1);
		counts_same(&before, bad[i].name);
	}
	memset(name, 'x', 399);
	name[399] = '\0';
	ck_assert_int_eq(catalog_supplier_ensure(db, name, NULL, 0, &f, &err),
	    DUKA_EINPUT);
	ck_assert_has(err.msg, "80");
	counts_same(&before, "long name");
}
END_TEST

/* Inside an outer transaction that is rolled back, nothing remains. */
START_TEST(test_nested_rollback)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	struct product p;
	int64_t cat, id;

	id = add("MF1", "Maize Flour 2kg", 21000);
	counts_take(&before);
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	ck_assert_int_eq(catalog_category_ensure(db, "Dry goods", &cat, &err),
	    DUKA_OK);
	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	p.category_id = cat;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	add_code(p.id, "5901234123457");
	get(id, &p);
	p.price = 1;
	ck_assert_int_eq(catalog_product_update(db, &p, "test", &err), DUKA_OK);
	/* A refusal inside leaves the outer transaction to its owner. */
	prod(&p, "mf1", "Again", 100);
	ck_assert_int_eq(catalog_product_add(db, &p, "test", &err),
	    DUKA_EINPUT);
	ck_assert(db_in_transaction(db));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 2);
	db_rollback(db);
	ck_assert(!db_in_transaction(db));
	counts_same(&before, "rolled back");
	get(id, &p);
	ck_assert_int_eq(p.price, 21000);
	ck_assert_int_eq(catalog_product_find(db, "SUG1", &p, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(fts_count("\"mumias\""), 0);

	/* The same, committed, stays. */
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	prod(&p, "SUG1", "Mumias Sugar 1kg", 15000);
	ck_assert_int_eq(catalog_product_add(db, &p, "test", &err), DUKA_OK);
	ck_assert_int_eq(db_commit(db, &err), DUKA_OK);
	ck_assert_int_eq(catalog_product_find(db, "sug1", &p, &err), DUKA_OK);
	ck_assert_int_eq(fts_count("\"mumias\""), 1);
}
END_TEST

/* The SKUs of a page, as one line. */
static const char *
page_skus(const char *from, int before, int max, char *out, size_t n)
{
	struct duka_err err = { 0, "" };
	struct product page[8];
	size_t o = 0;
	int i, got = -1;

	ck_assert_int_le(max, NELEM(page));
	ck_assert_msg(catalog_page(db, from, before, page, max, &got, &err) ==
	    DUKA_OK, "page from \"%s\": %s", from, err.msg);
	ck_assert_int_ge(got, 0);
	ck_assert_int_le(got, max < 0 ? 0 : max);
	out[0] = '\0';
	for (i = 0; i < got; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "",
		    page[i].sku);
	return out;
}

/* Paging through the catalogue by SKU, both ways, inactive included. */
START_TEST(test_page)
{
	struct duka_err err = { 0, "" };
	struct product p[2];
	char line[256];
	int64_t id;
	int n = -1;

	ck_assert_str_eq(page_skus("", 0, 4, line, sizeof line), "");
	ck_assert_str_eq(page_skus("", 1, 4, line, sizeof line), "");
	add("b2", "Bread", 6000);
	add("A1", "Apples", 1000);
	id = add("c3", "Cabbage", 4000);
	add("D4", "Dates", 5000);
	add("e5", "Eggs", 1500);
	ck_assert_int_eq(catalog_product_set_active(db, id, 0, "test", &err),
	    DUKA_OK);
	/* Forwards: from a SKU (inclusive, any case), and from the start. */
	ck_assert_str_eq(page_skus("", 0, 3, line, sizeof line), "A1 b2 c3");
	ck_assert_str_eq(page_skus("C3", 0, 3, line, sizeof line), "c3 D4 e5");
	ck_assert_str_eq(page_skus("c", 0, 8, line, sizeof line), "c3 D4 e5");
	ck_assert_str_eq(page_skus("z", 0, 8, line, sizeof line), "");
	/* Backwards: before a SKU, and the last page, in ascending order. */
	ck_assert_str_eq(page_skus("D4", 1, 2, line, sizeof line), "b2 c3");
	ck_assert_str_eq(page_skus("d4", 1, 8, line, sizeof line), "A1 b2 c3");
	ck_assert_str_eq(page_skus("", 1, 2, line, sizeof line), "D4 e5");
	ck_assert_str_eq(page_skus("", 1, 3, line, sizeof line), "c3 D4 e5");
	ck_assert_str_eq(page_skus("A1", 1, 8, line, sizeof line), "");
	ck_assert_str_eq(page_skus("", 1, 8, line, sizeof line),
	    "A1 b2 c3 D4 e5");
	/* The rows are whole products, the inactive one saying so. */
	ck_assert_int_eq(catalog_page(db, "c3", 0, p, 1, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(p[0].id, id);
	ck_assert_str_eq(p[0].name, "Cabbage");
	ck_assert_int_eq(p[0].price, 4000);
	ck_assert_int_eq(p[0].active, 0);
	ck_assert_int_eq(catalog_page(db, "", 0, p, 0, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

static Suite *
catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc;

	tc = tcase_create("products");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_units);
	tcase_add_test(tc, test_add_good);
	tcase_add_loop_test(tc, test_add_field, 0, NELEM(field_cases));
	tcase_add_loop_test(tc, test_update_field, 0, NELEM(field_cases));
	tcase_add_test(tc, test_add_duplicate_sku);
	tcase_add_test(tc, test_add_unknown_category);
	tcase_add_test(tc, test_update);
	tcase_add_test(tc, test_get_unknown);
	tcase_add_test(tc, test_set_active);
	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_delete_on_count_sheet);
	tcase_add_test(tc, test_outbox);
	tcase_add_test(tc, test_create_all_or_nothing);
	tcase_add_test(tc, test_nested_rollback);
	suite_add_tcase(s, tc);

	tc = tcase_create("barcodes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_barcode_forms, 0, NELEM(code_cases));
	tcase_add_test(tc, test_barcode_list);
	tcase_add_test(tc, test_barcode_bad);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);

	tc = tcase_create("search");
	tcase_add_checked_fixture(tc, setup_shop, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_search, 0, NELEM(search_cases));
	tcase_add_test(tc, test_search_short);
	tcase_add_test(tc, test_search_max);
	tcase_add_test(tc, test_search_long);
	tcase_add_test(tc, test_search_index);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_categories);
	tcase_add_test(tc, test_suppliers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	setenv("DUKA_NOW", NOW, 1);
	if (date_set_timezone("UTC", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(catalog_suite());
}
