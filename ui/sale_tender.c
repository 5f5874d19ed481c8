/*
 * sale_tender.c - the sale screen's payment (F2) and receipts (F8, F9).
 *
 * The tender dialog gathers the tenders one at a time (cash with what was
 * handed over, an M-PESA confirmation code, a card or bank reference, on
 * account) until they cover the total, so that a split is just several
 * of them; then sale_commit writes the sale in one transaction. Nothing
 * is written before that: Esc in the dialog leaves the cart as it was.
 * The same cart token is used until the sale is committed, so a retry
 * after a failure cannot sell twice.
 *
 * A cart over the [limits] (or with another price) is approved before the
 * tenders: in a shop without users by the attendant, else by a manager's
 * role or PIN (tui_approve); a commit still refused for want of a right
 * asks for the manager again (fc_run_approved).
 *
 * The receipt is printed after the commit, never as part of it: a printer
 * that fails leaves the sale saved and F9 prints it again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "customer.h"
#include "db.h"
#include "field_check.h"
#include "i18n.h"
#include "money.h"
#include "mpesa.h"
#include "receipt.h"
#include "sale.h"
#include "sale_receipt.h"
#include "sale_ui.h"
#include "stock.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

/* As sale_commit allows. */
#define PAY_MAX_TENDERS 16

struct pay {
	struct tui *t;
	struct sale_state *s;
	struct tender tender[PAY_MAX_TENDERS];
	int n;
	int64_t total;
	int64_t covered;		/* applied so far */
	int64_t customer_id;		/* on account: 0 or the customer */
	enum pay_method method;		/* of the form being filled */
	struct sale_result res;
	int prompt;			/* the form asks for a phone */
	int pending;			/* a tender is an M-PESA prompt */
	unsigned perms;			/* what approve() found it needs */
};

/* --- approval ------------------------------------------------------------ */

/* What the cart needs of a manager beyond selling (see sale_commit in
 * user.h): a price override, going past the [limits]. */
static unsigned
cart_perms(const struct cart *c, const struct settings *cfg)
{
	struct cart_totals tot;
	unsigned perms = 0;
	int i;

	cart_totals(c, cfg, &tot);
	if (tot.needs != 0)
		perms |= PERM_DISCOUNT;
	for (i = 0; i < c->n; i++)
		if (c->line[i].override != CART_NO_OVERRIDE)
			perms |= PERM_PRICE_OVERRIDE;
	return perms;
}

/* Whether a line would be sold from an expired batch (the same product's
 * earlier lines taken first): 1 with the first one's words in why, 0 if
 * none, -1 when it could not be told (said why). */
static int
cart_expired(struct tui *t, const struct cart *cart, char *why, size_t n)
{
	struct duka_err err = { 0, "" };
	int64_t qty;
	int i, j, needs;

	for (i = 0; i < cart->n; i++) {
		for (qty = 0, j = 0; j <= i; j++)
			if (cart->line[j].product_id == cart->line[i].product_id)
				qty += cart->line[j].qty;
		if (stock_sale_needs_expired(tui_ctx(t)->db,
		    cart->line[i].product_id, qty, &needs, why, n, &err) !=
		    DUKA_OK) {
			tui_error_err(t, &err);
			return -1;
		}
		if (needs)
			return 1;
	}
	return 0;
}

/*
 * Before the tenders, so that no money is taken for a sale that cannot be
 * made: a cart past the limits is approved. Without users (setup mode)
 * the attendant approves it in their own name (cart_approve); with users a
 * manager's role or PIN does (tui_approve; the approval waits for the
 * sale's commit, which records the manager). A line that can only come
 * from an expired batch is confirmed, and needs a manager too
 * (PERM_SELL_EXPIRED). 0, or -1 (said why).
 */
