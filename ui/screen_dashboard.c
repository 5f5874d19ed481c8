/*
 * screen_dashboard.c - the home screen, where the till opens: today's
 * sales and takings by tender, payments still pending, the shift (open
 * since when, by whom), the stock alerts (low, out, near expiry,
 * expired: Enter on one opens the inventory filtered to it), the sync
 * state, and a key to every other screen.
 *
 * The figures are read when the screen comes on top and every
 * DASH_REFRESH_S seconds while it stays there (a summary of 100,000
 * products is a few hundred milliseconds, not something to do every
 * second); the sync state is read at every draw (a copy under the
 * worker's mutex).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "fraud.h"
#include "i18n.h"
#include "inventory.h"
#include "local_time.h"
#include "money.h"
#include "report.h"
#include "sale.h"
#include "shift.h"
#include "sync.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

/* Seconds between two readings of the figures while the screen is up. */
#define DASH_REFRESH_S 30

enum {
	CMD_SALE, CMD_PRODUCTS, CMD_STOCK, CMD_INVENTORY, CMD_SHIFT,
	CMD_REPORTS, CMD_OPEN, CMD_RELOAD,
};

static const struct tui_key keys[] = {
	{ KEY_F(2), 0, N_("Sale"), N_("sell: the sale screen"), CMD_SALE },
	{ KEY_F(3), 0, N_("Products"), N_("the products: add, change, "
	    "prices and barcodes"), CMD_PRODUCTS },
	{ KEY_F(4), 0, N_("Stock"), N_("receive stock, write off, count"),
	    CMD_STOCK },
	{ KEY_F(5), 0, N_("Inventory"), N_("every product with its quantity "
	    "and status"), CMD_INVENTORY },
	{ KEY_F(6), 0, N_("Shift"), N_("open the shift, cash in and out, X "
	    "and Z reports"), CMD_SHIFT },
	{ KEY_F(7), 0, N_("Reports"), N_("the owner's reports and the "
	    "export"), CMD_REPORTS },
	{ 0, TUI_KEY_ENTER, NULL, N_("open the inventory filtered to the "
	    "selected stock alert"), CMD_OPEN },
	{ 0, TUI_CTRL('r'), NULL, N_("read the figures again"), CMD_RELOAD },
	{ 0, 0, NULL, NULL, 0 },
};

/* The stock alerts, in the order shown; each opens the inventory. */
enum { ALERT_ROW_LOW, ALERT_ROW_OUT, ALERT_ROW_NEAR, ALERT_ROW_EXPIRED,
	ALERT_ROWS };

static const struct {
	const char *label;
	const char *arg;		/* for tui_goto("inventory", arg) */
	enum theme_role role;
} alert_rows[ALERT_ROWS] = {
	{ N_("Low stock"), "status=low", ROLE_WARN },
	{ N_("Out of stock"), "status=out", ROLE_BAD },
	{ N_("Near expiry"), "status=expiring sort=expiry", ROLE_WARN },
	{ N_("Expired"), "status=expired sort=expiry", ROLE_BAD },
};

struct dash {
	struct report_day_takings day;
	int day_ok;
	struct inventory_summary stock;
	int stock_ok;
	struct shift_report shift;
	int shift_open;			/* 1 open, 0 none, -1 unknown */
	int64_t fraud_n;		/* fraud guard alerts of the shift */
	char fraud_first[256];		/* the first one, one line */
	char error[TUI_STATUS_MAX];	/* why a figure is missing */
	int sel;			/* selected alert row */
	int ticks;			/* since the last reading */
};

static void *
dash_open(struct tui *t)
{
	static struct dash d;

	(void)t;
	memset(&d, 0, sizeof d);
	return &d;
}

static void dash_fraud(struct tui *t, struct dash *d);

/* Read every figure again. A failure leaves that part blank and says
 * why; the rest still shows. */
