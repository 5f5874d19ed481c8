/* cmd_basic.c - the foundation's commands: init and summary. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"

/* Answer --help for a command that takes no other arguments. */
static int
cli_no_args(int argc, char **argv, const char *name, const char *text,
    int *done, struct duka_err *err)
{
	*done = 0;
	if (argc <= 1)
		return DUKA_OK;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout, name, "", text);
		*done = 1;
		return DUKA_OK;
	}
	return duka_fail(err, DUKA_EUSAGE, _("duka %s takes no arguments"),
	    name);
}

int
cmd_init(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct stat sb;
	int existed, done, rc;

	rc = cli_no_args(argc, argv, "init", _("Creates an empty shop "
	    "database at the --db path (or the default path, see duka(1)).\n"
	    "An existing duka database is left as it is (and upgraded).\n"),
	    &done, err);
	if (rc != DUKA_OK || done)
		return rc;
	existed = stat(app->db_path, &sb) == 0;
	if ((rc = db_open(app->db_path, DB_OPEN_CREATE, &app->db, err)) != 0)
		return rc;
	if (existed)
		printf(_("%s already holds a duka database (version %d); "
		    "nothing to do\n"), app->db_path, db_schema_version(app->db));
	else
		printf(_("Created an empty shop database at %s\n"),
		    app->db_path);
	return DUKA_OK;
}

int
cmd_summary(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct inventory_summary s;
	char value[40];
	int done, rc;

	rc = cli_no_args(argc, argv, "summary", _("Prints the shop's name, "
	    "its database and the state of its stock.\n"), &done, err);
	if (rc != DUKA_OK || done)
		return rc;
	if ((rc = inventory_summary(app->db, app->cfg.near_expiry_days, &s,
	    err)) != DUKA_OK)
		return rc;
	money_format_ksh(s.value_at_cost, value, sizeof value);
	printf(_("Shop:            %s\n"), app->cfg.shop_name[0] ?
	    app->cfg.shop_name : _("(no name set; see duka.conf(5))"));
	printf(_("Database:        %s (version %d)\n"), db_path(app->db),
	    db_schema_version(app->db));
	printf(_("Products:        %lld active, %lld categories\n"),
	    (long long)s.products, (long long)s.categories);
	printf(_("Stock value:     %s at cost\n"), value);
	printf(_("Low stock:       %lld\n"), (long long)s.low);
	printf(_("Out of stock:    %lld\n"), (long long)s.out);
	printf(_("Near expiry:     %lld\n"), (long long)s.near_expiry);
	printf(_("Expired:         %lld\n"), (long long)s.expired);
	return DUKA_OK;
}
