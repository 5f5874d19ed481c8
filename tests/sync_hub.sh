#!/bin/sh
# sync_hub.sh - the till and a real duka-hub on a throwaway PostgreSQL:
# 200 sales made while the hub is unreachable arrive exactly once when it
# is back, and the hub's totals (sales, lines, payments) equal the till's;
# a price changed on the hub reaches the till's catalogue and leaves its
# stock alone, without a product.changed event going back; a wrong token
# stops with a configuration error and marks nothing; --status tells.
# Skips (77) when duka-hub was not built or PostgreSQL is missing.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/hub/pg.sh"

[ -x "$DUKA_HUB" ] || { echo "SKIP: duka-hub not built (--without-hub)"; exit 77; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: psql not installed"; exit 77; }
pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 77; }
hub_init >/dev/null || { echo "hub_init failed"; exit 1; }
hub_start || exit 1
hub_add_shop s1 "Duka One" || exit 1
hub_add_till s1 "Till 1" || exit 1

DB="$T/shop.db"
CONF="$T/duka.conf"
export USER=amina
d() { run --db "$DB" --config "$CONF" "$@"; }
# conf URL TOKEN: the till's settings.
conf() {
	printf '[till]\nid = T1\n[hub]\nurl = %s\ntoken = %s\ntimeout = 3\n' \
	    "$1" "$2" >"$CONF"
	chmod 600 "$CONF"
}
# A port nobody listens on: the hub is "down".
DEAD=http://127.0.0.1:9
conf "$DEAD" "$TOKEN"

d init
expect "init" 0
d product add --sku SUG1 --name "Sugar 1kg" --price 210 --barcode 6161100600010
expect "add sugar" 0
d product add --sku TOM1 --name "Tomatoes" --price 120 --unit kg --tax zero
expect "add tomatoes" 0
d stock receive SUG1 1000
expect "receive sugar" 0
d stock receive TOM1 500
expect "receive tomatoes" 0
d shift open --float 1000
expect "open shift" 0

# 200 sales with the hub away: cash, loose goods, two lines.
i=0
bad=0
while [ $i -lt 200 ]; do
	case $((i % 3)) in
	0) d sell SUG1 --cash 500 ;;
	1) d sell "TOM1*0.$((i % 9 + 1))25" --cash 200 ;;
	2) d sell SUG1 "TOM1*1.5" --card "R$i" ;;
	esac
	[ "$status" = 0 ] || bad=$((bad + 1))
	i=$((i + 1))
done
[ $bad -eq 0 ] && ok "200 sales offline" || fail "200 sales offline" "$bad failed: $(cat "$T/err")"

d sync --once
expect "once with the hub down fails" 1 "cannot be reached"
d sync --status
expect "status says offline" 0 "offline"
unsent=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
grep -qF "unsent:     $unsent " "$T/out" && ok "status counts unsent" ||
	fail "status counts unsent" "$unsent not in $(cat "$T/out")"

# A wrong token: a configuration error, nothing marked.
conf "$HUB_URL" "dk1.$TILL.wrongwrongwrong"
d sync --once
expect "wrong token" 7 "token"
n=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state <> 'pending'")
[ "$n" = 0 ] && ok "wrong token marks nothing" || fail "wrong token marks nothing" "$n marked"
d sync --status
expect "status says the token is refused" 0 "refused"

# The hub is back.
conf "$HUB_URL" "$TOKEN"
d sync --once
expect "once delivers" 0 "sent $unsent events"
n=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state <> 'sent'")
[ "$n" = 0 ] && ok "nothing left unsent" || fail "nothing left unsent" "$n"

# Exactly once, and the same totals on both sides.
tsales=$(sql "$DB" "SELECT count(*) || ' ' || sum(total) || ' ' || sum(vat) FROM sales")
hsales=$(pq "SELECT count(*) || ' ' || sum(total) || ' ' || sum(vat) FROM sales WHERE till_id = $TILL")
[ "$tsales" = "$hsales" ] && ok "sales totals equal ($tsales)" ||
	fail "sales totals equal" "till $tsales hub $hsales"
