/*
 * shift.c - a till's shifts: the float, cash paid in and out, and the X
 * and Z reports computed from the ledger.
 *
 * Shift states:
 *
 *	(none) --shift_open--> open --shift_close--> closed
 *
 * At most one shift is open per till (the index shifts_one_open says so
 * too). A closed shift never changes again: its Z number, expected and
 * counted cash are written once, in the transaction that closes it.
 *
 * The report is a set of SQL aggregates over sales, payments, sale_lines
 * and cash_movements, never figures kept on the side, so that it cannot
 * drift from the ledger. A payment belongs to the shift of its sale. A
 * closed shift is reported as it stood when it closed: a payment that
 * changed state afterwards (an M-PESA prompt answered late) counts as it
 * was then, pending, and a payment added afterwards does not count, so
 * that reprinting a Z gives the Z that was printed. That rests on one rule
 * of the payments table: a row only moves out of "pending" and stamps
 * updated_at when it does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "i18n.h"
#include "outbox.h"
#include "shift.h"
#include "text.h"
#include "user.h"

/* KSh 10 million in cents: more in one float or pay-in is a typing slip. */
#define SHIFT_CASH_MAX INT64_C(1000000000)
/* KSh 1,000 million in cents: no drawer holds that much at a count. */
#define SHIFT_COUNTED_MAX INT64_C(100000000000)
/* The longest reason for a cash movement, in characters. */
#define SHIFT_REASON_MAX 200

static const char *const cash_kind_names[] = {
	[CASH_PAY_IN] = "pay_in",
	[CASH_PAY_OUT] = "pay_out",
	[CASH_NO_SALE] = "no_sale",
};

static const char *const cash_audit_actions[] = {
	[CASH_PAY_IN] = "shift.pay_in",
	[CASH_PAY_OUT] = "shift.pay_out",
	[CASH_NO_SALE] = "shift.no_sale",
};

/* Add b to *a, refusing a sum that does not fit in int64_t. */
static int
shift_add(int64_t *a, int64_t b, struct duka_err *err)
{
	if (__builtin_add_overflow(*a, b, a))
		return duka_fail(err, DUKA_EFAIL,
		    _("the shift's totals are too large to add up"));
	return DUKA_OK;
}

/* A JSON string, or null for NULL or "" (jansson takes the reference). */
static json_t *
shift_json_text(const char *s)
{
	json_t *j;

	if (s == NULL || *s == '\0')
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_null();
}

/* Refuse an empty or malformed till id before anything is read. */
static int
shift_check_till(const char *till_id, struct duka_err *err)
{
	if (till_id == NULL || *till_id == '\0')
		return duka_fail(err, DUKA_EINPUT,
		    _("no till id: set [till] id in duka.conf"));
	if (strlen(till_id) >= sizeof ((struct shift_report *)0)->till_id)
		return duka_fail(err, DUKA_EINPUT,
		    _("the till id \"%.40s\" is too long"), till_id);
	return DUKA_OK;
}

/*
 * The open shift of till: its id and when it opened. DUKA_ENOTFOUND (with
 * the message only when err wants one) when none is open.
 */
static int
shift_find_open(struct db *db, const char *till_id, int64_t *id,
    char opened_at[TIMESTAMP_LEN], struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, opened_at FROM shifts "
	    "WHERE till_id = ?1 AND state = 'open'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (opened_at != NULL)
			db_column_copy(st, 1, opened_at, TIMESTAMP_LEN);
		db_done(st);
		return DUKA_OK;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("looking for the open shift"));
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("no shift is open on till %s: open a shift first (duka shift "
	    "open --float AMOUNT)"), till_id);
}

