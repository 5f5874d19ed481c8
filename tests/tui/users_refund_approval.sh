#!/bin/sh
# users_refund_approval.sh - a refund at the till by an attendant needs a
# manager's PIN: the attendant sells, then refunds with F7; the manager's
# pop-up opens. Cancelled, a wrong manager PIN, and an attendant's PIN
# ("cannot approve") change nothing; the manager's right PIN commits the
# refund, whose audit row names the manager as approver. The approval is
# spent on that one refund: the next one asks again. A manager at the
# till refunds without a pop-up.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"
for u in "Mary manager 5678" "Otieno attendant 2468" "Kamau attendant 1357"
do
	set -- $u
	DUKA_PIN=1234 DUKA_NEW_PIN=$3 "$DUKA" --db "$DB" --user Wanjiru \
		user add "$1" --role "$2" >/dev/null 2>&1 ||
		fail "user $1" "duka user add failed"
done
[ "$(db_val "SELECT group_concat(name || ':' || role, ' ') FROM
	(SELECT name, role FROM users ORDER BY id)")" = \
	"Wanjiru:owner Mary:manager Otieno:attendant Kamau:attendant" ] &&
	ok "the users are made with duka user add" ||
	fail "the users are made with duka user add" \
	"$(db_val "SELECT name, role FROM users")"
DUKA_PIN=2468 "$DUKA" --db "$DB" --user Otieno shift open --float 1000 \
	>/dev/null 2>&1 || fail "shift open" "duka shift open failed"
# Jogoo 2kg, KSh 189.00.
J2=6165025100105
stock() { db_val "SELECT stock_qty FROM products WHERE sku = 'JOGOO2KG'"; }
refunds() { db_val "SELECT count(*) FROM sales WHERE kind = 'refund'"; }
mary_wrong() {
	db_val "SELECT failed_attempts FROM users WHERE name = 'Mary'"
}

tui_start till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type Otieno
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_wait "Welcome, Otieno."

