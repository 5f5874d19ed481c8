/*
 * check_order.c - unit tests for purchase orders (order.c): ordering,
 * listing and showing, cancelling, receiving against an order (the stock
 * and the order's line together, or neither), the order closing once
 * every line has arrived, the stock still on order, the events and audit
 * rows, the schema's guards, duka check, and every refusal, each checked
 * to write nothing.
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "check.h"
#include "date.h"
#include "db.h"
#include "order.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"

static struct db *db;
static char dbpath[512];
static int64_t unga, mumias, sugar, flour, rice, milk, old;

static int64_t
add_product(const char *sku, const char *name, enum product_unit unit,
    int tracks)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = 10000;
	p.cost = 7000;
	p.unit = unit;
	p.tracks_expiry = tracks;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

static void
setup(void)
{
	struct duka_err err = { 0, "" };

	db = tu_db_new(dbpath, sizeof dbpath);
	ck_assert(catalog_supplier_ensure(db, "Unga Ltd", NULL, 4, &unga,
	    &err) == DUKA_OK);
	ck_assert(catalog_supplier_ensure(db, "Mumias", NULL, 0, &mumias,
	    &err) == DUKA_OK);
	sugar = add_product("SUG", "Sugar 1kg", UNIT_PIECE, 0);
	flour = add_product("FLR", "Flour 2kg", UNIT_PIECE, 0);
	rice = add_product("RICE", "Rice loose", UNIT_KG, 0);
	milk = add_product("MILK", "Milk 500ml", UNIT_PIECE, 1);
	old = add_product("OLD", "Old stock", UNIT_PIECE, 0);
	ck_assert(catalog_product_set_active(db, old, 0, "test", &err) ==
	    DUKA_OK);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Rows of every table an order change touches, as one string. */
static void
rows(char *buf, size_t n)
{
	snprintf(buf, n, "%lld/%lld/%lld/%lld/%lld/%lld/%lld/%lld",
	    (long long)tu_int(db, "SELECT count(*) FROM purchase_orders"),
	    (long long)tu_int(db, "SELECT count(*) FROM purchase_order_lines"),
	    (long long)tu_int(db, "SELECT coalesce(sum(qty_received), 0) FROM "
	    "purchase_order_lines"),
	    (long long)tu_int(db, "SELECT count(*) FROM purchase_orders "
	    "WHERE state = 'open'"),
	    (long long)tu_int(db, "SELECT count(*) FROM outbox"),
	    (long long)tu_int(db, "SELECT count(*) FROM audit_log"),
	    (long long)tu_int(db, "SELECT count(*) FROM stock_movements"),
	    (long long)tu_int(db, "SELECT count(*) FROM batches"));
}

