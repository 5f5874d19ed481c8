/*
 * check_stock.c - unit tests for the stock ledger (stock.c, stocktake.c):
 * receiving, FEFO with expired batches, selling below zero and settling
 * it, write-offs, stock takes, the consistency checks, the append-only
 * triggers and the outbox events. Every refusal is checked to change
 * nothing.
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"
#include "date.h"
#include "db.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"

static struct db *db;
static char dbpath[512];
static int64_t sugar, milk, rice, soap, oldsoap;

/* Add a product with catalog_product_add; returns its id. */
static int64_t
add_product(const char *sku, const char *name, int64_t cost, int64_t price,
    enum product_unit unit, int tracks, int active, const char *category)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.cost = cost;
	p.price = price;
	p.unit = unit;
	p.tracks_expiry = tracks;
	p.active = active;
	if (category != NULL)
		ck_assert_msg(catalog_category_ensure(db, category,
		    &p.category_id, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

static void
setup(void)
{
	db = tu_db_new(dbpath, sizeof dbpath);
	sugar = add_product("SUG1", "Sugar 1kg", 12000, 15000, UNIT_PIECE, 0, 1,
	    "Dry goods");
	milk = add_product("MLK1", "Milk 500ml", 5000, 6000, UNIT_PIECE, 1, 1,
	    "Dairy");
	rice = add_product("RICE", "Rice loose", 8000, 11000, UNIT_KG, 0, 1,
	    "Dry goods");
	soap = add_product("SOAP", "Soap bar", 3000, 4500, UNIT_PIECE, 0, 1,
	    "Household");
	oldsoap = add_product("OLD1", "Old soap", 2000, 3000, UNIT_PIECE, 0, 0,
	    "Household");
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Receive qty (thousandths) into a new batch; returns the batch id. */
static int64_t
recv(int64_t pid, int64_t qty, const char *batch_no, const char *expiry,
    const char *received, int64_t cost)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	int64_t bid = 0;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	snprintf(r.batch_no, sizeof r.batch_no, "%s", batch_no);
	snprintf(r.expiry, sizeof r.expiry, "%s", expiry);
	snprintf(r.received, sizeof r.received, "%s", received);
	r.unit_cost = cost;
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, &bid, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_gt(bid, 0);
	return bid;
}

/* An issue of qty with flags; returns the status, fills err. */
static int
issue(int64_t pid, int64_t qty, enum stock_reason reason, int flags,
    int64_t batch_id, struct stock_allocation *alloc, int max, int *n,
    struct duka_err *err)
{
	struct stock_issue is;

	memset(&is, 0, sizeof is);
	is.product_id = pid;
	is.qty = qty;
	is.reason = reason;
	is.unit_price = 15000;
	is.batch_id = batch_id;
	is.flags = flags;
	is.reference = "R1";
	is.user = "test";
	return stock_issue(db, &is, alloc, max, n, err);
}

/* One integer from SQL with one bound integer. */
static int64_t
q1(const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
stock_of(int64_t pid)
{
	return q1("SELECT stock_qty FROM products WHERE id = ?1", pid);
}

static int64_t
left_in(int64_t bid)
{
	return q1("SELECT qty_remaining FROM batches WHERE id = ?1", bid);
}

/* The ledger's balance without a batch. */
static int64_t
unbatched(int64_t pid)
{
	return q1("SELECT coalesce(sum(qty), 0) FROM stock_movements "
	    "WHERE product_id = ?1 AND batch_id IS NULL", pid);
}

/* Everything a refused action must leave as it was. */
struct snap {
	int64_t moves, batches, outbox, stock, left, prices, counts, counted;
};

static void
snap_take(struct snap *s)
{
	s->moves = tu_int(db, "SELECT count(*) FROM stock_movements");
	s->batches = tu_int(db, "SELECT count(*) FROM batches");
	s->outbox = tu_int(db, "SELECT count(*) FROM outbox");
	s->stock = tu_int(db, "SELECT coalesce(sum(stock_qty), 0) * 7 + "
	    "coalesce(sum(stock_qty * id), 0) FROM products");
	s->left = tu_int(db, "SELECT coalesce(sum(qty_remaining * id), 0) "
	    "FROM batches");
	s->prices = tu_int(db, "SELECT sum(price * id) + sum(cost * id) + "
	    "count(reorder_date) FROM products");
	s->counts = tu_int(db, "SELECT count(*) * 10 + "
	    "coalesce(sum(state = 'open'), 0) FROM stock_counts");
	s->counted = tu_int(db, "SELECT coalesce(sum(counted_qty), -1) "
	    "FROM stock_count_lines");
}

static void
snap_same(const struct snap *a, const char *what)
{
	struct snap b;

	snap_take(&b);
	ck_assert_msg(a->moves == b.moves, "%s: movements changed", what);
	ck_assert_msg(a->batches == b.batches, "%s: batches changed", what);
	ck_assert_msg(a->outbox == b.outbox, "%s: outbox changed", what);
	ck_assert_msg(a->stock == b.stock, "%s: stock changed", what);
	ck_assert_msg(a->left == b.left, "%s: batch quantities changed", what);
	ck_assert_msg(a->prices == b.prices, "%s: products changed", what);
	ck_assert_msg(a->counts == b.counts, "%s: count sheets changed", what);
	ck_assert_msg(a->counted == b.counted, "%s: counts changed", what);
}

/* Assert a refusal with code and a message containing want. */
static void
refused(int rc, const struct duka_err *err, int code, const char *want,
    const char *what)
{
	ck_assert_msg(rc == code, "%s: rc %d, want %d (%s)", what, rc, code,
	    err->msg);
	ck_assert_msg(strstr(err->msg, want) != NULL,
	    "%s: message \"%s\" lacks \"%s\"", what, err->msg, want);
}

/* Problems found by the two stock checks, with their texts joined. */
struct found {
	long n;
	char text[2048];
};

static void
collect(void *ctx, const char *check, const char *text)
{
	struct found *f = ctx;
	size_t len = strlen(f->text);

	f->n++;
	snprintf(f->text + len, sizeof f->text - len, "%s: %s\n", check, text);
}

static long
run_checks(struct found *f)
{
	struct check_report r;
	struct duka_err err = { 0, "" };

	memset(f, 0, sizeof *f);
	r.problems = 0;
	r.emit = collect;
	r.ctx = f;
	ck_assert_int_eq(stock_check_levels(db, &r, &err), DUKA_OK);
	ck_assert_int_eq(stock_check_batches(db, &r, &err), DUKA_OK);
	return r.problems;
}

/* ---- reasons ---------------------------------------------------------- */

START_TEST(test_reasons)
{
	static const struct {
		const char *text;
		enum stock_reason r;
	} good[] = {
		{ "receive", STOCK_RECEIVE }, { "sale", STOCK_SALE },
		{ "return", STOCK_RETURN }, { "damage", STOCK_DAMAGE },
		{ "expiry", STOCK_EXPIRY }, { "count", STOCK_COUNT },
		{ "transfer", STOCK_TRANSFER },
		{ "correction", STOCK_CORRECTION },
		{ "  Damage ", STOCK_DAMAGE }, { "SALE", STOCK_SALE },
	};
	static const char *const bad[] = { "", "theft", "sales", "dam age",
	    "receivereceivereceive" };
	struct duka_err err = { 0, "" };
	enum stock_reason r;
	int i;

	for (i = 0; i < NELEM(good); i++) {
		r = STOCK_RECEIVE;
		ck_assert_msg(stock_reason_parse(good[i].text, &r, &err) ==
		    DUKA_OK, "%s: %s", good[i].text, err.msg);
		ck_assert_int_eq(r, good[i].r);
		if (i < 8)
			ck_assert_str_eq(stock_reason_name(r), good[i].text);
	}
	for (i = 0; i < NELEM(bad); i++) {
		r = STOCK_SALE;
		refused(stock_reason_parse(bad[i], &r, &err), &err, DUKA_EINPUT,
		    "not a reason", bad[i]);
		ck_assert_int_eq(r, STOCK_SALE);
	}
	ck_assert_str_eq(stock_reason_name((enum stock_reason)99), "invalid");
}
END_TEST

/* ---- receiving -------------------------------------------------------- */

START_TEST(test_receive_good)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	struct product p;
	int64_t bid = 0, sup;

	ck_assert_int_eq(catalog_supplier_ensure(db, "Mumias", NULL, 3, &sup,
	    &err), DUKA_OK);
	stock_receipt_init(&r);
	ck_assert_int_eq(r.unit_cost, -1);
	ck_assert_int_eq(r.new_price, -1);
	r.product_id = sugar;
	r.qty = 24000;
	strcpy(r.batch_no, "B12");
	strcpy(r.received, "14/06/2026");
	r.unit_cost = 12500;
	r.new_price = 16000;
	strcpy(r.reorder_date, "2026-07-01");
	r.supplier_id = sup;
	strcpy(r.reference, "DN-881");
	r.user = "wanjiku";
	r.note = "first delivery";
	ck_assert_msg(stock_receive(db, &r, &bid, &err) == DUKA_OK, "%s",
	    err.msg);

	ck_assert_int_eq(q1("SELECT count(*) FROM batches WHERE id = ?1 AND "
	    "batch_no = 'B12' AND expiry_date IS NULL AND received_date = "
	    "'2026-06-14' AND unit_cost = 12500 AND qty_received = 24000 AND "
	    "qty_remaining = 24000 AND supplier_id IS NOT NULL", bid), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "batch_id = ?1 AND qty = 24000 AND reason = 'receive' AND "
	    "unit_cost = 12500 AND unit_price = 16000 AND reference = 'DN-881' "
	    "AND user_name = 'wanjiku' AND note = 'first delivery' AND "
	    "at = '2026-06-15T09:00:00.000Z'", bid), 1);
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	ck_assert_int_eq(p.stock_qty, 24000);
	ck_assert_int_eq(p.cost, 12500);
	ck_assert_int_eq(p.price, 16000);
	ck_assert_str_eq(p.reorder_date, "2026-07-01");

	/* One stock.moved event, with every field. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved' AND "
	    "json_extract(data, '$.movement_id') = (SELECT max(id) FROM "
	    "stock_movements) AND json_extract(data, '$.product_id') = ?1 AND "
	    "json_extract(data, '$.sku') = 'SUG1' AND "
	    "json_extract(data, '$.batch_id') = (SELECT max(id) FROM batches) "
	    "AND json_extract(data, '$.qty') = 24000 AND "
	    "json_extract(data, '$.reason') = 'receive' AND "
	    "json_extract(data, '$.unit_cost') = 12500 AND "
	    "json_extract(data, '$.unit_price') = 16000 AND "
	    "json_extract(data, '$.reference') = 'DN-881' AND "
	    "json_extract(data, '$.user') = 'wanjiku' AND "
	    "json_extract(data, '$.note') = 'first delivery' AND "
	    "json_extract(data, '$.at') = '2026-06-15T09:00:00.000Z' AND "
	    "json_type(data, '$.qty') = 'integer'", sugar), 1);

	/* Without a cost: the product's cost, which stays as it is. */
	bid = recv(sugar, 6000, "", "", "", -1);
	ck_assert_int_eq(q1("SELECT unit_cost FROM batches WHERE id = ?1", bid),
	    12500);
	ck_assert_int_eq(q1("SELECT received_date = '" TODAY "' FROM batches "
	    "WHERE id = ?1", bid), 1);
	ck_assert_int_eq(stock_of(sugar), 30000);

	/* A product that tracks expiry, with its date; expiry today is ok. */
	bid = recv(milk, 500, "M1", TODAY, "", 4800);
	ck_assert_int_eq(left_in(bid), 500);
	/* A weighed product, 2.5 kg. */
	bid = recv(rice, 2500, "", "", "", -1);
	ck_assert_int_eq(stock_of(rice), 2500);

	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), 4);
}
END_TEST

