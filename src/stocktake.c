/*
 * stocktake.c - count sheets: open one for a category or for the whole
 * shop, record what was counted on the shelves, and commit the
 * differences as count movements.
 *
 * A sheet has three states and two moves, both final:
 *
 *	open --commit--> committed
 *	open --cancel--> cancelled
 *
 * Counts are compared with the stock on record when the sheet is
 * committed; a product left uncounted is left alone. A gain goes into a
 * new batch "COUNT-<sheet>" at the product's cost; a loss is taken first
 * expiry first out, from expired batches too and below zero if need be,
 * because the count is what is physically there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "catalog.h"
#include "i18n.h"
#include "money.h"
#include "stock.h"
#include "user.h"

/* As in stock.c: a million units on one line is a typing mistake. */
#define COUNT_QTY_MAX 1000000000LL

/* Refuse unless sheet id exists and is open. */
static int
stocktake_require_open(struct db *db, int64_t id, struct duka_err *err)
{
	char state[16] = "";
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT state FROM stock_counts WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, state, sizeof state);
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading count sheets"));
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no count sheet number %lld"), (long long)id);
	if (strcmp(state, "committed") == 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("count sheet %lld is already committed"), (long long)id);
	if (strcmp(state, "open") != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("count sheet %lld was cancelled"), (long long)id);
	return DUKA_OK;
}

int
stocktake_open(struct db *db, int64_t category_id, const char *user,
    int64_t *count_id, struct duka_err *err)
{
	char now[TIMESTAMP_LEN], name[CATEGORY_NAME_MAX] = "";
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	if (category_id < 0)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no category number %lld"),
		    (long long)category_id);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if (category_id > 0) {
		st = db_stmt(db, "SELECT name FROM categories WHERE id = ?1",
		    err);
		if (st == NULL) {
			rc = err->code;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, category_id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			db_column_copy(st, 0, name, sizeof name);
		db_done(st);
		if (rc == SQLITE_DONE) {
			rc = duka_fail(err, DUKA_ENOTFOUND,
			    _("there is no category number %lld"),
			    (long long)category_id);
			goto fail;
		}
		if (rc != SQLITE_ROW) {
			rc = db_fail(db, err, _("reading categories"));
			goto fail;
		}
	}

	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO stock_counts(category_id, user_name, "
	    "started_at) VALUES (?1, ?2, ?3)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	if (category_id > 0)
		sqlite3_bind_int64(st, 1, category_id);
	db_bind_text_or_null(st, 2, user);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("opening a count sheet"));
		goto fail;
	}
	id = sqlite3_last_insert_rowid(db_sqlite(db));

	st = db_stmt(db, "INSERT INTO stock_count_lines(count_id, product_id) "
	    "SELECT ?1, id FROM products WHERE active = 1 AND "
	    "(?2 = 0 OR category_id = ?2)", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, category_id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("opening a count sheet"));
		goto fail;
	}
	/* An empty sheet is a mistake (a category with no products). */
	if (sqlite3_changes(db_sqlite(db)) == 0) {
		if (category_id > 0)
			rc = duka_fail(err, DUKA_EINPUT,
			    _("the category %s has no active products to "
			    "count"), name);
		else
			rc = duka_fail(err, DUKA_EINPUT,
			    _("there are no active products to count"));
		goto fail;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (count_id != NULL)
		*count_id = id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

int
stocktake_set(struct db *db, int64_t count_id, int64_t product_id,
    int64_t counted_qty, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT];
	struct product p;
	sqlite3_stmt *st;
	int rc;

	if (counted_qty < 0 || counted_qty > COUNT_QTY_MAX) {
		qty_format(counted_qty, q, sizeof q);
		return duka_fail(err, DUKA_EINPUT, counted_qty < 0 ?
		    _("a counted quantity cannot be negative (not %s)") :
		    _("the counted quantity %s is too large"), q);
	}
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = stocktake_require_open(db, count_id, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "UPDATE stock_count_lines SET counted_qty = ?3 "
	    "WHERE count_id = ?1 AND product_id = ?2", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, count_id);
	sqlite3_bind_int64(st, 2, product_id);
	sqlite3_bind_int64(st, 3, counted_qty);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("recording a count"));
		goto fail;
	}
	if (sqlite3_changes(db_sqlite(db)) != 1) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s) is not on count sheet %lld"), p.name, p.sku,
		    (long long)count_id);
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* One counted product whose count differs from the stock on record. */
struct difference {
	int64_t product_id;
	int64_t diff;			/* counted - on record */
};

