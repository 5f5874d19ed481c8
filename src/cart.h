/*
 * cart.h - the sale being rung up: its lines, discounts and totals.
 *
 * Pure data, no database: the caller finds a product (catalog_product_find)
 * and hands it to cart_add; the sale module later writes the cart out.
 *
 * A cart always holds its computed amounts: every change recomputes every
 * line and the totals, and a change that cannot be computed (an amount too
 * large, a discount larger than its line or the sale) is refused with a
 * translated message naming the value and leaves the cart exactly as it was.
 * So the amounts in the lines and what cart_totals reports are always
 * current and always add up (the invariants are listed in cart.c).
 *
 * Money is in cents, quantities in thousandths, percentages in basis points.
 * Prices are tax-inclusive. Line indexes are 0-based here; messages number
 * lines from 1, as the screen and the receipt do.
 *
 * Limits from the settings (discount percent, number of lines, smallest and
 * largest sale) do not refuse a change: cart_totals reports which are
 * exceeded and cart_check_commit refuses until cart_approve has been called.
 * Any change to the cart withdraws an approval, because what was approved
 * is no longer what would be sold.
 */
#ifndef DUKA_CART_H
#define DUKA_CART_H

#include <stdint.h>

#include "catalog.h"
#include "money.h"
#include "settings.h"
#include "status.h"

/* The most lines one sale can hold, approved or not: the largest max_lines
 * that duka.conf accepts. */
#define CART_MAX_LINES 10000
/* The most one line can hold: 100,000 units, in thousandths. */
#define CART_QTY_MAX INT64_C(100000000)
/* No price override on the line. */
#define CART_NO_OVERRIDE (-1)
/* The highest price an override may set, as the catalogue's: KSh 10 million. */
#define CART_PRICE_MAX INT64_C(1000000000)
/* Room for the name of whoever approved the sale, and the NUL. */
#define CART_WHO_MAX 64
/* Room for one approval reason. */
#define CART_REASON_MAX 320
/* Tax classes, for the per-class breakdown indexed by enum tax_class. */
#define CART_TAX_CLASSES 3

struct cart_line {
	/* Copied from the product when it was scanned. */
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	enum product_unit unit;
	enum tax_class tax;
	int64_t price;		/* shelf price per unit, cents */

	/* Set through the cart_* functions only. */
	int64_t qty;		/* thousandths, > 0 */
	int64_t override;	/* price per unit charged instead, or
				   CART_NO_OVERRIDE */
	int64_t disc_amount;	/* line discount in cents, or 0 */
	int64_t disc_bp;	/* line discount in basis points, or 0;
				   never both set */

	/* Computed after every change; read only. */
	int64_t shelf_gross;	/* price x qty */
	int64_t gross;		/* (override or price) x qty */
	int64_t line_discount;	/* cents taken off by the line discount */
	int64_t sale_discount;	/* this line's share of the sale discount */
	int64_t amount;		/* what the customer pays: gross -
				   line_discount - sale_discount, VAT incl. */
	int64_t vat;		/* VAT in amount */
	int64_t net;		/* amount - vat */
};

/* One tax class of the breakdown. */
struct cart_tax_sum {
	int lines;		/* lines of this class */
	int64_t amount;		/* paid, VAT included */
	int64_t vat;
	int64_t net;		/* amount - vat */
};

/* The cart's totals; every field is a sum over the lines. */
struct cart_sums {
	int64_t shelf_gross;	/* at shelf prices, before anything */
	int64_t gross;		/* after price overrides */
	int64_t line_discounts;
	int64_t sale_discount;	/* the whole-sale discount, in cents */
	int64_t total;		/* to pay: gross - line_discounts -
				   sale_discount */
	int64_t vat;
	int64_t net;		/* total - vat */
	struct cart_tax_sum tax[CART_TAX_CLASSES];
};

struct cart_rank;

/*
 * The cart. Read anything; change it only through the functions below.
 * Made by cart_new, freed by cart_free.
 */
