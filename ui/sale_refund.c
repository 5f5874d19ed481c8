/*
 * sale_refund.c - the sale screen's refund (F7): find a sale by its
 * receipt number, show its lines with what is left to refund, let the
 * attendant pick lines and quantities, ask how the money goes back and
 * whether the goods are damaged, confirm, and refund_commit it all in one
 * transaction (a manager approves when the attendant may not refund).
 *
 * Nothing is written until the confirmation; the refund gets its own
 * receipt, which F8 shows and F9 prints.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "field_check.h"
#include "i18n.h"
#include "money.h"
#include "refund.h"
#include "sale.h"
#include "sale_ui.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

struct pick {
	struct refund_left l;
	int64_t back;			/* thousandths to take back, 0: none */
};

struct picks {
	struct pick *p;
	int n, cap;
	int oom;
};

static void
collect(void *ctx, const struct refund_left *l)
{
	struct picks *ps = ctx;
	struct pick *grown;

	if (ps->n == ps->cap) {
		int cap = ps->cap ? ps->cap * 2 : 16;

		if ((grown = realloc(ps->p, (size_t)cap * sizeof *grown)) ==
		    NULL) {
			ps->oom = 1;
			return;
		}
		ps->p = grown;
		ps->cap = cap;
	}
	memset(&ps->p[ps->n], 0, sizeof ps->p[ps->n]);
	ps->p[ps->n++].l = *l;
}

struct find {
	struct tui *t;
	char till[32];
	int64_t no, sale_id;
};

static int
check_receipt(const char *text, void *ctx, struct duka_err *err)
{
	struct find *f = ctx;
	struct tui_ctx *c = tui_ctx(f->t);
	int rc;

	if ((rc = sale_receipt_parse(text, c->till_id, f->till, &f->no,
	    err)) != DUKA_OK)
		return rc;
	return sale_find(c->db, f->till, f->no, &f->sale_id, err);
}

static int
check_left(const char *text, void *ctx, struct duka_err *err)
{
	const struct pick *p = ctx;
	char left[32];
	int64_t q;

	if (qty_parse(text, &q, err) != DUKA_OK)
		return err->code;
	if (q < 0)
		return duka_fail(err, DUKA_EINPUT, _("a quantity cannot be "
		    "negative"));
	if (q > p->l.qty - p->l.refunded) {
		qty_format(p->l.qty - p->l.refunded, left, sizeof left);
		return duka_fail(err, DUKA_EINPUT, _("only %s of this line is "
		    "left to refund"), left);
	}
	return DUKA_OK;
}

static void
draw_picks(struct tui *t, const char *title, struct picks *ps,
    struct w_list *l, int page)
{
	int cols = tui_cols(t), y = TUI_BODY_TOP + 1, i, x = 2,
	    w = cols - 4, name_w = w - 4 - 30;
	char sold[32], left[32], back[32], num[16];

	tui_draw_all(t);
	w_box(y, x, page + 5, w, title);
	w_put(y + 1, x + 1, 4, ROLE_TITLE, "  #");
	w_put(y + 1, x + 5, name_w, ROLE_TITLE, _("Item"));
	w_put_right(y + 1, x + 5 + name_w, 9, ROLE_TITLE, _("Sold"));
	w_put_right(y + 1, x + 14 + name_w, 9, ROLE_TITLE, _("Left"));
	w_put_right(y + 1, x + 23 + name_w, 9, ROLE_TITLE, _("Back"));
	for (i = 0; i < page && l->top + i < ps->n; i++) {
		const struct pick *p = &ps->p[l->top + i];
		enum theme_role r = l->top + i == l->sel ? ROLE_SELECTED :
		    ROLE_DIALOG;

		snprintf(num, sizeof num, "%3d ", p->l.line_no);
		qty_format(p->l.qty, sold, sizeof sold);
		qty_format(p->l.qty - p->l.refunded, left, sizeof left);
		if (p->back > 0)
			qty_format(p->back, back, sizeof back);
		else
			snprintf(back, sizeof back, "-");
		w_fill(y + 2 + i, x + 1, 1, w - 2, r);
		w_put(y + 2 + i, x + 1, 4, r, num);
		w_put(y + 2 + i, x + 5, name_w, r, p->l.name);
		w_put_right(y + 2 + i, x + 5 + name_w, 9, r, sold);
		w_put_right(y + 2 + i, x + 14 + name_w, 9, r, left);
		w_put_right(y + 2 + i, x + 23 + name_w, 9, r, back);
	}
	w_put(y + page + 3, x + 1, w - 2, ROLE_DIM, _("Space: all/none · F3: "
	    "quantity · F4: all lines · F2: refund · Esc"));
	w_cursor_place();
	refresh();
}