int
shift_open(struct db *db, const char *till_id, int64_t float_cash,
    const char *user, int64_t *shift_id, struct duka_err *err)
{
	char at[TIMESTAMP_LEN], since[TIMESTAMP_LEN], amount[MONEY_MAX_TEXT];
	char detail[96];
	struct duka_err none;
	sqlite3_stmt *st;
	json_t *data;
	int64_t id;
	int rc;

	if ((rc = shift_check_till(till_id, err)) != DUKA_OK)
		return rc;
	money_format_ksh(float_cash, amount, sizeof amount);
	if (float_cash < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the float %s is negative: count the cash in the drawer "
		    "(0 if it is empty)"), amount);
	if (float_cash > SHIFT_CASH_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("the float %s is more than a drawer holds; check the "
		    "amount"), amount);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	rc = shift_find_open(db, till_id, &id, since, &none);
	if (rc == DUKA_OK) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("shift %lld is already open on till %s (opened %s): "
		    "close it with a Z report first"), (long long)id, till_id,
		    since);
		goto fail;
	}
	if (rc != DUKA_ENOTFOUND) {
		*err = none;
		goto fail;
	}

	date_now_timestamp(at);
	st = db_stmt(db, "INSERT INTO shifts(till_id, state, opened_by, "
	    "opened_at, float_cash) VALUES (?1, 'open', ?2, ?3, ?4)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 2, user);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, float_cash);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("opening the shift"));
		goto fail;
	}
	id = sqlite3_last_insert_rowid(db_sqlite(db));

	data = json_pack("{sI ss so ss sI}", "shift_id", (json_int_t)id,
	    "till_id", till_id, "opened_by", shift_json_text(user),
	    "opened_at", at, "float_cash", (json_int_t)float_cash);
	if ((rc = outbox_add(db, "shift.opened", data, err)) != DUKA_OK)
		goto fail;
	money_format(float_cash, amount, sizeof amount);
	snprintf(detail, sizeof detail, "till %s float %s", till_id, amount);
	if ((rc = audit_add(db, user, "shift.open", "shift", id, detail,
	    err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (shift_id != NULL)
		*shift_id = id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

int
shift_current(struct db *db, const char *till_id, int64_t *shift_id,
    struct duka_err *err)
{
	int64_t id;
	int rc;

	if ((rc = shift_check_till(till_id, err)) != DUKA_OK)
		return rc;
	if ((rc = shift_find_open(db, till_id, &id, NULL, err)) != DUKA_OK)
		return rc;
	if (shift_id != NULL)
		*shift_id = id;
	return DUKA_OK;
}

int
shift_cash(struct db *db, const char *till_id, enum cash_kind kind,
    int64_t amount, const char *reason, const char *user,
    struct duka_err *err)
{
	char at[TIMESTAMP_LEN], text[MONEY_MAX_TEXT];
	char why[SHIFT_REASON_MAX * 4 + 1];
	char detail[sizeof why + 64];
	sqlite3_stmt *st;
	json_t *data;
	int64_t id;
	int rc;

	if ((unsigned)kind > (unsigned)CASH_NO_SALE)
		return duka_fail(err, DUKA_EINPUT,
		    _("internal error: unknown kind of cash movement %d"),
		    (int)kind);
	if ((rc = shift_check_till(till_id, err)) != DUKA_OK)
		return rc;
	money_format_ksh(amount, text, sizeof text);
	if (kind == CASH_NO_SALE && amount != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("opening the drawer without a sale moves no cash (%s "
		    "given); record cash with a pay-in or a pay-out"), text);
	if (kind != CASH_NO_SALE && amount <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the amount %s must be more than 0"), text);
	if (amount > SHIFT_CASH_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("the amount %s is more than a drawer holds; check the "
		    "amount"), text);
	if (reason == NULL || text_trim_copy(reason, why, sizeof why) != 0 ||
	    why[0] == '\0') {
		if (reason != NULL && strlen(reason) >= sizeof why)
			return duka_fail(err, DUKA_EINPUT,
			    _("the reason \"%.40s...\" is longer than %d "
			    "characters"), reason, SHIFT_REASON_MAX);
		return duka_fail(err, DUKA_EINPUT, kind == CASH_NO_SALE ?
		    _("say why the drawer is opened without a sale (a "
		    "reason is needed)") :
		    _("say why cash goes into or out of the drawer (a reason "
		    "is needed)"));
	}
	if ((rc = text_check_name(why, SHIFT_REASON_MAX, _("reason"), err)) !=
	    DUKA_OK)
		return rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	/* Cash out and a drawer opened without a sale need a manager. */
	if ((rc = perm_require(db, kind == CASH_PAY_IN ? PERM_CASH_IN :
	    PERM_DRAWER, err)) != DUKA_OK)
		goto fail;
	if ((rc = shift_find_open(db, till_id, &id, NULL, err)) != DUKA_OK)
		goto fail;
	date_now_timestamp(at);
	st = db_stmt(db, "INSERT INTO cash_movements(shift_id, kind, amount, "
	    "reason, user_name, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, cash_kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, amount);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 5, user);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("recording the cash movement"));
		goto fail;
	}

	data = json_pack("{sI sI ss ss sI ss so ss}",
	    "movement_id", (json_int_t)sqlite3_last_insert_rowid(db_sqlite(db)),
	    "shift_id", (json_int_t)id, "till_id", till_id,
	    "kind", cash_kind_names[kind], "amount", (json_int_t)amount,
	    "reason", why, "user", shift_json_text(user), "at", at);
	if ((rc = outbox_add(db, "shift.cash", data, err)) != DUKA_OK)
		goto fail;
	money_format(amount, text, sizeof text);
	snprintf(detail, sizeof detail, "%s %s: %s", cash_kind_names[kind],
	    text, why);
	if ((rc = audit_add(db, user, cash_audit_actions[kind], "shift", id,
	    detail, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* Read the shift row itself into r. */
static int
report_shift(struct db *db, int64_t shift_id, struct shift_report *r,
    int *closed, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT till_id, state, opened_by, opened_at, "
	    "float_cash, closed_by, closed_at, z_number, expected_cash, "
	    "counted_cash FROM shifts WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, shift_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, _("reading the shift"));
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no shift %lld"), (long long)shift_id);
	}
	r->shift_id = shift_id;
	db_column_copy(st, 0, r->till_id, sizeof r->till_id);
	*closed = strcmp((const char *)sqlite3_column_text(st, 1),
	    "closed") == 0;
	db_column_copy(st, 2, r->opened_by, sizeof r->opened_by);
	db_column_copy(st, 3, r->opened_at, sizeof r->opened_at);
	r->float_cash = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, r->closed_by, sizeof r->closed_by);
	db_column_copy(st, 6, r->closed_at, sizeof r->closed_at);
	r->z_number = sqlite3_column_int64(st, 7);
	r->expected_cash = sqlite3_column_int64(st, 8);
	r->counted_cash = sqlite3_column_int64(st, 9);
	db_done(st);
	return DUKA_OK;
}

/* Bind the shift and the cut-off (NULL: as things are now). */
static void
report_bind(sqlite3_stmt *st, int64_t shift_id, const char *cutoff)
{
	sqlite3_bind_int64(st, 1, shift_id);
	if (cutoff != NULL)
		sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_TRANSIENT);
}

/* Counts and takings of the shift's sales and refunds. */
static int
report_sales(struct db *db, struct shift_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT kind, count(*), sum(shelf_gross), "
	    "sum(discount), sum(discount <> 0), sum(total) FROM sales "
	    "WHERE shift_id = ?1 GROUP BY kind", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->shift_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);

		if (strcmp(kind, "sale") == 0) {
			r->sales = sqlite3_column_int64(st, 1);
			r->gross = sqlite3_column_int64(st, 2);
			r->discounts = sqlite3_column_int64(st, 3);
			r->discount_count = sqlite3_column_int64(st, 4);
			r->sales_total = sqlite3_column_int64(st, 5);
		} else {
			r->refunds = sqlite3_column_int64(st, 1);
			r->refunds_total = sqlite3_column_int64(st, 5);
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("adding up the shift's sales"));
	r->net_total = r->sales_total;
	return shift_add(&r->net_total, r->refunds_total, err);
}

/*
 * Payments per method and state as they stood at cutoff: one changed
 * later was pending then, one made later did not exist.
 */
static int
report_payments(struct db *db, struct shift_report *r, const char *cutoff,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	const char *method, *state;
	int rc, m;

	st = db_stmt(db, "SELECT p.method, CASE WHEN ?2 IS NULL OR "
	    "p.updated_at <= ?2 THEN p.state ELSE 'pending' END, "
	    "sum(p.amount) FROM payments p JOIN sales s ON s.id = p.sale_id "
	    "WHERE s.shift_id = ?1 AND (?2 IS NULL OR p.created_at <= ?2) "
	    "GROUP BY 1, 2", err);
	if (st == NULL)
		return err->code;
	report_bind(st, r->shift_id, cutoff);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		method = (const char *)sqlite3_column_text(st, 0);
		state = (const char *)sqlite3_column_text(st, 1);
		if (strcmp(state, "pending") == 0) {
			if ((rc = shift_add(&r->pending_total,
			    sqlite3_column_int64(st, 2), err)) != DUKA_OK)
				goto out;
			continue;
		}
		if (strcmp(state, "paid") != 0)
			continue;	/* failed or cancelled: no money */
		for (m = 0; m < PAY_METHODS; m++)
			if (strcmp(method, pay_method_name(m)) == 0)
				break;
		if (m == PAY_METHODS) {
			rc = duka_fail(err, DUKA_ECHECK,
			    _("a payment of shift %lld has the unknown method "
			    "\"%s\""), (long long)r->shift_id, method);
			goto out;
		}
		r->by_method[m] = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding up the shift's payments"));
		goto out;
	}
	rc = DUKA_OK;

	/* Awaiting: not fully paid at cutoff, the same test as the sale's
	 * state today but one that also holds for a past cutoff. */
	db_done(st);
	st = db_stmt(db, "SELECT count(*) FROM sales s WHERE s.shift_id = ?1 "
	    "AND s.total <> (SELECT coalesce(sum(p.amount), 0) FROM payments "
	    "p WHERE p.sale_id = s.id AND p.state = 'paid' AND "
	    "(?2 IS NULL OR p.updated_at <= ?2))", err);
	if (st == NULL)
		return err->code;
	report_bind(st, r->shift_id, cutoff);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = db_fail(db, err, _("counting sales awaiting payment"));
		goto out;
	}
	r->awaiting = sqlite3_column_int64(st, 0);
	rc = DUKA_OK;
out:
	db_done(st);
	return rc;
}

/* Takings and VAT per tax class, from the lines (refunds negative). */
static int
report_tax(struct db *db, struct shift_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	enum tax_class c;
	int rc;

	st = db_stmt(db, "SELECT l.tax_class, sum(l.amount), sum(l.vat) "
	    "FROM sale_lines l JOIN sales s ON s.id = l.sale_id "
	    "WHERE s.shift_id = ?1 GROUP BY l.tax_class", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->shift_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = tax_class_parse((const char *)sqlite3_column_text(st,
		    0), &c, err)) != DUKA_OK) {
			db_done(st);
			return rc;
		}
		/* Two spellings of one class would be two groups. */
		if ((rc = shift_add(&r->tax_amount[c],
		    sqlite3_column_int64(st, 1), err)) != DUKA_OK ||
		    (rc = shift_add(&r->tax_vat[c],
		    sqlite3_column_int64(st, 2), err)) != DUKA_OK) {
			db_done(st);
			return rc;
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("adding up VAT by tax class"));
	return DUKA_OK;
}

/* Cash paid in and out and drawer openings without a sale. */
static int
report_cash(struct db *db, struct shift_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	const char *kind;
	int rc;

	st = db_stmt(db, "SELECT kind, count(*), sum(amount) FROM "
	    "cash_movements WHERE shift_id = ?1 GROUP BY kind", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->shift_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(kind, "pay_in") == 0)
			r->pay_in = sqlite3_column_int64(st, 2);
		else if (strcmp(kind, "pay_out") == 0)
			r->pay_out = sqlite3_column_int64(st, 2);
		else
			r->no_sales = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("adding up cash paid in and out"));
	return DUKA_OK;
}

