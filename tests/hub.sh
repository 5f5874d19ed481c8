#!/bin/sh
# hub.sh - duka-hub against a throwaway PostgreSQL cluster: the commands,
# every endpoint with good and bad input, idempotence, projection, and that
# a till of one shop can neither read nor write another's.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/hub/pg.sh"

[ -x "$DUKA_HUB" ] || { echo "SKIP: $DUKA_HUB not built"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 77; }
pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 77; }

H() { "$DUKA_HUB" "$@" >"$T/out" 2>"$T/err"; status=$?; }

# http NAME WANT METHOD PATH [TOKEN] [curl args...]: one request; the body
# lands in $T/body, the status in $code; records a failure if it is not WANT.
http() {
	name=$1 want=$2 method=$3 path=$4 tok=${5:-}
	shift 4
	[ $# -gt 0 ] && shift
	if [ -n "$tok" ]; then
		code=$(curl -s -o "$T/body" -w '%{http_code}' -X "$method" \
		    -H "Authorization: Bearer $tok" "$@" "$HUB_URL$path")
	else
		code=$(curl -s -o "$T/body" -w '%{http_code}' -X "$method" \
		    "$@" "$HUB_URL$path")
	fi
	if [ "$code" != "$want" ]; then
		fail "$name" "HTTP $code, wanted $want: $(head -c 300 "$T/body")"
		return 1
	fi
	ok "$name"
}

# has NAME TEXT: the last body contains TEXT.
has() {
	if grep -qF -- "$2" "$T/body"; then ok "$1"; else
		fail "$1" "no '$2' in $(head -c 500 "$T/body")"; fi
}

# same NAME WANT GOT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1" "wanted '$2', got '$3'"; fi
}

# ev ID TYPE DATA: one event as the till sends it.
ev() {
	printf '{"id":"%s","type":"%s","at":"2026-11-25T10:00:00Z","data":%s}' \
	    "$1" "$2" "$3"
}

uuid() { printf '0190a000-0000-7000-8000-%012d' "$1"; }

sale_data() {	# sale_data SALE_ID SKU TOTAL
	printf '{"sale_id":%s,"till":"T1","receipt_no":%s,"receipt":"T1-%06d","state":"completed","at":"2026-11-25T10:00:00Z","business_day":"2026-11-25","user":"amina","customer_id":null,"gross":%s,"discount":0,"total":%s,"vat":0,"lines":[{"line_no":1,"product_id":1,"sku":"%s","name":"Item","qty":1000,"shelf_price":%s,"unit_price":%s,"discount":0,"amount":%s,"vat":0,"tax_class":"zero","allocations":[{"batch_id":null,"qty":1000}]}],"payments":[{"method":"cash","state":"paid","amount":%s,"change":0,"reference":null},{"method":"mpesa","state":"pending","amount":0,"change":0,"reference":"ws_CO_1"}]}' \
	    "$1" "$1" "$1" "$3" "$3" "$2" "$3" "$3" "$3" "$3"
}

stock_data() {	# stock_data MOVEMENT_ID SKU QTY
	printf '{"movement_id":%s,"product_id":1,"sku":"%s","batch_id":null,"qty":%s,"reason":"receive","unit_cost":100,"unit_price":150,"reference":null,"user":null,"note":null,"at":"2026-11-25T10:00:00Z"}' \
	    "$1" "$2" "$3"
}

# ---- commands
H init-db
expect "init-db creates the schema" 0 "version 0 to 1"
H init-db
expect "init-db again changes nothing" 0 "up to date (version 1)"
H shop add a --name "Duka A"
expect "shop add" 0 "callback_key: "
KEY_A=$(sed -n 's/^callback_key: //p' "$T/out")
H shop add a
expect "shop add refuses a second shop a" 3 "already a shop"
H shop add "Bad Code"
expect "shop add refuses a bad code" 3 "not one"
H shop add b --name "Duka B"
KEY_B=$(sed -n 's/^callback_key: //p' "$T/out")
H shop show a
expect "shop show" 0 "callback_path: /v1/stk/callback/$KEY_A"
H shop show nosuch
expect "shop show of no shop" 6 "no shop"
case "$KEY_A" in
*[!0-9a-f]*) fail "a callback key is 64 hex digits" "$KEY_A" ;;
*) same "a callback key is 64 hex digits" 64 "${#KEY_A}" ;;
esac
H till add --shop a --name front
expect "till add prints a token" 0 "dk1."
TOKEN_A=$(cat "$T/out")
grep -q 'not shown again' "$T/err" && ok "till add says the token is shown once" ||
	fail "till add says the token is shown once" "$(cat "$T/err")"
H till add --shop nosuch
expect "till add to no shop" 6 "no shop"
H till add
expect "till add without --shop" 2 "--shop"
H till add --shop b
TOKEN_B=$(cat "$T/out")
same "the token itself is not stored" 0 \
    "$(pq "SELECT count(*) FROM tills WHERE position('$(echo "$TOKEN_A" | cut -d. -f3)' IN encode(token_hash, 'hex')) > 0 OR name LIKE '%dk1%'")"
