/*
 * shift.h - a till's shifts: open with a cash float, cash paid in and out,
 * the X report at any time and the Z report that closes the shift.
 *
 * Owns the tables shifts and cash_movements. Selling needs an open shift;
 * one shift at most is open per till. Z numbers are sequential per till.
 */
#ifndef DUKA_SHIFT_H
#define DUKA_SHIFT_H

#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "money.h"
#include "sale.h"
#include "status.h"

enum cash_kind { CASH_PAY_IN, CASH_PAY_OUT, CASH_NO_SALE };

/* Open a shift on till with a float (cents >= 0); one open shift a till. */
int shift_open(struct db *db, const char *till_id, int64_t float_cash,
    const char *user, int64_t *shift_id, struct duka_err *err);
/* The open shift of till; DUKA_ENOTFOUND with "open a shift first". */
int shift_current(struct db *db, const char *till_id, int64_t *shift_id,
    struct duka_err *err);
/* Cash paid in or out of the drawer (amount > 0), or a drawer opened
 * without a sale (amount 0); a reason is required for each. */
int shift_cash(struct db *db, const char *till_id, enum cash_kind kind,
    int64_t amount, const char *reason, const char *user,
    struct duka_err *err);

/*
 * Record a line rung up and then removed before the sale was committed
 * (the till screen calls this when a line is voided).
 */
int shift_void_record(struct db *db, const char *till_id, int64_t product_id,
    int64_t qty, int64_t amount, const char *user, struct duka_err *err);

struct shift_report {
	int64_t shift_id;
	char till_id[32];
	int64_t z_number;		/* 0 while open */
	char opened_at[32], closed_at[32];
	char opened_by[64], closed_by[64];
	int64_t float_cash;
	int64_t sales, refunds;		/* counts */
	int64_t awaiting;		/* sales awaiting payment */
	int64_t gross;			/* sales at shelf prices */
	int64_t discounts, discount_count;
	int64_t sales_total;		/* takings of sales, VAT incl. */
	int64_t refunds_total;		/* refunds, negative */
	int64_t net_total;		/* sales_total + refunds_total */
	int64_t by_method[PAY_METHODS];	/* paid, net of refunds */
	int64_t pending_total;		/* payments still pending */
	int64_t tax_amount[3], tax_vat[3];	/* by enum tax_class */
	int64_t pay_in, pay_out, no_sales;
	int64_t voids;			/* lines removed before commit */
	int64_t voids_total;		/* what those lines came to */
	int64_t expected_cash;		/* float + cash - refunds + in - out */
	int64_t counted_cash;		/* Z only */
	int64_t difference;		/* counted - expected, Z only */
};

/* X report of a shift (open or closed), from the ledger. */
int shift_report(struct db *db, int64_t shift_id, struct shift_report *r,
    struct duka_err *err);
/* The shift that Z report number z of till closed; DUKA_ENOTFOUND if none
 * (for reprinting a Z with shift_report). */
int shift_find_z(struct db *db, const char *till_id, int64_t z,
    int64_t *shift_id, struct duka_err *err);
/*
 * Write the X or Z report r as text to fp: reprint marks a Z printed
 * again. width 0 is the layout for a terminal (labels and amounts in
 * columns, 60 wide); 32, 42 or 48 lay it out for a till slip of that
 * many columns (an amount that does not fit beside its label goes on the
 * next line). Used by duka shift and the till's shift screen alike.
 */
void shift_report_write(FILE *fp, const struct shift_report *r, int reprint,
    int width);

/* Close the open shift of till with the cash counted: the Z report. */
int shift_close(struct db *db, const char *till_id, int64_t counted_cash,
    const char *user, struct shift_report *r, struct duka_err *err);

#endif
