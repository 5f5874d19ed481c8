/*
 * inventory.c - stock status, listings, alerts and the shop summary.
 *
 * Read-only: every answer is one SQL statement over products, categories
 * and batches, so that listing 100,000 products costs one pass over the
 * products and one over the batches with stock (through the partial index
 * batches_fefo), never a query per product.
 *
 * The status of a product is a set of flags (enum stock_status):
 *	OUT		stock_qty <= 0
 *	LOW		0 < stock_qty <= reorder_level, only when reorder_level > 0
 *	NEAR_EXPIRY	a batch with stock has today <= expiry <= today + N days
 *	EXPIRED		a batch with stock has expiry < today
 * The most urgent flag names the product: expired > out > expiring > low.
 *
 * Value at cost (and at price) is unit * qty / 1000 rounded half away from
 * zero, only for qty > 0. In SQL it is written as
 *	unit * (qty / 1000) + (unit * (qty % 1000) + 500) / 1000
 * which for qty > 0 is exactly money_mul_qty(unit, qty), and keeps every
 * intermediate product as small as money_mul_qty's own split does.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"
#include "status.h"

/* The widest near-expiry window accepted (the setting allows 0..3650). */
#define NEAR_EXPIRY_MAX 3650

/* Status names and labels, most urgent first. */
static const struct {
	int flag;
	const char *name;
	const char *label;
} status_table[] = {
	{ STATUS_EXPIRED, "expired", N_("Expired") },
	{ STATUS_OUT, "out", N_("Out") },
	{ STATUS_NEAR_EXPIRY, "expiring", N_("Expiring") },
	{ STATUS_LOW, "low", N_("Low") },
};

#define NSTATUS ((int)(sizeof status_table / sizeof status_table[0]))

/* Index in status_table of the most urgent flag, or -1 for none. */
static int
status_index(int flags)
{
	int i;

	for (i = 0; i < NSTATUS; i++)
		if (flags & status_table[i].flag)
			return i;
	return -1;
}

/* Stable name of the most urgent flag. */
const char *
stock_status_name(int flags)
{
	int i = status_index(flags);

	return i < 0 ? "ok" : status_table[i].name;
}

/* Translated label of the most urgent flag. */
const char *
stock_status_label(int flags)
{
	int i = status_index(flags);

	return i < 0 ? _("OK") : _(status_table[i].label);
}

/*
 * Parse a status for a filter. "ok" gives -1, which is what
 * inventory_filter.status takes for "only products without a flag".
 */
int
stock_status_parse(const char *text, int *flag, struct duka_err *err)
{
	int i;

	if (text == NULL)
		text = "";
	if (strcasecmp(text, "ok") == 0) {
		*flag = -1;
		return DUKA_OK;
	}
	if (strcasecmp(text, "near-expiry") == 0) {
		*flag = STATUS_NEAR_EXPIRY;
		return DUKA_OK;
	}
	for (i = 0; i < NSTATUS; i++) {
		if (strcasecmp(text, status_table[i].name) == 0) {
			*flag = status_table[i].flag;
			return DUKA_OK;
		}
	}
	return duka_fail(err, DUKA_EINPUT, _("unknown stock status \"%s\" "
	    "(use low, out, expiring, expired or ok)"), text);
}

static const char *const sort_names[] = {
	[SORT_NAME] = "name",
	[SORT_CATEGORY] = "category",
	[SORT_STATUS] = "status",
	[SORT_EXPIRY] = "expiry",
	[SORT_VALUE] = "value",
	[SORT_QTY] = "qty",
	[SORT_SKU] = "sku",
};

#define NSORT ((int)(sizeof sort_names / sizeof sort_names[0]))

/* Parse a sort order by its name. */
int
inventory_sort_parse(const char *text, enum inventory_sort *s,
    struct duka_err *err)
{
	int i;

	if (text == NULL)
		text = "";
	for (i = 0; i < NSORT; i++) {
		if (strcasecmp(text, sort_names[i]) == 0) {
			*s = (enum inventory_sort)i;
			return DUKA_OK;
		}
	}
	return duka_fail(err, DUKA_EINPUT, _("unknown sort order \"%s\" "
	    "(use name, category, status, expiry, value, qty or sku)"), text);
}

/* Value of qty units at unit cents, as the SQL statements compute it. */
#define SQL_VALUE(unit) \
	"CASE WHEN p.stock_qty > 0 THEN " unit " * (p.stock_qty / 1000) + " \
	"(" unit " * (p.stock_qty % 1000) + 500) / 1000 ELSE 0 END"

