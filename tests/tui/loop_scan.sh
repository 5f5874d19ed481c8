#!/bin/sh
# loop_scan.sh - scanner bursts through the loop: 50 scans sent in one go
# all reach the sale's cart, in the right quantities; a scan while a dialog
# is open is kept for the sale (not taken as the dialog's answer), on the
# sale screen and on the home screen, and reaches the sale.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

# kes CENTS: "1,234.50", as the screen shows money.
kes() {
	awk -v c="$1" 'BEGIN {
		s = sprintf("%d", int(c / 100)); o = ""
		while (length(s) > 3) {
			o = "," substr(s, length(s) - 2) o
			s = substr(s, 1, length(s) - 3)
		}
		printf "%s%s.%02d\n", s, o, c % 100
	}'
}

# 25 products sold by the piece with stock, one barcode each.
db_val "SELECT min(b.code), p.price FROM products p
	JOIN barcodes b ON b.product_id = p.id
	WHERE p.active = 1 AND p.unit = 'piece' AND p.stock_qty >= 10000
	GROUP BY p.id ORDER BY p.id LIMIT 25" >"$T/codes"
n=$(wc -l <"$T/codes")
[ "$n" -eq 25 ] || { fail "demo shop has 25 products to scan" "$n"; finish; exit 1; }

# Each twice, as 50 scans: A B C ... A B C ...
codes=$(cut -d'|' -f1 "$T/codes" | tr '\n' ' ')
total=$(awk -F'|' '{ s += 2 * $2 } END { print s }' "$T/codes")
last=$(tail -n 1 "$T/codes" | cut -d'|' -f1)
first=$(head -n 1 "$T/codes" | cut -d'|' -f1)

tui_start 80 24 till sale || { finish; exit 1; }
tui_wait "Lines 0"
# shellcheck disable=SC2086
tui_scan $codes $codes
tui_expect "50 scans in one burst: 25 lines" "Lines 25 ·"
tui_expect "50 scans in one burst: the total" "TOTAL KSh $(kes "$total")"
tui_refute "no digits left in the code field" "$first"
tui_settle
# Every line in view was scanned twice.
tui_screen | awk '/^ Lines / { exit } NR > 3 && /^ +[0-9]+ / { print }' \
    >"$T/lines"
if [ "$(wc -l <"$T/lines")" -ge 10 ] &&
    ! grep -vqE ' 2 +[0-9,]+\.[0-9][0-9] +[0-9,]+\.[0-9][0-9]$' "$T/lines"; then
	ok "each product counted twice"
else
	fail "each product counted twice" "$(_tui_show)"
fi

# A scan while F10's question is open: kept, the dialog stays, and the
# line goes in once the dialog is closed.
tui_keys F10
tui_wait "Close the till?"
tui_scan "$first"
tui_expect "scan at a dialog: kept" "Scan $first kept"
tui_expect "scan at a dialog: the dialog is still open" "Close the till?"
tui_alive && ok "scan at a dialog: not taken as an answer" ||
    fail "scan at a dialog: not taken as an answer" "duka ended$(_tui_show)"
tui_keys n
tui_wait_gone "Close the till?"
total2=$((total + $(head -n 1 "$T/codes" | cut -d'|' -f2)))
tui_expect "the kept scan goes into the sale" "TOTAL KSh $(kes "$total2")"
tui_expect "still 25 lines (same product)" "Lines 25 ·"

# On the home screen with F10's question open: kept, the dialog stays,
# and the home screen stays when the dialog closes.
tui_keys Escape
tui_wait "· Home"
tui_keys F10
tui_wait "Close the till?"
tui_scan "$last"
tui_expect "home, dialog open: scan kept" "Scan $last kept"
tui_expect "home: the dialog is still open" "Close the till?"
tui_keys Escape
tui_wait_gone "Close the till?"
tui_alive && ok "home: still running" || fail "home: still running" "ended"
tui_expect "home: still the home screen" "· Home"

# A scan on the home screen starts the sale: the kept scan and this one
# both go in.
tui_scan "$first"
price_first=$(head -n 1 "$T/codes" | cut -d'|' -f2)
price_last=$(tail -n 1 "$T/codes" | cut -d'|' -f2)
total3=$((total2 + price_first + price_last))
tui_expect "home: a scan opens the sale" "· Sale"
tui_expect "home: the kept scan and the new one are in the sale" \
    "TOTAL KSh $(kes "$total3")"
# More scans at a dialog than the loop keeps (64): the rest are refused
# with a message, and the kept ones all reach the sale.
tui_stop
many=$(db_val "SELECT min(b.code) FROM products p
	JOIN barcodes b ON b.product_id = p.id
	WHERE p.active = 1 AND p.unit = 'piece' AND p.stock_qty >= 70000")
tui_start 80 24 till sale || { finish; exit 1; }
tui_wait "Lines 0"
tui_keys F10
tui_wait "Close the till?"
set --
i=0
while [ "$i" -lt 70 ]; do
	set -- "$@" "$many"
	i=$((i + 1))
done
tui_scan "$@"
tui_expect "70 scans at a dialog: the 65th on are refused" \
    "Too many scans while a dialog was open: $many was not kept"
tui_expect "70 scans at a dialog: the dialog is still open" "Close the till?"
tui_keys n
tui_wait_gone "Close the till?"
tui_expect "the 64 kept scans reach the sale" "Lines 1 ·"
tui_settle
if tui_screen | grep -qE '^ +1 .* 64 +[0-9,]+\.[0-9][0-9] +[0-9,]+\.[0-9][0-9]$'; then
	ok "the line has 64 of them"
else
	fail "the line has 64 of them" "$(_tui_show)"
fi
tui_stop
db_check "the database passes duka check"
finish