H --version
expect "--version" 0 "duka-hub "
H --help
expect "--help" 0 "till add --shop CODE"
H
expect "no command" 2 "usage: duka-hub"
H till add --shop a --bogus x
expect "unknown option" 2 "unknown option --bogus"
H frobnicate
expect "unknown command" 2 "unknown command"
H serve
expect "serve without --listen" 2 "--listen"
H product set --shop a --sku S1 --name "Sugar 1kg" --price abc
expect "product set refuses a bad price" 3 ""
H product set --shop a --sku S1 --name "Sugar 1kg" --price -5
expect "product set refuses a negative price" 3 ""
H product set --shop nosuch --sku S1 --name "Sugar 1kg" --price 150
expect "product set in no shop" 6 "no shop"
H product set --shop a --sku S1 --name "Sugar 1kg" --price 150 --tax-class vat9
expect "product set refuses an unknown tax class" 3 ""
same "bad product sets change nothing" 0 "$(pq 'SELECT count(*) FROM products')"

# ---- serve, health
hub_start || { fail "hub starts" "see above"; finish; exit 1; }
ok "hub starts on a free port"
http "health" 200 GET /v1/health && has "health says ok" '"status":"ok"'
http "unknown route" 404 GET /v1/nothing
http "unknown route under v1/mpesa" 404 GET /v1/mpesa/
http "wrong method on health" 405 POST /v1/health "" -d '{}'
http "wrong method on events" 405 GET /v1/events "$TOKEN_A"
http "wrong method on catalog" 405 POST /v1/catalog "$TOKEN_A" -d '{}'
http "wrong method on results" 405 DELETE /v1/mpesa/results "$TOKEN_A"
http "wrong method on the callback" 405 GET "/v1/mpesa/callback/$KEY_A"

# ---- tokens
http "events without a token" 401 POST /v1/events "" -d '{"events":[]}'
http "catalog without a token" 401 GET /v1/catalog
http "results without a token" 401 GET "/v1/mpesa/results?ids=x"
http "a malformed token" 401 GET /v1/catalog "dk1.1.zz"
http "another scheme" 401 GET /v1/catalog "" -H "Authorization: Basic dTpw"
BAD=$(echo "$TOKEN_A" | cut -d. -f1-2).0000000000000000000000000000000000000000000000000000000000000000
http "a wrong secret" 401 POST /v1/events "$BAD" -d '{"events":[]}'
OTHER=dk1.999.$(echo "$TOKEN_A" | cut -d. -f3)
http "the secret of another till" 401 GET /v1/catalog "$OTHER"
H till add --shop a --name spare
SPARE=$(cat "$T/out")
http "a fresh till's token works" 200 GET /v1/catalog "$SPARE"
H till revoke "$(echo "$SPARE" | cut -d. -f2)"
expect "till revoke" 0 "revoked"
http "a revoked token" 401 GET /v1/catalog "$SPARE"
grep -q 'shop=- till=- GET /v1/catalog 401' "$HUB_LOG" &&
	ok "refusals are logged" || fail "refusals are logged" "$(tail -3 "$HUB_LOG")"

# ---- good events, projected
S1=$(ev "$(uuid 1)" sale.completed "$(sale_data 1 S1 15000)")
M1=$(ev "$(uuid 2)" stock.moved "$(stock_data 1 S1 5000)")
C1=$(ev "$(uuid 3)" customer.changed '{"customer_id":1,"name":"Wanjiru","phone":null,"credit_limit":0,"balance":0,"active":true,"created_at":"2026-11-25T10:00:00Z"}')
P1=$(ev "$(uuid 4)" product.changed '{"product_id":7,"sku":"T7","name":"Tea","category":"Drinks","unit":"piece","price":9000,"cost":7000,"tax_class":"standard","reorder_level":0,"reorder_qty":0,"pack_size":1000,"tracks_expiry":false,"active":true,"barcodes":["6001234500001"]}')
R1=$(ev "$(uuid 5)" sale.refunded '{"sale_id":2,"refund_of":1,"till":"T1","receipt_no":2,"receipt":"T1-000002","original":"T1-000001","at":"2026-11-25T11:00:00Z","business_day":"2026-11-25","user":"amina","customer_id":null,"damaged":false,"reason":"broken","gross":-15000,"discount":0,"total":-15000,"vat":0,"lines":[{"line_no":1,"product_id":1,"sku":"S1","name":"Item","qty":-1000,"unit_price":15000,"amount":-15000,"vat":0}],"payments":[{"method":"cash","state":"paid","amount":-15000,"reference":null,"verified":false}]}')
echo "{\"till\":\"T1\",\"events\":[$S1,$M1,$C1,$P1,$R1]}" >"$T/good.json"
http "a batch of good events" 200 POST /v1/events "$TOKEN_A" -d @"$T/good.json"
has "all five accepted" "\"accepted\":[\"$(uuid 1)\",\"$(uuid 2)\",\"$(uuid 3)\",\"$(uuid 4)\",\"$(uuid 5)\"],\"duplicate\":[],\"rejected\":[]"
same "events stored" 5 "$(pq 'SELECT count(*) FROM events')"
same "sale projected" "sale|1|T1-000001|15000|amina" \
    "$(pq "SELECT kind, sale_id, receipt, total, user_name FROM sales WHERE sale_id = 1")"
same "refund projected" "refund|1|-15000|broken|f" \
    "$(pq "SELECT kind, refund_of, total, reason, damaged FROM sales WHERE sale_id = 2")"
same "sale lines projected" "S1|1000|15000|S1|-1000|-15000" \
    "$(pq "SELECT string_agg(sku || '|' || qty || '|' || amount, '|' ORDER BY amount DESC) FROM sale_lines")"
