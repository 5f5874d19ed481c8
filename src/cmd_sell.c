/*
 * cmd_sell.c - "duka sell" and "duka reprint": a whole sale from the
 * command line, for scripts and tests, and a receipt printed again.
 *
 * duka sell reads everything first (items from the arguments or stdin,
 * discounts, price overrides, tenders), builds the cart, and refuses any
 * bad value before sale_commit writes anything; sale_commit then writes
 * the sale in one transaction. Only after that is the receipt shown and,
 * with --print, sent to the printer: a printer failure is a warning, the
 * sale stays, and "duka reprint" prints it again.
 *
 * Scripts read the output, so it is stable: the slip exactly as
 * receipt_format_text lays it out, then one line
 * "Receipt TILL-NNNNNN: total KSh X, change KSh Y" (", awaiting payment"
 * added while an M-PESA prompt is unanswered); with --quiet only the
 * receipt number.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cart.h"
#include "catalog.h"
#include "cli.h"
#include "customer.h"
#include "i18n.h"
#include "money.h"
#include "outbox.h"
#include "receipt.h"
#include "sale.h"
#include "sale_receipt.h"
#include "text.h"

/* As sale_commit allows. */
#define SELL_MAX_TENDERS 16
/* --price and --line-discount options on one command line. */
#define SELL_MAX_EDITS 256
/* Longest --token: a UUID is 36. */
#define SELL_TOKEN_MAX 64

enum {
	OPT_CASH = 256, OPT_MPESA, OPT_MPESA_PENDING, OPT_CARD, OPT_BANK,
	OPT_ACCOUNT, OPT_DISCOUNT, OPT_LINE_DISCOUNT, OPT_PRICE, OPT_APPROVE,
	OPT_ALLOW_EXPIRED, OPT_TOKEN, OPT_PRINT, OPT_WIDTH, OPT_QUIET,
	OPT_HELP,
};

/* One tender as typed: the option that gave it and its value. */
struct sell_tender_arg {
	int opt;		/* OPT_CASH .. OPT_ACCOUNT */
	const char *text;
};

/* The options of duka sell or duka reprint, as typed. */
struct sell_opts {
	struct sell_tender_arg tender[SELL_MAX_TENDERS];
	int ntenders;
	const char *line_discount[SELL_MAX_EDITS];
	int nline_discounts;
	const char *price[SELL_MAX_EDITS];
	int nprices;
	const char *discount, *approve, *token, *width;
	int allow_expired, print, quiet, help;
	char **args;		/* the arguments that are not options */
	int nargs;
};

