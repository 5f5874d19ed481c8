#!/bin/sh
# run.sh - make bench: generate data, run the benchmarks, print figures.
# Figures only: nothing here fails because something was slow. Set
# BENCH_PRODUCTS to change the catalogue size (default 100000).
set -eu
: "${DUKA:?}" "${top_srcdir:?}"
N=${BENCH_PRODUCTS:-100000}
B=$(mktemp -d "${TMPDIR:-/tmp}/duka-bench-XXXXXX")
trap 'rm -rf "$B"' EXIT
here=$(cd "$top_srcdir/tests/bench" && pwd)

echo "== duka benchmarks on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "== catalogue: $N generated products with one EAN-13 barcode each"
python3 "$here/gen_products.py" "$N" "$B/products.csv"
printf 'products.csv: %s bytes\n' "$(wc -c <"$B/products.csv")"

echo "== CSV import"
"$DUKA" --db "$B/shop.db" init >/dev/null
duka_fig=$(python3 "$here/measure.py" "$DUKA" --db "$B/shop.db" import products "$B/products.csv")
echo "duka import products:       $duka_fig"
sqlite_fig=$(python3 "$here/measure.py" sqlite3 "$B/bare.db" ".import --csv $B/products.csv bare")
echo "sqlite3 .import (bare table): $sqlite_fig"
"$DUKA" --db "$B/floor.db" init >/dev/null
floor_fig=$(cd "$B" && python3 "$here/measure.py" sh -c "sqlite3 floor.db < '$here/floor.sql'")
echo "bulk SQL into duka's schema: $floor_fig"
d=$(echo "$duka_fig" | sed 's/wall_ms=\([0-9]*\).*/\1/')
s=$(echo "$sqlite_fig" | sed 's/wall_ms=\([0-9]*\).*/\1/')
[ "$s" -gt 0 ] && echo "ratio duka/sqlite3: $((d * 100 / s / 100)).$(printf %02d $((d * 100 / s % 100)))"
echo "imported: $(sqlite3 "$B/shop.db" 'SELECT count(*) FROM products') products"

echo "== lookup and search"
for prog in "$@"; do
	case "$prog" in
	*bench_catalog) "./$prog" "$B/shop.db" ;;
	*) "./$prog" ;;
	esac
done

echo "== sync: a backlog drained to duka-hub on loopback"
top_builddir=. sh "$here/bench_sync.sh" || echo "bench_sync.sh failed"

echo "== till screen: scan to screen through a terminal, 100,000 products"
sh "$here/bench_tui.sh" "$B/products.csv" || echo "bench_tui.sh failed"
