# tests/tui/lib.sh - harness for the till screen's tests: duka runs in a
# detached tmux session on a private socket, the test types with send-keys
# and reads the screen with capture-pane, then asserts on the database.
#
# Source it from a test in tests/tui/ (POSIX sh):
#     . "${top_srcdir:-.}/tests/tui/lib.sh"
# It sources tests/lib.sh (ok, fail, run, expect, finish, a private HOME in
# $T), exits 77 (skipped) when tmux or sqlite3 is missing, and makes a fresh
# demo shop in $DB ($T/shop.db). Export DUKA_NOW before sourcing to pin the
# demo's clock; set TUI_NO_DEMO=1 to skip the demo shop (then make $DB
# yourself). Every wait polls; nothing sleeps a fixed time as an assertion.
# TUI_TIMEOUT (seconds, default 10) is how long a wait lasts.
#
#   tui_start [COLS ROWS] [DUKA ARGS...]
#       Start `duka --db $DB ARGS...` in a COLS×ROWS terminal (80×24 by
#       default; TERM=$TUI_TERM, default screen-256color; LANG=C.UTF-8 and
#       LC_ALL=$TUI_LC_ALL, default C.UTF-8) and wait until the screen is
#       drawn (the header, or the too-small message). Returns 1 (after
#       recording a failure) if it is not drawn. duka's pid is $tui_pid; its
#       stderr goes to $T/tui.stderr; its working folder is $T.
#   tui_keys KEY...     send-keys by tmux key name: F1 Escape Enter Tab Up
#                       BSpace DC (Delete) NPage C-l y ... (one call: the keys
#                       arrive together)
#   tui_type TEXT       type TEXT literally (send-keys -l)
#   tui_scan CODE...    a scanner: each CODE then Enter, all in one burst
#   tui_screen          print the screen (capture-pane -p)
#   tui_row N           print row N of the screen (0 is the header)
#   tui_wait TEXT [SECONDS]
#                       wait until TEXT (a fixed string) is on the screen;
#                       on timeout record a failure showing the screen and
#                       return 1
#   tui_wait_gone TEXT [SECONDS]
#                       wait until TEXT is no longer on the screen (the same)
#   tui_expect NAME TEXT [SECONDS]
#                       ok NAME when TEXT shows up within the timeout, else
#                       fail NAME with the screen
#   tui_refute NAME TEXT
#                       ok NAME if TEXT is not on the screen now (call it
#                       after a tui_wait for what the screen shows instead,
#                       or after tui_settle)
#   tui_settle [MS]     wait until the screen stops changing for MS (default
#                       300) milliseconds
#   tui_resize COLS ROWS
#                       resize the terminal and wait until the pane and its
#                       terminal have the new size (duka got SIGWINCH; the
#                       redraw follows: wait for it)
#   tui_size            print the pane's size as COLSxROWS
#   tui_alive           true while duka runs
#   tui_wait_exit [SECONDS]
#                       wait for duka to end; true if it did; its exit
#                       status is then in $tui_status
#   tui_stop            F10 and y, wait for duka to end (kill the session on
#                       timeout); records a failure when it does not end, or
#                       ends with a status other than 0 (stderr is shown);
#                       returns that status
#   tui_signal SIG      send SIG (TERM, HUP, ...) to duka
#   tui_term_restored NAME
#                       after duka ended: ok NAME if the terminal is back as
#                       it was (stty settings, the alternate screen left, the
#                       cursor shown, the shell's line visible again)
#   db_val SQL          print the result of SQL on $DB (sqlite3)
#   db_check NAME       ok NAME if `duka --db $DB check` passes
#   tui_tmux ARGS...    run tmux on the test's private server
#
# The EXIT trap kills the private tmux server (and with it duka) and removes
# $T, whatever happens.
#
# A new test goes into make check with "UI_TESTS += tests/tui/foo.sh" in the
# "tests: ui" block of Makefile.am. On a failure the log shows the screen
# and duka's stderr; `sh -x` on the test shows every step.

. "${top_srcdir:-.}/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "no tmux: skipped"
	exit 77
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "no sqlite3: skipped"
	exit 77
fi

: "${TUI_TIMEOUT:=10}"
# The terminal tmux emulates: its Home, End and F-keys are what tmux
# sends (xterm-256color expects other codes for Home and End).
: "${TUI_TERM:=screen-256color}"
: "${TUI_LC_ALL:=C.UTF-8}"
TUI_SOCKET="duka-$$"
TUI_SESSION=duka
DB="$T/shop.db"
tui_pid=
tui_status=
unset TMUX TMUX_PANE

