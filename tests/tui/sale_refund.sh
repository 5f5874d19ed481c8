#!/bin/sh
# sale_refund.sh - refund by receipt number on the sale screen: an unknown
# receipt is refused in the dialog; the sale's lines show with what is
# left; one unit of a line is refunded in cash after a confirmation (No
# first writes nothing); the refund is a sale of kind refund naming the
# original, and the stock is back.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" shift open --float 1000 >/dev/null 2>&1 ||
	fail "shift open" "duka shift open failed"
receipt=$("$DUKA" --db "$DB" sell JOGOO2KG*2 JOGOO1KG --cash 1000 --quiet)
sale=$(db_val "SELECT max(id) FROM sales")
# Typed by hand the number alone is enough on its own till. (Six digits
# typed in one go would be a scanner's burst.)
no=$(db_val "SELECT receipt_no FROM sales WHERE id = $sale")
stock0=$(db_val "SELECT stock_qty FROM products WHERE sku = 'JOGOO2KG'")
sales0=$(db_val "SELECT count(*) FROM sales")

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"
tui_keys F7
tui_wait "Receipt number"
tui_type "1-99999"
tui_keys Enter
tui_expect "an unknown receipt is refused" "99999"
tui_keys C-u
tui_type "$no"
tui_keys Enter
tui_expect "the sale's lines show" "Refund of receipt $receipt"
tui_expect "with what is left" "Jogoo Maize Meal 2kg"
# F2 with nothing picked: a message.
tui_keys F2
tui_expect "nothing picked" "Pick a line"
# One of the two bags of line 1: more than is left is refused first.
tui_keys F3
tui_wait "Take back of line 1"
tui_keys C-u
tui_type "3"
tui_keys Enter
tui_expect "more than was sold is refused" "only 2 of this line"
tui_keys C-u
tui_type "1"
tui_keys Enter
tui_wait_gone "Take back of line 1"
tui_keys F2
tui_wait "Pay the refund back by"
tui_keys Enter
tui_wait "back on the shelf"
tui_keys Enter
tui_wait "paid back by Cash"
tui_keys n
tui_wait_gone "paid back by Cash"
[ "$(db_val "SELECT count(*) FROM sales")" = "$sales0" ] &&
	ok "No writes nothing" || fail "No writes nothing" "a sale was written"

tui_keys F7
tui_wait "Receipt number"
tui_type "$no"
tui_keys Enter
tui_wait "Refund of receipt"
tui_keys F3
tui_wait "Take back of line 1"
tui_keys C-u
tui_type "1"
tui_keys Enter
tui_wait_gone "Take back of line 1"
tui_keys F2
tui_wait "Pay the refund back by"
tui_keys Enter
tui_wait "back on the shelf"
tui_keys Enter
tui_wait "paid back by Cash"
tui_keys y
tui_expect "the refund is done" "KSh 189.00 paid back"
got=$(db_val "SELECT kind || '/' || refund_of || '/' || total FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "refund/$sale/-18900" ] && ok "a refund sale names the original" ||
	fail "a refund sale names the original" "$got"
got=$(db_val "SELECT stock_qty FROM products WHERE sku = 'JOGOO2KG'")
[ "$got" = $((stock0 + 1000)) ] && ok "the stock is back" ||
	fail "the stock is back" "stock $stock0 -> $got"
tui_keys F8
tui_expect "F8 shows the refund's receipt" "REFUND"
tui_keys Escape
# Again: line 1 now has one left.
tui_keys F7
tui_wait "Receipt number"
tui_type "$no"
tui_keys Enter
tui_wait "Refund of receipt"
tui_row 4 | grep -q "Jogoo Maize Meal 2kg  *2  *1  *-" &&
	ok "the line shows what is left" ||
	fail "the line shows what is left" "$(tui_row 4)"
tui_keys Escape
tui_stop
db_check "duka check passes"
finish
