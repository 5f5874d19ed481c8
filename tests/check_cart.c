/*
 * check_cart.c - unit tests for cart.c: line amounts and VAT, merging
 * scans, quantities, discounts and how the sale discount is spread, price
 * overrides, limits and approval, refusals that must change nothing,
 * overflow, and ten thousand random carts checked against a reference
 * computation written separately here.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "money.h"
#include "settings.h"
#include "status.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

/*
 * Assertions for the hot loops: Check records the place of every passing
 * ck_assert in a file, which would make the random carts take seconds.
 */
#define CHECK(cond) do {						\
	if (!(cond))							\
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond);	\
} while (0)
#define CHECK_MSG(cond, ...) do {					\
	if (!(cond))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)
#define CHECK_EQ(a, b) do {						\
	long long a_ = (a), b_ = (b);					\
	if (a_ != b_)							\
		ck_abort_msg("%s:%d: %s == %lld, want %s == %lld",	\
		    __FILE__, __LINE__, #a, a_, #b, b_);		\
} while (0)

/* A product as catalog_product_find would return it. */
static void
mkprod(struct product *p, int64_t id, const char *name,
    enum product_unit unit, int64_t price, enum tax_class tax)
{
	product_init(p);
	p->id = id;
	snprintf(p->sku, sizeof p->sku, "SKU%lld", (long long)id);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->unit = unit;
	p->price = price;
	p->tax = tax;
	p->active = 1;
}

/* A new cart; the test fails if there is no memory. */
static struct cart *
newcart(void)
{
	struct cart *c = cart_new();

	ck_assert_ptr_nonnull(c);
	return c;
}

/* Add that must succeed. */
static void
add_ok(struct cart *c, const struct product *p, int64_t qty)
{
	struct duka_err err = { 0, "" };
	int rc = cart_add(c, p, qty, &err);

	CHECK_MSG(rc == DUKA_OK, "cart_add %s x %lld: %s", p->name,
	    (long long)qty, err.msg);
}

/* Assert a refusal (DUKA_EINPUT) whose message contains want. */
static void
assert_refused(int rc, const struct duka_err *err, const char *want)
{
	ck_assert_msg(rc == DUKA_EINPUT, "rc %d, want DUKA_EINPUT (%s)", rc,
	    want);
	ck_assert_int_eq(err->code, DUKA_EINPUT);
	ck_assert_msg(strstr(err->msg, want) != NULL,
	    "message \"%s\" lacks \"%s\"", err->msg, want);
}

/* Everything a caller can see of a cart, to prove a refusal changed
 * nothing. */
struct snap {
	int n;
	int64_t sale_amount, sale_bp;
	int approved;
	char by[CART_WHO_MAX];
	struct cart_sums sum;
	struct cart_line *lines;
};

static void
snap_take(const struct cart *c, struct snap *s)
{
	s->n = c->n;
	s->sale_amount = c->sale_disc_amount;
	s->sale_bp = c->sale_disc_bp;
	s->approved = c->approved;
	memcpy(s->by, c->approved_by, sizeof s->by);
	s->sum = c->sum;
	s->lines = malloc((size_t)c->n * sizeof *s->lines + 1);
	CHECK(s->lines != NULL);
	if (c->n > 0)
		memcpy(s->lines, c->line, (size_t)c->n * sizeof *s->lines);
}

/* Compare two sums field by field (a memcmp would see padding). */
static int
sums_eq(const struct cart_sums *a, const struct cart_sums *b)
{
	int k;

	if (a->shelf_gross != b->shelf_gross || a->gross != b->gross ||
	    a->line_discounts != b->line_discounts ||
	    a->sale_discount != b->sale_discount || a->total != b->total ||
	    a->vat != b->vat || a->net != b->net)
		return 0;
	for (k = 0; k < CART_TAX_CLASSES; k++)
		if (a->tax[k].lines != b->tax[k].lines ||
		    a->tax[k].amount != b->tax[k].amount ||
		    a->tax[k].vat != b->tax[k].vat ||
		    a->tax[k].net != b->tax[k].net)
			return 0;
	return 1;
}

static void
snap_check(const struct cart *c, const struct snap *s, const char *what)
{
	CHECK_MSG(c->n == s->n, "%s: n %d -> %d", what, s->n, c->n);
	CHECK_MSG(c->sale_disc_amount == s->sale_amount &&
	    c->sale_disc_bp == s->sale_bp, "%s: sale discount changed", what);
	CHECK_MSG(c->approved == s->approved &&
	    memcmp(c->approved_by, s->by, sizeof s->by) == 0,
	    "%s: approval changed", what);
	CHECK_MSG(sums_eq(&c->sum, &s->sum), "%s: sums changed", what);
	CHECK_MSG(c->n == 0 || memcmp(c->line, s->lines,
	    (size_t)c->n * sizeof *s->lines) == 0, "%s: lines changed", what);
}

static void
snap_free(struct snap *s)
{
	free(s->lines);
	s->lines = NULL;
}

/*
 * The invariants of cart.c, checked against a computation of its own:
 * line amounts with the money functions, the sale discount's shares by the
 * largest remainder with 128-bit arithmetic where the compiler has it.
 */
static void
check_invariants(const struct cart *c)
{
	struct cart_sums s;
	const struct cart_line *l;
	int64_t base = 0, d, gross, shelf, ld, left, net, vat, shares = 0;
	int i, k, picked[64];

	memset(&s, 0, sizeof s);
	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		CHECK(l->qty > 0 && l->qty <= CART_QTY_MAX);
		CHECK(l->unit != UNIT_PIECE || l->qty % 1000 == 0);
		CHECK(l->disc_amount == 0 || l->disc_bp == 0);
		CHECK_EQ(money_mul_qty(l->price, l->qty, &shelf, NULL),
		    DUKA_OK);
		CHECK_EQ(money_mul_qty(l->override == CART_NO_OVERRIDE ?
		    l->price : l->override, l->qty, &gross, NULL), DUKA_OK);
		CHECK_EQ(l->shelf_gross, shelf);
		CHECK_EQ(l->gross, gross);
		ld = l->disc_amount;
		if (l->disc_bp != 0)
			CHECK_EQ(money_percent(gross, l->disc_bp, &ld,
			    NULL), DUKA_OK);
		CHECK_EQ(l->line_discount, ld);
		CHECK(ld >= 0 && ld <= gross);
		CHECK(l->sale_discount >= 0 &&
		    l->sale_discount <= gross - ld);
		CHECK_EQ(l->amount, gross - ld - l->sale_discount);
		CHECK_EQ(vat_split(l->amount, l->tax, &net, &vat, NULL),
		    DUKA_OK);
		CHECK_EQ(l->vat, vat);
		CHECK_EQ(l->net, net);
		CHECK_EQ(l->net + l->vat, l->amount);
		base += gross - ld;
		shares += l->sale_discount;
		s.shelf_gross += shelf;
		s.gross += gross;
		s.line_discounts += ld;
		s.total += l->amount;
		s.vat += l->vat;
		s.net += l->net;
		s.tax[l->tax].lines++;
		s.tax[l->tax].amount += l->amount;
		s.tax[l->tax].vat += l->vat;
		s.tax[l->tax].net += l->net;
	}
	d = c->sale_disc_amount;
	CHECK(d == 0 || c->sale_disc_bp == 0);
	if (c->sale_disc_bp != 0)
		CHECK_EQ(money_percent(base, c->sale_disc_bp, &d, NULL),
		    DUKA_OK);
	CHECK(d >= 0 && d <= base);
	s.sale_discount = d;
	CHECK_EQ(shares, d);
	CHECK(sums_eq(&c->sum, &s));
	CHECK_EQ(c->sum.total, c->sum.gross - c->sum.line_discounts -
	    c->sum.sale_discount);
	CHECK_EQ(c->sum.tax[0].amount + c->sum.tax[1].amount +
	    c->sum.tax[2].amount, c->sum.total);
	CHECK_EQ(c->sum.tax[0].vat + c->sum.tax[1].vat +
	    c->sum.tax[2].vat, c->sum.vat);
	CHECK_EQ(c->sum.tax[0].net + c->sum.tax[1].net +
	    c->sum.tax[2].net, c->sum.net);
	CHECK_EQ(c->sum.tax[0].lines + c->sum.tax[1].lines +
	    c->sum.tax[2].lines, c->n);
	CHECK_EQ(c->sum.tax[1].vat + c->sum.tax[2].vat, 0);
	CHECK_EQ(c->sum.net + c->sum.vat, c->sum.total);