static void
dash_reload(struct tui *t, struct dash *d)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t id;
	int rc;

	d->error[0] = '\0';
	d->ticks = 0;
	d->day_ok = report_day_takings(c->db, NULL, &d->day, &err) == DUKA_OK;
	if (!d->day_ok)
		snprintf(d->error, sizeof d->error, "%s", err.msg);
	d->stock_ok = inventory_summary(c->db, c->cfg->near_expiry_days,
	    &d->stock, &err) == DUKA_OK;
	if (!d->stock_ok)
		snprintf(d->error, sizeof d->error, "%s", err.msg);
	rc = shift_current(c->db, c->till_id, &id, &err);
	if (rc == DUKA_ENOTFOUND)
		d->shift_open = 0;
	else if (rc == DUKA_OK && shift_report(c->db, id, &d->shift, &err) ==
	    DUKA_OK)
		d->shift_open = 1;
	else {
		d->shift_open = -1;
		snprintf(d->error, sizeof d->error, "%s", err.msg);
	}
	dash_fraud(t, d);
}

static int
fraud_cb(void *ctx, const struct fraud_alert *a)
{
	struct dash *d = ctx;

	if (d->fraud_n++ == 0)
		snprintf(d->fraud_first, sizeof d->fraud_first, "%s", a->text);
	return 0;
}

/* The fraud guard's alerts on the open shift (fraud.h), as "duka audit
 * alerts" lists them. */
static void
dash_fraud(struct tui *t, struct dash *d)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct fraud_range r;

	d->fraud_n = 0;
	d->fraud_first[0] = '\0';
	if (d->shift_open != 1)
		return;
	memset(&r, 0, sizeof r);
	r.shift_id = d->shift.shift_id;
	if (fraud_alerts(c->db, &r, NULL, c->cfg, fraud_cb, d, &err) !=
	    DUKA_OK)
		snprintf(d->error, sizeof d->error, "%s", err.msg);
}

static void
dash_enter(struct tui *t, void *st, const char *arg)
{
	(void)arg;
	dash_reload(t, st);
}

static void
dash_tick(struct tui *t, void *st)
{
	struct dash *d = st;

	if (++d->ticks >= DASH_REFRESH_S)
		dash_reload(t, d);
}

/* A label and an amount in w columns. */
static void
money_line(int y, int x, int w, const char *label, int64_t cents,
    enum theme_role role)
{
	char m[MONEY_MAX_TEXT];

	money_format_ksh(cents, m, sizeof m);
	w_put(y, x, w, role, label);
	w_put_right(y, x + w - 18, 18, role, m);
}

/* Today: sales, takings per tender, pending payments. */
static int
draw_today(struct dash *d, int y, int x, int w)
{
	char line[256];
	int m;

	snprintf(line, sizeof line, _("Today, %s"), d->day.day);
	w_put(y++, x, w, ROLE_TITLE, line);
	if (!d->day_ok) {
		w_put(y++, x, w, ROLE_DIM, _("(the takings could not be "
		    "read)"));
		return y;
	}
	snprintf(line, sizeof line, _("%lld sales, %lld refunds"),
	    (long long)d->day.sales, (long long)d->day.refunds);
	w_put(y++, x, w, ROLE_NORMAL, line);
	money_line(y++, x, w, _("Net takings"), d->day.net_total, ROLE_TOTAL);
	for (m = 0; m < PAY_METHODS; m++) {
		snprintf(line, sizeof line, "  %s",
		    pay_method_label((enum pay_method)m));
		money_line(y++, x, w, line, d->day.by_method[m],
		    d->day.by_method[m] != 0 ? ROLE_NORMAL : ROLE_DIM);
	}
	y++;
	w_put(y++, x, w, ROLE_TITLE, _("Pending payments"));
	if (d->day.pending == 0) {
		w_put(y++, x, w, ROLE_OK, _("none"));
	} else {
		snprintf(line, sizeof line, _("%lld waiting (%lld sales)"),
		    (long long)d->day.pending, (long long)d->day.awaiting);
		money_line(y++, x, w, line, d->day.pending_total, ROLE_WARN);
	}
	return y;
}

