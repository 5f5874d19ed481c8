/*
 * audit.c - appending audit rows to the hash chain, reading them back, and
 * verifying the chain.
 *
 * The canonical form of a row, hashed after the previous row's hash in hex:
 * each field in the order id, at, user_name, action, entity, entity_id,
 * detail, approved_by, written as "N;" for NULL, "I<decimal>;" for an
 * integer, or "T<byte length>:<bytes>;" for text. Lengths make the form
 * unambiguous: no two different rows serialise alike.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "i18n.h"
#include "user.h"

static const char audit_genesis[AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* The columns in canonical order; the hash follows them. */
#define AUDIT_COLS "id, at, user_name, action, entity, entity_id, detail, " \
	"approved_by"
#define AUDIT_NCOLS 8

/* One field of a row in canonical form. */
struct audit_field {
	int type;			/* SQLITE_NULL, SQLITE_INTEGER, else text */
	int64_t i;
	const unsigned char *t;
	size_t n;
};

/* out = SHA-256(prev || canonical form of f[0..AUDIT_NCOLS-1]), in hex. */
static void
audit_hash_fields(const char *prev, const struct audit_field *f,
    char out[AUDIT_HASH_HEX])
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];
	char head[48];
	int col, len;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)prev, 64);
	for (col = 0; col < AUDIT_NCOLS; col++) {
		if (f[col].type == SQLITE_NULL) {
			crypto_hash_sha256_update(&h,
			    (const unsigned char *)"N;", 2);
			continue;
		}
		if (f[col].type == SQLITE_INTEGER) {
			len = snprintf(head, sizeof head, "I%" PRId64 ";",
			    f[col].i);
			crypto_hash_sha256_update(&h,
			    (const unsigned char *)head,
			    (unsigned long long)len);
			continue;
		}
		len = snprintf(head, sizeof head, "T%zu:", f[col].n);
		crypto_hash_sha256_update(&h, (const unsigned char *)head,
		    (unsigned long long)len);
		if (f[col].n > 0)
			crypto_hash_sha256_update(&h, f[col].t,
			    (unsigned long long)f[col].n);
		crypto_hash_sha256_update(&h, (const unsigned char *)";", 1);
	}
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, AUDIT_HASH_HEX, md, sizeof md);
}

/* out = the hash of the row in st (columns AUDIT_COLS) after prev. */
static void
audit_hash_row(const char *prev, sqlite3_stmt *st, char out[AUDIT_HASH_HEX])
{
	struct audit_field f[AUDIT_NCOLS];
	int col;

	for (col = 0; col < AUDIT_NCOLS; col++) {
		f[col].type = sqlite3_column_type(st, col);
		f[col].i = 0;
		f[col].t = NULL;
		f[col].n = 0;
		if (f[col].type == SQLITE_INTEGER)
			f[col].i = sqlite3_column_int64(st, col);
		else if (f[col].type != SQLITE_NULL) {
			f[col].t = sqlite3_column_text(st, col);
			f[col].n = (size_t)sqlite3_column_bytes(st, col);
		}
	}
	audit_hash_fields(prev, f, out);
}

/* A text field as db_bind_text_or_null() stores it: "" and NULL are NULL. */
static struct audit_field
audit_text(const char *s)
{
	struct audit_field f = { SQLITE_NULL, 0, NULL, 0 };

	if (s != NULL && *s != '\0') {
		f.type = SQLITE_TEXT;
		f.t = (const unsigned char *)s;
		f.n = strlen(s);
	}
	return f;
}

/* An integer field; 0 is stored as NULL when zero_null. */
static struct audit_field
audit_int(int64_t v, int zero_null)
{
	struct audit_field f = { SQLITE_INTEGER, v, NULL, 0 };

	if (zero_null && v == 0)
		f.type = SQLITE_NULL;
	return f;
}

/*
 * The id and hash of the last row: the genesis value for an empty log. A
 * last row without a good hash (slipped in by hand) is chained over from
 * the genesis value; verify names it.
 */
static int
audit_head(struct db *db, char out[AUDIT_HASH_HEX], int64_t *last_id,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*last_id = 0;
	memcpy(out, audit_genesis, AUDIT_HASH_HEX);
	st = db_stmt(db, "SELECT id, hash FROM audit_log ORDER BY id DESC "
	    "LIMIT 1", err);
	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*last_id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) == SQLITE_TEXT &&
		    sqlite3_column_bytes(st, 1) == 64)
			memcpy(out, sqlite3_column_text(st, 1), 64);
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the audit log"));
	if (*last_id == INT64_MAX)
		return duka_fail(err, DUKA_EDB, "%s",
		    _("the audit log is full"));
	return DUKA_OK;
}

