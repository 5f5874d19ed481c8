#!/bin/sh
# users_switch_idle.sh - who is at the till changes without losing the
# sale: F12 asks for a login (nobody is named meanwhile), a wrong PIN is
# refused, the next user takes over the same cart and the sale is theirs.
# With [ui] idle_timeout = 4 the till locks itself after four quiet
# seconds; the cart is still there after logging in again, and keys typed
# on the locked till do not reach the sale; Esc there closes the till and
# parks the cart. A dialog left open locks the till too and is there
# again after the login.
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
DUKA_PIN=2468 "$DUKA" --db "$DB" --user Otieno shift open --float 1000 \
	>/dev/null 2>&1 || fail "shift open" "duka shift open failed"
# Jogoo 2kg (189.00) and Jogoo 1kg (99.00).
J2=6165025100105
J1=6165025100433
sales0=$(db_val "SELECT count(*) FROM sales")

login() {
	tui_type "$1"
	tui_keys Tab
	tui_type "$2"
	tui_keys Enter
}

# --- F12: switch user ------------------------------------------------------
tui_start till sale || { finish; exit 1; }
tui_wait "Log in"
login Otieno 2468
tui_wait "Welcome, Otieno."
tui_scan $J2
tui_expect "Otieno rings up an item" "TOTAL KSh 189.00"
tui_keys F12
tui_expect "F12 asks who is next" "Switch user: log in"
tui_row 0 | grep -q Otieno &&
	fail "nobody is named while the till waits" "$(tui_row 0)" ||
	ok "nobody is named while the till waits"
login Mary 1111
tui_expect "a wrong PIN is refused" "wrong user name or PIN"
tui_keys C-u
tui_type 5678
tui_keys Enter
tui_expect "Mary is welcomed" "Welcome, Mary."
tui_row 0 | grep -q "Mary" && ok "the header names Mary" ||
	fail "the header names Mary" "$(tui_row 0)"
tui_expect "the cart is still there" "TOTAL KSh 189.00"
tui_scan $J1
tui_expect "Mary adds to it" "TOTAL KSh 288.00"
tui_keys F2
tui_wait "Pay KSh 288.00"
tui_keys Enter
tui_wait "Cash received"
tui_keys Enter
tui_expect "the sale is made" "change KSh 0.00"
got=$(db_val "SELECT user_name || '|' || total FROM sales WHERE id =
	(SELECT max(id) FROM sales)")
[ "$got" = "Mary|28800" ] && ok "the sale is Mary's" ||
	fail "the sale is Mary's" "$got"
tui_stop

# --- the idle lock ---------------------------------------------------------
cfg="$T/idle.conf"
printf '[ui]\nidle_timeout = 4\n' >"$cfg"
tui_start --config "$cfg" till sale || { finish; exit 1; }
tui_wait "Log in"
login Otieno 2468
tui_wait "Welcome, Otieno."
tui_scan $J1 $J1
tui_expect "two items rung up" "TOTAL KSh 198.00"
t0=$(date +%s)
tui_expect "after four quiet seconds the till locks" \
	"Locked after a pause: log in" 12
t1=$(date +%s)
[ $((t1 - t0)) -ge 1 ] && ok "not before the pause" ||
	fail "not before the pause" "locked after $((t1 - t0)) s"
tui_row 0 | grep -q Otieno &&
	fail "nobody is named while locked" "$(tui_row 0)" ||
	ok "nobody is named while locked"
# Keys typed on the locked till go to the login form, not to the sale.
sales1=$(db_val "SELECT count(*) FROM sales")
tui_keys F2
tui_settle
tui_refute "F2 on the locked till does not pay" "Pay KSh"
login Otieno 2468
tui_expect "logged in again" "Welcome, Otieno."
tui_expect "the cart is still there after the lock" "TOTAL KSh 198.00"
[ "$(db_val "SELECT count(*) FROM sales")" = "$sales1" ] &&
	ok "nothing was sold while locked" ||
	fail "nothing was sold while locked" "a sale was written"
# Typing in a dialog is not a pause: keys 1.2 s apart for 4.8 s in the
# quantity prompt, and the till is not locked when it closes. (The
# timeout is 4 s so that a slow CI machine keeps a margin of seconds.)
tui_keys F3
tui_wait "Quantity of line 1"
tui_keys C-u
for d in 1 2 3 4; do
	sleep 1.2
	tui_type "$d"
done
tui_keys C-u
tui_type 2
tui_refute "no lock while typing in a dialog" "Locked after a pause"
tui_keys Enter
tui_wait_gone "Quantity of line 1"
sleep 1.3
tui_refute "nor the moment it closes" "Locked after a pause"
# And it locks again after the next pause, then Mary may take over.
tui_expect "it locks again" "Locked after a pause: log in" 12
login Mary 5678
tui_expect "Mary logs in at the locked till" "Welcome, Mary."
tui_expect "and finds the cart" "TOTAL KSh 198.00"
# A dialog left open locks too, and is still open after the login.
tui_keys F2
tui_wait "Pay KSh 198.00"
tui_expect "a dialog left open locks as well" "Locked after a pause: log in" 12
tui_row 0 | grep -q Mary &&
	fail "nobody is named while locked over a dialog" "$(tui_row 0)" ||
	ok "nobody is named while locked over a dialog"
login Mary 5678
tui_wait "Welcome, Mary."
tui_expect "the payment dialog is back" "Pay KSh 198.00"
tui_keys Escape
tui_expect "and closes as before" "Payment cancelled"
# Esc at the locked till closes it; the unfinished cart is parked.
parked0=$(db_val "SELECT count(*) FROM parked_carts")
tui_expect "locked once more" "Locked after a pause: log in" 12
tui_keys Escape
if tui_wait_exit; then
	[ "$tui_status" = 0 ] && ok "Esc at the locked till closes it" ||
		fail "Esc at the locked till closes it" "status $tui_status"
else
	fail "Esc at the locked till closes it" "duka still runs"
fi
[ "$(db_val "SELECT count(*) FROM parked_carts")" = $((parked0 + 1)) ] &&
	ok "the cart is parked" ||
	fail "the cart is parked" "$(db_val "SELECT * FROM parked_carts")"
[ "$(db_val "SELECT count(*) FROM sales")" = $((sales0 + 1)) ] &&
	ok "one sale in all" ||
	fail "one sale in all" "$(db_val "SELECT count(*) FROM sales") - $sales0"
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "duka check passes"
finish
