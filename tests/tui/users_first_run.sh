#!/bin/sh
# users_first_run.sh - the till on a new shop (duka init, no users) asks
# who owns it: giving up writes nothing; two PINs that differ, letters in
# the PIN, a PIN too short and an empty name are refused with a message
# and write nothing; then the owner is made (role owner, an Argon2id hash,
# the audit row) and logged in. The next start asks for a login instead,
# and a wrong PIN there is refused.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
TUI_NO_DEMO=1
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" init >/dev/null 2>&1 || fail "init" "duka init failed"
users() { db_val "SELECT count(*) FROM users"; }

# --- Esc on the first question: the till closes, nothing is written ----------
tui_start || { finish; exit 1; }
tui_expect "a new shop asks for its owner" "who owns this shop?"
tui_expect "the owner's name is asked" "Owner's name"
tui_expect "the PIN is asked twice" "PIN again"
tui_keys Escape
if tui_wait_exit; then
	[ "$tui_status" = 0 ] && ok "giving up closes the till" ||
		fail "giving up closes the till" "status $tui_status"
else
	fail "giving up closes the till" "duka still runs"
fi
[ "$(users)" = 0 ] && ok "giving up adds nobody" ||
	fail "giving up adds nobody" "$(users) users"

# --- bad answers ----------------------------------------------------------
tui_start || { finish; exit 1; }
tui_wait "who owns this shop?"
tui_type "Wanjiru Kamau"
tui_keys Tab
tui_type 1234
tui_keys Tab
tui_type 1235
tui_keys F2
tui_expect "PINs that differ are refused" "The two PINs differ"
[ "$(users)" = 0 ] && ok "differing PINs add nobody" ||
	fail "differing PINs add nobody" "$(users) users"
# The cursor stays in "PIN again": letters are refused as they are typed.
tui_type "a"
tui_expect "letters in a PIN are refused" "Only digits go here."
tui_screen | grep -q "PIN again  *\*\*\*\* " &&
	ok "the letter was not taken" ||
	fail "the letter was not taken" "$(tui_screen | grep 'PIN again')"
# A PIN of two digits: refused by the PIN's own check (which then has the
# cursor).
tui_keys BTab C-u
tui_type 12
tui_keys Tab C-u
tui_type 12
tui_keys F2
tui_expect "a short PIN is refused" "a PIN is 4 to 8 digits"
# No name: the form says so and has the cursor in the name.
tui_keys BTab C-u Tab C-u
tui_type 1234
tui_keys Tab C-u
tui_type 1234
tui_keys F2
tui_expect "an empty name is refused" "Owner's name: please fill this in."
[ "$(users)" = 0 ] && ok "refused answers add nobody" ||
	fail "refused answers add nobody" "$(users) users"

# --- the owner ------------------------------------------------------------
tui_type "Wanjiru Kamau"
tui_keys F2
tui_expect "the owner is welcomed" "Welcome, Wanjiru Kamau."
tui_row 0 | grep -q "Wanjiru Kamau" &&
	ok "the header names who is at the till" ||
	fail "the header names who is at the till" "$(tui_row 0)"
got=$(db_val "SELECT name || '|' || role || '|' || active || '|' ||
	(pin_hash LIKE '\$argon2id\$%') FROM users")
[ "$got" = "Wanjiru Kamau|owner|1|1" ] &&
	ok "an owner with an Argon2id PIN hash" ||
	fail "an owner with an Argon2id PIN hash" "$got"
db_val "SELECT pin_hash FROM users" | grep -q 1234 &&
	fail "the PIN is not stored" "the hash holds it" ||
	ok "the PIN is not stored"
[ "$(db_val "SELECT count(*) FROM audit_log WHERE action = 'user.add'
	AND detail LIKE 'Wanjiru Kamau owner%'")" = 1 ] &&
	ok "the audit trail has the new owner" ||
	fail "the audit trail has the new owner" \
	"$(db_val "SELECT action, detail FROM audit_log")"
tui_stop

# --- the next start logs in --------------------------------------------------
tui_start || { finish; exit 1; }
tui_expect "the next start asks for a login" "Log in"
tui_refute "and not for an owner again" "who owns this shop?"
tui_type "wanjiru kamau"
tui_keys Tab
tui_type 4321
tui_keys Enter
tui_expect "a wrong PIN is refused" "wrong user name or PIN"
tui_keys C-u
tui_type 1234
tui_keys Enter
tui_expect "the right PIN logs in (the name in any case)" \
	"Welcome, Wanjiru Kamau."
tui_stop
DUKA_USER="Wanjiru Kamau" DUKA_PIN=1234 db_check "duka check passes"
finish
