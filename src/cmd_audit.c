/*
 * cmd_audit.c - "duka audit": show the audit trail, verify its hash chain,
 * and list the fraud guard's alerts.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "fraud.h"
#include "i18n.h"
#include "user.h"

enum {
	OPT_USER = 256, OPT_FROM, OPT_TO, OPT_ACTION, OPT_SHIFT, OPT_FORMAT,
	OPT_MAX_VOIDS, OPT_MAX_REFUNDS, OPT_MAX_NO_SALE, OPT_DISCOUNT,
	OPT_HELP,
};

static const struct option audit_options[] = {
	{ "user", required_argument, NULL, OPT_USER },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "action", required_argument, NULL, OPT_ACTION },
	{ "shift", required_argument, NULL, OPT_SHIFT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "max-voids", required_argument, NULL, OPT_MAX_VOIDS },
	{ "max-refunds", required_argument, NULL, OPT_MAX_REFUNDS },
	{ "max-no-sale", required_argument, NULL, OPT_MAX_NO_SALE },
	{ "discount-percent", required_argument, NULL, OPT_DISCOUNT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct audit_opts {
	struct audit_filter f;
	int64_t shift_id;
	int csv;
	int help;
	struct fraud_limits limits;
	int nargs;
};

/* Print the help of duka audit. */
static void
audit_help(FILE *fp)
{
	cli_usage(fp, "audit", _("show|verify|alerts [OPTIONS]"), _(
	    "  duka audit show [--user NAME] [--from DATE] [--to DATE]\n"
	    "                  [--action ACTION] [--format text|csv]\n"
	    "  duka audit verify\n"
	    "  duka audit alerts [--shift N | --from DATE --to DATE]\n"
	    "                  [--max-voids N] [--max-refunds N]\n"
	    "                  [--max-no-sale N] [--discount-percent P]\n\n"
	    "Dates are UTC days. --action takes a whole action (sale.refund)\n"
	    "or a family ending in a dot (user.). verify walks the hash chain\n"
	    "and names the first row that was changed, removed or inserted out\n"
	    "of turn (exit status 5).\n"));
}

/* A whole number option of at least min. */
static int
opt_count(const char *text, const char *name, int64_t min, int64_t *out,
    struct duka_err *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min)
		return duka_fail(err, DUKA_EUSAGE, _("--%s: \"%s\" is not a "
		    "whole number of at least %lld"), name, text,
		    (long long)min);
	*out = v;
	return DUKA_OK;
}

/* Parse the options of an audit command. */
static int
audit_parse(struct app *app, int argc, char **argv, struct audit_opts *o,
    struct duka_err *err)
{
	int64_t pct;
	int c, rc;

	memset(o, 0, sizeof *o);
	fraud_limits_default(&o->limits, &app->cfg);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", audit_options, NULL)) != -1) {
		rc = DUKA_OK;
		switch (c) {
		case 'h':
		case OPT_HELP:
			o->help = 1;
			return DUKA_OK;
		case OPT_USER:
			o->f.user = optarg;
			break;
		case OPT_ACTION:
			o->f.action = optarg;
			break;
		case OPT_FROM:
			rc = cli_opt_date(optarg, "from", o->f.from, err);
			break;
		case OPT_TO:
			rc = cli_opt_date(optarg, "to", o->f.to, err);
			break;
		case OPT_SHIFT:
			rc = opt_count(optarg, "shift", 1, &o->shift_id, err);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->csv = 1;
			else if (strcmp(optarg, "text") != 0)
				return duka_fail(err, DUKA_EUSAGE, _("unknown "
				    "format \"%s\" (use text or csv)"), optarg);
			break;
		case OPT_MAX_VOIDS:
			rc = opt_count(optarg, "max-voids", 1,
			    &o->limits.max_voids, err);
			break;
		case OPT_MAX_REFUNDS:
			rc = opt_count(optarg, "max-refunds", 1,
			    &o->limits.max_refunds, err);
			break;
		case OPT_MAX_NO_SALE:
			rc = opt_count(optarg, "max-no-sale", 1,
			    &o->limits.max_no_sale, err);
			break;
		case OPT_DISCOUNT:
			rc = opt_count(optarg, "discount-percent", 0, &pct,
			    err);
			if (rc == DUKA_OK && pct > 100)
				rc = duka_fail(err, DUKA_EUSAGE, "%s",
				    _("--discount-percent is at most 100"));
			o->limits.discount_bp = pct * 100;
			break;
		case ':':
			return duka_fail(err, DUKA_EUSAGE, _("%s needs a value "
			    "(see duka audit --help)"), argv[optind - 1]);
		default:
			return duka_fail(err, DUKA_EUSAGE, _("unknown option "
			    "%s (see duka audit --help)"), argv[optind - 1]);
		}
		if (rc != DUKA_OK)
			return rc;
	}
	o->nargs = argc - optind;
	if (o->f.from[0] != '\0' && o->f.to[0] != '\0' &&
	    strcmp(o->f.from, o->f.to) > 0)
		return duka_fail(err, DUKA_EINPUT, _("--from %s is after --to "
		    "%s"), o->f.from, o->f.to);
	return DUKA_OK;
}

