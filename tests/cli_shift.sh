#!/bin/sh
# cli_shift.sh - shifts through the real binary: open with a float, cash in
# and out, X and Z reports with sequential Z numbers, and bad input that
# must be refused without changing anything.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
export DUKA_NOW=2026-11-25T06:00:00Z USER=wanjiku
d() { run --db "$DB" "$@"; }
count() { sql "$DB" "SELECT count(*) FROM $1"; }
# state: every row a refused command could have touched.
state() {
	sql "$DB" "SELECT (SELECT count(*) FROM shifts), (SELECT count(*) FROM
		cash_movements), (SELECT count(*) FROM outbox), (SELECT count(*)
		FROM audit_log), (SELECT group_concat(coalesce(z_number, '-') ||
		state) FROM shifts)"
}
unchanged() {
	[ "$(state)" = "$1" ] && ok "$2 changed nothing" ||
		fail "$2 changed nothing" "$1 became $(state)"
}

run --db "$DB" init
expect "init" 0

for c in "" open x z pay-in pay-out no-sale; do
	d shift $c --help
	expect "duka shift $c --help" 0 "usage: duka shift"
done
d shift
expect "duka shift alone is a usage error" 2 "usage: duka shift"
d shift close
expect "unknown shift command" 2 "unknown command"

s0=$(state)
d shift x
expect "X without an open shift" 6 "open a shift first"
d shift z --counted 0
expect "Z without an open shift" 6 "open a shift first"
d shift pay-in 100 --reason "change"
expect "pay-in without an open shift" 6 "open a shift first"
d shift open
expect "open needs --float" 2 "--float"
d shift open --float -50
expect "negative float refused" 3 "negative"
d shift open --float 12.345
expect "three decimals refused" 3 ""
d shift open --float lots
expect "a float that is no amount refused" 3 ""
unchanged "$s0" "refused commands without a shift"

d shift open --float 5,000
expect "open with a float" 0 "KSh 5,000.00"
d shift open --float 100
expect "second open refused" 3 "already open"
grep -qF "2026-11-25T06:00:00" "$T/err" && ok "the refusal says when it opened" ||
	fail "the refusal says when it opened" "$(cat "$T/err")"
[ "$(sql "$DB" "SELECT opened_by || ' ' || float_cash FROM shifts")" = "wanjiku 500000" ] &&
	ok "shift row" || fail "shift row" "$(sql "$DB" "SELECT * FROM shifts")"

s1=$(state)
d shift pay-in 1000
expect "pay-in without --reason" 2 "--reason"
d shift pay-in 1000 --reason "   "
expect "pay-in with a blank reason" 3 "reason"
d shift pay-in 0 --reason float
expect "pay-in of 0 refused" 3 "more than 0"
d shift pay-out -5 --reason lunch
expect "negative pay-out refused" 3 "more than 0"
d shift pay-out --reason lunch
expect "pay-out without an amount" 2 "usage"
d shift no-sale
expect "no-sale without --reason" 2 "--reason"
d shift no-sale 100 --reason change
expect "no-sale takes no amount" 2 "usage"
d shift z
expect "Z needs --counted" 2 "--counted"
d shift z --counted -1
expect "negative count refused" 3 "negative"
d shift x --z 0
expect "bad Z number" 3 "Z report number"
d shift x --z 1
expect "no Z 1 yet" 6 "no Z report number 1"
unchanged "$s1" "refused commands on an open shift"

d shift pay-in 1,000 --reason "coins from the bank"
expect "pay-in" 0 "Paid in KSh 1,000.00"
d shift pay-out 250.50 --reason "paid the milk supplier"
expect "pay-out" 0 "Paid out KSh 250.50"
d shift no-sale --reason "customer wanted change"
expect "no-sale" 0 "Drawer opening recorded"
[ "$(count cash_movements)" = 3 ] && ok "three cash movements" ||
	fail "three cash movements" "$(count cash_movements)"

# A cash sale of 300.00 (written with SQL; the sale command comes later).
d product add --sku SUG1 --name "Mumias Sugar 1kg" --price 150
expect "a product to sell" 0
sqlite3 "$DB" "
INSERT INTO sales(till_id, receipt_no, kind, state, shift_id, cart_token,
	shelf_gross, gross, discount, total, vat, at, business_day)
	VALUES ('1', 1, 'sale', 'completed', 1, 't1', 30000, 30000, 0, 30000,
	4138, '2026-11-25T06:00:00.000Z', '2026-11-25');
