/*
 * sale_receipt.c - a committed sale read back as a struct receipt, and
 * sent to the printer.
 *
 * The receipt is rebuilt from the rows the sale wrote, so the first print
 * and every reprint agree with the database and with each other. Reading
 * takes no transaction of its own: a committed sale never changes (the
 * triggers of migration 0003 see to that) except for its state, which
 * only decides how a pending payment is labelled.
 *
 * Refund rows hold negative amounts (sums over sales are net takings)
 * while a receipt holds positive ones and is marked as a refund, so the
 * amounts of a refund are read as their magnitudes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "customer.h"
#include "escpos.h"
#include "i18n.h"
#include "printer.h"
#include "sale.h"
#include "sale_receipt.h"

/* What the receipt does not say but printing needs to know. */
struct sale_slip {
	int cash;		/* a paid cash payment: open the drawer */
};

/* The magnitude of a stored amount: refunds are stored negative. */
static int64_t
slip_mag(int64_t v)
{
	return v < 0 ? -v : v;
}

/*
 * The shop's local time of a UTC time stamp "YYYY-MM-DDTHH:MM:SS[.sss]Z"
 * as "YYYY-MM-DD HH:MM"; a stamp that does not parse is shown as it is,
 * because a receipt is better with an odd date than not at all.
 */
static void
slip_local_time(const char *stamp, char *out, size_t n)
{
	struct tm tm;
	time_t t;
	char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || (*end != '.' && *end != 'Z')) {
		snprintf(out, n, "%s", stamp);
		return;
	}
	t = timegm(&tm);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, n, "%s", stamp);
}

/* Copy as much of the UTF-8 text s as fits in n bytes, whole characters
 * only, so that a long name is shortened rather than broken. */
static void
slip_copy_utf8(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n) {
		len = n - 1;
		/* Back off the continuation bytes of a cut character. */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

/* The unit as printed after a quantity: nothing for pieces. */
static const char *
slip_unit(const char *stored)
{
	if (strcmp(stored, "piece") == 0)
		return "";
	if (strcmp(stored, "litre") == 0)
		return "l";
	return stored;
}

/* Read the sales row: header fields, totals, refund mark. */
static int
slip_sale(struct db *db, int64_t sale_id, struct receipt *r,
    int64_t *refund_of, struct duka_err *err)
{
	char till[32], kind[16], at[TIMESTAMP_LEN], number[RECEIPT_TEXT_MAX];
	sqlite3_stmt *st;
	int64_t no = 0;
	int rc;

	st = db_stmt(db, "SELECT till_id, receipt_no, kind, refund_of, "
	    "user_name, total, vat, at FROM sales WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, till, sizeof till);
		no = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, kind, sizeof kind);
		*refund_of = sqlite3_column_int64(st, 3);
		db_column_copy(st, 4, r->attendant, sizeof r->attendant);
		r->total = slip_mag(sqlite3_column_int64(st, 5));
		r->vat_total = slip_mag(sqlite3_column_int64(st, 6));
		db_column_copy(st, 7, at, sizeof at);
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no sale number %lld"), (long long)sale_id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the sale"));
	snprintf(r->till_id, sizeof r->till_id, "%s", till);
	sale_receipt_text(till, no, number);
	slip_copy_utf8(r->number, sizeof r->number, number);
	slip_local_time(at, r->time, sizeof r->time);
	r->refund = strcmp(kind, "refund") == 0;
	return DUKA_OK;
}

/* Name the receipt a refund pays back, in the footer. */
static int
slip_refund_of(struct db *db, int64_t original, struct receipt *r,
    struct duka_err *err)
{
	char till[32], text[RECEIPT_TEXT_MAX];
	sqlite3_stmt *st;
	int64_t no = 0;
	int rc;

	st = db_stmt(db, "SELECT till_id, receipt_no FROM sales WHERE id = ?1",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, original);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, till, sizeof till);
		no = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the sale"));
	if (rc == SQLITE_ROW)
		sale_receipt_text(till, no, text);
	else
		snprintf(text, sizeof text, "#%lld", (long long)original);
	snprintf(r->footer, sizeof r->footer, _("Refund of receipt %s"), text);
	return DUKA_OK;
}

