/*
 * screen_stock.c - stock entry: pick a product (scan it, or type part of
 * its name or SKU), see its stock and batches, then receive a delivery
 * (quantity, batch number, expiry, supplier price, shelf price, reorder
 * date), remove stock with a reason (damage, expiry, back to the supplier,
 * correction), or count it on a stock take sheet.
 *
 * After each action the screen shows the stock before and after, and the
 * batches as they are now. Every change goes through src/stock.h; a change
 * that needs a manager (DUKA_EPERM) asks for one with tui_approve() and is
 * tried once more. A count sheet stays open until it is committed or
 * cancelled, so that many products can be counted on it, over several
 * runs of the till; one left open is taken up again.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "field_check.h"
#include "i18n.h"
#include "money.h"
#include "stock.h"
#include "text.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

#define HITS_MAX 64
#define BATCHES_MAX 64		/* batches listed; more are counted */
#define REMOVE_MAX_ALLOC 256	/* batches one removal may touch */
#define LINE_MAX_TEXT 256

enum {
	CMD_RECEIVE, CMD_REMOVE, CMD_COUNT, CMD_SHEET, CMD_WRITEOFF,
	CMD_PRODUCTS, CMD_PICK, CMD_MOVE,
};

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Receive"), N_("receive a delivery: quantity, batch, "
	    "expiry, prices, reorder date"), CMD_RECEIVE },
	{ KEY_F(3), 0, N_("Remove"), N_("take stock out: damaged, expired, "
	    "sent back, or a correction"), CMD_REMOVE },
	{ KEY_F(4), 0, N_("Count"), N_("count the product for the stock "
	    "take (opens a sheet if needed)"), CMD_COUNT },
	{ KEY_F(5), 0, N_("Sheet"), N_("the stock take sheet: show it, "
	    "commit it or cancel it"), CMD_SHEET },
	{ KEY_F(6), 0, N_("Write off"), N_("write off every expired batch of "
	    "every product (asks first)"), CMD_WRITEOFF },
	{ KEY_F(7), 0, N_("Product"), N_("the product on the products screen "
	    "(edit, barcodes)"), CMD_PRODUCTS },
	{ 0, TUI_KEY_ENTER, NULL, N_("take the product chosen in the search"),
	    CMD_PICK },
	{ KEY_UP, 0, NULL, N_("choose among the search's products (Down "
	    "too)"), CMD_MOVE },
	{ 0, 0, NULL, NULL, 0 },
};

struct stock {
	struct w_input pick;		/* scan, or type a name or SKU */
	char query[W_INPUT_MAX];
	struct catalog_hit hits[HITS_MAX];
	struct w_list hl;
	struct product p;		/* the product being worked on */
	int has;
	struct stock_batch batches[BATCHES_MAX];
	int nb, nb_all;
	int64_t in_batches;		/* what all its batches hold */
	char before[LINE_MAX_TEXT];	/* the last action: before and after */
	char after[LINE_MAX_TEXT];
	char pending[LINE_MAX_TEXT];	/* "before" of the action under way */
	int64_t count_id;		/* the count sheet opened here, or 0 */
};

/* --- the product and its batches ---------------------------------------- */

static void
batch_collect(void *ctx, const struct stock_batch *b)
{
	struct stock *s = ctx;

	if (s->nb < BATCHES_MAX)
		s->batches[s->nb++] = *b;
	s->nb_all++;
	s->in_batches += b->qty_remaining;
}

/* Read the product and its batches again. */
static int
load_product(struct tui *t, struct stock *s, int64_t id)
{
	struct duka_err err = { 0, "" };
	struct db *db = tui_ctx(t)->db;

	s->nb = s->nb_all = 0;
	s->in_batches = 0;
	if (catalog_product_get(db, id, &s->p, &err) != DUKA_OK ||
	    stock_batches(db, id, batch_collect, s, &err) != DUKA_OK) {
		s->has = 0;
		tui_error_err(t, &err);
		return -1;
	}
	s->has = 1;
	return 0;
}

