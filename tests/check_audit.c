/*
 * check_audit.c - the audit trail's hash chain: rows written by duka
 * verify; a row changed, a row deleted, a row inserted (with sqlite3, the
 * triggers dropped first, as an attacker would) are each named by
 * audit_verify(); rows from before migration 0008 get chained; the filters
 * of audit_list(); the fraud guard's alerts.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "fraud.h"
#include "migrations.h"
#include "settings.h"
#include "testutil.h"
#include "user.h"

static struct db *db;
static char dbpath[512];

/* Write n audit rows, one transaction each. */
static void
add_rows(int n, const char *action)
{
	struct duka_err err = { 0, "" };
	char detail[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(detail, sizeof detail, "row %d, \"quoted\";\nnext", i);
		ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
		ck_assert_msg(audit_add(db, i % 2 ? "amina" : NULL, action,
		    "thing", i % 3, i % 4 ? detail : NULL, &err) == DUKA_OK,
		    "%s", err.msg);
		ck_assert_int_eq(db_commit(db, &err), DUKA_OK);
	}
}

/* Verify, expecting fault at row bad (0 when intact). */
static void
expect(enum audit_fault fault, int64_t bad)
{
	struct duka_err err = { 0, "" };
	struct audit_verdict v;
	char text[512], id[32];

	ck_assert_int_eq(audit_verify(db, &v, &err), DUKA_OK);
	audit_verdict_text(&v, text, sizeof text);
	ck_assert_msg(v.fault == fault, "fault %d, expected %d: %s",
	    (int)v.fault, (int)fault, text);
	ck_assert_msg(v.bad_id == bad, "row %lld, expected %lld: %s",
	    (long long)v.bad_id, (long long)bad, text);
	if (bad != 0) {
		snprintf(id, sizeof id, " %lld", (long long)(fault ==
		    AUDIT_REMOVED ? v.gap_from : bad));
		ck_assert_msg(strstr(text, id) != NULL, "%s", text);
	}
}

/* What an attacker with sqlite3 does first. */
static void
drop_triggers(void)
{
	tu_exec(db, "DROP TRIGGER audit_log_no_update; "
	    "DROP TRIGGER audit_log_no_delete");
}

static void
setup(void)
{
	unsetenv("DUKA_NOW");
	db = tu_db_new(dbpath, sizeof dbpath);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

START_TEST(test_intact)
{
	struct duka_err err = { 0, "" };
	struct audit_verdict v;

	expect(AUDIT_INTACT, 0);
	add_rows(7, "test.row");
	expect(AUDIT_INTACT, 0);
	ck_assert_int_eq(audit_verify(db, &v, &err), DUKA_OK);
	ck_assert_int_eq(v.rows, 7);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "length(hash) = 64"), 7);
	/* Every hash is different, also of rows alike. */
	ck_assert_int_eq(tu_int(db, "SELECT count(DISTINCT hash) FROM "
	    "audit_log"), 7);
	/* The triggers still refuse an update and a delete. */
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "UPDATE audit_log SET "
	    "detail = 'x' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "UPDATE audit_log SET "
	    "hash = NULL WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "DELETE FROM audit_log "
	    "WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	/* Outside a transaction: refused. */
	ck_assert_int_eq(audit_add(db, NULL, "x", "y", 0, NULL, &err),
	    DUKA_EFAIL);
}
END_TEST

START_TEST(test_changed)
{
	add_rows(6, "test.row");
	drop_triggers();
	tu_exec(db, "UPDATE audit_log SET detail = 'nothing to see' "
	    "WHERE id = 3");
	expect(AUDIT_CHANGED, 3);
}
END_TEST

/* Each field counts: user, time, the approver, the entity id. */
START_TEST(test_changed_fields)
{
	static const char *const edits[] = {
		"UPDATE audit_log SET user_name = 'mallory' WHERE id = 2",
		("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' "
		    "WHERE id = 2"),
		"UPDATE audit_log SET approved_by = 'Mary' WHERE id = 2",
		"UPDATE audit_log SET entity_id = 99 WHERE id = 2",
		"UPDATE audit_log SET action = 'test.other' WHERE id = 2",
		"UPDATE audit_log SET detail = NULL WHERE id = 2",
		"UPDATE audit_log SET hash = upper(hash) WHERE id = 2",
	};
	size_t i;

	for (i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		teardown();
		setup();
		add_rows(4, "test.row");
		drop_triggers();
		tu_exec(db, edits[i]);
		expect(AUDIT_CHANGED, 2);
	}
}
END_TEST

