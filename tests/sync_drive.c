/*
 * sync_drive.c - a small driver for the sync scripts and the benchmark:
 * fill the outbox with events, and run the sync worker thread (the one the
 * till screen starts) without the screen until the outbox is drained.
 *
 *   sync_drive fill DB N
 *       queue N stock.moved events (a receipt each, 1000 per transaction)
 *   sync_drive run DB CONFIG SECONDS
 *       start the worker on DB with CONFIG, wait until nothing is unsent
 *       (or SECONDS pass), stop it; print "drained wall_ms=... sent=...
 *       peak_rss_kib=..." and exit 0, or the status and exit 1
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "date.h"
#include "db.h"
#include "outbox.h"
#include "settings.h"
#include "sync.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
fill(const char *path, long n)
{
	struct duka_err err = { 0, "" };
	char at[TIMESTAMP_LEN], sku[32];
	struct db *db = NULL;
	long i;

	if (db_open(path, DB_OPEN_CREATE, &db, &err) != DUKA_OK)
		goto fail;
	date_now_timestamp(at);
	for (i = 0; i < n; i++) {
		if (i % 1000 == 0 && db_begin(db, &err) != DUKA_OK)
			goto fail;
		snprintf(sku, sizeof sku, "SKU%ld", i % 100);
		if (outbox_add(db, "stock.moved", json_pack("{sI sI ss sn sI "
		    "ss sI sI ss ss sn ss}", "movement_id", (json_int_t)i + 1,
		    "product_id", (json_int_t)(i % 100 + 1), "sku", sku,
		    "batch_id", "qty", (json_int_t)(i % 7 + 1) * 1000,
		    "reason", "receive", "unit_cost", (json_int_t)5000,
		    "unit_price", (json_int_t)6500, "reference", "DN-1",
		    "user", "bench", "note", "at", at), &err) != DUKA_OK)
			goto fail;
		if ((i % 1000 == 999 || i == n - 1) &&
		    db_commit(db, &err) != DUKA_OK)
			goto fail;
	}
	db_close(db);
	return 0;
fail:
	fprintf(stderr, "sync_drive fill: %s\n", err.msg);
	db_close(db);
	return 1;
}

static int
run(const char *path, const char *conf, long seconds)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w = NULL;
	struct sync_status st;
	struct settings cfg;
	struct rusage ru;
	int64_t t0, t;

	if (settings_load(&cfg, conf, &err) != DUKA_OK) {
		fprintf(stderr, "sync_drive run: %s\n", err.msg);
		return 1;
	}
	t0 = now_ms();
	if (sync_worker_start(path, &cfg, -1, &w, &err) != DUKA_OK) {
		fprintf(stderr, "sync_drive run: %s\n", err.msg);
		return 1;
	}
	do {
		usleep(20000);
		sync_worker_status(w, &st);
		t = now_ms();
	} while (!(st.online && st.unsent == 0 && st.last_ok_at_ms > 0) &&
	    t - t0 < seconds * 1000);
	sync_worker_stop(w);
	getrusage(RUSAGE_SELF, &ru);
	if (st.unsent != 0 || !st.online) {
		printf("not drained after %ld s: unsent=%lld online=%d "
		    "last_error=%s\n", seconds, (long long)st.unsent,
		    st.online, st.last_error);
		return 1;
	}
	printf("drained wall_ms=%lld sent=%lld rejected=%lld "
	    "peak_rss_kib=%ld\n", (long long)(t - t0), (long long)st.sent,
	    (long long)st.rejected, ru.ru_maxrss);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], strtol(argv[3], NULL, 10));
	if (argc == 5 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3], strtol(argv[4], NULL, 10));
	fprintf(stderr, "usage: sync_drive fill DB N | run DB CONFIG "
	    "SECONDS\n");
	return 2;
}
