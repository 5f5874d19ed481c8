#!/bin/sh
# dash_sync.sh - the home screen's sync part: a shop without a hub says
# it works alone; with a hub configured that does not answer, it says
# offline, how many events wait and how old the oldest is; the demo shop
# says it does not sync.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
TUI_NO_DEMO=1
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" init >/dev/null || fail "init" "duka init"
DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add amina --role owner >"$T/user.out" 2>&1 || fail "first owner" "$(cat "$T/user.out")"
DUKA_PIN=1234 "$DUKA" --db "$DB" --user amina product add --sku SUG1 \
	--name "Sugar 1kg" --price 150 >"$T/p.out" 2>&1 ||
	fail "a product" "$(cat "$T/p.out")"
unsent=$(db_val "SELECT count(*) FROM outbox")

login() {
	tui_wait "Log in" || return 1
	tui_type amina
	tui_keys Tab
	tui_type 1234
	tui_keys Enter
	tui_wait "Sync with the hub"
}

tui_start || { finish; exit 1; }
login || { finish; exit 1; }
tui_expect "no hub: works alone" "no hub set up (this till works alone)"
tui_stop

# A hub on a port where nothing listens (the config holds a token: 0600).
mkdir -p "$XDG_CONFIG_HOME/duka"
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
printf '[hub]\nurl = http://127.0.0.1:%s\ntoken = test-token\n' "$port" \
	>"$XDG_CONFIG_HOME/duka/duka.conf"
chmod 600 "$XDG_CONFIG_HOME/duka/duka.conf"
tui_start || { finish; exit 1; }
login || { finish; exit 1; }
tui_expect "offline, said" "offline: sales are kept and sent later" 20
tui_expect "the events waiting" "$unsent unsent, the oldest"
[ "$unsent" -gt 0 ] && ok "there was something to send ($unsent)" ||
	fail "there was something to send" "outbox empty"
tui_stop

# The demo shop never syncs, hub or not.
"$DUKA" demo --db "$T/demo.db" >/dev/null 2>&1 || fail "demo" "duka demo"
DB="$T/demo.db"
tui_start || { finish; exit 1; }
tui_wait "Sync with the hub"
tui_expect "the demo does not sync" "the demo shop does not sync"
tui_stop
finish
