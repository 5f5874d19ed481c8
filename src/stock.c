/*
 * stock.c - the stock ledger: receiving into batches, taking out first
 * expiry first out, writing off expired batches, and proving that the
 * cached levels equal the ledger.
 *
 * Every change of stock goes through stock_move(), which writes the
 * movement, adjusts the batch and the product's cached level and queues
 * the stock.moved event, so that no path can change one without the
 * others. The public functions own the transaction; stock_move() and the
 * planners run inside it.
 *
 * The balance "without a batch" of a product is its stock_qty minus what
 * its batches hold. It goes below zero when more is sold than the records
 * show, and the next batch that comes in settles it (stock_into_batch).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "audit.h"
#include "catalog.h"
#include "i18n.h"
#include "money.h"
#include "outbox.h"
#include "stock.h"
#include "user.h"

/* A million units in one movement is a typing mistake, not a delivery. */
#define STOCK_QTY_MAX 1000000000LL

static const char *const reason_names[] = {
	[STOCK_RECEIVE] = "receive",
	[STOCK_SALE] = "sale",
	[STOCK_RETURN] = "return",
	[STOCK_DAMAGE] = "damage",
	[STOCK_EXPIRY] = "expiry",
	[STOCK_COUNT] = "count",
	[STOCK_TRANSFER] = "transfer",
	[STOCK_CORRECTION] = "correction",
};
#define NREASONS ((int)(sizeof reason_names / sizeof reason_names[0]))

/* One movement to write; qty is signed (negative: goes out). */
struct movement {
	const struct product *p;
	int64_t batch_id;		/* 0: none */
	int64_t qty;
	enum stock_reason reason;
	int64_t unit_cost;
	int64_t unit_price;
	const char *reference;
	const char *user;
	const char *note;
	const char *at;
	int no_event;			/* the caller's event carries it */
	int64_t id;			/* set by stock_move() */
};

const char *
stock_reason_name(enum stock_reason r)
{
	if ((unsigned)r >= (unsigned)NREASONS)
		return "invalid";
	return reason_names[r];
}

int
stock_reason_parse(const char *text, enum stock_reason *r,
    struct duka_err *err)
{
	char word[16];
	size_t len;
	int i;

	while (text != NULL && isspace((unsigned char)*text))
		text++;
	len = text != NULL ? strlen(text) : 0;
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len > 0 && len < sizeof word) {
		memcpy(word, text, len);
		word[len] = '\0';
		for (i = 0; i < NREASONS; i++)
			if (strcasecmp(word, reason_names[i]) == 0) {
				*r = (enum stock_reason)i;
				return DUKA_OK;
			}
	}
	return duka_fail(err, DUKA_EINPUT,
	    _("\"%s\" is not a reason for a stock movement; use receive, sale, "
	    "return, damage, expiry, count, transfer or correction"),
	    text != NULL ? text : "");
}

void
stock_receipt_init(struct stock_receipt *r)
{
	memset(r, 0, sizeof *r);
	r->unit_cost = -1;
	r->new_price = -1;
}

/* A JSON string, or null for NULL or "" (jansson takes the reference). */
static json_t *
json_text(const char *s)
{
	json_t *j;

	if (s == NULL || *s == '\0')
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_null();
}

/* Run a prepared write that must change exactly one row. */
static int
stock_step_one(struct db *db, sqlite3_stmt *st, const char *what,
    struct duka_err *err)
{
	int rc = sqlite3_step(st);

	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, what);
	if (sqlite3_changes(db_sqlite(db)) != 1)
		return duka_fail(err, DUKA_EFAIL,
		    _("%s: internal error: no row changed"), what);
	return DUKA_OK;
}

/*
 * Write one movement with everything that goes with it: the batch's
 * quantity, the product's cached level and the stock.moved event.
 */
