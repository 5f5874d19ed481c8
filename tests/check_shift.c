/*
 * check_shift.c - unit tests for shifts (shift.c): opening with a float,
 * cash paid in and out, the X report, the Z report that closes a shift
 * with sequential Z numbers, its event and audit row. Reports are checked
 * against real sales (cart_add + sale_commit) and once against figures
 * worked out by hand from rows written with SQL. Every refusal is checked
 * to change nothing.
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cart.h"
#include "catalog.h"
#include "date.h"
#include "db.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define NOW "2026-06-15T09:00:00Z"
/* The time stamps written while the clock says NOW. */
#define STAMP "2026-06-15T09:00:00.000Z"
#define TILL "1"

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t sugar, milk, flour;	/* standard, zero rated, exempt */
static int token_seq;

/* Add a product with catalog_product_add; returns its id. */
static int64_t
add_product(const char *sku, const char *name, int64_t price,
    enum tax_class tax)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = price;
	p.cost = price / 2;
	p.tax = tax;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

static void
setup(void)
{
	setenv("DUKA_NOW", NOW, 1);
	db = tu_db_new(dbpath, sizeof dbpath);
	settings_defaults(&cfg);
	snprintf(cfg.till_id, sizeof cfg.till_id, "%s", TILL);
	sugar = add_product("SUG1", "Sugar 1kg", 15000, TAX_STANDARD);
	milk = add_product("MILK", "Milk 500ml", 6500, TAX_ZERO);
	flour = add_product("FLOUR", "Maize flour 2kg", 20000, TAX_EXEMPT);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
}

/* Rows of the tables a shift action may write, to prove a refusal
 * changed nothing. */
struct counts {
	int64_t shifts, open, cash, outbox, audit, sales, payments;
};

static void
counts_take(struct counts *c)
{
	c->shifts = tu_int(db, "SELECT count(*) FROM shifts");
	c->open = tu_int(db, "SELECT count(*) FROM shifts WHERE state = "
	    "'open'");
	c->cash = tu_int(db, "SELECT count(*) FROM cash_movements");
	c->outbox = tu_int(db, "SELECT count(*) FROM outbox");
	c->audit = tu_int(db, "SELECT count(*) FROM audit_log");
	c->sales = tu_int(db, "SELECT count(*) FROM sales");
	c->payments = tu_int(db, "SELECT count(*) FROM payments");
}

static void
counts_same(const struct counts *a, const char *what)
{
	struct counts b;

	counts_take(&b);
	ck_assert_msg(memcmp(a, &b, sizeof b) == 0,
	    "%s changed something: shifts %lld/%lld open %lld/%lld cash "
	    "%lld/%lld outbox %lld/%lld audit %lld/%lld", what,
	    (long long)a->shifts, (long long)b.shifts, (long long)a->open,
	    (long long)b.open, (long long)a->cash, (long long)b.cash,
	    (long long)a->outbox, (long long)b.outbox, (long long)a->audit,
	    (long long)b.audit);
}

static int64_t
open_shift(const char *till, int64_t float_cash)
{
	struct duka_err err = { 0, "" };
	int64_t id = 0;

	ck_assert_msg(shift_open(db, till, float_cash, "alice", &id, &err) ==
	    DUKA_OK, "shift_open: %s", err.msg);
	ck_assert_int_gt(id, 0);
	return id;
}

static void
cash(enum cash_kind kind, int64_t amount, const char *reason)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(shift_cash(db, TILL, kind, amount, reason, "alice",
	    &err) == DUKA_OK, "shift_cash: %s", err.msg);
}

static void
report(int64_t id, struct shift_report *r)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(shift_report(db, id, r, &err) == DUKA_OK,
	    "shift_report: %s", err.msg);
}

static void
close_shift(const char *till, int64_t counted, struct shift_report *r)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(shift_close(db, till, counted, "bob", r, &err) ==
	    DUKA_OK, "shift_close: %s", err.msg);
}

/* The same report, field by field (for a useful message), then whole. */
static void
report_eq(const struct shift_report *a, const struct shift_report *b)
{
	int i;

#define SAME(f) ck_assert_msg(a->f == b->f, #f ": %lld != %lld", \
	(long long)a->f, (long long)b->f)
	SAME(shift_id); SAME(z_number); SAME(float_cash); SAME(sales);
	SAME(refunds); SAME(awaiting); SAME(gross); SAME(discounts);
	SAME(discount_count); SAME(sales_total); SAME(refunds_total);
	SAME(net_total); SAME(pending_total); SAME(pay_in); SAME(pay_out);
	SAME(no_sales); SAME(voids); SAME(expected_cash); SAME(counted_cash);
	SAME(difference);
	for (i = 0; i < PAY_METHODS; i++)
		SAME(by_method[i]);
	for (i = 0; i < 3; i++) {
		SAME(tax_amount[i]);
		SAME(tax_vat[i]);
	}
#undef SAME
	ck_assert_str_eq(a->till_id, b->till_id);
	ck_assert_str_eq(a->opened_at, b->opened_at);
	ck_assert_str_eq(a->closed_at, b->closed_at);
	ck_assert_str_eq(a->opened_by, b->opened_by);
	ck_assert_str_eq(a->closed_by, b->closed_by);
}

/* What the sales rung up in a test add up to, worked out from the carts
 * and the sale results, independently of the report. */
