/*
 * check_customer.c - unit tests for customer.c: adding customers (names,
 * phones, credit limits), finding and listing them, payments towards the
 * account with their event and audit row, M-PESA codes used once across
 * sales and accounts, the append-only payments table and the balance
 * check of duka check. Every refusal is checked to change nothing.
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
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"
#define TILL "T1"

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t item;		/* a product of KSh 1.00 */
static int sales;		/* cart tokens used */

static void
setup(void)
{
	struct duka_err err = { 0, "" };
	struct product p;

	db = tu_db_new(dbpath, sizeof dbpath);
	settings_defaults(&cfg);
	cfg.allow_negative_stock = 1;
	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "ITEM");
	snprintf(p.name, sizeof p.name, "Item at one shilling");
	p.price = 100;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	item = p.id;
	ck_assert_msg(shift_open(db, TILL, 0, "amina", NULL, &err) == DUKA_OK,
	    "%s", err.msg);
	sales = 0;
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Add a customer that must be accepted; returns the id. */
static int64_t
cust(const char *name, const char *phone, int64_t limit)
{
	struct duka_err err = { 0, "" };
	int64_t id = 0;

	ck_assert_msg(customer_add(db, name, phone, limit, &id, &err) ==
	    DUKA_OK, "%s: %s", name, err.msg);
	ck_assert_int_gt(id, 0);
	return id;
}

/* Sell amount (a whole number of shillings) paid by t; returns the rc. */
static int
sell(int64_t amount, const struct tender *t, struct duka_err *err)
{
	struct sale_request req;
	struct sale_result res;
	struct product p;
	struct cart *c;
	char token[32];
	int rc;

	c = cart_new();
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(catalog_product_get(db, item, &p, err), DUKA_OK);
	ck_assert_msg(cart_add(c, &p, amount / 100 * 1000, err) == DUKA_OK,
	    "%s", err->msg);
	snprintf(token, sizeof token, "tok-%d", ++sales);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = "amina";
	req.cart_token = token;
	rc = sale_commit(db, &req, &cfg, &res, err);
	cart_free(c);
	return rc;
}

/* Put amount on customer id's account with a sale. */
static void
owe(int64_t id, int64_t amount)
{
	struct tender t = { .method = PAY_ACCOUNT, .customer_id = id };
	struct duka_err err = { 0, "" };

	ck_assert_msg(sell(amount, &t, &err) == DUKA_OK, "%s", err.msg);
}

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

/* One text from SQL with one bound integer; "NULL" for a NULL. */
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
	"SELECT count(*) FROM customers",
	"SELECT count(*) FROM customer_payments",
	"SELECT coalesce(sum(balance), 0) FROM customers",
	"SELECT count(*) FROM outbox",
	"SELECT count(*) FROM audit_log",
	"SELECT count(*) FROM sales",
	"SELECT count(*) FROM payments",
	"SELECT coalesce(sum(last_no), 0) FROM receipt_counters",
};
#define NCOUNTS NELEM(count_sql)

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

static void
assert_refused(int rc, const struct duka_err *err, int code, const char *want,
    const char *what)
{
	ck_assert_msg(rc == code, "%s: rc %d, want %d; message \"%s\"", what,
	    rc, code, err->msg);
	ck_assert_int_eq(err->code, code);
	ck_assert_msg(strstr(err->msg, want) != NULL,
	    "%s: message \"%s\" lacks \"%s\"", what, err->msg, want);
}

/* Problems that customer_check reports, one per line. */
static void
found_emit(void *ctx, const char *check, const char *text)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	snprintf(buf + n, 4096 - n, "%s: %s\n", check, text);
}

