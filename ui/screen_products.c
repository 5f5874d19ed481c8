/*
 * screen_products.c - the products screen: the catalogue as a list that
 * pages through any number of products (catalog_page, a page of rows at a
 * time), as-you-type search (catalog_search), adding and editing products
 * in a form, deactivating and reactivating them, and their barcodes.
 *
 * The list has two modes. With the search field empty it browses the whole
 * catalogue in SKU order, inactive products too, holding only the rows on
 * the screen: moving past the edge asks for the next or previous rows from
 * the SKU at the edge. With text in the search field it shows the search's
 * hits (active products only, best first). A scan finds the product by any
 * of its barcodes and selects it.
 *
 * Every change goes through src/catalog.c; a change that needs a manager
 * (DUKA_EPERM) asks for one with tui_approve() and is tried once more.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "barcode.h"
#include "catalog.h"
#include "field_check.h"
#include "i18n.h"
#include "money.h"
#include "text.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

#define ROWS_MAX 128		/* rows on a screen, at most */
#define HITS_MAX 100		/* search hits shown */
#define CODES_MAX 16		/* barcodes listed per product */

enum {
	CMD_ADD, CMD_EDIT, CMD_BARCODES, CMD_ACTIVE, CMD_STOCK, CMD_MOVE,
};

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Add"), N_("add a product"), CMD_ADD },
	{ KEY_F(3), 0, N_("Edit"), N_("edit the selected product (Enter "
	    "too)"), CMD_EDIT },
	{ 0, TUI_KEY_ENTER, NULL, N_("edit the selected product"),
	    CMD_EDIT },
	{ KEY_F(4), 0, N_("Barcodes"), N_("the selected product's barcodes: "
	    "add (type or scan) and remove"), CMD_BARCODES },
	{ KEY_F(5), 0, N_("On/off"), N_("deactivate the selected product, "
	    "or reactivate it (asks first)"), CMD_ACTIVE },
	{ KEY_F(6), 0, N_("Stock"), N_("receive, remove or count the "
	    "selected product's stock"), CMD_STOCK },
	{ KEY_UP, 0, NULL, N_("move in the list (PgUp, PgDn, Home, End "
	    "too); typing searches"), CMD_MOVE },
	{ 0, 0, NULL, NULL, 0 },
};

struct products {
	struct w_input search;
	char query[W_INPUT_MAX];	/* what the hits were found for */
	/* Browse mode: the rows on screen, from the SKU of the first. */
	struct product rows[ROWS_MAX];
	int n, sel;
	/* Search mode. */
	struct product hits[HITS_MAX];
	struct w_list hl;
	int page;			/* list rows at the last draw */
	char codes[256];		/* the selected product's barcodes */
	int64_t codes_of;		/* ... for this product id */
};

/* --- the list ---------------------------------------------------------- */

static int
searching(const struct products *s)
{
	return s->search.buf[0] != '\0';
}

/* The selected product, or NULL when the list is empty. */
static struct product *
selected(struct products *s)
{
	if (searching(s))
		return s->hl.n > 0 ? &s->hits[s->hl.sel] : NULL;
	return s->n > 0 ? &s->rows[s->sel] : NULL;
}

static int
page_rows(struct tui *t)
{
	int page = tui_body_rows(t) - 3;

	if (page < 1)
		page = 1;
	return page > ROWS_MAX ? ROWS_MAX : page;
}

/* Load the rows of the page that starts at sku (forwards), or that ends
 * just before it (backwards). 0 if no row came (the rows are kept). */
