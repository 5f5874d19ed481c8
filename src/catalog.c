/*
 * catalog.c - products, barcodes, categories, suppliers and search.
 *
 * Validation happens before any write, so a refused product leaves no
 * trace. Every write runs in its own transaction (nested as a savepoint
 * inside an import) together with its product.changed outbox event.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "catalog.h"
#include "i18n.h"
#include "outbox.h"
#include "text.h"
#include "user.h"

/* Beyond this a price is a typing mistake, not a product: KSh 10 million. */
#define PRICE_MAX 1000000000LL
/* A reorder level or pack size of a million units is a typing mistake. */
#define QTY_MAX 1000000000LL

static const char *const unit_names[] = { "piece", "kg", "litre" };

static int catalog_barcode_insert(struct db *, int64_t, const char *,
    char[BARCODE_MAX], struct duka_err *);

void
product_init(struct product *p)
{
	memset(p, 0, sizeof *p);
	p->unit = UNIT_PIECE;
	p->tax = TAX_STANDARD;
	p->pack_size = 1000;
	p->active = 1;
}

const char *
product_unit_name(enum product_unit u)
{
	if ((unsigned)u >= sizeof unit_names / sizeof unit_names[0])
		return "piece";
	return unit_names[u];
}

const char *
product_unit_short(enum product_unit u)
{
	switch (u) {
	case UNIT_KG:
		return _("kg");
	case UNIT_LITRE:
		return _("l");
	case UNIT_PIECE:
		break;
	}
	return _("pc");
}

int
product_unit_parse(const char *text, enum product_unit *u,
    struct duka_err *err)
{
	static const struct {
		const char *word;
		enum product_unit unit;
	} words[] = {
		{ "piece", UNIT_PIECE }, { "pc", UNIT_PIECE },
		{ "pcs", UNIT_PIECE }, { "each", UNIT_PIECE },
		{ "kipande", UNIT_PIECE }, { "kg", UNIT_KG },
		{ "kilo", UNIT_KG }, { "kilogram", UNIT_KG },
		{ "litre", UNIT_LITRE }, { "liter", UNIT_LITRE },
		{ "l", UNIT_LITRE }, { "lita", UNIT_LITRE },
	};
	char word[16];
	size_t i;

	if (text_trim_copy(text, word, sizeof word) == 0)
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcasecmp(word, words[i].word) == 0) {
				*u = words[i].unit;
				return DUKA_OK;
			}
	return duka_fail(err, DUKA_EINPUT,
	    _("\"%s\" is not a unit; use piece, kg or litre"), text);
}

/* Check a SKU: 1..32 of letters, digits and . _ - / */
static int
catalog_check_sku(const char *sku, struct duka_err *err)
{
	size_t i, n = strlen(sku);

	if (n == 0)
		return duka_fail(err, DUKA_EINPUT, _("the SKU is empty"));
	if (n > SKU_MAX - 1)
		return duka_fail(err, DUKA_EINPUT,
		    _("the SKU \"%s\" is longer than %d characters"), sku,
		    SKU_MAX - 1);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)sku[i]) &&
		    strchr("._-/", sku[i]) == NULL)
			return duka_fail(err, DUKA_EINPUT,
			    _("the SKU \"%s\" may hold only letters, digits and "
			    ". _ - /"), sku);
	return DUKA_OK;
}

/* Check a quantity field such as the reorder level. */
static int
catalog_check_qty(const char *what, int64_t v, int64_t min,
    struct duka_err *err)
{
	char buf[MONEY_MAX_TEXT];

	if (v >= min && v <= QTY_MAX)
		return DUKA_OK;
	qty_format(v, buf, sizeof buf);
	return duka_fail(err, DUKA_EINPUT, _("%s %s is out of range"), what,
	    buf);
}

/*
 * Check every field of p before it is written, and put a reorder date
 * typed as DD/MM/YYYY in its stored YYYY-MM-DD form (dates compare as text).
 */
static int
catalog_check_product(struct product *p, struct duka_err *err)
{
	int rc;

	if ((rc = catalog_check_sku(p->sku, err)) != DUKA_OK)
		return rc;
	if ((rc = text_check_name(p->name, 120, _("product name"), err)) != 0)
		return rc;
	if (p->price < 0 || p->price > PRICE_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the price must be between 0 and 10,000,000.00"),
		    p->name);
	if (p->cost < 0 || p->cost > PRICE_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the cost must be between 0 and 10,000,000.00"),
		    p->name);
	if (tax_rate_bp(p->tax) < 0 || (unsigned)p->unit > UNIT_LITRE)
		return duka_fail(err, DUKA_EINPUT, _("%s: bad unit or tax class"),
		    p->name);
	if ((rc = catalog_check_qty(_("reorder level"), p->reorder_level, 0,
	    err)) != 0 || (rc = catalog_check_qty(_("reorder quantity"),
	    p->reorder_qty, 0, err)) != 0 ||
	    (rc = catalog_check_qty(_("pack size"), p->pack_size, 1, err)) != 0)
		return rc;
	if (p->lead_time_days < 0 || p->lead_time_days > 365)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the lead time must be 0 to 365 days"), p->name);
	if (p->reorder_date[0] != '\0') {
		char d[DATE_LEN];
		if ((rc = date_parse(p->reorder_date, d, err)) != DUKA_OK)
			return rc;
		memcpy(p->reorder_date, d, sizeof d);
	}
	return DUKA_OK;
}

