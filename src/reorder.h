/*
 * reorder.h - what to order: reorder suggestions from recent sales, lead
 * times, the stock on hand and the stock already on order.
 *
 * Reads only (products, suppliers, sales, purchase orders); writes
 * nothing. Integer arithmetic throughout: quantities are thousandths of
 * the product's unit, every rounding is half away from zero except the
 * pack rounding, which is always up.
 *
 * For each active product, with N = reorder_window_days, L its lead time
 * (the product's lead_time_days, else its supplier's, else 0),
 * R = review_period_days and S = safety_stock_bp:
 *
 *	sold       = quantity sold less quantity refunded on the N business
 *	             days before today (today - N .. today - 1), never < 0;
 *	             sales awaiting payment count (the goods have gone)
 *	avg_daily  = sold / N
 *	target     = sold * (L + R) * (10000 + S) / (N * 10000)
 *	need       = target - on_hand - on_order
 *	suggested  = need rounded up to a multiple of pack_size, or 0
 *	             when need <= 0
 *
 * (target is worked out from sold, not from the rounded avg_daily, so
 * that it is rounded once.) When the stock position (on hand plus on
 * order) is at or below a reorder level that is set (> 0), suggested is
 * at least the reorder quantity (or, without one, what brings the
 * position back to the level), rounded up to the pack: a product that
 * stopped selling because it ran out still gets ordered. A product is
 * listed when suggested > 0 or its reorder date has come (due); a due
 * product with nothing to order is listed with suggested 0.
 */
#ifndef DUKA_REORDER_H
#define DUKA_REORDER_H

#include <stdint.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "settings.h"
#include "status.h"

struct reorder_line {
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	char supplier[SUPPLIER_NAME_MAX];	/* "" when none */
	int64_t on_hand;		/* thousandths; < 0 when sold below 0 */
	int64_t on_order;		/* thousandths still to come */
	int64_t avg_daily;		/* thousandths per day, rounded half
					   away from zero */
	int64_t suggested;		/* thousandths, a multiple of pack_size */
	int64_t pack_size;		/* thousandths, > 0 */
	int64_t lead_time_days;		/* the one used */
	char reorder_date[DATE_LEN];	/* "" when none */
	int due;			/* the reorder date is today or past */
};

/*
 * Call cb for each product to order, by supplier name (products without a
 * supplier last), then product name; cb returns non-zero to stop early.
 * cfg gives reorder_window_days, review_period_days and safety_stock_bp;
 * today is "YYYY-MM-DD" (NULL: date_today()). Figures too large for
 * 64 bits are refused with DUKA_EINPUT naming the product.
 */
int reorder_suggest(struct db *db, const struct settings *cfg,
    const char *today, int (*cb)(void *ctx, const struct reorder_line *l),
    void *ctx, struct duka_err *err);

#endif
