/* status.c - filling struct duka_err. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "status.h"

int
duka_fail(struct duka_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

void
duka_err_clear(struct duka_err *err)
{
	if (err == NULL)
		return;
	err->code = DUKA_OK;
	err->msg[0] = '\0';
}
