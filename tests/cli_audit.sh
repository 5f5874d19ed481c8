#!/bin/sh
# cli_audit.sh - duka audit show|verify|alerts through the real binary: the
# trail of a day's work, filters, and a row changed, deleted or inserted
# with sqlite3 (triggers dropped first, as an attacker would), each named by
# "duka audit verify" with exit status 5.
. "${top_srcdir:-.}/tests/lib.sh"

export DUKA_TEST_CHEAP_PIN_HASH=1
unset DUKA_USER DUKA_PIN DUKA_APPROVER_PIN DUKA_NEW_PIN
DB="$T/shop.db"
as() { n=$1 p=$2; shift 2; DUKA_PIN=$p run --db "$DB" --user "$n" "$@"; }
boss() { as Wanjiru 1234 "$@"; }

run --db "$DB" init
expect "init" 0
DUKA_NEW_PIN=1234 run --db "$DB" user add Wanjiru --role owner
expect "owner" 0
DUKA_NEW_PIN=5678 boss user add Mary --role manager
expect "manager" 0
DUKA_NEW_PIN=2468 boss user add Otieno --role attendant
expect "attendant" 0
export DUKA_NOW=2026-06-15T06:00:00Z
boss product add --sku UNGA --name "Jogoo 2kg" --price 189
expect "product" 0
boss product edit UNGA --price 199
expect "price change" 0
boss stock receive UNGA 50
expect "stock" 0
boss shift open --float 1000
expect "shift" 0
export DUKA_NOW=2026-06-16T09:00:00Z
for i in 1 2 3 4; do
	as Otieno 2468 sell UNGA --cash exact --quiet
done
expect "sales" 0
for i in 1 2 3; do
	DUKA_APPROVER_PIN=5678 as Otieno 2468 --approver Mary shift no-sale --reason change
done
expect "drawer openings" 0
for r in 1 2 3; do
	DUKA_APPROVER_PIN=5678 as Otieno 2468 --approver Mary refund "$r"
done
expect "refunds" 0
unset DUKA_NOW

boss audit show
expect "show" 0 "product.price"
grep -q "189.00 -> 199.00" "$T/out" && ok "a price change says before and after" || fail "price row" "$(grep price "$T/out")"
grep -q "approved by Mary" "$T/out" && ok "approvals shown" || fail "approved by" "$(cat "$T/out")"
boss audit show --user Otieno --action sale.
expect "show by user and action" 0 "sale.commit"
n=$(grep -c "sale\." "$T/out")
[ "$n" = 7 ] && ok "four sales and three refunds of Otieno" || fail "count" "$n: $(cat "$T/out")"
boss audit show --from 2026-06-16 --to 2026-06-16 --action shift.no_sale --format csv
expect "show a day as CSV" 0 "id,at,user,action"
[ "$(wc -l <"$T/out")" = 4 ] && ok "three drawer openings that day" || fail "csv" "$(cat "$T/out")"
boss audit show --to 2026-06-14
expect "show before anything" 0
[ ! -s "$T/out" ] && ok "nothing before the shop began" || fail "empty" "$(cat "$T/out")"
boss audit show --from 2026-06-17 --to 2026-06-16
expect "from after to refused" 3
boss audit show --from 2026-13-01
expect "a bad date refused" 3
boss audit show --colour red
expect "an unknown option" 2
as Otieno 2468 audit show
expect "an attendant cannot read the trail" 8
as Mary 5678 audit show --user Otieno
expect "a manager can" 0

boss audit alerts
expect "alerts" 0 "refunds"
grep -q "no-sale" "$T/out" && ok "drawer openings alert" || fail "no-sale" "$(cat "$T/out")"
boss audit alerts --max-refunds 4 --max-no-sale 4
expect "alerts with higher limits" 0 "No alerts."
boss audit alerts --shift 1 --max-voids 0
expect "a limit of 0 refused" 2

boss export -o "$T/books.xlsx"
expect "the owner exports" 0
kinds=$(/usr/bin/python3 -c '
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Alerts"]
print(" ".join(sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True))))
' "$T/books.xlsx" 2>&1)
[ "$kinds" = "no-sale refunds" ] && ok "the export's Alerts sheet" || fail "Alerts sheet" "$kinds"

boss audit verify
expect "verify intact" 0 "intact"
rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")

# The attacker's edits, each on a fresh copy.
cp "$DB" "$T/clean.db"
attack() {
	cp "$T/clean.db" "$DB"
	sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; $1"
}
attack "UPDATE audit_log SET detail = 'T1-000003' WHERE id = 12"
boss audit verify
expect "a changed row is found" 5 "row 12 was changed"
attack "DELETE FROM audit_log WHERE id = 10"
boss audit verify
expect "a deleted row is found" 5 "row 10 was removed"
attack "INSERT INTO audit_log(at, user_name, action, entity) VALUES ('2026-06-16T09:30:00.000Z', 'Mary', 'shift.pay_in', 'shift')"
boss audit verify
expect "an inserted row is found" 5 "row $((rows + 1)) was inserted out of turn"
attack "UPDATE audit_log SET approved_by = NULL WHERE approved_by = 'Mary'"
boss audit verify
expect "a removed approval is found" 5 "was changed"
cp "$T/clean.db" "$DB"
boss audit verify
expect "the clean copy still verifies" 0

finish