static const struct option sell_options[] = {
	{ "cash", required_argument, NULL, OPT_CASH },
	{ "mpesa", required_argument, NULL, OPT_MPESA },
	{ "mpesa-pending", required_argument, NULL, OPT_MPESA_PENDING },
	{ "card", required_argument, NULL, OPT_CARD },
	{ "bank", required_argument, NULL, OPT_BANK },
	{ "account", required_argument, NULL, OPT_ACCOUNT },
	{ "discount", required_argument, NULL, OPT_DISCOUNT },
	{ "line-discount", required_argument, NULL, OPT_LINE_DISCOUNT },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "approve", required_argument, NULL, OPT_APPROVE },
	{ "allow-expired", no_argument, NULL, OPT_ALLOW_EXPIRED },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option reprint_options[] = {
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Print the help of duka sell. */
static void
sell_help(FILE *fp)
{
	cli_usage(fp, "sell", _("[OPTIONS] [ITEM...]"),
	    /* xgettext:no-c-format */
	    _("Sells the items and prints the receipt. ITEM is CODE (one), "
	    "CODE*QTY or\nQTY*CODE (\"SUG1*2\", \"0.5*TOM1\" for 0.5 kg); "
	    "CODE is a barcode or a SKU.\nWithout ITEM the items are read "
	    "from stdin, one \"CODE [QTY]\" a line;\n'#' starts a comment.\n\n"
	    "Payment (AMOUNT left out: the tender pays the rest):\n"
	    "  --cash AMOUNT                cash handed over; \"exact\" or 0 "
	    "for the rest\n"
	    "  --mpesa CODE[:AMOUNT]        M-PESA confirmation code\n"
	    "  --mpesa-pending PHONE[:AMOUNT]  an M-PESA prompt to come: the "
	    "sale awaits it\n"
	    "  --card REF[:AMOUNT]          card slip reference\n"
	    "  --bank REF[:AMOUNT]          bank transfer reference\n"
	    "  --account CUSTOMER[:AMOUNT]  on account (customer name or "
	    "number)\n\n"
	    "Prices and discounts (N is the receipt's line number, from 1):\n"
	    "  --discount AMOUNT|PERCENT%   off the whole sale\n"
	    "  --line-discount N:AMOUNT|PERCENT%\n"
	    "  --price N:AMOUNT             charge AMOUNT per unit on line N\n"
	    "  --approve NAME               approve a sale beyond the limits\n"
	    "  --allow-expired              sell from an expired batch\n\n"
	    "Output:\n"
	    "  --token TOKEN                the cart's identity: the same "
	    "token sells once\n"
	    "  --print                      also print on [printer] device\n"
	    "  --width 32|42|48             receipt width (default [printer] "
	    "width)\n"
	    "  --quiet                      print only the receipt number\n\n"
	    "A printer failure leaves the sale saved: duka warns, exits 0, and "
	    "\"duka\nreprint RECEIPT --print\" prints it again.\n"));
}

/* Print the help of duka reprint. */
static void
reprint_help(FILE *fp)
{
	cli_usage(fp, "reprint", _("RECEIPT [--print] [--width 32|42|48]"),
	    _("Shows a receipt again, marked as a copy. RECEIPT is TILL-NNNNNN "
	    "or, for\nthis till, the number alone.\n\n"
	    "  --print            send it to [printer] device too\n"
	    "  --width 32|42|48   receipt width (default [printer] width)\n"));
}

/* Put what (an item, an option) before the reason already in err. */
static int
sell_prefix(struct duka_err *err, int rc, const char *what)
{
	char why[sizeof err->msg];

	memcpy(why, err->msg, sizeof why);
	return duka_fail(err, rc, "%s: %s", what, why);
}

/* The first argument that starts like a negative quantity ("-2*SUG1"),
 * for the message that refuses it. */
static const char *
sell_dash_item(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && (isdigit((unsigned char)argv[i][1]) ||
		    argv[i][1] == '.'))
			return argv[i];
	return "-";
}

/* Collect the options and arguments of duka sell or duka reprint. */
static int
sell_parse(int argc, char **argv, const struct option *opts,
    const char *name, struct sell_opts *o, struct duka_err *err)
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
		case OPT_CASH:
		case OPT_MPESA:
		case OPT_MPESA_PENDING:
		case OPT_CARD:
		case OPT_BANK:
		case OPT_ACCOUNT:
			if (o->ntenders == SELL_MAX_TENDERS)
				return duka_fail(err, DUKA_EINPUT,
				    _("a sale takes at most %d payments"),
				    SELL_MAX_TENDERS);
			o->tender[o->ntenders].opt = c;
			o->tender[o->ntenders++].text = optarg;
			break;
		case OPT_LINE_DISCOUNT:
		case OPT_PRICE:
			if (o->nline_discounts + o->nprices == SELL_MAX_EDITS)
				return duka_fail(err, DUKA_EINPUT,
				    _("at most %d --price and --line-discount "
				    "options"), SELL_MAX_EDITS);
			if (c == OPT_PRICE)
				o->price[o->nprices++] = optarg;
			else
				o->line_discount[o->nline_discounts++] = optarg;
			break;
		case OPT_DISCOUNT:
			o->discount = optarg;
			break;
		case OPT_APPROVE:
			o->approve = optarg;
			break;
		case OPT_ALLOW_EXPIRED:
			o->allow_expired = 1;
			break;
		case OPT_TOKEN:
			o->token = optarg;
			break;
		case OPT_PRINT:
			o->print = 1;
			break;
		case OPT_WIDTH:
			o->width = optarg;
			break;
		case OPT_QUIET:
			o->quiet = 1;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE,
			    _("%s needs a value (see duka %s --help)"),
			    argv[optind - 1], name);
		default:
			/* "-2*SUG1" looks like an option: a bad quantity. */
			if (isdigit((unsigned char)optopt) || optopt == '.')
				return duka_fail(err, DUKA_EINPUT,
				    _("item \"%s\": a quantity must be more "
				    "than 0"), sell_dash_item(argc, argv));
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown option %s (see duka %s --help)"),
			    argv[optind - 1], name);
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return DUKA_OK;
}

