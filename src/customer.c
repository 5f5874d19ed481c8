/*
 * customer.c - customers on account and the payments they make towards
 * what they owe.
 *
 * A payment towards the account is one transaction: the payment row (with
 * the balance it leaves), the customer's new balance, the customer.paid
 * event and the audit row. The amount is checked against the balance read
 * inside that transaction, so two tills cannot both take the last
 * shilling owed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "customer.h"
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "outbox.h"
#include "text.h"
#include "user.h"

/* Digits a phone number may have: a short landline to E.164's longest. */
#define PHONE_DIGITS_MIN 7
#define PHONE_DIGITS_MAX 15

/* Trim and check a customer's name into out. */
static int
customer_name_clean(const char *name, char out[CUSTOMER_NAME_MAX],
    struct duka_err *err)
{
	if (name == NULL || text_trim_copy(name, out, CUSTOMER_NAME_MAX) != 0)
		return duka_fail(err, DUKA_EINPUT,
		    name == NULL ? _("the customer name is empty") :
		    _("the customer name is longer than 80 characters"));
	return text_check_name(out, CUSTOMER_NAME_CHARS, _("customer name"),
	    err);
}

/*
 * Trim and check a phone number into out: digits and spaces, a '+' only
 * first, 7 to 15 digits. NULL or blank gives "" (no phone).
 */
static int
customer_phone_clean(const char *phone, char out[CUSTOMER_PHONE_MAX],
    struct duka_err *err)
{
	size_t i, digits = 0;

	out[0] = '\0';
	if (phone == NULL)
		return DUKA_OK;
	if (text_trim_copy(phone, out, CUSTOMER_PHONE_MAX) != 0) {
		out[0] = '\0';
		return duka_fail(err, DUKA_EINPUT,
		    _("the phone number \"%.40s...\" is too long"), phone);
	}
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] >= '0' && out[i] <= '9')
			digits++;
		else if (out[i] != ' ' && !(out[i] == '+' && i == 0))
			break;
	}
	if (out[i] != '\0' || (out[0] != '\0' &&
	    (digits < PHONE_DIGITS_MIN || digits > PHONE_DIGITS_MAX))) {
		/* Copy before clearing: the message names what was typed. */
		char bad[CUSTOMER_PHONE_MAX];

		memcpy(bad, out, sizeof bad);
		out[0] = '\0';
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a phone number: use digits and spaces, "
		    "a + only at the start, %d to %d digits (like +254 712 "
		    "345678)"), bad, PHONE_DIGITS_MIN, PHONE_DIGITS_MAX);
	}
	return DUKA_OK;
}

/* Fill c from a row of "SELECT id, name, phone, credit_limit, balance,
 * active, created_at". */
static void
customer_from_row(sqlite3_stmt *st, struct customer *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, c->name, sizeof c->name);
	db_column_copy(st, 2, c->phone, sizeof c->phone);
	c->credit_limit = sqlite3_column_int64(st, 3);
	c->balance = sqlite3_column_int64(st, 4);
	c->active = sqlite3_column_int(st, 5);
	db_column_copy(st, 6, c->created_at, sizeof c->created_at);
}

/* Read customer id; DUKA_ENOTFOUND (message naming id) if there is none. */
static int
customer_get(struct db *db, int64_t id, struct customer *c,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, name, phone, credit_limit, balance, "
	    "active, created_at FROM customers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		customer_from_row(st, c);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the customer"));
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("there is no customer number %lld"), (long long)id);
}

/* Read the customer called name (any case of ASCII letters). */
static int
customer_get_by_name(struct db *db, const char *name, struct customer *c,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, name, phone, credit_limit, balance, "
	    "active, created_at FROM customers WHERE name = ?1 COLLATE NOCASE",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		customer_from_row(st, c);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the customer"));
	return duka_fail(err, DUKA_ENOTFOUND, _("there is no customer \"%s\""),
	    name);
}

/* A JSON string, or null for "" (jansson takes the reference). */
static json_t *
customer_json_text(const char *s)
{
	json_t *j;

	if (s == NULL || *s == '\0')
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_null();
}

