/*
 * payment.c - a sale's payments after the sale: settling a pending M-PESA
 * payment, paying it another way, and completing the sale (see payment.h).
 *
 * Every change here runs in one transaction with its payment.updated
 * event and its audit row; called inside a larger transaction (the M-PESA
 * worker applying a result to its attempt) it joins that one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "outbox.h"
#include "payment.h"
#include "user.h"

/* Fill p from a row of the payment queries below. */
static void
payment_row(sqlite3_stmt *st, struct payment_info *p)
{
	char method[16];
	enum pay_method m = PAY_CASH;

	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->sale_id = sqlite3_column_int64(st, 1);
	db_column_copy(st, 2, method, sizeof method);
	(void)pay_method_parse(method, &m, NULL);
	p->method = m;
	db_column_copy(st, 3, p->state, sizeof p->state);
	p->amount = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, p->reference, sizeof p->reference);
	p->verified = sqlite3_column_int(st, 6);
	db_column_copy(st, 7, p->phone, sizeof p->phone);
	sale_receipt_text((const char *)sqlite3_column_text(st, 8),
	    sqlite3_column_int64(st, 9), p->receipt);
	db_column_copy(st, 10, p->sale_state, sizeof p->sale_state);
}

/* Run a payment query bound to id; ENOTFOUND says what is missing. */
static int
payment_read(struct db *db, const char *sql, int64_t id,
    struct payment_info *p, int of_sale, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		payment_row(st, p);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading a payment"));
	if (of_sale)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("sale number %lld has no M-PESA payment waiting"),
		    (long long)id);
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("there is no payment number %lld"), (long long)id);
}

int
payment_get(struct db *db, int64_t id, struct payment_info *p,
    struct duka_err *err)
{
	static const char sql[] =
	    "SELECT p.id, p.sale_id, p.method, p.state, p.amount, p.reference, "
	    "p.verified, p.phone, s.till_id, s.receipt_no, s.state FROM "
	    "payments p JOIN sales s ON s.id = p.sale_id WHERE p.id = ?1";

	return payment_read(db, sql, id, p, 0, err);
}

int
payment_pending_mpesa(struct db *db, int64_t sale_id, struct payment_info *p,
    struct duka_err *err)
{
	static const char sql[] =
	    "SELECT p.id, p.sale_id, p.method, p.state, p.amount, p.reference, "
	    "p.verified, p.phone, s.till_id, s.receipt_no, s.state FROM "
	    "payments p JOIN sales s ON s.id = p.sale_id WHERE p.sale_id = ?1 "
	    "AND p.method = 'mpesa' AND p.state = 'pending' ORDER BY p.id "
	    "LIMIT 1";

	return payment_read(db, sql, sale_id, p, 1, err);
}

int
payment_code_unused(struct db *db, const char *code, struct duka_err *err)
{
	sqlite3_stmt *st;
	char where[96] = "";
	int rc;

	st = db_stmt(db, "SELECT 'receipt ' || s.till_id || '-' || "
	    "printf('%06d', s.receipt_no) FROM payments p JOIN sales s ON "
	    "s.id = p.sale_id WHERE p.method = 'mpesa' AND p.reference = ?1 "
	    "AND p.amount > 0 UNION ALL SELECT 'an account payment of ' || "
	    "c.name FROM customer_payments cp JOIN customers c ON "
	    "c.id = cp.customer_id WHERE cp.method = 'mpesa' AND "
	    "cp.reference = ?1 LIMIT 1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, where, sizeof where);
	db_done(st);
	if (rc == SQLITE_ROW)
		return duka_fail(err, DUKA_EINPUT,
		    _("the M-PESA code %s already paid %s"), code, where);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("checking the M-PESA code"));
}

/* Complete the sale when none of its payments is pending; *state is the
 * sale's state afterwards. */
