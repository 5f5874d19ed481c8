/*
 * tui.c - the till screen's loop: terminal set-up and tear-down, signals,
 * the event reader (keys, scanner bursts, resizes, wake-ups), the screens'
 * stack of one, the header, the status line and the bottom bar.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "sync.h"
#include "i18n.h"
#include "login.h"
#include "theme.h"
#include "tui.h"
#include "user.h"
#include "widget.h"

/* A scanner types a key every few milliseconds; a person, every 60 ms or
 * more. Keys closer than this belong to one burst. */
#define SCAN_GAP_MS 30
/* A burst of at least this many digits, then Enter, is a scan. */
#define SCAN_MIN_DIGITS 6
/* Keys read ahead while deciding whether a burst is a scan. */
#define KEYQ_MAX (TUI_CODE_MAX + 2)

static const struct tui_screen *const screens[] = {
	&screen_dashboard,
	&screen_sale,
	&screen_products,
	&screen_stock,
	&screen_inventory,
	&screen_shift,
	&screen_reports,
	&screen_help,
};
#define NSCREENS ((int)(sizeof screens / sizeof screens[0]))

/* Keys every screen has; the help screen lists them too. */
const struct tui_key tui_global_keys[] = {
	{ KEY_F(1), 0, N_("Help"), N_("show the keys of this screen"), 0 },
	{ 0, TUI_KEY_ESC, N_("Back"), N_("back to the home screen; closes a "
	    "dialog"), 0 },
	{ KEY_F(10), 0, N_("Quit"), N_("close the till (asks first)"), 0 },
	{ KEY_F(12), 0, NULL, N_("switch user: lock the till until someone "
	    "logs in"), 0 },
	{ 0, TUI_CTRL('l'), NULL, N_("draw the screen again"), 0 },
	{ 0, 0, NULL, NULL, 0 },
};

struct tui {
	struct tui_ctx ctx;
	void *state[NSCREENS];
	int cur;			/* index in screens[] */
	int prev;
	char goto_id[32];		/* a switch asked by a handler */
	char goto_arg[128];
	int goto_pending;
	int quit;
	int rows, cols;
	char status[TUI_STATUS_MAX];
	enum theme_role status_role;
	struct tui_event keyq[KEYQ_MAX];	/* read ahead, not yet given */
	int keyq_n, keyq_head;
	char scans[TUI_SCAN_QUEUE][TUI_CODE_MAX];
	int scans_n;
	int wake_rd, wake_wr;		/* the sync worker writes here */
	struct actor actor;		/* who is logged in */
	int64_t last_key_ms;		/* for the idle timeout */
	int relogging;			/* the login form is up (no second) */
};

static int sig_pipe[2] = { -1, -1 };
/* The screen duka till SCREEN opens on (after the home screen, so that
 * Esc still leads home); NULL: the home screen. */
static const char *start_screen;
static volatile sig_atomic_t sig_ending;

/* --- signals --------------------------------------------------------- */

/* Only a byte to the pipe: the loop does the work. */
static void
on_signal(int sig)
{
	int saved = errno;
	char c = sig == SIGWINCH ? 'W' : 'Q';

	if (sig != SIGWINCH)
		sig_ending = 1;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a byte is already waiting */
	}
	errno = saved;
}