struct expect {
	int64_t sales, awaiting, gross, discounts, discount_count, total;
	int64_t by_method[PAY_METHODS], pending;
	int64_t tax_amount[3], tax_vat[3];
};

/* One tender for sell(). */
struct tend {
	enum pay_method method;
	int64_t amount;
	const char *ref;
	int pending;
};

/*
 * Ring up qty pieces of each product (0: not on the sale), with a sale
 * discount in cents, and commit it with the tenders; adds what it sold
 * to e.
 */
static void
sell(int64_t nsugar, int64_t nmilk, int64_t nflour, int64_t discount,
    const struct tend *t, int nt, struct expect *e)
{
	struct duka_err err = { 0, "" };
	struct tender tenders[4];
	struct sale_request req;
	struct sale_result res;
	struct product p;
	struct cart *c = cart_new();
	const int64_t ids[3] = { sugar, milk, flour };
	const int64_t qty[3] = { nsugar, nmilk, nflour };
	char token[32];
	int i;

	ck_assert_ptr_nonnull(c);
	for (i = 0; i < 3; i++) {
		if (qty[i] == 0)
			continue;
		ck_assert_int_eq(catalog_product_get(db, ids[i], &p, &err),
		    DUKA_OK);
		ck_assert_msg(cart_add(c, &p, qty[i] * 1000, &err) == DUKA_OK,
		    "cart_add: %s", err.msg);
	}
	if (discount > 0)
		ck_assert_msg(cart_sale_discount_amount(c, discount, &err) ==
		    DUKA_OK, "discount: %s", err.msg);
	memset(tenders, 0, sizeof tenders);
	for (i = 0; i < nt; i++) {
		tenders[i].method = t[i].method;
		tenders[i].amount = t[i].amount;
		tenders[i].pending = t[i].pending;
		if (t[i].ref != NULL)
			snprintf(tenders[i].reference,
			    sizeof tenders[i].reference, "%s", t[i].ref);
		if (t[i].pending)
			snprintf(tenders[i].phone, sizeof tenders[i].phone,
			    "254712345678");
	}
	snprintf(token, sizeof token, "cart-%d", ++token_seq);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = tenders;
	req.ntenders = nt;
	req.till_id = TILL;
	req.user = "alice";
	req.cart_token = token;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "sale_commit: %s", err.msg);

	e->sales++;
	e->awaiting += res.awaiting;
	e->gross += c->sum.shelf_gross;
	e->discounts += c->sum.line_discounts + c->sum.sale_discount;
	e->discount_count += c->sum.line_discounts + c->sum.sale_discount
	    != 0;
	e->total += c->sum.total;
	for (i = 0; i < 3; i++) {
		e->tax_amount[i] += c->sum.tax[i].amount;
		e->tax_vat[i] += c->sum.tax[i].vat;
	}
	/* Non-cash tenders apply their amount (0: the rest); cash applies
	 * what is left after them, the change going back. */
	{
		int64_t left = c->sum.total;

		for (i = 0; i < nt; i++) {
			int64_t a;

			if (t[i].method == PAY_CASH)
				continue;
			a = t[i].amount != 0 ? t[i].amount : left;
			left -= a;
			if (t[i].pending)
				e->pending += a;
			else
				e->by_method[t[i].method] += a;
		}
		for (i = 0; i < nt; i++)
			if (t[i].method == PAY_CASH) {
				e->by_method[PAY_CASH] += left;
				left = 0;
			}
	}
	cart_free(c);
}

/* The report's sales figures equal what the carts added up to. */
static void
report_matches(const struct shift_report *r, const struct expect *e)
{
	int i;

	ck_assert_int_eq(r->sales, e->sales);
	ck_assert_int_eq(r->awaiting, e->awaiting);
	ck_assert_int_eq(r->gross, e->gross);
	ck_assert_int_eq(r->discounts, e->discounts);
	ck_assert_int_eq(r->discount_count, e->discount_count);
	ck_assert_int_eq(r->sales_total, e->total);
	ck_assert_int_eq(r->net_total, e->total);
	ck_assert_int_eq(r->pending_total, e->pending);
	for (i = 0; i < PAY_METHODS; i++)
		ck_assert_msg(r->by_method[i] == e->by_method[i],
		    "%s: %lld != %lld", pay_method_name(i),
		    (long long)r->by_method[i], (long long)e->by_method[i]);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(r->tax_amount[i], e->tax_amount[i]);
		ck_assert_int_eq(r->tax_vat[i], e->tax_vat[i]);
	}
}

START_TEST(test_open_twice_refused)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	int64_t id, cur = 0;

	id = open_shift(TILL, 500000);
	ck_assert_int_eq(shift_current(db, TILL, &cur, &err), DUKA_OK);
	ck_assert_int_eq(cur, id);
	counts_take(&before);
	ck_assert_int_eq(shift_open(db, TILL, 0, "bob", NULL, &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "shift 1 ") != NULL &&
	    strstr(err.msg, STAMP) != NULL, "message: %s", err.msg);
	counts_same(&before, "a second open");
	/* Another till opens its own shift. */
	ck_assert_int_gt(open_shift("2", 0), id);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE type = "
	    "'shift.opened'"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'shift.open' AND entity = 'shift'"), 2);
}
END_TEST

