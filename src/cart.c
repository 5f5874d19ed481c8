/*
 * cart.c - the sale being rung up: lines, discounts, VAT and totals.
 *
 * Every change goes the same way: validate the value, apply it, recompute
 * the whole cart (recompute), and if the cart cannot be computed undo the
 * change and recompute again, which gives back exactly the amounts the cart
 * had, because recompute depends only on the inputs. So a cart always holds
 * amounts that satisfy these invariants (tests/check_cart.c checks each on
 * ten thousand random carts):
 *
 *   1. Per line: shelf_gross = price x qty and gross = (override or price)
 *      x qty, both by money_mul_qty (half away from zero);
 *      0 <= line_discount <= gross;
 *      0 <= sale_discount <= gross - line_discount;
 *      amount = gross - line_discount - sale_discount;
 *      vat = vat_split(amount) and net + vat == amount.
 *   2. The shares of the sale discount add up exactly to it:
 *      sum(line sale_discount) == sum.sale_discount
 *      <= sum(gross - line_discount).
 *   3. Every field of sum is the sum of the lines' fields; the per-class
 *      amount, vat and net add up to total, vat and net; their lines to n.
 *   4. total == gross - line_discounts - sale_discount.
 *   5. A line or the sale has a discount amount or a percent, never both;
 *      0 < qty <= CART_QTY_MAX, a whole number of pieces for UNIT_PIECE.
 *   6. approved is set only by cart_approve, and any change clears it.
 *
 * The sale discount is spread by the largest-remainder method: each line
 * gets floor(D x base / total base), and the cents left over go one each to
 * the lines with the largest remainders, ties to the earlier line. That
 * D x base needs up to 126 bits, so muldiv() does it exactly in 64-bit
 * halves rather than with __int128, which 32-bit tills lack.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "i18n.h"

/* How many characters of a product name a message shows. */
#define NAME_CHARS 40
#define NAME_BUF (NAME_CHARS * 4 + 4)

/* One line's remainder when the sale discount is spread. */
struct cart_rank {
	uint64_t rem;
	int idx;
};

/*
 * a x b / d for a, b < 2^63 and 0 < d < 2^63, when the quotient fits in 64
 * bits: quotient in *q, remainder in *r. The product is formed in two
 * 64-bit halves from 32-bit pieces and divided one bit at a time.
 */
static void
muldiv(uint64_t a, uint64_t b, uint64_t d, uint64_t *q, uint64_t *r)
{
	uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
	uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t p, lo, t, mid, hi, rem, quo;
	int i;

	assert(d > 0 && d < (UINT64_C(1) << 63));
	if (!__builtin_mul_overflow(a, b, &p)) {
		*q = p / d;
		*r = p % d;
		return;
	}
	/* a1, b1 < 2^31, so no partial product plus its carry overflows. */
	lo = a0 * b0;
	t = a1 * b0 + (lo >> 32);
	mid = a0 * b1 + (t & 0xffffffffu);
	hi = a1 * b1 + (t >> 32) + (mid >> 32);
	lo = (mid << 32) | (lo & 0xffffffffu);
	/* The quotient fits, so hi < d; rem < d < 2^63 cannot overflow. */
	assert(hi < d);
	rem = hi;
	quo = 0;
	for (i = 63; i >= 0; i--) {
		rem = (rem << 1) | ((lo >> i) & 1);
		quo <<= 1;
		if (rem >= d) {
			rem -= d;
			quo |= 1;
		}
	}
	*q = quo;
	*r = rem;
}

/* floor(amount x bp / 10000) for amount >= 0 and 0 <= bp <= 10000. */
static int64_t
percent_floor(int64_t amount, int64_t bp)
{
	uint64_t q, r;

	if (amount <= 0 || bp <= 0)
		return 0;
	if (bp > 10000)
		bp = 10000;
	muldiv((uint64_t)amount, (uint64_t)bp, 10000, &q, &r);
	return (int64_t)q;
}

/* part / whole in basis points, rounded up so that anything over a limit
 * never shows as equal to it; 0 <= part <= whole. */
