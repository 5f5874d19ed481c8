/*
 * check_user.c - users, PINs, lockout and the permission matrix: every
 * role against every permission, with and without a manager's approval,
 * an approval spent after one action, refused approvers; the real domain
 * functions refusing (and changing nothing) and then passing once a
 * manager approves.
 *
 * PINs are hashed with libsodium's smallest limits here
 * (DUKA_TEST_CHEAP_PIN_HASH=1, see user.h); one test checks the real
 * limits once.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cart.h"
#include "catalog.h"
#include "db.h"
#include "export.h"
#include "fraud.h"
#include "refund.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"
#include "testutil.h"
#include "user.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TILL "T1"
#define NOW "2026-06-15T08:00:00Z"

#define OWNER "Wanjiru"
#define OWNER_PIN "1111"
#define MANAGER "Mary"
#define MANAGER_PIN "22222"
#define ATTENDANT "Otieno"
#define ATTENDANT_PIN "333333"

static struct db *db;
static char dbpath[512];
static char dir[512];
static struct settings cfg;
static struct actor actor;
static int64_t sugar, milk, milk_old;

/*
 * The matrix of the issue, written out by hand (not from role_perms):
 * the least role that holds each permission.
 */
static const struct {
	enum perm perm;
	enum role least;
} matrix[] = {
	{ PERM_SELL, ROLE_ATTENDANT },
	{ PERM_PARK, ROLE_ATTENDANT },
	{ PERM_PRINT, ROLE_ATTENDANT },
	{ PERM_CASH_IN, ROLE_ATTENDANT },
	{ PERM_CUSTOMERS, ROLE_ATTENDANT },
	{ PERM_REFUND, ROLE_MANAGER },
	{ PERM_VOID_SALE, ROLE_MANAGER },
	{ PERM_DISCOUNT, ROLE_MANAGER },
	{ PERM_PRICE_OVERRIDE, ROLE_MANAGER },
	{ PERM_DRAWER, ROLE_MANAGER },
	{ PERM_STOCK_ADJUST, ROLE_MANAGER },
	{ PERM_STOCK_RECEIVE, ROLE_MANAGER },
	{ PERM_SELL_EXPIRED, ROLE_MANAGER },
	{ PERM_CATALOG, ROLE_MANAGER },
	{ PERM_ORDERS, ROLE_MANAGER },
	{ PERM_AUDIT, ROLE_MANAGER },
	{ PERM_USERS, ROLE_OWNER },
	{ PERM_SETTINGS, ROLE_OWNER },
	{ PERM_EXPORT, ROLE_OWNER },
};

static const struct {
	const char *name, *pin;
	enum role role;
} people[] = {
	{ ATTENDANT, ATTENDANT_PIN, ROLE_ATTENDANT },
	{ MANAGER, MANAGER_PIN, ROLE_MANAGER },
	{ OWNER, OWNER_PIN, ROLE_OWNER },
};

/* Log name in and make them the connection's actor. */
static void
login(const char *name, const char *pin)
{
	struct duka_err err = { 0, "" };

	ck_assert_msg(user_login(db, name, pin, &cfg, &actor, &err) ==
	    DUKA_OK, "login %s: %s", name, err.msg);
	db_set_actor(db, &actor);
}

/* Add a product in setup mode; returns its id. */
static int64_t
add_product(const char *sku, int64_t price, int tracks)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "Product %s", sku);
	p.price = price;
	p.cost = price / 2;
	p.tracks_expiry = tracks;
	ck_assert_msg(catalog_product_add(db, &p, NULL, &err) == DUKA_OK,
	    "%s", err.msg);
	return p.id;
}

/* Receive qty thousandths of pid in setup mode. */
static int64_t
receive(int64_t pid, int64_t qty, const char *expiry)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	int64_t bid = 0;

	stock_receipt_init(&r);
	r.product_id = pid;
	r.qty = qty;
	snprintf(r.expiry, sizeof r.expiry, "%s", expiry);
	snprintf(r.received, sizeof r.received, "2026-06-01");
	ck_assert_msg(stock_receive(db, &r, &bid, &err) == DUKA_OK, "%s",
	    err.msg);
	return bid;
}

