/*
 * park.c - parking carts in the database and taking them up again.
 *
 * The parked copy is JSON (jansson) with what the cart API needs to build
 * the cart again, and nothing it computes:
 *
 *	{ "version": 1, "total": 25000, "lines": [ { "product_id": 7,
 *	  "sku": "SUG1", "name": "Sugar 1kg", "unit": "piece",
 *	  "tax": "standard", "price": 15000, "qty": 2000,
 *	  "override": null, "disc_amount": 0, "disc_bp": 0 }, ... ],
 *	  "sale_disc_amount": 0, "sale_disc_bp": 500 }
 *
 * "total" is only for the list of parked carts; resuming recomputes it.
 * Rebuilding adds each line with cart_add and then sets its override and
 * discount, so that the cart's own rules check every figure again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "i18n.h"
#include "park.h"
#include "text.h"

/* The format of the parked JSON this code writes and reads. */
#define PARK_VERSION 1
/* The longest label, in characters. */
#define PARK_LABEL_CHARS 60

/* Refuse a till id that cannot be one. */
static int
park_check_till(const char *till_id, struct duka_err *err)
{
	if (till_id == NULL || *till_id == '\0')
		return duka_fail(err, DUKA_EINPUT,
		    _("no till id: set [till] id in duka.conf"));
	if (strlen(till_id) >= sizeof ((struct parked_cart *)0)->till_id)
		return duka_fail(err, DUKA_EINPUT,
		    _("the till id \"%.40s\" is too long"), till_id);
	return DUKA_OK;
}

/* The JSON copy of cart c, or NULL when out of memory. */
static json_t *
park_encode(const struct cart *c)
{
	const struct cart_line *l;
	json_t *root, *lines, *o;
	int i;

	lines = json_array();
	if (lines == NULL)
		return NULL;
	for (i = 0; i < c->n; i++) {
		l = &c->line[i];
		o = json_pack("{sI ss ss ss ss sI sI so sI sI}",
		    "product_id", (json_int_t)l->product_id, "sku", l->sku,
		    "name", l->name, "unit", product_unit_name(l->unit),
		    "tax", tax_class_name(l->tax), "price", (json_int_t)l->price,
		    "qty", (json_int_t)l->qty, "override",
		    l->override == CART_NO_OVERRIDE ? json_null() :
		    json_integer(l->override), "disc_amount",
		    (json_int_t)l->disc_amount, "disc_bp",
		    (json_int_t)l->disc_bp);
		if (o == NULL || json_array_append_new(lines, o) != 0) {
			json_decref(lines);
			return NULL;
		}
	}
	root = json_pack("{si sI so sI sI}", "version", PARK_VERSION,
	    "total", (json_int_t)c->sum.total, "lines", lines,
	    "sale_disc_amount", (json_int_t)c->sale_disc_amount,
	    "sale_disc_bp", (json_int_t)c->sale_disc_bp);
	return root;
}

int
park_save(struct db *db, const char *till_id, const char *user,
    const char *label, const struct cart *c, int64_t *id,
    struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	json_t *root;
	char *text;
	int rc;

	if ((rc = park_check_till(till_id, err)) != DUKA_OK)
		return rc;
	if (c == NULL || c->n == 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the sale has no lines: there is nothing to park"));
	if (label != NULL && *label != '\0' && (rc = text_check_name(label,
	    PARK_LABEL_CHARS, _("label"), err)) != DUKA_OK)
		return rc;
	if ((root = park_encode(c)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	date_now_timestamp(at);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		goto out;
	st = db_stmt(db, "INSERT INTO parked_carts(till_id, label, user_name, "
	    "cart, parked_at) VALUES (?1, ?2, ?3, ?4, ?5)", err);
	if (st == NULL) {
		rc = err->code;
		db_rollback(db);
		goto out;
	}
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 2, label);
	db_bind_text_or_null(st, 3, user);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("parking the sale"));
		db_rollback(db);
		goto out;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db_sqlite(db));
	rc = db_commit(db, err);
out:
	free(text);
	return rc;
}

