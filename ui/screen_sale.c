/*
 * screen_sale.c - the sale screen: scan or type a code (or letters, which
 * search as you type), the cart with its quantities, prices, discounts and
 * VAT, and the keys that act on it: pay, quantity, discount, park and
 * resume, void, refund, receipts.
 *
 * The cart lives as long as the program: going to another screen and
 * back keeps it, and leaving the program (quit, SIGTERM, SIGHUP) parks an
 * unfinished cart as "interrupted" so that nothing rung up is lost.
 *
 * A scan is one event (the loop gathers a scanner's burst), handled with
 * one indexed lookup (catalog_product_find) and an in-memory cart change:
 * no query over the whole catalogue per scan. Typing "3*" before a scan,
 * or before F3, sets the quantity.
 */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "i18n.h"
#include "money.h"
#include "park.h"
#include "sale.h"
#include "sale_ui.h"
#include "shift.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

enum {
	CMD_PAY, CMD_QTY, CMD_DISCOUNT, CMD_PARK, CMD_RESUME, CMD_REFUND,
	CMD_RECEIPT, CMD_PRINT, CMD_VOID, CMD_CANCEL, CMD_ENTER, CMD_ESC,
};

/* The bottom bar shows what fits of these, in this order: the keys of
 * every sale first. */
static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Pay"), N_("take the payment: cash (with change), "
	    "M-PESA, card, bank, on account, or several of them; with no "
	    "items, follow a sale waiting for M-PESA"), CMD_PAY },
	{ KEY_F(3), 0, N_("Qty"), N_("set the quantity of the selected line "
	    "(type it first, like 3*, or be asked)"), CMD_QTY },
	{ KEY_F(4), 0, N_("Discount"), N_("a discount on the selected line or "
	    "on the whole sale, or another price for the line"),
	    CMD_DISCOUNT },
	{ KEY_DC, 0, N_("Void"), N_("void the selected line (asks first); "
	    "with text typed, deletes a character"), CMD_VOID },
	{ KEY_F(5), 0, N_("Park"), N_("put this sale aside and serve the next "
	    "customer"), CMD_PARK },
	{ KEY_F(6), 0, N_("Resume"), N_("take a parked sale up again, or throw "
	    "it away"), CMD_RESUME },
	{ KEY_F(7), 0, N_("Refund"), N_("refund lines of a sale by its receipt "
	    "number"), CMD_REFUND },
	{ KEY_F(8), 0, N_("Receipt"), N_("show the last receipt; with a "
	    "receipt number typed, that one"), CMD_RECEIPT },
	{ KEY_F(9), 0, N_("Print"), N_("print the last receipt (again)"),
	    CMD_PRINT },
	{ KEY_F(11), 0, N_("Cancel"), N_("void the whole sale (asks first)"),
	    CMD_CANCEL },
	{ 0, TUI_KEY_ENTER, NULL, N_("add the code typed, or the product "
	    "picked in the search list (Up/Down pick)"), CMD_ENTER },
	{ 0, TUI_KEY_ESC, NULL, N_("clear what was typed; with nothing "
	    "typed, back to the home screen (the sale stays)"), CMD_ESC },
	{ 0, 0, NULL, NULL, 0 },
};

/* --- small helpers ----------------------------------------------------- */

void
sale_cart_reset(struct sale_state *s)
{
	cart_clear(s->cart);
	uuid7_new(s->token);
	memset(&s->lines, 0, sizeof s->lines);
}

int
sale_need_shift(struct tui *t)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t id;
	int rc;

	rc = shift_current(c->db, c->till_id, &id, &err);
	if (rc == DUKA_OK)
		return DUKA_OK;
	if (rc != DUKA_ENOTFOUND) {
		tui_error_err(t, &err);
		return -1;
	}
	if (w_confirm(t, _("No shift is open on this till, and selling needs "
	    "one. Go to the shift screen to open it? (The sale stays.)"), 1))
		tui_goto(t, "shift", NULL);
	else
		tui_error(t, "%s", _("Open a shift first (shift screen): the "
		    "sale is kept."));
	return -1;
}

/* Length of a "3*" quantity prefix in text (digits, one '.', then '*'),
 * or 0 when text does not start with one. */
static size_t
qty_prefix_len(const char *text)
{
	size_t i = 0;
	int dot = 0, digits = 0;

	for (; text[i] != '\0'; i++) {
		if (isdigit((unsigned char)text[i]))
			digits++;
		else if (text[i] == '.' && !dot)
			dot = 1;
		else
			break;
	}
	return digits > 0 && text[i] == '*' ? i + 1 : 0;
}

