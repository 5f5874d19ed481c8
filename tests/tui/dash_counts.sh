#!/bin/sh
# dash_counts.sh - the home screen: the stock alert counts equal what
# `duka inventory` and sqlite3 count on the demo shop; today's sales and
# takings by tender after two sales made from the command line; the shift
# (none, then open by whom); the expired count opens the inventory
# filtered to expired products, and Enter shows an expired batch.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

# The counts as `duka inventory --status X` lists them ("N items, ...").
inv_count() {
	"$DUKA" --db "$DB" inventory --status "$1" | sed -n 's/^\([0-9]*\) items.*/\1/p'
}
low=$(inv_count low)
out=$(inv_count out)
near=$(inv_count expiring)
expired=$(inv_count expired)
# and from the tables themselves: products with an expired batch in stock
sql_expired=$(db_val "SELECT count(DISTINCT b.product_id) FROM batches b
	JOIN products p ON p.id = b.product_id WHERE p.active = 1 AND
	b.qty_remaining > 0 AND b.expiry_date < '2026-11-25'")
sql_out=$(db_val "SELECT count(*) FROM products WHERE active = 1 AND
	stock_qty <= 0")
[ "$expired" = "$sql_expired" ] && [ "$out" = "$sql_out" ] &&
	[ "$expired" -gt 0 ] && [ "$low" -gt 0 ] && ok "duka inventory agrees with sqlite3" ||
	fail "duka inventory agrees with sqlite3" "expired $expired/$sql_expired out $out/$sql_out"

tui_start || { finish; exit 1; }
tui_wait "Stock (Enter opens the list)"
# One row of the alert list: its label, then the count at the right.
alert_row() {
	tui_screen | grep -F "$1" | sed 's/.*'"$1"' *\([0-9]*\) *$/\1/' | head -1
}
for pair in "Low stock:$low" "Out of stock:$out" "Near expiry:$near" "Expired:$expired"; do
	label=${pair%%:*}
	want=${pair#*:}
	got=$(alert_row "$label")
	[ "$got" = "$want" ] && ok "home: $label $want" ||
		fail "home: $label" "shows '$got', duka inventory says $want"
done
tui_expect "no shift yet" "No shift open: F6 to open one"
tui_expect "no sales today" "0 sales, 0 refunds"
tui_stop

# Two sales today: cash and card.
"$DUKA" --db "$DB" shift open --float 1000 >/dev/null || fail "shift open" "cli"
sku=$(db_val "SELECT sku FROM products WHERE active = 1 AND stock_qty > 5000
	AND sku NOT IN (SELECT p.sku FROM products p JOIN batches b ON
	b.product_id = p.id WHERE b.expiry_date < '2026-11-25' AND
	b.qty_remaining > 0) ORDER BY sku LIMIT 1")
price=$(db_val "SELECT price FROM products WHERE sku = '$sku'")
"$DUKA" --db "$DB" sell "$sku" --cash exact >/dev/null 2>"$T/sell.err" ||
	fail "cash sale" "$(cat "$T/sell.err")"
"$DUKA" --db "$DB" sell "$sku*2" --card REF1 >/dev/null 2>"$T/sell.err" ||
	fail "card sale" "$(cat "$T/sell.err")"
# cents as the till shows them: KSh 1,234.50
ksh() { python3 -c "import sys; c = int(sys.argv[1]); print(f'KSh {c // 100:,}.{c % 100:02d}')" "$1"; }

tui_start || { finish; exit 1; }
tui_wait "Stock (Enter opens the list)"
tui_expect "two sales today" "2 sales, 0 refunds"
tui_expect "the net takings" "$(ksh $((price * 3)))"
cash_row=$(tui_screen | grep -F "  Cash " | head -1)
case "$cash_row" in
*"$(ksh "$price")"*) ok "cash takings" ;;
*) fail "cash takings" "$cash_row" ;;
esac
card_row=$(tui_screen | grep -F "  Card " | head -1)
case "$card_row" in
*"$(ksh $((price * 2)))"*) ok "card takings" ;;
*) fail "card takings" "$card_row" ;;
esac
tui_expect "the shift is open, by whom" "Open since 12:00 by amina"

# Expired: the last alert row; Enter opens the inventory filtered.
tui_keys Up
tui_keys Enter
tui_expect "the inventory opens filtered to expired" "$expired products · Expired"
first=$(db_val "SELECT p.sku FROM batches b JOIN products p ON p.id =
	b.product_id WHERE p.active = 1 AND b.qty_remaining > 0 AND
	b.expiry_date < '2026-11-25' ORDER BY b.expiry_date, p.name COLLATE
	NOCASE LIMIT 1")
tui_expect "the soonest expired product first" "$(printf %.11s "$first")"
tui_keys Enter
tui_expect "Enter shows its batches" "Batches of $first"
tui_expect "an expired batch, with the days" "EXPIRED"
tui_keys Escape
tui_wait_gone "Batches of"
tui_keys Escape
tui_expect "Esc goes home" "Stock (Enter opens the list)"
tui_stop
finish