/* Count the lines and read the total of a parked copy; 0s if damaged. */
static void
park_summary(const char *text, struct parked_cart *p)
{
	json_t *root, *lines, *total;

	p->lines = 0;
	p->total = 0;
	if ((root = json_loads(text, 0, NULL)) == NULL)
		return;
	if ((lines = json_object_get(root, "lines")) != NULL &&
	    json_is_array(lines))
		p->lines = (int)json_array_size(lines);
	if ((total = json_object_get(root, "total")) != NULL &&
	    json_is_integer(total))
		p->total = json_integer_value(total);
	json_decref(root);
}

int
park_list(struct db *db, const char *till_id,
    void (*fn)(void *ctx, const struct parked_cart *p), void *ctx,
    struct duka_err *err)
{
	struct parked_cart p;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, till_id, label, user_name, parked_at, "
	    "cart FROM parked_carts WHERE ?1 IS NULL OR till_id = ?1 "
	    "ORDER BY parked_at, id", err);
	if (st == NULL)
		return err->code;
	db_bind_text_or_null(st, 1, till_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, p.till_id, sizeof p.till_id);
		db_column_copy(st, 2, p.label, sizeof p.label);
		db_column_copy(st, 3, p.user, sizeof p.user);
		db_column_copy(st, 4, p.parked_at, sizeof p.parked_at);
		park_summary((const char *)sqlite3_column_text(st, 5), &p);
		fn(ctx, &p);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the parked sales"));
	return DUKA_OK;
}

/* A parked line, read back. */
struct parked_line {
	struct product p;
	int64_t qty, override, disc_amount, disc_bp;
};

/* Read line i of a parked copy; DUKA_EFAIL naming it if damaged. */
static int
park_decode_line(int64_t id, int i, json_t *o, struct parked_line *pl,
    struct duka_err *err)
{
	const char *sku, *name, *unit, *tax;
	json_int_t pid, price, qty, amount, bp;
	json_t *over;

	if (json_unpack(o, "{sI ss ss ss ss sI sI so sI sI}", "product_id",
	    &pid, "sku", &sku, "name", &name, "unit", &unit, "tax", &tax,
	    "price", &price, "qty", &qty, "override", &over, "disc_amount",
	    &amount, "disc_bp", &bp) != 0 ||
	    strlen(sku) >= SKU_MAX || strlen(name) >= PRODUCT_NAME_MAX ||
	    (!json_is_null(over) && !json_is_integer(over)))
		return duka_fail(err, DUKA_EFAIL, _("parked sale %lld is "
		    "damaged at line %d"), (long long)id, i + 1);
	product_init(&pl->p);
	pl->p.id = pid;
	memcpy(pl->p.sku, sku, strlen(sku) + 1);
	memcpy(pl->p.name, name, strlen(name) + 1);
	if (product_unit_parse(unit, &pl->p.unit, NULL) != DUKA_OK ||
	    tax_class_parse(tax, &pl->p.tax, NULL) != DUKA_OK)
		return duka_fail(err, DUKA_EFAIL, _("parked sale %lld is "
		    "damaged at line %d"), (long long)id, i + 1);
	pl->p.price = price;
	pl->p.active = 1;
	pl->qty = qty;
	pl->override = json_is_null(over) ? CART_NO_OVERRIDE :
	    json_integer_value(over);
	pl->disc_amount = amount;
	pl->disc_bp = bp;
	return DUKA_OK;
}

/*
 * Keep lines of out that line p could merge with apart, by setting their
 * override to their own price (which changes no amount): cart_add would
 * otherwise add p to such a line, where the parked cart had two lines.
 * Marks them in pinned.
 */
static int
park_pin(struct cart *out, const struct product *p, char *pinned,
    struct duka_err *err)
{
	const struct cart_line *l;
	int j, rc;

	for (j = 0; j < out->n; j++) {
		l = &out->line[j];
		if (l->product_id != p->id || l->unit != UNIT_PIECE ||
		    p->unit != UNIT_PIECE || l->override != CART_NO_OVERRIDE ||
		    l->disc_amount != 0 || l->disc_bp != 0)
			continue;
		if ((rc = cart_price_override(out, j, l->price, err)) !=
		    DUKA_OK)
			return rc;
		pinned[j] = 1;
	}
	return DUKA_OK;
}

