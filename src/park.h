/*
 * park.h - carts put aside to serve the next customer, and taken up again.
 *
 * A parked cart lives in the database (table parked_carts, a JSON copy of
 * its lines and discounts), so a crash or a power cut between parking and
 * resuming loses nothing. Resuming rebuilds the cart through the cart API
 * from what was parked, prices as they were then (no catalogue lookup),
 * and removes the parked copy in the same transaction: a cart is resumed
 * once, and if it cannot be rebuilt it stays parked.
 *
 * An approval (cart_approve) is not parked: any change withdraws one, and
 * the resumed cart is asked for it again if it still exceeds a limit.
 */
#ifndef DUKA_PARK_H
#define DUKA_PARK_H

#include <stdint.h>

#include "cart.h"
#include "date.h"
#include "db.h"
#include "status.h"

/* A label of at most 60 characters of up to 4 UTF-8 bytes, and the NUL. */
#define PARK_LABEL_MAX 244

/* One parked cart, for a list to choose from. */
struct parked_cart {
	int64_t id;
	char till_id[32];
	char label[PARK_LABEL_MAX];	/* "" when none */
	char user[65];			/* who parked it; "" when unknown */
	char parked_at[TIMESTAMP_LEN];	/* UTC */
	int lines;
	int64_t total;			/* cents, as parked */
};

/*
 * Park cart c (at least one line) on till_id with an optional label
 * (NULL or "": none; else 1 to 60 characters) and set *id (if not NULL).
 * The cart itself is not changed: the caller clears it to serve the next
 * customer.
 */
int park_save(struct db *db, const char *till_id, const char *user,
    const char *label, const struct cart *c, int64_t *id,
    struct duka_err *err);

/* Call fn for each cart parked on till_id (NULL: every till), oldest
 * first. */
int park_list(struct db *db, const char *till_id,
    void (*fn)(void *ctx, const struct parked_cart *p), void *ctx,
    struct duka_err *err);

/*
 * Take parked cart id up again into out, which must be empty (finish or
 * park the sale on screen first), and delete the parked copy. On failure
 * out is empty again and the cart stays parked. DUKA_ENOTFOUND for an id
 * that is not parked (resumed or dropped already).
 */
int park_resume(struct db *db, int64_t id, struct cart *out,
    struct duka_err *err);

/* Throw a parked cart away; DUKA_ENOTFOUND if it is not parked. */
int park_drop(struct db *db, int64_t id, struct duka_err *err);

#endif