/* The last row chained by the program rather than as it was written. */
static int
audit_legacy_max(struct db *db, int64_t *max, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*max = 0;
	st = db_stmt(db, "SELECT CAST(value AS INTEGER) FROM shop_meta "
	    "WHERE key = 'audit_legacy_max_id'", err);
	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*max = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading the audit log"));
}

int
audit_chain_legacy(struct db *db, struct duka_err *err)
{
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	sqlite3_stmt *st, *up;
	int64_t max;
	int rc;

	if ((rc = audit_legacy_max(db, &max, err)) != DUKA_OK)
		return rc;
	if (max == 0)
		return DUKA_OK;
	/* Cheap test first: the rows are filled in one transaction in id
	 * order, so the last legacy row with its hash means all have one. */
	st = db_stmt(db, "SELECT 1 FROM audit_log WHERE id = ?1 AND hash IS "
	    "NULL", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, max);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc == SQLITE_DONE)
		return DUKA_OK;
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the audit log"));
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "SELECT " AUDIT_COLS ", hash FROM audit_log "
	    "WHERE id <= ?1 ORDER BY id", err);
	up = db_stmt(db, "UPDATE audit_log SET hash = ?2 WHERE id = ?1 AND "
	    "hash IS NULL", err);
	if (st == NULL || up == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, max);
	memcpy(prev, audit_genesis, sizeof prev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, AUDIT_NCOLS) == SQLITE_TEXT) {
			/* Already chained: carry on from it. */
			snprintf(prev, sizeof prev, "%s",
			    (const char *)sqlite3_column_text(st, AUDIT_NCOLS));
			continue;
		}
		audit_hash_row(prev, st, hash);
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_text(up, 2, hash, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(up) != SQLITE_DONE) {
			db_done(up);
			db_done(st);
			rc = db_fail(db, err, _("chaining the audit log"));
			goto fail;
		}
		db_done(up);
		memcpy(prev, hash, sizeof prev);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading the audit log"));
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
audit_add(struct db *db, const char *user, const char *action,
    const char *entity, int64_t entity_id, const char *detail,
    struct duka_err *err)
{
	char now[TIMESTAMP_LEN], prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	struct audit_field f[AUDIT_NCOLS];
	const char *approver;
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	if (!db_in_transaction(db))
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: an audit row outside a transaction"));
	if (sodium_init() < 0)
		return duka_fail(err, DUKA_EFAIL, "%s",
		    _("cannot start libsodium (hashing)"));
	if ((rc = audit_chain_legacy(db, err)) != DUKA_OK)
		return rc;
	if ((rc = audit_head(db, prev, &id, err)) != DUKA_OK)
		return rc;
	/*
	 * The hash covers the id, so the id is chosen here rather than by
	 * SQLite: the write lock (BEGIN IMMEDIATE) is held, nobody else can
	 * take it, and the row goes in whole with its hash, never updated.
	 */
	id++;
	/* Who is logged in on the connection is who acted, whatever name
	 * the caller passed; without a login, the caller's name or $USER. */
	if (db_actor(db) != NULL && db_actor(db)->user_id != 0)
		user = db_actor(db)->name;
	else if (user == NULL)
		user = user_actor_name(db);
	approver = perm_approver(db);
	date_now_timestamp(now);
	f[0] = audit_int(id, 0);
	f[1] = audit_text(now);
	f[2] = audit_text(user);
	f[3] = audit_text(action);
	f[4] = audit_text(entity);
	f[5] = audit_int(entity_id, 1);
	f[6] = audit_text(detail);
	f[7] = audit_text(approver);
	audit_hash_fields(prev, f, hash);

	st = db_stmt(db, "INSERT INTO audit_log(id, at, user_name, action, "
	    "entity, entity_id, detail, approved_by, hash) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9)", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 3, user);
	db_bind_text_or_null(st, 4, action);
	db_bind_text_or_null(st, 5, entity);
	if (entity_id != 0)
		sqlite3_bind_int64(st, 6, entity_id);
	db_bind_text_or_null(st, 7, detail);
	db_bind_text_or_null(st, 8, approver);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("writing the audit log"));
}