#ifdef __SIZEOF_INT128__
	/* Largest remainder, by brute force. */
	if (d == 0 || c->n > NELEM(picked))
		return;
	{
		int64_t fl[64];
		__int128 rem[64], num;

		left = d;
		for (i = 0; i < c->n; i++) {
			l = &c->line[i];
			num = (__int128)d * (l->gross - l->line_discount);
			fl[i] = (int64_t)(num / base);
			rem[i] = num % base;
			left -= fl[i];
			picked[i] = 0;
		}
		CHECK(left >= 0 && left < c->n);
		for (; left > 0; left--) {
			k = -1;
			for (i = 0; i < c->n; i++)
				if (!picked[i] && (k < 0 || rem[i] > rem[k]))
					k = i;
			picked[k] = 1;
			fl[k]++;
		}
		for (i = 0; i < c->n; i++)
			CHECK_EQ(c->line[i].sale_discount, fl[i]);
	}
#else
	(void)left;
	(void)k;
	(void)picked;
#endif
}

/* One line: unit price x quantity, with the VAT in it. */
static const struct {
	enum product_unit unit;
	enum tax_class tax;
	int64_t price, qty;
	int64_t amount, vat, net;
} vat_table[] = {
	{ UNIT_PIECE, TAX_STANDARD, 11600, 1000, 11600, 1600, 10000 },
	{ UNIT_PIECE, TAX_STANDARD, 99, 3000, 297, 41, 256 },
	{ UNIT_KG, TAX_STANDARD, 12000, 250, 3000, 414, 2586 },
	{ UNIT_KG, TAX_STANDARD, 10, 333, 3, 0, 3 },
	{ UNIT_KG, TAX_STANDARD, 5, 100, 1, 0, 1 },	/* 0.5 -> 1 */
	{ UNIT_KG, TAX_STANDARD, 1, 499, 0, 0, 0 },	/* 0.499 -> 0 */
	{ UNIT_KG, TAX_STANDARD, 2500, 1, 3, 0, 3 },	/* 2.5 -> 3 */
	{ UNIT_LITRE, TAX_STANDARD, 14999, 1500, 22499, 3103, 19396 },
	{ UNIT_LITRE, TAX_STANDARD, 4999, 750, 3749, 517, 3232 },
	{ UNIT_PIECE, TAX_STANDARD, 4, 1000, 4, 1, 3 },	/* 0.55 -> 1 */
	{ UNIT_PIECE, TAX_STANDARD, 58, 1000, 58, 8, 50 },
	{ UNIT_PIECE, TAX_STANDARD, 87, 1000, 87, 12, 75 },
	{ UNIT_PIECE, TAX_STANDARD, 100000, 1000, 100000, 13793, 86207 },
	{ UNIT_PIECE, TAX_STANDARD, 0, 1000, 0, 0, 0 },
	{ UNIT_PIECE, TAX_ZERO, 11600, 1000, 11600, 0, 11600 },
	{ UNIT_PIECE, TAX_EXEMPT, 11600, 1000, 11600, 0, 11600 },
	{ UNIT_KG, TAX_ZERO, 12000, 250, 3000, 0, 3000 },
	{ UNIT_KG, TAX_EXEMPT, 10, 333, 3, 0, 3 },
};

START_TEST(test_vat_table)
{
	struct cart *c = newcart();
	struct product p;
	const struct cart_line *l;

	mkprod(&p, 1, "Item", vat_table[_i].unit, vat_table[_i].price,
	    vat_table[_i].tax);
	add_ok(c, &p, vat_table[_i].qty);
	ck_assert_int_eq(c->n, 1);
	l = &c->line[0];
	ck_assert_int_eq(l->gross, vat_table[_i].amount);
	ck_assert_int_eq(l->amount, vat_table[_i].amount);
	ck_assert_int_eq(l->vat, vat_table[_i].vat);
	ck_assert_int_eq(l->net, vat_table[_i].net);
	ck_assert_int_eq(c->sum.total, vat_table[_i].amount);
	ck_assert_int_eq(c->sum.vat, vat_table[_i].vat);
	ck_assert_int_eq(c->sum.tax[vat_table[_i].tax].amount,
	    vat_table[_i].amount);
	ck_assert_int_eq(c->sum.tax[vat_table[_i].tax].lines, 1);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* Mixed classes: each class on its own, and VAT summed per line. */
START_TEST(test_breakdown_mixed)
{
	struct cart *c = newcart();
	struct product std, zero, ex, tiny;

	mkprod(&std, 1, "Soap", UNIT_PIECE, 11600, TAX_STANDARD);
	mkprod(&zero, 2, "Maize flour", UNIT_PIECE, 5000, TAX_ZERO);
	mkprod(&ex, 3, "Tomatoes", UNIT_KG, 12000, TAX_EXEMPT);
	mkprod(&tiny, 4, "Sweet", UNIT_PIECE, 4, TAX_STANDARD);
	add_ok(c, &std, 1000);
	add_ok(c, &zero, 2000);
	add_ok(c, &ex, 250);
	add_ok(c, &tiny, 1000);
	/* Merged: 0.08 carries 0.01 VAT (1.10 cents), not 2 x 0.01. */
	add_ok(c, &tiny, 1000);
	ck_assert_int_eq(c->n, 4);
	ck_assert_int_eq(c->sum.tax[TAX_STANDARD].lines, 2);
	ck_assert_int_eq(c->sum.tax[TAX_STANDARD].amount, 11608);
	ck_assert_int_eq(c->sum.tax[TAX_STANDARD].vat, 1601);
	ck_assert_int_eq(c->sum.tax[TAX_STANDARD].net, 10007);
	ck_assert_int_eq(c->sum.tax[TAX_ZERO].lines, 1);
	ck_assert_int_eq(c->sum.tax[TAX_ZERO].amount, 10000);
	ck_assert_int_eq(c->sum.tax[TAX_ZERO].vat, 0);
	ck_assert_int_eq(c->sum.tax[TAX_ZERO].net, 10000);
	ck_assert_int_eq(c->sum.tax[TAX_EXEMPT].amount, 3000);
	ck_assert_int_eq(c->sum.tax[TAX_EXEMPT].vat, 0);
	ck_assert_int_eq(c->sum.total, 24608);
	ck_assert_int_eq(c->sum.vat, 1601);
	ck_assert_int_eq(c->sum.net, 23007);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* Scanning a piece again adds to its line; weighed goods never merge. */
START_TEST(test_merge)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product soda, sugar, bread;

	mkprod(&soda, 1, "Soda", UNIT_PIECE, 6000, TAX_STANDARD);
	mkprod(&sugar, 2, "Sugar loose", UNIT_KG, 15000, TAX_STANDARD);
	mkprod(&bread, 3, "Bread", UNIT_PIECE, 6500, TAX_ZERO);

	add_ok(c, &soda, 1000);
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 1);
	ck_assert_int_eq(c->line[0].qty, 2000);
	add_ok(c, &soda, 3000);			/* "3 x" then scan */
	ck_assert_int_eq(c->line[0].qty, 5000);
	ck_assert_int_eq(c->sum.total, 30000);

	add_ok(c, &sugar, 500);
	add_ok(c, &sugar, 500);
	ck_assert_int_eq(c->n, 3);		/* two parcels */
	add_ok(c, &bread, 1000);
	ck_assert_int_eq(c->n, 4);
	add_ok(c, &soda, 1000);			/* merges into line 1 */
	ck_assert_int_eq(c->n, 4);
	ck_assert_int_eq(c->line[0].qty, 6000);

	/* A discounted line does not take more scans... */
	ck_assert_int_eq(cart_line_discount_amount(c, 0, 100, &err), DUKA_OK);
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 5);
	ck_assert_int_eq(c->line[4].qty, 1000);
	/* ...the new line does, being the latest that can. */
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 5);
	ck_assert_int_eq(c->line[4].qty, 2000);
	ck_assert_int_eq(c->line[0].qty, 6000);

	/* Nor does a line with a price override. */
	ck_assert_int_eq(cart_price_override(c, 4, 5500, &err), DUKA_OK);
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 6);

	/* A price changed in the catalogue meanwhile: a line of its own. */
	soda.price = 6200;
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 7);
	ck_assert_int_eq(c->line[6].price, 6200);
	add_ok(c, &soda, 1000);
	ck_assert_int_eq(c->n, 7);
	ck_assert_int_eq(c->line[6].qty, 2000);
	ck_assert_str_eq(c->line[6].sku, "SKU1");
	ck_assert_str_eq(c->line[6].name, "Soda");
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* Products and quantities cart_add must refuse, and why. */
static const struct {
	enum product_unit unit;
	int64_t qty;
	const char *want;
} bad_qty[] = {
	{ UNIT_PIECE, 0, "more than 0" },
	{ UNIT_PIECE, -1000, "-1" },
	{ UNIT_PIECE, 1500, "sold by the piece" },
	{ UNIT_PIECE, 1, "0.001" },
	{ UNIT_PIECE, 999, "sold by the piece" },
	{ UNIT_PIECE, CART_QTY_MAX + 1000, "too large" },
	{ UNIT_KG, 0, "0" },
	{ UNIT_KG, -250, "-0.25" },
	{ UNIT_KG, CART_QTY_MAX + 1, "100000.001" },
	{ UNIT_LITRE, INT64_MAX, "too large" },
	{ UNIT_LITRE, INT64_MIN, "more than 0" },
};