INSERT INTO sale_lines(sale_id, line_no, product_id, sku, name, unit,
	tax_class, qty, shelf_price, unit_price, line_discount, sale_discount,
	amount, vat) VALUES (1, 1, 1, 'SUG1', 'Mumias Sugar 1kg', 'piece',
	'standard', 2000, 15000, 15000, 0, 0, 30000, 4138);
INSERT INTO payments(sale_id, method, state, amount, tendered, change_due,
	created_at, updated_at) VALUES (1, 'cash', 'paid', 30000, 50000, 20000,
	'2026-11-25T06:00:00.000Z', '2026-11-25T06:00:00.000Z');" ||
	fail "insert a sale" "sqlite3 failed"

s2=$(state)
d shift x
expect "X report" 0 "X REPORT"
unchanged "$s2" "the X report"
for want in "KSh 5,000.00" "KSh 1,000.00" "KSh -250.50" "KSh 300.00" \
    "KSh 6,049.50" "41.38" "Sales (1)" "wanjiku"; do
	grep -qF -- "$want" "$T/out" && ok "X report shows $want" ||
		fail "X report shows $want" "$(cat "$T/out")"
done
grep -q "Cash counted" "$T/out" && fail "X has no count" "it has" ||
	ok "X has no count"

d shift z --counted 6,000
expect "Z report" 0 "Z REPORT 1"
for want in "Cash expected" "KSh 6,049.50" "Cash counted" "KSh 6,000.00" \
    "Difference (short)" "KSh -49.50"; do
	grep -qF -- "$want" "$T/out" && ok "Z report shows $want" ||
		fail "Z report shows $want" "$(cat "$T/out")"
done
cp "$T/out" "$T/z1"
[ "$(sql "$DB" "SELECT z_number, expected_cash, counted_cash, state, closed_by FROM shifts")" = "1|604950|600000|closed|wanjiku" ] &&
	ok "closed shift row" || fail "closed shift row" "$(sql "$DB" "SELECT * FROM shifts")"
[ "$(sql "$DB" "SELECT count(*) FROM outbox WHERE type = 'shift.closed' AND json_extract(data, '\$.z_number') = 1 AND json_extract(data, '\$.difference') = -4950")" = 1 ] &&
	ok "shift.closed event" || fail "shift.closed event" "missing"
[ "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE action = 'shift.close'")" = 1 ] &&
	ok "audit row of the close" || fail "audit row of the close" "missing"

s3=$(state)
d shift z --counted 6000
expect "a second Z without a shift" 6 "open a shift first"
d shift pay-out 10 --reason late
expect "pay-out after the Z" 6 "open a shift first"
unchanged "$s3" "commands after the Z"

d shift x --z 1
expect "reprint Z 1" 0 "Z REPORT 1 (reprint)"
sed 1d "$T/z1" >"$T/a"
sed 1d "$T/out" >"$T/b"
cmp -s "$T/a" "$T/b" && ok "the reprint is the Z" ||
	fail "the reprint is the Z" "$(diff "$T/a" "$T/b")"

d shift open --float 0
expect "open the second shift" 0 "shift 2"
d shift z --counted 0
expect "Z 2" 0 "Z REPORT 2"
grep -qF "Difference " "$T/out" && ! grep -qF "(over)" "$T/out" &&
	! grep -qF "(short)" "$T/out" && ok "an exact count" ||
	fail "an exact count" "$(cat "$T/out")"
d shift open --float 10
d shift z --counted 20
expect "Z 3" 0 "Difference (over)"
[ "$(sql "$DB" "SELECT group_concat(z_number, ',') FROM (SELECT z_number FROM shifts ORDER BY id)")" = "1,2,3" ] &&
	ok "Z numbers 1, 2, 3" || fail "Z numbers 1, 2, 3" "$(sql "$DB" "SELECT z_number FROM shifts")"

# Another till counts its own Z numbers.
printf '[till]\nid = 2\n' >"$T/till2.conf"
run --db "$DB" --config "$T/till2.conf" shift open --float 100
expect "open on till 2" 0 "till 2"
run --db "$DB" --config "$T/till2.conf" shift z --counted 100
expect "till 2 has its Z 1" 0 "Z REPORT 1"

finish
