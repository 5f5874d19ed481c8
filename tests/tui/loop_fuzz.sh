#!/bin/sh
# loop_fuzz.sh - 2,000 random keys (letters, digits, F-keys, arrows, Esc,
# Enter, Tab, ...) spread over every screen do not crash the till: it stays
# alive, answers F1 at the end, ends cleanly on SIGTERM (also sent in the
# middle of whatever the keys left open) and the database passes duka
# check. TUI_FUZZ_SEED repeats a run; TUI_FUZZ_KEYS changes the count.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

seed=${TUI_FUZZ_SEED:-$(date +%s)}
count=${TUI_FUZZ_KEYS:-2000}
screens="dashboard sale products stock inventory shift reports"
nscreens=7
chunk=20
echo "# seed $seed, $count keys (TUI_FUZZ_SEED=$seed repeats this run)"

# The keys, one per line, as tmux names. F10 asks to close the till, so it
# always comes with its "n"; a few are scans of the shop's barcodes and
# F2 Enter Enter (pay cash, exact) so that carts fill and sales happen;
# everything else is drawn at random, digits and letters more often (they
# fill fields). Now and then the terminal changes size, also below 80×24.
# A shift is open, as selling needs.
"$DUKA" --db "$DB" shift open --float 5000 >/dev/null ||
    { fail "open a shift" "duka shift open failed"; finish; exit 1; }
codes=$(db_val "SELECT code FROM barcodes ORDER BY code LIMIT 40" | tr '\n' ' ')
first_code=${codes%% *}
awk -v seed="$seed" -v n="$count" -v codes="$codes" 'BEGIN {
	nc = split(codes, code, " ")
	srand(seed)
	split("Up Down Left Right Escape Enter Tab BSpace DC Home End " \
	    "PPage NPage Space F1 F2 F3 F4 F5 F6 F7 F8 F9 F11 F12 " \
	    "Enter Tab Down", special, " ")
	ns = 0; for (k in special) ns++
	letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*.-,"
	for (i = 0; i < n; i++) {
		r = rand()
		if (r < 0.30)
			print int(rand() * 10)
		else if (r < 0.60)
			print substr(letters, int(rand() * length(letters)) + 1, 1)
		else if (r < 0.95)
			print special[int(rand() * ns) + 1]
		else if (r < 0.955)
			print "PAY"
		else if (r < 0.96)
			printf "%s:%dx%d\n", rand() < 0.5 ? "SMALL" : "SIZE",
			    rand() < 0.5 ? 20 + int(rand() * 60) : 80 + int(rand() * 40),
			    rand() < 0.5 ? 5 + int(rand() * 19) : 24 + int(rand() * 16)
		else if (r < 0.99)
			print "SCAN:" code[int(rand() * nc) + 1]
		else {
			print "F10"; print "n"; i++
		}
	}
}' >"$T/keys"
# TUI_FUZZ_KEYS_OUT=FILE keeps the keys, to replay them by hand.
[ -z "${TUI_FUZZ_KEYS_OUT:-}" ] || cp "$T/keys" "$TUI_FUZZ_KEYS_OUT"
total=$(wc -l <"$T/keys")
per=$(((total + nscreens - 1) / nscreens))

# resize SIZE:WxH | SMALL:WxH: a new size (at least 80×24), or a size
# that may be too small, a few keys and a scan typed there (no F10: that
# closes a till too small to ask), and back to 80×24.
resize() {
	_w=${1#*:}
	_h=${_w#*x}
	_w=${_w%x*}
	case "$1" in
	SIZE:*)
		[ "$_w" -lt 80 ] && _w=80
		[ "$_h" -lt 24 ] && _h=24
		tui_resize "$_w" "$_h"
		;;
	SMALL:*)
		tui_resize "$_w" "$_h"
		tui_keys a 1 Enter Tab Escape F2 Down "$first_code" Enter
		tui_resize 80 24
		;;
	esac
}

help_shown() {
	tui_screen | grep -qE '^  F10 +[^ ]' && tui_screen | grep -qE '^  F2 +[^ ]'
}

# start_on SCREEN: open the till on SCREEN.
start_on() {
	if [ "$1" = dashboard ]; then
		tui_start
	else
		tui_start 80 24 till "$1"
	fi
}

