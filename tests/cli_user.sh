#!/bin/sh
# cli_user.sh - users, logins and manager approvals through the real binary:
# setup mode, the first owner, --user with DUKA_PIN, wrong and missing
# credentials (exit 8, nothing changed), --approver for risky commands,
# lockout moved along with DUKA_NOW, and the 0600 rule of config files
# that hold secrets (never echoed in a message).
. "${top_srcdir:-.}/tests/lib.sh"

export DUKA_TEST_CHEAP_PIN_HASH=1
unset DUKA_USER DUKA_PIN DUKA_APPROVER_PIN DUKA_NEW_PIN
DB="$T/shop.db"
d() { run --db "$DB" "$@"; }
# as NAME PIN ARGS...: run duka logged in as NAME.
as() { n=$1 p=$2; shift 2; DUKA_PIN=$p run --db "$DB" --user "$n" "$@"; }
rows() { sql "$DB" "SELECT count(*) FROM $1"; }

run --db "$DB" init
expect "init" 0

# Setup mode: no users, no login, everything allowed.
d product add --sku UNGA --name "Jogoo 2kg" --price 189
expect "setup mode: a product without login" 0
d stock receive UNGA 50
expect "setup mode: stock" 0
d shift open --float 1000
expect "setup mode: a shift" 0
d sell UNGA --cash exact --quiet
expect "setup mode: a sale" 0 "1-000001"

# The first user: an owner, without login, PIN from DUKA_NEW_PIN.
DUKA_NEW_PIN=1234 d user add Kioko --role attendant
expect "the first user must be the owner" 3 "owner"
[ "$(rows users)" = 0 ] && ok "no user after the refusal" || fail "users" "$(rows users)"
DUKA_NEW_PIN=12 d user add Wanjiru --role owner
expect "a short PIN refused" 3 "4 to 8 digits"
DUKA_NEW_PIN=1234 d user add Wanjiru --role owner
expect "the first owner" 0 "Added Wanjiru (owner)"
[ "$(sql "$DB" "SELECT substr(pin_hash, 1, 10) FROM users")" = '$argon2id$' ] &&
	ok "PIN kept as an Argon2id hash" || fail "hash" "$(sql "$DB" "SELECT pin_hash FROM users")"

# From now on: who are you?
d summary </dev/null
expect "no --user refused" 8 "--user NAME"
d sell UNGA </dev/null
expect "a sale without login refused" 8
[ "$(rows sales)" = 1 ] && ok "nothing sold without login" || fail "sales" "$(rows sales)"
run --db "$DB" --user Wanjiru summary </dev/null
expect "no PIN and no terminal refused" 8 "DUKA_PIN"
as Wanjiru 9999 summary
expect "a wrong PIN refused" 8 "wrong user name or PIN"
as Nobody 1234 summary
expect "an unknown user gets the same words" 8 "wrong user name or PIN"
as Wanjiru 1234 summary
expect "the owner logs in" 0
DUKA_USER=Wanjiru DUKA_PIN=1234 d summary
expect "DUKA_USER works as --user" 0

DUKA_NEW_PIN=5678 as Wanjiru 1234 user add Mary --role manager
expect "owner adds a manager" 0
DUKA_NEW_PIN=2468 as Wanjiru 1234 user add Otieno --role attendant
expect "owner adds an attendant" 0
DUKA_NEW_PIN=1357 as Mary 5678 user add Kamau --role attendant
expect "a manager cannot add users" 8 "owner"
DUKA_NEW_PIN=1357 as Wanjiru 1234 user add mary --role attendant
expect "a name in another case is taken" 3 "already"
as Wanjiru 1234 user add Kamau --role cashier
expect "an unknown role" 3 "not a role"
as Otieno 2468 user list
expect "anyone lists users" 0 "Otieno"

# The attendant sells, but cash out needs a manager.
as Otieno 2468 sell UNGA --cash exact --quiet
expect "attendant sells" 0 "1-000002"
[ "$(sql "$DB" "SELECT user_name FROM sales WHERE receipt_no = 2")" = Otieno ] &&
	ok "the sale names the logged-in user" || fail "sale user" "$(sql "$DB" "SELECT user_name FROM sales")"
as Otieno 2468 shift pay-out 100 --reason lunch
expect "attendant pay-out refused" 8 "manager"
[ "$(rows cash_movements)" = 0 ] && ok "nothing paid out" || fail "cash" "$(rows cash_movements)"
DUKA_APPROVER_PIN=0000 as Otieno 2468 --approver Mary shift pay-out 100 --reason lunch
expect "a wrong approver PIN refused" 8 "wrong user name or PIN"
DUKA_APPROVER_PIN=2468 as Otieno 2468 --approver Otieno shift pay-out 100 --reason lunch
expect "an attendant cannot approve" 8 "cannot approve"
[ "$(rows cash_movements)" = 0 ] && ok "still nothing paid out" || fail "cash" "$(rows cash_movements)"
DUKA_APPROVER_PIN=5678 as Otieno 2468 --approver Mary shift pay-out 100 --reason lunch
expect "pay-out approved by the manager" 0
[ "$(sql "$DB" "SELECT user_name || '/' || approved_by FROM audit_log WHERE action = 'shift.pay_out'")" = Otieno/Mary ] &&
	ok "audit row: who and approved by" || fail "audit" "$(sql "$DB" "SELECT * FROM audit_log WHERE action = 'shift.pay_out'")"
