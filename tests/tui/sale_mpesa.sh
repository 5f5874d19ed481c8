#!/bin/sh
# sale_mpesa.sh - the M-PESA prompt from the sale screen, against the
# Daraja test server: a prompt paid by the customer completes the sale by
# itself while the dialog shows it; a prompt the customer cancels is shown
# as cancelled, and the sale is then paid in cash instead (switch tender);
# a prompt waited for no more (F3) is sent again (F4) as a new attempt and
# paid; when M-PESA says paid without a receipt number, the code from the
# customer's SMS is keyed in (F7); a sale still awaiting when the till
# closes is followed at the next start; a sale left awaiting (Esc) completes in the background and the screen
# says so; a bad phone number is refused in the form. The results come as
# Daraja's callback relayed by a hub (the test server plays both).
# Numbers are typed in groups: ten digits and Enter in one go would be a
# scanner's burst (kept for the cart), as from a person they are not.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
TUI_ENV="DUKA_MPESA_FAST DUKA_TEST_CHEAP_PIN_HASH"
# The demo shop sends no prompts: a shop of its own, with an owner.
TUI_NO_DEMO=1
export DUKA_TEST_CHEAP_PIN_HASH=1
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/daraja/lib.sh"
trap 'stop_server; tui_cleanup' EXIT

J2=6161100600010
start_server
conf hub "http://127.0.0.1:$PORT/__test/relay" "http://127.0.0.1:$PORT" till-token
dk() { "$DUKA" --config "$CONF" --db "$DB" "$@" >>"$T/setup.out" 2>&1 ||
	fail "setup: $*" "$(tail -3 "$T/setup.out")"; }
dk init
DUKA_NEW_PIN=1234 dk user add boss --role owner
export DUKA_PIN=1234
dk --user boss product add --sku SUG1 --name "Mumias Sugar 1kg" --price 189 \
	--barcode $J2
dk --user boss stock receive SUG1 100
dk --user boss shift open --float 1000
unset DUKA_PIN
ctl '{"results": {"254711000001": "1032"}, "pending_style": "new"}'
last() { db_val "SELECT $1 FROM sales WHERE id = (SELECT max(id) FROM sales)"; }

tui_start --config "$CONF" till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type "boss"
tui_keys Tab
tui_type "1234"
tui_keys Enter
tui_wait "Code or name"

# --- paid by the customer ----------------------------------------------------
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "12345"
tui_keys Enter Enter
tui_expect "a bad phone is refused" "12345"
tui_keys C-u
tui_type "0708 374 149"
tui_keys Enter Enter
tui_expect "the prompt is followed" "M-PESA prompt · receipt"
tui_expect "paid by the customer, the sale completes" "Paid: the sale is complete"
tui_expect "the M-PESA receipt shows" "M-PESA receipt"
[ "$(last state)" = completed ] && ok "the sale is completed" ||
	fail "the sale is completed" "$(last state)"
