#!/bin/sh
# stock_entry.sh - the stock entry screen: pick a product by search and by
# scan, receive a delivery with batch, expiry, supplier price and reorder
# date (the batch and the movement checked in the database), refuse a bad
# date, a bad price, letters, 0 and a minus sign in a quantity with a
# message and no change, remove stock with a reason, count it on a stock
# take sheet and commit the sheet.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

SKU=MUMIAS1KG
pid=$(db_val "SELECT id FROM products WHERE sku = '$SKU'")
code=$(db_val "SELECT code FROM barcodes WHERE product_id = $pid LIMIT 1")
qty0=$(db_val "SELECT stock_qty FROM products WHERE id = $pid")
[ -n "$pid" ] && [ -n "$code" ] && [ -n "$qty0" ] ||
	{ fail "demo product" "no $SKU with a barcode"; finish; exit 1; }
# Everything a stock action may write, as one line.
state() {
	db_val "SELECT (SELECT count(*) FROM batches) || '/' ||
		(SELECT count(*) FROM stock_movements) || '/' ||
		(SELECT count(*) FROM outbox) || '/' ||
		(SELECT stock_qty || ',' || cost || ',' || price || ',' ||
		 ifnull(reorder_date, '') FROM products WHERE id = $pid) || '/' ||
		(SELECT count(*) FROM stock_counts)"
}
qtyf() { echo "$(($1 / 1000))"; }

tui_start till stock || { finish; exit 1; }
tui_wait "Scan a product"

# --- pick a product: by typing, then by scanning ------------------------------
tui_type "kimbo cooking fat 1"
tui_expect "the search offers the product" "KIMBO1KG"
tui_keys Enter
tui_expect "Enter takes it, with its stock" "(SKU KIMBO1KG)"
tui_scan "$code"
tui_expect "a scan takes another product" "(SKU $SKU)"
tui_expect "its quantity is shown" "In stock: $(qtyf "$qty0") piece"