/* Copy the settings with the receipt width of --width, if given. */
static int
sell_width(const struct app *app, const char *text, struct settings *cfg,
    struct duka_err *err)
{
	char *end;
	long w;

	*cfg = app->cfg;
	if (text == NULL)
		return DUKA_OK;
	w = strtol(text, &end, 10);
	if (!isdigit((unsigned char)*text) || *end != '\0' || w > 1000 ||
	    !receipt_width_ok((int)w))
		return duka_fail(err, DUKA_EUSAGE,
		    _("--width %s: a receipt is 32, 42 or 48 columns wide"),
		    text);
	cfg->printer_width = w;
	return DUKA_OK;
}

/* Find the product of code; an unknown code is bad input here. */
static int
sell_find(struct db *db, const char *code, struct product *p,
    struct duka_err *err)
{
	int rc;

	rc = catalog_product_find(db, code, p, err);
	if (rc == DUKA_ENOTFOUND) {
		err->code = DUKA_EINPUT;
		return DUKA_EINPUT;
	}
	return rc;
}

/*
 * Read an item: CODE, CODE*QTY or QTY*CODE. When both sides read as
 * numbers (a barcode is digits too) the side that names a product is the
 * code, the left one first.
 */
static int
sell_item(struct db *db, const char *text, struct product *p, int64_t *qty,
    struct duka_err *err)
{
	char buf[256], *star, *left, *right;
	int64_t lq, rq;
	int lnum, rnum, rc;

	if (text_trim_copy(text, buf, sizeof buf) != 0 || buf[0] == '\0')
		return duka_fail(err, DUKA_EINPUT, _("write the item as CODE, "
		    "CODE*QTY or QTY*CODE"));
	if ((star = strchr(buf, '*')) == NULL) {
		*qty = 1000;
		return sell_find(db, buf, p, err);
	}
	*star = '\0';
	left = buf;
	right = star + 1;
	text_trim(left);
	text_trim(right);
	if (*left == '\0' || *right == '\0' || strchr(right, '*') != NULL)
		return duka_fail(err, DUKA_EINPUT, _("write the item as CODE, "
		    "CODE*QTY or QTY*CODE"));
	lnum = qty_parse(left, &lq, NULL) == DUKA_OK;
	rnum = qty_parse(right, &rq, NULL) == DUKA_OK;
	if (lnum && rnum) {
		if ((rc = catalog_product_find(db, left, p, err)) == DUKA_OK) {
			*qty = rq;
			return DUKA_OK;
		}
		if (rc != DUKA_ENOTFOUND)
			return rc;
		*qty = lq;
		return sell_find(db, right, p, err);
	}
	if (rnum) {
		*qty = rq;
		return sell_find(db, left, p, err);
	}
	if (lnum) {
		*qty = lq;
		return sell_find(db, right, p, err);
	}
	/* Neither side is a number: say what was wrong with the quantity. */
	qty_parse(right, &rq, err);
	return DUKA_EINPUT;
}

/* Add one item, naming where it came from in a failure. */
static int
sell_add(struct db *db, struct cart *c, const char *text, const char *where,
    struct duka_err *err)
{
	struct product p;
	int64_t qty = 0;
	int rc;

	if ((rc = sell_item(db, text, &p, &qty, err)) != DUKA_OK ||
	    (rc = cart_add(c, &p, qty, err)) != DUKA_OK)
		return sell_prefix(err, rc, where);
	return DUKA_OK;
}

/* Add "CODE [QTY]" (or one ITEM as on the command line) read on stdin
 * line n. */
static int
sell_add_line(struct db *db, struct cart *c, char *line, long n,
    struct duka_err *err)
{
	char where[64], *tok[3], *save = NULL, *s;
	struct product p;
	int64_t qty;
	int ntok = 0, rc;

