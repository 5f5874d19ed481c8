/*
 * cli.c - parsing duka's command line and dispatching to a command.
 *
 * Global options (--db, --config) may appear before or after the command
 * name, so that both "duka --db x demo" and "duka demo --db x" work; they
 * are taken out of argv before the command parses its own options.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "i18n.h"
#include "money.h"

static const struct cli_command commands[] = {
	{ "init", N_("create a new, empty shop database"), CLI_DB_NONE,
	    cmd_init },
	{ "check", N_("check the database and the stock ledger for damage"),
	    CLI_DB_EXISTING, cmd_check },
	{ "summary", N_("print a summary of the shop"), CLI_DB_EXISTING,
	    cmd_summary },
	{ "demo", N_("create a demo shop with products, stock and history"),
	    CLI_DB_NONE, cmd_demo },
	{ "product", N_("add, edit, show, list and search products"),
	    CLI_DB_EXISTING, cmd_product },
	{ "stock", N_("receive, remove, count and write off stock"),
	    CLI_DB_EXISTING, cmd_stock },
	{ "inventory", N_("list stock with its status (low, out, expiring)"),
	    CLI_DB_EXISTING, cmd_inventory },
	{ "import", N_("import products or stock from a CSV file"),
	    CLI_DB_EXISTING, cmd_import },
	{ "shift", N_("open and close shifts: X and Z reports, cash in and out"),
	    CLI_DB_EXISTING, cmd_shift },
	{ "sell", N_("sell items (given as arguments or on stdin), print the "
	    "receipt"), CLI_DB_EXISTING, cmd_sell },
	{ "reprint", N_("print a receipt again"), CLI_DB_EXISTING,
	    cmd_reprint },
	{ "refund", N_("refund a sale or some of its lines by receipt number"),
	    CLI_DB_EXISTING, cmd_refund },
	{ "report", N_("sales reports: takings, top products, margin, "
	    "attendants, VAT"), CLI_DB_EXISTING, cmd_report },
	{ "reorder", N_("what to order, from recent sales, stock and orders"),
	    CLI_DB_EXISTING, cmd_reorder },
	{ "order", N_("purchase orders: add, list, show, cancel, receive"),
	    CLI_DB_EXISTING, cmd_order },
	{ "export", N_("write the books to an .xlsx workbook"),
	    CLI_DB_EXISTING, cmd_export },
	{ "customer", N_("customers who buy on account: add, list, pay"),
	    CLI_DB_EXISTING, cmd_customer },
	{ "till", N_("open the till screen (the default on a terminal)"),
	    CLI_DB_EXISTING, cmd_till },
	{ "sync", N_("send events to the hub and fetch its catalogue"),
	    CLI_DB_EXISTING, cmd_sync },
	{ "mpesa", N_("M-PESA payment prompts: status and reconciliation"),
	    CLI_DB_EXISTING, cmd_mpesa },
	{ "user", N_("users, roles and PINs"), CLI_DB_EXISTING, cmd_user },
	{ "audit", N_("show and verify the audit trail"), CLI_DB_EXISTING,
	    cmd_audit },
};

static const size_t ncommands = sizeof commands / sizeof commands[0];

void
cli_usage(FILE *fp, const char *name, const char *synopsis,
    const char *options)
{
	fprintf(fp, _("usage: duka %s %s\n"), name, synopsis);
	if (options != NULL && *options != '\0')
		fprintf(fp, "\n%s", options);
}

/* Room for a user name (user.h USER_NAME_MAX) and the NUL. */
static char cli_logged_user[65];

const char *
cli_user(void)
{
	const char *u = getenv("USER");

	if (cli_logged_user[0] != '\0')
		return cli_logged_user;
	return u != NULL ? u : "";
}

void
cli_set_user(const char *name)
{
	snprintf(cli_logged_user, sizeof cli_logged_user, "%s",
	    name != NULL ? name : "");
}

/* Put the option's name before the reason already in err. */
int
cli_opt_fail(struct duka_err *err, int rc, const char *name)
{
	char why[sizeof err->msg];

	/* err->msg cannot be both the source and the target of a format. */
	memcpy(why, err->msg, sizeof why);
	return duka_fail(err, rc, "--%s: %s", name, why);
}

