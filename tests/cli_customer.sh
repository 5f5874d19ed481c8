#!/bin/sh
# cli_customer.sh - customers on account through the real binary: credit
# limits hold at the till, payments lower the balance, bad input changes
# nothing.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
d() { run --db "$DB" "$@"; }
owes() { sql "$DB" "SELECT balance FROM customers WHERE name = 'Mama Njeri'"; }

run --db "$DB" init
expect "init" 0
d product add --sku UNGA --name "Jogoo 2kg" --price 189
expect "a product" 0
d stock receive UNGA 50
expect "stock" 0
d shift open --float 0
expect "open a shift" 0

d customer add "Mama Njeri" --phone 0712345678 --limit 300
expect "add a customer" 0 "Added customer 1"
d customer add "mama njeri"
expect "same name in another case refused" 3
d customer add ""
expect "empty name refused" 3
d customer add Baraka --limit abc
expect "bad limit refused" 3
d customer add Baraka --limit
expect "limit without a value" 2
[ "$(sql "$DB" "SELECT count(*) FROM customers")" = 1 ] &&
	ok "refused customers left no row" || fail "refused customers" "rows added"

d sell UNGA --account "Mama Njeri" --quiet
expect "a sale on account" 0 "1-000001"
[ "$(owes)" = 18900 ] && ok "balance is the sale" || fail "balance" "$(owes)"
d sell UNGA --account 1 --quiet
expect "over the credit limit refused" 3 "credit limit"
[ "$(owes)" = 18900 ] && ok "refused sale left the balance" || fail "balance" "$(owes)"
d sell UNGA --account Nobody
expect "unknown customer refused" 3 "Nobody"
d customer list
expect "list" 0 "189.00"
d customer pay "Mama Njeri" 200
expect "paying more than owed refused" 3 "more than"
d customer pay "Mama Njeri" 89 --mpesa QKT5ABC1XY
expect "pay part by M-PESA" 0 "still owes KSh 100.00"
d customer pay "Mama Njeri" 100 --mpesa QKT5ABC1XY
expect "an M-PESA code pays once" 3
d customer pay "Mama Njeri" 100
expect "pay the rest in cash" 0 "still owes KSh 0.00"
[ "$(owes)" = 0 ] && ok "balance is zero" || fail "balance" "$(owes)"
d check
expect "ledger consistent" 0 "all checks passed"

finish
