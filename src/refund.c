/*
 * refund.c - taking back a sale or some of its lines by receipt number.
 *
 * A refund is read and planned first, inside its transaction but before
 * anything is written: the original sale and its lines with what earlier
 * refunds took of each, the quantities asked for, the amounts, the tender,
 * the customer and the shift. Only then does it write, in this order: the
 * receipt number (a rollback gives it back), the refund's sales row, each
 * line with its stock going back (and, when damaged, out again), the
 * payment going back, the customer's balance for account refunds, the
 * sale.refunded event and the audit row. Any failure rolls everything
 * back, so a refused refund writes nothing.
 *
 * Stock goes back where it came from: into the batches the original line
 * was taken from, the batch taken last first (the reverse of first expiry
 * first out, which is the movement order of the sale), each up to what it
 * gave less what earlier refunds put back into it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "outbox.h"
#include "refund.h"
#include "shift.h"
#include "stock.h"
#include "text.h"
#include "user.h"

/* The longest reason, in characters. */
#define REFUND_REASON_MAX 200
/* Movements a damaged return without a batch may take out again. */
#define REFUND_DAMAGE_ALLOC 64

/* One line of the original sale, with what refunds took and take now. */
struct orig_line {
	int line_no;
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	char unit[8];
	char tax_name[12];
	enum tax_class tax;
	int64_t qty, shelf_price, unit_price;
	int64_t line_discount, sale_discount, amount, vat;
	/* Taken back by earlier refunds; amounts positive. */
	int64_t r_qty, r_amount, r_vat, r_ld, r_sd;
	/* This refund: the quantity (0: the line is not refunded) and the
	 * parts of the line's figures it takes, positive. */
	int asked;
	int64_t take;
	int64_t p_amount, p_vat, p_ld, p_sd, p_gross, p_shelf;
};

/* Everything one refund carries along while it plans and writes. */
struct refund {
	struct db *db;
	const struct refund_request *req;
	const char *token;
	int64_t sale_id, shift_id, customer_id, pay_customer;
	int64_t refund_id, receipt_no;
	char original[RECEIPT_TEXT_MAX], receipt[RECEIPT_TEXT_MAX];
	char at[TIMESTAMP_LEN], day[DATE_LEN];
	char reference[PAY_REF_MAX];
	struct orig_line *ol;
	int n;
	/* Sums of the parts, positive; written negated. */
	int64_t total, vat, gross, discount, shelf;
	json_t *lines;
};

/* Where one line's stock came from, less what went back already. */
struct source {
	int64_t batch_id;	/* 0: without a batch */
	int64_t left;		/* given, not yet put back */
	int64_t unit_cost;
};

/* A JSON string, or null for NULL or "" (jansson takes the reference). */
static json_t *
refund_json_text(const char *s)
{
	json_t *j;

	if (s == NULL || *s == '\0')
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_null();
}

/*
 * x * k / q rounded half away from zero, for 0 <= k <= q: x = x1 * q + x0
 * so that the product is x1 * k (no larger than x) plus x0 * k / q, where
 * x0 * k < q * q fits because q < 2^31 (a line holds at most
 * CART_QTY_MAX).
 */
static int64_t
refund_muldiv(int64_t x, int64_t k, int64_t q)
{
	int64_t x1 = x / q, x0 = x % q;

	return x1 * k + money_div_round(x0 * k, q);
}

/* Keep a part between 0 and what is left of its figure. */
static int64_t
refund_clamp(int64_t v, int64_t left)
{
	int64_t lo = left < 0 ? left : 0, hi = left > 0 ? left : 0;

	return v < lo ? lo : v > hi ? hi : v;
}

/* Release what a result holds. */
void
refund_result_free(struct refund_result *res)
{
	free(res->line);
	res->line = NULL;
	res->nlines = 0;
}

/*
 * Load the lines of sale_id with what refunds took of each so far into
 * *out (the caller frees it); *n lines.
 */