/*
 * A shop in setup mode with products, stock, an open shift and one sale,
 * then the owner, a manager and an attendant; nobody logged in.
 */
static void
setup(void)
{
	struct duka_err err = { 0, "" };
	struct cart *c;
	struct product p;
	struct sale_request req;
	struct sale_result res;
	struct tender t = { .method = PAY_CASH };
	int64_t sid;

	setenv("DUKA_TEST_CHEAP_PIN_HASH", "1", 1);
	setenv("DUKA_NOW", NOW, 1);
	db = tu_db_new(dbpath, sizeof dbpath);
	snprintf(dir, sizeof dir, "%s", dbpath);
	*strrchr(dir, '/') = '\0';
	settings_defaults(&cfg);
	memset(&actor, 0, sizeof actor);
	sugar = add_product("SUG1", 15000, 0);
	milk = add_product("MLK1", 6000, 1);
	receive(sugar, 50000, "");
	milk_old = receive(milk, 5000, "2026-06-01");	/* expired */
	ck_assert_msg(shift_open(db, TILL, 100000, "setup", &sid, &err) ==
	    DUKA_OK, "%s", err.msg);
	/* Receipt T1-000001: 2 sugar, for the refunds. */
	c = cart_new();
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 2000, &err), DUKA_OK);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = "setup";
	req.cart_token = "setup-sale";
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	cart_free(c);

	ck_assert_msg(user_add(db, OWNER, ROLE_OWNER, OWNER_PIN, &err) ==
	    DUKA_OK, "%s", err.msg);
	login(OWNER, OWNER_PIN);
	ck_assert_msg(user_add(db, MANAGER, ROLE_MANAGER, MANAGER_PIN, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_msg(user_add(db, ATTENDANT, ROLE_ATTENDANT, ATTENDANT_PIN,
	    &err) == DUKA_OK, "%s", err.msg);
	db_set_actor(db, NULL);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
	unsetenv("DUKA_NOW");
}

/* One row count. */
static int64_t
count(const char *sql)
{
	return tu_int(db, sql);
}

/* Every role against every permission, without and with approval. */
START_TEST(test_matrix)
{
	struct duka_err err = { 0, "" };
	int i, k;

	for (i = 0; i < NELEM(people); i++) {
		login(people[i].name, people[i].pin);
		for (k = 0; k < NELEM(matrix); k++) {
			unsigned p = matrix[k].perm;
			int may = people[i].role >= matrix[k].least;
			int rc = perm_require(db, p, &err);

			ck_assert_msg((rc == DUKA_OK) == may, "%s %s: %s",
			    people[i].name, perm_name(p), err.msg);
			ck_assert_int_eq(perm_allowed(db, p), may);
			if (may)
				continue;
			ck_assert_int_eq(rc, DUKA_EPERM);
			ck_assert(err.msg[0] != '\0');

			/* An attendant never approves. */
			ck_assert_int_eq(perm_approve(db, ATTENDANT,
			    ATTENDANT_PIN, p, &cfg, &err), DUKA_EPERM);
			ck_assert_ptr_nonnull(strstr(err.msg, "cannot approve"));
			ck_assert_int_eq(perm_require(db, p, &err),
			    DUKA_EPERM);

			/* A manager approves what a manager may do; the
			 * owner's own permissions need the owner. */
			if (matrix[k].least == ROLE_OWNER) {
				ck_assert_int_eq(perm_approve(db, MANAGER,
				    MANAGER_PIN, p, &cfg, &err), DUKA_EPERM);
				ck_assert_int_eq(perm_require(db, p, &err),
				    DUKA_EPERM);
				ck_assert_msg(perm_approve(db, OWNER,
				    OWNER_PIN, p, &cfg, &err) == DUKA_OK,
				    "%s", err.msg);
			} else
				ck_assert_msg(perm_approve(db, MANAGER,
				    MANAGER_PIN, p, &cfg, &err) == DUKA_OK,
				    "%s", err.msg);
			ck_assert_int_eq(perm_allowed(db, p), 1);
			ck_assert_msg(perm_require(db, p, &err) == DUKA_OK,
			    "%s %s approved: %s", people[i].name,
			    perm_name(p), err.msg);
			/* Spent: the next action needs a new approval. */
			ck_assert_int_eq(perm_require(db, p, &err),
			    DUKA_EPERM);
			ck_assert_int_eq(perm_allowed(db, p), 0);
		}
	}
	/* Nobody logged in, with users in the shop: nothing at all. */
	db_set_actor(db, NULL);
	for (k = 0; k < NELEM(matrix); k++)
		ck_assert_int_eq(perm_require(db, matrix[k].perm, &err),
		    DUKA_EPERM);
	/* Every approval left an audit row naming the approver. */
	ck_assert_int_gt(count("SELECT count(*) FROM audit_log WHERE "
	    "action = 'user.approve'"), 10);
}
END_TEST

/* An approval covers what it names, not more; a wrong PIN approves
 * nothing; a cancelled pop-up withdraws it. */
START_TEST(test_approval_scope)
{
	struct duka_err err = { 0, "" };

	login(ATTENDANT, ATTENDANT_PIN);
	ck_assert_int_eq(perm_approve(db, MANAGER, "9999", PERM_REFUND, &cfg,
	    &err), DUKA_EPERM);
	ck_assert_int_eq(perm_require(db, PERM_REFUND, &err), DUKA_EPERM);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN, PERM_REFUND,
	    &cfg, &err), DUKA_OK);
	ck_assert_int_eq(perm_require(db, PERM_REFUND | PERM_DRAWER, &err),
	    DUKA_EPERM);
	ck_assert_int_eq(perm_require(db, PERM_DRAWER, &err), DUKA_EPERM);
	perm_approval_clear(db);
	ck_assert_int_eq(perm_require(db, PERM_REFUND, &err), DUKA_EPERM);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN,
	    PERM_REFUND | PERM_DRAWER, &cfg, &err), DUKA_OK);
	ck_assert_int_eq(perm_require(db, PERM_REFUND | PERM_DRAWER, &err),
	    DUKA_OK);
	/* Approving with nobody logged in is refused. */
	db_set_actor(db, NULL);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN, PERM_REFUND,
	    &cfg, &err), DUKA_EPERM);
	/* A stranger approves nothing, with the same words as a wrong PIN. */
	login(ATTENDANT, ATTENDANT_PIN);
	ck_assert_int_eq(perm_approve(db, "Nobody", MANAGER_PIN, PERM_REFUND,
	    &cfg, &err), DUKA_EPERM);
	ck_assert_str_eq(err.msg, "wrong user name or PIN");
}
END_TEST