/* Lines voided before a sale was committed. */
static int
report_voids(struct db *db, struct shift_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT count(*), coalesce(sum(amount), 0) FROM "
	    "line_voids WHERE shift_id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, r->shift_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->voids = sqlite3_column_int64(st, 0);
		r->voids_total = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(db, err, _("counting voided lines"));
}

int
shift_void_record(struct db *db, const char *till_id, int64_t product_id,
    int64_t qty, int64_t amount, const char *user, struct duka_err *err)
{
	char at[TIMESTAMP_LEN], detail[96], text[MONEY_MAX_TEXT];
	sqlite3_stmt *st;
	int64_t shift_id;
	int rc;

	if (qty <= 0 || amount < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("a voided line needs a quantity and an amount"));
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = shift_find_open(db, till_id, &shift_id, NULL, err)) != 0)
		goto fail;
	date_now_timestamp(at);
	st = db_stmt(db, "INSERT INTO line_voids(shift_id, product_id, qty, "
	    "amount, user_name, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, shift_id);
	sqlite3_bind_int64(st, 2, product_id);
	sqlite3_bind_int64(st, 3, qty);
	sqlite3_bind_int64(st, 4, amount);
	db_bind_text_or_null(st, 5, user);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("recording a voided line"));
		goto fail;
	}
	money_format(amount, text, sizeof text);
	snprintf(detail, sizeof detail, "product %lld amount %s",
	    (long long)product_id, text);
	if ((rc = audit_add(db, user, "sale.void_line", "line_void",
	    sqlite3_last_insert_rowid(db_sqlite(db)), detail, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* Float + cash taken (net of cash refunds) + paid in - paid out. */
static int
report_expected(const struct shift_report *r, int64_t *out,
    struct duka_err *err)
{
	int64_t v = r->float_cash;
	int rc;

	if ((rc = shift_add(&v, r->by_method[PAY_CASH], err)) != DUKA_OK ||
	    (rc = shift_add(&v, r->pay_in, err)) != DUKA_OK ||
	    (rc = shift_add(&v, -r->pay_out, err)) != DUKA_OK)
		return rc;
	*out = v;
	return DUKA_OK;
}

/*
 * The report of shift_id, inside the caller's transaction. A closed
 * shift is reported as it stood when it closed, with the expected and
 * counted cash written then; cutoff (NULL: now) says when an open one is
 * taken, and the close takes it at its own time stamp, so that the Z it
 * prints is the one a reprint gives.
 */
static int
report_build(struct db *db, int64_t shift_id, const char *cutoff,
    struct shift_report *r, struct duka_err *err)
{
	int closed = 0, rc;

	memset(r, 0, sizeof *r);
	if ((rc = report_shift(db, shift_id, r, &closed, err)) != DUKA_OK)
		return rc;
	if (closed)
		cutoff = r->closed_at;
	if ((rc = report_sales(db, r, err)) != DUKA_OK ||
	    (rc = report_payments(db, r, cutoff, err)) != DUKA_OK ||
	    (rc = report_tax(db, r, err)) != DUKA_OK ||
	    (rc = report_cash(db, r, err)) != DUKA_OK ||
	    (rc = report_voids(db, r, err)) != DUKA_OK)
		return rc;
	if (closed) {
		r->difference = r->counted_cash;
		return shift_add(&r->difference, -r->expected_cash, err);
	}
	r->z_number = 0;
	r->counted_cash = 0;
	r->difference = 0;
	return report_expected(r, &r->expected_cash, err);
}

int
shift_report(struct db *db, int64_t shift_id, struct shift_report *r,
    struct duka_err *err)
{
	int rc;

	/* One transaction, so that the figures are of one moment. */
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = report_build(db, shift_id, NULL, r, err)) != DUKA_OK) {
		db_rollback(db);
		memset(r, 0, sizeof *r);
		return rc;
	}
	return db_commit(db, err);
}

int
shift_find_z(struct db *db, const char *till_id, int64_t z,
    int64_t *shift_id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = shift_check_till(till_id, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT id FROM shifts WHERE till_id = ?1 AND "
	    "z_number = ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, z);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && shift_id != NULL)
		*shift_id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("looking for the Z report"));
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("till %s has no Z report number %lld"), till_id, (long long)z);
}

