#!/bin/sh
# cli_inventory.sh - products, stock and inventory through the real binary:
# good paths, and bad input that must be refused without changing anything.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
export DUKA_NOW=2026-11-25T09:00:00Z
d() { run --db "$DB" "$@"; }
moves() { sql "$DB" "SELECT count(*) FROM stock_movements"; }

run --db "$DB" init
expect "init" 0

d product add --sku SUG1 --name "Mumias Sugar 1kg" --price 210 --cost 185 \
	--category Sugar --barcode 6161100600010 --reorder-level 10
expect "add a product" 0 "Added Mumias Sugar 1kg"
d product add --sku sug1 --name "Another" --price 10
expect "duplicate SKU (any case) refused" 3 "already used"
d product add --sku MILK --name "Brookside Milk 500ml" --price 65 --barcode 6161100600011
expect "bad check digit refused" 3 "check digit"
[ "$(sql "$DB" "SELECT count(*) FROM products WHERE sku = 'MILK'")" = 0 ] &&
	ok "refused product left no row" || fail "refused product left no row" "row exists"
d product add --sku MILK --name "Brookside Milk 500ml" --price 65.505
expect "three decimals refused" 3 ""
d product add --sku MILK --name "Brookside Milk 500ml" --price 65 \
	--barcode 6161100600010
expect "barcode of another product refused" 3 "Mumias Sugar 1kg"
d product add --sku MILK --name "Brookside Milk 500ml" --price 65 \
	--barcode 036000291452 --expiry --category Dairy --unit piece
expect "UPC-A barcode accepted" 0 "Added"
d product show 0036000291452
expect "found by the EAN-13 form of its UPC-A" 0 "Brookside Milk"
d product show 036000291452
expect "found by its UPC-A" 0 "Brookside Milk"
d product show NOPE
expect "unknown code" 6 "NOPE"
d product search suga
expect "search by part of a name" 0 "SUG1"
d product search MUMIAS
expect "search in any case" 0 "Mumias"
d product search 61611006
expect "search by barcode prefix" 0 "SUG1"

d stock receive SUG1 24 --batch MS1 --cost 180 --ref DN-1
expect "receive" 0 "SUG1"
d stock receive MILK 10 --batch B1 --expiry 2026-02-30
expect "30 February refused" 3 ""
d stock receive MILK 10 --batch B1
expect "expiry required for a product that tracks it" 3 ""
d stock receive MILK 10 --batch B1 --expiry 2026-11-20 --received 2026-11-21
expect "expiry before receipt refused" 3 ""
d stock receive MILK 0 --batch B1 --expiry 2026-12-20
expect "zero quantity refused" 3 ""
d stock receive MILK -5 --batch B1 --expiry 2026-12-20
expect "negative quantity refused" 3 ""
[ "$(moves)" = 1 ] && ok "refused receipts wrote nothing" || fail "refused receipts wrote nothing" "$(moves) movements"
d stock receive MILK 10 --batch B1 --expiry 2026-12-01
expect "receive perishable" 0
d stock receive MILK 5 --batch B0 --expiry 2026-11-20 --received 2026-11-10
expect "receive an already expired batch" 0

d inventory --status expiring
expect "inventory shows the expiring product" 0 "MILK"
d inventory --status expired
expect "inventory shows the expired product" 0 "MILK"
d inventory --status low
expect "nothing low yet" 0
grep -q SUG1 "$T/out" && fail "nothing low" "SUG1 listed" || ok "SUG1 is not low"
d inventory --status bogus
expect "bad status refused" 2 ""
d inventory --alerts
expect "alerts list the expired batch" 0 "MILK"

d stock remove SUG1 15 --reason damage --note "roof leak"
expect "remove damaged stock" 0
d inventory --status low
expect "sugar is now low" 0 "SUG1"
d stock writeoff
expect "write off expired batches" 0
[ "$(sql "$DB" "SELECT qty_remaining FROM batches WHERE batch_no = 'B0'")" = 0 ] &&
	ok "expired batch is empty" || fail "expired batch is empty" "not 0"
d check
expect "ledger consistent after all that" 0 "all checks passed"
before=$(moves)
sqlite3 "$DB" "UPDATE stock_movements SET qty = 1 WHERE id = 1" 2>/dev/null &&
	fail "append-only" "update allowed" || ok "stock movements cannot be updated"
sqlite3 "$DB" "DELETE FROM stock_movements" 2>/dev/null &&
	fail "append-only" "delete allowed" || ok "stock movements cannot be deleted"
[ "$(moves)" = "$before" ] && ok "ledger unchanged" || fail "ledger unchanged" "changed"

# Stock take: sugar has 9 on record; 7 are on the shelf.
d stock count start --category Sugar
expect "open a count sheet" 0 "count sheet"
sheet=$(awk '{print $4}' "$T/out")
d stock count set "$sheet" SUG1 7
expect "record a count" 0
d stock count set "$sheet" SUG1 -1
expect "negative count refused" 3
d stock count set "$sheet" NOPE 1
expect "unknown product on a sheet refused" 6
d stock count commit "$sheet"
expect "commit the count" 0 "loss KSh 360.00"
[ "$(sql "$DB" "SELECT stock_qty FROM products WHERE sku = 'SUG1'")" = 7000 ] &&
	ok "stock is what was counted" || fail "stock is what was counted" "not 7"
d stock count commit "$sheet"
expect "a sheet is committed once" 3
d check
expect "ledger consistent after the count" 0 "all checks passed"

# Import: a file with one bad row imports nothing; a good one imports all.
printf 'sku,name,price,barcode\nTEA1,Ketepa Tea 100g,95,6161100600027\nSOAP,Menengai Soap,12.345,\n' >"$T/bad.csv"
before=$(sql "$DB" "SELECT count(*) FROM products")
d import products "$T/bad.csv"
expect "a bad row stops the import" 3 "bad.csv:3:price"
[ "$(sql "$DB" "SELECT count(*) FROM products")" = "$before" ] &&
	ok "nothing was imported" || fail "nothing was imported" "rows added"
printf 'sku,name,price,barcode\nTEA1,Ketepa Tea 100g,95,6161100600027\nSOAP,"Menengai Soap, bar",12.50,\n' >"$T/good.csv"
d import products "$T/good.csv" --dry-run
expect "dry run reports" 0 "2 rows would be imported"
[ "$(sql "$DB" "SELECT count(*) FROM products")" = "$before" ] &&
	ok "dry run wrote nothing" || fail "dry run wrote nothing" "rows added"
d import products "$T/good.csv"
expect "import products" 0 "Imported 2 products"
d product show 6161100600027
expect "imported product found by barcode" 0 "Ketepa Tea 100g"
printf 'code,qty,batch,expiry\nTEA1,12,K1,2027-01-31\nSOAP,5,,\n' >"$T/stock.csv"
d import stock "$T/stock.csv"
expect "import stock" 0 "Received 2 stock lines"
d check
expect "ledger consistent after the imports" 0 "all checks passed"

d product deactivate SUG1
expect "deactivate" 0
d product search suga
expect "inactive products are not found by search" 0 "No product"
d product list --all
expect "but are listed with --all" 0 "SUG1"

finish
