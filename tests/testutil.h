/*
 * testutil.h - helpers shared by the Check programs: a fresh database in a
 * temporary folder, and counting rows.
 */
#ifndef DUKA_TESTUTIL_H
#define DUKA_TESTUTIL_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

/* Make a temporary folder; the path is static storage of the caller. */
static inline void
tu_tmpdir(char *buf, size_t n)
{
	const char *base = getenv("TMPDIR");

	snprintf(buf, n, "%s/duka-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* Open (creating) a fresh database in a new temporary folder. */
static inline struct db *
tu_db_new(char *path, size_t n)
{
	struct duka_err err = { 0, "" };
	struct db *db = NULL;
	char dir[256];

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, n, "%s/duka.db", dir);
	if (db_open(path, DB_OPEN_CREATE, &db, &err) != DUKA_OK)
		ck_abort_msg("db_open: %s", err.msg);
	return db;
}

/* Run a query that returns one integer. */
static inline int64_t
tu_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Run SQL that must succeed. */
static inline void
tu_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db_sqlite(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, msg);
}

/* Run a suite and turn failures into the exit status. */
static inline int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