static int
pipe_nonblocking(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
signals_restore(void)
{
	signal(SIGWINCH, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* --- small things the screens use ------------------------------------ */

struct tui_ctx *
tui_ctx(struct tui *t)
{
	return &t->ctx;
}

void
tui_goto(struct tui *t, const char *id, const char *arg)
{
	snprintf(t->goto_id, sizeof t->goto_id, "%s", id);
	snprintf(t->goto_arg, sizeof t->goto_arg, "%s", arg ? arg : "");
	t->goto_pending = 1;
}

void
tui_quit(struct tui *t)
{
	t->quit = 1;
}

static void
status_set(struct tui *t, enum theme_role role, const char *fmt, va_list ap)
{
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	t->status_role = role;
}

void
tui_info(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status_set(t, ROLE_INFO, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status_set(t, ROLE_ERROR, fmt, ap);
	va_end(ap);
	beep();
}

void
tui_error_err(struct tui *t, const struct duka_err *err)
{
	tui_error(t, "%s", err->msg[0] ? err->msg : _("that did not work"));
}

int
tui_body_rows(struct tui *t)
{
	return t->rows - 3;
}

int
tui_cols(struct tui *t)
{
	return t->cols;
}

void
tui_scan_keep(struct tui *t, const char *code)
{
	if (t->scans_n == TUI_SCAN_QUEUE) {
		tui_error(t, _("Too many scans while a dialog was open: %s was "
		    "not kept; scan it again"), code);
		return;
	}
	snprintf(t->scans[t->scans_n++], TUI_CODE_MAX, "%s", code);
	tui_info(t, _("Scan %s kept: it goes into the sale when you are back "
	    "at the sale screen"), code);
}

int
tui_scan_take(struct tui *t, char code[TUI_CODE_MAX])
{
	if (t->scans_n == 0)
		return 0;
	memcpy(code, t->scans[0], TUI_CODE_MAX);
	memmove(t->scans[0], t->scans[1],
	    (size_t)(t->scans_n - 1) * TUI_CODE_MAX);
	t->scans_n--;
	return 1;
}

int
tui_key_matches(const struct tui_key *k, const struct tui_event *ev)
{
	if (ev->type != TUI_EV_KEY)
		return 0;
	if (k->key != 0)
		return ev->key == k->key;
	return k->ch != 0 && ev->key == 0 && ev->ch == k->ch;
}

void
tui_key_name(const struct tui_key *k, char *out, size_t n)
{
	if (k->key >= KEY_F(1) && k->key <= KEY_F(24))
		snprintf(out, n, "F%d", k->key - KEY_F(0));
	else if (k->key == KEY_DC)
		snprintf(out, n, "%s", _("Del"));
	else if (k->key == KEY_IC)
		snprintf(out, n, "%s", _("Ins"));
	else if (k->key == KEY_NPAGE)
		snprintf(out, n, "%s", _("PgDn"));
	else if (k->key == KEY_PPAGE)
		snprintf(out, n, "%s", _("PgUp"));
	else if (k->key == KEY_UP)
		snprintf(out, n, "%s", _("Up"));
	else if (k->key == KEY_DOWN)
		snprintf(out, n, "%s", _("Down"));
	else if (k->key == KEY_LEFT)
		snprintf(out, n, "%s", _("Left"));
	else if (k->key == KEY_RIGHT)
		snprintf(out, n, "%s", _("Right"));
	else if (k->key == KEY_HOME)
		snprintf(out, n, "%s", _("Home"));
	else if (k->key == KEY_END)
		snprintf(out, n, "%s", _("End"));
	else if (k->key == KEY_BACKSPACE)
		snprintf(out, n, "%s", _("Backspace"));
	else if (k->key == KEY_BTAB)
		snprintf(out, n, "%s", _("Shift-Tab"));
	else if (k->key != 0)
		snprintf(out, n, "%s", keyname(k->key));
	else if (k->ch == TUI_KEY_ESC)
		snprintf(out, n, "%s", _("Esc"));
	else if (k->ch == TUI_KEY_ENTER)
		snprintf(out, n, "%s", _("Enter"));
	else if (k->ch == TUI_KEY_TAB)
		snprintf(out, n, "%s", _("Tab"));
	else if (k->ch < 32)
		snprintf(out, n, "^%c", (char)(k->ch + '@'));
	else
		snprintf(out, n, "%lc", (wint_t)k->ch);
}

/* --- reading events ---------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One key from curses within timeout_ms (0: only what is buffered);
 * 0 if none came. */
static int
read_key(struct tui_event *ev, int timeout_ms)
{
	wint_t c;
	int r;

	timeout(timeout_ms);
	r = get_wch(&c);
	if (r == ERR)
		return 0;
	memset(ev, 0, sizeof *ev);
	ev->type = TUI_EV_KEY;
	if (r == KEY_CODE_YES) {
		ev->key = (int)c;
		if (ev->key == KEY_ENTER) {
			ev->key = 0;
			ev->ch = TUI_KEY_ENTER;
		}
	} else {
		ev->ch = c == '\r' ? TUI_KEY_ENTER : c;
		if (c == 127 || c == 8) {	/* terminals differ */
			ev->ch = 0;
			ev->key = KEY_BACKSPACE;
		}
	}
	return 1;
}

static void
keyq_push(struct tui *t, const struct tui_event *ev)
{
	if (t->keyq_n < KEYQ_MAX)
		t->keyq[(t->keyq_head + t->keyq_n++) % KEYQ_MAX] = *ev;
}

static int
keyq_pop(struct tui *t, struct tui_event *ev)
{
	if (t->keyq_n == 0)
		return 0;
	*ev = t->keyq[t->keyq_head];
	t->keyq_head = (t->keyq_head + 1) % KEYQ_MAX;
	t->keyq_n--;
	return 1;
}

static int
is_digit_key(const struct tui_event *ev)
{
	return ev->key == 0 && ev->ch >= '0' && ev->ch <= '9';
}

/*
 * first is a digit: read on while keys keep coming within SCAN_GAP_MS. A
 * run of digits ending in Enter is a scan; anything else goes back to the
 * queue as the keys it was, in order.
 */
static void
read_burst(struct tui *t, const struct tui_event *first, struct tui_event *ev)
{
	struct tui_event keys[TUI_CODE_MAX], next;
	int n = 0, i;

	keys[n++] = *first;
	for (;;) {
		if (!read_key(&next, SCAN_GAP_MS))
			break;
		if (is_digit_key(&next) && n < TUI_CODE_MAX - 1) {
			keys[n++] = next;
			continue;
		}
		if (next.key == 0 && next.ch == TUI_KEY_ENTER &&
		    n >= SCAN_MIN_DIGITS) {
			memset(ev, 0, sizeof *ev);
			ev->type = TUI_EV_SCAN;
			for (i = 0; i < n; i++)
				ev->code[i] = (char)keys[i].ch;
			ev->code[n] = '\0';
			return;
		}
		keys[n++] = next;
		break;
	}
	for (i = 1; i < n; i++)
		keyq_push(t, &keys[i]);
	*ev = keys[0];
}

/*
 * The terminal changed size. ask is set when our SIGWINCH handler saw it
 * (curses does not know yet); a KEY_RESIZE from curses means curses knows.
 * resizeterm() itself queues a KEY_RESIZE: reading that back must not
 * resize again, or the loop would resize forever and never read a key.
 * Returns 1 if the screen must be drawn again, 0 if the size was known.
 */
static int
terminal_resize(struct tui *t, int ask)
{
	struct winsize ws;
	int rows, cols;

	if (ask && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, rows, cols);
	if (!ask && rows == t->rows && cols == t->cols)
		return 0;
	t->rows = rows;
	t->cols = cols;
	clear();
	return 1;
}

static void
resize_event(struct tui_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->type = TUI_EV_RESIZE;
}

/* Drain a non-blocking pipe; returns the last byte read, or 0. */
static char
pipe_drain(int fd)
{
	char buf[64], last = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof buf)) > 0)
		last = buf[r - 1];
	return last;
}

/*
 * The next event, waiting up to a second (then TUI_EV_TICK). Returns -1
 * when a signal asks the program to end.
 */
static int
next_event(struct tui *t, struct tui_event *ev)
{
	struct pollfd fds[3];
	struct tui_event key;
	char c;

	if (sig_ending)
		return -1;
	while (keyq_pop(t, ev)) {
		if (ev->key != KEY_RESIZE)
			return 0;
		if (terminal_resize(t, 0)) {
			resize_event(ev);
			return 0;
		}
	}
	for (;;) {
		if (read_key(&key, 0)) {
			if (key.key != KEY_RESIZE)
				break;
			if (terminal_resize(t, 0)) {
				resize_event(ev);
				return 0;
			}
			continue;
		}
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = sig_pipe[0];
		fds[1].events = POLLIN;
		fds[2].fd = t->wake_rd;
		fds[2].events = POLLIN;
		if (poll(fds, 3, 1000) < 0 && errno != EINTR)
			return -1;
		if (fds[1].revents & POLLIN) {
			c = pipe_drain(sig_pipe[0]);
			if (sig_ending)
				return -1;
			if (c == 'W') {
				terminal_resize(t, 1);
				resize_event(ev);
				return 0;
			}
		}
		if (fds[2].revents & POLLIN) {
			pipe_drain(t->wake_rd);
			memset(ev, 0, sizeof *ev);
			ev->type = TUI_EV_WAKE;
			return 0;
		}
		if (fds[0].revents & (POLLHUP | POLLERR)) {
			sig_ending = 1;	/* the terminal went away */
			return -1;
		}
		if (!(fds[0].revents & POLLIN)) {
			memset(ev, 0, sizeof *ev);
			ev->type = TUI_EV_TICK;
			return 0;
		}
	}
	if (is_digit_key(&key)) {
		read_burst(t, &key, ev);
		return 0;
	}
	*ev = key;
	return 0;
}

/* --- drawing ------------------------------------------------------------- */

static int
too_small(struct tui *t)
{
	return t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
}

static void
draw_too_small(struct tui *t)
{
	char need[96], have[96];
	const char *what = _("Make the window larger, or press F10 to close.");
	int y = t->rows / 2 > 1 ? t->rows / 2 - 1 : 0;

	erase();
	snprintf(need, sizeof need, _("The till needs at least %d×%d."),
	    TUI_MIN_COLS, TUI_MIN_ROWS);
	snprintf(have, sizeof have, _("This terminal is %d×%d."), t->cols,
	    t->rows);
	w_put(y, 0, t->cols, ROLE_NORMAL, need);
	if (y + 1 < t->rows)
		w_put(y + 1, 0, t->cols, ROLE_NORMAL, have);
	if (y + 2 < t->rows)
		w_put(y + 2, 0, t->cols, ROLE_NORMAL, what);
}

/* HH:MM in the shop's time zone (set at start by date_set_timezone). */
static void
clock_text(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL || strftime(out, n, "%H:%M",
	    &tm) == 0)
		snprintf(out, n, "--:--");
}