/* Write s as one CSV field. */
static void
csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else
		fputs(s, stdout);
	putchar(last ? '\n' : ',');
}

/* Print one audit row. */
static void
audit_line(void *ctx, const struct audit_row *r)
{
	const struct audit_opts *o = ctx;
	char id[24], eid[24];

	if (o->csv) {
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		snprintf(eid, sizeof eid, "%lld", (long long)r->entity_id);
		csv_field(id, 0);
		csv_field(r->at, 0);
		csv_field(r->user, 0);
		csv_field(r->action, 0);
		csv_field(r->entity, 0);
		csv_field(r->entity_id != 0 ? eid : "", 0);
		csv_field(r->approved_by, 0);
		csv_field(r->detail, 1);
		return;
	}
	printf("%6lld %.19s %-12.12s %-18s %s", (long long)r->id, r->at,
	    r->user[0] != '\0' ? r->user : "-", r->action, r->entity);
	if (r->entity_id != 0)
		printf(" %lld", (long long)r->entity_id);
	if (r->approved_by[0] != '\0')
		printf(_(" [approved by %s]"), r->approved_by);
	if (r->detail[0] != '\0')
		printf(": %s", r->detail);
	putchar('\n');
}

/* Print one alert. */
static int
alert_line(void *ctx, const struct fraud_alert *a)
{
	int *n = ctx;

	printf("%-9s %s\n", fraud_kind_name(a->kind), a->text);
	(*n)++;
	return 0;
}

int
cmd_audit(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct audit_opts o;
	int rc;

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		audit_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if ((rc = audit_parse(app, argc, argv, &o, err)) != DUKA_OK)
		return rc;
	if (o.help) {
		audit_help(stdout);
		return DUKA_OK;
	}
	if (o.nargs != 0)
		return duka_fail(err, DUKA_EUSAGE, _("duka audit %s takes no "
		    "arguments (see duka audit --help)"), sub);
	if ((rc = perm_require(app->db, PERM_AUDIT, err)) != DUKA_OK)
		return rc;
	if (strcmp(sub, "show") == 0) {
		if (o.csv)
			puts("id,at,user,action,entity,entity_id,approved_by,"
			    "detail");
		return audit_list(app->db, &o.f, audit_line, &o, err);
	}
	if (strcmp(sub, "verify") == 0) {
		struct audit_verdict v;
		char text[512];

		if ((rc = audit_verify(app->db, &v, err)) != DUKA_OK)
			return rc;
		audit_verdict_text(&v, text, sizeof text);
		if (v.fault == AUDIT_INTACT) {
			printf("%s\n", text);
			return DUKA_OK;
		}
		return duka_fail(err, DUKA_ECHECK, "%s", text);
	}
	if (strcmp(sub, "alerts") == 0) {
		struct fraud_range r;
		char next[DATE_LEN];
		int n = 0;

		memset(&r, 0, sizeof r);
		r.shift_id = o.shift_id;
		if (o.f.from[0] != '\0')
			snprintf(r.from, sizeof r.from, "%sT00:00:00.000Z",
			    o.f.from);
		if (o.f.to[0] != '\0') {
			date_add_days(o.f.to, 1, next);
			snprintf(r.to, sizeof r.to, "%sT00:00:00.000Z", next);
		}
		if ((rc = fraud_alerts(app->db, &r, &o.limits, &app->cfg,
		    alert_line, &n, err)) != DUKA_OK)
			return rc;
		if (n == 0)
			printf("%s\n", _("No alerts."));
		return DUKA_OK;
	}
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown audit command \"%s\" (see duka audit --help)"), sub);
}