START_TEST(test_receive_bad)
{
	static const struct {
		const char *what;
		int64_t *product;	/* NULL: no such product */
		int64_t qty;
		const char *expiry, *received, *reorder;
		int64_t cost, price, supplier;
		int code;
		const char *want;
	} bad[] = {
		{ "unknown product", NULL, 1000, "", "", "", -1, -1, 0,
		    DUKA_ENOTFOUND, "no product number 9999" },
		{ "zero quantity", &sugar, 0, "", "", "", -1, -1, 0,
		    DUKA_EINPUT, "more than 0 (not 0)" },
		{ "negative quantity", &sugar, -5000, "", "", "", -1, -1, 0,
		    DUKA_EINPUT, "more than 0 (not -5)" },
		{ "absurd quantity", &sugar, 5000000000000LL, "", "", "", -1,
		    -1, 0, DUKA_EINPUT, "too large" },
		{ "30 February expiry", &milk, 1000, "2026-02-30", "", "", -1,
		    -1, 0, DUKA_EINPUT, "no day 30" },
		{ "30 February received", &sugar, 1000, "", "30/02/2026", "",
		    -1, -1, 0, DUKA_EINPUT, "no day 30" },
		{ "bad reorder date", &sugar, 1000, "", "", "2026-13-01", -1,
		    -1, 0, DUKA_EINPUT, "no month 13" },
		{ "expiry before receipt", &milk, 1000, "2026-06-09",
		    "2026-06-10", "", -1, -1, 0, DUKA_EINPUT,
		    "expiry date 2026-06-09 is before the received date "
		    "2026-06-10" },
		{ "received tomorrow", &sugar, 1000, "", "2026-06-16", "", -1,
		    -1, 0, DUKA_EINPUT, "2026-06-16 is in the future" },
		{ "tracks expiry without date", &milk, 1000, "", "", "", -1, -1,
		    0, DUKA_EINPUT, "tracks expiry dates" },
		{ "inactive product", &oldsoap, 1000, "", "", "", -1, -1, 0,
		    DUKA_EINPUT, "Old soap (SKU OLD1) is inactive" },
		{ "negative cost", &sugar, 1000, "", "", "", -5, -1, 0,
		    DUKA_EINPUT, "unit cost -0.05 is negative" },
		{ "negative price", &sugar, 1000, "", "", "", -1, -200, 0,
		    DUKA_EINPUT, "new price -2.00 is negative" },
		{ "unknown supplier", &sugar, 1000, "", "", "", -1, -1, 42,
		    DUKA_ENOTFOUND, "no supplier number 42" },
		/* The catalogue refuses it inside the transaction. */
		{ "absurd price", &sugar, 1000, "", "", "", -1,
		    9000000000000LL, 0, DUKA_EINPUT, "price must be" },
	};
	struct duka_err err;
	struct stock_receipt r;
	struct snap s;
	int64_t bid;
	char out[DATE_LEN];
	int i;

	/* Some stock first, so that "unchanged" means something. */
	recv(sugar, 5000, "", "", "", -1);
	recv(milk, 3000, "", "2026-07-01", "", -1);
	for (i = 0; i < NELEM(bad); i++) {
		stock_receipt_init(&r);
		r.product_id = bad[i].product ? *bad[i].product : 9999;
		r.qty = bad[i].qty;
		strcpy(r.expiry, bad[i].expiry);
		strcpy(r.received, bad[i].received);
		strcpy(r.reorder_date, bad[i].reorder);
		r.unit_cost = bad[i].cost;
		r.new_price = bad[i].price;
		r.supplier_id = bad[i].supplier;
		bid = -7;
		memset(&err, 0, sizeof err);
		snap_take(&s);
		refused(stock_receive(db, &r, &bid, &err), &err, bad[i].code,
		    bad[i].want, bad[i].what);
		ck_assert_msg(bid == -7, "%s: batch id set", bad[i].what);
		snap_same(&s, bad[i].what);
	}
	/* The command line refuses 30 February before it gets here. */
	refused(date_parse("30/02/2026", out, &err), &err, DUKA_EINPUT,
	    "no day 30", "date_parse");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), 2);
}
END_TEST