/* The domain functions enforce the matrix themselves and change nothing
 * when they refuse. */
START_TEST(test_enforced_in_src)
{
	struct duka_err err = { 0, "" };
	struct refund_request rq;
	struct refund_result rr;
	struct stock_issue is;
	struct product p;
	struct cart *c;
	struct sale_request req;
	struct sale_result res;
	struct tender t = { .method = PAY_CASH };
	char path[600];
	int64_t cash0, sales0;

	login(ATTENDANT, ATTENDANT_PIN);

	/* Cash out of the drawer. */
	cash0 = count("SELECT count(*) FROM cash_movements");
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_OUT, 5000, "float",
	    ATTENDANT, &err), DUKA_EPERM);
	ck_assert_int_eq(shift_cash(db, TILL, CASH_NO_SALE, 0, "change",
	    ATTENDANT, &err), DUKA_EPERM);
	ck_assert_int_eq(count("SELECT count(*) FROM cash_movements"), cash0);
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_IN, 5000, "coins",
	    ATTENDANT, &err), DUKA_OK);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN, PERM_DRAWER,
	    &cfg, &err), DUKA_OK);
	ck_assert_msg(shift_cash(db, TILL, CASH_PAY_OUT, 5000, "float",
	    ATTENDANT, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE "
	    "action = 'shift.pay_out' AND approved_by = 'Mary' AND "
	    "user_name = 'Otieno'"), 1);
	ck_assert_int_eq(shift_cash(db, TILL, CASH_PAY_OUT, 5000, "again",
	    ATTENDANT, &err), DUKA_EPERM);

	/* A refund. */
	memset(&rq, 0, sizeof rq);
	rq.till_id = TILL;
	rq.user = ATTENDANT;
	rq.sale_till = TILL;
	rq.sale_receipt_no = 1;
	rq.tender.method = PAY_CASH;
	memset(&rr, 0, sizeof rr);
	sales0 = count("SELECT count(*) FROM sales");
	ck_assert_int_eq(refund_commit(db, &rq, &rr, &err), DUKA_EPERM);
	refund_result_free(&rr);
	ck_assert_int_eq(count("SELECT count(*) FROM sales"), sales0);
	/* The whole sale is a void: a refund approval does not cover it. */
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN, PERM_REFUND,
	    &cfg, &err), DUKA_OK);
	ck_assert_int_eq(refund_commit(db, &rq, &rr, &err), DUKA_EPERM);
	refund_result_free(&rr);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN,
	    PERM_VOID_SALE, &cfg, &err), DUKA_OK);
	ck_assert_msg(refund_commit(db, &rq, &rr, &err) == DUKA_OK, "%s",
	    err.msg);
	refund_result_free(&rr);
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE "
	    "action = 'sale.refund' AND approved_by = 'Mary'"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM sales WHERE "
	    "kind = 'refund' AND approved_by = 'Mary'"), 1);

	/* A sale at another price, then from an expired batch. */
	c = cart_new();
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 1000, &err), DUKA_OK);
	ck_assert_int_eq(cart_price_override(c, 0, 10000, &err), DUKA_OK);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = ATTENDANT;
	req.cart_token = "override-1";
	sales0 = count("SELECT count(*) FROM sales");
	ck_assert_int_eq(sale_commit(db, &req, &cfg, &res, &err), DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "approval"));
	/* A typed name is no approval once the shop has users. */
	ck_assert_int_eq(cart_approve(c, MANAGER, &err), DUKA_OK);
	ck_assert_int_eq(sale_commit(db, &req, &cfg, &res, &err), DUKA_EPERM);
	ck_assert_int_eq(count("SELECT count(*) FROM sales"), sales0);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN,
	    PERM_PRICE_OVERRIDE | PERM_DISCOUNT, &cfg, &err), DUKA_OK);
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_int_eq(count("SELECT count(*) FROM sales WHERE cart_token = "
	    "'override-1' AND approved_by = 'Mary'"), 1);
	cart_free(c);

	c = cart_new();
	ck_assert_int_eq(catalog_product_get(db, milk, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 1000, &err), DUKA_OK);
	req.cart = c;
	req.cart_token = "expired-1";
	req.allow_expired = 1;
	ck_assert_int_eq(sale_commit(db, &req, &cfg, &res, &err), DUKA_EPERM);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN,
	    PERM_SELL_EXPIRED, &cfg, &err), DUKA_OK);
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	cart_free(c);

	/* Stock written off, and a price changed. */
	memset(&is, 0, sizeof is);
	is.product_id = sugar;
	is.qty = 1000;
	is.reason = STOCK_DAMAGE;
	is.user = ATTENDANT;
	ck_assert_int_eq(stock_issue(db, &is, NULL, 0, NULL, &err),
	    DUKA_EPERM);
	ck_assert_int_eq(stock_writeoff_expired(db, ATTENDANT, NULL, NULL,
	    &err), DUKA_EPERM);
	ck_assert_int_eq(count("SELECT count(*) FROM stock_movements WHERE "
	    "reason IN ('damage', 'expiry')"), 0);
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	p.price = 1;
	ck_assert_int_eq(catalog_product_update(db, &p, NULL, &err),
	    DUKA_EPERM);
	ck_assert_int_eq(count("SELECT price FROM products WHERE sku = "
	    "'SUG1'"), 15000);

	/* The books leave with the owner only. */
	login(MANAGER, MANAGER_PIN);
	snprintf(path, sizeof path, "%s/books.xlsx", dir);
	ck_assert_int_eq(export_workbook(db, &cfg, NULL, NULL, path, NULL,
	    NULL, &err), DUKA_EPERM);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(user_add(db, "Kamau", ROLE_ATTENDANT, "4444", &err),
	    DUKA_EPERM);
	ck_assert_int_eq(count("SELECT count(*) FROM users"), 3);
	/* The manager does it all without asking anyone. */
	ck_assert_msg(stock_issue(db, &is, NULL, 0, NULL, &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE "
	    "action = 'stock.damage' AND user_name = 'Mary'"), 1);
	/* Her own sale at another price is approved by herself. */
	c = cart_new();
	ck_assert_int_eq(catalog_product_get(db, sugar, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 1000, &err), DUKA_OK);
	ck_assert_int_eq(cart_price_override(c, 0, 10000, &err), DUKA_OK);
	req.cart = c;
	req.cart_token = "override-2";
	req.allow_expired = 0;
	req.user = MANAGER;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_int_eq(count("SELECT count(*) FROM sales WHERE cart_token = "
	    "'override-2' AND approved_by = 'Mary'"), 1);
	cart_free(c);
}
END_TEST

