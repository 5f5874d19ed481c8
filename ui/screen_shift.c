/*
 * screen_shift.c - the till's shift: open it with the cash float, cash
 * paid in and out, the drawer opened without a sale, the X report at any
 * time and the Z report that closes the shift with the cash counted
 * (printed when a printer is set).
 *
 * Every action is a form whose submit calls the src/ function (shift.h):
 * bad input (letters, a negative amount, no reason) is refused with the
 * message in the form, which stays open, and nothing is written. An
 * action the user's role does not allow asks for a manager's PIN
 * (tui_approve) and is tried once more. The report text is the one
 * `duka shift x` prints (shift_report_write).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"
#include "i18n.h"
#include "local_time.h"
#include "money.h"
#include "printer.h"
#include "shift.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

enum {
	CMD_OPEN, CMD_PAY_IN, CMD_PAY_OUT, CMD_NO_SALE, CMD_X, CMD_Z,
};

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Open"), N_("open a shift with the cash float"),
	    CMD_OPEN },
	{ KEY_F(3), 0, N_("Pay in"), N_("cash put into the drawer (not a "
	    "sale)"), CMD_PAY_IN },
	{ KEY_F(4), 0, N_("Pay out"), N_("cash taken out of the drawer (not "
	    "a refund)"), CMD_PAY_OUT },
	{ KEY_F(5), 0, N_("No sale"), N_("record the drawer opened without "
	    "a sale"), CMD_NO_SALE },
	{ KEY_F(6), 0, N_("X report"), N_("the takings so far; the shift "
	    "stays open"), CMD_X },
	{ KEY_F(7), 0, N_("Z report"), N_("count the cash and close the "
	    "shift"), CMD_Z },
	{ 0, 0, NULL, NULL, 0 },
};

struct shift_screen {
	struct shift_report r;
	int open;			/* 1 open, 0 none, -1 unreadable */
	char why[TUI_STATUS_MAX];	/* when unreadable */
};

static void *
sh_open(struct tui *t)
{
	static struct shift_screen s;

	(void)t;
	memset(&s, 0, sizeof s);
	return &s;
}

static void
sh_reload(struct tui *t, struct shift_screen *s)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t id;
	int rc;

	rc = shift_current(c->db, c->till_id, &id, &err);
	if (rc == DUKA_OK)
		rc = shift_report(c->db, id, &s->r, &err);
	if (rc == DUKA_OK)
		s->open = 1;
	else if (rc == DUKA_ENOTFOUND)
		s->open = 0;
	else {
		s->open = -1;
		snprintf(s->why, sizeof s->why, "%s", err.msg);
	}
}

static void
sh_enter(struct tui *t, void *st, const char *arg)
{
	(void)arg;
	sh_reload(t, st);
}

static void
pair(int y, int w, const char *label, int64_t cents)
{
	char m[MONEY_MAX_TEXT];

	money_format_ksh(cents, m, sizeof m);
	w_put(y, 2, 30, ROLE_NORMAL, label);
	w_put_right(y, 32, 20, ROLE_NORMAL, m);
	(void)w;
}

static void
sh_draw(struct tui *t, void *st)
{
	struct shift_screen *s = st;
	struct tui_ctx *c = tui_ctx(t);
	const struct shift_report *r = &s->r;
	int y = TUI_BODY_TOP, w = tui_cols(t) - 4;
	char when[64];

	w_putf(y++, 2, w, ROLE_TITLE, _("Shift on till %s"), c->till_id);
	y++;
	if (s->open < 0) {
		w_put(y, 2, w, ROLE_ERROR, s->why);
		return;
	}
	if (s->open == 0) {
		w_put(y++, 2, w, ROLE_WARN, _("No shift is open. Selling needs "
		    "one: F2 opens it with the cash in the drawer (the "
		    "float)."));
		return;
	}
	ui_local_time(r->opened_at, when, sizeof when);
	w_putf(y++, 2, w, ROLE_OK, _("Shift %lld, open since %s, by %s"),
	    (long long)r->shift_id, when, r->opened_by[0] ?
	    r->opened_by : "-");
	y++;
	pair(y++, w, _("Float"), r->float_cash);
	w_putf(y++, 2, w, ROLE_NORMAL, _("Sales %lld, refunds %lld, "
	    "awaiting payment %lld"), (long long)r->sales,
	    (long long)r->refunds, (long long)r->awaiting);
	pair(y++, w, _("Net takings"), r->net_total);
	pair(y++, w, _("Cash payments"), r->by_method[PAY_CASH]);
	pair(y++, w, _("Paid in"), r->pay_in);
	pair(y++, w, _("Paid out"), -r->pay_out);
	pair(y++, w, _("Cash expected in the drawer"), r->expected_cash);
	y++;
	w_put(y, 2, w, ROLE_DIM, _("F6 shows the X report; F7 counts the "
	    "cash and closes the shift (Z report)."));
}

