# pg.sh - a throwaway PostgreSQL cluster and duka-hub for the tests.
# Sourced (POSIX sh) by tests/hub*.sh and by every integration test that
# needs a hub. Source tests/lib.sh first if you use it: this file replaces
# its EXIT trap with one that also removes lib.sh's "$T".
#
#   pg_start          initdb + start a private cluster in a temporary folder,
#                     listening only on a unix socket there. Exports
#                     DUKA_HUB_DB (libpq conninfo), PGHOST, PGPORT, PGUSER,
#                     PGDATABASE (so psql works as is) and PGT (the folder).
#                     Returns 1 with PG_SKIP_REASON set when PostgreSQL is not
#                     installed or does not start; use it as
#                       pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 77; }
#                     As root, the cluster runs as user `nobody` (PostgreSQL
#                     refuses root).
#   hub_init          duka-hub init-db on that cluster.
#   hub_start [ARGS]  start `duka-hub serve --listen 127.0.0.1:0 ARGS` (the
#                     kernel picks a free port), wait for GET /v1/health;
#                     exports HUB_URL (http://127.0.0.1:PORT) and HUB_PID.
#                     Its stderr (one line per request) goes to $HUB_LOG.
#   hub_add_shop CODE [NAME]
#                     creates a shop; exports SHOP (the code) and
#                     CALLBACK_KEY (its M-PESA callback key).
#   hub_add_till CODE [NAME]
#                     adds a till to shop CODE; exports TOKEN (its bearer
#                     token) and TILL (its numeric id).
#   hub_product CODE SKU NAME PRICE [duka-hub product set options...]
#                     sets a product of shop CODE in the hub's catalogue.
#   pq SQL            runs SQL with psql, unaligned, tuples only.
#   hub_stop          stops duka-hub (hub_start again to restart); sets
#                     HUB_STATUS to its exit status (99 when a sanitizer
#                     reported something in $HUB_LOG, which is shown).
#   pg_stop           stops duka-hub and PostgreSQL and deletes the folder;
#                     runs by itself at exit, also when a test fails.
#
# DUKA_HUB is the binary (default: ./duka-hub in the build folder).

: "${top_builddir:=.}"
: "${DUKA_HUB:=$(cd "$top_builddir" && pwd)/duka-hub}"
export DUKA_HUB
PGT=
HUB_PID=
HUB_URL=
PG_SKIP_REASON=
_pg_bin=
_pg_as=

_pg_cleanup() {
	hub_stop
	pg_stop
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}
trap '_pg_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Find initdb and pg_ctl: Debian keeps them out of PATH.
_pg_find() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			_pg_bin=$d
			return 0
		fi
	done
	d=$(command -v initdb 2>/dev/null) || return 1
	_pg_bin=$(dirname "$d")
	[ -x "$_pg_bin/pg_ctl" ]
}

# _pg_run CMD ARGS...: run a PostgreSQL program, as nobody when we are root.
_pg_run() {
	if [ -n "$_pg_as" ]; then
		if command -v setpriv >/dev/null 2>&1; then
			setpriv --reuid="$_pg_as" --regid="$(id -g "$_pg_as")" \
			    --clear-groups env HOME="$PGT" "$@"
		else
			runuser -u "$_pg_as" -- env HOME="$PGT" "$@"
		fi
	else
		"$@"
	fi
}

