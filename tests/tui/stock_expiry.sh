#!/bin/sh
# stock_expiry.sh - expiry on the stock entry screen: a product that
# tracks expiry is not received without an expiry date, nor with one before
# the received date, nor with a received date in the future (each with
# src/stock.c's message, nothing written); an expired batch is removed by
# number with the reason "expired"; F6 writes off every other expired
# batch; a count sheet is cancelled and changes nothing; a sheet opened with
# duka stock count start is counted on.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

TODAY=2026-11-25
# An expired batch with stock, and its product (which tracks expiry).
pick=$(db_val "SELECT p.sku || '|' || p.id || '|' || b.id || '|' ||
	b.qty_remaining FROM batches b JOIN products p ON p.id = b.product_id
	WHERE b.qty_remaining > 0 AND b.expiry_date < '$TODAY' AND
	p.tracks_expiry = 1 ORDER BY b.id LIMIT 1")
[ -n "$pick" ] || { fail "demo shop" "no expired batch"; finish; exit 1; }
SKU=${pick%%|*}; rest=${pick#*|}
pid=${rest%%|*}; rest=${rest#*|}
batch=${rest%%|*}; left=${rest#*|}
expired=$(db_val "SELECT count(*) FROM batches WHERE qty_remaining > 0 AND
	expiry_date < '$TODAY'")
echo "# $SKU: batch $batch expired with $((left / 1000)) left; $expired expired batches in the shop"
state() {
	# Never empty: a comparison of two empty states would prove nothing.
	db_val "SELECT (SELECT count(*) FROM batches) || '/' ||
		(SELECT count(*) FROM stock_movements) || '/' ||
		(SELECT count(*) FROM outbox) || '/' ||
		ifnull((SELECT group_concat(state) FROM stock_counts), '') || '/' ||
		(SELECT stock_qty FROM products WHERE id = $pid)"
}

tui_start till stock || { finish; exit 1; }
tui_wait "Scan a product"
tui_type "$SKU"
tui_wait "$SKU"
tui_keys Enter
tui_wait "(SKU $SKU)"
tui_expect "the expired batch is marked" "EXPIRED"

# --- receiving without a proper expiry is refused ---------------------------
before=$(state)
tui_keys F2
tui_wait "Receive"
tui_type 6
tui_keys F2
tui_expect "an expiry date is needed" "tracks expiry dates"
tui_keys Tab Tab
tui_type 2026-11-20
tui_keys F2
tui_expect "an expiry before today's delivery is refused" \
	"is before the received date"
tui_keys C-u
tui_type 2027-03-01
# To the last field, the date received.
tui_keys Tab Tab Tab Tab Tab Tab
tui_type 2026-12-01
tui_keys F2
tui_expect "a delivery in the future is refused" "is in the future"
tui_keys Escape
tui_wait_gone "Received on"
[ "$(state)" = "$before" ] && ok "the refused deliveries wrote nothing" ||
	fail "the refused deliveries wrote nothing" "$before -> $(state)"

# --- remove the expired batch by its number, as expired ------------------------
tui_keys F3
tui_wait "Why does"
tui_keys Down Enter
tui_wait "Remove"
tui_type "$((left / 1000))"
tui_keys Tab
tui_type "$batch"
tui_keys F2
tui_expect "removed as expired" "as expiry"
got=$(db_val "SELECT reason || '/' || qty || '/' || batch_id FROM
	stock_movements ORDER BY id DESC LIMIT 1")
[ "$got" = "expiry/-$left/$batch" ] && ok "the expiry movement from that batch" ||
	fail "the expiry movement from that batch" "$got"
[ "$(db_val "SELECT qty_remaining FROM batches WHERE id = $batch")" = 0 ] &&
	ok "the batch is empty" || fail "the batch is empty" \
	"$(db_val "SELECT qty_remaining FROM batches WHERE id = $batch")"
tui_refute "the batch is no longer listed" "EXPIRED"

# --- F6: write off every other expired batch ---------------------------------
moves=$(db_val "SELECT count(*) FROM stock_movements WHERE reason = 'expiry'")
tui_keys F6
tui_wait "Write off every expired batch"
tui_keys n
tui_wait_gone "Write off every expired batch"
[ "$(db_val "SELECT count(*) FROM stock_movements WHERE reason = 'expiry'")" = "$moves" ] &&
	ok "No writes nothing off" || fail "No writes nothing off" "written off"
tui_keys F6
tui_wait "Write off every expired batch"
tui_keys y
tui_expect "the write-off is said" "wrote off $((expired - 1)) expired batch"
[ "$(db_val "SELECT count(*) FROM batches WHERE qty_remaining > 0 AND
	expiry_date < '$TODAY'")" = 0 ] && ok "no expired stock is left" ||
	fail "no expired stock is left" "some is"
[ "$(db_val "SELECT count(*) FROM stock_movements WHERE reason = 'expiry'")" = \
	"$((moves + expired - 1))" ] && ok "one expiry movement a batch" ||
	fail "one expiry movement a batch" \
	"$(db_val "SELECT count(*) FROM stock_movements WHERE reason = 'expiry'")"
tui_keys F6
tui_wait "Write off every expired batch"
tui_keys y
tui_expect "nothing more to write off" "no expired stock to write off"

# --- a count sheet cancelled changes nothing ------------------------------------
before=$(state)
tui_keys F4
tui_wait "New count sheet"
tui_keys Enter
tui_wait "Counted"
tui_type 99
tui_keys Enter
tui_wait "counted 99"
sheet=$(db_val "SELECT max(id) FROM stock_counts")
tui_keys F5
tui_wait "Cancel the sheet"
tui_keys 3
tui_wait "Cancel the count sheet?"
tui_keys y
tui_expect "the sheet is cancelled" "Count sheet $sheet cancelled"
tui_refute "no sheet is shown open" "is open: F4"
got=$(db_val "SELECT state FROM stock_counts WHERE id = $sheet")/$(db_val \
	"SELECT stock_qty FROM products WHERE id = $pid")
[ "$got" = "cancelled/${before##*/}" ] && ok "cancelled: stock unchanged" ||
	fail "cancelled: stock unchanged" "state/stock $got, before $before"
tui_keys F5
tui_expect "F5 without a sheet says so" "No count sheet is open here"

# --- a sheet opened elsewhere is taken up ----------------------------------------
"$DUKA" --db "$DB" stock count start >/dev/null 2>&1 ||
	fail "duka stock count start" "failed"
cli=$(db_val "SELECT max(id) FROM stock_counts WHERE state = 'open'")
tui_keys F4
tui_wait "Counted"
tui_type 7
tui_keys Enter
tui_expect "the count goes on the open sheet" "counted 7 piece on sheet $cli"
[ "$(db_val "SELECT counted_qty FROM stock_count_lines WHERE count_id =
	'$cli' AND product_id = $pid")" = 7000 ] &&
	ok "counted on the sheet opened by duka stock count start" ||
	fail "counted on the sheet opened by duka stock count start" "not there"

tui_stop
db_check "duka check passes after the expiry tests"
finish