static const struct {
	const char *till;
	int64_t float_cash;
	const char *says;
} bad_opens[] = {
	{ TILL, -1, "negative" },
	{ TILL, -500000, "KSh -5,000.00" },
	{ TILL, INT64_C(1000000001), "more than a drawer" },
	{ TILL, INT64_MIN, "negative" },
	{ "", 0, "till id" },
	{ NULL, 0, "till id" },
	{ "a-till-id-that-is-far-too-long-for-us", 0, "too long" },
};

START_TEST(test_open_bad_input)
{
	struct duka_err err = { 0, "" };
	struct counts before;

	counts_take(&before);
	ck_assert_int_eq(shift_open(db, bad_opens[_i].till,
	    bad_opens[_i].float_cash, "alice", NULL, &err), DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, bad_opens[_i].says) != NULL,
	    "case %d: %s", _i, err.msg);
	counts_same(&before, "a refused open");
}
END_TEST

START_TEST(test_no_open_shift)
{
	struct duka_err err = { 0, "" };
	struct shift_report r;
	struct counts before;
	int64_t id = -7;

	counts_take(&before);
	ck_assert_int_eq(shift_current(db, TILL, &id, &err), DUKA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "open a shift first") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(id, -7);
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_IN, 100, "change",
	    "alice", &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(shift_close(db, TILL, 0, "bob", &r, &err),
	    DUKA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "open a shift first") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(shift_report(db, 99, &r, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(shift_find_z(db, TILL, 1, &id, &err),
	    DUKA_ENOTFOUND);
	counts_same(&before, "actions without an open shift");

	/* A closed shift is no open shift either. */
	open_shift(TILL, 0);
	close_shift(TILL, 0, &r);
	counts_take(&before);
	ck_assert_int_eq(shift_close(db, TILL, 0, "bob", &r, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_OUT, 100, "lunch",
	    "alice", &err), DUKA_ENOTFOUND);
	counts_same(&before, "actions after the close");
}
END_TEST

START_TEST(test_selling_needs_open_shift)
{
	struct duka_err err = { 0, "" };
	struct tender t;
	struct sale_request req;
	struct sale_result res;
	struct product p;
	struct counts before;
	struct cart *c = cart_new();

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 1000, &err), DUKA_OK);
	memset(&t, 0, sizeof t);
	t.method = PAY_CASH;
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.cart_token = "no-shift";
	counts_take(&before);
	ck_assert_int_eq(sale_commit(db, &req, &cfg, &res, &err),
	    DUKA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "open a shift first") != NULL, "%s",
	    err.msg);
	counts_same(&before, "a sale without a shift");
	cart_free(c);
}
END_TEST

static const struct {
	enum cash_kind kind;
	int64_t amount;
	const char *reason;
	const char *says;
} bad_cash[] = {
	{ CASH_PAY_IN, 10000, NULL, "reason" },
	{ CASH_PAY_IN, 10000, "", "reason" },
	{ CASH_PAY_OUT, 10000, " \t ", "reason" },
	{ CASH_NO_SALE, 0, NULL, "without a sale" },
	{ CASH_PAY_IN, 0, "change", "more than 0" },
	{ CASH_PAY_OUT, -500, "refund", "KSh -5.00" },
	{ CASH_PAY_OUT, INT64_MIN, "refund", "more than 0" },
	{ CASH_PAY_IN, INT64_C(1000000001), "bank", "more than a drawer" },
	{ CASH_NO_SALE, 100, "change", "moves no cash" },
	{ CASH_PAY_IN, 100, "bad\001reason", "control character" },
	{ CASH_PAY_IN, 100, "\xff\xfe", "UTF-8" },
	{ (enum cash_kind)7, 100, "why", "unknown kind" },
};

START_TEST(test_cash_bad_input)
{
	struct duka_err err = { 0, "" };
	struct counts before;

	open_shift(TILL, 100000);
	counts_take(&before);
	ck_assert_int_eq(shift_cash(db, TILL, bad_cash[_i].kind,
	    bad_cash[_i].amount, bad_cash[_i].reason, "alice", &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, bad_cash[_i].says) != NULL,
	    "case %d: %s", _i, err.msg);
	counts_same(&before, "a refused cash movement");
}
END_TEST

START_TEST(test_cash_reason_too_long)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	char why[1200];

	open_shift(TILL, 0);
	counts_take(&before);
	memset(why, 'x', 201);
	why[201] = '\0';
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_IN, 100, why, "alice",
	    &err), DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "longer than 200") != NULL, "%s",
	    err.msg);
	memset(why, 'y', sizeof why - 1);
	why[sizeof why - 1] = '\0';
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_IN, 100, why, "alice",
	    &err), DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "longer than 200") != NULL, "%s",
	    err.msg);
	counts_same(&before, "a long reason");
	/* 200 characters of two bytes each are fine. */
	why[0] = '\0';
	while (strlen(why) < 400)
		strcat(why, "\xc3\xa9");
	cash(CASH_PAY_IN, 100, why);
	ck_assert_int_eq(tu_int(db, "SELECT length(reason) FROM "
	    "cash_movements"), 200);
}
END_TEST

