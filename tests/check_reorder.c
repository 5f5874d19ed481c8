/*
 * check_reorder.c - unit tests for the reorder suggestions (reorder.c)
 * against a fixture shop worked out by hand: the sales window (the day
 * before it and today left out, refunds netted, a sale awaiting payment
 * counted), lead times from the product or its supplier, stock on open
 * orders only, whole packs, the reorder level as a floor, due reorder
 * dates, inactive products, other settings, and the refusals.
 *
 * The shop is in Africa/Nairobi; today is 2026-06-15, so the default
 * window of 14 days is 2026-06-01 .. 2026-06-14. Defaults: review 7 days,
 * safety stock 20%: target = sold * (lead + 7) * 12000 / (14 * 10000).
 *
 *	SUG   Mumias (lead 10), pack 10; 30 in, sold 5 (05-31, outside),
 *	      7 (06-01), 7 (06-10), 3 (today, outside), 1 back (06-12):
 *	      13 in the window, avg 0.929; orders: 3 open, 50 cancelled,
 *	      4 open with 1 arrived, 2 arrived in full: on hand 12, on
 *	      order 6; target 13 * 17 * 1.2 / 14 = 18.943; need 0.943:
 *	      one pack of 10
 *	EGGS  Mumias, level 3, reorder qty 12, no stock: 12
 *	MILK  Mumias, level 5, no reorder qty, 2 in, pack 6: 3 -> 6
 *	BRD   Mini Bakeries (lead 0), product lead 1, 100 in, 20 sold
 *	      06-13: avg 1.429, target 13.714 < 80 on hand; reorder date
 *	      today: due, 0
 *	RICE  no supplier, lead 3, kg, pack 25 kg; 10 in, 4.2 + 3.5 sold:
 *	      avg 0.55, target 6.6, on hand 2.3: 4.3 -> 25
 *	SALT  no supplier, nothing sold, reorder date yesterday: due, 0
 *	TOM   no supplier, kg, 1 in, 1 sold, 0.5 awaiting M-PESA: on hand
 *	      -0.5, avg 0.107, target 0.9: 1.4 -> 2
 *	SOAP  sold, then deactivated: not listed
 *	PLAIN nothing at all: not listed
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "date.h"
#include "db.h"
#include "order.h"
#include "refund.h"
#include "reorder.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TILL "T1"
#define TODAY "2026-06-15"

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t sug, eggs, milk, brd, rice, salt, tom, soap, plain;
static int64_t mumias, bakery;
static int serial;

static void
clock_at(const char *stamp)
{
	setenv("DUKA_NOW", stamp, 1);
}

/* A product with the fields that matter here; returns its id. */
static int64_t
add_product(const char *sku, const char *name, enum product_unit unit,
    int64_t supplier, int64_t lead, int64_t pack, int64_t level,
    int64_t rqty, const char *reorder_date)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = 10000;
	p.cost = 5000;
	p.unit = unit;
	p.supplier_id = supplier;
	p.lead_time_days = lead;
	p.pack_size = pack;
	p.reorder_level = level;
	p.reorder_qty = rqty;
	snprintf(p.reorder_date, sizeof p.reorder_date, "%s", reorder_date);
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

static void
recv(int64_t pid, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	snprintf(r.received, sizeof r.received, "2026-05-01");
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, NULL, &err) == DUKA_OK, "%s",
	    err.msg);
}

/* Sell qty of pid at stamp (cash, or a pending M-PESA prompt); returns
 * the receipt number. */
static int64_t
sell(const char *stamp, int64_t pid, int64_t qty, int pending)
{
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;
	struct tender t;
	struct product p;
	struct cart *c;
	char token[32];

	clock_at(stamp);
	ck_assert_ptr_nonnull(c = cart_new());
	ck_assert(catalog_product_get(db, pid, &p, &err) == DUKA_OK);
	ck_assert_msg(cart_add(c, &p, qty, &err) == DUKA_OK, "%s", err.msg);
	ck_assert(cart_approve(c, "boss", &err) == DUKA_OK);
	memset(&t, 0, sizeof t);
	t.method = pending ? PAY_MPESA : PAY_CASH;
	t.pending = pending;
	if (pending)
		snprintf(t.phone, sizeof t.phone, "254712345678");
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = "amina";
	snprintf(token, sizeof token, "sale-%d", ++serial);
	req.cart_token = token;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "sale_commit: %s", err.msg);
	cart_free(c);
	return res.receipt_no;
}