static int
load_page(struct tui *t, struct products *s, const char *sku, int before,
    int max)
{
	static struct product tmp[ROWS_MAX];
	struct duka_err err = { 0, "" };
	int n = 0;

	if (catalog_page(tui_ctx(t)->db, sku, before, tmp, max, &n,
	    &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return 0;
	}
	if (n == 0)
		return 0;
	memcpy(s->rows, tmp, (size_t)n * sizeof *tmp);
	s->n = n;
	return n;
}

/* Browse from the top row again (after a change, or a resize), keeping
 * the selection where it was. */
static void
reload(struct tui *t, struct products *s)
{
	char top[SKU_MAX] = "";
	int page = page_rows(t), sel = s->sel;

	if (s->n > 0)
		snprintf(top, sizeof top, "%s", s->rows[0].sku);
	s->n = 0;
	if (load_page(t, s, top, 0, page) < page && top[0] != '\0')
		load_page(t, s, "", 1, page);	/* near the end: a full page */
	s->sel = sel >= s->n ? s->n - 1 : sel;
	if (s->sel < 0)
		s->sel = 0;
}

/* Browse so that the product with sku is on screen and selected. */
static void
show_sku(struct tui *t, struct products *s, const char *sku)
{
	int page = page_rows(t), i;

	s->n = 0;
	s->sel = 0;
	if (load_page(t, s, sku, 0, page) < page)
		load_page(t, s, "", 1, page);
	for (i = 0; i < s->n; i++)
		if (strcasecmp(s->rows[i].sku, sku) == 0)
			s->sel = i;
}

/* Find the hits of the search field (full rows, for the columns). */
static void
search_run(struct tui *t, struct products *s)
{
	static struct catalog_hit hits[HITS_MAX];
	struct duka_err err = { 0, "" };
	struct db *db = tui_ctx(t)->db;
	int n = 0, i, k = 0;

	snprintf(s->query, sizeof s->query, "%s", s->search.buf);
	memset(&s->hl, 0, sizeof s->hl);
	if (catalog_search(db, s->query, hits, HITS_MAX, &n, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	for (i = 0; i < n; i++)
		if (catalog_product_get(db, hits[i].id, &s->hits[k],
		    &err) == DUKA_OK)
			k++;
	s->hl.n = k;
}

/* Up, Down, PgUp, PgDn, Home, End over the whole catalogue. */
static int
browse_key(struct tui *t, struct products *s, const struct tui_event *ev)
{
	static struct product one[1];
	struct duka_err err = { 0, "" };
	int page = page_rows(t), n = 0;
	char sku[SKU_MAX];

	if (ev->type != TUI_EV_KEY)
		return 0;
	switch (ev->key) {
	case KEY_DOWN:
		if (s->sel < s->n - 1) {
			s->sel++;
		} else if (s->n == page && s->n > 1) {
			/* Scroll by one when a product follows the last row. */
			struct product next[2];

			if (catalog_page(tui_ctx(t)->db, s->rows[s->n - 1].sku,
			    0, next, 2, &n, &err) == DUKA_OK && n == 2) {
				snprintf(sku, sizeof sku, "%s", s->rows[1].sku);
				load_page(t, s, sku, 0, page);
			}
		}
		return 1;
	case KEY_UP:
		if (s->sel > 0)
			s->sel--;
		else if (s->n > 0 && catalog_page(tui_ctx(t)->db,
		    s->rows[0].sku, 1, one, 1, &n, &err) == DUKA_OK && n == 1) {
			snprintf(sku, sizeof sku, "%s", one[0].sku);
			load_page(t, s, sku, 0, page);
		}
		return 1;
	case KEY_NPAGE:
		if (s->n < page || s->n < 2) {
			s->sel = s->n - 1;
		} else {
			snprintf(sku, sizeof sku, "%s", s->rows[s->n - 1].sku);
			if (load_page(t, s, sku, 0, page) < page)
				load_page(t, s, "", 1, page);
		}
		break;
	case KEY_PPAGE:
		/* The top row becomes the bottom one, as PgDn makes the
		 * bottom row the top one. */
		if (s->n == 0)
			break;
		if (page < 2 || catalog_page(tui_ctx(t)->db, s->rows[0].sku, 1,
		    one, 1, &n, &err) != DUKA_OK || n == 0) {
			s->sel = 0;
			break;
		}
		snprintf(sku, sizeof sku, "%s", s->rows[0].sku);
		if (load_page(t, s, sku, 1, page - 1) < page - 1)
			load_page(t, s, "", 0, page);
		else {
			snprintf(sku, sizeof sku, "%s", s->rows[0].sku);
			load_page(t, s, sku, 0, page);
		}
		break;
	case KEY_HOME:
		s->n = 0;
		load_page(t, s, "", 0, page);
		s->sel = 0;
		break;
	case KEY_END:
		s->n = 0;
		load_page(t, s, "", 1, page);
		s->sel = s->n - 1;
		break;
	default:
		return 0;
	}
	if (s->sel >= s->n)
		s->sel = s->n - 1;
	if (s->sel < 0)
		s->sel = 0;
	return 1;
}

/* --- drawing ----------------------------------------------------------- */

/* Collect the barcodes of a product into one line. */
static void
code_line(void *ctx, const char *code, const char *kind)
{
	char *line = ctx;
	size_t o = strlen(line);

	(void)kind;
	snprintf(line + o, 256 - o, "%s%s", o > 0 ? " " : "", code);
}

static void
draw_row(int y, int cols, const struct product *p, int sel)
{
	enum theme_role role = sel ? ROLE_SELECTED : p->active ? ROLE_NORMAL :
	    ROLE_DIM;
	char price[MONEY_MAX_TEXT];
	int name_w = cols - 55, x = 1;

	if (name_w < 10)
		name_w = 10;
	money_format(p->price, price, sizeof price);
	w_fill(y, 0, 1, cols, role);
	w_put(y, x, 13, role, p->sku);
	x += 14;
	w_put(y, x, name_w, role, p->name);
	x += name_w + 1;
	w_put(y, x, 12, role, p->category[0] ? p->category : "-");
	x += 13;
	w_put_right(y, x, 10, role, price);
	x += 11;
	w_put(y, x, 8, role, tax_class_name(p->tax));
	x += 9;
	w_put(y, x, cols - x, sel ? role : p->active ? ROLE_OK : ROLE_BAD,
	    p->active ? _("yes") : _("no"));
}

static void
products_draw(struct tui *t, void *st)
{
	struct products *s = st;
	int rows = tui_body_rows(t), cols = tui_cols(t), y = TUI_BODY_TOP;
	int page = page_rows(t), i, name_w = cols - 55;
	struct duka_err err = { 0, "" };
	struct product *p;
	char qty[MONEY_MAX_TEXT], cost[MONEY_MAX_TEXT];

	if (page != s->page && !searching(s)) {
		s->page = page;
		reload(t, s);
	}
	s->page = page;
	w_put(y, 1, 9, ROLE_TITLE, _("Search:"));
	w_input_draw(&s->search, y, 10, cols - 12, 1);
	y++;
	w_put(y, 1, 13, ROLE_TITLE, _("SKU"));
	w_put(y, 15, name_w, ROLE_TITLE, _("Name"));
	w_put(y, 16 + name_w, 12, ROLE_TITLE, _("Category"));
	w_put_right(y, 29 + name_w, 10, ROLE_TITLE, _("Price"));
	w_put(y, 40 + name_w, 8, ROLE_TITLE, _("VAT"));
	w_put(y, 49 + name_w, cols - 49 - name_w, ROLE_TITLE, _("Active"));
	y++;
	if (searching(s)) {
		w_list_fix(&s->hl, page);
		for (i = 0; i < page && s->hl.top + i < s->hl.n; i++)
			draw_row(y + i, cols, &s->hits[s->hl.top + i],
			    s->hl.top + i == s->hl.sel);
		if (s->hl.n == 0)
			w_put(y, 1, cols - 2, ROLE_DIM, _("No active product "
			    "matches; F2 adds one."));
	} else {
		for (i = 0; i < s->n && i < page; i++)
			draw_row(y + i, cols, &s->rows[i], i == s->sel);
		if (s->n == 0)
			w_put(y, 1, cols - 2, ROLE_DIM, _("No products yet; F2 "
			    "adds one."));
	}
	/* The selected product's stock, cost and barcodes. */
	y = TUI_BODY_TOP + rows - 1;
	if ((p = selected(s)) == NULL) {
		w_put(y, 0, cols, ROLE_NORMAL, "");
		return;
	}
	if (s->codes_of != p->id) {
		s->codes[0] = '\0';
		s->codes_of = p->id;
		if (catalog_barcodes(tui_ctx(t)->db, p->id, code_line,
		    s->codes, &err) != DUKA_OK)
			s->codes[0] = '\0';
	}
	qty_format(p->stock_qty, qty, sizeof qty);
	money_format(p->cost, cost, sizeof cost);
	w_putf(y, 1, cols - 2, ROLE_DIM, _("In stock %s %s · cost %s · "
	    "barcodes: %s"), qty, product_unit_name(p->unit), cost,
	    s->codes[0] ? s->codes : "-");
}

/* --- the product form -------------------------------------------------- */

enum {
	F_SKU, F_NAME, F_CATEGORY, F_UNIT, F_PRICE, F_COST, F_TAX, F_LEVEL,
	F_RQTY, F_PACK, F_LEAD, F_RDATE, F_EXPIRY, F_SUPPLIER, F_BARCODE,
	F_COUNT
};

struct product_form {
	struct tui *t;
	struct product p;		/* as it was (edit) or the defaults */
	int adding;
	char buf[F_COUNT][PRODUCT_NAME_MAX];
	const char *label[F_COUNT];
};

/* Write the form's product (and a new product's category, supplier and
 * barcode) as one change. */
static int
product_write(void *ctx, struct duka_err *err)
{
	struct product_form *f = ctx;
	struct db *db = tui_ctx(f->t)->db;
	const char *user = tui_ctx(f->t)->user;
	struct product p = f->p;
	char norm[BARCODE_MAX];
	int rc;

	if (text_trim_copy(f->buf[F_SKU], p.sku, sizeof p.sku) != 0)
		return duka_fail(err, DUKA_EINPUT, _("the SKU \"%s\" is longer "
		    "than 32 characters"), f->buf[F_SKU]);
	if (text_trim_copy(f->buf[F_NAME], p.name, sizeof p.name) != 0)
		return duka_fail(err, DUKA_EINPUT, _("the product name is too "
		    "long"));
	product_unit_parse(f->buf[F_UNIT], &p.unit, NULL);
	tax_class_parse(f->buf[F_TAX], &p.tax, NULL);
	p.price = fc_parse_amount(f->buf[F_PRICE], 0);
	p.cost = fc_parse_amount(f->buf[F_COST], 0);
	p.reorder_level = fc_parse_qty(f->buf[F_LEVEL], 0);
	p.reorder_qty = fc_parse_qty(f->buf[F_RQTY], 0);
	p.pack_size = fc_parse_qty(f->buf[F_PACK], 1000);
	p.lead_time_days = fc_parse_number(f->buf[F_LEAD], 0);
	p.tracks_expiry = fc_parse_yesno(f->buf[F_EXPIRY]);
	p.reorder_date[0] = '\0';
	if (f->buf[F_RDATE][0] != '\0' &&
	    (rc = date_parse(f->buf[F_RDATE], p.reorder_date, err)) != 0)
		return rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if (f->buf[F_CATEGORY][0] == '\0')
		p.category_id = 0;
	else
		rc = catalog_category_ensure(db, f->buf[F_CATEGORY],
		    &p.category_id, err);
	if (rc == DUKA_OK && f->buf[F_SUPPLIER][0] == '\0')
		p.supplier_id = 0;
	else if (rc == DUKA_OK)
		rc = catalog_supplier_ensure(db, f->buf[F_SUPPLIER], NULL, 0,
		    &p.supplier_id, err);
	if (rc == DUKA_OK)
		rc = f->adding ? catalog_product_add(db, &p, user, err) :
		    catalog_product_update(db, &p, user, err);
	if (rc == DUKA_OK && f->adding && f->buf[F_BARCODE][0] != '\0')
		rc = catalog_barcode_add(db, p.id, f->buf[F_BARCODE], norm,
		    err);
	if (rc != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	f->p = p;
	return DUKA_OK;
}

static int
product_submit(struct w_field *fields, int n, void *ctx,
    struct duka_err *err)
{
	struct product_form *f = ctx;

	(void)fields;
	(void)n;
	return fc_run_approved(f->t, PERM_CATALOG, product_write, f, err);
}

/* Fill the form's texts from a product. */
static void
form_fill(struct product_form *f)
{
	const struct product *p = &f->p;

	snprintf(f->buf[F_SKU], PRODUCT_NAME_MAX, "%s", p->sku);
	snprintf(f->buf[F_NAME], PRODUCT_NAME_MAX, "%s", p->name);
	snprintf(f->buf[F_CATEGORY], PRODUCT_NAME_MAX, "%s", p->category);
	snprintf(f->buf[F_UNIT], PRODUCT_NAME_MAX, "%s",
	    product_unit_name(p->unit));
	if (!f->adding) {
		money_format(p->price, f->buf[F_PRICE], PRODUCT_NAME_MAX);
		money_format(p->cost, f->buf[F_COST], PRODUCT_NAME_MAX);
	}
	snprintf(f->buf[F_TAX], PRODUCT_NAME_MAX, "%s", tax_class_name(p->tax));
	qty_format(p->reorder_level, f->buf[F_LEVEL], PRODUCT_NAME_MAX);
	qty_format(p->reorder_qty, f->buf[F_RQTY], PRODUCT_NAME_MAX);
	qty_format(p->pack_size, f->buf[F_PACK], PRODUCT_NAME_MAX);
	snprintf(f->buf[F_LEAD], PRODUCT_NAME_MAX, "%lld",
	    (long long)p->lead_time_days);
	snprintf(f->buf[F_RDATE], PRODUCT_NAME_MAX, "%s", p->reorder_date);
	snprintf(f->buf[F_EXPIRY], PRODUCT_NAME_MAX, "%s", p->tracks_expiry ?
	    _("yes") : _("no"));
}

/*
 * The add or edit form. Money fields are W_AMOUNT and quantities W_QTY,
 * so letters are refused as they are typed; what is left is checked by
 * the same parsers as duka product add, then by catalog.c itself.
 */
static void
product_form(struct tui *t, struct products *s, const struct product *edit,
    const char *code)
{
	static struct product_form f;
	struct w_field fields[F_COUNT];
	static const struct {
		const char *label;
		enum w_input_kind kind;
		w_check_fn check;
		int optional;
	} def[F_COUNT] = {
		[F_SKU] = { N_("SKU"), W_CODE, NULL, 0 },
		[F_NAME] = { N_("Name"), W_TEXT, NULL, 0 },
		[F_CATEGORY] = { N_("Category"), W_TEXT, NULL, 1 },
		[F_UNIT] = { N_("Unit (piece, kg, litre)"), W_TEXT, fc_unit,
		    0 },
		[F_PRICE] = { N_("Price (VAT incl.)"), W_AMOUNT, fc_amount, 0 },
		[F_COST] = { N_("Cost price"), W_AMOUNT, fc_amount, 1 },
		[F_TAX] = { N_("VAT class"), W_TEXT, fc_tax, 0 },
		[F_LEVEL] = { N_("Reorder level"), W_QTY, fc_qty_zero, 1 },
		[F_RQTY] = { N_("Reorder quantity"), W_QTY, fc_qty_zero, 1 },
		[F_PACK] = { N_("Pack size"), W_QTY, fc_qty, 0 },
		[F_LEAD] = { N_("Lead time (days)"), W_DIGITS, fc_days, 1 },
		[F_RDATE] = { N_("Reorder date"), W_DATE, fc_date, 1 },
		[F_EXPIRY] = { N_("Expiry dates (yes/no)"), W_TEXT, fc_yesno,
		    0 },
		[F_SUPPLIER] = { N_("Supplier"), W_TEXT, NULL, 1 },
		[F_BARCODE] = { N_("Barcode (scan)"), W_CODE, fc_barcode, 1 },
	};
	struct duka_err err = { 0, "" };
	int i, n = edit != NULL ? F_BARCODE : F_COUNT;

	memset(&f, 0, sizeof f);
	f.t = t;
	f.adding = edit == NULL;
	if (edit != NULL)
		f.p = *edit;
	else
		product_init(&f.p);
	form_fill(&f);
	/* Saving writes the supplier field: never open it wrongly empty. */
	if (f.p.supplier_id != 0 && catalog_supplier_name(tui_ctx(t)->db,
	    f.p.supplier_id, f.buf[F_SUPPLIER], &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	if (code != NULL)
		snprintf(f.buf[F_BARCODE], PRODUCT_NAME_MAX, "%s", code);
	for (i = 0; i < n; i++) {
		f.label[i] = _(def[i].label);
		fields[i].label = f.label[i];
		fields[i].kind = def[i].kind;
		fields[i].buf = f.buf[i];
		fields[i].n = PRODUCT_NAME_MAX;
		fields[i].check = def[i].check;
		fields[i].ctx = (void *)f.label[i];
		fields[i].optional = def[i].optional;
	}
	fields[F_SKU].n = SKU_MAX;
	if (w_form(t, edit != NULL ? _("Edit product") : _("Add a product"),
	    fields, n, product_submit, &f) != DUKA_OK)
		return;
	tui_sync_kick(t);
	tui_info(t, edit != NULL ? _("Saved %s (SKU %s).") :
	    _("Added %s (SKU %s)."), f.p.name, f.p.sku);
	w_input_clear(&s->search);
	s->codes_of = 0;
	show_sku(t, s, f.p.sku);
}

/* --- barcodes ------------------------------------------------------------ */

struct code_list {
	char code[CODES_MAX][BARCODE_MAX];
	char item[CODES_MAX + 1][BARCODE_MAX + 40];
	int n;
};

static void
code_collect(void *ctx, const char *code, const char *kind)
{
	struct code_list *l = ctx;

	if (l->n >= CODES_MAX)
		return;
	snprintf(l->code[l->n], BARCODE_MAX, "%s", code);
	snprintf(l->item[l->n], sizeof l->item[0], "%s  (%s)", code,
	    strcmp(kind, "internal") == 0 ? _("internal") : kind);
	l->n++;
}

struct code_add {
	struct tui *t;
	int64_t product_id;
	const char *code;
	char norm[BARCODE_MAX];
};

static int
code_add_write(void *ctx, struct duka_err *err)
{
	struct code_add *a = ctx;

	return catalog_barcode_add(tui_ctx(a->t)->db, a->product_id, a->code,
	    a->norm, err);
}

/* The prompt's check adds the code: a refusal (check digit, a code that
 * another product holds) keeps the prompt open with the reason. */
static int
code_add_check(const char *text, void *ctx, struct duka_err *err)
{
	struct code_add *a = ctx;
	int rc;

	if ((rc = fc_barcode(text, NULL, err)) != DUKA_OK)
		return rc;
	a->code = text;
	return fc_run_approved(a->t, PERM_CATALOG, code_add_write, a, err);
}

struct code_remove {
	struct tui *t;
	const char *code;
};

static int
code_remove_write(void *ctx, struct duka_err *err)
{
	struct code_remove *r = ctx;

	return catalog_barcode_remove(tui_ctx(r->t)->db, r->code, err);
}

/* List the selected product's barcodes; add or remove until Esc. */
static void
barcodes_dialog(struct tui *t, struct products *s, struct product *p)
{
	static struct code_list l;
	struct duka_err err = { 0, "" };
	const char *items[CODES_MAX + 1];
	char title[160], buf[BARCODE_MAX + 8], q[400];
	int i, k, pick = 0;

	for (;;) {
		memset(&l, 0, sizeof l);
		if (catalog_barcodes(tui_ctx(t)->db, p->id, code_collect, &l,
		    &err) != DUKA_OK) {
			tui_error_err(t, &err);
			return;
		}
		for (i = 0; i < l.n; i++)
			items[i] = l.item[i];
		snprintf(l.item[l.n], sizeof l.item[0], "%s",
		    _("Add a barcode (type or scan)"));
		items[l.n] = l.item[l.n];
		snprintf(title, sizeof title, _("Barcodes of %s"), p->name);
		if ((k = w_menu(t, title, items, l.n + 1, pick)) < 0)
			break;
		pick = k;
		s->codes_of = 0;
		if (k == l.n) {
			struct code_add a = { t, p->id, NULL, "" };

			buf[0] = '\0';
			if (w_prompt(t, _("Add a barcode"), _("Barcode"),
			    W_CODE, buf, sizeof buf, code_add_check, &a) !=
			    DUKA_OK)
				continue;
			tui_sync_kick(t);
			tui_info(t, _("Barcode %s added to %s."), a.norm,
			    p->name);
			continue;
		}
		snprintf(q, sizeof q, _("Remove barcode %s from %s?"),
		    l.code[k], p->name);
		if (w_confirm(t, q, 0)) {
			struct code_remove r = { t, l.code[k] };

			if (fc_run_approved(t, PERM_CATALOG,
			    code_remove_write, &r, &err) != DUKA_OK) {
				tui_error_err(t, &err);
			} else {
				tui_sync_kick(t);
				tui_info(t, _("Barcode %s removed."),
				    l.code[k]);
			}
			pick = 0;
		}
	}
}

/* --- deactivate, reactivate ---------------------------------------------- */

struct set_active {
	struct tui *t;
	int64_t id;
	int active;
};

static int
set_active_write(void *ctx, struct duka_err *err)
{
	struct set_active *a = ctx;

	return catalog_product_set_active(tui_ctx(a->t)->db, a->id, a->active,
	    tui_ctx(a->t)->user, err);
}

static void
toggle_active(struct tui *t, struct products *s, struct product *p)
{
	struct set_active a = { t, p->id, !p->active };
	struct duka_err err = { 0, "" };
	char q[600], sku[SKU_MAX];

	snprintf(q, sizeof q, p->active ? _("Deactivate %s (SKU %s)? It is no "
	    "longer sold or offered in searches; its history stays.") :
	    _("Reactivate %s (SKU %s)?"), p->name, p->sku);
	if (!w_confirm(t, q, 0)) {
		tui_info(t, _("Nothing was changed."));
		return;
	}
	if (fc_run_approved(t, PERM_CATALOG, set_active_write, &a, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	tui_sync_kick(t);
	tui_info(t, a.active ? _("%s is active again.") :
	    _("%s is deactivated."), p->name);
	/* A deactivated product leaves the search hits: browse to it. */
	snprintf(sku, sizeof sku, "%s", p->sku);
	w_input_clear(&s->search);
	show_sku(t, s, sku);
}

/* --- the screen ---------------------------------------------------------- */

static void *
products_open(struct tui *t)
{
	static struct products s;

	(void)t;
	memset(&s, 0, sizeof s);
	w_input_init(&s.search, W_TEXT, "");
	return &s;
}

static void
products_enter(struct tui *t, void *st, const char *arg)
{
	struct products *s = st;
	struct duka_err err = { 0, "" };
	struct product p;

	s->codes_of = 0;
	s->page = page_rows(t);
	if (arg != NULL && catalog_product_find(tui_ctx(t)->db, arg, &p,
	    &err) == DUKA_OK) {
		w_input_clear(&s->search);
		show_sku(t, s, p.sku);
		return;
	}
	if (searching(s))
		search_run(t, s);
	else
		reload(t, s);
}

static enum tui_handled
products_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct products *s = st;
	struct product *p = selected(s), copy;
	enum w_input_result r;

	switch (cmd) {
	case CMD_ADD:
		product_form(t, s, NULL, NULL);
		return TUI_DONE;
	case CMD_EDIT:
	case CMD_BARCODES:
	case CMD_ACTIVE:
	case CMD_STOCK:
		if (p == NULL) {
			tui_error(t, _("No product is selected."));
			return TUI_DONE;
		}
		copy = *p;
		if (cmd == CMD_EDIT)
			product_form(t, s, &copy, NULL);
		else if (cmd == CMD_BARCODES)
			barcodes_dialog(t, s, &copy);
		else if (cmd == CMD_ACTIVE)
			toggle_active(t, s, &copy);
		else
			tui_goto(t, "stock", copy.sku);
		return TUI_DONE;
	default:
		break;
	}
	if (ev->type == TUI_EV_KEY && ev->key == 0 && ev->ch == TUI_KEY_ESC &&
	    searching(s)) {
		w_input_clear(&s->search);
		reload(t, s);
		return TUI_DONE;
	}
	if (searching(s)) {
		if (w_list_key(&s->hl, ev, page_rows(t)))
			return TUI_DONE;
	} else if (browse_key(t, s, ev)) {
		return TUI_DONE;
	}
	r = w_input_key(&s->search, ev);
	if (r == W_INPUT_REFUSED) {
		tui_error(t, "%s", w_input_refusal(s->search.kind));
		return TUI_DONE;
	}
	if (r != W_INPUT_CHANGED)
		return TUI_IGNORED;
	if (strcmp(s->search.buf, s->query) != 0) {
		if (searching(s)) {
			search_run(t, s);
		} else {
			s->query[0] = '\0';
			reload(t, s);
		}
	}
	return TUI_DONE;
}

/* A scan selects the product with that barcode, or offers to add one. */
static enum tui_handled
products_scan(struct tui *t, void *st, const char *code)
{
	struct products *s = st;
	struct duka_err err = { 0, "" };
	struct product p;
	char q[300];

	if (catalog_product_find(tui_ctx(t)->db, code, &p, &err) == DUKA_OK) {
		w_input_clear(&s->search);
		s->query[0] = '\0';
		show_sku(t, s, p.sku);
		tui_info(t, _("Scanned %s: %s (SKU %s)%s"), code, p.name, p.sku,
		    p.active ? "" : _(", inactive"));
		return TUI_DONE;
	}
	if (err.code != DUKA_ENOTFOUND) {
		tui_error_err(t, &err);
		return TUI_DONE;
	}
	snprintf(q, sizeof q, _("No product has the barcode %s. Add a product "
	    "with it?"), code);
	if (w_confirm(t, q, 1))
		product_form(t, s, NULL, code);
	return TUI_DONE;
}

const struct tui_screen screen_products = {
	"products", N_("Products"), keys, products_open, NULL, products_enter,
	products_draw, products_key, products_scan, NULL, NULL,
};