static int
refund_load_lines(struct db *db, int64_t sale_id, struct orig_line **out,
    int *n, struct duka_err *err)
{
	struct orig_line *ol = NULL, *l, *grown;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT l.line_no, l.product_id, l.sku, l.name, "
	    "l.unit, l.tax_class, l.qty, l.shelf_price, l.unit_price, "
	    "l.line_discount, l.sale_discount, l.amount, l.vat, "
	    "coalesce(x.qty, 0), coalesce(x.amount, 0), coalesce(x.vat, 0), "
	    "coalesce(x.ld, 0), coalesce(x.sd, 0) FROM sale_lines l "
	    "LEFT JOIN (SELECT rl.refund_of_line AS line_no, sum(rl.qty) AS "
	    "qty, -sum(rl.amount) AS amount, -sum(rl.vat) AS vat, "
	    "-sum(rl.line_discount) AS ld, -sum(rl.sale_discount) AS sd "
	    "FROM sales r JOIN sale_lines rl ON rl.sale_id = r.id "
	    "WHERE r.refund_of = ?1 GROUP BY rl.refund_of_line) x "
	    "ON x.line_no = l.line_no WHERE l.sale_id = ?1 "
	    "ORDER BY l.line_no", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(ol, (size_t)cap * sizeof *ol);
			if (grown == NULL) {
				db_done(st);
				free(ol);
				return duka_fail(err, DUKA_EFAIL,
				    _("out of memory"));
			}
			ol = grown;
		}
		l = &ol[(*n)++];
		memset(l, 0, sizeof *l);
		l->line_no = sqlite3_column_int(st, 0);
		l->product_id = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, l->sku, sizeof l->sku);
		db_column_copy(st, 3, l->name, sizeof l->name);
		db_column_copy(st, 4, l->unit, sizeof l->unit);
		db_column_copy(st, 5, l->tax_name, sizeof l->tax_name);
		l->qty = sqlite3_column_int64(st, 6);
		l->shelf_price = sqlite3_column_int64(st, 7);
		l->unit_price = sqlite3_column_int64(st, 8);
		l->line_discount = sqlite3_column_int64(st, 9);
		l->sale_discount = sqlite3_column_int64(st, 10);
		l->amount = sqlite3_column_int64(st, 11);
		l->vat = sqlite3_column_int64(st, 12);
		l->r_qty = sqlite3_column_int64(st, 13);
		l->r_amount = sqlite3_column_int64(st, 14);
		l->r_vat = sqlite3_column_int64(st, 15);
		l->r_ld = sqlite3_column_int64(st, 16);
		l->r_sd = sqlite3_column_int64(st, 17);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(ol);
		*n = 0;
		return db_fail(db, err, _("reading the sale's lines"));
	}
	*out = ol;
	return DUKA_OK;
}

/*
 * Read the sale the refund is of: refused when it is a refund itself or
 * still awaiting payment. Fills r->customer_id.
 */
static int
refund_read_sale(struct refund *r, struct duka_err *err)
{
	char kind[12] = "", state[20] = "";
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(r->db, "SELECT kind, state, coalesce(customer_id, 0), "
	    "till_id, receipt_no FROM sales WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->sale_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, kind, sizeof kind);
		db_column_copy(st, 1, state, sizeof state);
		r->customer_id = sqlite3_column_int64(st, 2);
		sale_receipt_text((const char *)sqlite3_column_text(st, 3),
		    sqlite3_column_int64(st, 4), r->original);
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND, _("there is no sale "
		    "number %lld"), (long long)r->sale_id);
	if (rc != SQLITE_ROW)
		return db_fail(r->db, err, _("reading the sale"));
	if (strcmp(kind, "sale") != 0)
		return duka_fail(err, DUKA_EINPUT, _("receipt %s is a refund; "
		    "only a sale can be refunded"), r->original);
	if (strcmp(state, "completed") != 0)
		return duka_fail(err, DUKA_EINPUT, _("receipt %s is still "
		    "awaiting payment; it can be refunded once it is paid"),
		    r->original);
	return DUKA_OK;
}

/* Check one asked quantity (0: the rest) against what is left of l. */
static int
refund_check_qty(const struct orig_line *l, int64_t qty, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT], left[MONEY_MAX_TEXT], sold[MONEY_MAX_TEXT];
	int64_t rest = l->qty - l->r_qty;

	qty_format(qty, q, sizeof q);
	qty_format(rest, left, sizeof left);
	qty_format(l->qty, sold, sizeof sold);
	if (rest <= 0)
		return duka_fail(err, DUKA_EINPUT, _("line %d (%s): all %s "
		    "sold has been refunded already"), l->line_no, l->name,
		    sold);
	if (qty <= 0)
		return duka_fail(err, DUKA_EINPUT, _("line %d (%s): the "
		    "quantity to refund must be more than 0, not %s"),
		    l->line_no, l->name, q);
	if (strcmp(l->unit, "piece") == 0 && qty % 1000 != 0)
		return duka_fail(err, DUKA_EINPUT, _("line %d (%s): %s is not "
		    "a whole number of pieces"), l->line_no, l->name, q);
	if (qty > rest)
		return duka_fail(err, DUKA_EINPUT, _("line %d (%s): %s is more "
		    "than is left to refund: %s of the %s sold"), l->line_no,
		    l->name, q, left, sold);
	return DUKA_OK;
}

/* Decide the quantity each line takes back. */
static int
refund_plan_qty(struct refund *r, struct duka_err *err)
{
	const struct refund_request *req = r->req;
	struct orig_line *l;
	int i, any = 0, rc;

	if (req->nlines == 0) {
		for (i = 0; i < r->n; i++) {
			l = &r->ol[i];
			l->take = l->qty - l->r_qty > 0 ? l->qty - l->r_qty : 0;
			any |= l->take > 0;
		}
		if (!any)
			return duka_fail(err, DUKA_EINPUT, _("everything on "
			    "receipt %s has been refunded already"),
			    r->original);
		return DUKA_OK;
	}
	for (i = 0; i < req->nlines; i++) {
		const struct refund_line *want = &req->lines[i];

		/* Lines are numbered 1..n without gaps (sale.c). */
		if (want->line_no < 1 || want->line_no > r->n ||
		    r->ol[want->line_no - 1].line_no != want->line_no)
			return duka_fail(err, DUKA_EINPUT, _("receipt %s has no "
			    "line %d (it has %d)"), r->original, want->line_no,
			    r->n);
		l = &r->ol[want->line_no - 1];
		if (l->asked)
			return duka_fail(err, DUKA_EINPUT,
			    _("line %d is given twice"), want->line_no);
		l->asked = 1;
		l->take = want->qty == 0 ? l->qty - l->r_qty : want->qty;
		if ((rc = refund_check_qty(l, l->take, err)) != DUKA_OK)
			return rc;
	}
	return DUKA_OK;
}