/* Build out from a parked copy, through the cart API. */
static int
park_rebuild(int64_t id, const char *text, struct cart *out,
    struct duka_err *err)
{
	struct parked_line pl;
	json_t *root, *lines, *v;
	json_int_t amount = 0, bp = 0;
	char *pinned = NULL;
	size_t i, n;
	int version = 0, rc;

	root = json_loads(text, 0, NULL);
	if (root == NULL || json_unpack(root, "{si so sI sI}", "version",
	    &version, "lines", &lines, "sale_disc_amount", &amount,
	    "sale_disc_bp", &bp) != 0 || version != PARK_VERSION ||
	    !json_is_array(lines) || (n = json_array_size(lines)) == 0 ||
	    n > CART_MAX_LINES) {
		rc = duka_fail(err, DUKA_EFAIL, _("parked sale %lld is "
		    "damaged"), (long long)id);
		goto out;
	}
	if ((pinned = calloc(n, 1)) == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto out;
	}
	json_array_foreach(lines, i, v) {
		if ((rc = park_decode_line(id, (int)i, v, &pl, err)) !=
		    DUKA_OK ||
		    (rc = park_pin(out, &pl.p, pinned, err)) != DUKA_OK ||
		    (rc = cart_add(out, &pl.p, pl.qty, err)) != DUKA_OK)
			goto out;
		if ((size_t)out->n != i + 1) {
			rc = duka_fail(err, DUKA_EFAIL, _("parked sale %lld is "
			    "damaged at line %d"), (long long)id, (int)i + 1);
			goto out;
		}
		if (pl.override != CART_NO_OVERRIDE && (rc =
		    cart_price_override(out, (int)i, pl.override, err)) != 0)
			goto out;
		if (pl.disc_amount != 0)
			rc = cart_line_discount_amount(out, (int)i,
			    pl.disc_amount, err);
		else if (pl.disc_bp != 0)
			rc = cart_line_discount_percent(out, (int)i,
			    pl.disc_bp, err);
		if (rc != DUKA_OK)
			goto out;
	}
	for (i = 0; i < n; i++)
		if (pinned[i] && (rc = cart_price_override(out, (int)i,
		    CART_NO_OVERRIDE, err)) != DUKA_OK)
			goto out;
	rc = DUKA_OK;
	if (amount != 0)
		rc = cart_sale_discount_amount(out, amount, err);
	else if (bp != 0)
		rc = cart_sale_discount_percent(out, bp, err);
out:
	free(pinned);
	json_decref(root);
	return rc;
}

int
park_resume(struct db *db, int64_t id, struct cart *out,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	char *text = NULL;
	int rc;

	if (out->n != 0)
		return duka_fail(err, DUKA_EINPUT, _("finish or park the sale "
		    "on screen before taking up a parked one"));
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT cart FROM parked_carts WHERE id = ?1", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		text = strdup((const char *)sqlite3_column_text(st, 0));
	db_done(st);
	if (rc == SQLITE_DONE) {
		rc = duka_fail(err, DUKA_ENOTFOUND, _("there is no parked sale "
		    "number %lld"), (long long)id);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(db, err, _("reading the parked sale"));
		goto fail;
	}
	if (text == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if ((rc = park_rebuild(id, text, out, err)) != DUKA_OK ||
	    (rc = db_exec_bound_id(db, "DELETE FROM parked_carts WHERE "
	    "id = ?1", id, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK) {
		cart_clear(out);
		goto out;
	}
	goto out;
fail:
	cart_clear(out);
	db_rollback(db);
out:
	free(text);
	return rc;
}

int
park_drop(struct db *db, int64_t id, struct duka_err *err)
{
	int rc;

	/* One DELETE: atomic on its own, or part of the caller's
	 * transaction. */
	if ((rc = db_exec_bound_id(db, "DELETE FROM parked_carts WHERE "
	    "id = ?1", id, err)) != DUKA_OK)
		return rc;
	if (sqlite3_changes(db_sqlite(db)) != 1)
		return duka_fail(err, DUKA_ENOTFOUND, _("there is no parked "
		    "sale number %lld"), (long long)id);
	return DUKA_OK;
}
