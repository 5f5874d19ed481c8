/*
 * screen_inventory.c - every product with its quantity and a coloured
 * status (low, out, near expiry, expired), filtered by status and
 * category and sorted by name, category, status, expiry, quantity or
 * value; Enter shows the product's batches with their expiry dates.
 *
 * A shop may have 100,000 products, so the screen keeps only the ids of
 * the listing in order (inventory_list_ids; 8 bytes a product: 800 KB
 * for 100,000) and reads the rows it shows with inventory_get, a page at
 * a time. Scrolling costs
 * one indexed read per visible row; only a change of filter or order
 * reads the whole listing again.
 *
 * The dashboard opens it with a filter: tui_goto(t, "inventory",
 * "status=expired"); the argument is "key=value" pairs separated by
 * spaces or '&': status=low|out|expiring|expired|ok|all,
 * category=NAME, sort=name|category|status|expiry|value|qty|sku,
 * order=asc|desc.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "date.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"
#include "stock.h"
#include "tui.h"
#include "widget.h"

enum {
	CMD_STATUS, CMD_CATEGORY, CMD_SORT, CMD_REVERSE, CMD_BATCHES,
	CMD_RELOAD,
};

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Status"), N_("show only products of one status "
	    "(low, out, near expiry, expired)"), CMD_STATUS },
	{ KEY_F(3), 0, N_("Category"), N_("show only one category"),
	    CMD_CATEGORY },
	{ KEY_F(4), 0, N_("Sort"), N_("sort by name, category, status, "
	    "expiry, quantity or value"), CMD_SORT },
	{ KEY_F(5), 0, N_("Reverse"), N_("reverse the order"), CMD_REVERSE },
	{ 0, TUI_KEY_ENTER, N_("Batches"), N_("the batches of the selected "
	    "product, with their expiry dates"), CMD_BATCHES },
	{ 0, TUI_CTRL('r'), NULL, N_("read the stock again"), CMD_RELOAD },
	{ 0, 0, NULL, NULL, 0 },
};

/* Rows read for the page on the screen. */
#define PAGE_MAX 128

struct inv {
	struct inventory_filter filter;
	char category[CATEGORY_NAME_MAX];	/* "" = all */
	char today[DATE_LEN];
	int64_t *ids;			/* the listing, in order */
	size_t n, cap;
	int failed;			/* the listing could not be read */
	int short_of_memory;		/* the listing stopped early */
	struct w_list list;
	struct inventory_row page[PAGE_MAX];
	int page_ok[PAGE_MAX];
	int page_top, page_n;		/* which rows page[] holds */
};

/* Status filter choices, in menu order. */
static const struct {
	int flag;
	const char *label;
} statuses[] = {
	{ 0, N_("All products") },
	{ STATUS_LOW, N_("Low stock") },
	{ STATUS_OUT, N_("Out of stock") },
	{ STATUS_NEAR_EXPIRY, N_("Near expiry") },
	{ STATUS_EXPIRED, N_("Expired") },
	{ -1, N_("OK (no alert)") },
};
#define NSTATUSES ((int)(sizeof statuses / sizeof statuses[0]))

static const struct {
	enum inventory_sort sort;
	const char *label;		/* in the menu */
	const char *brief;		/* in the title line */
} sorts[] = {
	{ SORT_NAME, N_("Name"), N_("name") },
	{ SORT_CATEGORY, N_("Category"), N_("category") },
	{ SORT_STATUS, N_("Status (most urgent first)"), N_("status") },
	{ SORT_EXPIRY, N_("Expiry (soonest first)"), N_("expiry") },
	{ SORT_QTY, N_("Quantity"), N_("quantity") },
	{ SORT_VALUE, N_("Value at cost"), N_("value") },
	{ SORT_SKU, N_("SKU"), N_("SKU") },
};
#define NSORTS ((int)(sizeof sorts / sizeof sorts[0]))

static void *
inv_open(struct tui *t)
{
	struct inv *s = calloc(1, sizeof *s);

	(void)t;
	if (s == NULL)
		return NULL;
	s->filter.sort = SORT_NAME;
	return s;
}

static void
inv_close(void *st)
{
	struct inv *s = st;

	free(s->ids);
	free(s);
}