static void
refund_one(const char *stamp, int64_t no)
{
	struct duka_err err = { 0, "" };
	struct refund_request req;
	struct refund_result res;
	struct refund_line l = { 1, 1000 };

	clock_at(stamp);
	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	req.till_id = TILL;
	req.user = "amina";
	req.sale_till = TILL;
	req.sale_receipt_no = no;
	req.lines = &l;
	req.nlines = 1;
	req.tender.method = PAY_CASH;
	ck_assert_msg(refund_commit(db, &req, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	refund_result_free(&res);
}

/* Order qty of pid from supplier; returns the order id. */
static int64_t
order(int64_t supplier, int64_t pid, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct order_item it = { pid, qty };
	int64_t id;

	ck_assert_msg(order_add(db, supplier, NULL, &it, 1, "test", &id,
	    &err) == DUKA_OK, "%s", err.msg);
	return id;
}

/* Receive qty of pid against order id. */
static void
order_in(int64_t id, int64_t pid, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	r.user = "test";
	ck_assert_msg(order_receive(db, id, &r, NULL, &err) == DUKA_OK, "%s",
	    err.msg);
}

static void
setup(void)
{
	struct duka_err err = { 0, "" };
	int64_t shift, no, o;

	db = tu_db_new(dbpath, sizeof dbpath);
	serial = 0;
	settings_defaults(&cfg);
	snprintf(cfg.till_id, sizeof cfg.till_id, "%s", TILL);
	clock_at("2026-05-01T06:00:00Z");
	ck_assert(catalog_supplier_ensure(db, "Mumias", NULL, 10, &mumias,
	    &err) == DUKA_OK);
	ck_assert(catalog_supplier_ensure(db, "Mini Bakeries", NULL, 0,
	    &bakery, &err) == DUKA_OK);
	sug = add_product("SUG", "Sugar 1kg", UNIT_PIECE, mumias, 0, 10000, 0,
	    0, "");
	eggs = add_product("EGGS", "Eggs, tray", UNIT_PIECE, mumias, 0, 1000,
	    3000, 12000, "");
	milk = add_product("MILK", "Milk 500ml", UNIT_PIECE, mumias, 0, 6000,
	    5000, 0, "");
	brd = add_product("BRD", "Bread", UNIT_PIECE, bakery, 1, 1000, 0, 0,
	    TODAY);
	rice = add_product("RICE", "Rice loose", UNIT_KG, 0, 3, 25000, 0, 0,
	    "");
	salt = add_product("SALT", "Salt 1kg", UNIT_PIECE, 0, 0, 1000, 0, 0,
	    "2026-06-14");
	tom = add_product("TOM", "Tomatoes", UNIT_KG, 0, 0, 1000, 0, 0, "");
	soap = add_product("SOAP", "Soap", UNIT_PIECE, mumias, 0, 1000, 0, 0,
	    "");
	plain = add_product("PLAIN", "Plain", UNIT_PIECE, 0, 0, 1000, 0, 0,
	    "2026-06-16");
	recv(sug, 30000);
	recv(milk, 2000);
	recv(brd, 100000);
	recv(rice, 10000);
	recv(tom, 1000);
	recv(soap, 10000);
	ck_assert(shift_open(db, TILL, 0, "amina", &shift, &err) == DUKA_OK);

	sell("2026-05-31T12:00:00Z", sug, 5000, 0);
	sell("2026-06-01T12:00:00Z", sug, 7000, 0);
	no = sell("2026-06-10T12:00:00Z", sug, 7000, 0);
	refund_one("2026-06-12T12:00:00Z", no);
	sell(TODAY "T08:00:00Z", sug, 3000, 0);
	sell("2026-06-13T12:00:00Z", brd, 20000, 0);
	sell("2026-06-05T12:00:00Z", rice, 4200, 0);
	/* 23:30 UTC on the 13th is the 14th in Nairobi: still inside. */
	sell("2026-06-13T23:30:00Z", rice, 3500, 0);
	sell("2026-06-03T12:00:00Z", tom, 1000, 0);
	sell("2026-06-04T12:00:00Z", tom, 500, 1);
	sell("2026-06-04T12:00:00Z", soap, 9000, 0);
	ck_assert(catalog_product_set_active(db, soap, 0, "test", &err) ==
	    DUKA_OK);

	clock_at(TODAY "T09:00:00Z");
	order(mumias, sug, 3000);
	o = order(mumias, sug, 50000);
	ck_assert(order_cancel(db, o, "test", &err) == DUKA_OK);
	o = order(mumias, sug, 4000);
	order_in(o, sug, 1000);
	o = order(mumias, sug, 2000);
	order_in(o, sug, 2000);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Collects the suggestions. */
struct lines {
	struct reorder_line l[16];
	int n;
	int stop_after;
};

static int
line_cb(void *ctx, const struct reorder_line *l)
{
	struct lines *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->l));
	c->l[c->n++] = *l;
	return c->stop_after > 0 && c->n >= c->stop_after;
}

/* One expected suggestion. */
struct want {
	const char *sku, *supplier;
	int64_t on_hand, on_order, avg, suggested, pack, lead;
	const char *reorder_date;
	int due;
};

static void
check_line(const struct reorder_line *l, const struct want *w)
{
	ck_assert_str_eq(l->sku, w->sku);
	ck_assert_str_eq(l->supplier, w->supplier);
	ck_assert_msg(l->on_hand == w->on_hand && l->on_order == w->on_order,
	    "%s: on hand %lld, on order %lld", w->sku, (long long)l->on_hand,
	    (long long)l->on_order);
	ck_assert_msg(l->avg_daily == w->avg, "%s: avg %lld", w->sku,
	    (long long)l->avg_daily);
	ck_assert_msg(l->suggested == w->suggested, "%s: suggested %lld",
	    w->sku, (long long)l->suggested);
	ck_assert_int_eq(l->pack_size, w->pack);
	ck_assert_msg(l->lead_time_days == w->lead, "%s: lead %lld", w->sku,
	    (long long)l->lead_time_days);
	ck_assert_str_eq(l->reorder_date, w->reorder_date);
	ck_assert_int_eq(l->due, w->due);
	ck_assert_int_eq(l->suggested % l->pack_size, 0);
}

/* Run the suggestions for today and compare with want. */
static void
expect(const struct want *want, int n)
{
	struct duka_err err = { 0, "" };
	struct lines c;
	int i;

	memset(&c, 0, sizeof c);
	ck_assert_msg(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err) ==
	    DUKA_OK, "%s", err.msg);
	for (i = 0; i < c.n && i < n; i++)
		check_line(&c.l[i], &want[i]);
	ck_assert_int_eq(c.n, n);
}