START_TEST(test_bad_qty)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p, other;
	struct snap s;

	mkprod(&other, 9, "Milk", UNIT_LITRE, 6000, TAX_ZERO);
	add_ok(c, &other, 500);
	mkprod(&p, 1, "Rice", bad_qty[_i].unit, 20000, TAX_STANDARD);
	snap_take(c, &s);
	assert_refused(cart_add(c, &p, bad_qty[_i].qty, &err), &err,
	    bad_qty[_i].want);
	ck_assert_msg(strstr(err.msg, "Rice") != NULL, "%s", err.msg);
	snap_check(c, &s, "cart_add");
	/* The same quantity through cart_set_qty on a line of that unit. */
	add_ok(c, &p, bad_qty[_i].unit == UNIT_PIECE ? 1000 : 250);
	snap_free(&s);
	snap_take(c, &s);
	assert_refused(cart_set_qty(c, 1, bad_qty[_i].qty, &err), &err,
	    bad_qty[_i].want);
	snap_check(c, &s, "cart_set_qty");
	snap_free(&s);
	cart_free(c);
}
END_TEST

/* Products cart_add must refuse whatever the quantity. */
START_TEST(test_bad_product)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p;
	struct snap s;

	snap_take(c, &s);
	mkprod(&p, 1, "Old soap", UNIT_PIECE, 100, TAX_STANDARD);
	p.active = 0;
	assert_refused(cart_add(c, &p, 1000, &err), &err, "deactivated");
	ck_assert_msg(strstr(err.msg, "Old soap") && strstr(err.msg, "SKU1"),
	    "%s", err.msg);
	mkprod(&p, 0, "Unsaved", UNIT_PIECE, 100, TAX_STANDARD);
	assert_refused(cart_add(c, &p, 1000, &err), &err, "Unsaved");
	mkprod(&p, 1, "Minus", UNIT_PIECE, -100, TAX_STANDARD);
	assert_refused(cart_add(c, &p, 1000, &err), &err, "-1.00");
	mkprod(&p, 1, "Taxless", UNIT_PIECE, 100, (enum tax_class)7);
	assert_refused(cart_add(c, &p, 1000, &err), &err, "tax class");
	mkprod(&p, 1, "Unitless", UNIT_PIECE, 100, TAX_STANDARD);
	p.unit = (enum product_unit)5;
	assert_refused(cart_add(c, &p, 1000, &err), &err, "unit");
	snap_check(c, &s, "bad products");
	snap_free(&s);
	cart_free(c);
}
END_TEST

/* Scans that would take a line past CART_QTY_MAX are refused. */
START_TEST(test_merge_too_many)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p;
	struct snap s;

	mkprod(&p, 1, "Nail", UNIT_PIECE, 1, TAX_STANDARD);
	add_ok(c, &p, CART_QTY_MAX - 1000);
	add_ok(c, &p, 1000);
	ck_assert_int_eq(c->line[0].qty, CART_QTY_MAX);
	snap_take(c, &s);
	assert_refused(cart_add(c, &p, 1000, &err), &err, "100001");
	snap_check(c, &s, "merge past the maximum");
	snap_free(&s);
	cart_free(c);
}
END_TEST

