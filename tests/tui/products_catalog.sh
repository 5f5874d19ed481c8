#!/bin/sh
# products_catalog.sh - the products screen: the list pages through the
# catalogue, as-you-type search, adding a product whose barcode is scanned
# into the form (a bad price and a bad check digit refused with a message
# and nothing written), finding it again by scanning, editing it, adding
# and removing barcodes, deactivating and reactivating it.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

# Everything a catalogue change may write, as one line.
state() {
	db_val "SELECT (SELECT count(*) FROM products) || '/' ||
		(SELECT count(*) FROM barcodes) || '/' ||
		(SELECT count(*) FROM categories) || '/' ||
		(SELECT count(*) FROM outbox) || '/' ||
		(SELECT group_concat(price || active) FROM products)"
}
# The Nth SKU in the list's order, cut to the SKU column's 13 columns.
nth_sku() {
	db_val "SELECT substr(sku, 1, 13) FROM products ORDER BY sku
		COLLATE NOCASE LIMIT 1 OFFSET $1"
}

tui_start till products || { finish; exit 1; }
tui_wait "Search:"

# --- the list: the first page, the next page, back ------------------------
first=$(nth_sku 0)
eighteenth=$(nth_sku 17)
case "$(tui_row 3)" in
" $first "*) ok "the list starts with the first SKU" ;;
*) fail "the list starts with the first SKU" "row 3: $(tui_row 3)" ;;
esac
tui_keys NPage
tui_wait "$(nth_sku 20)"
case "$(tui_row 3)" in
" $eighteenth "*) ok "PgDn shows the next rows" ;;
*) fail "PgDn shows the next rows" "row 3: $(tui_row 3), want $eighteenth" ;;
esac
tui_keys PPage
tui_wait "$first"
case "$(tui_row 3)" in
" $first "*) ok "PgUp goes back" ;;
*) fail "PgUp goes back" "row 3: $(tui_row 3)" ;;
esac
tui_keys Up Up NPage NPage NPage Down Down
tui_settle
tui_alive && ok "moving around does not end the till" ||
	fail "moving around does not end the till" "duka ended"

# --- search as you type ----------------------------------------------------
tui_type kimbo
tui_expect "typing searches" "KIMBO500G"
tui_refute "the search shows only hits" "$first "
tui_keys Escape
tui_wait_gone "KIMBO500G"
case "$(tui_row 1)" in
*kimbo*) fail "Esc clears the search" "row 1: $(tui_row 1)" ;;
*) ok "Esc clears the search" ;;
esac

# --- add a product: bad input first ------------------------------------------
before=$(state)
tui_keys F2
tui_wait "Add a product"
tui_type KETEPA250X
tui_keys Tab
tui_type "Ketepa Pride Tea 250g tin"
tui_keys Tab
tui_type "Tea tins"
tui_keys Tab Tab
tui_type 1,50
tui_keys Tab
tui_type 120.50
tui_keys F2
tui_expect "a bad price is refused" "Price (VAT incl.):"
[ "$(state)" = "$before" ] && ok "the bad price wrote nothing" ||
	fail "the bad price wrote nothing" "$before -> $(state)"
tui_keys C-u
tui_type 150
# From the price to the barcode, the last field.
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
tui_scan 5901234123458
tui_expect "the scan fills the barcode field" "5901234123458"
tui_keys F2
tui_expect "a wrong check digit is refused" "check digit"
[ "$(state)" = "$before" ] && ok "the bad barcode wrote nothing" ||
	fail "the bad barcode wrote nothing" "$before -> $(state)"
tui_keys C-u
tui_scan 5901234123457
tui_keys F2
tui_expect "the product is added" "Added Ketepa Pride Tea 250g tin"
got=$(db_val "SELECT p.name || '/' || p.price || '/' || p.cost || '/' ||
	c.name || '/' || p.tax_class || '/' || b.code FROM products p JOIN
	categories c ON c.id = p.category_id JOIN barcodes b ON
	b.product_id = p.id WHERE p.sku = 'KETEPA250X'")
[ "$got" = "Ketepa Pride Tea 250g tin/15000/12050/Tea tins/standard/5901234123457" ] &&
	ok "the product and its barcode are stored" ||
	fail "the product and its barcode are stored" "$got"

# --- find it by scanning ---------------------------------------------------------
tui_type kimbo
tui_wait "KIMBO500G"
tui_scan 5901234123457
tui_expect "a scan finds the product" "Scanned 5901234123457: Ketepa Pride Tea 250g tin"
case "$(tui_row 3)" in
" KETEPA250X "*) ok "the scanned product is on the first row" ;;
*) fail "the scanned product is on the first row" "row 3: $(tui_row 3)" ;;
esac
tui_scan 9999999999994
tui_expect "an unknown scan offers to add it" \
	"No product has the barcode 9999999999994"
