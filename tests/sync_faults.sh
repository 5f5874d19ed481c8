#!/bin/sh
# sync_faults.sh - the sync worker thread against a real duka-hub through
# tests/faultproxy.py, which breaks requests on a fixed schedule:
#   1. the hub is down while the worker starts; it comes back (on another
#      port behind the same proxy address) and the backlog is delivered
#      within seconds;
#   2. 10,000 events through connection resets, replies held past the
#      till's timeout, 500s, replies cut in half and replies lost after the
#      hub committed: afterwards the hub holds each event exactly once and
#      the till has nothing unsent.
# Skips (77) when duka-hub was not built or PostgreSQL is missing.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/hub/pg.sh"

DRIVE=${top_builddir:-.}/tests/sync_drive
PY=/usr/bin/python3
[ -x "$DUKA_HUB" ] || { echo "SKIP: duka-hub not built (--without-hub)"; exit 77; }
[ -x "$DRIVE" ] || { echo "SKIP: $DRIVE not built"; exit 77; }
[ -x "$PY" ] || { echo "SKIP: no $PY"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: psql not installed"; exit 77; }
pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 77; }
hub_init >/dev/null || { echo "hub_init failed"; exit 1; }
hub_start || exit 1
hub_add_shop s1 "Duka One" >/dev/null || exit 1
hub_add_till s1 "Till 1" 2>/dev/null || exit 1

PROXY_PID=
stop_proxy() { [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; PROXY_PID=; }
trap 'stop_proxy; _pg_cleanup' EXIT

echo ok >"$T/plan"
echo "$HUB_URL" >"$T/upstream"
"$PY" "${top_srcdir:-.}/tests/faultproxy.py" "$T/port" "$T/upstream" \
	"$T/plan" 1.5 >"$T/proxy.log" 2>&1 &
PROXY_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/port" ] || { echo "the proxy did not start: $(cat "$T/proxy.log")"; exit 1; }
PROXY=http://127.0.0.1:$(cat "$T/port")

CONF="$T/duka.conf"
printf '[till]\nid = T1\n[hub]\nurl = %s\ntoken = %s\ntimeout = 1\n' \
	"$PROXY" "$TOKEN" >"$CONF"
chmod 600 "$CONF"
DB="$T/shop.db"
"$DUKA" --db "$DB" init >/dev/null || exit 1

hub_events() { pq "SELECT count(*) || ' ' || count(DISTINCT id) FROM events WHERE till_id = $TILL"; }

# 1. Down, then back: delivery resumes within seconds.
"$DRIVE" fill "$DB" 2000 || exit 1
hub_stop
"$DRIVE" run "$DB" "$CONF" 60 >"$T/run1" 2>&1 &
run_pid=$!
sleep 3
kill -0 $run_pid 2>/dev/null && ok "nothing delivered while the hub is down" ||
	fail "nothing delivered while the hub is down" "$(cat "$T/run1")"
hub_start || exit 1
echo "$HUB_URL" >"$T/upstream"
back=$(date +%s%N)
wait $run_pid
rc=$?
done_ms=$((($(date +%s%N) - back) / 1000000))
[ $rc = 0 ] && ok "delivered once the hub is back" ||
	fail "delivered once the hub is back" "$(cat "$T/run1")"
[ $done_ms -lt 6000 ] && ok "resumed within seconds ($done_ms ms)" ||
	fail "resumed within seconds" "$done_ms ms"
[ "$(hub_events)" = "2000 2000" ] && ok "2000 events once" ||
	fail "2000 events once" "$(hub_events)"

# 2. 10,000 more events through every fault.
"$DRIVE" fill "$DB" 10000 || exit 1
echo "ok,reset,ok,lost,ok,500,ok,cut,ok,delay,ok,ok,reset,reset,lost,ok" >"$T/plan"
start=$(grep -c . "$T/proxy.log")
"$DRIVE" run "$DB" "$CONF" 120 >"$T/run2" 2>&1
rc=$?
[ $rc = 0 ] && ok "drained through the faults ($(cat "$T/run2"))" ||
	fail "drained through the faults" "$(cat "$T/run2"; tail -20 "$T/proxy.log")"
for f in reset lost 500 cut delay; do
	n=$(tail -n +$((start + 1)) "$T/proxy.log" | grep -c " $f ")
	[ "$n" -gt 0 ] && ok "fault $f injected ($n)" || fail "fault $f injected" "none"
done
[ "$(hub_events)" = "12000 12000" ] && ok "the hub holds each event once" ||
	fail "the hub holds each event once" "$(hub_events)"
n=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state <> 'sent'")
[ "$n" = 0 ] && ok "nothing unsent" || fail "nothing unsent" "$n"
t=$(sql "$DB" "SELECT sum(json_extract(data, '\$.qty')) FROM outbox")
h=$(pq "SELECT sum(qty) FROM stock_movements WHERE till_id = $TILL")
[ "$t" = "$h" ] && ok "stock movements equal ($t)" || fail "stock movements equal" "till $t hub $h"

finish
