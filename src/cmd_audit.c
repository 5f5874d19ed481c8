/* cmd_audit.c - duka audit (being written). */
#include "config.h"

#include "cli.h"
#include "i18n.h"

int
cmd_audit(struct app *app, int argc, char **argv, struct duka_err *err)
{
	(void)app;
	(void)argc;
	(void)argv;
	return duka_fail(err, DUKA_EUSAGE, _("duka %s is not built yet"), "audit");
}