static void
draw_header(struct tui *t)
{
	const struct settings *cfg = t->ctx.cfg;
	char left[256], right[320], sync[96], clock[16];
	const char *title = _(screens[t->cur]->title);
	int used;

	snprintf(left, sizeof left, " duka · %s · %s",
	    cfg->shop_name[0] ? cfg->shop_name : _("my shop"), title);
	tui_sync_label(t, sync, sizeof sync);
	clock_text(clock, sizeof clock);
	snprintf(right, sizeof right, "%s  %s %s  %s  %s ", sync, _("till"),
	    t->ctx.till_id, t->ctx.user, clock);
	w_fill(0, 0, 1, t->cols, ROLE_HEADER);
	used = w_text_cols(right);
	w_put(0, 0, t->cols - used, ROLE_HEADER, left);
	w_put(0, t->cols - used, used, ROLE_HEADER, right);
}

static void
draw_keybar(struct tui *t)
{
	const struct tui_key *k = screens[t->cur]->keys;
	int x = 0, y = t->rows - 1;
	char name[32], label[96];

	w_fill(y, 0, 1, t->cols, ROLE_KEYBAR);
	for (; k != NULL && (k->key != 0 || k->ch != 0); k++) {
		int need;

		if (k->label == NULL)
			continue;
		tui_key_name(k, name, sizeof name);
		snprintf(label, sizeof label, " %s ", _(k->label));
		need = w_text_cols(name) + w_text_cols(label);
		if (x + need > t->cols)
			break;
		x += w_put(y, x, w_text_cols(name), ROLE_KEYBAR_KEY, name);
		x += w_put(y, x, w_text_cols(label), ROLE_KEYBAR, label);
	}
}

