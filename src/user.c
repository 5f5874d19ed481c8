/*
 * user.c - users, PINs, logging in with lockout, and the permission
 * matrix (see user.h for the rules).
 *
 * A wrong PIN is a change to the ledger (the counter, perhaps a lock), so
 * it is saved in its own transaction even though the login fails. A lock
 * is a time stamp in the future; lock_minutes = 0 locks until someone
 * with PERM_USERS unlocks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "i18n.h"
#include "text.h"
#include "user.h"

/*
 * The hash of a PIN nobody has (libsodium's interactive limits), checked
 * against when the name is unknown, so that a wrong name takes as long as
 * a wrong PIN and the answer's speed does not tell which names exist.
 */
static const char user_dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$v+3UDm4UdEu9N28P9JwT8Q$"
    "E2z9jKI5MVsz9MFcPq25716ByqNe+i8PReFkHvveReg";

/* A lock that lasts until someone unlocks it. */
#define LOCK_FOREVER "9999-12-31T23:59:59Z"

static const unsigned attendant_perms = PERM_SELL | PERM_PARK | PERM_PRINT |
    PERM_CASH_IN | PERM_CUSTOMERS;
static const unsigned manager_perms = PERM_SELL | PERM_PARK | PERM_PRINT |
    PERM_CASH_IN | PERM_CUSTOMERS | PERM_REFUND | PERM_VOID_SALE |
    PERM_DISCOUNT | PERM_PRICE_OVERRIDE | PERM_DRAWER | PERM_STOCK_ADJUST |
    PERM_STOCK_RECEIVE | PERM_SELL_EXPIRED | PERM_CATALOG | PERM_ORDERS |
    PERM_AUDIT;

static const struct {
	const char *name;
	const char *label;
} perm_names[PERM_COUNT] = {
	{ "sell", N_("selling") },
	{ "park", N_("parking a sale") },
	{ "print", N_("printing a receipt") },
	{ "cash-in", N_("paying cash in") },
	{ "customers", N_("customer accounts") },
	{ "refund", N_("a refund") },
	{ "void", N_("voiding a sale") },
	{ "discount", N_("a discount or sale past the limits") },
	{ "price-override", N_("a price override") },
	{ "drawer", N_("taking cash out or opening the drawer") },
	{ "stock-adjust", N_("a stock adjustment or write-off") },
	{ "stock-receive", N_("receiving stock") },
	{ "sell-expired", N_("selling an expired batch") },
	{ "catalog", N_("changing products or prices") },
	{ "orders", N_("purchase orders") },
	{ "users", N_("managing users") },
	{ "settings", N_("changing settings") },
	{ "export", N_("exporting the books") },
	{ "audit", N_("reading the audit trail") },
};

const char *
role_name(enum role r)
{
	switch (r) {
	case ROLE_ATTENDANT:
		return "attendant";
	case ROLE_MANAGER:
		return "manager";
	case ROLE_OWNER:
		return "owner";
	case ROLE_NONE:
		break;
	}
	return "";
}

int
role_parse(const char *text, enum role *r, struct duka_err *err)
{
	enum role k;

	for (k = ROLE_ATTENDANT; k <= ROLE_OWNER; k++) {
		if (text != NULL && strcmp(text, role_name(k)) == 0) {
			*r = k;
			return DUKA_OK;
		}
	}
	return duka_fail(err, DUKA_EINPUT, _("\"%s\" is not a role (write "
	    "attendant, manager or owner)"), text != NULL ? text : "");
}

unsigned
role_perms(enum role r)
{
	switch (r) {
	case ROLE_ATTENDANT:
		return attendant_perms;
	case ROLE_MANAGER:
		return manager_perms;
	case ROLE_OWNER:
		return ~0u;
	case ROLE_NONE:
		break;
	}
	return 0;
}

/* The index of the lowest bit of p. */
static int
perm_index(unsigned p)
{
	int i;

	for (i = 0; i < PERM_COUNT; i++)
		if (p & (1u << i))
			return i;
	return -1;
}

const char *
perm_name(enum perm p)
{
	int i = perm_index((unsigned)p);

	return i < 0 ? "" : perm_names[i].name;
}

const char *
perm_label(enum perm p)
{
	int i = perm_index((unsigned)p);

	return i < 0 ? "" : _(perm_names[i].label);
}

/* libsodium once per process; safe to call again and from threads. */
static int
user_sodium(struct duka_err *err)
{
	if (sodium_init() < 0)
		return duka_fail(err, DUKA_EFAIL,
		    _("cannot start libsodium (PIN hashing)"));
	return DUKA_OK;
}

