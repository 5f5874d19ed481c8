#!/bin/sh
# sale_park.sh - park and resume on the sale screen: a parked cart leaves
# the screen and waits in the database; resuming it brings its lines back
# and removes the parked copy (the cart on screen is parked first); a
# parked cart can be thrown away (asked first); a cart on screen when duka
# is ended by SIGTERM is parked as "interrupted", and the next start says
# that parked carts wait.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

J2=6165025100105
J1=6165025100433
S2=6168993100917
parked() { db_val "SELECT count(*) FROM parked_carts $1"; }

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"
# Parking an empty cart: a message.
tui_keys F5
tui_expect "nothing to park" "no lines yet"

tui_scan $J2 $J2 $J1
tui_wait "TOTAL KSh 477.00"
tui_keys F5
tui_wait "Park this sale"
tui_type "mama mboga"
tui_keys Enter
tui_expect "parked" "Sale parked"
tui_expect "the screen is empty again" "TOTAL KSh 0.00"
[ "$(parked "WHERE label = 'mama mboga'")" = 1 ] &&
	ok "the parked cart is in the database" ||
	fail "the parked cart is in the database" "$(parked "")"

# Another customer, then back to the first: the second is parked.
tui_scan $S2
tui_wait "TOTAL KSh 175.00"
tui_keys F6
tui_wait "Parked sales"
tui_expect "the list shows the label" "mama mboga"
tui_keys Enter
tui_wait "Resume it"
tui_keys Enter
tui_wait "park it, and resume the other"
tui_keys y
tui_expect "the cart is back" "TOTAL KSh 477.00"
tui_expect "with its lines" "Jogoo Maize Meal 1kg"
[ "$(parked "WHERE label = 'mama mboga'")" = 0 ] &&
	ok "the resumed cart's parked row is gone" ||
	fail "the resumed cart's parked row is gone" "$(parked "")"
[ "$(parked "")" = 1 ] && ok "the other cart waits" ||
	fail "the other cart waits" "$(parked "")"

# Throw the other one away: asked first; No keeps it.
tui_keys F6
tui_wait "Parked sales"
tui_keys Enter
tui_wait "Throw it away"
tui_keys Down Enter
tui_wait "Its lines are lost"
tui_keys n
tui_wait_gone "Its lines are lost"
[ "$(parked "")" = 1 ] && ok "No keeps the parked cart" ||
	fail "No keeps the parked cart" "$(parked "")"
tui_keys F6
tui_wait "Parked sales"
tui_keys Enter
tui_wait "Throw it away"
tui_keys Down Enter
tui_wait "Its lines are lost"
tui_keys y
tui_expect "thrown away" "thrown away"
[ "$(parked "")" = 0 ] && ok "the parked cart is gone" ||
	fail "the parked cart is gone" "$(parked "")"

# SIGTERM with a cart on screen: parked as interrupted.
tui_signal TERM
if tui_wait_exit; then
	[ "$tui_status" != 0 ] && [ "$tui_status" != 143 ] &&
		fail "SIGTERM ends duka" "status $tui_status"
else
	fail "SIGTERM ends duka" "still running"
fi
got=$(db_val "SELECT label || '/' || user_name FROM parked_carts")
[ "$got" = "interrupted/amina" ] && ok "SIGTERM parks the cart" ||
	fail "SIGTERM parks the cart" "parked: $got"

tui_start till sale || { finish; exit 1; }
tui_expect "the start says that a parked sale waits" "1 parked sale waits"
tui_keys F6
tui_wait "interrupted"
tui_keys Enter
tui_wait "Resume it"
tui_keys Enter
tui_expect "the interrupted cart comes back" "TOTAL KSh 477.00"
tui_keys F11
tui_wait "Void the whole sale"
tui_keys y
tui_expect "F11 voids the whole sale" "Sale voided"
tui_stop
[ "$(parked "")" = 0 ] && ok "nothing parked at a clean quit" ||
	fail "nothing parked at a clean quit" "$(parked "")"
finish