/* The shift.closed event: every figure of the Z report. */
static json_t *
shift_report_json(const struct shift_report *r)
{
	json_t *data, *methods, *tax, *one;
	int i;

	data = json_pack("{sI ss sI ss ss so so sI sI sI sI sI sI sI sI sI "
	    "sI sI sI sI sI sI sI sI sI sI}",
	    "shift_id", (json_int_t)r->shift_id,
	    "till_id", r->till_id,
	    "z_number", (json_int_t)r->z_number,
	    "opened_at", r->opened_at,
	    "closed_at", r->closed_at,
	    "opened_by", shift_json_text(r->opened_by),
	    "closed_by", shift_json_text(r->closed_by),
	    "float_cash", (json_int_t)r->float_cash,
	    "sales", (json_int_t)r->sales,
	    "refunds", (json_int_t)r->refunds,
	    "awaiting", (json_int_t)r->awaiting,
	    "gross", (json_int_t)r->gross,
	    "discounts", (json_int_t)r->discounts,
	    "discount_count", (json_int_t)r->discount_count,
	    "sales_total", (json_int_t)r->sales_total,
	    "refunds_total", (json_int_t)r->refunds_total,
	    "net_total", (json_int_t)r->net_total,
	    "pending_total", (json_int_t)r->pending_total,
	    "pay_in", (json_int_t)r->pay_in,
	    "pay_out", (json_int_t)r->pay_out,
	    "no_sales", (json_int_t)r->no_sales,
	    "voids", (json_int_t)r->voids,
	    "voids_total", (json_int_t)r->voids_total,
	    "expected_cash", (json_int_t)r->expected_cash,
	    "counted_cash", (json_int_t)r->counted_cash,
	    "difference", (json_int_t)r->difference);
	methods = json_object();
	tax = json_object();
	if (data == NULL || methods == NULL || tax == NULL)
		goto fail;
	for (i = 0; i < PAY_METHODS; i++)
		if (json_object_set_new(methods, pay_method_name(i),
		    json_integer(r->by_method[i])) != 0)
			goto fail;
	for (i = 0; i < 3; i++) {
		one = json_pack("{sI sI}", "amount",
		    (json_int_t)r->tax_amount[i], "vat",
		    (json_int_t)r->tax_vat[i]);
		if (json_object_set_new(tax, tax_class_name(i), one) != 0)
			goto fail;
	}
	if (json_object_set_new(data, "by_method", methods) != 0) {
		methods = NULL;
		goto fail;
	}
	if (json_object_set_new(data, "tax", tax) != 0) {
		tax = NULL;
		goto fail;
	}
	return data;
fail:
	json_decref(data);
	json_decref(methods);
	json_decref(tax);
	return NULL;
}

