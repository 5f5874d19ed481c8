/*
 * check_sale.c - unit tests for sale.c: tenders and change, M-PESA codes,
 * pending payments, idempotent commits, receipt numbers, the open shift,
 * FEFO allocations, selling below zero and expired stock, the figures of
 * the lines and of the sale.completed event, a read-only and a full
 * database, and the consistency checks of duka check.
 *
 * Every commit is followed by a look at the tables it writes (sales,
 * sale_lines, sale_allocations, payments, stock_movements, batches,
 * products.stock_qty, outbox, audit_log, receipt_counters); every refusal
 * is checked to have written nothing and left the cart as it was.
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

#include "cart.h"
#include "catalog.h"
#include "check.h"
#include "customer.h"
#include "date.h"
#include "db.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"
#define TILL "T1"
#define USER "amina"
/* The customers made by setup(), in order: ids 1 and 2. */
#define NJERI 1		/* credit limit 1,000.00 */
#define OTIENO 2	/* credit limit 300.00 */
/* The cart of the tender cases: 2 sugar (300.00) + 0.5 kg rice (55.00). */
#define TOTAL 35500

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static struct cart *cart;
static int64_t sugar, rice, unga, milk, soap, yogurt;
static int64_t milk_a, milk_b, soap_batch, yogurt_batch;
static int64_t shift1;

/* Add a product; returns its id. */
static int64_t
add_product(const char *sku, const char *name, int64_t price,
    enum product_unit unit, enum tax_class tax, int tracks)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = price;
	p.cost = price * 3 / 4;
	p.unit = unit;
	p.tax = tax;
	p.tracks_expiry = tracks;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
	return p.id;
}

/* Receive qty (thousandths) into a new batch; returns the batch id. */
static int64_t
recv(int64_t pid, int64_t qty, const char *expiry, const char *received)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	int64_t bid = 0;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	snprintf(r.expiry, sizeof r.expiry, "%s", expiry);
	snprintf(r.received, sizeof r.received, "%s", received);
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, &bid, &err) == DUKA_OK, "%s",
	    err.msg);
	return bid;
}

/* Open a shift on till. */
static int64_t
open_shift(const char *till)
{
	struct duka_err err = { 0, "" };
	int64_t id = 0;

	ck_assert_msg(shift_open(db, till, 500000, USER, &id, &err) ==
	    DUKA_OK, "%s", err.msg);
	return id;
}