static int
stock_move(struct db *db, struct movement *m, struct duka_err *err)
{
	sqlite3_stmt *st;
	json_t *data;
	int64_t id;
	int rc;

	st = db_stmt(db, "INSERT INTO stock_movements(product_id, batch_id, "
	    "qty, reason, unit_cost, unit_price, reference, user_name, note, "
	    "at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, m->p->id);
	if (m->batch_id > 0)
		sqlite3_bind_int64(st, 2, m->batch_id);
	sqlite3_bind_int64(st, 3, m->qty);
	sqlite3_bind_text(st, 4, stock_reason_name(m->reason), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, m->unit_cost);
	sqlite3_bind_int64(st, 6, m->unit_price);
	db_bind_text_or_null(st, 7, m->reference);
	db_bind_text_or_null(st, 8, m->user);
	db_bind_text_or_null(st, 9, m->note);
	sqlite3_bind_text(st, 10, m->at, -1, SQLITE_TRANSIENT);
	if ((rc = stock_step_one(db, st, _("recording a stock movement"),
	    err)) != DUKA_OK)
		return rc;
	id = sqlite3_last_insert_rowid(db_sqlite(db));
	m->id = id;

	if (m->batch_id > 0) {
		/* product_id too: a movement never touches another's batch. */
		st = db_stmt(db, "UPDATE batches SET qty_remaining = "
		    "qty_remaining + ?2 WHERE id = ?1 AND product_id = ?3",
		    err);
		if (st == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, m->batch_id);
		sqlite3_bind_int64(st, 2, m->qty);
		sqlite3_bind_int64(st, 3, m->p->id);
		if ((rc = stock_step_one(db, st, _("updating a batch"), err)) !=
		    DUKA_OK)
			return rc;
	}

	st = db_stmt(db, "UPDATE products SET stock_qty = stock_qty + ?2 "
	    "WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, m->p->id);
	sqlite3_bind_int64(st, 2, m->qty);
	if ((rc = stock_step_one(db, st, _("updating the stock level"), err)) !=
	    DUKA_OK)
		return rc;
	if (m->no_event)
		return DUKA_OK;

	data = json_pack("{sI sI ss so sI ss sI sI so so so ss}",
	    "movement_id", (json_int_t)id,
	    "product_id", (json_int_t)m->p->id,
	    "sku", m->p->sku,
	    "batch_id", m->batch_id > 0 ? json_integer(m->batch_id) :
	    json_null(),
	    "qty", (json_int_t)m->qty,
	    "reason", stock_reason_name(m->reason),
	    "unit_cost", (json_int_t)m->unit_cost,
	    "unit_price", (json_int_t)m->unit_price,
	    "reference", json_text(m->reference),
	    "user", json_text(m->user),
	    "note", json_text(m->note),
	    "at", m->at);
	if (data == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	return outbox_add(db, "stock.moved", data, err);
}

/* The product's balance without a batch: stock_qty less its batches. */
static int
stock_unbatched(struct db *db, int64_t product_id, int64_t *out,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT p.stock_qty - coalesce((SELECT "
	    "sum(b.qty_remaining) FROM batches b WHERE b.product_id = p.id "
	    "AND b.qty_remaining > 0), "
	    "0) FROM products p WHERE p.id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the stock level"));
	return DUKA_OK;
}

/*
 * Put r->qty of p into a new batch with reason. If the balance without a
 * batch is below zero (sold before the stock was recorded), a pair of
 * correction movements moves that deficit onto the new batch: the total
 * stays the same, the balance without a batch returns towards zero and
 * the batch holds what is physically there. Runs inside the caller's
 * transaction; adds the movements written to *moves.
 */
static int
stock_into_batch(struct db *db, const struct product *p,
    const struct stock_receipt *r, enum stock_reason reason,
    int64_t unit_cost, const char *received, const char *expiry,
    const char *at, int64_t *batch_id, int64_t *moves, struct duka_err *err)
{
	struct movement m;
	sqlite3_stmt *st;
	int64_t unbatched, settle, bid;
	int rc;

	if ((rc = stock_unbatched(db, p->id, &unbatched, err)) != DUKA_OK)
		return rc;
	/* The batch starts empty; the movement below fills it. */
	st = db_stmt(db, "INSERT INTO batches(product_id, batch_no, "
	    "expiry_date, received_date, unit_cost, supplier_id, qty_received, "
	    "qty_remaining) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_text(st, 2, r->batch_no, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 3, expiry);
	sqlite3_bind_text(st, 4, received, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, unit_cost);
	if (r->supplier_id > 0)
		sqlite3_bind_int64(st, 6, r->supplier_id);
	sqlite3_bind_int64(st, 7, r->qty);
	if ((rc = stock_step_one(db, st, _("adding a batch"), err)) != DUKA_OK)
		return rc;
	bid = sqlite3_last_insert_rowid(db_sqlite(db));

	memset(&m, 0, sizeof m);
	m.p = p;
	m.batch_id = bid;
	m.qty = r->qty;
	m.reason = reason;
	m.unit_cost = unit_cost;
	m.unit_price = p->price;
	m.reference = r->reference;
	m.user = r->user;
	m.note = r->note;
	m.at = at;
	if ((rc = stock_move(db, &m, err)) != DUKA_OK)
		return rc;
	(*moves)++;

	if (unbatched < 0) {
		settle = -unbatched < r->qty ? -unbatched : r->qty;
		m.reason = STOCK_CORRECTION;
		m.note = _("settles stock sold below zero");
		m.batch_id = 0;
		m.qty = settle;
		if ((rc = stock_move(db, &m, err)) != DUKA_OK)
			return rc;
		m.batch_id = bid;
		m.qty = -settle;
		if ((rc = stock_move(db, &m, err)) != DUKA_OK)
			return rc;
		*moves += 2;
	}
	if (batch_id != NULL)
		*batch_id = bid;
	return DUKA_OK;
}

/* Refuse a quantity outside 0 < qty <= STOCK_QTY_MAX, naming it. */
static int
stock_check_qty(int64_t qty, struct duka_err *err)
{
	char q[MONEY_MAX_TEXT];

	qty_format(qty, q, sizeof q);
	if (qty <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the quantity must be more than 0 (not %s)"), q);
	if (qty > STOCK_QTY_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("the quantity %s is too large for one movement"), q);
	return DUKA_OK;
}

/* Check and normalise an optional date field ("" stays ""). */
static int
stock_date(const char *in, char out[DATE_LEN], struct duka_err *err)
{
	out[0] = '\0';
	if (in[0] == '\0')
		return DUKA_OK;
	return date_parse(in, out, err);
}

/* Refuse a supplier id that names no supplier. */
static int
stock_check_supplier(struct db *db, int64_t id, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (id == 0)
		return DUKA_OK;
	st = db_stmt(db, "SELECT 1 FROM suppliers WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading suppliers"));
	return duka_fail(err, DUKA_ENOTFOUND, _("there is no supplier number "
	    "%lld"), (long long)id);
}

/* Check a receipt's own fields, before the database is touched. */
static int
stock_check_receipt(const struct stock_receipt *r, char received[DATE_LEN],
    char expiry[DATE_LEN], char reorder[DATE_LEN], struct duka_err *err)
{
	char today[DATE_LEN], a[MONEY_MAX_TEXT];
	int rc;

	if ((rc = stock_check_qty(r->qty, err)) != DUKA_OK)
		return rc;
	if (r->unit_cost < -1) {
		money_format(r->unit_cost, a, sizeof a);
		return duka_fail(err, DUKA_EINPUT,
		    _("the unit cost %s is negative"), a);
	}
	if (r->new_price < -1) {
		money_format(r->new_price, a, sizeof a);
		return duka_fail(err, DUKA_EINPUT,
		    _("the new price %s is negative"), a);
	}
	if (memchr(r->batch_no, '\0', sizeof r->batch_no) == NULL ||
	    memchr(r->reference, '\0', sizeof r->reference) == NULL)
		return duka_fail(err, DUKA_EINPUT,
		    _("the batch number or reference is too long (at most %d "
		    "characters)"), (int)sizeof r->batch_no - 1);
	if (r->supplier_id < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("there is no supplier number %lld"),
		    (long long)r->supplier_id);
	date_today(today);
	if ((rc = stock_date(r->received, received, err)) != DUKA_OK ||
	    (rc = stock_date(r->expiry, expiry, err)) != DUKA_OK ||
	    (rc = stock_date(r->reorder_date, reorder, err)) != DUKA_OK)
		return rc;
	if (received[0] == '\0')
		memcpy(received, today, DATE_LEN);
	if (strcmp(received, today) > 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the received date %s is in the future (today is %s)"),
		    received, today);
	if (expiry[0] != '\0' && strcmp(expiry, received) < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the expiry date %s is before the received date %s"),
		    expiry, received);
	return DUKA_OK;
}

/*
 * The audit row of a stock action on p: qty is signed thousandths, extra
 * a short note (batch, expiry, cost) or NULL.
 */
static int
stock_audit(struct db *db, const char *user, const char *action,
    const struct product *p, int64_t qty, const char *extra,
    struct duka_err *err)
{
	char q[32], detail[400];

	qty_format(qty, q, sizeof q);
	snprintf(detail, sizeof detail, "%s %.120s %s%s%s%s", p->sku, p->name,
	    qty > 0 ? "+" : "", q, extra != NULL ? " " : "",
	    extra != NULL ? extra : "");
	return audit_add(db, user, action, "product", p->id, detail, err);
}

int
stock_receive(struct db *db, const struct stock_receipt *r,
    int64_t *batch_id, struct duka_err *err)
{
	char received[DATE_LEN], expiry[DATE_LEN], reorder[DATE_LEN];
	char at[TIMESTAMP_LEN];
	struct product p, old;
	int64_t cost, moves = 0;
	int rc;

	if ((rc = stock_check_receipt(r, received, expiry, reorder, err)) !=
	    DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_STOCK_RECEIVE, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, r->product_id, &p, err)) != DUKA_OK)
		goto fail;
	if (!p.active) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s) is inactive; reactivate it before receiving "
		    "stock"), p.name, p.sku);
		goto fail;
	}
	if (p.tracks_expiry && expiry[0] == '\0') {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("%s (SKU %s) tracks expiry dates: give the expiry date "
		    "of this delivery"), p.name, p.sku);
		goto fail;
	}
	if ((rc = stock_check_supplier(db, r->supplier_id, err)) != DUKA_OK)
		goto fail;

	/* Price, cost and reorder date first: the catalogue checks them. */
	old = p;
	if (r->unit_cost >= 0)
		p.cost = r->unit_cost;
	if (r->new_price >= 0)
		p.price = r->new_price;
	if (reorder[0] != '\0')
		memcpy(p.reorder_date, reorder, DATE_LEN);
	if ((p.cost != old.cost || p.price != old.price ||
	    strcmp(p.reorder_date, old.reorder_date) != 0) &&
	    (rc = catalog_product_update(db, &p, r->user, err)) != DUKA_OK)
		goto fail;

	cost = r->unit_cost >= 0 ? r->unit_cost : p.cost;
	date_now_timestamp(at);
	if ((rc = stock_into_batch(db, &p, r, STOCK_RECEIVE, cost, received,
	    expiry, at, batch_id, &moves, err)) != DUKA_OK)
		goto fail;
	{
		char extra[200], c[MONEY_MAX_TEXT];

		money_format(cost, c, sizeof c);
		snprintf(extra, sizeof extra, "batch %s expiry %s cost %s",
		    r->batch_no[0] != '\0' ? r->batch_no : "-",
		    expiry[0] != '\0' ? expiry : "-", c);
		if ((rc = stock_audit(db, r->user, "stock.receive", &p, r->qty,
		    extra, err)) != DUKA_OK)
			goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
stock_count_gain(struct db *db, int64_t product_id, int64_t qty,
    const char *batch_no, const char *user, int64_t *movements,
    int64_t *value, struct duka_err *err)
{
	struct stock_receipt r;
	char today[DATE_LEN], at[TIMESTAMP_LEN];
	struct product p;
	int64_t v;
	int rc;

	if ((rc = stock_check_qty(qty, err)) != DUKA_OK)
		return rc;
	stock_receipt_init(&r);
	r.product_id = product_id;
	r.qty = qty;
	snprintf(r.batch_no, sizeof r.batch_no, "%s", batch_no);
	snprintf(r.reference, sizeof r.reference, "%s", batch_no);
	r.user = user;
	r.note = _("stock take");
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_STOCK_ADJUST, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK ||
	    (rc = money_mul_qty(p.cost, qty, &v, err)) != DUKA_OK)
		goto fail;
	date_today(today);
	date_now_timestamp(at);
	if ((rc = stock_into_batch(db, &p, &r, STOCK_COUNT, p.cost, today, "",
	    at, NULL, movements, err)) != DUKA_OK ||
	    (rc = stock_audit(db, user, "stock.count", &p, qty, batch_no,
	    err)) != DUKA_OK)
		goto fail;
	*value += v;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* Is reason one that takes stock out? */
static int
stock_outgoing(enum stock_reason r)
{
	switch (r) {
	case STOCK_SALE:
	case STOCK_DAMAGE:
	case STOCK_EXPIRY:
	case STOCK_TRANSFER:
	case STOCK_CORRECTION:
	case STOCK_COUNT:
		return 1;
	default:
		return 0;
	}
}

/* A growing list of planned allocations. */
struct plan {
	struct stock_allocation *a;
	int n, cap;
};

static int
plan_add(struct plan *pl, int64_t batch_id, int64_t qty, int64_t unit_cost,
    const char *expiry, struct duka_err *err)
{
	struct stock_allocation *a;
	int cap;

	if (pl->n == pl->cap) {
		cap = pl->cap ? pl->cap * 2 : 8;
		a = realloc(pl->a, (size_t)cap * sizeof *a);
		if (a == NULL)
			return duka_fail(err, DUKA_EFAIL, _("out of memory"));
		pl->a = a;
		pl->cap = cap;
	}
	a = &pl->a[pl->n++];
	a->batch_id = batch_id;
	a->qty = qty;
	a->unit_cost = unit_cost;
	snprintf(a->expiry, sizeof a->expiry, "%s", expiry ? expiry : "");
	return DUKA_OK;
}

/* Refuse an expired batch, naming the product, the batch and its date. */
static int
stock_expired_fail(const struct product *p, enum stock_reason reason,
    int64_t id, const char *batch_no, const char *expiry,
    struct duka_err *err)
{
	char name[80];

	if (batch_no != NULL && *batch_no != '\0')
		snprintf(name, sizeof name, "%s", batch_no);
	else
		snprintf(name, sizeof name, "%lld", (long long)id);
	if (reason == STOCK_SALE)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: batch %s expired on %s; it cannot be sold"),
		    p->name, name, expiry);
	return duka_fail(err, DUKA_EINPUT,
	    _("%s: batch %s expired on %s; write it off first"), p->name, name,
	    expiry);
}