void
tui_draw_all(struct tui *t)
{
	const struct tui_screen *s = screens[t->cur];

	w_cursor_want(-1, -1);
	if (too_small(t)) {
		draw_too_small(t);
		return;
	}
	erase();
	draw_header(t);
	s->draw(t, t->state[t->cur]);
	w_put(t->rows - 2, 0, t->cols, t->status[0] ? t->status_role :
	    ROLE_NORMAL, t->status);
	draw_keybar(t);
}

/* --- screens ------------------------------------------------------------- */

const struct tui_screen *
tui_screen_find(const char *id)
{
	int i;

	for (i = 0; i < NSCREENS; i++)
		if (strcmp(screens[i]->id, id) == 0)
			return screens[i];
	return NULL;
}

static int
screen_index(const char *id)
{
	int i;

	for (i = 0; i < NSCREENS; i++)
		if (strcmp(screens[i]->id, id) == 0)
			return i;
	return -1;
}

static void
switch_pending(struct tui *t)
{
	int to;

	if (!t->goto_pending)
		return;
	t->goto_pending = 0;
	to = strcmp(t->goto_id, "back") == 0 ? t->prev :
	    screen_index(t->goto_id);
	if (to < 0)
		return;
	if (to != t->cur)
		t->prev = t->cur;
	t->cur = to;
	if (screens[to]->enter != NULL)
		screens[to]->enter(t, t->state[to],
		    t->goto_arg[0] ? t->goto_arg : NULL);
}