pg_start() {
	if ! _pg_find; then
		PG_SKIP_REASON="PostgreSQL's initdb and pg_ctl not found (Debian package postgresql)"
		return 1
	fi
	# A short path: a unix socket path must fit in 107 bytes.
	PGT=$(mktemp -d /tmp/duka-pg-XXXXXX) || {
		PG_SKIP_REASON="cannot create a temporary folder"; return 1; }
	mkdir -p "$PGT/data" "$PGT/run"
	_pg_as=
	if [ "$(id -u)" -eq 0 ]; then
		_pg_as=nobody
		chmod 755 "$PGT"
		chown "$_pg_as" "$PGT/data" "$PGT/run"
	fi
	chmod 700 "$PGT/data"
	if ! _pg_run "$_pg_bin/initdb" -D "$PGT/data" -U duka -A trust \
	    -E UTF8 --no-locale >"$PGT/initdb.log" 2>&1; then
		PG_SKIP_REASON="initdb failed: $(tail -3 "$PGT/initdb.log" | tr '\n' ' ')"
		return 1
	fi
	PGPORT=5432
	if ! _pg_run "$_pg_bin/pg_ctl" -D "$PGT/data" -l "$PGT/run/pg.log" -w \
	    -t 60 -o "-c listen_addresses= -c unix_socket_directories=$PGT/run -p $PGPORT -c fsync=off -c max_connections=60" \
	    start >"$PGT/pg_ctl.log" 2>&1; then
		PG_SKIP_REASON="PostgreSQL did not start: $(tail -3 "$PGT/run/pg.log" 2>/dev/null | tr '\n' ' ')"
		return 1
	fi
	PGHOST=$PGT/run PGUSER=duka PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE PGT
	DUKA_HUB_DB="host=$PGHOST port=$PGPORT user=duka dbname=postgres"
	export DUKA_HUB_DB
	HUB_LOG=$PGT/hub.log
	export HUB_LOG
	return 0
}

pg_stop() {
	[ -n "$PGT" ] || return 0
	if [ -f "$PGT/data/postmaster.pid" ]; then
		_pg_run "$_pg_bin/pg_ctl" -D "$PGT/data" -m immediate -w stop \
		    >/dev/null 2>&1
	fi
	rm -rf "$PGT"
	PGT=
}

pq() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

hub_init() { "$DUKA_HUB" init-db; }

hub_start() {
	local i port
	: >"$HUB_LOG"
	"$DUKA_HUB" serve --listen 127.0.0.1:0 "$@" 2>>"$HUB_LOG" &
	HUB_PID=$!
	i=0
	port=
	while [ $i -lt 200 ]; do
		port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' \
		    "$HUB_LOG" | head -1)
		[ -n "$port" ] && curl -fsS -m 2 "http://127.0.0.1:$port/v1/health" \
		    >/dev/null 2>&1 && break
		kill -0 "$HUB_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	if [ -z "$port" ] || ! kill -0 "$HUB_PID" 2>/dev/null; then
		echo "hub_start: duka-hub did not start: $(tail -5 "$HUB_LOG")" >&2
		HUB_PID=
		return 1
	fi
	HUB_URL=http://127.0.0.1:$port
	export HUB_URL HUB_PID
}

hub_stop() {
	[ -n "$HUB_PID" ] || return 0
	kill "$HUB_PID" 2>/dev/null
	wait "$HUB_PID" 2>/dev/null
	HUB_STATUS=$?
	HUB_PID=
	# A sanitizer build reports into the log: show it.
	grep -E 'Sanitizer|runtime error' "$HUB_LOG" >&2 && HUB_STATUS=99
	return 0
}

hub_add_shop() {
	"$DUKA_HUB" shop add "$1" --name "${2:-$1}" >"$PGT/shop.out" || return 1
	SHOP=$1
	CALLBACK_KEY=$(sed -n 's/^callback_key: //p' "$PGT/shop.out")
	export SHOP CALLBACK_KEY
}

hub_add_till() {
	TOKEN=$("$DUKA_HUB" till add --shop "$1" --name "${2:-till}") || return 1
	# The token is dk1.TILL.SECRET.
	TILL=$(echo "$TOKEN" | cut -d. -f2)
	export TOKEN TILL
}

hub_product() {
	local shop=$1 sku=$2 name=$3 price=$4
	shift 4
	"$DUKA_HUB" product set --shop "$shop" --sku "$sku" --name "$name" \
	    --price "$price" "$@"
}
