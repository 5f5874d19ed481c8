#!/bin/sh
# users_config_secret.sh - a configuration file that holds a secret ([hub]
# token, [mpesa] consumer_secret) and that others may read stops duka on a
# terminal before it draws anything: a message naming the file, the key and
# the fix, and a status other than 0. The same file with mode 0600 opens
# the till. Both for --config FILE and for the user's own duka.conf.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"

# plain_run ARGS...: duka --db $DB ARGS... in a terminal of its own (a
# second tmux session), its output left on the screen; waits for it to end
# and sets $plain_status.
plain_run() {
	rm -f "$T/plain.status" "$T/plain.release"
	tui_tmux kill-session -t plain >/dev/null 2>&1
	tui_tmux new-session -d -s plain -x 80 -y 24 -c "$T" -- /bin/sh -c '
		t=$1; shift
		"$@"
		echo $? >"$t/plain.status.tmp"
		mv "$t/plain.status.tmp" "$t/plain.status"
		while [ ! -f "$t/plain.release" ]; do sleep 0.1; done' \
	    sh "$T" "$DUKA" --db "$DB" "$@"
	if ! _tui_poll "$TUI_TIMEOUT" test -f "$T/plain.status"; then
		plain_status=timeout
		return 1
	fi
	plain_status=$(cat "$T/plain.status")
}
plain_screen() {
	tui_tmux capture-pane -p -J -t plain 2>/dev/null
}
plain_end() {
	: >"$T/plain.release"
	tui_tmux kill-session -t plain >/dev/null 2>&1
}

# refused NAME WANT ARGS...: duka ARGS... ends at once, not 0, with WANT
# on the screen and no till drawn.
refused() {
	_name=$1 _want=$2
	shift 2
	if ! plain_run "$@"; then
		fail "$_name" "duka did not end: $(plain_screen)"
	elif [ "$plain_status" = 0 ]; then
		fail "$_name" "status 0: $(plain_screen)"
	elif ! plain_screen | grep -qF -- "$_want"; then
		fail "$_name" "no \"$_want\" in: $(plain_screen)"
	elif plain_screen | grep -q '^ duka · '; then
		fail "$_name" "the till was drawn: $(plain_screen)"
	else
		ok "$_name"
	fi
	plain_end
}

# Log in as the owner, then close the till.
login_stop() {
	tui_type Wanjiru
	tui_keys Tab
	tui_type 1234
	tui_keys Enter
	tui_wait "Welcome, Wanjiru."
	tui_stop
}

# --- --config FILE ----------------------------------------------------------
cfg="$T/till.conf"
printf '[hub]\ntoken = s3cret-token\n' >"$cfg"
chmod 644 "$cfg"
refused "a world-readable [hub] token stops the till" \
	"holds a secret ([hub] token) but group or others may open it (mode 0644); run chmod 600" \
	--config "$cfg"
plain_run --config "$cfg"
plain_screen | grep -q "s3cret-token" &&
	fail "the secret is not shown" "$(plain_screen)" ||
	ok "the secret is not shown"
plain_end
printf '[mpesa]\nconsumer_secret = s3cret\n' >"$cfg"
chmod 640 "$cfg"
refused "a group-readable [mpesa] consumer_secret stops the till too" \
	"holds a secret ([mpesa] consumer_secret)" --config "$cfg" till

chmod 600 "$cfg"
tui_start --config "$cfg" || { finish; exit 1; }
tui_expect "mode 0600: the till opens" "Log in"
login_stop

# --- the user's own duka.conf -------------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/duka"
own="$XDG_CONFIG_HOME/duka/duka.conf"
printf '[hub]\ntoken = s3cret-token\n' >"$own"
chmod 604 "$own"
refused "the user's own duka.conf is checked the same way" \
	"holds a secret ([hub] token)"
chmod 600 "$own"
tui_start || { finish; exit 1; }
tui_expect "mode 0600: the till opens with it" "Log in"
login_stop
finish
