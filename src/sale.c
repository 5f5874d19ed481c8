/*
 * sale.c - turning a cart and its tenders into a committed sale.
 *
 * Everything a sale writes happens in one transaction, in this order: the
 * receipt number (so that a rollback gives it back: no gaps), the sale,
 * its lines with their FEFO stock movements and batch allocations, its
 * payments, the customer's balance for sales on account, the
 * sale.completed event and the audit row. Tenders are checked and planned
 * before the transaction starts, so a refused tender writes nothing.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "i18n.h"
#include "outbox.h"
#include "sale.h"
#include "shift.h"
#include "stock.h"
#include "text.h"
#include "user.h"

/* Batches one sale line may be taken from. */
#define SALE_MAX_ALLOC 64

static const char *const method_names[PAY_METHODS] = {
	"cash", "mpesa", "card", "bank", "account",
};

const char *
pay_method_name(enum pay_method m)
{
	return (unsigned)m < PAY_METHODS ? method_names[m] : "cash";
}

const char *
pay_method_label(enum pay_method m)
{
	switch (m) {
	case PAY_MPESA:
		return _("M-PESA");
	case PAY_CARD:
		return _("Card");
	case PAY_BANK:
		return _("Bank transfer");
	case PAY_ACCOUNT:
		return _("On account");
	case PAY_CASH:
	default:
		return _("Cash");
	}
}

int
pay_method_parse(const char *text, enum pay_method *m, struct duka_err *err)
{
	int i;

	for (i = 0; i < PAY_METHODS; i++)
		if (strcasecmp(text, method_names[i]) == 0) {
			*m = (enum pay_method)i;
			return DUKA_OK;
		}
	if (strcasecmp(text, "m-pesa") == 0) {
		*m = PAY_MPESA;
		return DUKA_OK;
	}
	return duka_fail(err, DUKA_EINPUT, _("\"%s\" is not a way to pay; use "
	    "cash, mpesa, card, bank or account"), text);
}

int
mpesa_code_check(const char *text, char out[PAY_REF_MAX],
    struct duka_err *err)
{
	char code[PAY_REF_MAX];
	size_t i, n;

	if (text_trim_copy(text, code, sizeof code) != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%.20s...\" is not an M-PESA code: it has 10 letters "
		    "and digits"), text);
	n = strlen(code);
	for (i = 0; i < n; i++)
		code[i] = (char)toupper((unsigned char)code[i]);
	if (n != 10 || !isalpha((unsigned char)code[0]))
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not an M-PESA code: it has 10 letters and "
		    "digits and starts with a letter, like QKT5ABC1XY"), code);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]))
			return duka_fail(err, DUKA_EINPUT,
			    _("\"%s\" is not an M-PESA code: only letters and "
			    "digits"), code);
	memcpy(out, code, n + 1);
	return DUKA_OK;
}

void
sale_receipt_text(const char *till_id, int64_t no, char out[RECEIPT_TEXT_MAX])
{
	snprintf(out, RECEIPT_TEXT_MAX, "%.31s-%06lld", till_id, (long long)no);
}

int
sale_receipt_parse(const char *text, const char *default_till, char till[32],
    int64_t *no, struct duka_err *err)
{
	char buf[64], *dash, *end;
	long long v;

	if (text_trim_copy(text, buf, sizeof buf) != 0 || buf[0] == '\0')
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a receipt number"), text);
	dash = strrchr(buf, '-');
	if (dash != NULL) {
		*dash = '\0';
		if (buf[0] == '\0' || strlen(buf) >= 32)
			return duka_fail(err, DUKA_EINPUT,
			    _("\"%s\" is not a receipt number"), text);
		snprintf(till, 32, "%s", buf);
		dash++;
	} else {
		snprintf(till, 32, "%s", default_till);
		dash = buf;
	}
	errno = 0;
	v = strtoll(dash, &end, 10);
	if (*dash == '\0' || *end != '\0' || v <= 0 || errno == ERANGE ||
	    !text_is_digits(dash))
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a receipt number (like %s-000123)"), text,
		    default_till);
	*no = v;
	return DUKA_OK;
}