/* Setup mode: no users, everything allowed; the first user is an owner. */
START_TEST(test_setup_mode)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *fresh = tu_db_new(path, sizeof path);
	struct db *keep = db;
	int64_t n = -1;
	int k;

	db = fresh;
	ck_assert_int_eq(user_count(db, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(user_setup_mode(db), 1);
	for (k = 0; k < NELEM(matrix); k++)
		ck_assert_int_eq(perm_require(db, matrix[k].perm, &err),
		    DUKA_OK);
	ck_assert_int_eq(user_add(db, "Juma", ROLE_MANAGER, "1234", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(user_count(db, &n, &err), DUKA_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(user_add(db, "Juma", ROLE_OWNER, "1234", &err),
	    DUKA_OK);
	ck_assert_int_eq(user_setup_mode(db), 0);
	ck_assert_int_eq(perm_require(db, PERM_SELL, &err), DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "log"));
	db_close(fresh);
	unlink(path);
	db = keep;
}
END_TEST

/* fraud_alerts' callback: append the names of locked users to ctx. */
static int
note_lockout(void *ctx, const struct fraud_alert *a)
{
	char *out = ctx;

	if (a->kind == FRAUD_LOCKOUT) {
		strcat(out, " ");
		strcat(out, a->user);
	}
	return 0;
}

static char lockouts[256];

/* Five wrong PINs lock the user for lock_minutes; the lock is audited;
 * the clock (DUKA_NOW) unlocks; so does the owner. */
START_TEST(test_lockout)
{
	struct duka_err err = { 0, "" };
	struct actor a;
	struct user u;
	int i;

	cfg.lock_attempts = 5;
	cfg.lock_minutes = 15;
	/* Four wrong, then the right one: the count starts again. */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(user_login(db, ATTENDANT, "000000", &cfg, &a,
		    &err), DUKA_EPERM);
	ck_assert_int_eq(user_get(db, ATTENDANT, &u, &err), DUKA_OK);
	ck_assert_int_eq(u.failed_attempts, 4);
	login(ATTENDANT, ATTENDANT_PIN);
	ck_assert_int_eq(user_get(db, ATTENDANT, &u, &err), DUKA_OK);
	ck_assert_int_eq(u.failed_attempts, 0);

	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(user_login(db, ATTENDANT, "000000", &cfg, &a,
		    &err), DUKA_EPERM);
		ck_assert_str_eq(err.msg, "wrong user name or PIN");
	}
	ck_assert_int_eq(user_login(db, ATTENDANT, "000000", &cfg, &a, &err),
	    DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "locked for 15 minutes"));
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE "
	    "action = 'user.lock' AND entity_id = (SELECT id FROM users "
	    "WHERE name = 'Otieno')"), 1);
	/* The right PIN does not open a lock. */
	ck_assert_int_eq(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err), DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "locked"));
	ck_assert_int_eq(a.user_id, 0);
	setenv("DUKA_NOW", "2026-06-15T08:14:00Z", 1);
	ck_assert_int_eq(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err), DUKA_EPERM);
	setenv("DUKA_NOW", "2026-06-15T08:16:00Z", 1);
	ck_assert_msg(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err) == DUKA_OK, "%s", err.msg);

	/* lock_minutes = 0: until someone unlocks; the owner does. */
	cfg.lock_minutes = 0;
	cfg.lock_attempts = 2;
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(user_login(db, ATTENDANT, "000000", &cfg, &a,
		    &err), DUKA_EPERM);
	setenv("DUKA_NOW", "2027-06-15T08:16:00Z", 1);
	ck_assert_int_eq(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err), DUKA_EPERM);
	login(MANAGER, MANAGER_PIN);
	ck_assert_int_eq(user_unlock(db, ATTENDANT, &err), DUKA_EPERM);
	login(OWNER, OWNER_PIN);
	ck_assert_int_eq(user_unlock(db, ATTENDANT, &err), DUKA_OK);
	ck_assert_int_eq(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err), DUKA_OK);

	/* Wrong approver PINs lock the manager too. */
	cfg.lock_attempts = 3;
	cfg.lock_minutes = 10;
	login(ATTENDANT, ATTENDANT_PIN);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(perm_approve(db, MANAGER, "12345",
		    PERM_REFUND, &cfg, &err), DUKA_EPERM);
	ck_assert_int_eq(perm_approve(db, MANAGER, MANAGER_PIN, PERM_REFUND,
	    &cfg, &err), DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "locked"));
	ck_assert_int_eq(perm_require(db, PERM_REFUND, &err), DUKA_EPERM);
	ck_assert_int_eq(user_login(db, MANAGER, MANAGER_PIN, &cfg, &a, &err),
	    DUKA_EPERM);

	/* The fraud guard names who was locked, not who stood at the till;
	 * a lock by hand is no lockout. */
	lockouts[0] = '\0';
	ck_assert_int_eq(fraud_alerts(db, NULL, NULL, &cfg, note_lockout,
	    lockouts, &err), DUKA_OK);
	ck_assert_str_eq(lockouts, " Otieno Otieno Mary");
	login(OWNER, OWNER_PIN);
	ck_assert_int_eq(user_lock(db, ATTENDANT, &err), DUKA_OK);
	lockouts[0] = '\0';
	ck_assert_int_eq(fraud_alerts(db, NULL, NULL, &cfg, note_lockout,
	    lockouts, &err), DUKA_OK);
	ck_assert_str_eq(lockouts, " Otieno Otieno Mary");
}
END_TEST