static void
setup(void)
{
	struct duka_err err = { 0, "" };
	int64_t id;

	db = tu_db_new(dbpath, sizeof dbpath);
	settings_defaults(&cfg);
	cfg.allow_negative_stock = 1;
	sugar = add_product("SUG1", "Sugar 1kg", 15000, UNIT_PIECE,
	    TAX_STANDARD, 0);
	rice = add_product("RICE", "Rice loose", 11000, UNIT_KG, TAX_ZERO, 0);
	unga = add_product("UNGA", "Unga 2kg", 20000, UNIT_PIECE, TAX_EXEMPT,
	    0);
	milk = add_product("MLK1", "Milk 500ml", 6000, UNIT_PIECE,
	    TAX_STANDARD, 1);
	soap = add_product("SOAP", "Soap bar", 4500, UNIT_PIECE, TAX_STANDARD,
	    0);
	yogurt = add_product("YOG1", "Yogurt 250ml", 8000, UNIT_PIECE,
	    TAX_STANDARD, 1);
	recv(sugar, 100000, "", "2026-06-01");
	recv(rice, 50000, "", "2026-06-01");
	recv(unga, 20000, "", "2026-06-01");
	/* The later expiry arrives first: FEFO, not FIFO, must pick A. */
	milk_b = recv(milk, 10000, "2026-07-01", "2026-06-12");
	milk_a = recv(milk, 3000, "2026-06-20", "2026-06-10");
	soap_batch = recv(soap, 2000, "", "2026-06-01");
	yogurt_batch = recv(yogurt, 5000, "2026-06-10", "2026-06-01");
	shift1 = open_shift(TILL);
	ck_assert_msg(customer_add(db, "Mama Njeri", "+254 712 345678", 100000,
	    &id, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(id, NJERI);
	ck_assert_msg(customer_add(db, "Otieno", NULL, 30000, &id, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(id, OTIENO);
	cart = cart_new();
	ck_assert_ptr_nonnull(cart);
}

static void
teardown(void)
{
	cart_free(cart);
	cart = NULL;
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Add qty of product id to the cart. */
static void
cart_put(int64_t id, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct product p;

	ck_assert_msg(catalog_product_get(db, id, &p, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_msg(cart_add(cart, &p, qty, &err) == DUKA_OK, "%s", err.msg);
}

/* The cart of the tender cases. */
static void
cart_standard(void)
{
	cart_put(sugar, 2000);
	cart_put(rice, 500);
	ck_assert_int_eq(cart->sum.total, TOTAL);
}

/* Commit the cart on till with the tenders. */
static int
commit_on(const char *till, const char *token, const struct tender *t,
    int n, int allow_expired, struct sale_result *res, struct duka_err *err)
{
	struct sale_request req;

	memset(&req, 0, sizeof req);
	req.cart = cart;
	req.tenders = t;
	req.ntenders = n;
	req.till_id = till;
	req.user = USER;
	req.cart_token = token;
	req.allow_expired = allow_expired;
	duka_err_clear(err);
	return sale_commit(db, &req, &cfg, res, err);
}

static int
commit(const char *token, const struct tender *t, int n,
    struct sale_result *res, struct duka_err *err)
{
	return commit_on(TILL, token, t, n, 0, res, err);
}

/* Commit that must succeed, paid in cash exactly. */
static void
commit_cash(const char *till, const char *token, struct sale_result *res)
{
	struct tender t = { .method = PAY_CASH };
	struct duka_err err;

	ck_assert_msg(commit_on(till, token, &t, 1, 0, res, &err) == DUKA_OK,
	    "%s", err.msg);
}

/* One integer from SQL with one bound integer. */
static int64_t
q1(const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text from SQL with one bound integer, into out ("" for none,
 * "NULL" for a NULL). */
static void
qtext(const char *sql, int64_t a, char *out, size_t n)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, n, "%s", sqlite3_column_type(st, 0) == SQLITE_NULL ?
		    "NULL" : (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* What a sale writes, to compare before and after. */
/* The data of the first outbox event of type, parsed; the caller frees
 * it with json_decref. */
static json_t *
event_json(const char *type)
{
	json_error_t jerr;
	sqlite3_stmt *st;
	json_t *ev = NULL;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT data FROM "
	    "outbox WHERE type = ?1 ORDER BY seq LIMIT 1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ev = json_loads((const char *)sqlite3_column_text(st, 0), 0,
		    &jerr);
		ck_assert_msg(ev != NULL, "%s: %s", type, jerr.text);
	}
	sqlite3_finalize(st);
	ck_assert_msg(ev != NULL, "no %s event", type);
	return ev;
}

static const char *const count_sql[] = {
	"SELECT count(*) FROM sales",
	"SELECT count(*) FROM sale_lines",
	"SELECT count(*) FROM sale_allocations",
	"SELECT count(*) FROM payments",
	"SELECT count(*) FROM stock_movements",
	"SELECT coalesce(sum(qty_remaining), 0) FROM batches",
	"SELECT coalesce(sum(stock_qty), 0) FROM products",
	"SELECT count(*) FROM outbox",
	"SELECT count(*) FROM audit_log",
	"SELECT count(*) FROM receipt_counters",
	"SELECT coalesce(sum(last_no), 0) FROM receipt_counters",
	"SELECT coalesce(sum(balance), 0) FROM customers",
};
#define NCOUNTS NELEM(count_sql)
enum {
	C_SALES, C_LINES, C_ALLOCS, C_PAYMENTS, C_MOVES, C_BATCHQ, C_STOCKQ,
	C_OUTBOX, C_AUDIT, C_COUNTERS, C_RECEIPTS, C_BALANCE,
};

struct counts {
	int64_t v[NCOUNTS];
};

static void
counts_take(struct counts *c)
{
	int i;

	for (i = 0; i < NCOUNTS; i++)
		c->v[i] = tu_int(db, count_sql[i]);
}

/* Assert that nothing changed since before. */
static void
counts_same(const struct counts *before, const char *what)
{
	struct counts now;
	int i;

	counts_take(&now);
	for (i = 0; i < NCOUNTS; i++)
		ck_assert_msg(now.v[i] == before->v[i],
		    "%s: \"%s\" was %lld, now %lld", what, count_sql[i],
		    (long long)before->v[i], (long long)now.v[i]);
}

/* Assert the change of count k since before. */
static void
counts_delta(const struct counts *before, int k, int64_t delta,
    const char *what)
{
	int64_t now = tu_int(db, count_sql[k]);

	ck_assert_msg(now - before->v[k] == delta,
	    "%s: \"%s\" changed by %lld, want %lld", what, count_sql[k],
	    (long long)(now - before->v[k]), (long long)delta);
}

/* A byte copy of the cart's lines and sums, to prove a refusal left the
 * cart as it was. */
struct cart_copy {
	int n;
	struct cart_line *line;
	struct cart_sums sum;
	int approved;
};

static void
cart_copy_take(struct cart_copy *cc)
{
	cc->n = cart->n;
	cc->line = malloc((size_t)cart->n * sizeof *cc->line + 1);
	ck_assert_ptr_nonnull(cc->line);
	if (cart->n > 0)
		memcpy(cc->line, cart->line, (size_t)cart->n * sizeof *cc->line);
	memcpy(&cc->sum, &cart->sum, sizeof cc->sum);
	cc->approved = cart->approved;
}

static void
cart_copy_same(struct cart_copy *cc)
{
	ck_assert_int_eq(cart->n, cc->n);
	if (cc->n > 0)
		ck_assert(memcmp(cart->line, cc->line,
		    (size_t)cc->n * sizeof *cc->line) == 0);
	ck_assert(memcmp(&cart->sum, &cc->sum, sizeof cc->sum) == 0);
	ck_assert_int_eq(cart->approved, cc->approved);
	free(cc->line);
	cc->line = NULL;
}

/* Problems found by check_all, one per line as "check: text". */
struct found {
	char text[8192];
};

static void
found_emit(void *ctx, const char *check, const char *text)
{
	struct found *f = ctx;
	size_t n = strlen(f->text);

	snprintf(f->text + n, sizeof f->text - n, "%s: %s\n", check, text);
}

/* Run duka check; returns the number of problems, f holds them. */
static long
run_checks(struct found *f)
{
	struct duka_err err = { 0, "" };
	struct check_report r;

	f->text[0] = '\0';
	memset(&r, 0, sizeof r);
	r.emit = found_emit;
	r.ctx = f;
	ck_assert_msg(check_all(db, &r, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_msg(customer_check(db, &r, &err) == DUKA_OK, "%s", err.msg);
	return r.problems;
}

static void
assert_clean(void)
{
	struct found f;
	long n = run_checks(&f);

	ck_assert_msg(n == 0, "duka check found %ld problems:\n%s", n, f.text);
}

/* Assert a refusal with code and a message containing want. */
static void
assert_refused(int rc, const struct duka_err *err, int code, const char *want)
{
	ck_assert_msg(rc == code, "rc %d, want %d (%s); message \"%s\"", rc,
	    code, want, err->msg);
	ck_assert_int_eq(err->code, code);
	ck_assert_msg(strstr(err->msg, want) != NULL,
	    "message \"%s\" lacks \"%s\"", err->msg, want);
}

/* ---- Tenders ---- */

/* A payment row as it should be; -1 for a NULL number. */
struct pay_want {
	const char *method;
	int64_t amount, tendered, change;
	const char *reference;		/* NULL: the column is NULL */
};

struct tender_case {
	const char *what;
	struct tender t[3];
	int nt;
	int rc;				/* DUKA_OK or the refusal */
	const char *msg;		/* part of the refusal */
	int64_t paid, change;
	struct pay_want pay[3];
	int64_t njeri_owes;		/* customer 1's balance after */
};

/* Tenders, by designated fields so that the rest is zero. */
#define CASH(a) { .method = PAY_CASH, .amount = (a) }
#define MPESA(a, code) { .method = PAY_MPESA, .amount = (a), \
	.reference = code }
#define PENDING(a) { .method = PAY_MPESA, .amount = (a), .pending = 1, \
	.phone = "254712345678" }
#define CARD(a, ref) { .method = PAY_CARD, .amount = (a), .reference = ref }
#define BANK(a, ref) { .method = PAY_BANK, .amount = (a), .reference = ref }
#define ACCOUNT(a, who) { .method = PAY_ACCOUNT, .amount = (a), \
	.customer_id = (who) }
/* A payment row: method, amount, tendered, change, reference. */
#define PAY(m, a, t, c, r) { .method = m, .amount = (a), .tendered = (t), \
	.change = (c), .reference = r }
/* A refused case. */
#define REFUSED(w, rc_, m, ...) { .what = w, .t = { __VA_ARGS__ }, \
	.nt = NELEM(((struct tender[]){ __VA_ARGS__ })), .rc = (rc_), \
	.msg = m }

static const struct tender_case tender_cases[] = {
	{ .what = "cash with change", .t = { CASH(40000) }, .nt = 1,
	    .paid = TOTAL, .change = 4500,
	    .pay = { PAY("cash", TOTAL, 40000, 4500, NULL) } },
	{ .what = "exact cash, the rest", .t = { CASH(0) }, .nt = 1,
	    .paid = TOTAL, .change = 0,
	    .pay = { PAY("cash", TOTAL, TOTAL, 0, NULL) } },
	{ .what = "M-PESA code and cash with change",
	    .t = { MPESA(20000, "QKT5ABC1XY"), CASH(20000) }, .nt = 2,
	    .paid = TOTAL, .change = 4500,
	    .pay = { PAY("mpesa", 20000, -1, -1, "QKT5ABC1XY"),
	    PAY("cash", 15500, 20000, 4500, NULL) } },
	{ .what = "cash first, M-PESA the rest (lower case code)",
	    .t = { CASH(10000), MPESA(0, " qkt5abc1xy ") }, .nt = 2,
	    .paid = TOTAL, .change = 0,
	    .pay = { PAY("cash", 10000, 10000, 0, NULL),
	    PAY("mpesa", 25500, -1, -1, "QKT5ABC1XY") } },
	{ .what = "card and bank references",
	    .t = { CARD(10000, "VISA 4421"), BANK(0, "EFT-998877") }, .nt = 2,
	    .paid = TOTAL, .change = 0,
	    .pay = { PAY("card", 10000, -1, -1, "VISA 4421"),
	    PAY("bank", 25500, -1, -1, "EFT-998877") } },
	{ .what = "on account within the limit", .t = { ACCOUNT(0, NJERI) },
	    .nt = 1, .paid = TOTAL, .change = 0,
	    .pay = { PAY("account", TOTAL, -1, -1, NULL) },
	    .njeri_owes = TOTAL },
	{ .what = "part on account, cash with change",
	    .t = { ACCOUNT(20000, NJERI), CASH(20000) }, .nt = 2,
	    .paid = TOTAL, .change = 4500,
	    .pay = { PAY("account", 20000, -1, -1, NULL),
	    PAY("cash", 15500, 20000, 4500, NULL) }, .njeri_owes = 20000 },

	REFUSED("cash short", DUKA_EINPUT, "55.00 is still to pay",
	    CASH(30000)),
	REFUSED("on account over the limit", DUKA_EINPUT,
	    "cannot take 355.00 on account", ACCOUNT(0, OTIENO)),
	REFUSED("on account without a customer", DUKA_EINPUT,
	    "needs a customer", ACCOUNT(0, 0)),
	REFUSED("on account, unknown customer", DUKA_ENOTFOUND,
	    "no customer number 99", ACCOUNT(0, 99)),
	REFUSED("card over what is left", DUKA_EINPUT,
	    "more than the 355.00 left", CARD(40000, "VISA 1")),
	REFUSED("M-PESA over what the card left", DUKA_EINPUT,
	    "more than the 155.00 left", CARD(20000, "VISA 1"),
	    MPESA(20000, "QKT5ABC1XY"), CASH(0)),
	REFUSED("two tenders take the rest", DUKA_EINPUT,
	    "only one way to pay can take", CASH(0), MPESA(0, "QKT5ABC1XY")),
	REFUSED("a tender that pays nothing", DUKA_EINPUT, "pays nothing",
	    CARD(TOTAL, "VISA 1"), CASH(1000)),
	REFUSED("cash beyond any sum, twice", DUKA_EINPUT, "pays nothing",
	    CASH(INT64_MAX), CASH(INT64_MAX)),
	REFUSED("card without a reference", DUKA_EINPUT, "give the reference",
	    CARD(0, "  ")),
	REFUSED("negative cash", DUKA_EINPUT, "cannot be negative",
	    CASH(-100)),
	REFUSED("pending cash", DUKA_EINPUT,
	    "only an M-PESA payment can be pending",
	    { .method = PAY_CASH, .pending = 1 }),
	{ .what = "no tender at all", .nt = 0, .rc = DUKA_EINPUT,
	    .msg = "say how the customer pays" },
	REFUSED("bad M-PESA code", DUKA_EINPUT, "is not an M-PESA code",
	    MPESA(0, "QKT5ABC1X")),
	REFUSED("unknown way to pay", DUKA_EINPUT, "unknown way to pay",
	    { .method = (enum pay_method)9 }),
};

/* Assert the payments of sale id, in order, against want. */
static void
assert_payments(int64_t sale_id, const struct pay_want *want, int n,
    const char *state, const char *what)
{
	sqlite3_stmt *st;
	int i = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT method, "
	    "state, amount, tendered, change_due, reference FROM payments "
	    "WHERE sale_id = ?1 ORDER BY id", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, sale_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ref = (const char *)sqlite3_column_text(st, 5);

		ck_assert_msg(i < n, "%s: more than %d payments", what, n);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
		    want[i].method);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 1),
		    state);
		ck_assert_int_eq(sqlite3_column_int64(st, 2), want[i].amount);
		if (want[i].tendered < 0)
			ck_assert_int_eq(sqlite3_column_type(st, 3),
			    SQLITE_NULL);
		else
			ck_assert_int_eq(sqlite3_column_int64(st, 3),
			    want[i].tendered);
		if (want[i].change < 0)
			ck_assert_int_eq(sqlite3_column_type(st, 4),
			    SQLITE_NULL);
		else
			ck_assert_int_eq(sqlite3_column_int64(st, 4),
			    want[i].change);
		if (want[i].reference == NULL)
			ck_assert_ptr_null(ref);
		else
			ck_assert_str_eq(ref, want[i].reference);
		i++;
	}
	sqlite3_finalize(st);
	ck_assert_msg(i == n, "%s: %d payments, want %d", what, i, n);
}

