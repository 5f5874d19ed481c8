/*
 * stock.h - the stock ledger: batches, movements, FEFO, stock take.
 *
 * Owns the tables batches, stock_movements, stock_counts and
 * stock_count_lines, and the cached products.stock_qty. The ledger is
 * append-only: every change of stock is a new movement, written together
 * with the batch it touches, the cached level and a stock.moved outbox
 * event in one transaction.
 *
 * Quantities are thousandths of the product's unit; money is cents.
 */
#ifndef DUKA_STOCK_H
#define DUKA_STOCK_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "check.h"
#include "date.h"
#include "db.h"
#include "status.h"

enum stock_reason {
	STOCK_RECEIVE, STOCK_SALE, STOCK_RETURN, STOCK_DAMAGE, STOCK_EXPIRY,
	STOCK_COUNT, STOCK_TRANSFER, STOCK_CORRECTION,
};

const char *stock_reason_name(enum stock_reason r);	/* as stored */
int stock_reason_parse(const char *text, enum stock_reason *r,
    struct duka_err *err);

/* What arrived from a supplier (seed "stock entry"). */
struct stock_receipt {
	int64_t product_id;
	int64_t qty;			/* thousandths, > 0 */
	char batch_no[65];		/* "" when none */
	char expiry[DATE_LEN];		/* "" when the goods do not expire */
	char received[DATE_LEN];	/* "" = today */
	int64_t unit_cost;		/* supplier price per unit; -1 = product's cost */
	int64_t new_price;		/* new shelf price; -1 = unchanged */
	char reorder_date[DATE_LEN];	/* "" = unchanged */
	int64_t supplier_id;		/* 0 = none */
	char reference[65];		/* delivery note number */
	const char *user;
	const char *note;
};
void stock_receipt_init(struct stock_receipt *r);

/*
 * Receive stock into a new batch; sets *batch_id when not NULL. Refuses
 * an unknown or inactive product, a received date in the future, an
 * expiry before the received date, and a missing expiry for a product
 * that tracks expiry. A given unit_cost becomes the product's cost. If
 * the product was sold below zero, a pair of correction movements (+the
 * deficit without a batch, -the deficit from the new batch) settles it:
 * the total is unchanged and the batch holds what is physically there.
 */
int stock_receive(struct db *db, const struct stock_receipt *r,
    int64_t *batch_id, struct duka_err *err);

/* Where FEFO took an outgoing quantity from. batch_id 0: no batch left
 * (sold below zero). */
struct stock_allocation {
	int64_t movement_id;		/* the movement written */
	int64_t batch_id;
	int64_t qty;			/* thousandths, > 0 */
	int64_t unit_cost;
	char expiry[DATE_LEN];
};

enum stock_take_flags {
	STOCK_ALLOW_EXPIRED = 1,	/* may take from expired batches */
	STOCK_ALLOW_NEGATIVE = 2,	/* may go below zero */
};

/* An outgoing quantity: a sale, a damage, a transfer... */
struct stock_issue {
	int64_t product_id;
	int64_t qty;			/* thousandths, > 0 */
	enum stock_reason reason;
	int64_t unit_price;		/* cents, the price sold at (0 if none) */
	int64_t batch_id;		/* 0: FEFO; else only this batch */
	int flags;			/* enum stock_take_flags */
	const char *reference;
	const char *user;
	const char *note;
	int no_event;			/* no stock.moved event: the caller's
					   own event (sale.completed) says it */
};

/*
 * Take an outgoing quantity out, first expiry first out (undated batches
 * last), writing one movement per batch touched. reason must be an
 * outgoing one (sale, damage, expiry, transfer, correction, count).
 *
 * The rule for expired batches (expiry date before today): without
 * STOCK_ALLOW_EXPIRED they are skipped and the quantity comes from the
 * good batches after them. If the good batches cannot cover it all while
 * expired stock is on record, the issue is refused, naming the product,
 * the batch and its date, even with STOCK_ALLOW_NEGATIVE: the records say
 * that what is on the shelf is expired, so the goods in hand are most
 * likely from that batch. Write the batch off first; after that an
 * oversold quantity goes below zero as usual. With STOCK_ALLOW_EXPIRED,
 * expired batches are taken like any other, first (they expire first).
 *
 * When the batches run out: a positive balance without a batch is taken
 * next; then, with STOCK_ALLOW_NEGATIVE, the rest is one movement without
 * a batch (stock goes below zero); without it the issue is refused ("only
 * X in stock"). A batch_id takes from that batch only, and never more
 * than it holds. Each movement's unit cost is its batch's (the product's
 * cost for no batch).
 *
 * alloc may be NULL; otherwise, when more than max allocations would be
 * needed, the issue is refused before anything is written. *n (if not
 * NULL) is set to the number of movements written.
 */
int stock_issue(struct db *db, const struct stock_issue *is,
    struct stock_allocation *alloc, int max, int *n, struct duka_err *err);