/* Take a counted loss out FEFO and add its value at batch cost. */
static int
stocktake_loss(struct db *db, int64_t product_id, int64_t qty,
    const char *ref, const char *user, struct stocktake_result *res,
    struct duka_err *err)
{
	struct stock_allocation *alloc;
	struct stock_issue is;
	sqlite3_stmt *st;
	int64_t nbatches = 0, v;
	int i, n, rc;

	/* Every batch with stock, and one more for the rest without a batch. */
	st = db_stmt(db, "SELECT count(*) FROM batches WHERE product_id = ?1 "
	    "AND qty_remaining > 0", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		nbatches = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading batches"));
	if ((alloc = calloc((size_t)nbatches + 1, sizeof *alloc)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));

	memset(&is, 0, sizeof is);
	is.product_id = product_id;
	is.qty = qty;
	is.reason = STOCK_COUNT;
	is.flags = STOCK_ALLOW_EXPIRED | STOCK_ALLOW_NEGATIVE;
	is.reference = ref;
	is.user = user;
	is.note = _("stock take");
	rc = stock_issue(db, &is, alloc, (int)nbatches + 1, &n, err);
	for (i = 0; rc == DUKA_OK && i < n; i++)
		if ((rc = money_mul_qty(alloc[i].unit_cost, alloc[i].qty, &v,
		    err)) == DUKA_OK)
			res->loss_value += v;
	if (rc == DUKA_OK)
		res->lines += n;
	free(alloc);
	return rc;
}

int
stocktake_commit(struct db *db, int64_t count_id, const char *user,
    struct stocktake_result *res, struct duka_err *err)
{
	struct stocktake_result r = { 0, 0, 0 };
	struct difference *list = NULL, *d;
	char ref[32], now[TIMESTAMP_LEN];
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_STOCK_ADJUST, err)) != DUKA_OK ||
	    (rc = stocktake_require_open(db, count_id, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "SELECT l.product_id, l.counted_qty - p.stock_qty "
	    "FROM stock_count_lines l JOIN products p ON p.id = l.product_id "
	    "WHERE l.count_id = ?1 AND l.counted_qty IS NOT NULL AND "
	    "l.counted_qty <> p.stock_qty ORDER BY l.product_id", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, count_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			d = realloc(list, cap * sizeof *d);
			if (d == NULL)
				break;
			list = d;
		}
		list[n].product_id = sqlite3_column_int64(st, 0);
		list[n].diff = sqlite3_column_int64(st, 1);
		n++;
	}
	db_done(st);
	if (step == SQLITE_ROW) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading a count sheet"));
		goto fail;
	}

	snprintf(ref, sizeof ref, "COUNT-%lld", (long long)count_id);
	for (i = 0; i < n; i++) {
		d = &list[i];
		if (d->diff > 0)
			rc = stock_count_gain(db, d->product_id, d->diff, ref,
			    user, &r.lines, &r.gain_value, err);
		else
			rc = stocktake_loss(db, d->product_id, -d->diff, ref,
			    user, &r, err);
		if (rc != DUKA_OK)
			goto fail;
	}

	date_now_timestamp(now);
	st = db_stmt(db, "UPDATE stock_counts SET state = 'committed', "
	    "committed_at = ?2 WHERE id = ?1 AND state = 'open'", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, count_id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	db_done(st);
	if (step != SQLITE_DONE) {
		rc = db_fail(db, err, _("committing a count sheet"));
		goto fail;
	}
	{
		char detail[160], g[MONEY_MAX_TEXT], l[MONEY_MAX_TEXT];

		money_format(r.gain_value, g, sizeof g);
		money_format(r.loss_value, l, sizeof l);
		snprintf(detail, sizeof detail, "%zu products changed, gain %s, "
		    "loss %s at cost", n, g, l);
		if ((rc = audit_add(db, user, "stocktake.commit", "stock_count",
		    count_id, detail, err)) != DUKA_OK)
			goto fail;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		goto out;
	if (res != NULL)
		*res = r;
	goto out;
fail:
	db_rollback(db);
out:
	free(list);
	return rc;
}

int
stocktake_cancel(struct db *db, int64_t count_id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = stocktake_require_open(db, count_id, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "UPDATE stock_counts SET state = 'cancelled' "
	    "WHERE id = ?1 AND state = 'open'", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, count_id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("cancelling a count sheet"));
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
stocktake_get(struct db *db, int64_t count_id, struct stocktake_sheet *s,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT c.id, coalesce(c.category_id, 0), "
	    "coalesce(g.name, ''), c.state, coalesce(c.user_name, ''), "
	    "c.started_at, coalesce(c.committed_at, ''), "
	    "(SELECT count(*) FROM stock_count_lines l "
	    "WHERE l.count_id = c.id), "
	    "(SELECT count(l.counted_qty) FROM stock_count_lines l "
	    "WHERE l.count_id = c.id) "
	    "FROM stock_counts c LEFT JOIN categories g "
	    "ON g.id = c.category_id WHERE c.id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, count_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(st, 0);
		s->category_id = sqlite3_column_int64(st, 1);
		db_column_copy(st, 2, s->category, sizeof s->category);
		db_column_copy(st, 3, s->state, sizeof s->state);
		db_column_copy(st, 4, s->user, sizeof s->user);
		db_column_copy(st, 5, s->started_at, sizeof s->started_at);
		db_column_copy(st, 6, s->committed_at, sizeof s->committed_at);
		s->lines = sqlite3_column_int64(st, 7);
		s->counted = sqlite3_column_int64(st, 8);
	}
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no count sheet number %lld"),
		    (long long)count_id);
	return db_fail(db, err, _("reading count sheets"));
}

