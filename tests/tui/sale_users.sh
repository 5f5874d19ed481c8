#!/bin/sh
# sale_users.sh - the sale screen in a shop with users: an attendant's sale
# past the discount limit asks for a manager's name and PIN before the
# payment (a wrong PIN is refused, Esc sells nothing) and records the
# manager as its approver; a refund, which attendants may not do alone,
# asks for the manager too.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

J2=6165025100105
dk() { "$DUKA" --db "$DB" "$@" >>"$T/setup.out" 2>&1 ||
	fail "setup: $*" "$(tail -3 "$T/setup.out")"; }
DUKA_NEW_PIN=1111 dk user add boss2 --role owner
DUKA_PIN=1111 DUKA_NEW_PIN=1111 dk --user boss2 user add boss --role manager
DUKA_PIN=1111 DUKA_NEW_PIN=2222 dk --user boss2 user add wanjiru --role attendant
DUKA_PIN=1111 dk --user boss2 shift open --float 1000
sales() { db_val "SELECT count(*) FROM sales"; }
# An approval pop-up: manager NAME and PIN.
approve() {
	tui_wait "A manager must approve"
	tui_type "$1"
	tui_keys Tab
	tui_type "$2"
	tui_keys Enter
}

tui_start till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type "wanjiru"
tui_keys Tab
tui_type "2222"
tui_keys Enter
tui_wait "Code or name"

tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F4
tui_wait "Discount on line 1"
tui_keys Enter
tui_wait "Amount or %"
tui_type "50%"
tui_keys Enter
tui_wait "TOTAL KSh 94.50"
n=$(sales)
tui_keys F2
tui_wait "A manager must approve"
tui_keys Escape
tui_expect "Esc: not approved" "Not approved"
[ "$(sales)" = "$n" ] && ok "nothing sold without the manager" ||
	fail "nothing sold without the manager" "$(sales)"
tui_keys F2
approve boss 9999
tui_expect "a wrong PIN is refused" "wrong user name or PIN"
tui_keys Up C-u
tui_type "boss"
tui_keys Tab C-u
tui_type "1111"
tui_keys Enter
tui_wait "Pay KSh 94.50"
tui_keys Enter Enter
tui_expect "the approved sale is done" "CHANGE KSh 0.00"
got=$(db_val "SELECT user_name || '/' || approved_by || '/' || total FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "wanjiru/boss/9450" ] && ok "the manager is the approver" ||
	fail "the manager is the approver" "$got"
no=$(db_val "SELECT receipt_no FROM sales WHERE id = (SELECT max(id) FROM sales)")

# A refund needs the manager.
tui_keys F7
tui_wait "Receipt number"
tui_type "$no"
tui_keys Enter
tui_wait "Refund of receipt"
tui_keys Space F2
tui_wait "Pay the refund back by"
tui_keys Enter
tui_wait "back on the shelf"
tui_keys Enter
tui_wait "paid back by Cash"
tui_keys y
approve boss 1111
tui_expect "the refund is done with the manager" "KSh 94.50 paid back"
got=$(db_val "SELECT kind || '/' || user_name FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "refund/wanjiru" ] && ok "the refund is written" ||
	fail "the refund is written" "$got"
tui_stop
finish