/*
 * Every active (or, with ?3, every) product of category ?4 (0 = all) with
 * its status flags; ?1 is today, ?2 today + near-expiry days. The batch
 * aggregate reads only batches with stock and a date, in product order
 * from the partial index batches_fefo.
 */
#define INVENTORY_ROWS \
	"SELECT p.id AS id, p.sku AS sku, p.name AS name, " \
	"coalesce(c.name, '') AS category, p.unit AS unit, " \
	"p.stock_qty AS qty, p.reorder_level AS reorder_level, " \
	"p.price AS price, p.cost AS cost, b.next_expiry AS next_expiry, " \
	"p.active AS active, " \
	"(CASE WHEN p.reorder_level > 0 AND p.stock_qty > 0 AND " \
	"p.stock_qty <= p.reorder_level THEN 1 ELSE 0 END " \
	"| CASE WHEN p.stock_qty <= 0 THEN 2 ELSE 0 END " \
	"| CASE WHEN b.near > 0 THEN 4 ELSE 0 END " \
	"| CASE WHEN b.expired > 0 THEN 8 ELSE 0 END) AS status, " \
	SQL_VALUE("p.cost") " AS value_at_cost, " \
	SQL_VALUE("p.price") " AS value_at_price " \
	"FROM products p " \
	"LEFT JOIN categories c ON c.id = p.category_id " \
	"LEFT JOIN (SELECT product_id, min(expiry_date) AS next_expiry, " \
	"sum(expiry_date < ?1) AS expired, " \
	"sum(expiry_date >= ?1 AND expiry_date <= ?2) AS near " \
	"FROM batches WHERE qty_remaining > 0 AND expiry_date IS NOT NULL " \
	"GROUP BY product_id) b ON b.product_id = p.id " \
	"WHERE (?3 OR p.active = 1) AND (?4 = 0 OR p.category_id = ?4)"

/* The listing: the rows above that match status filter ?5. */
#define INVENTORY_SELECT \
	"SELECT id, sku, name, category, unit, qty, reorder_level, price, " \
	"cost, coalesce(next_expiry, ''), status, active FROM (" \
	INVENTORY_ROWS ") WHERE ?5 = 0 OR (?5 = -1 AND status = 0) " \
	"OR (?5 > 0 AND (status & ?5) <> 0) ORDER BY "

/* Urgency of a status, most urgent first, as stock_status_name ranks it. */
#define URGENCY \
	"CASE WHEN status & 8 THEN 0 WHEN status & 2 THEN 1 " \
	"WHEN status & 4 THEN 2 WHEN status & 1 THEN 3 ELSE 4 END"

/*
 * One literal statement per sort order and direction, so that no user text
 * reaches the SQL. Ties go by name, then id, so every order is total.
 * "status" ascending is the most urgent first; "expiry" puts products
 * without a dated batch last in both directions.
 */
#define INVENTORY_ORDERS(SEL) { \
	[SORT_NAME] = { \
		SEL "name COLLATE NOCASE, id", \
		SEL "name COLLATE NOCASE DESC, id DESC", \
	}, \
	[SORT_CATEGORY] = { \
		SEL "category = '', category COLLATE NOCASE, " \
		    "name COLLATE NOCASE, id", \
		SEL "category = '', category COLLATE NOCASE DESC, " \
		    "name COLLATE NOCASE DESC, id DESC", \
	}, \
	[SORT_STATUS] = { \
		SEL URGENCY ", name COLLATE NOCASE, id", \
		SEL URGENCY " DESC, name COLLATE NOCASE DESC, " \
		    "id DESC", \
	}, \
	[SORT_EXPIRY] = { \
		SEL "next_expiry IS NULL, next_expiry, " \
		    "name COLLATE NOCASE, id", \
		SEL "next_expiry IS NULL, next_expiry DESC, " \
		    "name COLLATE NOCASE DESC, id DESC", \
	}, \
	[SORT_VALUE] = { \
		SEL "value_at_cost, name COLLATE NOCASE, id", \
		SEL "value_at_cost DESC, name COLLATE NOCASE DESC, " \
		    "id DESC", \
	}, \
	[SORT_QTY] = { \
		SEL "qty, name COLLATE NOCASE, id", \
		SEL "qty DESC, name COLLATE NOCASE DESC, id DESC", \
	}, \
	[SORT_SKU] = { \
		SEL "sku, id", \
		SEL "sku DESC, id DESC", \
	}, \
}

static const char *const inventory_sql[][2] =
	INVENTORY_ORDERS(INVENTORY_SELECT);

/* The same listing, only the ids: the sort carries the keys and an id
 * rather than whole rows (inventory_list_ids). */