same "payments projected" "cash|paid|15000;mpesa|pending|0;cash|paid|-15000" \
    "$(pq "SELECT string_agg(p.method || '|' || p.state || '|' || p.amount, ';' ORDER BY s.sale_id, p.seq) FROM payments p JOIN sales s USING (shop_id, event_id)")"
same "stock movement projected" "S1|5000|receive" \
    "$(pq "SELECT sku || '|' || qty || '|' || reason FROM stock_movements")"
same "the till's product reaches the catalogue" "Tea|9000|7000|till:$(echo "$TOKEN_A" | cut -d. -f2)" \
    "$(pq "SELECT name || '|' || price || '|' || cost || '|' || changed_by FROM products WHERE sku = 'T7'")"
same "customer.changed stored raw" "Wanjiru" \
    "$(pq "SELECT data->>'name' FROM events WHERE type = 'customer.changed'")"
same "everything carries shop a" 1 \
    "$(pq "SELECT count(DISTINCT shop_id) FROM (SELECT shop_id FROM events UNION ALL SELECT shop_id FROM sales UNION ALL SELECT shop_id FROM sale_lines UNION ALL SELECT shop_id FROM payments UNION ALL SELECT shop_id FROM stock_movements UNION ALL SELECT shop_id FROM products) x")"
grep -q "shop=a till=$(echo "$TOKEN_A" | cut -d. -f2) POST /v1/events 200 accepted=5 duplicate=0 rejected=0" "$HUB_LOG" &&
	ok "the log says who did what" || fail "the log says who did what" "$(tail -3 "$HUB_LOG")"

# ---- idempotence
snapshot() { pq "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM sales) || '/' || (SELECT count(*) FROM sale_lines) || '/' || (SELECT count(*) FROM payments) || '/' || (SELECT count(*) FROM stock_movements) || '/' || (SELECT coalesce(max(seq), 0) FROM products)"; }
before=$(snapshot)
http "the same batch again" 200 POST /v1/events "$TOKEN_A" -d @"$T/good.json"
has "answered duplicate" "\"accepted\":[],\"duplicate\":[\"$(uuid 1)\",\"$(uuid 2)\",\"$(uuid 3)\",\"$(uuid 4)\",\"$(uuid 5)\"]"
same "a repeat changes nothing" "$before" "$(snapshot)"
UP=$(echo "$(uuid 1)" | tr a-f A-F)
echo "{\"events\":[$(ev "$UP" sale.completed "$(sale_data 1 S1 15000)")]}" >"$T/up.json"
http "an id in capitals" 200 POST /v1/events "$TOKEN_A" -d @"$T/up.json"
has "is the same id" "\"duplicate\":[\"$UP\"]"
echo "{\"events\":[$(ev "$(uuid 6)" stock.moved "$(stock_data 2 S1 1)"),$(ev "$(uuid 6)" stock.moved "$(stock_data 2 S1 1)")]}" >"$T/twice.json"
http "one id twice in a batch" 200 POST /v1/events "$TOKEN_A" -d @"$T/twice.json"
has "the second is a duplicate" "\"accepted\":[\"$(uuid 6)\"],\"duplicate\":[\"$(uuid 6)\"]"

# ---- payment.updated: in the sale's own batch, and later
mp_sale() {	# mp_sale SALE_ID PAYMENT_ID
	printf '{"sale_id":%s,"till":"T1","receipt_no":%s,"receipt":"T1-%06d","state":"awaiting_payment","at":"2026-11-25T12:00:00.000Z","business_day":"2026-11-25","user":null,"customer_id":null,"gross":5000,"discount":0,"total":5000,"vat":690,"lines":[{"line_no":1,"product_id":1,"sku":"S1","name":"Item","qty":1000,"shelf_price":5000,"unit_price":5000,"discount":0,"amount":5000,"vat":690,"tax_class":"standard","allocations":[]}],"payments":[{"payment_id":%s,"method":"mpesa","state":"pending","amount":5000,"change":0,"reference":null}]}' \
	    "$1" "$1" "$1" "$2"
}
mp_upd() {	# mp_upd PAYMENT_ID STATE REFERENCE
	printf '{"payment_id":%s,"sale_id":1,"method":"mpesa","state":"%s","amount":5000,"reference":%s,"verified":true,"at":"2026-11-25T12:00:30.000Z"}' \
	    "$1" "$2" "$3"
}
echo "{\"events\":[$(ev "$(uuid 40)" sale.completed "$(mp_sale 40 400)"),$(ev "$(uuid 41)" payment.updated "$(mp_upd 400 failed null)"),$(ev "$(uuid 42)" payment.updated "$(mp_upd 400 paid '"NLJ7RT61SV"')"),$(ev "$(uuid 43)" sale.completed "$(mp_sale 43 430)")]}" >"$T/mp.json"
http "a pending M-PESA sale and its update in one batch" 200 POST /v1/events "$TOKEN_A" -d @"$T/mp.json"
same "the last update wins" "paid|NLJ7RT61SV|true" \
    "$(pq "SELECT state || '|' || reference || '|' || verified FROM payments WHERE payment_id = 400")"
same "the other payment is still pending" "pending" \
    "$(pq "SELECT state FROM payments WHERE payment_id = 430")"
