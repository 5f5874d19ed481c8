#!/bin/sh
# stock_approval.sh - with users, an attendant at the stock and products
# screens: receiving stock and deactivating a product need a manager, so
# the screen asks for one (name and PIN) and tries again. A wrong PIN, a
# refused attendant and a cancelled pop-up change nothing; the manager's
# approval is recorded in the audit row of the action.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
. "${top_srcdir:-.}/tests/tui/lib.sh"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"
for u in "Mary manager 5678" "Otieno attendant 2468" "Kamau attendant 1357"; do
	set -- $u
	DUKA_PIN=1234 DUKA_NEW_PIN=$3 "$DUKA" --db "$DB" --user Wanjiru \
		user add "$1" --role "$2" >/dev/null 2>&1 ||
		fail "user $1" "duka user add failed"
done
SKU=MUMIAS1KG
pid=$(db_val "SELECT id FROM products WHERE sku = '$SKU'")
state() {
	db_val "SELECT (SELECT count(*) FROM batches) || '/' ||
		(SELECT count(*) FROM stock_movements) || '/' ||
		(SELECT stock_qty || ',' || active FROM products WHERE id = $pid)"
}

tui_start till stock || { finish; exit 1; }
tui_wait "Log in"
tui_type Otieno
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_wait "Otieno"
tui_wait "Scan a product"
tui_type "mumias sugar 1kg"
tui_wait "$SKU"
tui_keys Enter
tui_wait "(SKU $SKU)"

# --- receive: the pop-up; cancelled, a wrong PIN, an attendant, then Mary ----
before=$(state)
tui_keys F2
tui_wait "Receive Mumias"
tui_type 5
tui_keys F2
tui_expect "receiving asks for a manager" "A manager must approve"
tui_keys Escape
tui_expect "a cancelled approval keeps the form, with why" \
	"needs a manager's approval (Otieno is attendant)"
[ "$(state)" = "$before" ] && ok "cancelled: nothing received" ||
	fail "cancelled: nothing received" "$before -> $(state)"
tui_keys F2
tui_wait "A manager must approve"
tui_type Mary
tui_keys Tab
tui_type 9999
tui_keys Enter
tui_expect "a wrong PIN is refused" "name or PIN"
tui_keys C-u BTab C-u
tui_type Kamau
tui_keys Tab
tui_type 1357
tui_keys Enter
tui_expect "an attendant cannot approve" "Kamau is attendant and cannot approve"
[ "$(state)" = "$before" ] && ok "refused approvals: nothing received" ||
	fail "refused approvals: nothing received" "$before -> $(state)"
tui_keys C-u BTab C-u
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_expect "Mary's approval receives" "received 5 piece into batch"
got=$(db_val "SELECT user_name || '/' || approved_by FROM audit_log WHERE
	action = 'stock.receive' ORDER BY id DESC LIMIT 1")
[ "$got" = "Otieno/Mary" ] && ok "the audit row names the approver" ||
	fail "the audit row names the approver" "$got"
[ "$(db_val "SELECT stock_qty FROM products WHERE id = $pid")" = \
	"$(( $(echo "$before" | cut -d/ -f3 | cut -d, -f1) + 5000 ))" ] &&
	ok "stock up by 5" || fail "stock up by 5" "$(state)"

# --- the approval is used once: the next receive asks again ------------------
tui_keys F2
tui_wait "Receive Mumias"
tui_type 1
tui_keys F2
tui_expect "the next action asks again" "A manager must approve"
tui_keys Escape
tui_wait "Receive Mumias"
tui_keys Escape
tui_wait_gone "Receive Mumias"

# --- products: deactivating needs a manager too -------------------------------
tui_keys F7
tui_wait "Search:"
tui_wait "$SKU"
before=$(state)
tui_keys F5
tui_wait "Deactivate Mumias"
tui_keys y
tui_expect "deactivating asks for a manager" "A manager must approve"
tui_keys Escape
tui_wait_gone "A manager must approve"
[ "$(state)" = "$before" ] && ok "not approved: still active" ||
	fail "not approved: still active" "$before -> $(state)"
tui_keys F5
tui_wait "Deactivate Mumias"
tui_keys y
tui_wait "A manager must approve"
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_expect "approved: deactivated" "is deactivated"
[ "$(db_val "SELECT active FROM products WHERE id = $pid")" = 0 ] &&
	ok "inactive in the database" || fail "inactive in the database" "active"

tui_stop
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "duka check passes after approvals"
finish