int
cli_opt_amount(const char *text, const char *name, int64_t *out,
    struct duka_err *err)
{
	int64_t v;
	int rc;

	if (text == NULL)
		return DUKA_OK;
	if ((rc = money_parse(text, &v, err)) != DUKA_OK)
		return cli_opt_fail(err, rc, name);
	if (v < 0)
		return duka_fail(err, DUKA_EINPUT, _("--%s cannot be negative"),
		    name);
	*out = v;
	return DUKA_OK;
}

int
cli_opt_qty(const char *text, const char *name, int64_t *out,
    struct duka_err *err)
{
	int64_t q;
	int rc;

	if (text == NULL)
		return DUKA_OK;
	if ((rc = qty_parse(text, &q, err)) != DUKA_OK)
		return cli_opt_fail(err, rc, name);
	if (q < 0)
		return duka_fail(err, DUKA_EINPUT, _("--%s cannot be negative"),
		    name);
	*out = q;
	return DUKA_OK;
}

int
cli_opt_date(const char *text, const char *name, char out[DATE_LEN],
    struct duka_err *err)
{
	int rc;

	out[0] = '\0';
	if (text == NULL)
		return DUKA_OK;
	if ((rc = date_parse(text, out, err)) != DUKA_OK)
		return cli_opt_fail(err, rc, name);
	return DUKA_OK;
}

int
cli_opt_text(const char *text, const char *name, char *out, size_t n,
    struct duka_err *err)
{
	if (text == NULL)
		return DUKA_OK;
	if (strlen(text) >= n)
		return duka_fail(err, DUKA_EINPUT,
		    _("--%s is longer than %d characters"), name, (int)n - 1);
	memcpy(out, text, strlen(text) + 1);
	return DUKA_OK;
}

int
cli_arg_qty(const char *text, int zero_ok, int64_t *out, struct duka_err *err)
{
	int64_t q;
	int rc;

	if ((rc = qty_parse(text, &q, err)) != DUKA_OK)
		return rc;
	if (q < 0 || (q == 0 && !zero_ok))
		return duka_fail(err, DUKA_EINPUT, zero_ok ?
		    _("the quantity %s cannot be negative") :
		    _("the quantity %s must be more than 0"), text);
	*out = q;
	return DUKA_OK;
}

/* Print the top-level help. */
static void
cli_help(FILE *fp)
{
	size_t i;

	fprintf(fp, _("usage: duka [--db PATH] [--config FILE] [COMMAND] "
	    "[OPTIONS]\n\n"
	    "duka is a point-of-sale and inventory program for shop counters.\n"
	    "Without a command it shows the shop's summary.\n\n"
	    "Commands:\n"));
	for (i = 0; i < ncommands; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    _(commands[i].summary));
	fprintf(fp, _("\nOptions:\n"
	    "  --db PATH       use the database at PATH\n"
	    "  --config FILE   read settings from FILE only\n"
	    "  -h, --help      show this help (\"duka COMMAND --help\" for a "
	    "command)\n"
	    "  -V, --version   show the version\n\n"
	    "See duka(1) for exit codes and every command's options.\n"));
	fprintf(fp, _("\nOnce the shop has users:\n"
	    "  --user NAME       log in as NAME (or DUKA_USER); the PIN comes\n"
	    "                    from DUKA_PIN or is typed without echo\n"
	    "  --approver NAME   a manager approves the command's risky action\n"
	    "                    (PIN from DUKA_APPROVER_PIN or typed)\n"));
}

/*
 * Take --db, --config, --user and --approver (with a separate or "="
 * value) out of argv, anywhere before "--". After the command name "audit"
 * --user is left to the command (duka audit show --user U filters by
 * user). Returns DUKA_OK or DUKA_EUSAGE.
 */
