/*
 * cmd_mpesa.c - "duka mpesa": payment prompts from the command line, the
 * worker in the foreground, and the reconciliation of M-PESA payments.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "customer.h"
#include "i18n.h"
#include "money.h"
#include "mpesa.h"
#include "payment.h"
#include "report.h"
#include "sale.h"

/* Print the help of duka mpesa. */
static void
mpesa_help(FILE *fp)
{
	cli_usage(fp, "mpesa", _("status|show|push|run|stop|pay|reconcile ..."),
	    _("  duka mpesa status [--all]\n"
	    "  duka mpesa show PROMPT\n"
	    "  duka mpesa push --receipt RECEIPT [--phone PHONE]\n"
	    "  duka mpesa push --customer CUSTOMER --amount AMOUNT "
	    "[--phone PHONE]\n"
	    "  duka mpesa run [--once]\n"
	    "  duka mpesa stop PROMPT\n"
	    "  duka mpesa pay --receipt RECEIPT (--cash AMOUNT|exact | "
	    "--code CODE)\n"
	    "  duka mpesa reconcile [--from DATE] [--to DATE] "
	    "[--format text|csv]\n\n"
	    "push queues an M-PESA prompt (STK Push) for a sale awaiting\n"
	    "payment or towards a customer's account; run sends queued prompts\n"
	    "and follows them until nothing is pending (--once: one round).\n"
	    "stop stops waiting for a prompt; pay settles the pending M-PESA\n"
	    "part of a sale with cash or a code keyed in instead. A prompt whose\n"
	    "outcome is unknown is never sent again by itself.\n"));
}

enum {
	OPT_ALL = 256, OPT_ONCE, OPT_RECEIPT, OPT_PHONE, OPT_CUSTOMER,
	OPT_AMOUNT, OPT_CASH, OPT_CODE, OPT_FROM, OPT_TO, OPT_FORMAT,
};

static const struct option mpesa_options[] = {
	{ "all", no_argument, NULL, OPT_ALL },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "receipt", required_argument, NULL, OPT_RECEIPT },
	{ "phone", required_argument, NULL, OPT_PHONE },
	{ "customer", required_argument, NULL, OPT_CUSTOMER },
	{ "amount", required_argument, NULL, OPT_AMOUNT },
	{ "cash", required_argument, NULL, OPT_CASH },
	{ "code", required_argument, NULL, OPT_CODE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct mpesa_opts {
	int all, once, csv, help;
	const char *receipt, *phone, *customer, *amount, *cash, *code;
	const char *from, *to;
	int nargs;
	char **args;
};

/* Parse the options after the subcommand; which lists the ones it takes. */
static int
mpesa_opts_parse(int argc, char **argv, const char *sub, const int *which,
    struct mpesa_opts *o, struct duka_err *err)
{
	int c, i;

	memset(o, 0, sizeof *o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", mpesa_options, NULL)) !=
	    -1) {
		if (c == 'h') {
			o->help = 1;
			continue;
		}
		if (c == '?' || c == ':')
			return duka_fail(err, DUKA_EUSAGE, c == ':' ?
			    _("%s needs a value (see duka mpesa --help)") :
			    _("unknown option %s (see duka mpesa --help)"),
			    argv[optind - 1]);
		for (i = 0; which[i] != 0 && which[i] != c; i++)
			;
		if (which[i] == 0)
			return duka_fail(err, DUKA_EUSAGE, _("duka mpesa %s does "
			    "not take %s (see duka mpesa --help)"), sub,
			    argv[optind - 1]);
		switch (c) {
		case OPT_ALL: o->all = 1; break;
		case OPT_ONCE: o->once = 1; break;
		case OPT_RECEIPT: o->receipt = optarg; break;
		case OPT_PHONE: o->phone = optarg; break;
		case OPT_CUSTOMER: o->customer = optarg; break;
		case OPT_AMOUNT: o->amount = optarg; break;
		case OPT_CASH: o->cash = optarg; break;
		case OPT_CODE: o->code = optarg; break;
		case OPT_FROM: o->from = optarg; break;
		case OPT_TO: o->to = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->csv = 1;
			else if (strcmp(optarg, "text") != 0)
				return duka_fail(err, DUKA_EUSAGE, _("unknown "
				    "format \"%s\" (use text or csv)"), optarg);
			break;
		}
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	return DUKA_OK;
}

/* A prompt number argument. */
static int
attempt_arg(const struct mpesa_opts *o, const char *sub, int64_t *id,
    struct duka_err *err)
{
	char *end;
	long long v;

	if (o->nargs != 1)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka mpesa %s "
		    "PROMPT"), sub);
	v = strtoll(o->args[0], &end, 10);
	if (*o->args[0] == '\0' || *end != '\0' || v <= 0)
		return duka_fail(err, DUKA_EINPUT, _("\"%s\" is not a prompt "
		    "number (see duka mpesa status)"), o->args[0]);
	*id = v;
	return DUKA_OK;
}