static long
run_check(char buf[4096])
{
	struct duka_err err = { 0, "" };
	struct check_report r;

	buf[0] = '\0';
	memset(&r, 0, sizeof r);
	r.emit = found_emit;
	r.ctx = buf;
	ck_assert_msg(check_all(db, &r, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_msg(customer_check(db, &r, &err) == DUKA_OK, "%s", err.msg);
	return r.problems;
}

static void
assert_clean(void)
{
	char buf[4096];
	long n = run_check(buf);

	ck_assert_msg(n == 0, "%ld problems:\n%s", n, buf);
}

/* ---- Adding ---- */

/* 80 characters of two bytes each. */
#define NAME80 "ÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑ" \
	"ÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑ"

static const struct {
	const char *name, *phone;
	int64_t limit;
	const char *want_name, *want_phone;	/* as stored; NULL: none */
} add_good[] = {
	{ "Mama Njeri", "+254 712 345678", 100000, "Mama Njeri",
	    "+254 712 345678" },
	{ "  Otieno\t", NULL, 0, "Otieno", NULL },
	{ "Wanjikũ Kamau", " 0712345678 ", 5000, "Wanjikũ Kamau",
	    "0712345678" },
	{ NAME80, "   ", 1, NAME80, NULL },
	{ "O'Brien & Sons Ltd.", "020 222 3333", CUSTOMER_LIMIT_MAX,
	    "O'Brien & Sons Ltd.", "020 222 3333" },
	{ "Duka la Mzee", "1234567", 0, "Duka la Mzee", "1234567" },
	{ "Hotel", "+123456789012345", 0, "Hotel", "+123456789012345" },
};

START_TEST(test_add_good)
{
	struct duka_err err = { 0, "" };
	struct customer c;
	char text[1024];
	json_t *ev;
	int64_t id;

	id = cust(add_good[_i].name, add_good[_i].phone, add_good[_i].limit);
	ck_assert_int_eq(customer_find(db, add_good[_i].want_name, &c, &err),
	    DUKA_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_str_eq(c.name, add_good[_i].want_name);
	ck_assert_str_eq(c.phone, add_good[_i].want_phone != NULL ?
	    add_good[_i].want_phone : "");
	ck_assert_int_eq(c.credit_limit, add_good[_i].limit);
	ck_assert_int_eq(c.balance, 0);
	ck_assert_int_eq(c.active, 1);
	ck_assert_str_eq(c.created_at, TODAY "T09:00:00.000Z");
	qtext("SELECT phone FROM customers WHERE id = ?1", id, text,
	    sizeof text);
	ck_assert_str_eq(text, add_good[_i].want_phone != NULL ?
	    add_good[_i].want_phone : "NULL");
	ck_assert_int_eq(q1("SELECT count(*) FROM audit_log WHERE "
	    "action = 'customer.add' AND entity_id = ?1", id), 1);
	ev = event_json("customer.changed");
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "customer_id")), id);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "name")),
	    add_good[_i].want_name);
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "credit_limit")), add_good[_i].limit);
	json_decref(ev);
}
END_TEST

static const struct {
	const char *what, *name, *phone;
	int64_t limit;
	const char *msg;
} add_bad[] = {
	{ "empty name", "", NULL, 0, "is empty" },
	{ "blank name", "  \t ", NULL, 0, "is empty" },
	{ "NULL name", NULL, NULL, 0, "is empty" },
	{ "81 characters", NAME80 "x", NULL, 0, "longer than 80" },
	{ "far too long", NAME80 NAME80 NAME80, NULL, 0, "longer than 80" },
	{ "bad UTF-8", "Mama \xff\xfe", NULL, 0, "not valid UTF-8" },
	{ "control character", "Mama\x01Njeri", NULL, 0, "control character" },
	{ "same name, other case", "mama njeri", NULL, 0,
	    "already a customer \"Mama Njeri\" (number 1)" },
	{ "same name, spaces", " MAMA NJERI ", NULL, 0,
	    "already a customer" },
	{ "phone with a dash", "Ali", "0712-345678", 0, "not a phone number" },
	{ "phone in letters", "Ali", "call me", 0, "not a phone number" },
	{ "phone too short", "Ali", "12345", 0, "not a phone number" },
	{ "phone too long", "Ali", "1234567890123456", 0,
	    "not a phone number" },
	{ "plus inside", "Ali", "254+712345678", 0, "not a phone number" },
	{ "two pluses", "Ali", "++254712345678", 0, "not a phone number" },
	{ "plus alone", "Ali", "+", 0, "not a phone number" },
	{ "phone longer than the field", "Ali",
	    "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9", 0, "too long" },
	{ "negative limit", "Ali", NULL, -1, "is negative" },
	{ "absurd limit", "Ali", NULL, CUSTOMER_LIMIT_MAX + 1, "too large" },
};

