#!/bin/sh
# mpesa.sh - M-PESA STK Push through the real binary ("duka mpesa run")
# against the Daraja test server (tests/daraja/daraja_server.py): paid,
# cancelled, timed out, insufficient funds, wrong PIN, unknown codes,
# token expiry, a hung push that must not be sent twice, outages and rate
# limits that stay pending, offline queueing, double payments in the
# reconciliation, account prompts, Buy Goods, and bad input.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/daraja/lib.sh"
DB="$T/shop.db"
trap 'stop_server; rm -rf "$T"' EXIT

# sale PHONE: sell a bag of flour (KSh 99.50) awaiting an M-PESA prompt.
sale() {
	d sell UNGA --mpesa-pending "$1" --quiet
	R=$(cat "$T/out")
}

# The last attempt's state.
last_state() { q "SELECT state FROM mpesa_attempts ORDER BY id DESC LIMIT 1"; }
last_id() { q "SELECT max(id) FROM mpesa_attempts"; }
sale_state() { q "SELECT state FROM sales WHERE receipt_no = ${R#T1-}"; }

start_server
conf hub "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
run --config "$CONF" --db "$DB" init
expect "init" 0
d product add --sku UNGA --name "Jogoo unga 2kg" --price 99.50
expect "a product" 0
d stock receive UNGA 100
expect "stock" 0
d shift open --float 0
expect "open a shift" 0
d customer add "Mama Njeri" --phone 0711222333 --limit 5000
expect "a customer" 0

# --- paid through the hub's relay: receipt stored, sale completed -------
sale 0708374149
expect "sale awaiting M-PESA" 0 "T1-"
d mpesa push --receipt "$R"
expect "queue a prompt" 0 "rounded up"
check_eq "queued, not sent yet" "$(last_state)" queued
check_eq "nothing sent before run" "$(pushes)" 0
d mpesa run
expect "run until nothing is pending" 0 "No M-PESA prompt is pending"
check_eq "attempt paid" "$(last_state)" paid
check_eq "receipt number stored" \
	"$(q "SELECT mpesa_receipt IS NOT NULL AND length(mpesa_receipt) = 10 FROM mpesa_attempts WHERE id = $(last_id)")" 1
check_eq "payment paid with the receipt, verified" \
	"$(q "SELECT p.state || ' ' || p.verified || ' ' || (p.reference = a.mpesa_receipt) FROM payments p JOIN mpesa_attempts a ON a.payment_id = p.id WHERE a.id = $(last_id)")" "paid 1 1"
check_eq "sale completed by itself" "$(sale_state)" completed
check_eq "payment.updated event" \
	"$(q "SELECT count(*) FROM outbox WHERE type = 'payment.updated'")" 1
check_eq "audit row of the payment" \
	"$(q "SELECT count(*) FROM audit_log WHERE action = 'payment.paid'")" 1
check_eq "whole shillings asked (99.50 -> 100)" \
	"$(srv /__test/pushes "j[-1]['Amount']")" 100
check_eq "AccountReference is the receipt, <= 12" \
	"$(srv /__test/pushes "j[-1]['AccountReference']")" T1000001
check_eq "TransactionDesc <= 13" \
	"$(srv /__test/pushes "len(j[-1]['TransactionDesc']) <= 13 and j[-1]['TransactionDesc']")" "Duka la Mama"
check_eq "paybill: PartyB is the short code" \
	"$(srv /__test/pushes "j[-1]['PartyB'] + j[-1]['TransactionType']")" 174379CustomerPayBillOnline
d check
expect "ledger consistent after a paid prompt" 0 "all checks passed"
d mpesa push --receipt "$R"
expect "a completed sale takes no prompt" 6 "no M-PESA payment waiting"

# --- final answers through STK Push Query (no hub) ------------------------
conf nohub "http://127.0.0.1:$PORT/__test/relay"
for case in "0711000001 1032 cancelled" "0711000002 1037 timed_out" \
	"0711000003 1 insufficient" "0711000004 2001 wrong_pin" \
	"0711000005 1019 timed_out" "0711000006 1001 try_later" \
	"0711000007 9999 failed" "0711000008 E3008 failed"; do
	set -- $case
	ctl "{\"results\": {\"254${1#0}\": \"$2\"}, \"pending_style\": \"new\"}"
	sale "$1"
	d mpesa push --receipt "$R"
	d mpesa run
	check_eq "result $2 -> $3" "$(last_state)" "$3"
	check_eq "result $2 stored as a string" \
		"$(q "SELECT typeof(result_code) || result_code FROM mpesa_attempts WHERE id = $(last_id)")" "text$2"
	check_eq "result $2: sale still awaiting payment" "$(sale_state)" awaiting_payment
	check_eq "result $2: payment still pending" \
		"$(q "SELECT p.state FROM payments p JOIN mpesa_attempts a ON a.payment_id = p.id WHERE a.id = $(last_id)")" pending
