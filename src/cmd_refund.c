/*
 * cmd_refund.c - "duka refund": take back a sale, or some of its lines,
 * by receipt number, from the command line.
 *
 * Options are collected first and checked after the whole command line
 * is read, so that --help anywhere answers without touching the database
 * (cli_main opens none when --help is present).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "money.h"
#include "refund.h"
#include "text.h"

enum {
	OPT_LINE = 256, OPT_DAMAGED, OPT_CASH, OPT_MPESA, OPT_CARD, OPT_BANK,
	OPT_ACCOUNT, OPT_REASON, OPT_HELP,
};

static const struct option refund_options[] = {
	{ "line", required_argument, NULL, OPT_LINE },
	{ "damaged", no_argument, NULL, OPT_DAMAGED },
	{ "cash", no_argument, NULL, OPT_CASH },
	{ "mpesa", required_argument, NULL, OPT_MPESA },
	{ "card", required_argument, NULL, OPT_CARD },
	{ "bank", required_argument, NULL, OPT_BANK },
	{ "account", no_argument, NULL, OPT_ACCOUNT },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka refund. */
static void
refund_help(FILE *fp)
{
	cli_usage(fp, "refund", _("RECEIPT [OPTIONS]"),
	    _("Takes back a sale, or some of its lines, by receipt number "
	    "(like 1-000123,\nor 123 for this till). Without --line, "
	    "everything not refunded yet\ncomes back.\n\n"
	    "  --line N[:QTY]   take back line N of the receipt, all that is "
	    "left of it\n"
	    "                   or QTY; repeat for more lines\n"
	    "  --damaged        the goods are damaged: back into their batch, "
	    "then\n"
	    "                   written off as damage\n"
	    "  --cash           pay back in cash (the default)\n"
	    "  --mpesa CODE     paid back by M-PESA; CODE is the reversal's "
	    "code\n"
	    "  --card REF       paid back to the card; REF is the slip's "
	    "reference\n"
	    "  --bank REF       paid back by bank transfer\n"
	    "  --account        credited to the customer's account\n"
	    "  --reason TEXT    why (kept in the audit log)\n\n"
	    "Needs an open shift on this till. The sale itself is never "
	    "changed: the\nrefund gets a receipt number of its own.\n"));
}

/* Parse "N" or "N:QTY" of --line. */
static int
refund_parse_line(const char *text, struct refund_line *l,
    struct duka_err *err)
{
	char num[16], *colon;
	const char *q = NULL;
	size_t len;
	long v;
	int rc;

	colon = strchr(text, ':');
	len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	if (len == 0 || len >= sizeof num)
		goto bad;
	memcpy(num, text, len);
	num[len] = '\0';
	if (!text_is_digits(num) || (v = strtol(num, NULL, 10)) <= 0 ||
	    v > CART_MAX_LINES)
		goto bad;
	l->line_no = (int)v;
	l->qty = 0;
	if (colon != NULL) {
		q = colon + 1;
		if ((rc = qty_parse(q, &l->qty, err)) != DUKA_OK) {
			char why[sizeof err->msg];

			memcpy(why, err->msg, sizeof why);
			return duka_fail(err, rc, "--line %s: %s", text, why);
		}
		if (l->qty <= 0)
			return duka_fail(err, DUKA_EINPUT, _("--line %s: the "
			    "quantity to refund must be more than 0"), text);
	}
	return DUKA_OK;
bad:
	return duka_fail(err, DUKA_EUSAGE, _("--line %s: give a line number "
	    "of the receipt, and optionally a quantity, like --line 2 or "
	    "--line 2:0.5"), text);
}

/* Set the way the money goes back, refusing a second one. */
static int
refund_set_method(struct tender *t, int *given, enum pay_method m,
    const char *ref, struct duka_err *err)
{
	if (*given)
		return duka_fail(err, DUKA_EUSAGE, _("give one way to pay back: "
		    "--cash, --mpesa, --card, --bank or --account"));
	*given = 1;
	t->method = m;
	if (ref != NULL && strlen(ref) >= sizeof t->reference)
		return duka_fail(err, DUKA_EINPUT, _("the reference \"%.20s...\" "
		    "is longer than %d characters"), ref,
		    (int)sizeof t->reference - 1);
	snprintf(t->reference, sizeof t->reference, "%s", ref ? ref : "");
	return DUKA_OK;
}