/* ---- FEFO ------------------------------------------------------------- */

START_TEST(test_fefo_expired_skipped)
{
	struct stock_allocation a[8];
	struct duka_err err = { 0, "" };
	int64_t b1, b2, b3, other;
	struct snap s;
	int n;

	/* Received in an order that is not the expiry order. */
	b3 = recv(milk, 10000, "B3", "2026-07-01", "2026-06-01", 5200);
	b1 = recv(milk, 5000, "B12", "2026-06-10", "2026-05-01", 5000);
	b2 = recv(milk, 4000, "B2", "2026-06-20", "2026-06-01", 5100);
	ck_assert_int_eq(stock_of(milk), 19000);

	/* 6: the expired B12 is skipped; B2 empties, B3 gives 2. */
	ck_assert_msg(issue(milk, 6000, STOCK_SALE, 0, 0, a, NELEM(a), &n,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(a[0].batch_id, b2);
	ck_assert_int_eq(a[0].qty, 4000);
	ck_assert_int_eq(a[0].unit_cost, 5100);
	ck_assert_str_eq(a[0].expiry, "2026-06-20");
	ck_assert_int_eq(a[1].batch_id, b3);
	ck_assert_int_eq(a[1].qty, 2000);
	ck_assert_int_eq(a[1].unit_cost, 5200);
	ck_assert_int_eq(left_in(b1), 5000);
	ck_assert_int_eq(left_in(b2), 0);
	ck_assert_int_eq(left_in(b3), 8000);
	ck_assert_int_eq(stock_of(milk), 13000);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "product_id = ?1 AND reason = 'sale' AND ((batch_id = (SELECT id "
	    "FROM batches WHERE batch_no = 'B2') AND qty = -4000 AND "
	    "unit_cost = 5100) OR (batch_id = (SELECT id FROM batches WHERE "
	    "batch_no = 'B3') AND qty = -2000 AND unit_cost = 5200)) AND "
	    "unit_price = 15000 AND reference = 'R1'", milk), 2);

	/* 9 cannot be covered without B12: refused, even going negative. */
	snap_take(&s);
	{
		char why[200];
		int needs = -1;

		ck_assert_msg(stock_sale_needs_expired(db, milk, 8000, &needs,
		    why, sizeof why, &err) == DUKA_OK, "%s", err.msg);
		ck_assert_int_eq(needs, 0);
		ck_assert_str_eq(why, "");
		ck_assert_msg(stock_sale_needs_expired(db, milk, 9000, &needs,
		    why, sizeof why, &err) == DUKA_OK, "%s", err.msg);
		ck_assert_int_eq(needs, 1);
		ck_assert_str_eq(why, "Milk 500ml: batch B12 expired on "
		    "2026-06-10; it cannot be sold");
		/* No stock at all is not the expired batch's doing. */
		ck_assert_int_eq(stock_sale_needs_expired(db, sugar, 1000,
		    &needs, NULL, 0, &err), DUKA_OK);
		ck_assert_int_eq(needs, 0);
		refused(stock_sale_needs_expired(db, milk, 0, &needs, why,
		    sizeof why, &err), &err, DUKA_EINPUT, "quantity", "qty 0");
		refused(stock_sale_needs_expired(db, 99999, 1000, &needs, why,
		    sizeof why, &err), &err, DUKA_ENOTFOUND, "", "no product");
	}
	refused(issue(milk, 9000, STOCK_SALE, 0, 0, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT,
	    "Milk 500ml: batch B12 expired on 2026-06-10; it cannot be sold",
	    "9 without flags");
	ck_assert_int_eq(n, 0);
	refused(issue(milk, 9000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0, a,
	    NELEM(a), &n, &err), &err, DUKA_EINPUT, "batch B12 expired on "
	    "2026-06-10", "9 allowing negative");
	refused(issue(milk, 9000, STOCK_DAMAGE, 0, 0, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT, "write it off first", "damage");
	/* Naming the expired batch is refused the same way. */
	refused(issue(milk, 1000, STOCK_SALE, 0, b1, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT, "batch B12 expired on 2026-06-10", "batch B12");
	/* A batch of another product, and more than a batch holds. */
	other = recv(sugar, 1000, "S1", "", "", -1);
	snap_take(&s);
	refused(issue(milk, 1000, STOCK_SALE, 0, other, a, NELEM(a), &n,
	    &err), &err, DUKA_ENOTFOUND, "has no batch number", "other batch");
	refused(issue(milk, 8001, STOCK_SALE, STOCK_ALLOW_NEGATIVE, b3, a,
	    NELEM(a), &n, &err), &err, DUKA_EINPUT, "holds only 8",
	    "too much from B3");
	/* Too many allocations for the caller's array. */
	refused(issue(milk, 9000, STOCK_SALE, STOCK_ALLOW_EXPIRED, 0, a, 1, &n,
	    &err), &err, DUKA_EFAIL, "needs 2 batches", "max 1");
	snap_same(&s, "refused issues");

	/* Allowed expired: B12 first (it expires first), then B3. */
	ck_assert_msg(issue(milk, 9000, STOCK_SALE, STOCK_ALLOW_EXPIRED, 0, a,
	    NELEM(a), &n, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(a[0].batch_id, b1);
	ck_assert_int_eq(a[0].qty, 5000);
	ck_assert_int_eq(a[1].batch_id, b3);
	ck_assert_int_eq(a[1].qty, 4000);
	ck_assert_int_eq(left_in(b1), 0);
	ck_assert_int_eq(left_in(b3), 4000);
	ck_assert_int_eq(stock_of(milk), 4000);

	/* With B12 gone, taking from a named good batch works. */
	ck_assert_msg(issue(milk, 1500, STOCK_TRANSFER, 0, b3, NULL, 0, &n,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(left_in(b3), 2500);
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

START_TEST(test_fefo_undated_last)
{
	struct stock_allocation a[8];
	struct duka_err err = { 0, "" };
	int64_t undated, dated, dated2;
	int n;

	undated = recv(sugar, 3000, "OLD", "", "2026-01-01", -1);
	dated = recv(sugar, 2000, "D1", "2026-12-31", "", -1);
	dated2 = recv(sugar, 2000, "D2", "2026-12-31", "", -1);
	ck_assert_msg(issue(sugar, 4500, STOCK_SALE, 0, 0, a, NELEM(a), &n,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(a[0].batch_id, dated);
	ck_assert_int_eq(a[1].batch_id, dated2);
	ck_assert_int_eq(a[2].batch_id, undated);
	ck_assert_int_eq(a[2].qty, 500);
	ck_assert_str_eq(a[2].expiry, "");
	ck_assert_int_eq(left_in(undated), 2500);
	ck_assert_int_eq(left_in(dated), 0);
	ck_assert_int_eq(left_in(dated2), 0);
}
END_TEST

START_TEST(test_issue_bad)
{
	static const struct {
		const char *what;
		int64_t *product;
		int64_t qty;
		enum stock_reason reason;
		int code;
		const char *want;
	} bad[] = {
		{ "unknown product", NULL, 1000, STOCK_SALE, DUKA_ENOTFOUND,
		    "no product number 9999" },
		{ "zero", &sugar, 0, STOCK_SALE, DUKA_EINPUT, "more than 0" },
		{ "negative", &sugar, -1000, STOCK_SALE, DUKA_EINPUT,
		    "more than 0" },
		{ "receive is incoming", &sugar, 1000, STOCK_RECEIVE,
		    DUKA_EINPUT, "\"receive\" is not a reason for taking" },
		{ "return is incoming", &sugar, 1000, STOCK_RETURN, DUKA_EINPUT,
		    "\"return\" is not a reason for taking" },
		{ "bad reason", &sugar, 1000, (enum stock_reason)42,
		    DUKA_EINPUT, "\"invalid\" is not a reason" },
	};
	struct duka_err err = { 0, "" };
	struct snap s;
	int i, n;

	recv(sugar, 5000, "", "", "", -1);
	snap_take(&s);
	for (i = 0; i < NELEM(bad); i++) {
		n = 99;
		refused(issue(bad[i].product ? *bad[i].product : 9999,
		    bad[i].qty, bad[i].reason, STOCK_ALLOW_NEGATIVE, 0, NULL, 0,
		    &n, &err), &err, bad[i].code, bad[i].want, bad[i].what);
		ck_assert_int_eq(n, 0);
	}
	snap_same(&s, "bad issues");
}
END_TEST

/* ---- below zero --------------------------------------------------------- */

START_TEST(test_oversell)
{
	struct stock_allocation a[8];
	struct duka_err err = { 0, "" };
	int64_t b;
	struct snap s;
	int n;

	/* Nothing on record at all. */
	snap_take(&s);
	refused(issue(soap, 1000, STOCK_SALE, 0, 0, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT, "Soap bar: none in stock", "soap");
	b = recv(sugar, 5000, "", "", "", 11000);
	snap_take(&s);
	refused(issue(sugar, 8000, STOCK_SALE, 0, 0, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT, "Sugar 1kg: only 5 in stock", "8 of 5");
	snap_same(&s, "oversell refused");

	/* Allowed: the batch empties and 3 go below zero without a batch. */
	ck_assert_msg(issue(sugar, 8000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0, a,
	    NELEM(a), &n, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(a[0].batch_id, b);
	ck_assert_int_eq(a[0].qty, 5000);
	ck_assert_int_eq(a[0].unit_cost, 11000);
	ck_assert_int_eq(a[1].batch_id, 0);
	ck_assert_int_eq(a[1].qty, 3000);
	ck_assert_int_eq(a[1].unit_cost, 11000);	/* the product's cost */
	ck_assert_int_eq(stock_of(sugar), -3000);
	ck_assert_int_eq(left_in(b), 0);
	ck_assert_int_eq(unbatched(sugar), -3000);
	/* The unbatched event says batch_id null. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "json_type(data, '$.batch_id') = 'null' AND "
	    "json_extract(data, '$.qty') = -3000"), 1);
	/* And out of stock entirely, with the flag, still works. */
	ck_assert_msg(issue(sugar, 1000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0, a,
	    NELEM(a), &n, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(stock_of(sugar), -4000);
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

/* A positive balance without a batch (a return booked without one) is
 * stock too: taken after the batches, before refusing. */
START_TEST(test_unbatched_positive)
{
	struct stock_allocation a[8];
	struct duka_err err = { 0, "" };
	int64_t b;
	struct snap s;
	int n;

	b = recv(soap, 1000, "", "", "", 3100);
	tu_exec(db, "INSERT INTO stock_movements(product_id, batch_id, qty, "
	    "reason, unit_cost, unit_price, at) SELECT id, NULL, 2000, "
	    "'return', cost, price, '2026-06-15T09:00:00.000Z' FROM products "
	    "WHERE sku = 'SOAP'");
	tu_exec(db, "UPDATE products SET stock_qty = stock_qty + 2000 "
	    "WHERE sku = 'SOAP'");
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
	ck_assert_msg(issue(soap, 2500, STOCK_SALE, 0, 0, a, NELEM(a), &n,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(a[0].batch_id, b);
	ck_assert_int_eq(a[0].qty, 1000);
	ck_assert_int_eq(a[1].batch_id, 0);
	ck_assert_int_eq(a[1].qty, 1500);
	ck_assert_int_eq(a[1].unit_cost, 3100);
	ck_assert_int_eq(stock_of(soap), 500);
	snap_take(&s);
	refused(issue(soap, 1000, STOCK_SALE, 0, 0, a, NELEM(a), &n, &err),
	    &err, DUKA_EINPUT, "Soap bar: only 0.5 in stock", "0.5 left");
	snap_same(&s, "soap refused");
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

START_TEST(test_negative_settled)
{
	struct duka_err err = { 0, "" };
	int64_t b, moves;
	int n;

	ck_assert_int_eq(issue(sugar, 3000, STOCK_SALE, STOCK_ALLOW_NEGATIVE,
	    0, NULL, 0, &n, &err), DUKA_OK);
	ck_assert_int_eq(stock_of(sugar), -3000);
	moves = tu_int(db, "SELECT count(*) FROM stock_movements");

	/* 10 arrive: 3 of them were already sold. */
	b = recv(sugar, 10000, "B1", "", "", -1);
	ck_assert_int_eq(stock_of(sugar), 7000);
	ck_assert_int_eq(left_in(b), 7000);
	ck_assert_int_eq(unbatched(sugar), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements") -
	    moves, 3);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "product_id = ?1 AND reason = 'receive' AND qty = 10000", sugar),
	    1);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "product_id = ?1 AND reason = 'correction' AND ((batch_id IS NULL "
	    "AND qty = 3000) OR (batch_id IS NOT NULL AND qty = -3000))",
	    sugar), 2);
	ck_assert_int_eq(q1("SELECT qty_received FROM batches WHERE id = ?1",
	    b), 10000);

	/* A receipt smaller than the deficit settles what it can. */
	ck_assert_int_eq(issue(sugar, 15000, STOCK_SALE, STOCK_ALLOW_NEGATIVE,
	    0, NULL, 0, &n, &err), DUKA_OK);
	ck_assert_int_eq(stock_of(sugar), -8000);
	b = recv(sugar, 5000, "B2", "", "", -1);
	ck_assert_int_eq(stock_of(sugar), -3000);
	ck_assert_int_eq(left_in(b), 0);
	ck_assert_int_eq(unbatched(sugar), -3000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), tu_int(db, "SELECT count(*) FROM "
	    "stock_movements"));
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

/* ---- write-off ---------------------------------------------------------- */

START_TEST(test_writeoff)
{
	struct duka_err err = { 0, "" };
	int64_t a, b, c, d, k, batches = -1, value = -1;

	a = recv(milk, 5000, "A", "2026-06-10", "2026-06-01", 5000);
	b = recv(milk, 2000, "B", "2026-06-14", "2026-06-01", 5100);
	c = recv(milk, 4000, "C", TODAY, "2026-06-01", 5200);
	d = recv(milk, 4000, "D", "2026-08-01", "", 5300);
	/* 2.5 kg at 123.45 a kg: 308.625, rounded half away to 308.63. */
	k = recv(rice, 2500, "K", "2026-06-01", "2026-05-01", 12345);

	ck_assert_msg(stock_writeoff_expired(db, "test", &batches, &value,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(batches, 3);
	ck_assert_int_eq(value, 5000 * 5 + 5100 * 2 + 30863);
	ck_assert_int_eq(left_in(a), 0);
	ck_assert_int_eq(left_in(b), 0);
	ck_assert_int_eq(left_in(c), 4000);	/* expires today: still good */
	ck_assert_int_eq(left_in(d), 4000);
	ck_assert_int_eq(left_in(k), 0);
	ck_assert_int_eq(stock_of(milk), 8000);
	ck_assert_int_eq(stock_of(rice), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'expiry' AND user_name = 'test' AND unit_price = 0 "
	    "AND ((qty = -5000 AND unit_cost = 5000) OR (qty = -2000 AND "
	    "unit_cost = 5100) OR (qty = -2500 AND unit_cost = 12345))"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "json_extract(data, '$.reason') = 'expiry'"), 3);

	/* Expiring today is still good: the next sale takes C first. */
	ck_assert_int_eq(issue(milk, 1000, STOCK_SALE, 0, 0, NULL, 0, NULL,
	    &err), DUKA_OK);
	ck_assert_int_eq(left_in(c), 3000);

	/* Nothing left to write off. */
	ck_assert_int_eq(stock_writeoff_expired(db, "test", &batches, &value,
	    &err), DUKA_OK);
	ck_assert_int_eq(batches, 0);
	ck_assert_int_eq(value, 0);
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

START_TEST(test_writeoff_then_oversell)
{
	struct duka_err err = { 0, "" };
	int64_t batches, value;
	int n;

	/* Expired stock blocks the sale; once written off, it goes below 0. */
	recv(milk, 2000, "OLD", "2026-06-01", "2026-05-20", 5000);
	refused(issue(milk, 1000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0, NULL, 0,
	    &n, &err), &err, DUKA_EINPUT, "batch OLD expired on 2026-06-01",
	    "before write-off");
	ck_assert_int_eq(stock_writeoff_expired(db, NULL, &batches, &value,
	    &err), DUKA_OK);
	ck_assert_int_eq(batches, 1);
	ck_assert_int_eq(value, 10000);
	ck_assert_msg(issue(milk, 1000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0,
	    NULL, 0, &n, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(stock_of(milk), -1000);
}
END_TEST

/* ---- stock take --------------------------------------------------------- */

START_TEST(test_stocktake)
{
	struct stocktake_result res = { -1, -1, -1 };
	struct stocktake_sheet sh;
	struct duka_err err = { 0, "" };
	int64_t id, b1, b2, gain;
	struct snap s;

	b1 = recv(sugar, 6000, "S1", "2026-09-01", "", 100);
	b2 = recv(sugar, 4000, "S2", "2026-10-01", "", 120);
	recv(rice, 5000, "", "", "", -1);		/* cost 80.00 a kg */
	recv(soap, 2000, "", "", "", -1);

	ck_assert_msg(stocktake_open(db, 0, "test", &id, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(stocktake_get(db, id, &sh, &err), DUKA_OK);
	ck_assert_str_eq(sh.state, "open");
	ck_assert_int_eq(sh.lines, 4);		/* not the inactive one */
	ck_assert_int_eq(sh.counted, 0);

	ck_assert_int_eq(stocktake_set(db, id, sugar, 7000, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_set(db, id, rice, 9000, &err), DUKA_OK);
	/* A second count of the same product replaces the first. */
	ck_assert_int_eq(stocktake_set(db, id, rice, 6500, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_set(db, id, milk, 0, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_get(db, id, &sh, &err), DUKA_OK);
	ck_assert_int_eq(sh.counted, 3);
	/* Stock moves while the sheet is open: the commit sees it. */
	recv(milk, 1000, "M", "2026-07-01", "", 4000);

	ck_assert_msg(stocktake_commit(db, id, "test", &res, &err) == DUKA_OK,
	    "%s", err.msg);
	/* Sugar -3 from S1 (FEFO) at 1.00; rice +1.5 kg at 80.00; milk -1. */
	ck_assert_int_eq(res.lines, 3);
	gain = 8000 * 1500 / 1000;
	ck_assert_int_eq(res.gain_value, gain);
	ck_assert_int_eq(res.loss_value, 3 * 100 + 4000);
	ck_assert_int_eq(stock_of(sugar), 7000);
	ck_assert_int_eq(left_in(b1), 3000);
	ck_assert_int_eq(left_in(b2), 4000);
	ck_assert_int_eq(stock_of(rice), 6500);
	ck_assert_int_eq(stock_of(milk), 0);
	ck_assert_int_eq(stock_of(soap), 2000);	/* not counted: untouched */
	ck_assert_int_eq(q1("SELECT count(*) FROM batches WHERE product_id = "
	    "?1 AND batch_no = 'COUNT-1' AND unit_cost = 8000 AND "
	    "expiry_date IS NULL AND qty_remaining = 1500", rice), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'count' AND reference = 'COUNT-1'"), 3);
	ck_assert_int_eq(stocktake_get(db, id, &sh, &err), DUKA_OK);
	ck_assert_str_eq(sh.state, "committed");
	ck_assert_str_ne(sh.committed_at, "");

	/* Committing twice, cancelling or counting after: refused. */
	snap_take(&s);
	refused(stocktake_commit(db, id, "test", &res, &err), &err,
	    DUKA_EINPUT, "already committed", "commit twice");
	refused(stocktake_cancel(db, id, &err), &err, DUKA_EINPUT,
	    "already committed", "cancel committed");
	refused(stocktake_set(db, id, sugar, 1000, &err), &err, DUKA_EINPUT,
	    "already committed", "set committed");
	snap_same(&s, "committed sheet");
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

START_TEST(test_stocktake_bad)
{
	struct stocktake_result res;
	struct duka_err err = { 0, "" };
	int64_t id, cat, empty, n;
	struct snap s;

	recv(sugar, 2000, "", "", "", -1);
	ck_assert_int_eq(catalog_category_find(db, "Dry goods", &cat, &err),
	    DUKA_OK);
	refused(stocktake_latest_open(db, &n, &err), &err, DUKA_ENOTFOUND,
	    "no count sheet is open", "none open yet");
	ck_assert_int_eq(stocktake_open(db, cat, "test", &id, &err), DUKA_OK);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_count_lines WHERE "
	    "count_id = ?1", id), 2);
	n = 0;
	ck_assert_int_eq(stocktake_latest_open(db, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, id);

	snap_take(&s);
	refused(stocktake_set(db, id, soap, 1000, &err), &err, DUKA_EINPUT,
	    "Soap bar (SKU SOAP) is not on count sheet", "not on sheet");
	refused(stocktake_set(db, id, sugar, -1000, &err), &err, DUKA_EINPUT,
	    "cannot be negative (not -1)", "negative count");
	refused(stocktake_set(db, id, 9999, 1000, &err), &err, DUKA_ENOTFOUND,
	    "no product number 9999", "unknown product");
	refused(stocktake_set(db, 77, sugar, 1000, &err), &err, DUKA_ENOTFOUND,
	    "no count sheet number 77", "unknown sheet");
	refused(stocktake_commit(db, 77, "test", &res, &err), &err,
	    DUKA_ENOTFOUND, "no count sheet number 77", "commit unknown");
	refused(stocktake_open(db, 555, "test", &n, &err), &err,
	    DUKA_ENOTFOUND, "no category number 555", "unknown category");
	ck_assert_int_eq(catalog_category_ensure(db, "Empty", &empty, &err),
	    DUKA_OK);
	refused(stocktake_open(db, empty, "test", &n, &err), &err, DUKA_EINPUT,
	    "the category Empty has no active products", "empty category");
	snap_same(&s, "bad stock take");

	/* Cancelled: nothing moves, and it cannot be committed later. */
	ck_assert_int_eq(stocktake_set(db, id, sugar, 500, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_cancel(db, id, &err), DUKA_OK);
	refused(stocktake_latest_open(db, &n, &err), &err, DUKA_ENOTFOUND,
	    "no count sheet is open", "none open after cancel");
	snap_take(&s);
	refused(stocktake_commit(db, id, "test", &res, &err), &err,
	    DUKA_EINPUT, "count sheet 1 was cancelled", "commit cancelled");
	refused(stocktake_cancel(db, id, &err), &err, DUKA_EINPUT,
	    "was cancelled", "cancel twice");
	snap_same(&s, "cancelled sheet");
	ck_assert_int_eq(stock_of(sugar), 2000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'count'"), 0);
}
END_TEST

START_TEST(test_stocktake_negative_and_expired)
{
	struct stocktake_result res;
	struct duka_err err = { 0, "" };
	int64_t id, old, b;
	int n;

	/* Sugar sold 3 below zero; 4 are found on the shelf. */
	ck_assert_int_eq(issue(sugar, 3000, STOCK_SALE, STOCK_ALLOW_NEGATIVE,
	    0, NULL, 0, &n, &err), DUKA_OK);
	/* Milk: only an expired batch; the count finds 1 of its 2. */
	old = recv(milk, 2000, "OLD", "2026-06-01", "2026-05-20", 5000);
	ck_assert_int_eq(stocktake_open(db, 0, NULL, &id, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_set(db, id, sugar, 4000, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_set(db, id, milk, 1000, &err), DUKA_OK);
	ck_assert_msg(stocktake_commit(db, id, NULL, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	/* +7 into COUNT-1 with a correction pair; -1 from the expired one. */
	ck_assert_int_eq(res.lines, 4);
	ck_assert_int_eq(res.gain_value, 7 * 12000);
	ck_assert_int_eq(res.loss_value, 5000);
	ck_assert_int_eq(stock_of(sugar), 4000);
	ck_assert_int_eq(unbatched(sugar), 0);
	b = q1("SELECT id FROM batches WHERE product_id = ?1 AND "
	    "batch_no = 'COUNT-1'", sugar);
	ck_assert_int_eq(left_in(b), 4000);
	ck_assert_int_eq(q1("SELECT qty_received FROM batches WHERE id = ?1",
	    b), 7000);
	ck_assert_int_eq(left_in(old), 1000);
	ck_assert_int_eq(stock_of(milk), 1000);
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

/* ---- checks, triggers, events ------------------------------------------- */

START_TEST(test_checks_find_damage)
{
	struct duka_err err = { 0, "" };
	struct found f;
	int64_t b;
	int n;

	b = recv(sugar, 5000, "S1", "", "", -1);
	recv(milk, 2000, "M1", "2026-07-01", "", -1);
	ck_assert_int_eq(issue(sugar, 1000, STOCK_SALE, 0, 0, NULL, 0, &n,
	    &err), DUKA_OK);
	ck_assert_int_eq(run_checks(&f), 0);

	/* A broken cache on the product. */
	tu_exec(db, "UPDATE products SET stock_qty = 9000 WHERE sku = 'SUG1'");
	ck_assert_int_eq(run_checks(&f), 1);
	ck_assert_msg(strstr(f.text, "stock_levels: Sugar 1kg (SKU SUG1): the "
	    "stock level says 9 but its movements add up to 4") != NULL, "%s",
	    f.text);
	tu_exec(db, "UPDATE products SET stock_qty = 4000 WHERE sku = 'SUG1'");
	ck_assert_int_eq(run_checks(&f), 0);

	/* A broken batch. */
	tu_exec(db, "UPDATE batches SET qty_remaining = 1 WHERE batch_no = "
	    "'M1'");
	ck_assert_int_eq(run_checks(&f), 1);
	ck_assert_msg(strstr(f.text, "batches: batch ") != NULL &&
	    strstr(f.text, "holds 0.001 but its movements add up to 2") !=
	    NULL, "%s", f.text);
	tu_exec(db, "UPDATE batches SET qty_remaining = 2000 WHERE batch_no = "
	    "'M1'");
	ck_assert_int_eq(run_checks(&f), 0);

	/* A movement of milk written against sugar's batch, by hand. */
	{
		char sql[400];

		snprintf(sql, sizeof sql, "INSERT INTO stock_movements("
		    "product_id, batch_id, qty, reason, unit_cost, unit_price, "
		    "at) VALUES (%lld, %lld, 1000, 'correction', 0, 0, "
		    "'2026-06-15T09:00:00.000Z')", (long long)milk,
		    (long long)b);
		tu_exec(db, sql);
	}
	ck_assert_int_gt(run_checks(&f), 0);
	ck_assert_msg(strstr(f.text, "which belongs to product") != NULL, "%s",
	    f.text);
}
END_TEST

START_TEST(test_append_only)
{
	char *msg = NULL;
	int64_t moves;

	recv(sugar, 5000, "", "", "", -1);
	moves = tu_int(db, "SELECT count(*) FROM stock_movements");
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "UPDATE stock_movements "
	    "SET qty = 1", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(strstr(msg, "cannot be changed") != NULL, "%s", msg);
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "DELETE FROM "
	    "stock_movements", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_msg(msg != NULL && strstr(msg, "cannot be deleted") != NULL,
	    "%s", msg ? msg : "(null)");
	sqlite3_free(msg);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements"),
	    moves);
	ck_assert_int_eq(tu_int(db, "SELECT sum(qty) FROM stock_movements"),
	    5000);
	/* A product with history cannot be deleted either. */
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "DELETE FROM products "
	    "WHERE sku = 'SUG1'", NULL, NULL, NULL), SQLITE_OK);
}
END_TEST

START_TEST(test_outbox_per_movement)
{
	struct duka_err err = { 0, "" };
	int64_t bv, v;
	int n;

	recv(milk, 3000, "M1", "2026-06-12", "2026-06-01", -1);
	recv(milk, 3000, "M2", "2026-07-01", "", -1);
	ck_assert_int_eq(issue(milk, 4000, STOCK_SALE, STOCK_ALLOW_EXPIRED, 0,
	    NULL, 0, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(issue(milk, 3000, STOCK_SALE, STOCK_ALLOW_NEGATIVE, 0,
	    NULL, 0, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(stock_writeoff_expired(db, "x", &bv, &v, &err),
	    DUKA_OK);
	recv(milk, 5000, "M3", "2026-08-01", "", -1);	/* settles -1 */

	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements"), 9);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), 9);
	/* Each movement has exactly one event, with its own numbers. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements m "
	    "JOIN outbox o ON json_extract(o.data, '$.movement_id') = m.id "
	    "WHERE json_extract(o.data, '$.qty') = m.qty AND "
	    "json_extract(o.data, '$.reason') = m.reason AND "
	    "json_extract(o.data, '$.unit_cost') = m.unit_cost AND "
	    "json_extract(o.data, '$.unit_price') = m.unit_price AND "
	    "json_extract(o.data, '$.product_id') = m.product_id AND "
	    "json_extract(o.data, '$.sku') = 'MLK1' AND "
	    "coalesce(json_extract(o.data, '$.batch_id'), 0) = "
	    "coalesce(m.batch_id, 0) AND json_extract(o.data, '$.at') = m.at"),
	    9);
	ck_assert_int_eq(tu_int(db, "SELECT count(DISTINCT json_extract(data, "
	    "'$.movement_id')) FROM outbox"), 9);
	/* Every key is present, null where there is nothing. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "json_type(data, '$.reference') IS NOT NULL AND "
	    "json_type(data, '$.note') IS NOT NULL AND "
	    "json_type(data, '$.user') IS NOT NULL AND "
	    "json_type(data, '$.batch_id') IS NOT NULL"), 9);
	ck_assert_int_eq(run_checks(&(struct found){ 0, "" }), 0);
}
END_TEST

/* A receive inside an outer transaction that is rolled back leaves nothing. */
START_TEST(test_nested_rollback)
{
	struct duka_err err = { 0, "" };
	struct snap s;

	recv(sugar, 1000, "", "", "", -1);
	snap_take(&s);
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	recv(sugar, 5000, "X", "", "", 9900);
	ck_assert_int_eq(stock_of(sugar), 6000);
	db_rollback(db);
	snap_same(&s, "rolled back");
}
END_TEST

static void
show_line(void *ctx, const struct stocktake_line *l)
{
	int *n = ctx;

	if (strcmp(l->sku, "SUG1") == 0) {
		ck_assert_int_eq(l->stock_qty, 2000);
		ck_assert_int_eq(l->counted_qty, 1500);
	} else
		ck_assert_int_eq(l->counted_qty, -1);
	(*n)++;
}

static void
list_batch(void *ctx, const struct stock_batch *b)
{
	char *order = ctx;

	strcat(order, b->batch_no);
	strcat(order, ",");
}

START_TEST(test_listings)
{
	struct duka_err err = { 0, "" };
	char order[64] = "";
	int64_t id;
	int n = 0;

	recv(sugar, 2000, "U", "", "2026-06-01", -1);
	recv(sugar, 1000, "L", "2026-12-01", "", -1);
	recv(sugar, 1000, "E", "2026-11-01", "", -1);
	ck_assert_int_eq(issue(sugar, 2000, STOCK_SALE, 0, 0, NULL, 0, &n,
	    &err), DUKA_OK);
	ck_assert_int_eq(stock_batches(db, sugar, list_batch, order, &err),
	    DUKA_OK);
	ck_assert_str_eq(order, "U,");	/* empty batches are not listed */
	order[0] = '\0';
	recv(sugar, 1000, "E2", "2026-11-01", "", -1);
	ck_assert_int_eq(stock_batches(db, sugar, list_batch, order, &err),
	    DUKA_OK);
	ck_assert_str_eq(order, "E2,U,");

	ck_assert_int_eq(stocktake_open(db, 0, "test", &id, &err), DUKA_OK);
	ck_assert_int_eq(stocktake_set(db, id, sugar, 1500, &err), DUKA_OK);
	n = 0;
	ck_assert_int_eq(stock_of(sugar), 3000);
	/* "On record" is the stock when listing, not when counting. */
	ck_assert_int_eq(issue(sugar, 1000, STOCK_SALE, 0, 0, NULL, 0, &n,
	    &err), DUKA_OK);
	n = 0;
	ck_assert_int_eq(stocktake_lines(db, id, show_line, &n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n, 4);
	refused(stocktake_lines(db, 99, show_line, &n, &err), &err,
	    DUKA_ENOTFOUND, "no count sheet number 99", "lines of 99");
}
END_TEST

static Suite *
stock_suite(void)
{
	Suite *s = suite_create("stock");
	TCase *tc;

	tc = tcase_create("ledger");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_reasons);
	tcase_add_test(tc, test_receive_good);
	tcase_add_test(tc, test_receive_bad);
	tcase_add_test(tc, test_fefo_expired_skipped);
	tcase_add_test(tc, test_fefo_undated_last);
	tcase_add_test(tc, test_issue_bad);
	tcase_add_test(tc, test_oversell);
	tcase_add_test(tc, test_unbatched_positive);
	tcase_add_test(tc, test_negative_settled);
	tcase_add_test(tc, test_writeoff);
	tcase_add_test(tc, test_writeoff_then_oversell);
	tcase_add_test(tc, test_stocktake);
	tcase_add_test(tc, test_stocktake_bad);
	tcase_add_test(tc, test_stocktake_negative_and_expired);
	tcase_add_test(tc, test_checks_find_damage);
	tcase_add_test(tc, test_append_only);
	tcase_add_test(tc, test_outbox_per_movement);
	tcase_add_test(tc, test_nested_rollback);
	tcase_add_test(tc, test_listings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	setenv("DUKA_NOW", TODAY "T09:00:00Z", 1);
	if (date_set_timezone("UTC", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(stock_suite());
}