/* Line discounts: amount, percent, the one replacing the other. */
START_TEST(test_line_discounts)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p, q;
	struct snap s;

	mkprod(&p, 1, "Cooking oil", UNIT_PIECE, 3000, TAX_STANDARD);
	mkprod(&q, 2, "Beans", UNIT_KG, 999, TAX_ZERO);
	add_ok(c, &p, 2000);
	add_ok(c, &q, 1000);

	ck_assert_int_eq(cart_line_discount_amount(c, 0, 1000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].line_discount, 1000);
	ck_assert_int_eq(c->line[0].amount, 5000);
	ck_assert_int_eq(c->line[0].vat, 690);
	ck_assert_int_eq(c->sum.line_discounts, 1000);
	ck_assert_int_eq(c->sum.total, 5999);

	ck_assert_int_eq(cart_line_discount_percent(c, 0, 1000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].disc_amount, 0);
	ck_assert_int_eq(c->line[0].line_discount, 600);
	ck_assert_int_eq(cart_line_discount_percent(c, 1, 5000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[1].line_discount, 500);	/* 4.995 */
	ck_assert_int_eq(c->line[1].amount, 499);
	ck_assert_int_eq(cart_line_discount_amount(c, 0, 6000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].disc_bp, 0);
	ck_assert_int_eq(c->line[0].amount, 0);
	ck_assert_int_eq(c->line[0].vat, 0);
	ck_assert_int_eq(cart_line_discount_percent(c, 0, 10000, &err),
	    DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 0);
	ck_assert_int_eq(cart_line_discount_amount(c, 0, 0, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 6000);
	check_invariants(c);

	/* More than the line is refused, now and after a change. */
	snap_take(c, &s);
	assert_refused(cart_line_discount_amount(c, 0, 6001, &err), &err,
	    "60.01");
	ck_assert_msg(strstr(err.msg, "60.00") && strstr(err.msg, "Line 1"),
	    "%s", err.msg);
	snap_check(c, &s, "discount over the line");
	snap_free(&s);
	ck_assert_int_eq(cart_line_discount_amount(c, 0, 5000, &err), DUKA_OK);
	snap_take(c, &s);
	assert_refused(cart_set_qty(c, 0, 1000, &err), &err, "50.00");
	snap_check(c, &s, "quantity under the discount");
	assert_refused(cart_price_override(c, 0, 2000, &err), &err, "40.00");
	snap_check(c, &s, "override under the discount");
	snap_free(&s);
	ck_assert_int_eq(cart_set_qty(c, 0, 3000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 4000);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* A sale discount spread over lines, with the shares each line gets. */
static const struct {
	int64_t price[4];	/* 0 ends; pieces at standard VAT */
	int64_t line_bp[4];	/* line discount percent */
	int64_t amount, bp;	/* the sale discount */
	int64_t d;		/* it in cents */
	int64_t share[4];
} spread[] = {
	{ { 1000, 1000, 1000 }, { 0 }, 1000, 0, 1000, { 334, 333, 333 } },
	{ { 1000, 1000, 1000 }, { 0 }, 2, 0, 2, { 1, 1, 0 } },
	{ { 1000, 1000, 1000 }, { 0 }, 1, 0, 1, { 1, 0, 0 } },
	{ { 100, 200, 300 }, { 0 }, 100, 0, 100, { 17, 33, 50 } },
	{ { 333, 333, 333 }, { 0 }, 0, 1000, 100, { 34, 33, 33 } },
	{ { 1, 1, 1, 1 }, { 0 }, 3, 0, 3, { 1, 1, 1, 0 } },
	{ { 1, 2, 3, 4 }, { 0 }, 10, 0, 10, { 1, 2, 3, 4 } },
	{ { 1000, 1000 }, { 10000, 0 }, 500, 0, 500, { 0, 500 } },
	{ { 1000, 3000 }, { 5000, 0 }, 0, 5000, 1750, { 250, 1500 } },
	{ { 999, 1 }, { 0 }, 1, 0, 1, { 1, 0 } },
	{ { 1, 999 }, { 0 }, 1, 0, 1, { 0, 1 } },
	{ { 700, 700, 700 }, { 0 }, 2100, 0, 2100, { 700, 700, 700 } },
	{ { 700, 700, 700 }, { 0 }, 0, 10000, 2100, { 700, 700, 700 } },
	{ { 5 }, { 0 }, 0, 1, 0, { 0 } },	/* 0.0005 -> 0 */
};

START_TEST(test_sale_discount_spread)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p;
	int i, rc;

	for (i = 0; i < 4 && spread[_i].price[i] != 0; i++) {
		mkprod(&p, i + 1, "Thing", UNIT_PIECE, spread[_i].price[i],
		    TAX_STANDARD);
		add_ok(c, &p, 1000);
		if (spread[_i].line_bp[i] != 0)
			ck_assert_int_eq(cart_line_discount_percent(c, i,
			    spread[_i].line_bp[i], &err), DUKA_OK);
	}
	if (spread[_i].bp != 0)
		rc = cart_sale_discount_percent(c, spread[_i].bp, &err);
	else
		rc = cart_sale_discount_amount(c, spread[_i].amount, &err);
	ck_assert_msg(rc == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(c->sum.sale_discount, spread[_i].d);
	for (i = 0; i < c->n; i++)
		ck_assert_msg(c->line[i].sale_discount == spread[_i].share[i],
		    "line %d: share %lld, want %lld", i + 1,
		    (long long)c->line[i].sale_discount,
		    (long long)spread[_i].share[i]);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* A sale discount larger than the sale, now or after a change. */
START_TEST(test_sale_discount_refused)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p, q;
	struct snap s;

	snap_take(c, &s);
	assert_refused(cart_sale_discount_amount(c, 1, &err), &err, "0.01");
	snap_check(c, &s, "sale discount on nothing");
	snap_free(&s);
	ck_assert_int_eq(cart_sale_discount_percent(c, 500, &err), DUKA_OK);

	mkprod(&p, 1, "Flour", UNIT_PIECE, 20000, TAX_ZERO);
	mkprod(&q, 2, "Salt", UNIT_PIECE, 3000, TAX_STANDARD);
	add_ok(c, &p, 1000);
	add_ok(c, &q, 1000);
	ck_assert_int_eq(c->sum.sale_discount, 1150);
	ck_assert_int_eq(cart_sale_discount_amount(c, 10000, &err), DUKA_OK);
	ck_assert_int_eq(c->sale_disc_bp, 0);

	snap_take(c, &s);
	assert_refused(cart_sale_discount_amount(c, 23001, &err), &err,
	    "230.01");
	ck_assert_msg(strstr(err.msg, "230.00") != NULL, "%s", err.msg);
	assert_refused(cart_sale_discount_amount(c, -1, &err), &err, "-0.01");
	assert_refused(cart_sale_discount_percent(c, 10001, &err), &err,
	    "100.01%");
	assert_refused(cart_sale_discount_percent(c, -50, &err), &err,
	    "-0.5%");
	/* Taking off the flour would leave 30.00 under a 100.00 discount. */
	assert_refused(cart_remove_line(c, 0, &err), &err, "100.00");
	assert_refused(cart_line_discount_percent(c, 0, 10000, &err), &err,
	    "100.00");
	snap_check(c, &s, "sale discount over the sale");
	snap_free(&s);

	ck_assert_int_eq(cart_sale_discount_amount(c, 0, &err), DUKA_OK);
	ck_assert_int_eq(cart_remove_line(c, 0, &err), DUKA_OK);
	ck_assert_int_eq(c->n, 1);
	ck_assert_str_eq(c->line[0].name, "Salt");
	ck_assert_int_eq(c->sum.total, 3000);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* A price override, back to the shelf price, and its bounds. */
START_TEST(test_price_override)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p;
	struct snap s;

	mkprod(&p, 1, "Kettle", UNIT_PIECE, 100000, TAX_STANDARD);
	add_ok(c, &p, 2000);
	ck_assert_int_eq(cart_price_override(c, 0, 80000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].gross, 160000);
	ck_assert_int_eq(c->line[0].shelf_gross, 200000);
	ck_assert_int_eq(c->line[0].amount, 160000);
	ck_assert_int_eq(c->line[0].vat, 22069);
	ck_assert_int_eq(c->sum.shelf_gross, 200000);
	ck_assert_int_eq(c->sum.gross, 160000);
	ck_assert_int_eq(cart_line_discount_percent(c, 0, 1000, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 144000);
	ck_assert_int_eq(cart_price_override(c, 0, CART_NO_OVERRIDE, &err),
	    DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 180000);
	ck_assert_int_eq(cart_price_override(c, 0, 0, &err), DUKA_OK);
	ck_assert_int_eq(c->line[0].amount, 0);
	ck_assert_int_eq(cart_price_override(c, 0, CART_PRICE_MAX, &err),
	    DUKA_OK);
	check_invariants(c);

	snap_take(c, &s);
	assert_refused(cart_price_override(c, 0, -2, &err), &err, "-0.02");
	assert_refused(cart_price_override(c, 0, INT64_MIN, &err), &err,
	    "Kettle");
	assert_refused(cart_price_override(c, 0, CART_PRICE_MAX + 1, &err),
	    &err, "10,000,000.01");
	assert_refused(cart_price_override(c, 1, 100, &err), &err, "line 2");
	snap_check(c, &s, "bad overrides");
	snap_free(&s);
	cart_free(c);
}
END_TEST

/* A cart set up by steps, then the limits it should be found to exceed. */
enum step_kind { ADD, QTY, LDISC_AMT, LDISC_BP, OVERRIDE, SDISC_AMT,
    SDISC_BP, END };

#define STOP { END, 0, 0 }

static const struct {
	const char *what;
	struct { enum step_kind kind; int64_t a, b; } step[6];
	int64_t max_bp, max_lines, min_sale, max_sale;	/* 0: default,
							   -1: none */
	unsigned needs;
	const char *want;	/* in the reasons, when needs */
} limits[] = {
	{ "nothing", { { ADD, 10000, 1000 }, STOP }, 0, 0, 0, 0, 0, "" },
	{ "10% off is allowed",
	  { { ADD, 10000, 1000 }, { LDISC_BP, 0, 1000 }, STOP },
	  0, 0, 0, 0, 0, "" },
	{ "10.01% is not",
	  { { ADD, 10000, 1000 }, { LDISC_BP, 0, 1001 }, STOP },
	  0, 0, 0, 0, CART_NEED_LINE_DISCOUNT, "10.01% below" },
	{ "1.00 off 10 x 0.99 is 10.1%",
	  { { ADD, 99, 10000 }, { LDISC_AMT, 0, 100 }, STOP },
	  0, 0, 0, 0, CART_NEED_LINE_DISCOUNT, "10.11%" },
	{ "1.00 off 10 x 1.00 is 10%",
	  { { ADD, 100, 10000 }, { LDISC_AMT, 0, 100 }, STOP },
	  0, 0, 0, 0, 0, "" },
	{ "override to 90% of shelf",
	  { { ADD, 10000, 2000 }, { OVERRIDE, 0, 9000 }, STOP },
	  0, 0, 0, 0, 0, "" },
	{ "override to 89.99%",
	  { { ADD, 10000, 2000 }, { OVERRIDE, 0, 8999 }, STOP },
	  0, 0, 0, 0, CART_NEED_LINE_DISCOUNT, "Line 1 (Item)" },
	{ "override and discount stack",
	  { { ADD, 10000, 1000 }, { OVERRIDE, 0, 9500 }, { LDISC_BP, 0, 600 },
	  STOP }, 0, 0, 0, 0, CART_NEED_LINE_DISCOUNT, "10.7%" },
	{ "override above shelf",
	  { { ADD, 10000, 1000 }, { OVERRIDE, 0, 50000 }, STOP },
	  0, 0, 0, 0, 0, "" },
	{ "two lines over",
	  { { ADD, 10000, 1000 }, { ADD, 20000, 1000 }, { LDISC_BP, 0, 2000 },
	  { LDISC_BP, 1, 2000 }, STOP }, 0, 0, 0, 0,
	  CART_NEED_LINE_DISCOUNT, "1 more line is too" },
	{ "sale discount 15%",
	  { { ADD, 10000, 1000 }, { ADD, 5000, 1000 }, { SDISC_BP, 0, 1500 },
	  STOP }, 0, 0, 0, 0, CART_NEED_SALE_DISCOUNT, "22.50, 15%" },
	{ "sale discount 10%",
	  { { ADD, 10000, 1000 }, { ADD, 5000, 1000 }, { SDISC_BP, 0, 1000 },
	  STOP }, 0, 0, 0, 0, 0, "" },
	{ "10% on a line and 5% on the sale",
	  { { ADD, 10000, 1000 }, { LDISC_BP, 0, 1000 }, { SDISC_BP, 0, 500 },
	  STOP }, 0, 0, 0, 0, CART_NEED_SALE_DISCOUNT, "14.5%" },
	{ "a higher limit",
	  { { ADD, 10000, 1000 }, { LDISC_BP, 0, 2500 }, STOP },
	  2500, 0, 0, 0, 0, "" },
	{ "a zero limit",
	  { { ADD, 10000, 1000 }, { LDISC_AMT, 0, 1 }, STOP },
	  -1, 0, 0, 0, CART_NEED_LINE_DISCOUNT, "0.01% below" },
	{ "3 lines of 3",
	  { { ADD, 100, 1000 }, { ADD, 200, 1000 }, { ADD, 300, 1000 },
	  STOP }, 0, 3, 0, 0, 0, "" },
	{ "4 lines of 3",
	  { { ADD, 100, 1000 }, { ADD, 200, 1000 }, { ADD, 300, 1000 },
	  { ADD, 400, 1000 }, STOP }, 0, 3, 0, 0, CART_NEED_MAX_LINES,
	  "4 lines; more than 3" },
	{ "below the smallest sale",
	  { { ADD, 50, 1000 }, STOP }, 0, 0, 0, 0, CART_NEED_MIN_SALE,
	  "0.50 is below the smallest sale, 1.00" },
	{ "the smallest sale",
	  { { ADD, 50, 2000 }, STOP }, 0, 0, 0, 0, 0, "" },
	{ "no smallest sale",
	  { { ADD, 1, 1000 }, STOP }, 0, 0, -1, 0, 0, "" },
	{ "a smallest sale of 5.00",
	  { { ADD, 499, 1000 }, STOP }, 0, 0, 500, 0, CART_NEED_MIN_SALE,
	  "4.99 is below the smallest sale, 5.00" },
	{ "given away",
	  { { ADD, 500, 1000 }, { OVERRIDE, 0, 0 }, STOP }, 10000, 0, 0, 0,
	  CART_NEED_MIN_SALE, "0.00 is below" },
	{ "the largest sale",
	  { { ADD, 100000, 1000 }, STOP }, 0, 0, 0, 100000, 0, "" },
	{ "above the largest sale",
	  { { ADD, 100000, 1000 }, { ADD, 1, 1000 }, STOP }, 0, 0, 0, 100000,
	  CART_NEED_MAX_SALE, "1,000.01 is above the largest sale, 1,000.00" },
	{ "above the default largest sale",
	  { { ADD, 100000000, 1000 }, { ADD, 1, 1000 }, STOP }, 0, 0, 0, 0,
	  CART_NEED_MAX_SALE, "1,000,000.01" },
	{ "several at once",
	  { { ADD, 10, 1000 }, { ADD, 10, 1000 }, { LDISC_BP, 1, 5000 },
	  STOP }, 0, 1, 0, 0, CART_NEED_LINE_DISCOUNT |
	  CART_NEED_MAX_LINES | CART_NEED_MIN_SALE, "needs a supervisor" },
};

START_TEST(test_limits)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct cart_totals t;
	struct settings set;
	struct product p;
	int k, rc = DUKA_OK, found;

	settings_defaults(&set);
	if (limits[_i].max_bp != 0)
		set.max_discount_bp = limits[_i].max_bp < 0 ? 0 :
		    limits[_i].max_bp;
	if (limits[_i].max_lines != 0)
		set.max_sale_lines = limits[_i].max_lines;
	if (limits[_i].min_sale != 0)
		set.min_sale_cents = limits[_i].min_sale < 0 ? 0 :
		    limits[_i].min_sale;
	if (limits[_i].max_sale != 0)
		set.max_sale_cents = limits[_i].max_sale;
	for (k = 0; limits[_i].step[k].kind != END; k++) {
		int64_t a = limits[_i].step[k].a, b = limits[_i].step[k].b;

		switch (limits[_i].step[k].kind) {
		case ADD:
			mkprod(&p, c->n + 1, "Item", UNIT_PIECE, a, TAX_STANDARD);
			rc = cart_add(c, &p, b, &err);
			break;
		case QTY:
			rc = cart_set_qty(c, (int)a, b, &err);
			break;
		case LDISC_AMT:
			rc = cart_line_discount_amount(c, (int)a, b, &err);
			break;
		case LDISC_BP:
			rc = cart_line_discount_percent(c, (int)a, b, &err);
			break;
		case OVERRIDE:
			rc = cart_price_override(c, (int)a, b, &err);
			break;
		case SDISC_AMT:
			rc = cart_sale_discount_amount(c, b, &err);
			break;
		case SDISC_BP:
			rc = cart_sale_discount_percent(c, b, &err);
			break;
		case END:
			break;
		}
		ck_assert_msg(rc == DUKA_OK, "%s, step %d: %s",
		    limits[_i].what, k, err.msg);
	}
	check_invariants(c);
	cart_totals(c, &set, &t);
	ck_assert_msg(t.needs == limits[_i].needs, "%s: needs %#x, want %#x",
	    limits[_i].what, t.needs, limits[_i].needs);
	ck_assert(sums_eq(&t.sum, &c->sum));
	ck_assert_int_eq(t.lines, c->n);
	for (k = 0; k < CART_NEEDS; k++)
		ck_assert_msg((t.reason[k][0] != '\0') ==
		    ((t.needs & (1u << k)) != 0), "%s: reason %d",
		    limits[_i].what, k);

	rc = cart_check_commit(c, &set, &err);
	if (limits[_i].needs == 0) {
		ck_assert_msg(rc == DUKA_OK, "%s: %s", limits[_i].what,
		    err.msg);
	} else {
		assert_refused(rc, &err, "approval");
		found = strstr(err.msg, limits[_i].want) != NULL;
		for (k = 0; k < CART_NEEDS; k++)
			found |= strstr(t.reason[k], limits[_i].want) != NULL;
		ck_assert_msg(found, "%s: \"%s\" lacks \"%s\"",
		    limits[_i].what, err.msg, limits[_i].want);
		ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
		ck_assert_str_eq(c->approved_by, "mary");
		cart_totals(c, &set, &t);
		ck_assert_int_eq(t.approved, 1);
		ck_assert_uint_eq(t.needs, limits[_i].needs);
		ck_assert_int_eq(cart_check_commit(c, &set, &err), DUKA_OK);
	}
	cart_free(c);
}
END_TEST

/* An approval holds for the cart as it was; a change withdraws it. */
START_TEST(test_approval)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct settings set;
	struct product p;
	struct snap s;
	char longname[CART_WHO_MAX + 1];

	settings_defaults(&set);
	assert_refused(cart_check_commit(c, &set, &err), &err, "no items");
	ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
	assert_refused(cart_check_commit(c, &set, &err), &err, "no items");
	cart_clear(c);
	ck_assert_int_eq(c->approved, 0);

	mkprod(&p, 1, "Radio", UNIT_PIECE, 200000, TAX_STANDARD);
	add_ok(c, &p, 1000);
	ck_assert_int_eq(cart_line_discount_percent(c, 0, 2000, &err), DUKA_OK);
	assert_refused(cart_check_commit(c, &set, &err), &err, "20% below");

	snap_take(c, &s);
	assert_refused(cart_approve(c, "", &err), &err, "who approves");
	assert_refused(cart_approve(c, NULL, &err), &err, "who approves");
	memset(longname, 'x', CART_WHO_MAX);
	longname[CART_WHO_MAX] = '\0';
	assert_refused(cart_approve(c, longname, &err), &err, "too long");
	snap_check(c, &s, "bad approvals");
	snap_free(&s);
	longname[CART_WHO_MAX - 1] = '\0';
	ck_assert_int_eq(cart_approve(c, longname, &err), DUKA_OK);
	ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
	ck_assert_int_eq(cart_check_commit(c, &set, &err), DUKA_OK);

	/* A refused change keeps the approval; a kept one withdraws it. */
	snap_take(c, &s);
	assert_refused(cart_line_discount_percent(c, 0, 10001, &err), &err,
	    "100.01");
	snap_check(c, &s, "refused change");
	snap_free(&s);
	ck_assert_int_eq(c->approved, 1);
	add_ok(c, &p, 1000);
	ck_assert_int_eq(c->approved, 0);
	ck_assert_str_eq(c->approved_by, "");
	assert_refused(cart_check_commit(c, &set, &err), &err, "approval");
	ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
	ck_assert_int_eq(cart_line_discount_percent(c, 0, 0, &err), DUKA_OK);
	ck_assert_int_eq(c->approved, 0);
	ck_assert_int_eq(cart_check_commit(c, &set, &err), DUKA_OK);

	cart_clear(c);
	ck_assert_int_eq(c->n, 0);
	ck_assert_int_eq(c->sum.total, 0);
	assert_refused(cart_check_commit(c, &set, &err), &err, "no items");
	add_ok(c, &p, 1000);
	ck_assert_int_eq(c->n, 1);
	ck_assert_int_eq(c->sum.total, 200000);
	check_invariants(c);
	cart_free(c);
	cart_free(NULL);
}
END_TEST

/* Every setter's bad input: refused, naming the value, cart unchanged. */
enum op { OP_QTY, OP_REMOVE, OP_LDISC_AMT, OP_LDISC_BP, OP_OVERRIDE,
    OP_SDISC_AMT, OP_SDISC_BP, OP_ADD };

static const struct {
	enum op op;
	int line;
	int64_t value;
	const char *want;
} bad_calls[] = {
	{ OP_QTY, -1, 1000, "no line 0" },
	{ OP_QTY, 3, 1000, "no line 4" },
	{ OP_QTY, 0, 0, "more than 0" },
	{ OP_QTY, 0, 2500, "2.5" },
	{ OP_QTY, 1, CART_QTY_MAX + 1, "too large" },
	{ OP_QTY, 2, 1000, "40.00" },		/* under its discount */
	{ OP_REMOVE, 3, 0, "no line 4" },
	{ OP_REMOVE, -5, 0, "no line -4" },
	{ OP_REMOVE, 1, 0, "50.00" },		/* under the sale discount */
	{ OP_LDISC_AMT, 0, -1, "-0.01" },
	{ OP_LDISC_AMT, 0, 20001, "200.01" },
	{ OP_LDISC_AMT, 7, 1, "no line 8" },
	{ OP_LDISC_AMT, 1, INT64_MAX, "92,233,720,368,547,758.07" },
	{ OP_LDISC_BP, 0, 10001, "100.01%" },
	{ OP_LDISC_BP, 0, -1, "-0.01%" },
	{ OP_LDISC_BP, 0, INT64_MIN, "%" },
	{ OP_LDISC_BP, 1, 10000, "50.00" },	/* under the sale discount */
	{ OP_OVERRIDE, 0, -5, "-0.05" },
	{ OP_OVERRIDE, 0, CART_PRICE_MAX + 1, "10,000,000.01" },
	{ OP_OVERRIDE, 2, 1000, "40.00" },	/* under its discount */
	{ OP_OVERRIDE, 99, 1000, "no line 100" },
	{ OP_SDISC_AMT, 0, -100, "-1.00" },
	{ OP_SDISC_AMT, 0, 100000, "1,000.00" },
	{ OP_SDISC_BP, 0, 20000, "200%" },
	{ OP_SDISC_BP, 0, -10000, "-100%" },
	{ OP_ADD, 0, 1500, "sold by the piece" },
	{ OP_ADD, 0, -1000, "more than 0" },
};

START_TEST(test_bad_calls)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product a, b, d;
	struct snap s;
	int rc = DUKA_OK, line = bad_calls[_i].line;
	int64_t v = bad_calls[_i].value;

	mkprod(&a, 1, "Milk", UNIT_PIECE, 20000, TAX_ZERO);
	mkprod(&b, 2, "Sugar", UNIT_KG, 15000, TAX_STANDARD);
	mkprod(&d, 3, "Tea", UNIT_PIECE, 3000, TAX_STANDARD);
	add_ok(c, &a, 1000);
	add_ok(c, &b, 500);
	add_ok(c, &d, 2000);
	ck_assert_int_eq(cart_line_discount_amount(c, 2, 4000, &err), DUKA_OK);
	ck_assert_int_eq(cart_sale_discount_amount(c, 5000, &err), DUKA_OK);
	ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
	check_invariants(c);

	snap_take(c, &s);
	switch (bad_calls[_i].op) {
	case OP_QTY:
		rc = cart_set_qty(c, line, v, &err);
		break;
	case OP_REMOVE:
		if (line == 1) {
			/* Leave only milk... then taking it off too is refused. */
			snap_free(&s);
			ck_assert_int_eq(cart_remove_line(c, 2, &err), DUKA_OK);
			ck_assert_int_eq(cart_remove_line(c, 1, &err), DUKA_OK);
			ck_assert_int_eq(cart_sale_discount_amount(c, 5000, &err),
			    DUKA_OK);
			ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
			snap_take(c, &s);
			line = 0;
		}
		rc = cart_remove_line(c, line, &err);
		break;
	case OP_LDISC_AMT:
		rc = cart_line_discount_amount(c, line, v, &err);
		break;
	case OP_LDISC_BP:
		if (line == 1) {
			/* Milk alone then at 100% off leaves no room. */
			snap_free(&s);
			ck_assert_int_eq(cart_remove_line(c, 2, &err), DUKA_OK);
			ck_assert_int_eq(cart_remove_line(c, 1, &err), DUKA_OK);
			ck_assert_int_eq(cart_approve(c, "mary", &err), DUKA_OK);
			snap_take(c, &s);
			line = 0;
		}
		rc = cart_line_discount_percent(c, line, v, &err);
		break;
	case OP_OVERRIDE:
		rc = cart_price_override(c, line, v, &err);
		break;
	case OP_SDISC_AMT:
		rc = cart_sale_discount_amount(c, v, &err);
		break;
	case OP_SDISC_BP:
		rc = cart_sale_discount_percent(c, v, &err);
		break;
	case OP_ADD:
		rc = cart_add(c, &d, v, &err);
		break;
	}
	assert_refused(rc, &err, bad_calls[_i].want);
	snap_check(c, &s, bad_calls[_i].want);
	ck_assert_int_eq(c->approved, 1);
	check_invariants(c);
	snap_free(&s);
	cart_free(c);
}
END_TEST

/* Amounts past int64_t are refused, never wrapped. */
START_TEST(test_overflow)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product huge, half, small;
	struct snap s;

	mkprod(&huge, 1, "Huge", UNIT_PIECE, INT64_MAX / 2, TAX_STANDARD);
	mkprod(&half, 2, "Half", UNIT_PIECE, INT64_MAX / 2 + 1,
	    TAX_STANDARD);
	mkprod(&small, 3, "Small", UNIT_KG, 100, TAX_EXEMPT);
	add_ok(c, &small, 1000);

	snap_take(c, &s);
	assert_refused(cart_add(c, &huge, 3000, &err), &err, "too large");
	ck_assert_msg(strstr(err.msg, "Line 2 (Huge)") != NULL, "%s", err.msg);
	snap_check(c, &s, "huge x 3");
	snap_free(&s);

	add_ok(c, &huge, 1000);
	snap_take(c, &s);
	/* Each line fits; the total does not. */
	assert_refused(cart_add(c, &half, 1000, &err), &err,
	    "sale total is too large");
	assert_refused(cart_add(c, &huge, 1000, &err), &err, "too large");
	assert_refused(cart_set_qty(c, 1, 2000, &err), &err, "too large");
	snap_check(c, &s, "sum past int64");
	snap_free(&s);

	/* Big amounts spread exactly (128-bit products in muldiv). */
	ck_assert_int_eq(cart_sale_discount_amount(c, INT64_MAX / 3, &err),
	    DUKA_OK);
	check_invariants(c);
	ck_assert_int_eq(cart_sale_discount_percent(c, 3333, &err), DUKA_OK);
	check_invariants(c);
	ck_assert_int_eq(cart_line_discount_percent(c, 1, 9999, &err),
	    DUKA_OK);
	check_invariants(c);
	cart_free(c);
}
END_TEST