echo "{\"events\":[$(ev "$(uuid 44)" payment.updated "$(mp_upd 430 paid '"QWE7RT61SV"')")]}" >"$T/mp2.json"
http "an update in a later batch" 200 POST /v1/events "$TOKEN_A" -d @"$T/mp2.json"
same "changes the stored payment" "paid|QWE7RT61SV" \
    "$(pq "SELECT state || '|' || reference FROM payments WHERE payment_id = 430")"
echo "{\"events\":[$(ev "$(uuid 45)" payment.updated '{"payment_id":"x","state":"paid"}')]}" >"$T/mp3.json"
http "a malformed update" 200 POST /v1/events "$TOKEN_A" -d @"$T/mp3.json"
has "is rejected" "data.payment_id has the wrong type"

# ---- a batch mixing good and bad events
G7=$(ev "$(uuid 7)" stock.moved "$(stock_data 3 S1 2000)")
echo "{\"events\":[$G7,
$(ev "$(uuid 8)" bogus.type '{}'),
$(ev "$(uuid 9)" stock.moved '{"movement_id":"4","sku":"S1","qty":1,"reason":"receive"}'),
$(ev "$(uuid 10)" sale.completed '{"sale_id":3}'),
{\"id\":\"not-a-uuid\",\"type\":\"stock.moved\",\"at\":\"2026-11-25T10:00:00Z\",\"data\":{}},
{\"type\":\"stock.moved\"},
17,
$(ev "$(uuid 11)" stock.moved "$(stock_data 5 S1 1.5)"),
{\"id\":\"$(uuid 13)\",\"type\":\"stock.moved\",\"at\":\"yesterday\",\"data\":$(stock_data 7 S1 1)},
$(ev "$(uuid 14)" product.changed '{"product_id":1,"sku":"Z","name":"Z","price":-1}'),
$(ev "$(uuid 15)" sale.completed "$(sale_data 15 S1 100 | sed 's/"lines":\[{/"lines":[17,{/')"),
$(ev "$(uuid 16)" shift.opened '[]')
]}" >"$T/mixed.json"
before=$(pq 'SELECT count(*) FROM events')
http "a mixed batch" 200 POST /v1/events "$TOKEN_A" -d @"$T/mixed.json"
case "$code" in 200)
	has "the good event is accepted" "\"accepted\":[\"$(uuid 7)\"]"
	has "unknown type rejected with a reason" "{\"id\":\"$(uuid 8)\",\"index\":1,\"error\":\"unknown event type \\\"bogus.type\\\"\"}"
	has "wrong type rejected" "data.movement_id has the wrong type (integer expected)"
	has "missing field rejected" "data.at is missing"
	has "bad id rejected" "id is not a UUID"
	has "no id rejected" '{"id":null,"index":5,"error":"id is missing or not a string"}'
	has "non-object rejected" "an event must be an object"
	has "fraction in a quantity rejected" "{\"id\":\"$(uuid 11)\",\"index\":7,\"error\":\"data.qty has the wrong type (integer expected)\"}"
	has "bad time rejected" "at is missing or not an RFC 3339 time"
	has "negative price rejected" "data.price must not be negative"
	has "line that is not an object rejected" "data.lines[0] must be an object"
	has "data that is not an object rejected" "data is missing or not an object"
	same "11 of 12 rejected" 11 "$(grep -o '"index"' "$T/body" | wc -l | tr -d ' ')"
esac
same "only the good one stored" "$((before + 1))" "$(pq 'SELECT count(*) FROM events')"
same "its projection too" 1 "$(pq 'SELECT count(*) FROM stock_movements WHERE movement_id = 3')"

# ---- bad bodies: a clear 4xx and nothing changes
before=$(snapshot)
http "malformed JSON" 400 POST /v1/events "$TOKEN_A" -d '{"events":[' && has "says malformed" "malformed JSON"
http "empty body" 400 POST /v1/events "$TOKEN_A"
http "body is an array" 400 POST /v1/events "$TOKEN_A" -d '[]'
http "events not an array" 400 POST /v1/events "$TOKEN_A" -d '{"events":{}}'
http "till of the wrong type" 400 POST /v1/events "$TOKEN_A" -d '{"till":[],"events":[]}'
http "duplicate keys" 400 POST /v1/events "$TOKEN_A" -d '{"events":[],"events":[]}'
echo "{\"events\":[$(ev "$(uuid 12)" stock.moved "$(stock_data 6 S1 99999999999999999999)")]}" >"$T/huge.json"
http "an integer beyond 64 bits" 400 POST /v1/events "$TOKEN_A" -d @"$T/huge.json"
http "invalid UTF-8" 400 POST /v1/events "$TOKEN_A" --data-binary "$(printf '{"events":[],"x":"\377"}')"
deep=$(printf '%0.s[' $(seq 1 40))
http "JSON nested too deep" 400 POST /v1/events "$TOKEN_A" -d "{\"events\":$deep" && has "says so" "nested deeper"
deep2=$(printf '%0.s{"a":' $(seq 1 40))
http "objects nested too deep" 400 POST /v1/events "$TOKEN_A" -d "{\"events\":[],\"x\":${deep2}1"
/usr/bin/python3 -c 'import sys; sys.stdout.write("{\"events\":[" + ",".join(["{}"] * 501) + "]}")' >"$T/501.json" 2>/dev/null ||
	{ printf '{"events":[{}' >"$T/501.json"; for i in $(seq 1 500); do printf ',{}'; done >>"$T/501.json"; printf ']}' >>"$T/501.json"; }
