/*
 * check_refund.c - unit tests for refunds (refund.c): whole sales and
 * some lines, parts of a line adding up to the cent, stock back into the
 * batches it came from (or out again as damaged), the money going back by
 * each way to pay, the refusals (each checked to write nothing), the
 * token that makes a retry harmless, and duka check after refunds.
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "check.h"
#include "customer.h"
#include "date.h"
#include "db.h"
#include "money.h"
#include "refund.h"
#include "sale.h"
#include "settings.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"
#define TILL "T1"

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t sugar, rice, bread, milk;
static int serial;		/* numbers the sales' tokens: sale-1, ... */
static int64_t sugar_b1, sugar_b2, rice_b1, bread_b1, milk_b1;

/* Add a product; returns its id. */
static int64_t
add_product(const char *sku, const char *name, int64_t price,
    enum product_unit unit, enum tax_class tax, int tracks)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.cost = price * 3 / 4;
	p.price = price;
	p.unit = unit;
	p.tax = tax;
	p.tracks_expiry = tracks;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

/* Receive qty into a new batch; returns the batch id. */
static int64_t
recv(int64_t pid, int64_t qty, const char *batch_no, const char *expiry,
    int64_t cost)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	int64_t bid = 0;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	snprintf(r.batch_no, sizeof r.batch_no, "%s", batch_no);
	snprintf(r.expiry, sizeof r.expiry, "%s", expiry);
	snprintf(r.received, sizeof r.received, "2026-06-01");
	r.unit_cost = cost;
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, &bid, &err) == DUKA_OK, "%s",
	    err.msg);
	return bid;
}

/* Open a shift on till (shift_open is another module's; a row does). */
static void
open_shift(const char *till)
{
	char sql[160];

	snprintf(sql, sizeof sql, "INSERT INTO shifts(till_id, opened_at, "
	    "float_cash) VALUES ('%s', '" TODAY "T08:00:00Z', 0)", till);
	tu_exec(db, sql);
}

static void
setup(void)
{
	db = tu_db_new(dbpath, sizeof dbpath);
	serial = 0;
	settings_defaults(&cfg);
	snprintf(cfg.till_id, sizeof cfg.till_id, "%s", TILL);
	sugar = add_product("SUG1", "Sugar 1kg", 15000, UNIT_PIECE,
	    TAX_STANDARD, 0);
	rice = add_product("RICE", "Rice loose", 11000, UNIT_KG, TAX_STANDARD,
	    0);
	bread = add_product("BRD1", "Bread", 5000, UNIT_PIECE, TAX_EXEMPT, 0);
	milk = add_product("MLK1", "Milk 500ml", 6000, UNIT_PIECE, TAX_STANDARD,
	    1);
	/* B1 expires first: a sale takes it first, a refund fills it last. */
	sugar_b1 = recv(sugar, 5000, "S-A", "2026-07-01", 11000);
	sugar_b2 = recv(sugar, 5000, "S-B", "2026-08-01", 12000);
	rice_b1 = recv(rice, 10000, "R-A", "", 8000);
	bread_b1 = recv(bread, 20000, "B-A", "", 3500);
	milk_b1 = recv(milk, 10000, "M-A", "2026-06-20", 4500);
	open_shift(TILL);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* One line of a test sale. */
struct item {
	int64_t pid;
	int64_t qty;
	int64_t disc_amount;		/* line discount, cents */
};

/* Sell items with a sale discount in bp, paid in cash; returns the
 * receipt number, sets *sale_id. */
static int64_t
sell(const struct item *items, int n, int64_t sale_bp, int64_t *sale_id)
{
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;
	struct tender t;
	struct product p;
	struct cart *c;
	char token[64];
	int i;

	c = cart_new();
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < n; i++) {
		ck_assert_msg(catalog_product_get(db, items[i].pid, &p, &err) ==
		    DUKA_OK, "%s", err.msg);
		ck_assert_msg(cart_add(c, &p, items[i].qty, &err) == DUKA_OK,
		    "%s", err.msg);
		if (items[i].disc_amount > 0)
			ck_assert_msg(cart_line_discount_amount(c, c->n - 1,
			    items[i].disc_amount, &err) == DUKA_OK, "%s",
			    err.msg);
	}
	if (sale_bp > 0)
		ck_assert_msg(cart_sale_discount_percent(c, sale_bp, &err) ==
		    DUKA_OK, "%s", err.msg);
	ck_assert_msg(cart_approve(c, "boss", &err) == DUKA_OK, "%s", err.msg);
	memset(&t, 0, sizeof t);
	t.method = PAY_CASH;
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = "test";
	snprintf(token, sizeof token, "sale-%d", ++serial);
	req.cart_token = token;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "sale_commit: %s", err.msg);
	cart_free(c);
	if (sale_id != NULL)
		*sale_id = res.sale_id;
	return res.receipt_no;
}

