/*
 * order.c - purchase orders: ordering from a supplier, receiving against
 * an order, cancelling, and the quantity still on order.
 *
 * Every change is one transaction: the order's rows, the order.changed
 * event (the whole order as it now is, so that the hub needs no history
 * to know it) and the audit row. Receiving against an order joins the
 * transaction of the stock_receive that books the goods, so the stock and
 * the order's line move together or not at all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "catalog.h"
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "order.h"
#include "outbox.h"
#include "user.h"

static const char *const state_names[] = { "open", "received", "cancelled" };

const char *
order_state_name(enum order_state s)
{
	if ((unsigned)s >= sizeof state_names / sizeof state_names[0])
		return "invalid";
	return state_names[s];
}

const char *
order_state_label(enum order_state s)
{
	switch (s) {
	case ORDER_OPEN:
		return _("open");
	case ORDER_RECEIVED:
		return _("received");
	case ORDER_CANCELLED:
		return _("cancelled");
	}
	return "?";
}

/* The state stored as text; an unknown word (never written) reads as open
 * so that a damaged row is still shown; duka check names it. */
static enum order_state
order_state_from(const char *s)
{
	if (s != NULL && strcmp(s, "received") == 0)
		return ORDER_RECEIVED;
	if (s != NULL && strcmp(s, "cancelled") == 0)
		return ORDER_CANCELLED;
	return ORDER_OPEN;
}

/* The columns order_from_row reads, after "SELECT". */
#define ORDER_COLUMNS "o.id, o.supplier_id, s.name, o.state, o.created_at, " \
	"o.expected_date, o.closed_at, o.user_name, " \
	"(SELECT count(*) FROM purchase_order_lines l WHERE l.order_id = o.id), " \
	"(SELECT count(*) FROM purchase_order_lines l WHERE l.order_id = o.id " \
	"AND l.qty_received < l.qty) " \
	"FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id "

/* Fill o from a row of ORDER_COLUMNS. */
static void
order_from_row(sqlite3_stmt *st, struct order_info *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	o->supplier_id = sqlite3_column_int64(st, 1);
	db_column_copy(st, 2, o->supplier, sizeof o->supplier);
	o->state = order_state_from((const char *)sqlite3_column_text(st, 3));
	db_column_copy(st, 4, o->created_at, sizeof o->created_at);
	db_column_copy(st, 5, o->expected, sizeof o->expected);
	db_column_copy(st, 6, o->closed_at, sizeof o->closed_at);
	db_column_copy(st, 7, o->user, sizeof o->user);
	o->lines = sqlite3_column_int64(st, 8);
	o->lines_waiting = sqlite3_column_int64(st, 9);
}

int
order_get(struct db *db, int64_t id, struct order_info *o,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT " ORDER_COLUMNS "WHERE o.id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		order_from_row(st, o);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading a purchase order"));
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("there is no purchase order number %lld"), (long long)id);
}

int
order_list(struct db *db, int all,
    int (*fn)(void *ctx, const struct order_info *o), void *ctx,
    struct duka_err *err)
{
	struct order_info o;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT " ORDER_COLUMNS
	    "WHERE ?1 OR o.state = 'open' ORDER BY o.id DESC", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int(st, 1, all != 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_from_row(st, &o);
		if (fn(ctx, &o) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("listing purchase orders"));
	return DUKA_OK;
}

int
order_lines(struct db *db, int64_t id,
    int (*fn)(void *ctx, const struct order_line *l), void *ctx,
    struct duka_err *err)
{
	struct order_info o;
	struct order_line l;
	sqlite3_stmt *st;
	int rc;

