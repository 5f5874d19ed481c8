#!/bin/sh
# cli_sale.sh - duka sell and duka reprint through the real binary: sales
# with every tender and split, items from stdin, discounts and approval,
# the idempotency token, reprints marked COPY, printing to a file with the
# drawer kick for cash, a printer failure that keeps the sale, and bad
# input that must be refused with exit 3 and nothing written.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
d() { run --db "$DB" "$@"; }
# Rows of every table a sale writes, as one line to compare.
rows() {
	sql "$DB" "SELECT (SELECT count(*) FROM sales) || '/' ||
		(SELECT count(*) FROM sale_lines) || '/' ||
		(SELECT count(*) FROM payments) || '/' ||
		(SELECT count(*) FROM stock_movements) || '/' ||
		(SELECT count(*) FROM outbox) || '/' ||
		(SELECT count(*) FROM audit_log) || '/' ||
		(SELECT coalesce(sum(last_no), 0) FROM receipt_counters) || '/' ||
		(SELECT coalesce(sum(balance), 0) FROM customers)"
}
# same NAME BEFORE: the database rows are still BEFORE.
same() {
	now=$(rows)
	[ "$now" = "$2" ] && ok "$1" || fail "$1" "rows $2 -> $now"
}
# has NAME TEXT: the last run's stdout has TEXT as a whole line.
has_line() {
	grep -qxF -- "$2" "$T/out" && ok "$1" ||
		fail "$1" "no line \"$2\" in: $(cat "$T/out")"
}
# hex FILE: the bytes of FILE as one hex string.
hex() { od -An -tx1 "$1" | tr -d ' \n'; }
KICK=1b700019fa

run --db "$DB" init
expect "init" 0
d product add --sku SUG1 --name "Mumias Sugar 1kg" --price 210 \
	--barcode 6161100600010
expect "add sugar" 0
d product add --sku TOM1 --name "Tomatoes" --price 120 --unit kg --tax zero
expect "add tomatoes" 0
d product add --sku BRD1 --name "Bread 400g" --price 65 --tax exempt
expect "add bread" 0
d product add --sku MILK --name "Brookside Milk 500ml" --price 65 --expiry
expect "add milk" 0
d stock receive SUG1 100
expect "receive sugar" 0
d stock receive TOM1 20
expect "receive tomatoes" 0
d stock receive MILK 5 --batch OLD --expiry 2026-11-20 --received 2026-11-10
expect "receive milk that has expired" 0
sql "$DB" "INSERT INTO customers(name, credit_limit, created_at) VALUES
	('Wanjiku Kamau', 50000, '2026-11-01T00:00:00Z')"

# No shift yet: nothing can be sold.
before=$(rows)
d sell SUG1 --cash 500
expect "selling needs an open shift" 6 "open a shift"
same "no shift: nothing written" "$before"

d shift open --float 1000
if [ "$status" != 0 ]; then
	# duka shift is not wired into this build: open it by hand.
	sql "$DB" "INSERT INTO shifts(till_id, opened_by, opened_at,
		float_cash) VALUES ('1', 'amina', '$DUKA_NOW', 100000)"
fi
[ "$(sql "$DB" "SELECT count(*) FROM shifts WHERE state = 'open'")" = 1 ] &&
	ok "a shift is open" || fail "a shift is open" "none"

# A sale of the three tax classes, cash with change.
d sell SUG1*2 0.5*TOM1 BRD1 --cash 1000
expect "cash sale" 0 "Mumias Sugar 1kg"
has_line "the last line gives receipt, total and change" \
	"Receipt 1-000001: total KSh 545.00, change KSh 455.00"
has_line "VAT of the standard class" "A=16%          420.00      57.93"
has_line "zero-rated class" "Z=0%            60.00       0.00"
has_line "exempt class" "E=Exempt        65.00       0.00"
has_line "change on the slip" "CHANGE                    455.00"
has_line "attendant" "Served by                  amina"
has_line "local time" "Date            2026-11-25 12:00"
grep -q "COPY" "$T/out" && fail "the first print is no copy" "COPY" ||
	ok "the first print is no copy"