START_TEST(test_tenders)
{
	const struct tender_case *tc = &tender_cases[_i];
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;
	char text[64];
	int rc;

	cart_standard();
	counts_take(&before);
	cart_copy_take(&cc);
	rc = commit("tok-1", tc->t, tc->nt, &res, &err);
	cart_copy_same(&cc);
	if (tc->rc != DUKA_OK) {
		assert_refused(rc, &err, tc->rc, tc->msg);
		counts_same(&before, tc->what);
		ck_assert_int_eq(res.sale_id, 0);
		/* The same cart and token commit afterwards, as receipt 1. */
		commit_cash(TILL, "tok-1", &res);
		ck_assert_int_eq(res.receipt_no, 1);
		ck_assert_int_eq(q1("SELECT balance FROM customers WHERE "
		    "id = ?1", OTIENO), 0);
		assert_clean();
		return;
	}
	ck_assert_msg(rc == DUKA_OK, "%s: %s", tc->what, err.msg);
	ck_assert_int_eq(res.duplicate, 0);
	ck_assert_int_eq(res.awaiting, 0);
	ck_assert_int_eq(res.receipt_no, 1);
	ck_assert_str_eq(res.receipt, "T1-000001");
	ck_assert_int_eq(res.total, TOTAL);
	ck_assert_int_eq(res.paid, tc->paid);
	ck_assert_int_eq(res.change, tc->change);

	qtext("SELECT state FROM sales WHERE id = ?1", res.sale_id, text,
	    sizeof text);
	ck_assert_str_eq(text, "completed");
	ck_assert_int_eq(q1("SELECT total FROM sales WHERE id = ?1",
	    res.sale_id), TOTAL);
	ck_assert_int_eq(q1("SELECT shift_id FROM sales WHERE id = ?1",
	    res.sale_id), shift1);
	assert_payments(res.sale_id, tc->pay, tc->nt, "paid", tc->what);
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1",
	    NJERI), tc->njeri_owes);

	counts_delta(&before, C_SALES, 1, tc->what);
	counts_delta(&before, C_LINES, 2, tc->what);
	counts_delta(&before, C_ALLOCS, 2, tc->what);
	counts_delta(&before, C_PAYMENTS, tc->nt, tc->what);
	counts_delta(&before, C_MOVES, 2, tc->what);
	counts_delta(&before, C_BATCHQ, -2500, tc->what);
	counts_delta(&before, C_STOCKQ, -2500, tc->what);
	counts_delta(&before, C_OUTBOX, 1, tc->what);
	counts_delta(&before, C_AUDIT, 1, tc->what);
	counts_delta(&before, C_RECEIPTS, 1, tc->what);
	counts_delta(&before, C_BALANCE, tc->njeri_owes, tc->what);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'sale.completed'"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'sale.commit' AND entity = 'sale'"), 1);
	assert_clean();
}
END_TEST