/* A refund request of receipt no on TILL, cash, everything. */
static void
req_init(struct refund_request *req, int64_t no)
{
	memset(req, 0, sizeof *req);
	req->till_id = TILL;
	req->user = "test";
	req->sale_till = TILL;
	req->sale_receipt_no = no;
	req->tender.method = PAY_CASH;
}

/* Refund that must succeed; fills res (the caller frees it). */
static void
refund_ok(const struct refund_request *req, struct refund_result *res)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(refund_commit(db, req, res, &err) == DUKA_OK,
	    "refund_commit: %s", err.msg);
	ck_assert_int_eq(res->duplicate, 0);
}

/* Everything a refund could write, to prove a refusal wrote nothing. */
#define SNAP_N 12
static const char *const snap_sql[SNAP_N] = {
	"SELECT count(*) FROM sales",
	"SELECT count(*) FROM sale_lines",
	"SELECT count(*) FROM sale_allocations",
	"SELECT count(*) FROM payments",
	"SELECT count(*) FROM stock_movements",
	"SELECT count(*) FROM outbox",
	"SELECT count(*) FROM audit_log",
	"SELECT coalesce(sum(qty_remaining), 0) FROM batches",
	"SELECT coalesce(sum(stock_qty), 0) FROM products",
	"SELECT coalesce(sum(last_no), 0) FROM receipt_counters",
	"SELECT coalesce(sum(balance), 0) FROM customers",
	"SELECT coalesce(sum(total), 0) FROM sales",
};

static void
snap(int64_t out[SNAP_N])
{
	int i;

	for (i = 0; i < SNAP_N; i++)
		out[i] = tu_int(db, snap_sql[i]);
}

static void
snap_same(const int64_t before[SNAP_N], const char *what)
{
	int64_t after[SNAP_N];
	int i;

	snap(after);
	for (i = 0; i < SNAP_N; i++)
		ck_assert_msg(before[i] == after[i], "%s changed %s: %lld -> "
		    "%lld", what, snap_sql[i], (long long)before[i],
		    (long long)after[i]);
}

/* A refund that must be refused with code, writing nothing. */
static void
refund_refused(const struct refund_request *req, int code, const char *what,
    const char *needle)
{
	struct duka_err err = { 0, "" };
	struct refund_result res;
	int64_t before[SNAP_N];

	snap(before);
	ck_assert_msg(refund_commit(db, req, &res, &err) == code,
	    "%s: expected %d, got \"%s\"", what, code, err.msg);
	ck_assert_msg(err.msg[0] != '\0', "%s: no message", what);
	if (needle != NULL)
		ck_assert_msg(strstr(err.msg, needle) != NULL,
		    "%s: \"%s\" does not say \"%s\"", what, err.msg, needle);
	refund_result_free(&res);
	snap_same(before, what);
}