START_TEST(test_removed)
{
	struct duka_err err = { 0, "" };
	struct audit_verdict v;

	add_rows(6, "test.row");
	drop_triggers();
	tu_exec(db, "DELETE FROM audit_log WHERE id IN (3, 4)");
	expect(AUDIT_REMOVED, 5);
	ck_assert_int_eq(audit_verify(db, &v, &err), DUKA_OK);
	ck_assert_int_eq(v.gap_from, 3);
	ck_assert_int_eq(v.gap_to, 4);
	teardown();
	setup();
	add_rows(3, "test.row");
	drop_triggers();
	tu_exec(db, "DELETE FROM audit_log WHERE id = 1");
	expect(AUDIT_REMOVED, 2);
}
END_TEST

START_TEST(test_inserted)
{
	add_rows(4, "test.row");
	drop_triggers();
	/* A row slipped in without a hash... */
	tu_exec(db, "INSERT INTO audit_log(at, user_name, action, entity) "
	    "VALUES ('2026-01-01T00:00:00.000Z', 'mallory', 'sale.refund', "
	    "'sale')");
	expect(AUDIT_INSERTED, 5);
	/* ...and duka writing on after it does not hide it. */
	add_rows(2, "test.after");
	expect(AUDIT_INSERTED, 5);
	teardown();
	setup();
	add_rows(4, "test.row");
	drop_triggers();
	/* With a made-up hash, or the hash of another row. */
	tu_exec(db, "INSERT INTO audit_log(at, user_name, action, entity, "
	    "hash) SELECT at, user_name, action, entity, hash FROM audit_log "
	    "WHERE id = 4");
	expect(AUDIT_INSERTED, 5);
	add_rows(1, "test.after");
	expect(AUDIT_CHANGED, 5);
	teardown();
	setup();
	add_rows(4, "test.row");
	drop_triggers();
	/* In the middle: moved up to make room, every row after it breaks;
	 * the first one named is the one put in. */
	tu_exec(db, "UPDATE audit_log SET id = id + 10 WHERE id >= 3; "
	    "UPDATE audit_log SET id = id - 9 WHERE id >= 13; "
	    "INSERT INTO audit_log(id, at, action, entity, hash) VALUES "
	    "(3, '2026-01-01T00:00:00.000Z', 'x', 'y', "
	    "(SELECT hash FROM audit_log WHERE id = 2))");
	expect(AUDIT_CHANGED, 3);
}
END_TEST

/* A database as duka made it before migration 0008: its rows get chained
 * when it is opened, and a change to one of them is found after. */
