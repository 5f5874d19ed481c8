/*
 * cmd_shift.c - "duka shift": open a shift with a float, pay cash in and
 * out, open the drawer without a sale, print the X report, and close the
 * shift with the Z report.
 *
 * The till is [till] id of duka.conf; the user is $USER until duka has
 * users of its own. Options are collected first and acted on after the
 * whole command line is read, so that --help anywhere answers without
 * touching the database.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "money.h"
#include "shift.h"

#define MAX_ARGS 1

enum { OPT_FLOAT = 256, OPT_COUNTED, OPT_REASON, OPT_Z, OPT_HELP };

/* The options of one shift command, as typed. */
struct shift_opts {
	const char *float_cash, *counted, *reason, *z;
	const char *args[MAX_ARGS];
	int nargs;
	int help;
};

static const struct option open_options[] = {
	{ "float", required_argument, NULL, OPT_FLOAT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option x_options[] = {
	{ "z", required_argument, NULL, OPT_Z },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option z_options[] = {
	{ "counted", required_argument, NULL, OPT_COUNTED },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option cash_options[] = {
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka shift. */
static void
shift_help(FILE *fp)
{
	cli_usage(fp, "shift", _("open|x|z|pay-in|pay-out|no-sale ..."),
	    _("  duka shift open --float AMOUNT           open a shift with "
	    "the cash float\n"
	    "  duka shift pay-in AMOUNT --reason TEXT   cash put into the "
	    "drawer\n"
	    "  duka shift pay-out AMOUNT --reason TEXT  cash taken out of the "
	    "drawer\n"
	    "  duka shift no-sale --reason TEXT         drawer opened without "
	    "a sale\n"
	    "  duka shift x [--z N]                     X report (the shift "
	    "stays open)\n"
	    "  duka shift z --counted AMOUNT            close the shift: Z "
	    "report\n\n"
	    "The till is [till] id of duka.conf. Selling needs an open shift.\n"
	    "\"duka shift COMMAND --help\" shows the options of each "
	    "command.\n"));
}

static void
open_help(FILE *fp)
{
	cli_usage(fp, "shift open", _("--float AMOUNT"),
	    _("Opens a shift on this till. The float is the cash in the "
	    "drawer at the\nstart (0 if it is empty). One shift at a time is "
	    "open on a till.\n"));
}

static void
x_help(FILE *fp)
{
	cli_usage(fp, "shift x", _("[--z N]"),
	    _("Prints the X report of the open shift: takings so far and the "
	    "cash\nthe drawer should hold. It changes nothing.\n\n"
	    "  --z N   reprint Z report number N of this till instead\n"));
}

static void
z_help(FILE *fp)
{
	cli_usage(fp, "shift z", _("--counted AMOUNT"),
	    _("Closes the open shift and prints its Z report. Count the cash "
	    "in the\ndrawer first: the report compares it with the cash "
	    "expected.\n\n"
	    "  --counted AMOUNT   the cash counted in the drawer\n"));
}

static void
pay_in_help(FILE *fp)
{
	cli_usage(fp, "shift pay-in", _("AMOUNT --reason TEXT"),
	    _("Records cash put into the drawer that is not a sale (more "
	    "change, say).\n"));
}

static void
pay_out_help(FILE *fp)
{
	cli_usage(fp, "shift pay-out", _("AMOUNT --reason TEXT"),
	    _("Records cash taken out of the drawer that is not a refund (a "
	    "supplier\npaid in cash, a bank deposit).\n"));
}

static void
no_sale_help(FILE *fp)
{
	cli_usage(fp, "shift no-sale", _("--reason TEXT"),
	    _("Records that the drawer was opened without a sale, and why.\n"));
}

/*
 * Collect the options and arguments of a shift command. An amount such as
 * "-5" looks like an option; it is refused as an amount.
 */
static int
shift_parse(int argc, char **argv, const struct option *opts,
    const char *name, struct shift_opts *o, struct duka_err *err)
{
	int c;

	memset(o, 0, sizeof *o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			o->help = 1;
			return DUKA_OK;
		case OPT_FLOAT:
			o->float_cash = optarg;
			break;
		case OPT_COUNTED:
			o->counted = optarg;
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		case OPT_Z:
			o->z = optarg;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE,
			    _("%s needs a value (see duka shift %s --help)"),
			    argv[optind - 1], name);
		default:
			if (isdigit((unsigned char)optopt) || optopt == '.')
				return duka_fail(err, DUKA_EINPUT,
				    _("the amount %s must be more than 0"),
				    argv[optind - 1]);
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown option %s (see duka shift %s --help)"),
			    argv[optind - 1], name);
		}
	}
	for (; optind < argc; optind++) {
		if (o->nargs == MAX_ARGS)
			return duka_fail(err, DUKA_EUSAGE,
			    _("unexpected argument \"%s\" (see duka shift %s "
			    "--help)"), argv[optind], name);
		o->args[o->nargs++] = argv[optind];
	}
	return DUKA_OK;
}

/* duka shift open --float AMOUNT. */
static int
shift_open_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	char m[MONEY_MAX_TEXT];
	struct shift_opts o;
	int64_t amount, id;
	int rc;

	if ((rc = shift_parse(argc, argv, open_options, "open", &o, err)) != 0)
		return rc;
	if (o.help) {
		open_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka shift open --float AMOUNT"));
	if (o.float_cash == NULL)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka shift open needs --float AMOUNT: the cash in the "
		    "drawer (0 if it is empty)"));
	if ((rc = money_parse(o.float_cash, &amount, err)) != DUKA_OK ||
	    (rc = shift_open(app->db, app->cfg.till_id, amount, cli_user(),
	    &id, err)) != DUKA_OK)
		return rc;
	money_format_ksh(amount, m, sizeof m);
	printf(_("Opened shift %lld on till %s with a float of %s\n"),
	    (long long)id, app->cfg.till_id, m);
	return DUKA_OK;
}