/* The sale of a receipt number given on the command line. */
static int
receipt_sale(struct app *app, const char *text, int64_t *sale_id,
    struct duka_err *err)
{
	char till[32];
	int64_t no;
	int rc;

	if ((rc = sale_receipt_parse(text, app->cfg.till_id, till, &no,
	    err)) != DUKA_OK)
		return rc;
	return sale_find(app->db, till, no, sale_id, err);
}

/* Print one attempt as a line of the status. */
static int
status_line(void *ctx, const struct mpesa_attempt *a)
{
	char amt[MONEY_MAX_TEXT], who[48];

	(void)ctx;
	money_format(a->amount, amt, sizeof amt);
	if (a->receipt[0] != '\0')
		snprintf(who, sizeof who, "%s", a->receipt);
	else
		snprintf(who, sizeof who, _("account %lld"),
		    (long long)a->customer_id);
	printf("%5lld  %-14s %-12s %10s  %s%s%s%s%s\n", (long long)a->id, who,
	    a->phone, amt, mpesa_state_label(a->state),
	    a->mpesa_receipt[0] ? " " : "", a->mpesa_receipt,
	    a->state == MPESA_PAID && !a->applied ?
	    _(" (NOT applied: double payment, see duka mpesa reconcile)") : "",
	    a->abandoned ? _(" (stopped waiting)") : "");
	if (a->last_error[0] != '\0' && !mpesa_state_final(a->state))
		printf("       %s\n", a->last_error);
	else if (a->last_error[0] != '\0' && a->state != MPESA_PAID)
		printf("       %s\n", a->last_error);
	return 0;
}

/* duka mpesa status [--all]. */
static int
mpesa_cmd_status(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { OPT_ALL, 0 };
	struct mpesa_opts o;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "status", which, &o, err)) !=
	    DUKA_OK)
		return rc;
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka mpesa status [--all]"));
	if (!mpesa_configured(&app->cfg))
		printf("%s\n", _("M-PESA is not set up in duka.conf: prompts "
		    "wait until it is."));
	return mpesa_attempt_list(app->db, o.all ? 1000000 : 20, status_line,
	    NULL, err);
}

