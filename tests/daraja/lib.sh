# lib.sh - helpers for the tests that run duka against the Daraja test
# server (tests/daraja/daraja_server.py). Source tests/lib.sh first.
#
#   start_server [PORT]  start the server (on PORT, else a free port);
#                        sets PORT and SRVPID
#   stop_server          stop it (also at exit: call it from your trap)
#   free_port            print a loopback port nobody listens on
#   conf NAME CALLBACK [HUB_URL HUB_TOKEN] [buygoods]
#                        write $T/NAME.conf (mode 0600) for the server on
#                        PORT with CALLBACK as CallBackURL; sets CONF
#   d ARGS...            run duka with $CONF and $DB (see lib.sh's run)
#   q SQL                one value from $DB
#   ctl JSON             change the server's configuration
#   srv PATH EXPR        evaluate a python expression on the JSON the
#                        server returns at PATH (bound to j)
#   pushes               how many STK Pushes the server accepted
#   check_eq NAME GOT WANT

PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: no $PY"; exit 77; }
SERVER="$top_srcdir/tests/daraja/daraja_server.py"
PASSKEY=bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919
export DUKA_MPESA_FAST=1
SRVPID=

stop_server() {
	if [ -n "$SRVPID" ]; then
		kill "$SRVPID" 2>/dev/null
		wait "$SRVPID" 2>/dev/null
		SRVPID=
	fi
}

start_server() {
	rm -f "$T/port"
	"$PY" "$SERVER" --port-file "$T/port" ${1:+--port "$1"} \
		2>>"$T/server.err" &
	SRVPID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	PORT=$(cat "$T/port")
}

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

conf() {
	f="$T/$1.conf"
	{
		printf '[till]\nid = T1\n[shop]\nname = Duka la Mama Njeri & Sons\n'
		printf '[mpesa]\nbase_url = http://127.0.0.1:%s\n' "$PORT"
		printf 'consumer_key = testkey\nconsumer_secret = testsecret\n'
		if [ "${5:-}" = buygoods ]; then
			printf 'short_code = 300584\ntill_number = 5544332\n'
			printf 'transaction_type = CustomerBuyGoodsOnline\n'
		else
			printf 'short_code = 174379\n'
		fi
		printf 'passkey = %s\ncallback_url = %s\ntimeout = 2\n' \
			"$PASSKEY" "$2"
		if [ -n "${3:-}" ]; then
			printf '[hub]\nurl = %s\ntoken = %s\n' "$3" "$4"
		fi
	} >"$f"
	chmod 600 "$f"
	CONF=$f
}

d() { run --config "$CONF" --db "$DB" "$@"; }
q() { sql "$DB" "$1"; }

ctl() {
	"$PY" - "$PORT" "$1" <<'EOF' >/dev/null
import sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/__test/config" % sys.argv[1],
    data=sys.argv[2].encode(), method="POST")
urllib.request.urlopen(req, timeout=5).read()
EOF
}

srv() {
	"$PY" - "$PORT" "$1" "$2" <<'EOF'
import json, sys, urllib.request
j = json.load(urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[2]), timeout=5))
print(eval(sys.argv[3]))
EOF
}

pushes() { srv /__test/pushes 'len(j)'; }

check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}
