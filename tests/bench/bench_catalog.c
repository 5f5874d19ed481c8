/*
 * bench_catalog.c DB - barcode lookup and as-you-type search latency on a
 * database of generated products (see run.sh). Prints figures; never
 * fails on time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "db.h"

#define SAMPLES 10000
#define QUERIES 2000

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Print p50, p99 and max of n nanosecond samples, in microseconds. */
static void
report(const char *what, int64_t *ns, int n)
{
	int64_t p50, p99, max;

	qsort(ns, (size_t)n, sizeof *ns, cmp_i64);
	p50 = ns[n / 2];
	p99 = ns[(n * 99) / 100];
	max = ns[n - 1];
	printf("%-28s n=%-6d p50=%lld.%03lld us  p99=%lld.%03lld us  "
	    "max=%lld.%03lld us\n", what, n, (long long)(p50 / 1000),
	    (long long)(p50 % 1000), (long long)(p99 / 1000),
	    (long long)(p99 % 1000), (long long)(max / 1000),
	    (long long)(max % 1000));
}

/* Load up to max strings from a one-column query. */
static int
load(struct db *db, const char *sql, char (*out)[128], int max)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		snprintf(out[n++], 128, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n;
}

/* A substring of len letters of name, at a pseudo-random place. */
static int
piece(const char *name, int len, unsigned *seed, char *out)
{
	int n = (int)strlen(name), tries, start, i;

	for (tries = 0; tries < 20 && n >= len; tries++) {
		*seed = *seed * 1103515245u + 12345u;
		start = (int)((*seed >> 8) % (unsigned)(n - len + 1));
		for (i = 0; i < len; i++)
			if (!((name[start + i] | 32) >= 'a' &&
			    (name[start + i] | 32) <= 'z'))
				break;
		if (i == len) {
			memcpy(out, name + start, (size_t)len);
			out[len] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Time catalog_search over queries of len letters. */
static void
bench_search(struct db *db, char (*names)[128], int nnames, int len)
{
	static int64_t ns[QUERIES];
	struct catalog_hit hits[20];
	struct duka_err err;
	char q[16], what[64];
	unsigned seed = 42;
	int i, n = 0, found, total = 0;
	int64_t t;

	for (i = 0; i < nnames && n < QUERIES; i++) {
		if (!piece(names[i], len, &seed, q))
			continue;
		t = now_ns();
		if (catalog_search(db, q, hits, 20, &found, &err) != DUKA_OK) {
			fprintf(stderr, "search %s: %s\n", q, err.msg);
			exit(1);
		}
		ns[n++] = now_ns() - t;
		total += found;
	}
	snprintf(what, sizeof what, "search, %d letters", len);
	report(what, ns, n);
	printf("%-28s average hits shown %d of 20\n", "", n ? total / n : 0);
}

int
main(int argc, char **argv)
{
	static char codes[SAMPLES][128], names[QUERIES * 2][128];
	static int64_t ns[SAMPLES];
	struct duka_err err;
	struct product p;
	struct db *db;
	int i, n, nnames;
	int64_t t;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_catalog DB\n");
		return 2;
	}
	if (db_open(argv[1], DB_OPEN_EXISTING, &db, &err) != DUKA_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	n = load(db, "SELECT code FROM barcodes ORDER BY random() LIMIT 10000",
	    codes, SAMPLES);
	nnames = load(db, "SELECT name FROM products ORDER BY random() "
	    "LIMIT 4000", names, QUERIES * 2);
	/* Warm the cache as a till that has been running would be. */
	for (i = 0; i < n; i++)
		catalog_product_find(db, codes[i], &p, &err);
	for (i = 0; i < n; i++) {
		t = now_ns();
		if (catalog_product_find(db, codes[i], &p, &err) != DUKA_OK) {
			fprintf(stderr, "lookup %s: %s\n", codes[i], err.msg);
			return 1;
		}
		ns[i] = now_ns() - t;
	}
	report("barcode lookup", ns, n);
	bench_search(db, names, nnames, 3);
	bench_search(db, names, nnames, 5);
	db_close(db);
	return 0;
}
