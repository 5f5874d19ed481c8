/*
 * sale_mpesa.c - the sale screen's M-PESA prompt (STK Push): after a sale
 * is committed awaiting a prompt, queue the prompt and follow it live
 * (sending, waiting for the customer, paid with its receipt number,
 * cancelled, timed out, unknown...), with the attendant's ways out: stop
 * waiting, send a new prompt (a new attempt), pay another way (cash or a
 * keyed-in code, mpesa_switch_tender), key in the code the customer got
 * when Daraja said paid without one, or leave the sale awaiting and serve
 * the next customer.
 *
 * The worker (sync thread) sends and settles the prompts; this file only
 * reads the attempt's state on every tick and wake-up, so a paid prompt
 * completes the sale by itself, whether the dialog is open or not: sales
 * left awaiting are followed by the sale screen's tick (sale_mpesa_tick).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "field_check.h"
#include "i18n.h"
#include "money.h"
#include "mpesa.h"
#include "sale.h"
#include "sale_ui.h"
#include "tui.h"
#include "widget.h"

struct follow {
	int64_t sale_id;
	int64_t attempt_id;		/* 0: none queued (yet) */
	char receipt[RECEIPT_TEXT_MAX];
	struct mpesa_attempt a;
	int have;			/* a was read */
	int done;			/* nothing is pending any more */
	int64_t change;			/* when paid another way in cash */
	char why[TUI_STATUS_MAX];	/* the last refusal, shown inside */
};

/* Read the attempt and whether the sale still waits. */
static void
follow_poll(struct tui *t, struct follow *f)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t pid, amount;
	char phone[16];

	if (f->attempt_id != 0)
		f->have = mpesa_attempt_get(c->db, f->attempt_id, &f->a,
		    &err) == DUKA_OK;
	if (mpesa_pending_payment(c->db, f->sale_id, &pid, &amount, phone,
	    &err) == DUKA_ENOTFOUND)
		f->done = 1;
}

static void
follow_draw(struct tui *t, const struct follow *f)
{
	int cols = tui_cols(t), w = cols - 10, x = 5, y = TUI_BODY_TOP + 3;
	char title[96], amount[MONEY_MAX_TEXT], line[320];
	enum theme_role role = ROLE_DIALOG;
	const char *hint;

	tui_draw_all(t);
	snprintf(title, sizeof title, _("M-PESA prompt · receipt %s"),
	    f->receipt);
	w_box(y, x, 12, w, title);
	if (f->have) {
		money_format_ksh(f->a.amount, amount, sizeof amount);
		w_putf(y + 2, x + 2, w - 4, ROLE_DIALOG, _("Phone %s · %s"),
		    f->a.phone, amount);
		if (f->a.state == MPESA_PAID)
			role = ROLE_OK;
		else if (mpesa_state_final(f->a.state) || f->a.abandoned)
			role = ROLE_BAD;
		snprintf(line, sizeof line, "%s%s", mpesa_state_label(
		    f->a.state), f->a.abandoned ? _(" (stopped waiting)") : "");
		w_put(y + 4, x + 2, w - 4, role, line);
		if (f->a.mpesa_receipt[0] != '\0')
			w_putf(y + 5, x + 2, w - 4, ROLE_OK,
			    _("M-PESA receipt %s"), f->a.mpesa_receipt);
		else if (f->a.last_error[0] != '\0')
			w_put(y + 5, x + 2, w - 4, ROLE_DIM, f->a.last_error);
	} else {
		w_put(y + 4, x + 2, w - 4, ROLE_WARN, _("No prompt is on its "
		    "way: F4 sends one."));
	}
	if (f->done) {
		money_format_ksh(f->change, amount, sizeof amount);
		if (f->change > 0)
			w_putf(y + 6, x + 2, w - 4, ROLE_OK, _("Paid: the sale "
			    "is complete. Change %s."), amount);
		else
			w_put(y + 6, x + 2, w - 4, ROLE_OK, _("Paid: the sale "
			    "is complete."));
		hint = _("Enter: done");
	} else if (!f->have || mpesa_state_final(f->a.state) ||
	    f->a.abandoned)
		hint = f->have && f->a.state == MPESA_CONFIRMED ?
		    _("F7 key in the code · F4 send again · F6 pay another "
		    "way · Esc leave it") :
		    _("F4 send again · F6 pay another way · Esc leave it "
		    "waiting");
	else
		hint = f->a.state == MPESA_CONFIRMED ?
		    _("F7 key in the code · F3 stop waiting · F6 pay another "
		    "way · Esc leave it") :
		    _("F3 stop waiting · F6 pay another way · Esc leave it "
		    "waiting");
	if (f->why[0] != '\0')
		w_put(y + 8, x + 2, w - 4, ROLE_ERROR, f->why);
	w_put(y + 10, x + 2, w - 4, ROLE_DIM, hint);
	w_cursor_place();
	refresh();
}

