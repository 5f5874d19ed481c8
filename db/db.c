/*
 * db.c - opening duka databases, migrations, transactions, statement cache.
 *
 * A duka database is an SQLite file whose application_id is
 * DB_APPLICATION_ID and whose user_version is the number of the last
 * migration applied. Migrations run in one transaction: a database is
 * always at one version, never between two.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "i18n.h"
#include "migrations.h"

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *sql;
	char *path;
	int depth;			/* db_begin() calls not yet matched */
	int doomed;			/* a nested change was rolled back */
	struct cached_stmt *cache;
	size_t ncache, cache_cap;
	struct actor *actor;		/* who acts here (user.h); not owned */
	uint64_t txn_serial;		/* outermost db_begin() calls so far */
};

/* How often BEGIN IMMEDIATE is retried beyond the busy timeout. */
#define DB_BUSY_RETRIES 3
#define DB_BUSY_TIMEOUT_MS 5000

sqlite3 *
db_sqlite(struct db *db)
{
	return db->sql;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

void
db_set_actor(struct db *db, struct actor *a)
{
	db->actor = a;
}

struct actor *
db_actor(struct db *db)
{
	return db->actor;
}

uint64_t
db_txn_serial(struct db *db)
{
	return db->txn_serial;
}

int
db_latest_version(void)
{
	return db_migrations[db_migrations_count - 1].version;
}

int
db_fail(struct db *db, struct duka_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(db->sql);
	const char *detail = sqlite3_errmsg(db->sql);

	switch (ext & 0xff) {
	case SQLITE_FULL:
		return duka_fail(err, DUKA_EDB,
		    _("%s: the disk is full; free some space and try again"),
		    what);
	case SQLITE_READONLY:
		return duka_fail(err, DUKA_EDB,
		    _("%s: the database %s is read-only; check its permissions"),
		    what, db->path);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return duka_fail(err, DUKA_EDB,
		    _("%s: the database is busy (another program is writing "
		    "to it); try again"), what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return duka_fail(err, DUKA_EDB,
		    _("%s: the database file %s is damaged (%s)"), what,
		    db->path, detail);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return duka_fail(err, DUKA_EDB,
		    _("%s: cannot read or write %s (%s)"), what, db->path,
		    detail);
	case SQLITE_CONSTRAINT:
		return duka_fail(err, DUKA_EINPUT, _("%s: refused (%s)"), what,
		    detail);
	default:
		return duka_fail(err, DUKA_EDB, _("%s: database error (%s)"),
		    what, detail);
	}
}

int
db_exec(struct db *db, const char *sql, struct duka_err *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, _("database"));
	return DUKA_OK;
}

/* Step a write statement from db_stmt() to its end. */
static int
db_run(struct db *db, sqlite3_stmt *st, struct duka_err *err)
{
	int rc = sqlite3_step(st);

	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving a change"));
	return DUKA_OK;
}

int
db_exec_bound_id(struct db *db, const char *sql, int64_t id,
    struct duka_err *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);

	if (st == NULL)
		return err ? err->code : DUKA_EDB;
	sqlite3_bind_int64(st, 1, id);
	return db_run(db, st, err);
}

int
db_exec_bound_text(struct db *db, const char *sql, const char *text,
    struct duka_err *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);

	if (st == NULL)
		return err ? err->code : DUKA_EDB;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	return db_run(db, st, err);
}

/* Read a single integer pragma or query; -1 on error. */
static int
db_query_int(struct db *db, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	sqlite3_finalize(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : -1;
}

int
db_schema_version(struct db *db)
{
	long long v = 0;

	if (db_query_int(db, "PRAGMA user_version", &v) != 0)
		return -1;
	return (int)v;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql, struct duka_err *err)
{
	struct cached_stmt *c;
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql) {
			st = db->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL) != SQLITE_OK) {
		db_fail(db, err, _("preparing a query"));
		return NULL;
	}
	if (db->ncache == db->cache_cap) {
		size_t cap = db->cache_cap ? db->cache_cap * 2 : 32;
		c = realloc(db->cache, cap * sizeof *c);
		if (c == NULL) {
			sqlite3_finalize(st);
			duka_fail(err, DUKA_EFAIL, _("out of memory"));
			return NULL;
		}
		db->cache = c;
		db->cache_cap = cap;
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].st = st;
	db->ncache++;
	return st;
}