/* Add b to *a, refusing a sum that does not fit. */
static int
refund_add(int64_t *a, int64_t b, struct duka_err *err)
{
	if (__builtin_add_overflow(*a, b, a))
		return duka_fail(err, DUKA_EFAIL,
		    _("the refund's amounts are too large to add up"));
	return DUKA_OK;
}

/*
 * Work out the parts of line l that the refund takes, by the rule in
 * refund.h: pro rata of what will have been refunded after this part,
 * less what earlier parts took; the last part takes what is left.
 */
static int
refund_line_parts(struct orig_line *l, struct duka_err *err)
{
	int64_t after = l->r_qty + l->take, shelf, cum, net;
	int last = after == l->qty, rc;

	if (l->qty <= 0 || l->qty > INT32_MAX)
		return duka_fail(err, DUKA_EFAIL, _("line %d (%s): the sold "
		    "quantity cannot be refunded in parts"), l->line_no,
		    l->name);
	if ((rc = tax_class_parse(l->tax_name, &l->tax, err)) != DUKA_OK)
		return rc;
	if (last) {
		l->p_amount = l->amount - l->r_amount;
		l->p_vat = l->vat - l->r_vat;
		l->p_ld = l->line_discount - l->r_ld;
		l->p_sd = l->sale_discount - l->r_sd;
	} else {
		l->p_amount = refund_clamp(refund_muldiv(l->amount, after,
		    l->qty) - l->r_amount, l->amount - l->r_amount);
		if ((rc = vat_split(l->r_amount + l->p_amount, l->tax, &net,
		    &cum, err)) != DUKA_OK)
			return rc;
		l->p_vat = refund_clamp(cum - l->r_vat, l->vat - l->r_vat);
		l->p_ld = refund_clamp(refund_muldiv(l->line_discount, after,
		    l->qty) - l->r_ld, l->line_discount - l->r_ld);
		l->p_sd = refund_clamp(refund_muldiv(l->sale_discount, after,
		    l->qty) - l->r_sd, l->sale_discount - l->r_sd);
	}
	l->p_gross = l->p_amount + l->p_ld + l->p_sd;
	if ((rc = money_mul_qty(l->shelf_price, l->qty, &shelf, err)) !=
	    DUKA_OK)
		return rc;
	l->p_shelf = refund_muldiv(shelf, after, l->qty) -
	    refund_muldiv(shelf, l->r_qty, l->qty);
	return DUKA_OK;
}

/* Work out every refunded line's parts and the refund's totals. */
static int
refund_plan_amounts(struct refund *r, struct duka_err *err)
{
	struct orig_line *l;
	int i, rc;

	for (i = 0; i < r->n; i++) {
		l = &r->ol[i];
		if (l->take == 0)
			continue;
		if ((rc = refund_line_parts(l, err)) != DUKA_OK ||
		    (rc = refund_add(&r->total, l->p_amount, err)) != 0 ||
		    (rc = refund_add(&r->vat, l->p_vat, err)) != DUKA_OK ||
		    (rc = refund_add(&r->gross, l->p_gross, err)) != 0 ||
		    (rc = refund_add(&r->discount, l->p_ld + l->p_sd,
		    err)) != DUKA_OK ||
		    (rc = refund_add(&r->shelf, l->p_shelf, err)) != DUKA_OK)
			return rc;
	}
	return DUKA_OK;
}

/* Check the tender's own fields and copy its clean reference. */
static int
refund_check_tender(struct refund *r, struct duka_err *err)
{
	const struct tender *t = &r->req->tender;

	r->reference[0] = '\0';
	if ((unsigned)t->method >= PAY_METHODS)
		return duka_fail(err, DUKA_EINPUT, _("unknown way to pay"));
	if (t->pending)
		return duka_fail(err, DUKA_EINPUT, _("a refund is paid back "
		    "at once; it cannot wait for an M-PESA prompt"));
	switch (t->method) {
	case PAY_MPESA:
		if (t->reference[0] == '\0')
			return duka_fail(err, DUKA_EINPUT, _("an M-PESA refund "
			    "needs the code of the reversal, like "
			    "QKT5ABC1XY"));
		return mpesa_code_check(t->reference, r->reference, err);
	case PAY_CARD:
	case PAY_BANK:
		if (text_trim_copy(t->reference, r->reference,
		    sizeof r->reference) != 0 || r->reference[0] == '\0')
			return duka_fail(err, DUKA_EINPUT,
			    _("%s: give the reference (1 to 64 characters) of "
			    "the refund"), pay_method_label(t->method));
		return DUKA_OK;
	case PAY_CASH:
	case PAY_ACCOUNT:
		return DUKA_OK;
	}
	return DUKA_OK;
}