static int
payment_complete_sale(struct db *db, int64_t sale_id, char state[24],
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc, pending = 0;

	st = db_stmt(db, "SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND state = 'pending'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		pending = sqlite3_column_int(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the sale's payments"));
	snprintf(state, 24, "%s", pending ? "awaiting_payment" : "completed");
	if (pending)
		return DUKA_OK;
	st = db_stmt(db, "UPDATE sales SET state = 'completed' WHERE id = ?1 "
	    "AND state = 'awaiting_payment'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("completing the sale"));
}

/* Queue payment.updated for payment p (as it now is) and the audit row. */
static int
payment_event(struct db *db, const struct payment_info *p, const char *action,
    const char *detail, const char *user, struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	json_t *data;
	int rc;

	date_now_timestamp(at);
	data = json_pack("{sI sI ss ss ss sI so sb so ss ss}",
	    "payment_id", (json_int_t)p->id, "sale_id", (json_int_t)p->sale_id,
	    "receipt", p->receipt, "method", pay_method_name(p->method),
	    "state", p->state, "amount", (json_int_t)p->amount,
	    "reference", p->reference[0] ? json_string(p->reference) :
	    json_null(), "verified", p->verified,
	    "phone", p->phone[0] ? json_string(p->phone) : json_null(),
	    "sale_state", p->sale_state, "at", at);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = outbox_add(db, "payment.updated", data, err)) != DUKA_OK)
		return rc;
	return audit_add(db, user, action, "payment", p->id, detail, err);
}

