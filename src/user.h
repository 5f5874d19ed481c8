/*
 * user.h - the people who work the till: users with a role and a PIN,
 * logging in (with lockout after wrong PINs), and what each role may do.
 *
 * Owns the table users. A PIN (4 to 8 digits) is stored only as a libsodium
 * crypto_pwhash_str string (Argon2id, OPSLIMIT/MEMLIMIT_INTERACTIVE: about
 * 64 MiB and a fraction of a second on an old netbook). Tests may set
 * DUKA_TEST_CHEAP_PIN_HASH=1 in the environment to hash with libsodium's
 * smallest limits; a hash keeps its own limits, so such PINs still verify.
 *
 * The permission matrix lives here and nowhere else (role_perms()); the
 * domain functions call perm_require() before they change anything, so
 * the screens and the command line cannot forget a check.
 *
 *   attendant  sell, park, print and reprint, pay cash in, customers
 *   manager    the attendant's, and refunds, voiding a committed sale,
 *              discounts over the limit, price overrides, drawer out /
 *              no-sale, stock adjustments and write-offs, receiving stock,
 *              selling an expired batch, products and prices, orders,
 *              reading the audit trail and the fraud alerts
 *   owner      everything: also users, settings and exports
 *
 * Setup mode: while the database has no user at all (a new shop), every
 * action is allowed and audit rows carry $USER, as before duka had users.
 * The first user must be an owner.
 *
 * Who acts is a struct actor attached to the connection (db_set_actor).
 * A manager standing next to an attendant approves one action with
 * perm_approve() (their PIN, with its own lockout): the next perm_require()
 * on that connection that needs it consumes the approval, and the audit
 * rows of that action name the manager in approved_by.
 *
 * At the till: when an action fails with DUKA_EPERM, show err's words in
 * the manager's PIN pop-up, call perm_approve() with what the action needs
 * (perm_allowed() tells beforehand), and run the action again. What each
 * domain function needs:
 *   sale_commit     PERM_SELL; PERM_PRICE_OVERRIDE for an override,
 *                   PERM_DISCOUNT for a cart past [limits] (the checked
 *                   approval replaces cart_approve and is what the sale's
 *                   approved_by records), PERM_SELL_EXPIRED with
 *                   allow_expired
 *   refund_commit   PERM_REFUND, or PERM_VOID_SALE without lines (the whole
 *                   sale); also PERM_STOCK_ADJUST when damaged
 *   shift_cash      PERM_CASH_IN, or PERM_DRAWER (pay-out, no-sale)
 *   stock_issue (not a sale), stock_count_gain, stock_writeoff_expired,
 *   stocktake_commit   PERM_STOCK_ADJUST; stock_receive PERM_STOCK_RECEIVE
 *   catalog_* changes  PERM_CATALOG (not for changes from the hub)
 *   order_add/cancel/receive_line  PERM_ORDERS
 *   customer_add/pay   PERM_CUSTOMERS; export_workbook PERM_EXPORT
 *   user_* changes     PERM_USERS (one's own PIN excepted)
 * Threads that act for the till itself (the M-PESA worker) attach an
 * actor of their own with user_id -1 and the role they act with.
 */
#ifndef DUKA_USER_H
#define DUKA_USER_H

#include <stdint.h>

#include "date.h"
#include "db.h"
#include "settings.h"
#include "status.h"

#define USER_NAME_MAX 65	/* 64 bytes of UTF-8 and the NUL */
#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 8

enum role {
	ROLE_NONE = 0,
	ROLE_ATTENDANT = 1,
	ROLE_MANAGER = 2,
	ROLE_OWNER = 3,
};

/* What an action needs; bits, so that one approval can cover several. */
enum perm {
	PERM_SELL = 1u << 0,		/* ring up and commit a sale */
	PERM_PARK = 1u << 1,		/* park and resume carts */
	PERM_PRINT = 1u << 2,		/* print and reprint receipts */
	PERM_CASH_IN = 1u << 3,		/* pay cash into the drawer */
	PERM_CUSTOMERS = 1u << 4,	/* add customers, take account payments */
	PERM_REFUND = 1u << 5,		/* refunds */
	PERM_VOID_SALE = 1u << 6,	/* void a committed sale */
	PERM_DISCOUNT = 1u << 7,	/* a sale past [limits]: discounts
					   over the limit, size */
	PERM_PRICE_OVERRIDE = 1u << 8,	/* charge another price at the till */
	PERM_DRAWER = 1u << 9,		/* cash out, open the drawer (no sale) */
	PERM_STOCK_ADJUST = 1u << 10,	/* remove, count, write off stock */
	PERM_STOCK_RECEIVE = 1u << 11,	/* receive deliveries */
	PERM_SELL_EXPIRED = 1u << 12,	/* sell from an expired batch */
	PERM_CATALOG = 1u << 13,	/* products and shelf prices */
	PERM_ORDERS = 1u << 14,		/* purchase orders */
	PERM_USERS = 1u << 15,		/* add users, roles, PINs, locks */
	PERM_SETTINGS = 1u << 16,	/* change the shop's settings */
	PERM_EXPORT = 1u << 17,		/* export the books */
	PERM_AUDIT = 1u << 18,		/* read the audit trail and alerts */
};
#define PERM_COUNT 19