/* Run fn; when the role does not allow it, ask a manager and retry. */
static int
with_approval(struct tui *t, unsigned perms, int rc_first,
    int (*fn)(void *ctx, struct duka_err *err), void *ctx,
    struct duka_err *err)
{
	if (rc_first != DUKA_EPERM)
		return rc_first;
	tui_info(t, "%s", err->msg);	/* why, under the pop-up */
	if (tui_approve(t, perms) != DUKA_OK)
		return rc_first;
	err->msg[0] = '\0';
	return fn(ctx, err);
}

static int
check_amount(const char *text, void *ctx, struct duka_err *err)
{
	int64_t v;

	(void)ctx;
	return money_parse(text, &v, err);
}

/* --- open ----------------------------------------------------------------- */

struct act {
	struct tui *t;
	enum cash_kind kind;
	int64_t amount;
	const char *reason;
	struct shift_report *z;
};

static int
do_open(void *ctx, struct duka_err *err)
{
	struct act *a = ctx;
	struct tui_ctx *c = tui_ctx(a->t);
	int64_t id;

	return shift_open(c->db, c->till_id, a->amount, c->user, &id, err);
}

static int
open_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct act *a = ctx;
	int rc;

	(void)n;
	if ((rc = money_parse(f[0].buf, &a->amount, err)) != DUKA_OK)
		return rc;
	return do_open(a, err);
}

static void
open_shift(struct tui *t, struct shift_screen *s)
{
	char amount[32] = "";
	struct w_field f[] = {
		{ _("Float (cash)"), W_AMOUNT, amount,
		    sizeof amount, check_amount, NULL, 0 },
	};
	struct act a = { t, CASH_PAY_IN, 0, NULL, NULL };
	char m[MONEY_MAX_TEXT];

	if (s->open == 1) {
		tui_error(t, _("Shift %lld is open already: close it with the Z "
		    "report (F7) first."), (long long)s->r.shift_id);
		return;
	}
	if (w_form(t, _("Open a shift"), f, 1, open_submit, &a) != DUKA_OK)
		return;
	sh_reload(t, s);
	money_format_ksh(a.amount, m, sizeof m);
	tui_info(t, _("Shift %lld is open with a float of %s."),
	    (long long)s->r.shift_id, m);
	tui_sync_kick(t);
}

/* --- cash in, out, no sale ---------------------------------------------- */

static int
do_cash(void *ctx, struct duka_err *err)
{
	struct act *a = ctx;
	struct tui_ctx *c = tui_ctx(a->t);

	return shift_cash(c->db, c->till_id, a->kind, a->amount, a->reason,
	    c->user, err);
}

static int
cash_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct act *a = ctx;
	int rc;

	a->amount = 0;
	if (n == 2 && (rc = money_parse(f[0].buf, &a->amount, err)) !=
	    DUKA_OK)
		return rc;
	a->reason = f[n - 1].buf;
	rc = do_cash(a, err);
	return with_approval(a->t, a->kind == CASH_PAY_IN ? PERM_CASH_IN :
	    PERM_DRAWER, rc, do_cash, a, err);
}

static void
cash(struct tui *t, struct shift_screen *s, enum cash_kind kind)
{
	static const char *const titles[] = {
		N_("Cash paid in"), N_("Cash paid out"),
		N_("Drawer opened without a sale"),
	};
	char amount[32] = "", reason[128] = "", m[MONEY_MAX_TEXT];
	struct w_field f[] = {
		{ _("Amount"), W_AMOUNT, amount, sizeof amount, check_amount,
		    NULL, 0 },
		{ _("Reason"), W_TEXT, reason, sizeof reason, NULL, NULL, 0 },
	};
	struct act a = { t, kind, 0, NULL, NULL };
	int n = kind == CASH_NO_SALE ? 1 : 2;

	if (s->open != 1) {
		tui_error(t, "%s", _("No shift is open: F2 opens one first."));
		return;
	}
	if (w_form(t, _(titles[kind]), n == 2 ? f : f + 1, n, cash_submit,
	    &a) != DUKA_OK)
		return;
	sh_reload(t, s);
	money_format_ksh(a.amount, m, sizeof m);
	if (kind == CASH_PAY_IN)
		tui_info(t, _("Paid in %s."), m);
	else if (kind == CASH_PAY_OUT)
		tui_info(t, _("Paid out %s."), m);
	else
		tui_info(t, "%s", _("Drawer opening recorded."));
	tui_sync_kick(t);
}

/* --- reports ---------------------------------------------------------------- */

/* The report as text in width columns (0: the screen's layout); NULL when
 * memory runs out. The caller frees it. */
