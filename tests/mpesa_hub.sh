#!/bin/sh
# mpesa_hub.sh - M-PESA results relayed by a real duka-hub: the Daraja
# test server posts its callbacks to the hub's /v1/mpesa/callback/KEY, and
# "duka mpesa run" learns them (with the receipt number) through
# GET /v1/mpesa/results with the till's token. Skipped (77) when duka-hub
# is not built or PostgreSQL is not installed.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/hub/pg.sh"
. "$top_srcdir/tests/daraja/lib.sh"

[ -x "$DUKA_HUB" ] || { echo "SKIP: $DUKA_HUB not built"; exit 77; }
pg_start || { echo "SKIP: $PG_SKIP_REASON"; exit 77; }
trap 'stop_server; _pg_cleanup' EXIT
hub_init || { echo "hub init-db failed"; exit 1; }
hub_start || { echo "duka-hub did not start"; exit 1; }
hub_add_shop nairobi-1 "Mama Njeri"
hub_add_till nairobi-1 front
DB="$T/shop.db"

sale() {
	d sell UNGA --mpesa-pending "$1" --quiet
	R=$(cat "$T/out")
}
last_state() { q "SELECT state FROM mpesa_attempts ORDER BY id DESC LIMIT 1"; }
last_id() { q "SELECT max(id) FROM mpesa_attempts"; }
sale_state() { q "SELECT state FROM sales WHERE receipt_no = ${R#T1-}"; }

start_server
conf hub "$HUB_URL/v1/mpesa/callback/$CALLBACK_KEY" "$HUB_URL" "$TOKEN"
run --config "$CONF" --db "$DB" init
expect "init" 0
d product add --sku UNGA --name "Jogoo unga 2kg" --price 99.50
d stock receive UNGA 10
d shift open --float 0
expect "open a shift" 0

# Paid: the receipt number comes through the hub.
sale 0708374149
d mpesa push --receipt "$R"
expect "queue a prompt" 0 "queued"
d mpesa run
expect "run" 0 "No M-PESA prompt is pending"
check_eq "paid through the hub" "$(last_state)" paid
check_eq "sale completed" "$(sale_state)" completed
check_eq "the hub stored the callback" \
	"$(pq "SELECT receipt FROM mpesa_results WHERE checkout_request_id = '$(q "SELECT checkout_request_id FROM mpesa_attempts WHERE id = $(last_id)")'")" \
	"$(q "SELECT mpesa_receipt FROM mpesa_attempts WHERE id = $(last_id)")"
check_eq "payment verified" \
	"$(q "SELECT verified FROM payments WHERE reference = (SELECT mpesa_receipt FROM mpesa_attempts WHERE id = $(last_id))")" 1

# Cancelled: the hub's callback says so; the sale still awaits payment.
ctl '{"results": {"254711000001": "1032"}}'
sale 0711000001
d mpesa push --receipt "$R"
d mpesa run
check_eq "cancelled through the hub" "$(last_state)" cancelled
check_eq "sale still awaiting payment" "$(sale_state)" awaiting_payment

# A wrong till token: the hub says 401, the query still settles it.
conf badtoken "$HUB_URL/v1/mpesa/callback/$CALLBACK_KEY" "$HUB_URL" wrong-token
ctl '{"results": {}}'
sale 0722000001
d mpesa push --receipt "$R"
d mpesa run
check_eq "no hub access: the query's answer (no receipt)" "$(last_state)" confirmed

d check
expect "ledger consistent" 0 "all checks passed"
finish