/*
 * No dialog fits a terminal below the minimum: say so and wait until it
 * grows (scans are kept; F10 closes the till, as on a screen), then hand
 * the dialog a resize so that it draws itself again.
 */
static int
dialog_wait_size(struct tui *t, struct tui_event *ev)
{
	while (too_small(t)) {
		draw_too_small(t);
		refresh();
		if (next_event(t, ev) != 0)
			return -1;
		if (ev->type == TUI_EV_SCAN) {
			tui_scan_keep(t, ev->code);
		} else if (ev->type == TUI_EV_KEY && ev->key == KEY_F(10)) {
			tui_quit(t);
			return -1;
		}
	}
	tui_draw_all(t);
	resize_event(ev);
	return 0;
}

/* Log out and ask who is next (F12, the idle lock). Giving up closes
 * the till; -1 then. A login form already up is not asked for again. */
static int
relogin(struct tui *t, const char *why)
{
	int rc;

	if (t->relogging)
		return 0;
	t->relogging = 1;
	rc = login_again(t, &t->actor, why);
	t->relogging = 0;
	t->last_key_ms = now_ms();
	if (rc != 0) {
		tui_quit(t);
		return -1;
	}
	return 0;
}

/* After [ui] idle_timeout seconds without a key, lock the till until
 * someone logs in (the cart, and a dialog left open, stay as they were).
 * -1 when nobody did and the till closes. */
static int
idle_check(struct tui *t)
{
	int64_t limit = t->ctx.cfg->idle_timeout_s;

	if (limit <= 0 || t->actor.user_id == 0 ||
	    now_ms() - t->last_key_ms < limit * 1000)
		return 0;
	return relogin(t, _("Locked after a pause: log in"));
}