# --- receive with batch, expiry, supplier price and reorder date --------------
before=$(state)
tui_keys F2
tui_wait "Receive Mumias"
tui_type 24
tui_keys Tab
tui_type B-77
tui_keys Tab
tui_type 2027-01-31
tui_keys Tab C-u
tui_type 160
tui_keys Tab Tab
tui_type 2026-12-15
tui_keys F2
tui_expect "received, said with the batch" "received 24 piece into batch"
tui_expect "the stock before is shown" "Before: $(qtyf "$qty0") piece"
tui_expect "the stock after is shown" "After: $(qtyf $((qty0 + 24000))) piece"
tui_expect "the new batch is listed with its expiry" "2027-01-31"
batch=$(db_val "SELECT id FROM batches WHERE product_id = $pid AND
	batch_no = 'B-77'")
got=$(db_val "SELECT expiry_date || '/' || qty_received || '/' ||
	qty_remaining || '/' || unit_cost FROM batches WHERE id = '$batch'")
[ "$got" = "2027-01-31/24000/24000/16000" ] && ok "the batch as typed" ||
	fail "the batch as typed" "expiry/received/left/cost $got"
got=$(db_val "SELECT reason || '/' || qty || '/' || ifnull(batch_id, '') ||
	'/' || user_name FROM stock_movements ORDER BY id DESC LIMIT 1")
[ "$got" = "receive/24000/$batch/amina" ] && ok "the receive movement" ||
	fail "the receive movement" "reason/qty/batch/user $got"
got=$(db_val "SELECT stock_qty || '/' || cost || '/' || reorder_date FROM
	products WHERE id = $pid")
[ "$got" = "$((qty0 + 24000))/16000/2026-12-15" ] &&
	ok "stock, cost and reorder date of the product" ||
	fail "stock, cost and reorder date of the product" "$got"

# --- bad input: a message, and nothing changes -------------------------------
before=$(state)
tui_keys F2
tui_wait "Receive Mumias"
tui_type 5
tui_keys Tab Tab
tui_type 2026-02-30
tui_keys F2
tui_expect "30 February is refused" "no day 30"
tui_keys C-u Tab C-u
tui_type 1,50
tui_keys F2
tui_expect "a bad supplier price is refused" "Supplier price (unit):"
tui_keys Escape
tui_wait_gone "Supplier price"
[ "$(state)" = "$before" ] && ok "bad date and price changed nothing" ||
	fail "bad date and price changed nothing" "$before -> $(state)"

tui_keys F2
tui_wait "Receive Mumias"
tui_type abc
tui_expect "letters in a quantity are refused" "Only a quantity goes here"
tui_type 5
tui_wait_gone "Only a quantity goes here"
tui_type -
tui_expect "a minus sign is refused" "Only a quantity goes here"
tui_keys C-u
tui_type 0
tui_keys F2
tui_expect "a quantity of 0 is refused" "must be more than 0"
tui_keys Escape
tui_wait_gone "Receive Mumias"
[ "$(state)" = "$before" ] && ok "bad quantities changed nothing" ||
	fail "bad quantities changed nothing" "$before -> $(state)"

# --- remove with a reason -----------------------------------------------------
qty1=$(db_val "SELECT stock_qty FROM products WHERE id = $pid")
tui_keys F3
tui_wait "Why does"
tui_keys Enter
tui_wait "Remove Mumias"
tui_type 2
tui_keys Tab
tui_type 999999
tui_keys F2
tui_expect "a batch of another product is refused" "has no batch number 999999"
[ "$(db_val "SELECT stock_qty FROM products WHERE id = $pid")" = "$qty1" ] &&
	ok "the refused removal changed nothing" ||
	fail "the refused removal changed nothing" "stock changed"
tui_keys C-u BTab C-u
tui_type 99999
tui_keys F2
tui_expect "more than is in stock is refused" "Mumias Sugar 1kg: only"
[ "$(db_val "SELECT stock_qty FROM products WHERE id = $pid")" = "$qty1" ] &&
	ok "removing too much changed nothing" ||
	fail "removing too much changed nothing" "stock changed"
tui_keys C-u
tui_type 2
tui_keys F2
tui_expect "removed as damage" "removed 2 piece as damage"
got=$(db_val "SELECT reason || '/' || qty FROM stock_movements ORDER BY id
	DESC LIMIT 1")
[ "$got" = "damage/-2000" ] && ok "the damage movement" ||
	fail "the damage movement" "$got"
[ "$(db_val "SELECT stock_qty FROM products WHERE id = $pid")" = \
	"$((qty1 - 2000))" ] && ok "stock down by 2" || fail "stock down by 2" \
	"$(db_val "SELECT stock_qty FROM products WHERE id = $pid")"

# --- stock take entry -----------------------------------------------------------
tui_keys F4
tui_wait "New count sheet"
tui_keys Enter
tui_wait "Counted"
tui_type x
tui_expect "letters in a count are refused" "Only a quantity goes here"
tui_type 80
tui_keys Enter
tui_expect "the count is taken" "counted 80 piece on sheet"
tui_expect "the open sheet is shown" "is open: F4 counts more products"
sheet=$(db_val "SELECT max(id) FROM stock_counts")
got=$(db_val "SELECT state || '/' || (SELECT counted_qty FROM
	stock_count_lines WHERE count_id = $sheet AND product_id = $pid)
	FROM stock_counts WHERE id = $sheet")
[ "$got" = "open/80000" ] && ok "the count is on the open sheet" ||
	fail "the count is on the open sheet" "$got"
tui_keys F5
tui_wait "Commit: book"
tui_keys Down Enter
tui_wait "Commit the count sheet?"
tui_keys y
tui_expect "the sheet is committed" "committed count sheet $sheet"
got=$(db_val "SELECT state FROM stock_counts WHERE id = $sheet")/$(db_val \
	"SELECT stock_qty FROM products WHERE id = $pid")/$(db_val "SELECT
	reason FROM stock_movements ORDER BY id DESC LIMIT 1")
[ "$got" = "committed/80000/count" ] && ok "the count booked" ||
	fail "the count booked" "state/stock/reason $got"

tui_stop
db_check "duka check passes after the stock screen"
finish
