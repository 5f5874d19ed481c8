/*
 * audit.h - who changed what: one audit row per business action, written in
 * the action's own transaction. Owns the table audit_log: append-only, and
 * chained so that an edit, a removal or a row slipped in is found.
 *
 * Chain: every row holds hash = SHA-256 over the previous row's hash (64
 * hex digits; 64 zeros before the first row) and the canonical form of its
 * own fields, id included (see audit.c). Rows written before the chain
 * existed (migration 0008) are chained by audit_chain_legacy().
 *
 * Limit, said plainly: the chain is not keyed. Someone who can write the
 * file and knows this page can rewrite the rows after the one they change,
 * or cut rows off the end; the chain finds every edit, removal or insertion
 * made without recomputing it (what an attacker with sqlite3 does), and the
 * hub's copy of the events is the check against the rest.
 */
#ifndef DUKA_AUDIT_H
#define DUKA_AUDIT_H

#include <stdint.h>

#include "date.h"
#include "db.h"
#include "status.h"

#define AUDIT_HASH_HEX 65	/* 64 hex digits and the NUL */

/*
 * Record action (e.g. "sale.commit") on entity/id with a short detail,
 * inside the caller's transaction. The row names the user logged in on the
 * connection (db_actor()); without one, user, or $USER when user is NULL.
 * A manager's approval consumed by this transaction is recorded in
 * approved_by.
 */
int audit_add(struct db *db, const char *user, const char *action,
    const char *entity, int64_t entity_id, const char *detail,
    struct duka_err *err);

/* Give the rows from before migration 0008 their hashes (once; a no-op
 * afterwards). Every duka command runs it on opening the database. */
int audit_chain_legacy(struct db *db, struct duka_err *err);

/* One row as read back; the strings live until the callback returns. */
struct audit_row {
	int64_t id;
	const char *at;
	const char *user;		/* "" when none */
	const char *action;
	const char *entity;
	int64_t entity_id;		/* 0 when none */
	const char *detail;		/* "" when none */
	const char *approved_by;	/* "" when none */
};

/* Which rows audit_list() shows; empty/NULL fields do not filter. */
struct audit_filter {
	const char *user;
	const char *action;		/* exact, or a prefix ending in '.' */
	char from[DATE_LEN];		/* UTC dates, inclusive */
	char to[DATE_LEN];
};

int audit_list(struct db *db, const struct audit_filter *f,
    void (*fn)(void *ctx, const struct audit_row *r), void *ctx,
    struct duka_err *err);

enum audit_fault {
	AUDIT_INTACT = 0,
	AUDIT_CHANGED,		/* bad_id's fields are not what was hashed */
	AUDIT_REMOVED,		/* rows gap_from..gap_to are missing */
	AUDIT_INSERTED,		/* bad_id was added outside duka */
};

struct audit_verdict {
	int64_t rows;			/* rows checked */
	enum audit_fault fault;
	int64_t bad_id;			/* the first row found wrong */
	int64_t gap_from, gap_to;	/* AUDIT_REMOVED */
	char head[AUDIT_HASH_HEX];	/* the last good hash */
};

/*
 * Walk the chain from the first row and stop at the first fault. Returns
 * DUKA_OK whether or not the chain is whole (see v->fault); fails only when
 * the database cannot be read.
 */
int audit_verify(struct db *db, struct audit_verdict *v,
    struct duka_err *err);
/* Describe v in words (translated) into buf. */
void audit_verdict_text(const struct audit_verdict *v, char *buf, size_t n);

#endif