START_TEST(test_expected_with_pay_in_out)
{
	const struct tend cash_only[] = { { PAY_CASH, 50000, NULL, 0 } };
	struct shift_report x, z, again;
	struct expect e;
	int64_t id;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 500000);
	cash(CASH_PAY_IN, 100000, "  change from the bank  ");
	cash(CASH_PAY_OUT, 30000, "paid the milk supplier");
	cash(CASH_PAY_OUT, 2000, "airtime");
	cash(CASH_NO_SALE, 0, "customer wanted change");
	cash(CASH_NO_SALE, 0, "checked a note");
	sell(2, 0, 0, 0, cash_only, 1, &e);	/* 300.00, 500 handed over */
	ck_assert_int_eq(e.by_method[PAY_CASH], 30000);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM cash_movements "
	    "WHERE reason = 'change from the bank'"), 1);

	report(id, &x);
	ck_assert_int_eq(x.z_number, 0);
	ck_assert_int_eq(x.float_cash, 500000);
	ck_assert_int_eq(x.pay_in, 100000);
	ck_assert_int_eq(x.pay_out, 32000);
	ck_assert_int_eq(x.no_sales, 2);
	ck_assert_int_eq(x.by_method[PAY_CASH], 30000);
	ck_assert_int_eq(x.expected_cash, 500000 + 100000 - 32000 + 30000);
	ck_assert_int_eq(x.counted_cash, 0);
	ck_assert_int_eq(x.difference, 0);
	ck_assert_str_eq(x.till_id, TILL);
	ck_assert_str_eq(x.opened_by, "alice");
	ck_assert_str_eq(x.opened_at, STAMP);
	ck_assert_str_eq(x.closed_at, "");

	close_shift(TILL, 597500, &z);		/* 5.00 short */
	ck_assert_int_eq(z.z_number, 1);
	ck_assert_int_eq(z.expected_cash, 598000);
	ck_assert_int_eq(z.counted_cash, 597500);
	ck_assert_int_eq(z.difference, -500);
	ck_assert_str_eq(z.closed_by, "bob");
	ck_assert_str_eq(z.closed_at, STAMP);
	ck_assert_int_eq(tu_int(db, "SELECT expected_cash FROM shifts"),
	    598000);
	ck_assert_int_eq(tu_int(db, "SELECT counted_cash FROM shifts"),
	    597500);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "state = 'closed' AND z_number = 1 AND closed_by = 'bob'"), 1);
	report(id, &again);
	report_eq(&again, &z);

	/* Over: counted more than expected. */
	id = open_shift(TILL, 1000);
	cash(CASH_PAY_IN, 500, "coins");
	close_shift(TILL, 1600, &z);
	ck_assert_int_eq(z.expected_cash, 1500);
	ck_assert_int_eq(z.difference, 100);
	ck_assert_int_eq(z.z_number, 2);
}
END_TEST

START_TEST(test_z_numbers)
{
	struct duka_err err = { 0, "" };
	struct shift_report z;
	int64_t ids[3], other, found;
	int i;

	for (i = 0; i < 3; i++) {
		ids[i] = open_shift(TILL, 0);
		if (i == 1) {
			/* Another till's shifts count on their own. */
			other = open_shift("2", 0);
			close_shift("2", 0, &z);
			ck_assert_int_eq(z.z_number, 1);
			ck_assert_int_eq(z.shift_id, other);
		}
		close_shift(TILL, 0, &z);
		ck_assert_int_eq(z.z_number, i + 1);
		ck_assert_int_eq(z.shift_id, ids[i]);
	}
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(shift_find_z(db, TILL, i + 1, &found, &err),
		    DUKA_OK);
		ck_assert_int_eq(found, ids[i]);
	}
	ck_assert_int_eq(shift_find_z(db, "2", 1, &found, &err), DUKA_OK);
	ck_assert_int_eq(found, other);
	ck_assert_int_eq(shift_find_z(db, TILL, 4, &found, &err),
	    DUKA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "4") != NULL, "%s", err.msg);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "state = 'open'"), 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE type = "
	    "'shift.closed'"), 4);
}
END_TEST