void
db_done(sqlite3_stmt *st)
{
	if (st != NULL)
		sqlite3_reset(st);
}

int
db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_in_transaction(struct db *db)
{
	return db->depth > 0;
}

int
db_begin(struct db *db, struct duka_err *err)
{
	int rc, tries;

	/*
	 * Nested changes join the open transaction without a savepoint:
	 * every caller treats the outer change as all or nothing, and a
	 * savepoint per product made FTS5 flush its index at each one (most
	 * of the time of a large import).
	 */
	if (db->depth > 0) {
		db->depth++;
		return DUKA_OK;
	}
	/*
	 * BEGIN IMMEDIATE takes the write lock now, so that a transaction
	 * never fails half-way with SQLITE_BUSY on its first write. The busy
	 * handler already waits; a few more tries cover a long writer.
	 */
	for (tries = 0;; tries++) {
		rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_BUSY || tries >= DB_BUSY_RETRIES)
			break;
	}
	if (rc != SQLITE_OK)
		return db_fail(db, err, _("starting a change"));
	db->depth = 1;
	db->doomed = 0;
	db->txn_serial++;
	return DUKA_OK;
}

int
db_commit(struct db *db, struct duka_err *err)
{
	int rc;

	if (db->depth <= 0)
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: commit without a transaction"));
	if (db->depth > 1) {
		db->depth--;
		return DUKA_OK;
	}
	if (db->doomed) {
		db_rollback(db);
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: part of this change failed, so none of "
		    "it was saved"));
	}
	rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(db, err, _("saving a change"));
		db_rollback(db);
		return rc;
	}
	db->depth = 0;
	return DUKA_OK;
}

void
db_rollback(struct db *db)
{
	if (db->depth <= 0)
		return;
	if (db->depth > 1) {
		/* The outer change can no longer be committed. */
		db->depth--;
		db->doomed = 1;
		return;
	}
	/* After SQLITE_FULL or IOERR SQLite may have rolled back already. */
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->depth = 0;
	db->doomed = 0;
}

/* Create the folder that will hold path, like mkdir -p, mode 0700. */
static int
db_make_parent(const char *path, struct duka_err *err)
{
	char *dir, *p;
	int rc = DUKA_OK;

	dir = strdup(path);
	if (dir == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		free(dir);
		return DUKA_OK;
	}
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		rc = duka_fail(err, DUKA_EDB, _("cannot create the folder %s: %s"),
		    dir, strerror(errno));
	free(dir);
	return rc;
}

/* Refuse a file that is neither a duka database nor a new, empty one. */
static int
db_identify(struct db *db, struct duka_err *err)
{
	long long app_id, objects;

	if (db_query_int(db, "PRAGMA application_id", &app_id) != 0) {
		if ((sqlite3_errcode(db->sql) & 0xff) == SQLITE_NOTADB)
			return duka_fail(err, DUKA_EDB,
			    _("%s is not a duka database (it is not an SQLite "
			    "file)"), db->path);
		return db_fail(db, err, _("opening the database"));
	}
	if (db_query_int(db, "SELECT count(*) FROM sqlite_schema",
	    &objects) != 0)
		return db_fail(db, err, _("opening the database"));
	if (app_id == 0 && objects == 0)
		return DUKA_OK;		/* new: the migrations make it ours */
	if (app_id != DB_APPLICATION_ID)
		return duka_fail(err, DUKA_EDB,
		    _("%s is not a duka database (it belongs to another "
		    "program); duka will not touch it"), db->path);
	return DUKA_OK;
}

