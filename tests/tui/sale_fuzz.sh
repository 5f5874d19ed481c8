#!/bin/sh
# sale_fuzz.sh - random keys aimed at the sale screen and its dialogs
# (codes, quantities, "3*", letters that search, F2..F11, Del, arrows,
# Enter, Esc, Space, scans of the shop's barcodes and of unknown codes) do
# not crash it: duka stays alive, answers F1, writes nothing to stderr,
# ends on SIGTERM with whatever was left open (parking the cart), and the
# database passes duka check. TUI_FUZZ_SEED repeats a run; TUI_FUZZ_KEYS
# changes the count.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

seed=${TUI_FUZZ_SEED:-$(date +%s)}
count=${TUI_FUZZ_KEYS:-1500}
echo "# seed $seed, $count keys (TUI_FUZZ_SEED=$seed repeats this run)"
"$DUKA" --db "$DB" shift open --float 5000 >/dev/null ||
	{ fail "open a shift" "duka shift open failed"; finish; exit 1; }
sales0=$(db_val "SELECT max(id) FROM sales")
codes=$(db_val "SELECT code FROM barcodes ORDER BY code LIMIT 30" | tr '\n' ' ')
# Chunks of keys, one chunk a line; each chunk ends with Escapes and F2 so
# that the next starts on the sale screen (Esc leads home, F2 is Sale).
awk -v seed="$seed" -v n="$count" -v codes="$codes" 'BEGIN {
	nc = split(codes, code, " ")
	srand(seed)
	ns = split("Up Down Left Right Escape Enter Enter Enter Tab BSpace " \
	    "DC Home End PPage NPage Space F2 F2 F3 F4 F5 F6 F7 F8 F9 F11 " \
	    "* % . y n 1 2 3 0", special, " ")
	split("a b e i k m o s u j g x", letter, " ")
	line = ""
	for (i = 1; i <= n; i++) {
		r = rand()
		if (r < 0.12)
			k = code[int(rand() * nc) + 1] " Enter"
		else if (r < 0.14)
			k = "99999" int(rand() * 90000 + 10000) " Enter"
		else if (r < 0.30)
			k = int(rand() * 10)
		else if (r < 0.42)
			k = letter[int(rand() * 12) + 1]
		else
			k = special[int(rand() * ns) + 1]
		line = line " " k
		if (i % 25 == 0) {
			print line " Escape Escape Escape Escape F2"
			line = ""
		}
	}
	if (line != "")
		print line
}' >"$T/keys"

tui_start till sale || { finish; exit 1; }
tui_wait "Code or name"
while read -r keys; do
	# shellcheck disable=SC2086
	tui_keys $keys
	tui_alive || break
done <"$T/keys"
tui_settle 500
if tui_alive; then ok "alive after the keys"; else
	fail "alive after the keys" "duka ended$(_tui_show)"; finish; exit 1; fi
tui_keys Escape Escape Escape Escape Escape
tui_settle
tui_keys F1
tui_expect "answers F1 after the keys" "Keys of the"
[ -s "$T/tui.stderr" ] && fail "nothing on stderr" "$(head -c 800 "$T/tui.stderr")" ||
	ok "nothing on stderr"
# End it with something open.
tui_keys Escape F2 F7
tui_signal TERM
if tui_wait_exit; then ok "SIGTERM ends it"; else fail "SIGTERM ends it" "still running"; fi
echo "# after the keys: $(db_val "SELECT count(*) FROM sales WHERE
	kind = 'sale' AND id > $sales0") sales, $(db_val "SELECT count(*) FROM
	sales WHERE kind = 'refund'") refunds, $(db_val "SELECT count(*) FROM
	parked_carts") parked, $(db_val "SELECT count(*) FROM line_voids") voids"
db_check "the database passes duka check"
finish