int
sale_find(struct db *db, const char *till_id, int64_t receipt_no,
    int64_t *sale_id, struct duka_err *err)
{
	char text[RECEIPT_TEXT_MAX];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id FROM sales WHERE till_id = ?1 AND "
	    "receipt_no = ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, receipt_no);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*sale_id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("finding a sale"));
	sale_receipt_text(till_id, receipt_no, text);
	return duka_fail(err, DUKA_ENOTFOUND, _("there is no receipt %s"),
	    text);
}

/* A tender as planned: what it pays, what comes back. */
struct planned {
	const struct tender *t;
	char reference[PAY_REF_MAX];
	int64_t applied;
	int64_t tendered;
	int64_t change;
	int64_t customer_id;
};

/* Check one tender's own fields and copy its clean reference. */
static int
sale_check_tender(const struct tender *t, struct planned *p,
    const struct sale_request *req, struct duka_err *err)
{
	int rc;

	if ((unsigned)t->method >= PAY_METHODS)
		return duka_fail(err, DUKA_EINPUT, _("unknown way to pay"));
	if (t->amount < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the amount cannot be negative"),
		    pay_method_label(t->method));
	p->t = t;
	p->reference[0] = '\0';
	p->customer_id = 0;
	switch (t->method) {
	case PAY_MPESA:
		if (t->pending)
			return DUKA_OK;
		return mpesa_code_check(t->reference, p->reference, err);
	case PAY_CARD:
	case PAY_BANK:
		if ((rc = text_trim_copy(t->reference, p->reference,
		    sizeof p->reference)) != 0 || p->reference[0] == '\0')
			return duka_fail(err, DUKA_EINPUT,
			    _("%s: give the reference (1 to 64 characters) of "
			    "the payment"), pay_method_label(t->method));
		return DUKA_OK;
	case PAY_ACCOUNT:
		p->customer_id = t->customer_id > 0 ? t->customer_id :
		    req->customer_id;
		if (p->customer_id <= 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("a sale on account needs a customer"));
		return DUKA_OK;
	case PAY_CASH:
		if (t->pending)
			return duka_fail(err, DUKA_EINPUT,
			    _("only an M-PESA payment can be pending"));
		return DUKA_OK;
	}
	return DUKA_OK;
}

/*
 * Work out what each tender pays: first the non-cash tenders with an
 * amount, then cash with an amount, whose excess is the change, then the
 * one tender (if any) that pays "the rest" of it all ("KSh 100 cash, the
 * rest M-PESA"). The tenders must cover the total exactly, except for
 * change from cash.
 */
static int
sale_plan(const struct sale_request *req, int64_t total, struct planned *pl,
    struct duka_err *err)
{
	char a[MONEY_MAX_TEXT], b[MONEY_MAX_TEXT];
	int64_t left = total;
	int i, rest = -1, rc;

	for (i = 0; i < req->ntenders; i++) {
		if ((rc = sale_check_tender(&req->tenders[i], &pl[i], req,
		    err)) != DUKA_OK)
			return rc;
		pl[i].applied = pl[i].tendered = pl[i].change = 0;
		if (req->tenders[i].amount == 0) {
			if (rest >= 0)
				return duka_fail(err, DUKA_EINPUT,
				    _("only one way to pay can take \"the "
				    "rest\"; give the others an amount"));
			rest = i;
		}
	}
	for (i = 0; i < req->ntenders; i++) {
		const struct tender *t = &req->tenders[i];
		if (t->method == PAY_CASH || i == rest)
			continue;
		if (t->amount > left) {
			money_format(t->amount, a, sizeof a);
			money_format(left, b, sizeof b);
			return duka_fail(err, DUKA_EINPUT, _("%s: %s is more "
			    "than the %s left to pay (only cash gives change)"),
			    pay_method_label(t->method), a, b);
		}
		pl[i].applied = pl[i].tendered = t->amount;
		left -= t->amount;
	}
	for (i = 0; i < req->ntenders; i++) {
		const struct tender *t = &req->tenders[i];
		if (t->method != PAY_CASH || i == rest)
			continue;
		pl[i].tendered = t->amount;
		pl[i].applied = t->amount < left ? t->amount : left;
		pl[i].change = pl[i].tendered - pl[i].applied;
		left -= pl[i].applied;
	}
	if (rest >= 0) {
		pl[rest].applied = pl[rest].tendered = left;
		left = 0;
	}
	if (left > 0) {
		money_format(left, a, sizeof a);
		return duka_fail(err, DUKA_EINPUT, _("%s is still to pay"), a);
	}
	for (i = 0; i < req->ntenders; i++)
		if (pl[i].applied == 0 && total > 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("%s pays nothing: the sale is already paid"),
			    pay_method_label(req->tenders[i].method));
	return DUKA_OK;
}