/* Order items from supplier; must succeed. */
static int64_t
add(int64_t supplier, const struct order_item *items, int n,
    const char *expected)
{
	struct duka_err err = { 0, "" };
	int64_t id = 0;

	ck_assert_msg(order_add(db, supplier, expected, items, n, "amina", &id,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t
on_order(int64_t pid)
{
	struct duka_err err = { 0, "" };
	int64_t q = -1;

	ck_assert(order_on_order(db, pid, &q, &err) == DUKA_OK);
	return q;
}

/* The data of the last event of type, parsed; the caller frees it. */
static json_t *
last_event(const char *type)
{
	sqlite3_stmt *st;
	json_t *j = NULL;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT type, data "
	    "FROM outbox WHERE type = ?1 ORDER BY seq DESC LIMIT 1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	j = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
	sqlite3_finalize(st);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* Collects order lines. */
struct lines {
	struct order_line l[8];
	int n;
};

static int
line_cb(void *ctx, const struct order_line *l)
{
	struct lines *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->l));
	c->l[c->n++] = *l;
	return 0;
}

START_TEST(test_add)
{
	struct order_item items[] = { { sugar, 24000 }, { rice, 12500 } };
	struct duka_err err = { 0, "" };
	struct order_info o;
	struct lines c;
	json_t *ev;
	int64_t id;

	id = add(unga, items, 2, "20/06/2026");
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_int_eq(o.id, id);
	ck_assert_int_eq(o.supplier_id, unga);
	ck_assert_str_eq(o.supplier, "Unga Ltd");
	ck_assert_int_eq(o.state, ORDER_OPEN);
	ck_assert_str_eq(o.expected, "2026-06-20");
	ck_assert_str_eq(o.closed_at, "");
	ck_assert_str_eq(o.user, "amina");
	ck_assert_str_eq(o.created_at, TODAY "T09:00:00.000Z");
	ck_assert_int_eq(o.lines, 2);
	ck_assert_int_eq(o.lines_waiting, 2);

	memset(&c, 0, sizeof c);
	ck_assert(order_lines(db, id, line_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.l[0].line_no, 1);
	ck_assert_str_eq(c.l[0].sku, "SUG");
	ck_assert_int_eq(c.l[0].qty, 24000);
	ck_assert_int_eq(c.l[0].qty_received, 0);
	ck_assert_int_eq(c.l[1].line_no, 2);
	ck_assert_str_eq(c.l[1].name, "Rice loose");
	ck_assert_int_eq(c.l[1].unit, UNIT_KG);
	ck_assert_int_eq(c.l[1].qty, 12500);

	ck_assert_int_eq(on_order(sugar), 24000);
	ck_assert_int_eq(on_order(rice), 12500);
	ck_assert_int_eq(on_order(flour), 0);

	ev = last_event("order.changed");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "order_id")),
	    id);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "state")),
	    "open");
	ck_assert_str_eq(json_string_value(json_object_get(ev,
	    "expected_date")), "2026-06-20");
	ck_assert(json_is_null(json_object_get(ev, "closed_at")));
	ck_assert_int_eq(json_array_size(json_object_get(ev, "lines")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    json_object_get(ev, "lines"), 1), "qty")), 12500);
	json_decref(ev);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'order.add' AND entity = 'purchase_order' AND "
	    "user_name = 'amina'"), 1);

	/* No expected date: NULL, and "" in the struct. */
	id = add(mumias, items, 1, NULL);
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_str_eq(o.expected, "");
	ck_assert_int_eq(on_order(sugar), 48000);
	/* Today is not in the past. */
	add(mumias, items, 1, TODAY);
}
END_TEST