/* Plan an issue from the one batch the caller named. */
static int
stock_plan_batch(struct db *db, const struct product *p,
    const struct stock_issue *is, const char *today, struct plan *pl,
    struct duka_err *err)
{
	char batch_no[65], expiry[DATE_LEN], a[MONEY_MAX_TEXT];
	int64_t owner = 0, cost = 0, left = 0;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT product_id, batch_no, "
	    "coalesce(expiry_date, ''), unit_cost, qty_remaining FROM batches "
	    "WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, is->batch_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		owner = sqlite3_column_int64(st, 0);
		snprintf(batch_no, sizeof batch_no, "%s",
		    (const char *)sqlite3_column_text(st, 1));
		snprintf(expiry, sizeof expiry, "%s",
		    (const char *)sqlite3_column_text(st, 2));
		cost = sqlite3_column_int64(st, 3);
		left = sqlite3_column_int64(st, 4);
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading batches"));
	if (rc == SQLITE_DONE || owner != p->id)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("%s has no batch number %lld"), p->name,
		    (long long)is->batch_id);
	if (expiry[0] != '\0' && strcmp(expiry, today) < 0 &&
	    !(is->flags & STOCK_ALLOW_EXPIRED))
		return stock_expired_fail(p, is->reason, is->batch_id, batch_no,
		    expiry, err);
	if (left < is->qty) {
		qty_format(left, a, sizeof a);
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: batch %lld holds only %s"), p->name,
		    (long long)is->batch_id, a);
	}
	return plan_add(pl, is->batch_id, is->qty, cost, expiry, err);
}