/* Work on the product with this code (barcode or SKU). */
static void
pick_code(struct tui *t, struct stock *s, const char *code)
{
	struct duka_err err = { 0, "" };
	struct product p;

	if (catalog_product_find(tui_ctx(t)->db, code, &p, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	w_input_clear(&s->pick);
	s->query[0] = '\0';
	s->before[0] = s->after[0] = '\0';
	if (load_product(t, s, p.id) == 0 && !p.active)
		tui_info(t, _("%s is inactive: reactivate it on the products "
		    "screen to receive stock."), p.name);
}

/* "34 piece" */
static void
qty_unit(int64_t qty, enum product_unit u, char *out, size_t n)
{
	char q[MONEY_MAX_TEXT];

	qty_format(qty, q, sizeof q);
	snprintf(out, n, "%s %s", q, product_unit_name(u));
}

/* Remember the stock before an action, for the line shown after it. */
static void
note_before(struct stock *s)
{
	char q[MONEY_MAX_TEXT + 16];

	qty_unit(s->p.stock_qty, s->p.unit, q, sizeof q);
	snprintf(s->pending, sizeof s->pending, ngettext("Before: %s in "
	    "stock, %d batch", "Before: %s in stock, %d batches", s->nb_all),
	    q, s->nb_all);
}

/* Reload after an action and say what it did. */
static void
note_after(struct tui *t, struct stock *s, const char *what)
{
	char q[MONEY_MAX_TEXT + 16];

	load_product(t, s, s->p.id);
	qty_unit(s->p.stock_qty, s->p.unit, q, sizeof q);
	memcpy(s->before, s->pending, sizeof s->before);
	snprintf(s->after, sizeof s->after, ngettext("After: %s in stock, "
	    "%d batch (%s)", "After: %s in stock, %d batches (%s)",
	    s->nb_all), q, s->nb_all, what);
	tui_info(t, "%s", what);
	tui_sync_kick(t);
}

/* --- receive ------------------------------------------------------------- */

enum {
	R_QTY, R_BATCH, R_EXPIRY, R_COST, R_PRICE, R_RDATE, R_SUPPLIER, R_REF,
	R_RECEIVED, R_COUNT
};

struct receive_form {
	struct tui *t;
	struct stock *s;
	char buf[R_COUNT][W_INPUT_MAX];
	const char *label[R_COUNT];
	int64_t batch_id, qty;
};

static int
receive_write(void *ctx, struct duka_err *err)
{
	struct receive_form *f = ctx;
	struct db *db = tui_ctx(f->t)->db;
	const struct product *p = &f->s->p;
	struct stock_receipt r;
	int rc;

	stock_receipt_init(&r);
	r.product_id = p->id;
	r.qty = fc_parse_qty(f->buf[R_QTY], 0);
	if (text_trim_copy(f->buf[R_BATCH], r.batch_no, sizeof r.batch_no) ||
	    text_trim_copy(f->buf[R_REF], r.reference, sizeof r.reference))
		return duka_fail(err, DUKA_EINPUT, _("a batch number or "
		    "delivery note has at most 64 characters"));
	if ((f->buf[R_EXPIRY][0] != '\0' &&
	    (rc = date_parse(f->buf[R_EXPIRY], r.expiry, err)) != DUKA_OK) ||
	    (f->buf[R_RECEIVED][0] != '\0' &&
	    (rc = date_parse(f->buf[R_RECEIVED], r.received, err)) != 0) ||
	    (f->buf[R_RDATE][0] != '\0' &&
	    (rc = date_parse(f->buf[R_RDATE], r.reorder_date, err)) != 0))
		return rc;
	if (strcmp(r.reorder_date, p->reorder_date) == 0)
		r.reorder_date[0] = '\0';
	r.unit_cost = fc_parse_amount(f->buf[R_COST], -1);
	r.new_price = fc_parse_amount(f->buf[R_PRICE], -1);
	if (r.new_price == p->price)
		r.new_price = -1;
	r.user = tui_ctx(f->t)->user;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if (f->buf[R_SUPPLIER][0] != '\0')
		rc = catalog_supplier_ensure(db, f->buf[R_SUPPLIER], NULL, 0,
		    &r.supplier_id, err);
	if (rc == DUKA_OK)
		rc = stock_receive(db, &r, &f->batch_id, err);
	if (rc != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	f->qty = r.qty;
	return db_commit(db, err);
}

static int
receive_submit(struct w_field *fields, int n, void *ctx,
    struct duka_err *err)
{
	struct receive_form *f = ctx;

	(void)fields;
	(void)n;
	return fc_run_approved(f->t, PERM_STOCK_RECEIVE, receive_write, f, err);
}

static void
receive(struct tui *t, struct stock *s)
{
	static struct receive_form f;
	static const struct {
		const char *label;
		enum w_input_kind kind;
		w_check_fn check;
		int optional;
	} def[R_COUNT] = {
		[R_QTY] = { N_("Quantity"), W_QTY, fc_qty, 0 },
		[R_BATCH] = { N_("Batch number"), W_TEXT, NULL, 1 },
		[R_EXPIRY] = { N_("Expiry date"), W_DATE, fc_date, 1 },
		[R_COST] = { N_("Supplier price (unit)"), W_AMOUNT, fc_amount,
		    1 },
		[R_PRICE] = { N_("Shelf price"), W_AMOUNT, fc_amount, 1 },
		[R_RDATE] = { N_("Reorder date"), W_DATE, fc_date, 1 },
		[R_SUPPLIER] = { N_("Supplier"), W_TEXT, NULL, 1 },
		[R_REF] = { N_("Delivery note"), W_TEXT, NULL, 1 },
		[R_RECEIVED] = { N_("Received on"), W_DATE, fc_date, 1 },
	};
	struct w_field fields[R_COUNT];
	char title[200], what[LINE_MAX_TEXT], q[MONEY_MAX_TEXT + 16];
	int i;

	memset(&f, 0, sizeof f);
	f.t = t;
	f.s = s;
	money_format(s->p.cost, f.buf[R_COST], W_INPUT_MAX);
	money_format(s->p.price, f.buf[R_PRICE], W_INPUT_MAX);
	snprintf(f.buf[R_RDATE], W_INPUT_MAX, "%s", s->p.reorder_date);
	for (i = 0; i < R_COUNT; i++) {
		f.label[i] = _(def[i].label);
		fields[i].label = f.label[i];
		fields[i].kind = def[i].kind;
		fields[i].buf = f.buf[i];
		fields[i].n = W_INPUT_MAX;
		fields[i].check = def[i].check;
		fields[i].ctx = (void *)f.label[i];
		fields[i].optional = def[i].optional;
	}
	fields[R_BATCH].n = fields[R_REF].n = 65;
	snprintf(title, sizeof title, _("Receive %s"), s->p.name);
	note_before(s);
	if (w_form(t, title, fields, R_COUNT, receive_submit, &f) != DUKA_OK)
		return;
	qty_unit(f.qty, s->p.unit, q, sizeof q);
	snprintf(what, sizeof what, _("received %s into batch %lld"), q,
	    (long long)f.batch_id);
	note_after(t, s, what);
}

/* --- remove -------------------------------------------------------------- */

enum { M_QTY, M_BATCH, M_REF, M_NOTE, M_COUNT };

struct remove_form {
	struct tui *t;
	struct stock *s;
	enum stock_reason reason;
	char buf[M_COUNT][W_INPUT_MAX];
	int64_t qty;
	int n;
};

static int
remove_write(void *ctx, struct duka_err *err)
{
	static struct stock_allocation alloc[REMOVE_MAX_ALLOC];
	struct remove_form *f = ctx;
	struct stock_issue is;

	memset(&is, 0, sizeof is);
	is.product_id = f->s->p.id;
	is.qty = fc_parse_qty(f->buf[M_QTY], 0);
	is.reason = f->reason;
	is.batch_id = fc_parse_number(f->buf[M_BATCH], 0);
	/* Damaged or expired goods go whatever their date says. */
	is.flags = STOCK_ALLOW_EXPIRED;
	is.reference = f->buf[M_REF][0] ? f->buf[M_REF] : NULL;
	is.note = f->buf[M_NOTE][0] ? f->buf[M_NOTE] : NULL;
	is.user = tui_ctx(f->t)->user;
	f->qty = is.qty;
	return stock_issue(tui_ctx(f->t)->db, &is, alloc, REMOVE_MAX_ALLOC,
	    &f->n, err);
}

static int
remove_submit(struct w_field *fields, int n, void *ctx,
    struct duka_err *err)
{
	struct remove_form *f = ctx;

	(void)fields;
	(void)n;
	return fc_run_approved(f->t, PERM_STOCK_ADJUST, remove_write, f, err);
}

static void
remove_stock(struct tui *t, struct stock *s)
{
	static const enum stock_reason reasons[] = {
		STOCK_DAMAGE, STOCK_EXPIRY, STOCK_TRANSFER, STOCK_CORRECTION,
	};
	static struct remove_form f;
	const char *items[4];
	struct w_field fields[M_COUNT];
	char title[200], what[LINE_MAX_TEXT], q[MONEY_MAX_TEXT + 16];
	const char *labels[M_COUNT];
	int k, i;

	items[0] = _("Damaged");
	items[1] = _("Expired (write-off)");
	items[2] = _("Sent back or transferred");
	items[3] = _("Correction (a counting or typing mistake)");
	snprintf(title, sizeof title, _("Why does %s leave the stock?"),
	    s->p.name);
	if ((k = w_menu(t, title, items, 4, 0)) < 0)
		return;
	memset(&f, 0, sizeof f);
	f.t = t;
	f.s = s;
	f.reason = reasons[k];
	labels[M_QTY] = _("Quantity");
	labels[M_BATCH] = _("From batch (number)");
	labels[M_REF] = _("Reference");
	labels[M_NOTE] = _("Note");
	for (i = 0; i < M_COUNT; i++) {
		fields[i].label = labels[i];
		fields[i].kind = W_TEXT;
		fields[i].buf = f.buf[i];
		fields[i].n = W_INPUT_MAX;
		fields[i].check = NULL;
		fields[i].ctx = (void *)labels[i];
		fields[i].optional = i != M_QTY;
	}
	fields[M_QTY].kind = W_QTY;
	fields[M_QTY].check = fc_qty;
	fields[M_BATCH].kind = W_DIGITS;
	fields[M_BATCH].check = fc_number;
	fields[M_REF].n = 65;
	snprintf(title, sizeof title, _("Remove %s: %s"), s->p.name, items[k]);
	note_before(s);
	if (w_form(t, title, fields, M_COUNT, remove_submit, &f) != DUKA_OK)
		return;
	qty_unit(f.qty, s->p.unit, q, sizeof q);
	snprintf(what, sizeof what, _("removed %s as %s"), q,
	    stock_reason_name(f.reason));
	note_after(t, s, what);
}

/* --- stock take ---------------------------------------------------------- */

struct count_ctx {
	struct tui *t;
	struct stock *s;
	int64_t category_id;
	int64_t qty;
};

static int
count_open_write(void *ctx, struct duka_err *err)
{
	struct count_ctx *c = ctx;

	return stocktake_open(tui_ctx(c->t)->db, c->category_id,
	    tui_ctx(c->t)->user, &c->s->count_id, err);
}

static int
count_set_write(void *ctx, struct duka_err *err)
{
	struct count_ctx *c = ctx;

	return stocktake_set(tui_ctx(c->t)->db, c->s->count_id, c->s->p.id,
	    c->qty, err);
}

static int
count_check(const char *text, void *ctx, struct duka_err *err)
{
	struct count_ctx *c = ctx;
	int rc;

	if ((rc = fc_qty_zero(text, (void *)_("Counted"), err)) != DUKA_OK)
		return rc;
	c->qty = fc_parse_qty(text, 0);
	return fc_run_approved(c->t, PERM_STOCK_ADJUST, count_set_write, c,
	    err);
}

/*
 * The count sheet to count on: the one in use here while it stays open,
 * else the newest open one (left by an earlier run, or opened with duka
 * stock count start), else none.
 */
static void
count_sheet_find(struct tui *t, struct stock *s)
{
	struct duka_err err = { 0, "" };
	struct stocktake_sheet sh;
	int64_t id = 0;

	if (s->count_id != 0 && (stocktake_get(tui_ctx(t)->db, s->count_id,
	    &sh, &err) != DUKA_OK || strcmp(sh.state, "open") != 0))
		s->count_id = 0;
	if (s->count_id == 0 && stocktake_latest_open(tui_ctx(t)->db, &id,
	    &err) == DUKA_OK)
		s->count_id = id;
}

/* Open a sheet if none is open here, then take the product's count. */
static void
count(struct tui *t, struct stock *s)
{
	struct count_ctx c = { t, s, 0, 0 };
	struct duka_err err = { 0, "" };
	char buf[W_INPUT_MAX] = "", title[PRODUCT_NAME_MAX + 80];
	char rec[MONEY_MAX_TEXT + 16];
	char what[LINE_MAX_TEXT], item[CATEGORY_NAME_MAX + 40], diff[40];
	const char *items[2];
	int k = 0;

	count_sheet_find(t, s);
	if (s->count_id == 0) {
		items[0] = _("All products");
		snprintf(item, sizeof item, _("Only %s"), s->p.category);
		items[1] = item;
		if ((k = w_menu(t, _("New count sheet"), items,
		    s->p.category_id != 0 ? 2 : 1, 0)) < 0)
			return;
		c.category_id = k == 1 ? s->p.category_id : 0;
		if (fc_run_approved(t, PERM_STOCK_ADJUST, count_open_write, &c,
		    &err) != DUKA_OK) {
			tui_error_err(t, &err);
			return;
		}
	}
	qty_unit(s->p.stock_qty, s->p.unit, rec, sizeof rec);
	snprintf(title, sizeof title, _("Count %s: %s on record"), s->p.name,
	    rec);
	note_before(s);
	if (w_prompt(t, title, _("Counted"), W_QTY, buf, sizeof buf,
	    count_check, &c) != DUKA_OK)
		return;
	qty_format(c.qty - s->p.stock_qty, diff + 1, sizeof diff - 1);
	diff[0] = c.qty > s->p.stock_qty ? '+' : ' ';
	qty_unit(c.qty, s->p.unit, rec, sizeof rec);
	snprintf(what, sizeof what, _("counted %s on sheet %lld, difference "
	    "%s; F5 commits the sheet"), rec, (long long)s->count_id,
	    diff[0] == '+' ? diff : diff + 1);
	note_after(t, s, what);
}

/* One counted line of the sheet, for the sheet's view. */
static void
sheet_line(void *ctx, const struct stocktake_line *l)
{
	char **text = ctx, rec[MONEY_MAX_TEXT], cnt[MONEY_MAX_TEXT];
	char line[LINE_MAX_TEXT];
	size_t have = strlen(*text), add;
	char *more;

	if (l->counted_qty < 0)
		return;
	qty_format(l->stock_qty, rec, sizeof rec);
	qty_format(l->counted_qty, cnt, sizeof cnt);
	snprintf(line, sizeof line, "%-14s %-30.30s %10s %10s\n", l->sku,
	    l->name, rec, cnt);
	add = strlen(line);
	if ((more = realloc(*text, have + add + 1)) == NULL)
		return;
	memcpy(more + have, line, add + 1);
	*text = more;
}

struct commit_ctx {
	struct tui *t;
	int64_t id;
	struct stocktake_result *res;
};

static int
commit_write(void *ctx, struct duka_err *err)
{
	struct commit_ctx *c = ctx;

	return stocktake_commit(tui_ctx(c->t)->db, c->id, tui_ctx(c->t)->user,
	    c->res, err);
}

/* F5: show, commit or cancel the sheet opened here. */
static void
sheet(struct tui *t, struct stock *s)
{
	struct commit_ctx c = { t, 0, NULL };
	struct duka_err err = { 0, "" };
	struct stocktake_result res;
	struct stocktake_sheet sh;
	char title[160], gain[MONEY_MAX_TEXT], loss[MONEY_MAX_TEXT];
	const char *items[3];
	char *text;
	int k;

	count_sheet_find(t, s);
	if (s->count_id == 0 || stocktake_get(tui_ctx(t)->db, s->count_id,
	    &sh, &err) != DUKA_OK) {
		tui_error(t, _("No count sheet is open here: F4 counts a "
		    "product and opens one."));
		return;
	}
	items[0] = _("Show the counted products");
	items[1] = _("Commit: book the differences");
	items[2] = _("Cancel the sheet (stock stays as it is)");
	snprintf(title, sizeof title, _("Count sheet %lld: %lld of %lld "
	    "counted"), (long long)sh.id, (long long)sh.counted,
	    (long long)sh.lines);
	if ((k = w_menu(t, title, items, 3, 0)) < 0)
		return;
	if (k == 0) {
		if ((text = calloc(1, 1)) == NULL)
			return;
		snprintf(title, sizeof title, "%-14s %-30s %10s %10s",
		    _("SKU"), _("Name"), _("On record"), _("Counted"));
		if (stocktake_lines(tui_ctx(t)->db, sh.id, sheet_line, &text,
		    &err) != DUKA_OK)
			tui_error_err(t, &err);
		else
			w_text_view(t, title, text[0] ? text :
			    _("Nothing counted yet."));
		free(text);
		return;
	}
	if (k == 2) {
		if (!w_confirm(t, _("Cancel the count sheet? The counts are "
		    "dropped and the stock stays as it is."), 0))
			return;
		if (stocktake_cancel(tui_ctx(t)->db, sh.id, &err) != DUKA_OK) {
			tui_error_err(t, &err);
			return;
		}
		s->count_id = 0;
		tui_info(t, _("Count sheet %lld cancelled; stock is "
		    "unchanged."), (long long)sh.id);
		return;
	}
	if (!w_confirm(t, _("Commit the count sheet? Each counted product's "
	    "stock becomes what was counted."), 0))
		return;
	if (s->has)
		note_before(s);
	c.id = sh.id;
	c.res = &res;
	if (fc_run_approved(t, PERM_STOCK_ADJUST, commit_write, &c, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	s->count_id = 0;
	money_format_ksh(res.gain_value, gain, sizeof gain);
	money_format_ksh(res.loss_value, loss, sizeof loss);
	snprintf(title, sizeof title, ngettext("committed count sheet %lld: "
	    "%lld movement, gain %s, loss %s at cost", "committed count sheet "
	    "%lld: %lld movements, gain %s, loss %s at cost", res.lines),
	    (long long)sh.id, (long long)res.lines, gain, loss);
	if (s->has) {
		note_after(t, s, title);
	} else {
		tui_info(t, "%s", title);
		tui_sync_kick(t);
	}
}

/* --- write off ----------------------------------------------------------- */

struct writeoff {
	struct tui *t;
	int64_t batches, value;
};

static int
writeoff_write(void *ctx, struct duka_err *err)
{
	struct writeoff *w = ctx;

	return stock_writeoff_expired(tui_ctx(w->t)->db, tui_ctx(w->t)->user,
	    &w->batches, &w->value, err);
}

static void
writeoff(struct tui *t, struct stock *s)
{
	struct writeoff w = { t, 0, 0 };
	struct duka_err err = { 0, "" };
	char v[MONEY_MAX_TEXT], what[LINE_MAX_TEXT];

	if (!w_confirm(t, _("Write off every expired batch that still holds "
	    "stock, in every product?"), 0))
		return;
	if (s->has)
		note_before(s);
	if (fc_run_approved(t, PERM_STOCK_ADJUST, writeoff_write, &w, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	money_format_ksh(w.value, v, sizeof v);
	if (w.batches == 0)
		snprintf(what, sizeof what, "%s",
		    _("no expired stock to write off"));
	else
		snprintf(what, sizeof what, ngettext("wrote off %lld expired "
		    "batch worth %s at cost", "wrote off %lld expired batches "
		    "worth %s at cost", w.batches), (long long)w.batches, v);
	if (s->has) {
		note_after(t, s, what);
	} else {
		tui_info(t, "%s", what);
		tui_sync_kick(t);
	}
}

/* --- drawing ------------------------------------------------------------- */

static void
draw_hits(struct tui *t, struct stock *s, int y, int rows)
{
	int cols = tui_cols(t), i;
	char q[MONEY_MAX_TEXT + 16];

	w_list_fix(&s->hl, rows);
	for (i = 0; i < rows && s->hl.top + i < s->hl.n; i++) {
		const struct catalog_hit *h = &s->hits[s->hl.top + i];
		enum theme_role r = s->hl.top + i == s->hl.sel ?
		    ROLE_SELECTED : ROLE_NORMAL;

		qty_unit(h->stock_qty, h->unit, q, sizeof q);
		w_fill(y + i, 0, 1, cols, r);
		w_put(y + i, 1, 14, r, h->sku);
		w_put(y + i, 16, cols - 34, r, h->name);
		w_put_right(y + i, cols - 17, 16, r, q);
	}
	if (s->hl.n == 0)
		w_put(y, 1, cols - 2, ROLE_DIM,
		    _("No active product matches."));
}

static void
draw_product(struct tui *t, struct stock *s, int y, int last)
{
	const struct product *p = &s->p;
	char price[MONEY_MAX_TEXT], cost[MONEY_MAX_TEXT], today[DATE_LEN];
	char warn[DATE_LEN];
	char q[MONEY_MAX_TEXT + 16], lvl[MONEY_MAX_TEXT + 16];
	char c[MONEY_MAX_TEXT], left[MONEY_MAX_TEXT];
	int cols = tui_cols(t), i;

	date_today(today);
	date_add_days(today, tui_ctx(t)->cfg->near_expiry_days, warn);
	money_format(p->price, price, sizeof price);
	money_format(p->cost, cost, sizeof cost);
	qty_unit(p->stock_qty, p->unit, q, sizeof q);
	qty_unit(p->reorder_level, p->unit, lvl, sizeof lvl);
	w_putf(y++, 1, cols - 2, ROLE_TITLE, "%s  (SKU %s)%s", p->name, p->sku,
	    p->active ? "" : _("  INACTIVE"));
	w_putf(y++, 1, cols - 2, p->stock_qty <= 0 ? ROLE_BAD :
	    p->stock_qty <= p->reorder_level ? ROLE_WARN : ROLE_NORMAL,
	    _("In stock: %s · reorder at %s%s%s · price %s · cost %s"), q,
	    lvl, p->reorder_date[0] ? _(" on ") : "", p->reorder_date, price,
	    cost);
	w_put(y++, 1, cols - 2, ROLE_DIM, s->before);
	w_put(y++, 1, cols - 2, ROLE_OK, s->after);
	w_put(y, 1, 7, ROLE_TITLE, _("Batch"));
	w_put(y, 9, 14, ROLE_TITLE, _("Number"));
	w_put(y, 24, 11, ROLE_TITLE, _("Expiry"));
	w_put(y, 36, 11, ROLE_TITLE, _("Received"));
	w_put_right(y, 47, 10, ROLE_TITLE, _("Unit cost"));
	w_put_right(y, 58, 10, ROLE_TITLE, _("Left"));
	y++;
	for (i = 0; i < s->nb && y < last; i++, y++) {
		const struct stock_batch *b = &s->batches[i];
		int expired = b->expiry[0] && strcmp(b->expiry, today) < 0;
		int soon = b->expiry[0] && strcmp(b->expiry, warn) <= 0;
		enum theme_role r = expired ? ROLE_BAD : soon ? ROLE_WARN :
		    ROLE_NORMAL;

		qty_format(b->qty_remaining, left, sizeof left);
		money_format(b->unit_cost, c, sizeof c);
		w_putf(y, 1, 7, r, "%lld", (long long)b->id);
		w_put(y, 9, 14, r, b->batch_no[0] ? b->batch_no : "-");
		w_put(y, 24, 11, r, b->expiry[0] ? b->expiry : "-");
		w_put(y, 36, 11, r, b->received);
		w_put_right(y, 47, 10, r, c);
		w_put_right(y, 58, 10, r, left);
		if (expired)
			w_put(y, 70, cols - 71, r, _("EXPIRED"));
	}
	if (s->nb == 0 && y < last)
		w_put(y++, 1, cols - 2, ROLE_DIM, _("(no batch holds stock)"));
	if (s->nb < s->nb_all && y < last)
		w_putf(y++, 1, cols - 2, ROLE_DIM, _("... and %d more batches"),
		    s->nb_all - s->nb);
	if (p->stock_qty != s->in_batches && y < last) {
		qty_format(p->stock_qty - s->in_batches, left, sizeof left);
		w_putf(y++, 1, cols - 2, ROLE_WARN, _("Without a batch: %s"),
		    left);
	}
}

static void
stock_draw(struct tui *t, void *st)
{
	struct stock *s = st;
	int rows = tui_body_rows(t), cols = tui_cols(t), y = TUI_BODY_TOP;
	int last = TUI_BODY_TOP + rows - 1;

	w_put(y, 1, 9, ROLE_TITLE, _("Product:"));
	w_input_draw(&s->pick, y, 10, cols - 12, 1);
	y += 2;
	if (s->pick.buf[0] != '\0')
		draw_hits(t, s, y, last - y);
	else if (s->has)
		draw_product(t, s, y, last);
	else
		w_put(y, 1, cols - 2, ROLE_DIM, _("Scan a product, or type "
		    "part of its name or SKU and press Enter."));
	if (s->count_id != 0)
		w_putf(last, 1, cols - 2, ROLE_WARN, _("Count sheet %lld is "
		    "open: F4 counts more products, F5 commits it."),
		    (long long)s->count_id);
	else
		w_put(last, 1, cols - 2, ROLE_NORMAL, "");
}

/* --- the screen ---------------------------------------------------------- */

static void *
stock_open(struct tui *t)
{
	static struct stock s;

	(void)t;
	memset(&s, 0, sizeof s);
	w_input_init(&s.pick, W_TEXT, "");
	return &s;
}

static void
stock_enter(struct tui *t, void *st, const char *arg)
{
	struct stock *s = st;

	if (arg != NULL)
		pick_code(t, s, arg);
	else if (s->has)
		load_product(t, s, s->p.id);
	count_sheet_find(t, s);
}

/* Search as the text changes. */
static void
search(struct tui *t, struct stock *s)
{
	struct duka_err err = { 0, "" };
	int n = 0;

	snprintf(s->query, sizeof s->query, "%s", s->pick.buf);
	memset(&s->hl, 0, sizeof s->hl);
	if (s->query[0] == '\0')
		return;
	if (catalog_search(tui_ctx(t)->db, s->query, s->hits, HITS_MAX, &n,
	    &err) != DUKA_OK)
		tui_error_err(t, &err);
	s->hl.n = n;
}

static enum tui_handled
stock_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct stock *s = st;
	enum w_input_result r;
	char code[SKU_MAX];

	if (cmd == CMD_PICK) {
		if (s->pick.buf[0] == '\0')
			return TUI_DONE;
		if (s->hl.n > 0) {
			snprintf(code, sizeof code, "%s",
			    s->hits[s->hl.sel].sku);
			pick_code(t, s, code);
		} else {
			pick_code(t, s, s->pick.buf);
		}
		return TUI_DONE;
	}
	/* An action while the search shows products takes the chosen one. */
	if ((cmd == CMD_RECEIVE || cmd == CMD_REMOVE || cmd == CMD_COUNT ||
	    cmd == CMD_PRODUCTS) && s->pick.buf[0] != '\0') {
		if (s->hl.n == 0) {
			tui_error(t, _("No product matches \"%s\"."),
			    s->pick.buf);
			return TUI_DONE;
		}
		snprintf(code, sizeof code, "%s", s->hits[s->hl.sel].sku);
		pick_code(t, s, code);
	}
	if (cmd >= CMD_RECEIVE && cmd <= CMD_PRODUCTS && cmd != CMD_SHEET &&
	    cmd != CMD_WRITEOFF && !s->has) {
		tui_error(t, _("Pick a product first: scan it, or type its "
		    "name and press Enter."));
		return TUI_DONE;
	}
	switch (cmd) {
	case CMD_RECEIVE:
		receive(t, s);
		return TUI_DONE;
	case CMD_REMOVE:
		remove_stock(t, s);
		return TUI_DONE;
	case CMD_COUNT:
		count(t, s);
		return TUI_DONE;
	case CMD_SHEET:
		sheet(t, s);
		return TUI_DONE;
	case CMD_WRITEOFF:
		writeoff(t, s);
		return TUI_DONE;
	case CMD_PRODUCTS:
		tui_goto(t, "products", s->p.sku);
		return TUI_DONE;
	default:
		break;
	}
	if (ev->type == TUI_EV_KEY && ev->key == 0 && ev->ch == TUI_KEY_ESC &&
	    s->pick.buf[0] != '\0') {
		w_input_clear(&s->pick);
		s->query[0] = '\0';
		return TUI_DONE;
	}
	if (s->pick.buf[0] != '\0' && w_list_key(&s->hl, ev,
	    tui_body_rows(t) - 3))
		return TUI_DONE;
	r = w_input_key(&s->pick, ev);
	if (r == W_INPUT_REFUSED) {
		tui_error(t, "%s", w_input_refusal(s->pick.kind));
		return TUI_DONE;
	}
	if (r != W_INPUT_CHANGED)
		return TUI_IGNORED;
	if (strcmp(s->pick.buf, s->query) != 0)
		search(t, s);
	return TUI_DONE;
}

static enum tui_handled
stock_scan(struct tui *t, void *st, const char *code)
{
	pick_code(t, st, code);
	return TUI_DONE;
}

const struct tui_screen screen_stock = {
	"stock", N_("Stock entry"), keys, stock_open, NULL, stock_enter,
	stock_draw, stock_key, stock_scan, NULL, NULL,
};