/* Take the till's next receipt number, inside the sale's transaction. */
int
sale_receipt_next(struct db *db, const char *till_id, int64_t *no,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "INSERT INTO receipt_counters(till_id, last_no) "
	    "VALUES (?1, 1) ON CONFLICT(till_id) DO UPDATE SET "
	    "last_no = last_no + 1 RETURNING last_no", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*no = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(db, err, _("numbering the receipt"));
}

/* Report an earlier commit of the same cart; 1 if there was one. */
static int
sale_already(struct db *db, const char *token, struct sale_result *res,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, till_id, receipt_no, total, state FROM "
	    "sales WHERE cart_token = ?1", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		res->sale_id = sqlite3_column_int64(st, 0);
		res->receipt_no = sqlite3_column_int64(st, 2);
		sale_receipt_text((const char *)sqlite3_column_text(st, 1),
		    res->receipt_no, res->receipt);
		res->total = sqlite3_column_int64(st, 3);
		res->awaiting = strcmp((const char *)sqlite3_column_text(st,
		    4), "completed") != 0;
		res->duplicate = 1;
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, err, _("reading sales"));
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* Refuse an M-PESA code that paid another sale already. */
static int
sale_mpesa_unused(struct db *db, const char *code, struct duka_err *err)
{
	char text[RECEIPT_TEXT_MAX];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT s.till_id, s.receipt_no FROM payments p "
	    "JOIN sales s ON s.id = p.sale_id WHERE p.method = 'mpesa' AND "
	    "p.reference = ?1 AND p.amount > 0", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sale_receipt_text((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), text);
	db_done(st);
	if (rc == SQLITE_ROW)
		return duka_fail(err, DUKA_EINPUT, _("the M-PESA code %s already "
		    "paid receipt %s"), code, text);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("checking the M-PESA code"));
}

/* Charge amount to a customer's account within the credit limit. */
static int
sale_charge_account(struct db *db, int64_t customer_id, int64_t amount,
    struct duka_err *err)
{
	char lim[MONEY_MAX_TEXT], owes[MONEY_MAX_TEXT], amt[MONEY_MAX_TEXT];
	int64_t limit = 0, balance = 0, after;
	char name[324] = "";
	sqlite3_stmt *st;
	int rc, active = 0;

	st = db_stmt(db, "SELECT name, credit_limit, balance, active FROM "
	    "customers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, customer_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(name, sizeof name, "%s", sqlite3_column_text(st, 0));
		limit = sqlite3_column_int64(st, 1);
		balance = sqlite3_column_int64(st, 2);
		active = sqlite3_column_int(st, 3);
	}
	db_done(st);
	if (rc == SQLITE_DONE || (rc == SQLITE_ROW && !active))
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no customer number %lld"),
		    (long long)customer_id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the customer"));
	if (__builtin_add_overflow(balance, amount, &after) || after > limit) {
		money_format(limit, lim, sizeof lim);
		money_format(balance, owes, sizeof owes);
		money_format(amount, amt, sizeof amt);
		return duka_fail(err, DUKA_EINPUT, _("%s cannot take %s on "
		    "account: the credit limit is %s and %s is owed already"),
		    name, amt, lim, owes);
	}
	st = db_stmt(db, "UPDATE customers SET balance = ?2 WHERE id = ?1",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_int64(st, 2, after);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("updating the customer's balance"));
}

/* Everything one commit carries along while it writes. */
struct commit {
	struct db *db;
	const struct sale_request *req;
	const struct settings *cfg;
	struct cart_totals tot;
	struct planned *pl;
	int64_t sale_id, receipt_no, shift_id;
	char receipt[RECEIPT_TEXT_MAX];
	char at[TIMESTAMP_LEN], day[DATE_LEN];
	int awaiting;
	unsigned perms;			/* what the seller needs (user.h) */
	json_t *lines, *payments;
};

