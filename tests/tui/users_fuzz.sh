#!/bin/sh
# users_fuzz.sh - random keys at a till with users: the login form, F12,
# the idle lock (also over open dialogs) and the manager's pop-up on every
# screen get letters, digits, F-keys, Esc, names and PINs right and wrong.
# The till never crashes: each end is a clean one (Esc at a login form
# closes it with status 0; SIGTERM ends it whatever is open), nothing is
# written to stderr, and the database passes duka check. TUI_FUZZ_SEED
# repeats a run; TUI_FUZZ_KEYS changes the count.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

seed=${TUI_FUZZ_SEED:-$(date +%s)}
count=${TUI_FUZZ_KEYS:-1200}
screens="sale stock products shift dashboard inventory reports"
nscreens=7
chunk=20
echo "# seed $seed, $count keys (TUI_FUZZ_SEED=$seed repeats this run)"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"
for u in "Mary manager 5678" "Otieno attendant 2468"; do
	set -- $u
	DUKA_PIN=1234 DUKA_NEW_PIN=$3 "$DUKA" --db "$DB" --user Wanjiru \
		user add "$1" --role "$2" >/dev/null 2>&1 ||
		fail "user $1" "duka user add failed"
done
DUKA_PIN=2468 "$DUKA" --db "$DB" --user Otieno shift open --float 5000 \
	>/dev/null 2>&1 || fail "shift open" "duka shift open failed"
cfg="$T/fuzz.conf"
printf '[ui]\nidle_timeout = 3\n' >"$cfg"
owner() { DUKA_USER=Wanjiru DUKA_PIN=1234 "$DUKA" --db "$DB" "$@"; }
codes=$(db_val "SELECT code FROM barcodes ORDER BY code LIMIT 40" | tr '\n' ' ')

# The keys, one per line, as tmux names, or a word for several: LOGIN and
# MARY answer a login form or the pop-up rightly, WRONG wrongly, IDLE
# waits past the idle timeout, PAY pays cash exactly, SCAN:code scans,
# NOSALE goes to the shift screen and opens the drawer (an attendant gets
# the manager's pop-up).
awk -v seed="$seed" -v n="$count" -v codes="$codes" 'BEGIN {
	nc = split(codes, code, " ")
	srand(seed)
	split("Up Down Left Right Escape Enter Tab BTab BSpace DC Home End " \
	    "PPage NPage Space F2 F3 F4 F5 F6 F7 F8 F9 F11 F12 C-u " \
	    "Enter Tab F12 F2", special, " ")
	ns = 0; for (k in special) ns++
	letters = "abcdefghijklmnopqrstuvwxyzMOW*.-"
	idle = 0
	for (i = 0; i < n; i++) {
		r = rand()
		if (r < 0.25)
			print int(rand() * 10)
		else if (r < 0.45)
			print substr(letters, int(rand() * length(letters)) + 1, 1)
		else if (r < 0.85)
			print special[int(rand() * ns) + 1]
		else if (r < 0.89)
			print "LOGIN"
		else if (r < 0.93)
			print "MARY"
		else if (r < 0.95)
			print "WRONG"
		else if (r < 0.96)
			print "PAY"
		else if (r < 0.975) {
			# the pop-up, answered now and then
			print "NOSALE"
			q = rand()
			if (q < 0.4) { print "MARY"; i++ }
			else if (q < 0.6) { print "WRONG"; i++ }
		}
		else if (r < 0.995 || idle >= 3)
			print "SCAN:" code[int(rand() * nc) + 1]
		else {
			print "IDLE"; idle++
		}
	}
}' >"$T/keys"
[ -z "${TUI_FUZZ_KEYS_OUT:-}" ] || cp "$T/keys" "$TUI_FUZZ_KEYS_OUT"
total=$(wc -l <"$T/keys")
per=$(((total + nscreens - 1) / nscreens))