START_TEST(test_defaults)
{
	static const struct want want[] = {
		{ "BRD", "Mini Bakeries", 80000, 0, 1429, 0, 1000, 1, TODAY,
		    1 },
		{ "EGGS", "Mumias", 0, 0, 0, 12000, 1000, 10, "", 0 },
		{ "MILK", "Mumias", 2000, 0, 0, 6000, 6000, 10, "", 0 },
		{ "SUG", "Mumias", 12000, 6000, 929, 10000, 10000, 10, "", 0 },
		{ "RICE", "", 2300, 0, 550, 25000, 25000, 3, "", 0 },
		{ "SALT", "", 0, 0, 0, 0, 1000, 0, "2026-06-14", 1 },
		{ "TOM", "", -500, 0, 107, 2000, 1000, 0, "", 0 },
	};

	expect(want, NELEM(want));
}
END_TEST

START_TEST(test_other_settings)
{
	/* A week's window (06-08 .. 06-14): SUG 7 - 1 = 6 sold, target
	 * 6 * 17 * 1.2 / 7 = 17.486 is under the 18 on hand and on order;
	 * RICE 3.5, avg 0.5, target 3.5 * 10 * 1.2 / 7 = 6; TOM sold
	 * nothing in the window but is 0.5 below zero: one kg. */
	static const struct want week[] = {
		{ "BRD", "Mini Bakeries", 80000, 0, 2857, 0, 1000, 1, TODAY,
		    1 },
		{ "EGGS", "Mumias", 0, 0, 0, 12000, 1000, 10, "", 0 },
		{ "MILK", "Mumias", 2000, 0, 0, 6000, 6000, 10, "", 0 },
		{ "RICE", "", 2300, 0, 500, 25000, 25000, 3, "", 0 },
		{ "SALT", "", 0, 0, 0, 0, 1000, 0, "2026-06-14", 1 },
		{ "TOM", "", -500, 0, 0, 1000, 1000, 0, "", 0 },
	};
	/* No safety stock, ordering daily: SUG 13 * 11 / 14 = 10.214 is
	 * under the 18 on hand and on order; RICE 7.7 * 4 / 14 = 2.2 is
	 * under 2.3; TOM 1.5 * 1 / 14 = 0.107: 0.607 -> 1. */
	static const struct want lean[] = {
		{ "BRD", "Mini Bakeries", 80000, 0, 1429, 0, 1000, 1, TODAY,
		    1 },
		{ "EGGS", "Mumias", 0, 0, 0, 12000, 1000, 10, "", 0 },
		{ "MILK", "Mumias", 2000, 0, 0, 6000, 6000, 10, "", 0 },
		{ "SALT", "", 0, 0, 0, 0, 1000, 0, "2026-06-14", 1 },
		{ "TOM", "", -500, 0, 107, 1000, 1000, 0, "", 0 },
	};

	cfg.reorder_window_days = 7;
	expect(week, NELEM(week));
	settings_defaults(&cfg);
	cfg.safety_stock_bp = 0;
	cfg.review_period_days = 1;
	expect(lean, NELEM(lean));
}
END_TEST