START_TEST(test_add_bad)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	int64_t id = -7;

	cust("Mama Njeri", NULL, 0);
	counts_take(&before);
	assert_refused(customer_add(db, add_bad[_i].name, add_bad[_i].phone,
	    add_bad[_i].limit, &id, &err), &err, DUKA_EINPUT, add_bad[_i].msg,
	    add_bad[_i].what);
	ck_assert_int_eq(id, -7);
	counts_same(&before, add_bad[_i].what);
}
END_TEST

/* ---- Finding and listing ---- */

START_TEST(test_find)
{
	static const struct {
		const char *key;
		int rc;
		int64_t id;		/* or the text the message names */
		const char *msg;
	} cases[] = {
		{ "1", DUKA_OK, 1, NULL },
		{ " 2 ", DUKA_OK, 2, NULL },
		{ "mama njeri", DUKA_OK, 1, NULL },
		{ "  OTIENO ", DUKA_OK, 2, NULL },
		{ "2020", DUKA_OK, 3, NULL },	/* a name of digits */
		{ "Nobody", DUKA_ENOTFOUND, 0, "\"Nobody\"" },
		{ "99", DUKA_ENOTFOUND, 0, "\"99\"" },
		{ "99999999999999999999999", DUKA_ENOTFOUND, 0,
		    "\"99999999999999999999999\"" },
		{ "", DUKA_EINPUT, 0, "name or number" },
		{ NULL, DUKA_EINPUT, 0, "name or number" },
		{ NAME80 NAME80 NAME80, DUKA_ENOTFOUND, 0,
		    "no customer \"ÑÑÑ" },
	};
	struct duka_err err = { 0, "" };
	struct customer c;
	int i, rc;

	cust("Mama Njeri", NULL, 0);
	cust("Otieno", NULL, 0);
	cust("2020", NULL, 0);
	for (i = 0; i < NELEM(cases); i++) {
		rc = customer_find(db, cases[i].key, &c, &err);
		if (cases[i].rc != DUKA_OK) {
			assert_refused(rc, &err, cases[i].rc, cases[i].msg,
			    cases[i].key ? cases[i].key : "NULL");
			continue;
		}
		ck_assert_msg(rc == DUKA_OK, "%s: %s", cases[i].key, err.msg);
		ck_assert_int_eq(c.id, cases[i].id);
	}
	/* Inactive customers are found, and say so. */
	tu_exec(db, "UPDATE customers SET active = 0 WHERE id = 2");
	ck_assert_int_eq(customer_find(db, "Otieno", &c, &err), DUKA_OK);
	ck_assert_int_eq(c.active, 0);
}
END_TEST

struct listed {
	int n;
	char names[8][CUSTOMER_NAME_MAX];
	int64_t balance[8];
};

static void
list_cb(void *ctx, const struct customer *c)
{
	struct listed *l = ctx;

	ck_assert_int_lt(l->n, 8);
	snprintf(l->names[l->n], sizeof l->names[0], "%s", c->name);
	l->balance[l->n] = c->balance;
	l->n++;
}

