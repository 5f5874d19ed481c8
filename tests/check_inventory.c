/*
 * check_inventory.c - unit tests for inventory.c and cmd_inventory.c:
 * status boundaries, filters, every sort order, alerts, the summary against
 * hand-computed figures, and the command's text and CSV output.
 *
 * "Today" is fixed at 2026-03-10 (DUKA_NOW, and filter.today); the shop's
 * near-expiry window is 7 days, so it ends on 2026-03-17.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "catalog.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "inventory.h"
#include "money.h"
#include "settings.h"
#include "stock.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

#define TODAY "2026-03-10"
#define NEAR 7

/* Set the clock to 09:00 UTC (noon in Nairobi) of day. */
static void
set_day(const char *day)
{
	char ts[TIMESTAMP_LEN];

	snprintf(ts, sizeof ts, "%sT09:00:00Z", day);
	ck_assert_int_eq(setenv("DUKA_NOW", ts, 1), 0);
}

/* The date days after TODAY (before, if negative). */
static const char *
day_at(int days, char out[DATE_LEN])
{
	date_add_days(TODAY, days, out);
	return out;
}

static struct db *
shop_new(void)
{
	struct duka_err err = { 0, "" };
	char path[512];

	ck_assert_int_eq(date_set_timezone("Africa/Nairobi", &err), DUKA_OK);
	set_day(TODAY);
	return tu_db_new(path, sizeof path);
}

/* What a test product looks like. */
struct item {
	const char *sku;
	const char *name;
	const char *category;		/* NULL: none */
	enum product_unit unit;
	int64_t price, cost, reorder;
};

/* Add a product through the catalog; returns its id. */
static int64_t
add_product(struct db *db, const struct item *it)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", it->sku);
	snprintf(p.name, sizeof p.name, "%s", it->name);
	p.unit = it->unit;
	p.price = it->price;
	p.cost = it->cost;
	p.reorder_level = it->reorder;
	if (it->category != NULL && catalog_category_ensure(db, it->category,
	    &p.category_id, &err) != DUKA_OK)
		ck_abort_msg("category %s: %s", it->category, err.msg);
	if (catalog_product_add(db, &p, "test", &err) != DUKA_OK)
		ck_abort_msg("add %s: %s", it->sku, err.msg);
	return p.id;
}

/*
 * Receive qty of a product expiring in expiry_days (INT32_MIN: no expiry).
 * The goods arrive 30 days before TODAY, so that a batch already past its
 * date was still good on arrival.
 */
#define NO_EXPIRY INT32_MIN
static int64_t
receive(struct db *db, int64_t product_id, int64_t qty, int expiry_days)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;
	int64_t batch = 0;
	char d[DATE_LEN];

	stock_receipt_init(&r);
	r.product_id = product_id;
	r.qty = qty;
	if (expiry_days != NO_EXPIRY)
		snprintf(r.expiry, sizeof r.expiry, "%s",
		    day_at(expiry_days, d));
	r.user = "test";
	set_day(day_at(-30, d));
	if (stock_receive(db, &r, &batch, &err) != DUKA_OK)
		ck_abort_msg("receive: %s", err.msg);
	set_day(TODAY);
	return batch;
}

/* Take qty out as a sale, allowing expired batches and going below zero. */
static void
sell(struct db *db, int64_t product_id, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct stock_allocation alloc[8];
	struct stock_issue is;
	int n = 0;

	memset(&is, 0, sizeof is);
	is.product_id = product_id;
	is.qty = qty;
	is.reason = STOCK_SALE;
	is.flags = STOCK_ALLOW_EXPIRED | STOCK_ALLOW_NEGATIVE;
	is.user = "test";
	if (stock_issue(db, &is, alloc, NELEM(alloc), &n, &err) != DUKA_OK)
		ck_abort_msg("issue: %s", err.msg);
}

/* A filter for the whole shop as of TODAY. */
static void
filter_init(struct inventory_filter *f)
{
	memset(f, 0, sizeof *f);
	f->sort = SORT_NAME;
	f->near_expiry_days = NEAR;
	f->today = TODAY;
}

/* Collected listing: the rows and "SKU,SKU,..." in order. */
struct listing {
	struct inventory_row rows[16];
	int n;
	int stop_after;			/* 0: never stop */
	char skus[512];
};

static int
collect(void *ctx, const struct inventory_row *row)
{
	struct listing *l = ctx;
	size_t len = strlen(l->skus);

	if (l->n < NELEM(l->rows))
		l->rows[l->n] = *row;
	l->n++;
	snprintf(l->skus + len, sizeof l->skus - len, "%s%s",
	    len ? "," : "", row->sku);
	return l->stop_after != 0 && l->n >= l->stop_after;
}

/* Run a listing that must succeed. */
static void
list(struct db *db, const struct inventory_filter *f, struct listing *l)
{
	struct duka_err err = { 0, "" };

	memset(l, 0, sizeof *l);
	if (inventory_list(db, f, collect, l, &err) != DUKA_OK)
		ck_abort_msg("inventory_list: %s", err.msg);
}

/* The listed row of sku, which must be there. */
static const struct inventory_row *
row_of(const struct listing *l, const char *sku)
{
	int i;

	for (i = 0; i < l->n && i < NELEM(l->rows); i++)
		if (strcmp(l->rows[i].sku, sku) == 0)
			return &l->rows[i];
	ck_abort_msg("%s not listed (%s)", sku, l->skus);
	return NULL;
}

/* ---- Parsing and names ---- */

static const struct {
	const char *text;
	int flag;
} status_good[] = {
	{ "low", STATUS_LOW }, { "LOW", STATUS_LOW }, { "out", STATUS_OUT },
	{ "expiring", STATUS_NEAR_EXPIRY }, { "near-expiry", STATUS_NEAR_EXPIRY },
	{ "Expired", STATUS_EXPIRED }, { "ok", -1 }, { "OK", -1 },
};

START_TEST(test_status_parse_good)
{
	struct duka_err err = { 0, "" };
	int flag = 12345;

	ck_assert_int_eq(stock_status_parse(status_good[_i].text, &flag, &err),
	    DUKA_OK);
	ck_assert_int_eq(flag, status_good[_i].flag);
}
END_TEST

static const char *const status_bad[] = {
	"", "lo", "expire", "all", "low,out", " low", "near", "okay", "1",
};