/* Let the attendant choose; 1 when F2 was pressed with something
 * chosen, 0 when cancelled. */
static int
choose(struct tui *t, const char *title, struct picks *ps)
{
	struct w_list l = { ps->n, 0, 0 };
	struct tui_event ev;
	char buf[32], head[PRODUCT_NAME_MAX + 64];
	int page, i, any;

	for (;;) {
		page = tui_body_rows(t) - 7;
		if (page > ps->n)
			page = ps->n;
		w_list_fix(&l, page);
		draw_picks(t, title, ps, &l, page);
		if (tui_dialog_event(t, &ev) != 0)
			return 0;
		if (ev.type == TUI_EV_SCAN) {
			tui_scan_keep(t, ev.code);
			continue;
		}
		if (ev.type != TUI_EV_KEY || w_list_key(&l, &ev, page))
			continue;
		if (ev.key == 0 && ev.ch == TUI_KEY_ESC)
			return 0;
		if (ev.key == 0 && (ev.ch == ' ' || ev.ch == TUI_KEY_ENTER)) {
			struct pick *p = &ps->p[l.sel];

			p->back = p->back > 0 ? 0 : p->l.qty - p->l.refunded;
		} else if (ev.key == KEY_F(4)) {
			any = 0;
			for (i = 0; i < ps->n; i++)
				any |= ps->p[i].back > 0;
			for (i = 0; i < ps->n; i++)
				ps->p[i].back = any ? 0 :
				    ps->p[i].l.qty - ps->p[i].l.refunded;
		} else if (ev.key == KEY_F(3)) {
			struct pick *p = &ps->p[l.sel];

			qty_format(p->back, buf, sizeof buf);
			snprintf(head, sizeof head, _("Take back of line %d: "
			    "%s"), p->l.line_no, p->l.name);
			if (w_prompt(t, head, _("Quantity"), W_QTY, buf,
			    sizeof buf, check_left, p) == DUKA_OK)
				qty_parse(buf, &p->back, NULL);
		} else if (ev.key == KEY_F(2)) {
			for (i = 0; i < ps->n; i++)
				if (ps->p[i].back > 0)
					return 1;
			tui_error(t, "%s", _("Pick a line to refund first "
			    "(Space)."));
		}
	}
}