static int64_t
ratio_bp_ceil(int64_t part, int64_t whole)
{
	uint64_t q, r;

	if (part <= 0 || whole <= 0)
		return 0;
	muldiv((uint64_t)part, 10000, (uint64_t)whole, &q, &r);
	return (int64_t)q + (r != 0);
}

/* Basis points as a percentage without trailing zeros: "10", "12.5". */
static void
format_bp(int64_t bp, char *buf, size_t len)
{
	uint64_t u = bp < 0 ? -(uint64_t)bp : (uint64_t)bp;
	const char *sign = bp < 0 ? "-" : "";

	if (u % 100 == 0)
		snprintf(buf, len, "%s%llu", sign, (unsigned long long)(u / 100));
	else if (u % 10 == 0)
		snprintf(buf, len, "%s%llu.%llu", sign,
		    (unsigned long long)(u / 100),
		    (unsigned long long)(u % 100 / 10));
	else
		snprintf(buf, len, "%s%llu.%02llu", sign,
		    (unsigned long long)(u / 100),
		    (unsigned long long)(u % 100));
}

/* The first NAME_CHARS characters of a name, with "..." if cut, for messages. */
static void
short_name(const char *name, char *buf, size_t len)
{
	size_t i = 0, j, chars = 0;

	assert(len >= 8);
	while (name[i] != '\0') {
		/* i starts a character; j is where the next one starts. */
		for (j = i + 1; ((unsigned char)name[j] & 0xc0) == 0x80; j++)
			;
		if (chars == NAME_CHARS || j + 4 > len)
			break;
		chars++;
		i = j;
	}
	memcpy(buf, name, i);
	if (name[i] != '\0') {
		memcpy(buf + i, "\xe2\x80\xa6", 3);
		i += 3;
	}
	buf[i] = '\0';
}

