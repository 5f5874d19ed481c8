/*
 * sale.h - committing a sale: tenders, payments, receipt numbers, stock,
 * the sale.completed event and the audit row, all in one transaction.
 *
 * Owns the tables sales, sale_lines, sale_allocations, payments and
 * receipt_counters (and parked_carts, see park_*).
 *
 * Sale states:
 *
 *	(cart) --sale_commit--> completed
 *	(cart) --sale_commit--> awaiting_payment --payment paid--> completed
 *
 * A sale is committed whole or not at all. It is "completed" only when
 * every payment is paid; a sale with a pending M-PESA payment is
 * "awaiting_payment", visible and reported as such, never as paid.
 * Money is cents; a refund is a sale of kind "refund" with negative
 * amounts, so that sums over sales are net takings.
 */
#ifndef DUKA_SALE_H
#define DUKA_SALE_H

#include <stdint.h>

#include "cart.h"
#include "check.h"
#include "db.h"
#include "settings.h"
#include "status.h"

enum pay_method {
	PAY_CASH, PAY_MPESA, PAY_CARD, PAY_BANK, PAY_ACCOUNT,
};
#define PAY_METHODS 5

/* "cash", "mpesa", "card", "bank", "account": stored and in events. */
const char *pay_method_name(enum pay_method m);
/* Translated label for receipts and reports ("Cash", "M-PESA", ...). */
const char *pay_method_label(enum pay_method m);
int pay_method_parse(const char *text, enum pay_method *m,
    struct duka_err *err);

#define PAY_REF_MAX 65
#define RECEIPT_TEXT_MAX 48

/*
 * One way the customer pays. amount 0 means "the rest" (at most one tender
 * may say so). For cash, amount is what was handed over; the change is
 * worked out. Non-cash tenders cannot exceed what is left to pay.
 */
struct tender {
	enum pay_method method;
	int64_t amount;
	char reference[PAY_REF_MAX];	/* M-PESA code; card/bank reference */
	int64_t customer_id;		/* on account */
	int pending;			/* M-PESA prompt not yet answered */
	char phone[16];			/* for a pending M-PESA prompt */
};

/*
 * Check an M-PESA confirmation code as the attendant keys it in: ten
 * letters and digits, starting with a letter (e.g. "QKT5ABC1XY"); written
 * to out in capitals.
 */
int mpesa_code_check(const char *text, char out[PAY_REF_MAX],
    struct duka_err *err);

struct sale_request {
	const struct cart *cart;
	const struct tender *tenders;
	int ntenders;
	const char *till_id;
	const char *user;
	/* The cart's identity: committing the same token twice makes one
	 * sale (the second call reports the first with duplicate set). */
	const char *cart_token;
	int64_t customer_id;		/* 0: none */
	int allow_expired;		/* a manager allowed an expired batch */
};

struct sale_result {
	int64_t sale_id;
	int64_t receipt_no;
	char receipt[RECEIPT_TEXT_MAX];	/* "TILL-000123" */
	int64_t total;
	int64_t paid;			/* applied by the tenders */
	int64_t change;			/* cash given back */
	int awaiting;			/* a payment is pending */
	int duplicate;			/* the token had been committed */
};

/*
 * Commit the cart as a sale. Needs an open shift on the till. Checks the
 * cart's limits (cart_check_commit), the tenders (they must cover the
 * total), M-PESA codes (format, not used before), account credit limits,
 * then writes everything in one transaction. On any failure nothing is
 * written and the cart is untouched, ready for a retry.
 */
int sale_commit(struct db *db, const struct sale_request *req,
    const struct settings *cfg, struct sale_result *res,
    struct duka_err *err);

/* "TILL-000123" for till and number. */
void sale_receipt_text(const char *till_id, int64_t no,
    char out[RECEIPT_TEXT_MAX]);
/*
 * Take the till's next receipt number (1, 2, 3...). Must run inside the
 * transaction that writes the sale or refund with it, so that a rollback
 * gives the number back: no gaps, no repeats.
 */
int sale_receipt_next(struct db *db, const char *till_id, int64_t *no,
    struct duka_err *err);
/* Parse "TILL-000123" (or a bare number for till_id); ENOTFOUND-free. */
int sale_receipt_parse(const char *text, const char *default_till,
    char till[32], int64_t *no, struct duka_err *err);

/* Find a sale's id by till and receipt number; DUKA_ENOTFOUND if none. */
int sale_find(struct db *db, const char *till_id, int64_t receipt_no,
    int64_t *sale_id, struct duka_err *err);

/* duka check: every sale whole (lines, payments, stock), receipt numbers
 * without gaps per till, totals equal to their lines. */
int sale_check(struct db *db, struct check_report *r, struct duka_err *err);

#endif