http "more than 500 events" 400 POST /v1/events "$TOKEN_A" -d @"$T/501.json" && has "says at most 500" "at most 500"
head -c 1200000 /dev/zero | tr '\0' ' ' >"$T/big.json"
http "a body over the limit" 413 POST /v1/events "$TOKEN_A" --data-binary @"$T/big.json"
http "a chunked body over the limit" 413 POST /v1/events "$TOKEN_A" -H "Transfer-Encoding: chunked" --data-binary @"$T/big.json"
http "a body over the limit without a token" 401 POST /v1/events "" --data-binary @"$T/big.json"
same "bad bodies changed nothing" "$before" "$(snapshot)"
{ printf '{"events":['; for i in $(seq 1 400); do
	[ "$i" -gt 1 ] && printf ','
	printf '{"id":"%s","type":"customer.changed","at":"2026-11-25T10:00:00Z","data":{"note":"%02000d"}}' "$(uuid $((1000 + i)))" 0
done; printf ']}'; } >"$T/near.json"
http "a body just under 1 MiB" 200 POST /v1/events "$TOKEN_A" -d @"$T/near.json"
has "all 400 accepted" "$(uuid 1400)\"],\"duplicate\":[]"

# ---- the catalogue
H product set --shop a --sku S1 --name "Sugar 1kg" --price 150 --barcode 6001234567890 --barcode 6001234567891 --tax-class zero --category Food --cost 120.50
expect "product set" 0 "S1: Sugar 1kg set"
http "catalog from the start" 200 GET "/v1/catalog?since=0" "$TOKEN_A"
has "has the till's product" '"sku":"T7","name":"Tea","category":"Drinks"'
has "has the hub's product" '"sku":"S1","name":"Sugar 1kg","category":"Food","unit":"piece","price":15000,"cost":12050,"tax_class":"zero","barcodes":["6001234567890","6001234567891"],"active":true,"deleted":false'
CUR=$(sed 's/.*"cursor":"\([0-9]*\)".*/\1/' "$T/body")
http "catalog since the cursor" 200 GET "/v1/catalog?since=$CUR" "$TOKEN_A"
has "nothing new" "{\"products\":[],\"cursor\":\"$CUR\",\"more\":false}"
H product set --shop a --sku S1 --name "Sugar 1kg" --price 155
http "a price change" 200 GET "/v1/catalog?since=$CUR" "$TOKEN_A"
has "comes through the cursor" '"sku":"S1","name":"Sugar 1kg","category":"Food","unit":"piece","price":15500'
has "keeps the barcodes" '"barcodes":["6001234567890","6001234567891"]'
http "pages of one" 200 GET "/v1/catalog?since=0&limit=1" "$TOKEN_A"
has "one product and more" '"more":true'
same "one product per page" 1 "$(grep -o '"sku"' "$T/body" | wc -l | tr -d ' ')"
http "since that is not a cursor" 400 GET "/v1/catalog?since=abc" "$TOKEN_A"
http "negative since" 400 GET "/v1/catalog?since=-1" "$TOKEN_A"
http "limit 0" 400 GET "/v1/catalog?limit=0" "$TOKEN_A"
http "limit too big" 400 GET "/v1/catalog?limit=5001" "$TOKEN_A"
echo "{\"events\":[$(ev "$(uuid 20)" product.changed '{"product_id":7,"sku":"T7","deleted":true}')]}" >"$T/del.json"
http "a deleted product" 200 POST /v1/events "$TOKEN_A" -d @"$T/del.json"
http "reaches the catalogue" 200 GET "/v1/catalog?since=$CUR" "$TOKEN_A"
has "as deleted, name kept" '"sku":"T7","name":"Tea","category":"Drinks","unit":"piece","price":9000,"cost":7000,"tax_class":"standard","barcodes":["6001234500001"],"pack_size":1000,"tracks_expiry":false,"active":false,"deleted":true'
# ---- product import from CSV
printf '\357\273\277SKU,Name,Price,Barcodes,Tax_Class,Category,Unit,Cost,Active,Note\nIMP1,"Maize flour, 2kg",210.50,6161100600010 6161100600027,zero,Food,piece,180,yes,x\nIMP2,Paraffin 1l,190,,standard,,litre,,no,\n\nS1,Sugar 1kg,160,,,,,,,\n' >"$T/ok.csv"
printf 'sku,name,price,unit\nBAD1,Thing,12.345,piece\nBAD2,,5,piece\n,Nameless,5,piece\nBAD4,Rope,5,metre\nGOOD,Good,5,piece\n' >"$T/bad.csv"
before=$(pq "SELECT count(*) || '/' || max(seq) FROM products")
H product import --shop a "$T/bad.csv"
expect "an import with bad rows" 3 "4 rows are wrong; nothing was changed"
grep -q "bad.csv:2: " "$T/err" && grep -q "bad.csv:3: the name" "$T/err" &&
    grep -q "bad.csv:4: the SKU" "$T/err" && grep -q "bad.csv:5: the unit" "$T/err" &&
	ok "names every bad line" || fail "names every bad line" "$(cat "$T/err")"
