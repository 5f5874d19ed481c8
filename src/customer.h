/*
 * customer.h - customers who buy on account: adding and finding them, and
 * the payments they make towards what they owe.
 *
 * Owns the tables customers and customer_payments. A sale on account
 * raises customers.balance (sale.c does that, in the sale's transaction,
 * within the credit limit); customer_pay lowers it. duka check proves that
 * each balance equals the account payments of its sales less its payments
 * made here (customer_check).
 *
 * Money is cents. A customer is never deleted: sales point to it.
 */
#ifndef DUKA_CUSTOMER_H
#define DUKA_CUSTOMER_H

#include <stdint.h>

#include "check.h"
#include "date.h"
#include "db.h"
#include "sale.h"
#include "status.h"

#define CUSTOMER_NAME_CHARS 80
#define CUSTOMER_NAME_MAX 324	/* 80 characters of up to 4 UTF-8 bytes */
#define CUSTOMER_PHONE_MAX 32
/* The highest credit limit: KSh 100 million, more is a typing slip. */
#define CUSTOMER_LIMIT_MAX INT64_C(10000000000)

struct customer {
	int64_t id;
	char name[CUSTOMER_NAME_MAX];
	char phone[CUSTOMER_PHONE_MAX];	/* "" when none */
	int64_t credit_limit;		/* cents, >= 0 */
	int64_t balance;		/* cents owed */
	int active;
	char created_at[TIMESTAMP_LEN];
};

/*
 * Add a customer. name: 1..80 characters of UTF-8 without control
 * characters (surrounding spaces dropped), unique whatever the case of its
 * ASCII letters. phone: "" or NULL for none, else digits and spaces with
 * an optional leading '+', 7 to 15 digits. credit_limit: 0 (cash only) to
 * CUSTOMER_LIMIT_MAX. Writes the customer, a customer.changed event and an
 * audit row in one transaction; sets *id when id is not NULL.
 */
int customer_add(struct db *db, const char *name, const char *phone,
    int64_t credit_limit, int64_t *id, struct duka_err *err);

/*
 * Find a customer by number (all digits: the id) or else by name (any
 * case of ASCII letters). Inactive customers are found too (c->active says
 * so). DUKA_ENOTFOUND with a message naming name_or_id otherwise.
 */
int customer_find(struct db *db, const char *name_or_id, struct customer *c,
    struct duka_err *err);

/* Call cb for every customer, by name. cb must not write to db. */
int customer_list(struct db *db,
    void (*cb)(void *ctx, const struct customer *c), void *ctx,
    struct duka_err *err);

/*
 * Record a payment of amount (cents, > 0, at most what the customer owes)
 * towards customer id's balance, by cash, M-PESA (reference: the
 * confirmation code, checked as mpesa_code_check does and never used
 * before, for a sale or an account), card or bank (reference: 1..64
 * characters). A cash reference is optional. Writes the payment, the new
 * balance, a customer.paid event and an audit row in one transaction; on
 * any failure nothing is written.
 */
int customer_pay(struct db *db, int64_t id, int64_t amount,
    enum pay_method method, const char *reference, const char *user,
    struct duka_err *err);

/* duka check: every balance equals the account sales less the payments. */
int customer_check(struct db *db, struct check_report *r,
    struct duka_err *err);

#endif