/* Build the product.changed event of product id and queue it. */
static int
catalog_event(struct db *db, int64_t id, struct duka_err *err)
{
	struct product p;
	json_t *data, *codes;
	sqlite3_stmt *st;
	int rc;

	if ((rc = catalog_product_get(db, id, &p, err)) != DUKA_OK)
		return rc;
	codes = json_array();
	st = db_stmt(db, "SELECT code FROM barcodes WHERE product_id = ?1 "
	    "ORDER BY created_at, code", err);
	if (st == NULL) {
		json_decref(codes);
		return err->code;
	}
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(codes,
		    json_string((const char *)sqlite3_column_text(st, 0)));
	db_done(st);
	data = json_pack("{sI ss ss ss ss sI sI ss sI sI sI sb sb so}",
	    "product_id", (json_int_t)p.id, "sku", p.sku, "name", p.name,
	    "category", p.category, "unit", product_unit_name(p.unit),
	    "price", (json_int_t)p.price, "cost", (json_int_t)p.cost,
	    "tax_class", tax_class_name(p.tax),
	    "reorder_level", (json_int_t)p.reorder_level,
	    "reorder_qty", (json_int_t)p.reorder_qty,
	    "pack_size", (json_int_t)p.pack_size,
	    "tracks_expiry", p.tracks_expiry, "active", p.active,
	    "barcodes", codes);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	return outbox_add(db, "product.changed", data, err);
}

/* Bind the editable fields of p to ?2..?15 of an INSERT or UPDATE. */
static void
catalog_bind_product(sqlite3_stmt *st, const struct product *p,
    const char *now)
{
	sqlite3_bind_text(st, 2, p->sku, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, p->name, -1, SQLITE_TRANSIENT);
	if (p->category_id > 0)
		sqlite3_bind_int64(st, 4, p->category_id);
	if (p->supplier_id > 0)
		sqlite3_bind_int64(st, 5, p->supplier_id);
	sqlite3_bind_text(st, 6, product_unit_name(p->unit), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, p->price);
	sqlite3_bind_int64(st, 8, p->cost);
	sqlite3_bind_text(st, 9, tax_class_name(p->tax), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, p->reorder_level);
	sqlite3_bind_int64(st, 11, p->reorder_qty);
	sqlite3_bind_int64(st, 12, p->pack_size);
	sqlite3_bind_int64(st, 13, p->lead_time_days);
	sqlite3_bind_int(st, 14, p->tracks_expiry ? 1 : 0);
	db_bind_text_or_null(st, 15, p->reorder_date);
	sqlite3_bind_text(st, 16, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 17, p->active ? 1 : 0);
}

/* Is sku taken by a product other than self? Fills the holder's name. */
static int
catalog_sku_taken(struct db *db, const char *sku, int64_t self,
    char *holder, size_t n, struct duka_err *err)
{
	sqlite3_stmt *st;
	int taken;

	st = db_stmt(db, "SELECT name FROM products WHERE sku = ?1 AND id <> ?2",
	    err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, self);
	taken = sqlite3_step(st) == SQLITE_ROW;
	if (taken)
		snprintf(holder, n, "%s", sqlite3_column_text(st, 0));
	db_done(st);
	return taken;
}

/*
 * The "starts" column of the search index: "^^" before the first word of
 * name and "^" before every other word. Returns -1 if it does not fit.
 */
static int
catalog_starts(const char *name, char *out, size_t n)
{
	size_t o = 0;
	int word = 0;

	for (; *name != '\0'; name++) {
		if (o + 4 >= n)
			return -1;
		if (*name == ' ')
			word = 1;
		else if (word || o == 0) {
			if (o == 0)
				out[o++] = '^';
			out[o++] = '^';
			word = 0;
		}
		out[o++] = *name;
	}
	out[o] = '\0';
	return 0;
}

/*
 * Rewrite the search index row of product id from its current data. The
 * values are bound one by one: FTS5 flushes its pending index data at the
 * statement savepoint that an INSERT ... SELECT opens, which made a bulk
 * import five times slower. A new product has no row to delete.
 */