static int
check_cash(const char *text, void *ctx, struct duka_err *err)
{
	const int64_t *due = ctx;
	int64_t v;

	if (money_parse(text, &v, err) != DUKA_OK)
		return err->code;
	if (v < *due)
		return duka_fail(err, DUKA_EINPUT, _("that is less than what "
		    "is due"));
	return DUKA_OK;
}

/* F4: a new prompt (a new attempt), to the same phone or another. */
static void
send_again(struct tui *t, struct follow *f)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	char phone[32] = "";
	int64_t id;

	if (f->have)
		snprintf(phone, sizeof phone, "%s", f->a.phone);
	if (w_prompt(t, _("Send the M-PESA prompt again"), _("Phone"), W_TEXT,
	    phone, sizeof phone, fc_phone, NULL) != DUKA_OK)
		return;
	if (mpesa_prompt_queue(c->db, f->sale_id, phone, c->user, &id,
	    &err) != DUKA_OK) {
		snprintf(f->why, sizeof f->why, "%s", err.msg);
		return;
	}
	f->attempt_id = id;
	f->why[0] = '\0';
	tui_sync_kick(t);
}

/* F6: cash or a keyed-in code instead of the prompt. */
static void
pay_another_way(struct tui *t, struct follow *f)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	const char *items[2];
	char buf[PAY_REF_MAX] = "", phone[16], due_text[MONEY_MAX_TEXT],
	    title[128];
	int64_t pid, due, tendered = 0;
	int choice, rc;

	if (mpesa_pending_payment(c->db, f->sale_id, &pid, &due, phone,
	    &err) != DUKA_OK) {
		snprintf(f->why, sizeof f->why, "%s", err.msg);
		return;
	}
	money_format_ksh(due, due_text, sizeof due_text);
	snprintf(title, sizeof title, _("Pay %s another way"), due_text);
	items[0] = _("Cash");
	items[1] = _("M-PESA (confirmation code)");
	if ((choice = w_menu(t, title, items, 2, 0)) < 0)
		return;
	if (choice == 0) {
		if (w_prompt(t, title, _("Cash received"), W_AMOUNT, buf,
		    sizeof buf, check_cash, &due) != DUKA_OK)
			return;
		money_parse(buf, &tendered, &err);
		rc = mpesa_switch_tender(c->db, pid, PAY_CASH, tendered, NULL,
		    c->user, &f->change, &err);
	} else {
		if (w_prompt(t, title, _("M-PESA code"), W_TEXT, buf,
		    sizeof buf, fc_mpesa_code, NULL) != DUKA_OK)
			return;
		rc = mpesa_switch_tender(c->db, pid, PAY_MPESA, 0, buf,
		    c->user, NULL, &err);
	}
	if (rc != DUKA_OK) {
		snprintf(f->why, sizeof f->why, "%s", err.msg);
		return;
	}
	f->why[0] = '\0';
	tui_sync_kick(t);
}

/* F7: Daraja said paid without a receipt number: the customer's SMS has
 * it. */
static void
key_code(struct tui *t, struct follow *f)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	char code[PAY_REF_MAX] = "";

	if (w_prompt(t, _("The code from the customer's SMS"), _("M-PESA code"),
	    W_TEXT, code, sizeof code, fc_mpesa_code, NULL) != DUKA_OK)
		return;
	if (mpesa_attempt_key_code(c->db, f->attempt_id, code, c->user,
	    &err) != DUKA_OK)
		snprintf(f->why, sizeof f->why, "%s", err.msg);
	else
		f->why[0] = '\0';
}