/* duka check finds nothing wrong. */
static void
check_clean(void)
{
	struct duka_err err = { 0, "" };
	struct check_report r = { 0, NULL, NULL };

	ck_assert_msg(check_all(db, &r, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(r.problems, 0);
}

/* An integer from SQL with one integer parameter. */
static int64_t
q1(const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = INT64_MIN;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
batch_qty(int64_t bid)
{
	return q1("SELECT qty_remaining FROM batches WHERE id = ?1", bid);
}

static int64_t
stock_qty(int64_t pid)
{
	return q1("SELECT stock_qty FROM products WHERE id = ?1", pid);
}

START_TEST(test_whole_refund)
{
	struct item it[2] = { { sugar, 7000, 0 }, { rice, 500, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no, sale_id, vat;

	no = sell(it, 2, 0, &sale_id);
	ck_assert_int_eq(no, 1);
	vat = q1("SELECT vat FROM sales WHERE id = ?1", sale_id);
	ck_assert_int_eq(q1("SELECT total FROM sales WHERE id = ?1", sale_id),
	    110500);

	req_init(&req, no);
	req.reason = "customer changed her mind";
	refund_ok(&req, &res);
	ck_assert_int_eq(res.receipt_no, 2);
	ck_assert_str_eq(res.receipt, "T1-000002");
	ck_assert_str_eq(res.original, "T1-000001");
	ck_assert_int_eq(res.sale_id, sale_id);
	ck_assert_int_eq(res.total, -110500);
	ck_assert_int_eq(res.vat, -vat);
	ck_assert_int_eq(res.method, PAY_CASH);
	ck_assert_int_eq(res.nlines, 2);
	ck_assert_int_eq(res.line[0].refund_of_line, 1);
	ck_assert_int_eq(res.line[0].qty, 7000);
	ck_assert_int_eq(res.line[0].amount, -105000);
	ck_assert_int_eq(res.line[0].left, 0);
	ck_assert_int_eq(res.line[1].amount, -5500);

	/* The refund row: negative, completed, pointing at the sale. */
	ck_assert_int_eq(q1("SELECT count(*) FROM sales WHERE id = ?1 AND "
	    "kind = 'refund' AND state = 'completed' AND total = -110500 AND "
	    "gross = -110500 AND discount = 0 AND shelf_gross = -110500",
	    res.refund_id), 1);
	ck_assert_int_eq(q1("SELECT refund_of FROM sales WHERE id = ?1",
	    res.refund_id), sale_id);
	ck_assert_int_eq(q1("SELECT vat FROM sales WHERE id = ?1",
	    res.refund_id), -vat);
	ck_assert_int_eq(q1("SELECT count(*) FROM sale_lines WHERE "
	    "sale_id = ?1 AND qty > 0 AND amount < 0 AND vat < 0 AND "
	    "refund_of_line = line_no", res.refund_id), 2);
	/* The money going back: one negative cash payment. */
	ck_assert_int_eq(q1("SELECT sum(amount) FROM payments WHERE "
	    "sale_id = ?1 AND method = 'cash' AND state = 'paid'",
	    res.refund_id), -110500);
	/* The original is untouched. */
	ck_assert_int_eq(q1("SELECT total FROM sales WHERE id = ?1", sale_id),
	    110500);
	/* Stock all back. */
	ck_assert_int_eq(stock_qty(sugar), 10000);
	ck_assert_int_eq(stock_qty(rice), 10000);
	ck_assert_int_eq(batch_qty(sugar_b1), 5000);
	ck_assert_int_eq(batch_qty(sugar_b2), 5000);
	ck_assert_int_eq(q1("SELECT sum(qty) FROM sale_allocations WHERE "
	    "sale_id = ?1", res.refund_id), 7500);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "reason = 'return' AND reference = 'T1-000002' AND qty > ?1", 0),
	    3);
	/* Event and audit row. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'sale.refunded' AND json_extract(data, '$.total') = "
	    "-110500 AND json_extract(data, '$.original') = 'T1-000001' AND "
	    "json_array_length(data, '$.lines') = 2 AND "
	    "json_array_length(data, '$.lines[0].allocations') = 2"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'sale.refund' AND detail LIKE '%T1-000001%customer "
	    "changed her mind'"), 1);
	check_clean();
	refund_result_free(&res);
	ck_assert_ptr_null(res.line);

	/* Nothing is left to take back. */
	refund_refused(&req, DUKA_EINPUT, "second whole refund",
	    "refunded already");
}
END_TEST

START_TEST(test_partial_lines)
{
	struct item it[3] = {
		{ sugar, 2000, 0 }, { bread, 3000, 0 }, { rice, 1500, 0 },
	};
	struct refund_line want[1] = { { 2, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 3, 0, NULL);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	refund_ok(&req, &res);
	ck_assert_int_eq(res.nlines, 1);
	ck_assert_int_eq(res.line[0].refund_of_line, 2);
	ck_assert_int_eq(res.line[0].qty, 3000);
	ck_assert_int_eq(res.total, -15000);
	ck_assert_int_eq(res.vat, 0);		/* exempt */
	ck_assert_int_eq(stock_qty(bread), 20000);
	ck_assert_int_eq(stock_qty(sugar), 8000);
	refund_result_free(&res);

	/* The rest of the receipt: lines 1 and 3 only. */
	req_init(&req, no);
	refund_ok(&req, &res);
	ck_assert_int_eq(res.nlines, 2);
	ck_assert_int_eq(res.line[0].refund_of_line, 1);
	ck_assert_int_eq(res.line[1].refund_of_line, 3);
	ck_assert_int_eq(res.line[1].line_no, 2);
	ck_assert_int_eq(res.total, -(30000 + 16500));
	ck_assert_int_eq(stock_qty(sugar), 10000);
	ck_assert_int_eq(stock_qty(rice), 10000);
	ck_assert_int_eq(tu_int(db, "SELECT sum(total) FROM sales"), 0);
	refund_result_free(&res);
	check_clean();
}
END_TEST

/* A line refunded in parts: the parts add up to the line exactly. */
static const struct parts_case {
	const char *name;
	int64_t *pid;
	int64_t qty;
	int64_t disc_amount;
	int64_t sale_bp;
	int64_t parts[4];		/* 0 ends */
} parts_cases[] = {
	{ "thirds with a cent off", &sugar, 3000, 1, 0, { 1000, 2000 } },
	{ "one by one, sale discount", &sugar, 3000, 0, 500,
	    { 1000, 1000, 1000 } },
	{ "weighed", &rice, 1500, 0, 0, { 500, 1000 } },
	{ "weighed, odd grams", &rice, 1234, 7, 333, { 1, 411, 822 } },
	{ "exempt", &bread, 4000, 0, 0, { 1000, 3000 } },
	{ "last unit first", &sugar, 4000, 3, 0, { 3000, 1000 } },
};

START_TEST(test_parts_add_up)
{
	const struct parts_case *pc = &parts_cases[_i];
	struct duka_err err = { 0, "" };
	struct item it[1];
	struct refund_line want[1];
	struct refund_request req;
	struct refund_result res;
	int64_t sale_id, no, amount, vat, ld, sd, net, v1, sum_a = 0;
	int64_t sum_v = 0, sum_d = 0, done = 0;
	enum tax_class tax;
	int k;

	it[0].pid = *pc->pid;
	it[0].qty = pc->qty;
	it[0].disc_amount = pc->disc_amount;
	no = sell(it, 1, pc->sale_bp, &sale_id);
	amount = q1("SELECT amount FROM sale_lines WHERE sale_id = ?1",
	    sale_id);
	vat = q1("SELECT vat FROM sale_lines WHERE sale_id = ?1", sale_id);
	ld = q1("SELECT line_discount FROM sale_lines WHERE sale_id = ?1",
	    sale_id);
	sd = q1("SELECT sale_discount FROM sale_lines WHERE sale_id = ?1",
	    sale_id);
	tax = *pc->pid == bread ? TAX_EXEMPT : TAX_STANDARD;
	for (k = 0; k < 4 && pc->parts[k] != 0; k++) {
		req_init(&req, no);
		want[0].line_no = 1;
		want[0].qty = pc->parts[k];
		req.lines = want;
		req.nlines = 1;
		refund_ok(&req, &res);
		ck_assert_int_eq(res.nlines, 1);
		if (k == 0) {
			/* The first part: plain pro rata, plain VAT. */
			ck_assert_msg(res.line[0].amount ==
			    -money_div_round(amount * pc->parts[0], pc->qty),
			    "%s: first part %lld of %lld", pc->name,
			    (long long)res.line[0].amount, (long long)amount);
			ck_assert(vat_split(-res.line[0].amount, tax, &net,
			    &v1, &err) == DUKA_OK);
			ck_assert_int_eq(res.line[0].vat, -v1);
		}
		ck_assert_msg(res.line[0].amount <= 0 && res.line[0].vat <= 0,
		    "%s: part %d has the wrong sign", pc->name, k + 1);
		sum_a += res.line[0].amount;
		sum_v += res.line[0].vat;
		sum_d += q1("SELECT line_discount + sale_discount FROM "
		    "sale_lines WHERE sale_id = ?1", res.refund_id);
		done += pc->parts[k];
		ck_assert_int_eq(res.line[0].left, pc->qty - done);
		ck_assert_int_eq(q1("SELECT total FROM sales WHERE id = ?1",
		    res.refund_id), res.line[0].amount);
		refund_result_free(&res);
	}
	ck_assert_int_eq(done, pc->qty);
	ck_assert_msg(sum_a == -amount, "%s: parts %lld, line %lld", pc->name,
	    (long long)sum_a, (long long)amount);
	ck_assert_msg(sum_v == -vat, "%s: VAT parts %lld, line %lld",
	    pc->name, (long long)sum_v, (long long)vat);
	ck_assert_int_eq(sum_d, -(ld + sd));
	ck_assert_int_eq(q1("SELECT sum(total) FROM sales WHERE id = ?1 OR "
	    "refund_of = ?1", sale_id), 0);
	ck_assert_int_eq(stock_qty(*pc->pid), q1("SELECT sum(qty_received) "
	    "FROM batches WHERE product_id = ?1", *pc->pid));
	check_clean();
}
END_TEST

START_TEST(test_exceeding_refused)
{
	struct item it[2] = { { sugar, 2000, 0 }, { rice, 500, 0 } };
	struct refund_line want[2];
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 2, 0, NULL);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	want[0].line_no = 1;
	want[0].qty = 3000;
	refund_refused(&req, DUKA_EINPUT, "more than sold", "more than is left");
	want[0].qty = 1500;
	refund_refused(&req, DUKA_EINPUT, "half a piece", "whole number");
	want[0].qty = -1000;
	refund_refused(&req, DUKA_EINPUT, "negative", "more than 0");
	want[0].line_no = 3;
	want[0].qty = 1000;
	refund_refused(&req, DUKA_EINPUT, "no such line", "no line 3");
	want[0].line_no = 0;
	refund_refused(&req, DUKA_EINPUT, "line 0", "no line 0");
	want[0].line_no = 2;
	want[0].qty = 600;
	refund_refused(&req, DUKA_EINPUT, "more rice than sold",
	    "more than is left");
	want[0].line_no = 1;
	want[0].qty = 1000;
	want[1] = want[0];
	req.nlines = 2;
	refund_refused(&req, DUKA_EINPUT, "line twice", "twice");

	/* One back, then two more is too many; one more is fine. */
	req.nlines = 1;
	refund_ok(&req, &res);
	refund_result_free(&res);
	want[0].qty = 2000;
	refund_refused(&req, DUKA_EINPUT, "over what is left",
	    "1 of the 2 sold");
	want[0].qty = 1000;
	refund_ok(&req, &res);
	ck_assert_int_eq(res.line[0].left, 0);
	refund_result_free(&res);
	want[0].qty = 0;
	refund_refused(&req, DUKA_EINPUT, "line refunded already",
	    "refunded already");
	/* Line 2 is still whole, and the rest of the sale is just it. */
	req.nlines = 0;
	req.lines = NULL;
	refund_ok(&req, &res);
	ck_assert_int_eq(res.nlines, 1);
	ck_assert_int_eq(res.line[0].refund_of_line, 2);
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_refund_of_refund_refused)
{
	struct item it[1] = { { sugar, 1000, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	refund_ok(&req, &res);
	req_init(&req, res.receipt_no);
	refund_refused(&req, DUKA_EINPUT, "refund of a refund", "is a refund");
	refund_result_free(&res);
}
END_TEST

START_TEST(test_unknown_receipt)
{
	struct item it[1] = { { sugar, 1000, 0 } };
	struct refund_request req;

	sell(it, 1, 0, NULL);
	req_init(&req, 99);
	refund_refused(&req, DUKA_ENOTFOUND, "unknown number", "T1-000099");
	req_init(&req, 1);
	req.sale_till = "T9";
	refund_refused(&req, DUKA_ENOTFOUND, "unknown till", "T9-000001");
	req_init(&req, 0);
	refund_refused(&req, DUKA_EINPUT, "number 0", NULL);
}
END_TEST

START_TEST(test_stock_back_to_batches)
{
	struct item it[1] = { { sugar, 7000, 0 } };
	struct refund_line want[1] = { { 1, 3000 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no, sale_id, cost_back;

	no = sell(it, 1, 0, &sale_id);
	ck_assert_int_eq(batch_qty(sugar_b1), 0);
	ck_assert_int_eq(batch_qty(sugar_b2), 3000);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	refund_ok(&req, &res);
	/* The batch taken last is filled first, up to what it gave. */
	ck_assert_int_eq(batch_qty(sugar_b2), 5000);
	ck_assert_int_eq(batch_qty(sugar_b1), 1000);
	ck_assert_int_eq(stock_qty(sugar), 6000);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = ?1 AND batch_id = (SELECT id FROM batches WHERE "
	    "batch_no = 'S-B')", res.refund_id), 2000);
	/* At what the goods cost: batch B at 120, batch A at 110. */
	cost_back = q1("SELECT sum(qty * unit_cost) / 1000 FROM "
	    "sale_allocations WHERE sale_id = ?1", res.refund_id);
	ck_assert_int_eq(cost_back, 2 * 12000 + 11000);
	refund_result_free(&res);

	want[0].qty = 4000;
	refund_ok(&req, &res);
	ck_assert_int_eq(batch_qty(sugar_b1), 5000);
	ck_assert_int_eq(batch_qty(sugar_b2), 5000);
	ck_assert_int_eq(stock_qty(sugar), 10000);
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_stock_sold_below_zero)
{
	struct item it[1] = { { bread, 25000, 0 } };
	struct refund_line want[1] = { { 1, 7000 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	/* 20 in the batch, 5 sold below zero. */
	no = sell(it, 1, 0, NULL);
	ck_assert_int_eq(stock_qty(bread), -5000);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	refund_ok(&req, &res);
	/* 5 back without a batch (they were taken last), 2 into the batch. */
	ck_assert_int_eq(stock_qty(bread), 2000);
	ck_assert_int_eq(batch_qty(bread_b1), 2000);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = ?1 AND batch_id IS NULL", res.refund_id), 5000);
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_damaged_sold_below_zero)
{
	struct item it[1] = { { bread, 25000, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	req.damaged = 1;
	refund_ok(&req, &res);
	ck_assert_int_eq(stock_qty(bread), -5000);
	ck_assert_int_eq(batch_qty(bread_b1), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reason = 'damage' AND batch_id IS NULL AND qty = -5000"), 1);
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_damaged)
{
	struct item it[2] = { { sugar, 7000, 0 }, { milk, 2000, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no, b1, b2, m1, s, m;

	no = sell(it, 2, 0, NULL);
	b1 = batch_qty(sugar_b1);
	b2 = batch_qty(sugar_b2);
	m1 = batch_qty(milk_b1);
	s = stock_qty(sugar);
	m = stock_qty(milk);
	req_init(&req, no);
	req.damaged = 1;
	req.reason = "torn bags";
	refund_ok(&req, &res);
	ck_assert_int_eq(res.total, -(105000 + 12000));
	/* Stock as before the refund... */
	ck_assert_int_eq(batch_qty(sugar_b1), b1);
	ck_assert_int_eq(batch_qty(sugar_b2), b2);
	ck_assert_int_eq(batch_qty(milk_b1), m1);
	ck_assert_int_eq(stock_qty(sugar), s);
	ck_assert_int_eq(stock_qty(milk), m);
	/* ...but the ledger tells the story: back in, out as damage, from
	 * the same batches. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reference = 'T1-000002' AND reason = 'return'"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements "
	    "WHERE reference = 'T1-000002' AND reason = 'damage' AND "
	    "note = 'torn bags'"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements r "
	    "JOIN stock_movements d ON d.batch_id = r.batch_id AND "
	    "d.qty = -r.qty AND d.reason = 'damage' WHERE "
	    "r.reason = 'return'"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT sum(qty) FROM sale_allocations a "
	    "JOIN sales s ON s.id = a.sale_id WHERE s.kind = 'refund'"), 9000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'sale.refunded' AND json_extract(data, '$.damaged') = 1 "
	    "AND json_array_length(data, "
	    "'$.lines[0].allocations[0].damaged') = 1"), 1);
	/* Damaged stock is not refundable stock: nothing is left. */
	refund_result_free(&res);
	req.damaged = 0;
	refund_refused(&req, DUKA_EINPUT, "again", "refunded already");
	check_clean();
}
END_TEST

START_TEST(test_payment_methods)
{
	struct item it[1] = { { sugar, 5000, 0 } };
	struct refund_line want[1] = { { 1, 1000 } };
	struct duka_err err = { 0, "" };
	struct check_report r;
	struct refund_request req;
	struct refund_result res;
	int64_t no, cust;

	tu_exec(db, "INSERT INTO customers(name, credit_limit, balance, "
	    "created_at) VALUES ('Wanjiku', 1000000, 0, '" TODAY "')");
	cust = tu_int(db, "SELECT id FROM customers");
	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;

	/* M-PESA: a reversal code, kept unverified. */
	req.tender.method = PAY_MPESA;
	refund_refused(&req, DUKA_EINPUT, "M-PESA without a code", "code");
	snprintf(req.tender.reference, sizeof req.tender.reference, "12345");
	refund_refused(&req, DUKA_EINPUT, "bad M-PESA code", "12345");
	snprintf(req.tender.reference, sizeof req.tender.reference,
	    "qkt5abc1xy");
	req.tender.pending = 1;
	refund_refused(&req, DUKA_EINPUT, "pending M-PESA", "at once");
	req.tender.pending = 0;
	refund_ok(&req, &res);
	ck_assert_int_eq(res.method, PAY_MPESA);
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND method = 'mpesa' AND reference = 'QKT5ABC1XY' AND "
	    "amount = -15000 AND verified = 0 AND state = 'paid'",
	    res.refund_id), 1);
	refund_result_free(&res);
	refund_refused(&req, DUKA_EINPUT, "M-PESA code twice", "used already");

	/* Card and bank need their reference. */
	req.tender.method = PAY_CARD;
	req.tender.reference[0] = '\0';
	refund_refused(&req, DUKA_EINPUT, "card without a reference",
	    "reference");
	snprintf(req.tender.reference, sizeof req.tender.reference,
	    " SLIP-42 ");
	refund_ok(&req, &res);
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND method = 'card' AND reference = 'SLIP-42'", res.refund_id), 1);
	refund_result_free(&res);
	req.tender.method = PAY_BANK;
	req.tender.reference[0] = '\0';
	refund_refused(&req, DUKA_EINPUT, "bank without a reference",
	    "reference");

	/* On account: the sale had no customer; name one. */
	req.tender.method = PAY_ACCOUNT;
	refund_refused(&req, DUKA_EINPUT, "account without a customer",
	    "customer");
	req.tender.customer_id = cust + 1;
	refund_refused(&req, DUKA_ENOTFOUND, "unknown customer", "customer");
	req.tender.customer_id = cust;
	refund_ok(&req, &res);
	/* The shop owes her now; the account's ledger agrees. */
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1",
	    cust), -15000);
	memset(&r, 0, sizeof r);
	/* customer_check reads customer_payments (migration 0004). */
	if (tu_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'customer_payments'") == 1) {
		ck_assert_msg(customer_check(db, &r, &err) == DUKA_OK, "%s",
		    err.msg);
		ck_assert_int_eq(r.problems, 0);
	}
	ck_assert_int_eq(q1("SELECT customer_id FROM payments WHERE "
	    "sale_id = ?1", res.refund_id), cust);
	ck_assert_int_eq(q1("SELECT customer_id FROM sales WHERE id = ?1",
	    res.refund_id), cust);
	refund_result_free(&res);

	/* Every refund's payments add up to its (negative) total. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sales s WHERE "
	    "s.kind = 'refund' AND s.total = -15000 AND s.total = (SELECT "
	    "sum(amount) FROM payments p WHERE p.sale_id = s.id)"), 3);
	check_clean();
}
END_TEST

START_TEST(test_shift_needed)
{
	struct item it[1] = { { sugar, 1000, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 1, 0, NULL);
	tu_exec(db, "UPDATE shifts SET state = 'closed', z_number = 1, "
	    "closed_at = '" TODAY "T18:00:00Z' WHERE till_id = 'T1'");
	req_init(&req, no);
	refund_refused(&req, DUKA_ENOTFOUND, "no open shift", NULL);

	/* The refund belongs to the shift open now, not the sale's. */
	open_shift(TILL);
	refund_ok(&req, &res);
	ck_assert_int_eq(q1("SELECT shift_id FROM sales WHERE id = ?1",
	    res.refund_id), tu_int(db, "SELECT id FROM shifts WHERE "
	    "state = 'open'"));
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_other_till)
{
	struct item it[1] = { { sugar, 2000, 0 } };
	struct refund_request req;
	struct refund_result res;
	int64_t no;

	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	req.till_id = "T2";
	refund_refused(&req, DUKA_ENOTFOUND, "no shift on T2", NULL);
	open_shift("T2");
	refund_ok(&req, &res);
	ck_assert_str_eq(res.receipt, "T2-000001");
	ck_assert_str_eq(res.original, "T1-000001");
	refund_result_free(&res);
	check_clean();
}
END_TEST

START_TEST(test_token_once)
{
	struct item it[1] = { { sugar, 2000, 0 } };
	struct refund_line want[1] = { { 1, 1000 } };
	struct duka_err err = { 0, "" };
	struct refund_request req;
	struct refund_result res, again;
	int64_t no;

	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	req.cart_token = "refund-token-1";
	refund_ok(&req, &res);
	ck_assert_int_eq(refund_commit(db, &req, &again, &err), DUKA_OK);
	ck_assert_int_eq(again.duplicate, 1);
	ck_assert_int_eq(again.refund_id, res.refund_id);
	ck_assert_str_eq(again.receipt, res.receipt);
	ck_assert_str_eq(again.original, "T1-000001");
	ck_assert_int_eq(again.total, -15000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sales WHERE "
	    "kind = 'refund'"), 1);
	ck_assert_int_eq(stock_qty(sugar), 9000);
	refund_result_free(&res);
	refund_result_free(&again);
	/* A sale's token is not a refund's. */
	req.cart_token = "sale-1";
	refund_refused(&req, DUKA_EINPUT, "a sale's token", "sale-1");
	/* Nor is the token of another receipt's refund. */
	no = sell(it, 1, 0, NULL);
	req_init(&req, no);
	req.cart_token = "refund-token-1";
	refund_refused(&req, DUKA_EINPUT, "another receipt's token",
	    "refund-token-1");
}
END_TEST

START_TEST(test_awaiting_refused)
{
	struct duka_err err = { 0, "" };
	struct sale_request sr;
	struct sale_result res;
	struct refund_request req;
	struct tender t;
	struct product p;
	struct cart *c;

	c = cart_new();
	ck_assert(catalog_product_get(db, sugar, &p, &err) == DUKA_OK);
	ck_assert(cart_add(c, &p, 1000, &err) == DUKA_OK);
	memset(&t, 0, sizeof t);
	t.method = PAY_MPESA;
	t.pending = 1;
	snprintf(t.phone, sizeof t.phone, "0712345678");
	memset(&sr, 0, sizeof sr);
	sr.cart = c;
	sr.tenders = &t;
	sr.ntenders = 1;
	sr.till_id = TILL;
	sr.cart_token = "pending-1";
	ck_assert_msg(sale_commit(db, &sr, &cfg, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(res.awaiting, 1);
	cart_free(c);
	req_init(&req, res.receipt_no);
	refund_refused(&req, DUKA_EINPUT, "awaiting payment", "awaiting");
}
END_TEST

START_TEST(test_bad_requests)
{
	struct item it[1] = { { sugar, 1000, 0 } };
	struct refund_request req;
	char reason[300];

	sell(it, 1, 0, NULL);
	req_init(&req, 1);
	req.till_id = "";
	refund_refused(&req, DUKA_EINPUT, "no till", "till");
	req_init(&req, 1);
	req.tender.method = (enum pay_method)42;
	refund_refused(&req, DUKA_EINPUT, "unknown method", NULL);
	req_init(&req, 1);
	memset(reason, 'x', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	req.reason = reason;
	refund_refused(&req, DUKA_EINPUT, "long reason", "200");
	req.reason = "bad \xff byte";
	refund_refused(&req, DUKA_EINPUT, "bad UTF-8 reason", NULL);
	req_init(&req, 1);
	req.nlines = 1;
	refund_refused(&req, DUKA_EFAIL, "lines missing", NULL);
}
END_TEST

/* Collects refund_lines_left rows. */
struct left_seen {
	int n;
	struct refund_left l[4];
};

static void
left_cb(void *ctx, const struct refund_left *l)
{
	struct left_seen *s = ctx;

	if (s->n < 4)
		s->l[s->n] = *l;
	s->n++;
}

START_TEST(test_lines_left)
{
	struct item it[2] = { { sugar, 3000, 0 }, { rice, 750, 0 } };
	struct refund_line want[1] = { { 1, 2000 } };
	struct duka_err err = { 0, "" };
	struct refund_request req;
	struct refund_result res;
	struct left_seen seen;
	int64_t no, sale_id;

	no = sell(it, 2, 0, &sale_id);
	req_init(&req, no);
	req.lines = want;
	req.nlines = 1;
	refund_ok(&req, &res);
	memset(&seen, 0, sizeof seen);
	ck_assert_msg(refund_lines_left(db, sale_id, left_cb, &seen, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(seen.n, 2);
	ck_assert_int_eq(seen.l[0].qty, 3000);
	ck_assert_int_eq(seen.l[0].refunded, 2000);
	ck_assert_int_eq(seen.l[0].amount_refunded, 30000);
	ck_assert_str_eq(seen.l[1].unit, "kg");
	ck_assert_int_eq(seen.l[1].refunded, 0);
	ck_assert_int_eq(refund_lines_left(db, res.refund_id, left_cb, &seen,
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(refund_lines_left(db, 999, left_cb, &seen, &err),
	    DUKA_ENOTFOUND);
	refund_result_free(&res);
}
END_TEST

static Suite *
refund_suite(void)
{
	Suite *s = suite_create("refund");
	TCase *tc = tcase_create("refund");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_whole_refund);
	tcase_add_test(tc, test_partial_lines);
	tcase_add_loop_test(tc, test_parts_add_up, 0, NELEM(parts_cases));
	tcase_add_test(tc, test_exceeding_refused);
	tcase_add_test(tc, test_refund_of_refund_refused);
	tcase_add_test(tc, test_unknown_receipt);
	tcase_add_test(tc, test_stock_back_to_batches);
	tcase_add_test(tc, test_stock_sold_below_zero);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_damaged_sold_below_zero);
	tcase_add_test(tc, test_payment_methods);
	tcase_add_test(tc, test_shift_needed);
	tcase_add_test(tc, test_other_till);
	tcase_add_test(tc, test_token_once);
	tcase_add_test(tc, test_awaiting_refused);
	tcase_add_test(tc, test_bad_requests);
	tcase_add_test(tc, test_lines_left);
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
	return tu_run(refund_suite());
}