/* Each refused order writes nothing and says why. */
START_TEST(test_add_refused)
{
	static const struct {
		const char *what;
		int bad_supplier;
		struct order_item items[3];
		int n;
		const char *expected;
		int rc;
		const char *msg;
	} cases[] = {
		{ "no lines", 0, { { 0, 0 } }, 0, NULL, DUKA_EINPUT,
		    "at least one product" },
		{ "unknown supplier", 1, { { 1, 1000 } }, 1, NULL,
		    DUKA_ENOTFOUND, "no supplier number 999" },
		{ "unknown product", 0, { { 999, 1000 } }, 1, NULL,
		    DUKA_ENOTFOUND, "" },
		{ "inactive", 0, { { 5, 1000 } }, 1, NULL, DUKA_EINPUT,
		    "inactive" },
		{ "zero", 0, { { 1, 0 } }, 1, NULL, DUKA_EINPUT,
		    "more than 0 (not 0)" },
		{ "negative", 0, { { 1, -1000 } }, 1, NULL, DUKA_EINPUT,
		    "more than 0 (not -1)" },
		{ "too much", 0, { { 1, ORDER_QTY_MAX + 1 } }, 1, NULL,
		    DUKA_EINPUT, "too large" },
		{ "half a piece", 0, { { 1, 500 } }, 1, NULL, DUKA_EINPUT,
		    "0.5 is not a whole number of pieces" },
		{ "twice", 0, { { 1, 1000 }, { 2, 1000 }, { 1, 2000 } }, 3,
		    NULL, DUKA_EINPUT, "twice (lines 1 and 3)" },
		{ "bad date", 0, { { 1, 1000 } }, 1, "2026-02-30",
		    DUKA_EINPUT, "" },
		{ "past date", 0, { { 1, 1000 } }, 1, "2026-06-14",
		    DUKA_EINPUT, "before today" },
		{ "junk date", 0, { { 1, 1000 } }, 1, "soon", DUKA_EINPUT,
		    "" },
		/* A bad line after good ones: the good ones are not kept. */
		{ "last line bad", 0, { { 1, 1000 }, { 3, 250 }, { 2, 1500 } },
		    3, NULL, DUKA_EINPUT, "1.5 is not a whole number" },
	};
	char before[256], after[256];
	struct duka_err err;
	int64_t id;
	int i, rc;

	/* The products were added in this order: ids 1..5. */
	ck_assert_int_eq(sugar, 1);
	ck_assert_int_eq(old, 5);
	add(unga, (struct order_item[]){ { sugar, 1000 } }, 1, NULL);
	for (i = 0; i < NELEM(cases); i++) {
		rows(before, sizeof before);
		memset(&err, 0, sizeof err);
		id = -7;
		rc = order_add(db, cases[i].bad_supplier ? 999 : unga,
		    cases[i].expected, cases[i].items, cases[i].n, "amina", &id,
		    &err);
		ck_assert_msg(rc == cases[i].rc, "%s: rc %d (%s)",
		    cases[i].what, rc, err.msg);
		ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL &&
		    err.msg[0] != '\0', "%s: \"%s\"", cases[i].what, err.msg);
		ck_assert_int_eq(id, -7);
		rows(after, sizeof after);
		ck_assert_msg(strcmp(before, after) == 0, "%s: %s -> %s",
		    cases[i].what, before, after);
	}
	/* Too many lines. */
	{
		static struct order_item many[ORDER_MAX_LINES + 1];

		rows(before, sizeof before);
		ck_assert_int_eq(order_add(db, unga, NULL, many,
		    ORDER_MAX_LINES + 1, "amina", NULL, &err), DUKA_EINPUT);
		ck_assert_ptr_nonnull(strstr(err.msg, "at most"));
		rows(after, sizeof after);
		ck_assert_str_eq(before, after);
	}
	ck_assert_int_eq(on_order(sugar), 1000);
}
END_TEST