int
user_count(struct db *db, int64_t *n, struct duka_err *err)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM users", err);
	int rc;

	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK : db_fail(db, err,
	    _("counting users"));
}

int
user_setup_mode(struct db *db)
{
	struct duka_err e = { 0, "" };
	int64_t n = 0;

	return user_count(db, &n, &e) == DUKA_OK && n == 0;
}

int
user_pin_check(const char *pin, struct duka_err *err)
{
	size_t len = pin != NULL ? strlen(pin) : 0;

	/* Never echo the PIN itself, even a wrong one. */
	if (len < PIN_MIN_DIGITS || len > PIN_MAX_DIGITS ||
	    !text_is_digits(pin))
		return duka_fail(err, DUKA_EINPUT,
		    _("a PIN is %d to %d digits"), PIN_MIN_DIGITS,
		    PIN_MAX_DIGITS);
	return DUKA_OK;
}

/* Hash pin into out (crypto_pwhash_STRBYTES). */
static int
user_pin_hash(const char *pin, char out[crypto_pwhash_STRBYTES],
    struct duka_err *err)
{
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	const char *cheap = getenv("DUKA_TEST_CHEAP_PIN_HASH");
	int rc;

	if ((rc = user_sodium(err)) != DUKA_OK)
		return rc;
	if (cheap != NULL && strcmp(cheap, "1") == 0) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	}
	if (crypto_pwhash_str(out, pin, strlen(pin), ops, mem) != 0)
		return duka_fail(err, DUKA_EFAIL,
		    _("not enough memory to protect the PIN"));
	return DUKA_OK;
}

#define USER_COLS "id, name, role, active, failed_attempts, " \
	"coalesce(locked_until, ''), created_at, coalesce(last_login_at, '')"

/* Fill u from a row of USER_COLS. */
static void
user_from_row(sqlite3_stmt *st, struct user *u, char *hash, size_t hn)
{
	char role[16];

	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	db_column_copy(st, 1, u->name, sizeof u->name);
	db_column_copy(st, 2, role, sizeof role);
	u->role = strcmp(role, "owner") == 0 ? ROLE_OWNER :
	    strcmp(role, "manager") == 0 ? ROLE_MANAGER : ROLE_ATTENDANT;
	u->active = sqlite3_column_int(st, 3);
	u->failed_attempts = sqlite3_column_int64(st, 4);
	db_column_copy(st, 5, u->locked_until, sizeof u->locked_until);
	db_column_copy(st, 6, u->created_at, sizeof u->created_at);
	db_column_copy(st, 7, u->last_login_at, sizeof u->last_login_at);
	if (hash != NULL)
		db_column_copy(st, 8, hash, hn);
}

/* Find name; hash (if not NULL) receives the PIN hash. */
static int
user_find(struct db *db, const char *name, struct user *u, char *hash,
    size_t hn, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT " USER_COLS ", pin_hash FROM users "
	    "WHERE name = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, name != NULL ? name : "", -1,
	    SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		user_from_row(st, u, hash, hn);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc == SQLITE_DONE)
		return duka_fail(err, DUKA_ENOTFOUND, _("no user \"%s\""),
		    name != NULL ? name : "");
	return db_fail(db, err, _("reading users"));
}

int
user_get(struct db *db, const char *name, struct user *u,
    struct duka_err *err)
{
	return user_find(db, name, u, NULL, 0, err);
}

