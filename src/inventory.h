/*
 * inventory.h - what is on the shelves: stock status per product, listings
 * with filters and sorting, alerts and the shop summary.
 *
 * Read-only: owns no table. Statuses are computed from products and
 * batches at the moment of asking, against the shop's business day.
 */
#ifndef DUKA_INVENTORY_H
#define DUKA_INVENTORY_H

#include <stdint.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "status.h"

/* Status flags; a product with none is "ok". */
enum stock_status {
	STATUS_LOW = 1,		/* at or below its reorder level */
	STATUS_OUT = 2,		/* zero or below */
	STATUS_NEAR_EXPIRY = 4,	/* a batch expires within near_expiry_days */
	STATUS_EXPIRED = 8,	/* a batch with stock is past its expiry */
};

/* "ok", "low", "out", "expiring", "expired": the most urgent flag. */
const char *stock_status_name(int flags);
/* Translated label of the most urgent flag, for screens and reports. */
const char *stock_status_label(int flags);
/* Parse "low", "out", "expiring" (or "near-expiry"), "expired", "ok". */
int stock_status_parse(const char *text, int *flag, struct duka_err *err);

enum inventory_sort {
	SORT_NAME, SORT_CATEGORY, SORT_STATUS, SORT_EXPIRY, SORT_VALUE,
	SORT_QTY, SORT_SKU,
};
int inventory_sort_parse(const char *text, enum inventory_sort *s,
    struct duka_err *err);

struct inventory_filter {
	int status;			/* flags to match (any); 0 = all; -1 = only ok */
	int64_t category_id;		/* 0 = all */
	enum inventory_sort sort;
	int descending;
	int include_inactive;
	int64_t near_expiry_days;
	const char *today;		/* NULL = today */
};

struct inventory_row {
	int64_t id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	char category[CATEGORY_NAME_MAX];
	enum product_unit unit;
	int64_t qty;			/* thousandths */
	int64_t reorder_level;
	int64_t price, cost;		/* cents per unit */
	int64_t value_at_cost;		/* cents; 0 when qty <= 0 */
	int64_t value_at_price;
	char next_expiry[DATE_LEN];	/* earliest expiry with stock, or "" */
	int status;			/* enum stock_status flags */
	int active;
};

/* Call fn for each product that passes filter, in the asked order; fn
 * returns non-zero to stop early. */
int inventory_list(struct db *db, const struct inventory_filter *filter,
    int (*fn)(void *ctx, const struct inventory_row *row), void *ctx,
    struct duka_err *err);

/* The ids of the products inventory_list would give, in its order: for a
 * screen that keeps the order of a long listing and reads the rows it
 * shows with inventory_get. fn returns non-zero to stop early. */
int inventory_list_ids(struct db *db, const struct inventory_filter *filter,
    int (*fn)(void *ctx, int64_t id), void *ctx, struct duka_err *err);

/*
 * One product's row as inventory_list would give it (whatever its state
 * or category): for screens that keep only the ids of a long listing and
 * read the rows they show. near_expiry_days and today as in the filter.
 * DUKA_ENOTFOUND when there is no such product.
 */
int inventory_get(struct db *db, int64_t product_id, int64_t near_expiry_days,
    const char *today, struct inventory_row *row, struct duka_err *err);

enum alert_kind {
	ALERT_LOW, ALERT_OUT, ALERT_NEAR_EXPIRY, ALERT_EXPIRED, ALERT_NEGATIVE,
};
const char *alert_kind_name(enum alert_kind k);

struct alert {
	enum alert_kind kind;
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	int64_t qty;			/* stock, or the batch's quantity */
	int64_t batch_id;		/* expiry alerts; else 0 */
	char expiry[DATE_LEN];		/* expiry alerts; else "" */
	int64_t days_left;		/* expiry alerts: negative when past */
};

/* Every current alert: low, out, near expiry, expired batches and products
 * sold below zero (stock < 0). */
int inventory_alerts(struct db *db, int64_t near_expiry_days,
    const char *today, void (*fn)(void *ctx, const struct alert *a),
    void *ctx, struct duka_err *err);

struct inventory_summary {
	int64_t products, categories;
	int64_t value_at_cost, value_at_price;
	int64_t low, out, near_expiry, expired, negative;
};
int inventory_summary(struct db *db, int64_t near_expiry_days,
    struct inventory_summary *s, struct duka_err *err);

#endif