/* A user as stored. */
struct user {
	int64_t id;
	char name[USER_NAME_MAX];
	enum role role;
	int active;
	int64_t failed_attempts;	/* wrong PINs since the last good one */
	char locked_until[TIMESTAMP_LEN];	/* "" when not locked */
	char created_at[TIMESTAMP_LEN];
	char last_login_at[TIMESTAMP_LEN];	/* "" when never */
};

/*
 * Who acts on a connection. Fill it with user_login(), attach it with
 * db_set_actor(db, &a); the caller owns it. A zeroed actor is nobody.
 */
struct actor {
	int64_t user_id;		/* 0: nobody logged in */
	char name[USER_NAME_MAX];
	enum role role;

	/* Private to user.c: a manager's approval waiting for its action,
	 * and the one consumed by the transaction numbered used_serial. */
	unsigned grant;
	char grant_by[USER_NAME_MAX];
	uint64_t used_serial;
	unsigned used_perms;
	char used_by[USER_NAME_MAX];
};

/* "attendant", "manager", "owner" (not translated: stored and typed). */
const char *role_name(enum role r);
int role_parse(const char *text, enum role *r, struct duka_err *err);
/* The role's permissions (bits of enum perm). */
unsigned role_perms(enum role r);
/* A short English name of one permission ("refund"), as in duka(1). */
const char *perm_name(enum perm p);
/* The translated words for one permission ("a refund"), for messages. */
const char *perm_label(enum perm p);

/* How many users the database holds (active or not); 0 is setup mode. */
int user_count(struct db *db, int64_t *n, struct duka_err *err);
/* 1 while the database has no users; 0 otherwise, also when it cannot
 * be read (the checks then fail closed). */
int user_setup_mode(struct db *db);

/* Check a PIN as typed: 4 to 8 digits. */
int user_pin_check(const char *pin, struct duka_err *err);

/*
 * Add a user. Needs PERM_USERS, except for the very first user, who must
 * be an owner (setup). The name is 1 to 64 characters, unique ignoring
 * case.
 */
int user_add(struct db *db, const char *name, enum role role,
    const char *pin, struct duka_err *err);
/* Find a user by name (ignoring case); DUKA_ENOTFOUND if none. */
int user_get(struct db *db, const char *name, struct user *u,
    struct duka_err *err);
/* Every user, by name. */
int user_list(struct db *db, void (*fn)(void *ctx, const struct user *u),
    void *ctx, struct duka_err *err);
/* A new PIN: the users themselves, or anyone with PERM_USERS. */
int user_set_pin(struct db *db, const char *name, const char *pin,
    struct duka_err *err);
/* Change a role (PERM_USERS). The last active owner stays an owner. */
int user_set_role(struct db *db, const char *name, enum role role,
    struct duka_err *err);
/* Lock until unlocked (PERM_USERS); unlock and forget wrong PINs. */
int user_lock(struct db *db, const char *name, struct duka_err *err);
int user_unlock(struct db *db, const char *name, struct duka_err *err);
/* Deactivate (PERM_USERS): can no longer log in; the last owner stays. */
int user_deactivate(struct db *db, const char *name, struct duka_err *err);

/*
 * Check name's PIN and fill *out for db_set_actor(). A wrong PIN counts
 * towards cfg->lock_attempts; reaching it locks the user for
 * cfg->lock_minutes (0: until unlocked) and writes a "user.lock" audit row.
 * A locked or deactivated user is refused without looking at the PIN.
 * Every refusal is DUKA_EPERM with one message ("wrong name or PIN", or
 * the lock and until when) that does not say whether the name exists.
 * The counters are saved even though the login fails.
 */
int user_login(struct db *db, const char *name, const char *pin,
    const struct settings *cfg, struct actor *out, struct duka_err *err);

/*
 * DUKA_OK when the connection's actor may do everything in perms: by role,
 * by a pending approval covering all of them (which this consumes), or in
 * setup mode. Else DUKA_EPERM saying what is needed; nothing is consumed.
 * An approval consumed for a transaction covers the checks nested in that
 * same transaction too (a refund of damaged goods writes them off), and
 * is gone when the transaction ends, committed or not.
 */
int perm_require(struct db *db, unsigned perms, struct duka_err *err);
/* Whether perm_require(db, perms) would pass, without consuming anything
 * (the screens grey out what needs a manager). */
int perm_allowed(struct db *db, unsigned perms);

/*
 * A manager (or owner) named approver approves perms for the next action
 * of the connection's actor: checks the PIN as user_login() does (wrong
 * PINs count and lock the approver), refuses an approver whose role does
 * not hold perms (an attendant), and writes a "user.approve" audit row.
 * The actor stays logged in.
 */
int perm_approve(struct db *db, const char *approver, const char *pin,
    unsigned perms, const struct settings *cfg, struct duka_err *err);
/* Withdraw a pending approval (the pop-up was cancelled). */
void perm_approval_clear(struct db *db);

/* For audit rows: who acts (the actor, else $USER in setup mode), and the
 * manager whose approval the current transaction consumed, or NULL. */
const char *user_actor_name(struct db *db);
const char *perm_approver(struct db *db);

#endif