tlines=$(sql "$DB" "SELECT count(*) || ' ' || sum(qty) || ' ' || sum(amount) FROM sale_lines")
hlines=$(pq "SELECT count(*) || ' ' || sum(qty) || ' ' || sum(amount) FROM sale_lines")
[ "$tlines" = "$hlines" ] && ok "line totals equal ($tlines)" ||
	fail "line totals equal" "till $tlines hub $hlines"
tpay=$(sql "$DB" "SELECT method || ':' || sum(amount) FROM payments GROUP BY method ORDER BY method" | tr '\n' ' ')
hpay=$(pq "SELECT method || ':' || sum(amount) FROM payments GROUP BY method ORDER BY method" | tr '\n' ' ')
[ "$tpay" = "$hpay" ] && ok "payments equal ($tpay)" ||
	fail "payments equal" "till $tpay hub $hpay"
tev=$(sql "$DB" "SELECT count(*) FROM outbox")
hev=$(pq "SELECT count(*) || ' ' || count(DISTINCT id) FROM events WHERE till_id = $TILL")
[ "$hev" = "$tev $tev" ] && ok "every event once ($tev)" ||
	fail "every event once" "till $tev hub $hev"
tmov=$(sql "$DB" "SELECT count(*) FROM outbox WHERE type = 'stock.moved'")
hmov=$(pq "SELECT count(*) FROM stock_movements WHERE till_id = $TILL")
[ "$tmov" = "$hmov" ] && ok "stock movements projected ($tmov)" ||
	fail "stock movements projected" "till $tmov hub $hmov"

# Again: nothing to send, nothing doubled.
d sync --once
expect "once again" 0 "sent 0 events"
hev2=$(pq "SELECT count(*) FROM events WHERE till_id = $TILL")
[ "$hev2" = "$tev" ] && ok "nothing doubled" || fail "nothing doubled" "$hev2"

# The catalogue: a price and a name changed on the hub.
stock_before=$(sql "$DB" "SELECT stock_qty FROM products WHERE sku = 'SUG1'")
events_before=$(sql "$DB" "SELECT count(*) FROM outbox")
hub_product s1 SUG1 "Sugar 1kg Mumias" 235.50 --barcode 6161100600010 \
	--barcode 5901234123457 >/dev/null
hub_product s1 RICE1 "Pishori Rice 2kg" 380 --tax-class zero >/dev/null
d sync --once
expect "pull the catalogue" 0
p=$(sql "$DB" "SELECT name || '|' || price || '|' || stock_qty FROM products WHERE sku = 'SUG1'")
[ "$p" = "Sugar 1kg Mumias|23550|$stock_before" ] && ok "price changed, stock not" ||
	fail "price changed, stock not" "$p (stock was $stock_before)"
p=$(sql "$DB" "SELECT count(*) FROM barcodes b JOIN products p ON p.id = b.product_id WHERE p.sku = 'SUG1'")
[ "$p" = 2 ] && ok "barcodes from the hub" || fail "barcodes from the hub" "$p"
p=$(sql "$DB" "SELECT price || '|' || tax_class || '|' || stock_qty FROM products WHERE sku = 'RICE1'")
[ "$p" = "38000|zero|0" ] && ok "new product from the hub" || fail "new product from the hub" "$p"
n=$(sql "$DB" "SELECT count(*) FROM outbox")
[ "$n" = "$events_before" ] && ok "no event back to the hub" ||
	fail "no event back to the hub" "$events_before -> $n"
d product show SUG1
expect "the till sells at the hub's price" 0 "235.50"

d sync --status
expect "status online" 0 "online"
grep -qF "unsent:     0" "$T/out" && ok "status: nothing unsent" ||
	fail "status: nothing unsent" "$(cat "$T/out")"

finish