START_TEST(test_status_parse_bad)
{
	struct duka_err err = { 0, "" };
	const char *text = status_bad[_i];
	int flag = 12345;

	ck_assert_int_eq(stock_status_parse(text, &flag, &err), DUKA_EINPUT);
	ck_assert_int_eq(err.code, DUKA_EINPUT);
	ck_assert_int_eq(flag, 12345);
	ck_assert_msg(strstr(err.msg, text) != NULL, "\"%s\" not named in "
	    "\"%s\"", text, err.msg);
	ck_assert_msg(strstr(err.msg, "low, out, expiring, expired or ok") !=
	    NULL, "no choices in \"%s\"", err.msg);
}
END_TEST

static const struct {
	const char *text;
	enum inventory_sort sort;
} sort_good[] = {
	{ "name", SORT_NAME }, { "category", SORT_CATEGORY },
	{ "status", SORT_STATUS }, { "expiry", SORT_EXPIRY },
	{ "value", SORT_VALUE }, { "qty", SORT_QTY }, { "sku", SORT_SKU },
	{ "Name", SORT_NAME }, { "SKU", SORT_SKU },
};

START_TEST(test_sort_parse_good)
{
	struct duka_err err = { 0, "" };
	enum inventory_sort s = (enum inventory_sort)99;

	ck_assert_int_eq(inventory_sort_parse(sort_good[_i].text, &s, &err),
	    DUKA_OK);
	ck_assert_int_eq(s, sort_good[_i].sort);
}
END_TEST

static const char *const sort_bad[] = {
	"", "price", "names", "name;drop table products", "1", "qty desc",
};