/* Refuse an M-PESA code that any payment or refund used already. */
static int
refund_mpesa_unused(struct refund *r, struct duka_err *err)
{
	char text[RECEIPT_TEXT_MAX];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(r->db, "SELECT s.till_id, s.receipt_no FROM payments p "
	    "JOIN sales s ON s.id = p.sale_id WHERE p.method = 'mpesa' AND "
	    "p.reference = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, r->reference, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sale_receipt_text((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), text);
	db_done(st);
	if (rc == SQLITE_ROW)
		return duka_fail(err, DUKA_EINPUT, _("the M-PESA code %s was "
		    "used already, on receipt %s"), r->reference, text);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(r->db, err, _("checking the M-PESA code"));
}

/* Find the customer whose account an account refund credits. */
static int
refund_check_account(struct refund *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	r->pay_customer = r->req->tender.customer_id > 0 ?
	    r->req->tender.customer_id : r->customer_id;
	if (r->pay_customer <= 0)
		return duka_fail(err, DUKA_EINPUT, _("receipt %s has no "
		    "customer: a refund on account needs one"), r->original);
	st = db_stmt(r->db, "SELECT 1 FROM customers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->pay_customer);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND, _("there is no customer "
		    "number %lld"), (long long)r->pay_customer);
	return rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(r->db, err, _("reading the customer"));
}

/* Insert the refund's sales row, its amounts negative. */
static int
refund_insert_sale(struct refund *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(r->db, "INSERT INTO sales(till_id, receipt_no, kind, "
	    "refund_of, state, shift_id, cart_token, customer_id, user_name, "
	    "shelf_gross, gross, discount, total, vat, at, business_day, "
	    "approved_by) "
	    "VALUES (?1, ?2, 'refund', ?3, 'completed', ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, r->req->till_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, r->receipt_no);
	sqlite3_bind_int64(st, 3, r->sale_id);
	sqlite3_bind_int64(st, 4, r->shift_id);
	sqlite3_bind_text(st, 5, r->token, -1, SQLITE_TRANSIENT);
	if (r->pay_customer > 0 || r->customer_id > 0)
		sqlite3_bind_int64(st, 6, r->pay_customer > 0 ?
		    r->pay_customer : r->customer_id);
	db_bind_text_or_null(st, 7, r->req->user);
	sqlite3_bind_int64(st, 8, -r->shelf);
	sqlite3_bind_int64(st, 9, -r->gross);
	sqlite3_bind_int64(st, 10, -r->discount);
	sqlite3_bind_int64(st, 11, -r->total);
	sqlite3_bind_int64(st, 12, -r->vat);
	sqlite3_bind_text(st, 13, r->at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 14, r->day, -1, SQLITE_TRANSIENT);
	/* The manager whose approval this refund took, as a sale's. */
	db_bind_text_or_null(st, 15, perm_approver(r->db));
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, err, _("saving the refund"));
	r->refund_id = sqlite3_last_insert_rowid(db_sqlite(r->db));
	return DUKA_OK;
}

/*
 * Where line l of the original may put stock back: each batch it was
 * taken from with what it gave less what refunds put back, the batch
 * taken last first. *out is the caller's to free.
 */
static int
refund_sources(struct refund *r, const struct orig_line *l,
    struct source **out, int *n, struct duka_err *err)
{
	struct source *src = NULL, *grown;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	/* unit_cost is that of the group's latest movement (SQLite takes
	 * bare columns from the row that gave max()). */
	st = db_stmt(r->db, "WITH given AS (SELECT coalesce(batch_id, 0) AS "
	    "b, -sum(qty) AS q, max(movement_id) AS last, unit_cost AS cost "
	    "FROM sale_allocations WHERE sale_id = ?1 AND line_no = ?2 "
	    "GROUP BY 1), back AS (SELECT coalesce(ra.batch_id, 0) AS b, "
	    "sum(ra.qty) AS q FROM sales s JOIN sale_lines rl ON "
	    "rl.sale_id = s.id JOIN sale_allocations ra ON ra.sale_id = "
	    "rl.sale_id AND ra.line_no = rl.line_no WHERE s.refund_of = ?1 "
	    "AND rl.refund_of_line = ?2 GROUP BY 1) SELECT g.b, g.q - "
	    "coalesce(k.q, 0), g.cost FROM given g LEFT JOIN back k ON "
	    "k.b = g.b ORDER BY g.last DESC", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->sale_id);
	sqlite3_bind_int(st, 2, l->line_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) <= 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(src, (size_t)cap * sizeof *src);
			if (grown == NULL) {
				db_done(st);
				free(src);
				*n = 0;
				return duka_fail(err, DUKA_EFAIL,
				    _("out of memory"));
			}
			src = grown;
		}
		src[*n].batch_id = sqlite3_column_int64(st, 0);
		src[*n].left = sqlite3_column_int64(st, 1);
		src[*n].unit_cost = sqlite3_column_int64(st, 2);
		(*n)++;
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(src);
		*n = 0;
		return db_fail(r->db, err, _("reading where the stock came "
		    "from"));
	}
	*out = src;
	return DUKA_OK;
}