/* Insert the sales row. */
static int
sale_insert(struct commit *c, struct duka_err *err)
{
	const struct cart_sums *s = &c->tot.sum;
	const char *by;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(c->db, "INSERT INTO sales(till_id, receipt_no, kind, "
	    "state, shift_id, cart_token, customer_id, user_name, approved_by, "
	    "shelf_gross, gross, discount, total, vat, at, business_day) "
	    "VALUES (?1, ?2, 'sale', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	    "?13, ?14, ?15)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, c->req->till_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, c->receipt_no);
	sqlite3_bind_text(st, 3, c->awaiting ? "awaiting_payment" : "completed",
	    -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->shift_id);
	sqlite3_bind_text(st, 5, c->req->cart_token, -1, SQLITE_TRANSIENT);
	if (c->req->customer_id > 0)
		sqlite3_bind_int64(st, 6, c->req->customer_id);
	db_bind_text_or_null(st, 7, c->req->user);
	/* A manager's checked approval (perm_approve) beats a typed name; a
	 * manager past the limits on their own sale approved it themselves. */
	by = perm_approver(c->db);
	if (by == NULL && c->req->cart->approved)
		by = c->req->cart->approved_by;
	if (by == NULL && c->tot.needs != 0 && !user_setup_mode(c->db))
		by = user_actor_name(c->db);
	db_bind_text_or_null(st, 8, by);
	sqlite3_bind_int64(st, 9, s->shelf_gross);
	sqlite3_bind_int64(st, 10, s->gross);
	sqlite3_bind_int64(st, 11, s->line_discounts + s->sale_discount);
	sqlite3_bind_int64(st, 12, s->total);
	sqlite3_bind_int64(st, 13, s->vat);
	sqlite3_bind_text(st, 14, c->at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 15, c->day, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(c->db, err, _("saving the sale"));
	c->sale_id = sqlite3_last_insert_rowid(db_sqlite(c->db));
	return DUKA_OK;
}

/* Record where line_no's stock came from. */
static int
sale_allocations_insert(struct commit *c, int line_no,
    const struct stock_allocation *a, int n, json_t *list,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; i < n; i++) {
		st = db_stmt(c->db, "INSERT INTO sale_allocations(sale_id, "
		    "line_no, movement_id, batch_id, qty, unit_cost) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6)", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, c->sale_id);
		sqlite3_bind_int(st, 2, line_no);
		sqlite3_bind_int64(st, 3, a[i].movement_id);
		if (a[i].batch_id > 0)
			sqlite3_bind_int64(st, 4, a[i].batch_id);
		sqlite3_bind_int64(st, 5, -a[i].qty);
		sqlite3_bind_int64(st, 6, a[i].unit_cost);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(c->db, err, _("saving the sale"));
		json_array_append_new(list, json_pack("{so sI sI}", "batch_id",
		    a[i].batch_id > 0 ? json_integer(a[i].batch_id) :
		    json_null(), "qty", (json_int_t)a[i].qty, "unit_cost",
		    (json_int_t)a[i].unit_cost));
	}
	return DUKA_OK;
}