done
d mpesa status
expect "status lists the outcomes" 0 "cancelled by the customer"
grep -qF "failed, needs review" "$T/out" && ok "unknown code shown as needs review" ||
	fail "needs review" "$(cat "$T/out")"

# A retry after a final answer is a new attempt, then pay in cash instead.
ctl '{"results": {"254711000001": "none"}}'
sale 0711000001
d mpesa push --receipt "$R"
d mpesa push --receipt "$R"
expect "no second prompt while one is queued" 3 "stop waiting"
d mpesa run --once
expect "run once" 0
check_eq "sent and waiting" "$(last_state)" waiting
d mpesa stop "$(last_id)"
expect "stop waiting" 0 "Stopped waiting"
d mpesa pay --receipt "$R" --cash 50
expect "too little cash refused" 3 "less than"
d mpesa pay --receipt "$R" --cash 100
expect "switch tender to cash" 0 "Change: KSh 0.50"
check_eq "switched sale completed" "$(sale_state)" completed
check_eq "pending row cancelled, cash row paid" \
	"$(q "SELECT group_concat(method || ':' || state, ' ') FROM (SELECT * FROM payments WHERE sale_id = (SELECT id FROM sales WHERE receipt_no = ${R#T1-}) ORDER BY id)")" "mpesa:cancelled cash:paid"
d check
expect "ledger consistent after the switch" 0 "all checks passed"

# --- paid by the query alone: confirmed, never "paid" without a receipt ---
ctl '{"results": {}, "pending_style": "old"}'
sale 0722000001
d mpesa push --receipt "$R"
d mpesa run
check_eq "query says paid, no receipt: confirmed" "$(last_state)" confirmed
check_eq "confirmed is not paid: sale awaits" "$(sale_state)" awaiting_payment
d mpesa push --receipt "$R"
expect "no new prompt for a confirmed one" 3 "key in the code"
d mpesa pay --receipt "$R" --code "qkt5abc1xy"
expect "key in the customer's code" 0 "is paid"
check_eq "keyed code unverified" \
	"$(q "SELECT verified FROM payments WHERE reference = 'QKT5ABC1XY'")" 0
d mpesa pay --receipt "$R" --code QKT5ABC1XY
expect "nothing pending any more" 6

# --- token: expires_in as a number, and Invalid Access Token -------------
conf hub "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
ctl '{"expires_in": "3599", "expires_in_number": true, "token_life": 0.2, "pending_style": "old", "result_delay": 2.0}'
before=$(srv /__test/tokens 'j["issued"]')
sale 0722000002
d mpesa push --receipt "$R"
d mpesa run
check_eq "paid despite a revoked token" "$(last_state)" paid
after=$(srv /__test/tokens 'j["issued"]')
[ "$after" -ge $((before + 2)) ] && ok "a fresh token after Invalid Access Token" ||
	fail "token retry" "tokens $before -> $after"
ctl '{"expires_in_number": false, "bad_token_style": "401", "callback_times": 2}'
before=$(srv /__test/tokens 'j["issued"]')
sale 0722000004
d mpesa push --receipt "$R"
d mpesa run
check_eq "401 Invalid Access Token, duplicate callbacks: paid once" "$(last_state)" paid
after=$(srv /__test/tokens 'j["issued"]')
[ "$after" -ge $((before + 2)) ] && ok "a fresh token after a 401" ||
	fail "401 token retry" "tokens $before -> $after"
check_eq "one payment.updated per paid prompt" \
	"$(q "SELECT count(*) FROM outbox WHERE type = 'payment.updated' AND json_extract(data, '$.sale_id') = (SELECT id FROM sales WHERE receipt_no = ${R#T1-})")" 1
ctl '{"token_life": 3600, "result_delay": 0.3, "bad_token_style": "404", "callback_times": 1}'

# --- a hung push: outcome unknown, never sent twice ------------------------
ctl '{"faults": [{"on": "push", "mode": "hang", "times": 1, "phone": "254722000003"}], "hang_seconds": 3}'
n0=$(pushes)
sale 0722000003
d mpesa push --receipt "$R"
d mpesa run
check_eq "hung push: outcome unknown" "$(last_state)" unknown
d mpesa status
expect "status says unknown" 0 "outcome unknown"
d mpesa run
d mpesa run --once
sleep 1
check_eq "the push reached the server once and was not re-sent" "$(pushes)" $((n0 + 1))
check_eq "sale awaits the attendant's decision" "$(sale_state)" awaiting_payment
d mpesa push --receipt "$R"
expect "the attendant sends a new prompt as a separate attempt" 0 "queued"
d mpesa run
check_eq "the new attempt paid" "$(last_state)" paid
check_eq "one push more" "$(pushes)" $((n0 + 2))
d mpesa reconcile
expect "reconcile" 0 "outcome unknown"

# --- killed while sending: unknown, never sent again ----------------------
ctl '{"faults": [{"on": "push", "mode": "hang", "times": 1, "phone": "254722000005"}], "hang_seconds": 4}'
n0=$(pushes)
sale 0722000005
d mpesa push --receipt "$R"
"$DUKA" --config "$CONF" --db "$DB" mpesa run >/dev/null 2>&1 &
runpid=$!
i=0
while [ "$(last_state)" != sending ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
kill -9 "$runpid" 2>/dev/null
wait "$runpid" 2>/dev/null
check_eq "killed while sending: the row says sending" "$(last_state)" sending
d mpesa run
check_eq "found later: outcome unknown" "$(last_state)" unknown
sleep 1
check_eq "killed while sending: pushed once, not again" "$(pushes)" $((n0 + 1))
d mpesa stop "$(last_id)"

# --- outages and rate limits on queries stay pending, then paid ----------
conf nohub "http://127.0.0.1:$PORT/__test/relay"
for mode in html503 html200 truncated ratelimit internal; do
	ctl "{\"faults\": [{\"on\": \"query\", \"mode\": \"$mode\", \"times\": 3, \"phone\": \"254733000001\"}]}"
	sale 0733000001
	d mpesa push --receipt "$R"
	d mpesa run --once
	sleep 0.5
	d mpesa run --once
	check_eq "query $mode: still waiting" "$(last_state)" waiting
	d mpesa run
	check_eq "query $mode: then paid (confirmed by the query)" "$(last_state)" confirmed
	check_eq "query $mode: several queries" \
		"$(q "SELECT queries >= 3 FROM mpesa_attempts WHERE id = $(last_id)")" 1
	d mpesa stop "$(last_id)"
done

# --- outages on the push: a 503 page or a rate limit is sent again, a
# cut-short answer is unknown and is not -----------------------------------
conf hub "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
for mode in html503 ratelimit; do
	ctl "{\"faults\": [{\"on\": \"push\", \"mode\": \"$mode\", \"times\": 1, \"phone\": \"254744000001\"}]}"
	n0=$(pushes)
	sale 0744000001
	d mpesa push --receipt "$R"
	d mpesa run --once
	check_eq "push $mode: queued again" "$(last_state)" queued
	d mpesa run
	check_eq "push $mode: sent later and paid" "$(last_state)" paid
	check_eq "push $mode: one accepted push" "$(pushes)" $((n0 + 1))
done
for mode in truncated html200; do
	ctl "{\"faults\": [{\"on\": \"push\", \"mode\": \"$mode\", \"times\": 1, \"phone\": \"254744000002\"}]}"
	n0=$(pushes)
	sale 0744000002
	d mpesa push --receipt "$R"
	d mpesa run
	check_eq "push $mode: outcome unknown" "$(last_state)" unknown
	sleep 0.5
	d mpesa run
	check_eq "push $mode: not sent again" "$(pushes)" $((n0 + 1))
	d mpesa stop "$(last_id)"
done
ctl '{"faults": [{"on": "token", "mode": "html503", "times": 1}]}'
sale 0744000003
d mpesa push --receipt "$R"
d mpesa run --once
check_eq "token endpoint down: queued again" "$(last_state)" queued
d mpesa run
check_eq "token endpoint back: paid" "$(last_state)" paid

# run_settled: duka mpesa run until no prompt is pending. With
# DUKA_MPESA_FAST the wait for a receipt relayed by the hub is a few
# seconds; on a loaded machine the receipt can come after run has stopped,
# and the next run fetches it.
run_settled() {
	for i in 1 2 3 4 5; do
		d mpesa run
		grep -qF "No M-PESA prompt is pending" "$T/out" && break
	done
}

# --- offline: queued while nothing listens, sent when the server starts --
stop_server
PORT=$(free_port)
conf offline "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
sale 0755000001
d mpesa push --receipt "$R"
d mpesa run --once
expect "run while offline" 0 "still pending"
check_eq "offline: still queued" "$(last_state)" queued
grep -qF "network" "$T/out" && ok "offline: the reason is shown" ||
	fail "offline reason" "$(cat "$T/out")"
start_server "$PORT"
run_settled
check_eq "back online: sent and paid" "$(last_state)" paid
check_eq "sale completed" "$(sale_state)" completed

# --- two paid attempts for one sale: flagged for a refund ------------------
ctl '{"result_delay": 1.0}'
sale 0766000001
d mpesa push --receipt "$R"
d mpesa run --once
first=$(last_id)
d mpesa stop "$first"
d mpesa push --receipt "$R"
expect "a new prompt after stopping" 0 "queued"
# Follow until both results are in: on a loaded machine the second
# prompt's receipt may come first, and run stops once the sale is paid.
run_settled
check_eq "first attempt paid" "$(q "SELECT state FROM mpesa_attempts WHERE id = $first")" paid
check_eq "second attempt paid" "$(last_state)" paid
check_eq "only one of them applied" \
	"$(q "SELECT sum(applied) FROM mpesa_attempts WHERE payment_id = (SELECT payment_id FROM mpesa_attempts WHERE id = $first)")" 1
# Which of the two settles the sale depends on which receipt comes first;
# the other is the double, whichever it is.
case "$(q "SELECT applied FROM mpesa_attempts WHERE id = $first")$(last_state)$(q "SELECT applied FROM mpesa_attempts WHERE id = $(last_id)")" in
1paid0|0paid1) ok "one prompt settled it, the other is the double" ;;
*) fail "one prompt settled it, the other is the double" \
	"$(q "SELECT id, state, applied FROM mpesa_attempts WHERE payment_id = (SELECT payment_id FROM mpesa_attempts WHERE id = $first)")" ;;
esac
check_eq "sale completed once" "$(sale_state)" completed
d check
expect "ledger consistent after a double payment" 0 "all checks passed"
d mpesa reconcile
expect "reconcile flags the double payment" 0 "double payment: refund this one"
d mpesa reconcile --format csv
expect "reconcile as CSV" 0 "mpesa_receipt,amount"
grep -q "double payment" "$T/out" && ok "CSV carries the flag" || fail "csv flag" "$(cat "$T/out")"
# A late paid result for a sale switched to cash is a double payment too.
sale 0766000002
d mpesa push --receipt "$R"
d mpesa run --once
d mpesa pay --receipt "$R" --cash exact
expect "switched to cash while the prompt is out" 0 "is paid"
d mpesa run
check_eq "late paid result recorded" "$(last_state)" paid
check_eq "late paid result not applied" "$(q "SELECT applied FROM mpesa_attempts WHERE id = $(last_id)")" 0
d mpesa show "$(last_id)"
expect "show says so" 0 "NOT applied"
ctl '{"result_delay": 0.3}'

# --- refusals: a prompt already open on the phone, wrong keys ------------
ctl '{"lock_subscriber": true, "results": {"254799000001": "none"}}'
sale 0799000001
d mpesa push --receipt "$R"
d mpesa run --once
first=$(last_id)
sale 0799000001
d mpesa push --receipt "$R"
d mpesa run --once
check_eq "another prompt open on the phone: try later" "$(last_state)" try_later
d mpesa show "$(last_id)"
expect "show says why" 0 "Unable to lock subscriber"
d mpesa stop "$first"
ctl '{"lock_subscriber": false, "results": {}}'
sed 's/^consumer_secret = .*/consumer_secret = wrong/' "$CONF" >"$T/badkey.conf"
chmod 600 "$T/badkey.conf"
run --config "$T/badkey.conf" --db "$DB" mpesa push --receipt "$R"
expect "queue with wrong keys" 0 "queued"
n0=$(pushes)
run --config "$T/badkey.conf" --db "$DB" mpesa run
check_eq "wrong consumer secret: failed, not retried forever" "$(last_state)" failed
check_eq "wrong consumer secret: nothing sent" "$(pushes)" "$n0"
d mpesa show "$(last_id)"
expect "the reason names the keys" 0 "consumer key and secret"
sed 's/^passkey = .*/passkey = 0000/' "$CONF" >"$T/badpass.conf"
chmod 600 "$T/badpass.conf"
run --config "$T/badpass.conf" --db "$DB" mpesa push --receipt "$R"
run --config "$T/badpass.conf" --db "$DB" mpesa run
check_eq "wrong passkey: refused, failed" "$(last_state)" failed
d mpesa show "$(last_id)"
expect "the reason is Daraja's" 0 "Wrong credentials"
d mpesa push --receipt "$R"
d mpesa run
check_eq "right keys again: paid" "$(last_state)" paid

# --- a prompt towards a customer's account --------------------------------
d sell UNGA --account "Mama Njeri" --quiet
expect "a sale on account" 0
d mpesa push --customer "Mama Njeri" --amount 50.50
expect "account prompt needs whole shillings" 3 "whole shillings"
d mpesa push --customer "Mama Njeri" --amount 500
expect "account prompt above the balance refused" 3 "more than"
d mpesa push --customer "Mama Njeri" --amount 60
expect "account prompt" 0 "254711222333"
d mpesa run
check_eq "account prompt paid" "$(last_state)" paid
check_eq "customer payment by M-PESA" \
	"$(q "SELECT count(*) FROM customer_payments WHERE method = 'mpesa' AND amount = 6000 AND reference = (SELECT mpesa_receipt FROM mpesa_attempts WHERE id = $(last_id))")" 1
check_eq "balance lowered" "$(q "SELECT balance FROM customers WHERE name = 'Mama Njeri'")" 3950
d mpesa push --customer "Mama Njeri" --amount 39
expect "a second account prompt, queued" 0 "queued"
d customer pay "Mama Njeri" 39.50
expect "the customer pays cash before it goes" 0
n0=$(pushes)
d mpesa run
check_eq "an account prompt no longer owed is not sent" "$(last_state)" not_sent
check_eq "nothing pushed for it" "$(pushes)" "$n0"

# --- Buy Goods (till number) -----------------------------------------------
conf buygoods "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token buygoods
sale 0777000001
d mpesa push --receipt "$R"
d mpesa run
check_eq "buy goods paid" "$(last_state)" paid
check_eq "buy goods: store number and till" \
	"$(srv /__test/pushes "j[-1]['BusinessShortCode'] + ' ' + j[-1]['PartyB'] + ' ' + j[-1]['TransactionType']")" \
	"300584 5544332 CustomerBuyGoodsOnline"

# --- bad input changes nothing ---------------------------------------------
conf hub "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
sale 0788000001
n=$(q "SELECT count(*) FROM mpesa_attempts")
for bad in 0812345678 12345 +25571234567 2547123456789 07123456789 abc; do
	d mpesa push --receipt "$R" --phone "$bad"
	expect "bad phone $bad refused" 3 "Safaricom mobile number"
done
d mpesa push --receipt T1-999999
expect "unknown receipt" 6
d mpesa push
expect "push without a receipt" 2
d mpesa stop 999
expect "stop an unknown prompt" 6
d mpesa stop abc
expect "stop a non-number" 3
d mpesa reconcile --format xml
expect "unknown format" 2
d mpesa reconcile --from 2026-13-01
expect "bad date" 3
d mpesa frobnicate
expect "unknown subcommand" 2
check_eq "refusals added no prompt" "$(q "SELECT count(*) FROM mpesa_attempts")" "$n"
: >"$T/empty.conf"
run --db "$DB" --config "$T/empty.conf" mpesa push --receipt "$R"
expect "no [mpesa] settings" 7 "consumer_key"
d mpesa push --receipt "$R" --phone "+254 788 000 002"
expect "a phone with +254 and spaces" 0 "254788000002"
d mpesa stop "$(last_id)"
expect "stop a queued prompt" 0
check_eq "a stopped queued prompt is never sent" "$(last_state)" not_sent

d check
expect "ledger consistent at the end" 0 "all checks passed"
finish