int
tui_dialog_event(struct tui *t, struct tui_event *ev)
{
	if (t->quit)
		return -1;	/* F10 in a dialog under this one */
	for (;;) {
		if (too_small(t))
			return dialog_wait_size(t, ev);
		if (next_event(t, ev) != 0)
			return -1;
		if (ev->type == TUI_EV_KEY || ev->type == TUI_EV_SCAN)
			t->last_key_ms = now_ms();	/* typing is not idle */
		if (ev->type == TUI_EV_RESIZE) {
			tui_draw_all(t);
			if (too_small(t))
				continue;
			return 0;
		}
		if (ev->type == TUI_EV_TICK || ev->type == TUI_EV_WAKE) {
			/* A dialog left open locks the till too; the dialog
			 * goes on under whoever logs in, or cancels. */
			if (idle_check(t) != 0)
				return -1;
			tui_tick_screens(t);
			return 0;
		}
		return 0;
	}
}

/* A key the screen did not take: the ones every screen has. */
static void
global_key(struct tui *t, const struct tui_event *ev)
{
	if (ev->type != TUI_EV_KEY)
		return;
	if (ev->key == KEY_F(1)) {
		tui_goto(t, "help", screens[t->cur]->id);
	} else if (ev->key == 0 && ev->ch == TUI_KEY_ESC) {
		if (strcmp(screens[t->cur]->id, "dashboard") != 0)
			tui_goto(t, strcmp(screens[t->cur]->id, "help") == 0 ?
			    "back" : "dashboard", NULL);
	} else if (ev->key == KEY_F(10)) {
		if (w_confirm(t, _("Close the till?"), 0))
			tui_quit(t);
	} else if (ev->key == 0 && ev->ch == TUI_CTRL('l')) {
		clear();
	} else if (ev->key == KEY_F(12)) {
		relogin(t, _("Switch user: log in"));
	}
}

static int
screen_cmd(const struct tui_screen *s, const struct tui_event *ev)
{
	const struct tui_key *k;

	for (k = s->keys; k != NULL && (k->key != 0 || k->ch != 0); k++)
		if (tui_key_matches(k, ev))
			return k->cmd;
	return -1;
}

static void
dispatch(struct tui *t, const struct tui_event *ev)
{
	const struct tui_screen *s = screens[t->cur];
	void *st = t->state[t->cur];

	if (ev->type == TUI_EV_KEY || ev->type == TUI_EV_SCAN)
		t->last_key_ms = now_ms();
	switch (ev->type) {
	case TUI_EV_KEY:
		t->status[0] = '\0';
		if (too_small(t)) {
			if (ev->key == KEY_F(10))
				tui_quit(t);
			return;
		}
		if (s->key(t, st, ev, screen_cmd(s, ev)) == TUI_IGNORED)
			global_key(t, ev);
		break;
	case TUI_EV_SCAN:
		t->status[0] = '\0';
		/* Too small to show what a scan does: keep it for later. */
		if (too_small(t) || s->scan == NULL ||
		    s->scan(t, st, ev->code) == TUI_IGNORED)
			tui_scan_keep(t, ev->code);
		break;
	case TUI_EV_WAKE:
	case TUI_EV_TICK:
		if (idle_check(t) == 0)
			tui_tick_screens(t);
		break;
	case TUI_EV_RESIZE:
		break;
	}
}

void
tui_tick_screens(struct tui *t)
{
	const struct tui_screen *s = screens[t->cur];

	if (s->tick != NULL)
		s->tick(t, t->state[t->cur]);
}

/* Give kept scans to the sale screen once it is on top again. */
static void
scans_deliver(struct tui *t)
{
	char code[TUI_CODE_MAX];
	const struct tui_screen *s = screens[t->cur];

	if (strcmp(s->id, "sale") != 0 || s->scan == NULL || too_small(t))
		return;
	while (!t->goto_pending && tui_scan_take(t, code))
		s->scan(t, t->state[t->cur], code);
}