int
audit_list(struct db *db, const struct audit_filter *f,
    void (*fn)(void *ctx, const struct audit_row *r), void *ctx,
    struct duka_err *err)
{
	char after[DATE_LEN];
	struct audit_row r;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, at, coalesce(user_name, ''), action, "
	    "entity, coalesce(entity_id, 0), coalesce(detail, ''), "
	    "coalesce(approved_by, '') FROM audit_log "
	    "WHERE (?1 IS NULL OR user_name = ?1 COLLATE NOCASE) "
	    "AND (?2 IS NULL OR action = ?2 OR (substr(?2, -1) = '.' "
	    "AND substr(action, 1, length(?2)) = ?2)) "
	    "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) "
	    "ORDER BY id", err);
	if (st == NULL)
		return err->code;
	db_bind_text_or_null(st, 1, f != NULL ? f->user : NULL);
	db_bind_text_or_null(st, 2, f != NULL ? f->action : NULL);
	if (f != NULL && f->from[0] != '\0')
		db_bind_text_or_null(st, 3, f->from);
	if (f != NULL && f->to[0] != '\0') {
		date_add_days(f->to, 1, after);
		db_bind_text_or_null(st, 4, after);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		r.at = (const char *)sqlite3_column_text(st, 1);
		r.user = (const char *)sqlite3_column_text(st, 2);
		r.action = (const char *)sqlite3_column_text(st, 3);
		r.entity = (const char *)sqlite3_column_text(st, 4);
		r.entity_id = sqlite3_column_int64(st, 5);
		r.detail = (const char *)sqlite3_column_text(st, 6);
		r.approved_by = (const char *)sqlite3_column_text(st, 7);
		fn(ctx, &r);
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading the audit log"));
}

/*
 * Walk the rows in id order on a statement of its own. A gap in the ids is
 * a removal; a NULL hash past the legacy rows is a row added by hand; a
 * stored hash that differs from the computed one is a changed row, except
 * that on the last row it may as well be a row added with a made-up hash
 * (nothing after it tells the two apart).
 */
int
audit_verify(struct db *db, struct audit_verdict *v, struct duka_err *err)
{
	char prev[AUDIT_HASH_HEX], calc[AUDIT_HASH_HEX];
	sqlite3_stmt *st = NULL;
	int64_t legacy_max, prev_id = 0, pend_id = 0;
	int rc;

	memset(v, 0, sizeof *v);
	if (sodium_init() < 0)
		return duka_fail(err, DUKA_EFAIL, "%s",
		    _("cannot start libsodium (hashing)"));
	if ((rc = audit_legacy_max(db, &legacy_max, err)) != DUKA_OK)
		return rc;
	if (sqlite3_prepare_v2(db_sqlite(db), "SELECT " AUDIT_COLS ", hash "
	    "FROM audit_log ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, _("reading the audit log"));
	memcpy(prev, audit_genesis, sizeof prev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *stored = NULL;

		if (sqlite3_column_type(st, AUDIT_NCOLS) != SQLITE_NULL)
			stored = (const char *)sqlite3_column_text(st,
			    AUDIT_NCOLS);
		if (pend_id != 0) {
			/* Only the row after a bad one is read here. */
			v->fault = AUDIT_CHANGED;
			v->bad_id = pend_id;
			break;
		}
		if (id != prev_id + 1) {
			v->fault = AUDIT_REMOVED;
			v->bad_id = id;
			v->gap_from = prev_id + 1;
			v->gap_to = id - 1;
			break;
		}
		audit_hash_row(prev, st, calc);
		if (stored == NULL && id <= legacy_max)
			stored = calc;	/* written before the chain */
		if (stored == NULL) {
			v->fault = AUDIT_INSERTED;
			v->bad_id = id;
			break;
		}
		if (strlen(stored) != 64 || strcmp(stored, calc) != 0) {
			pend_id = id;
			prev_id = id;
			continue;
		}
		memcpy(prev, calc, sizeof prev);
		memcpy(v->head, calc, sizeof v->head);
		prev_id = id;
		v->rows++;
	}
	if (rc == SQLITE_DONE && pend_id != 0) {
		/* The last row is wrong: edited, or added by hand. */
		v->fault = AUDIT_INSERTED;
		v->bad_id = pend_id;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading the audit log"));
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return DUKA_OK;
}

void
audit_verdict_text(const struct audit_verdict *v, char *buf, size_t n)
{
	switch (v->fault) {
	case AUDIT_INTACT:
		snprintf(buf, n, _("the audit trail is intact: %lld rows, "
		    "last hash %.16s"), (long long)v->rows, v->head);
		break;
	case AUDIT_CHANGED:
		snprintf(buf, n, _("audit row %lld was changed after it was "
		    "written (%lld rows before it are intact)"),
		    (long long)v->bad_id, (long long)v->rows);
		break;
	case AUDIT_REMOVED:
		if (v->gap_from == v->gap_to)
			snprintf(buf, n, _("audit row %lld was removed (found "
			    "at row %lld)"), (long long)v->gap_from,
			    (long long)v->bad_id);
		else
			snprintf(buf, n, _("audit rows %lld to %lld were "
			    "removed (found at row %lld)"),
			    (long long)v->gap_from, (long long)v->gap_to,
			    (long long)v->bad_id);
		break;
	case AUDIT_INSERTED:
		snprintf(buf, n, _("audit row %lld was inserted out of turn "
		    "or changed: it does not follow from the row before it"),
		    (long long)v->bad_id);
		break;
	}
}