/* Insert one sale line, take its stock out (FEFO) and record where from. */
static int
sale_line_insert(struct commit *c, int i, struct duka_err *err)
{
	const struct cart_line *l = &c->req->cart->line[i];
	struct stock_allocation alloc[SALE_MAX_ALLOC];
	int64_t price = l->override >= 0 ? l->override : l->price;
	struct stock_issue is;
	sqlite3_stmt *st;
	json_t *allocs;
	int n, rc;

	st = db_stmt(c->db, "INSERT INTO sale_lines(sale_id, line_no, "
	    "product_id, sku, name, unit, tax_class, qty, shelf_price, "
	    "unit_price, line_discount, sale_discount, amount, vat) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, c->sale_id);
	sqlite3_bind_int(st, 2, i + 1);
	sqlite3_bind_int64(st, 3, l->product_id);
	sqlite3_bind_text(st, 4, l->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, l->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, product_unit_name(l->unit), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, tax_class_name(l->tax), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, l->qty);
	sqlite3_bind_int64(st, 9, l->price);
	sqlite3_bind_int64(st, 10, price);
	sqlite3_bind_int64(st, 11, l->line_discount);
	sqlite3_bind_int64(st, 12, l->sale_discount);
	sqlite3_bind_int64(st, 13, l->amount);
	sqlite3_bind_int64(st, 14, l->vat);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(c->db, err, _("saving the sale"));

	memset(&is, 0, sizeof is);
	is.product_id = l->product_id;
	is.qty = l->qty;
	is.reason = STOCK_SALE;
	is.unit_price = price;
	is.reference = c->receipt;
	is.user = c->req->user;
	is.no_event = 1;
	is.flags = (c->cfg->allow_negative_stock ? STOCK_ALLOW_NEGATIVE : 0) |
	    (c->req->allow_expired ? STOCK_ALLOW_EXPIRED : 0);
	if ((rc = stock_issue(c->db, &is, alloc, SALE_MAX_ALLOC, &n, err)) !=
	    DUKA_OK)
		return rc;
	allocs = json_array();
	json_array_append_new(c->lines, json_pack("{si sI ss ss sI sI sI sI "
	    "sI sI ss so}", "line_no", i + 1, "product_id",
	    (json_int_t)l->product_id, "sku", l->sku, "name", l->name,
	    "qty", (json_int_t)l->qty, "shelf_price", (json_int_t)l->price,
	    "unit_price", (json_int_t)price, "discount",
	    (json_int_t)(l->line_discount + l->sale_discount), "amount",
	    (json_int_t)l->amount, "vat", (json_int_t)l->vat, "tax_class",
	    tax_class_name(l->tax), "allocations", allocs));
	return sale_allocations_insert(c, i + 1, alloc, n, allocs, err);
}

/* Insert the payments and charge accounts. */
static int
sale_payments_insert(struct commit *c, struct duka_err *err)
{
	const struct planned *p;
	sqlite3_stmt *st;
	int i, rc, pending;

	for (i = 0; i < c->req->ntenders; i++) {
		p = &c->pl[i];
		pending = p->t->method == PAY_MPESA && p->t->pending;
		if (p->t->method == PAY_MPESA && !pending &&
		    (rc = sale_mpesa_unused(c->db, p->reference, err)) != 0)
			return rc;
		if (p->t->method == PAY_ACCOUNT && (rc = sale_charge_account(
		    c->db, p->customer_id, p->applied, err)) != DUKA_OK)
			return rc;
		st = db_stmt(c->db, "INSERT INTO payments(sale_id, method, "
		    "state, amount, tendered, change_due, reference, verified, "
		    "customer_id, phone, created_at, updated_at) VALUES (?1, "
		    "?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?10)", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, c->sale_id);
		sqlite3_bind_text(st, 2, pay_method_name(p->t->method), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, pending ? "pending" : "paid", -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, p->applied);
		if (p->t->method == PAY_CASH) {
			sqlite3_bind_int64(st, 5, p->tendered);
			sqlite3_bind_int64(st, 6, p->change);
		}
		db_bind_text_or_null(st, 7, p->reference);
		if (p->customer_id > 0)
			sqlite3_bind_int64(st, 8, p->customer_id);
		db_bind_text_or_null(st, 9, p->t->phone);
		sqlite3_bind_text(st, 10, c->at, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(c->db, err, _("saving a payment"));
		json_array_append_new(c->payments, json_pack("{sI ss ss sI sI "
		    "so}", "payment_id", (json_int_t)sqlite3_last_insert_rowid(
		    db_sqlite(c->db)),
		    "method", pay_method_name(p->t->method), "state", pending ?
		    "pending" : "paid", "amount", (json_int_t)p->applied,
		    "change", (json_int_t)p->change, "reference",
		    p->reference[0] ? json_string(p->reference) : json_null()));
	}
	return DUKA_OK;
}

/* Queue sale.completed and write the audit row. */
static int
sale_event(struct commit *c, struct duka_err *err)
{
	const struct cart_sums *s = &c->tot.sum;
	char detail[160], total[MONEY_MAX_TEXT];
	json_t *data;
	int rc;

	data = json_pack("{sI ss sI ss ss ss ss so so sI sI sI sI sO sO}",
	    "sale_id", (json_int_t)c->sale_id, "till", c->req->till_id,
	    "receipt_no", (json_int_t)c->receipt_no, "receipt", c->receipt,
	    "state", c->awaiting ? "awaiting_payment" : "completed",
	    "at", c->at, "business_day", c->day,
	    "user", c->req->user ? json_string(c->req->user) : json_null(),
	    "customer_id", c->req->customer_id > 0 ?
	    json_integer(c->req->customer_id) : json_null(),
	    "gross", (json_int_t)s->gross,
	    "discount", (json_int_t)(s->line_discounts + s->sale_discount),
	    "total", (json_int_t)s->total, "vat", (json_int_t)s->vat,
	    "lines", c->lines, "payments", c->payments);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = outbox_add(c->db, "sale.completed", data, err)) != DUKA_OK)
		return rc;
	money_format(s->total, total, sizeof total);
	snprintf(detail, sizeof detail, "receipt %s total %s%s", c->receipt,
	    total, c->awaiting ? " awaiting payment" : "");
	return audit_add(c->db, c->req->user, "sale.commit", "sale",
	    c->sale_id, detail, err);
}