int
customer_add(struct db *db, const char *name, const char *phone,
    int64_t credit_limit, int64_t *id, struct duka_err *err)
{
	char n[CUSTOMER_NAME_MAX], ph[CUSTOMER_PHONE_MAX], now[TIMESTAMP_LEN];
	char lim[MONEY_MAX_TEXT], detail[CUSTOMER_NAME_MAX + 64];
	struct customer old;
	struct duka_err none;
	sqlite3_stmt *st;
	json_t *data;
	int64_t newid;
	int rc;

	if ((rc = customer_name_clean(name, n, err)) != DUKA_OK ||
	    (rc = customer_phone_clean(phone, ph, err)) != DUKA_OK)
		return rc;
	money_format_ksh(credit_limit, lim, sizeof lim);
	if (credit_limit < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the credit limit %s is negative (0 means no "
		    "credit)"), n, lim);
	if (credit_limit > CUSTOMER_LIMIT_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the credit limit %s is too large; check the "
		    "amount"), n, lim);

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_CUSTOMERS, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	rc = customer_get_by_name(db, n, &old, &none);
	if (rc == DUKA_OK) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("there is already a customer \"%s\" (number %lld)"),
		    old.name, (long long)old.id);
		goto fail;
	}
	if (rc != DUKA_ENOTFOUND) {
		*err = none;
		goto fail;
	}
	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO customers(name, phone, credit_limit, "
	    "balance, active, created_at) VALUES (?1, ?2, ?3, 0, 1, ?4)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_text(st, 1, n, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 2, ph);
	sqlite3_bind_int64(st, 3, credit_limit);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding a customer"));
		goto fail;
	}
	newid = sqlite3_last_insert_rowid(db_sqlite(db));

	data = json_pack("{sI ss so sI sI sb ss}", "customer_id",
	    (json_int_t)newid, "name", n, "phone", customer_json_text(ph),
	    "credit_limit", (json_int_t)credit_limit, "balance", (json_int_t)0,
	    "active", 1, "created_at", now);
	if (data == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if ((rc = outbox_add(db, "customer.changed", data, err)) != DUKA_OK)
		goto fail;
	money_format(credit_limit, lim, sizeof lim);
	snprintf(detail, sizeof detail, "%s limit %s", n, lim);
	if ((rc = audit_add(db, NULL, "customer.add", "customer", newid,
	    detail, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (id != NULL)
		*id = newid;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

int
customer_find(struct db *db, const char *name_or_id, struct customer *c,
    struct duka_err *err)
{
	char key[CUSTOMER_NAME_MAX];
	struct duka_err none;
	long long v;
	int rc;

	if (name_or_id != NULL &&
	    text_trim_copy(name_or_id, key, sizeof key) != 0)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no customer \"%.40s...\""), name_or_id);
	if (name_or_id == NULL || key[0] == '\0')
		return duka_fail(err, DUKA_EINPUT,
		    _("give a customer's name or number"));
	/* A number is an id; a customer may still be called "2020". */
	if (text_is_digits(key) && strlen(key) <= 18) {
		v = strtoll(key, NULL, 10);
		rc = customer_get(db, (int64_t)v, c, &none);
		if (rc != DUKA_ENOTFOUND) {
			if (rc != DUKA_OK)
				*err = none;
			return rc;
		}
	}
	return customer_get_by_name(db, key, c, err);
}

int
customer_list(struct db *db, void (*cb)(void *ctx, const struct customer *c),
    void *ctx, struct duka_err *err)
{
	struct customer c;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, name, phone, credit_limit, balance, "
	    "active, created_at FROM customers ORDER BY name COLLATE NOCASE, id",
	    err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		customer_from_row(st, &c);
		cb(ctx, &c);
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("listing customers"));
}

/* Check the method and reference of an account payment into ref. */
static int
customer_pay_reference(enum pay_method method, const char *reference,
    char ref[PAY_REF_MAX], struct duka_err *err)
{
	ref[0] = '\0';
	switch (method) {
	case PAY_MPESA:
		if (reference == NULL || reference[0] == '\0')
			return duka_fail(err, DUKA_EINPUT,
			    _("M-PESA: give the confirmation code (like "
			    "QKT5ABC1XY)"));
		return mpesa_code_check(reference, ref, err);
	case PAY_CARD:
	case PAY_BANK:
	case PAY_CASH:
		if (reference != NULL &&
		    text_trim_copy(reference, ref, PAY_REF_MAX) != 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("%s: the reference \"%.40s...\" is longer than "
			    "64 characters"), pay_method_label(method),
			    reference);
		if (method != PAY_CASH && ref[0] == '\0')
			return duka_fail(err, DUKA_EINPUT,
			    _("%s: give the reference (1 to 64 characters) of "
			    "the payment"), pay_method_label(method));
		return DUKA_OK;
	case PAY_ACCOUNT:
		return duka_fail(err, DUKA_EINPUT,
		    _("an account cannot be paid on account: pay by cash, "
		    "M-PESA, card or bank"));
	}
	return duka_fail(err, DUKA_EINPUT, _("unknown way to pay"));
}

/* Refuse an M-PESA code that already paid an account. */
static int
customer_mpesa_unused(struct db *db, const char *code, struct duka_err *err)
{
	char name[CUSTOMER_NAME_MAX], at[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT c.name, p.at FROM customer_payments p "
	    "JOIN customers c ON c.id = p.customer_id WHERE "
	    "p.method = 'mpesa' AND p.reference = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, name, sizeof name);
		db_column_copy(st, 1, at, sizeof at);
	}
	db_done(st);
	if (rc == SQLITE_ROW)
		return duka_fail(err, DUKA_EINPUT,
		    _("the M-PESA code %s already paid the account of %s (%s)"),
		    code, name, at);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("checking the M-PESA code"));
}