	snprintf(where, sizeof where, _("stdin line %ld"), n);
	/* A '#' that starts a word starts a comment. */
	for (s = line; *s != '\0'; s++)
		if (*s == '#' && (s == line || isspace((unsigned char)s[-1]))) {
			*s = '\0';
			break;
		}
	for (s = strtok_r(line, " \t\r\n", &save); s != NULL && ntok < 3;
	    s = strtok_r(NULL, " \t\r\n", &save))
		tok[ntok++] = s;
	if (ntok == 0)
		return DUKA_OK;
	if (ntok == 1)
		return sell_add(db, c, tok[0], where, err);
	if (ntok == 3 || strchr(tok[0], '*') != NULL ||
	    strchr(tok[1], '*') != NULL)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: write CODE and, if not one, QTY"), where);
	if ((rc = sell_find(db, tok[0], &p, err)) != DUKA_OK ||
	    (rc = qty_parse(tok[1], &qty, err)) != DUKA_OK ||
	    (rc = cart_add(c, &p, qty, err)) != DUKA_OK)
		return sell_prefix(err, rc, where);
	return DUKA_OK;
}

/* Add the items of stdin. */
static int
sell_read_stdin(struct db *db, struct cart *c, struct duka_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	int rc = DUKA_OK;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, _("Type the items, one \"CODE [QTY]\" a line; "
		    "end with Ctrl-D.\n"));
	while (getline(&line, &cap, stdin) != -1) {
		n++;
		if ((rc = sell_add_line(db, c, line, n, err)) != DUKA_OK)
			break;
	}
	if (rc == DUKA_OK && ferror(stdin))
		rc = duka_fail(err, DUKA_EFAIL, _("cannot read the items from "
		    "stdin"));
	free(line);
	return rc;
}

/* Read "N:VALUE" into a line index (0-based) of c and the value. */
static int
sell_line_arg(const struct cart *c, const char *text, const char *opt,
    int *index, const char **value, struct duka_err *err)
{
	const char *colon = strchr(text, ':');
	char *end;
	long n;

	n = strtol(text, &end, 10);
	if (colon == NULL || end != colon || !isdigit((unsigned char)*text))
		return duka_fail(err, DUKA_EINPUT,
		    _("--%s %s: write LINE:VALUE, like 2:10%%"), opt, text);
	if (n < 1 || n > c->n)
		return duka_fail(err, DUKA_EINPUT,
		    _("--%s %s: there is no line %ld (the sale has %d)"), opt,
		    text, n, c->n);
	*index = (int)n - 1;
	*value = colon + 1;
	return DUKA_OK;
}

/* Read an amount that must not be negative. */
static int
sell_amount(const char *text, const char *what, int64_t *out,
    struct duka_err *err)
{
	int64_t v;
	int rc;

	if ((rc = money_parse(text, &v, err)) != DUKA_OK)
		return sell_prefix(err, rc, what);
	if (v < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("%s: the amount cannot be negative"), what);
	*out = v;
	return DUKA_OK;
}

/* 1 if text is a percentage ("10%") rather than an amount. */
static int
sell_is_percent(const char *text)
{
	size_t n = strlen(text);

	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	return n > 0 && text[n - 1] == '%';
}

/* Apply --price, then --line-discount, then --discount, then --approve. */
static int
sell_edits(struct cart *c, const struct sell_opts *o, struct duka_err *err)
{
	const char *value;
	int64_t v;
	int i, k, rc;

	for (k = 0; k < o->nprices; k++) {
		if ((rc = sell_line_arg(c, o->price[k], "price", &i, &value,
		    err)) != DUKA_OK ||
		    (rc = sell_amount(value, "--price", &v, err)) != DUKA_OK ||
		    (rc = cart_price_override(c, i, v, err)) != DUKA_OK)
			return rc;
	}
	for (k = 0; k < o->nline_discounts; k++) {
		if ((rc = sell_line_arg(c, o->line_discount[k],
		    "line-discount", &i, &value, err)) != DUKA_OK)
			return rc;
		if (sell_is_percent(value)) {
			if ((rc = percent_parse(value, &v, err)) != DUKA_OK)
				return sell_prefix(err, rc, "--line-discount");
			rc = cart_line_discount_percent(c, i, v, err);
		} else if ((rc = sell_amount(value, "--line-discount", &v,
		    err)) == DUKA_OK)
			rc = cart_line_discount_amount(c, i, v, err);
		if (rc != DUKA_OK)
			return rc;
	}
	if (o->discount != NULL) {
		if (sell_is_percent(o->discount)) {
			if ((rc = percent_parse(o->discount, &v, err)) !=
			    DUKA_OK)
				return sell_prefix(err, rc, "--discount");
			rc = cart_sale_discount_percent(c, v, err);
		} else if ((rc = sell_amount(o->discount, "--discount", &v,
		    err)) == DUKA_OK)
			rc = cart_sale_discount_amount(c, v, err);
		if (rc != DUKA_OK)
			return rc;
	}
	if (o->approve != NULL)
		return cart_approve(c, o->approve, err);
	return DUKA_OK;
}