# _tui_reap: wait a few seconds for duka and the pane's wrapper to end
# after a hang-up (duka parks a cart, the wrapper notes the status), then
# kill what is left.
_tui_reap() {
	_tc_wrapper=$(cat "$T/tui.wrapper.pid" 2>/dev/null)
	_tc_i=0
	while [ "$_tc_i" -lt 100 ]; do
		_tc_left=
		for _tc_p in $tui_pid $_tc_wrapper; do
			kill -0 "$_tc_p" 2>/dev/null && _tc_left=1
		done
		[ -z "$_tc_left" ] && break
		sleep 0.05 2>/dev/null || sleep 1
		_tc_i=$((_tc_i + 1))
	done
	for _tc_p in $tui_pid $_tc_wrapper; do
		kill -KILL "$_tc_p" 2>/dev/null
	done
}

tui_cleanup() {
	: >"$T/tui.release"
	tmux -L "$TUI_SOCKET" kill-server >/dev/null 2>&1
	_tui_reap
	rm -rf "$T"
}
trap 'tui_cleanup' EXIT
# A signal to the test itself still runs the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# No configuration but ours.
: >"$T/tmux.conf"

tui_tmux() {
	tmux -u -f "$T/tmux.conf" -L "$TUI_SOCKET" "$@"
}

# --- the demo shop ------------------------------------------------------

if [ -z "${TUI_NO_DEMO:-}" ]; then
	if ! "$DUKA" demo --db "$DB" >"$T/demo.out" 2>&1; then
		echo "duka demo failed:"
		cat "$T/demo.out"
		exit 99
	fi
fi

db_val() {
	sqlite3 "$DB" "$1"
}

db_check() {
	if "$DUKA" --db "$DB" check >"$T/check.out" 2>&1; then
		ok "$1"
	else
		fail "$1" "duka check: $(head -c 800 "$T/check.out")"
	fi
}

# --- waiting --------------------------------------------------------------

# Milliseconds since the epoch (GNU date), or seconds * 1000.
_tui_ms() {
	date +%s%3N 2>/dev/null | grep -E '^[0-9]+$' ||
		echo "$(($(date +%s) * 1000))"
}

_tui_nap() {
	sleep 0.05 2>/dev/null || sleep 1
}

tui_screen() {
	tui_tmux capture-pane -p -t "$TUI_SESSION" 2>/dev/null
}

tui_row() {
	tui_screen | sed -n "$(($1 + 1))p"
}

tui_size() {
	tui_tmux display-message -p -t "$TUI_SESSION" \
	    '#{pane_width}x#{pane_height}' 2>/dev/null
}

