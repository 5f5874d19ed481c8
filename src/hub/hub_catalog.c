/*
 * hub_catalog.c - the shop's catalogue as the tills pull it.
 *
 * Every change to a row of products (duka-hub product set, or a till's
 * product.changed when the shop's catalogue follows the tills) takes the
 * next value of catalog_seq while holding the shop's advisory lock, so seq
 * order is commit order within a shop. GET /v1/catalog?since=CURSOR returns
 * the rows with seq > CURSOR in seq order and the cursor to ask with next;
 * the till never needs to know that the cursor is a number. Fields that
 * are unknown (a cost never set) are left out rather than sent as null.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"

/* The page as one JSON text, built by PostgreSQL. */
static const char page_sql[] =
    "SELECT coalesce(json_agg(json_strip_nulls(json_build_object("
    "  'sku', sku, 'name', name, 'category', category, 'unit', unit,"
    "  'price', price, 'cost', cost, 'tax_class', tax_class,"
    "  'barcodes', barcodes, 'pack_size', pack_size,"
    "  'tracks_expiry', tracks_expiry, 'active', active,"
    "  'deleted', deleted, 'updated_at', updated_at)) ORDER BY seq),"
    "  '[]')::text, max(seq), count(*)"
    " FROM (SELECT * FROM products WHERE shop_id = $1 AND seq > $2"
    "  ORDER BY seq LIMIT $3) page";

/* A decimal cursor or limit: digits only, at most 18 of them. */
static int
number_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 18 && strspn(s, "0123456789") == n;
}

void
hub_catalog_get(const struct hub_caller *who, const char *since,
    const char *limit, struct hub_reply *r)
{
	struct duka_err err = { 0, "" };
	char shop[24], lim[24];
	const char *params[3];
	PGresult *res;
	PGconn *c;
	json_t *rows;
	long long n;

	if (since == NULL || since[0] == '\0')
		since = "0";
	if (!number_ok(since)) {
		hub_reply_error(r, 400, "since must be a cursor returned by "
		    "GET /v1/catalog (or 0)");
		return;
	}
	n = HUB_CATALOG_LIMIT;
	if (limit != NULL) {
		if (!number_ok(limit) || (n = strtoll(limit, NULL, 10)) < 1 ||
		    n > HUB_CATALOG_MAX) {
			hub_reply_error(r, 400, "limit must be a whole number "
			    "from 1 to 5000");
			return;
		}
	}
	if ((c = hub_db(&err)) == NULL) {
		hub_reply_error(r, 503, err.msg);
		return;
	}
	snprintf(shop, sizeof shop, "%lld", (long long)who->shop_id);
	snprintf(lim, sizeof lim, "%lld", n);
	params[0] = shop;
	params[1] = since;
	params[2] = lim;
	if ((res = hub_db_exec(c, page_sql, 3, params, NULL, &err)) == NULL) {
		hub_reply_error(r, 500, err.msg);
		return;
	}
	rows = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	if (rows == NULL) {
		PQclear(res);
		hub_reply_error(r, 500, "cannot read the catalogue page");
		return;
	}
	r->status = 200;
	r->body = json_pack("{so ss sb}", "products", rows, "cursor",
	    PQgetisnull(res, 0, 1) ? since : PQgetvalue(res, 0, 1), "more",
	    strtoll(PQgetvalue(res, 0, 2), NULL, 10) == n);
	snprintf(r->log, sizeof r->log, "since=%s products=%s", since,
	    PQgetvalue(res, 0, 2));
	PQclear(res);
}

/* Insert or change a product; NULL parameters keep what is there. */
static const char set_sql[] =
    "INSERT INTO products AS old(shop_id, sku, name, category, unit, price,"
    " cost, tax_class, barcodes, active, deleted, seq, changed_by)"
    " VALUES ($1, $2, $3, coalesce($4, ''), coalesce($5, 'piece'), $6, $7,"
    "  coalesce($8, 'standard'), coalesce($9::jsonb, '[]'),"
    "  coalesce($10::boolean, true), false, nextval('catalog_seq'), 'hub')"
    " ON CONFLICT (shop_id, sku) DO UPDATE SET name = excluded.name,"
    "  category = coalesce($4, old.category),"
    "  unit = coalesce($5, old.unit), price = excluded.price,"
    "  cost = coalesce($7, old.cost), tax_class = coalesce($8, old.tax_class),"
    "  barcodes = coalesce($9::jsonb, old.barcodes),"
    "  active = coalesce($10::boolean, old.active), deleted = false,"
    "  seq = excluded.seq, changed_by = 'hub', updated_at = now()"
    " RETURNING seq";