START_TEST(test_receive)
{
	struct order_item items[] = { { sugar, 10000 }, { rice, 5000 } };
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	struct order_info o;
	struct product p;
	struct lines c;
	int64_t id, batch = 0;
	json_t *ev;

	id = add(unga, items, 2, NULL);

	/* Part of the sugar: a batch from the order's supplier. */
	stock_receipt_init(&r);
	r.product_id = sugar;
	r.qty = 4000;
	r.unit_cost = 6500;
	r.user = "juma";
	snprintf(r.reference, sizeof r.reference, "DN-1");
	ck_assert_msg(order_receive(db, id, &r, &batch, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_gt(batch, 0);
	ck_assert(catalog_product_get(db, sugar, &p, &err) == DUKA_OK);
	ck_assert_int_eq(p.stock_qty, 4000);
	ck_assert_int_eq(p.cost, 6500);
	ck_assert_int_eq(tu_int(db, "SELECT supplier_id FROM batches"), unga);
	ck_assert_int_eq(on_order(sugar), 6000);
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_int_eq(o.state, ORDER_OPEN);
	ck_assert_int_eq(o.lines_waiting, 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'order.receive' AND user_name = 'juma'"), 1);

	/* The rest of the sugar, then more rice than ordered. */
	r.qty = 6000;
	ck_assert(order_receive(db, id, &r, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(on_order(sugar), 0);
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_int_eq(o.lines_waiting, 1);
	stock_receipt_init(&r);
	r.product_id = rice;
	r.qty = 5500;
	r.supplier_id = mumias;		/* named: kept */
	ck_assert(order_receive(db, id, &r, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT supplier_id FROM batches WHERE "
	    "product_id = 3"), mumias);
	ck_assert_int_eq(on_order(rice), 0);
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_int_eq(o.state, ORDER_RECEIVED);
	ck_assert_int_eq(o.lines_waiting, 0);
	ck_assert_str_eq(o.closed_at, TODAY "T09:00:00.000Z");
	memset(&c, 0, sizeof c);
	ck_assert(order_lines(db, id, line_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.l[0].qty_received, 10000);
	ck_assert_int_eq(c.l[1].qty_received, 5500);
	ev = last_event("order.changed");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "state")),
	    "received");
	json_decref(ev);

	/* A received order takes nothing more. */
	r.qty = 1000;
	ck_assert_int_eq(order_receive(db, id, &r, NULL, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "is received, not open"));
}
END_TEST

/* Each refused receipt leaves the stock and the order as they were. */
START_TEST(test_receive_refused)
{
	struct order_item items[] = { { sugar, 10000 }, { milk, 6000 } };
	static const struct {
		const char *what;
		int64_t order;			/* 0: the open order */
		int product;			/* 0 sugar, 1 flour, 2 milk */
		int64_t qty;
		const char *expiry;
		int rc;
		const char *msg;
	} cases[] = {
		{ "unknown order", 99, 0, 1000, "", DUKA_ENOTFOUND,
		    "no purchase order number 99" },
		{ "not on the order", 0, 1, 1000, "", DUKA_EINPUT,
		    "Flour 2kg (SKU FLR) is not on purchase order" },
		{ "zero", 0, 0, 0, "", DUKA_EINPUT, "more than 0" },
		{ "too much", 0, 0, ORDER_QTY_MAX + 1, "", DUKA_EINPUT,
		    "too large" },
		/* The order would take it; stock_receive refuses it. */
		{ "expiry missing", 0, 2, 1000, "", DUKA_EINPUT,
		    "tracks expiry" },
		{ "expired before received", 0, 2, 1000, "2026-06-01",
		    DUKA_EINPUT, "before the received date" },
	};
	int64_t pids[3];
	char before[256], after[256];
	struct duka_err err;
	struct stock_receipt r;
	int64_t id, cancelled;
	int i, rc;

	pids[0] = sugar;
	pids[1] = flour;
	pids[2] = milk;
	id = add(unga, items, 2, NULL);
	for (i = 0; i < NELEM(cases); i++) {
		rows(before, sizeof before);
		memset(&err, 0, sizeof err);
		stock_receipt_init(&r);
		r.product_id = pids[cases[i].product];
		r.qty = cases[i].qty;
		snprintf(r.expiry, sizeof r.expiry, "%s", cases[i].expiry);
		rc = order_receive(db, cases[i].order ? cases[i].order : id,
		    &r, NULL, &err);
		ck_assert_msg(rc == cases[i].rc, "%s: rc %d (%s)",
		    cases[i].what, rc, err.msg);
		ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL,
		    "%s: \"%s\"", cases[i].what, err.msg);
		rows(after, sizeof after);
		ck_assert_msg(strcmp(before, after) == 0, "%s: %s -> %s",
		    cases[i].what, before, after);
	}
	/* A cancelled order takes nothing. */
	cancelled = add(mumias, items, 1, NULL);
	ck_assert(order_cancel(db, cancelled, "amina", &err) == DUKA_OK);
	rows(before, sizeof before);
	stock_receipt_init(&r);
	r.product_id = sugar;
	r.qty = 1000;
	ck_assert_int_eq(order_receive(db, cancelled, &r, NULL, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "cancelled, not open"));
	ck_assert_int_eq(order_receive_line(db, cancelled, sugar, 1000, "x",
	    &err), DUKA_EINPUT);
	rows(after, sizeof after);
	ck_assert_str_eq(before, after);
}
END_TEST

START_TEST(test_receive_line_joins_transaction)
{
	struct order_item items[] = { { sugar, 10000 } };
	struct duka_err err = { 0, "" };
	char before[256], after[256];
	int64_t id;

	id = add(unga, items, 1, NULL);
	rows(before, sizeof before);
	/* Marked inside a transaction that then rolls back: nothing stays. */
	ck_assert(db_begin(db, &err) == DUKA_OK);
	ck_assert(order_receive_line(db, id, sugar, 10000, "amina", &err) ==
	    DUKA_OK);
	ck_assert_int_eq(on_order(sugar), 0);
	db_rollback(db);
	rows(after, sizeof after);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(on_order(sugar), 10000);
	/* On its own it commits, and closes the order. */
	ck_assert(order_receive_line(db, id, sugar, 10000, "amina", &err) ==
	    DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM purchase_orders "
	    "WHERE state = 'received'"), 1);
	/* The stock itself was not touched. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements"),
	    0);
}
END_TEST

START_TEST(test_cancel)
{
	struct order_item items[] = { { sugar, 10000 }, { flour, 3000 } };
	struct duka_err err = { 0, "" };
	char before[256], after[256];
	struct order_info o;
	struct stock_receipt r;
	int64_t id;
	json_t *ev;

	id = add(unga, items, 2, NULL);
	stock_receipt_init(&r);
	r.product_id = flour;
	r.qty = 1000;
	ck_assert(order_receive(db, id, &r, NULL, &err) == DUKA_OK);
	ck_assert_int_eq(on_order(flour), 2000);
	ck_assert(order_cancel(db, id, "boss", &err) == DUKA_OK);
	ck_assert_int_eq(on_order(sugar), 0);
	ck_assert_int_eq(on_order(flour), 0);
	ck_assert(order_get(db, id, &o, &err) == DUKA_OK);
	ck_assert_int_eq(o.state, ORDER_CANCELLED);
	ck_assert_str_ne(o.closed_at, "");
	ck_assert_str_eq(order_state_name(o.state), "cancelled");
	ev = last_event("order.changed");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "state")),
	    "cancelled");
	json_decref(ev);
	/* What arrived stays in stock. */
	ck_assert_int_eq(tu_int(db, "SELECT stock_qty FROM products WHERE "
	    "sku = 'FLR'"), 1000);

	rows(before, sizeof before);
	ck_assert_int_eq(order_cancel(db, id, "boss", &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "cancelled, not open"));
	ck_assert_int_eq(order_cancel(db, 4242, "boss", &err), DUKA_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "4242"));
	rows(after, sizeof after);
	ck_assert_str_eq(before, after);
}
END_TEST

