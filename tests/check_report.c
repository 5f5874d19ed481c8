/*
 * check_report.c - unit tests for the sales reports (report.c) against a
 * fixture shop whose figures were worked out by hand: takings per day
 * and per month (empty days and months included, a late-night sale on
 * the next local day, a sale awaiting payment left out, a refund on its
 * own day), top products by revenue and by quantity, margin from the
 * batches' costs (not today's cost price), attendants, VAT per class;
 * the ranges and their refusals; the CSV and table writers; and that a
 * report writes nothing.
 *
 * The shop is in Africa/Nairobi (UTC+3). Sales are made through the real
 * cart, sale_commit and refund_commit, with DUKA_NOW set per sale.
 *
 * The fixture (prices include VAT; 16% VAT = amount * 1600 / 11600):
 *
 *	SUG  piece standard 200.00; batch A 5 @ 150.00 (expires first),
 *	     batch B 20 @ 160.00
 *	RICE kg    zero     120.00; 10 kg @ 80.00
 *	BRD  piece exempt    65.00; 30 @ 50.00
 *
 *	S0 2026-05-20 amina RICE 2 kg                  240.00  cost 160.00
 *	S1 2026-06-01 amina SUG 3 (A)  600.00 VAT 82.76     cost 450.00
 *	                    RICE 0.5    60.00               cost  40.00
 *	S2 2026-06-02 juma  SUG 4 less 20.00 = 780.00 VAT 107.59
 *	                    (A 2, B 2)                       cost 620.00
 *	                    BRD 2       130.00               cost 100.00
 *	S3 2026-06-02 22:30Z = 2026-06-03 local, amina BRD 5 325.00
 *	                                                     cost 250.00
 *	S4 2026-06-05 amina SUG 1, M-PESA pending: awaiting, not counted
 *	R1 2026-06-06 juma  refund S2 line 1, 1 piece: -195.00 VAT -26.90,
 *	                    discount -5.00, back into B      cost -160.00
 */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "date.h"
#include "db.h"
#include "money.h"
#include "refund.h"
#include "report.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TILL "T1"

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t sug, rice, brd;
static int serial;

/* Set the clock to stamp (UTC). */
static void
clock_at(const char *stamp)
{
	setenv("DUKA_NOW", stamp, 1);
}

/* Add a product; returns its id. */
static int64_t
add_product(const char *sku, const char *name, int64_t price,
    enum product_unit unit, enum tax_class tax)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = price;
	p.cost = price / 2;
	p.unit = unit;
	p.tax = tax;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

/* Receive qty at cost into a batch expiring on expiry ("" = never). */
static void
recv(int64_t pid, int64_t qty, int64_t cost, const char *expiry)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	r.unit_cost = cost;
	snprintf(r.expiry, sizeof r.expiry, "%s", expiry);
	snprintf(r.received, sizeof r.received, "2026-05-01");
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, NULL, &err) == DUKA_OK, "%s",
	    err.msg);
}

/* One line of a fixture sale. */
struct item {
	int64_t *pid;
	int64_t qty;
	int64_t disc;			/* line discount, cents */
};

/* Sell items at stamp as user, cash (or a pending M-PESA prompt);
 * returns the receipt number. */
static int64_t
sell(const char *stamp, const char *user, const struct item *items, int n,
    int pending)
{
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;
	struct tender t;
	struct product p;
	struct cart *c;
	char token[32];
	int i;

	clock_at(stamp);
	ck_assert_ptr_nonnull(c = cart_new());
	for (i = 0; i < n; i++) {
		ck_assert(catalog_product_get(db, *items[i].pid, &p, &err) ==
		    DUKA_OK);
		ck_assert_msg(cart_add(c, &p, items[i].qty, &err) == DUKA_OK,
		    "%s", err.msg);
		if (items[i].disc > 0)
			ck_assert_msg(cart_line_discount_amount(c, c->n - 1,
			    items[i].disc, &err) == DUKA_OK, "%s", err.msg);
	}
	ck_assert(cart_approve(c, "boss", &err) == DUKA_OK);
	memset(&t, 0, sizeof t);
	if (pending) {
		t.method = PAY_MPESA;
		t.pending = 1;
		snprintf(t.phone, sizeof t.phone, "254712345678");
	} else
		t.method = PAY_CASH;
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = user;
	snprintf(token, sizeof token, "sale-%d", ++serial);
	req.cart_token = token;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "sale_commit: %s", err.msg);
	cart_free(c);
	return res.receipt_no;
}