/* ---- M-PESA codes ---- */

static const struct {
	const char *in;
	const char *out;		/* NULL: refused */
} mpesa_cases[] = {
	{ "QKT5ABC1XY", "QKT5ABC1XY" },
	{ "qkt5abc1xy", "QKT5ABC1XY" },
	{ "  QkT5aBc1Xy\t", "QKT5ABC1XY" },
	{ "QKT5ABC1X", NULL },		/* 9 characters */
	{ "QKT5ABC1XYZ", NULL },	/* 11 */
	{ "1KT5ABC1XY", NULL },		/* starts with a digit */
	{ "QKT5-BC1XY", NULL },		/* a dash */
	{ "QKT5 BC1XY", NULL },		/* a space inside */
	{ "", NULL },
	{ "   ", NULL },
	{ "QKT5ABC1XYQKT5ABC1XYQKT5ABC1XYQKT5ABC1XYQKT5ABC1XYQKT5ABC1XYQKT5A"
	    "BC1XY", NULL },		/* longer than the buffer */
};

START_TEST(test_mpesa_code_format)
{
	char out[PAY_REF_MAX];
	struct duka_err err = { 0, "" };
	int rc;

	memset(out, 'x', sizeof out);
	rc = mpesa_code_check(mpesa_cases[_i].in, out, &err);
	if (mpesa_cases[_i].out != NULL) {
		ck_assert_msg(rc == DUKA_OK, "\"%s\": %s", mpesa_cases[_i].in,
		    err.msg);
		ck_assert_str_eq(out, mpesa_cases[_i].out);
	} else {
		assert_refused(rc, &err, DUKA_EINPUT, "not an M-PESA code");
	}
}
END_TEST

START_TEST(test_mpesa_code_once)
{
	struct tender t1 = MPESA(0, "QKT5ABC1XY");
	struct tender t2 = MPESA(0, "qkt5abc1xy");
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;

	cart_standard();
	ck_assert_msg(commit("tok-1", &t1, 1, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	counts_take(&before);
	cart_copy_take(&cc);
	assert_refused(commit("tok-2", &t2, 1, &res, &err), &err,
	    DUKA_EINPUT, "already paid receipt T1-000001");
	cart_copy_same(&cc);
	counts_same(&before, "second use of a code");
	/* The refused sale gave its number back. */
	commit_cash(TILL, "tok-2", &res);
	ck_assert_int_eq(res.receipt_no, 2);
	/* One sale, two M-PESA payments with the same code, is refused too. */
	{
		struct tender two[2] = { MPESA(10000, "RKT5ABC1XY"),
		    MPESA(0, "RKT5ABC1XY") };

		counts_take(&before);
		assert_refused(commit("tok-3", two, 2, &res, &err), &err,
		    DUKA_EINPUT, "RKT5ABC1XY");
		counts_same(&before, "one code twice in a sale");
	}
	assert_clean();
}
END_TEST

/* ---- Pending M-PESA ---- */

static const struct {
	struct tender t[2];
	int nt;
	int64_t paid_cash;
} pending_cases[] = {
	{ { PENDING(0) }, 1, 0 },
	{ { CASH(10000), PENDING(0) }, 2, 10000 },
};

START_TEST(test_pending_mpesa)
{
	struct sale_result res;
	struct duka_err err;
	json_t *ev, *pays;
	char text[4096];
	size_t i;

	cart_standard();
	ck_assert_msg(commit("tok-1", pending_cases[_i].t, pending_cases[_i].nt,
	    &res, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(res.awaiting, 1);
	qtext("SELECT state FROM sales WHERE id = ?1", res.sale_id, text,
	    sizeof text);
	ck_assert_str_eq(text, "awaiting_payment");
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND method = 'mpesa' AND state = 'pending' AND reference IS NULL "
	    "AND phone = '254712345678' AND amount = 35500 - "
	    "(SELECT coalesce(sum(amount), 0) FROM payments WHERE "
	    "method = 'cash' AND sale_id = ?1)", res.sale_id), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND method = 'mpesa' AND state = 'paid'", res.sale_id), 0);
	ck_assert_int_eq(q1("SELECT coalesce(sum(amount), 0) FROM payments "
	    "WHERE sale_id = ?1 AND state = 'paid'", res.sale_id),
	    pending_cases[_i].paid_cash);

	ev = event_json("sale.completed");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "state")),
	    "awaiting_payment");
	pays = json_object_get(ev, "payments");
	ck_assert_int_eq(json_array_size(pays), pending_cases[_i].nt);
	for (i = 0; i < json_array_size(pays); i++) {
		json_t *p = json_array_get(pays, i);
		const char *m = json_string_value(json_object_get(p, "method"));

		ck_assert_str_eq(json_string_value(json_object_get(p, "state")),
		    strcmp(m, "mpesa") == 0 ? "pending" : "paid");
	}
	json_decref(ev);
	/* Awaiting payment is not a problem for duka check. */
	assert_clean();
}
END_TEST