# _tui_poll SECONDS COMMAND...: run COMMAND until it succeeds or SECONDS
# pass. True if it succeeded.
_tui_poll() {
	_tp_end=$(($(_tui_ms) + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		[ "$(_tui_ms)" -ge "$_tp_end" ] && break
		_tui_nap
	done
	"$@"
}

_tui_has() {
	tui_screen >"$T/tui.screen"
	grep -qF -- "$1" "$T/tui.screen"
}

_tui_lacks() {
	! _tui_has "$1"
}

# The screen, indented, for a failure message; stderr too when there is any.
_tui_show() {
	echo
	echo "---- screen ($(tui_size)):"
	tui_screen | sed 's/^/| /'
	if [ -s "$T/tui.stderr" ]; then
		echo "---- duka's stderr:"
		head -c 2000 "$T/tui.stderr"
	fi
	if [ -n "$tui_pid" ] && ! kill -0 "$tui_pid" 2>/dev/null; then
		echo "---- duka is not running (status: $(cat "$T/tui.status" \
		    2>/dev/null || echo unknown))"
	fi
}

tui_wait() {
	_tui_poll "${2:-$TUI_TIMEOUT}" _tui_has "$1" && return 0
	fail "waiting for \"$1\"" "not on the screen after ${2:-$TUI_TIMEOUT} s$(_tui_show)"
	return 1
}

tui_wait_gone() {
	_tui_poll "${2:-$TUI_TIMEOUT}" _tui_lacks "$1" && return 0
	fail "waiting for \"$1\" to go" "still on the screen after ${2:-$TUI_TIMEOUT} s$(_tui_show)"
	return 1
}

tui_expect() {
	if _tui_poll "${3:-$TUI_TIMEOUT}" _tui_has "$2"; then
		ok "$1"
		return 0
	fi
	fail "$1" "no \"$2\" on the screen$(_tui_show)"
	return 1
}

tui_refute() {
	if _tui_has "$2"; then
		fail "$1" "\"$2\" is on the screen$(_tui_show)"
		return 1
	fi
	ok "$1"
}

tui_settle() {
	_ts_quiet=${1:-300}
	_ts_end=$(($(_tui_ms) + TUI_TIMEOUT * 1000))
	tui_screen >"$T/tui.settle"
	_ts_since=$(_tui_ms)
	while :; do
		_tui_nap
		_ts_now=$(_tui_ms)
		tui_screen >"$T/tui.settle.new"
		if cmp -s "$T/tui.settle" "$T/tui.settle.new"; then
			[ $((_ts_now - _ts_since)) -ge "$_ts_quiet" ] && return 0
		else
			mv "$T/tui.settle.new" "$T/tui.settle"
			_ts_since=$_ts_now
		fi
		[ "$_ts_now" -ge "$_ts_end" ] && return 1
	done
}

# --- starting and stopping ------------------------------------------------

# _tui_env_line NAME: an export line for NAME if it is set.
_tui_env_line() {
	eval "_te_set=\${$1+x}"
	[ -n "$_te_set" ] || return 0
	eval "_te_val=\${$1}"
	printf "export %s='%s'\n" "$1" \
	    "$(printf '%s' "$_te_val" | sed "s/'/'\\\\''/g")"
}

# The pane runs this: it records the terminal before and after, duka's pid
# and its exit status.
_tui_write_wrapper() {
	{
		echo '#!/bin/sh'
		for _tw in PATH HOME XDG_CONFIG_HOME XDG_DATA_HOME \
		    XDG_STATE_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR \
		    DUKA_SYSCONFDIR DUKA_NOW DUKA_LOCALEDIR LOCPATH LANGUAGE \
		    USER LOGNAME TZ ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS \
		    MALLOC_PERTURB_ ${TUI_ENV:-}; do
			_tui_env_line "$_tw"
		done
		printf "export TERM='%s' LANG=C.UTF-8 LC_ALL='%s'\n" \
		    "$TUI_TERM" "$TUI_LC_ALL"
		printf "TUI_TEST_PID=%s\n" "$$"
	} >"$T/tui.env"
	cat >"$T/tui-run.sh" <<'EOF'
#!/bin/sh
# tui-run.sh DIR DUKA ARGS...: run duka in the pane, note what happened.
d=$1
shift
echo $$ >"$d/tui.wrapper.pid"
. "$d/tui.env"
unset TMUX TMUX_PANE
# A ^C or a hang-up meant for duka must not end this wrapper first.
trap : INT QUIT HUP TERM
stty -g >"$d/tui.stty.before" 2>/dev/null
# Should the test die without cleaning up (SIGKILL), duka goes too.
(
	while kill -0 "$TUI_TEST_PID" 2>/dev/null; do
		sleep 1
	done
	[ -f "$d/tui.pid" ] && kill -TERM "$(cat "$d/tui.pid")" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
echo "tui-test: the shell before duka"
/bin/sh -c 'echo $$ >"$0/tui.pid.tmp" && mv "$0/tui.pid.tmp" "$0/tui.pid" &&
    exec "$@" 2>>"$0/tui.stderr"' "$d" "$@"
echo $? >"$d/tui.status.tmp"
stty -g >"$d/tui.stty.after" 2>/dev/null
mv "$d/tui.status.tmp" "$d/tui.status"
echo "tui-test: the shell after duka"
# Keep the terminal (and what it shows) while the test looks at it.
while [ ! -f "$d/tui.release" ] && kill -0 "$TUI_TEST_PID" 2>/dev/null; do
	sleep 0.1 2>/dev/null || sleep 1
done
EOF
}

tui_start() {
	_tui_cols=80
	_tui_rows=24
	case "${1:-}" in
	[0-9]*)
		_tui_cols=$1
		_tui_rows=$2
		shift 2
		;;
	esac
	: >"$T/tui.release"
	tui_tmux kill-session -t "$TUI_SESSION" >/dev/null 2>&1
	_tui_reap
	rm -f "$T/tui.release" "$T/tui.pid" "$T/tui.status" "$T/tui.stty.before" \
	    "$T/tui.stty.after" "$T/tui.wrapper.pid"
	: >"$T/tui.stderr"
	tui_pid=
	tui_status=
	_tui_write_wrapper
	if ! tui_tmux new-session -d -s "$TUI_SESSION" -x "$_tui_cols" \
	    -y "$_tui_rows" -c "$T" -- /bin/sh "$T/tui-run.sh" "$T" \
	    "$DUKA" --db "$DB" "$@"; then
		fail "tui_start" "tmux could not start a session"
		return 1
	fi
	# The size stays what we ask, with no client attached.
	tui_tmux set-option -t "$TUI_SESSION" window-size manual >/dev/null 2>&1
	tui_tmux resize-window -t "$TUI_SESSION" -x "$_tui_cols" \
	    -y "$_tui_rows" >/dev/null 2>&1
	if ! _tui_poll "$TUI_TIMEOUT" test -s "$T/tui.pid"; then
		fail "tui_start" "duka did not start$(_tui_show)"
		return 1
	fi
	tui_pid=$(cat "$T/tui.pid")
	# Drawn: the header (" duka · shop · screen") or, in a small
	# terminal, the message saying how large it must be.
	if ! _tui_poll "$TUI_TIMEOUT" _tui_drawn; then
		fail "tui_start" "the till screen was not drawn$(_tui_show)"
		return 1
	fi
	return 0
}

_tui_drawn() {
	tui_screen >"$T/tui.screen"
	head -n 1 "$T/tui.screen" | grep -q '^ duka · ' && return 0
	grep -q '[0-9]×[0-9]' "$T/tui.screen"
}

tui_keys() {
	tui_tmux send-keys -t "$TUI_SESSION" "$@"
}

tui_type() {
	tui_tmux send-keys -t "$TUI_SESSION" -l -- "$1"
}

tui_scan() {
	_tsc=
	for _tsc_code in "$@"; do
		_tsc="$_tsc $_tsc_code Enter"
	done
	# shellcheck disable=SC2086
	tui_tmux send-keys -t "$TUI_SESSION" $_tsc
}

# tmux resizes the pane's terminal (and so signals duka) a little after
# the pane, and after quick changes it can stay at a size in between: wait
# until the terminal itself has the size, and ask again if it lags.
tui_resize() {
	_tr_tty=$(tui_tmux display-message -p -t "$TUI_SESSION" \
	    '#{pane_tty}' 2>/dev/null)
	_tr_end=$(($(_tui_ms) + TUI_TIMEOUT * 1000))
	_tr_try=0
	while :; do
		tui_tmux resize-window -t "$TUI_SESSION" -x "$1" -y "$2" \
		    >/dev/null 2>&1
		_tui_poll 1 _tui_size_is "$1x$2" "$_tr_tty" && return 0
		[ "$(_tui_ms)" -ge "$_tr_end" ] && break
		# Nudge: another size first, then the one we want.
		_tr_try=$((_tr_try + 1))
		tui_tmux resize-window -t "$TUI_SESSION" -x "$(($1 + 1))" \
		    -y "$2" >/dev/null 2>&1
		_tui_poll 1 _tui_size_is "$(($1 + 1))x$2" "$_tr_tty"
	done
	fail "tui_resize $1 $2" "the pane is $(tui_size), its terminal $(stty -F "$_tr_tty" size 2>/dev/null) (rows cols)"
	return 1
}

# _tui_size_is COLSxROWS [TTY]: the pane, and the terminal TTY, have it.
_tui_size_is() {
	[ "$(tui_size)" = "$1" ] || return 1
	[ -z "${2:-}" ] || [ ! -e "$2" ] ||
	    [ "$(stty -F "$2" size 2>/dev/null)" = "${1#*x} ${1%x*}" ]
}

tui_alive() {
	[ -n "$tui_pid" ] && [ ! -f "$T/tui.status" ] &&
	    kill -0 "$tui_pid" 2>/dev/null
}

tui_wait_exit() {
	if _tui_poll "${1:-$TUI_TIMEOUT}" test -f "$T/tui.status"; then
		tui_status=$(cat "$T/tui.status")
		return 0
	fi
	return 1
}

tui_signal() {
	[ -n "$tui_pid" ] && kill -"$1" "$tui_pid"
}

tui_stop() {
	if [ ! -f "$T/tui.status" ]; then
		tui_keys F10
		# The question is a dialog: give it a moment to be up, then
		# answer (the answer typed early is read by it anyway).
		tui_keys y
	fi
	if ! tui_wait_exit; then
		fail "tui_stop" "duka did not end after F10 y$(_tui_show)"
		tui_tmux kill-session -t "$TUI_SESSION" >/dev/null 2>&1
		tui_status=timeout
		return 1
	fi
	if [ "$tui_status" != 0 ]; then
		fail "tui_stop" "duka ended with status $tui_status$(_tui_show)"
		return "$tui_status"
	fi
	return 0
}

tui_term_restored() {
	_tr_why=
	if [ ! -f "$T/tui.status" ]; then
		fail "$1" "duka is still running$(_tui_show)"
		return 1
	fi
	if ! cmp -s "$T/tui.stty.before" "$T/tui.stty.after"; then
		_tr_why="stty settings differ: before $(cat \
		    "$T/tui.stty.before"), after $(cat "$T/tui.stty.after")"
	fi
	_tr_flags=$(tui_tmux display-message -p -t "$TUI_SESSION" \
	    '#{alternate_on} #{cursor_flag}')
	case "$_tr_flags" in
	"0 1") ;;
	*) _tr_why="$_tr_why; alternate screen and cursor flags: $_tr_flags (want 0 1)" ;;
	esac
	if ! _tui_poll "$TUI_TIMEOUT" _tui_has "tui-test: the shell after duka"; then
		_tr_why="$_tr_why; the shell's lines are not back"
	fi
	if [ -n "$_tr_why" ]; then
		fail "$1" "$_tr_why$(_tui_show)"
		return 1
	fi
	ok "$1"
}