/*
 * Split "REF[:AMOUNT]" at its last ':' into ref (n bytes) and an amount,
 * 0 ("the rest") when there is none.
 */
static int
sell_ref_amount(const char *text, const char *opt, char *ref, size_t n,
    int64_t *amount, struct duka_err *err)
{
	const char *colon = strrchr(text, ':');
	size_t len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	char what[64];
	int rc;

	*amount = 0;
	snprintf(what, sizeof what, "--%s", opt);
	if (len >= n)
		return duka_fail(err, DUKA_EINPUT,
		    _("--%s: \"%.20s...\" is longer than %d characters"), opt,
		    text, (int)n - 1);
	memcpy(ref, text, len);
	ref[len] = '\0';
	text_trim(ref);
	if (colon != NULL &&
	    (rc = sell_amount(colon + 1, what, amount, err)) != DUKA_OK)
		return rc;
	return DUKA_OK;
}

/*
 * A Kenyan mobile number as the M-PESA prompt wants it, 2547XXXXXXXX or
 * 2541XXXXXXXX, from 07.., 01.., 7.., +2547.. (spaces allowed).
 */
static int
sell_phone(const char *text, char out[16], struct duka_err *err)
{
	char d[32];
	const char *s = text, *tail;
	size_t n = 0;

	if (*s == '+')
		s++;
	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof d)
			goto bad;
		d[n++] = *s;
	}
	d[n] = '\0';
	if (n == 12 && strncmp(d, "254", 3) == 0)
		tail = d + 3;
	else if (n == 10 && d[0] == '0')
		tail = d + 1;
	else if (n == 9)
		tail = d;
	else
		goto bad;
	if (tail[0] != '7' && tail[0] != '1')
		goto bad;
	snprintf(out, 16, "254%.9s", tail);
	return DUKA_OK;
bad:
	return duka_fail(err, DUKA_EINPUT, _("--mpesa-pending: \"%s\" is not a "
	    "Kenyan mobile number (like 0712345678)"), text);
}