START_TEST(test_sort_parse_bad)
{
	struct duka_err err = { 0, "" };
	enum inventory_sort s = (enum inventory_sort)99;

	ck_assert_int_eq(inventory_sort_parse(sort_bad[_i], &s, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(err.code, DUKA_EINPUT);
	ck_assert_int_eq(s, 99);
	ck_assert_msg(strstr(err.msg, sort_bad[_i]) != NULL, "\"%s\" not named "
	    "in \"%s\"", sort_bad[_i], err.msg);
	ck_assert_msg(strstr(err.msg, "name, category, status, expiry, value, "
	    "qty or sku") != NULL, "no choices in \"%s\"", err.msg);
}
END_TEST

START_TEST(test_status_names)
{
	static const struct {
		int flags;
		const char *name, *label;
	} t[] = {
		{ 0, "ok", "OK" },
		{ STATUS_LOW, "low", "Low" },
		{ STATUS_OUT, "out", "Out" },
		{ STATUS_NEAR_EXPIRY, "expiring", "Expiring" },
		{ STATUS_EXPIRED, "expired", "Expired" },
		{ STATUS_LOW | STATUS_NEAR_EXPIRY, "expiring", "Expiring" },
		{ STATUS_OUT | STATUS_NEAR_EXPIRY, "out", "Out" },
		{ STATUS_OUT | STATUS_EXPIRED, "expired", "Expired" },
		{ STATUS_LOW | STATUS_EXPIRED, "expired", "Expired" },
		{ 15, "expired", "Expired" },
	};
	int i;

	for (i = 0; i < NELEM(t); i++) {
		ck_assert_str_eq(stock_status_name(t[i].flags), t[i].name);
		ck_assert_str_eq(stock_status_label(t[i].flags), t[i].label);
	}
	ck_assert_str_eq(alert_kind_name(ALERT_LOW), "low");
	ck_assert_str_eq(alert_kind_name(ALERT_OUT), "out");
	ck_assert_str_eq(alert_kind_name(ALERT_NEAR_EXPIRY), "expiring");
	ck_assert_str_eq(alert_kind_name(ALERT_EXPIRED), "expired");
	ck_assert_str_eq(alert_kind_name(ALERT_NEGATIVE), "negative");
	ck_assert_str_eq(alert_kind_name((enum alert_kind)42), "invalid");
}
END_TEST

/* ---- Status boundaries: one product per case ---- */

static const struct {
	const char *what;
	int64_t reorder;
	int64_t qty;			/* received */
	int expiry;			/* days from today, or NO_EXPIRY */
	int64_t sold;
	int64_t more;			/* a second, undated batch */
	int near;
	int want;
	const char *name;
} bound[] = {
	{ "stock exactly at the reorder level is low", 5000, 5000, NO_EXPIRY,
	    0, 0, NEAR, STATUS_LOW, "low" },
	{ "one gram above the reorder level is ok", 5000, 5001, NO_EXPIRY,
	    0, 0, NEAR, 0, "ok" },
	{ "sold down to the reorder level is low", 5000, 9000, NO_EXPIRY,
	    4000, 0, NEAR, STATUS_LOW, "low" },
	{ "reorder level 0 is never low", 0, 1, NO_EXPIRY, 0, 0, NEAR, 0,
	    "ok" },
	{ "nothing received is out", 0, 0, NO_EXPIRY, 0, 0, NEAR, STATUS_OUT,
	    "out" },
	{ "out is not low as well", 5000, 0, NO_EXPIRY, 0, 0, NEAR,
	    STATUS_OUT, "out" },
	{ "sold to exactly zero is out", 5000, 2000, NO_EXPIRY, 2000, 0,
	    NEAR, STATUS_OUT, "out" },
	{ "sold below zero is out", 0, 1000, NO_EXPIRY, 1500, 0, NEAR,
	    STATUS_OUT, "out" },
	{ "expiry exactly today is near, not expired", 0, 1000, 0, 0, 0, NEAR,
	    STATUS_NEAR_EXPIRY, "expiring" },
	{ "expiry yesterday is expired", 0, 1000, -1, 0, 0, NEAR,
	    STATUS_EXPIRED, "expired" },
	{ "expiry today + N is near", 0, 1000, NEAR, 0, 0, NEAR,
	    STATUS_NEAR_EXPIRY, "expiring" },
	{ "expiry today + N + 1 is ok", 0, 1000, NEAR + 1, 0, 0, NEAR, 0,
	    "ok" },
	{ "near window 0: today is near", 0, 1000, 0, 0, 0, 0,
	    STATUS_NEAR_EXPIRY, "expiring" },
	{ "near window 0: tomorrow is ok", 0, 1000, 1, 0, 0, 0, 0, "ok" },
	{ "an expired batch sold out counts no more", 0, 1000, -1, 1000, 2000,
	    NEAR, 0, "ok" },
	{ "a near batch sold out counts no more", 0, 1000, 3, 1000, 2000,
	    NEAR, 0, "ok" },
	{ "low and near: expiring wins", 5000, 2000, 2, 0, 0, NEAR,
	    STATUS_LOW | STATUS_NEAR_EXPIRY, "expiring" },
	{ "low and expired: expired wins", 5000, 3000, -2, 0, 0, NEAR,
	    STATUS_LOW | STATUS_EXPIRED, "expired" },
	{ "expired batch beside a fresh one", 0, 1000, -5, 0, 4000, NEAR,
	    STATUS_EXPIRED, "expired" },
};

START_TEST(test_status_boundaries)
{
	struct item it = { "B1", "Boundary", NULL, UNIT_KG, 10000, 8000, 0 };
	struct inventory_filter f;
	struct listing l;
	struct db *db = shop_new();
	int64_t id;
	char d[DATE_LEN];

	it.reorder = bound[_i].reorder;
	id = add_product(db, &it);
	if (bound[_i].qty > 0)
		receive(db, id, bound[_i].qty, bound[_i].expiry);
	if (bound[_i].more > 0)
		receive(db, id, bound[_i].more, NO_EXPIRY);
	if (bound[_i].sold > 0)
		sell(db, id, bound[_i].sold);
	filter_init(&f);
	f.near_expiry_days = bound[_i].near;
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_msg(l.rows[0].status == bound[_i].want, "%s: status %d, "
	    "want %d", bound[_i].what, l.rows[0].status, bound[_i].want);
	ck_assert_str_eq(stock_status_name(l.rows[0].status), bound[_i].name);
	ck_assert_int_eq(l.rows[0].qty, bound[_i].qty + bound[_i].more -
	    bound[_i].sold);
	/* The next expiry is that of a batch with stock, if any. */
	if (bound[_i].expiry != NO_EXPIRY && bound[_i].sold == 0)
		ck_assert_str_eq(l.rows[0].next_expiry,
		    day_at(bound[_i].expiry, d));
	if (bound[_i].expiry == NO_EXPIRY || bound[_i].sold >= bound[_i].qty)
		ck_assert_str_eq(l.rows[0].next_expiry, "");
	db_close(db);
}
END_TEST

/* ---- The test shop ----
 *
 *	sku      name               category unit  price  cost reorder stock
 *	MILK500  Maziwa Mala 500ml  Dairy    pc    60.00 45.00 10      8 (exp +3)
 *	BREAD    Bread 400g         Bakery   pc    65.00 52.00 5       20 (exp -1)
 *	SUGAR1   Sugar 1kg          Cereals  kg   180.00 150.50 0      12.345
 *	RICE     Rice (loose)       Cereals  kg    15.01 10.01 2       1.5
 *	CAFE     Café Touba         -        pc   250.00 200.00 0      0
 *	SODA     Soda 300ml         Drinks   pc    50.00 35.00 0       -1
 *	WATER    Water 1l           Drinks   pc    30.00 20.00 0       24 + 6 (exp +10)
 *	OLD      Old Stock          Dairy    pc     1.50  1.00 0       4 (exp -5), inactive
 *
 * Values at cost: 36,000 + 104,000 + 185,792 (185,792.25) + 1,502
 * (1,501.5 rounds up) + 0 + 0 + 60,000 = 387,294 cents; at price
 * 48,000 + 130,000 + 222,210 + 2,252 (2,251.5) + 90,000 = 492,462.
 */
static const struct item shop_items[] = {
	{ "MILK500", "Maziwa Mala 500ml", "Dairy", UNIT_PIECE, 6000, 4500,
	    10000 },
	{ "BREAD", "Bread 400g", "Bakery", UNIT_PIECE, 6500, 5200, 5000 },
	{ "SUGAR1", "Sugar 1kg", "Cereals", UNIT_KG, 18000, 15050, 0 },
	{ "RICE", "Rice (loose)", "Cereals", UNIT_KG, 1501, 1001, 2000 },
	{ "CAFE", "Café Touba", NULL, UNIT_PIECE, 25000, 20000, 0 },
	{ "SODA", "Soda 300ml", "Drinks", UNIT_PIECE, 5000, 3500, 0 },
	{ "WATER", "Water 1l", "Drinks", UNIT_PIECE, 3000, 2000, 0 },
	{ "OLD", "Old Stock", "Dairy", UNIT_PIECE, 150, 100, 0 },
};

enum { MILK, BREAD, SUGAR, RICE, CAFE, SODA, WATER, OLD, NITEMS };

static int64_t shop_id[NITEMS];
static int64_t shop_batch[NITEMS];

static struct db *
shop_build(void)
{
	struct duka_err err = { 0, "" };
	struct db *db = shop_new();
	int i;

	for (i = 0; i < NITEMS; i++)
		shop_id[i] = add_product(db, &shop_items[i]);
	shop_batch[MILK] = receive(db, shop_id[MILK], 8000, 3);
	shop_batch[BREAD] = receive(db, shop_id[BREAD], 20000, -1);
	shop_batch[SUGAR] = receive(db, shop_id[SUGAR], 12345, NO_EXPIRY);
	shop_batch[RICE] = receive(db, shop_id[RICE], 1500, NO_EXPIRY);
	receive(db, shop_id[SODA], 2000, NO_EXPIRY);
	sell(db, shop_id[SODA], 3000);
	receive(db, shop_id[WATER], 24000, NO_EXPIRY);
	shop_batch[WATER] = receive(db, shop_id[WATER], 6000, 10);
	shop_batch[OLD] = receive(db, shop_id[OLD], 4000, -5);
	if (catalog_product_set_active(db, shop_id[OLD], 0, "test", &err) !=
	    DUKA_OK)
		ck_abort_msg("deactivate: %s", err.msg);
	return db;
}

START_TEST(test_list_rows)
{
	struct inventory_filter f;
	struct listing l;
	const struct inventory_row *r;
	struct db *db = shop_build();
	char d[DATE_LEN];

	filter_init(&f);
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 7);
	ck_assert_str_eq(l.skus, "BREAD,CAFE,MILK500,RICE,SODA,SUGAR1,WATER");

	r = row_of(&l, "MILK500");
	ck_assert_int_eq(r->id, shop_id[MILK]);
	ck_assert_str_eq(r->name, "Maziwa Mala 500ml");
	ck_assert_str_eq(r->category, "Dairy");
	ck_assert_int_eq(r->unit, UNIT_PIECE);
	ck_assert_int_eq(r->qty, 8000);
	ck_assert_int_eq(r->reorder_level, 10000);
	ck_assert_int_eq(r->price, 6000);
	ck_assert_int_eq(r->cost, 4500);
	ck_assert_int_eq(r->value_at_cost, 36000);
	ck_assert_int_eq(r->value_at_price, 48000);
	ck_assert_str_eq(r->next_expiry, day_at(3, d));
	ck_assert_int_eq(r->status, STATUS_LOW | STATUS_NEAR_EXPIRY);
	ck_assert_int_eq(r->active, 1);

	r = row_of(&l, "RICE");
	ck_assert_int_eq(r->unit, UNIT_KG);
	ck_assert_int_eq(r->value_at_cost, 1502);
	ck_assert_int_eq(r->value_at_price, 2252);
	ck_assert_int_eq(r->status, STATUS_LOW);
	ck_assert_str_eq(r->next_expiry, "");

	r = row_of(&l, "SUGAR1");
	ck_assert_int_eq(r->value_at_cost, 185792);
	ck_assert_int_eq(r->value_at_price, 222210);
	ck_assert_int_eq(r->status, 0);

	r = row_of(&l, "CAFE");
	ck_assert_str_eq(r->name, "Café Touba");
	ck_assert_str_eq(r->category, "");
	ck_assert_int_eq(r->qty, 0);
	ck_assert_int_eq(r->status, STATUS_OUT);
	ck_assert_int_eq(r->value_at_cost, 0);

	r = row_of(&l, "SODA");
	ck_assert_int_eq(r->qty, -1000);
	ck_assert_int_eq(r->status, STATUS_OUT);
	ck_assert_int_eq(r->value_at_cost, 0);
	ck_assert_int_eq(r->value_at_price, 0);

	r = row_of(&l, "BREAD");
	ck_assert_int_eq(r->status, STATUS_EXPIRED);
	ck_assert_str_eq(r->next_expiry, day_at(-1, d));

	r = row_of(&l, "WATER");
	ck_assert_int_eq(r->qty, 30000);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->next_expiry, day_at(10, d));
	ck_assert_int_eq(r->value_at_cost, 60000);
	db_close(db);
}
END_TEST