same "a bad import changes nothing" "$before" "$(pq "SELECT count(*) || '/' || max(seq) FROM products")"
printf 'name,price\nX,1\n' >"$T/nosku.csv"
H product import --shop a "$T/nosku.csv"
expect "an import without a sku column" 3 "at least sku, name and price"
printf 'sku,name,price\n"unclosed,x,1\n' >"$T/broken.csv"
H product import --shop a "$T/broken.csv"
expect "a file that is not CSV" 3 "not CSV"
H product import --shop nosuch "$T/ok.csv"
expect "an import into no shop" 6 "no shop"
H product import --shop a "$T/ok.csv"
expect "an import" 0 "3 products set in shop a"
same "imported as written" "Maize flour, 2kg|21050|18000|zero|Food|[\"6161100600010\", \"6161100600027\"]|true;Paraffin 1l|19000||standard|||false;Sugar 1kg|16000|12050|zero|Food|[\"6001234567890\", \"6001234567891\"]|true" \
    "$(pq "SELECT string_agg(name || '|' || price || '|' || coalesce(cost::text, '') || '|' || tax_class || '|' || category || '|' || (CASE WHEN sku = 'IMP2' THEN '' ELSE barcodes::text END) || '|' || active, ';' ORDER BY sku) FROM products WHERE sku IN ('IMP1', 'IMP2', 'S1')")"

H shop set a --catalog hub
expect "shop set --catalog hub" 0 "catalog: hub"
echo "{\"events\":[$(ev "$(uuid 21)" product.changed '{"product_id":1,"sku":"S1","name":"Till rename","price":1}')]}" >"$T/ren.json"
http "with the hub in charge" 200 POST /v1/events "$TOKEN_A" -d @"$T/ren.json"
same "a till's change is stored, not applied" "1|Sugar 1kg" \
    "$(pq "SELECT (SELECT count(*) FROM events WHERE id = '$(uuid 21)') || '|' || name FROM products WHERE sku = 'S1'")"

# ---- M-PESA
cb() {	# cb CHECKOUT RESULTCODE
	printf '{"Body":{"stkCallback":{"MerchantRequestID":"29115-34620561-1","CheckoutRequestID":"%s","ResultCode":%s,"ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.00},{"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"},{"Name":"Balance"},{"Name":"TransactionDate","Value":20191219102115},{"Name":"PhoneNumber","Value":254708374149}]}}}}' "$1" "$2"
}
http "a Daraja callback" 200 POST "/v1/mpesa/callback/$KEY_A" "" -H "Content-Type: application/json;charset=UTF-8" -d "$(cb ws_CO_A1 0)"
has "is acknowledged as Daraja wants" '{"ResultCode":0,"ResultDesc":"Accepted"}'
http "the same callback again" 200 POST "/v1/mpesa/callback/$KEY_A" "" -d "$(cb ws_CO_A1 1032)"
same "stored once, first wins" "1|0|1.00|NLJ7RT61SV|20191219102115|254708374149" \
    "$(pq "SELECT count(*) || '|' || min(result_code) || '|' || min(amount) || '|' || min(receipt) || '|' || min(transaction_date) || '|' || min(phone) FROM mpesa_results")"
http "a failed payment's callback" 200 POST "/v1/mpesa/callback/$KEY_A" "" -d '{"Body":{"stkCallback":{"MerchantRequestID":"m2","CheckoutRequestID":"ws_CO_A2","ResultCode":1032,"ResultDesc":"Request cancelled by user"}}}'
http "a callback for shop b (the path without \"mpesa\")" 200 POST "/v1/stk/callback/$KEY_B" "" -d "$(cb ws_CO_B1 0)"
http "a callback with an unknown key" 404 POST /v1/mpesa/callback/0123abc "" -d "$(cb ws_CO_X 0)"
http "a callback with a malformed key" 404 POST "/v1/mpesa/callback/a%27b" "" -d "$(cb ws_CO_X 0)"
http "a malformed callback" 400 POST "/v1/mpesa/callback/$KEY_A" "" -d '{"Body":'
http "a callback without stkCallback" 400 POST "/v1/mpesa/callback/$KEY_A" "" -d '{"Body":{}}'
http "a callback with a bad ResultCode" 400 POST "/v1/mpesa/callback/$KEY_A" "" -d '{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_Z","ResultCode":[]}}}'
http "a callback with bad items" 400 POST "/v1/mpesa/callback/$KEY_A" "" -d '{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_Z","ResultCode":0,"CallbackMetadata":{"Item":{}}}}}'
http "a callback too big" 413 POST "/v1/mpesa/callback/$KEY_A" "" --data-binary @"$T/big.json"
same "bad callbacks stored nothing" 3 "$(pq 'SELECT count(*) FROM mpesa_results')"
grep -q "$KEY_A" "$HUB_LOG" && fail "the callback key stays out of the log" "found" ||
	ok "the callback key stays out of the log"
