/*
 * order.h - purchase orders: what was ordered from a supplier and has not
 * arrived yet ("stock on order" for the reorder suggestions).
 *
 * Owns the tables purchase_orders and purchase_order_lines. An order holds
 * one line per product. The goods themselves come in through
 * stock_receive (a batch, a receive movement); order_receive does that
 * and marks the order's line in the same transaction. Every change writes
 * an order.changed outbox event (the whole order as it now is) and an
 * audit row in its own transaction. Order states:
 *
 *	(items) --order_add--> open --every line arrived--> received
 *	                       open --order_cancel--------> cancelled
 *
 * A received or cancelled order never changes again (the schema's
 * triggers refuse it). A line may receive more than was ordered, when the
 * supplier sends more; what is still on order never goes below 0.
 * Quantities are thousandths of the product's unit.
 */
#ifndef DUKA_ORDER_H
#define DUKA_ORDER_H

#include <stdint.h>

#include "catalog.h"
#include "check.h"
#include "date.h"
#include "db.h"
#include "status.h"
#include "stock.h"

/* The most lines one order may have, and the most of a product on one. */
#define ORDER_MAX_LINES 1000
#define ORDER_QTY_MAX INT64_C(1000000000)	/* a million units */
/* Room for the user name kept with an order. */
#define ORDER_USER_MAX 65

enum order_state { ORDER_OPEN, ORDER_RECEIVED, ORDER_CANCELLED };

/* "open", "received", "cancelled": as stored and in events. */
const char *order_state_name(enum order_state s);
/* Translated word for listings. */
const char *order_state_label(enum order_state s);

/* One product to order. */
struct order_item {
	int64_t product_id;
	int64_t qty;			/* thousandths, > 0 */
};

/*
 * Order items (n of them, 1..ORDER_MAX_LINES) from supplier_id. expected
 * is the date the goods should come ("" or NULL: not said), YYYY-MM-DD or
 * DD/MM/YYYY, not before today. Refused, writing nothing: an unknown
 * supplier or product (DUKA_ENOTFOUND), an inactive product, a product
 * given twice, a quantity not more than 0, above ORDER_QTY_MAX or a
 * fraction of a piece, a bad date. Sets *id when not NULL.
 */
int order_add(struct db *db, int64_t supplier_id, const char *expected,
    const struct order_item *items, int n, const char *user, int64_t *id,
    struct duka_err *err);

/* Cancel an open order: what has not arrived will not come. */
int order_cancel(struct db *db, int64_t order_id, const char *user,
    struct duka_err *err);

/*
 * Record that qty (> 0) of product_id arrived on open order order_id. The
 * stock is not touched: call it in the transaction of the stock_receive
 * that books the goods (order_receive does both). When every line has
 * arrived in full the order becomes received. Refused: an unknown order
 * (DUKA_ENOTFOUND), an order that is not open, a product not on it.
 */
int order_receive_line(struct db *db, int64_t order_id, int64_t product_id,
    int64_t qty, const char *user, struct duka_err *err);

/*
 * Receive r (stock_receive: a new batch) against order_id and mark the
 * order's line, in one transaction: both happen or neither. The batch's
 * supplier is the order's unless r names one. Sets *batch_id when not
 * NULL.
 */
int order_receive(struct db *db, int64_t order_id,
    const struct stock_receipt *r, int64_t *batch_id, struct duka_err *err);

/* An order, for listing and showing. */
struct order_info {
	int64_t id;
	int64_t supplier_id;
	char supplier[SUPPLIER_NAME_MAX];
	enum order_state state;
	char created_at[TIMESTAMP_LEN];
	char expected[DATE_LEN];	/* "" when not said */
	char closed_at[TIMESTAMP_LEN];	/* "" while open */
	char user[ORDER_USER_MAX];
	int64_t lines;
	int64_t lines_waiting;		/* lines not arrived in full */
};

/* Read order id; DUKA_ENOTFOUND (naming it) if there is none. */
int order_get(struct db *db, int64_t id, struct order_info *o,
    struct duka_err *err);

/*
 * Call fn for each order, newest first: only the open ones unless all is
 * set. fn returns non-zero to stop early.
 */
int order_list(struct db *db, int all,
    int (*fn)(void *ctx, const struct order_info *o), void *ctx,
    struct duka_err *err);

/* One line of an order. */
struct order_line {
	int line_no;			/* from 1 */
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	enum product_unit unit;
	int64_t qty;			/* ordered */
	int64_t qty_received;		/* arrived so far */
};

/* Call fn for each line of order id, in order; non-zero stops. An
 * unknown order is DUKA_ENOTFOUND. */
int order_lines(struct db *db, int64_t id,
    int (*fn)(void *ctx, const struct order_line *l), void *ctx,
    struct duka_err *err);

/* Stock of product_id still to come on open orders (>= 0). */
int order_on_order(struct db *db, int64_t product_id, int64_t *qty,
    struct duka_err *err);

/* duka check: a received order has every line in full, a line only of an
 * order that exists. */
int order_check(struct db *db, struct check_report *r, struct duka_err *err);

#endif