static int
collect_id(void *ctx, int64_t id)
{
	struct inv *s = ctx;
	int64_t *more;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;

		if ((more = realloc(s->ids, cap * sizeof *more)) == NULL) {
			s->short_of_memory = 1;
			return 1;	/* the listing stops: shown short */
		}
		s->ids = more;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
	return 0;
}

/* Read the listing again with the current filter; keep the selection's
 * place when it can. */
static void
inv_reload(struct tui *t, struct inv *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };

	date_today(s->today);
	s->filter.near_expiry_days = c->cfg->near_expiry_days;
	s->filter.today = s->today;
	s->n = 0;
	s->page_n = 0;
	s->failed = 0;
	s->short_of_memory = 0;
	if (inventory_list_ids(c->db, &s->filter, collect_id, s, &err) !=
	    DUKA_OK) {
		s->failed = 1;
		tui_error_err(t, &err);
	} else if (s->short_of_memory)
		tui_error(t, _("Out of memory: only the first %zu products are "
		    "listed."), s->n);
	s->list.n = (int)s->n;
	w_list_fix(&s->list, tui_body_rows(t) - 3);
}

/* Apply one "key=value" of the argument; 0 if it was not understood. */
static int
apply_arg(struct tui *t, struct inv *s, const char *key, const char *value)
{
	struct duka_err err = { 0, "" };
	enum inventory_sort so;
	int64_t id;
	int flag;

	if (strcmp(key, "status") == 0) {
		if (strcmp(value, "all") == 0 || *value == '\0')
			s->filter.status = 0;
		else if (stock_status_parse(value, &flag, &err) == DUKA_OK)
			s->filter.status = flag;
		else
			return 0;
	} else if (strcmp(key, "category") == 0) {
		if (*value == '\0') {
			s->filter.category_id = 0;
			s->category[0] = '\0';
		} else if (catalog_category_find(tui_ctx(t)->db, value, &id,
		    &err) == DUKA_OK) {
			s->filter.category_id = id;
			snprintf(s->category, sizeof s->category, "%s", value);
		} else
			return 0;
	} else if (strcmp(key, "sort") == 0) {
		if (inventory_sort_parse(value, &so, &err) != DUKA_OK)
			return 0;
		s->filter.sort = so;
	} else if (strcmp(key, "order") == 0) {
		s->filter.descending = strcmp(value, "desc") == 0;
	} else
		return 0;
	return 1;
}

/* A filter from the dashboard replaces the one before; no argument keeps
 * what the user chose last time. */
static void
inv_enter(struct tui *t, void *st, const char *arg)
{
	struct inv *s = st;
	char buf[256], *p, *save = NULL, *eq;

	if (arg != NULL) {
		memset(&s->filter, 0, sizeof s->filter);
		s->filter.sort = SORT_NAME;
		s->category[0] = '\0';
		snprintf(buf, sizeof buf, "%s", arg);
		for (p = strtok_r(buf, " &", &save); p != NULL;
		    p = strtok_r(NULL, " &", &save)) {
			if ((eq = strchr(p, '=')) == NULL)
				continue;
			*eq = '\0';
			if (!apply_arg(t, s, p, eq + 1))
				tui_error(t, _("The inventory does not know "
				    "the filter %s=%s."), p, eq + 1);
		}
		memset(&s->list, 0, sizeof s->list);
	}
	inv_reload(t, s);
}

static const char *
status_label_of(int flag)
{
	int i;

	for (i = 0; i < NSTATUSES; i++)
		if (statuses[i].flag == flag)
			return _(statuses[i].label);
	return "?";
}

static const char *
sort_label_of(enum inventory_sort so)
{
	int i;

	for (i = 0; i < NSORTS; i++)
		if (sorts[i].sort == so)
			return _(sorts[i].brief);
	return "?";
}

static enum theme_role
status_role(int flags)
{
	if (flags & (STATUS_OUT | STATUS_EXPIRED))
		return ROLE_BAD;
	if (flags & (STATUS_LOW | STATUS_NEAR_EXPIRY))
		return ROLE_WARN;
	return ROLE_OK;
}

