#!/bin/sh
# loop_signals.sh - SIGTERM, SIGHUP and SIGINT end the till cleanly: the
# process exits by itself (not killed by the signal), the terminal is
# restored, the unfinished sale is parked and the database passes duka
# check. Also while a dialog is open, and while the terminal is too small.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

code=$(db_val "SELECT min(b.code) FROM products p
	JOIN barcodes b ON b.product_id = p.id
	WHERE p.active = 1 AND p.unit = 'piece' AND p.stock_qty >= 10000")

# ends_cleanly NAME: duka ended by itself after a signal.
ends_cleanly() {
	if ! tui_wait_exit; then
		fail "$1: ends" "still running$(_tui_show)"
		tui_tmux kill-session -t "$TUI_SESSION" >/dev/null 2>&1
		return 1
	fi
	if [ "$tui_status" -ge 128 ]; then
		fail "$1: exits by itself" "status $tui_status (killed by the signal?)$(_tui_show)"
	else
		ok "$1: exits by itself (status $tui_status)"
	fi
	tui_term_restored "$1: the terminal is restored"
	db_check "$1: the database passes duka check"
}

parked=$(db_val "SELECT count(*) FROM parked_carts")
for sig in TERM HUP INT; do
	tui_start 80 24 till sale || { finish; exit 1; }
	tui_wait "Lines 0"
	tui_scan "$code" "$code"
	tui_wait "Lines 1 ·"
	tui_signal "$sig"
	ends_cleanly "SIG$sig on the sale screen"
	now=$(db_val "SELECT count(*) FROM parked_carts")
	[ "$now" -eq $((parked + 1)) ] && ok "SIG$sig: the cart is parked" ||
	    fail "SIG$sig: the cart is parked" "parked carts: $parked before, $now after"
	parked=$now
done

# A signal while a dialog waits for an answer.
tui_start || { finish; exit 1; }
tui_keys F10
tui_wait "Close the till?"
tui_signal TERM
ends_cleanly "SIGTERM at F10's question"

# A signal while the terminal is too small for the screen.
tui_start 60 20 || { finish; exit 1; }
tui_wait "needs at least 80×24"
tui_signal HUP
ends_cleanly "SIGHUP while too small"

# The terminal closing under it (tmux kills the pane: the hang-up goes to
# the whole process group, the wrapper too, so only the end is checked).
tui_start 80 24 till sale || { finish; exit 1; }
tui_wait "Lines 0"
tui_scan "$code"
tui_wait "Lines 1 ·"
pid=$tui_pid
tui_tmux kill-session -t "$TUI_SESSION"
if _tui_poll "$TUI_TIMEOUT" sh -c "! kill -0 $pid 2>/dev/null"; then
	ok "terminal closed: duka ends"
else
	fail "terminal closed: duka ends" "pid $pid still runs"
	kill -KILL "$pid" 2>/dev/null
fi
now=$(db_val "SELECT count(*) FROM parked_carts")
[ "$now" -eq $((parked + 1)) ] && ok "terminal closed: the cart is parked" ||
    fail "terminal closed: the cart is parked" "parked carts: $parked before, $now after"
db_check "terminal closed: the database passes duka check"
finish