static int
approve(struct tui *t, struct sale_state *s, unsigned *perms)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct cart_totals tot;
	char question[CART_REASON_MAX * CART_NEEDS + 160];
	char expired[512];
	size_t used = 0;
	int k;

	*perms = cart_perms(s->cart, c->cfg);
	switch (cart_expired(t, s->cart, expired, sizeof expired)) {
	case -1:
		return -1;
	case 1:
		/* The rule's words below, the question in the dialog. */
		tui_info(t, "%s", expired);
		if (!w_confirm(t, _("Only an expired batch has this left: sell "
		    "from it anyway?"), 0)) {
			tui_info(t, "%s", _("Not sold: the sale stays open "
			    "(take the line off, or write the batch off)."));
			return -1;
		}
		*perms |= PERM_SELL_EXPIRED;
		break;
	}
	cart_totals(s->cart, c->cfg, &tot);
	question[0] = '\0';
	for (k = 0; k < CART_NEEDS; k++)
		if ((tot.needs & (1u << k)) && used < sizeof question) {
			size_t n = strlen(tot.reason[k]);

			used += (size_t)snprintf(question + used,
			    sizeof question - used, n > 0 &&
			    tot.reason[k][n - 1] == '.' ? "%s " : "%s. ",
			    tot.reason[k]);
		}
	if (!user_setup_mode(c->db)) {
		if (*perms == 0 || perm_allowed(c->db, *perms | PERM_SELL))
			return 0;
		if (question[0] != '\0')
			tui_info(t, "%s", question);
		return tui_approve(t, *perms) == DUKA_OK ? 0 : -1;
	}
	if (cart_check_commit(s->cart, c->cfg, &err) == DUKA_OK)
		return 0;
	if (tot.needs == 0) {
		tui_error_err(t, &err);
		return -1;
	}
	if (used < sizeof question)
		snprintf(question + used, sizeof question - used,
		    _("Approve it as %s?"), c->user);
	if (!w_confirm(t, question, 0)) {
		tui_info(t, "%s", _("Not approved: the sale stays open."));
		return -1;
	}
	if (cart_approve(s->cart, c->user, &err) != DUKA_OK) {
		tui_error_err(t, &err);
		return -1;
	}
	return 0;
}

/* --- the forms ------------------------------------------------------------- */

/* An amount typed, or what is left when the field is empty. */
static int
read_amount(const char *text, int64_t left, int64_t *out,
    struct duka_err *err)
{
	if (text[0] == '\0') {
		*out = left;
		return DUKA_OK;
	}
	if (money_parse(text, out, err) != DUKA_OK)
		return err->code;
	if (*out <= 0)
		return duka_fail(err, DUKA_EINPUT, _("the amount must be more "
		    "than 0"));
	return DUKA_OK;
}

static int
check_amount(const char *text, void *ctx, struct duka_err *err)
{
	int64_t v;

	(void)ctx;
	return read_amount(text, 1, &v, err);
}

static int
check_customer(const char *text, void *ctx, struct duka_err *err)
{
	struct pay *p = ctx;
	struct customer cust;
	int rc;

	rc = customer_find(tui_ctx(p->t)->db, text, &cust, err);
	if (rc != DUKA_OK)
		return rc;
	if (!cust.active)
		return duka_fail(err, DUKA_EINPUT, _("the customer %s is no "
		    "longer active"), cust.name);
	if (p->customer_id != 0 && p->customer_id != cust.id)
		return duka_fail(err, DUKA_EINPUT, _("one sale goes on one "
		    "customer's account"));
	return DUKA_OK;
}