	if ((rc = order_get(db, id, &o, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT l.line_no, l.product_id, p.sku, p.name, "
	    "p.unit, l.qty, l.qty_received FROM purchase_order_lines l "
	    "JOIN products p ON p.id = l.product_id WHERE l.order_id = ?1 "
	    "ORDER BY l.line_no", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		l.line_no = sqlite3_column_int(st, 0);
		l.product_id = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, l.sku, sizeof l.sku);
		db_column_copy(st, 3, l.name, sizeof l.name);
		if (product_unit_parse((const char *)sqlite3_column_text(st, 4),
		    &l.unit, NULL) != DUKA_OK)
			l.unit = UNIT_PIECE;
		l.qty = sqlite3_column_int64(st, 5);
		l.qty_received = sqlite3_column_int64(st, 6);
		if (fn(ctx, &l) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the lines of a purchase "
		    "order"));
	return DUKA_OK;
}

int
order_on_order(struct db *db, int64_t product_id, int64_t *qty,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT coalesce(sum(max(l.qty - l.qty_received, 0)), "
	    "0) FROM purchase_order_lines l JOIN purchase_orders o "
	    "ON o.id = l.order_id WHERE l.product_id = ?1 "
	    "AND o.state = 'open'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*qty = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the stock on order"));
	return DUKA_OK;
}

/* Add a line to the event's "lines" array (fn of order_lines). */
static int
order_event_line(void *ctx, const struct order_line *l)
{
	json_t *lines = ctx, *j;

	j = json_pack("{si sI ss sI sI}", "line_no", l->line_no, "product_id",
	    (json_int_t)l->product_id, "sku", l->sku, "qty",
	    (json_int_t)l->qty, "qty_received", (json_int_t)l->qty_received);
	/* A line that cannot be added fails the whole event below. */
	return j == NULL || json_array_append_new(lines, j) != 0;
}

/* A JSON string, or null for "". */
static json_t *
order_json_text(const char *s)
{
	json_t *j;

	if (*s == '\0')
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_null();
}

/*
 * Queue the order.changed event and the audit row of action on order id,
 * as the order stands now; must run inside the change's transaction.
 */
static int
order_record(struct db *db, int64_t id, const char *action, const char *user,
    const char *detail, struct duka_err *err)
{
	struct order_info o;
	json_t *lines, *data;
	size_t nlines;
	int rc;

	if ((rc = order_get(db, id, &o, err)) != DUKA_OK)
		return rc;
	if ((lines = json_array()) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = order_lines(db, id, order_event_line, lines, err)) !=
	    DUKA_OK) {
		json_decref(lines);
		return rc;
	}
	nlines = json_array_size(lines);
	if (nlines != (size_t)o.lines) {
		json_decref(lines);
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	}
	data = json_pack("{sI sI ss ss ss so so sO}", "order_id",
	    (json_int_t)o.id, "supplier_id", (json_int_t)o.supplier_id,
	    "supplier", o.supplier, "state", order_state_name(o.state),
	    "created_at", o.created_at, "expected_date",
	    order_json_text(o.expected), "closed_at",
	    order_json_text(o.closed_at), "lines", lines);
	json_decref(lines);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = outbox_add(db, "order.changed", data, err)) != DUKA_OK)
		return rc;
	return audit_add(db, user, action, "purchase_order", id, detail, err);
}

/* The supplier's name; DUKA_ENOTFOUND naming the id when there is none. */
static int
order_supplier_name(struct db *db, int64_t supplier_id,
    char out[SUPPLIER_NAME_MAX], struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT name FROM suppliers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, supplier_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, SUPPLIER_NAME_MAX);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the supplier"));
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("there is no supplier number %lld"), (long long)supplier_id);
}

/* Refuse a quantity to order of p that is not 0 < qty <= ORDER_QTY_MAX in
 * whole pieces, naming the product. */
static int
order_check_qty(const struct product *p, int64_t qty, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT];

	qty_format(qty, q, sizeof q);
	if (qty <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s): the quantity must be more than 0 (not %s)"),
		    p->name, p->sku, q);
	if (qty > ORDER_QTY_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s): the quantity %s is too large for one "
		    "order"), p->name, p->sku, q);
	if (p->unit == UNIT_PIECE && qty % 1000 != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s) is sold by the piece: %s is not a whole "
		    "number of pieces"), p->name, p->sku, q);
	return DUKA_OK;
}

/* Check the expected date into out: "" when not said; not before today. */
static int
order_check_expected(const char *expected, char out[DATE_LEN],
    struct duka_err *err)
{
	char today[DATE_LEN];
	int rc;

