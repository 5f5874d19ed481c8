#!/bin/sh
# sale_bench.sh - how fast the sale screen takes scans, through a real
# terminal (tmux), with a large catalogue. Prints figures; never fails on
# time. Not part of make check; run by hand:
#     top_srcdir=. DUKA=$PWD/duka sh tests/tui/sale_bench.sh [PRODUCTS [SCANS]]
# Two figures: the wall time per scan of SCANS scans (distinct products,
# so SCANS lines) sent as fast as tmux types them, until the last line is
# on the screen; and the time from one scan sent to its line drawn,
# measured 20 times (an upper bound: it includes tmux's capture-pane).
TUI_NO_DEMO=1
TUI_TIMEOUT=120
. "${top_srcdir:-.}/tests/tui/lib.sh"
N=${1:-100000}
S=${2:-2000}
here=$(cd "${top_srcdir:-.}/tests/bench" && pwd)

ms() { date +%s%3N; }
python3 "$here/gen_products.py" "$N" "$T/products.csv"
"$DUKA" --db "$DB" init >/dev/null
"$DUKA" --db "$DB" import products "$T/products.csv" >/dev/null
# Without users the till would first ask for the owner; a shop marked as a
# demo opens straight away, as duka demo's does.
db_val "INSERT OR REPLACE INTO shop_meta(key, value) VALUES ('demo', '1')"
echo "catalogue: $(db_val "SELECT count(*) FROM products") products"
# Every (N/S)th barcode, so that the scans spread over the catalogue.
db_val "SELECT code FROM barcodes ORDER BY code" |
	awk -v step=$((N / (S + 20))) 'NR % step == 0' | head -n $((S + 20)) \
	>"$T/codes"
tail -n 20 "$T/codes" >"$T/single"
head -n "$S" "$T/codes" >"$T/burst"

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"
t0=$(ms)
split -l 100 "$T/burst" "$T/chunk."
for f in "$T"/chunk.*; do
	# shellcheck disable=SC2046
	tui_scan $(cat "$f")
done
tui_wait "Lines $S " 120
t1=$(ms)
echo "burst: $S scans in $((t1 - t0)) ms: $(((t1 - t0) * 1000 / S)) µs a scan"

total=0
i=$S
while read -r code; do
	i=$((i + 1))
	t0=$(ms)
	tui_scan "$code"
	_tui_poll 10 _tui_has "Lines $i " || break
	t1=$(ms)
	total=$((total + t1 - t0))
done <"$T/single"
echo "single scans: 20 in $total ms: $((total * 1000 / 20)) µs from scan to screen (with capture-pane)"
tui_stop
finish