/* Print what was refunded. */
static void
refund_print(const struct refund_request *req, const struct refund_result *res)
{
	char q[MONEY_MAX_TEXT], a[MONEY_MAX_TEXT], v[MONEY_MAX_TEXT];
	const struct refund_done *d;
	int i;

	printf(_("Refund %s of receipt %s\n"), res->receipt, res->original);
	for (i = 0; i < res->nlines; i++) {
		d = &res->line[i];
		qty_format(d->qty, q, sizeof q);
		money_format(-d->amount, a, sizeof a);
		printf(_("  line %d  %s  %s  qty %s  %s\n"), d->refund_of_line,
		    d->sku, d->name, q, a);
	}
	money_format_ksh(-res->total, a, sizeof a);
	money_format(-res->vat, v, sizeof v);
	printf(_("Paid back %s (%s), VAT %s\n"), a,
	    pay_method_label(res->method), v);
	if (req->damaged)
		printf(_("The goods went back into their batches and out again "
		    "as damaged.\n"));
	else
		printf(_("The goods are back in stock.\n"));
}

int
cmd_refund(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct refund_request req;
	struct refund_result res;
	struct refund_line *lines;
	const char *receipt = NULL;
	char till[32];
	int c, given = 0, rc = DUKA_OK;

	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	req.tender.method = PAY_CASH;
	lines = calloc((size_t)argc + 1, sizeof *lines);
	if (lines == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	optind = 0;
	opterr = 0;
	while (rc == DUKA_OK &&
	    (c = getopt_long(argc, argv, ":h", refund_options, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			refund_help(stdout);
			goto out;
		case OPT_LINE:
			rc = refund_parse_line(optarg, &lines[req.nlines++],
			    err);
			break;
		case OPT_DAMAGED:
			req.damaged = 1;
			break;
		case OPT_CASH:
			rc = refund_set_method(&req.tender, &given, PAY_CASH,
			    NULL, err);
			break;
		case OPT_MPESA:
			rc = refund_set_method(&req.tender, &given, PAY_MPESA,
			    optarg, err);
			break;
		case OPT_CARD:
			rc = refund_set_method(&req.tender, &given, PAY_CARD,
			    optarg, err);
			break;
		case OPT_BANK:
			rc = refund_set_method(&req.tender, &given, PAY_BANK,
			    optarg, err);
			break;
		case OPT_ACCOUNT:
			rc = refund_set_method(&req.tender, &given,
			    PAY_ACCOUNT, NULL, err);
			break;
		case OPT_REASON:
			req.reason = optarg;
			break;
		case ':':
			rc = duka_fail(err, DUKA_EUSAGE, _("%s needs a value "
			    "(see duka refund --help)"), argv[optind - 1]);
			break;
		default:
			rc = duka_fail(err, DUKA_EUSAGE, _("unknown option %s "
			    "(see duka refund --help)"), argv[optind - 1]);
			break;
		}
	}
	if (rc != DUKA_OK)
		goto out;
	if (optind < argc)
		receipt = argv[optind++];
	if (receipt == NULL || optind < argc) {
		rc = duka_fail(err, DUKA_EUSAGE, _("usage: duka refund RECEIPT "
		    "[--line N[:QTY]]... [OPTIONS]"));
		goto out;
	}
	if ((rc = sale_receipt_parse(receipt, app->cfg.till_id, till,
	    &req.sale_receipt_no, err)) != DUKA_OK)
		goto out;
	req.till_id = app->cfg.till_id;
	req.sale_till = till;
	req.user = cli_user();
	req.lines = req.nlines > 0 ? lines : NULL;
	if ((rc = refund_commit(app->db, &req, &res, err)) != DUKA_OK)
		goto out;
	refund_print(&req, &res);
out:
	refund_result_free(&res);
	free(lines);
	return rc;
}
