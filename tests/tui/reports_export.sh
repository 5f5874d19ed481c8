#!/bin/sh
# reports_export.sh - the reports screen: this month's takings per day as
# `duka report daily` prints them; a range with the first day after the
# last is refused with a message and changes nothing; another report
# from the menu; the export writes a workbook that openpyxl opens, and
# refuses from after to and a folder that does not exist without writing
# anything.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

"$DUKA" --db "$DB" report daily --from 2026-11-01 --to 2026-11-25 >"$T/daily.txt"
line=$(grep '^2026-11-03 ' "$T/daily.txt" | sed 's/ *$//')
[ -n "$line" ] || fail "duka report daily" "no line for 2026-11-03"

tui_start till reports || { finish; exit 1; }
tui_expect "this month by default" "Takings per day · 2026-11-01 to 2026-11-25"
tui_expect "the same figures as duka report daily" "$(printf %.70s "$line")"

# --- from after to: a message, the range stays -----------------------------------
tui_keys F3
tui_wait "Business days"
tui_keys C-u
tui_type 2026-11-20
tui_keys Tab C-u
tui_type 2026-11-10
tui_keys F2
tui_expect "from after to is refused" "is after the last"
tui_keys Escape
tui_expect "the range is unchanged" "Takings per day · 2026-11-01 to 2026-11-25"
tui_keys F3
tui_wait "Business days"
tui_keys C-u
tui_type 2026-11-3x
tui_expect "letters in a date are refused" "Only a date goes here"
tui_keys Escape
tui_wait_gone "Business days"

# --- another report ---------------------------------------------------------------
tui_keys F2
tui_wait "Reorder suggestions"
tui_keys Down Down Down Down Down Enter
tui_expect "VAT per class" "VAT per tax class · 2026-11-01 to 2026-11-25"
tui_expect "its rows" "Standard 16%"
tui_keys F2
tui_wait "Reorder suggestions"
tui_keys Down Enter
tui_expect "reorder suggestions" "Reorder suggestions for 2026-11-25"

# --- export -----------------------------------------------------------------------
out="$T/books.xlsx"
tui_keys F4
tui_wait "Export the books"
tui_expect "a default file in the home folder" "$HOME/duka-export-2026-11-25.xlsx"
tui_keys C-u
tui_type 2026-11-20
tui_keys Tab C-u
tui_type 2026-11-10
tui_keys Tab C-u
tui_type "$out"
tui_keys F2
tui_expect "export: from after to refused" "is after the last"
[ ! -e "$out" ] && ok "nothing written for from after to" ||
	fail "nothing written for from after to" "$(ls -l "$out")"
# the From field: the range becomes 20 to 25 November
tui_keys Up Up C-u
tui_type 2026-11-20
tui_keys Tab C-u
tui_type 2026-11-25
tui_keys Tab C-u
tui_type "$T/no/such/folder/x.xlsx"
tui_keys F2
tui_expect "an unwritable path is refused" "cannot write $T/no/such/folder"
tui_expect "and says why" "does not exist"
[ ! -e "$T/no" ] && ok "nothing written for a bad folder" ||
	fail "nothing written for a bad folder" "$(ls -lR "$T/no")"
tui_keys C-u
tui_type "$out"
tui_keys F2
tui_expect "exported, said" "Exported 2026-11-20 to 2026-11-25"
ndays=$(db_val "SELECT count(DISTINCT business_day) FROM sales WHERE
	business_day BETWEEN '2026-11-20' AND '2026-11-25'")
if [ -s "$out" ] && /usr/bin/python3 -c "
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
assert 'Summary' in wb.sheetnames and 'Sales' in wb.sheetnames, wb.sheetnames
rows = list(wb['Summary'].iter_rows(values_only=True))
days = [r[0] for r in rows[1:] if r and hasattr(r[0], 'year')]
assert len(days) == int(sys.argv[2]), rows
assert min(days).day == 20 and max(days).day <= 25, days
" "$out" "$ndays" 2>"$T/py.err"; then
	ok "openpyxl opens the workbook with its sheets"
else
	fail "openpyxl opens the workbook" "$(cat "$T/py.err")"
fi
ls "$T"/*.tmp* "$T"/.*.tmp* >/dev/null 2>&1 && fail "no temporary file left" "$(ls -a "$T")" ||
	ok "no temporary file left"
tui_stop
finish
