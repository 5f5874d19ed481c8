#!/bin/sh
# cli_report.sh - duka report, duka reorder and duka order through the real
# binary: a small shop with sales on known days (amounts worked out by
# hand in the comments), each report as text and as CSV, the default
# ranges, bad dates and options refused with the documented exit status,
# purchase orders counted as stock on order, and receiving against an
# order that books the stock and the order's line together or neither.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"
export USER=amina
d() { run --db "$DB" "$@"; }
# has_line NAME TEXT: the last run's stdout has TEXT as a whole line.
has_line() {
	tr -d '\r' <"$T/out" | grep -qxF -- "$2" && ok "$1" ||
		fail "$1" "no line \"$2\" in: $(cat "$T/out")"
}
# no_line NAME TEXT: ... and not this one.
no_line() {
	tr -d '\r' <"$T/out" | grep -qF -- "$2" &&
		fail "$1" "\"$2\" in: $(cat "$T/out")" || ok "$1"
}
# Rows that the order commands write, as one line to compare.
rows() {
	sql "$DB" "SELECT (SELECT count(*) FROM purchase_orders) || '/' ||
		(SELECT count(*) FROM purchase_order_lines) || '/' ||
		(SELECT coalesce(sum(qty_received), 0) FROM purchase_order_lines)
		|| '/' || (SELECT count(*) FROM stock_movements) || '/' ||
		(SELECT count(*) FROM batches) || '/' ||
		(SELECT count(*) FROM outbox) || '/' ||
		(SELECT count(*) FROM suppliers)"
}
same() {
	now=$(rows)
	[ "$now" = "$2" ] && ok "$1" || fail "$1" "rows $2 -> $now"
}

export DUKA_NOW=2026-05-01T06:00:00Z
run --db "$DB" init
expect "init" 0
d product add --sku SUG1 --name "Mumias Sugar 1kg" --price 200 --cost 150 \
	--supplier Mumias --lead-time 3 --pack-size 10
expect "add sugar" 0
d product add --sku TOM1 --name "Tomatoes" --price 120 --unit kg --tax zero
expect "add tomatoes" 0
d product add --sku BRD1 --name 'Bread, "white" 400g' --price 65 \
	--tax exempt --reorder-date 2026-06-10
expect "add bread" 0
d stock receive SUG1 40 --cost 150
expect "receive sugar" 0
d stock receive TOM1 20 --cost 80
expect "receive tomatoes" 0
d stock receive BRD1 50 --cost 50
expect "receive bread" 0
d shift open --float 1000
expect "open a shift" 0

# 06-01 amina: 2 sugar 400.00 (VAT 55.17), 0.5 kg tomatoes 60.00, bread
# 65.00: 525.00. 06-02 juma: 3 sugar 600.00 (VAT 82.76). 06-03: amina
# refunds one sugar of the first sale: -200.00 (VAT -27.59).
DUKA_NOW=2026-06-01T09:00:00Z d sell SUG1*2 0.5*TOM1 BRD1 --cash 1000 --quiet
expect "sale of the 1st" 0 "1-000001"
DUKA_NOW=2026-06-02T09:00:00Z USER=juma d sell SUG1*3 --cash 600 --quiet
expect "sale of the 2nd" 0 "1-000002"
DUKA_NOW=2026-06-03T09:00:00Z d refund 1-000001 --line 1:1
expect "refund on the 3rd" 0 "200.00"
export DUKA_NOW=2026-06-15T09:00:00Z

# ---- Takings per day and month ----
d report daily --from 2026-06-01 --to 2026-06-03 --format csv
expect "daily csv" 0
has_line "daily csv header" \
	"day,sales,refunds,sales_total,refunds_total,net_total,vat,net_ex_vat,discounts"
has_line "the 1st" "2026-06-01,1,0,525.00,0.00,525.00,55.17,469.83,0.00"
has_line "the 2nd" "2026-06-02,1,0,600.00,0.00,600.00,82.76,517.24,0.00"
has_line "the refund on its own day" \
	"2026-06-03,0,1,0.00,-200.00,-200.00,-27.59,-172.41,0.00"
[ "$(wc -l <"$T/out")" -eq 4 ] && ok "csv has no total line" ||
	fail "csv has no total line" "$(cat "$T/out")"
grep -q "$(printf '\r')\$" "$T/out" && ok "csv lines end in CRLF" ||
	fail "csv lines end in CRLF" "no CR"

d report daily --from 2026-06-01 --to 2026-06-03
expect "daily text" 0 "Takings per day, 2026-06-01 to 2026-06-03"
has_line "text header" \
	"Day         Sales  Refunds   Takings  Refunded      Net     VAT  Net of VAT"
has_line "text row" \
	"2026-06-01      1        0    525.00      0.00   525.00   55.17      469.83"
has_line "text total" \
	"Total           2        1  1,125.00   -200.00   925.00  110.34      814.66"

