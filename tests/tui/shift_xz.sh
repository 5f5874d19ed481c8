#!/bin/sh
# shift_xz.sh - the shift screen: a float with letters, or none, is
# refused with a message and opens nothing; open with a float; a sale made
# meanwhile shows in the X report; cash paid in; the Z report asks for the
# cash counted, asks to confirm (No leaves the shift open), then closes
# the shift with the counted cash and shows expected, counted and the
# difference; the shift row says so in the database; with a printer set
# (a file: printer) the Z goes to the slip too, laid out for its width.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

state() {
	db_val "SELECT (SELECT count(*) FROM shifts) || '/' || (SELECT count(*)
		FROM shifts WHERE state = 'open') || '/' || (SELECT count(*) FROM
		cash_movements) || '/' || (SELECT count(*) FROM outbox)"
}
z_before=$(db_val "SELECT max(z_number) FROM shifts")

tui_start till shift || { finish; exit 1; }
tui_wait "No shift is open"

# --- bad floats: a message, nothing written ---------------------------------
s0=$(state)
tui_keys F2
tui_wait "Open a shift"
tui_type "5a"
tui_expect "letters in the float are refused" "Only an amount goes here"
tui_keys C-u Enter
tui_expect "an empty float is refused" "please fill this in"
tui_type "1.234"
tui_keys Enter
tui_expect "three decimals are refused" "Open a shift"
tui_keys Escape
tui_wait "No shift is open"
[ "$(state)" = "$s0" ] && ok "refused floats changed nothing" ||
	fail "refused floats changed nothing" "$s0 became $(state)"

# --- open --------------------------------------------------------------------
tui_keys F2
tui_wait "Open a shift"
tui_type "2,000"
tui_keys Enter
tui_expect "opened, said with the float" "is open with a float of KSh 2,000.00"
got=$(db_val "SELECT state || '/' || float_cash || '/' || opened_by FROM
	shifts WHERE state = 'open'")
[ "$got" = "open/200000/amina" ] && ok "the shift row" || fail "the shift row" "$got"
tui_expect "open since, by whom" "open since 12:00, by amina"

# --- a sale meanwhile, then the X report ----------------------------------------
sku=$(db_val "SELECT sku FROM products WHERE active = 1 AND stock_qty > 5000
	AND id NOT IN (SELECT product_id FROM batches WHERE expiry_date <
	'2026-11-25' AND qty_remaining > 0) ORDER BY sku LIMIT 1")
price=$(db_val "SELECT price FROM products WHERE sku = '$sku'")
"$DUKA" --db "$DB" sell "$sku" --cash exact >/dev/null 2>"$T/sell.err" ||
	fail "a cash sale" "$(cat "$T/sell.err")"
ksh() { python3 -c "import sys; c = int(sys.argv[1]); print(f'KSh {c // 100:,}.{c % 100:02d}')" "$1"; }
tui_keys F6
tui_expect "the X report" "X REPORT - till 1"
tui_expect "the sale is in it" "Sales (1)"
tui_expect "the takings" "$(ksh "$price")"
tui_keys Escape
tui_wait_gone "X REPORT"

# --- cash paid in ---------------------------------------------------------------
tui_keys F3
tui_wait "Cash paid in"
tui_type 100
tui_keys Tab
tui_type "more change"
tui_keys F2
tui_expect "paid in" "Paid in KSh 100.00."
[ "$(db_val "SELECT kind || '/' || amount || '/' || reason FROM cash_movements
	ORDER BY id DESC LIMIT 1")" = "pay_in/10000/more change" ] &&
	ok "the pay-in row" || fail "the pay-in row" "$(db_val "SELECT * FROM cash_movements ORDER BY id DESC LIMIT 1")"

# --- Z: counted cash, No keeps it open, Yes closes ---------------------------------
expected=$((200000 + price + 10000))
counted=$((expected - 5000))
tui_keys F7
tui_wait "count the cash"
tui_type "abc"
tui_expect "letters in the counted cash are refused" "Only an amount goes here"
tui_keys C-u
tui_type "$(python3 -c "import sys; c = int(sys.argv[1]); print(f'{c // 100}.{c % 100:02d}')" "$counted")"
tui_keys Enter
tui_expect "asks to confirm" "counted? It cannot be"
tui_keys n
tui_expect "No leaves the shift open" "The shift stays open."
[ "$(db_val "SELECT count(*) FROM shifts WHERE state = 'open'")" = 1 ] &&
	ok "still open after No" || fail "still open after No" "$(state)"
tui_keys F7
tui_wait "count the cash"
tui_type "$(python3 -c "import sys; c = int(sys.argv[1]); print(f'{c // 100}.{c % 100:02d}')" "$counted")"
tui_keys Enter
tui_wait "counted? It cannot be"
tui_keys y
tui_expect "the Z report" "Z REPORT $((z_before + 1)) - till 1"
tui_keys NPage NPage NPage
tui_expect "the cash expected" "$(ksh "$expected")"
tui_expect "the cash counted" "$(ksh "$counted")"
tui_expect "the difference, short" "Difference (short)"
tui_expect "by how much" "KSh -50.00"
got=$(db_val "SELECT state || '/' || z_number || '/' || counted_cash || '/' ||
	expected_cash || '/' || closed_by FROM shifts ORDER BY id DESC LIMIT 1")
[ "$got" = "closed/$((z_before + 1))/$counted/$expected/amina" ] &&
	ok "the shift row closed with the counted cash" ||
	fail "the shift row closed with the counted cash" "$got"
tui_keys Enter
tui_expect "closed, said" "Shift closed: Z report $((z_before + 1))"
tui_expect "the screen says no shift" "No shift is open"
db_check "the books are sound after the Z"
tui_stop

# --- with a printer set, the Z is printed too ---------------------------------------
mkdir -p "$XDG_CONFIG_HOME/duka"
printf '[printer]\ndevice = file:%s\nwidth = 32\n' "$T/slip.bin" \
	>"$XDG_CONFIG_HOME/duka/duka.conf"
"$DUKA" --db "$DB" shift open --float 500 >/dev/null || fail "shift open" "cli"
tui_start till shift || { finish; exit 1; }
tui_wait "open since"
tui_keys F7
tui_wait "count the cash"
tui_type 500
tui_keys Enter
tui_wait "counted? It cannot be"
tui_keys y
tui_wait "Z REPORT $((z_before + 2))"
tui_keys Enter
tui_expect "the Z is printed, said" "Z report $((z_before + 2)) printed."
if grep -q "Z REPORT $((z_before + 2))" "$T/slip.bin" 2>/dev/null &&
	grep -q "Cash counted" "$T/slip.bin"; then
	ok "the slip holds the Z report"
else
	fail "the slip holds the Z report" "$(od -c "$T/slip.bin" 2>&1 | head -5)"
fi
long=$(tr -d '\033\035' <"$T/slip.bin" | grep 'KSh' | awk 'length > 32' | head -1)
[ -z "$long" ] && ok "figures fit the 32-column slip" ||
	fail "figures fit the 32-column slip" "$long"
[ "$(db_val "SELECT state FROM shifts ORDER BY id DESC LIMIT 1")" = closed ] &&
	ok "closed with the printer too" || fail "closed with the printer too" "$(state)"
tui_stop
finish