/* inventory_get gives each product's row exactly as the listing does,
 * inactive ones too, and refuses an unknown id or a bad window. */
START_TEST(test_get_equals_list)
{
	struct duka_err err = { 0, "" };
	struct inventory_filter f;
	struct inventory_row one;
	struct listing l;
	struct db *db = shop_build();
	int i;

	filter_init(&f);
	f.include_inactive = 1;
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 8);
	for (i = 0; i < l.n; i++) {
		ck_assert_msg(inventory_get(db, l.rows[i].id, NEAR, TODAY, &one,
		    &err) == DUKA_OK, "%s", err.msg);
		ck_assert_msg(memcmp(&one, &l.rows[i], sizeof one) == 0,
		    "%s differs", l.rows[i].sku);
	}
	ck_assert_int_eq(inventory_get(db, 999999, NEAR, TODAY, &one, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(inventory_get(db, shop_id[MILK], -1, TODAY, &one,
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(inventory_get(db, shop_id[MILK], NEAR, "2026-13-01",
	    &one, &err), DUKA_EINPUT);
	db_close(db);
}
END_TEST

/* Collects ids. */
struct idlist {
	int64_t ids[16];
	int n, stop_after;
};

static int
collect_id(void *ctx, int64_t id)
{
	struct idlist *c = ctx;

	ck_assert_int_lt(c->n, NELEM(c->ids));
	c->ids[c->n++] = id;
	return c->stop_after > 0 && c->n >= c->stop_after;
}

/* inventory_list_ids gives the ids of inventory_list, in its order, for
 * every sort both ways and every status filter; it refuses what the
 * listing refuses and stops when asked. */
START_TEST(test_list_ids)
{
	static const int statuses[] = { 0, -1, STATUS_LOW, STATUS_OUT,
	    STATUS_NEAR_EXPIRY, STATUS_EXPIRED, STATUS_LOW | STATUS_OUT };
	struct duka_err err = { 0, "" };
	struct inventory_filter f;
	struct listing l;
	struct idlist ids;
	struct db *db = shop_build();
	int s, d, k, i;

	for (s = SORT_NAME; s <= SORT_SKU; s++)
		for (d = 0; d < 2; d++)
			for (k = 0; k < NELEM(statuses); k++) {
				filter_init(&f);
				f.sort = (enum inventory_sort)s;
				f.descending = d;
				f.status = statuses[k];
				f.include_inactive = k % 2;
				list(db, &f, &l);
				memset(&ids, 0, sizeof ids);
				ck_assert_msg(inventory_list_ids(db, &f,
				    collect_id, &ids, &err) == DUKA_OK, "%s",
				    err.msg);
				ck_assert_int_eq(ids.n, l.n);
				for (i = 0; i < l.n; i++)
					ck_assert_msg(ids.ids[i] == l.rows[i].id,
					    "sort %d desc %d status %d: row %d",
					    s, d, statuses[k], i);
			}
	filter_init(&f);
	memset(&ids, 0, sizeof ids);
	ids.stop_after = 2;
	ck_assert(inventory_list_ids(db, &f, collect_id, &ids, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(ids.n, 2);
	f.sort = (enum inventory_sort)99;
	ck_assert_int_eq(inventory_list_ids(db, &f, collect_id, &ids, &err),
	    DUKA_EINPUT);
	filter_init(&f);
	f.status = 99;
	ck_assert_int_eq(inventory_list_ids(db, &f, collect_id, &ids, &err),
	    DUKA_EINPUT);
	db_close(db);
}
END_TEST

/* Every sort order, both ways, over the seven active products. */
static const struct {
	enum inventory_sort sort;
	int desc;
	const char *want;
} sorts[] = {
	{ SORT_NAME, 0, "BREAD,CAFE,MILK500,RICE,SODA,SUGAR1,WATER" },
	{ SORT_NAME, 1, "WATER,SUGAR1,SODA,RICE,MILK500,CAFE,BREAD" },
	/* No category last, both ways. */
	{ SORT_CATEGORY, 0, "BREAD,RICE,SUGAR1,MILK500,SODA,WATER,CAFE" },
	{ SORT_CATEGORY, 1, "WATER,SODA,MILK500,SUGAR1,RICE,BREAD,CAFE" },
	/* Most urgent first: expired, out, expiring, low, ok. */
	{ SORT_STATUS, 0, "BREAD,CAFE,SODA,MILK500,RICE,SUGAR1,WATER" },
	{ SORT_STATUS, 1, "WATER,SUGAR1,RICE,MILK500,SODA,CAFE,BREAD" },
	/* No dated batch last, both ways. */
	{ SORT_EXPIRY, 0, "BREAD,MILK500,WATER,CAFE,RICE,SODA,SUGAR1" },
	{ SORT_EXPIRY, 1, "WATER,MILK500,BREAD,SUGAR1,SODA,RICE,CAFE" },
	{ SORT_VALUE, 0, "CAFE,SODA,RICE,MILK500,WATER,BREAD,SUGAR1" },
	{ SORT_VALUE, 1, "SUGAR1,BREAD,WATER,MILK500,RICE,SODA,CAFE" },
	{ SORT_QTY, 0, "SODA,CAFE,RICE,MILK500,SUGAR1,BREAD,WATER" },
	{ SORT_QTY, 1, "WATER,BREAD,SUGAR1,MILK500,RICE,CAFE,SODA" },
	{ SORT_SKU, 0, "BREAD,CAFE,MILK500,RICE,SODA,SUGAR1,WATER" },
	{ SORT_SKU, 1, "WATER,SUGAR1,SODA,RICE,MILK500,CAFE,BREAD" },
};

START_TEST(test_sort_orders)
{
	struct inventory_filter f;
	struct listing l;
	struct db *db = shop_build();
	int i;

	for (i = 0; i < NELEM(sorts); i++) {
		filter_init(&f);
		f.sort = sorts[i].sort;
		f.descending = sorts[i].desc;
		list(db, &f, &l);
		ck_assert_msg(strcmp(l.skus, sorts[i].want) == 0,
		    "sort %d desc %d: %s, want %s", sorts[i].sort,
		    sorts[i].desc, l.skus, sorts[i].want);
	}
	db_close(db);
}
END_TEST

/* Filters: status (any of the flags), category, inactive products. */
static const struct {
	int status;
	const char *category;
	int inactive;
	const char *want;
} filters[] = {
	{ STATUS_LOW, NULL, 0, "MILK500,RICE" },
	{ STATUS_OUT, NULL, 0, "CAFE,SODA" },
	{ STATUS_NEAR_EXPIRY, NULL, 0, "MILK500" },
	{ STATUS_EXPIRED, NULL, 0, "BREAD" },
	{ -1, NULL, 0, "SUGAR1,WATER" },
	{ STATUS_LOW | STATUS_OUT, NULL, 0, "CAFE,MILK500,RICE,SODA" },
	{ STATUS_EXPIRED | STATUS_NEAR_EXPIRY, NULL, 0, "BREAD,MILK500" },
	{ STATUS_EXPIRED, NULL, 1, "BREAD,OLD" },
	{ -1, NULL, 1, "SUGAR1,WATER" },
	{ 0, "Cereals", 0, "RICE,SUGAR1" },
	{ 0, "Dairy", 0, "MILK500" },
	{ 0, "Dairy", 1, "MILK500,OLD" },
	{ STATUS_LOW, "Dairy", 0, "MILK500" },
	{ STATUS_OUT, "Dairy", 0, "" },
	{ 0, "Drinks", 0, "SODA,WATER" },
	{ 0, NULL, 1, "BREAD,CAFE,MILK500,OLD,RICE,SODA,SUGAR1,WATER" },
};

START_TEST(test_filters)
{
	struct duka_err err = { 0, "" };
	struct inventory_filter f;
	struct listing l;
	struct db *db = shop_build();
	int i;

	for (i = 0; i < NELEM(filters); i++) {
		filter_init(&f);
		f.status = filters[i].status;
		f.include_inactive = filters[i].inactive;
		if (filters[i].category != NULL)
			ck_assert_int_eq(catalog_category_find(db,
			    filters[i].category, &f.category_id, &err),
			    DUKA_OK);
		list(db, &f, &l);
		ck_assert_msg(strcmp(l.skus, filters[i].want) == 0,
		    "filter %d: %s, want %s", i, l.skus, filters[i].want);
	}
	/* A category with no products, and one that does not exist. */
	filter_init(&f);
	f.category_id = 9999;
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 0);
	/* The inactive product is listed as such, with its expired batch. */
	filter_init(&f);
	f.include_inactive = 1;
	list(db, &f, &l);
	ck_assert_int_eq(row_of(&l, "OLD")->active, 0);
	ck_assert_int_eq(row_of(&l, "OLD")->status, STATUS_EXPIRED);
	ck_assert_int_eq(row_of(&l, "MILK500")->active, 1);
	db_close(db);
}
END_TEST

/* "today" moves the statuses: a week later the milk has expired. */
START_TEST(test_list_today)
{
	struct inventory_filter f;
	struct listing l;
	struct db *db = shop_build();
	char d[DATE_LEN];

	filter_init(&f);
	f.status = STATUS_EXPIRED;
	f.today = day_at(7, d);
	list(db, &f, &l);
	ck_assert_str_eq(l.skus, "BREAD,MILK500");
	/* NULL today means the shop's today (DUKA_NOW). */
	f.today = NULL;
	list(db, &f, &l);
	ck_assert_str_eq(l.skus, "BREAD");
	/* Water's batch (+10) falls inside a 10-day window. */
	f.status = STATUS_NEAR_EXPIRY;
	f.near_expiry_days = 10;
	list(db, &f, &l);
	ck_assert_str_eq(l.skus, "MILK500,WATER");
	db_close(db);
}
END_TEST

/* The callback can stop the listing; the next listing starts afresh. */
START_TEST(test_list_stop)
{
	struct inventory_filter f;
	struct listing l;
	struct duka_err err = { 0, "" };
	struct db *db = shop_build();

	filter_init(&f);
	memset(&l, 0, sizeof l);
	l.stop_after = 2;
	ck_assert_int_eq(inventory_list(db, &f, collect, &l, &err), DUKA_OK);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.skus, "BREAD,CAFE");
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 7);
	db_close(db);
}
END_TEST

/* Bad filters are refused before anything is read. */
START_TEST(test_list_bad)
{
	static const struct {
		int status, sort;
		int64_t near;
		const char *today, *want;
	} bad[] = {
		{ 0, SORT_NAME, NEAR, "2026-02-30", "2026-02-30" },
		{ 0, SORT_NAME, NEAR, "tomorrow", "tomorrow" },
		{ 0, SORT_NAME, -1, TODAY, "-1" },
		{ 0, SORT_NAME, 3651, TODAY, "3651" },
		{ 16, SORT_NAME, NEAR, TODAY, "16" },
		{ -2, SORT_NAME, NEAR, TODAY, "-2" },
		{ 0, 7, NEAR, TODAY, "7" },
		{ 0, -1, NEAR, TODAY, "-1" },
	};
	struct inventory_filter f;
	struct listing l;
	struct duka_err err;
	struct db *db = shop_build();
	int i;

	for (i = 0; i < NELEM(bad); i++) {
		filter_init(&f);
		f.status = bad[i].status;
		f.sort = (enum inventory_sort)bad[i].sort;
		f.near_expiry_days = bad[i].near;
		f.today = bad[i].today;
		memset(&l, 0, sizeof l);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(inventory_list(db, &f, collect, &l, &err),
		    DUKA_EINPUT);
		ck_assert_int_eq(l.n, 0);
		ck_assert_msg(strstr(err.msg, bad[i].want) != NULL,
		    "case %d: \"%s\" lacks \"%s\"", i, err.msg, bad[i].want);
	}
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(inventory_alerts(db, -3, TODAY, NULL, NULL, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "-3"));
	ck_assert_int_eq(inventory_alerts(db, NEAR, "2026-13-01", NULL, NULL,
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(inventory_summary(db, 5000, NULL, &err), DUKA_EINPUT);
	db_close(db);
}
END_TEST

/* ---- Alerts ---- */

struct alerts {
	struct alert a[32];
	int n;
};

static void
collect_alert(void *ctx, const struct alert *a)
{
	struct alerts *c = ctx;

	if (c->n < NELEM(c->a))
		c->a[c->n] = *a;
	c->n++;
}

START_TEST(test_alerts)
{
	struct {
		enum alert_kind kind;
		int item;
		int64_t qty;
		int batch;		/* the item's batch is named */
		int days;
	} want[] = {
		/* Expired batches, oldest first; the inactive product's too. */
		{ ALERT_EXPIRED, OLD, 4000, 1, -5 },
		{ ALERT_EXPIRED, BREAD, 20000, 1, -1 },
		{ ALERT_NEGATIVE, SODA, -1000, 0, 0 },
		{ ALERT_OUT, CAFE, 0, 0, 0 },
		{ ALERT_OUT, SODA, -1000, 0, 0 },
		{ ALERT_NEAR_EXPIRY, MILK, 8000, 1, 3 },
		{ ALERT_LOW, MILK, 8000, 0, 0 },
		{ ALERT_LOW, RICE, 1500, 0, 0 },
	};
	struct duka_err err = { 0, "" };
	struct alerts c;
	struct db *db = shop_build();
	char d[DATE_LEN];
	int i;

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(inventory_alerts(db, NEAR, TODAY, collect_alert, &c,
	    &err), DUKA_OK);
	ck_assert_int_eq(c.n, NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		const struct alert *a = &c.a[i];
		int k = want[i].item;

		ck_assert_msg(a->kind == want[i].kind, "alert %d: kind %s, "
		    "want %s", i, alert_kind_name(a->kind),
		    alert_kind_name(want[i].kind));
		ck_assert_int_eq(a->product_id, shop_id[k]);
		ck_assert_str_eq(a->sku, shop_items[k].sku);
		ck_assert_str_eq(a->name, shop_items[k].name);
		ck_assert_int_eq(a->qty, want[i].qty);
		if (want[i].batch) {
			ck_assert_int_eq(a->batch_id, shop_batch[k]);
			ck_assert_str_eq(a->expiry, day_at(want[i].days, d));
			ck_assert_int_eq(a->days_left, want[i].days);
		} else {
			ck_assert_int_eq(a->batch_id, 0);
			ck_assert_str_eq(a->expiry, "");
			ck_assert_int_eq(a->days_left, 0);
		}
	}

	/* A 10-day window adds the water's batch, 10 days left. */
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(inventory_alerts(db, 10, TODAY, collect_alert, &c,
	    &err), DUKA_OK);
	ck_assert_int_eq(c.n, NELEM(want) + 1);
	ck_assert_int_eq(c.a[6].kind, ALERT_NEAR_EXPIRY);
	ck_assert_int_eq(c.a[6].batch_id, shop_batch[WATER]);
	ck_assert_int_eq(c.a[6].days_left, 10);
	ck_assert_int_eq(c.a[6].qty, 6000);

	/* NULL today is DUKA_NOW's day; a month on, every dated batch is
	 * expired and nothing is near. */
	set_day(day_at(30, d));
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(inventory_alerts(db, NEAR, NULL, collect_alert, &c,
	    &err), DUKA_OK);
	for (i = 0; i < c.n; i++)
		ck_assert_int_ne(c.a[i].kind, ALERT_NEAR_EXPIRY);
	ck_assert_int_eq(c.a[0].kind, ALERT_EXPIRED);
	ck_assert_int_eq(c.a[0].days_left, -35);
	ck_assert_int_eq(c.a[3].kind, ALERT_EXPIRED);
	ck_assert_int_eq(c.a[3].batch_id, shop_batch[WATER]);
	ck_assert_int_eq(c.a[3].days_left, -20);
	db_close(db);
}
END_TEST

/* An empty shop has no alerts and a zero summary. */
START_TEST(test_empty_shop)
{
	struct duka_err err = { 0, "" };
	struct inventory_summary s;
	struct inventory_filter f;
	struct listing l;
	struct alerts c;
	struct db *db = shop_new();

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(inventory_alerts(db, NEAR, NULL, collect_alert, &c,
	    &err), DUKA_OK);
	ck_assert_int_eq(c.n, 0);
	memset(&s, 0x5a, sizeof s);
	ck_assert_int_eq(inventory_summary(db, NEAR, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.products, 0);
	ck_assert_int_eq(s.categories, 0);
	ck_assert_int_eq(s.value_at_cost, 0);
	ck_assert_int_eq(s.value_at_price, 0);
	ck_assert_int_eq(s.low + s.out + s.near_expiry + s.expired +
	    s.negative, 0);
	filter_init(&f);
	list(db, &f, &l);
	ck_assert_int_eq(l.n, 0);
	db_close(db);
}
END_TEST

/* ---- Summary ---- */

START_TEST(test_summary)
{
	struct duka_err err = { 0, "" };
	struct inventory_summary s;
	struct inventory_filter f;
	struct listing l;
	struct db *db = shop_build();
	int64_t cost = 0, price = 0;
	int i;

	ck_assert_int_eq(inventory_summary(db, NEAR, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.products, 7);
	ck_assert_int_eq(s.categories, 4);
	ck_assert_int_eq(s.value_at_cost, 387294);
	ck_assert_int_eq(s.value_at_price, 492462);
	ck_assert_int_eq(s.low, 2);
	ck_assert_int_eq(s.out, 2);
	ck_assert_int_eq(s.near_expiry, 1);
	ck_assert_int_eq(s.expired, 1);
	ck_assert_int_eq(s.negative, 1);

	/* The same figures as the listing's rows. */
	filter_init(&f);
	list(db, &f, &l);
	for (i = 0; i < l.n; i++) {
		cost += l.rows[i].value_at_cost;
		price += l.rows[i].value_at_price;
	}
	ck_assert_int_eq(cost, s.value_at_cost);
	ck_assert_int_eq(price, s.value_at_price);

	/* Ten days on (DUKA_NOW), the milk has expired and the water is
	 * near (expiring today, so even a 0-day window has it); the day
	 * before, a 0-day window does not. */
	set_day("2026-03-20");
	ck_assert_int_eq(inventory_summary(db, NEAR, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.expired, 2);
	ck_assert_int_eq(s.near_expiry, 1);
	ck_assert_int_eq(inventory_summary(db, 0, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.near_expiry, 1);
	set_day("2026-03-19");
	ck_assert_int_eq(inventory_summary(db, 0, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.near_expiry, 0);
	db_close(db);
}
END_TEST

/*
 * The SQL rounding of cost * qty / 1000 agrees with money_mul_qty for
 * halves, near-halves and large values.
 */
static const struct {
	int64_t cost, qty;
} rounding[] = {
	{ 1001, 1500 }, { 1, 500 }, { 1, 499 }, { 1, 501 }, { 3, 167 },
	{ 3, 166 }, { 999999, 1 }, { 12345, 999999 }, { 15050, 12345 },
	{ 1, 1 }, { 999, 999 }, { 7, 71 }, { 1000000000, 1000000 },
	{ 0, 2500 }, { 333, 1501 },
};

START_TEST(test_summary_rounding)
{
	struct duka_err err = { 0, "" };
	struct inventory_summary s;
	struct inventory_filter f;
	struct listing l;
	struct item it = { "", "Loose goods", "Bulk", UNIT_KG, 0, 0, 0 };
	struct db *db = shop_new();
	char sku[32];
	int64_t want = 0, v, id;
	int i;

	for (i = 0; i < NELEM(rounding); i++) {
		snprintf(sku, sizeof sku, "LOOSE%d", i);
		it.sku = sku;
		it.cost = rounding[i].cost;
		it.price = rounding[i].cost;
		id = add_product(db, &it);
		receive(db, id, rounding[i].qty, NO_EXPIRY);
		ck_assert_int_eq(money_mul_qty(rounding[i].cost,
		    rounding[i].qty, &v, &err), DUKA_OK);
		want += v;
	}
	ck_assert_int_eq(inventory_summary(db, NEAR, &s, &err), DUKA_OK);
	ck_assert_int_eq(s.value_at_cost, want);
	ck_assert_int_eq(s.value_at_price, want);
	/* Sorting by value uses the same SQL figure: rows come out in the
	 * order of their C figures. */
	filter_init(&f);
	f.sort = SORT_VALUE;
	list(db, &f, &l);
	ck_assert_int_eq(l.n, NELEM(rounding));
	for (i = 1; i < l.n; i++)
		ck_assert_int_le(l.rows[i - 1].value_at_cost,
		    l.rows[i].value_at_cost);
	db_close(db);
}
END_TEST

/* ---- The command ---- */

/* Run duka inventory with args, its standard output going to out. */
static int
run_cmd(struct db *db, char *out, size_t len, struct duka_err *err,
    const char *arg, ...)
{
	static struct app app;
	char *argv[16];
	char file[] = "/tmp/duka-inv-out-XXXXXX";
	va_list ap;
	int argc = 0, fd, saved, rc;
	ssize_t n;

	memset(&app, 0, sizeof app);
	settings_defaults(&app.cfg);
	app.cfg.near_expiry_days = NEAR;
	app.db = db;
	argv[argc++] = (char *)"inventory";
	va_start(ap, arg);
	for (; arg != NULL && argc < NELEM(argv) - 1;
	    arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	argv[argc] = NULL;

	ck_assert_int_ge(fd = mkstemp(file), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	memset(err, 0, sizeof *err);
	rc = cmd_inventory(&app, argc, argv, err);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fd, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(file);
	return rc;
}

/* Display width of a line of UTF-8 text. */
static int
width_of(const char *s, size_t n)
{
	wchar_t ws[512];
	char buf[2048];
	size_t k;

	snprintf(buf, sizeof buf, "%.*s", (int)n, s);
	k = mbstowcs(ws, buf, NELEM(ws));
	ck_assert_msg(k != (size_t)-1, "not UTF-8: %s", buf);
	return wcswidth(ws, k);
}

START_TEST(test_cmd_text)
{
	static char out[65536];
	struct duka_err err;
	struct item it = { "LONG-SKU-0000001", "", "Vyakula vya Nafaka na Unga",
	    UNIT_PIECE, 100, 100, 0 };
	struct db *db = shop_build();
	char name[PRODUCT_NAME_MAX];
	const char *line, *nl;
	int width = -1, lines = 0, w;

	/* A 120-character name, a long SKU and a long category must be cut
	 * to keep the line in 80 columns. */
	memcpy(name, "Ésé", 5);
	memset(name + 5, 'y', 117);
	name[122] = '\0';
	it.name = name;
	add_product(db, &it);

	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, NULL), DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "SKU"));
	ck_assert_ptr_nonnull(strstr(out, "Café Touba"));
	ck_assert_msg(strstr(out, "Maziwa Mala 500\xe2\x80\xa6") != NULL, "%s",
	    out);
	ck_assert_ptr_nonnull(strstr(out, "12.345 kg"));
	ck_assert_ptr_nonnull(strstr(out, "-1 pc"));
	ck_assert_ptr_nonnull(strstr(out, "1,857.92"));
	ck_assert_ptr_nonnull(strstr(out, "\xc3\x89s\xc3\xa9yyy"));
	ck_assert_ptr_nonnull(strstr(out, "y\xe2\x80\xa6"));
	ck_assert_ptr_nonnull(strstr(out, "Vyakula\xe2\x80\xa6"));
	ck_assert_ptr_nonnull(strstr(out, "LONG-SK"));
	ck_assert_ptr_null(strstr(out, "LONG-SKU-0000001"));
	ck_assert_msg(strstr(out, "8 items, value at cost KSh 3,872.94\n") !=
	    NULL, "%s", out);
	ck_assert_ptr_null(strstr(out, "Old Stock"));
	/* Every table line has the same display width, at most 80. */
	for (line = out; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (strncmp(line, "8 items", 7) == 0)
			break;
		w = width_of(line, (size_t)(nl - line));
		if (width < 0)
			width = w;
		ck_assert_msg(w == width, "line %d is %d wide, not %d: %.*s",
		    lines, w, width, (int)(nl - line), line);
		lines++;
	}
	ck_assert_int_eq(width, 80);
	ck_assert_int_eq(lines, 9);

	/* --all shows the inactive product; filters and sorts pass on. */
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--all", NULL),
	    DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "Old Stock"));
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--status", "low",
	    "--status", "out", "--sort", "qty", "--desc", NULL), DUKA_OK);
	/* LONG-SKU has no stock: out, like CAFE and SODA. */
	ck_assert_ptr_nonnull(strstr(out, "5 items"));
	ck_assert(strstr(out, "MILK500") < strstr(out, "RICE"));
	ck_assert(strstr(out, "RICE") < strstr(out, "LONG-"));
	ck_assert(strstr(out, "LONG-") < strstr(out, "CAFE"));
	ck_assert(strstr(out, "CAFE") < strstr(out, "SODA"));
	/* Without the long product, names fit whole. */
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--status", "low",
	    NULL), DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "Maziwa Mala 500ml  Dairy"));
	ck_assert_ptr_null(strstr(out, "\xe2\x80\xa6"));
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--category",
	    "cereals", NULL), DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "2 items"));
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--status",
	    "expired", "--category", "Bakery", NULL), DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "1 item, "));
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--status", "out",
	    "--category", "Bakery", NULL), DUKA_OK);
	ck_assert_str_eq(out, "No products match.\n");

	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--alerts", NULL),
	    DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "Alert"));
	ck_assert_ptr_nonnull(strstr(out, "2026-03-05  5 days ago\n"));
	ck_assert_ptr_nonnull(strstr(out, "2026-03-13  in 3 days\n"));
	ck_assert_ptr_nonnull(strstr(out, "Below 0"));
	ck_assert_ptr_null(strstr(out, " \n"));
	db_close(db);
}
END_TEST