/* Collects orders. */
struct orders {
	int64_t id[8];
	int n;
	int stop_after;
};

static int
order_cb(void *ctx, const struct order_info *o)
{
	struct orders *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->id));
	c->id[c->n++] = o->id;
	return c->stop_after > 0 && c->n >= c->stop_after;
}

START_TEST(test_list)
{
	struct order_item items[] = { { sugar, 1000 } };
	struct duka_err err = { 0, "" };
	struct orders c;
	int64_t a, b, d;

	a = add(unga, items, 1, NULL);
	b = add(mumias, items, 1, NULL);
	d = add(unga, items, 1, NULL);
	ck_assert(order_cancel(db, b, "x", &err) == DUKA_OK);
	memset(&c, 0, sizeof c);
	ck_assert(order_list(db, 0, order_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.id[0], d);
	ck_assert_int_eq(c.id[1], a);
	memset(&c, 0, sizeof c);
	ck_assert(order_list(db, 1, order_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 3);
	ck_assert_int_eq(c.id[1], b);
	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	ck_assert(order_list(db, 1, order_cb, &c, &err) == DUKA_OK);
	ck_assert_int_eq(c.n, 1);
	/* Lines of an unknown order. */
	ck_assert_int_eq(order_lines(db, 77, line_cb, &(struct lines){ .n = 0 },
	    &err), DUKA_ENOTFOUND);
	ck_assert_str_eq(order_state_label(ORDER_OPEN), "open");
	ck_assert_str_eq(order_state_name((enum order_state)9), "invalid");
}
END_TEST

/* The schema refuses changes to history, whoever writes SQL. */
START_TEST(test_guards)
{
	static const char *const refused[] = {
		"UPDATE purchase_orders SET state = 'open', closed_at = NULL "
		    "WHERE id = 1",
		"UPDATE purchase_orders SET expected_date = '2027-01-01' "
		    "WHERE id = 1",
		"DELETE FROM purchase_orders WHERE id = 2",
		"DELETE FROM purchase_order_lines WHERE order_id = 2",
		"UPDATE purchase_order_lines SET qty_received = 0 "
		    "WHERE order_id = 2",
		"UPDATE purchase_order_lines SET qty = 5000 WHERE order_id = 2",
		"UPDATE purchase_order_lines SET qty_received = 5 "
		    "WHERE order_id = 1",
		"INSERT INTO purchase_order_lines(order_id, product_id, line_no, "
		    "qty) VALUES (1, 2, 2, 1000)",
		"UPDATE purchase_orders SET supplier_id = 2 WHERE id = 2",
		"UPDATE purchase_orders SET state = 'lost' WHERE id = 2",
		"UPDATE purchase_orders SET state = 'received' WHERE id = 2",
	};
	struct order_item items[] = { { sugar, 1000 } };
	struct duka_err err = { 0, "" };
	int64_t a, b;
	size_t i;

	a = add(unga, items, 1, NULL);
	b = add(unga, items, 1, NULL);
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(b, 2);
	ck_assert(order_cancel(db, a, "x", &err) == DUKA_OK);
	ck_assert(order_receive_line(db, b, sugar, 500, "x", &err) == DUKA_OK);
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		ck_assert_msg(sqlite3_exec(db_sqlite(db), refused[i], NULL,
		    NULL, NULL) != SQLITE_OK, "allowed: %s", refused[i]);
}
END_TEST

/* Collects what duka check says. */
static void
emit(void *ctx, const char *check, const char *text)
{
	int *n = ctx;

	(void)check;
	(void)text;
	(*n)++;
}

START_TEST(test_check)
{
	struct order_item items[] = { { sugar, 1000 }, { flour, 1000 } };
	struct duka_err err = { 0, "" };
	struct check_report r;
	int n = 0;

	add(unga, items, 2, NULL);
	memset(&r, 0, sizeof r);
	r.emit = emit;
	r.ctx = &n;
	ck_assert(order_check(db, &r, &err) == DUKA_OK);
	ck_assert_int_eq(r.problems, 0);
	/* Forged: marked received with nothing arrived, and an empty one. */
	tu_exec(db, "UPDATE purchase_orders SET state = 'received', "
	    "closed_at = 'x' WHERE id = 1");
	tu_exec(db, "INSERT INTO purchase_orders(supplier_id, state, "
	    "created_at) VALUES (1, 'open', 'x')");
	ck_assert(order_check(db, &r, &err) == DUKA_OK);
	ck_assert_int_eq(r.problems, 2);
	ck_assert_int_eq(n, 2);
}
END_TEST

static Suite *
order_suite(void)
{
	Suite *s = suite_create("order");
	TCase *tc = tcase_create("order");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_add_refused);
	tcase_add_test(tc, test_receive);
	tcase_add_test(tc, test_receive_refused);
	tcase_add_test(tc, test_receive_line_joins_transaction);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_guards);
	tcase_add_test(tc, test_check);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	setenv("DUKA_NOW", TODAY "T09:00:00Z", 1);
	if (date_set_timezone("UTC", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(order_suite());
}
