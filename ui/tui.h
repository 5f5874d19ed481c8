/*
 * tui.h - the till screen: the loop, the screens, the events they get.
 *
 * Owns the terminal. One loop (tui_run) polls the keyboard, a self-pipe for
 * signals (SIGWINCH, SIGINT, SIGTERM, SIGHUP) and the wake-up pipe of the
 * sync worker; it turns what it reads into events and hands them to the
 * screen on top. Only this thread calls curses.
 *
 * A screen is a table of callbacks plus its private state (one file per
 * screen, ui/screen_*.c). Screens never call each other: a handler asks the
 * loop to switch with tui_goto() and returns. Keys are data: each screen has
 * a table of its keys, which the bottom bar and the help screen read.
 *
 * A barcode scanner is a keyboard that types digits and Enter very fast. The
 * event reader recognises such a burst (six or more digits, then Enter, each
 * key within a few milliseconds of the one before) and delivers it whole as
 * one TUI_EV_SCAN event, so that no character is lost or reordered. A scan
 * that arrives while a dialog is open is kept (tui_scan_keep) and given to
 * the sale screen when the dialog closes; the status line says so.
 */
#ifndef DUKA_TUI_H
#define DUKA_TUI_H

#include <stdint.h>
#include <wchar.h>

#include "cli.h"
#include "db.h"
#include "settings.h"
#include "status.h"

/* The screen needs at least this much; below it says so and waits. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

#define TUI_CODE_MAX 64		/* longest scanned code kept */
#define TUI_SCAN_QUEUE 64	/* scans kept while a dialog is open */
#define TUI_STATUS_MAX 256

enum tui_event_type {
	TUI_EV_KEY,		/* a key: ch (a character) or key (KEY_*) */
	TUI_EV_SCAN,		/* a scanner burst: code */
	TUI_EV_RESIZE,		/* the terminal changed size (already redrawn) */
	TUI_EV_WAKE,		/* the sync worker said something changed */
	TUI_EV_TICK,		/* a second went by with nothing typed */
};

struct tui_event {
	enum tui_event_type type;
	wint_t ch;		/* TUI_EV_KEY: the character, or 0 */
	int key;		/* TUI_EV_KEY: KEY_F(1), KEY_UP, ...; or 0 */
	char code[TUI_CODE_MAX];	/* TUI_EV_SCAN */
};

/* Keys by name, for the screens' key tables. Esc and Enter are plain
 * characters in curses; these make the tables readable. */
#define TUI_KEY_ESC 27
#define TUI_KEY_ENTER '\n'
#define TUI_KEY_TAB '\t'
#define TUI_CTRL(c) ((c) & 0x1f)

/*
 * One key of a screen: what is pressed (key, a KEY_* code, or ch, a
 * character), the short label for the bottom bar (N_() marked, NULL to
 * leave it off the bar) and the help text (N_() marked). cmd is the screen's
 * own number for the action, handed to its key callback.
 */
struct tui_key {
	int key;
	wint_t ch;
	const char *label;
	const char *help;
	int cmd;
};

/* What a key callback did. */
enum tui_handled {
	TUI_IGNORED = 0,	/* not mine: the loop may use it (Esc: back) */
	TUI_DONE = 1,		/* handled; the loop redraws */
};

struct tui;

struct tui_screen {
	const char *id;			/* "sale", "inventory", ... */
	const char *title;		/* N_() marked; header line */
	const struct tui_key *keys;	/* ends with a zeroed row */
	/* Make the screen's state (called once, at start); NULL on failure. */
	void *(*open)(struct tui *t);
	void (*close)(void *st);
	/* The screen comes on top; arg is what tui_goto passed (may be NULL):
	 * reload data here. */
	void (*enter)(struct tui *t, void *st, const char *arg);
	/* Draw the body (tui_body_rows() rows from row 1). */
	void (*draw)(struct tui *t, void *st);
	/* A key; cmd is the matching tui_key's cmd, or -1 if the key is not
	 * in the table (characters typed into fields arrive so). */
	enum tui_handled (*key)(struct tui *t, void *st,
	    const struct tui_event *ev, int cmd);
	/* A scanned code; NULL: the screen does not take scans (the loop
	 * keeps the scan for the sale screen and says so). */
	enum tui_handled (*scan)(struct tui *t, void *st, const char *code);
	/* The sync worker's status changed, or a second went by; NULL: none. */
	void (*tick)(struct tui *t, void *st);
	/* The program is ending (quit, SIGTERM, SIGHUP): save what must not
	 * be lost (the sale screen parks an unfinished cart). */
	void (*leaving)(struct tui *t, void *st);
};