/* Copy a NUL-terminated string from a fixed array into another. */
static void
copy_text(char *dst, size_t dlen, const char *src, size_t slen)
{
	size_t n = strnlen(src, slen);

	if (n >= dlen)
		n = dlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The price a line is charged at. */
static int64_t
line_price(const struct cart_line *l)
{
	return l->override == CART_NO_OVERRIDE ? l->price : l->override;
}

/* Larger remainders first, then the earlier line: a total order, so the
 * spread does not depend on how qsort treats equal elements. */
static int
rank_cmp(const void *x, const void *y)
{
	const struct cart_rank *a = x, *b = y;

	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Refuse a line whose amount does not fit, naming price and quantity. */
static int
fail_too_large(const struct cart_line *l, int i, int64_t price,
    struct duka_err *err)
{
	char nm[NAME_BUF], pr[MONEY_MAX_TEXT], q[MONEY_MAX_TEXT];

	short_name(l->name, nm, sizeof nm);
	money_format(price, pr, sizeof pr);
	qty_format(l->qty, q, sizeof q);
	return duka_fail(err, DUKA_EINPUT,
	    _("Line %d (%s): %s x %s is too large an amount."), i + 1, nm, q,
	    pr);
}

/* Refuse a sum that does not fit, naming the line that overflowed it. */
static int
fail_sum(const struct cart_line *l, int i, struct duka_err *err)
{
	char nm[NAME_BUF];

	short_name(l->name, nm, sizeof nm);
	return duka_fail(err, DUKA_EINPUT,
	    _("The sale total is too large with line %d (%s)."), i + 1, nm);
}

/*
 * Compute every line's amounts and the sums from the inputs. Writes the
 * computed fields in place even when it fails; the caller then undoes its
 * change and calls it again, which rewrites them all.
 */
static int
recompute(struct cart *c, struct duka_err *err)
{
	struct cart_sums s;
	struct cart_line *l;
	struct cart_tax_sum *ts;
	char a[MONEY_MAX_TEXT], b[MONEY_MAX_TEXT], nm[NAME_BUF];
	int64_t base = 0, d, left, paid;
	uint64_t q, r;
	int i, rc;

	memset(&s, 0, sizeof s);
	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		if (money_mul_qty(l->price, l->qty, &l->shelf_gross, NULL) !=
		    DUKA_OK)
			return fail_too_large(l, i, l->price, err);
		if (money_mul_qty(line_price(l), l->qty, &l->gross, NULL) !=
		    DUKA_OK)
			return fail_too_large(l, i, line_price(l), err);
		l->line_discount = l->disc_amount;
		if (l->disc_bp != 0 && (rc = money_percent(l->gross, l->disc_bp,
		    &l->line_discount, err)) != DUKA_OK)
			return rc;
		if (l->line_discount > l->gross) {
			short_name(l->name, nm, sizeof nm);
			money_format(l->line_discount, a, sizeof a);
			money_format(l->gross, b, sizeof b);
			return duka_fail(err, DUKA_EINPUT,
			    _("Line %d (%s): a discount of %s is more than "
			    "the line, %s."), i + 1, nm, a, b);
		}
		paid = l->gross - l->line_discount;
		if (__builtin_add_overflow(s.shelf_gross, l->shelf_gross,
		    &s.shelf_gross) ||
		    __builtin_add_overflow(s.gross, l->gross, &s.gross) ||
		    __builtin_add_overflow(base, paid, &base))
			return fail_sum(l, i, err);
		/* line_discounts <= gross, which fitted. */
		s.line_discounts += l->line_discount;
	}

	d = c->sale_disc_amount;
	if (c->sale_disc_bp != 0 &&
	    (rc = money_percent(base, c->sale_disc_bp, &d, err)) != DUKA_OK)
		return rc;
	if (d > base) {
		money_format(d, a, sizeof a);
		money_format(base, b, sizeof b);
		return duka_fail(err, DUKA_EINPUT,
		    _("A sale discount of %s is more than the sale, %s."), a,
		    b);
	}

	/* Spread d: the floor of each share, then the cents left over. */
	left = d;
	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		if (d == 0) {
			l->sale_discount = 0;
			continue;
		}
		muldiv((uint64_t)d, (uint64_t)(l->gross - l->line_discount),
		    (uint64_t)base, &q, &r);
		l->sale_discount = (int64_t)q;
		left -= (int64_t)q;
		c->rank[i].rem = r;
		c->rank[i].idx = i;
	}
	if (left > 0) {
		/* Fewer cents are left than lines with a remainder. */
		qsort(c->rank, (size_t)c->n, sizeof c->rank[0], rank_cmp);
		for (i = 0; i < left; i++)
			c->line[c->rank[i].idx].sale_discount++;
	}

	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		l->amount = l->gross - l->line_discount - l->sale_discount;
		if ((rc = vat_split(l->amount, l->tax, &l->net, &l->vat,
		    err)) != DUKA_OK)
			return rc;
		/* Each sum is at most base, which fitted. */
		s.total += l->amount;
		s.vat += l->vat;
		s.net += l->net;
		ts = &s.tax[l->tax];
		ts->lines++;
		ts->amount += l->amount;
		ts->vat += l->vat;
		ts->net += l->net;
	}
	s.sale_discount = d;
	c->sum = s;
	return DUKA_OK;
}

/* Recompute after undoing a change: the cart was computable before it. */
static void
restore(struct cart *c)
{
	int rc;

	rc = recompute(c, NULL);
	assert(rc == DUKA_OK);
	(void)rc;
}

/* A change was kept: an approval given before it no longer holds. */
static void
changed(struct cart *c)
{
	c->approved = 0;
	memset(c->approved_by, 0, sizeof c->approved_by);
}

/*
 * Keep the change just made to line i if the cart can be computed with it;
 * else put back save (the line as it was) and report why.
 */
static int
settle_line(struct cart *c, int i, const struct cart_line *save,
    struct duka_err *err)
{
	int rc;

	if ((rc = recompute(c, err)) == DUKA_OK) {
		changed(c);
		return DUKA_OK;
	}
	memcpy(&c->line[i], save, sizeof *save);
	restore(c);
	return rc;
}

