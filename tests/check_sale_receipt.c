/*
 * check_sale_receipt.c - tests for sale_receipt.c: the receipt read back
 * from a committed sale says what the cart said (lines, discounts, totals,
 * VAT per class, tenders and change) for a table of sales; a reprint is
 * marked as a copy; a refund is marked and names its original; the
 * printer gets the ESC/POS bytes with the drawer kick for cash sales only;
 * and a printer that fails leaves the sale and the whole database as they
 * were.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cart.h"
#include "catalog.h"
#include "customer.h"
#include "date.h"
#include "escpos.h"
#include "receipt.h"
#include "refund.h"
#include "sale.h"
#include "sale_receipt.h"
#include "settings.h"
#include "shift.h"
#include "status.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define HAS(b, n, s) (memmem((b), (n), (s), strlen(s)) != NULL)

/* ESC p 0 25 250: the drawer kick escpos.c sends. */
static const char kick[] = "\x1b\x70\x00\x19\xfa";
#define KICK_LEN 5

/* The shop of every test: four products, stock, an open shift. */
struct shop {
	char path[512];
	struct db *db;
	struct settings cfg;
	struct product sugar;		/* piece, standard VAT, 210.00 */
	struct product tomato;		/* kg, zero-rated, 120.00 */
	struct product bread;		/* piece, exempt, 65.00 */
	struct product milk;		/* piece, standard VAT, 65.50 */
};

/* Add a product with stock on hand. */
static void
mkprod(struct shop *s, struct product *p, const char *sku, const char *name,
    enum product_unit unit, int64_t price, enum tax_class tax)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	product_init(p);
	snprintf(p->sku, sizeof p->sku, "%s", sku);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->unit = unit;
	p->price = price;
	p->tax = tax;
	if (catalog_product_add(s->db, p, "test", &err) != DUKA_OK)
		ck_abort_msg("catalog_product_add %s: %s", sku, err.msg);
	stock_receipt_init(&r);
	r.product_id = p->id;
	r.qty = 100000;
	r.unit_cost = price / 2;
	if (stock_receive(s->db, &r, NULL, &err) != DUKA_OK)
		ck_abort_msg("stock_receive %s: %s", sku, err.msg);
}

/* Open a fresh shop. */
static void
shop_open(struct shop *s)
{
	struct duka_err err = { 0, "" };

	memset(s, 0, sizeof *s);
	s->db = tu_db_new(s->path, sizeof s->path);
	settings_defaults(&s->cfg);
	snprintf(s->cfg.shop_name, sizeof s->cfg.shop_name, "Duka la Mama");
	snprintf(s->cfg.shop_phone, sizeof s->cfg.shop_phone, "0700 000000");
	mkprod(s, &s->sugar, "SUG1", "Mumias Sugar 1kg", UNIT_PIECE, 21000,
	    TAX_STANDARD);
	mkprod(s, &s->tomato, "TOM1", "Tomatoes", UNIT_KG, 12000, TAX_ZERO);
	mkprod(s, &s->bread, "BRD1", "Bread 400g", UNIT_PIECE, 6500,
	    TAX_EXEMPT);
	mkprod(s, &s->milk, "MLK1", "Brookside Milk 500ml", UNIT_PIECE, 6550,
	    TAX_STANDARD);
	if (shift_open(s->db, s->cfg.till_id, 100000, "amina", NULL, &err) !=
	    DUKA_OK)
		ck_abort_msg("shift_open: %s", err.msg);
}

static void
shop_close(struct shop *s)
{
	db_close(s->db);
}

/* One line of a sale in the table. */
struct item {
	int prod;			/* 0 sugar, 1 tomato, 2 bread, 3 milk;
					   -1 ends the list */
	int64_t qty;
	int64_t override;		/* or CART_NO_OVERRIDE */
	int64_t disc_amount;
	int64_t disc_bp;
};

/* One tender in the table. */
struct pay {
	enum pay_method method;		/* PAY_METHODS ends the list */
	int64_t amount;
	const char *ref;
	int pending;
};