/* The shift: open since when, by whom, the cash expected. */
static int
draw_shift(struct tui *t, struct dash *d, int y, int x, int w)
{
	char line[256], when[64];
	const struct shift_report *r = &d->shift;

	w_put(y++, x, w, ROLE_TITLE, _("Shift"));
	if (d->shift_open < 0) {
		w_put(y++, x, w, ROLE_DIM, _("(the shift could not be read)"));
		return y;
	}
	if (d->shift_open == 0) {
		snprintf(line, sizeof line, _("No shift open: F6 to open one "
		    "(till %s)."), tui_ctx(t)->till_id);
		w_put(y++, x, w, ROLE_WARN, line);
		return y;
	}
	ui_local_time(r->opened_at, when, sizeof when);
	snprintf(line, sizeof line, _("Open since %s by %s"), when,
	    r->opened_by[0] ? r->opened_by : "-");
	w_put(y++, x, w, ROLE_OK, line);
	money_line(y++, x, w, _("Float"), r->float_cash, ROLE_NORMAL);
	money_line(y++, x, w, _("Shift takings"), r->net_total, ROLE_NORMAL);
	money_line(y++, x, w, _("Cash expected"), r->expected_cash,
	    ROLE_NORMAL);
	/* The alerts are for those who may read them (user.h: managers and
	 * the owner), checked as drawn: F12 may have changed who is here. */
	if (d->fraud_n > 0 && perm_allowed(tui_ctx(t)->db, PERM_AUDIT)) {
		snprintf(line, sizeof line, _("%lld alerts: %s"),
		    (long long)d->fraud_n, d->fraud_first);
		w_put(y++, x, w, ROLE_BAD, line);
	}
	return y;
}

/* The four stock alerts, a selectable list. */
static int
draw_stock(struct dash *d, int y, int x, int w)
{
	int64_t counts[ALERT_ROWS];
	char n[32];
	int i;

	w_put(y++, x, w, ROLE_TITLE, _("Stock (Enter opens the list)"));
	if (!d->stock_ok) {
		w_put(y++, x, w, ROLE_DIM, _("(the stock could not be read)"));
		return y;
	}
	counts[ALERT_ROW_LOW] = d->stock.low;
	counts[ALERT_ROW_OUT] = d->stock.out;
	counts[ALERT_ROW_NEAR] = d->stock.near_expiry;
	counts[ALERT_ROW_EXPIRED] = d->stock.expired;
	for (i = 0; i < ALERT_ROWS; i++) {
		enum theme_role role = i == d->sel ? ROLE_SELECTED :
		    counts[i] > 0 ? alert_rows[i].role : ROLE_OK;

		snprintf(n, sizeof n, "%lld", (long long)counts[i]);
		w_fill(y, x, 1, w, role);
		w_put(y, x + 1, w - 10, role, _(alert_rows[i].label));
		w_put_right(y, x + w - 8, 7, role, n);
		y++;
	}
	w_putf(y++, x, w, ROLE_DIM, _("%lld products in %lld categories"),
	    (long long)d->stock.products, (long long)d->stock.categories);
	return y;
}

/* Age in words: 45 s, 12 min, 3 h, 2 d. */
static void
age_words(int64_t s, char *out, size_t n)
{
	if (s < 60)
		snprintf(out, n, _("%lld s"), (long long)s);
	else if (s < 3600)
		snprintf(out, n, _("%lld min"), (long long)(s / 60));
	else if (s < 86400)
		snprintf(out, n, _("%lld h"), (long long)(s / 3600));
	else
		snprintf(out, n, _("%lld d"), (long long)(s / 86400));
}

/*
 * The sync state from the worker (tui_sync_status): online or offline,
 * events not yet sent and the age of the oldest, events the hub refused.
 */