/* Record one movement of stock back for refund line line_no. */
static int
refund_insert_allocation(struct refund *r, int line_no, int64_t movement_id,
    int64_t batch_id, int64_t qty, int64_t unit_cost, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(r->db, "INSERT INTO sale_allocations(sale_id, line_no, "
	    "movement_id, batch_id, qty, unit_cost) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->refund_id);
	sqlite3_bind_int(st, 2, line_no);
	sqlite3_bind_int64(st, 3, movement_id);
	if (batch_id > 0)
		sqlite3_bind_int64(st, 4, batch_id);
	sqlite3_bind_int64(st, 5, qty);
	sqlite3_bind_int64(st, 6, unit_cost);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(r->db, err, _("saving the refund"));
}

/*
 * Put qty of line l back into batch_id (0: without a batch) and, for
 * damaged goods, take it out of the same place again as damage; record
 * the return and add it to allocs.
 */
static int
refund_put_back(struct refund *r, const struct orig_line *l, int line_no,
    int64_t batch_id, int64_t qty, int64_t unit_cost, json_t *allocs,
    struct duka_err *err)
{
	struct stock_allocation dmg[REFUND_DAMAGE_ALLOC];
	struct stock_issue is;
	int64_t movement_id;
	json_t *damage;
	int i, n = 0, rc;

	if ((rc = stock_return(r->db, l->product_id, batch_id, qty,
	    r->receipt, r->req->user, 1, &movement_id, err)) != DUKA_OK ||
	    (rc = refund_insert_allocation(r, line_no, movement_id, batch_id,
	    qty, unit_cost, err)) != DUKA_OK)
		return rc;
	damage = json_array();
	if (r->req->damaged) {
		memset(&is, 0, sizeof is);
		is.product_id = l->product_id;
		is.qty = qty;
		is.reason = STOCK_DAMAGE;
		is.batch_id = batch_id;
		/* The goods just came back: take them whatever their date;
		 * without a batch, FEFO may have to go below zero. */
		is.flags = STOCK_ALLOW_EXPIRED |
		    (batch_id == 0 ? STOCK_ALLOW_NEGATIVE : 0);
		is.reference = r->receipt;
		is.user = r->req->user;
		is.note = r->req->reason != NULL && r->req->reason[0] != '\0' ?
		    r->req->reason : _("returned damaged");
		is.no_event = 1;
		if ((rc = stock_issue(r->db, &is, dmg, REFUND_DAMAGE_ALLOC, &n,
		    err)) != DUKA_OK) {
			json_decref(damage);
			return rc;
		}
		for (i = 0; i < n; i++)
			json_array_append_new(damage, json_pack("{sI so sI}",
			    "movement_id", (json_int_t)dmg[i].movement_id,
			    "batch_id", dmg[i].batch_id > 0 ?
			    json_integer(dmg[i].batch_id) : json_null(),
			    "qty", (json_int_t)dmg[i].qty));
	}
	json_array_append_new(allocs, json_pack("{sI so sI sI so}",
	    "movement_id", (json_int_t)movement_id, "batch_id", batch_id > 0 ?
	    json_integer(batch_id) : json_null(), "qty", (json_int_t)qty,
	    "unit_cost", (json_int_t)unit_cost, "damaged", damage));
	return DUKA_OK;
}

/* Put line l's refunded quantity back where it came from. */
static int
refund_line_stock(struct refund *r, const struct orig_line *l, int line_no,
    json_t *allocs, struct duka_err *err)
{
	struct source *src;
	struct product p;
	int64_t need = l->take, put;
	int i, n, rc;

	if ((rc = refund_sources(r, l, &src, &n, err)) != DUKA_OK)
		return rc;
	for (i = 0; i < n && need > 0; i++) {
		put = src[i].left < need ? src[i].left : need;
		if ((rc = refund_put_back(r, l, line_no, src[i].batch_id, put,
		    src[i].unit_cost, allocs, err)) != DUKA_OK)
			goto out;
		need -= put;
	}
	/* The sale recorded where all of it came from (duka check proves
	 * it); a sale recorded otherwise still gets its stock back. */
	if (need > 0 &&
	    ((rc = catalog_product_get(r->db, l->product_id, &p, err)) !=
	    DUKA_OK || (rc = refund_put_back(r, l, line_no, 0, need, p.cost,
	    allocs, err)) != DUKA_OK))
		goto out;
	rc = DUKA_OK;
out:
	free(src);
	return rc;
}

/* Insert the refund's lines and put their stock back. */
static int
refund_insert_lines(struct refund *r, struct duka_err *err)
{
	const struct orig_line *l;
	sqlite3_stmt *st;
	json_t *allocs;
	int i, line_no = 0, rc;

	for (i = 0; i < r->n; i++) {
		l = &r->ol[i];
		if (l->take == 0)
			continue;
		line_no++;
		st = db_stmt(r->db, "INSERT INTO sale_lines(sale_id, line_no, "
		    "product_id, sku, name, unit, tax_class, qty, shelf_price, "
		    "unit_price, line_discount, sale_discount, amount, vat, "
		    "refund_of_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		    "?9, ?10, ?11, ?12, ?13, ?14, ?15)", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, r->refund_id);
		sqlite3_bind_int(st, 2, line_no);
		sqlite3_bind_int64(st, 3, l->product_id);
		sqlite3_bind_text(st, 4, l->sku, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, l->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, l->tax_name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, l->take);
		sqlite3_bind_int64(st, 9, l->shelf_price);
		sqlite3_bind_int64(st, 10, l->unit_price);
		sqlite3_bind_int64(st, 11, -l->p_ld);
		sqlite3_bind_int64(st, 12, -l->p_sd);
		sqlite3_bind_int64(st, 13, -l->p_amount);
		sqlite3_bind_int64(st, 14, -l->p_vat);
		sqlite3_bind_int(st, 15, l->line_no);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(r->db, err, _("saving the refund"));
		allocs = json_array();
		json_array_append_new(r->lines, json_pack("{si si sI ss ss sI "
		    "sI sI sI sI ss so}", "line_no", line_no, "refund_of_line",
		    l->line_no, "product_id", (json_int_t)l->product_id, "sku",
		    l->sku, "name", l->name, "qty", (json_int_t)l->take,
		    "unit_price", (json_int_t)l->unit_price, "discount",
		    (json_int_t)-(l->p_ld + l->p_sd), "amount",
		    (json_int_t)-l->p_amount, "vat", (json_int_t)-l->p_vat,
		    "tax_class", l->tax_name, "allocations", allocs));
		if ((rc = refund_line_stock(r, l, line_no, allocs, err)) !=
		    DUKA_OK)
			return rc;
	}
	return DUKA_OK;
}

/* Insert the payment going back and credit an account. */
static int
refund_insert_payment(struct refund *r, json_t **payments,
    struct duka_err *err)
{
	const struct tender *t = &r->req->tender;
	int64_t balance = 0;
	sqlite3_stmt *st;
	int rc;

	*payments = json_array();
	/* Nothing to pay back (a line given away): no payment row. */
	if (r->total == 0)
		return DUKA_OK;
	if (t->method == PAY_ACCOUNT) {
		st = db_stmt(r->db, "SELECT balance FROM customers WHERE "
		    "id = ?1", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, r->pay_customer);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			balance = sqlite3_column_int64(st, 0);
		db_done(st);
		if (rc != SQLITE_ROW)
			return db_fail(r->db, err, _("reading the customer"));
		if (__builtin_sub_overflow(balance, r->total, &balance))
			return duka_fail(err, DUKA_EFAIL, _("the customer's "
			    "balance is too large"));
		st = db_stmt(r->db, "UPDATE customers SET balance = ?2 WHERE "
		    "id = ?1", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, r->pay_customer);
		sqlite3_bind_int64(st, 2, balance);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(r->db, err,
			    _("updating the customer's balance"));
	}
	st = db_stmt(r->db, "INSERT INTO payments(sale_id, method, state, "
	    "amount, reference, verified, customer_id, created_at, "
	    "updated_at) VALUES (?1, ?2, 'paid', ?3, ?4, 0, ?5, ?6, ?6)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->refund_id);
	sqlite3_bind_text(st, 2, pay_method_name(t->method), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, -r->total);
	db_bind_text_or_null(st, 4, r->reference);
	if (t->method == PAY_ACCOUNT)
		sqlite3_bind_int64(st, 5, r->pay_customer);
	sqlite3_bind_text(st, 6, r->at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, err, _("saving a payment"));
	json_array_append_new(*payments, json_pack("{ss ss sI so sb}",
	    "method", pay_method_name(t->method), "state", "paid", "amount",
	    (json_int_t)-r->total, "reference", refund_json_text(r->reference),
	    "verified", 0));
	return DUKA_OK;
}

/* Queue sale.refunded and write the audit row. */
static int
refund_event(struct refund *r, json_t *payments, struct duka_err *err)
{
	char detail[400], total[MONEY_MAX_TEXT];
	const char *reason = r->req->reason;
	json_t *data;
	int rc;

	data = json_pack("{sI sI ss sI ss ss ss ss so so sb so sI sI sI sI "
	    "sO sO}", "sale_id", (json_int_t)r->refund_id, "refund_of",
	    (json_int_t)r->sale_id, "till", r->req->till_id, "receipt_no",
	    (json_int_t)r->receipt_no, "receipt", r->receipt, "original",
	    r->original, "at", r->at, "business_day", r->day, "user",
	    refund_json_text(r->req->user), "customer_id",
	    r->pay_customer > 0 ? json_integer(r->pay_customer) :
	    r->customer_id > 0 ? json_integer(r->customer_id) : json_null(),
	    "damaged", r->req->damaged, "reason", refund_json_text(reason),
	    "gross", (json_int_t)-r->gross, "discount",
	    (json_int_t)-r->discount, "total", (json_int_t)-r->total, "vat",
	    (json_int_t)-r->vat, "lines", r->lines, "payments", payments);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = outbox_add(r->db, "sale.refunded", data, err)) != DUKA_OK)
		return rc;
	money_format(-r->total, total, sizeof total);
	snprintf(detail, sizeof detail, "refund %s of receipt %s total %s "
	    "%s%s%s%.200s", r->receipt, r->original, total,
	    pay_method_name(r->req->tender.method),
	    r->req->damaged ? " damaged" : "",
	    reason != NULL && reason[0] != '\0' ? ": " : "",
	    reason != NULL ? reason : "");
	return audit_add(r->db, r->req->user, "sale.refund", "sale",
	    r->refund_id, detail, err);
}