/* A sale of the table, with what its receipt must show. */
struct sale_case {
	const char *name;
	struct item items[5];
	int64_t sale_disc_amount, sale_disc_bp;
	struct pay pays[4];
	int64_t want_total;
	int64_t want_change;
	int cash;			/* a cash payment: the drawer opens */
	const char *text;		/* in the receipt's text */
};

#define NO CART_NO_OVERRIDE
#define END { -1, 0, 0, 0, 0 }
#define PEND { PAY_METHODS, 0, NULL, 0 }

static const struct sale_case cases[] = {
	{ "one sugar, exact cash",
	    { { 0, 1000, NO, 0, 0 }, END }, 0, 0,
	    { { PAY_CASH, 0, NULL, 0 }, PEND }, 21000, 0, 1, "Cash" },
	{ "three classes, cash with change",
	    { { 0, 2000, NO, 0, 0 }, { 1, 500, NO, 0, 0 },
	    { 2, 1000, NO, 0, 0 }, END }, 0, 0,
	    { { PAY_CASH, 100000, NULL, 0 }, PEND }, 54500, 45500, 1,
	    "CHANGE" },
	{ "line discounts, override, sale discount; M-PESA and cash",
	    { { 0, 3000, NO, 1000, 0 }, { 3, 2000, 6000, 0, 0 },
	    { 1, 1250, NO, 0, 500 }, END }, 0, 500,
	    { { PAY_MPESA, 20000, "QKT5ABC1XY", 0 },
	    { PAY_CASH, 100000, NULL, 0 }, PEND }, 0, -1, 1, "QKT5ABC1XY" },
	{ "sale discount by amount, card for all",
	    { { 3, 7000, NO, 0, 0 }, { 2, 1000, NO, 0, 0 }, END }, 3000, 0,
	    { { PAY_CARD, 0, "AUTH 4471", 0 }, PEND }, 49350, 0, 0,
	    "AUTH 4471" },
	{ "bank and M-PESA, no cash",
	    { { 0, 1000, NO, 0, 0 }, END }, 0, 0,
	    { { PAY_BANK, 10000, "EFT-22", 0 },
	    { PAY_MPESA, 0, "RBA1B2C3D4", 0 }, PEND }, 21000, 0, 0, "Bank" },
	{ "M-PESA prompt pending",
	    { { 2, 2000, NO, 0, 0 }, END }, 0, 0,
	    { { PAY_MPESA, 0, "254712345678", 1 }, PEND }, 13000, 0, 0,
	    "pending" },
	{ "weighed tomatoes rounded",
	    { { 1, 333, NO, 0, 0 }, END }, 0, 0,
	    { { PAY_CASH, 5000, NULL, 0 }, PEND }, 3996, 1004, 1, "0.333 kg" },
};

/* The product of a table item. */
static const struct product *
case_product(const struct shop *s, int k)
{
	switch (k) {
	case 0:
		return &s->sugar;
	case 1:
		return &s->tomato;
	case 2:
		return &s->bread;
	default:
		return &s->milk;
	}
}

/* Build the cart of c; the caller frees it. */
static struct cart *
case_cart(const struct shop *s, const struct sale_case *c)
{
	struct duka_err err = { 0, "" };
	struct cart *cart = cart_new();
	const struct item *it;
	int i, n;

	ck_assert_ptr_nonnull(cart);
	for (i = 0; c->items[i].prod >= 0; i++) {
		it = &c->items[i];
		n = cart->n;
		if (cart_add(cart, case_product(s, it->prod), it->qty, &err) !=
		    DUKA_OK ||
		    (it->override != NO && cart_price_override(cart, n,
		    it->override, &err) != DUKA_OK) ||
		    (it->disc_amount != 0 && cart_line_discount_amount(cart, n,
		    it->disc_amount, &err) != DUKA_OK) ||
		    (it->disc_bp != 0 && cart_line_discount_percent(cart, n,
		    it->disc_bp, &err) != DUKA_OK))
			ck_abort_msg("%s: item %d: %s", c->name, i, err.msg);
	}
	if ((c->sale_disc_amount != 0 && cart_sale_discount_amount(cart,
	    c->sale_disc_amount, &err) != DUKA_OK) ||
	    (c->sale_disc_bp != 0 && cart_sale_discount_percent(cart,
	    c->sale_disc_bp, &err) != DUKA_OK) ||
	    cart_approve(cart, "boss", &err) != DUKA_OK)
		ck_abort_msg("%s: %s", c->name, err.msg);
	return cart;
}