/* CART_MAX_LINES lines and no more, whatever the settings say. */
START_TEST(test_max_lines)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct settings set;
	struct cart_totals t;
	struct product p;
	struct snap s;
	int i;

	settings_defaults(&set);
	set.max_sale_lines = CART_MAX_LINES;
	mkprod(&p, 1, "Item", UNIT_PIECE, 100, TAX_STANDARD);
	for (i = 0; i < CART_MAX_LINES; i++) {
		p.id = i + 1;
		add_ok(c, &p, 1000);
	}
	ck_assert_int_eq(c->n, CART_MAX_LINES);
	cart_totals(c, &set, &t);
	ck_assert_uint_eq(t.needs, 0);
	p.id = 1;
	add_ok(c, &p, 1000);	/* a merge still works */
	p.id = CART_MAX_LINES + 1;
	snap_take(c, &s);
	assert_refused(cart_add(c, &p, 1000, &err), &err, "10000 lines");
	snap_check(c, &s, "one line too many");
	snap_free(&s);
	ck_assert_int_eq(cart_sale_discount_amount(c, 9999, &err), DUKA_OK);
	check_invariants(c);
	/*
	 * 99.99 over 100.02 (line 1, two items) and 9,999 x 1.00: the floors
	 * give line 1 one cent and the rest none; of the 9,998 cents left,
	 * the 1.00 lines have the larger remainders (0.9998 against 0.9996),
	 * so all but the last of them get one.
	 */
	ck_assert_int_eq(c->line[0].sale_discount, 1);
	ck_assert_int_eq(c->line[1].sale_discount, 1);
	ck_assert_int_eq(c->line[CART_MAX_LINES - 2].sale_discount, 1);
	ck_assert_int_eq(c->line[CART_MAX_LINES - 1].sale_discount, 0);
	cart_free(c);
}
END_TEST

