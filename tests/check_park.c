/*
 * check_park.c - unit tests for parked carts (park.c): parking, listing,
 * taking a cart up again exactly as it was (lines, overrides, discounts,
 * sums), across a closed and reopened database, and the refusals: an
 * empty cart, a bad label, an unknown id, a cart on screen, a damaged
 * parked copy (which stays parked).
 *
 * The clock is fixed at 2026-06-15 09:00 UTC (DUKA_NOW) in the UTC zone.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "date.h"
#include "db.h"
#include "park.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TODAY "2026-06-15"

static struct db *db;
static char dbpath[512];
static struct product sugar, rice, bread, soap;

/* Add a product and keep it in p. */
static void
add_product(struct product *p, const char *sku, const char *name,
    int64_t price, enum product_unit unit, enum tax_class tax)
{
	struct duka_err err = { 0, "" };

	product_init(p);
	snprintf(p->sku, sizeof p->sku, "%s", sku);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->price = price;
	p->cost = price / 2;
	p->unit = unit;
	p->tax = tax;
	ck_assert_msg(catalog_product_add(db, p, "test", &err) == DUKA_OK,
	    "%s: %s", sku, err.msg);
}

static void
setup(void)
{
	db = tu_db_new(dbpath, sizeof dbpath);
	add_product(&sugar, "SUG1", "Sugar 1kg", 15000, UNIT_PIECE,
	    TAX_STANDARD);
	add_product(&rice, "RICE", "Rice loose \xc3\xa9", 11000, UNIT_KG,
	    TAX_STANDARD);
	add_product(&bread, "BRD1", "Bread", 5000, UNIT_PIECE, TAX_EXEMPT);
	add_product(&soap, "SOAP", "Soap bar", 4500, UNIT_PIECE, TAX_ZERO);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Run a call that must succeed; it reports into err, in scope. */
#define OK(call) \
	ck_assert_msg((call) == DUKA_OK, "%s: %s", #call, err.msg)

/* A busy cart: a product on two lines, an override, line discounts of
 * both kinds, a weighed line and a sale discount of kind sale_kind
 * (0 none, 1 amount, 2 percent). */
static struct cart *
busy_cart(int sale_kind)
{
	struct duka_err err = { 0, "" };
	struct cart *c = cart_new();

	ck_assert_ptr_nonnull(c);
#define DO(x) ck_assert_msg((x) == DUKA_OK, "%s: %s", #x, err.msg)
	DO(cart_add(c, &sugar, 2000, &err));
	DO(cart_line_discount_amount(c, 0, 500, &err));
	DO(cart_add(c, &sugar, 1000, &err));		/* a line of its own */
	DO(cart_add(c, &rice, 1250, &err));
	DO(cart_add(c, &bread, 3000, &err));
	DO(cart_price_override(c, 3, 4500, &err));
	DO(cart_add(c, &soap, 1000, &err));
	DO(cart_line_discount_percent(c, 4, 750, &err));
	DO(cart_add(c, &rice, 333, &err));		/* another parcel */
	if (sale_kind == 1)
		DO(cart_sale_discount_amount(c, 1234, &err));
	else if (sale_kind == 2)
		DO(cart_sale_discount_percent(c, 250, &err));
#undef DO
	return c;
}

/* Two carts are the same sale: same lines, same amounts, same sums. */
static void
same_cart(const struct cart *a, const struct cart *b)
{
	int i;

	ck_assert_int_eq(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct cart_line *x = &a->line[i], *y = &b->line[i];

		ck_assert_int_eq(x->product_id, y->product_id);
		ck_assert_str_eq(x->sku, y->sku);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_int_eq(x->unit, y->unit);
		ck_assert_int_eq(x->tax, y->tax);
		ck_assert_int_eq(x->price, y->price);
		ck_assert_int_eq(x->qty, y->qty);
		ck_assert_int_eq(x->override, y->override);
		ck_assert_int_eq(x->disc_amount, y->disc_amount);
		ck_assert_int_eq(x->disc_bp, y->disc_bp);
		ck_assert_int_eq(x->gross, y->gross);
		ck_assert_int_eq(x->line_discount, y->line_discount);
		ck_assert_int_eq(x->sale_discount, y->sale_discount);
		ck_assert_int_eq(x->amount, y->amount);
		ck_assert_int_eq(x->vat, y->vat);
	}
	ck_assert_int_eq(a->sale_disc_amount, b->sale_disc_amount);
	ck_assert_int_eq(a->sale_disc_bp, b->sale_disc_bp);
	ck_assert_mem_eq(&a->sum, &b->sum, sizeof a->sum);
}

/* Collects park_list rows. */
struct seen {
	int n;
	struct parked_cart p[8];
};

static void
seen_cb(void *ctx, const struct parked_cart *p)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->p[s->n] = *p;
	s->n++;
}

static void
list(const char *till, struct seen *s)
{
	struct duka_err err = { 0, "" };

	memset(s, 0, sizeof *s);
	ck_assert_msg(park_list(db, till, seen_cb, s, &err) == DUKA_OK, "%s",
	    err.msg);
}

START_TEST(test_save_list_resume)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(_i), *back = cart_new();
	struct seen s;
	int64_t id = 0;

	ck_assert_msg(park_save(db, "T1", "amina", "Lady in red", c, &id,
	    &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_gt(id, 0);
	/* Parking does not change the cart. */
	ck_assert_int_eq(c->n, 6);
	list("T1", &s);
	ck_assert_int_eq(s.n, 1);
	ck_assert_int_eq(s.p[0].id, id);
	ck_assert_str_eq(s.p[0].till_id, "T1");
	ck_assert_str_eq(s.p[0].label, "Lady in red");
	ck_assert_str_eq(s.p[0].user, "amina");
	ck_assert_str_eq(s.p[0].parked_at, TODAY "T09:00:00.000Z");
	ck_assert_int_eq(s.p[0].lines, 6);
	ck_assert_int_eq(s.p[0].total, c->sum.total);

	ck_assert_msg(park_resume(db, id, back, &err) == DUKA_OK, "%s",
	    err.msg);
	same_cart(c, back);
	ck_assert_int_eq(back->approved, 0);
	list(NULL, &s);
	ck_assert_int_eq(s.n, 0);
	/* Resumed once: the second time it is gone. */
	cart_clear(back);
	ck_assert_int_eq(park_resume(db, id, back, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(back->n, 0);
	cart_free(c);
	cart_free(back);
}
END_TEST

START_TEST(test_list_by_till)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(0);
	struct seen s;
	int64_t a, b, d;

	OK(park_save(db, "T1", NULL, NULL, c, &a, &err));
	OK(park_save(db, "T2", "juma", "", c, &b, &err));
	OK(park_save(db, "T1", "juma", "Mzee", c, &d, &err));
	list("T1", &s);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.p[0].id, a);		/* oldest first */
	ck_assert_str_eq(s.p[0].label, "");
	ck_assert_str_eq(s.p[0].user, "");
	ck_assert_int_eq(s.p[1].id, d);
	list("T2", &s);
	ck_assert_int_eq(s.n, 1);
	ck_assert_int_eq(s.p[0].id, b);
	list(NULL, &s);
	ck_assert_int_eq(s.n, 3);
	list("T3", &s);
	ck_assert_int_eq(s.n, 0);
	cart_free(c);
}
END_TEST

START_TEST(test_survives_reopen)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(1), *back = cart_new();
	int64_t id;

	OK(park_save(db, "T1", "amina", NULL, c, &id, &err));
	/* The power goes: everything in memory is lost. */
	db_close(db);
	db = NULL;
	ck_assert_msg(db_open(dbpath, DB_OPEN_EXISTING, &db, &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_msg(park_resume(db, id, back, &err) == DUKA_OK, "%s",
	    err.msg);
	same_cart(c, back);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 0);
	cart_free(c);
	cart_free(back);
}
END_TEST

START_TEST(test_drop)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(0), *back = cart_new();
	int64_t a, b;

	OK(park_save(db, "T1", NULL, NULL, c, &a, &err));
	OK(park_save(db, "T1", NULL, NULL, c, &b, &err));
	ck_assert_msg(park_drop(db, a, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(park_drop(db, a, &err), DUKA_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "parked"));
	ck_assert_int_eq(park_resume(db, a, back, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 1);
	ck_assert_msg(park_resume(db, b, back, &err) == DUKA_OK, "%s",
	    err.msg);
	same_cart(c, back);
	cart_free(c);
	cart_free(back);
}
END_TEST

/* A park that must be refused, writing nothing. */
static void
save_refused(const char *till, const char *label, const struct cart *c,
    const char *needle)
{
	struct duka_err err = { 0, "" };
	int64_t id = -7;

	ck_assert_int_eq(park_save(db, till, "u", label, c, &id, &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "\"%s\" does not say "
	    "\"%s\"", err.msg, needle);
	ck_assert_int_eq(id, -7);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 0);
}

START_TEST(test_save_refused)
{
	struct cart *c = busy_cart(0), *empty = cart_new();
	char label[80];

	save_refused("T1", NULL, empty, "nothing to park");
	save_refused("", NULL, c, "till");
	save_refused(NULL, NULL, c, "till");
	save_refused("T1234567890123456789012345678901234", NULL, c,
	    "too long");
	memset(label, 'x', 61);
	label[61] = '\0';
	save_refused("T1", label, c, "label");
	save_refused("T1", "bad \xff", c, "label");
	save_refused("T1", "tab\there", c, "label");
	cart_free(c);
	cart_free(empty);
}
END_TEST

START_TEST(test_resume_refused)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(2), *busy = busy_cart(0), *back = cart_new();
	int64_t id;

	OK(park_save(db, "T1", NULL, NULL, c, &id, &err));
	/* A sale on screen is not overwritten. */
	ck_assert_int_eq(park_resume(db, id, busy, &err), DUKA_EINPUT);
	ck_assert_int_eq(busy->n, 6);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 1);
	ck_assert_int_eq(park_resume(db, id + 1, back, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(park_resume(db, -1, back, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 1);
	ck_assert_msg(park_resume(db, id, back, &err) == DUKA_OK, "%s",
	    err.msg);
	same_cart(c, back);
	cart_free(c);
	cart_free(busy);
	cart_free(back);
}
END_TEST

/* Parked copies that cannot be rebuilt: each stays parked. */
static const char *const damaged[] = {
	"not json",
	"{}",
	"{\"version\": 2, \"lines\": [], \"sale_disc_amount\": 0, "
	    "\"sale_disc_bp\": 0}",
	"{\"version\": 1, \"lines\": [], \"sale_disc_amount\": 0, "
	    "\"sale_disc_bp\": 0}",
	"{\"version\": 1, \"lines\": [{\"product_id\": 1}], "
	    "\"sale_disc_amount\": 0, \"sale_disc_bp\": 0}",
	/* a fraction of a piece */
	"{\"version\": 1, \"lines\": [{\"product_id\": 1, \"sku\": \"SUG1\", "
	    "\"name\": \"Sugar\", \"unit\": \"piece\", \"tax\": \"standard\", "
	    "\"price\": 15000, \"qty\": 1500, \"override\": null, "
	    "\"disc_amount\": 0, \"disc_bp\": 0}], \"sale_disc_amount\": 0, "
	    "\"sale_disc_bp\": 0}",
	/* a discount larger than the line, after a good line */
	"{\"version\": 1, \"lines\": [{\"product_id\": 3, \"sku\": \"BRD1\", "
	    "\"name\": \"Bread\", \"unit\": \"piece\", \"tax\": \"exempt\", "
	    "\"price\": 5000, \"qty\": 1000, \"override\": null, "
	    "\"disc_amount\": 0, \"disc_bp\": 0}, {\"product_id\": 1, "
	    "\"sku\": \"SUG1\", \"name\": \"Sugar\", \"unit\": \"piece\", "
	    "\"tax\": \"standard\", \"price\": 15000, \"qty\": 1000, "
	    "\"override\": null, \"disc_amount\": 20000, \"disc_bp\": 0}], "
	    "\"sale_disc_amount\": 0, \"sale_disc_bp\": 0}",
	/* an unknown unit */
	"{\"version\": 1, \"lines\": [{\"product_id\": 1, \"sku\": \"SUG1\", "
	    "\"name\": \"Sugar\", \"unit\": \"box\", \"tax\": \"standard\", "
	    "\"price\": 15000, \"qty\": 1000, \"override\": null, "
	    "\"disc_amount\": 0, \"disc_bp\": 0}], \"sale_disc_amount\": 0, "
	    "\"sale_disc_bp\": 0}",
	/* an override that is text */
	"{\"version\": 1, \"lines\": [{\"product_id\": 1, \"sku\": \"SUG1\", "
	    "\"name\": \"Sugar\", \"unit\": \"piece\", \"tax\": \"standard\", "
	    "\"price\": 15000, \"qty\": 1000, \"override\": \"10\", "
	    "\"disc_amount\": 0, \"disc_bp\": 0}], \"sale_disc_amount\": 0, "
	    "\"sale_disc_bp\": 0}",
};

START_TEST(test_resume_damaged)
{
	struct duka_err err = { 0, "" };
	struct cart *c = busy_cart(0), *back = cart_new();
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	OK(park_save(db, "T1", NULL, NULL, c, &id, &err));
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "UPDATE "
	    "parked_carts SET cart = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, damaged[_i], -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	rc = park_resume(db, id, back, &err);
	ck_assert_msg(rc == DUKA_EFAIL || rc == DUKA_EINPUT, "case %d: %d %s",
	    _i, rc, err.msg);
	ck_assert_msg(err.msg[0] != '\0', "case %d: no message", _i);
	ck_assert_int_eq(back->n, 0);
	ck_assert_int_eq(back->sale_disc_amount, 0);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM parked_carts"), 1);
	cart_free(c);
	cart_free(back);
}
END_TEST

START_TEST(test_two_lines_of_one_product)
{
	struct duka_err err = { 0, "" };
	struct cart *c = cart_new(), *back = cart_new();
	int64_t id;

	/* Line 1 plain, line 2 discounted: made by discounting line 1,
	 * scanning again and moving the discount to line 2. Rebuilt line by
	 * line, the second scan would join the first. */
	OK(cart_add(c, &sugar, 1000, &err));
	OK(cart_line_discount_amount(c, 0, 100, &err));
	OK(cart_add(c, &sugar, 2000, &err));
	OK(cart_add(c, &sugar, 1000, &err));		/* joins line 2 */
	OK(cart_line_discount_amount(c, 0, 0, &err));
	OK(cart_line_discount_amount(c, 1, 300, &err));
	ck_assert_int_eq(c->n, 2);
	OK(park_save(db, "T1", NULL, NULL, c, &id, &err));
	ck_assert_msg(park_resume(db, id, back, &err) == DUKA_OK, "%s",
	    err.msg);
	same_cart(c, back);
	ck_assert_int_eq(back->line[0].qty, 1000);
	ck_assert_int_eq(back->line[1].qty, 3000);
	ck_assert_int_eq(back->line[0].override, CART_NO_OVERRIDE);
	/* The resumed cart behaves: a scan joins the plain line again. */
	OK(cart_add(back, &sugar, 1000, &err));
	ck_assert_int_eq(back->n, 2);
	ck_assert_int_eq(back->line[0].qty, 2000);
	cart_free(c);
	cart_free(back);
}
END_TEST

static Suite *
park_suite(void)
{
	Suite *s = suite_create("park");
	TCase *tc = tcase_create("park");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_save_list_resume, 0, 3);
	tcase_add_test(tc, test_list_by_till);
	tcase_add_test(tc, test_survives_reopen);
	tcase_add_test(tc, test_drop);
	tcase_add_test(tc, test_save_refused);
	tcase_add_test(tc, test_resume_refused);
	tcase_add_loop_test(tc, test_resume_damaged, 0, NELEM(damaged));
	tcase_add_test(tc, test_two_lines_of_one_product);
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
	return tu_run(park_suite());
}