START_TEST(test_list)
{
	static const char *const want[] = { "akinyi", "Baraka", "zawadi",
	    "Zuri" };
	struct duka_err err = { 0, "" };
	struct listed l;
	int i;

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(customer_list(db, list_cb, &l, &err), DUKA_OK);
	ck_assert_int_eq(l.n, 0);
	cust("Zuri", NULL, 100000);
	cust("akinyi", NULL, 0);
	cust("zawadi", NULL, 0);
	cust("Baraka", NULL, 0);
	owe(1, 2500);
	ck_assert_int_eq(customer_list(db, list_cb, &l, &err), DUKA_OK);
	ck_assert_int_eq(l.n, NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		ck_assert_str_eq(l.names[i], want[i]);
	ck_assert_int_eq(l.balance[3], 2500);
}
END_TEST

/* ---- Paying towards the account ---- */

static const struct {
	const char *what;
	int64_t amount;
	enum pay_method method;
	const char *reference;
	const char *want_ref;		/* stored; NULL: none */
} pay_good[] = {
	{ "part in cash", 20000, PAY_CASH, NULL, NULL },
	{ "all in cash", 50000, PAY_CASH, "", NULL },
	{ "cash with a receipt book number", 100, PAY_CASH, " book 12/7 ",
	    "book 12/7" },
	{ "M-PESA, lower case", 30000, PAY_MPESA, "qkt5abc1xy",
	    "QKT5ABC1XY" },
	{ "card", 49999, PAY_CARD, "VISA 4421", "VISA 4421" },
	{ "bank", 1, PAY_BANK, "EFT-998877", "EFT-998877" },
};

START_TEST(test_pay_good)
{
	struct duka_err err = { 0, "" };
	struct counts before;
	char text[1024];
	int64_t id, after = 50000 - pay_good[_i].amount;
	json_t *ev;

	id = cust("Mama Njeri", NULL, 100000);
	owe(id, 50000);
	counts_take(&before);
	ck_assert_msg(customer_pay(db, id, pay_good[_i].amount,
	    pay_good[_i].method, pay_good[_i].reference, "amina", &err) ==
	    DUKA_OK, "%s: %s", pay_good[_i].what, err.msg);
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1", id),
	    after);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM customer_payments"),
	    before.v[1] + 1);
	ck_assert_int_eq(q1("SELECT amount FROM customer_payments WHERE "
	    "customer_id = ?1", id), pay_good[_i].amount);
	ck_assert_int_eq(q1("SELECT balance_after FROM customer_payments WHERE "
	    "customer_id = ?1", id), after);
	ck_assert_int_eq(q1("SELECT verified FROM customer_payments WHERE "
	    "customer_id = ?1", id), 0);
	qtext("SELECT method || '/' || user_name FROM customer_payments WHERE "
	    "customer_id = ?1", id, text, sizeof text);
	ck_assert_str_eq(strchr(text, '/') + 1, "amina");
	ck_assert(strncmp(text, pay_method_name(pay_good[_i].method),
	    strlen(pay_method_name(pay_good[_i].method))) == 0);
	qtext("SELECT reference FROM customer_payments WHERE customer_id = ?1",
	    id, text, sizeof text);
	ck_assert_str_eq(text, pay_good[_i].want_ref != NULL ?
	    pay_good[_i].want_ref : "NULL");
	/* The sale's own tables are not touched. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM payments"),
	    before.v[6]);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log"),
	    before.v[4] + 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM audit_log WHERE "
	    "action = 'customer.pay' AND entity = 'customer' AND "
	    "entity_id = ?1 AND user_name = 'amina'", id), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"),
	    before.v[3] + 1);
	ev = event_json("customer.paid");
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "customer_id")), id);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "amount")),
	    pay_good[_i].amount);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "balance")),
	    after);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "method")),
	    pay_method_name(pay_good[_i].method));
	if (pay_good[_i].want_ref != NULL)
		ck_assert_str_eq(json_string_value(json_object_get(ev,
		    "reference")), pay_good[_i].want_ref);
	else
		ck_assert(json_is_null(json_object_get(ev, "reference")));
	json_decref(ev);
	assert_clean();
}
END_TEST

static const struct {
	const char *what;
	int64_t customer;		/* 1 owes 500.00; 3 owes nothing */
	int64_t amount;
	enum pay_method method;
	const char *reference;
	int rc;
	const char *msg;
} pay_bad[] = {
	{ "nothing", 1, 0, PAY_CASH, NULL, DUKA_EINPUT, "more than 0" },
	{ "negative", 1, -100, PAY_CASH, NULL, DUKA_EINPUT, "more than 0" },
	{ "more than owed", 1, 50001, PAY_CASH, NULL, DUKA_EINPUT,
	    "Mama Njeri owes KSh 500.00: KSh 500.01 is more than that" },
	{ "owes nothing", 3, 100, PAY_CASH, NULL, DUKA_EINPUT,
	    "Baraka owes nothing" },
	{ "unknown customer", 99, 100, PAY_CASH, NULL, DUKA_ENOTFOUND,
	    "no customer number 99" },
	{ "on account", 1, 100, PAY_ACCOUNT, NULL, DUKA_EINPUT,
	    "cannot be paid on account" },
	{ "unknown method", 1, 100, (enum pay_method)9, NULL, DUKA_EINPUT,
	    "unknown way to pay" },
	{ "M-PESA without a code", 1, 100, PAY_MPESA, NULL, DUKA_EINPUT,
	    "confirmation code" },
	{ "M-PESA, empty code", 1, 100, PAY_MPESA, "", DUKA_EINPUT,
	    "confirmation code" },
	{ "M-PESA, bad code", 1, 100, PAY_MPESA, "QKT5-BC1XY", DUKA_EINPUT,
	    "not an M-PESA code" },
	{ "M-PESA code of a sale", 1, 100, PAY_MPESA, "sle1234567",
	    DUKA_EINPUT, "SLE1234567 already paid a sale" },
	{ "M-PESA code of an account payment", 1, 100, PAY_MPESA, "ACC1234567",
	    DUKA_EINPUT, "ACC1234567 already paid the account of Otieno" },
	{ "card without reference", 1, 100, PAY_CARD, NULL, DUKA_EINPUT,
	    "give the reference" },
	{ "bank, blank reference", 1, 100, PAY_BANK, "   ", DUKA_EINPUT,
	    "give the reference" },
	{ "reference too long", 1, 100, PAY_BANK,
	    "12345678901234567890123456789012345678901234567890123456789012345",
	    DUKA_EINPUT, "longer than 64" },
};