[ "$(sql "$DB" "SELECT tendered || ' ' || change_due || ' ' || amount FROM payments")" = "100000 45500 54500" ] &&
	ok "cash tendered and change stored" || fail "cash stored" "$(sql "$DB" "SELECT * FROM payments")"
sed '$d' "$T/out" | awk 'length > 32 { bad = 1 } END { exit bad }' &&
	ok "32 columns by default" || fail "32 columns" "a wider row"

# CODE by barcode, QTY*CODE, and splits.
d sell 2*6161100600010 --mpesa qkt5abc1xy:200 --cash exact
expect "M-PESA and exact cash" 0 "Ref: QKT5ABC1XY"
has_line "split sale total" "Receipt 1-000002: total KSh 420.00, change KSh 0.00"
[ "$(sql "$DB" "SELECT group_concat(method || ':' || amount, ' ') FROM payments WHERE sale_id = 2")" = "mpesa:20000 cash:22000" ] &&
	ok "split stored as two payments" || fail "split stored" "$(sql "$DB" "SELECT * FROM payments WHERE sale_id = 2")"
d sell SUG1 --card "VISA 4471:100" --bank EFT-9:50 --cash 100
expect "card, bank and cash" 0 "change KSh 40.00"
d sell BRD1 --mpesa RBA1B2C3D4
expect "M-PESA for all" 0 "Receipt 1-000004: total KSh 65.00, change KSh 0.00"

# Items on stdin: comments, blank lines, CODE QTY and ITEM forms.
printf '# the morning order\nSUG1 3\n\n  BRD1   # one loaf\n0.25*TOM1\r\n' |
	"$DUKA" --db "$DB" sell --cash 1000 --quiet >"$T/out" 2>"$T/err"
status=$?
expect "items from stdin" 0
[ "$(cat "$T/out")" = "1-000005" ] && ok "--quiet prints the number only" ||
	fail "--quiet" "$(cat "$T/out")"
[ "$(sql "$DB" "SELECT group_concat(sku || '*' || qty, ' ') FROM sale_lines WHERE sale_id = 5")" = "SUG1*3000 BRD1*1000 TOM1*250" ] &&
	ok "stdin lines sold" || fail "stdin lines" "$(sql "$DB" "SELECT * FROM sale_lines WHERE sale_id = 5")"

# Discounts, price override, approval.
d sell SUG1*2 BRD1 --price 2:60 --line-discount 1:5% --discount 5 --cash 500
expect "discounts and an override" 0 "Discount"
has_line "discounted total" "Receipt 1-000006: total KSh 454.00, change KSh 46.00"
has_line "the line discount" "  Discount                -21.00"
has_line "the sale discount" "Discount                   -5.00"
before=$(rows)
d sell SUG1 --discount 50% --cash 500
expect "a discount over the limit needs approval" 3 "approval"
same "refused discount wrote nothing" "$before"
d sell SUG1 --discount 50% --approve wambui --cash 500
expect "approved discount" 0 "total KSh 105.00"
[ "$(sql "$DB" "SELECT approved_by FROM sales WHERE receipt_no = 7")" = wambui ] &&
	ok "approver recorded" || fail "approver recorded" "not wambui"

# An M-PESA prompt still to be answered.
d sell SUG1 --mpesa-pending "+254 712 345 678"
expect "pending M-PESA" 0 "awaiting payment"
has_line "pending tender on the slip" "M-PESA (pending)          210.00"
[ "$(sql "$DB" "SELECT s.state || ' ' || p.state || ' ' || p.phone FROM sales s JOIN payments p ON p.sale_id = s.id WHERE s.receipt_no = 8")" = "awaiting_payment pending 254712345678" ] &&
	ok "sale awaits payment" || fail "sale awaits payment" "$(sql "$DB" "SELECT state FROM sales WHERE receipt_no = 8")"