/*
 * Report an earlier refund of the same receipt with the same token: 1 if
 * there was one, 0 if not, -1 on failure (err filled). The token of a
 * sale, or of a refund of another receipt, is refused.
 */
static int
refund_already(struct refund *r, struct refund_result *res,
    struct duka_err *err)
{
	char kind[12] = "", till[32] = "";
	sqlite3_stmt *st;
	int rc, same = 0;

	st = db_stmt(r->db, "SELECT s.id, s.till_id, s.receipt_no, s.total, "
	    "s.vat, s.kind, coalesce(s.refund_of, 0), o.till_id, "
	    "o.receipt_no, (SELECT method FROM payments p WHERE "
	    "p.sale_id = s.id ORDER BY p.id LIMIT 1) FROM sales s "
	    "LEFT JOIN sales o ON o.id = s.refund_of WHERE s.cart_token = ?1",
	    err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->token, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 5, kind, sizeof kind);
		db_column_copy(st, 7, till, sizeof till);
		same = strcmp(kind, "refund") == 0 &&
		    strcmp(till, r->req->sale_till) == 0 &&
		    sqlite3_column_int64(st, 8) == r->req->sale_receipt_no;
		if (same) {
			res->refund_id = sqlite3_column_int64(st, 0);
			res->receipt_no = sqlite3_column_int64(st, 2);
			sale_receipt_text((const char *)sqlite3_column_text(st,
			    1), res->receipt_no, res->receipt);
			res->total = sqlite3_column_int64(st, 3);
			res->vat = sqlite3_column_int64(st, 4);
			res->sale_id = sqlite3_column_int64(st, 6);
			sale_receipt_text((const char *)sqlite3_column_text(st,
			    7), sqlite3_column_int64(st, 8), res->original);
			res->method = r->req->tender.method;
			if (sqlite3_column_type(st, 9) != SQLITE_NULL)
				pay_method_parse((const char *)
				    sqlite3_column_text(st, 9), &res->method,
				    NULL);
			res->duplicate = 1;
		}
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(r->db, err, _("reading sales"));
		return -1;
	}
	if (rc == SQLITE_ROW && !same) {
		duka_fail(err, DUKA_EINPUT, _("the token %s belongs to another "
		    "sale or refund, not to a refund of receipt %s"), r->token,
		    r->original);
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* Read, check and plan the refund: everything before the first write. */
static int
refund_prepare(struct refund *r, struct duka_err *err)
{
	int rc;

	if ((rc = sale_find(r->db, r->req->sale_till, r->req->sale_receipt_no,
	    &r->sale_id, err)) != DUKA_OK ||
	    (rc = refund_read_sale(r, err)) != DUKA_OK ||
	    (rc = refund_load_lines(r->db, r->sale_id, &r->ol, &r->n,
	    err)) != DUKA_OK ||
	    (rc = refund_plan_qty(r, err)) != DUKA_OK ||
	    (rc = refund_plan_amounts(r, err)) != DUKA_OK)
		return rc;
	if (r->total > 0 && r->req->tender.method == PAY_MPESA &&
	    (rc = refund_mpesa_unused(r, err)) != DUKA_OK)
		return rc;
	if (r->req->tender.method == PAY_ACCOUNT &&
	    (rc = refund_check_account(r, err)) != DUKA_OK)
		return rc;
	return shift_current(r->db, r->req->till_id, &r->shift_id, err);
}

/* The transaction of refund_commit. */
static int
refund_write(struct refund *r, struct refund_result *res,
    struct duka_err *err)
{
	json_t *payments = NULL;
	int rc, dup;

	if ((rc = db_begin(r->db, err)) != DUKA_OK)
		return rc;
	if ((dup = refund_already(r, res, err)) != 0) {
		db_rollback(r->db);
		return dup < 0 ? err->code : DUKA_OK;
	}
	/* Taking back a whole sale voids it; damaged goods are written off. */
	if ((rc = perm_require(r->db, (r->req->nlines == 0 ? PERM_VOID_SALE :
	    PERM_REFUND) | (r->req->damaged ? PERM_STOCK_ADJUST : 0u),
	    err)) != DUKA_OK)
		goto fail;
	if ((rc = refund_prepare(r, err)) != DUKA_OK ||
	    (rc = sale_receipt_next(r->db, r->req->till_id, &r->receipt_no,
	    err)) != DUKA_OK)
		goto fail;
	sale_receipt_text(r->req->till_id, r->receipt_no, r->receipt);
	if ((rc = refund_insert_sale(r, err)) != DUKA_OK ||
	    (rc = refund_insert_lines(r, err)) != DUKA_OK ||
	    (rc = refund_insert_payment(r, &payments, err)) != DUKA_OK ||
	    (rc = refund_event(r, payments, err)) != DUKA_OK)
		goto fail;
	json_decref(payments);
	return db_commit(r->db, err);
fail:
	json_decref(payments);
	db_rollback(r->db);
	return rc;
}

/* Check the request's own fields before the database is touched. */
static int
refund_check_request(struct refund *r, struct duka_err *err)
{
	const struct refund_request *req = r->req;
	int i;

	if (req->till_id == NULL || req->till_id[0] == '\0')
		return duka_fail(err, DUKA_EINPUT,
		    _("no till id: set [till] id in duka.conf"));
	if (req->sale_till == NULL || req->sale_till[0] == '\0' ||
	    req->sale_receipt_no <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("give the receipt number of the sale to refund"));
	if (req->nlines > 0 && req->lines == NULL)
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: a refund of lines without the lines"));
	if (req->nlines < 0 || req->nlines > CART_MAX_LINES)
		return duka_fail(err, DUKA_EINPUT,
		    _("a refund takes back at most %d lines"), CART_MAX_LINES);
	for (i = 0; i < req->nlines; i++)
		if (req->lines[i].qty < 0) {
			char q[MONEY_MAX_TEXT];

			qty_format(req->lines[i].qty, q, sizeof q);
			return duka_fail(err, DUKA_EINPUT, _("line %d: the "
			    "quantity to refund must be more than 0, not %s"),
			    req->lines[i].line_no, q);
		}
	if (req->reason != NULL && (!text_utf8_valid(req->reason,
	    strlen(req->reason)) || text_utf8_chars(req->reason,
	    strlen(req->reason)) > REFUND_REASON_MAX))
		return duka_fail(err, DUKA_EINPUT, _("the reason must be "
		    "text of at most %d characters"), REFUND_REASON_MAX);
	if (req->cart_token != NULL && strlen(req->cart_token) >= 128)
		return duka_fail(err, DUKA_EINPUT,
		    _("the refund's token is too long"));
	return refund_check_tender(r, err);
}

/* Copy what was refunded into the result. */
static int
refund_fill_result(const struct refund *r, struct refund_result *res,
    struct duka_err *err)
{
	const struct orig_line *l;
	struct refund_done *d;
	int i, k = 0;

	res->refund_id = r->refund_id;
	res->sale_id = r->sale_id;
	res->receipt_no = r->receipt_no;
	memcpy(res->receipt, r->receipt, sizeof res->receipt);
	memcpy(res->original, r->original, sizeof res->original);
	res->total = -r->total;
	res->vat = -r->vat;
	res->method = r->req->tender.method;
	for (i = 0; i < r->n; i++)
		k += r->ol[i].take > 0;
	res->line = calloc((size_t)k + 1, sizeof *res->line);
	if (res->line == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory (the refund "
		    "%s was saved)"), r->receipt);
	for (i = 0; i < r->n; i++) {
		l = &r->ol[i];
		if (l->take == 0)
			continue;
		d = &res->line[res->nlines++];
		d->line_no = res->nlines;
		d->refund_of_line = l->line_no;
		d->product_id = l->product_id;
		memcpy(d->sku, l->sku, sizeof d->sku);
		memcpy(d->name, l->name, sizeof d->name);
		d->qty = l->take;
		d->amount = -l->p_amount;
		d->vat = -l->p_vat;
		d->left = l->qty - l->r_qty - l->take;
	}
	return DUKA_OK;
}

int
refund_commit(struct db *db, const struct refund_request *req,
    struct refund_result *res, struct duka_err *err)
{
	char token[UUID_LEN];
	struct refund r;
	int rc;

	memset(res, 0, sizeof *res);
	memset(&r, 0, sizeof r);
	r.db = db;
	r.req = req;
	if ((rc = refund_check_request(&r, err)) != DUKA_OK)
		return rc;
	if (req->cart_token != NULL && req->cart_token[0] != '\0')
		r.token = req->cart_token;
	else {
		uuid7_new(token);
		r.token = token;
	}
	sale_receipt_text(req->sale_till, req->sale_receipt_no, r.original);
	date_now_timestamp(r.at);
	date_today(r.day);
	if ((r.lines = json_array()) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	rc = refund_write(&r, res, err);
	if (rc == DUKA_OK && !res->duplicate)
		rc = refund_fill_result(&r, res, err);
	json_decref(r.lines);
	free(r.ol);
	return rc;
}

int
refund_lines_left(struct db *db, int64_t sale_id,
    void (*fn)(void *ctx, const struct refund_left *l), void *ctx,
    struct duka_err *err)
{
	struct refund_left out;
	struct refund r;
	int i, rc;

	memset(&r, 0, sizeof r);
	r.db = db;
	r.sale_id = sale_id;
	if ((rc = refund_read_sale(&r, err)) != DUKA_OK ||
	    (rc = refund_load_lines(db, sale_id, &r.ol, &r.n, err)) !=
	    DUKA_OK)
		return rc;
	for (i = 0; i < r.n; i++) {
		memset(&out, 0, sizeof out);
		out.line_no = r.ol[i].line_no;
		out.product_id = r.ol[i].product_id;
		memcpy(out.sku, r.ol[i].sku, sizeof out.sku);
		memcpy(out.name, r.ol[i].name, sizeof out.name);
		memcpy(out.unit, r.ol[i].unit, sizeof out.unit);
		out.qty = r.ol[i].qty;
		out.refunded = r.ol[i].r_qty;
		out.amount = r.ol[i].amount;
		out.amount_refunded = r.ol[i].r_amount;
		fn(ctx, &out);
	}
	free(r.ol);
	return DUKA_OK;
}