START_TEST(test_cmd_csv)
{
	static char out[65536];
	struct duka_err err;
	struct item it = { "QUOTE", "Sugar \"Mumias\", 2kg", "Cereals",
	    UNIT_PIECE, 25050, 20025, 0 };
	struct db *db = shop_build();
	int64_t id;

	id = add_product(db, &it);
	receive(db, id, 3000, NO_EXPIRY);
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--format", "csv",
	    "--category", "Cereals", NULL), DUKA_OK);
	ck_assert_str_eq(out,
	    "sku,name,category,qty,unit,status,next_expiry,reorder_level,"
	    "cost,price,value_at_cost,value_at_price,active\r\n"
	    "RICE,Rice (loose),Cereals,1.5,kg,low,,2,10.01,15.01,15.02,"
	    "22.52,1\r\n"
	    "QUOTE,\"Sugar \"\"Mumias\"\", 2kg\",Cereals,3,piece,ok,,0,"
	    "200.25,250.50,600.75,751.50,1\r\n"
	    "SUGAR1,Sugar 1kg,Cereals,12.345,kg,ok,,0,150.50,180.00,"
	    "1857.92,2222.10,1\r\n");

	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--format", "csv",
	    "--alerts", NULL), DUKA_OK);
	{
		const char *head = "kind,sku,name,qty,batch_id,expiry,"
		    "days_left\r\nexpired,OLD,Old Stock,4,";

		ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s",
		    out);
	}
	ck_assert_ptr_nonnull(strstr(out, "\r\nnegative,SODA,Soda 300ml,-1,,,"
	    "\r\n"));
	ck_assert_ptr_nonnull(strstr(out, ",2026-03-13,3\r\n"));
	db_close(db);
}
END_TEST