START_TEST(test_legacy_rows)
{
	struct duka_err err = { 0, "" };
	sqlite3 *raw;
	char *msg = NULL;
	int i;

	db_close(db);
	unlink(dbpath);
	ck_assert_int_eq(sqlite3_open(dbpath, &raw), SQLITE_OK);
	for (i = 0; i < db_migrations_count && db_migrations[i].version < 8;
	    i++) {
		char sql[256];

		ck_assert_msg(sqlite3_exec(raw, db_migrations[i].sql, NULL, NULL,
		    &msg) == SQLITE_OK, "%s: %s", db_migrations[i].name, msg);
		snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES "
		    "(%d, '%s', '2026-01-01', 'old')", db_migrations[i].version,
		    db_migrations[i].name);
		ck_assert_int_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL),
		    SQLITE_OK);
	}
	ck_assert_int_eq(sqlite3_exec(raw, "PRAGMA application_id = "
	    "1146440513; PRAGMA user_version = 7; "
	    "INSERT INTO audit_log(at, user_name, action, entity, entity_id, "
	    "detail) VALUES ('2026-01-01T08:00:00.000Z', 'amina', "
	    "'sale.commit', 'sale', 1, 'T1-000001'), "
	    "('2026-01-01T09:00:00.000Z', 'amina', 'sale.commit', 'sale', 2, "
	    "NULL), ('2026-01-01T10:00:00.000Z', NULL, 'shift.close', "
	    "'shift', 1, 'Z 1')", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_close(raw);

	ck_assert_msg(db_open(dbpath, DB_OPEN_EXISTING, &db, &err) == DUKA_OK,
	    "%s", err.msg);
	/* Before they are filled in, verify works them out itself. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "hash IS NULL"), 3);
	expect(AUDIT_INTACT, 0);
	ck_assert_int_eq(audit_chain_legacy(db, &err), DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "hash IS NULL"), 0);
	expect(AUDIT_INTACT, 0);
	/* Filled once: the trigger refuses a second go. */
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "UPDATE audit_log SET "
	    "hash = 'x' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
	add_rows(2, "test.new");
	expect(AUDIT_INTACT, 0);
	drop_triggers();
	tu_exec(db, "UPDATE audit_log SET user_name = 'juma' WHERE id = 2");
	expect(AUDIT_CHANGED, 2);
}
END_TEST

/* The legacy fill is not a way in: a NULL hash after the last old row is
 * a row added by hand, even once duka chains on. */
START_TEST(test_null_hash_not_legacy)
{
	add_rows(3, "test.row");
	drop_triggers();
	tu_exec(db, "UPDATE audit_log SET hash = NULL WHERE id = 2");
	expect(AUDIT_INSERTED, 2);
}
END_TEST

/* Print nothing; count rows and remember the last id. */
static void
count_row(void *ctx, const struct audit_row *r)
{
	int64_t *n = ctx;

	n[0]++;
	n[1] = r->id;
}

START_TEST(test_list_filters)
{
	struct duka_err err = { 0, "" };
	struct audit_filter f;
	int64_t n[2];

	setenv("DUKA_NOW", "2026-06-14T21:30:00Z", 1);
	add_rows(3, "sale.commit");
	setenv("DUKA_NOW", "2026-06-15T08:00:00Z", 1);
	add_rows(2, "sale.refund");
	add_rows(1, "user.lock");
	unsetenv("DUKA_NOW");

	memset(&f, 0, sizeof f);
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 6);
	ck_assert_int_eq(n[1], 6);
	f.action = "sale.";
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 5);
	f.action = "sale.refund";
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 2);
	f.action = "sale";		/* not a family without its dot */
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 0);
	f.action = NULL;
	f.user = "AMINA";
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 2);	/* rows 2 and 5 (odd i of each run) */
	f.user = NULL;
	snprintf(f.from, sizeof f.from, "2026-06-15");
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 3);
	f.from[0] = '\0';
	snprintf(f.to, sizeof f.to, "2026-06-14");
	memset(n, 0, sizeof n);
	ck_assert_int_eq(audit_list(db, &f, count_row, n, &err), DUKA_OK);
	ck_assert_int_eq(n[0], 3);
	ck_assert_int_eq(n[1], 3);
}
END_TEST

/* Count alerts by kind. */
static int
count_alert(void *ctx, const struct fraud_alert *a)
{
	int *n = ctx;

	ck_assert(a->text[0] != '\0');
	n[a->kind]++;
	return 0;
}

/* The fraud guard on hand-made rows: voids, refunds, a big discount,
 * drawer openings, a lockout; below the limits nothing. */