/* Managing users: names, PINs, roles, the last owner, deactivation. */
START_TEST(test_user_admin)
{
	static const char *const bad_pins[] = { "", "123", "123456789",
	    "12a4", " 1234", "1234 ", "-1234", "１２３４" };
	struct duka_err err = { 0, "" };
	struct actor a;
	struct user u;
	int i;

	login(OWNER, OWNER_PIN);
	for (i = 0; i < NELEM(bad_pins); i++) {
		ck_assert_int_eq(user_add(db, "Kamau", ROLE_ATTENDANT,
		    bad_pins[i], &err), DUKA_EINPUT);
		/* The PIN is never repeated in a message. */
		if (strlen(bad_pins[i]) > 2)
			ck_assert_ptr_null(strstr(err.msg, bad_pins[i]));
	}
	ck_assert_int_eq(user_add(db, "mary", ROLE_ATTENDANT, "4444", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(user_add(db, "", ROLE_ATTENDANT, "4444", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(user_add(db, "Kamau", ROLE_NONE, "4444", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(count("SELECT count(*) FROM users"), 3);
	ck_assert_int_eq(user_add(db, "Kamau", ROLE_ATTENDANT, "4444", &err),
	    DUKA_OK);

	/* Stored as Argon2id, never as the PIN. */
	ck_assert_int_eq(count("SELECT count(*) FROM users WHERE pin_hash "
	    "LIKE '$argon2id$%' AND instr(pin_hash, '4444') = 0"), 4);

	/* The only owner stays an owner. */
	ck_assert_int_eq(user_set_role(db, OWNER, ROLE_MANAGER, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(user_deactivate(db, OWNER, &err), DUKA_EINPUT);
	ck_assert_int_eq(user_lock(db, OWNER, &err), DUKA_EINPUT);
	ck_assert_int_eq(user_set_role(db, "KAMAU", ROLE_MANAGER, &err),
	    DUKA_OK);
	ck_assert_int_eq(user_get(db, "kamau", &u, &err), DUKA_OK);
	ck_assert_int_eq(u.role, ROLE_MANAGER);
	ck_assert_int_eq(user_set_role(db, "Nobody", ROLE_MANAGER, &err),
	    DUKA_ENOTFOUND);

	/* Deactivated: no login, no approval. */
	ck_assert_int_eq(user_deactivate(db, "Kamau", &err), DUKA_OK);
	ck_assert_int_eq(user_login(db, "Kamau", "4444", &cfg, &a, &err),
	    DUKA_EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "deactivated"));

	/* Own PIN: yes; another's: no (an attendant). */
	login(ATTENDANT, ATTENDANT_PIN);
	ck_assert_int_eq(user_set_pin(db, MANAGER, "5555", &err), DUKA_EPERM);
	ck_assert_int_eq(user_set_pin(db, ATTENDANT, "7777", &err), DUKA_OK);
	ck_assert_int_eq(user_login(db, ATTENDANT, ATTENDANT_PIN, &cfg, &a,
	    &err), DUKA_EPERM);
	login(ATTENDANT, "7777");
	ck_assert_int_eq(user_lock(db, MANAGER, &err), DUKA_EPERM);
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE action "
	    "IN ('user.add', 'user.role', 'user.deactivate', 'user.pin')"), 7);
}
END_TEST

/* The real Argon2id limits, once: a PIN hashed without the test switch
 * carries the interactive limits and still verifies. */
START_TEST(test_real_limits)
{
	struct duka_err err = { 0, "" };
	struct actor a;

	unsetenv("DUKA_TEST_CHEAP_PIN_HASH");
	login(OWNER, OWNER_PIN);
	ck_assert_msg(user_add(db, "Kamau", ROLE_ATTENDANT, "4321", &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(count("SELECT count(*) FROM users WHERE name = "
	    "'Kamau' AND pin_hash LIKE '$argon2id$v=19$m=65536,t=2,%'"), 1);
	ck_assert_int_eq(user_login(db, "Kamau", "4321", &cfg, &a, &err),
	    DUKA_OK);
	setenv("DUKA_TEST_CHEAP_PIN_HASH", "1", 1);
}
END_TEST

static Suite *
user_suite(void)
{
	Suite *s = suite_create("user");
	TCase *tc = tcase_create("users");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_approval_scope);
	tcase_add_test(tc, test_enforced_in_src);
	tcase_add_test(tc, test_setup_mode);
	tcase_add_test(tc, test_lockout);
	tcase_add_test(tc, test_user_admin);
	tcase_add_test(tc, test_real_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(user_suite());
}