/* The transaction of sale_commit. */
static int
sale_write(struct commit *c, struct sale_result *res, struct duka_err *err)
{
	int i, rc, dup;

	if ((rc = db_begin(c->db, err)) != DUKA_OK)
		return rc;
	if ((dup = sale_already(c->db, c->req->cart_token, res, err)) != 0) {
		db_rollback(c->db);
		return dup < 0 ? err->code : DUKA_OK;
	}
	if ((rc = perm_require(c->db, c->perms, err)) != DUKA_OK)
		goto fail;
	if ((rc = shift_current(c->db, c->req->till_id, &c->shift_id,
	    err)) != DUKA_OK ||
	    (rc = sale_receipt_next(c->db, c->req->till_id, &c->receipt_no,
	    err)) != DUKA_OK)
		goto fail;
	sale_receipt_text(c->req->till_id, c->receipt_no, c->receipt);
	if ((rc = sale_insert(c, err)) != DUKA_OK)
		goto fail;
	for (i = 0; i < c->req->cart->n; i++)
		if ((rc = sale_line_insert(c, i, err)) != DUKA_OK)
			goto fail;
	if ((rc = sale_payments_insert(c, err)) != DUKA_OK ||
	    (rc = sale_event(c, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(c->db, err)) != DUKA_OK)
		return rc;
	return DUKA_OK;
fail:
	db_rollback(c->db);
	return rc;
}

/*
 * What the sale needs of the seller (user.h): selling; a manager for a
 * price override, for going past the limits of [limits] (discounts, size)
 * and for an expired batch.
 */
static unsigned
sale_perms(const struct sale_request *req, const struct cart_totals *t)
{
	unsigned perms = PERM_SELL;
	int i;

	for (i = 0; i < req->cart->n; i++)
		if (req->cart->line[i].override != CART_NO_OVERRIDE)
			perms |= PERM_PRICE_OVERRIDE;
	if (t->needs != 0)
		perms |= PERM_DISCOUNT;
	if (req->allow_expired)
		perms |= PERM_SELL_EXPIRED;
	return perms;
}

int
sale_commit(struct db *db, const struct sale_request *req,
    const struct settings *cfg, struct sale_result *res,
    struct duka_err *err)
{
	struct commit c;
	unsigned perms;
	int i, rc;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	if (req->cart_token == NULL || req->cart_token[0] == '\0' ||
	    req->till_id == NULL || req->till_id[0] == '\0')
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: a sale without a till or cart token"));
	if (req->ntenders < 0 || req->ntenders > 16)
		return duka_fail(err, DUKA_EINPUT,
		    _("a sale takes at most 16 payments"));
	cart_totals(req->cart, cfg, &c.tot);
	perms = sale_perms(req, &c.tot);
	/* Once the shop has users, a manager (by role or by approval) stands
	 * for cart_approve; a typed name alone no longer does. */
	if (!(req->cart->n > 0 && c.tot.needs != 0 && !user_setup_mode(db) &&
	    perm_allowed(db, perms)) &&
	    (rc = cart_check_commit(req->cart, cfg, err)) != DUKA_OK) {
		/* Past the limits without a manager: a matter of rights. */
		if (req->cart->n > 0 && c.tot.needs != 0 &&
		    !user_setup_mode(db))
			rc = err->code = DUKA_EPERM;
		return rc;
	}
	if (req->ntenders == 0 && c.tot.sum.total > 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("say how the customer pays"));
	c.pl = calloc((size_t)req->ntenders + 1, sizeof *c.pl);
	if (c.pl == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = sale_plan(req, c.tot.sum.total, c.pl, err)) != DUKA_OK)
		goto out;
	for (i = 0; i < req->ntenders; i++)
		if (req->tenders[i].method == PAY_MPESA &&
		    req->tenders[i].pending)
			c.awaiting = 1;
	c.perms = perms;
	c.db = db;
	c.req = req;
	c.cfg = cfg;
	date_now_timestamp(c.at);
	date_today(c.day);
	c.lines = json_array();
	c.payments = json_array();
	if ((rc = sale_write(&c, res, err)) == DUKA_OK && !res->duplicate) {
		res->sale_id = c.sale_id;
		res->receipt_no = c.receipt_no;
		memcpy(res->receipt, c.receipt, sizeof res->receipt);
		res->total = c.tot.sum.total;
		res->awaiting = c.awaiting;
		for (i = 0; i < req->ntenders; i++) {
			res->paid += c.pl[i].applied;
			res->change += c.pl[i].change;
		}
	}
out:
	json_decref(c.lines);
	json_decref(c.payments);
	free(c.pl);
	return rc;
}