http "results" 200 GET "/v1/mpesa/results?ids=ws_CO_A1,ws_CO_A2,ws_CO_none" "$TOKEN_A"
has "paid one" '{"CheckoutRequestID":"ws_CO_A1","MerchantRequestID":"29115-34620561-1","ResultCode":"0","ResultDesc":"The service request is processed successfully.","Amount":"1.00","MpesaReceiptNumber":"NLJ7RT61SV","TransactionDate":"20191219102115","PhoneNumber":"254708374149"'
has "cancelled one, ResultCode as text" '{"CheckoutRequestID":"ws_CO_A2","MerchantRequestID":"m2","ResultCode":"1032","ResultDesc":"Request cancelled by user"'
has "with the callback as Daraja sent it" '"callback":{"Body":{"stkCallback":{"ResultCode":0,"ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.00}'
same "unknown ids are left out" 2 "$(grep -o '"received_at"' "$T/body" | wc -l | tr -d ' ')"
http "results without ids" 400 GET "/v1/mpesa/results" "$TOKEN_A"
http "results with an empty id" 400 GET "/v1/mpesa/results?ids=a,,b" "$TOKEN_A"
http "results with a quote" 400 GET "/v1/mpesa/results?ids=a%22b" "$TOKEN_A"
http "results with NULL" 200 GET "/v1/mpesa/results?ids=NULL" "$TOKEN_A"
has "finds nothing" '{"results" : []}'
IDS=$(seq -f 'ws_CO_%g' 1 101 | paste -sd, -)
http "101 ids" 400 GET "/v1/mpesa/results?ids=$IDS" "$TOKEN_A" && has "says at most 100" "at most 100"
IDS=$(seq -f 'ws_CO_%g' 1 100 | paste -sd, -)
http "100 ids" 200 GET "/v1/mpesa/results?ids=$IDS" "$TOKEN_A"

# ---- isolation between shops
http "shop b's till reads its catalogue" 200 GET "/v1/catalog?since=0" "$TOKEN_B"
has "and sees none of shop a's" '{"products":[],"cursor":"0","more":false}'
http "shop b's till asks for shop a's results" 200 GET "/v1/mpesa/results?ids=ws_CO_A1,ws_CO_B1" "$TOKEN_B"
has "sees only its own" '"CheckoutRequestID":"ws_CO_B1"'
grep -q ws_CO_A1 "$T/body" && fail "not shop a's" "$(cat "$T/body")" || ok "not shop a's"
http "shop a's till cannot see shop b's result" 200 GET "/v1/mpesa/results?ids=ws_CO_B1" "$TOKEN_A"
has "empty" '{"results" : []}'
echo "{\"till\":\"T1\",\"events\":[$S1,$(ev "$(uuid 30)" sale.completed "$(sale_data 30 B1 700)")]}" >"$T/b.json"
http "shop b's till posts (one id that shop a has)" 200 POST /v1/events "$TOKEN_B" -d @"$T/b.json"
has "both accepted for shop b" "\"accepted\":[\"$(uuid 1)\",\"$(uuid 30)\"]"
same "they land in shop b only" "2|2" \
    "$(pq "SELECT (SELECT count(*) FROM events e JOIN shops s USING (shop_id) WHERE s.code = 'b') || '|' || (SELECT count(*) FROM sales x JOIN shops s USING (shop_id) WHERE s.code = 'b')")"
same "shop a's copy is untouched" "15000|1" \
    "$(pq "SELECT min(x.total) || '|' || count(*) FROM sales x JOIN shops s USING (shop_id) WHERE s.code = 'a' AND x.event_id = '$(uuid 1)'")"
same "shop a has no B1 line" 0 \
    "$(pq "SELECT count(*) FROM sale_lines l JOIN shops s USING (shop_id) WHERE s.code = 'a' AND l.sku = 'B1'")"

TILL_A=$(echo "$TOKEN_A" | cut -d. -f2)
TILL_B=$(echo "$TOKEN_B" | cut -d. -f2)
echo "{\"till\":$TILL_B,\"shop\":\"b\",\"events\":[$(ev "$(uuid 31)" stock.moved "$(stock_data 31 S1 1)")]}" >"$T/forge.json"
http "shop a's till names shop b's till and shop" 200 POST /v1/events "$TOKEN_A" -d @"$T/forge.json"
same "the token decides: shop a, till a" "a|$TILL_A" \
    "$(pq "SELECT s.code || '|' || e.till_id FROM events e JOIN shops s USING (shop_id) WHERE e.id = '$(uuid 31)'")"

# ---- two tills of one shop post the same batch at the same time
H till add --shop a --name second
TOKEN_A2=$(cat "$T/out")
{ printf '{"events":['; for i in $(seq 1 300); do
	[ "$i" -gt 1 ] && printf ','
	ev "$(uuid $((5000 + i)))" stock.moved "$(stock_data $((5000 + i)) S1 1000)"
done; printf ']}'; } >"$T/race.json"
before=$(pq 'SELECT count(*) FROM events')
curl -s -o "$T/race1" -H "Authorization: Bearer $TOKEN_A" -d @"$T/race.json" "$HUB_URL/v1/events" &
r1=$!
curl -s -o "$T/race2" -H "Authorization: Bearer $TOKEN_A2" -d @"$T/race.json" "$HUB_URL/v1/events" &
r2=$!
wait $r1 $r2
same "each event stored once" "$((before + 300))|300" \
    "$(pq "SELECT count(*) || '|' || (SELECT count(*) FROM stock_movements WHERE movement_id > 5000) FROM events")"
same "accepted once in all, the rest duplicate" "300 300" \
    "$(cat "$T/race1" "$T/race2" | grep -o '"accepted":\[[^]]*\]' | grep -o '"0190' | wc -l | tr -d ' ') $(cat "$T/race1" "$T/race2" | grep -o '"duplicate":\[[^]]*\]' | grep -o '"0190' | wc -l | tr -d ' ')"