/* Plan an issue first expiry first out, by the rule in stock.h. */
static int
stock_plan_fefo(struct db *db, const struct product *p,
    const struct stock_issue *is, const char *today, struct plan *pl,
    struct duka_err *err)
{
	char bad_no[65] = "", bad_date[DATE_LEN] = "", a[MONEY_MAX_TEXT];
	int64_t need = is->qty, take, left, id, bad_id = 0, bad_qty = 0;
	int64_t unbatched;
	const char *expiry;
	sqlite3_stmt *st;
	int rc, step;

	st = db_stmt(db, "SELECT id, batch_no, coalesce(expiry_date, ''), "
	    "unit_cost, qty_remaining FROM batches WHERE product_id = ?1 AND "
	    "qty_remaining > 0 ORDER BY expiry_date IS NULL, expiry_date, id",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, p->id);
	rc = DUKA_OK;
	step = SQLITE_DONE;
	while (need > 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		expiry = (const char *)sqlite3_column_text(st, 2);
		left = sqlite3_column_int64(st, 4);
		if (expiry[0] != '\0' && strcmp(expiry, today) < 0 &&
		    !(is->flags & STOCK_ALLOW_EXPIRED)) {
			/* Skipped; remember the first for the refusal. */
			if (bad_id == 0) {
				bad_id = id;
				snprintf(bad_no, sizeof bad_no, "%s",
				    (const char *)sqlite3_column_text(st, 1));
				snprintf(bad_date, sizeof bad_date, "%s",
				    expiry);
			}
			bad_qty += left;
			continue;
		}
		take = left < need ? left : need;
		if ((rc = plan_add(pl, id, take, sqlite3_column_int64(st, 3),
		    expiry, err)) != DUKA_OK)
			break;
		need -= take;
	}
	db_done(st);
	if (rc != DUKA_OK)
		return rc;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, err, _("reading batches"));
	if (need == 0)
		return DUKA_OK;

	/* A positive balance without a batch is stock too. */
	if ((rc = stock_unbatched(db, p->id, &unbatched, err)) != DUKA_OK)
		return rc;
	if (unbatched > 0) {
		take = unbatched < need ? unbatched : need;
		if ((rc = plan_add(pl, 0, take, p->cost, NULL, err)) != DUKA_OK)
			return rc;
		need -= take;
		if (need == 0)
			return DUKA_OK;
	}
	if (bad_qty > 0)
		return stock_expired_fail(p, is->reason, bad_id, bad_no,
		    bad_date, err);
	if (is->flags & STOCK_ALLOW_NEGATIVE)
		return plan_add(pl, 0, need, p->cost, NULL, err);
	if (is->qty == need)
		return duka_fail(err, DUKA_EINPUT, _("%s: none in stock"),
		    p->name);
	qty_format(is->qty - need, a, sizeof a);
	return duka_fail(err, DUKA_EINPUT, _("%s: only %s in stock"), p->name,
	    a);
}