/* Commit c; fills res and the cart's totals. */
static void
case_commit(struct shop *s, const struct sale_case *c, const char *token,
    struct sale_result *res, struct cart_totals *tot)
{
	struct duka_err err = { 0, "" };
	struct tender t[4];
	struct sale_request req;
	struct cart *cart;
	int i;

	cart = case_cart(s, c);
	memset(t, 0, sizeof t);
	for (i = 0; c->pays[i].method != PAY_METHODS; i++) {
		t[i].method = c->pays[i].method;
		t[i].amount = c->pays[i].amount;
		t[i].pending = c->pays[i].pending;
		if (c->pays[i].pending)
			snprintf(t[i].phone, sizeof t[i].phone, "%s",
			    c->pays[i].ref);
		else if (c->pays[i].ref != NULL)
			snprintf(t[i].reference, sizeof t[i].reference, "%s",
			    c->pays[i].ref);
	}
	memset(&req, 0, sizeof req);
	req.cart = cart;
	req.tenders = t;
	req.ntenders = i;
	req.till_id = s->cfg.till_id;
	req.user = "amina";
	req.cart_token = token;
	if (sale_commit(s->db, &req, &s->cfg, res, &err) != DUKA_OK)
		ck_abort_msg("%s: sale_commit: %s", c->name, err.msg);
	cart_totals(cart, &s->cfg, tot);
	cart_free(cart);
}

/* Load the receipt of sale_id, which must succeed. */
static struct receipt *
load_ok(struct shop *s, int64_t sale_id, int reprint)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = NULL;

	if (sale_receipt_load(s->db, sale_id, &s->cfg, reprint, &r, &err) !=
	    DUKA_OK)
		ck_abort_msg("sale_receipt_load: %s", err.msg);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* The receipt as text at width; the caller frees it. */
static char *
text_of(const struct receipt *r, int width)
{
	struct duka_err err = { 0, "" };
	char *text = NULL;
	size_t len;

	if (receipt_format_text(r, width, &text, &len, &err) != DUKA_OK)
		ck_abort_msg("receipt_format_text: %s", err.msg);
	return text;
}

/* Rows in every table a sale or a print could touch. */
static int64_t
rows(struct db *db)
{
	return tu_int(db, "SELECT (SELECT count(*) FROM sales) + "
	    "(SELECT count(*) FROM sale_lines) + "
	    "(SELECT count(*) FROM payments) + "
	    "(SELECT count(*) FROM stock_movements) + "
	    "(SELECT count(*) FROM outbox) + "
	    "(SELECT count(*) FROM audit_log) + "
	    "(SELECT count(*) FROM receipt_counters)");
}

