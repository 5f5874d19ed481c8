/*
 * fuzz_sync_reply.c - libFuzzer target for what the hub sends the till:
 * the reply to POST /v1/events (sync_reply_parse) and a page of
 * GET /v1/catalog (sync_catalog_apply).
 *
 * The first byte chooses: even, the input is a reply to a fixed batch of
 * three events; odd, the rest is a catalogue page applied to a small
 * database. Beyond "no crash", the target aborts when:
 *   - a reply is refused with anything but DUKA_EINPUT, or without a
 *     message, or leaves something in *r;
 *   - an accepted reply has another length than the batch, a verdict out
 *     of range, or a rejected event without its reason;
 *   - a catalogue page that is refused changed a row, left a transaction
 *     open, or a page that is applied changed any product's stock or
 *     wrote an outbox event.
 *
 *   ./configure CC=clang && make
 *   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -DHAVE_CONFIG_H -I. -iquote src -iquote db \
 *     tests/fuzz/fuzz_sync_reply.c libduka.a \
 *     $(pkg-config --libs libcurl sqlite3 jansson libsodium ncursesw \
 *     xlsxwriter inih) -lcsv -lpthread -lm -o fuzz_sync_reply
 *   ./fuzz_sync_reply -max_total_time=120
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "db.h"
#include "stock.h"
#include "sync.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char ids[3][40] = {
	"0192f000-0000-7000-8000-000000000001",
	"0192f000-0000-7000-8000-000000000002",
	"0192f000-0000-7000-8000-000000000003",
};

static void
fuzz_reply(const char *data, size_t len)
{
	struct sync_batch b = { 0 };
	struct sync_reply r;
	struct duka_err err = { 0, "" };
	int rc, i;

	b.n = 3;
	b.ids = ids;
	memset(&r, 0x5a, sizeof r);
	rc = sync_reply_parse(data, len, &b, &r, &err);
	if (rc != DUKA_OK) {
		assert(rc == DUKA_EINPUT || rc == DUKA_EFAIL);
		assert(err.msg[0] != '\0');
		assert(r.n == 0 && r.verdict == NULL && r.reason == NULL);
		return;
	}
	assert(r.n == 3);
	for (i = 0; i < 3; i++) {
		assert(r.verdict[i] == SYNC_NONE || r.verdict[i] == SYNC_SENT ||
		    r.verdict[i] == SYNC_REJECTED);
		assert((r.verdict[i] == SYNC_REJECTED) ==
		    (r.reason[i] != NULL));
		assert(r.reason[i] == NULL || r.reason[i][0] != '\0');
	}
	sync_reply_clear(&r);
}

static struct db *db;

/* One value of a fixed query, as a signature of the catalogue's state. */
static int64_t
state_of(const char *sql)
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

static const char *const signature =
    "SELECT (SELECT total_changes()) * 0 + (SELECT count(*) FROM products) "
    "* 1000003 + (SELECT count(*) FROM barcodes) * 10007 + (SELECT "
    "coalesce(sum(price), 0) FROM products) + (SELECT count(*) FROM "
    "sync_state) * 7 + (SELECT coalesce(sum(length(name)), 0) FROM "
    "products) * 31";

static void
fuzz_setup(void)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt rcpt;
	struct product p;
	char path[] = "/tmp/fuzz-sync-XXXXXX";
	char file[64];
	int fd;

	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	unlink(path);
	snprintf(file, sizeof file, "%s.db", path);
	assert(db_open(file, DB_OPEN_CREATE, &db, &err) == DUKA_OK);
	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "SUG1");
	snprintf(p.name, sizeof p.name, "Sugar");
	p.price = 15000;
	assert(catalog_product_add(db, &p, "fuzz", &err) == DUKA_OK);
	stock_receipt_init(&rcpt);
	rcpt.product_id = p.id;
	rcpt.qty = 5000;
	rcpt.user = "fuzz";
	assert(stock_receive(db, &rcpt, NULL, &err) == DUKA_OK);
}

static void
fuzz_catalog(const char *data, size_t len)
{
	struct duka_err err = { 0, "" };
	int64_t before, outbox, stock, applied;
	int more, rc;

	if (db == NULL)
		fuzz_setup();
	before = state_of(signature);
	outbox = state_of("SELECT count(*) FROM outbox");
	stock = state_of("SELECT sum(stock_qty) FROM products");
	rc = sync_catalog_apply(db, data, len, &more, &applied, &err);
	assert(!db_in_transaction(db));
	assert(state_of("SELECT count(*) FROM outbox") == outbox);
	assert(state_of("SELECT sum(stock_qty) FROM products") == stock);
	if (rc != DUKA_OK) {
		assert(err.msg[0] != '\0');
		assert(more == 0 && applied == 0);
		assert(state_of(signature) == before);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_reply((const char *)data + 1, size - 1);
	else
		fuzz_catalog((const char *)data + 1, size - 1);
	return 0;
}