# On account, by name or number, within the credit limit.
d sell SUG1 --account "wanjiku kamau:100" --cash 200
expect "part on account" 0 "On account"
d sell BRD1 --account 1
expect "on account by customer number" 0 "Wanjiku Kamau"
[ "$(sql "$DB" "SELECT balance FROM customers WHERE id = 1")" = 16500 ] &&
	ok "balance raised" || fail "balance raised" "$(sql "$DB" "SELECT balance FROM customers")"
before=$(rows)
d sell SUG1*2 --account 1
expect "over the credit limit" 3 "credit limit"
same "over the limit: nothing written" "$before"

# The idempotency token: the same cart sells once.
d sell SUG1 --cash 500 --token cart-42
expect "sale with a token" 0 "Receipt 1-000011"
before=$(rows)
d sell SUG1 --cash 500 --token cart-42
expect "the same token again" 0 "sold already"
grep -q "COPY" "$T/out" && ok "the repeat shows a copy" ||
	fail "the repeat shows a copy" "no COPY"
same "the same token wrote nothing" "$before"

# Expired stock: refused unless allowed.
before=$(rows)
d sell MILK --cash 100
expect "expired batch refused" 3 "OLD"
same "expired: nothing written" "$before"
d sell MILK --cash 100 --allow-expired
expect "expired batch allowed" 0

