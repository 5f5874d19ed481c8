#!/bin/sh
# users_lockout.sh - the login at the till: a wrong PIN and an unknown
# name get the same message; the fifth wrong PIN in a row locks the user
# (users.locked_until, a user.lock audit row) and then even the right PIN
# is refused, while another user still logs in; once the owner unlocks
# (duka user unlock), the right PIN works.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"
for u in "Mary manager 5678" "Otieno attendant 2468"; do
	set -- $u
	DUKA_PIN=1234 DUKA_NEW_PIN=$3 "$DUKA" --db "$DB" --user Wanjiru \
		user add "$1" --role "$2" >/dev/null 2>&1 ||
		fail "user $1" "duka user add failed"
done
otieno() {
	db_val "SELECT failed_attempts || '|' || coalesce(locked_until, '')
		FROM users WHERE name = 'Otieno'"
}
locks() {
	db_val "SELECT count(*) FROM audit_log WHERE action = 'user.lock'"
}

tui_start || { finish; exit 1; }
tui_expect "a shop with users asks for a login" "Log in"
tui_row 0 | grep -q "amina" &&
	fail "nobody is at the till before the login" "$(tui_row 0)" ||
	ok "nobody is at the till before the login"

# An unknown name: the same words as a wrong PIN.
tui_type Nobody
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_expect "an unknown name is refused" "wrong user name or PIN"

# Otieno's PIN wrong four times: refused, counted, not yet locked.
tui_keys C-u BTab C-u
tui_type Otieno
tui_keys Tab
for pin in 1111 2222 3333 4444; do
	tui_keys C-u
	tui_type $pin
	tui_keys Enter
	tui_wait "wrong user name or PIN"
	# the next key clears the message: wait for the counter instead
	n=0
	while [ "$(otieno | cut -d'|' -f1)" != "${want:=1}" ] && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	want=$((want + 1))
done
[ "$(otieno)" = "4|" ] && ok "four wrong PINs are counted" ||
	fail "four wrong PINs are counted" "$(otieno)"
[ "$(locks)" = 0 ] && ok "four do not lock" || fail "four do not lock" "$(locks)"

# The fifth locks.
tui_keys C-u
tui_type 5555
tui_keys Enter
tui_expect "the fifth wrong PIN locks" \
	"wrong PIN: Otieno is now locked for 15 minutes"
got=$(otieno)
case "$got" in
"0|2026-11-25T09:15:00"*) ok "locked_until is 15 minutes on" ;;
*) fail "locked_until is 15 minutes on" "$got" ;;
esac
got=$(db_val "SELECT user_name || '|' || detail FROM audit_log
	WHERE action = 'user.lock'")
case "$got" in
Otieno*) ok "the lock is in the audit trail" ;;
*) fail "the lock is in the audit trail" "$got" ;;
esac

# Locked: the right PIN is refused too, and nothing is reset.
tui_keys C-u
tui_type 2468
tui_keys Enter
tui_expect "the right PIN is refused while locked" \
	"Otieno is locked after too many wrong PINs"
tui_row 0 | grep -q Otieno &&
	fail "Otieno is not logged in" "$(tui_row 0)" ||
	ok "Otieno is not logged in"
case "$(otieno)" in
"0|2026-11-25T09:15:00"*) ok "still locked" ;;
*) fail "still locked" "$(otieno)" ;;
esac

# The owner unlocks from the command line; the form asks the database
# again on the next try.
DUKA_PIN=1234 "$DUKA" --db "$DB" --user Wanjiru user unlock Otieno \
	>/dev/null 2>&1 || fail "unlock" "duka user unlock failed"
[ "$(otieno)" = "0|" ] && ok "unlocked" || fail "unlocked" "$(otieno)"
tui_keys C-u
tui_type 2468
tui_keys Enter
tui_expect "after the unlock the right PIN logs in" "Welcome, Otieno."
tui_row 0 | grep -q Otieno && ok "Otieno is at the till" ||
	fail "Otieno is at the till" "$(tui_row 0)"
got=$(db_val "SELECT last_login_at FROM users WHERE name = 'Otieno'")
[ -n "$got" ] && ok "the login is noted" || fail "the login is noted" "empty"
tui_stop
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "duka check passes"
finish
