/*
 * status.h - how duka functions report failure.
 *
 * Every function that can fail returns one of the DUKA_* codes below and, on
 * failure, fills a struct duka_err with a message that the caller can show
 * the user as it is (already translated). The codes double as the process
 * exit codes documented in duka(1).
 */
#ifndef DUKA_STATUS_H
#define DUKA_STATUS_H

#include <stddef.h>

enum duka_status {
	DUKA_OK = 0,		/* success */
	DUKA_EFAIL = 1,		/* unexpected failure (I/O, out of memory) */
	DUKA_EUSAGE = 2,	/* bad command line */
	DUKA_EINPUT = 3,	/* bad input, refused; nothing was changed */
	DUKA_EDB = 4,		/* database cannot be opened or used */
	DUKA_ECHECK = 5,	/* consistency check found a problem */
	DUKA_ENOTFOUND = 6,	/* the named record does not exist */
	DUKA_ECONFIG = 7,	/* the configuration file is wrong */
	DUKA_EPERM = 8,		/* not logged in, wrong PIN, locked, or the
				   role may not do it; nothing was changed */
};

struct duka_err {
	int code;
	char msg[512];
};

/*
 * Record a failure in err (which may be NULL) and return code, so that a
 * caller can write "return duka_fail(err, DUKA_EINPUT, _("..."), x);".
 */
int duka_fail(struct duka_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Forget any earlier failure. */
void duka_err_clear(struct duka_err *err);

#endif
