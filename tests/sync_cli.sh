#!/bin/sh
# sync_cli.sh - duka sync without a hub: usage errors, no hub configured,
# the demo shop, a hub that cannot be reached (nothing marked, status
# offline), --status on a fresh database, rejected events listed with
# their reasons. Needs no PostgreSQL.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
CONF="$T/duka.conf"
d() { run --db "$DB" --config "$CONF" "$@"; }
: >"$CONF"
chmod 600 "$CONF"

d init
expect "init" 0
d sync
expect "no mode" 2 "--once or --status"
d sync --once --status
expect "two modes" 2 "--once or --status"
d sync --sideways
expect "unknown argument" 2 "--sideways"
d sync --help
expect "help" 0 "duka sync --once"
d sync --status
expect "status, nothing configured" 0 "not configured"
grep -qF "no attempt yet" "$T/out" && ok "status: no attempt yet" ||
	fail "status: no attempt yet" "$(cat "$T/out")"
d sync --once
expect "once, nothing configured" 7 "no hub is configured"

d product add --sku SUG1 --name "Sugar 1kg" --price 210
expect "add a product" 0
events=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
[ "$events" -gt 0 ] && ok "events queued ($events)" || fail "events queued" "$events"

# A hub nobody answers for.
printf '[hub]\nurl = http://127.0.0.1:9\ntoken = dk1.1.x\ntimeout = 2\n' >"$CONF"
d sync --once
expect "unreachable" 1 "cannot be reached"
n=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
[ "$n" = "$events" ] && ok "nothing marked" || fail "nothing marked" "$n of $events"
d sync --status
expect "status offline" 0 "offline"
grep -qF "last error: " "$T/out" && ok "status: last error" ||
	fail "status: last error" "$(cat "$T/out")"

# Rejected events are listed with the hub's reason.
sql "$DB" "UPDATE outbox SET state = 'rejected', last_error = 'HTTP 422: unknown sku' WHERE seq = (SELECT min(seq) FROM outbox)"
d sync --status
expect "status lists rejected" 0 "HTTP 422: unknown sku"
grep -qF "rejected:   1" "$T/out" && ok "status counts rejected" ||
	fail "status counts rejected" "$(cat "$T/out")"

# The demo shop never syncs.
run --db "$T/demo.db" --config "$CONF" demo >/dev/null
run --db "$T/demo.db" --config "$CONF" sync --once
expect "demo never syncs" 3 "demo shop"
run --db "$T/demo.db" --config "$CONF" sync --status
expect "demo status" 0 "demo shop"

finish