/* Bad command lines are refused with a message naming the bad value. */
START_TEST(test_cmd_bad)
{
	static const struct {
		const char *args[4];
		int rc;
		const char *want;
	} bad[] = {
		{ { "--status", "bogus" }, DUKA_EUSAGE, "bogus" },
		{ { "--status", "ok", "--status", "low" }, DUKA_EUSAGE,
		    "--status ok" },
		{ { "--sort", "price" }, DUKA_EUSAGE, "price" },
		{ { "--format", "xml" }, DUKA_EUSAGE, "xml" },
		{ { "--category", "Nope" }, DUKA_ENOTFOUND, "Nope" },
		{ { "--alerts", "--sort", "name" }, DUKA_EUSAGE, "--alerts" },
		{ { "--bogus" }, DUKA_EUSAGE, "--bogus" },
		{ { "--status" }, DUKA_EUSAGE, "--status" },
		{ { "extra" }, DUKA_EUSAGE, "extra" },
	};
	static char out[4096];
	struct duka_err err;
	struct db *db = shop_build();
	int i;

	for (i = 0; i < NELEM(bad); i++) {
		ck_assert_int_eq(run_cmd(db, out, sizeof out, &err,
		    bad[i].args[0], bad[i].args[1], bad[i].args[2],
		    bad[i].args[3], NULL), bad[i].rc);
		ck_assert_msg(strstr(err.msg, bad[i].want) != NULL,
		    "case %d: \"%s\" lacks \"%s\"", i, err.msg, bad[i].want);
		ck_assert_str_eq(out, "");
	}
	ck_assert_int_eq(run_cmd(db, out, sizeof out, &err, "--help", NULL),
	    DUKA_OK);
	ck_assert_ptr_nonnull(strstr(out, "usage: duka inventory"));
	ck_assert_ptr_nonnull(strstr(out, "--alerts"));
	db_close(db);
}
END_TEST