/* duka mpesa show PROMPT. */
static int
mpesa_cmd_show(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { 0 };
	char amt[MONEY_MAX_TEXT], due[MONEY_MAX_TEXT], paid[MONEY_MAX_TEXT];
	struct mpesa_attempt a;
	struct mpesa_opts o;
	int64_t id = 0;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "show", which, &o, err)) != 0 ||
	    (rc = attempt_arg(&o, "show", &id, err)) != 0 ||
	    (rc = mpesa_attempt_get(app->db, id, &a, err)) != 0)
		return rc;
	money_format_ksh(a.amount, amt, sizeof amt);
	money_format_ksh(a.due, due, sizeof due);
	printf(_("Prompt:         %lld\n"), (long long)a.id);
	if (a.receipt[0] != '\0')
		printf(_("Receipt:        %s\n"), a.receipt);
	else
		printf(_("Account of:     customer %lld\n"),
		    (long long)a.customer_id);
	printf(_("Phone:          %s\n"), a.phone);
	printf(_("Amount asked:   %s\n"), amt);
	if (a.due != a.amount)
		printf(_("Amount due:     %s (rounded up to whole shillings)\n"),
		    due);
	printf(_("State:          %s%s\n"), mpesa_state_label(a.state),
	    a.abandoned ? _(" (stopped waiting)") : "");
	if (a.checkout_id[0] != '\0')
		printf(_("Checkout id:    %s\n"), a.checkout_id);
	if (a.result_code[0] != '\0')
		printf(_("Result:         %s %s\n"), a.result_code,
		    a.result_desc);
	if (a.mpesa_receipt[0] != '\0') {
		money_format_ksh(a.paid_amount, paid, sizeof paid);
		printf(_("M-PESA receipt: %s, %s from %s%s\n"), a.mpesa_receipt,
		    paid, a.paid_phone, a.applied ? "" :
		    _(" (NOT applied: double payment)"));
	}
	if (a.last_error[0] != '\0')
		printf(_("Note:           %s\n"), a.last_error);
	printf(_("Queries:        %lld\n"), (long long)a.queries);
	printf(_("Created:        %s\n"), a.created_at);
	return DUKA_OK;
}

/* duka mpesa push (--receipt R | --customer C --amount A) [--phone P]. */
static int
mpesa_cmd_push(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { OPT_RECEIPT, OPT_PHONE, OPT_CUSTOMER,
	    OPT_AMOUNT, 0 };
	char amt[MONEY_MAX_TEXT], due[MONEY_MAX_TEXT];
	struct mpesa_attempt a;
	struct mpesa_opts o;
	struct customer c;
	int64_t sale_id = 0, id = 0, amount = 0;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "push", which, &o, err)) != 0)
		return rc;
	if (o.nargs != 0 || (o.receipt == NULL) == (o.customer == NULL) ||
	    (o.customer != NULL) != (o.amount != NULL))
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka mpesa push "
		    "--receipt RECEIPT [--phone PHONE], or --customer CUSTOMER "
		    "--amount AMOUNT [--phone PHONE]"));
	if ((rc = mpesa_config_check(&app->cfg, err)) != DUKA_OK)
		return rc;
	if (o.receipt != NULL) {
		if ((rc = receipt_sale(app, o.receipt, &sale_id, err)) != 0 ||
		    (rc = mpesa_prompt_queue(app->db, sale_id, o.phone,
		    cli_user(), &id, err)) != 0)
			return rc;
	} else {
		if ((rc = cli_opt_amount(o.amount, "amount", &amount, err)) != 0 ||
		    (rc = customer_find(app->db, o.customer, &c, err)) != 0 ||
		    (rc = mpesa_prompt_queue_account(app->db, c.id, amount,
		    o.phone, cli_user(), &id, err)) != 0)
			return rc;
	}
	if ((rc = mpesa_attempt_get(app->db, id, &a, err)) != DUKA_OK)
		return rc;
	money_format_ksh(a.amount, amt, sizeof amt);
	printf(_("Prompt %lld queued: %s to %s\n"), (long long)id, amt, a.phone);
	if (a.due != a.amount) {
		money_format_ksh(a.due, due, sizeof due);
		printf(_("(%s rounded up to whole shillings)\n"), due);
	}
	return DUKA_OK;
}