START_TEST(test_fraud_alerts)
{
	struct duka_err err = { 0, "" };
	struct fraud_limits l;
	struct fraud_range r;
	struct settings cfg;
	int n[5] = { 0, 0, 0, 0, 0 };
	int i;

	settings_defaults(&cfg);
	tu_exec(db, "INSERT INTO shifts(id, till_id, state, opened_by, "
	    "opened_at, float_cash) VALUES (1, 'T1', 'open', 'amina', "
	    "'2026-06-15T05:00:00.000Z', 0), (2, 'T2', 'open', 'juma', "
	    "'2026-06-15T05:00:00.000Z', 0)");
	tu_exec(db, "INSERT INTO products(id, sku, name, unit, price, cost, "
	    "tax_class, reorder_level, reorder_qty, pack_size, "
	    "lead_time_days, tracks_expiry, created_at, updated_at, active) "
	    "SELECT 1, 'P1', 'P1', unit, price, cost, tax_class, "
	    "reorder_level, reorder_qty, pack_size, lead_time_days, "
	    "tracks_expiry, created_at, updated_at, active FROM (SELECT "
	    "'piece' AS unit, 100 AS price, 50 AS cost, 'standard' AS "
	    "tax_class, 0 AS reorder_level, 0 AS reorder_qty, 1000 AS "
	    "pack_size, 0 AS lead_time_days, 0 AS tracks_expiry, "
	    "'2026-06-15' AS created_at, '2026-06-15' AS updated_at, 1 AS "
	    "active)");
	for (i = 0; i < 6; i++)
		tu_exec(db, "INSERT INTO line_voids(shift_id, product_id, qty, "
		    "amount, user_name, at) VALUES (1, 1, 1000, 100, 'amina', "
		    "'2026-06-15T09:00:00.000Z')");
	tu_exec(db, "INSERT INTO line_voids(shift_id, product_id, qty, amount, "
	    "user_name, at) VALUES (2, 1, 1000, 100, 'juma', "
	    "'2026-06-15T09:00:00.000Z')");
	for (i = 0; i < 3; i++)
		tu_exec(db, "INSERT INTO cash_movements(shift_id, kind, amount, "
		    "reason, user_name, at) VALUES (2, 'no_sale', 0, 'change', "
		    "'juma', '2026-06-15T10:00:00.000Z')");
	tu_exec(db, "INSERT INTO sales(id, till_id, receipt_no, kind, state, "
	    "shift_id, cart_token, user_name, shelf_gross, gross, discount, "
	    "total, vat, at, business_day) VALUES (1, 'T1', 1, 'sale', "
	    "'completed', 1, 'a', 'amina', 10000, 10000, 2500, 7500, 0, "
	    "'2026-06-15T11:00:00.000Z', '2026-06-15'), (2, 'T1', 2, 'sale', "
	    "'completed', 1, 'b', 'amina', 10000, 10000, 1000, 9000, 0, "
	    "'2026-06-15T11:00:00.000Z', '2026-06-15')");
	ck_assert_int_eq(db_begin(db, &err), DUKA_OK);
	ck_assert_int_eq(audit_add(db, "juma", "user.lock", "user", 2,
	    "after 5", &err), DUKA_OK);
	ck_assert_int_eq(db_commit(db, &err), DUKA_OK);

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(fraud_alerts(db, &r, NULL, &cfg, count_alert, n,
	    &err), DUKA_OK);
	ck_assert_int_eq(n[FRAUD_VOIDS], 1);	/* amina: 6 >= 5 */
	ck_assert_int_eq(n[FRAUD_REFUNDS], 0);
	ck_assert_int_eq(n[FRAUD_DISCOUNT], 1);	/* 25% > 10%; 10% is not */
	ck_assert_int_eq(n[FRAUD_NO_SALE], 1);	/* juma: 3 >= 3 */
	ck_assert_int_eq(n[FRAUD_LOCKOUT], 1);

	/* One shift only; stricter limits. */
	memset(n, 0, sizeof n);
	r.shift_id = 2;
	fraud_limits_default(&l, &cfg);
	l.max_voids = 1;
	ck_assert_int_eq(fraud_alerts(db, &r, &l, &cfg, count_alert, n, &err),
	    DUKA_OK);
	ck_assert_int_eq(n[FRAUD_VOIDS], 1);	/* juma's one void */
	ck_assert_int_eq(n[FRAUD_DISCOUNT], 0);
	ck_assert_int_eq(n[FRAUD_NO_SALE], 1);

	/* A day without any of it. */
	memset(n, 0, sizeof n);
	memset(&r, 0, sizeof r);
	snprintf(r.from, sizeof r.from, "2026-06-16T00:00:00.000Z");
	ck_assert_int_eq(fraud_alerts(db, &r, NULL, &cfg, count_alert, n,
	    &err), DUKA_OK);
	ck_assert_int_eq(n[0] + n[1] + n[2] + n[3], 0);
}
END_TEST

static Suite *
audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("chain");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_intact);
	tcase_add_test(tc, test_changed);
	tcase_add_test(tc, test_changed_fields);
	tcase_add_test(tc, test_removed);
	tcase_add_test(tc, test_inserted);
	tcase_add_test(tc, test_legacy_rows);
	tcase_add_test(tc, test_null_hash_not_legacy);
	tcase_add_test(tc, test_list_filters);
	tcase_add_test(tc, test_fraud_alerts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(audit_suite());
}
