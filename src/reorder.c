/*
 * reorder.c - reorder suggestions: recent sales times the days until the
 * next order can arrive, plus safety stock, less what is on hand and on
 * order, in whole packs. The formula is in reorder.h.
 *
 * One read-only query gathers every active product with its sales in the
 * window and its stock on order; the arithmetic is done here in int64
 * with overflow checks, because SQLite turns an integer overflow in an
 * expression into a floating-point value without a word.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "money.h"
#include "reorder.h"

/* need rounded up to a multiple of pack (> 0); 0 when need <= 0. */
static int
reorder_round_pack(int64_t need, int64_t pack, int64_t *out)
{
	int64_t packs;

	if (need <= 0) {
		*out = 0;
		return 0;
	}
	packs = need / pack + (need % pack != 0);
	return __builtin_mul_overflow(packs, pack, out) ? -1 : 0;
}

/*
 * Work out avg_daily and suggested of l from sold (thousandths in the
 * window) and the product's reorder level and quantity. -1 on overflow.
 */
static int
reorder_compute(struct reorder_line *l, int64_t sold, int64_t level,
    int64_t reorder_qty, const struct settings *cfg)
{
	int64_t window = cfg->reorder_window_days, days, num, den, target;
	int64_t position, need, floor_need;

	/* More refunded than sold in the window is no demand, not negative. */
	if (sold < 0)
		sold = 0;
	l->avg_daily = money_div_round(sold, window);
	days = l->lead_time_days + cfg->review_period_days;
	if (__builtin_mul_overflow(sold, days, &num) ||
	    __builtin_mul_overflow(num, 10000 + cfg->safety_stock_bp, &num))
		return -1;
	den = window * 10000;
	target = money_div_round(num, den);
	if (__builtin_add_overflow(l->on_hand, l->on_order, &position) ||
	    __builtin_sub_overflow(target, position, &need))
		return -1;
	/* Low by the reorder level: at least the usual order. */
	if (level > 0 && position <= level) {
		floor_need = reorder_qty > 0 ? reorder_qty : level - position;
		if (floor_need > need)
			need = floor_need;
	}
	return reorder_round_pack(need, l->pack_size, &l->suggested);
}

int
reorder_suggest(struct db *db, const struct settings *cfg,
    const char *today, int (*cb)(void *ctx, const struct reorder_line *l),
    void *ctx, struct duka_err *err)
{
	char day[DATE_LEN], from[DATE_LEN], to[DATE_LEN];
	struct reorder_line l;
	sqlite3_stmt *st;
	int64_t sold, level, rqty;
	int rc, stop = 0;

	if (cfg->reorder_window_days < 1 || cfg->reorder_window_days > 365 ||
	    cfg->review_period_days < 1 || cfg->review_period_days > 365 ||
	    cfg->safety_stock_bp < 0 || cfg->safety_stock_bp > 10000)
		return duka_fail(err, DUKA_EINPUT,
		    _("the reorder settings are out of range (window and "
		    "review period 1 to 365 days, safety stock 0 to 100%%)"));
	if (today == NULL)
		date_today(day);
	else if ((rc = date_parse(today, day, err)) != DUKA_OK)
		return rc;
	date_add_days(day, -cfg->reorder_window_days, from);
	date_add_days(day, -1, to);

	st = db_stmt(db, "SELECT p.id, p.sku, p.name, coalesce(s.name, ''), "
	    "p.stock_qty, coalesce(oo.qty, 0), coalesce(sold.qty, 0), "
	    "p.pack_size, CASE WHEN p.lead_time_days > 0 THEN p.lead_time_days "
	    "ELSE coalesce(s.lead_time_days, 0) END, "
	    "coalesce(p.reorder_date, ''), p.reorder_level, p.reorder_qty "
	    "FROM products p LEFT JOIN suppliers s ON s.id = p.supplier_id "
	    "LEFT JOIN (SELECT l.product_id, sum(CASE a.kind WHEN 'refund' "
	    "THEN -l.qty ELSE l.qty END) AS qty FROM sales a "
	    "JOIN sale_lines l ON l.sale_id = a.id "
	    "WHERE a.business_day BETWEEN ?1 AND ?2 GROUP BY l.product_id) "
	    "sold ON sold.product_id = p.id "
	    "LEFT JOIN (SELECT l.product_id, "
	    "sum(max(l.qty - l.qty_received, 0)) AS qty "
	    "FROM purchase_order_lines l JOIN purchase_orders o "
	    "ON o.id = l.order_id WHERE o.state = 'open' "
	    "GROUP BY l.product_id) oo ON oo.product_id = p.id "
	    "WHERE p.active = 1 "
	    "ORDER BY s.name IS NULL, s.name COLLATE NOCASE, "
	    "p.name COLLATE NOCASE, p.id", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		l.product_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, l.sku, sizeof l.sku);
		db_column_copy(st, 2, l.name, sizeof l.name);
		db_column_copy(st, 3, l.supplier, sizeof l.supplier);
		l.on_hand = sqlite3_column_int64(st, 4);
		l.on_order = sqlite3_column_int64(st, 5);
		sold = sqlite3_column_int64(st, 6);
		l.pack_size = sqlite3_column_int64(st, 7);
		l.lead_time_days = sqlite3_column_int64(st, 8);
		db_column_copy(st, 9, l.reorder_date, sizeof l.reorder_date);
		level = sqlite3_column_int64(st, 10);
		rqty = sqlite3_column_int64(st, 11);
		/* The schema keeps pack_size > 0; a damaged row is no reason
		 * to divide by zero. */
		if (l.pack_size <= 0)
			l.pack_size = 1000;
		l.due = l.reorder_date[0] != '\0' &&
		    strcmp(l.reorder_date, day) <= 0;
		if (reorder_compute(&l, sold, level, rqty, cfg) != 0) {
			db_done(st);
			return duka_fail(err, DUKA_EINPUT,
			    _("%s (SKU %s): the figures are too large to work "
			    "out a suggestion"), l.name, l.sku);
		}
		if (l.suggested > 0 || l.due)
			stop = cb(ctx, &l) != 0;
	}
	db_done(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading sales and stock for the "
		    "reorder suggestions"));
	return DUKA_OK;
}