/* Make room for one more line; -1 when out of memory (nothing changes). */
static int
grow(struct cart *c)
{
	struct cart_line *nl;
	struct cart_rank *nr;
	int cap;

	if (c->n < c->cap)
		return 0;
	cap = c->cap == 0 ? 16 : c->cap * 2;
	if (cap > CART_MAX_LINES)
		cap = CART_MAX_LINES;
	if ((nl = realloc(c->line, (size_t)cap * sizeof *nl)) == NULL)
		return -1;
	c->line = nl;
	if ((nr = realloc(c->rank, (size_t)cap * sizeof *nr)) == NULL)
		return -1;
	c->rank = nr;
	c->cap = cap;
	return 0;
}

/* A new empty cart. */
struct cart *
cart_new(void)
{
	return calloc(1, sizeof(struct cart));
}

/* Free a cart and its lines; NULL is allowed. */
void
cart_free(struct cart *c)
{
	if (c == NULL)
		return;
	free(c->line);
	free(c->rank);
	free(c);
}

/* Start a new sale in the same cart, keeping the memory. */
void
cart_clear(struct cart *c)
{
	c->n = 0;
	c->sale_disc_amount = 0;
	c->sale_disc_bp = 0;
	memset(&c->sum, 0, sizeof c->sum);
	changed(c);
}

/* Refuse an index that is not a line of the cart. */
static int
check_index(const struct cart *c, int i, struct duka_err *err)
{
	if (i < 0 || i >= c->n)
		return duka_fail(err, DUKA_EINPUT,
		    _("There is no line %lld in this sale; it has %d."),
		    (long long)i + 1, c->n);
	return DUKA_OK;
}

/* Refuse a quantity that no line of this unit may hold. */
static int
check_qty(const char *name, enum product_unit unit, int64_t qty,
    struct duka_err *err)
{
	char nm[NAME_BUF], q[MONEY_MAX_TEXT], max[MONEY_MAX_TEXT];

	short_name(name, nm, sizeof nm);
	qty_format(qty, q, sizeof q);
	if (qty <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: a quantity of %s is not allowed; it must be more "
		    "than 0."), nm, q);
	if (qty > CART_QTY_MAX) {
		qty_format(CART_QTY_MAX, max, sizeof max);
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: a quantity of %s is too large; one line holds at "
		    "most %s."), nm, q, max);
	}
	if (unit == UNIT_PIECE && qty % 1000 != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: a quantity of %s is not allowed; it is sold by the "
		    "piece."), nm, q);
	return DUKA_OK;
}

/* 1 if scanning p again may add to line l rather than start a new line. */
static int
mergeable(const struct cart_line *l, const struct product *p)
{
	return l->product_id == p->id && l->unit == UNIT_PIECE &&
	    p->unit == UNIT_PIECE && l->price == p->price && l->tax == p->tax &&
	    l->override == CART_NO_OVERRIDE && l->disc_amount == 0 &&
	    l->disc_bp == 0;
}

/* Add qty of a product: to its line when it may merge, else a new line. */
int
cart_add(struct cart *c, const struct product *p, int64_t qty,
    struct duka_err *err)
{
	struct cart_line save, *l;
	char nm[NAME_BUF], pr[MONEY_MAX_TEXT];
	int i, rc;