# --- Otieno sells two bags ---------------------------------------------------
tui_scan $J2 $J2
tui_wait "TOTAL KSh 378.00"
tui_keys F2
tui_wait "Pay KSh 378.00"
tui_keys Enter
tui_wait "Cash received"
tui_keys Enter
tui_expect "the attendant sells" "change KSh 0.00"
sale=$(db_val "SELECT max(id) FROM sales")
no=$(db_val "SELECT receipt_no FROM sales WHERE id = $sale")
receipt=$(db_val "SELECT printf('1-%06d', receipt_no) FROM sales
	WHERE id = $sale")
[ "$(db_val "SELECT user_name FROM sales WHERE id = $sale")" = Otieno ] &&
	ok "the sale is Otieno's" || fail "the sale is Otieno's" "$sale"
stock0=$(stock)
sales0=$(db_val "SELECT count(*) FROM sales")

# F7, one bag of line 1, cash, back on the shelf (or "damaged"),
# confirmed: up to the manager's pop-up.
refund_to_popup() {
	tui_keys F7
	tui_wait "Receipt number" || return 1
	tui_type "$no"
	tui_keys Enter
	tui_wait "Refund of receipt $receipt" || return 1
	tui_keys F3
	tui_wait "Take back of line 1" || return 1
	tui_keys C-u
	tui_type 1
	tui_keys Enter
	tui_wait_gone "Take back of line 1" || return 1
	tui_keys F2
	tui_wait "Pay the refund back by" || return 1
	tui_keys Enter
	tui_wait "The goods go back on the shelf" || return 1
	if [ "${1:-}" = damaged ]; then
		tui_keys Down Enter
	else
		tui_keys Enter
	fi
	tui_wait "paid back by Cash" || return 1
	tui_keys y
}
unchanged() {
	if [ "$(db_val "SELECT count(*) FROM sales")" = "$sales0" ] &&
	    [ "$(stock)" = "$stock0" ]; then
		ok "$1"
	else
		fail "$1" "sales $(db_val "SELECT count(*) FROM sales") (was \
$sales0), stock $(stock) (was $stock0)"
	fi
}

# --- cancelled -------------------------------------------------------------
refund_to_popup
tui_expect "a refund by an attendant asks for a manager" \
	"A manager must approve a refund"
tui_expect "the status line under the pop-up says why" \
	"a refund needs a manager's approval (Otieno is attendant)"
tui_keys Escape
tui_expect "cancelled: the refusal is shown" \
	"a refund needs a manager's approval (Otieno is attendant)"
unchanged "cancelled: nothing changes"

# --- a wrong manager PIN, an attendant's PIN -------------------------------
refund_to_popup
tui_wait "A manager must approve a refund"
tui_type Mary
tui_keys Tab
tui_type 9999
tui_keys Enter
tui_expect "a wrong manager PIN is refused" "wrong user name or PIN"
unchanged "a wrong PIN: nothing changes"
[ "$(mary_wrong)" = 1 ] && ok "the wrong PIN counts against Mary" ||
	fail "the wrong PIN counts against Mary" "$(mary_wrong)"
tui_keys C-u BTab C-u
tui_type Kamau
tui_keys Tab
tui_type 1357
tui_keys Enter
tui_expect "an attendant's PIN is refused: not a manager" \
	"Kamau is attendant and cannot approve a refund"
unchanged "an attendant's PIN: nothing changes"
# Nor may the attendant approve their own refund.
tui_keys C-u BTab C-u
tui_type Otieno
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_expect "the attendant cannot approve their own refund" \
	"Otieno is attendant and cannot approve a refund"
unchanged "their own PIN: nothing changes"
[ "$(db_val "SELECT count(*) FROM audit_log WHERE action = 'user.approve'")" \
	= 0 ] && ok "no approval was recorded" ||
	fail "no approval was recorded" "a user.approve row"

# --- Mary's PIN ---------------------------------------------------------------
tui_keys C-u BTab C-u
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_expect "the manager's PIN commits the refund" \
	"KSh 189.00 paid back for receipt $receipt"
got=$(db_val "SELECT kind || '|' || refund_of || '|' || total || '|' ||
	user_name || '|' || coalesce(approved_by, '') FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "refund|$sale|-18900|Otieno|Mary" ] &&
	ok "the refund sale exists, approved by Mary" ||
	fail "the refund sale exists, approved by Mary" "$got"
[ "$(stock)" = $((stock0 + 1000)) ] && ok "the bag is back in stock" ||
	fail "the bag is back in stock" "$stock0 -> $(stock)"
got=$(db_val "SELECT user_name || '|' || approved_by FROM audit_log
	WHERE action = 'sale.refund' ORDER BY id DESC LIMIT 1")
[ "$got" = "Otieno|Mary" ] && ok "the audit row names the approver" ||
	fail "the audit row names the approver" "$got"
got=$(db_val "SELECT user_name || '|' || detail FROM audit_log
	WHERE action = 'user.approve'")
[ "$got" = "Otieno|Mary for Otieno: refund" ] &&
	ok "the approval has its own audit row" ||
	fail "the approval has its own audit row" "$got"
[ "$(mary_wrong)" = 0 ] && ok "Mary's good PIN clears her count" ||
	fail "Mary's good PIN clears her count" "$(mary_wrong)"

# --- spent: the next refund asks again ---------------------------------------
sales0=$(db_val "SELECT count(*) FROM sales")
stock0=$(stock)
refund_to_popup
tui_expect "the approval was for one refund: the next asks again" \
	"A manager must approve a refund"
tui_keys Escape
tui_wait_gone "A manager must approve a refund"
unchanged "not approved again: nothing changes"

# --- Mary at the till refunds damaged goods without a pop-up ---------------
tui_keys F12
tui_wait "Switch user: log in"
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_wait "Welcome, Mary."
refund_to_popup damaged
tui_expect "a manager refunds herself" \
	"KSh 189.00 paid back for receipt $receipt"
got=$(db_val "SELECT kind || '|' || user_name || '|' ||
	coalesce(approved_by, '') FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "refund|Mary|" ] && ok "the refund is Mary's, no approver" ||
	fail "the refund is Mary's, no approver" "$got"
got=$(db_val "SELECT user_name || '|' || coalesce(approved_by, '')
	FROM audit_log WHERE action = 'sale.refund' ORDER BY id DESC LIMIT 1")
[ "$got" = "Mary|" ] && ok "her refund's audit row has no approver" ||
	fail "her refund's audit row has no approver" "$got"
[ "$(stock)" = "$stock0" ] && ok "damaged goods are not back in stock" ||
	fail "damaged goods are not back in stock" "$stock0 -> $(stock)"
[ "$(db_val "SELECT count(*) FROM audit_log WHERE action = 'user.approve'")" \
	= 1 ] && ok "no pop-up, no approval row" ||
	fail "no pop-up, no approval row" "more user.approve rows"
tui_stop
DUKA_USER=Wanjiru DUKA_PIN=1234 "$DUKA" --db "$DB" audit verify \
	>"$T/verify.out" 2>&1 && ok "the audit chain verifies" ||
	fail "the audit chain verifies" "$(head -c 400 "$T/verify.out")"
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "duka check passes"
finish