static char *
report_text_of(const struct shift_report *r, int width)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		return NULL;
	shift_report_write(fp, r, 0, width);
	if (fclose(fp) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void
x_report(struct tui *t, struct shift_screen *s)
{
	char *text;

	sh_reload(t, s);
	if (s->open != 1) {
		tui_error(t, "%s", s->open < 0 ? s->why :
		    _("No shift is open: there is nothing to report."));
		return;
	}
	if ((text = report_text_of(&s->r, 0)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		return;
	}
	w_text_view(t, _("X report"), text);
	free(text);
}

/* Send the Z to the printer of duka.conf; a failure is a message, the
 * shift stays closed. */
static void
z_print(struct tui *t, const struct shift_report *r)
{
	const struct settings *cfg = tui_ctx(t)->cfg;
	struct duka_err err = { 0, "" };
	unsigned char *bytes = NULL;
	size_t len = 0;
	char *text;

	if ((text = report_text_of(r, (int)cfg->printer_width)) == NULL) {
		tui_error(t, "%s", _("Out of memory."));
		return;
	}
	if (escpos_text(text, &bytes, &len, &err) != DUKA_OK ||
	    printer_send(cfg->printer, bytes, len, 0, &err) != DUKA_OK)
		tui_error(t, _("The shift is closed, but the Z report did not "
		    "print: %s (duka shift x --z %lld prints it again)"),
		    err.msg, (long long)r->z_number);
	else
		tui_info(t, _("Z report %lld printed."), (long long)r->z_number);
	free(bytes);
	free(text);
}

static int
do_close(void *ctx, struct duka_err *err)
{
	struct act *a = ctx;
	struct tui_ctx *c = tui_ctx(a->t);

	return shift_close(c->db, c->till_id, a->amount, c->user, a->z, err);
}

static int
counted_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct act *a = ctx;

	(void)n;
	if (money_parse(f[0].buf, &a->amount, err) != DUKA_OK)
		return err->code;
	if (a->amount < 0)
		return duka_fail(err, DUKA_EINPUT, "%s", _("The cash counted "
		    "cannot be negative."));
	return DUKA_OK;
}

static void
z_report(struct tui *t, struct shift_screen *s)
{
	char counted[32] = "", m[MONEY_MAX_TEXT], q[256], *text;
	struct w_field f[] = {
		{ _("Cash counted"), W_AMOUNT, counted, sizeof counted,
		    check_amount, NULL, 0 },
	};
	struct shift_report z;
	struct duka_err err = { 0, "" };
	struct act a = { t, CASH_PAY_IN, 0, NULL, &z };
	int rc;

	sh_reload(t, s);
	if (s->open != 1) {
		tui_error(t, "%s", s->open < 0 ? s->why :
		    _("No shift is open: there is nothing to close."));
		return;
	}
	if (w_form(t, _("Z report: count the cash in the drawer"), f, 1,
	    counted_submit, &a) != DUKA_OK)
		return;
	money_format_ksh(a.amount, m, sizeof m);
	snprintf(q, sizeof q, _("Close shift %lld with %s counted? It cannot "
	    "be opened again."), (long long)s->r.shift_id, m);
	if (!w_confirm(t, q, 0)) {
		tui_info(t, "%s", _("The shift stays open."));
		return;
	}
	if ((rc = do_close(&a, &err)) != DUKA_OK) {
		tui_error_err(t, &err);
		sh_reload(t, s);
		return;
	}
	sh_reload(t, s);
	tui_sync_kick(t);
	if ((text = report_text_of(&z, 0)) != NULL) {
		w_text_view(t, _("Z report"), text);
		free(text);
	}
	if (tui_ctx(t)->cfg->printer[0] != '\0') {
		z_print(t, &z);
		return;
	}
	money_format_ksh(z.difference < 0 ? -z.difference : z.difference, m,
	    sizeof m);
	if (z.difference < 0)
		tui_info(t, _("Shift closed: Z report %lld. The cash is %s "
		    "short."), (long long)z.z_number, m);
	else if (z.difference > 0)
		tui_info(t, _("Shift closed: Z report %lld. The cash is %s "
		    "over."), (long long)z.z_number, m);
	else
		tui_info(t, _("Shift closed: Z report %lld. The cash is "
		    "exact."), (long long)z.z_number);
}

static enum tui_handled
sh_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct shift_screen *s = st;

	(void)ev;
	switch (cmd) {
	case CMD_OPEN:
		open_shift(t, s);
		return TUI_DONE;
	case CMD_PAY_IN:
		cash(t, s, CASH_PAY_IN);
		return TUI_DONE;
	case CMD_PAY_OUT:
		cash(t, s, CASH_PAY_OUT);
		return TUI_DONE;
	case CMD_NO_SALE:
		cash(t, s, CASH_NO_SALE);
		return TUI_DONE;
	case CMD_X:
		x_report(t, s);
		return TUI_DONE;
	case CMD_Z:
		z_report(t, s);
		return TUI_DONE;
	default:
		break;
	}
	return TUI_IGNORED;
}

const struct tui_screen screen_shift = {
	"shift", N_("Shift"), keys, sh_open, NULL, sh_enter, sh_draw, sh_key,
	NULL, NULL, NULL,
};