	out[0] = '\0';
	if (expected == NULL || expected[0] == '\0')
		return DUKA_OK;
	if ((rc = date_parse(expected, out, err)) != DUKA_OK)
		return rc;
	date_today(today);
	if (strcmp(out, today) < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the expected date %s is before today (%s)"), out, today);
	return DUKA_OK;
}

/* Check every item (products known and active, no product twice,
 * quantities) before anything is written. */
static int
order_check_items(struct db *db, const struct order_item *items, int n,
    struct duka_err *err)
{
	struct product p;
	int i, j, rc;

	if (items == NULL || n < 1)
		return duka_fail(err, DUKA_EINPUT,
		    _("an order needs at least one product"));
	if (n > ORDER_MAX_LINES)
		return duka_fail(err, DUKA_EINPUT,
		    _("an order can have at most %d lines, not %d"),
		    ORDER_MAX_LINES, n);
	for (i = 0; i < n; i++) {
		if ((rc = catalog_product_get(db, items[i].product_id, &p,
		    err)) != DUKA_OK)
			return rc;
		if (!p.active)
			return duka_fail(err, DUKA_EINPUT,
			    _("%s (SKU %s) is inactive; reactivate it before "
			    "ordering it"), p.name, p.sku);
		if ((rc = order_check_qty(&p, items[i].qty, err)) != DUKA_OK)
			return rc;
		/* Orders are short: a quadratic look for twins is enough. */
		for (j = 0; j < i; j++)
			if (items[j].product_id == items[i].product_id)
				return duka_fail(err, DUKA_EINPUT,
				    _("%s (SKU %s) is on the order twice "
				    "(lines %d and %d): give it once with the "
				    "whole quantity"), p.name, p.sku, j + 1,
				    i + 1);
	}
	return DUKA_OK;
}

int
order_add(struct db *db, int64_t supplier_id, const char *expected,
    const struct order_item *items, int n, const char *user, int64_t *id,
    struct duka_err *err)
{
	char supplier[SUPPLIER_NAME_MAX], exp[DATE_LEN], now[TIMESTAMP_LEN];
	char detail[SUPPLIER_NAME_MAX + 64];
	sqlite3_stmt *st;
	int64_t newid;
	int i, rc;

	if ((rc = order_check_expected(expected, exp, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_ORDERS, err)) != DUKA_OK ||
	    (rc = order_supplier_name(db, supplier_id, supplier, err)) !=
	    DUKA_OK || (rc = order_check_items(db, items, n, err)) != DUKA_OK)
		goto fail;

	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO purchase_orders(supplier_id, state, "
	    "created_at, expected_date, user_name) VALUES (?1, 'open', ?2, "
	    "?3, ?4)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, supplier_id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 3, exp);
	db_bind_text_or_null(st, 4, user);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding a purchase order"));
		goto fail;
	}
	newid = sqlite3_last_insert_rowid(db_sqlite(db));
	for (i = 0; i < n; i++) {
		st = db_stmt(db, "INSERT INTO purchase_order_lines(order_id, "
		    "product_id, line_no, qty, qty_received) VALUES (?1, ?2, "
		    "?3, ?4, 0)", err);
		if (st == NULL) {
			rc = err->code;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, newid);
		sqlite3_bind_int64(st, 2, items[i].product_id);
		sqlite3_bind_int(st, 3, i + 1);
		sqlite3_bind_int64(st, 4, items[i].qty);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE) {
			rc = db_fail(db, err, _("adding a line to a purchase "
			    "order"));
			goto fail;
		}
	}
	snprintf(detail, sizeof detail, "%s, %d line%s", supplier, n,
	    n == 1 ? "" : "s");
	if ((rc = order_record(db, newid, "order.add", user, detail, err)) !=
	    DUKA_OK)
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

/* Read order id and refuse it unless it is open, saying what it is. */
static int
order_get_open(struct db *db, int64_t id, struct order_info *o,
    struct duka_err *err)
{
	int rc;