int
stock_issue(struct db *db, const struct stock_issue *is,
    struct stock_allocation *alloc, int max, int *n, struct duka_err *err)
{
	char today[DATE_LEN], at[TIMESTAMP_LEN];
	struct plan pl = { NULL, 0, 0 };
	struct movement m;
	struct product p;
	int i, rc;

	if (n != NULL)
		*n = 0;
	if ((rc = stock_check_qty(is->qty, err)) != DUKA_OK)
		return rc;
	if (!stock_outgoing(is->reason))
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a reason for taking stock out"),
		    stock_reason_name(is->reason));
	if (is->unit_price < 0)
		return duka_fail(err, DUKA_EINPUT, _("the price is negative"));
	if (is->batch_id < 0)
		return duka_fail(err, DUKA_EINPUT, _("there is no batch number "
		    "%lld"), (long long)is->batch_id);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	/* A sale was allowed by sale_commit; anything else adjusts stock. */
	if (is->reason != STOCK_SALE &&
	    (rc = perm_require(db, PERM_STOCK_ADJUST, err)) != DUKA_OK)
		goto fail;
	if ((rc = catalog_product_get(db, is->product_id, &p, err)) != DUKA_OK)
		goto fail;
	date_today(today);
	if (is->batch_id > 0)
		rc = stock_plan_batch(db, &p, is, today, &pl, err);
	else
		rc = stock_plan_fefo(db, &p, is, today, &pl, err);
	if (rc != DUKA_OK)
		goto fail;
	if (alloc != NULL && pl.n > max) {
		rc = duka_fail(err, DUKA_EFAIL,
		    _("%s: taking this quantity needs %d batches, more than "
		    "%d"), p.name, pl.n, max);
		goto fail;
	}

	date_now_timestamp(at);
	memset(&m, 0, sizeof m);
	m.p = &p;
	m.reason = is->reason;
	m.unit_price = is->unit_price;
	m.reference = is->reference;
	m.user = is->user;
	m.note = is->note;
	m.at = at;
	m.no_event = is->no_event;
	for (i = 0; i < pl.n; i++) {
		m.batch_id = pl.a[i].batch_id;
		m.qty = -pl.a[i].qty;
		m.unit_cost = pl.a[i].unit_cost;
		if ((rc = stock_move(db, &m, err)) != DUKA_OK)
			goto fail;
		pl.a[i].movement_id = m.id;
	}
	if (is->reason != STOCK_SALE) {
		char action[48];

		snprintf(action, sizeof action, "stock.%s",
		    stock_reason_name(is->reason));
		if ((rc = stock_audit(db, is->user, action, &p, -is->qty,
		    is->note, err)) != DUKA_OK)
			goto fail;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		goto out;
	if (alloc != NULL)
		memcpy(alloc, pl.a, (size_t)pl.n * sizeof *alloc);
	if (n != NULL)
		*n = pl.n;
	goto out;
fail:
	db_rollback(db);
out:
	free(pl.a);
	return rc;
}

