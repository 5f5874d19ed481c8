#!/bin/sh
# sale_print.sh - receipts from the sale screen: with [printer] device set,
# a cash sale prints its slip (ESC/POS, with the drawer kick) once it is
# saved, F9 prints it again marked as a copy, F8 shows it; a printer that
# fails keeps the sale and says so in the status line.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

J2=6165025100105
"$DUKA" --db "$DB" shift open --float 1000 >/dev/null 2>&1 ||
	fail "shift open" "duka shift open failed"
printf '[printer]\ndevice = file:%s\nwidth = 42\n' "$T/slips" >"$T/ok.conf"
printf '[printer]\ndevice = %s\n' "$T/no/such/printer" >"$T/bad.conf"

tui_start --config "$T/ok.conf" till sale || { finish; exit 1; }
tui_wait "Code or name"
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "Pay KSh 189.00"
tui_keys Enter
tui_wait "Cash received"
tui_type "200"
tui_keys Enter
tui_expect "the sale is done" "CHANGE KSh 11.00"
if [ -s "$T/slips" ] && grep -q "Jogoo Maize Meal 2kg" "$T/slips"; then
	ok "the slip is printed"
else
	fail "the slip is printed" "$(od -c "$T/slips" 2>&1 | head -5)"
fi
# ESC p: the drawer kick, for a cash sale.
od -An -tx1 "$T/slips" | tr -d ' \n' | grep -q 1b7000 &&
	ok "the drawer opens for cash" || fail "the drawer opens for cash" "no ESC p"
grep -q "COPY" "$T/slips" && fail "the first slip is no copy" "COPY" ||
	ok "the first slip is no copy"
tui_keys F9
tui_expect "F9 prints again" "printed"
grep -q "COPY" "$T/slips" && ok "the reprint is a copy" ||
	fail "the reprint is a copy" "no COPY"
tui_keys F8
tui_expect "F8 shows the receipt" "Receipt No."
tui_keys Escape
tui_stop

tui_start --config "$T/bad.conf" till sale || { finish; exit 1; }
tui_wait "Code or name"
n=$(db_val "SELECT count(*) FROM sales")
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "Pay KSh 189.00"
tui_keys Enter Enter
tui_expect "a failing printer is said" "not printed"
[ "$(db_val "SELECT count(*) FROM sales")" = $((n + 1)) ] &&
	ok "the sale is kept" || fail "the sale is kept" "no sale"
tui_stop
db_check "duka check passes"
finish