d report daily
expect "daily, default range" 0 "Takings per day, 2026-05-17 to 2026-06-15"
[ "$(grep -c '^2026-' "$T/out")" -eq 30 ] && ok "30 days, empty ones too" ||
	fail "30 days, empty ones too" "$(cat "$T/out")"
d report daily --from 2026-06-10
expect "--from alone runs to today" 0 "2026-06-10 to 2026-06-15"
d report daily --to 2026-06-02 --format csv
expect "--to alone: 30 days up to it" 0 "2026-05-04,0,0"
has_line "the last day is --to" \
	"2026-06-02,1,0,600.00,0.00,600.00,82.76,517.24,0.00"

d report monthly
expect "monthly, this year" 0 "Takings per month, 2026-01-01 to 2026-06-15"
d report monthly --format csv
has_line "June" "2026-06,2,1,1125.00,-200.00,925.00,110.34,814.66,0.00"
has_line "an empty month" "2026-02,0,0,0.00,0.00,0.00,0.00,0.00,0.00"

# ---- Products ----
d report top --format csv
expect "top csv" 0 "rank,sku,name,unit,qty,revenue,vat,net"
has_line "sugar first" "1,SUG1,Mumias Sugar 1kg,piece,4,800.00,110.34,689.66"
has_line "quoted name" '2,BRD1,"Bread, ""white"" 400g",piece,1,65.00,0.00,65.00'
has_line "tomatoes" "3,TOM1,Tomatoes,kg,0.5,60.00,0.00,60.00"
d report top --by qty --limit 1
expect "top 1 by quantity" 0 "Top products by quantity"
has_line "one line" "1  SUG1  Mumias Sugar 1kg  4 pc   800.00      689.66"
no_line "only one" "BRD1"

# Sugar: 689.66 net, 4 x 150.00 at cost: 89.66 = 13.00%.
d report margin --format csv
expect "margin csv" 0 \
	"sku,name,unit,qty,revenue,vat,net,cost,margin,margin_percent"
has_line "sugar margin" "SUG1,Mumias Sugar 1kg,piece,4,800.00,110.34,689.66,600.00,89.66,13.00"
has_line "tomato margin" "TOM1,Tomatoes,kg,0.5,60.00,0.00,60.00,40.00,20.00,33.33"
has_line "bread margin" 'BRD1,"Bread, ""white"" 400g",piece,1,65.00,0.00,65.00,50.00,15.00,23.08'
d report margin
expect "margin text" 0 "13.00%"
has_line "margin total" \
	"Total                                  814.66  690.00  124.66    15.30%"

d report attendant --format csv
expect "attendants" 0 \
	"attendant,sales,refunds,sales_total,refunds_total,net_total,discounts,average_sale"
has_line "juma first" "juma,1,0,600.00,0.00,600.00,0.00,600.00"
has_line "amina" "amina,1,1,525.00,-200.00,325.00,0.00,525.00"

# ---- VAT ----
d report tax
expect "tax defaults to last month" 0 "VAT per tax class, 2026-05-01 to 2026-05-31"
d report tax --from 01/06/2026 --to 30/06/2026 --format csv
expect "tax csv" 0 "class,rate_percent,kind,amount,vat,net"
has_line "standard sales" "standard,16.00,sales,1000.00,137.93,862.07"
has_line "standard refunds" "standard,16.00,refunds,-200.00,-27.59,-172.41"
has_line "standard total" "standard,16.00,total,800.00,110.34,689.66"
has_line "zero-rated" "zero,0.00,total,60.00,0.00,60.00"
has_line "exempt" "exempt,,total,65.00,0.00,65.00"
has_line "all classes" "all,,total,925.00,110.34,814.66"
d report tax --from 2026-06-01 --to 2026-06-30
expect "tax text" 0 "Standard 16%"

# ---- Refused ----
before=$(rows)
d report daily --from 2026-06-10 --to 2026-06-01
expect "--from after --to" 3 "--from 2026-06-10 is after --to 2026-06-01"
d report daily --from 2026-02-30
expect "30 February" 3 "--from: "
d report tax --to yesterday
expect "a word for a date" 3 "--to: "
d report daily --from 2026-07-01
expect "--from in the future without --to" 3 "after today"
d report weekly
expect "unknown report" 2 "unknown report \"weekly\""
d report
expect "no report named" 2 "which report?"
d report daily --format xml
expect "unknown format" 2 "unknown format \"xml\""
d report daily --by qty
expect "--by is for top" 2 "--by and --limit"
d report top --by profit
expect "unknown ranking" 2 "unknown ranking"
d report top --limit many
expect "bad --limit" 2 "--limit many"
d report daily --colour
expect "unknown option" 2 "unknown option --colour"
d report daily extra
expect "extra argument" 2 "unexpected argument \"extra\""
d report --help
expect "report help" 0 "usage: duka report daily|monthly|top|margin"
run --db "$T/none.db" report --help
expect "help needs no database" 0 "attendant"
same "reports write nothing" "$before"