struct cart {
	int n;			/* lines in use */
	struct cart_line *line;	/* line[0] .. line[n - 1] */
	int64_t sale_disc_amount;	/* whole-sale discount, cents, or 0 */
	int64_t sale_disc_bp;	/* or basis points; never both set */
	int approved;		/* cart_approve was called since the last
				   change */
	char approved_by[CART_WHO_MAX];
	struct cart_sums sum;	/* computed after every change */

	/* Private. */
	int cap;
	struct cart_rank *rank;	/* scratch for spreading the sale discount */
};

/* Limits a cart can exceed, as bits of cart_totals.needs. */
enum cart_need {
	CART_NEED_LINE_DISCOUNT = 1 << 0,	/* a line is too far below its
						   shelf price */
	CART_NEED_SALE_DISCOUNT = 1 << 1,	/* the whole sale is */
	CART_NEED_MAX_LINES = 1 << 2,
	CART_NEED_MIN_SALE = 1 << 3,
	CART_NEED_MAX_SALE = 1 << 4,
};
#define CART_NEEDS 5

struct cart_totals {
	struct cart_sums sum;
	int lines;
	unsigned needs;		/* enum cart_need bits exceeded */
	int approved;		/* the cart is approved */
	/* Translated reason for each bit k of needs set (1 << k), else "". */
	char reason[CART_NEEDS][CART_REASON_MAX];
};

/* An empty cart, or NULL when out of memory. Free it with cart_free. */
struct cart *cart_new(void);
void cart_free(struct cart *c);

/* Empty the cart: no lines, no sale discount, no approval. */
void cart_clear(struct cart *c);

/*
 * Add qty (thousandths) of product p. A product sold by the piece scanned
 * again adds to its line when that line has no discount and no override and
 * still has the same price; a weighed item (kg, litre) always gets a line
 * of its own, because each weighing is a parcel of its own. Refused: an
 * inactive or unsaved product, qty <= 0, a fraction of a piece, more than
 * CART_QTY_MAX on a line, a full cart, an amount too large.
 */
int cart_add(struct cart *c, const struct product *p, int64_t qty,
    struct duka_err *err);
/* Change the quantity of line i (same rules as cart_add). */
int cart_set_qty(struct cart *c, int i, int64_t qty, struct duka_err *err);
/* Take line i off; the lines after it move up. */
int cart_remove_line(struct cart *c, int i, struct duka_err *err);

/* Line discount of cents (0 removes it); replaces a percent discount. */
int cart_line_discount_amount(struct cart *c, int i, int64_t cents,
    struct duka_err *err);
/* Line discount of bp basis points, 0..10000; replaces an amount. */
int cart_line_discount_percent(struct cart *c, int i, int64_t bp,
    struct duka_err *err);
/* Charge cents per unit on line i instead of the shelf price: 0 ..
 * CART_PRICE_MAX, or CART_NO_OVERRIDE to go back to the shelf price. */
int cart_price_override(struct cart *c, int i, int64_t cents,
    struct duka_err *err);

/*
 * Whole-sale discount, spread over the lines in proportion to what they
 * cost after their own discounts. Amount: cents (0 removes it), at most
 * the sale. Percent: 0..10000 basis points of the sale.
 */
int cart_sale_discount_amount(struct cart *c, int64_t cents,
    struct duka_err *err);
int cart_sale_discount_percent(struct cart *c, int64_t bp,
    struct duka_err *err);

/*
 * The totals, and which limits of s the cart exceeds, each with its
 * reason. Cannot fail: the cart's amounts were computed when it changed.
 * The discount limit (max_discount_bp) is checked exactly, without
 * rounding: on each line against what its override and line discount take
 * off its shelf price; on the whole sale, once it has a sale discount,
 * against everything taken off shelf prices, so that a sale discount on
 * top of line discounts cannot slip past the limit.
 */
void cart_totals(const struct cart *c, const struct settings *s,
    struct cart_totals *out);

/* Record that who (a user name) approved the cart as it is now. */
int cart_approve(struct cart *c, const char *who, struct duka_err *err);

/*
 * DUKA_OK when the cart may be sold: it has a line, and it exceeds no
 * limit of s or it was approved. Else DUKA_EINPUT with the reasons.
 */
int cart_check_commit(const struct cart *c, const struct settings *s,
    struct duka_err *err);

#endif