as Otieno 2468 refund 2
expect "attendant refund refused" 8
DUKA_APPROVER_PIN=5678 as Otieno 2468 --approver Mary refund 2
expect "refund approved by the manager" 0
as Otieno 2468 sell UNGA --price 1:100 --cash exact --quiet
expect "price override refused" 8
as Otieno 2468 sell UNGA --price 1:100 --approve Mary --cash exact --quiet
expect "a typed name is no approval" 8
DUKA_APPROVER_PIN=5678 as Otieno 2468 --approver Mary sell UNGA --price 1:100 --cash exact --quiet
expect "price override approved" 0
as Mary 5678 stock remove UNGA 1 --reason damage
expect "a manager writes off stock" 0
as Otieno 2468 stock remove UNGA 1 --reason damage
expect "an attendant cannot" 8
as Mary 5678 export -o "$T/books.xlsx"
expect "a manager cannot export" 8 "owner"
[ ! -e "$T/books.xlsx" ] && ok "no workbook written" || fail "export" "file exists"

# Lockout: five wrong PINs, the lock in the audit trail, the clock.
export DUKA_NOW=2026-06-15T08:00:00Z
for i in 1 2 3 4; do
	as Otieno 0000 summary
done
as Otieno 0000 summary
expect "the fifth wrong PIN locks" 8 "locked for 15 minutes"
as Otieno 2468 summary
expect "locked: the right PIN is refused" 8 "locked"
[ "$(sql "$DB" "SELECT count(*) FROM audit_log WHERE action = 'user.lock'")" = 1 ] &&
	ok "the lock is an audit row" || fail "lock row" "missing"
as Wanjiru 1234 user list
expect "the owner sees the lock" 0 "locked"
DUKA_NOW=2026-06-15T08:16:00Z as Otieno 2468 summary
expect "unlocked after lock_minutes" 0
printf '[users]\nlock_after = 2\nlock_minutes = 0\n' >"$T/users.conf"
for i in 1 2; do
	as Otieno 0000 --config "$T/users.conf" summary
done
DUKA_NOW=2030-01-01T00:00:00Z as Otieno 2468 --config "$T/users.conf" summary
expect "lock_minutes = 0 holds" 8 "unlocks"
as Wanjiru 1234 user unlock Otieno
expect "owner unlocks" 0
as Otieno 2468 summary
expect "unlocked by the owner" 0
unset DUKA_NOW

# PINs, roles, deactivation.
DUKA_NEW_PIN=97531 as Otieno 2468 user pin Otieno
expect "own PIN changed" 0
DUKA_NEW_PIN=97531 as Otieno 97531 user pin Mary
expect "not another's PIN" 8
as Wanjiru 1234 user role Wanjiru manager
expect "the only owner stays owner" 3 "only owner"
as Wanjiru 1234 user deactivate Otieno
expect "deactivate" 0
as Otieno 97531 summary
expect "a deactivated user cannot log in" 8 "deactivated"
as Wanjiru 1234 user role Mary owner
expect "a second owner" 0
as Wanjiru 1234 user lock Mary
expect "lock by hand" 0
as Mary 5678 summary
expect "locked by hand" 8 "unlocks"

# The PIN typed on a terminal is not echoed (tmux plays the terminal).
if command -v tmux >/dev/null 2>&1; then
	S="duka-pin-$$"
	screen() { tmux -L "$S" capture-pane -p -t pin 2>/dev/null; }
	waitfor() {
		i=0
		while [ $i -lt 100 ]; do
			screen | grep -qF -- "$1" && return 0
			sleep 0.1
			i=$((i + 1))
		done
		return 1
	}
	tmux -L "$S" -f /dev/null new-session -d -s pin -x 80 -y 24 \
	    "'$DUKA' --db '$DB' --user Wanjiru user list; echo EXIT=\$?; sleep 60"
	if waitfor "PIN for Wanjiru:"; then
		tmux -L "$S" send-keys -t pin -l 1234
		tmux -L "$S" send-keys -t pin Enter
		if waitfor "EXIT="; then
			screen | grep -q "EXIT=0" && screen | grep -q "owner" &&
			    ok "a PIN typed at the prompt logs in" ||
			    fail "prompt login" "$(screen)"
			screen | grep -q 1234 && fail "PIN echoed" "$(screen)" ||
			    ok "the typed PIN is not echoed"
		else
			fail "prompt login" "no end: $(screen)"
		fi
	else
		fail "PIN prompt" "no prompt: $(screen)"
	fi
	tmux -L "$S" kill-server 2>/dev/null
fi

# Config files that hold secrets: 0600 or refused, the secret never shown.
CONF="$T/secret.conf"
printf '[hub]\nurl = http://127.0.0.1:9\ntoken = S3cr3t-T0ken-xyz\n' >"$CONF"
chmod 644 "$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "a world-readable secret file refused" 7 "chmod 600"
chmod 640 "$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "a group-readable secret file refused" 7 "[hub] token"
if grep -q "S3cr3t" "$T/out" "$T/err"; then fail "secret in the message" "$(cat "$T/err")"; else ok "the secret is not shown"; fi
chmod 600 "$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "a 0600 secret file accepted" 0
printf '[mpesa]\npasskey = "bad\001passkey-zz"\n' >"$CONF"
chmod 600 "$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "a bad secret refused" 7 "not shown"
if grep -q "passkey-zz" "$T/err"; then fail "passkey in the message" "$(cat "$T/err")"; else ok "the passkey is not shown"; fi
printf '[shop]\nname = Duka\n' >"$CONF"
chmod 644 "$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "a file without secrets may be 0644" 0
printf '[hub]\ntoken =\n' >"$CONF"
as Wanjiru 1234 --config "$CONF" summary
expect "an empty token is no secret" 0

d check </dev/null
expect "check needs a login too" 8
as Wanjiru 1234 check
expect "ledger consistent" 0 "all checks passed"

finish