/* The receipt of each sale of the table agrees with its cart. */
START_TEST(test_receipt_equals_cart)
{
	const struct sale_case *c = &cases[_i];
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *r;
	struct shop s;
	int64_t change = 0, paid = 0;
	char *text, token[32];
	size_t i;
	int k;

	shop_open(&s);
	snprintf(token, sizeof token, "case-%d", _i);
	case_commit(&s, c, token, &res, &tot);
	r = load_ok(&s, res.sale_id, 0);

	ck_assert_int_eq(r->refund, 0);
	ck_assert_int_eq(r->reprint, 0);
	ck_assert_str_eq(r->number, res.receipt);
	ck_assert_str_eq(r->attendant, "amina");
	ck_assert_str_eq(r->shop_name, "Duka la Mama");
	ck_assert_str_eq(r->till_id, "1");
	/* DUKA_NOW is 09:00 UTC: noon in Nairobi. */
	ck_assert_str_eq(r->time, "2026-11-25 12:00");

	ck_assert_int_eq(r->total, tot.sum.total);
	ck_assert_int_eq(r->total, res.total);
	if (c->want_total != 0)
		ck_assert_int_eq(r->total, c->want_total);
	ck_assert_int_eq(r->vat_total, tot.sum.vat);
	ck_assert_int_eq(r->sale_discount, tot.sum.sale_discount);
	for (k = 0; k < CART_TAX_CLASSES; k++) {
		ck_assert_int_eq(r->vat[k].gross, tot.sum.tax[k].amount);
		ck_assert_int_eq(r->vat[k].vat, tot.sum.tax[k].vat);
	}
	ck_assert_uint_eq(r->nlines, (size_t)tot.lines);
	{
		struct cart *cart = case_cart(&s, c);

		for (i = 0; i < r->nlines; i++) {
			const struct cart_line *l = &cart->line[i];

			ck_assert_str_eq(r->line[i].name, l->name);
			ck_assert_int_eq(r->line[i].qty, l->qty);
			ck_assert_int_eq(r->line[i].amount, l->gross);
			ck_assert_int_eq(r->line[i].discount,
			    l->line_discount);
			ck_assert_int_eq(r->line[i].unit_price,
			    l->override >= 0 ? l->override : l->price);
			ck_assert_int_eq(r->line[i].tax, l->tax);
			ck_assert_str_eq(r->line[i].unit,
			    l->unit == UNIT_KG ? "kg" : "");
		}
		cart_free(cart);
	}
	for (i = 0; i < r->ntenders; i++) {
		paid += r->tender[i].amount;
		if (r->tender[i].tendered > r->tender[i].amount)
			change += r->tender[i].tendered - r->tender[i].amount;
	}
	ck_assert_int_eq(paid, r->total);
	ck_assert_int_eq(change, res.change);
	if (c->want_change >= 0)
		ck_assert_int_eq(change, c->want_change);
	text = text_of(r, 32);
	ck_assert_msg(strstr(text, c->text) != NULL, "%s: no \"%s\" in\n%s",
	    c->name, c->text, text);
	ck_assert_msg(strstr(text, "COPY") == NULL, "%s", text);
	ck_assert_msg(strstr(text, res.receipt) != NULL, "%s", text);
	free(text);
	receipt_free(r);
	shop_close(&s);
}
END_TEST

/* Every row of text fits in width display columns. */
static void
assert_fits(const char *text, int width)
{
	char row[1024];
	const char *p, *nl;

	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_uint_lt((size_t)(nl - p), sizeof row);
		memcpy(row, p, (size_t)(nl - p));
		row[nl - p] = '\0';
		ck_assert_msg(receipt_text_width(row) <= (size_t)width,
		    "row wider than %d: \"%s\"", width, row);
	}
}

/* A reprint is the same slip with one row more, COPY, at every width. */
START_TEST(test_reprint_copy)
{
	static const int widths[] = { 32, 42, 48 };
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *a, *b;
	struct shop s;
	char *ta, *tb, *copy, *row, *next;
	size_t head;
	int w;

	shop_open(&s);
	case_commit(&s, &cases[2], "copy", &res, &tot);
	a = load_ok(&s, res.sale_id, 0);
	b = load_ok(&s, res.sale_id, 1);
	ck_assert_int_eq(a->reprint, 0);
	ck_assert_int_eq(b->reprint, 1);
	for (w = 0; w < NELEM(widths); w++) {
		ta = text_of(a, widths[w]);
		tb = text_of(b, widths[w]);
		assert_fits(ta, widths[w]);
		assert_fits(tb, widths[w]);
		ck_assert_ptr_null(strstr(ta, "COPY"));
		copy = strstr(tb, "COPY / NAKALA");
		ck_assert_ptr_nonnull(copy);
		for (row = copy; row > tb && row[-1] != '\n'; row--)
			continue;
		next = strchr(copy, '\n') + 1;
		head = (size_t)(row - tb);
		ck_assert_int_eq(strncmp(tb, ta, head), 0);
		ck_assert_str_eq(next, ta + head);
		free(ta);
		free(tb);
	}
	receipt_free(a);
	receipt_free(b);
	shop_close(&s);
}
END_TEST