int
user_list(struct db *db, void (*fn)(void *ctx, const struct user *u),
    void *ctx, struct duka_err *err)
{
	sqlite3_stmt *st;
	struct user u;
	int rc;

	st = db_stmt(db, "SELECT " USER_COLS " FROM users ORDER BY name", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		user_from_row(st, &u, NULL, 0);
		fn(ctx, &u);
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK : db_fail(db, err,
	    _("reading users"));
}

/* Trim and check a user name into out. */
static int
user_name_clean(const char *name, char out[USER_NAME_MAX],
    struct duka_err *err)
{
	if (name == NULL || text_trim_copy(name, out, USER_NAME_MAX) != 0)
		return duka_fail(err, DUKA_EINPUT, name == NULL ?
		    _("the user name is empty") :
		    _("the user name is longer than 64 bytes"));
	return text_check_name(out, 64, _("user name"), err);
}

/* Add the audit row of a change to user id. */
static int
user_audit(struct db *db, const char *action, int64_t id, const char *detail,
    struct duka_err *err)
{
	return audit_add(db, NULL, action, "user", id, detail, err);
}

int
user_add(struct db *db, const char *name, enum role role, const char *pin,
    struct duka_err *err)
{
	char nm[USER_NAME_MAX], hash[crypto_pwhash_STRBYTES], now[TIMESTAMP_LEN];
	char detail[160];
	sqlite3_stmt *st;
	int64_t n, id;
	int rc;

	if ((rc = user_name_clean(name, nm, err)) != DUKA_OK)
		return rc;
	if (role < ROLE_ATTENDANT || role > ROLE_OWNER)
		return duka_fail(err, DUKA_EINPUT, "%s",
		    _("say the user's role: attendant, manager or owner"));
	if ((rc = user_pin_check(pin, err)) != DUKA_OK)
		return rc;
	if ((rc = user_pin_hash(pin, hash, err)) != DUKA_OK)
		return rc;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = user_count(db, &n, err)) != DUKA_OK)
		goto fail;
	if (n == 0 && role != ROLE_OWNER) {
		rc = duka_fail(err, DUKA_EINPUT, "%s", _("the first user must "
		    "be the owner (--role owner)"));
		goto fail;
	}
	if (n > 0 && (rc = perm_require(db, PERM_USERS, err)) != DUKA_OK)
		goto fail;
	st = db_stmt(db, "INSERT INTO users(name, role, pin_hash, created_at) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name) DO NOTHING", err);
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	date_now_timestamp(now);
	sqlite3_bind_text(st, 1, nm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding the user"));
		goto fail;
	}
	if (sqlite3_changes(db_sqlite(db)) == 0) {
		rc = duka_fail(err, DUKA_EINPUT,
		    _("there is already a user \"%s\""), nm);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(db_sqlite(db));
	snprintf(detail, sizeof detail, "%s %s", nm, role_name(role));
	if ((rc = user_audit(db, "user.add", id, detail, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* Count the active owners other than id. */
static int
user_other_owners(struct db *db, int64_t id, int64_t *n, struct duka_err *err)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM users WHERE "
	    "role = 'owner' AND active = 1 AND id <> ?1", err);
	int rc;

	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK : db_fail(db, err,
	    _("reading users"));
}

/* What a change to one user does; see user_change(). */
enum user_op { OP_PIN, OP_ROLE, OP_LOCK, OP_UNLOCK, OP_DEACTIVATE };

/*
 * Apply op to the user name in one transaction with its audit row. pin
 * (OP_PIN) must be checked and hashed already.
 */
static int
user_change(struct db *db, const char *name, enum user_op op, enum role role,
    const char *hash, struct duka_err *err)
{
	static const char *const actions[] = { "user.pin", "user.role",
	    "user.lock_manual", "user.unlock", "user.deactivate" };
	struct actor *a = db_actor(db);
	struct user u;
	sqlite3_stmt *st = NULL;
	char detail[200];
	int64_t others = 0;
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = user_get(db, name, &u, err)) != DUKA_OK)
		goto fail;
	/* Users may change their own PIN; everything else is PERM_USERS. */
	if (!(op == OP_PIN && a != NULL && a->user_id == u.id) &&
	    (rc = perm_require(db, PERM_USERS, err)) != DUKA_OK)
		goto fail;
	if ((op == OP_DEACTIVATE || (op == OP_ROLE && role != ROLE_OWNER) ||
	    op == OP_LOCK) && u.role == ROLE_OWNER && u.active) {
		if ((rc = user_other_owners(db, u.id, &others, err)) != 0)
			goto fail;
		if (others == 0) {
			rc = duka_fail(err, DUKA_EINPUT, _("%s is the only "
			    "owner; make someone else owner first"), u.name);
			goto fail;
		}
	}
	detail[0] = '\0';
	switch (op) {
	case OP_PIN:
		st = db_stmt(db, "UPDATE users SET pin_hash = ?2, "
		    "failed_attempts = 0 WHERE id = ?1", err);
		if (st != NULL)
			sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
		snprintf(detail, sizeof detail, "%s", u.name);
		break;
	case OP_ROLE:
		st = db_stmt(db, "UPDATE users SET role = ?2 WHERE id = ?1",
		    err);
		if (st != NULL)
			sqlite3_bind_text(st, 2, role_name(role), -1,
			    SQLITE_STATIC);
		snprintf(detail, sizeof detail, "%s %s -> %s", u.name,
		    role_name(u.role), role_name(role));
		break;
	case OP_LOCK:
		st = db_stmt(db, "UPDATE users SET locked_until = '"
		    LOCK_FOREVER "' WHERE id = ?1", err);
		snprintf(detail, sizeof detail, "%s locked by hand", u.name);
		break;
	case OP_UNLOCK:
		st = db_stmt(db, "UPDATE users SET locked_until = NULL, "
		    "failed_attempts = 0 WHERE id = ?1", err);
		snprintf(detail, sizeof detail, "%s", u.name);
		break;
	case OP_DEACTIVATE:
		st = db_stmt(db, "UPDATE users SET active = 0 WHERE id = ?1",
		    err);
		snprintf(detail, sizeof detail, "%s", u.name);
		break;
	}
	if (st == NULL) {
		rc = err->code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, u.id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("changing the user"));
		goto fail;
	}
	if ((rc = user_audit(db, actions[op], u.id, detail, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
user_set_pin(struct db *db, const char *name, const char *pin,
    struct duka_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	if ((rc = user_pin_check(pin, err)) != DUKA_OK)
		return rc;
	if ((rc = user_pin_hash(pin, hash, err)) != DUKA_OK)
		return rc;
	rc = user_change(db, name, OP_PIN, ROLE_NONE, hash, err);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int
user_set_role(struct db *db, const char *name, enum role role,
    struct duka_err *err)
{
	if (role < ROLE_ATTENDANT || role > ROLE_OWNER)
		return duka_fail(err, DUKA_EINPUT, "%s",
		    _("say the user's role: attendant, manager or owner"));
	return user_change(db, name, OP_ROLE, role, NULL, err);
}

int
user_lock(struct db *db, const char *name, struct duka_err *err)
{
	return user_change(db, name, OP_LOCK, ROLE_NONE, NULL, err);
}

int
user_unlock(struct db *db, const char *name, struct duka_err *err)
{
	return user_change(db, name, OP_UNLOCK, ROLE_NONE, NULL, err);
}

int
user_deactivate(struct db *db, const char *name, struct duka_err *err)
{
	return user_change(db, name, OP_DEACTIVATE, ROLE_NONE, NULL, err);
}

/* The refusal of a locked user, naming until when. */
static int
user_locked_fail(const struct user *u, struct duka_err *err)
{
	if (strcmp(u->locked_until, LOCK_FOREVER) == 0)
		return duka_fail(err, DUKA_EPERM, _("%s is locked until a "
		    "manager or the owner unlocks them"), u->name);
	return duka_fail(err, DUKA_EPERM, _("%s is locked after too many "
	    "wrong PINs, until %s UTC"), u->name, u->locked_until);
}

/*
 * Count one wrong PIN for u in its own transaction; lock u when it reaches
 * the limit. Returns DUKA_EPERM with the message for the person typing.
 */
static int
user_wrong_pin(struct db *db, const struct user *u,
    const struct settings *cfg, struct duka_err *err)
{
	char until[TIMESTAMP_LEN], detail[160];
	int64_t failed = u->failed_attempts + 1;
	int64_t limit = cfg != NULL ? cfg->lock_attempts : 5;
	int64_t minutes = cfg != NULL ? cfg->lock_minutes : 15;
	int locks = failed >= limit;
	sqlite3_stmt *st;
	struct duka_err e2 = { 0, "" };
	int rc;

	if (locks) {
		if (minutes == 0)
			snprintf(until, sizeof until, "%s", LOCK_FOREVER);
		else
			date_timestamp(date_now() + minutes * 60, until);
	}
	if ((rc = db_begin(db, &e2)) != DUKA_OK)
		goto out;
	st = db_stmt(db, "UPDATE users SET failed_attempts = ?2, "
	    "locked_until = ?3 WHERE id = ?1", &e2);
	if (st == NULL) {
		rc = e2.code;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_int64(st, 2, locks ? 0 : failed);
	if (locks)
		sqlite3_bind_text(st, 3, until, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 3);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, &e2, _("counting a wrong PIN"));
		goto fail;
	}
	if (locks) {
		snprintf(detail, sizeof detail, "%s after %lld wrong PINs, "
		    "until %s", u->name, (long long)failed, until);
		rc = audit_add(db, u->name, "user.lock", "user", u->id,
		    detail, &e2);
	} else {
		snprintf(detail, sizeof detail, "%s wrong PIN %lld of %lld",
		    u->name, (long long)failed, (long long)limit);
		rc = audit_add(db, u->name, "user.pin_wrong", "user", u->id,
		    detail, &e2);
	}
	if (rc != DUKA_OK)
		goto fail;
	rc = db_commit(db, &e2);
	goto out;
fail:
	db_rollback(db);
out:
	if (rc != DUKA_OK)
		return duka_fail(err, rc, "%s", e2.msg);
	if (locks) {
		if (minutes == 0)
			return duka_fail(err, DUKA_EPERM, _("wrong PIN: %s is "
			    "now locked until a manager or the owner unlocks "
			    "them"), u->name);
		return duka_fail(err, DUKA_EPERM, _("wrong PIN: %s is now "
		    "locked for %lld minutes"), u->name, (long long)minutes);
	}
	return duka_fail(err, DUKA_EPERM, "%s", _("wrong user name or PIN"));
}

/*
 * Check name's PIN: the user must exist, be active and not locked. On
 * success the wrong-PIN counter is cleared (and an expired lock). Fills u.
 */
static int
user_check_pin(struct db *db, const char *name, const char *pin,
    const struct settings *cfg, struct user *u, struct duka_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	struct duka_err e2 = { 0, "" };
	int rc;

	if ((rc = user_sodium(err)) != DUKA_OK)
		return rc;
	if (name == NULL || *name == '\0')
		return duka_fail(err, DUKA_EPERM, "%s",
		    _("say who you are: a user name is needed"));
	rc = user_find(db, name, u, hash, sizeof hash, &e2);
	if (rc == DUKA_ENOTFOUND) {
		if (pin != NULL && getenv("DUKA_TEST_CHEAP_PIN_HASH") == NULL &&
		    crypto_pwhash_str_verify(user_dummy_hash, pin,
		    strlen(pin)) == 0)
			memset(u, 0, sizeof *u);	/* never: nobody's PIN */
		return duka_fail(err, DUKA_EPERM, "%s",
		    _("wrong user name or PIN"));
	}
	if (rc != DUKA_OK)
		return duka_fail(err, rc, "%s", e2.msg);
	if (!u->active)
		return duka_fail(err, DUKA_EPERM, _("%s has been deactivated"),
		    u->name);
	date_timestamp(date_now(), now);
	if (u->locked_until[0] != '\0' && strcmp(now, u->locked_until) < 0)
		return user_locked_fail(u, err);
	if (pin == NULL || crypto_pwhash_str_verify(hash, pin,
	    strlen(pin)) != 0) {
		sodium_memzero(hash, sizeof hash);
		return user_wrong_pin(db, u, cfg, err);
	}
	sodium_memzero(hash, sizeof hash);
	if (u->failed_attempts == 0 && u->locked_until[0] == '\0')
		return DUKA_OK;
	/* A good PIN forgets earlier wrong ones and an expired lock. */
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	st = db_stmt(db, "UPDATE users SET failed_attempts = 0, "
	    "locked_until = NULL WHERE id = ?1", err);
	if (st == NULL) {
		db_rollback(db);
		return err->code;
	}
	sqlite3_bind_int64(st, 1, u->id);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving the login"));
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int
user_login(struct db *db, const char *name, const char *pin,
    const struct settings *cfg, struct actor *out, struct duka_err *err)
{
	struct duka_err e = { 0, "" };
	struct user u;
	char now[TIMESTAMP_LEN];
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = user_check_pin(db, name, pin, cfg, &u, err)) != DUKA_OK)
		return rc;
	date_now_timestamp(now);
	/* Best effort: a read-only database still lets the owner read. */
	if (db_begin(db, &e) == DUKA_OK) {
		sqlite3_stmt *st = db_stmt(db, "UPDATE users SET "
		    "last_login_at = ?2 WHERE id = ?1", &e);

		if (st != NULL) {
			sqlite3_bind_int64(st, 1, u.id);
			sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
			sqlite3_step(st);
			db_done(st);
		}
		if (db_commit(db, &e) != DUKA_OK)
			db_rollback(db);
	}
	out->user_id = u.id;
	memcpy(out->name, u.name, sizeof out->name);
	out->role = u.role;
	return DUKA_OK;
}

/* Whether perms pass without an approval: role, or setup mode. */
static int
perm_by_role(struct db *db, unsigned perms, int *setup)
{
	struct actor *a = db_actor(db);
	struct duka_err e = { 0, "" };
	int64_t n = 1;

	*setup = 0;
	if (a != NULL && a->user_id != 0)
		return (role_perms(a->role) & perms) == perms;
	/* Nobody logged in: allowed only while the shop has no users. */
	if (user_count(db, &n, &e) == DUKA_OK && n == 0) {
		*setup = 1;
		return 1;
	}
	return 0;
}

int
perm_allowed(struct db *db, unsigned perms)
{
	struct actor *a = db_actor(db);
	int setup;

	if (perm_by_role(db, perms, &setup))
		return 1;
	return a != NULL && a->user_id != 0 &&
	    ((role_perms(a->role) | a->grant) & perms) == perms;
}

int
perm_require(struct db *db, unsigned perms, struct duka_err *err)
{
	struct actor *a = db_actor(db);
	unsigned missing;
	int setup;

	if (perm_by_role(db, perms, &setup))
		return DUKA_OK;
	if (a == NULL || a->user_id == 0)
		return duka_fail(err, DUKA_EPERM, "%s", _("nobody is logged "
		    "in: log in (duka --user NAME) before changing anything"));
	missing = perms & ~role_perms(a->role);
	if (db_in_transaction(db) && a->used_serial == db_txn_serial(db) &&
	    (a->used_perms & missing) == missing)
		return DUKA_OK;		/* within the approved action */
	if (a->grant != 0 && (a->grant & missing) == missing) {
		/* The approval covers this one action, then it is spent. */
		a->used_serial = db_txn_serial(db) +
		    (db_in_transaction(db) ? 0 : 1);
		a->used_perms = a->grant;
		memcpy(a->used_by, a->grant_by, sizeof a->used_by);
		a->grant = 0;
		memset(a->grant_by, 0, sizeof a->grant_by);
		return DUKA_OK;
	}
	if (a->role == ROLE_OWNER || (role_perms(ROLE_MANAGER) & missing) ==
	    missing)
		return duka_fail(err, DUKA_EPERM, _("%s needs a manager's "
		    "approval (%s is %s)"),
		    perm_label((enum perm)missing), a->name,
		    role_name(a->role));
	return duka_fail(err, DUKA_EPERM, _("%s is for the owner only (%s is "
	    "%s)"), perm_label((enum perm)missing), a->name,
	    role_name(a->role));
}

int
perm_approve(struct db *db, const char *approver, const char *pin,
    unsigned perms, const struct settings *cfg, struct duka_err *err)
{
	struct actor *a = db_actor(db);
	struct user u;
	char detail[300];
	size_t len = 0;
	int i, rc;

	if (a == NULL || a->user_id == 0)
		return duka_fail(err, DUKA_EPERM, "%s", _("nobody is logged "
		    "in to approve for"));
	if (perms == 0)
		return duka_fail(err, DUKA_EINPUT, "%s",
		    _("say what the approval is for"));
	if ((rc = user_check_pin(db, approver, pin, cfg, &u, err)) != 0)
		return rc;
	if ((role_perms(u.role) & perms) != perms)
		return duka_fail(err, DUKA_EPERM, _("%s is %s and cannot "
		    "approve %s"), u.name, role_name(u.role),
		    perm_label((enum perm)(perms & ~role_perms(u.role))));
	len = (size_t)snprintf(detail, sizeof detail, "%s for %s:", u.name,
	    a->name);
	for (i = 0; i < PERM_COUNT && len < sizeof detail; i++)
		if (perms & (1u << i))
			len += (size_t)snprintf(detail + len,
			    sizeof detail - len, " %s", perm_names[i].name);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = audit_add(db, a->name, "user.approve", "user", u.id,
	    detail, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	a->grant = perms;
	memcpy(a->grant_by, u.name, sizeof a->grant_by);
	return DUKA_OK;
}

void
perm_approval_clear(struct db *db)
{
	struct actor *a = db_actor(db);

	if (a == NULL)
		return;
	a->grant = 0;
	memset(a->grant_by, 0, sizeof a->grant_by);
}

const char *
user_actor_name(struct db *db)
{
	struct actor *a = db_actor(db);
	const char *u;

	if (a != NULL && a->user_id != 0)
		return a->name;
	u = getenv("USER");
	return u != NULL ? u : "";
}

const char *
perm_approver(struct db *db)
{
	struct actor *a = db_actor(db);

	if (a == NULL || a->used_by[0] == '\0' ||
	    a->used_serial != db_txn_serial(db) || !db_in_transaction(db))
		return NULL;
	return a->used_by;
}
