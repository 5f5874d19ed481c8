/*
 * check.h - "duka check": proving that a database is whole and that the
 * ledgers agree with their cached figures.
 *
 * Each module that keeps a cache or an invariant adds one function to the
 * table in check.c; a check reports every problem it finds through
 * check_problem() and returns DUKA_OK unless it could not run at all.
 */
#ifndef DUKA_CHECK_H
#define DUKA_CHECK_H

#include "db.h"
#include "status.h"

struct check_report {
	long problems;
	void (*emit)(void *ctx, const char *check, const char *text);
	void *ctx;
};

/* Record one problem found by the check named check. */
void check_problem(struct check_report *r, const char *check,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Run every check. Returns DUKA_OK when all ran (r->problems says whether
 * anything was found), or the status of the check that could not run.
 */
int check_all(struct db *db, struct check_report *r, struct duka_err *err);

#endif
