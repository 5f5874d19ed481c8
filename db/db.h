/*
 * db.h - the SQLite connection and transaction layer.
 *
 * Owns: opening a duka database (pragmas, "is this ours?", migrations),
 * transactions, a per-connection cache of prepared statements, and turning
 * SQLite errors into messages a shop attendant can act on.
 *
 * One struct db per thread: a connection is never shared between threads.
 * The caller of db_open() owns the struct db and releases it with db_close().
 */
#ifndef DUKA_DB_H
#define DUKA_DB_H

#include <stdint.h>

#include <sqlite3.h>

#include "status.h"

/* PRAGMA application_id of every duka database: "DUKA" in ASCII. */
#define DB_APPLICATION_ID 0x44554b41

enum db_open_mode {
	DB_OPEN_EXISTING,	/* refuse a path where no database exists */
	DB_OPEN_CREATE,		/* create the file (and its folder) if missing */
};

struct db;

/* Open path, set the pragmas and bring the schema up to date. */
int db_open(const char *path, enum db_open_mode mode, struct db **out,
    struct duka_err *err);
/* Finalize cached statements and close; NULL is allowed. */
void db_close(struct db *db);

sqlite3 *db_sqlite(struct db *db);
const char *db_path(const struct db *db);

/*
 * The person acting on this connection (struct actor, user.h), checked by
 * perm_require() and named in audit rows; NULL until set. The connection
 * keeps the pointer only: the caller owns the actor and keeps it alive
 * while it is set.
 */
struct actor;
void db_set_actor(struct db *db, struct actor *a);
struct actor *db_actor(struct db *db);
/* Copy text column col of st into out (n bytes, always terminated); NULL
 * becomes "". */
void db_column_copy(sqlite3_stmt *st, int col, char *out, size_t n);
/* 1 when this is the demo shop (`duka demo` marks shop_meta demo = 1). */
int db_is_demo(struct db *db);
/* How many outermost transactions db_begin() has opened on db. */
uint64_t db_txn_serial(struct db *db);
/* Schema version of the open database, and the newest this duka knows. */
int db_schema_version(struct db *db);
int db_latest_version(void);

/*
 * Return a prepared statement for sql, reset and with bindings cleared.
 * Statements are cached by the address of sql, so sql must be a string
 * literal (or live as long as db). The cache owns the statement: do not
 * finalize it; call sqlite3_reset() (or db_done()) when finished with it.
 * Returns NULL and fills err on failure.
 */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct duka_err *err);
/* Reset a statement from db_stmt() so that it holds no read lock. */
void db_done(sqlite3_stmt *st);

/*
 * Transactions. db_begin() opens BEGIN IMMEDIATE; called again while one is
 * open, it joins it, so that business actions nest inside an import or the
 * demo generator. Every db_begin() is matched by db_commit() or
 * db_rollback(). A nested db_rollback() dooms the whole transaction: the
 * outermost db_commit() then rolls everything back and fails, so a change
 * is never saved in part. db_rollback() is safe after SQLite rolled back
 * by itself.
 */
int db_begin(struct db *db, struct duka_err *err);
int db_commit(struct db *db, struct duka_err *err);
void db_rollback(struct db *db);
int db_in_transaction(struct db *db);

/* Run a one-parameter write (DELETE ... WHERE x = ?1) to completion. */
int db_exec_bound_id(struct db *db, const char *sql, int64_t id,
    struct duka_err *err);
int db_exec_bound_text(struct db *db, const char *sql, const char *text,
    struct duka_err *err);

/* Run fixed SQL (no parameters): schema, pragmas. */
int db_exec(struct db *db, const char *sql, struct duka_err *err);

/*
 * Fill err from the connection's last error, in words that say what to do
 * (disk full, read-only, busy, damaged file). what names the action that
 * failed. Returns the status code to return to the caller.
 */
int db_fail(struct db *db, struct duka_err *err, const char *what);

/* Bind text, or NULL when s is NULL or empty. */
int db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

#endif
