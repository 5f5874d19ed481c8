#!/bin/sh
# inventory_bench.sh - the inventory screen over a large catalogue,
# through a real terminal (tmux). Prints figures; never fails on time.
# Not part of make check; run by hand:
#     top_srcdir=. DUKA=$PWD/duka sh tests/tui/inventory_bench.sh [PRODUCTS]
# Figures: the time from F5 on the home screen to the listing drawn; the
# wall time of 100 PgDn (sent as fast as tmux types them) until the last
# page is drawn; the time to sort again by expiry; duka's resident memory
# (VmRSS and its peak, VmHWM) with the whole catalogue listed. The screen
# itself keeps 8 bytes a product (the ids); most of the growth while
# listing is SQLite sorting the listing in memory (temp_store = MEMORY).
TUI_NO_DEMO=1
TUI_TIMEOUT=120
. "${top_srcdir:-.}/tests/tui/lib.sh"
N=${1:-100000}
here=$(cd "${top_srcdir:-.}/tests/bench" && pwd)

ms() { date +%s%3N; }
python3 "$here/gen_products.py" "$N" "$T/products.csv"
"$DUKA" --db "$DB" init >/dev/null
"$DUKA" --db "$DB" import products "$T/products.csv" >/dev/null
# Dated stock for half the products (a third get a second batch), so that
# statuses and expiry sorting have work to do; then the cached levels.
db_val "INSERT INTO batches(product_id, expiry_date, received_date,
	unit_cost, qty_received, qty_remaining) SELECT id,
	date('2026-11-01', '+' || (id * 7919 % 400) || ' days'), '2026-10-01',
	100, 10000, 10000 FROM products WHERE id % 2 = 0;
	INSERT INTO batches(product_id, expiry_date, received_date, unit_cost,
	qty_received, qty_remaining) SELECT id, date('2026-11-01', '+' ||
	(id * 104729 % 400) || ' days'), '2026-10-01', 100, 5000, 5000 FROM
	products WHERE id % 3 = 0;
	UPDATE products SET stock_qty = (SELECT coalesce(sum(qty_remaining), 0)
	FROM batches b WHERE b.product_id = products.id);
	INSERT OR REPLACE INTO shop_meta(key, value) VALUES ('demo', '1')"
echo "catalogue: $(db_val "SELECT count(*) FROM products") products, $(db_val "SELECT count(*) FROM batches") batches"

rss() {
	[ -n "$tui_pid" ] && grep -E 'VmRSS|VmHWM' "/proc/$tui_pid/status" |
		tr -s ' \t' ' ' | tr '\n' ' '
}

tui_start || { finish; exit 1; }
tui_wait "Stock (Enter opens the list)"
echo "home screen up: $(rss)"
t0=$(ms)
tui_keys F5
tui_wait "$N products · All" 120
echo "F5 to the listing of $N products drawn: $(($(ms) - t0)) ms"
echo "listed: $(rss)"
t0=$(ms)
i=0
while [ $i -lt 100 ]; do tui_keys NPage; i=$((i + 1)); done
tui_wait " 1801 of $N" 120
echo "100 PgDn until the last page is drawn: $(($(ms) - t0)) ms (tmux's own typing included)"
t0=$(ms)
tui_keys F4
tui_wait "Sort by"
tui_keys Down Down Down Enter
tui_wait "by expiry" 120
echo "sort again by expiry (menu included): $(($(ms) - t0)) ms"
echo "after scrolling and sorting: $(rss)"
tui_stop
finish