static int
draw_sync(struct tui *t, int y, int x, int w)
{
	struct sync_status st;
	char line[256], age[32];

	w_put(y++, x, w, ROLE_TITLE, _("Sync with the hub"));
	if (!tui_sync_status(t, &st)) {
		w_put(y++, x, w, ROLE_DIM, tui_ctx(t)->cfg->hub_url[0] ?
		    _("not running") : _("no hub set up (this till works "
		    "alone)"));
		return y;
	}
	if (st.demo) {
		w_put(y++, x, w, ROLE_DIM, _("the demo shop does not sync"));
		return y;
	}
	if (!st.configured) {
		w_put(y++, x, w, ROLE_DIM, _("no hub set up"));
		return y;
	}
	if (st.auth_failed) {
		w_put(y++, x, w, ROLE_BAD, _("the hub refused this till's "
		    "token"));
		return y;
	}
	w_put(y++, x, w, st.online ? ROLE_OK : ROLE_WARN, st.online ?
	    _("online") : _("offline: sales are kept and sent later"));
	if (st.unsent == 0) {
		w_put(y++, x, w, ROLE_OK, _("everything sent"));
	} else {
		age_words(st.oldest_age_s, age, sizeof age);
		snprintf(line, sizeof line, _("%lld unsent, the oldest %s old"),
		    (long long)st.unsent, age);
		w_put(y++, x, w, st.online ? ROLE_NORMAL : ROLE_WARN, line);
	}
	if (st.rejected > 0) {
		snprintf(line, sizeof line, _("%lld refused by the hub (duka "
		    "sync --status)"), (long long)st.rejected);
		w_put(y++, x, w, ROLE_BAD, line);
	}
	if (st.last_error[0] != '\0' && !st.online)
		w_put(y++, x, w, ROLE_DIM, st.last_error);
	return y;
}

static void
dash_draw(struct tui *t, void *st)
{
	struct dash *d = st;
	int cols = tui_cols(t), rows = tui_body_rows(t);
	int lw = cols / 2 - 2, rx = cols / 2 + 1, rw = cols - rx - 1;
	int y;

	draw_today(d, TUI_BODY_TOP, 1, lw);
	y = draw_shift(t, d, TUI_BODY_TOP, rx, rw);
	y = draw_stock(d, y + 1, rx, rw);
	draw_sync(t, y + 1, rx, rw);
	if (d->error[0] != '\0')
		w_put(TUI_BODY_TOP + rows - 1, 1, cols - 2, ROLE_ERROR,
		    d->error);
}

static enum tui_handled
dash_key(struct tui *t, void *st, const struct tui_event *ev, int cmd)
{
	struct dash *d = st;
	static const char *const go[] = {
		[CMD_SALE] = "sale", [CMD_PRODUCTS] = "products",
		[CMD_STOCK] = "stock", [CMD_INVENTORY] = "inventory",
		[CMD_SHIFT] = "shift", [CMD_REPORTS] = "reports",
	};

	switch (cmd) {
	case CMD_SALE:
	case CMD_PRODUCTS:
	case CMD_STOCK:
	case CMD_INVENTORY:
	case CMD_SHIFT:
	case CMD_REPORTS:
		tui_goto(t, go[cmd], NULL);
		return TUI_DONE;
	case CMD_OPEN:
		tui_goto(t, "inventory", alert_rows[d->sel].arg);
		return TUI_DONE;
	case CMD_RELOAD:
		dash_reload(t, d);
		return TUI_DONE;
	default:
		break;
	}
	if (ev->type == TUI_EV_KEY && ev->key == KEY_UP) {
		d->sel = (d->sel + ALERT_ROWS - 1) % ALERT_ROWS;
		return TUI_DONE;
	}
	if (ev->type == TUI_EV_KEY && ev->key == KEY_DOWN) {
		d->sel = (d->sel + 1) % ALERT_ROWS;
		return TUI_DONE;
	}
	return TUI_IGNORED;
}

/* A scan on the home screen starts a sale: the loop keeps the code for
 * the sale screen, which takes it as soon as it is on top. */
static enum tui_handled
dash_scan(struct tui *t, void *st, const char *code)
{
	(void)st;
	(void)code;
	tui_goto(t, "sale", NULL);
	return TUI_IGNORED;
}

const struct tui_screen screen_dashboard = {
	"dashboard", N_("Home"), keys, dash_open, NULL, dash_enter, dash_draw,
	dash_key, dash_scan, dash_tick, NULL,
};