/* A refund (written here by SQL, as the refund module will) is marked,
 * has positive amounts and names the original receipt. */
START_TEST(test_refund)
{
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *r;
	struct shop s;
	char sql[1024], *text;

	shop_open(&s);
	case_commit(&s, &cases[1], "orig", &res, &tot);
	snprintf(sql, sizeof sql,
	    "INSERT INTO receipt_counters VALUES ('1', 2) ON CONFLICT DO "
	    "UPDATE SET last_no = 2;"
	    "INSERT INTO sales(id, till_id, receipt_no, kind, refund_of, "
	    "state, shift_id, cart_token, user_name, shelf_gross, gross, "
	    "discount, total, vat, at, business_day) VALUES (100, '1', 2, "
	    "'refund', %lld, 'completed', 1, 'refund-1', 'juma', -42000, -42000, 0, -42000, "
	    "-5793, '2026-11-25T10:30:00Z', '2026-11-25');"
	    "INSERT INTO sale_lines(sale_id, line_no, product_id, sku, name, "
	    "unit, tax_class, qty, shelf_price, unit_price, line_discount, "
	    "sale_discount, amount, vat, refund_of_line) VALUES (100, 1, %lld, "
	    "'SUG1', 'Mumias Sugar 1kg', 'piece', 'standard', 2000, 21000, "
	    "21000, 0, 0, -42000, -5793, 1);"
	    "INSERT INTO payments(sale_id, method, state, amount, tendered, "
	    "change_due, created_at, updated_at) VALUES (100, 'cash', 'paid', "
	    "-42000, -42000, 0, '2026-11-25T10:30:00Z', "
	    "'2026-11-25T10:30:00Z');",
	    (long long)res.sale_id, (long long)s.sugar.id);
	tu_exec(s.db, sql);
	r = load_ok(&s, 100, 0);
	ck_assert_int_eq(r->refund, 1);
	ck_assert_int_eq(r->total, 42000);
	ck_assert_int_eq(r->vat_total, 5793);
	ck_assert_int_eq(r->vat[TAX_STANDARD].gross, 42000);
	ck_assert_uint_eq(r->nlines, 1);
	ck_assert_int_eq(r->line[0].amount, 42000);
	ck_assert_int_eq(r->line[0].qty, 2000);
	ck_assert_uint_eq(r->ntenders, 1);
	ck_assert_int_eq(r->tender[0].amount, 42000);
	ck_assert_str_eq(r->number, "1-000002");
	ck_assert_str_eq(r->attendant, "juma");
	ck_assert_str_eq(r->time, "2026-11-25 13:30");
	ck_assert_msg(strstr(r->footer, res.receipt) != NULL, "%s", r->footer);
	text = text_of(r, 32);
	ck_assert_msg(strstr(text, "REFUND") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "-420.00") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "Refund of receipt 1-000001") != NULL, "%s",
	    text);
	free(text);
	receipt_free(r);
	/* The original is not a refund. */
	r = load_ok(&s, res.sale_id, 0);
	ck_assert_int_eq(r->refund, 0);
	ck_assert_str_eq(r->footer, "");
	receipt_free(r);
	shop_close(&s);
}
END_TEST

/* Refunds made by the refund module: the whole sale, then (of another
 * sale) one line, each read back as the refund module wrote it. */