/* Refund qty of line line_no of receipt no at stamp as user. */
static void
refund(const char *stamp, const char *user, int64_t no, int line_no,
    int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct refund_request req;
	struct refund_result res;
	struct refund_line l = { line_no, qty };

	clock_at(stamp);
	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	req.till_id = TILL;
	req.user = user;
	req.sale_till = TILL;
	req.sale_receipt_no = no;
	req.lines = &l;
	req.nlines = 1;
	req.tender.method = PAY_CASH;
	ck_assert_msg(refund_commit(db, &req, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(res.total, -19500);
	ck_assert_int_eq(res.vat, -2690);
	refund_result_free(&res);
}

static void
setup(void)
{
	struct duka_err err = { 0, "" };
	int64_t shift, s2;

	db = tu_db_new(dbpath, sizeof dbpath);
	serial = 0;
	settings_defaults(&cfg);
	snprintf(cfg.till_id, sizeof cfg.till_id, "%s", TILL);
	clock_at("2026-05-01T06:00:00Z");
	sug = add_product("SUG", "Sugar 1kg", 20000, UNIT_PIECE, TAX_STANDARD);
	rice = add_product("RICE", "Rice, loose", 12000, UNIT_KG, TAX_ZERO);
	brd = add_product("BRD", "Bread \"white\"", 6500, UNIT_PIECE,
	    TAX_EXEMPT);
	recv(sug, 5000, 15000, "2026-12-01");
	recv(sug, 20000, 16000, "2027-01-01");
	recv(rice, 10000, 8000, "");
	recv(brd, 30000, 5000, "");
	ck_assert_msg(shift_open(db, TILL, 0, "amina", &shift, &err) ==
	    DUKA_OK, "%s", err.msg);

	sell("2026-05-20T09:00:00Z", "amina",
	    (struct item[]){ { &rice, 2000, 0 } }, 1, 0);
	sell("2026-06-01T09:00:00Z", "amina",
	    (struct item[]){ { &sug, 3000, 0 }, { &rice, 500, 0 } }, 2, 0);
	s2 = sell("2026-06-02T10:00:00Z", "juma",
	    (struct item[]){ { &sug, 4000, 2000 }, { &brd, 2000, 0 } }, 2, 0);
	sell("2026-06-02T22:30:00Z", "amina",
	    (struct item[]){ { &brd, 5000, 0 } }, 1, 0);
	sell("2026-06-05T09:00:00Z", "amina",
	    (struct item[]){ { &sug, 1000, 0 } }, 1, 1);
	refund("2026-06-06T09:00:00Z", "juma", s2, 1, 1000);
	clock_at("2026-06-15T09:00:00Z");
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* ---- Takings per day and per month ---- */

/* Collects the periods a report gives. */
struct periods {
	struct report_period p[200];
	int n;
	int stop_after;			/* 0: never stop */
};

static int
period_cb(void *ctx, const struct report_period *p)
{
	struct periods *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->p));
	c->p[c->n++] = *p;
	return c->stop_after > 0 && c->n >= c->stop_after;
}

/* What one period must show. */
struct want_period {
	const char *period;
	int64_t sales, refunds, sales_total, refunds_total, vat, discounts;
};

static void
check_period(const struct report_period *got, const struct want_period *w)
{
	ck_assert_str_eq(got->period, w->period);
	ck_assert_msg(got->sales == w->sales && got->refunds == w->refunds,
	    "%s: %lld sales %lld refunds", w->period, (long long)got->sales,
	    (long long)got->refunds);
	ck_assert_msg(got->sales_total == w->sales_total, "%s: takings %lld",
	    w->period, (long long)got->sales_total);
	ck_assert_msg(got->refunds_total == w->refunds_total,
	    "%s: refunded %lld", w->period, (long long)got->refunds_total);
	ck_assert_int_eq(got->net_total, w->sales_total + w->refunds_total);
	ck_assert_msg(got->vat == w->vat, "%s: VAT %lld", w->period,
	    (long long)got->vat);
	ck_assert_int_eq(got->net_ex_vat, got->net_total - w->vat);
	ck_assert_msg(got->discounts == w->discounts, "%s: discounts %lld",
	    w->period, (long long)got->discounts);
}

START_TEST(test_daily)
{
	static const struct want_period want[] = {
		{ "2026-05-31", 0, 0, 0, 0, 0, 0 },
		{ "2026-06-01", 1, 0, 66000, 0, 8276, 0 },
		{ "2026-06-02", 1, 0, 91000, 0, 10759, 2000 },
		/* 22:30 UTC on the 2nd is 01:30 on the 3rd in Nairobi. */
		{ "2026-06-03", 1, 0, 32500, 0, 0, 0 },
		{ "2026-06-04", 0, 0, 0, 0, 0, 0 },
		/* Awaiting payment: not takings yet. */
		{ "2026-06-05", 0, 0, 0, 0, 0, 0 },
		{ "2026-06-06", 0, 1, 0, -19500, -2690, -500 },
		{ "2026-06-07", 0, 0, 0, 0, 0, 0 },
	};
	struct duka_err err = { 0, "" };
	struct report_period total;
	struct periods c;
	int i;

	memset(&c, 0, sizeof c);
	ck_assert_msg(report_daily(db, "2026-05-31", "2026-06-07", period_cb,
	    &c, &total, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(c.n, NELEM(want));
	for (i = 0; i < c.n; i++)
		check_period(&c.p[i], &want[i]);
	check_period(&total, &(struct want_period){ "", 3, 1, 189500, -19500,
	    16345, 1500 });
	ck_assert_int_eq(total.net_total, 170000);
	ck_assert_int_eq(total.net_ex_vat, 153655);
}
END_TEST

START_TEST(test_daily_one_day_and_stop)
{
	struct duka_err err = { 0, "" };
	struct report_period total;
	struct periods c;

	memset(&c, 0, sizeof c);
	ck_assert(report_daily(db, "2026-06-02", "2026-06-02", period_cb, &c,
	    &total, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	check_period(&c.p[0], &(struct want_period){ "2026-06-02", 1, 0,
	    91000, 0, 10759, 2000 });
	ck_assert_int_eq(total.sales_total, 91000);

	/* The callback stops the listing: no more periods are given. */
	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	ck_assert(report_daily(db, "2026-05-01", "2026-06-30", period_cb, &c,
	    NULL, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_str_eq(c.p[1].period, "2026-05-02");
}
END_TEST

START_TEST(test_daily_across_months_and_leap_day)
{
	struct duka_err err = { 0, "" };
	struct periods c;

	memset(&c, 0, sizeof c);
	ck_assert(report_daily(db, "2028-02-27", "2028-03-01", period_cb, &c,
	    NULL, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 4);
	ck_assert_str_eq(c.p[2].period, "2028-02-29");
	ck_assert_str_eq(c.p[3].period, "2028-03-01");
}
END_TEST

START_TEST(test_monthly)
{
	static const struct want_period want[] = {
		{ "2026-01", 0, 0, 0, 0, 0, 0 },
		{ "2026-02", 0, 0, 0, 0, 0, 0 },
		{ "2026-03", 0, 0, 0, 0, 0, 0 },
		{ "2026-04", 0, 0, 0, 0, 0, 0 },
		{ "2026-05", 1, 0, 24000, 0, 0, 0 },
		{ "2026-06", 3, 1, 189500, -19500, 16345, 1500 },
	};
	struct duka_err err = { 0, "" };
	struct report_period total;
	struct periods c;
	int i;

	memset(&c, 0, sizeof c);
	ck_assert_msg(report_monthly(db, "2026-01-01", "2026-06-15",
	    period_cb, &c, &total, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(c.n, NELEM(want));
	for (i = 0; i < c.n; i++)
		check_period(&c.p[i], &want[i]);
	check_period(&total, &(struct want_period){ "", 4, 1, 213500, -19500,
	    16345, 1500 });
}
END_TEST

START_TEST(test_monthly_partial_months)
{
	struct duka_err err = { 0, "" };
	struct periods c;

	/* May from the 21st misses S0; June up to the 2nd has S1 and S2. */
	memset(&c, 0, sizeof c);
	ck_assert(report_monthly(db, "2026-05-21", "2026-06-02", period_cb,
	    &c, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	check_period(&c.p[0], &(struct want_period){ "2026-05", 0, 0, 0, 0,
	    0, 0 });
	check_period(&c.p[1], &(struct want_period){ "2026-06", 2, 0, 157000,
	    0, 19035, 2000 });

	/* Across a year end: December then January. */
	memset(&c, 0, sizeof c);
	ck_assert(report_monthly(db, "2025-12-15", "2026-01-10", period_cb,
	    &c, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_str_eq(c.p[0].period, "2025-12");
	ck_assert_str_eq(c.p[1].period, "2026-01");
}
END_TEST

/* ---- Products ---- */

/* Collects the products a report gives. */
struct products {
	struct report_product p[16];
	int n;
};

static int
product_cb(void *ctx, const struct report_product *p)
{
	struct products *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->p));
	c->p[c->n++] = *p;
	return 0;
}

START_TEST(test_top)
{
	static const struct {
		enum report_by by;
		int limit;
		int n;
		const char *skus[3];
	} cases[] = {
		/* SUG 1,185.00 > BRD 455.00 > RICE 60.00 ... */
		{ REPORT_BY_REVENUE, 0, 3, { "SUG", "BRD", "RICE" } },
		/* ... but BRD 7 > SUG 6 (4 + 3 - 1 refunded) > RICE 0.5. */
		{ REPORT_BY_QTY, 0, 3, { "BRD", "SUG", "RICE" } },
		{ REPORT_BY_REVENUE, 1, 1, { "SUG" } },
		{ REPORT_BY_QTY, 2, 2, { "BRD", "SUG" } },
	};
	struct duka_err err = { 0, "" };
	struct products c;
	int i, j;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&c, 0, sizeof c);
		ck_assert_msg(report_top(db, "2026-06-01", "2026-06-15",
		    cases[i].by, cases[i].limit, product_cb, &c, &err) ==
		    DUKA_OK, "%s", err.msg);
		ck_assert_int_eq(c.n, cases[i].n);
		for (j = 0; j < c.n; j++) {
			ck_assert_str_eq(c.p[j].sku, cases[i].skus[j]);
			ck_assert_int_eq(c.p[j].rank, j + 1);
		}
	}
	/* The figures of each product, net of the refund. */
	memset(&c, 0, sizeof c);
	ck_assert(report_top(db, "2026-06-01", "2026-06-15",
	    REPORT_BY_REVENUE, 0, product_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.p[0].qty, 6000);
	ck_assert_int_eq(c.p[0].revenue, 118500);
	ck_assert_int_eq(c.p[0].vat, 16345);
	ck_assert_int_eq(c.p[0].net, 102155);
	ck_assert_str_eq(c.p[0].name, "Sugar 1kg");
	ck_assert_int_eq(c.p[0].unit, UNIT_PIECE);
	ck_assert_int_eq(c.p[1].qty, 7000);
	ck_assert_int_eq(c.p[1].revenue, 45500);
	ck_assert_int_eq(c.p[2].qty, 500);
	ck_assert_int_eq(c.p[2].revenue, 6000);
	ck_assert_int_eq(c.p[2].unit, UNIT_KG);

	/* A range with the refund only: the product is there, negative. */
	memset(&c, 0, sizeof c);
	ck_assert(report_top(db, "2026-06-06", "2026-06-06",
	    REPORT_BY_REVENUE, 0, product_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(c.p[0].qty, -1000);
	ck_assert_int_eq(c.p[0].revenue, -19500);
}
END_TEST

/* What the margin report must show for one product. */
struct want_margin {
	const char *sku;
	int64_t qty, revenue, vat, net, cost, margin, bp;
	int has_bp;
};

static void
check_margin(const struct report_product *p, const struct want_margin *w)
{
	ck_assert_str_eq(p->sku, w->sku);
	ck_assert_msg(p->qty == w->qty && p->revenue == w->revenue &&
	    p->vat == w->vat && p->net == w->net, "%s: qty %lld revenue %lld "
	    "vat %lld net %lld", w->sku, (long long)p->qty,
	    (long long)p->revenue, (long long)p->vat, (long long)p->net);
	ck_assert_msg(p->cost == w->cost, "%s: cost %lld", w->sku,
	    (long long)p->cost);
	ck_assert_msg(p->margin == w->margin, "%s: margin %lld", w->sku,
	    (long long)p->margin);
	ck_assert_int_eq(p->has_margin_bp, w->has_bp);
	ck_assert_msg(p->margin_bp == w->bp, "%s: %lld bp", w->sku,
	    (long long)p->margin_bp);
}

START_TEST(test_margin)
{
	/*
	 * SUG: net 1,021.55; cost 3 x 150 (S1) + 2 x 150 + 2 x 160 (S2)
	 * - 160 (put back into B) = 910.00; margin 111.55 = 10.92%.
	 * BRD: 455.00 - 7 x 50 = 105.00 = 23.08%. RICE: 60 - 40 = 33.33%.
	 */
	static const struct want_margin want[] = {
		{ "SUG", 6000, 118500, 16345, 102155, 91000, 11155, 1092, 1 },
		{ "BRD", 7000, 45500, 0, 45500, 35000, 10500, 2308, 1 },
		{ "RICE", 500, 6000, 0, 6000, 4000, 2000, 3333, 1 },
	};
	struct duka_err err = { 0, "" };
	struct report_product total;
	struct products c;
	struct product p;
	int i, round;

	/* Round 2: today's cost price changes nothing; batches count. */
	for (round = 0; round < 2; round++) {
		memset(&c, 0, sizeof c);
		ck_assert_msg(report_margin(db, "2026-06-01", "2026-06-15",
		    product_cb, &c, &total, &err) == DUKA_OK, "%s", err.msg);
		ck_assert_int_eq(c.n, NELEM(want));
		for (i = 0; i < c.n; i++) {
			check_margin(&c.p[i], &want[i]);
			ck_assert_int_eq(c.p[i].rank, i + 1);
		}
		/* 236.55 of 1,536.55 is 15.39%. */
		check_margin(&total, &(struct want_margin){ "", 13500, 170000,
		    16345, 153655, 130000, 23655, 1539, 1 });
		ck_assert(catalog_product_get(db, sug, &p, &err) == DUKA_OK);
		p.cost = 99900;
		ck_assert(catalog_product_update(db, &p, "test", &err) ==
		    DUKA_OK);
	}
}
END_TEST

START_TEST(test_margin_refund_only_and_loss)
{
	struct duka_err err = { 0, "" };
	struct report_product total;
	struct products c;

	/* The refund alone: net and cost negative, no percentage. */
	memset(&c, 0, sizeof c);
	ck_assert(report_margin(db, "2026-06-06", "2026-06-06", product_cb, &c,
	    &total, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	check_margin(&c.p[0], &(struct want_margin){ "SUG", -1000, -19500,
	    -2690, -16810, -16000, -810, 0, 0 });

	/* Sold below cost: a negative percentage. */
	clock_at("2026-06-10T09:00:00Z");
	{
		struct duka_err e2 = { 0, "" };
		struct product p;
		struct cart *cart;
		struct tender t = { .method = PAY_CASH };
		struct sale_request req;
		struct sale_result res;

		ck_assert_ptr_nonnull(cart = cart_new());
		ck_assert(catalog_product_get(db, brd, &p, &e2) == DUKA_OK);
		ck_assert(cart_add(cart, &p, 1000, &e2) == DUKA_OK);
		ck_assert(cart_price_override(cart, 0, 4000, &e2) == DUKA_OK);
		ck_assert(cart_approve(cart, "boss", &e2) == DUKA_OK);
		memset(&req, 0, sizeof req);
		req.cart = cart;
		req.tenders = &t;
		req.ntenders = 1;
		req.till_id = TILL;
		req.user = "amina";
		req.cart_token = "below-cost";
		ck_assert_msg(sale_commit(db, &req, &cfg, &res, &e2) ==
		    DUKA_OK, "%s", e2.msg);
		cart_free(cart);
	}
	memset(&c, 0, sizeof c);
	ck_assert(report_margin(db, "2026-06-10", "2026-06-10", product_cb, &c,
	    &total, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	/* 40.00 - 50.00 = -10.00 of 40.00: -25.00%. */
	check_margin(&c.p[0], &(struct want_margin){ "BRD", 1000, 4000, 0,
	    4000, 5000, -1000, -2500, 1 });
}
END_TEST

/* ---- Attendants ---- */

struct attendants {
	struct report_attendant a[8];
	int n;
};

static int
attendant_cb(void *ctx, const struct report_attendant *a)
{
	struct attendants *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->a));
	c->a[c->n++] = *a;
	return 0;
}

START_TEST(test_attendants)
{
	struct duka_err err = { 0, "" };
	struct report_attendant total;
	struct attendants c;

	memset(&c, 0, sizeof c);
	ck_assert_msg(report_attendants(db, "2026-06-01", "2026-06-15",
	    attendant_cb, &c, &total, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(c.n, 2);
	/* amina: S1 660.00 + S3 325.00 (S4 awaits payment). */
	ck_assert_str_eq(c.a[0].user, "amina");
	ck_assert_int_eq(c.a[0].sales, 2);
	ck_assert_int_eq(c.a[0].refunds, 0);
	ck_assert_int_eq(c.a[0].sales_total, 98500);
	ck_assert_int_eq(c.a[0].refunds_total, 0);
	ck_assert_int_eq(c.a[0].net_total, 98500);
	ck_assert_int_eq(c.a[0].discounts, 0);
	ck_assert_int_eq(c.a[0].average_sale, 49250);
	/* juma: S2 910.00, less the refund he made. */
	ck_assert_str_eq(c.a[1].user, "juma");
	ck_assert_int_eq(c.a[1].sales, 1);
	ck_assert_int_eq(c.a[1].refunds, 1);
	ck_assert_int_eq(c.a[1].sales_total, 91000);
	ck_assert_int_eq(c.a[1].refunds_total, -19500);
	ck_assert_int_eq(c.a[1].net_total, 71500);
	ck_assert_int_eq(c.a[1].discounts, 1500);
	ck_assert_int_eq(c.a[1].average_sale, 91000);
	/* 1,895.00 over 3 sales: 631.666... rounds to 631.67. */
	ck_assert_int_eq(total.sales, 3);
	ck_assert_int_eq(total.refunds, 1);
	ck_assert_int_eq(total.net_total, 170000);
	ck_assert_int_eq(total.average_sale, 63167);
}
END_TEST

START_TEST(test_attendant_unknown)
{
	struct duka_err err = { 0, "" };
	struct attendants c;

	sell("2026-06-11T09:00:00Z", NULL,
	    (struct item[]){ { &brd, 1000, 0 } }, 1, 0);
	memset(&c, 0, sizeof c);
	ck_assert(report_attendants(db, "2026-06-11", "2026-06-11",
	    attendant_cb, &c, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.a[0].user, "");
	ck_assert_int_eq(c.a[0].sales_total, 6500);
}
END_TEST

/* ---- VAT ---- */

START_TEST(test_tax)
{
	struct duka_err err = { 0, "" };
	struct report_tax t[3], total;
	int i;

	ck_assert_msg(report_tax(db, "2026-06-01", "2026-06-30", t, &total,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(t[TAX_STANDARD].tax, TAX_STANDARD);
	ck_assert_int_eq(t[TAX_STANDARD].rate_bp, 1600);
	ck_assert_int_eq(t[TAX_STANDARD].sales_amount, 138000);
	ck_assert_int_eq(t[TAX_STANDARD].sales_vat, 19035);
	ck_assert_int_eq(t[TAX_STANDARD].sales_net, 118965);
	ck_assert_int_eq(t[TAX_STANDARD].refunds_amount, -19500);
	ck_assert_int_eq(t[TAX_STANDARD].refunds_vat, -2690);
	ck_assert_int_eq(t[TAX_STANDARD].refunds_net, -16810);
	ck_assert_int_eq(t[TAX_STANDARD].amount, 118500);
	ck_assert_int_eq(t[TAX_STANDARD].vat, 16345);
	ck_assert_int_eq(t[TAX_STANDARD].net, 102155);
	ck_assert_int_eq(t[TAX_ZERO].rate_bp, 0);
	ck_assert_int_eq(t[TAX_ZERO].sales_amount, 6000);
	ck_assert_int_eq(t[TAX_ZERO].vat, 0);
	ck_assert_int_eq(t[TAX_ZERO].net, 6000);
	ck_assert_int_eq(t[TAX_EXEMPT].sales_amount, 45500);
	ck_assert_int_eq(t[TAX_EXEMPT].refunds_amount, 0);
	ck_assert_int_eq(t[TAX_EXEMPT].net, 45500);
	ck_assert_int_eq(total.sales_amount, 189500);
	ck_assert_int_eq(total.refunds_amount, -19500);
	ck_assert_int_eq(total.amount, 170000);
	ck_assert_int_eq(total.vat, 16345);
	ck_assert_int_eq(total.net, 153655);
	/* The takings per day add up to the same figures. */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(t[i].net + t[i].vat, t[i].amount);

	/* May: the rice alone, zero-rated. */
	ck_assert(report_tax(db, "2026-05-01", "2026-05-31", t, NULL, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(t[TAX_STANDARD].amount, 0);
	ck_assert_int_eq(t[TAX_ZERO].amount, 24000);
	ck_assert_int_eq(t[TAX_EXEMPT].amount, 0);
	ck_assert_str_eq(report_tax_label(TAX_STANDARD), "Standard 16%");
	ck_assert_str_eq(report_tax_label(TAX_EXEMPT), "Exempt");
}
END_TEST

START_TEST(test_empty_range)
{
	struct duka_err err = { 0, "" };
	struct report_period total;
	struct report_product ptotal;
	struct report_tax t[3], tt;
	struct products c;
	struct periods pc;

	memset(&pc, 0, sizeof pc);
	ck_assert(report_daily(db, "2026-07-01", "2026-07-03", period_cb, &pc,
	    &total, &err) == DUKA_OK);
	ck_assert_int_eq(pc.n, 3);
	ck_assert_int_eq(total.sales + total.net_total + total.vat, 0);
	memset(&c, 0, sizeof c);
	ck_assert(report_top(db, "2026-07-01", "2026-07-03", REPORT_BY_QTY, 5,
	    product_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 0);
	ck_assert(report_margin(db, "2026-07-01", "2026-07-03", product_cb, &c,
	    &ptotal, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(ptotal.has_margin_bp, 0);
	ck_assert(report_tax(db, "2026-07-01", "2026-07-03", t, &tt, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(tt.amount, 0);
}
END_TEST

START_TEST(test_reports_write_nothing)
{
	struct duka_err err = { 0, "" };
	struct report_tax t[3];
	struct attendants a;
	struct products c;
	struct periods pc;
	int before = sqlite3_total_changes(db_sqlite(db));

	memset(&pc, 0, sizeof pc);
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	ck_assert(report_daily(db, "2026-06-01", "2026-06-07", period_cb, &pc,
	    NULL, &err) == DUKA_OK);
	ck_assert(report_margin(db, "2026-06-01", "2026-06-07", product_cb, &c,
	    NULL, &err) == DUKA_OK);
	ck_assert(report_attendants(db, "2026-06-01", "2026-06-07",
	    attendant_cb, &a, NULL, &err) == DUKA_OK);
	ck_assert(report_tax(db, "2026-06-01", "2026-06-07", t, NULL, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(sqlite3_total_changes(db_sqlite(db)), before);
}
END_TEST

/* Sums that do not fit in 64 bits are refused, not wrapped. */
START_TEST(test_too_large)
{
	struct duka_err err = { 0, "" };
	struct report_product ptotal;
	struct products c;

	/* Two forged sales of 2^62 each on a day of their own. */
	tu_exec(db, "INSERT INTO sales(till_id, receipt_no, kind, state, "
	    "shift_id, cart_token, shelf_gross, gross, discount, total, vat, "
	    "at, business_day) VALUES "
	    "('X', 1, 'sale', 'completed', 1, 'big1', 0, 0, 0, "
	    "4611686018427387904, 0, '2026-07-10T09:00:00Z', '2026-07-10'), "
	    "('X', 2, 'sale', 'completed', 1, 'big2', 0, 0, 0, "
	    "4611686018427387904, 0, '2026-07-11T09:00:00Z', '2026-07-11')");
	tu_exec(db, "INSERT INTO sale_lines(sale_id, line_no, product_id, sku, "
	    "name, unit, tax_class, qty, shelf_price, unit_price, "
	    "line_discount, sale_discount, amount, vat) SELECT id, 1, 1, 'SUG', "
	    "'Sugar', 'piece', 'standard', 1000, 0, 0, 0, 0, total, 0 "
	    "FROM sales WHERE till_id = 'X'");
	ck_assert_int_eq(report_daily(db, "2026-07-10", "2026-07-11",
	    period_cb, &(struct periods){ .n = 0 }, NULL, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "too large"));
	memset(&c, 0, sizeof c);
	ck_assert_int_ne(report_margin(db, "2026-07-10", "2026-07-11",
	    product_cb, &c, &ptotal, &err), DUKA_OK);
	ck_assert_int_eq(c.n, 0);
}
END_TEST

/* ---- Ranges ---- */

START_TEST(test_range)
{
	static const struct {
		enum report_kind kind;
		const char *from, *to, *today;
		int rc;
		const char *want_from, *want_to;	/* or a message part */
	} cases[] = {
		{ REPORT_DAILY, NULL, NULL, "2026-06-15", DUKA_OK,
		    "2026-05-17", "2026-06-15" },
		{ REPORT_TOP, NULL, NULL, "2026-03-01", DUKA_OK,
		    "2026-01-31", "2026-03-01" },
		{ REPORT_MARGIN, NULL, NULL, "2026-06-15", DUKA_OK,
		    "2026-05-17", "2026-06-15" },
		{ REPORT_ATTENDANT, NULL, NULL, "2026-06-15", DUKA_OK,
		    "2026-05-17", "2026-06-15" },
		{ REPORT_MONTHLY, NULL, NULL, "2026-06-15", DUKA_OK,
		    "2026-01-01", "2026-06-15" },
		{ REPORT_TAX, NULL, NULL, "2026-06-15", DUKA_OK,
		    "2026-05-01", "2026-05-31" },
		/* In January the VAT return is December's. */
		{ REPORT_TAX, NULL, NULL, "2026-01-10", DUKA_OK,
		    "2025-12-01", "2025-12-31" },
		{ REPORT_TAX, NULL, NULL, "2028-03-01", DUKA_OK,
		    "2028-02-01", "2028-02-29" },
		/* --from alone runs to today; --to alone gets the span. */
		{ REPORT_DAILY, "01/06/2026", NULL, "2026-06-15", DUKA_OK,
		    "2026-06-01", "2026-06-15" },
		{ REPORT_DAILY, NULL, "2026-04-30", "2026-06-15", DUKA_OK,
		    "2026-04-01", "2026-04-30" },
		{ REPORT_MONTHLY, NULL, "2025-08-31", "2026-06-15", DUKA_OK,
		    "2025-01-01", "2025-08-31" },
		{ REPORT_TAX, NULL, "2026-02-28", "2026-06-15", DUKA_OK,
		    "2026-02-01", "2026-02-28" },
		{ REPORT_TAX, "2026-01-01", "2026-03-31", "2026-06-15", DUKA_OK,
		    "2026-01-01", "2026-03-31" },
		{ REPORT_DAILY, "2026-06-15", "2026-06-15", "2026-06-15",
		    DUKA_OK, "2026-06-15", "2026-06-15" },
		/* Refused. */
		{ REPORT_DAILY, "2026-06-10", "2026-06-01", "2026-06-15",
		    DUKA_EINPUT, "--from 2026-06-10 is after --to 2026-06-01",
		    NULL },
		{ REPORT_DAILY, "2026-02-30", NULL, "2026-06-15", DUKA_EINPUT,
		    "--from: ", NULL },
		{ REPORT_TAX, NULL, "junk", "2026-06-15", DUKA_EINPUT,
		    "--to: ", NULL },
		{ REPORT_DAILY, "", "2026-06-01", "2026-06-15", DUKA_EINPUT,
		    "--from: ", NULL },
		{ REPORT_DAILY, "2026-07-01", NULL, "2026-06-15", DUKA_EINPUT,
		    "after today", NULL },
		{ REPORT_DAILY, NULL, NULL, "2026-13-01", DUKA_EINPUT, "",
		    NULL },
	};
	char from[DATE_LEN], to[DATE_LEN];
	struct duka_err err;
	int i, rc;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&err, 0, sizeof err);
		strcpy(from, "untouched");
		rc = report_range(cases[i].kind, cases[i].from, cases[i].to,
		    cases[i].today, from, to, &err);
		ck_assert_msg(rc == cases[i].rc, "case %d: rc %d (%s)", i, rc,
		    err.msg);
		if (rc == DUKA_OK) {
			ck_assert_msg(strcmp(from, cases[i].want_from) == 0 &&
			    strcmp(to, cases[i].want_to) == 0,
			    "case %d: %s .. %s", i, from, to);
			continue;
		}
		ck_assert_msg(strstr(err.msg, cases[i].want_from) != NULL,
		    "case %d: \"%s\"", i, err.msg);
		ck_assert_str_eq(from, "untouched");
	}
}
END_TEST

START_TEST(test_parse_names)
{
	static const char *const kinds[] = { "daily", "monthly", "top",
	    "margin", "attendant", "tax" };
	struct duka_err err = { 0, "" };
	enum report_kind k;
	enum report_by by;
	int i;

	for (i = 0; i < NELEM(kinds); i++) {
		ck_assert(report_kind_parse(kinds[i], &k, &err) == DUKA_OK);
		ck_assert_int_eq(k, i);
		ck_assert_str_eq(report_kind_name(k), kinds[i]);
	}
	ck_assert_int_eq(report_kind_parse("weekly", &k, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"weekly\""));
	ck_assert_int_eq(report_kind_parse("Daily", &k, &err), DUKA_EINPUT);
	ck_assert(report_by_parse("qty", &by, &err) == DUKA_OK);
	ck_assert_int_eq(by, REPORT_BY_QTY);
	ck_assert(report_by_parse("revenue", &by, &err) == DUKA_OK);
	ck_assert_int_eq(by, REPORT_BY_REVENUE);
	ck_assert_int_eq(report_by_parse("profit", &by, &err), DUKA_EINPUT);
	ck_assert_str_eq(report_kind_name((enum report_kind)99), "invalid");
}
END_TEST

/* ---- Formatting ---- */

/* The home screen's day: counts as report_daily, tenders adding up to
 * the net takings, and the pending M-PESA payment of S4 on any day. */
START_TEST(test_day_takings)
{
	struct duka_err err = { 0, "" };
	struct report_day_takings t;
	int64_t sum = 0;
	int m;

	ck_assert_msg(report_day_takings(db, "2026-06-02", &t, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_str_eq(t.day, "2026-06-02");
	ck_assert_int_eq(t.sales, 1);
	ck_assert_int_eq(t.refunds, 0);
	ck_assert_int_eq(t.net_total, 91000);
	for (m = 0; m < PAY_METHODS; m++)
		sum += t.by_method[m];
	ck_assert_int_eq(t.by_method[PAY_CASH], 91000);
	ck_assert_int_eq(sum, t.net_total);
	ck_assert_int_eq(t.pending, 1);
	ck_assert_int_eq(t.pending_total, 20000);
	ck_assert_int_eq(t.awaiting, 1);

	/* A refund's day: its cash went back. */
	ck_assert(report_day_takings(db, "06/06/2026", &t, &err) == DUKA_OK);
	ck_assert_str_eq(t.day, "2026-06-06");
	ck_assert_int_eq(t.refunds, 1);
	ck_assert_int_eq(t.net_total, -19500);
	ck_assert_int_eq(t.by_method[PAY_CASH], -19500);

	/* The awaiting sale's day shows no takings; a quiet day is zero. */
	ck_assert(report_day_takings(db, "2026-06-05", &t, &err) == DUKA_OK);
	ck_assert_int_eq(t.sales, 0);
	ck_assert_int_eq(t.by_method[PAY_MPESA], 0);
	ck_assert(report_day_takings(db, NULL, &t, &err) == DUKA_OK);
	ck_assert_str_eq(t.day, "2026-06-15");
	ck_assert_int_eq(t.net_total, 0);

	ck_assert_int_eq(report_day_takings(db, "2026-02-30", &t, &err),
	    DUKA_EINPUT);
}
END_TEST

START_TEST(test_formats)
{
	static const struct {
		int64_t v;
		const char *pct, *money;
	} cases[] = {
		{ 1234, "12.34%", "12.34" },
		{ 0, "0.00%", "0.00" },
		{ -50, "-0.50%", "-0.50" },
		{ 10000, "100.00%", "100.00" },
		{ -123456789, "-1234567.89%", "-1234567.89" },
		{ INT64_MIN, "-92233720368547758.08%", "-92233720368547758.08" },
	};
	char buf[64];
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		report_percent_format(cases[i].v, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].pct);
		report_csv_money(cases[i].v, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].money);
	}
}
END_TEST

/* The text written by fn(fp) to a memory stream. */
static char *
capture(void (*fn)(FILE *fp, void *ctx), void *ctx)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	fn(fp, ctx);
	fclose(fp);
	return text;
}

static void
csv_rows(FILE *fp, void *ctx)
{
	const char *a[] = { "plain", "a,b", "say \"hi\"", "", " pad",
	    "two\nlines" };
	const char *b[] = { "Bread \"white\"", "1250.50" };

	(void)ctx;
	report_csv_row(fp, a, 6);
	report_csv_row(fp, b, 2);
}

static void
table_rows(FILE *fp, void *ctx)
{
	static const int right[3] = { 0, 1, 0 };
	static const int maxw[3] = { 0, 0, 6 };
	struct duka_err err = { 0, "" };
	struct report_table t;
	const char *r1[] = { "SKU", "Amount", "Name" };
	const char *r2[] = { "A", "1,250.00", "Chai" };
	const char *r3[] = { "LONGER", "5.00", "Ndizi mbivu" };
	const char *r4[] = { "B", "0.00", "" };

	(void)ctx;
	report_table_init(&t, 3, right, maxw);
	ck_assert(report_table_add(&t, r1, &err) == DUKA_OK);
	ck_assert(report_table_add(&t, r2, &err) == DUKA_OK);
	ck_assert(report_table_add(&t, r3, &err) == DUKA_OK);
	ck_assert(report_table_add(&t, r4, &err) == DUKA_OK);
	report_table_print(fp, &t);
	report_table_free(&t);
	report_table_free(&t);		/* twice is harmless */
}

START_TEST(test_csv_and_table)
{
	char *text;

	text = capture(csv_rows, NULL);
	ck_assert_str_eq(text, "plain,\"a,b\",\"say \"\"hi\"\"\",,\" pad\","
	    "\"two\nlines\"\r\n\"Bread \"\"white\"\"\",1250.50\r\n");
	free(text);
	/* Columns as wide as their widest cell, numbers to the right, the
	 * name cut to 6 characters, no blanks at the ends of lines. (The
	 * tests run in C.UTF-8: the ellipsis is one character.) */
	text = capture(table_rows, NULL);
	ck_assert_str_eq(text,
	    "SKU       Amount  Name\n"
	    "A       1,250.00  Chai\n"
	    "LONGER      5.00  Ndizi\xe2\x80\xa6\n"
	    "B           0.00\n");
	free(text);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_daily);
	tcase_add_test(tc, test_daily_one_day_and_stop);
	tcase_add_test(tc, test_daily_across_months_and_leap_day);
	tcase_add_test(tc, test_monthly);
	tcase_add_test(tc, test_monthly_partial_months);
	tcase_add_test(tc, test_top);
	tcase_add_test(tc, test_margin);
	tcase_add_test(tc, test_margin_refund_only_and_loss);
	tcase_add_test(tc, test_attendants);
	tcase_add_test(tc, test_attendant_unknown);
	tcase_add_test(tc, test_tax);
	tcase_add_test(tc, test_empty_range);
	tcase_add_test(tc, test_reports_write_nothing);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_day_takings);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_range);
	tcase_add_test(tc, test_parse_names);
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_csv_and_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	setlocale(LC_ALL, "C.UTF-8");
	if (date_set_timezone("Africa/Nairobi", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(report_suite());
}