START_TEST(test_close_bad_input)
{
	struct duka_err err = { 0, "" };
	struct shift_report r;
	struct counts before;

	open_shift(TILL, 1000);
	counts_take(&before);
	ck_assert_int_eq(shift_close(db, TILL, -1, "bob", &r, &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "negative") != NULL, "%s", err.msg);
	ck_assert_int_eq(shift_close(db, TILL, INT64_MIN, "bob", &r, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(shift_close(db, TILL, INT64_MAX, "bob", &r, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(shift_close(db, "", 0, "bob", &r, &err), DUKA_EINPUT);
	counts_same(&before, "a refused close");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "z_number IS NULL AND closed_at IS NULL AND counted_cash IS NULL"),
	    1);
}
END_TEST

START_TEST(test_close_is_atomic)
{
	struct duka_err err = { 0, "" };
	struct shift_report r;
	struct counts before;

	open_shift(TILL, 1000);
	cash(CASH_PAY_IN, 500, "coins");
	counts_take(&before);
	/* The event cannot be written: the whole close must go. */
	tu_exec(db, "CREATE TEMP TRIGGER no_events BEFORE INSERT ON outbox "
	    "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
	ck_assert_int_ne(shift_close(db, TILL, 1500, "bob", &r, &err),
	    DUKA_OK);
	tu_exec(db, "DROP TRIGGER no_events");
	counts_same(&before, "a failed close");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "state = 'open' AND z_number IS NULL"), 1);
	/* Nor the audit row. */
	tu_exec(db, "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log "
	    "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
	ck_assert_int_ne(shift_close(db, TILL, 1500, "bob", &r, &err),
	    DUKA_OK);
	ck_assert_int_ne(shift_cash(db, TILL, CASH_PAY_OUT, 100, "lunch",
	    "alice", &err), DUKA_OK);
	ck_assert_int_ne(shift_open(db, "2", 0, "alice", NULL, &err),
	    DUKA_OK);
	tu_exec(db, "DROP TRIGGER no_audit");
	counts_same(&before, "a close, pay-out and open without audit");
	close_shift(TILL, 1500, &r);
	ck_assert_int_eq(r.z_number, 1);
	ck_assert_int_eq(r.difference, 0);
}
END_TEST

/* Insert a sale of shift with SQL; returns its id. */
static int64_t
put_sale(int64_t shift, int no, const char *kind, int64_t refund_of,
    const char *state, int64_t shelf_gross, int64_t discount, int64_t total,
    int64_t vat)
{
	sqlite3_stmt *st;
	char token[32];

	snprintf(token, sizeof token, "hand-%d", no);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "INSERT INTO "
	    "sales(till_id, receipt_no, kind, refund_of, state, shift_id, "
	    "cart_token, shelf_gross, gross, discount, total, vat, at, "
	    "business_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, "
	    "?11, '" STAMP "', '2026-06-15')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, TILL, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, no);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (refund_of > 0)
		sqlite3_bind_int64(st, 4, refund_of);
	sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, shift);
	sqlite3_bind_text(st, 7, token, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, shelf_gross);
	sqlite3_bind_int64(st, 9, discount);
	sqlite3_bind_int64(st, 10, total);
	sqlite3_bind_int64(st, 11, vat);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(db_sqlite(db));
}

/* Insert a sale line (qty 1) with SQL. */
static void
put_line(int64_t sale, int no, int64_t product, const char *tax,
    int64_t amount, int64_t vat)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "INSERT INTO "
	    "sale_lines(sale_id, line_no, product_id, sku, name, unit, "
	    "tax_class, qty, shelf_price, unit_price, line_discount, "
	    "sale_discount, amount, vat) VALUES (?1, ?2, ?3, 'X', 'X', "
	    "'piece', ?4, 1000, ?5, ?5, 0, 0, ?5, ?6)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, sale);
	sqlite3_bind_int(st, 2, no);
	sqlite3_bind_int64(st, 3, product);
	sqlite3_bind_text(st, 4, tax, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, amount);
	sqlite3_bind_int64(st, 6, vat);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Insert a payment with SQL. */
static void
put_payment(int64_t sale, const char *method, const char *state,
    int64_t amount, const char *ref, const char *created,
    const char *updated)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "INSERT INTO "
	    "payments(sale_id, method, state, amount, reference, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, sale);
	sqlite3_bind_text(st, 2, method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, amount);
	if (ref != NULL)
		sqlite3_bind_text(st, 5, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, created, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, updated, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/*
 * A shift written with SQL and its report worked out by hand:
 *
 *   A  sale      500.00 at shelf, 50.00 off, 450.00: sugar (standard)
 *                300.00 with VAT 41.38, milk (zero) 150.00; cash 450.00
 *   B  sale      200.00 flour (exempt); M-PESA 120.00, card 80.00, and an
 *                M-PESA prompt that failed (no money)
 *   C  sale      100.00 sugar, VAT 13.79, M-PESA prompt still pending
 *   D  refund    of A's milk: -150.00, cash -150.00
 *   E  sale      on till 2's shift: not in this report
 *
 *   sales 3, refunds 1, awaiting 1, gross 800.00, discounts 50.00 (1)
 *   takings 750.00, refunds -150.00, net 600.00
 *   cash 450.00 - 150.00 = 300.00, M-PESA 120.00, card 80.00, pending
 *   100.00; standard 400.00 (VAT 55.17), zero 0.00, exempt 200.00
 *   cash expected: float 1,000.00 + 300.00 + in 50.00 - out 20.00
 *   = 1,330.00; counted 1,325.00: 5.00 short.
 */
START_TEST(test_report_by_hand)
{
	struct shift_report r, z;
	int64_t id, other, a, b, c, d, e;

	id = open_shift(TILL, 100000);
	other = open_shift("2", 0);
	cash(CASH_PAY_IN, 5000, "change");
	cash(CASH_PAY_OUT, 2000, "bread for the staff");
	a = put_sale(id, 1, "sale", 0, "completed", 50000, 5000, 45000, 4138);
	put_line(a, 1, sugar, "standard", 30000, 4138);
	put_line(a, 2, milk, "zero", 15000, 0);
	put_payment(a, "cash", "paid", 45000, NULL, STAMP, STAMP);
	b = put_sale(id, 2, "sale", 0, "completed", 20000, 0, 20000, 0);
	put_line(b, 1, flour, "exempt", 20000, 0);
	put_payment(b, "mpesa", "failed", 20000, NULL, STAMP, STAMP);
	put_payment(b, "mpesa", "paid", 12000, "QKT5ABC1XY", STAMP, STAMP);
	put_payment(b, "card", "paid", 8000, "SLIP-1", STAMP, STAMP);
	c = put_sale(id, 3, "sale", 0, "awaiting_payment", 10000, 0, 10000,
	    1379);
	put_line(c, 1, sugar, "standard", 10000, 1379);
	put_payment(c, "mpesa", "pending", 10000, NULL, STAMP, STAMP);
	d = put_sale(id, 4, "refund", a, "completed", -15000, 0, -15000, 0);
	put_line(d, 1, milk, "zero", -15000, 0);
	put_payment(d, "cash", "paid", -15000, NULL, STAMP, STAMP);
	e = put_sale(other, 5, "sale", 0, "completed", 99900, 0, 99900, 13779);
	put_line(e, 1, sugar, "standard", 99900, 13779);
	put_payment(e, "cash", "paid", 99900, NULL, STAMP, STAMP);

	report(id, &r);
	ck_assert_int_eq(r.sales, 3);
	ck_assert_int_eq(r.refunds, 1);
	ck_assert_int_eq(r.awaiting, 1);
	ck_assert_int_eq(r.gross, 80000);
	ck_assert_int_eq(r.discounts, 5000);
	ck_assert_int_eq(r.discount_count, 1);
	ck_assert_int_eq(r.sales_total, 75000);
	ck_assert_int_eq(r.refunds_total, -15000);
	ck_assert_int_eq(r.net_total, 60000);
	ck_assert_int_eq(r.by_method[PAY_CASH], 30000);
	ck_assert_int_eq(r.by_method[PAY_MPESA], 12000);
	ck_assert_int_eq(r.by_method[PAY_CARD], 8000);
	ck_assert_int_eq(r.by_method[PAY_BANK], 0);
	ck_assert_int_eq(r.by_method[PAY_ACCOUNT], 0);
	ck_assert_int_eq(r.pending_total, 10000);
	ck_assert_int_eq(r.tax_amount[TAX_STANDARD], 40000);
	ck_assert_int_eq(r.tax_vat[TAX_STANDARD], 5517);
	ck_assert_int_eq(r.tax_amount[TAX_ZERO], 0);
	ck_assert_int_eq(r.tax_vat[TAX_ZERO], 0);
	ck_assert_int_eq(r.tax_amount[TAX_EXEMPT], 20000);
	ck_assert_int_eq(r.tax_vat[TAX_EXEMPT], 0);
	ck_assert_int_eq(r.pay_in, 5000);
	ck_assert_int_eq(r.pay_out, 2000);
	ck_assert_int_eq(r.no_sales, 0);
	ck_assert_int_eq(r.voids, 0);
	ck_assert_int_eq(r.expected_cash, 133000);

	close_shift(TILL, 132500, &z);
	ck_assert_int_eq(z.expected_cash, 133000);
	ck_assert_int_eq(z.difference, -500);
	r.z_number = z.z_number;
	r.counted_cash = z.counted_cash;
	r.difference = z.difference;
	snprintf(r.closed_at, sizeof r.closed_at, "%s", z.closed_at);
	snprintf(r.closed_by, sizeof r.closed_by, "%s", z.closed_by);
	report_eq(&r, &z);
	report(id, &r);
	report_eq(&r, &z);
}
END_TEST

/* The shift.closed event carries the Z report's figures. */
START_TEST(test_close_event_and_audit)
{
	const struct tend t[] = { { PAY_MPESA, 10000, "QKT5ABC1XY", 0 },
	    { PAY_CASH, 0, NULL, 0 } };
	struct shift_report z;
	struct expect e;
	json_error_t jerr;
	json_t *j;
	sqlite3_stmt *st;
	int64_t id;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 20000);
	sell(1, 1, 1, 0, t, 2, &e);
	close_shift(TILL, 40000, &z);

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT data FROM "
	    "outbox WHERE type = 'shift.closed'", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	j = json_loads((const char *)sqlite3_column_text(st, 0), 0, &jerr);
	sqlite3_finalize(st);
	ck_assert_msg(j != NULL, "%s", jerr.text);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "shift_id")),
	    id);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "z_number")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "till_id")),
	    TILL);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "expected_cash")), z.expected_cash);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "counted_cash")), 40000);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "difference")),
	    z.difference);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "sales")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "net_total")), e.total);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j,
	    "by_method"), "mpesa")), 10000);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j,
	    "by_method"), "cash")), e.total - 10000);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "tax"), "standard"), "vat")),
	    e.tax_vat[TAX_STANDARD]);
	ck_assert_str_eq(json_string_value(json_object_get(j, "closed_by")),
	    "bob");
	json_decref(j);

	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'shift.close' AND entity = 'shift' AND user_name = 'bob' "
	    "AND entity_id = (SELECT id FROM shifts WHERE z_number = 1) AND "
	    "detail LIKE 'Z 1 %'"), 1);
}
END_TEST

