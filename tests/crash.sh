#!/bin/sh
# crash.sh - the crash test of "make check" with 1000 kills instead of 200:
# a child commits sales in a loop and is killed with SIGKILL at random
# moments; after every kill the database must hold every sale whole or not
# at all, with gapless receipt numbers, and pass "duka check". Not part of
# "make check" (a few minutes). Run it from the build tree:
#
#	sh tests/crash.sh [KILLS]
#
# DUKA_CRASH_SEED picks another sequence of random choices; a failure keeps
# the database and names it; DUKA_CRASH_KEEP=1 keeps it after a pass too.
set -eu
top_builddir=${top_builddir:-.}
kills=${1:-${DUKA_CRASH_KILLS:-1000}}
prog=$top_builddir/tests/check_crash
if ! make -C "$top_builddir" -s tests/check_crash duka >/dev/null; then
	echo "crash.sh: cannot build tests/check_crash (is Check installed?)" >&2
	exit 1
fi
DUKA=${DUKA:-$(cd "$top_builddir" && pwd)/duka}
DUKA_CRASH_KILLS=$kills
export DUKA DUKA_CRASH_KILLS
exec "$prog"
