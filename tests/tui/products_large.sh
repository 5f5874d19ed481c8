#!/bin/sh
# products_large.sh - the products screen over a large catalogue (100,000
# products, PRODUCTS_LARGE_N to change): the list reaches the last product
# with End and comes back with Home, 200 pages down land on the right SKU,
# search and scans find products anywhere in it, and the till holds only
# the rows it shows (its memory is printed). Prints figures (time per page,
# per search key); never fails on time.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
# The terminal tmux emulates, so that Home and End arrive as such.
export TUI_TERM=tmux-256color
. "${top_srcdir:-.}/tests/tui/lib.sh"

N=${PRODUCTS_LARGE_N:-100000}
if ! command -v python3 >/dev/null 2>&1; then
	echo "no python3: skipped"
	exit 77
fi
python3 "$top_srcdir/tests/bench/gen_products.py" "$N" "$T/products.csv" ||
	{ fail "catalogue" "gen_products.py failed"; finish; exit 1; }
"$DUKA" --db "$DB" import products "$T/products.csv" >/dev/null 2>&1 ||
	{ fail "catalogue" "the import failed"; finish; exit 1; }
total=$(db_val "SELECT count(*) FROM products")
echo "# $total products"
# The Nth SKU in the list's order, cut to the SKU column's 13 columns.
nth_sku() {
	db_val "SELECT substr(sku, 1, 13) FROM products ORDER BY sku
		COLLATE NOCASE LIMIT 1 OFFSET $1"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
row_is() {
	case "$(tui_row "$2")" in
	" $3 "*) ok "$1" ;;
	*) fail "$1" "row $2: $(tui_row "$2"), want $3" ;;
	esac
}

tui_start till products || { finish; exit 1; }
tui_wait "Search:"
row_is "the first product on top" 3 "$(nth_sku 0)"

# --- End and Home ------------------------------------------------------------
last=$(nth_sku $((total - 1)))
t0=$(ms)
tui_keys End
tui_wait "$last"
echo "# End: $(($(ms) - t0)) ms to the last of $total products"
row_is "End shows the last product at the bottom" 20 "$last"
tui_keys Home
tui_wait "$(nth_sku 0) "
row_is "Home goes back to the first" 3 "$(nth_sku 0)"

# --- 200 pages down: each page starts at the last row of the one before -------
keys=
i=0
while [ $i -lt 200 ]; do
	keys="$keys NPage"
	i=$((i + 1))
done
want=$(nth_sku $((200 * 17)))
t0=$(ms)
# shellcheck disable=SC2086
tui_keys $keys
tui_wait "$want"
t1=$(ms)
echo "# 200 pages down: $((t1 - t0)) ms through tmux ($(((t1 - t0) * 1000 / 200)) us a page)"
row_is "200 pages down land on the right product" 3 "$want"
tui_keys Up Up
tui_wait "$(nth_sku $((200 * 17 - 2)))"
row_is "Up at the top scrolls back one by one" 3 "$(nth_sku $((200 * 17 - 2)))"
tui_keys PPage
tui_wait "$(nth_sku $((200 * 17 - 19)))"
row_is "PgUp: the top row becomes the bottom one" 3 \
	"$(nth_sku $((200 * 17 - 19)))"

# --- search and scan anywhere in the catalogue ------------------------------------
pick=$(db_val "SELECT p.sku || '|' || p.name || '|' || b.code FROM products p
	JOIN barcodes b ON b.product_id = p.id WHERE p.sku LIKE 'P%'
	ORDER BY p.id LIMIT 1 OFFSET $((total * 3 / 4))")
psku=${pick%%|*}
rest=${pick#*|}
pname=${rest%%|*}
pcode=${rest#*|}
t0=$(ms)
tui_type "$pname"
tui_wait "$psku"
echo "# search: $(($(ms) - t0)) ms for ${#pname} keys, each a search"
tui_expect "the search finds a product three quarters in" "$psku"
tui_keys Escape
tui_wait_gone "$pname"
tui_scan "$pcode"
tui_expect "a scan finds it too" "Scanned $pcode"
row_is "the scanned product is selected on top" 3 "$(echo "$psku" | cut -c1-13)"

rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$tui_pid/status" 2>/dev/null)
[ -n "$rss" ] && echo "# the till's memory after paging: $((rss / 1024)) MiB"
tui_stop
finish