/* Real sales: every figure equals what the carts and tenders add up to. */
START_TEST(test_report_equals_sales)
{
	const struct tend cash1[] = { { PAY_CASH, 100000, NULL, 0 } };
	const struct tend split[] = { { PAY_MPESA, 10000, "QKT5ABC1XY", 0 },
	    { PAY_CARD, 5000, "SLIP-77", 0 }, { PAY_CASH, 0, NULL, 0 } };
	const struct tend bank[] = { { PAY_BANK, 0, "EFT-123", 0 } };
	const struct tend pending[] = { { PAY_MPESA, 0, NULL, 1 } };
	const struct tend mpesa2[] = { { PAY_MPESA, 0, "QKT5ABC1XZ", 0 } };
	struct shift_report x, z;
	struct expect e;
	int64_t id;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 250000);
	sell(3, 2, 1, 0, cash1, 1, &e);
	sell(1, 1, 0, 1000, split, 3, &e);	/* 10.00 off the sale */
	sell(0, 4, 2, 0, bank, 1, &e);
	sell(2, 0, 0, 0, pending, 1, &e);
	sell(0, 0, 1, 1500, mpesa2, 1, &e);
	ck_assert_int_eq(e.awaiting, 1);
	ck_assert_int_eq(e.discount_count, 2);

	report(id, &x);
	report_matches(&x, &e);
	ck_assert_int_eq(x.awaiting, tu_int(db, "SELECT count(*) FROM sales "
	    "WHERE state = 'awaiting_payment'"));
	ck_assert_int_eq(x.refunds, 0);
	ck_assert_int_eq(x.expected_cash, 250000 + e.by_method[PAY_CASH]);
	/* The classes add up to the takings, the methods and pending too. */
	ck_assert_int_eq(x.tax_amount[0] + x.tax_amount[1] + x.tax_amount[2],
	    x.net_total);
	ck_assert_int_eq(x.by_method[0] + x.by_method[1] + x.by_method[2] +
	    x.by_method[3] + x.by_method[4] + x.pending_total, x.net_total);
	ck_assert_int_eq(x.tax_vat[TAX_STANDARD], tu_int(db, "SELECT sum(vat) "
	    "FROM sales"));

	close_shift(TILL, x.expected_cash, &z);
	report_matches(&z, &e);
	ck_assert_int_eq(z.difference, 0);
	ck_assert_int_eq(z.expected_cash, x.expected_cash);
}
END_TEST