/* ---- Idempotency ---- */

START_TEST(test_idempotent)
{
	struct tender t[2] = { MPESA(20000, "QKT5ABC1XY"), CASH(0) };
	struct sale_result r1, r2;
	struct duka_err err;
	struct counts before;

	cart_standard();
	ck_assert_msg(commit("tok-same", t, 2, &r1, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(r1.duplicate, 0);
	counts_take(&before);
	/* The retry does not see its own M-PESA code as used. */
	ck_assert_msg(commit("tok-same", t, 2, &r2, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(r2.duplicate, 1);
	ck_assert_int_eq(r2.sale_id, r1.sale_id);
	ck_assert_int_eq(r2.receipt_no, r1.receipt_no);
	ck_assert_str_eq(r2.receipt, r1.receipt);
	ck_assert_int_eq(r2.total, r1.total);
	ck_assert_int_eq(r2.awaiting, 0);
	counts_same(&before, "second commit of a token");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sales"), 1);
	assert_clean();
}
END_TEST

/* ---- Receipt numbers ---- */

START_TEST(test_receipt_numbers)
{
	struct tender shortcash = CASH(100);
	static const struct {
		const char *till, *token;
		int64_t no;
		const char *text;
	} seq[] = {
		{ "T1", "a", 1, "T1-000001" },
		{ "T1", "b", 2, "T1-000002" },
		{ "T2", "c", 1, "T2-000001" },
		{ "T1", "d", 3, "T1-000003" },
		{ "T2", "e", 2, "T2-000002" },
	};
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	int64_t id;
	int i;

	open_shift("T2");
	cart_standard();
	for (i = 0; i < NELEM(seq); i++) {
		/* A refused sale before each: it takes no number. */
		counts_take(&before);
		assert_refused(commit_on(seq[i].till, "refused", &shortcash, 1,
		    0, &res, &err), &err, DUKA_EINPUT, "still to pay");
		counts_same(&before, "refused sale");
		commit_cash(seq[i].till, seq[i].token, &res);
		ck_assert_int_eq(res.receipt_no, seq[i].no);
		ck_assert_str_eq(res.receipt, seq[i].text);
		ck_assert_int_eq(sale_find(db, seq[i].till, seq[i].no, &id,
		    &err), DUKA_OK);
		ck_assert_int_eq(id, res.sale_id);
	}
	ck_assert_int_eq(tu_int(db, "SELECT last_no FROM receipt_counters "
	    "WHERE till_id = 'T1'"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT last_no FROM receipt_counters "
	    "WHERE till_id = 'T2'"), 2);
	assert_refused(sale_find(db, "T1", 4, &id, &err), &err,
	    DUKA_ENOTFOUND, "T1-000004");
	assert_clean();
}
END_TEST

START_TEST(test_no_open_shift)
{
	struct tender t = CASH(0);
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;

	cart_standard();
	counts_take(&before);
	cart_copy_take(&cc);
	assert_refused(commit_on("T9", "tok-1", &t, 1, 0, &res, &err), &err,
	    DUKA_ENOTFOUND, "open a shift first");
	cart_copy_same(&cc);
	counts_same(&before, "no open shift");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM receipt_counters "
	    "WHERE till_id = 'T9'"), 0);
	open_shift("T9");
	commit_cash("T9", "tok-1", &res);
	ck_assert_str_eq(res.receipt, "T9-000001");
}
END_TEST

/* ---- Stock ---- */

START_TEST(test_fefo_two_batches)
{
	struct sale_result res;
	json_t *ev, *allocs;
	int64_t moved;

	cart_put(milk, 5000);
	moved = tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'");
	commit_cash(TILL, "tok-1", &res);
	ck_assert_int_eq(q1("SELECT count(*) FROM sale_allocations WHERE "
	    "sale_id = ?1", res.sale_id), 2);
	/* Batch A (expires 20 June) first, all 3; then 2 from batch B. */
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = 1 AND line_no = 1 AND batch_id = ?1", milk_a), -3000);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = 1 AND line_no = 1 AND batch_id = ?1", milk_b), -2000);
	/* Each allocation is its own movement, with the same batch and qty. */
	ck_assert_int_eq(q1("SELECT count(*) FROM sale_allocations a JOIN "
	    "stock_movements m ON m.id = a.movement_id WHERE a.sale_id = ?1 "
	    "AND m.batch_id = a.batch_id AND m.qty = a.qty AND "
	    "m.reason = 'sale' AND m.reference = 'T1-000001' AND "
	    "m.unit_price = 6000", res.sale_id), 2);
	ck_assert_int_eq(q1("SELECT qty_remaining FROM batches WHERE id = ?1",
	    milk_a), 0);
	ck_assert_int_eq(q1("SELECT qty_remaining FROM batches WHERE id = ?1",
	    milk_b), 8000);
	ck_assert_int_eq(q1("SELECT stock_qty FROM products WHERE id = ?1",
	    milk), 8000);
	/* Sales write no stock.moved events: sale.completed says it all. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "type = 'stock.moved'"), moved);
	ev = event_json("sale.completed");
	allocs = json_object_get(json_array_get(json_object_get(ev, "lines"),
	    0), "allocations");
	ck_assert_int_eq(json_array_size(allocs), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_array_get(allocs, 0), "batch_id")), milk_a);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_array_get(allocs, 0), "qty")), 3000);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_array_get(allocs, 1), "batch_id")), milk_b);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_array_get(allocs, 1), "qty")), 2000);
	json_decref(ev);
	assert_clean();
}
END_TEST

/* Selling 5 soaps with 2 on record, with allow_negative_stock 1 and 0. */
START_TEST(test_below_zero)
{
	struct tender t = CASH(0);
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;
	int rc;

	cfg.allow_negative_stock = _i;
	cart_put(soap, 5000);
	counts_take(&before);
	cart_copy_take(&cc);
	rc = commit("tok-1", &t, 1, &res, &err);
	cart_copy_same(&cc);
	if (_i == 0) {
		assert_refused(rc, &err, DUKA_EINPUT, "only");
		counts_same(&before, "oversold, not allowed");
		return;
	}
	ck_assert_msg(rc == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = 1 AND batch_id = ?1", soap_batch), -2000);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = ?1 AND batch_id IS NULL", res.sale_id), -3000);
	ck_assert_int_eq(q1("SELECT count(*) FROM stock_movements WHERE "
	    "product_id = ?1 AND batch_id IS NULL AND qty = -3000", soap), 1);
	ck_assert_int_eq(q1("SELECT stock_qty FROM products WHERE id = ?1",
	    soap), -3000);
	ck_assert_int_eq(q1("SELECT qty_remaining FROM batches WHERE id = ?1",
	    soap_batch), 0);
	assert_clean();
}
END_TEST