/* The screens, each defined in its own ui/screen_*.c. */
extern const struct tui_screen screen_dashboard;
extern const struct tui_screen screen_sale;
extern const struct tui_screen screen_products;
extern const struct tui_screen screen_stock;
extern const struct tui_screen screen_inventory;
extern const struct tui_screen screen_shift;
extern const struct tui_screen screen_reports;
extern const struct tui_screen screen_help;

struct sync_worker;

/* What the screens share: the database, the settings, who is at the till. */
struct tui_ctx {
	struct db *db;
	const struct settings *cfg;
	const char *db_path;
	const char *till_id;
	char user[80];			/* logged in (or $USER in setup mode) */
	struct sync_worker *sync;	/* NULL when no hub is configured */
};

/* The context the screens work with. */
struct tui_ctx *tui_ctx(struct tui *t);

/* Switch to the screen with id (its enter() gets arg) once the current
 * handler returns. "back" returns to the screen before. */
void tui_goto(struct tui *t, const char *id, const char *arg);
/* Ask the loop to end (the caller has confirmed if it had to). */
void tui_quit(struct tui *t);

/* The status line: a message for the user (printf-like, translated by the
 * caller), shown until the next key. Errors beep and show in the error
 * colour. */
void tui_info(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Show err's message as an error. */
void tui_error_err(struct tui *t, const struct duka_err *err);

/* Rows and columns of the body (between the header and the status line). */
int tui_body_rows(struct tui *t);
int tui_cols(struct tui *t);
/* First row of the body. */
#define TUI_BODY_TOP 1

/*
 * Read the next event for a modal dialog (widgets use it): the same reader
 * as the loop, so resizes redraw the screen under the dialog (after which
 * the dialog redraws itself on TUI_EV_RESIZE) and scans are kept.
 * Returns 0, or -1 when the program must end (signal): the dialog cancels.
 */
int tui_dialog_event(struct tui *t, struct tui_event *ev);
/* Draw the screen on top (and header, status and key bars) without
 * refreshing: a dialog calls it before drawing itself. */
void tui_draw_all(struct tui *t);

/* Keep a scan for the sale screen (a dialog was open). */
void tui_scan_keep(struct tui *t, const char *code);
/* Take the oldest kept scan into code; 0 if there was none. */
int tui_scan_take(struct tui *t, char code[TUI_CODE_MAX]);

/* For the ui/ files: the keys every screen has (the help screen lists
 * them), matching and naming keys, the screen with an id (NULL if none). */
extern const struct tui_key tui_global_keys[];
int tui_key_matches(const struct tui_key *k, const struct tui_event *ev);
void tui_key_name(const struct tui_key *k, char *out, size_t n);
const struct tui_screen *tui_screen_find(const char *id);
/* Let the screen on top see a tick (dialogs that wait call it too). */
void tui_tick_screens(struct tui *t);
/* The sync state for the header ("online", "offline · 12 unsent"). */
void tui_sync_label(struct tui *t, char *out, size_t n);
/* The sync worker's status; 0 (and st zeroed) when no worker runs. */
struct sync_status;
int tui_sync_status(struct tui *t, struct sync_status *st);
/* Something was committed: let the worker send it now. */
void tui_sync_kick(struct tui *t);

/*
 * A src/ function answered DUKA_EPERM for perms (bits of enum perm,
 * user.h): ask for a manager's name and PIN without logging the attendant
 * out. DUKA_OK: the approval waits for the next action, which the caller
 * now retries; -1: cancelled (nothing approved, nothing changed), and
 * at once, without asking, when perms hold something only the owner may
 * do (users, settings, exports): the caller shows its refusal.
 */
int tui_approve(struct tui *t, unsigned perms);

/* Run the till screen until the user quits or a signal ends it. */
int tui_run(struct app *app, struct duka_err *err);

#endif