/* Insert the payment row; the code's use by a sale is caught here, by the
 * schema's trigger, because payments belong to sale.c. */
static int
customer_pay_insert(struct db *db, int64_t id, int64_t amount,
    enum pay_method method, const char *ref, int64_t after, const char *user,
    const char *at, int64_t *payment_id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "INSERT INTO customer_payments(customer_id, method, "
	    "amount, balance_after, reference, verified, user_name, at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pay_method_name(method), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, amount);
	sqlite3_bind_int64(st, 4, after);
	db_bind_text_or_null(st, 5, ref);
	db_bind_text_or_null(st, 6, user);
	sqlite3_bind_text(st, 7, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_DONE) {
		*payment_id = sqlite3_last_insert_rowid(db_sqlite(db));
		return DUKA_OK;
	}
	if (method == PAY_MPESA && sqlite3_extended_errcode(db_sqlite(db)) ==
	    SQLITE_CONSTRAINT_TRIGGER)
		return duka_fail(err, DUKA_EINPUT,
		    _("the M-PESA code %s already paid a sale"), ref);
	return db_fail(db, err, _("recording the payment"));
}

int
customer_pay(struct db *db, int64_t id, int64_t amount,
    enum pay_method method, const char *reference, const char *user,
    struct duka_err *err)
{
	char ref[PAY_REF_MAX], at[TIMESTAMP_LEN], amt[MONEY_MAX_TEXT];
	char owed[MONEY_MAX_TEXT], detail[CUSTOMER_NAME_MAX + 160];
	struct customer c;
	sqlite3_stmt *st;
	int64_t after, pid = 0;
	json_t *data;
	int rc;

	money_format_ksh(amount, amt, sizeof amt);
	if (amount <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the amount %s must be more than 0"), amt);
	if ((unsigned)method >= PAY_METHODS)
		return duka_fail(err, DUKA_EINPUT, _("unknown way to pay"));
	if ((rc = customer_pay_reference(method, reference, ref, err)) !=
	    DUKA_OK)
		return rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_CUSTOMERS, err)) != DUKA_OK ||
	    (rc = customer_get(db, id, &c, err)) != DUKA_OK)
		goto fail;
	money_format_ksh(c.balance, owed, sizeof owed);
	if (c.balance <= 0) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s owes nothing: there is nothing to pay"), c.name);
		goto fail;
	}
	if (amount > c.balance) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s owes %s: %s is more than that"), c.name, owed, amt);
		goto fail;
	}
	if (method == PAY_MPESA &&
	    (rc = customer_mpesa_unused(db, ref, err)) != DUKA_OK)
		goto fail;
	after = c.balance - amount;
	date_now_timestamp(at);
	if ((rc = customer_pay_insert(db, id, amount, method, ref, after, user,
	    at, &pid, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "UPDATE customers SET balance = ?2 WHERE id = ?1",
	    err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, after);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("updating the customer's balance"));
		goto fail;
	}

	data = json_pack("{sI sI ss sI so sI ss so}", "payment_id",
	    (json_int_t)pid, "customer_id", (json_int_t)id, "method",
	    pay_method_name(method), "amount", (json_int_t)amount,
	    "reference", customer_json_text(ref), "balance", (json_int_t)after,
	    "at", at, "user", customer_json_text(user));
	if (data == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if ((rc = outbox_add(db, "customer.paid", data, err)) != DUKA_OK)
		goto fail;
	money_format(amount, amt, sizeof amt);
	money_format(after, owed, sizeof owed);
	snprintf(detail, sizeof detail, "%s paid %s by %s%s%s, owes %s",
	    c.name, amt, pay_method_name(method), ref[0] ? " " : "", ref,
	    owed);
	if ((rc = audit_add(db, user, "customer.pay", "customer", id, detail,
	    err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
customer_check(struct db *db, struct check_report *r, struct duka_err *err)
{
	char bal[MONEY_MAX_TEXT], led[MONEY_MAX_TEXT];
	sqlite3_stmt *st;
	int rc;

	/* The balance is what sales put on the account less what was paid
	 * towards it (payments belong to sale.c; this only reads them). */
	st = db_stmt(db, "SELECT c.name, c.balance, "
	    "(SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE "
	    "p.method = 'account' AND p.state = 'paid' AND "
	    "p.customer_id = c.id) - (SELECT coalesce(sum(k.amount), 0) FROM "
	    "customer_payments k WHERE k.customer_id = c.id) AS ledger "
	    "FROM customers c WHERE c.balance <> ledger ORDER BY c.id", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		money_format(sqlite3_column_int64(st, 1), bal, sizeof bal);
		money_format(sqlite3_column_int64(st, 2), led, sizeof led);
		check_problem(r, "customers",
		    _("%s: the balance %s differs from the account's sales "
		    "less its payments (%s)"),
		    (const char *)sqlite3_column_text(st, 0), bal, led);
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("checking customers"));
}
