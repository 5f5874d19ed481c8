#!/bin/sh
# loop_screen.sh - the till screen's loop: the home screen at 80×24, resizes
# redraw at the new size, a terminal below 80×24 gets a message and the
# screen comes back when it grows (dialogs and forms too; scans wait),
# F1 shows the help of the screen on top and Esc returns, F10 asks and
# quits with status 0 and the terminal as it was.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

# header_spans NAME COLS: the header is one line as wide as the terminal
# (its right end, the clock, sits one column from the edge) and the shop's
# name starts it.
header_spans() {
	_tui_poll "$TUI_TIMEOUT" header_is "$2"
	case "$h" in
	" duka · "*[0-9][0-9]:[0-9][0-9]) ;;
	*)
		fail "$1" "header is not \" duka · ... HH:MM\": \"$h\""
		return
		;;
	esac
	if [ "$w" -eq $(($2 - 1)) ]; then
		ok "$1"
	else
		fail "$1" "header is $w columns wide, wanted $(($2 - 1)): \"$h\""
	fi
}

header_is() {
	h=$(tui_row 0)
	w=$(printf '%s' "$h" | wc -m)
	case "$h" in
	" duka · "*[0-9][0-9]:[0-9][0-9]) [ "$w" -eq $(($1 - 1)) ] ;;
	*) return 1 ;;
	esac
}

# last_row_is NAME ROWS TEXT: row ROWS-1 (the key bar) holds TEXT.
last_row_is() {
	if _tui_poll "$TUI_TIMEOUT" row_has $(($2 - 1)) "$3"; then
		ok "$1"
	else
		fail "$1" "row $(($2 - 1)) is \"$(tui_row $(($2 - 1)))\", wanted \"$3\" in it$(_tui_show)"
	fi
}

row_has() {
	case "$(tui_row "$1")" in
	*"$2"*) return 0 ;;
	*) return 1 ;;
	esac
}

tui_start || { finish; exit 1; }
tui_expect "home screen at 80×24" "Home"
[ "$(tui_size)" = 80x24 ] && ok "the pane is 80×24" ||
    fail "the pane is 80×24" "it is $(tui_size)"
header_spans "header spans 80 columns" 80

tui_resize 100 30
header_spans "header spans 100 columns after a resize" 100
tui_keys F1
tui_wait "Keys of the Home screen"
last_row_is "key bar on the last of 30 rows" 30 "Esc Back"
tui_keys Escape
tui_wait_gone "Keys of the Home screen"

tui_resize 80 24
header_spans "header spans 80 columns again" 80
tui_keys F1
tui_wait "Keys of the Home screen"
last_row_is "key bar on the last of 24 rows" 24 "Esc Back"
tui_keys Escape
tui_wait_gone "Keys of the Home screen"

# Too small: say how large it must be, and come back when it is.
tui_resize 70 20
tui_expect "too narrow and short: needs 80×24" "needs at least 80×24"
tui_expect "too small: says its own size" "This terminal is 70×20"
tui_refute "too small: no header" " duka · "
tui_resize 80 23
tui_expect "one row short: says its size" "This terminal is 80×23"
tui_keys a F1 Escape
tui_resize 80 24
tui_wait_gone "needs at least"
tui_expect "enlarged: the home screen is back" "Home"
header_spans "enlarged: header spans 80 columns" 80
tui_alive && ok "keys while too small did no harm" ||
    fail "keys while too small did no harm" "duka ended$(_tui_show)"

# F1 on another screen: the help of that screen.
tui_keys F1
tui_expect "F1: the help of the home screen" "Keys of the Home screen"
tui_expect "F1: the keys of every screen" "Keys of every screen"
tui_expect "F1: F10's help" "close the till (asks first)"
tui_keys Escape
tui_wait_gone "Keys of the Home screen"
tui_expect "Esc: back to the home screen" "· Home"

# F10 asks; No keeps the till open; Yes closes it with status 0.
tui_keys F10
tui_expect "F10 asks" "Close the till?"
tui_keys n
tui_wait_gone "Close the till?"
tui_alive && ok "F10, n: still open" || fail "F10, n: still open" "it ended"
tui_keys F10
tui_wait "Close the till?"
tui_keys Escape
tui_wait_gone "Close the till?"
tui_alive && ok "F10, Esc: still open" ||
    fail "F10, Esc: still open" "it ended"
