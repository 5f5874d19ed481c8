/*
 * catalog.h - products, their barcodes, categories and suppliers.
 *
 * Owns the tables categories, suppliers, products, barcodes and the search
 * index products_fts. A product with history is never deleted, only
 * deactivated. Every change writes a product.changed outbox event in the
 * same transaction.
 */
#ifndef DUKA_CATALOG_H
#define DUKA_CATALOG_H

#include <stdint.h>

#include "barcode.h"
#include "date.h"
#include "db.h"
#include "money.h"
#include "status.h"

enum product_unit { UNIT_PIECE = 0, UNIT_KG = 1, UNIT_LITRE = 2 };

#define SKU_MAX 33		/* 32 characters and the NUL */
#define PRODUCT_NAME_MAX 484	/* 120 characters of up to 4 UTF-8 bytes */
#define CATEGORY_NAME_MAX 244	/* 60 characters */
#define SUPPLIER_NAME_MAX 324	/* 80 characters */

struct product {
	int64_t id;			/* 0 until added */
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	int64_t category_id;		/* 0: none */
	char category[CATEGORY_NAME_MAX];	/* filled by get/find */
	int64_t supplier_id;		/* 0: none */
	enum product_unit unit;
	int64_t price;			/* cents per unit, VAT included */
	int64_t cost;			/* cents per unit */
	enum tax_class tax;
	int64_t reorder_level;		/* thousandths */
	int64_t reorder_qty;		/* thousandths */
	int64_t pack_size;		/* thousandths, > 0 */
	int64_t lead_time_days;
	int tracks_expiry;
	int active;
	char reorder_date[DATE_LEN];	/* "" when none */
	int64_t stock_qty;		/* thousandths; read-only here */
};

/* A product with the defaults: piece, standard VAT, pack of 1, active. */
void product_init(struct product *p);

const char *product_unit_name(enum product_unit u);	/* "piece", "kg", "litre" */
/* Short, translated unit shown after a quantity: "pc", "kg", "l". */
const char *product_unit_short(enum product_unit u);
int product_unit_parse(const char *text, enum product_unit *u,
    struct duka_err *err);

/*
 * Check p's fields (SKU characters, name length, prices, levels) and add
 * it; sets p->id. A duplicate SKU is refused with a message naming it.
 */
int catalog_product_add(struct db *db, struct product *p, const char *user,
    struct duka_err *err);
/*
 * Add a product and its barcodes (ncodes of them, may be 0) as one change:
 * all or nothing, one product.changed event. The import uses this.
 */
int catalog_product_create(struct db *db, struct product *p,
    const char *const *codes, int ncodes, const char *user,
    struct duka_err *err);
/* Write every editable field of p (found by p->id). */
int catalog_product_update(struct db *db, const struct product *p,
    const char *user, struct duka_err *err);
/* Deactivate (active = 0) or reactivate a product. */
int catalog_product_set_active(struct db *db, int64_t id, int active,
    const char *user, struct duka_err *err);
/* Delete a product that has no stock history (a typing mistake). */
int catalog_product_delete(struct db *db, int64_t id, struct duka_err *err);

/* Read a product by id; DUKA_ENOTFOUND if there is none. */
int catalog_product_get(struct db *db, int64_t id, struct product *p,
    struct duka_err *err);
/*
 * Find a product by barcode (any accepted form, normalised first) or by
 * SKU (any case). DUKA_ENOTFOUND with a message naming code otherwise.
 * Inactive products are found too (p->active says so).
 */
int catalog_product_find(struct db *db, const char *code, struct product *p,
    struct duka_err *err);

/* Add a barcode to a product; a code already used is refused, naming the
 * product that holds it. The normalised code is copied to out if not NULL. */
int catalog_barcode_add(struct db *db, int64_t product_id, const char *code,
    char out[BARCODE_MAX], struct duka_err *err);
int catalog_barcode_remove(struct db *db, const char *code,
    struct duka_err *err);
/* Call fn for each barcode of a product, in the order they were added. */
int catalog_barcodes(struct db *db, int64_t product_id,
    void (*fn)(void *ctx, const char *code, const char *kind), void *ctx,
    struct duka_err *err);

struct catalog_hit {
	int64_t id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	int64_t price;
	int64_t stock_qty;
	enum product_unit unit;
};

/*
 * As-you-type search over active products: name (partial words, any case),
 * SKU and barcode prefix. Ranked: a whole barcode or SKU first, then names
 * that start with the text, then names in which each typed word starts a
 * word, then the text anywhere (three characters or more); alphabetical
 * within each rank. Fills at most max hits and sets *n.
 */
int catalog_search(struct db *db, const char *query, struct catalog_hit *hits,
    int max, int *n, struct duka_err *err);

/*
 * One page of the whole catalogue (inactive products too) in SKU order,
 * any case, for screens that scroll through it without loading it all:
 * with before 0, the first max products whose SKU is from_sku or after it
 * ("" = from the start); with before 1, the last max products whose SKU is
 * before from_sku ("" = up to the end), still in ascending order. Each
 * page is one walk of the SKU index, however large the catalogue.
 */
int catalog_page(struct db *db, const char *from_sku, int before,
    struct product *out, int max, int *n, struct duka_err *err);

/*
 * While on (nonzero) in the calling thread, product changes write no
 * product.changed event: the sync worker applies the hub's catalogue this
 * way so that the hub is not told back what it said (no ping-pong).
 */
void catalog_set_from_hub(int on);

/* Id of the category or supplier with this name, created if missing. */
int catalog_category_ensure(struct db *db, const char *name, int64_t *id,
    struct duka_err *err);
/* Id of an existing category by name; DUKA_ENOTFOUND otherwise. */
int catalog_category_find(struct db *db, const char *name, int64_t *id,
    struct duka_err *err);
/* Call fn with each category's id and name, by name; fn returns non-zero
 * to stop. */
int catalog_categories(struct db *db,
    int (*fn)(void *ctx, int64_t id, const char *name), void *ctx,
    struct duka_err *err);
int catalog_supplier_ensure(struct db *db, const char *name,
    const char *phone, int64_t lead_time_days, int64_t *id,
    struct duka_err *err);
/* The name of supplier id into out; DUKA_ENOTFOUND if there is none. */
int catalog_supplier_name(struct db *db, int64_t id,
    char out[SUPPLIER_NAME_MAX], struct duka_err *err);

#endif