/*
 * A refund (a sale of kind refund, negative amounts and a negative cash
 * payment) takes cash out of the drawer. Written with SQL until sale.c
 * has refunds.
 */
START_TEST(test_refund_reduces_cash)
{
	const struct tend cash1[] = { { PAY_CASH, 0, NULL, 0 } };
	struct shift_report before, after;
	struct expect e;
	int64_t id, sale, refund;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 10000);
	sell(2, 0, 0, 0, cash1, 1, &e);		/* 300.00 cash */
	report(id, &before);
	ck_assert_int_eq(before.expected_cash, 40000);
	sale = tu_int(db, "SELECT id FROM sales");
	refund = put_sale(id, 99, "refund", sale, "completed", -15000, 0,
	    -15000, -2069);
	put_line(refund, 1, sugar, "standard", -15000, -2069);
	put_payment(refund, "cash", "paid", -15000, NULL, STAMP, STAMP);
	report(id, &after);
	ck_assert_int_eq(after.expected_cash, 40000 - 15000);
	ck_assert_int_eq(after.by_method[PAY_CASH], 30000 - 15000);
	ck_assert_int_eq(after.refunds, 1);
	ck_assert_int_eq(after.refunds_total, -15000);
	ck_assert_int_eq(after.sales_total, 30000);
	ck_assert_int_eq(after.net_total, 15000);
	ck_assert_int_eq(after.sales, 1);
	ck_assert_int_eq(after.tax_amount[TAX_STANDARD], 15000);
	ck_assert_int_eq(after.tax_vat[TAX_STANDARD],
	    e.tax_vat[TAX_STANDARD] - 2069);
}
END_TEST

START_TEST(test_x_changes_nothing)
{
	const struct tend t[] = { { PAY_CASH, 0, NULL, 0 } };
	struct shift_report a, b;
	struct counts before;
	struct expect e;
	int64_t id, changes;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 5000);
	cash(CASH_PAY_IN, 1000, "coins");
	sell(1, 1, 1, 0, t, 1, &e);
	counts_take(&before);
	changes = sqlite3_total_changes(db_sqlite(db));
	report(id, &a);
	report(id, &b);
	counts_same(&before, "an X report");
	ck_assert_int_eq(sqlite3_total_changes(db_sqlite(db)), changes);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shifts WHERE "
	    "state = 'open' AND z_number IS NULL AND expected_cash IS NULL"),
	    1);
	report_eq(&a, &b);
	ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
}
END_TEST

/*
 * A Z reprinted later is the Z that was printed, whatever happened since:
 * the pending M-PESA prompt answered, a payment added to one of its
 * sales, new shifts with sales of their own.
 */