# Bad input: exit 3, nothing written.
before=$(rows)
for bad in \
	"NOPE --cash 100|NOPE" \
	"SUG1*x --cash 1000|SUG1*x" \
	"SUG1*0 --cash 1000|SUG1*0" \
	"SUG1*-2 --cash 1000|SUG1*-2" \
	"-2*SUG1 --cash 1000|-2*SUG1" \
	"0.5*SUG1 --cash 1000|by the piece" \
	"SUG1*1.2345 --cash 1000|" \
	"SUG1**2 --cash 1000|CODE*QTY" \
	"SUG1 --cash 100|still to pay" \
	"SUG1 --cash abc|--cash" \
	"SUG1 --cash -5|negative" \
	"SUG1|how the customer pays" \
	"SUG1 --mpesa BAD|not an M-PESA code" \
	"SUG1 --mpesa QKT5ABC1XY|already paid receipt 1-000002" \
	"SUG1 --mpesa RBA1B2C3D4:abc|--mpesa" \
	"SUG1 --mpesa-pending 12345|Kenyan mobile number" \
	"SUG1 --card :100|reference" \
	"SUG1 --card VISA:500 --cash 100|more than the" \
	"SUG1 --account Nobody|Nobody" \
	"SUG1 --cash 0 --card X|the rest" \
	"SUG1 --line-discount 2:10 --cash 500|no line 2" \
	"SUG1 --line-discount 1:300 --cash 500|" \
	"SUG1 --line-discount 1 --cash 500|LINE:VALUE" \
	"SUG1 --price 1:-1 --cash 500|negative" \
	"SUG1 --discount 101% --cash 500|" \
	"SUG1 --discount 1000 --cash 5000|" \
	"SUG1 --token 'a b' --cash 500|--token" \
	; do
	args=${bad%%|*}
	want=${bad#*|}
	eval "d sell $args"
	expect "refused: sell $args" 3 "$want"
done
printf 'SUG1 2\nNOPE\n' | "$DUKA" --db "$DB" sell --cash 1000 >"$T/out" 2>"$T/err"
status=$?
expect "refused: unknown code on stdin" 3 "stdin line 2"
printf 'SUG1 2 3\n' | "$DUKA" --db "$DB" sell --cash 1000 >"$T/out" 2>"$T/err"
status=$?
expect "refused: three words on a stdin line" 3 "stdin line 1"
printf '# nothing\n\n' | "$DUKA" --db "$DB" sell --cash 1000 >"$T/out" 2>"$T/err"
status=$?
expect "refused: no items" 3 "no items"
same "the refused sales wrote nothing" "$before"

# Usage errors: exit 2, nothing written.
d sell SUG1 --cash 500 --width 40
expect "bad width" 2 "32, 42 or 48"
d sell SUG1 --bogus
expect "unknown option" 2 "--bogus"
d sell SUG1 --cash
expect "option without its value" 2 "needs a value"
d sell --help
expect "help" 0 "--mpesa-pending"
d reprint
expect "reprint needs a receipt" 2 "usage"
same "usage errors wrote nothing" "$before"

# Width.
d sell SUG1 --cash 500 --width 48
expect "48 columns" 0
sed '$d' "$T/out" |
	awk 'length > 48 { bad = 1 } length > 32 { wide = 1 } END { exit bad || !wide }' &&
	ok "rows up to 48 columns" || fail "rows up to 48 columns" "$(cat "$T/out")"

# Reprints.
before=$(rows)
d reprint 1-000001
expect "reprint" 0 "COPY / NAKALA"
has_line "the reprint has the original total" "TOTAL                 KSh 545.00"
d reprint 1 --width 42
expect "reprint by number alone" 0 "Receipt No.                       1-000001"
d reprint 1-999999
expect "reprint of a missing receipt" 6 "1-999999"
d reprint 1-abc
expect "reprint of a bad number" 3 "receipt number"
same "reprints wrote nothing" "$before"

# Printing: a file printer gets ESC/POS, the drawer kick for cash only.
cat >"$T/print.conf" <<EOF
[shop]
name = Duka la Mama
[printer]
device = file:$T/slips.bin
width = 42
EOF
run --db "$DB" --config "$T/print.conf" sell SUG1 --cash 500 --print
expect "cash sale printed" 0 "Duka la Mama"
hex "$T/slips.bin" | grep -q "^1b40" && ok "the slip starts with ESC @" ||
	fail "ESC @" "$(hex "$T/slips.bin" | head -c 20)"
hex "$T/slips.bin" | grep -q "$KICK" && ok "cash opens the drawer" ||
	fail "cash opens the drawer" "no kick"
rm -f "$T/slips.bin"
run --db "$DB" --config "$T/print.conf" sell SUG1 --card REF1 --print
expect "card sale printed" 0
hex "$T/slips.bin" | grep -q "$KICK" && fail "card: no kick" "drawer kicked" ||
	ok "a card sale does not open the drawer"
rm -f "$T/slips.bin"
run --db "$DB" --config "$T/print.conf" reprint 1-000001 --print
expect "reprint printed" 0
grep -q "COPY / NAKALA" "$T/slips.bin" && ok "the printed reprint is a copy" ||
	fail "printed copy" "no COPY"
hex "$T/slips.bin" | grep -q "$KICK" && fail "reprint: no kick" "drawer kicked" ||
	ok "a reprint does not open the drawer"

# A printer failure keeps the sale: warning, exit 0, reprint later.
printf '[printer]\ndevice = /nonexistent/dev\n' >"$T/broken.conf"
before=$(sql "$DB" "SELECT count(*) FROM sales")
run --db "$DB" --config "$T/broken.conf" sell SUG1 --cash 500 --print
expect "printer failure: the sale stands" 0 "was not printed"
expect "printer failure: the way to reprint" 0 "duka reprint 1-"
[ "$(sql "$DB" "SELECT count(*) FROM sales")" = $((before + 1)) ] &&
	ok "the sale was committed" || fail "the sale was committed" "no new sale"
last=$(sql "$DB" "SELECT '1-' || printf('%06d', max(receipt_no)) FROM sales")
run --db "$DB" --config "$T/broken.conf" reprint "$last" --print
expect "reprint to a missing printer fails" 1 "/nonexistent/dev"
rm -f "$T/slips.bin"
run --db "$DB" --config "$T/print.conf" reprint "$last" --print
expect "reprint once the printer is back" 0
[ -s "$T/slips.bin" ] && ok "the reprint reached the printer" ||
	fail "the reprint reached the printer" "empty"
before=$(rows)
d sell SUG1 --cash 500 --print
expect "--print without a printer" 7 "no printer"
same "no printer: nothing sold" "$before"

d check
expect "duka check after all the sales" 0 "all checks passed"

finish