	short_name(p->name, nm, sizeof nm);
	if (p->id <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s is not in the catalogue yet."), nm);
	if (!p->active)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s (%s) is not for sale: it has been deactivated."), nm,
		    p->sku);
	if (p->price < 0) {
		money_format(p->price, pr, sizeof pr);
		return duka_fail(err, DUKA_EINPUT,
		    _("%s has a price of %s; a price cannot be negative."), nm,
		    pr);
	}
	if (tax_rate_bp(p->tax) < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s has an unknown tax class (%d)."), nm, (int)p->tax);
	if (p->unit != UNIT_PIECE && p->unit != UNIT_KG &&
	    p->unit != UNIT_LITRE)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s has an unknown unit (%d)."), nm, (int)p->unit);
	if ((rc = check_qty(p->name, p->unit, qty, err)) != DUKA_OK)
		return rc;

	/* The latest line it may merge with, which is the one on screen. */
	for (i = c->n - 1; i >= 0; i--)
		if (mergeable(&c->line[i], p))
			break;
	if (i >= 0) {
		l = &c->line[i];
		/* Both are at most CART_QTY_MAX: the sum fits. */
		if ((rc = check_qty(l->name, l->unit, l->qty + qty, err)) !=
		    DUKA_OK)
			return rc;
		memcpy(&save, l, sizeof save);
		l->qty += qty;
		return settle_line(c, i, &save, err);
	}

	if (c->n >= CART_MAX_LINES)
		return duka_fail(err, DUKA_EINPUT,
		    _("The sale already has %d lines, the most one sale can "
		    "hold."), c->n);
	if (grow(c) != 0)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	l = &c->line[c->n];
	memset(l, 0, sizeof *l);
	l->product_id = p->id;
	copy_text(l->sku, sizeof l->sku, p->sku, sizeof p->sku);
	copy_text(l->name, sizeof l->name, p->name, sizeof p->name);
	l->unit = p->unit;
	l->tax = p->tax;
	l->price = p->price;
	l->qty = qty;
	l->override = CART_NO_OVERRIDE;
	c->n++;
	if ((rc = recompute(c, err)) != DUKA_OK) {
		c->n--;
		restore(c);
		return rc;
	}
	changed(c);
	return DUKA_OK;
}

/* Change the quantity on line i. */
int
cart_set_qty(struct cart *c, int i, int64_t qty, struct duka_err *err)
{
	struct cart_line save;
	int rc;

	if ((rc = check_index(c, i, err)) != DUKA_OK ||
	    (rc = check_qty(c->line[i].name, c->line[i].unit, qty, err)) !=
	    DUKA_OK)
		return rc;
	memcpy(&save, &c->line[i], sizeof save);
	c->line[i].qty = qty;
	return settle_line(c, i, &save, err);
}

/* Take line i off the sale. */
int
cart_remove_line(struct cart *c, int i, struct duka_err *err)
{
	struct cart_line save;
	size_t after;
	int rc;

	if ((rc = check_index(c, i, err)) != DUKA_OK)
		return rc;
	after = (size_t)(c->n - i - 1);
	memcpy(&save, &c->line[i], sizeof save);
	memmove(&c->line[i], &c->line[i + 1], after * sizeof save);
	c->n--;
	if ((rc = recompute(c, err)) != DUKA_OK) {
		/* Only a sale discount larger than what is left gets here. */
		memmove(&c->line[i + 1], &c->line[i], after * sizeof save);
		memcpy(&c->line[i], &save, sizeof save);
		c->n++;
		restore(c);
		return rc;
	}
	changed(c);
	return DUKA_OK;
}

/* Refuse a negative discount amount. */
static int
check_amount(int64_t cents, struct duka_err *err)
{
	char a[MONEY_MAX_TEXT];

	if (cents >= 0)
		return DUKA_OK;
	money_format(cents, a, sizeof a);
	return duka_fail(err, DUKA_EINPUT,
	    _("A discount of %s is not allowed; it must be 0 or more."), a);
}

/* Refuse a discount percentage outside 0..100. */
static int
check_bp(int64_t bp, struct duka_err *err)
{
	char a[MONEY_MAX_TEXT];

	if (bp >= 0 && bp <= 10000)
		return DUKA_OK;
	format_bp(bp, a, sizeof a);
	return duka_fail(err, DUKA_EINPUT,
	    _("A discount of %s%% is not allowed; it must be between 0 and "
	    "100%%."), a);
}

/* Set line i's discount in cents. */
int
cart_line_discount_amount(struct cart *c, int i, int64_t cents,
    struct duka_err *err)
{
	struct cart_line save;
	int rc;

	if ((rc = check_index(c, i, err)) != DUKA_OK ||
	    (rc = check_amount(cents, err)) != DUKA_OK)
		return rc;
	memcpy(&save, &c->line[i], sizeof save);
	c->line[i].disc_amount = cents;
	c->line[i].disc_bp = 0;
	return settle_line(c, i, &save, err);
}

/* Set line i's discount in basis points. */
int
cart_line_discount_percent(struct cart *c, int i, int64_t bp,
    struct duka_err *err)
{
	struct cart_line save;
	int rc;