int
payment_settle_mpesa(struct db *db, int64_t payment_id, const char *code,
    int verified, const char *user, struct duka_err *err)
{
	char detail[160], state[24];
	struct payment_info p;
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = payment_get(db, payment_id, &p, err)) != DUKA_OK)
		goto fail;
	if (p.method != PAY_MPESA || strcmp(p.state, "pending") != 0) {
		rc = duka_fail(err, DUKA_EINPUT, _("the payment of receipt %s "
		    "is not a pending M-PESA payment"), p.receipt);
		goto fail;
	}
	if ((rc = payment_code_unused(db, code, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "UPDATE payments SET state = 'paid', reference = ?2, "
	    "verified = ?3, updated_at = ?4 WHERE id = ?1 AND "
	    "state = 'pending'", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	{
		char at[TIMESTAMP_LEN];

		date_now_timestamp(at);
		sqlite3_bind_int64(st, 1, payment_id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, verified ? 1 : 0);
		sqlite3_bind_text(st, 4, at, -1, SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving the payment"));
		goto fail;
	}
	if ((rc = payment_complete_sale(db, p.sale_id, state, err)) != DUKA_OK)
		goto fail;
	snprintf(p.state, sizeof p.state, "paid");
	snprintf(p.reference, sizeof p.reference, "%s", code);
	p.verified = verified ? 1 : 0;
	snprintf(p.sale_state, sizeof p.sale_state, "%s", state);
	snprintf(detail, sizeof detail, "receipt %s paid by M-PESA %s%s", p.receipt,
	    code, verified ? "" : " (keyed in)");
	if ((rc = payment_event(db, &p, "payment.paid", detail, user,
	    err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
payment_mark_verified(struct db *db, int64_t payment_id, const char *user,
    struct duka_err *err)
{
	char detail[200];
	struct payment_info p;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = payment_get(db, payment_id, &p, err)) != DUKA_OK)
		goto fail;
	if (p.verified || strcmp(p.state, "paid") != 0) {
		db_rollback(db);
		return DUKA_OK;
	}
	if ((rc = db_exec_bound_id(db, "UPDATE payments SET verified = 1 "
	    "WHERE id = ?1", payment_id, err)) != DUKA_OK)
		goto fail;
	p.verified = 1;
	snprintf(detail, sizeof detail, "M-PESA %s of receipt %s confirmed",
	    p.reference, p.receipt);
	if ((rc = payment_event(db, &p, "payment.verified", detail, user,
	    err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* Insert the paid row that replaces a pending one. */
static int
payment_insert_paid(struct db *db, const struct payment_info *old,
    enum pay_method method, int64_t tendered, int64_t change, const char *code,
    int64_t *new_id, struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "INSERT INTO payments(sale_id, method, state, amount, "
	    "tendered, change_due, reference, verified, phone, created_at, "
	    "updated_at) VALUES (?1, ?2, 'paid', ?3, ?4, ?5, ?6, 0, ?7, ?8, ?8)",
	    err);
	if (st == NULL)
		return err->code;
	date_now_timestamp(at);
	sqlite3_bind_int64(st, 1, old->sale_id);
	sqlite3_bind_text(st, 2, pay_method_name(method), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, old->amount);
	if (method == PAY_CASH) {
		sqlite3_bind_int64(st, 4, tendered);
		sqlite3_bind_int64(st, 5, change);
	}
	db_bind_text_or_null(st, 6, code);
	db_bind_text_or_null(st, 7, method == PAY_MPESA ? old->phone : NULL);
	sqlite3_bind_text(st, 8, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving the payment"));
	*new_id = sqlite3_last_insert_rowid(db_sqlite(db));
	return DUKA_OK;
}

int
payment_switch(struct db *db, int64_t payment_id, enum pay_method method,
    int64_t tendered, const char *code, const char *user, int64_t *change,
    int64_t *new_id, struct duka_err *err)
{
	char clean[PAY_REF_MAX] = "", detail[200], amt[MONEY_MAX_TEXT];
	char state[24], at[TIMESTAMP_LEN];
	struct payment_info p, np;
	int64_t id = 0, back = 0;
	sqlite3_stmt *st;
	int rc;

	if (method != PAY_CASH && method != PAY_MPESA)
		return duka_fail(err, DUKA_EINPUT, _("a pending M-PESA payment "
		    "can be paid instead by cash or by an M-PESA code"));
	if (method == PAY_MPESA &&
	    (rc = mpesa_code_check(code != NULL ? code : "", clean, err)) !=
	    DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_SELL, err)) != DUKA_OK ||
	    (rc = payment_get(db, payment_id, &p, err)) != DUKA_OK)
		goto fail;
	if (p.method != PAY_MPESA || strcmp(p.state, "pending") != 0) {
		rc = duka_fail(err, DUKA_EINPUT, _("the payment of receipt %s "
		    "is not a pending M-PESA payment (it is %s)"), p.receipt,
		    p.state);
		goto fail;
	}
	money_format_ksh(p.amount, amt, sizeof amt);
	if (method == PAY_CASH) {
		if (tendered == 0)
			tendered = p.amount;
		if (tendered < p.amount) {
			rc = duka_fail(err, DUKA_EINPUT, _("the cash handed over "
			    "is less than the %s to pay"), amt);
			goto fail;
		}
		back = tendered - p.amount;
	} else if ((rc = payment_code_unused(db, clean, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "UPDATE payments SET state = 'cancelled', "
	    "updated_at = ?2 WHERE id = ?1 AND state = 'pending'", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	date_now_timestamp(at);
	sqlite3_bind_int64(st, 1, payment_id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving the payment"));
		goto fail;
	}
	if ((rc = payment_insert_paid(db, &p, method, tendered, back, clean,
	    &id, err)) != DUKA_OK ||
	    (rc = payment_complete_sale(db, p.sale_id, state, err)) != DUKA_OK)
		goto fail;
	snprintf(p.state, sizeof p.state, "cancelled");
	snprintf(p.sale_state, sizeof p.sale_state, "%s", state);
	snprintf(detail, sizeof detail, "receipt %s: pending M-PESA %s paid by "
	    "%s%s%s instead", p.receipt, amt, pay_method_name(method),
	    clean[0] ? " " : "", clean);
	if ((rc = payment_event(db, &p, "payment.switch", detail, user,
	    err)) != DUKA_OK ||
	    (rc = payment_get(db, id, &np, err)) != DUKA_OK ||
	    (rc = payment_event(db, &np, "payment.paid", detail, user,
	    err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (change != NULL)
		*change = back;
	if (new_id != NULL)
		*new_id = id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}
