#!/bin/sh
# hub_ingest.sh [EVENTS] [PARALLEL] - how fast duka-hub takes events.
#
# Starts a throwaway PostgreSQL cluster and duka-hub on loopback
# (tests/hub/pg.sh), then POSTs EVENTS events (default 100000) in batches
# of 500 as a till sends them: 60% sale.completed (two lines, one
# payment), 40% stock.moved, each a fresh UUID. PARALLEL tills (default 4,
# each with its own token) post at the same time. Prints events/s for the
# whole run, then posts everything again to measure the duplicate path.
# A figure, never a pass/fail.
set -u
: "${top_srcdir:=$(dirname "$0")/../..}"
: "${top_builddir:=.}"
T=$(mktemp -d /tmp/duka-bench-XXXXXX)
. "$top_srcdir/tests/hub/pg.sh"

total=${1:-100000}
par=${2:-4}
batch=500
[ -x "$DUKA_HUB" ] || { echo "hub_ingest: build duka-hub first" >&2; exit 1; }
pg_start || { echo "hub_ingest: $PG_SKIP_REASON" >&2; exit 1; }
hub_init >/dev/null && hub_add_shop bench >/dev/null || exit 1
hub_start --threads "$par" || exit 1
for i in $(seq 1 "$par"); do
	hub_add_till bench "till$i" 2>/dev/null
	echo "$TOKEN" >"$T/token$i"
done

# One file per batch; file k goes to till (k mod PARALLEL).
nb=$(( (total + batch - 1) / batch ))
awk -v total="$total" -v batch="$batch" -v dir="$T" 'BEGIN {
	srand(7); n = 0
	for (b = 0; n < total; b++) {
		f = sprintf("%s/batch%05d.json", dir, b)
		printf "{\"till\":\"bench\",\"events\":[" > f
		for (i = 0; i < batch && n < total; i++) {
			n++
			id = sprintf("%08x-0000-7000-8000-%012d", 26000000 + b, n)
			if (i > 0) printf "," > f
			if (n % 5 < 3) {
				q = 1 + int(rand() * 3)
				printf "{\"id\":\"%s\",\"type\":\"sale.completed\",\"at\":\"2026-11-25T10:00:00.000Z\",\"data\":{\"sale_id\":%d,\"till\":\"1\",\"receipt_no\":%d,\"receipt\":\"1-%06d\",\"state\":\"completed\",\"at\":\"2026-11-25T10:00:00.000Z\",\"business_day\":\"2026-11-25\",\"user\":\"amina\",\"customer_id\":null,\"gross\":%d,\"discount\":0,\"total\":%d,\"vat\":%d,\"lines\":[{\"line_no\":1,\"product_id\":1,\"sku\":\"SUG1\",\"name\":\"Sugar 1kg\",\"qty\":%d,\"shelf_price\":15000,\"unit_price\":15000,\"discount\":0,\"amount\":%d,\"vat\":0,\"tax_class\":\"zero\",\"allocations\":[{\"batch_id\":3,\"qty\":%d,\"unit_cost\":12000}]},{\"line_no\":2,\"product_id\":2,\"sku\":\"MLK1\",\"name\":\"Milk 500ml\",\"qty\":1000,\"shelf_price\":6000,\"unit_price\":6000,\"discount\":0,\"amount\":6000,\"vat\":828,\"tax_class\":\"standard\",\"allocations\":[]}],\"payments\":[{\"payment_id\":%d,\"method\":\"cash\",\"state\":\"paid\",\"amount\":%d,\"change\":0,\"reference\":null}]}}", id, n, n, n, 15000*q+6000, 15000*q+6000, 828, q*1000, 15000*q, q*1000, n, 15000*q+6000 > f
			} else {
				printf "{\"id\":\"%s\",\"type\":\"stock.moved\",\"at\":\"2026-11-25T10:00:00.000Z\",\"data\":{\"movement_id\":%d,\"product_id\":1,\"sku\":\"SUG1\",\"batch_id\":3,\"qty\":24000,\"reason\":\"receive\",\"unit_cost\":12000,\"unit_price\":15000,\"reference\":\"DN-%d\",\"user\":\"amina\",\"note\":null,\"at\":\"2026-11-25T10:00:00.000Z\"}}", id, n, n > f
			}
		}
		printf "]}" > f
		close(f)
	}
}'
bytes=$(cat "$T"/batch*.json | wc -c)

# post_all: every batch file once, PARALLEL at a time; prints seconds.
post_all() {
	start=$(date +%s.%N)
	ls "$T"/batch*.json | awk -v p="$par" '{ print (NR % p) + 1, $0 }' |
	    xargs -P "$par" -n 2 sh -c 'curl -sf -o /dev/null -H "Authorization: Bearer $(cat '"$T"'/token$0)" --data-binary @"$1" '"$HUB_URL"'/v1/events || echo "hub_ingest: a POST failed" >&2'
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }'
}

secs=$(post_all)
stored=$(pq "SELECT count(*) FROM events")
echo "duka-hub ingest: $total events in $nb batches of $batch ($((bytes / 1024)) KiB), $par tills at once"
echo "$total $secs $stored" | awk '{ printf "  new events:       %.2f s, %d events/s (%d stored)\n", $2, $1 / $2, $3 }'
secs=$(post_all)
echo "$total $secs" | awk '{ printf "  repeats (dup):    %.2f s, %d events/s\n", $2, $1 / $2 }'
echo "  projected: $(pq "SELECT (SELECT count(*) FROM sales) || ' sales, ' || (SELECT count(*) FROM sale_lines) || ' lines, ' || (SELECT count(*) FROM payments) || ' payments, ' || (SELECT count(*) FROM stock_movements) || ' stock movements'")"
echo "  cpu: $(nproc) cores; PostgreSQL $(pq 'SHOW server_version') with fsync=off (a throwaway cluster)"