/* duka shift x [--z N]. */
static int
shift_x_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct shift_report r;
	struct shift_opts o;
	int64_t id, z = 0;
	char *end;
	int rc;

	if ((rc = shift_parse(argc, argv, x_options, "x", &o, err)) != 0)
		return rc;
	if (o.help) {
		x_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka shift x "
		    "[--z N]"));
	if (o.z != NULL) {
		z = strtoll(o.z, &end, 10);
		if (!isdigit((unsigned char)*o.z) || *end != '\0' || z <= 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("\"%s\" is not a Z report number"), o.z);
		rc = shift_find_z(app->db, app->cfg.till_id, z, &id, err);
	} else
		rc = shift_current(app->db, app->cfg.till_id, &id, err);
	if (rc != DUKA_OK ||
	    (rc = shift_report(app->db, id, &r, err)) != DUKA_OK)
		return rc;
	shift_report_write(stdout, &r, z > 0, 0);
	return DUKA_OK;
}

/* duka shift z --counted AMOUNT. */
static int
shift_z_cmd(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct shift_report r;
	struct shift_opts o;
	int64_t counted;
	int rc;

	if ((rc = shift_parse(argc, argv, z_options, "z", &o, err)) != 0)
		return rc;
	if (o.help) {
		z_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka shift z --counted AMOUNT"));
	if (o.counted == NULL)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka shift z needs --counted AMOUNT: count the cash in "
		    "the drawer first"));
	if ((rc = money_parse(o.counted, &counted, err)) != DUKA_OK ||
	    (rc = shift_close(app->db, app->cfg.till_id, counted,
	    cli_user(), &r, err)) != DUKA_OK)
		return rc;
	shift_report_write(stdout, &r, 0, 0);
	return DUKA_OK;
}

/* duka shift pay-in|pay-out AMOUNT --reason TEXT, duka shift no-sale. */
static int
shift_cash_cmd(struct app *app, int argc, char **argv, enum cash_kind kind,
    struct duka_err *err)
{
	static const char *const names[] = { "pay-in", "pay-out", "no-sale" };
	static void (*const helps[])(FILE *) = {
		pay_in_help, pay_out_help, no_sale_help,
	};
	const char *name = names[kind];
	char m[MONEY_MAX_TEXT];
	struct shift_opts o;
	int64_t amount = 0;
	int rc, want = kind == CASH_NO_SALE ? 0 : 1;

	if ((rc = shift_parse(argc, argv, cash_options, name, &o, err)) != 0)
		return rc;
	if (o.help) {
		helps[kind](stdout);
		return DUKA_OK;
	}
	if (o.nargs != want)
		return duka_fail(err, DUKA_EUSAGE, want ?
		    _("usage: duka shift %s AMOUNT --reason TEXT") :
		    _("usage: duka shift %s --reason TEXT"), name);
	if (o.reason == NULL)
		return duka_fail(err, DUKA_EUSAGE,
		    _("duka shift %s needs --reason TEXT"), name);
	if (want && (rc = money_parse(o.args[0], &amount, err)) != DUKA_OK)
		return rc;
	if ((rc = shift_cash(app->db, app->cfg.till_id, kind, amount,
	    o.reason, cli_user(), err)) != DUKA_OK)
		return rc;
	money_format_ksh(amount, m, sizeof m);
	switch (kind) {
	case CASH_PAY_IN:
		printf(_("Paid in %s on till %s\n"), m, app->cfg.till_id);
		break;
	case CASH_PAY_OUT:
		printf(_("Paid out %s on till %s\n"), m, app->cfg.till_id);
		break;
	case CASH_NO_SALE:
		printf(_("Drawer opening recorded on till %s\n"),
		    app->cfg.till_id);
		break;
	}
	return DUKA_OK;
}

int
cmd_shift(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		shift_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "open") == 0)
		return shift_open_cmd(app, argc, argv, err);
	if (strcmp(sub, "x") == 0)
		return shift_x_cmd(app, argc, argv, err);
	if (strcmp(sub, "z") == 0)
		return shift_z_cmd(app, argc, argv, err);
	if (strcmp(sub, "pay-in") == 0)
		return shift_cash_cmd(app, argc, argv, CASH_PAY_IN, err);
	if (strcmp(sub, "pay-out") == 0)
		return shift_cash_cmd(app, argc, argv, CASH_PAY_OUT, err);
	if (strcmp(sub, "no-sale") == 0)
		return shift_cash_cmd(app, argc, argv, CASH_NO_SALE, err);
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown command \"duka shift %s\" (see duka shift --help)"),
	    sub);
}