# ---- Reorder and purchase orders ----
# Sugar: 4 sold in the window (06-01..06-14), avg 0.286, target
# 4 * (3 + 7) * 1.2 / 14 = 3.429 < 36 on hand: nothing. Tomatoes: 19.5
# on hand at or below a level of 25: the reorder quantity of 10. Bread:
# its reorder date has passed: listed with 0.
d product edit TOM1 --reorder-level 25 --reorder-qty 10 --supplier "Kariuki Farm"
expect "tomatoes get a reorder level" 0
d reorder --format csv
expect "reorder csv" 0 \
	"supplier,sku,name,on_hand,on_order,avg_daily,lead_time_days,pack_size,suggested,reorder_date,due"
has_line "tomatoes to order" "Kariuki Farm,TOM1,Tomatoes,19.5,0,0.036,0,1,10,,0"
has_line "bread is due" ',BRD1,"Bread, ""white"" 400g",49,0,0.071,0,1,0,2026-06-10,1'
no_line "sugar is fine" "SUG1"
d reorder
expect "reorder text" 0 "safety stock 20.00%"
has_line "text line" \
	"Kariuki Farm  TOM1  Tomatoes                19.5         0    0.036     10"
has_line "no supplier, due" \
	"-             BRD1  Bread, \"white\" 400g       49         0    0.071      0  2026-06-10"

before=$(rows)
d order add "Kariuki Farm" TOM1 10 --expected 2026-06-18
expect "order tomatoes" 0 "Purchase order 1 to Kariuki Farm: 1 line"
d reorder --format csv
no_line "tomatoes on order" "TOM1"
d order list
expect "order list" 0 "Kariuki Farm"
has_line "listed" \
	"    1  Kariuki Farm  open   2026-06-15  2026-06-18      1        1"
d order show 1 --format csv
expect "order show csv" 0 "line,sku,name,unit,qty,qty_received,waiting"
has_line "the line" "1,TOM1,Tomatoes,kg,10,0,10"

# Bad orders change nothing.
before=$(rows)
d order add "Kariuki Farm" TOM1 0
expect "zero refused" 3 "more than 0"
d order add "Kariuki Farm" SUG1 1.5
expect "half a piece refused" 3 "1.5 is not a whole number of pieces"
d order add "New Supplier" NOPE 3
expect "unknown product" 6 "NOPE"
d order add "Kariuki Farm" TOM1 2 TOM1 3
expect "a product twice" 3 "twice"
d order add "Kariuki Farm" TOM1 2 --expected 2026-06-01
expect "expected in the past" 3 "before today"
d order add "Kariuki Farm" TOM1 2 --expected 2026-02-30
expect "expected on 30 February" 3 "--expected"
d order add "Kariuki Farm" TOM1
expect "no quantity" 2 "usage"
d order add "Kariuki Farm" TOM1 -4
expect "negative" 3 "more than 0"
same "refused orders wrote nothing" "$before"

# Receiving: the stock and the order's line together, or neither.
before=$(rows)
d order receive 1 SUG1 3
expect "not on the order" 3 "is not on purchase order 1"
d order receive 9 TOM1 3
expect "unknown order" 6 "no purchase order number 9"
d order receive 1 TOM1 3 --expiry 2026-06-01
expect "expiry before delivery" 3 "before the received date"
d order receive x TOM1 3
expect "bad order number" 3 "not a purchase order number"
d order receive 1 TOM1 3 --supplier X
expect "no --supplier on an order" 2 "unknown option --supplier"
same "refused receipts wrote nothing" "$before"
d order receive 1 TOM1 4 --cost 75 --ref DN-7
expect "part received" 0 "6 still to come; stock now 23.5"
[ "$(sql "$DB" "SELECT supplier_id = (SELECT id FROM suppliers WHERE name =
	'Kariuki Farm') FROM batches ORDER BY id DESC LIMIT 1")" = 1 ] &&
	ok "the batch is the order's supplier's" ||
	fail "the batch is the order's supplier's" "other"
d order receive 1 TOM1 6
expect "rest received" 0 "has arrived in full"
d order list
expect "nothing open" 0 "No open purchase orders."
d order list --all --format csv
has_line "received" "$(sql "$DB" "SELECT '1,Kariuki Farm,received,' ||
	created_at || ',2026-06-18,' || closed_at || ',1,0' FROM purchase_orders")"
d order cancel 1
expect "a received order cannot be cancelled" 3 "received, not open"
d order add Mumias SUG1 20
expect "order sugar" 0 "Purchase order 2"
d order cancel 2
expect "cancel" 0 "Cancelled purchase order 2 to Mumias"
d order foo
expect "unknown order command" 2 "unknown order command"
d order --help
expect "order help" 0 "duka order receive ID CODE QTY"
d order receive --help
expect "order receive help" 0 "--reorder-date"
d check
expect "duka check after all this" 0 "all checks passed"

finish