static Suite *
inventory_suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_status_parse_good, 0, NELEM(status_good));
	tcase_add_loop_test(tc, test_status_parse_bad, 0, NELEM(status_bad));
	tcase_add_loop_test(tc, test_sort_parse_good, 0, NELEM(sort_good));
	tcase_add_loop_test(tc, test_sort_parse_bad, 0, NELEM(sort_bad));
	tcase_add_test(tc, test_status_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_status_boundaries, 0, NELEM(bound));
	suite_add_tcase(s, tc);

	tc = tcase_create("list");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_list_rows);
	tcase_add_test(tc, test_sort_orders);
	tcase_add_test(tc, test_get_equals_list);
	tcase_add_test(tc, test_list_ids);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_list_today);
	tcase_add_test(tc, test_list_stop);
	tcase_add_test(tc, test_list_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("alerts");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_alerts);
	tcase_add_test(tc, test_empty_shop);
	suite_add_tcase(s, tc);

	tc = tcase_create("summary");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_summary_rounding);
	suite_add_tcase(s, tc);

	tc = tcase_create("command");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cmd_text);
	tcase_add_test(tc, test_cmd_csv);
	tcase_add_test(tc, test_cmd_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* Names are UTF-8: measure them as the terminal will. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	return tu_run(inventory_suite());
}