START_TEST(test_expired)
{
	struct tender t = CASH(0);
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;

	cart_put(yogurt, 1000);
	counts_take(&before);
	cart_copy_take(&cc);
	/* Refused even though selling below zero is allowed. */
	assert_refused(commit("tok-1", &t, 1, &res, &err), &err, DUKA_EINPUT,
	    "2026-06-10");
	cart_copy_same(&cc);
	counts_same(&before, "expired");
	ck_assert_msg(commit_on(TILL, "tok-1", &t, 1, 1, &res, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(res.receipt_no, 1);
	ck_assert_int_eq(q1("SELECT qty FROM sale_allocations WHERE "
	    "sale_id = 1 AND batch_id = ?1", yogurt_batch), -1000);
	ck_assert_int_eq(q1("SELECT qty_remaining FROM batches WHERE id = ?1",
	    yogurt_batch), 4000);
	assert_clean();
}
END_TEST

/* ---- Figures and the event ---- */

START_TEST(test_lines_and_event)
{
	struct duka_err err = { 0, "" };
	struct tender t[2] = { MPESA(30000, "QKT5ABC1XY"), CASH(100000) };
	struct sale_result res;
	json_t *ev, *lines, *pays;
	sqlite3_stmt *st;
	char text[64];
	int i, n = 0;

	cart_put(sugar, 3000);
	cart_put(rice, 1250);
	cart_put(unga, 1000);
	cart_put(milk, 1000);
	ck_assert_int_eq(cart_line_discount_percent(cart, 0, 500, &err),
	    DUKA_OK);
	ck_assert_int_eq(cart_price_override(cart, 1, 10000, &err), DUKA_OK);
	ck_assert_int_eq(cart_line_discount_amount(cart, 2, 700, &err),
	    DUKA_OK);
	ck_assert_int_eq(cart_sale_discount_amount(cart, 1001, &err), DUKA_OK);
	ck_assert_int_eq(cart_approve(cart, "manager", &err), DUKA_OK);
	ck_assert_int_gt(cart->sum.vat, 0);
	ck_assert_int_gt(cart->sum.sale_discount, 0);
	ck_assert_msg(commit("tok-1", t, 2, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(res.total, cart->sum.total);

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT line_no, "
	    "product_id, sku, name, unit, tax_class, qty, shelf_price, "
	    "unit_price, line_discount, sale_discount, amount, vat FROM "
	    "sale_lines WHERE sale_id = ?1 ORDER BY line_no", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, res.sale_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cart_line *l = &cart->line[n];

		ck_assert_int_lt(n, cart->n);
		ck_assert_int_eq(sqlite3_column_int(st, 0), n + 1);
		ck_assert_int_eq(sqlite3_column_int64(st, 1), l->product_id);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 2),
		    l->sku);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 3),
		    l->name);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 4),
		    product_unit_name(l->unit));
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 5),
		    tax_class_name(l->tax));
		ck_assert_int_eq(sqlite3_column_int64(st, 6), l->qty);
		ck_assert_int_eq(sqlite3_column_int64(st, 7), l->price);
		ck_assert_int_eq(sqlite3_column_int64(st, 8),
		    l->override >= 0 ? l->override : l->price);
		ck_assert_int_eq(sqlite3_column_int64(st, 9), l->line_discount);
		ck_assert_int_eq(sqlite3_column_int64(st, 10),
		    l->sale_discount);
		ck_assert_int_eq(sqlite3_column_int64(st, 11), l->amount);
		ck_assert_int_eq(sqlite3_column_int64(st, 12), l->vat);
		n++;
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(n, cart->n);
	ck_assert_int_eq(q1("SELECT shelf_gross FROM sales WHERE id = ?1",
	    res.sale_id), cart->sum.shelf_gross);
	ck_assert_int_eq(q1("SELECT gross FROM sales WHERE id = ?1",
	    res.sale_id), cart->sum.gross);
	ck_assert_int_eq(q1("SELECT discount FROM sales WHERE id = ?1",
	    res.sale_id), cart->sum.line_discounts + cart->sum.sale_discount);
	ck_assert_int_eq(q1("SELECT total FROM sales WHERE id = ?1",
	    res.sale_id), cart->sum.total);
	ck_assert_int_eq(q1("SELECT vat FROM sales WHERE id = ?1",
	    res.sale_id), cart->sum.vat);
	qtext("SELECT approved_by FROM sales WHERE id = ?1", res.sale_id, text,
	    sizeof text);
	ck_assert_str_eq(text, "manager");
	qtext("SELECT business_day FROM sales WHERE id = ?1", res.sale_id,
	    text, sizeof text);
	ck_assert_str_eq(text, TODAY);

	ev = event_json("sale.completed");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "sale_id")),
	    res.sale_id);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "receipt")),
	    "T1-000001");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "state")),
	    "completed");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "user")), USER);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "total")),
	    cart->sum.total);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "vat")),
	    cart->sum.vat);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "discount")),
	    cart->sum.line_discounts + cart->sum.sale_discount);
	lines = json_object_get(ev, "lines");
	ck_assert_int_eq(json_array_size(lines), cart->n);
	for (i = 0; i < cart->n; i++) {
		json_t *l = json_array_get(lines, i), *a;
		int64_t taken = 0;
		size_t k;

		ck_assert_int_eq(json_integer_value(json_object_get(l,
		    "line_no")), i + 1);
		ck_assert_int_eq(json_integer_value(json_object_get(l,
		    "product_id")), cart->line[i].product_id);
		ck_assert_int_eq(json_integer_value(json_object_get(l, "qty")),
		    cart->line[i].qty);
		ck_assert_int_eq(json_integer_value(json_object_get(l,
		    "amount")), cart->line[i].amount);
		ck_assert_int_eq(json_integer_value(json_object_get(l, "vat")),
		    cart->line[i].vat);
		ck_assert_int_eq(json_integer_value(json_object_get(l,
		    "discount")), cart->line[i].line_discount +
		    cart->line[i].sale_discount);
		a = json_object_get(l, "allocations");
		ck_assert(json_is_array(a));
		for (k = 0; k < json_array_size(a); k++)
			taken += json_integer_value(json_object_get(
			    json_array_get(a, k), "qty"));
		ck_assert_int_eq(taken, cart->line[i].qty);
	}
	pays = json_object_get(ev, "payments");
	ck_assert_int_eq(json_array_size(pays), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(pays,
	    0), "method")), "mpesa");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(pays,
	    0), "reference")), "QKT5ABC1XY");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pays,
	    1), "amount")), cart->sum.total - 30000);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(pays,
	    1), "change")), 130000 - cart->sum.total);
	json_decref(ev);
	assert_clean();
}
END_TEST