	if ((rc = order_get(db, id, o, err)) != DUKA_OK)
		return rc;
	if (o->state != ORDER_OPEN)
		return duka_fail(err, DUKA_EINPUT,
		    _("purchase order %lld is %s, not open"), (long long)id,
		    order_state_label(o->state));
	return DUKA_OK;
}

/* Move open order id to state (received or cancelled) now. */
static int
order_close(struct db *db, int64_t id, enum order_state state,
    struct duka_err *err)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	date_now_timestamp(now);
	st = db_stmt(db, "UPDATE purchase_orders SET state = ?2, "
	    "closed_at = ?3 WHERE id = ?1 AND state = 'open'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, order_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("closing a purchase order"));
	if (sqlite3_changes(db_sqlite(db)) != 1)
		return duka_fail(err, DUKA_EINPUT,
		    _("purchase order %lld is no longer open"), (long long)id);
	return DUKA_OK;
}

int
order_cancel(struct db *db, int64_t order_id, const char *user,
    struct duka_err *err)
{
	struct order_info o;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_ORDERS, err)) != DUKA_OK ||
	    (rc = order_get_open(db, order_id, &o, err)) != DUKA_OK ||
	    (rc = order_close(db, order_id, ORDER_CANCELLED, err)) != DUKA_OK ||
	    (rc = order_record(db, order_id, "order.cancel", user, o.supplier,
	    err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
order_receive_line(struct db *db, int64_t order_id, int64_t product_id,
    int64_t qty, const char *user, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT], detail[SKU_MAX + MONEY_MAX_TEXT + 8];
	struct order_info o;
	struct product p;
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_ORDERS, err)) != DUKA_OK ||
	    (rc = order_get_open(db, order_id, &o, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK)
		goto fail;
	qty_format(qty, q, sizeof q);
	if (qty <= 0 || qty > ORDER_QTY_MAX) {
		rc = duka_fail(err, DUKA_EINPUT, qty <= 0 ?
		    _("the quantity must be more than 0 (not %s)") :
		    _("the quantity %s is too large for one order"), q);
		goto fail;
	}
	/* The line grows by qty; SQLite refuses a sum past int64 itself. */
	st = db_stmt(db, "UPDATE purchase_order_lines SET qty_received = "
	    "qty_received + ?3 WHERE order_id = ?1 AND product_id = ?2", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, order_id);
	sqlite3_bind_int64(st, 2, product_id);
	sqlite3_bind_int64(st, 3, qty);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("marking goods received on a purchase "
		    "order"));
		goto fail;
	}
	if (sqlite3_changes(db_sqlite(db)) != 1) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s) is not on purchase order %lld"), p.name,
		    p.sku, (long long)order_id);
		goto fail;
	}
	/* Every line in full: the order is done. */
	if ((rc = order_get(db, order_id, &o, err)) != DUKA_OK)
		goto fail;
	if (o.lines_waiting == 0 &&
	    (rc = order_close(db, order_id, ORDER_RECEIVED, err)) != DUKA_OK)
		goto fail;
	snprintf(detail, sizeof detail, "%s +%s", p.sku, q);
	if ((rc = order_record(db, order_id, "order.receive", user, detail,
	    err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
order_receive(struct db *db, int64_t order_id, const struct stock_receipt *r,
    int64_t *batch_id, struct duka_err *err)
{
	struct stock_receipt rr = *r;
	struct order_info o;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	/* The order first: a refused order must not book the goods. */
	if ((rc = order_get_open(db, order_id, &o, err)) != DUKA_OK ||
	    (rc = order_receive_line(db, order_id, r->product_id, r->qty,
	    r->user, err)) != DUKA_OK)
		goto fail;
	if (rr.supplier_id == 0)
		rr.supplier_id = o.supplier_id;
	if ((rc = stock_receive(db, &rr, batch_id, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
order_check(struct db *db, struct check_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT o.id, o.state, (SELECT count(*) FROM "
	    "purchase_order_lines l WHERE l.order_id = o.id), (SELECT count(*) "
	    "FROM purchase_order_lines l WHERE l.order_id = o.id AND "
	    "l.qty_received < l.qty) FROM purchase_orders o ORDER BY o.id",
	    err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *state = (const char *)sqlite3_column_text(st, 1);
		int64_t lines = sqlite3_column_int64(st, 2);
		int64_t waiting = sqlite3_column_int64(st, 3);

		if (lines == 0)
			check_problem(r, "orders", _("purchase order %lld has "
			    "no lines"), id);
		if (state != NULL && strcmp(state, "received") == 0 &&
		    waiting > 0)
			check_problem(r, "orders", _("purchase order %lld is "
			    "marked received but %lld of its lines have not "
			    "arrived in full"), id, (long long)waiting);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking purchase orders"));
	return DUKA_OK;
}