/* The form is filled: make the tender, refusing what cannot be. */
static int
submit_tender(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct pay *p = ctx;
	struct tender *tn = &p->tender[p->n];
	struct customer cust;
	int64_t left = p->total - p->covered, amount;
	const char *amount_text = n > 1 ? f[1].buf : f[0].buf;
	int rc;

	if ((rc = read_amount(amount_text, left, &amount, err)) != DUKA_OK)
		return rc;
	memset(tn, 0, sizeof *tn);
	tn->method = p->method;
	tn->amount = amount;
	if (p->method == PAY_CASH)
		return DUKA_OK;
	if (amount > left) {
		char a[MONEY_MAX_TEXT], l[MONEY_MAX_TEXT];

		money_format_ksh(amount, a, sizeof a);
		money_format_ksh(left, l, sizeof l);
		return duka_fail(err, DUKA_EINPUT, _("%s is more than the %s "
		    "left"), a, l);
	}
	switch (p->method) {
	case PAY_MPESA:
		if (p->prompt) {
			tn->pending = 1;
			return mpesa_phone_normalise(f[0].buf, tn->phone, err);
		}
		return mpesa_code_check(f[0].buf, tn->reference, err);
	case PAY_CARD:
	case PAY_BANK:
		snprintf(tn->reference, sizeof tn->reference, "%s", f[0].buf);
		return DUKA_OK;
	case PAY_ACCOUNT:
		if ((rc = customer_find(tui_ctx(p->t)->db, f[0].buf, &cust,
		    err)) != DUKA_OK)
			return rc;
		tn->customer_id = cust.id;
		return DUKA_OK;
	case PAY_CASH:
		break;
	}
	return DUKA_OK;
}

/* Ask for one tender of method m; 0 when one was added. */
static int
ask_tender(struct pay *p, enum pay_method m)
{
	char ref[CUSTOMER_NAME_MAX] = "", amount[32] = "", title[192];
	char left[MONEY_MAX_TEXT];
	struct w_field f[2];
	int nf = 2;

	money_format_ksh(p->total - p->covered, left, sizeof left);
	memset(f, 0, sizeof f);
	f[0].buf = ref;
	f[0].n = sizeof ref;
	f[1].label = _("Amount");
	f[1].kind = W_AMOUNT;
	f[1].buf = amount;
	f[1].n = sizeof amount;
	f[1].check = check_amount;
	f[1].optional = 1;
	p->method = m;
	switch (m) {
	case PAY_CASH:
		f[0] = f[1];
		f[0].label = _("Cash received");
		nf = 1;
		snprintf(title, sizeof title, _("Cash: %s left to pay (Enter "
		    "alone: exactly that)"), left);
		break;
	case PAY_MPESA:
		if (p->prompt) {
			f[0].label = _("Phone");
			f[0].kind = W_TEXT;
			f[0].n = 32;
			f[0].check = fc_phone;
			snprintf(title, sizeof title, _("M-PESA prompt: %s left "
			    "to pay (no amount: all of it)"), left);
			break;
		}
		f[0].label = _("M-PESA code");
		f[0].kind = W_TEXT;
		f[0].n = PAY_REF_MAX;
		f[0].check = fc_mpesa_code;
		snprintf(title, sizeof title, _("M-PESA: %s left to pay (no "
		    "amount: all of it)"), left);
		break;
	case PAY_CARD:
	case PAY_BANK:
		f[0].label = _("Reference");
		f[0].kind = W_TEXT;
		f[0].n = PAY_REF_MAX;
		snprintf(title, sizeof title, m == PAY_CARD ? _("Card: %s left "
		    "to pay (no amount: all of it)") : _("Bank transfer: %s "
		    "left to pay (no amount: all of it)"), left);
		break;
	case PAY_ACCOUNT:
		f[0].label = _("Customer");
		f[0].kind = W_TEXT;
		f[0].check = check_customer;
		f[0].ctx = p;
		snprintf(title, sizeof title, _("On account: %s left to pay "
		    "(name or number of the customer)"), left);
		break;
	}
	if (w_form(p->t, title, f, nf, submit_tender, p) != DUKA_OK)
		return -1;
	return 0;
}

/* --- committing ------------------------------------------------------------ */