/* A long product name is cut in messages, on a character boundary. */
START_TEST(test_long_name)
{
	struct duka_err err = { 0, "" };
	struct cart *c = newcart();
	struct product p;
	char name[PRODUCT_NAME_MAX];
	int i;

	name[0] = '\0';
	for (i = 0; i < 120; i++)
		strcat(name, "\xc3\xa9");	/* é */
	mkprod(&p, 1, name, UNIT_PIECE, 100, TAX_STANDARD);
	assert_refused(cart_add(c, &p, 1500, &err), &err, "\xe2\x80\xa6:");
	ck_assert_msg(strncmp(err.msg, name, 80) == 0 && err.msg[80] ==
	    '\xe2', "%s", err.msg);
	add_ok(c, &p, 1000);
	ck_assert_str_eq(c->line[0].name, name);
	cart_free(c);
}
END_TEST

/* A small fixed-seed generator (xorshift64*), the same on every machine. */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* 0 .. n - 1. */
static int64_t
pick(int64_t n)
{
	return (int64_t)(rng() % (uint64_t)n);
}

/* A price: mostly ordinary, sometimes large, now and then absurd. */
static int64_t
rnd_price(void)
{
	switch (pick(20)) {
	case 0:
		return pick(INT64_MAX / 4);
	case 1:
	case 2:
		return pick(CART_PRICE_MAX + 1);
	case 3:
		return pick(10);
	default:
		return pick(200000);
	}
}

