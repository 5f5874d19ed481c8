/*
 * hub_db.c - the hub's PostgreSQL connections and schema migrations.
 *
 * A PGconn must not be shared between threads, so every thread that touches
 * the database gets its own, kept in a pthread key whose destructor closes
 * it when the thread ends (MHD's worker threads included). SQL is only ever
 * sent with PQexecParams and parameters.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"

static char *db_conninfo;
static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;

/*
 * Statements prepared on this thread's connection. A new or reset
 * connection has none: db_gen counts connections, and a statement is
 * prepared again when its gen is not the current one.
 */
#define DB_PREPARED_MAX 8
static __thread struct {
	const char *name;
	unsigned gen;
} db_prep[DB_PREPARED_MAX];
static __thread unsigned db_gen = 1;

static void
db_conn_free(void *p)
{
	PQfinish(p);
}

static void
db_key_create(void)
{
	pthread_key_create(&db_key, db_conn_free);
}

void
hub_db_configure(const char *conninfo)
{
	free(db_conninfo);
	db_conninfo = conninfo != NULL ? strdup(conninfo) : NULL;
}

/* libpq's messages end with a newline; the log wants one line. */
static void
db_message(struct duka_err *err, const char *what, const char *msg)
{
	size_t n;

	duka_fail(err, DUKA_EDB, "%s: %s", what, msg != NULL ? msg : "");
	if (err == NULL)
		return;
	n = strlen(err->msg);
	while (n > 0 && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
		err->msg[--n] = '\0';
	for (char *p = err->msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* Quiet NOTICEs (e.g. "relation exists") and fixed settings. */
static void
db_session_setup(PGconn *c)
{
	PQclear(PQexec(c, "SET client_min_messages = warning; "
	    "SET TIME ZONE 'UTC'"));
}

PGconn *
hub_db(struct duka_err *err)
{
	PGconn *c;

	pthread_once(&db_once, db_key_create);
	c = pthread_getspecific(db_key);
	if (c != NULL && PQstatus(c) == CONNECTION_OK)
		return c;
	if (c != NULL) {
		PQreset(c);
		db_gen++;
		if (PQstatus(c) == CONNECTION_OK) {
			db_session_setup(c);
			return c;
		}
		PQfinish(c);
		pthread_setspecific(db_key, NULL);
	}
	c = PQconnectdb(db_conninfo != NULL ? db_conninfo : "");
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		db_message(err, "cannot connect to PostgreSQL",
		    c != NULL ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	db_session_setup(c);
	db_gen++;
	pthread_setspecific(db_key, c);
	return c;
}

void
hub_db_close(void)
{
	PGconn *c;

	pthread_once(&db_once, db_key_create);
	c = pthread_getspecific(db_key);
	if (c != NULL) {
		PQfinish(c);
		pthread_setspecific(db_key, NULL);
	}
}

/* Send sql, or the prepared statement st (prepared first if need be). */
static PGresult *
db_send(PGconn *c, const struct hub_stmt *st, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res;
	int i, slot = -1;

	if (st == NULL)
		return PQexecParams(c, sql, nparams, NULL, params, NULL, NULL,
		    0);
	for (i = 0; i < DB_PREPARED_MAX; i++) {
		if (db_prep[i].name == st->name) {
			slot = i;
			break;
		}
		if (db_prep[i].name == NULL && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return PQexecParams(c, st->sql, nparams, NULL, params, NULL,
		    NULL, 0);
	if (db_prep[slot].name != st->name || db_prep[slot].gen != db_gen) {
		res = PQprepare(c, st->name, st->sql, nparams, NULL);
		if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		db_prep[slot].name = st->name;
		db_prep[slot].gen = db_gen;
	}
	return PQexecPrepared(c, st->name, nparams, params, NULL, NULL, 0);
}

PGresult *
hub_db_exec(PGconn *c, const char *sql, int nparams,
    const char *const *params, char sqlstate[6], struct duka_err *err)
{
	return hub_db_exec_stmt(c, NULL, sql, nparams, params, sqlstate, err);
}

PGresult *
hub_db_exec_stmt(PGconn *c, const struct hub_stmt *stmt, const char *sql,
    int nparams, const char *const *params, char sqlstate[6],
    struct duka_err *err)
{
	PGresult *res;
	ExecStatusType st;
	const char *state;
	int idle;

	if (sqlstate != NULL)
		sqlstate[0] = '\0';
	idle = PQtransactionStatus(c) == PQTRANS_IDLE;
	res = db_send(c, stmt, sql, nparams, params);
	st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	/*
	 * PostgreSQL restarted since the last request: reconnect and try
	 * once more, unless a transaction was open (it is gone with the old
	 * connection). Every statement sent outside one is idempotent.
	 */
	if (st == PGRES_FATAL_ERROR && idle && PQstatus(c) == CONNECTION_BAD) {
		PQclear(res);
		PQreset(c);
		db_gen++;
		if (PQstatus(c) == CONNECTION_OK)
			db_session_setup(c);
		res = db_send(c, stmt, sql, nparams, params);
		st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	}
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res != NULL && sqlstate != NULL &&
	    (state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) != NULL)
		snprintf(sqlstate, 6, "%s", state);
	db_message(err, "PostgreSQL", res != NULL ?
	    PQresultErrorMessage(res) : PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

int
hub_db_run(PGconn *c, const char *sql, int nparams,
    const char *const *params, struct duka_err *err)
{
	PGresult *res;

	if ((res = hub_db_exec(c, sql, nparams, params, NULL, err)) == NULL)
		return DUKA_EDB;
	PQclear(res);
	return DUKA_OK;
}

int
hub_db_version(PGconn *c, int *version, struct duka_err *err)
{
	PGresult *res;

	*version = 0;
	res = hub_db_exec(c, "SELECT coalesce(max(version), 0) FROM "
	    "hub_schema", 0, NULL, NULL, NULL);
	if (res == NULL) {
		/* No hub_schema table: an empty database. */
		res = hub_db_exec(c, "SELECT to_regclass('hub_schema') "
		    "IS NULL", 0, NULL, NULL, err);
		if (res == NULL)
			return DUKA_EDB;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
			PQclear(res);
			return duka_fail(err, DUKA_EDB,
			    "cannot read the schema version");
		}
		PQclear(res);
		return DUKA_OK;
	}
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return DUKA_OK;
}

/*
 * Each migration runs in its own transaction with its version row; an
 * advisory lock keeps two hubs started together from both migrating.
 */
int
hub_db_migrate(PGconn *c, int *from, int *to, struct duka_err *err)
{
	char num[16];
	const char *params[2];
	int rc, v, i;

	rc = hub_db_run(c, "SELECT pg_advisory_lock(7220001)", 0, NULL, err);
	if (rc != DUKA_OK)
		return rc;
	rc = hub_db_run(c, "CREATE TABLE IF NOT EXISTS hub_schema ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, err);
	if (rc == DUKA_OK)
		rc = hub_db_version(c, &v, err);
	if (rc != DUKA_OK)
		goto out;
	*from = *to = v;
	for (i = 0; i < hub_migrations_count; i++) {
		const struct migration *m = &hub_migrations[i];
		PGresult *res;

		if (m->version <= v)
			continue;
		if ((rc = hub_db_run(c, "BEGIN", 0, NULL, err)) != DUKA_OK)
			goto out;
		/* A migration is several statements: the simple protocol. */
		res = PQexec(c, m->sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK) {
			db_message(err, m->name, PQresultErrorMessage(res));
			PQclear(res);
			hub_db_run(c, "ROLLBACK", 0, NULL, NULL);
			rc = DUKA_EDB;
			goto out;
		}
		PQclear(res);
		snprintf(num, sizeof num, "%d", m->version);
		params[0] = num;
		params[1] = m->name;
		rc = hub_db_run(c, "INSERT INTO hub_schema(version, name) "
		    "VALUES ($1, $2)", 2, params, err);
		if (rc == DUKA_OK)
			rc = hub_db_run(c, "COMMIT", 0, NULL, err);
		if (rc != DUKA_OK) {
			hub_db_run(c, "ROLLBACK", 0, NULL, NULL);
			goto out;
		}
		*to = m->version;
	}
out:
	hub_db_run(c, "SELECT pg_advisory_unlock(7220001)", 0, NULL, NULL);
	return rc;
}