static int
cli_take_globals(struct app *app, int *argc, char **argv, const char **db,
    const char **user, const char **approver, struct duka_err *err)
{
	int i, j = 1, audit = 0;
	const char *val;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		size_t n = 0;

		if (j == 1 && strcmp(a, "audit") == 0)
			audit = 1;	/* the command name */

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strncmp(a, "--db", 4) == 0 && (a[4] == '\0' || a[4] == '='))
			dst = db, n = 4;
		else if (strncmp(a, "--config", 8) == 0 &&
		    (a[8] == '\0' || a[8] == '='))
			dst = &app->config_path, n = 8;
		else if (strncmp(a, "--user", 6) == 0 && !audit &&
		    (a[6] == '\0' || a[6] == '='))
			dst = user, n = 6;
		else if (strncmp(a, "--approver", 10) == 0 &&
		    (a[10] == '\0' || a[10] == '='))
			dst = approver, n = 10;
		if (dst == NULL) {
			argv[j++] = argv[i];
			continue;
		}
		if (a[n] == '=')
			val = a + n + 1;
		else if (i + 1 < *argc)
			val = argv[++i];
		else
			return duka_fail(err, DUKA_EUSAGE,
			    _("%s needs a value"), a);
		if (*val == '\0')
			return duka_fail(err, DUKA_EUSAGE,
			    _("%.*s needs a value"), (int)n, a);
		*dst = val;
	}
	*argc = j;
	argv[j] = NULL;
	return DUKA_OK;
}

/* Find a command by name. */
static const struct cli_command *
cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Load settings, choose the database path and the time zone. */
static int
cli_setup(struct app *app, const char *db_opt, struct duka_err *err)
{
	int rc;

	if ((rc = settings_load(&app->cfg, app->config_path, err)) != DUKA_OK)
		return rc;
	if ((rc = date_set_timezone(app->cfg.timezone, err)) != DUKA_OK)
		return rc;
	if (db_opt != NULL)
		snprintf(app->db_path, sizeof app->db_path, "%s", db_opt);
	else if (app->cfg.database[0] != '\0')
		snprintf(app->db_path, sizeof app->db_path, "%s",
		    app->cfg.database);
	else if ((rc = settings_default_db_path(app->db_path,
	    sizeof app->db_path, err)) != DUKA_OK)
		return rc;
	return DUKA_OK;
}

/* Does argv ask for the command's --help? Commands open no database then. */
static int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int
cli_main(int argc, char **argv)
{
	static struct app app;
	struct duka_err err = { 0, "" };
	const struct cli_command *cmd;
	const char *db_opt = NULL, *user_opt = NULL, *approver_opt = NULL;
	char *summary_argv[] = { "summary", NULL };
	int rc;

	if ((rc = cli_take_globals(&app, &argc, argv, &db_opt, &user_opt,
	    &approver_opt, &err)) != 0)
		goto fail;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)) {
		cli_help(stdout);
		return DUKA_OK;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("duka %s\n", PACKAGE_VERSION);
		return DUKA_OK;
	}
	if (argc >= 2 && argv[1][0] == '-') {
		rc = duka_fail(&err, DUKA_EUSAGE,
		    _("unknown option %s (see duka --help)"), argv[1]);
		goto fail;
	}
	if (argc < 2) {
		/* On a terminal duka opens the till; in a pipe, the summary. */
		argc = 1;
		argv = summary_argv;
		cmd = cli_find(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ?
		    "till" : "summary");
	} else if ((cmd = cli_find(argv[1])) == NULL) {
		rc = duka_fail(&err, DUKA_EUSAGE,
		    _("unknown command \"%s\" (see duka --help)"), argv[1]);
		goto fail;
	} else {
		argc--;
		argv++;
	}
	if ((rc = cli_setup(&app, db_opt, &err)) != DUKA_OK)
		goto fail;
	if (cmd->db != CLI_DB_NONE && !cli_wants_help(argc, argv) &&
	    (rc = db_open(app.db_path, cmd->db == CLI_DB_CREATE ?
	    DB_OPEN_CREATE : DB_OPEN_EXISTING, &app.db, &err)) != DUKA_OK)
		goto fail;
	/* The till screen logs in on its own screen unless --user is given. */
	if (app.db != NULL && (strcmp(cmd->name, "till") != 0 ||
	    user_opt != NULL) && (rc = cli_login(&app, user_opt, approver_opt,
	    &err)) != DUKA_OK) {
		db_close(app.db);
		app.db = NULL;
		goto fail;
	}
	rc = cmd->run(&app, argc, argv, &err);
	db_close(app.db);
	app.db = NULL;
	if (rc == DUKA_OK)
		return DUKA_OK;
fail:
	if (err.msg[0] != '\0')
		fprintf(stderr, "duka: %s\n", err.msg);
	return rc;
}