/* Sleep ms milliseconds. */
static void
sleep_ms(int64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Count the prompts not final, for the end of run. */
static int
count_pending(void *ctx, const struct mpesa_attempt *a)
{
	if (!mpesa_state_final(a->state))
		(*(int *)ctx)++;
	return 0;
}

/* duka mpesa run [--once]. */
static int
mpesa_cmd_run(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { OPT_ONCE, 0 };
	struct mpesa_client *mc;
	struct mpesa_opts o;
	int64_t next = -1;
	int rc, pending = 0;

	if ((rc = mpesa_opts_parse(argc, argv, "run", which, &o, err)) != 0)
		return rc;
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka mpesa run [--once]"));
	if ((rc = mpesa_client_new(&app->cfg, &mc, err)) != DUKA_OK)
		return rc;
	for (;;) {
		if ((rc = mpesa_worker_step(mc, app->db, &next, err)) !=
		    DUKA_OK || o.once || next < 0)
			break;
		/* Wake at least every few seconds: a result the hub relays
		 * may come before the next query is due. */
		sleep_ms(next < 5000 ? next : 5000);
	}
	mpesa_client_free(mc);
	if (rc != DUKA_OK)
		return rc;
	if ((rc = mpesa_attempt_list(app->db, 0, count_pending, &pending,
	    err)) != DUKA_OK)
		return rc;
	if (pending)
		printf(ngettext("%d M-PESA prompt is still pending\n",
		    "%d M-PESA prompts are still pending\n", pending), pending);
	else
		printf("%s\n", _("No M-PESA prompt is pending"));
	return mpesa_attempt_list(app->db, 10, status_line, NULL, err);
}

/* duka mpesa stop PROMPT. */
static int
mpesa_cmd_stop(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { 0 };
	struct mpesa_opts o;
	int64_t id = 0;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "stop", which, &o, err)) != 0 ||
	    (rc = attempt_arg(&o, "stop", &id, err)) != 0 ||
	    (rc = mpesa_attempt_abandon(app->db, id, cli_user(), err)) != 0)
		return rc;
	printf(_("Stopped waiting for prompt %lld: take the payment another "
	    "way or send a new prompt.\n"), (long long)id);
	return DUKA_OK;
}

/* duka mpesa pay --receipt R (--cash AMOUNT|exact | --code CODE). */
static int
mpesa_cmd_pay(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const int which[] = { OPT_RECEIPT, OPT_CASH, OPT_CODE, 0 };
	char ch[MONEY_MAX_TEXT];
	struct payment_info p;
	struct mpesa_opts o;
	int64_t sale_id = 0, tendered = 0, change = 0;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "pay", which, &o, err)) != 0)
		return rc;
	if (o.nargs != 0 || o.receipt == NULL ||
	    (o.cash == NULL) == (o.code == NULL))
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka mpesa pay "
		    "--receipt RECEIPT (--cash AMOUNT|exact | --code CODE)"));
	if (o.cash != NULL && strcmp(o.cash, "exact") != 0 &&
	    (rc = cli_opt_amount(o.cash, "cash", &tendered, err)) != 0)
		return rc;
	if ((rc = receipt_sale(app, o.receipt, &sale_id, err)) != 0 ||
	    (rc = payment_pending_mpesa(app->db, sale_id, &p, err)) != 0 ||
	    (rc = mpesa_switch_tender(app->db, p.id, o.cash != NULL ?
	    PAY_CASH : PAY_MPESA, tendered, o.code, cli_user(), &change,
	    err)) != 0)
		return rc;
	printf(_("Receipt %s is paid.\n"), p.receipt);
	if (o.cash != NULL && change > 0) {
		money_format_ksh(change, ch, sizeof ch);
		printf(_("Change: %s\n"), ch);
	}
	return DUKA_OK;
}

struct recon_ctx {
	int csv;
	int flagged;
};

