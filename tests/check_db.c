/* check_db.c - opening, refusing, migrating and transactions. */
#include "config.h"

#include <sys/stat.h>

#include "migrations.h"
#include "testutil.h"

START_TEST(test_create_sets_everything)
{
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	ck_assert_int_eq(db_schema_version(db), db_latest_version());
	ck_assert_int_eq(tu_int(db, "PRAGMA application_id"), DB_APPLICATION_ID);
	ck_assert_int_eq(tu_int(db, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(tu_int(db, "PRAGMA synchronous"), 2);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM schema_migrations"),
	    db_migrations_count);
	db_close(db);
}
END_TEST

START_TEST(test_wal_and_reopen)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);
	sqlite3_stmt *st;

	db_close(db);
	ck_assert_int_eq(db_open(path, DB_OPEN_EXISTING, &db, &err), DUKA_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "PRAGMA journal_mode",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM schema_migrations"),
	    db_migrations_count);
	db_close(db);
}
END_TEST

START_TEST(test_migrations_are_consecutive)
{
	int i;

	ck_assert_int_gt(db_migrations_count, 0);
	for (i = 0; i < db_migrations_count; i++)
		ck_assert_int_eq(db_migrations[i].version, i + 1);
}
END_TEST

START_TEST(test_missing_is_refused)
{
	struct duka_err err = { 0, "" };
	struct db *db = NULL;
	struct stat sb;
	char dir[256], path[512];

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/none.db", dir);
	ck_assert_int_eq(db_open(path, DB_OPEN_EXISTING, &db, &err), DUKA_EDB);
	ck_assert_ptr_null(db);
	ck_assert_ptr_nonnull(strstr(err.msg, "duka init"));
	ck_assert_int_ne(stat(path, &sb), 0);
}
END_TEST

/* Write bytes to a new file in a temporary folder. */
static void
write_file(char *path, size_t n, const char *name, const char *bytes)
{
	char dir[256];
	FILE *fp;

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, n, "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(bytes, fp);
	fclose(fp);
}

START_TEST(test_not_sqlite_is_refused)
{
	struct duka_err err = { 0, "" };
	struct db *db = NULL;
	char path[512];
	struct stat sb;

	write_file(path, sizeof path, "notes.db",
	    "this is a shopping list, not a database\n"
	    "sugar, maize flour, milk, bread, soap, salt, tea leaves\n"
	    "and some more text so that the file is longer than a header\n");
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(db_open(path, DB_OPEN_CREATE, &db, &err), DUKA_EDB);
	ck_assert_ptr_null(db);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a duka database"));
	{
		struct stat after;
		ck_assert_int_eq(stat(path, &after), 0);
		ck_assert_int_eq(after.st_size, sb.st_size);
	}
}
END_TEST

START_TEST(test_other_program_is_refused)
{
	struct duka_err err = { 0, "" };
	struct db *db = NULL;
	sqlite3 *raw;
	char dir[256], path[512];

	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/other.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "CREATE TABLE mine(x)", 0, 0, 0),
	    SQLITE_OK);
	sqlite3_close(raw);
	ck_assert_int_eq(db_open(path, DB_OPEN_CREATE, &db, &err), DUKA_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "another program"));
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "SELECT * FROM products", 0, 0, 0),
	    SQLITE_ERROR);
	sqlite3_close(raw);
}
END_TEST

START_TEST(test_newer_is_refused)
{
	struct duka_err err = { 0, "" };
	char path[512], sql[64];
	struct db *db = tu_db_new(path, sizeof path);

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
	    db_latest_version() + 1);
	tu_exec(db, sql);
	db_close(db);
	db = NULL;
	ck_assert_int_eq(db_open(path, DB_OPEN_EXISTING, &db, &err), DUKA_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "newer duka"));
}
END_TEST

START_TEST(test_old_version_is_upgraded)
{
	struct duka_err err = { 0, "" };
	sqlite3 *raw;
	struct db *db = NULL;
	char dir[256], path[512], sql[128];

	/* A database at version 1, as an older duka left it. */
	tu_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/old.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, db_migrations[0].sql, 0, 0, 0),
	    SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; "
	    "PRAGMA user_version = 1", DB_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(raw, sql, 0, 0, 0), SQLITE_OK);
	sqlite3_close(raw);
	ck_assert_int_eq(db_open(path, DB_OPEN_EXISTING, &db, &err), DUKA_OK);
	ck_assert_int_eq(db_schema_version(db), db_latest_version());
	ck_assert_int_ge(tu_int(db, "SELECT count(*) FROM products"), 0);
	db_close(db);
}
END_TEST

