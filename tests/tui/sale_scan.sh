#!/bin/sh
# sale_scan.sh - the sale screen takes a scanner's bursts: 50 scans sent in
# one go all arrive, in order, as 50 lines that are then sold; a scan that
# arrives while a dialog is open is kept and lands in the cart once the
# dialog closes; an unknown code is said in the status line.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" shift open --float 1000 >/dev/null 2>&1 ||
	fail "shift open" "duka shift open failed"
# 50 products sold by the piece, in stock, without an expired batch, each
# by its lowest barcode.
db_val "SELECT (SELECT min(code) FROM barcodes b
	WHERE b.product_id = p.id) FROM products p WHERE active = 1
	AND unit = 'piece' AND stock_qty >= 3000
	AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.product_id = p.id
	AND qty_remaining > 0 AND expiry_date < '2026-11-26')
	AND EXISTS (SELECT 1 FROM barcodes b WHERE b.product_id = p.id)
	ORDER BY p.id LIMIT 50" >"$T/codes"
[ "$(wc -l <"$T/codes")" -eq 50 ] || { fail "50 codes" "$(wc -l <"$T/codes")"; finish; exit 1; }
want=$(db_val "SELECT sum(price) FROM products WHERE id IN (SELECT
	product_id FROM barcodes WHERE code IN ($(sed "s/.*/'&'/" "$T/codes" |
	paste -sd, -)))")

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"

# --- an unknown code ------------------------------------------------------
tui_scan 9999999999994
tui_expect "an unknown code is said" "9999999999994"

# --- 50 scans in one burst ------------------------------------------------------
# shellcheck disable=SC2046
tui_scan $(cat "$T/codes")
tui_expect "the 50th line arrives" " 50 "
tui_settle
tui_expect "the 50 scans make 50 lines" "Lines 50 "
tui_keys F2
tui_wait "Pay KSh"
tui_keys Enter
tui_wait "Cash received"
tui_keys Enter
tui_expect "paid exactly" "CHANGE KSh 0.00"
sale=$(db_val "SELECT max(id) FROM sales")
got=$(db_val "SELECT count(*) || '/' || sum(qty) || '/' ||
	(SELECT total FROM sales WHERE id = $sale) FROM sale_lines
	WHERE sale_id = $sale")
[ "$got" = "50/50000/$want" ] && ok "50 units sold, one a line" ||
	fail "50 units sold, one a line" "lines/qty/total $got, want 50/50000/$want"
got=$(db_val "SELECT group_concat(code, ' ') FROM (SELECT (SELECT min(code) FROM
	barcodes b WHERE b.product_id = l.product_id) AS code FROM sale_lines l WHERE sale_id = $sale ORDER BY line_no)")
[ "$got" = "$(paste -sd' ' "$T/codes")" ] && ok "in the order scanned" ||
	fail "in the order scanned" "$got"

# --- a scan while a dialog is open ----------------------------------------------
C1=$(sed -n 1p "$T/codes")
C2=$(sed -n 2p "$T/codes")
tui_scan "$C1"
tui_wait "Lines 1 "
tui_keys F5
tui_wait "Park this sale"
tui_scan "$C2"
tui_expect "the scan is kept while the dialog is open" "kept"
tui_refute "the kept scan is not in the cart yet" "Lines 2 "
tui_keys Escape
tui_expect "the kept scan lands in the cart after the dialog" "Lines 2 "
# And in a confirmation (Del asks): kept too, not taken as an answer.
tui_keys DC
tui_wait "Void line"
tui_scan "$C1"
tui_keys n
tui_wait_gone "Void line"
tui_expect "kept through a confirmation too" "Lines 2 "
tui_row 3 | grep -q " 2 " && ok "the kept scan added to its line" ||
	fail "the kept scan added to its line" "$(tui_row 3)"
tui_stop
db_check "duka check passes"
finish