START_TEST(test_orders_count_until_closed)
{
	struct duka_err err = { 0, "" };
	struct lines c;
	int64_t o;
	int i;

	/* A big open order covers SUG; cancelling it brings it back. */
	o = order(mumias, sug, 100000);
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err) ==
	    DUKA_OK);
	for (i = 0; i < c.n; i++)
		ck_assert_str_ne(c.l[i].sku, "SUG");
	ck_assert(order_cancel(db, o, "test", &err) == DUKA_OK);
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err) ==
	    DUKA_OK);
	for (i = 0; i < c.n; i++)
		if (strcmp(c.l[i].sku, "SUG") == 0)
			break;
	ck_assert_int_lt(i, c.n);
	ck_assert_int_eq(c.l[i].on_order, 6000);

	/* An over-delivered line of an open order counts nothing on order,
	 * not less than nothing: EGGS 3 on hand, at its level of 3. */
	{
		struct order_item it[2] = { { eggs, 1000 }, { milk, 6000 } };

		ck_assert(order_add(db, bakery, NULL, it, 2, "test", &o,
		    &err) == DUKA_OK);
	}
	order_in(o, eggs, 3000);
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err) ==
	    DUKA_OK);
	for (i = 0; i < c.n; i++)
		if (strcmp(c.l[i].sku, "EGGS") == 0)
			break;
	ck_assert_int_lt(i, c.n);
	ck_assert_int_eq(c.l[i].on_hand, 3000);
	ck_assert_int_eq(c.l[i].on_order, 0);
	ck_assert_int_eq(c.l[i].suggested, 12000);
	/* MILK: 2 on hand and 6 on order is above its level of 5. */
	for (i = 0; i < c.n; i++)
		ck_assert_str_ne(c.l[i].sku, "MILK");
}
END_TEST