/* Print the new receipt when a printer is set; say how it went. */
static void
after_commit(struct tui *t, struct sale_state *s, const struct sale_result *r)
{
	const struct settings *cfg = tui_ctx(t)->cfg;
	char total[MONEY_MAX_TEXT], change[MONEY_MAX_TEXT];

	s->last_id = r->sale_id;
	snprintf(s->last_receipt, sizeof s->last_receipt, "%s", r->receipt);
	s->last_total = r->total;
	s->last_change = r->change;
	s->last_refund = 0;
	s->last_awaiting = r->awaiting;
	s->last_printed = 0;
	s->show_last = 1;
	sale_cart_reset(s);
	tui_sync_kick(t);
	money_format_ksh(r->total, total, sizeof total);
	money_format_ksh(r->change, change, sizeof change);
	if (r->awaiting && !r->duplicate) {
		/* printed once paid, by the M-PESA dialog or the tick */
		sale_mpesa_start(t, s, r->sale_id, r->receipt);
		return;
	}
	if (cfg->printer[0] != '\0') {
		if (sale_receipt_send(t, r->sale_id, r->duplicate,
		    !r->duplicate) != 0)
			return;
		s->last_printed = 1;
	}
	if (r->duplicate)
		tui_info(t, _("This sale was saved already as receipt %s; "
		    "nothing new was written."), r->receipt);
	else
		tui_info(t, _("Receipt %s: total %s, change %s."), r->receipt,
		    total, change);
}

static int
commit_once(void *ctx, struct duka_err *err)
{
	struct pay *p = ctx;
	struct tui_ctx *c = tui_ctx(p->t);
	struct sale_request req;

	memset(&req, 0, sizeof req);
	req.cart = p->s->cart;
	req.tenders = p->tender;
	req.ntenders = p->n;
	req.till_id = c->till_id;
	req.user = c->user;
	req.cart_token = p->s->token;
	req.customer_id = p->customer_id;
	req.allow_expired = (p->perms & PERM_SELL_EXPIRED) != 0;
	return sale_commit(c->db, &req, c->cfg, &p->res, err);
}

static int
commit(struct pay *p, unsigned perms)
{
	struct duka_err err = { 0, "" };

	if (fc_run_approved(p->t, perms != 0 ? perms : PERM_SELL, commit_once,
	    p, &err) != DUKA_OK) {
		tui_error_err(p->t, &err);
		return -1;
	}
	after_commit(p->t, p->s, &p->res);
	return 0;
}

