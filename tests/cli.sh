#!/bin/sh
# cli.sh - the command line: help, version, exit codes, init, check,
# refusing what is not a duka database, settings errors.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$T/shop.db"

run --help
expect "help lists commands" 0 "Commands:"
grep -q "demo" "$T/out" && ok "help mentions demo" || fail "help mentions demo" "missing"
run --version
expect "version" 0 "duka 0."
run frobnicate
expect "unknown command is a usage error" 2 "unknown command"
run --bogus
expect "unknown option is a usage error" 2 "unknown option"
run --db
expect "--db without a value" 2 "needs a value"

run --db "$DB" check
expect "check on a missing database" 4 "duka init"
[ ! -e "$DB" ] && ok "check created nothing" || fail "check created nothing" "file exists"

run --db "$DB" init
expect "init creates" 0 "Created"
run init --db "$DB"
expect "init twice is harmless" 0 "already holds"
run --db "$DB" check
expect "check passes on a new database" 0 "all checks passed"
[ "$(sql "$DB" 'PRAGMA journal_mode')" = wal ] && ok "database is in WAL mode" || fail "WAL" "not wal"
[ "$(sql "$DB" 'PRAGMA application_id')" = 1146440513 ] && ok "application id" || fail "application id" "wrong"

echo "not a database at all, just some text that goes on for a while" > "$T/notes.db"
cp "$T/notes.db" "$T/notes.orig"
run --db "$T/notes.db" check
expect "a text file is refused" 4 "not a duka database"
cmp -s "$T/notes.db" "$T/notes.orig" && ok "the text file is untouched" || fail "text file untouched" "changed"

sqlite3 "$T/other.db" "CREATE TABLE accounts(x); INSERT INTO accounts VALUES (1);"
run --db "$T/other.db" init
expect "another program's database is refused" 4 "another program"

cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
run --db "$T/newer.db" check
expect "a newer database is refused" 4 "newer duka"

# Damage the cache behind duka's back: check must find it and exit 5.
sqlite3 "$DB" "INSERT INTO products(sku, name, unit, price, tax_class, created_at, updated_at, stock_qty) VALUES ('X1', 'Broken', 'piece', 100, 'standard', 'now', 'now', 5000)"
run --db "$DB" check
expect "check finds a stock level that disagrees with the ledger" 5 "problem"

# An audit row edited behind duka's back (triggers dropped, as an attacker
# would): check names it.
AD="$T/audit.db"
"$DUKA" demo --db "$AD" >/dev/null 2>&1
run --db "$AD" check
expect "check passes on the demo shop" 0 "all checks passed"
sqlite3 "$AD" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'nothing' WHERE id = 7"
run --db "$AD" check
expect "check finds an edited audit row" 5 "audit row 7"

# Settings: a bad value names file, line and key; exit 7.
mkdir -p "$XDG_CONFIG_HOME/duka"
printf '[shop]\nname = Duka la Mama\n[stock]\nnear_expiry_days = abc\n' > "$XDG_CONFIG_HOME/duka/duka.conf"
run --db "$DB" summary
expect "bad setting is refused" 7 "duka.conf:4"
printf '[shop]\nname = Duka la Mama\ncolour = blue\n' > "$XDG_CONFIG_HOME/duka/duka.conf"
run --db "$DB" summary
expect "unknown key is refused" 7 "colour"
printf '[shop]\nname = Duka la Mama\n[till]\ndatabase = %s\n' "$DB" > "$XDG_CONFIG_HOME/duka/duka.conf"
run summary
expect "config names the shop and the database" 0 "Duka la Mama"
run --config "$T/missing.conf" summary
expect "a missing --config file is an error" 7 "missing.conf"
rm -f "$XDG_CONFIG_HOME/duka/duka.conf"

# The default database lives under XDG_DATA_HOME.
run init
expect "init at the default path" 0 "$XDG_DATA_HOME/duka/duka.db"
[ -f "$XDG_DATA_HOME/duka/duka.db" ] && ok "default database exists" || fail "default database" "missing"

finish