#define INVENTORY_IDS \
	"SELECT id FROM (" INVENTORY_ROWS ") WHERE ?5 = 0 OR " \
	"(?5 = -1 AND status = 0) OR (?5 > 0 AND (status & ?5) <> 0) " \
	"ORDER BY "

static const char *const inventory_ids_sql[][2] =
	INVENTORY_ORDERS(INVENTORY_IDS);

/*
 * Check near-expiry days and today (NULL = the shop's today), and compute
 * the last day of the near-expiry window.
 */
static int
inventory_days(int64_t near_days, const char *today, char day[DATE_LEN],
    char last[DATE_LEN], struct duka_err *err)
{
	int rc;

	if (near_days < 0 || near_days > NEAR_EXPIRY_MAX)
		return duka_fail(err, DUKA_EINPUT, _("near-expiry days %lld "
		    "out of range (0 to %d)"), (long long)near_days,
		    NEAR_EXPIRY_MAX);
	if (today == NULL)
		date_today(day);
	else if ((rc = date_parse(today, day, err)) != DUKA_OK)
		return rc;
	date_add_days(day, near_days, last);
	return DUKA_OK;
}

/* Fill row from the current result of a listing statement. */
static int
inventory_row_read(sqlite3_stmt *st, struct inventory_row *row,
    struct duka_err *err)
{
	char unit[16];
	int rc;

	memset(row, 0, sizeof *row);
	row->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, row->sku, sizeof row->sku);
	db_column_copy(st, 2, row->name, sizeof row->name);
	db_column_copy(st, 3, row->category, sizeof row->category);
	db_column_copy(st, 4, unit, sizeof unit);
	if ((rc = product_unit_parse(unit, &row->unit, err)) != DUKA_OK)
		return rc;
	row->qty = sqlite3_column_int64(st, 5);
	row->reorder_level = sqlite3_column_int64(st, 6);
	row->price = sqlite3_column_int64(st, 7);
	row->cost = sqlite3_column_int64(st, 8);
	db_column_copy(st, 9, row->next_expiry, sizeof row->next_expiry);
	row->status = sqlite3_column_int(st, 10);
	row->active = sqlite3_column_int(st, 11);
	if (row->qty > 0) {
		if (money_mul_qty(row->cost, row->qty, &row->value_at_cost,
		    NULL) != DUKA_OK || money_mul_qty(row->price, row->qty,
		    &row->value_at_price, NULL) != DUKA_OK)
			return duka_fail(err, DUKA_EINPUT, _("the stock value "
			    "of %s is too large"), row->sku);
	}
	return DUKA_OK;
}

/*
 * Check filter and prepare the listing statement of table sql for it,
 * bound; *out is NULL on failure.
 */
static int
inventory_query(struct db *db, const struct inventory_filter *filter,
    const char *const sql[][2], sqlite3_stmt **out, struct duka_err *err)
{
	char today[DATE_LEN], last[DATE_LEN];
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((unsigned)filter->sort >= (unsigned)NSORT)
		return duka_fail(err, DUKA_EINPUT, _("unknown sort order %d"),
		    (int)filter->sort);
	if (filter->status < -1 || filter->status > (STATUS_LOW |
	    STATUS_OUT | STATUS_NEAR_EXPIRY | STATUS_EXPIRED))
		return duka_fail(err, DUKA_EINPUT, _("unknown stock status "
		    "filter %d"), filter->status);
	if ((rc = inventory_days(filter->near_expiry_days, filter->today,
	    today, last, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, sql[filter->sort][filter->descending != 0], err);
	if (st == NULL)
		return err != NULL ? err->code : DUKA_EDB;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, filter->include_inactive != 0);
	sqlite3_bind_int64(st, 4, filter->category_id);
	sqlite3_bind_int(st, 5, filter->status);
	*out = st;
	return DUKA_OK;
}

/*
 * The statement is cached, so fn must not call inventory_list itself (it
 * would reset the statement under this loop); other queries are fine.
 */
int
inventory_list(struct db *db, const struct inventory_filter *filter,
    int (*fn)(void *ctx, const struct inventory_row *row), void *ctx,
    struct duka_err *err)
{
	struct inventory_row row;
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = inventory_query(db, filter, inventory_sql, &st, err)) !=
	    DUKA_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = inventory_row_read(st, &row, err)) != DUKA_OK)
			break;
		if (fn(ctx, &row) != 0)
			break;
	}
	if (rc == DUKA_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, err, _("listing the stock"));
	db_done(st);
	return rc;
}