START_TEST(test_refund_module)
{
	struct duka_err err = { 0, "" };
	struct refund_request rq;
	struct refund_result rr;
	struct refund_line one = { 1, 1000 };
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *r, *orig;
	struct shop s;
	char *text, want[128];
	int k;

	shop_open(&s);
	case_commit(&s, &cases[2], "to-refund", &res, &tot);
	memset(&rq, 0, sizeof rq);
	rq.till_id = "1";
	rq.user = "juma";
	rq.sale_till = "1";
	rq.sale_receipt_no = res.receipt_no;
	rq.tender.method = PAY_CASH;
	rq.cart_token = "refund-all";
	memset(&rr, 0, sizeof rr);
	ck_assert_msg(refund_commit(s.db, &rq, &rr, &err) == DUKA_OK, "%s",
	    err.msg);
	r = load_ok(&s, rr.refund_id, 0);
	orig = load_ok(&s, res.sale_id, 0);
	ck_assert_int_eq(r->refund, 1);
	ck_assert_str_eq(r->number, rr.receipt);
	ck_assert_str_eq(r->attendant, "juma");
	/* Everything back: the same amounts as the sale, positive. */
	ck_assert_int_eq(r->total, orig->total);
	ck_assert_int_eq(r->total, -rr.total);
	ck_assert_int_eq(r->vat_total, orig->vat_total);
	ck_assert_int_eq(r->sale_discount, orig->sale_discount);
	for (k = 0; k < CART_TAX_CLASSES; k++) {
		ck_assert_int_eq(r->vat[k].gross, orig->vat[k].gross);
		ck_assert_int_eq(r->vat[k].vat, orig->vat[k].vat);
	}
	ck_assert_uint_eq(r->nlines, orig->nlines);
	ck_assert_uint_eq(r->ntenders, 1);
	ck_assert_int_eq(r->tender[0].amount, orig->total);
	ck_assert_int_eq(r->tender[0].tendered, 0);
	snprintf(want, sizeof want, "Refund of receipt %s", res.receipt);
	ck_assert_str_eq(r->footer, want);
	text = text_of(r, 32);
	ck_assert_msg(strstr(text, "REFUND") != NULL, "%s", text);
	ck_assert_msg(strstr(text, want) != NULL, "%s", text);
	ck_assert_msg(strstr(text, "CHANGE") == NULL, "%s", text);
	free(text);
	receipt_free(r);
	receipt_free(orig);
	refund_result_free(&rr);

	/* One sugar of two back from another sale. */
	case_commit(&s, &cases[1], "to-refund-2", &res, &tot);
	rq.sale_receipt_no = res.receipt_no;
	rq.lines = &one;
	rq.nlines = 1;
	rq.cart_token = "refund-one";
	ck_assert_msg(refund_commit(s.db, &rq, &rr, &err) == DUKA_OK, "%s",
	    err.msg);
	r = load_ok(&s, rr.refund_id, 1);
	ck_assert_int_eq(r->refund, 1);
	ck_assert_int_eq(r->reprint, 1);
	ck_assert_uint_eq(r->nlines, 1);
	ck_assert_int_eq(r->line[0].qty, 1000);
	ck_assert_int_eq(r->total, 21000);
	ck_assert_int_eq(r->vat[TAX_STANDARD].gross, 21000);
	ck_assert_int_eq(r->vat[TAX_ZERO].gross, 0);
	text = text_of(r, 42);
	ck_assert_msg(strstr(text, "COPY") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "-210.00") != NULL, "%s", text);
	free(text);
	receipt_free(r);
	refund_result_free(&rr);
	shop_close(&s);
}
END_TEST