/*
 * Start changing shop code's catalogue: a transaction holding the shop's
 * catalogue lock. shop_id (24 bytes) receives the shop's id.
 */
int
hub_catalog_begin(PGconn *c, const char *code, char shop_id[24],
    struct duka_err *err)
{
	const char *params[1] = { code };
	PGresult *res;
	int rc;

	if ((rc = hub_db_run(c, "BEGIN", 0, NULL, err)) != DUKA_OK)
		return rc;
	res = hub_db_exec(c, "SELECT shop_id FROM shops WHERE code = $1", 1,
	    params, NULL, err);
	if (res == NULL) {
		rc = DUKA_EDB;
	} else if (PQntuples(res) != 1) {
		rc = duka_fail(err, DUKA_ENOTFOUND, "no shop \"%s\"", code);
	} else {
		snprintf(shop_id, 24, "%s", PQgetvalue(res, 0, 0));
		params[0] = shop_id;
		rc = hub_db_run(c, "SELECT pg_advisory_xact_lock(2, $1::int)",
		    1, params, err);
	}
	PQclear(res);
	if (rc != DUKA_OK)
		hub_db_run(c, "ROLLBACK", 0, NULL, NULL);
	return rc;
}

/* Insert or change one product inside hub_catalog_begin(). */
int
hub_catalog_put(PGconn *c, const char *shop_id, const struct hub_product *p,
    int64_t *seq, struct duka_err *err)
{
	char price[24], cost[24], *codes = NULL;
	const char *params[10];
	PGresult *res;
	json_t *arr;
	int i;

	if (p->barcodes != NULL) {
		arr = json_array();
		for (i = 0; i < p->nbarcodes; i++)
			json_array_append_new(arr, json_string(p->barcodes[i]));
		codes = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		if (codes == NULL)
			return duka_fail(err, DUKA_EFAIL, "out of memory");
	}
	snprintf(price, sizeof price, "%lld", (long long)p->price);
	snprintf(cost, sizeof cost, "%lld", (long long)p->cost);
	params[0] = shop_id;
	params[1] = p->sku;
	params[2] = p->name;
	params[3] = p->category;
	params[4] = p->unit;
	params[5] = price;
	params[6] = p->cost >= 0 ? cost : NULL;
	params[7] = p->tax_class;
	params[8] = codes;
	params[9] = p->active < 0 ? NULL : p->active ? "true" : "false";
	res = hub_db_exec(c, set_sql, 10, params, NULL, err);
	free(codes);
	if (res == NULL)
		return DUKA_EDB;
	*seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return DUKA_OK;
}

/* Commit (ok) or roll back what hub_catalog_begin() started. */
int
hub_catalog_end(PGconn *c, int ok, struct duka_err *err)
{
	int rc;

	if (ok && (rc = hub_db_run(c, "COMMIT", 0, NULL, err)) == DUKA_OK)
		return DUKA_OK;
	hub_db_run(c, "ROLLBACK", 0, NULL, NULL);
	return ok ? DUKA_EDB : DUKA_OK;
}

int
hub_catalog_set(PGconn *c, const char *code, const struct hub_product *p,
    int64_t *seq, struct duka_err *err)
{
	char shop_id[24];
	int rc;

	if ((rc = hub_catalog_begin(c, code, shop_id, err)) != DUKA_OK)
		return rc;
	rc = hub_catalog_put(c, shop_id, p, seq, err);
	if (rc != DUKA_OK) {
		hub_catalog_end(c, 0, NULL);
		return rc;
	}
	return hub_catalog_end(c, 1, err);
}