int
inventory_list_ids(struct db *db, const struct inventory_filter *filter,
    int (*fn)(void *ctx, int64_t id), void *ctx, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = inventory_query(db, filter, inventory_ids_sql, &st, err)) !=
	    DUKA_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(st, 0)) != 0)
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, err, _("listing the stock"));
	db_done(st);
	return rc;
}

/*
 * One product's row: the columns of INVENTORY_SELECT, with the batch
 * figures read through batches_fefo for this product alone (the listing's
 * aggregate would read every product's batches). ?1 today, ?2 the last
 * day of the near-expiry window, ?3 the product.
 */
static const char inventory_one_sql[] =
	"SELECT id, sku, name, category, unit, qty, reorder_level, price, "
	"cost, coalesce(next_expiry, ''), "
	"(CASE WHEN reorder_level > 0 AND qty > 0 AND qty <= reorder_level "
	"THEN 1 ELSE 0 END | CASE WHEN qty <= 0 THEN 2 ELSE 0 END "
	"| CASE WHEN near > 0 THEN 4 ELSE 0 END "
	"| CASE WHEN expired > 0 THEN 8 ELSE 0 END), active FROM ("
	"SELECT p.id AS id, p.sku AS sku, p.name AS name, "
	"coalesce(c.name, '') AS category, p.unit AS unit, "
	"p.stock_qty AS qty, p.reorder_level AS reorder_level, "
	"p.price AS price, p.cost AS cost, p.active AS active, "
	"(SELECT min(expiry_date) FROM batches WHERE product_id = p.id "
	"AND qty_remaining > 0 AND expiry_date IS NOT NULL) AS next_expiry, "
	"(SELECT count(*) FROM batches WHERE product_id = p.id "
	"AND qty_remaining > 0 AND expiry_date < ?1) AS expired, "
	"(SELECT count(*) FROM batches WHERE product_id = p.id "
	"AND qty_remaining > 0 AND expiry_date >= ?1 AND expiry_date <= ?2) "
	"AS near "
	"FROM products p LEFT JOIN categories c ON c.id = p.category_id "
	"WHERE p.id = ?3)";

int
inventory_get(struct db *db, int64_t product_id, int64_t near_expiry_days,
    const char *today, struct inventory_row *row, struct duka_err *err)
{
	char day[DATE_LEN], last[DATE_LEN];
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = inventory_days(near_expiry_days, today, day, last, err)) !=
	    DUKA_OK)
		return rc;
	if ((st = db_stmt(db, inventory_one_sql, err)) == NULL)
		return err != NULL ? err->code : DUKA_EDB;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, product_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = inventory_row_read(st, row, err);
	else if (step == SQLITE_DONE)
		rc = duka_fail(err, DUKA_ENOTFOUND, _("there is no product "
		    "%lld"), (long long)product_id);
	else
		rc = db_fail(db, err, _("reading the stock"));
	db_done(st);
	return rc;
}

static const char *const alert_names[] = {
	[ALERT_LOW] = "low",
	[ALERT_OUT] = "out",
	[ALERT_NEAR_EXPIRY] = "expiring",
	[ALERT_EXPIRED] = "expired",
	[ALERT_NEGATIVE] = "negative",
};

/* Stable name of an alert kind, for files and the dashboard. */
const char *
alert_kind_name(enum alert_kind k)
{
	if ((unsigned)k >= sizeof alert_names / sizeof alert_names[0])
		return "invalid";
	return alert_names[k];
}

/* The kind of each rank of the alerts statement below. */
static const enum alert_kind alert_rank[] = {
	ALERT_EXPIRED, ALERT_NEGATIVE, ALERT_OUT, ALERT_NEAR_EXPIRY, ALERT_LOW,
};

/*
 * Alerts, most urgent first: expired batches, products below zero, out of
 * stock, batches near expiry, low stock. Low, out and negative concern
 * active products only (a product no longer sold needs no reordering);
 * expiry alerts cover every batch with stock, because those goods are on
 * the shelf whether or not the product is still sold.
 */