/* Print one line of the reconciliation. */
static int
recon_line(void *ctx, const struct mpesa_recon_row *r)
{
	struct recon_ctx *c = ctx;
	char amt[MONEY_MAX_TEXT], id[24], what[120];
	const char *cells[9];
	int s;

	if (r->flag != NULL)
		c->flagged++;
	snprintf(id, sizeof id, "%lld", (long long)r->attempt_id);
	if (r->receipt[0] != '\0')
		snprintf(what, sizeof what, "%s", r->receipt);
	else
		snprintf(what, sizeof what, _("account: %s"), r->customer);
	s = mpesa_state_parse(r->state);
	if (c->csv) {
		report_csv_money(r->amount, amt, sizeof amt);
		cells[0] = r->at;
		cells[1] = r->attempt_id ? id : "";
		cells[2] = what;
		cells[3] = r->mpesa_receipt;
		cells[4] = amt;
		cells[5] = r->phone;
		cells[6] = r->state;
		cells[7] = r->flag != NULL ? r->flag : "";
		report_csv_row(stdout, cells, 8);
		return 0;
	}
	money_format(r->amount, amt, sizeof amt);
	printf("%-19.19s %5s  %-16.16s %-10s %10s  %-12s %s%s%s%s\n", r->at,
	    r->attempt_id ? id : "-", what,
	    r->mpesa_receipt[0] ? r->mpesa_receipt : "-", amt, r->phone,
	    s >= 0 ? mpesa_state_label((enum mpesa_state)s) :
	    _("keyed in"), r->flag != NULL ? "  ** " : "",
	    r->flag != NULL ? r->flag : "", r->flag != NULL ? " **" : "");
	return 0;
}

/* duka mpesa reconcile [--from D] [--to D] [--format text|csv]. */
static int
mpesa_cmd_reconcile(struct app *app, int argc, char **argv,
    struct duka_err *err)
{
	static const int which[] = { OPT_FROM, OPT_TO, OPT_FORMAT, 0 };
	char from[DATE_LEN], to[DATE_LEN];
	struct recon_ctx c = { 0, 0 };
	struct mpesa_opts o;
	int rc;

	if ((rc = mpesa_opts_parse(argc, argv, "reconcile", which, &o,
	    err)) != 0)
		return rc;
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka mpesa "
		    "reconcile [--from DATE] [--to DATE] [--format text|csv]"));
	if ((rc = cli_opt_date(o.from, "from", from, err)) != 0 ||
	    (rc = cli_opt_date(o.to, "to", to, err)) != 0)
		return rc;
	if (from[0] != '\0' && to[0] != '\0' && strcmp(from, to) > 0)
		return duka_fail(err, DUKA_EINPUT, _("--from %s is after --to "
		    "%s"), from, to);
	c.csv = o.csv;
	if (c.csv)
		fputs("time,prompt,sale,mpesa_receipt,amount,phone,state,flag\r\n",
		    stdout);
	else
		printf("%-19s %5s  %-16s %-10s %10s  %-12s %s\n", _("Time (UTC)"),
		    _("Prompt"), _("Sale"), _("M-PESA"), _("Amount"), _("Phone"),
		    _("State"));
	if ((rc = mpesa_reconcile(app->db, from, to, recon_line, &c, err)) !=
	    DUKA_OK)
		return rc;
	if (!c.csv)
		printf(ngettext("%d line to look at\n", "%d lines to look at\n",
		    c.flagged), c.flagged);
	return DUKA_OK;
}

int
cmd_mpesa(struct app *app, int argc, char **argv, struct duka_err *err)
{
	static const struct {
		const char *name;
		int (*fn)(struct app *, int, char **, struct duka_err *);
	} subs[] = {
		{ "status", mpesa_cmd_status },
		{ "show", mpesa_cmd_show },
		{ "push", mpesa_cmd_push },
		{ "run", mpesa_cmd_run },
		{ "stop", mpesa_cmd_stop },
		{ "pay", mpesa_cmd_pay },
		{ "reconcile", mpesa_cmd_reconcile },
	};
	size_t i;
	int k;

	for (k = 1; k < argc; k++)
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			mpesa_help(stdout);
			return DUKA_OK;
		}
	if (argc < 2)
		return mpesa_cmd_status(app, argc, argv, err);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(app, argc - 1, argv + 1, err);
	return duka_fail(err, DUKA_EUSAGE, _("unknown duka mpesa command \"%s\" "
	    "(see duka mpesa --help)"), argv[1]);
}