/* A quantity in thousandths: good ones for the unit, and bad ones. */
static int64_t
rnd_qty(enum product_unit unit)
{
	switch (pick(16)) {
	case 0:
		return -pick(5000);
	case 1:
		return pick(3);
	case 2:
		return pick(CART_QTY_MAX + 2000);
	case 3:
		return pick(5000);	/* often a fraction of a piece */
	default:
		return unit == UNIT_PIECE ? 1000 * (1 + pick(5)) :
		    1 + pick(3000);
	}
}

#ifdef __SIZEOF_INT128__
/* Whether part is more than bp basis points of whole, with 128 bits. */
static int
over(int64_t part, int64_t whole, int64_t bp)
{
	return part > 0 && (__int128)part * 10000 > (__int128)bp * whole;
}
#endif

/* Which limits the cart exceeds, worked out separately. */
static unsigned
reference_needs(const struct cart *c, const struct settings *set)
{
	unsigned needs = 0;
#ifdef __SIZEOF_INT128__
	const struct cart_line *l;
	int i;

	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		if (over(l->shelf_gross - (l->gross - l->line_discount),
		    l->shelf_gross, set->max_discount_bp))
			needs |= CART_NEED_LINE_DISCOUNT;
	}
	if (c->sum.sale_discount > 0 && over(c->sum.shelf_gross -
	    c->sum.total, c->sum.shelf_gross, set->max_discount_bp))
		needs |= CART_NEED_SALE_DISCOUNT;