/* Report each row of a problem query: column 0 names the receipt or till,
 * column 1 gives the figures; what says what is wrong. */
static int
sale_check_query(struct db *db, const char *sql, const char *check,
    const char *what, struct check_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, sql, err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		check_problem(r, check, "%s: %s (%s)",
		    (const char *)sqlite3_column_text(st, 0), what,
		    (const char *)sqlite3_column_text(st, 1));
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("checking sales"));
}

int
sale_check(struct db *db, struct check_report *r, struct duka_err *err)
{
	int rc;

	/* Totals equal their lines; a sale has lines. */
	if ((rc = sale_check_query(db, "SELECT s.till_id || '-' || "
	    "printf('%06d', s.receipt_no), s.total || ' vs ' || coalesce(sum(l.amount), 0) "
	    "FROM sales s LEFT JOIN sale_lines l ON l.sale_id = s.id "
	    "GROUP BY s.id HAVING count(l.line_no) = 0 OR "
	    "s.total <> sum(l.amount) OR s.vat <> sum(l.vat)", "sales",
	    _("the total and the lines disagree"), r, err)) != 0)
		return rc;
	/* What each sold line took out of stock equals its quantity. */
	if ((rc = sale_check_query(db, "SELECT s.till_id || '-' || "
	    "printf('%06d', s.receipt_no) || ' line ' || l.line_no, l.qty || ' vs ' || "
	    "coalesce((SELECT -sum(a.qty) FROM sale_allocations a WHERE "
	    "a.sale_id = l.sale_id AND a.line_no = l.line_no), 0) FROM "
	    "sale_lines l JOIN sales s ON s.id = l.sale_id WHERE "
	    "s.kind = 'sale' AND l.qty <> coalesce((SELECT -sum(a.qty) FROM "
	    "sale_allocations a WHERE a.sale_id = l.sale_id AND "
	    "a.line_no = l.line_no), 0)", "sales",
	    _("the stock taken differs from the quantity sold"),
	    r, err)) != 0)
		return rc;
	/* A completed sale is paid in full. */
	if ((rc = sale_check_query(db, "SELECT s.till_id || '-' || "
	    "printf('%06d', s.receipt_no), s.total || ' vs ' || coalesce(sum(p.amount), 0) "
	    "FROM sales s LEFT JOIN payments p ON p.sale_id = s.id AND "
	    "p.state = 'paid' WHERE s.state = 'completed' GROUP BY s.id "
	    "HAVING s.total <> coalesce(sum(p.amount), 0)", "payments",
	    _("the payments do not add up to the total"), r,
	    err)) != 0)
		return rc;
	/* Receipt numbers run 1, 2, 3... with no gap, as the counter says. */
	return sale_check_query(db, "SELECT s.till_id, count(*) || ' receipts, "
	    "highest ' || max(s.receipt_no) || ', counter ' || "
	    "coalesce(c.last_no, 0) FROM sales s LEFT JOIN receipt_counters c "
	    "ON c.till_id = s.till_id GROUP BY s.till_id HAVING "
	    "count(*) <> max(s.receipt_no) OR min(s.receipt_no) <> 1 OR "
	    "coalesce(c.last_no, 0) <> max(s.receipt_no)", "receipts",
	    _("the receipt numbers have gaps"), r, err);
}
