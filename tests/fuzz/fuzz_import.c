/*
 * fuzz_import.c - libFuzzer target: arbitrary bytes read as a CSV file by
 * "duka import products" and "duka import stock", both as dry runs.
 *
 * The database is opened once in memory and seeded with a few products
 * (with barcodes, one tracking expiry dates, one inactive) so that the
 * checks against the shop and the catalog and stock writes are reached.
 * Each input goes through import_stream() (the path every file takes:
 * libcsv, line counting, header, checks, the catalog and stock modules,
 * one transaction). Beyond "no crash", the target aborts when:
 *   - the status is other than DUKA_OK or DUKA_EINPUT (memory and the
 *     database do not fail here, so anything else is a bug);
 *   - DUKA_OK comes with problems counted, or DUKA_EINPUT with none;
 *   - a reported problem does not start with "FILE:" or is empty;
 *   - the dry run left a transaction open or changed any row.
 *
 *   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -DHAVE_CONFIG_H
 *     -I<dir with config.h> -iquote src -iquote db
 *     tests/fuzz/fuzz_import.c src/import.c src/catalog.c src/stock.c
 *     src/check.c src/outbox.c src/text.c src/money.c src/barcode.c
 *     src/date.c src/status.c db/db.c <build>/db/migrations.c
 *     -lsqlite3 -ljansson -lsodium -lcsv
 *   ./a.out -max_total_time=120 CORPUS_DIR tests/data
 * (This file defines cli_usage(), so cli.c and the other commands are not
 * needed; link the objects of libduka instead of the sources if you like,
 * as long as this file comes first.)
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "import.h"
#include "status.h"

#define LABEL "fuzz.csv"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct db *db;

/* import.c's command calls this; the fuzzer never runs the command. */
void
cli_usage(FILE *fp, const char *name, const char *synopsis,
    const char *options)
{
	(void)fp;
	(void)name;
	(void)synopsis;
	(void)options;
}

/* One integer from fixed SQL. */
static int64_t
count(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) ==
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A fingerprint of every table an import writes. */
static int64_t
fingerprint(void)
{
	return count("SELECT (SELECT count(*) FROM products) + "
	    "(SELECT total(price + cost + stock_qty + active) FROM products) + "
	    "(SELECT count(*) FROM barcodes) * 1000003 + "
	    "(SELECT count(*) FROM categories) * 1009 + "
	    "(SELECT count(*) FROM suppliers) * 10007 + "
	    "(SELECT count(*) FROM batches) * 100003 + "
	    "(SELECT count(*) FROM stock_movements) * 7 + "
	    "(SELECT count(*) FROM outbox) * 13");
}

/* Add a product with an optional barcode; must succeed. */
static void
seed(const char *sku, const char *name, const char *code, int expiry,
    int active)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = 6500;
	p.cost = 5200;
	p.tracks_expiry = expiry;
	p.active = active;
	if (catalog_product_add(db, &p, "fuzz", &err) != DUKA_OK ||
	    (code != NULL &&
	    catalog_barcode_add(db, p.id, code, NULL, &err) != DUKA_OK)) {
		fprintf(stderr, "seed %s: %s\n", sku, err.msg);
		abort();
	}
}

/* Open the shared in-memory shop once. */
static void
setup(void)
{
	struct duka_err err = { 0, "" };

	setenv("DUKA_NOW", "2026-02-15T08:00:00Z", 1);
	if (date_set_timezone("Africa/Nairobi", &err) != DUKA_OK ||
	    db_open(":memory:", DB_OPEN_CREATE, &db, &err) != DUKA_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		abort();
	}
	seed("MILK-500", "Brookside Milk 500ml", "6161101600019", 1, 1);
	seed("UNGA-2K", "Jogoo Maize Flour 2kg", "6161101600026", 0, 1);
	seed("SUG-KG", "Sukari", NULL, 0, 1);
	seed("OLD-1", "Old stock", "5000112637922", 0, 0);
}

/* Every problem names the file first and says something. */
static void
check_report(void *ctx, const char *problem)
{
	size_t n = strlen(LABEL);

	(void)ctx;
	assert(strncmp(problem, LABEL ":", n + 1) == 0);
	assert(problem[n + 1] != '\0');
}

/* Run one kind of import on the input as a dry run and check the result. */
static void
run(enum import_kind kind, const uint8_t *data, size_t size)
{
	struct duka_err err = { 0, "" };
	struct import_options o;
	struct import_result res;
	int64_t before;
	FILE *fp;
	int rc;

	/* fmemopen() may refuse a zero size; /dev/null is an empty file. */
	fp = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null",
	    "rb");
	assert(fp != NULL);
	before = fingerprint();
	import_options_init(&o, kind);
	o.dry_run = 1;
	o.label = LABEL;
	o.report = check_report;
	rc = import_stream(db, fp, &o, &res, &err);
	fclose(fp);
	if (rc != DUKA_OK && rc != DUKA_EINPUT) {
		fprintf(stderr, "import: status %d: %s\n", rc, err.msg);
		abort();
	}
	assert(rc == DUKA_OK ? res.errors == 0 : res.errors > 0);
	assert(rc == DUKA_OK || err.msg[0] != '\0');
	assert(res.added + res.updated + res.unchanged <= res.rows);
	assert(res.received <= res.rows);
	assert(!db_in_transaction(db));
	assert(sqlite3_get_autocommit(db_sqlite(db)));
	assert(fingerprint() == before);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (db == NULL)
		setup();
	run(IMPORT_PRODUCTS, data, size);
	run(IMPORT_STOCK, data, size);
	return 0;
}