START_TEST(test_pay_bad)
{
	struct tender t = { .method = PAY_MPESA, .reference = "SLE1234567" };
	struct duka_err err = { 0, "" };
	struct counts before;

	ck_assert_int_eq(cust("Mama Njeri", NULL, 100000), 1);
	ck_assert_int_eq(cust("Otieno", NULL, 100000), 2);
	ck_assert_int_eq(cust("Baraka", NULL, 100000), 3);
	owe(1, 50000);
	owe(2, 10000);
	ck_assert_msg(customer_pay(db, 2, 1000, PAY_MPESA, "ACC1234567",
	    "amina", &err) == DUKA_OK, "%s", err.msg);
	ck_assert_msg(sell(700, &t, &err) == DUKA_OK, "%s", err.msg);
	counts_take(&before);
	assert_refused(customer_pay(db, pay_bad[_i].customer,
	    pay_bad[_i].amount, pay_bad[_i].method, pay_bad[_i].reference,
	    "amina", &err), &err, pay_bad[_i].rc, pay_bad[_i].msg,
	    pay_bad[_i].what);
	counts_same(&before, pay_bad[_i].what);
	ck_assert_int_eq(db_in_transaction(db), 0);
	assert_clean();
}
END_TEST

/* A code that paid an account cannot pay a sale afterwards. */
START_TEST(test_code_of_account_refused_for_sale)
{
	struct tender t = { .method = PAY_MPESA, .reference = "acc1234567" };
	struct duka_err err = { 0, "" };
	struct counts before;

	cust("Otieno", NULL, 100000);
	owe(1, 10000);
	ck_assert_msg(customer_pay(db, 1, 1000, PAY_MPESA, "ACC1234567",
	    "amina", &err) == DUKA_OK, "%s", err.msg);
	counts_take(&before);
	assert_refused(sell(700, &t, &err), &err, DUKA_EINPUT,
	    "already paid a customer account", "sale with an account's code");
	counts_same(&before, "sale with an account's code");
	assert_clean();
}
END_TEST

START_TEST(test_pay_down_to_zero)
{
	struct duka_err err = { 0, "" };
	struct customer c;
	int64_t id;

	id = cust("Mama Njeri", NULL, 100000);
	owe(id, 30000);
	owe(id, 20000);
	ck_assert_int_eq(customer_pay(db, id, 10000, PAY_CASH, NULL, NULL,
	    &err), DUKA_OK);
	ck_assert_int_eq(customer_pay(db, id, 15000, PAY_MPESA, "QKT5ABC1XY",
	    NULL, &err), DUKA_OK);
	assert_refused(customer_pay(db, id, 25001, PAY_CASH, NULL, NULL, &err),
	    &err, DUKA_EINPUT, "owes KSh 250.00", "just over");
	ck_assert_int_eq(customer_pay(db, id, 25000, PAY_CARD, "VISA 1",
	    NULL, &err), DUKA_OK);
	ck_assert_int_eq(customer_find(db, "Mama Njeri", &c, &err), DUKA_OK);
	ck_assert_int_eq(c.balance, 0);
	ck_assert_int_eq(q1("SELECT sum(balance_after) FROM customer_payments "
	    "WHERE customer_id = ?1", id), 40000 + 25000 + 0);
	assert_refused(customer_pay(db, id, 100, PAY_CASH, NULL, NULL, &err),
	    &err, DUKA_EINPUT, "owes nothing", "paid up");
	/* A customer who was made inactive still pays what is owed. */
	owe(id, 5000);
	tu_exec(db, "UPDATE customers SET active = 0");
	ck_assert_int_eq(customer_pay(db, id, 5000, PAY_CASH, NULL, NULL,
	    &err), DUKA_OK);
	assert_clean();
}
END_TEST

