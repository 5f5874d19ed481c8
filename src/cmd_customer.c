/*
 * cmd_customer.c - "duka customer": the customers who buy on account.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "customer.h"
#include "i18n.h"
#include "money.h"

/* Print the help of duka customer. */
static void
customer_help(FILE *fp)
{
	cli_usage(fp, "customer", _("add|list|show|pay ..."), _(
	    "  duka customer add NAME [--phone PHONE] [--limit AMOUNT]\n"
	    "  duka customer list\n"
	    "  duka customer show CUSTOMER\n"
	    "  duka customer pay CUSTOMER AMOUNT [--cash | --mpesa CODE |\n"
	    "                    --card REF | --bank REF]\n\n"
	    "CUSTOMER is a name or a number. --limit is the credit limit: what\n"
	    "the customer may owe at most (default 0: no credit).\n"));
}

/* The value of option name in argv (as "--name VALUE"), or NULL. */
static const char *
opt_value(int argc, char **argv, const char *name, int *bad)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0) {
			if (i + 1 >= argc) {
				*bad = 1;
				return NULL;
			}
			return argv[i + 1];
		}
	return NULL;
}

/* Is every argument after the first positional ones a known option? */
static int
opts_known(int argc, char **argv, int positional, const char *const *known)
{
	int i, k;

	for (i = 1 + positional; i < argc; i++) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(argv[i], known[k]) == 0)
				break;
		if (known[k] == NULL)
			return 0;
		if (strcmp(known[k], "--cash") != 0)
			i++;
	}
	return 1;
}

/* Print one customer as a line of the list. */
static void
customer_line(void *ctx, const struct customer *c)
{
	char limit[MONEY_MAX_TEXT], owes[MONEY_MAX_TEXT];

	(void)ctx;
	money_format(c->credit_limit, limit, sizeof limit);
	money_format(c->balance, owes, sizeof owes);
	printf("%5lld  %-30.30s %-14s %12s %12s%s\n", (long long)c->id,
	    c->name, c->phone, limit, owes, c->active ? "" : _(" (inactive)"));
}

/* duka customer add NAME [--phone P] [--limit A]. */
static int
customer_cmd_add(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const char *const known[] = { "--phone", "--limit", NULL };
	const char *phone, *limit;
	int64_t cents = 0, id;
	int bad = 0, rc;

	if (argc < 2 || !opts_known(argc, argv, 1, known))
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka customer add "
		    "NAME [--phone PHONE] [--limit AMOUNT]"));
	phone = opt_value(argc, argv, "--phone", &bad);
	limit = opt_value(argc, argv, "--limit", &bad);
	if (bad)
		return duka_fail(err, DUKA_EUSAGE, _("an option needs a value "
		    "(see duka customer --help)"));
	if (limit != NULL && (rc = money_parse(limit, &cents, err)) != 0)
		return rc;
	if ((rc = customer_add(app->db, argv[1], phone, cents, &id, err)) != 0)
		return rc;
	printf(_("Added customer %lld: %s\n"), (long long)id, argv[1]);
	return DUKA_OK;
}

/* duka customer show CUSTOMER. */
static int
customer_cmd_show(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct customer c;
	int rc;

	if (argc != 2)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka customer show CUSTOMER"));
	if ((rc = customer_find(app->db, argv[1], &c, err)) != DUKA_OK)
		return rc;
	customer_line(NULL, &c);
	return DUKA_OK;
}

/* duka customer pay CUSTOMER AMOUNT [--cash|--mpesa C|--card R|--bank R]. */
static int
customer_cmd_pay(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const char *const known[] = { "--cash", "--mpesa", "--card",
	    "--bank", NULL };
	enum pay_method m = PAY_CASH;
	const char *ref = NULL, *v;
	char owes[MONEY_MAX_TEXT];
	struct customer c;
	int64_t amount;
	int bad = 0, rc;

	if (argc < 3 || !opts_known(argc, argv, 2, known))
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka customer pay "
		    "CUSTOMER AMOUNT [--cash | --mpesa CODE | --card REF | "
		    "--bank REF]"));
	if ((v = opt_value(argc, argv, "--mpesa", &bad)) != NULL)
		m = PAY_MPESA, ref = v;
	else if ((v = opt_value(argc, argv, "--card", &bad)) != NULL)
		m = PAY_CARD, ref = v;
	else if ((v = opt_value(argc, argv, "--bank", &bad)) != NULL)
		m = PAY_BANK, ref = v;
	if (bad)
		return duka_fail(err, DUKA_EUSAGE, _("an option needs a value "
		    "(see duka customer --help)"));
	if ((rc = money_parse(argv[2], &amount, err)) != DUKA_OK)
		return rc;
	if ((rc = customer_find(app->db, argv[1], &c, err)) != DUKA_OK ||
	    (rc = customer_pay(app->db, c.id, amount, m, ref, cli_user(),
	    err)) != DUKA_OK ||
	    (rc = customer_find(app->db, argv[1], &c, err)) != DUKA_OK)
		return rc;
	money_format_ksh(c.balance, owes, sizeof owes);
	printf(_("%s paid; still owes %s\n"), c.name, owes);
	return DUKA_OK;
}

int
cmd_customer(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		customer_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return customer_cmd_add(app, argc, argv, err);
	if (strcmp(sub, "show") == 0)
		return customer_cmd_show(app, argc, argv, err);
	if (strcmp(sub, "pay") == 0)
		return customer_cmd_pay(app, argc, argv, err);
	if (strcmp(sub, "list") == 0 && argc == 1) {
		printf("%5s  %-30s %-14s %12s %12s\n", _("No."), _("Name"),
		    _("Phone"), _("Limit"), _("Owes"));
		return customer_list(app->db, customer_line, NULL, err);
	}
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown customer command \"%s\" (see duka customer --help)"),
	    sub);
}