#endif
	if (c->n > set->max_sale_lines)
		needs |= CART_NEED_MAX_LINES;
	if (c->n > 0 && c->sum.total < set->min_sale_cents)
		needs |= CART_NEED_MIN_SALE;
	if (c->sum.total > set->max_sale_cents)
		needs |= CART_NEED_MAX_SALE;
	return needs;
}

/*
 * Ten thousand random carts built by random calls, good and bad: after
 * each call the invariants hold, a refused call changed nothing, a kept
 * one withdrew any approval, and the limits match a separate reckoning.
 */
START_TEST(test_random_carts)
{
	struct duka_err err;
	struct product pool[12];
	struct settings set;
	struct cart_totals t;
	struct cart *c = newcart();
	struct snap s;
	enum product_unit unit;
	enum tax_class tax;
	unsigned needs;
	int cartno, step, steps, i, rc, line, approving, ok = 0, refused = 0;
	int seen[CART_NEEDS] = { 0 };
	int64_t v;

	rng_state = UINT64_C(0x9e3779b97f4a7c15);
	for (cartno = 0; cartno < 10000; cartno++) {
		cart_clear(c);
		for (i = 0; i < NELEM(pool); i++) {
			/* One call per statement: argument order is unspecified,
			 * and every compiler must build the same carts. */
			unit = (enum product_unit)pick(3);
			tax = (enum tax_class)pick(3);
			v = rnd_price();
			mkprod(&pool[i], i + 1, "Item", unit, v, tax);
			if (pick(40) == 0)
				pool[i].active = 0;
		}
		settings_defaults(&set);
		set.max_discount_bp = pick(4) == 0 ? 0 : pick(10001);
		set.max_sale_lines = 1 + pick(20);
		set.min_sale_cents = pick(3) == 0 ? 0 : pick(100000);
		set.max_sale_cents = set.min_sale_cents + pick(10000000);
		steps = 1 + (int)pick(30);
		for (step = 0; step < steps; step++) {
			line = c->n > 0 && pick(20) != 0 ? (int)pick(c->n) :
			    (int)pick(c->n + 3) - 1;
			snap_take(c, &s);
			duka_err_clear(&err);
			approving = 0;
			switch (pick(20)) {
			case 0: case 1: case 2: case 3: case 4: case 5:
			case 6: case 7:
				i = (int)pick(NELEM(pool));
				rc = cart_add(c, &pool[i],
				    rnd_qty(pool[i].unit), &err);
				break;
			case 8:
				v = rnd_qty(line >= 0 && line < c->n ?
				    c->line[line].unit : UNIT_PIECE);
				rc = cart_set_qty(c, line, v, &err);
				break;
			case 9:
				rc = cart_remove_line(c, line, &err);
				break;
			case 10:
				v = pick(3) == 0 ? pick(2000000) - 1000 :
				    pick(5000);
				rc = cart_line_discount_amount(c, line, v, &err);
				break;
			case 11:
				v = pick(12000) - 1000;
				rc = cart_line_discount_percent(c, line, v,
				    &err);
				break;
			case 12:
				v = pick(8) == 0 ? CART_NO_OVERRIDE :
				    pick(5) == 0 ? pick(INT64_MAX) - 10 :
				    rnd_price();
				rc = cart_price_override(c, line, v, &err);
				break;
			case 13:
			case 14:
				v = pick(3) == 0 ? pick(INT64_MAX) :
				    pick(20000) - 100;
				rc = cart_sale_discount_amount(c, v, &err);
				break;
			case 15:
			case 16:
				v = pick(11000) - 500;
				rc = cart_sale_discount_percent(c, v, &err);
				break;
			default:
				approving = 1;
				rc = cart_approve(c, pick(10) ? "mary" : "",
				    &err);
				break;
			}
			if (rc == DUKA_OK) {
				ok++;
				CHECK_MSG(c->approved == approving &&
				    strcmp(c->approved_by, approving ? "mary" :
				    "") == 0, "cart %d step %d: approval",
				    cartno, step);
			} else {
				refused++;
				CHECK_MSG(rc == DUKA_EINPUT && err.code == rc &&
				    err.msg[0] != '\0', "cart %d step %d: rc %d",
				    cartno, step, rc);
				snap_check(c, &s, err.msg);
			}
			snap_free(&s);
			check_invariants(c);
			cart_totals(c, &set, &t);
			needs = t.needs;
			for (i = 0; i < CART_NEEDS; i++)
				seen[i] += (needs >> i) & 1;
#ifndef __SIZEOF_INT128__
			needs &= ~(unsigned)(CART_NEED_LINE_DISCOUNT |
			    CART_NEED_SALE_DISCOUNT);
#endif
			CHECK_MSG(needs == reference_needs(c, &set),
			    "cart %d step %d: needs %#x, want %#x", cartno,
			    step, needs, reference_needs(c, &set));
			rc = cart_check_commit(c, &set, &err);
			CHECK_EQ(rc == DUKA_OK, c->n > 0 && (t.needs == 0 ||
			    c->approved));
			CHECK(rc == DUKA_OK || err.msg[0] != '\0');
		}
	}
	/* Both paths were well exercised. */
	fprintf(stderr, "random carts: %d calls kept, %d refused\n", ok,
	    refused);
	ck_assert_int_gt(ok, 50000);
	ck_assert_int_gt(refused, 20000);
	for (i = 0; i < CART_NEEDS; i++)
		ck_assert_msg(seen[i] > 100, "limit %d exceeded %d times", i,
		    seen[i]);
	cart_free(c);
}
END_TEST

static Suite *
cart_suite(void)
{
	Suite *s = suite_create("cart");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_vat_table, 0, NELEM(vat_table));
	tcase_add_test(tc, test_breakdown_mixed);
	tcase_add_test(tc, test_merge);
	tcase_add_loop_test(tc, test_bad_qty, 0, NELEM(bad_qty));
	tcase_add_test(tc, test_bad_product);
	tcase_add_test(tc, test_merge_too_many);
	tcase_add_test(tc, test_line_discounts);
	tcase_add_loop_test(tc, test_sale_discount_spread, 0, NELEM(spread));
	tcase_add_test(tc, test_sale_discount_refused);
	tcase_add_test(tc, test_price_override);
	tcase_add_loop_test(tc, test_limits, 0, NELEM(limits));
	tcase_add_test(tc, test_approval);
	tcase_add_loop_test(tc, test_bad_calls, 0, NELEM(bad_calls));
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_max_lines);
	tcase_add_test(tc, test_long_name);
	tcase_add_test(tc, test_random_carts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cart_suite());
}