int
stock_sale_needs_expired(struct db *db, int64_t product_id, int64_t qty,
    int *needs, char *why, size_t n, struct duka_err *err)
{
	struct stock_issue is;
	struct duka_err refusal = { 0, "" };
	struct plan pl = { NULL, 0, 0 };
	char today[DATE_LEN];
	struct product p;
	int rc;

	*needs = 0;
	if (why != NULL && n > 0)
		why[0] = '\0';
	if ((rc = stock_check_qty(qty, err)) != DUKA_OK ||
	    (rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK)
		return rc;
	date_today(today);
	memset(&is, 0, sizeof is);
	is.product_id = product_id;
	is.qty = qty;
	is.reason = STOCK_SALE;
	/* Going below zero allowed, the only refusal left is the expired
	 * batch's; allowing that too must then cover it. */
	is.flags = STOCK_ALLOW_NEGATIVE;
	rc = stock_plan_fefo(db, &p, &is, today, &pl, &refusal);
	free(pl.a);
	memset(&pl, 0, sizeof pl);
	if (rc == DUKA_OK)
		return DUKA_OK;
	if (rc != DUKA_EINPUT)
		return duka_fail(err, rc, "%s", refusal.msg);
	is.flags |= STOCK_ALLOW_EXPIRED;
	rc = stock_plan_fefo(db, &p, &is, today, &pl, err);
	free(pl.a);
	if (rc != DUKA_OK)
		return rc;
	*needs = 1;
	if (why != NULL && n > 0)
		snprintf(why, n, "%s", refusal.msg);
	return DUKA_OK;
}

int
stock_return(struct db *db, int64_t product_id, int64_t batch_id,
    int64_t qty, const char *reference, const char *user, int no_event,
    int64_t *movement_id, struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	struct movement m;
	struct product p;
	sqlite3_stmt *st;
	int64_t owner = 0, cost = 0;
	int rc;

	if ((rc = stock_check_qty(qty, err)) != DUKA_OK)
		return rc;
	if (batch_id < 0)
		return duka_fail(err, DUKA_EINPUT, _("there is no batch number "
		    "%lld"), (long long)batch_id);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = catalog_product_get(db, product_id, &p, err)) != DUKA_OK)
		goto fail;
	cost = p.cost;
	if (batch_id > 0) {
		st = db_stmt(db, "SELECT product_id, unit_cost FROM batches "
		    "WHERE id = ?1", err);
		if (st == NULL) {
			rc = err->code;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, batch_id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			owner = sqlite3_column_int64(st, 0);
			cost = sqlite3_column_int64(st, 1);
		}
		db_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = db_fail(db, err, _("reading batches"));
			goto fail;
		}
		if (rc == SQLITE_DONE || owner != p.id) {
			rc = duka_fail(err, DUKA_ENOTFOUND,
			    _("%s has no batch number %lld"), p.name,
			    (long long)batch_id);
			goto fail;
		}
	}

	date_now_timestamp(at);
	memset(&m, 0, sizeof m);
	m.p = &p;
	m.batch_id = batch_id;
	m.qty = qty;
	m.reason = STOCK_RETURN;
	m.unit_cost = cost;
	m.unit_price = p.price;
	m.reference = reference;
	m.user = user;
	m.at = at;
	m.no_event = no_event;
	if ((rc = stock_move(db, &m, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	if (movement_id != NULL)
		*movement_id = m.id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

/* One expired batch to write off. */
struct expired {
	int64_t batch_id, product_id, qty, unit_cost;
	char expiry[DATE_LEN];
};

int
stock_writeoff_expired(struct db *db, const char *user, int64_t *batches,
    int64_t *value_at_cost, struct duka_err *err)
{
	char today[DATE_LEN], at[TIMESTAMP_LEN], note[64];
	struct expired *list = NULL, *e;
	size_t n = 0, cap = 0, i;
	struct movement m;
	struct product p;
	int64_t value = 0, v;
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_STOCK_ADJUST, err)) != DUKA_OK)
		goto fail;
	date_today(today);
	st = db_stmt(db, "SELECT id, product_id, qty_remaining, unit_cost, "
	    "expiry_date FROM batches WHERE expiry_date < ?1 AND "
	    "qty_remaining > 0 ORDER BY product_id, expiry_date, id", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			e = realloc(list, cap * sizeof *e);
			if (e == NULL)
				break;
			list = e;
		}
		e = &list[n++];
		e->batch_id = sqlite3_column_int64(st, 0);
		e->product_id = sqlite3_column_int64(st, 1);
		e->qty = sqlite3_column_int64(st, 2);
		e->unit_cost = sqlite3_column_int64(st, 3);
		snprintf(e->expiry, sizeof e->expiry, "%s",
		    (const char *)sqlite3_column_text(st, 4));
	}
	db_done(st);
	if (step == SQLITE_ROW) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto fail;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading expired batches"));
		goto fail;
	}

	date_now_timestamp(at);
	memset(&m, 0, sizeof m);
	m.reason = STOCK_EXPIRY;
	m.user = user;
	m.at = at;
	m.p = &p;
	p.id = 0;
	for (i = 0; i < n; i++) {
		e = &list[i];
		if (p.id != e->product_id && (rc = catalog_product_get(db,
		    e->product_id, &p, err)) != DUKA_OK)
			goto fail;
		if ((rc = money_mul_qty(e->unit_cost, e->qty, &v, err)) !=
		    DUKA_OK)
			goto fail;
		value += v;
		snprintf(note, sizeof note, _("expired on %s"), e->expiry);
		m.note = note;
		m.batch_id = e->batch_id;
		m.qty = -e->qty;
		m.unit_cost = e->unit_cost;
		if ((rc = stock_move(db, &m, err)) != DUKA_OK)
			goto fail;
	}
	if (n > 0) {
		char detail[120], val[MONEY_MAX_TEXT];

		money_format(value, val, sizeof val);
		snprintf(detail, sizeof detail, "%zu expired batches written "
		    "off, %s at cost", n, val);
		if ((rc = audit_add(db, user, "stock.expiry", "batch", 0,
		    detail, err)) != DUKA_OK)
			goto fail;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		goto out;
	if (batches != NULL)
		*batches = (int64_t)n;
	if (value_at_cost != NULL)
		*value_at_cost = value;
	goto out;
fail:
	db_rollback(db);
out:
	free(list);
	return rc;
}