tui_keys n
tui_wait_gone "No product has the barcode"

# --- edit: letters refused in the price, then a new price ----------------------
before=$(state)
tui_keys Enter
tui_wait "Edit product"
tui_keys Tab Tab Tab Tab C-u
tui_type x
tui_expect "letters in a price are refused" "Only an amount goes here"
tui_type 155
# From the price to the supplier, the last field when editing.
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab
tui_type "Kenya Tea Packers"
tui_keys F2
tui_expect "the product is saved" "Saved Ketepa Pride Tea 250g tin"
got=$(db_val "SELECT s.name FROM products p JOIN suppliers s ON
	s.id = p.supplier_id WHERE p.sku = 'KETEPA250X'")
[ "$got" = "Kenya Tea Packers" ] && ok "the supplier is stored" ||
	fail "the supplier is stored" "$got"
tui_keys F3
tui_expect "editing again shows the supplier" "Kenya Tea Packers"
tui_keys Escape
tui_wait_gone "Edit product"
[ "$(db_val "SELECT price FROM products WHERE sku = 'KETEPA250X'")" = 15500 ] &&
	ok "the new price is stored" || fail "the new price is stored" \
	"$(db_val "SELECT price FROM products WHERE sku = 'KETEPA250X'")"

# --- barcodes: a bad one refused, a good one added, one removed ----------------
tui_scan 5901234123457
tui_wait "Scanned 5901234123457"
tui_keys F4
tui_wait "Barcodes of Ketepa"
tui_keys Down Enter
tui_wait "Add a barcode"
before=$(state)
tui_scan 4006381333932
tui_wait 4006381333932
tui_keys Enter
tui_expect "a bad check digit is refused" "check digit"
[ "$(state)" = "$before" ] && ok "the bad barcode added nothing" ||
	fail "the bad barcode added nothing" "$before -> $(state)"
tui_scan 4006381333931
tui_wait 4006381333931
tui_keys Enter
tui_expect "the second barcode is listed" "4006381333931  (EAN-13)"
# The codes are listed by when they were added, then by code (the clock
# is pinned): 4006381333931 is 1, 5901234123457 is 2.
tui_keys 2
tui_wait "Remove barcode 5901234123457"
tui_keys y
tui_wait_gone "Remove barcode"
tui_keys Escape
tui_wait_gone "Barcodes of"
got=$(db_val "SELECT group_concat(code) FROM barcodes WHERE product_id =
	(SELECT id FROM products WHERE sku = 'KETEPA250X')")
[ "$got" = "4006381333931" ] && ok "one barcode added, one removed" ||
	fail "one barcode added, one removed" "$got"

# --- deactivate (refused once, then confirmed) and reactivate ------------------
tui_scan 4006381333931
tui_wait "Scanned 4006381333931"
tui_keys F5
tui_wait "Deactivate Ketepa"
tui_keys n
tui_expect "No keeps it" "Nothing was changed"
[ "$(db_val "SELECT active FROM products WHERE sku = 'KETEPA250X'")" = 1 ] &&
	ok "still active after No" || fail "still active after No" "inactive"
tui_keys F5
tui_wait "Deactivate Ketepa"
tui_keys y
tui_expect "deactivated" "is deactivated"
[ "$(db_val "SELECT active FROM products WHERE sku = 'KETEPA250X'")" = 0 ] &&
	ok "inactive in the database" || fail "inactive in the database" "active"
tui_keys F5
tui_wait "Reactivate Ketepa"
tui_keys y
tui_expect "reactivated" "is active again"
[ "$(db_val "SELECT active FROM products WHERE sku = 'KETEPA250X'")" = 1 ] &&
	ok "active again in the database" ||
	fail "active again in the database" "inactive"

tui_stop
db_check "duka check passes after the products screen"
finish