START_TEST(test_closed_report_stable)
{
	const struct tend cash1[] = { { PAY_CASH, 0, NULL, 0 } };
	const struct tend pending[] = { { PAY_MPESA, 0, NULL, 1 } };
	struct shift_report z, again;
	struct expect e;
	int64_t id, id2, sale;

	memset(&e, 0, sizeof e);
	id = open_shift(TILL, 5000);
	sell(1, 0, 0, 0, cash1, 1, &e);
	sell(0, 1, 0, 0, pending, 1, &e);
	cash(CASH_PAY_OUT, 1000, "lunch");
	close_shift(TILL, 18000, &z);
	ck_assert_int_eq(z.awaiting, 1);
	ck_assert_int_eq(z.pending_total, 6500);
	ck_assert_int_eq(z.expected_cash, 5000 + 15000 - 1000);
	report(id, &again);
	report_eq(&again, &z);
	ck_assert_int_eq(memcmp(&again, &z, sizeof z), 0);

	/* Later: the prompt is answered, a second payment comes in. */
	setenv("DUKA_NOW", "2026-06-15T11:30:00Z", 1);
	sale = tu_int(db, "SELECT sale_id FROM payments WHERE state = "
	    "'pending'");
	tu_exec(db, "UPDATE payments SET state = 'paid', reference = "
	    "'QKT5ABC1XQ', updated_at = '2026-06-15T11:30:00.000Z' WHERE state = "
	    "'pending'");
	tu_exec(db, "UPDATE sales SET state = 'completed' WHERE state = "
	    "'awaiting_payment'");
	put_payment(sale, "cash", "paid", 1, NULL, "2026-06-15T11:31:00.000Z",
	    "2026-06-15T11:31:00.000Z");
	id2 = open_shift(TILL, 7000);
	sell(2, 2, 2, 0, cash1, 1, &e);
	cash(CASH_PAY_IN, 500, "coins");
	report(id, &again);
	report_eq(&again, &z);
	ck_assert_int_eq(memcmp(&again, &z, sizeof z), 0);
	close_shift(TILL, 0, &again);
	ck_assert_int_eq(again.shift_id, id2);
	ck_assert_int_eq(again.z_number, 2);
	report(id, &again);
	report_eq(&again, &z);
	setenv("DUKA_NOW", NOW, 1);
}
END_TEST

/* Lines voided before commit are counted in the X and the Z report. */
START_TEST(test_voids_counted)
{
	struct duka_err err = { 0, "" };
	struct shift_report r;
	struct counts before;
	int64_t id;

	counts_take(&before);
	ck_assert_int_eq(shift_void_record(db, TILL, sugar, 1000, 15000,
	    "alice", &err), DUKA_ENOTFOUND);
	counts_same(&before, "a void without a shift");
	id = open_shift(TILL, 0);
	ck_assert_int_eq(shift_void_record(db, TILL, sugar, 0, 15000, "alice",
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(shift_void_record(db, TILL, sugar, 1000, -1, "alice",
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM line_voids"), 0);
	ck_assert_msg(shift_void_record(db, TILL, sugar, 2000, 30000, "alice",
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_msg(shift_void_record(db, TILL, milk, 1000, 6500, "alice",
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'sale.void_line'"), 2);
	report(id, &r);
	ck_assert_int_eq(r.voids, 2);
	ck_assert_int_eq(r.voids_total, 36500);
	close_shift(TILL, 0, &r);
	ck_assert_int_eq(r.voids, 2);
	ck_assert_int_eq(r.voids_total, 36500);
}
END_TEST

/* The report as text: the terminal layout carries the figures, and a
 * slip layout keeps every line within the slip's width. */
START_TEST(test_report_text)
{
	static const int widths[] = { 32, 42, 48 };
	struct shift_report r;
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *fp;
	int i;

	open_shift(TILL, 500000);
	cash(CASH_PAY_IN, 12345, "change");
	close_shift(TILL, 500000, &r);
	ck_assert_ptr_nonnull(fp = open_memstream(&text, &len));
	shift_report_write(fp, &r, 0, 0);
	fclose(fp);
	ck_assert_msg(strstr(text, "Z REPORT 1 - till") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "KSh 5,123.45") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "Difference (short)") != NULL, "%s", text);
	free(text);
	for (i = 0; i < NELEM(widths); i++) {
		text = NULL;
		ck_assert_ptr_nonnull(fp = open_memstream(&text, &len));
		shift_report_write(fp, &r, 1, widths[i]);
		fclose(fp);
		ck_assert(strstr(text, "(reprint)") != NULL);
		ck_assert(strstr(text, "KSh -123.45") != NULL);
		for (line = strtok_r(text, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			/* lines with figures; headings may wrap */
			if (strstr(line, "KSh") != NULL)
				ck_assert_msg((int)strlen(line) <= widths[i],
				    "%d: \"%s\"", widths[i], line);
		free(text);
	}
}
END_TEST

static Suite *
shift_suite(void)
{
	Suite *s = suite_create("shift");
	TCase *tc = tcase_create("shift");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_twice_refused);
	tcase_add_loop_test(tc, test_open_bad_input, 0, NELEM(bad_opens));
	tcase_add_test(tc, test_no_open_shift);
	tcase_add_test(tc, test_selling_needs_open_shift);
	tcase_add_loop_test(tc, test_cash_bad_input, 0, NELEM(bad_cash));
	tcase_add_test(tc, test_cash_reason_too_long);
	tcase_add_test(tc, test_expected_with_pay_in_out);
	tcase_add_test(tc, test_z_numbers);
	tcase_add_test(tc, test_close_bad_input);
	tcase_add_test(tc, test_close_is_atomic);
	tcase_add_test(tc, test_report_by_hand);
	tcase_add_test(tc, test_close_event_and_audit);
	tcase_add_test(tc, test_report_equals_sales);
	tcase_add_test(tc, test_refund_reduces_cash);
	tcase_add_test(tc, test_x_changes_nothing);
	tcase_add_test(tc, test_closed_report_stable);
	tcase_add_test(tc, test_voids_counted);
	tcase_add_test(tc, test_report_text);
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
	return tu_run(shift_suite());
}