int
stock_batches(struct db *db, int64_t product_id,
    void (*fn)(void *ctx, const struct stock_batch *b), void *ctx,
    struct duka_err *err)
{
	struct stock_batch b;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, product_id, batch_no, "
	    "coalesce(expiry_date, ''), received_date, unit_cost, "
	    "qty_remaining FROM batches WHERE product_id = ?1 AND "
	    "qty_remaining > 0 "
	    "ORDER BY expiry_date IS NULL, expiry_date, id", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&b, 0, sizeof b);
		b.id = sqlite3_column_int64(st, 0);
		b.product_id = sqlite3_column_int64(st, 1);
		snprintf(b.batch_no, sizeof b.batch_no, "%s",
		    (const char *)sqlite3_column_text(st, 2));
		snprintf(b.expiry, sizeof b.expiry, "%s",
		    (const char *)sqlite3_column_text(st, 3));
		snprintf(b.received, sizeof b.received, "%s",
		    (const char *)sqlite3_column_text(st, 4));
		b.unit_cost = sqlite3_column_int64(st, 5);
		b.qty_remaining = sqlite3_column_int64(st, 6);
		fn(ctx, &b);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading batches"));
	return DUKA_OK;
}

int
stock_check_levels(struct db *db, struct check_report *r,
    struct duka_err *err)
{
	char have[MONEY_MAX_TEXT], want[MONEY_MAX_TEXT];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT p.sku, p.name, p.stock_qty, "
	    "coalesce(m.total, 0) FROM products p LEFT JOIN (SELECT "
	    "product_id, sum(qty) AS total FROM stock_movements "
	    "GROUP BY product_id) m "
	    "ON m.product_id = p.id WHERE p.stock_qty <> coalesce(m.total, 0) "
	    "ORDER BY p.id", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		qty_format(sqlite3_column_int64(st, 2), have, sizeof have);
		qty_format(sqlite3_column_int64(st, 3), want, sizeof want);
		check_problem(r, "stock_levels",
		    _("%s (SKU %s): the stock level says %s but its movements "
		    "add up to %s"), (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 0), have, want);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking stock levels"));
	return DUKA_OK;
}