static int
catalog_fts_refresh(struct db *db, int64_t id, int is_new,
    struct duka_err *err)
{
	char starts[PRODUCT_NAME_MAX * 2], name[PRODUCT_NAME_MAX], sku[SKU_MAX];
	sqlite3_stmt *st;
	int rc;

	if (!is_new && (rc = db_exec_bound_id(db, "DELETE FROM products_fts "
	    "WHERE rowid = ?1", id, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT name, sku FROM products WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_column_copy(st, 0, name, sizeof name);
		db_column_copy(st, 1, sku, sizeof sku);
	}
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("updating the search index"));
	if (catalog_starts(name, starts, sizeof starts) != 0)
		starts[0] = '\0';
	st = db_stmt(db, "INSERT INTO products_fts(rowid, name, sku, codes, "
	    "starts) VALUES (?1, ?2, ?3, coalesce((SELECT group_concat(code, "
	    "' ') FROM barcodes WHERE product_id = ?1), ''), ?4)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, starts, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("updating the search index"));
}

/* Nonzero while this thread applies changes that came from the hub. */
static __thread int catalog_from_hub;

void
catalog_set_from_hub(int on)
{
	catalog_from_hub = on != 0;
}

/* Finish a write: search index, event, commit; on failure roll back. */
static int
catalog_finish(struct db *db, int64_t id, int is_new, int rc,
    struct duka_err *err)
{
	if (rc == DUKA_OK)
		rc = catalog_fts_refresh(db, id, is_new, err);
	if (rc == DUKA_OK && !catalog_from_hub)
		rc = catalog_event(db, id, err);
	if (rc == DUKA_OK)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

/* Changes from the hub were allowed where they were made; changes here
 * need PERM_CATALOG (user.h). */
static int
catalog_allowed(struct db *db, struct duka_err *err)
{
	return catalog_from_hub ? DUKA_OK :
	    perm_require(db, PERM_CATALOG, err);
}

/*
 * The audit row of a product change: what it was and what it became, in
 * short (price and cost in full, the rest by name). old NULL: added.
 */
static int
catalog_audit(struct db *db, const char *action, const struct product *old,
    const struct product *p, struct duka_err *err)
{
	char detail[700], a[MONEY_MAX_TEXT], b[MONEY_MAX_TEXT];
	size_t n;

	n = (size_t)snprintf(detail, sizeof detail, "%s %.120s", p->sku,
	    p->name);
	if (old == NULL) {
		money_format(p->price, a, sizeof a);
		snprintf(detail + n, sizeof detail - n, " price %s", a);
	} else {
		if (old->price != p->price && n < sizeof detail) {
			money_format(old->price, a, sizeof a);
			money_format(p->price, b, sizeof b);
			n += (size_t)snprintf(detail + n, sizeof detail - n,
			    " price %s -> %s", a, b);
		}
		if (old->cost != p->cost && n < sizeof detail) {
			money_format(old->cost, a, sizeof a);
			money_format(p->cost, b, sizeof b);
			n += (size_t)snprintf(detail + n, sizeof detail - n,
			    " cost %s -> %s", a, b);
		}
		if (old->active != p->active && n < sizeof detail)
			n += (size_t)snprintf(detail + n, sizeof detail - n,
			    p->active ? " reactivated" : " deactivated");
		if (strcmp(old->name, p->name) != 0 && n < sizeof detail)
			n += (size_t)snprintf(detail + n, sizeof detail - n,
			    " renamed from %.120s", old->name);
		if (strcmp(old->sku, p->sku) != 0 && n < sizeof detail)
			snprintf(detail + n, sizeof detail - n,
			    " SKU was %s", old->sku);
	}
	return audit_add(db, catalog_from_hub ? "hub" : NULL, action,
	    "product", p->id, detail, err);
}

/* Insert p's row (checked already); sets p->id. */
static int
catalog_insert(struct db *db, struct product *p, struct duka_err *err)
{
	char now[TIMESTAMP_LEN], holder[PRODUCT_NAME_MAX];
	sqlite3_stmt *st;
	int rc, taken;

	taken = catalog_sku_taken(db, p->sku, 0, holder, sizeof holder, err);
	if (taken < 0)
		return err->code;
	if (taken)
		return duka_fail(err, DUKA_EINPUT,
		    _("the SKU %s is already used by \"%s\""), p->sku, holder);
	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO products(sku, name, category_id, "
	    "supplier_id, unit, price, cost, tax_class, reorder_level, "
	    "reorder_qty, pack_size, lead_time_days, tracks_expiry, "
	    "reorder_date, created_at, updated_at, active) VALUES (?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17)",
	    err);
	if (st == NULL)
		return err->code;
	catalog_bind_product(st, p, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("adding a product"));
	db_done(st);
	if (rc == DUKA_OK)
		p->id = sqlite3_last_insert_rowid(db_sqlite(db));
	return rc;
}

int
catalog_product_create(struct db *db, struct product *p,
    const char *const *codes, int ncodes, const char *user,
    struct duka_err *err)
{
	int i, rc;

	(void)user;
	text_trim(p->sku);
	text_trim(p->name);
	if ((rc = catalog_check_product(p, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_allowed(db, err)) == DUKA_OK)
		rc = catalog_insert(db, p, err);
	for (i = 0; rc == DUKA_OK && i < ncodes; i++)
		rc = catalog_barcode_insert(db, p->id, codes[i], NULL, err);
	if (rc == DUKA_OK)
		rc = catalog_audit(db, "product.add", NULL, p, err);
	if (rc != DUKA_OK)
		p->id = 0;
	return catalog_finish(db, p->id, 1, rc, err);
}

int
catalog_product_add(struct db *db, struct product *p, const char *user,
    struct duka_err *err)
{
	return catalog_product_create(db, p, NULL, 0, user, err);
}

int
catalog_product_update(struct db *db, const struct product *p,
    const char *user, struct duka_err *err)
{
	char now[TIMESTAMP_LEN], holder[PRODUCT_NAME_MAX];
	struct product old, q = *p;
	sqlite3_stmt *st;
	int rc, taken;

	(void)user;
	text_trim(q.sku);
	text_trim(q.name);
	if ((rc = catalog_check_product(&q, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_allowed(db, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, q.id, &old, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	taken = catalog_sku_taken(db, q.sku, q.id, holder, sizeof holder, err);
	if (taken != 0) {
		db_rollback(db);
		if (taken < 0)
			return err->code;
		return duka_fail(err, DUKA_EINPUT,
		    _("the SKU %s is already used by \"%s\""), q.sku, holder);
	}
	date_now_timestamp(now);
	st = db_stmt(db, "UPDATE products SET sku = ?2, name = ?3, "
	    "category_id = ?4, supplier_id = ?5, unit = ?6, price = ?7, "
	    "cost = ?8, tax_class = ?9, reorder_level = ?10, reorder_qty = ?11, "
	    "pack_size = ?12, lead_time_days = ?13, tracks_expiry = ?14, "
	    "reorder_date = ?15, updated_at = ?16, active = ?17 WHERE id = ?1",
	    err);
	if (st == NULL) {
		db_rollback(db);
		return err->code;
	}
	sqlite3_bind_int64(st, 1, q.id);
	catalog_bind_product(st, &q, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("changing a product"));
	db_done(st);
	if (rc == DUKA_OK)
		rc = catalog_audit(db, old.price != q.price ? "product.price" :
		    "product.change", &old, &q, err);
	return catalog_finish(db, q.id, 0, rc, err);
}

int
catalog_product_set_active(struct db *db, int64_t id, int active,
    const char *user, struct duka_err *err)
{
	struct product p;
	int rc;

	if ((rc = catalog_product_get(db, id, &p, err)) != DUKA_OK)
		return rc;
	p.active = active ? 1 : 0;
	return catalog_product_update(db, &p, user, err);
}

int
catalog_product_delete(struct db *db, int64_t id, struct duka_err *err)
{
	struct product p;
	sqlite3_stmt *st;
	int rc;

	if ((rc = catalog_product_get(db, id, &p, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_allowed(db, err)) != DUKA_OK ||
	    (rc = catalog_audit(db, "product.delete", NULL, &p, err)) != 0) {
		db_rollback(db);
		return rc;
	}
	st = db_stmt(db, "SELECT 1 FROM stock_movements WHERE product_id = ?1 "
	    "LIMIT 1", err);
	if (st == NULL) {
		db_rollback(db);
		return err->code;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_ROW) {
		db_rollback(db);
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" has stock history and cannot be deleted; "
		    "deactivate it instead"), p.name);
	}
	rc = db_exec_bound_id(db, "DELETE FROM barcodes WHERE product_id = ?1",
	    id, err);
	if (rc == DUKA_OK)
		rc = db_exec_bound_id(db, "DELETE FROM products_fts "
		    "WHERE rowid = ?1", id, err);
	if (rc == DUKA_OK)
		rc = db_exec_bound_id(db, "DELETE FROM products WHERE id = ?1", id,
		    err);
	/* The hub must forget the product too. */
	if (rc == DUKA_OK)
		rc = outbox_add(db, "product.changed", json_pack("{sI ss sb}",
		    "product_id", (json_int_t)id, "sku", p.sku, "deleted", 1),
		    err);
	if (rc != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* Fill p from a row of the product SELECT used by get and find. */
static void
catalog_read_product(sqlite3_stmt *st, struct product *p)
{
	enum product_unit u = UNIT_PIECE;
	enum tax_class t = TAX_STANDARD;
	const char *s;

	product_init(p);
	p->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, p->sku, sizeof p->sku);
	db_column_copy(st, 2, p->name, sizeof p->name);
	p->category_id = sqlite3_column_int64(st, 3);
	db_column_copy(st, 4, p->category, sizeof p->category);
	p->supplier_id = sqlite3_column_int64(st, 5);
	s = (const char *)sqlite3_column_text(st, 6);
	if (s != NULL && product_unit_parse(s, &u, NULL) == DUKA_OK)
		p->unit = u;
	p->price = sqlite3_column_int64(st, 7);
	p->cost = sqlite3_column_int64(st, 8);
	s = (const char *)sqlite3_column_text(st, 9);
	if (s != NULL && tax_class_parse(s, &t, NULL) == DUKA_OK)
		p->tax = t;
	p->reorder_level = sqlite3_column_int64(st, 10);
	p->reorder_qty = sqlite3_column_int64(st, 11);
	p->pack_size = sqlite3_column_int64(st, 12);
	p->lead_time_days = sqlite3_column_int64(st, 13);
	p->tracks_expiry = sqlite3_column_int(st, 14);
	p->active = sqlite3_column_int(st, 15);
	db_column_copy(st, 16, p->reorder_date, sizeof p->reorder_date);
	p->stock_qty = sqlite3_column_int64(st, 17);
}

#define PRODUCT_COLUMNS \
	"SELECT p.id, p.sku, p.name, p.category_id, c.name, p.supplier_id, " \
	"p.unit, p.price, p.cost, p.tax_class, p.reorder_level, " \
	"p.reorder_qty, p.pack_size, p.lead_time_days, p.tracks_expiry, " \
	"p.active, p.reorder_date, p.stock_qty FROM products p " \
	"LEFT JOIN categories c ON c.id = p.category_id "

/* Run a product SELECT with one bound key; ENOTFOUND when no row. */
static int
catalog_fetch(struct db *db, sqlite3_stmt *st, struct product *p,
    struct duka_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		catalog_read_product(st, p);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc == SQLITE_DONE)
		return DUKA_ENOTFOUND;
	return db_fail(db, err, _("reading a product"));
}

int
catalog_product_get(struct db *db, int64_t id, struct product *p,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, PRODUCT_COLUMNS "WHERE p.id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = catalog_fetch(db, st, p, err);
	if (rc == DUKA_ENOTFOUND)
		return duka_fail(err, rc, _("there is no product number %lld"),
		    (long long)id);
	return rc;
}

int
catalog_product_find(struct db *db, const char *code, struct product *p,
    struct duka_err *err)
{
	char norm[BARCODE_MAX], key[BARCODE_MAX];
	struct duka_err berr = { 0, "" };
	enum barcode_kind kind;
	sqlite3_stmt *st;
	int rc, is_code;

	if (text_trim_copy(code, key, sizeof key) != 0 || key[0] == '\0')
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("no product has the code \"%.40s\""), code);
	is_code = barcode_normalize(key, norm, &kind, &berr) == DUKA_OK;
	if (is_code) {
		st = db_stmt(db, PRODUCT_COLUMNS "JOIN barcodes b ON "
		    "b.product_id = p.id WHERE b.code = ?1", err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
		if ((rc = catalog_fetch(db, st, p, err)) != DUKA_ENOTFOUND)
			return rc;
	}
	st = db_stmt(db, PRODUCT_COLUMNS "WHERE p.sku = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if ((rc = catalog_fetch(db, st, p, err)) != DUKA_ENOTFOUND)
		return rc;
	if (!is_code && berr.msg[0] != '\0' && text_is_digits(key))
		return duka_fail(err, DUKA_ENOTFOUND, "%s", berr.msg);
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("no product has the barcode or SKU \"%s\""), key);
}

/*
 * Add code to product_id inside the caller's transaction; a code that is
 * taken is refused, naming its product.
 */
static int
catalog_barcode_insert(struct db *db, int64_t product_id, const char *code,
    char out[BARCODE_MAX], struct duka_err *err)
{
	char norm[BARCODE_MAX], now[TIMESTAMP_LEN];
	enum barcode_kind kind;
	struct product holder;
	sqlite3_stmt *st;
	int rc;

	if ((rc = barcode_normalize(code, norm, &kind, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, PRODUCT_COLUMNS "JOIN barcodes b ON "
	    "b.product_id = p.id WHERE b.code = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
	rc = catalog_fetch(db, st, &holder, err);
	if (rc == DUKA_OK)
		return duka_fail(err, DUKA_EINPUT,
		    _("the barcode %s is already used by \"%s\" (SKU %s)"),
		    norm, holder.name, holder.sku);
	if (rc != DUKA_ENOTFOUND)
		return rc;
	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO barcodes(code, product_id, kind, "
	    "created_at) VALUES (?1, ?2, ?3, ?4)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, product_id);
	sqlite3_bind_text(st, 3, barcode_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("adding a barcode"));
	db_done(st);
	if (rc == DUKA_OK && out != NULL)
		memcpy(out, norm, BARCODE_MAX);
	return rc;
}

int
catalog_barcode_add(struct db *db, int64_t product_id, const char *code,
    char out[BARCODE_MAX], struct duka_err *err)
{
	struct product p;
	int rc;

	if ((rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_allowed(db, err)) == DUKA_OK)
		rc = catalog_barcode_insert(db, product_id, code, out, err);
	if (rc == DUKA_OK)
		rc = audit_add(db, catalog_from_hub ? "hub" : NULL,
		    "product.barcode_add", "product", product_id, code, err);
	return catalog_finish(db, product_id, 0, rc, err);
}

int
catalog_barcode_remove(struct db *db, const char *code, struct duka_err *err)
{
	char norm[BARCODE_MAX];
	enum barcode_kind kind;
	struct product p;
	sqlite3_stmt *st;
	int rc;

	if ((rc = barcode_normalize(code, norm, &kind, err)) != DUKA_OK)
		return rc;
	/* By barcode only: a SKU that looks like the code is not one. */
	st = db_stmt(db, PRODUCT_COLUMNS "JOIN barcodes b ON "
	    "b.product_id = p.id WHERE b.code = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
	if ((rc = catalog_fetch(db, st, &p, err)) == DUKA_ENOTFOUND)
		return duka_fail(err, rc, _("no product has the barcode %s"),
		    norm);
	if (rc != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_allowed(db, err)) == DUKA_OK)
		rc = db_exec_bound_text(db, "DELETE FROM barcodes WHERE "
		    "code = ?1", norm, err);
	if (rc == DUKA_OK)
		rc = audit_add(db, catalog_from_hub ? "hub" : NULL,
		    "product.barcode_remove", "product", p.id, norm, err);
	return catalog_finish(db, p.id, 0, rc, err);
}

int
catalog_barcodes(struct db *db, int64_t product_id,
    void (*fn)(void *ctx, const char *code, const char *kind), void *ctx,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT code, kind FROM barcodes WHERE product_id = ?1 "
	    "ORDER BY created_at, code", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading barcodes"));
}

/*
 * The search tiers, best first: names that start with the text, names in
 * which every word of the text starts a word, then the text anywhere in
 * name, SKU or barcodes. Each tier is a plain trigram match with a LIMIT,
 * so the work per keystroke stays bounded however many products match.
 */
enum search_tier { TIER_NAME_START, TIER_WORD_START, TIER_ANYWHERE };

/*
 * Append the phrase col "prefix word" and a space to out at *o (the
 * caller checked the room); a quote in the word is doubled, so that
 * nothing typed is FTS5 syntax.
 */
static void
catalog_fts_phrase(char *out, size_t *o, const char *col,
    const char *prefix, const char *word, size_t len)
{
	size_t i;

	*o += (size_t)sprintf(out + *o, "%s\"%s", col, prefix);
	for (i = 0; i < len; i++) {
		if (word[i] == '"')
			out[(*o)++] = '"';
		out[(*o)++] = word[i];
	}
	out[(*o)++] = '"';
	out[(*o)++] = ' ';
	out[*o] = '\0';
}

/*
 * Build the FTS5 query of a tier from the words of q. Returns 0 when the
 * tier cannot be asked (the anywhere tier needs words of three or more
 * characters, the trigram minimum). A one-character word after the first
 * would be "^x", below that minimum, and match nothing: it is asked as
 * " ^x" (a later word) or "^^x" (the first word) instead.
 */
static int
catalog_fts_query(const char *q, enum search_tier tier, char *out, size_t n)
{
	const char *p = q, *start;
	size_t len, o = 0;
	int words = 0, one;

	out[0] = '\0';
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - start);
		if (len == 0)
			continue;
		if (tier == TIER_ANYWHERE && text_utf8_chars(start, len) < 3)
			continue;
		if (o + len * 4 + 64 >= n)
			return 0;
		one = text_utf8_chars(start, len) == 1;
		/* Explicit AND: FTS5 joins only bare phrases implicitly. */
		if (words > 0)
			o += (size_t)sprintf(out + o, "AND ");
		if (tier == TIER_ANYWHERE)
			catalog_fts_phrase(out, &o, "", "", start, len);
		else if (tier == TIER_NAME_START && words == 0)
			catalog_fts_phrase(out, &o, "starts : ", "^^", start, len);
		else if (!one)
			catalog_fts_phrase(out, &o, "starts : ", "^", start, len);
		else if (tier == TIER_NAME_START)
			catalog_fts_phrase(out, &o, "starts : ", " ^", start, len);
		else {
			o += (size_t)sprintf(out + o, "(");
			catalog_fts_phrase(out, &o, "starts : ", "^^", start, len);
			o += (size_t)sprintf(out + o, "OR ");
			catalog_fts_phrase(out, &o, "starts : ", " ^", start, len);
			o += (size_t)sprintf(out + o, ") ");
		}
		words++;
	}
	return words;
}

/* Append the product of row st to hits unless it is there already. */
static void
catalog_hit_add(sqlite3_stmt *st, struct catalog_hit *hits, int max, int *n)
{
	enum product_unit u = UNIT_PIECE;
	int64_t id = sqlite3_column_int64(st, 0);
	int i;

	for (i = 0; i < *n; i++)
		if (hits[i].id == id)
			return;
	if (*n >= max)
		return;
	hits[*n].id = id;
	db_column_copy(st, 1, hits[*n].sku, sizeof hits[*n].sku);
	db_column_copy(st, 2, hits[*n].name, sizeof hits[*n].name);
	hits[*n].price = sqlite3_column_int64(st, 3);
	hits[*n].stock_qty = sqlite3_column_int64(st, 4);
	product_unit_parse((const char *)sqlite3_column_text(st, 5), &u, NULL);
	hits[*n].unit = u;
	(*n)++;
}

/* Order hits by name, ignoring case. */
static int
catalog_hit_cmp(const void *a, const void *b)
{
	const struct catalog_hit *x = a, *y = b;

	return strcasecmp(x->name, y->name);
}

/* Step a search statement into hits. */
static int
catalog_collect(struct db *db, sqlite3_stmt *st, struct catalog_hit *hits,
    int max, int *n, struct duka_err *err)
{
	int rc = SQLITE_DONE;

	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		catalog_hit_add(st, hits, max, n);
	if (*n >= max)
		rc = SQLITE_DONE;
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("searching products"));
}

/* Ask one search tier for up to max - *n more hits. */
static int
catalog_search_tier(struct db *db, const char *q, enum search_tier tier,
    struct catalog_hit *hits, int max, int *n, struct duka_err *err)
{
	char fts[700];
	sqlite3_stmt *st;
	int first = *n;

	if (*n >= max || catalog_fts_query(q, tier, fts, sizeof fts) == 0)
		return DUKA_OK;
	/* Ask for the hits already shown too: they are skipped as repeats. */
	st = db_stmt(db, "SELECT p.id, p.sku, p.name, p.price, p.stock_qty, "
	    "p.unit FROM products_fts f JOIN products p ON p.id = f.rowid "
	    "WHERE products_fts MATCH ?1 AND p.active = 1 LIMIT ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, max);
	if (catalog_collect(db, st, hits, max, n, err) != DUKA_OK)
		return err->code;
	/* Within a tier, show names in alphabetical order. */
	qsort(hits + first, (size_t)(*n - first), sizeof *hits, catalog_hit_cmp);
	return DUKA_OK;
}

int
catalog_search(struct db *db, const char *query, struct catalog_hit *hits,
    int max, int *n, struct duka_err *err)
{
	struct product p;
	char q[256];
	int rc;

	*n = 0;
	if (max <= 0 || text_trim_copy(query, q, sizeof q) != 0 || q[0] == '\0')
		return DUKA_OK;
	/* A whole barcode or SKU goes first: that is what a scan means. */
	if (catalog_product_find(db, q, &p, NULL) == DUKA_OK && p.active) {
		hits[0].id = p.id;
		memcpy(hits[0].sku, p.sku, sizeof p.sku);
		memcpy(hits[0].name, p.name, sizeof p.name);
		hits[0].price = p.price;
		hits[0].stock_qty = p.stock_qty;
		hits[0].unit = p.unit;
		*n = 1;
	}
	if ((rc = catalog_search_tier(db, q, TIER_NAME_START, hits, max, n,
	    err)) != DUKA_OK || (rc = catalog_search_tier(db, q,
	    TIER_WORD_START, hits, max, n, err)) != DUKA_OK)
		return rc;
	return catalog_search_tier(db, q, TIER_ANYWHERE, hits, max, n, err);
}

int
catalog_page(struct db *db, const char *from_sku, int before,
    struct product *out, int max, int *n, struct duka_err *err)
{
	struct product tmp;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, i;

	*n = 0;
	if (max <= 0)
		return DUKA_OK;
	if (from_sku == NULL)
		from_sku = "";
	/* Backwards from "" means from the end: no bound at all (?1 is
	 * then a parameter the statement does not use). */
	if (!before)
		st = db_stmt(db, PRODUCT_COLUMNS "WHERE p.sku >= ?1 "
		    "ORDER BY p.sku LIMIT ?2", err);
	else if (from_sku[0] == '\0')
		st = db_stmt(db, PRODUCT_COLUMNS "ORDER BY p.sku DESC "
		    "LIMIT ?2", err);
	else
		st = db_stmt(db, PRODUCT_COLUMNS "WHERE p.sku < ?1 "
		    "ORDER BY p.sku DESC LIMIT ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from_sku, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, max);
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		catalog_read_product(st, &out[(*n)++]);
	db_done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		*n = 0;
		return db_fail(db, err, _("reading products"));
	}
	for (i = 0; before && i < *n / 2; i++) {
		tmp = out[i];
		out[i] = out[*n - 1 - i];
		out[*n - 1 - i] = tmp;
	}
	return DUKA_OK;
}

/* Look up or create a row of a name-keyed table (categories, suppliers). */
static int
catalog_name_id(struct db *db, const char *find_sql, const char *what,
    const char *name, int64_t *id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, find_sql, err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, what);
	return DUKA_ENOTFOUND;
}

int
catalog_category_find(struct db *db, const char *name, int64_t *id,
    struct duka_err *err)
{
	char n[CATEGORY_NAME_MAX];
	int rc;

	text_trim_copy(name, n, sizeof n);
	rc = catalog_name_id(db, "SELECT id FROM categories WHERE name = ?1",
	    _("reading categories"), n, id, err);
	if (rc == DUKA_ENOTFOUND)
		return duka_fail(err, rc, _("there is no category \"%s\""), n);
	return rc;
}

int
catalog_categories(struct db *db,
    int (*fn)(void *ctx, int64_t id, const char *name), void *ctx,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, name FROM categories "
	    "ORDER BY name COLLATE NOCASE, id", err);
	if (st == NULL)
		return err != NULL ? err->code : DUKA_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading categories"));
	return DUKA_OK;
}

int
catalog_category_ensure(struct db *db, const char *name, int64_t *id,
    struct duka_err *err)
{
	char n[CATEGORY_NAME_MAX], now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	if (text_trim_copy(name, n, sizeof n) != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the category name is too long (at most 60 characters)"));
	if ((rc = text_check_name(n, 60, _("category name"), err)) != 0)
		return rc;
	rc = catalog_name_id(db, "SELECT id FROM categories WHERE name = ?1",
	    _("reading categories"), n, id, err);
	if (rc != DUKA_ENOTFOUND)
		return rc;
	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO categories(name, created_at) "
	    "VALUES (?1, ?2)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, n, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("adding a category"));
	db_done(st);
	if (rc == DUKA_OK)
		*id = sqlite3_last_insert_rowid(db_sqlite(db));
	return rc;
}

int
catalog_supplier_ensure(struct db *db, const char *name, const char *phone,
    int64_t lead_time_days, int64_t *id, struct duka_err *err)
{
	char n[SUPPLIER_NAME_MAX], now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	if (text_trim_copy(name, n, sizeof n) != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the supplier name is too long (at most 80 characters)"));
	if ((rc = text_check_name(n, 80, _("supplier name"), err)) != 0)
		return rc;
	if (lead_time_days < 0 || lead_time_days > 365)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the lead time must be 0 to 365 days"), n);
	rc = catalog_name_id(db, "SELECT id FROM suppliers WHERE name = ?1",
	    _("reading suppliers"), n, id, err);
	if (rc != DUKA_ENOTFOUND)
		return rc;
	date_now_timestamp(now);
	st = db_stmt(db, "INSERT INTO suppliers(name, phone, lead_time_days, "
	    "created_at) VALUES (?1, ?2, ?3, ?4)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, n, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 2, phone);
	sqlite3_bind_int64(st, 3, lead_time_days);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("adding a supplier"));
	db_done(st);
	if (rc == DUKA_OK)
		*id = sqlite3_last_insert_rowid(db_sqlite(db));
	return rc;
}

int
catalog_supplier_name(struct db *db, int64_t id, char out[SUPPLIER_NAME_MAX],
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT name FROM suppliers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, SUPPLIER_NAME_MAX);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("there is no supplier number %lld"), (long long)id);
	return db_fail(db, err, _("reading suppliers"));
}
