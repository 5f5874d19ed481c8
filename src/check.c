/* check.c - the table of consistency checks and the "duka check" command. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "check.h"
#include "cli.h"
#include "i18n.h"
#include "mpesa.h"
#include "customer.h"
#include "order.h"
#include "sale.h"
#include "stock.h"

typedef int (*check_fn)(struct db *, struct check_report *,
    struct duka_err *);

void
check_problem(struct check_report *r, const char *check, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	r->problems++;
	if (r->emit != NULL)
		r->emit(r->ctx, check, text);
}

/* SQLite's own page-level check. */
static int
check_integrity(struct db *db, struct check_report *r, struct duka_err *err)
{
	sqlite3_stmt *st;
	const char *msg;
	int rc;

	st = db_stmt(db, "PRAGMA integrity_check", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		msg = (const char *)sqlite3_column_text(st, 0);
		if (msg != NULL && strcmp(msg, "ok") != 0)
			check_problem(r, "integrity", "%s", msg);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking the database"));
	return DUKA_OK;
}

/* integrity_check does not look at foreign keys; this does. */
static int
check_foreign_keys(struct db *db, struct check_report *r,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "PRAGMA foreign_key_check", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		check_problem(r, "foreign_keys",
		    _("%s row %lld points to a missing row in %s"),
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("checking the database"));
	return DUKA_OK;
}

/* The audit trail's hash chain is whole (duka audit verify says more). */
static int
check_audit_chain(struct db *db, struct check_report *r, struct duka_err *err)
{
	struct audit_verdict v;
	char text[512];
	int rc;

	if ((rc = audit_verify(db, &v, err)) != DUKA_OK)
		return rc;
	if (v.fault != AUDIT_INTACT) {
		audit_verdict_text(&v, text, sizeof text);
		check_problem(r, "audit", "%s", text);
	}
	return DUKA_OK;
}

static const struct {
	const char *name;
	check_fn fn;
} checks[] = {
	{ "integrity", check_integrity },
	{ "foreign_keys", check_foreign_keys },
	{ "stock_levels", stock_check_levels },
	{ "batches", stock_check_batches },
	{ "sales", sale_check },
	{ "customers", customer_check },
	{ "orders", order_check },
	{ "mpesa", mpesa_check },
	{ "audit", check_audit_chain },
};

int
check_all(struct db *db, struct check_report *r, struct duka_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if ((rc = checks[i].fn(db, r, err)) != DUKA_OK)
			return rc;
	return DUKA_OK;
}

/* Print one problem for duka check. */
static void
check_print(void *ctx, const char *check, const char *text)
{
	fprintf((FILE *)ctx, "%s: %s\n", check, text);
}

int
cmd_check(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct check_report r = { 0, check_print, stdout };
	int rc;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			cli_usage(stdout, "check", "",
			    _("Checks the database file and its foreign keys, "
			    "that every product's stock\nequals the sum of its "
			    "stock movements, that batch quantities, sales,\n"
			    "customers' balances, orders and M-PESA prompts add "
			    "up, and that the audit\ntrail's hash chain is "
			    "whole.\n"
			    "Exit status 0: all good; 5: problems found.\n"));
			return DUKA_OK;
		}
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka check takes no arguments"));
	}
	if ((rc = check_all(app->db, &r, err)) != DUKA_OK)
		return rc;
	if (r.problems > 0)
		return duka_fail(err, DUKA_ECHECK,
		    ngettext("%ld problem found in %s",
		    "%ld problems found in %s", r.problems), r.problems,
		    db_path(app->db));
	printf(_("%s: all checks passed\n"), db_path(app->db));
	return DUKA_OK;
}