# ---- what a real till writes: the demo shop's 30 days, plus a refund, a
# pay-in, a purchase order and an M-PESA sale paid later, all accepted
if [ -x "${DUKA:-}" ] && command -v sqlite3 >/dev/null 2>&1; then
	D="$T/demo.db"
	"$DUKA" demo --db "$D" >/dev/null 2>&1 &&
	"$DUKA" --db "$D" shift open --float 1000 >/dev/null 2>&1 &&
	"$DUKA" --db "$D" shift pay-in 500 --reason bank >/dev/null 2>&1 &&
	"$DUKA" --db "$D" refund 1-000001 --reason test >/dev/null 2>&1 &&
	"$DUKA" --db "$D" order add "Bidco Africa" AFIA500ML 12 >/dev/null 2>&1 &&
	"$DUKA" --db "$D" sell AFIA500ML --mpesa-pending 0712345678 >"$T/sold" 2>&1
	rcpt=$(sed -n 's/^Receipt \([0-9]*-[0-9]*\):.*/\1/p' "$T/sold")
	"$DUKA" --db "$D" mpesa pay --receipt "$rcpt" --code QKT5ABC1XY >/dev/null 2>&1
	same "the demo till wrote every kind of event" 11 \
	    "$(sqlite3 "$D" "SELECT count(DISTINCT type) FROM outbox")"
	H shop add demo
	H till add --shop demo
	TOKEN_D=$(cat "$T/out")
	n=$(sqlite3 "$D" "SELECT count(*) FROM outbox")
	off=0 acc=0 rej=0
	while [ "$off" -lt "$n" ]; do
		sqlite3 "$D" "SELECT json_object('till', '1', 'events', json_group_array(json_object('id', id, 'type', type, 'at', at, 'data', json(data)))) FROM (SELECT * FROM outbox ORDER BY seq LIMIT 500 OFFSET $off)" >"$T/demo.json"
		curl -s -o "$T/body" -H "Authorization: Bearer $TOKEN_D" \
		    --data-binary @"$T/demo.json" "$HUB_URL/v1/events"
		acc=$((acc + $(grep -o '"accepted":\[[^]]*\]' "$T/body" | grep -o '"[0-9a-f-]\{36\}"' | wc -l)))
		rej=$((rej + $(grep -o '"index"' "$T/body" | wc -l)))
		[ "$rej" -eq 0 ] || { grep -o '"rejected".*' "$T/body" | head -c 300; echo; }
		off=$((off + 500))
	done
	same "every event of the demo till accepted" "$n 0" "$acc $rej"
	DS="(SELECT shop_id FROM shops WHERE code = 'demo')"
	same "sales and refunds match the till's" \
	    "$(sqlite3 "$D" "SELECT count(*) || '|' || sum(total) || '|' || sum(vat) FROM sales")" \
	    "$(pq "SELECT count(*) || '|' || sum(total) || '|' || sum(vat) FROM sales WHERE shop_id = $DS")"
	same "sale lines match" \
	    "$(sqlite3 "$D" "SELECT count(*) FROM sale_lines")" \
	    "$(pq "SELECT count(*) FROM sale_lines WHERE shop_id = $DS")"
	same "payments match, states included" \
	    "$(sqlite3 "$D" "SELECT group_concat(x, ',') FROM (SELECT state || ':' || count(*) || ':' || sum(amount) AS x FROM payments GROUP BY state ORDER BY state)")" \
	    "$(pq "SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT state || ':' || count(*) || ':' || sum(amount) AS x FROM payments WHERE shop_id = $DS GROUP BY state) y")"
	same "the M-PESA sale is completed on the hub too" "completed" \
	    "$(pq "SELECT state FROM sales WHERE shop_id = $DS AND receipt = '$rcpt'")"
	same "stock movements match" \
	    "$(sqlite3 "$D" "SELECT count(*) FROM outbox WHERE type = 'stock.moved'")" \
	    "$(pq "SELECT count(*) FROM stock_movements WHERE shop_id = $DS")"
else
	echo "# skipped the demo till: no \$DUKA or sqlite3"
fi

# ---- a hub without its database answers 503, and comes back
pg_ctl_stop() { _pg_run "$_pg_bin/pg_ctl" -D "$PGT/data" -m fast -w stop >/dev/null 2>&1; }
pg_ctl_start() { _pg_run "$_pg_bin/pg_ctl" -D "$PGT/data" -l "$PGT/run/pg.log" -w -o "-c listen_addresses= -c unix_socket_directories=$PGT/run -p $PGPORT -c fsync=off" start >/dev/null 2>&1; }
pg_ctl_stop
http "health without PostgreSQL" 503 GET /v1/health
grep -q "$PGT" "$T/body" && fail "no socket path in the answer" "$(cat "$T/body")" ||
	ok "no socket path in the answer"
grep -q 'GET /v1/health 503 db=down error=' "$HUB_LOG" && ok "the log says why" ||
	fail "the log says why" "$(tail -2 "$HUB_LOG")"
http "events without PostgreSQL" 503 POST /v1/events "$TOKEN_A" -d @"$T/good.json"
pg_ctl_start
http "health with PostgreSQL back" 200 GET /v1/health
http "events with PostgreSQL back" 200 POST /v1/events "$TOKEN_A" -d @"$T/good.json"

hub_stop
grep -q 'signal 15, stopping' "$HUB_LOG" && ok "stops on SIGTERM" ||
	fail "stops on SIGTERM" "$(tail -2 "$HUB_LOG")"
same "exits 0 (no leak or sanitizer report)" 0 "$HUB_STATUS"
finish
