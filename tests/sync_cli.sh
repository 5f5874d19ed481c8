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

# TLS: a hub whose certificate nobody vouches for is refused.
if command -v openssl >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
	/usr/bin/python3 - "$T" <<'PY' &
import http.server, ssl, sys
t = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = b'{"accepted": []}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(t + "/cert.pem", t + "/key.pem")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(t + "/tls.port.tmp", "w").write(str(srv.server_address[1]))
__import__("os").rename(t + "/tls.port.tmp", t + "/tls.port")
srv.timeout = 10
srv.handle_request()
srv.handle_request()
PY
	tls_pid=$!
	i=0
	while [ ! -s "$T/tls.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	printf '[hub]\nurl = https://127.0.0.1:%s\ntoken = dk1.1.x\ntimeout = 5\n' \
	    "$(cat "$T/tls.port")" >"$CONF"
	d sync --once
	expect "an untrusted certificate is refused" 1 "cannot be trusted"
	n=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
	[ "$n" = "$events" ] && ok "TLS failure marks nothing" ||
		fail "TLS failure marks nothing" "$n of $events"
	kill $tls_pid 2>/dev/null
	wait $tls_pid 2>/dev/null
	printf '[hub]\nurl = http://127.0.0.1:9\ntoken = dk1.1.x\ntimeout = 2\n' >"$CONF"
fi

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
