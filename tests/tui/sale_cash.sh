#!/bin/sh
# sale_cash.sh - the sale screen: a cash sale of three scanned items with
# change, a product added by searching part of its name, a quantity set
# with 3* and with F3, letters typed as a quantity refused with a message
# and nothing changed, a voided line counted on the shift, and the receipt
# preview.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" shift open --float 1000 >/dev/null 2>&1 ||
	fail "shift open" "duka shift open failed"
sales0=$(db_val "SELECT count(*) FROM sales")
# Jogoo 2kg (189.00) twice and Jogoo 1kg (99.00): two lines, KSh 477.00.
J2=6165025100105
J1=6165025100433

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"

# --- quantities: letters refused, nothing changes ------------------------
tui_scan $J1
tui_wait "Jogoo Maize Meal 1kg"
tui_keys F3
tui_wait "Quantity of line 1"
tui_type "abc"
tui_expect "letters in the quantity field get a message" \
	"Only a quantity goes here"
tui_keys Escape
tui_wait_gone "Quantity of line 1"
tui_type "x*"
tui_keys F3
tui_expect "letters typed before F3 get a message" "is not a quantity"
tui_keys Escape
tui_settle
tui_row 3 | grep -q "Jogoo Maize Meal 1kg  *1  *99.00  *99.00" &&
	ok "the quantity did not change" ||
	fail "the quantity did not change" "row 3: $(tui_row 3)"
# 3 then F3 sets it; 1 then F3 sets it back.
tui_type "3"
tui_keys F3
tui_expect "3 then F3 sets the quantity" "Line 1: quantity 3"
tui_type "1*"
tui_keys F3
tui_wait "Line 1: quantity 1"

# --- scans ------------------------------------------------------------------
tui_scan $J2 $J2
tui_wait "Jogoo Maize Meal 2kg"
tui_expect "three scanned items make two lines" "TOTAL KSh 477.00"

# --- search by part of the name ------------------------------------------
tui_type "soko 2"
tui_expect "typing letters shows the matches" "SOKO2KG"
tui_keys Enter
tui_expect "Enter adds the match" "Soko Maize Meal 2kg"
tui_expect "the total follows" "TOTAL KSh 652.00"
# Void it again (Del on the selected line, confirmed).
tui_keys DC
tui_wait "Void line 3"
tui_keys y
tui_expect "the voided line is gone" "TOTAL KSh 477.00"
[ "$(db_val "SELECT count(*) FROM line_voids")" = 1 ] &&
	ok "the void is counted on the shift" ||
	fail "the void is counted on the shift" \
	    "line_voids: $(db_val "SELECT count(*) FROM line_voids")"

# --- 3* before a scan ----------------------------------------------------------
tui_type "3*"
tui_scan $J1
tui_expect "3* before a scan adds three" "TOTAL KSh 774.00"
tui_row 3 | grep -q "Jogoo Maize Meal 1kg  *4 " &&
	ok "a scan of a product on the cart adds to its line" ||
	fail "a scan of a product on the cart adds to its line" \
	    "row 3: $(tui_row 3)"
tui_keys DC
tui_wait "Void line 1"
tui_keys n
tui_wait_gone "Void line 1"
tui_expect "No keeps the line" "TOTAL KSh 774.00"
# Back to one.
tui_type "1"
tui_keys F3
tui_wait "TOTAL KSh 477.00"

# --- SKU*QTY and QTY*SKU typed ------------------------------------------------
tui_type "SOKO1KG*2"
tui_keys Enter
tui_expect "SKU*2 adds two" "TOTAL KSh 661.00"
tui_type "2*soko1kg"
tui_keys Enter
tui_expect "2*sku adds two more" "TOTAL KSh 845.00"
tui_keys DC
tui_wait "Void line 3"
tui_keys y
tui_wait "TOTAL KSh 477.00"

# --- pay cash with change -----------------------------------------------------
tui_scan 6165025100105
tui_wait "TOTAL KSh 666.00"
tui_keys F2
tui_wait "Pay KSh 666.00"
tui_keys Enter
tui_wait "Cash received"
tui_type "1000"
tui_keys Enter
tui_expect "the sale is saved with the change" "CHANGE KSh 334.00"
sale=$(db_val "SELECT max(id) FROM sales")
[ "$(db_val "SELECT count(*) FROM sales")" = $((sales0 + 1)) ] &&
	ok "one sale was written" || fail "one sale was written" \
	    "sales: $(db_val "SELECT count(*) FROM sales")"
got=$(db_val "SELECT kind, state, total FROM sales WHERE id = $sale")
[ "$got" = "sale|completed|66600" ] && ok "the sale's total" ||
	fail "the sale's total" "$got"
got=$(db_val "SELECT method, state, amount, tendered, change_due FROM payments
	WHERE sale_id = $sale")
[ "$got" = "cash|paid|66600|100000|33400" ] && ok "the cash payment" ||
	fail "the cash payment" "$got"
got=$(db_val "SELECT group_concat(qty || ':' || amount, ' ') FROM
	(SELECT qty, amount FROM sale_lines WHERE sale_id = $sale
	ORDER BY line_no)")
[ "$got" = "1000:9900 3000:56700" ] && ok "the sale's lines" ||
	fail "the sale's lines" "$got"

# --- the receipt ---------------------------------------------------------------
tui_keys F8
tui_expect "F8 shows the receipt" "Receipt No."
tui_keys Escape
tui_wait_gone "Receipt No."
tui_keys F9
tui_expect "printing without a printer says so" "No printer is set"
# Pay with an empty cart: a message, no dialog.
tui_keys F2
tui_expect "nothing to pay" "Nothing to pay"
tui_stop
db_check "duka check passes"
finish
