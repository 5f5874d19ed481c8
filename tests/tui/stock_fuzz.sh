#!/bin/sh
# stock_fuzz.sh - random keys aimed at the products and stock screens and
# their forms, menus and pop-ups (letters and digits in every field, F-keys,
# dates, scans of the shop's barcodes, paging, Enter, Tab, y and n): the
# till stays alive on the screen, answers F1 at the end and the database
# passes duka check. TUI_FUZZ_SEED repeats a run; TUI_FUZZ_KEYS (per
# screen) changes the count.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

seed=${TUI_FUZZ_SEED:-$(date +%s)}
count=${TUI_FUZZ_KEYS:-500}
chunk=25
echo "# seed $seed, $count keys a screen (TUI_FUZZ_SEED=$seed repeats this run)"
codes=$(db_val "SELECT code FROM barcodes ORDER BY code LIMIT 30" | tr '\n' ' ')

# keys SEED: the random keys, one a line, as tmux key names ("SCAN:code"
# for a scan, "TEXT:..." for literal text).
keys() {
	awk -v seed="$1" -v n="$count" -v codes="$codes" 'BEGIN {
		nc = split(codes, code, " ")
		srand(seed)
		ns = split("Up Down Left Right Enter Tab BTab BSpace DC PPage " \
		    "NPage F2 F3 F4 F5 F6 F2 F3 F4 F5 Enter Tab Down C-u y n " \
		    "y n 1 2 3", special, " ")
		nt = split("2026-02-30 2027-01-31 -5 0 0.5 1,000 1,50 abc " \
		    "9999999999994 5901234123457 piece kg zero exempt yes " \
		    "no B-1 999999", text, " ")
		letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-,/_"
		for (i = 0; i < n; i++) {
			r = rand()
			if (r < 0.25)
				print int(rand() * 10)
			else if (r < 0.40)
				print substr(letters, int(rand() * length(letters)) + 1, 1)
			else if (r < 0.85)
				print special[int(rand() * ns) + 1]
			else if (r < 0.95)
				print "TEXT:" text[int(rand() * nt) + 1]
			else
				print "SCAN:" code[int(rand() * nc) + 1]
		}
	}'
}

# send FILE: the keys of FILE, a chunk at a time.
send() {
	_file=$1
	set --
	while IFS= read -r k; do
		case "$k" in
		SCAN:*) [ $# -gt 0 ] && tui_keys "$@"; set --
			tui_scan "${k#SCAN:}" ;;
		TEXT:*) [ $# -gt 0 ] && tui_keys "$@"; set --
			tui_type "${k#TEXT:}" ;;
		*) set -- "$@" "$k" ;;
		esac
	done <"$_file"
	[ $# -gt 0 ] && tui_keys "$@"
	return 0
}

moves0=$(db_val "SELECT count(*) FROM stock_movements")
products0=$(db_val "SELECT count(*) FROM products")
n=0
for s in products stock; do
	case $s in
	products) title="Products" back=F3 ;;
	stock) title="Stock entry" back=F4 ;;
	esac
	tui_start 80 24 till "$s" || { finish; exit 1; }
	tui_wait "$title"
	keys "$((seed + n))" >"$T/keys.$s"
	n=$((n + 1))
	split -l "$chunk" "$T/keys.$s" "$T/chunk.$s."
	alive=1
	for c in "$T"/chunk."$s".*; do
		send "$c"
		tui_settle 150
		if ! tui_alive; then
			alive=
			fail "$s: alive after random keys" "ended (seed $seed, chunk $c): $(cat "$c" | tr '\n' ' ')$(_tui_show)"
			break
		fi
		# Close what is open and come back to the screen.
		tui_keys Escape Escape Escape Escape
		tui_settle 100
		tui_keys "$back"
	done
	[ -n "$alive" ] || continue
	ok "$s: alive after $count random keys"
	tui_keys Escape Escape Escape Escape F1
	tui_expect "$s: F1 answers after the keys" "Keys of"
	tui_stop
done
echo "# the keys wrote $(($(db_val "SELECT count(*) FROM stock_movements") - moves0)) stock movements and added $(($(db_val "SELECT count(*) FROM products") - products0)) products"
db_check "duka check passes after the random keys"
finish