/* --- the sync worker ---------------------------------------------------- */

/*
 * The worker starts only when a hub or M-PESA is configured; it never
 * stops the till from opening: a failure to start is shown, and the till
 * sells on without it.
 */
static int
tui_sync_start(struct tui *t, int wake_fd, struct duka_err *err)
{
	const struct settings *cfg = t->ctx.cfg;
	struct duka_err why = { 0, "" };

	(void)err;
	if (cfg->hub_url[0] == '\0' && cfg->mpesa_consumer_key[0] == '\0')
		return DUKA_OK;
	if (sync_worker_start(t->ctx.db_path, cfg, wake_fd, &t->ctx.sync,
	    &why) != DUKA_OK) {
		t->ctx.sync = NULL;
		tui_error(t, _("Sync is not running: %s"), why.msg);
	}
	return DUKA_OK;
}

static void
tui_sync_stop(struct tui *t)
{
	if (t->ctx.sync != NULL)
		sync_worker_stop(t->ctx.sync);
	t->ctx.sync = NULL;
}

int
tui_sync_status(struct tui *t, struct sync_status *st)
{
	memset(st, 0, sizeof *st);
	if (t->ctx.sync == NULL)
		return 0;
	sync_worker_status(t->ctx.sync, st);
	return 1;
}

void
tui_sync_kick(struct tui *t)
{
	if (t->ctx.sync != NULL)
		sync_worker_kick(t->ctx.sync);
}

/* Age in words short enough for the header: 45 s, 12 min, 3 h, 2 d. */
static void
age_text(int64_t s, char *out, size_t n)
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

void
tui_sync_label(struct tui *t, char *out, size_t n)
{
	struct sync_status st;
	char age[32];

	if (!tui_sync_status(t, &st) || !st.configured || st.demo) {
		snprintf(out, n, "%s", "");
		return;
	}
	if (st.auth_failed) {
		snprintf(out, n, "%s", _("hub refused the token"));
		return;
	}
	if (st.unsent == 0)
		snprintf(out, n, "%s", st.online ? _("online") :
		    _("offline"));
	else {
		age_text(st.oldest_age_s, age, sizeof age);
		snprintf(out, n, _("%s · %lld unsent (%s)"), st.online ?
		    _("online") : _("offline"), (long long)st.unsent, age);
	}
	if (st.rejected > 0) {
		size_t used = strlen(out);

		snprintf(out + used, n - used, _(" · %lld refused by the hub"),
		    (long long)st.rejected);
	}
}

/* --- start and end -------------------------------------------------------- */

static int
screens_open(struct tui *t, struct duka_err *err)
{
	int i;

	for (i = 0; i < NSCREENS; i++) {
		if (screens[i]->open == NULL)
			continue;
		if ((t->state[i] = screens[i]->open(t)) == NULL)
			return duka_fail(err, DUKA_EFAIL, _("the %s screen "
			    "could not start (out of memory?)"),
			    screens[i]->id);
	}
	return DUKA_OK;
}

static void
screens_close(struct tui *t)
{
	int i;

	for (i = 0; i < NSCREENS; i++) {
		if (screens[i]->leaving != NULL && t->state[i] != NULL)
			screens[i]->leaving(t, t->state[i]);
	}
	for (i = 0; i < NSCREENS; i++) {
		if (screens[i]->close != NULL && t->state[i] != NULL)
			screens[i]->close(t->state[i]);
		t->state[i] = NULL;
	}
}

static int
terminal_start(struct tui *t, struct duka_err *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return duka_fail(err, DUKA_EUSAGE, _("the till screen needs a "
		    "terminal; use the commands (duka --help) from scripts"));
	if (initscr() == NULL)
		return duka_fail(err, DUKA_EFAIL, _("the terminal could not "
		    "be set up (is TERM right?)"));
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	theme_init(t->ctx.cfg->theme);
	getmaxyx(stdscr, t->rows, t->cols);
	return DUKA_OK;
}