	if ((rc = check_index(c, i, err)) != DUKA_OK ||
	    (rc = check_bp(bp, err)) != DUKA_OK)
		return rc;
	memcpy(&save, &c->line[i], sizeof save);
	c->line[i].disc_amount = 0;
	c->line[i].disc_bp = bp;
	return settle_line(c, i, &save, err);
}

/* Charge another unit price on line i, or go back to the shelf price. */
int
cart_price_override(struct cart *c, int i, int64_t cents,
    struct duka_err *err)
{
	struct cart_line save;
	char nm[NAME_BUF], a[MONEY_MAX_TEXT], max[MONEY_MAX_TEXT];
	int rc;

	if ((rc = check_index(c, i, err)) != DUKA_OK)
		return rc;
	if (cents != CART_NO_OVERRIDE && (cents < 0 || cents > CART_PRICE_MAX)) {
		short_name(c->line[i].name, nm, sizeof nm);
		money_format(cents, a, sizeof a);
		money_format(CART_PRICE_MAX, max, sizeof max);
		return duka_fail(err, DUKA_EINPUT,
		    _("Line %d (%s): a price of %s is not allowed; it must be "
		    "between 0.00 and %s."), i + 1, nm, a, max);
	}
	memcpy(&save, &c->line[i], sizeof save);
	c->line[i].override = cents;
	return settle_line(c, i, &save, err);
}

/* Set the sale discount to amount or bp (the other 0), or undo it. */
static int
set_sale_discount(struct cart *c, int64_t amount, int64_t bp,
    struct duka_err *err)
{
	int64_t old_amount = c->sale_disc_amount, old_bp = c->sale_disc_bp;
	int rc;

	c->sale_disc_amount = amount;
	c->sale_disc_bp = bp;
	if ((rc = recompute(c, err)) != DUKA_OK) {
		c->sale_disc_amount = old_amount;
		c->sale_disc_bp = old_bp;
		restore(c);
		return rc;
	}
	changed(c);
	return DUKA_OK;
}

/* A discount in cents on the whole sale. */
int
cart_sale_discount_amount(struct cart *c, int64_t cents,
    struct duka_err *err)
{
	int rc;

	if ((rc = check_amount(cents, err)) != DUKA_OK)
		return rc;
	return set_sale_discount(c, cents, 0, err);
}

/* A discount in basis points on the whole sale. */
int
cart_sale_discount_percent(struct cart *c, int64_t bp, struct duka_err *err)
{
	int rc;

	if ((rc = check_bp(bp, err)) != DUKA_OK)
		return rc;
	return set_sale_discount(c, 0, bp, err);
}

/*
 * Whether reduction off shelf is more than bp of it. Exact: with
 * q = floor(shelf x bp / 10000), reduction > shelf x bp / 10000 exactly
 * when reduction > q, as reduction is whole.
 */
static int
over_limit(int64_t reduction, int64_t shelf, int64_t bp)
{
	return reduction > 0 && reduction > percent_floor(shelf, bp);
}

/* The totals, and the limits the cart goes past with their reasons. */
void
cart_totals(const struct cart *c, const struct settings *s,
    struct cart_totals *out)
{
	const struct cart_line *l;
	char nm[NAME_BUF], a[MONEY_MAX_TEXT], b[MONEY_MAX_TEXT];
	char pct[MONEY_MAX_TEXT], lim[MONEY_MAX_TEXT];
	int64_t reduction, bp = s->max_discount_bp;
	int i, first = -1, count = 0;
	size_t len;

	memset(out, 0, sizeof *out);
	out->sum = c->sum;
	out->lines = c->n;
	out->approved = c->approved;
	format_bp(bp, lim, sizeof lim);

	/* A line's own reduction: price override and line discount. */
	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		reduction = l->shelf_gross - (l->gross - l->line_discount);
		if (over_limit(reduction, l->shelf_gross, bp)) {
			if (first < 0)
				first = i;
			count++;
		}
	}
	if (first >= 0) {
		l = &c->line[first];
		reduction = l->shelf_gross - (l->gross - l->line_discount);
		short_name(l->name, nm, sizeof nm);
		format_bp(ratio_bp_ceil(reduction, l->shelf_gross), pct,
		    sizeof pct);
		out->needs |= CART_NEED_LINE_DISCOUNT;
		snprintf(out->reason[0], CART_REASON_MAX,
		    _("Line %d (%s) is %s%% below its shelf price; the limit "
		    "is %s%%."), first + 1, nm, pct, lim);
		if (count > 1) {
			len = strlen(out->reason[0]);
			snprintf(out->reason[0] + len, CART_REASON_MAX - len,
			    ngettext(" %d more line is too.",
			    " %d more lines are too.", count - 1), count - 1);
		}
	}

