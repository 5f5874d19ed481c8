#!/bin/sh
# sale_tender.sh - the tender dialog: a split of an M-PESA code and cash;
# a card and an account (the sale is the customer's); bad input in the
# forms (an M-PESA code of the wrong shape, a non-cash amount over what is
# left, letters in an amount) gets a message and writes nothing; Esc
# leaves the sale open; a discount past [limits] is approved at payment
# in a shop without users; no open shift is said, with the way to the
# shift screen.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

J2=6165025100105
J1=6165025100433
sales() { db_val "SELECT count(*) FROM sales"; }

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"

# --- no shift ------------------------------------------------------------------
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_expect "no open shift is said" "No shift is open on this till"
tui_keys n
tui_expect "and the sale is kept" "Open a shift first"
"$DUKA" --db "$DB" shift open --float 1000 >/dev/null 2>&1 ||
	fail "shift open" "duka shift open failed"
sales0=$(sales)

# --- M-PESA code and cash ------------------------------------------------------
tui_scan $J1
tui_wait "TOTAL KSh 288.00"
tui_keys F2
tui_wait "Pay KSh 288.00"
tui_keys Down Enter
tui_wait "M-PESA code"
tui_type "abc"
tui_keys Tab
tui_type "100"
tui_keys Enter
tui_expect "a bad M-PESA code is refused in the form" "M-PESA code"
tui_refute "the form stays open" "Pay KSh 288.00 ·"
tui_keys C-u
tui_type "QKT5ABC1XY"
tui_keys Tab C-u
tui_type "1000"
tui_keys Enter
tui_expect "more than is left is refused for M-PESA" "more than the KSh 288.00 left"
tui_keys C-u
tui_type "100"
tui_keys Enter
tui_expect "the split goes on" "KSh 188.00 left"
# Letters in the cash amount: refused with a message.
tui_keys Enter
tui_wait "Cash received"
tui_type "a"
tui_expect "letters in an amount are refused" "Only an amount goes here"
tui_keys Escape
tui_wait "KSh 188.00 left"
[ "$(sales)" = "$sales0" ] && ok "nothing is written before the end" ||
	fail "nothing is written before the end" "$(sales) sales"
tui_keys Enter
tui_wait "Cash received"
tui_type "200"
tui_keys Enter
tui_expect "the sale is done" "CHANGE KSh 12.00"
sale=$(db_val "SELECT max(id) FROM sales")
got=$(db_val "SELECT group_concat(method || ':' || amount || ':' ||
	coalesce(tendered, '') || ':' || coalesce(change_due, '') || ':' ||
	coalesce(reference, ''), ' ') FROM (SELECT * FROM payments WHERE
	sale_id = $sale ORDER BY method)")
[ "$got" = "cash:18800:20000:1200: mpesa:10000:::QKT5ABC1XY" ] &&
	ok "M-PESA and cash payments" || fail "M-PESA and cash payments" "$got"

# --- card and account ------------------------------------------------------------
bal0=$(db_val "SELECT balance FROM customers WHERE name = 'Mama Wanjiku'")
tui_scan $J2 $J1
tui_wait "TOTAL KSh 288.00"
tui_keys F2
tui_wait "Pay KSh 288.00"
tui_keys Down Down Enter
tui_wait "Reference"
tui_type "AUTH77"
tui_keys Tab
tui_type "88"
tui_keys Enter
tui_wait "KSh 200.00 left"
tui_keys 5
tui_wait "On account"
tui_type "Nobody Here"
tui_keys Enter Enter
tui_expect "an unknown customer is refused" "Nobody Here"
tui_keys C-u
tui_type "mama wanjiku"
tui_keys Enter Enter
tui_expect "card and account" "KSh 288.00 · CHANGE KSh 0.00"
sale=$(db_val "SELECT max(id) FROM sales")
got=$(db_val "SELECT c.name FROM sales s JOIN customers c ON
	c.id = s.customer_id WHERE s.id = $sale")
[ "$got" = "Mama Wanjiku" ] && ok "the sale is the customer's" ||
	fail "the sale is the customer's" "$got"
got=$(db_val "SELECT balance FROM customers WHERE name = 'Mama Wanjiku'")
[ "$got" = $((bal0 + 20000)) ] && ok "the account owes the rest" ||
	fail "the account owes the rest" "$bal0 -> $got"

# --- Esc leaves the sale open --------------------------------------------------
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
n=$(sales)
tui_keys F2
tui_wait "Pay KSh 189.00"
tui_keys Escape
tui_expect "Esc cancels the payment" "Payment cancelled"
[ "$(sales)" = "$n" ] && ok "Esc writes nothing" || fail "Esc writes nothing" "$(sales)"

# --- a discount past the limit ----------------------------------------------------
tui_keys F4
tui_wait "Discount on line 1"
tui_keys Enter
tui_wait "Amount or %"
tui_type "half"
tui_keys Enter
tui_expect "a discount that is not a number is refused" "half"
tui_keys C-u
tui_type "50%"
tui_keys Enter
tui_expect "the discount shows" "TOTAL KSh 94.50"
tui_expect "past the limit is said" "a manager approves it"
tui_keys F2
tui_wait "Approve it as"
tui_keys n
tui_expect "not approved: nothing sold" "Not approved"
[ "$(sales)" = "$n" ] && ok "no approval, no sale" || fail "no approval, no sale" "$(sales)"
tui_keys F2
tui_wait "Approve it as"
tui_keys y
tui_wait "Pay KSh 94.50"
tui_keys Enter Enter
tui_expect "the approved sale is done" "CHANGE KSh 0.00"
got=$(db_val "SELECT approved_by || '/' || total || '/' || discount FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "amina/9450/9450" ] && ok "approved by the attendant" ||
	fail "approved by the attendant" "$got"
tui_stop
db_check "duka check passes"
finish