/* Remember a sale left awaiting, for the tick and for F2. */
static void
await_add(struct sale_state *s, const struct follow *f)
{
	int i;

	for (i = 0; i < s->nawait; i++)
		if (s->await[i].sale_id == f->sale_id) {
			s->await[i].attempt_id = f->attempt_id;
			return;
		}
	if (s->nawait == SALE_AWAIT_MAX) {
		/* the oldest is still followed by the worker, not here */
		memmove(&s->await[0], &s->await[1],
		    (SALE_AWAIT_MAX - 1) * sizeof s->await[0]);
		s->nawait--;
	}
	s->await[s->nawait].sale_id = f->sale_id;
	s->await[s->nawait].attempt_id = f->attempt_id;
	snprintf(s->await[s->nawait].receipt, sizeof s->await[0].receipt,
	    "%s", f->receipt);
	s->nawait++;
}

static void
await_remove(struct sale_state *s, int64_t sale_id)
{
	int i;

	for (i = 0; i < s->nawait; i++)
		if (s->await[i].sale_id == sale_id) {
			memmove(&s->await[i], &s->await[i + 1],
			    (size_t)(s->nawait - i - 1) * sizeof s->await[0]);
			s->nawait--;
			return;
		}
}

/* The sale is paid: the screen's last receipt says so; print it. */
static void
completed(struct tui *t, struct sale_state *s, const struct follow *f)
{
	await_remove(s, f->sale_id);
	if (s->last_id == f->sale_id) {
		s->last_awaiting = 0;
		s->last_change = f->change;
	}
	if (tui_ctx(t)->cfg->printer[0] != '\0' &&
	    sale_receipt_send(t, f->sale_id, 0, f->change > 0) == 0 &&
	    s->last_id == f->sale_id)
		s->last_printed = 1;
}

/* Follow sale_id's prompt until it is paid or the attendant leaves. */
static void
follow(struct tui *t, struct sale_state *s, struct follow *f)
{
	struct tui_event ev;
	int stop;

	for (;;) {
		follow_poll(t, f);
		follow_draw(t, f);
		if (tui_dialog_event(t, &ev) != 0)
			break;		/* the program ends; the sale waits */
		if (ev.type == TUI_EV_SCAN) {
			tui_scan_keep(t, ev.code);
			continue;
		}
		if (ev.type != TUI_EV_KEY)
			continue;
		if (f->done) {
			if (ev.key == 0 && (ev.ch == TUI_KEY_ENTER ||
			    ev.ch == TUI_KEY_ESC))
				break;
			continue;
		}
		stop = !f->have || mpesa_state_final(f->a.state) ||
		    f->a.abandoned;
		if (ev.key == 0 && ev.ch == TUI_KEY_ESC) {
			await_add(s, f);
			tui_info(t, _("Receipt %s waits for M-PESA: it completes "
			    "by itself when paid; F2 with no items follows "
			    "it."), f->receipt);
			return;
		}
		if (ev.key == KEY_F(3) && !stop) {
			if (w_confirm(t, _("Stop waiting for this prompt? A late "
			    "payment is still recorded."), 0)) {
				struct duka_err err = { 0, "" };

				if (mpesa_attempt_abandon(tui_ctx(t)->db,
				    f->attempt_id, tui_ctx(t)->user, &err) !=
				    DUKA_OK)
					snprintf(f->why, sizeof f->why, "%s",
					    err.msg);
			}
		} else if (ev.key == KEY_F(4) && stop) {
			send_again(t, f);
		} else if (ev.key == KEY_F(6)) {
			pay_another_way(t, f);
		} else if (ev.key == KEY_F(7) && f->have &&
		    f->a.state == MPESA_CONFIRMED) {
			key_code(t, f);
		}
	}
	follow_poll(t, f);
	if (f->done) {
		completed(t, s, f);
		tui_info(t, _("Receipt %s is paid."), f->receipt);
	} else {
		await_add(s, f);
	}
}