/* A sale on account names the customer on the slip. */
START_TEST(test_account)
{
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;
	struct tender t;
	struct receipt *r;
	struct cart *cart;
	struct shop s;
	int64_t id;

	shop_open(&s);
	ck_assert_int_eq(customer_add(s.db, "Wanjiku Kamau", "0722000111",
	    100000, &id, &err), DUKA_OK);
	cart = cart_new();
	ck_assert_int_eq(cart_add(cart, &s.sugar, 1000, &err), DUKA_OK);
	memset(&t, 0, sizeof t);
	t.method = PAY_ACCOUNT;
	t.customer_id = id;
	memset(&req, 0, sizeof req);
	req.cart = cart;
	req.tenders = &t;
	req.ntenders = 1;
	req.till_id = "1";
	req.user = "amina";
	req.cart_token = "acct";
	req.customer_id = id;
	ck_assert_msg(sale_commit(s.db, &req, &s.cfg, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	r = load_ok(&s, res.sale_id, 0);
	ck_assert_uint_eq(r->ntenders, 1);
	ck_assert_str_eq(r->tender[0].kind, "On account");
	ck_assert_str_eq(r->tender[0].reference, "Wanjiku Kamau");
	ck_assert_int_eq(r->tender[0].amount, 21000);
	receipt_free(r);
	cart_free(cart);
	shop_close(&s);
}
END_TEST

/* No such sale: ENOTFOUND and no receipt. */
START_TEST(test_not_found)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = (struct receipt *)&err;
	struct shop s;

	shop_open(&s);
	ck_assert_int_eq(sale_receipt_load(s.db, 999, &s.cfg, 0, &r, &err),
	    DUKA_ENOTFOUND);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err.msg, "999") != NULL, "%s", err.msg);
	s.cfg.printer[0] = '\0';
	ck_assert_int_eq(sale_receipt_print(s.db, 1, &s.cfg, 0, 1, &err),
	    DUKA_ECONFIG);
	snprintf(s.cfg.printer, sizeof s.cfg.printer, "/dev/null");
	ck_assert_int_eq(sale_receipt_print(s.db, 999, &s.cfg, 0, 1, &err),
	    DUKA_ENOTFOUND);
	shop_close(&s);
}
END_TEST

/* Read a whole file; the caller frees it. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat st;
	FILE *fp;

	ck_assert_int_eq(stat(path, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	*len = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	return buf;
}

/*
 * Printing to file:PATH: exactly the ESC/POS bytes of the loaded receipt,
 * with the drawer kick when the sale took cash and the caller asked, and
 * never on a sale without cash or on a reprint.
 */
START_TEST(test_print_file)
{
	static const struct {
		int sale;		/* index in cases[] */
		int reprint, kick, want_kick;
	} prints[] = {
		{ 1, 0, 1, 1 },		/* cash: drawer opens */
		{ 1, 1, 0, 0 },		/* reprint of it: it does not */
		{ 3, 0, 1, 0 },		/* card only: no kick */
		{ 4, 0, 1, 0 },		/* bank and M-PESA: no kick */
		{ 2, 0, 1, 1 },		/* M-PESA and cash: kick */
	};
	struct duka_err err = { 0, "" };
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *r;
	struct shop s;
	unsigned char *got, *want;
	char dir[256], path[512], token[32];
	size_t glen, wlen;
	int64_t before;
	int k;

	shop_open(&s);
	tu_tmpdir(dir, sizeof dir);
	for (k = 0; k < NELEM(prints); k++) {
		snprintf(token, sizeof token, "print-%d", k);
		case_commit(&s, &cases[prints[k].sale], token, &res, &tot);
		snprintf(path, sizeof path, "%s/slip%d.bin", dir, k);
		snprintf(s.cfg.printer, sizeof s.cfg.printer, "file:%.240s",
		    path);
		s.cfg.printer_width = k % 2 ? 42 : 32;
		before = rows(s.db);
		ck_assert_msg(sale_receipt_print(s.db, res.sale_id, &s.cfg,
		    prints[k].reprint, prints[k].kick, &err) == DUKA_OK,
		    "print %d: %s", k, err.msg);
		ck_assert_int_eq(rows(s.db), before);
		got = slurp(path, &glen);
		r = load_ok(&s, res.sale_id, prints[k].reprint);
		ck_assert_int_eq(escpos_render(r, (int)s.cfg.printer_width,
		    prints[k].want_kick, &want, &wlen, &err), DUKA_OK);
		ck_assert_uint_eq(glen, wlen);
		ck_assert_msg(memcmp(got, want, glen) == 0, "print %d bytes",
		    k);
		ck_assert_int_eq(HAS(got, glen, "COPY") != 0,
		    prints[k].reprint);
		ck_assert_msg((memmem(got, glen, kick, KICK_LEN) != NULL) ==
		    prints[k].want_kick, "print %d: kick", k);
		free(got);
		free(want);
		receipt_free(r);
	}
	shop_close(&s);
}
END_TEST