static const char alerts_sql[] =
	"SELECT a.rank, p.id, p.sku, p.name, a.qty, a.batch_id, "
	"coalesce(a.expiry, '') FROM ("
	"SELECT 0 AS rank, product_id AS pid, qty_remaining AS qty, "
	"id AS batch_id, expiry_date AS expiry FROM batches "
	"WHERE qty_remaining > 0 AND expiry_date < ?1 "
	"UNION ALL SELECT 1, id, stock_qty, 0, NULL FROM products "
	"WHERE active = 1 AND stock_qty < 0 "
	"UNION ALL SELECT 2, id, stock_qty, 0, NULL FROM products "
	"WHERE active = 1 AND stock_qty <= 0 "
	"UNION ALL SELECT 3, product_id, qty_remaining, id, expiry_date "
	"FROM batches WHERE qty_remaining > 0 AND expiry_date >= ?1 "
	"AND expiry_date <= ?2 "
	"UNION ALL SELECT 4, id, stock_qty, 0, NULL FROM products "
	"WHERE active = 1 AND reorder_level > 0 AND stock_qty > 0 "
	"AND stock_qty <= reorder_level"
	") a JOIN products p ON p.id = a.pid "
	"ORDER BY a.rank, a.expiry, p.name COLLATE NOCASE, p.id, a.batch_id";

/* Report every current alert to fn, most urgent first. */
int
inventory_alerts(struct db *db, int64_t near_expiry_days,
    const char *today, void (*fn)(void *ctx, const struct alert *a),
    void *ctx, struct duka_err *err)
{
	char day[DATE_LEN], last[DATE_LEN];
	struct alert a;
	sqlite3_stmt *st;
	int rc, step, rank;

	if ((rc = inventory_days(near_expiry_days, today, day, last, err)) !=
	    DUKA_OK)
		return rc;
	if ((st = db_stmt(db, alerts_sql, err)) == NULL)
		return err != NULL ? err->code : DUKA_EDB;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		rank = sqlite3_column_int(st, 0);
		a.kind = alert_rank[rank];
		a.product_id = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, a.sku, sizeof a.sku);
		db_column_copy(st, 3, a.name, sizeof a.name);
		a.qty = sqlite3_column_int64(st, 4);
		a.batch_id = sqlite3_column_int64(st, 5);
		db_column_copy(st, 6, a.expiry, sizeof a.expiry);
		if (a.expiry[0] != '\0')
			a.days_left = date_diff_days(day, a.expiry);
		fn(ctx, &a);
	}
	rc = DUKA_OK;
	if (step != SQLITE_DONE)
		rc = db_fail(db, err, _("reading the stock alerts"));
	db_done(st);
	return rc;
}

/*
 * The summary of the active products, the same rows and figures as the
 * default listing totals: counts are of products (a product with two
 * expired batches counts once).
 */
static const char summary_sql[] =
	"SELECT count(*), (SELECT count(*) FROM categories), "
	"coalesce(sum(value_at_cost), 0), coalesce(sum(value_at_price), 0), "
	"coalesce(sum((status & 1) <> 0), 0), "
	"coalesce(sum((status & 2) <> 0), 0), "
	"coalesce(sum((status & 4) <> 0), 0), "
	"coalesce(sum((status & 8) <> 0), 0), "
	"coalesce(sum(qty < 0), 0) "
	"FROM (" INVENTORY_ROWS ")";

/* Count and value the active products in one aggregate query. */
int
inventory_summary(struct db *db, int64_t near_expiry_days,
    struct inventory_summary *s, struct duka_err *err)
{
	char day[DATE_LEN], last[DATE_LEN];
	sqlite3_stmt *st;
	int rc, step, i;

	if ((rc = inventory_days(near_expiry_days, NULL, day, last, err)) !=
	    DUKA_OK)
		return rc;
	if ((st = db_stmt(db, summary_sql, err)) == NULL)
		return err != NULL ? err->code : DUKA_EDB;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, 0);
	sqlite3_bind_int64(st, 4, 0);
	if ((step = sqlite3_step(st)) != SQLITE_ROW) {
		rc = db_fail(db, err, _("adding up the stock"));
		db_done(st);
		return rc;
	}
	/*
	 * A product whose value overflows 64 bits makes SQLite switch to a
	 * floating-point number; refuse that rather than show a wrong total.
	 */
	for (i = 0; i < 9; i++) {
		if (sqlite3_column_type(st, i) != SQLITE_INTEGER) {
			db_done(st);
			return duka_fail(err, DUKA_EINPUT, _("the stock value "
			    "is too large to add up"));
		}
	}
	memset(s, 0, sizeof *s);
	s->products = sqlite3_column_int64(st, 0);
	s->categories = sqlite3_column_int64(st, 1);
	s->value_at_cost = sqlite3_column_int64(st, 2);
	s->value_at_price = sqlite3_column_int64(st, 3);
	s->low = sqlite3_column_int64(st, 4);
	s->out = sqlite3_column_int64(st, 5);
	s->near_expiry = sqlite3_column_int64(st, 6);
	s->expired = sqlite3_column_int64(st, 7);
	s->negative = sqlite3_column_int64(st, 8);
	db_done(st);
	return DUKA_OK;
}