void
sale_mpesa_start(struct tui *t, struct sale_state *s, int64_t sale_id,
    const char *receipt)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct follow f;

	memset(&f, 0, sizeof f);
	f.sale_id = sale_id;
	snprintf(f.receipt, sizeof f.receipt, "%s", receipt);
	if (mpesa_prompt_queue(c->db, sale_id, NULL, c->user, &f.attempt_id,
	    &err) != DUKA_OK)
		snprintf(f.why, sizeof f.why, "%s", err.msg);
	else
		tui_sync_kick(t);
	follow(t, s, &f);
}

int
sale_mpesa_resume(struct tui *t, struct sale_state *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	const char *items[SALE_AWAIT_MAX];
	struct mpesa_attempt a;
	struct follow f;
	int i, pick;

	if (s->nawait == 0)
		return 0;
	for (i = 0; i < s->nawait; i++)
		items[i] = s->await[i].receipt;
	if ((pick = w_menu(t, _("Sales waiting for M-PESA"), items, s->nawait,
	    s->nawait - 1)) < 0)
		return 1;
	memset(&f, 0, sizeof f);
	f.sale_id = s->await[pick].sale_id;
	f.attempt_id = s->await[pick].attempt_id;
	snprintf(f.receipt, sizeof f.receipt, "%s", s->await[pick].receipt);
	/* the newest attempt of its payment, if another was sent since */
	if (f.attempt_id != 0 && mpesa_attempt_get(c->db, f.attempt_id, &a,
	    &err) == DUKA_OK && mpesa_attempt_latest(c->db, a.payment_id, &a,
	    &err) == DUKA_OK)
		f.attempt_id = a.id;
	follow(t, s, &f);
	return 1;
}

struct load {
	struct sale_state *s;
	struct db *db;
	const char *till_id;
};

/* A prompt not settled yet, for a sale of this till: follow its sale. */
static int
load_one(void *ctx, const struct mpesa_attempt *a)
{
	struct load *l = ctx;
	struct duka_err err = { 0, "" };
	struct follow f;
	size_t n = strlen(l->till_id);
	int64_t pid, amount;
	char phone[16];

	if (a->sale_id == 0 || strncmp(a->receipt, l->till_id, n) != 0 ||
	    a->receipt[n] != '-' || mpesa_pending_payment(l->db, a->sale_id,
	    &pid, &amount, phone, &err) != DUKA_OK)
		return 0;
	memset(&f, 0, sizeof f);
	f.sale_id = a->sale_id;
	f.attempt_id = a->id;
	snprintf(f.receipt, sizeof f.receipt, "%s", a->receipt);
	await_add(l->s, &f);
	return l->s->nawait == SALE_AWAIT_MAX;
}

void
sale_mpesa_load(struct tui *t, struct sale_state *s)
{
	struct duka_err err = { 0, "" };
	struct load l = { s, tui_ctx(t)->db, tui_ctx(t)->till_id };

	/* newest first: the sales kept are the latest ones */
	if (mpesa_attempt_list(tui_ctx(t)->db, 0, load_one, &l, &err) !=
	    DUKA_OK)
		tui_error_err(t, &err);
}

void
sale_mpesa_tick(struct tui *t, struct sale_state *s)
{
	struct follow f;
	int i;

	for (i = s->nawait - 1; i >= 0; i--) {
		memset(&f, 0, sizeof f);
		f.sale_id = s->await[i].sale_id;
		f.attempt_id = s->await[i].attempt_id;
		snprintf(f.receipt, sizeof f.receipt, "%s",
		    s->await[i].receipt);
		follow_poll(t, &f);
		if (f.done) {
			completed(t, s, &f);
			tui_info(t, _("Receipt %s is paid (M-PESA)."),
			    f.receipt);
		} else if (f.have && (mpesa_state_final(f.a.state) &&
		    f.a.state != MPESA_PAID) && !s->await[i].told) {
			s->await[i].told = 1;
			tui_error(t, _("M-PESA for receipt %s: %s. F2 with no "
			    "items follows it."), f.receipt,
			    mpesa_state_label(f.a.state));
		}
	}
}
