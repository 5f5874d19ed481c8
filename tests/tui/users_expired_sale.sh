#!/bin/sh
# users_expired_sale.sh - selling from an expired batch at the till: a
# quantity the good batches cover asks nothing; one that needs the expired
# batch is asked about before any money is taken (No leaves the sale
# open, nothing written), and for an attendant it needs a manager's PIN;
# approved, the sale takes the expired batch first and names the manager.
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
# Brookside yoghurt (85.00): 10 in a good batch, 2 in L26263C, expired on
# 2026-11-21 (the demo's data, checked here).
SKU=YOGHURT250ML
pid=$(db_val "SELECT id FROM products WHERE sku = '$SKU'")
got=$(db_val "SELECT group_concat(batch_no || ':' || qty_remaining, ' ')
	FROM (SELECT batch_no, qty_remaining FROM batches WHERE product_id =
	$pid AND qty_remaining > 0 ORDER BY expiry_date)")
[ "$got" = "L26263C:2000 L26307C:10000" ] && ok "the demo's yoghurt batches" ||
	fail "the demo's yoghurt batches" "$got"
sales() { db_val "SELECT count(*) FROM sales"; }
expired_left() {
	db_val "SELECT qty_remaining FROM batches WHERE batch_no = 'L26263C'
		AND product_id = $pid"
}
sales0=$(sales)

tui_start till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type Otieno
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_wait "Welcome, Otieno."
tui_type "brookside yoghurt straw"
tui_wait "$SKU"
tui_keys Enter
tui_wait "TOTAL KSh 85.00"

# --- 10: the good batch covers it, nothing asked ------------------------------
tui_type 10
tui_keys F3
tui_wait "TOTAL KSh 850.00"
tui_keys F2
tui_expect "ten are sold without a question" "Pay KSh 850.00"
tui_refute "no expired batch mentioned" "expired"
tui_keys Escape
tui_wait "Payment cancelled"

# --- 11: the expired batch is needed ------------------------------------------
tui_type 11
tui_keys F3
tui_wait "TOTAL KSh 935.00"
tui_keys F2
tui_expect "eleven need the expired batch: asked first" \
	"batch L26263C expired on 2026-11-21"
tui_expect "with the question" "Only an expired batch has this left"
tui_keys n
tui_expect "No leaves the sale open" "Not sold: the sale stays open"
[ "$(sales)" = "$sales0" ] && ok "No writes nothing" ||
	fail "No writes nothing" "a sale was written"
tui_keys F2
tui_wait "Only an expired batch has this left"
tui_keys y
tui_expect "an attendant needs a manager for it" \
	"A manager must approve selling an expired batch"
tui_keys Escape
tui_expect "cancelled: not approved" "Not approved"
[ "$(sales)" = "$sales0" ] && ok "not approved: nothing written" ||
	fail "not approved: nothing written" "a sale was written"
tui_keys F2
tui_wait "Only an expired batch has this left"
tui_keys y
tui_wait "A manager must approve selling an expired batch"
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_expect "approved: the payment follows" "Pay KSh 935.00"
tui_keys Enter
tui_wait "Cash received"
tui_keys Enter
tui_expect "the sale is made" "change KSh 0.00"
got=$(db_val "SELECT user_name || '|' || coalesce(approved_by, '') || '|' ||
	total FROM sales WHERE id = (SELECT max(id) FROM sales)")
[ "$got" = "Otieno|Mary|93500" ] && ok "the sale names Otieno and Mary" ||
	fail "the sale names Otieno and Mary" "$got"
[ "$(expired_left)" = 0 ] && ok "the expired batch went first" ||
	fail "the expired batch went first" "$(expired_left) left"
got=$(db_val "SELECT user_name || '|' || approved_by FROM audit_log
	WHERE action = 'sale.commit' ORDER BY id DESC LIMIT 1")
[ "$got" = "Otieno|Mary" ] && ok "the audit row names the approver" ||
	fail "the audit row names the approver" "$got"
tui_stop
DUKA_USER=Wanjiru DUKA_PIN=1234 db_check "duka check passes"
finish