/* ---- A database that refuses writes ---- */

/* 60 products with stock, all in the cart: a sale that needs new pages. */
static void
cart_big(void)
{
	char sku[16], name[64];
	int64_t id;
	int i;

	for (i = 0; i < 60; i++) {
		snprintf(sku, sizeof sku, "BIG%02d", i);
		snprintf(name, sizeof name, "Big sale item number %02d with a "
		    "long name", i);
		id = add_product(sku, name, 1000 + i, UNIT_PIECE, TAX_STANDARD,
		    0);
		recv(id, 10000, "", "2026-06-01");
		cart_put(id, 1000);
	}
}

START_TEST(test_database_refuses)
{
	static const struct {
		const char *what;
		const char *msg;
	} cases[] = {
		{ "read-only", "read-only" },
		{ "full", "the disk is full" },
	};
	struct tender t = CASH(0);
	struct sale_result res;
	struct duka_err err;
	struct counts before;
	struct cart_copy cc;
	char sql[96];

	cart_big();
	tu_exec(db, "VACUUM");
	if (_i == 0) {
		tu_exec(db, "PRAGMA query_only = 1");
	} else {
		ck_assert_int_eq(tu_int(db, "PRAGMA freelist_count"), 0);
		snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
		    (long long)tu_int(db, "PRAGMA page_count"));
		tu_exec(db, sql);
	}
	counts_take(&before);
	cart_copy_take(&cc);
	assert_refused(commit("tok-1", &t, 1, &res, &err), &err, DUKA_EDB,
	    cases[_i].msg);
	cart_copy_same(&cc);
	counts_same(&before, cases[_i].what);
	ck_assert_int_eq(db_in_transaction(db), 0);
	/* The next try, once the cause is gone, commits the same cart. */
	if (_i == 0)
		tu_exec(db, "PRAGMA query_only = 0");
	else
		tu_exec(db, "PRAGMA max_page_count = 1000000000");
	commit_cash(TILL, "tok-1", &res);
	ck_assert_int_eq(res.receipt_no, 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sale_lines"), 60);
	assert_clean();
}
END_TEST

/* ---- duka check ---- */

static const struct {
	const char *what;
	const char *sql;
	const char *want;		/* in one line of the report */
} tamper_cases[] = {
	{ "a total changed behind duka's back",
	    "DROP TRIGGER sales_no_edit;"
	    "UPDATE sales SET total = total + 100 WHERE id = 1",
	    "sales: T1-000001: the total and the lines disagree" },
	{ "a deleted payment",
	    "DELETE FROM payments WHERE sale_id = 2 AND method = 'cash'",
	    "payments: T1-000002: the payments do not add up" },
	{ "a receipt number skipped",
	    "INSERT INTO sales(till_id, receipt_no, kind, state, shift_id, "
	    "cart_token, shelf_gross, gross, discount, total, vat, at, "
	    "business_day) SELECT 'T1', 6, 'sale', 'completed', 1, 'fake', "
	    "0, 0, 0, 0, 0, at, business_day FROM sales WHERE id = 1;"
	    "UPDATE receipt_counters SET last_no = 6 WHERE till_id = 'T1'",
	    "receipts: T1: the receipt numbers have gaps" },
	{ "the counter behind the sales",
	    "UPDATE receipt_counters SET last_no = 2 WHERE till_id = 'T1'",
	    "receipts: T1: the receipt numbers have gaps" },
	{ "an allocation deleted",
	    "DELETE FROM sale_allocations WHERE sale_id = 1 AND line_no = 2",
	    "sales: T1-000001 line 2: the stock taken differs" },
	{ "an account balance changed",
	    "UPDATE customers SET balance = balance - 1 WHERE id = 1",
	    "customers: Mama Njeri: the balance" },
};

