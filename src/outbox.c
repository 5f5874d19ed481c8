/*
 * outbox.c - queueing business events for the hub.
 *
 * Events carry a UUIDv7 id so that the hub can drop a repeat (the worker
 * delivers at least once) and so that ids sort by creation time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include <sodium.h>

#include "date.h"
#include "i18n.h"
#include "outbox.h"

void
uuid7_new(char out[UUID_LEN])
{
	unsigned char b[16];
	struct timeval tv;
	uint64_t ms;
	int i;

	/* Idempotent and thread-safe; the random source must be ready. */
	if (sodium_init() < 0)
		abort();
	gettimeofday(&tv, NULL);
	ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
	randombytes_buf(b + 6, 10);
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));	/* version 7 */
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));	/* RFC 9562 variant */
	snprintf(out, UUID_LEN,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int
outbox_add(struct db *db, const char *type, json_t *data,
    struct duka_err *err)
{
	char id[UUID_LEN], now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	char *text;
	int rc;

	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(data);
	if (text == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if (!db_in_transaction(db)) {
		free(text);
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: an event outside a transaction"));
	}
	st = db_stmt(db, "INSERT INTO outbox(id, type, at, data) "
	    "VALUES (?1, ?2, ?3, ?4)", err);
	if (st == NULL) {
		free(text);
		return err->code;
	}
	uuid7_new(id);
	date_now_timestamp(now);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, text, -1, free);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("queueing an event for the hub"));
	return DUKA_OK;
}

int
outbox_pending(struct db *db, int64_t *count, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT count(*) FROM outbox WHERE state = 'pending'",
	    err);
	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(db, err, _("reading the outbox"));
}
