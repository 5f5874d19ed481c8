/*
 * refund.h - refunds and returns by receipt number: a whole sale or some
 * of its lines, the stock back into the batches it came from (or written
 * off as damaged), the money paid back, all in one transaction.
 *
 * A refund is a sale of its own, of kind "refund", with refund_of naming
 * the original, its own receipt number from the refunding till's counter,
 * and negative amounts (total, VAT, gross, discount; its lines keep a
 * positive quantity but negative amounts), so that sums over sales are
 * net takings. The original sale is never edited. Refund states:
 *
 *	(request) --refund_commit--> completed
 *
 * A refund is paid back at once (cash, an M-PESA reversal keyed in, a
 * card or bank reference, or the customer's account), so it never waits.
 *
 * What one line may still take back is what was sold less what earlier
 * refunds of the same line took. Amounts are pro rata of the original
 * line (VAT and discounts included), rounded half away from zero, worked
 * out on the quantity refunded so far: each part is the pro rata amount
 * of everything refunded after it less what earlier parts took, and the
 * part that refunds the last unit takes exactly what is left of the
 * amount and of the VAT. So the parts of a line add up to the original
 * line to the cent, and no part ever overshoots. (The first part of a line
 * is exactly its pro rata amount, its VAT exactly vat_split of it.)
 */
#ifndef DUKA_REFUND_H
#define DUKA_REFUND_H

#include <stdint.h>

#include "db.h"
#include "sale.h"
#include "status.h"

/* One line of the original sale to take back. */
struct refund_line {
	int line_no;			/* of the original sale, from 1 */
	int64_t qty;			/* thousandths, > 0; 0: all that is
					   left of the line */
};

struct refund_request {
	const char *till_id;		/* the till refunding: its open shift
					   and its receipt numbers */
	const char *user;
	const char *sale_till;		/* the original receipt's till */
	int64_t sale_receipt_no;	/* and its number */
	/* The lines to take back, each line at most once; none (NULL, 0):
	 * everything the earlier refunds left. */
	const struct refund_line *lines;
	int nlines;
	int damaged;			/* the goods are damaged: back into
					   their batch, then out as damage */
	/* How the money goes back: method, and the reference for M-PESA
	 * (the reversal's code), card and bank; the amount is ignored and a
	 * pending tender is refused. On account, the account of
	 * tender.customer_id, else of the sale's customer, owes less. */
	struct tender tender;
	const char *reason;		/* optional: in the event and audit */
	/* The refund's identity: the same token twice makes one refund (the
	 * second call reports the first with duplicate set). NULL or "": a
	 * fresh one. */
	const char *cart_token;
};

/* One line taken back, as written (amounts negative). */
struct refund_done {
	int line_no;			/* of the refund */
	int refund_of_line;		/* of the original */
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	int64_t qty;			/* thousandths, > 0 */
	int64_t amount;			/* < 0 (or 0) */
	int64_t vat;			/* <= 0 */
	int64_t left;			/* what is left of the original line
					   to refund after this */
};

/*
 * What refund_commit did. refund_commit fills it from scratch (release an
 * earlier result first); the caller releases the lines with
 * refund_result_free, which is safe after a failure too.
 */
struct refund_result {
	int64_t refund_id;		/* the refund's sales.id */
	int64_t sale_id;		/* the original's */
	int64_t receipt_no;
	char receipt[RECEIPT_TEXT_MAX];	/* the refund's, "TILL-000124" */
	char original[RECEIPT_TEXT_MAX];	/* the sale's, "TILL-000123" */
	int64_t total;			/* < 0: paid back */
	int64_t vat;			/* <= 0 */
	enum pay_method method;
	int duplicate;			/* the token had been committed; only
					   the fields above are set */
	int nlines;
	struct refund_done *line;	/* nlines of them; owned by the result */
};

/*
 * Refund lines of a sale. Needs an open shift on req->till_id. Refused,
 * writing nothing: an unknown receipt (DUKA_ENOTFOUND), a refund
 * (refunds are not refunded), a sale awaiting payment, a line that is not
 * on the receipt or is given twice, a quantity that is not more than 0,
 * that is a fraction of a piece or that exceeds what is left to refund, a
 * receipt with nothing left to refund, a tender without its reference
 * (M-PESA: a code used before is refused too), an account refund without
 * a customer.
 */
int refund_commit(struct db *db, const struct refund_request *req,
    struct refund_result *res, struct duka_err *err);

/* Release what a result holds; it may then be used again. */
void refund_result_free(struct refund_result *res);

/* One line of a sale with what is left to refund, for choosing lines. */
struct refund_left {
	int line_no;
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	char unit[8];			/* "piece", "kg", "litre" */
	int64_t qty;			/* sold */
	int64_t refunded;		/* taken back by refunds so far */
	int64_t amount;			/* of the sold line, VAT included */
	int64_t amount_refunded;	/* > 0: paid back so far */
};

/*
 * Call fn for every line of sale_id, in order, with what refunds have
 * taken back of it so far. Refused like refund_commit: a refund, a sale
 * awaiting payment; DUKA_ENOTFOUND for an unknown id.
 */
int refund_lines_left(struct db *db, int64_t sale_id,
    void (*fn)(void *ctx, const struct refund_left *l), void *ctx,
    struct duka_err *err);

#endif