START_TEST(test_check_finds)
{
	struct tender two[2] = { MPESA(5500, "QKT5ABC1XY"), CASH(50000) };
	struct tender acct = ACCOUNT(0, NJERI);
	struct tender pend = PENDING(0);
	struct sale_result res;
	struct duka_err err;
	struct found f;
	long n;

	cart_standard();
	commit_cash(TILL, "tok-1", &res);
	ck_assert_msg(commit("tok-2", two, 2, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_msg(commit("tok-3", &acct, 1, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_msg(commit("tok-4", &pend, 1, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	assert_clean();
	tu_exec(db, tamper_cases[_i].sql);
	n = run_checks(&f);
	ck_assert_msg(n > 0, "%s: not found", tamper_cases[_i].what);
	ck_assert_msg(strstr(f.text, tamper_cases[_i].want) != NULL,
	    "%s: report lacks \"%s\":\n%s", tamper_cases[_i].what,
	    tamper_cases[_i].want, f.text);
}
END_TEST

/* The schema keeps a committed sale as it was. */
START_TEST(test_history_kept)
{
	static const char *const sql[] = {
		"UPDATE sales SET total = 1 WHERE id = 1",
		"DELETE FROM sales WHERE id = 1",
		"UPDATE sale_lines SET amount = 1 WHERE sale_id = 1",
		"DELETE FROM sale_lines WHERE sale_id = 1",
		"UPDATE audit_log SET detail = 'x'",
		"DELETE FROM audit_log",
	};
	struct sale_result res;
	struct counts before;
	int i;

	cart_standard();
	commit_cash(TILL, "tok-1", &res);
	counts_take(&before);
	for (i = 0; i < NELEM(sql); i++)
		ck_assert_msg((sqlite3_exec(db_sqlite(db), sql[i], NULL, NULL,
		    NULL) & 0xff) == SQLITE_CONSTRAINT, "%s was allowed", sql[i]);
	counts_same(&before, "history");
	ck_assert_int_eq(q1("UPDATE sales SET state = 'completed' WHERE "
	    "id = ?1 RETURNING id", 1), 1);
}
END_TEST

/* ---- The cart and the customer ---- */

START_TEST(test_cart_refused)
{
	struct duka_err err = { 0, "" };
	struct tender t = CASH(0);
	struct sale_result res;
	struct counts before;
	struct cart_copy cc;

	/* 0: an empty cart; 1: a discount over the limit, not approved. */
	if (_i == 1) {
		cart_standard();
		ck_assert_int_eq(cart_line_discount_percent(cart, 0, 2500,
		    &err), DUKA_OK);
	}
	counts_take(&before);
	cart_copy_take(&cc);
	ck_assert_int_eq(commit("tok-1", &t, 1, &res, &err), DUKA_EINPUT);
	ck_assert_int_eq(err.code, DUKA_EINPUT);
	ck_assert(err.msg[0] != '\0');
	cart_copy_same(&cc);
	counts_same(&before, "cart refused");
	if (_i == 1) {
		ck_assert_int_eq(cart_approve(cart, "manager", &err), DUKA_OK);
		commit_cash(TILL, "tok-1", &res);
		ck_assert_int_eq(res.receipt_no, 1);
		assert_clean();
	}
}
END_TEST

/* A sale given away whole (approved) needs no tender and no payment. */
START_TEST(test_free_sale)
{
	struct duka_err err = { 0, "" };
	struct sale_result res;
	char text[32];

	cart_put(sugar, 1000);
	ck_assert_int_eq(cart_line_discount_percent(cart, 0, 10000, &err),
	    DUKA_OK);
	ck_assert_int_eq(cart->sum.total, 0);
	ck_assert_int_eq(cart_approve(cart, "manager", &err), DUKA_OK);
	ck_assert_msg(commit("tok-1", NULL, 0, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	qtext("SELECT state FROM sales WHERE id = ?1", res.sale_id, text,
	    sizeof text);
	ck_assert_str_eq(text, "completed");
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1",
	    res.sale_id), 0);
	ck_assert_int_eq(q1("SELECT stock_qty FROM products WHERE id = ?1",
	    sugar), 99000);
	assert_clean();
}
END_TEST

/* The sale's customer pays on account when the tender names nobody. */
START_TEST(test_account_of_the_sale)
{
	struct tender t = ACCOUNT(0, 0);
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;

	cart_standard();
	memset(&req, 0, sizeof req);
	req.cart = cart;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = USER;
	req.cart_token = "tok-1";
	req.customer_id = NJERI;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	ck_assert_int_eq(q1("SELECT customer_id FROM sales WHERE id = ?1",
	    res.sale_id), NJERI);
	ck_assert_int_eq(q1("SELECT customer_id FROM payments WHERE "
	    "sale_id = ?1", res.sale_id), NJERI);
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1",
	    NJERI), TOTAL);
	/* A second sale that would pass the limit is refused whole. */
	req.cart_token = "tok-2";
	cart_put(unga, 40000);
	assert_refused(sale_commit(db, &req, &cfg, &res, &err), &err,
	    DUKA_EINPUT, "Mama Njeri cannot take");
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1",
	    NJERI), TOTAL);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sales"), 1);
	assert_clean();
}
END_TEST

/* ---- Receipt texts and ways to pay ---- */

static const struct {
	const char *text;
	int ok;
	const char *till;
	int64_t no;
} receipt_cases[] = {
	{ "T1-000123", 1, "T1", 123 },
	{ "123", 1, "T1", 123 },
	{ " T2-7 ", 1, "T2", 7 },
	{ "SHOP-A-000005", 1, "SHOP-A", 5 },
	{ "", 0, NULL, 0 },
	{ "T1-", 0, NULL, 0 },
	{ "-5", 0, NULL, 0 },
	{ "T1-abc", 0, NULL, 0 },
	{ "T1-0", 0, NULL, 0 },
	{ "T1-+5", 0, NULL, 0 },
	{ "T1- 5", 0, NULL, 0 },
	{ "T1-99999999999999999999", 0, NULL, 0 },
	{ "0123456789012345678901234567890123-1", 0, NULL, 0 },
};

START_TEST(test_receipt_text)
{
	struct duka_err err = { 0, "" };
	char till[32], out[RECEIPT_TEXT_MAX];
	int64_t no = -1;
	int rc;

	sale_receipt_text("T1", 42, out);
	ck_assert_str_eq(out, "T1-000042");
	sale_receipt_text("T1", 1234567, out);
	ck_assert_str_eq(out, "T1-1234567");
	rc = sale_receipt_parse(receipt_cases[_i].text, "T1", till, &no, &err);
	if (!receipt_cases[_i].ok) {
		assert_refused(rc, &err, DUKA_EINPUT, "not a receipt number");
		return;
	}
	ck_assert_msg(rc == DUKA_OK, "%s: %s", receipt_cases[_i].text,
	    err.msg);
	ck_assert_str_eq(till, receipt_cases[_i].till);
	ck_assert_int_eq(no, receipt_cases[_i].no);
}
END_TEST

START_TEST(test_pay_methods)
{
	static const struct {
		const char *text;
		int m;			/* -1: refused */
	} cases[] = {
		{ "cash", PAY_CASH }, { "CASH", PAY_CASH },
		{ "mpesa", PAY_MPESA }, { "M-PESA", PAY_MPESA },
		{ "Card", PAY_CARD }, { "bank", PAY_BANK },
		{ "account", PAY_ACCOUNT },
		{ "cheque", -1 }, { "", -1 }, { "cash ", -1 },
	};
	struct duka_err err = { 0, "" };
	enum pay_method m;
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		int rc = pay_method_parse(cases[i].text, &m, &err);

		if (cases[i].m < 0) {
			assert_refused(rc, &err, DUKA_EINPUT,
			    "is not a way to pay");
			continue;
		}
		ck_assert_msg(rc == DUKA_OK, "%s: %s", cases[i].text, err.msg);
		ck_assert_int_eq(m, cases[i].m);
		ck_assert_str_eq(pay_method_name(m),
		    i == 1 ? "cash" : i == 3 ? "mpesa" :
		    cases[i].text[0] == 'C' ? "card" : cases[i].text);
		ck_assert(pay_method_label(m)[0] != '\0');
	}
	ck_assert_str_eq(pay_method_name((enum pay_method)77), "cash");
}
END_TEST

static Suite *
sale_suite(void)
{
	Suite *s = suite_create("sale");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_tenders, 0, NELEM(tender_cases));
	tcase_add_loop_test(tc, test_mpesa_code_format, 0, NELEM(mpesa_cases));
	tcase_add_test(tc, test_mpesa_code_once);
	tcase_add_loop_test(tc, test_pending_mpesa, 0, NELEM(pending_cases));
	tcase_add_test(tc, test_idempotent);
	tcase_add_test(tc, test_receipt_numbers);
	tcase_add_test(tc, test_no_open_shift);
	tcase_add_test(tc, test_fefo_two_batches);
	tcase_add_loop_test(tc, test_below_zero, 0, 2);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_lines_and_event);
	tcase_add_loop_test(tc, test_database_refuses, 0, 2);
	tcase_add_loop_test(tc, test_check_finds, 0, NELEM(tamper_cases));
	tcase_add_test(tc, test_history_kept);
	tcase_add_loop_test(tc, test_cart_refused, 0, 2);
	tcase_add_test(tc, test_free_sale);
	tcase_add_test(tc, test_account_of_the_sale);
	tcase_add_loop_test(tc, test_receipt_text, 0, NELEM(receipt_cases));
	tcase_add_test(tc, test_pay_methods);
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
	return tu_run(sale_suite());
}