/* Make page[] hold the rows top .. top+rows-1. */
static void
page_load(struct tui *t, struct inv *s, int top, int rows)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int i;

	if (rows > PAGE_MAX)
		rows = PAGE_MAX;
	if (top == s->page_top && rows <= s->page_n)
		return;
	s->page_top = top;
	s->page_n = rows;
	for (i = 0; i < rows && (size_t)(top + i) < s->n; i++)
		s->page_ok[i] = inventory_get(c->db, s->ids[top + i],
		    s->filter.near_expiry_days, s->today, &s->page[i],
		    &err) == DUKA_OK;
}

/* Columns: SKU, name, category, qty, status, next expiry, days left. */
struct cols {
	int sku, name, cat, qty, status, expiry, days;
};

static void
cols_for(int width, struct cols *k)
{
	k->sku = 11;
	k->cat = 10;
	k->qty = 9;
	k->status = 8;
	k->expiry = 10;
	k->days = 4;
	/* what a wider terminal has to spare goes to the name first, then
	 * to the SKU and the category */
	k->name = width - 2 - k->sku - k->cat - k->qty - k->status -
	    k->expiry - k->days - 6;
	if (k->name > 40) {
		k->sku += 6;
		k->cat += 8;
		k->name -= 14;
	}
	if (k->name < 4)
		k->name = 4;
}

static void
draw_row(int y, int width, const struct cols *k,
    const struct inventory_row *r, const char *today, int selected)
{
	char qty[MONEY_MAX_TEXT + 8], q[MONEY_MAX_TEXT], days[16];
	enum theme_role base = selected ? ROLE_SELECTED : ROLE_NORMAL;
	int x = 1;

	qty_format(r->qty, q, sizeof q);
	snprintf(qty, sizeof qty, "%s %s", q, product_unit_short(r->unit));
	days[0] = '\0';
	if (r->next_expiry[0] != '\0')
		snprintf(days, sizeof days, "%lld", (long long)
		    date_diff_days(today, r->next_expiry));
	w_fill(y, 0, 1, width, base);
	w_put(y, x, k->sku, base, r->sku);
	x += k->sku + 1;
	w_put(y, x, k->name, base, r->name);
	x += k->name + 1;
	w_put(y, x, k->cat, base, r->category[0] ? r->category : "-");
	x += k->cat + 1;
	w_put_right(y, x, k->qty, base, qty);
	x += k->qty + 1;
	w_put(y, x, k->status, selected ? ROLE_SELECTED : status_role(r->status),
	    stock_status_label(r->status));
	x += k->status + 1;
	w_put(y, x, k->expiry, selected ? ROLE_SELECTED :
	    (r->status & STATUS_EXPIRED) ? ROLE_BAD :
	    (r->status & STATUS_NEAR_EXPIRY) ? ROLE_WARN : ROLE_NORMAL,
	    r->next_expiry[0] ? r->next_expiry : "-");
	x += k->expiry + 1;
	w_put_right(y, x, k->days, base, days);
}

static void
inv_draw(struct tui *t, void *st)
{
	struct inv *s = st;
	int width = tui_cols(t), rows = tui_body_rows(t), page = rows - 3;
	int y = TUI_BODY_TOP, i, x;
	char line[512];
	struct cols k;

	if (page < 1)
		page = 1;
	s->list.n = (int)s->n;
	w_list_fix(&s->list, page);
	snprintf(line, sizeof line, _("%zu products · %s · %s · by %s%s"),
	    s->n, status_label_of(s->filter.status),
	    s->category[0] ? s->category : _("all categories"),
	    sort_label_of(s->filter.sort), s->filter.descending ?
	    _(", reversed") : "");
	w_put(y++, 1, width - 2, ROLE_TITLE, line);
	cols_for(width, &k);
	x = 1;
	w_put(y, x, k.sku, ROLE_DIM, _("SKU"));
	x += k.sku + 1;
	w_put(y, x, k.name, ROLE_DIM, _("Name"));
	x += k.name + 1;
	w_put(y, x, k.cat, ROLE_DIM, _("Category"));
	x += k.cat + 1;
	w_put_right(y, x, k.qty, ROLE_DIM, _("Quantity"));
	x += k.qty + 1;
	w_put(y, x, k.status, ROLE_DIM, _("Status"));
	x += k.status + 1;
	w_put(y, x, k.expiry, ROLE_DIM, _("Expires"));
	x += k.expiry + 1;
	w_put_right(y, x, k.days, ROLE_DIM, _("Days"));
	y++;
	if (s->n == 0) {
		w_put(y + 1, 2, width - 4, ROLE_DIM, s->failed ?
		    _("The stock could not be read (see the message below).") :
		    _("No product matches this filter. F2 and F3 change it."));
		return;
	}
	page_load(t, s, s->list.top, page);
	for (i = 0; i < page && s->list.top + i < (int)s->n; i++) {
		int sel = s->list.top + i == s->list.sel;

		if (i < s->page_n && s->page_ok[i])
			draw_row(y + i, width, &k, &s->page[i], s->today, sel);
		else
			w_put(y + i, 1, width - 2, sel ? ROLE_SELECTED :
			    ROLE_DIM, _("(this product is gone)"));
	}
	w_putf(TUI_BODY_TOP + rows - 1, 1, width - 2, ROLE_DIM,
	    _("%d of %zu · PgUp/PgDn, Home/End to move"),
	    s->list.sel + 1, s->n);
}