# stop_term WHY: SIGTERM, which must end it cleanly whatever is open.
stop_term() {
	tui_signal TERM
	if ! tui_wait_exit; then
		fail "SIGTERM $1: ends" "still running (seed $seed)$(_tui_show)"
		return 1
	fi
	if [ "$tui_status" -ge 128 ]; then
		fail "SIGTERM $1: clean end" "status $tui_status (seed $seed)$(_tui_show)"
		return 1
	fi
	if [ -s "$T/tui.stderr" ]; then
		fail "SIGTERM $1: nothing on stderr" "$(head -c 2000 "$T/tui.stderr")"
		return 1
	fi
	return 0
}

sales=$(db_val "SELECT count(*) FROM sales")
sent=0
died=
restarts=0
bad=0
for s in $screens; do
	start_on "$s" || { finish; exit 1; }
	end=$((sent + per))
	[ "$end" -gt "$total" ] && end=$total
	while [ "$sent" -lt "$end" ]; do
		sed -n "$((sent + 1)),$((sent + chunk))p" "$T/keys" >"$T/chunk"
		set --
		while IFS= read -r k; do
			case "$k" in
			SCAN:*) set -- "$@" "${k#SCAN:}" Enter ;;
			PAY) set -- "$@" F2 Enter Enter ;;
			SIZE:* | SMALL:*)
				[ $# -gt 0 ] && tui_keys "$@" 2>>"$T/tmux.err"
				set --
				resize "$k"
				;;
			*) set -- "$@" "$k" ;;
			esac
		done <"$T/chunk"
		[ $# -gt 0 ] && tui_keys "$@" 2>>"$T/tmux.err"
		sent=$((sent + chunk))
		tui_settle 100
		# TUI_FUZZ_TRACE=1 shows the screen after every chunk.
		[ -z "${TUI_FUZZ_TRACE:-}" ] ||
		    { echo "# after $sent keys:"; tui_screen | sed 's/^/# | /'; }
		tui_row 0 | sed -n 's/^ duka · [^·]* · \([^ ]*\) .*/\1/p' \
		    >>"$T/visited"
		if ! tui_alive; then
			died=$sent
			break 2
		fi
		# Esc led home, which leads nowhere yet: back to the screen
		# under test (a SIGTERM in whatever state the keys left).
		if [ "$s" != dashboard ] && tui_row 0 | grep -q ' · Home '; then
			stop_term "in the middle" || bad=1
			[ "$bad" = 1 ] && break 2
			restarts=$((restarts + 1))
			start_on "$s" || { finish; exit 1; }
		fi
	done
	stop_term "after the keys on $s" || { bad=1; break; }
done

if [ -n "$died" ]; then
	fail "alive after random keys" "duka ended within the first $died keys (seed $seed); last keys: $(tr '\n' ' ' <"$T/chunk")$(_tui_show)"
	finish
	exit 1
fi
[ "$bad" = 0 ] && ok "alive after $total random keys, each SIGTERM a clean end"
echo "# size changes: $(grep -c -e '^SIZE:' -e '^SMALL:' "$T/keys")"
echo "# sales made by the keys: $(($(db_val "SELECT count(*) FROM sales") - sales))"
echo "# screens seen: $(sort -u "$T/visited" | tr '\n' ' ')($restarts restarts)"
[ ! -s "$T/tmux.err" ] || echo "# tmux said: $(sort -u "$T/tmux.err" | head -5)"

# It still answers after all that: F1 shows a help screen (its rows start
# with the key names, in any language: TUI_LC_ALL runs all this in another).
tui_start 80 24 till sale || { finish; exit 1; }
tui_keys F1
if _tui_poll "$TUI_TIMEOUT" help_shown; then
	ok "answers F1 after the fuzz"
else
	fail "answers F1 after the fuzz" "no help screen$(_tui_show)"
fi
tui_stop
if [ -s "$T/tui.stderr" ]; then
	fail "nothing on stderr" "$(head -c 2000 "$T/tui.stderr")"
else
	ok "nothing on stderr"
fi
db_check "the database passes duka check after the fuzz"
finish