/* Add the sale's lines, their discounts and the VAT of each class. */
static int
slip_lines(struct db *db, int64_t sale_id, struct receipt *r,
    struct duka_err *err)
{
	struct receipt_line l;
	enum tax_class c;
	char tax[16], unit[16];
	int64_t amount, vat, line_disc, sale_disc;
	sqlite3_stmt *st;
	int rc, n = 0;

	st = db_stmt(db, "SELECT name, unit, tax_class, qty, unit_price, "
	    "line_discount, sale_discount, amount, vat FROM sale_lines "
	    "WHERE sale_id = ?1 ORDER BY line_no", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		db_column_copy(st, 0, l.name, sizeof l.name);
		db_column_copy(st, 1, unit, sizeof unit);
		snprintf(l.unit, sizeof l.unit, "%s", slip_unit(unit));
		db_column_copy(st, 2, tax, sizeof tax);
		l.qty = slip_mag(sqlite3_column_int64(st, 3));
		l.unit_price = slip_mag(sqlite3_column_int64(st, 4));
		line_disc = slip_mag(sqlite3_column_int64(st, 5));
		sale_disc = slip_mag(sqlite3_column_int64(st, 6));
		amount = slip_mag(sqlite3_column_int64(st, 7));
		vat = slip_mag(sqlite3_column_int64(st, 8));
		n++;
		if (tax_class_parse(tax, &c, NULL) != DUKA_OK) {
			rc = duka_fail(err, DUKA_ECHECK, _("receipt %s line %d "
			    "has an unknown tax class \"%s\" (run duka check)"),
			    r->number, n, tax);
			goto out;
		}
		l.tax = c;
		/* The slip prints the line before its own discount. */
		if (__builtin_add_overflow(amount, line_disc, &l.amount) ||
		    __builtin_add_overflow(l.amount, sale_disc, &l.amount) ||
		    __builtin_add_overflow(r->sale_discount, sale_disc,
		    &r->sale_discount) ||
		    __builtin_add_overflow(r->vat[c].gross, amount,
		    &r->vat[c].gross) ||
		    __builtin_add_overflow(r->vat[c].vat, vat,
		    &r->vat[c].vat)) {
			rc = duka_fail(err, DUKA_ECHECK, _("receipt %s has "
			    "amounts too large to add up (run duka check)"),
			    r->number);
			goto out;
		}
		l.discount = line_disc;
		if ((rc = receipt_add_line(r, &l, err)) != DUKA_OK)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading the sale's lines"));
		goto out;
	}
	rc = n > 0 ? DUKA_OK : duka_fail(err, DUKA_ECHECK,
	    _("receipt %s has no lines (run duka check)"), r->number);
out:
	db_done(st);
	return rc;
}

/*
 * Fill tender t from the payment now under st: its label, what it paid,
 * cash handed over, and its reference (an M-PESA code, a card slip, the
 * customer of a sale on account, the phone of a pending prompt).
 */
static int
slip_tender(struct db *db, sqlite3_stmt *st, int refund,
    struct receipt_tender *t, struct sale_slip *slip, struct duka_err *err)
{
	char method[16], state[16], id[24];
	struct customer cust;
	enum pay_method m;
	int64_t customer_id;
	int rc;