/* Pick a status, a category or an order; the listing is read again. */
static void
choose_status(struct tui *t, struct inv *s)
{
	const char *items[NSTATUSES];
	int i, cur = 0, pick;

	for (i = 0; i < NSTATUSES; i++) {
		items[i] = _(statuses[i].label);
		if (statuses[i].flag == s->filter.status)
			cur = i;
	}
	if ((pick = w_menu(t, _("Show"), items, NSTATUSES, cur)) < 0)
		return;
	s->filter.status = statuses[pick].flag;
	memset(&s->list, 0, sizeof s->list);
	inv_reload(t, s);
}

/* Categories for the menu: "All categories" first. */
struct catlist {
	char **names;
	int64_t *ids;
	int n, cap;
};

static int
collect_category(void *ctx, int64_t id, const char *name)
{
	struct catlist *c = ctx;
	char **nn;
	int64_t *ni;

	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;

		if ((nn = realloc(c->names, (size_t)cap * sizeof *nn)) == NULL)
			return 1;
		c->names = nn;
		if ((ni = realloc(c->ids, (size_t)cap * sizeof *ni)) == NULL)
			return 1;
		c->ids = ni;
		c->cap = cap;
	}
	if ((c->names[c->n] = strdup(name != NULL ? name : "")) == NULL)
		return 1;
	c->ids[c->n++] = id;
	return 0;
}

