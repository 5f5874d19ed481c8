# lib.sh - helpers for the shell tests that drive the real duka binary.
# Sourced by tests/*.sh; each test gets its own temporary HOME so that no
# real configuration or database is touched.

set -u
: "${DUKA:=$(pwd)/duka}"
: "${top_srcdir:=.}"
export LC_ALL=C.UTF-8

T=$(mktemp -d "${TMPDIR:-/tmp}/duka-sh-XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" \
	XDG_DATA_HOME="$T/home/.local/share" DUKA_SYSCONFDIR="$T/etc"
mkdir -p "$HOME" "$DUKA_SYSCONFDIR"
unset LANGUAGE LANG

passed=0
failed=0

# ok NAME: record a pass; fail NAME WHY: record a failure.
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1: $2"; }

# run ARGS...: run duka, keeping its stdout, stderr and status.
run() {
	"$DUKA" "$@" >"$T/out" 2>"$T/err"
	status=$?
}

# expect NAME STATUS [TEXT]: the last run exited STATUS and printed TEXT
# (a fixed string, on stdout or stderr).
expect() {
	name=$1 want=$2 text=${3:-}
	if [ "$status" != "$want" ]; then
		fail "$name" "exit status $status, wanted $want; stderr: $(head -c 400 "$T/err")"
		return
	fi
	if [ -n "$text" ] && ! grep -qF -- "$text" "$T/out" "$T/err"; then
		fail "$name" "no \"$text\" in: $(head -c 600 "$T/out" "$T/err")"
		return
	fi
	ok "$name"
}

# sql DB QUERY: one value from the database, through sqlite3.
sql() { sqlite3 "$1" "$2"; }

# finish: print the totals and exit non-zero if anything failed.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