START_TEST(test_nested_transactions)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	/* Nested changes that succeed are saved with the outer one. */
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	tu_exec(db, "INSERT INTO shop_meta VALUES ('outer', '1')");
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	tu_exec(db, "INSERT INTO shop_meta VALUES ('inner', '1')");
	ck_assert_int_eq(db_commit(db, &err), DUKA_OK);
	ck_assert(db_in_transaction(db));
	ck_assert_int_eq(db_commit(db, &err), DUKA_OK);
	ck_assert(!db_in_transaction(db));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shop_meta WHERE key "
	    "IN ('outer', 'inner')"), 2);

	/* A nested change that fails dooms the outer one: nothing is saved. */
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	tu_exec(db, "INSERT INTO shop_meta VALUES ('a', '1')");
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	tu_exec(db, "INSERT INTO shop_meta VALUES ('b', '1')");
	db_rollback(db);
	ck_assert(db_in_transaction(db));
	ck_assert_int_eq(db_commit(db, &err), DUKA_EFAIL);
	ck_assert(!db_in_transaction(db));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shop_meta WHERE key "
	    "IN ('a', 'b')"), 0);

	/* And the next transaction starts clean. */
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	tu_exec(db, "INSERT INTO shop_meta VALUES ('c', '1')");
	ck_assert_int_eq(db_commit(db, &err), DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shop_meta WHERE key "
	    "= 'c'"), 1);
	ck_assert_int_eq(db_commit(db, &err), DUKA_EFAIL);
	db_close(db);
}
END_TEST

START_TEST(test_full_disk_message_and_rollback)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, i;
	int64_t pages = tu_int(db, "PRAGMA page_count");
	char sql[64];

	/* A database that cannot grow behaves like a full disk. */
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
	    (long long)pages + 2);
	tu_exec(db, sql);
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	st = db_stmt(db, "INSERT INTO shop_meta VALUES (?1, hex(zeroblob(1500)))",
	    &err);
	for (i = 0; i < 100 && rc == SQLITE_DONE; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, i);
		rc = sqlite3_step(st);
	}
	db_done(st);
	ck_assert_int_eq(rc & 0xff, SQLITE_FULL);
	ck_assert_int_eq(db_fail(db, &err, "saving"), DUKA_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "disk is full"));
	db_rollback(db);
	ck_assert(!db_in_transaction(db));
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM shop_meta"), 1);
	db_close(db);
}
END_TEST

START_TEST(test_readonly_message)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);

	tu_exec(db, "PRAGMA query_only = 1");
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db),
	    "INSERT INTO shop_meta VALUES ('x', 'y')", 0, 0, 0), SQLITE_OK);
	ck_assert_int_eq(db_fail(db, &err, "saving"), DUKA_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
	db_close(db);
}
END_TEST

START_TEST(test_stmt_cache)
{
	struct duka_err err = { 0, "" };
	char path[512];
	struct db *db = tu_db_new(path, sizeof path);
	static const char sql[] = "SELECT count(*) FROM shop_meta";
	sqlite3_stmt *a, *b;

	a = db_stmt(db, sql, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(sqlite3_step(a), SQLITE_ROW);
	b = db_stmt(db, sql, &err);
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(sqlite3_step(b), SQLITE_ROW);
	db_done(b);
	ck_assert_ptr_null(db_stmt(db, "SELECT nonsense FROM nowhere", &err));
	ck_assert_int_eq(err.code, DUKA_EDB);
	db_close(db);
}
END_TEST

static Suite *
db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, test_create_sets_everything);
	tcase_add_test(tc, test_wal_and_reopen);
	tcase_add_test(tc, test_migrations_are_consecutive);
	tcase_add_test(tc, test_missing_is_refused);
	tcase_add_test(tc, test_not_sqlite_is_refused);
	tcase_add_test(tc, test_other_program_is_refused);
	tcase_add_test(tc, test_newer_is_refused);
	tcase_add_test(tc, test_old_version_is_upgraded);
	tcase_add_test(tc, test_nested_transactions);
	tcase_add_test(tc, test_full_disk_message_and_rollback);
	tcase_add_test(tc, test_readonly_message);
	tcase_add_test(tc, test_stmt_cache);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(db_suite());
}