/* Set the per-connection pragmas that every duka connection needs. */
static int
db_set_pragmas(struct db *db, struct duka_err *err)
{
	static const char pragmas[] =
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA temp_store = MEMORY;";
	long long ok;

	sqlite3_busy_timeout(db->sql, DB_BUSY_TIMEOUT_MS);
	/* WAL is persistent; asking again is cheap and covers old files. */
	if (db_query_int(db, "PRAGMA journal_mode = WAL", &ok) != 0)
		return db_fail(db, err, _("opening the database"));
	if (sqlite3_exec(db->sql, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, _("opening the database"));
	return DUKA_OK;
}

/* Apply one migration and record it; runs inside the migration transaction. */
static int
db_apply(struct db *db, const struct migration *m, struct duka_err *err)
{
	static const char record[] =
	    "INSERT INTO schema_migrations(version, name, applied_at, "
	    "duka_version) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ'), ?3)";
	sqlite3_stmt *st;
	char pragma[64];
	int rc;

	if (sqlite3_exec(db->sql, m->sql, NULL, NULL, NULL) != SQLITE_OK)
		return duka_fail(err, DUKA_EDB,
		    _("upgrading the database to version %d (%s) failed: %s"),
		    m->version, m->name, sqlite3_errmsg(db->sql));
	if (sqlite3_prepare_v2(db->sql, record, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, _("upgrading the database"));
	sqlite3_bind_int(st, 1, m->version);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, PACKAGE_VERSION, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("upgrading the database"));
	/* PRAGMA takes no bound parameters; the value is an int we own. */
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
	if (sqlite3_exec(db->sql, pragma, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, _("upgrading the database"));
	return DUKA_OK;
}

/* Bring the schema to the newest version, all in one transaction. */
static int
db_migrate(struct db *db, struct duka_err *err)
{
	char pragma[64];
	int i, rc, version;

	version = db_schema_version(db);
	if (version < 0)
		return db_fail(db, err, _("opening the database"));
	if (version > db_latest_version())
		return duka_fail(err, DUKA_EDB,
		    _("%s was written by a newer duka (database version %d; "
		    "this duka knows up to %d); install the newer duka"),
		    db->path, version, db_latest_version());
	if (version == db_latest_version())
		return DUKA_OK;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	/* Another process may have migrated while we waited for the lock. */
	version = db_schema_version(db);
	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d",
	    DB_APPLICATION_ID);
	rc = db_exec(db, pragma, err);
	for (i = 0; rc == DUKA_OK && i < db_migrations_count; i++) {
		if (db_migrations[i].version > version)
			rc = db_apply(db, &db_migrations[i], err);
	}
	if (rc != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int
db_open(const char *path, enum db_open_mode mode, struct db **out,
    struct duka_err *err)
{
	struct db *db;
	struct stat sb;
	int flags, rc;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return duka_fail(err, DUKA_EDB, _("no database path given"));
	if (mode == DB_OPEN_EXISTING && stat(path, &sb) != 0)
		return duka_fail(err, DUKA_EDB,
		    _("there is no database at %s; create one with "
		    "\"duka init\" (or \"duka demo\" for a demo shop)"), path);
	if (mode == DB_OPEN_CREATE && (rc = db_make_parent(path, err)) != 0)
		return rc;
	db = calloc(1, sizeof *db);
	if (db == NULL || (db->path = strdup(path)) == NULL) {
		free(db);
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	}
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == DB_OPEN_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
		rc = duka_fail(err, DUKA_EDB, _("cannot open the database %s: %s"),
		    path, db->sql ? sqlite3_errmsg(db->sql) : _("out of memory"));
		db_close(db);
		return rc;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	if ((rc = db_identify(db, err)) != DUKA_OK ||
	    (rc = db_set_pragmas(db, err)) != DUKA_OK ||
	    (rc = db_migrate(db, err)) != DUKA_OK) {
		db_close(db);
		return rc;
	}
	*out = db;
	return DUKA_OK;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	sqlite3_close(db->sql);
	free(db->path);
	free(db);
}

int
db_is_demo(struct db *db)
{
	struct duka_err err = { 0, "" };
	sqlite3_stmt *st;
	int demo = 0;

	st = db_stmt(db, "SELECT value = '1' FROM shop_meta WHERE key = 'demo'",
	    &err);
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		demo = sqlite3_column_int(st, 0);
	db_done(st);
	return demo;
}

void
db_column_copy(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t != NULL ? (const char *)t : "");
}
