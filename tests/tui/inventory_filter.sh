#!/bin/sh
# inventory_filter.sh - the inventory screen: filter by category (F3),
# by status (F2), sort by expiry (F4), reverse (F5); the rows and their
# order are those of `duka inventory` with the same options; Enter shows
# a product's batches with days left; PgDn scrolls to the end.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

cat=$(db_val "SELECT c.name FROM categories c WHERE EXISTS (SELECT 1 FROM
	products p JOIN batches b ON b.product_id = p.id WHERE p.category_id =
	c.id AND p.active = 1 AND b.qty_remaining > 0 AND b.expiry_date IS NOT
	NULL) ORDER BY c.name COLLATE NOCASE LIMIT 1")
# the menu lists "All categories" then the categories by name
pos=$(db_val "SELECT count(*) FROM categories WHERE name COLLATE NOCASE <
	'$cat' COLLATE NOCASE")
n_cat=$(db_val "SELECT count(*) FROM products p JOIN categories c ON c.id =
	p.category_id WHERE c.name = '$cat' AND p.active = 1")
# SKUs in expiry order, as duka inventory gives them (CSV: sku first)
"$DUKA" --db "$DB" inventory --category "$cat" --sort expiry --format csv \
	>"$T/inv.csv" 2>"$T/inv.err" || fail "duka inventory" "$(cat "$T/inv.err")"
first=$(sed -n 2p "$T/inv.csv" | cut -d, -f1)
second=$(sed -n 3p "$T/inv.csv" | cut -d, -f1)
last=$(tail -n 1 "$T/inv.csv" | cut -d, -f1)
[ -n "$first" ] && [ -n "$second" ] || fail "setup" "no products in $cat"

tui_start till inventory || { finish; exit 1; }
tui_wait "products · All products"
tui_expect "every active product" "$(db_val "SELECT count(*) FROM products WHERE active = 1") products"

# --- category -------------------------------------------------------------
tui_keys F3
tui_wait "All categories"
i=0
while [ "$i" -lt "$pos" ]; do tui_keys Down; i=$((i + 1)); done
tui_keys Down Enter
tui_expect "filtered to the category" "$n_cat products · All products · $cat"

# --- sort by expiry ----------------------------------------------------------
tui_keys F4
tui_wait "Sort by"
tui_keys Down Down Down Enter
tui_expect "sorted by expiry" "· by expiry"
row3=$(tui_row 3)
row4=$(tui_row 4)
case "$row3" in
" $(printf %.11s "$first")"*) ok "soonest expiry first ($first)" ;;
*) fail "soonest expiry first" "row: $row3, duka inventory: $first" ;;
esac
case "$row4" in
" $(printf %.11s "$second")"*) ok "then the next ($second)" ;;
*) fail "then the next" "row: $row4, duka inventory: $second" ;;
esac
# the expiry column is in order on the screen
tui_screen | sed -n '4,22p' | grep -oE '20[0-9]{2}-[0-9]{2}-[0-9]{2}' >"$T/dates"
sort -c "$T/dates" 2>/dev/null && ok "the dates on screen are in order" ||
	fail "the dates on screen are in order" "$(cat "$T/dates" | tr '\n' ' ')"

# --- reverse: undated last both ways, so the first dated one is the last ----
tui_keys F5
tui_expect "reversed" "by expiry, reversed"

# --- status: near expiry within the category ---------------------------------
near=$("$DUKA" --db "$DB" inventory --category "$cat" --status expiring |
	sed -n 's/^\([0-9]*\) items.*/\1/p')
tui_keys F2
tui_wait "OK (no alert)"
tui_keys Down Down Down Enter
tui_expect "status and category together" "$near products · Near expiry · $cat"

# --- batches of the selected product ----------------------------------------
tui_keys F2
tui_wait "OK (no alert)"
tui_keys Up Up Up Enter
tui_wait "products · All products · $cat"
tui_keys F5
tui_wait_gone ", reversed"
tui_keys Enter
tui_expect "Enter shows the batches" "Batches of $first"
exp=$(db_val "SELECT min(b.expiry_date) FROM batches b JOIN products p ON
	p.id = b.product_id WHERE p.sku = '$first' AND b.qty_remaining > 0")
days=$(python3 -c "import datetime,sys; print((datetime.date.fromisoformat(sys.argv[1]) - datetime.date(2026, 11, 25)).days)" "$exp")
if [ "$days" -lt 0 ]; then want="EXPIRED $((-days)) days ago"
elif [ "$days" -eq 0 ]; then want="expires today"
else want="$days days left"; fi
tui_expect "the batch's expiry and days left" "$exp $want"
tui_keys Escape
tui_wait_gone "Batches of"

# --- scrolling: PgDn to the last row ---------------------------------------------
tui_keys NPage NPage NPage
tui_expect "PgDn: the last product" "$(printf %.11s "$last")"
tui_expect "the place in the list" "$n_cat of $n_cat"
tui_stop

db_check "the database is sound after browsing"
finish