/* Turn one typed tender into a struct tender. */
static int
sell_tender(struct db *db, const struct sell_tender_arg *a, struct tender *t,
    int64_t *customer_id, struct duka_err *err)
{
	char ref[CUSTOMER_NAME_MAX];
	struct customer cust;
	int rc;

	memset(t, 0, sizeof *t);
	switch (a->opt) {
	case OPT_CASH:
		t->method = PAY_CASH;
		if (strcasecmp(a->text, "exact") == 0)
			return DUKA_OK;
		return sell_amount(a->text, "--cash", &t->amount, err);
	case OPT_MPESA:
		t->method = PAY_MPESA;
		if ((rc = sell_ref_amount(a->text, "mpesa", ref, sizeof ref,
		    &t->amount, err)) != DUKA_OK)
			return rc;
		if ((rc = mpesa_code_check(ref, t->reference, err)) != DUKA_OK)
			return sell_prefix(err, rc, "--mpesa");
		return DUKA_OK;
	case OPT_MPESA_PENDING:
		t->method = PAY_MPESA;
		t->pending = 1;
		if ((rc = sell_ref_amount(a->text, "mpesa-pending", ref,
		    sizeof ref, &t->amount, err)) != DUKA_OK)
			return rc;
		return sell_phone(ref, t->phone, err);
	case OPT_CARD:
	case OPT_BANK:
		t->method = a->opt == OPT_CARD ? PAY_CARD : PAY_BANK;
		if ((rc = sell_ref_amount(a->text, a->opt == OPT_CARD ? "card" :
		    "bank", t->reference, sizeof t->reference, &t->amount,
		    err)) != DUKA_OK)
			return rc;
		if (t->reference[0] == '\0')
			return duka_fail(err, DUKA_EINPUT,
			    _("--%s: give the payment's reference"),
			    a->opt == OPT_CARD ? "card" : "bank");
		return DUKA_OK;
	case OPT_ACCOUNT:
		t->method = PAY_ACCOUNT;
		if ((rc = sell_ref_amount(a->text, "account", ref, sizeof ref,
		    &t->amount, err)) != DUKA_OK)
			return rc;
		rc = customer_find(db, ref, &cust, err);
		if (rc == DUKA_ENOTFOUND)
			rc = DUKA_EINPUT;
		if (rc != DUKA_OK)
			return sell_prefix(err, rc, "--account");
		if (!cust.active)
			return duka_fail(err, DUKA_EINPUT,
			    _("--account: the customer %s is no longer "
			    "active"), cust.name);
		t->customer_id = cust.id;
		if (*customer_id == 0)
			*customer_id = cust.id;
		return DUKA_OK;
	}
	return duka_fail(err, DUKA_EFAIL, _("internal error: unknown tender"));
}