int
shift_close(struct db *db, const char *till_id, int64_t counted_cash,
    const char *user, struct shift_report *r, struct duka_err *err)
{
	char at[TIMESTAMP_LEN], text[MONEY_MAX_TEXT];
	char counted[MONEY_MAX_TEXT], diff[MONEY_MAX_TEXT], detail[192];
	struct shift_report rep;
	sqlite3_stmt *st;
	json_t *data;
	int64_t id, z;
	int rc;

	if ((rc = shift_check_till(till_id, err)) != DUKA_OK)
		return rc;
	money_format_ksh(counted_cash, text, sizeof text);
	if (counted_cash < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the cash counted, %s, is negative: count the drawer "
		    "again (0 if it is empty)"), text);
	if (counted_cash > SHIFT_COUNTED_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("the cash counted, %s, is more than a drawer holds; "
		    "check the amount"), text);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	date_now_timestamp(at);
	if ((rc = shift_find_open(db, till_id, &id, NULL, err)) != DUKA_OK ||
	    (rc = report_build(db, id, at, &rep, err)) != DUKA_OK)
		goto fail;

	st = db_stmt(db, "SELECT coalesce(max(z_number), 0) + 1 FROM shifts "
	    "WHERE till_id = ?1", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	z = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW) {
		rc = db_fail(db, err, _("numbering the Z report"));
		goto fail;
	}

	rep.z_number = z;
	snprintf(rep.closed_at, sizeof rep.closed_at, "%s", at);
	snprintf(rep.closed_by, sizeof rep.closed_by, "%s",
	    user != NULL ? user : "");
	rep.counted_cash = counted_cash;
	rep.difference = counted_cash;
	if ((rc = shift_add(&rep.difference, -rep.expected_cash, err)) !=
	    DUKA_OK)
		goto fail;

	st = db_stmt(db, "UPDATE shifts SET state = 'closed', z_number = ?2, "
	    "expected_cash = ?3, counted_cash = ?4, closed_at = ?5, "
	    "closed_by = ?6 WHERE id = ?1 AND state = 'open'", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, z);
	sqlite3_bind_int64(st, 3, rep.expected_cash);
	sqlite3_bind_int64(st, 4, counted_cash);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 6, user);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("closing the shift"));
		goto fail;
	}
	if (sqlite3_changes(db_sqlite(db)) != 1) {
		rc = duka_fail(err, DUKA_EFAIL,
		    _("closing the shift: internal error: no row changed"));
		goto fail;
	}

	if ((data = shift_report_json(&rep)) == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if ((rc = outbox_add(db, "shift.closed", data, err)) != DUKA_OK)
		goto fail;
	money_format(rep.expected_cash, text, sizeof text);
	money_format(counted_cash, counted, sizeof counted);
	money_format(rep.difference, diff, sizeof diff);
	snprintf(detail, sizeof detail, "Z %lld expected %s counted %s "
	    "difference %s", (long long)z, text, counted, diff);
	if ((rc = audit_add(db, user, "shift.close", "shift", id, detail,
	    err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (r != NULL)
		*r = rep;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Labels of the tax classes, indexed by enum tax_class. */
static const char *const tax_labels[] = {
	N_("Standard rated (16%)"),
	N_("Zero rated (0%)"),
	N_("Exempt"),
};

/* Where a report goes: a file and the width of the layout (0: terminal). */
struct report_out {
	FILE *fp;
	int width;
};

/* One line of the report: a label and a value in columns. */
static void
out_pair(const struct report_out *o, const char *label, const char *value)
{
	int gap;

	if (o->width <= 0) {
		fprintf(o->fp, "  %-34s %18s\n", label, value);
		return;
	}
	gap = o->width - (int)text_utf8_chars(label, strlen(label)) -
	    (int)strlen(value);
	if (gap >= 1)
		fprintf(o->fp, "%s%*s%s\n", label, gap, "", value);
	else
		fprintf(o->fp, "%s\n%*s\n", label, o->width, value);
}

static void
out_money(const struct report_out *o, const char *label, int64_t cents)
{
	char m[MONEY_MAX_TEXT];

	money_format_ksh(cents, m, sizeof m);
	out_pair(o, label, m);
}

static void
out_count(const struct report_out *o, const char *label, int64_t n)
{
	char v[32];

	snprintf(v, sizeof v, "%lld", (long long)n);
	out_pair(o, label, v);
}

/* A label with a count in brackets, such as "Sales (12)". */
static const char *
label_count(char *buf, size_t n, const char *label, int64_t count)
{
	snprintf(buf, n, "%s (%lld)", label, (long long)count);
	return buf;
}

/* Takings per tax class: three columns on a terminal, pairs on a slip. */
static void
out_tax(const struct report_out *o, const struct shift_report *r)
{
	char a[MONEY_MAX_TEXT], v[MONEY_MAX_TEXT];
	int64_t sum_a = 0, sum_v = 0;
	int i;

	if (o->width <= 0)
		fprintf(o->fp, "\n%-30s %14s %14s\n", _("By tax class"),
		    _("Amount"), _("VAT"));
	else
		fprintf(o->fp, "\n%s\n", _("By tax class"));
	for (i = 0; i <= 3; i++) {
		const char *label = i < 3 ? _(tax_labels[i]) : _("Total");
		int64_t amount = i < 3 ? r->tax_amount[i] : sum_a;
		int64_t vat = i < 3 ? r->tax_vat[i] : sum_v;

		money_format(amount, a, sizeof a);
		money_format(vat, v, sizeof v);
		if (o->width <= 0) {
			fprintf(o->fp, "  %-28s %14s %14s\n", label, a, v);
		} else {
			out_pair(o, label, a);
			out_pair(o, _("  VAT"), v);
		}
		if (i < 3) {
			sum_a += r->tax_amount[i];
			sum_v += r->tax_vat[i];
		}
	}
}

void
shift_report_write(FILE *fp, const struct shift_report *r, int reprint,
    int width)
{
	const struct report_out out = { fp, width }, *o = &out;
	char l[160];
	int i;

	if (r->z_number > 0)
		fprintf(fp, _("Z REPORT %lld%s - till %s, shift %lld\n"),
		    (long long)r->z_number, reprint ? _(" (reprint)") : "",
		    r->till_id, (long long)r->shift_id);
	else
		fprintf(fp, _("X REPORT - till %s, shift %lld (the shift stays "
		    "open)\n"), r->till_id, (long long)r->shift_id);
	fprintf(fp, _("  Opened %s by %s\n"), r->opened_at,
	    r->opened_by[0] ? r->opened_by : "-");
	if (r->z_number > 0)
		fprintf(fp, _("  Closed %s by %s\n"), r->closed_at,
		    r->closed_by[0] ? r->closed_by : "-");

	fprintf(fp, _("\nTakings\n"));
	out_money(o, label_count(l, sizeof l, _("Sales"), r->sales),
	    r->sales_total);
	out_money(o, _("  at shelf prices"), r->gross);
	out_money(o, label_count(l, sizeof l, _("  discounts given"),
	    r->discount_count), r->discounts);
	out_money(o, label_count(l, sizeof l, _("Refunds"), r->refunds),
	    r->refunds_total);
	out_money(o, _("Net takings"), r->net_total);
	out_count(o, _("Sales awaiting payment"), r->awaiting);
	out_count(o, _("Voided lines"), r->voids);
	out_money(o, _("Voided lines came to"), r->voids_total);

	fprintf(fp, _("\nPayments received (net of refunds)\n"));
	for (i = 0; i < PAY_METHODS; i++)
		out_money(o, pay_method_label((enum pay_method)i),
		    r->by_method[i]);
	out_money(o, _("Pending, not paid yet"), r->pending_total);

	out_tax(o, r);

	fprintf(fp, _("\nCash drawer\n"));
	out_money(o, _("Float"), r->float_cash);
	out_money(o, _("Cash payments"), r->by_method[PAY_CASH]);
	out_money(o, _("Paid in"), r->pay_in);
	out_money(o, _("Paid out"), -r->pay_out);
	out_count(o, _("Drawer opened without a sale"), r->no_sales);
	out_money(o, _("Cash expected"), r->expected_cash);
	if (r->z_number == 0) {
		fprintf(fp, _("  (count the cash at the Z report)\n"));
		return;
	}
	out_money(o, _("Cash counted"), r->counted_cash);
	out_money(o, r->difference > 0 ? _("Difference (over)") :
	    r->difference < 0 ? _("Difference (short)") : _("Difference"),
	    r->difference);
}