# start_on SCREEN: open the till there and log Otieno in (unlocked first:
# the keys may have locked him or Mary).
start_on() {
	owner user unlock Otieno >/dev/null 2>&1
	owner user unlock Mary >/dev/null 2>&1
	tui_start --config "$cfg" till "$1" || return 1
	tui_wait "Log in" || return 1
	tui_type Otieno
	tui_keys Tab
	tui_type 2468
	tui_keys Enter
	# (the screen's own message may take the status line at once)
	_tui_poll "$TUI_TIMEOUT" header_names Otieno && return 0
	fail "Otieno logs in" "not in the header$(_tui_show)"
	return 1
}
header_names() { tui_row 0 | grep -q "  $1  "; }

# A clean end: status below 128 and nothing on stderr.
clean_end() {
	if [ "$tui_status" -ge 128 ] 2>/dev/null || [ -z "$tui_status" ]; then
		fail "$1: clean end" "status $tui_status (seed $seed)$(_tui_show)"
		return 1
	fi
	if [ -s "$T/tui.stderr" ]; then
		fail "$1: nothing on stderr" "$(head -c 2000 "$T/tui.stderr")"
		return 1
	fi
	return 0
}

stop_term() {
	tui_signal TERM
	if ! tui_wait_exit; then
		fail "SIGTERM $1: ends" "still running (seed $seed)$(_tui_show)"
		return 1
	fi
	clean_end "SIGTERM $1"
}

sales=$(db_val "SELECT count(*) FROM sales")
sent=0
bad=0
closed=0
idles=0
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
			NOSALE) set -- "$@" Escape Escape F6 F5 r F2 ;;
			LOGIN) set -- "$@" C-u Otieno Tab C-u 2468 Enter ;;
			MARY) set -- "$@" C-u Mary Tab C-u 5678 Enter ;;
			WRONG) set -- "$@" C-u Mary Tab C-u 0000 Enter ;;
			IDLE)
				[ $# -gt 0 ] && tui_keys "$@" 2>>"$T/tmux.err"
				set --
				sleep 4
				idles=$((idles + 1))
				;;
			*) set -- "$@" "$k" ;;
			esac
		done <"$T/chunk"
		[ $# -gt 0 ] && tui_keys "$@" 2>>"$T/tmux.err"
		sent=$((sent + chunk))
		tui_settle 100
		[ -z "${TUI_FUZZ_TRACE:-}" ] ||
		    { echo "# after $sent keys:"; tui_screen | sed 's/^/# | /'; }
		if ! tui_alive; then
			# Esc at a login form closes the till: fine if clean.
			tui_wait_exit
			clean_end "after $sent keys" || { bad=1; break 2; }
			closed=$((closed + 1))
			start_on "$s" || { finish; exit 1; }
		fi
	done
	stop_term "after the keys on $s" || { bad=1; break; }
done

[ "$bad" = 0 ] && ok "no crash after $total random keys with users"
echo "# closed at a login form: $closed; idle pauses: $idles"
echo "# sales made by the keys: $(($(db_val "SELECT count(*) FROM sales") - sales))"
echo "# approvals: $(db_val "SELECT count(*) FROM audit_log WHERE action = 'user.approve'"), locks: $(db_val "SELECT count(*) FROM audit_log WHERE action = 'user.lock'")"
[ ! -s "$T/tmux.err" ] || echo "# tmux said: $(sort -u "$T/tmux.err" | head -5)"

# It still answers: log in, F1 (no idle timeout now).
cfg="$T/empty.conf"
: >"$cfg"
start_on sale || { finish; exit 1; }
tui_keys F1
tui_expect "answers F1 after the fuzz" "Keys of every screen"
tui_stop
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "the database passes duka check after the fuzz"
owner audit verify >"$T/verify" 2>&1 && ok "the audit chain verifies" ||
	fail "the audit chain verifies" "$(head -c 400 "$T/verify")"
finish