int
stock_check_batches(struct db *db, struct check_report *r,
    struct duka_err *err)
{
	char have[MONEY_MAX_TEXT], want[MONEY_MAX_TEXT];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT b.id, b.batch_no, coalesce(p.sku, '?'), "
	    "b.qty_remaining, coalesce(m.total, 0) FROM batches b "
	    "LEFT JOIN products p ON p.id = b.product_id "
	    "LEFT JOIN (SELECT batch_id, sum(qty) AS total FROM "
	    "stock_movements WHERE batch_id IS NOT NULL GROUP BY batch_id) m "
	    "ON m.batch_id = b.id WHERE b.qty_remaining <> "
	    "coalesce(m.total, 0) ORDER BY b.id", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		qty_format(sqlite3_column_int64(st, 3), have, sizeof have);
		qty_format(sqlite3_column_int64(st, 4), want, sizeof want);
		check_problem(r, "batches",
		    _("batch %lld \"%s\" of SKU %s holds %s but its movements "
		    "add up to %s"), (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), have, want);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking batches"));

	st = db_stmt(db, "SELECT m.id, m.product_id, m.batch_id, b.product_id "
	    "FROM stock_movements m JOIN batches b ON b.id = m.batch_id "
	    "WHERE b.product_id <> m.product_id ORDER BY m.id", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		check_problem(r, "batches",
		    _("movement %lld of product %lld names batch %lld, which "
		    "belongs to product %lld"),
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (long long)sqlite3_column_int64(st, 2),
		    (long long)sqlite3_column_int64(st, 3));
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking batches"));
	return DUKA_OK;
}
