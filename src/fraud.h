/*
 * fraud.h - the fraud guard: patterns in a shift that the owner should
 * look at. Read-only; owns no table.
 *
 * Per shift and per user (the attendant who rang it up):
 *   voids       lines voided before commit, at least max_voids of them
 *   refunds     refunds given, at least max_refunds of them
 *   discount    one sale whose discounts exceed discount_bp of its shelf
 *               price (by default [limits] max_discount_percent: every
 *               sale that needed a manager's approval for its discount)
 *   no-sale     the drawer opened without a sale, at least max_no_sale
 * and, for the range, every user locked after wrong PINs.
 *
 * The dashboard (the till's manager screen), "duka audit alerts" and the
 * export's Alerts sheet all call fraud_alerts(), so they agree.
 */
#ifndef DUKA_FRAUD_H
#define DUKA_FRAUD_H

#include <stdint.h>

#include "date.h"
#include "db.h"
#include "settings.h"
#include "status.h"

struct fraud_limits {
	int64_t max_voids;		/* default 5 a shift */
	int64_t max_refunds;		/* default 3 a shift */
	int64_t discount_bp;		/* default: cfg max_discount_bp */
	int64_t max_no_sale;		/* default 3 a shift */
};

/* The defaults above; cfg may be NULL (then 10%). */
void fraud_limits_default(struct fraud_limits *l, const struct settings *cfg);

/* Which part of the ledger to look at: one shift, or UTC time stamps
 * from (inclusive) to to (exclusive), "" for no bound. */
struct fraud_range {
	int64_t shift_id;		/* 0: use from/to */
	char from[TIMESTAMP_LEN];
	char to[TIMESTAMP_LEN];
};

enum fraud_kind {
	FRAUD_VOIDS, FRAUD_REFUNDS, FRAUD_DISCOUNT, FRAUD_NO_SALE,
	FRAUD_LOCKOUT,
};

struct fraud_alert {
	enum fraud_kind kind;
	int64_t shift_id;		/* 0 for a lockout */
	char user[65];
	int64_t count;			/* voids, refunds, openings; 1 else */
	int64_t amount;			/* cents: voided, refunded, discount */
	int64_t sale_id;		/* FRAUD_DISCOUNT: the sale */
	char at[TIMESTAMP_LEN];		/* the last event */
	char text[256];			/* translated, one line */
};

/* "voids", "refunds", "discount", "no-sale", "lockout". */
const char *fraud_kind_name(enum fraud_kind k);

/*
 * Call fn for each alert in r, by kind, then shift, then user. fn returns
 * non-zero to stop (not an error). l NULL: the defaults for cfg.
 */
int fraud_alerts(struct db *db, const struct fraud_range *r,
    const struct fraud_limits *l, const struct settings *cfg,
    int (*fn)(void *ctx, const struct fraud_alert *a), void *ctx,
    struct duka_err *err);

#endif
