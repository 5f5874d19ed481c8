/*
 * cli.h - the command line: global options, the table of commands, and the
 * application context that every command receives.
 *
 * Each command lives in the module that owns its concept (cmd_* functions)
 * and calls the same src/ functions that the screens call.
 */
#ifndef DUKA_CLI_H
#define DUKA_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "db.h"
#include "settings.h"
#include "status.h"

struct app {
	struct settings cfg;
	char db_path[4096];
	const char *config_path;	/* --config, or NULL for the defaults */
	struct db *db;			/* opened by cli_main as the command asks */
};

enum cli_db_need {
	CLI_DB_NONE,		/* the command opens nothing */
	CLI_DB_EXISTING,	/* the database must already exist */
	CLI_DB_CREATE,		/* create the database if it is missing */
};

struct cli_command {
	const char *name;
	const char *summary;	/* N_() marked; translated when shown */
	enum cli_db_need db;
	int (*run)(struct app *app, int argc, char **argv, struct duka_err *err);
};

/* Run duka with argv; returns the process exit status. */
int cli_main(int argc, char **argv);

/* The user recorded on every change: the logged-in user, or $USER while
 * the shop has no users (setup mode). */
const char *cli_user(void);
/* Record the logged-in user's name for cli_user(). */
void cli_set_user(const char *name);
/*
 * Log in for this command (cmd_user.c): nothing while the shop has no
 * users; else name (--user, or DUKA_USER) with DUKA_PIN or a PIN typed
 * without echo, attached to app->db as its actor, and, when approver is
 * given (--approver), that manager's approval (DUKA_APPROVER_PIN or typed)
 * for the command's one risky action. DUKA_EPERM when refused.
 */
int cli_login(struct app *app, const char *name, const char *approver,
    struct duka_err *err);

/*
 * Print "usage: duka NAME SYNOPSIS" and the option lines of a command's
 * --help; options is a translated, already formatted block.
 */
void cli_usage(FILE *fp, const char *name, const char *synopsis,
    const char *options);

/*
 * Option values for the commands, each refused with a message that names
 * the option. A NULL text (option not given) leaves *out alone (dates:
 * ""). Amounts and quantities must not be negative.
 */
int cli_opt_fail(struct duka_err *err, int rc, const char *name);
int cli_opt_amount(const char *text, const char *name, int64_t *out,
    struct duka_err *err);
int cli_opt_qty(const char *text, const char *name, int64_t *out,
    struct duka_err *err);
int cli_opt_date(const char *text, const char *name, char out[DATE_LEN],
    struct duka_err *err);
int cli_opt_text(const char *text, const char *name, char *out, size_t n,
    struct duka_err *err);
/* A quantity argument: more than 0, or 0 too when zero_ok. */
int cli_arg_qty(const char *text, int zero_ok, int64_t *out,
    struct duka_err *err);

/* Commands of the foundation (cmd_basic.c). */
int cmd_init(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_check(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_summary(struct app *app, int argc, char **argv, struct duka_err *err);
/* Inventory commands, each in its own cmd_*.c or module file. */
int cmd_product(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_stock(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_inventory(struct app *app, int argc, char **argv,
    struct duka_err *err);
int cmd_import(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_demo(struct app *app, int argc, char **argv, struct duka_err *err);
/* Checkout commands. */
int cmd_shift(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_sell(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_reprint(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_refund(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_customer(struct app *app, int argc, char **argv,
    struct duka_err *err);
/* The owner's commands: reports (cmd_report.c), purchase orders
 * (cmd_order.c). */
int cmd_report(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_reorder(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_order(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_export(struct app *app, int argc, char **argv, struct duka_err *err);
/* The till screen (ui/tui.c). */
int cmd_till(struct app *app, int argc, char **argv, struct duka_err *err);
/* Sync with the hub (cmd_sync.c), M-PESA (cmd_mpesa.c), users and the
 * audit trail (cmd_user.c, cmd_audit.c). */
int cmd_sync(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_mpesa(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_user(struct app *app, int argc, char **argv, struct duka_err *err);
int cmd_audit(struct app *app, int argc, char **argv, struct duka_err *err);

#endif