tui_keys F10
tui_wait "Close the till?"
tui_keys Enter
tui_wait_gone "Close the till?"
tui_alive && ok "F10, Enter (No is the default): still open" ||
    fail "F10, Enter (No is the default): still open" "it ended"
tui_keys F10
tui_wait "Close the till?"
tui_keys y
if tui_wait_exit; then
	[ "$tui_status" = 0 ] && ok "F10, y: exit status 0" ||
	    fail "F10, y: exit status 0" "status $tui_status$(_tui_show)"
else
	fail "F10, y: duka ends" "still running$(_tui_show)"
fi
tui_term_restored "F10: the terminal is restored"
[ ! -s "$T/tui.stderr" ] && ok "nothing on stderr" ||
    fail "nothing on stderr" "$(head -c 1000 "$T/tui.stderr")"

# A dialog in a terminal that shrinks below 80×24: the size message
# instead (even at 1×1), the dialog again when it grows.
tui_start || { finish; exit 1; }
tui_keys F10
tui_wait "Close the till?"
tui_resize 40 10
tui_expect "dialog, too small: the size message" "needs at least"
tui_refute "dialog, too small: no dialog drawn" "Please confirm"
tui_resize 1 1
tui_settle 200
tui_resize 10 3
tui_settle 200
tui_keys n Enter Escape
tui_resize 80 24
tui_expect "dialog, enlarged: the dialog is back" "Close the till?"
tui_alive && ok "dialog, keys while too small: not answers" ||
    fail "dialog, keys while too small: not answers" "it ended"
tui_keys n
tui_wait_gone "Close the till?"
tui_alive && ok "dialog, enlarged: still answers" ||
    fail "dialog, enlarged: still answers" "it ended"

# A form (the refund's receipt number) the same; a scan while too small is
# kept and reaches the sale when the screen is back.
code=$(db_val "SELECT min(b.code) FROM products p
	JOIN barcodes b ON b.product_id = p.id
	WHERE p.active = 1 AND p.unit = 'piece' AND p.stock_qty >= 10000")
tui_start 80 24 till sale || { finish; exit 1; }
tui_wait "Lines 0 "
tui_keys F7
tui_wait "Receipt number"
tui_resize 50 12
tui_expect "form, too small: the size message" "needs at least"
tui_scan "$code"
tui_settle 200
tui_resize 80 24
tui_expect "form, enlarged: the form is back" "Receipt number"
tui_keys Escape
tui_wait_gone "Receipt number"
tui_expect "a scan while too small reaches the sale" "Lines 1 "
tui_resize 60 20
tui_wait "needs at least"
tui_scan "$code"
tui_settle 200
tui_refute "too small: no sale line drawn" "Lines"
tui_resize 80 24
tui_expect "the second scan too, once the screen is back" "Lines 1 "
tui_settle 200
if tui_screen | grep -qE '^ +1 .* 2 +[0-9,]+\.[0-9][0-9] +[0-9,]+\.[0-9][0-9]$'; then
	ok "both scans counted"
else
	fail "both scans counted" "$(_tui_show)"
fi

# F10 in a dialog while too small closes the till, as on a screen.
tui_keys F7
tui_wait "Receipt number"
tui_resize 50 12
tui_wait "needs at least"
tui_keys F10
if tui_wait_exit; then
	[ "$tui_status" = 0 ] && ok "F10 in a dialog while too small: exit status 0" ||
	    fail "F10 in a dialog while too small: exit status 0" "status $tui_status"
else
	fail "F10 in a dialog while too small: duka ends" "still running$(_tui_show)"
fi
tui_term_restored "F10 in a dialog while too small: the terminal is restored"
[ ! -s "$T/tui.stderr" ] && ok "nothing on stderr" ||
    fail "nothing on stderr" "$(head -c 1000 "$T/tui.stderr")"

# F10 in a terminal too small: closes at once (there is no room to ask).
tui_start 60 20 || { finish; exit 1; }
tui_wait "needs at least 80×24"
tui_keys F10
if tui_wait_exit; then
	[ "$tui_status" = 0 ] && ok "F10 while too small: exit status 0" ||
	    fail "F10 while too small: exit status 0" "status $tui_status"
else
	fail "F10 while too small: duka ends" "still running$(_tui_show)"
fi
tui_term_restored "too small, F10: the terminal is restored"
db_check "the database passes duka check"

finish