START_TEST(test_due_dates)
{
	struct duka_err err = { 0, "" };
	struct lines c;
	int i, found = 0;

	/* Tomorrow PLAIN's date has come too; so has BRD's still. */
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, "2026-06-16", line_cb, &c, &err) ==
	    DUKA_OK);
	for (i = 0; i < c.n; i++) {
		if (strcmp(c.l[i].sku, "PLAIN") == 0) {
			ck_assert_int_eq(c.l[i].due, 1);
			ck_assert_int_eq(c.l[i].suggested, 0);
			found++;
		}
		if (strcmp(c.l[i].sku, "BRD") == 0) {
			ck_assert_int_eq(c.l[i].due, 1);
			found++;
		}
		ck_assert_str_ne(c.l[i].sku, "SOAP");
	}
	ck_assert_int_eq(found, 2);
	/* DD/MM/YYYY is a date too. */
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, "14/06/2026", line_cb, &c, &err) ==
	    DUKA_OK);
	for (i = 0; i < c.n; i++)
		ck_assert_str_ne(c.l[i].sku, "BRD");
}
END_TEST

START_TEST(test_stop_and_write_nothing)
{
	struct duka_err err = { 0, "" };
	int before = sqlite3_total_changes(db_sqlite(db));
	struct lines c;

	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	ck_assert(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(sqlite3_total_changes(db_sqlite(db)), before);
	/* NULL today is the clock's day (DUKA_NOW is 2026-06-15). */
	memset(&c, 0, sizeof c);
	ck_assert(reorder_suggest(db, &cfg, NULL, line_cb, &c, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(c.n, 7);
}
END_TEST

START_TEST(test_refused)
{
	static const struct {
		int64_t window, review, safety;
		const char *today;
		const char *msg;
	} cases[] = {
		{ 0, 7, 2000, TODAY, "out of range" },
		{ 366, 7, 2000, TODAY, "out of range" },
		{ 14, 0, 2000, TODAY, "out of range" },
		{ 14, 7, -1, TODAY, "out of range" },
		{ 14, 7, 10001, TODAY, "out of range" },
		{ 14, 7, 2000, "2026-02-30", "2026-02-30" },
		{ 14, 7, 2000, "yesterday", "yesterday" },
	};
	struct duka_err err;
	struct lines c;
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		settings_defaults(&cfg);
		cfg.reorder_window_days = cases[i].window;
		cfg.review_period_days = cases[i].review;
		cfg.safety_stock_bp = cases[i].safety;
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		ck_assert_msg(reorder_suggest(db, &cfg, cases[i].today,
		    line_cb, &c, &err) == DUKA_EINPUT, "case %d", i);
		ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL,
		    "case %d: %s", i, err.msg);
		ck_assert_int_eq(c.n, 0);
	}
}
END_TEST

START_TEST(test_too_large)
{
	struct duka_err err = { 0, "" };
	struct lines c;

	/* A forged line of 9e15 thousandths: sold * 17 * 12000 overflows. */
	tu_exec(db, "INSERT INTO sales(till_id, receipt_no, kind, state, "
	    "shift_id, cart_token, shelf_gross, gross, discount, total, vat, "
	    "at, business_day) VALUES ('X', 1, 'sale', 'completed', 1, 'big', "
	    "0, 0, 0, 0, 0, '2026-06-10T09:00:00Z', '2026-06-10')");
	tu_exec(db, "INSERT INTO sale_lines(sale_id, line_no, product_id, sku, "
	    "name, unit, tax_class, qty, shelf_price, unit_price, "
	    "line_discount, sale_discount, amount, vat) SELECT id, 1, 1, 'SUG', "
	    "'Sugar', 'piece', 'standard', 9000000000000000, 0, 0, 0, 0, 0, 0 "
	    "FROM sales WHERE till_id = 'X'");
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(reorder_suggest(db, &cfg, TODAY, line_cb, &c, &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "SUG") != NULL &&
	    strstr(err.msg, "too large") != NULL, "%s", err.msg);
}
END_TEST

static Suite *
reorder_suite(void)
{
	Suite *s = suite_create("reorder");
	TCase *tc = tcase_create("reorder");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_other_settings);
	tcase_add_test(tc, test_orders_count_until_closed);
	tcase_add_test(tc, test_due_dates);
	tcase_add_test(tc, test_stop_and_write_nothing);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_too_large);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	if (date_set_timezone("Africa/Nairobi", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(reorder_suite());
}