	memset(t, 0, sizeof *t);
	db_column_copy(st, 0, method, sizeof method);
	db_column_copy(st, 1, state, sizeof state);
	t->amount = slip_mag(sqlite3_column_int64(st, 2));
	t->tendered = slip_mag(sqlite3_column_int64(st, 3));
	db_column_copy(st, 4, t->reference, sizeof t->reference);
	customer_id = sqlite3_column_int64(st, 5);
	if (pay_method_parse(method, &m, NULL) != DUKA_OK)
		return duka_fail(err, DUKA_ECHECK, _("a payment of this sale "
		    "has an unknown method \"%s\" (run duka check)"), method);
	if (strcmp(state, "pending") == 0) {
		/* Not paid: say so, and whose phone the prompt went to. */
		snprintf(t->kind, sizeof t->kind, _("%s (pending)"),
		    pay_method_label(m));
		db_column_copy(st, 6, t->reference, sizeof t->reference);
	} else
		snprintf(t->kind, sizeof t->kind, "%s", pay_method_label(m));
	if (m == PAY_CASH && strcmp(state, "paid") == 0)
		slip->cash = 1;
	/* Change is for cash taken in; a refund's cash goes out whole. */
	if (m != PAY_CASH || refund || t->tendered < t->amount)
		t->tendered = 0;
	if (m == PAY_ACCOUNT && customer_id > 0) {
		snprintf(id, sizeof id, "%lld", (long long)customer_id);
		rc = customer_find(db, id, &cust, err);
		if (rc == DUKA_OK)
			slip_copy_utf8(t->reference, sizeof t->reference,
			    cust.name);
		else if (rc != DUKA_ENOTFOUND)
			return rc;
	}
	return DUKA_OK;
}

/* Add the payments that paid (or are to pay) the sale. */
static int
slip_tenders(struct db *db, int64_t sale_id, struct receipt *r,
    struct sale_slip *slip, struct duka_err *err)
{
	struct receipt_tender t;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT method, state, amount, tendered, reference, "
	    "customer_id, phone FROM payments WHERE sale_id = ?1 AND "
	    "state IN ('paid', 'pending') AND amount <> 0 ORDER BY id", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, sale_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = slip_tender(db, st, r->refund, &t, slip, err)) !=
		    DUKA_OK ||
		    (rc = receipt_add_tender(r, &t, err)) != DUKA_OK)
			goto out;
	}
	rc = rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading the sale's payments"));
out:
	db_done(st);
	return rc;
}

/* sale_receipt_load, also telling what printing needs to know. */
static int
slip_load(struct db *db, int64_t sale_id, const struct settings *cfg,
    int reprint, struct receipt **out, struct sale_slip *slip,
    struct duka_err *err)
{
	struct receipt *r;
	int64_t refund_of = 0;
	int rc;

	*out = NULL;
	memset(slip, 0, sizeof *slip);
	if ((r = receipt_new()) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	receipt_set_shop(r, cfg);
	r->reprint = reprint != 0;
	if ((rc = slip_sale(db, sale_id, r, &refund_of, err)) != DUKA_OK ||
	    (r->refund && refund_of > 0 &&
	    (rc = slip_refund_of(db, refund_of, r, err)) != DUKA_OK) ||
	    (rc = slip_lines(db, sale_id, r, err)) != DUKA_OK ||
	    (rc = slip_tenders(db, sale_id, r, slip, err)) != DUKA_OK) {
		receipt_free(r);
		return rc;
	}
	*out = r;
	return DUKA_OK;
}

int
sale_receipt_load(struct db *db, int64_t sale_id, const struct settings *cfg,
    int reprint, struct receipt **out, struct duka_err *err)
{
	struct sale_slip slip;

	return slip_load(db, sale_id, cfg, reprint, out, &slip, err);
}

int
sale_receipt_print(struct db *db, int64_t sale_id, const struct settings *cfg,
    int reprint, int kick_drawer, struct duka_err *err)
{
	struct sale_slip slip;
	struct receipt *r = NULL;
	unsigned char *bytes = NULL;
	size_t len = 0;
	int rc;

	if (cfg->printer[0] == '\0')
		return duka_fail(err, DUKA_ECONFIG, _("no printer is set: add "
		    "device = ... under [printer] in duka.conf"));
	if ((rc = slip_load(db, sale_id, cfg, reprint, &r, &slip, err)) !=
	    DUKA_OK)
		return rc;
	if ((rc = escpos_render(r, (int)cfg->printer_width,
	    kick_drawer && slip.cash, &bytes, &len, err)) != DUKA_OK)
		goto out;
	rc = printer_send(cfg->printer, bytes, len, 0, err);
out:
	free(bytes);
	receipt_free(r);
	return rc;
}