/* The quantity of a "3*" prefix into *qty (1 when there is none). */
static int
entry_qty(const char *text, int64_t *qty, size_t *skip, struct duka_err *err)
{
	char num[W_INPUT_MAX];
	size_t n = qty_prefix_len(text);

	*qty = 1000;
	*skip = n;
	if (n == 0)
		return DUKA_OK;
	snprintf(num, sizeof num, "%.*s", (int)(n - 1), text);
	return qty_parse(num, qty, err);
}

/* Select line i and make it visible. */
static void
select_line(struct tui *t, struct sale_state *s, int i)
{
	s->lines.n = s->cart->n;
	s->lines.sel = i;
	w_list_fix(&s->lines, tui_body_rows(t) - 5);
}

/* Add qty of product p; select its line; say so. */
static int
add_product(struct tui *t, struct sale_state *s, const struct product *p,
    int64_t qty)
{
	struct duka_err err = { 0, "" };
	char q[32];
	int before = s->cart->n, i;

	if (cart_add(s->cart, p, qty, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	i = s->cart->n - 1;
	if (s->cart->n == before)
		while (i > 0 && s->cart->line[i].product_id != p->id)
			i--;
	select_line(t, s, i);
	s->show_last = 0;
	qty_format(s->cart->line[i].qty, q, sizeof q);
	tui_info(t, _("%s × %s"), q, p->name);
	return 0;
}

/* Look code up and add qty of it. */
static int
add_code(struct tui *t, struct sale_state *s, const char *code, int64_t qty)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct product p;

	if (catalog_product_find(c->db, code, &p, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	return add_product(t, s, &p, qty);
}

/* The input changed: search when it holds letters (after any "3*"),
 * unless it is "CODE*3". */
static void
search_update(struct tui *t, struct sale_state *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	const char *q = s->in.buf + qty_prefix_len(s->in.buf), *p;
	int n = 0, letters = 0;

	for (p = q; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && *p != ' ')
			letters = 1;
	/* "SKU*3" is a code and its quantity, not a name */
	if (strchr(q, '*') != NULL)
		letters = 0;
	s->searching = letters;
	memset(&s->hl, 0, sizeof s->hl);
	if (!letters)
		return;
	if (catalog_search(c->db, q, s->hits, SALE_HITS, &n, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		n = 0;
	}
	s->hl.n = n;
}

static void
input_reset(struct sale_state *s)
{
	w_input_clear(&s->in);
	s->searching = 0;
	memset(&s->hl, 0, sizeof s->hl);
}

/*
 * Enter: the picked hit when searching; else "CODE", "3*CODE" or
 * "CODE*3" (a bare "3*" waits for the code).
 */
static void
enter_entry(struct tui *t, struct sale_state *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	char buf[W_INPUT_MAX], *star;
	struct product p;
	int64_t qty;
	size_t skip;

	if (s->in.buf[0] == '\0')
		return;
	if (entry_qty(s->in.buf, &qty, &skip, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	if (s->searching) {
		if (s->hl.n == 0) {
			tui_error(t, _("No product matches \"%s\"."),
			    s->in.buf + skip);
			return;
		}
		if (catalog_product_get(c->db, s->hits[s->hl.sel].id, &p,
		    &err) != DUKA_OK) {
			tui_error_err(t, &err);
			return;
		}
		if (add_product(t, s, &p, qty) == 0)
			input_reset(s);
		return;
	}
	snprintf(buf, sizeof buf, "%s", s->in.buf + skip);
	if (buf[0] == '\0') {
		tui_info(t, _("Now scan or type the code for this quantity."));
		return;
	}
	if ((star = strchr(buf, '*')) != NULL) {
		/* CODE*3 */
		*star = '\0';
		if (skip != 0 || qty_parse(star + 1, &qty, &err) != DUKA_OK) {
			tui_error(t, _("Write a quantity and a code as 3*CODE "
			    "or CODE*3."));
			return;
		}
	}
	if (add_code(t, s, buf, qty) == 0)
		input_reset(s);
}

/* --- actions on lines -------------------------------------------------- */

static int
have_line(struct tui *t, struct sale_state *s)
{
	if (s->cart->n == 0) {
		tui_error(t, "%s", _("The sale has no lines yet: scan or type "
		    "a code."));
		return 0;
	}
	if (s->lines.sel < 0 || s->lines.sel >= s->cart->n)
		s->lines.sel = s->cart->n - 1;
	return 1;
}

static int
check_qty(const char *text, void *ctx, struct duka_err *err)
{
	int64_t q;

	(void)ctx;
	if (qty_parse(text, &q, err) != DUKA_OK)
		return err->code;
	if (q <= 0)
		return duka_fail(err, DUKA_EINPUT, _("a quantity must be more "
		    "than 0"));
	return DUKA_OK;
}

/* F3: the quantity typed before ("3" or "3*") or asked for. */
static void
set_quantity(struct tui *t, struct sale_state *s)
{
	struct duka_err err = { 0, "" };
	const struct cart_line *l;
	char buf[32], title[PRODUCT_NAME_MAX + 64], text[W_INPUT_MAX];
	size_t n;
	int64_t qty;

	if (!have_line(t, s))
		return;
	l = &s->cart->line[s->lines.sel];
	snprintf(text, sizeof text, "%s", s->in.buf);
	n = strlen(text);
	if (n > 0 && text[n - 1] == '*')
		text[n - 1] = '\0';
	if (text[0] != '\0') {
		if (check_qty(text, NULL, &err) != DUKA_OK) {
			tui_error(t, _("\"%s\" is not a quantity: %s. Nothing "
			    "was changed."), s->in.buf, err.msg);
			return;
		}
		qty_parse(text, &qty, &err);
	} else {
		qty_format(l->qty, buf, sizeof buf);
		snprintf(title, sizeof title, _("Quantity of line %d: %s"),
		    s->lines.sel + 1, l->name);
		if (w_prompt(t, title, _("Quantity"), W_QTY, buf, sizeof buf,
		    check_qty, NULL) != DUKA_OK)
			return;
		qty_parse(buf, &qty, &err);
	}
	if (cart_set_qty(s->cart, s->lines.sel, qty, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	input_reset(s);
	qty_format(qty, buf, sizeof buf);
	tui_info(t, _("Line %d: quantity %s."), s->lines.sel + 1, buf);
}

/* "10%" or an amount, for the discount prompt. */
static int
parse_discount(const char *text, int *percent, int64_t *v,
    struct duka_err *err)
{
	size_t n = strlen(text);

	while (n > 0 && text[n - 1] == ' ')
		n--;
	*percent = n > 0 && text[n - 1] == '%';
	if (*percent)
		return percent_parse(text, v, err);
	if (money_parse(text, v, err) != DUKA_OK)
		return err->code;
	if (*v < 0)
		return duka_fail(err, DUKA_EINPUT, _("a discount cannot be "
		    "negative"));
	return DUKA_OK;
}

static int
check_discount(const char *text, void *ctx, struct duka_err *err)
{
	int percent;
	int64_t v;

	(void)ctx;
	return parse_discount(text, &percent, &v, err);
}

static int
check_price(const char *text, void *ctx, struct duka_err *err)
{
	int64_t v;

	(void)ctx;
	if (money_parse(text, &v, err) != DUKA_OK)
		return err->code;
	if (v < 0)
		return duka_fail(err, DUKA_EINPUT, _("a price cannot be "
		    "negative"));
	return DUKA_OK;
}

/* Say when the cart now needs a manager's approval. */
static void
say_limits(struct tui *t, struct sale_state *s, const char *done)
{
	struct cart_totals tot;
	int k;

	cart_totals(s->cart, tui_ctx(t)->cfg, &tot);
	for (k = 0; k < CART_NEEDS; k++)
		if (tot.needs & (1u << k)) {
			/* the reason itself shows above the totals */
			tui_info(t, _("%s Past the limits: a manager approves "
			    "it at payment."), done);
			return;
		}
	tui_info(t, "%s", done);
}

/* F4: line discount, sale discount, or another price for the line. */
static void
discount(struct tui *t, struct sale_state *s)
{
	struct duka_err err = { 0, "" };
	char item[4][160], buf[64] = "";
	const char *items[4];
	int i, choice, percent, rc;
	int64_t v;

	if (!have_line(t, s))
		return;
	i = s->lines.sel;
	snprintf(item[0], sizeof item[0], _("Discount on line %d"), i + 1);
	snprintf(item[1], sizeof item[1], "%s", _("Discount on the whole "
	    "sale"));
	snprintf(item[2], sizeof item[2], _("Another price for line %d"),
	    i + 1);
	snprintf(item[3], sizeof item[3], "%s", _("Remove the discounts and "
	    "prices"));
	for (choice = 0; choice < 4; choice++)
		items[choice] = item[choice];
	if ((choice = w_menu(t, _("Discount"), items, 4, 0)) < 0)
		return;
	if (choice == 3) {
		if (!w_confirm(t, _("Remove every discount and price change "
		    "from this sale?"), 0))
			return;
		for (i = 0; i < s->cart->n; i++)
			if (cart_line_discount_amount(s->cart, i, 0, &err) !=
			    DUKA_OK || cart_price_override(s->cart, i,
			    CART_NO_OVERRIDE, &err) != DUKA_OK)
				break;
		if (err.code == 0)
			cart_sale_discount_amount(s->cart, 0, &err);
		if (err.code != 0)
			tui_error_err(t, &err);
		else
			tui_info(t, "%s", _("Discounts removed."));
		return;
	}
	if (choice == 2) {
		if (w_prompt(t, items[2], _("Price per unit"), W_AMOUNT, buf,
		    sizeof buf, check_price, NULL) != DUKA_OK)
			return;
		money_parse(buf, &v, &err);
		rc = cart_price_override(s->cart, i, v, &err);
	} else {
		if (w_prompt(t, items[choice], _("Amount or %"), W_TEXT, buf,
		    sizeof buf, check_discount, NULL) != DUKA_OK)
			return;
		parse_discount(buf, &percent, &v, &err);
		if (choice == 0)
			rc = percent ? cart_line_discount_percent(s->cart, i, v,
			    &err) : cart_line_discount_amount(s->cart, i, v,
			    &err);
		else
			rc = percent ? cart_sale_discount_percent(s->cart, v,
			    &err) : cart_sale_discount_amount(s->cart, v,
			    &err);
	}
	if (rc != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	say_limits(t, s, choice == 2 ? _("Price changed.") :
	    _("Discount given."));
}

/* Record line i as voided on the shift, then take it off. */
static int
void_one(struct tui *t, struct sale_state *s, int i)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	const struct cart_line *l = &s->cart->line[i];
	int rc;

	rc = shift_void_record(c->db, c->till_id, l->product_id, l->qty,
	    l->amount, c->user, &err);
	/* Without an open shift there is no shift to count the void in:
	 * the line still goes. */
	if (rc != DUKA_OK && rc != DUKA_ENOTFOUND) {
		tui_error_err(t, &err);
		return -1;
	}
	if (cart_remove_line(s->cart, i, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	return 0;
}

/* Del: void the selected line. */
static void
void_line(struct tui *t, struct sale_state *s)
{
	const struct cart_line *l;
	char q[32], amount[MONEY_MAX_TEXT], question[PRODUCT_NAME_MAX + 128];
	int i;

	if (!have_line(t, s))
		return;
	i = s->lines.sel;
	l = &s->cart->line[i];
	qty_format(l->qty, q, sizeof q);
	money_format_ksh(l->amount, amount, sizeof amount);
	snprintf(question, sizeof question, _("Void line %d: %s × %s, %s?"),
	    i + 1, q, l->name, amount);
	if (!w_confirm(t, question, 0))
		return;
	if (void_one(t, s, i) != 0)
		return;
	select_line(t, s, i < s->cart->n ? i : s->cart->n - 1);
	tui_info(t, _("Line %d voided."), i + 1);
}

/* F11: void every line. */
static void
cancel_sale(struct tui *t, struct sale_state *s)
{
	if (!have_line(t, s))
		return;
	if (!w_confirm(t, _("Void the whole sale? Every line is taken off."),
	    0))
		return;
	while (s->cart->n > 0)
		if (void_one(t, s, s->cart->n - 1) != 0)
			return;
	sale_cart_reset(s);
	tui_info(t, "%s", _("Sale voided."));
}

/* --- park and resume ----------------------------------------------------- */

static int
check_label(const char *text, void *ctx, struct duka_err *err)
{
	(void)ctx;
	if (w_text_cols(text) > 60)
		return duka_fail(err, DUKA_EINPUT, _("a label is at most 60 "
		    "characters"));
	return DUKA_OK;
}

/* Park the cart under label; 0 when parked (and the cart emptied). */
static int
park_cart(struct tui *t, struct sale_state *s, const char *label)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t id;

	if (park_save(c->db, c->till_id, c->user, label, s->cart, &id,
	    &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	sale_cart_reset(s);
	input_reset(s);
	tui_info(t, _("Sale parked (number %lld): F6 resumes it."),
	    (long long)id);
	return 0;
}

/* F5: park with an optional label. */
static void
park(struct tui *t, struct sale_state *s)
{
	char label[PARK_LABEL_MAX] = "";
	struct w_field f;

	memset(&f, 0, sizeof f);
	f.label = _("Label");
	f.kind = W_TEXT;
	f.buf = label;
	f.n = sizeof label;
	f.check = check_label;
	f.optional = 1;

	if (!have_line(t, s))
		return;
	if (w_form(t, _("Park this sale (a label helps to find it)"), &f, 1,
	    NULL, NULL) != DUKA_OK)
		return;
	park_cart(t, s, label);
}

struct parked_list {
	struct parked_cart *p;
	int n, cap;
};

static void
collect_parked(void *ctx, const struct parked_cart *p)
{
	struct parked_list *l = ctx;
	struct parked_cart *grown;

	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;

		if ((grown = realloc(l->p, (size_t)cap * sizeof *grown)) ==
		    NULL)
			return;
		l->p = grown;
		l->cap = cap;
	}
	l->p[l->n++] = *p;
}

/* The carts parked on this till (the caller frees l->p). */
static int
load_parked(struct tui *t, struct parked_list *l)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };

	memset(l, 0, sizeof *l);
	if (park_list(c->db, c->till_id, collect_parked, l, &err) !=
	    DUKA_OK) {
		free(l->p);
		memset(l, 0, sizeof *l);
		tui_error_err(t, &err);
		return -1;
	}
	return 0;
}

/* F6: pick a parked cart, then resume it or throw it away. */
static void
resume(struct tui *t, struct sale_state *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct parked_list l;
	const char **items = NULL, *what[2];
	char (*text)[PARK_LABEL_MAX + 128] = NULL, total[MONEY_MAX_TEXT];
	char question[PARK_LABEL_MAX + 128];
	int i, pick, act;

	if (load_parked(t, &l) != 0)
		return;
	if (l.n == 0) {
		tui_info(t, "%s", _("No sale is parked on this till."));
		goto out;
	}
	items = calloc((size_t)l.n, sizeof *items);
	text = calloc((size_t)l.n, sizeof *text);
	if (items == NULL || text == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		money_format_ksh(l.p[i].total, total, sizeof total);
		/* parked_at is UTC "YYYY-MM-DDTHH:MM:SS...": the time of day
		 * is enough to find it again. */
		snprintf(text[i], sizeof text[i], ngettext("%s · %d line · %s "
		    "· %.5s %s", "%s · %d lines · %s · %.5s %s",
		    (unsigned long)l.p[i].lines), l.p[i].label[0] ? l.p[i].label :
		    _("(no label)"), l.p[i].lines, total,
		    strlen(l.p[i].parked_at) > 11 ? l.p[i].parked_at + 11 :
		    "", l.p[i].user);
		items[i] = text[i];
	}
	if ((pick = w_menu(t, _("Parked sales"), items, l.n, 0)) < 0)
		goto out;
	what[0] = _("Resume it");
	what[1] = _("Throw it away");
	if ((act = w_menu(t, items[pick], what, 2, 0)) < 0)
		goto out;
	if (act == 1) {
		snprintf(question, sizeof question, _("Throw away the parked "
		    "sale %s? Its lines are lost."), items[pick]);
		if (!w_confirm(t, question, 0))
			goto out;
		if (park_drop(c->db, l.p[pick].id, &err) != DUKA_OK)
			tui_error_err(t, &err);
		else
			tui_info(t, "%s", _("The parked sale was thrown away."));
		goto out;
	}
	if (s->cart->n > 0) {
		if (!w_confirm(t, _("A sale is on the screen: park it, and "
		    "resume the other?"), 1))
			goto out;
		if (park_cart(t, s, NULL) != 0)
			goto out;
	}
	if (park_resume(c->db, l.p[pick].id, s->cart, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		goto out;
	}
	uuid7_new(s->token);
	input_reset(s);
	select_line(t, s, s->cart->n - 1);
	s->show_last = 0;
	tui_info(t, ngettext("Parked sale resumed: %d line.", "Parked sale "
	    "resumed: %d lines.", (unsigned long)s->cart->n), s->cart->n);
out:
	free(items);
	free(text);
	free(l.p);
}

/* --- drawing --------------------------------------------------------------- */

static void
draw_line(int y, int cols, const struct cart_line *l, int no, int selected)
{
	char q[32], price[MONEY_MAX_TEXT], disc[MONEY_MAX_TEXT],
	    amount[MONEY_MAX_TEXT], num[16];
	enum theme_role r = selected ? ROLE_SELECTED : ROLE_NORMAL;
	int name_w = cols - 4 - 10 - 12 - 11 - 13;
	int64_t off = l->shelf_gross - l->amount;

	qty_format(l->qty, q, sizeof q);
	money_format(l->override != CART_NO_OVERRIDE ? l->override : l->price,
	    price, sizeof price);
	if (off != 0)
		money_format(-off, disc, sizeof disc);
	else
		disc[0] = '\0';
	money_format(l->amount, amount, sizeof amount);
	snprintf(num, sizeof num, "%3d ", no);
	w_put(y, 0, 4, r, num);
	w_put(y, 4, name_w, r, l->name);
	w_put_right(y, 4 + name_w, 10, r, q);
	w_put_right(y, 14 + name_w, 12, r, price);
	w_put_right(y, 26 + name_w, 11, r, disc);
	w_put_right(y, 37 + name_w, 13, r, amount);
}

static void
draw_hits(struct sale_state *s, int y, int cols)
{
	char price[MONEY_MAX_TEXT], stock[32], line[64];
	int i, rows = s->hl.n > 0 ? s->hl.n : 1;

	w_fill(y, 0, rows + 1, cols, ROLE_DIALOG);
	if (s->hl.n == 0) {
		w_put(y, 3, cols - 6, ROLE_DIM, _("No product matches: type "
		    "more of the name, or a code."));
		return;
	}
	for (i = 0; i < s->hl.n; i++) {
		const struct catalog_hit *h = &s->hits[i];
		enum theme_role r = i == s->hl.sel ? ROLE_SELECTED :
		    ROLE_DIALOG;

		money_format_ksh(h->price, price, sizeof price);
		qty_format(h->stock_qty, stock, sizeof stock);
		snprintf(line, sizeof line, _("%s in stock"), stock);
		w_fill(y + i, 0, 1, cols, r);
		w_put(y + i, 3, cols - 50, r, h->name);
		w_put(y + i, cols - 47, 12, r, h->sku);
		w_put_right(y + i, cols - 35, 14, r, price);
		w_put_right(y + i, cols - 20, 17, h->stock_qty > 0 ? r :
		    ROLE_BAD, line);
	}
	w_put(y + s->hl.n, 3, cols - 6, ROLE_DIM, _("Up/Down: pick · Enter: "
	    "add · Esc: clear"));
}

static void
draw_totals(struct tui *t, struct sale_state *s, int y, int cols)
{
	const struct settings *cfg = tui_ctx(t)->cfg;
	struct cart_totals tot;
	char total[MONEY_MAX_TEXT], vat[MONEY_MAX_TEXT], disc[MONEY_MAX_TEXT],
	    big[MONEY_MAX_TEXT + 32], change[MONEY_MAX_TEXT];
	int k;

	cart_totals(s->cart, cfg, &tot);
	for (k = 0; k < CART_NEEDS; k++)
		if (tot.needs & (1u << k)) {
			w_put(y, 1, cols - 2, tot.approved ? ROLE_OK :
			    ROLE_WARN, tot.reason[k]);
			break;
		}
	money_format_ksh(tot.sum.total, total, sizeof total);
	money_format_ksh(tot.sum.vat, vat, sizeof vat);
	money_format_ksh(tot.sum.line_discounts + tot.sum.sale_discount +
	    (tot.sum.shelf_gross - tot.sum.gross), disc, sizeof disc);
	w_putf(y + 1, 1, cols - 2, ROLE_DIM, _("Lines %d · discount %s · "
	    "VAT %s"), tot.lines, disc, vat);
	if (s->show_last && s->cart->n == 0) {
		money_format_ksh(s->last_change, change, sizeof change);
		money_format_ksh(s->last_total < 0 ? -s->last_total :
		    s->last_total, total, sizeof total);
		if (s->last_refund)
			snprintf(big, sizeof big, _("Refund %s: paid back %s"),
			    s->last_receipt, total);
		else if (s->last_awaiting)
			snprintf(big, sizeof big, _("Receipt %s: %s, awaiting "
			    "M-PESA"), s->last_receipt, total);
		else
			snprintf(big, sizeof big, _("Receipt %s: %s · CHANGE "
			    "%s"), s->last_receipt, total, change);
		w_put(y + 2, 0, cols, ROLE_TOTAL, big);
		return;
	}
	snprintf(big, sizeof big, _("TOTAL %s "), total);
	w_fill(y + 2, 0, 1, cols, ROLE_TOTAL);
	w_put_right(y + 2, 0, cols, ROLE_TOTAL, big);
}

static void
sale_draw(struct tui *t, void *st)
{
	struct sale_state *s = st;
	int rows = tui_body_rows(t), cols = tui_cols(t);
	int y = TUI_BODY_TOP, page = rows - 5, i, name_w = cols - 50;

	w_put(y, 1, 14, ROLE_TITLE, _("Code or name"));
	w_put(y + 1, 0, 4, ROLE_TITLE, "  #");
	w_put(y + 1, 4, name_w, ROLE_TITLE, _("Item"));
	w_put_right(y + 1, 4 + name_w, 10, ROLE_TITLE, _("Qty"));
	w_put_right(y + 1, 14 + name_w, 12, ROLE_TITLE, _("Price"));
	w_put_right(y + 1, 26 + name_w, 11, ROLE_TITLE, _("Discount"));
	w_put_right(y + 1, 37 + name_w, 13, ROLE_TITLE, _("Amount"));
	s->lines.n = s->cart->n;
	w_list_fix(&s->lines, page);
	if (s->cart->n == 0)
		w_put(y + 3, 4, cols - 8, ROLE_DIM, _("Scan an item, type its "
		    "code, or type letters of its name."));
	for (i = 0; i < page && s->lines.top + i < s->cart->n; i++)
		draw_line(y + 2 + i, cols, &s->cart->line[s->lines.top + i],
		    s->lines.top + i + 1, s->lines.top + i == s->lines.sel);
	draw_totals(t, s, y + rows - 3, cols);
	if (s->searching)
		draw_hits(s, y + 1, cols);
	/* the input's cursor, drawn last */
	w_input_draw(&s->in, y, 16, cols - 17, 1);
	if (s->in.buf[0] != '\0' &&
	    s->in.buf[qty_prefix_len(s->in.buf)] == '\0') {
		char q[W_INPUT_MAX + 64];
		int w;

		snprintf(q, sizeof q, _("quantity %.*s: now scan or type the "
		    "code"), (int)strlen(s->in.buf) - 1, s->in.buf);
		w = w_text_cols(q) + 1;
		if (w < cols - 24)
			w_put(y, cols - w, w, ROLE_WARN, q);
	}
}

/* F8 with a receipt number typed: show that receipt, as a copy. */
static void
receipt_by_number(struct tui *t, struct sale_state *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	char till[32];
	int64_t no, id;

	if (sale_receipt_parse(s->in.buf, c->till_id, till, &no, &err) !=
	    DUKA_OK || sale_find(c->db, till, no, &id, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return;
	}
	input_reset(s);
	sale_receipt_preview(t, id, 1);
}

/* --- events ---------------------------------------------------------------- */

static void
tell_parked(struct tui *t, struct sale_state *s)
{
	struct parked_list l;

	if (s->told_parked)
		return;
	s->told_parked = 1;
	if (load_parked(t, &l) != 0)
		return;
	if (l.n > 0)
		tui_info(t, ngettext("%d parked sale waits on this till: F6 "
		    "resumes it.", "%d parked sales wait on this till: F6 "
		    "resumes one.", (unsigned long)l.n), l.n);
	free(l.p);
}

static void *
sale_open(struct tui *t)
{
	static struct sale_state s;

	memset(&s, 0, sizeof s);
	if ((s.cart = cart_new()) == NULL)
		return NULL;
	uuid7_new(s.token);
	w_input_init(&s.in, W_TEXT, "");
	tell_parked(t, &s);
	sale_mpesa_load(t, &s);
	return &s;
}

static void
sale_close(void *st)
{
	struct sale_state *s = st;

	cart_free(s->cart);
	s->cart = NULL;
}

static void
sale_enter(struct tui *t, void *st, const char *arg)
{
	struct sale_state *s = st;

	(void)arg;
	s->told_parked = 0;
	if (s->cart->n == 0)
		tell_parked(t, s);
}

static enum tui_handled
sale_scan(struct tui *t, void *st, const char *code)
{
	struct sale_state *s = st;
	struct duka_err err = { 0, "" };
	int64_t qty = 1000;
	size_t skip = 0;

	/* "3*" typed before the scan is its quantity. */
	if (s->in.buf[0] != '\0' && s->in.buf[qty_prefix_len(s->in.buf)] ==
	    '\0' && entry_qty(s->in.buf, &qty, &skip, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return TUI_DONE;
	}
	if (add_code(t, s, code, qty) == 0 && skip != 0)
		input_reset(s);
	return TUI_DONE;
}

static enum tui_handled
sale_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct sale_state *s = st;
	enum w_input_result r;
	int in_text;

	switch (cmd) {
	case CMD_PAY:
		if (s->cart->n == 0 && sale_mpesa_resume(t, s))
			return TUI_DONE;
		sale_pay(t, s);
		return TUI_DONE;
	case CMD_QTY:
		set_quantity(t, s);
		return TUI_DONE;
	case CMD_DISCOUNT:
		discount(t, s);
		return TUI_DONE;
	case CMD_PARK:
		park(t, s);
		return TUI_DONE;
	case CMD_RESUME:
		resume(t, s);
		return TUI_DONE;
	case CMD_REFUND:
		sale_refund(t, s);
		return TUI_DONE;
	case CMD_RECEIPT:
		if (s->in.buf[0] != '\0') {
			receipt_by_number(t, s);
			return TUI_DONE;
		}
		if (s->last_id == 0) {
			tui_info(t, "%s", _("No receipt yet on this screen: "
			    "type a receipt number, then F8."));
			return TUI_DONE;
		}
		sale_receipt_preview(t, s->last_id, s->last_printed);
		return TUI_DONE;
	case CMD_PRINT:
		if (s->last_id == 0) {
			tui_info(t, "%s", _("No receipt to print yet."));
			return TUI_DONE;
		}
		if (sale_receipt_send(t, s->last_id, s->last_printed, 0) ==
		    0) {
			s->last_printed = 1;
			tui_info(t, _("Receipt %s printed."), s->last_receipt);
		}
		return TUI_DONE;
	case CMD_VOID:
		if (s->in.buf[0] != '\0')
			break;		/* deletes a character */
		void_line(t, s);
		return TUI_DONE;
	case CMD_CANCEL:
		cancel_sale(t, s);
		return TUI_DONE;
	case CMD_ENTER:
		enter_entry(t, s);
		return TUI_DONE;
	case CMD_ESC:
		if (s->in.buf[0] == '\0')
			return TUI_IGNORED;
		input_reset(s);
		return TUI_DONE;
	default:
		break;
	}
	/* Home and End move in what is typed, if anything is; the other
	 * moving keys pick a match or a line. */
	in_text = s->in.buf[0] != '\0' && ev->type == TUI_EV_KEY &&
	    (ev->key == KEY_HOME || ev->key == KEY_END);
	if (!in_text && s->searching && w_list_key(&s->hl, ev, SALE_HITS))
		return TUI_DONE;
	if (!in_text && !s->searching && s->cart->n > 0 &&
	    w_list_key(&s->lines, ev, tui_body_rows(t) - 5))
		return TUI_DONE;
	r = w_input_key(&s->in, ev);
	switch (r) {
	case W_INPUT_CHANGED:
		search_update(t, s);
		return TUI_DONE;
	case W_INPUT_REFUSED:
		tui_error(t, "%s", w_input_refusal(s->in.kind));
		return TUI_DONE;
	case W_INPUT_ENTER:
		enter_entry(t, s);
		return TUI_DONE;
	case W_INPUT_UNHANDLED:
		break;
	}
	return TUI_IGNORED;
}

static void
sale_tick(struct tui *t, void *st)
{
	sale_mpesa_tick(t, st);
}

/* The program ends: park what is on screen so that nothing is lost. */
static void
sale_leaving(struct tui *t, void *st)
{
	struct sale_state *s = st;
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };

	if (s->cart == NULL || s->cart->n == 0)
		return;
	if (park_save(c->db, c->till_id, c->user, _("interrupted"), s->cart,
	    NULL, &err) == DUKA_OK)
		cart_clear(s->cart);
	else
		fprintf(stderr, _("duka: the sale on screen could not be "
		    "parked: %s\n"), err.msg);
}

const struct tui_screen screen_sale = {
	"sale", N_("Sale"), keys, sale_open, sale_close, sale_enter, sale_draw,
	sale_key, sale_scan, sale_tick, sale_leaving,
};