/* ---- Keeping the books straight ---- */

static const struct {
	const char *what;
	const char *sql;
} tamper[] = {
	{ "balance raised", "UPDATE customers SET balance = balance + 1 "
	    "WHERE id = 1" },
	{ "a payment slipped in", "INSERT INTO customer_payments(customer_id, "
	    "method, amount, balance_after, at) VALUES (1, 'cash', 5, 0, "
	    "'2026-06-15T09:00:00.000Z')" },
	{ "an account sale's payment changed", "UPDATE payments SET "
	    "amount = amount - 100 WHERE method = 'account'" },
};

START_TEST(test_check_balances)
{
	struct duka_err err = { 0, "" };
	char buf[4096];

	cust("Mama Njeri", NULL, 100000);
	owe(1, 30000);
	ck_assert_int_eq(customer_pay(db, 1, 10000, PAY_CASH, NULL, NULL,
	    &err), DUKA_OK);
	assert_clean();
	tu_exec(db, tamper[_i].sql);
	ck_assert_int_gt(run_check(buf), 0);
	ck_assert_msg(strstr(buf, "customers: Mama Njeri: the balance") !=
	    NULL, "%s: %s", tamper[_i].what, buf);
}
END_TEST

START_TEST(test_payments_kept)
{
	static const char *const sql[] = {
		"UPDATE customer_payments SET amount = 1",
		"DELETE FROM customer_payments",
		"INSERT INTO customer_payments(customer_id, method, amount, "
		"balance_after, at) VALUES (1, 'card', 5, 0, 'x')",
		"INSERT INTO customer_payments(customer_id, method, amount, "
		"balance_after, at) VALUES (1, 'cash', 0, 0, 'x')",
		"INSERT INTO customer_payments(customer_id, method, amount, "
		"balance_after, reference, at) VALUES (1, 'mpesa', 5, 0, "
		"'QKT5ABC1XY', 'x')",
	};
	struct duka_err err = { 0, "" };
	int i;

	cust("Mama Njeri", NULL, 100000);
	owe(1, 30000);
	ck_assert_int_eq(customer_pay(db, 1, 10000, PAY_MPESA, "QKT5ABC1XY",
	    NULL, &err), DUKA_OK);
	for (i = 0; i < NELEM(sql); i++)
		ck_assert_msg((sqlite3_exec(db_sqlite(db), sql[i], NULL, NULL,
		    NULL) & 0xff) == SQLITE_CONSTRAINT, "%s was allowed",
		    sql[i]);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM customer_payments"),
	    1);
}
END_TEST

START_TEST(test_read_only)
{
	struct duka_err err = { 0, "" };
	struct counts before;

	cust("Mama Njeri", NULL, 100000);
	owe(1, 30000);
	tu_exec(db, "PRAGMA query_only = 1");
	counts_take(&before);
	assert_refused(customer_pay(db, 1, 100, PAY_CASH, NULL, NULL, &err),
	    &err, DUKA_EDB, "read-only", "pay");
	assert_refused(customer_add(db, "Otieno", NULL, 0, NULL, &err),
	    &err, DUKA_EDB, "read-only", "add");
	counts_same(&before, "read-only");
	tu_exec(db, "PRAGMA query_only = 0");
	ck_assert_int_eq(customer_pay(db, 1, 100, PAY_CASH, NULL, NULL, &err),
	    DUKA_OK);
	assert_clean();
}
END_TEST

static Suite *
customer_suite(void)
{
	Suite *s = suite_create("customer");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_add_good, 0, NELEM(add_good));
	tcase_add_loop_test(tc, test_add_bad, 0, NELEM(add_bad));
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_list);
	tcase_add_loop_test(tc, test_pay_good, 0, NELEM(pay_good));
	tcase_add_loop_test(tc, test_pay_bad, 0, NELEM(pay_bad));
	tcase_add_test(tc, test_code_of_account_refused_for_sale);
	tcase_add_test(tc, test_pay_down_to_zero);
	tcase_add_loop_test(tc, test_check_balances, 0, NELEM(tamper));
	tcase_add_test(tc, test_payments_kept);
	tcase_add_test(tc, test_read_only);
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
	return tu_run(customer_suite());
}
