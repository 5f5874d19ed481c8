/* tui.c - the till screen's loop (being written). */
#include "config.h"

#include "cli.h"
#include "i18n.h"
#include "tui.h"

int
cmd_till(struct app *app, int argc, char **argv, struct duka_err *err)
{
	(void)app;
	(void)argc;
	(void)argv;
	return duka_fail(err, DUKA_EUSAGE, _("the till screen is not built yet"));
}