	/*
	 * The whole sale, once a sale discount is given: it may push lines
	 * within the limit past it. Without one, the sale's reduction is a
	 * weighted mean of the lines', so any excess is a line's.
	 */
	reduction = c->sum.shelf_gross - c->sum.total;
	if (c->sum.sale_discount > 0 &&
	    over_limit(reduction, c->sum.shelf_gross, bp)) {
		money_format(reduction, a, sizeof a);
		format_bp(ratio_bp_ceil(reduction, c->sum.shelf_gross), pct,
		    sizeof pct);
		out->needs |= CART_NEED_SALE_DISCOUNT;
		snprintf(out->reason[1], CART_REASON_MAX,
		    _("Discounts on the sale come to %s, %s%% below shelf "
		    "prices; the limit is %s%%."), a, pct, lim);
	}

	if (c->n > s->max_sale_lines) {
		out->needs |= CART_NEED_MAX_LINES;
		snprintf(out->reason[2], CART_REASON_MAX,
		    _("The sale has %d lines; more than %lld need approval."),
		    c->n, (long long)s->max_sale_lines);
	}
	/* An empty cart is refused on its own; it needs no approval. */
	if (c->n > 0 && c->sum.total < s->min_sale_cents) {
		money_format(c->sum.total, a, sizeof a);
		money_format(s->min_sale_cents, b, sizeof b);
		out->needs |= CART_NEED_MIN_SALE;
		snprintf(out->reason[3], CART_REASON_MAX,
		    _("The sale total %s is below the smallest sale, %s."), a,
		    b);
	}
	if (c->sum.total > s->max_sale_cents) {
		money_format(c->sum.total, a, sizeof a);
		money_format(s->max_sale_cents, b, sizeof b);
		out->needs |= CART_NEED_MAX_SALE;
		snprintf(out->reason[4], CART_REASON_MAX,
		    _("The sale total %s is above the largest sale, %s."), a,
		    b);
	}
}

/* Record who approved the cart as it stands. */
int
cart_approve(struct cart *c, const char *who, struct duka_err *err)
{
	char nm[NAME_BUF];

	if (who == NULL || *who == '\0')
		return duka_fail(err, DUKA_EINPUT, "%s",
		    _("Say who approves the sale."));
	if (strlen(who) >= CART_WHO_MAX) {
		short_name(who, nm, sizeof nm);
		return duka_fail(err, DUKA_EINPUT,
		    _("The name \"%s\" is too long for an approval; at most "
		    "%d bytes."), nm, CART_WHO_MAX - 1);
	}
	memset(c->approved_by, 0, sizeof c->approved_by);
	memcpy(c->approved_by, who, strlen(who));
	c->approved = 1;
	return DUKA_OK;
}

/* Whether the cart may be sold now. */
int
cart_check_commit(const struct cart *c, const struct settings *s,
    struct duka_err *err)
{
	struct cart_totals t;
	char why[CART_NEEDS * CART_REASON_MAX];
	size_t len = 0;
	int k;

	if (c->n == 0)
		return duka_fail(err, DUKA_EINPUT, "%s",
		    _("The sale has no items."));
	cart_totals(c, s, &t);
	if (t.needs == 0 || c->approved)
		return DUKA_OK;
	why[0] = '\0';
	for (k = 0; k < CART_NEEDS && len < sizeof why; k++) {
		if (!(t.needs & (1u << k)))
			continue;
		len += (size_t)snprintf(why + len, sizeof why - len, "%s%s",
		    len > 0 ? " " : "", t.reason[k]);
	}
	return duka_fail(err, DUKA_EINPUT,
	    _("This sale needs a supervisor's approval. %s"), why);
}