static void
choose_category(struct tui *t, struct inv *s)
{
	struct catlist c = { NULL, NULL, 0, 0 };
	struct duka_err err = { 0, "" };
	const char **items = NULL;
	int i, cur = 0, pick;

	collect_category(&c, 0, _("All categories"));
	if (catalog_categories(tui_ctx(t)->db, collect_category, &c, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		goto out;
	}
	if ((items = calloc((size_t)c.n + 1, sizeof *items)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		goto out;
	}
	for (i = 0; i < c.n; i++) {
		items[i] = c.names[i];
		if (c.ids[i] == s->filter.category_id)
			cur = i;
	}
	if ((pick = w_menu(t, _("Category"), items, c.n, cur)) < 0)
		goto out;
	s->filter.category_id = c.ids[pick];
	snprintf(s->category, sizeof s->category, "%s", pick == 0 ? "" :
	    c.names[pick]);
	memset(&s->list, 0, sizeof s->list);
	inv_reload(t, s);
out:
	for (i = 0; i < c.n; i++)
		free(c.names[i]);
	free(c.names);
	free(c.ids);
	free(items);
}

static void
choose_sort(struct tui *t, struct inv *s)
{
	const char *items[NSORTS];
	int i, cur = 0, pick;

	for (i = 0; i < NSORTS; i++) {
		items[i] = _(sorts[i].label);
		if (sorts[i].sort == s->filter.sort)
			cur = i;
	}
	if ((pick = w_menu(t, _("Sort by"), items, NSORTS, cur)) < 0)
		return;
	s->filter.sort = sorts[pick].sort;
	s->filter.descending = 0;
	memset(&s->list, 0, sizeof s->list);
	inv_reload(t, s);
}

/* The batches of a product, as text for the viewer. */
struct batch_text {
	FILE *fp;
	const char *today;
	enum product_unit unit;
	int n;
};

static void
batch_line(void *ctx, const struct stock_batch *b)
{
	struct batch_text *bt = ctx;
	char q[MONEY_MAX_TEXT], days[48];

	qty_format(b->qty_remaining, q, sizeof q);
	if (b->expiry[0] == '\0')
		snprintf(days, sizeof days, "%s", _("does not expire"));
	else {
		int64_t d = date_diff_days(bt->today, b->expiry);

		if (d < 0)
			snprintf(days, sizeof days, _("EXPIRED %lld days ago"),
			    (long long)-d);
		else if (d == 0)
			snprintf(days, sizeof days, "%s", _("expires today"));
		else
			snprintf(days, sizeof days, _("%lld days left"),
			    (long long)d);
	}
	fprintf(bt->fp, "%-12.12s %-10s %-20s %9s %-2s %s\n",
	    b->batch_no[0] ? b->batch_no : "-",
	    b->expiry[0] ? b->expiry : "-", days, q, product_unit_short(bt->unit),
	    b->received);
	bt->n++;
}

static void
show_batches(struct tui *t, struct inv *s)
{
	const struct inventory_row *r;
	struct duka_err err = { 0, "" };
	struct batch_text bt;
	char *text = NULL, title[256], q[MONEY_MAX_TEXT];
	size_t len = 0;
	int i = s->list.sel - s->page_top;

	if (s->n == 0 || i < 0 || i >= s->page_n || !s->page_ok[i])
		return;
	r = &s->page[i];
	if ((bt.fp = open_memstream(&text, &len)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		return;
	}
	bt.today = s->today;
	bt.unit = r->unit;
	bt.n = 0;
	qty_format(r->qty, q, sizeof q);
	fprintf(bt.fp, _("In stock: %s %s · status: %s · reorder level: "),
	    q, product_unit_short(r->unit), stock_status_label(r->status));
	qty_format(r->reorder_level, q, sizeof q);
	fprintf(bt.fp, "%s\n\n", q);
	fprintf(bt.fp, "%-12s %-10s %-20s %12s %s\n", _("Batch"),
	    _("Expires"), _("Days left"), _("Quantity"), _("Received"));
	if (stock_batches(tui_ctx(t)->db, r->id, batch_line, &bt, &err) !=
	    DUKA_OK) {
		fclose(bt.fp);
		free(text);
		tui_error_err(t, &err);
		return;
	}
	if (bt.n == 0)
		fprintf(bt.fp, "%s\n", _("No batch holds stock of this "
		    "product."));
	fclose(bt.fp);
	snprintf(title, sizeof title, _("Batches of %s %s"), r->sku, r->name);
	w_text_view(t, title, text);
	free(text);
}

static enum tui_handled
inv_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct inv *s = st;

	switch (cmd) {
	case CMD_STATUS:
		choose_status(t, s);
		return TUI_DONE;
	case CMD_CATEGORY:
		choose_category(t, s);
		return TUI_DONE;
	case CMD_SORT:
		choose_sort(t, s);
		return TUI_DONE;
	case CMD_REVERSE:
		s->filter.descending = !s->filter.descending;
		memset(&s->list, 0, sizeof s->list);
		inv_reload(t, s);
		return TUI_DONE;
	case CMD_BATCHES:
		show_batches(t, s);
		return TUI_DONE;
	case CMD_RELOAD:
		inv_reload(t, s);
		return TUI_DONE;
	default:
		break;
	}
	s->list.n = (int)s->n;
	/* Home and End arrive as Find and Select from some terminals (a
	 * vt220 keypad, tmux under xterm's terminfo) */
	if (ev->type == TUI_EV_KEY && (ev->key == KEY_FIND ||
	    ev->key == KEY_SELECT)) {
		s->list.sel = ev->key == KEY_FIND ? 0 : s->list.n - 1;
		w_list_fix(&s->list, tui_body_rows(t) - 3);
		return TUI_DONE;
	}
	if (w_list_key(&s->list, ev, tui_body_rows(t) - 3))
		return TUI_DONE;
	return TUI_IGNORED;
}

const struct tui_screen screen_inventory = {
	"inventory", N_("Inventory"), keys, inv_open, inv_close, inv_enter,
	inv_draw, inv_key, NULL, NULL, NULL,
};
