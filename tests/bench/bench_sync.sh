#!/bin/sh
# bench_sync.sh - a backlog of events drained by the sync worker to a real
# duka-hub on loopback (PostgreSQL in a throwaway cluster): wall time, the
# hub's events per second, the till's peak RSS during the drain. Figures
# only; prints a SKIP line when duka-hub or PostgreSQL is missing.
# BENCH_SYNC_EVENTS changes the backlog (default 100000).
: "${top_srcdir:=.}" "${top_builddir:=.}"
N=${BENCH_SYNC_EVENTS:-100000}
DRIVE=$(cd "$top_builddir" && pwd)/tests/sync_drive
T=$(mktemp -d "${TMPDIR:-/tmp}/duka-bench-sync-XXXXXX")
. "$top_srcdir/tests/hub/pg.sh"

[ -x "$DUKA_HUB" ] || { echo "SKIP: duka-hub not built"; exit 0; }
[ -x "$DRIVE" ] || { echo "SKIP: $DRIVE not built"; exit 0; }
pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 0; }
hub_init >/dev/null && hub_start && hub_add_shop s1 >/dev/null &&
    hub_add_till s1 2>/dev/null || { echo "the hub did not start"; exit 1; }
printf '[till]\nid = T1\n[hub]\nurl = %s\ntoken = %s\n' "$HUB_URL" \
    "$TOKEN" >"$T/duka.conf"
chmod 600 "$T/duka.conf"
"$DUKA" --db "$T/shop.db" init >/dev/null || exit 1
t0=$(date +%s%N)
"$DRIVE" fill "$T/shop.db" "$N" || exit 1
echo "backlog: $N stock.moved events queued in $((($(date +%s%N) - t0) / 1000000)) ms" \
    "($(wc -c <"$T/shop.db") bytes of database)"
out=$("$DRIVE" run "$T/shop.db" "$T/duka.conf" 600)
echo "drain: $out"
ms=$(echo "$out" | sed -n 's/.*wall_ms=\([0-9]*\).*/\1/p')
[ -n "$ms" ] && [ "$ms" -gt 0 ] && echo "hub ingest: $((N * 1000 / ms)) events/s"
echo "hub holds: $(pq "SELECT count(*) FROM events") events," \
    "$(pq "SELECT count(*) FROM stock_movements") stock movements"