int
stocktake_lines(struct db *db, int64_t count_id,
    void (*fn)(void *ctx, const struct stocktake_line *l), void *ctx,
    struct duka_err *err)
{
	struct stocktake_sheet sheet;
	struct stocktake_line l;
	enum product_unit u;
	sqlite3_stmt *st;
	int rc;

	if ((rc = stocktake_get(db, count_id, &sheet, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT p.id, p.sku, p.name, p.unit, p.stock_qty, "
	    "coalesce(l.counted_qty, -1) FROM stock_count_lines l "
	    "JOIN products p ON p.id = l.product_id WHERE l.count_id = ?1 "
	    "ORDER BY p.name, p.id", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, count_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		l.product_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, l.sku, sizeof l.sku);
		db_column_copy(st, 2, l.name, sizeof l.name);
		u = UNIT_PIECE;
		product_unit_parse((const char *)sqlite3_column_text(st, 3), &u,
		    NULL);
		l.unit = u;
		l.stock_qty = sqlite3_column_int64(st, 4);
		l.counted_qty = sqlite3_column_int64(st, 5);
		fn(ctx, &l);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading a count sheet"));
	return DUKA_OK;
}

int
stocktake_latest_open(struct db *db, int64_t *count_id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT max(id) FROM stock_counts WHERE state = "
	    "'open'", err);
	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*count_id = sqlite3_column_int64(st, 0);
		db_done(st);
		return DUKA_OK;
	}
	db_done(st);
	if (rc == SQLITE_ROW)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("no count sheet is open"));
	return db_fail(db, err, _("reading count sheets"));
}