/* How the money goes back; 0 when chosen. */
static int
ask_method(struct tui *t, struct refund_request *req)
{
	static const enum pay_method order[] = {
		PAY_CASH, PAY_MPESA, PAY_CARD, PAY_BANK, PAY_ACCOUNT,
	};
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	const char *items[5];
	char ref[CUSTOMER_NAME_MAX] = "";
	struct w_field f;
	struct customer cust;
	int choice;

	items[0] = _("Cash");
	items[1] = _("M-PESA (reversal code)");
	items[2] = _("Card");
	items[3] = _("Bank transfer");
	items[4] = _("The customer's account");
	if ((choice = w_menu(t, _("Pay the refund back by"), items, 5, 0)) < 0)
		return -1;
	req->tender.method = order[choice];
	if (order[choice] == PAY_CASH)
		return 0;
	memset(&f, 0, sizeof f);
	f.kind = W_TEXT;
	f.buf = ref;
	f.n = order[choice] == PAY_ACCOUNT ? sizeof ref : PAY_REF_MAX;
	switch (order[choice]) {
	case PAY_MPESA:
		f.label = _("M-PESA code");
		f.check = fc_mpesa_code;
		break;
	case PAY_ACCOUNT:
		f.label = _("Customer");
		f.optional = 1;
		break;
	default:
		f.label = _("Reference");
		break;
	}
	if (w_form(t, items[choice], &f, 1, NULL, NULL) != DUKA_OK)
		return -1;
	if (order[choice] == PAY_MPESA)
		return mpesa_code_check(ref, req->tender.reference, &err) ==
		    DUKA_OK ? 0 : (tui_error_err(t, &err), -1);
	if (order[choice] != PAY_ACCOUNT) {
		snprintf(req->tender.reference, sizeof req->tender.reference,
		    "%s", ref);
		return 0;
	}
	if (ref[0] == '\0')
		return 0;	/* the sale's own customer */
	if (customer_find(c->db, ref, &cust, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	req->tender.customer_id = cust.id;
	return 0;
}

struct refund_try {
	struct db *db;
	const struct refund_request *req;
	struct refund_result *res;
};

/* One try at the refund, for fc_run_approved (refunds need a manager). */
static int
refund_once(void *ctx, struct duka_err *err)
{
	struct refund_try *r = ctx;

	refund_result_free(r->res);
	return refund_commit(r->db, r->req, r->res, err);
}

void
sale_refund(struct tui *t, struct sale_state *s)
{
	struct refund_try rc_ctx;
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct find fd;
	struct picks ps;
	struct refund_line *lines = NULL;
	struct refund_request req;
	struct refund_result res;
	char text[64] = "", title[128], question[256], total[MONEY_MAX_TEXT];
	char receipt[RECEIPT_TEXT_MAX];
	const char *where[2];
	int i, n = 0, damaged;

	memset(&fd, 0, sizeof fd);
	memset(&ps, 0, sizeof ps);
	memset(&res, 0, sizeof res);
	fd.t = t;
	if (w_prompt(t, _("Refund"), _("Receipt number"), W_TEXT, text,
	    sizeof text, check_receipt, &fd) != DUKA_OK)
		return;
	if (refund_lines_left(c->db, fd.sale_id, collect, &ps, &err) !=
	    DUKA_OK) {
		tui_error_err(t, &err);
		goto out;
	}
	if (ps.oom || ps.n == 0) {
		tui_error(t, "%s", ps.oom ? _("Out of memory.") :
		    _("That sale has no lines."));
		goto out;
	}
	sale_receipt_text(fd.till, fd.no, receipt);
	snprintf(title, sizeof title, _("Refund of receipt %s"), receipt);
	if (!choose(t, title, &ps))
		goto out;
	if ((lines = calloc((size_t)ps.n, sizeof *lines)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		goto out;
	}
	for (i = 0; i < ps.n; i++)
		if (ps.p[i].back > 0) {
			lines[n].line_no = ps.p[i].l.line_no;
			lines[n++].qty = ps.p[i].back;
		}
	memset(&req, 0, sizeof req);
	if (ask_method(t, &req) != 0)
		goto out;
	where[0] = _("The goods go back on the shelf");
	where[1] = _("The goods are damaged: written off");
	if ((damaged = w_menu(t, _("The goods"), where, 2, 0)) < 0)
		goto out;
	req.damaged = damaged;
	snprintf(question, sizeof question, ngettext("Refund %d line of "
	    "receipt %s, paid back by %s? %s.", "Refund %d lines of receipt "
	    "%s, paid back by %s? %s.", (unsigned long)n), n, receipt,
	    pay_method_label(req.tender.method), where[damaged]);
	if (!w_confirm(t, question, 0))
		goto out;
	req.till_id = c->till_id;
	req.user = c->user;
	req.sale_till = fd.till;
	req.sale_receipt_no = fd.no;
	req.lines = lines;
	req.nlines = n;
	rc_ctx.db = c->db;
	rc_ctx.req = &req;
	rc_ctx.res = &res;
	if (fc_run_approved(t, PERM_REFUND | (damaged ? PERM_STOCK_ADJUST : 0),
	    refund_once, &rc_ctx, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		goto out;
	}
	s->last_id = res.refund_id;
	snprintf(s->last_receipt, sizeof s->last_receipt, "%s", res.receipt);
	s->last_total = res.total;
	s->last_change = 0;
	s->last_refund = 1;
	s->last_awaiting = 0;
	s->last_printed = 0;
	s->show_last = s->cart->n == 0;
	tui_sync_kick(t);
	money_format_ksh(-res.total, total, sizeof total);
	if (c->cfg->printer[0] != '\0' &&
	    sale_receipt_send(t, res.refund_id, 0, req.tender.method ==
	    PAY_CASH) == 0)
		s->last_printed = 1;
	else if (c->cfg->printer[0] != '\0')
		goto out;	/* the printer's failure is on show */
	tui_info(t, _("Refund %s: %s paid back for receipt %s."), res.receipt,
	    total, res.original);
out:
	refund_result_free(&res);
	free(lines);
	free(ps.p);
}