got=$(db_val "SELECT method || '/' || state || '/' || verified FROM payments
	WHERE sale_id = (SELECT max(id) FROM sales)")
[ "$got" = "mpesa/paid/1" ] && ok "the payment is paid and verified" ||
	fail "the payment is paid and verified" "$got"
tui_keys Enter
tui_wait_gone "M-PESA prompt · receipt"

# --- cancelled, then cash ---------------------------------------------------------
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "0711 000 001"
tui_keys Enter Enter
tui_expect "a cancelled prompt is shown" "cancelled by the customer"
[ "$(last state)" = awaiting_payment ] && ok "the sale awaits payment" ||
	fail "the sale awaits payment" "$(last state)"
tui_keys F6
tui_wait "another way"
tui_keys Enter
tui_wait "Cash received"
tui_type "100"
tui_keys Enter
tui_expect "less than due is refused" "less than what is due"
tui_keys C-u
tui_type "200"
tui_keys Enter
tui_expect "paid in cash instead" "Change KSh 11.00"
[ "$(last state)" = completed ] && ok "the sale completes in cash" ||
	fail "the sale completes in cash" "$(last state)"
got=$(db_val "SELECT group_concat(method || ':' || state, ' ') FROM (SELECT *
	FROM payments WHERE sale_id = (SELECT max(id) FROM sales) ORDER BY id)")
[ "$got" = "mpesa:cancelled cash:paid" ] && ok "the M-PESA payment is cancelled" ||
	fail "the M-PESA payment is cancelled" "$got"
tui_keys Enter
tui_wait_gone "M-PESA prompt · receipt"

# --- stop waiting, then a new prompt ---------------------------------------------
ctl '{"result_delay": 30}'
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "0708 374 149"
tui_keys Enter Enter
tui_wait "waiting for the customer"
tui_keys F3
tui_wait "Stop waiting for this prompt"
tui_keys y
tui_expect "stopped waiting" "(stopped waiting)"
ctl '{"result_delay": 0.3}'
tui_keys F4
tui_wait "Send the M-PESA prompt again"
tui_keys Enter
tui_expect "a new prompt is paid" "Paid: the sale is complete"
got=$(db_val "SELECT count(*) FROM mpesa_attempts WHERE payment_id = (SELECT
	id FROM payments WHERE sale_id = (SELECT max(id) FROM sales))")
[ "$got" = 2 ] && ok "two attempts for the payment" ||
	fail "two attempts for the payment" "$got"
tui_keys Enter
tui_wait_gone "M-PESA prompt · receipt"

# --- left awaiting ------------------------------------------------------------------
ctl '{"result_delay": 2}'
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "0708 374 149"
tui_keys Enter Enter
tui_wait "M-PESA prompt · receipt"
tui_keys Escape
tui_expect "the sale is left waiting" "completes by itself"
tui_expect "and completes in the background" "is paid (M-PESA)" 20
[ "$(last state)" = completed ] && ok "completed while the screen sold on" ||
	fail "completed while the screen sold on" "$(last state)"

# --- still waiting when the till closes: followed again at the next start -------
ctl '{"result_delay": 6}'
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "0708 374 149"
tui_keys Enter Enter
tui_wait "waiting for the customer"
tui_keys Escape
tui_wait "completes by itself"
tui_stop
[ "$(last state)" = awaiting_payment ] && ok "closed while awaiting" ||
	fail "closed while awaiting" "$(last state)"
receipt=$(db_val "SELECT till_id || '-' || printf('%06d', receipt_no) FROM sales
	WHERE id = (SELECT max(id) FROM sales)")
tui_start --config "$CONF" till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type "boss"
tui_keys Tab
tui_type "1234"
tui_keys Enter
tui_wait "Code or name"
tui_keys F2
tui_expect "F2 lists the sale still waiting" "$receipt"
tui_keys Escape
tui_expect "the next start follows it to the end" "is paid (M-PESA)" 30
tui_stop

# --- paid without a receipt number: the code from the SMS ---------------------------
# Without a hub no callback comes: the query says paid, with no number.
ctl '{"result_delay": 0.3}'
conf nohub "http://127.0.0.1:$PORT/__test/relay"
tui_start --config "$CONF" till sale || { finish; exit 1; }
tui_wait "Log in"
tui_type "boss"
tui_keys Tab
tui_type "1234"
tui_keys Enter
tui_wait "Code or name"
tui_scan $J2
tui_wait "TOTAL KSh 189.00"
tui_keys F2
tui_wait "M-PESA prompt to the customer's phone"
tui_keys 3
tui_wait "Phone"
tui_type "0708 374 149"
tui_keys Enter Enter
tui_expect "paid without a number is shown" "receipt number not received yet"
tui_keys F7
tui_wait "The code from the customer's SMS"
tui_type "QKT5ABC1XY"
tui_keys Enter
tui_expect "the keyed-in code completes the sale" "Paid: the sale is complete"
got=$(db_val "SELECT group_concat(method || '/' || reference || '/' ||
	verified, ' ') FROM payments WHERE state = 'paid' AND sale_id =
	(SELECT max(id) FROM sales)")
[ "$got" = "mpesa/QKT5ABC1XY/0" ] &&
	[ "$(last state)" = completed ] && ok "the code is kept, unverified" ||
	fail "the code is kept, unverified" "$got"
tui_keys Enter
tui_stop
if DUKA_PIN=1234 "$DUKA" --config "$CONF" --db "$DB" --user boss check \
    >"$T/check.out" 2>&1; then
	ok "duka check passes"
else
	fail "duka check passes" "$(head -c 800 "$T/check.out")"
fi
finish