/*
 * A printer that is not there: an error naming it, and the sale is still
 * committed, whole, and can be printed once the printer is back.
 */
START_TEST(test_print_failure)
{
	struct duka_err err = { 0, "" };
	struct cart_totals tot;
	struct sale_result res;
	struct receipt *r;
	struct shop s;
	char dir[256];
	int64_t before;

	shop_open(&s);
	case_commit(&s, &cases[1], "fail", &res, &tot);
	before = rows(s.db);
	snprintf(s.cfg.printer, sizeof s.cfg.printer, "/nonexistent/dev");
	ck_assert_int_eq(sale_receipt_print(s.db, res.sale_id, &s.cfg, 0, 1,
	    &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "/nonexistent/dev") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(rows(s.db), before);
	ck_assert_int_eq(tu_int(s.db, "SELECT count(*) FROM sales WHERE "
	    "state = 'completed'"), 1);
	r = load_ok(&s, res.sale_id, 1);
	ck_assert_int_eq(r->total, res.total);
	receipt_free(r);
	/* The printer is back: the reprint goes through. */
	tu_tmpdir(dir, sizeof dir);
	snprintf(s.cfg.printer, sizeof s.cfg.printer, "file:%.200s/back.bin",
	    dir);
	ck_assert_int_eq(sale_receipt_print(s.db, res.sale_id, &s.cfg, 1, 0,
	    &err), DUKA_OK);
	/* A printer name that is no printer at all. */
	snprintf(s.cfg.printer, sizeof s.cfg.printer, "file:");
	ck_assert_int_ne(sale_receipt_print(s.db, res.sale_id, &s.cfg, 1, 0,
	    &err), DUKA_OK);
	ck_assert_int_eq(rows(s.db), before);
	shop_close(&s);
}
END_TEST

/* A sale whose rows were damaged is reported, not printed wrong. */
START_TEST(test_damaged_rows)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = NULL;
	struct shop s;

	shop_open(&s);
	/* A sale without lines (duka check would report it too). */
	tu_exec(s.db, "INSERT INTO sales(id, till_id, receipt_no, kind, "
	    "state, shift_id, cart_token, shelf_gross, gross, discount, total, "
	    "vat, at, business_day) VALUES (7, '1', 1, 'sale', 'completed', 1, "
	    "'bad', 0, 0, 0, 0, 0, 'not a time', '2026-11-25')");
	ck_assert_int_eq(sale_receipt_load(s.db, 7, &s.cfg, 0, &r, &err),
	    DUKA_ECHECK);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err.msg, "no lines") != NULL, "%s", err.msg);
	/* An odd time stamp is shown as it is. */
	tu_exec(s.db, "INSERT INTO sale_lines(sale_id, line_no, product_id, "
	    "sku, name, unit, tax_class, qty, shelf_price, unit_price, "
	    "line_discount, sale_discount, amount, vat) VALUES (7, 1, 1, 'S', "
	    "'Thing', 'piece', 'standard', 1000, 0, 0, 0, 0, 0, 0)");
	ck_assert_int_eq(sale_receipt_load(s.db, 7, &s.cfg, 0, &r, &err),
	    DUKA_OK);
	ck_assert_str_eq(r->time, "not a time");
	receipt_free(r);
	shop_close(&s);
}
END_TEST

static Suite *
sale_receipt_suite(void)
{
	Suite *s = suite_create("sale_receipt");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_receipt_equals_cart, 0, NELEM(cases));
	tcase_add_test(tc, test_reprint_copy);
	tcase_add_test(tc, test_refund);
	tcase_add_test(tc, test_refund_module);
	tcase_add_test(tc, test_account);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_print_file);
	tcase_add_test(tc, test_print_failure);
	tcase_add_test(tc, test_damaged_rows);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	struct duka_err err = { 0, "" };

	setenv("DUKA_NOW", "2026-11-25T09:00:00Z", 1);
	if (date_set_timezone("Africa/Nairobi", &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return EXIT_FAILURE;
	}
	return tu_run(sale_receipt_suite());
}