void
sale_pay(struct tui *t, struct sale_state *s)
{
	/* The menu's items; the prompt (an M-PESA tender left pending) only
	 * where prompts can be sent: [mpesa] set up, and not the demo shop,
	 * which sends none (sync.c). */
	enum { T_CASH, T_CODE, T_PROMPT, T_CARD, T_BANK, T_ACCOUNT, T_AGAIN };
	static const enum pay_method method[] = {
		PAY_CASH, PAY_MPESA, PAY_MPESA, PAY_CARD, PAY_BANK,
		PAY_ACCOUNT,
	};
	int prompt_ok = mpesa_configured(tui_ctx(t)->cfg) &&
	    !db_is_demo(tui_ctx(t)->db);
	const char *items[8];
	int kind[8];
	char title[256], total[MONEY_MAX_TEXT], left[MONEY_MAX_TEXT];
	struct pay p;
	unsigned perms;
	int n, choice, i;

	if (s->cart->n == 0) {
		tui_error(t, "%s", _("Nothing to pay: scan or type a code "
		    "first."));
		return;
	}
	if (sale_need_shift(t) != DUKA_OK || approve(t, s, &perms) != 0)
		return;
	memset(&p, 0, sizeof p);
	p.perms = perms;
	p.t = t;
	p.s = s;
	p.total = s->cart->sum.total;
	for (;;) {
		n = 0;
		kind[n] = T_CASH;
		items[n++] = _("Cash");
		kind[n] = T_CODE;
		items[n++] = _("M-PESA (confirmation code)");
		if (prompt_ok && !p.pending) {
			kind[n] = T_PROMPT;
			items[n++] = _("M-PESA prompt to the customer's phone");
		}
		kind[n] = T_CARD;
		items[n++] = _("Card");
		kind[n] = T_BANK;
		items[n++] = _("Bank transfer");
		kind[n] = T_ACCOUNT;
		items[n++] = _("On account");
		if (p.n > 0) {
			kind[n] = T_AGAIN;
			items[n++] = _("Start the payment again");
		}
		money_format_ksh(p.total, total, sizeof total);
		money_format_ksh(p.total - p.covered, left, sizeof left);
		if (p.n == 0)
			snprintf(title, sizeof title, _("Pay %s"), total);
		else
			snprintf(title, sizeof title, _("Pay %s · %s left"),
			    total, left);
		if ((choice = w_menu(t, title, items, n, 0)) < 0) {
			/* a manager's approval is for this sale only */
			perm_approval_clear(tui_ctx(t)->db);
			tui_info(t, "%s", _("Payment cancelled: the sale is "
			    "still open."));
			return;
		}
		choice = kind[choice];
		if (choice == T_AGAIN) {
			p.n = 0;
			p.covered = 0;
			p.customer_id = 0;
			p.pending = 0;
			continue;
		}
		if (p.n == PAY_MAX_TENDERS) {
			tui_error(t, _("A sale takes at most %d payments."),
			    PAY_MAX_TENDERS);
			continue;
		}
		p.prompt = choice == T_PROMPT;
		if (ask_tender(&p, method[choice]) != 0)
			continue;
		p.pending |= p.tender[p.n].pending;
		if (p.tender[p.n].method == PAY_ACCOUNT)
			p.customer_id = p.tender[p.n].customer_id;
		p.covered += p.tender[p.n].amount;
		p.n++;
		if (p.covered < p.total)
			continue;
		if (commit(&p, perms) == 0)
			return;
		/* Refused (a code used before, a credit limit): nothing was
		 * written; start the tenders again with the reason shown. */
		p.n = 0;
		p.covered = 0;
		p.customer_id = 0;
		p.pending = 0;
		for (i = 0; i < PAY_MAX_TENDERS; i++)
			memset(&p.tender[i], 0, sizeof p.tender[i]);
	}
}

/* --- receipts -------------------------------------------------------------- */

static int
receipt_width(const struct settings *cfg)
{
	return receipt_width_ok((int)cfg->printer_width) ?
	    (int)cfg->printer_width : 42;
}

void
sale_receipt_preview(struct tui *t, int64_t sale_id, int reprint)
{
	const struct settings *cfg = tui_ctx(t)->cfg;
	struct duka_err err = { 0, "" };
	struct receipt *r = NULL;
	char *text = NULL, title[96];
	size_t len;

	if (sale_receipt_load(tui_ctx(t)->db, sale_id, cfg, reprint, &r,
	    &err) != DUKA_OK || receipt_format_text(r, receipt_width(cfg),
	    &text, &len, &err) != DUKA_OK) {
		receipt_free(r);
		tui_error_err(t, &err);
		return;
	}
	snprintf(title, sizeof title, _("Receipt %s"), r->number);
	receipt_free(r);
	w_text_view(t, title, text);
	free(text);
}

int
sale_receipt_send(struct tui *t, int64_t sale_id, int reprint,
    int kick_drawer)
{
	const struct settings *cfg = tui_ctx(t)->cfg;
	struct duka_err err = { 0, "" };

	if (cfg->printer[0] == '\0') {
		tui_error(t, "%s", _("No printer is set: put its device under "
		    "[printer] in duka.conf. The sale is saved; F8 shows the "
		    "receipt."));
		return -1;
	}
	if (sale_receipt_print(tui_ctx(t)->db, sale_id, cfg, reprint,
	    kick_drawer, &err) != DUKA_OK) {
		tui_error(t, _("The sale is saved but the receipt was not "
		    "printed: %s. F9 prints it again."), err.msg);
		return -1;
	}
	return 0;
}