/*
 * Whether selling qty of a product now would take from an expired batch,
 * which a sale may do only with STOCK_ALLOW_EXPIRED (a manager's approval,
 * PERM_SELL_EXPIRED): *needs is 1 when the rule above would refuse the
 * sale for an expired batch, and why (n bytes, may be NULL) gets that
 * refusal's words. Reads only; the till asks before taking the money.
 */
int stock_sale_needs_expired(struct db *db, int64_t product_id, int64_t qty,
    int *needs, char *why, size_t n, struct duka_err *err);

/*
 * Put qty (> 0) of a product back into stock with reason return: into
 * batch_id, which must be the product's, or without a batch when batch_id
 * is 0 (what was sold below zero or from the balance without a batch).
 * The batch may have expired since: the goods came from it. Inactive
 * products take returns too. The movement's unit cost is the batch's (the
 * product's cost without a batch). no_event: the caller's own event (say
 * sale.refunded) carries the movement. Sets *movement_id when not NULL.
 */
int stock_return(struct db *db, int64_t product_id, int64_t batch_id,
    int64_t qty, const char *reference, const char *user, int no_event,
    int64_t *movement_id, struct duka_err *err);

/* Write off every expired batch with stock left (reason expiry). */
int stock_writeoff_expired(struct db *db, const char *user,
    int64_t *batches, int64_t *value_at_cost, struct duka_err *err);

/* One batch, for listings. */
struct stock_batch {
	int64_t id;
	int64_t product_id;
	char batch_no[65];
	char expiry[DATE_LEN];
	char received[DATE_LEN];
	int64_t unit_cost;
	int64_t qty_remaining;
};

/* Call fn for every batch of a product with stock left, in FEFO order. */
int stock_batches(struct db *db, int64_t product_id,
    void (*fn)(void *ctx, const struct stock_batch *b), void *ctx,
    struct duka_err *err);

/*
 * For stocktake.c only: a counted gain of qty (> 0) into a new batch
 * (batch_no, unit cost = the product's cost, no expiry) with reason count,
 * settling stock sold below zero as stock_receive does. Adds the number
 * of movements written to *movements and the value at cost to *value.
 */
int stock_count_gain(struct db *db, int64_t product_id, int64_t qty,
    const char *batch_no, const char *user, int64_t *movements,
    int64_t *value, struct duka_err *err);

/* Stock take. */
struct stocktake_result {
	int64_t lines;			/* movements written */
	int64_t gain_value;		/* cents at cost, >= 0 */
	int64_t loss_value;		/* cents at cost, >= 0 */
};
/* Open a count sheet for a category (0 = all active products). */
int stocktake_open(struct db *db, int64_t category_id, const char *user,
    int64_t *count_id, struct duka_err *err);
/* Record the counted quantity of a product on an open sheet. */
int stocktake_set(struct db *db, int64_t count_id, int64_t product_id,
    int64_t counted_qty, struct duka_err *err);
/*
 * Commit: one count movement per counted product whose count differs from
 * its stock now (a gain settling stock sold below zero adds a correction
 * pair, as in stock_receive), all in one transaction; uncounted products
 * are left alone. Committing a sheet that is not open is refused.
 */
int stocktake_commit(struct db *db, int64_t count_id, const char *user,
    struct stocktake_result *res, struct duka_err *err);
int stocktake_cancel(struct db *db, int64_t count_id, struct duka_err *err);

/* A count sheet, for showing it. */
struct stocktake_sheet {
	int64_t id;
	int64_t category_id;		/* 0: all products */
	char category[CATEGORY_NAME_MAX];
	char state[12];			/* "open", "committed", "cancelled" */
	char user[65];
	char started_at[TIMESTAMP_LEN];
	char committed_at[TIMESTAMP_LEN];	/* "" until committed */
	int64_t lines;			/* products on the sheet */
	int64_t counted;		/* of which counted */
};
int stocktake_get(struct db *db, int64_t count_id, struct stocktake_sheet *s,
    struct duka_err *err);
/* The newest sheet still open (left by an earlier run of the till, or by
 * duka stock count start), so that counting goes on where it stopped;
 * DUKA_ENOTFOUND when no sheet is open. */
int stocktake_latest_open(struct db *db, int64_t *count_id,
    struct duka_err *err);

/* One product on a count sheet. */
struct stocktake_line {
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	enum product_unit unit;
	int64_t stock_qty;		/* on record now */
	int64_t counted_qty;		/* -1: not counted yet */
};
/* Call fn for every product on a sheet, by name. */
int stocktake_lines(struct db *db, int64_t count_id,
    void (*fn)(void *ctx, const struct stocktake_line *l), void *ctx,
    struct duka_err *err);

/* duka check: cached levels equal the ledger; batches add up. */
int stock_check_levels(struct db *db, struct check_report *r,
    struct duka_err *err);
int stock_check_batches(struct db *db, struct check_report *r,
    struct duka_err *err);

#endif
