#!/bin/sh
# bench_tui.sh - the till's sale screen with 100,000 products: time from a
# scan's keystrokes to the updated screen, through tmux and on a bare
# pseudo-terminal, and the till's memory. Figures only; never fails on time.
#
#     DUKA=./duka [BENCH_NICE=-10] sh tests/bench/bench_tui.sh [PRODUCTS.CSV]
#
# Run by `make bench` (tests/bench/run.sh passes its generated catalogue).
# Without a CSV it generates BENCH_PRODUCTS (100,000) products. The shop is
# the demo shop (so the till opens without a login) plus the catalogue;
# BENCH_SCANS (1,000) scans of distinct products spread over the catalogue
# go in sales of 50 lines, each voided when full; then 100 words are typed
# letter by letter into the as-you-type search. How the time is taken:
# tests/bench/tui_latency.py.
set -eu
: "${DUKA:=$(pwd)/duka}"
: "${top_srcdir:=.}"
here=$(cd "$top_srcdir/tests/bench" && pwd)
N=${BENCH_PRODUCTS:-100000}
S=${BENCH_SCANS:-1000}
B=$(mktemp -d "${TMPDIR:-/tmp}/duka-bench-tui-XXXXXX")
trap 'rm -rf "$B"' EXIT
export HOME="$B/home" XDG_CONFIG_HOME="$B/home/.config" \
	XDG_DATA_HOME="$B/home/.local/share" DUKA_SYSCONFDIR="$B/etc" \
	USER=bench
mkdir -p "$HOME" "$DUKA_SYSCONFDIR"

if ! command -v tmux >/dev/null 2>&1; then
	echo "till screen: no tmux, skipped"
	exit 0
fi
csv=${1:-}
if [ -z "$csv" ]; then
	csv="$B/products.csv"
	python3 "$here/gen_products.py" "$N" "$csv"
fi
"$DUKA" --db "$B/till.db" demo >/dev/null
"$DUKA" --db "$B/till.db" import products "$csv" >/dev/null
echo "till screen: $(sqlite3 "$B/till.db" 'SELECT count(*) FROM products') products, $S scans in sales of 50 lines"
# Distinct products spread evenly over the imported catalogue.
total=$(sqlite3 "$B/till.db" "SELECT count(*) FROM barcodes")
sqlite3 "$B/till.db" "SELECT b.code, p.price FROM barcodes b
	JOIN products p ON p.id = b.product_id ORDER BY b.code" |
	awk -v step=$((total / S)) 'NR % step == 0' | head -n "$S" >"$B/codes"

# 100 words to search for as one types: the first 3 to 5 letters of words
# of product names.
sqlite3 "$B/till.db" "SELECT name FROM products WHERE id % 499 = 0" |
	tr ' ' '\n' | grep -E '^[A-Za-z]{4,}$' |
	awk '{ print tolower(substr($0, 1, 3 + NR % 3)) }' | head -n 100 \
	>"$B/words"

# BENCH_NICE=-10 (as root) puts the till, tmux and the driver ahead of
# whatever else runs: a till alone on its machine.
nice=
[ -z "${BENCH_NICE:-}" ] || nice="nice -n $BENCH_NICE"
for mode in tmux pty; do
	$nice python3 "$here/tui_latency.py" "$mode" "$DUKA" "$B/till.db" \
	    "$B/codes" "$S" 50 "$B/words" ||
	    echo "till screen ($mode): could not be driven"
done
"$DUKA" --db "$B/till.db" check >/dev/null && echo "till screen: duka check passes afterwards" ||
    echo "till screen: duka check FAILED afterwards"
