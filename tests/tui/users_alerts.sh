#!/bin/sh
# users_alerts.sh - the fraud guard's alerts of the open shift on the home
# screen are for managers and the owner: an attendant at the till does not
# see them; after F12 the manager does (a user locked after wrong PINs,
# the drawer opened without a sale three times), as "duka audit alerts"
# lists them. An export, which only the owner may do, is refused for the
# manager without a pop-up.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina DUKA_TEST_CHEAP_PIN_HASH=1
TUI_ENV=DUKA_TEST_CHEAP_PIN_HASH
. "${top_srcdir:-.}/tests/tui/lib.sh"

DUKA_NEW_PIN=1234 "$DUKA" --db "$DB" user add Wanjiru --role owner \
	>/dev/null 2>&1 || fail "owner" "duka user add failed"
for u in "Mary manager 5678" "Otieno attendant 2468" "Kamau attendant 1357"
do
	set -- $u
	DUKA_PIN=1234 DUKA_NEW_PIN=$3 "$DUKA" --db "$DB" --user Wanjiru \
		user add "$1" --role "$2" >/dev/null 2>&1 ||
		fail "user $1" "duka user add failed"
done
DUKA_PIN=2468 "$DUKA" --db "$DB" --user Otieno shift open --float 1000 \
	>/dev/null 2>&1 || fail "shift open" "duka shift open failed"
# Kamau gets his PIN wrong five times: locked.
for i in 1 2 3 4 5; do
	DUKA_PIN=0000 "$DUKA" --db "$DB" --user Kamau shift x >/dev/null 2>&1
done
# Mary opens the drawer three times without a sale.
for i in 1 2 3; do
	DUKA_PIN=5678 "$DUKA" --db "$DB" --user Mary shift no-sale \
		--reason "change for the matatu" >/dev/null 2>&1 ||
		fail "no-sale $i" "duka shift no-sale failed"
done
DUKA_USER=Wanjiru DUKA_PIN=1234 "$DUKA" --db "$DB" audit alerts \
	>"$T/alerts" 2>&1
grep -q "Kamau was locked" "$T/alerts" && grep -q "without a sale 3" \
	"$T/alerts" && ok "duka audit alerts has both" ||
	fail "duka audit alerts has both" "$(cat "$T/alerts")"

tui_start || { finish; exit 1; }
tui_wait "Log in"
tui_type Otieno
tui_keys Tab
tui_type 2468
tui_keys Enter
tui_wait "Welcome, Otieno."
tui_wait "Cash expected"
tui_settle
tui_refute "an attendant does not see the alerts" "alerts:"
tui_refute "nor the lockout" "Kamau"

tui_keys F12
tui_wait "Switch user: log in"
tui_type Mary
tui_keys Tab
tui_type 5678
tui_keys Enter
tui_wait "Welcome, Mary."
tui_expect "the manager sees the shift's alerts" "2 alerts: "
tui_expect "the first is the no-sale one (the line is cut at the column)" \
	"2 alerts: shift $(db_val "SELECT max(id) FROM shifts"): Mary opened"

# --- an export is the owner's: no manager's pop-up, the refusal ------------
out="$T/books.xlsx"
tui_keys F7
tui_wait "Reports"
tui_keys F4
tui_wait "Export the books"
tui_keys Tab Tab C-u
tui_type "$out"
tui_keys F2
tui_expect "a manager's export is refused" \
	"exporting the books is for the owner only (Mary is manager)"
tui_refute "with no pop-up to approve it" "A manager must approve"
[ ! -e "$out" ] && ok "nothing exported" || fail "nothing exported" "$out"
tui_keys Escape
tui_wait_gone "Export the books"
tui_stop
finish