static void
loop(struct tui *t)
{
	struct tui_event ev;

	tui_goto(t, "dashboard", NULL);
	switch_pending(t);
	if (login_start(t, &t->actor) != DUKA_OK)
		return;
	if (start_screen != NULL)
		tui_goto(t, start_screen, NULL);
	t->last_key_ms = now_ms();
	while (!t->quit) {
		scans_deliver(t);
		switch_pending(t);
		tui_draw_all(t);
		w_cursor_place();
		refresh();
		if (next_event(t, &ev) != 0)
			break;
		dispatch(t, &ev);
		switch_pending(t);
	}
}

int
tui_run(struct app *app, struct duka_err *err)
{
	static struct tui tui;
	struct tui *t = &tui;
	int wake[2], rc;

	memset(t, 0, sizeof *t);
	t->ctx.db = app->db;
	t->ctx.cfg = &app->cfg;
	t->ctx.db_path = app->db_path;
	t->ctx.till_id = app->cfg.till_id;
	snprintf(t->ctx.user, sizeof t->ctx.user, "%s", cli_user());
	if (pipe_nonblocking(sig_pipe) != 0 || pipe_nonblocking(wake) != 0)
		return duka_fail(err, DUKA_EFAIL, _("could not make a pipe: "
		    "%s"), strerror(errno));
	t->wake_rd = wake[0];
	t->wake_wr = wake[1];
	if ((rc = terminal_start(t, err)) != DUKA_OK)
		goto out;
	signals_install();
	if ((rc = tui_sync_start(t, wake[1], err)) == DUKA_OK &&
	    (rc = screens_open(t, err)) == DUKA_OK)
		loop(t);
	screens_close(t);
	tui_sync_stop(t);
	db_set_actor(t->ctx.db, NULL);
	endwin();
	signals_restore();
out:
	close(wake[0]);
	close(wake[1]);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return rc;
}

/* Key names need curses' keyname(); a terminal is not needed. */
static void
keys_print(FILE *fp, const char *title, const struct tui_key *k)
{
	char name[32];

	fprintf(fp, "%s\n", title);
	for (; k != NULL && (k->key != 0 || k->ch != 0); k++) {
		tui_key_name(k, name, sizeof name);
		fprintf(fp, "  %-8s %s\n", name, _(k->help));
	}
}

/* duka till --keys: every screen's keys, from the tables the screens use,
 * so that the manual and the help screen cannot disagree. */
static void
keys_print_all(FILE *fp)
{
	int i;

	keys_print(fp, _("Every screen"), tui_global_keys);
	for (i = 0; i < NSCREENS; i++) {
		fputc('\n', fp);
		keys_print(fp, _(screens[i]->title), screens[i]->keys);
	}
}

int
cmd_till(struct app *app, int argc, char **argv, struct duka_err *err)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		cli_usage(stdout, "till", _("[SCREEN]"), _("Opens the till "
		    "screen: sell, take stock, see the shop at a glance. F1 "
		    "shows the keys of each screen. SCREEN opens that screen "
		    "first: sale, products, stock, inventory, shift or "
		    "reports.\n"
		    "  --keys   print the keys of every screen and exit\n"));
		return DUKA_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--keys") == 0) {
		keys_print_all(stdout);
		return DUKA_OK;
	}
	if (argc > 2)
		return duka_fail(err, DUKA_EUSAGE, _("duka till takes at most "
		    "one argument (see duka till --help)"));
	if (argc == 2 && (tui_screen_find(argv[1]) == NULL ||
	    strcmp(argv[1], "help") == 0))
		return duka_fail(err, DUKA_EUSAGE, _("there is no screen "
		    "\"%s\" (see duka till --help)"), argv[1]);
	start_screen = argc == 2 ? argv[1] : NULL;
	return tui_run(app, err);
}