/* Check the --token text: 1 to 64 printable ASCII characters. */
static int
sell_token(const char *text, struct duka_err *err)
{
	const char *s;

	if (*text == '\0' || strlen(text) > SELL_TOKEN_MAX)
		return duka_fail(err, DUKA_EINPUT,
		    _("--token: give 1 to %d characters"), SELL_TOKEN_MAX);
	for (s = text; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return duka_fail(err, DUKA_EINPUT,
			    _("--token: only letters, digits and punctuation, "
			    "no spaces"));
	return DUKA_OK;
}

/* The receipt of sale_id as text for the screen; *text is freed by the
 * caller. */
static int
sell_text(struct db *db, int64_t sale_id, const struct settings *cfg,
    int reprint, char **text, int64_t *change, struct duka_err *err)
{
	struct receipt *r = NULL;
	size_t len, i;
	int rc;

	*text = NULL;
	*change = 0;
	if ((rc = sale_receipt_load(db, sale_id, cfg, reprint, &r, err)) !=
	    DUKA_OK)
		return rc;
	for (i = 0; i < r->ntenders; i++)
		if (r->tender[i].tendered > r->tender[i].amount)
			*change += r->tender[i].tendered - r->tender[i].amount;
	rc = receipt_format_text(r, (int)cfg->printer_width, text, &len, err);
	receipt_free(r);
	return rc;
}

/* Build the cart and the tenders from o; nothing is written. */
static int
sell_prepare(struct app *app, const struct sell_opts *o, struct cart *c,
    struct tender *t, int64_t *customer_id, struct duka_err *err)
{
	char where[300];
	int i, rc;

	for (i = 0; i < o->nargs; i++) {
		snprintf(where, sizeof where, _("item \"%.200s\""), o->args[i]);
		if ((rc = sell_add(app->db, c, o->args[i], where, err)) !=
		    DUKA_OK)
			return rc;
	}
	if (o->nargs == 0 && (rc = sell_read_stdin(app->db, c, err)) !=
	    DUKA_OK)
		return rc;
	if (c->n == 0)
		return duka_fail(err, DUKA_EINPUT, _("no items to sell: give "
		    "them as arguments or on stdin"));
	if ((rc = sell_edits(c, o, err)) != DUKA_OK)
		return rc;
	for (i = 0; i < o->ntenders; i++)
		if ((rc = sell_tender(app->db, &o->tender[i], &t[i],
		    customer_id, err)) != DUKA_OK)
			return rc;
	if (o->token != NULL && (rc = sell_token(o->token, err)) != DUKA_OK)
		return rc;
	return DUKA_OK;
}

int
cmd_sell(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct tender tenders[SELL_MAX_TENDERS];
	char token[UUID_LEN], total[MONEY_MAX_TEXT], change[MONEY_MAX_TEXT];
	struct sale_request req;
	struct sale_result res;
	struct duka_err perr = { 0, "" };
	struct settings cfg;
	struct sell_opts o;
	struct cart *c;
	char *text = NULL;
	int64_t customer_id = 0, back;
	int rc;

	if ((rc = sell_parse(argc, argv, sell_options, "sell", &o, err)) !=
	    DUKA_OK)
		return rc;
	if (o.help) {
		sell_help(stdout);
		return DUKA_OK;
	}
	if ((rc = sell_width(app, o.width, &cfg, err)) != DUKA_OK)
		return rc;
	if (o.print && cfg.printer[0] == '\0')
		return duka_fail(err, DUKA_ECONFIG, _("--print: no printer is "
		    "set (device under [printer] in duka.conf); nothing was "
		    "sold"));
	if ((c = cart_new()) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if ((rc = sell_prepare(app, &o, c, tenders, &customer_id, err)) !=
	    DUKA_OK)
		goto out;

	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = tenders;
	req.ntenders = o.ntenders;
	req.till_id = cfg.till_id;
	req.user = cli_user();
	if (o.token == NULL)
		uuid7_new(token);
	req.cart_token = o.token != NULL ? o.token : token;
	req.customer_id = customer_id;
	req.allow_expired = o.allow_expired;
	if ((rc = sale_commit(app->db, &req, &cfg, &res, err)) != DUKA_OK)
		goto out;

	/* Committed: from here on nothing undoes the sale. */
	if (res.duplicate)
		fprintf(stderr, _("duka: this cart (token %s) was sold already "
		    "as receipt %s; nothing new was written\n"), req.cart_token,
		    res.receipt);
	if ((rc = sell_text(app->db, res.sale_id, &cfg, res.duplicate, &text,
	    &back, err)) != DUKA_OK) {
		char why[sizeof err->msg];

		memcpy(why, err->msg, sizeof why);
		duka_fail(err, rc, _("receipt %s is saved but cannot be shown "
		    "(%s); try duka reprint %s"), res.receipt, why,
		    res.receipt);
		goto out;
	}
	if (o.quiet)
		printf("%s\n", res.receipt);
	else {
		money_format_ksh(res.total, total, sizeof total);
		money_format_ksh(back, change, sizeof change);
		fputs(text, stdout);
		printf(res.awaiting ? _("Receipt %s: total %s, change %s, "
		    "awaiting payment\n") : _("Receipt %s: total %s, change "
		    "%s\n"), res.receipt, total, change);
	}
	fflush(stdout);
	if (o.print && sale_receipt_print(app->db, res.sale_id, &cfg,
	    res.duplicate, !res.duplicate, &perr) != DUKA_OK)
		fprintf(stderr, _("duka: warning: receipt %s is saved but was "
		    "not printed: %s\nduka: print it with: duka reprint %s "
		    "--print\n"), res.receipt, perr.msg, res.receipt);
out:
	free(text);
	cart_free(c);
	return rc;
}

int
cmd_reprint(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct settings cfg;
	struct sell_opts o;
	char till[32], *text = NULL;
	int64_t no, sale_id, back;
	int rc;

	if ((rc = sell_parse(argc, argv, reprint_options, "reprint", &o,
	    err)) != DUKA_OK)
		return rc;
	if (o.help) {
		reprint_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 1)
		return duka_fail(err, DUKA_EUSAGE,
		    _("usage: duka reprint RECEIPT [--print] [--width N]"));
	if ((rc = sell_width(app, o.width, &cfg, err)) != DUKA_OK)
		return rc;
	if ((rc = sale_receipt_parse(o.args[0], cfg.till_id, till, &no,
	    err)) != DUKA_OK ||
	    (rc = sale_find(app->db, till, no, &sale_id, err)) != DUKA_OK ||
	    (rc = sell_text(app->db, sale_id, &cfg, 1, &text, &back,
	    err)) != DUKA_OK)
		return rc;
	fputs(text, stdout);
	fflush(stdout);
	free(text);
	if (o.print)
		return sale_receipt_print(app->db, sale_id, &cfg, 1, 0, err);
	return DUKA_OK;
}
